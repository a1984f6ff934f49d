"""Shared web plumbing: templates (reusing the report's macros and CSS), security headers, the current
principal, CSRF-checked write forms."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from ..outputs.report import CREDIBILITY, ESTIMATIVE, RELIABILITY, STANCE_VERBS, _safe_url
from .auth import Principal, csrf_ok

__all__ = ["CSP", "Templates", "principal", "read_form", "security_headers"]

_HERE = Path(__file__).resolve().parent
_REPORT_TEMPLATES = _HERE.parent / "outputs" / "templates"

#: The same policy as the report's, for a served site: our own stylesheet and script only, no inline code,
#: forms post only to this server, never framed.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)


def security_headers(response: Response, tls: bool) -> None:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "no-referrer")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cache-Control", "no-store")
    if tls:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")


class _Loader(jinja2.BaseLoader):
    """The server's templates, plus ``report_macros.j2``: the report template's macros (everything before
    its ``<html``), so badges and quotes look exactly as in ``report.html``."""

    def __init__(self) -> None:
        self._own = jinja2.FileSystemLoader(str(_HERE / "templates"))

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        if template == "report_macros.j2":
            path = _REPORT_TEMPLATES / "report.html.j2"
            text = path.read_text(encoding="utf-8")
            cut = text.find("<html")
            macros = text[:cut] if cut >= 0 else ""
            macros = macros.replace("<!DOCTYPE html>", "", 1)
            return macros, str(path), lambda: True
        return self._own.get_source(environment, template)


class Templates:
    def __init__(self) -> None:
        from .. import __version__

        self.env = jinja2.Environment(
            loader=_Loader(),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=False,
        )
        self.env.globals.update(
            version=__version__,
            QUOTES_SHOWN=6,
            QUOTES_MAX=40,
            QUOTE_MARKS="\"'“‘«„",
            credibility=CREDIBILITY,
            reliability=RELIABILITY,
            estimative=ESTIMATIVE,
            stance_verbs=STANCE_VERBS,
            safe_url=_safe_url,
            urlencode=urlencode,
        )

    def render(self, request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        who: Principal | None = getattr(request.state, "principal", None)
        template = self.env.get_template(name)
        page = template.render(request=request, who=who, csrf=who.csrf if who else "", **context)
        return HTMLResponse(page, status_code=status)


def principal(request: Request) -> Principal:
    who: Principal | None = getattr(request.state, "principal", None)
    if who is None:  # the middleware lets no anonymous request through; this is a second lock
        raise HTTPException(401)
    return who


async def read_form(request: Request, *, write: bool = True) -> dict[str, Any]:
    """The request's form (or JSON body), after the CSRF check for session requests and the role check
    for writes. Raises 403 on a missing or wrong CSRF token, or a reader's write."""
    who = principal(request)
    content_type = request.headers.get("content-type", "")
    data: dict[str, Any]
    if content_type.startswith("application/json"):
        try:
            body = json.loads(await request.body() or b"{}")
        except ValueError:
            raise HTTPException(400, "the body is not JSON") from None
        data = body if isinstance(body, dict) else {}
    else:
        form = await request.form(max_files=200, max_fields=200)
        data = {}
        try:
            items = [(k, await _upload(v) if isinstance(v, UploadFile) else v) for k, v in form.multi_items()]
        finally:
            await form.close()
        for key, value in items:
            if key in data:
                prev = data[key]
                data[key] = [*prev, value] if isinstance(prev, list) else [prev, value]
            else:
                data[key] = value
    if who.via == "session":
        given = request.headers.get("x-csrf-token") or data.get("csrf")
        if not csrf_ok(who.csrf, given if isinstance(given, str) else None):
            raise HTTPException(403, "missing or wrong CSRF token: reload the page and try again")
    if write and not who.can_write:
        raise HTTPException(403, "readers cannot change the workspace")
    return data


@dataclass
class Upload:
    """An uploaded file, read (the form's spooled temporary file is closed at once)."""

    filename: str
    data: bytes


async def _upload(value: UploadFile) -> Upload:
    return Upload(value.filename or "", await value.read())


Handler = Callable[[Request], Awaitable[Response]]


def json_response(data: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(data, status_code=status)
