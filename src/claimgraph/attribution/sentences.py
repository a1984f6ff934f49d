"""A cheap rule-based sentence splitter (no parser needed) and the cue test that decides what to parse."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from .. import vocab
from .lexicon import REFUSAL_RE

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

__all__ = [
    "ABBREVIATIONS",
    "doc_text",
    "has_cue",
    "parse_spans",
    "sentence_bounds",
    "sentence_spans",
    "sentence_starts",
    "split_sentences",
    "token_texts",
]

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


def token_texts(doc: Doc) -> tuple[list[str], list[bool]]:
    """The text of every token of ``doc`` and whether whitespace follows it, read from the doc's arrays
    (no per-token ``Token`` objects, which are what make a Python loop over a long doc slow)."""
    from spacy.attrs import ORTH, SPACY

    cached = doc._.cg_tokens if doc.has_extension("cg_tokens") else None
    if cached is not None and len(cached[0]) == len(doc):
        return cached
    strings = doc.vocab.strings
    arr = doc.to_array([ORTH, SPACY]).tolist()
    return [strings[row[0]] for row in arr], [bool(row[1]) for row in arr]


def doc_text(doc: Doc) -> str:
    """``doc.text``, built once per doc: spaCy joins the text of every token (one Python ``Token`` each)
    on every access of ``Doc.text``, which the components would otherwise pay four times per doc. Kept in
    ``doc._.cg_text`` (a plain string)."""
    from spacy.tokens import Doc as SpacyDoc

    if not SpacyDoc.has_extension("cg_text"):
        SpacyDoc.set_extension("cg_text", default=None)
    text = doc._.cg_text
    if text is None:
        texts, spaces = token_texts(doc)
        text = doc._.cg_text = "".join([t + " " if sp else t for t, sp in zip(texts, spaces, strict=True)])
    return str(text)


def sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """``(start, end)`` token bounds of the sentences of ``doc``, as ``doc.sents`` gives them, read from the
    ``SENT_START`` array (``doc.sents`` makes a Python ``Token`` of every token); kept in ``doc._.cg_sents``."""
    from spacy.tokens import Doc as SpacyDoc

    if not SpacyDoc.has_extension("cg_sents"):
        SpacyDoc.set_extension("cg_sents", default=None)
    cached = doc._.cg_sents
    if cached is not None:
        return [(int(a), int(b)) for a, b in cached]
    n = len(doc)
    if n == 0:
        return []
    if not doc.has_annotation("SENT_START"):
        bounds = [(s.start, s.end) for s in doc.sents]  # raises as doc.sents does
    else:
        from spacy.attrs import SENT_START

        flags = doc.to_array([SENT_START]).tolist()
        starts = [0] + [i for i in range(1, n) if flags[i] == 1]
        bounds = list(zip(starts, [*starts[1:], n], strict=True))
    doc._.cg_sents = bounds
    return list(bounds)


def sentence_spans(doc: Doc) -> list[Span]:
    """The sentences of ``doc`` as spans (what ``list(doc.sents)`` gives, without a pass over its tokens)."""
    return [doc[a:b] for a, b in sentence_bounds(doc)]


def split_sentences(doc: Doc) -> None:
    """Set ``token.is_sent_start`` on ``doc``: after ``. ! ?`` (and closing quotes/brackets) when the next
    word does not start lower-case, never after a known abbreviation, and always at line breaks."""
    n = len(doc)
    if n == 0 or doc.has_annotation("DEP"):
        return  # a parser already set the sentences
    import numpy
    from spacy.attrs import SENT_START

    texts, spaces = token_texts(doc)
    if doc.has_extension("cg_tokens"):
        doc._.cg_tokens = (texts, spaces)  # read again by the cue parser, which then drops them
    starts = sentence_starts(texts, spaces)
    # one array write: setting ``token.is_sent_start`` one token at a time re-scans the doc each time
    values: Any = numpy.where(numpy.asarray(starts, dtype=bool), 1, -1).astype("int64").astype("uint64")
    doc.from_array([SENT_START], values)
    if doc.has_extension("cg_sents"):
        doc._.cg_sents = None  # computed again from the new starts


def sentence_starts(texts: list[str], spaces: list[bool]) -> list[bool]:
    """Per token (given by its text and whether whitespace follows it): does a sentence start here?"""
    n = len(texts)
    starts = [False] * n
    if not n:
        return starts
    starts[0] = True
    i = 0
    while i < n:
        text = texts[i]
        if "\n" in text and text.isspace():
            if i + 1 < n:
                starts[i + 1] = True
            i += 1
            continue
        if text in _END or (len(text) > 1 and text[-1] in _END and text[0] in _END):
            prev = texts[i - 1].lower().rstrip(".") if i > 0 else ""
            if text == "." and prev in ABBREVIATIONS:
                i += 1
                continue
            j = i + 1
            while j < n and texts[j] in _CLOSE and not spaces[j - 1]:
                j += 1
            while j < n and texts[j].isspace():
                j += 1
            if j < n and not texts[j][0].islower():
                starts[j] = True
            i = j
            continue
        i += 1
    return starts


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


#: Bits of :func:`_word_flags`.
_CUE, _NOUN, _THAT = 1, 2, 4
#: Word hash (``ORTH``) -> bits (the vocabulary is fixed for the process).
_FLAGS: dict[int, int] = {}


def _word_flags(word: str) -> int:
    """``_CUE`` for a cue form or a token with a quotation mark, ``_NOUN`` for a cue noun, ``_THAT``.

    A capitalised cue form counts too (``Islamic State``, ``Drudge Report`` make a sentence parsed):
    on PolNeAR dev, skipping capitalised forms not opening a sentence lost recall (0.849 -> 0.847)."""
    low = word.lower()
    if low in _cue_forms() or not _QUOTE_CHARS.isdisjoint(word):
        return _CUE
    return (_NOUN if low in _noun_forms() else 0) | (_THAT if low == "that" else 0)


def _cue_in(orths: list[int], strings: object) -> bool:
    """True if the tokens (``ORTH`` hashes) hold a cue form or a quotation mark, or a cue noun and ``that``."""
    seen = 0
    table = _FLAGS
    for h in orths:
        f = table.get(h)
        if f is None:
            f = table[h] = _word_flags(strings[h])  # type: ignore[index]
        if f & _CUE:
            return True
        seen |= f
    return seen & (_NOUN | _THAT) == _NOUN | _THAT


def _cue_text(text: str) -> bool:
    return text.rstrip().endswith(":") or bool(REFUSAL_RE.search(text))


def has_cue(sent: Span) -> bool:
    """True if the sentence may carry attribution: a quotation mark, a form of a cue word, a cue noun with
    a ``that`` in the sentence (``his claim that …``) or a refusal."""
    return _cue_in([t.orth for t in sent], sent.doc.vocab.strings) or _cue_text(sent.text)


def parse_spans(doc: Doc) -> list[tuple[int, int]]:
    """``(start, end)`` token bounds of the sentences of ``doc`` worth parsing: those that pass
    :func:`has_cue`, and a short sentence right after a closing quotation mark, which may be its
    attribution (``Hannity pressed.``). Reads the doc's arrays, not its tokens."""
    from spacy.attrs import ORTH

    orths = doc.to_array([ORTH]).tolist()
    strings = doc.vocab.strings
    text = doc_text(doc)
    out: list[tuple[int, int]] = []
    after_quote = False
    for sent in sentence_spans(doc):
        start, end = sent.start, sent.end
        sent_text = text[sent.start_char : sent.end_char]
        short_tag = after_quote and end - start <= 6
        after_quote = sent_text.rstrip().endswith(("”", '"'))
        if end - start > 1 and (short_tag or _cue_in(orths[start:end], strings) or _cue_text(sent_text)):
            out.append((start, end))
    return out
