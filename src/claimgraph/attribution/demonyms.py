"""Demonyms: ``German`` / ``Germans`` -> Germany, ``Dutch`` -> Netherlands, ``Saudi`` -> Saudi Arabia.

The country table :mod:`claimgraph.reference.places` (ISO 3166-1 names from pycountry, demonyms and
capitals from countryinfo; sources in the data file's header) decides first. Only for a place the table
does not know (a region such as Bavaria or Crimea, a place missing from ISO 3166) does a general suffix
rule remain as a fallback: a capitalised word ending in ``-ian``, ``-an``, ``-n``, ``-ese``, ``-i`` or
``-ish`` names a known place when stripping the suffix and adding one of a few place endings (``-a``,
``-ia``, ``-y``, ``-e``, ``-o``, ``-land``, ``-ey``) gives that place's name, and that place is unique
among the places given (``Bavarian`` finds ``Bavaria``). A table demonym never falls back (``German`` is
Germany or nothing).
"""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Iterable
from typing import Any

__all__ = [
    "PlaceIndex",
    "country_for_demonym",
    "demonym_candidates",
    "is_table_demonym",
    "looks_like_demonym",
]

_SUFFIXES = ("ian", "an", "n", "ese", "ish", "i")
_PLACE_ENDINGS = ("", "a", "ia", "y", "e", "o", "land", "ey")
_SHAPE = r"[A-Z][a-z]+(?:ian|an|n|ese|ish|i)"
_SHAPE_RE = re.compile(_SHAPE)


@functools.cache
def _demonym_re() -> re.Pattern[str]:
    from ..reference.places import countries

    words = sorted({d for c in countries() for d in c.demonyms}, key=len, reverse=True)
    # every alternative starts with one of these characters (``_SHAPE`` with A-Z): the lookahead rejects
    # any other position with one test instead of trying each of the ~400 alternatives there (5x faster
    # on news text; the same matches)
    first = sorted({w[0] for w in words} | set(string.ascii_uppercase))
    return re.compile(
        r"\b(?=["
        + "".join(re.escape(c) for c in first)
        + r"])(?:"
        + "|".join(re.escape(w) for w in words)
        + "|"
        + _SHAPE
        + r")\b"
    )


def __getattr__(name: str) -> Any:
    """``DEMONYM_RE`` (built lazily from the table): a word that is a table demonym or has a demonym's
    shape (``French``, ``Dutch``, ``Chinese``, ``Iraqi``, ``Bavarian``)."""
    if name == "DEMONYM_RE":
        return _demonym_re()
    raise AttributeError(name)


def is_table_demonym(word: str) -> bool:
    """A demonym of the country table (``German``, ``Germans``, ``Dutch``, ``Congolese``)."""
    from ..reference.places import key

    return key(word) in _table_keys()


@functools.cache
def _table_keys() -> frozenset[str]:
    from ..reference.places import countries, key

    return frozenset(key(d) for c in countries() for d in c.demonyms)


def looks_like_demonym(word: str) -> bool:
    """A table demonym, or capitalised, alphabetic and ending in one of the demonym suffixes."""
    return is_table_demonym(word) if not _SHAPE_RE.fullmatch(word) else True


def _suffix_candidates(word: str) -> set[str]:
    w = word.casefold()
    out: set[str] = set()
    for suf in _SUFFIXES:
        if w.endswith(suf) and len(w) - len(suf) >= 3:
            stem = w[: -len(suf)]
            out.update(stem + end for end in _PLACE_ENDINGS)
    out.discard(w)
    return out


def demonym_candidates(word: str) -> set[str]:
    """Lower-case place names ``word`` may be the demonym of: the table country's names (``germans`` ->
    {``germany``, ``federal republic of germany``, ...}), else the suffix rule's guesses."""
    from ..reference.places import country_of_demonym, key

    if is_table_demonym(word):
        country = country_of_demonym(word)
        return {key(n) for n in country.all_names} if country is not None else set()
    return _suffix_candidates(word) if _SHAPE_RE.fullmatch(word) else set()


def country_for_demonym(word: str, places: Iterable[str]) -> str | None:
    """The one place in ``places`` (names as written) whose demonym ``word`` is, else ``None``.

    Asked for every word of every speaker's description against the places of each claim, so the word's
    candidates and each place's key are kept (bounded caches) rather than normalised again per call."""
    table, cands = _word_candidates(word)
    if not cands:
        return None
    if table:
        hits = {p for p in places if _place_key(p) in cands}
    else:  # the suffix rule: a place of the country table is matched by its table demonyms only
        hits = {p for p in places if _place_fold(p) in cands}
    return next(iter(hits)) if len(hits) == 1 else None


@functools.lru_cache(maxsize=1 << 14)
def _word_candidates(word: str) -> tuple[bool, frozenset[str]]:
    """Whether ``word`` is a table demonym, and :func:`demonym_candidates` of it."""
    return is_table_demonym(word), frozenset(demonym_candidates(word))


@functools.lru_cache(maxsize=1 << 16)
def _place_key(place: str) -> str:
    from ..reference.places import key

    return key(place)


@functools.lru_cache(maxsize=1 << 16)
def _place_fold(place: str) -> str | None:
    """The place's case-folded name, or ``None`` for a name of the country table."""
    from ..reference.places import by_name

    return place.casefold() if by_name(place) is None else None


class PlaceIndex:
    """:func:`country_for_demonym` over one fixed set of places, answered from an index made once (the
    same answers; the plain function normalises every place for every word, which grows with
    words × places over a corpus)."""

    def __init__(self, places: Iterable[str]) -> None:
        from ..reference.places import by_name, key

        self._by_key: dict[str, set[str]] = {}
        self._by_fold: dict[str, set[str]] = {}
        for p in places:
            self._by_key.setdefault(key(p), set()).add(p)
            if by_name(p) is None:
                self._by_fold.setdefault(p.casefold(), set()).add(p)
        self._memo: dict[str, str | None] = {}

    def country_for(self, word: str) -> str | None:
        """The one place whose demonym ``word`` is, else ``None`` (as :func:`country_for_demonym`). The places
        are read only for a word that :func:`looks_like_demonym` (the two branches below): any other word is
        ``None`` whatever the places."""
        if word in self._memo:
            return self._memo[word]
        hits: set[str] = set()
        if is_table_demonym(word):
            for cand in demonym_candidates(word):
                hits |= self._by_key.get(cand, set())
        elif _SHAPE_RE.fullmatch(word):
            for cand in _suffix_candidates(word):
                hits |= self._by_fold.get(cand, set())
        found = next(iter(hits)) if len(hits) == 1 else None
        self._memo[word] = found
        return found
