"""The timeline: first-seen date per claim and per origin, from the documents' dates.

``corpus.timeline`` is a list of ``{date, kind: "claim"|"origin", claim_id, source_id?, document_id,
label}`` sorted by date (undated last), then kind, claim and source. Labels attribute, never assert.
"""

from __future__ import annotations

from typing import Any

from ..model import Claim, Corpus

__all__ = ["build_timeline"]

_SHORT = 90


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _SHORT else text[: _SHORT - 1].rstrip() + "…"


def build_timeline(
    corpus: Corpus, claims: list[Claim], origin_documents: dict[str, dict[str, str]] | None = None
) -> list[dict[str, Any]]:
    """``origin_documents``: claim id -> origin source id -> the document where that origin first carries it."""
    documents = {d.id: d for d in corpus.documents}
    sources = {s.id: s for s in corpus.sources}
    entries: list[dict[str, Any]] = []
    for claim in claims:
        dated = sorted(
            (documents[d].published or "9999-99-99", d) for d in claim.document_ids if d in documents
        )
        first_doc = dated[0][1] if dated else None
        outlet = documents[first_doc].outlet if first_doc else None
        short = _short(claim.text)  # (once per claim, not once per entry)
        entries.append({
            "date": claim.first_seen,
            "kind": "claim",
            "claim_id": claim.id,
            "document_id": first_doc,
            "label": f"Claim first seen{' in ' + outlet if outlet else ''}: \u201c{short}\u201d",
        })  # fmt: skip
        for source_id in claim.origin_source_ids:
            source = sources.get(source_id)
            label = source.label if source is not None else source_id
            entries.append({
                "date": claim.origin_first_seen.get(source_id),
                "kind": "origin",
                "claim_id": claim.id,
                "source_id": source_id,
                "document_id": (origin_documents or {}).get(claim.id, {}).get(source_id),
                "label": f"{label} first carries the claim \u201c{short}\u201d",
            })  # fmt: skip
    entries.sort(
        key=lambda e: (e["date"] or "9999-99-99", e["kind"], e["claim_id"], e.get("source_id") or "")
    )
    return entries
