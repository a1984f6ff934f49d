"""Incremental ingest: unchanged input files are not read again, an edited file replaces its earlier version,
and near-duplicate signatures are computed once per document; every result equals a from-scratch run."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from claimgraph import analyze
from claimgraph.ingest import mark_duplicates
from claimgraph.model import Document
from claimgraph.options import Options
from claimgraph.store import Store

FROZEN = "2026-01-01T00:00:00Z"
OUTPUTS = ("claimgraph.json", "statements.csv", "claims.csv", "claimgraph.graphml", "claimgraph.stix.json")
OPTIONS = Options(frozen_time=FROZEN, n_process=1, progress=False, formats=("json", "csv", "graphml", "stix"))
HOUR_NS = 3600 * 10**9

CopyCorpus = Callable[[Path], list[Path]]  # the conftest fixture copy_sample_corpus


def _age(files: list[Path], ns: int = HOUR_NS) -> None:
    """Move the files' mtimes an hour back (they were not written while a run read them)."""
    for path in files:
        st = path.stat()
        os.utime(path, ns=(st.st_atime_ns - ns, st.st_mtime_ns - ns))


def _count_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    import claimgraph.ingest as ingest

    read: list[str] = []
    original = ingest._read

    def counting(candidate: Any, reader_name: str, options: Options) -> Any:
        read.append(os.path.basename(candidate.path))
        return original(candidate, reader_name, options)

    monkeypatch.setattr(ingest, "_read", counting)
    return read


def _same_outputs(a: Path, b: Path) -> None:
    for name in OUTPUTS:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_unchanged_files_are_not_read_again(
    tmp_path: Path, copy_sample_corpus: CopyCorpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = copy_sample_corpus(tmp_path / "in")
    empty = tmp_path / "in" / "empty.txt"
    empty.write_text("   \n", encoding="utf-8")  # gives a problem (no text), never a document
    files.append(empty)
    _age(files)
    first = analyze(files, tmp_path / "out", options=OPTIONS)
    read = _count_reads(monkeypatch)

    again = analyze(files, tmp_path / "out", options=OPTIONS)
    assert read == []  # size and mtime unchanged, read long after they were written: nothing is read
    assert again.seen == first.seen and again.added == 0
    assert sorted(map(str, again.problems)) == sorted(map(str, first.problems))
    assert any(p.path.endswith("empty.txt") for p in again.problems)
    assert again.corpus.to_dict() == first.corpus.to_dict()

    # other reading options: every file is read again
    analyze(files, tmp_path / "out", options=OPTIONS.replace(paragraph_jaccard=0.85))
    assert sorted(read) == sorted(p.name for p in files)


def test_a_file_written_while_it_was_read_is_checked_by_content(
    tmp_path: Path, copy_sample_corpus: CopyCorpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = copy_sample_corpus(
        tmp_path / "in"
    )  # written just now: their mtimes are too close to the read to trust
    analyze(files, tmp_path / "out", options=OPTIONS)
    target = tmp_path / "in" / "harbour_herald.txt"
    st = target.stat()
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("a", "o", 1), encoding="utf-8")  # same size
    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))  # same mtime
    read = _count_reads(monkeypatch)
    analyze(files, tmp_path / "out", options=OPTIONS)
    assert read == ["harbour_herald.txt"]  # the others' bytes are unchanged


def test_an_edited_file_replaces_its_earlier_version(tmp_path: Path, copy_sample_corpus: CopyCorpus) -> None:
    files = copy_sample_corpus(tmp_path / "in")
    analyze(files, tmp_path / "incremental", options=OPTIONS)
    target = tmp_path / "in" / "tessin_gazette.txt"
    with Store.open(tmp_path / "incremental" / "claimgraph.db", readonly=True) as store:
        before = {d.id for d in store.documents() if d.path == str(target)}
    assert len(before) == 1

    edited = target.read_text(encoding="utf-8").replace("\n\n", "\n\nA spokesman declined to comment.\n\n", 1)
    target.write_text(edited, encoding="utf-8")
    grown = analyze(files, tmp_path / "incremental", options=OPTIONS)
    scratch = analyze(files, tmp_path / "scratch", options=OPTIONS)

    assert grown.added == 1
    with Store.open(tmp_path / "incremental" / "claimgraph.db", readonly=True) as store:
        ids = {d.id for d in store.documents()}
        after = {d.id for d in store.documents() if d.path == str(target)}
    assert len(after) == 1 and after != before and not before & ids  # the old version is gone
    assert not any(s.document_id in before for s in grown.corpus.statements)
    assert grown.corpus.to_dict() == scratch.corpus.to_dict()
    _same_outputs(tmp_path / "incremental", tmp_path / "scratch")


def test_files_left_out_of_a_run_stay_in_the_workspace(
    tmp_path: Path, copy_sample_corpus: CopyCorpus
) -> None:
    files = copy_sample_corpus(tmp_path / "in")
    half = len(files) // 2
    analyze(files[:half], tmp_path / "incremental", options=OPTIONS)
    grown = analyze(files[half:], tmp_path / "incremental", options=OPTIONS)
    scratch = analyze(files, tmp_path / "scratch", options=OPTIONS)
    assert grown.corpus.to_dict() == scratch.corpus.to_dict()
    _same_outputs(tmp_path / "incremental", tmp_path / "scratch")


def _doc(i: int, text: str, published: str | None = None) -> Document:
    return Document(
        id=f"doc-{i:02d}",
        path=f"d{i}.txt",
        url=None,
        title=None,
        authors=[],
        outlet=None,
        text=text,
        content_hash=f"h{i}",
        published=published,
    )


def test_stored_signatures_give_the_same_duplicates_and_only_new_documents_are_hashed() -> None:
    base = (
        "The regional water authority said on Tuesday that the reservoir levels had fallen to their lowest "
        "point in a decade, and that rationing would begin in the northern districts next month unless "
        "heavy rain arrived before the end of the season, according to a statement from its chairwoman."
    )
    docs = [
        _doc(1, base, "2024-03-02"),
        _doc(2, base.replace("chairwoman", "chairman"), "2024-03-01"),
        _doc(3, "An unrelated report on the harvest festival and the parade through the old town square."),
        _doc(4, base),
        _doc(5, "!!!"),  # no words: no signature
    ]
    options = Options()
    expected = mark_duplicates(docs, options)
    assert expected["doc-01"] == "doc-02" and expected["doc-04"] == "doc-02" and expected["doc-03"] is None

    stored: dict[str, dict[str, Any]] = {}
    assert mark_duplicates(docs[:3], options, on_signature=lambda d, s: stored.__setitem__(d.id, s)) == (
        mark_duplicates(docs[:3], options)
    )
    assert sorted(stored) == ["doc-01", "doc-02", "doc-03"]
    computed: list[str] = []
    again = mark_duplicates(docs, options, signatures=stored, on_signature=lambda d, s: computed.append(d.id))
    assert again == expected
    assert computed == ["doc-04", "doc-05"]  # the others' signatures were reused
    assert mark_duplicates(list(reversed(docs)), options, signatures=stored) == expected


def _canonical(path: Path) -> str:
    return json.dumps(json.loads(path.read_text(encoding="utf-8")), sort_keys=True, ensure_ascii=False)


def test_three_batches_give_the_from_scratch_result_without_a_frozen_clock(
    tmp_path: Path, copy_sample_corpus: CopyCorpus
) -> None:
    """A, then A+B, then A+B+C (earlier files unchanged, not read again) against A+B+C from scratch: the same
    entities, sources, statements and claims, and the same claimgraph.json (compared as canonical JSON)."""
    files = copy_sample_corpus(tmp_path / "in")
    _age(files)
    options = OPTIONS.replace(frozen_time=None, formats=("json",))
    thirds = [files[: len(files) // 3], files[: 2 * len(files) // 3], files]
    runs = [analyze(batch, tmp_path / "incremental", options=options) for batch in thirds]
    scratch = analyze(files, tmp_path / "scratch", options=options)
    assert [r.added > 0 for r in runs] == [True, True, True]
    assert sum(r.added for r in runs) == scratch.added
    grown = runs[-1].corpus
    for name in ("entities", "sources", "statements", "claims"):
        assert [x.to_dict() for x in getattr(grown, name)] == [
            x.to_dict() for x in getattr(scratch.corpus, name)
        ]
    assert _canonical(tmp_path / "incremental" / "claimgraph.json") == _canonical(
        tmp_path / "scratch" / "claimgraph.json"
    )


def test_a_file_whose_documents_left_the_store_is_read_again(
    tmp_path: Path, copy_sample_corpus: CopyCorpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = copy_sample_corpus(tmp_path / "in")
    _age(files)
    first = analyze(files, tmp_path / "out", options=OPTIONS)
    target = tmp_path / "in" / "sarn_gulf_brief.md"
    with Store.open(tmp_path / "out" / "claimgraph.db") as store:
        ids = [d.id for d in store.documents() if d.path == str(target)]
        assert store.remove_documents(ids) == 1
    read = _count_reads(monkeypatch)
    again = analyze(files, tmp_path / "out", options=OPTIONS)
    assert read == ["sarn_gulf_brief.md"] and again.added == 1
    assert again.corpus.to_dict() == first.corpus.to_dict()


def test_a_file_name_that_is_not_utf8_is_read_again_not_recorded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    name = os.fsdecode(b"report-\xe9.txt")  # a Latin-1 byte in a file name, kept by surrogateescape
    (folder / name).write_text(
        "The mayor said on Monday that the bridge would reopen in May.\n", encoding="utf-8"
    )
    _age([folder / name])
    options = OPTIONS.replace(formats=("json",))
    first = analyze([folder], tmp_path / "out", options=options)
    read = _count_reads(monkeypatch)
    again = analyze([folder], tmp_path / "out", options=options)
    assert first.added == 1 and again.added == 0 and again.seen == 1
    assert len(read) == 1  # not recorded, so read again
