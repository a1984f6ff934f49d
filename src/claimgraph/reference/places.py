"""Countries with their other names, demonyms and capitals (``data/countries.tsv``; sources in its header:
pycountry's ISO 3166-1 names, countryinfo's capitals and demonyms, a small named supplement).

``country_of_demonym("Germans")`` -> Germany; ``by_name("Russian Federation")`` -> Russia;
``is_place_name("Kuala Lumpur")`` -> True (a capital). Names are matched normalised (case, accents,
apostrophes, dots and hyphens ignored). Loaded lazily, once.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources

__all__ = ["Country", "by_name", "capitals", "countries", "country_of_demonym", "is_place_name", "key"]


@dataclass(frozen=True)
class Country:
    code: str
    name: str
    names: tuple[str, ...]
    """Other names: official, common, alternative spellings (``Russian Federation``, ``UK``)."""
    demonyms: tuple[str, ...]
    """Adjectives and plural nouns (``German``, ``Germans``)."""
    capital: str

    @property
    def all_names(self) -> tuple[str, ...]:
        return (self.name, *self.names)


_MARKS = re.compile(r"['’‘`.]")
_SEPARATORS = re.compile(r"[\-‐‑–—_/,]+")


@functools.lru_cache(maxsize=65536)
def key(name: str) -> str:
    """Matching key: accents, case, apostrophes, dots, hyphens and a leading ``the`` ignored."""
    if name.isascii():
        s = name.casefold()  # NFKD leaves ASCII as it is, and ASCII has no combining mark
    else:
        s = unicodedata.normalize("NFKD", name)
        s = "".join(c for c in s if not unicodedata.combining(c)).casefold()
    s = _MARKS.sub("", s)
    s = " ".join(_SEPARATORS.sub(" ", s).split())
    return s[4:] if s.startswith("the ") else s


@functools.cache
def countries() -> tuple[Country, ...]:
    """Every row of the shipped table."""
    text = resources.files("claimgraph.reference").joinpath("data/countries.tsv").read_text(encoding="utf-8")
    rows: list[Country] = []
    header_seen = False
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if not header_seen:
            header_seen = True  # code, name, names, demonyms, capital
            continue
        code, name, names, demonyms, capital = (line.split("\t") + [""] * 5)[:5]
        rows.append(
            Country(
                code,
                name,
                tuple(n for n in names.split("|") if n),
                tuple(d for d in demonyms.split("|") if d),
                capital.strip(),
            )
        )
    return tuple(rows)


@functools.cache
def _by_key() -> dict[str, Country]:
    table: dict[str, Country] = {}
    for c in countries():
        for n in c.all_names:
            table.setdefault(key(n), c)
    return table


@functools.cache
def _demonyms() -> dict[str, Country | None]:
    """Demonym -> its country (``None`` when two countries share it: ``Congolese``)."""
    table: dict[str, Country | None] = {}
    for c in countries():
        for d in c.demonyms:
            k = key(d)
            table[k] = c if table.get(k, c) is c else None
    return table


@functools.cache
def capitals() -> frozenset[str]:
    """Matching keys of every capital (``kuala lumpur``, ``washington dc``, ``washington``)."""
    out: set[str] = set()
    for c in countries():
        if c.capital:
            out.add(key(c.capital))
            out.add(key(c.capital.split(",")[0]))
    return frozenset(out)


def by_name(name: str) -> Country | None:
    """The country with this name or other name, else ``None``."""
    return _by_key().get(key(name))


def country_of_demonym(word: str) -> Country | None:
    """The one country whose demonym ``word`` is (``Iraqi``, ``Iraqis`` -> Iraq), else ``None``."""
    return _demonyms().get(key(word))


def is_place_name(name: str) -> bool:
    """A country (any of its names) or a capital city."""
    k = key(name)
    return k in _by_key() or k in capitals()
