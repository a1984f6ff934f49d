"""A run killed with SIGKILL mid-ingest, started again, ends with every document in the store exactly once.

The first run is the real ``claimgraph analyze`` CLI in a subprocess. Its store writes are slowed down a
little (a sleep after each committed document, patched in by the launcher script) so that the kill reliably
lands in the middle of ingest; nothing else is changed.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import sqlalchemy as sa

from claimgraph.store import Store, default_db_url

COUNT = 120

LAUNCHER = """
import sys, time
import claimgraph.store._store as store_module

_add = store_module.Store.add_document

def slow_add(self, doc):
    added = _add(self, doc)
    time.sleep(0.02)
    return added

store_module.Store.add_document = slow_add
from claimgraph.cli import main
main(sys.argv[1:])
"""


def _stored(db_url: str) -> int:
    if not Path(db_url.removeprefix("sqlite:///")).exists():
        return 0
    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as conn:
            tables = sa.inspect(conn).get_table_names()
            if "documents" not in tables:
                return 0
            return int(conn.execute(sa.text("SELECT count(*) FROM documents")).scalar_one())
    except sa.exc.OperationalError:  # the writer holds a lock at this instant
        return 0
    finally:
        engine.dispose()


def test_sigkill_mid_ingest_then_resume(tmp_path: Path, write_articles) -> None:
    inputs = write_articles(tmp_path / "in", COUNT)
    out = tmp_path / "out"
    db_url = default_db_url(out)
    args = ["analyze", str(tmp_path / "in"), "--out", str(out), "--format", "json", "--stages", "", "--quiet"]

    proc = subprocess.Popen(
        [sys.executable, "-c", LAUNCHER, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        deadline = time.monotonic() + 60
        stored = 0
        while stored < 10:
            assert proc.poll() is None, f"the run ended before it could be killed: {proc.communicate()}"
            assert time.monotonic() < deadline, "the first run stored nothing within 60 s"
            time.sleep(0.05)
            stored = _stored(db_url)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL

    with Store.open(db_url) as store:
        partial = store.count_documents()
        killed_before_outputs = not (out / "claimgraph.json").exists()
    assert 10 <= partial < COUNT, f"the kill did not land mid-ingest ({partial} of {COUNT} stored)"
    assert killed_before_outputs

    second = subprocess.run(
        [sys.executable, "-m", "claimgraph", *args[:-1]],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert second.returncode == 0, second.stderr
    assert f"read {COUNT} document(s), {COUNT - partial} new" in second.stdout

    with Store.open(db_url) as store:
        docs = store.documents()
    paths = Counter(Path(d.path).name for d in docs)
    assert sorted(paths) == sorted(p.name for p in inputs)
    assert set(paths.values()) == {1}, [p for p, n in paths.items() if n > 1]
    assert len({d.content_hash for d in docs}) == COUNT

    data = json.loads((out / "claimgraph.json").read_text(encoding="utf-8"))
    listed = Counter(Path(d["path"]).name for d in data["documents"])
    assert sorted(listed) == sorted(p.name for p in inputs)
    assert set(listed.values()) == {1}
