"""Plain canonical spellings, past ties, statement entities from known names and demonyms, outlets,
datelines and named documents. Invented names only."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest

from claimgraph.attribution.gazetteer import AliasMatcher
from claimgraph.attribution.lexicon import former_tie
from claimgraph.attribution.resolution import plain_form, resolve_entities
from claimgraph.model import Alias, Corpus, Entity, Mention

from .helpers import make_doc, statement
from .test_resolution import m

Run = Callable[..., Corpus]


# -- canonical names -------------------------------------------------------------------------


def test_plain_apostrophe_and_hyphen_win_the_canonical_name() -> None:
    # the curly form comes first, the straight one later: the straight one names the entity
    idx = resolve_entities([m("d1", "Lia O’Dell"), m("d1", "O’Dell", start=40), m("d2", "Lia O'Dell")], {})
    assert [(e.name, sorted(a.name for a in e.aliases)) for e in idx.entities] == [
        ("Lia O'Dell", ["Lia O’Dell", "O’Dell"])
    ]
    variant = next(a for a in idx.entities[0].aliases if a.name == "Lia O’Dell")
    assert variant.rule == "variant"
    hyphen = resolve_entities([m("d1", "Ana Voss‐Krey"), m("d2", "Ana Voss-Krey")], {})
    assert [e.name for e in hyphen.entities] == ["Ana Voss-Krey"]


def test_plain_form_never_invents_a_spelling() -> None:
    assert plain_form("Lia O’Dell", ["Lia O’Dell"]) == "Lia O’Dell"
    assert plain_form("Lia O’Dell", ["Lia O’Dell", "Lia O'Dell"]) == "Lia O'Dell"
    assert plain_form("Lia O'Dell", ["Lia O’Dell"]) == "Lia O'Dell"
    idx = resolve_entities([m("d1", "Lia O’Dell")], {})
    assert [e.name for e in idx.entities] == ["Lia O’Dell"]


# -- past ties ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prefix", "past"),
    [
        ("a former ", True),
        (", a consultancy formerly run by ", True),
        ("an ex-", True),
        ("who served in ", True),
        ("a retired ", True),
        ("said former Prime Minister ", True),
        ("a former KESCOM officer who now teaches at ", False),
        ("a former diplomat, now an adviser at ", False),
        (", founder of ", False),
        ("a spokesperson for the ", False),
        ("last year. Prime Minister ", False),
    ],
)
def test_former_tie(prefix: str, past: bool) -> None:
    assert former_tie(prefix) is past


def test_former_member_is_not_affiliated_but_keeps_the_role(run: Run) -> None:
    text = (
        "KESCOM patrols the Ostrian coast.\n\n"
        "“The patrols stopped in May,” said Tomas Reva, a former KESCOM intelligence officer who now "
        "teaches at Brask University.\n\n"
        "Clara Holm, a former spokesperson for the Tarvo Port Authority, said the ships never came.\n\n"
        "Ida Moss, a spokesperson for the Tarvo Port Authority, said the harbour was closed."
    )
    corpus = run(make_doc(text))
    src = {(s.kind, s.label): s for s in corpus.sources}
    ent = {e.name: e for e in corpus.entities}
    reva = src[("person", "Tomas Reva")]
    assert reva.role == "former KESCOM intelligence officer"
    assert ent["KESCOM"].id not in reva.affiliation_entity_ids
    assert all(corpus.source(x).label != "KESCOM" for x in reva.affiliated_source_ids)
    # the present tie in the relative clause still counts
    assert reva.affiliation_entity_ids == [ent["Brask University"].id]
    lusk = src[("person", "Clara Holm")]
    assert lusk.affiliation_entity_ids == [] and lusk.affiliated_source_ids == []
    moss = src[("person", "Ida Moss")]  # the control: a current spokesperson is affiliated
    assert moss.affiliation_entity_ids == [ent["Tarvo Port Authority"].id]


def test_former_state_title_gives_no_state(run: Run) -> None:
    text = (
        "The border between Ostria and its neighbour has been quiet since March.\n\n"
        "Former Ostrian Prime Minister Ivo Tarr said the closure was a mistake.\n\n"
        "Ostrian Prime Minister Pavel Dorn said the closure was necessary."
    )
    corpus = run(make_doc(text))
    src = {(s.kind, s.label): s for s in corpus.sources}
    ostria = next(e.id for e in corpus.entities if e.name == "Ostria")
    assert ostria not in src[("person", "Ivo Tarr")].affiliation_entity_ids
    assert src[("person", "Pavel Dorn")].affiliation_entity_ids == [ostria]


# -- statement entities from known names -------------------------------------------------------


def _entity(eid: str, name: str, type_: str, doc: str, aliases: Sequence[tuple[str, str]] = ()) -> Entity:
    return Entity(
        id=eid,
        name=name,
        type=type_,  # type: ignore[arg-type]
        aliases=[Alias(name=a, document_id=doc, rule=r) for a, r in aliases],
        mentions=1,
        mention_spans=[Mention(document_id=doc, start=0, end=len(name), text=name, part="text")],
        document_ids=[doc],
    )


MATCHER_ENTITIES = [
    _entity("ostria", "Ostria", "location", "d1"),
    _entity("ostaria", "Ostaria", "location", "d1"),
    _entity("ann", "Ann Poe", "person", "d1", [("Poe", "surname")]),
    _entity("victor", "Victor Poe", "person", "d2", [("Poe", "surname")]),
    _entity("may", "Lena May", "person", "d1", [("May", "surname")]),
    _entity("pdu", "Popular Defence Units", "group", "d1", [("PDU", "acronym-defined")]),
    _entity("nasr", "al-Nasr Front", "group", "d1", [("al-Nasr", "short-form")]),
    _entity("min", "Ostrian Interior Ministry", "organization", "d1", [("Interior Ministry", "short-form")]),
]


def test_matcher_finds_known_names_on_word_boundaries() -> None:
    am = AliasMatcher(MATCHER_ENTITIES)
    text = "Ostria trains PDU men; Ostrianet and the pdu are not names, nor is Ostariaville."
    assert am.entities_in("d9", text, 0, len(text)) == ["ostria", "pdu"]
    # token-wise normalisation: possessives and hyphen variants
    text = "Ostria’s army fought the al-Nasr Front and Ostria-trained squads."
    assert am.entities_in("d1", text, 0, len(text)) == ["nasr", "ostria"]
    # only whole names inside the span count
    assert am.entities_in("d1", text, 3, text.index(" and")) == ["nasr"]


def test_matcher_demonyms_map_to_their_one_country() -> None:
    am = AliasMatcher(MATCHER_ENTITIES)
    text = "Ostrian forces and Ostarian police crossed the river."
    assert am.entities_in("d9", text, 0, len(text)) == ["ostaria", "ostria"]
    # a demonym inside a longer known name is that name, not the country too
    text = "The Ostrian Interior Ministry said so."
    assert am.entities_in("d9", text, 0, len(text)) == ["min"]


def test_matcher_keeps_short_forms_and_surnames_in_their_document() -> None:
    am = AliasMatcher(MATCHER_ENTITIES)
    text = "Poe said the Interior Ministry and al-Nasr agreed."
    assert am.entities_in("d1", text, 0, len(text)) == ["ann", "min", "nasr"]
    assert am.entities_in("d2", text, 0, len(text)) == ["victor"]
    assert am.entities_in("d3", text, 0, len(text)) == []  # no document of their own: never guessed


def test_matcher_never_matches_a_lower_case_word() -> None:
    am = AliasMatcher(MATCHER_ENTITIES)
    text = "The ships may return. May said they would."
    hits = am.matches("d1", text)
    assert [text[s:e] for s, e, _ in hits] == ["May"]


def test_statement_entities_include_names_ner_did_not_tag(run: Run) -> None:
    text = (
        "Ostria and its neighbour Kelmar signed a truce in March.\n\n"
        "“Ostria trains these men and sends them back across the border,” Karl Venn told the paper.\n\n"
        "Venn said Ostrian forces had crossed the river twice."
    )
    corpus = run(make_doc(text))
    ostria = next(e.id for e in corpus.entities if e.name == "Ostria")
    assert ostria in statement(corpus, "Ostria trains these men").entity_ids
    assert ostria in statement(corpus, "Ostrian forces had crossed").entity_ids


# -- outlets, datelines, named documents ---------------------------------------------------------


def test_outlet_short_form_joins_the_outlet_and_unnamed_outlets_make_no_entity() -> None:
    idx = resolve_entities(
        [m("d1", "Gazette", "organization"), m("d1", "Brask", "location", start=30)],
        {},
        outlets={"d1": ["The Brask Gazette"], "d2": ["Kelmar Courier"]},
    )
    by_name = {e.name: e for e in idx.entities}
    assert set(by_name) == {"The Brask Gazette", "Brask"}
    gazette = by_name["The Brask Gazette"]
    assert gazette.type == "organization" and gazette.mentions == 1
    assert {(a.name, a.rule) for a in gazette.aliases} == {("Gazette", "short-form")}
    assert idx.global_by_name["brask gazette"] == gazette.id
    assert "kelmar courier" not in idx.global_by_name


def test_dateline_agency_and_place(run: Run) -> None:
    text = (
        "KELMAR CITY, Nov 2 (Northline) — Ostria closed its ports on Sunday, officials said.\n\n"
        "Ships waited outside Kelmar City for two days."
    )
    doc = make_doc(text, outlet="Northline")
    corpus = run(doc)
    ent = {e.name: e for e in corpus.entities}
    assert ent["Northline"].type == "organization" and ent["Northline"].mentions == 1
    assert ent["Kelmar City"].type == "location"
    assert "KELMAR CITY" in {a.name for a in ent["Kelmar City"].aliases}
    outlet = next(s for s in corpus.sources if s.kind == "outlet")
    assert outlet.entity_id == ent["Northline"].id
    # an outlet never named in the text has no entity
    other = run(make_doc("Ostria closed its ports on Sunday, officials said.", outlet="Northline"))
    assert [s.entity_id for s in other.sources if s.kind == "outlet"] == [None]


def test_named_documents_and_agreements_are_entities(run: Run) -> None:
    text = (
        "The 2024 Coastal Security Review, published by the Tarvo Port Authority, stated that the "
        "ports were safe.\n\n"
        "Ostria would be in breach of the 2023 Lisca Accord, which bars its signatories from arming "
        "detainees.\n\n"
        "The Report said nothing new. The Annual Report was late."
    )
    corpus = run(make_doc(text))
    others = {e.name: e for e in corpus.entities if e.type == "other"}
    assert set(others) == {"2024 Coastal Security Review", "2023 Lisca Accord"}
    doc_src = next(s for s in corpus.sources if s.kind == "document")
    assert doc_src.label == "2024 Coastal Security Review"
    assert doc_src.entity_id == others["2024 Coastal Security Review"].id
    assert others["2023 Lisca Accord"].id in statement(corpus, "2023 Lisca Accord").entity_ids


def test_an_agency_in_brackets_defines_nothing(nlp: object) -> None:
    # a dateline's agency after a place is not "Place (ACRONYM)", at the start or inside a text
    text = (
        "TARVO CITY, Kelmar (NL) — Ostria closed its ports.\n\n"
        "Ships wait outside. BRASK (NL) — The port of Brask is closed too."
    )
    doc = nlp(text)  # type: ignore[operator]
    assert all(not m["defined"] for m in doc._.cg_mentions)
    agency = [m for m in doc._.cg_mentions if m["text"] == "NL"]
    assert agency and all(m["type"] == "organization" for m in agency)


def test_a_place_is_not_the_short_form_of_an_institution_named_after_it() -> None:
    idx = resolve_entities(
        [m("d1", "Lisca", "location"), m("d1", "Lisca Police", "organization", start=20)],
        {},
    )
    assert sorted(e.name for e in idx.entities) == ["Lisca", "Lisca Police"]
    # the end of a longer name still joins it
    idx = resolve_entities(
        [
            m("d1", "Interior Ministry", "organization"),
            m("d1", "Ostrian Interior Ministry", "organization", start=40),
        ],
        {},
    )
    assert [e.name for e in idx.entities] == ["Ostrian Interior Ministry"]
