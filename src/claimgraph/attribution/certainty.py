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


def certainty(content: str, cue: str | None = None, *, refusal: bool = False) -> tuple[str, list[str]]:
    """Return ``(certainty, cues)`` for a statement's content and its reporting cue."""
    cues: list[str] = []
    kinds: set[str] = set()
    stripped = content.rstrip(" \"”'’)»")
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
