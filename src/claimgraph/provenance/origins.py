"""Provenance: each statement's chain up to the claim's origins, and which sources count once.

Rules (``docs/provenance.md``):

* **Source identity.** Sources linked to the same entity are one (the author of one article quoted
  in another); sources tied by ``affiliated_source_ids`` are one (an author and the company he runs);
  an article's author(s) are one with its outlet (an outlet and its own reporter); anonymous sources
  in one document are one unless their descriptions name different affiliations
  ("a U.S. official" vs "a Foreign Ministry official").
* **Chains.** A statement's chain is ``outlet -> speaker -> cited sources`` (a syndicated copy starts with
  its own outlet, then the original's).
* **Origins.** A supporting or reporting statement's origin is the last source of its chain, except
  that it *relays* (adds no origin) when it is in a syndicated copy (``duplicate_of``), when its
  stance is ``reports`` without a cited source, or when it is the outlet's/author's own voice in a
  document that also quotes another source supporting the claim. A claim's ``origin_source_ids`` are
  one representative per origin group: its earliest source (document date, then id).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ..claims.stance import has_relay_cue, refers_to_claim, retracts
from ..identity import SourceGroups, source_groups
from ..model import UNNAMED_OUTLET, Claim, Corpus, Document, Source, Statement

__all__ = [
    "ClaimProvenance",
    "Sightings",
    "SourceGroups",
    "TraceInput",
    "drop_citing_origins",
    "end_chains_at_origins",
    "order_statements",
    "origin_never_opposes",
    "set_origins",
    "sight_statements",
    "source_groups",
    "summarise_carriers",
    "trace_claim",
]

SUPPORTING = ("supports", "reports")


@dataclass
class ClaimProvenance:
    """Everything grading and the explanation need about one claim."""

    claim: Claim
    chains: list[list[str]] = field(default_factory=list)
    origin_groups: list[str] = field(default_factory=list)
    """Groups (source ids) of the origins, earliest first."""
    origin_ids: list[str] = field(default_factory=list)
    """One representative source id per origin group, earliest first."""
    origin_first_seen: dict[str, str | None] = field(default_factory=dict)
    origin_document: dict[str, str] = field(default_factory=dict)
    supporting_groups: list[str] = field(default_factory=list)
    disputing_groups: list[str] = field(default_factory=list)
    denying_groups: list[str] = field(default_factory=list)
    declining_groups: list[str] = field(default_factory=list)
    retracting_groups: list[str] = field(default_factory=list)
    """Groups that supported the claim (or first carried it) and took it back: a correction notice or a
    fabrication named (:func:`claimgraph.claims.stance.retracts`). Counted as disputing, not supporting."""
    carrying_documents: list[str] = field(default_factory=list)
    carrying_outlets: list[str] = field(default_factory=list)
    """The carrying outlets' names, one per outlet: each document's unnamed outlet is one of its own."""
    document_outlets: dict[str, str] = field(default_factory=dict)
    """Carrying document id -> its outlet's name."""
    syndicated_documents: list[str] = field(default_factory=list)
    written_by_origin: list[str] = field(default_factory=list)
    """Documents carrying the claim whose author/outlet is in an origin group."""
    origin_authors: list[str] = field(default_factory=list)
    """Author source ids (in an origin group) of the documents in ``written_by_origin``."""
    hedged_support: bool = False
    representative: dict[str, str] = field(default_factory=dict)
    """group -> the source id shown for it (earliest in the claim)."""
    role_representative: dict[tuple[str, str], str] = field(default_factory=dict)
    """(stance, group) -> the source id shown for the group when it disputes, denies or declines."""


def _chain(
    statement: Statement,
    doc: Document | None,
    groups: SourceGroups,
    documents: dict[str, Document],
    paths: dict[str, Document] | None = None,
) -> list[str]:
    chain: list[str] = []
    if doc is not None:
        own = groups.outlet_of.get(doc.id)
        if own:
            chain.append(own)
        if doc.duplicate_of:
            original = _original(doc, documents, paths)
            outlet = groups.outlet_of.get(original.id) if original is not None else None
            if outlet:
                chain.append(outlet)
    for sid in [statement.source_id, *statement.cited_source_ids]:
        if not chain or chain[-1] != sid:
            chain.append(sid)
    return chain


def _original(
    doc: Document, documents: dict[str, Document], paths: dict[str, Document] | None = None
) -> Document | None:
    """The document ``doc`` is a copy of (``duplicate_of`` holds its id or its path)."""
    target = doc.duplicate_of
    if target is None:
        return None
    if target in documents:
        return documents[target]
    if paths is None:
        paths = {d.path: d for d in documents.values()}
    return paths.get(target)


def _outlet_name(
    doc_id: str, documents: dict[str, Document], groups: SourceGroups, sources: dict[str, Source]
) -> str:
    doc = documents.get(doc_id)
    if doc is not None and doc.outlet:
        return doc.outlet
    outlet = groups.outlet_of.get(doc_id)
    return sources[outlet].label if outlet in sources else ""


def _no_backward_relays(
    ordered: list[tuple[str, tuple[str, str, str]]],
    relay_candidates: list[tuple[str, str, str]],
    groups: SourceGroups,
) -> list[tuple[str, tuple[str, str, str]]]:
    """Origins once relays are placed in time: a relaying statement published before every origin
    appeared cannot relay them, so the earliest such relay is an origin of its own; with no origin at
    all, the earliest relaying source is as far as the trail goes. Entries are ``(date, source id,
    document id)``; unknown dates sort last and never make a relay earlier."""
    if not relay_candidates:
        return ordered
    first = min(relay_candidates)
    if not ordered:
        return [(groups.of(first[1]), first)]
    earliest = ordered[0][1][0]
    known = first[0] != UNKNOWN_DATE
    if known and first[0] < earliest and all(g != groups.of(first[1]) for g, _ in ordered):
        return [(groups.of(first[1]), first), *ordered]
    return ordered


def _cites(
    statement: Statement, group: str, groups: SourceGroups, group_entities: dict[str, set[str]]
) -> bool:
    """Whether ``statement`` cites the origin ``group``: it names a source of the group as its cited
    source, or it names the group's entity *with* a citation, quote or relay cue ("the Acme report
    confirms ...", "according to Acme", "Acme's findings"). Naming the same country or organisation
    without such a cue is no citation: two origins that do not cite each other stay independent.
    :func:`drop_citing_origins` asks this of every earlier origin at once (:func:`_cites_earlier`); this
    per-origin form states the rule (``tests/provenance/test_citing_origins.py`` checks the two agree)."""
    if any(groups.of(c) == group for c in statement.cited_source_ids):
        return True
    if not set(statement.entity_ids) & group_entities.get(group, set()):
        return False
    return refers_to_claim(statement.text) or has_relay_cue(statement.text)


UNKNOWN_DATE = "9999-99-99"
#: ``(date, source id, document id)`` of a statement that supports or relays the claim; unknown dates sort last.
Entry = tuple[str, str, str]


@dataclass
class TraceInput:
    """Pass 1's record: the claim's statements in reading order (date, document, title first, offset) and the
    indexes every later pass looks things up in."""

    statements: list[Statement]
    documents: dict[str, Document]
    sources: dict[str, Source]
    paths: dict[str, Document] | None
    own_voice_groups: dict[str, set[str]]
    """document id -> the groups of its outlet and authors."""

    def date(self, doc_id: str) -> str:
        doc = self.documents.get(doc_id)
        return (doc.published if doc is not None else None) or UNKNOWN_DATE

    def is_own_voice(self, st: Statement, groups: SourceGroups) -> bool:
        source = self.sources.get(st.source_id)
        if source is not None and source.kind in ("outlet", "author"):
            return True
        return groups.of(st.source_id) in self.own_voice_groups.get(st.document_id, set())


@dataclass
class Sightings:
    """Pass 2's record: every statement's chain, and who supports, relays, disputes, denies or declines."""

    chains: list[list[str]] = field(default_factory=list)
    chain_dates: list[str] = field(default_factory=list)
    origins: dict[str, Entry] = field(default_factory=dict)
    """origin group -> its earliest supporting statement."""
    origin_statements: dict[str, list[Statement]] = field(default_factory=lambda: defaultdict(list))
    relay_candidates: list[Entry] = field(default_factory=list)
    carrying: set[str] = field(default_factory=set)
    hedges: list[bool] = field(default_factory=list)
    speakers: dict[str, str] = field(default_factory=dict)
    """group -> its first speaker in a disputing, denying or declining role."""


def order_statements(
    corpus: Corpus,
    claim: Claim,
    groups: SourceGroups,
    statements: list[Statement] | None = None,
    documents: dict[str, Document] | None = None,
    sources: dict[str, Source] | None = None,
    paths: dict[str, Document] | None = None,
) -> TraceInput:
    """Pass 1: the claim's statements in reading order, with the indexes the other passes use."""
    documents = documents if documents is not None else {d.id: d for d in corpus.documents}
    sources = sources if sources is not None else {s.id: s for s in corpus.sources}
    if statements is None:
        by_id = {s.id: s for s in corpus.statements}
        statements = [by_id[sid] for sid in claim.statement_ids if sid in by_id]
    own_voice_groups = {
        doc_id: {
            groups.of(x) for x in [groups.outlet_of.get(doc_id), *groups.authors_of.get(doc_id, [])] if x
        }
        for doc_id in {s.document_id for s in statements}
    }
    if paths is None and any(
        (doc := documents.get(s.document_id)) is not None
        and doc.duplicate_of
        and doc.duplicate_of not in documents
        for s in statements
    ):
        paths = {d.path: d for d in documents.values()}
    trace = TraceInput(list(statements), documents, sources, paths, own_voice_groups)
    if len(trace.statements) > 1:  # (most claims hold one statement: nothing to order)
        trace.statements.sort(
            key=lambda s: (
                trace.date(s.document_id),
                s.document_id,
                0 if s.part == "title" else 1,
                s.start,
                s.id,
            )
        )
    return trace


def sight_statements(trace: TraceInput, groups: SourceGroups, prov: ClaimProvenance) -> Sightings:
    """Pass 2: each statement's chain; disputes, denials and refusals go to their role lists (the group's first
    speaker in that role is the one shown), supporting statements become origins or relay candidates.

    A statement relays (adds no origin) when it is in a syndicated copy, when it ``reports`` without a cited
    source, or when it is the outlet's/author's own voice in a document that also quotes another supporter.
    """
    quoted_support = {
        st.document_id
        for st in trace.statements
        if st.stance in SUPPORTING and not trace.is_own_voice(st, groups)
    }
    roles = {
        "disputes": prov.disputing_groups,
        "denies": prov.denying_groups,
        "declines": prov.declining_groups,
    }
    seen = Sightings()
    for st in trace.statements:
        doc = trace.documents.get(st.document_id)
        chain = _chain(st, doc, groups, trace.documents, trace.paths)
        seen.chains.append(chain)
        seen.chain_dates.append(trace.date(st.document_id))
        if st.stance in roles:
            speaker_group = groups.of(st.source_id)
            roles[st.stance].append(speaker_group)
            prov.role_representative.setdefault((st.stance, speaker_group), st.source_id)
            seen.speakers.setdefault(speaker_group, st.source_id)
            continue
        if st.stance not in SUPPORTING:
            continue
        seen.carrying.add(st.document_id)
        if doc is not None and doc.duplicate_of:
            prov.syndicated_documents.append(doc.id)
            continue
        relay = (st.stance == "reports" and not st.cited_source_ids) or (
            trace.is_own_voice(st, groups) and not st.cited_source_ids and st.document_id in quoted_support
        )
        entry = (trace.date(st.document_id), chain[-1], st.document_id)
        if relay:
            seen.relay_candidates.append(entry)
            continue
        seen.hedges.append(st.certainty in ("hedged", "conditional", "question"))
        group = groups.of(chain[-1])
        seen.origin_statements[group].append(st)
        if group not in seen.origins or _origin_key(entry, trace.sources) < _origin_key(
            seen.origins[group], trace.sources
        ):
            seen.origins[group] = entry
    return seen


def drop_citing_origins(
    seen: Sightings, groups: SourceGroups, sources: dict[str, Source]
) -> list[tuple[str, Entry]]:
    """Pass 3: origins in time order, without those that explicitly cite an earlier origin (they become relay
    candidates): "the Acme report confirms what we suspected" relays; naming the earlier origin's country or
    organisation is no citation (:func:`_cites`)."""
    if len(seen.origins) < 2:  # (most claims: one origin or none, nothing earlier to cite)
        return list(seen.origins.items())
    ordered = sorted(seen.origins.items(), key=lambda kv: (kv[1][0], kv[1][1]))
    group_entities = groups.entities_by_group(sources)
    groups_of_entity = groups.groups_by_entity(sources)
    kept: list[tuple[str, Entry]] = []
    # The kept origins' dates by group, so that a statement is asked once against every earlier origin
    # (:func:`_cites_earlier`) instead of once per earlier origin (quadratic in a claim's origins).
    kept_date: dict[str, str] = {}
    for group, entry in ordered:
        if kept_date and any(  # (the first origin has nothing earlier to cite)
            _cites_earlier(st, entry[0], kept_date, groups, group_entities, groups_of_entity)
            for st in seen.origin_statements[group]
        ):
            seen.relay_candidates.append(entry)
            continue
        kept.append((group, entry))
        kept_date[group] = entry[0]
    return kept


def _cites_earlier(
    statement: Statement,
    date: str,
    kept_date: dict[str, str],
    groups: SourceGroups,
    group_entities: dict[str, set[str]],
    groups_of_entity: dict[str, list[str]],
) -> bool:
    """Whether ``statement`` cites (:func:`_cites`) a kept origin group first seen before ``date``
    (``kept_date``: each kept group's date): the same answer as ``any(_cites(statement, g, ...))`` over
    those groups. An entity of the statement is looked up among the groups that hold it or among the kept
    groups, whichever are fewer, never by walking a group's entities (a large group holds many)."""
    for cited in statement.cited_source_ids:
        when = kept_date.get(groups.of(cited))
        if when is not None and when < date:
            return True
    if not any(
        _earlier_group_holds(entity, date, kept_date, group_entities, groups_of_entity)
        for entity in statement.entity_ids
    ):
        return False
    return refers_to_claim(statement.text) or has_relay_cue(statement.text)


def _earlier_group_holds(
    entity: str,
    date: str,
    kept_date: dict[str, str],
    group_entities: dict[str, set[str]],
    groups_of_entity: dict[str, list[str]],
) -> bool:
    holders = groups_of_entity.get(entity, ())
    if len(holders) <= len(kept_date):
        return any((when := kept_date.get(g)) is not None and when < date for g in holders)
    return any(when < date and entity in group_entities.get(g, ()) for g, when in kept_date.items())


def set_origins(prov: ClaimProvenance, ordered: list[tuple[str, Entry]], seen: Sightings) -> None:
    """Pass 5: the claim's origins (groups, representatives, first appearance, document)."""
    prov.origin_groups = [g for g, _ in ordered]
    prov.origin_ids = [entry[1] for _, entry in ordered]
    prov.origin_first_seen = {
        entry[1]: (entry[0] if entry[0] != UNKNOWN_DATE else None) for _, entry in ordered
    }
    prov.origin_document = {entry[1]: entry[2] for _, entry in ordered}
    prov.representative = {**seen.speakers, **{g: entry[1] for g, entry in ordered}}


def end_chains_at_origins(
    prov: ClaimProvenance, ordered: list[tuple[str, Entry]], seen: Sightings, groups: SourceGroups
) -> None:
    """Pass 6: a relaying statement's chain ends at the earliest origin that had appeared by its date, never at
    a later one (a chain never runs backwards in time)."""
    if prov.origin_ids:
        roles = set(prov.disputing_groups) | set(prov.denying_groups) | set(prov.declining_groups)
        for chain, when in zip(seen.chains, seen.chain_dates, strict=True):
            end = groups.of(chain[-1])
            if end in prov.origin_groups or end in roles:
                continue
            target = next((entry[1] for _, entry in ordered if entry[0] <= when), None)
            if target is not None:
                chain.append(target)
    prov.chains = [list(c) for c in sorted({tuple(c) for c in seen.chains})]


def origin_never_opposes(prov: ClaimProvenance) -> None:
    """Pass 7: the origin (and sources counted as one with it) never disputes or denies its own claim."""
    own = set(prov.supporting_groups) | set(prov.origin_groups)
    prov.disputing_groups = sorted(set(prov.disputing_groups) - own)
    prov.denying_groups = sorted(set(prov.denying_groups) - own)
    prov.declining_groups = sorted(set(prov.declining_groups))


def withdraw_retracted(prov: ClaimProvenance, trace: TraceInput, groups: SourceGroups) -> None:
    """Pass 8: a group that supported the claim, or first carried it, and later took it back (its disputing
    statement retracts: :func:`claimgraph.claims.stance.retracts`) no longer supports it: it leaves the supporting
    groups (so it is no corroboration) and is counted with the disputes; it stays among the origins, where the
    claim began."""
    supporters = set(prov.supporting_groups) | set(prov.origin_groups)
    retracting = {
        g
        for st in trace.statements
        if st.stance in ("disputes", "denies")
        and (g := groups.of(st.source_id)) in supporters
        and retracts(st)
    }
    if not retracting:
        return
    for st in trace.statements:
        g = groups.of(st.source_id)
        if g in retracting and st.stance in ("disputes", "denies"):
            prov.role_representative.setdefault(("retracts", g), st.source_id)
    prov.retracting_groups = sorted(retracting)
    prov.supporting_groups = [g for g in prov.supporting_groups if g not in retracting]


def summarise_carriers(
    prov: ClaimProvenance, trace: TraceInput, seen: Sightings, groups: SourceGroups
) -> None:
    """Pass 8: the documents and outlets carrying the claim, syndicated copies, what the origin wrote itself,
    and whether all support is hedged."""
    carrying = sorted(seen.carrying)
    prov.carrying_documents = carrying
    prov.document_outlets = {
        d: name for d in carrying if (name := _outlet_name(d, trace.documents, groups, trace.sources))
    }
    named = {name for name in prov.document_outlets.values() if name != UNNAMED_OUTLET}
    unnamed = [name for name in prov.document_outlets.values() if name == UNNAMED_OUTLET]
    prov.carrying_outlets = sorted(named) + unnamed
    prov.syndicated_documents = sorted(set(prov.syndicated_documents))
    origin_set = set(prov.origin_groups)
    prov.written_by_origin = [
        d for d in carrying if any(groups.of(a) in origin_set for a in groups.authors_of.get(d, []))
    ]
    prov.origin_authors = (
        sorted(
            {
                a
                for d in prov.written_by_origin
                for a in groups.authors_of.get(d, [])
                if groups.of(a) in origin_set
            },
            key=lambda a: trace.sources[a].label if a in trace.sources else a,
        )
        if prov.written_by_origin
        else []
    )
    prov.hedged_support = bool(seen.hedges) and all(seen.hedges)


def trace_claim(
    corpus: Corpus,
    claim: Claim,
    groups: SourceGroups,
    statements: list[Statement] | None = None,
    documents: dict[str, Document] | None = None,
    sources: dict[str, Source] | None = None,
    paths: dict[str, Document] | None = None,
) -> ClaimProvenance:
    """Chains, origins and counts of ``claim`` (``statements``: the claim's, default looked up;
    ``documents``/``sources``/``paths`` (path -> document): indexes to reuse when tracing many claims).

    The passes, in order: :func:`order_statements`, :func:`sight_statements`, :func:`drop_citing_origins`,
    :func:`_no_backward_relays`, :func:`set_origins`, :func:`end_chains_at_origins`,
    :func:`origin_never_opposes`, :func:`withdraw_retracted`, :func:`summarise_carriers`.
    """
    trace = order_statements(corpus, claim, groups, statements, documents, sources, paths)
    prov = ClaimProvenance(claim=claim)
    seen = sight_statements(trace, groups, prov)
    ordered = drop_citing_origins(seen, groups, trace.sources)
    prov.supporting_groups = [g for g, _ in ordered]
    ordered = _no_backward_relays(ordered, seen.relay_candidates, groups)
    set_origins(prov, ordered, seen)
    end_chains_at_origins(prov, ordered, seen, groups)
    origin_never_opposes(prov)
    withdraw_retracted(prov, trace, groups)
    summarise_carriers(prov, trace, seen, groups)
    return prov


def _origin_key(entry: tuple[str, str, str], sources: dict[str, Source]) -> tuple[str, int, str, str]:
    """Which statement stands for an origin group: the earliest; on one date a person or author before
    the outlet (an outlet's headline over its author's report is the author's claim)."""
    source = sources.get(entry[1])
    return (entry[0], int(source is not None and source.kind == "outlet"), entry[1], entry[2])
