"""Negative controls for provenance and stance rules (issue 10 §4/§6), on invented real-world-style texts.

Each test states what must *not* happen: an origin disputing its own claim, a refusal becoming a claim,
a chain running backwards in time, two independent origins counted as one, a place word read as a
denial, an adjective read as a dispute, and the author's criticism of a report being dropped."""

from __future__ import annotations

import pytest
from corpus_builder import CorpusBuilder, FakeStanceModel

from claimgraph.claims.stage import build_claims
from claimgraph.claims.stance import has_denial_cue, has_dispute_cue, refuses
from claimgraph.model import Claim, Corpus
from claimgraph.options import Options
from claimgraph.provenance.stage import run_provenance

FIGURE = "310 detainees are held at the Brenn site"


def analyse(corpus: Corpus, model: FakeStanceModel | None = None) -> Corpus:
    build_claims(corpus, Options(), stance_model=model or FakeStanceModel())
    run_provenance(corpus, Options())
    return corpus


def claim_with(corpus: Corpus, text: str) -> Claim:
    st = next(s for s in corpus.statements if text in s.text)
    assert st.claim_id is not None, f"{text!r} joined no claim"
    return next(c for c in corpus.claims if c.id == st.claim_id)


def _two_origins(
    *, relay_text: str | None = None, early_headline: bool = False
) -> tuple[Corpus, dict[str, str]]:
    """A ministry reports a figure; a week later a relief body that inspected the site reports it too."""
    b = CorpusBuilder()
    norland = b.entity("Norland", "location", aliases=("Norlandic",))
    ministry_e = b.entity("Norlandic Interior Ministry", "organization")
    relief_e = b.entity("Medical Relief Coalition", "organization")
    m_doc = b.doc("m", f"The ministry said {FIGURE}.", outlet="Capital Courier", published="2024-05-01")
    r_doc = b.doc(
        "r",
        f"{FIGURE} in the Norlandic north, the Medical Relief Coalition said after its inspectors visited.",
        outlet="Field Report Weekly",
        published="2024-05-09",
    )
    b.source("Capital Courier", "outlet", docs=[m_doc])
    b.source("Field Report Weekly", "outlet", docs=[r_doc])
    ministry = b.source("Norlandic Interior Ministry", "organization", entity=ministry_e, docs=[m_doc])
    ministry.affiliation_entity_ids = [norland.id]
    relief = b.source("Medical Relief Coalition", "organization", entity=relief_e, docs=[r_doc])
    b.say(m_doc, ministry, FIGURE, mode="indirect")
    b.say(r_doc, relief, f"{FIGURE} in the Norlandic north", mode="indirect")
    ids = {"ministry": ministry.id, "relief": relief.id}
    if relay_text is not None:
        x_doc = b.doc("x", relay_text, outlet="Evening Digest", published="2024-05-12")
        x_out = b.source("Evening Digest", "outlet", docs=[x_doc])
        b.say(x_doc, x_out, relay_text, mode="assertion", cue=None)
    if early_headline:
        e_doc = b.doc(
            "e",
            "Officials are counting detainees.",
            title=FIGURE,
            outlet="Morning Wire",
            published="2024-04-24",
        )
        e_out = b.source("Morning Wire", "outlet", docs=[e_doc])
        b.say(e_doc, e_out, FIGURE, mode="assertion", cue=None, part="title")
        ids["early_outlet"] = e_out.id
    return b.build(), ids


def test_two_origins_that_do_not_cite_each_other_are_independent() -> None:
    corpus, ids = _two_origins()
    claim = claim_with(analyse(corpus), "in the Norlandic north")
    assert set(claim.origin_source_ids) == {ids["ministry"], ids["relief"]}
    assert claim.independent_sources == 2
    assert claim.circular is False


def test_an_explicit_citation_makes_a_relay_not_an_origin() -> None:
    corpus, ids = _two_origins(
        relay_text=f"According to the Norlandic Interior Ministry, {FIGURE}.",
    )
    claim = claim_with(analyse(corpus), "According to the Norlandic Interior Ministry")
    assert set(claim.origin_source_ids) == {ids["ministry"], ids["relief"]}
    assert claim.independent_sources == 2


def test_a_chain_never_runs_backwards_in_time() -> None:
    corpus, ids = _two_origins(early_headline=True)
    claim = claim_with(analyse(corpus), "in the Norlandic north")
    for chain in claim.chains:
        if chain[0] == ids["early_outlet"]:
            assert chain[-1] not in (ids["ministry"], ids["relief"]), chain
    # published before either origin, the headline cannot relay them: it is the earliest origin itself
    assert claim.origin_source_ids[0] == ids["early_outlet"]


ALLEGATION = "Norland recruits detainees from the Brenn camp into its border militias"


def _allegation() -> tuple[CorpusBuilder, dict[str, object]]:
    b = CorpusBuilder()
    b.entity("Norland", "location", aliases=("Norlandic",))
    ana = b.entity("Ana Varga", "person")
    a_doc = b.doc(
        "a",
        f"{ALLEGATION}, said Ana Varga, a security consultant. "
        "It is true that nobody in the Norlandic government has denied that Norland recruits detainees from the "
        "Brenn camp, Varga said.",
        outlet="Policy Wire",
        published="2024-06-01",
    )
    b.source("Policy Wire", "outlet", docs=[a_doc])
    varga = b.source("Ana Varga", "person", entity=ana, docs=[a_doc], role="security consultant")
    b.say(a_doc, varga, ALLEGATION)
    return b, {"doc": a_doc, "varga": varga}


def test_the_origin_never_disputes_or_denies_its_own_claim() -> None:
    b, r = _allegation()
    restated = (
        "nobody in the Norlandic government has denied that Norland recruits detainees from the Brenn camp"
    )
    b.say(r["doc"], r["varga"], restated)  # type: ignore[arg-type]
    corpus = analyse(b.build(), FakeStanceModel(default=("disputes", 0.95)))
    claim = claim_with(corpus, ALLEGATION)
    st = next(s for s in corpus.statements if s.text == restated)
    assert st.claim_id == claim.id
    assert st.stance not in ("disputes", "denies")
    assert claim.disputing == 0 and claim.denying == 0


def test_a_refusal_is_a_declines_on_the_claim_never_a_claim() -> None:
    b, r = _allegation()
    doc = b.doc(
        "b",
        f"{ALLEGATION}, the consultant said. "
        "We do not comment on intelligence reports we receive, said a spokesperson for the Norlandic Interior Ministry.",
        outlet="Harbour Ledger",
        published="2024-06-03",
    )
    b.source("Harbour Ledger", "outlet", docs=[doc])
    varga_b = b.source("Ana Varga", "person", entity=r["varga"] and b.corpus.entities[1], docs=[doc])  # type: ignore[arg-type]
    spokes = b.source(
        "spokesperson for the Norlandic Interior Ministry", "organization", docs=[doc], role="spokesperson"
    )
    b.say(doc, varga_b, ALLEGATION)
    refusal = b.say(doc, spokes, "We do not comment on intelligence reports we receive")
    corpus = analyse(b.build())
    claim = claim_with(corpus, ALLEGATION)
    assert refusal.stance == "declines"
    assert refusal.claim_id == claim.id
    assert not any(c.text.startswith("We do not comment") for c in corpus.claims)
    assert claim.declining == 1


def test_refusal_phrases_come_from_the_shared_vocabulary() -> None:
    assert refuses("The ministry declined to say whether detainees had been moved.")
    assert refuses("Our focus remains on the safety of the camps.")
    assert not refuses("The ministry said detainees had been moved.")


def test_a_place_is_no_denial_and_false_documents_are_no_dispute() -> None:
    assert not has_denial_cue("The camp lies near the border")
    assert not has_dispute_cue("The camp lies near the border")
    assert not has_dispute_cue("The men used false passports to cross into Norland")
    assert has_denial_cue("These claims are lies")
    assert has_dispute_cue("The report is false")


def test_the_author_criticising_a_quoted_report_still_disputes_it() -> None:
    b = CorpusBuilder()
    b.entity("Norland", "location")
    group = b.entity("Eastern Watch Institute", "organization")
    doc = b.doc(
        "c",
        f"{ALLEGATION}, the Eastern Watch Institute said in a report. "
        "The institute's report is exaggerated and rests on a single unnamed witness.",
        outlet="Review Quarterly",
        authors=["Tom Hale"],
        published="2024-06-05",
    )
    b.source("Review Quarterly", "outlet", docs=[doc])
    author = b.source("Tom Hale", "author", docs=[doc])
    institute = b.source("Eastern Watch Institute", "organization", entity=group, docs=[doc])
    b.say(doc, institute, ALLEGATION)
    critique = b.say(
        doc,
        author,
        "The institute's report is exaggerated and rests on a single unnamed witness.",
        mode="assertion",
        cue=None,
    )
    corpus = analyse(b.build())
    claim = claim_with(corpus, ALLEGATION)
    assert critique.claim_id == claim.id
    assert critique.stance == "disputes"
    assert claim.disputing == 1


def test_a_later_origin_naming_the_earlier_ones_organisation_is_still_independent() -> None:
    """The relief body names the ministry (its camp) but neither cites nor quotes it: two origins."""
    b = CorpusBuilder()
    ministry_e = b.entity("Norlandic Interior Ministry", "organization")
    relief_e = b.entity("Medical Relief Coalition", "organization")
    m_doc = b.doc("m", f"The ministry said {FIGURE}.", outlet="Capital Courier", published="2024-05-01")
    named = f"{FIGURE}, a camp run by the Norlandic Interior Ministry"
    r_doc = b.doc(
        "r",
        f"{named}, the Medical Relief Coalition said after its inspectors visited.",
        outlet="Field Report Weekly",
        published="2024-05-09",
    )
    b.source("Capital Courier", "outlet", docs=[m_doc])
    b.source("Field Report Weekly", "outlet", docs=[r_doc])
    ministry = b.source("Norlandic Interior Ministry", "organization", entity=ministry_e, docs=[m_doc])
    relief = b.source("Medical Relief Coalition", "organization", entity=relief_e, docs=[r_doc])
    b.say(m_doc, ministry, FIGURE, mode="indirect")
    b.say(r_doc, relief, named, mode="indirect")
    claim = claim_with(analyse(b.build()), "a camp run by")
    assert set(claim.origin_source_ids) == {ministry.id, relief.id}
    assert claim.independent_sources == 2
    assert claim.circular is False


REFUSALS = [
    "We do not comment on intelligence reports we receive",
    "The ministry declined to say whether detainees from the Brenn camp had joined any militia",
    "Our focus remains on the safety of everyone held at the camp",
    "We will not speculate about the Brenn camp",
]


@pytest.mark.parametrize("refusal", REFUSALS)
def test_refusals_and_non_answers_are_declines_never_claims(refusal: str) -> None:
    b, _ = _allegation()
    doc = b.doc(
        "b",
        f"{ALLEGATION}, a consultant said. {refusal}, a spokesperson for the Norlandic Interior Ministry said.",
        outlet="Harbour Ledger",
        published="2024-06-03",
    )
    b.source("Harbour Ledger", "outlet", docs=[doc])
    consultant = b.source("a consultant", "person", docs=[doc])
    spokes = b.source("spokesperson for the Norlandic Interior Ministry", "organization", docs=[doc])
    b.say(doc, consultant, ALLEGATION)
    said = b.say(doc, spokes, refusal)
    corpus = analyse(b.build())
    assert said.stance == "declines"
    assert not any(c.text == refusal for c in corpus.claims)
    if said.claim_id is not None:  # attached: to the claim it refuses, counted as declining
        claim = claim_with(corpus, ALLEGATION)
        assert said.claim_id == claim.id
        assert claim.declining >= 1


def _accused_reply(reply: str) -> tuple[Corpus, Claim, object]:
    """An allegation about Norland and, in the same article, a reply by Norland's interior ministry."""
    b = CorpusBuilder()
    norland = b.entity("Norland", "location", aliases=("Norlandic",))
    doc = b.doc(
        "d",
        f"{ALLEGATION}, the consultant Ana Varga said. {reply}, the Norlandic Interior Ministry said.",
        outlet="Harbour Ledger",
        published="2024-06-03",
    )
    b.source("Harbour Ledger", "outlet", docs=[doc])
    varga = b.source("Ana Varga", "person", docs=[doc], role="consultant")
    ministry = b.source("Norlandic Interior Ministry", "organization", docs=[doc])
    ministry.affiliation_entity_ids = [norland.id]
    b.say(doc, varga, ALLEGATION)
    said = b.say(doc, ministry, reply, mode="indirect")
    corpus = analyse(b.build(), FakeStanceModel(default=("discusses", 0.6)))
    return corpus, claim_with(corpus, ALLEGATION), said


@pytest.mark.parametrize(
    "reply",
    [
        "Norland has never recruited detainees from the Brenn camp into any militia",
        "No detainee from the Brenn camp has been recruited into the border militias",
        "These claims about the Brenn camp are lies",
    ],
)
def test_a_denial_by_the_accused_party_in_plain_words_is_a_denial(reply: str) -> None:
    _, claim, said = _accused_reply(reply)
    assert said.claim_id == claim.id  # type: ignore[attr-defined]
    assert said.stance == "denies"  # type: ignore[attr-defined]
    assert claim.denying == 1


@pytest.mark.parametrize(
    "reply",
    [
        "The Brenn camp lies near the border with Ostland",
        "Two men held at the Brenn camp had used false passports to enter Norland",
    ],
)
def test_a_place_or_false_documents_said_by_the_accused_is_no_denial(reply: str) -> None:
    _, claim, said = _accused_reply(reply)
    assert said.stance not in ("denies", "disputes")  # type: ignore[attr-defined]
    assert claim.denying == 0 and claim.disputing == 0


def test_the_origin_restating_its_claim_later_with_a_negation_is_no_denial() -> None:
    """A week later the consultant, quoted again: "We passed our finding ... on to the embassy;
    nobody followed up." Her own later words on her allegation are never her denial of it."""
    b, _ = _allegation()
    later = b.doc(
        "later",
        f"\u201c{ALLEGATION},\u201d Ana Varga said. \u201cWe passed our finding that Norland recruits detainees from "
        "the Brenn camp on to the embassy; nobody followed up,\u201d she said.",
        outlet="Harbour Ledger",
        published="2024-06-09",
    )
    b.source("Harbour Ledger", "outlet", docs=[later])
    varga_later = b.source(
        "Ana Varga", "person", entity=b.corpus.entities[1], docs=[later], role="security consultant"
    )
    b.say(later, varga_later, ALLEGATION)
    passed = b.say(
        later,
        varga_later,
        "We passed our finding that Norland recruits detainees from the Brenn camp on to the embassy; nobody followed up",
    )
    corpus = analyse(b.build(), FakeStanceModel(default=("disputes", 0.95)))
    claim = claim_with(corpus, ALLEGATION)
    assert passed.claim_id == claim.id  # her later words join her claim ...
    assert passed.stance not in ("disputes", "denies")  # ... and never oppose it, whatever the model says
    assert claim.disputing == 0 and claim.denying == 0
    assert claim.grade is not None
    assert "Denied by" not in claim.grade.explanation and "Disputed by" not in claim.grade.explanation
    assert claim.independent_sources == 1
