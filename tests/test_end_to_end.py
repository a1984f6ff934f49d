"""The whole job, as a newcomer runs it: ``claimgraph demo`` on the bundled sample corpus, every stage and
every output, then each output is checked by the tool that will read it (JSON Schema, the OASIS STIX
validator, networkx, the csv module) and the store is reopened.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from claimgraph.cli import cli
from claimgraph.model import Corpus
from claimgraph.store import Store

FROZEN = "2026-01-01T00:00:00Z"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "out"
    result = CliRunner().invoke(cli, ["demo", "--out", str(out), "--frozen-time", FROZEN])
    assert result.exit_code == 0, result.output
    assert str(out) in result.stdout
    return out


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def test_demo_writes_every_output(demo: Path) -> None:
    names = {p.name for p in demo.iterdir()}
    expected = {
        "claimgraph.json",
        "claimgraph.stix.json",
        "claimgraph.graphml",
        "report.html",
        "claimgraph.db",
    }
    expected |= {"entities.csv", "statements.csv", "claims.csv", "relations.csv", "sourcing.csv"}
    assert expected <= names
    assert not [n for n in names if n.endswith(".tmp")]


def test_json_follows_the_schema_and_the_store_holds_the_same(demo: Path) -> None:
    from claimgraph.outputs.json_export import validate

    data = _json(demo / "claimgraph.json")
    validate(data)
    assert data["schema"] == "claimgraph/1"
    for key in ("documents", "entities", "sources", "statements", "claims", "relations"):
        assert data[key], f"the sample corpus should fill {key}"
        ids = [item["id"] for item in data[key]]
        assert ids == sorted(ids) and len(set(ids)) == len(ids)
    with Store.open(demo / "claimgraph.db", create=False) as store:
        stored = store.load_corpus()
    assert stored.to_dict() == Corpus.from_dict(data).to_dict()


def test_every_statement_points_at_its_words(demo: Path) -> None:
    data = _json(demo / "claimgraph.json")
    docs = {d["id"]: d for d in data["documents"]}
    sources = {s["id"] for s in data["sources"]}
    for st in data["statements"]:
        doc = docs[st["document_id"]]
        field = doc["title"] if st["part"] == "title" else doc["text"]
        assert field[st["start"] : st["end"]] == st["text"]
        assert st["source_id"] in sources


def test_the_central_allegation_is_attributed_not_asserted(demo: Path) -> None:
    data = _json(demo / "claimgraph.json")
    top = max(data["claims"], key=lambda c: c["attention"])
    assert top["circular"] is True and top["independent_sources"] == 1
    assert top["grade"]["reliability"] == "F", "reliability only comes from a user registry"
    explanation = top["grade"]["explanation"]
    assert "one origin" in explanation.lower() and "Marek Holt" in explanation
    assert "Not independently corroborated" in explanation


def test_stix_bundle_is_valid_and_reexport_is_identical(demo: Path, tmp_path: Path) -> None:
    from stix2validator import ValidationOptions, validate_string

    text = (demo / "claimgraph.stix.json").read_text(encoding="utf-8")
    result = validate_string(text, ValidationOptions(version="2.1"))
    assert result.is_valid, [str(e) for e in result.errors]
    types = {o["type"] for o in json.loads(text)["objects"]}
    assert {"identity", "report", "note", "opinion", "relationship"} <= types
    assert "threat-actor" not in types, "nobody is labelled a threat actor without the user's configuration"
    again = CliRunner().invoke(
        cli,
        [
            "export",
            "--db",
            str(demo / "claimgraph.db"),
            "--format",
            "stix",
            "--out",
            str(tmp_path),
            "--frozen-time",
            FROZEN,
        ],
    )
    assert again.exit_code == 0, again.output
    assert (tmp_path / "claimgraph.stix.json").read_text(encoding="utf-8") == text


def test_graphml_and_csv_read_back(demo: Path) -> None:
    import networkx as nx

    graph = nx.read_graphml(demo / "claimgraph.graphml")
    assert graph.number_of_nodes() > 0 and graph.number_of_edges() > 0
    data = _json(demo / "claimgraph.json")
    for name, key in (
        ("entities", "entities"),
        ("statements", "statements"),
        ("claims", "claims"),
        ("relations", "relations"),
    ):
        with (demo / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        assert len(rows) == len(data[key])


def test_report_is_self_contained(demo: Path) -> None:
    html = (demo / "report.html").read_text(encoding="utf-8")
    assert "Content-Security-Policy" in html
    assert "http://" not in html.split("<body", 1)[0].replace("http://www.w3.org", "")
    assert "<script src" not in html and '<link rel="stylesheet"' not in html
    assert "Marek Holt" in html


def test_export_from_the_store_equals_what_analyze_wrote(demo: Path, tmp_path: Path) -> None:
    args = ["export", "--db", str(demo / "claimgraph.db"), "--out", str(tmp_path), "--frozen-time", FROZEN]
    result = CliRunner().invoke(cli, [*args, "--format", "json", "--format", "html", "--format", "graphml"])
    assert result.exit_code == 0, result.output
    for name in ("claimgraph.json", "report.html", "claimgraph.graphml"):
        assert (tmp_path / name).read_bytes() == (demo / name).read_bytes(), name


def test_reliability_comes_from_the_users_registry(tmp_path: Path) -> None:
    from claimgraph.data import sample_corpus_path

    registry = tmp_path / "reliability.yaml"
    registry.write_text("Marek Holt: D\nThe Meridian Post: A\n", encoding="utf-8")
    out = tmp_path / "graded"
    args = [
        "analyze",
        str(sample_corpus_path()),
        "--out",
        str(out),
        "--format",
        "json",
        "--reliability",
        str(registry),
    ]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    top = max(_json(out / "claimgraph.json")["claims"], key=lambda c: c["attention"])
    # the origin's letter, never the relaying outlet's: an A outlet repeating a D source is still D
    assert top["grade"]["reliability"] == "D"
    assert top["grade"]["admiralty"] == "D" + str(top["grade"]["credibility"])
    assert "reliability registry" in top["grade"]["explanation"]
