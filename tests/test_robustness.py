"""Issue 16: nothing a file can do stops the run or breaks the workspace.

One regression test per case found by probing (long documents, crashing inputs, two writers, full disk,
unsafe outputs, symlinks, an ``export`` that trusted and wrote its store, SIGINT, ``stance -o`` onto its
input). Inputs are generated here, with bounded sizes; the invented names are of real-world shape.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from claimgraph.cli import cli
from claimgraph.errors import Errors, InputProblem, StoreError
from claimgraph.model import Document
from claimgraph.options import Options
from claimgraph.safety import escape_terminal, mark_controls
from claimgraph.store import Store, workspace_lock

NO_STAGES = ["--stages", ""]
ARTICLE = (
    "Officials in Dorrington said on {day} March that the river ferry would resume service, "
    "according to a statement from the transport office.\n\n"
    "Councillor Amira Lindqvist said the repairs had cost {n} thousand pounds.\n"
)


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def write(folder: Path, name: str | bytes, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = os.path.join(os.fsencode(folder), os.fsencode(name))
    with open(path, "wb") as fh:
        fh.write(ARTICLE.format(day=1 + n % 28, n=n).encode())
    return Path(os.fsdecode(path))


def no_traceback(result: Result) -> None:
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)


def document(doc_id: str, path: str, text: str, title: str | None = None) -> Document:
    return Document(
        id=doc_id,
        path=path,
        url=None,
        title=title,
        authors=[],
        published=None,
        outlet=None,
        text=text,
        format="txt",
    )


def stored_paths(db: Path) -> list[str]:
    with Store.open(db) as store:
        return sorted(d.path for d in store.documents())


def cli_subprocess(*args: str | Path, **kwargs: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "claimgraph", *[str(a) for a in args]],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,  # type: ignore[call-overload]
    )


# ---------------------------------------------------------------------------- 1. one long document


def test_document_over_max_chars_is_refused_and_not_stored(tmp_path: Path) -> None:
    good = write(tmp_path / "in", "short.txt", 1)
    long = "".join(ARTICLE.format(day=1 + n % 28, n=n) + "\n" for n in range(100, 200))
    (tmp_path / "in" / "long.txt").write_text(long, encoding="utf-8")
    out = tmp_path / "out"
    result = run("analyze", tmp_path / "in", "-o", out, "--format", "json", *NO_STAGES, "--max-chars", "5000")
    no_traceback(result)
    assert result.exit_code == 0
    assert "[E301]" in result.stderr and "long.txt" in result.stderr
    assert stored_paths(out / "claimgraph.db") == [str(good)]


def _store_long_document(db: Path, size: int) -> None:
    text = ("The harbour master said the quay was safe. " * (size // 43 + 1))[:size]
    with Store.open(db) as store:
        store.add_document(document("doc-long", "huge.txt", text, "Quay"))


def test_workspace_poisoned_by_a_long_document_recovers(tmp_path: Path) -> None:
    """A document over spaCy's max_length already in the store (an older claimgraph stored it) is skipped
    with one E302 line; the other documents are analysed and ``export`` works."""
    out = tmp_path / "out"
    _store_long_document(out / "claimgraph.db", 1_000_050)
    write(tmp_path / "in", "ferry.txt", 3)
    stages = ["--stages", "claimgraph.attribution.v1,claimgraph.claims.v1,claimgraph.provenance.v1"]
    result = run("analyze", tmp_path / "in", "-o", out, "--format", "json", *stages)
    no_traceback(result)
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stderr.splitlines() if "E302" in line]
    assert len(lines) == 1 and "huge.txt" in lines[0] and "attribution" in lines[0]
    data = json.loads((out / "claimgraph.json").read_text(encoding="utf-8"))
    assert any(s["document_id"] != "doc-long" for s in data["statements"])
    exported = run("export", "--db", out / "claimgraph.db", "-o", tmp_path / "exp", "--format", "json")
    assert exported.exit_code == 0, exported.output


class _FakeDoc:
    def __init__(self, text: str) -> None:
        self.text = text


class _FakeNLP:
    """A spaCy stand-in whose ``pipe`` raises on any batch holding the word BOOM."""

    max_length = 100

    def pipe(self, items: list[tuple[str, object]], **kwargs: object) -> list[tuple[_FakeDoc, object]]:
        items = list(items)
        if any("BOOM" in text for text, _ in items):
            raise ValueError("component exploded")
        return [(_FakeDoc(text), context) for text, context in items]


def test_one_failing_document_is_skipped_the_others_annotated() -> None:
    from claimgraph.attribution.stage import _isolated

    docs = [document(f"d{i}", f"f{i}.txt", "ok") for i in range(5)]
    items = [(("BOOM" if doc.id == "d2" else "fine"), (doc.id, "text")) for doc in docs]
    items.append(("x" * 500, ("d4", "title")))  # over max_length
    failures: list[tuple[str, str]] = []
    done = list(
        _isolated(
            _FakeNLP(), iter(items), Options(max_chars=10), docs, lambda d, r: failures.append((d.id, r))
        )
    )
    assert sorted(context[0] for _, context in done) == ["d0", "d1", "d3"]
    assert [f[0] for f in failures] == ["d4", "d2"] or sorted(f[0] for f in failures) == ["d2", "d4"]
    assert any("exploded" in r for _, r in failures) and any("max_length" in r for _, r in failures)


# ---------------------------------------------------------------------------- 2. inputs that crashed the run


def _warc(charset: str, body: bytes) -> bytes:
    http = f"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset={charset}\r\n".encode()
    http += f"Content-Length: {len(body)}\r\n\r\n".encode() + body
    head = (
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://news.example/a\r\n"
        "WARC-Date: 2021-04-01T00:00:00Z\r\nWARC-Record-ID: <urn:uuid:10000000-0000-0000-0000-000000000001>\r\n"
        f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(http)}\r\n\r\n"
    )
    return head.encode() + http + b"\r\n\r\n"


def test_warc_with_unknown_charset_falls_back(tmp_path: Path) -> None:
    body = (
        "<html><head><title>Caf\u00e9 owners protest</title></head><body><article><p>"
        + "The owners of the caf\u00e9 in Montb\u00e9liard said the new rules were unfair to them. " * 8
        + "</p></article></body></html>"
    ).encode("latin-1")
    path = tmp_path / "crawl.warc"
    path.write_bytes(_warc("x-bogus", body))
    result = run("analyze", path, "-o", tmp_path / "out", "--format", "json", *NO_STAGES)
    no_traceback(result)
    assert result.exit_code == 0, result.output
    docs = Store.open(tmp_path / "out" / "claimgraph.db").documents()
    assert len(docs) == 1 and "caf\u00e9" in docs[0].text


def test_non_utf8_and_escape_sequence_file_names(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write(folder, b"caf\xe9.txt", 1)
    write(folder, b"\x1b]0;owned\x07title.txt", 2)
    (folder / "empty\udcff.txt".encode("utf-8", "surrogateescape").decode("utf-8", "surrogateescape")).touch()
    out = tmp_path / "out"
    result = run("analyze", folder, "-o", out, "--format", "json", "--format", "csv", *NO_STAGES)
    no_traceback(result)
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\udcff" not in result.output
    assert "empty\\xff.txt" in result.stderr and "[E003]" in result.stderr
    paths = stored_paths(out / "claimgraph.db")
    assert any(p.endswith("caf\\xe9.txt") for p in paths)
    assert any(p.endswith("\\x1b]0;owned\\x07title.txt") for p in paths)


def test_deeply_nested_jsonl_line_is_one_problem(tmp_path: Path) -> None:
    good = json.dumps({"title": "Ferry", "text": ARTICLE.format(day=3, n=3)})
    path = tmp_path / "feed.jsonl"
    path.write_text(good + "\n" + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    result = run("analyze", path, "-o", tmp_path / "out", "--format", "json", *NO_STAGES)
    no_traceback(result)
    assert result.exit_code == 0
    assert "feed.jsonl#2" in result.stderr and "[E306]" in result.stderr
    assert len(stored_paths(tmp_path / "out" / "claimgraph.db")) == 1


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("deep.yaml", "a: " + "[" * 50_000 + "]" * 50_000 + "\n"),
        ("wide.csv", "name,reliability\n" + '"' + "x" * 140_000 + '",B\n'),
    ],
)
def test_hostile_reliability_registry_is_one_coded_line(tmp_path: Path, name: str, content: str) -> None:
    registry = tmp_path / name
    registry.write_text(content, encoding="utf-8")
    write(tmp_path / "in", "a.txt", 1)
    result = run(
        "analyze", tmp_path / "in", "-o", tmp_path / "out", "--format", "json", "--reliability", registry
    )
    no_traceback(result)
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "[E104]" in result.stderr and name in result.stderr


# ---------------------------------------------------------------------------- full disk, read-only output


def test_full_disk_is_one_line_and_leaves_no_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import claimgraph.outputs as outputs

    def full(fd: int, data: object) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    write(tmp_path / "in", "a.txt", 1)
    out = tmp_path / "out"
    out.mkdir()  # an existing folder is kept after a failed run: check what is left in it
    monkeypatch.setattr(outputs.os, "write", full)
    result = run("analyze", tmp_path / "in", "-o", out, "--format", "json", "--format", "csv", *NO_STAGES)
    no_traceback(result)
    assert result.exit_code == 1
    assert "[E304]" in result.stderr and "No space left on device" in result.stderr
    assert not list(out.glob("*.tmp")) and out.is_dir()


def test_read_only_output_folder_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import claimgraph.outputs as outputs

    def denied(*args: object, **kwargs: object) -> object:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    write(tmp_path / "in", "a.txt", 1)
    monkeypatch.setattr(outputs.tempfile, "mkstemp", denied)
    result = run("analyze", tmp_path / "in", "-o", tmp_path / "out", "--format", "json", *NO_STAGES)
    no_traceback(result)
    assert result.exit_code == 1 and "[E304]" in result.stderr and "Permission denied" in result.stderr


@pytest.mark.skipif(
    os.geteuid() != 0 if hasattr(os, "geteuid") else True, reason="mounting a tmpfs needs root"
)
def test_really_full_disk(tmp_path: Path) -> None:
    """An 8 KB tmpfs as the output folder: the JSON of 40 articles does not fit."""
    mount = tmp_path / "small"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8k", "tmpfs", str(mount)], check=False).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        for n in range(40):
            write(tmp_path / "in", f"a{n}.txt", n)
        db = tmp_path / "ws.db"
        result = run("analyze", tmp_path / "in", "-o", mount, "--db", db, "--format", "json", *NO_STAGES)
        no_traceback(result)
        assert result.exit_code == 1 and "[E304]" in result.stderr, result.output
        assert not list(mount.glob("*.tmp"))
    finally:
        subprocess.run(["umount", str(mount)], check=False)


# ---------------------------------------------------------------------------- 3. one writer at a time


_HOLD = "import sys, time\nfrom claimgraph.store import workspace_lock\nwith workspace_lock(sys.argv[1]):\n    print('held', flush=True)\n    time.sleep(float(sys.argv[2]))\n"


def test_second_writer_gets_workspace_busy(tmp_path: Path) -> None:
    db = tmp_path / "ws" / "claimgraph.db"
    holder = subprocess.Popen([sys.executable, "-c", _HOLD, str(db), "20"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        write(tmp_path / "in", "a.txt", 1)
        args = [
            "analyze",
            tmp_path / "in",
            "-o",
            tmp_path / "out",
            "--db",
            db,
            "--format",
            "json",
            *NO_STAGES,
        ]
        proc = cli_subprocess(*args, "--wait", "0.5")
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 1, err
        assert "[E303] workspace busy" in err and f"process {holder.pid}" in err
        assert "Traceback" not in err
    finally:
        holder.kill()
        holder.communicate()
    assert not db.exists() or stored_paths(db) == []


def test_two_runs_on_one_new_workspace_both_store_everything(tmp_path: Path) -> None:
    db = tmp_path / "ws" / "claimgraph.db"
    for n in range(6):
        write(tmp_path / "a", f"a{n}.txt", n)
        write(tmp_path / "b", f"b{n}.txt", 100 + n)
    procs = [
        cli_subprocess("analyze", tmp_path / side, "-o", tmp_path / f"out-{side}", "--db", db, "--format", "json",
                       *NO_STAGES, "--wait", "120")
        for side in ("a", "b")
    ]  # fmt: skip
    for proc in procs:
        _, err = proc.communicate(timeout=240)
        assert proc.returncode == 0, err
    assert len(stored_paths(db)) == 12


def test_waiting_run_interrupted_exits_130(tmp_path: Path) -> None:
    """SIGINT exits 130 with one line (here while the run waits for the workspace lock)."""
    db = tmp_path / "ws" / "claimgraph.db"
    holder = subprocess.Popen([sys.executable, "-c", _HOLD, str(db), "60"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        write(tmp_path / "in", "a.txt", 1)
        # the child must start with Python's own SIGINT handler even if an earlier test left SIGINT ignored
        # in this process (an ignored signal is inherited through exec)
        proc = cli_subprocess("analyze", tmp_path / "in", "-o", tmp_path / "out", "--db", db, *NO_STAGES,
                              "--wait", "60",
                              preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))  # fmt: skip
        lock = Path(str(db) + ".lock")
        assert proc.stderr is not None
        waiting = proc.stderr.readline()  # the run says it waits for the lock: now interrupt it
        assert "workspace is busy" in waiting, waiting
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 130, err
        assert "interrupted" in err and "Traceback" not in err
        assert lock.exists()
    finally:
        holder.kill()
        holder.communicate()


def test_lock_is_released_with_the_block(tmp_path: Path) -> None:
    db = tmp_path / "claimgraph.db"
    with workspace_lock(db):
        pass
    with workspace_lock(db, timeout=0):
        pass


# ---------------------------------------------------------------------------- 4. safe outputs


def test_bidi_and_controls_are_shown_not_obeyed(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    title = "Minister \u202eseirf\u202c denies\x07 report"
    (folder / "a.jsonl").write_text(
        json.dumps({"title": title, "text": ARTICLE.format(day=4, n=4), "outlet": "\u2066Daily\u2069 Ledger"})
        + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = run("analyze", folder, "-o", out, "--format", "html", "--format", "json", *NO_STAGES)
    assert result.exit_code == 0, result.output
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "[U+202E]" in html and "\u202e" not in html and "\x07" not in html
    stored = json.loads((out / "claimgraph.json").read_text(encoding="utf-8"))["documents"][0]["title"]
    assert "\u202eseirf\u202c" in stored  # the data keeps the text as read
    assert escape_terminal(title) == "Minister \\u202eseirf\\u202c denies\\x07 report"
    assert mark_controls("a\u202eb\tc\n") == "a[U+202E]b\tc\n"


def test_stance_csv_is_guarded_and_refuses_to_overwrite_its_input(tmp_path: Path) -> None:
    rows = ["id,claim,text", '"=HYPERLINK(""http://x.invalid"")",The mill closed,Workers said the mill closed.',
            "+cmd,The mill closed,The owners denied that the mill closed.", "@SUM(1),The mill closed,A fair opened.",
            "\u202eevil,The mill closed,Nothing."]  # fmt: skip
    src = tmp_path / "pairs.csv"
    src.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = run("stance", src, "-o", tmp_path / "out.csv")
    assert result.exit_code == 0, result.output
    ids = [line.split(",")[0] for line in (tmp_path / "out.csv").read_text(encoding="utf-8").splitlines()[1:]]
    assert ids[0].startswith("\"'=HYPERLINK") and ids[1] == "'+cmd" and ids[2] == "'@SUM(1)"
    assert ids[3] == "[U+202E]evil"
    before = src.read_bytes()
    same = run("stance", src, "-o", src)
    assert same.exit_code == 1 and "[E307]" in same.stderr
    assert src.read_bytes() == before


def test_symlink_leaving_the_input_folder_is_not_followed(tmp_path: Path) -> None:
    secret = write(tmp_path / "outside", "secret.txt", 9)
    folder = tmp_path / "in"
    write(folder, "a.txt", 1)
    (folder / "link.txt").symlink_to(secret)
    (folder / "inside.txt").symlink_to(folder / "a.txt")
    result = run("analyze", folder, "-o", tmp_path / "out", "--format", "json", *NO_STAGES)
    assert result.exit_code == 0
    assert "link.txt" in result.stderr and "[E308]" in result.stderr and "inside.txt" not in result.stderr
    assert all("secret" not in p for p in stored_paths(tmp_path / "out" / "claimgraph.db"))
    followed = run(
        "analyze", folder, "-o", tmp_path / "out2", "--format", "json", *NO_STAGES, "--follow-symlinks"
    )
    assert followed.exit_code == 0 and "[E308]" not in followed.stderr
    assert any(p.endswith("link.txt") for p in stored_paths(tmp_path / "out2" / "claimgraph.db"))


# ---------------------------------------------------------------------------- 5. export reads, never writes


def _analysed(tmp_path: Path) -> Path:
    write(tmp_path / "in", "a.txt", 1)
    out = tmp_path / "out"
    assert run("analyze", tmp_path / "in", "-o", out, "--format", "json", *NO_STAGES).exit_code == 0
    return out / "claimgraph.db"


def test_export_of_an_empty_file_creates_nothing(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    empty.touch()
    result = run("export", "--db", empty, "-o", tmp_path / "exp")
    assert result.exit_code == 1 and "[E203]" in result.stderr
    assert empty.stat().st_size == 0


def test_export_of_a_foreign_sqlite_file_does_not_switch_its_journal(tmp_path: Path) -> None:
    foreign = tmp_path / "other.db"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE birds (name TEXT)")
    result = run("export", "--db", foreign, "-o", tmp_path / "exp")
    assert result.exit_code == 1 and "[E201]" in result.stderr and "birds" in result.stderr
    with sqlite3.connect(foreign) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master")] == ["birds"]


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        ("UPDATE documents SET data = '{broken'", "table documents, row doc-"),
        ("UPDATE corpus_data SET data = '[1,' WHERE key = 'network'", "table corpus_data, row network"),
        ("UPDATE documents SET data = '[1, 2]'", "table documents, row doc-"),
        ("UPDATE documents SET data = '{}'", "table documents, row doc-"),
        ("DROP TABLE relations", "table relations is missing"),
    ],
)
def test_export_of_a_damaged_store_names_the_damage(tmp_path: Path, damage: str, expected: str) -> None:
    db = _analysed(tmp_path)
    with sqlite3.connect(db) as conn:
        conn.execute(damage)
    result = run("export", "--db", db, "-o", tmp_path / "exp", "--format", "json")
    no_traceback(result)
    assert result.exit_code == 1 and "[E305]" in result.stderr and expected in result.stderr, result.stderr


def test_export_cannot_write_the_store(tmp_path: Path) -> None:
    db = _analysed(tmp_path)
    with Store.open(db, readonly=True) as store, pytest.raises(StoreError):
        store.begin_run()


def test_analyze_skips_a_damaged_document_row(tmp_path: Path) -> None:
    db = _analysed(tmp_path)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE documents SET data = '{broken'")
    write(tmp_path / "in2", "b.txt", 2)
    result = run("analyze", tmp_path / "in2", "-o", tmp_path / "out", "--format", "json", *NO_STAGES)
    assert result.exit_code == 0, result.output
    assert "[E302]" in result.stderr and "store failed" in result.stderr


# ---------------------------------------------------------------------------- 6. interrupts


def test_keyboard_interrupt_exits_130(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import claimgraph.pipeline as pipeline

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "analyze", interrupted)
    write(tmp_path / "in", "a.txt", 1)
    result = run("analyze", tmp_path / "in", "-o", tmp_path / "out")
    assert result.exit_code == 130 and "interrupted" in result.stderr


def test_unexpected_error_is_one_coded_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import claimgraph.pipeline as pipeline

    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(pipeline, "analyze", broken)
    monkeypatch.delenv("CLAIMGRAPH_DEBUG", raising=False)
    result = run("analyze", tmp_path, "-o", tmp_path / "out")
    assert result.exit_code == 1 and result.stderr.startswith("error: [E310]")
    assert "ZeroDivisionError" in result.stderr


def test_every_new_code_has_a_message() -> None:
    for code in ("E301", "E302", "E303", "E304", "E305", "E306", "E307", "E308", "E309", "E310"):
        assert Errors[code].value
    assert str(InputProblem("a", "E301", "b")) == "a: b [E301]"


# ---------------------------------------------------------------------------- PostgreSQL


@pytest.mark.postgres
def test_postgres_advisory_lock_and_read_only_export(postgres_url: str, tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD, postgres_url, "20"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with (
            pytest.raises(StoreError, match=r"\[E303\] workspace busy"),
            workspace_lock(postgres_url, timeout=0.3),
        ):
            pass
    finally:
        holder.kill()
        holder.communicate()
    with workspace_lock(postgres_url, timeout=10):  # released with the holder's session
        pass
    empty = run("export", "--db", postgres_url, "-o", tmp_path / "exp")
    assert empty.exit_code == 1 and "[E203]" in empty.stderr
    import sqlalchemy as sa

    from claimgraph.store import normalise_url

    engine = sa.create_engine(normalise_url(postgres_url))
    try:
        with engine.connect() as conn:
            assert (
                conn.execute(sa.text("SELECT count(*) FROM pg_tables WHERE schemaname='public'")).scalar()
                == 0
            )
    finally:
        engine.dispose()
    write(tmp_path / "in", "a.txt", 1)
    assert (
        run("analyze", tmp_path / "in", "-o", tmp_path / "out", "--db", postgres_url, *NO_STAGES).exit_code
        == 0
    )
    with Store.open(postgres_url, readonly=True) as store, pytest.raises(StoreError):
        store.begin_run()
    exported = run("export", "--db", postgres_url, "-o", tmp_path / "exp", "--format", "json")
    assert exported.exit_code == 0, exported.output


@pytest.mark.parametrize("kind", ["sqlite", "text"])
def test_analyze_refuses_a_foreign_file_without_touching_it(tmp_path: Path, kind: str) -> None:
    """``analyze --db`` naming somebody else's file: refused (E201) before any write, even a journal switch."""
    foreign = tmp_path / "birds.db"
    if kind == "sqlite":
        with sqlite3.connect(foreign) as conn:
            conn.execute("CREATE TABLE sightings (species TEXT, seen TEXT)")
            conn.executemany("INSERT INTO sightings VALUES (?, ?)", [("wren", "2021-04-01")] * 50)
        conn.close()
    else:
        foreign.write_text("species,seen\nwren,2021-04-01\n" * 200, encoding="utf-8")
    before = foreign.read_bytes()
    neighbours = sorted(p.name for p in tmp_path.iterdir())
    write(tmp_path / "in", "a.txt", 1)
    result = run("analyze", tmp_path / "in", "-o", tmp_path / "out", "--db", foreign, *NO_STAGES)
    no_traceback(result)
    assert result.exit_code != 0 and "[E201]" in result.stderr, result.output
    assert foreign.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name not in ("in", "out")) == neighbours
    if kind == "sqlite":
        assert "sightings" in result.stderr
        with sqlite3.connect(foreign) as conn:
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        conn.close()


def test_store_open_refuses_another_schema_without_touching_it(tmp_path: Path) -> None:
    other = tmp_path / "old.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
        conn.executemany("INSERT INTO meta VALUES (?, ?)", [("app", "claimgraph"), ("schema_version", "0")])
    conn.close()
    before = other.read_bytes()
    with pytest.raises(StoreError, match=r"\[E202\]"):
        Store.open(other)
    assert other.read_bytes() == before


def test_an_empty_file_or_database_becomes_a_workspace(tmp_path: Path) -> None:
    empty_file = tmp_path / "empty.db"
    empty_file.touch()
    empty_db = tmp_path / "blank.db"
    sqlite3.connect(empty_db).close()
    for path in (empty_file, empty_db):
        with workspace_lock(path), Store.open(path) as store:
            assert store.count_documents() == 0
        with Store.open(path, readonly=True, create=False) as store:
            assert store.schema_version()


# ------------------------------------------------------------ per-document isolation in corpus-level stages
ALL_STAGES = ["--stages", "claimgraph.attribution.v1,claimgraph.claims.v1,claimgraph.provenance.v1"]
MARKER = "Quillfeather"


def _three_stories(folder: Path) -> None:
    write(folder, "ferry.txt", 3)
    write(folder, "bridge.txt", 5)
    (folder / "tunnel.txt").write_text(
        "Engineers in Dorrington said on Friday that the tunnel would close for a month.\n\n"
        f"Councillor Piet Ransome said the {MARKER} tunnel repairs had cost nine thousand pounds.\n",
        encoding="utf-8",
    )


def _statements_by_file(data: dict[str, Any]) -> dict[str, int]:
    paths = {d["id"]: Path(d["path"]).name for d in data["documents"]}
    counts: dict[str, int] = {}
    for st in data["statements"]:
        counts[paths[st["document_id"]]] = counts.get(paths[st["document_id"]], 0) + 1
    return counts


@pytest.mark.parametrize("stage", ["claims", "provenance"])
def test_a_stage_failing_on_one_documents_statements_skips_that_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stage: str
) -> None:
    """A fault in the corpus-level claims or provenance stage caused by one document's statement is
    isolated to that document (one E302 line naming the file and the stage); the run finishes with the
    others, and no claim points at a statement left out. The same run without the fault is the control."""
    import claimgraph.claims.stage as claims_stage
    import claimgraph.provenance.stage as provenance_stage

    _three_stories(tmp_path / "in")
    control = run("analyze", tmp_path / "in", "-o", tmp_path / "control", "--format", "json", *ALL_STAGES)
    assert control.exit_code == 0, control.output
    before = json.loads((tmp_path / "control" / "claimgraph.json").read_text(encoding="utf-8"))
    assert _statements_by_file(before).get("tunnel.txt"), "the marked story must give a statement"
    assert any(MARKER in st["text"] for st in before["statements"])

    if stage == "claims":
        real_quantities = claims_stage.quantities

        def quantities(text: str) -> Any:
            if MARKER in text:
                raise RuntimeError("injected fault")
            return real_quantities(text)

        monkeypatch.setattr(claims_stage, "quantities", quantities)
    else:
        real_counts = provenance_stage.apply_counts

        def apply_counts(claim: Any, statements: list[Any], prov: Any) -> Any:
            if any(MARKER in st.text for st in statements):
                raise RuntimeError("injected fault")
            return real_counts(claim, statements, prov)

        monkeypatch.setattr(provenance_stage, "apply_counts", apply_counts)

    out = tmp_path / "out"
    result = run("analyze", tmp_path / "in", "-o", out, "--format", "json", *ALL_STAGES)
    no_traceback(result)
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stderr.splitlines() if "[E302]" in line]
    assert len(lines) == 1, result.stderr
    assert "tunnel.txt" in lines[0] and f"{stage} failed" in lines[0] and "injected fault" in lines[0]
    data = json.loads((out / "claimgraph.json").read_text(encoding="utf-8"))
    counts = _statements_by_file(data)
    assert "tunnel.txt" not in counts
    assert {k: v for k, v in _statements_by_file(before).items() if k != "tunnel.txt"} == counts
    kept = {st["id"] for st in data["statements"]}
    assert data["claims"] and all(set(c["statement_ids"]) <= kept for c in data["claims"])
    assert any(p["code"] == "E302" and "tunnel.txt" in p["path"] for p in data["problems"])
    # the next run into the same workspace isolates it again, and export works
    again = run("analyze", tmp_path / "in", "-o", out, "--format", "json", *ALL_STAGES)
    assert again.exit_code == 0 and "tunnel.txt" in again.stderr, again.output
    exported = run("export", "--db", out / "claimgraph.db", "-o", tmp_path / "exp", "--format", "json")
    assert exported.exit_code == 0, exported.output


def test_a_stage_failing_on_every_document_is_still_an_internal_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fault that no document's statements explain (it fails with all of them left out) is not blamed on
    a document: E310, exit 1."""
    import claimgraph.provenance.stage as provenance_stage

    def build_timeline(*args: Any) -> Any:
        raise RuntimeError("injected fault in every run")

    monkeypatch.setattr(provenance_stage, "build_timeline", build_timeline)
    _three_stories(tmp_path / "in")
    result = run("analyze", tmp_path / "in", "-o", tmp_path / "out", "--format", "json", *ALL_STAGES)
    no_traceback(result)
    assert result.exit_code == 1 and "[E310]" in result.stderr and "[E302]" not in result.stderr


def test_find_culprits_bisects_to_the_failing_documents() -> None:
    from claimgraph.isolation import find_culprits

    documents = [f"doc-{k:02d}" for k in range(40)]
    calls: list[frozenset[str]] = []

    def fails(bad: set[str]) -> Any:
        def check(excluded: frozenset[str]) -> bool:
            calls.append(excluded)
            return not bad <= excluded

        return check

    assert find_culprits(documents, fails({"doc-07"})) == ["doc-07"]
    assert len(calls) <= 2 + 6  # about log2(40) trials for one culprit
    assert sorted(find_culprits(documents, fails({"doc-03", "doc-31"})) or []) == ["doc-03", "doc-31"]
    assert find_culprits(documents, lambda excluded: True) is None  # fails without any statement
    assert find_culprits(documents, fails({"doc-01", "doc-02", "doc-03"}), max_culprits=2) is None
