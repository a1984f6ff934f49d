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
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .text import LEXICONS, lexicon_counts, normalise, split_sentences

if TYPE_CHECKING:
    import scipy.sparse as sp

__all__ = ["FeatureSpace", "feature_names", "read_npz", "write_npz"]

WORD_MAX_FEATURES = 40_000
CHAR_MAX_FEATURES = 40_000
CHAR_BODY_CHARS = 3_000  # char n-grams of the body are taken over its first characters only
SVD_COLUMNS = 5_000
SVD_COMPONENTS = 50
BM25_K1 = 1.2
BM25_B = 0.75
N_LEX = len(LEXICONS) + 1
_LEX_NAMES = [*LEXICONS, "refute_phrase"]


def feature_names(k: int = SVD_COMPONENTS) -> list[str]:
    """Names of the feature columns, in order."""
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
        "sent_max_char",
        "svd_cos",
        "svd_cos_best_sentence",
        "head_len",
        "head_question",
        "body_len",
        "body_sentences",
    ]
    names += [f"head_{n}" for n in _LEX_NAMES]
    names += [f"body_{n}" for n in _LEX_NAMES]
    names += [f"body_rate_{n}" for n in _LEX_NAMES]
    names += [f"best_{n}" for n in _LEX_NAMES]
    names += [f"top3_{n}" for n in _LEX_NAMES]
    names += [f"weighted_{n}" for n in _LEX_NAMES]
    names += ["head_refute_parity", "best_refute_parity"]
    names += [f"svd_head_{i}" for i in range(k)]
    names += [f"svd_body_{i}" for i in range(k)]
    names += [f"svd_best_{i}" for i in range(k)]
    names += [f"svd_prod_{i}" for i in range(k)]
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
        max_features=WORD_MAX_FEATURES,
        vocabulary=vocabulary,
        dtype=np.float32,
    )


def _char_vectorizer(vocabulary: dict[str, int] | None = None) -> Any:
    from sklearn.feature_extraction.text import CountVectorizer

    return CountVectorizer(
        lowercase=True,
        analyzer="char_wb",
        ngram_range=(3, 5),
        min_df=3,
        max_features=CHAR_MAX_FEATURES,
        vocabulary=vocabulary,
        dtype=np.float32,
    )


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


@dataclass
class FeatureSpace:
    """Fitted vocabularies, IDF weights and LSA components."""

    word_vocab: list[str]
    char_vocab: list[str]
    word_idf: np.ndarray
    char_idf: np.ndarray
    bm25_idf: np.ndarray
    avgdl: float
    svd_columns: np.ndarray  # int32 indices into the word vocabulary
    svd_components: np.ndarray  # float32, (len(svd_columns), k)
    bigram_mask: np.ndarray  # float32 1.0 where the word-vocabulary term is a bigram

    def __post_init__(self) -> None:
        self._word_cv = _word_vectorizer({t: i for i, t in enumerate(self.word_vocab)})
        self._char_cv = _char_vectorizer({t: i for i, t in enumerate(self.char_vocab)})

    # -- fitting -----------------------------------------------------------------------------

    @classmethod
    def fit(cls, headlines: Sequence[str], bodies: Sequence[str], seed: int = 0) -> FeatureSpace:
        """Fit vocabularies, IDF and LSA on distinct headlines and bodies (the training part only)."""
        from sklearn.decomposition import TruncatedSVD

        heads = [normalise(h) for h in headlines]
        bods = [normalise(b) for b in bodies]
        docs = heads + bods
        wcv = _word_vectorizer()
        wcounts = wcv.fit_transform(docs).tocsr()
        word_vocab = [t for t, _ in sorted(wcv.vocabulary_.items(), key=lambda kv: kv[1])]
        ccv = _char_vectorizer()
        ccounts = ccv.fit_transform(heads + [b[:CHAR_BODY_CHARS] for b in bods]).tocsr()
        char_vocab = [t for t, _ in sorted(ccv.vocabulary_.items(), key=lambda kv: kv[1])]
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
        # rounded to 1e-6: the randomized SVD's last bits depend on BLAS and memory alignment, and the
        # artefact must be byte-identical from run to run
        components = np.ascontiguousarray(np.round(svd.components_.T, 6).astype(np.float32) + np.float32(0.0))
        bigram_mask = np.array([1.0 if " " in t else 0.0 for t in word_vocab], dtype=np.float32)
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
        )

    # -- storage -----------------------------------------------------------------------------

    def save(self, directory: Path) -> list[Path]:
        vocab = directory / "vocab.json"
        vocab.write_text(
            json.dumps({"word": self.word_vocab, "char": self.char_vocab}, ensure_ascii=False, indent=0)
            + "\n",
            encoding="utf-8",
        )
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
        )

    # -- transform ---------------------------------------------------------------------------

    def _svd(self, tfidf: sp.csr_matrix) -> np.ndarray:
        return np.asarray(tfidf[:, self.svd_columns] @ self.svd_components, dtype=np.float32)

    def transform(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """One float32 row of features per (headline, body) pair."""
        import scipy.sparse as sp

        n = len(pairs)
        k = self.svd_components.shape[1]
        n_features = len(feature_names(k))
        if n == 0:
            return np.zeros((0, n_features), dtype=np.float32)

        head_index: dict[str, int] = {}
        body_index: dict[str, int] = {}
        hi = np.empty(n, dtype=np.int64)
        bj = np.empty(n, dtype=np.int64)
        for p, (head, body) in enumerate(pairs):
            hi[p] = head_index.setdefault(head, len(head_index))
            bj[p] = body_index.setdefault(body, len(body_index))
        heads = [normalise(h) for h in head_index]
        bodies = [normalise(b) for b in body_index]
        nb = len(bodies)

        # headline side
        h_counts = self._word_cv.transform(heads).tocsr()
        h_word = _tfidf(h_counts, self.word_idf)
        h_bin = _binary(h_counts)
        h_bin_bi = sp.csr_matrix(h_bin @ sp.diags(self.bigram_mask), dtype=np.float32)
        h_bin_uni = sp.csr_matrix(h_bin - h_bin_bi, dtype=np.float32)
        h_char = _tfidf(self._char_cv.transform(heads).tocsr(), self.char_idf)
        h_svd = self._svd(h_word)
        h_svd_n = _row_normalise_dense(h_svd)
        h_lex = np.array([lexicon_counts(h) for h in heads], dtype=np.float32).reshape(-1, N_LEX)
        h_nterms = np.asarray(h_bin.sum(axis=1), dtype=np.float32).ravel()
        h_nuni = np.asarray(h_bin_uni.sum(axis=1), dtype=np.float32).ravel()
        h_nbi = np.asarray(h_bin_bi.sum(axis=1), dtype=np.float32).ravel()
        h_len = np.array([math.log1p(len(h.split())) for h in heads], dtype=np.float32)
        h_q = np.array([1.0 if "?" in h else 0.0 for h in heads], dtype=np.float32)

        # body side: full text, lead (first two sentences), sentences
        sentences: list[str] = []
        offsets = np.zeros(nb + 1, dtype=np.int64)
        leads: list[str] = []
        for j, body in enumerate(bodies):
            sents = split_sentences(body)
            sentences.extend(sents)
            offsets[j + 1] = offsets[j] + len(sents)
            leads.append(" ".join(sents[:2]))
        b_counts = self._word_cv.transform(bodies).tocsr()
        b_word = _tfidf(b_counts, self.word_idf)
        b_bin = _binary(b_counts)
        b_char = _tfidf(self._char_cv.transform([b[:CHAR_BODY_CHARS] for b in bodies]).tocsr(), self.char_idf)
        l_counts = self._word_cv.transform(leads).tocsr()
        l_word = _tfidf(l_counts, self.word_idf)
        l_bin = _binary(l_counts)
        l_char = _tfidf(self._char_cv.transform(leads).tocsr(), self.char_idf)
        s_word = _tfidf(self._word_cv.transform(sentences).tocsr(), self.word_idf)
        s_char = _tfidf(self._char_cv.transform(sentences).tocsr(), self.char_idf)
        s_svd = self._svd(s_word)
        s_svd_n = _row_normalise_dense(s_svd)
        s_lex = np.array([lexicon_counts(s) for s in sentences], dtype=np.float32).reshape(-1, N_LEX)
        b_svd = self._svd(b_word)
        b_svd_n = _row_normalise_dense(b_svd)
        b_nterms = np.asarray(b_bin.sum(axis=1), dtype=np.float32).ravel()
        # BM25 weights of each body term
        dl = np.asarray(b_counts.sum(axis=1), dtype=np.float32).ravel()
        bm = b_counts.tocsr(copy=True).astype(np.float32)
        row_len = np.repeat(dl, np.diff(bm.indptr))
        tf = bm.data
        bm.data = (
            self.bm25_idf[bm.indices]
            * tf
            * (BM25_K1 + 1.0)
            / (tf + BM25_K1 * (1.0 - BM25_B + BM25_B * row_len / max(self.avgdl, 1e-6)))
        ).astype(np.float32)
        b_lex = np.zeros((nb, N_LEX), dtype=np.float32)
        n_sent = np.diff(offsets).astype(np.float32)
        for j in range(nb):
            b_lex[j] = s_lex[offsets[j] : offsets[j + 1]].sum(axis=0)
        b_len = np.array([math.log1p(len(b)) for b in bodies], dtype=np.float32)

        # word-side stack per body: [body tfidf, lead tfidf, sentences...]; binary stack: [bin, bm25, lead bin]
        order = np.argsort(bj, kind="stable")
        bounds = np.searchsorted(bj[order], np.arange(nb + 1))
        out = np.zeros((n, n_features), dtype=np.float32)
        c = 0
        # dense per-pair base columns filled inside the loop
        cos_word = np.zeros(n, np.float32)
        cos_char = np.zeros(n, np.float32)
        cos_wl = np.zeros(n, np.float32)
        cos_cl = np.zeros(n, np.float32)
        ov_uni = np.zeros(n, np.float32)
        ov_bi = np.zeros(n, np.float32)
        ov_lead = np.zeros(n, np.float32)
        bm25 = np.zeros(n, np.float32)
        s_max = np.zeros(n, np.float32)
        s_top3 = np.zeros(n, np.float32)
        s_first = np.zeros(n, np.float32)
        s_pos = np.zeros(n, np.float32)
        s_frac = np.zeros(n, np.float32)
        s_cmax = np.zeros(n, np.float32)
        best = np.zeros(n, np.int64)
        top3_lex = np.zeros((n, N_LEX), np.float32)
        w_lex = np.zeros((n, N_LEX), np.float32)
        for j in range(nb):
            rows = order[bounds[j] : bounds[j + 1]]
            if rows.size == 0:
                continue
            h = hi[rows]
            s0, s1 = int(offsets[j]), int(offsets[j + 1])
            hw = h_word[h]
            wsims = (hw @ sp.vstack([b_word[j], l_word[j], s_word[s0:s1]]).T).toarray()
            hc = h_char[h]
            csims = (hc @ sp.vstack([b_char[j], l_char[j], s_char[s0:s1]]).T).toarray()
            binstack = sp.vstack([b_bin[j], bm[j], l_bin[j]]).T
            ou = (h_bin_uni[h] @ binstack).toarray()
            ob = (h_bin_bi[h] @ binstack).toarray()
            cos_word[rows] = wsims[:, 0]
            cos_wl[rows] = wsims[:, 1]
            cos_char[rows] = csims[:, 0]
            cos_cl[rows] = csims[:, 1]
            ov_uni[rows] = ou[:, 0]
            ov_bi[rows] = ob[:, 0]
            ov_lead[rows] = ou[:, 2] + ob[:, 2]
            bm25[rows] = ou[:, 1] + ob[:, 1]
            sims = wsims[:, 2:]
            m = sims.shape[1]
            arg = np.argmax(sims, axis=1)
            best[rows] = s0 + arg
            s_max[rows] = sims.max(axis=1)
            srt = -np.sort(-sims, axis=1)[:, :3]
            s_top3[rows] = srt.mean(axis=1)
            s_first[rows] = sims[:, 0]
            s_pos[rows] = arg / max(m, 1)
            s_frac[rows] = (sims > 0.2).mean(axis=1)
            s_cmax[rows] = csims[:, 2:].max(axis=1)
            lex = s_lex[s0:s1]
            top_idx = np.argsort(-sims, axis=1, kind="stable")[:, :3]
            top3_lex[rows] = lex[top_idx].sum(axis=1)
            w = sims / np.maximum(sims.sum(axis=1, keepdims=True), 1e-6)
            w_lex[rows] = w @ lex

        hs = h_svd_n[hi]
        bs = b_svd_n[bj]
        ss = s_svd_n[best]
        ov_total = ov_uni + ov_bi
        union = h_nterms[hi] + b_nterms[bj] - ov_total
        cols: list[np.ndarray] = [
            cos_word,
            cos_char,
            cos_wl,
            cos_cl,
            ov_uni,
            ov_uni / np.maximum(h_nuni[hi], 1.0),
            ov_bi / np.maximum(h_nbi[hi], 1.0),
            ov_total / np.maximum(union, 1.0),
            ov_lead / np.maximum(h_nterms[hi], 1.0),
            bm25,
            bm25 / np.maximum(h_nterms[hi], 1.0),
            s_max,
            s_top3,
            s_first,
            s_pos,
            s_frac,
            s_cmax,
            (hs * bs).sum(axis=1),
            (hs * ss).sum(axis=1),
            h_len[hi],
            h_q[hi],
            b_len[bj],
            n_sent[bj],
        ]
        base = np.column_stack(cols).astype(np.float32)
        best_lex = s_lex[best]
        parts = [
            base,
            h_lex[hi],
            b_lex[bj],
            b_lex[bj] / n_sent[bj][:, None],
            best_lex,
            top3_lex,
            w_lex,
            np.column_stack([h_lex[hi, 0] % 2, best_lex[:, 0] % 2]),
            h_svd[hi],
            b_svd[bj],
            s_svd[best],
            hs * bs,
        ]
        for part in parts:
            width = part.shape[1]
            out[:, c : c + width] = part
            c += width
        assert c == n_features, (c, n_features)
        return out
