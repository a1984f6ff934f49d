"""Access control: every route refuses anonymous clients, writes need the CSRF token and a writing role,
API tokens work until revoked, logins are rate-limited, cookies and headers are set as documented."""

from __future__ import annotations

import re
from typing import Any

import pytest
from starlette.routing import Mount, Route

from .conftest import PASSWORD, csrf_of, login

PUBLIC = {"/login", "/healthz", "/favicon.ico"}


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "x", path)


def _routes(app: Any) -> list[tuple[str, str]]:
    """Every (method, path) the app serves, from its route table."""
    out = []
    for route in app.routes:
        if isinstance(route, Route):
            for method in sorted(route.methods or ()):
                if method != "HEAD":
                    out.append((method, route.path))
        elif isinstance(route, Mount):
            out.append(("GET", route.path + "/report.css"))
    return out


def test_every_route_refuses_anonymous_access(make_client: Any) -> None:
    client = make_client(role=None)
    routes = _routes(client.app)
    assert len(routes) > 30, "the route table was not enumerated"
    checked = 0
    for method, path in routes:
        if path in PUBLIC or path.startswith("/static"):
            continue
        url = _concrete(path)
        response = client.request(method, url, follow_redirects=False)
        if path.startswith("/api/"):
            assert response.status_code == 401, (method, path, response.status_code)
            assert response.json() == {"error": "authentication required"}
        elif method == "GET":
            assert response.status_code == 303, (method, path, response.status_code)
            assert response.headers["location"].startswith("/login?next=")
        else:
            assert response.status_code == 401, (method, path, response.status_code)
        assert "Saltreach" not in response.text and "Brannock" not in response.text
        checked += 1
    assert checked >= 30
    # the public ones are exactly these, and show no workspace data
    assert client.get("/healthz").json() == {"status": "ok"}
    assert "Brannock" not in client.get("/login").text


def test_static_files_hold_no_workspace_data(make_client: Any) -> None:
    client = make_client(role=None)
    assert client.get("/static/server.css").status_code == 200
    assert client.get("/static-report/report.css").status_code == 200
    for path in ("/static/../app.py", "/static/%2e%2e/app.py", "/static/..%2fapp.py"):
        response = client.get(path, follow_redirects=False)
        assert "def create_app" not in response.text and response.status_code != 200


def test_session_cookie_flags(make_client: Any) -> None:
    client = make_client(role=None)
    response = login(client, "reader-user")
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "samesite=lax" in cookie.lower()
    assert "Secure" not in cookie  # plain http
    tls = make_client(role=None, corpus=False)
    tls.base_url = "https://testserver"
    cookie = login(tls, "reader-user").headers["set-cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie


def test_security_headers_on_every_page(make_client: Any) -> None:
    client = make_client(role="reader")
    for path in ("/claims", "/login", "/api/v1/claims", "/healthz"):
        response = client.get(path)
        csp = response.headers["content-security-policy"]
        assert "default-src 'none'" in csp and "unsafe-inline" not in csp
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"


def test_wrong_password_and_logout(make_client: Any) -> None:
    client = make_client(role=None)
    bad = client.post("/login", data={"name": "reader-user", "password": "nope"}, follow_redirects=False)
    assert bad.status_code == 401
    assert client.get("/claims", follow_redirects=False).status_code == 303
    login(client, "reader-user")
    assert client.get("/claims").status_code == 200
    token = csrf_of(client)
    client.post("/logout", data={"csrf": token}, follow_redirects=False)
    assert client.get("/claims", follow_redirects=False).status_code == 303


def test_login_redirect_stays_on_this_site(make_client: Any) -> None:
    client = make_client(role=None)
    for target, expected in (
        ("/claims/cl-arms", "/claims/cl-arms"),
        ("//evil.example/", "/claims"),
        ("https://evil.example", "/claims"),
    ):
        response = client.post(
            "/login",
            data={"name": "reader-user", "password": PASSWORD, "next": target},
            follow_redirects=False,
        )
        assert response.headers["location"] == expected


def test_login_is_rate_limited(make_client: Any) -> None:
    client = make_client(role=None)
    for _ in range(5):
        assert client.post("/login", data={"name": "analyst-user", "password": "guess"}).status_code == 401
    blocked = client.post(
        "/login", data={"name": "analyst-user", "password": PASSWORD}, follow_redirects=False
    )
    assert blocked.status_code == 429
    assert client.get("/claims", follow_redirects=False).status_code == 303


def _post_routes(app: Any) -> list[str]:
    return [
        r.path
        for r in app.routes
        if isinstance(r, Route) and "POST" in (r.methods or ()) and r.path != "/login"
    ]


def test_post_without_csrf_token_is_refused(make_client: Any) -> None:
    client = make_client(role="admin")
    paths = _post_routes(client.app)
    assert "/statements/{statement_id}/correct" in paths and "/add/upload" in paths
    for path in paths:
        url = _concrete(path).replace("/statements/x/", "/statements/st-1/")
        response = client.post(url, data={"field": "stance", "value": "denies"}, follow_redirects=False)
        assert response.status_code == 403, (path, response.status_code)
        wrong = client.post(
            url, data={"csrf": "forged", "field": "stance", "value": "denies"}, follow_redirects=False
        )
        assert wrong.status_code == 403, (path, wrong.status_code)
    # nothing was changed
    assert client.get("/api/v1/statements/st-1").json()["statement"]["stance"] == "supports"
    # and with the token it goes through
    ok = client.post(
        "/statements/st-1/correct",
        data={"csrf": csrf_of(client), "field": "stance", "value": "denies"},
        follow_redirects=False,
    )
    assert ok.status_code == 303
    assert client.get("/api/v1/statements/st-1").json()["statement"]["stance"] == "denies"


def test_a_readers_write_is_refused(make_client: Any) -> None:
    client = make_client(role="reader")
    token = csrf_of(client)
    for url, data in (
        ("/statements/st-1/correct", {"csrf": token, "field": "stance", "value": "denies"}),
        ("/add/url", {"csrf": token, "urls": "https://example.org/a"}),
    ):
        assert client.post(url, data=data, follow_redirects=False).status_code == 403
    assert (
        client.post(
            "/api/v1/jobs", json={"urls": ["https://example.org/a"]}, headers={"X-CSRF-Token": token}
        ).status_code
        == 403
    )
    assert client.get("/api/v1/statements/st-1").json()["statement"]["stance"] == "supports"
    assert client.get("/api/v1/jobs").json()["items"] == []
    assert "Save correction" not in client.get("/claims/cl-arms").text


def test_api_token_works_until_revoked(make_client: Any) -> None:
    client = make_client(role="analyst")
    page = client.post("/account/tokens", data={"csrf": csrf_of(client, "/account"), "label": "script"})
    token = re.search(r'<code id="new-token">([^<]+)</code>', page.text)
    assert token, page.text
    plain = token.group(1)
    anonymous = make_client(role=None, corpus=False)
    headers = {"Authorization": f"Bearer {plain}"}
    assert anonymous.get("/api/v1/claims", headers=headers).status_code == 200
    assert anonymous.get("/api/v1/me", headers=headers).json()["name"] == "analyst-user"
    # a token is a credential for scripts: no CSRF token needed, the role still applies
    response = anonymous.post(
        "/api/v1/statements/st-3/corrections", json={"value": "disputes"}, headers=headers
    )
    assert response.status_code == 201
    assert anonymous.get("/api/v1/claims", headers={"Authorization": "Bearer wrong"}).status_code == 401
    token_id = re.search(r'action="/account/tokens/([^/]+)/revoke"', client.get("/account").text)
    assert token_id
    client.post(f"/account/tokens/{token_id.group(1)}/revoke", data={"csrf": csrf_of(client, "/account")})
    assert anonymous.get("/api/v1/claims", headers=headers).status_code == 401


@pytest.mark.parametrize("role", ["reader", "analyst", "admin"])
def test_every_role_reads(make_client: Any, role: str) -> None:
    client = make_client(role=role)
    assert client.get("/claims").status_code == 200
    assert client.get("/api/v1/claims").json()["total"] == 2
