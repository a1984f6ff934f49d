"""The allegation pass's batched closeness (``closest_pairs``) and merge (``merge_parts_batched``) against the
per-pair ``closeness`` and ``merge_parts`` with ``parts_join``: the same scores, the same allegations and roots."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence

import pytest

from claimgraph.claims.allegations import (
    GroupFacts,
    closeness,
    closest_pairs,
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
        one = closeness(matcher, position)
        assert closest_pairs(matcher, position, pairs) == [one(a, b) for a, b in pairs], seed


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
