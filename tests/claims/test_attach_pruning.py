"""The attachment pass scores only the (statement, claim) pairs that can matter (``claims.attach_bounds``): the
same proposals as scoring every pair, on random invented corpora; the bounds are never below the exact score."""

from __future__ import annotations

import random

import numpy as np
import pytest

from claimgraph.claims.attach_bounds import similarity_bounds
from claimgraph.claims.matching import MatchItem
from claimgraph.claims.stage import _attach_index, _best_similarities, _propose_attachments
from claimgraph.claims.tfidf import TfidfMatcher
from claimgraph.model import Claim, Statement

WORDS = [f"w{k}" for k in range(40)]  # invented words (the matcher stems nothing in them)
ENTITIES = [f"ent-{k}" for k in range(6)]


def _corpus(seed: int) -> tuple[list[Statement], list[Claim], list[list[Statement]], dict[str, set[str]]]:
    rng = random.Random(seed)
    documents = [f"doc-{k}" for k in range(rng.randint(2, 7))]
    statements: list[Statement] = []
    for k in range(rng.randint(8, 45)):
        # few words from a small vocabulary: many ties and many equal scores
        text = " ".join(rng.choice(WORDS[: rng.randint(4, 40)]) for _ in range(rng.randint(1, 7)))
        entities = sorted(set(rng.sample(ENTITIES, rng.randint(0, 3))))
        statements.append(
            Statement(
                id=f"st-{k:03d}",
                document_id=rng.choice(documents),
                source_id=f"src-{rng.randint(0, 4)}",
                text=text,
                cue="said",
                mode="indirect",
                certainty="asserted",
                certainty_cues=[],
                start=rng.randint(0, 500),
                end=600,
                entity_ids=entities,
                part=rng.choice(["text", "text", "title"]),
            )
        )
    statements.sort(key=lambda s: (s.document_id, 0 if s.part == "title" else 1, s.start, s.id))
    rng.shuffle(pool := list(statements))
    claims: list[Claim] = []
    attach: list[Statement] = []
    while pool:
        size = rng.choice([1, 1, 2, 3, 5, 8])
        part, pool = pool[:size], pool[size:]
        if rng.random() < 0.35:
            attach.extend(part)
            continue
        ids = sorted(s.id for s in part)
        entity_ids = sorted({e for s in part for e in s.entity_ids})
        claims.append(Claim(id=f"claim-{ids[0]}", text=part[0].text, statement_ids=ids, first_seen=None,
                            entity_ids=entity_ids))  # fmt: skip
    groups: list[list[Statement]] = []
    while attach:
        size = rng.choice([1, 1, 1, 2, 3])
        groups.append(attach[:size])
        attach = attach[size:]
    expanded = {s.id: set(s.entity_ids) for s in statements}
    return statements, claims, groups, expanded


def _fitted(statements: list[Statement], idf: str) -> TfidfMatcher:
    matcher = TfidfMatcher(idf=idf)
    matcher.fit([MatchItem(s.text, frozenset(s.entity_ids)) for s in statements])
    return matcher


@pytest.mark.parametrize("idf", ["corpus", "fixed"])
def test_pruned_proposals_equal_exhaustive(idf: str) -> None:
    differing_bounds = 0
    for seed in range(150):
        statements, claims, groups, expanded = _corpus(seed)
        matcher = _fitted(statements, idf)
        claim_of = {sid: c for c in claims for sid in c.statement_ids}
        # a few statements the matcher does not know (similarity 0, as for a refusal left out of matching)
        position = {s.id: k for k, s in enumerate(statements) if seed % 3 or k % 5}
        args = (groups, claims, claim_of, statements, {}, matcher, position, expanded)
        pruned = _propose_attachments(*args)
        exhaustive = _propose_attachments(*args, prune=False)
        assert [(s.id, c.id, d) for s, c, d in pruned] == [(s.id, c.id, d) for s, c, d in exhaustive], seed
        index = _attach_index(claims, claim_of, statements, position, None)
        requests = [(position[s.id], c.id) for g in groups for s in g if s.id in position for c in claims]
        exact = np.array(_best_similarities(requests, index.positions, matcher))
        bounds = similarity_bounds(requests, index.positions, matcher)
        assert (bounds >= exact).all()
        differing_bounds += int((bounds > exact + 1e-6).sum())
    assert differing_bounds  # the bounds prune something: not all equal to the exact scores


def test_bounds_are_infinite_for_other_matchers() -> None:
    class Other:
        def similarity(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
            return np.ones(len(i))

    bounds = similarity_bounds([(0, "c")], {"c": np.array([1])}, Other())
    assert np.isinf(bounds).all()


@pytest.mark.parametrize("idf", ["corpus", "fixed"])
def test_best_at_least_is_the_exact_best_or_below_the_floor(idf: str) -> None:
    from claimgraph.claims.attach_bounds import BLOCK, best_at_least

    for seed in range(20):
        rng = random.Random(seed)
        n = rng.randint(BLOCK, 5 * BLOCK)
        texts = [
            " ".join(rng.choice(WORDS[: rng.randint(4, 40)]) for _ in range(rng.randint(1, 7)))
            for _ in range(n)
        ]
        entities = [frozenset(rng.sample(ENTITIES, rng.randint(0, 3))) for _ in range(n)]
        matcher = TfidfMatcher(idf=idf)
        matcher.fit([MatchItem(t, e) for t, e in zip(texts, entities, strict=True)])
        positions = {
            f"c{k}": np.array(sorted(rng.sample(range(n), rng.randint(0, n // 2))), dtype=np.int64)
            for k in range(6)
        }
        requests = [(rng.randrange(n), f"c{rng.randrange(6)}") for _ in range(40)]
        floors = np.array([rng.choice([-np.inf, 0.0, rng.random(), 0.2]) for _ in requests])
        exact = np.array(_best_similarities(requests, positions, matcher))
        found = best_at_least(
            requests,
            floors,
            positions,
            matcher,
            lambda asked, pos, m=matcher: _best_similarities(asked, pos, m),
        )
        assert (found == np.where(exact >= floors, exact, -np.inf)).all(), seed


def test_request_rows_carry_each_candidates_bonuses() -> None:
    # the rows of the attachment pass, made column by column (_Requests.add), against each bonus times its flag
    from claimgraph.claims.stage import (
        _BONUSES,
        DOMINANT_BONUS,
        ENTITY_BONUS,
        PROXIMITY_BONUS,
        SAME_DOCUMENT_BONUS,
        _candidate_claims,
        _nearest_claim_before,
        _Requests,
    )

    flagged = [0, 0, 0, 0]
    for seed in range(60):
        statements, claims, groups, expanded = _corpus(seed)
        claim_of = {sid: c for c in claims for sid in c.statement_ids}
        position = {s.id: k for k, s in enumerate(statements) if seed % 3 or k % 5}
        index = _attach_index(claims, claim_of, statements, position, None)
        table = _Requests()
        for group in groups:
            for st in group:
                candidates, topical = _candidate_claims(st, group, index, expanded, None, None)
                first = len(table.claims)
                table.add(st, candidates, topical, len(group) == 1, index, claim_of, expanded, position)
                nearest = _nearest_claim_before(st, index.doc_statements[st.document_id], claim_of)
                in_doc = {
                    c.id for s in statements if s.document_id == st.document_id and (c := claim_of.get(s.id))
                }
                for row, claim in enumerate(candidates, start=first):
                    flags = (
                        claim.id in in_doc,
                        bool(expanded[st.id] & set(claim.entity_ids)),
                        nearest is not None and claim.id == nearest.id,
                        claim is index.dominant.get(st.document_id),
                    )
                    assert table.claims[row] is claim
                    assert _BONUSES[table.bonus_codes[row]] == (
                        SAME_DOCUMENT_BONUS * flags[0],
                        ENTITY_BONUS * flags[1],
                        PROXIMITY_BONUS * flags[2],
                        DOMINANT_BONUS * flags[3],
                    ), seed
                    assert table.same_doc[row] == flags[0] and table.position[row] == position.get(st.id, -1)
                    assert table.member[row] == table.members - 1 and table.topical[row] == topical
                    for k, flag in enumerate(flags):
                        flagged[k] += flag
    assert all(flagged)  # every bonus was given somewhere


@pytest.mark.parametrize("idf", ["corpus", "fixed"])
def test_reachable_claims_hold_every_claim_that_can_reach_the_floor(idf: str) -> None:
    """The prefix filter (``ReachableClaims``) never leaves out a claim whose exact best similarity reaches the
    floor, and does leave some out."""
    from claimgraph.claims.attach_bounds import ReachableClaims

    left_out = 0
    for seed in range(60):
        statements, claims, _, _ = _corpus(seed)
        matcher = _fitted(statements, idf)
        position = {s.id: k for k, s in enumerate(statements)}
        index = _attach_index(claims, {}, statements, position, None)
        for floor in (0.2, 0.3, 0.5):
            reach = ReachableClaims(index.positions, matcher, floor)
            for at in range(len(statements)):
                able = reach.numbers(at)
                assert able is not None
                requests = [(at, cid) for cid in reach.ids]
                exact = _best_similarities(requests, index.positions, matcher)
                for cid, value in zip(reach.ids, exact, strict=True):
                    if value >= floor:
                        assert reach.number[cid] in able, (seed, floor, at, cid)
                    else:
                        left_out += reach.number[cid] not in able
    assert left_out


def test_members_without_siblings_get_fewer_rows() -> None:
    """Members said in one document only get no row for a claim elsewhere their similarity cannot make eligible
    (the proposals stay those of every row: ``test_pruned_proposals_equal_exhaustive``)."""
    from claimgraph.claims import stage

    counts = {True: 0, False: 0}
    original = stage._Requests.add

    def counting(self: stage._Requests, st: Statement, claims_of_st: list[Claim], *rest: object) -> None:
        counts[prune] += len(claims_of_st)
        original(self, st, claims_of_st, *rest)  # type: ignore[arg-type]

    stage._Requests.add = counting  # type: ignore[method-assign]
    try:
        for seed in range(40):
            statements, claims, groups, expanded = _corpus(seed)
            matcher = _fitted(statements, "fixed")
            claim_of = {sid: c for c in claims for sid in c.statement_ids}
            position = {s.id: k for k, s in enumerate(statements)}
            for prune in (True, False):
                _propose_attachments(
                    groups, claims, claim_of, statements, {}, matcher, position, expanded, prune=prune
                )
    finally:
        stage._Requests.add = original  # type: ignore[method-assign]
    assert counts[True] < counts[False]
