"""Applying analysts' corrections to an analysis: the ``claimgraph.corrections.v1`` stage and its undo.

Corrections are applied after the claims stage and before provenance (the stage runs implicitly before
``claimgraph.provenance.v1``, see :data:`claimgraph.stages.IMPLICIT_BEFORE`), so origins, independence,
circularity and grades follow them. Statement ids are ``stmt-`` + a hash of (document id, part, start,
end), and document ids a hash of the content: a correction finds its statement again after documents are
added and the workspace is analysed again. A ``claim_id`` correction names its target claim by a statement
of it (the *anchor*): claim ids follow their representative statement, which can change.

Every record a correction changes is saved first, as the analysis had it (``corrections_base`` in the
store's ``corpus_data``), so the corrections can be taken back exactly (:func:`undo_corrections`) when one is
withdrawn and the rest applied again, without running any language analysis
(:meth:`claimgraph.workspace.Workspace.reanalyse_provenance`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, get_args

from ..model import Claim, Corpus, Correction, Source, Stance, Statement, stable_id
from ..stages import RunContext, stage

__all__ = [
    "BASE_KEY",
    "CORRECTION_FIELDS",
    "STANCES",
    "Pending",
    "apply_corrections",
    "corrections_stage",
    "undo_corrections",
]

#: ``corpus_data`` key of the records as the analysis had them before the corrections.
BASE_KEY = "corrections_base"
CORRECTION_FIELDS: tuple[str, ...] = ("speaker", "stance", "claim_id")
STANCES: tuple[str, ...] = get_args(Stance)


@dataclass(frozen=True)
class Pending:
    """A correction to apply (an active row of the workspace's ``ws_corrections`` table)."""

    id: int
    statement_id: str
    field: str
    value: str
    anchor: str | None
    user: str
    created: str
    note: str = ""


def _normal(name: str) -> str:
    return " ".join(re.sub(r"[\u2018\u2019]", "'", name).split()).casefold()


def _fill_documents(claim: Claim, statements: dict[str, Statement], corpus: Corpus) -> None:
    """A claim's documents, first-seen date and outlets from its statements (as the claims stage sets them)."""
    documents = corpus.index("documents")
    doc_ids = sorted({statements[s].document_id for s in claim.statement_ids if s in statements})
    claim.document_ids = doc_ids
    dates = [p for d in doc_ids if d in documents and (p := documents[d].published)]
    claim.first_seen = min(dates) if dates else None
    claim.outlets = sorted({o for d in doc_ids if d in documents and (o := documents[d].outlet)})


class _Applier:
    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.statements: dict[str, Statement] = corpus.index("statements")
        self.claims: dict[str, Claim] = corpus.index("claims")
        self.sources: dict[str, Source] = corpus.index("sources")
        self.base: dict[str, dict[str, Any]] = {"statements": {}, "claims": {}, "sources": {}}

    def keep(self, kind: str, ident: str, record: Any) -> None:
        """Save a record as the analysis had it, the first time a correction touches it (``None``: new)."""
        saved = self.base[kind]
        if ident not in saved:
            saved[ident] = None if record is None else record.to_dict()

    # -- the three fields ----------------------------------------------------------
    def stance(self, st: Statement, value: str) -> str | None:
        previous = st.stance
        st.stance = value  # type: ignore[assignment]
        st.stance_confidence = None  # an analyst's call, not the model's
        return previous

    def speaker(self, st: Statement, value: str) -> str | None:
        previous = st.source_id
        source = self._source_for(value, st)
        if st.document_id not in source.document_ids:
            self.keep("sources", source.id, source if source.id in self.sources else None)
            source.document_ids = sorted({*source.document_ids, st.document_id})
        if source.id not in self.sources:
            self.keep("sources", source.id, None)
            self.sources[source.id] = source
            self.corpus.sources.append(source)
        st.source_id = source.id
        return previous

    def _source_for(self, value: str, st: Statement) -> Source:
        """An existing source by id, else a named (not anonymous) source of that name, else a new source
        (a person, or the type of an entity of that name) made for the correction."""
        if value in self.sources:
            return self.sources[value]
        wanted = _normal(value)
        for source in sorted(self.sources.values(), key=lambda s: s.id):
            if source.kind != "anonymous" and _normal(source.label) == wanted:
                return source
        entity = next(
            (
                e
                for e in sorted(self.corpus.entities, key=lambda e: e.id)
                if _normal(e.name) == wanted or any(_normal(a.name) == wanted for a in e.aliases)
            ),
            None,
        )
        kind = "organization" if entity is not None and entity.type in ("organization", "group") else "person"
        return Source(
            id=stable_id("src", "analyst", entity.id if entity is not None else wanted),
            label=entity.name if entity is not None else " ".join(value.split()),
            kind=kind,  # type: ignore[arg-type]
            entity_id=entity.id if entity is not None else None,
            document_ids=[],
        )

    def claim(self, st: Statement, value: str, anchor: str | None) -> tuple[bool, str | None]:
        """Move ``st`` to the claim named by ``anchor`` (a statement of it) or ``value``; ``""`` takes it out
        of any claim. ``(applied, previous claim id)``; not applied when the target claim is gone."""
        previous = st.claim_id
        target: Claim | None = None
        if value:
            anchored = self.statements.get(anchor) if anchor else None
            if anchored is not None and anchored.claim_id in self.claims and anchored.id != st.id:
                target = self.claims[anchored.claim_id]
            else:
                target = self.claims.get(value)
            if target is None:
                return False, previous
        if target is not None and target.id == previous:
            return True, previous
        old = self.claims.get(previous) if previous else None
        if old is not None:
            self.keep("claims", old.id, old)
            old.statement_ids = [s for s in old.statement_ids if s != st.id]
            if old.statement_ids:
                _fill_documents(old, self.statements, self.corpus)
            else:  # its only statement moved away: the claim is gone
                del self.claims[old.id]
                self.corpus.claims = [c for c in self.corpus.claims if c.id != old.id]
        if target is not None:
            self.keep("claims", target.id, target)
            target.statement_ids = sorted({*target.statement_ids, st.id})
            _fill_documents(target, self.statements, self.corpus)
        st.claim_id = None if target is None else target.id
        return True, previous


def apply_corrections(corpus: Corpus, pending: Sequence[Pending]) -> dict[str, dict[str, Any]]:
    """Apply ``pending`` (in id order: a later correction of the same field wins) to ``corpus``; set
    ``corpus.corrections`` to those applied; return the records as they were before (see
    :func:`undo_corrections`). A correction whose statement is not in this analysis is left out."""
    applier = _Applier(corpus)
    applied: list[Correction] = []
    for item in sorted(pending, key=lambda p: p.id):
        st = applier.statements.get(item.statement_id)
        if st is None or item.field not in CORRECTION_FIELDS:
            continue
        applier.keep("statements", st.id, st)
        value: str | None = item.value
        if item.field == "stance":
            if item.value not in STANCES:
                continue
            previous = applier.stance(st, item.value)
        elif item.field == "speaker":
            previous = applier.speaker(st, item.value)
            value = st.source_id
        else:
            done, previous = applier.claim(st, item.value, item.anchor)
            if not done:
                continue
            value = st.claim_id
        applied.append(
            Correction(
                id=f"cor-{item.id}",
                statement_id=st.id,
                document_id=st.document_id,
                field=item.field,  # type: ignore[arg-type]
                value=value,
                previous=previous,
                user=item.user,
                created=item.created,
                note=item.note,
            )
        )
    corpus.corrections = applied
    return applier.base if applied else {"statements": {}, "claims": {}, "sources": {}}


def undo_corrections(corpus: Corpus, base: dict[str, Any] | None) -> None:
    """Put back every record ``base`` saved (the analysis before its corrections) and forget the
    corrections: the corpus is the analysis as the claims stage left it (provenance fields aside)."""
    corpus.corrections = []
    if not base:
        return
    saved_statements: dict[str, Any] = base.get("statements") or {}
    saved_claims: dict[str, Any] = base.get("claims") or {}
    saved_sources: dict[str, Any] = base.get("sources") or {}
    if saved_statements:
        corpus.statements = [
            Statement.from_dict(saved_statements[s.id]) if saved_statements.get(s.id) else s
            for s in corpus.statements
        ]
    if saved_claims:
        kept = [c for c in corpus.claims if c.id not in saved_claims]
        corpus.claims = kept + [Claim.from_dict(d) for d in saved_claims.values() if d]
    if saved_sources:
        kept_sources = [s for s in corpus.sources if s.id not in saved_sources]
        corpus.sources = kept_sources + [Source.from_dict(d) for d in saved_sources.values() if d]
    corpus.sort()


def load_pending(store: Any) -> list[Pending]:
    """The active corrections of a workspace store (none for a store without the table)."""
    import sqlalchemy as sa

    from ..store import _tables as t

    c = t.ws_corrections.c
    query = sa.select(c.id, c.statement_id, c.field, c.value, c.anchor, c.user_name, c.created, c.note)
    query = query.where(c.withdrawn.is_(None)).order_by(c.id)
    with store._errors(), store._engine.connect() as conn:
        if not sa.inspect(conn).has_table(t.ws_corrections.name):
            return []
        return [
            Pending(
                int(r.id), r.statement_id, r.field, r.value, r.anchor, r.user_name, r.created, r.note or ""
            )
            for r in conn.execute(query)
        ]


@stage(
    "claimgraph.corrections.v1",
    reads=("statements", "claims", "sources", "documents"),
    assigns=(
        "statements.stance",
        "statements.stance_confidence",
        "statements.source_id",
        "statements.claim_id",
        "claims",
        "sources",
        "corrections",
    ),
)
def corrections_stage(corpus: Corpus, ctx: RunContext) -> None:
    """Apply the workspace's active corrections (``ctx.cache`` is the store; nothing without one)."""
    store = ctx.cache
    if store is None or not hasattr(store, "_engine"):
        corpus.corrections = []
        return
    pending = load_pending(store)
    base = apply_corrections(corpus, pending)
    ctx.saved[BASE_KEY] = base
