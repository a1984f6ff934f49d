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

import re
from collections import defaultdict
from dataclasses import dataclass, field

from ..claims.matching import UnionFind
from ..model import Claim, Corpus, Document, Source, Statement

__all__ = ["ClaimProvenance", "SourceGroups", "source_groups", "trace_claim"]

SUPPORTING = ("supports", "reports")
_AFFILIATION = re.compile(r"\b(?:[A-Z][\w.'’-]*[A-Za-z.])(?:\s+[A-Z][\w.'’-]*)*")
_GENERIC = frozenset(
    {"A", "An", "The", "One", "Two", "Three", "Some", "Several", "Senior", "Sources", "Source"}
)


@dataclass
class SourceGroups:
    """Which sources count as one: ``group[source_id]`` is the group's key (a source id)."""

    group: dict[str, str]
    outlet_of: dict[str, str]
    """document id -> its outlet source id."""
    authors_of: dict[str, list[str]]
    """document id -> its author source ids."""

    _entities: dict[str, set[str]] | None = field(default=None, repr=False)

    def of(self, source_id: str) -> str:
        return self.group.get(source_id, source_id)

    def entities_by_group(self, sources: dict[str, Source]) -> dict[str, set[str]]:
        """group -> the entities of its sources (built once, reused by every claim's trace)."""
        if self._entities is None:
            found: dict[str, set[str]] = defaultdict(set)
            for source in sources.values():
                if source.entity_id:
                    found[self.of(source.id)].add(source.entity_id)
            self._entities = found
        return self._entities


def _affiliation(description: str | None) -> str:
    """Capitalised words of an anonymous source's description, e.g. "Foreign Ministry"; "" when none."""
    if not description:
        return ""
    words: list[str] = []
    for match in _AFFILIATION.finditer(description):
        parts = [p for p in match.group(0).split() if p not in _GENERIC]
        words.extend(parts)
    return " ".join(words).casefold()


_FORMER = re.compile(r"\b(?:former|ex-|retired|onetime|one-time|erstwhile)", re.IGNORECASE)


def _former(source: Source) -> bool:
    """A former member no longer speaks for the organisation: no affiliation tie from it."""
    return bool(_FORMER.search(f"{source.role or ''} {source.description or ''}"))


def source_groups(corpus: Corpus) -> SourceGroups:
    sources = sorted(corpus.sources, key=lambda s: s.id)
    ids = [s.id for s in sources]
    by_id = {s.id: s for s in sources}
    pos = {sid: k for k, sid in enumerate(ids)}
    uf = UnionFind(len(ids))
    by_entity: dict[str, str] = {}
    documents = {d.id: d for d in corpus.documents}
    outlet_of: dict[str, str] = {}
    authors_of: dict[str, list[str]] = defaultdict(list)
    anonymous: dict[str, list[Source]] = defaultdict(list)
    for source in sources:
        if source.entity_id:
            first = by_entity.setdefault(source.entity_id, source.id)
            uf.union(pos[first], pos[source.id])
        for other in source.affiliated_source_ids:
            if other in pos and not _former(source) and not _former(by_id[other]):
                uf.union(pos[source.id], pos[other])
        for doc_id in source.document_ids:
            if source.kind == "outlet":
                outlet_of.setdefault(doc_id, source.id)
            elif source.kind == "author":
                authors_of[doc_id].append(source.id)
            elif source.kind == "anonymous":
                anonymous[doc_id].append(source)
    # outlet sources found by name when attribution did not list the document on them
    by_label = {(s.kind, s.label.casefold()): s.id for s in sources}
    for doc in documents.values():
        if doc.id not in outlet_of and doc.outlet and ("outlet", doc.outlet.casefold()) in by_label:
            outlet_of[doc.id] = by_label[("outlet", doc.outlet.casefold())]
        if not authors_of.get(doc.id):
            authors_of[doc.id] = [
                by_label[("author", a.casefold())]
                for a in doc.authors
                if ("author", a.casefold()) in by_label
            ]
    for doc_id, author_ids in authors_of.items():
        outlet = outlet_of.get(doc_id)
        for author in author_ids:
            if outlet is not None:
                uf.union(pos[outlet], pos[author])
    # a cited document ("a report by Holt Risk Advisory") is the word of the entity it names
    names = sorted(
        (
            (n.casefold(), e.id)
            for e in corpus.entities
            for n in [e.name, *(a.name for a in e.aliases)]
            if len(n) >= 4
        ),
        key=lambda x: -len(x[0]),
    )
    for source in sources:
        if source.kind != "document" or source.entity_id:
            continue
        label = source.label.casefold()
        for name, entity_id in names:
            if re.search(rf"\b{re.escape(name)}\b", label) and entity_id in by_entity:
                uf.union(pos[by_entity[entity_id]], pos[source.id])
                break
    for members in anonymous.values():
        keyed: dict[str, list[Source]] = defaultdict(list)
        for source in members:
            keyed[_affiliation(source.description)].append(source)
        plain = keyed.pop("", [])
        anonymous_groups = list(keyed.values())
        if plain:
            if len(anonymous_groups) == 1:
                anonymous_groups[0].extend(plain)
            else:
                anonymous_groups.append(plain)
        for members_of_one in anonymous_groups:
            for source in members_of_one[1:]:
                uf.union(pos[members_of_one[0].id], pos[source.id])
    group = {sid: ids[uf.find(k)] for k, sid in enumerate(ids)}
    return SourceGroups(group=group, outlet_of=outlet_of, authors_of=dict(authors_of))


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
    carrying_documents: list[str] = field(default_factory=list)
    carrying_outlets: list[str] = field(default_factory=list)
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
    ``documents``/``sources``/``paths`` (path -> document): indexes to reuse when tracing many claims)."""
    documents = documents if documents is not None else {d.id: d for d in corpus.documents}
    sources = sources if sources is not None else {s.id: s for s in corpus.sources}
    if statements is None:
        by_id = {s.id: s for s in corpus.statements}
        statements = [by_id[sid] for sid in claim.statement_ids if sid in by_id]
    statements = list(statements)

    def date(doc_id: str) -> str:
        doc = documents.get(doc_id)
        return (doc.published if doc is not None else None) or "9999-99-99"

    statements.sort(
        key=lambda s: (date(s.document_id), s.document_id, 0 if s.part == "title" else 1, s.start, s.id)
    )
    prov = ClaimProvenance(claim=claim)
    own_voice: dict[str, set[str]] = defaultdict(set)
    for doc_id in {s.document_id for s in statements}:
        own_voice[doc_id] = {
            groups.of(x) for x in [groups.outlet_of.get(doc_id), *groups.authors_of.get(doc_id, [])] if x
        }

    def is_own_voice(st: Statement) -> bool:
        source = sources.get(st.source_id)
        return (source is not None and source.kind in ("outlet", "author")) or groups.of(
            st.source_id
        ) in own_voice[st.document_id]

    quoted_support: set[str] = {
        st.document_id for st in statements if st.stance in SUPPORTING and not is_own_voice(st)
    }
    chains: list[list[str]] = []
    origins: dict[str, tuple[str, str, str]] = {}  # group -> (date, source id, document id)
    relay_candidates: list[tuple[str, str, str]] = []
    carrying: set[str] = set()
    hedges: list[bool] = []
    speakers: dict[str, str] = {}
    origin_statements: dict[str, list[Statement]] = defaultdict(list)
    for st in statements:
        doc = documents.get(st.document_id)
        if paths is None and doc is not None and doc.duplicate_of and doc.duplicate_of not in documents:
            paths = {d.path: d for d in documents.values()}
        chain = _chain(st, doc, groups, documents, paths)
        chains.append(chain)
        group = groups.of(chain[-1])
        if st.stance in ("disputes", "denies", "declines"):
            speaker_group = groups.of(st.source_id)
            {
                "disputes": prov.disputing_groups,
                "denies": prov.denying_groups,
                "declines": prov.declining_groups,
            }[st.stance].append(speaker_group)
            # shown for the group in this role: its first speaker *in that role*
            prov.role_representative.setdefault((st.stance, speaker_group), st.source_id)
            speakers.setdefault(speaker_group, st.source_id)
            continue
        if st.stance not in SUPPORTING:
            continue
        carrying.add(st.document_id)
        if doc is not None and doc.duplicate_of:
            prov.syndicated_documents.append(doc.id)
            continue
        relay = (st.stance == "reports" and not st.cited_source_ids) or (
            is_own_voice(st) and not st.cited_source_ids and st.document_id in quoted_support
        )
        entry = (date(st.document_id), chain[-1], st.document_id)
        if relay:
            relay_candidates.append(entry)
            continue
        hedges.append(st.certainty in ("hedged", "conditional", "question"))
        origin_statements[group].append(st)
        if group not in origins or entry < origins[group]:
            origins[group] = entry
    ordered = sorted(origins.items(), key=lambda kv: (kv[1][0], kv[1][1]))
    # a later speaker who names an earlier origin while supporting the claim is relaying it
    # ("the Holt Risk Advisory report confirms what we have long suspected")
    group_entities = groups.entities_by_group(sources)
    kept: list[tuple[str, tuple[str, str, str]]] = []
    for group, entry in ordered:
        named = {e for st in origin_statements[group] for e in st.entity_ids}
        earlier = [g for g, e in kept if e[0] < entry[0] and named & group_entities.get(g, set())]
        if earlier:
            relay_candidates.append(entry)
            continue
        kept.append((group, entry))
    ordered = kept
    prov.supporting_groups = [g for g, _ in ordered]
    if not ordered and relay_candidates:
        # nothing traceable beyond the relays: the earliest relaying source is as far as the trail goes
        first = min(relay_candidates)
        ordered = [(groups.of(first[1]), first)]
    prov.origin_groups = [g for g, _ in ordered]
    prov.origin_ids = [entry[1] for _, entry in ordered]
    prov.origin_first_seen = {
        entry[1]: (entry[0] if entry[0] != "9999-99-99" else None) for _, entry in ordered
    }
    prov.origin_document = {entry[1]: entry[2] for _, entry in ordered}
    prov.representative = {**speakers, **{g: entry[1] for g, entry in ordered}}
    # relayed statements' chains end at the origin they relay
    if prov.origin_ids:
        for chain in chains:
            if groups.of(chain[-1]) not in prov.origin_groups and groups.of(chain[-1]) not in (
                set(prov.disputing_groups) | set(prov.denying_groups) | set(prov.declining_groups)
            ):
                chain.append(prov.origin_ids[0])
    prov.chains = [list(c) for c in sorted({tuple(c) for c in chains})]
    prov.disputing_groups = sorted(set(prov.disputing_groups) - set(prov.supporting_groups))
    prov.denying_groups = sorted(set(prov.denying_groups))
    prov.declining_groups = sorted(set(prov.declining_groups))
    prov.carrying_documents = sorted(carrying)
    prov.document_outlets = {
        d: name for d in sorted(carrying) if (name := _outlet_name(d, documents, groups, sources))
    }
    prov.carrying_outlets = sorted(set(prov.document_outlets.values()))
    prov.syndicated_documents = sorted(set(prov.syndicated_documents))
    origin_set = set(prov.origin_groups)
    prov.written_by_origin = sorted(
        d for d in carrying if any(groups.of(a) in origin_set for a in groups.authors_of.get(d, []))
    )
    prov.origin_authors = sorted(
        {
            a
            for d in prov.written_by_origin
            for a in groups.authors_of.get(d, [])
            if groups.of(a) in origin_set
        },
        key=lambda a: sources[a].label if a in sources else a,
    )
    prov.hedged_support = bool(hedges) and all(hedges)
    return prov
