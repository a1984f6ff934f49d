"""Outputs written over their previous version by element (``outputs._reuse``): the bytes are a full write's,
unchanged elements are copied and not built, and any doubt about the previous file means a full write."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimgraph.model import Corpus
from claimgraph.options import Options
from claimgraph.outputs import csv_export, graphml, write_outputs
from claimgraph.outputs._reuse import write_reused
from claimgraph.outputs._splice import sidecar_path
from claimgraph.outputs.graphml import build_graph, graphml_text

VERSION = "test:1"


def _elements(texts: list[str], built: list[str] | None = None) -> list[Any]:
    """A header, then one element per text, its digest the text's (so equal digests mean equal text)."""

    def build(text: str) -> Callable[[], str]:
        def make() -> str:
            if built is not None:
                built.append(text)
            return text

        return make

    return [(None, "head\n")] + [(hashlib.sha256(t.encode()).digest()[:16], build(t)) for t in texts]


def _expected(texts: list[str]) -> bytes:
    return ("head\n" + "".join(texts)).encode("utf-8")


_texts = st.lists(st.text(min_size=1, max_size=5).map(lambda t: t + "\n"), max_size=12)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    first=_texts,
    second=_texts,
    edits=st.lists(st.tuples(st.integers(0, 40), st.text(max_size=4)), max_size=5),
)
def test_a_write_over_any_previous_file_is_the_full_write(
    tmp_path: Path, first: list[str], second: list[str], edits: list[tuple[int, str]]
) -> None:
    """Random element lists, the first edited (elements replaced, inserted, deleted, repeated): each write
    gives the elements' texts in order, whatever the folder held before."""
    path = tmp_path / "out.txt"
    edited = list(first)
    for where, text in edits:
        action = where % 3
        if action == 0 or not edited:
            edited.insert(where % (len(edited) + 1), text + "\n")
        elif action == 1:
            edited[where % len(edited)] = text + "!\n"
        else:
            del edited[where % len(edited)]
    for texts in (first, edited, second, first, first):
        write_reused(path, _elements(texts), version=VERSION)
        assert path.read_bytes() == _expected(texts)


def test_unchanged_elements_are_copied_not_built(tmp_path: Path) -> None:
    path = tmp_path / "out.txt"
    texts = [f"row {i}\n" for i in range(30)]
    built: list[str] = []
    first = write_reused(path, _elements(texts, built), version=VERSION)
    assert (first.reused_previous, first.encoded, len(built)) == (False, 30, 30)
    built.clear()
    again = write_reused(path, _elements(texts, built), version=VERSION)
    assert (again.reused_previous, again.copied, again.encoded, built) == (True, 30, 0, [])
    texts[5] = "edited\n"
    texts.insert(0, "new\n")
    del texts[20]
    edited = write_reused(path, _elements(texts, built), version=VERSION)
    assert (edited.copied, edited.encoded, sorted(built)) == (28, 2, ["edited\n", "new\n"])
    assert path.read_bytes() == _expected(texts)


def _tamper_file(path: Path) -> None:
    raw = bytearray(path.read_bytes())
    raw[raw.index(b"row 3") + 4] = ord("8")  # same size, other content
    path.write_bytes(bytes(raw))


def _tamper_sidecar(path: Path) -> None:
    side = sidecar_path(path)
    raw = bytearray(side.read_bytes())
    raw[-1] ^= 0xFF
    side.write_bytes(bytes(raw))


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:-3])


def _no_sidecar(path: Path) -> None:
    sidecar_path(path).unlink()


def _garbage_sidecar(path: Path) -> None:
    sidecar_path(path).write_bytes(b"not a sidecar")


def _other_file(path: Path) -> None:
    other = path.with_name("other.txt")
    write_reused(other, _elements([f"row {i + 100}\n" for i in range(10)]), version=VERSION)
    path.write_bytes(other.read_bytes())


@pytest.mark.parametrize(
    "damage", [_tamper_file, _tamper_sidecar, _truncate, _no_sidecar, _garbage_sidecar, _other_file]
)
def test_any_doubt_about_the_previous_file_means_a_full_write(tmp_path: Path, damage: Any) -> None:
    path = tmp_path / "out.txt"
    texts = [f"row {i}\n" for i in range(10)]
    write_reused(path, _elements(texts), version=VERSION)
    damage(path)
    stats = write_reused(path, _elements(texts), version=VERSION)
    assert (stats.reused_previous, stats.encoded) == (False, 10)
    assert path.read_bytes() == _expected(texts)
    assert write_reused(path, _elements(texts), version=VERSION).encoded == 0  # its new sidecar is good


def test_text_of_another_code_version_is_not_reused(tmp_path: Path) -> None:
    path = tmp_path / "out.txt"
    write_reused(path, _elements(["a\n", "b\n"]), version=VERSION)
    stats = write_reused(path, _elements(["a\n", "b\n"]), version="test:2")
    assert (stats.reused_previous, stats.encoded) == (False, 2)


# -- the CSV tables ----------------------------------------------------------------------------------------

#: record list -> a text field an edit may change (each is shown in some table, directly or looked up)
_FIELDS = {
    "sources": "label",
    "entities": "name",
    "documents": "title",
    "statements": "text",
    "claims": "text",
    "relations": "predicate",
}
_edit = st.tuples(
    st.sampled_from(sorted(_FIELDS)), st.integers(0, 100), st.sampled_from(["edit", "drop", "copy"])
)


def _edited(corpus: Corpus, edits: list[tuple[str, int, str]], text: str) -> Corpus:
    """``corpus`` with records' text fields changed, records removed and records added (copies, new id)."""
    changed = dataclasses.replace(corpus)
    for name in _FIELDS:
        setattr(changed, name, list(getattr(corpus, name)))
    changed.sourcing = []  # profiles are computed from the records again
    for n, (name, where, action) in enumerate(edits):
        records = getattr(changed, name)
        if not records:
            continue
        i = where % len(records)
        if action == "edit":
            records[i] = dataclasses.replace(records[i], **{_FIELDS[name]: f"{text} {n} =x"})
        elif action == "drop" and name not in ("documents", "sources"):
            del records[i]
        else:
            records.append(dataclasses.replace(records[i], id=f"{records[i].id}-copy{n}"))
    return changed


def _tables(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in csv_export.COLUMNS}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(_edit, min_size=1, max_size=5), text=st.text(max_size=6))
def test_csv_over_an_edited_corpus_is_the_fresh_write(
    tmp_path_factory: pytest.TempPathFactory, corpus_factory: Callable[..., Corpus], edits: Any, text: str
) -> None:
    """Random edits, deletions and insertions of records, including records a row only looks up (a
    statement's source, a relation's entities, a profile's document): the tables written over the previous
    ones are byte for byte a fresh write's."""
    tmp = tmp_path_factory.mktemp("csv")
    options = Options()
    corpus = corpus_factory()
    write_outputs(corpus, tmp / "kept", options, ["csv"])
    changed = _edited(corpus, edits, text)
    write_outputs(changed, tmp / "kept", options, ["csv"])
    write_outputs(changed, tmp / "fresh", options, ["csv"])
    assert _tables(tmp / "kept") == _tables(tmp / "fresh")


def test_csv_rows_of_unchanged_records_are_not_built(
    tmp_path: Path, corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rewrite builds no row; after a source's label is edited, only the rows that show it are built."""
    built: list[str] = []
    for name in ("_entity_row", "_statement_row", "_claim_row", "_relation_row", "_sourcing_row"):
        real = getattr(csv_export, name)

        def counting(record: Any, index: Any, real: Any = real) -> Any:
            built.append(getattr(record, "id", None) or record.document_id)
            return real(record, index)

        monkeypatch.setattr(csv_export, name, counting)
    options = Options()
    write_outputs(corpus, tmp_path, options, ["csv"])
    assert len(built) > 20
    built.clear()
    write_outputs(corpus, tmp_path, options, ["csv"])
    assert built == []
    source = next(s for s in corpus.sources if any(st.source_id == s.id for st in corpus.statements))
    changed = dataclasses.replace(corpus, sources=list(corpus.sources))
    changed.sources[changed.sources.index(source)] = dataclasses.replace(source, label="Renamed Source")
    write_outputs(changed, tmp_path, options, ["csv"])
    quoting = {st.id for st in corpus.statements if st.source_id == source.id}
    assert quoting and quoting <= set(built)
    assert len(built) < len(corpus.statements)
    fresh = tmp_path / "fresh"
    write_outputs(changed, fresh, options, ["csv"])
    assert _tables(tmp_path) == _tables(fresh)


# -- GraphML -----------------------------------------------------------------------------------------------


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(_edit, min_size=1, max_size=5), text=st.text(max_size=6))
def test_graphml_over_an_edited_corpus_is_the_fresh_write(
    tmp_path_factory: pytest.TempPathFactory, corpus_factory: Callable[..., Corpus], edits: Any, text: str
) -> None:
    """The same random edits: the GraphML written over the previous file is the whole graph's text
    (``graphml_text(build_graph(...))``, itself checked against networkx's writer elsewhere)."""
    tmp = tmp_path_factory.mktemp("graphml")
    options = Options()
    corpus = corpus_factory()
    write_outputs(corpus, tmp, options, ["graphml"])
    changed = _edited(corpus, edits, text)
    write_outputs(changed, tmp, options, ["graphml"])
    assert (tmp / "claimgraph.graphml").read_text(encoding="utf-8") == graphml_text(build_graph(changed))


def test_graphml_elements_of_unchanged_records_are_not_built(
    tmp_path: Path, corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rewrite builds no node or edge; after one claim's text is edited, only that claim's node and the
    edges to it (they show its grade, so its record is among their inputs) are built."""
    built: list[str] = []
    real_node, real_edge = graphml._Plan.node_data, graphml._Plan.edge_data

    def node_data(self: Any, kind: str, record: Any, srcs: Any) -> Any:
        built.append(record.id)
        return real_node(self, kind, record, srcs)

    def edge_data(self: Any, target: str, *rest: Any) -> Any:
        built.append(f"edge to {target}")
        return real_edge(self, target, *rest)

    monkeypatch.setattr(graphml._Plan, "node_data", node_data)
    monkeypatch.setattr(graphml._Plan, "edge_data", edge_data)
    write_outputs(corpus, tmp_path, Options(), ["graphml"])
    assert len(built) > 20
    built.clear()
    write_outputs(corpus, tmp_path, Options(), ["graphml"])
    assert built == []
    claim = corpus.claims[0]
    changed = dataclasses.replace(corpus, claims=list(corpus.claims))
    changed.claims[0] = dataclasses.replace(claim, text="An edited claim.")
    write_outputs(changed, tmp_path, Options(), ["graphml"])
    assert set(built) == {claim.id, f"edge to {claim.id}"}
    assert (tmp_path / "claimgraph.graphml").read_text(encoding="utf-8") == graphml_text(build_graph(changed))


def test_graphml_with_two_nodes_of_one_id_is_written_whole(tmp_path: Path, corpus: Corpus) -> None:
    """A claim whose id is an entity's: networkx merges the two nodes, which the element-wise writer does
    not reproduce, so the graph is built and written whole (and its stale sidecar removed)."""
    write_outputs(corpus, tmp_path, Options(), ["graphml"])
    assert sidecar_path(tmp_path / "claimgraph.graphml").is_file()
    clash = dataclasses.replace(corpus, claims=list(corpus.claims))
    clash.claims[0] = dataclasses.replace(clash.claims[0], id=corpus.entities[0].id)
    write_outputs(clash, tmp_path, Options(), ["graphml"])
    assert (tmp_path / "claimgraph.graphml").read_text(encoding="utf-8") == graphml_text(build_graph(clash))
    assert not sidecar_path(tmp_path / "claimgraph.graphml").exists()
