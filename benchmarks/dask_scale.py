"""Dask scale-out: 1 worker vs 2 workers (one thread each) on real news, and a per-stage cost model.

Writes N texts of ``--corpus`` (default ``fnc1``: FNC-1's training bodies from ``$CLAIMGRAPH_FNC1_DIR``,
default ``<repo>/../shared/data/fnc1``; ``fnc1+polnear`` and ``fnc1-all`` as in ``end_to_end.py``, the
latter every real text available offline, 4,234) as ``.txt`` files and, for each worker count (in turn,
``--repeat`` rounds interleaved), starts a ``LocalCluster`` (processes, one thread per worker, loopback, no
dashboard), loads the spaCy pipeline on the workers (not timed: a worker does it once in its life) and times
the **distributed part** of ``analyze --dask`` into a fresh store (no annotation cache):

- ``ingest``: files read by the workers, documents written to the store by the client, each new document
  sent on to the workers' spaCy pass in small partitions as it is stored (``DaskRunner.start_annotating``);
- ``nlp``: the rest of the spaCy pass (``DaskRunner.annotate``: the tasks still running, the remaining
  documents in partitions sized by characters, large first, small last), annotations written by the client.

The pipeline is loaded once per worker; annotations come back as packed plain data, not spaCy Docs.

Printed per run: wall seconds of both parts, CPU seconds of every worker (``getrusage`` inside the worker
processes) and of the client, the workers' peak memory, and from Dask's task stream (ingest and spaCy
tasks): the tasks, each worker's busy (computing) seconds, the share of the span (first task's start to last
task's end) during which *every* worker was computing (overlap) and the tail (seconds between the first and
the last worker's last task). Then:

- the speed-up of the distributed part, 2 vs 1 worker(s): from wall time (issue 12 goal >= 1.8; only
  meaningful on a quiet machine with a free core for the client) and from CPU (the 1-worker CPU over the
  busiest of the 2 workers: what two free cores give, on any load);
- the same reading and spaCy pass without Dask, in this process (Dask's CPU overhead);
- once, the client-side (serial, corpus-wide) stages of the same run: entity resolution and statements from
  the cached annotations, claims, corrections, provenance, the store and the JSON output, each with CPU,
  wall, RSS growth and the client's peak memory, per 1,000 documents too (the cost model of
  ``docs/scale.md``); and the whole-run speed-up they imply (Amdahl: the serial stages do not shrink).

The load average is printed: on a shared machine wall times mean little, CPU times still do.

    python benchmarks/dask_scale.py -n 1000            # 1,000 FNC-1 bodies, 1 vs 2 workers (< 10 min idle)
    python benchmarks/dask_scale.py -n 300 --repeat 2  # smaller, two interleaved rounds
    nice -n 10 python benchmarks/dask_scale.py --corpus fnc1-all -n 5000 --workers 2 --no-local
                                                        # cost model at the largest real size (4,234)
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


def load_texts(corpus: str, limit: int) -> tuple[list[str], str]:
    """The first ``limit`` texts of ``corpus`` (``end_to_end.load_corpus``) and a line saying what they are."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from end_to_end import load_corpus

    texts, what = load_corpus(corpus)
    return texts[:limit], what


def load() -> str:
    return "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def _usage() -> tuple[float, float]:
    """CPU seconds and peak resident MB of the calling process (runs inside a worker via ``client.run``)."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    return me.ru_utime + me.ru_stime, me.ru_maxrss / 1024


def _thread_cpu(dask_worker: Any = None) -> tuple[float, float]:
    """(CPU s of the threads that run tasks, CPU s of every other thread) of the calling worker process
    (``client.run`` passes the worker): its executors' threads run the tasks; its event loop, heartbeats and
    monitors run in the others (Linux ``/proc``; ``(0, 0)`` elsewhere)."""
    tick = os.sysconf("SC_CLK_TCK")
    executors = getattr(dask_worker, "executors", {}) or {}
    runners = {t.native_id for ex in executors.values() for t in getattr(ex, "_threads", ())}
    tasks = other = 0.0
    for entry in Path("/proc/self/task").glob("*"):
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        seconds = (int(fields[11]) + int(fields[12])) / tick  # utime, stime
        if int(entry.name) in runners:
            tasks += seconds
        else:
            other += seconds
    return tasks, other


def _self_cpu() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF)
    return me.ru_utime + me.ru_stime


def _rss_mb() -> float:
    """This process's resident memory now (Linux ``/proc``; the peak where it is absent)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def task_overlap(stream: list[dict[str, Any]]) -> dict[str, Any]:
    """From Dask's task stream: tasks, busy seconds per worker, the share of the pass during which every
    worker was computing, and the tail (first worker's last stop to the last worker's last stop)."""
    spans: dict[str, list[tuple[float, float]]] = {}
    for record in stream:
        for part in record.get("startstops", ()):
            if part.get("action") == "compute":
                spans.setdefault(record["worker"], []).append((part["start"], part["stop"]))
    if not spans:
        return {"tasks": 0, "busy": [], "overlap": 0.0, "tail": 0.0, "span": 0.0}
    events: list[tuple[float, int]] = []
    for intervals in spans.values():
        for start, stop in intervals:
            events += [(start, 1), (stop, -1)]
    events.sort()
    first, last = events[0][0], events[-1][0]
    everyone = len(spans)
    busy_all, running, previous = 0.0, 0, first
    for when, step in events:
        if running >= everyone:
            busy_all += when - previous
        running += step
        previous = when
    ends = [max(stop for _, stop in intervals) for intervals in spans.values()]
    return {
        "tasks": sum(len(v) for v in spans.values()),
        "busy": [sum(stop - start for start, stop in spans[w]) for w in sorted(spans)],
        "overlap": busy_all / max(last - first, 1e-9),
        "tail": max(ends) - min(ends),
        "span": last - first,
    }


def dask_part(folder: Path, n_workers: int, model: str, db: Path) -> dict[str, Any]:
    """Time the distributed part of one ``analyze --dask local:N`` into a fresh store at ``db``."""
    import pickle

    from distributed import get_task_stream

    from claimgraph.attribution.stage import annotation_key
    from claimgraph.distributed import _pack, dask_runner
    from claimgraph.model import Document
    from claimgraph.options import Options
    from claimgraph.safety import admit
    from claimgraph.store import Store

    options = Options(spacy_model=model, n_process=1, progress=False)
    db.unlink(missing_ok=True)
    with dask_runner(f"local:{n_workers}") as runner:  # what `analyze --dask local:N` starts
        client = runner.client
        runner.preload(model)  # once per worker process, before the clock starts
        annotation_key(
            model,
            Document(id="w", path="", url=None, title=None, authors=[], published=None, outlet=None, text=""),
        )  # the client's imports (spaCy), once
        before = client.run(_usage)
        threads_before = client.run(_thread_cpu)
        client_cpu0, t0 = _self_cpu(), time.perf_counter()
        with Store.open(str(db)) as store, get_task_stream(client=client) as stream:
            on_added = runner.start_annotating(options, store)  # as `analyze --dask`: spaCy during ingest
            for item in runner.iter_documents([str(folder)], options):
                item = admit(item, options)
                if isinstance(item, Document) and store.add_document(item):
                    on_added(item)
            t1 = time.perf_counter()
            documents = store.documents()
            annotated = runner.annotate(documents, options, store, None)
            t2 = time.perf_counter()
            client_cpu = _self_cpu() - client_cpu0
            after = client.run(_usage)
            threads_after = client.run(_thread_cpu)
            keys = {d.id: annotation_key(model, d, options.window_chars) for d in documents}
            cached = store.get_annotations(keys)
            shipped = sum(len(_pack(dict(part))) for part in _chunks(sorted(cached.items()), 100))
            sent = sum(len(pickle.dumps(d, protocol=5)) for d in documents)
    workers = sorted(after)
    return {
        "workers": n_workers,
        "annotated": annotated,
        "documents": len(documents),
        "ingest_wall": t1 - t0,
        "nlp_wall": t2 - t1,
        "wall": t2 - t0,
        "worker_cpu": [after[w][0] - before[w][0] for w in workers],
        "worker_peak_mb": [after[w][1] for w in workers],
        "task_cpu": [threads_after[w][0] - threads_before[w][0] for w in workers],
        "other_cpu": [threads_after[w][1] - threads_before[w][1] for w in workers],
        "client_cpu": client_cpu,
        "fallbacks": runner.fallbacks,
        "store_mb": db.stat().st_size / 2**20,
        "stream": task_overlap(stream.data),
        "kb_sent": sent / max(1, len(documents)) / 1024,
        "kb_back": shipped / max(1, len(documents)) / 1024,
    }


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def local_part(folder: Path, model: str) -> tuple[float, float]:
    """The same work without Dask, in this process: read the files and run the spaCy pass (CPU, wall)."""
    from claimgraph.attribution.nlp import load_pipeline
    from claimgraph.attribution.stage import annotate_documents
    from claimgraph.ingest import iter_documents
    from claimgraph.model import Document
    from claimgraph.options import Options

    options = Options(spacy_model=model, n_process=1, progress=False)
    load_pipeline(model)  # loaded before the clock starts, as on the workers
    c0, t0 = _self_cpu(), time.perf_counter()
    docs = [d for d in iter_documents([str(folder)], options) if isinstance(d, Document)]
    annotate_documents(docs, options)
    return _self_cpu() - c0, time.perf_counter() - t0


def client_stages(folder: Path, model: str, db: Path) -> dict[str, tuple[float, float, float, float]]:
    """The rest of the run on the client, annotations cached in ``db`` by a Dask run:
    stage -> (CPU s, wall s, RSS growth MB, peak RSS MB)."""
    from claimgraph.ingest import iter_documents, mark_duplicates
    from claimgraph.model import Corpus
    from claimgraph.options import Options
    from claimgraph.outputs import write_outputs
    from claimgraph.pipeline import RunContext, build_pipeline
    from claimgraph.store import Store

    options = Options(spacy_model=model, n_process=1, progress=False, formats=("json",))
    out: dict[str, tuple[float, float, float, float]] = {}

    @contextmanager
    def part(name: str) -> Iterator[None]:
        c0, w0, m0 = _self_cpu(), time.perf_counter(), _rss_mb()
        yield
        out[name] = (
            _self_cpu() - c0,
            time.perf_counter() - w0,
            _rss_mb() - m0,
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        )

    with tempfile.TemporaryDirectory() as tmp, Store.open(str(db)) as store:
        with part("ingest (local, for comparison)"):
            n = sum(1 for _ in iter_documents([str(folder)], options))
        with part("duplicates"):
            documents = store.documents()
            duplicates = mark_duplicates(documents, options)
            for doc in documents:
                doc.duplicate_of = duplicates.get(doc.id)
        corpus = Corpus(documents=documents)
        ctx = RunContext(options=options, cache=store)
        for info in build_pipeline().stages:
            with part(
                info.name.split(".")[1] + " (annotations cached)"
                if "attribution" in info.name
                else info.name.split(".")[1]
            ):
                info(corpus, ctx)
        corpus.sort()
        with part("store"):
            store.save_analysis(corpus)
        with part("json output"):
            write_outputs(corpus, Path(tmp), options, ["json"])
    assert n >= len(corpus.documents)
    return out


def _median(values: Any) -> float:
    return statistics.median(list(values))


def print_run(rnd: int, r: dict[str, Any]) -> None:
    cpu = ", ".join(f"{c:.1f}" for c in r["worker_cpu"])
    mem = ", ".join(f"{m:.0f}" for m in r["worker_peak_mb"])
    st = r["stream"]
    busy = ", ".join(f"{b:.1f}" for b in st["busy"])
    split = ", ".join(f"{t:.1f} + {o:.1f}" for t, o in zip(r["task_cpu"], r["other_cpu"], strict=True))
    print(
        f"round {rnd}, {r['workers']} worker(s): ingest (spaCy tasks running) {r['ingest_wall']:.1f} s + rest of "
        f"the spaCy pass {r['nlp_wall']:.1f} s "
        f"= {r['wall']:.1f} s wall; worker CPU [{cpu}] s; client CPU {r['client_cpu']:.1f} s; "
        f"worker peak [{mem}] MB; annotated {r['annotated']} of {r['documents']}; fallbacks {r['fallbacks']}; "
        f"store {r['store_mb']:.1f} MB; load {load()}\n"
        f"    worker CPU by thread: tasks + Dask's own threads (event loop, heartbeats, monitors) [{split}] s\n"
        f"    task stream (ingest and spaCy): {st['tasks']} tasks, busy [{busy}] s, "
        f"every worker computing {100 * st['overlap']:.0f}% of {st['span']:.1f} s, tail {st['tail']:.1f} s; "
        f"per document {r['kb_sent']:.1f} KB sent (pickled), {r['kb_back']:.1f} KB of annotations back (packed, "
        "partitions of 100)",
        flush=True,
    )


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from end_to_end import CORPORA

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=1000, help="texts (default 1000)")
    parser.add_argument("--corpus", choices=CORPORA, default="fnc1", help="as in end_to_end.py (fnc1)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=1, help="interleaved rounds (default 1)")
    parser.add_argument("--no-stages", action="store_true", help="skip the client-side stage costs")
    parser.add_argument("--no-local", action="store_true", help="skip the same work without Dask")
    args = parser.parse_args()

    from claimgraph.attribution.nlp import default_model_name

    model = default_model_name()
    texts, what = load_texts(args.corpus, args.n)
    print(f"{len(texts):,} texts of {what}; model {model}, cores {os.cpu_count()}, load {load()}")
    runs: dict[int, list[dict[str, Any]]] = {w: [] for w in args.workers}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "texts"
        folder.mkdir()
        for i, text in enumerate(texts):
            (folder / f"{i:05d}.txt").write_text(text, encoding="utf-8")
        local_cpu: list[float] = []
        for rnd in range(args.repeat):
            if not args.no_local:
                c, wall = local_part(folder, model)
                local_cpu.append(c)
                print(
                    f"round {rnd + 1}, no Dask (this process): read + spaCy pass {wall:.1f} s wall, "
                    f"{c:.1f} s CPU; load {load()}",
                    flush=True,
                )
            for w in args.workers:
                r = dask_part(folder, w, model, Path(tmp) / "claimgraph.db")
                runs[w].append(r)
                print_run(rnd + 1, r)
        lo, hi = args.workers[0], args.workers[-1]
        cpu_lo = _median(sum(r["worker_cpu"]) for r in runs[lo])
        part_cpu = _median(sum(r["worker_cpu"]) + r["client_cpu"] for r in runs[lo])
        client_part = _median(r["client_cpu"] for r in runs[hi])
        if len(args.workers) >= 2:
            wall_lo = _median(r["wall"] for r in runs[lo])
            wall_hi = _median(r["wall"] for r in runs[hi])
            cpu_hi = _median(sum(r["worker_cpu"]) for r in runs[hi])
            busiest = _median(max(r["worker_cpu"]) for r in runs[hi])
            overlap = _median(r["stream"]["overlap"] for r in runs[hi])
            print(
                f"distributed part, {hi} vs {lo} worker(s) (median of {args.repeat}):\n"
                f"  wall {wall_lo:.1f} s vs {wall_hi:.1f} s = {wall_lo / wall_hi:.2f}x (goal >= 1.8; meaningful "
                f"only on a quiet machine with a free core for the client)\n"
                f"  worker CPU total {cpu_lo:.1f} s vs {cpu_hi:.1f} s; busiest of {hi} workers {busiest:.1f} s: "
                f"on {hi} free cores {cpu_lo / max(busiest, 1e-9):.2f}x (from CPU; every worker computing "
                f"{100 * overlap:.0f}% of the tasks' span)"
            )
        if local_cpu:
            print(
                f"CPU of the same work: no Dask {_median(local_cpu):.1f} s; on {lo} Dask worker(s) "
                f"{part_cpu:.1f} s (workers + client)"
            )
        if not args.no_stages:
            stages = client_stages(folder, model, Path(tmp) / "claimgraph.db")
            n = runs[hi][-1]["documents"]
            per_k = 1000 / max(1, n)
            print(f"client-side stages (annotations cached) on {n:,} documents, load {load()}:")
            print(
                f"  {'stage':34s} {'CPU s':>8s} {'wall s':>8s} {'CPU s/1k':>9s} {'+RSS MB':>8s} {'peak MB':>8s}"
            )
            for name, (c, w, grown, peak) in stages.items():
                print(f"  {name:34s} {c:8.1f} {w:8.1f} {c * per_k:9.2f} {grown:8.0f} {peak:8.0f}")
            local_ingest = stages.get("ingest (local, for comparison)", (0.0, 0.0, 0.0, 0.0))[0]
            serial = sum(c for c, _, _, _ in stages.values()) - local_ingest
            peak_worker = max(max(r["worker_peak_mb"]) for r in runs[hi])
            print(
                f"  per 1,000 documents: workers {cpu_lo * per_k:.1f} CPU-s (reading + spaCy), client during the "
                f"distributed part {client_part * per_k:.1f} CPU-s, serial stages {serial * per_k:.1f} CPU-s; "
                f"worker peak {peak_worker:.0f} MB"
            )
            for w in args.workers:
                whole = cpu_lo / w + client_part + serial
                print(
                    f"  whole run on {w} worker(s), Amdahl from CPU: workers {cpu_lo:.1f} s / {w} + client "
                    f"{client_part:.1f} s + serial stages {serial:.1f} s = {whole:.1f} s "
                    f"({(cpu_lo + client_part + serial) / whole:.2f}x one worker)"
                )
    print(f"benchmark wall {time.perf_counter() - started:.0f} s, load {load()}")


if __name__ == "__main__":
    main()
