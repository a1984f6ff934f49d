"""``claimgraph serve``: the newsroom server (an ASGI app: Starlette, served by uvicorn) over a workspace.

Pages (Jinja, reusing the report's macros and stylesheet), a JSON API under ``/api/v1`` with its OpenAPI
document, accounts, sessions, CSRF tokens and API tokens, analysis jobs run by the workspace's worker,
corrections and downloads. See ``docs/server.md``. Needs the ``server`` extra
(``pip install -e ".[server]"``); nothing here is imported by ``claimgraph --help``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from starlette.applications import Starlette

__all__ = ["create_app", "serve"]


def create_app(db: str, **kwargs: Any) -> Starlette:
    """The app over the workspace at ``db`` (URL or SQLite path); see :func:`claimgraph.server.app.create_app`."""
    from .app import create_app as _create
    from .backend import Backend

    return _create(Backend.open(db), **kwargs)


def serve(
    db: str, host: str = "127.0.0.1", port: int = 8000, *, worker: bool = True, **uvicorn_options: Any
) -> None:
    """Run the server until interrupted (uvicorn, one process: sessions and the snapshot live in memory)."""
    import uvicorn

    app = create_app(db, worker=worker)
    # keep-alive as long as browsers and proxies keep idle connections (uvicorn's 5 s default closes them
    # under readers who pause, and a request racing the close fails)
    options: dict[str, Any] = {
        "log_level": "info",
        "proxy_headers": True,
        "timeout_keep_alive": 75,
        **uvicorn_options,
    }
    uvicorn.run(app, host=host, port=port, **options)
