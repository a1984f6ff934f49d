"""Claim matching: which statements make the same claim.

A *matcher* (registered in ``registry.claim_matchers``) turns the statements' texts into vectors,
proposes candidate pairs **without comparing all pairs**, and scores any pair. :func:`cluster` then
joins candidate pairs above the threshold with a union-find that refuses chains: two groups merge
only if their representatives (each group's earliest statement) are themselves similar enough.

Candidate generation (:func:`sparse_candidates`) is a blocked sparse product: each row queries the
index only through its ``m`` rarest features, and features held by more than ``max_df`` rows are
left out of the index (they block nothing useful). Rows are processed in chunks and only the top
``k`` neighbours per row are kept, so time and memory grow linearly with the number of statements.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from ..identity import UnionFind

if TYPE_CHECKING:
    import numpy as np
    from scipy import sparse

__all__ = [
    "ClaimMatcher",
    "MatchItem",
    "UnionFind",
    "cluster",
    "entity_jaccard",
    "group_texts",
    "sparse_candidates",
]

#: Two groups merge only when their representatives score at least this fraction of the threshold.
CHAIN_GUARD = 0.8
#: Average linkage compares at most this many members (the earliest) of each group.
LINK_MEMBERS = 12
#: Weight of entity overlap in a pair's score when both statements name entities.
ENTITY_WEIGHT = 0.15


@dataclass(frozen=True)
class MatchItem:
    """One statement as the matcher sees it."""

    text: str
    entity_ids: frozenset[str] = frozenset()
    summary: bool = True
    """A document's own summary of what it reports (a headline, an article's lead): where semantic
    matchers compare meaning. Other sentences are compared on their wording (see ``embeddings``)."""
    names: frozenset[str] = frozenset()
    """Matching tokens (:func:`~claimgraph.claims.text.content_tokens`) that name the statement's own
    actors: the lexical score weighs them as an ordinary content word (``tfidf.fixed_idf``), since a
    name recurs through its whole story; shared actors are the entity term's part."""


class ClaimMatcher(Protocol):
    """What :func:`cluster` needs from a matcher."""

    def fit(self, items: Sequence[MatchItem]) -> None: ...

    def candidates(self) -> tuple[np.ndarray, np.ndarray]:
        """Candidate pairs ``(i, j)`` with ``i < j``, deduplicated."""
        ...

    def similarity(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Scores in [0, 1] for the pairs ``(i[k], j[k])``."""
        ...


def cluster(
    matcher: ClaimMatcher,
    n: int,
    threshold: float,
    *,
    chain_guard: float = CHAIN_GUARD,
    quantities: Sequence[frozenset[str]] | None = None,
    linkage: str | None = None,
    kinds: Sequence[int] | None = None,
    figure_presence: bool = False,
    subjects: Sequence[str | None] | None = None,
) -> list[list[int]]:
    """Groups of item indices (each sorted, groups sorted by first index), singletons included.

    Items must be given earliest first: a group's representative is its smallest index.
    ``quantities`` (each item's specific numbers, :func:`claimgraph.claims.text.quantities`) add a
    guard: two groups that both state numbers, none of them shared, stay apart ("412 detainees are
    held" and "380 detainees are held" are different claims, however alike their words).
    """
    import numpy as np

    if n == 0:
        return []
    uf = UnionFind(n)
    group_numbers: dict[int, frozenset[str]] | None = None
    if quantities is not None:
        group_numbers = {k: q for k, q in enumerate(quantities) if q}
    if n > 1:
        i, j = matcher.candidates()
        if len(i):
            scores = matcher.similarity(i, j)
            keep = scores >= threshold
            i, j, scores = i[keep], j[keep], scores[keep]
            order = np.lexsort((j, i, -scores))
            guard = threshold * chain_guard
            members: dict[int, list[int]] = {x: [x] for x in range(n)}
            group_subjects: dict[int, frozenset[str]] = (
                {k: frozenset([x]) for k, x in enumerate(subjects) if x} if subjects is not None else {}
            )
            for a, b in zip(i[order].tolist(), j[order].tolist(), strict=True):
                ra, rb = uf.find(a), uf.find(b)
                if ra == rb:
                    continue
                if kinds is not None and kinds[a] != kinds[b]:
                    continue  # a statement and a stance on it are two propositions
                if subjects is not None:
                    sa, sb = group_subjects.get(ra), group_subjects.get(rb)
                    if sa and sb and not sa & sb:
                        continue  # different first actors: different propositions
                if linkage is None:
                    linkage = getattr(matcher, "linkage", "representative")
                if linkage in ("average", "complete") and (len(members[ra]) > 1 or len(members[rb]) > 1):
                    left = np.array(members[ra][:LINK_MEMBERS], dtype=np.int64)
                    right = np.array(members[rb][:LINK_MEMBERS], dtype=np.int64)
                    link = matcher.similarity(np.repeat(left, len(right)), np.tile(right, len(left)))
                    if float(link.mean() if linkage == "average" else link.min()) < guard:
                        continue
                elif linkage == "representative" and (ra, rb) != (a, b) and (ra, rb) != (b, a):
                    pair = getattr(matcher, "pair", None)
                    if pair is not None:
                        rep_score = float(pair(ra, rb))
                    else:
                        rep_score = float(matcher.similarity(np.array([ra]), np.array([rb]))[0])
                    if rep_score < guard:
                        continue
                if group_numbers is not None:
                    qa, qb = group_numbers.get(ra, frozenset()), group_numbers.get(rb, frozenset())
                    if qa and qb and not qa & qb:
                        continue  # different figures: different claims
                    if figure_presence and bool(qa) != bool(qb):
                        continue  # a specific figure is part of the proposition
                    root = uf.union(ra, rb)
                    group_numbers[root] = qa | qb
                else:
                    root = uf.union(ra, rb)
                other = rb if root == ra else ra
                if subjects is not None:
                    merged = group_subjects.get(ra, frozenset()) | group_subjects.get(rb, frozenset())
                    group_subjects.pop(other, None)
                    if merged:
                        group_subjects[root] = merged
                members[root] = sorted(members[root] + members.pop(other))[:LINK_MEMBERS]
    groups: dict[int, list[int]] = {}
    for x in range(n):
        groups.setdefault(uf.find(x), []).append(x)
    return sorted(groups.values(), key=lambda g: g[0])


def sparse_candidates(
    matrix: sparse.csr_matrix,
    *,
    k: int = 20,
    query_features: int = 6,
    max_df: int = 200,
    chunk: int = 2048,
    rarity: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Top-``k`` neighbours of each row through its ``query_features`` rarest features (df <= ``max_df``).

    ``matrix`` is an (n x features) CSR matrix of non-negative weights. Returns pairs ``i < j``.
    ``rarity``: each feature's fixed rarity (an IDF table's weight): which features of a row are its
    rarest, and how much a shared one counts, then do not depend on the corpus (``None``: ``1 / df``).
    """
    import numpy as np
    from scipy import sparse

    n = matrix.shape[0]
    if n < 2:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    df = np.diff(matrix.tocsc().indptr)
    rare = (df >= 2) & (df <= max_df)
    index = matrix[:, np.flatnonzero(rare)].tocsr()
    index.data = np.ones_like(index.data)
    # the query side keeps only each row's rarest features
    rare_df = df[rare].astype(np.float64)
    query = index.copy()
    indptr, indices = query.indptr, query.indices
    rare_weight = 1.0 / rare_df if rarity is None else np.asarray(rarity, dtype=np.float64)[rare]
    weights = rare_weight[indices]
    keep_mask = np.zeros(len(indices), dtype=bool)
    for row in range(n):
        lo, hi = indptr[row], indptr[row + 1]
        if hi - lo <= query_features:
            keep_mask[lo:hi] = True
        else:
            top = np.argpartition(-weights[lo:hi], query_features - 1)[:query_features]
            keep_mask[lo + top] = True
    query.data = np.where(keep_mask, weights, 0.0)
    query.eliminate_zeros()
    index_weight = 1.0 / np.sqrt(rare_df) if rarity is None else rare_weight
    index_t = (index.multiply(index_weight[np.newaxis, :])).tocsr().T.tocsr()
    rows_out: list[np.ndarray] = []
    cols_out: list[np.ndarray] = []
    for start in range(0, n, chunk):
        stop = min(n, start + chunk)
        product = sparse.csr_matrix(query[start:stop] @ index_t)
        ip, ix, data = product.indptr, product.indices, product.data
        for local in range(stop - start):
            lo, hi = ip[local], ip[local + 1]
            if lo == hi:
                continue
            row = start + local
            cols = ix[lo:hi]
            vals = data[lo:hi]
            mask = cols != row
            cols, vals = cols[mask], vals[mask]
            if len(cols) > k:
                top = np.argpartition(-vals, k - 1)[:k]
                cols = cols[top]
            rows_out.append(np.full(len(cols), row, dtype=np.int64))
            cols_out.append(cols.astype(np.int64))
    if not rows_out:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    rows = np.concatenate(rows_out)
    cols = np.concatenate(cols_out)
    lo_idx = np.minimum(rows, cols)
    hi_idx = np.maximum(rows, cols)
    pairs = lo_idx * n + hi_idx
    pairs.sort(kind="stable")  # sort + neighbour test: cheaper than np.unique's hashing at this size
    if len(pairs):
        pairs = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))]
    return (pairs // n).astype(np.int64), (pairs % n).astype(np.int64)


def entity_jaccard(
    entities: sparse.csr_matrix, i: np.ndarray, j: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Jaccard of the entity sets of pairs, and a mask of pairs where both sides name entities."""
    import numpy as np

    from .tfidf import pair_dot

    sizes = np.diff(entities.indptr)
    inter = pair_dot(entities, i, j)
    union = sizes[i] + sizes[j] - inter
    both = (sizes[i] > 0) & (sizes[j] > 0)
    jac = np.divide(inter, union, out=np.zeros(len(i), dtype=np.float64), where=union > 0)
    return jac, both


def group_texts(
    texts: Sequence[str],
    matcher_name: str,
    threshold: float,
    *,
    kind: str = "statement",
    entities: Sequence[frozenset[str]] | None = None,
) -> list[int]:
    """One group id per text: the claim grouping of plain texts (the matcher and :func:`cluster`, as
    the claims stage runs them, without attribution). ``kind="body"`` groups whole articles by their
    lead (:data:`LEAD_SENTENCES` first sentences), where news states the claim it reports.
    ``entities``: each text's entity ids (none by default)."""
    from ..registry import registry
    from .text import quantities

    if kind == "body":
        texts = [lead(t) for t in texts]
    matcher = registry.claim_matchers.get(matcher_name)()
    if not texts:
        return []
    if entities is None:
        entities = [frozenset()] * len(texts)
    matcher.fit([MatchItem(t, e) for t, e in zip(texts, entities, strict=True)])
    groups = cluster(matcher, len(texts), threshold, quantities=[quantities(t) for t in texts])
    labels = [0] * len(texts)
    for g, members in enumerate(groups):
        for x in members:
            labels[x] = g
    return labels


#: An article's lead: its first sentences.
LEAD_SENTENCES = 3


def lead(text: str, sentences: int = LEAD_SENTENCES) -> str:
    import re

    parts = [p for p in re.split(r"(?<=[.!?])\s+|\n+", text.strip()) if p.strip()]
    return " ".join(parts[:sentences])
