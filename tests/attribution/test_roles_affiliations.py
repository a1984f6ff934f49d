"""One entity per name across NER labels, short title-like roles, affiliations to organisations and
states (demonyms). Invented names only."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from claimgraph.attribution.demonyms import country_for_demonym, demonym_candidates
from claimgraph.attribution.resolution import resolve_entities
from claimgraph.attribution.speakers import split_role
from claimgraph.model import Corpus

from .helpers import make_doc
from .test_resolution import m

Run = Callable[..., Corpus]


def test_one_word_name_is_one_entity_across_labels_place_beats_person() -> None:
    # NER calls the country PERSON in more sentences than GPE: still one entity, a location
    mentions = [
        m("d1", "Ostria", "person"),
        m("d1", "Ostria", "person", start=50),
        m("d2", "Ostria", "person"),
        m("d3", "Ostria", "location"),
    ]
    idx = resolve_entities(mentions, {})
    assert [(e.name, e.type, e.mentions) for e in idx.entities] == [("Ostria", "location", 4)]


def test_demonym_makes_a_person_only_one_word_name_a_place() -> None:
    with_demonym = resolve_entities([m("d1", "Ostria", "person")], {}, ["Ostrian"])
    without = resolve_entities([m("d1", "Ostria", "person")], {})
    assert [e.type for e in with_demonym.entities] == ["location"]
    assert [e.type for e in without.entities] == ["person"]


def test_surname_of_a_person_named_in_the_document_keeps_person() -> None:
    # "Dorn" is Pavel Dorn's surname in d1; a place called Dorn elsewhere stays a different entity
    idx = resolve_entities(
        [
            m("d1", "Pavel Dorn", "person"),
            m("d1", "Dorn", "location", start=40),
            m("d2", "Dorn", "location"),
            m("d3", "Dorn", "location"),
        ],
        {},
    )
    by_name = {(e.name, e.type): e.mentions for e in idx.entities}
    assert by_name == {("Pavel Dorn", "person"): 2, ("Dorn", "location"): 2}


def test_demonym_rule() -> None:
    places = ["Ostria", "Ostaria", "Kelmar", "Tarvo", "Brask", "Norland", "Zhin"]
    assert country_for_demonym("Ostrian", places) == "Ostria"
    assert country_for_demonym("Ostarian", places) == "Ostaria"  # one letter apart: never confused
    assert country_for_demonym("Kelmari", places) == "Kelmar"
    assert country_for_demonym("Kelmarese", places) == "Kelmar"
    assert country_for_demonym("Braskish", places) == "Brask"
    assert country_for_demonym("Norish", places) == "Norland"
    assert country_for_demonym("Zhinese", ["Zhina"]) == "Zhina"
    assert country_for_demonym("Velmarian", places) is None
    assert country_for_demonym("ostrian", places) is None  # not capitalised: not a demonym
    assert "ostria" in demonym_candidates("Ostrian")


@pytest.mark.parametrize(
    ("phrase", "role", "description"),
    [
        ("a consultant", "consultant", None),
        ("founder of Brenvik Analytics", "founder of Brenvik Analytics", None),
        ("a spokesperson for the Interior Ministry", "spokesperson for the Interior Ministry", None),
        ("whose agency ran the survey", None, "whose agency ran the survey"),
        ("who served in naval intelligence", None, "who served in naval intelligence"),
        (
            "the consultant who wrote the original report",
            "consultant",
            "the consultant who wrote the original report",
        ),
        ("the firm's founder", "founder", "the firm's founder"),
        (
            "a man with a long history of campaigning on the coast",
            None,
            "a man with a long history of campaigning on the coast",
        ),
    ],
)
def test_roles_are_short_titles_clauses_are_descriptions(
    phrase: str, role: str | None, description: str | None
) -> None:
    assert split_role(phrase) == (role, description)


PASSAGE = (
    "The border between Ostria and its neighbour has been quiet since March.\n\n"
    "Brenvik Analytics, a consultancy run by Lena Varga, published a report on Monday alleging abuses "
    "in Ostria.\n\n"
    "“The camps are full,” Lena Varga, whose company first raised the alarm, told reporters.\n\n"
    "Ostrian Prime Minister Pavel Dorn said the report was invented.\n\n"
    "An Ostrian official, who spoke on condition of anonymity, said the camps were half empty.\n\n"
    "The Ostrian Foreign Ministry said the report was false."
)


def test_roles_and_affiliations_on_a_passage(run: Run) -> None:
    corpus = run(make_doc(PASSAGE))
    ent = {e.name: e for e in corpus.entities}
    src = {(s.kind, s.label): s for s in corpus.sources}
    ostria = ent["Ostria"].id
    assert ent["Ostria"].type == "location"

    varga = src[("person", "Lena Varga")]
    assert varga.role == "head of Brenvik Analytics"  # never the relative clause
    assert varga.description == "whose company first raised the alarm"
    brenvik = src[("organization", "Brenvik Analytics")]
    assert brenvik.id in varga.affiliated_source_ids and varga.id in brenvik.affiliated_source_ids
    assert varga.affiliation_entity_ids == [ent["Brenvik Analytics"].id]

    dorn = src[("person", "Pavel Dorn")]
    assert dorn.role == "Ostrian Prime Minister"  # the demonym stays in the title
    assert dorn.affiliation_entity_ids == [ostria]
    aliases = {a.name for a in ent["Pavel Dorn"].aliases}
    assert {"Ostrian Prime Minister Pavel Dorn", "Prime Minister Pavel Dorn"} <= aliases

    anon = next(s for s in corpus.sources if s.kind == "anonymous")
    assert anon.description is not None and anon.description.startswith("An Ostrian official")
    assert anon.affiliation_entity_ids == [ostria]
    ministry = src[("organization", "Ostrian Foreign Ministry")]
    assert ministry.affiliation_entity_ids == [ostria]


def test_possessive_spokesperson_and_citizen_demonym(run: Run) -> None:
    text = (
        "Kelmar closed its ports on Tuesday.\n\n"
        "On Monday the Tarvo Port Authority's spokesperson Ida Moss said the ships would wait "
        "outside Kelmar.\n\n"
        "Kelmari journalist Omar Sahl said the closure was long expected."
    )
    corpus = run(make_doc(text))
    src = {(s.kind, s.label): s for s in corpus.sources}
    ent = {e.name: e for e in corpus.entities}
    moss = src[("person", "Ida Moss")]
    assert moss.affiliation_entity_ids == [ent["Tarvo Port Authority"].id]
    assert moss.role is not None and "spokesperson" in moss.role
    # "Kelmari" before a role word is an adjective, not an organisation the journalist belongs to,
    # and a journalist from Kelmar does not speak for Kelmar
    sahl = src[("person", "Omar Sahl")]
    assert sahl.role == "Kelmari journalist"
    assert "Kelmari" not in ent
    assert sahl.affiliation_entity_ids == [] and sahl.affiliated_source_ids == []


def test_possessive_country_title_and_firm_anaphor(run: Run) -> None:
    text = (
        "Brenvik Analytics published a study of the Ostria coast on Monday.\n\n"
        "“The coast is empty,” Lena Varga, the firm’s founder, told reporters.\n\n"
        "Ostria's Interior Minister Pavel Dorn said the study was wrong."
    )
    corpus = run(make_doc(text))
    src = {(s.kind, s.label): s for s in corpus.sources}
    ent = {e.name: e for e in corpus.entities}
    varga = src[("person", "Lena Varga")]
    assert varga.role == "founder of Brenvik Analytics"
    assert varga.affiliation_entity_ids == [ent["Brenvik Analytics"].id]
    dorn = src[("person", "Pavel Dorn")]
    assert dorn.role == "Ostria's Interior Minister"
    assert ent["Ostria"].id in dorn.affiliation_entity_ids
