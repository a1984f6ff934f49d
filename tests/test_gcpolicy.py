"""The collector's thresholds are raised during a run and restored after it, also when runs nest."""

from __future__ import annotations

import gc

import pytest

from claimgraph.gcpolicy import RUN_THRESHOLDS, run_gc_policy


@pytest.fixture()
def default_thresholds() -> object:
    saved = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield
    gc.set_threshold(*saved)


@pytest.mark.usefixtures("default_thresholds")
def test_thresholds_raised_inside_and_restored_after_nested_runs() -> None:
    with run_gc_policy():
        assert gc.get_threshold() == RUN_THRESHOLDS
        with run_gc_policy():
            assert gc.get_threshold() == RUN_THRESHOLDS
        assert gc.get_threshold() == RUN_THRESHOLDS  # the outer run still holds it
    assert gc.get_threshold() == (700, 10, 10)


@pytest.mark.usefixtures("default_thresholds")
def test_higher_thresholds_of_the_caller_are_kept_and_restored_after_an_error() -> None:
    gc.set_threshold(50_000, 5, 100)
    with pytest.raises(RuntimeError), run_gc_policy():
        assert gc.get_threshold() == (50_000, RUN_THRESHOLDS[1], 100)
        raise RuntimeError("a failing run")
    assert gc.get_threshold() == (50_000, 5, 100)


@pytest.mark.usefixtures("default_thresholds")
def test_analyze_runs_under_the_policy(tmp_path: object, monkeypatch: pytest.MonkeyPatch) -> None:
    from pathlib import Path

    from claimgraph import analyze
    from claimgraph.options import Options

    seen: list[tuple[int, ...]] = []
    import claimgraph.pipeline as pipeline

    original = pipeline._ingest

    def spy(*args: object, **kwargs: object) -> object:
        seen.append(gc.get_threshold())
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "_ingest", spy)
    root = Path(str(tmp_path))
    (root / "in").mkdir()
    (root / "in" / "a.txt").write_text("Short note without any statement.\n", encoding="utf-8")
    analyze([str(root / "in")], root / "out", options=Options(progress=False, formats=()), stages=())
    assert seen == [RUN_THRESHOLDS]
    assert gc.get_threshold() == (700, 10, 10)


@pytest.fixture()
def collector_on() -> object:
    was = gc.isenabled()
    gc.enable()
    yield
    if was:
        gc.enable()
    else:
        gc.disable()


@pytest.mark.usefixtures("collector_on")
def test_collector_paused_inside_nested_blocks_and_on_again_after_an_error() -> None:
    from claimgraph.gcpolicy import collector_paused

    with pytest.raises(RuntimeError), collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer block still holds it
        raise RuntimeError("a failing stage")
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_on")
def test_a_collector_the_caller_turned_off_stays_off() -> None:
    from claimgraph.gcpolicy import collector_paused

    gc.disable()
    with collector_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()


@pytest.mark.usefixtures("collector_on")
def test_the_claims_stage_runs_with_the_collector_paused(monkeypatch: pytest.MonkeyPatch) -> None:
    from claimgraph.claims import stage
    from claimgraph.model import Corpus
    from claimgraph.options import Options
    from claimgraph.stages import RunContext

    seen: list[bool] = []

    def spy(corpus: Corpus, options: Options, **kwargs: object) -> list[object]:
        seen.append(gc.isenabled())
        return []

    monkeypatch.setattr(stage, "build_claims", spy)
    stage.claims_stage(Corpus(), RunContext(options=Options(progress=False), cache=None))
    assert seen == [False]
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_on")
def test_the_analysis_is_saved_with_the_collector_paused_and_its_survivors_frozen(
    tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pathlib import Path

    from claimgraph import analyze
    from claimgraph.options import Options
    from claimgraph.store import Store

    seen: list[tuple[bool, int]] = []
    original = Store.save_analysis
    kept: list[object] = []

    def spy(self: Store, *args: object, **kwargs: object) -> object:
        seen.append((gc.isenabled(), gc.get_freeze_count()))
        kept.append([object()])  # a container that survives the save
        return original(self, *args, **kwargs)  # type: ignore[arg-type]

    frozen_after: list[tuple[bool, bool]] = []
    original_drop = Store.drop_stale_memos

    def drop(self: Store, *args: object, **kwargs: object) -> int:
        # the step after the save: the collector on again, the save's survivors frozen (never walked again)
        frozen_after.append((gc.isenabled(), gc.get_freeze_count() > seen[0][1]))
        return original_drop(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Store, "save_analysis", spy)
    monkeypatch.setattr(Store, "drop_stale_memos", drop)
    root = Path(str(tmp_path))
    (root / "in").mkdir()
    (root / "in" / "a.txt").write_text("Short note without any statement.\n", encoding="utf-8")
    analyze([str(root / "in")], root / "out", options=Options(progress=False, formats=()), stages=())
    assert [enabled for enabled, _ in seen] == [False]
    assert frozen_after == [(True, True)]
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0  # unfrozen when the run ends
