"""Models an incremental run may not need are loaded only on a memo miss: the stance model when a pair is
not in the store, the MiniLM encoder when a text has no stored vector."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from claimgraph.errors import ConfigError
from claimgraph.memo import StoredStanceModel, stored_stance_model
from claimgraph.store import Store


class _Model:
    def predict(self, pairs: Sequence[tuple[str, str]]) -> list[tuple[str, float]]:
        return [("supports", len(text) / 100) for _, text in pairs]


def test_the_stance_model_is_loaded_only_for_pairs_not_in_the_store(tmp_path: Path) -> None:
    pairs = [("Harbour fees rose", "Officials said harbour fees rose."), ("Harbour fees rose", "Fees rose.")]
    loads: list[int] = []

    def loader() -> _Model:
        loads.append(1)
        return _Model()

    with Store.open(tmp_path / "cg.db") as store:
        first = StoredStanceModel(loader, store, "stance:test")
        assert not first.loaded
        scored = first.predict(pairs)
        assert loads == [1] and first.loaded and first.computed == 2
        again = StoredStanceModel(loader, store, "stance:test")
        assert again.predict(list(reversed(pairs))) == list(reversed(scored))
        assert loads == [1] and not again.loaded and again.computed == 0
        wrapped: list[object] = []
        again.on_load(lambda m: wrapped.append(m) or m)
        again.predict([("Harbour fees rose", "A new statement.")])
        assert loads == [1, 1] and len(wrapped) == 1 and again.computed == 1


def test_the_shipped_stance_model_is_not_loaded_before_a_miss(tmp_path: Path) -> None:
    from claimgraph.options import Options
    from claimgraph.parallel import predict_in_workers

    with Store.open(tmp_path / "cg.db") as store:
        model = stored_stance_model(Options().stance_model, store)
        assert isinstance(model, StoredStanceModel) and not model.loaded
        assert predict_in_workers(model, 2) is model and not model.loaded
        with pytest.raises(ConfigError):
            stored_stance_model("claimgraph.no_such_model.v9", store)


def test_the_minilm_encoder_is_not_loaded_to_make_the_matcher(monkeypatch: pytest.MonkeyPatch) -> None:
    from claimgraph.claims import embeddings, encoder

    def refuse() -> None:
        raise AssertionError("the encoder must load only on a vector-memo miss")

    monkeypatch.setattr(encoder, "_ENCODER", None)
    monkeypatch.setattr(encoder, "load_onnx_encoder", refuse)
    matcher = embeddings.make_minilm_matcher()
    assert isinstance(matcher, embeddings.EmbeddingMatcher)
    with pytest.raises(AssertionError, match="vector-memo miss"):
        matcher.encode(["a text"], 8)


def test_analyze_leaves_the_garbage_collector_as_it_found_it(
    tmp_path: Path, copy_sample_corpus: Callable[[Path], list[Path]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The run freezes what exists after each stage (``gcpolicy.RunFreezer``) and unfreezes at the end; a
    caller's own ``gc.freeze`` is left alone."""
    import gc

    from claimgraph import analyze
    from claimgraph.options import Options

    options = Options(n_process=1, progress=False, formats=("json",))
    freezes: list[int] = []
    real_freeze = gc.freeze

    def counting_freeze() -> None:
        freezes.append(1)
        real_freeze()

    monkeypatch.setattr(gc, "freeze", counting_freeze)
    files = copy_sample_corpus(tmp_path / "in")
    assert gc.get_freeze_count() == 0
    analyze(files, tmp_path / "a", options=options)
    assert gc.get_freeze_count() == 0 and len(freezes) >= 4  # after dedup, each stage, the outputs
    freezes.clear()
    real_freeze()
    try:
        analyze(files, tmp_path / "b", options=options)
        assert freezes == [] and gc.get_freeze_count() > 0  # not unfrozen by the run
    finally:
        gc.unfreeze()
