"""RSS and Atom feeds via feedparser: one document per entry, path ``file#<1-based entry index>``."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from typing import Any

from ..errors import Errors, InputError, InputProblem
from ..options import Options
from ..registry import registry
from .documents import RawDocument
from .limits import read_capped
from .text import clean_text

__all__ = ["read_feed"]


def _date(entry: Any) -> str | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if isinstance(value, time.struct_time):
            return time.strftime("%Y-%m-%d", value)
    for key in ("published", "updated"):
        if entry.get(key):
            return str(entry.get(key))
    return None


def _authors(entry: Any) -> list[str]:
    names = [a.get("name") for a in entry.get("authors", []) if isinstance(a, dict) and a.get("name")]
    if not names and entry.get("author"):
        names = [entry.get("author")]
    return [str(n) for n in names]


def _content(entry: Any) -> str:
    for item in entry.get("content", []) or []:
        if item.get("value"):
            return str(item["value"])
    return str(entry.get("summary") or entry.get("description") or "")


@registry.readers("claimgraph.feed_reader.v1")
def read_feed(path: str, options: Options) -> Iterator[RawDocument | InputProblem]:
    """Every entry of an RSS or Atom file (``.rss``, ``.atom``, ``.xml``)."""
    import feedparser

    from .bylines import parse_byline, split_authors
    from .html import fragment_to_text

    data = read_capped(path, path, options.max_bytes)
    parsed = feedparser.parse(io.BytesIO(data))
    entries = list(parsed.get("entries", []))
    malformed = False
    if parsed.get("bozo"):
        exc = parsed.get("bozo_exception")
        name = type(exc).__name__
        if "Encoding" not in name:  # an encoding override is not a malformation
            malformed = True
            yield InputError(path, Errors.E007, reason=f"{name}: {exc}".strip()).problem
            if not entries:
                return
    if not entries:
        raise InputError(path, Errors.E007, reason="no RSS items or Atom entries found")
    fmt = "atom" if str(parsed.get("version", "")).startswith("atom") else "rss"
    outlet = parsed.get("feed", {}).get("title")
    encoding = parsed.get("encoding")
    for index, entry in enumerate(entries, start=1):
        where = f"{path}#{index}"
        title = entry.get("title")
        cleaned = clean_text(fragment_to_text(_content(entry)), title=title)
        authors: list[str] = []
        for name in _authors(entry):
            authors.extend(parse_byline(name) or split_authors(name) or [name])
        if not cleaned.paragraphs:
            if not malformed:  # in a malformed feed the E007 above already covers a broken entry
                yield InputError(where, Errors.E012).problem
            continue
        yield RawDocument(
            path=where,
            format=fmt,
            paragraphs=cleaned.paragraphs,
            title=title or cleaned.title,
            authors=authors or cleaned.authors,
            published=_date(entry) or cleaned.published,
            outlet=str(outlet) if outlet else cleaned.outlet,
            url=entry.get("link") or cleaned.url,
            removed_lines=cleaned.removed,
            encoding=None if str(encoding).lower() in ("utf-8", "none", "") else str(encoding),
        )
