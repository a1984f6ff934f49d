"""CSV tables: stable columns, lists joined with '|', UTF-8, read back intact, formula guard."""

from __future__ import annotations

import csv
from pathlib import Path

from claimgraph.model import Corpus
from claimgraph.options import Options
from claimgraph.outputs.csv_export import COLUMNS, read_table, write_csv


def test_tables_read_back(corpus: Corpus, tmp_path: Path) -> None:
    written = write_csv(corpus, tmp_path, Options())
    assert [p.name for p in written] == [
        "entities.csv",
        "statements.csv",
        "claims.csv",
        "relations.csv",
        "sourcing.csv",
    ]
    for path in written:
        with path.open(encoding="utf-8", newline="") as fh:
            header = next(csv.reader(fh))
        assert tuple(header) == COLUMNS[path.name]

    entities = {r["id"]: r for r in read_table(tmp_path / "entities.csv")}
    assert len(entities) == len(corpus.entities)
    assert entities["ent-holt"]["aliases"] == "Holt"
    assert entities["ent-holt"]["type"] == "person"

    statements = {r["id"]: r for r in read_table(tmp_path / "statements.csv")}
    assert len(statements) == len(corpus.statements)
    sorel = statements["st-l4"]
    assert sorel["text"] == 'the allegation is "hypothetical to date"'
    assert sorel["stance"] == "disputes"
    assert sorel["source_label"] == "Lina Sorel"
    coastal = statements["st-c1"]
    assert coastal["cited_source_ids"] == "src-ledger|src-holt"
    assert int(coastal["start"]) < int(coastal["end"])

    claims = {r["id"]: r for r in read_table(tmp_path / "claims.csv")}
    recruit = claims["claim-recruit"]
    assert recruit["admiralty"] == "F4"
    assert recruit["circular"] == "true"
    assert recruit["attributed_to"] == "Marek Holt (consultant)"
    assert recruit["likelihood"].startswith("unlikely")
    assert recruit["outlets"] == "Coastal Wire|Holt Risk Advisory|Northern Ledger"
    assert recruit["statement_ids"].split("|") == sorted(
        next(c for c in corpus.claims if c.id == "claim-recruit").statement_ids
    )

    relations = {r["id"]: r for r in read_table(tmp_path / "relations.csv")}
    assert relations["rel-recruits"]["subject_name"] == "Veloria"
    assert relations["rel-recruits"]["object_name"] == "Red Dune Brigade"
    assert relations["rel-recruits"]["source_labels"] == "Marek Holt|Holt Risk Advisory"


def test_unicode_and_formula_guard(corpus_factory, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    corpus = corpus_factory(militia_name='=HYPERLINK("http://x.invalid") Brigade, “Ñandú”\nline')
    write_csv(corpus, tmp_path, Options())
    raw = (tmp_path / "entities.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in raw  # neutralised for spreadsheets
    assert "\n=HYPERLINK" not in raw and ",=HYPERLINK" not in raw
    entities = {r["id"]: r for r in read_table(tmp_path / "entities.csv")}
    assert entities["ent-rdb"]["name"] == '=HYPERLINK("http://x.invalid") Brigade, “Ñandú”\nline'


def test_deterministic(corpus: Corpus, tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    write_csv(corpus, tmp_path / "a", Options())
    corpus.statements.reverse()
    corpus.claims.reverse()
    write_csv(corpus, tmp_path / "b", Options())
    for name in COLUMNS:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
