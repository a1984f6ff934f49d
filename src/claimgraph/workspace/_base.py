"""Plumbing shared by the workspace's parts: the store's engine and transactions, times, errors."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ..errors import Errors, WorkspaceError

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

    from ..store import Store

__all__ = ["Part", "invalid", "missing", "now"]


def now() -> str:
    """The current UTC time, ISO 8601 with microseconds and ``Z`` (sorts as text)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def invalid(what: str, reason: str) -> WorkspaceError:
    return WorkspaceError(Errors.E403.format(what=what, reason=reason))


def missing(what: str, ident: object) -> WorkspaceError:
    return WorkspaceError(Errors.E402.format(what=what, ident=ident))


class Part:
    """One part of a :class:`~claimgraph.workspace.Workspace` (users, tokens, jobs...) over its store.

    Uses the store's engine and its error mapping: every database failure is a
    :class:`~claimgraph.errors.StoreError` naming the (masked) URL, never a driver exception.
    """

    def __init__(self, store: Store) -> None:
        self.store = store

    @property
    def engine(self) -> Engine:
        return self.store._engine

    @property
    def dialect(self) -> str:
        return str(self.engine.dialect.name)

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """One transaction (committed at the end of the block, rolled back on an exception)."""
        with self.store._begin() as conn:
            yield conn

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        """A connection for reading."""
        with self.store._errors(), self.engine.connect() as conn:
            yield conn


def as_json(value: Any) -> Any:
    import json

    if isinstance(value, str | bytes):
        return json.loads(value)
    return value
