"""The server's read side: one in-memory snapshot of the workspace's analysis, with the lookups every page
and API route needs, filters and pagination.

The snapshot is loaded from the store (:meth:`claimgraph.store.Store.load_corpus`) and reloaded only when
the analysis changed (its fingerprint in the store, or the server's own generation counter bumped after a
job or a correction), so a page costs a few dictionary lookups, not a store read.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from ..model import Claim, Corpus, Document, Entity, Relation, Source, SourcingProfile, Statement
from ..outputs.report import Index, origin_sentence

__all__ = ["ClaimFilter", "Page", "Snapshot", "SnapshotCache", "paginate"]

T = TypeVar("T")

#: Claims-list sort keys: name -> (key function, reverse).
SORTS: dict[str, tuple[Callable[[Claim], Any], bool]] = {
    "attention": (lambda c: (c.attention, len(c.document_ids), c.id), True),
    "first_seen": (lambda c: (c.first_seen or "0000", c.id), True),
    "oldest": (lambda c: (c.first_seen or "9999", c.id), False),
    "grade": (lambda c: (c.grade.credibility, c.grade.reliability or "F", c.id), False),
    "documents": (lambda c: (len(c.document_ids), c.id), True),
}

MAX_PER_PAGE = 200
#: Filtered claim lists a snapshot keeps (oldest dropped first).
FILTER_CACHE = 256


@dataclass
class Page:
    """One page of a list: ``items`` and where it sits in the whole."""

    items: list[Any]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    def meta(self) -> dict[str, int]:
        return {"total": self.total, "page": self.page, "per_page": self.per_page, "pages": self.pages}


def paginate(items: Sequence[T], page: int, per_page: int) -> Page:
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    page = max(1, page)
    start = (page - 1) * per_page
    return Page(list(items[start : start + per_page]), len(items), page, per_page)


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value not in (None, "") else default
    except ValueError:
        return default


@dataclass
class ClaimFilter:
    """The claims list's filters, from query parameters (unknown or malformed values are ignored)."""

    grade: str = ""
    """Credibility at least this good (``1``-``6``) or an Admiralty code (``B2``: reliability and credibility)."""
    circular: bool = False
    single_origin: bool = False
    disputed: bool = False
    entity: str = ""
    outlet: str = ""
    date_from: str = ""
    date_to: str = ""
    q: str = ""
    sort: str = "attention"
    page: int = 1
    per_page: int = 25

    @classmethod
    def from_query(cls, params: Any) -> ClaimFilter:
        def flag(name: str) -> bool:
            return str(params.get(name, "")).lower() in ("1", "true", "on", "yes")

        sort = str(params.get("sort", "attention"))
        return cls(
            grade=str(params.get("grade", "")).strip().upper()[:2],
            circular=flag("circular"),
            single_origin=flag("single_origin"),
            disputed=flag("disputed"),
            entity=str(params.get("entity", "")).strip(),
            outlet=str(params.get("outlet", "")).strip(),
            date_from=str(params.get("from", "")).strip()[:10],
            date_to=str(params.get("to", "")).strip()[:10],
            q=str(params.get("q", "")).strip(),
            sort=sort if sort in SORTS else "attention",
            page=_int(params.get("page"), 1),
            per_page=_int(params.get("per_page"), 25),
        )

    def query(self, **change: Any) -> dict[str, str]:
        """The filter as query parameters (for links: sorting, next page), with ``change`` applied."""
        values = {
            "grade": self.grade,
            "circular": "1" if self.circular else "",
            "single_origin": "1" if self.single_origin else "",
            "disputed": "1" if self.disputed else "",
            "entity": self.entity,
            "outlet": self.outlet,
            "from": self.date_from,
            "to": self.date_to,
            "q": self.q,
            "sort": self.sort,
            "page": str(self.page),
            "per_page": str(self.per_page),
        }
        values.update({k: str(v) for k, v in change.items()})
        return {k: v for k, v in values.items() if v and not (k == "sort" and v == "attention")}

    def _grade_ok(self, claim: Claim) -> bool:
        if not self.grade:
            return True
        if self.grade.isdigit():
            return claim.grade.credibility <= int(self.grade)
        letter, digit = self.grade[:1], self.grade[1:]
        if letter < "A" or letter > "F":
            return True
        ok = (claim.grade.reliability or "F") <= letter
        return ok and (not digit.isdigit() or claim.grade.credibility <= int(digit))

    def keep(self, claim: Claim) -> bool:
        if self.circular and not claim.circular:
            return False
        if self.single_origin and len(claim.origin_source_ids) > 1:
            return False
        if self.disputed and not (claim.disputing or claim.denying):
            return False
        if self.entity and self.entity not in claim.entity_ids:
            return False
        if self.outlet and self.outlet.casefold() not in {o.casefold() for o in claim.outlets}:
            return False
        if self.date_from and (claim.first_seen or "") < self.date_from:
            return False
        if self.date_to and (claim.first_seen or "9999") > self.date_to:
            return False
        if self.q and self.q.casefold() not in claim.text.casefold():
            return False
        return self._grade_ok(claim)


@dataclass
class Snapshot:
    """The workspace's analysis with its lookups (immutable once built; a new one replaces it)."""

    corpus: Corpus
    key: str = ""
    index: Index = field(init=False)
    statements_by_doc: dict[str, list[Statement]] = field(init=False)
    claims_by_entity: dict[str, list[Claim]] = field(init=False)
    statements_by_source: dict[str, list[Statement]] = field(init=False)
    sources_by_entity: dict[str, list[Source]] = field(init=False)
    relations_by_entity: dict[str, list[Relation]] = field(init=False)
    profiles: dict[str, SourcingProfile] = field(init=False)
    sorted_claims: dict[str, list[Claim]] = field(init=False)
    outlets: list[str] = field(init=False)
    _filtered: dict[tuple[tuple[str, str], ...], list[Claim]] = field(init=False, default_factory=dict)
    _filtered_lock: threading.Lock = field(init=False, default_factory=threading.Lock)
    _headlines: dict[str, str] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        corpus = self.corpus
        self.index = Index(corpus)
        self.statements_by_doc = defaultdict(list)
        self.statements_by_source = defaultdict(list)
        for st in corpus.statements:
            self.statements_by_doc[st.document_id].append(st)
            self.statements_by_source[st.source_id].append(st)
        self.claims_by_entity = defaultdict(list)
        for claim in corpus.claims:
            for eid in claim.entity_ids:
                self.claims_by_entity[eid].append(claim)
        self.sources_by_entity = defaultdict(list)
        for src in corpus.sources:
            if src.entity_id:
                self.sources_by_entity[src.entity_id].append(src)
        self.relations_by_entity = defaultdict(list)
        for rel in corpus.relations:
            self.relations_by_entity[rel.subject].append(rel)
            if rel.object != rel.subject:
                self.relations_by_entity[rel.object].append(rel)
        self.profiles = {p.document_id: p for p in corpus.sourcing_profiles()}
        self.sorted_claims = {
            name: sorted(corpus.claims, key=key, reverse=rev) for name, (key, rev) in SORTS.items()
        }
        self.outlets = sorted({o for c in corpus.claims for o in c.outlets}, key=str.casefold)

    # -- lookups -------------------------------------------------------------------
    def claim(self, claim_id: str) -> Claim | None:
        return self.index.claims.get(claim_id)

    def document(self, doc_id: str) -> Document | None:
        return self.index.documents.get(doc_id)

    def entity(self, entity_id: str) -> Entity | None:
        return self.index.entities.get(entity_id)

    def source(self, source_id: str) -> Source | None:
        return self.index.sources.get(source_id)

    def statement(self, statement_id: str) -> Statement | None:
        return self.index.statements.get(statement_id)

    def claims(self, flt: ClaimFilter) -> Page:
        key = tuple(sorted(flt.query(page="", per_page="").items()))
        kept = self._filtered.get(key)
        if kept is None:  # the same filter is asked again and again (next page, other readers): kept a while
            kept = [c for c in self.sorted_claims[flt.sort] if flt.keep(c)]
            with self._filtered_lock:
                if len(self._filtered) >= FILTER_CACHE:
                    self._filtered.pop(next(iter(self._filtered)))
                self._filtered[key] = kept
        return paginate(kept, flt.page, flt.per_page)

    def claim_statements(self, claim_id: str) -> list[Statement]:
        return sorted(
            self.index.by_claim.get(claim_id, []),
            key=lambda s: (self._published(s.document_id), s.document_id, s.start, s.id),
        )

    def _published(self, doc_id: str) -> str:
        doc = self.index.documents.get(doc_id)
        return (doc.published or "9999") if doc is not None else "9999"

    def claims_by(self, entity_id: str) -> list[Claim]:
        """Claims with a statement by a source of this entity."""
        ids: dict[str, None] = {}
        for src in self.sources_by_entity.get(entity_id, []):
            for st in self.statements_by_source.get(src.id, []):
                if st.claim_id:
                    ids[st.claim_id] = None
        return [c for cid in ids if (c := self.claim(cid)) is not None]

    def headline(self, claim: Claim) -> str:
        text = self._headlines.get(claim.id)
        if text is None:
            text = self._headlines[claim.id] = origin_sentence(claim, self.index)
        return text

    def entity_label(self, entity_id: str) -> str:
        ent = self.entity(entity_id)
        return ent.name if ent is not None else entity_id

    def timeline_for(self, claim_id: str) -> list[dict[str, Any]]:
        return [e for e in self.corpus.timeline if e.get("claim_id") == claim_id]


class SnapshotCache:
    """The current :class:`Snapshot`, rebuilt when ``key()`` changes (thread-safe, one build at a time)."""

    def __init__(
        self, load: Callable[[], Corpus | None], key: Callable[[], str], recheck: float = 1.0
    ) -> None:
        self._load = load
        self._key = key
        self._lock = threading.Lock()
        self._snapshot: Snapshot | None = None
        self._recheck = recheck
        self._checked: tuple[float, str] = (-1e9, "")

    def invalidate(self) -> None:
        """Ask the store for the key on the next :meth:`get` (after this server changed the workspace)."""
        self._checked = (-1e9, "")

    def _current_key(self) -> str:
        """The store's key, asked at most once per ``recheck`` seconds (another process may analyse)."""
        at, key = self._checked
        now = time.monotonic()
        if now - at >= self._recheck:
            key = self._key()
            self._checked = (now, key)
        return key

    def ready(self) -> Snapshot | None:
        """The snapshot when it can be returned without touching the store (key checked recently), else None."""
        snap = self._snapshot
        at, key = self._checked
        if snap is not None and snap.key == key and time.monotonic() - at < self._recheck:
            return snap
        return None

    def get(self) -> Snapshot:
        key = self._current_key()
        snap = self._snapshot
        if snap is not None and snap.key == key:
            return snap
        with self._lock:
            snap = self._snapshot
            if snap is not None and snap.key == key:
                return snap
            corpus = self._load() or Corpus()
            self._snapshot = Snapshot(corpus, key)
            return self._snapshot


def unique(items: Iterable[T]) -> list[T]:
    return list(dict.fromkeys(items))
