"""Pretty JSON fragments kept between runs, so an incremental run re-encodes only what changed.

``claimgraph.json`` and ``claimgraph.stix.json`` are written one top-level list element at a time
(:func:`claimgraph.outputs.iter_json`). With ``indent`` the standard library encodes in pure Python, several
times slower than its C encoder without ``indent``. The pretty text of an element is a function of its
compact text alone (the two encoders convert every value the same way; ``indent`` only lays out the
structure), so :class:`Fragments` keys the pretty text by the SHA-256 of the compact text (made by the C
encoder) and the layout (indent, depth): a key found gives the bytes a fresh encoding would give, whatever
claimgraph version or record wrote it.

The fragments live in ``OUT/.claimgraph-fragments.sqlite`` (one table per output file name), holding only
the fragments of the latest write of that file, looked up one key at a time (the cache is never loaded
whole: memory stays that of the streamed write). The file is a cache: when it cannot be opened, read or
written the fragments are encoded afresh (same bytes) and the run goes on; deleting it is always safe.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import itertools
import json
import sqlite3
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

__all__ = ["BATCH", "CACHE_NAME", "FRAGMENT_VERSION", "Fragments", "fragments", "iter_pretty"]

T = TypeVar("T")
#: Fragments looked up per query (SQLite's default limit of bound parameters is 999 or more).
BATCH = 500

#: The cache file inside the output folder.
CACHE_NAME = ".claimgraph-fragments.sqlite"
#: Bump when the pretty layout of :func:`claimgraph.outputs.iter_json` changes; the Python minor version is
#: part of the key too (the standard library's encoder writes the text).
FRAGMENT_VERSION = 1


def _namespace(name: str) -> str:
    return f"{name}|v{FRAGMENT_VERSION}|py{sys.version_info[0]}.{sys.version_info[1]}"


class Fragments:
    """Pretty texts by the digest of their compact text and layout; ``save`` keeps the ones used. This base
    class keeps them in memory (for one process); :class:`_StoredFragments` in the output folder."""

    def __init__(self) -> None:
        self.texts: dict[bytes, str] = {}
        self.encoded = 0
        """Fragments encoded afresh in this write (the others came from the cache)."""
        self.reused = 0
        """Fragments taken from the cache in this write."""

    def want(self, keys: list[bytes]) -> None:
        """Read the fragments of ``keys`` (the next batch of the write) in one query."""

    @staticmethod
    def pretty_key(compact: str, indent: int, inner: str) -> bytes:
        digest = hashlib.sha256(compact.encode("utf-8", "surrogatepass"))
        digest.update(f"\0{indent}\0{len(inner)}".encode())
        return digest.digest()

    @staticmethod
    def line_key(compact: str) -> bytes:
        return hashlib.sha256(compact.encode("utf-8", "surrogatepass")).digest()

    def _get(self, key: bytes) -> str | None:
        return self.texts.get(key)

    def _put(self, key: bytes, text: str, new: bool) -> None:
        self.texts[key] = text

    def text(self, key: bytes, make: Callable[[], str]) -> str:
        """The fragment under ``key``, or ``make()`` (then kept under it)."""
        text = self._get(key)
        if text is None:
            text = make()
            self.encoded += 1
            self._put(key, text, True)
        else:
            self.reused += 1
            self._put(key, text, False)
        return text

    def pretty(self, item: Any, compact: str, indent: int, inner: str, default: Any = None) -> str:
        """``json.dumps(item, indent=indent, ensure_ascii=False, default=default)`` with each newline followed
        by ``inner`` (the element's depth); ``compact`` is ``json.dumps(item, ensure_ascii=False,
        default=default)``, the text that decides the key."""
        return self.text(
            self.pretty_key(compact, indent, inner),
            lambda: json.dumps(item, indent=indent, ensure_ascii=False, default=default).replace("\n", inner),
        )

    def line(self, compact: str, value: T, make: Callable[[T], str]) -> str:
        """``make(value)``, kept under ``compact`` (the JSON text of what ``make`` reads of ``value``)."""
        return self.text(
            hashlib.sha256(compact.encode("utf-8", "surrogatepass")).digest(), lambda: make(value)
        )

    def save(self) -> None:
        """Keep the fragments of this write and drop the others (no-op in memory)."""

    def close(self) -> None:
        """Release the cache file (without :meth:`save`, this write's changes to it are dropped)."""

    def __enter__(self) -> Fragments:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _StoredFragments(Fragments):
    """The cache in a SQLite file, looked up one key at a time (nothing of it is held in memory): new
    fragments are inserted and the keys used recorded in a temporary table as the file is written; ``save``
    deletes the fragments this write did not use and commits. Any SQLite error turns the cache off for the
    rest of the write (fragments are then encoded afresh: the same bytes); a file that is not a database
    is replaced."""

    def __init__(self, path: Path, table: str) -> None:
        super().__init__()
        self.path = path
        self.table = table
        self.db: sqlite3.Connection | None = None
        self.window: dict[bytes, str] = {}
        self.new: list[tuple[bytes, str]] = []
        self.used: list[tuple[bytes]] = []
        for attempt in range(2):
            try:
                self.db = self._open()
                break
            except sqlite3.DatabaseError:
                self.close()
                if attempt == 0:
                    with contextlib.suppress(OSError):
                        path.unlink()  # not a database (or damaged): start a new one
            except (sqlite3.Error, OSError):
                self.close()
                break

    def _open(self) -> sqlite3.Connection:
        self.db = db = sqlite3.connect(self.path, timeout=5)
        db.execute("PRAGMA journal_mode=DELETE")
        db.execute(f'CREATE TABLE IF NOT EXISTS "{self.table}" (key BLOB PRIMARY KEY, text TEXT NOT NULL)')
        db.execute("CREATE TEMP TABLE IF NOT EXISTS used (key BLOB PRIMARY KEY)")
        db.execute("DELETE FROM temp.used")
        db.commit()
        self.insert = f'INSERT OR REPLACE INTO "{self.table}" (key, text) VALUES (?, ?)'
        return db

    def _off(self) -> None:
        """Stop using the file for this write (its committed content stays valid: keys are content)."""
        self.close()

    def want(self, keys: list[bytes]) -> None:
        self._flush()
        self.window = {}
        if self.db is None or not keys:
            return
        try:
            for start in range(0, len(keys), BATCH):
                part = keys[start : start + BATCH]
                marks = ",".join("?" * len(part))
                query = f'SELECT key, text FROM "{self.table}" WHERE key IN ({marks})'
                self.window.update(
                    (bytes(k), v) for k, v in self.db.execute(query, part) if isinstance(v, str)
                )
        except sqlite3.Error:
            self._off()

    def _get(self, key: bytes) -> str | None:
        return self.window.get(key)

    def _put(self, key: bytes, text: str, new: bool) -> None:
        if self.db is None:
            return
        if new:
            self.window[key] = text
            self.new.append((key, text))
        self.used.append((key,))

    def _flush(self) -> None:
        new, used, self.new, self.used = self.new, self.used, [], []
        if self.db is None:
            return
        try:
            self.db.executemany(self.insert, new)
            self.db.executemany("INSERT OR IGNORE INTO temp.used (key) VALUES (?)", used)
        except sqlite3.Error:
            self._off()

    def save(self) -> None:
        self._flush()
        if self.db is None:
            return
        try:
            self.db.execute(f'DELETE FROM "{self.table}" WHERE key NOT IN (SELECT key FROM temp.used)')
            self.db.commit()
        except sqlite3.Error:
            self._off()

    def close(self) -> None:
        db, self.db = self.db, None
        if db is not None:
            with contextlib.suppress(sqlite3.Error):
                db.close()  # uncommitted changes are rolled back


def fragments(out_dir: Path | None, name: str) -> Fragments:
    """The fragment cache of output file ``name`` in ``out_dir`` (in memory only when ``out_dir`` is None)."""
    if out_dir is None:
        return Fragments()
    return _StoredFragments(out_dir / CACHE_NAME, _namespace(name))


def iter_pretty(items: Any, cache: Fragments, indent: int, inner: str, default: Any = None) -> Iterator[str]:
    """Each of ``items`` as its pretty text (see :meth:`Fragments.pretty`), looked up in batches."""
    dumps = json.dumps

    def encode(item: Any) -> str:
        return dumps(item, indent=indent, ensure_ascii=False, default=default).replace("\n", inner)

    source = iter(items)
    while chunk := list(itertools.islice(source, BATCH)):
        keys = [
            cache.pretty_key(dumps(item, ensure_ascii=False, default=default), indent, inner)
            for item in chunk
        ]
        cache.want(keys)
        for item, key in zip(chunk, keys, strict=True):
            yield cache.text(key, functools.partial(encode, item))
