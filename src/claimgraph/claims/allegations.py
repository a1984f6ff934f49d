"""The second grouping pass: fine-grained claims that are parts of **one allegation** merge.

The matcher joins statements that say nearly the same thing. An allegation, though, is told in several
sentences: "Russia recruits captured fighters", "the recruits are trained by Russian instructors",
"the camps have become a recruiting pool". An analyst counts them as one claim when they come from the
same place and carry the same proposition. The pass runs in two steps.

**Step 1, claim parts** (groups that can be a claim by themselves) merge when:

* **Guard** (always): if both name entities, they share one (demonyms count: "Russian" names
  Russia). Two groups naming different actors stay apart, even from the same origin.
* and either **(A) same origin**: both rest on the same origin group (the same speaker, affiliated
  sources counted as one, see :func:`claimgraph.identity.source_groups`), some pair of
  their statements shares a topic word (a content word that is not an entity name: "recruit",
  "stand"), and either both name (shared) actors or they meet in one document;
* or **(D) the same figure**: both state a specific quantity (:func:`claimgraph.claims.text.quantities`:
  "412", not a year or a date) they share, both name actors and share one, and some pair of their
  statements shares a topic word ("412 fighters are held in three camps" and "412 members are being
  held awaiting trial"). Different figures never merge by this rule;
* or **(B) the document's own summary**: in one document, one group is the outlet's/author's own voice
  (the headline, the lead) and their closest statements score at least ``factor x threshold`` with the
  claim matcher; a paraphrasing headline ("Russia is using former fighters to police its coast") joins
  the allegation its article reports.

**Step 2, lone sentences** (one assertion that makes no claim by itself) join an allegation only when
they state or relay its **core proposition**: they share one of its *core topic words* (topic words
used by at least two statements of its core part, the group the matcher found) and name none of
*other* actors only, and either

* **(A') the origin elaborates**: the sentence is spoken by an origin of the allegation's core part
  (its quoted speakers; the outlet's or author's own voice only when nobody else speaks there), and it names a core entity or sits in a document that carries the allegation ("Dozens of them have
  since been released into the militia"); or
* **(C) an outlet relays it**: the outlet's/author's own voice with a relay cue ("a week after
  allegations that ...", "..., report claims") naming a core entity, in a document carrying the
  allegation (or, elsewhere, sharing two core topic words); a relay naming no entity at all needs
  two core topic words and a document carrying the allegation.

Background lines of the origin or of the reporter (a biography, the weather, another matter: no core
topic word) stay out. Candidate pairs come only from groups sharing a document, or an origin and an
actor; a bucket larger than ``max_bucket`` groups is not paired, so the pass stays linear.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence

from ..identity import UnionFind
from ..model import Statement
from .matching import ClaimMatcher

__all__ = ["ALLEGATION_FACTOR", "core_entity_set", "core_topics", "merge_allegations"]

#: A merged pair's closest statements must score at least this fraction of the claim threshold.
ALLEGATION_FACTOR = 0.5
#: At most this many statements of each group are compared (the earliest).
MAX_COMPARED = 40
#: Origin buckets larger than this are not paired (a prolific source's unrelated claims).
MAX_BUCKET = 60


def core_topics(statements: Sequence[Statement], topic_of: Callable[[Statement], set[str]]) -> set[str]:
    """Topic words used by at least two of ``statements`` (all of them when there are fewer than three)."""
    counts: dict[str, int] = defaultdict(int)
    for st in statements[:MAX_COMPARED]:
        for word in topic_of(st):
            counts[word] += 1
    if len(statements) < 3:
        return set(counts)
    return {word for word, c in counts.items() if c >= 2}


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
) -> list[list[list[Statement]]]:
    """Merge groups that are parts of one allegation: a list of allegations, each the list of its
    parts (input groups, in input order), so the caller can pick the core part's wording.

    ``optional`` groups (lone sentences that make no claim by themselves) join an allegation only in
    step 2 (the origin's elaboration, or an outlet's relay: ``relays`` tells an own-voice statement
    with a relay cue), and are dropped when they join none."""
    import numpy as np

    n = len(groups)
    loose = list(optional) if optional is not None else [False] * n
    if n == 0:
        return []
    docs: list[set[str]] = [{s.document_id for s in g} for g in groups]
    origins: list[set[str]] = [{o for s in g if (o := origin_of(s)) is not None} for g in groups]
    ents: list[set[str]] = [set().union(*(entities_of(s) for s in g)) for g in groups]
    own = [all(own_voice(s) for s in g) for g in groups]
    figures: list[frozenset[str]] = [
        frozenset().union(*(quantities_of(s) for s in g)) if quantities_of is not None else frozenset()
        for g in groups
    ]
    topics: list[set[str] | None] = [None] * n

    def topics_of(k: int) -> set[str]:
        found = topics[k]
        if found is None:
            found = topics[k] = set().union(*(topic_of(s) for s in groups[k][:MAX_COMPARED]))
        return found

    def pair_topics(a: int, b: int) -> bool:
        if not topics_of(a) & topics_of(b):
            return False
        return any(
            topic_of(x) & topic_of(y) for x in groups[a][:MAX_COMPARED] for y in groups[b][:MAX_COMPARED]
        )

    by_doc: dict[str, list[int]] = defaultdict(list)
    by_origin_actor: dict[tuple[str, str], list[int]] = defaultdict(list)
    by_figure_actor: dict[tuple[str, str], list[int]] = defaultdict(list)
    for k in range(n):
        if loose[k]:
            continue
        for d in docs[k]:
            by_doc[d].append(k)
        for o in origins[k]:
            for e in ents[k]:
                by_origin_actor[(o, e)].append(k)
        for q in figures[k]:
            for e in ents[k]:
                by_figure_actor[(q, e)].append(k)
    # step 1: claim parts; a pair is looked at only inside one bucket, never collected in a global set
    uf = UnionFind(n)
    for bucket in [*by_doc.values(), *by_origin_actor.values(), *by_figure_actor.values()]:
        if len(bucket) > max_bucket or len(bucket) < 2:
            continue
        for x, a in enumerate(bucket):
            for b in bucket[x + 1 :]:
                if a == b or uf.find(a) == uf.find(b):
                    continue
                if ents[a] and ents[b] and not ents[a] & ents[b]:
                    continue  # different actors: a different claim, even from the same origin
                if (
                    origins[a] & origins[b]
                    and ((ents[a] and ents[b]) or docs[a] & docs[b])
                    and pair_topics(a, b)
                ):
                    uf.union(a, b)
                    continue
                if figures[a] & figures[b] and ents[a] and ents[b] and pair_topics(a, b):
                    uf.union(a, b)  # (D) the same specific figure about the same actors
                    continue
                if not (docs[a] & docs[b]) or not (own[a] or own[b]) or not (ents[a] & ents[b]):
                    continue
                left = [position[s.id] for s in groups[a][:MAX_COMPARED] if s.id in position]
                right = [position[s.id] for s in groups[b][:MAX_COMPARED] if s.id in position]
                if not left or not right:
                    continue
                i = np.repeat(np.array(left, dtype=np.int64), len(right))
                j = np.tile(np.array(right, dtype=np.int64), len(left))
                if float(matcher.similarity(i, j).max()) >= factor * threshold:
                    uf.union(a, b)
    members: dict[int, list[int]] = defaultdict(list)
    for k in range(n):
        if not loose[k]:
            members[uf.find(k)].append(k)
    # step 2: lone sentences join the allegation whose core proposition they state or relay
    core: dict[int, tuple[set[str], set[str], set[str], set[str], set[str]]] = {}
    alleg_by_doc: dict[str, list[int]] = defaultdict(list)
    alleg_by_origin: dict[str, list[int]] = defaultdict(list)
    for root, ks in members.items():
        core_part = max(ks, key=lambda k: (len(groups[k]), -k))
        words = core_topics(groups[core_part], topic_of)
        all_ents = set().union(*(ents[k] for k in ks))
        core_ents = core_entity_set([s for k in ks for s in groups[k]], entities_of)
        # the allegation's origins: who speaks in its core part; an outlet's or author's own voice
        # counts only when nobody else does (a reporter relaying the allegation is not its origin)
        core_origins = (
            {o for st in groups[core_part] if not own_voice(st) and (o := origin_of(st)) is not None}
            or origins[core_part]
            or set().union(*(origins[k] for k in ks))
        )
        alleg_docs = set().union(*(docs[k] for k in ks))
        core[root] = (words, all_ents, core_ents, core_origins, alleg_docs)
        for d in alleg_docs:
            alleg_by_doc[d].append(root)
        for o in core_origins:
            alleg_by_origin[o].append(root)
    for k in range(n):
        if not loose[k]:
            continue
        relay = relays is not None and own[k] and all(relays(s) for s in groups[k])
        candidates: dict[int, None] = {}
        for d in sorted(docs[k]):
            for root in alleg_by_doc.get(d, []):
                candidates.setdefault(root)
        for o in sorted(origins[k]):
            bucket = alleg_by_origin.get(o, [])
            if len(bucket) <= max_bucket:
                for root in bucket:
                    candidates.setdefault(root)
        best: tuple[int, int, int, int] | None = None
        for root in candidates:
            words, all_ents, core_ents, core_origins, alleg_docs = core[root]
            shared = len(topics_of(k) & words)
            if not shared or (ents[k] and not ents[k] & all_ents):
                continue
            in_doc = bool(docs[k] & alleg_docs)
            names_core = bool(ents[k] & core_ents)
            elaborates = bool(origins[k] & core_origins) and (in_doc or names_core)
            relayed = relay and (
                (names_core and (in_doc or shared >= 2)) or (in_doc and not ents[k] and shared >= 2)
            )
            if not (elaborates or relayed):
                continue
            key = (shared, int(in_doc), len(members[root]), -root)
            if best is None or key > best:
                best = key
        if best is not None:
            members[-best[3]].append(k)
    return [[list(groups[k]) for k in sorted(members[root])] for root in sorted(members)]


def core_entity_set(
    statements: Sequence[Statement], entities_of: Callable[[Statement], set[str]]
) -> set[str]:
    """Entities named by at least a third as many statements as the most named one (the accused party)."""
    counts: dict[str, int] = defaultdict(int)
    for st in statements:
        for eid in entities_of(st):
            counts[eid] += 1
    if not counts:
        return set()
    top = max(counts.values())
    return {e for e, c in counts.items() if 3 * c >= top}
