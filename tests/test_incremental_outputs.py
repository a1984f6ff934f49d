"""Incremental outputs: writing over an earlier run's outputs gives exactly the bytes of a fresh write."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from pathlib import Path

from claimgraph.model import Corpus
from claimgraph.options import Options
from claimgraph.outputs import write_outputs
from claimgraph.outputs.csv_export import COLUMNS
from claimgraph.outputs.json_export import dumps

OPTIONS = Options(frozen_time="2026-01-01T00:00:00Z")
FILES = (
    "claimgraph.json",
    *COLUMNS,
    "claimgraph.graphml",
    "claimgraph.stix.json",
)  # every file of json, csv, graphml, stix


def _write(
    corpus: Corpus, out: Path, formats: tuple[str, ...] = ("json", "stix", "csv", "graphml")
) -> dict[str, bytes]:
    write_outputs(corpus, out, OPTIONS, list(formats))
    return {name: (out / name).read_bytes() for name in FILES if (out / name).exists()}


def _changed(corpus: Corpus) -> Corpus:
    """``corpus`` with one statement's text and one claim's grade explanation edited."""
    import copy

    other = copy.deepcopy(corpus)
    assert other.to_dict() == corpus.to_dict()
    st = other.statements[0]
    other.statements[0] = dataclasses.replace(st, text=st.text + " (edited: =SUM(A1))")
    claim = other.claims[0]
    other.claims[0] = dataclasses.replace(
        claim, grade=dataclasses.replace(claim.grade, explanation="Edited \u00e9 explanation.")
    )
    return other


def test_json_export_is_json_dumps_of_to_dict(full_corpus: Corpus) -> None:
    """The records are encoded from their fields (no ``to_dict``): the text must stay ``to_dict``'s."""
    assert dumps(full_corpus) == json.dumps(full_corpus.to_dict(), indent=2, ensure_ascii=False) + "\n"


def test_a_rewrite_over_earlier_outputs_gives_the_fresh_bytes(tmp_path: Path, full_corpus: Corpus) -> None:
    first = _write(full_corpus, tmp_path / "kept")
    assert first == _write(full_corpus, tmp_path / "fresh-0")
    assert _write(full_corpus, tmp_path / "kept") == first  # nothing changed

    changed = _changed(full_corpus)
    kept = _write(changed, tmp_path / "kept")
    assert kept == _write(changed, tmp_path / "fresh-1")
    assert kept["claimgraph.json"] != first["claimgraph.json"]
    assert b"(edited: =SUM(A1))" in kept["statements.csv"]
    assert kept["entities.csv"] == first["entities.csv"]


def test_the_fragment_cache_of_earlier_versions_is_removed(tmp_path: Path, full_corpus: Corpus) -> None:
    """Earlier versions kept pretty JSON fragments in ``OUT/.claimgraph-fragments.sqlite``; encoding afresh
    is now faster than looking them up, and a stale cache would only take disk space."""
    old = tmp_path / ".claimgraph-fragments.sqlite"
    with sqlite3.connect(old) as db:
        db.execute("CREATE TABLE t (key BLOB PRIMARY KEY, text TEXT NOT NULL)")
    db.close()
    fresh = _write(full_corpus, tmp_path / "fresh")
    assert _write(full_corpus, tmp_path) == fresh
    assert not old.exists()
