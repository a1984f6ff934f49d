"""Stand-ins for workspace parts a :class:`~claimgraph.workspace.Workspace` may not have (an older
workspace package): an in-process job queue whose worker runs :func:`claimgraph.pipeline.analyze` on the
workspace, and in-memory corrections. The backend uses the workspace's own parts whenever they exist;
these keep nothing across a restart."""

from __future__ import annotations

import itertools
import threading
import traceback
from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import UTC, datetime
from typing import Any

__all__ = ["LocalCorrections", "LocalJobs"]


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class LocalJob:
    id: int
    kind: str
    payload: dict[str, Any]
    user_id: Any
    status: str = "queued"
    progress: float | None = None
    message: str = ""
    created: str = dc_field(default_factory=_now)
    finished: str | None = None
    result: dict[str, Any] | None = None


class LocalJobs:
    """Jobs in memory, run one at a time by :meth:`run_worker` (a thread of ``serve``)."""

    def __init__(self, db_url: str, on_done: Any = None) -> None:
        self.db_url = db_url
        self.on_done = on_done
        self._items: dict[int, LocalJob] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._wake = threading.Event()

    def enqueue(self, kind: str, payload: dict[str, Any], user: Any) -> LocalJob:
        with self._lock:
            job = LocalJob(next(self._ids), kind, dict(payload), getattr(user, "id", None))
            self._items[job.id] = job
        self._wake.set()
        return job

    def get(self, job_id: Any) -> LocalJob | None:
        try:
            return self._items.get(int(job_id))
        except (TypeError, ValueError):
            return None

    def list(self) -> list[LocalJob]:
        return sorted(self._items.values(), key=lambda j: -j.id)

    def _next(self) -> LocalJob | None:
        with self._lock:
            job = next(
                (j for j in sorted(self._items.values(), key=lambda j: j.id) if j.status == "queued"), None
            )
            if job is not None:
                job.status, job.progress, job.message = "running", 0.1, "reading and analysing the documents"
            return job

    def run_worker(self, stop: threading.Event) -> None:
        while not stop.is_set():
            job = self._next()
            if job is None:
                self._wake.wait(0.5)
                self._wake.clear()
                continue
            self._run(job)

    def _run(self, job: LocalJob) -> None:
        from ..options import Options
        from ..pipeline import analyze

        problems: list[str] = []
        try:
            if job.kind != "analyze":
                raise ValueError(f"unknown job kind {job.kind!r}")
            result = analyze(
                [str(i) for i in job.payload.get("inputs", [])],
                None,
                db=self.db_url,
                options=Options(formats=(), progress=False),
                on_problem=lambda p: problems.append(f"{p.path}: {p.reason}"),
                feeds=[str(f) for f in job.payload.get("feeds", [])],
            )
            job.result = {
                "documents_read": result.seen,
                "documents_added": result.added,
                "claims": len(result.corpus.claims),
                "problems": problems[:50],
            }
            job.status = "done" if result.seen or not problems else "failed"
            job.message = (
                f"{result.seen} document(s) read, {result.added} new; the workspace now holds "
                f"{len(result.corpus.claims)} claim(s)"
                + (f"; {len(problems)} input(s) could not be read" if problems else "")
            )
        except Exception as exc:  # a failed job is reported on its page, the worker goes on
            job.status, job.message = "failed", f"{type(exc).__name__}: {exc}"
            job.result = {"traceback": traceback.format_exc(limit=3)[-2000:], "problems": problems[:50]}
        job.progress, job.finished = 1.0, _now()
        if self.on_done is not None:
            self.on_done()


@dataclass
class LocalCorrection:
    id: int
    user_id: Any
    user_name: str
    statement_id: str
    field: str
    value: Any
    note: str
    created: str = dc_field(default_factory=_now)
    withdrawn: str | None = None


class LocalCorrections:
    def __init__(self) -> None:
        self._items: list[LocalCorrection] = []
        self._lock = threading.Lock()

    def add(self, user: Any, statement_id: str, field: str, value: Any, note: str = "") -> LocalCorrection:
        with self._lock:
            corr = LocalCorrection(
                len(self._items) + 1,
                getattr(user, "id", None),
                str(getattr(user, "name", "")),
                statement_id,
                field,
                value,
                note,
            )
            self._items.append(corr)
            return corr

    def list(self) -> list[LocalCorrection]:
        return list(self._items)

    def withdraw(self, correction_id: int, user: Any) -> None:
        with self._lock:
            for corr in self._items:
                if corr.id == correction_id:
                    corr.withdrawn = _now()
