"""The JSON API: the claimgraph/1 contract (each object validated against its definition in the JSON
Schema), pagination and filters, the OpenAPI document matching the routes, downloads."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from starlette.routing import Route

from claimgraph import model

from .conftest import csrf_of

SCHEMA = json.loads(
    (Path(model.__file__).resolve().parent / "schema" / "claimgraph-1.schema.json").read_text("utf-8")
)


def _check(obj: Any, definition: str) -> None:
    schema = {**SCHEMA, "$ref": f"#/$defs/{definition}"}
    schema.pop("required", None)
    schema.pop("properties", None)
    schema.pop("type", None)
    jsonschema.validate(obj, schema)


def test_the_check_can_fail() -> None:
    with pytest.raises(jsonschema.ValidationError):
        _check({"id": "cl-x"}, "claim")


def test_every_object_is_in_the_claimgraph_contract(make_client: Any) -> None:
    client = make_client(role="reader")
    claims = client.get("/api/v1/claims").json()
    assert claims["schema"] == "claimgraph/1" and claims["total"] == 2
    for c in claims["items"]:
        _check(c, "claim")
    one = client.get("/api/v1/claims/cl-arms").json()
    _check(one["claim"], "claim")
    assert {s["id"] for s in one["statements"]} == {"st-1", "st-2"}
    for s in one["statements"]:
        _check(s, "statement")
    for s in one["sources"]:
        _check(s, "source")
    for e in client.get("/api/v1/entities").json()["items"]:
        _check(e, "entity")
    ent = client.get("/api/v1/entities/ent-brannock").json()
    _check(ent["entity"], "entity")
    for r in ent["relations"]:
        _check(r, "relation")
    assert [e["id"] for e in ent["neighbours"]] == ["ent-saltreach"]
    assert [s["id"] for s in ent["evidence"]] == ["st-1"]
    for d in client.get("/api/v1/documents").json()["items"]:
        _check(d, "document")
    doc = client.get("/api/v1/documents/doc-a").json()
    _check(doc["document"], "document")
    _check(doc["sourcing"], "sourcing_profile")
    src = client.get("/api/v1/sources/src-varennick").json()
    _check(src["source"], "source")
    assert src["origin_of"] == ["cl-arms"]
    _check(client.get("/api/v1/statements/st-2").json()["statement"], "statement")


def test_filters_and_pagination(make_client: Any) -> None:
    client = make_client(role="reader")
    api = "/api/v1/claims"
    assert [c["id"] for c in client.get(f"{api}?circular=true").json()["items"]] == ["cl-arms"]
    assert [c["id"] for c in client.get(f"{api}?disputed=1&outlet=Harbour%20Ledger").json()["items"]] == [
        "cl-arms"
    ]
    page = client.get(f"{api}?sort=oldest&per_page=1&page=2").json()
    assert (page["total"], page["pages"], [c["id"] for c in page["items"]]) == (2, 2, ["cl-traffic"])
    assert client.get(f"{api}?page=zz").status_code == 400
    docs = client.get("/api/v1/documents?from=2025-02-05").json()
    assert [d["id"] for d in docs["items"]] == ["doc-b"]
    assert client.get("/api/v1/claims/nope").status_code == 404
    hits = client.get("/api/v1/search?q=baseless").json()["items"]
    assert hits and hits[0]["href"].startswith("/documents/doc-a")


def test_openapi_document_matches_the_routes(make_client: Any) -> None:
    client = make_client(role="reader")
    doc = client.get("/api/v1/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    served = {
        (re.sub(r"^/api/v1", "", r.path), m.lower())
        for r in client.app.routes
        if isinstance(r, Route) and r.path.startswith("/api/v1")
        for m in (r.methods or ())
        if m != "HEAD"
    }
    described = {(path, method) for path, item in doc["paths"].items() for method in item}
    assert served == described
    # every $ref resolves, and the contract's definitions are the JSON Schema's
    text = json.dumps(doc)
    for ref in set(re.findall(r'"\$ref": "#/components/schemas/([a-z_]+)"', text)):
        assert ref in doc["components"]["schemas"], ref
    assert set(SCHEMA["$defs"]) <= set(doc["components"]["schemas"])
    # each described response validates what the route returns
    resolver_doc = {"components": doc["components"]}
    for path, sample in (
        ("/claims", "/api/v1/claims"),
        ("/claims/{claim_id}", "/api/v1/claims/cl-arms"),
        ("/entities/{entity_id}", "/api/v1/entities/ent-brannock"),
        ("/documents/{doc_id}", "/api/v1/documents/doc-a"),
    ):
        schema = doc["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        jsonschema.validate(client.get(sample).json(), {**resolver_doc, **schema})


def test_downloads_of_every_format(make_client: Any) -> None:
    client = make_client(role="reader")
    html = client.get("/downloads").text
    for fmt in ("json", "stix", "graphml", "csv", "html"):
        assert f'href="/downloads/{fmt}"' in html
        response = client.get(f"/downloads/{fmt}")
        assert response.status_code == 200, fmt
        assert "attachment" in response.headers["content-disposition"]
        assert response.content, fmt
    data = client.get("/downloads/json").json()
    assert data["schema"] == "claimgraph/1" and len(data["claims"]) == 2
    stix = client.get("/api/v1/exports/stix").json()
    assert stix["type"] == "bundle"
    names = zipfile.ZipFile(io.BytesIO(client.get("/downloads/csv").content)).namelist()
    assert "claims.csv" in names and "statements.csv" in names


def test_corrections_are_in_the_exports(make_client: Any) -> None:
    client = make_client(role="analyst")
    client.post(
        "/statements/st-3/correct", data={"csrf": csrf_of(client), "field": "stance", "value": "denies"}
    )
    data = client.get("/downloads/json").json()
    st3 = next(s for s in data["statements"] if s["id"] == "st-3")
    assert st3["stance"] == "denies"


def test_add_urls_makes_a_job(make_client: Any) -> None:
    client = make_client(role="analyst")
    token = csrf_of(client)
    response = client.post(
        "/api/v1/jobs", json={"urls": ["https://example.org/a"]}, headers={"X-CSRF-Token": token}
    )
    assert response.status_code == 202
    job = response.json()["job"]
    assert job["status"] in ("queued", "pending")
    assert client.get(f"/api/v1/jobs/{job['id']}").json()["job"]["id"] == job["id"]
    assert (
        client.post(
            "/api/v1/jobs", json={"urls": ["file:///etc/passwd"]}, headers={"X-CSRF-Token": token}
        ).status_code
        == 400
    )
    page = client.post(
        "/add/url", data={"csrf": token, "urls": "https://example.org/b"}, follow_redirects=False
    )
    assert page.status_code == 303 and page.headers["location"].startswith("/jobs/")
    assert "example.org/b" in client.get(page.headers["location"]).text
