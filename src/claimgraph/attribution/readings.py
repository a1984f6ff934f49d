"""Two readings of a statement's dependency parse that the claims stage needs, made where the text is parsed.

* ``calls_unfounded``: the statement says of a claim, as its subject, that it is unfounded ("these reports
  remain unproven", "such claims lack evidence"): a claim noun (``vocab/data/reference.jsonl``
  ``CLAIM_REFERENCE``) as the subject of a copula or verb of absence whose complement judges its footing
  (``vocab/data/verdict_dependency.jsonl``, a spaCy ``DependencyMatcher``), not negated ("the story is not
  hypothetical" is no such judgement).
* ``negated_event``: the words naming what a negated statement denies, each token's text and lemma ("none had
  been discharged" -> ``discharged``, ``discharge``; "no waste had been dumped" -> ``waste``, ``dumped``,
  ``dump``): the head of each negation (``neg`` dependency, or a negator of ``verdict.jsonl`` as the
  subject/object or determiner) with the noun it quantifies. The claims stage compares them with what a
  claim's origin told (:func:`claimgraph.claims.attach_rules.told_event`).

Attribution reads them in the ``claimgraph_statements`` component from the parse it already has (the cue
parser's arcs, lemmas and tags of the statement's sentence: :class:`Reader`), so the claims stage never loads
spaCy for them; only a statement whose sentence was not parsed and that passes the cheap word test is parsed
alone. They are read only where the claims stage can ask: ``calls_unfounded`` for every statement (``False``
without a verdict word and a claim noun), ``negated_event`` for quoted speech (``direct``/``indirect``; an
empty list without a negator). A statement without them (``None``: stored by an older claimgraph, or built
by hand) is parsed by the claims stage, lazily (:mod:`claimgraph.claims.attach_rules`).
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = [
    "NEGATED_EVENT_MODES",
    "Reader",
    "calls_unfounded_in",
    "may_call_unfounded",
    "may_negate",
    "negated_event_words",
    "reader",
    "title_reading",
]

#: Statement modes whose ``negated_event`` is read (the claims stage asks it of quoted speakers only).
NEGATED_EVENT_MODES = frozenset(("direct", "indirect"))
#: Dependencies through which a negator word names what is negated ("none had been discharged", "it saw nothing").
_ARGUMENT_DEPS = frozenset(("nsubj", "nsubjpass", "dobj", "attr", "pobj"))
#: Dependencies of a quantified noun that make its verb part of the negated event ("no waste had been discharged").
_NOUN_DEPS = frozenset(("nsubj", "nsubjpass", "dobj"))
#: The model's components that tag, parse and lemmatise, in pipeline order (a text parsed alone).
PARSE_PIPES = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")


def _normalise(text: str) -> str:
    from ..claims.text import normalise

    return normalise(text)


@cache
def _negators() -> frozenset[str]:
    from .. import vocab

    return vocab.words("verdict", "NEGATOR")


@cache
def _unfounded_words() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(a verdict word, a claim noun) as plain-text regexes: a statement needs both before it is parsed."""
    from .. import vocab

    verdict = vocab.words("verdict", "UNFOUNDED") | vocab.words("verdict", "EVIDENCE_NOUN")
    nouns = vocab.words("reference", "CLAIM_REFERENCE")
    return (
        re.compile(r"\b(?:" + "|".join(re.escape(w) for w in sorted(verdict)) + r")\b"),
        re.compile(r"\b(?:" + "|".join(re.escape(w) for w in sorted(nouns)) + r")\b"),
    )


def may_call_unfounded(text: str) -> bool:
    """The word test before ``calls_unfounded`` needs a parse: a verdict word and a claim noun."""
    verdict, noun = _unfounded_words()
    lowered = _normalise(text)
    return bool(verdict.search(lowered) and noun.search(lowered))


def may_negate(text: str) -> bool:
    """The word test before ``negated_event`` needs a parse: a negator word or ``n't``."""
    negators = _negators()
    lowered = _normalise(text)
    return "n't" in lowered or any(w in negators for w in re.findall(r"[a-z]+(?:-[a-z]+)?", lowered))


def _negator(word: str) -> bool:
    """A negator token ("not", "none", "n't", "n’t")."""
    lower = word.lower().replace("\u2019", "'")
    return lower in _negators() or lower.endswith("n't")


def calls_unfounded_in(doc: Doc, matcher: Any) -> bool:
    """Whether parsed ``doc`` calls a claim unfounded (``matcher``: the ``verdict_dependency`` patterns)."""
    for _label, token_ids in matcher(doc):
        head = doc[token_ids[0]]
        if not any(child.dep_ == "neg" for child in head.children):
            return True
    return False


def negated_event_words(doc: Doc) -> list[str]:
    """The text and lemma of each token naming what a negation of parsed ``doc`` negates, first seen first."""
    negators = _negators()
    found: list[Any] = []
    for tok in doc:
        lower = tok.lower_.replace("\u2019", "'")  # "n’t" is "n't"
        if tok.dep_ == "neg":
            found.append(tok.head)
            found.extend(c for c in tok.head.children if c.dep_ in ("dobj", "nsubjpass") and c.pos_ == "NOUN")
        elif lower in negators and tok.dep_ in _ARGUMENT_DEPS:
            found.append(tok.head)  # "none had been discharged", "they found nothing"
        elif lower in negators and tok.dep_ == "det":
            found.append(tok.head)  # "no waste ..."
            if tok.head.dep_ in _NOUN_DEPS:
                found.append(tok.head.head)  # "... had been discharged"
    words: dict[str, None] = {}
    for tok in found:
        if tok.pos_ in ("VERB", "NOUN", "ADJ", "PROPN"):
            words.setdefault(tok.text)
            words.setdefault(tok.lemma_)
    return list(words)


def parse_pipes(nlp: Language) -> tuple[Any, ...]:
    """The components of ``nlp`` (enabled or not) that tag, parse and lemmatise a text parsed alone."""
    names = [p for p, _ in nlp.components]
    return tuple(nlp.get_pipe(p) for p in PARSE_PIPES if p in names)


class Reader:
    """Reads both readings of spans of docs annotated by the attribution pipeline ``nlp``."""

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp
        self._matcher: Any = None
        self._pipes: tuple[Any, ...] | None = None
        self._pos_pipes: tuple[Any, ...] | None = None

    def matcher(self) -> Any:
        if self._matcher is None:
            from .. import vocab

            self._matcher = vocab.dependency_matcher(self.nlp.vocab, "verdict_dependency")
        return self._matcher

    def parse_alone(self, text: str) -> Doc:
        """``text`` parsed on its own by the model's tagger, parser and lemmatizer."""
        if self._pipes is None:
            self._pipes = parse_pipes(self.nlp)
        doc = self.nlp.make_doc(text)
        for pipe in self._pipes:
            doc = pipe(doc)
        return doc

    def _tag_pipes(self) -> tuple[Any, ...]:
        """The model's attribute ruler and lemmatizer (POS and lemmas from the tags, as a text parsed alone gets)."""
        if self._pos_pipes is None:
            names = [p for p, _ in self.nlp.components]
            self._pos_pipes = tuple(
                self.nlp.get_pipe(p) for p in ("attribute_ruler", "lemmatizer") if p in names
            )
        return self._pos_pipes

    def span_doc(
        self, doc: Doc, start: int, end: int, rows: Any = None, *, full_tags: bool = True
    ) -> Doc | None:
        """The tokens of ``doc`` inside characters ``[start, end)`` as a parsed Doc of their own, with the tags
        and arcs the cue parser gave them (``doc._.cg_parse``; an arc leaving the span makes its token a root).
        POS and lemmas: with ``full_tags``, from the model's attribute ruler and lemmatizer (as a text parsed
        alone gets them: the verdict patterns read the copula's lemma); else the cue parser's (its tag map and
        lemmatizer: enough for the negated event, and no Matcher run). ``None`` when a token of the span was
        not parsed (its sentence carried no cue); for the negated event (not ``full_tags``) only an unparsed
        negator counts (a negation's event is in its own sentence), other unparsed tokens become roots of
        their own. ``rows``: ``doc``'s :func:`token_rows`."""
        import numpy
        from spacy.attrs import NORM
        from spacy.tokens import Doc as SpacyDoc

        arcs = doc._.cg_parse
        if not arcs:
            return None
        rows = rows if rows is not None else token_rows(doc)
        lo = int(numpy.searchsorted(rows[:, 0], start, side="left"))
        hi = max(lo, int(numpy.searchsorted(rows[:, 6], end, side="right")))  # token ends increase
        strings = doc.vocab.strings
        if hi == lo:
            return None
        unparsed = [i for i in range(lo, hi) if arcs[i] is None]
        if unparsed and (full_tags or any(_negator(strings[int(rows[i, 1])]) for i in unparsed)):
            return None  # a negation is read in its own sentence: one without a parse needs the text parsed
        heads: list[int] = []
        deps: list[str] = []
        for i in range(lo, hi):
            head, dep = arcs[i] if arcs[i] is not None else (i, "dep")
            inside = lo <= head < hi and head != i
            heads.append(head - lo if inside else i - lo)
            deps.append(dep if inside else ("ROOT" if arcs[i] is not None else "dep"))
        part = rows[lo:hi].tolist()
        extra: dict[str, Any] = {}
        if not full_tags:
            extra = {
                "pos": [strings[row[5]] or "X" for row in part],
                "lemmas": [strings[row[7]] for row in part],
            }
        span = SpacyDoc(
            doc.vocab,
            words=[strings[row[1]] for row in part],
            spaces=[bool(row[2]) for row in part[:-1]] + [False],
            tags=[strings[row[4]] for row in part],
            heads=heads,
            deps=deps,
            **extra,
        )
        if full_tags:
            # the tokenizer's norms ("n’t" -> "not"), which a Doc built from words lacks
            norms: Any = numpy.ascontiguousarray(rows[lo:hi, 3:4])
            span.from_array([NORM], norms)
            for pipe in self._tag_pipes():
                span = pipe(span)
        return span

    def read(
        self, doc: Doc, start: int, end: int, text: str, *, negation: bool, rows: Any = None
    ) -> dict[str, Any]:
        """``{"calls_unfounded": bool}`` and, when ``negation``, ``"negated_event": [words]`` of the statement
        ``text`` at characters ``[start, end)`` of ``doc`` (``rows``: as for :meth:`span_doc`)."""
        unfounded = may_call_unfounded(text)
        negated = negation and may_negate(text)
        return self._read(doc, start, end, text, unfounded, negation, negated, rows)

    def _read(
        self,
        doc: Doc,
        start: int,
        end: int,
        text: str,
        unfounded: bool,
        negation: bool,
        negated: bool,
        rows: Any,
    ) -> dict[str, Any]:
        out: dict[str, Any] = {"calls_unfounded": False}
        if negation:
            out["negated_event"] = []
        if not unfounded and not negated:
            return out
        parsed = self.span_doc(doc, start, end, rows, full_tags=unfounded) or self.parse_alone(text)
        if unfounded:
            out["calls_unfounded"] = calls_unfounded_in(parsed, self.matcher())
        if negated:
            out["negated_event"] = negated_event_words(parsed)
        return out

    def read_records(self, doc: Doc, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """``records`` (the ``claimgraph_statements`` dicts of ``doc``) with both readings added."""
        rows: Any = None
        for rec in records:
            text = rec["text"]
            negation = rec["mode"] in NEGATED_EVENT_MODES
            unfounded = may_call_unfounded(text)
            negated = negation and may_negate(text)
            if rows is None and (unfounded or negated):
                rows = token_rows(doc)
            rec.update(self._read(doc, rec["start"], rec["end"], text, unfounded, negation, negated, rows))
        return records


@cache
def reader(nlp: Language) -> Reader:
    """The :class:`Reader` of pipeline ``nlp`` (one per pipeline and process)."""
    return Reader(nlp)


def title_reading(nlp: Language, doc: Doc) -> bool:
    """``calls_unfounded`` of a title annotated by ``nlp`` (its statement is the title without the white
    space around it; a headline is the outlet's own words, so no ``negated_event``)."""
    text = doc.text
    start = len(text) - len(text.lstrip())
    end = len(text.rstrip())
    return bool(reader(nlp).read(doc, start, end, text[start:end], negation=False)["calls_unfounded"])


def token_rows(doc: Doc) -> Any:
    """Per token of ``doc`` (one array read, no Token objects): ``IDX, ORTH, SPACY, NORM, TAG, POS``, the
    token's end character and ``LEMMA``, as an int64 array."""
    from spacy.attrs import IDX, LEMMA, LENGTH, NORM, ORTH, POS, SPACY, TAG

    arr = doc.to_array([IDX, ORTH, SPACY, NORM, TAG, POS, LENGTH, LEMMA])
    arr[:, 6] += arr[:, 0]
    return arr
