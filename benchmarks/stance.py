"""Stance model benchmark: speed on 25,000 pairs over ~900 distinct bodies, and held-out FNC-1 figures.

    python benchmarks/stance.py            # speed: model load + 25,000 pairs, pairs/s
    python benchmarks/stance.py --eval     # also the held-out (20% of headlines) FNC-1 score of the shipped model

Reads FNC-1 from $CLAIMGRAPH_FNC1_DIR or <repo root>/../shared/data/fnc1.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time


def speed_pairs(n_pairs: int = 25_000, n_bodies: int = 900) -> list[tuple[str, str]]:
    """The FNC-1 pairs of ``n_bodies`` bodies (chosen by a fixed hash), cycled up to ``n_pairs`` pairs."""
    from claimgraph.stance.fnc1 import load_fnc1

    examples = load_fnc1()
    body_ids = sorted({e.body_id for e in examples}, key=lambda b: hashlib.sha256(b.encode()).hexdigest())
    chosen = set(body_ids[:n_bodies])
    pool = [(e.headline, e.body) for e in examples if e.body_id in chosen]
    return [pool[i % len(pool)] for i in range(n_pairs)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pairs", type=int, default=25_000)
    parser.add_argument("--bodies", type=int, default=900)
    parser.add_argument(
        "--eval", action="store_true", help="also score the shipped model on the held-out headlines"
    )
    args = parser.parse_args(argv)

    pairs = speed_pairs(args.pairs, args.bodies)
    n_bodies = len({b for _, b in pairs})
    t0 = time.perf_counter()
    from claimgraph.stance import load_model

    model = load_model()
    t_load = time.perf_counter() - t0
    result = model.predict(pairs)
    total = time.perf_counter() - t0
    counts: dict[str, int] = {}
    for stance, _ in result:
        counts[stance] = counts.get(stance, 0) + 1
    print(f"pairs: {len(pairs)}  distinct bodies: {n_bodies}  distinct claims: {len({h for h, _ in pairs})}")
    print(
        f"model load: {t_load:.2f}s  total (load + classify): {total:.2f}s  pairs/s: {len(pairs) / total:.0f}"
    )
    print("predicted: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))

    if args.eval:
        from claimgraph.stance.fnc1 import load_fnc1, score, split_by_headline

        _, held = split_by_headline(load_fnc1())
        t1 = time.perf_counter()
        pred = [s for s, _ in model.predict([(e.headline, e.body) for e in held])]
        res = score([e.stance for e in held], pred)
        print(
            f"\nheld-out: {len(held)} pairs, {len({e.headline for e in held})} headlines ({time.perf_counter() - t1:.1f}s)"
        )
        print(res.table())
    return 0


if __name__ == "__main__":
    sys.exit(main())
