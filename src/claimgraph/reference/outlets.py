"""News outlets and agencies with the host of their website (``data/outlets.tsv``; source in its header).

``by_host`` also knows the larger list of news-site hosts in ``data/news_hosts.txt`` (no names: such an
outlet is named by its host; source in its header); :func:`outlets` and :func:`by_name` read only the table.

``by_host("https://www.apnews.com/article/x")`` -> the Associated Press; ``by_name("AFP")`` -> Agence
France-Presse. Loaded lazily, once.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources
from urllib.parse import urlsplit

__all__ = ["Outlet", "by_host", "by_name", "host_of", "news_hosts", "outlets"]


@dataclass(frozen=True)
class Outlet:
    name: str
    aliases: tuple[str, ...]
    host: str
    country: str
    kind: str
    """``outlet`` or ``agency``."""


@functools.cache
def outlets() -> tuple[Outlet, ...]:
    """Every row of the shipped table."""
    text = resources.files("claimgraph.reference").joinpath("data/outlets.tsv").read_text(encoding="utf-8")
    rows: list[Outlet] = []
    header_seen = False
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if not header_seen:
            header_seen = True  # name, aliases, host, country, kind
            continue
        name, aliases, host, country, kind = (line.split("\t") + [""] * 5)[:5]
        rows.append(Outlet(name, tuple(a for a in aliases.split("|") if a), host, country, kind))
    return tuple(rows)


@functools.cache
def news_hosts() -> frozenset[str]:
    """The hosts of ``data/news_hosts.txt`` (news sites known by their host only)."""
    text = resources.files("claimgraph.reference").joinpath("data/news_hosts.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


@functools.cache
def _hosts() -> dict[str, Outlet]:
    table = {host: Outlet(host, (), host, "", "outlet") for host in news_hosts()}
    table.update((o.host, o) for o in outlets())
    return table


@functools.cache
def _names() -> dict[str, Outlet]:
    table: dict[str, Outlet] = {}
    for outlet in outlets():
        for name in (outlet.name, *outlet.aliases):
            table.setdefault(name.casefold(), outlet)
    return table


def host_of(url_or_host: str) -> str:
    """The lower-case host of a URL (or a bare host), without ``www.``; ``""`` when there is none."""
    value = url_or_host.strip()
    if "://" not in value:
        value = "//" + value
    try:
        host = (urlsplit(value).hostname or "").lower().rstrip(".")
    except ValueError:
        return ""
    return host[4:] if host.startswith("www.") else host


def by_host(url_or_host: str) -> Outlet | None:
    """The outlet whose website is this host or a parent domain of it (``edition.cnn.com`` -> CNN)."""
    host = host_of(url_or_host)
    hosts = _hosts()
    while host and "." in host:
        if host in hosts:
            return hosts[host]
        host = host.split(".", 1)[1]
    return None


def by_name(name: str) -> Outlet | None:
    """The outlet or agency with this name or short name (case-insensitive, whole name)."""
    return _names().get(" ".join(name.split()).casefold())
