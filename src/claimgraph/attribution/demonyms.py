"""Demonyms: ``Estonian`` -> ``Estonia``, ``Kenyan`` -> ``Kenya``, ``Chinese`` -> ``China``,
``Iraqi`` -> ``Iraq``, ``Polish`` -> ``Poland``.

A general suffix rule, no country list: a capitalised word ending in ``-ian``, ``-an``, ``-n``, ``-ese``,
``-i`` or ``-ish`` is a demonym of a known place when stripping the suffix and adding one of a few
place endings (``-a``, ``-ia``, ``-y``, ``-e``, ``-o``, ``-land``, ``-ey``) gives that place's name. The
match must be unique among the places given (``Austrian`` finds ``Austria``, never ``Australia``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["DEMONYM_RE", "country_for_demonym", "demonym_candidates", "looks_like_demonym"]

_SUFFIXES = ("ian", "an", "n", "ese", "ish", "i")
_PLACE_ENDINGS = ("", "a", "ia", "y", "e", "o", "land", "ey")
#: A capitalised word that may be a demonym (``French``, ``Chinese``, ``Iraqi``, ``Polish``).
DEMONYM_RE = re.compile(r"\b[A-Z][a-z]+(?:ian|an|n|ese|ish|i)\b")


def looks_like_demonym(word: str) -> bool:
    """Capitalised, alphabetic, and ending in one of the demonym suffixes."""
    return bool(DEMONYM_RE.fullmatch(word))


def demonym_candidates(word: str) -> set[str]:
    """Lower-case place names ``word`` could be the demonym of (``russian`` -> {``russia``, ``russ``...})."""
    w = word.casefold()
    out: set[str] = set()
    for suf in _SUFFIXES:
        if w.endswith(suf) and len(w) - len(suf) >= 3:
            stem = w[: -len(suf)]
            out.update(stem + end for end in _PLACE_ENDINGS)
    out.discard(w)
    return out


def country_for_demonym(word: str, places: Iterable[str]) -> str | None:
    """The one place in ``places`` (names as written) whose demonym ``word`` is, else ``None``."""
    if not looks_like_demonym(word):
        return None
    cands = demonym_candidates(word)
    hits = {p for p in places if p.casefold() in cands}
    return next(iter(hits)) if len(hits) == 1 else None
