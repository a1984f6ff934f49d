"""The lexical claim matcher: TF-IDF over stems, plus entity overlap.

Registered as ``claimgraph.tfidf_matcher.v1``. Tokens come from :func:`claimgraph.claims.text.content_tokens`
(stop words dropped, inflections stemmed); weights are sublinear TF x IDF,
L2-normalised, so a pair's lexical score is the cosine. When both statements name entities, the score
is ``0.85 * cosine + 0.15 * Jaccard(entity ids)``: the same actors make the same claim more likely,
and entity resolution joins surface forms ("Russia", "the Russian government") the words alone miss.

**The IDF can be fixed** (``idf="fixed"``: :func:`fixed_idf`, ``claims/data/idf.tsv``, built by
``benchmarks/build_idf.py`` from the word frequencies of the PyPI package ``wordfreq``) instead of fitted on
the corpus: a pair's score then depends on its two texts (and entity sets) only, so adding documents never
changes the score of two statements already there, and the clustering's components can be reused by an
incremental run (:class:`~claimgraph.claims.matching.ComponentMemo`). A token missing from the table (a rare
word, a name, a figure) gets the table's default, the IDF of the rarest listed token. It is the default
(:data:`DEFAULT_IDF`); ``idf="corpus"`` is scikit-learn's smoothed IDF fitted on the corpus (``docs/claims.md``,
"IDF").
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain, pairwise, repeat
from typing import TYPE_CHECKING, Any

from ..registry import registry
from ..vocab.idf import fixed_idf
from .matching import ENTITY_WEIGHT, CandidateIndex, MatchItem, entity_jaccard, unique_pairs
from .text import _content_tokens, content_tokens

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "StoredRows",
    "TfidfMatcher",
    "entity_matrix",
    "fixed_idf",
    "make_tfidf_matcher",
    "pair_chunks",
    "reused_rows",
    "tfidf_vectors",
]

_PAIR_CHUNK = 100_000
#: Which IDF new matchers use: ``"fixed"`` (the shipped table) or ``"corpus"`` (fitted on the corpus).
DEFAULT_IDF = "fixed"


def tfidf_vectors(
    texts: Sequence[str], idf: str = "fixed", names: Sequence[frozenset[str]] | None = None
) -> tuple[Any, np.ndarray]:
    """Sublinear TF x IDF rows, L2-normalised (a float32 CSR matrix), and each column's IDF.

    Columns are the corpus's tokens in sorted order (so ties between equally rare tokens break by the
    token, whatever else the corpus holds). ``idf="fixed"``: :func:`fixed_idf`, where a token in the
    row's ``names`` (tokens naming its own actors) weighs the table's name IDF; ``"corpus"``:
    scikit-learn's smoothed ``ln((1 + n) / (1 + df)) + 1`` over ``texts`` (``names`` unused)."""
    import numpy as np

    if idf == "corpus":
        from sklearn.feature_extraction.text import TfidfVectorizer

        # scikit-learn's own computation (float32), exactly as before the fixed table
        if not any(content_tokens(t) for t in texts[:50]) and not any(content_tokens(t) for t in texts):
            texts = [t + " _empty_" for t in texts]
        vectorizer = TfidfVectorizer(analyzer=content_tokens, sublinear_tf=True, norm="l2", dtype=np.float32)
        fitted = vectorizer.fit_transform(texts).tocsr()
        return fitted, np.asarray(vectorizer.idf_, dtype=np.float64)
    matrix, weights, _columns = _fixed_rows(texts, names)
    return matrix, weights


def _fixed_rows(
    texts: Sequence[str], names: Sequence[frozenset[str]] | None = None
) -> tuple[Any, np.ndarray, list[str]]:
    """:func:`tfidf_vectors` with the fixed table, and its columns' tokens (sorted). Built with array
    operations over all tokens at once (the same float64 operations, in the same order, as a row at a
    time): a row's entries are its distinct tokens in column order."""
    import numpy as np
    from scipy import sparse

    rows = list(map(_content_tokens, texts))  # each text's tokens (content_tokens, without the list copy)
    lengths = np.fromiter(map(len, rows), dtype=np.int64, count=len(rows))
    flat = list(chain.from_iterable(rows))
    columns = sorted(set(flat))
    vocabulary = {token: k for k, token in enumerate(columns)}
    inverse = np.fromiter(map(vocabulary.__getitem__, flat), dtype=np.int64, count=len(flat))
    width = max(1, len(columns))
    owner = np.repeat(np.arange(len(rows), dtype=np.int64), lengths)
    codes, counts = np.unique(owner * width + inverse, return_counts=True)
    entry_row, index_array = codes // width, codes % width
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum(np.bincount(entry_row, minlength=len(rows)), out=indptr[1:])
    table, default, name_idf = fixed_idf()
    weights = np.array([table.get(token, default) for token in columns], dtype=np.float64)
    entry_idf = weights[index_array]
    if names is not None and any(names):
        # entries whose token names the row's own actors weigh the name IDF
        # (each row's name tokens as codes, looked up in the sorted codes: ``np.isin`` without its sorts)
        flat_names = list(chain.from_iterable(names))
        name_columns = np.fromiter(
            map(vocabulary.get, flat_names, repeat(-1)), dtype=np.int64, count=len(flat_names)
        )
        name_rows = np.repeat(
            np.arange(len(names), dtype=np.int64),
            np.fromiter(map(len, names), dtype=np.int64, count=len(names)),
        )
        known = name_columns >= 0
        named = name_rows[known] * width + name_columns[known]
        at = np.searchsorted(codes, named)
        inside = at < len(codes)
        at, named = at[inside], named[inside]
        entry_idf[at[codes[at] == named]] = name_idf
    data = (1.0 + np.log(counts.astype(np.float64))) * entry_idf
    row_lengths = np.diff(indptr)
    row_norm = np.ones(len(rows), dtype=np.float64)
    nonempty = row_lengths > 0
    if len(data):
        # each non-empty row's entries, summed from its start to the next non-empty row's (the same segments
        # as over every row's start, without a start past the end when the last rows are empty)
        row_norm[nonempty] = np.sqrt(np.add.reduceat(data**2, indptr[:-1][nonempty]))
    data = data / np.repeat(row_norm, row_lengths)
    matrix = sparse.csr_matrix((data.astype(np.float32), index_array, indptr), shape=(len(rows), width))
    return matrix, weights, columns


@dataclass(frozen=True)
class StoredRows:
    """The TF-IDF rows of an earlier fit with the fixed IDF (:class:`~claimgraph.claims.edgememo.EdgeMemo` keeps
    them): its columns' tokens (sorted) and its CSR arrays. A row's values are a function of its item's text
    and actor tokens alone (the fixed table's IDF of each token, sublinear TF, the row's own norm); only its
    column numbers depend on the corpus, through the sorted vocabulary (:func:`reused_rows`)."""

    tokens: list[str]
    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray

    def valid(self) -> bool:
        """Whether the arrays make a canonical CSR matrix over :attr:`tokens` (sorted, distinct), each row's
        columns ascending (a damaged state is not reused)."""
        import numpy as np

        tokens, indptr, indices = self.tokens, self.indptr, self.indices
        if not (
            indptr.ndim == indices.ndim == self.data.ndim == 1
            and len(indptr) >= 1
            and indptr[0] == 0
            and indptr[-1] == len(indices) == len(self.data)
            and not np.any(np.diff(indptr) < 0)
            and all(isinstance(t, str) for t in tokens)
            and all(a < b for a, b in pairwise(tokens))
        ):
            return False
        if len(indices) and (indices.min() < 0 or indices.max() >= len(tokens)):
            return False
        step = np.diff(indices)
        row_start = np.zeros(len(indices), dtype=bool)
        row_start[indptr[:-1][np.diff(indptr) > 0]] = True
        return bool(np.all((step > 0) | row_start[1:]))


def _gather(indptr: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The entries of ``rows`` of a CSR matrix with pointers ``indptr``: each one's row length and each entry's
    position in the matrix's arrays (rows in the given order, a row's entries in order)."""
    import numpy as np

    starts = indptr[rows].astype(np.int64)
    lengths = indptr[rows + 1].astype(np.int64) - starts
    offsets = np.arange(int(lengths.sum()), dtype=np.int64) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return lengths, np.repeat(starts, lengths) + offsets


def reused_rows(
    texts: Sequence[str],
    names: Sequence[frozenset[str]] | None,
    stored: StoredRows,
    old_of_new: np.ndarray,
) -> tuple[Any, np.ndarray, list[str]]:
    """:func:`_fixed_rows` of ``texts`` (and ``names``), the rows of items with ``old_of_new >= 0`` taken from
    ``stored`` (row ``old_of_new[k]`` there: an item whose text and actor tokens are those that row was made
    from) and only the other rows computed. Bit for bit the same matrix, IDF and columns: the columns are the
    sorted union of the tokens the rows hold (the stored rows' tokens with the computed rows' ones merged in
    order); a stored row's values are kept, its column numbers mapped (an increasing map, so each row's
    columns stay ascending); a computed row's values do not depend on the other rows (``_fixed_rows`` works
    row by row in its array operations)."""
    import numpy as np
    from scipy import sparse

    n = len(texts)
    old_of_new = np.asarray(old_of_new, dtype=np.int64)
    kept = np.flatnonzero(old_of_new >= 0)
    fresh = np.flatnonzero(old_of_new < 0)
    fresh_rows, _weights, fresh_tokens = _fixed_rows(
        [texts[k] for k in fresh.tolist()], [names[k] for k in fresh.tolist()] if names is not None else None
    )
    kept_lengths, at = _gather(stored.indptr, old_of_new[kept])
    old_columns = stored.indices[at].astype(np.int64)
    used = np.flatnonzero(np.bincount(old_columns, minlength=len(stored.tokens)))  # sorted, distinct
    used_tokens = [stored.tokens[c] for c in used.tolist()]
    # the computed rows' tokens among the stored rows' (sorted both): those not there are merged in
    places = [bisect_left(used_tokens, token) for token in fresh_tokens]
    found = [
        p < len(used_tokens) and used_tokens[p] == token
        for p, token in zip(places, fresh_tokens, strict=True)
    ]
    missing_at = np.array([p for p, hit in zip(places, found, strict=True) if not hit], dtype=np.int64)
    # a stored token's column: its rank, plus the merged tokens before it; a merged token's: its place plus
    # the merged tokens before it
    used_column = np.arange(len(used), dtype=np.int64) + np.searchsorted(
        missing_at, np.arange(len(used), dtype=np.int64), side="right"
    )
    missing_column = missing_at + np.arange(len(missing_at), dtype=np.int64)
    columns: list[str] = [""] * (len(used) + len(missing_at))
    for column, token in zip(used_column.tolist(), used_tokens, strict=True):
        columns[column] = token
    fresh_column = np.zeros(len(fresh_tokens), dtype=np.int64)
    missed = 0
    for k, (p, hit) in enumerate(zip(places, found, strict=True)):
        if hit:
            fresh_column[k] = used_column[p]
        else:
            fresh_column[k] = missing_column[missed]
            columns[int(missing_column[missed])] = fresh_tokens[k]
            missed += 1
    column_of_old = np.zeros(len(stored.tokens), dtype=np.int64)
    column_of_old[used] = used_column
    # the rows in item order
    lengths = np.zeros(n, dtype=np.int64)
    lengths[kept] = kept_lengths
    lengths[fresh] = np.diff(fresh_rows.indptr)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    indices = np.zeros(int(indptr[-1]), dtype=np.int64)
    data = np.zeros(int(indptr[-1]), dtype=np.float32)
    _, into = _gather(indptr, kept)
    indices[into] = column_of_old[old_columns]
    data[into] = stored.data[at]
    _, into = _gather(indptr, fresh)
    indices[into] = fresh_column[fresh_rows.indices.astype(np.int64)]
    data[into] = fresh_rows.data
    width = max(1, len(columns))
    table, default, _name_idf = fixed_idf()
    weights = np.array([table.get(token, default) for token in columns], dtype=np.float64)
    matrix = sparse.csr_matrix((data, indices, indptr), shape=(n, width))
    return matrix, weights, columns


def entity_matrix(items: Sequence[MatchItem]) -> Any:
    """A binary (items x entities) CSR matrix; columns are the entity ids in sorted order (so the relative
    order of two entities' columns, which breaks ties between equally rare features in candidate
    generation, does not depend on what else the corpus holds)."""
    import numpy as np
    from scipy import sparse

    sets = [item.entity_ids for item in items]
    flat = list(chain.from_iterable(sets))
    vocab = {ent: k for k, ent in enumerate(sorted(set(flat)))}
    width = max(1, len(vocab))
    lengths = np.fromiter(map(len, sets), dtype=np.int64, count=len(sets))
    # each entry's code (row * width + column), sorted: rows in order, a row's columns ascending, i.e. its
    # entity ids sorted (columns are in entity id order); an item's ids are a set, so no code repeats
    codes = np.repeat(np.arange(len(sets), dtype=np.int64), lengths) * width + np.fromiter(
        map(vocab.__getitem__, flat), dtype=np.int64, count=len(flat)
    )
    codes.sort()
    indptr = np.zeros(len(sets) + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    data = np.ones(len(codes), dtype=np.float32)
    return sparse.csr_matrix((data, codes % width, indptr), shape=(len(items), width))


def _row_entries(matrix: Any, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The stored entries of ``rows`` of a CSR matrix: (position in ``rows``, column, value)."""
    import numpy as np

    starts = matrix.indptr[rows].astype(np.int64)
    lengths = matrix.indptr[rows + 1].astype(np.int64) - starts
    total = int(lengths.sum())
    owner = np.repeat(np.arange(len(rows), dtype=np.int64), lengths)
    offsets = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    at = np.repeat(starts, lengths) + offsets
    return owner, matrix.indices[at].astype(np.int64), matrix.data[at]


def pair_dot(matrix: Any, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Row dot products ``matrix[i[k]] . matrix[j[k]]`` of a CSR matrix (canonical: sorted, unique
    columns per row), straight from its arrays. Time grows with the pairs' own entries only: scipy's
    fancy row indexing (``matrix[i]``) checks the whole matrix's index arrays on every call, which made
    the many small calls of clustering and attachment grow with the square of the corpus."""
    import numpy as np

    i = np.asarray(i, dtype=np.int64)
    j = np.asarray(j, dtype=np.int64)
    out = np.zeros(len(i), dtype=np.float64)
    if not len(i):
        return out
    if len(i) <= _FEW_PAIRS:
        return _few_pair_dots(matrix, i, j, out)
    width = int(matrix.shape[1])
    pa, ca, va = _row_entries(matrix, i)
    pb, cb, vb = _row_entries(matrix, j)
    _, ia, ib = np.intersect1d(pa * width + ca, pb * width + cb, assume_unique=True, return_indices=True)
    if len(ia):
        out += np.bincount(pa[ia], weights=va[ia].astype(np.float64) * vb[ib], minlength=len(i))
    return out


#: Up to this many pairs, :func:`pair_dot` works on Python lists: numpy's fixed cost per call (a dozen array
#: operations) is most of the time of the many small calls of clustering and the allegation pass.
_FEW_PAIRS = 16


def _few_pair_dots(matrix: Any, i: np.ndarray, j: np.ndarray, out: np.ndarray) -> np.ndarray:
    """:func:`pair_dot` for a few pairs: the same float64 products of the shared columns, added in the same
    (ascending column) order, so the same bits."""
    indptr, indices, data = matrix.indptr, matrix.indices, matrix.data
    for k, (a, b) in enumerate(zip(i.tolist(), j.tolist(), strict=True)):
        lo_a, hi_a, lo_b, hi_b = indptr[a], indptr[a + 1], indptr[b], indptr[b + 1]
        if lo_a == hi_a or lo_b == hi_b:
            continue
        row_a = dict(zip(indices[lo_a:hi_a].tolist(), data[lo_a:hi_a].tolist(), strict=True))
        total = 0.0
        hit = False
        for column, value in zip(indices[lo_b:hi_b].tolist(), data[lo_b:hi_b].tolist(), strict=True):
            other = row_a.get(column)
            if other is not None:
                total += other * value
                hit = True
        if hit:
            out[k] = total
    return out


def pair_chunks(n: int) -> list[tuple[int, int]]:
    return [(lo, min(n, lo + _PAIR_CHUNK)) for lo in range(0, n, _PAIR_CHUNK)]


class TfidfMatcher:
    """TF-IDF cosine + entity overlap; candidates by blocked sparse product over rare features."""

    def __init__(
        self, *, k: int = 20, query_features: int = 6, max_df: int = 200, idf: str | None = None
    ) -> None:
        self.idf = DEFAULT_IDF if idf is None else idf
        self.column_idf: Any = None
        self.k = k
        self.query_features = query_features
        self.max_df = max_df
        self.vectors: Any = None
        self.entities: Any = None
        self._candidates: tuple[np.ndarray, np.ndarray] | None = None
        self.features: list[str] | None = None
        """Each candidate feature's name with the fixed IDF (``t:`` token, ``e:`` entity id), in the
        :meth:`candidate_index` columns' order; ``None`` with the corpus IDF."""
        self.component_store: Any = None
        """Where :func:`~claimgraph.claims.matching.cluster` keeps its components' groups between runs
        (a workspace store, set by :func:`~claimgraph.claims.embeddings.memo_matcher`; ``None``: not kept)."""

    @property
    def corpus_independent(self) -> bool:
        """Whether a pair's score depends on the two items alone (not with an IDF fitted on the corpus)."""
        return self.idf != "corpus"

    def fit(self, items: Sequence[MatchItem], stored: tuple[StoredRows, np.ndarray] | None = None) -> None:
        """Rows of ``items``. ``stored``: an earlier fit's rows and each item's row there (-1: none), for items
        whose text and actor tokens are those of that row (:func:`reused_rows`; the fixed IDF only)."""
        texts = [item.text for item in items]
        names = [item.names for item in items]
        if self.idf == "corpus":
            self.vectors, self.column_idf = tfidf_vectors(texts, self.idf, names)
            self.features = None
        elif stored is not None and len(stored[1]) == len(items):
            self.vectors, self.column_idf, tokens = reused_rows(texts, names, stored[0], stored[1])
        else:
            self.vectors, self.column_idf, tokens = _fixed_rows(texts, names)
        self.entities = entity_matrix(items)
        if self.idf != "corpus":
            entity_ids = sorted({e for item in items for e in item.entity_ids})
            # one name per column; an empty part is one empty column (named by its bare prefix)
            self.features = [f"t:{t}" for t in tokens] or ["t:"]
            self.features += [f"e:{e}" for e in entity_ids] or ["e:"]
        self._candidates = None

    def candidate_index(self) -> CandidateIndex:
        """:func:`~claimgraph.claims.matching.sparse_candidates`' index over the TF-IDF rows and the entity
        ids (features in :attr:`features`' order: the tokens, then the entity ids)."""
        import numpy as np
        from scipy import sparse

        combined = sparse.hstack([self.vectors, self.entities]).tocsr()
        rarity = None
        if self.idf != "corpus":
            # which features of a row are its rarest comes from the fixed table (entity ids: the
            # table's default, as a name), not from the corpus
            rarity = np.concatenate(
                [self.column_idf, np.full(self.entities.shape[1], fixed_idf()[1], dtype=np.float64)]
            )
        return CandidateIndex(combined, query_features=self.query_features, max_df=self.max_df, rarity=rarity)

    def candidates(self) -> tuple[np.ndarray, np.ndarray]:
        """Candidate pairs (computed once per fit, then reused)."""
        if self._candidates is None:
            import numpy as np

            n = self.vectors.shape[0]
            if n < 2:
                empty = np.zeros(0, dtype=np.int64)
                self._candidates = (empty, empty)
            else:
                rows, cols = self.candidate_index().neighbours(np.arange(n, dtype=np.int64), self.k)
                self._candidates = unique_pairs(rows, cols, n)
        return self._candidates

    def pair(self, a: int, b: int) -> float:
        """The score of one pair, straight from the CSR arrays (fast path for the chain guard)."""
        import numpy as np

        v, e = self.vectors, self.entities
        ia, ib = v.indices[v.indptr[a] : v.indptr[a + 1]], v.indices[v.indptr[b] : v.indptr[b + 1]]
        _, pa, pb = np.intersect1d(ia, ib, assume_unique=True, return_indices=True)
        cos = float(np.dot(v.data[v.indptr[a] + pa], v.data[v.indptr[b] + pb])) if len(pa) else 0.0
        ea, eb = e.indices[e.indptr[a] : e.indptr[a + 1]], e.indices[e.indptr[b] : e.indptr[b + 1]]
        if len(ea) and len(eb):
            inter = len(np.intersect1d(ea, eb, assume_unique=True))
            jac = inter / (len(ea) + len(eb) - inter)
            cos = (1 - ENTITY_WEIGHT) * cos + ENTITY_WEIGHT * jac
        return min(1.0, max(0.0, cos))

    def text_similarity(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """The TF-IDF cosine of pairs (no entity term)."""
        import numpy as np

        out = np.zeros(len(i), dtype=np.float64)
        for lo, hi in pair_chunks(len(i)):
            a, b = i[lo:hi], j[lo:hi]
            out[lo:hi] = pair_dot(self.vectors, a, b)
        return out

    def similarity(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        import numpy as np

        out = np.zeros(len(i), dtype=np.float64)
        for lo, hi in pair_chunks(len(i)):
            a, b = i[lo:hi], j[lo:hi]
            out[lo:hi] = self.with_entities(pair_dot(self.vectors, a, b), a, b)
        return np.clip(out, 0.0, 1.0)

    def with_entities(self, cos: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """The pairs' score from their TF-IDF cosine: the entity term added where both name entities."""
        import numpy as np

        jac, both = entity_jaccard(self.entities, a, b)
        return np.where(both, (1 - ENTITY_WEIGHT) * cos + ENTITY_WEIGHT * jac, cos)


@registry.claim_matchers("claimgraph.tfidf_matcher.v1")
def make_tfidf_matcher() -> TfidfMatcher:
    return TfidfMatcher()
