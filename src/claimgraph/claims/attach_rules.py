"""Parse-based attachment rules: what a statement says *about* a claim when its words do not match the claim.

Two readings that need a dependency parse (spaCy, the model attribution uses; loaded only when a statement
passes the cheap word pre-filter, and each text is parsed once per process):

* :func:`calls_claim_unfounded`: a sentence whose subject is a claim noun ("the story", "these reports",
  "such claims") and whose predicate judges its footing ("is hypothetical", "remains unproven", "seems
  speculative", "lacks evidence"). The patterns are data: ``vocab/data/verdict_dependency.jsonl``
  (``DependencyMatcher``), their words ``vocab/data/verdict.jsonl`` and ``reference.jsonl``. A bare
  adjective ("a hypothetical case") or a claim noun with another predicate ("the story of the town's
  founding is well known") is not such a judgement, and neither is a negated one ("the story is not
  hypothetical").
* :func:`negated_event`: the event a negated sentence denies ("none had been discharged" -> *discharge*; "no
  waste had been discharged" -> *waste*, *discharge*; "the army had not struck any village" -> *strike*,
  *village*): the head of each negation (``neg`` dependency, or a negator of ``verdict.jsonl`` as the
  subject/object or determiner), with the noun it quantifies, as the claims stage's matching tokens
  (:func:`claimgraph.claims.text.content_tokens` of word and lemma). An accused party's negated sentence
  denies a claim when this event is one the claim's origin told (see ``_accused_denials`` in
  :mod:`claimgraph.claims.stage`).
"""

from __future__ import annotations

import re
import threading
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from .text import content_tokens, normalise

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from spacy.tokens import Doc

    from ..model import Claim, Statement

__all__ = ["calls_claim_unfounded", "display_text", "negated_event", "origin_accounts", "told_event"]

#: A paragraph break in a document's text (a blank line).
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n")


def display_text(text: str) -> str:
    """A claim's wording from its representative statement's text: up to the first paragraph break.

    A quotation continued in the next paragraph is one statement (attribution keeps it whole, so the
    statement's text and offsets stay the speaker's words), but a claim is one proposition: its display text
    is the first paragraph's part. Text without a paragraph break, or with nothing before one, is kept."""
    found = _PARAGRAPH_BREAK.search(text)
    if found is None:
        return text
    head = text[: found.start()].rstrip()
    return head if content_tokens(head) else text


#: Dependencies through which a negator word names what is negated ("none had been discharged", "it saw nothing").
_ARGUMENT_DEPS = frozenset(("nsubj", "nsubjpass", "dobj", "attr", "pobj"))
#: Dependencies of a quantified noun that make its verb part of the negated event ("no waste had been discharged").
_NOUN_DEPS = frozenset(("nsubj", "nsubjpass", "dobj"))

_LOCK = threading.Lock()


#: The model's components that tag, parse and lemmatise, in pipeline order.
_PARSE_PIPES = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")


@cache
def _nlp() -> tuple[Any, tuple[Any, ...]]:
    """(language, components to run): the attribution pipeline's own (loaded, disabled there) tagger, parser
    and lemmatizer when attribution ran in this process, so no second copy of the model is loaded; else the
    full model (:func:`claimgraph.attribution.nlp.load_model`)."""
    from ..attribution import nlp as attribution_nlp

    name = attribution_nlp.default_model_name()
    pipeline = attribution_nlp.loaded_pipeline(name)
    if pipeline is None:
        model = attribution_nlp.load_model(name)
        return model, tuple(model.get_pipe(p) for p in model.pipe_names if p != "ner")
    names = [p for p, _ in pipeline.components]
    return pipeline, tuple(pipeline.get_pipe(p) for p in _PARSE_PIPES if p in names)


@cache
def _matcher() -> Any:
    from .. import vocab

    return vocab.dependency_matcher(_nlp()[0].vocab, "verdict_dependency")


@lru_cache(maxsize=256)  # small: a Doc is heavy, and both callers keep their own (tiny) results per text
def _parse(text: str) -> Doc:
    nlp, pipes = _nlp()
    with _LOCK:
        doc = nlp.make_doc(text)
        for pipe in pipes:
            doc = pipe(doc)
        return doc


@cache
def _prefilter() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(a verdict word, a claim noun) as plain-text regexes: a statement needs both before it is parsed."""
    from .. import vocab

    verdict = vocab.words("verdict", "UNFOUNDED") | vocab.words("verdict", "EVIDENCE_NOUN")
    nouns = vocab.words("reference", "CLAIM_REFERENCE")
    return (
        re.compile(r"\b(?:" + "|".join(re.escape(w) for w in sorted(verdict)) + r")\b"),
        re.compile(r"\b(?:" + "|".join(re.escape(w) for w in sorted(nouns)) + r")\b"),
    )


@lru_cache(maxsize=1 << 16)
def calls_claim_unfounded(text: str) -> bool:
    """Whether ``text`` says of a claim, as its subject, that it is unfounded (module docstring)."""
    verdict, noun = _prefilter()
    lowered = normalise(text)
    if not verdict.search(lowered) or not noun.search(lowered):
        return False
    doc = _parse(text)
    for _label, token_ids in _matcher()(doc):
        head = doc[token_ids[0]]
        if not any(child.dep_ == "neg" for child in head.children):
            return True
    return False


@cache
def _negators() -> frozenset[str]:
    from .. import vocab

    return vocab.words("verdict", "NEGATOR")


def _event_tokens(doc: Doc) -> list[Any]:
    """The tokens naming what each negation of ``doc`` negates (module docstring)."""
    negators = _negators()
    out: list[Any] = []
    for tok in doc:
        if tok.dep_ == "neg":
            out.append(tok.head)
            out.extend(c for c in tok.head.children if c.dep_ in ("dobj", "nsubjpass") and c.pos_ == "NOUN")
        elif tok.lower_ in negators and tok.dep_ in _ARGUMENT_DEPS:
            out.append(tok.head)  # "none had been discharged", "they found nothing"
        elif tok.lower_ in negators and tok.dep_ == "det":
            out.append(tok.head)  # "no waste ..."
            if tok.head.dep_ in _NOUN_DEPS:
                out.append(tok.head.head)  # "... had been discharged"
    return [t for t in out if t.pos_ in ("VERB", "NOUN", "ADJ", "PROPN")]


@lru_cache(maxsize=1 << 14)
def negated_event(text: str) -> frozenset[str]:
    """Matching tokens of what ``text`` negates (empty when it has no negation), see the module docstring."""
    negators = _negators()
    lowered = normalise(text)
    if "n't" not in lowered and not any(w in negators for w in re.findall(r"[a-z]+(?:-[a-z]+)?", lowered)):
        return frozenset()
    doc = _parse(text)
    out: set[str] = set()
    for tok in _event_tokens(doc):
        out.update(content_tokens(f"{tok.text} {tok.lemma_}"))
    return frozenset(out)


def origin_accounts(
    claims: Sequence[Claim],
    statements: Sequence[Statement],
    claim_of: dict[str, Claim],
    group_of: Callable[[str], str],
    topic_of: Callable[[Statement], set[str]],
) -> dict[str, tuple[set[str], set[str]]]:
    """Each claim's origin account: (its origin's source groups, the topic words of what they said).

    A claim's origins are the source groups (:func:`claimgraph.identity.source_groups`) of the statements
    worded as the claim (its representative wording). Their account is everything they said in the documents
    where they state the claim: the claim's own statements and their sentences that joined no claim (details
    the matcher did not score as the same proposition: "barrels of it have since been emptied into the river").
    Their sentences that belong to *another* claim are not part of this one's account."""
    by_id = {st.id: st for st in statements}
    origins: dict[str, set[str]] = {}
    docs: dict[tuple[str, str], list[str]] = {}
    for claim in claims:
        groups = {
            group_of(by_id[sid].source_id)
            for sid in claim.statement_ids
            if display_text(by_id[sid].text) == claim.text
        }
        origins[claim.id] = groups
        for sid in claim.statement_ids:
            st = by_id[sid]
            if group_of(st.source_id) in groups:
                docs.setdefault((st.document_id, group_of(st.source_id)), []).append(claim.id)
    words: dict[str, set[str]] = {claim.id: set() for claim in claims}
    for st in statements:
        told_in = docs.get((st.document_id, group_of(st.source_id)))
        if not told_in:
            continue
        own = claim_of.get(st.id)
        for cid in dict.fromkeys(told_in):
            if own is None or own.id == cid:
                words[cid] |= topic_of(st)
    return {cid: (origins[cid], words[cid]) for cid in origins}


def told_event(
    statement: Statement,
    candidates: Sequence[Claim],
    accounts: dict[str, tuple[set[str], set[str]]],
    group_of: Callable[[str], str],
) -> list[tuple[int, Claim]]:
    """(shared words, claim) for each candidate claim whose origin account tells the event ``statement``
    negates (:func:`negated_event`); never a claim the statement's own speaker originated."""
    event = negated_event(statement.text)
    if not event:
        return []
    speaker = group_of(statement.source_id)
    out: list[tuple[int, Claim]] = []
    for claim in candidates:
        origins, words = accounts.get(claim.id, (set(), set()))
        if speaker not in origins and (shared := len(event & words)):
            out.append((shared, claim))
    return out
