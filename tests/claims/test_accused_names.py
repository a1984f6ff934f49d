"""``is_accused``'s name test: one pattern per name stem behind a substring test gives the answer of the
``\\bname\\b`` alternation over the claim's names (what it replaced), and the demonym index answers as
the plain per-name scan."""

from __future__ import annotations

import re

import pytest

from claimgraph.attribution.demonyms import country_for_demonym
from claimgraph.claims.actors import DemonymIndex
from claimgraph.claims.stance import _names_in
from claimgraph.model import Entity


def _alternation(names: list[str], blob: str) -> bool:
    if not names:
        return False
    pattern = "|".join(rf"\b{re.escape(n.rstrip('s'))}\b" for n in names)
    return re.search(pattern, blob) is not None


NAMES = [
    ["tarnovia"],
    ["ministry of roads", "roads ministry"],
    ["dorvell industries", "dorvell"],
    ["brennicks"],
    ["sss"],  # stem "": the alternation's ``\b\b`` matches any word boundary
    ["c++ guild"],
    ["ostmark bank", "o.b."],
    [],
]
BLOBS = [
    "a spokesman for the tarnovian embassy",
    "the tarnovia ministry of roads",
    "roads ministry officials",
    "dorvell said",
    "dorvellian assets",
    "brennick family lawyer",
    "brennicks",
    "",
    "   ",
    "a c++ guild member",
    "an o.b. analyst",
    "ostmark banker",
]


@pytest.mark.parametrize("names", NAMES)
def test_names_in_is_the_alternation(names: list[str]) -> None:
    for blob in BLOBS:
        assert _names_in(names, blob) == _alternation(names, blob), (names, blob)


def test_demonym_index_answers_as_the_scan() -> None:
    entities = [
        Entity(id="e1", name="Tarnovia", type="location"),
        Entity(id="e2", name="Velmark", type="location"),
        Entity(id="e3", name="Germany", type="location"),
        Entity(id="e4", name="Ostria", type="location"),
        Entity(id="e5", name="Austria", type="location"),
    ]
    index = DemonymIndex(entities)
    names = sorted(e.name for e in entities)
    for word in [
        "Tarnovian",
        "Velmarkish",
        "German",
        "Germans",
        "Ostrian",
        "Austrian",
        "Australian",
        "Dutch",
    ]:
        expected = country_for_demonym(word, names)
        ids = {e.id for e in entities if e.name == expected}
        assert index._resolve(word) == frozenset(ids), word
