"""The stage framework: named stages over one :class:`~claimgraph.model.Corpus`, checked when built.

Like spaCy's components, each stage declares what it ``reads`` and what it ``assigns`` (corpus fields,
``"statements"``, or fields of their items, ``"statements.stance"``) and is registered under a
versioned name in ``registry.stages`` by the :func:`stage` decorator. :func:`build_pipeline` looks the
names up and **checks the declarations before anything runs**: every field a stage reads must be an
input field (``documents``, ``problems``) or assigned by an earlier stage, and a stage's declared
reads and assigns must name corpus fields. :func:`run_stages` builds, then runs the stages in order.
:func:`claimgraph.pipeline.analyze` (ingest -> stages -> store -> outputs) is built on this module.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from .errors import ConfigError, InputProblem
from .model import Corpus
from .options import Options
from .registry import registry

__all__ = [
    "DEFAULT_STAGES",
    "IMPLICIT_BEFORE",
    "INPUT_FIELDS",
    "Pipeline",
    "PipelineError",
    "RunContext",
    "StageInfo",
    "build_pipeline",
    "run_stages",
    "stage",
]

DEFAULT_STAGES: tuple[str, ...] = (
    "claimgraph.attribution.v1",
    "claimgraph.claims.v1",
    "claimgraph.provenance.v1",
)
#: A stage run just before another whenever that one runs (and it is not named already): analysts'
#: corrections from a shared workspace (:mod:`claimgraph.workspace.correcting`) are applied after the claims
#: and before provenance, so grades follow them. It does nothing without a workspace store.
IMPLICIT_BEFORE: dict[str, str] = {"claimgraph.provenance.v1": "claimgraph.corrections.v1"}
#: Corpus fields filled before the first stage (by ingest).
INPUT_FIELDS: frozenset[str] = frozenset({"documents", "problems"})

ProgressFn = Callable[[int], None]


class PipelineError(ConfigError):
    """A pipeline whose stages' declarations do not fit together."""


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
    saved: dict[str, Any] = dataclasses.field(default_factory=dict)
    """``corpus_data`` entries a stage asks to be saved with its analysis (key -> JSON value; read back
    with ``Store.corpus_value``)."""

    def document_failed(self, path: str, stage: str, reason: str) -> None:
        """Record that ``stage`` failed on the document at ``path`` and skipped it (one line, ``E302``)."""
        import re

        from .errors import Errors, InputError, InputProblem
        from .safety import display_path

        reason = " ".join(reason.split())
        coded = re.match(r"\[(E311)\] (.+)", reason)  # over the memory budget: its own code, not E302
        if coded is not None:
            problem = InputProblem(display_path(path), coded.group(1), coded.group(2))
        else:
            problem = InputError(display_path(path), Errors.E302, stage=stage, reason=reason).problem
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


def _top(field_path: str) -> str:
    return field_path.split(".", 1)[0]


@dataclass(frozen=True)
class Pipeline:
    """Stages whose declarations were checked (:func:`build_pipeline`), ready to run in order."""

    stages: tuple[StageInfo, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.stages)

    def __call__(self, corpus: Corpus, ctx: RunContext) -> Corpus:
        from .isolation import run_isolated  # a failure due to some documents skips them (E302)

        run_isolated(self.stages, corpus, ctx)
        corpus.sort()
        return corpus


def build_pipeline(
    stages: Sequence[str] = DEFAULT_STAGES, *, inputs: frozenset[str] = INPUT_FIELDS
) -> Pipeline:
    """Look the stages up and check their declarations; raises :class:`PipelineError` naming the
    stage and the field when a stage reads a field no earlier stage assigns, or declares a field the
    corpus does not have."""
    corpus_fields = {f.name for f in dataclasses.fields(Corpus)}
    available = set(inputs)
    infos: list[StageInfo] = []
    names: list[str] = []
    for name in stages:
        implicit = IMPLICIT_BEFORE.get(name)
        if implicit is not None and implicit not in stages and implicit not in names:
            names.append(implicit)
        names.append(name)
    for name in names:
        info = registry.stages.get(name)
        if not isinstance(info, StageInfo):
            raise PipelineError(f"{name!r} is registered as a stage but was not made by @stage")
        for declared in (*info.reads, *info.assigns):
            if _top(declared) not in corpus_fields:
                raise PipelineError(f"stage {name!r} declares {declared!r}, which is not a corpus field")
        missing = [r for r in info.reads if r not in available and _top(r) not in available]
        if missing:
            raise PipelineError(
                f"stage {name!r} reads {', '.join(missing)}, which no earlier stage assigns "
                f"(stages before it: {', '.join(i.name for i in infos) or 'none'})"
            )
        available.update(info.assigns)
        available.update(_top(a) for a in info.assigns if "." not in a)
        infos.append(info)
    return Pipeline(tuple(infos))


def run_stages(corpus: Corpus, ctx: RunContext, stages: Sequence[str] = DEFAULT_STAGES) -> Corpus:
    """Build the pipeline of ``stages`` (checked: the corpus's non-empty fields count as inputs) and
    run it over ``corpus``."""
    present = {f.name for f in dataclasses.fields(Corpus) if getattr(corpus, f.name)}
    return build_pipeline(stages, inputs=INPUT_FIELDS | present)(corpus, ctx)
