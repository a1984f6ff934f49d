"""Actors named through a demonym: "Russian" names Russia, "Estonian" Estonia.

News text often names a party only through its adjective ("Russian army instructors", "the Russian
Prime Minister"). Attribution rightly does not make adjectives aliases of the country; for matching
claims and for recognising the accused party we still want "Russian" to point at Russia.

The suffix rule itself lives in :mod:`claimgraph.attribution.demonyms` (a capitalised word ending in
``-ian``/``-an``/``-n``/``-ese``/``-ish``/``-i`` is the demonym of the *one* known name it can be
derived from, so "Austrian" finds Austria, never Australia). This module only applies it to the corpus's
one-word entity names.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from ..attribution.demonyms import DEMONYM_RE, PlaceIndex, country_for_demonym
from ..model import Entity
from .textfacts import TextCache

__all__ = ["DemonymIndex", "demonym_matches", "names_demonym_of"]


@TextCache
def demonym_matches(text: str) -> tuple[tuple[int, str], ...]:
    """``(offset, word)`` of every word of ``text`` shaped like a demonym (``DEMONYM_RE``), whatever the
    corpus's entities (kept per text, and in the store: :mod:`~claimgraph.claims.textfacts`)."""
    return tuple((m.start(), m.group(0)) for m in DEMONYM_RE.finditer(text))


class DemonymIndex:
    """Which entities a text names through a demonym (one-word entity names and aliases)."""

    def __init__(self, entities: Iterable[Entity]) -> None:
        self._ids: dict[str, set[str]] = {}
        for entity in entities:
            for name in [entity.name, *(a.name for a in entity.aliases)]:
                if len(name) >= 4 and name.isalpha():
                    self._ids.setdefault(name, set()).add(entity.id)
        self._names = sorted(self._ids)
        self._places = PlaceIndex(self._names)  # country_for_demonym's answers from an index made once
        self._cache: dict[str, frozenset[str]] = {}
        self._found: dict[str, tuple[tuple[int, str, frozenset[str]], ...]] = {}

    def __len__(self) -> int:
        return len(self._names)

    def resolve(self, word: str) -> frozenset[str]:
        """Ids of the entities the demonym-shaped ``word`` names (empty: none, or more than one place)."""
        return self._resolve(word)

    def _resolve(self, word: str) -> frozenset[str]:
        found = self._cache.get(word)
        if found is None:
            name = self._places.country_for(word)
            found = frozenset(self._ids[name]) if name is not None else frozenset()
            self._cache[word] = found
        return found

    def _in(self, text: str) -> tuple[tuple[int, str, frozenset[str]], ...]:
        """``(offset, word, entity ids)`` of each demonym in ``text`` naming a known entity (kept per
        text: the claims stage asks for one statement's demonyms in several passes)."""
        found = self._found.get(text)
        if found is None:
            found = tuple(
                (start, word, ids) for start, word in demonym_matches(text) if (ids := self._resolve(word))
            )
            self._found[text] = found
        return found

    def words_in(self, text: str | None) -> list[str]:
        """The demonyms in ``text`` that name a known entity, as written ("Russian")."""
        if not text or not self._names:
            return []
        return [word for _, word, _ in self._in(text)]

    def spans_in(self, text: str | None) -> list[tuple[int, frozenset[str]]]:
        """``(offset, entity ids)`` of each demonym in ``text`` that names a known entity, in order."""
        if not text or not self._names:
            return []
        return [(start, ids) for start, _, ids in self._in(text)]

    def entities_in(self, text: str | None) -> set[str]:
        """Ids of the entities ``text`` names through a demonym ("Russian army" -> Russia)."""
        found: set[str] = set()
        if not text or not self._names or not demonym_matches(text):
            return found  # most statements use no demonym: nothing to resolve, nothing kept per text
        for _, _, ids in self._in(text):
            found |= ids
        return found


def names_demonym_of(text: str | None, names: Iterable[str]) -> bool:
    """Whether ``text`` (as written, capitals kept) uses the demonym of one of ``names``."""
    if not text:
        return False
    return _names_demonym_of(text, tuple(names))


@functools.lru_cache(maxsize=65536)
def _names_demonym_of(text: str, names: tuple[str, ...]) -> bool:
    """:func:`names_demonym_of`, kept per (text, names): a speaker's description is tested against every
    claim of its documents."""
    words = [word for _, word in demonym_matches(text)]
    if not words:  # most descriptions use no demonym: no need to look at the names
        return False
    places = [n for n in names if n and " " not in n.strip()]
    if not places:
        return False
    return any(country_for_demonym(word, places) is not None for word in words)
