"""The server-rendered pages: claims, a claim, an entity, a document, a source, search, alerts, jobs, adding
documents, corrections, downloads and API tokens."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from ..outputs.report import _claim_view, _marked, anchor
from .auth import SessionStore
from .backend import STANCES, Backend
from .data import ClaimFilter, Snapshot, paginate
from .exports import EXPORTS, export_response
from .views import (
    alerts,
    claim_row,
    entity_row,
    field_of,
    job_view,
    plain,
    search_hits,
    statement_view,
    token_view,
)
from .web import Templates, Upload, principal, read_form

__all__ = ["Context", "routes"]

#: Statements shown per page of a claim (a heavily relayed claim has hundreds).
CLAIM_STATEMENTS = 50
#: Largest upload accepted, per file and in all.
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass
class Context:
    backend: Backend
    templates: Templates
    upload_dir: Path
    sessions: SessionStore


async def _snapshot(ctx: Context) -> Snapshot:
    snap = ctx.backend.snapshots.ready()  # the common case: no store access, no thread hop
    if snap is None:
        snap = await run_in_threadpool(ctx.backend.snapshot)
    return snap


def _page_args(request: Request, per_page: int = 25) -> tuple[int, int]:
    def num(name: str, default: int) -> int:
        try:
            return int(request.query_params.get(name, default))
        except ValueError:
            return default

    return num("page", 1), num("per_page", per_page)


def _claim_routes(ctx: Context) -> list[BaseRoute]:
    """Claims: the filtered list and one claim with its statements."""
    render = ctx.templates.render

    async def claims(request: Request) -> Response:
        snap = await _snapshot(ctx)
        flt = ClaimFilter.from_query(request.query_params)
        page = snap.claims(flt)
        rows = [claim_row(snap, c) for c in page.items]
        entity = snap.entity(flt.entity) if flt.entity else None
        return render(
            request,
            "claims.html.j2",
            flt=flt,
            page=page,
            rows=rows,
            outlets=snap.outlets,
            entity_name=entity.name if entity else "",
            total_claims=len(snap.corpus.claims),
        )

    async def claim(request: Request) -> Response:
        snap = await _snapshot(ctx)
        item = snap.claim(request.path_params["claim_id"])
        if item is None:
            raise HTTPException(404, "no such claim")
        view = _claim_view(item, 0, snap.index)
        page = paginate(snap.claim_statements(item.id), *_page_args(request, CLAIM_STATEMENTS))
        statements = [statement_view(snap, st) for st in page.items]
        corrections = await run_in_threadpool(ctx.backend.corrections)
        by_statement: dict[str, list[dict[str, Any]]] = {}
        for corr in corrections:
            if not field_of(corr, "withdrawn"):
                by_statement.setdefault(str(field_of(corr, "statement_id")), []).append(plain(corr))
        for sv in statements:
            sv["corrections"] = by_statement.get(sv["id"], [])
        return render(
            request,
            "claim.html.j2",
            c=view,
            claim=item,
            page=page,
            statements=statements,
            stances=STANCES,
            timeline=snap.timeline_for(item.id),
            entities=[(e, snap.entity_label(e)) for e in item.entity_ids],
        )

    return [
        Route("/claims", claims, methods=["GET"]),
        Route("/claims/{claim_id}", claim, methods=["GET"]),
    ]


def _entity_routes(ctx: Context) -> list[BaseRoute]:
    """Entities: the list and one entity."""
    render = ctx.templates.render

    async def entities(request: Request) -> Response:
        snap = await _snapshot(ctx)
        q = request.query_params.get("q", "").strip().casefold()
        items = [e for e in snap.corpus.entities if not q or q in e.name.casefold()]
        items.sort(key=lambda e: (-e.mentions, e.name.casefold(), e.id))
        page = paginate(items, *_page_args(request, 50))
        return render(
            request, "entities.html.j2", page=page, rows=[entity_row(snap, e) for e in page.items], q=q
        )

    async def entity(request: Request) -> Response:
        snap = await _snapshot(ctx)
        ent = snap.entity(request.path_params["entity_id"])
        if ent is None:
            raise HTTPException(404, "no such entity")
        about = sorted(snap.claims_by_entity.get(ent.id, []), key=lambda c: (-c.attention, c.id))
        by = sorted(snap.claims_by(ent.id), key=lambda c: (-c.attention, c.id))
        edges = _edges(snap, ent.id)
        return render(
            request,
            "entity.html.j2",
            e=ent,
            about=[claim_row(snap, c) for c in about[:100]],
            about_total=len(about),
            by=[claim_row(snap, c) for c in by[:100]],
            by_total=len(by),
            edges=edges,
            sources=snap.sources_by_entity.get(ent.id, []),
        )

    return [
        Route("/entities", entities, methods=["GET"]),
        Route("/entities/{entity_id}", entity, methods=["GET"]),
    ]


def _document_routes(ctx: Context) -> list[BaseRoute]:
    """Documents and sources."""
    render = ctx.templates.render

    async def documents(request: Request) -> Response:
        snap = await _snapshot(ctx)
        q = request.query_params.get("q", "").strip().casefold()
        docs = [d for d in snap.corpus.documents if not q or q in (d.title or d.path).casefold()]
        docs.sort(key=lambda d: (d.published or "0000", d.id), reverse=True)
        page = paginate(docs, *_page_args(request, 50))
        counts = {d.id: len(snap.statements_by_doc.get(d.id, [])) for d in page.items}
        return render(request, "documents.html.j2", page=page, counts=counts, q=q)

    async def document(request: Request) -> Response:
        snap = await _snapshot(ctx)
        doc = snap.document(request.path_params["doc_id"])
        if doc is None:
            raise HTTPException(404, "no such document")
        from markupsafe import Markup

        stmts = snap.statements_by_doc.get(doc.id, [])
        title = doc.title or doc.path
        title_spans = [(s.start, s.end, s) for s in stmts if s.part == "title" and doc.title]
        text_spans = [(s.start, s.end, s) for s in stmts if s.part != "title"]
        return render(
            request,
            "document.html.j2",
            d=doc,
            title_html=Markup(_marked(title, title_spans, snap.index)),
            text_html=Markup(_marked(doc.text, text_spans, snap.index)),
            statements=[
                statement_view(snap, st) for st in sorted(stmts, key=lambda s: (s.part != "title", s.start))
            ],
            profile=snap.profiles.get(doc.id),
            link=_link(doc.url),
        )

    async def source(request: Request) -> Response:
        snap = await _snapshot(ctx)
        src = snap.source(request.path_params["source_id"])
        if src is None:
            raise HTTPException(404, "no such source")
        stmts = snap.statements_by_source.get(src.id, [])
        page = paginate(stmts, *_page_args(request, 50))
        origin_of = [c for c in snap.corpus.claims if src.id in c.origin_source_ids]
        affiliated = [s for sid in src.affiliated_source_ids if (s := snap.source(sid)) is not None]
        return render(
            request,
            "source.html.j2",
            s=src,
            page=page,
            statements=[statement_view(snap, st) for st in page.items],
            origin_of=[claim_row(snap, c) for c in origin_of[:100]],
            affiliated=affiliated,
            entity=snap.entity(src.entity_id) if src.entity_id else None,
        )

    return [
        Route("/documents", documents, methods=["GET"]),
        Route("/documents/{doc_id}", document, methods=["GET"]),
        Route("/sources/{source_id}", source, methods=["GET"]),
    ]


def _search_routes(ctx: Context) -> list[BaseRoute]:
    """Search and alerts."""
    render = ctx.templates.render

    async def search(request: Request) -> Response:
        q = request.query_params.get("q", "").strip()[:500]
        kind = request.query_params.get("kind", "") or None
        page_no, per_page = _page_args(request, 25)
        hits = await search_hits(ctx.backend, await _snapshot(ctx), q, kind, page_no, per_page) if q else []
        return render(
            request, "search.html.j2", q=q, kind=kind or "", hits=hits, page_no=page_no, per_page=per_page
        )

    async def alerts_page(request: Request) -> Response:
        rows, available = await alerts(ctx.backend, *_page_args(request, 50))
        return render(request, "alerts.html.j2", rows=rows, available=available)

    return [
        Route("/search", search, methods=["GET"]),
        Route("/alerts", alerts_page, methods=["GET"]),
    ]


def _job_routes(ctx: Context) -> list[BaseRoute]:
    """Analysis jobs."""
    render = ctx.templates.render

    async def jobs(request: Request) -> Response:
        items = await run_in_threadpool(ctx.backend.jobs)
        return render(request, "jobs.html.j2", jobs=[job_view(j) for j in items[:200]])

    async def job(request: Request) -> Response:
        try:
            job_id: Any = int(request.path_params["job_id"])
        except ValueError:
            job_id = request.path_params["job_id"]
        item = await run_in_threadpool(ctx.backend.job, job_id)
        if item is None:
            raise HTTPException(404, "no such job")
        return render(request, "job.html.j2", job=job_view(item))

    return [
        Route("/jobs", jobs, methods=["GET"]),
        Route("/jobs/{job_id}", job, methods=["GET"]),
    ]


def _add_routes(ctx: Context) -> list[BaseRoute]:
    """Adding documents: the form, uploads and URLs (each an analysis job)."""
    render = ctx.templates.render

    async def add_page(request: Request) -> Response:
        return render(request, "add.html.j2", error="")

    async def upload(request: Request) -> Response:
        form = await read_form(request)
        who = principal(request)
        files = form.get("files")
        items = [f for f in (files if isinstance(files, list) else [files]) if isinstance(f, Upload)]
        items = [f for f in items if f.filename]
        if not items:
            return render(request, "add.html.j2", status=400, error="Choose at least one file.")
        total = sum(len(f.data) for f in items)
        if total > MAX_UPLOAD_BYTES:
            return render(
                request, "add.html.j2", status=413, error="The upload is too large (50 MB at most)."
            )
        paths = []
        for f in items:
            name = _SAFE_NAME.sub("_", Path(f.filename or "upload").name).lstrip(".") or "upload"
            paths.append(await run_in_threadpool(ctx.backend.save_upload, name, f.data))
        return await _enqueue(request, who, "analyze_files", {"paths": paths}, "upload")

    async def add_url(request: Request) -> Response:
        form = await read_form(request)
        who = principal(request)
        urls = [u.strip() for u in str(form.get("urls", "")).split() if u.strip()]
        feeds = [u.strip() for u in str(form.get("feeds", "")).split() if u.strip()]
        bad = [u for u in urls + feeds if not u.lower().startswith(("http://", "https://"))]
        if bad or not (urls or feeds):
            return render(request, "add.html.j2", status=400, error="Give http(s) URLs or feed URLs.")
        return await _enqueue(request, who, "analyze_urls", {"urls": urls, "feeds": feeds}, "url")

    async def _enqueue(request: Request, who: Any, kind: str, payload: dict[str, Any], how: str) -> Response:
        item = await run_in_threadpool(ctx.backend.enqueue, kind, payload, who.user)
        job_id = field_of(item, "id")
        await run_in_threadpool(ctx.backend.audit, who.user, f"add-{how}", f"job:{job_id}", payload)
        return RedirectResponse(f"/jobs/{job_id}", status_code=303)

    return [
        Route("/add", add_page, methods=["GET"]),
        Route("/add/upload", upload, methods=["POST"]),
        Route("/add/url", add_url, methods=["POST"]),
    ]


def _review_routes(ctx: Context) -> list[BaseRoute]:
    """Analysts' corrections and the reliability registry."""
    render = ctx.templates.render

    async def correct(request: Request) -> Response:
        form = await read_form(request)
        who = principal(request)
        snap = await _snapshot(ctx)
        st = snap.statement(request.path_params["statement_id"])
        if st is None:
            raise HTTPException(404, "no such statement")
        field = str(form.get("field", "stance"))
        value = str(form.get("value", "")).strip()
        if field == "stance" and value not in STANCES:
            raise HTTPException(400, f"a stance is one of {', '.join(STANCES)}")
        if field not in ("stance", "speaker", "claim_id") or (field == "speaker" and not value):
            raise HTTPException(
                400, "correct a statement's stance, speaker (a name or source id) or claim (a claim id)"
            )
        note = str(form.get("note", ""))[:2000]
        await ctx.backend.correct_checked(who.user, st.id, field, value, note)
        if field == "claim_id" and value:
            return RedirectResponse(f"/claims/{value}#{anchor('st', st.id)}", status_code=303)
        back = (
            f"/claims/{st.claim_id}#{anchor('st', st.id)}" if st.claim_id else f"/documents/{st.document_id}"
        )
        return RedirectResponse(back, status_code=303)

    async def reliability(request: Request) -> Response:
        entries = await run_in_threadpool(ctx.backend.reliability)
        return render(request, "reliability.html.j2", entries=[plain(e) for e in entries], error="")

    async def set_reliability(request: Request) -> Response:
        form = await read_form(request)
        who = principal(request)
        name = str(form.get("name", "")).strip()[:255]
        grade = str(form.get("grade", "")).strip().upper()[:1]
        if not name or grade not in ("", "A", "B", "C", "D", "E", "F"):
            entries = await run_in_threadpool(ctx.backend.reliability)
            return render(
                request,
                "reliability.html.j2",
                status=400,
                entries=[plain(e) for e in entries],
                error="Give a source's name and a grade A-F (empty removes the entry).",
            )
        await run_in_threadpool(ctx.backend.set_reliability, name, grade, who.user)
        return RedirectResponse("/reliability", status_code=303)

    return [
        Route("/statements/{statement_id}/correct", correct, methods=["POST"]),
        Route("/reliability", reliability, methods=["GET"]),
        Route("/reliability", set_reliability, methods=["POST"]),
    ]


def _download_routes(ctx: Context) -> list[BaseRoute]:
    """Downloads of the analysis."""
    render = ctx.templates.render

    async def downloads(request: Request) -> Response:
        return render(request, "downloads.html.j2", formats=EXPORTS)

    async def download(request: Request) -> Response:
        fmt = request.path_params["fmt"]
        if fmt not in EXPORTS:
            raise HTTPException(404, "no such export format")
        snap = await _snapshot(ctx)
        return await export_response(snap.corpus, fmt)

    return [
        Route("/downloads", downloads, methods=["GET"]),
        Route("/downloads/{fmt}", download, methods=["GET"]),
    ]


def _account_routes(ctx: Context) -> list[BaseRoute]:
    """The account page and its API tokens."""
    render = ctx.templates.render

    async def account(request: Request) -> Response:
        who = principal(request)
        tokens = await run_in_threadpool(ctx.backend.tokens, who.user)
        return render(request, "account.html.j2", tokens=[token_view(t) for t in tokens], new_token="")

    async def create_token(request: Request) -> Response:
        form = await read_form(request, write=False)
        who = principal(request)
        label = str(form.get("label", "")).strip()[:200] or "script"
        plaintext, token = await run_in_threadpool(ctx.backend.create_token, who.user, label)
        await run_in_threadpool(
            ctx.backend.audit, who.user, "token-create", f"token:{field_of(token, 'id')}", label
        )
        tokens = await run_in_threadpool(ctx.backend.tokens, who.user)
        return render(request, "account.html.j2", tokens=[token_view(t) for t in tokens], new_token=plaintext)

    async def revoke_token(request: Request) -> Response:
        await read_form(request, write=False)
        who = principal(request)
        token_id = request.path_params["token_id"]
        mine = {str(field_of(t, "id")) for t in await run_in_threadpool(ctx.backend.tokens, who.user)}
        if str(token_id) not in mine:
            raise HTTPException(404, "no such token")
        tid: Any = int(token_id) if str(token_id).isdigit() else token_id
        await run_in_threadpool(ctx.backend.revoke_token, tid)
        await run_in_threadpool(ctx.backend.audit, who.user, "token-revoke", f"token:{token_id}", None)
        return RedirectResponse("/account", status_code=303)

    return [
        Route("/account", account, methods=["GET"]),
        Route("/account/tokens", create_token, methods=["POST"]),
        Route("/account/tokens/{token_id}/revoke", revoke_token, methods=["POST"]),
    ]


def routes(ctx: Context) -> list[BaseRoute]:
    """Every route, area by area (the builders above, in this order)."""
    return [
        route
        for build in (
            _claim_routes,
            _entity_routes,
            _document_routes,
            _search_routes,
            _job_routes,
            _add_routes,
            _review_routes,
            _download_routes,
            _account_routes,
        )
        for route in build(ctx)
    ]


def _link(url: str | None) -> str | None:
    from ..outputs.report import _safe_url

    return _safe_url(url)


def _edges(snap: Snapshot, entity_id: str) -> list[dict[str, Any]]:
    """The entity's network neighbourhood: each reported relation with the statements it rests on."""
    out = []
    for rel in sorted(snap.relations_by_entity.get(entity_id, []), key=lambda r: (r.grade.credibility, r.id)):
        other = rel.object if rel.subject == entity_id else rel.subject
        evidence = [
            statement_view(snap, st)
            for sid in rel.statement_ids[:10]
            if (st := snap.statement(sid)) is not None
        ]
        out.append(
            {
                "relation": rel,
                "subject": snap.entity_label(rel.subject),
                "object": snap.entity_label(rel.object),
                "other": other,
                "other_label": snap.entity_label(other),
                "evidence": evidence,
                "more": max(0, len(rel.statement_ids) - 10),
            }
        )
    return out
