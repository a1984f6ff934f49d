"""Background jobs: a job table in the store and the worker that runs them.

A job is queued by :meth:`Jobs.enqueue` (the server, on an upload or a list of URLs), claimed by exactly
one worker (:meth:`Jobs.claim_next`: ``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL, and on every
database a conditional ``UPDATE … WHERE status = 'queued'`` whose row count says who won), run
(:meth:`Jobs.run_one`: :func:`claimgraph.pipeline.analyze` over the workspace, reporting progress to the
job's row) and finished as ``done`` or ``failed`` with a one-line error. A worker that died leaves its
job ``running`` with a heartbeat that stops moving; after :data:`STALE_SECONDS` another worker takes it.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, get_args

import sqlalchemy as sa

from ..errors import ClaimgraphError, Errors, WorkspaceError
from ..store import _tables as t
from ._base import Part, as_json, invalid, missing, now

if TYPE_CHECKING:
    from ._workspace import Workspace
    from .accounts import User

__all__ = ["JOB_KINDS", "STALE_SECONDS", "Job", "JobKind", "JobStatus", "Jobs", "worker_id"]

JobKind = Literal["analyze_files", "analyze_urls", "reanalyse"]
JobStatus = Literal["queued", "running", "done", "failed"]
JOB_KINDS: tuple[str, ...] = get_args(JobKind)

#: A running job whose heartbeat is older than this (seconds) is taken over by another worker.
STALE_SECONDS = 300.0
#: How often (seconds) a running job's heartbeat is written.
HEARTBEAT_SECONDS = 15.0
#: Progress is written to the job's row at most this often (seconds).
PROGRESS_EVERY = 0.5
#: Most URLs or files one job takes.
MAX_ITEMS = 10_000


@dataclass(frozen=True)
class Job:
    id: int
    kind: str
    status: str
    payload: dict[str, Any]
    user_id: int | None
    created: str
    started: str | None
    finished: str | None
    heartbeat: str | None
    worker: str | None
    done: int
    total: int | None
    """``None`` while the current step's size is unknown."""
    message: str
    """What the job is doing now (the current step), or how it ended."""
    error: str | None
    result: dict[str, Any] | None
    """For analyses: ``added``, ``seen``, ``problems`` (up to 200 ``{path, code, reason}``), ``documents``,
    ``statements``, ``claims``."""

    @property
    def finished_ok(self) -> bool:
        return self.status == "done"

    @property
    def active(self) -> bool:
        return self.status in ("queued", "running")


def _job(row: Any) -> Job:
    payload = as_json(row.payload)
    result = as_json(row.result) if row.result is not None else None
    return Job(
        id=int(row.id),
        kind=row.kind,
        status=row.status,
        payload=payload if isinstance(payload, dict) else {},
        user_id=row.user_id,
        created=row.created,
        started=row.started,
        finished=row.finished,
        heartbeat=row.heartbeat,
        worker=row.worker,
        done=int(row.done or 0),
        total=row.total,
        message=row.message or "",
        error=row.error,
        result=result if isinstance(result, dict) else None,
    )


def worker_id() -> str:
    """``host:pid:thread`` of the calling thread."""
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


def _stale_before(seconds: float) -> str:
    from datetime import UTC, datetime, timedelta

    moment = datetime.now(UTC) - timedelta(seconds=seconds)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class Jobs(Part):
    """``ws.jobs``: enqueue, look up, claim, run, report progress."""

    def __init__(self, store: Any, workspace: Workspace) -> None:
        super().__init__(store)
        self.workspace = workspace

    # ------------------------------------------------------------------ queue
    def enqueue(self, kind: str, payload: dict[str, Any], user: User | None) -> Job:
        """Queue a job; ``E403`` for an unknown kind or a malformed payload, ``E404`` for a file outside the
        workspace's upload folder, ``E405`` for a reader (``user=None``: the system). Kinds and payloads:

        - ``analyze_files``: ``{"paths": [...]}``, files saved by :meth:`Workspace.save_upload`;
        - ``analyze_urls``: ``{"urls": [...], "feeds": [...]}``, ``http(s)://`` pages and feeds (fetched
          with :mod:`claimgraph.ingest.fetch`, HTTP caching in the store);
        - ``reanalyse``: ``{}``, the whole workspace analysed again (after a code or model update).
        """
        if user is not None:
            from .corrections import require_writer

            require_writer(user, "add documents or run analyses")
        clean = self._check(kind, payload)
        with self.begin() as conn:
            result = conn.execute(
                t.ws_jobs.insert().values(
                    kind=kind,
                    status="queued",
                    payload=clean,
                    user_id=None if user is None else user.id,
                    created=now(),
                    done=0,
                    message="queued",
                )
            )
            job_id = int(result.inserted_primary_key[0])  # type: ignore[index]
        self.workspace.audit.record(user, "job.enqueue", str(job_id), {"kind": kind, **_summary(clean)})
        return self._require(job_id)

    def _check(self, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        if kind not in JOB_KINDS:
            raise invalid("job kind", f"{kind!r}; expected one of {', '.join(JOB_KINDS)}")
        if not isinstance(payload, dict):
            raise invalid("job payload", "expected an object")
        if kind == "analyze_files":
            paths = _strings(payload.get("paths"), "paths")
            if not paths:
                raise invalid("job payload", "'paths' names no file")
            return {"paths": [str(self.workspace.upload_path(p)) for p in paths]}
        if kind == "analyze_urls":
            urls = _strings(payload.get("urls", []), "urls")
            feeds = _strings(payload.get("feeds", []), "feeds")
            for url in (*urls, *feeds):
                if not url.startswith(("http://", "https://")) or len(url) > 4096:
                    raise invalid("job payload", f"{url[:200]!r} is not an http(s) URL")
            if not urls and not feeds:
                raise invalid("job payload", "no URL or feed")
            return {"urls": urls, "feeds": feeds}
        return {}

    def get(self, job_id: int) -> Job | None:
        with self.connect() as conn:
            row = conn.execute(sa.select(t.ws_jobs).where(t.ws_jobs.c.id == job_id)).first()
        return None if row is None else _job(row)

    def _require(self, job_id: int) -> Job:
        job = self.get(job_id)
        if job is None:
            raise missing("job", job_id)
        return job

    def list(self, limit: int = 50, offset: int = 0, *, status: str | None = None) -> list[Job]:
        """Jobs newest first (``status`` filters)."""
        query = sa.select(t.ws_jobs).order_by(t.ws_jobs.c.id.desc())
        if status is not None:
            query = query.where(t.ws_jobs.c.status == status)
        query = query.limit(max(0, int(limit))).offset(max(0, int(offset)))
        with self.connect() as conn:
            return [_job(r) for r in conn.execute(query)]

    # ------------------------------------------------------------------ claiming
    def claim_next(self, worker: str | None = None, *, stale_seconds: float = STALE_SECONDS) -> Job | None:
        """Take the oldest queued job (or a running one whose worker stopped beating), mark it ``running``
        for ``worker`` and return it; ``None`` when there is nothing to do. Exactly one of several
        concurrent callers gets a given job."""
        worker = worker or worker_id()
        for _ in range(20):  # lost races: another worker took the candidate first
            stamp = now()
            stale = _stale_before(stale_seconds)
            waiting = sa.or_(
                t.ws_jobs.c.status == "queued",
                sa.and_(t.ws_jobs.c.status == "running", t.ws_jobs.c.heartbeat < stale),
            )
            with self.begin() as conn:
                query = sa.select(t.ws_jobs.c.id, t.ws_jobs.c.status).where(waiting).order_by(t.ws_jobs.c.id)
                query = query.limit(1)
                if self.dialect == "postgresql":
                    query = query.with_for_update(skip_locked=True)
                row = conn.execute(query).first()
                if row is None:
                    return None
                job_id, status = int(row.id), row.status
                condition = (
                    t.ws_jobs.c.status == "queued"
                    if status == "queued"
                    else sa.and_(t.ws_jobs.c.status == "running", t.ws_jobs.c.heartbeat < stale)
                )
                taken = conn.execute(
                    t.ws_jobs.update()
                    .where(t.ws_jobs.c.id == job_id, condition)
                    .values(
                        status="running",
                        worker=worker,
                        started=stamp,
                        heartbeat=stamp,
                        done=0,
                        total=None,
                        message="started" if status == "queued" else "taken over from a stopped worker",
                    )
                )
                if taken.rowcount != 1:
                    continue
            return self._require(job_id)
        return None

    # ------------------------------------------------------------------ progress
    def progress(self, job_id: int, done: int, total: int | None, message: str) -> None:
        """Report a running job's progress (and beat its heartbeat)."""
        with self.begin() as conn:
            conn.execute(
                t.ws_jobs.update()
                .where(t.ws_jobs.c.id == job_id)
                .values(done=int(done), total=total, message=message[:500], heartbeat=now())
            )

    def _beat(self, job_id: int) -> None:
        with self.begin() as conn:
            conn.execute(t.ws_jobs.update().where(t.ws_jobs.c.id == job_id).values(heartbeat=now()))

    def _finish(self, job_id: int, *, error: str | None, result: dict[str, Any] | None, message: str) -> Job:
        with self.begin() as conn:
            conn.execute(
                t.ws_jobs.update()
                .where(t.ws_jobs.c.id == job_id)
                .values(
                    status="failed" if error else "done",
                    finished=now(),
                    heartbeat=now(),
                    error=error,
                    result=result,
                    message=message[:500],
                )
            )
        return self._require(job_id)

    # ------------------------------------------------------------------ running
    def run_one(self, job: Job) -> Job:
        """Run a claimed job to its end; returns it ``done`` or ``failed`` (a failure is recorded, never
        raised, except ``KeyboardInterrupt``/``SystemExit``)."""
        beat_stop = threading.Event()

        def heartbeat() -> None:
            while not beat_stop.wait(HEARTBEAT_SECONDS):
                with contextlib.suppress(ClaimgraphError):
                    self._beat(job.id)

        beater = threading.Thread(target=heartbeat, name=f"claimgraph-job-{job.id}-heartbeat", daemon=True)
        beater.start()
        try:
            result = self._run(job)
        except ClaimgraphError as exc:
            return self._end(job, str(exc), None)
        except Exception as exc:  # one job's failure never stops the worker
            reason = " ".join(f"{type(exc).__name__}: {exc}".split())
            return self._end(job, Errors.E310.format(reason=reason), None)
        finally:
            beat_stop.set()
            beater.join(timeout=5)
        return self._end(job, None, result)

    def _end(self, job: Job, error: str | None, result: dict[str, Any] | None) -> Job:
        if error:
            message = "failed: " + error
        else:
            assert result is not None
            message = (
                f"done: {result.get('seen', 0)} document(s) read, {result.get('added', 0)} new; "
                f"{result.get('documents', 0)} in the workspace, {result.get('claims', 0)} claim(s)"
            )
        finished = self._finish(job.id, error=error, result=result, message=message)
        self.workspace.audit.record(
            None,
            "job.failed" if error else "job.done",
            str(job.id),
            {"kind": job.kind, **({"error": error} if error else {"added": (result or {}).get("added", 0)})},
        )
        return finished

    def _run(self, job: Job) -> dict[str, Any]:
        from ..pipeline import analyze

        inputs: list[str] = []
        feeds: list[str] = []
        if job.kind == "analyze_files":
            inputs = [str(self.workspace.upload_path(p)) for p in job.payload.get("paths", [])]
        elif job.kind == "analyze_urls":
            inputs = list(job.payload.get("urls", []))
            feeds = list(job.payload.get("feeds", []))
        elif job.kind != "reanalyse":
            raise WorkspaceError(Errors.E403.format(what="job kind", reason=repr(job.kind)))
        problems: list[dict[str, str]] = []
        reporter = JobProgress(lambda done, total, message: self.progress(job.id, done, total, message))
        with self.workspace.analysis_options() as (options, state):
            result = analyze(
                inputs,
                None,
                db=self.store.url,
                options=options,
                feeds=feeds,
                on_problem=lambda p: problems.append(p.to_dict()),
                progress=reporter,
            )
            self.workspace.mark_state(state)
        corpus = result.corpus
        return {
            "added": result.added,
            "seen": result.seen,
            "problems": problems[:200],
            "problem_count": len(problems),
            "documents": len(corpus.documents),
            "statements": len(corpus.statements),
            "claims": len(corpus.claims),
        }


def _strings(value: Any, name: str) -> list[str]:
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise invalid("job payload", f"'{name}' must be a list of strings")
    if len(value) > MAX_ITEMS:
        raise invalid("job payload", f"'{name}' has more than {MAX_ITEMS} items")
    return [v.strip() for v in value if v.strip()]


def _summary(payload: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in ("paths", "urls", "feeds"):
        items: Sequence[str] = payload.get(key, [])
        if items:
            out[key] = [Path(i).name if key == "paths" else i for i in items[:20]]
            out[f"{key}_count"] = len(items)
    return out


@dataclass
class _Task:
    id: int
    description: str
    total: float | None
    completed: float = 0.0


class JobProgress:
    """The part of ``rich.progress.Progress`` that :func:`claimgraph.pipeline.analyze` uses, reporting the
    current step (its description, done and total) to ``report`` at most every :data:`PROGRESS_EVERY`
    seconds (and at every step's start and end)."""

    def __init__(self, report: Callable[[int, int | None, str], None]) -> None:
        self.report = report
        self.tasks: list[_Task] = []
        self._last = 0.0

    def start(self) -> None:
        return None

    def stop(self) -> None:
        return None

    def add_task(self, description: str, total: float | None = None, **fields: Any) -> int:
        task = _Task(len(self.tasks), description, total)
        self.tasks.append(task)
        self._send(task, force=True)
        return task.id

    def advance(self, task_id: int, advance: float = 1) -> None:
        task = self.tasks[task_id]
        task.completed += advance
        self._send(task)

    def update(
        self, task_id: int, *, total: float | None = None, completed: float | None = None, **_: Any
    ) -> None:
        task = self.tasks[task_id]
        if total is not None:
            task.total = total
        if completed is not None:
            task.completed = completed
        self._send(task, force=True)

    def _send(self, task: _Task, force: bool = False) -> None:
        moment = time.monotonic()
        if not force and moment - self._last < PROGRESS_EVERY:
            return
        self._last = moment
        total = None if task.total is None else int(task.total)
        self.report(int(task.completed), total, task.description)
