"""Incremental runs: documents added in batches give exactly the from-scratch result, a rerun with nothing
new reuses the stored analysis, and the store rewrites only the rows that changed."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from contextlib import closing
from pathlib import Path

import pytest

from claimgraph import analyze
from claimgraph.memo import pair_key
from claimgraph.model import Corpus
from claimgraph.options import Options
from claimgraph.outputs.csv_export import COLUMNS
from claimgraph.pipeline import Pipeline
from claimgraph.store import Store
from claimgraph.store._tables import ANALYSIS_TABLES

FROZEN = "2026-01-01T00:00:00Z"
OUTPUTS = (
    "claimgraph.json",
    *COLUMNS,
    "claimgraph.graphml",
    "claimgraph.stix.json",
)  # every file of json, csv, graphml, stix
OPTIONS = Options(frozen_time=FROZEN, n_process=1, progress=False, formats=("json", "csv", "graphml", "stix"))

CopyCorpus = Callable[[Path], list[Path]]  # the conftest fixture copy_sample_corpus


def _analysis(db: Path) -> dict[str, object]:
    with Store.open(db, readonly=True) as store:
        return store.load_corpus().to_dict()


def _analysis_rows(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the analysis tables as stored."""
    with closing(sqlite3.connect(db)) as conn:
        return {
            table.name: conn.execute(f"SELECT * FROM {table.name} ORDER BY 1").fetchall()
            for table in ANALYSIS_TABLES
        }


@pytest.mark.parametrize("corpus", ["sample", "fnc1"])
def test_documents_added_in_two_batches_give_the_from_scratch_result(
    tmp_path: Path, copy_sample_corpus: CopyCorpus, fnc1_body_files: CopyCorpus, corpus: str
) -> None:
    files = (copy_sample_corpus if corpus == "sample" else fnc1_body_files)(tmp_path / "in")
    first, second = files[: len(files) // 2], files[len(files) // 2 :]
    assert first and second

    start = analyze(first, tmp_path / "incremental", options=OPTIONS)
    with Store.open(tmp_path / "incremental" / "claimgraph.db") as store:
        after_first = store.counts()
    grown = analyze([*first, *second], tmp_path / "incremental", options=OPTIONS)
    scratch = analyze([*first, *second], tmp_path / "scratch", options=OPTIONS)

    assert grown.added == scratch.added - start.added > 0 and start.added > 0
    assert scratch.corpus.statements and scratch.corpus.claims
    assert grown.corpus.to_dict() == scratch.corpus.to_dict()  # claims, grades, statements, ids
    assert _analysis(tmp_path / "incremental" / "claimgraph.db") == _analysis(
        tmp_path / "scratch" / "claimgraph.db"
    )
    rows = _analysis_rows(tmp_path / "incremental" / "claimgraph.db")
    assert rows == _analysis_rows(tmp_path / "scratch" / "claimgraph.db")
    assert len(rows["entities"]) == len(scratch.corpus.entities)
    for name in OUTPUTS:
        assert (tmp_path / "incremental" / name).read_bytes() == (tmp_path / "scratch" / name).read_bytes(), (
            name
        )
    with Store.open(tmp_path / "incremental" / "claimgraph.db") as store:
        assert store.counts()["documents"] == scratch.added > after_first["documents"]


def test_a_rerun_with_nothing_new_reuses_the_stored_analysis(
    tmp_path: Path, copy_sample_corpus: CopyCorpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = copy_sample_corpus(tmp_path / "in")
    first = analyze(files, tmp_path / "out", options=OPTIONS)
    written = {name: (tmp_path / "out" / name).read_bytes() for name in OUTPUTS}

    def no_stages(self: Pipeline, *args: object) -> None:
        raise AssertionError("nothing changed: the stages must not run again")

    monkeypatch.setattr(Pipeline, "__call__", no_stages)
    monkeypatch.setattr("claimgraph.ingest.mark_duplicates", no_stages)
    again = analyze(files, tmp_path / "out", options=OPTIONS)
    assert again.added == 0 and again.corpus.to_dict() == first.corpus.to_dict()
    for name in OUTPUTS:
        assert (tmp_path / "out" / name).read_bytes() == written[name], name

    # an option that changes results (or new code, or a new document) makes a new analysis
    with pytest.raises(AssertionError, match="must not run again"):
        analyze(files, tmp_path / "out", options=OPTIONS.replace(claim_threshold=0.6))


def test_a_reused_analysis_reports_the_documents_its_stages_skipped(
    tmp_path: Path, copy_sample_corpus: CopyCorpus
) -> None:
    from claimgraph.pipeline import DEFAULT_STAGES, RunContext, stage
    from claimgraph.registry import registry

    name = "test.skips_first_document.v1"
    if name not in registry.stages.get_all():

        @stage(name, reads=["documents"], assigns=[])
        def skips_first(corpus: Corpus, ctx: RunContext) -> None:
            first = min(corpus.documents, key=lambda d: d.id)
            ctx.document_failed(first.path, "test", "refused by a test stage")

    files = copy_sample_corpus(tmp_path / "in")
    stages = (*DEFAULT_STAGES, name)
    first = analyze(files, tmp_path / "out", options=OPTIONS, stages=stages)
    skipped = sorted(str(p) for p in first.problems if p.code == "E302")
    assert len(skipped) == 1 and "refused by a test stage" in skipped[0]
    again = analyze(files, tmp_path / "out", options=OPTIONS, stages=stages)
    assert sorted(str(p) for p in again.problems if p.code == "E302") == skipped
    assert again.corpus.problems == first.corpus.problems


class _CountingModel:
    def __init__(self) -> None:
        self.seen: list[tuple[str, str]] = []

    def predict(self, pairs: Sequence[tuple[str, str]]) -> list[tuple[str, float]]:
        self.seen.extend(pairs)
        return [("disputes" if "denied" in text else "supports", len(text) / 100) for _, text in pairs]


def test_stored_stance_predictions_are_reused_and_only_the_latest_run_kept(tmp_path: Path) -> None:
    from claimgraph.memo import StoredStanceModel

    claim = "The port authority raised fees"
    old = [(claim, "Officials denied the fee rise."), (claim, "The fee rise was confirmed.")]
    new = [(claim, "Shippers said fees rose by a third.")]
    with Store.open(tmp_path / "cg.db") as store:
        inner = _CountingModel()
        first = StoredStanceModel(inner, store, "stance:test").predict(old)
        assert inner.seen == old
        again = StoredStanceModel(inner, store, "stance:test")
        assert again.predict([*new, *old, new[0]]) == [
            *_CountingModel().predict(new),
            *first,
            *_CountingModel().predict(new),
        ]
        assert inner.seen == [*old, *new] and again.computed == 1  # only the new pair was scored
        StoredStanceModel(inner, store, "stance:test").predict(new)
        assert store.get_memos("stance:test", [pair_key(*p) for p in old]) == {}  # unused pairs dropped
        assert StoredStanceModel(inner, store, "stance:other").predict(new) and inner.seen[-1] == new[0]
