"""Entity shapes seen on real news (issue 9, "Why"), written with invented names of real-world shape:
each runs the whole attribution stage on a short text."""

from __future__ import annotations

from collections.abc import Callable

from claimgraph.model import Corpus, Entity

from .helpers import make_doc, source_of

Run = Callable[..., Corpus]


def holding(c: Corpus, form: str) -> list[Entity]:
    return [e for e in c.entities if form == e.name or form in {a.name for a in e.aliases}]


def test_typographic_and_plain_apostrophe_are_one_person(run: Run) -> None:
    c = run(
        "Siobhan O’Brien, the fisheries minister, said the quota would be cut by a third. "
        "O'Brien said the cut would start in March."
    )
    people = [e for e in c.entities if "Brien" in e.name]
    assert len(people) == 1 and people[0].type == "person", [(e.name, e.type) for e in c.entities]


def test_particle_surname_is_the_same_speaker(run: Run) -> None:
    c = run(
        "Ahmad al-Hakim, the tribal leader, said the road had been closed for a week. "
        "Hakim said the fighters had left the village."
    )
    (ent,) = holding(c, "Ahmad al-Hakim")
    assert "Hakim" in {a.name for a in ent.aliases}
    assert source_of(c, "fighters had left").entity_id == ent.id


def test_an_honorific_is_stripped_before_matching_a_particle_surname(run: Run) -> None:
    c = run(
        "Ahmad al-Hakim, the tribal leader, said the road had been closed for a week. "
        "Mr. al-Hakim said the fighters had left the village."
    )
    (ent,) = holding(c, "Ahmad al-Hakim")
    assert source_of(c, "fighters had left").entity_id == ent.id


def test_a_groups_well_known_other_names_come_from_the_alias_table(run: Run) -> None:
    c = run(
        "Fighters of Harakat al-Shabaab al-Mujahideen attacked the base before dawn. "
        "Al-Shabaab later said it had lost two men.",
        "A spokesman for al-Shabaab said the group would keep fighting.",
    )
    groups = holding(c, "Harakat al-Shabaab al-Mujahideen")
    assert len(groups) == 1 and groups[0].type == "group"
    assert {"Al-Shabaab", "al-Shabaab"} <= {groups[0].name, *(a.name for a in groups[0].aliases)}


def test_known_as_defines_another_name(run: Run) -> None:
    c = run(
        "The Northern Relief Agency, also known as the Relief Corps, said the convoy had been stopped. "
        "The Relief Corps said it would try again on Monday."
    )
    assert len(holding(c, "Relief Corps")) == 1
    assert holding(c, "Relief Corps") == holding(c, "Northern Relief Agency")


def test_a_headline_does_not_become_an_organisation(run: Run) -> None:
    c = run(
        make_doc(
            "The defence ministry denied the claims on Monday.",
            title="Defence Ministry Denies Camp Recruitment Claims After Leaked Memo",
        )
    )
    assert not [e.name for e in c.entities if "Denies" in e.name or "Claims" in e.name]


def test_a_capital_city_is_not_typed_as_a_person(run: Run) -> None:
    c = run(
        "Lilongwe said on Tuesday that the talks would resume. Officials in Lilongwe declined to comment."
    )
    (ent,) = holding(c, "Lilongwe")
    assert ent.type == "location"


def test_an_outlet_named_only_in_told_is_not_a_place(run: Run) -> None:
    c = run("The minister told The Guardian that the talks had collapsed.")
    outlets = [e for e in c.entities if "Guardian" in e.name]
    assert outlets and all(e.type == "organization" for e in outlets)


def test_a_building_does_not_get_its_city_as_alias(run: Run) -> None:
    c = run(
        "Protesters gathered outside the Hilton Addis Ababa on Monday. "
        "Addis Ababa police said three people were held."
    )
    city = holding(c, "Addis Ababa")
    assert len(city) == 1 and city[0].name == "Addis Ababa" and city[0].type == "location"
    hotel = [e for e in c.entities if "Hilton" in e.name]
    assert all("Addis Ababa" not in {a.name for a in e.aliases} for e in hotel)


def test_a_lower_case_word_of_a_results_table_is_not_an_organisation(run: Run, nlp: object) -> None:
    """Wire results tables write cents as ``cts``; the model tags that word as an organisation (checked
    here, so the test fails if it stops doing so and no longer tests anything). One word all in lower case
    is no name."""
    table = (
        "Shr loss two cts vs profit 11 cts\nNet loss 1,200,000 vs profit 5,400,000\nRevs 88.1 mln vs 91.3 mln"
    )
    assert ("cts", "ORG") in [(e.text, e.label_) for e in nlp(table).ents]  # type: ignore[operator]
    c = run(
        table + "\n\nKestrel Foods Inc said its quarterly dividend of 18 cts a share is payable April 30."
    )
    assert not [e for e in c.entities if e.name.lower() == "cts"], [(e.name, e.type) for e in c.entities]


def test_a_lower_case_indefinite_article_is_not_part_of_a_name(run: Run, nlp: object) -> None:
    """The model takes ``a`` into the organisation it tags (checked, so the test keeps testing); the name
    starts after it, and the acronym it defines is its other name."""
    text = "Senator Ruiz said a Democratic Union Party (DUP) victory was likely."
    ents = [(e.text, e.label_) for e in nlp(text).ents]  # type: ignore[operator]
    assert any(name.startswith("a ") for name, _label in ents), ents
    c = run(text)
    party = holding(c, "Democratic Union Party")
    assert party and not [e for e in c.entities if e.name.startswith("a ")], [
        (e.name, e.type) for e in c.entities
    ]


def test_the_label_of_a_row_of_figures_is_not_a_name(run: Run, nlp: object) -> None:
    """Wire results tables: the model tags the row labels ("Revs", "Avg") as people or organisations (checked,
    so the test keeps testing); a label that opens a row of figures is no name. Rows naming two parties, or
    a place, keep their names."""
    table = "Revs 88.1 mln vs 91.3 mln\nAvg shrs 33.8 mln vs 34.9 mln"
    labels = [e.text for e in nlp(table).ents if e.label_ in ("PERSON", "ORG")]  # type: ignore[operator]
    assert any(x.startswith(("Revs", "Avg")) for x in labels), labels
    c = run(table + "\n\nKestrel Foods Inc said its revenue fell in the quarter.")
    assert not [e for e in c.entities if e.name.startswith(("Revs", "Avg"))], [e.name for e in c.entities]
    c = run("Tolvan United 3 Arvan City 1\nGermany 3 1 0\n\nThe tournament resumes on Tuesday.")
    assert {"Tolvan United", "Germany"} <= {e.name for e in c.entities}, [e.name for e in c.entities]


def test_a_name_ends_before_a_plural_possessive_apostrophe_or_a_stray_quotation_mark(run: Run) -> None:
    """ "Senator Ilsa Marns' campaign", "Kim Jong-un ' s sister": the model takes the apostrophe or a split
    quotation mark into the name, which then named the person ("Ilsa Marns'") in every document."""
    c = run(
        make_doc("Senator Ilsa Marns' campaign said on Monday it raised $5 million.", title="Funds"),
        make_doc("Analysts said Dorin Valek ' s sister may now rule in Velm.", title="Sister"),
    )
    names = {e.name for e in c.entities if e.type == "person"}
    assert {"Ilsa Marns", "Dorin Valek"} <= names
    assert not [n for n in names if n.endswith(("'", " "))]


# Wire-copy shapes (a corpus of financial wire stories): a company's legal form on its own, a currency after an
# amount, a company named for its founder with the clitic in its name.


def test_a_legal_form_alone_is_no_entity(run: Run) -> None:
    c = run(
        "Stellan Brandt and Co said it bought a specialist book on the exchange yesterday.",
        "Shares of Tovik Varga and Co fell 3/8 to 19-1/2 in active trading.",
    )
    names = {e.name for e in c.entities}
    assert not names & {"Co", "CO", "Co."}, names
    assert any("Brandt" in n for n in names), names


def test_a_firm_named_for_its_partners_is_one_company_with_or_without_its_legal_forms(run: Run) -> None:
    c = run(
        "Stellan Brandt and Co said it bought a specialist book on the exchange yesterday.",
        "Shares of Orvel Lindqvist and Co. Ltd. rose after the bid, traders said.",
        "Stellan Brandt said on Tuesday that it would cut its staff by a tenth.",
        "Stellan Brandt and Co Inc, the brokerage, expects rates to fall, said Ilsa Marnova, its economist.",
    )
    firms = [e for e in c.entities if "Brandt" in e.name]
    # one entity: the partners' name is no person's, and the legal forms make no other company
    assert len(firms) == 1 and firms[0].type == "organization", [(e.name, e.type) for e in c.entities]
    assert firms[0].name == "Stellan Brandt", firms[0].name  # as often written: the form without legal forms
    assert ("Stellan Brandt and Co Inc", "legal-form") in {(a.name, a.rule) for a in firms[0].aliases}
    assert any(e.name == "Orvel Lindqvist and Co. Ltd." and e.type == "organization" for e in c.entities), [
        (e.name, e.type) for e in c.entities
    ]


def test_a_currency_after_an_amount_is_no_person(run: Run) -> None:
    c = run(
        "The Reserve Bank has raised its daily cash target to 45 mln Kestrian Dlrs from its normal 30 mln dlrs. "
        "The surplus widened to a record 16.62 billion U.S. Dlrs in 1986, the bank said."
    )
    people = [e.name for e in c.entities if e.type == "person"]
    assert not [n for n in people if "Dlrs" in n], people


def test_a_year_before_a_name_is_no_amount(run: Run) -> None:
    c = run("In 2016 Ilsa Marnova said the port would reopen within a year.")
    assert any(e.name == "Ilsa Marnova" and e.type == "person" for e in c.entities), [
        (e.name, e.type) for e in c.entities
    ]


def test_a_company_named_for_its_founder_keeps_its_clitic(run: Run) -> None:
    c = run(
        "Tolliver's said it may cut the rating of the notes.",
        "Analysts said Velmar Sachs's profit rose in the quarter.",
    )
    names = {e.name for e in c.entities}
    assert "Tolliver's" in names, names
    assert "Velmar Sachs" in names and "Velmar Sachs's" not in names, names


def test_wire_markup_of_a_company_is_no_part_of_its_name(run: Run) -> None:
    c = run(
        "The new members are Tessin Overseas Bank Ltd <TOBM.S>, <Harbury Bank Ltd>, and Velm Bank Nederland NV "
        "<VBNN.AS>, the exchange said."
    )
    names = {e.name for e in c.entities}
    assert not [n for n in names if "<" in n or ">" in n], names
    assert "Harbury Bank Ltd" in names, names


def test_a_quoted_title_opens_no_name_with_its_quotation_mark(run: Run) -> None:
    c = run("Halvorsen, 74, was still the “Nightly Headlines” anchor when Marnova came back from the trip.")
    names = {e.name for e in c.entities}
    assert not [n for n in names if n[:1] in '“"‘'], names
    assert "Nightly Headlines" in names, names


def test_one_letter_is_no_name(run: Run) -> None:
    c = run("The ratings of the notes will be reviewed, S and P said, and D and P agreed.")
    names = {e.name for e in c.entities}
    assert not [n for n in names if len(n.rstrip(".")) == 1], names


def test_a_legal_form_after_a_comma_closes_its_company_and_a_state_in_brackets_stays(run: Run) -> None:
    c = run(
        "Velm Petroleos de Orsk, S.A. signed a letter of intent with the group.",
        "Sens. Ilsa Marnova (Ky.) and Tomas Halden (Fla.) debated the bill.",
        "Ilsa Marnova said she would campaign in Louisville, Ky., where she was born.",
    )
    names = {e.name for e in c.entities} | {a.name for e in c.entities for a in e.aliases}
    assert not names & {"S.A.", "S.A", "SA"}, names
    assert "Ky." in names, names
    # the state after a city and a comma too, not only in brackets
    assert len([sp for e in c.entities for sp in e.mention_spans if sp.text == "Ky."]) == 2


def test_a_platform_the_model_takes_for_a_person_is_one_organisation(run: Run) -> None:
    c = run(
        "Ilsa Marnova said on Twitter that the vote would be held in May.",
        "Tomas Halden wrote on Twitter that the port would close, and Twitter later removed the post.",
    )
    platforms = [e for e in c.entities if e.name == "Twitter"]
    assert len(platforms) == 1 and platforms[0].type == "organization", [(e.name, e.type) for e in c.entities]


def test_a_verb_opening_the_sentence_is_not_part_of_the_name(run: Run) -> None:
    """The model runs a sentence's first word into the name after it when that word is a verb form
    ("Entrusting Maria Kessler with ..."); the name starts after it. A name that opens a sentence keeps its
    first word."""
    c = run(
        "She said the choice was plain. Entrusting Maria Kessler with the budget would be a mistake, she said. "
        "Removing Dorin Valek from the board was the price of the deal. "
        "Sterling Okafor said the vote would be held in May."
    )
    names = {e.name for e in c.entities}
    assert not [n for n in names if n.startswith(("Entrusting", "Removing"))], names
    # tagged (a sentence with a cue), and untagged: a form in -ing the lemmatizer tables take for a verb's
    assert {"Maria Kessler", "Dorin Valek", "Sterling Okafor"} <= names, names


def test_a_us_state_and_its_ap_abbreviation_are_one_place(run: Run) -> None:
    """Wire copy writes a state after a town in the AP's abbreviation ("Harlow, Calif."); the story next door
    writes "California". One place, whose name is the state's (the shipped table of the ``us`` package)."""
    c = run(
        make_doc("Velmar Robotics Inc of Harlow, Calif., said it would cut 300 jobs, a spokesman said."),
        make_doc("The governor of California said the state would not fund the Velmar plant, an aide said."),
    )
    places = [e for e in c.entities if e.type == "location" and ("Calif" in e.name or e.name == "California")]
    assert len(places) == 1, [(e.name, [a.name for a in e.aliases]) for e in places]
    assert places[0].name == "California"


def test_a_state_abbreviation_is_not_the_acronym_of_its_letters(run: Run) -> None:
    """ "La." (Louisiana) and "L.A." (Los Angeles) had one name key (case and dots aside), so "La." was a name
    of Los Angeles, and joining it to Louisiana joined Los Angeles too. An abbreviation's key keeps its dot:
    "La." is Louisiana's, "L.A." Los Angeles's."""
    c = run(
        make_doc("Velmar Oil Co of Baton Rouge, La., said its refinery had reopened, a spokesman said."),
        make_doc(
            "The mayor of Los Angeles, who calls the city L.A., said the port would reopen, an aide said."
        ),
        make_doc("The governor of Louisiana said the refinery would pay its taxes, an aide said."),
    )
    joined = [e for e in c.entities if {"Louisiana", "Los Angeles"} <= {e.name, *(a.name for a in e.aliases)}]
    assert not joined, [(e.name, [a.name for a in e.aliases]) for e in joined]
    assert [e.name for e in c.entities if "La." in {e.name, *(a.name for a in e.aliases)}] == ["Louisiana"]
