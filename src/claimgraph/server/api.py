"""The JSON API under ``/api/v1``: every page's data, paginated and filterable, in the ``claimgraph/1``
contract (each claim, statement, entity, source, document, relation and sourcing profile is exactly the
object ``claimgraph.json`` holds), and its OpenAPI document at ``/api/v1/openapi.json``."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from ..model import SCHEMA
from .backend import STANCES
from .data import ClaimFilter, Page, Snapshot, paginate
from .exports import EXPORTS, export_response
from .views import alerts, field_of, job_view, plain, search_hits
from .web import principal, read_form

__all__ = ["openapi", "routes"]

PREFIX = "/api/v1"
_SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schema" / "claimgraph-1.schema.json"


def _ok(data: dict[str, Any], status: int = 200) -> JSONResponse:
    return JSONResponse({"schema": SCHEMA, **data}, status_code=status)


def _page(page: Page, items: list[Any]) -> dict[str, Any]:
    return {"items": items, **page.meta()}


def _page_args(request: Request, per_page: int = 25) -> tuple[int, int]:
    def num(name: str, default: int) -> int:
        try:
            return int(request.query_params.get(name, default))
        except ValueError:
            raise HTTPException(400, f"{name} must be a whole number") from None

    return num("page", 1), num("per_page", per_page)


async def _snap(ctx: Any) -> Snapshot:
    s = ctx.backend.snapshots.ready()
    if s is None:
        s = await run_in_threadpool(ctx.backend.snapshot)
    return s


def _meta_routes(ctx: Any) -> list[BaseRoute]:
    """This document and who is asking."""

    async def openapi_route(request: Request) -> Response:
        return JSONResponse(openapi())

    async def me(request: Request) -> Response:
        who = principal(request)
        return _ok({"name": who.name, "role": who.role, "via": who.via})

    return [
        Route(f"{PREFIX}/openapi.json", openapi_route, methods=["GET"]),
        Route(f"{PREFIX}/me", me, methods=["GET"]),
    ]


def _claim_routes(ctx: Any) -> list[BaseRoute]:
    """Claims: the filtered list and one claim."""

    async def claims(request: Request) -> Response:
        s = await _snap(ctx)
        _page_args(request)
        page = s.claims(ClaimFilter.from_query(request.query_params))
        return _ok(_page(page, [c.to_dict() for c in page.items]))

    async def claim(request: Request) -> Response:
        s = await _snap(ctx)
        item = s.claim(request.path_params["claim_id"])
        if item is None:
            raise HTTPException(404, "no such claim")
        statements = s.claim_statements(item.id)
        source_ids = dict.fromkeys([*item.origin_source_ids, *(st.source_id for st in statements)])
        return _ok(
            {
                "claim": item.to_dict(),
                "headline": s.headline(item),
                "statements": [st.to_dict() for st in statements],
                "sources": [src.to_dict() for sid in source_ids if (src := s.source(sid)) is not None],
                "timeline": s.timeline_for(item.id),
            }
        )

    return [
        Route(f"{PREFIX}/claims", claims, methods=["GET"]),
        Route(f"{PREFIX}/claims/{{claim_id}}", claim, methods=["GET"]),
    ]


def _entity_routes(ctx: Any) -> list[BaseRoute]:
    """Entities: the list and one entity with its neighbourhood."""

    async def entities(request: Request) -> Response:
        s = await _snap(ctx)
        q = request.query_params.get("q", "").strip().casefold()
        kind = request.query_params.get("type", "")
        items = [
            e for e in s.corpus.entities if (not q or q in e.name.casefold()) and (not kind or e.type == kind)
        ]
        items.sort(key=lambda e: (-e.mentions, e.name.casefold(), e.id))
        page = paginate(items, *_page_args(request))
        return _ok(_page(page, [e.to_dict() for e in page.items]))

    async def entity(request: Request) -> Response:
        s = await _snap(ctx)
        ent = s.entity(request.path_params["entity_id"])
        if ent is None:
            raise HTTPException(404, "no such entity")
        about = sorted(s.claims_by_entity.get(ent.id, []), key=lambda c: (-c.attention, c.id))
        by = sorted(s.claims_by(ent.id), key=lambda c: (-c.attention, c.id))
        relations = s.relations_by_entity.get(ent.id, [])
        neighbours = {r.object if r.subject == ent.id else r.subject for r in relations}
        evidence = {sid for r in relations for sid in r.statement_ids}
        return _ok(
            {
                "entity": ent.to_dict(),
                "claims_about": [c.to_dict() for c in about[:100]],
                "claims_about_total": len(about),
                "claims_by": [c.to_dict() for c in by[:100]],
                "claims_by_total": len(by),
                "relations": [r.to_dict() for r in relations],
                "neighbours": [e.to_dict() for eid in sorted(neighbours) if (e := s.entity(eid)) is not None],
                "evidence": [
                    st.to_dict() for sid in sorted(evidence) if (st := s.statement(sid)) is not None
                ],
                "sources": [src.to_dict() for src in s.sources_by_entity.get(ent.id, [])],
            }
        )

    return [
        Route(f"{PREFIX}/entities", entities, methods=["GET"]),
        Route(f"{PREFIX}/entities/{{entity_id}}", entity, methods=["GET"]),
    ]


def _document_routes(ctx: Any) -> list[BaseRoute]:
    """Documents, sources and statements."""

    async def documents(request: Request) -> Response:
        s = await _snap(ctx)
        outlet = request.query_params.get("outlet", "").casefold()
        date_from, date_to = request.query_params.get("from", ""), request.query_params.get("to", "")
        docs = [
            d
            for d in s.corpus.documents
            if (not outlet or (d.outlet or "").casefold() == outlet)
            and (not date_from or (d.published or "") >= date_from)
            and (not date_to or (d.published or "9999") <= date_to)
        ]
        docs.sort(key=lambda d: (d.published or "0000", d.id), reverse=True)
        page = paginate(docs, *_page_args(request))
        return _ok(_page(page, [d.to_dict() for d in page.items]))

    async def document(request: Request) -> Response:
        s = await _snap(ctx)
        doc = s.document(request.path_params["doc_id"])
        if doc is None:
            raise HTTPException(404, "no such document")
        profile = s.profiles.get(doc.id)
        return _ok(
            {
                "document": doc.to_dict(),
                "statements": [st.to_dict() for st in s.statements_by_doc.get(doc.id, [])],
                "sourcing": profile.to_dict() if profile is not None else None,
            }
        )

    async def source(request: Request) -> Response:
        s = await _snap(ctx)
        src = s.source(request.path_params["source_id"])
        if src is None:
            raise HTTPException(404, "no such source")
        page = paginate(s.statements_by_source.get(src.id, []), *_page_args(request))
        return _ok(
            {
                "source": src.to_dict(),
                "statements": _page(page, [st.to_dict() for st in page.items]),
                "origin_of": [c.id for c in s.corpus.claims if src.id in c.origin_source_ids],
            }
        )

    async def statement(request: Request) -> Response:
        s = await _snap(ctx)
        st = s.statement(request.path_params["statement_id"])
        if st is None:
            raise HTTPException(404, "no such statement")
        return _ok({"statement": st.to_dict()})

    return [
        Route(f"{PREFIX}/documents", documents, methods=["GET"]),
        Route(f"{PREFIX}/documents/{{doc_id}}", document, methods=["GET"]),
        Route(f"{PREFIX}/sources/{{source_id}}", source, methods=["GET"]),
        Route(f"{PREFIX}/statements/{{statement_id}}", statement, methods=["GET"]),
    ]


def _correction_routes(ctx: Any) -> list[BaseRoute]:
    """Analysts' corrections: make one, list them."""

    async def correct(request: Request) -> Response:
        body = await read_form(request)
        who = principal(request)
        s = await _snap(ctx)
        st = s.statement(request.path_params["statement_id"])
        if st is None:
            raise HTTPException(404, "no such statement")
        name, value = str(body.get("field", "stance")), str(body.get("value", "") or "").strip()
        if name not in ("stance", "speaker", "claim_id") or (name == "stance" and value not in STANCES):
            raise HTTPException(400, f"field is stance (one of {', '.join(STANCES)}), speaker or claim_id")
        corr = await ctx.backend.correct_checked(
            who.user, st.id, name, value, str(body.get("note", ""))[:2000]
        )
        s = await _snap(ctx)
        now = s.statement(st.id)
        claim = s.claim(now.claim_id) if now is not None and now.claim_id else None
        return _ok({"correction": plain(corr), "claim": claim.to_dict() if claim else None}, status=201)

    async def corrections(request: Request) -> Response:
        items = await run_in_threadpool(ctx.backend.corrections)
        return _ok({"items": [plain(c) for c in items]})

    return [
        Route(f"{PREFIX}/statements/{{statement_id}}/corrections", correct, methods=["POST"]),
        Route(f"{PREFIX}/corrections", corrections, methods=["GET"]),
    ]


def _search_routes(ctx: Any) -> list[BaseRoute]:
    """Full-text search and alerts."""

    async def search(request: Request) -> Response:
        q = request.query_params.get("q", "").strip()[:500]
        if not q:
            raise HTTPException(400, "give q")
        page_no, per_page = _page_args(request)
        kind = request.query_params.get("kind") or None
        hits = await search_hits(ctx.backend, await _snap(ctx), q, kind, page_no, per_page)
        return _ok({"items": hits, "page": page_no, "per_page": per_page})

    async def alerts_route(request: Request) -> Response:
        page_no, per_page = _page_args(request, 50)
        rows, available = await alerts(ctx.backend, page_no, per_page)
        return _ok({"items": rows, "available": available, "page": page_no, "per_page": per_page})

    return [
        Route(f"{PREFIX}/search", search, methods=["GET"]),
        Route(f"{PREFIX}/alerts", alerts_route, methods=["GET"]),
    ]


def _job_routes(ctx: Any) -> list[BaseRoute]:
    """Analysis jobs: list, add, one job."""

    async def jobs(request: Request) -> Response:
        items = await run_in_threadpool(ctx.backend.jobs)
        page = paginate(items, *_page_args(request))
        return _ok(_page(page, [job_view(j) for j in page.items]))

    async def add_job(request: Request) -> Response:
        body = await read_form(request)
        who = principal(request)
        urls = body.get("urls") or []
        feeds = body.get("feeds") or []
        if not isinstance(urls, list) or not isinstance(feeds, list) or not (urls or feeds):
            raise HTTPException(400, 'give {"urls": [...], "feeds": [...]} (http(s) URLs)')
        values = [str(u) for u in urls + feeds]
        if any(not u.lower().startswith(("http://", "https://")) for u in values):
            raise HTTPException(400, "only http(s) URLs")
        payload = {"urls": [str(u) for u in urls], "feeds": [str(f) for f in feeds]}
        item = await run_in_threadpool(ctx.backend.enqueue, "analyze_urls", payload, who.user)
        await run_in_threadpool(
            ctx.backend.audit, who.user, "add-url", f"job:{field_of(item, 'id')}", payload
        )
        return _ok({"job": job_view(item)}, status=202)

    async def job(request: Request) -> Response:
        raw = request.path_params["job_id"]
        item = await run_in_threadpool(ctx.backend.job, int(raw) if raw.isdigit() else raw)
        if item is None:
            raise HTTPException(404, "no such job")
        return _ok({"job": job_view(item)})

    return [
        Route(f"{PREFIX}/jobs", jobs, methods=["GET"]),
        Route(f"{PREFIX}/jobs", add_job, methods=["POST"]),
        Route(f"{PREFIX}/jobs/{{job_id}}", job, methods=["GET"]),
    ]


def _reliability_routes(ctx: Any) -> list[BaseRoute]:
    """The workspace's reliability registry."""

    async def reliability(request: Request) -> Response:
        entries = await run_in_threadpool(ctx.backend.reliability)
        return _ok({"items": [plain(e) for e in entries]})

    async def set_reliability(request: Request) -> Response:
        body = await read_form(request)
        who = principal(request)
        name, grade = str(body.get("name", "")).strip(), str(body.get("grade", "") or "").strip().upper()
        if not name or len(name) > 255 or grade not in ("", "A", "B", "C", "D", "E", "F"):
            raise HTTPException(
                400, 'give {"name": "...", "grade": "A"-"F"} (an empty grade removes the entry)'
            )
        await run_in_threadpool(ctx.backend.set_reliability, name, grade, who.user)
        entries = await run_in_threadpool(ctx.backend.reliability)
        return _ok({"items": [plain(e) for e in entries]})

    return [
        Route(f"{PREFIX}/reliability", reliability, methods=["GET"]),
        Route(f"{PREFIX}/reliability", set_reliability, methods=["POST"]),
    ]


def _export_routes(ctx: Any) -> list[BaseRoute]:
    """Downloads of the analysis."""

    async def export(request: Request) -> Response:
        fmt = request.path_params["fmt"]
        if fmt not in EXPORTS:
            raise HTTPException(404, "no such export format")
        return await export_response((await _snap(ctx)).corpus, fmt)

    return [
        Route(f"{PREFIX}/exports/{{fmt}}", export, methods=["GET"]),
    ]


def routes(ctx: Any) -> list[BaseRoute]:
    """Every route, area by area (the builders above, in this order)."""
    return [
        route
        for build in (
            _meta_routes,
            _claim_routes,
            _entity_routes,
            _document_routes,
            _correction_routes,
            _search_routes,
            _job_routes,
            _reliability_routes,
            _export_routes,
        )
        for route in build(ctx)
    ]


# --------------------------------------------------------------------------- OpenAPI

_PAGE_PARAMS = [
    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "default": 1}},
    {
        "name": "per_page",
        "in": "query",
        "schema": {"type": "integer", "minimum": 1, "maximum": 200, "default": 25},
    },
]
_CLAIM_FILTERS = [
    {
        "name": "grade",
        "in": "query",
        "description": "credibility 1-6 at least this good, or an Admiralty code (B2)",
        "schema": {"type": "string"},
    },
    {"name": "circular", "in": "query", "schema": {"type": "boolean"}},
    {"name": "single_origin", "in": "query", "schema": {"type": "boolean"}},
    {"name": "disputed", "in": "query", "description": "disputed or denied", "schema": {"type": "boolean"}},
    {"name": "entity", "in": "query", "description": "entity id", "schema": {"type": "string"}},
    {"name": "outlet", "in": "query", "schema": {"type": "string"}},
    {
        "name": "from",
        "in": "query",
        "description": "first seen on or after (YYYY-MM-DD)",
        "schema": {"type": "string", "format": "date"},
    },
    {
        "name": "to",
        "in": "query",
        "description": "first seen on or before (YYYY-MM-DD)",
        "schema": {"type": "string", "format": "date"},
    },
    {"name": "q", "in": "query", "description": "words in the claim's text", "schema": {"type": "string"}},
    {
        "name": "sort",
        "in": "query",
        "schema": {"type": "string", "enum": ["attention", "first_seen", "oldest", "grade", "documents"]},
    },
]


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _list_of(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["items"],
        "properties": {
            "schema": {"type": "string"},
            "items": {"type": "array", "items": item},
            "total": {"type": "integer"},
            "page": {"type": "integer"},
            "per_page": {"type": "integer"},
            "pages": {"type": "integer"},
        },
    }


def _obj(**props: Any) -> dict[str, Any]:
    return {"type": "object", "required": list(props), "properties": {"schema": {"type": "string"}, **props}}


def _path_param(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


def _op(
    summary: str, schema: dict[str, Any], params: list[dict[str, Any]] | None = None, **extra: Any
) -> dict[str, Any]:
    responses: dict[str, Any] = {
        "200": {"description": "OK", "content": {"application/json": {"schema": schema}}},
        "401": {"description": "Not logged in (no session, no valid API token)"},
    }
    op: dict[str, Any] = {"summary": summary, "parameters": params or [], "responses": responses}
    op.update(extra)
    return op


@cache
def _claimgraph_defs() -> dict[str, Any]:
    text = _SCHEMA_FILE.read_text(encoding="utf-8").replace('"#/$defs/', '"#/components/schemas/')
    defs: dict[str, Any] = json.loads(text)["$defs"]
    return defs


@cache
def _openapi_text() -> str:
    from .. import __version__

    array = lambda name: {"type": "array", "items": _ref(name)}  # noqa: E731
    job = {
        "type": "object",
        "required": ["id", "status"],
        "properties": {"id": {}, "status": {"type": "string"}},
    }
    _entry = {
        "type": "object",
        "required": ["name", "grade"],
        "properties": {
            "key": {"type": "string"},
            "name": {"type": "string"},
            "grade": {"type": "string"},
            "user_name": {"type": "string"},
            "updated": {"type": "string"},
        },
    }
    write = {"403": {"description": "A reader's write, or a session request without its CSRF token"}}
    paths: dict[str, Any] = {
        "/openapi.json": {"get": _op("This document", {"type": "object"})},
        "/me": {"get": _op("Who is asking", _obj(name={"type": "string"}, role={"type": "string"}))},
        "/claims": {
            "get": _op(
                "Claims, filtered, sorted and paginated",
                _list_of(_ref("claim")),
                _CLAIM_FILTERS + _PAGE_PARAMS,
            )
        },
        "/claims/{claim_id}": {
            "get": _op(
                "A claim with its statements, sources and timeline",
                _obj(
                    claim=_ref("claim"),
                    statements=array("statement"),
                    sources=array("source"),
                    timeline={"type": "array"},
                ),
                [_path_param("claim_id")],
            )
        },
        "/entities": {
            "get": _op(
                "Entities by mentions",
                _list_of(_ref("entity")),
                [
                    {"name": "q", "in": "query", "schema": {"type": "string"}},
                    {"name": "type", "in": "query", "schema": {"type": "string"}},
                    *_PAGE_PARAMS,
                ],
            )
        },
        "/entities/{entity_id}": {
            "get": _op(
                "An entity: claims about it and by it, its neighbourhood with evidence",
                _obj(
                    entity=_ref("entity"),
                    claims_about=array("claim"),
                    claims_by=array("claim"),
                    relations=array("relation"),
                    neighbours=array("entity"),
                    evidence=array("statement"),
                    sources=array("source"),
                ),
                [_path_param("entity_id")],
            )
        },
        "/documents": {
            "get": _op(
                "Documents, newest first",
                _list_of(_ref("document")),
                [
                    {"name": "outlet", "in": "query", "schema": {"type": "string"}},
                    {"name": "from", "in": "query", "schema": {"type": "string", "format": "date"}},
                    {"name": "to", "in": "query", "schema": {"type": "string", "format": "date"}},
                    *_PAGE_PARAMS,
                ],
            )
        },
        "/documents/{doc_id}": {
            "get": _op(
                "A document with its statements and sourcing profile",
                _obj(
                    document=_ref("document"),
                    statements=array("statement"),
                    sourcing={"anyOf": [_ref("sourcing_profile"), {"type": "null"}]},
                ),
                [_path_param("doc_id")],
            )
        },
        "/sources/{source_id}": {
            "get": _op(
                "A source with its statements (paginated)",
                _obj(
                    source=_ref("source"),
                    statements=_list_of(_ref("statement")),
                    origin_of={"type": "array", "items": {"type": "string"}},
                ),
                [_path_param("source_id"), *_PAGE_PARAMS],
            )
        },
        "/statements/{statement_id}": {
            "get": _op("A statement", _obj(statement=_ref("statement")), [_path_param("statement_id")])
        },
        "/statements/{statement_id}/corrections": {
            "post": {
                **_op(
                    "Correct a statement's stance (analyst, admin); the claim is re-graded",
                    _obj(correction={"type": "object"}, claim={}),
                    [_path_param("statement_id")],
                ),
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["value"],
                                "properties": {
                                    "field": {"type": "string", "enum": ["stance", "speaker", "claim_id"]},
                                    "value": {
                                        "type": "string",
                                        "description": "a stance; a speaker's name or source id; a claim id (empty: none)",
                                    },
                                    "note": {"type": "string"},
                                },
                            }
                        }
                    },
                },
            }
        },
        "/corrections": {"get": _op("Analysts' corrections", _list_of({"type": "object"}))},
        "/search": {
            "get": _op(
                "Full-text search over documents and statements",
                _list_of({"type": "object"}),
                [
                    {"name": "q", "in": "query", "required": True, "schema": {"type": "string"}},
                    {
                        "name": "kind",
                        "in": "query",
                        "schema": {"type": "string", "enum": ["document", "statement"]},
                    },
                    *_PAGE_PARAMS,
                ],
            )
        },
        "/alerts": {
            "get": _op("Alerts written by claimgraph watch", _list_of({"type": "object"}), _PAGE_PARAMS)
        },
        "/jobs": {
            "get": _op("Analysis jobs", _list_of(job), _PAGE_PARAMS),
            "post": {
                **_op("Add URLs or feeds: an analysis job (analyst, admin)", _obj(job=job)),
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "urls": {"type": "array", "items": {"type": "string", "format": "uri"}},
                                    "feeds": {"type": "array", "items": {"type": "string", "format": "uri"}},
                                },
                            }
                        }
                    },
                },
            },
        },
        "/reliability": {
            "get": _op("The workspace's reliability registry entries", _list_of(_entry)),
            "post": {
                **_op(
                    "Set (or with an empty grade remove) an entry (analyst, admin); grades are recomputed",
                    _list_of(_entry),
                ),
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["name", "grade"],
                                "properties": {
                                    "name": {"type": "string", "maxLength": 255},
                                    "grade": {"type": "string", "enum": ["", "A", "B", "C", "D", "E", "F"]},
                                },
                            }
                        }
                    },
                },
            },
        },
        "/jobs/{job_id}": {"get": _op("A job and its progress", _obj(job=job), [_path_param("job_id")])},
        "/exports/{fmt}": {
            "get": {
                "summary": "Download an export (json, stix, graphml, csv as zip, html)",
                "parameters": [
                    {
                        "name": "fmt",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "enum": list(EXPORTS)},
                    }
                ],
                "responses": {"200": {"description": "The file"}, "401": {"description": "Not logged in"}},
            }
        },
    }
    for item in paths.values():
        for method, op in item.items():
            if method == "post":
                op["responses"].update(write)
    doc = {
        "openapi": "3.1.0",
        "info": {
            "title": "claimgraph API",
            "version": __version__,
            "description": "Every page's data in the claimgraph/1 JSON contract. Authenticate with a session "
            "cookie (and its CSRF token for writes) or an API token: Authorization: Bearer TOKEN.",
        },
        "servers": [{"url": PREFIX}],
        "security": [{"bearer": []}, {"session": []}],
        "paths": paths,
        "components": {
            "schemas": _claimgraph_defs(),
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "session": {"type": "apiKey", "in": "cookie", "name": "claimgraph_session"},
            },
        },
    }
    return json.dumps(doc, ensure_ascii=False)


def openapi() -> dict[str, Any]:
    """The OpenAPI 3.1 document of the API (paths relative to ``/api/v1``)."""
    data: dict[str, Any] = json.loads(_openapi_text())
    return data
