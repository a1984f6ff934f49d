"""Names in brackets and across paragraphs. An acronym in brackets after a name is that name's acronym only when
the name can be its long form (Schwartz and Hearst's test): a name the NER model cut short, or a company followed by
its country, defines nothing; and no name spans two paragraphs."""

from __future__ import annotations

import pytest

from claimgraph.attribution.entities import defines_acronym
from claimgraph.attribution.stage import annotate_documents
from claimgraph.model import Document
from claimgraph.options import Options


@pytest.mark.parametrize(
    ("name", "acronym"),
    [
        ("Coastal Guard Units", "CGU"),
        ("Securities and Exchange Commission", "SEC"),
        ("Islamic State of Iraq and the Levant", "ISIL"),
        ("United States of America", "USA"),
        ("Norland Revolutionary Guard Corps", "NRGC"),
        ("Popular Defence Units", "PDU"),
    ],
)
def test_long_forms_define_their_acronyms(name: str, acronym: str) -> None:
    assert defines_acronym(name, acronym)


@pytest.mark.parametrize(
    ("name", "acronym"),
    [
        ("Syria", "ISIS"),
        ("Levant", "ISIL"),
        ("Halvorsen Marine", "UK"),
        ("al-Difa Brigades", "PDU"),
        ("", "UK"),
    ],
)
def test_other_names_do_not(name: str, acronym: str) -> None:
    assert not defines_acronym(name, acronym)


def _mentions(text: str) -> list[dict[str, object]]:
    doc = Document(
        id="d", path="x.txt", url=None, title="", authors=[], published=None, outlet=None, text=text
    )
    mentions: list[dict[str, object]] = annotate_documents([doc], Options())["d"]["text"]["mentions"]
    return mentions


def test_a_place_the_model_cut_out_of_a_longer_name_is_not_the_acronym() -> None:
    """The model tags "Syria" alone in "the Islamic State of Iraq and Syria (ISIS)": Syria must not become ISIS
    (every later "ISIS" in the corpus would be credited to Syria, and Syria's words to the group)."""
    found = _mentions(
        "Fighters loyal to the Islamic State of Iraq and Syria (ISIS) attacked the town, officials said."
    )
    syria = [m for m in found if m["text"] == "Syria"]
    assert syria and syria[0]["defined"] == []


def test_a_country_in_brackets_after_a_company_is_where_it_is_not_another_name() -> None:
    """ "Warburg and Co (Japan) Ltd": "Co" must not be defined as Japan (every "Japan" of the corpus would join
    the company); a place renamed in brackets stays one place with two names."""
    found = _mentions(
        "The new members are Brandt Securities Ltd and Halvorsen Warburg and Co (Japan) Ltd, the exchange said."
    ) + _mentions(
        "The new members are Brandt Securities Ltd and Halvorsen Warburg Co (Japan) Ltd, the exchange said."
    )
    # "Co" after "and" is no entity of its own (a legal form alone); whatever the company's mentions are,
    # none defines the country
    assert not [m for m in found if any("Japan" in str(d) for d in m["defined"])], found
    renamed = _mentions("The junta renamed Burma (Myanmar) in 1989, the report said.")
    assert [m["defined"] for m in renamed if m["text"] == "Burma"] == [[["Myanmar", "alternative-defined"]]]


def test_no_name_spans_two_paragraphs() -> None:
    """Wire results tables: the model tags "cts\\n\\nGroup" (the end of one line and the start of the next
    paragraph) as one organisation; no mention may cross a paragraph break."""
    found = _mentions(
        "Halvorsen Marine Ltd said on Monday its first half results were:\n\nShr 21 cts vs 20 cts\n\n"
        "Fin Div 8.0 cts gross vs 9.0 cts\n\nGroup net 104.8 mln dlrs vs 100.9 mln\n\nNote - Fin div pay June 6."
    )
    assert found and not [m for m in found if "\n" in str(m["text"])]


def test_a_country_name_is_not_cut_at_a_word_that_looks_like_a_verb() -> None:
    """ "States" is a reporting verb form ("he states"), and a name NER runs over a verb is cut before it
    (headlines in title case); "the United States" is a country, not "United" followed by a verb."""
    found = _mentions("It would put the United States banking industry at a disadvantage, Halvorsen said.")
    assert "United States" in [m["text"] for m in found]
    assert "United" not in [m["text"] for m in found]


def test_brackets_before_a_legal_form_are_inside_a_company_name() -> None:
    """Wire copy names branches "Harlow Bank (Europe) SA", "Velm Credit Asia (Singapore) Ltd": the region or
    country in brackets is where the branch is, not another name of the company (or of the place NER found
    before it), else every "Europe" of the corpus joins the bank. A bracket followed by prose still defines."""
    found = _mentions(
        "The issue is being lead managed by Harlow Bank (Europe) SA, while William Wong, managing director of "
        "Velm Credit Asia (Singapore) Ltd, said there is no real obstacle."
    )
    assert found and all(m["defined"] == [] for m in found)
    prose = _mentions("The International Monetary Fund (IMF) as a lender of last resort has few rivals.")
    assert [m["defined"] for m in prose if m["text"] == "International Monetary Fund"] == [
        [["IMF", "acronym-defined"]]
    ]


def test_a_stations_name_before_a_dateline_dash_is_no_other_name_of_the_place() -> None:
    """ "Texas City, Texas (CBS HOUSTON) – A plumber ...": the brackets hold the station that filed the story,
    as "WASHINGTON (AP) —" does; an acronym before a dash in prose still defines."""
    found = _mentions("Harlow City, Kansas (KVLM NEWS) – A plumber has been getting threats, his wife said.")
    assert found and all(m["defined"] == [] for m in found)
    prose = _mentions("Veloria (VL) – the smallest state of the region – held elections on Sunday.")
    assert [m["defined"] for m in prose if m["text"] == "Veloria"] == [[["VL", "acronym-defined"]]]


def test_a_name_in_brackets_after_a_place_is_what_is_there() -> None:
    """ "the Commodity Exchange Inc. of Harlow City (Harex)": the model tags the city alone, and the exchange's
    short name in brackets made every "Harex" of the corpus the city. After a place, only another place's
    name ("Burma (Myanmar)", tested above) or an acronym is another name of it."""
    found = _mentions("Traders will battle the Commodity Exchange Inc. of Harlow City (Harex), brokers said.")
    city = [m for m in found if m["text"] == "Harlow City"]
    assert city and city[0]["defined"] == []


def test_an_acronym_after_wire_markup_is_defined() -> None:
    """Wire copy marks a company's name in angle brackets, "<Velmar Telecommunications Ltd> (VTL)": the closing
    bracket is no part of the name, and the acronym after it is still defined by the name."""
    found = _mentions(
        "The cable will be laid by <Velmar Telecommunications Ltd> (VTL), the ministry said. VTL said the work "
        "would take two years."
    )
    company = [m for m in found if m["text"] == "Velmar Telecommunications Ltd"]
    assert company and company[0]["defined"] == [["VTL", "acronym-defined"]], found


def test_a_wires_ticker_and_closing_bracket_do_not_hide_a_definition() -> None:
    """Wire copy puts a ticker between a company's name and its acronym ("Halvorsen Motoren AG <HALV.F> (HM)"),
    and closes a company's name with ">" after its legal form ("<Harlow Securities (Pacifica) Ltd>"): the
    acronym is still defined, and the region in brackets still defines nothing (the model tags it as a name
    that is no country: every "Pacifica" of the corpus became the securities house)."""
    found = _mentions(
        "Losses of 480 mln marks were reported last week by Halvorsen Motoren AG <HALV.F> (HM), the carmaker said."
    )
    assert [m["defined"] for m in found if m["text"] == "Halvorsen Motoren AG"] == [
        [["HM", "acronym-defined"]]
    ]
    found = _mentions(
        "To open its office, <Harlow Securities (Pacifica) Ltd> flew out a ballet troupe, it said."
    )
    assert found and all(m["defined"] == [] for m in found)


def test_a_plural_acronym_in_brackets_is_no_other_name() -> None:
    """ "Members of the Assembly (MAs)": the model tags "Assembly" alone, and the plural acronym after it
    names the members, not the assembly."""
    found = _mentions("Dozens of Members of Parliament (MPs) signed the letter, the Speaker said.")
    assert [m["defined"] for m in found if m["text"] == "Parliament"] == [[]], found
