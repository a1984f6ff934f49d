"""Train the stance model on FNC-1 and write the artefact: ``python -m claimgraph.stance.train``.

Deterministic: the split is a salted hash of the headline, the LSA has a fixed seed, BLAS runs on one
thread while features are fitted, LightGBM runs with ``deterministic=True, force_row_wise=True`` and
fixed seeds, the ``.npz`` is written with fixed zip timestamps and JSON with sorted keys. Two runs give
byte-identical files.

The model is fitted on the 80% of headlines kept for training only; the other 20% (split by
headline, no headline on both sides) is the held-out set whose figures go into ``meta.json``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .features import FeatureSpace, feature_names
from .fnc1 import (
    HELD_OUT_FRACTION,
    LABELS,
    _bucket,
    default_data_dir,
    load_fnc1,
    score,
    split_by_body,
    split_by_headline,
)
from .model import ARTEFACT_FILES, DEFAULT_MODEL_DIR, StanceModel

__all__ = ["LGB_PARAMS", "NUM_ROUNDS", "main", "train"]

#: Rounds chosen on an inner validation split of the training part (``--tune``: early stopping at 169).
NUM_ROUNDS = 200
CLASS_WEIGHT_POWER = 0.5
SEED = 1
LGB_PARAMS: dict[str, Any] = {
    "objective": "multiclass",
    "num_class": len(LABELS),
    "learning_rate": 0.05,
    "num_leaves": 31,
    "min_data_in_leaf": 20,
    "feature_fraction": 0.5,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "deterministic": True,
    "force_row_wise": True,
    "num_threads": 2,
    "seed": SEED,
    "bagging_seed": SEED,
    "feature_fraction_seed": SEED,
    "data_random_seed": SEED,
    "verbose": -1,
}


def _class_weights(y: np.ndarray) -> np.ndarray:
    counts = np.bincount(y, minlength=len(LABELS)).astype(np.float64)
    counts[counts == 0] = 1.0
    return np.asarray((counts.max() / counts) ** CLASS_WEIGHT_POWER)


def _fit_booster(
    x: np.ndarray, y: np.ndarray, rounds: int, valid: tuple[np.ndarray, np.ndarray] | None = None
) -> Any:
    import lightgbm as lgb

    cw = _class_weights(y)
    names = feature_names()
    dtrain = lgb.Dataset(x, y, weight=cw[y], feature_name=names, free_raw_data=True)
    if valid is None:
        return lgb.train(LGB_PARAMS, dtrain, num_boost_round=rounds)
    xv, yv = valid
    dvalid = lgb.Dataset(xv, yv, weight=cw[yv], reference=dtrain)
    return lgb.train(
        LGB_PARAMS,
        dtrain,
        num_boost_round=rounds,
        valid_sets=[dvalid],
        callbacks=[lgb.early_stopping(100, verbose=False)],
    )


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def train(
    data_dir: Path | None = None,
    out_dir: Path = DEFAULT_MODEL_DIR,
    *,
    evaluate: bool = True,
    limit_headlines: int | None = None,
    split: str = "headline",
    log: Any = None,
) -> dict[str, Any]:
    """Fit features and booster on the training part, write the artefact into ``out_dir``, return meta.

    ``limit_headlines`` keeps only the pairs of the first N distinct headlines (sorted), for quick checks.
    ``split="body"`` holds out 20% of *bodies* instead (an extra, harder check; not the shipped model).
    """
    from threadpoolctl import threadpool_limits

    def say(msg: str) -> None:
        if log is not None:
            print(msg, file=log, flush=True)

    t0 = time.perf_counter()
    data_dir = data_dir or default_data_dir()
    examples = load_fnc1(data_dir)
    if limit_headlines is not None:
        keep = set(sorted({e.headline for e in examples})[:limit_headlines])
        examples = [e for e in examples if e.headline in keep]
    if split not in ("headline", "body"):
        raise ValueError(f"split must be 'headline' or 'body', not {split!r}")
    kept, held = split_by_headline(examples) if split == "headline" else split_by_body(examples)
    say(f"pairs: {len(examples)}  training part: {len(kept)}  held-out: {len(held)}")
    out_dir.mkdir(parents=True, exist_ok=True)
    with threadpool_limits(1):
        space = FeatureSpace.fit(sorted({e.headline for e in kept}), sorted({e.body for e in kept}))
        x = space.transform([(e.headline, e.body) for e in kept])
    y = np.array([LABELS.index(e.stance) for e in kept], dtype=np.int64)
    say(f"features: {x.shape[1]} columns, {time.perf_counter() - t0:.1f}s")
    booster = _fit_booster(x, y, NUM_ROUNDS)
    say(f"booster: {NUM_ROUNDS} rounds, {time.perf_counter() - t0:.1f}s")
    for stale in ARTEFACT_FILES:
        (out_dir / stale).unlink(missing_ok=True)
    files = space.save(out_dir)
    model_path = out_dir / "lightgbm.txt"
    model_path.write_text(booster.model_to_string(), encoding="utf-8")
    files.append(model_path)
    meta: dict[str, Any] = {
        "name": "claimgraph.fnc1_lightgbm.v1",
        "labels": list(LABELS),
        "label_map": {
            "agree": "supports",
            "disagree": "disputes",
            "discuss": "discusses",
            "unrelated": "unrelated",
        },
        "training": {
            "data": {name: _sha256(data_dir / name) for name in ("train_bodies.csv", "train_stances.csv")},
            "split": f"by {split}, salted SHA-256, {HELD_OUT_FRACTION:.0%} of {split}s held out",
            "limit_headlines": limit_headlines,
            "pairs": len(kept),
            "headlines": len({e.headline for e in kept}),
            "class_counts": {lab: int((y == i).sum()) for i, lab in enumerate(LABELS)},
            "class_weights": {
                lab: round(float(w), 6) for lab, w in zip(LABELS, _class_weights(y), strict=True)
            },
            "rounds": NUM_ROUNDS,
            "lightgbm_params": LGB_PARAMS,
        },
        "features": feature_names(),
        "sha256": {p.name: _sha256(p) for p in sorted(files)},
    }
    meta_path = out_dir / "meta.json"
    meta_path.write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    if evaluate and held:
        model = StanceModel.from_dir(out_dir)
        with threadpool_limits(1):
            pred = [lab for lab, _ in model.predict([(e.headline, e.body) for e in held])]
        result = score([e.stance for e in held], pred)
        meta["held_out"] = {
            "pairs": len(held),
            "headlines": len({e.headline for e in held}),
            **result.to_dict(),
        }
        say(result.table())
        meta_path.write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    say(f"wrote {out_dir} in {time.perf_counter() - t0:.1f}s")
    return meta


def tune(data_dir: Path | None = None, log: Any = sys.stdout) -> int:
    """Early stopping on an inner 15% headline split of the training part; prints the best round count."""
    from threadpoolctl import threadpool_limits

    kept, _ = split_by_headline(load_fnc1(data_dir or default_data_dir()))
    inner = np.array([_bucket(e.headline, "inner") < 0.15 for e in kept])
    with threadpool_limits(1):
        space = FeatureSpace.fit(sorted({e.headline for e in kept}), sorted({e.body for e in kept}))
        x = space.transform([(e.headline, e.body) for e in kept])
    y = np.array([LABELS.index(e.stance) for e in kept], dtype=np.int64)
    booster = _fit_booster(x[~inner], y[~inner], 2000, valid=(x[inner], y[inner]))
    best = int(booster.best_iteration)
    pred = booster.predict(x[inner], num_iteration=best).argmax(axis=1)
    print(f"best round: {best}", file=log)
    print(score([LABELS[i] for i in y[inner]], [LABELS[int(i)] for i in pred]).table(), file=log)
    return best


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Train claimgraph's FNC-1 stance model (deterministic).")
    parser.add_argument(
        "--data",
        type=Path,
        default=None,
        help="FNC-1 folder (default $CLAIMGRAPH_FNC1_DIR or ../shared/data/fnc1)",
    )
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_MODEL_DIR, help="artefact folder (default: the package's)"
    )
    parser.add_argument("--no-eval", action="store_true", help="skip the held-out evaluation")
    parser.add_argument(
        "--limit-headlines", type=int, default=None, help="train on the first N headlines only"
    )
    parser.add_argument(
        "--split",
        choices=("headline", "body"),
        default="headline",
        help="hold out 20%% of headlines (default, the shipped model) or of bodies (a harder check)",
    )
    parser.add_argument(
        "--tune", action="store_true", help="only report the early-stopping round on an inner split"
    )
    args = parser.parse_args(argv)
    if args.tune:
        tune(args.data)
        return 0
    train(
        args.data,
        args.out,
        evaluate=not args.no_eval,
        limit_headlines=args.limit_headlines,
        split=args.split,
        log=sys.stdout,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
