"""What ``claimgraph serve`` runs (kept here so that ``claimgraph --help`` imports none of it)."""

from __future__ import annotations

import secrets
from typing import Any

__all__ = ["ensure_admin", "run_server"]


def ensure_admin(db: str, name: str) -> str | None:
    """Create the admin ``name`` with a generated password unless the account exists; the password, or
    ``None`` when the account was already there."""
    from ..workspace import Workspace

    ws = Workspace.open(db)
    try:
        if ws.users.by_name(name) is not None:
            return None
        password = secrets.token_urlsafe(12)
        ws.users.add(name, password, "admin")
        return password
    finally:
        close = getattr(ws, "close", None)
        if close is not None:
            close()


def run_server(db: str, host: str, port: int, *, worker: bool = True, **uvicorn_options: Any) -> None:
    from . import serve

    serve(db, host, port, worker=worker, **uvicorn_options)
