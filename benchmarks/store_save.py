"""CPU of ``Store.save_analysis`` writing an increment's analysis over the analysis before it (issue 12 §4).

Loads the analysis of ``AFTER`` (for example the +10-of-10,000 store that ``benchmarks/end_to_end.py
--incremental-only`` leaves in ``DIR/n10000/out/claimgraph.db``) and saves it into ``BEFORE`` (a copy of the
store before the increment, ``DIR/n10000.pristine/out/claimgraph.db``), so the save compares and writes what
the real increment's save did. Prints the CPU seconds, the rows written, and a SHA-256 of every row of the
analysis tables after the save (two code versions agree when it does), and a SHA-256 of the analysis loaded back
from ``BEFORE`` (``Store.load_corpus``: the records, not their layout in the tables, so it also compares two
versions that store them differently). ``BEFORE`` is written: use a copy.

    cp DIR/n10000.pristine/out/claimgraph.db /tmp/before.db
    python benchmarks/store_save.py DIR/n10000/out/claimgraph.db /tmp/before.db [--profile FILE] [--gc-as-run]

``--gc-as-run``: the cyclic collector as a run has it when it saves (``gcpolicy.RUN_THRESHOLDS``, everything
loaded frozen); without it the default thresholds' full collections walk the loaded analysis during the save.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import time


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("after", help="the store whose analysis is saved (read only)")
    parser.add_argument("before", help="a copy of the store it is saved into (written)")
    parser.add_argument("--profile", metavar="FILE", help="a CPU cProfile of the save saved to FILE")
    parser.add_argument(
        "--gc-as-run",
        action="store_true",
        help="the collector as a run has it at its save: run thresholds, the loaded analysis frozen",
    )
    args = parser.parse_args()

    import sqlalchemy as sa

    from claimgraph.store import Store

    corpus = Store.open(args.after, readonly=True).load_corpus()
    store = Store.open(args.before)
    if args.gc_as_run:
        import gc

        from claimgraph.gcpolicy import RUN_THRESHOLDS

        gc.set_threshold(*RUN_THRESHOLDS)
        gc.collect()
        gc.freeze()  # as RunFreezer before a run's save
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
    start = time.process_time()
    written = store.save_analysis(corpus)
    spent = time.process_time() - start
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(args.profile)
    digest = hashlib.sha256()
    with store._engine.connect() as conn:
        for table in ("entities", "sources", "statements", "claims", "relations", "corpus_data"):
            key = "key" if table == "corpus_data" else "id"
            for row in conn.execute(sa.text(f"SELECT * FROM {table} ORDER BY {key}")):
                digest.update(repr(tuple(row)).encode("utf-8"))
    loaded = store.load_corpus().to_dict()
    records = {name: loaded[name] for name in ("entities", "sources", "statements", "claims", "relations")}
    records.update(network=loaded.get("network"), timeline=loaded.get("timeline"))
    text = json.dumps(records, ensure_ascii=False)
    loaded_digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    print(
        f"save {spent:.2f} s CPU; rows {written}; tables digest {digest.hexdigest()[:16]}; "
        f"loaded digest {loaded_digest}"
    )


if __name__ == "__main__":
    main()
