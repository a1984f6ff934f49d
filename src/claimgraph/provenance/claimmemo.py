"""Each claim's provenance kept between runs, keyed by everything its computation reads.

A claim's trace, counts, grade and explanation (:func:`~.origins.trace_claim`, :func:`~.independence.apply_counts`,
:func:`~.stage.claim_reliability`, :func:`~.explain.explain_claim`) are a function of what :func:`claim_view`
gathers, and of nothing else:

* each of the claim's statements: id, document, part, start, stance, certainty, source, cited sources, entity
  ids and text (the citation cue test reads the text);
* each of their documents: date, outlet name, ``duplicate_of`` and the original it resolves to (by id or path),
  the outlet and author sources the source groups give it (and the original's outlet);
* each source any of those name (speakers, cited sources, outlets, authors): its group key, kind, label, role,
  description, and its registry letter when a reliability registry is given (the letter the registry gives its
  label, its entity's name and aliases, and, for an outlet or author, its documents' outlets);
* for each entity of the statements, which of the groups of those sources hold it
  (:meth:`~claimgraph.identity.SourceGroups.entities_by_group`: whether a statement names an earlier origin).

A new document changes an old claim's key when it changes any of these: a new statement in the claim, a new
member merging two of its sources' groups (the group key or the entity sets change), a relabelled source. The
view holds strings, integers, ``None`` and tuples and lists of them only, in the order of the claim's statements (another
order is another key: a miss, never a wrong hit); the key is the SHA-256 of its ``marshal`` bytes. The results are
kept in the store's ``memo`` table under a namespace naming the code's fingerprint, one entry per key, only the
latest run's (``docs/provenance.md``, "Cost"; ``tests/provenance/test_claim_memo.py`` compares a run that reuses
them with a from-scratch run).
"""

from __future__ import annotations

import hashlib
import marshal
from collections.abc import Callable, Sequence
from operator import attrgetter
from typing import Any

from ..identity import SourceGroups
from ..model import Claim, Document, Grade, Source, Statement
from .origins import _original

__all__ = ["NAMESPACE_PREFIX", "ClaimMemo", "ViewIndex", "claim_key", "claim_view"]

NAMESPACE_PREFIX = "provenance-claims:"
RELATIONS_PREFIX = "provenance-relations:"
#: Bumped when the view or the stored value's layout changes.
VERSION = 1


class ViewIndex:
    """Each document's and each source's part of :func:`claim_view`, built once per run and shared by the
    claims that read them (``letter``: a source's registry letter, ``None`` without a registry)."""

    def __init__(
        self,
        documents: dict[str, Document],
        sources: dict[str, Source],
        groups: SourceGroups,
        paths: dict[str, Document] | None,
        letter: Callable[[Source], str | None] | None = None,
    ) -> None:
        self.documents = documents
        self.sources = sources
        self.groups = groups
        self.paths = paths
        self.letter = letter
        self.group_entities = groups.entities_by_group(sources)
        self.groups_of_entity = groups.groups_by_entity(sources)
        self._documents: dict[str, tuple[tuple[Any, ...], tuple[str, ...]]] = {}
        self._sources: dict[str, tuple[Any, ...]] = {}

    def document(self, doc_id: str) -> tuple[tuple[Any, ...], tuple[str, ...]]:
        """The document's row, and the sources it names (its outlet, authors, its original's outlet)."""
        found = self._documents.get(doc_id)
        if found is not None:
            return found
        groups = self.groups
        doc = self.documents.get(doc_id)
        outlet = groups.outlet_of.get(doc_id)
        authors = tuple(groups.authors_of.get(doc_id, ()))
        named = ((outlet,) if outlet else ()) + authors
        if doc is None:
            row: tuple[Any, ...] = (doc_id, None, outlet, authors)
        else:
            row = (doc_id, doc.published, doc.outlet, doc.duplicate_of, outlet, authors)
            if doc.duplicate_of:
                original = _original(doc, self.documents, self.paths)
                original_outlet = groups.outlet_of.get(original.id) if original is not None else None
                if original_outlet:
                    named += (original_outlet,)
                row += (original.id if original is not None else None, original_outlet)
        found = self._documents[doc_id] = (row, named)
        return found

    def source(self, source_id: str) -> tuple[Any, ...]:
        """The source's row: id, group, kind, label, role, description, registry letter."""
        found = self._sources.get(source_id)
        if found is not None:
            return found
        group = self.groups.of(source_id)
        source = self.sources.get(source_id)
        if source is None:
            found = (source_id, group)
        else:
            letter = self.letter(source) if self.letter is not None else None
            found = (source_id, group, source.kind, source.label, source.role, source.description, letter)
        self._sources[source_id] = found
        return found


#: A statement's part of the view (a C-level getter: one tuple per statement, lists as they are).
_STATEMENT_ROW = attrgetter(
    "id",
    "document_id",
    "part",
    "start",
    "stance",
    "certainty",
    "source_id",
    "cited_source_ids",
    "entity_ids",
    "text",
)


def claim_view(statements: Sequence[Statement], index: ViewIndex) -> tuple[Any, ...]:
    """Everything a claim's provenance reads (see the module docstring), in the order of ``statements``."""
    rows = list(map(_STATEMENT_ROW, statements))
    touched: dict[str, None] = {}
    entities: dict[str, None] = {}
    doc_rows: dict[str, tuple[Any, ...]] = {}
    for row in rows:
        touched[row[6]] = None
        if row[7]:
            touched.update(dict.fromkeys(row[7]))
        if row[8]:
            entities.update(dict.fromkeys(row[8]))
        if row[1] not in doc_rows:
            doc_row, named = index.document(row[1])
            doc_rows[row[1]] = doc_row
            if named:
                touched.update(dict.fromkeys(named))
    source_rows = list(map(index.source, touched))
    entity_rows = []
    if entities:
        held_by = {row[1] for row in source_rows}
        group_entities, groups_of_entity = index.group_entities, index.groups_of_entity
        for entity in entities:
            holders = groups_of_entity.get(entity, ())
            if len(holders) <= len(held_by):
                held = sorted(g for g in holders if g in held_by)
            else:
                held = sorted(g for g in held_by if entity in group_entities.get(g, ()))
            entity_rows.append((entity, held))
    return (VERSION, rows, list(doc_rows.values()), source_rows, entity_rows)


def claim_key(view: tuple[Any, ...]) -> str:
    """SHA-256 (hex) of a :func:`claim_view`, serialised by ``marshal`` format 2 (no back-references: equal
    values give equal bytes whatever objects they share)."""
    return hashlib.sha256(marshal.dumps(view, 2)).hexdigest()


def claim_value(claim: Claim, origin_document: dict[str, str]) -> list[Any]:
    """What the stage assigned to ``claim`` (and the origins' documents, for the timeline), as JSON."""
    grade = claim.grade
    return [
        claim.chains,
        claim.origin_source_ids,
        list(claim.origin_first_seen.items()),
        claim.independent_sources,
        [claim.supporting, claim.reporting, claim.disputing, claim.denying, claim.declining],
        claim.circular,
        claim.attention,
        [grade.reliability, grade.credibility, grade.admiralty, grade.confidence, grade.explanation],
        list(origin_document.items()),
    ]


def apply_value(claim: Claim, value: Any) -> dict[str, str]:
    """Assign a :func:`claim_value` to ``claim``; returns the origins' documents. Raises ``ValueError`` on a
    value of another shape (a damaged entry)."""
    try:
        chains, origins, first_seen, independent, counts, circular, attention, grade, origin_document = value
        reliability, credibility, admiralty, confidence, explanation = grade
        supporting, reporting, disputing, denying, declining = counts
        if not (
            type(chains) is list
            and all(type(chain) is list for chain in chains)
            and type(origins) is list
            and type(explanation) is str
            and type(reliability) is str
            and type(admiralty) is str
        ):
            raise TypeError("not a provenance value")
        claim.chains = chains
        claim.origin_source_ids = origins
        claim.origin_first_seen = dict(first_seen)
        claim.independent_sources = int(independent)
        claim.supporting, claim.reporting = int(supporting), int(reporting)
        claim.disputing, claim.denying, claim.declining = int(disputing), int(denying), int(declining)
        claim.circular = bool(circular)
        claim.attention = float(attention)
        claim.grade = Grade(
            reliability=reliability,
            credibility=int(credibility),
            admiralty=admiralty,
            confidence=int(confidence),
            explanation=explanation,
        )
        return dict(origin_document)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"damaged provenance memo entry: {exc}") from None


class ClaimMemo:
    """The store's per-claim provenance results (``get_memos``/``replace_memos`` under ``namespace``)."""

    def __init__(self, store: Any, namespace: str, prefix: str = NAMESPACE_PREFIX) -> None:
        self.store = store
        self.namespace = namespace
        self.prefix = prefix
        self.used: dict[str, Any] = {}
        self.reused = 0
        """Items (claims, documents) whose results were read from the store."""
        self.computed = 0
        """Items computed in this run."""

    def get(self, keys: Sequence[str]) -> dict[str, Any]:
        return dict(self.store.get_memos(self.namespace, list(keys)))

    def keep(self, key: str, value: Any) -> None:
        self.used[key] = value

    def save(self) -> None:
        """Keep this run's entries only; drop the entries of other code versions."""
        if getattr(self.store, "readonly", False):
            return
        self.store.update_memos(self.namespace, {}, (), stale_prefix=self.prefix)
        self.store.replace_memos(self.namespace, self.used)


class BlobMemo(ClaimMemo):
    """A :class:`ClaimMemo` kept as one memo entry (key -> value, all of the latest run's), read and written in
    one piece: for many small values (each document's relation triples, most of them none), where one row per
    value cost more in queries and parsing than the values themselves."""

    _ENTRY = "state"

    def get(self, keys: Sequence[str]) -> dict[str, Any]:
        state = self.store.get_memos(self.namespace, [self._ENTRY]).get(self._ENTRY)
        if not isinstance(state, dict):
            return {}
        wanted = set(keys)
        return {k: v for k, v in state.items() if k in wanted}

    def save(self) -> None:
        if getattr(self.store, "readonly", False):
            return
        self.store.update_memos(self.namespace, {self._ENTRY: self.used}, (), stale_prefix=self.prefix)


def claim_memo(store: Any, prefix: str = NAMESPACE_PREFIX) -> ClaimMemo | None:
    """The memo of the workspace ``store`` for this code under ``prefix`` (:data:`NAMESPACE_PREFIX`: claims;
    :data:`RELATIONS_PREFIX`: each document's relation triples), or ``None`` without a store that keeps memos."""
    if store is None or not all(hasattr(store, f) for f in ("get_memos", "replace_memos", "update_memos")):
        return None
    if getattr(store, "readonly", False):
        return None
    from ..pipeline import _code_fingerprint

    kind = BlobMemo if prefix == RELATIONS_PREFIX else ClaimMemo
    return kind(store, f"{prefix}{_code_fingerprint()[:16]}:v{VERSION}", prefix)
