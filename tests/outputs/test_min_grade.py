"""``--min-grade`` leaves the relations below the grade out of every format, on ``analyze`` and on ``export``.

The fixture corpus has relations graded F4 (recruits), C3 (attacks), F3 (leads) and F6 (trains); ``F3``
keeps reliability A-F with credibility 1-3, i.e. ``attacks`` and ``leads``.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimgraph.cli import cli
from claimgraph.model import Corpus
from claimgraph.options import DEFAULT_FORMATS, Options
from claimgraph.outputs import write_outputs
from claimgraph.store import Store

KEPT = {"attacks", "leads"}
DROPPED = {"recruits", "trains"}


def _predicates(out: Path) -> dict[str, set[str]]:
    """The relation predicates each format carries."""
    found: dict[str, set[str]] = {}
    data = json.loads((out / "claimgraph.json").read_text(encoding="utf-8"))
    found["json"] = {r["predicate"] for r in data["relations"]}
    edges = data["network"].get("edges")
    if isinstance(edges, list):  # the network summary computed by the pipeline (the fixture has counts only)
        by_id = {r["id"]: r["predicate"] for r in data["relations"]}
        network_ids = {i for e in edges for i in e["relation_ids"]}
        assert network_ids <= set(by_id)
        found["json network"] = {by_id[i] for i in network_ids}
    bundle = json.loads((out / "claimgraph.stix.json").read_text(encoding="utf-8"))
    found["stix"] = {
        o["relationship_type"]
        for o in bundle["objects"]
        if o["type"] == "relationship" and o["relationship_type"] in KEPT | DROPPED
    }
    import networkx as nx

    graph = nx.read_graphml(out / "claimgraph.graphml")
    found["graphml"] = {d["predicate"] for _, _, d in graph.edges(data=True) if d.get("predicate")}
    with (out / "relations.csv").open(encoding="utf-8", newline="") as fh:
        found["csv"] = {row["predicate"] for row in csv.DictReader(fh)}
    report = (out / "report.html").read_text(encoding="utf-8")
    found["html"] = {p for p in KEPT | DROPPED if f'"predicate":"{p}"' in report}
    return found


def test_without_min_grade_every_format_has_every_relation(corpus: Corpus, tmp_path: Path) -> None:
    write_outputs(corpus, tmp_path, Options(formats=DEFAULT_FORMATS))
    for fmt, predicates in _predicates(tmp_path).items():
        assert predicates == KEPT | DROPPED, fmt


def test_min_grade_filters_every_format(corpus: Corpus, tmp_path: Path) -> None:
    """The path ``analyze`` takes: the pipeline hands its options (with ``min_grade``) to ``write_outputs``."""
    write_outputs(corpus, tmp_path, Options(formats=DEFAULT_FORMATS, min_grade="F3"))
    for fmt, predicates in _predicates(tmp_path).items():
        assert predicates == KEPT, fmt
    network = json.loads((tmp_path / "claimgraph.json").read_text(encoding="utf-8"))["network"]
    assert network["min_grade"] == "F3"
    assert (network["relations_total"], network["relations_kept"]) == (4, 2)


@pytest.mark.parametrize("grade", ["F3", "c3"])
def test_export_min_grade_filters_every_format(corpus: Corpus, tmp_path: Path, grade: str) -> None:
    db = tmp_path / "ws.db"
    with Store.open(db) as store:
        store.begin_run()
        for doc in corpus.documents:
            store.add_document(doc)
        store.save_analysis(corpus)
    out = tmp_path / "exported"
    args = [
        "export",
        "--db",
        str(db),
        "--out",
        str(out),
        "--min-grade",
        grade,
        "--frozen-time",
        "2024-01-01T00:00:00Z",
    ]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    expected = KEPT if grade == "F3" else {"attacks"}
    for fmt, predicates in _predicates(out).items():
        assert predicates == expected, fmt


def _relation_ids(out: Path, universe: set[str]) -> dict[str, set[str]]:
    """The relation ids each format carries (the report's edges by their anchors)."""
    from claimgraph.outputs.report import anchor

    data = json.loads((out / "claimgraph.json").read_text(encoding="utf-8"))
    ids = {r["id"] for r in data["relations"]}
    found = {"json": ids}
    with (out / "relations.csv").open(encoding="utf-8", newline="") as fh:
        found["csv"] = {row["id"] for row in csv.DictReader(fh)}
    import networkx as nx

    graph = nx.read_graphml(out / "claimgraph.graphml")
    found["graphml"] = {
        d["relation_id"] for _, _, d in graph.edges(data=True) if d.get("edge_kind") == "relation"
    }
    report = (out / "report.html").read_text(encoding="utf-8")
    found["html"] = {
        i
        for i in {r["id"] for r in data["relations"]} | found["graphml"]
        if f'"id":"{anchor("edge", i)}"' in report
    }
    return found


def test_analyze_min_grade_on_the_sample_corpus(tmp_path: Path) -> None:
    """``analyze --min-grade`` end to end: every format carries only the relations at the grade; an export
    of the same store without it carries them all."""
    from claimgraph import sample_corpus_path

    out = tmp_path / "out"
    args = [
        "analyze",
        str(sample_corpus_path()),
        "--out",
        str(out),
        "--min-grade",
        "F3",
        "--no-stix",
        "--no-progress",
        "-q",
    ]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    everything = tmp_path / "all"
    result = CliRunner().invoke(
        cli, ["export", "--db", str(out / "claimgraph.db"), "--out", str(everything), "-q"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads((everything / "claimgraph.json").read_text(encoding="utf-8"))
    kept = {r["id"] for r in data["relations"] if r["grade"]["credibility"] <= 3}
    assert kept and kept != {r["id"] for r in data["relations"]}, (
        "the sample needs relations on both sides of F3"
    )
    every = {r["id"] for r in data["relations"]}
    for fmt, ids in _relation_ids(out, every).items():
        assert ids == kept, fmt
    for fmt, ids in _relation_ids(everything, every).items():
        assert ids == every, fmt
