"""Parse-based attachment rules: what a statement says *about* a claim when its words do not match the claim.

Two readings of a statement's dependency parse (defined in :mod:`claimgraph.attribution.readings`):

* :func:`unfounded`: a sentence whose subject is a claim noun ("the story", "these reports",
  "such claims") and whose predicate judges its footing ("is hypothetical", "remains unproven", "seems
  speculative", "lacks evidence"). The patterns are data: ``vocab/data/verdict_dependency.jsonl``
  (``DependencyMatcher``), their words ``vocab/data/verdict.jsonl`` and ``reference.jsonl``. A bare
  adjective ("a hypothetical case") or a claim noun with another predicate ("the story of the town's
  founding is well known") is not such a judgement, and neither is a negated one ("the story is not
  hypothetical").
* :func:`statement_negated_event`: the event a negated sentence denies ("none had been discharged" ->
  *discharge*; "no waste had been discharged" -> *waste*, *discharge*; "the army had not struck any village"
  -> *strike*, *village*): the head of each negation (``neg`` dependency, or a negator of ``verdict.jsonl``
  as the subject/object or determiner), with the noun it quantifies, as the claims stage's matching tokens
  (:func:`claimgraph.claims.text.content_tokens` of word and lemma). An accused party's negated sentence
  denies a claim when this event is one the claim's origin told (see ``_accused_denials`` in
  :mod:`claimgraph.claims.stage`).

Attribution reads both from the parse it already has and stores them on the statement
(``Statement.calls_unfounded``, ``Statement.negated_event``), so the claims stage loads no spaCy model for
them. A statement without them (``None``: an older store, a statement built by hand) is parsed here, lazily:
with the attribution pipeline's own tagger, parser and lemmatizer when attribution ran in this process, else
the model (loaded only when a statement passes the word test; each text is parsed once per process).
"""

from __future__ import annotations

import re
import threading
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from .text import content_tokens

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from spacy.tokens import Doc

    from ..model import Claim, Statement

__all__ = [
    "OriginAccounts",
    "calls_claim_unfounded",
    "display_text",
    "negated_event",
    "statement_negated_event",
    "told_event",
    "unfounded",
    "worded_as",
]

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


def worded_as(text: str, claim_text: str) -> bool:
    """Whether a statement's ``text`` is worded as a claim's (``display_text(text) == claim_text``). The display
    text is ``text`` or a prefix of it, so a text that does not start with the claim's wording is not worded as
    it (no search for a paragraph break: most statements a pass asks are not)."""
    return text.startswith(claim_text) and display_text(text) == claim_text


_LOCK = threading.Lock()


@cache
def _nlp() -> tuple[Any, tuple[Any, ...]]:
    """(language, components to run): the attribution pipeline's own (loaded, disabled there) tagger, parser
    and lemmatizer when attribution ran in this process, so no second copy of the model is loaded; else the
    full model (:func:`claimgraph.attribution.nlp.load_model`)."""
    from ..attribution import nlp as attribution_nlp
    from ..attribution.readings import parse_pipes

    name = attribution_nlp.default_model_name()
    pipeline = attribution_nlp.loaded_pipeline(name)
    if pipeline is None:
        model = attribution_nlp.load_model(name)
        return model, tuple(model.get_pipe(p) for p in model.pipe_names if p != "ner")
    return pipeline, parse_pipes(pipeline)


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


@lru_cache(maxsize=1 << 16)
def calls_claim_unfounded(text: str) -> bool:
    """Whether ``text`` says of a claim, as its subject, that it is unfounded (module docstring), parsed here."""
    from ..attribution.readings import calls_unfounded_in, may_call_unfounded

    if not may_call_unfounded(text):
        return False
    return calls_unfounded_in(_parse(text), _matcher())


def unfounded(statement: Statement) -> bool:
    """:func:`calls_claim_unfounded` of ``statement``: attribution's reading when it carries one."""
    if statement.calls_unfounded is not None:
        return statement.calls_unfounded
    return calls_claim_unfounded(statement.text)


@lru_cache(maxsize=1 << 14)
def negated_event_words(text: str) -> tuple[str, ...]:
    """The words (text and lemma) naming what ``text`` negates, parsed here (empty without a negation)."""
    from ..attribution.readings import may_negate
    from ..attribution.readings import negated_event_words as words_of

    if not may_negate(text):
        return ()
    return tuple(words_of(_parse(text)))


@lru_cache(maxsize=1 << 14)
def _event_tokens(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(content_tokens(" ".join(words)))


def negated_event(text: str) -> frozenset[str]:
    """Matching tokens of what ``text`` negates (empty when it has no negation), see the module docstring."""
    return _event_tokens(negated_event_words(text))


def statement_negated_event(statement: Statement) -> frozenset[str]:
    """:func:`negated_event` of ``statement``: from attribution's reading when it carries one."""
    if statement.negated_event is not None:
        return _event_tokens(tuple(statement.negated_event))
    return negated_event(statement.text)


class OriginAccounts:
    """Each claim's origin account, made when first asked: ``accounts.get(claim id, default)`` is (its origin's
    source groups, the topic words of what they said).

    A claim's origins are the source groups (:func:`claimgraph.identity.source_groups`) of the statements
    worded as the claim (its representative wording). Their account is everything they said in the documents
    where they state the claim: the claim's own statements and their sentences that joined no claim (details
    the matcher did not score as the same proposition: "barrels of it have since been emptied into the river").
    Their sentences that belong to *another* claim are not part of this one's account. The accused-party
    denials ask for the accounts of the few claims a contradicting statement is accused in, not of every claim
    of the workspace.

    The claims, their statements and ``claim_of`` must not change between the first and the last question."""

    def __init__(
        self,
        claims: Sequence[Claim],
        statements: Sequence[Statement],
        claim_of: dict[str, Claim],
        group_of: Callable[[str], str],
        topic_of: Callable[[Statement], set[str]],
        by_id: dict[str, Statement] | None = None,
        in_doc: dict[str, list[Statement]] | None = None,
    ) -> None:
        """``by_id`` and ``in_doc``: ``statements`` by id, and by document in their order, when the caller has
        them (the claims stage's run and attachment index); made on the first question otherwise."""
        self.claims = claims
        self.statements = statements
        self.claim_of = claim_of
        self.group_of = group_of
        self.topic_of = topic_of
        self._claims: dict[str, Claim] | None = None
        self._by_id: dict[str, Statement] | None = by_id
        self._in_doc: dict[str, list[Statement]] | None = in_doc
        self._done: dict[str, tuple[set[str], set[str]]] = {}

    def get(self, claim_id: str, default: tuple[set[str], set[str]]) -> tuple[set[str], set[str]]:
        found = self._done.get(claim_id)
        if found is None:
            if self._claims is None:
                self._claims = {claim.id: claim for claim in self.claims}
            claim = self._claims.get(claim_id)
            if claim is None:
                return default
            found = self._done[claim_id] = self._account(claim)
        return found

    def _account(self, claim: Claim) -> tuple[set[str], set[str]]:
        if self._by_id is None:
            self._by_id = {st.id: st for st in self.statements}
        if self._in_doc is None:
            in_doc: dict[str, list[Statement]] = {}
            for st in self.statements:
                in_doc.setdefault(st.document_id, []).append(st)
            self._in_doc = in_doc
        by_id, group_of = self._by_id, self.group_of
        groups = {
            group_of(by_id[sid].source_id)
            for sid in claim.statement_ids
            if worded_as(by_id[sid].text, claim.text)
        }
        # the (document, source group) pairs where an origin of the claim states it
        told = {
            (st.document_id, group)
            for st in (by_id[sid] for sid in claim.statement_ids)
            if (group := group_of(st.source_id)) in groups
        }
        words: set[str] = set()
        for doc_id in sorted({doc_id for doc_id, _ in told}):
            for st in self._in_doc.get(doc_id, ()):
                if (doc_id, group_of(st.source_id)) in told:
                    own = self.claim_of.get(st.id)
                    if own is None or own.id == claim.id:
                        words |= self.topic_of(st)
        return groups, words


def told_event(
    statement: Statement,
    candidates: Sequence[Claim],
    accounts: OriginAccounts,
    group_of: Callable[[str], str],
) -> list[tuple[int, Claim]]:
    """(shared words, claim) for each candidate claim whose origin account tells the event ``statement``
    negates (:func:`statement_negated_event`); never a claim the statement's own speaker originated."""
    event = statement_negated_event(statement)
    if not event:
        return []
    speaker = group_of(statement.source_id)
    out: list[tuple[int, Claim]] = []
    for claim in candidates:
        origins, words = accounts.get(claim.id, (set(), set()))
        if speaker not in origins and (shared := len(event & words)):
            out.append((shared, claim))
    return out
