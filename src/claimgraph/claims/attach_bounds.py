"""Upper bounds of the attachment similarity, so that the attachment pass scores only the pairs that can matter.

A statement to attach is scored against a candidate claim by its best lexical score against the claim's
statements (:func:`claimgraph.claims.stage._best_similarities`). For a claim of a common entity that is a scan of
hundreds of statements, for every statement naming the entity: it grew with the square of the corpus. This
module gives, for each (statement, claim) request, a number that is never below that best score, in time that
grows with the statement's own terms only:

* the TF-IDF cosine of the statement with any of the claim's statements is at most the statement's vector dotted
  with the claim's **column maxima** (each term's greatest weight over the claim's statements): every weight is
  positive, and each product of two float32 weights is exact in float64, so the bound summed in the same column
  order is never below the cosine as computed;
* the entity term (``ENTITY_WEIGHT`` x Jaccard of the two entity sets, when both name entities) is at most
  ``ENTITY_WEIGHT`` x the share of the statement's entities found among the claim's: ``|A & B| / |A | B| <=
  |A & B| / |A| <= |A & U| / |A|`` for ``U`` the union of the claim's entity sets.

The bound is the greater of the cosine bound and the mixed bound, at most 1, plus :data:`MARGIN` (a safety margin
for rounding). With a matcher other than :class:`~claimgraph.claims.tfidf.TfidfMatcher` the bound is infinite
(nothing is pruned). How the pass uses the bounds without changing its choice: ``docs/claims.md``, "How the
attachment similarities are pruned".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from .tfidf import _row_entries

__all__ = ["BLOCK", "MARGIN", "ReachableClaims", "best_at_least", "reachable_claims", "similarity_bounds"]

#: Added to every bound: far above float64 rounding of a sum of a few hundred terms in [0, 1].
MARGIN = 1e-9


_entries = _row_entries  # one reader of a CSR matrix's rows: tfidf's


def _claim_maxima(matrix: Any, members: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Each claim's greatest value per column over its member rows, as sorted keys ``claim * width + column``
    and their values."""
    width = int(matrix.shape[1])
    sizes = np.array([len(m) for m in members], dtype=np.int64)
    if not sizes.sum():
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
    rows = np.concatenate([np.asarray(m, dtype=np.int64) for m in members])
    claim = np.repeat(np.arange(len(members), dtype=np.int64), sizes)
    owner, columns, values = _entries(matrix, rows)
    keys = claim[owner] * width + columns
    order = np.argsort(keys, kind="stable")
    keys, values = keys[order], values[order].astype(np.float64)
    unique, starts = np.unique(keys, return_index=True)
    return unique, np.maximum.reduceat(values, starts) if len(values) else values


def _lookup(keys: np.ndarray, table: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each of ``keys``: whether ``table`` (sorted) holds it, and the value there (0 where not)."""
    if not len(table):
        return np.zeros(len(keys), dtype=bool), np.zeros(len(keys), dtype=np.float64)
    at = np.minimum(np.searchsorted(table, keys), len(table) - 1)
    hit = table[at] == keys
    return hit, np.where(hit, values[at], 0.0)


def similarity_bounds(
    requests: Sequence[tuple[int, str]], positions: Mapping[str, np.ndarray], matcher: Any
) -> np.ndarray:
    """For each ``(statement position, claim id)``: a number never below the statement's best matcher score
    against the claim's statements (``positions[claim id]``); see the module docstring."""
    from .matching import ENTITY_WEIGHT
    from .tfidf import TfidfMatcher

    n = len(requests)
    if not isinstance(matcher, TfidfMatcher) or matcher.vectors is None or matcher.entities is None:
        return np.full(n, np.inf)
    if not n:
        return np.zeros(0, dtype=np.float64)
    claim_ids = sorted({cid for _, cid in requests})
    number = {cid: k for k, cid in enumerate(claim_ids)}
    members = [positions[cid] for cid in claim_ids]
    rows = np.array([p for p, _ in requests], dtype=np.int64)
    claims = np.array([number[cid] for _, cid in requests], dtype=np.int64)

    vectors = matcher.vectors
    table, maxima = _claim_maxima(vectors, members)
    owner, columns, values = _entries(vectors, rows)
    _, found = _lookup(claims[owner] * int(vectors.shape[1]) + columns, table, maxima)
    cosine = np.bincount(owner, weights=values.astype(np.float64) * found, minlength=n)

    entities = matcher.entities
    table, present = _claim_maxima(entities, members)
    owner, columns, _ = _entries(entities, rows)
    hit, _ = _lookup(claims[owner] * int(entities.shape[1]) + columns, table, present)
    shared = np.bincount(owner, weights=hit.astype(np.float64), minlength=n)
    named = np.diff(entities.indptr)[rows].astype(np.float64)
    share = np.divide(shared, named, out=np.zeros(n, dtype=np.float64), where=named > 0)
    mixed = (1 - ENTITY_WEIGHT) * cosine + ENTITY_WEIGHT * share
    return np.minimum(np.maximum(cosine, mixed), 1.0) + MARGIN


#: Statements per block of a claim in :func:`best_at_least` (each block gets its own bound).
BLOCK = 32


def best_at_least(
    requests: Sequence[tuple[int, str]],
    floors: np.ndarray,
    positions: Mapping[str, np.ndarray],
    matcher: Any,
    best: Callable[[Sequence[tuple[int, str]], Mapping[str, np.ndarray]], Sequence[float]],
) -> np.ndarray:
    """For each ``(statement position, claim id)``: the best score of the statement against the claim's
    statements (``best(requests, positions)``) when it is at least ``floors[k]``, else ``-inf``.

    A claim's statements are cut into blocks of :data:`BLOCK`, each with its own bound
    (:func:`similarity_bounds`); only the blocks whose bound reaches the floor are scored. Exact: a block left
    out scores below the floor everywhere, so when the best scored value reaches the floor it is the claim's
    best, and when it does not, neither does any statement of the claim. A claim without statements scores 0."""
    blocks: dict[str, np.ndarray] = {}
    names: dict[str, list[str]] = {}
    for cid in sorted({cid for _, cid in requests}):
        members = positions[cid]
        names[cid] = [f"{cid}\0{b}" for b in range((len(members) + BLOCK - 1) // BLOCK)]
        for b, name in enumerate(names[cid]):
            blocks[name] = members[b * BLOCK : (b + 1) * BLOCK]
    asked = [(at, name) for at, cid in requests for name in names[cid]]
    owner = np.repeat(np.arange(len(requests), dtype=np.int64), [len(names[cid]) for _, cid in requests])
    kept = np.flatnonzero(similarity_bounds(asked, blocks, matcher) >= floors[owner])
    values = np.full(len(asked), -np.inf)
    if len(kept):
        values[kept] = best([asked[k] for k in kept.tolist()], blocks)
    out = np.full(len(requests), -np.inf)
    np.maximum.at(out, owner, values)
    empty = np.array([not names[cid] for _, cid in requests], dtype=bool)
    out[empty] = 0.0
    out[out < floors] = -np.inf
    return out


class ReachableClaims:
    """Which claims a statement's similarity can bring to ``floor`` (:func:`reachable_claims`), without a row per
    (statement, claim): a prefix filter over the claims' terms.

    A claim's similarity with a statement is at most ``max(c, (1 - ENTITY_WEIGHT) c + ENTITY_WEIGHT)`` for ``c``
    its cosine bound (the statement's weights dotted with the claim's column maxima), so reaching ``floor`` needs
    ``c >= need``, :attr:`need` = ``(floor - ENTITY_WEIGHT) / (1 - ENTITY_WEIGHT)``. Each term's part of ``c`` is
    at most the statement's weight times the term's **ceiling** (its greatest weight in any claim). The statement's
    terms carried by most claims are set aside while their parts, so bounded, add up to less than ``need``
    (less :data:`MARGIN`): a claim sharing none of the other terms (the *prefix*, the rarer ones) has ``c <
    need`` and cannot reach ``floor``. So the reachable claims are those carrying a prefix term, read from an
    index of claims by term (the rarest terms' lists are short) with their column maxima, and of those the ones
    whose prefix terms' part of ``c`` plus the bound of the terms set aside still reaches ``need``."""

    def __init__(self, positions: Mapping[str, np.ndarray], matcher: Any, floor: float) -> None:
        from .matching import ENTITY_WEIGHT

        self.ids = sorted(positions)
        self.number = {cid: k for k, cid in enumerate(self.ids)}
        self.vectors = matcher.vectors
        self.need = (floor - ENTITY_WEIGHT) / (1 - ENTITY_WEIGHT) - MARGIN
        width = int(self.vectors.shape[1])
        table, maxima = _claim_maxima(self.vectors, [positions[cid] for cid in self.ids])
        column = table % width
        self.ceiling = np.zeros(width, dtype=np.float64)
        np.maximum.at(self.ceiling, column, maxima)
        order = np.argsort(column, kind="stable")
        self.by_term = (table // width)[order]
        self.maxima = maxima[order]
        self.starts = np.searchsorted(column[order], np.arange(width + 1, dtype=np.int64))
        self.carriers = np.diff(self.starts)

    def numbers(self, at: int) -> set[int] | None:
        """The claims (by :attr:`number`) whose similarity with statement ``at`` may reach the floor; None: every
        claim may."""
        able = self.mask(at)
        return None if able is None else set(np.flatnonzero(able).tolist())

    def mask(self, at: int) -> np.ndarray | None:
        """:meth:`numbers` as a boolean array over the claims' numbers (a new array, the caller's to change);
        None: every claim may."""
        if self.need <= 0:  # the entity term alone can reach the floor
            return None
        # the statement's row (``_entries`` of one row: its slice of the CSR arrays, without the general form's calls)
        lo, hi = int(self.vectors.indptr[at]), int(self.vectors.indptr[at + 1])
        columns, values = self.vectors.indices[lo:hi].astype(np.int64), self.vectors.data[lo:hi]
        parts = values.astype(np.float64) * self.ceiling[columns]
        order = np.argsort(-self.carriers[columns], kind="stable")  # the most carried terms first
        total = np.cumsum(parts[order])
        aside = total < self.need  # a prefix of ``order`` (parts are >= 0)
        rest = float(total[aside][-1]) if aside.any() else 0.0
        kept = order[~aside].tolist()
        if not kept:
            return np.zeros(len(self.ids), dtype=bool)
        spans = [(self.starts[columns[k]], self.starts[columns[k] + 1]) for k in kept]
        claims = np.concatenate([self.by_term[lo:hi] for lo, hi in spans])
        weights = np.concatenate(
            [self.maxima[lo:hi] * float(values[k]) for (lo, hi), k in zip(spans, kept, strict=True)]
        )
        # each claim's bound: its column maxima over the kept terms, plus at most ``rest`` from the terms set aside
        bound = np.bincount(claims, weights=weights, minlength=len(self.ids)) + rest
        return bound >= self.need


def reachable_claims(
    positions: Mapping[str, np.ndarray], matcher: Any, floor: float
) -> ReachableClaims | None:
    """A :class:`ReachableClaims` for the claims' statements ``positions``; None for a matcher other than
    :class:`~claimgraph.claims.tfidf.TfidfMatcher` (no bound: every claim may)."""
    from .tfidf import TfidfMatcher

    if not isinstance(matcher, TfidfMatcher) or matcher.vectors is None or matcher.entities is None:
        return None
    return ReachableClaims(positions, matcher, floor)
