"""The ASGI application: :func:`create_app` builds it over one workspace.

Nothing is reachable without logging in except ``/login``, ``/healthz`` and the static stylesheet and
script: :class:`AuthMiddleware` refuses every other request from an anonymous client (a redirect to the
login page for pages, 401 for the API) before any route runs.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .auth import COOKIE, Principal, RateLimiter, SessionStore
from .backend import Backend
from .web import Templates, read_form, security_headers

__all__ = ["PUBLIC_PATHS", "create_app"]

_HERE = Path(__file__).resolve().parent
#: Paths an anonymous client may open (exactly, or under ``/static/``).
PUBLIC_PATHS = frozenset({"/login", "/healthz", "/favicon.ico"})
#: Folders of static files (stylesheets, the script), public too: they hold no workspace data.
PUBLIC_PREFIXES = ("/static/", "/static-report/")


def _tls(scope: Scope) -> bool:
    return scope.get("scheme") in ("https", "wss")


class AuthMiddleware:
    """Finds who is asking (session cookie or ``Authorization: Bearer`` API token) and refuses anonymous
    requests to anything but the public paths; adds the security headers to every response."""

    def __init__(self, app: ASGIApp, backend: Backend, sessions: SessionStore) -> None:
        self.app = app
        self.backend = backend
        self.sessions = sessions
        self._users: dict[Any, tuple[float, Any]] = {}

    def _cached_principal(self, request: Request) -> Principal | bool | None:
        """The principal when it is known without the store (a session whose user was looked up in the
        last seconds); ``False`` when the store must be asked."""
        if request.headers.get("authorization"):
            return False
        sid = request.cookies.get(COOKIE)
        found = self.sessions.get(sid)
        if found is None:
            return None
        hit = self._users.get(found[0])
        if hit is None or hit[0] <= time.monotonic():
            return False
        user = hit[1]
        if user is None or getattr(user, "disabled", False):
            return None
        return Principal(user, "session", csrf=found[1], session_id=sid or "")

    def _user(self, user_id: Any) -> Any:
        hit = self._users.get(user_id)
        now = time.monotonic()
        if hit is not None and hit[0] > now:
            return hit[1]
        user = self.backend.user(user_id)
        self._users[user_id] = (now + 2.0, user)
        return user

    def _principal(self, request: Request) -> Principal | None:
        auth = request.headers.get("authorization", "")
        if auth[:7].lower() == "bearer ":
            user = self.backend.verify_token(auth[7:].strip())
            return Principal(user, "token") if user is not None else None
        sid = request.cookies.get(COOKIE)
        found = self.sessions.get(sid)
        if found is None:
            return None
        user = self._user(found[0])
        if user is None or getattr(user, "disabled", False):
            return None
        return Principal(user, "session", csrf=found[1], session_id=sid or "")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        path = scope["path"]
        tls = _tls(scope)

        async def send_secure(message: Message) -> None:
            if message["type"] == "http.response.start":
                response = Response(status_code=message["status"])
                response.raw_headers = list(message.get("headers", []))
                security_headers(response, tls)
                message["headers"] = response.raw_headers
            await send(message)

        cached = self._cached_principal(request)
        who = cached if cached is not False else await _in_thread(self._principal, request)
        scope.setdefault("state", {})["principal"] = who
        if who is None and path not in PUBLIC_PATHS and not path.startswith(PUBLIC_PREFIXES):
            response: Response
            if path.startswith("/api/"):
                response = JSONResponse({"error": "authentication required"}, status_code=401)
                response.headers["WWW-Authenticate"] = 'Bearer realm="claimgraph"'
            elif request.method in ("GET", "HEAD"):
                response = RedirectResponse(f"/login?next={quote(path, safe='/')}", status_code=303)
            else:
                response = PlainTextResponse("authentication required", status_code=401)
            await response(scope, receive, send_secure)
            return
        await self.app(scope, receive, send_secure)


async def _in_thread(func: Any, *args: Any) -> Any:
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(func, *args)


def _safe_next(value: str | None) -> str:
    """Only a local path (``/claims``), never another site (``//evil``, ``https://…``)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/claims"
    return value


def create_app(
    backend: Backend,
    *,
    upload_dir: Path | None = None,
    worker: bool = True,
    login_attempts: int | None = None,
) -> Starlette:
    """The app over ``backend``; ``worker`` starts the workspace's job worker in a thread for the app's
    lifetime; uploads are kept under ``upload_dir`` (default: a folder beside a SQLite store, else a
    temporary folder)."""
    from . import api, pages

    templates = Templates()
    sessions = SessionStore()
    limiter = RateLimiter() if login_attempts is None else RateLimiter(attempts=login_attempts)

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def favicon(request: Request) -> Response:
        return Response(status_code=204)

    async def login_page(request: Request) -> Response:
        return templates.render(
            request, "login.html.j2", error="", next=_safe_next(request.query_params.get("next"))
        )

    async def login(request: Request) -> Response:
        form = await request.form(max_files=0, max_fields=10)
        name = str(form.get("name", ""))[:200]
        password = str(form.get("password", ""))[:1000]
        nxt = _safe_next(str(form.get("next", "")))
        client = request.client.host if request.client else "?"
        keys = (f"ip:{client}", f"user:{name.casefold()}")
        if limiter.blocked(*keys):
            return templates.render(
                request,
                "login.html.j2",
                status=429,
                error="Too many failed attempts; wait a few minutes.",
                next=nxt,
            )
        user = await _in_thread(backend.authenticate, name, password)
        if user is None:
            limiter.fail(*keys)
            return templates.render(
                request, "login.html.j2", status=401, error="Wrong name or password.", next=nxt
            )
        limiter.reset(f"user:{name.casefold()}")
        sid, _ = sessions.create(user.id)
        await _in_thread(backend.audit, user, "login", f"user:{user.id}", None)
        response = RedirectResponse(nxt, status_code=303)
        response.set_cookie(
            COOKIE,
            sid,
            httponly=True,
            samesite="lax",
            secure=_tls(request.scope),
            path="/",
            max_age=int(sessions.lifetime),
        )
        return response

    async def logout(request: Request) -> Response:
        await read_form(request, write=False)
        who = request.state.principal
        if who.session_id:
            sessions.drop(who.session_id)
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(COOKIE, path="/")
        return response

    async def home(request: Request) -> Response:
        return RedirectResponse("/claims", status_code=303)

    if upload_dir is None:
        upload_dir = _default_upload_dir(backend)
    context = pages.Context(backend=backend, templates=templates, upload_dir=upload_dir, sessions=sessions)
    routes: list[BaseRoute] = [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/favicon.ico", favicon, methods=["GET"]),
        Route("/login", login_page, methods=["GET"]),
        Route("/login", login, methods=["POST"]),
        Route("/logout", logout, methods=["POST"]),
        Route("/", home, methods=["GET"]),
        *pages.routes(context),
        *api.routes(context),
        Mount("/static", app=StaticFiles(directory=str(_HERE / "static")), name="static"),
        Mount(
            "/static-report",
            app=StaticFiles(directory=str(_HERE.parent / "outputs" / "static")),
            name="report",
        ),
    ]

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        stop = threading.Event()
        thread = None
        if worker:
            thread = threading.Thread(
                target=backend.run_worker, args=(stop,), name="claimgraph-worker", daemon=True
            )
            thread.start()
        try:
            yield
        finally:
            stop.set()
            if thread is not None:
                thread.join(timeout=30)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": exc.detail}, status_code=exc.status_code)
        return templates.render(
            request, "error.html.j2", status=exc.status_code, status_code=exc.status_code, detail=exc.detail
        )

    app = Starlette(routes=routes, lifespan=lifespan, exception_handlers={HTTPException: http_error})
    app.state.backend = backend
    app.state.sessions = sessions
    app.add_middleware(AuthMiddleware, backend=backend, sessions=sessions)
    return app


def _default_upload_dir(backend: Backend) -> Path:
    import tempfile

    url = str(getattr(backend.store, "url", ""))
    if url.startswith("sqlite:///") and len(url) > len("sqlite:///"):
        db = Path(url[len("sqlite:///") :])
        return db.with_name(db.name + ".uploads")
    return Path(tempfile.gettempdir()) / "claimgraph-uploads"
