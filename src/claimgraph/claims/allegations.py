"""The second grouping pass: fine-grained claims that are parts of **one allegation** merge.

The matcher joins statements that say nearly the same thing. An allegation, though, is told in several
sentences: "Veloria recruits captured fighters", "the recruits are trained by Velorian instructors",
"the camps have become a recruiting pool". An analyst counts them as one claim when they come from the
same place. Two groups of statements (each already a claim candidate) merge when:

* **Guard** (always): if both name entities, they share one (demonyms count: "Velorian" names
  Veloria). Two groups naming different actors stay apart, even from the same origin.
* and either **(A) same origin**: both rest on the same origin group (the same speaker, affiliated
  sources counted as one, see :func:`claimgraph.provenance.origins.source_groups`), some pair of
  their statements shares a topic word (a content word that is not an entity name: "recruit",
  "stand"), and either both name (shared) actors or they meet in one document; the consultant's
  "I stand by every line of it" next to his allegation joins it, his remark on the weather does not;
* or **(B) the document's own summary**: in one document, one group is the outlet's/author's own voice
  (the headline, the lead) and their closest statements score at least ``factor x threshold`` with the
  claim matcher; a paraphrasing headline ("Veloria is using former fighters to police its coast") joins
  the allegation its article reports.

Lone sentences that make no claim by themselves ("Dozens of them have since been released into the
militia") join an allegation only by (A): the origin's own elaboration.

Candidate pairs come only from groups sharing a document, or an origin and an actor; a bucket larger
than ``max_bucket`` groups is not paired, so the pass stays linear in practice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from itertools import combinations

from ..model import Statement
from .matching import ClaimMatcher, UnionFind

__all__ = ["ALLEGATION_FACTOR", "merge_allegations"]

#: A merged pair's closest statements must score at least this fraction of the claim threshold.
ALLEGATION_FACTOR = 0.5
#: At most this many statements of each group are compared (the earliest).
MAX_COMPARED = 40
#: Origin buckets larger than this are not paired (a prolific source's unrelated claims).
MAX_BUCKET = 60


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
) -> list[list[list[Statement]]]:
    """Merge groups that are parts of one allegation: a list of allegations, each the list of its
    parts (input groups, in input order), so the caller can pick the core part's wording.

    ``optional`` groups (lone sentences that make no claim by themselves) join an allegation only by
    rule (A), and are dropped when they join none."""
    import numpy as np

    n = len(groups)
    loose = list(optional) if optional is not None else [False] * n
    if n < 2:
        return [[list(g)] for g, lone in zip(groups, loose, strict=True) if not lone]
    docs: list[set[str]] = [{s.document_id for s in g} for g in groups]
    origins: list[set[str]] = [{o for s in g if (o := origin_of(s)) is not None} for g in groups]
    ents: list[set[str]] = [set().union(*(entities_of(s) for s in g)) for g in groups]
    by_doc: dict[str, list[int]] = defaultdict(list)
    by_origin_actor: dict[tuple[str, str], list[int]] = defaultdict(list)
    for k in range(n):
        for d in docs[k]:
            by_doc[d].append(k)
        for o in origins[k]:
            for e in ents[k]:
                by_origin_actor[(o, e)].append(k)
    # pairs that can qualify: in one document (any rule), or same origin naming a shared actor (A)
    pairs: set[tuple[int, int]] = set()
    for bucket in list(by_doc.values()) + list(by_origin_actor.values()):
        if len(bucket) > max_bucket:
            continue
        pairs.update(combinations(sorted(set(bucket)), 2))
    uf = UnionFind(n)
    own = [all(own_voice(s) for s in g) for g in groups]
    for a, b in sorted(pairs):
        if ents[a] and ents[b] and not ents[a] & ents[b]:
            continue  # different actors: a different claim, even from the same origin
        if origins[a] & origins[b] and ((ents[a] and ents[b]) or docs[a] & docs[b]):
            topics_a = [topic_of(s) for s in groups[a][:MAX_COMPARED]]
            topics_b = [topic_of(s) for s in groups[b][:MAX_COMPARED]]
            if any(x & y for x in topics_a for y in topics_b):
                import os
                if os.environ.get("CGDBG"): print("A", [s.text[:50] for s in groups[a]], "<->", [s.text[:50] for s in groups[b]], [x & y for x in topics_a for y in topics_b if x & y][:3])
                uf.union(a, b)
                continue
        if (
            loose[a]
            or loose[b]
            or not (docs[a] & docs[b])
            or not (own[a] or own[b])
            or not (ents[a] & ents[b])
        ):
            continue
        left = [position[s.id] for s in groups[a][:MAX_COMPARED] if s.id in position]
        right = [position[s.id] for s in groups[b][:MAX_COMPARED] if s.id in position]
        if not left or not right:
            continue
        i = np.repeat(np.array(left, dtype=np.int64), len(right))
        j = np.tile(np.array(right, dtype=np.int64), len(left))
        if float(matcher.similarity(i, j).max()) >= factor * threshold:
            import os
            if os.environ.get("CGDBG"): print("B", [s.text[:50] for s in groups[a]], "<->", [s.text[:50] for s in groups[b]], float(matcher.similarity(i, j).max()))
            uf.union(a, b)
    merged: dict[int, list[list[Statement]]] = {}
    anchored: set[int] = set()
    for k in range(n):
        root = uf.find(k)
        merged.setdefault(root, []).append(list(groups[k]))
        if not loose[k]:
            anchored.add(root)
    return [merged[root] for root in sorted(merged) if root in anchored]
