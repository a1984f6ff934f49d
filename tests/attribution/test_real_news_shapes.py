"""Shapes of real news that the bundled sample cannot show (issue 9), each with invented names.

Every test reproduces one observed shape with sentences of our own: cue verbs beyond "said",
relative-pronoun subjects, colon-introduced quotes, first-person narration, datelines before the subject.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from claimgraph.model import Corpus

from .helpers import source_of, statement

Run = Callable[..., Corpus]


@pytest.mark.parametrize(
    ("text", "contains", "speaker", "cue"),
    [
        (
            "Mayor Ingrid Solberg asked whether the council had read the audit.",
            "the council had read",
            "Ingrid Solberg",
            "asked",
        ),
        (
            "Senator Paulo Mendes vowed to block the pipeline bill.",
            "block the pipeline bill",
            "Paulo Mendes",
            "vowed",
        ),
        (
            "The union leader Tomasz Wrona called on the government to reopen the mines.",
            "to reopen the mines",
            "Tomasz Wrona",
            "called",
        ),
        (
            "Governor Amara Osei responded to the protesters' demands on Friday evening.",
            "the protesters' demands",
            "Amara Osei",
            "responded",
        ),
        (
            "Chief Executive Lena Forsberg announced her resignation after the vote.",
            "her resignation",
            "Lena Forsberg",
            "announced",
        ),
        (
            "Analyst Rui Tavares is telling investors that the bank will raise rates again.",
            "the bank will raise rates",
            "Rui Tavares",
            "telling",
        ),
    ],
)
def test_cues_beyond_said(run: Run, text: str, contains: str, speaker: str, cue: str) -> None:
    c = run(text)
    st = statement(c, contains)
    assert st.mode == "indirect"
    assert st.cue == cue
    assert speaker in source_of(c, contains).label


def test_relative_pronoun_is_never_the_source(run: Run) -> None:
    c = run("The offer was rejected by Hendrik Marten, who noted that the deadline had already passed.")
    st = statement(c, "the deadline had already passed")
    assert st.mode == "indirect"
    src = source_of(c, "the deadline had already passed")
    assert "Marten" in src.label
    labels = {s.label.lower() for s in c.sources}
    assert not labels & {"who", "which", "that", "that the"}


def test_colon_introduces_a_quote(run: Run) -> None:
    c = run(
        "Finance Minister Olga Petrenko released the following statement:\n\n"
        "“We will publish every contract signed since 2019, and we will do it this month.”"
    )
    st = statement(c, "We will publish every contract")
    assert st.mode == "direct"
    assert "Olga Petrenko" in source_of(c, "We will publish every contract").label


def test_question_then_short_attribution_sentence(run: Run) -> None:
    c = run("“Who is going to pay for the new bridge?” Councillor Bram Visser asked.")
    st = statement(c, "Who is going to pay")
    assert st.mode == "direct"
    assert "Bram Visser" in source_of(c, "Who is going to pay").label


def test_dateline_place_is_not_the_subject(run: Run) -> None:
    c = run(
        "LYON, France (Wire) — Opposition leader Claire Dumont says the budget will not pass before spring."
    )
    st = statement(c, "the budget will not pass")
    assert st.mode == "indirect"
    assert "Claire Dumont" in source_of(c, "the budget will not pass").label


def test_first_person_narrator_is_the_author(run: Run) -> None:
    c = run("I said the plan would fail, and it did.")
    st = statement(c, "the plan would fail")
    assert st.mode == "indirect"
    src = source_of(c, "the plan would fail")
    assert src.kind in ("author", "outlet")
    assert src.label.lower() not in ("i", "we")


def test_deontic_modal_is_not_a_report(run: Run) -> None:
    c = run("Donors that fund the clinics should ask what their money is paying for.")
    st = statement(c, "what their money is paying for")
    assert st.mode == "assertion"


def test_quoted_programme_title_is_not_speech(run: Run) -> None:
    c = run("The senator spoke on “Morning Report” about the strike.")
    assert not [s for s in c.statements if s.mode == "direct"]


def _entity_names(c: Corpus) -> dict[str, set[str]]:
    return {e.name: {a.name for a in e.aliases} | {e.name} for e in c.entities}


def _one_entity_holds(c: Corpus, *forms: str) -> bool:
    return any(all(f in names for f in forms) for names in _entity_names(c).values())


def test_typographic_apostrophe_is_one_person(run: Run) -> None:
    c = run(
        "Fisheries minister Sean O’Brien said the quota would be cut by a third. "
        "Later O'Brien said the cut would start in March."
    )
    people = [e for e in c.entities if "Brien" in e.name]
    assert len(people) == 1, [(e.name, e.type) for e in people]
    assert people[0].type == "person"


def test_surname_with_particle_joins_the_full_name(run: Run) -> None:
    c = run(
        "Ahmad al-Hakim, the tribal leader, said the road had been closed for a week. "
        "Hakim said the fighters had left the village."
    )
    assert [e.name for e in c.entities if "Hakim" in e.name] == ["Ahmad al-Hakim"] or _one_entity_holds(
        c, "Ahmad al-Hakim", "Hakim"
    )


def test_inline_acronym_with_or_is_linked(run: Run) -> None:
    c = run(
        "Fighters of Jaysh al-Watan (National Defence Forces or NDF) entered the town on Sunday. "
        "The NDF said it had taken the bridge."
    )
    assert _one_entity_holds(c, "NDF") and any(
        "NDF" in names and any("Watan" in n or "National Defence Forces" in n for n in names)
        for names in _entity_names(c).values()
    )


def test_both_the_ministry_and_the_army_have_denied(run: Run) -> None:
    c = run("Both the defence ministry and the army have denied any role in the shelling of the market.")
    st = statement(c, "any role in the shelling")
    assert st.mode == "indirect"
    assert st.cue == "denied"


def test_aides_also_denied_a_report(run: Run) -> None:
    c = run("Aides to the governor also denied a report that she had met the contractor in private.")
    st = statement(c, "she had met the contractor")
    assert st.mode == "indirect"
    assert st.cue == "denied"


def test_claiming_without_evidence(run: Run) -> None:
    c = run(
        "Councillor Piotr Nowak attacked the mayor on Tuesday, claiming without evidence that the vote was rigged."
    )
    st = statement(c, "the vote was rigged")
    assert st.mode == "indirect"
    assert "Piotr Nowak" in source_of(c, "the vote was rigged").label


def test_accused(run: Run) -> None:
    c = run("Opposition leader Marta Kowalczyk accused the minister of hiding the audit from parliament.")
    st = statement(c, "hiding the audit")
    assert st.mode == "indirect"
    assert "Marta Kowalczyk" in source_of(c, "hiding the audit").label


def test_told_outlet_is_not_a_place(run: Run) -> None:
    c = run("The minister told The Guardian that the talks had collapsed.")
    for e in c.entities:
        if "Guardian" in e.name:
            assert e.type != "location"


def test_capital_city_is_not_a_person(run: Run) -> None:
    c = run(
        "Officials in Nairobi said the border crossing would reopen on Friday. Nairobi has not commented since."
    )
    for e in c.entities:
        if e.name == "Nairobi":
            assert e.type == "location"


def test_every_cue_of_a_sentence_makes_its_statement(run: Run) -> None:
    c = run(
        "Governor Elsa Lindqvist spoke to reporters. Lindqvist, who said the budget was balanced, "
        "said she was unaware of any disagreement within her cabinet."
    )
    assert statement(c, "the budget was balanced").mode == "indirect"
    assert statement(c, "unaware of any disagreement").mode == "indirect"
    assert "Lindqvist" in source_of(c, "unaware of any disagreement").label


def test_cue_set_off_by_commas_takes_the_clause_after_it(run: Run) -> None:
    c = run(
        "Pollster Maria Okafor released the survey on Monday. Overall, she said, a number of key "
        "constituencies are drifting away from the party."
    )
    st = statement(c, "constituencies are drifting away")
    assert st.mode == "indirect"
    assert "Okafor" in source_of(c, "constituencies are drifting away").label


def test_cue_noun_with_a_possessor(run: Run) -> None:
    c = run(
        "Senator Tomas Varga spoke in Lyon. He repeated his claim that the port deal was signed in secret."
    )
    st = statement(c, "the port deal was signed in secret")
    assert st.mode == "indirect"
    assert "Varga" in source_of(c, "the port deal was signed in secret").label


def test_statement_saying(run: Run) -> None:
    c = run("Mayor Ingrid Dahl issued a statement saying that the bridge would reopen in the spring.")
    st = statement(c, "the bridge would reopen")
    assert st.mode == "indirect"
    assert "Ingrid Dahl" in source_of(c, "the bridge would reopen").label


def test_short_attribution_sentence_after_a_question(run: Run) -> None:
    c = run("“Would the union accept a freeze on wages?” Kowalski pressed. “Maybe for one year?”")
    st = statement(c, "accept a freeze on wages")
    assert st.mode == "direct"
    assert "Kowalski" in source_of(c, "accept a freeze on wages").label


def test_an_unresolved_pronoun_is_never_a_source_label(run: Run) -> None:
    c = run("He said the plant would close. Who said it first remains unclear.")
    labels = {s.label.lower() for s in c.sources}
    assert not labels & {"he", "she", "they", "who", "that", "it"}


def test_author_criticising_a_quoted_report_is_not_the_reports_statement(run: Run) -> None:
    c = run(
        "The ministry's annual report calls the housing programme “a resounding success”. "
        "That verdict ignores the 4,000 families still waiting for a home."
    )
    hits = [s for s in c.statements if "families still waiting" in s.text]
    assert hits and all(s.mode == "assertion" for s in hits)
