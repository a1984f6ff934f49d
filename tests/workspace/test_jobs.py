"""Background jobs: validation, exactly-once claiming under concurrency, stale take-over, failures,
progress, the worker loop, an analysis of URLs from a loopback server, and the worker command."""

from __future__ import annotations

import http.server
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from claimgraph.errors import WorkspaceError
from claimgraph.store import _tables as t
from claimgraph.workspace import Job, JobProgress, Workspace


@pytest.fixture
def analyst(ws: Workspace) -> Any:
    return ws.users.add("ines", "long passphrase", "analyst")


def test_enqueue_checks_kind_and_payload(ws: Workspace, analyst: Any, tmp_path: Path) -> None:
    upload = ws.save_upload("../../etc/report 2025.html", b"<p>text</p>")
    assert upload.parent.parent.parent == ws.uploads_dir and upload.name == "report_2025.html"
    job = ws.jobs.enqueue("analyze_files", {"paths": [str(upload)]}, analyst)
    assert (job.status, job.kind, job.payload, job.user_id) == (
        "queued",
        "analyze_files",
        {"paths": [str(upload.resolve())]},
        analyst.id,
    )
    outside = tmp_path / "secret.txt"
    outside.write_text("x", encoding="utf-8")
    with pytest.raises(WorkspaceError, match=r"\[E404\]"):
        ws.jobs.enqueue("analyze_files", {"paths": [str(outside)]}, analyst)
    with pytest.raises(WorkspaceError, match=r"\[E404\]"):
        ws.jobs.enqueue("analyze_files", {"paths": [str(ws.uploads_dir / ".." / ".." / "x")]}, analyst)
    with pytest.raises(WorkspaceError, match=r"\[E402\] no such upload"):
        ws.jobs.enqueue("analyze_files", {"paths": [str(ws.uploads_dir / "missing.txt")]}, analyst)
    with pytest.raises(WorkspaceError, match=r"\[E403\] job kind"):
        ws.jobs.enqueue("delete_everything", {}, analyst)
    with pytest.raises(WorkspaceError, match=r"\[E403\] job payload.*http"):
        ws.jobs.enqueue("analyze_urls", {"urls": ["file:///etc/passwd"]}, analyst)
    with pytest.raises(WorkspaceError, match=r"\[E403\] job payload"):
        ws.jobs.enqueue("analyze_urls", {"urls": "https://example.org/"}, analyst)
    with pytest.raises(WorkspaceError, match=r"\[E403\] job payload"):
        ws.jobs.enqueue("analyze_urls", {}, analyst)
    reader = ws.users.add("omar", "long passphrase", "reader")
    with pytest.raises(WorkspaceError, match=r"\[E405\] user 'omar' \(reader\) may not add documents"):
        ws.jobs.enqueue("analyze_files", {"paths": [str(upload)]}, reader)
    assert [j.id for j in ws.jobs.list()] == [job.id]
    assert [e.action for e in ws.audit.list()] == ["job.enqueue"]
    assert ws.audit.list()[0].detail["paths"] == ["report_2025.html"]


def test_each_job_is_claimed_exactly_once_by_concurrent_workers(ws_url: str, tmp_path: Path) -> None:
    with Workspace.open(ws_url, files_dir=tmp_path / "f") as ws:
        jobs = [ws.jobs.enqueue("reanalyse", {}, None) for _ in range(12)]
    claimed: list[tuple[str, int]] = []
    lock = threading.Lock()
    start = threading.Barrier(4)

    def worker(name: str) -> None:
        with Workspace.open(ws_url, files_dir=tmp_path / "f") as mine:
            start.wait()
            while (job := mine.jobs.claim_next(name)) is not None:
                with lock:
                    claimed.append((name, job.id))

    threads = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    counts = Counter(job_id for _, job_id in claimed)
    assert sorted(counts) == [j.id for j in jobs] and set(counts.values()) == {1}
    with Workspace.open(ws_url, files_dir=tmp_path / "f") as ws:
        rows = ws.jobs.list(limit=100)
        assert {j.status for j in rows} == {"running"}
        assert {j.id: j.worker for j in rows} == {job_id: name for name, job_id in claimed}


def test_a_stopped_workers_job_is_taken_over(ws: Workspace) -> None:
    first = ws.jobs.enqueue("reanalyse", {}, None)
    second = ws.jobs.enqueue("reanalyse", {}, None)
    assert ws.jobs.claim_next("dead-worker").id == first.id  # type: ignore[union-attr]
    assert ws.jobs.claim_next("live-worker").id == second.id  # type: ignore[union-attr]
    assert ws.jobs.claim_next("other") is None  # both running, heartbeats fresh
    with ws.store._engine.begin() as conn:
        conn.execute(
            t.ws_jobs.update()
            .where(t.ws_jobs.c.id == first.id)
            .values(heartbeat="2000-01-01T00:00:00.000000Z")
        )
    taken = ws.jobs.claim_next("other")
    assert taken is not None and taken.id == first.id and taken.worker == "other"
    assert taken.message == "taken over from a stopped worker"
    assert ws.jobs.claim_next("another") is None


def test_a_failing_job_is_recorded_and_the_worker_goes_on(
    ws: Workspace, analyst: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(self: Any, job: Job) -> dict[str, Any]:
        if job.payload.get("urls") == ["https://example.org/a"]:
            raise RuntimeError("disk on fire")
        return {"added": 0, "seen": 0, "documents": 0, "claims": 0}

    monkeypatch.setattr("claimgraph.workspace.jobs.Jobs._run", explode)
    bad = ws.jobs.enqueue("analyze_urls", {"urls": ["https://example.org/a"]}, analyst)
    good = ws.jobs.enqueue("analyze_urls", {"urls": ["https://example.org/b"]}, analyst)
    assert ws.run_worker(threading.Event(), 0.01, once=True) == 2
    failed, done = ws.jobs.get(bad.id), ws.jobs.get(good.id)
    assert failed is not None and failed.status == "failed" and failed.finished is not None
    assert failed.error is not None and failed.error.startswith("[E310]") and "disk on fire" in failed.error
    assert failed.message.startswith("failed: [E310]")
    assert (
        done is not None
        and done.status == "done"
        and done.result
        == {
            "added": 0,
            "seen": 0,
            "documents": 0,
            "claims": 0,
        }
    )
    assert [e.action for e in ws.audit.list(action="job.")][:2] == ["job.done", "job.failed"]


def test_progress_reaches_the_job_row(ws: Workspace) -> None:
    job = ws.jobs.enqueue("reanalyse", {}, None)
    ws.jobs.claim_next("w")
    reports: list[tuple[int, int | None, str]] = []

    def report(done: int, total: int | None, message: str) -> None:
        reports.append((done, total, message))
        ws.jobs.progress(job.id, done, total, message)

    progress = JobProgress(report)
    task = progress.add_task("who said what", total=40, unit="docs")
    for _ in range(40):
        progress.advance(task, 1)
    progress.update(task, total=40, completed=40)
    assert reports[0] == (0, 40, "who said what") and reports[-1] == (40, 40, "who said what")
    assert len(reports) < 10  # throttled
    row = ws.jobs.get(job.id)
    assert row is not None and (row.done, row.total, row.message) == (40, 40, "who said what")
    assert progress.tasks[0].completed == 40


class _Articles(http.server.BaseHTTPRequestHandler):
    PAGE = (
        b"<html><head><title>Ferry operator fined</title></head><body><article><h1>Ferry operator fined</h1>"
        b"<p>The port regulator fined the Kallio Ferry Company for skipping safety drills, inspector "
        b"Rasmus Ekdahl said on Friday.</p><p>The company said it would appeal the decision.</p>"
        b"</article></body></html>"
    )

    def do_GET(self) -> None:
        if self.path == "/ferry.html":
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(self.PAGE)))
            self.end_headers()
            self.wfile.write(self.PAGE)
        else:
            self.send_error(404)

    def log_message(self, *args: Any) -> None:
        return None


@pytest.fixture
def article_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Articles)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.slow
def test_an_analyze_urls_job_fetches_and_analyses(tmp_path: Path, article_server: str) -> None:
    with Workspace.open(tmp_path / "ws.db", files_dir=tmp_path / "files") as ws:
        analyst = ws.users.add("ines", "long passphrase", "analyst")
        job = ws.jobs.enqueue("analyze_urls", {"urls": [f"{article_server}/ferry.html"]}, analyst)
        messages: list[str] = []
        original = ws.jobs.progress

        def spy(job_id: int, done: int, total: int | None, message: str) -> None:
            messages.append(message)
            original(job_id, done, total, message)

        ws.jobs.progress = spy  # type: ignore[method-assign]
        assert ws.run_worker(threading.Event(), 0.01, once=True) == 1
        finished = ws.jobs.get(job.id)
        assert finished is not None and finished.status == "done", finished
        assert (
            finished.result is not None
            and finished.result["added"] == 1
            and finished.result["documents"] == 1
        )
        assert {"ingest", "provenance"} <= set(messages)
        docs = ws.store.documents()
        assert [d.url for d in docs] == [f"{article_server}/ferry.html"]
        assert ws.search("ferry drills", kind="documents")[0].id == docs[0].id


def test_worker_command_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    db = tmp_path / "ws.db"
    with Workspace.open(db, files_dir=tmp_path / "f"):
        pass
    proc = subprocess.Popen(
        [sys.executable, "-m", "claimgraph", "worker", "--db", str(db), "--poll", "0.1"],
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "CLAIMGRAPH_FILES_DIR": str(tmp_path / "f")},
    )
    try:
        assert proc.stderr is not None
        first = proc.stderr.readline()
        assert first.startswith("claimgraph worker: sqlite:///"), first
        time.sleep(0.3)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "stopping after the current job" in err and "ran 0 job(s)" in err


def test_worker_once_runs_queued_jobs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from claimgraph.cli import cli

    db = tmp_path / "ws.db"
    with Workspace.open(db, files_dir=tmp_path / "f") as ws:
        ws.jobs.enqueue("reanalyse", {}, None)
    monkeypatch.setattr("claimgraph.workspace.jobs.Jobs._run", lambda self, job: {"added": 0})
    result = CliRunner().invoke(
        cli, ["worker", "--db", str(db), "--once", "--files-dir", str(tmp_path / "f")]
    )
    assert result.exit_code == 0, result.output
    assert "ran 1 job(s)" in result.output
    with Workspace.open(db, files_dir=tmp_path / "f") as ws:
        assert [j.status for j in ws.jobs.list()] == ["done"]
        with ws.store._engine.connect() as conn:
            assert conn.execute(sa.select(sa.func.count()).select_from(t.ws_jobs)).scalar_one() == 1
