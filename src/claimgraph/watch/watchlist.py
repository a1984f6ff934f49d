"""The watchlist: a YAML file naming what to poll (feeds, pages, each with an interval) and what to track.

Bad entries are reported as one line each, naming the file and the reason (``E120``), and left out; the
watch goes on with the others. A file that cannot be read, is not YAML, or leaves nothing to poll is a
:class:`~claimgraph.errors.ConfigError`. See ``docs/watch.md`` for the format.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ConfigError, Errors

__all__ = ["DEFAULT_INTERVAL", "PolledSource", "Watchlist", "Webhook", "load_watchlist", "parse_duration"]

DEFAULT_INTERVAL = 900.0
"""Seconds between two polls of a source when neither it nor the watchlist says (15 minutes)."""
_UNITS = {"": 1.0, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}
_DURATION = re.compile(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([smhd]?)\s*", re.IGNORECASE)
_TOP_KEYS = frozenset(["interval", "sources", "track", "webhooks"])
_TRACK_KEYS = frozenset(["claims", "entities", "outlets"])


@dataclass(frozen=True)
class PolledSource:
    """A feed (RSS/Atom: every entry's linked article is fetched) or a page, polled every ``every`` seconds."""

    url: str
    feed: bool
    every: float


@dataclass(frozen=True)
class Webhook:
    """Where alerts are POSTed; signed with HMAC-SHA256 when ``secret`` is set."""

    url: str
    secret: str | None = None
    retries: int = 3
    """Attempts after the first one (connection errors, timeouts, HTTP 408, 429 and 5xx)."""
    backoff: float = 1.0
    """Seconds before the first retry; doubled before each next one."""
    timeout: float = 10.0


@dataclass
class Watchlist:
    path: str
    sources: list[PolledSource] = field(default_factory=list)
    claim_ids: list[str] = field(default_factory=list)
    queries: list[str] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)
    webhooks: list[Webhook] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    """One line per entry left out (``watchlist FILE: sources[2]: ... [E120]``)."""

    @property
    def tracks_anything(self) -> bool:
        return bool(self.claim_ids or self.queries or self.entities or self.outlets)


def parse_duration(value: object) -> float:
    """Seconds from ``90``, ``30s``, ``15m``, ``1.5h`` or ``1d``; raises ``ValueError`` otherwise (or when not > 0)."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float):
        seconds = float(value)
    else:
        match = _DURATION.fullmatch(str(value))
        if not match:
            raise ValueError(value)
        seconds = float(match.group(1)) * _UNITS[match.group(2).lower()]
    if not seconds > 0 or seconds == float("inf"):
        raise ValueError(value)
    return seconds


def _http(value: object) -> bool:
    return isinstance(value, str) and value[:8].lower().startswith(("http://", "https://")) and "://" in value


class _Reader:
    """Reads one watchlist, collecting one line per bad entry."""

    def __init__(self, path: str, env: Callable[[str], str | None]) -> None:
        self.out = Watchlist(path=path)
        self.env = env

    def bad(self, where: str, reason: str) -> None:
        self.out.problems.append(Errors.E120.format(path=self.out.path, reason=f"{where}: {reason}"))

    def read(self, data: dict[str, Any]) -> Watchlist:
        for key in sorted(set(data) - _TOP_KEYS):
            self.bad(str(key), f"unknown key (expected {', '.join(sorted(_TOP_KEYS))})")
        default = DEFAULT_INTERVAL
        if data.get("interval") is not None:
            try:
                default = parse_duration(data["interval"])
            except ValueError:
                self.bad("interval", f"{data['interval']!r} is not a duration such as 90, 30s, 15m or 1h")
        self.sources(data.get("sources"), default)
        self.track(data.get("track"))
        self.webhooks(data.get("webhooks"))
        return self.out

    def _list(self, value: object, where: str) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.bad(where, f"expected a list, got {type(value).__name__}")
            return []
        return value

    def sources(self, value: object, default: float) -> None:
        seen: set[str] = set()
        for i, item in enumerate(self._list(value, "sources")):
            where = f"sources[{i}]"
            if isinstance(item, str):
                item = {"url": item}
            if not isinstance(item, dict):
                self.bad(where, "expected a mapping with 'feed' or 'url' (and 'every')")
                continue
            unknown = sorted(set(item) - {"feed", "url", "every"})
            if unknown:
                self.bad(where, f"unknown key {unknown[0]!r} (expected feed or url, and every)")
                continue
            if ("feed" in item) == ("url" in item):
                self.bad(where, "give exactly one of 'feed' (an RSS/Atom feed) or 'url' (a page)")
                continue
            url = item.get("feed", item.get("url"))
            if not _http(url):
                self.bad(where, f"{url!r} is not an http(s) URL")
                continue
            every = default
            if item.get("every") is not None:
                try:
                    every = parse_duration(item["every"])
                except ValueError:
                    self.bad(where, f"every: {item['every']!r} is not a duration such as 90, 30s, 15m or 1h")
                    continue
            if url in seen:
                self.bad(where, f"{url} is listed twice")
                continue
            seen.add(str(url))
            self.out.sources.append(PolledSource(url=str(url), feed="feed" in item, every=every))

    def _names(self, value: object, where: str) -> list[str]:
        names: list[str] = []
        for i, item in enumerate(self._list(value, where)):
            if isinstance(item, str | int | float) and not isinstance(item, bool) and str(item).strip():
                name = " ".join(str(item).split())
                if name not in names:
                    names.append(name)
            else:
                self.bad(f"{where}[{i}]", "expected a non-empty name")
        return names

    def track(self, value: object) -> None:
        if value is None:
            return
        if not isinstance(value, dict):
            self.bad("track", "expected a mapping with claims, entities and/or outlets")
            return
        for key in sorted(set(value) - _TRACK_KEYS):
            self.bad(f"track.{key}", "unknown key (expected claims, entities or outlets)")
        for i, item in enumerate(self._list(value.get("claims"), "track.claims")):
            where = f"track.claims[{i}]"
            if not isinstance(item, dict) or len(item) != 1 or not ({"id", "query"} & set(item)):
                self.bad(where, "expected {id: CLAIM-ID} or {query: WORDS}")
                continue
            text = item.get("id", item.get("query"))
            if not isinstance(text, str) or not text.strip():
                self.bad(where, "expected a non-empty id or query")
            elif "id" in item:
                self.out.claim_ids.append(text.strip())
            elif not re.search(r"\w", text):
                self.bad(where, f"query {text!r} has no words")
            else:
                self.out.queries.append(" ".join(text.split()))
        self.out.entities = self._names(value.get("entities"), "track.entities")
        self.out.outlets = self._names(value.get("outlets"), "track.outlets")

    def webhooks(self, value: object) -> None:
        for i, item in enumerate(self._list(value, "webhooks")):
            where = f"webhooks[{i}]"
            if isinstance(item, str):
                item = {"url": item}
            if not isinstance(item, dict) or not _http(item.get("url")):
                self.bad(where, "expected {url: http(s)://..., secret_env: VARIABLE}")
                continue
            unknown = sorted(set(item) - {"url", "secret", "secret_env", "retries", "backoff", "timeout"})
            if unknown:
                self.bad(where, f"unknown key {unknown[0]!r}")
                continue
            secret = item.get("secret")
            if item.get("secret_env") is not None:
                secret = self.env(str(item["secret_env"]))
                if not secret:
                    self.bad(where, f"environment variable {item['secret_env']} (secret_env) is not set")
                    continue
            try:
                retries = int(item.get("retries", 3))
                backoff = float(item.get("backoff", 1.0))
                timeout = parse_duration(item.get("timeout", 10))
                if retries < 0 or retries > 20 or backoff < 0:
                    raise ValueError
            except (TypeError, ValueError):
                self.bad(where, "retries must be 0-20, backoff a number of seconds >= 0, timeout a duration")
                continue
            self.out.webhooks.append(
                Webhook(
                    url=str(item["url"]),
                    secret=str(secret) if secret else None,
                    retries=retries,
                    backoff=backoff,
                    timeout=timeout,
                )
            )


def load_watchlist(path: str | Path, *, env: Callable[[str], str | None] = os.environ.get) -> Watchlist:
    """Read and check a watchlist; bad entries are in ``problems`` (one line each) and left out.

    Raises :class:`~claimgraph.errors.ConfigError` (``E120``) when the file cannot be read, is not a YAML
    mapping, or names no source to poll.
    """
    import yaml

    shown = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ConfigError(Errors.E120.format(path=shown, reason=f"cannot read it ({reason})")) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" on line {where.line + 1}" if where is not None else ""
        problem = getattr(exc, "problem", None) or type(exc).__name__
        raise ConfigError(
            Errors.E120.format(path=shown, reason=f"not valid YAML{line} ({problem})")
        ) from None
    if not isinstance(data, dict):
        raise ConfigError(
            Errors.E120.format(path=shown, reason="expected a mapping with sources, track and webhooks")
        )
    watchlist = _Reader(shown, env).read(data)
    if not watchlist.sources:
        raise ConfigError(Errors.E120.format(path=shown, reason="no valid source to poll (sources: ...)"))
    return watchlist
