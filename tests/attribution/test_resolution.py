"""Entity resolution rules, including the never-merge cases (resolution only, no spaCy)."""

from __future__ import annotations

from claimgraph.attribution.resolution import MentionRecord, normalize, resolve_entities, skeleton


def m(doc: str, name: str, type_: str = "person", label: str | None = None, **kw: object) -> MentionRecord:
    labels = {"person": "PERSON", "organization": "ORG", "group": "ORG", "location": "GPE"}
    start = int(kw.pop("start", 0))  # type: ignore[call-overload]
    return MentionRecord(
        doc_id=doc,
        part="text",
        start=start,
        end=start + len(name),
        text=str(kw.pop("text", name)),
        name=name,
        type=type_,
        label=label or labels[type_],
        **kw,  # type: ignore[arg-type]
    )


def names(index: object) -> dict[str, set[str]]:
    out = {}
    for e in index.entities:  # type: ignore[attr-defined]
        out[e.name] = {a.name for a in e.aliases}
    return out


def test_normalize_variants() -> None:
    assert normalize("al-Nasr") == normalize("Al Nasr")
    assert normalize("O’Brien") == normalize("O'Brien")
    assert normalize("The Commission") == normalize("commission")
    assert skeleton("Mohammad") == skeleton("Muhammad")


def test_surname_joins_full_name_in_same_document() -> None:
    idx = resolve_entities([m("d1", "Jane Roe", start=0), m("d1", "Roe", start=50)], {})
    assert names(idx) == {"Jane Roe": {"Roe"}}
    ent = idx.entities[0]
    assert ent.mentions == 2
    assert [(a.name, a.document_id, a.rule) for a in ent.aliases] == [("Roe", "d1", "surname")]


def test_two_people_sharing_a_surname_in_different_documents_stay_apart() -> None:
    idx = resolve_entities(
        [
            m("d1", "Ann Poe", start=0),
            m("d1", "Poe", start=40),
            m("d2", "Victor Poe", start=0),
            m("d2", "Poe", start=30),
        ],
        {},
    )
    got = names(idx)
    assert got == {"Ann Poe": {"Poe"}, "Victor Poe": {"Poe"}}
    ids = {idx.by_span[("d1", "text", 40, 43)], idx.by_span[("d2", "text", 30, 33)]}
    assert len(ids) == 2


def test_bare_surname_elsewhere_is_ambiguous_when_two_full_names_exist() -> None:
    idx = resolve_entities([m("d1", "Ann Poe"), m("d2", "Victor Poe"), m("d3", "Poe")], {})
    assert len(idx.entities) == 3
    # ... but joins the only full name when there is one
    idx = resolve_entities([m("d1", "Ann Poe"), m("d3", "Poe")], {})
    assert names(idx) == {"Ann Poe": {"Poe"}}


def test_titles_recorded_as_alias() -> None:
    idx = resolve_entities(
        [m("d1", "Ann Poe", title="NAVCOM Army Maj.", titled="NAVCOM Army Maj. Ann Poe"), m("d2", "Ann Poe")],
        {},
    )
    assert names(idx) == {"Ann Poe": {"NAVCOM Army Maj. Ann Poe"}}
    assert idx.entities[0].aliases[0].rule == "title"


def test_defined_acronyms_and_alternative_names() -> None:
    idx = resolve_entities(
        [
            m(
                "d1",
                "al-Difa Brigades",
                "group",
                defined=[["Popular Defence Units", "alternative-defined"], ["PDU", "acronym-defined"]],
            ),
            m("d1", "Popular Defence Units", "group", start=30),
            m("d2", "PDU", "organization"),
            m("d2", "Coastal Guard Units", "group", defined=[["CGU", "acronym-defined"]]),
            m("d2", "CGU", "organization", start=60),
        ],
        {},
    )
    got = names(idx)
    assert got["al-Difa Brigades"] == {"Popular Defence Units", "PDU"}
    assert got["Coastal Guard Units"] == {"CGU"}
    rules = {a.name: a.rule for e in idx.entities for a in e.aliases}
    assert rules["PDU"] == "acronym-defined"


def test_acronym_joins_organisation_by_initials_only_when_unique() -> None:
    idx = resolve_entities(
        [m("d1", "Acme Consulting Media Enterprises", "organization"), m("d2", "ACME", "organization")], {}
    )
    assert names(idx) == {"Acme Consulting Media Enterprises": {"ACME"}}
    assert idx.entities[0].aliases[0].rule == "acronym-initials"
    # another document's name needs three letters or more, a name in capitals and no legal form at its end:
    # "VH" is not the ship "Velm Horizon" of another story, nor "KFC" "Kestrel Foods Corp", nor "GMF" a "grey
    # market fund"; in the document that names both, the letters are enough
    pairs = (("Velm Horizon", "VH"), ("Kestrel Foods Corp", "KFC"), ("grey market fund", "GMF"))
    for long, short in pairs:
        idx = resolve_entities([m("d1", long, "organization"), m("d2", short, "organization")], {})
        assert len(idx.entities) == 2, long
        idx = resolve_entities([m("d1", long, "organization"), m("d1", short, "organization", start=40)], {})
        assert len(idx.entities) == 1, long
    idx = resolve_entities(
        [
            m("d1", "Acme Consulting Media Enterprises", "organization"),
            m("d1", "Atlas Coastal Marine Engineers", "organization"),
            m("d2", "ACME", "organization"),
        ],
        {},
    )
    assert len(idx.entities) == 3


def test_case_hyphen_apostrophe_variants_join() -> None:
    idx = resolve_entities(
        [
            m("d1", "al-Nasr Front", "group"),
            m("d2", "Al Nasr Front", "group"),
            m("d3", "Sean O’Brien"),
            m("d4", "Sean O'Brien"),
        ],
        {},
    )
    assert len(idx.entities) == 2
    assert {a.rule for e in idx.entities for a in e.aliases} == {"variant"}


def test_transliteration_variants_join_under_fuzzy_rule() -> None:
    idx = resolve_entities([m("d1", "Mohammad al-Rashed"), m("d2", "Muhammad al-Rashed")], {})
    assert len(idx.entities) == 1
    assert idx.entities[0].aliases[0].rule == "fuzzy"


def test_never_merge_names_one_letter_apart() -> None:
    idx = resolve_entities(
        [
            m("d1", "Iran", "location"),
            m("d2", "Iraq", "location"),
            m("d1", "Veloria", "location", start=10),
            m("d2", "Velaria", "location", start=10),
            m("d3", "Velorian Foreign Ministry", "organization"),
            m("d3", "Velarian Foreign Ministry", "organization", start=40),
            m("d4", "Karim Haddad"),
            m("d4", "Kareem Hadad", start=40),  # same document: two people
        ],
        {},
    )
    assert len(idx.entities) == 8


def test_never_merge_two_defence_units() -> None:
    idx = resolve_entities(
        [
            m("d1", "Popular Defence Units", "group", defined=[["PDU", "acronym-defined"]]),
            m("d1", "PDU", "organization", start=25),
            m("d2", "Southern Defence Units", "group", defined=[["SDU", "acronym-defined"]]),
            m("d2", "SDU", "organization", start=25),
            m("d3", "Defence Units", "group"),
            m("d3", "Popular Defence Units", "group", start=40),
            m("d3", "Southern Defence Units", "group", start=80),
        ],
        {},
    )
    got = names(idx)
    assert got["Popular Defence Units"] == {"PDU"}
    assert got["Southern Defence Units"] == {"SDU"}
    assert "Defence Units" in got  # ambiguous short form stays alone


def test_short_forms_join_the_only_longer_name() -> None:
    idx = resolve_entities(
        [
            m("d1", "Velorian Interior Ministry", "organization"),
            m("d1", "Interior Ministry", "organization", start=40),
            m("d2", "al-Nasr Front", "group"),
            m("d2", "al-Nasr", "person", start=30),
        ],
        {},
    )
    got = names(idx)
    assert got["Velorian Interior Ministry"] == {"Interior Ministry"}
    assert got["al-Nasr Front"] == {"al-Nasr"}


def test_an_institutions_generic_name_joins_a_longer_name_only_in_its_document() -> None:
    """Every country has a Finance Ministry: "the Finance Ministry" of a story about Orsk is not the Velorian
    Finance Ministry that another story names in full (wire corpora credited every ministry's words to the one
    country whose ministry a text once named in full). A distinctive short form still joins across documents."""
    idx = resolve_entities(
        [
            m("d1", "Velorian Finance Ministry", "organization"),
            m("d1", "Finance Ministry", "organization", start=40),
            m("d2", "Finance Ministry", "organization"),
            m("d3", "Finance Ministry", "organization"),
            m("d4", "al-Nasr Front", "group"),
            m("d5", "al-Nasr", "group"),
            m("d6", "Veloria", "location"),  # a story that names Veloria: its Finance Ministry is Veloria's
            m("d6", "Finance Ministry", "organization", start=30),
        ],
        {},
    )
    by_name = {e.name: e for e in idx.entities}
    assert by_name["Velorian Finance Ministry"].document_ids == ["d1", "d6"]
    # and each other story's Finance Ministry is its own (one entity per document)
    others = [e.document_ids for e in idx.entities if e.name == "Finance Ministry"]
    assert sorted(others) == [["d2"], ["d3"]]
    assert by_name["al-Nasr Front"].document_ids == ["d4", "d5"]


def test_ner_person_location_confusion_is_voted_away() -> None:
    idx = resolve_entities(
        [m("d1", "Veloria", "location"), m("d2", "Veloria", "location"), m("d3", "Veloria", "person")], {}
    )
    assert [(e.name, e.type, e.mentions) for e in idx.entities] == [("Veloria", "location", 3)]


def test_authors_become_people_of_the_same_entity() -> None:
    idx = resolve_entities(
        [m("d2", "Marek Holt", "organization"), m("d2", "Holt", "location", start=40)], {"d1": ["Marek Holt"]}
    )
    assert len(idx.entities) == 1
    ent = idx.entities[0]
    assert ent.type == "person"
    assert ent.document_ids == ["d1", "d2"]
    assert idx.lookup("d1", "Marek Holt") == ent.id


def test_a_capitalised_form_names_the_entity_over_a_lower_case_one() -> None:
    """A region one text writes in lower case (and even defines an acronym for) is named as the other texts
    capitalise it; a person's name likewise."""
    idx = resolve_entities(
        [
            m("d1", "western sahel", "location", defined=[["WS", "acronym-defined"]]),
            m("d2", "Western Sahel", "location"),
            m("d3", "Western Sahel", "location"),
            m("d4", "marta quispe"),
            m("d5", "Marta Quispe"),
        ],
        {},
    )
    assert {"Western Sahel", "Marta Quispe"} <= set(names(idx))
    assert not {"western sahel", "marta quispe"} & set(names(idx))


def test_a_generic_name_is_one_body_per_document() -> None:
    # "the Bank" of one story is not another's; "Central Bank" defined by a specific name in one document is
    # that bank there only, and another story's central bank joins the one its own document names
    idx = resolve_entities(
        [
            m("d1", "Bank", "organization", start=0),
            m("d1", "Bank", "organization", start=40),
            m("d2", "Bank", "organization", start=0),
            m(
                "d3",
                "Bank of Orsk",
                "organization",
                start=0,
                defined=[["Central Bank", "alternative-defined"]],
            ),
            m("d3", "Central Bank", "organization", start=40),
            m("d4", "Central Bank", "organization", start=0),
            m("d5", "Velorian Central Bank", "organization", start=0),
            m("d5", "Central Bank", "organization", start=40),
            m("d6", "Central Bank", "organization", start=0),
        ],
        {},
    )
    of = idx.by_span
    assert of[("d1", "text", 0, 4)] == of[("d1", "text", 40, 44)]
    assert of[("d1", "text", 0, 4)] != of[("d2", "text", 0, 4)]
    assert of[("d3", "text", 0, 12)] == of[("d3", "text", 40, 52)]  # defined in its own document
    assert of[("d5", "text", 0, 21)] == of[("d5", "text", 40, 52)]  # the longer name of its own document
    banks = {
        of[("d3", "text", 0, 12)],
        of[("d4", "text", 0, 12)],
        of[("d5", "text", 0, 21)],
        of[("d6", "text", 0, 12)],
    }
    assert len(banks) == 4  # the other stories' central banks are none of these, nor one another


def test_a_place_in_brackets_defines_no_company_and_no_region() -> None:
    # "<Harlow Securities (Pacifica) Ltd>" and "<Velm Pacifica (Singapore) Ltd>" (a wire's company names, the
    # legal form before ">"), the model tagging Pacifica a place: no place becomes the company, nor another place
    idx = resolve_entities(
        [
            m("d1", "Harlow Securities", "organization", defined=[["Pacifica", "alternative-defined"]]),
            m("d2", "Pacifica", "location", defined=[["Singapore", "alternative-defined"]]),
            m("d3", "Pacifica", "location"),
            m("d4", "Singapore", "location"),
            m("d5", "Burma", "location", defined=[["Myanmar", "alternative-defined"]]),
            m("d6", "Myanmar", "location"),
        ],
        {},
    )
    of = idx.by_span
    assert of[("d1", "text", 0, 17)] != of[("d3", "text", 0, 8)]
    assert of[("d2", "text", 0, 8)] != of[("d4", "text", 0, 9)]
    assert of[("d5", "text", 0, 5)] == of[("d6", "text", 0, 7)]  # a country's other name still is one


def test_an_initialism_is_nobodys_surname() -> None:
    """An organisation "V.U." in a story that names "Han Sol Vu" is not Mr Vu, and neither is an all-capitals
    "VEK" in a story that names "Tomas Vek"; a surname written in capitals ("ODALLO" in a headline) still is
    one when the corpus writes it "Odallo" elsewhere."""
    idx = resolve_entities(
        [
            m("d1", "Han Sol Vu"),
            m("d1", "V.U.", "organization", start=40),
            m("d1", "V.U.", "person", start=60),
            m("d2", "Tomas Vek"),
            m("d2", "VEK", "organization", start=40),
            m("d3", "Ruth Odallo"),
            m("d3", "ODALLO", start=40),
            m("d4", "Odallo"),
        ],
        {},
    )
    got = names(idx)
    assert got["Han Sol Vu"] == set()
    assert got["Tomas Vek"] == set()
    assert got["Ruth Odallo"] == {"ODALLO", "Odallo"}
    types = {(e.name, e.type) for e in idx.entities}
    assert ("V.U.", "organization") in types and ("VEK", "organization") in types


def test_a_much_rarer_form_that_only_adds_a_modifier_does_not_name_the_entity() -> None:
    """A form "Weekend Harbour Herald" (once) beside "Harbour Herald" (four times): the entity is the Harbour Herald.
    A place before the shorter form says which one ("Orsk Lakeside Tramways" in a story that names Orsk), and
    words ending in a link word make another name ("Alden and Kessler Brothers"): those keep the longer form."""
    org = "organization"
    mentions = [m(f"d{i}", "Harbour Herald", org) for i in range(1, 5)]
    mentions += [m("d5", "Weekend Harbour Herald", org)]
    mentions += [m(f"d{i}", "Lakeside Tramways", org) for i in range(6, 9)]
    mentions += [m("d9", "Orsk", "location"), m("d9", "Orsk Lakeside Tramways", org, start=20)]
    mentions += [m(f"d{i}", "Kessler Brothers", org) for i in range(10, 13)]
    mentions += [m("d13", "Alden and Kessler Brothers", org)]
    idx = resolve_entities(mentions, {})
    by_name = {e.name: e for e in idx.entities}
    assert by_name["Harbour Herald"].mentions == 5
    assert {a.name for a in by_name["Harbour Herald"].aliases} == {"Weekend Harbour Herald"}
    assert by_name["Orsk Lakeside Tramways"].mentions == 4
    assert by_name["Alden and Kessler Brothers"].mentions == 4


def test_a_persons_name_qualifies_no_institution_but_the_one_they_lead() -> None:
    """The model glued a surname to a generic name ("Velmar Transport Ministry", once); a story about Ana Velmar
    and her Velmar Foundation names "Velmar", but its Transport Ministry is not hers. "The administration" of a
    story about her "Velmar administration" is that administration."""
    org = "organization"
    idx = resolve_entities(
        [
            m("d1", "Velmar Transport Ministry", org),
            m("d2", "Ana Velmar"),
            m("d2", "Velmar Foundation", org, start=20),
            m("d2", "Transport Ministry", org, start=40),
            m("d3", "Ana Velmar"),
            m("d3", "Velmar administration", org, start=20),
            m("d3", "administration", org, start=50),
        ],
        {},
    )
    by_name = {e.name: e for e in idx.entities}
    assert by_name["Velmar Transport Ministry"].document_ids == ["d1"]
    assert by_name["Transport Ministry"].document_ids == ["d2"]
    assert by_name["Velmar administration"].mentions == 2


def test_one_person_with_and_without_a_middle_initial_is_one_entity_named_by_the_common_form() -> None:
    idx = resolve_entities(
        [
            m("d1", "Ilsa K. Marnova"),
            m("d2", "Ilsa Marnova"),
            m("d3", "Ilsa Marnova"),
            m("d3", "Marnova"),
        ],
        {},
    )
    (ent,) = [e for e in idx.entities if "Marnova" in e.name]
    assert ent.name == "Ilsa Marnova"
    assert ("Ilsa K. Marnova", "middle-initial") in {(a.name, a.rule) for a in ent.aliases}


def test_a_companys_names_with_and_without_legal_forms_are_one_entity_named_without_them() -> None:
    idx = resolve_entities(
        [
            m("d1", "Velm Peabody", "organization"),
            m("d2", "Velm Peabody", "organization"),
            m("d3", "Velm Peabody and Co", "organization"),
            m("d4", "Velm Peabody and Co Inc", "organization"),
            m("d5", "Tessin Stearns Cos Inc", "organization"),
            m("d6", "Tessin Stearns", "organization"),
            m("d7", "Tessin Stearns", "organization"),
        ],
        {},
    )
    names = {e.name: e for e in idx.entities}
    assert set(names) == {"Velm Peabody", "Tessin Stearns"}, set(names)
    assert ("Velm Peabody and Co Inc", "legal-form") in {
        (a.name, a.rule) for a in names["Velm Peabody"].aliases
    }
    assert names["Velm Peabody"].mentions == 4


def test_legal_forms_join_no_place_nor_forms_alone_and_a_tie_is_named_without_them() -> None:
    idx = resolve_entities(
        [
            m("d1", "Veloria", "location"),
            m("d2", "Veloria Inc", "organization"),
            m("d5", "Co Inc", "organization"),
            m("d6", "Co Ltd", "organization"),
            m("d7", "Harbury Bank", "organization"),
            m("d8", "Harbury Bank Ltd", "organization"),
        ],
        {},
    )
    assert {e.name for e in idx.entities} == {"Veloria", "Veloria Inc", "Co Inc", "Co Ltd", "Harbury Bank"}


def _story(doc: str, *names: tuple[str, str]) -> list[MentionRecord]:
    return [m(doc, name, type_) for name, type_ in names]


def test_a_bare_surname_joins_the_person_most_stories_name_when_it_shares_their_context() -> None:
    council, halden = ("Harbour Council", "organization"), ("Tomas Halden", "person")
    budget, port = ("Budget Office", "organization"), ("Port Authority", "organization")
    dairy, farmers = ("Velm Dairy", "organization"), ("Farmers Union", "organization")
    mentions = [
        *_story("d1", ("Ilsa Marnova", "person"), council, halden, budget),
        *_story("d2", ("Ilsa Marnova", "person"), council, port),
        *_story("d3", ("Ilsa Marnova", "person"), halden, budget, port),
        *_story("d4", ("Piet Marnova", "person"), dairy, farmers),
        # a story naming "Marnova" alone, with her stories' names: her
        *_story("d5", ("Marnova", "person"), council, budget, halden),
        # a story naming "Marnova" alone, with the other Marnova's names: not her
        *_story("d6", ("Marnova", "person"), dairy, farmers, council),
        # no shared name at all: kept apart
        *_story("d7", ("Marnova", "person"), ("Opera House", "organization")),
    ]
    idx = resolve_entities(mentions, {})
    ilsa = next(e for e in idx.entities if e.name == "Ilsa Marnova")
    assert {"d1", "d2", "d3", "d5"} == {sp.document_id for sp in ilsa.mention_spans}
    assert ("Marnova", "surname") in {(a.name, a.rule) for a in ilsa.aliases}


def test_a_bare_first_name_or_a_surname_no_one_dominates_joins_no_one() -> None:
    council, budget = ("Harbour Council", "organization"), ("Budget Office", "organization")
    mentions = [
        # "Tomas" opens full names in more stories (5) than it closes one (4): a first name, though "Jarek Tomas"
        # would be the dominant bearer of it as a surname
        *[m for d in ("d1", "d2", "d11") for m in _story(d, ("Tomas Halden", "person"), council, budget)],
        *[m for d in ("d12", "d13") for m in _story(d, ("Tomas Brekke", "person"), council, budget)],
        *[m for d in ("d3", "d4", "d14") for m in _story(d, ("Jarek Tomas", "person"), council, budget)],
        *_story("d15", ("Ola Tomas", "person"), ("Velm Dairy", "organization")),
        *_story("d5", ("Tomas", "person"), council, budget),
        # two Velds named equally often: no bearer
        *_story("d6", ("Ann Veld", "person"), council, budget),
        *_story("d7", ("Ann Veld", "person"), council, budget),
        *_story("d8", ("Rik Veld", "person"), council, budget),
        *_story("d9", ("Rik Veld", "person"), council, budget),
        *_story("d10", ("Veld", "person"), council, budget),
    ]
    idx = resolve_entities(mentions, {})
    for bare in ("Tomas", "Veld"):
        (ent,) = [e for e in idx.entities if any(sp.text == bare for sp in e.mention_spans)]
        assert ent.name == bare, ent.name
