"""The second grouping pass: fine-grained claims that state **one proposition** merge.

The matcher joins statements that say nearly the same thing at the claim threshold. One proposition,
though, is often worded differently by the same source ("the authority diverted flood funds", "our
audit shows the flood money was moved to a contractor"), and an outlet's headline
paraphrases the allegation its article reports. This pass joins such parts with the **matcher's
score at a lower threshold** (``factor x threshold``) where the context already ties them: the same
origin, or the document's own summary. Sharing a speaker and a topic word is never enough: a claim is
one proposition, and the same consultant's other sentences (the contractor's other deals, the audit's
method, her policy advice) stay claims of their own unless the matcher scores them as the same proposition.
The pass runs in two steps.

**Step 1, claim parts** (groups that can be a claim by themselves) merge when:

* **Guard** (always): if both name entities, they share one (demonyms count: "Kenyan" names
  Kenya). Two groups naming different actors stay apart, even from the same origin.
* and either **(A) the origin restates it**: both rest on the same origin group (the same speaker,
  affiliated sources counted as one, see :func:`claimgraph.identity.source_groups`), they share a
  topic word (a content word that is not an entity name) and either both name (shared) actors or
  they meet in one document, and their closest statements score at least ``factor x threshold``
  with the claim matcher;
* or **(D) the same figure**: both state a specific quantity (:func:`claimgraph.claims.text.quantities`:
  "412", not a year or a date) they share, both name actors and share one, and some pair of their
  statements shares a topic word ("412 fighters are held in three camps" and "412 members are being
  held awaiting trial"). Different figures never merge by this rule, and neither do round ones
  (:func:`identifying_figure`: fewer than three significant digits, "75", "300", "5,000", "1.2"): they
  recur in unrelated stories, and wire copy full of them ("400 mln dlrs", "a 75 pct stake") chained
  thousands of unrelated financial sentences into one claim through this rule;
* or **(B) the document's own summary**: in one document, one group is the outlet's/author's own voice
  *and is that document's summary there* (its headline or its lead, ``Signals.summary_of``), they share an
  actor, and their closest statements score at least ``factor x threshold`` with the claim matcher; a
  paraphrasing headline ("Flood money went to contractor, auditor says") joins the allegation its article
  reports. The reporter's own sentences further down (background: what a third party did, the history of the
  matter) are no summary of the article: a group holding one of them in the shared document joins only by
  (A) or (D), whatever words it shares with the allegation.

**Step 2, lone sentences** (one assertion that makes no claim by itself) join an allegation only when
they state or relay its **core proposition**: they share one of its *core topic words* (topic words
used by at least two statements of its core part, the group the matcher found) and name none of
*other* actors only, and either

* **(A') the origin restates it**: the sentence is spoken by an origin of the allegation's core part
  (its quoted speakers; the outlet's or author's own voice only when nobody else speaks there), it
  names a core entity or sits in a document that carries the allegation, and its closest statement
  of the allegation scores at least ``factor x threshold`` with the claim matcher; or
* **(C) an outlet relays it**: the outlet's/author's own voice with a relay cue ("a week after
  allegations that ...", "..., report claims") naming a core entity, in a document carrying the
  allegation (or, elsewhere, sharing two core topic words); a relay naming no entity at all needs
  two core topic words and a document carrying the allegation.

Background lines of the origin or of the reporter (a biography, the weather, another matter) and the
origin's elaborations that the matcher does not score as the same proposition stay out. Candidate
pairs come only from groups sharing a document, or an origin and an actor (for a relay, also its
accused party); a bucket larger than ``max_bucket`` groups is not paired, so the pass stays linear.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..identity import UnionFind
from ..model import Statement
from .matching import ClaimMatcher

__all__ = [
    "ALLEGATION_FACTOR",
    "FIXED_IDF_ALLEGATION_FACTOR",
    "AllegationCore",
    "Closeness",
    "GroupFacts",
    "Signals",
    "allegation_cores",
    "allegation_factor",
    "attach_lone_sentences",
    "candidate_buckets",
    "closeness",
    "closest_pairs",
    "core_entity_set",
    "core_of_counts",
    "core_topics",
    "group_facts",
    "identifying_figure",
    "join_rule",
    "merge_allegations",
    "merge_parts",
    "merge_parts_batched",
    "parts_join",
]

#: A merged pair's closest statements must score at least this fraction of the claim threshold, on the
#: lexical scale with the IDF fitted on the corpus (``tfidf.TfidfMatcher(idf="corpus")``), where it was set.
ALLEGATION_FACTOR = 0.5
#: The same rule on the fixed IDF table's scale (``idf="fixed"``), measured on real news by
#: ``benchmarks/allegation_scale.py`` (FNC-1 bodies; ``docs/claims.md``, "IDF"): the smallest factor whose
#: cross-claim false merges do not exceed those of :data:`ALLEGATION_FACTOR` on the corpus-fitted scale.
FIXED_IDF_ALLEGATION_FACTOR = 0.6


def allegation_factor(matcher: object) -> float:
    """The allegation rule's factor for a lexical matcher's scale (its ``idf``)."""
    return ALLEGATION_FACTOR if getattr(matcher, "idf", "corpus") == "corpus" else FIXED_IDF_ALLEGATION_FACTOR


#: A figure identifies a fact for rule (D) when it has at least this many significant digits.
MIN_SIGNIFICANT_DIGITS = 3


def identifying_figure(figure: str) -> bool:
    """Whether a figure of :func:`~claimgraph.claims.text.quantities` ("412", "1200", "3.5") can identify one
    fact on its own (rule (D)): at least :data:`MIN_SIGNIFICANT_DIGITS` significant digits ("412", "1,347",
    "17.8"); round figures ("75", "300", "5,000", "1.2") recur across unrelated stories."""
    digits = figure.replace(".", "").strip("0")
    return len(digits) >= MIN_SIGNIFICANT_DIGITS


#: At most this many statements of each group are compared (the earliest).
MAX_COMPARED = 40
#: Origin buckets larger than this are not paired (a prolific source's unrelated claims).
MAX_BUCKET = 60


@dataclass(frozen=True)
class Signals:
    """What the passes read from a statement (callbacks supplied by the claims stage)."""

    origin_of: Callable[[Statement], str | None]
    entities_of: Callable[[Statement], set[str]]
    topic_of: Callable[[Statement], set[str]]
    own_voice: Callable[[Statement], bool]
    relays: Callable[[Statement], bool] | None = None
    quantities_of: Callable[[Statement], frozenset[str]] | None = None
    summary_of: Callable[[Statement], bool] | None = None
    """Whether a statement is its document's own summary (its headline or its lead); ``None``: every
    own-voice statement counts as one."""


@dataclass
class GroupFacts:
    """Pass 1's record of one input group: where it is told, by whom, about whom, with which figures."""

    statements: list[Statement]
    docs: set[str]
    origins: set[str]
    ents: set[str]
    own: bool
    figures: frozenset[str]
    loose: bool
    summary_docs: set[str] = field(default_factory=set)
    """Documents where one of the group's statements is the document's own summary (rule B)."""
    _topics: set[str] | None = field(default=None, repr=False)

    def topics(self, topic_of: Callable[[Statement], set[str]]) -> set[str]:
        """Topic words of the group's first :data:`MAX_COMPARED` statements (computed once)."""
        if self._topics is None:
            self._topics = set().union(*(topic_of(s) for s in self.statements[:MAX_COMPARED]))
        return self._topics


@dataclass(frozen=True)
class AllegationCore:
    """Pass 4's record of one allegation (a merged set of claim parts): what a lone sentence must share."""

    root: int
    members: tuple[int, ...]
    words: set[str]  # core topic words
    all_ents: set[str]
    core_ents: set[str]  # the accused party
    origins: set[str]
    docs: set[str]


def core_topics(statements: Sequence[Statement], topic_of: Callable[[Statement], set[str]]) -> set[str]:
    """Topic words used by at least two of ``statements`` (all of them when there are fewer than three)."""
    counts: dict[str, int] = defaultdict(int)
    for st in statements[:MAX_COMPARED]:
        for word in topic_of(st):
            counts[word] += 1
    if len(statements) < 3:
        return set(counts)
    return {word for word, c in counts.items() if c >= 2}


def core_entity_set(
    statements: Sequence[Statement], entities_of: Callable[[Statement], set[str]]
) -> set[str]:
    """Entities named by at least a third as many statements as the most named one (the accused party)."""
    counts: dict[str, int] = defaultdict(int)
    for st in statements:
        for eid in entities_of(st):
            counts[eid] += 1
    return core_of_counts(counts)


def core_of_counts(counts: dict[str, int]) -> set[str]:
    """:func:`core_entity_set` from the number of statements naming each entity."""
    if not counts:
        return set()
    top = max(counts.values())
    return {e for e, c in counts.items() if 3 * c >= top}


# -- pass 1 -------------------------------------------------------------------------------------


def group_facts(
    groups: Sequence[list[Statement]], signals: Signals, optional: Sequence[bool] | None = None
) -> list[GroupFacts]:
    """Pass 1: documents, origins, entities, own voice and figures of every group (a group of one statement,
    most of them, by :func:`_one_statement_facts`: the same values without the generators)."""
    loose = list(optional) if optional is not None else [False] * len(groups)
    facts = []
    for g, is_loose in zip(groups, loose, strict=True):
        if len(g) == 1:
            facts.append(_one_statement_facts(g[0], signals, is_loose))
            continue
        figures: frozenset[str] = frozenset()
        if signals.quantities_of is not None:
            figures = frozenset(
                f for f in frozenset().union(*(signals.quantities_of(s) for s in g)) if identifying_figure(f)
            )
        own = all(signals.own_voice(s) for s in g)
        summary_of = signals.summary_of
        summary_docs = (
            {s.document_id for s in g if summary_of is None or summary_of(s)} if own else set[str]()
        )
        facts.append(
            GroupFacts(
                statements=list(g),
                docs={s.document_id for s in g},
                origins={o for s in g if (o := signals.origin_of(s)) is not None},
                ents=set().union(*(signals.entities_of(s) for s in g)),
                own=own,
                figures=figures,
                loose=is_loose,
                summary_docs=summary_docs,
            )
        )
    return facts


def _one_statement_facts(s: Statement, signals: Signals, loose: bool) -> GroupFacts:
    """:func:`group_facts`' record of the group ``[s]``: each set of the general form over one statement."""
    figures: frozenset[str] = frozenset()
    if signals.quantities_of is not None:
        found = signals.quantities_of(s)
        if found:
            figures = frozenset(f for f in found if identifying_figure(f))
    own = signals.own_voice(s)
    summary_of = signals.summary_of
    summary_docs = {s.document_id} if own and (summary_of is None or summary_of(s)) else set[str]()
    origin = signals.origin_of(s)
    return GroupFacts(
        statements=[s],
        docs={s.document_id},
        origins={origin} if origin is not None else set[str](),
        ents=set(signals.entities_of(s)),
        own=own,
        figures=figures,
        loose=loose,
        summary_docs=summary_docs,
    )


# -- pass 2 -------------------------------------------------------------------------------------


def candidate_buckets(facts: Sequence[GroupFacts], max_bucket: int = MAX_BUCKET) -> list[list[int]]:
    """Pass 2: the claim parts that may be paired: those sharing a document, an (origin, actor) or a (figure,
    actor); buckets of one group or of more than ``max_bucket`` groups are dropped, so pairing stays linear."""
    by_doc: dict[str, list[int]] = defaultdict(list)
    by_origin_actor: dict[tuple[str, str], list[int]] = defaultdict(list)
    by_figure_actor: dict[tuple[str, str], list[int]] = defaultdict(list)
    for k, f in enumerate(facts):
        if f.loose:
            continue
        for d in f.docs:
            by_doc[d].append(k)
        for o in f.origins:
            for e in f.ents:
                by_origin_actor[(o, e)].append(k)
        for q in f.figures:
            for e in f.ents:
                by_figure_actor[(q, e)].append(k)
    buckets = [*by_doc.values(), *by_origin_actor.values(), *by_figure_actor.values()]
    return [b for b in buckets if 2 <= len(b) <= max_bucket]


# -- pass 3 -------------------------------------------------------------------------------------


def _pair_topics(a: GroupFacts, b: GroupFacts, topic_of: Callable[[Statement], set[str]]) -> bool:
    """Some statement of ``a`` and some of ``b`` share a topic word. When one part is a single statement, its
    topic words are that statement's, and the other's are its statements' together: sharing one is the answer."""
    if a.topics(topic_of).isdisjoint(b.topics(topic_of)):
        return False
    if len(a.statements) == 1 or len(b.statements) == 1:
        return True
    return any(
        not topic_of(x).isdisjoint(topic_of(y))
        for x in a.statements[:MAX_COMPARED]
        for y in b.statements[:MAX_COMPARED]
    )


#: The matcher's best score between two groups' closest statements.
Closeness = Callable[[Sequence[Statement], Sequence[Statement]], float]


def closeness(matcher: ClaimMatcher, position: dict[str, int]) -> Closeness:
    """The best matcher score between any statement of one list and any of the other (the first
    :data:`MAX_COMPARED` of each), in one batched call; 0 when either has no matcher position
    (:func:`closest_pairs` for one pair)."""

    def closest(left: Sequence[Statement], right: Sequence[Statement]) -> float:
        return closest_pairs(matcher, position, [(left, right)])[0]

    return closest


def closest_pairs(
    matcher: ClaimMatcher,
    position: dict[str, int],
    pairs: Sequence[tuple[Sequence[Statement], Sequence[Statement]]],
) -> list[float]:
    """The best matcher score between the two statement lists of each pair (the first :data:`MAX_COMPARED` of
    each; 0 when either has no matcher position), in batched matcher calls (a few instead of one per pair: the
    matcher's fixed cost per call was most of the allegation pass's scoring). Each score is a function of its
    own statement pairs only (the matcher scores every pair on its own), so batching changes no value."""
    import numpy as np

    out = [0.0] * len(pairs)
    chunk = 2048
    for lo in range(0, len(pairs), chunk):
        left: list[Any] = []
        right: list[Any] = []
        sizes: list[int] = []
        for pair_left, pair_right in pairs[lo : lo + chunk]:
            i_pos = [position[s.id] for s in pair_left[:MAX_COMPARED] if s.id in position]
            j_pos = [position[s.id] for s in pair_right[:MAX_COMPARED] if s.id in position]
            if not i_pos or not j_pos:
                sizes.append(0)
                continue
            left.append(np.repeat(np.array(i_pos, dtype=np.int64), len(j_pos)))
            right.append(np.tile(np.array(j_pos, dtype=np.int64), len(i_pos)))
            sizes.append(len(i_pos) * len(j_pos))
        if not left:
            continue
        scores = matcher.similarity(np.concatenate(left), np.concatenate(right))
        counts = np.array(sizes, dtype=np.int64)
        nonempty = np.flatnonzero(counts)
        starts = (np.cumsum(counts) - counts)[nonempty]
        best = np.maximum.reduceat(scores, starts)
        for k, value in zip(nonempty.tolist(), best.tolist(), strict=True):
            out[lo + k] = float(value)
    return out


def join_rule(a: GroupFacts, b: GroupFacts, topic_of: Callable[[Statement], set[str]]) -> bool | None:
    """:func:`parts_join` up to the matcher: ``True`` or ``False`` when its rules decide without the two
    parts' closeness, ``None`` when the answer is ``closeness >= minimum`` ((A) or (B))."""
    # (set tests by isdisjoint: no intersection made)
    if a.ents and b.ents and a.ents.isdisjoint(b.ents):
        return False  # different actors: a different claim, even from the same origin
    if a.ents and b.ents and not a.figures.isdisjoint(b.figures) and _pair_topics(a, b, topic_of):
        return True  # (D) the same specific figure about the same actors
    same_origin = not a.origins.isdisjoint(b.origins) and bool(
        (a.ents and b.ents) or not a.docs.isdisjoint(b.docs)
    )
    if same_origin and _pair_topics(a, b, topic_of):
        return None  # (A) the origin restates it, when close enough
    if a.ents.isdisjoint(b.ents) or not (a.summary_docs or b.summary_docs):
        return False
    shared = a.docs & b.docs
    summary = not a.summary_docs.isdisjoint(shared) or not b.summary_docs.isdisjoint(shared)
    return None if summary else False  # (B) the document's own summary, when close enough


def parts_join(
    a: GroupFacts,
    b: GroupFacts,
    topic_of: Callable[[Statement], set[str]],
    closest: Closeness,
    minimum: float,
) -> bool:
    """Whether two claim parts state one proposition: the guard, then rules (A), (D), (B) of the module.

    ``closest`` scores the two parts' closest statements with the claim matcher; (A) and (B) need
    ``minimum`` (``factor x threshold``)."""
    decided = join_rule(a, b, topic_of)
    if decided is not None:
        return decided
    return closest(a.statements, b.statements) >= minimum


def _members(facts: Sequence[GroupFacts], uf: UnionFind) -> dict[int, list[int]]:
    """Root -> member group indices of the merged parts (loose groups out)."""
    members: dict[int, list[int]] = defaultdict(list)
    for k, f in enumerate(facts):
        if not f.loose:
            members[uf.find(k)].append(k)
    return dict(members)


def merge_parts_batched(
    facts: Sequence[GroupFacts],
    buckets: Sequence[Sequence[int]],
    topic_of: Callable[[Statement], set[str]],
    scores: Callable[[Sequence[tuple[Sequence[Statement], Sequence[Statement]]]], list[float]],
    minimum: float,
) -> dict[int, list[int]]:
    """:func:`merge_parts` with :func:`parts_join`, the closeness of every pair that needs it asked in one
    batch (``scores``, e.g. :func:`closest_pairs`) before the merge: the rules of every bucket pair first, then
    the same union-find steps in the same order (a pair is joined when its parts are not yet one and it joins),
    so the same allegations with the same roots. It asks the rules of the pairs :func:`merge_parts` skips as
    already merged too (pure functions: no other effect), and each pair once however many buckets hold it."""
    # each pair once, where first met: a pair met again in another bucket (two parts sharing a document and an
    # origin) changes nothing in the union-find (joined the first time, or not joining)
    pairs = list(
        dict.fromkeys(
            (a, b) for bucket in buckets for x, a in enumerate(bucket) for b in bucket[x + 1 :] if a != b
        )
    )
    decided = [join_rule(facts[a], facts[b], topic_of) for a, b in pairs]
    asked = [k for k, rule in enumerate(decided) if rule is None]
    closeness = scores([(facts[pairs[k][0]].statements, facts[pairs[k][1]].statements) for k in asked])
    for k, score in zip(asked, closeness, strict=True):
        decided[k] = score >= minimum
    uf = UnionFind(len(facts))
    for (a, b), joins in zip(pairs, decided, strict=True):
        if joins and uf.find(a) != uf.find(b):
            uf.union(a, b)
    return _members(facts, uf)


def merge_parts(
    facts: Sequence[GroupFacts],
    buckets: Sequence[Sequence[int]],
    join: Callable[[GroupFacts, GroupFacts], bool],
) -> dict[int, list[int]]:
    """Pass 3: union the claim parts that :func:`parts_join`; root -> member group indices (loose groups out).

    A pair is looked at only inside one bucket, never collected in a global set.
    """
    uf = UnionFind(len(facts))
    for bucket in buckets:
        for x, a in enumerate(bucket):
            for b in bucket[x + 1 :]:
                if a != b and uf.find(a) != uf.find(b) and join(facts[a], facts[b]):
                    uf.union(a, b)
    return _members(facts, uf)


# -- pass 4 -------------------------------------------------------------------------------------


def allegation_cores(
    facts: Sequence[GroupFacts], members: dict[int, list[int]], signals: Signals
) -> dict[int, AllegationCore]:
    """Pass 4: each allegation's core topic words, actors, accused party, origins and documents.

    The core part is the largest group (the one the matcher found). The origins are who speaks in it; an
    outlet's or author's own voice counts only when nobody else does (a reporter relaying the allegation is not
    its origin).
    """
    cores: dict[int, AllegationCore] = {}
    for root, ks in members.items():
        if len(ks) == 1 and len(facts[ks[0]].statements) == 1:
            cores[root] = _one_statement_core(root, ks[0], facts[ks[0]], signals)
            continue
        core_part = max(ks, key=lambda k: (len(facts[k].statements), -k))
        statements = facts[core_part].statements
        origins = (
            {o for st in statements if not signals.own_voice(st) and (o := signals.origin_of(st)) is not None}
            or facts[core_part].origins
            or set().union(*(facts[k].origins for k in ks))
        )
        cores[root] = AllegationCore(
            root=root,
            members=tuple(ks),
            words=core_topics(statements, signals.topic_of),
            all_ents=set().union(*(facts[k].ents for k in ks)),
            core_ents=core_entity_set([s for k in ks for s in facts[k].statements], signals.entities_of),
            origins=origins,
            docs=set().union(*(facts[k].docs for k in ks)),
        )
    return cores


def _one_statement_core(root: int, k: int, f: GroupFacts, signals: Signals) -> AllegationCore:
    """:func:`allegation_cores`' record of an allegation of one part (``k``) of one statement: each value of the general
    form over that statement (its topic words, its entities (a set: each named once, so all are core), its
    origin unless it is the own voice)."""
    (s,) = f.statements
    origin = None if signals.own_voice(s) else signals.origin_of(s)
    return AllegationCore(
        root=root,
        members=(k,),
        words=set(signals.topic_of(s)),
        all_ents=set(f.ents),
        core_ents=set(signals.entities_of(s)),
        origins={origin} if origin is not None else (f.origins or set()),
        docs=set(f.docs),
    )


# -- pass 5 -------------------------------------------------------------------------------------


def _candidate_cores(
    f: GroupFacts,
    by_doc: dict[str, list[int]],
    by_origin: dict[str, list[int]],
    by_accused: dict[str, list[int]],
    relay: bool,
    max_bucket: int,
) -> set[int]:
    """The allegations a lone sentence may join: those of its documents and of its origin; for a relay,
    also those whose accused party it names (a relay elsewhere); oversized buckets are skipped. A set: the
    choice among them does not depend on their order (:func:`attach_lone_sentences` keys each by its root)."""
    seen: set[int] = set()
    for d in f.docs:
        seen.update(by_doc.get(d, ()))
    for o in f.origins:
        bucket = by_origin.get(o, ())
        if len(bucket) <= max_bucket:
            seen.update(bucket)
    if relay:
        for e in f.ents:
            bucket = by_accused.get(e, ())
            if len(bucket) <= max_bucket:
                seen.update(bucket)
    return seen


def lone_sentence_fits(
    f: GroupFacts,
    core: AllegationCore,
    relay: bool,
    topic_of: Callable[[Statement], set[str]],
    restates: Callable[[GroupFacts, AllegationCore], bool],
) -> tuple[int, int] | None:
    """(shared core topic words, in one of its documents) when lone sentence ``f`` states or relays the
    allegation: (A') the origin restates it (``restates``: the matcher's score), or (C) an outlet relays
    it; else ``None``."""
    found = _fit_before_verdict(f, core, relay, topic_of)
    if found is None:
        return None
    fit, needs_verdict = found
    if needs_verdict and not restates(f, core):
        return None
    return fit


def _fit_before_verdict(
    f: GroupFacts, core: AllegationCore, relay: bool, topic_of: Callable[[Statement], set[str]]
) -> tuple[tuple[int, int], bool] | None:
    """:func:`lone_sentence_fits` up to the matcher: ``None`` when the sentence cannot fit, else its fit and
    whether it holds only if the matcher's verdict (``restates``) is yes (rule (A'); a relay (C) needs none)."""
    shared = len(f.topics(topic_of) & core.words)
    if not shared or (f.ents and not f.ents & core.all_ents):
        return None
    in_doc = bool(f.docs & core.docs)
    names_core = bool(f.ents & core.core_ents)
    relayed = relay and ((names_core and (in_doc or shared >= 2)) or (in_doc and not f.ents and shared >= 2))
    if relayed:
        return (shared, int(in_doc)), False
    if f.origins & core.origins and (in_doc or names_core):
        return (shared, int(in_doc)), True
    return None


#: :func:`attach_lone_sentences`' batched form of ``restates``: the verdict of each (lone sentence, allegation).
RestatesAll = Callable[[Sequence[tuple[GroupFacts, AllegationCore]]], list[bool]]


def attach_lone_sentences(
    facts: Sequence[GroupFacts],
    cores: dict[int, AllegationCore],
    signals: Signals,
    restates: Callable[[GroupFacts, AllegationCore], bool],
    max_bucket: int = MAX_BUCKET,
    *,
    restates_all: RestatesAll | None = None,
) -> dict[int, list[int]]:
    """Pass 5: each lone sentence joins the allegation it fits best (:func:`lone_sentence_fits`); those that fit
    none are dropped. Returns root -> member group indices, the allegation's parts first.

    Two steps: every lone sentence's fits (:func:`_lone_fits`), the matcher's verdicts (``restates``) asked of
    all of them at once (``restates_all``, when given: one batched call instead of one per pair), then each
    lone sentence's choice in order, which reads the member counts the earlier ones changed. A fit and a
    verdict read the sentence and the allegation's core only (fixed during the pass), so asking them first
    changes no answer."""
    members = {root: list(core.members) for root, core in cores.items()}
    fits, asked = _lone_fits(facts, cores, signals, max_bucket)
    pairs = [(facts[k], cores[root]) for k, root in asked]
    verdicts = restates_all(pairs) if restates_all is not None else [restates(f, core) for f, core in pairs]
    refused = {pair for pair, verdict in zip(asked, verdicts, strict=True) if not verdict}
    for k, found in fits:
        best: tuple[int, int, int, int] | None = None
        for root, fit in found:
            if (k, root) in refused:
                continue
            key = (*fit, len(members[root]), -root)  # an allegation grows as sentences join it
            if best is None or key > best:
                best = key
        if best is not None:
            members[-best[3]].append(k)
    return members


def core_index(
    cores: dict[int, AllegationCore],
) -> tuple[dict[str, list[int]], dict[str, list[int]], dict[str, list[int]]]:
    """The allegations' roots by document, by origin and by accused (core) entity: where the lone-sentence step
    looks for the allegations a sentence may join (:func:`_candidate_cores`)."""
    by_doc: dict[str, list[int]] = defaultdict(list)
    by_origin: dict[str, list[int]] = defaultdict(list)
    by_accused: dict[str, list[int]] = defaultdict(list)
    for root, core in cores.items():
        for d in core.docs:
            by_doc[d].append(root)
        for o in core.origins:
            by_origin[o].append(root)
        for e in core.core_ents:
            by_accused[e].append(root)
    return by_doc, by_origin, by_accused


def _lone_fits(
    facts: Sequence[GroupFacts], cores: dict[int, AllegationCore], signals: Signals, max_bucket: int
) -> tuple[list[tuple[int, list[tuple[int, tuple[int, int]]]]], list[tuple[int, int]]]:
    """Each lone sentence's (index, [(root, fit)]): the allegations it fits (:func:`lone_sentence_fits`) if the
    matcher's verdict is yes wherever it is asked; and the (sentence, root) pairs where it is asked
    (:func:`_fit_before_verdict`: a fit there holds only if the verdict is yes)."""
    by_doc, by_origin, by_accused = core_index(cores)
    fits: list[tuple[int, list[tuple[int, tuple[int, int]]]]] = []
    asked: list[tuple[int, int]] = []
    for k, f in enumerate(facts):
        if not f.loose:
            continue
        words = f.topics(signals.topic_of)
        if not words:
            continue  # no topic word: it fits no allegation (lone_sentence_fits' first test)
        relay = signals.relays is not None and f.own and all(signals.relays(s) for s in f.statements)
        found: list[tuple[int, tuple[int, int]]] = []
        for root in _candidate_cores(f, by_doc, by_origin, by_accused, relay, max_bucket):
            if words.isdisjoint(cores[root].words):
                continue  # shares no core topic word: lone_sentence_fits says None (its first test)
            fit = _fit_before_verdict(f, cores[root], relay, signals.topic_of)
            if fit is not None:
                found.append((root, fit[0]))
                if fit[1]:
                    asked.append((k, root))
        if found:
            fits.append((k, found))
    return fits, asked


# -- the passes in order ------------------------------------------------------------------------


def merge_allegations(
    groups: Sequence[list[Statement]],
    matcher: ClaimMatcher,
    position: dict[str, int],
    origin_of: Callable[[Statement], str | None],
    entities_of: Callable[[Statement], set[str]],
    topic_of: Callable[[Statement], set[str]],
    own_voice: Callable[[Statement], bool],
    threshold: float,
    *,
    factor: float = ALLEGATION_FACTOR,
    max_bucket: int = MAX_BUCKET,
    optional: Sequence[bool] | None = None,
    relays: Callable[[Statement], bool] | None = None,
    quantities_of: Callable[[Statement], frozenset[str]] | None = None,
    summary_of: Callable[[Statement], bool] | None = None,
) -> list[list[list[Statement]]]:
    """Merge groups that are parts of one allegation: a list of allegations, each the list of its
    parts (input groups, in input order), so the caller can pick the core part's wording.

    ``optional`` groups (lone sentences that make no claim by themselves) join an allegation only in
    step 2 (the origin's elaboration, or an outlet's relay: ``relays`` tells an own-voice statement
    with a relay cue), and are dropped when they join none. ``summary_of`` tells a document's own summary
    (headline, lead) for rule (B); ``None``: every own-voice statement.

    The passes, in order: :func:`group_facts`, :func:`candidate_buckets`, :func:`merge_parts_batched` (step 1; :func:`merge_parts` is the
    same merge pair by pair),
    :func:`allegation_cores`, :func:`attach_lone_sentences` (step 2).
    """
    if not groups:
        return []
    signals = Signals(origin_of, entities_of, topic_of, own_voice, relays, quantities_of, summary_of)
    facts = group_facts(groups, signals, optional)
    buckets = candidate_buckets(facts, max_bucket)
    closest = closeness(matcher, position)
    minimum = factor * threshold
    parts = merge_parts_batched(
        facts, buckets, topic_of, lambda pairs: closest_pairs(matcher, position, pairs), minimum
    )
    cores = allegation_cores(facts, parts, signals)

    def restates(f: GroupFacts, core: AllegationCore) -> bool:
        return closest(f.statements, [s for k in core.members for s in facts[k].statements]) >= minimum

    def restates_all(pairs: Sequence[tuple[GroupFacts, AllegationCore]]) -> list[bool]:
        scores = closest_pairs(
            matcher,
            position,
            [(f.statements, [s for k in core.members for s in facts[k].statements]) for f, core in pairs],
        )
        return [score >= minimum for score in scores]

    members = attach_lone_sentences(facts, cores, signals, restates, max_bucket, restates_all=restates_all)
    return [[list(groups[k]) for k in sorted(members[root])] for root in sorted(members)]
