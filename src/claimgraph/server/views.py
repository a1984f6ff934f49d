"""Small view models the pages and the API share (rows of lists, statements in context, jobs, search
hits, alerts)."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from ..model import Claim, Entity, Statement
from ..outputs.report import STANCE_VERBS, anchor
from .backend import Backend
from .data import Snapshot

__all__ = [
    "alerts",
    "claim_row",
    "entity_row",
    "field_of",
    "job_view",
    "plain",
    "search_hits",
    "statement_view",
]


def field_of(obj: Any, name: str, default: Any = None) -> Any:
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def plain(value: Any) -> Any:
    """A value as JSON-able data (dataclasses and enums included)."""
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return plain(value.value)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if hasattr(value, "__dataclass_fields__"):
        return {k: plain(getattr(value, k)) for k in value.__dataclass_fields__}
    return value


def claim_row(snap: Snapshot, claim: Claim) -> dict[str, Any]:
    return {
        "id": claim.id,
        "headline": snap.headline(claim),
        "grade": claim.grade,
        "circular": claim.circular,
        "single_origin": len(claim.origin_source_ids) <= 1,
        "disputed": bool(claim.disputing or claim.denying),
        "first_seen": claim.first_seen or "undated",
        "documents": len(claim.document_ids),
        "outlets": claim.outlets,
        "attention": claim.attention,
    }


def entity_row(snap: Snapshot, ent: Entity) -> dict[str, Any]:
    return {
        "id": ent.id,
        "name": ent.name,
        "type": ent.type,
        "mentions": ent.mentions,
        "claims": len(snap.claims_by_entity.get(ent.id, [])),
        "documents": len(ent.document_ids),
    }


def statement_view(snap: Snapshot, st: Statement) -> dict[str, Any]:
    doc = snap.document(st.document_id)
    return {
        "id": st.id,
        "anchor": anchor("st", st.id),
        "statement": st,
        "sentence": snap.index.sentence(st),
        "who": snap.index.phrase(st.source_id),
        "source_id": st.source_id,
        "verb": STANCE_VERBS.get(st.stance or "", "said"),
        "stance": st.stance or "none",
        "document_id": st.document_id,
        "where": snap.index.outlet_of(st.document_id),
        "date": (doc.published if doc is not None and doc.published else "undated"),
        "title": (doc.title or doc.path) if doc is not None else st.document_id,
        "claim_id": st.claim_id,
    }


def token_view(token: Any) -> dict[str, Any]:
    return {
        "id": field_of(token, "id"),
        "label": field_of(token, "label", ""),
        "created": plain(field_of(token, "created", field_of(token, "created_at", ""))),
        "revoked": plain(field_of(token, "revoked", field_of(token, "revoked_at", None))),
    }


def job_view(job: Any) -> dict[str, Any]:
    """A job as the page shows it, whatever the job record's exact shape."""
    status = str(plain(field_of(job, "status", "queued")))
    done, total = field_of(job, "done"), field_of(job, "total")
    progress = field_of(job, "progress")
    if progress is None and isinstance(done, int | float) and isinstance(total, int | float) and total:
        progress = done / total
    if isinstance(progress, int | float) and progress > 1:
        progress = progress / 100
    return {
        "id": field_of(job, "id"),
        "kind": field_of(job, "kind", ""),
        "status": status,
        "progress": progress if isinstance(progress, int | float) else None,
        "message": str(field_of(job, "error", "") or field_of(job, "message", "") or ""),
        "created": plain(field_of(job, "created", "")),
        "finished": plain(field_of(job, "finished", "")),
        "payload": plain(field_of(job, "payload", {})),
        "result": plain(field_of(job, "result", None)),
        "done": status
        in ("done", "finished", "succeeded", "success", "completed", "failed", "error", "cancelled"),
        "failed": status in ("failed", "error"),
    }


async def search_hits(
    backend: Backend, snap: Snapshot, q: str, kind: str | None, page: int, per_page: int
) -> list[dict[str, Any]]:
    """Full-text hits from the workspace's search (FTS5 / PostgreSQL), each with a link and a snippet; a plain
    substring scan over the snapshot when the workspace has no search."""
    from starlette.concurrency import run_in_threadpool

    page, per_page = max(1, page), max(1, min(per_page, 200))
    try:
        hits = await run_in_threadpool(backend.search, q, kind, per_page, (page - 1) * per_page)
    except (AttributeError, NotImplementedError):
        return _scan(snap, q, kind, page, per_page)
    out = []
    for hit in hits:
        hit_kind = str(field_of(hit, "kind", ""))
        ident = str(field_of(hit, "id", ""))
        out.append(
            {
                "kind": hit_kind,
                "id": ident,
                "title": str(field_of(hit, "title", "") or ident),
                "snippet": str(field_of(hit, "snippet", "") or ""),
                "href": _href(snap, hit_kind, ident),
                "score": field_of(hit, "score"),
            }
        )
    return out


def _href(snap: Snapshot, kind: str, ident: str) -> str:
    if kind in ("statement", "statements"):
        st = snap.statement(ident)
        if st is not None:
            return f"/documents/{st.document_id}#{anchor('st', st.id)}"
    if kind in ("claim", "claims"):
        return f"/claims/{ident}"
    if kind in ("entity", "entities"):
        return f"/entities/{ident}"
    return f"/documents/{ident}"


def _scan(snap: Snapshot, q: str, kind: str | None, page: int, per_page: int) -> list[dict[str, Any]]:
    needle = q.casefold()
    found: list[dict[str, Any]] = []
    if kind in (None, "document"):
        for d in snap.corpus.documents:
            text = f"{d.title or ''}\n{d.text}"
            at = text.casefold().find(needle)
            if at >= 0:
                found.append(
                    {
                        "kind": "document",
                        "id": d.id,
                        "title": d.title or d.path,
                        "snippet": text[max(0, at - 80) : at + 120],
                        "href": f"/documents/{d.id}",
                        "score": None,
                    }
                )
    if kind in (None, "statement"):
        for st in snap.corpus.statements:
            if needle in st.text.casefold():
                found.append(
                    {
                        "kind": "statement",
                        "id": st.id,
                        "title": snap.index.phrase(st.source_id),
                        "snippet": st.text[:240],
                        "href": _href(snap, "statement", st.id),
                        "score": None,
                    }
                )
    start = (page - 1) * per_page
    return found[start : start + per_page]


async def alerts(backend: Backend, page: int, per_page: int) -> tuple[list[dict[str, Any]], bool]:
    """The alerts ``claimgraph watch`` stored (:func:`claimgraph.watch.list_alerts`), newest first, one page;
    ``available`` is False when the workspace holds none yet."""
    from starlette.concurrency import run_in_threadpool

    def read() -> tuple[list[dict[str, Any]], bool]:
        from ..watch import list_alerts

        start = (max(1, page) - 1) * per_page
        rows = list_alerts(backend.store, limit=start + per_page)
        out = []
        for row in rows[start:]:
            flat = dict(row)
            claim = flat.get("claim")
            if isinstance(claim, dict) and claim.get("id"):
                flat.setdefault("claim_id", claim["id"])
            out.append(plain(flat))
        return out, bool(rows) or page > 1

    result: tuple[list[dict[str, Any]], bool] = await run_in_threadpool(read)
    return result
