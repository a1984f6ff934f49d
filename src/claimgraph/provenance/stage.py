"""The ``claimgraph.provenance.v1`` stage: origins, independence, circularity, grades, relations,
network metrics and the timeline (see ``docs/provenance.md``)."""

from __future__ import annotations

import time
from collections import defaultdict
from typing import Any

from ..identity import corpus_source_groups
from ..model import Claim, Corpus, Document, Entity, Source, Statement
from ..options import Options
from ..pipeline import RunContext, stage
from .explain import explain_claim
from .grading import claim_credibility, make_grade
from .independence import apply_counts
from .network import compute_network
from .origins import ClaimProvenance, trace_claim
from .profile import sourcing_profiles
from .relations import extract_relations, filter_by_grade, grade_relation
from .reliability import ReliabilityRegistry, load_registry
from .relmemo import relation_memo
from .timeline import build_timeline

__all__ = ["claim_reliability", "provenance_stage", "run_provenance"]


@stage(
    "claimgraph.provenance.v1",
    reads=("claims", "statements", "sources", "documents", "entities"),
    assigns=(
        "claims.chains",
        "claims.origin_source_ids",
        "claims.origin_first_seen",
        "claims.independent_sources",
        "claims.supporting",
        "claims.disputing",
        "claims.circular",
        "claims.grade",
        "relations",
        "network",
        "entities.degree",
        "entities.betweenness",
        "entities.community",
        "timeline",
        "sourcing",
    ),
)
def provenance_stage(corpus: Corpus, ctx: RunContext) -> None:
    with ctx.task("provenance", total=None) as advance:
        # each document's relation triples of earlier runs are read back from the store (relmemo)
        run_provenance(corpus, ctx.options, store=ctx.cache)
        advance(1)


def claim_reliability(
    prov: ClaimProvenance,
    registry: ReliabilityRegistry,
    corpus: Corpus,
    sources: dict[str, Source],
    entities: dict[str, Entity] | None = None,
    documents: dict[str, Document] | None = None,
) -> tuple[str, str | None]:
    """The best letter the registry gives any of the claim's origins (by label, entity name or alias,
    and for outlets and authors their document's outlet); ``("F", None)`` when none is registered.
    Pass ``entities``/``documents`` indexes when calling it in a loop."""
    if not len(registry):
        return "F", None
    entities = entities if entities is not None else corpus.index("entities")
    documents = documents if documents is not None else corpus.index("documents")
    best: tuple[str, str] | None = None
    for source_id in prov.origin_ids:
        source = sources.get(source_id)
        if source is None:
            continue
        names: list[str | None] = [source.label]
        entity = entities.get(source.entity_id) if source.entity_id else None
        if entity is not None:
            names += [entity.name, *(a.name for a in entity.aliases)]
        if source.kind in ("outlet", "author"):
            names += [documents[d].outlet for d in source.document_ids if d in documents]
        letter = registry.lookup(*names)
        if letter is not None and (best is None or letter < best[0]):
            best = (letter, source.label)
    return best if best is not None else ("F", None)


class _Laps:
    """CPU seconds per part of :func:`run_provenance`, added to ``timings`` (nothing when it is ``None``)."""

    def __init__(self, timings: dict[str, float] | None) -> None:
        self.timings = timings
        self.last = time.process_time() if timings is not None else 0.0

    def __call__(self, part: str) -> None:
        if self.timings is not None:
            now = time.process_time()
            self.timings[part] = self.timings.get(part, 0.0) + now - self.last
            self.last = now


def run_provenance(
    corpus: Corpus, options: Options, timings: dict[str, float] | None = None, *, store: Any = None
) -> dict[str, int]:
    """The stage's work on ``corpus``. ``timings``: a dict that receives the CPU seconds of each part
    (``benchmarks/provenance_rerun.py --parts``). ``store``: a workspace store whose ``memo`` table keeps each
    document's relation triples between runs (:mod:`.relmemo`). Returns the documents whose triples were
    reused and computed (empty without a store)."""
    lap = _Laps(timings)
    registry = load_registry(options.reliability_registry)
    groups = corpus_source_groups(corpus)
    lap("source groups")
    documents = {d.id: d for d in corpus.documents}
    sources = {s.id: s for s in corpus.sources}
    by_claim: dict[str, list[Statement]] = defaultdict(list)
    for statement in corpus.statements:
        if statement.claim_id:
            by_claim[statement.claim_id].append(statement)
    entities = corpus.index("entities")
    paths = {d.path: d for d in corpus.documents}
    origin_documents: dict[str, dict[str, str]] = {}
    lap("indexes")
    timed = timings is not None  # (no call per claim otherwise)
    for claim in corpus.claims:
        claim_statements = by_claim.get(claim.id, [])
        prov = trace_claim(corpus, claim, groups, claim_statements, documents, sources, paths)
        if timed:
            lap("traces")
        apply_counts(claim, claim_statements, prov)
        reliability, registered = claim_reliability(prov, registry, corpus, sources, entities, documents)
        credibility = claim_credibility(prov)
        claim.grade = make_grade(
            reliability, credibility, explain_claim(prov, sources, reliability, registered, credibility)
        )
        origin_documents[claim.id] = prov.origin_document  # (the trace's own: nothing else holds it)
        if timed:
            lap("grades and explanations")
    claims: dict[str, Claim] = {c.id: c for c in corpus.claims}
    statements = {s.id: s for s in corpus.statements}
    memo = relation_memo(store)
    relations = extract_relations(corpus, memo=memo)
    if memo is not None:
        memo.save()
    for relation in relations:
        relation.grade = grade_relation(relation, claims, statements)
    corpus.relations = relations
    lap("relations")
    corpus.network = compute_network(corpus, relations, options.min_grade)
    lap("network")
    corpus.timeline = build_timeline(corpus, sorted(corpus.claims, key=lambda c: c.id), origin_documents)
    lap("timeline")
    corpus.sourcing = sourcing_profiles(corpus)
    lap("sourcing profiles")
    return {"documents reused": memo.reused, "documents computed": memo.computed} if memo is not None else {}


__all__ += ["filter_by_grade"]
