"""One claim, one proposition: the matcher's guards against joining different statements about the
same parties (average linkage, first-named actor, semantic scores only between document summaries)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

import numpy as np
from corpus_builder import CorpusBuilder

from claimgraph.claims.actors import DemonymIndex
from claimgraph.claims.embeddings import EmbeddingMatcher
from claimgraph.claims.matching import MatchItem, cluster
from claimgraph.claims.stage import _make_claim, first_actors
from claimgraph.model import Source
from claimgraph.provenance.origins import _origin_key


class _TableMatcher:
    """Scores from a table (missing pairs score 0); candidates are the table's pairs."""

    def __init__(self, scores: dict[tuple[int, int], float], linkage: str) -> None:
        self.scores = scores
        self.linkage = linkage

    def fit(self, items: object) -> None:
        pass

    def candidates(self) -> tuple[np.ndarray, np.ndarray]:
        pairs = sorted(self.scores)
        return np.array([a for a, _ in pairs]), np.array([b for _, b in pairs])

    def similarity(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        return np.array([self.scores.get((min(a, b), max(a, b)), 0.0) for a, b in zip(i, j, strict=True)])


class TestAverageLinkage:
    # 0, 1, 2 say the same thing; 3 is close to 0 only (a sentence on the same parties, another matter)
    scores: ClassVar[dict[tuple[int, int], float]] = {(0, 1): 0.9, (0, 2): 0.9, (1, 2): 0.9, (0, 3): 0.55}

    def test_a_statement_joins_a_group_only_when_it_says_what_its_members_say(self) -> None:
        groups = cluster(_TableMatcher(self.scores, "average"), 4, 0.5)
        assert groups == [[0, 1, 2], [3]]

    def test_the_representative_guard_alone_lets_it_in(self) -> None:
        # the old single-link rule with a representative check: 3 ~ 0 is the representative pair itself
        groups = cluster(_TableMatcher(self.scores, "representative"), 4, 0.5)
        assert groups == [[0, 1, 2, 3]]

    def test_a_paraphrase_close_to_every_member_joins(self) -> None:
        scores = {**self.scores, (1, 3): 0.5, (2, 3): 0.45}
        groups = cluster(_TableMatcher(scores, "average"), 4, 0.5)
        assert groups == [[0, 1, 2, 3]]


def test_different_first_actors_stay_apart_even_when_worded_alike() -> None:
    scores = {(0, 1): 0.8}
    assert cluster(_TableMatcher(scores, "average"), 2, 0.5, subjects=["ent-a", "ent-b"]) == [[0], [1]]
    assert cluster(_TableMatcher(scores, "average"), 2, 0.5, subjects=["ent-a", None]) == [[0, 1]]
    assert cluster(_TableMatcher(scores, "average"), 2, 0.5, subjects=["ent-a", "ent-a"]) == [[0, 1]]


def test_first_actor_is_the_first_named_outside_a_fronted_clause() -> None:
    b = CorpusBuilder()
    doc = b.doc(
        "d1",
        "Norland is recruiting prisoners into the Ostvik Guard. "
        "Since the fighting with Norland ended, the Ostvik Guard has held 300 prisoners. "
        "Prisoners held by the Ostvik Guard are paid by Norland. "
        "Nobody knows.",
    )
    norland = b.entity("Norland", "location")
    guard = b.entity("Ostvik Guard", aliases=["the Guard"])
    src = b.source("Ana Lind", "person", docs=[doc])
    texts = [
        "Norland is recruiting prisoners into the Ostvik Guard",
        "Since the fighting with Norland ended, the Ostvik Guard has held 300 prisoners",
        "Prisoners held by the Ostvik Guard are paid by Norland",
        "Nobody knows",
    ]
    statements = [b.say(doc, src, t) for t in texts]
    corpus = b.build()
    expanded = {s.id: set(s.entity_ids) for s in statements}
    actors = first_actors(statements, corpus.entities, DemonymIndex(corpus.entities), expanded)
    assert actors == [norland.id, guard.id, guard.id, None]


def _fake_encoder(calls: list[list[str]]) -> object:
    def encode(texts: Sequence[str], batch_size: int) -> np.ndarray:
        calls.append(list(texts))
        return np.tile(np.eye(1, 8, dtype=np.float32), (len(texts), 1))  # every text "means" the same

    return encode


def test_semantic_scores_only_between_document_summaries() -> None:
    calls: list[list[str]] = []
    matcher = EmbeddingMatcher(encode=_fake_encoder(calls))  # type: ignore[arg-type]
    items = [
        MatchItem("Harbour strike ends after pay deal", summary=True),
        MatchItem("Dockers return to work as wage row settled", summary=True),
        MatchItem("The union thanked its members", summary=False),
        MatchItem("Ships queued outside the port for a week", summary=False),
    ]
    matcher.fit(items)
    assert calls == [[items[0].text, items[1].text]]  # only summaries are encoded
    scores = matcher.similarity(np.array([0, 2, 0]), np.array([1, 3, 2]))
    assert scores[0] > 0.6  # two headlines: meaning (here: identical vectors) counts
    assert scores[1] == 0.0 and scores[2] == 0.0  # body sentences: their words, none shared


def test_a_claim_is_worded_by_a_sentence_before_a_headline() -> None:
    b = CorpusBuilder()
    doc = b.doc(
        "d1", "Norland is recruiting prisoners. The Guard trains them.", title="Norland's prison army"
    )
    outlet = b.source("Ledger", "outlet", docs=[doc])
    author = b.source("Ana Lind", "author", docs=[doc])
    headline = b.say(doc, outlet, "Norland's prison army", part="title", mode="assertion", cue=None)
    body = b.say(doc, author, "Norland is recruiting prisoners", mode="assertion", cue=None)
    claim, _core = _make_claim([[headline], [body]], {headline.id: set(), body.id: set()})
    assert claim.text == body.text


def test_an_origin_group_is_shown_by_its_person_before_its_outlet() -> None:
    outlet = Source(id="src-a", label="Ledger", kind="outlet")
    author = Source(id="src-b", label="Ana Lind", kind="author")
    sources = {s.id: s for s in (outlet, author)}
    same_day = sorted(
        [("2024-03-01", "src-a", "d1"), ("2024-03-01", "src-b", "d1")], key=lambda e: _origin_key(e, sources)
    )
    assert same_day[0][1] == "src-b"
    earlier = sorted(
        [("2024-03-01", "src-a", "d1"), ("2024-03-02", "src-b", "d2")], key=lambda e: _origin_key(e, sources)
    )
    assert earlier[0][1] == "src-a"  # the earlier date still wins
