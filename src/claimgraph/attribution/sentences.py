"""A cheap rule-based sentence splitter (no parser needed) and the cue test that decides what to parse."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from .. import vocab
from .lexicon import REFUSAL_RE

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

__all__ = ["ABBREVIATIONS", "has_cue", "split_sentences"]

#: Tokens after which a full stop does not end a sentence (spaCy splits ``Maj.`` into ``Maj`` + ``.``).
ABBREVIATIONS: frozenset[str] = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "gen",
        "maj",
        "col",
        "lt",
        "capt",
        "sgt",
        "cpl",
        "adm",
        "cmdr",
        "brig",
        "gov",
        "sen",
        "rep",
        "st",
        "rev",
        "hon",
        "pvt",
        "jr",
        "sr",
        "inc",
        "co",
        "corp",
        "ltd",
        "no",
        "vs",
        "etc",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "fig",
        "approx",
    ]
)

_END = frozenset(".!?")
_CLOSE = frozenset("\"”’')»]")
_REFUSAL_WORDS = frozenset(["declined", "declines", "refused", "refuses", "citing"])


def split_sentences(doc: Doc) -> None:
    """Set ``token.is_sent_start`` on ``doc``: after ``. ! ?`` (and closing quotes/brackets) when the next
    word does not start lower-case, never after a known abbreviation, and always at line breaks."""
    n = len(doc)
    if n == 0 or doc.has_annotation("DEP"):
        return  # a parser already set the sentences
    starts = [False] * n
    starts[0] = True
    i = 0
    while i < n:
        tok = doc[i]
        text = tok.text
        if tok.is_space and "\n" in text:
            if i + 1 < n:
                starts[i + 1] = True
            i += 1
            continue
        if text in _END or (len(text) > 1 and text[-1] in _END and text[0] in _END):
            prev = doc[i - 1].text.lower().rstrip(".") if i > 0 else ""
            if text == "." and prev in ABBREVIATIONS:
                i += 1
                continue
            j = i + 1
            while j < n and doc[j].text in _CLOSE and not doc[j - 1].whitespace_:
                j += 1
            while j < n and doc[j].is_space:
                j += 1
            if j < n:
                nxt = doc[j].text
                if not nxt[0].islower():
                    starts[j] = True
            i = j
            continue
        i += 1
    for k, tok in enumerate(doc):
        tok.is_sent_start = starts[k]


_QUOTE_CHARS = frozenset('"“”„«»')


@cache
def _cue_forms() -> frozenset[str]:
    # quote-only cues need a quotation mark, which makes the sentence parsed anyway
    # quote-only cues need a quotation mark; cue nouns a "that" clause (see _noun_forms)
    labels = {str(e["label"]) for e in vocab.load("cue")} - {"QUOTE_ONLY", "NOUN_CUE"}
    forms: set[str] = set()
    for label in sorted(labels):
        forms |= vocab.forms("cue", label)
    return frozenset(forms) | _REFUSAL_WORDS


@cache
def _noun_forms() -> frozenset[str]:
    return vocab.forms("cue", "NOUN_CUE")


def has_cue(sent: Span) -> bool:
    """True if the sentence may carry attribution: a quotation mark, a form of a cue word, a cue noun with
    a ``that`` in the sentence (``his claim that …``) or a refusal."""
    forms = _cue_forms()
    nouns = _noun_forms()
    noun = that = False
    for tok in sent:
        low = tok.lower_
        if low in forms or not _QUOTE_CHARS.isdisjoint(tok.text):
            return True
        noun = noun or low in nouns
        that = that or low == "that"
    if noun and that:
        return True
    text = sent.text
    return text.rstrip().endswith(":") or bool(REFUSAL_RE.search(text))
