"""Bad input: one problem per file, naming it and the reason, and the run goes on."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest

from claimgraph.options import Options

from .helpers import FIXTURES, LONG_BODY, page, read_all, warc_bytes

GOOD = FIXTURES / "messy.txt"


def _only_problem(path: Path | str, options: Options | None = None) -> tuple[str, str]:
    docs, problems = read_all([path, GOOD], options)
    assert [d.path for d in docs] == [str(GOOD)], "the good file after the bad one must still be read"
    (problem,) = problems
    assert problem.path == str(path)
    assert str(path) in str(problem) and "\n" not in str(problem)
    return problem.code, problem.reason


def test_missing_path(tmp_path: Path) -> None:
    code, reason = _only_problem(tmp_path / "nowhere.html")
    assert code == "E001" and reason == "path does not exist"


def test_glob_matching_nothing(tmp_path: Path) -> None:
    code, _ = _only_problem(str(tmp_path / "*.html"))
    assert code == "E015"


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"  \n\n ")
    assert _only_problem(path)[0] == "E003"


@pytest.mark.parametrize("data", [b"\x89PNG\r\n\x1a\n" + bytes(200), b"abc\x00\x01\x02def" * 10])
def test_binary_file(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "picture.html"
    path.write_bytes(data)
    code, reason = _only_problem(path)
    assert code == "E004" and "binary" in reason


def test_undecodable_text(tmp_path: Path) -> None:
    path = tmp_path / "garbled.txt"
    path.write_bytes(bytes(range(128, 256)) * 4)
    code, reason = _only_problem(path)
    assert code == "E005" and "cannot decode" in reason


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("The harbour reopened on Friday after a strike.", encoding="utf-8")
    if os.geteuid() != 0:
        path.chmod(0)
    else:  # root reads anything: make the open fail the way a permission problem does
        from claimgraph.ingest import limits

        def refuse(*args: object, **kwargs: object) -> object:
            raise PermissionError(13, "Permission denied", str(path))

        monkeypatch.setattr(limits, "open", refuse, raising=False)
    docs, problems = read_all([path])
    assert docs == []
    (problem,) = problems
    assert problem.code == "E002" and "Permission denied" in problem.reason


def test_malformed_html(tmp_path: Path) -> None:
    path = tmp_path / "not_really.html"
    path.write_text("just words, no markup at all, saved with the wrong suffix", encoding="utf-8")
    code, reason = _only_problem(path)
    assert code == "E006" and "malformed HTML" in reason


def test_html_without_article_text(tmp_path: Path) -> None:
    path = tmp_path / "shell.html"
    path.write_text(
        "<html><head><title>x</title></head><body><div id='app'></div></body></html>", encoding="utf-8"
    )
    assert _only_problem(path)[0] == "E012"


def test_malformed_xml_feed(tmp_path: Path) -> None:
    path = tmp_path / "broken.rss"
    path.write_text(
        "<?xml version='1.0'?><rss><channel><title>x</title><item><title>a</titl", encoding="utf-8"
    )
    code, reason = _only_problem(path)
    assert code == "E007" and "malformed XML" in reason


def test_malformed_jsonl_line_keeps_good_lines(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    good = '{"text": "The harbour reopened on Friday after a two-week strike by dock workers in Lisca."}'
    path.write_text(f"{good}\n{{not json\n", encoding="utf-8")
    docs, problems = read_all([path])
    assert [d.path for d in docs] == [f"{path}#1"]
    (problem,) = problems
    assert problem.path == f"{path}#2" and problem.code == "E008" and "line 2" in problem.reason


def test_truncated_warc_keeps_complete_records(tmp_path: Path) -> None:
    data = warc_bytes(
        [
            ("https://x.example/1", page("Border talks", LONG_BODY)),
            ("https://x.example/2", page("Port", LONG_BODY)),
        ]
    )
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(data[: len(data) - 40])
    docs, problems = read_all([path])
    assert [d.path for d in docs] == [f"{path}#https://x.example/1"]
    (problem,) = problems
    assert problem.code == "E009" and "truncated" in problem.reason


def test_truncated_uncompressed_warc(tmp_path: Path) -> None:
    data = warc_bytes([("https://x.example/1", page("Border talks", LONG_BODY))], gz=False)
    path = tmp_path / "cut.warc"
    path.write_bytes(data[: len(data) - 60])
    docs, problems = read_all([path])
    assert docs == []
    assert [p.code for p in problems] == ["E009"]


def test_not_a_warc(tmp_path: Path) -> None:
    path = tmp_path / "fake.warc"
    path.write_text("hello, this is not an archive", encoding="utf-8")
    assert _only_problem(path)[0] == "E009"


@pytest.mark.parametrize("name", ["bomb.warc.gz", "bomb.txt.gz"])
def test_gzip_bomb_is_capped(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(gzip.compress(b"WARC/1.0\r\n" + b"a" * (20 * 1024 * 1024), compresslevel=9))
    assert path.stat().st_size < 100_000
    options = Options(max_bytes=1024 * 1024)
    code, reason = _only_problem(path, options)
    assert code == "E010" and "1048576" in reason and "--max-bytes" in reason


def test_file_over_size_cap(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    path.write_text("The harbour reopened on Friday. " * 2000, encoding="utf-8")
    code, reason = _only_problem(path, Options(max_bytes=10_000))
    assert code == "E011" and "--max-bytes" in reason
    # raising the cap lets it through
    docs, problems = read_all([path], Options(max_bytes=1_000_000))
    assert problems == [] and len(docs) == 1


def test_explicit_unsupported_file(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.4 whatever")
    code, reason = _only_problem(path)
    assert code == "E013" and "'.pdf'" in reason


def test_unsupported_files_inside_a_folder_are_skipped_silently(tmp_path: Path) -> None:
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.4 whatever")
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / "a.txt").write_text(GOOD.read_text(), encoding="utf-8")
    docs, problems = read_all([tmp_path])
    assert problems == [] and [d.path for d in docs] == [f"{tmp_path}/a.txt"]


def test_broken_symlink(tmp_path: Path) -> None:
    link = tmp_path / "gone.html"
    link.symlink_to(tmp_path / "missing-target.html")
    docs, problems = read_all([link])
    assert docs == [] and [p.code for p in problems] == ["E002"]


def test_every_problem_is_one_line_with_code(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "bin.html").write_bytes(b"\x00\x01\x02" * 50)
    (tmp_path / "bad.jsonl").write_text("{oops\n", encoding="utf-8")
    _, problems = read_all([tmp_path, tmp_path / "missing.md"])
    assert sorted(p.code for p in problems) == ["E001", "E003", "E004", "E008"]
    for problem in problems:
        line = str(problem)
        assert line.startswith(problem.path + ": ") and line.endswith(f"[{problem.code}]")
        assert "\n" not in line and "Traceback" not in line
