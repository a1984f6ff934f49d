"""The pipeline: named stages over one :class:`~claimgraph.model.Corpus`.

Like spaCy's components, each stage declares what it ``reads`` and what it ``assigns`` and is
registered under a versioned name in ``registry.stages``; :func:`analyze` runs ingest, then the
stages in order, then the exporters::

    ingest  ->  claimgraph.attribution.v1  ->  claimgraph.claims.v1  ->  claimgraph.provenance.v1  ->  outputs
    (files)     entities, sources,            claims, stance,           origins, independence,         json, stix,
                statements, certainty         claim_id                  circularity, grades,           graphml, csv,
                                                                        relations, network, timeline   html
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputProblem
from .model import Corpus
from .options import Options
from .registry import registry

__all__ = [
    "DEFAULT_STAGES",
    "AnalysisResult",
    "RunContext",
    "StageInfo",
    "analyze",
    "run_stages",
    "stage",
]

DEFAULT_STAGES: tuple[str, ...] = (
    "claimgraph.attribution.v1",
    "claimgraph.claims.v1",
    "claimgraph.provenance.v1",
)

ProgressFn = Callable[[int], None]


def _no_progress(n: int = 1) -> None:
    return None


@dataclass
class RunContext:
    """What a stage gets besides the corpus: the options, a progress hook and the store's cache."""

    options: Options
    _progress: Any = None
    cache: Any = None
    """A :class:`claimgraph.store.Store` (per-document annotation cache) or ``None``."""
    on_problem: Callable[[InputProblem], None] | None = None
    """Where a stage reports a document it had to skip (see :meth:`document_failed`)."""

    def document_failed(self, path: str, stage: str, reason: str) -> None:
        """Record that ``stage`` failed on the document at ``path`` and skipped it (one line, ``E302``)."""
        from .errors import Errors, InputError
        from .safety import display_path

        problem = InputError(
            display_path(path), Errors.E302, stage=stage, reason=" ".join(reason.split())
        ).problem
        if self.on_problem is not None:
            self.on_problem(problem)

    @contextmanager
    def task(self, description: str, total: int | None, unit: str = "docs") -> Iterator[ProgressFn]:
        """A progress task; yields ``advance(n)``. Silent when no progress bar is shown.

        ``total`` is the count when known (shown as ``done/total``); ``unit`` names what is counted
        (shown in the rate, e.g. ``12.3 docs/s``). A spinner turns until the task ends, so a stage
        that is busy before its first step (loading a model) visibly is.
        """
        if self._progress is None:
            yield _no_progress
            return
        progress = self._progress
        task_id = progress.add_task(description, total=total, unit=unit)

        def advance(n: int = 1) -> None:
            progress.advance(task_id, n)

        try:
            yield advance
        finally:
            # a task of unknown length is complete when its stage ends: stop the pulsing bar
            done = next(t.completed for t in progress.tasks if t.id == task_id)
            progress.update(task_id, total=max(done, 1), completed=max(done, 1))


@dataclass(frozen=True)
class StageInfo:
    name: str
    reads: tuple[str, ...]
    assigns: tuple[str, ...]
    func: Callable[[Corpus, RunContext], None]

    def __call__(self, corpus: Corpus, ctx: RunContext) -> None:
        self.func(corpus, ctx)


def stage(
    name: str, *, reads: Sequence[str], assigns: Sequence[str]
) -> Callable[[Callable[[Corpus, RunContext], None]], StageInfo]:
    """Register a pipeline stage under ``name`` with the fields it reads and assigns."""

    def decorator(func: Callable[[Corpus, RunContext], None]) -> StageInfo:
        info = StageInfo(name=name, reads=tuple(reads), assigns=tuple(assigns), func=func)
        registry.stages.register(name, info)
        return info

    return decorator


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


def run_stages(corpus: Corpus, ctx: RunContext, stages: Sequence[str] = DEFAULT_STAGES) -> Corpus:
    for name in stages:
        info = registry.stages.get(name)
        info(corpus, ctx)
    corpus.sort()
    return corpus


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


def analyze(
    inputs: Sequence[str | Path],
    out: str | Path | None = None,
    *,
    db: str | None = None,
    options: Options | None = None,
    stages: Sequence[str] = DEFAULT_STAGES,
    on_problem: Callable[[InputProblem], None] | None = None,
    feeds: Sequence[str] = (),
) -> AnalysisResult:
    """Ingest ``inputs`` into the workspace store, analyse the whole workspace and write the outputs.

    ``out`` is the output folder (``claimgraph.json`` and friends); ``db`` a SQLAlchemy URL or a
    path, by default ``OUT/claimgraph.db``. Files that cannot be read are reported through
    ``on_problem`` and in ``result.problems``; the run goes on with the others. ``http(s)://`` inputs and
    ``feeds`` (feed URLs) are fetched, with HTTP caching in the store (see ``docs/ingest.md``).
    """
    from .ingest import iter_documents, mark_duplicates
    from .outputs import write_outputs
    from .safety import admit
    from .store import Store, default_db_url, workspace_lock

    options = options or Options()
    out_dir = Path(out) if out is not None else None
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
    db_url = db or default_db_url(out_dir)
    problems: list[InputProblem] = []
    skipped: Counter[str] = Counter()
    added = seen = 0
    progress = _progress_bar(options.progress)

    def waiting() -> None:
        print(
            f"claimgraph: the workspace is busy with another run; waiting up to {options.lock_wait:g} s",
            file=sys.stderr,
            flush=True,
        )

    with workspace_lock(db_url, options.lock_wait, on_wait=waiting), Store.open(db_url) as store:
        store.begin_run()

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
                for item in iter_documents(
                    [str(i) for i in inputs], options, skipped, feeds=feeds, http_cache=store
                ):
                    item = admit(item, options)
                    if isinstance(item, InputProblem):
                        report(item)
                        continue
                    seen += 1
                    if store.add_document(item):
                        added += 1
                    advance(1)
            documents = store.documents(
                on_damaged=lambda doc_id, error: ctx.document_failed(doc_id, "store", str(error))
            )
            duplicates = mark_duplicates(documents, options)
            store.set_duplicates(duplicates)
            for doc in documents:
                doc.duplicate_of = duplicates.get(doc.id)
            corpus = Corpus(documents=documents, problems=[p.to_dict() for p in store.problems()])
            run_stages(corpus, ctx, stages)
            corpus.problems = [p.to_dict() for p in store.problems()]
            with ctx.task("saving the workspace", total=1, unit="steps") as advance:
                store.save_analysis(corpus)
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
                with ctx.task("writing outputs", total=len(options.formats), unit="files") as advance:
                    for fmt in options.formats:
                        result.written.extend(write_outputs(corpus, out_dir, options, [fmt]))
                        advance(1)
        finally:
            if progress is not None:
                progress.stop()
    return result
