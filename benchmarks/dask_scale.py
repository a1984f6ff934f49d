"""Dask scale-out: 1 worker vs 2 workers (one thread each) on FNC-1 bodies, and a per-stage cost model.

Reads ``train_bodies.csv`` from ``$CLAIMGRAPH_FNC1_DIR`` (default ``<repo>/../shared/data/fnc1``), writes N
bodies as ``.txt`` files and, for each worker count (in turn, ``--repeat`` rounds interleaved), starts a
``LocalCluster`` (processes, one thread per worker, loopback, no dashboard), loads the spaCy pipeline on the
workers (not timed: a worker does it once in its life) and times the Dask part of ``analyze --dask``
into a fresh store (no annotation cache):

- ``ingest``: files read by the workers, documents written to the store by the client;
- ``nlp``: the spaCy pass on the workers, annotations written to the store's cache by the client.

Printed per run: wall seconds of both parts, CPU seconds of every worker (``getrusage`` inside the worker
processes) and of the client, the workers' peak memory; then the speed-up ``wall(1 worker) / wall(2
workers)`` (issue 12 goal >= 1.8) and the worker CPU balance; the same reading and spaCy pass without Dask,
in this process, gives Dask's CPU overhead. Finally, once, the client-side stages of the
same run (entity resolution and statements from the cached annotations, claims, provenance, the store and
the JSON output), each with CPU, wall and the client's peak memory, and the whole-run speed-up they imply
(Amdahl). The load average is printed: on a shared machine wall times mean little, CPU times still do.

    python benchmarks/dask_scale.py                    # 1,000 bodies, 1 vs 2 workers
    python benchmarks/dask_scale.py -n 300 --repeat 2  # smaller, two interleaved rounds
"""

from __future__ import annotations

import argparse
import csv
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


def load_bodies(limit: int) -> list[str]:
    root = Path(__file__).resolve().parents[1]
    folder = Path(os.environ.get("CLAIMGRAPH_FNC1_DIR", root.parent / "shared" / "data" / "fnc1"))
    path = folder / "train_bodies.csv"
    if not path.is_file():
        sys.exit(f"FNC-1 bodies not found at {path}: set CLAIMGRAPH_FNC1_DIR")
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", newline="") as fh:
        return [row["articleBody"] for row in csv.DictReader(fh)][:limit]


def load() -> str:
    return "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def _usage() -> tuple[float, float]:
    """CPU seconds and peak resident MB of the calling process (runs inside a worker via ``client.run``)."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    return me.ru_utime + me.ru_stime, me.ru_maxrss / 1024


def _self_cpu() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF)
    return me.ru_utime + me.ru_stime


def dask_part(folder: Path, n_workers: int, model: str, db: Path) -> dict[str, Any]:
    """Time the Dask part of one ``analyze --dask local:N`` into a fresh store at ``db``; returns the figures."""
    from claimgraph.attribution.stage import annotation_key
    from claimgraph.distributed import dask_runner
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
        client_cpu0, t0 = _self_cpu(), time.perf_counter()
        with Store.open(str(db)) as store:
            for item in runner.iter_documents([str(folder)], options):
                item = admit(item, options)
                if not hasattr(item, "code"):
                    store.add_document(item)  # type: ignore[arg-type]
            t1 = time.perf_counter()
            annotated = runner.annotate(store.documents(), options, store)
            t2 = time.perf_counter()
        client_cpu = _self_cpu() - client_cpu0
        after = client.run(_usage)
    workers = sorted(after)
    return {
        "workers": n_workers,
        "annotated": annotated,
        "ingest_wall": t1 - t0,
        "nlp_wall": t2 - t1,
        "wall": t2 - t0,
        "worker_cpu": [after[w][0] - before[w][0] for w in workers],
        "worker_peak_mb": [after[w][1] for w in workers],
        "client_cpu": client_cpu,
        "fallbacks": runner.fallbacks,
        "store_mb": db.stat().st_size / 2**20,
    }


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


def client_stages(folder: Path, model: str, db: Path) -> dict[str, tuple[float, float, float]]:
    """The rest of the run on the client, annotations cached in ``db`` by a Dask run: stage -> (cpu, wall, peak MB)."""
    from claimgraph.ingest import iter_documents, mark_duplicates
    from claimgraph.model import Corpus
    from claimgraph.options import Options
    from claimgraph.outputs import write_outputs
    from claimgraph.pipeline import RunContext, build_pipeline
    from claimgraph.store import Store

    options = Options(spacy_model=model, n_process=1, progress=False, formats=("json",))
    out: dict[str, tuple[float, float, float]] = {}

    @contextmanager
    def part(name: str) -> Iterator[None]:
        c0, w0 = _self_cpu(), time.perf_counter()
        yield
        out[name] = (
            _self_cpu() - c0,
            time.perf_counter() - w0,
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=1000, help="FNC-1 bodies (default 1000)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=1, help="interleaved rounds (default 1)")
    parser.add_argument("--no-stages", action="store_true", help="skip the client-side stage costs")
    parser.add_argument("--no-local", action="store_true", help="skip the same work without Dask")
    args = parser.parse_args()

    from claimgraph.attribution.nlp import default_model_name

    model = default_model_name()
    bodies = load_bodies(args.n)
    print(f"{len(bodies)} FNC-1 bodies, model {model}, cores {os.cpu_count()}, load {load()}")
    runs: dict[int, list[dict[str, Any]]] = {w: [] for w in args.workers}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "bodies"
        folder.mkdir()
        for i, body in enumerate(bodies):
            (folder / f"{i:05d}.txt").write_text(body, encoding="utf-8")
        local_cpu: list[float] = []
        for rnd in range(args.repeat):
            if not args.no_local:
                c, wall = local_part(folder, model)
                local_cpu.append(c)
                print(
                    f"round {rnd + 1}, no Dask (this process): read + spaCy pass {wall:.1f} s wall, {c:.1f} s CPU; load {load()}",
                    flush=True,
                )
            for w in args.workers:
                r = dask_part(folder, w, model, Path(tmp) / "claimgraph.db")
                runs[w].append(r)
                cpu = ", ".join(f"{c:.1f}" for c in r["worker_cpu"])
                mem = ", ".join(f"{m:.0f}" for m in r["worker_peak_mb"])
                print(
                    f"round {rnd + 1}, {w} worker(s): ingest {r['ingest_wall']:.1f} s + nlp {r['nlp_wall']:.1f} s "
                    f"= {r['wall']:.1f} s wall; worker CPU [{cpu}] s; client CPU {r['client_cpu']:.1f} s; "
                    f"worker peak [{mem}] MB; annotated {r['annotated']}; fallbacks {r['fallbacks']}; "
                    f"store {r['store_mb']:.1f} MB; "
                    f"load {load()}",
                    flush=True,
                )
        if len(args.workers) >= 2:
            lo, hi = args.workers[0], args.workers[-1]
            wall_lo = statistics.median(r["wall"] for r in runs[lo])
            wall_hi = statistics.median(r["wall"] for r in runs[hi])
            cpu_lo = statistics.median(sum(r["worker_cpu"]) for r in runs[lo])
            cpu_hi = statistics.median(sum(r["worker_cpu"]) for r in runs[hi])
            busiest = statistics.median(max(r["worker_cpu"]) for r in runs[hi])
            print(
                f"speed-up of the Dask part, {hi} vs {lo} worker(s): {wall_lo / wall_hi:.2f}x wall "
                f"(goal >= 1.8; median of {args.repeat}); worker CPU total {cpu_lo:.1f} s vs {cpu_hi:.1f} s; "
                f"busiest of {hi} workers {busiest:.1f} s CPU, so on {hi} free cores the part would take "
                f"about {cpu_lo / max(busiest, 1e-9):.2f}x less than on one"
            )
        if local_cpu:
            lo_runs = runs[args.workers[0]]
            dask_cpu = statistics.median(sum(r["worker_cpu"]) + r["client_cpu"] for r in lo_runs)
            print(
                f"CPU of the same work: no Dask {statistics.median(local_cpu):.1f} s; on {args.workers[0]} Dask "
                f"worker(s) {dask_cpu:.1f} s (workers + client)"
            )
        if not args.no_stages:
            stages = client_stages(folder, model, Path(tmp) / "claimgraph.db")
            total = sum(c for c, _, _ in stages.values())
            print(f"client-side stages (annotations cached), load {load()}:")
            for name, (c, w, mb) in stages.items():
                print(f"  {name:40s} {c:7.1f} s CPU {w:7.1f} s wall  peak RSS {mb:6.0f} MB")
            worker_cpu = statistics.median(sum(r["worker_cpu"]) for r in runs[args.workers[0]])
            local_ingest = stages.get("ingest (local, for comparison)", (0.0, 0.0, 0.0))[0]
            serial = total - local_ingest
            for w in args.workers:
                print(
                    f"  whole run on {w} worker(s), Amdahl from CPU: worker part {worker_cpu:.1f} s / {w} + "
                    f"client {serial:.1f} s = {worker_cpu / w + serial:.1f} s"
                )


if __name__ == "__main__":
    main()
