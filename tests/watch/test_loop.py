"""The watch loop: scheduling per source, --once, ending cleanly on a stop event or SIGINT/SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from claimgraph.cli import cli
from claimgraph.errors import StoreError
from claimgraph.model import Corpus
from claimgraph.options import Options
from claimgraph.pipeline import AnalysisResult
from claimgraph.store import Store
from claimgraph.watch import Watcher, stop_on_signals
from claimgraph.watch.watchlist import PolledSource, Watchlist

from .helpers import CYCLE_1, local_site, wait_for

ROOT = Path(__file__).resolve().parents[2]


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def fake_analysis(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """``analyze`` replaced: records what each cycle polled (no network, no NLP)."""
    calls: list[dict[str, Any]] = []

    def analyze(inputs: list[str], out: object, **kwargs: Any) -> AnalysisResult:
        calls.append({"pages": list(inputs), "feeds": list(kwargs["feeds"]), "fetcher": kwargs["fetcher"]})
        return AnalysisResult(corpus=Corpus(), out_dir=None, db_url=str(kwargs["db"]))

    monkeypatch.setattr("claimgraph.pipeline.analyze", analyze)
    return calls


def _watcher(tmp_path: Path, clock: Clock, waits: list[float], stop_after: int | None = None) -> Watcher:
    db = str(tmp_path / "ws.db")
    with Store.open(db) as store:
        store.save_analysis(Corpus())
    plan = Watchlist(
        path="w.yaml",
        sources=[
            PolledSource("https://a.example/rss", True, 60.0),
            PolledSource("https://b.example/page", False, 300.0),
        ],
        entities=["Nobody"],
    )

    def wait(stop: threading.Event, seconds: float) -> None:
        waits.append(seconds)
        clock.now += seconds
        if stop_after is not None and len(waits) >= stop_after:
            stop.set()

    return Watcher(plan, db, Options(formats=()), clock=clock, wait=wait, say=lambda line: None)


def test_each_source_is_polled_at_its_own_interval(
    tmp_path: Path, fake_analysis: list[dict[str, Any]]
) -> None:
    clock, waits = Clock(), []
    with _watcher(tmp_path, clock, waits) as watcher:
        assert watcher.run(threading.Event(), max_cycles=7) == 7
    polled = [(c["feeds"], c["pages"]) for c in fake_analysis]
    a, b = ["https://a.example/rss"], ["https://b.example/page"]
    assert polled == [(a, b), (a, []), (a, []), (a, []), (a, []), (a, b), (a, [])]
    assert waits == [60.0] * 6
    assert len({id(c["fetcher"]) for c in fake_analysis}) == 1  # one fetcher for every cycle


def test_once_polls_everything_once(tmp_path: Path, fake_analysis: list[dict[str, Any]]) -> None:
    clock, waits = Clock(), []
    with _watcher(tmp_path, clock, waits) as watcher:
        assert watcher.run(threading.Event(), once=True) == 1
    assert len(fake_analysis) == 1 and waits == []


def test_a_stop_event_ends_the_loop_between_cycles(
    tmp_path: Path, fake_analysis: list[dict[str, Any]]
) -> None:
    clock, waits = Clock(), []
    stop = threading.Event()
    with _watcher(tmp_path, clock, waits, stop_after=3) as watcher:
        assert watcher.run(stop) == 3
        stop.set()
        assert watcher.run(stop) == 0  # already stopped: no cycle at all
    assert len(fake_analysis) == 3


def test_a_real_wait_is_interrupted_by_the_stop_event(
    tmp_path: Path, fake_analysis: list[dict[str, Any]]
) -> None:
    db = str(tmp_path / "ws.db")
    with Store.open(db) as store:
        store.save_analysis(Corpus())
    plan = Watchlist(path="w.yaml", sources=[PolledSource("https://a.example/rss", True, 3600.0)])
    stop = threading.Event()
    with Watcher(plan, db, Options(formats=()), say=lambda line: None) as watcher:
        timer = threading.Timer(0.5, stop.set)
        timer.start()
        started = time.monotonic()
        assert watcher.run(stop) == 1
        assert time.monotonic() - started < 30  # not the hour's wait
        timer.cancel()


def test_a_failing_cycle_is_reported_and_the_next_one_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines: list[str] = []
    calls: list[int] = []

    def analyze(inputs: list[str], out: object, **kwargs: Any) -> AnalysisResult:
        calls.append(1)
        if len(calls) == 1:
            raise StoreError("[E303] workspace busy: another claimgraph run is writing")
        return AnalysisResult(corpus=Corpus(), out_dir=None, db_url="x")

    monkeypatch.setattr("claimgraph.pipeline.analyze", analyze)
    clock, waits = Clock(), []
    with _watcher(tmp_path, clock, waits) as watcher:
        watcher.say = lines.append
        assert watcher.run(threading.Event(), max_cycles=2) == 2
        with pytest.raises(StoreError):
            calls.clear()
            watcher.run(threading.Event(), once=True)
    assert lines[0].startswith("error: [E303]") and lines[1].startswith("watch: cycle 2:")


def test_sigterm_and_sigint_set_the_stop_event_and_a_second_signal_interrupts() -> None:
    before = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    said: list[str] = []
    stop = threading.Event()
    with stop_on_signals(stop, said.append):
        os.kill(os.getpid(), signal.SIGTERM)
        assert wait_for(stop.is_set, 5)
        with pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(1)
    assert said == ["watch: SIGTERM received; stopping after the current cycle"]
    assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)) == before


# ---------------------------------------------------------------------------- the command


def _plan(tmp_path: Path, site_url: str, extra: str = "") -> Path:
    path = tmp_path / "watch.yaml"
    path.write_text(
        f"sources:\n  - feed: {site_url}/gazette/feed.xml\n    every: 1h\n  - feed: not-a-url\n"
        f"track:\n  entities: [Dunmore Valve Works]\n{extra}",
        encoding="utf-8",
    )
    return path


def test_cli_once_reports_bad_entries_and_runs_one_cycle(tmp_path: Path) -> None:
    with local_site() as site:
        site.publish(CYCLE_1)
        plan = _plan(tmp_path, site.base)
        db = tmp_path / "ws.db"
        args = ["watch", str(plan), "--db", str(db), "--once", "--stages", "", "--rate-limit", "1000"]
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
        assert result.stdout == ""  # first cycle: states only, no alert
        assert (
            f"error: [E120] watchlist {plan}: sources[1]: 'not-a-url' is not an http(s) URL" in result.stderr
        )
        assert "watch: cycle 1: polled 1 source(s)" in result.stderr and "1 new" in result.stderr
        with Store.open(db) as store:
            assert store.count_documents() == 1 and "entity:dunmore valve works" in store.watch_states()
        quiet = CliRunner().invoke(cli, [*args, "-q"])
        assert quiet.exit_code == 0 and quiet.stdout == ""
        assert "watch: cycle" not in quiet.stderr and "[E120]" in quiet.stderr


def test_cli_unusable_watchlist_is_exit_1_with_one_line(tmp_path: Path) -> None:
    plan = tmp_path / "watch.yaml"
    plan.write_text("sources: []\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["watch", str(plan), "--db", str(tmp_path / "ws.db")])
    assert result.exit_code == 1
    assert result.stderr.strip() == f"error: [E120] watchlist {plan}: no valid source to poll (sources: ...)"
    assert not (tmp_path / "ws.db").exists()


def test_the_command_ends_cleanly_on_sigterm(tmp_path: Path) -> None:
    with local_site() as site:
        site.publish(CYCLE_1)
        plan = _plan(tmp_path, site.base)
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "claimgraph",
                "watch",
                str(plan),
                "--db",
                str(tmp_path / "ws.db"),
                "--stages",
                "",
                "--rate-limit",
                "1000",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        try:
            assert proc.stderr is not None
            seen: list[str] = []
            for line in proc.stderr:
                seen.append(line)
                if "watch: cycle 1:" in line:
                    break
            assert any("watch: cycle 1:" in line for line in seen), seen
            proc.send_signal(signal.SIGTERM)
            out, err = proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
        assert proc.returncode == 0, err
        assert "SIGTERM received" in err and err.rstrip().endswith("watch: stopped")
        assert out == "" and "Traceback" not in err
