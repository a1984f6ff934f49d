"""The command line, through click's CliRunner, then reopening the store to check what is there (sqlite-utils style).

These run the real ``claimgraph analyze`` (real ingest) on small plain-text files written here. The
analysis stages are switched off with the hidden ``--stages ""`` so that these tests cover ingest, the
store, the JSON output and the CLI itself; the stages have their own tests.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from claimgraph import cli as cli_module
from claimgraph.cli import cli
from claimgraph.options import DEFAULT_FORMATS
from claimgraph.store import Store

ROOT = Path(__file__).resolve().parent.parent
NO_STAGES = ["--stages", ""]
JSON_ONLY = ["--format", "json"]


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def analyze(inputs: list[Path | str], out: Path, *extra: str) -> Result:
    return run("analyze", *inputs, "--out", out, *JSON_ONLY, *NO_STAGES, *extra)


def stderr_lines(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.strip()]


def stored_paths(out: Path) -> list[str]:
    with Store.open(out / "claimgraph.db") as store:
        return sorted(Path(d.path).name for d in store.documents())


# ---------------------------------------------------------------------------- speed and imports


def test_help_is_fast() -> None:
    timings = []
    for _ in range(3):
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "claimgraph", "--help"],
            capture_output=True,
            text=True,
            check=False,
            cwd=ROOT,
        )
        timings.append(time.perf_counter() - start)
        assert done.returncode == 0, done.stderr
        assert "analyze" in done.stdout and "demo" in done.stdout
    assert min(timings) < 0.5, f"`python -m claimgraph --help` took {min(timings):.3f} s at best of 3"


def test_cli_imports_no_heavy_libraries() -> None:
    code = (
        "import sys, json, claimgraph.cli\n"
        "heavy = {'spacy', 'sklearn', 'sqlalchemy', 'trafilatura', 'lightgbm', 'stix2', 'networkx', 'jsonschema',"
        " 'rich', 'numpy'}\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in heavy)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert json.loads(done.stdout) == []


def test_version() -> None:
    import claimgraph

    result = run("--version")
    assert result.exit_code == 0
    assert result.output.strip() == f"claimgraph {claimgraph.__version__}"


def test_format_list_matches_the_options() -> None:
    assert cli_module.FORMATS == DEFAULT_FORMATS


# ---------------------------------------------------------------------------- analyze


def test_analyze_stores_documents_and_writes_json(tmp_path: Path, write_articles) -> None:
    inputs = write_articles(tmp_path / "in", 3)
    out = tmp_path / "out"
    result = analyze([tmp_path / "in"], out)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""  # no problems and no progress bar outside a terminal
    assert "read 3 document(s), 3 new; 0 input(s) could not be read" in result.stdout
    assert f"wrote: {out / 'claimgraph.json'}" in result.stdout
    assert f"store: sqlite:///{(out / 'claimgraph.db').resolve().as_posix()}" in result.stdout

    assert stored_paths(out) == [p.name for p in inputs]
    with Store.open(out / "claimgraph.db") as store:
        corpus = store.load_corpus()
        assert store.problems() == []
    data = json.loads((out / "claimgraph.json").read_text(encoding="utf-8"))
    assert data["schema"] == "claimgraph/1"
    assert [d["id"] for d in data["documents"]] == [d.id for d in corpus.documents]
    assert all("Kestria" in d["text"] for d in data["documents"])
    assert not (out / "report.html").exists()  # only --format json was asked for


def test_rerun_adds_nothing_and_new_files_add_only_themselves(tmp_path: Path, write_articles) -> None:
    write_articles(tmp_path / "in", 3)
    out = tmp_path / "out"
    assert analyze([tmp_path / "in"], out).exit_code == 0
    before = json.loads((out / "claimgraph.json").read_text(encoding="utf-8"))

    again = analyze([tmp_path / "in"], out)
    assert again.exit_code == 0, again.output
    assert "read 3 document(s), 0 new" in again.stdout
    assert json.loads((out / "claimgraph.json").read_text(encoding="utf-8")) == before

    write_articles(tmp_path / "in", 1, start=3)
    more = analyze([tmp_path / "in"], out)
    assert more.exit_code == 0, more.output
    assert "read 4 document(s), 1 new" in more.stdout
    assert stored_paths(out) == [f"article-{n:04d}.txt" for n in range(4)]


def test_analyze_accepts_files_folders_and_globs_in_any_mix(tmp_path: Path, write_articles) -> None:
    first = write_articles(tmp_path / "a", 2)
    write_articles(tmp_path / "b" / "deep", 2, start=2)
    write_articles(tmp_path / "c", 2, start=4)
    out = tmp_path / "out"
    result = analyze([first[0], tmp_path / "b", str(tmp_path / "c" / "*.txt")], out)
    assert result.exit_code == 0, result.output
    assert stored_paths(out) == ["article-0000.txt", *(f"article-{n:04d}.txt" for n in range(2, 6))]


def test_db_option_puts_the_store_elsewhere(tmp_path: Path, write_articles) -> None:
    write_articles(tmp_path / "in", 2)
    db = tmp_path / "stores" / "newsroom.db"
    result = analyze([tmp_path / "in"], tmp_path / "out", "--db", str(db))
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "out" / "claimgraph.db").exists()
    with Store.open(db) as store:
        assert store.count_documents() == 2


def _binary(path: Path) -> Path:
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    return path


def _empty(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def _oversized(path: Path) -> Path:
    paragraph = (
        "Officials in Veloria said the port of Kestria would reopen within the week, Jane Roe reported.\n\n"
    )
    path.write_text("Kestria port: the long version\n\n" + paragraph * 60, encoding="utf-8")
    return path


BAD_INPUTS = {
    "missing": (lambda p: p, "no-such-article.txt", "E001"),
    "empty": (_empty, "empty.txt", "E003"),
    "binary": (_binary, "scan.txt", "E004"),
    "oversized": (_oversized, "huge.txt", "E011"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_is_one_line_and_the_run_goes_on(tmp_path: Path, case: str, write_articles) -> None:
    make, name, code = BAD_INPUTS[case]
    good = write_articles(tmp_path / "in", 2)
    bad = make(tmp_path / name)
    out = tmp_path / "out"
    result = analyze([good[0], bad, good[1]], out, "--max-bytes", "3000")

    assert result.exit_code == 0, result.output
    lines = stderr_lines(result)
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"error: {bad}: ") and lines[0].endswith(f"[{code}]"), lines[0]
    assert "Traceback" not in result.output
    assert "read 2 document(s), 2 new; 1 input(s) could not be read" in result.stdout
    assert stored_paths(out) == [p.name for p in good]
    with Store.open(out / "claimgraph.db") as store:
        assert [(p.path, p.code) for p in store.problems()] == [(str(bad), code)]
    data = json.loads((out / "claimgraph.json").read_text(encoding="utf-8"))
    assert [(p["path"], p["code"]) for p in data["problems"]] == [(str(bad), code)]


def test_bad_input_does_not_lose_what_is_stored(tmp_path: Path, write_articles) -> None:
    good = write_articles(tmp_path / "in", 2)
    out = tmp_path / "out"
    assert analyze(good, out).exit_code == 0
    result = analyze([_empty(tmp_path / "empty.txt")], out)
    assert result.exit_code == 3  # nothing could be read in this run ...
    assert stored_paths(out) == [p.name for p in good]  # ... and nothing already stored is lost
    data = json.loads((out / "claimgraph.json").read_text(encoding="utf-8"))
    assert len(data["documents"]) == 2


def test_nothing_readable_exits_non_zero(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = analyze([tmp_path / "missing-a.txt", _empty(tmp_path / "empty.txt")], out)
    assert result.exit_code == cli_module.EXIT_NOTHING_READ
    lines = stderr_lines(result)
    assert lines[:2] == sorted(lines[:2], key=lambda line: "missing-a" not in line)  # in input order
    assert [line.rsplit("[", 1)[1] for line in lines[:2]] == ["E001]", "E003]"]
    assert lines[-1] == "error: no document could be read from the inputs"
    assert "Traceback" not in result.output


def test_strict_exits_non_zero_when_any_input_failed(tmp_path: Path, write_articles) -> None:
    good = write_articles(tmp_path / "in", 2)
    out = tmp_path / "out"
    result = analyze([*good, tmp_path / "gone.txt"], out, "--strict")
    assert result.exit_code == cli_module.EXIT_STRICT
    assert stderr_lines(result)[0].startswith(f"error: {tmp_path / 'gone.txt'}: ")
    assert stderr_lines(result)[-1] == "error: 1 input(s) could not be read (--strict)"
    assert stored_paths(out) == [p.name for p in good]  # the run still completed
    clean = analyze(good, tmp_path / "out2", "--strict")
    assert clean.exit_code == 0, clean.output


def test_format_switches(tmp_path: Path, write_articles) -> None:
    write_articles(tmp_path / "in", 1)
    out = tmp_path / "out"
    result = run("analyze", tmp_path / "in", "--out", out, "--format", "json", "--no-json", *NO_STAGES)
    assert result.exit_code == 0, result.output
    assert "wrote: nothing (no format selected)" in result.stdout
    assert not (out / "claimgraph.json").exists()
    assert stored_paths(out) == ["article-0000.txt"]  # the store is written regardless


def test_quiet_prints_nothing_but_errors(tmp_path: Path, write_articles) -> None:
    good = write_articles(tmp_path / "in", 1)
    result = analyze([*good, tmp_path / "nope.txt"], tmp_path / "out", "--quiet")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert len(stderr_lines(result)) == 1 and "nope.txt" in result.stderr


def test_progress_bar_only_when_asked_outside_a_terminal(tmp_path: Path, write_articles) -> None:
    write_articles(tmp_path / "in", 2)
    shown = analyze([tmp_path / "in"], tmp_path / "out", "--progress")
    assert shown.exit_code == 0, shown.output
    assert "ingest" in shown.stderr and "2/2" in shown.stderr
    # a step for saving and one for writing the outputs (json only here: 1 file of 1), never "0/?"
    assert "saving the workspace" in shown.stderr and "writing outputs" in shown.stderr
    assert re.search(r"writing outputs\s.*1/1", shown.stderr)
    assert "/?" not in shown.stderr
    hidden = analyze([tmp_path / "in"], tmp_path / "out2")
    assert hidden.stderr == ""


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--min-grade", "Z9", "not an Admiralty grade"),
        ("--max-bytes", "lots", "is not a size"),
        ("--frozen-time", "yesterday", "not an ISO timestamp"),
        ("--reliability", "no-such-registry.yaml", "does not exist"),
    ],
)
def test_bad_option_values_are_usage_errors(
    tmp_path: Path, option: str, value: str, message: str, write_articles
) -> None:
    write_articles(tmp_path / "in", 1)
    result = analyze([tmp_path / "in"], tmp_path / "out", option, value)
    assert result.exit_code == 2
    assert message in result.stderr
    assert not (tmp_path / "out" / "claimgraph.db").exists()


def test_max_bytes_accepts_units() -> None:
    size = cli_module.ByteSize()
    assert size.convert("50MB", None, None) == 50 * 1024 * 1024
    assert size.convert("200k", None, None) == 200 * 1024
    assert size.convert("1.5GiB", None, None) == int(1.5 * 1024**3)
    assert size.convert("4096", None, None) == 4096


def test_store_error_is_one_line_without_traceback(tmp_path: Path, write_articles) -> None:
    write_articles(tmp_path / "in", 1)
    bogus = tmp_path / "notes.db"
    bogus.write_text("not a database, just notes about Veloria " * 40, encoding="utf-8")
    result = analyze([tmp_path / "in"], tmp_path / "out", "--db", str(bogus))
    assert result.exit_code == 1
    assert stderr_lines(result) == [
        f"error: [E201] cannot open workspace store sqlite:///{bogus}: DatabaseError: file is not a database"
    ]


def test_options_reach_the_library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every shared option lands in the one Options object handed to claimgraph.analyze."""
    import claimgraph.pipeline

    seen: dict[str, object] = {}

    def fake_analyze(inputs, out, *, db, options, stages, on_problem):  # type: ignore[no-untyped-def]
        seen.update(inputs=inputs, out=out, db=db, options=options, stages=stages)
        raise SystemExit(0)

    monkeypatch.setattr(claimgraph.pipeline, "analyze", fake_analyze)
    registry_file = tmp_path / "reliability.yaml"
    registry_file.write_text("The Meridian Post: B\n", encoding="utf-8")
    actors = tmp_path / "actors.yaml"
    actors.write_text("threat-actor: [Kestrian Liberation Front]\n", encoding="utf-8")
    result = run(
        "analyze", "a.txt", "b/", "--out", tmp_path / "o", "--db", "postgresql://u@h/db", "--model", "en_core_web_sm",
        "--max-bytes", "1MB", "--strict", "--reliability", registry_file, "--actor-types", actors, "--min-grade", "c3",
        "--no-stix", "--no-html", "--frozen-time", "2024-01-01T00:00:00+00:00", "--no-progress",
        "--stages", "claimgraph.attribution.v1",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    options = seen["options"]
    assert seen["inputs"] == ["a.txt", "b/"] and seen["db"] == "postgresql://u@h/db"
    assert seen["stages"] == ("claimgraph.attribution.v1",)
    assert options.spacy_model == "en_core_web_sm"  # type: ignore[attr-defined]
    assert options.max_bytes == 1024 * 1024 and options.strict is True  # type: ignore[attr-defined]
    assert options.reliability_registry == registry_file and options.actor_types == actors  # type: ignore[attr-defined]
    assert options.min_grade == "C3"  # type: ignore[attr-defined]
    assert options.formats == ("json", "graphml", "csv")  # type: ignore[attr-defined]
    assert options.frozen_time == "2024-01-01T00:00:00+00:00" and options.progress is False  # type: ignore[attr-defined]

    seen.clear()
    assert run("analyze", "a.txt", "--out", tmp_path / "o").exit_code == 0
    assert seen["stages"] == ("claimgraph.attribution.v1", "claimgraph.claims.v1", "claimgraph.provenance.v1")
    assert seen["options"].formats == DEFAULT_FORMATS  # type: ignore[attr-defined]
    assert seen["options"].progress is None  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------- export, schema, demo, stance


def test_export_writes_from_an_existing_store(tmp_path: Path, write_articles) -> None:
    write_articles(tmp_path / "in", 2)
    out = tmp_path / "out"
    assert analyze([tmp_path / "in"], out).exit_code == 0
    exported = tmp_path / "exported"
    result = run("export", "--db", out / "claimgraph.db", "--format", "json", "--out", exported)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"wrote: {exported / 'claimgraph.json'}"
    assert json.loads((exported / "claimgraph.json").read_text(encoding="utf-8")) == json.loads(
        (out / "claimgraph.json").read_text(encoding="utf-8")
    )


def test_export_from_a_store_without_analysis_is_a_one_line_error(tmp_path: Path) -> None:
    with Store.open(tmp_path / "empty.db"):
        pass
    result = run("export", "--db", tmp_path / "empty.db", "--format", "json", "--out", tmp_path / "x")
    assert result.exit_code == 1
    lines = stderr_lines(result)
    assert len(lines) == 1 and lines[0].startswith("error: [E203] workspace store sqlite:///")
    assert not (tmp_path / "x" / "claimgraph.json").exists()


def test_export_from_a_missing_store_is_an_error_and_creates_nothing(tmp_path: Path) -> None:
    result = run("export", "--db", tmp_path / "typo.db", "--format", "json", "--out", tmp_path / "x")
    assert result.exit_code == 1
    lines = stderr_lines(result)
    assert len(lines) == 1 and lines[0].startswith("error: [E204] no workspace store at ")
    assert not (tmp_path / "typo.db").exists()


def test_export_needs_a_db() -> None:
    result = run("export", "--format", "json")
    assert result.exit_code == 2 and "--db" in result.stderr


def test_schema_command_prints_the_schema() -> None:
    from claimgraph.outputs.json_export import schema

    result = run("schema")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == schema()


def test_demo_analyses_the_sample_corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from claimgraph.data import sample_corpus_path

    monkeypatch.chdir(tmp_path)
    result = run("demo", *JSON_ONLY, *NO_STAGES)
    assert result.exit_code == 0, result.output
    out = Path("claimgraph-demo")
    assert "outputs are in claimgraph-demo/" in result.stdout
    assert (out / "claimgraph.json").is_file()
    sample_files = [p for p in sample_corpus_path().rglob("*") if p.is_file()]
    with Store.open(out / "claimgraph.db") as store:
        docs = store.documents()
    assert len(docs) >= len(sample_files) >= 8
    assert {Path(d.path.split("#", 1)[0]).name for d in docs} == {p.name for p in sample_files}


def test_stance_command_reports_a_bad_csv_in_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "pairs.csv"
    bad.write_text("id,headline\n1,Veloria recruits fighters\n", encoding="utf-8")
    result = run("stance", bad, "-o", tmp_path / "stances.csv")
    assert result.exit_code == 1
    lines = stderr_lines(result)
    assert len(lines) == 1 and lines[0].startswith("error: ") and "pairs.csv" in lines[0], result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "stances.csv").exists()


def test_stance_command_classifies_a_csv(tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.csv"
    pairs.write_text(
        "id,claim,text\n"
        "p1,Veloria recruits captured fighters,An expert said there is no evidence that Veloria recruits fighters.\n"
        "p2,Veloria recruits captured fighters,The harbour of Kestria was busy on Tuesday.\n",
        encoding="utf-8",
    )
    result = run("stance", pairs, "-o", tmp_path / "stances.csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"wrote 2 row(s) to {tmp_path / 'stances.csv'}"
    rows = (tmp_path / "stances.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0] == "id,stance,confidence"
    assert [row.split(",")[0] for row in rows[1:]] == ["p1", "p2"]
    assert all(0.0 <= float(row.split(",")[2]) <= 1.0 for row in rows[1:])


def test_stance_command_needs_an_output(tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("id,claim,text\n1,Veloria recruits fighters,Officials denied it.\n", encoding="utf-8")
    result = run("stance", pairs)
    assert result.exit_code == 2 and "--output" in result.stderr


# ---------------------------------------------------------------------------- documentation


def _documented() -> str:
    return (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")


def test_every_command_and_option_is_documented() -> None:
    docs = _documented()
    missing = []
    for name, command in sorted(cli.commands.items()):
        if not re.search(rf"^#+ .*`claimgraph {name}\b", docs, re.MULTILINE):
            missing.append(f"command {name} (needs a heading)")
        for param in command.params:
            if isinstance(param, click.Option) and param.hidden:
                continue
            if isinstance(param, click.Argument):
                if param.human_readable_name not in docs:
                    missing.append(f"{name} argument {param.human_readable_name}")
                continue
            for opt in [*param.opts, *param.secondary_opts]:
                if not re.search(rf"(?<![\w-]){re.escape(opt)}(?![\w-])", docs):
                    missing.append(f"{name} {opt}")
    for opt in ("--version", "--help"):
        if opt not in docs:
            missing.append(opt)
    assert not missing, f"undocumented in docs/cli.md: {missing}"


def test_exit_codes_are_documented() -> None:
    docs = _documented()
    for code in (0, 1, 2, cli_module.EXIT_NOTHING_READ, cli_module.EXIT_STRICT):
        assert re.search(rf"^\|\s*`?{code}`?\s*\|", docs, re.MULTILINE), f"exit code {code} not in the table"


# ---------------------------------------------------------------------------- contracts a newcomer relies on


def _value_for(param: click.Parameter, tmp_path: Path) -> str:
    """A valid value for a required parameter (an existing file when the type demands one)."""
    if isinstance(param.type, click.Path) and param.type.exists:
        existing = tmp_path / f"{param.name}.csv"
        existing.write_text("id,claim,text\n", encoding="utf-8")
        return str(existing)
    return str(tmp_path / f"{param.name}-value")


def test_every_required_option_is_enforced(tmp_path: Path) -> None:
    """Each command invoked without each of its required parameters is a usage error naming it."""
    checked: set[tuple[str, str]] = set()
    for name, command in sorted(cli.commands.items()):
        required = [p for p in command.params if p.required]
        for missing in required:
            args: list[str] = [name]
            for param in required:
                if param is missing:
                    continue
                value = _value_for(param, tmp_path)
                args += [value] if isinstance(param, click.Argument) else [param.opts[-1], value]
            result = run(*args)
            assert result.exit_code == 2, (args, result.output)
            assert "Missing" in result.output, (args, result.output)
            assert "Traceback" not in result.output
            checked.add((name, str(missing.name)))
    assert {("analyze", "out"), ("export", "db"), ("stance", "output")} <= checked
    # INPUT... may be left out only when --feed URL is given (checked by the command, not by click)
    result = run("analyze", "--out", tmp_path / "o")
    assert result.exit_code == 2 and "Missing argument 'INPUT...'" in result.output, result.output


def test_analyze_without_out_writes_nothing(
    tmp_path: Path, write_articles, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_articles(tmp_path / "in", 1)
    monkeypatch.chdir(tmp_path)
    result = run("analyze", "in", *NO_STAGES)
    assert result.exit_code == 2
    assert "Missing option '-o' / '--out'" in result.output
    assert not (tmp_path / "claimgraph.db").exists()


def _read_only_folder(tmp_path: Path) -> Path:
    """A folder this process cannot write into: chmod 555, or (as root, who ignores modes) read-only sysfs."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        (folder / "probe").write_text("x", encoding="utf-8")
    except OSError:
        return folder
    (folder / "probe").unlink()
    folder.chmod(0o755)
    if Path("/sys/kernel").is_dir():
        return Path("/sys")
    pytest.fail("no read-only folder available to test with")


@pytest.mark.parametrize("case", ["missing parent", "parent is a file", "read-only", "existing file"])
@pytest.mark.parametrize("command", ["analyze", "export"])
def test_output_path_errors_are_one_line(tmp_path: Path, write_articles, case: str, command: str) -> None:
    write_articles(tmp_path / "in", 1)
    store = tmp_path / "ws"
    if command == "export":
        assert analyze([tmp_path / "in"], store).exit_code == 0
    afile = tmp_path / "afile"
    afile.write_text("notes", encoding="utf-8")
    out = {
        "missing parent": tmp_path / "new" / "deeper" / "out",
        "parent is a file": afile / "sub",
        "read-only": _read_only_folder(tmp_path) / "claimgraph-out",
        "existing file": afile,
    }[case]
    if command == "analyze":
        result = analyze([tmp_path / "in"], out)
    else:
        result = run("export", "--db", store / "claimgraph.db", "--format", "json", "--out", out)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    if case == "missing parent":
        assert result.exit_code == 0, result.output
        assert (out / "claimgraph.json").is_file()
        return
    lines = stderr_lines(result)
    if case == "existing file":  # click's usage error: usage line, hint, one error line
        assert result.exit_code == 2 and lines[-1].endswith("is a file."), result.output
    else:
        assert len(lines) == 1, result.output
        assert result.exit_code == 1
        assert lines[0].startswith(f"error: cannot write to the output folder {out}: ")
    assert afile.read_text(encoding="utf-8") == "notes"


def test_bad_registry_leaves_nothing_behind(tmp_path: Path, write_articles) -> None:
    write_articles(tmp_path / "in", 1)
    registry_file = tmp_path / "reliability.yaml"
    registry_file.write_text("The Harbour Gazette: Q\n", encoding="utf-8")
    out = tmp_path / "out"
    result = analyze([tmp_path / "in"], out, "--reliability", str(registry_file))
    assert result.exit_code == 1
    assert len(stderr_lines(result)) == 1 and "reliability.yaml" in result.stderr
    assert not out.exists()
    out.mkdir()
    assert analyze([tmp_path / "in"], out, "--reliability", str(registry_file)).exit_code == 1
    assert list(out.iterdir()) == []


def test_a_run_failing_in_a_stage_removes_the_store_it_created(
    tmp_path: Path, write_articles, monkeypatch: pytest.MonkeyPatch
) -> None:
    import claimgraph.pipeline
    from claimgraph.errors import ModelError

    def broken(*args: object, **kwargs: object) -> None:
        raise ModelError("spaCy model 'xx_missing' is not installed")

    monkeypatch.setattr(claimgraph.pipeline, "build_pipeline", lambda stages: broken)
    write_articles(tmp_path / "in", 1)
    out = tmp_path / "out"
    result = analyze([tmp_path / "in"], out)
    assert result.exit_code == 1 and "xx_missing" in result.stderr
    assert not out.exists()
    # a store that was there before the failing run is kept
    monkeypatch.undo()
    assert analyze([tmp_path / "in"], out).exit_code == 0
    monkeypatch.setattr(claimgraph.pipeline, "build_pipeline", lambda stages: broken)
    # a new article, so that the stages run (with nothing new the stored analysis is reused)
    write_articles(tmp_path / "in", 1, start=1)
    assert analyze([tmp_path / "in"], out).exit_code == 1
    assert (out / "claimgraph.db").is_file()


@pytest.mark.parametrize("command", ["analyze", "export"])
def test_postgres_without_driver_names_the_extra(
    tmp_path: Path, write_articles, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    import importlib.util

    real = importlib.util.find_spec

    def no_psycopg(name: str, *args: object, **kwargs: object) -> object:
        return None if name.startswith("psycopg") else real(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(importlib.util, "find_spec", no_psycopg)
    write_articles(tmp_path / "in", 1)
    url = "postgresql://analyst@127.0.0.1:9/claims"
    if command == "analyze":
        result = analyze([tmp_path / "in"], tmp_path / "out", "--db", url)
    else:
        result = run("export", "--db", url, "--out", tmp_path / "out")
    assert result.exit_code == 1
    lines = stderr_lines(result)
    assert len(lines) == 1 and "pip install 'claimgraph[postgres]'" in lines[0]
    assert not (tmp_path / "out").exists()
