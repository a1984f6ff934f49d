"""Look before writing: is an existing SQLite file a claimgraph workspace? Checked read-only.

Opening a store for writing switches SQLite to write-ahead logging and creates claimgraph's tables, and
the workspace lock puts a ``.lock`` file beside it. Done to somebody else's database (a ``--db`` typo, a
browser's history, another tool's file), that would change it before claimgraph refuses it. So before
either, :func:`check_sqlite_workspace` opens an existing file with SQLite's ``mode=ro`` and
``query_only`` and accepts only:

- a missing or empty (0-byte) file: a new workspace;
- a SQLite database with no tables: a new workspace in an empty database;
- a SQLite database holding claimgraph's ``meta`` table, written by this application with this schema.

Anything else is refused with the same coded errors ``Store.open`` gives (``E201`` for a file that is not
a SQLite database or holds other tables, ``E202`` for another schema), and the file is left byte for byte
as it was, its journal mode included.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import quote

from ..errors import Errors, StoreError

__all__ = ["check_sqlite_workspace"]

_APP = "claimgraph"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _read_tables(path: Path) -> tuple[set[str], dict[str, str] | None]:
    """The table names of the SQLite file at ``path`` and its ``meta`` rows (``None`` without ``meta``)."""
    uri = f"file:{quote(path.as_posix())}?mode=ro"
    conn = sqlite3.connect(uri, uri=True, timeout=30)
    try:
        conn.execute("PRAGMA query_only=ON")
        names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        meta = None
        if "meta" in names:
            meta = {str(k): str(v) for k, v in conn.execute("SELECT key, value FROM meta")}
        return names, meta
    finally:
        conn.close()


def check_sqlite_workspace(path: Path, schema_version: str, shown: str | None = None) -> None:
    """Raise :class:`StoreError` unless ``path`` is missing, empty, or a claimgraph workspace of
    ``schema_version`` (see the module docstring). Never writes to ``path``."""
    shown = shown or str(path)
    try:
        if not path.is_file() or path.stat().st_size == 0:
            return
    except OSError:
        return  # unreadable or vanished: Store.open reports it with its own error
    try:
        names, meta = _read_tables(path)
    except sqlite3.Error as exc:
        reason = _one_line(f"{type(exc).__name__}: {exc}")
        raise StoreError(Errors.E201.format(url=shown, reason=reason)) from None
    if meta is None:
        if names:
            foreign = ", ".join(sorted(names)[:5])
            raise StoreError(
                Errors.E201.format(
                    url=shown,
                    reason=f"the database holds tables that are not claimgraph's ({foreign}); use an empty database",
                )
            )
        return
    if not meta:
        # an empty ``meta``: another claimgraph process is creating this workspace right now (SQLite commits
        # each CREATE TABLE on its own, the meta rows come last); the lock and Store.open check it again
        return
    found = meta.get("schema_version")
    if meta.get("app", _APP) != _APP or found != schema_version:
        raise StoreError(Errors.E202.format(url=shown, found=found, expected=schema_version))
