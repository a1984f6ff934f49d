"""Incremental outputs: fragments kept between writes (``OUT/.claimgraph-fragments.sqlite``) give exactly
the bytes of a fresh write, and a rewrite after a small change encodes only what changed."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from pathlib import Path

import pytest

from claimgraph.model import Corpus
from claimgraph.options import Options
from claimgraph.outputs import write_outputs
from claimgraph.outputs._fragments import CACHE_NAME, Fragments, _StoredFragments
from claimgraph.outputs.csv_export import COLUMNS
from claimgraph.outputs.json_export import dumps

OPTIONS = Options(frozen_time="2026-01-01T00:00:00Z")
CACHED = ("json", "stix", "csv")
FILES = (
    "claimgraph.json",
    *COLUMNS,
    "claimgraph.graphml",
    "claimgraph.stix.json",
)  # every file of json, csv, graphml, stix


def _write(corpus: Corpus, out: Path, formats: tuple[str, ...] = (*CACHED, "graphml")) -> dict[str, bytes]:
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


def test_rewrite_with_cached_fragments_gives_the_fresh_bytes(
    tmp_path: Path, full_corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _write(full_corpus, tmp_path / "kept")
    assert (tmp_path / "kept" / CACHE_NAME).is_file()
    assert first == _write(full_corpus, tmp_path / "fresh-0")

    caches: list[Fragments] = []
    original = _StoredFragments.save

    def save(self: _StoredFragments) -> None:
        caches.append(self)
        original(self)

    monkeypatch.setattr(_StoredFragments, "save", save)
    again = _write(full_corpus, tmp_path / "kept")  # nothing changed: every fragment from the cache
    assert again == first
    assert caches and all(c.reused and c.encoded == 0 for c in caches)

    caches.clear()
    changed = _changed(full_corpus)
    kept = _write(changed, tmp_path / "kept")
    by_file = {c.table.split("|")[0]: c for c in caches}  # type: ignore[attr-defined]
    fresh = _write(changed, tmp_path / "fresh-1")
    assert kept == fresh
    assert kept["claimgraph.json"] != first["claimgraph.json"]
    assert b"(edited: =SUM(A1))" in kept["statements.csv"]
    # only the changed records were encoded again (the statement, the claim, and what quotes them)
    assert 0 < by_file["claimgraph.json"].encoded < by_file["claimgraph.json"].reused
    assert by_file["statements.csv"].encoded > 0 and by_file["statements.csv"].reused > 0
    assert by_file["entities.csv"].encoded == 0


def test_the_cache_keeps_only_the_latest_write(tmp_path: Path, full_corpus: Corpus) -> None:
    _write(full_corpus, tmp_path, ("json",))
    _write(_changed(full_corpus), tmp_path, ("json",))
    with sqlite3.connect(tmp_path / CACHE_NAME) as db:
        (table,) = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        stored = {bytes(k): v for k, v in db.execute(f'SELECT key, text FROM "{table}"')}
    text = (tmp_path / "claimgraph.json").read_text(encoding="utf-8")
    assert stored and all(fragment in text for fragment in stored.values())
    assert len(stored) == len(set(stored.values()))


@pytest.mark.parametrize("damage", ["garbage", "wrong table"])
def test_a_damaged_cache_is_ignored(tmp_path: Path, full_corpus: Corpus, damage: str) -> None:
    fresh = _write(full_corpus, tmp_path / "fresh")
    out = tmp_path / "out"
    out.mkdir()
    if damage == "garbage":
        (out / CACHE_NAME).write_bytes(b"not a database" * 100)
    else:
        with sqlite3.connect(out / CACHE_NAME) as db:
            db.execute("CREATE TABLE other (x)")
    assert _write(full_corpus, out) == fresh
    assert _write(full_corpus, out) == fresh


def test_fragments_without_a_folder_are_the_plain_encoding() -> None:
    from claimgraph.outputs import iter_json

    data = {"a": [{"x": [1, 2.5, None, True, "\u00e9\ud800"]}, {"y": {}}], "b": {"c": []}, "d": []}
    plain = "".join(iter_json(data, indent=3))
    assert plain == json.dumps(data, indent=3, ensure_ascii=False) + "\n"
    cache = Fragments()
    assert "".join(iter_json(data, indent=3, cache=cache)) == plain
    assert "".join(iter_json(data, indent=3, cache=cache)) == plain and cache.encoded == 2


class _Float(float):
    """A float subclass whose rounding keeps its type (as numpy's ``float64`` does), shown differently."""

    def __round__(self, ndigits: int | None = None) -> _Float:  # type: ignore[override]
        return self

    def __repr__(self) -> str:
        return "float-subclass"


def test_a_cell_whose_type_json_does_not_show_is_formatted_afresh() -> None:
    from claimgraph.outputs.csv_export import _iter_lines

    cache = Fragments()
    rows = [{"id": "a", "confidence": 0.5}, {"id": "a", "confidence": _Float(0.5)}]
    header, plain, subclass = list(_iter_lines(("id", "confidence"), rows, cache))
    assert header == "id,confidence\r\n" and plain == "a,0.5\r\n" and subclass == "a,float-subclass\r\n"
