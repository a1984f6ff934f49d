"""Certainty of a statement: asserted, hedged, boosted, conditional or question, with the cue words.

Precedence when several kinds of cue occur: ``question`` > ``conditional`` > ``hedged`` > ``boosted`` >
``asserted``. A question is not a claim at all; a condition makes the whole content depend on
something else; a hedge weakens more than a booster strengthens (``clearly may`` is still a maybe).
All cues found are kept in ``certainty_cues`` whatever wins.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .lexicon import BOOSTERS, CONDITIONALS, HEDGES, HEDGING_CUES

__all__ = ["PRECEDENCE", "certainty"]

PRECEDENCE: tuple[str, ...] = ("question", "conditional", "hedged", "boosted", "asserted")

#: ``would`` in these phrases is part of a refusal, not a condition.
_NOT_CONDITIONAL = re.compile(r"\bwould\s+not\s+(?:confirm|comment|say|elaborate)|\bwouldn['’]t\b", re.I)


@lru_cache(maxsize=8)
def _pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    alts = sorted(words, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in alts) + r")\b", re.I)


def _found(words: tuple[str, ...], text: str) -> list[str]:
    return [m.group(0).lower() for m in _pattern(words).finditer(text)]


_CUE_SHAPE = re.compile(r"[a-z]+(?: [a-z]+)*")
_WORD = re.compile(r"\w+")


def _first_words() -> frozenset[str] | None:
    """The first word of every conditional, hedge and booster, or ``None`` when a cue is not lower-case
    ASCII words joined by single spaces (the shape :func:`_no_cue` relies on)."""
    cues = (*CONDITIONALS, *HEDGES, *BOOSTERS)
    if not all(_CUE_SHAPE.fullmatch(w) for w in cues):
        return None
    return frozenset(w.split(" ")[0] for w in cues)


_FIRST_WORDS = _first_words()


def _no_cue(content: str) -> bool:
    """Whether no conditional, hedge or booster pattern can match ``content`` (``False``: it may). For ASCII
    text: a cue's pattern matches at a word boundary, its first word followed by white space or another
    boundary, so the text's word (``\\w+`` run) starting there is that word, in some case; a text none of
    whose lower-cased words is a cue's first word has no match. (The refusal phrases a conditional scan
    blanks out start with the word ``would``, a first word, so they never change this answer.)"""
    if _FIRST_WORDS is None or not content.isascii():
        return False
    return _FIRST_WORDS.isdisjoint(_WORD.findall(content.lower()))


def certainty(content: str, cue: str | None = None, *, refusal: bool = False) -> tuple[str, list[str]]:
    """Return ``(certainty, cues)`` for a statement's content and its reporting cue."""
    cues: list[str] = []
    kinds: set[str] = set()
    stripped = content.rstrip(" \"”'’)»")
    if not refusal and (cue is None or cue.lower() not in HEDGING_CUES) and _no_cue(content):
        # no cue word (most headlines): the scans below would find nothing
        return ("question", ["?"]) if stripped.endswith("?") else ("asserted", [])
    if stripped.endswith("?"):
        kinds.add("question")
        cues.append("?")
    scan = _NOT_CONDITIONAL.sub(" ", content) if refusal or "would not" in content.lower() else content
    cond = _found(CONDITIONALS, scan)
    if cond:
        kinds.add("conditional")
        cues.extend(cond)
    hedges = _found(HEDGES, content)
    if cue is not None and cue.lower() in HEDGING_CUES:
        hedges.insert(0, cue.lower())
    if hedges:
        kinds.add("hedged")
        cues.extend(hedges)
    boost = _found(BOOSTERS, content)
    if boost:
        kinds.add("boosted")
        cues.extend(boost)
    for kind in PRECEDENCE:
        if kind in kinds:
            return kind, _dedupe(cues)
    return "asserted", []


def _dedupe(items: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for item in items:
        if item not in seen:
            seen.add(item)
            out.append(item)
    return out
