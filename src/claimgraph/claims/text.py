"""Text normalisation for lexical claim matching: tokens, stop words and a light English stemmer.

Pure Python, no heavy imports. The pipeline is ``tokens -> drop stop words -> stem``:

* **Stemming** (a conservative suffix stripper in the spirit of Porter's step 1) makes inflections
  meet: ``recruits``, ``recruiting``, ``recruited`` -> ``recruit``; ``trains``/``trained`` -> ``train``.
* Hyphenated compounds are kept whole *and* split (``war-trained`` -> ``war-trained``, ``war``, ``train``).

There is no synonym layer: paraphrases that swap words ("hires" / "enlists") meet through the sentence
embeddings of the default matcher (:mod:`claimgraph.claims.embeddings`). A hand-built synonym table was
measured on FNC-1 claims and removed (``docs/claims.md``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .textfacts import TextCache

__all__ = ["STOP_WORDS", "content_tokens", "like_number", "normalise", "quantities", "stem"]

_QUOTES = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"}
)
_WORD = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")

STOP_WORDS: frozenset[str] = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "said",
        "says",
        "say",
        "told",
        "according",
        "reported",
        "reportedly",
        "week",
        "weeks",
        "year",
        "years",
        "mr",
        "mrs",
        "ms",
        "dr",
        "one",
        "two",
        "three",
        "many",
        "much",
        "may",
        "might",
        "must",
        "shall",
        "also",
        "yet",
        "still",
        "even",
        "now",
        "new",
        "s",
        "t",
    ]
)

_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("ational", "ate"),
    ("ization", "ize"),
    ("isation", "ise"),
    ("fulness", "ful"),
    ("iveness", "ive"),
    ("ements", ""),
    ("ement", ""),
    ("ments", ""),
    ("ment", ""),
    ("ings", ""),
    ("ing", ""),
    ("edly", ""),
    ("ies", "y"),
    ("ied", "y"),
    ("ers", "er"),
    ("ed", ""),
    ("es", ""),
    ("ly", ""),
    ("s", ""),
)
_VOWEL = re.compile(r"[aeiouy]")


@lru_cache(maxsize=1 << 16)  # asked for the same statements and names by many passes
def normalise(text: str) -> str:
    """Lower-case, fold accents and typographic quotes/dashes."""
    text = text.translate(_QUOTES)
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower()


def stem(word: str) -> str:
    """A conservative suffix stripper: keeps at least three letters and one vowel in the stem."""
    if len(word) <= 3 or word.isdigit():
        return word
    if word.endswith("ss") or word.endswith("us") or word.endswith("is"):
        return word
    for suffix, repl in _SUFFIXES:
        if word.endswith(suffix):
            base = word[: -len(suffix)] + repl
            if len(base) >= 3 and _VOWEL.search(base):
                # recruit-ing -> recruit; runn-ing -> run; hop-ed -> hop (undouble)
                if (
                    suffix in ("ing", "ed", "ings")
                    and len(base) > 3
                    and base[-1] == base[-2]
                    and base[-1] not in "lsz"
                ):
                    base = base[:-1]
                if suffix == "es" and not re.search(r"(?:s|x|z|ch|sh)$", base):
                    base = word[:-1]
                return base
    return word


@lru_cache(maxsize=1 << 18)
def _canonical(token: str) -> str:
    return stem(token)


def content_tokens(text: str) -> list[str]:
    """The matching tokens of ``text``: stop words dropped, stems."""
    return list(_content_tokens(text))


@TextCache
def _content_tokens(text: str) -> tuple[str, ...]:
    """:func:`content_tokens`, kept per text: the claims stage asks for one statement's tokens in
    several passes (matching, topic words, allegations, attachment)."""
    out: list[str] = []
    for raw in _WORD.findall(normalise(text)):
        token = raw.strip("'")
        if token.endswith("'s"):
            token = token[:-2]
        if not token or token in STOP_WORDS:
            continue
        if "-" in token:
            whole = _canonical(token)
            out.append(whole)
            for part in token.split("-"):
                if part and part not in STOP_WORDS and len(part) > 1:
                    canonical = _canonical(part)
                    if canonical != whole:
                        out.append(canonical)
            continue
        if len(token) < 2:
            continue
        out.append(_canonical(token))
    return tuple(out)


_NUMBER = re.compile(r"(?<![\w.,:/-])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?![\w:/]|[.,]\d)")
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_MONTH_BEFORE = re.compile(rf"\b{_MONTH}\.?\s*$")
_MONTH_AFTER = re.compile(rf"^(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\b")
#: A number below this is too common to identify a fact ("3 camps", a day of the month).
MIN_QUANTITY = 10


@TextCache
def quantities(text: str) -> frozenset[str]:
    """The specific quantities ``text`` states, as digit strings ("412", "1200", "3.5"): numbers of at
    least ``MIN_QUANTITY``, not years (1800-2199 written as four digits) and not days of a date
    ("Nov. 30", "30 November"). Two statements sharing one are likely about the same fact; two
    statements giving only different ones are not the same claim."""
    found: set[str] = set()
    lowered = normalise(text)
    for match in _NUMBER.finditer(lowered):
        whole, decimals = match.group(1).replace(",", ""), match.group(2)
        value = float(f"{whole}.{decimals}" if decimals else whole)
        if value < MIN_QUANTITY:
            continue
        if decimals is None and len(match.group(1)) == 4 and 1800 <= value < 2200:
            continue  # a year
        if _MONTH_BEFORE.search(lowered[: match.start()]) or _MONTH_AFTER.match(lowered[match.end() :]):
            continue  # a day of a date
        found.add(f"{whole}.{decimals.rstrip('0')}".rstrip(".") if decimals else whole)
    return frozenset(found)


#: English cardinal number words: spaCy's English ``lex_attrs._num_words`` (MIT), the closed class its
#: ``like_num`` reads, without its joke words; here so that the claims stage needs no spaCy import (a rerun
#: with every annotation cached never loads spaCy). ``tests/claims/test_context_guard.py`` checks it against
#: spaCy's list.
NUMBER_WORDS: frozenset[str] = frozenset(
    [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
        "twenty",
        "thirty",
        "forty",
        "fifty",
        "sixty",
        "seventy",
        "eighty",
        "ninety",
        "hundred",
        "thousand",
        "million",
        "billion",
        "trillion",
    ]
)


def like_number(word: str) -> bool:
    """``word`` is a figure as spaCy's English ``like_num`` reads one, ordinal words aside ("second" is also a
    unit of time): digits with separators (``1,200``, ``-3.5``), a fraction (``5/8``), ``1st``-style
    ordinals, or a cardinal number word (:data:`NUMBER_WORDS`)."""
    if word.startswith(("+", "-", "±", "~")):
        word = word[1:]
    plain = word.replace(",", "").replace(".", "")
    if plain.isdigit():
        return True
    if plain.count("/") == 1:
        num, denom = plain.split("/")
        if num.isdigit() and denom.isdigit():
            return True
    lower = plain.lower()
    return lower in NUMBER_WORDS or (lower.endswith(("st", "nd", "rd", "th")) and lower[:-2].isdigit())
