"""Tracked items, their states and the alerts a change of state raises (pure functions of the corpus).

A cycle takes the workspace's analysis and the stored states of the tracked items and returns the new states and
the alerts, in three named passes:

1. :func:`follow_claims`: each tracked claim is found again (by id, else by the claim sharing most of its
   statements: a claim's id follows its representative statement, which a new article can change); claims newly
   matching a tracked query or outlet (or a listed id appearing) start being tracked, without alerts;
2. :func:`claim_alerts`: each followed claim's previous state is compared with its state now;
3. :func:`entity_alerts`: each tracked entity's claims are compared with those seen before.

An item without a stored state (the first cycle, a newly tracked one) only records its state: alerts are about
*changes*. Every alert carries a dedup ``key`` naming the change and its evidence; the ``alerts`` table keeps one
row per key, so the same change never alerts twice.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..model import Claim, Corpus, Document, Source, Statement

__all__ = [
    "ALERT_KINDS",
    "ALERT_SCHEMA",
    "Cycle",
    "alert_id",
    "claim_alerts",
    "claim_state",
    "diff",
    "entity_alerts",
    "follow_claims",
]

ALERT_SCHEMA = "claimgraph-alert/1"
ALERT_KINDS = (
    "independent_origin",
    "dispute",
    "denial",
    "refusal",
    "grade_change",
    "no_longer_circular",
    "entity_new_claim",
)
_STANCE_KIND = {"disputes": "dispute", "denies": "denial", "declines": "refusal"}
_STANCE_LIST = {"disputes": "disputes", "denies": "denials", "declines": "refusals"}
_VERB = {"dispute": "disputes", "denial": "denies", "refusal": "declines to comment on"}
_VERB_PLURAL = {"dispute": "dispute", "denial": "deny", "refusal": "decline to comment on"}
_MAX_EVIDENCE = 10
_WORD = re.compile(r"\w+")


def alert_id(key: str) -> str:
    """``alert-`` + 16 hex digits of SHA-256 of the dedup key: the same change, the same id."""
    return "alert-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def _digest(ids: Iterable[str]) -> str:
    return hashlib.sha256("\n".join(sorted(ids)).encode("utf-8")).hexdigest()[:12]


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass
class Index:
    """Look-ups over one corpus."""

    corpus: Corpus
    claims: dict[str, Claim] = field(init=False)
    statements: dict[str, Statement] = field(init=False)
    documents: dict[str, Document] = field(init=False)
    sources: dict[str, Source] = field(init=False)
    by_statement: dict[str, str] = field(init=False)
    """Statement id -> id of the claim holding it."""

    def __post_init__(self) -> None:
        self.claims = {c.id: c for c in self.corpus.claims}
        self.statements = {s.id: s for s in self.corpus.statements}
        self.documents = {d.id: d for d in self.corpus.documents}
        self.sources = {s.id: s for s in self.corpus.sources}
        self.by_statement = {s: c.id for c in self.corpus.claims for s in c.statement_ids}

    def reading_order(self, statement_ids: Iterable[str]) -> list[str]:
        def key(sid: str) -> tuple[str, str, int, str]:
            st = self.statements.get(sid)
            if st is None:
                return ("", "", 0, sid)
            doc = self.documents.get(st.document_id)
            return ((doc.published if doc else None) or "", st.document_id, st.start, sid)

        return sorted(statement_ids, key=key)

    def evidence(self, statement_id: str) -> dict[str, Any]:
        """A statement as evidence: its text, speaker, stance and the document (title, URL, outlet, date)."""
        st = self.statements.get(statement_id)
        if st is None:
            return {"statement_id": statement_id}
        doc = self.documents.get(st.document_id)
        source = self.sources.get(st.source_id)
        return {
            "statement_id": st.id,
            "text": st.text,
            "stance": st.stance,
            "source_id": st.source_id,
            "source": source.label if source else None,
            "document_id": st.document_id,
            "title": doc.title if doc else None,
            "url": (doc.url or doc.path) if doc else None,
            "outlet": doc.outlet if doc else None,
            "published": doc.published if doc else None,
        }


def claim_state(claim: Claim, index: Index, tracked_by: Sequence[str]) -> dict[str, Any]:
    """What is compared from one cycle to the next for a tracked claim."""
    state: dict[str, Any] = {
        "claim_id": claim.id,
        "text": claim.text,
        "tracked_by": sorted(tracked_by),
        "statement_ids": sorted(claim.statement_ids),
        "admiralty": claim.grade.admiralty,
        "independent_sources": claim.independent_sources,
        "origin_source_ids": sorted(claim.origin_source_ids),
        "circular": claim.circular,
    }
    for stance, name in _STANCE_LIST.items():
        state[name] = sorted(
            s
            for s in claim.statement_ids
            if (st := index.statements.get(s)) is not None and st.stance == stance
        )
    return state


@dataclass
class Tracking:
    """What the watchlist tracks (see :class:`~claimgraph.watch.watchlist.Watchlist`)."""

    claim_ids: Sequence[str] = ()
    queries: Sequence[str] = ()
    entities: Sequence[str] = ()
    outlets: Sequence[str] = ()

    def reasons(self, claim: Claim, index: Index) -> list[str]:
        """Why ``claim`` is tracked now: ``id:…``, ``query:…``, ``outlet:…`` (none: not tracked)."""
        out = [f"id:{claim.id}"] if claim.id in self.claim_ids else []
        if self.queries:
            words = set(_WORD.findall(claim.text.casefold()))
            for sid in claim.statement_ids:
                if (st := index.statements.get(sid)) is not None:
                    words.update(_WORD.findall(st.text.casefold()))
            out += [f"query:{q}" for q in self.queries if set(_WORD.findall(q.casefold())) <= words]
        if self.outlets:
            carried = {_fold(o) for o in claim.outlets}
            out += [f"outlet:{o}" for o in self.outlets if _fold(o) in carried]
        return out

    def still_wanted(self, reasons: Iterable[str]) -> bool:
        """A stored state is followed while one of the reasons it was tracked for is still in the watchlist."""
        wanted = {f"id:{i}" for i in self.claim_ids} | {f"query:{q}" for q in self.queries}
        wanted |= {f"outlet:{o}" for o in self.outlets}
        return any(r in wanted for r in reasons)


@dataclass
class Followed:
    key: str
    """``claim:<id when first tracked>``."""
    old: dict[str, Any] | None
    claim: Claim
    reasons: list[str]


@dataclass
class Cycle:
    """The outcome of comparing one analysis with the stored states."""

    states: dict[str, dict[str, Any]] = field(default_factory=dict)
    alerts: list[dict[str, Any]] = field(default_factory=list)


# ---------------------------------------------------------------------- pass 1: follow the tracked claims


def follow_claims(index: Index, tracking: Tracking, old_states: dict[str, dict[str, Any]]) -> list[Followed]:
    """Each tracked claim with its stored state (``None``: tracked from now on), in key order."""
    followed: list[Followed] = []
    taken: set[str] = set()
    for key in sorted(k for k in old_states if k.startswith("claim:")):
        old = old_states[key]
        if not tracking.still_wanted(old.get("tracked_by") or []):
            continue
        claim = index.claims.get(str(old.get("claim_id")))
        if claim is None or claim.id in taken:
            claim = _by_overlap(index, old.get("statement_ids") or [], taken)
        if claim is None:
            continue  # gone from the workspace for now: its state is kept as it was
        taken.add(claim.id)
        reasons = sorted(set(old.get("tracked_by") or []) | set(tracking.reasons(claim, index)))
        followed.append(Followed(key, old, claim, reasons))
    for claim in sorted(index.claims.values(), key=lambda c: c.id):
        if claim.id in taken:
            continue
        reasons = tracking.reasons(claim, index)
        if reasons:
            taken.add(claim.id)
            followed.append(Followed(f"claim:{claim.id}", None, claim, reasons))
    return sorted(followed, key=lambda f: f.key)


def _by_overlap(index: Index, statement_ids: Sequence[str], taken: set[str]) -> Claim | None:
    """The claim now holding most of these statements (ties: the smaller id), not already followed."""
    counts: dict[str, int] = {}
    for sid in statement_ids:
        cid = index.by_statement.get(sid)
        if cid is not None and cid not in taken:
            counts[cid] = counts.get(cid, 0) + 1
    if not counts:
        return None
    best = min(counts, key=lambda cid: (-counts[cid], cid))
    return index.claims[best]


# ---------------------------------------------------------------------- pass 2: claims


def _alert(
    kind: str,
    key: str,
    summary: str,
    *,
    tracked: dict[str, Any],
    claim: Claim | None,
    entity: dict[str, Any] | None,
    old_grade: str | None,
    new_grade: str | None,
    evidence: list[dict[str, Any]],
    change: dict[str, Any],
    created: str,
) -> dict[str, Any]:
    return {
        "schema": ALERT_SCHEMA,
        "id": alert_id(key),
        "key": key,
        "kind": kind,
        "created": created,
        "summary": summary,
        "tracked": tracked,
        "claim": None if claim is None else {"id": claim.id, "text": claim.text},
        "entity": entity,
        "old_grade": old_grade,
        "new_grade": new_grade,
        "change": change,
        "evidence": evidence,
    }


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _where(ev: dict[str, Any]) -> str:
    title = f"“{_short(ev['title'], 80)}”" if ev.get("title") else ev.get("document_id", "a document")
    outlet = f" ({ev['outlet']})" if ev.get("outlet") else ""
    return f"{title}{outlet}"


def _and(names: Sequence[str]) -> str:
    """``A``, ``A and B``, ``A, B and C``."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _speaker(ev: dict[str, Any]) -> str:
    return str(ev.get("source") or ev.get("source_id") or "a source")


def claim_alerts(item: Followed, index: Index, created: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The claim's new state and the alerts its change from the stored state raises (none without one)."""
    claim = item.claim
    new = claim_state(claim, index, item.reasons)
    old = item.old
    if old is None:
        return new, []
    tracked = {"type": "claim", "key": item.key, "by": item.reasons}
    grades = {"old_grade": str(old.get("admiralty") or "") or None, "new_grade": claim.grade.admiralty}
    head = f"Claim “{_short(claim.text)}”"
    added = [s for s in new["statement_ids"] if s not in set(old.get("statement_ids") or [])]
    alerts: list[dict[str, Any]] = []

    def emit(kind: str, key: str, summary: str, evidence_ids: Sequence[str], change: dict[str, Any]) -> None:
        ids = index.reading_order(evidence_ids)[:_MAX_EVIDENCE]
        alerts.append(
            _alert(
                kind,
                key,
                summary,
                tracked=tracked,
                claim=claim,
                entity=None,
                evidence=[index.evidence(s) for s in ids],
                change=change,
                created=created,
                **grades,
            )
        )

    # a new independent origin: one alert per new origin group (its representative source, what it said)
    before, after = int(old.get("independent_sources") or 0), claim.independent_sources
    if after > before:
        said_by: dict[str, list[str]] = {}
        for origin in new["origin_source_ids"]:
            if origin not in set(old.get("origin_source_ids") or []):
                said_by[origin] = [
                    s for s in added if (st := index.statements.get(s)) is not None and st.source_id == origin
                ]
        # an old group can get another representative source: origins that said something new come first,
        # and there are never more alerts than new origins
        fresh = sorted(said_by, key=lambda o: (not said_by[o], o))[: after - before]
        for origin in fresh or [f"n={after}"]:
            label = index.sources[origin].label if origin in index.sources else "a new source"
            emit(
                "independent_origin",
                f"{item.key}|independent_origin|{origin}",
                f"{head} has a new independent origin: {label}; {after} independent origin(s), was {before}.",
                said_by.get(origin) or added,
                {"independent_sources": [before, after], "origin_source_id": origin if fresh else None},
            )
    # new disputes, denials, refusals: one alert per document (its new statements of that stance as evidence)
    for stance, name in _STANCE_LIST.items():
        kind = _STANCE_KIND[stance]
        fresh = index.reading_order(s for s in new[name] if s not in set(old.get(name) or []))
        by_document: dict[str, list[str]] = {}
        for sid in fresh:
            st = index.statements.get(sid)
            by_document.setdefault(st.document_id if st else sid, []).append(sid)
        for document_id, sids in by_document.items():
            evs = [index.evidence(s) for s in sids]
            names = list(dict.fromkeys(_speaker(ev) for ev in evs))
            who, verb = _and(names), (_VERB if len(names) == 1 else _VERB_PLURAL)[kind]
            emit(
                kind,
                f"{item.key}|{kind}|{document_id}",
                f"{who} {verb} the claim “{_short(claim.text)}” in {_where(evs[0])}.",
                sids,
                {name: [len(old.get(name) or []), len(new[name])]},
            )
    # the grade changed
    if grades["old_grade"] and grades["old_grade"] != grades["new_grade"]:
        emit(
            "grade_change",
            f"{item.key}|grade_change|{grades['old_grade']}->{grades['new_grade']}|{_digest(new['statement_ids'])}",
            f"{head} is now graded {grades['new_grade']}, was {grades['old_grade']}.",
            added,
            {"admiralty": [grades["old_grade"], grades["new_grade"]]},
        )
    # no longer circular
    if old.get("circular") and not claim.circular:
        emit(
            "no_longer_circular",
            f"{item.key}|no_longer_circular|{_digest(new['statement_ids'])}",
            f"{head} no longer rests on a single origin: {after} independent origin(s).",
            added,
            {"circular": [True, False], "independent_sources": [before, after]},
        )
    return new, alerts


# ---------------------------------------------------------------------- pass 3: entities


def _entity_ids(index: Index, name: str) -> list[str]:
    wanted = _fold(name)
    return sorted(
        e.id
        for e in index.corpus.entities
        if e.id == name or _fold(e.name) == wanted or any(_fold(a.name) == wanted for a in e.aliases)
    )


def entity_alerts(
    name: str, index: Index, old: dict[str, Any] | None, created: str
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A tracked entity's claims now; an alert for each claim naming it that shares no statement with a claim
    seen before (a claim whose id merely changed is not new)."""
    ids = _entity_ids(index, name)
    wanted = set(ids)
    claims = {
        c.id: sorted(c.statement_ids)
        for c in sorted(index.corpus.claims, key=lambda c: c.id)
        if wanted & set(c.entity_ids)
    }
    state = {"name": name, "entity_ids": ids, "claims": claims}
    if old is None:
        return state, []
    known_claims = old.get("claims") or {}
    known = {s for sids in known_claims.values() for s in sids}
    alerts: list[dict[str, Any]] = []
    key_name = _fold(name)
    for claim_id, sids in claims.items():
        if claim_id in known_claims or known & set(sids):
            continue
        claim = index.claims[claim_id]
        first = index.reading_order(sids)[:_MAX_EVIDENCE]
        evidence = [index.evidence(s) for s in first]
        shown = [e for e in evidence if e.get("stance") not in _STANCE_KIND] or evidence
        where = f" ({_speaker(shown[0])} in {_where(shown[0])})" if shown else ""
        entity = {"id": next(iter(sorted(wanted & set(claim.entity_ids)))), "name": name}
        alerts.append(
            _alert(
                "entity_new_claim",
                f"entity:{key_name}|entity_new_claim|{claim_id}",
                f"{name} appears in a new claim: “{_short(claim.text)}”{where}, graded {claim.grade.admiralty}.",
                tracked={"type": "entity", "key": f"entity:{key_name}", "by": [f"entity:{name}"]},
                claim=claim,
                entity=entity,
                old_grade=None,
                new_grade=claim.grade.admiralty,
                evidence=evidence,
                change={"claims": [len(known_claims), len(claims)]},
                created=created,
            )
        )
    return state, alerts


# ---------------------------------------------------------------------- a cycle's comparison


def diff(corpus: Corpus, tracking: Tracking, old_states: dict[str, dict[str, Any]], created: str) -> Cycle:
    """New states of every tracked item and the alerts their changes raise, in a stable order."""
    index = Index(corpus)
    cycle = Cycle()
    for item in follow_claims(index, tracking, old_states):
        state, alerts = claim_alerts(item, index, created)
        cycle.states[item.key] = state
        cycle.alerts.extend(alerts)
    for name in tracking.entities:
        key = f"entity:{_fold(name)}"
        state, alerts = entity_alerts(name, index, old_states.get(key), created)
        cycle.states[key] = state
        cycle.alerts.extend(alerts)
    return cycle
