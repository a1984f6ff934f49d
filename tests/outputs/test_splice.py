"""The splicing JSON writer: a write over a previous file is byte for byte a full write, copies what did not
change, and falls back to a full write whenever the previous file or its sidecar is in doubt."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimgraph.model import Corpus, Grade
from claimgraph.options import Options
from claimgraph.outputs import write_outputs
from claimgraph.outputs._splice import sidecar_path, write_spliced
from claimgraph.outputs.json_export import corpus_records, dumps, record_fields, record_layout, record_values

_scalar = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.floats(allow_nan=False, width=32),
    st.text(max_size=6),
)
_value = st.recursive(
    _scalar,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
    max_leaves=8,
)
_grade = st.builds(
    Grade,
    admiralty=st.sampled_from(["A1", "F6"]),
    credibility=st.integers(1, 6),
    explanation=st.text(max_size=5),
)
_element = st.one_of(_value, _grade, st.lists(_grade, max_size=2))
_document = st.dictionaries(
    st.sampled_from(["a", "b", "c", "d"]),
    st.one_of(_scalar, _value, st.lists(_element, max_size=6)),
    max_size=4,
)


def _write(path: Path, data: dict[str, Any]) -> Any:
    return write_spliced(
        path,
        data,
        indent=2,
        default=record_fields,
        fingerprint_default=record_values,
        version=record_layout(),
    )


def _expected(data: dict[str, Any]) -> bytes:
    text = json.dumps(data, indent=2, ensure_ascii=False, default=record_fields) + "\n"
    return text.encode("utf-8", "surrogateescape")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=_document, second=_document, edits=st.lists(st.tuples(st.integers(0, 50), _element), max_size=4))
def test_a_write_over_any_previous_file_is_the_full_write(
    tmp_path: Path, first: dict[str, Any], second: dict[str, Any], edits: list[tuple[int, Any]]
) -> None:
    """Random documents, and the first one edited (elements replaced, inserted, deleted): each write gives
    the bytes of ``json.dumps``, whatever was in the folder before."""
    path = tmp_path / "out.json"
    edited = {k: list(v) if isinstance(v, list) else v for k, v in first.items()}
    for where, element in edits:
        lists = [v for v in edited.values() if isinstance(v, list)]
        if not lists:
            break
        target = lists[where % len(lists)]
        action = where % 3
        if action == 0 or not target:
            target.insert(where % (len(target) + 1), element)
        elif action == 1:
            target[where % len(target)] = element
        else:
            del target[where % len(target)]
    for data in (first, edited, second, first, first):
        _write(path, data)
        assert path.read_bytes() == _expected(data)


def test_unchanged_elements_are_copied_not_encoded(tmp_path: Path) -> None:
    path = tmp_path / "out.json"
    data = {"schema": "x", "items": [{"n": i, "text": f"item {i}"} for i in range(50)], "other": {"k": [1]}}
    first = _write(path, data)
    assert (first.reused_previous, first.encoded) == (False, 51)
    again = _write(path, data)
    assert (again.reused_previous, again.copied, again.encoded) == (True, 51, 0)
    data["items"][10] = {"n": 10, "text": "edited"}
    data["items"].insert(0, {"n": -1, "text": "new"})
    del data["items"][30]
    edited = _write(path, data)
    assert (edited.copied, edited.encoded) == (49, 2)
    assert path.read_bytes() == _expected(data)


def _tamper_file(path: Path) -> None:
    raw = bytearray(path.read_bytes())
    at = raw.index(b"item 3")
    raw[at + 5] = ord("8")  # same size, other content
    path.write_bytes(bytes(raw))


def _tamper_sidecar(path: Path) -> None:
    side = sidecar_path(path)
    raw = bytearray(side.read_bytes())
    raw[-1] ^= 0xFF
    side.write_bytes(bytes(raw))


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:-10])


def _other_version(path: Path) -> None:
    side = sidecar_path(path)
    head, _, body = side.read_bytes().partition(b"\n")
    header = json.loads(head)
    header["version"] = "records:another"
    side.write_bytes(json.dumps(header, sort_keys=True).encode() + b"\n" + body)


def _no_sidecar(path: Path) -> None:
    sidecar_path(path).unlink()


def _garbage_sidecar(path: Path) -> None:
    sidecar_path(path).write_bytes(b"not a sidecar")


@pytest.mark.parametrize(
    "damage", [_tamper_file, _tamper_sidecar, _truncate, _other_version, _no_sidecar, _garbage_sidecar]
)
def test_any_doubt_about_the_previous_file_means_a_full_write(tmp_path: Path, damage: Any) -> None:
    path = tmp_path / "out.json"
    data = {"items": [{"n": i, "text": f"item {i}"} for i in range(20)]}
    _write(path, data)
    damage(path)
    stats = _write(path, data)
    assert (stats.reused_previous, stats.encoded) == (False, 20)
    assert path.read_bytes() == _expected(data)
    assert _write(path, data).encoded == 0  # and the sidecar it left is good


def test_a_previous_file_replaced_by_another_output_is_not_used(tmp_path: Path) -> None:
    """The sidecar describes one file: another valid output put in its place is not spliced from."""
    path, other = tmp_path / "out.json", tmp_path / "other" / "out.json"
    other.parent.mkdir()
    data = {"items": [{"n": i} for i in range(5)]}
    _write(path, data)
    _write(other, {"items": [{"n": i + 100} for i in range(5)]})
    path.write_bytes(other.read_bytes())
    stats = _write(path, data)
    assert not stats.reused_previous
    assert path.read_bytes() == _expected(data)


def test_claimgraph_json_and_stix_over_an_edited_corpus(tmp_path: Path, full_corpus: Corpus) -> None:
    """The real exporters: an increment over the first write is the fresh write, and copies most records."""
    options = Options(frozen_time="2026-01-01T00:00:00Z")
    write_outputs(full_corpus, tmp_path / "kept", options, ["json", "stix"])
    assert sidecar_path(tmp_path / "kept" / "claimgraph.json").is_file()
    changed = dataclasses.replace(full_corpus)
    changed.statements = list(full_corpus.statements)
    changed.statements[0] = dataclasses.replace(changed.statements[0], text="An edited statement.")
    write_outputs(changed, tmp_path / "kept", options, ["json", "stix"])
    write_outputs(changed, tmp_path / "fresh", options, ["json", "stix"])
    for name in ("claimgraph.json", "claimgraph.stix.json"):
        assert (tmp_path / "kept" / name).read_bytes() == (tmp_path / "fresh" / name).read_bytes()
    assert (tmp_path / "kept" / "claimgraph.json").read_text(encoding="utf-8") == dumps(changed)
    stats = _write(tmp_path / "kept" / "claimgraph.json", corpus_records(changed))
    assert stats.reused_previous and stats.encoded == 0
