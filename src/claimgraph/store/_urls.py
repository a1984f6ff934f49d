"""Database URLs: bare paths, SQLite defaults, PostgreSQL driver normalisation, password masking."""

from __future__ import annotations

import re
from pathlib import Path

__all__ = ["DB_FILENAME", "default_db_url", "mask_url", "normalise_url", "sqlite_path"]

DB_FILENAME = "claimgraph.db"

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")
_PASSWORD = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*://[^:/@]*:)([^@]*)(@)")


def default_db_url(out_dir: Path | str | None) -> str:
    """``sqlite:///OUT/claimgraph.db`` (absolute), or ``./claimgraph.db`` when there is no output folder."""
    folder = Path(out_dir) if out_dir is not None else Path.cwd()
    return f"sqlite:///{(folder / DB_FILENAME).resolve().as_posix()}"


def normalise_url(url_or_path: str | Path) -> str:
    """Turn what a user typed into a SQLAlchemy URL.

    A bare path (``out/claimgraph.db``) becomes ``sqlite:///<absolute path>``; ``postgresql://`` and
    ``postgres://`` use the psycopg 3 driver (``postgresql+psycopg://``). Other URLs pass unchanged.
    """
    text = str(url_or_path).strip()
    if not _SCHEME.match(text) and not text.startswith("sqlite:"):
        return f"sqlite:///{Path(text).expanduser().resolve().as_posix()}"
    for prefix in ("postgresql://", "postgres://"):
        if text.startswith(prefix):
            return "postgresql+psycopg://" + text[len(prefix) :]
    return text


def sqlite_path(url: str) -> Path | None:
    """The database file of a SQLite URL, or ``None`` (not SQLite, or in memory)."""
    if not url.startswith("sqlite"):
        return None
    _, _, rest = url.partition(":///")
    rest = rest.split("?", 1)[0]
    if not rest or rest == ":memory:":
        return None
    return Path(rest)


def mask_url(url: str) -> str:
    """The URL with its password replaced by ``***`` (safe to show in messages and logs)."""
    return _PASSWORD.sub(r"\1***\3", url)
