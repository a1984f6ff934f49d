"""``classify_speaker`` is a chain of named passes; each is tested on its own, then the order."""

from __future__ import annotations

from typing import Any

import pytest

from claimgraph.attribution import speakers
from claimgraph.attribution.speakers import PASSES, Phrase, classify_speaker


def _mention(text: str, name: str, kind: str, title: str | None = None) -> dict[str, Any]:
    start = text.index(name)
    return {
        "start": start,
        "end": start + len(name),
        "type": kind,
        "name": name,
        "text": name,
        "title": title,
    }


def _phrase(text: str, mentions: list[dict[str, Any]] | None = None, head: str | None = None) -> Phrase:
    p = Phrase(text=text, start=0, end=len(text), inside=list(mentions or []), head=head)
    p.out = {
        "text": text,
        "start": 0,
        "end": len(text),
        "role": None,
        "description": None,
        "affiliation": None,
    }
    return p


def test_person_pass_takes_role_and_affiliation() -> None:
    text = "Lars Eriksen, a senior analyst at Nordvik Capital"
    ms = [_mention(text, "Lars Eriksen", "person"), _mention(text, "Nordvik Capital", "organization")]
    out = speakers._person_pass(_phrase(text, ms))
    assert out is not None
    assert out["kind"] == "person" and out["name"] == "Lars Eriksen"
    assert out["affiliation"] == "Nordvik Capital"
    assert out["role"] and "analyst" in out["role"]


def test_person_pass_leaves_a_phrase_without_a_person() -> None:
    assert speakers._person_pass(_phrase("the finance ministry")) is None


def test_person_pass_gives_way_to_a_document_by_a_person() -> None:
    text = "a study by Ana Duarte"
    p = _phrase(text, [_mention(text, "Ana Duarte", "person")], head="study")
    assert speakers._person_pass(p) is None


def test_pronoun_pass() -> None:
    out = speakers._pronoun_pass(_phrase("she"))
    assert out is not None and out["kind"] == "pronoun" and out["gender"] == "f"
    assert speakers._pronoun_pass(_phrase("the senator")) is None


def test_document_pass_named_and_by_author() -> None:
    named = speakers._document_pass(_phrase("the 2024 Harbour Safety Report"))
    assert named is not None and named["kind"] == "document"
    text = "a report by Nordvik Capital"
    by = speakers._document_pass(_phrase(text, [_mention(text, "Nordvik Capital", "organization")]))
    assert by is not None and by["kind"] == "organization" and by["name"] == "Nordvik Capital"
    assert speakers._document_pass(_phrase("the minister")) is None


def test_spokesperson_pass() -> None:
    text = "a Harlow Police spokesperson"
    out = speakers._spokesperson_pass(_phrase(text, [_mention(text, "Harlow Police", "organization")]))
    assert out is not None and out["kind"] == "organization" and out["role"] == "spokesperson"
    assert speakers._spokesperson_pass(_phrase("a spokesperson")) is None


def test_person_noun_pass() -> None:
    desc = speakers._person_noun_pass(_phrase("the official"))
    assert desc is not None and desc["kind"] == "description" and desc["head"] == "official"
    anon = speakers._person_noun_pass(_phrase("two officials familiar with the talks", head="officials"))
    assert anon is not None and anon["kind"] == "anonymous"


def test_organisation_pass() -> None:
    text = "the board of Tessaly Mining"
    out = speakers._organisation_pass(_phrase(text, [_mention(text, "Tessaly Mining", "organization")]))
    assert out is not None and out["name"] == "Tessaly Mining"
    assert speakers._organisation_pass(_phrase("the board")) is None


def test_institution_pass() -> None:
    desc = speakers._institution_pass(_phrase("the ministry"))
    assert desc is not None and desc["kind"] == "description"
    assert speakers._institution_pass(_phrase("the voters")) is None


def test_capitalised_pass() -> None:
    out = speakers._capitalised_pass(_phrase("Harbour Watch"))
    assert out is not None and out["kind"] == "organization" and out["name"] == "Harbour Watch"
    assert speakers._capitalised_pass(_phrase("We")) is None


@pytest.mark.parametrize("words", ["Critics", "Others", "Neighbours", "Supporters of the mayor"])
def test_a_capital_that_only_opens_the_sentence_makes_no_organisation(words: str) -> None:
    """A group of people written at the start of a sentence is capitalised for the sentence, not as a name:
    an anonymous source of that document (so "Critics" in two articles are never one organisation)."""
    text = f"The vote was close. {words} said the levy would hurt small farms."
    start = text.index(words)
    assert speakers._capitalised_pass(Phrase(text, start, start + len(words), [], None)) is None
    out = classify_speaker(text, start, start + len(words), [])
    assert out is not None and out["kind"] == "anonymous" and out["description"] == words


def test_a_name_that_also_appears_inside_a_sentence_stays_an_organisation() -> None:
    """The document writes the word capitalised where no sentence opens: a name NER missed."""
    text = "Patrols rose in May. Vardex said arrivals fell. Officials at Vardex later confirmed it."
    start = text.index("Vardex")
    out = classify_speaker(text, start, start + len("Vardex"), [])
    assert out is not None and out["kind"] == "organization" and out["name"] == "Vardex"


def test_an_indefinite_description_naming_an_organisation_is_a_source_tied_to_it() -> None:
    """``a blog linked to X`` is not X speaking: an unnamed source affiliated with X."""
    text = "a channel seen as close to the Sarn Brotherhood"
    ms = [_mention(text, "Sarn Brotherhood", "organization")]
    out = speakers._organisation_pass(_phrase(text, ms))
    assert out is not None and out["kind"] == "anonymous"
    assert out["description"] == text and out["affiliation"] == "Sarn Brotherhood"
    # the organisation as the maker or sender speaks: "by X" (any name), "from X" (an organisation)
    for text, kind in (
        ("a transcript released by the Pell Monitoring Group", "organization"),
        ("a statement from Halvik General Hospital", "organization"),
        ("a nursing student from Port Arlen", "location"),
    ):
        name = text.split(" by the ")[-1] if " by the " in text else text.split(" from ")[-1]
        out = speakers._organisation_pass(_phrase(text, [_mention(text, name, kind)]))
        assert out is not None
        assert out["kind"] == ("anonymous" if kind == "location" else "organization"), text
    # the article and the name together: the organisation speaks ("an Orvel unit"), as does a definite phrase
    unit = "an Orvel Mining unit"
    out = speakers._organisation_pass(_phrase(unit, [_mention(unit, "Orvel Mining", "organization")]))
    assert out is not None and out["kind"] == "organization" and out["name"] == "Orvel Mining"
    board = "the board of Tessaly Mining"
    out = speakers._organisation_pass(_phrase(board, [_mention(board, "Tessaly Mining", "organization")]))
    assert out is not None and out["kind"] == "organization"


@pytest.mark.parametrize("word", ["I", "you", "We"])
def test_anonymous_pass_refuses_first_person(word: str) -> None:
    assert speakers._anonymous_pass(_phrase(word)) is None


def test_anonymous_pass_keeps_a_description() -> None:
    out = speakers._anonymous_pass(_phrase("residents of the valley"))
    assert out is not None and out["kind"] == "anonymous" and out["description"] == "residents of the valley"


def test_passes_run_in_order_and_the_first_decides() -> None:
    assert PASSES[0] is speakers._person_pass and PASSES[-1] is speakers._anonymous_pass
    # a person inside an institution phrase: the person pass comes first
    text = "Interior Ministry official Nadia Haddad"
    out = classify_speaker(text, 0, len(text), [_mention(text, "Nadia Haddad", "person")])
    assert out is not None and out["kind"] == "person"


@pytest.mark.parametrize("word", ["who", "Who", "that", "which", "whom", "that the", "it a", "he is"])
def test_a_relative_pronoun_or_function_words_are_no_speaker(word: str) -> None:
    assert classify_speaker(word, 0, len(word), []) is None
