"""Pair features for the stance model: (headline/claim, body/text) -> one dense row of floats.

Everything is vectorised with sparse matrices. Body-side work (TF-IDF, BM25, sentence split,
sentence vectors, lexicon counts, LSA) is done once per *distinct* body of a batch, headline-side
work once per distinct headline; the only loop is over distinct bodies.

The fitted state (vocabularies, IDF, LSA components) lives in :class:`FeatureSpace` and is stored
as JSON + a numpy ``.npz`` written with fixed zip timestamps and read with ``allow_pickle=False``.
"""

from __future__ import annotations

import io
import json
import math
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .text import LEXICONS, cue_lexicons, lexicon_counts, negated_terms, normalise, split_sentences

if TYPE_CHECKING:
    import scipy.sparse as sp

__all__ = ["FeatureSpace", "feature_names", "read_npz", "write_npz"]

WORD_MAX_FEATURES = 40_000
CHAR_MAX_FEATURES = 40_000
CHAR_NGRAMS = (3, 5)  # character n-gram lengths (``char_wb``)
#: distinct words whose character n-gram counts are kept in process (cleared when full)
CHAR_WORD_CACHE = 200_000
CHAR_BODY_CHARS = 3_000  # char n-grams of the body are taken over its first characters only
SVD_COLUMNS = 5_000
SVD_COMPONENTS = 50
BM25_K1 = 1.2
BM25_B = 0.75
#: Pairs whose (pair, sentence) rows are expanded at once (bounds memory; results do not depend on it).
CHUNK_PAIRS = 4_000
DEFAULT_LEX_NAMES: tuple[str, ...] = (*LEXICONS, "deny", "refute_phrase")
_PER_LEX = ("head", "body", "body_rate", "lead", "best", "top3", "weighted", "simmax")


def feature_names(lex_names: Sequence[str] = DEFAULT_LEX_NAMES) -> list[str]:
    """Names of the feature columns, in order.

    The LSA space enters only through cosines (claim-text, claim-best sentence): its raw components name the
    topic, which lets a model remember which claims were disputed in training instead of learning how a
    dispute reads; dropping them raised disputes F1 on held-out claims (docs/stance.md).
    """
    names = [
        "cos_word",
        "cos_char",
        "cos_word_lead",
        "cos_char_lead",
        "overlap_uni",
        "overlap_uni_frac",
        "overlap_bi_frac",
        "jaccard",
        "overlap_lead_frac",
        "bm25",
        "bm25_per_term",
        "sent_max",
        "sent_top3",
        "sent_first",
        "sent_argmax_pos",
        "sent_frac_over_02",
        "svd_cos",
        "svd_cos_best_sentence",
        "head_len",
        "head_question",
        "body_len",
        "body_sentences",
        "negated_overlap_max",
        "negated_overlap_best",
        "negated_overlap_body",
        "negated_overlap_any",
    ]
    for prefix in _PER_LEX:
        names += [f"{prefix}_{n}" for n in lex_names]
    names += ["head_refute_parity", "best_refute_parity"]
    return names


# ---------------------------------------------------------------------------------------------
# deterministic npz


def write_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Write ``arrays`` as an ``.npz`` with fixed zip timestamps, so equal arrays give equal bytes."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(arrays):
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.ascontiguousarray(arrays[name]), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, buf.getvalue())


def read_npz(path: Path) -> dict[str, np.ndarray]:
    with np.load(path, allow_pickle=False) as data:
        return {name: data[name] for name in data.files}


# ---------------------------------------------------------------------------------------------
# vectorizers


def _word_vectorizer(vocabulary: dict[str, int] | None = None) -> Any:
    from sklearn.feature_extraction.text import CountVectorizer

    return CountVectorizer(
        lowercase=True,
        stop_words="english",
        ngram_range=(1, 2),
        min_df=2,
        vocabulary=vocabulary,
        dtype=np.float32,
    )


def _char_vectorizer(vocabulary: dict[str, int] | None = None) -> Any:
    from sklearn.feature_extraction.text import CountVectorizer

    return CountVectorizer(
        lowercase=True,
        analyzer="char_wb",
        ngram_range=CHAR_NGRAMS,
        min_df=3,
        vocabulary=vocabulary,
        dtype=np.float32,
    )


def _fit_top(vectorizer: Any, docs: Sequence[str], limit: int) -> tuple[Any, list[str]]:
    """Counts and vocabulary of the ``limit`` most frequent terms (total count over ``docs``; terms under the
    vectorizer's ``min_df`` left out), **ties broken by the term** (alphabetical).

    scikit-learn's own ``max_features`` picks among equally frequent terms by an unstable ``argsort``, whose
    order depends on numpy's sort implementation and so on the CPU (SIMD sorts): the same data gave different
    vocabularies on two machines. This selection is the same everywhere."""
    counts = vectorizer.fit_transform(docs).tocsr()
    terms = [t for t, _ in sorted(vectorizer.vocabulary_.items(), key=lambda kv: kv[1])]
    if len(terms) <= limit:
        return counts, terms
    totals = np.asarray(counts.sum(axis=0)).ravel()
    keep = np.sort(np.lexsort((np.arange(totals.size), -totals))[:limit])
    return counts[:, keep], [terms[k] for k in keep]


def _char_wb_grams(word: str) -> list[str]:
    """The character n-grams (3 to 5) scikit-learn's ``char_wb`` analyzer takes from one word: padded
    with a space each side; a word shorter than an n-gram gives itself once (``_char_wb_ngrams``)."""
    w = " " + word + " "
    w_len = len(w)
    grams: list[str] = []
    for n in range(CHAR_NGRAMS[0], CHAR_NGRAMS[1] + 1):
        offset = 0
        grams.append(w[offset : offset + n])
        while offset + n < w_len:
            offset += 1
            grams.append(w[offset : offset + n])
        if offset == 0:
            break
    return grams


def _idf(counts: sp.csr_matrix) -> np.ndarray:
    n = counts.shape[0]
    df = np.bincount(counts.indices, minlength=counts.shape[1]).astype(np.float64)
    return (np.log((1.0 + n) / (1.0 + df)) + 1.0).astype(np.float32)


def _tfidf(counts: sp.csr_matrix, idf: np.ndarray) -> sp.csr_matrix:
    """Sublinear TF times IDF, rows L2-normalised (float32)."""
    import scipy.sparse as sp

    x = counts.astype(np.float32, copy=True).tocsr()
    x.data = (1.0 + np.log(x.data)).astype(np.float32)
    x = x @ sp.diags(idf.astype(np.float32))
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1), dtype=np.float32).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags((1.0 / norms).astype(np.float32)) @ x, dtype=np.float32)


def _binary(counts: sp.csr_matrix) -> sp.csr_matrix:
    x = counts.tocsr(copy=True).astype(np.float32)
    x.data[:] = 1.0
    return x


def _row_normalise_dense(x: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (x / norms).astype(np.float32)


class _SparseRows:
    """Rows of a CSR matrix keyed ``row * n_cols + col`` (sorted), for batched row-pair dot products.

    ``dot(a, ia, ib)[p] == a[ia[p]] . self[ib[p]]``: the non-zeros of the gathered ``a`` rows are looked up in
    this matrix with one ``searchsorted``, so many pairs cost one vectorised pass instead of a loop of sparse
    products. The cost grows with the non-zeros of ``a`` (short claims), not of the long texts.
    """

    def __init__(self, matrix: sp.csr_matrix) -> None:
        m = matrix.tocsr()
        m.sort_indices()
        self.n_cols = int(m.shape[1])
        rows = np.repeat(np.arange(m.shape[0], dtype=np.int64), np.diff(m.indptr))
        self.keys = rows * self.n_cols + m.indices.astype(np.int64)
        self.data = np.asarray(m.data, dtype=np.float64)

    def dot(self, a: sp.csr_matrix, ia: np.ndarray, ib: np.ndarray) -> np.ndarray:
        sub = a[ia]
        rows = np.repeat(np.arange(len(ia), dtype=np.int64), np.diff(sub.indptr))
        if rows.size == 0 or self.keys.size == 0:
            return np.zeros(len(ia), dtype=np.float32)
        query = ib[rows].astype(np.int64) * self.n_cols + sub.indices.astype(np.int64)
        pos = np.minimum(np.searchsorted(self.keys, query), self.keys.size - 1)
        vals = np.where(self.keys[pos] == query, self.data[pos], 0.0) * sub.data
        return np.bincount(rows, weights=vals, minlength=len(ia)).astype(np.float32)


@dataclass
class _Segments:
    """(pair, sentence) rows of a chunk of pairs: every sentence of each pair's text, pairs in order."""

    pair: np.ndarray  # row -> pair within the chunk
    sent: np.ndarray  # row -> global sentence index
    starts: np.ndarray  # pair -> first row
    lengths: np.ndarray  # pair -> number of rows (>= 1)

    @classmethod
    def build(cls, bj: np.ndarray, offsets: np.ndarray) -> _Segments:
        lengths = (offsets[bj + 1] - offsets[bj]).astype(np.int64)
        starts = np.zeros(len(bj), dtype=np.int64)
        np.cumsum(lengths[:-1], out=starts[1:])
        pair = np.repeat(np.arange(len(bj), dtype=np.int64), lengths)
        sent = offsets[bj][pair] + (np.arange(pair.size, dtype=np.int64) - starts[pair])
        return cls(pair, sent, starts, lengths)

    def sum(self, values: np.ndarray) -> np.ndarray:
        return np.add.reduceat(values, self.starts, axis=0)

    def max(self, values: np.ndarray) -> np.ndarray:
        return np.maximum.reduceat(values, self.starts, axis=0)


@dataclass
class FeatureSpace:
    """Fitted vocabularies, IDF weights, LSA components and the cue lexicons the model was trained with."""

    word_vocab: list[str]
    char_vocab: list[str]
    word_idf: np.ndarray
    char_idf: np.ndarray
    bm25_idf: np.ndarray
    avgdl: float
    svd_columns: np.ndarray  # int32 indices into the word vocabulary
    svd_components: np.ndarray  # float32, (len(svd_columns), k)
    bigram_mask: np.ndarray  # float32 1.0 where the word-vocabulary term is a bigram
    lexicons: dict[str, list[str]]  # name -> words, in feature order (``refute`` first)
    phrases: list[str]  # refuting phrases, counted as the last lexicon column

    def __post_init__(self) -> None:
        self._word_cv = _word_vectorizer({t: i for i, t in enumerate(self.word_vocab)})
        self._char_cv = _char_vectorizer({t: i for i, t in enumerate(self.char_vocab)})
        self._lex = {name: frozenset(words) for name, words in self.lexicons.items()}
        self._scope = frozenset(self.lexicons.get("negation", ())) | frozenset(self.lexicons.get("deny", ()))
        self._char_index = self._char_cv.vocabulary
        self._char_words: dict[str, tuple[list[int], list[int]]] = {}

    @property
    def lex_names(self) -> list[str]:
        return [*self.lexicons, "refute_phrase"]

    @property
    def names(self) -> list[str]:
        return feature_names(self.lex_names)

    # -- fitting -----------------------------------------------------------------------------

    @classmethod
    def fit(cls, headlines: Sequence[str], bodies: Sequence[str], seed: int = 0) -> FeatureSpace:
        """Fit vocabularies, IDF and LSA on distinct headlines and bodies (the training part only)."""
        from sklearn.decomposition import TruncatedSVD

        heads = [normalise(h) for h in headlines]
        bods = [normalise(b) for b in bodies]
        docs = heads + bods
        wcounts, word_vocab = _fit_top(_word_vectorizer(), docs, WORD_MAX_FEATURES)
        ccounts, char_vocab = _fit_top(
            _char_vectorizer(), heads + [b[:CHAR_BODY_CHARS] for b in bods], CHAR_MAX_FEATURES
        )
        word_idf = _idf(wcounts)
        char_idf = _idf(ccounts)
        body_counts = wcounts[len(heads) :]
        n_b = body_counts.shape[0]
        df_b = np.bincount(body_counts.indices, minlength=body_counts.shape[1]).astype(np.float64)
        bm25_idf = np.log(1.0 + (n_b - df_b + 0.5) / (df_b + 0.5)).astype(np.float32)
        avgdl = float(np.asarray(body_counts.sum(axis=1)).mean())
        df_all = np.bincount(wcounts.indices, minlength=wcounts.shape[1])
        order = np.lexsort((np.arange(df_all.size), -df_all))  # by df desc, ties by column
        svd_columns = np.sort(order[:SVD_COLUMNS]).astype(np.int32)
        tfidf = _tfidf(wcounts, word_idf)[:, svd_columns]
        svd = TruncatedSVD(n_components=SVD_COMPONENTS, algorithm="randomized", n_iter=7, random_state=seed)
        svd.fit(tfidf.astype(np.float64))
        # rounded to 1e-6: the randomized SVD's last bits depend on BLAS and memory alignment
        components = np.ascontiguousarray(np.round(svd.components_.T, 6).astype(np.float32) + np.float32(0.0))
        bigram_mask = np.array([1.0 if " " in t else 0.0 for t in word_vocab], dtype=np.float32)
        lexicons, phrases = cue_lexicons()
        return cls(
            word_vocab=word_vocab,
            char_vocab=char_vocab,
            word_idf=word_idf,
            char_idf=char_idf,
            bm25_idf=bm25_idf,
            avgdl=avgdl,
            svd_columns=svd_columns,
            svd_components=components,
            bigram_mask=bigram_mask,
            lexicons=lexicons,
            phrases=phrases,
        )

    # -- storage -----------------------------------------------------------------------------

    def save(self, directory: Path) -> list[Path]:
        vocab = directory / "vocab.json"
        payload = {
            "word": self.word_vocab,
            "char": self.char_vocab,
            "lexicons": self.lexicons,
            "phrases": self.phrases,
        }
        vocab.write_text(json.dumps(payload, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
        arrays = directory / "features.npz"
        write_npz(
            arrays,
            {
                "word_idf": self.word_idf,
                "char_idf": self.char_idf,
                "bm25_idf": self.bm25_idf,
                "avgdl": np.array([self.avgdl], dtype=np.float64),
                "svd_columns": self.svd_columns,
                "svd_components": self.svd_components,
            },
        )
        return [vocab, arrays]

    @classmethod
    def load(cls, directory: Path) -> FeatureSpace:
        vocab = json.loads((directory / "vocab.json").read_text(encoding="utf-8"))
        arrays = read_npz(directory / "features.npz")
        word_vocab = list(vocab["word"])
        return cls(
            word_vocab=word_vocab,
            char_vocab=list(vocab["char"]),
            word_idf=arrays["word_idf"].astype(np.float32),
            char_idf=arrays["char_idf"].astype(np.float32),
            bm25_idf=arrays["bm25_idf"].astype(np.float32),
            avgdl=float(arrays["avgdl"][0]),
            svd_columns=arrays["svd_columns"].astype(np.int32),
            svd_components=arrays["svd_components"].astype(np.float32),
            bigram_mask=np.array([1.0 if " " in t else 0.0 for t in word_vocab], dtype=np.float32),
            lexicons={str(k): [str(w) for w in v] for k, v in vocab["lexicons"].items()},
            phrases=[str(p) for p in vocab["phrases"]],
        )

    # -- transform ---------------------------------------------------------------------------

    def _svd(self, tfidf: sp.csr_matrix) -> np.ndarray:
        return np.asarray(tfidf[:, self.svd_columns] @ self.svd_components, dtype=np.float32)

    def _char_word(self, word: str) -> tuple[list[int], list[int]]:
        """Vocabulary indices and counts of one lowercased word's padded character n-grams (``char_wb``),
        kept per word."""
        hit = self._char_words.get(word)
        if hit is not None:
            return hit
        if len(self._char_words) >= CHAR_WORD_CACHE:
            self._char_words.clear()
        counts: dict[int, int] = {}
        index = self._char_index
        for gram in _char_wb_grams(word):
            j = index.get(gram)
            if j is not None:
                counts[j] = counts.get(j, 0) + 1
        hit = (list(counts), list(counts.values()))
        self._char_words[word] = hit
        return hit

    def _char_counts(self, texts: Sequence[str]) -> sp.csr_matrix:
        """``self._char_cv.transform(texts)``: the same matrix (values, sorted indices, dtypes). ``char_wb``
        n-grams never cross whitespace, so a text's counts are the sum of its words' counts: each distinct
        word's n-grams are looked up once (kept per process), and the sum is one sparse product (texts x
        words) @ (words x n-grams) of small integers, exact in float32."""
        import scipy.sparse as sp

        word_ids: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        for r, text in enumerate(texts):
            words = text.lower().split()
            rows.extend([r] * len(words))
            cols.extend([word_ids.setdefault(w, len(word_ids)) for w in words])
        n_vocab = len(self._char_index)
        occurrences = sp.csr_matrix(
            (
                np.ones(len(rows), dtype=np.float32),
                (np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)),
            ),
            shape=(len(texts), len(word_ids)),
            dtype=np.float32,
        )
        w_indptr = [0]
        w_indices: list[int] = []
        w_values: list[int] = []
        for word in word_ids:
            idx, vals = self._char_word(word)
            w_indices.extend(idx)
            w_values.extend(vals)
            w_indptr.append(len(w_indices))
        grams = sp.csr_matrix(
            (
                np.asarray(w_values, dtype=np.float32),
                np.asarray(w_indices, dtype=np.int32),
                np.asarray(w_indptr, dtype=np.int64),
            ),
            shape=(len(word_ids), n_vocab),
            dtype=np.float32,
        )
        x = (occurrences @ grams).tocsr()
        x.eliminate_zeros()
        x.sort_indices()
        x.indices = x.indices.astype(np.int32, copy=False)
        x.indptr = x.indptr.astype(np.int32, copy=False)
        return x

    def _lex_counts(self, texts: Sequence[str]) -> np.ndarray:
        width = len(self._lex) + 1
        rows = [lexicon_counts(t, self._lex, self.phrases) for t in texts]
        return np.array(rows, dtype=np.float32).reshape(-1, width)

    def transform(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """One float32 row of features per (headline, body) pair."""
        n = len(pairs)
        n_features = len(self.names)
        if n == 0:
            return np.zeros((0, n_features), dtype=np.float32)
        head_index: dict[str, int] = {}
        body_index: dict[str, int] = {}
        hi = np.empty(n, dtype=np.int64)
        bj = np.empty(n, dtype=np.int64)
        for p, (head, body) in enumerate(pairs):
            hi[p] = head_index.setdefault(head, len(head_index))
            bj[p] = body_index.setdefault(body, len(body_index))
        heads = _HeadSide(self, [normalise(h) for h in head_index])
        bodies = _BodySide(self, [normalise(b) for b in body_index])
        out = np.empty((n, n_features), dtype=np.float32)
        for start in range(0, n, CHUNK_PAIRS):
            stop = min(n, start + CHUNK_PAIRS)
            out[start:stop] = _pair_features(heads, bodies, hi[start:stop], bj[start:stop])
        return out


class _HeadSide:
    """Claim-side matrices of the distinct claims of a batch."""

    def __init__(self, space: FeatureSpace, heads: list[str]) -> None:
        import scipy.sparse as sp

        counts = space._word_cv.transform(heads).tocsr()
        self.word = _tfidf(counts, space.word_idf)
        binary = _binary(counts)
        self.bin_bi = sp.csr_matrix(binary @ sp.diags(space.bigram_mask), dtype=np.float32)
        self.bin_uni = sp.csr_matrix(binary - self.bin_bi, dtype=np.float32)
        self.bin_uni.eliminate_zeros()
        self.bin_bi.eliminate_zeros()
        self.char = _tfidf(space._char_counts(heads), space.char_idf)
        self.svd_n = _row_normalise_dense(space._svd(self.word))
        self.lex = space._lex_counts(heads)
        self.n_terms = np.asarray(binary.sum(axis=1), dtype=np.float32).ravel()
        self.n_uni = np.asarray(self.bin_uni.sum(axis=1), dtype=np.float32).ravel()
        self.n_bi = np.asarray(self.bin_bi.sum(axis=1), dtype=np.float32).ravel()
        self.length = np.array([math.log1p(len(h.split())) for h in heads], dtype=np.float32)
        self.question = np.array([1.0 if "?" in h else 0.0 for h in heads], dtype=np.float32)


def _distinct_transform(vectorizer: Any, texts: Sequence[str]) -> sp.csr_matrix:
    """``vectorizer.transform(texts)`` (CSR) counting each distinct text once (rows are independent)."""
    return _distinct_counts(lambda distinct: vectorizer.transform(distinct).tocsr(), texts)


def _distinct_counts(count: Callable[[list[str]], sp.csr_matrix], texts: Sequence[str]) -> sp.csr_matrix:
    """``count(texts)`` counting each distinct text once (rows are independent)."""
    position: dict[str, int] = {}
    rows = np.array([position.setdefault(t, len(position)) for t in texts], dtype=np.int64)
    counts = count(list(position))
    return counts[rows] if len(position) != len(texts) else counts


class _BodySide:
    """Text-side matrices of the distinct texts of a batch: whole text, lead, sentences."""

    def __init__(self, space: FeatureSpace, bodies: list[str]) -> None:
        sentences: list[str] = []
        offsets = np.zeros(len(bodies) + 1, dtype=np.int64)
        leads: list[str] = []
        for j, body in enumerate(bodies):
            sents = split_sentences(body)
            sentences.extend(sents)
            offsets[j + 1] = offsets[j] + len(sents)
            leads.append(" ".join(sents[:2]))
        self.offsets = offsets
        # each distinct string is counted once: a one-sentence text is its own lead and sentence
        n_b, n_l = len(bodies), len(leads)
        w_counts = _distinct_transform(space._word_cv, [*bodies, *leads, *sentences])
        counts = w_counts[:n_b]
        word = _tfidf(counts, space.word_idf)
        binary = _binary(counts)
        self.word = _SparseRows(word)
        c_counts = _distinct_counts(space._char_counts, [*(b[:CHAR_BODY_CHARS] for b in bodies), *leads])
        self.char = _SparseRows(_tfidf(c_counts[:n_b], space.char_idf))
        l_counts = w_counts[n_b : n_b + n_l]
        self.lead_word = _SparseRows(_tfidf(l_counts, space.word_idf))
        self.lead_bin = _SparseRows(_binary(l_counts))
        self.lead_char = _SparseRows(_tfidf(c_counts[n_b:], space.char_idf))
        self.bin = _SparseRows(binary)
        s_word = _tfidf(w_counts[n_b + n_l :], space.word_idf)
        self.sent_word = _SparseRows(s_word)
        negated = [negated_terms(s, space._scope) for s in sentences]
        self.sent_negated = _SparseRows(_binary(space._word_cv.transform(negated).tocsr()))
        self.sent_svd_n = _row_normalise_dense(space._svd(s_word))
        self.sent_lex = space._lex_counts(sentences)
        self.svd_n = _row_normalise_dense(space._svd(word))
        self.n_terms = np.asarray(binary.sum(axis=1), dtype=np.float32).ravel()
        self.n_sent = np.diff(offsets).astype(np.float32)
        cum = np.vstack([np.zeros((1, self.sent_lex.shape[1]), np.float32), np.cumsum(self.sent_lex, axis=0)])
        self.lex = cum[offsets[1:]] - cum[offsets[:-1]]
        self.lead_lex = cum[np.minimum(offsets[:-1] + 2, offsets[1:])] - cum[offsets[:-1]]
        self.length = np.array([math.log1p(len(b)) for b in bodies], dtype=np.float32)
        # BM25 weight of each body term
        dl = np.asarray(counts.sum(axis=1), dtype=np.float32).ravel()
        bm = counts.tocsr(copy=True).astype(np.float32)
        row_len = np.repeat(dl, np.diff(bm.indptr))
        tf = bm.data
        bm.data = (
            space.bm25_idf[bm.indices]
            * tf
            * (BM25_K1 + 1.0)
            / (tf + BM25_K1 * (1.0 - BM25_B + BM25_B * row_len / max(space.avgdl, 1e-6)))
        ).astype(np.float32)
        self.bm25 = _SparseRows(bm)


def _pair_features(h: _HeadSide, b: _BodySide, hi: np.ndarray, bj: np.ndarray) -> np.ndarray:
    """Feature rows of the pairs (hi[p], bj[p]): whole-text, lead and sentence-level passes, all vectorised."""
    cos_word = b.word.dot(h.word, hi, bj)
    cos_char = b.char.dot(h.char, hi, bj)
    cos_wl = b.lead_word.dot(h.word, hi, bj)
    cos_cl = b.lead_char.dot(h.char, hi, bj)
    ov_uni = b.bin.dot(h.bin_uni, hi, bj)
    ov_bi = b.bin.dot(h.bin_bi, hi, bj)
    ov_lead = b.lead_bin.dot(h.bin_uni, hi, bj) + b.lead_bin.dot(h.bin_bi, hi, bj)
    bm25 = b.bm25.dot(h.bin_uni, hi, bj) + b.bm25.dot(h.bin_bi, hi, bj)

    # sentence level: one row per (pair, sentence of its text)
    seg = _Segments.build(bj, b.offsets)
    rows_h = hi[seg.pair]
    sims = b.sent_word.dot(h.word, rows_h, seg.sent).astype(np.float64)
    rank_order = np.lexsort((np.arange(sims.size), -sims, seg.pair))  # pair, best first, earlier first
    rank = np.empty(sims.size, dtype=np.int64)
    rank[rank_order] = np.arange(sims.size) - seg.starts[seg.pair[rank_order]]
    best_row = rank_order[seg.starts]
    best = seg.sent[best_row]
    lengths = seg.lengths.astype(np.float64)
    top3 = rank < 3
    s_max = sims[best_row]
    s_top3 = seg.sum(np.where(top3, sims, 0.0)) / np.minimum(lengths, 3.0)
    s_first = sims[seg.starts]
    s_pos = (best_row - seg.starts) / lengths
    s_frac = seg.sum((sims > 0.2).astype(np.float64)) / lengths
    lex = b.sent_lex[seg.sent].astype(np.float64)
    top3_lex = seg.sum(np.where(top3[:, None], lex, 0.0))
    w = sims / np.maximum(seg.sum(sims), 1e-6)[seg.pair]
    w_lex = seg.sum(w[:, None] * lex)
    simmax_lex = seg.max(np.maximum(sims, 0.0)[:, None] * lex)
    negated = b.sent_negated.dot(h.bin_uni, rows_h, seg.sent).astype(np.float64)
    n_uni = np.maximum(h.n_uni[hi], 1.0)
    neg_max = seg.max(negated) / n_uni
    neg_best = negated[best_row] / n_uni
    neg_body = seg.sum(negated) / n_uni
    neg_any = seg.max(negated * (sims > 0.0))

    hs = h.svd_n[hi]
    bs = b.svd_n[bj]
    ss = b.sent_svd_n[best]
    ov_total = ov_uni + ov_bi
    union = h.n_terms[hi] + b.n_terms[bj] - ov_total
    n_terms = np.maximum(h.n_terms[hi], 1.0)
    base = np.column_stack(
        [
            cos_word,
            cos_char,
            cos_wl,
            cos_cl,
            ov_uni,
            ov_uni / np.maximum(h.n_uni[hi], 1.0),
            ov_bi / np.maximum(h.n_bi[hi], 1.0),
            ov_total / np.maximum(union, 1.0),
            ov_lead / n_terms,
            bm25,
            bm25 / n_terms,
            s_max,
            s_top3,
            s_first,
            s_pos,
            s_frac,
            (hs * bs).sum(axis=1),
            (hs * ss).sum(axis=1),
            h.length[hi],
            h.question[hi],
            b.length[bj],
            b.n_sent[bj],
            neg_max,
            neg_best,
            neg_body,
            neg_any,
        ]
    )
    best_lex = b.sent_lex[best]
    parts = [
        base,
        h.lex[hi],
        b.lex[bj],
        b.lex[bj] / b.n_sent[bj][:, None],
        b.lead_lex[bj],
        best_lex,
        top3_lex,
        w_lex,
        simmax_lex,
        np.column_stack([h.lex[hi, 0] % 2, best_lex[:, 0] % 2]),
    ]
    return np.hstack([np.asarray(p, dtype=np.float32) for p in parts])
