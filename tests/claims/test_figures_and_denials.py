"""Shared figures join a claim, different figures keep claims apart, and the accused party's
contradictions without a denial cue attach as denials (invented actors only)."""

from __future__ import annotations

from corpus_builder import CorpusBuilder, FakeStanceModel

from claimgraph.claims.matching import MatchItem, cluster
from claimgraph.claims.stage import build_claims, contradicts
from claimgraph.claims.text import quantities
from claimgraph.claims.tfidf import TfidfMatcher
from claimgraph.options import Options


def test_quantities_are_specific_numbers_not_years_dates_or_small_counts() -> None:
    assert quantities("412 Tessari fighters were held in three camps") == {"412"}
    assert quantities("some 1,200 men since March 2025") == {"1200"}
    assert quantities("on Nov. 30 and 30 November, 3 camps") == frozenset()
    assert quantities("12.50 percent of 640 detainees") == {"12.5", "640"}


def test_different_figures_about_the_same_thing_do_not_cluster() -> None:
    texts = [
        "Ostreva holds 412 Tessari detainees in its camps",
        "Ostreva holds 380 Tessari detainees in its camps",
    ]
    matcher = TfidfMatcher()
    matcher.fit([MatchItem(t) for t in texts])
    assert cluster(matcher, 2, 0.5) == [[0, 1]]  # the words alone say "same claim"
    assert cluster(matcher, 2, 0.5, quantities=[quantities(t) for t in texts]) == [[0], [1]]
    same = [texts[0], "Ostreva holds 412 Tessari detainees in camps"]
    matcher.fit([MatchItem(t) for t in same])
    assert cluster(matcher, 2, 0.5, quantities=[quantities(t) for t in same]) == [[0, 1]]


def _figures_corpus(second_figure: str) -> tuple[CorpusBuilder, dict[str, object]]:
    b = CorpusBuilder()
    b.entity("Ostreva", "location")
    b.entity("Tessar Front", "organization", aliases=("Tessar",))
    a = b.doc(
        "a", "The Board said 412 Tessar fighters were being held in three Ostrevan camps at the end of June."
    )
    c = b.doc(
        "c",
        f"The Justice Office said {second_figure} Tessar members are being held awaiting trial.",
        published="2024-03-09",
        outlet="Sarn Courier",
    )
    board = b.source("Harbour Monitoring Board", "organization", docs=[a])
    office = b.source("Ostrevan Justice Office", "organization", docs=[c])
    s = {
        "board": b.say(a, board, "412 Tessar fighters were being held in three Ostrevan camps at the end of June",
                       mode="indirect"),
        "office": b.say(c, office, f"{second_figure} Tessar members are being held awaiting trial", mode="indirect"),
    }  # fmt: skip
    b.build()
    return b, dict(s)


def test_statements_sharing_a_figure_and_actors_are_one_claim() -> None:
    b, s = _figures_corpus("412")
    build_claims(b.corpus, Options(), stance_model=FakeStanceModel(default=("supports", 0.6)))
    assert s["board"].claim_id is not None  # type: ignore[attr-defined]
    assert s["board"].claim_id == s["office"].claim_id  # type: ignore[attr-defined]


def test_statements_with_different_figures_stay_apart() -> None:
    b, s = _figures_corpus("380")
    build_claims(b.corpus, Options(), stance_model=FakeStanceModel(default=("supports", 0.6)))
    assert s["board"].claim_id is not None  # type: ignore[attr-defined]
    assert s["office"].claim_id is not None  # type: ignore[attr-defined]
    assert s["board"].claim_id != s["office"].claim_id  # type: ignore[attr-defined]


def test_contradiction_forms() -> None:
    assert contradicts("none had been released")
    assert contradicts("Why would we arm the men we captured? They will stand trial")
    assert contradicts("we have never trained them")
    assert not contradicts("412 members are being held awaiting trial")
    assert not contradicts("Why did the minister resign?")  # a question, but not the speaker's own side


def _denial_corpus() -> tuple[CorpusBuilder, dict[str, object]]:
    b = CorpusBuilder()
    vel = b.entity("Morvania", "location")
    b.entity("Ostreva", "location")
    roe = b.entity("Jane Roe", "person", aliases=("Roe",))
    a = b.doc(
        "a",
        "Morvania recruits captured fighters into its militia. "
        "Morvanian instructors train the captured fighters at a base near the border.",
        outlet="Roe Risk Review",
        authors=["Jane Roe"],
    )
    c = b.doc(
        "c",
        "Morvania is recruiting captured fighters into its militia, Jane Roe said. "
        "The Morvanian Interior Office said none of the captured fighters had been released. "
        "It said the camps would get new kitchens. "
        "Ostrevan officials said they had not seen the militia base. "
        "The Morvanian Interior Office said the weather was not good.",
        published="2024-03-09",
        outlet="Ostreva Ledger",
    )
    author = b.source("Jane Roe", "author", entity=roe, docs=[a])
    roe_c = b.source("Jane Roe", "person", entity=roe, docs=[c])
    office = b.source("Morvanian Interior Office", "organization", docs=[c])
    office.affiliation_entity_ids = [vel.id]
    ostrevan = b.source("Ostrevan officials", "organization", docs=[c])
    s = {
        "core": b.say(a, author, "Morvania recruits captured fighters into its militia.", mode="assertion", cue=None),
        "train": b.say(a, author, "Morvanian instructors train the captured fighters at a base near the border.",
                       mode="assertion", cue=None),
        "relay": b.say(c, roe_c, "Morvania is recruiting captured fighters into its militia", mode="indirect"),
        "none": b.say(c, office, "none of the captured fighters had been released", mode="indirect"),
        "kitchens": b.say(c, office, "the camps would get new kitchens", mode="indirect"),
        "third": b.say(c, ostrevan, "they had not seen the militia base", mode="indirect"),
        "weather": b.say(c, office, "the weather was not good", mode="indirect"),
    }  # fmt: skip
    b.build()
    return b, dict(s)


def test_accused_party_contradiction_attaches_as_denial_and_other_lines_stay_out() -> None:
    b, s = _denial_corpus()
    build_claims(b.corpus, Options(), stance_model=FakeStanceModel(default=("supports", 0.6)))
    core = s["core"].claim_id  # type: ignore[attr-defined]
    assert core is not None and s["relay"].claim_id == core  # type: ignore[attr-defined]
    assert s["none"].claim_id == core  # type: ignore[attr-defined]
    assert s["none"].stance == "denies"  # type: ignore[attr-defined]
    # the same party without a contradiction, or on another topic: not a denial
    assert s["kitchens"].claim_id is None  # type: ignore[attr-defined]
    assert s["weather"].claim_id is None  # type: ignore[attr-defined]
    # a negation by a third party is no denial by the accused
    assert s["third"].stance != "denies"  # type: ignore[attr-defined]
