"""The attachment pass's index, candidate claims and reach filter against the forms they replace (written out
below), on the random invented corpora of ``test_attach_pruning``: the same lists in the same order."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np
import pytest
from test_attach_pruning import _corpus, _fitted

from claimgraph.claims.stage import (
    _attach_index,
    _AttachIndex,
    _candidate_claims,
    _claims_by_document,
    _claims_by_document_since,
    _Reach,
)
from claimgraph.model import Claim, Statement


def _topics(claims: Sequence[Claim], seed: int) -> dict[str, set[str]]:
    import random

    rng = random.Random(seed)
    return {c.id: set(rng.sample(["t1", "t2", "t3", "t4", "t5", "t6"], rng.randint(0, 4))) for c in claims}


def _reference_parts(
    claims: Sequence[Claim],
    claim_of: dict[str, Claim],
    ordered: Sequence[Statement],
    claim_topics: dict[str, set[str]] | None,
) -> tuple[dict[str, list[Claim]], dict[str, Claim], dict[str, list[Claim]], dict[str, list[Statement]]]:
    """``_attach_index``'s by_doc, dominant, by_topic and doc_statements as they were written before."""
    by_doc = _claims_by_document(ordered, claim_of)
    doc_statements: dict[str, list[Statement]] = defaultdict(list)
    for st in ordered:
        doc_statements[st.document_id].append(st)
    dominant: dict[str, Claim] = {}
    for doc_id, in_doc in doc_statements.items():
        counts: dict[str, int] = defaultdict(int)
        headline: set[str] = set()
        for other in in_doc:
            found = claim_of.get(other.id)
            if found is not None:
                counts[found.id] += 1
                if other.part == "title":
                    headline.add(found.id)
        if counts:
            top = max(sorted(counts), key=lambda cid: (counts[cid], cid in headline))
            dominant[doc_id] = next(c for c in by_doc[doc_id] if c.id == top)
    by_topic: dict[str, list[Claim]] = defaultdict(list)
    for claim in claims:
        for word in sorted((claim_topics or {}).get(claim.id, ())):
            by_topic[word].append(claim)
    return by_doc, dominant, dict(by_topic), dict(doc_statements)


def _reference_candidates(
    st: Statement, group: Sequence[Statement], index: _AttachIndex, expanded: dict[str, set[str]]
) -> list[Claim]:
    """``_candidate_claims``' candidates (no topical claim) as written before: each claim kept where first seen."""
    candidates: dict[str, Claim] = {c.id: c for c in index.by_doc.get(st.document_id, [])}
    for eid in expanded.get(st.id, set(st.entity_ids)):
        for c in index.by_entity.get(eid, []):
            candidates.setdefault(c.id, c)
    for sibling in group:
        if sibling.document_id != st.document_id:
            for c in index.by_doc.get(sibling.document_id, []):
                candidates.setdefault(c.id, c)
    return list(candidates.values())


def _ids(claims: Sequence[Claim]) -> list[str]:
    return [c.id for c in claims]


def test_the_index_is_the_one_made_pass_by_pass() -> None:
    dominated = 0
    for seed in range(150):
        statements, claims, _, _ = _corpus(seed)
        claim_of = {sid: c for c in claims for sid in c.statement_ids}
        topics = _topics(claims, seed) if seed % 2 else None
        position = {s.id: k for k, s in enumerate(statements)}
        index = _attach_index(claims, claim_of, statements, position, topics)
        by_doc, dominant, by_topic, doc_statements = _reference_parts(claims, claim_of, statements, topics)
        assert list(index.by_doc) == list(by_doc), seed
        assert {d: _ids(c) for d, c in index.by_doc.items()} == {d: _ids(c) for d, c in by_doc.items()}, seed
        assert {d: c.id for d, c in index.dominant.items()} == {d: c.id for d, c in dominant.items()}, seed
        assert all(index.dominant[d] is next(c for c in by_doc[d] if c is dominant[d]) for d in dominant)
        assert {w: _ids(c) for w, c in index.by_topic.items()} == {w: _ids(c) for w, c in by_topic.items()}, (
            seed
        )
        assert index.doc_statements == doc_statements, seed
        assert index.carried == {d: {c.id for c in found} for d, found in by_doc.items()}, seed
        assert {d: _ids(list(c.values())) for d, c in index.doc_claims.items()} == {
            d: _ids(c) for d, c in by_doc.items()
        }, seed
        assert {e: _ids(list(c.values())) for e, c in index.entity_claims.items()} == {
            e: _ids(c) for e, c in index.by_entity.items()
        }, seed
        dominated += len(dominant)
    assert dominated > 300


@pytest.mark.parametrize("idf", ["corpus", "fixed"])
def test_candidates_and_reach_are_those_of_the_forms_replaced(idf: str) -> None:
    asked = pruned = 0
    for seed in range(150):
        statements, claims, groups, expanded = _corpus(seed)
        claim_of = {sid: c for c in claims for sid in c.statement_ids}
        position = {s.id: k for k, s in enumerate(statements)}
        index = _attach_index(claims, claim_of, statements, position, None)
        matcher = _fitted(statements, idf)
        reach = _Reach(index, matcher)
        for group in groups + [[s] for s in statements[:5]]:
            for st in group:
                got, topical = _candidate_claims(st, group, index, expanded, None, None)
                expected = _reference_candidates(st, group, index, expanded)
                assert not topical
                assert _ids(got) == _ids(expected), seed
                assert all(a is b for a, b in zip(got, expected, strict=True))
                at = position.get(st.id, -1) if seed % 4 else -1
                able = reach.able(st, got, at)
                # the filter as written before: the member's document's claims, and those the reach allows
                carried = index.carried.get(st.document_id, set())
                numbers = reach._reachable.numbers(at) if at >= 0 and reach._reachable is not None else set()
                if at < 0:
                    written = [c for c in got if c.id in carried]
                elif numbers is None:
                    written = got
                else:
                    number = reach._reachable.number
                    written = [c for c in got if c.id in carried or number[c.id] in numbers]
                assert _ids(able) == _ids(written), seed
                # the reach applied while the candidates are gathered: the same claims, in the same order
                gathered, topical = _candidate_claims(st, group, index, expanded, None, None, reach, at)
                assert not topical
                assert _ids(gathered) == _ids(written), seed
                assert all(a is b for a, b in zip(gathered, written, strict=True))
                asked += 1
                pruned += len(got) - len(able)
    assert asked > 1000 and pruned > 100


def test_the_mask_and_the_numbers_agree() -> None:
    from claimgraph.claims.attach_bounds import ReachableClaims

    for seed in range(30):
        statements, claims, _, _ = _corpus(seed)
        matcher = _fitted(statements, "fixed")
        position = {s.id: k for k, s in enumerate(statements)}
        index = _attach_index(claims, {}, statements, position, None)
        for floor in (0.05, 0.3, 0.6):
            reach = ReachableClaims(index.positions, matcher, floor)
            for at in range(len(statements)):
                mask = reach.mask(at)
                numbers = reach.numbers(at)
                if mask is None:
                    assert numbers is None
                    continue
                assert mask.dtype == np.bool_ and len(mask) == len(reach.ids)
                assert numbers == set(np.flatnonzero(mask).tolist())


def test_the_members_document_claims_are_kept_though_out_of_reach() -> None:
    from claimgraph.claims.matching import MatchItem
    from claimgraph.claims.tfidf import TfidfMatcher

    def statement(sid: str, doc: str, text: str) -> Statement:
        return Statement(
            id=sid, document_id=doc, source_id="src", text=text, cue="said", mode="indirect",
            certainty="asserted", certainty_cues=[], start=int(sid[-1]), end=99,
        )  # fmt: skip

    statements = [
        statement("s0", "d1", "alpha bravo charlie"),  # the member to attach
        statement("s1", "d1", "xray yankee zulu"),  # its document's claim: no word shared
        statement("s2", "d2", "alpha bravo delta"),  # a claim elsewhere sharing words
        statement("s3", "d3", "kilo lima mike"),  # a claim elsewhere sharing none
    ]
    claims = [
        Claim(id=f"c-{s.id}", text=s.text, statement_ids=[s.id], first_seen=None, entity_ids=[])
        for s in statements[1:]
    ]
    claim_of = {c.statement_ids[0]: c for c in claims}
    position = {s.id: k for k, s in enumerate(statements)}
    matcher = TfidfMatcher(idf="fixed")
    matcher.fit([MatchItem(s.text, frozenset()) for s in statements])
    index = _attach_index(claims, claim_of, statements, position, None)
    reach = _Reach(index, matcher)
    kept = reach.able(statements[0], claims, 0)
    assert reach._reachable is not None
    mask = reach._reachable.mask(0)
    assert mask is not None and not mask[reach._reachable.number["c-s1"]]  # out of reach ...
    assert [c.id for c in kept] == ["c-s1", "c-s2"]  # ... but kept: its document carries it


def test_the_claims_by_document_after_attachments_are_those_counted_again() -> None:
    import random

    changed = 0
    for seed in range(150):
        rng = random.Random(seed)
        statements, claims, _, _ = _corpus(seed)
        claim_of = {sid: c for c in claims for sid in c.statement_ids}
        position = {s.id: k for k, s in enumerate(statements)}
        index = _attach_index(claims, claim_of, statements, position, None)
        before = {d: _ids(c) for d, c in _claims_by_document(statements, claim_of).items()}
        # statements without a claim attached to random claims (as the attachment pass adds them to claim_of)
        loose = [st for st in statements if st.id not in claim_of]
        added = (
            [(st, rng.choice(claims)) for st in rng.sample(loose, rng.randint(0, len(loose)))]
            if claims
            else []
        )
        for st, claim in added:
            claim_of[st.id] = claim
        expected = _claims_by_document(statements, claim_of)
        got = _claims_by_document_since(index, claim_of, added)
        assert {d: _ids(c) for d, c in got.items()} == {d: _ids(c) for d, c in expected.items()}, seed
        assert all(a is b for d in expected for a, b in zip(got[d], expected[d], strict=True))
        changed += {d: _ids(c) for d, c in expected.items()} != before
    assert changed > 50
