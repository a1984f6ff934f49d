"""Text helpers for the stance model: normalisation, sentence splitting and stance lexicons.

Pure Python (no heavy imports), shared by training and inference so both see the same text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import cache

__all__ = [
    "HEDGE_WORDS",
    "LEXICONS",
    "NEGATION_WORDS",
    "REFUTE_WORDS",
    "SUPPORT_WORDS",
    "cue_lexicons",
    "denial_sentences",
    "explicit_denial",
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
    """Plain-text forms of an English verb/noun lemma (deny -> denies, denied, denying): the vocabulary's rule."""
    from .. import vocab

    return vocab.inflections(lemma)


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
    for name, label in _TRAINING_LABELS:
        for lemma in vocab.lemmas(name, label):
            deny |= _inflections(lemma)
    words["deny"] = sorted(deny)
    phrases = set(_REFUTE_PHRASES)
    for name, label in _TRAINING_LABELS:
        phrases.update(vocab.phrases(name, label))
    return words, sorted(phrases)


#: The shared vocabulary's (file, label) entries the stance features count: entries appended under other labels
#: (the claims stage's dispute and denial phrases) do not change the model's inputs at the next training.
_TRAINING_LABELS: tuple[tuple[str, str], ...] = (
    ("denial", "DENY"),
    ("dispute", "DISPUTE"),
    ("dispute", "NO_EVIDENCE"),
)


#: Longest text (in sentences) read as one statement by :func:`explicit_denial`'s override (docs/stance.md).
STATEMENT_SENTENCES = 3
#: What a denial verb may be followed by when it denies a claim as a thing ("denied the report").
_ARTICLES = frozenset(
    ("the", "a", "an", "these", "those", "this", "that", "such", "all", "any", "its", "their")
)


@cache
def _denial_words() -> tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str]]:
    """(denial verb and noun forms, "no <evidence>" nouns, claim-reference nouns, negators) from the vocabulary."""
    from .. import vocab

    deny = set(vocab.forms("denial", "DENY")) | {"denial", "denials"}
    evidence = {p.split()[1] for p in vocab.phrases("dispute", "NO_EVIDENCE") if p.startswith("no ")}
    evidence |= {e for lemma in vocab.lemmas("dispute", "NO_EVIDENCE") for e in _inflections(lemma)}
    nouns = {f for e in vocab.load("reference") for f in vocab.token_forms(e["pattern"][0])}
    # "declined to deny", "refused to deny": the verbs that open the vocabulary's refusal patterns
    refusing = {
        f for e in vocab.load("refusal") if "pattern" in e for f in vocab.token_forms(e["pattern"][0])
    }
    negators = set(NEGATION_WORDS) | refusing
    return frozenset(deny), frozenset(evidence), frozenset(nouns), frozenset(negators)


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _content(words: Sequence[str]) -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(_stem(w) for w in words if len(w) > 2 and w not in ENGLISH_STOP_WORDS)


def _restates(terms: frozenset[str], claim_terms: frozenset[str]) -> bool:
    """Whether ``terms`` carry at least half (and two) of the claim's content words."""
    return bool(claim_terms) and len(terms & claim_terms) >= max(2.0, 0.5 * len(claim_terms))


def _denial_in(words: Sequence[str], claim_terms: frozenset[str]) -> str | None:
    """``"restated"`` when a denial governs the claim restated ("denied that its army recruits ...", "no evidence
    that ..."), ``"reference"`` when it governs the claim named as a thing ("denied the report"), else ``None``.

    A denial verb negated or refused just before it ("did not deny", "declined to deny") denies nothing; one whose
    object is not the claim ("was denied bail", "denied entry at the border") is not a denial of the claim.
    """
    deny, evidence, nouns, negators = _denial_words()
    found: str | None = None
    for i, word in enumerate(words):
        if word in deny:
            start = i + 1
        elif word == "no" and i + 1 < len(words) and words[i + 1] in evidence:
            start = i + 2
        else:
            continue
        if any(w in negators for w in words[max(0, i - 3) : i]):
            continue
        head = [w for w in words[start : start + 4] if w not in _ARTICLES or w == "that"]
        if not head:
            continue
        names_claim = any(w in nouns for w in head[:2])
        governs = names_claim or head[0] in ("that", "of", "having") or _stem(head[0]) in claim_terms
        if governs and _restates(_content(words[start : start + 16]), claim_terms):
            return "restated"
        if names_claim:
            found = "reference"
    return found


def denial_sentences(text: str) -> list[list[str]] | None:
    """The lower-cased words of each sentence of ``text`` when it may hold an explicit denial, else ``None``.

    ``None`` for a text longer than :data:`STATEMENT_SENTENCES` sentences or with no denial or "no <evidence>"
    word: the claim-independent half of :func:`explicit_denial`, computed once per distinct text.
    """
    deny, evidence, _, _ = _denial_words()
    blob = normalise(text)
    sentences = split_sentences(blob, STATEMENT_SENTENCES + 1)
    if len(sentences) > STATEMENT_SENTENCES:
        return None
    words = [_WORD.findall(s.lower()) for s in sentences]
    for sent in words:
        for i, w in enumerate(sent):
            if w in deny or (w == "no" and i + 1 < len(sent) and sent[i + 1] in evidence):
                return words
    return None


def explicit_denial(claim: str, text: str | list[list[str]] | None) -> bool:
    """Whether a short ``text`` (one statement, at most :data:`STATEMENT_SENTENCES` sentences) explicitly denies
    ``claim``: a denial or "no evidence" cue of the shared vocabulary whose object is the claim restated, or a
    claim reference ("the report") in a text that restates the claim in another sentence.

    ``text`` may be given as :func:`denial_sentences` of it. Plain Python on the vocabulary's word forms, no
    parse.
    """
    sentences = denial_sentences(text) if isinstance(text, str) else text
    if not sentences:
        return False
    claim_terms = _content(_WORD.findall(normalise(claim).lower()))
    kinds = [_denial_in(words, claim_terms) for words in sentences]
    if "restated" in kinds:
        return True
    if "reference" in kinds:
        return any(
            kind != "reference" and _restates(_content(words), claim_terms)
            for words, kind in zip(sentences, kinds, strict=True)
        )
    return False


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
