"""The stance classifier: features (:mod:`.features`) + a LightGBM multiclass booster in text form.

Artefact files (``src/claimgraph/stance/model/``), none of them executable or pickled:

- ``lightgbm.txt``: ``Booster.model_to_string()``
- ``vocab.json``: word and character n-gram vocabularies
- ``features.npz``: IDF weights, BM25 IDF, LSA components (read with ``allow_pickle=False``)
- ``meta.json``: labels, feature names, training set-up, held-out figures, SHA-256 of the files
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import Errors, ModelError
from .features import FeatureSpace
from .fnc1 import LABELS
from .text import denial_sentences, explicit_denial

__all__ = ["ARTEFACT_FILES", "DEFAULT_MODEL_DIR", "StanceModel", "load_model"]

DEFAULT_MODEL_DIR = Path(__file__).resolve().parent / "model"
ARTEFACT_FILES: tuple[str, ...] = ("features.npz", "lightgbm.txt", "meta.json", "vocab.json")
#: Pairs featurised at once. Bounds memory (the batch's sparse word and character matrices): on 50,000 claims-stage
#: pairs (headline, sentence; every text distinct) 20,000 at once peak at +400 MB, 50,000 at +860 MB. The
#: predictions do not depend on it (each pair is scored on its own; see claimgraph.parallel.predict_in_workers).
BATCH = 20_000
#: Weight of the explicit-denial override (:func:`~claimgraph.stance.text.explicit_denial`): the probabilities of a
#: short text that explicitly denies the claim become ``(1 - w) * p + w * disputes``, so ``disputes`` wins whatever
#: the booster said. FNC-1 labels a long article that reports a denial ``discuss``; the rule reads only texts of at
#: most three sentences (statements), where the denial is the text's own stance (docs/stance.md).
DENIAL_OVERRIDE = 0.75


class StanceModel:
    """Classifies (claim, text) pairs as supports | disputes | discusses | unrelated."""

    labels: tuple[str, ...] = LABELS

    def __init__(self, features: FeatureSpace, booster: Any, meta: dict[str, Any]) -> None:
        self.features = features
        self.booster = booster
        self.meta = meta

    @classmethod
    def from_dir(cls, directory: Path) -> StanceModel:
        import lightgbm as lgb

        missing = [name for name in ARTEFACT_FILES if not (directory / name).is_file()]
        if missing:
            raise ModelError(Errors.E103.format(path=directory / missing[0]))
        try:
            meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
            for name, digest in meta.get("sha256", {}).items():
                actual = hashlib.sha256((directory / name).read_bytes()).hexdigest()
                if actual != digest:
                    raise ModelError(
                        f"[E103] stance model artefact {directory / name} does not match its SHA-256 in meta.json; "
                        "rebuild it with `python benchmarks/train_stance.py`"
                    )
            features = FeatureSpace.load(directory)
            booster = lgb.Booster(model_str=(directory / "lightgbm.txt").read_text(encoding="utf-8"))
        except ModelError:
            raise
        except (OSError, ValueError, KeyError, lgb.basic.LightGBMError) as exc:
            raise ModelError(f"[E103] cannot load stance model from {directory}: {exc}") from exc
        if tuple(meta.get("labels", ())) != LABELS:
            raise ModelError(
                f"[E103] stance model {directory} has labels {meta.get('labels')}, expected {LABELS}"
            )
        return cls(features, booster, meta)

    def predict_proba(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """An (n, 4) float64 array of class probabilities, columns in :attr:`labels` order."""
        pairs = [(str(claim), str(text)) for claim, text in pairs]
        if not pairs:
            return np.zeros((0, len(LABELS)), dtype=np.float64)
        chunks = []
        for start in range(0, len(pairs), BATCH):
            x = self.features.transform(pairs[start : start + BATCH])
            # one OpenMP thread: a thread team left behind by predict() deadlocks a process forked later
            # (spaCy's --jobs workers, a fuzz worker) inside libgomp; small batches gain nothing from it
            chunk = self.booster.predict(x, num_threads=1)
            chunks.append(np.asarray(chunk, dtype=np.float64).reshape(-1, len(LABELS)))
        proba = np.vstack(chunks)
        return self._denial_override(pairs, proba)

    @staticmethod
    def _denial_override(pairs: Sequence[tuple[str, str]], proba: np.ndarray) -> np.ndarray:
        """Move :data:`DENIAL_OVERRIDE` of the mass to ``disputes`` for short texts that explicitly deny the claim."""
        texts: dict[str, list[list[str]] | None] = {}
        rows = []
        for r, (claim, text) in enumerate(pairs):
            if text not in texts:
                texts[text] = denial_sentences(text)
            if texts[text] is not None and explicit_denial(claim, texts[text]):
                rows.append(r)
        if rows:
            target = np.zeros(len(LABELS), dtype=np.float64)
            target[LABELS.index("disputes")] = 1.0
            proba[rows] = (1.0 - DENIAL_OVERRIDE) * proba[rows] + DENIAL_OVERRIDE * target
        return proba

    def predict(self, pairs: Sequence[tuple[str, str]]) -> list[tuple[str, float]]:
        """(stance, confidence) per (claim, text) pair; confidence is the winning class's probability."""
        proba = self.predict_proba(pairs)
        best = proba.argmax(axis=1)
        return [(LABELS[int(i)], float(proba[r, i])) for r, i in enumerate(best)]


_CACHE: dict[Path, StanceModel] = {}
_LOCK = threading.Lock()


def load_model(path: Path | str | None = None) -> StanceModel:
    """Load the stance model from ``path`` (default: the shipped artefact), once per process and path."""
    directory = Path(path).resolve() if path is not None else DEFAULT_MODEL_DIR
    with _LOCK:
        model = _CACHE.get(directory)
        if model is None:
            model = StanceModel.from_dir(directory)
            _CACHE[directory] = model
        return model
