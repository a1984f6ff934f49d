"""Anyone's plain negation of what a claim asserts disputes it, not only the accused party's (invented actors;
the shape of a debunk: "No, a spider did not burrow under his skin")."""

from __future__ import annotations

import pytest

from claimgraph.claims.stance import negates_event_of, rule_stance
from claimgraph.model import Source, Statement

OUTLET = Source(id="src-out", kind="outlet", label="Varne Daily")


def say(text: str, negated: list[str] | None, sid: str = "s1", mode: str = "assertion") -> Statement:
    return Statement(
        id=sid, document_id="d1", source_id=OUTLET.id, text=text, cue=None, mode=mode,  # type: ignore[arg-type]
        certainty="asserted", certainty_cues=[], start=0, end=len(text), negated_event=negated,
    )  # fmt: skip


CLAIM = "A tropical spider burrowed under a Kelmar tourist's skin through an old scar"


@pytest.mark.parametrize(
    ("text", "event"),
    [
        ("No, a spider did not burrow under a Kelmar tourist's skin", ["burrow"]),
        (
            "Doctors said no spider had burrowed under the skin of the tourist",
            ["burrowed", "burrow", "spider"],
        ),
    ],
)
def test_a_plain_negation_of_the_claimed_event_disputes_it(text: str, event: list[str]) -> None:
    st = say(text, event)
    assert negates_event_of(st, CLAIM)
    assert rule_stance(st, OUTLET, accused=False, claim_text=CLAIM) == "disputes"
    # the accused party's own negation stays a denial
    assert rule_stance(st, OUTLET, accused=True, claim_text=CLAIM) == "denies"


def test_a_negation_of_something_else_is_left_to_the_model() -> None:
    st = say(
        "The tourist, who did not comment, flew home to Kelmar with a spider under his skin", ["comment"]
    )
    assert not negates_event_of(st, CLAIM)
    assert rule_stance(st, OUTLET, accused=False, claim_text=CLAIM) is None
    # a statement read by an older claimgraph (no reading stored) is parsed: the same answer
    assert rule_stance(say(st.text, None), OUTLET, accused=False, claim_text=CLAIM) is None


def test_inflections_of_one_verb_meet() -> None:
    # the suffix stripper keeps "defecate" whole and makes "defecated" "defecat"
    st = say("A gull did not defecate on Mayor Osk Varla during his speech", ["defecate"])
    assert negates_event_of(st, "A gull defecated on Mayor Osk Varla during his speech")
    assert not negates_event_of(say("It did not burrow", ["burrow"]), "The Vell senate borrowed money")
    assert not negates_event_of(
        say("Nobody cared", ["care"]), "The carer was paid"
    )  # "care" is no stem of "carer"


def test_a_claim_worded_as_a_negation_is_disputed_by_its_assertion() -> None:
    wording = "The remains found near Tarsk were confirmed not to be the missing miners"
    claim_statement = say(wording, ["be", "missing", "miners"], sid="w")
    assertion = say("Remains near Tarsk are those of the missing miners", [], sid="a")
    assert (
        rule_stance(assertion, OUTLET, accused=False, claim_text=wording, claim_statement=claim_statement)
        == "disputes"
    )
    # without the wording's statement (a hand-built claim) the rule is not asked
    assert rule_stance(assertion, OUTLET, accused=False, claim_text=wording) is None
    # a restatement of the negation supports it (left to the model)
    again = say("The Tarsk remains are not the missing miners", ["miners"], sid="b")
    assert (
        rule_stance(again, OUTLET, accused=False, claim_text=wording, claim_statement=claim_statement) is None
    )
