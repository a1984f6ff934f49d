"""Issue 9 follow-ups, each with invented names: a title word before a name is no entity of its own, an
outlet after "told" keeps its whole name, a speaker phrase drops a closing date or time, "disputed the
claim that" is a report by the one who disputes, and a role that is only an honorific is never shown."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from claimgraph.model import Corpus, Source
from claimgraph.outputs.report import source_phrase
from claimgraph.vocab import shown_role

from .helpers import source_of, statement

Run = Callable[..., Corpus]


def test_title_before_a_name_is_not_an_entity_or_source(run: Run) -> None:
    c = run(
        "The reading room will shut in March after forty years, Councillor Priya Natt told the "
        "Ashgrove Gazette on Monday."
    )
    src = source_of(c, "The reading room will shut")
    assert src.kind == "person"
    assert src.label == "Priya Natt"
    assert src.role == "Councillor"
    names = {e.name for e in c.entities}
    assert "Councillor" not in names
    assert not {s.label for s in c.sources} & {"Councillor", "Natt"}


def test_outlet_after_told_keeps_its_whole_name(run: Run) -> None:
    c = run("The ferry contract was never tendered, Alderman Joss Renwick told the Fenmoor Courier Gazette.")
    outlets = [e for e in c.entities if e.name.endswith("Gazette")]
    assert [e.name for e in outlets] == ["Fenmoor Courier Gazette"]
    assert outlets[0].type == "organization"


@pytest.mark.parametrize(
    ("text", "contains"),
    [
        ("A spokesman on Tuesday said the depot would reopen within a week.", "the depot would reopen"),
        (
            "A ministry spokeswoman on Friday morning said the tender had been cancelled.",
            "the tender had been",
        ),
        ("An aide to the governor at 9 a.m. said the vote was postponed.", "the vote was postponed"),
    ],
)
def test_speaker_phrase_drops_a_closing_time(run: Run, text: str, contains: str) -> None:
    c = run(text)
    st = statement(c, contains)
    assert st.mode == "indirect"
    src = source_of(c, contains)
    for word in ("Tuesday", "Friday", "morning", "a.m.", " on", " at"):
        assert word not in src.label, src.label
        assert word not in (src.role or ""), src.role
        assert word not in (st.speaker_text or ""), st.speaker_text


def test_disputed_the_claim_is_the_disputers_report(run: Run) -> None:
    c = run("Noor Castellan disputed the claim that the viaduct was unsafe.")
    st = statement(c, "the viaduct was unsafe")
    assert st.mode == "indirect"
    assert st.cue == "disputed"
    src = source_of(c, "the viaduct was unsafe")
    assert src.kind == "person"
    assert "Noor Castellan" in src.label


def test_disputed_claim_gets_the_dispute_stance_not_reports(run: Run) -> None:
    from claimgraph.claims.stance import rule_stance

    c = run("Noor Castellan disputed the claim that the viaduct was unsafe.")
    st = statement(c, "the viaduct was unsafe")
    assert rule_stance(st, c.source(st.source_id), accused=False) == "disputes"


@pytest.mark.parametrize("role", ["Dr.", "Dr", "Mr.", "Prof.", "  Ms  ", ""])
def test_honorific_alone_is_not_shown_as_a_role(role: str) -> None:
    assert shown_role(role) is None
    src = Source(id="src-1", kind="person", label="Noor Castellan", role=role or None)
    assert source_phrase(src) == "Noor Castellan"


def test_real_role_is_shown_in_the_heading() -> None:
    assert shown_role("Dr. of physics") == "Dr. of physics"
    src = Source(id="src-1", kind="person", label="Noor Castellan", role="hydrologist")
    assert source_phrase(src) == "Noor Castellan (hydrologist)"
