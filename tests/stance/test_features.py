"""The vectorised pair features agree with plain sparse products and do not depend on batching."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from claimgraph.stance.features import _Segments, _SparseRows
from claimgraph.stance.text import negated_terms


def test_sparse_row_dot_matches_sparse_products() -> None:
    rng = np.random.default_rng(7)
    a = sp.random(30, 200, density=0.05, format="csr", random_state=1, dtype=np.float64)
    b = sp.random(12, 200, density=0.2, format="csr", random_state=2, dtype=np.float64)
    ia = rng.integers(0, 30, size=500)
    ib = rng.integers(0, 12, size=500)
    expected = np.asarray(a[ia].multiply(b[ib]).sum(axis=1)).ravel()
    np.testing.assert_allclose(_SparseRows(b).dot(a, ia, ib), expected, rtol=1e-5, atol=1e-6)
    empty = sp.csr_matrix((3, 200))
    np.testing.assert_array_equal(_SparseRows(empty).dot(a, ia[:4], np.zeros(4, np.int64)), np.zeros(4))


def test_segments_cover_each_pairs_sentences() -> None:
    offsets = np.array([0, 3, 4, 9])  # three texts with 3, 1 and 5 sentences
    seg = _Segments.build(np.array([2, 0, 2, 1]), offsets)
    assert seg.lengths.tolist() == [5, 3, 5, 1]
    assert seg.sent.tolist() == [4, 5, 6, 7, 8, 0, 1, 2, 4, 5, 6, 7, 8, 3]
    values = np.arange(seg.sent.size, dtype=np.float64)
    assert seg.max(values).tolist() == [4.0, 7.0, 12.0, 13.0]
    assert seg.sum(values).tolist() == [10.0, 18.0, 50.0, 13.0]


def test_negated_terms_keep_words_in_a_denials_scope() -> None:
    scope = frozenset({"denied", "not", "no"})
    text = (
        "Officials in Marrick denied that the army recruits convicted smugglers, a spokesman said on Friday."
    )
    kept = negated_terms(text, scope).split()
    assert "recruits" in kept and "army" in kept and "denied" not in kept
    assert "friday" not in kept
    assert negated_terms("The port reopened on Monday.", scope) == ""


def test_char_counts_equal_scikit_learns_char_wb_counts() -> None:
    """The per-word n-gram counts summed by a sparse product give scikit-learn's ``char_wb`` matrix exactly
    (values, sorted indices, dtypes), for repeated, short, non-ASCII and empty texts, cold and warm."""
    from claimgraph.stance.model import load_model

    space = load_model().features
    texts = [
        "The Harbour Authority of Drelwick denied the report, officials said on Tuesday.",
        "Officials said. Officials said, officials said!",
        "I a ox",
        "",
        "   \t ",
        "ΟΔΟΣ Σ İstanbul naïve café x\u00a0y — 12,000 tonnes",
        "The Harbour Authority of Drelwick denied the report, officials said on Tuesday.",
    ]
    expected = space._char_cv.transform(texts).tocsr()
    for _ in range(2):  # the second call reads every word from the per-word table
        got = space._char_counts(texts)
        assert type(got) is type(expected) and got.shape == expected.shape and got.has_sorted_indices
        for part in ("data", "indices", "indptr"):
            a, b = getattr(got, part), getattr(expected, part)
            assert a.dtype == b.dtype
            np.testing.assert_array_equal(a, b)


def test_the_vocabulary_limit_breaks_ties_by_the_term() -> None:
    """Among equally frequent terms the alphabetically first are kept, whatever numpy's sort does with ties
    (scikit-learn's own ``max_features`` used an unstable argsort, which differed between machines)."""
    from sklearn.feature_extraction.text import CountVectorizer

    from claimgraph.stance.features import _fit_top

    words = [f"w{k:03d}" for k in range(300)]
    docs = [" ".join(words), " ".join(reversed(words)), "w299 w150"]  # w299 and w150 are the most frequent
    counts, vocab = _fit_top(CountVectorizer(), docs, 40)
    assert vocab[:2] == ["w000", "w001"] and "w150" in vocab and "w299" in vocab
    assert vocab == sorted(["w150", "w299", *words[:38]])
    assert counts.shape == (3, 40)
    assert counts[2].sum() == 2
