"""``tfidf.pair_dot`` gives the same bits on its few-pairs path (Python lists) as on its array path."""

from __future__ import annotations

import numpy as np
from scipy import sparse

from claimgraph.claims import tfidf


def test_few_pairs_path_gives_the_bits_of_the_array_path() -> None:
    rng = np.random.default_rng(12)
    dense = rng.random((40, 30)).astype(np.float32)
    dense[dense < 0.7] = 0.0  # sparse rows, some empty
    dense[5] = 0.0
    matrix = sparse.csr_matrix(dense)
    i = rng.integers(0, 40, size=tfidf._FEW_PAIRS)
    j = rng.integers(0, 40, size=tfidf._FEW_PAIRS)
    few = tfidf.pair_dot(matrix, i, j)
    # the array path: the same pairs padded past the few-pairs limit
    pad = np.zeros(tfidf._FEW_PAIRS + 1, dtype=np.int64)
    many = tfidf.pair_dot(matrix, np.concatenate([i, pad]), np.concatenate([j, pad]))[: len(i)]
    assert few.tobytes() == many.tobytes()
    assert np.any(few > 0)
