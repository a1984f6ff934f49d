"""Anyone's plain negation of what a claim asserts disputes it, not only the accused party's (invented actors;
the shape of a debunk: "No, a spider did not burrow under his skin")."""

from __future__ import annotations

import pytest

from claimgraph.claims.stance import negated_words, negates_event_of, negation_window, rule_stance
from claimgraph.model import Source, Statement

OUTLET = Source(id="src-out", kind="outlet", label="Varne Daily")


def say(text: str, negated: list[str] | None = None, sid: str = "s1", mode: str = "assertion") -> Statement:
    return Statement(
        id=sid, document_id="d1", source_id=OUTLET.id, text=text, cue=None, mode=mode,  # type: ignore[arg-type]
        certainty="asserted", certainty_cues=[], start=0, end=len(text), negated_event=negated,
    )  # fmt: skip


CLAIM = "A tropical spider burrowed under a Kelmar tourist's skin through an old scar"


@pytest.mark.parametrize(
    ("text", "event"),
    [
        ("No, a spider did not burrow under a Kelmar tourist's skin", {"burrow"}),
        ("Doctors found that no spider had burrowed under his skin", {"spider"}),
        ("A spider didn't burrow under the skin of the tourist", {"burrow"}),
    ],
)
def test_a_plain_negation_of_the_claimed_event_disputes_it(text: str, event: set[str]) -> None:
    st = say(text)  # the outlet's own voice: no parse reading, the words after the negation
    assert negation_window(text) == event
    assert negates_event_of(st, CLAIM)
    assert rule_stance(st, OUTLET, accused=False, claim_text=CLAIM) == "disputes"
    # the accused party's own negation stays a denial
    assert rule_stance(st, OUTLET, accused=True, claim_text=CLAIM) == "denies"


def test_a_negation_of_something_else_is_left_to_the_model() -> None:
    st = say("The tourist, who did not comment, flew home to Kelmar with a spider under his skin")
    assert not negates_event_of(st, CLAIM)
    assert rule_stance(st, OUTLET, accused=False, claim_text=CLAIM) is None
    # names after the negated word are not what is negated
    assert negation_window("A gull did not land on Kelmar Governor Osk Varla") == {"land"}


def test_quoted_speech_uses_attributions_parse_reading() -> None:
    quoted = say("none had burrowed, the dermatologist said", ["burrowed", "burrow"], mode="indirect")
    assert negated_words(quoted) == {"burrow"}
    assert rule_stance(quoted, OUTLET, accused=False, claim_text=CLAIM) == "disputes"
    elsewhere = say(
        "it did not burrow, she said", ["rain"], mode="indirect"
    )  # the reading wins over the words
    assert not negates_event_of(elsewhere, CLAIM)


def test_inflections_of_one_verb_meet() -> None:
    # the suffix stripper keeps "defecate" whole and makes "defecated" "defecat"
    st = say("A gull did not defecate on Mayor Osk Varla during his speech")
    assert negates_event_of(st, "A gull defecated on Mayor Osk Varla during his speech")
    assert not negates_event_of(say("It did not burrow"), "The Vell senate borrowed money")
    assert not negates_event_of(say("Nobody cared"), "The carer was paid")  # "care" is no stem of "carer"


def test_a_claim_worded_as_a_negation_is_not_disputed_by_a_negation() -> None:
    # the claim's wording negates too (a quoted negation counts): no plain negation of it
    wording = "Missing Tarsk miners 'not found in the flooded shaft'"
    again = say("The remains in the shaft were confirmed not to be the missing miners", sid="b")
    assert rule_stance(again, OUTLET, accused=False, claim_text=wording) is None
    # nor is an assertion that names what it negates a dispute (a question, a search: "whether any of the
    # missing miners are in the shaft" is no assertion of the opposite)
    search = say("Divers are trying to determine whether any of the missing miners are in the shaft", sid="c")
    assert rule_stance(search, OUTLET, accused=False, claim_text=wording) is None


def test_an_origin_retracting_its_claim_keeps_its_dispute() -> None:
    from claimgraph.claims.stage import _origin_keeps_its_claim
    from claimgraph.claims.stance import retracts
    from claimgraph.model import Claim

    told = say("A gull soiled Mayor Osk Varla's coat during his speech", sid="a")
    told.stance = "supports"
    retraction = say("Correction: the video of the gull was a hoax", sid="b")
    notice = say("The Varne Daily's footage of the gull appears to have been doctored", sid="c")
    elaboration = say(
        "The gull circled twice before it struck", sid="d"
    )  # the model's dispute: an elaboration
    for st in (retraction, notice, elaboration):
        st.stance = "disputes"
    assert retracts(retraction) and retracts(notice) and not retracts(elaboration)
    assert not retracts(say("The corrections officer said the gull was fed"))
    by_id = {st.id: st for st in (told, retraction, notice, elaboration)}
    claim = Claim(id="c1", text=told.text, statement_ids=sorted(by_id), first_seen=None)
    _origin_keeps_its_claim([claim], by_id, lambda source_id: source_id, lambda st: True)
    assert [by_id[k].stance for k in "abcd"] == ["supports", "disputes", "disputes", "supports"]


@pytest.mark.parametrize(
    "text",
    [
        "Critics said the video of the gull was a hoax",
        "The footage of the gull has since been called a hoax on social media",
        "The clip was dismissed as doctored by the mayor's office",
        "Several readers branded the photo of the gull a fake and photoshopped",
        "According to the harbour authority, the video was a hoax",
    ],
)
def test_a_fabrication_named_on_someone_elses_word_is_no_retraction(text: str) -> None:
    """The origin that reports others calling its story a hoax relays their verdict; it takes nothing back."""
    from claimgraph.claims.stance import has_fabrication_cue, retracts

    st = say(text)
    assert has_fabrication_cue(text) or "fake" in text  # the cue is there ...
    assert not retracts(st)  # ... on another's word
    # the same verdict in the speaker's own name, and a correction notice whatever it quotes, retract
    assert retracts(say("The video of the gull was a hoax"))
    assert retracts(say("Correction: critics said the video of the gull was a hoax"))
