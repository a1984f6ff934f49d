"""CPU of the provenance stage and of the store's save alone, on a stored workspace (issue 12 §4).

Loads the analysed corpus from a workspace store (for example ``DIR/n1000/out/claimgraph.db`` that
``benchmarks/end_to_end.py --incremental-only --workspace DIR`` leaves), then times with
``time.process_time``, in this order: ``run_provenance`` on it (``--rounds`` times, the least printed; each
round starts from the loaded claims), and ``Store.save_analysis`` of the result (the rows it writes are
printed: after a rerun of provenance on an unchanged analysis, nothing but ``unchanged``). Prints a digest of
everything provenance assigns (claims, relations, network, timeline, sourcing profiles): two code versions
agree when their digests do. Work on a copy of the store: the save writes to it.

    cp DIR/n1000/out/claimgraph.db /tmp/prov.db
    python benchmarks/provenance_rerun.py /tmp/prov.db [--rounds N] [--profile FILE] [--parts]
    PYTHONPATH=/tmp/old/src python benchmarks/provenance_rerun.py /tmp/prov.db   # another version, interleaved

``--memo-from PRISTINE`` (a copy of the store *before* the increment, written to) times the stage as an
incremental run does: provenance is run once on PRISTINE with its memos kept there (not timed), and before each
timed round the target's provenance memos are replaced by PRISTINE's; the stage then reads and writes the
target's memo table (``--store`` alone: the target's own memos, as they are). ``--gc-as-run --paused``: the
collector as a run has it during the stage (run thresholds, the loaded corpus frozen, paused for the stage).
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import time
from typing import Any


def provenance_digest(corpus: Any) -> str:
    """SHA-256 (16 hex digits) of what the provenance stage assigns."""
    payload = {
        "claims": [c.to_dict() for c in corpus.claims],
        "relations": [r.to_dict() for r in corpus.relations],
        "entities": [[e.id, e.degree, e.betweenness, e.community] for e in corpus.entities],
        "network": corpus.network,
        "timeline": corpus.timeline,
        "sourcing": corpus.sourcing,
    }
    text = json.dumps(payload, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _copy_memos(source: str, target: str) -> None:
    """Make ``target``'s provenance memos those of ``source`` (two SQLite files)."""
    import sqlite3

    with sqlite3.connect(target) as conn:
        conn.execute("ATTACH DATABASE ? AS pristine", (source,))
        conn.execute("DELETE FROM memo WHERE namespace LIKE 'provenance-%'")
        conn.execute("INSERT INTO memo SELECT * FROM pristine.memo WHERE namespace LIKE 'provenance-%'")
        conn.commit()
        conn.execute("DETACH DATABASE pristine")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("db", help="a copy of a workspace store with an analysis")
    parser.add_argument("--rounds", type=int, default=1, help="time the stage N times (default 1)")
    parser.add_argument("--profile", metavar="FILE", help="a CPU cProfile of one round saved to FILE")
    parser.add_argument(
        "--parts", action="store_true", help="also print each part's CPU (least over the rounds)"
    )
    parser.add_argument(
        "--memo-from",
        metavar="PRISTINE",
        help="a copy of the store before the increment: its provenance memos are the target's before each round",
    )
    parser.add_argument(
        "--gc-as-run",
        action="store_true",
        help="the collector as in a run: thresholds of gcpolicy.run_gc_policy, the loaded corpus frozen",
    )
    parser.add_argument(
        "--paused",
        action="store_true",
        help="the stage with the cyclic collector paused, as a run's stages are (with --gc-as-run: as in a run)",
    )
    parser.add_argument("--store", action="store_true", help="run the stage with the target store's memos")
    args = parser.parse_args()

    from claimgraph.options import Options
    from claimgraph.provenance import run_provenance
    from claimgraph.store import Store

    if args.memo_from:
        pristine = Store.open(args.memo_from)
        run_provenance(pristine.load_corpus(), Options(progress=False), store=pristine)
        pristine.close()
    store = Store.open(args.db)
    start = time.process_time()
    loaded = store.load_corpus()
    load = time.process_time() - start
    if args.gc_as_run:
        import gc

        from claimgraph.gcpolicy import RUN_THRESHOLDS

        gc.set_threshold(*RUN_THRESHOLDS)
        gc.collect()
        gc.freeze()  # as RunFreezer after each stage of a run
    options = Options(progress=False)
    best = float("inf")
    parts: dict[str, float] = {}
    counts: dict[str, int] = {}
    corpus = loaded
    for round_ in range(max(1, args.rounds)):
        corpus = copy.deepcopy(loaded) if round_ < args.rounds - 1 else loaded
        if args.gc_as_run:
            import gc

            gc.freeze()
        profiler = None
        if args.profile and round_ == args.rounds - 1:
            import cProfile

            profiler = cProfile.Profile(time.process_time)
            profiler.enable()
        timings: dict[str, float] | None = {} if args.parts else None
        if args.memo_from:
            _copy_memos(args.memo_from, args.db)
        memo_store = store if (args.memo_from or args.store) else None
        start = time.process_time()
        more = {"store": memo_store} if memo_store is not None else {}
        if args.paused:
            from claimgraph.gcpolicy import collector_paused

            with collector_paused():
                counts = run_provenance(corpus, options, timings, **more)
        else:
            counts = run_provenance(corpus, options, timings, **more)
        best = min(best, time.process_time() - start)
        for part, seconds in (timings or {}).items():
            parts[part] = min(parts.get(part, seconds), seconds)
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(args.profile)
    start = time.process_time()
    written = store.save_analysis(corpus)
    save = time.process_time() - start
    print(
        f"{len(corpus.documents):,} documents, {len(corpus.claims):,} claims; load {load:.2f} s CPU; "
        f"provenance {best:.2f} s CPU; save {save:.2f} s CPU {written}; digest {provenance_digest(corpus)}"
    )
    if counts:
        print(f"  claims: {counts}")
    if parts:
        print("  parts (CPU s, least of the rounds): " + ", ".join(f"{k} {v:.3f}" for k, v in parts.items()))


if __name__ == "__main__":
    main()
