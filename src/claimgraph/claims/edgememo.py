"""The clustering's graph kept between runs: candidate pairs at or above the threshold, with their scores.

:func:`~claimgraph.claims.matching.cluster` reads, of the candidate pairs, only those scoring at or above the
threshold (its *edges*). With scores that depend on the two items alone (``corpus_independent``), an increment
need not generate and score every candidate pair again. :class:`EdgeMemo` keeps the previous run's edges, each
item's lexical neighbours, and what decides candidacy; a run then

* computes again the lexical neighbours (:class:`~claimgraph.claims.matching.CandidateIndex`) of the
  *affected* items only: new (or changed) items; items holding a feature whose indexed status changed
  (``2 <= df <= max_df`` before and not now, or the reverse: their query may differ); items one of whose
  stored neighbours is gone; items into whose top ``k`` a new item's score enters (compared with the stored
  ``k``-th score, then position, or any new item while fewer than ``k`` were found). Any other item's query and
  the postings of its query features hold the same items, except new ones that do not rank above its ``k``-th,
  so its neighbours are the stored ones;
* computes every LSH bucket (an array product over the summaries' vectors), the pairs of a bucket whose
  members changed (a new summary, a gone one, an old one in another bucket; every bucket when the bits per key
  changed) being new;
* scores only the new candidate pairs: a neighbour pair that the stored lists do not hold, or an LSH pair of a
  changed bucket. Every other candidate pair was a candidate of the stored run, scored then: it is an edge now
  exactly when it was then (its score does not depend on the corpus). The edges of this run are the stored
  edges that are still candidate pairs and the new pairs at or above the threshold: exactly the edges of a
  from-scratch run (``docs/claims.md``, "Candidates kept between runs"; ``tests/claims/test_edge_memo.py``);
* takes the scores of the member pairs that the clustering's average linkage compared in the stored run from
  the state where both items are still here (:meth:`EdgeMemo.link_scores`,
  :class:`~claimgraph.claims.matching.LinkScores`): a component that a new item touches is merged again
  (6,000-7,000 comparisons of a 7,500-item component on the 10,000-document store), mostly over the same pairs;
* gives the lexical matcher's fit the stored items' TF-IDF rows (:meth:`EdgeMemo.prepare`,
  :meth:`EdgeMemo.stored_rows`, read before the fit): a row is a function of its item's text and actor tokens,
  which the item's key covers, and only its column numbers depend on the corpus (the sorted vocabulary), so
  the fit maps them and computes the rows of new or changed items only (``tfidf.reused_rows``: the same
  matrix bit for bit; ``tests/claims/test_stored_rows.py``). About 0.35 s of the fit's 0.4 s on the
  10,000-document store, for about 5 MB more in the entry (22 MB: the rows add about 10 MB, the integer arrays
  written in their smallest type take about 5 MB less).

Stored in the store's memo table as one entry (JSON: parameters, feature names; arrays as ``.npy`` bytes in
base64, read with ``allow_pickle=False``): items (the first 64 bits of each item's key, in item order), each
feature's name and df, each item's neighbours (with their count, the last one and its score), the LSH bits and
each item's bucket per table (-1: no vector), the edges (item positions, score), and the linkage's compared
pairs (item positions, score; absent in states of older versions: none known), and the TF-IDF rows (CSR
pointers, columns, float32 values; their tokens are the features' ``t:`` names; absent in states of older
versions or damaged: the fit computes every row). Items must have distinct
keys (a run with two equal keys neither reads nor keeps the memo), and the stored items still present must be in
the same relative order (else the state is not read).
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .matching import LinkScores
from .tfidf import StoredRows

if TYPE_CHECKING:
    import numpy as np

__all__ = ["EDGE_MEMO_VERSION", "EdgeMemo"]

#: Bumped when the stored layout or the candidate definition changes.
EDGE_MEMO_VERSION = 1
_KEY = "state"


def _encode(array: np.ndarray) -> str:
    import numpy as np

    buffer = io.BytesIO()
    np.save(buffer, np.ascontiguousarray(array), allow_pickle=False)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _decode(text: Any) -> np.ndarray:
    import numpy as np

    if not isinstance(text, str):
        raise ValueError("not an array")
    return np.load(io.BytesIO(base64.b64decode(text, validate=True)), allow_pickle=False)


@dataclass
class _State:
    items: np.ndarray
    features: list[str]
    df: np.ndarray
    bits: int
    lsh: np.ndarray
    a: np.ndarray
    b: np.ndarray
    score: np.ndarray
    count: np.ndarray
    kth: np.ndarray
    kth_item: np.ndarray
    nb_ptr: np.ndarray
    nb: np.ndarray
    link_a: np.ndarray
    link_b: np.ndarray
    link_score: np.ndarray
    rows: StoredRows | None = None
    """The lexical matcher's TF-IDF rows of the stored items (absent in states of older versions: none)."""


def _compact(array: np.ndarray) -> np.ndarray:
    """An integer array in the smallest of ``<u2``, ``<i2``, ``<i4``, ``<i8`` that holds its values exactly."""
    import numpy as np

    low, high = (int(array.min()), int(array.max())) if array.size else (0, 0)
    for dtype in ("<u2", "<i2", "<i4"):
        info = np.iinfo(dtype)
        if info.min <= low and high <= info.max:
            return array.astype(dtype)
    return array.astype("<i8")


def _members(values: np.ndarray, pool: np.ndarray) -> np.ndarray:
    """``np.isin(values, pool)`` for integer arrays, by a sort of ``pool`` and a binary search of each value:
    the pool here (every candidate pair's code, a million or more) is sorted once, where ``np.isin``
    hashed it and the values together (about a second on the 10,000-document store)."""
    import numpy as np

    if not len(values) or not len(pool):
        return np.zeros(len(values), dtype=bool)
    pool = np.sort(pool)
    at = np.minimum(np.searchsorted(pool, values), len(pool) - 1)
    return np.asarray(pool[at] == values, dtype=bool)


class EdgeMemo:
    """The edges of :func:`~claimgraph.claims.matching.cluster`'s graph kept in ``store`` under ``namespace``
    (which names the code, the matcher and the threshold). ``params``: everything else candidate
    generation reads (``k``, ``query_features``, ``max_df``, the LSH settings); a stored state made with
    other parameters is not read."""

    def __init__(self, store: Any, namespace: str, params: dict[str, Any]) -> None:
        self.store = store
        self.namespace = namespace
        self.params = {**params, "version": EDGE_MEMO_VERSION}
        self.affected = 0
        """Items whose lexical neighbours this run computed (all of them without a stored state)."""
        self.scored = 0
        """Candidate pairs this run scored."""
        self.kept = 0
        """Edges of the previous run kept without scoring."""
        self.read = False
        """Whether a stored state was used."""
        self._save: dict[str, Any] | None = None
        self._read: tuple[Sequence[str], np.ndarray, bool, _State | None, np.ndarray, np.ndarray] | None = (
            None
        )
        """What :meth:`prepare` found: the items' keys, their hashes, whether they are distinct, the stored state
        (``None``: not read) and the positions both ways."""
        self._state: _State | None = None
        self._new_of_old: np.ndarray | None = None
        self._links: LinkScores | None = None

    def _load(self) -> _State | None:
        import numpy as np

        if self.store is None:
            return None
        value = self.store.get_memos(self.namespace, [_KEY]).get(_KEY)
        if not isinstance(value, dict) or value.get("params") != self.params:
            return None
        try:
            features = value["features"]
            if not isinstance(features, list) or not all(isinstance(f, str) for f in features):
                return None
            # the linkage's compared pairs (a state of an older version has none)
            names = ("link_a", "link_b", "link_score")
            links = [_decode(value[name]) for name in names] if "link_a" in value else [np.zeros(0)] * 3
            state = _State(
                items=_decode(value["items"]).astype("<u8"),
                features=features,
                df=_decode(value["df"]).astype(int),
                bits=int(value["bits"]),
                lsh=_decode(value["lsh"]).astype(int),
                a=_decode(value["a"]).astype(int),
                b=_decode(value["b"]).astype(int),
                score=_decode(value["score"]).astype(float),
                count=_decode(value["count"]).astype(int),
                kth=_decode(value["kth"]).astype(float),
                kth_item=_decode(value["kth_item"]).astype(int),
                nb_ptr=_decode(value["nb_ptr"]).astype(int),
                nb=_decode(value["nb"]).astype(int),
                link_a=links[0].astype(int),
                link_b=links[1].astype(int),
                link_score=links[2].astype(float),
            )
            if "row_ptr" in value:
                # the TF-IDF rows (their tokens: the features' leading ``t:`` part, one per column)
                width = sum(1 for f in features if f.startswith("t:"))
                rows = StoredRows(
                    tokens=[f[2:] for f in features[:width]],
                    indptr=_decode(value["row_ptr"]).astype(np.int64),
                    indices=_decode(value["row_col"]).astype(np.int64),
                    data=_decode(value["row_val"]).astype("<f4"),
                )
                if len(rows.indptr) == len(state.items) + 1 and rows.valid():
                    state.rows = rows
        except (KeyError, TypeError, ValueError):
            return None  # a damaged state is a miss: every candidate is generated again
        n, edges = len(state.items), len(state.a)
        if (
            len(state.df) != len(features)
            or state.lsh.ndim != 2
            or state.lsh.shape[0] != n
            or not all(len(x) == edges for x in (state.b, state.score))
            or not all(len(x) == n for x in (state.count, state.kth, state.kth_item))
            or (n and (state.kth_item.min() < -1 or state.kth_item.max() >= n))
            or len(state.nb_ptr) != n + 1
            or state.nb_ptr[0] != 0
            or state.nb_ptr[-1] != len(state.nb)
            or (n and np.any(np.diff(state.nb_ptr) < 0))
            or (len(state.nb) and (state.nb.min() < 0 or state.nb.max() >= n))
            or (edges and (min(state.a.min(), state.b.min()) < 0 or max(state.a.max(), state.b.max()) >= n))
            or not len(state.link_a) == len(state.link_b) == len(state.link_score)
            or (
                len(state.link_a)
                and (
                    min(state.link_a.min(), state.link_b.min()) < 0
                    or max(state.link_a.max(), state.link_b.max()) >= n
                )
            )
        ):
            return None
        return state

    def edges(
        self, matcher: Any, keys: Sequence[str], threshold: float
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """This run's edges ``(i, j, score)`` (``i < j``, sorted by ``(i, j)``): the candidate pairs of the
        fitted ``matcher`` (a :class:`~claimgraph.claims.tfidf.TfidfMatcher` or an
        :class:`~claimgraph.claims.embeddings.EmbeddingMatcher` over one) scoring at least ``threshold``.
        ``keys``: each item's key (a hex digest of everything its score and candidacy read of it)."""
        import numpy as np

        from .embeddings import EmbeddingMatcher

        n = len(keys)
        lexical = matcher.lexical if isinstance(matcher, EmbeddingMatcher) else matcher
        if self._read is None or self._read[0] is not keys:
            self.prepare(keys)
        assert self._read is not None
        _keys, hashes, distinct, state, old_of_new, new_of_old = self._read
        index = lexical.candidate_index()
        features: list[str] = list(lexical.features or ())
        if len(features) != len(index.df):
            raise ValueError("the matcher's feature names do not match its candidate index's columns")
        affected = self._affected(state, index, features, old_of_new, new_of_old, lexical.k)
        self.read = state is not None
        self._state, self._new_of_old = state, new_of_old
        self.affected = int(affected.sum())
        # lexical sources: the affected rows' neighbours, computed again
        rows, cols, ranked_scores, rank = index.ranked(np.flatnonzero(affected), lexical.k)
        count, kth, kth_item = self._tails(
            state, old_of_new, new_of_old, affected, rows, cols, ranked_scores, rank
        )
        nb_ptr, nb = self._lists(state, old_of_new, new_of_old, affected, rows, cols)
        # lexical pairs: every item's neighbours; a pair is new unless both items are stored ones and the one's
        # stored neighbours held the other (then it was a candidate of the stored run, scored then)
        owner = np.repeat(np.arange(n, dtype=np.int64), np.diff(nb_ptr))
        lex_codes = np.minimum(owner, nb) * n + np.maximum(owner, nb)
        fresh = self._fresh(state, old_of_new, new_of_old, rows, cols)
        # LSH pairs: those of touched buckets are new
        lsh_codes, lsh_touched, bits, lsh_rows = self._lsh(matcher, state, old_of_new, new_of_old, n)
        todo = np.unique(np.concatenate([fresh, lsh_codes[lsh_touched]]))
        self.scored = len(todo)
        ti, tj = todo // n, todo % n
        scores = matcher.similarity(ti, tj) if len(todo) else np.zeros(0, dtype=np.float64)
        hit = scores >= threshold
        codes, values = todo[hit], scores[hit]
        if state is not None and len(state.a):
            # stored edges that are still candidate pairs (an edge's score does not change)
            a, b = new_of_old[state.a], new_of_old[state.b]
            present = (a >= 0) & (b >= 0)
            stored_codes = np.minimum(a, b)[present] * n + np.maximum(a, b)[present]
            stored_scores = state.score[present]
            candidate = _members(stored_codes, np.concatenate([lex_codes, lsh_codes]))
            self.kept = int(candidate.sum())
            codes = np.concatenate([codes, stored_codes[candidate]])
            values = np.concatenate([values, stored_scores[candidate]])
            codes, first = np.unique(codes, return_index=True)
            values = values[first]
        if distinct and self.store is not None:
            vectors = lexical.vectors
            # each array in the smallest integer type that holds it (read back as ``int``: the same values)
            self._save = {
                "row_ptr": _encode(_compact(np.asarray(vectors.indptr))),
                "row_col": _encode(_compact(np.asarray(vectors.indices))),
                "row_val": _encode(np.asarray(vectors.data).astype("<f4")),
                "params": self.params,
                "features": features,
                "items": _encode(hashes),
                "df": _encode(_compact(index.df)),
                "bits": bits,
                "lsh": _encode(_compact(lsh_rows)),
                "a": _encode((codes // n).astype("<i4")),
                "b": _encode((codes % n).astype("<i4")),
                "score": _encode(values.astype("<f8")),
                "count": _encode(count.astype("<i2")),
                "kth": _encode(kth.astype("<f8")),
                "kth_item": _encode(kth_item.astype("<i4")),
                "nb_ptr": _encode(_compact(nb_ptr)),
                "nb": _encode(nb.astype("<i4")),
            }
        return (codes // n).astype(np.int64), (codes % n).astype(np.int64), values.astype(np.float64)

    def prepare(self, keys: Sequence[str]) -> None:
        """Read the stored state for this run's items (``keys``: as :meth:`edges`), before the matcher's fit
        (:meth:`stored_rows`); :meth:`edges` reads it itself otherwise."""
        import numpy as np

        n = len(keys)
        hashes = np.array([int(key[:16], 16) for key in keys], dtype="<u8")
        distinct = len(np.unique(hashes)) == n
        state = self._load() if distinct else None
        old_of_new, new_of_old = self._positions(state, hashes)
        kept_items = old_of_new[old_of_new >= 0]
        if np.any(np.diff(kept_items) <= 0):
            # stored items in another relative order (ties are broken by position): generate from scratch
            state = None
            old_of_new, new_of_old = self._positions(state, hashes)
        self._read = (keys, hashes, distinct, state, old_of_new, new_of_old)

    def stored_rows(self) -> tuple[StoredRows, np.ndarray] | None:
        """The stored TF-IDF rows and each item's row there (-1: a new or changed item), after :meth:`prepare`:
        an item's key covers its text and actor tokens, all its row reads (``tfidf.reused_rows``)."""
        if self._read is None or self._read[3] is None or self._read[3].rows is None:
            return None
        return self._read[3].rows, self._read[4]

    @staticmethod
    def _positions(state: _State | None, hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Each item's position in the stored state (-1: new), and each stored item's position now (-1: gone)."""
        import numpy as np

        n = len(hashes)
        if state is None:
            return np.full(n, -1, dtype=np.int64), np.zeros(0, dtype=np.int64)
        # each hash looked up in the stored ones sorted (stably: of equal ones, the last position, as a dict
        # of position by hash would keep)
        order = np.argsort(state.items, kind="stable")
        ranked = state.items[order]
        at = np.searchsorted(ranked, hashes, side="right") - 1
        if len(ranked):
            hit = (at >= 0) & (ranked[np.maximum(at, 0)] == hashes)
            old_of_new = np.where(hit, order[np.maximum(at, 0)], -1).astype(np.int64)
        else:
            old_of_new = np.full(n, -1, dtype=np.int64)
        new_of_old = np.full(len(state.items), -1, dtype=np.int64)
        present = old_of_new >= 0
        new_of_old[old_of_new[present]] = np.flatnonzero(present)
        return old_of_new, new_of_old

    @staticmethod
    def _affected(
        state: _State | None,
        index: Any,
        features: list[str],
        old_of_new: np.ndarray,
        new_of_old: np.ndarray,
        k: int,
    ) -> np.ndarray:
        """Items whose lexical neighbours may differ from the stored run's: new items; items holding a feature
        indexed before and not now or the reverse (their query may differ); items whose query holds a
        feature a stored item held and no longer does (a removed or changed item); items a new item's
        score would enter the top ``k`` of (by score, then position, against the stored ``k``-th)."""
        import numpy as np

        new_item = old_of_new < 0
        if state is None:
            return np.ones(len(new_item), dtype=bool)
        stored_df = dict(zip(state.features, state.df.tolist(), strict=True))
        df_old = np.fromiter((stored_df.get(f, 0) for f in features), dtype=np.int64, count=len(features))
        matrix = index.matrix
        new_rows = np.flatnonzero(new_item)
        indexed_old = (df_old >= 2) & (df_old <= index.max_df)
        # a row's query (its rarest indexed features) is the same while none of its features changed status
        status = np.flatnonzero(indexed_old != index.indexed)
        affected = new_item | (np.diff(matrix[:, status].tocsr().indptr) > 0)
        # with the same query, its neighbours are the same while none of them left (a removed or changed
        # item; another holder of a query feature leaving changes nothing above it) ...
        gone = np.zeros(len(state.nb) + 1, dtype=bool)
        gone[: len(state.nb)] = new_of_old[state.nb] < 0
        lost = np.add.reduceat(gone.astype(np.int64), state.nb_ptr[:-1])[: len(state.items)] > 0
        lost &= np.diff(state.nb_ptr) > 0
        known = ~new_item
        affected[known] |= lost[old_of_new[known]]
        # ... and no new holder scores into its top k
        if len(new_rows):
            old_rows = np.flatnonzero(~affected)
            owner, other, score = index.scores(old_rows, new_rows)
            position = old_of_new[owner]  # the owner's row in the stored state
            full = state.count[position] >= k
            kth = state.kth[position]
            kth_at = new_of_old[np.maximum(state.kth_item[position], 0)]
            enters = ~full | (score > kth) | ((score == kth) & (other < kth_at))
            affected[owner[enters]] = True
        return affected

    @staticmethod
    def _tails(
        state: _State | None,
        old_of_new: np.ndarray,
        new_of_old: np.ndarray,
        affected: np.ndarray,
        rows: np.ndarray,
        cols: np.ndarray,
        scores: np.ndarray,
        rank: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Each item's neighbour count, the score of its last neighbour and that neighbour's position (-1:
        none): computed for the affected items, the stored ones (positions mapped) for the others."""
        import numpy as np

        n = len(affected)
        count = np.zeros(n, dtype=np.int64)
        kth = np.zeros(n, dtype=np.float64)
        kth_item = np.full(n, -1, dtype=np.int64)
        if state is not None:
            keep = ~affected
            position = old_of_new[keep]
            count[keep] = state.count[position]
            kth[keep] = state.kth[position]
            previous = state.kth_item[position]
            kth_item[keep] = np.where(previous >= 0, new_of_old[np.maximum(previous, 0)], -1)
        np.add.at(count, rows, 1)
        last = rank == count[rows] - 1
        kth[rows[last]] = scores[last]
        kth_item[rows[last]] = cols[last]
        return count, kth, kth_item

    @staticmethod
    def _fresh(
        state: _State | None,
        old_of_new: np.ndarray,
        new_of_old: np.ndarray,
        rows: np.ndarray,
        cols: np.ndarray,
    ) -> np.ndarray:
        """The codes of the recomputed neighbour pairs ``(rows, cols)`` that the stored lists do not hold."""
        import numpy as np

        n = len(old_of_new)
        codes = np.minimum(rows, cols) * n + np.maximum(rows, cols)
        if state is None or not len(rows):
            return codes
        known = old_of_new[rows] >= 0
        position = old_of_new[rows[known]]
        lengths = state.nb_ptr[position + 1] - state.nb_ptr[position]
        starts = np.repeat(state.nb_ptr[position], lengths)
        offsets = np.arange(int(lengths.sum()), dtype=np.int64) - np.repeat(
            np.cumsum(lengths) - lengths, lengths
        )
        owner = np.repeat(rows[known], lengths)
        other = new_of_old[state.nb[starts + offsets]]
        stored = owner[other >= 0] * n + other[other >= 0]
        return codes[~np.isin(rows * n + cols, stored)]

    @staticmethod
    def _lists(
        state: _State | None,
        old_of_new: np.ndarray,
        new_of_old: np.ndarray,
        affected: np.ndarray,
        rows: np.ndarray,
        cols: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Each item's neighbours (CSR: pointers, positions): computed for the affected items, the stored ones
        (positions mapped; none of them gone, else the item is affected) for the others."""
        import numpy as np

        n = len(affected)
        owner, other = rows, cols
        if state is not None:
            keep = np.flatnonzero(~affected)
            position = old_of_new[keep]
            lengths = state.nb_ptr[position + 1] - state.nb_ptr[position]
            starts = np.repeat(state.nb_ptr[position], lengths)
            offsets = np.arange(int(lengths.sum()), dtype=np.int64) - np.repeat(
                np.cumsum(lengths) - lengths, lengths
            )
            owner = np.concatenate([owner, np.repeat(keep, lengths)])
            other = np.concatenate([other, new_of_old[state.nb[starts + offsets]]])
        order = np.argsort(owner, kind="stable")
        pointers = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(owner, minlength=n), out=pointers[1:])
        return pointers, other[order]

    def _lsh(
        self, matcher: Any, state: _State | None, old_of_new: np.ndarray, new_of_old: np.ndarray, n: int
    ) -> tuple[np.ndarray, np.ndarray, int, np.ndarray]:
        """Every LSH pair's code, whether its bucket is touched, the bits per key, and each item's bucket per
        table (-1: none) to keep."""
        import numpy as np

        from .embeddings import EmbeddingMatcher

        if not isinstance(matcher, EmbeddingMatcher):
            empty = np.zeros(0, dtype=np.int64)
            return empty, np.zeros(0, dtype=bool), 0, np.full((n, 0), -1, dtype=np.int64)
        subset, bits, keys = matcher.lsh_keys()
        tables = len(keys)
        rows = np.full((n, matcher.tables), -1, dtype=np.int64)
        if tables:
            rows[subset] = keys.T
        reusable = state is not None and state.bits == bits and state.lsh.shape[1] == rows.shape[1]
        codes: list[np.ndarray] = []
        touched: list[np.ndarray] = []
        for table in range(tables):
            if reusable:
                assert state is not None
                changed = np.zeros(1 << bits, dtype=bool)
                previous = np.full(n, -1, dtype=np.int64)
                known = old_of_new >= 0
                previous[known] = state.lsh[old_of_new[known], table]
                moved = previous[subset] != keys[table]  # new summaries (previous -1) and moved ones
                changed[keys[table][moved]] = True
                changed[previous[subset][moved & (previous[subset] >= 0)]] = True
                gone = (new_of_old < 0) & (state.lsh[:, table] >= 0)
                changed[state.lsh[gone, table]] = True
                # an item that stopped being a summary (or lost its vector) is a changed item: gone above
            else:
                changed = np.ones(max(1, 1 << bits), dtype=bool)
            a, b = matcher.lsh_window(keys[table])
            ga, gb = subset[a], subset[b]
            codes.append(np.minimum(ga, gb) * n + np.maximum(ga, gb))
            touched.append(changed[keys[table][a]])
        if not codes:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=bool), bits, rows
        return np.concatenate(codes), np.concatenate(touched), bits, rows

    def link_scores(self, matcher: Any, n: int) -> LinkScores:
        """The clustering's linkage scores for this run's ``n`` items (call after :meth:`edges`): those of the
        stored run's compared pairs whose two items are both still here (an item's key covers everything its
        scores read), at their positions now. The pairs this run compares are kept by :meth:`save`."""
        import numpy as np

        known: dict[int, float] = {}
        state, new_of_old = self._state, self._new_of_old
        if state is not None and new_of_old is not None and len(state.link_a):
            a, b = new_of_old[state.link_a], new_of_old[state.link_b]
            present = (a >= 0) & (b >= 0)
            codes = a[present].astype(np.int64) * n + b[present]
            known = dict(zip(codes.tolist(), state.link_score[present].tolist(), strict=True))
        self._links = LinkScores(matcher, n, known)
        return self._links

    def save(self) -> None:
        """Make the store's namespace hold this run's state only (with the linkage's pairs of this run, when
        :meth:`link_scores` gave them out)."""
        import numpy as np

        if self.store is None or self._save is None or getattr(self.store, "readonly", False):
            return
        links = self._links
        if links is not None:
            codes = np.array(sorted(links.asked), dtype=np.int64)
            scores = np.array([links.scores[code] for code in codes.tolist()], dtype="<f8")
            self._save["link_a"] = _encode((codes // links.n).astype("<i4"))
            self._save["link_b"] = _encode((codes % links.n).astype("<i4"))
            self._save["link_score"] = _encode(scores)
        self.store.replace_memos(self.namespace, {})  # an entry's value is never updated in place
        self.store.replace_memos(self.namespace, {_KEY: self._save})
