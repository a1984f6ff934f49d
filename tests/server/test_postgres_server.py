"""The server over a PostgreSQL workspace (a real server started by the session fixture): pages, filters,
a correction re-grading its claim, full-text search, an API token."""

from __future__ import annotations

import re
from typing import Any

import pytest

from .conftest import csrf_of

pytestmark = pytest.mark.postgres


@pytest.fixture
def workspace_url(postgres_url: str) -> str:
    return postgres_url


def test_server_on_postgresql(make_client: Any) -> None:
    client = make_client(role="analyst")
    assert re.findall(r'href="/claims/(cl-[a-z]+)"', client.get("/claims?circular=1").text) == ["cl-arms"]
    assert "Admiralty F4" in client.get("/claims/cl-arms").text
    before = client.get("/api/v1/claims/cl-traffic").json()["claim"]["grade"]["credibility"]
    client.post(
        "/statements/st-4/correct", data={"csrf": csrf_of(client), "field": "stance", "value": "disputes"}
    )
    after = client.get("/api/v1/claims/cl-traffic").json()["claim"]["grade"]["credibility"]
    assert after > before
    hits = client.get("/api/v1/search?q=baseless").json()["items"]
    assert hits and hits[0]["href"].startswith("/documents/doc-a")
    page = client.post("/account/tokens", data={"csrf": csrf_of(client, "/account"), "label": "pg"})
    token = re.search(r'<code id="new-token">([^<]+)</code>', page.text)
    assert token
    other = make_client(role=None)
    assert (
        other.get("/api/v1/me", headers={"Authorization": f"Bearer {token.group(1)}"}).json()["role"]
        == "analyst"
    )
