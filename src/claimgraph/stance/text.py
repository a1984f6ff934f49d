"""Text helpers for the stance model: normalisation, sentence splitting and stance lexicons.

Pure Python (no heavy imports), shared by training and inference so both see the same text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

__all__ = [
    "HEDGE_WORDS",
    "LEXICONS",
    "NEGATION_WORDS",
    "REFUTE_WORDS",
    "SUPPORT_WORDS",
    "cue_lexicons",
    "lexicon_counts",
    "negated_terms",
    "normalise",
    "split_sentences",
]

_QUOTES = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"}
)
_SPACE = re.compile(r"[ \t\r\f\v]+")
_SENT_SPLIT = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])|\n+")
_WORD = re.compile(r"[a-z0-9']+")

#: Most sentences of a body that are compared with the headline (the lead carries the stance).
MAX_SENTENCES = 40

REFUTE_WORDS: tuple[str, ...] = (
    "fake", "fraud", "hoax", "false", "deny", "denies", "denied", "denying", "not", "despite", "nope",
    "doubt", "doubts", "doubtful", "bogus", "debunk", "debunks", "debunked", "pranks", "prank", "retract",
    "retracted", "retraction", "untrue", "myth", "rumor", "rumour", "rumors", "rumours", "satire", "satirical",
    "misleading", "fabricated", "baseless", "unfounded", "refute", "refuted", "refutes", "dismissed", "dismiss",
    "never", "no", "incorrect", "wrong", "lie", "lies", "lying", "photoshopped", "doctored", "erroneous",
    "contrary", "neither", "nor", "nothing", "nobody", "isn't", "wasn't", "aren't", "weren't", "didn't",
    "doesn't", "don't", "won't", "hasn't", "haven't", "cannot", "can't", "rejected", "rejects", "scam",
)  # fmt: skip
HEDGE_WORDS: tuple[str, ...] = (
    "reportedly", "allegedly", "alleged", "alleges", "claim", "claims", "claimed", "claiming", "rumored",
    "rumoured", "unconfirmed", "unverified", "apparently", "purportedly", "purported", "supposedly", "may",
    "might", "could", "possibly", "perhaps", "suggest", "suggests", "suggested", "according", "appears",
    "appear", "seems", "seem", "likely", "unclear", "speculation", "speculated", "believed", "suspected",
    "report", "reports", "reported", "said", "says", "told", "sources", "source", "if", "whether",
)  # fmt: skip
SUPPORT_WORDS: tuple[str, ...] = (
    "confirmed", "confirms", "confirm", "confirming", "official", "officially", "announced", "announces",
    "verified", "verify", "true", "indeed", "proved", "proven", "proof", "evidence", "revealed", "reveals",
    "shows", "showed", "footage", "video", "photos", "statement", "actually", "fact", "definitely",
)  # fmt: skip
NEGATION_WORDS: tuple[str, ...] = (
    "not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "without", "isn't", "wasn't",
    "aren't", "weren't", "didn't", "doesn't", "don't", "won't", "hasn't", "haven't", "cannot", "can't",
)  # fmt: skip
_REFUTE_PHRASES: tuple[str, ...] = (
    "no evidence", "not true", "no truth", "no proof", "not real", "turned out", "fake news", "hoax",
    "made up", "april fool", "false report", "no basis", "not the case", "no longer",
)  # fmt: skip

#: name -> word set, in feature order.
LEXICONS: dict[str, frozenset[str]] = {
    "refute": frozenset(REFUTE_WORDS),
    "hedge": frozenset(HEDGE_WORDS),
    "support": frozenset(SUPPORT_WORDS),
    "negation": frozenset(NEGATION_WORDS),
}


def _inflections(lemma: str) -> set[str]:
    """Plain-text forms of an English verb/noun lemma (deny -> denies, denied, denying)."""
    forms = {lemma, lemma + "s", lemma + "ed", lemma + "ing", lemma + "es", lemma + "d"}
    if lemma.endswith("y") and len(lemma) > 2 and lemma[-2] not in "aeiou":
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    if lemma.endswith("e"):
        forms |= {lemma[:-1] + "ing", lemma + "d"}
    return forms


def cue_lexicons() -> tuple[dict[str, list[str]], list[str]]:
    """(word lexicons, refuting phrases) used by the stance features, read once at training time.

    The words of :data:`LEXICONS` plus, as lexicon ``deny``, every inflected form of the single-lemma entries of
    the shared vocabulary's ``denial`` and ``dispute`` files; the phrases are :data:`_REFUTE_PHRASES` plus the
    vocabulary's fixed phrases of those files. The trained artefact stores the result, so a later edit of the
    shared vocabulary cannot silently change a shipped model's inputs.
    """
    from .. import vocab

    words = {name: sorted(lex) for name, lex in LEXICONS.items()}
    deny: set[str] = set()
    for name in ("denial", "dispute"):
        for lemma in vocab.lemmas(name):
            deny |= _inflections(lemma)
    words["deny"] = sorted(deny)
    phrases = set(_REFUTE_PHRASES)
    for name in ("denial", "dispute"):
        phrases.update(vocab.phrases(name))
    return words, sorted(phrases)


def normalise(text: str) -> str:
    """NFKC, straight quotes and dashes, collapsed horizontal whitespace (newlines kept for sentences)."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return _SPACE.sub(" ", text).strip()


def split_sentences(text: str, limit: int = MAX_SENTENCES) -> list[str]:
    """Split a normalised body into at most ``limit`` non-empty sentences (the first ones)."""
    out: list[str] = []
    for part in _SENT_SPLIT.split(text):
        part = part.strip()
        if len(part) > 1:
            out.append(part)
            if len(out) >= limit:
                break
    return out or [text.strip() or "."]


def negated_terms(text: str, scope_words: frozenset[str], before: int = 2, after: int = 5) -> str:
    """The words of ``text`` in the scope of a negation or denial word (``before`` words left, ``after`` right).

    "The ministry denied it recruits prisoners" -> "ministry recruits prisoners": the stance features count the
    claim's words found here, i.e. claim words negated or denied near where they occur.
    """
    words = _WORD.findall(text.lower())
    keep = [False] * len(words)
    for i, w in enumerate(words):
        if w in scope_words:
            for k in range(max(0, i - before), min(len(words), i + after + 1)):
                keep[k] = True
    return " ".join(w for w, k in zip(words, keep, strict=True) if k and w not in scope_words)


def lexicon_counts(
    text: str,
    lexicons: dict[str, frozenset[str]] | None = None,
    phrases: Sequence[str] = _REFUTE_PHRASES,
) -> list[float]:
    """Counts of each lexicon's words in ``text`` plus refuting phrases (len(lexicons) + 1 values)."""
    lowered = text.lower()
    words = _WORD.findall(lowered)
    counts = [float(sum(1 for w in words if w in lex)) for lex in (lexicons or LEXICONS).values()]
    counts.append(float(sum(lowered.count(p) for p in phrases)))
    return counts
