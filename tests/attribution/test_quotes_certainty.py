"""Quote finding and certainty (no spaCy needed)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from claimgraph.attribution.certainty import certainty
from claimgraph.attribution.quotes import find_quotes


def contents(text: str) -> list[str]:
    return [text[q.start : q.end] for q in find_quotes(text)]


def test_curly_and_straight_quotes() -> None:
    text = '“We will not stop,” Roe said. Doe said: "It is over."'
    assert contents(text) == ["We will not stop", "It is over."]


def test_quote_over_two_paragraphs_is_one_quote() -> None:
    text = "“The camps are full. Men are moving.\n\n“Nobody wants to talk about it,” Holt said."
    quotes = find_quotes(text)
    assert len(quotes) == 1
    assert quotes[0].paragraphs == 2
    assert text[quotes[0].start : quotes[0].end].endswith("talk about it")


def test_unclosed_quote_ends_with_its_paragraph() -> None:
    text = "“We are ready, said nobody.\n\nThe next paragraph is prose."
    assert contents(text) == ["We are ready, said nobody."]


@given(st.text(alphabet=st.sampled_from(list('ab “”"\n.,')), max_size=60))
def test_quote_offsets_always_inside_text(text: str) -> None:
    for q in find_quotes(text):
        assert 0 <= q.open < q.start < q.end <= len(text)
        assert text[q.start : q.end].strip() == text[q.start : q.end]


def test_certainty_kinds_and_cues() -> None:
    assert certainty("The group may have moved north.") == ("hedged", ["may"])
    assert certainty("The group will most likely expand.") == ("hedged", ["will most likely"])
    assert certainty("It is unclear whether they left.")[0] == "hedged"
    assert certainty("They reportedly crossed the river.") == ("hedged", ["reportedly"])
    assert certainty("The recruits are clearly armed.") == ("boosted", ["clearly"])
    assert certainty("This is undoubtedly true.") == ("boosted", ["undoubtedly"])
    assert certainty("If the talks fail, fighting would resume.") == ("conditional", ["if", "would"])
    assert certainty("Is the group growing?") == ("question", ["?"])
    assert certainty("The border is 40 km long.") == ("asserted", [])


def test_certainty_precedence_and_hedging_cue() -> None:
    # question > conditional > hedged > boosted; all cues kept
    kind, cues = certainty("Could it clearly be true if they left?")
    assert kind == "question"
    assert {"?", "if", "could", "clearly"} <= set(cues)
    assert certainty("It clearly may be so.")[0] == "hedged"
    # the reporting cue itself can hedge ("X believes ...")
    assert certainty("the group is growing", "believes") == ("hedged", ["believes"])
    # "would not confirm" is a refusal, not a condition
    assert certainty("would not confirm the report", "would not confirm", refusal=True)[0] == "asserted"
