"""Demonyms: "Velorian" names Veloria, "Kestrian" Kestria, "Tessinese" Tessin.

News text often names a party only through its adjective ("Velorian army instructors", "the Velorian
Prime Minister"). Attribution rightly does not make adjectives aliases of the country; for matching
claims and for recognising the accused party we still want "Velorian" to point at Veloria.

The rule is general, not a list of countries: from every single-word entity name ``N`` we generate the
regular English demonym forms (``N+n``, ``N+an``, ``N+ian``, ``N+ese``, ``N+i``, ``N+ish``, and the
a final vowel replaced: ``Kestria`` -> ``Kestrian``; ``Sarno`` -> ``Sarnian``/``Sarnese``) and
look them up as whole words. Generating forwards from known names (instead of stripping suffixes from
every capitalised word) keeps near-homonyms apart: "Velarian" yields Velaria, never Veloria.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..model import Entity
from .text import normalise

__all__ = ["DemonymIndex", "demonym_forms"]

_VOWEL_SUFFIXES = ("an", "ian", "ese")
_CONSONANT_SUFFIXES = ("ian", "ese", "i", "ish", "an")
_VOWELS = "aeiouy"


def demonym_forms(name: str) -> set[str]:
    """Regular demonym forms of a one-word name (normalised, lower case); empty for multi-word names."""
    word = normalise(name).strip()
    if not word or not word.isalpha() or len(word) < 4:
        return set()
    if word[-1] in _VOWELS:
        # Veloria -> Velorian; Italy -> Italian; Chinae -> Chinese; Cuba -> Cuban
        forms = {word + "n"} | {word[:-1] + suffix for suffix in _VOWEL_SUFFIXES}
    else:
        # Tessin -> Tessinian, Tessinese; Pakistan -> Pakistani; Sarnland -> Sarnlandish
        forms = {word + suffix for suffix in _CONSONANT_SUFFIXES}
    # "Velorian" + "s" (plural nouns: "Velorians said")
    forms |= {f + "s" for f in forms if f.endswith("n")}
    forms.discard(word)
    return forms


class DemonymIndex:
    """Which entities a text names through a demonym."""

    def __init__(self, entities: Iterable[Entity]) -> None:
        self._by_form: dict[str, set[str]] = {}
        for entity in entities:
            for form in demonym_forms(entity.name):
                self._by_form.setdefault(form, set()).add(entity.id)
        self._pattern = (
            re.compile(
                r"\b(" + "|".join(sorted(map(re.escape, self._by_form), key=len, reverse=True)) + r")\b"
            )
            if self._by_form
            else None
        )

    def __len__(self) -> int:
        return len(self._by_form)

    def entities_in(self, text: str | None) -> set[str]:
        """Ids of the entities ``text`` names through a demonym ("Velorian army" -> Veloria)."""
        if not text or self._pattern is None:
            return set()
        found: set[str] = set()
        for match in self._pattern.finditer(normalise(text)):
            found |= self._by_form[match.group(1)]
        return found

    def names_in(self, text: str | None, names: Iterable[str]) -> bool:
        """Whether ``text`` uses a demonym of any of ``names`` (plain strings, e.g. a claim's entity names)."""
        if not text:
            return False
        blob = normalise(text)
        for name in names:
            for form in demonym_forms(name):
                if re.search(rf"\b{re.escape(form)}\b", blob):
                    return True
        return False
