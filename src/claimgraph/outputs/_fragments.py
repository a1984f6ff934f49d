"""Pretty JSON fragments kept between runs, so an incremental run re-encodes only what changed.

``claimgraph.json`` and ``claimgraph.stix.json`` are written one top-level list element at a time
(:func:`claimgraph.outputs.iter_json`). With ``indent`` the standard library encodes in pure Python, several
times slower than its C encoder without ``indent``. The pretty text of an element is a function of its
compact text alone (the two encoders convert every value the same way; ``indent`` only lays out the
structure), so :class:`Fragments` keys the pretty text by the SHA-256 of the compact text (made by the C
encoder) and the layout (indent, depth): a key found gives the bytes a fresh encoding would give, whatever
claimgraph version or record wrote it.

The fragments live in ``OUT/.claimgraph-fragments.sqlite`` (one table per output file name), holding only
the fragments of the latest write of that file. The file is a cache: when it cannot be opened, read or
written the fragments are encoded afresh (same bytes) and the run goes on; deleting it is always safe.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

__all__ = ["CACHE_NAME", "FRAGMENT_VERSION", "Fragments", "fragments", "iter_pretty"]

T = TypeVar("T")

#: The cache file inside the output folder.
CACHE_NAME = ".claimgraph-fragments.sqlite"
#: Bump when the pretty layout of :func:`claimgraph.outputs.iter_json` changes; the Python minor version is
#: part of the key too (the standard library's encoder writes the text).
FRAGMENT_VERSION = 1


def _namespace(name: str) -> str:
    return f"{name}|v{FRAGMENT_VERSION}|py{sys.version_info[0]}.{sys.version_info[1]}"


class Fragments:
    """Pretty texts by the digest of their compact text and layout; ``save`` keeps the ones used."""

    def __init__(self, known: dict[bytes, str] | None = None) -> None:
        self.known: dict[bytes, str] = known or {}
        self.used: dict[bytes, str] = {}
        self.encoded = 0
        """Fragments encoded afresh in this write (the others came from the cache)."""

    def pretty(self, item: Any, compact: str, indent: int, inner: str, default: Any = None) -> str:
        """``json.dumps(item, indent=indent, ensure_ascii=False, default=default)`` with each newline followed
        by ``inner`` (the element's depth); ``compact`` is ``json.dumps(item, ensure_ascii=False,
        default=default)``, the text that decides the key."""
        digest = hashlib.sha256(compact.encode("utf-8", "surrogatepass"))
        digest.update(f"\0{indent}\0{len(inner)}".encode())
        key = digest.digest()
        text = self.used.get(key)
        if text is None:
            text = self.known.get(key)
            if text is None:
                text = json.dumps(item, indent=indent, ensure_ascii=False, default=default).replace(
                    "\n", inner
                )
                self.encoded += 1
            self.used[key] = text
        return text

    def line(self, compact: str, value: T, make: Callable[[T], str]) -> str:
        """``make(value)``, kept under ``compact`` (the JSON text of what ``make`` reads of ``value``)."""
        key = hashlib.sha256(compact.encode("utf-8", "surrogatepass")).digest()
        text = self.used.get(key)
        if text is None:
            text = self.known.get(key)
            if text is None:
                text = make(value)
                self.encoded += 1
            self.used[key] = text
        return text

    def save(self) -> None:
        """Keep the fragments of this write (no-op for a cache without a file)."""


class _StoredFragments(Fragments):
    def __init__(self, path: Path, table: str) -> None:
        self.path = path
        self.table = table
        known: dict[bytes, str] = {}
        with contextlib.suppress(sqlite3.Error, OSError, ValueError):
            if path.is_file():
                with contextlib.closing(sqlite3.connect(path, timeout=5)) as db:
                    known = {
                        bytes(k): str(v)
                        for k, v in db.execute(f'SELECT key, text FROM "{table}"')
                        if isinstance(k, bytes) and isinstance(v, str)
                    }
        super().__init__(known)

    def save(self) -> None:
        if self.used.keys() == self.known.keys():
            return
        new = [(k, v) for k, v in self.used.items() if k not in self.known]
        gone = [(k,) for k in self.known if k not in self.used]
        try:
            with contextlib.closing(sqlite3.connect(self.path, timeout=5)) as db, db:
                db.execute("PRAGMA journal_mode=DELETE")
                db.execute(
                    f'CREATE TABLE IF NOT EXISTS "{self.table}" (key BLOB PRIMARY KEY, text TEXT NOT NULL)'
                )
                db.executemany(f'DELETE FROM "{self.table}" WHERE key = ?', gone)
                db.executemany(f'INSERT OR REPLACE INTO "{self.table}" (key, text) VALUES (?, ?)', new)
        except (sqlite3.Error, OSError):
            with contextlib.suppress(
                OSError
            ):  # a cache that cannot be written is dropped, never trusted half-written
                self.path.unlink()


def fragments(out_dir: Path | None, name: str) -> Fragments:
    """The fragment cache of output file ``name`` in ``out_dir`` (in memory only when ``out_dir`` is None)."""
    if out_dir is None:
        return Fragments()
    return _StoredFragments(out_dir / CACHE_NAME, _namespace(name))


def iter_pretty(items: Any, cache: Fragments, indent: int, inner: str, default: Any = None) -> Iterator[str]:
    """Each of ``items`` as its pretty text (see :meth:`Fragments.pretty`)."""
    dumps = json.dumps
    for item in items:
        yield cache.pretty(item, dumps(item, ensure_ascii=False, default=default), indent, inner, default)
