"""Stance model benchmark: speed on 25,000 pairs, and the shipped model's figures on unseen bodies.

    python benchmarks/stance.py            # speed: model load + 25,000 pairs (pairs/s), FNC-1 bodies and sentences
    python benchmarks/stance.py --eval     # also FNC-1 relative score, macro-F1 and per-class F1 on the held-out
                                           # claims (bodies and headlines never seen in training)
    python benchmarks/stance.py --eval --model /tmp/stance-body   # a model trained with --split body

Speed is measured twice: (1) FNC-1 pairs over ~900 distinct bodies (the FNC-1 shape), (2) the claims-stage
shape: every pair a distinct single sentence of a body against its headline. Times are wall and CPU.
Reads FNC-1 from $CLAIMGRAPH_FNC1_DIR or <repo root>/../shared/data/fnc1.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path


def speed_pairs(n_pairs: int = 25_000, n_bodies: int = 900) -> list[tuple[str, str]]:
    """The FNC-1 pairs of ``n_bodies`` bodies (chosen by a fixed hash), cycled up to ``n_pairs`` pairs."""
    from claimgraph.stance.fnc1 import load_fnc1

    examples = load_fnc1()
    body_ids = sorted({e.body_id for e in examples}, key=lambda b: hashlib.sha256(b.encode()).hexdigest())
    chosen = set(body_ids[:n_bodies])
    pool = [(e.headline, e.body) for e in examples if e.body_id in chosen]
    return [pool[i % len(pool)] for i in range(n_pairs)]


def sentence_pairs(n_pairs: int = 25_000) -> list[tuple[str, str]]:
    """Claims-stage shape: (headline, one sentence of a related body), every sentence distinct."""
    from claimgraph.stance.fnc1 import load_fnc1
    from claimgraph.stance.text import normalise, split_sentences

    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for e in load_fnc1():
        if e.stance == "unrelated":
            continue
        for sent in split_sentences(normalise(e.body)):
            if sent not in seen:
                seen.add(sent)
                out.append((e.headline, sent))
                if len(out) >= n_pairs:
                    return out
    return out


def _timed(model: object, pairs: list[tuple[str, str]]) -> tuple[list[tuple[str, float]], float, float]:
    t0, c0 = time.perf_counter(), time.process_time()
    result = model.predict(pairs)  # type: ignore[attr-defined]
    return result, time.perf_counter() - t0, time.process_time() - c0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pairs", type=int, default=25_000)
    parser.add_argument("--bodies", type=int, default=900)
    parser.add_argument(
        "--model", type=Path, default=None, help="artefact folder (default: the shipped model)"
    )
    parser.add_argument(
        "--eval", action="store_true", help="also score the model on the held-out part of its own split"
    )
    args = parser.parse_args(argv)

    pairs = speed_pairs(args.pairs, args.bodies)
    sentences = sentence_pairs(args.pairs)
    t0, c0 = time.perf_counter(), time.process_time()
    from claimgraph.stance import load_model

    model = load_model(args.model)
    t_load, c_load = time.perf_counter() - t0, time.process_time() - c0
    result, wall, cpu = _timed(model, pairs)
    counts: dict[str, int] = {}
    for stance, _ in result:
        counts[stance] = counts.get(stance, 0) + 1
    print(f"model load: {t_load:.2f}s wall, {c_load:.2f}s CPU")
    print(
        f"FNC-1 pairs: {len(pairs)}  distinct bodies: {len({b for _, b in pairs})}  "
        f"distinct claims: {len({h for h, _ in pairs})}"
    )
    print(
        f"  load + classify: {t_load + wall:.2f}s wall ({c_load + cpu:.2f}s CPU)  "
        f"pairs/s: {len(pairs) / (t_load + wall):.0f}"
    )
    print("  predicted: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    _, wall_s, cpu_s = _timed(model, sentences)
    print(f"sentence pairs (every text distinct): {len(sentences)}")
    print(f"  classify: {wall_s:.2f}s wall ({cpu_s:.2f}s CPU)  pairs/s: {len(sentences) / wall_s:.0f}")

    if args.eval:
        from claimgraph.stance.fnc1 import load_fnc1, score, split_examples

        split = str(model.meta["training"].get("split_name", "headline"))
        kept, held = split_examples(load_fnc1(), split)
        seen_bodies = {e.body_id for e in kept}
        seen_heads = {e.headline for e in kept}
        t1 = time.perf_counter()
        pred = [s for s, _ in model.predict([(e.headline, e.body) for e in held])]
        res = score([e.stance for e in held], pred)
        print(
            f"\nheld-out (split by {split}): {len(held)} pairs, {len({e.body_id for e in held})} bodies "
            f"({sum(e.body_id in seen_bodies for e in held)} pairs with a body seen in training), "
            f"{len({e.headline for e in held})} headlines "
            f"({sum(e.headline in seen_heads for e in held)} pairs with a headline seen in training); "
            f"{time.perf_counter() - t1:.1f}s"
        )
        print(res.table())
    return 0


if __name__ == "__main__":
    sys.exit(main())
