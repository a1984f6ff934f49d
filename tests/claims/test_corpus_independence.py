"""Claim matching that does not depend on the rest of the corpus (issue 12 §4: an incremental run must
give the from-scratch result), and claims that do not depend on the order statements come in."""

from __future__ import annotations

import copy
import random

import numpy as np
import pytest
from corpus_builder import FakeStanceModel, central_case

from claimgraph.claims.matching import MatchItem, cluster
from claimgraph.claims.stage import build_claims
from claimgraph.claims.text import content_tokens, quantities
from claimgraph.claims.tfidf import TfidfMatcher, fixed_idf, tfidf_vectors
from claimgraph.options import Options

# Invented wire copy: one story told three ways, another story, and unrelated news that is added later.
STORY = [
    "Brannick Mining halts work at its Oldmere copper pit after a tailings dam leak",
    "Tailings dam leak forces Brannick Mining to halt the Oldmere copper pit",
    "Oldmere copper pit closed by Brannick after tailings leak",
    "Coastal ferries between Tarsk and Hellin cancelled as storm nears",
    "Storm cancels Tarsk-Hellin ferry crossings",
]
UNRELATED = [
    "The city council of Varnholm approves a new budget for schools",
    "Copper prices rise for a third day on Asian demand",
    "A leak at a water main floods streets in central Varnholm",
    "Striking nurses in Ellby return to work after a pay deal",
    "Mining union calls for safety review after dam incidents",
    "Ferry operator orders two new vessels from a Korean yard",
] * 3


def _score(matcher: TfidfMatcher, items: list[MatchItem], a: int, b: int) -> float:
    matcher.fit(items)
    return float(matcher.similarity(np.array([a]), np.array([b]))[0])


def _groups(texts: list[str], idf: str) -> list[list[str]]:
    matcher = TfidfMatcher(idf=idf)
    matcher.fit([MatchItem(t) for t in texts])
    groups = cluster(matcher, len(texts), 0.35, quantities=[quantities(t) for t in texts])
    return [[texts[k] for k in g] for g in groups]


def test_fixed_idf_table_is_shipped_with_its_source() -> None:
    table, default, name = fixed_idf()
    assert len(table) > 50_000
    assert 0 < name < default
    assert max(table.values()) <= default
    # a common word weighs less than a rare one
    (common,) = content_tokens("government")
    (rare,) = content_tokens("tailings")
    assert table[common] < table[rare]


def test_pair_score_does_not_change_when_unrelated_statements_are_added() -> None:
    items = [MatchItem(t) for t in STORY]
    grown = items + [MatchItem(t) for t in UNRELATED]
    fixed = TfidfMatcher(idf="fixed")
    for a, b in ((0, 1), (0, 2), (3, 4), (0, 3)):
        assert _score(fixed, items, a, b) == pytest.approx(_score(fixed, grown, a, b), abs=1e-6)
    # the corpus-fitted IDF is what made scores move (so this test can fail)
    corpus = TfidfMatcher(idf="corpus")
    assert abs(_score(corpus, items, 0, 1) - _score(corpus, grown, 0, 1)) > 1e-3


def test_vectors_of_a_text_do_not_depend_on_the_corpus() -> None:
    alone, _ = tfidf_vectors(STORY[:1], "fixed")
    together, _ = tfidf_vectors(STORY + UNRELATED, "fixed")
    assert sorted(alone[0].data.tolist()) == pytest.approx(sorted(together[0].data.tolist()), abs=1e-7)
    # a token naming the statement's own actor weighs the table's name IDF
    named, _ = tfidf_vectors(STORY[:1], "fixed", [frozenset({"brannick"})])
    column = sorted(set(content_tokens(STORY[0]))).index("brannick")
    assert named[0, column] < alone[0, column]


def test_clustering_a_and_b_in_one_go_keeps_the_groups_of_a() -> None:
    """With the fixed table, the story's statements group the same whether unrelated news is in the
    corpus or not (their candidates are the story's own rare words)."""
    alone = _groups(STORY, "fixed")
    together = _groups(STORY + UNRELATED, "fixed")
    story = set(STORY)
    restricted = [[t for t in g if t in story] for g in together]
    assert sorted(g for g in restricted if g) == sorted(alone)
    assert any(len(g) >= 2 for g in alone)  # the paraphrases do group


def test_claims_do_not_depend_on_the_order_of_the_statements() -> None:
    """The stage orders statements itself (date, document, headline first, offset, id), so the same
    statements given in another order, documents and sources shuffled too, make the same claims."""
    corpus, _ = central_case()
    shuffled = copy.deepcopy(corpus)
    rng = random.Random(7)
    for items in (shuffled.statements, shuffled.documents, shuffled.sources):
        rng.shuffle(items)
    build_claims(corpus, Options(), stance_model=FakeStanceModel())
    build_claims(shuffled, Options(), stance_model=FakeStanceModel())

    def summary(c: object) -> list[tuple[str, str, tuple[str, ...]]]:
        return sorted((x.id, x.text, tuple(x.statement_ids)) for x in c.claims)  # type: ignore[attr-defined]

    assert summary(corpus) == summary(shuffled)
    stances = {s.id: (s.claim_id, s.stance) for s in corpus.statements}
    assert {s.id: (s.claim_id, s.stance) for s in shuffled.statements} == stances
