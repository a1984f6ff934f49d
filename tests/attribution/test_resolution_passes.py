"""Each pass of :func:`claimgraph.attribution.resolution.resolve_entities` on its own (no spaCy)."""

from __future__ import annotations

from claimgraph.attribution import resolution as r
from claimgraph.attribution.resolution import ResolutionState, normalize

from .test_resolution import m


def state(*mentions: r.MentionRecord, authors: dict[str, list[str]] | None = None) -> ResolutionState:
    return ResolutionState(list(mentions), authors or {})


def run_until(st: ResolutionState, last: object) -> ResolutionState:
    for step in r.PASSES:
        step(st)
        if step is last:
            break
    return st


def joined(st: ResolutionState, a: int, b: int) -> bool:
    return st.uf.find(st.node_of[a]) == st.uf.find(st.node_of[b])


def test_passes_are_named_and_ordered() -> None:
    assert [p.__name__ for p in r.PASSES] == [
        "pass_fix_types",
        "pass_one_word_types",
        "pass_nodes",
        "pass_middle_initials",
        "pass_legal_forms",
        "pass_surnames",
        "pass_short_forms",
        "pass_outlets",
        "pass_known_aliases",
        "pass_initials",
        "pass_transliterations",
    ]


def test_fix_types_capital_city_is_never_a_person_and_bylines_are_people() -> None:
    st = state(
        m("d1", "Kuala Lumpur"), m("d1", "Lena Sorvik", "organization"), authors={"d1": ["Lena Sorvik"]}
    )
    r.pass_fix_types(st)
    assert [(x.type, x.label) for x in st.mentions] == [("location", "GPE"), ("person", "PERSON")]


def test_one_word_types_pins_surnames_and_types_capitals_and_countries() -> None:
    st = state(
        m("d1", "Tomas Brandt", start=0),
        m("d1", "Brandt", "organization", start=40),
        m("d2", "Lilongwe", start=0),
        m("d3", "Georgia", start=0),
        m("d3", "Oslo", start=20),
    )
    r.pass_one_word_types(st)
    assert [x.type for x in st.mentions] == ["person", "person", "location", "location", "location"]


def test_one_word_person_name_that_is_also_a_surname_stays_a_person() -> None:
    st = state(m("d1", "Sofia Jordan", start=0), m("d1", "Jordan", start=30))
    r.pass_one_word_types(st)
    assert [x.type for x in st.mentions] == ["person", "person"]


def test_nodes_join_names_defined_in_brackets() -> None:
    st = state(
        m("d1", "Jaysh al-Watan", "group", defined=[["National Defence Forces", "alternative-defined"]])
    )
    r.pass_fix_types(st)
    r.pass_nodes(st)
    assert st.node_of == [("o", "jaysh al watan")]
    assert st.uf.find(("o", "national defence forces")) == st.uf.find(st.node_of[0])


def test_surnames_with_particles_join_the_full_name() -> None:
    st = state(
        m("d1", "Ahmad al-Hakim", start=0),
        m("d1", "Hakim", start=40),
        m("d1", "al-Hakim", start=80),
        m("d2", "Anna van Dijk", start=0),
        m("d2", "van Dijk", start=30),
    )
    run_until(st, r.pass_surnames)
    assert joined(st, 0, 1) and joined(st, 0, 2) and joined(st, 3, 4)
    assert not joined(st, 0, 3)


def test_surname_ambiguous_in_its_document_stays_apart() -> None:
    st = state(
        m("d1", "Omar al-Hakim", start=0), m("d1", "Ahmad al-Hakim", start=30), m("d1", "Hakim", start=60)
    )
    run_until(st, r.pass_surnames)
    assert not joined(st, 2, 0) and not joined(st, 2, 1)


def test_short_forms_never_give_a_building_its_city() -> None:
    st = state(
        m("d1", "Hilton Addis Ababa", "location", start=0),
        m("d1", "Addis Ababa", "location", start=40),
        m("d1", "Interior Ministry", "organization", start=70),
        m("d1", "Kenyan Interior Ministry", "organization", start=100),
    )
    run_until(st, r.pass_short_forms)
    assert not joined(st, 0, 1)
    assert joined(st, 2, 3)


def test_outlets_join_their_short_form() -> None:
    st = ResolutionState([m("d1", "Gazette", "organization")], {}, (), {"d1": ["The Lakeside Gazette"]})
    run_until(st, r.pass_outlets)
    assert st.uf.find(st.node_of[0]) == st.uf.find(("o", normalize("The Lakeside Gazette")))


def test_known_aliases_join_a_groups_other_names_but_never_people_or_other_types() -> None:
    st = state(
        m("d1", "al-Shabaab", "group", start=0),
        m("d2", "Harakat al-Shabaab al-Mujahideen", "organization", start=0),
        m("d3", "Russian Federation", "location", start=0),
        m("d3", "Russia", "location", start=40),
        m("d4", "Hezbollah", "person", start=0),
        m("d4", "Hizbullah", "group", start=30),
    )
    run_until(st, r.pass_known_aliases)
    assert joined(st, 0, 1) and joined(st, 2, 3)
    assert not joined(st, 4, 5)
    assert st.rule_of[("Harakat al-Shabaab al-Mujahideen", "d2", "")] == "known-alias"
    idx = r.build_index(st)
    shabaab = [e for e in idx.entities if "al-Shabaab" in {e.name, *(a.name for a in e.aliases)}]
    assert len(shabaab) == 1 and shabaab[0].type == "group"


def test_initials_join_one_organisation_only() -> None:
    st = state(
        m("d1", "Northern Relief Agency", "organization", start=0),
        m("d1", "NRA", "organization", start=40),
        m("d2", "Coastal Guard Unit", "organization", start=0),
        m("d3", "Civic Growth Union", "organization", start=0),
        m("d4", "CGU", "organization", start=0),
    )
    run_until(st, r.pass_initials)
    assert joined(st, 0, 1)
    assert not joined(st, 4, 2) and not joined(st, 4, 3)  # two organisations spell it: none chosen


def test_transliterations_join_unless_side_by_side() -> None:
    assert r.same_person_spelling("mohammad rahimi", "muhammad rahimi")
    assert not r.same_person_spelling("omar rahimi", "amir rahimi")
    st = state(m("d1", "Mohammad Rahimi"), m("d2", "Muhammad Rahimi"))
    run_until(st, r.pass_transliterations)
    assert joined(st, 0, 1)
    st = state(m("d1", "Mohammad Rahimi", start=0), m("d1", "Muhammad Rahimi", start=40))
    run_until(st, r.pass_transliterations)
    assert not joined(st, 0, 1)


def test_mention_record_from_plain_data() -> None:
    rec = r.MentionRecord.from_dict(
        "d1", "title", {"start": 0, "end": 3, "text": "NDF", "name": "NDF", "type": "group", "label": "ORG"}
    )
    assert (rec.part, rec.type, rec.rule, rec.defined) == ("title", "group", "mention", [])
    rec.retype("location")
    assert (rec.type, rec.label) == ("location", "GPE")


def test_transliteration_pass_skips_a_person_whose_name_normalises_to_nothing() -> None:
    from claimgraph.attribution.resolution import ResolutionState, pass_transliterations

    st = ResolutionState(mentions=[], authors={})
    for node in [("p", ""), ("p", "alexei navalny"), ("p", "aleksei navalny")]:
        st.uf.add(node)
    pass_transliterations(st)  # raised IndexError on the empty name (seen on a PolNeAR train article)
    assert st.uf.find(("p", "")) == ("p", "")


def test_a_middle_initial_joins_the_plain_name_unless_two_initials_compete() -> None:
    st = run_until(
        state(
            m("d1", "Ilsa K. Marnova"),
            m("d2", "Ilsa Marnova"),
            m("d3", "Marnova"),  # one person across the corpus, so the surname joins her
            m("d4", "Tomas B. Halden"),
            m("d5", "Tomas R. Halden"),
            m("d6", "Tomas Halden"),
        ),
        r.pass_surnames,
    )
    assert joined(st, 0, 1) and joined(st, 2, 1)
    assert not joined(st, 3, 5) and not joined(st, 4, 5) and not joined(st, 3, 4)


def test_a_companys_legal_forms_join_its_name_without_them_and_vote_it_a_company() -> None:
    st = run_until(
        state(
            m("d1", "Velm Peabody", "person"),  # the partners' names, which the model took for a person's
            m("d2", "Velm Peabody and Co", "organization"),
            m("d3", "Velm Peabody and Co Inc", "organization"),
            m("d4", "Tessin Stearns Cos Inc", "organization"),  # no other form: nothing to join
            m("d5", "Veloria", "location"),
            m("d6", "Veloria Inc", "organization"),  # a place's name is no company's
        ),
        r.pass_legal_forms,
    )
    assert st.mentions[0].type == "organization"
    assert joined(st, 0, 1) and joined(st, 1, 2)
    assert not joined(st, 4, 5)
    assert st.rule_of[("", "", "velm peabody and co inc")] == "legal-form"


def test_without_legal_forms() -> None:
    assert r.without_legal_forms("velm peabody and co inc") == "velm peabody"
    assert r.without_legal_forms("velm stearns cos inc") == "velm stearns"
    assert r.without_legal_forms("harbury pty ltd") == "harbury"
    assert r.without_legal_forms("petroleos de orsk, sa") == "petroleos de orsk"
    assert r.without_legal_forms("co inc") == "co inc"  # nothing but legal forms
    assert r.without_legal_forms("marks and spencer") == "marks and spencer"


def test_without_initials() -> None:
    assert r.without_initials("ilsa k marnova") == "ilsa marnova"
    assert r.without_initials("ilsa marnova") == "ilsa marnova"
    assert r.without_initials("juan de la vega") == "juan de la vega"  # particles are no initials
