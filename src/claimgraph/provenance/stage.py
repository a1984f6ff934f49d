"""The ``claimgraph.provenance.v1`` stage: origins, independence, circularity, grades, relations,
network metrics and the timeline (see ``docs/provenance.md``)."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from ..gcpolicy import collector_paused
from ..identity import corpus_source_groups
from ..model import Claim, Corpus, Document, Entity, Source, Statement
from ..options import Options
from ..pipeline import RunContext, stage
from .claimmemo import (
    RELATIONS_PREFIX,
    ViewIndex,
    apply_value,
    claim_key,
    claim_memo,
    claim_value,
    claim_view,
)
from .explain import explain_claim
from .grading import claim_credibility, make_grade
from .independence import apply_counts
from .network import compute_network
from .origins import ClaimProvenance, trace_claim
from .profile import sourcing_profiles
from .relations import extract_relations, filter_by_grade, grade_relation
from .reliability import ReliabilityRegistry, load_registry
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
        # each claim's results of earlier runs are read back from the store when nothing they read changed
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
    letter_of = source_letter(registry, entities, documents)
    best: tuple[str, str] | None = None
    for source_id in prov.origin_ids:
        source = sources.get(source_id)
        if source is None:
            continue
        letter = letter_of(source)
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


def source_letter(
    registry: ReliabilityRegistry,
    entities: dict[str, Entity],
    documents: dict[str, Document],
) -> Callable[[Source], str | None]:
    """The registry letter of one source, as :func:`claim_reliability` looks it up (``None``: not registered)."""

    def letter(source: Source) -> str | None:
        names: list[str | None] = [source.label]
        entity = entities.get(source.entity_id) if source.entity_id else None
        if entity is not None:
            names += [entity.name, *(a.name for a in entity.aliases)]
        if source.kind in ("outlet", "author"):
            names += [documents[d].outlet for d in source.document_ids if d in documents]
        return registry.lookup(*names)

    return letter


def run_provenance(
    corpus: Corpus, options: Options, timings: dict[str, float] | None = None, *, store: Any = None
) -> dict[str, int]:
    """The stage's work on ``corpus``. ``timings``: a dict that receives the CPU seconds of each part
    (``benchmarks/provenance_rerun.py --parts``). ``store``: a workspace store whose ``memo`` table keeps each
    claim's results and each document's relation triples between runs (:mod:`.claimmemo`): a claim or document
    whose inputs did not change is not computed again. Returns how many of each were reused and computed
    (empty without a store)."""
    # the stage makes many small containers (traces, memo values, relation triples) and no garbage cycles
    # worth a collection: no young collections walking them again and again (gcpolicy.collector_paused)
    with collector_paused():
        return _run_provenance(corpus, options, timings, store)


def _run_provenance(
    corpus: Corpus, options: Options, timings: dict[str, float] | None, store: Any
) -> dict[str, int]:
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
    memo = claim_memo(store)
    keys: list[str] = []
    found: dict[str, Any] = {}
    if memo is not None:
        letter = source_letter(registry, entities, documents) if len(registry) else None
        view_index = ViewIndex(documents, sources, groups, paths, letter)
        keys = [claim_key(claim_view(by_claim.get(claim.id, []), view_index)) for claim in corpus.claims]
        found = memo.get(keys)
        lap("memo keys")
    timed = timings is not None  # (no call per claim otherwise)
    for position, claim in enumerate(corpus.claims):
        if memo is not None:
            key = keys[position]
            value = found.get(key)
            if value is not None:
                try:
                    origin_documents[claim.id] = apply_value(claim, value)
                except ValueError:
                    pass  # a damaged entry: computed again below
                else:
                    memo.keep(key, value)
                    memo.reused += 1
                    continue
        prov = trace_claim(corpus, claim, groups, by_claim.get(claim.id, []), documents, sources, paths)
        if timed:
            lap("traces")
        apply_counts(claim, by_claim.get(claim.id, []), prov)
        reliability, registered = claim_reliability(prov, registry, corpus, sources, entities, documents)
        credibility = claim_credibility(prov)
        claim.grade = make_grade(
            reliability, credibility, explain_claim(prov, sources, reliability, registered, credibility)
        )
        origin_documents[claim.id] = dict(prov.origin_document)
        if memo is not None:
            memo.keep(keys[position], claim_value(claim, origin_documents[claim.id]))
            memo.computed += 1
        if timed:
            lap("grades and explanations")
    if memo is not None:
        if timed:
            lap("memo reuse")
        memo.save()
        lap("memo save")
    claims: dict[str, Claim] = {c.id: c for c in corpus.claims}
    statements = {s.id: s for s in corpus.statements}
    relation_memo = claim_memo(store, RELATIONS_PREFIX)
    relations = extract_relations(corpus, memo=relation_memo)
    if relation_memo is not None:
        relation_memo.save()
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
    if memo is None or relation_memo is None:
        return {}
    return {
        "reused": memo.reused,
        "computed": memo.computed,
        "documents reused": relation_memo.reused,
        "documents computed": relation_memo.computed,
    }


__all__ += ["filter_by_grade"]
