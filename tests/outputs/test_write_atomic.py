"""``write_atomic`` and ``iter_json``: streamed pieces, byte-identical JSON, no half or temporary files."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimgraph.model import Corpus
from claimgraph.outputs import iter_json, write_atomic


def test_pieces_are_streamed_to_the_file(tmp_path: Path) -> None:
    seen: list[int] = []

    def pieces() -> Iterator[str]:
        for i in range(3):
            seen.append(i)
            yield f"part {i}\n"

    path = write_atomic(tmp_path / "out.txt", pieces())
    assert path.read_text(encoding="utf-8") == "part 0\npart 1\npart 2\n"
    assert seen == [0, 1, 2]
    assert write_atomic(tmp_path / "one.txt", "é\r\n").read_bytes() == "é\r\n".encode()


def test_a_failing_writer_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_text("old", encoding="utf-8")

    def broken() -> Iterator[str]:
        yield "new half"
        raise RuntimeError("exporter failed")

    with pytest.raises(RuntimeError, match="exporter failed"):
        write_atomic(target, broken())
    assert target.read_text(encoding="utf-8") == "old"
    assert list(tmp_path.iterdir()) == [target]


_SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
_JSON = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(data=st.dictionaries(st.text(), _JSON, max_size=5), indent=st.sampled_from([2, 4]))
def test_iter_json_is_byte_identical_to_json_dumps(data: dict[str, Any], indent: int) -> None:
    assert "".join(iter_json(data, indent)) == json.dumps(data, indent=indent, ensure_ascii=False) + "\n"


def test_the_json_export_is_streamed_in_pieces(corpus: Corpus) -> None:
    from claimgraph.outputs.json_export import dumps, iter_dumps

    pieces = list(iter_dumps(corpus))
    assert len(pieces) > len(corpus.statements)
    assert (
        "".join(pieces) == dumps(corpus) == json.dumps(corpus.to_dict(), indent=2, ensure_ascii=False) + "\n"
    )


def test_record_to_dict_equals_dataclasses_asdict(corpus: Corpus) -> None:
    """``to_dict`` skips asdict's deep copy for speed; the data must stay exactly asdict's."""
    from dataclasses import asdict

    records = [*corpus.documents, *corpus.entities, *corpus.sources, *corpus.statements]
    records += [*corpus.claims, *corpus.relations]
    for record in records:
        expected = asdict(record)  # type: ignore[call-overload]
        got = record.to_dict()
        assert got == expected and repr(got) == repr(expected)
    first = corpus.claims[0].to_dict()
    first["statement_ids"].append("changed")
    assert "changed" not in corpus.claims[0].statement_ids  # a copy, as asdict gives
