"""One writer at a time: a workspace lock held for a whole ``analyze`` run.

- SQLite: an exclusive ``flock`` on ``<store>.lock`` beside the database file (the file keeps the holder's
  process id, shown in the "workspace busy" message). The lock dies with its process, so a killed run
  never leaves a stale lock behind; the file itself is harmless and reused.
- PostgreSQL: a session-level advisory lock (``pg_try_advisory_lock``) on a connection kept open for
  the run; it too is released when the process or connection ends.
- Other databases and in-memory SQLite: no lock.

A second run waits up to ``timeout`` seconds, polling, then raises :class:`~claimgraph.errors.StoreError`
``E303``. Readers (``export``) take no lock: the analysis is replaced in one transaction.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ..errors import Errors, StoreError
from ._preflight import check_sqlite_workspace
from ._tables import SCHEMA_VERSION
from ._urls import mask_url, normalise_url, sqlite_path

__all__ = ["LOCK_SUFFIX", "PG_LOCK_KEY", "workspace_lock"]

LOCK_SUFFIX = ".lock"
#: The advisory-lock key of a claimgraph workspace on PostgreSQL (a fixed 63-bit number: "claimgraph").
PG_LOCK_KEY = int.from_bytes(b"clmgraph", "big") & 0x7FFF_FFFF_FFFF_FFFF
_POLL = 0.1


def _busy(where: str, holder: str, waited: float) -> StoreError:
    return StoreError(Errors.E303.format(where=where, holder=holder, waited=waited))


def _try_flock(fd: int) -> bool:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
            return True
        except OSError:
            return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


def _holder(path: Path) -> str:
    try:
        pid = path.read_text(encoding="ascii", errors="replace").strip()
    except OSError:
        return ""
    return f" (process {pid})" if pid.isdigit() else ""


def _wait(attempt: Callable[[], bool], timeout: float, on_wait: Callable[[], None] | None) -> float | None:
    """Call ``attempt`` until it succeeds or ``timeout`` seconds pass; the seconds waited, or ``None``."""
    start = time.monotonic()
    told = False
    while True:
        if attempt():
            return time.monotonic() - start
        waited = time.monotonic() - start
        if waited >= timeout:
            return None
        if not told and on_wait is not None:
            on_wait()
            told = True
        time.sleep(min(_POLL, max(timeout - waited, 0.0)))


@contextlib.contextmanager
def _sqlite_lock(
    db: Path, timeout: float, on_wait: Callable[[], None] | None, shown: str | None = None
) -> Iterator[None]:
    path = db.with_name(db.name + LOCK_SUFFIX)
    check_sqlite_workspace(db, SCHEMA_VERSION, shown)  # no lock file beside somebody else's database
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise StoreError(
            Errors.E201.format(url=str(db), reason=f"cannot create the lock file {path}: {exc.strerror}")
        ) from None
    try:
        if _wait(lambda: _try_flock(fd), timeout, on_wait) is None:
            raise _busy(str(db), _holder(path), timeout)
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            os.pwrite(fd, str(os.getpid()).encode("ascii"), 0)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


@contextlib.contextmanager
def _postgres_lock(url: str, timeout: float, on_wait: Callable[[], None] | None) -> Iterator[None]:
    import sqlalchemy as sa

    from ._store import _reason

    masked = mask_url(url)
    try:
        engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
        conn = engine.connect()
    except (sa.exc.SQLAlchemyError, ImportError) as exc:
        raise StoreError(Errors.E201.format(url=masked, reason=_reason(exc))) from None
    try:

        def attempt() -> bool:
            got = conn.execute(sa.text("SELECT pg_try_advisory_lock(:k)"), {"k": PG_LOCK_KEY}).scalar()
            conn.commit()  # a session lock outlives the transaction; do not sit idle in one
            return bool(got)

        try:
            acquired = _wait(attempt, timeout, on_wait)
        except sa.exc.SQLAlchemyError as exc:
            raise StoreError(Errors.E201.format(url=masked, reason=_reason(exc))) from None
        if acquired is None:
            raise _busy(masked, "", timeout)
        yield
    finally:
        with contextlib.suppress(Exception):
            conn.close()  # ends the session: the advisory lock goes with it
        engine.dispose()


@contextlib.contextmanager
def workspace_lock(
    url_or_path: str | Path, timeout: float = 0.0, on_wait: Callable[[], None] | None = None
) -> Iterator[Any]:
    """Hold the workspace's writer lock for the ``with`` block (see the module docstring).

    ``on_wait`` is called once if the lock is taken and the call has to wait.
    """
    url = normalise_url(url_or_path)
    path = sqlite_path(url)
    if path is not None:
        with _sqlite_lock(path, timeout, on_wait, mask_url(url)):
            yield path
    elif url.startswith("postgresql"):
        with _postgres_lock(url, timeout, on_wait):
            yield url
    else:
        yield None
