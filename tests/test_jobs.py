"""``--jobs``: the per-document spaCy pass in worker processes gives exactly the single-process result."""

from __future__ import annotations

import resource
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimgraph import analyze
from claimgraph.cli import cli
from claimgraph.data import sample_corpus_path
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
    assert one.corpus.statements and one.corpus.to_dict() == two.corpus.to_dict()
    for name in OUTPUTS:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name


@pytest.mark.parametrize("value", ["-1", "x"])
def test_jobs_option_rejects_bad_values(tmp_path: Path, value: str) -> None:
    result = CliRunner().invoke(
        cli, ["analyze", str(sample_corpus_path()), "-o", str(tmp_path), "--jobs", value]
    )
    assert result.exit_code == 2
    assert "--jobs" in result.output
