"""Results of pure functions kept in the workspace store between runs, so an incremental run computes only
what is new.

:func:`stored_stance_model` wraps the stance model: a prediction is a function of the (claim text,
statement text) pair and the model alone (features and booster are fixed artefacts, each pair is scored on
its own), so a pair scored in an earlier run is read back instead of scored again, and a run gives the
same stances as a from-scratch run. The cache is keyed by the model's name and the fingerprint of the
installed claimgraph package (code and model artefacts), and holds only the pairs of the latest run.
The model itself is loaded only when a pair is missing from the store.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .claims.stance import StanceModel
    from .store import Store

__all__ = ["StoredStanceModel", "pair_key", "stored_stance_model"]


def pair_key(claim: str, text: str) -> str:
    """SHA-256 of one (claim text, statement text) pair."""
    digest = hashlib.sha256(claim.encode("utf-8"))
    digest.update(b"\0")
    digest.update(text.encode("utf-8"))
    return digest.hexdigest()


class StoredStanceModel:
    """A stance model whose predictions are read from and written to the store, per pair.

    ``model`` may be given as a loader (a callable without arguments): the model is then loaded only when
    a pair is not in the store, so a run whose pairs were all scored before never loads it."""

    def __init__(self, model: StanceModel | Callable[[], StanceModel], store: Store, namespace: str) -> None:
        self._model: StanceModel | None = None
        self._loader: Callable[[], StanceModel] | None = None
        if hasattr(model, "predict"):
            self._model = model
        else:
            self._loader = model
        self.store = store
        self.namespace = namespace
        self.computed = 0
        """Pairs the wrapped model scored (the others came from the store)."""

    @property
    def model(self) -> StanceModel:
        """The wrapped model (loaded now if it was given as a loader)."""
        if self._model is None:
            assert self._loader is not None
            self._model = self._loader()
        return self._model

    @model.setter
    def model(self, value: StanceModel) -> None:
        self._model = value

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def on_load(self, wrap: Callable[[StanceModel], StanceModel]) -> None:
        """Apply ``wrap`` to the model when it is loaded (now, if it already is)."""
        if self._model is not None:
            self._model = wrap(self._model)
            return
        loader = self._loader
        assert loader is not None
        self._loader = lambda: wrap(loader())

    def predict(self, pairs: Sequence[tuple[str, str]]) -> list[tuple[str, float]]:
        keys = [pair_key(claim, text) for claim, text in pairs]
        known = {
            k: (str(v[0]), float(v[1]))
            for k, v in self.store.get_memos(self.namespace, keys).items()
            if isinstance(v, list) and len(v) == 2
        }
        todo: dict[str, tuple[str, str]] = {}
        for key, pair in zip(keys, pairs, strict=True):
            if key not in known:
                todo.setdefault(key, pair)
        if todo:
            fresh = self.model.predict(list(todo.values()))
            if len(fresh) != len(todo):
                from .errors import ModelError

                raise ModelError(f"stance model returned {len(fresh)} predictions for {len(todo)} pairs")
            for key, (label, confidence) in zip(todo, fresh, strict=True):
                known[key] = (str(label), float(confidence))
            self.computed += len(todo)
        used = {key: known[key] for key in keys}
        self.store.replace_memos(self.namespace, {k: [label, conf] for k, (label, conf) in used.items()})
        return [used[key] for key in keys]


def stored_stance_model(name: str, store: Store | None) -> StanceModel | None:
    """The registered stance model ``name``, its predictions kept in ``store`` when it is one of
    claimgraph's own (fixed artefacts inside the package: the package fingerprint versions the cache)."""
    from .claims.stance import load_stance_model
    from .pipeline import _code_fingerprint
    from .registry import registry

    if (
        not name
        or name.lower() == "none"
        or store is None
        or getattr(store, "readonly", False)
        or not name.startswith("claimgraph.")
    ):
        return load_stance_model(name)
    registry.stance_models.get(name)  # an unknown name fails now, as when loading

    def load() -> StanceModel:
        model = load_stance_model(name)
        assert model is not None
        return model

    # loaded on the first pair not in the store (a run with nothing new to score never loads it)
    return StoredStanceModel(load, store, f"stance:{name}:{_code_fingerprint()[:16]}")
