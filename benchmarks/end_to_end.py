"""End to end: ``analyze`` on FNC-1 bodies as text files, against a bare spaCy ``nlp.pipe`` of the same model.

Reads ``train_bodies.csv`` from ``$CLAIMGRAPH_FNC1_DIR`` (default ``<repo>/../shared/data/fnc1``; 1,683
bodies), writes N of them as ``.txt`` files and runs ``claimgraph.analyze`` on them into a fresh
workspace (no annotation cache). Prints, with the load average (the machine may be shared):

- analyze CPU time (``--jobs 1``, outputs excluded) vs a bare ``nlp.pipe`` of the model's full pipeline on
  the same texts, and their ratio (issue 12 goal <= 1.1); the bare pass runs before and after analyze
  and the mean is used;
- per-stage CPU times (ingest, attribution, claims, provenance, store) and each output format's time,
  and the outputs' share of the run (goal: outputs <= 10% of the analysis);
- growth exponents per stage between the smallest and the largest of ``--sizes`` (goal <= 1.1), per
  document and per word; ``--corpus fnc1+polnear`` adds PolNeAR's train and dev articles to FNC-1's bodies
  (2,607 real news texts, shuffled with a fixed seed) for sizes past 1,663; ``--corpus fnc1-all`` adds
  FNC-1's unique training headlines as one-line documents (4,234 distinct real texts);
  ``--corpus fnc1-all+reuters`` adds Reuters-21578's newswire stories (``$CLAIMGRAPH_REUTERS_DIR``, a folder
  with the distribution's ``reut2-NNN.sgm`` files) for the 10,000-document figures;
- wall time with ``jobs=2`` vs ``jobs=1`` (goal <= 0.6; ``--no-cores`` skips it), with the CPU evidence
  that holds on a loaded machine (the spaCy pass's share, each worker's CPU, the Amdahl estimate);
  ``--cores-only`` prints just that;
- ``--incremental K`` (default 10): K more bodies added to the N-document workspace, that rerun's CPU vs
  the full run (issue 12 goal: 10 into 1,000 <= 10%);
- a closing summary of those figures.
- ``--incremental-only --workspace DIR``: only the incremental figure. The N-document workspace is built in
  ``DIR`` (once per code version: a pristine copy and the full run's CPU figures are kept there) and each
  call times K bodies added to a fresh copy of it at the same path (input files are known by path).
  ``--rebase``: a kept full run of another code version is refreshed from its cached annotations (no spaCy
  pass; sound only if the per-document annotations did not change) instead of rebuilt; the ratio's
  denominator stays that build's full-run CPU.

A warm-up analyze of the last 20 bodies runs first (imports and model loads are once per process).
- ``--profile FILE``: a cProfile of one analyze (jobs 1) saved to FILE, top functions printed; with
  ``--incremental-only``, of the +K rerun (the full build is not profiled).
- ``--replay``: at every size, analyze again into a copy of the workspace that keeps only the annotation
  cache, timed per stage ("replay ..." rows of the exponents): what is not the model, without its CPU.

CPU times are ``getrusage`` of this process plus its children (``jobs > 1`` runs workers).

    python benchmarks/end_to_end.py                       # 1,000 bodies: ratio, stages, outputs, +10, cores
    python benchmarks/end_to_end.py --sizes 300 1650      # + growth exponents
    python benchmarks/end_to_end.py -n 1000 --cores-only  # only 1 vs 2 cores wall (idle machine)
    python benchmarks/end_to_end.py -n 1000 --no-bare --no-cores  # ratio-free: stages, outputs, +10
    python benchmarks/end_to_end.py -n 300 --profile /tmp/analyze.prof
    python benchmarks/end_to_end.py -n 1000 --incremental-only --workspace /tmp/cg-ws  # +10 of 1,000 only
    python benchmarks/end_to_end.py --corpus fnc1+polnear -n 2500 --sizes 300 1000 --no-bare --no-cores \
        --incremental 0 --outputs-every-size     # exponents 300 -> 2,500 on 2,607 real news texts
"""

from __future__ import annotations

import argparse
import csv
import html
import itertools
import json
import math
import os
import random
import re
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

STAGE_NAMES = {
    "claimgraph.attribution.v1": "attribution",
    "claimgraph.claims.v1": "claims",
    "claimgraph.corrections.v1": "corrections",
    "claimgraph.provenance.v1": "provenance",
}
FORMATS = ("json", "stix", "graphml", "csv", "html")


CORPORA = ("fnc1", "fnc1+polnear", "fnc1-all", "fnc1-all+reuters")
#: Seed of the shuffle that mixes the two corpora of ``--corpus fnc1+polnear`` (every size the same mix).
MIX_SEED = 12


def load_corpus(name: str) -> tuple[list[str], str]:
    """The texts of ``--corpus`` and a line saying exactly what they are.

    ``fnc1``: FNC-1's training bodies in file order (1,683). ``fnc1+polnear``: those plus PolNeAR's
    train and dev articles (``$CLAIMGRAPH_POLNEAR_DIR``, default ``<repo>/../shared/data/polnear``;
    ``SPLIT/text/*.txt``, headline on the first line; 840 + 84), shuffled with a fixed seed so that every
    size has the same mix of short FNC-1 bodies and longer PolNeAR articles. PolNeAR's test split is
    never read."""
    bodies = load_bodies()
    if name == "fnc1":
        return bodies, f"FNC-1 train bodies ({len(bodies):,}, file order)"
    if name == "fnc1-all":
        return load_all_texts()
    if name == "fnc1-all+reuters":
        return load_with_reuters()
    root = Path(__file__).resolve().parents[1]
    folder = Path(os.environ.get("CLAIMGRAPH_POLNEAR_DIR", root.parent / "shared" / "data" / "polnear"))
    articles: dict[str, list[str]] = {}
    for split in ("train", "dev"):  # never "test": the independent test split
        files = sorted((folder / split / "text").glob("*.txt"))
        if not files:
            sys.exit(f"PolNeAR {split} articles not found under {folder}: set CLAIMGRAPH_POLNEAR_DIR")
        articles[split] = [f.read_text(encoding="utf-8") for f in files]
    texts = bodies + articles["train"] + articles["dev"]
    random.Random(MIX_SEED).shuffle(texts)
    words = sum(len(t.split()) for t in texts)
    return texts, (
        f"FNC-1 train bodies ({len(bodies):,}) + PolNeAR train ({len(articles['train']):,}) and dev "
        f"({len(articles['dev']):,}) articles = {len(texts):,} real news texts, {words / len(texts):,.0f} "
        f"words each on average, shuffled (seed {MIX_SEED})"
    )


def load_headlines() -> list[str]:
    """FNC-1's unique training headlines (``train_stances.csv``), in first-seen order: one-line texts,
    which claimgraph analyses as documents (issue 11)."""
    root = Path(__file__).resolve().parents[1]
    folder = Path(os.environ.get("CLAIMGRAPH_FNC1_DIR", root.parent / "shared" / "data" / "fnc1"))
    path = folder / "train_stances.csv"
    if not path.is_file():
        sys.exit(f"FNC-1 headlines not found at {path}: set CLAIMGRAPH_FNC1_DIR")
    with path.open(encoding="utf-8", newline="") as fh:
        return list(
            dict.fromkeys(row["Headline"].strip() for row in csv.DictReader(fh) if row["Headline"].strip())
        )


def load_all_texts() -> tuple[list[str], str]:
    """``--corpus fnc1-all``: every real news text available offline, each once. FNC-1's training bodies,
    its unique training headlines (one-line documents) and PolNeAR's train and dev articles, shuffled with
    :data:`MIX_SEED`; a text that occurs twice (after stripping) is kept once, as the workspace would
    de-duplicate it anyway. Nothing is duplicated to reach a size: the corpus is what it is (about 4,200)."""
    texts, _ = load_corpus("fnc1+polnear")
    headlines = load_headlines()
    unique, what = distinct_mix(texts + headlines)
    return unique, (
        f"FNC-1 train bodies + PolNeAR train and dev articles ({len(texts):,}) + FNC-1's unique train "
        f"headlines ({len(headlines):,}) = {what}"
    )


def distinct_mix(texts: list[str]) -> tuple[list[str], str]:
    """Each distinct (stripped, non-empty) text once, shuffled with :data:`MIX_SEED`, and a phrase saying
    how many and how long."""
    unique = list(dict.fromkeys(t.strip() for t in texts if t.strip()))
    random.Random(MIX_SEED).shuffle(unique)
    words = sum(len(t.split()) for t in unique)
    return unique, (
        f"{len(unique):,} distinct real news texts, {words / len(unique):,.0f} words each on average, "
        f"shuffled (seed {MIX_SEED})"
    )


_REUTERS_DOC = re.compile(r"<REUTERS\b.*?</REUTERS>", re.S)
_REUTERS_FIELD = {name: re.compile(rf"<{name}>(.*?)</{name}>", re.S) for name in ("TITLE", "BODY")}


def load_reuters() -> list[str]:
    """Reuters-21578's newswire stories with a body (1987; David D. Lewis's distribution, free for
    research use), from the ``reut2-*.sgm`` files in ``$CLAIMGRAPH_REUTERS_DIR`` (a copy of the UCI
    distribution's files; not in this repository). Each text is the story's title, a blank line and its
    body, with the closing "Reuter" signature and SGML escapes taken off; stories without a body (briefs,
    unprocessed wires) are left out."""
    folder = os.environ.get("CLAIMGRAPH_REUTERS_DIR")
    files = sorted(Path(folder).glob("reut2-[0-9][0-9][0-9].sgm")) if folder else []
    if not files:
        sys.exit("Reuters-21578 files (reut2-NNN.sgm) not found: set CLAIMGRAPH_REUTERS_DIR to their folder")
    texts = []
    for path in files:
        for doc in _REUTERS_DOC.findall(path.read_text(encoding="latin-1")):
            body = _REUTERS_FIELD["BODY"].search(doc)
            if not body:
                continue
            title = _REUTERS_FIELD["TITLE"].search(doc)
            text = html.unescape(body.group(1)).replace("\x03", "").strip()
            text = re.sub(r"\s*\bReuters?\s*$", "", text, flags=re.I)
            head = html.unescape(title.group(1)).strip() if title else ""
            texts.append(f"{head}\n\n{text}" if head else text)
    return texts


def load_with_reuters() -> tuple[list[str], str]:
    """``--corpus fnc1-all+reuters``: ``fnc1-all`` (4,234 texts) plus Reuters-21578's stories
    (:func:`load_reuters`), each distinct text once, shuffled with :data:`MIX_SEED`: enough real news
    for the 10,000-document figures of issue 12. Reuters' wires are shorter than FNC-1's bodies."""
    texts, _ = load_all_texts()
    reuters = load_reuters()
    unique, what = distinct_mix(texts + reuters)
    return (
        unique,
        f"fnc1-all ({len(texts):,}) + Reuters-21578 stories with a body ({len(reuters):,}) = {what}",
    )


def load_bodies(limit: int | None = None) -> list[str]:
    root = Path(__file__).resolve().parents[1]
    folder = Path(os.environ.get("CLAIMGRAPH_FNC1_DIR", root.parent / "shared" / "data" / "fnc1"))
    path = folder / "train_bodies.csv"
    if not path.is_file():
        sys.exit(f"FNC-1 bodies not found at {path}: set CLAIMGRAPH_FNC1_DIR")
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", newline="") as fh:
        bodies = [row["articleBody"] for row in csv.DictReader(fh)]
    return bodies[:limit] if limit else bodies


def cpu() -> float:
    """CPU seconds (user + system) of this process and its finished children."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def system_cpu() -> float:
    """The kernel's part of :func:`cpu` (system time of this process and its finished children): on this VM
    mostly the zeroing of freshly touched memory pages (see ``docs/scale.md``, "eighth session")."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_stime + kids.ru_stime


def minor_faults() -> int:
    """Minor page faults of this process and its finished children (a page of memory touched for the first
    time)."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_minflt + kids.ru_minflt


def load() -> str:
    return "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


class Timer:
    """CPU and wall seconds per named part of one run."""

    def __init__(self) -> None:
        self.cpu: dict[str, float] = {}
        self.wall: dict[str, float] = {}
        self.system: dict[str, float] = {}
        """The system (kernel) part of :attr:`cpu` per part."""
        self.faults: dict[str, int] = {}
        """Minor page faults per part."""
        self.store_rows: dict[str, int] | None = None
        self.open: list[str] = []
        """The parts being timed, innermost last (a garbage collection is counted to the innermost)."""

    @contextmanager
    def part(self, name: str) -> Iterator[None]:
        c0, w0, s0, f0 = cpu(), time.perf_counter(), system_cpu(), minor_faults()
        self.open.append(name)
        try:
            yield
        finally:
            self.open.pop()
            self.cpu[name] = self.cpu.get(name, 0.0) + cpu() - c0
            self.wall[name] = self.wall.get(name, 0.0) + time.perf_counter() - w0
            self.system[name] = self.system.get(name, 0.0) + system_cpu() - s0
            self.faults[name] = self.faults.get(name, 0) + minor_faults() - f0


#: parts of "ingest+dedup" (what analyze does outside the stages and the store's analysis write), timed
#: on their own: reading and storing the inputs, loading the documents back, MinHash de-duplication, the
#: analysis fingerprint; "ingest other" is the remainder (opening the store, the prefetch pool, ...)
INGEST_PARTS = ("ingest read+store", "ingest load docs", "ingest dedup", "ingest fingerprint")


@contextmanager
def timed_pipeline(timer: Timer) -> Iterator[None]:
    """Time every stage and the store's analysis write inside ``claimgraph.analyze``, the parts of what
    is outside them (:data:`INGEST_PARTS`), and Python's garbage collections (``gc`` CPU, wherever they
    fall: their cost grows with the number of live objects, so a growing heap can make any stage look
    super-linear)."""
    import gc

    import claimgraph.pipeline as pipeline_module
    from claimgraph.stages import Pipeline, StageInfo
    from claimgraph.store import Store

    original_stage = StageInfo.__call__
    original_pipeline = Pipeline.__call__
    original_save = Store.save_analysis
    original_documents = Store.documents
    originals = {
        name: getattr(pipeline_module, name)
        for name in ("_ingest", "_mark_duplicates", "analysis_fingerprint")
    }
    parts = dict(zip(originals, ("ingest read+store", "ingest dedup", "ingest fingerprint"), strict=True))

    def call_stage(self: Any, corpus: Any, ctx: Any) -> None:
        with timer.part(STAGE_NAMES.get(self.name, self.name)):
            original_stage(self, corpus, ctx)

    def call_pipeline(self: Any, corpus: Any, ctx: Any) -> Any:
        for info in self.stages:
            info(corpus, ctx)
        with timer.part("sort"):
            corpus.sort()
        return corpus

    def save_analysis(self: Any, corpus: Any, **kwargs: Any) -> Any:
        with timer.part("store"):
            stats = original_save(self, corpus, **kwargs)
        timer.store_rows = stats
        return stats

    def documents(self: Any, *args: Any, **kwargs: Any) -> Any:
        with timer.part("ingest load docs"):
            return original_documents(self, *args, **kwargs)

    def wrap(name: str) -> Any:
        function = originals[name]

        def timed(*args: Any, **kwargs: Any) -> Any:
            with timer.part(parts[name]):
                return function(*args, **kwargs)

        return timed

    gc_start: list[float] = []

    def on_gc(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            gc_start.append(time.process_time())
        elif gc_start:
            spent = time.process_time() - gc_start.pop()
            timer.cpu["gc"] = timer.cpu.get("gc", 0.0) + spent
            where = f"gc:{timer.open[-1] if timer.open else 'other'}"
            timer.cpu[where] = timer.cpu.get(where, 0.0) + spent

    StageInfo.__call__ = call_stage  # type: ignore[method-assign]
    Pipeline.__call__ = call_pipeline  # type: ignore[method-assign]
    Store.save_analysis = save_analysis  # type: ignore[method-assign]
    Store.documents = documents  # type: ignore[method-assign]
    for name in originals:
        setattr(pipeline_module, name, wrap(name))
    gc.callbacks.append(on_gc)
    try:
        yield
    finally:
        gc.callbacks.remove(on_gc)
        StageInfo.__call__ = original_stage  # type: ignore[method-assign]
        Pipeline.__call__ = original_pipeline  # type: ignore[method-assign]
        Store.save_analysis = original_save  # type: ignore[method-assign]
        Store.documents = original_documents  # type: ignore[method-assign]
        for name, function in originals.items():
            setattr(pipeline_module, name, function)


def write_inputs(bodies: list[str], folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i, body in enumerate(bodies):
        (folder / f"fnc1-body-{i:05d}.txt").write_text(body, encoding="utf-8")
    return folder


def run_analyze(
    inputs: Path, out: Path, jobs: int, model: str, formats: tuple[str, ...], profile: str | None = None
) -> tuple[Timer, Any]:
    """One ``analyze`` into the workspace ``out`` (fresh unless it exists: then the run is incremental),
    then each output format timed on its own."""
    from claimgraph import analyze
    from claimgraph.options import Options
    from claimgraph.outputs import write_outputs

    options = Options(spacy_model=model, n_process=jobs, progress=False, formats=())
    timer = Timer()
    profiler: Any = None
    if profile:
        import cProfile

        profiler = cProfile.Profile(time.process_time)  # CPU: the machine may be shared
    with timed_pipeline(timer), timer.part("analyze"):
        if profiler is not None:
            profiler.enable()
        result = analyze([str(inputs)], out, options=options)
        if profiler is not None:
            profiler.disable()
    for fmt in formats:
        with timer.part(f"out:{fmt}"):
            write_outputs(result.corpus, out, options.replace(formats=formats), formats=[fmt])
    if profiler is not None:
        assert profile is not None
        profiler.dump_stats(profile)
    return timer, result


def replay_analyze(inputs: Path, workspace: Path, out: Path, model: str) -> Timer:
    """``analyze`` again over a copy of ``workspace`` that keeps only its annotation cache (documents,
    analysis, memos and file records dropped): every document is read and stored again and every
    corpus-wide stage recomputed from scratch, but the spaCy pass is a cache read. Times what is *not*
    the model, per stage, without the model's CPU (``--replay``)."""
    import sqlite3

    from claimgraph import analyze
    from claimgraph.options import Options

    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    source = sqlite3.connect(workspace / "claimgraph.db")
    target = sqlite3.connect(out / "claimgraph.db")
    source.backup(target)
    source.close()
    keep = {"meta", "annotations"}
    tables = [r[0] for r in target.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    for table in tables:
        if table not in keep:
            target.execute(f'DELETE FROM "{table}"')
    target.execute("DELETE FROM annotations WHERE key NOT LIKE 'attribution.%'")  # MinHash redone
    target.commit()
    target.close()
    timer = Timer()
    options = Options(spacy_model=model, n_process=1, progress=False, formats=())
    with timed_pipeline(timer), timer.part("analyze"):
        analyze([str(inputs)], out, options=options)
    return timer


def bare_pipe(model: str, texts: list[str], batch_size: int = 32) -> float:
    """CPU seconds of the model's full pipeline over ``texts`` (loaded beforehand)."""
    import spacy

    nlp = _bare_model(model, spacy)
    c0 = cpu()
    for _ in nlp.pipe(texts, batch_size=batch_size):
        pass
    return cpu() - c0


_BARE: dict[str, Any] = {}


def _bare_model(model: str, spacy: Any) -> Any:
    if model not in _BARE:
        from claimgraph.attribution.nlp import index_lemma_tables

        _BARE[model] = spacy.load(model)
        # The same model as claimgraph runs it: its rule lemmatizer's word lists made constant-time
        # (same lemmas), so that speeding up the model's own component is not counted as a saving of
        # claimgraph's work against an unpatched baseline.
        index_lemma_tables(_BARE[model])
        list(_BARE[model].pipe(["Warm-up sentence, said a spokesperson."]))
    return _BARE[model]


def warm_up(model: str) -> None:
    from claimgraph.attribution.nlp import load_pipeline

    list(load_pipeline(model).pipe(["Warm-up sentence, said a spokesperson on Monday."]))


WARM_UP_DOCUMENTS = 20


def warm_up_run(bodies: list[str], root: Path, model: str) -> None:
    """One analyze of the last ``WARM_UP_DOCUMENTS`` FNC-1 bodies (never among the measured ones) in this
    process, so that the measured runs do not pay imports and model loads (stance model, vocabularies,
    the claims stage's tables): those are once per process, not per document."""
    inputs = write_inputs(bodies[-WARM_UP_DOCUMENTS:], root / "in-warm")
    c0 = cpu()
    run_analyze(inputs, root / "out-warm", 1, model, ())
    print(
        f"warm-up analyze of {WARM_UP_DOCUMENTS} other bodies: {cpu() - c0:.1f} s CPU (imports, model loads)"
    )


def exponent(n1: int, t1: float, n2: int, t2: float) -> float:
    if n1 == n2 or t1 <= 0 or t2 <= 0:
        return float("nan")
    return math.log(t2 / t1) / math.log(n2 / n1)


def report_exponents(
    sizes: list[int], results: dict[int, dict[str, float]], words: dict[int, int], summary: dict[str, str]
) -> None:
    """Each stage's growth exponent from the smallest to the largest size, against documents and
    against words (the mixed corpus's documents differ in length), and between consecutive sizes."""
    lo, hi = sizes[0], sizes[-1]
    names = ["ingest+dedup", "attribution", "claims", "provenance", "store", "analyze", "outputs"]
    names += [f"replay {n}" for n in names[:-1]]
    names += [*INGEST_PARTS, "gc", *(f"replay {p}" for p in (*INGEST_PARTS, "gc"))]
    names = [n for n in names if all(results[s].get(n, 0.0) > 0 for s in (lo, hi))]
    print(
        "\n== growth exponents (CPU; goal <= 1.1); words: "
        + ", ".join(f"{s:,} docs {words[s]:,}" for s in sizes)
    )
    steps = list(itertools.pairwise(sizes))
    header = "".join(f"  {a:,}->{b:,}" for a, b in steps) if len(steps) > 1 else ""
    print(
        f"  {'stage':26s} " + "  ".join(f"{s:>8,}" for s in sizes) + f"   docs {lo:,}->{hi:,}  words{header}"
    )
    for name in names:
        e = exponent(lo, results[lo][name], hi, results[hi][name])
        ew = exponent(words[lo], results[lo][name], words[hi], results[hi][name])
        each = (
            "".join(
                f"  {exponent(a, results[a][name], b, results[b][name]):>{len(f'{a:,}->{b:,}')}.2f}"
                for a, b in steps
            )
            if len(steps) > 1
            else ""
        )
        times = "  ".join(f"{results[s][name]:8.1f}" for s in sizes)
        print(f"  {name:26s} {times}   {e:13.2f}  {ew:5.2f}{each}")
        if name.removeprefix("replay ") in (*INGEST_PARTS, "gc"):
            continue  # diagnostics, not the figures
        summary[f"growth exponent {lo:,} -> {hi:,}: {name} (goal <= 1.1)"] = f"{e:.2f} (per word {ew:.2f})"


def report_run(n: int, timer: Timer, bare: float | None) -> None:
    c = timer.cpu
    analysis = c["analyze"]
    stages = ["attribution", "claims", "corrections", "provenance", "store", "sort"]
    ingest = analysis - sum(c.get(s, 0.0) for s in stages)
    print(f"\n== {n:,} documents (load average {load()})")
    print(f"analyze (no outputs): {analysis:8.1f} s CPU  {timer.wall['analyze']:8.1f} s wall")
    if bare is not None:
        print(
            f"bare nlp.pipe (full model):   {bare:8.1f} s CPU   ratio analyze/bare = {analysis / bare:.2f} (goal <= 1.1)"
        )
    print("per stage (CPU s, share of analyze):")
    for name, value in [("ingest+dedup", ingest)] + [(s, c.get(s, 0.0)) for s in stages]:
        print(f"  {name:14s} {value:8.1f}  {100 * value / analysis:5.1f}%")
        if name == "ingest+dedup":
            known = sum(c.get(p, 0.0) for p in INGEST_PARTS)
            print(
                "    of which: "
                + ", ".join(f"{p.split(' ', 1)[1]} {c.get(p, 0.0):.1f}" for p in INGEST_PARTS)
                + f", other {ingest - known:.1f} s"
            )
    if "gc" in c:
        print(f"  (Python's garbage collections, inside the parts above: {c['gc']:.1f} s CPU)")
    outs = {k.split(":", 1)[1]: v for k, v in c.items() if k.startswith("out:")}
    if outs:
        total = sum(outs.values())
        print("outputs (CPU s):  " + "  ".join(f"{k} {v:.1f}" for k, v in outs.items()))
        print(f"outputs total {total:.1f} s = {100 * total / analysis:.1f}% of the analysis (goal <= 10%)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process so far: {peak:,.0f} MB (includes the bare model)")


def per_stage(timer: Timer) -> dict[str, float]:
    c = timer.cpu
    stages = ["attribution", "claims", "corrections", "provenance", "store"]
    out = {s: c.get(s, 0.0) for s in stages}
    out["ingest+dedup"] = c["analyze"] - sum(c.get(s, 0.0) for s in [*stages, "sort"])
    out["analyze"] = c["analyze"]
    for part in INGEST_PARTS:
        out[part] = c.get(part, 0.0)
    out["gc"] = c.get("gc", 0.0)
    out["outputs"] = sum(v for k, v in c.items() if k.startswith("out:"))
    return out


def print_profile(path: str, top: int = 30) -> None:
    import pstats

    stats = pstats.Stats(path)
    total = max((v[3] for v in stats.stats.values()), default=1.0)  # type: ignore[attr-defined]
    print(f"\n== cProfile of analyze ({path}); total {total:.1f} s CPU (profiled)")
    for key in ("cumulative", "tottime"):
        print(f"-- top {top} by {key}")
        rows: list[tuple[float, float, str]] = []
        for (file, line, func), (_, _, tt, ct, _) in stats.stats.items():  # type: ignore[attr-defined]
            rows.append((tt if key == "tottime" else ct, ct, f"{_short(file)}:{line}({func})"))
        for value, _, where in sorted(rows, reverse=True)[:top]:
            print(f"  {value:8.2f} s {100 * value / total:5.1f}%  {where}")


def _short(file: str) -> str:
    for marker in ("site-packages/", "src/"):
        if marker in file:
            return file.split(marker, 1)[1]
    return file


@contextmanager
def timed_spacy_pass(timer: Timer) -> Iterator[None]:
    """Time the per-document spaCy pass (the part ``--jobs`` runs in workers) as ``spacy-pass``."""
    from claimgraph.attribution import stage as attribution

    original = attribution.annotate_documents

    def annotate(*args: Any, **kwargs: Any) -> Any:
        with timer.part("spacy-pass"):
            return original(*args, **kwargs)

    attribution.annotate_documents = annotate  # type: ignore[assignment]
    try:
        yield
    finally:
        attribution.annotate_documents = original  # type: ignore[assignment]


def self_cpu() -> float:
    """``time.process_time()``: CPU seconds of this process alone (not its workers)."""
    return time.process_time()


def report_cores(n: int, inputs: Path, root: Path, model: str) -> dict[str, float]:
    """Wall time of analyze (no outputs) with jobs 1 and jobs 2, each into a fresh workspace, after a
    warm-up run (imports, models) so that neither pays the start-up; and the CPU evidence that does not
    need an idle machine: the spaCy pass's share of the jobs-1 run (the parallel part ``p``), each
    worker's CPU in the jobs-2 run (the spaCy pass started while reading, ``claimgraph.prefetch``; the
    stance model's pairs, ``claimgraph.parallel.predict_in_workers``), this process's own CPU during and
    after the spaCy pass, and the wall time two free cores would give from them."""
    from claimgraph.parallel import LAST_RUN, RUNS, available_cores

    print(
        f"\n== 1 vs 2 cores on {n:,} documents (cores available {available_cores()}; load average {load()})"
    )
    walls: dict[int, float] = {}
    cpus: dict[int, Timer] = {}
    own: dict[int, tuple[float, float]] = {}  # this process: CPU at the start, CPU over the run
    for jobs in (1, 2):
        LAST_RUN.reset(0)
        for stats in RUNS.values():
            stats.reset(0)
        timer = Timer()
        start = self_cpu()
        with timed_spacy_pass(timer):
            t2, _ = run_analyze(inputs, root / f"out-{n}-jobs{jobs}", jobs, model, ())
        own[jobs] = (start, self_cpu() - start)
        t2.cpu.update(timer.cpu)
        t2.wall.update(timer.wall)
        walls[jobs], cpus[jobs] = t2.wall["analyze"], t2
        print(
            f"jobs {jobs}: {t2.wall['analyze']:.1f} s wall, {t2.cpu['analyze']:.1f} s CPU; spaCy pass in the "
            f"stage {t2.wall['spacy-pass']:.1f} s wall, {t2.cpu['spacy-pass']:.1f} s CPU (load average {load()})"
        )
    ratio = walls[2] / walls[1]
    print(f"wall ratio jobs 2 / jobs 1 = {ratio:.2f} (goal <= 0.6; meaningful on an idle machine only)")
    one = cpus[1].cpu
    p = one["spacy-pass"] / one["analyze"]
    amdahl = (1 - p) + p / 2
    print("CPU evidence (valid on a loaded machine):")
    print(
        f"  jobs 1: spaCy pass {one['spacy-pass']:.1f} of {one['analyze']:.1f} s CPU: p = {p:.2f}; "
        f"Amdahl bound with only the pass parallel (1 - p) + p/2 = {amdahl:.2f}"
    )
    start, main = own[2]
    annotate = RUNS.get("annotate")
    # the forked splits after the spaCy pass (split_map): the stance pairs, the statements' entity names
    splits = {name: stats for name, stats in RUNS.items() if name != "annotate"}
    pools = {"spaCy pass (stage)": LAST_RUN}
    if annotate is not None:
        pools["spaCy pass (prefetch)"] = annotate
    pools.update(splits)
    for name, stats in pools.items():
        if stats.processes > 1 and stats.worker_cpu:
            print(
                f"  jobs 2, {name}: {len(stats.worker_cpu)} workers, CPU "
                + ", ".join(f"{w:.1f}" for w in sorted(stats.worker_cpu.values(), reverse=True))
                + " s"
            )
    estimate = float("nan")
    if annotate is not None and annotate.processes > 1 and annotate.done_at:
        # phase A: this process reads, stores, deduplicates while the workers annotate; phase B: the rest
        main_a = annotate.done_at - start
        workers_a = sorted(annotate.worker_cpu.values(), reverse=True)
        wall_a = max(workers_a[0], main_a, (main_a + sum(workers_a)) / 2)
        main_b = main - main_a
        # each split after the pass: this process waits while its workers run, so its busiest worker counts
        busiest_split = sum(
            max(stats.worker_cpu.values())
            for stats in splits.values()
            if stats.processes > 1 and stats.worker_cpu
        )
        estimate = (wall_a + main_b + busiest_split) / one["analyze"]
        print(
            f"  jobs 2: this process {main:.1f} s CPU ({main_a:.1f} s while the workers annotated, "
            f"{main_b:.1f} s after); two free cores: max(busiest worker {workers_a[0]:.1f}, this process "
            f"{main_a:.1f}, half of both {(main_a + sum(workers_a)) / 2:.1f}) + {main_b:.1f} + busiest "
            f"worker of each split after the pass {busiest_split:.1f} = {wall_a + main_b + busiest_split:.1f} "
            f"s of the jobs-1 {one['analyze']:.1f} s: estimated wall ratio {estimate:.2f} (goal <= 0.6)"
        )
    elif LAST_RUN.processes > 1 and LAST_RUN.worker_cpu:
        serial2 = cpus[2].cpu["analyze"] - cpus[2].cpu["spacy-pass"]
        busiest = max(max(LAST_RUN.worker_cpu.values()), LAST_RUN.parent_cpu)
        estimate = (serial2 + busiest) / one["analyze"]
        print(
            f"  estimate (serial {serial2:.1f} s + busiest worker {busiest:.1f} s) / jobs-1 CPU = {estimate:.2f}"
        )
    else:
        print("  jobs 2 started no worker (too few documents for two batches per worker)")
    return {"wall_ratio": ratio, "p": p, "amdahl": amdahl, "estimate": estimate}


def _incremental_goal(n: int) -> str:
    """Issue 12's goal for adding documents to an ``n``-document workspace: 10% at 1,000, 5% at 10,000."""
    return "<= 0.05 at 10,000" if n >= 10_000 else "<= 0.10 at 1,000"


def report_incremental(
    n: int, k: int, bodies: list[str], inputs: Path, out: Path, full: Timer, model: str, args: Any
) -> float:
    """Add ``k`` bodies to the ``n``-document workspace ``out`` and rerun: CPU against the full run."""
    for i in range(n, n + k):
        (inputs / f"fnc1-body-{i:05d}.txt").write_text(bodies[i], encoding="utf-8")
    profile = args.profile if args.incremental_only else None
    timer, result = run_analyze(inputs, out, 1, model, tuple(args.formats), profile)
    c, f = timer.cpu, full.cpu
    outs_inc = sum(v for key, v in c.items() if key.startswith("out:"))
    outs_full = sum(v for key, v in f.items() if key.startswith("out:"))
    print(f"\n== incremental: {k} documents added to the {n:,}-document workspace (load average {load()})")
    print(f"documents added {result.added}; store rows {timer.store_rows or '(analysis reused)'}")
    print("per stage (CPU s, incremental vs full; ingest+dedup is analyze minus the stages and the store):")
    ci, fi = per_stage(timer), per_stage(full)
    for name in ["ingest+dedup", "attribution", "claims", "provenance", "store", "outputs"]:
        print(f"  {name:14s} {ci.get(name, 0.0):8.1f} vs {fi.get(name, 0.0):8.1f}")
    if "gc" in c:
        where = {key[3:]: v for key, v in c.items() if key.startswith("gc:") and v >= 0.05}
        print(
            f"  (garbage collections inside the parts above: {c['gc']:.1f} s CPU"
            + (": " + ", ".join(f"{key} {v:.1f}" for key, v in sorted(where.items())) if where else "")
            + ")"
        )
    ratio = c["analyze"] / f["analyze"]
    print(
        f"analyze: {c['analyze']:.1f} s CPU vs full {f['analyze']:.1f} s: ratio {ratio:.3f} (goal {_incremental_goal(n)})"
    )
    if "analyze" in timer.system:
        # the kernel's part: on this VM mostly zeroing freshly touched pages, whose cost moves with the host
        # (free page reporting hands freed pages back to it); the user part alone is the steadier figure
        sys_inc, faults = timer.system["analyze"], timer.faults.get("analyze", 0)
        line = f"  of which system (kernel) time {sys_inc:.1f} s, {faults:,} minor page faults ({faults * 4 // 1024:,} MB)"
        if "analyze" in full.system:
            user_ratio = (c["analyze"] - sys_inc) / (f["analyze"] - full.system["analyze"])
            line += (
                f"; full run's system time {full.system['analyze']:.1f} s; user-time ratio {user_ratio:.3f}"
            )
        print(line)
    if outs_full:
        both = (c["analyze"] + outs_inc) / (f["analyze"] + outs_full)
        print(
            f"analyze + outputs: {c['analyze'] + outs_inc:.1f} s vs {f['analyze'] + outs_full:.1f} s: ratio {both:.3f}"
        )
    return ratio


def pin_annotation_fingerprint(db: Path) -> str | None:
    """Serve the annotations cached in the store ``db`` to this code version: the attribution fingerprint of the
    cache keys is pinned to the one the store holds (as ``benchmarks/attribution_rerun.py`` does). Sound only
    when the per-document annotations did not change between the two versions; returns the pinned value."""
    import sqlite3

    from claimgraph.attribution import stage as attribution

    with sqlite3.connect(db) as conn:
        keys = [k for (k,) in conn.execute("SELECT DISTINCT key FROM annotations")]
    prints = sorted({k.split(":")[1] for k in keys if k.startswith(attribution.ANNOTATION_VERSION + ":")})
    if len(prints) != 1:
        sys.exit(
            f"--rebase: expected one {attribution.ANNOTATION_VERSION} fingerprint in {db}, found {prints}"
        )
    if prints[0] != attribution._code_fingerprint():
        attribution._code_fingerprint = lambda: prints[0]  # type: ignore[assignment]
        return prints[0]
    return None


def rebase(pristine: Path, run: Path, code: str, model: str, args: Any) -> None:
    """``--rebase``: bring a pristine full run made by another code version to this one without the spaCy
    pass: its annotations are served from the cache (fingerprint pinned) and one rerun with no new document
    recomputes every corpus-wide stage, memo and output under this code. The full run's CPU figures stay the
    original build's (the denominator of the ratio: the spaCy pass dominates it), so the ratio is marked."""
    meta = pristine / "full.json"
    old = json.loads(meta.read_text())
    shutil.rmtree(run, ignore_errors=True)
    shutil.copytree(pristine, run)
    (run / "full.json").unlink()
    pinned = pin_annotation_fingerprint(run / "out" / "claimgraph.db")
    timer, result = run_analyze(run / "in", run / "out", 1, model, tuple(args.formats))
    print(
        f"(--rebase: the {args.documents:,}-document run of code {old['code'][:12]} refreshed for code {code[:12]} "
        f"in {timer.cpu['analyze']:.1f} s CPU, {result.added} documents added; annotation fingerprint "
        f"{'pinned to ' + pinned if pinned else 'unchanged'}; the full run's CPU is the original build's)"
    )
    shutil.rmtree(pristine)
    shutil.copytree(run, pristine)
    old.update(code=code, rebased_from=old.get("rebased_from", old["code"]))
    meta.write_text(json.dumps(old))


def incremental_only(args: Any, bodies: list[str], model: str) -> float:
    """``--incremental-only``: the +K rerun against the full N-document run, the workspace kept in
    ``--workspace`` between calls (rebuilt when the code changed)."""
    from claimgraph.pipeline import _code_fingerprint

    n, k = args.documents, args.incremental
    ws = Path(args.workspace).resolve()
    run, pristine = ws / f"n{n}", ws / f"n{n}.pristine"
    meta = pristine / "full.json"
    code = _code_fingerprint()
    with tempfile.TemporaryDirectory(prefix="cg-e2e-") as tmp:
        warm_up_run(bodies, Path(tmp), model)
    if args.rebase and meta.is_file() and json.loads(meta.read_text()).get("code") != code:
        rebase(pristine, run, code, model, args)
    if not meta.is_file() or json.loads(meta.read_text()).get("code") != code:
        shutil.rmtree(run, ignore_errors=True)
        shutil.rmtree(pristine, ignore_errors=True)
        inputs = write_inputs(bodies[:n], run / "in")
        timer, _ = run_analyze(inputs, run / "out", 1, model, tuple(args.formats))
        report_run(n, timer, None)
        shutil.copytree(run, pristine)
        meta.write_text(json.dumps({"code": code, "cpu": timer.cpu, "system": timer.system}))
        print(f"(full run kept in {pristine} for later --incremental-only calls)")
    full = Timer()
    full.cpu = json.loads(meta.read_text())["cpu"]
    full.system = json.loads(meta.read_text()).get("system", {})  # builds before 2026-12-03 evening: none
    if json.loads(meta.read_text()).get("rebased_from"):
        pin_annotation_fingerprint(pristine / "out" / "claimgraph.db")
        print("(rebased workspace: the full run's CPU below is the original build's)")
    shutil.rmtree(run, ignore_errors=True)
    shutil.copytree(pristine, run)  # same absolute path: the store knows the input files by path
    (run / "full.json").unlink()
    return report_incremental(n, k, bodies, run / "in", run / "out", full, model, args)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "-n", "--documents", type=int, default=1000, help="documents for the main run (1,000)"
    )
    parser.add_argument("--sizes", type=int, nargs="*", default=[], help="sizes for growth exponents")
    parser.add_argument(
        "--no-cores", dest="cores", action="store_false", help="skip the jobs=2 vs jobs=1 runs"
    )
    parser.add_argument(
        "--cores-only",
        action="store_true",
        help="only the jobs=2 vs jobs=1 wall ratio on -n documents (run it on an idle machine)",
    )
    parser.add_argument(
        "--incremental",
        type=int,
        metavar="K",
        default=10,
        help="add K more bodies to the -n workspace and time that rerun against the full run (10; 0: skip)",
    )
    parser.add_argument(
        "--incremental-only",
        action="store_true",
        help="only the incremental figure, with the full run kept in --workspace between calls",
    )
    parser.add_argument("--workspace", metavar="DIR", help="where --incremental-only keeps the full run")
    parser.add_argument(
        "--rebase",
        action="store_true",
        help="with --incremental-only: a full run kept by another code version is refreshed from its cached "
        "annotations (no spaCy pass) instead of rebuilt; only sound when the annotations did not change",
    )
    parser.add_argument("--profile", metavar="FILE", help="cProfile the main analyze run into FILE")
    parser.add_argument("--formats", nargs="*", default=list(FORMATS), help="outputs to time (all)")
    parser.add_argument(
        "--corpus",
        choices=CORPORA,
        default="fnc1",
        help="fnc1: FNC-1 train bodies (1,683); fnc1+polnear: those plus PolNeAR train+dev (2,607, shuffled); "
        "fnc1-all: those plus FNC-1's unique train headlines as one-line documents (4,234 distinct texts); "
        "fnc1-all+reuters: those plus Reuters-21578's stories ($CLAIMGRAPH_REUTERS_DIR; about 21,000 texts)",
    )
    parser.add_argument(
        "--outputs-every-size",
        action="store_true",
        help="time the outputs at every size of --sizes (for their exponent), not only at -n",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=1,
        help="--jobs of the measured runs (1); CPU then includes the workers' (for exponents on a busy machine)",
    )
    parser.add_argument(
        "--replay",
        action="store_true",
        help="also time, at every size, analyze again from the cached annotations (what is not the model)",
    )
    parser.add_argument("--no-bare", action="store_true", help="skip the bare nlp.pipe baseline")
    parser.add_argument("--model", default=None)
    args = parser.parse_args(argv)

    from claimgraph.attribution.nlp import default_model_name

    model = args.model or default_model_name()
    bodies, what = load_corpus(args.corpus)
    sizes = sorted(set(args.sizes) | {args.documents})
    usable = len(bodies) - WARM_UP_DOCUMENTS  # the last bodies are the warm-up run's
    if max(sizes[-1], args.documents + args.incremental) > usable:
        sys.exit(f"{len(bodies):,} texts, {WARM_UP_DOCUMENTS} for the warm-up: sizes up to {usable:,}")
    print(f"model {model}; corpus: {what}; load average at start {load()}")
    warm_up(model)
    if args.incremental_only:
        if not args.workspace or not args.incremental:
            sys.exit("--incremental-only needs --workspace DIR and --incremental K > 0")
        ratio = incremental_only(args, bodies, model)
        if args.profile:
            print_profile(args.profile)
        print(
            f"\n== summary: incremental {args.incremental} of {args.documents:,}, CPU (goal {_incremental_goal(args.documents)}) {ratio:.3f}"
        )
        return 0
    if args.cores_only:
        with tempfile.TemporaryDirectory(prefix="cg-e2e-") as tmp:
            root = Path(tmp)
            warm_up_run(bodies, root, model)
            report_cores(args.documents, write_inputs(bodies[: args.documents], root / "in"), root, model)
        return 0
    results: dict[int, dict[str, float]] = {}
    words: dict[int, int] = {}
    summary: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="cg-e2e-") as tmp:
        root = Path(tmp)
        warm_up_run(bodies, root, model)
        for n in sizes:
            texts = bodies[:n]
            inputs = write_inputs(texts, root / f"in-{n}")
            is_main = n == args.documents
            bare_before = None if args.no_bare or not is_main else bare_pipe(model, texts)
            timer, _ = run_analyze(
                inputs,
                root / f"out-{n}",
                args.jobs,
                model,
                tuple(args.formats) if is_main or args.outputs_every_size else (),
                args.profile if is_main else None,
            )
            bare = None
            if bare_before is not None:
                bare = (bare_before + bare_pipe(model, texts)) / 2
            report_run(n, timer, bare)
            results[n] = per_stage(timer)
            words[n] = sum(len(t.split()) for t in texts)
            if args.replay:
                again = per_stage(replay_analyze(inputs, root / f"out-{n}", root / f"replay-{n}", model))
                results[n].update({f"replay {k}": v for k, v in again.items() if k != "outputs"})
                print(
                    "replay from cached annotations (CPU s): "
                    + "  ".join(f"{k} {v:.1f}" for k, v in again.items() if k != "outputs")
                )
            if not is_main:
                continue
            if bare is not None:
                summary["analyze / bare nlp.pipe CPU (goal <= 1.1)"] = f"{timer.cpu['analyze'] / bare:.2f}"
            if results[n]["outputs"]:
                share = results[n]["outputs"] / results[n]["analyze"]
                summary["outputs' share of the analysis, CPU (goal <= 0.10)"] = f"{share:.3f}"
            if args.incremental:
                ratio = report_incremental(
                    n, args.incremental, bodies, inputs, root / f"out-{n}", timer, model, args
                )
                summary[f"incremental {args.incremental} of {n:,}, CPU (goal {_incremental_goal(n)})"] = (
                    f"{ratio:.3f}"
                )
            if args.cores:
                cores = report_cores(n, write_inputs(texts, root / "in-cores"), root, model)
                summary["jobs 2 / jobs 1 wall (goal <= 0.6; idle machine only)"] = (
                    f"{cores['wall_ratio']:.2f}"
                )
                summary["  the same from CPU (serial + busiest worker)"] = f"{cores['estimate']:.2f}"
        if len(sizes) > 1:
            report_exponents(sizes, results, words, summary)
    if args.profile:
        print_profile(args.profile)
    print(f"\n== summary ({args.documents:,} documents; load average at the end {load()})")
    for name, value in summary.items():
        print(f"  {name:62s} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
