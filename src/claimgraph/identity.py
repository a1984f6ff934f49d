"""Source identity: which sources count as one, computed once per run and kept on the corpus.

Claims (the allegation pass: "the same origin") and provenance (origins, independence, who disputes)
both ask which sources are one voice. The answer comes from here, computed once per corpus state by
:func:`source_groups` and cached on the corpus (:func:`corpus_source_groups`); nothing else
recomputes it. Rules (``docs/provenance.md``):

* sources linked to the same entity are one (the author of one article quoted in another);
* sources tied by ``affiliated_source_ids`` are one (an author and the company he runs), unless either
  side describes a **past tie** (``former``, ``ex-``, ``retired``: :func:`former_source`, the rule of
  :func:`claimgraph.attribution.lexicon.former_tie`);
* an article's author(s) are one with its outlet;
* a cited document ("a report by Acme Advisory") is the word of the entity its label names (one
  dictionary lookup per word span of the label, :class:`NameLookup`, not a regex per name);
* anonymous sources in one document are one unless their descriptions name different affiliations
  ("a U.S. official" vs "a Foreign Ministry official").
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from .model import Corpus, Source

__all__ = [
    "NameLookup",
    "SourceGroups",
    "UnionFind",
    "corpus_source_groups",
    "former_source",
    "source_groups",
]


class UnionFind:
    """Disjoint sets over ``0..n-1``; the smaller index of two joined sets stays the root."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        parent = self.parent
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def union(self, a: int, b: int) -> int:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return ra
        # the smaller index (the earlier item) stays the root = the representative
        if rb < ra:
            ra, rb = rb, ra
        self.parent[rb] = ra
        return ra


@dataclass
class SourceGroups:
    """Which sources count as one: ``group[source_id]`` is the group's key (a source id)."""

    group: dict[str, str]
    outlet_of: dict[str, str]
    """document id -> its outlet source id."""
    authors_of: dict[str, list[str]]
    """document id -> its author source ids."""

    _entities: dict[str, set[str]] | None = field(default=None, repr=False)
    _groups_of_entity: dict[str, list[str]] | None = field(default=None, repr=False)

    def of(self, source_id: str) -> str:
        return self.group.get(source_id, source_id)

    def same(self, a: str, b: str) -> bool:
        return self.of(a) == self.of(b)

    def entities_by_group(self, sources: dict[str, Source]) -> dict[str, set[str]]:
        """group -> the entities of its sources (built once, reused by every claim's trace)."""
        if self._entities is None:
            found: dict[str, set[str]] = defaultdict(set)
            for source in sources.values():
                if source.entity_id:
                    found[self.of(source.id)].add(source.entity_id)
                for eid in source.affiliation_entity_ids:
                    if not former_source(source):
                        found[self.of(source.id)].add(eid)
            self._entities = found
        return self._entities

    def groups_by_entity(self, sources: dict[str, Source]) -> dict[str, list[str]]:
        """entity -> the groups whose entities (:meth:`entities_by_group`) hold it (built once)."""
        if self._groups_of_entity is None:
            found: dict[str, list[str]] = defaultdict(list)
            for group, entities in self.entities_by_group(sources).items():
                for entity in entities:
                    found[entity].append(group)
            self._groups_of_entity = dict(found)
        return self._groups_of_entity


_BOUNDARY = re.compile(r"\b")


class NameLookup:
    """Names (case-folded) -> an id, found in a text at word boundaries by dictionary lookups.

    ``find(text)`` returns the id of the longest name occurring in ``text`` (the first given among
    names of one length), as a ``\\bname\\b`` search over every name would, but in time linear in the
    number of word spans of ``text`` whatever the number of names."""

    def __init__(self, names: Iterable[tuple[str, str]], *, min_length: int = 4) -> None:
        self._ids: dict[str, tuple[int, str]] = {}
        for rank, (name, value) in enumerate(names):
            key = name.casefold()
            if len(key) >= min_length and key not in self._ids:
                self._ids[key] = (rank, value)
        self._longest = max((len(k) for k in self._ids), default=0)

    def find(self, text: str) -> str | None:
        folded = text.casefold()
        bounds = sorted({m.start() for m in _BOUNDARY.finditer(folded)})
        best: tuple[int, int, str] | None = None  # (-length, rank, id)
        for a, start in enumerate(bounds):
            for end in bounds[a + 1 :]:
                if end - start > self._longest:
                    break
                hit = self._ids.get(folded[start:end])
                if hit is not None:
                    key = (-(end - start), hit[0], hit[1])
                    if best is None or key < best:
                        best = key
        return best[2] if best is not None else None


_AFFILIATION = re.compile(r"\b(?:[A-Z][\w.'’-]*[A-Za-z.])(?:\s+[A-Z][\w.'’-]*)*")
_GENERIC = frozenset(
    {"A", "An", "The", "One", "Two", "Three", "Some", "Several", "Senior", "Sources", "Source"}
)


def _affiliation(description: str | None) -> str:
    """Capitalised words of an anonymous source's description, e.g. "Foreign Ministry"; "" when none."""
    if not description:
        return ""
    words: list[str] = []
    for match in _AFFILIATION.finditer(description):
        parts = [p for p in match.group(0).split() if p not in _GENERIC]
        words.extend(parts)
    return " ".join(words).casefold()


def former_source(source: Source) -> bool:
    """A former member no longer speaks for the organisation: no affiliation tie from it.

    The past-tie rule is attribution's (:func:`claimgraph.attribution.lexicon.former_tie`): only the
    last clause counts, so "a former diplomat who now advises ..." is a present tie."""
    from .attribution.lexicon import former_tie

    return any(former_tie(text) for text in (source.role, source.description) if text)


def source_groups(corpus: Corpus) -> SourceGroups:
    """Compute the source groups of ``corpus`` (use :func:`corpus_source_groups` for the cached one)."""
    sources = sorted(corpus.sources, key=lambda s: s.id)
    ids = [s.id for s in sources]
    by_id = {s.id: s for s in sources}
    pos = {sid: k for k, sid in enumerate(ids)}
    uf = UnionFind(len(ids))
    by_entity: dict[str, str] = {}
    outlet_of: dict[str, str] = {}
    authors_of: dict[str, list[str]] = defaultdict(list)
    anonymous: dict[str, list[Source]] = defaultdict(list)
    # whether a source is a former member, asked only of sources in an affiliation tie (most have none)
    former: dict[str, bool] = {}

    def is_former(source_id: str) -> bool:
        found = former.get(source_id)
        if found is None:
            found = former[source_id] = former_source(by_id[source_id])
        return found

    for source in sources:
        if source.entity_id:
            first = by_entity.setdefault(source.entity_id, source.id)
            uf.union(pos[first], pos[source.id])
        for other in source.affiliated_source_ids:
            if other in pos and not is_former(source.id) and not is_former(other):
                uf.union(pos[source.id], pos[other])
        for doc_id in source.document_ids:
            if source.kind == "outlet":
                outlet_of.setdefault(doc_id, source.id)
            elif source.kind == "author":
                authors_of[doc_id].append(source.id)
            elif source.kind == "anonymous":
                anonymous[doc_id].append(source)
    # outlet and author sources found by name when attribution did not list the document on them
    by_label = {(s.kind, s.label.casefold()): s.id for s in sources}
    for doc in corpus.documents:
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
    _join_cited_documents(corpus, sources, by_entity, pos, uf)
    _join_anonymous(anonymous, pos, uf)
    group = {sid: ids[uf.find(k)] for k, sid in enumerate(ids)}
    return SourceGroups(group=group, outlet_of=outlet_of, authors_of=dict(authors_of))


def _join_cited_documents(
    corpus: Corpus, sources: list[Source], by_entity: dict[str, str], pos: dict[str, int], uf: UnionFind
) -> None:
    """A cited document ("a report by Acme Advisory") is the word of the entity its label names."""
    documents = [s for s in sources if s.kind == "document" and not s.entity_id]
    if not documents:
        return
    lookup = NameLookup(
        sorted(
            (
                (n, e.id)
                for e in corpus.entities
                for n in [e.name, *(a.name for a in e.aliases)]
                if e.id in by_entity
            ),
            key=lambda x: -len(x[0]),
        )
    )
    for source in documents:
        entity_id = lookup.find(source.label)
        if entity_id is not None:
            uf.union(pos[by_entity[entity_id]], pos[source.id])


def _join_anonymous(anonymous: dict[str, list[Source]], pos: dict[str, int], uf: UnionFind) -> None:
    """Anonymous sources of one document are one unless their descriptions name different affiliations."""
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
        for one in anonymous_groups:
            for source in one[1:]:
                uf.union(pos[one[0].id], pos[source.id])


_CACHE_ATTR = "_claimgraph_source_groups"


def _fingerprint(corpus: Corpus) -> tuple[int, ...]:
    return (
        id(corpus.sources),
        len(corpus.sources),
        id(corpus.entities),
        len(corpus.entities),
        id(corpus.documents),
        len(corpus.documents),
    )


def corpus_source_groups(corpus: Corpus, *, refresh: bool = False) -> SourceGroups:
    """The source groups of ``corpus``, computed once and kept on it (recomputed when its sources,
    entities or documents lists are replaced or change length, or with ``refresh=True``)."""
    cached = getattr(corpus, _CACHE_ATTR, None)
    key = _fingerprint(corpus)
    if not refresh and cached is not None and cached[0] == key:
        groups: SourceGroups = cached[1]
        return groups
    groups = source_groups(corpus)
    setattr(corpus, _CACHE_ATTR, (key, groups))
    return groups
