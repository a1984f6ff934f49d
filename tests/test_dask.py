"""``--dask``: ingest and the spaCy pass as Dask tasks give exactly the result of a run without Dask.

The cluster tests start a :class:`distributed.LocalCluster` of two worker processes (one thread each) on the
loopback interface without a dashboard; they are skipped, naming the extra, when ``distributed`` is absent.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from claimgraph import analyze
from claimgraph.cli import cli
from claimgraph.data import sample_corpus_path
from claimgraph.distributed import (
    annotate_partitions,
    dask_runner,
    local_cluster_options,
    parse_address,
)
from claimgraph.errors import ConfigError
from claimgraph.ingest import iter_documents
from claimgraph.model import Document
from claimgraph.options import Options

FROZEN = "2026-01-01T00:00:00Z"
OUTPUTS = ("claimgraph.json", "claimgraph.stix.json", "claimgraph.graphml", "statements.csv", "claims.csv")

needs_distributed = pytest.mark.skipif(
    __import__("importlib").util.find_spec("distributed") is None,
    reason="the [dask] extra is not installed: pip install 'claimgraph[dask]'",
)


def test_parse_address() -> None:
    assert parse_address("local:2") == ("local", 2)
    assert parse_address(" LOCAL:1 ") == ("local", 1)
    assert parse_address("tcp://scheduler:8786") == ("tcp://scheduler:8786", 0)
    assert parse_address("scheduler:8786") == ("scheduler:8786", 0)
    for bad in ("local", "local:0", "local:x", "scheduler", ""):
        with pytest.raises(ConfigError, match=r"\[E111\]"):
            parse_address(bad)


def _texts(sizes: list[int]) -> list[Document]:
    return [
        Document(
            id=f"d{i:05d}",
            path="",
            url=None,
            title=None,
            authors=[],
            published=None,
            outlet=None,
            text="x" * n,
        )
        for i, n in enumerate(sizes)
    ]


def test_annotate_partitions_keep_order_and_shrink_towards_the_end() -> None:
    import random

    from claimgraph.distributed import DOCUMENT_OVERHEAD_CHARS, MIN_SHARE

    sizes = [random.Random(7).randint(200, 6000) for _ in range(1000)]
    docs = _texts(sizes)
    parts = annotate_partitions(docs, 2)
    assert [d.id for part in parts for d in part] == [d.id for d in docs]  # every document once, in order
    weights = [sum(len(d.text or "") + DOCUMENT_OVERHEAD_CHARS for d in part) for part in parts]
    total = sum(weights)
    assert weights[0] > 3 * weights[-2]  # large first, small last
    # no partition but the remainder is below the floor, and the last ones are a small share of the work
    assert all(w >= total / (MIN_SHARE * 2) for w in weights[:-1])
    assert max(weights[-4:]) <= total / 16
    assert 8 <= len(parts) <= 40  # few tasks: scheduling overhead stays low


def test_annotate_partitions_are_bounded_by_count_and_sized_by_characters() -> None:
    from claimgraph.distributed import MAX_ANNOTATE_PARTITION

    one_long_many_short = _texts([200_000] + [10] * 2000)
    parts = annotate_partitions(one_long_many_short, 2)
    assert [d.id for d in parts[0]] == ["d00000"]  # the long text is a partition of its own
    assert max(len(p) for p in parts) <= MAX_ANNOTATE_PARTITION
    assert annotate_partitions(_texts([5, 5, 5]), 8) == [[d] for d in _texts([5, 5, 5])]
    assert annotate_partitions([], 2) == []


def test_missing_extra_is_one_coded_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    result = CliRunner().invoke(
        cli, ["analyze", str(sample_corpus_path()), "-o", str(tmp_path), "-q", "--dask", "local:2"]
    )
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "[E110]" in lines[0] and "claimgraph[dask]" in lines[0], result.output


@needs_distributed
def test_unreachable_scheduler_is_one_coded_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    import claimgraph.distributed

    monkeypatch.setattr(claimgraph.distributed, "CONNECT_TIMEOUT", 1.0)
    with socket.socket() as sock:  # a loopback port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = CliRunner().invoke(
        cli,
        [
            "analyze",
            str(sample_corpus_path()),
            "-o",
            str(tmp_path),
            "-q",
            "--dask",
            f"tcp://127.0.0.1:{port}",
        ],
    )
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "[E111]" in lines[0], result.output


@needs_distributed
def test_a_scheduler_without_workers_is_one_coded_line(monkeypatch: pytest.MonkeyPatch) -> None:
    import distributed

    import claimgraph.distributed

    monkeypatch.setattr(claimgraph.distributed, "CONNECT_TIMEOUT", 1.0)
    with (
        distributed.LocalCluster(**local_cluster_options(0)) as empty,
        pytest.raises(ConfigError, match=r"\[E111\].*workers"),
        dask_runner(empty.scheduler_address),
    ):
        pass


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """The address of a LocalCluster of two worker processes (loopback, no dashboard), shared by the module."""
    pytest.importorskip(
        "distributed", reason="the [dask] extra is not installed: pip install 'claimgraph[dask]'"
    )
    import distributed

    with distributed.LocalCluster(**local_cluster_options(2)) as cluster:
        yield cluster.scheduler_address


def _no_local_spacy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the spaCy pass impossible in this process: with Dask, only the workers may run it."""
    import claimgraph.attribution.nlp

    def refuse(name: str | None = None) -> Any:
        raise AssertionError("the spaCy pass ran on the client, not on the Dask workers")

    monkeypatch.setattr(claimgraph.attribution.nlp, "load_pipeline", refuse)


@needs_distributed
def test_local_cluster_gives_the_same_results(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sample = sample_corpus_path()
    plain = analyze([sample], tmp_path / "plain", options=Options(frozen_time=FROZEN, n_process=1))
    _no_local_spacy(monkeypatch)
    result = CliRunner().invoke(
        cli,
        [
            "analyze",
            str(sample),
            "-o",
            str(tmp_path / "dask"),
            "-q",
            "--no-progress",
            "--frozen-time",
            FROZEN,
            "--dask",
            "local:2",
        ],
    )
    assert result.exit_code == 0, result.output
    assert plain.corpus.statements and plain.corpus.claims
    assert any(claim.grade for claim in plain.corpus.claims)
    for name in OUTPUTS:
        assert (tmp_path / "plain" / name).read_bytes() == (tmp_path / "dask" / name).read_bytes(), name


@needs_distributed
def test_scheduler_address_gives_the_same_corpus(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, scheduler: str
) -> None:
    import claimgraph.distributed

    monkeypatch.setattr(claimgraph.distributed, "EARLY_PARTITION", 3)  # tasks sent during ingest too
    sample = sample_corpus_path()
    plain = analyze([sample], tmp_path / "plain", options=Options(frozen_time=FROZEN, n_process=1))
    _no_local_spacy(monkeypatch)
    on_dask = analyze([sample], tmp_path / "dask", options=Options(frozen_time=FROZEN, dask=scheduler))
    assert plain.added == on_dask.added > 0
    assert [s.to_dict() for s in plain.corpus.statements] == [s.to_dict() for s in on_dask.corpus.statements]
    assert [c.to_dict() for c in plain.corpus.claims] == [c.to_dict() for c in on_dask.corpus.claims]
    assert plain.corpus.to_dict() == on_dask.corpus.to_dict()


def _inputs(folder: Path) -> list[str]:
    """Files of several kinds, with problems between them, so that the order of the results is visible."""
    folder.mkdir()
    for i in range(5):
        (folder / f"report-{i}.txt").write_text(
            f"Dispatch {i}\n\nThe port authority of Lindqvist Bay said on Monday that {i + 3} cargo ships "
            "were delayed by the storm.\n",
            encoding="utf-8",
        )
    (folder / "empty.txt").write_text("", encoding="utf-8")  # E003, between documents
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4")  # skipped, counted
    explicit = folder.parent / "slides.pptx"
    explicit.write_bytes(b"PK")  # named on the command line: E013
    return [str(folder), str(explicit), str(folder.parent / "missing.txt")]


def _shown(items: list[Document | Any]) -> list[Any]:
    return [item.to_dict() if isinstance(item, Document) else item for item in items]


@needs_distributed
def test_ingest_on_workers_keeps_the_input_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, scheduler: str
) -> None:
    from collections import Counter

    import claimgraph.distributed

    monkeypatch.setattr(claimgraph.distributed, "INGEST_PARTITION", 2)  # several partitions
    inputs = _inputs(tmp_path / "in")
    options = Options()
    local_skipped: Counter[str] = Counter()
    local = list(iter_documents(inputs, options, local_skipped))
    dask_skipped: Counter[str] = Counter()
    with dask_runner(scheduler) as runner:
        on_dask = list(runner.iter_documents(inputs, options, dask_skipped))
        assert runner.fallbacks == runner.read_here == 0
    assert {type(item).__name__ for item in local} == {"Document", "InputProblem"}
    assert _shown(on_dask) == _shown(local)
    assert dask_skipped == local_skipped == Counter({".pdf": 1})


@needs_distributed
def test_a_failed_task_is_done_on_the_client(scheduler: str) -> None:
    with dask_runner(scheduler) as runner:
        results = list(runner._map_ordered(math.log, [1.0, 0.0, math.e], local=lambda p: "here"))
        assert runner.fallbacks == 1
    assert results == [0.0, "here", 1.0]


def test_a_file_a_worker_cannot_see_is_left_to_the_client(tmp_path: Path) -> None:
    from claimgraph.distributed import _read_here, _read_partition
    from claimgraph.ingest.discover import Candidate

    there = tmp_path / "there.txt"
    there.write_text("The harbour master of Lindqvist Bay said the quay reopened.", encoding="utf-8")
    items = [
        (Candidate(str(there), True), "claimgraph.text_reader.v1"),
        (Candidate(str(tmp_path / "gone.txt"), True), "claimgraph.text_reader.v1"),
    ]
    found = _read_partition(items, Options())
    assert found[1] is None and found[0] is not None and isinstance(found[0][0], Document)
    assert _read_here(items[:1], Options()) == [found[0]]


@needs_distributed
def test_workers_with_other_code_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, scheduler: str
) -> None:
    import claimgraph.attribution.stage

    # this process now computes annotations differently from the workers (whose code is unchanged)
    monkeypatch.setattr(claimgraph.attribution.stage, "ANNOTATION_VERSION", "attribution.test-only")
    with pytest.raises(ConfigError, match=r"\[E111\].*another claimgraph or spaCy version"):
        analyze([sample_corpus_path()], tmp_path / "out", options=Options(frozen_time=FROZEN, dask=scheduler))


@needs_distributed
@pytest.mark.postgres
def test_dask_with_a_postgresql_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, scheduler: str, postgres_url: str
) -> None:
    """The multi-machine setup: workers compute, the client alone writes to a PostgreSQL store; the outputs
    are those of a run without Dask on SQLite, and the annotations the workers computed are in PostgreSQL
    (a rerun there, without Dask and without spaCy in this process, reads them from the server)."""
    from claimgraph.attribution.nlp import default_model_name
    from claimgraph.attribution.stage import annotation_key
    from claimgraph.store import Store

    sample = sample_corpus_path()
    plain = analyze([sample], tmp_path / "plain", options=Options(frozen_time=FROZEN, n_process=1))
    _no_local_spacy(monkeypatch)
    options = Options(frozen_time=FROZEN, dask=scheduler, formats=("json",))
    on_dask = analyze([sample], tmp_path / "dask", db=postgres_url, options=options)
    assert on_dask.added == plain.added > 0
    name = "claimgraph.json"
    assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "plain" / name).read_bytes()
    with Store.open(postgres_url) as store:
        documents = store.documents()
        model = default_model_name()
        keys = {d.id: annotation_key(model, d, options.window_chars) for d in documents}
        assert len(documents) == plain.added and set(store.get_annotations(keys)) == set(keys)
    # the annotations are read back from PostgreSQL: no spaCy pass anywhere (this process refuses one)
    rerun = analyze(
        [sample],
        tmp_path / "again",
        db=postgres_url,
        options=Options(frozen_time=FROZEN, n_process=1, formats=("json",)),
        stages=("claimgraph.attribution.v1",),
    )

    def said(statements: list[Any]) -> list[tuple[Any, ...]]:  # what attribution alone decides
        return [(s.id, s.source_id, s.text, s.mode, s.entity_ids) for s in statements]

    assert rerun.added == 0 and said(rerun.corpus.statements) == said(on_dask.corpus.statements)


@needs_distributed
def test_a_rerun_sends_only_changed_files_and_drops_an_edited_files_old_version(
    tmp_path: Path, scheduler: str, copy_sample_corpus: Any
) -> None:
    """Incremental runs on Dask use the workspace's file index as a local run does: unchanged files are not
    sent to the workers, and an edited file's earlier version leaves the workspace (from-scratch result)."""
    import os

    from claimgraph.ingest import FileStart, UnchangedFile
    from claimgraph.pipeline import _file_index
    from claimgraph.store import Store

    files = copy_sample_corpus(tmp_path / "in")
    for path in files:  # written an hour ago: mtimes are trusted without reading the bytes
        st = path.stat()
        os.utime(path, ns=(st.st_atime_ns - 3600 * 10**9, st.st_mtime_ns - 3600 * 10**9))
    options = Options(frozen_time=FROZEN, dask=scheduler, formats=("json",))
    analyze(files, tmp_path / "grown", options=options)
    target = tmp_path / "in" / "tessin_gazette.txt"
    edited = target.read_text(encoding="utf-8").replace("\n\n", "\n\nA spokesman declined to comment.\n\n", 1)
    target.write_text(edited, encoding="utf-8")
    with Store.open(tmp_path / "grown" / "claimgraph.db") as store, dask_runner(scheduler) as runner:
        index = _file_index(store, options)
        items = list(runner.iter_documents([str(p) for p in files], options, files=index))
    unchanged = [i.path for i in items if isinstance(i, UnchangedFile)]
    read = [i.path for i in items if isinstance(i, FileStart)]
    assert read == [str(target.resolve())] and len(unchanged) == len(files) - 1

    grown = analyze(files, tmp_path / "grown", options=options)
    scratch = analyze(files, tmp_path / "scratch", options=options.replace(dask=None, n_process=1))
    assert grown.added == 1
    assert grown.corpus.to_dict() == scratch.corpus.to_dict()
    name = "claimgraph.json"
    assert (tmp_path / "grown" / name).read_bytes() == (tmp_path / "scratch" / name).read_bytes()


def test_annotations_travel_packed_and_come_back_equal() -> None:
    from claimgraph.distributed import _pack, _unpack

    annotations = {
        "doc-1": {
            "text": {
                "mentions": [{"text": "Ilse Marten", "start": 20 * i, "end": 20 * i + 11} for i in range(40)],
                "statements": [],
            },
            "title": {"mentions": []},
        }
    }
    packed = _pack(annotations)
    assert isinstance(packed, bytes) and _unpack(packed) == annotations
    assert len(packed) < len(__import__("json").dumps(annotations)) / 2  # compressed on the way


def test_store_annotated_gives_the_cached_documents_without_their_data(store_url: str) -> None:
    from claimgraph.store import Store

    with Store.open(store_url) as store:
        for n in range(3):
            store.put_annotation(f"doc-{n}", f"nlp.v1:{n}", {"n": n})
        store.put_annotation("doc-1", "nlp.v1:old", {"n": -1})
        wanted = {"doc-0": "nlp.v1:0", "doc-1": "nlp.v1:1", "doc-2": "nlp.v1:1", "doc-9": "x"}
        assert store.annotated(wanted) == set(store.get_annotations(wanted)) == {"doc-0", "doc-1"}
        assert store.annotated({}) == set()


@needs_distributed
def test_the_spacy_pass_starts_during_ingest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, scheduler: str
) -> None:
    """Documents go to the workers as ingest stores them (small partitions, a bounded number in flight);
    ``annotate`` then takes what is still running and sends the rest: every annotation is the local one."""
    import claimgraph.distributed
    from claimgraph.attribution.nlp import default_model_name
    from claimgraph.attribution.stage import annotate_documents, annotation_key
    from claimgraph.store import Store

    monkeypatch.setattr(claimgraph.distributed, "EARLY_PARTITION", 2)
    monkeypatch.setattr(claimgraph.distributed, "EARLY_IN_FLIGHT_PER_WORKER", 1)
    options = Options(n_process=1)
    docs = [d for d in iter_documents([str(sample_corpus_path())], options) if isinstance(d, Document)]
    assert len(docs) >= 8
    with Store.open(tmp_path / "ws.db") as store, dask_runner(scheduler) as runner:
        on_added = runner.start_annotating(options, store)
        for doc in docs:
            if store.add_document(doc):
                on_added(doc)
        early = runner._early
        assert early is not None and len(early.running) <= 2  # ingest waited for the workers
        # at most two partitions of two in flight and one document buffered: the rest is already stored
        assert early.stored >= len(docs) - 5
        stored = store.documents()
        assert runner.annotate(stored, options, store) == len(stored) == len(docs)
        model = default_model_name()
        keys = {d.id: annotation_key(model, d, options.window_chars) for d in stored}
        on_dask = store.get_annotations(keys)
    assert on_dask == annotate_documents(stored, options)
