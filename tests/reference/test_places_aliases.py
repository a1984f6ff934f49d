"""The shipped country and alias tables and the demonym lookup built on them (no spaCy model)."""

from __future__ import annotations

import pytest

from claimgraph.attribution.demonyms import (
    country_for_demonym,
    demonym_candidates,
    is_table_demonym,
    looks_like_demonym,
)
from claimgraph.reference import aliases, places

#: Common demonyms of news text; the old suffix rule resolved about half of them to nothing.
COMMON = {
    "German": "Germany",
    "French": "France",
    "British": "United Kingdom",
    "Polish": "Poland",
    "Dutch": "Netherlands",
    "Swiss": "Switzerland",
    "Greek": "Greece",
    "Thai": "Thailand",
    "Spanish": "Spain",
    "Turkish": "Turkey",
    "Danish": "Denmark",
    "Swedish": "Sweden",
    "Filipino": "Philippines",
    "Chinese": "China",
    "Iraqi": "Iraq",
    "Kenyan": "Kenya",
    "American": "United States",
    "Israeli": "Israel",
    "Emirati": "United Arab Emirates",
    "Saudi": "Saudi Arabia",
    "Germans": "Germany",
    "Israelis": "Israel",
}


def test_every_data_file_names_its_source() -> None:
    from importlib import resources

    for name in ("countries.tsv", "aliases.tsv", "us_states.tsv"):
        head = resources.files("claimgraph.reference").joinpath("data", name).read_text("utf-8")[:1500]
        assert head.startswith("#") and ("Source" in head or "pycountry" in head), name


@pytest.mark.parametrize(("word", "country"), sorted(COMMON.items()))
def test_common_demonyms_resolve_through_the_table(word: str, country: str) -> None:
    hit = places.country_of_demonym(word)
    assert hit is not None and hit.name == country
    assert is_table_demonym(word) and looks_like_demonym(word)
    assert country_for_demonym(word, [country, "Lagos"]) == country


def test_a_table_demonym_never_falls_back_to_the_suffix_rule() -> None:
    assert country_for_demonym("German", ["Germ"]) is None
    assert country_for_demonym("Austrian", ["Austria", "Australia"]) == "Austria"
    assert country_for_demonym("Congolese", ["Kinshasa"]) is None  # two countries share it


def test_suffix_rule_is_only_a_fallback_for_places_the_table_lacks() -> None:
    assert country_for_demonym("Bavarian", ["Bavaria", "Berlin"]) == "Bavaria"
    assert "bavaria" in demonym_candidates("Bavarian")
    assert demonym_candidates("Dutch") >= {"netherlands", "holland"}
    assert not looks_like_demonym("Smith") and not looks_like_demonym("Ministry")


def test_demonym_regex_finds_table_words_the_suffix_shape_misses() -> None:
    from claimgraph.attribution import demonyms

    found = demonyms.DEMONYM_RE.findall("French, Dutch and Swiss envoys met Iraqi and Thai officials.")
    assert found == ["French", "Dutch", "Swiss", "Iraqi", "Thai"]


def test_country_names_and_capitals() -> None:
    russia = places.by_name("Russian Federation")
    assert russia is not None and russia.name == "Russia"
    assert places.by_name("Côte d'Ivoire") is places.by_name("Ivory Coast") is not None
    for capital in ("Kuala Lumpur", "Addis Ababa", "Nairobi", "Lilongwe", "Washington"):
        assert places.is_place_name(capital), capital
    assert not places.is_place_name("Ahmad al-Hakim")
    assert len(places.countries()) >= 245


def test_alias_table_entries() -> None:
    shabaab = aliases.entry_for("Harakat al-Shabaab al-Mujahideen")
    assert shabaab is not None and shabaab is aliases.entry_for("al Shabab") and shabaab.type == "group"
    irgc = aliases.entry_for("IRGC")
    assert irgc is not None and irgc.name == "Islamic Revolutionary Guard Corps"
    russia = aliases.entry_for("Russian Federation")
    assert russia is not None and russia.type == "location" and russia.name == "Russia"
    assert aliases.entry_for("RSF") is None  # two actors share it: left out
    assert shabaab.fits("organization") and not shabaab.fits("person") and not russia.fits("group")
    assert 150 <= sum(1 for e in aliases.entries() if e.type != "location") <= 600


def test_us_state_abbreviations_name_their_state_and_are_not_looked_for_in_text() -> None:
    """The AP-style abbreviation of a US state (``Calif.``, ``N.Y.``, ``W.Va.``; from the ``us`` package) is
    another name of the state; a state whose name is a country's or a capital's (``Georgia``, ``Washington``)
    is left out, so ``Ga.`` never joins the country; and the abbreviations, which are words too (``Miss.``,
    ``Mass.``), are not looked for in text, only joined when NER finds them."""
    import spacy

    for short, state in (("Calif.", "California"), ("N.Y.", "New York"), ("W.Va.", "West Virginia")):
        entry = aliases.entry_for(short)
        assert entry is not None and entry.name == state and entry.type == "location"
        assert aliases.entry_for(state) is entry
    georgia = aliases.entry_for("Georgia")
    assert georgia is not None and "Ga." not in georgia.names and aliases.entry_for("Ga.") is None
    assert aliases.entry_for("Wash.") is None
    doc = spacy.blank("en")(
        "She went to Mass. on Sunday, then drove to Jackson, Miss. and on to Calif. at night."
    )
    assert [doc.text[s:e] for s, e, _ in aliases.phrase_matches(doc)] == []
