"""CPU of the attribution stage's corpus-wide part on a stored workspace, in a fresh process (issue 12 §4).

Loads the documents of a workspace store (for example the +10-of-10,000 workspace that
``benchmarks/end_to_end.py --incremental-only --workspace DIR`` leaves in ``DIR/n10000/out/claimgraph.db``)
and times ``attribution.stage.attribute`` with ``time.process_time``, every document's annotation read from
the store's cache: entity resolution, the gazetteer, sources and statements over every document, what an
incremental run spends beyond the spaCy pass of its new documents. The attribution code fingerprint of the
cache keys is pinned to the one found in the store, so a code edit does not empty the cache between two
timings. ``--passes`` also prints the CPU of each named part; ``--profile FILE`` saves a cProfile. By default the
cyclic collector runs with a run's thresholds; ``--gc-as-run`` has it as a run's stage does (paused during the
stage, what exists frozen: ``pipeline._freezing_after_stages``), without the young collections (about 0.6 s at
10,000 documents) that the default mode counts and a real run does not pay.

Prints the CPU seconds and a digest of every entity, source and statement: two code versions give the same
result when their digests agree. ``--limit N`` keeps the first N documents (by id), for the growth of
each part. Every annotation is found in the cache; the run writes the stage's gazetteer-scan memo into the
store (``attribution.scanmemo``), so work on a copy.

``--hold-out K`` runs the stage, untimed, without K documents (those of the smallest SHA-256 of their id),
so that the store holds that run's scan memo, and exits; the next call on the same store is then an
increment of K documents as far as the scan is concerned (the annotations are all cached either way), in
a fresh process as a real run is. The timed run prints how many documents the scan read back and scanned
again. Code without the memo writes nothing on either call.

    cp DIR/n10000/out/claimgraph.db /tmp/attr.db
    python benchmarks/attribution_rerun.py /tmp/attr.db --hold-out 10 && python benchmarks/attribution_rerun.py /tmp/attr.db

    cp DIR/n10000/out/claimgraph.db /tmp/attr.db
    python benchmarks/attribution_rerun.py /tmp/attr.db --passes
    PYTHONPATH=/tmp/old/src python benchmarks/attribution_rerun.py /tmp/attr.db   # another version, interleaved
"""

from __future__ import annotations

import argparse
import hashlib
import json
import time
from typing import Any


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("db", help="a copy of a workspace store whose documents are annotated")
    parser.add_argument("--profile", metavar="FILE", help="a CPU cProfile of the stage saved to FILE")
    parser.add_argument("--passes", action="store_true", help="also print each part's CPU seconds")
    parser.add_argument("--jobs", type=int, default=1, help="Options.n_process (default 1)")
    parser.add_argument("--limit", type=int, help="only the first N documents (by id): growth of each part")
    parser.add_argument(
        "--hold-out", type=int, default=0, metavar="K", help="an untimed run without K documents first"
    )
    parser.add_argument(
        "--gc-as-run",
        action="store_true",
        help="the collector as a run's stage has it: what exists before frozen, paused during the stage, what "
        "it made frozen after (pipeline._freezing_after_stages); default: on, with a run's thresholds",
    )
    args = parser.parse_args()

    import sqlalchemy as sa

    from claimgraph.attribution import stage as attribution
    from claimgraph.gcpolicy import RunFreezer, run_gc_policy
    from claimgraph.model import Corpus
    from claimgraph.options import Options
    from claimgraph.store import Store

    store = Store.open(args.db)
    with store._engine.connect() as conn:  # the attribution fingerprint the cached annotations were made with
        keys = [k for (k,) in conn.execute(sa.text("SELECT DISTINCT key FROM annotations"))]
    prints = sorted({k.split(":")[1] for k in keys if k.startswith(attribution.ANNOTATION_VERSION + ":")})
    if len(prints) != 1:
        raise SystemExit(
            f"expected one {attribution.ANNOTATION_VERSION} fingerprint in the store, found {prints}"
        )
    attribution._code_fingerprint = lambda: prints[0]  # type: ignore[assignment]
    documents = sorted(store.documents(), key=lambda d: d.id)[: args.limit]
    options = Options(progress=False, n_process=args.jobs)
    passes: dict[str, float] = {}
    if args.passes:
        _time_passes(passes)
    if args.hold_out:
        held = set(
            sorted((hashlib.sha256(d.id.encode()).hexdigest(), d.id) for d in documents)[: args.hold_out]
        )
        held_ids = {doc_id for _h, doc_id in held}
        first = Corpus(documents=[d for d in documents if d.id not in held_ids])
        attribution.attribute(first, options, store)
        print(f"stage run without {args.hold_out} documents (untimed): the store holds its scan memo")
        return
    corpus = Corpus(documents=list(documents))
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
    passes.clear()
    failed: list[str] = []

    def fail(doc: Any, _reason: str, failed: list[str] = failed) -> None:
        failed.append(doc.id)

    freezer = RunFreezer() if args.gc_as_run else None
    if freezer is not None:
        freezer.freeze()  # the documents, as a run's earlier stages leave them
    start = time.process_time()
    with run_gc_policy():  # the collector's thresholds of a real run
        if freezer is not None:
            with freezer.paused_then_frozen():
                attribution.attribute(corpus, options, store, on_failure=fail)
        else:
            attribution.attribute(corpus, options, store, on_failure=fail)
    spent = time.process_time() - start
    if freezer is not None:
        freezer.close()
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(args.profile)
    print(
        f"attribution (cached annotations) {spent:.2f} s CPU; {len(documents):,} documents, "
        f"{len(corpus.entities):,} entities, {len(corpus.sources):,} sources, "
        f"{len(corpus.statements):,} statements; {len(failed)} not annotated; digest {_digest(corpus)}"
    )
    try:
        from claimgraph.attribution import scanmemo

        scan = scanmemo.LAST
        print(
            f"gazetteer scan: {scan.reused:,} documents read back, {scan.scanned:,} scanned ({scan.new:,} new); "
            f"changed: {scan.changed_forms:,} forms, {scan.changed_spellings:,} spellings, "
            f"{scan.changed_demonyms:,} demonyms; places changed: {scan.places_changed}"
        )
    except ImportError:  # code before the scan memo
        pass
    if passes:
        rest = spent - sum(v for k, v in passes.items() if not k.startswith(("pass_", "build_index")))
        print("parts (CPU s): " + ", ".join(f"{name} {value:.2f}" for name, value in passes.items()))
        print(f"  rest (sources, statements): {rest:.2f}")


def _digest(corpus: Any) -> str:
    rows = [e.to_dict() for e in corpus.entities]
    rows += [s.to_dict() for s in corpus.sources]
    rows += [s.to_dict() for s in corpus.statements]
    return hashlib.sha256(json.dumps(rows, sort_keys=True).encode("utf-8")).hexdigest()[:16]


def _time_passes(passes: dict[str, float]) -> None:
    """Wrap the named parts of ``attribute`` so that each one's CPU seconds add up in ``passes``."""
    from claimgraph.attribution import resolution
    from claimgraph.attribution import stage as stage_module

    def wrap(module: Any, name: str, label: str) -> None:
        original = getattr(module, name)

        def timed(*args: object, _original: Any = original, **kwargs: object) -> object:
            start = time.process_time()
            try:
                return _original(*args, **kwargs)
            finally:
                passes[label] = passes.get(label, 0.0) + time.process_time() - start

        setattr(module, name, timed)

    for name in (
        "annotate_documents",
        "outlet_mentions",
        "resolve_entities",
        "AliasMatcher",
        "scan_documents",
        "_entities_of_spans",
    ):
        if hasattr(stage_module, name):
            wrap(stage_module, name, name)
    resolution.PASSES = tuple(_named(p, passes) for p in resolution.PASSES)
    wrap(resolution, "build_index", "build_index")


def _named(run: Any, passes: dict[str, float]) -> Any:
    def timed(st: Any) -> None:
        start = time.process_time()
        try:
            run(st)
        finally:
            passes[run.__name__] = passes.get(run.__name__, 0.0) + time.process_time() - start

    return timed


if __name__ == "__main__":
    main()
