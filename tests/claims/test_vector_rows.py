"""The lexical matcher's matrices built with array operations (``tfidf._fixed_rows``, ``tfidf.entity_matrix``)
are those of the plain loops they replaced, bit for bit, on random items (rows without tokens, names or
entities included)."""

from __future__ import annotations

import random
from typing import Any

import numpy as np
import pytest
from memo_helpers import STORY_WORDS
from scipy import sparse

from claimgraph.claims.matching import MatchItem
from claimgraph.claims.text import content_tokens
from claimgraph.claims.tfidf import _fixed_rows, entity_matrix, fixed_idf

WORDS = [*STORY_WORDS, "412"]


def _items(n: int, seed: int) -> list[MatchItem]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        words = [rng.choice(WORDS) for _ in range(rng.randrange(7))]
        text = " ".join(words) or "the"
        tokens = content_tokens(text)
        names = frozenset(
            rng.sample(tokens, rng.randrange(len(tokens) + 1)) + rng.sample(["zzz", "flood"], 1)
        )
        entities = frozenset(f"ent-{rng.randrange(30)}" for _ in range(rng.randrange(4)))
        out.append(MatchItem(text, entities, names=names))
    return out


def _entity_matrix_by_loop(items: list[MatchItem]) -> Any:
    vocab = {ent: k for k, ent in enumerate(sorted({e for item in items for e in item.entity_ids}))}
    indptr = [0]
    indices: list[int] = []
    for item in items:
        indices.extend(vocab[ent] for ent in sorted(item.entity_ids))
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float32)
    return sparse.csr_matrix(
        (data, np.array(indices, dtype=np.int64), np.array(indptr, dtype=np.int64)),
        shape=(len(items), max(1, len(vocab))),
    )


def _fixed_rows_with_isin(texts: list[str], names: list[frozenset[str]]) -> tuple[Any, np.ndarray]:
    """``_fixed_rows`` as it was, the name tokens' entries found with ``np.isin`` (and the name IDF entries)."""
    rows = [tuple(content_tokens(t)) for t in texts]
    lengths = np.fromiter(map(len, rows), dtype=np.int64, count=len(rows))
    flat = [t for row in rows for t in row]
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
    named = [k * width + vocabulary[t] for k, own in enumerate(names) for t in own if t in vocabulary]
    if named:
        entry_idf[np.isin(codes, np.array(named, dtype=np.int64))] = name_idf
    data = (1.0 + np.log(counts.astype(np.float64))) * entry_idf
    norms = np.sqrt(np.add.reduceat(data**2, indptr[:-1])) if len(data) else np.zeros(0)
    row_lengths = np.diff(indptr)
    row_norm = np.ones(len(rows), dtype=np.float64)
    nonempty = row_lengths > 0
    if len(data):
        row_norm[nonempty] = norms[nonempty]
    data = data / np.repeat(row_norm, row_lengths)
    matrix = sparse.csr_matrix((data.astype(np.float32), index_array, indptr), shape=(len(rows), width))
    return matrix, entry_idf == name_idf


def _same(a: Any, b: Any) -> bool:
    return bool(
        a.shape == b.shape
        and a.dtype == b.dtype
        and np.array_equal(a.indptr, b.indptr)
        and np.array_equal(a.indices, b.indices)
        and np.array_equal(a.data, b.data)
    )


@pytest.mark.parametrize(("n", "seed"), [(0, 0), (1, 1), (5, 2), (400, 3)])
def test_entity_matrix_is_the_loops(n: int, seed: int) -> None:
    items = _items(n, seed)
    assert _same(entity_matrix(items), _entity_matrix_by_loop(items))


@pytest.mark.parametrize(("n", "seed"), [(1, 1), (5, 2), (400, 3)])
def test_the_name_idf_goes_to_the_entries_isin_found(n: int, seed: int) -> None:
    items = _items(n, seed)
    texts, names = [i.text for i in items], [i.names for i in items]
    matrix, _weights, _columns = _fixed_rows(texts, names)
    expected, named = _fixed_rows_with_isin(texts, names)
    assert _same(matrix, expected)
    if n > 100:
        assert named.any() and not named.all()  # both kinds of entries were there to tell apart
