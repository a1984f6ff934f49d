"""The allegation pass's batched closeness (``closest_pairs``) against each pair scored on its own, and the batched
merge (``merge_parts_batched``) against ``merge_parts`` with ``parts_join``: the same scores, the same allegations
and roots."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Sequence

import pytest

from claimgraph.claims.allegations import (
    MAX_COMPARED,
    GroupFacts,
    closeness,
    closest_pairs,
    join_rule,
    merge_parts,
    merge_parts_batched,
    parts_join,
)
from claimgraph.claims.matching import MatchItem
from claimgraph.claims.tfidf import TfidfMatcher
from claimgraph.model import Statement

WORDS = [f"w{k}" for k in range(60)]


def _statement(sid: str, doc: str = "d") -> Statement:
    return Statement(
        id=sid,
        document_id=doc,
        source_id="s",
        text=sid,
        cue=None,
        mode="direct",
        certainty="asserted",
        certainty_cues=[],
        start=0,
        end=1,
    )


@pytest.mark.parametrize("idf", ["corpus", "fixed"])
def test_closest_pairs_scores_as_closeness(idf: str) -> None:
    for seed in range(8):
        rng = random.Random(seed)
        n = rng.randint(30, 200)
        texts = [
            " ".join(rng.choice(WORDS[: rng.randint(4, 60)]) for _ in range(rng.randint(1, 8)))
            for _ in range(n)
        ]
        entities = [frozenset(rng.sample(["e1", "e2", "e3", "e4"], rng.randint(0, 2))) for _ in range(n)]
        matcher = TfidfMatcher(idf=idf)
        matcher.fit([MatchItem(t, e) for t, e in zip(texts, entities, strict=True)])
        statements = [_statement(f"st{k}") for k in range(n + 10)]  # the last ten unknown to the matcher
        position = {f"st{k}": k for k in range(n)}

        def some(rng: random.Random = rng, statements: list[Statement] = statements) -> list[Statement]:
            return rng.sample(statements, rng.choice([0, 1, 2, 5, 45]))

        pairs = [(some(), some()) for _ in range(rng.randint(1, 3000))]  # past one batch of 2,048 pairs
        batched = closest_pairs(matcher, position, pairs)
        assert batched == [_best(matcher, position, a, b) for a, b in pairs], seed
        one = closeness(matcher, position)  # the per-pair form the lone-sentence step asks
        assert [one(a, b) for a, b in pairs[:50]] == batched[:50], seed


def _best(
    matcher: TfidfMatcher, position: dict[str, int], left: list[Statement], right: list[Statement]
) -> float:
    """The rule written out for one pair: the best score of any known statement of one list's first
    ``MAX_COMPARED`` with any of the other's (one matcher call for the pair); 0 when either side has none."""
    import numpy as np

    i_pos = [position[s.id] for s in left[:MAX_COMPARED] if s.id in position]
    j_pos = [position[s.id] for s in right[:MAX_COMPARED] if s.id in position]
    if not i_pos or not j_pos:
        return 0.0
    i = np.repeat(np.array(i_pos, dtype=np.int64), len(j_pos))
    j = np.tile(np.array(j_pos, dtype=np.int64), len(i_pos))
    return float(matcher.similarity(i, j).max())


def _facts(rng: random.Random, n: int) -> list[GroupFacts]:
    out = []
    for k in range(n):
        statements = [_statement(f"g{k}s{m}", f"d{rng.randrange(6)}") for m in range(rng.randint(1, 3))]
        docs = {s.document_id for s in statements}
        out.append(
            GroupFacts(
                statements=statements,
                docs=docs,
                origins=set(rng.sample(["o1", "o2", "o3"], rng.randint(0, 2))),
                ents=set(rng.sample(["e1", "e2", "e3"], rng.randint(0, 2))),
                own=rng.random() < 0.3,
                figures=frozenset(rng.sample(["5", "7"], rng.randint(0, 1))),
                loose=rng.random() < 0.1,
                summary_docs=set(rng.sample(sorted(docs), rng.randint(0, len(docs)))),
            )
        )
    return out


def _score(a: Sequence[Statement], b: Sequence[Statement]) -> float:
    digest = hashlib.sha256(f"{a[0].id}|{b[0].id}".encode()).digest()
    return digest[0] / 255


def test_merge_parts_batched_merges_as_merge_parts() -> None:
    merged = 0
    for seed in range(300):
        rng = random.Random(seed)
        facts = _facts(rng, rng.randint(2, 40))
        topics = {
            s.id: set(rng.sample(["t1", "t2", "t3", "t4"], rng.randint(0, 2)))
            for f in facts
            for s in f.statements
        }

        def topic_of(s: Statement, topics: dict[str, set[str]] = topics) -> set[str]:
            return topics[s.id]

        ks = [k for k, f in enumerate(facts) if not f.loose]
        buckets = [rng.sample(ks, min(len(ks), rng.randint(2, 8))) for _ in range(rng.randint(1, 6))]
        minimum = rng.choice([0.3, 0.5, 0.7])
        expected = merge_parts(facts, buckets, lambda a, b, m=minimum: parts_join(a, b, topic_of, _score, m))
        got = merge_parts_batched(
            facts, buckets, topic_of, lambda pairs: [_score(a, b) for a, b in pairs], minimum
        )
        assert got == expected, seed
        assert list(got) == list(expected), seed  # roots in the same order
        merged += sum(len(members) > 1 for members in got.values())
    assert merged > 100  # allegations of several parts, not only single parts


def test_a_pair_in_several_buckets_is_asked_once() -> None:
    repeated = 0
    for seed in range(100):
        rng = random.Random(seed)
        facts = _facts(rng, rng.randint(2, 12))
        for f in facts:
            f.loose, f.ents, f.origins = False, {"e1"}, {"o1"}
        ks = list(range(len(facts)))
        # the same parts in several buckets, as two parts sharing a document and an (origin, actor) are
        buckets = [sorted(rng.sample(ks, min(len(ks), rng.randint(2, 5)))) for _ in range(rng.randint(2, 6))]
        asked: list[tuple[str, str]] = []

        def scores(
            pairs: Sequence[tuple[Sequence[Statement], Sequence[Statement]]],
            asked: list[tuple[str, str]] = asked,
        ) -> list[float]:
            asked.extend((a[0].id, b[0].id) for a, b in pairs)
            return [_score(a, b) for a, b in pairs]

        def topic_of(s: Statement) -> set[str]:
            return {"t1"}

        expected = merge_parts(facts, buckets, lambda a, b: parts_join(a, b, topic_of, _score, 0.5))
        assert merge_parts_batched(facts, buckets, topic_of, scores, 0.5) == expected, seed
        assert len(asked) == len(set(asked)), seed
        met = [(a, b) for bucket in buckets for x, a in enumerate(bucket) for b in bucket[x + 1 :]]
        repeated += len(met) - len(set(met))
    assert repeated > 50


def _reference_join_rule(
    a: GroupFacts, b: GroupFacts, topic_of: Callable[[Statement], set[str]]
) -> bool | None:
    """``join_rule`` as it was written with set intersections (before the ``isdisjoint`` tests)."""

    def pair_topics() -> bool:
        if not a.topics(topic_of) & b.topics(topic_of):
            return False
        return any(
            topic_of(x) & topic_of(y)
            for x in a.statements[:MAX_COMPARED]
            for y in b.statements[:MAX_COMPARED]
        )

    if a.ents and b.ents and not a.ents & b.ents:
        return False
    if a.figures & b.figures and a.ents and b.ents and pair_topics():
        return True
    same_origin = bool(a.origins & b.origins) and bool((a.ents and b.ents) or a.docs & b.docs)
    if same_origin and pair_topics():
        return None
    shared = a.docs & b.docs
    summary = bool(a.summary_docs & shared or b.summary_docs & shared) and bool(a.ents & b.ents)
    return None if summary else False


def test_join_rule_is_the_rule_written_with_intersections() -> None:
    answers: dict[object, int] = {}
    for seed in range(300):
        rng = random.Random(seed)
        facts = _facts(rng, rng.randint(2, 12))
        topics = {
            s.id: set(rng.sample(["t1", "t2", "t3", "t4"], rng.randint(0, 2)))
            for f in facts
            for s in f.statements
        }

        def topic_of(s: Statement, topics: dict[str, set[str]] = topics) -> set[str]:
            return topics[s.id]

        for a in facts:
            for b in facts:
                expected = _reference_join_rule(a, b, topic_of)
                assert join_rule(a, b, topic_of) == expected, seed
                answers[expected] = answers.get(expected, 0) + 1
    assert min(answers.values()) > 100 and len(answers) == 3  # True, False and None all given
