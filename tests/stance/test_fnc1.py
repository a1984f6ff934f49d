"""FNC-1: the scorer, the split by headline, the held-out figures and the reproducible training.

The tests marked ``fnc1`` read ../shared/data/fnc1 (or $CLAIMGRAPH_FNC1_DIR).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from claimgraph.stance.fnc1 import Example, load_fnc1, score, split_by_headline
from claimgraph.stance.model import ARTEFACT_FILES, DEFAULT_MODEL_DIR, load_model


def test_score_matches_the_challenge_definition() -> None:
    gold = ["supports", "disputes", "discusses", "unrelated", "unrelated"]
    assert score(gold, gold).relative == pytest.approx(100.0)
    # best possible: 3 related x 1.0 + 2 unrelated x 0.25 = 3.5
    # predicted all unrelated: 2 x 0.25 = 0.5
    assert score(gold, ["unrelated"] * 5).relative == pytest.approx(100 * 0.5 / 3.5)
    # related but wrong label: 0.25 each; one correct supports 1.0; unrelated right 0.5
    pred = ["supports", "supports", "supports", "unrelated", "unrelated"]
    s = score(gold, pred)
    assert s.relative == pytest.approx(100 * (1.0 + 0.25 + 0.25 + 0.5) / 3.5)
    assert s.confusion[1] == [1, 0, 0, 0]
    assert s.f1["supports"] == pytest.approx(0.5)
    assert s.f1["unrelated"] == pytest.approx(1.0)
    assert s.macro_f1 == pytest.approx((0.5 + 0 + 0 + 1.0) / 4)


def test_split_keeps_headlines_apart() -> None:
    examples = [Example(f"Veloria headline {i % 50}", str(i), "body", "unrelated") for i in range(500)]
    kept, held = split_by_headline(examples)
    assert {e.headline for e in kept}.isdisjoint({e.headline for e in held})
    assert 0.05 < len(held) / len(examples) < 0.4
    assert split_by_headline(examples) == (kept, held)


@pytest.mark.fnc1
def test_held_out_beats_the_challenge_winner() -> None:
    examples = load_fnc1()
    assert len(examples) == 49972
    kept, held = split_by_headline(examples)
    assert {e.headline for e in kept}.isdisjoint({e.headline for e in held})
    model = load_model()
    assert model.meta["training"]["pairs"] == len(kept)  # the shipped model never saw the held-out part
    pred = [s for s, _ in model.predict([(e.headline, e.body) for e in held])]
    result = score([e.stance for e in held], pred)
    assert result.relative > 82.02
    assert result.macro_f1 > 0.65
    assert result.relative == pytest.approx(model.meta["held_out"]["relative_score"], abs=0.01)


@pytest.mark.fnc1
@pytest.mark.slow
def test_training_reproduces_the_shipped_artefact(tmp_path: Path) -> None:
    from claimgraph.stance.train import train

    train(out_dir=tmp_path, evaluate=True)
    for name in ARTEFACT_FILES:
        assert (tmp_path / name).read_bytes() == (DEFAULT_MODEL_DIR / name).read_bytes(), name
