"""The ``claimgraph.claims.v1`` stage: statements -> claims, with each statement's stance.

Steps (see ``docs/claims.md``):

1. Statements are ordered earliest first (document date, document id, headline before body, offset),
   so a group's representative is its earliest statement.
2. The configured matcher (``options.claim_matcher``) proposes candidate pairs and scores them;
   :func:`~claimgraph.claims.matching.cluster` groups pairs above ``options.claim_threshold``.
3. A group becomes a claim when it has two or more statements, or one attributed statement (direct or
   indirect) that names an entity. Lone background assertions stay claim-less.
4. Statements that only doubt, deny or refuse (dispute/denial cues, ``declines``) and did not match a
   claim's wording are **attached** to the claim they address: a claim in the same document or
   sharing an entity, scored by similarity + same document + entity overlap + proximity; the
   stance model can veto a cross-document attachment it finds unrelated.
5. Stances come from cue rules and one batched stance-model call (:mod:`claimgraph.claims.stance`).
"""

from __future__ import annotations

import functools
import math
import re
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import compress
from json.encoder import encode_basestring as _quote
from operator import attrgetter, not_
from typing import TYPE_CHECKING, Any

from ..model import Claim, Corpus, Document, Entity, Source, Statement, stable_id
from ..options import Options
from ..pipeline import RunContext, stage
from ..registry import registry
from .actormemo import ACTOR_MEMO_VERSION, ActorMemo
from .actors import DemonymIndex, demonym_matches
from .allegations import allegation_factor, core_of_counts, merge_allegations
from .attach_rules import display_text, unfounded, worded_as
from .matching import ClaimMatcher, ComponentMemo, LinkScores, MatchItem, cluster, lead_end
from .stance import (
    RULE_CONFIDENCE,
    AccusedTest,
    StanceModel,
    assign_stances,
    has_dispute_cue,
    has_endorsement_cue,
    has_relay_cue,
    load_stance_model,
    own_voice,
    refers_to_claim,
    refuses,
    retracts,
    takes_stance_on_claim,
)
from .text import _content_tokens, content_tokens, normalise, quantities
from .textfacts import FlagCache

if TYPE_CHECKING:
    from .edgememo import EdgeMemo
    from .textfacts import StoredTextFacts

__all__ = ["build_claims", "claims_stage", "first_actors", "order_key"]

#: Attachment score bonuses (similarity is in [0, 1]).
SAME_DOCUMENT_BONUS = 0.3
ENTITY_BONUS = 0.2
PROXIMITY_BONUS = 0.1
#: Bonus for the claim a document is mostly about (most statements there, headline first).
DOMINANT_BONUS = 0.25
#: A cross-document attachment needs at least this similarity to the claim's statements.
CROSS_DOCUMENT_MIN = 0.2
#: A lone title (:func:`_lone_titles`) is compared by meaning with this many of its best lexical candidates
#: in other documents' claims, out of the candidate index's top :data:`LONE_TITLE_NEIGHBOURS`.
LONE_TITLE_CANDIDATES = 3
LONE_TITLE_NEIGHBOURS = 20
#: The stance model vetoes a cross-document attachment it calls ``unrelated`` at this confidence.
VETO_CONFIDENCE = 0.9
#: Weight of the mean score that a statement's matched siblings (the same dispute or refusal worded
#: alike in other documents) give a candidate claim; a sibling whose own document carries the claim
#: also lets a cross-document attachment through without the minimum similarity.
SIBLING_BONUS = 1.0


def order_key(statement: Statement, documents: dict[str, Document]) -> tuple[str, str, int, int, str]:
    doc = documents.get(statement.document_id)
    published = (doc.published if doc is not None else None) or "9999-99-99"
    return (
        published,
        statement.document_id,
        0 if statement.part == "title" else 1,
        statement.start,
        statement.id,
    )


#: Attributes of statement records read together in one pass (``_prepare``, ``_item_values``, ``_context_check``).
_ID_TEXT_ENTITIES = attrgetter("id", "text", "entity_ids")
_ID_TEXT_PART = attrgetter("id", "text", "part")
_ID_TEXT_DOCUMENT = attrgetter("id", "text", "document_id")
#: A fronted adverbial clause ("Since the fighting ended in March, ..."): its actors are not the subject.
_FRONTED_CLAUSE = re.compile(
    r"^\s*(?:after|although|as|because|before|despite|following|if|once|since|though|unless|until|when|"
    r"whereas|while)\b[^,;]{0,200},",
    re.IGNORECASE,
)


def first_actors(
    statements: Sequence[Statement],
    entities: Sequence[Entity],
    demonyms: DemonymIndex,
    expanded: dict[str, set[str]],
) -> list[str | None]:
    """Each statement's first-named actor: the entity (of its own and demonym-named ones) whose name,
    alias or demonym occurs first in its text, or ``None``. In English news the first actor named is
    most often the subject ("Russia recruits ...", "412 Wagner fighters are held in Russian camps"):
    two statements about the same parties with different first actors state different propositions."""
    # the names of the entities the statements' expanded sets hold (the only ones looked up below)
    wanted: set[str] = set().union(*(expanded.get(st.id, ()) for st in statements))
    names: dict[str, list[str]] = {
        e.id: sorted({n for n in [e.name, *(a.name for a in e.aliases)] if n}, key=len, reverse=True)
        for e in entities
        if e.id in wanted
    }
    out: list[str | None] = []
    for st in statements:
        best: tuple[int, str] | None = None
        lead = _FRONTED_CLAUSE.match(st.text)
        skip = lead.end() if lead is not None else 0
        for eid in sorted(expanded.get(st.id, ())):
            if eid not in names or not names[eid]:
                continue
            found = _first_name_at(st.text, names[eid], skip)
            if found is not None and (best is None or (found, eid) < best):
                best = (found, eid)
        for start, ids in demonyms.spans_in(st.text):
            if start < skip:
                continue
            if len(ids) == 1 and (best is None or (start, min(ids)) < best):
                best = (start, min(ids))
            break
        out.append(best[1] if best is not None else None)
    return out


def _first_name_at(text: str, names: Sequence[str], start: int) -> int | None:
    r"""The earliest offset >= ``start`` where one of ``names`` occurs as a whole word (no word
    character either side), or ``None``: ``re.search(r"(?<!\w)(?:a|b)(?!\w)")`` without compiling a
    pattern per entity and run (``str.isalnum`` or ``_`` is ``\w``)."""
    best: int | None = None
    for name in names:
        at = text.find(name, start)
        while at >= 0 and (best is None or at < best):
            end = at + len(name)
            before = text[at - 1] if at > 0 else " "
            after = text[end] if end < len(text) else " "
            if not (before.isalnum() or before == "_") and not (after.isalnum() or after == "_"):
                best = at
                break
            at = text.find(name, at + 1)
    return best


def _dispute_like(statement: Statement) -> bool:
    return (
        statement.stance == "declines"
        or has_dispute_cue(statement.text, statement.cue)
        or unfounded(statement)
    )


def _attach_type(statement: Statement, dispute_like: Callable[[Statement], bool] = _dispute_like) -> bool:
    """Statements that address a claim rather than state one: doubts, denials, refusals, and
    references to a claim as a thing that say something about it ("the accusations may well be accurate",
    "the report confirms ..."). ``dispute_like``: :func:`_dispute_like`, or a run's answers
    (:meth:`_Run.dispute_like`)."""
    return dispute_like(statement) or (
        refers_to_claim(statement.text) and takes_stance_on_claim(statement.text, statement.cue)
    )


def _inert(statement: Statement) -> bool:
    """A reference to a claim that takes no stance on it ("the accusations could hurt the talks", "the
    inquiry shows the matter is being looked at"): about the claim's effects, not its truth.
    It neither starts a claim nor joins one."""
    # the three tests are pure: the rarest one first
    return (
        refers_to_claim(statement.text)
        and not _dispute_like(statement)
        and not takes_stance_on_claim(statement.text, statement.cue)
    )


@stage(
    "claimgraph.claims.v1",
    reads=("statements", "entities", "sources", "documents"),
    assigns=("claims", "statements.claim_id", "statements.stance", "statements.stance_confidence"),
)
def claims_stage(corpus: Corpus, ctx: RunContext) -> None:
    from ..gcpolicy import collector_paused
    from ..memo import stored_stance_model
    from ..parallel import predict_in_workers
    from .embeddings import memo_matcher
    from .textfacts import StoredTextFacts

    # the stage makes millions of small containers and almost no garbage cycles: no young collections
    # walking them again and again (claimgraph.gcpolicy.collector_paused; the first collection after the
    # stage walks them once)
    with collector_paused(), ctx.task("claims", total=None) as advance:
        # each statement's per-text facts (tokens, figures, cue tests) of earlier runs, read back per document
        facts = (
            StoredTextFacts(ctx.cache, corpus.statements)
            if ctx.cache is not None and hasattr(ctx.cache, "get_memos")
            else None
        )
        # stance predictions and sentence vectors of earlier runs are read back from the store
        # (claimgraph.memo, claims.embeddings.memo_matcher)
        build_claims(
            corpus,
            ctx.options,
            matcher=memo_matcher(ctx.options.claim_matcher, ctx.cache),
            text_facts=facts,
            # --jobs N: the model's pair scoring split over forked workers (claimgraph.parallel)
            stance_model=predict_in_workers(
                stored_stance_model(ctx.options.stance_model, ctx.cache), ctx.options.n_process
            ),
        )
        if facts is not None:
            facts.save()
        advance(1)


@dataclass
class _Run:
    """What the passes of :func:`build_claims` share: the corpus's indexes and per-statement lookups."""

    corpus: Corpus
    options: Options
    documents: dict[str, Document]
    sources: dict[str, Source]
    statements: list[Statement]
    """Earliest first (:func:`order_key`)."""
    by_id: dict[str, Statement]
    demonyms: DemonymIndex
    expanded: dict[str, set[str]]
    figures: dict[str, frozenset[str]]
    name_tokens: set[str]
    group_of: Callable[[str], str]
    disputing: frozenset[str]
    """The statements that doubt, deny or refuse (:func:`_dispute_like`), found once after the stance reset of
    :func:`_prepare`: no later pass sets or clears ``declines`` (the stance passes keep it and set others), and
    the cue tests read the text and cue only."""
    voiced: frozenset[str] = frozenset()
    """The statements in the outlet's or author's own voice (``stance.own_voice``), found once by :func:`_prepare`:
    a statement's mode and source are the stage's inputs, which no pass changes (asked some 240,000 times on the
    10,000-document store, each a source lookup)."""
    topics: dict[str, set[str]] = field(default_factory=dict)
    entity_tokens: dict[str, frozenset[str]] = field(default_factory=dict)
    """Each entity's name and alias tokens (``_prepare``)."""
    accused_test: AccusedTest | None = None
    """The accused-party test of the corpus, shared by the passes after grouping (:meth:`accused`)."""
    actor_memo: ActorMemo | None = None
    """The previous run's actor values of the items (:mod:`~claimgraph.claims.actormemo`), when kept."""
    post_docs: frozenset[str] | None = None
    """:meth:`posts`' answer, once asked."""
    attach_index: _AttachIndex | None = None
    """The attachment pass's index (:func:`_attach`), read again by :func:`_accused_denials`."""

    def accused(self) -> AccusedTest:
        """:class:`~claimgraph.claims.stance.AccusedTest` of the corpus (made on first use)."""
        if self.accused_test is None:
            self.accused_test = AccusedTest(self.corpus)
        return self.accused_test

    def dispute_like(self, st: Statement) -> bool:
        """:func:`_dispute_like` of one of the run's statements."""
        return st.id in self.disputing

    def own_voice(self, st: Statement) -> bool:
        """:func:`~claimgraph.claims.stance.own_voice` of one of the run's statements (and its source)."""
        return st.id in self.voiced

    def origin_of(self, st: Statement) -> str | None:
        source = self.sources.get(st.source_id)
        if self.dispute_like(st) or (source is not None and source.kind == "outlet"):
            return None  # an outlet's own headlines are no origin of an allegation
        return self.group_of(st.source_id)

    def topic_of(self, st: Statement) -> set[str]:
        """``st``'s topic words: its content words less every entity name's tokens (``name_tokens``) and those of
        the demonyms it uses that name an entity (kept per statement)."""
        found = self.topics.get(st.id)
        if found is None:
            found = set(_content_tokens(st.text)) - self.name_tokens
            # most statements use no demonym-shaped word: no demonym to look up
            words = self.demonyms.words_in(st.text) if demonym_matches(st.text) else None
            if words:
                found -= set(_content_tokens(" ".join(words)))
            self.topics[st.id] = found
        return found

    def actor_tokens(self, st: Statement) -> frozenset[str]:
        """Matching tokens naming ``st``'s own actors: its entities' names and aliases, its demonyms
        (``MatchItem.names``; a function of the statement and its entities only)."""
        tokens: set[str] = set(content_tokens(" ".join(self.demonyms.words_in(st.text))))
        for eid in self.expanded[st.id]:
            tokens |= self.entity_tokens.get(eid, frozenset())
        return frozenset(tokens)

    def relays(self, st: Statement) -> bool:
        return self.own_voice(st) and has_relay_cue(st.text)

    def posts(self) -> frozenset[str]:
        """The documents that are posts (a social-media post, a wire alert, a headline given as a document of
        its own: :func:`_is_post`), found on first use."""
        if self.post_docs is None:
            self.post_docs = frozenset(
                doc_id for doc_id, document in self.documents.items() if _is_post(document.text or "")
            )
        return self.post_docs


@dataclass
class _Grouping:
    """The matcher's groups, split into claim parts and statements to attach."""

    items: list[Statement]
    position: dict[str, int]
    matcher: ClaimMatcher
    parts: list[list[Statement]] = field(default_factory=list)
    optional: list[bool] = field(default_factory=list)
    attach_groups: list[list[Statement]] = field(default_factory=list)


def build_claims(
    corpus: Corpus,
    options: Options,
    *,
    matcher: ClaimMatcher | None = None,
    stance_model: StanceModel | str | None = "options",
    text_facts: StoredTextFacts | None = None,
) -> list[Claim]:
    """Group ``corpus.statements`` into ``corpus.claims`` and set every statement's claim and stance.

    Named passes, in order: :func:`_prepare` (order, reset, refusals, entity sets), :func:`_match`
    (matcher groups -> claim parts and statements to attach), :func:`_allegations` (parts of one
    allegation -> claims), :func:`_lone_titles` (a title no other document carries joins the claim it
    restates), :func:`_attach` (disputes, refusals, references; the stance model's veto),
    :func:`_accused_denials`, :func:`_attached_stances`, :func:`_origin_keeps_its_claim`, :func:`_write_back`."""
    # the actor values of the items are kept where the clustering keeps its components (the same conditions)
    store = (
        getattr(matcher, "component_store", None) if getattr(matcher, "corpus_independent", False) else None
    )
    run = _prepare(corpus, options, store, text_facts.by_document if text_facts is not None else None)
    grouping = _match(run, matcher)
    claims, core, claim_topics = _allegations(run, grouping)
    claims = _lone_titles(run, grouping, claims, core, claim_topics)
    claim_of = {sid: claim for claim in claims for sid in claim.statement_ids}
    model = load_stance_model(options.stance_model) if isinstance(stance_model, str) else stance_model
    attached = _attach(run, grouping, claims, claim_of, core, claim_topics, model)
    denials = _accused_denials(run, claims, claim_of, core, claim_topics, attached)
    for st, claim in denials:
        claim.statement_ids.append(st.id)
        claim_of[st.id] = claim
    for claim in claims:
        claim.statement_ids.sort()
        _fill_documents(claim, run.by_id, run.documents)
    _attached_stances(run, claims, attached, core)
    for st, _claim in denials:
        st.stance = "denies"
        st.stance_confidence = RULE_CONFIDENCE
    _origin_keeps_its_claim(claims, run.by_id, run.group_of, run.own_voice)
    return _write_back(corpus, claims, run.by_id)


def _prepare(
    corpus: Corpus,
    options: Options,
    store: Any = None,
    text_keys: Mapping[str, tuple[str, Sequence[Statement]]] | None = None,
) -> _Run:
    """Pass 1: statements earliest first, claim and stance reset (refusals marked ``declines``), each
    statement's entities extended by the demonyms it uses, its figures, and the source groups. ``store``:
    where the items' actor values are kept between runs (:class:`~claimgraph.claims.actormemo.ActorMemo`;
    ``None``: not kept); ``text_keys``: each document's text digest and statements, when the stage's
    ``StoredTextFacts`` made them (``by_document``; the memo makes them otherwise)."""
    from ..identity import corpus_source_groups

    documents = {d.id: d for d in corpus.documents}
    # order_key, with each document's date looked up once
    published = {doc_id: d.published or "9999-99-99" for doc_id, d in documents.items()}
    # the key's first two parts name the document: its documents sorted by them, and each one's statements by
    # the other three (the same order as one sort by the whole key, with shorter keys compared fewer times)
    by_doc: dict[str, list[Statement]] = {}
    for st in corpus.statements:
        by_doc.setdefault(st.document_id, []).append(st)
    statements: list[Statement] = []
    for doc_id in sorted(by_doc, key=lambda d: (published.get(d, "9999-99-99"), d)):
        in_doc = by_doc[doc_id]
        in_doc.sort(key=lambda s: (0 if s.part == "title" else 1, s.start, s.id))
        statements.extend(in_doc)
    for st in statements:
        st.claim_id = None
        st.stance_confidence = None
        if st.stance != "declines":
            # a refusal or non-answer is a ``declines`` on the claim it refuses, never a claim
            st.stance = "declines" if refuses(st.text) or refuses(st.cue or "") else None
    demonyms = DemonymIndex(corpus.entities)
    memo = None
    if store is not None:
        from ..pipeline import _code_fingerprint

        memo = ActorMemo(store, f"claims-actors:{_code_fingerprint()[:16]}:v{ACTOR_MEMO_VERSION}")
        memo.load(corpus.statements, corpus.entities, demonyms, text_keys)
    per_entity = _entity_tokens(corpus, memo)
    columns = list(map(_ID_TEXT_ENTITIES, statements))  # one pass over the records
    ids = [c[0] for c in columns]
    texts = [c[1] for c in columns]
    # each statement's entities, and those the demonyms it uses name (most use none: no lookup)
    expanded = [set(c[2]) for c in columns]
    for k, found in enumerate(map(demonym_matches, texts)):
        if found:
            expanded[k] = expanded[k] | demonyms.entities_in(texts[k])
    sources: dict[str, Source] = corpus.index("sources")
    return _Run(
        corpus=corpus,
        options=options,
        documents=documents,
        sources=sources,
        statements=statements,
        by_id=dict(zip(ids, statements, strict=True)),
        demonyms=demonyms,
        expanded=dict(zip(ids, expanded, strict=True)),
        figures=dict(zip(ids, map(quantities, texts), strict=True)),
        name_tokens=set().union(*per_entity) | REFERENCE_TOKENS,
        group_of=corpus_source_groups(corpus).of,
        disputing=frozenset(compress(ids, map(_dispute_like, statements))),
        voiced=frozenset(
            compress(
                ids, map(own_voice, statements, map(sources.get, map(attrgetter("source_id"), statements)))
            )
        ),
        entity_tokens={e.id: tokens for e, tokens in zip(corpus.entities, per_entity, strict=True)},
        actor_memo=memo,
    )


def _match(run: _Run, matcher: ClaimMatcher | None) -> _Grouping:
    """Pass 2: the matcher's groups (with the proposition guards of :func:`cluster`); groups made only
    of statements that address a claim are to be attached, the others are claim parts."""
    statements = run.statements
    # statements with matching tokens (the cached tuple: no list copy) that state or address a claim
    items = [s for s in statements if s.stance == "declines" or (_content_tokens(s.text) and not _inert(s))]
    if matcher is None:
        matcher = registry.claim_matchers.get(run.options.claim_matcher)()
    position = dict(zip([s.id for s in items], range(len(items)), strict=True))
    grouping = _Grouping(items=items, position=position, matcher=matcher)
    groups: list[list[int]] = []
    if items:
        match_items, figures, subjects, keys, edge_keys = _item_values(run, matcher, items)
        memo = _component_memo(matcher, run.options, keys)
        edge_memo = _edge_memo(matcher, run.options, keys)
        if edge_memo is not None and keys is not None:
            # the previous run's state: its items' TF-IDF rows are the fit's for the items whose keys it holds
            if edge_keys is None:
                edge_keys = [_edge_key(key, s.id) for key, s in zip(keys, items, strict=True)]
            edge_memo.prepare(edge_keys)
            # only claimgraph's own matchers have an edge memo (their fit takes the stored rows)
            matcher.fit(match_items, edge_memo.stored_rows())  # type: ignore[call-arg]
        else:
            matcher.fit(match_items)
        edges = None
        links: LinkScores | None
        if edge_memo is not None and edge_keys is not None:
            # the graph's edges of the previous run, with only what new statements touch generated again
            edges = edge_memo.edges(matcher, edge_keys, run.options.claim_threshold)
            # and the scores its average linkage compared, where both items are unchanged
            links = edge_memo.link_scores(matcher, len(items))
        else:
            links = _link_scores(matcher, len(items))
        groups = cluster(
            matcher,
            len(items),
            run.options.claim_threshold,
            quantities=figures,
            subjects=subjects,
            memo=memo,
            edges=edges,
            keep=_context_check(run, items),
            links=links,
        )
        if memo is not None:
            memo.save()
        if edge_memo is not None:
            edge_memo.save()
        if run.actor_memo is not None and keys is not None and edge_keys is not None:
            names = [item.names for item in match_items]
            run.actor_memo.save(items, names, subjects, keys, edge_keys, run.entity_tokens, run.demonyms)
    attach_type = partial(_attach_type, dispute_like=run.dispute_like)
    for group in groups:
        group_statements = list(map(items.__getitem__, group))
        if all(map(attach_type, group_statements)):
            grouping.attach_groups.append(group_statements)
        else:
            grouping.parts.append(group_statements)
            first = group_statements[0]
            grouping.optional.append(
                not (len(group_statements) >= 2 or _stands_alone(first) or _post_stands_alone(run, first))
            )
    grouping.attach_groups.extend(
        [s] for s in statements if s.stance == "declines" and s.id not in grouping.position
    )
    return grouping


def _context_check(run: _Run, items: Sequence[Statement]) -> Callable[[Any, Any], Any]:
    """The clustering's pair guards that read context (``cluster(keep=...)``), each a pair that is never joined:

    - **context**: two statements that name no actor (no entity, no demonym) take their subject from their
      documents, so in two documents that both name entities but share none they are not the same
      proposition, however alike their words ("Terms of the deal were not disclosed" after two different
      companies' deals). Pairs in one document, pairs where either statement names an actor and pairs where
      a document names no entity at all are left to the matcher;
    - **rows of figures**: two statements that are mostly figures (:func:`_figure_row`: a results table's
      "Shr profit nine cts vs loss 58 cts") are the same proposition only with the same figures; their words
      are the table's few labels, so the matcher scores any two rows alike."""
    import numpy as np

    n = len(items)
    columns = list(map(_ID_TEXT_DOCUMENT, items))  # one pass over the records
    texts = [c[1] for c in columns]
    in_doc = [c[2] for c in columns]
    bare = np.fromiter(map(not_, map(run.expanded.__getitem__, [c[0] for c in columns])), dtype=bool, count=n)
    documents = {doc_id: k for k, doc_id in enumerate(dict.fromkeys(in_doc))}
    doc_of = np.fromiter(map(documents.__getitem__, in_doc), dtype=np.int64, count=n)
    # the figures of the items that are rows of figures (``is_figure_row``, kept between runs: most are none)
    row = np.fromiter(map(is_figure_row, texts), dtype=bool, count=n)
    rows = {k: _figure_row(texts[k]) for k in np.flatnonzero(row).tolist()}
    named: dict[str, set[str]] = {}
    for entity in run.corpus.entities:
        for doc_id in entity.document_ids:
            named.setdefault(doc_id, set()).add(entity.id)
    doc_ids = list(documents)

    def keep(i: Any, j: Any) -> Any:
        mask = np.ones(len(i), dtype=bool)
        for k in np.flatnonzero(bare[i] & bare[j] & (doc_of[i] != doc_of[j])).tolist():
            a = named.get(doc_ids[doc_of[i[k]]])
            b = named.get(doc_ids[doc_of[j[k]]])
            mask[k] = not a or not b or not a.isdisjoint(b)
        for k in np.flatnonzero(row[i] & row[j]).tolist():
            mask[k] = mask[k] and rows[int(i[k])] == rows[int(j[k])]
        return mask

    return keep


@FlagCache
def is_figure_row(text: str) -> bool:
    """Whether ``text`` is a row of figures (:func:`_figure_row`); kept per text between runs
    (:mod:`~claimgraph.claims.textfacts`), as most texts are none."""
    return _figure_row(text) is not None


def _figure_row(text: str) -> tuple[str, ...] | None:
    """The figures of a statement that is a row of figures, in order: two or more figures
    (:func:`~claimgraph.claims.text.like_number`) making a fifth or more of its words, and at most one other
    word that is a stop word (:data:`~claimgraph.claims.text.STOP_WORDS`): ``Shr profit nine cts vs loss 58
    cts``, ``Net loss 1,200,000 vs profit 5,400,000``; not ``412 fighters were held in three camps``.
    ``None`` for any other statement."""
    from .text import STOP_WORDS, like_number

    words = [w.strip(".,;:()") for w in text.split()]
    figures = tuple(w for w in words if w and like_number(w))
    if len(figures) < 2 or 5 * len(figures) < len(words):
        return None
    glue = sum(1 for w in words if w.lower() in STOP_WORDS and not like_number(w))
    return figures if glue <= 1 else None


def _item_values(
    run: _Run, matcher: ClaimMatcher, items: Sequence[Statement]
) -> tuple[list[MatchItem], list[frozenset[str]], list[str | None], list[str] | None, list[str] | None]:
    """What the matcher and the clustering read of each item: its :class:`MatchItem` (actor tokens as
    ``names``), figures, first actor, clustering key (``None``: no keys, see :func:`_item_keys`) and edge
    key (``None``: made later, if needed). With the actor memo (``run.actor_memo``), the actor tokens, first
    actors and keys stored by an earlier run are reused where its condition holds
    (:meth:`ActorMemo.reused <claimgraph.claims.actormemo.ActorMemo.reused>`) and computed for the other
    items exactly as without it (:meth:`_Run.actor_tokens`, :func:`first_actors`, :func:`_item_keys`,
    :func:`_edge_key`)."""
    memo = run.actor_memo
    # one pass over the items' records (reading their attributes is most of a pass's cost)
    columns = list(map(_ID_TEXT_PART, items))
    ids = [c[0] for c in columns]
    figures = list(map(run.figures.__getitem__, ids))
    if memo is None:
        match_items = [
            MatchItem(
                s.text, frozenset(run.expanded[s.id]), summary=s.part == "title", names=run.actor_tokens(s)
            )
            for s in items
        ]
        every = first_actors(items, run.corpus.entities, run.demonyms, run.expanded)
        return match_items, figures, every, _item_keys(matcher, match_items, figures, every), None
    # each item's actor values stored by an earlier run; ``todo``: the items whose values are computed now
    names, subjects, keys, edge_keys, todo = memo.reused(items, run.expanded, demonym_matches)
    # each distinct stored text once (a third of the items' are distinct, a third are empty)
    distinct = {text: frozenset(text.split()) for text in set(names)}
    tokens = list(map(distinct.__getitem__, names))
    fresh_items = [items[k] for k in todo]
    for k, st in zip(todo, fresh_items, strict=True):
        tokens[k] = run.actor_tokens(st)
    # MatchItem(text, entity_ids, summary, names) of each item, by position (as the loop above without the memo)
    match_items = list(
        map(
            MatchItem,
            [c[1] for c in columns],
            map(frozenset, map(run.expanded.__getitem__, ids)),
            [c[2] == "title" for c in columns],
            tokens,
        )
    )
    fresh_subjects = first_actors(fresh_items, run.corpus.entities, run.demonyms, run.expanded)
    fresh_keys = _item_keys(
        matcher, [match_items[k] for k in todo], [figures[k] for k in todo], fresh_subjects
    )
    if fresh_keys is None:
        raise ValueError("the actor memo needs a matcher that keeps its clustering keys")
    for k, subject, key, st in zip(todo, fresh_subjects, fresh_keys, fresh_items, strict=True):
        subjects[k] = subject
        keys[k] = key
        edge_keys[k] = _edge_key(key, st.id)
    return match_items, figures, subjects, keys, edge_keys


def _item_keys(
    matcher: ClaimMatcher,
    items: Sequence[MatchItem],
    figures: Sequence[frozenset[str]],
    subjects: Sequence[str | None],
) -> list[str] | None:
    """Each item's key for the clustering's memos, when the matcher keeps them (``component_store``) and its
    scores do not depend on the corpus; ``None`` otherwise. A key covers what the score, candidacy and the
    guards read of an item: text, entity ids, summary flag, actor tokens, figures, first actor."""
    store = getattr(matcher, "component_store", None)
    if store is None or not getattr(matcher, "corpus_independent", False):
        return None
    import hashlib

    return [
        hashlib.sha256(
            _key_json(item.text, item.entity_ids, item.summary, item.names, figures[x], subjects[x]).encode(
                "utf-8"
            )
        ).hexdigest()
        for x, item in enumerate(items)
    ]


def _key_json(
    text: str,
    entity_ids: frozenset[str],
    summary: bool,
    names: frozenset[str],
    figures: frozenset[str],
    subject: str | None,
) -> str:
    """``json.dumps([text, sorted(entity_ids), summary, sorted(names), sorted(figures), subject],
    ensure_ascii=False)``, the same text, from the C string encoder without the list encoder's calls per
    item (tested against ``json.dumps``)."""
    quote = _quote
    return (
        f"[{quote(text)}, [{', '.join(map(quote, sorted(entity_ids)))}], {'true' if summary else 'false'}, "
        f"[{', '.join(map(quote, sorted(names)))}], [{', '.join(map(quote, sorted(figures)))}], "
        f"{'null' if subject is None else quote(subject)}]"
    )


def _edge_key(key: str, statement_id: str) -> str:
    """An item's key for :class:`~claimgraph.claims.edgememo.EdgeMemo`: its content key and its statement
    (two statements of equal content are two items)."""
    import hashlib

    return hashlib.sha256(f"{key}\0{statement_id}".encode()).hexdigest()


def _link_scores(matcher: ClaimMatcher, n: int) -> LinkScores | None:
    """Each linkage pair scored once in the run (:class:`~claimgraph.claims.matching.LinkScores`), for claimgraph's
    own matchers (a pair's score depends on its two items alone); ``None`` (the matcher asked at every
    comparison) for others."""
    from .embeddings import EmbeddingMatcher
    from .tfidf import TfidfMatcher

    return LinkScores(matcher, n) if isinstance(matcher, (EmbeddingMatcher, TfidfMatcher)) else None


def _component_memo(matcher: ClaimMatcher, options: Options, keys: list[str] | None) -> ComponentMemo | None:
    """The store's memo of :func:`cluster`'s components (items keyed by :func:`_item_keys`), or ``None``."""
    if keys is None:
        return None
    from ..pipeline import _code_fingerprint

    namespace = (
        f"claims-components:{_code_fingerprint()[:16]}:{options.claim_matcher}:{options.claim_threshold!r}:v1"
    )
    return ComponentMemo(keys.__getitem__, getattr(matcher, "component_store", None), namespace)


def _edge_memo(matcher: ClaimMatcher, options: Options, keys: list[str] | None) -> EdgeMemo | None:
    """The store's memo of :func:`cluster`'s graph (:class:`~claimgraph.claims.edgememo.EdgeMemo`), when the
    component memo is kept and the matcher is one of claimgraph's own lexical or semantic ones."""
    from .embeddings import EmbeddingMatcher
    from .tfidf import TfidfMatcher

    if keys is None or not isinstance(matcher, (EmbeddingMatcher, TfidfMatcher)):
        return None
    from ..pipeline import _code_fingerprint
    from .edgememo import EdgeMemo

    lexical = matcher.lexical if isinstance(matcher, EmbeddingMatcher) else matcher
    params: dict[str, object] = {
        "matcher": type(matcher).__name__,
        "k": lexical.k,
        "query_features": lexical.query_features,
        "max_df": lexical.max_df,
    }
    if isinstance(matcher, EmbeddingMatcher):
        params.update(lsh_k=matcher.k, tables=matcher.tables, bits=matcher.bits, seed=matcher.seed)
    namespace = (
        f"claims-edges:{_code_fingerprint()[:16]}:{options.claim_matcher}:{options.claim_threshold!r}:v1"
    )
    return EdgeMemo(getattr(matcher, "component_store", None), namespace, params)


def summary_check(documents: dict[str, Document]) -> Callable[[Statement], bool]:
    """Whether a statement is its document's own summary: its headline, or a sentence of its lead
    (:func:`~claimgraph.claims.matching.lead_end`); the allegation pass's rule (B) reads it."""
    lead_ends: dict[str, int] = {}

    def summary_of(st: Statement) -> bool:
        if st.part == "title":
            return True
        if st.document_id not in lead_ends:
            document = documents.get(st.document_id)
            lead_ends[st.document_id] = lead_end(document.text or "") if document is not None else 0
        start = st.sentence_start if st.sentence_start is not None else st.start
        return start < lead_ends[st.document_id]

    return summary_of


def _allegations(
    run: _Run, grouping: _Grouping
) -> tuple[list[Claim], dict[str, list[str]], dict[str, set[str]]]:
    """Pass 3: parts of one allegation (same document or origin, same actors, related wording) merge
    (:func:`~claimgraph.claims.allegations.merge_allegations`); each allegation becomes a claim.
    Returns the claims, each claim's core (accused) entities and its topic words."""
    # the allegation pass and attachments compare parts of one story on the lexical scale (a
    # semantic matcher scores every sentence of one story as related)
    lexical = getattr(grouping.matcher, "lexical", grouping.matcher)
    allegations = merge_allegations(
        grouping.parts, lexical, grouping.position, run.origin_of, lambda st: run.expanded[st.id],
        run.topic_of, run.own_voice, run.options.claim_threshold, optional=grouping.optional,
        relays=run.relays, quantities_of=lambda st: run.figures[st.id], factor=allegation_factor(lexical),
        summary_of=summary_check(run.documents),
    )  # fmt: skip
    claims: list[Claim] = []
    core: dict[str, list[str]] = {}
    claim_topics: dict[str, set[str]] = {}
    for allegation in allegations:
        claim, claim_core = _make_claim(allegation, run.expanded, run.dispute_like)
        claims.append(claim)
        core[claim.id] = claim_core
        claim_topics[claim.id] = _topic_words(run, allegation)
    return claims, core, claim_topics


def _topic_words(run: _Run, parts: Sequence[Sequence[Statement]]) -> set[str]:
    """A claim's topic words: those of the first :data:`MAX_TOPIC_STATEMENTS` asserting statements of each part."""
    return set().union(
        *(
            run.topic_of(st)
            for part in parts
            for st in part[:MAX_TOPIC_STATEMENTS]
            if not run.dispute_like(st)
        )
    )


def _lone_titles(
    run: _Run,
    grouping: _Grouping,
    claims: list[Claim],
    core: dict[str, list[str]],
    claim_topics: dict[str, set[str]],
) -> list[Claim]:
    """Pass 3b: a *lone title* (a claim made only of one document's title: a post or wire alert, :func:`_is_post`;
    a headline whose article does not carry it) joins the claims of other documents that restate it.
    The matcher compares titles by meaning but other sentences by wording, which a headline shares little of
    ("Port chief quits over dredging scandal" against "X has resigned as head of the port authority after an
    inquiry into contracts for deepening the channel"): here each lone title meets its best
    :data:`LONE_TITLE_CANDIDATES` lexical candidates in other documents (statements of a claim, or claim
    parts that made no claim) scored by meaning (``meaning_similarity``: those sentences are encoded now, and
    kept), and joins every one scoring at least the claim threshold: their claims become one claim with the
    title (each restates what the title says, as two statements matching at the threshold are one claim), and
    sentences that made no claim alone join it (or, with no claim among them, make a new claim with the title).
    At most :data:`LONE_TITLE_CANDIDATES` candidates, all scored against the title itself: a star around the
    title, never a chain. A title its own article carries is no lone title, so a corpus of articles pays
    nothing. Only for a matcher that compares by meaning."""
    meaning = getattr(grouping.matcher, "meaning_similarity", None)
    if meaning is None or getattr(grouping.matcher, "lexical", None) is None or not claims:
        return claims
    lone, claimless = _lone_title_claims(run, claims, grouping)
    if not lone:
        return claims
    claim_of = {sid: claim for claim in claims if claim.id not in lone for sid in claim.statement_ids}
    owner, cols = _lone_title_candidates(grouping, lone, set(claim_of) | claimless)
    if not len(owner):
        return claims
    items = grouping.items
    scores = meaning(owner, cols, [s.text for s in items]).tolist()
    title_of = {sid: claim for claim in lone.values() for sid in claim.statement_ids}
    restated: dict[str, dict[str, float]] = defaultdict(dict)  # lone title -> candidate statement -> score
    for a, b, score in zip(owner.tolist(), cols.tolist(), scores, strict=True):
        if score >= run.options.claim_threshold:
            targets = restated[title_of[items[a].id].id]
            targets[items[b].id] = max(score, targets.get(items[b].id, score))
    joins = _LoneTitleJoins(run, claim_of, core, claim_topics)
    for lone_id, targets in sorted(restated.items()):
        core.pop(lone_id, None)
        claim_topics.pop(lone_id, None)
        joins.join(lone[lone_id].statement_ids, sorted(targets, key=lambda t: (-targets[t], t)))
    gone = set(restated) | joins.merged.keys()
    return [claim for claim in [*claims, *joins.made] if claim.id not in gone]


class _LoneTitleJoins:
    """:func:`_lone_titles`' joins: each title's restating claims merged into the best-scoring one (the *host*),
    with the claim-less sentences it restates and the title itself; a title restating only claim-less sentences
    makes a new claim of them. A claim merged into another is found through it by later titles."""

    def __init__(
        self,
        run: _Run,
        claim_of: dict[str, Claim],
        core: dict[str, list[str]],
        claim_topics: dict[str, set[str]],
    ) -> None:
        self.run, self.claim_of, self.core, self.claim_topics = run, claim_of, core, claim_topics
        self.merged: dict[str, Claim] = {}  # claim id -> the claim it was merged into
        self.made: list[Claim] = []
        self.claim_of_loose: dict[str, Claim] = {}  # claim-less sentence -> the claim it joined

    def current(self, claim: Claim) -> Claim:
        while claim.id in self.merged:
            claim = self.merged[claim.id]
        return claim

    def join(self, title_ids: list[str], targets: list[str]) -> None:
        """The title (``title_ids``) and what its ``targets`` (best first) belong to, as one claim."""
        hosts: list[Claim] = []
        loose: list[str] = []
        for target in targets:
            found = self.claim_of.get(target) or self.claim_of_loose.get(target)
            if found is None:
                loose.append(target)
            elif (found := self.current(found)).id not in {h.id for h in hosts}:
                hosts.append(found)
        if not hosts:  # sentences that made no claim alone and the title restating them: one claim
            parts = [[self.run.by_id[t]] for t in loose] + [[self.run.by_id[sid] for sid in title_ids]]
            host, host_core = _make_claim(parts, self.run.expanded, self.run.dispute_like)
            self.core[host.id] = host_core
            self.claim_topics[host.id] = _topic_words(self.run, parts)
            self.made.append(host)
        else:
            host = hosts[0]
            for other in hosts[1:]:
                self.merge(host, other)
            host.statement_ids.extend(loose)
            host.statement_ids.extend(title_ids)
            # its entities and accused party by the rule a claim is made with, over all its statements now
            by_id = self.run.by_id
            host.entity_ids, self.core[host.id] = _claim_entities(
                [by_id[sid] for sid in host.statement_ids], self.run.expanded, self.run.dispute_like
            )
        for t in loose:
            self.claim_of_loose[t] = host

    def merge(self, host: Claim, other: Claim) -> None:
        """``other``'s statements and topic words into ``host`` (its entities are counted again by :meth:`join`)."""
        host.statement_ids.extend(other.statement_ids)
        self.merged[other.id] = host
        self.core.pop(other.id, None)
        self.claim_topics[host.id] = self.claim_topics.get(host.id, set()) | self.claim_topics.pop(
            other.id, set()
        )


def _lone_title_claims(
    run: _Run, claims: Sequence[Claim], grouping: _Grouping
) -> tuple[dict[str, Claim], set[str]]:
    """:func:`_lone_titles`' lone titles by claim id: claims of one document made only of its title (a title
    statement, or a statement of a post (:func:`_is_post`): a post is its own title and text). Also the claim
    parts' statements in no claim (what a lone title may form a new claim with)."""
    post_docs = run.posts()
    by_id = run.by_id
    lone: dict[str, Claim] = {}
    in_claims: set[str] = set()
    for claim in claims:
        ids = claim.statement_ids
        in_claims.update(ids)
        first = by_id[ids[0]]
        if first.part != "title" and first.document_id not in post_docs:
            continue  # most claims: their first statement is a sentence of an article
        doc = first.document_id
        if all(
            (st := by_id[sid]).document_id == doc and (st.part == "title" or doc in post_docs) for sid in ids
        ):
            lone[claim.id] = claim
    # a post's statements are a claim by themselves (_post_stands_alone): the claim-less ones are articles'
    claimless = {st.id for part in grouping.parts for st in part if st.id not in in_claims}
    return lone, claimless


#: Closing quotes and brackets after a sentence's end mark, and opening ones before its first word.
_CLOSERS = "\"'\u201d\u2019)]"
_OPENERS = "\"'\u201c\u2018(["
#: An initialism, whose full stop ends no sentence ("U.S", "J.J", "a.m", "J").
_INITIALISM = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]?|[A-Z]")


@functools.cache
def _title_words() -> frozenset[str]:
    """One-word titles and honorifics of the shared vocabulary (``vocab/data/title.jsonl``: "rep", "gov", "dr"),
    whose abbreviation before a name ends no sentence ("GOP Rep. Ann Holm says ...")."""
    from .. import vocab

    return frozenset(p for p in vocab.phrases("title") if " " not in p)


def _is_post(text: str) -> bool:
    """Whether ``text`` is a post (a social-media post, a wire alert, a headline as a document of its own): one
    line of one sentence. A full stop after an initialism or an abbreviated title ends no sentence,
    so a title-case headline ("Leader Killed in U.S. Airstrike", "GOP Rep. Hunter Claims ...") is one; the
    sentence rules of :func:`~claimgraph.claims.matching.lead_end` would cut it there."""
    text = text.strip()
    if not text or "\n" in text:
        return False
    for token in text.split()[:-1]:  # a word before white space, one pass (the last word ends the text)
        word = token.rstrip(_CLOSERS)
        if not word.endswith((".", "!", "?")):
            continue
        stem = word[:-1].lstrip(_OPENERS)
        if word.endswith(".") and (_INITIALISM.fullmatch(stem) or stem.lower() in _title_words()):
            continue
        return False
    return True


def _lone_title_candidates(
    grouping: _Grouping, lone: Mapping[str, Claim], allowed: set[str]
) -> tuple[Any, Any]:
    """(title item, candidate item) pairs: each lone title's best :data:`LONE_TITLE_CANDIDATES` on the matcher's
    own scale among its :data:`LONE_TITLE_NEIGHBOURS` lexical neighbours (the candidate index) that are
    ``allowed`` statements of other documents."""
    import numpy as np

    position, items, matcher = grouping.position, grouping.items, grouping.matcher
    rows = sorted(position[sid] for claim in lone.values() for sid in claim.statement_ids if sid in position)
    empty = np.zeros(0, dtype=np.int64)
    if not rows:
        return empty, empty
    owner, cols, _scores, _rank = matcher.lexical.candidate_index().ranked(  # type: ignore[attr-defined]
        np.array(rows, dtype=np.int64), LONE_TITLE_NEIGHBOURS
    )
    keep = [
        k
        for k, (a, b) in enumerate(zip(owner.tolist(), cols.tolist(), strict=True))
        if items[b].id in allowed and items[b].document_id != items[a].document_id
    ]
    if not keep:
        return empty, empty
    owner, cols = owner[keep], cols[keep]
    order = np.lexsort((cols, -matcher.similarity(owner, cols), owner))
    owner, cols = owner[order], cols[order]
    starts = np.flatnonzero(np.concatenate(([True], owner[1:] != owner[:-1])))
    rank = np.arange(len(owner)) - np.repeat(starts, np.diff(np.append(starts, len(owner))))
    top = rank < LONE_TITLE_CANDIDATES
    return owner[top], cols[top]


def _attach(
    run: _Run,
    grouping: _Grouping,
    claims: list[Claim],
    claim_of: dict[str, Claim],
    core: dict[str, list[str]],
    claim_topics: dict[str, set[str]],
    model: StanceModel | None,
) -> list[tuple[Statement, Claim]]:
    """Pass 4: disputes, refusals and references join the claim they address
    (:func:`_propose_attachments`); one batched stance-model call scores the matched statements and
    the cross-document proposals, and vetoes a proposal it calls ``unrelated`` with confidence."""
    lexical = getattr(grouping.matcher, "lexical", grouping.matcher)
    if claims:
        run.attach_index = _attach_index(claims, claim_of, run.statements, grouping.position, claim_topics)
    proposals = _propose_attachments(
        grouping.attach_groups, claims, claim_of, run.statements, run.documents, lexical,
        grouping.position, run.expanded, claim_topics, run.topic_of, index=run.attach_index,
    )  # fmt: skip
    extra = [(claim.text, st.text) for st, claim, same_doc in proposals if not same_doc]
    # stance of the matched statements first (attached ones are decided by rules: dispute/decline cues)
    verdicts = assign_stances(run.corpus, claims, model, run.by_id, extra, core, run.accused())
    verdict_iter = iter(verdicts)
    attached: list[tuple[Statement, Claim]] = []
    for st, claim, same_doc in proposals:
        if not same_doc:
            label, confidence = next(verdict_iter)
            if label == "unrelated" and confidence >= VETO_CONFIDENCE:
                continue
        attached.append((st, claim))
    for st, claim in attached:
        claim.statement_ids.append(st.id)
        claim_of[st.id] = claim
    return attached


def _attached_stances(
    run: _Run, claims: list[Claim], attached: list[tuple[Statement, Claim]], core: dict[str, list[str]]
) -> None:
    """Pass 6: stances of attached statements: cue rules first; a statement about the claim without a
    dispute or refusal endorses it (a quoted speaker with an endorsement cue) or reports it."""
    attached_to: dict[str, list[str]] = defaultdict(list)
    for st, claim in attached:
        attached_to[claim.id].append(st.id)
    assign_stances(
        run.corpus, [_only(claim, attached_to[claim.id]) for claim in claims if claim.id in attached_to],
        None, run.by_id, core=core, accused_test=run.accused(),
    )  # fmt: skip
    for st, _claim in attached:
        if st.stance in ("declines", "disputes", "denies"):
            continue
        # a statement about the claim: the speaker endorses it, or (outlet's own voice, or no
        # endorsement) relays it
        outlet_voice = run.own_voice(st)
        st.stance = "supports" if has_endorsement_cue(st.text) and not outlet_voice else "reports"
        st.stance_confidence = 0.9


def _write_back(corpus: Corpus, claims: list[Claim], by_id: dict[str, Statement]) -> list[Claim]:
    """Last pass: every statement's ``claim_id``; claims sorted by id onto the corpus."""
    for claim in claims:
        for sid in claim.statement_ids:
            by_id[sid].claim_id = claim.id
    claims.sort(key=lambda c: c.id)
    corpus.claims = claims
    return claims


def _origin_keeps_its_claim(
    claims: Sequence[Claim],
    by_id: dict[str, Statement],
    group_of: Callable[[str], str],
    own_voice: Callable[[Statement], bool],
) -> None:
    """The origin of a claim (and every source counted as one with it: same entity, affiliation)
    never disputes or denies it: its other words on the claim elaborate it (``supports``).

    A claim's origin groups are the groups of the quoted speakers who assert it in their own name
    (``supports``/``reports`` without a cited source, or its representative wording); when no quoted
    speaker asserts it, the outlets/authors who do. The representative statement itself (the claim's
    wording) is never a dispute of it either. An author criticising a report he quotes is not its origin, so his
    dispute stands."""
    for claim in claims:
        statements = [by_id[sid] for sid in claim.statement_ids]
        asserting = [
            st for st in statements if st.stance in ("supports", "reports") and not st.cited_source_ids
        ]
        # the claim's own wording (its representative statement) is always its origin's
        representative = [
            st for st in statements if worded_as(st.text, claim.text) and not st.cited_source_ids
        ]
        worded = {st.id for st in representative}
        quoted = {group_of(st.source_id) for st in [*asserting, *representative] if not own_voice(st)}
        origins = quoted or {group_of(st.source_id) for st in [*asserting, *representative]}
        for st in statements:
            if (
                st.stance in ("disputes", "denies")
                and (group_of(st.source_id) in origins or st.id in worded)
                and not retracts(st)
            ):
                st.stance = "supports"
                st.stance_confidence = RULE_CONFIDENCE


#: A contradiction: a negation ("none had been discharged", "we never ...").
_NEGATION = re.compile(r"\b(?:no|not|none|never|nobody|nothing|neither|nor|cannot|n't)\b|n't\b")
#: A rhetorical question by the speaker's own side ("Why would we pay a firm we had just fined?").
_RHETORICAL = re.compile(
    r"\b(?:why|how) (?:on earth )?(?:would|should|could|will|do|does|did|can|is|are) "
    r"(?:we|i|our \w+|my \w+|anyone|anybody)\b[^?]*\?"
)


@FlagCache
def contradicts(text: str) -> bool:
    """A negation or a rhetorical question in the speaker's voice (the form an accused party's
    denial takes when it names no denial cue: "none had been discharged", "why would we pay a firm we had just fined?")."""
    lowered = normalise(text)
    return bool(_NEGATION.search(lowered) or _RHETORICAL.search(lowered))


def _accused_denials(
    run: _Run,
    claims: Sequence[Claim],
    claim_of: dict[str, Claim],
    core: dict[str, list[str]],
    claim_topics: dict[str, set[str]],
    attached: Sequence[tuple[Statement, Claim]],
) -> list[tuple[Statement, Claim]]:
    """Statements of the **accused party** that contradict a claim without a denial cue (``attached``: the
    statements :func:`_attach` added to ``claim_of`` after its index was made).

    A statement that joined no claim is a denial of claim X when: its speaker is not the outlet or
    author; its document carries X; the speaker is X's accused party (:func:`is_accused` on X's core
    entities: "Russian Interior Ministry" for a claim about Russia); it shares a topic word with X;
    and it contradicts (a negation, or a rhetorical question: :func:`contradicts`). When several
    claims of the document qualify, the one sharing most topic words wins; a tie attaches nothing.

    When it shares no topic word with any claim it is accused in, it still denies X when **what it negates**
    is an event X's origin told in its account (:func:`~claimgraph.claims.attach_rules.told_event`: "none had
    been discharged" against the origin's "tonnes of it have since been discharged into the river", a sentence of the
    origin's own article that the matcher did not join to X)."""
    from .attach_rules import OriginAccounts, told_event

    index = run.attach_index
    # the origin accounts of the claims a contradicting statement is accused in, each made when first asked
    accounts = OriginAccounts(
        claims, run.statements, claim_of, run.group_of, run.topic_of,
        run.by_id, index.doc_statements if index is not None else None,
    )  # fmt: skip
    own_side = _own_side_check(run)
    by_doc = (
        _claims_by_document_since(index, claim_of, attached)
        if index is not None
        else _claims_by_document(run.statements, claim_of)
    )
    test = run.accused()

    def accuses(who: Source, claim: Claim) -> bool:
        return test(who, core.get(claim.id, claim.entity_ids))

    out: list[tuple[Statement, Claim]] = []
    for st in run.statements:
        if st.id in claim_of or st.stance == "declines" or run.own_voice(st) or _inert(st):
            continue
        candidates = by_doc.get(st.document_id)
        source = run.sources.get(st.source_id)
        if not candidates or source is None or not contradicts(st.text):
            continue
        words = run.topic_of(st)
        accused_of = [
            claim for claim in candidates if accuses(source, claim) and not own_side(claim, accuses)
        ]
        scored = [(n, c) for c in accused_of if (n := len(words & claim_topics.get(c.id, set())))]
        if not scored and accused_of:
            # the denied event is one the claim's origin told in its account (attach_rules.told_event)
            scored = told_event(st, accused_of, accounts, run.group_of)
        if not scored:
            continue
        scored.sort(key=lambda x: -x[0])
        if len(scored) > 1 and scored[1][0] == scored[0][0]:
            continue  # ambiguous: which claim it contradicts is not clear
        out.append((st, scored[0][1]))
    return out


def _own_side_check(run: _Run) -> Callable[..., bool]:
    """Whether a claim's origin is itself its accused party (a utility reporting the tonnes its own plant
    discharged): the claim accuses nobody of that party, so that party's negations are no denial of it. The origin
    sources are the speakers of the statements worded as the claim; the answer is kept per claim."""
    seen: dict[str, bool] = {}

    def own_side(claim: Claim, accuses: Callable[[Source, Claim], bool]) -> bool:
        if claim.id not in seen:
            origins = {
                run.by_id[sid].source_id
                for sid in claim.statement_ids
                if worded_as(run.by_id[sid].text, claim.text) and not run.own_voice(run.by_id[sid])
            }
            found = False
            for sid in sorted(origins):
                origin = run.sources.get(sid)
                if origin is None:
                    continue
                found = found or accuses(origin, claim)
            seen[claim.id] = found
        return seen[claim.id]

    return own_side


#: Words that name a claim as a thing ("the story", "the report"): never a topic of a claim.
REFERENCE_TOKENS = frozenset(
    content_tokens("allegation allegations accusation accusations claim claims report reports story stories "
                   "finding findings account charge charges")
)  # fmt: skip


def _entity_tokens(corpus: Corpus, memo: ActorMemo | None = None) -> list[frozenset[str]]:
    """Matching tokens of each entity's name and aliases, in ``corpus.entities`` order: their union is the
    words that name actors, not topics (demonyms are removed per statement, see ``topic_of`` in
    :func:`build_claims`); one entity's are its names' tokens (``actor_tokens``). One pass serves both.
    ``memo``: the previous run's tokens of entities whose names did not change are read from it."""
    out: list[frozenset[str]] = []
    for e in corpus.entities:
        stored = memo.entity_tokens(e) if memo is not None else None
        if stored is None:
            stored = frozenset(
                t for n in [e.name, *(a.name for a in e.aliases)] if n for t in content_tokens(n)
            )
        out.append(stored)
    return out


def _only(claim: Claim, statement_ids: Sequence[str]) -> Claim:
    """A view of ``claim`` restricted to ``statement_ids`` (for stance rules of attached statements)."""
    return Claim(id=claim.id, text=claim.text, statement_ids=list(statement_ids), first_seen=None,
                 entity_ids=claim.entity_ids)  # fmt: skip


def _stands_alone(statement: Statement) -> bool:
    return statement.mode != "assertion" and bool(statement.entity_ids) and statement.stance != "declines"


def _post_stands_alone(run: _Run, statement: Statement) -> bool:
    """A post's statement makes a claim by itself, as a quoted source's does (:func:`_stands_alone`), though it is
    in its author's own voice: a post (:func:`_is_post`: a social-media post, an alert, a headline given alone)
    is all its author says and its own summary, not a background line of an article that takes its subject
    from the sentences around it ("Spider burrowed through tourist's stomach" names nobody and is a whole
    proposition)."""
    return statement.stance != "declines" and statement.document_id in run.posts()


def _make_claim(
    parts: list[list[Statement]],
    expanded: dict[str, set[str]],
    dispute_like: Callable[[Statement], bool] = _dispute_like,
) -> tuple[Claim, list[str]]:
    """A claim from its parts; its wording is the earliest asserting statement of its largest part
    (the core the matcher found), and its core entities are the accused party. ``dispute_like``:
    :func:`_dispute_like`, or a run's answers (:meth:`_Run.dispute_like`)."""
    group = [s for part in parts for s in part]
    # the first of the largest parts (parts come earliest first); a part with a body sentence before
    # one of headlines only: a headline abbreviates ("X's quiet pipeline"), a sentence states the claim
    core_part = max(parts, key=lambda part: (any(s.part != "title" for s in part), len(part)))
    asserting = [s for s in core_part if not dispute_like(s)] or core_part
    representative = asserting[0]
    entity_ids, core = _claim_entities(group, expanded, dispute_like)
    claim = Claim(
        id=stable_id("claim", representative.id),
        text=display_text(representative.text),  # one paragraph: a quote continued below is cut
        statement_ids=sorted(s.id for s in group),
        first_seen=None,
        entity_ids=entity_ids,
    )
    return claim, core


def _claim_entities(
    group: Sequence[Statement], expanded: dict[str, set[str]], dispute_like: Callable[[Statement], bool]
) -> tuple[list[str], list[str]]:
    """A claim's entities and core entities from its statements: how many asserting statements name each entity;
    its entities are those named, its core entities (the accused party) those named by at least a third as many
    as the most named one (:func:`~claimgraph.claims.allegations.core_of_counts`)."""
    all_asserting = [s for s in group if not dispute_like(s)] or group
    counts: dict[str, int] = defaultdict(int)
    for s in all_asserting:
        named = expanded.get(s.id)
        for e in named if named is not None else set(s.entity_ids):
            counts[e] += 1
    return sorted(counts), sorted(core_of_counts(counts))


def _fill_documents(claim: Claim, by_id: dict[str, Statement], documents: dict[str, Document]) -> None:
    doc_ids = sorted({by_id[s].document_id for s in claim.statement_ids})
    claim.document_ids = doc_ids
    dates = [p for d in doc_ids if d in documents and (p := documents[d].published)]
    claim.first_seen = min(dates) if dates else None
    claim.outlets = sorted({o for d in doc_ids if d in documents and (o := documents[d].outlet)})


@dataclass
class _AttachIndex:
    """Where each claim is carried: by document, by entity, by topic word; each document's statements,
    the claim each document is mostly about, and each claim's statements as matcher positions."""

    by_doc: dict[str, list[Claim]]
    by_entity: dict[str, list[Claim]]
    by_topic: dict[str, list[Claim]]
    doc_statements: dict[str, list[Statement]]
    dominant: dict[str, Claim]
    positions: dict[str, Any]
    carried: dict[str, set[str]] = field(default_factory=dict)
    """The ids of ``by_doc``'s claims, per document."""
    entity_sets: dict[str, frozenset[str]] = field(default_factory=dict)
    """Each claim's entity ids."""
    entity_claims: dict[str, dict[str, Claim]] = field(default_factory=dict)
    """``by_entity``'s claims by id, in the same order (one ``dict.update`` adds an entity's candidates)."""
    doc_claims: dict[str, dict[str, Claim]] = field(default_factory=dict)
    """``by_doc``'s claims by id, in the same order."""


def _claims_by_document_since(
    index: _AttachIndex, claim_of: dict[str, Claim], added: Sequence[tuple[Statement, Claim]]
) -> dict[str, list[Claim]]:
    """:func:`_claims_by_document` of the index's statements and ``claim_of``, when ``claim_of`` changed since the
    index was made only by the statements of ``added`` (the attached ones): the index's ``by_doc``, with the
    documents of those statements counted again (no other document's claims or their order can differ)."""
    by_doc = dict(index.by_doc)
    for doc_id in sorted({st.document_id for st, _claim in added}):
        found = _claims_by_document(index.doc_statements.get(doc_id, []), claim_of).get(doc_id)
        if found is None:
            by_doc.pop(doc_id, None)
        else:
            by_doc[doc_id] = found
    return by_doc


def _claims_by_document(
    statements: Sequence[Statement], claim_of: dict[str, Claim]
) -> dict[str, list[Claim]]:
    """The claims each document carries, in the order of their first statement there (``statements``
    earliest first). Claims are told apart by id (distinct claims have distinct ids), not by comparing
    every field as ``Claim.__eq__`` does."""
    by_doc: dict[str, dict[str, Claim]] = defaultdict(dict)
    for st in statements:
        found = claim_of.get(st.id)
        if found is not None:
            by_doc[st.document_id].setdefault(found.id, found)
    return {doc_id: list(found.values()) for doc_id, found in by_doc.items()}


def _attach_index(
    claims: Sequence[Claim],
    claim_of: dict[str, Claim],
    ordered: Sequence[Statement],
    position: dict[str, int],
    claim_topics: dict[str, set[str]] | None,
) -> _AttachIndex:
    import numpy as np

    by_entity: dict[str, list[Claim]] = defaultdict(list)
    for claim in claims:
        for eid in claim.entity_ids:
            by_entity[eid].append(claim)
    # one pass over the statements: each document's statements, its claims in the order of their first
    # statement there (as _claims_by_document), and each claim's statements there (and whether in its headline)
    doc_statements: dict[str, list[Statement]] = defaultdict(list)
    doc_claims: dict[str, dict[str, Claim]] = defaultdict(dict)
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    headlines: dict[str, set[str]] = defaultdict(set)
    for st in ordered:
        doc_statements[st.document_id].append(st)
        found = claim_of.get(st.id)
        if found is not None:
            doc_claims[st.document_id].setdefault(found.id, found)
            counts[st.document_id][found.id] += 1
            if st.part == "title":
                headlines[st.document_id].add(found.id)
    by_doc = {doc_id: list(found.values()) for doc_id, found in doc_claims.items()}
    dominant: dict[str, Claim] = {}
    for doc_id, in_doc in counts.items():
        headline = headlines.get(doc_id, set())
        top = max(sorted(in_doc), key=lambda cid: (in_doc[cid], cid in headline))
        dominant[doc_id] = doc_claims[doc_id][top]
    by_topic: dict[str, list[Claim]] = defaultdict(list)
    for claim in claims:
        # each word's list holds the claims in ``claims`` order whatever order a claim's words come in
        for word in (claim_topics or {}).get(claim.id, ()):
            by_topic[word].append(claim)
    positions = {
        claim.id: np.array([position[s] for s in claim.statement_ids if s in position], dtype=np.int64)
        for claim in claims
    }
    carried = {doc_id: set(found) for doc_id, found in doc_claims.items()}
    entity_sets = {claim.id: frozenset(claim.entity_ids) for claim in claims}
    entity_claims = {eid: {c.id: c for c in found} for eid, found in by_entity.items()}
    return _AttachIndex(
        by_doc, by_entity, by_topic, doc_statements, dominant, positions, carried, entity_sets, entity_claims,
        dict(doc_claims),
    )  # fmt: skip


def _candidate_claims(
    st: Statement,
    group: Sequence[Statement],
    index: _AttachIndex,
    expanded: dict[str, set[str]],
    claim_topics: dict[str, set[str]] | None,
    topic_of: Callable[[Statement], set[str]] | None,
    reach: _Reach | None = None,
    at: int = -1,
) -> tuple[list[Claim], bool]:
    """The claims ``st`` may address: those of its document, sharing an entity, or carried where its
    siblings were said; for a statement naming a claim, only the topical ones. Also: whether topical.

    ``reach`` (for a member whose group is said in its document only; ``at``: its matcher position): of the
    claims that are not topical, those :meth:`_Reach.able` keeps, in the same order. The reach test reads the
    claim alone, so each entity's claims are tested before they join (a boolean mask over their numbers) rather
    than every candidate after: the same claims, in the same first-seen order."""
    topical = _topical_claims(st, index.by_topic, claim_topics, topic_of)
    if topical:
        return topical, True
    able = reach.mask(st, at) if reach is not None else None
    if able is False:  # only its document's claims (each one already first where it is seen)
        return list(index.doc_claims.get(st.document_id, {}).values()), False
    # in first-seen order; ``update`` keeps a claim seen before where it was (its value is the same claim)
    candidates: dict[str, Claim] = dict(index.doc_claims.get(st.document_id, {}))
    for eid in expanded.get(st.id, set(st.entity_ids)):
        if able is None:
            candidates.update(index.entity_claims.get(eid, {}))
        elif reach is not None and eid in index.entity_claims:
            ids, found, numbers = reach.entity(eid)
            keep = able[numbers].tolist()
            candidates.update(zip(compress(ids, keep), compress(found, keep), strict=True))
    for sibling in group:  # the claims carried where the same words were said
        if sibling.document_id != st.document_id:
            carried = index.doc_claims.get(sibling.document_id, {})
            if able is None or reach is None:
                candidates.update(carried)
            else:
                number = reach.reachable().number
                candidates.update((cid, c) for cid, c in carried.items() if able[number[cid]])
    return list(candidates.values()), False


def _best_similarities(
    requests: Sequence[tuple[int, str]], positions: Mapping[str, Any], matcher: ClaimMatcher
) -> list[float]:
    """For each ``(statement position, claim id)``: the best matcher score of the statement against the
    claim's statements (``positions[claim id]``), in one batched matcher call per chunk of requests (0 for an
    empty claim)."""
    import numpy as np

    out: list[float] = [0.0] * len(requests)
    chunk = 4096
    for lo in range(0, len(requests), chunk):
        part = requests[lo : lo + chunk]
        sizes = np.array([len(positions[cid]) for _, cid in part], dtype=np.int64)
        if not sizes.sum():
            continue
        left = np.repeat(np.array([p for p, _ in part], dtype=np.int64), sizes)
        right = np.concatenate([positions[cid] for _, cid in part])
        scores = matcher.similarity(left, right)
        starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
        nonempty = np.flatnonzero(sizes)
        best = np.maximum.reduceat(scores, starts[nonempty])
        for k, value in zip(nonempty.tolist(), best.tolist(), strict=True):
            out[lo + k] = float(value)
    return out


def _propose_attachments(
    attach_groups: Sequence[Sequence[Statement]],
    claims: Sequence[Claim],
    claim_of: dict[str, Claim],
    ordered: Sequence[Statement],
    documents: dict[str, Document],
    matcher: ClaimMatcher,
    position: dict[str, int],
    expanded: dict[str, set[str]],
    claim_topics: dict[str, set[str]] | None = None,
    topic_of: Callable[[Statement], set[str]] | None = None,
    *,
    prune: bool = True,
    index: _AttachIndex | None = None,
) -> list[tuple[Statement, Claim, bool]]:
    """For each refusal/dispute/reference without a claim: the best claim it addresses, if any.

    A statement that names the claim it addresses ("the bribery report is unproven so far")
    goes to the claims whose core topic words (``claim_topics``) it shares best, anywhere in the
    corpus: a dispute in a follow-up article about another matter still addresses the allegation.

    ``attach_groups`` are such statements grouped by the matcher: the same dispute worded alike in
    several documents (a syndicated copy, a follow-up quoting the same expert) lends each copy a
    bonus towards the claims carried by its siblings' documents.

    Passes: the index (:func:`_attach_index`); each member's candidate claims (:func:`_candidate_claims`)
    and their context bonuses (:class:`_Requests`); the similarities, in batched matcher calls
    (:func:`_best_similarities`): all of them for a group said in several documents, and for the other
    members only those of the claims that can still win (:func:`_prune`; ``prune=False``: all, the same
    choice, tested); each member's scores; the choice with the siblings' backing (:func:`_choose_claim`)."""
    if not claims:
        return []
    if index is None:
        index = _attach_index(claims, claim_of, ordered, position, claim_topics)
    table = _Requests()
    members: list[tuple[int, int]] = []  # (first row, end row) of each member's candidates
    reach = _Reach(index, matcher) if prune else None
    for group in attach_groups:
        alone = len({st.document_id for st in group}) == 1  # no member has a sibling in another document
        for st in group:
            claims_of_st, topical = _candidate_claims(
                st, group, index, expanded, claim_topics, topic_of,
                reach if alone else None, position.get(st.id, -1),
            )  # fmt: skip
            first = len(table.claims)
            table.add(st, claims_of_st, topical, alone, index, claim_of, expanded, position)
            members.append((first, len(table.claims)))
    sims = table.similarities(index, matcher, prune)
    proposals: list[tuple[Statement, Claim, bool]] = []
    at = 0
    for group in attach_groups:
        own: list[dict[str, tuple[float, Claim, bool, bool]]] = []
        for _st in group:
            lo, hi = members[at]
            at += 1
            own.append(table.scored(lo, hi, sims))
        for k, st in enumerate(group):
            chosen = _choose_claim(k, group, own)
            if chosen is not None:
                proposals.append((st, chosen[0], chosen[1]))
    return proposals


class _Reach:
    """The candidate claims of a member without siblings that can be chosen, before any row is made: those of its
    document, and of the others those its similarity can make eligible (at least ``CROSS_DOCUMENT_MIN``,
    :class:`~claimgraph.claims.attach_bounds.ReachableClaims`). A claim elsewhere is neither in the member's
    document nor the nearest or dominant claim there (both are carried by it), so it is eligible only by
    similarity; a member said in one document only has no sibling backing, so an ineligible claim is passed
    over (:func:`_choose_claim`): leaving it out changes no choice (tested against every row,
    ``tests/claims/test_attach_pruning.py``). Not for topical candidates (eligible as such).
    :func:`_candidate_claims` applies it (:meth:`mask`, :meth:`entity`); :meth:`able` is the same filter over a
    list of candidates."""

    def __init__(self, index: _AttachIndex, matcher: ClaimMatcher) -> None:
        self.index = index
        self.matcher = matcher
        self._reachable: Any = None
        self._made = False
        self._entities: dict[str, tuple[list[str], list[Claim], Any]] = {}

    def reachable(self) -> Any:
        """The :class:`~claimgraph.claims.attach_bounds.ReachableClaims` of the claims (made on first use), or
        ``None``: every claim is reachable."""
        from .attach_bounds import reachable_claims

        if not self._made:
            self._reachable = reachable_claims(self.index.positions, self.matcher, CROSS_DOCUMENT_MIN)
            self._made = True
        return self._reachable

    def mask(self, st: Statement, at: int) -> Any:
        """The claims (a boolean array over the claims' numbers, ``ReachableClaims.number``) that member ``st``
        (matcher position ``at``) can reach besides its document's, which it keeps whatever the mask says;
        ``None``: every claim; ``False``: none but its document's."""
        reachable = self.reachable()
        if at < 0:  # unknown to the matcher: similarity 0, only its document's claims can be eligible
            return False
        if reachable is None:
            return None
        return reachable.mask(at)

    def entity(self, eid: str) -> tuple[list[str], list[Claim], Any]:
        """Entity ``eid``'s candidate claims (``_AttachIndex.entity_claims``, in order): their ids, the claims and
        their numbers in :meth:`mask`'s array (made on first use)."""
        found = self._entities.get(eid)
        if found is None:
            import numpy as np

            claims = self.index.entity_claims[eid]
            ids = list(claims)
            number = self.reachable().number
            numbers = np.fromiter(map(number.__getitem__, ids), dtype=np.int64, count=len(ids))
            found = self._entities[eid] = (ids, list(claims.values()), numbers)
        return found

    def able(self, st: Statement, candidates: list[Claim], at: int) -> list[Claim]:
        """Of ``candidates``, those of ``st``'s document and those :meth:`mask` keeps, in order."""
        able = self.mask(st, at)
        if able is None:
            return candidates
        carried = self.index.carried.get(st.document_id, set())
        if able is False:
            return [c for c in candidates if c.id in carried]
        number = self.reachable().number
        return [c for c in candidates if c.id in carried or able[number[c.id]]]


#: A row's four bonuses (:attr:`_Requests.bonus_codes`) by its flags same document, entity overlap, nearest claim,
#: dominant claim, as the bits ``8 4 2 1`` of the index: the same floats as multiplying each bonus by its flag.
_BONUSES: tuple[tuple[float, float, float, float], ...] = tuple(
    (
        SAME_DOCUMENT_BONUS * bool(k & 8),
        ENTITY_BONUS * bool(k & 4),
        PROXIMITY_BONUS * bool(k & 2),
        DOMINANT_BONUS * bool(k & 1),
    )
    for k in range(16)
)


class _Requests:
    """Every (member, candidate claim) of the attachment pass as rows: the claim, its context bonuses, whether
    it is in the member's document, whether topical, the member's matcher position (-1: unknown to the
    matcher, similarity 0), and whether the member's group is said in one document only (no sibling backing:
    its members' choices can be pruned on their own)."""

    def __init__(self) -> None:
        self.claims: list[Claim] = []
        self.bonus_codes: list[int] = []
        """Each row's bonuses as their index in :data:`_BONUSES`: ``SAME_DOCUMENT_BONUS * same_doc``,
        ``ENTITY_BONUS * overlap``, ``PROXIMITY_BONUS * nearest``, ``DOMINANT_BONUS * dominant``, added one by
        one, in this order, to the similarity (an index per row: the pruning reads them as one array)."""
        self.same_doc: list[bool] = []
        self.topical: list[bool] = []
        self.position: list[int] = []
        self.member: list[int] = []
        self.alone: list[bool] = []
        self.members = 0
        """Members added."""

    def add(
        self,
        st: Statement,
        claims_of_st: Sequence[Claim],
        topical: bool,
        alone: bool,
        index: _AttachIndex,
        claim_of: dict[str, Claim],
        expanded: dict[str, set[str]],
        position: dict[str, int],
    ) -> None:
        nearest = _nearest_claim_before(st, index.doc_statements[st.document_id], claim_of)
        carried = index.carried.get(st.document_id, set())
        dominant = index.dominant.get(st.document_id)
        entities = expanded.get(st.id, set())
        at = position.get(st.id, -1)
        member = self.members
        self.members += 1
        # the rows are made column by column (a member has hundreds of candidate claims at 10,000 documents)
        ids = [claim.id for claim in claims_of_st]
        same = [cid in carried for cid in ids]
        sets = index.entity_sets
        overlap = [not entities.isdisjoint(sets[cid]) for cid in ids]
        near = [claim is nearest for claim in claims_of_st]
        main = [claim is dominant for claim in claims_of_st]
        self.claims.extend(claims_of_st)
        self.bonus_codes.extend(
            [(s << 3) | (o << 2) | (n << 1) | d for s, o, n, d in zip(same, overlap, near, main, strict=True)]
        )
        count = len(ids)
        self.same_doc.extend(same)
        self.topical.extend([topical] * count)
        self.position.extend([at] * count)
        self.member.extend([member] * count)
        self.alone.extend([alone] * count)

    def similarities(self, index: _AttachIndex, matcher: ClaimMatcher, prune: bool) -> Any:
        """Each row's similarity (float64 array), NaN for a row pruned (:func:`_prune`)."""
        import numpy as np

        n = len(self.claims)
        sims = np.full(n, np.nan)
        position = np.array(self.position, dtype=np.int64)
        sims[position < 0] = 0.0
        todo = np.flatnonzero(position >= 0)
        if prune:
            alone = np.array(self.alone, dtype=bool)
            self._exact(sims, np.flatnonzero((position >= 0) & ~alone), index, matcher)
            _prune(self, sims, np.flatnonzero((position >= 0) & alone), index, matcher)
        else:
            self._exact(sims, todo, index, matcher)
        return sims

    def _exact(
        self, sims: Any, rows: Any, index: _AttachIndex, matcher: ClaimMatcher, floors: Any = None
    ) -> None:
        """The similarities of ``rows``; with ``floors``, -inf for a row whose similarity is below its floor
        (:func:`~claimgraph.claims.attach_bounds.best_at_least`)."""
        from .attach_bounds import best_at_least

        if not len(rows):
            return
        requests = [(self.position[r], self.claims[r].id) for r in rows.tolist()]
        if floors is None:
            sims[rows] = _best_similarities(requests, index.positions, matcher)
            return
        sims[rows] = best_at_least(
            requests,
            floors,
            index.positions,
            matcher,
            lambda asked, positions: _best_similarities(asked, positions, matcher),
        )

    def scored(self, lo: int, hi: int, sims: Any) -> dict[str, tuple[float, Claim, bool, bool]]:
        """A member's (score, claim, same document, eligible) per candidate claim whose similarity is known."""
        out: dict[str, tuple[float, Claim, bool, bool]] = {}
        values = sims[lo:hi].tolist()
        for r, sim in zip(range(lo, hi), values, strict=True):
            if not math.isfinite(sim):  # NaN (not scored) or -inf (below its floor): cannot win
                continue
            same_doc, overlap, nearest, dominant = _BONUSES[self.bonus_codes[r]]
            score = sim + same_doc + overlap + nearest + dominant
            eligible = self.same_doc[r] or sim >= CROSS_DOCUMENT_MIN or self.topical[r]
            out[self.claims[r].id] = (score, self.claims[r], self.same_doc[r], eligible)
        return out


#: Taken off every floor of :func:`_prune` (far above the rounding of adding four bonuses).
FLOOR_MARGIN = 1e-9


def _prune(table: _Requests, sims: Any, rows: Any, index: _AttachIndex, matcher: ClaimMatcher) -> None:
    """Exact similarities of ``rows`` (members without siblings) that can decide their member's choice; the
    others stay NaN. Without siblings a member takes the eligible claim of highest score, similarity + bonuses
    (:func:`_choose_claim`). With each similarity at most its bound
    (:func:`~claimgraph.claims.attach_bounds.similarity_bounds`), a claim whose best possible score (bound +
    bonuses, added in the same order: float addition is monotone) is below a score the member is sure of (an
    eligible claim's score with its similarity known, or at 0) cannot be chosen, nor tie. Two rounds: the
    similarity of each member's most promising claim, then of every claim still able to reach the member's
    best sure score."""
    import numpy as np

    from .attach_bounds import similarity_bounds

    if not len(rows):
        return
    requests = [(table.position[r], table.claims[r].id) for r in rows.tolist()]
    bound = similarity_bounds(requests, index.positions, matcher)
    member = np.array(table.member, dtype=np.int64)[rows]
    bonuses = np.array(_BONUSES, dtype=np.float64)[np.array(table.bonus_codes, dtype=np.int64)[rows]]
    certain = np.array(table.same_doc, dtype=bool)[rows] | np.array(table.topical, dtype=bool)[rows]

    def scores(sim: Any) -> Any:
        return sim + bonuses[:, 0] + bonuses[:, 1] + bonuses[:, 2] + bonuses[:, 3]

    bonus = scores(np.zeros(len(rows)))
    sure = np.full(table.members, -np.inf)
    for first in (True, False):
        known = ~np.isnan(sims[rows])
        at_most = np.where(known, sims[rows], bound)
        upper = scores(at_most)
        possible = certain | (at_most >= CROSS_DOCUMENT_MIN)
        sure_rows = certain | (known & (sims[rows] >= CROSS_DOCUMENT_MIN))
        lower = scores(np.where(known, sims[rows], 0.0))
        np.maximum.at(sure, member[sure_rows], lower[sure_rows])
        if first:
            # each member's possible row of highest upper score
            order = np.lexsort((-upper, member))
            order = order[possible[order]]
            leading = order[np.r_[True, member[order][1:] != member[order][:-1]]] if len(order) else order
            wanted = leading[~known[leading]]
        else:
            wanted = np.flatnonzero(possible & ~known & (upper >= sure[member]))
        # below this floor a similarity can neither reach the sure score nor (not certain) make the claim eligible
        floors = np.maximum(
            sure[member[wanted]] - bonus[wanted], np.where(certain[wanted], -np.inf, CROSS_DOCUMENT_MIN)
        )
        table._exact(sims, rows[wanted], index, matcher, floors - FLOOR_MARGIN)
    # rows that cannot win stay NaN (a known one below the sure score is left as it is: it loses anyway)


def _choose_claim(
    k: int, group: Sequence[Statement], own: Sequence[dict[str, tuple[float, Claim, bool, bool]]]
) -> tuple[Claim, bool] | None:
    """Member ``k``'s claim: the best total of its own score and its siblings' mean backing (siblings in
    other documents); an ineligible claim counts only when a sibling's document carries it."""
    st = group[k]
    siblings = [own[m] for m in range(len(group)) if group[m].document_id != st.document_id]
    best: tuple[float, str, Claim, bool] | None = None
    for cid, (score, claim, same_doc, eligible) in own[k].items():
        backing = [sib[cid] for sib in siblings if cid in sib and sib[cid][3]]
        if not eligible and not any(b[2] for b in backing):
            continue
        total = score + SIBLING_BONUS * (sum(b[0] for b in backing) / len(siblings) if siblings else 0.0)
        key = (total, cid, claim, same_doc)
        # the highest total, ties to the id that is greater by _neg (computed on ties only)
        if best is None or total > best[0] or (total == best[0] and _neg(cid) > _neg(best[1])):
            best = key
    return (best[2], best[3]) if best is not None else None


#: Topic words of a claim (for statements naming it) come from at most this many statements per part.
MAX_TOPIC_STATEMENTS = 40
#: A claim-naming statement's topical candidates: at most this many claims per topic word are looked at.
MAX_TOPIC_BUCKET = 200
#: ... and must share at least this many topic words with them.
MIN_TOPIC_OVERLAP = 2


def _topical_claims(
    st: Statement,
    by_topic: dict[str, list[Claim]],
    claim_topics: dict[str, set[str]] | None,
    topic_of: Callable[[Statement], set[str]] | None,
) -> list[Claim]:
    """For a statement naming a claim ("the recruitment story"), the claims sharing most of its topic
    words (at least ``MIN_TOPIC_OVERLAP``); empty for other statements."""
    if claim_topics is None or topic_of is None or not refers_to_claim(st.text):
        return []
    words = topic_of(st)
    shared: dict[str, tuple[int, Claim]] = {}
    for word in sorted(words):
        bucket = by_topic.get(word, [])
        if len(bucket) > MAX_TOPIC_BUCKET:
            continue
        for claim in bucket:
            count = shared.get(claim.id, (0, claim))[0]
            shared[claim.id] = (count + 1, claim)
    if not shared:
        return []
    top = max(c for c, _ in shared.values())
    if top < MIN_TOPIC_OVERLAP:
        return []  # one shared word is too weak to override the document's own context
    return [claim for cid, (c, claim) in sorted(shared.items()) if c == top]


def _neg(text: str) -> tuple[int, ...]:
    return tuple(-ord(ch) for ch in text)


def _nearest_claim_before(
    st: Statement, in_doc: Sequence[Statement], claim_of: dict[str, Claim]
) -> Claim | None:
    best: Claim | None = None
    for other in in_doc:
        if other.part == st.part and other.start > st.start:
            break
        claim = claim_of.get(other.id)
        if claim is not None:
            best = claim
    return best
