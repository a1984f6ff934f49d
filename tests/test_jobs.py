"""``--jobs``: the per-document spaCy pass in worker processes gives exactly the single-process result."""

from __future__ import annotations

import os
import resource
from collections.abc import Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimgraph import analyze
from claimgraph.cli import cli
from claimgraph.data import sample_corpus_path
from claimgraph.model import Document
from claimgraph.options import Options
from claimgraph.parallel import available_cores, processes_for

FROZEN = "2026-01-01T00:00:00Z"
OUTPUTS = ("claimgraph.json", "claimgraph.stix.json", "claimgraph.graphml", "statements.csv", "claims.csv")


def test_processes_for() -> None:
    assert processes_for(1, 10_000, 32) == 1
    assert processes_for(4, 10_000, 32) == 4
    assert processes_for(2, 10, 32) == 1  # under two batches per worker: no worker at all
    assert processes_for(2, 128, 32) == 2
    assert processes_for(8, 128, 32) == 2
    assert processes_for(0, 10_000, 32) == available_cores()
    assert processes_for(-1, 10_000, 1) == available_cores()
    assert processes_for(3, 0, 32) == 1


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def test_two_workers_give_the_same_outputs_as_one(tmp_path: Path) -> None:
    sample = sample_corpus_path()
    n_docs = sum(1 for p in sample.rglob("*") if p.is_file())
    # small batches, so that the sample corpus is enough work for two worker processes
    assert processes_for(2, 2 * n_docs, 2) == 2
    one = analyze([sample], tmp_path / "one", options=Options(frozen_time=FROZEN, n_process=1, batch_size=2))
    before = _children_cpu()
    two = analyze([sample], tmp_path / "two", options=Options(frozen_time=FROZEN, n_process=2, batch_size=2))
    assert _children_cpu() > before, "no worker process ran"
    from claimgraph.parallel import RUNS

    annotate = RUNS["annotate"]  # the spaCy pass ran on the workers while the documents were read
    assert annotate.chunks >= 1 and annotate.worker_cpu and os.getpid() not in annotate.worker_cpu
    assert one.corpus.statements and one.corpus.to_dict() == two.corpus.to_dict()
    for name in OUTPUTS:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name


def test_the_statements_entities_found_in_workers_are_the_one_process_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After entity resolution, the gazetteer scans the documents' texts in forked workers
    (``attribution.scanmemo._scan_parts``; the statement spans are then lookups in this process);
    lowered minimum so that the sample is enough work."""
    from claimgraph.attribution import scanmemo
    from claimgraph.parallel import RUNS

    sample = sample_corpus_path()
    one = analyze([sample], tmp_path / "one", options=Options(frozen_time=FROZEN, n_process=1))
    assert RUNS["gazetteer-scan"].processes == 1
    monkeypatch.setattr(scanmemo, "MIN_DOCUMENTS_PER_WORKER", 1)
    two = analyze([sample], tmp_path / "two", options=Options(frozen_time=FROZEN, n_process=2))
    scans = RUNS["gazetteer-scan"]
    assert scans.processes == 2 and scans.chunks == 2
    # the work ran in forked workers, not here; a pool may hand both chunks to one worker when the
    # first chunk is done before the second is taken (seen under load), so one or two workers
    assert 1 <= len(scans.worker_cpu) <= 2 and os.getpid() not in scans.worker_cpu
    assert any(s.entity_ids for s in one.corpus.statements)
    assert one.corpus.to_dict() == two.corpus.to_dict()
    for name in OUTPUTS:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name


@pytest.mark.parametrize("value", ["-1", "x"])
def test_jobs_option_rejects_bad_values(tmp_path: Path, value: str) -> None:
    result = CliRunner().invoke(
        cli, ["analyze", str(sample_corpus_path()), "-o", str(tmp_path), "--jobs", value]
    )
    assert result.exit_code == 2
    assert "--jobs" in result.output


def _square_after(n: int) -> tuple[int, int]:
    import os
    import time

    time.sleep(0.05 if n % 2 else 0.0)  # later chunks may finish first
    return n * n, os.getpid()


def test_ordered_map_keeps_the_order_and_one_pool_for_every_chunk() -> None:
    from claimgraph.parallel import ordered_map

    results = list(ordered_map(_square_after, range(12), 2))
    assert [r for r, _ in results] == [n * n for n in range(12)]
    pids = {pid for _, pid in results}
    assert len(pids) == 2 and os.getpid() not in pids  # two workers served all twelve chunks
    assert [r for r, _ in ordered_map(_square_after, range(3), 1)] == [0, 1, 4]


def _burn(n: int) -> int:
    import time

    end = time.process_time() + 0.05  # CPU, not sleep: the worker's CPU account must see it
    total = 0
    while time.process_time() < end:
        total += n
    return n


def test_ordered_map_records_each_workers_cpu() -> None:
    from claimgraph.parallel import LAST_RUN, ordered_map

    assert list(ordered_map(_burn, range(8), 2)) == list(range(8))
    assert LAST_RUN.processes == 2 and LAST_RUN.chunks == 8
    assert len(LAST_RUN.worker_cpu) == 2 and os.getpid() not in LAST_RUN.worker_cpu
    assert sum(LAST_RUN.worker_cpu.values()) >= 8 * 0.05 * 0.9
    assert list(ordered_map(_burn, range(3), 1)) == [0, 1, 2]
    assert LAST_RUN.processes == 1 and LAST_RUN.chunks == 3
    assert list(LAST_RUN.worker_cpu) == [os.getpid()] and LAST_RUN.worker_cpu[os.getpid()] >= 0.1


def test_workers_are_started_once_per_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from claimgraph import parallel

    starts: list[int] = []
    real = parallel.start_pool

    def counting(n_process: int, *args: object) -> object:
        starts.append(n_process)
        return real(n_process, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(parallel, "start_pool", counting)
    # batch_size 1: chunks of two documents, so the sample corpus is several chunks
    options = Options(frozen_time=FROZEN, n_process=2, batch_size=1, formats=("json",))
    two = analyze([sample_corpus_path()], tmp_path / "two", options=options)
    assert starts == [2]
    one = analyze([sample_corpus_path()], tmp_path / "one", options=options.replace(n_process=1))
    assert starts == [2] and one.corpus.to_dict() == two.corpus.to_dict()
    assert (tmp_path / "one" / "claimgraph.json").read_bytes() == (
        tmp_path / "two" / "claimgraph.json"
    ).read_bytes()


class _Ext:
    def __init__(self, text: str) -> None:
        self.cg_mentions = [{"text": text}]
        self.cg_statements: list[object] = []
        self.cg_affiliations: list[object] = []
        self.cg_demonyms: list[object] = []


class _FakeDoc:
    def __init__(self, text: str) -> None:
        self._ = _Ext(text)
        self.text = text  # a title's annotation reads its text (attribution.readings.title_reading)


class _FakeNLP:
    """A spaCy stand-in whose ``pipe`` raises on any batch holding the word BOOM."""

    max_length = 100

    def pipe(self, items: list[tuple[str, object]], **kwargs: object) -> list[tuple[_FakeDoc, object]]:
        items = list(items)
        if any("BOOM" in text for text, _ in items):
            raise ValueError("component exploded")
        return [(_FakeDoc(text), context) for text, context in items]


def _document(i: int, text: str, content_hash: str = "") -> Document:
    """Document number ``i`` of a worker test (file ``f{i}.txt``, title ``t{i}``) with ``text``."""
    return Document(
        id=f"d{i}",
        path=f"f{i}.txt",
        url=None,
        title=f"t{i}",
        authors=[],
        published=None,
        outlet=None,
        text=text,
        content_hash=content_hash,
    )


def test_a_document_failing_in_a_worker_is_reported_once_and_the_others_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from claimgraph.attribution import stage

    monkeypatch.setattr("claimgraph.attribution.nlp.load_pipeline", lambda model: _FakeNLP())
    docs = [_document(i, "BOOM" if i == 3 else f"text {i}") for i in range(9)]
    items = iter([(t, (d.id, part)) for d in docs for part, t in (("text", d.text), ("title", d.title))])
    failures: list[tuple[str, str]] = []
    options = Options(batch_size=2, max_chars=10)
    done = list(
        stage._annotate_in_workers(items, options, "fake", docs, lambda d, r: failures.append((d.id, r)), 2)
    )
    assert [context for context, _ in done] == [
        (d.id, part) for d in docs if d.id != "d3" for part in ("text", "title")
    ]
    assert done[0][1]["mentions"] == [{"text": "text 0"}] and done[1][1] == {
        "mentions": [{"text": "t0"}],
        "demonyms": [],
        "calls_unfounded": False,
    }
    assert failures == [("d3", "ValueError: component exploded")]


def test_split_map_cuts_at_whole_blocks_and_keeps_the_order() -> None:
    from claimgraph.parallel import RUNS, split_map

    seen: list[int] = []  # lengths of the slices: appended in the workers' copies, not here

    def blockwise(items: Sequence[int]) -> list[tuple[int, int, int]]:
        seen.append(len(items))
        _burn(0)
        return [(n * n, len(items), os.getpid()) for n in items]

    items = list(range(103))
    out = split_map("test", blockwise, items, 2, block=10, min_blocks=2)  # a closure: never pickled
    assert [r for r, _, _ in out] == [n * n for n in items]
    assert {size for _, size, _ in out} == {60, 43}  # 11 blocks of 10: 6 whole blocks, then the rest
    pids = {pid for _, _, pid in out}
    assert len(pids) == 2 and os.getpid() not in pids and seen == []
    assert RUNS["test"].processes == 2 and RUNS["test"].chunks == 2
    assert set(RUNS["test"].worker_cpu) == pids and min(RUNS["test"].worker_cpu.values()) >= 0.04


def test_split_map_stays_in_process_for_small_inputs() -> None:
    from claimgraph.parallel import RUNS, split_map

    def double(items: Sequence[int]) -> list[int]:
        return [2 * n for n in items]

    assert split_map("small", double, list(range(30)), 2, block=10, min_blocks=2) == [
        2 * n for n in range(30)
    ]
    assert RUNS["small"].processes == 1 and list(RUNS["small"].worker_cpu) == [os.getpid()]
    assert split_map("small", double, list(range(100)), 1, block=10) == [2 * n for n in range(100)]
    assert split_map("small", double, [], 2, block=10) == []


class _AnnotationStore:
    """The annotation-cache part of a store, in memory."""

    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], object] = {}

    def put_annotation(self, doc_id: str, key: str, data: object) -> None:
        self.rows[(doc_id, key)] = data

    def get_annotations(self, keys: dict[str, str]) -> dict[str, object]:
        return {i: self.rows[(i, k)] for i, k in keys.items() if (i, k) in self.rows}


def test_prefetch_annotates_new_documents_in_workers_while_the_run_reads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from claimgraph.attribution.stage import annotation_key
    from claimgraph.parallel import RUNS
    from claimgraph.prefetch import AnnotationPrefetch, prefetch

    monkeypatch.setattr("claimgraph.attribution.nlp.load_pipeline", lambda model: _FakeNLP())
    monkeypatch.setattr("claimgraph.prefetch.CHUNK_DOCUMENTS", 3)
    docs = [
        _document(i, "BOOM" if i == 3 else ("long " * 30 if i == 7 else f"text {i}"), content_hash=f"h{i}")
        for i in range(10)
    ]
    options = Options(spacy_model="fake", batch_size=2, max_chars=1000, window_chars=100)
    with prefetch(options.replace(n_process=1)) as none:
        assert none is None  # --jobs 1: no workers
    runner = AnnotationPrefetch(options, 2)
    for doc in docs[:3]:
        runner.submit(doc)
    assert runner.sent == 0 and runner._pool is None  # under two batches per worker: no fork yet
    for doc in docs[3:]:
        runner.submit(doc)
    assert runner.sent == 9  # chunks of three sent while "reading"; d7 (over window_chars) never
    store = _AnnotationStore()
    cache = runner.cache(store)
    keys = {d.id: annotation_key("fake", d, options.window_chars) for d in docs}
    kept = [d.id for d in docs if d.id not in ("d3", "d7")]
    assert sorted(i for i, _ in store.rows) == kept  # written to the store's cache as the stage would
    assert sorted(cache.get_annotations(keys)) == kept  # d3 failed in a worker, d7: the stage does both
    assert cache.get_annotations(keys)["d0"]["text"]["mentions"] == [{"text": "text 0"}]
    stats = RUNS["annotate"]
    assert stats.chunks == 3 and len(stats.worker_cpu) >= 1 and os.getpid() not in stats.worker_cpu
    assert runner._pool is None  # workers stopped once everything is in


def test_the_stance_model_split_over_workers_predicts_what_it_predicts_whole() -> None:
    from claimgraph.claims.stance import load_stance_model
    from claimgraph.parallel import RUNS, _SplitPredictor, predict_in_workers

    model = load_stance_model(Options().stance_model)
    assert model is not None
    claims = [
        "The mayor of Dunmore approved the new harbour toll",
        "Astrid Okafor will resign from the transport board",
        "Brennick Foods recalled its frozen pies over listeria",
    ]
    texts = [
        "A spokesman said the mayor never approved any toll.",
        "Okafor told reporters she had no plans to step down.",
        "The company confirmed the recall on Tuesday, citing listeria.",
        "Officials declined to comment on the harbour plans.",
        "Sources close to the board say a resignation letter was drafted.",
    ]
    pairs = [(c, f"{t} ({k})") for k in range(8) for c in claims for t in texts]
    whole = model.predict(pairs)
    split = _SplitPredictor(model, 2, min_pairs=10).predict(pairs)
    assert split == whole and len(set(whole)) > 3
    assert RUNS["stance"].processes == 2 and os.getpid() not in RUNS["stance"].worker_cpu
    assert predict_in_workers(model, 1) is model  # --jobs 1: the model as it is
    assert isinstance(predict_in_workers(model, 2), _SplitPredictor)


def _stuck_worker(seconds: float) -> None:
    """A worker that cannot act on SIGTERM and never takes a task (as one waiting on a lock it
    inherited at the fork would)."""
    import signal
    import time

    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    time.sleep(seconds)


def test_stop_pool_ends_a_pool_whose_worker_ignores_sigterm() -> None:
    import threading
    import time

    from claimgraph.parallel import start_pool, stop_pool

    pool = start_pool(2, _stuck_worker, (120.0,))
    workers = list(pool._pool)
    done = threading.Event()

    def stop() -> None:
        stop_pool(pool, grace=0.5)
        done.set()

    started = time.monotonic()
    threading.Thread(target=stop, daemon=True).start()
    finished = done.wait(30.0)
    for process in workers:  # clean up whatever the code under test left, pass or fail
        if process.exitcode is None:
            process.kill()
    assert finished, "stop_pool waited on a worker that ignores SIGTERM"
    assert time.monotonic() - started < 30.0
    assert all(process.exitcode is not None for process in workers)


def test_a_worker_dies_on_sigterm_even_if_the_parent_catches_it() -> None:
    import signal

    from claimgraph.parallel import start_pool

    previous = signal.signal(signal.SIGTERM, lambda *_: None)  # as `claimgraph watch` does while it runs
    try:
        pool = start_pool(1)
        assert pool.apply(signal.getsignal, (signal.SIGTERM,)) == signal.SIG_DFL
        pool.terminate()
        pool.join()
    finally:
        signal.signal(signal.SIGTERM, previous)
