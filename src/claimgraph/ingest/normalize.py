"""Unicode normalisation: NFC, control characters stripped (newlines kept), odd spaces unified."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["collapse_runs", "normalize_line", "normalize_text"]

# C0 and C1 control characters except "\n" (tabs become spaces first).
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
# Zero-width and invisible format characters that only get in the way of matching.
_INVISIBLE = re.compile(r"[\u00ad\u200b\u2060\ufeff\u180e]")
_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_LINE_SEPARATORS = re.compile(r"\r\n?|[\u2028\u2029\x85\x0b\x0c]")
_RUNS = re.compile(r"[ ]+")
_PLAIN = re.compile(r"[^\x20-\x7e\n]")
"""Anything outside printable ASCII and newlines: only such text needs the full treatment."""
_TO_REPLACE = re.compile(
    r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u00ad\u200b\u2060\ufeff\u180e\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
    r"\u2028\u2029]"
)
"""Every character one of the substitutions below acts on: without any, only NFC can change the text."""


def normalize_text(text: str) -> str:
    """NFC text with ``\\n`` line ends, no control characters and no invisible characters.

    Idempotent: ``normalize_text(normalize_text(t)) == normalize_text(t)``.
    """
    if _PLAIN.search(text) is None:
        return text
    if _TO_REPLACE.search(text) is None:
        if unicodedata.is_normalized("NFC", text):
            return text
        return _CONTROL.sub("", unicodedata.normalize("NFC", text))
    text = _LINE_SEPARATORS.sub("\n", text)
    text = text.replace("\t", " ")
    text = _INVISIBLE.sub("", text)
    text = _SPACES.sub(" ", text)
    text = _CONTROL.sub("", text)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    # NFC never introduces control characters, but it can compose around removed ones: run once more.
    return _CONTROL.sub("", text)


def normalize_line(line: str) -> str:
    """One line with whitespace runs collapsed and the ends stripped."""
    text = normalize_text(line)
    if "\n" in text:
        text = text.replace("\n", " ")
    if "  " in text:
        text = _RUNS.sub(" ", text)
    return text.strip()


_SAME_SYMBOL_RUN = re.compile(r"([^\w\s])\1{3,}")
_SYMBOL_RUN = re.compile(r"[^\w\s]{16,}")
MAX_SYMBOL_RUN = 16


def collapse_runs(text: str) -> str:
    """Runs of punctuation cut short: a repeated mark to three (``!!!!!!`` -> ``!!!``), any other run of
    marks to its first ``MAX_SYMBOL_RUN`` characters.

    spaCy's tokenizer strips prefix and suffix marks one at a time, in time quadratic in the run's
    length (20,000 ``>`` take it most of a minute); such runs carry no words, so they are collapsed
    before any tokenizer sees the text.
    """
    if _SAME_SYMBOL_RUN.search(text) is None and _SYMBOL_RUN.search(text) is None:
        return text
    text = _SAME_SYMBOL_RUN.sub(r"\1\1\1", text)
    return _SYMBOL_RUN.sub(lambda m: m.group()[:MAX_SYMBOL_RUN], text)
