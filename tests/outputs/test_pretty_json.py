"""``PrettyEncoder``: the bytes of ``json.dumps(value, indent=N, ensure_ascii=False)`` for any JSON-able value."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimgraph.outputs._pretty import PrettyEncoder, pretty


class _Float(float):
    def __repr__(self) -> str:  # json shows float.__repr__, not this
        return "float-subclass"


class _Int(int):
    def __repr__(self) -> str:
        return "int-subclass"


class _Str(str):
    pass


_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()  # NaN and the infinities too
    | st.text()
    | st.floats(allow_nan=False).map(_Float)
    | st.integers().map(_Int)
    | st.text().map(_Str)
)
_KEYS = st.text() | st.integers() | st.floats(allow_nan=False) | st.booleans() | st.none()
_JSON = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.lists(inner, max_size=3).map(tuple)
        | st.dictionaries(_KEYS, inner, max_size=4)
    ),
    max_leaves=30,
)


@settings(max_examples=400, deadline=None)
@given(value=_JSON, indent=st.sampled_from([1, 2, 4]), level=st.integers(0, 3))
def test_pretty_is_json_dumps(value: Any, indent: int, level: int) -> None:
    expected = json.dumps(value, indent=indent, ensure_ascii=False)
    assert pretty(value, indent) == expected
    assert pretty(value, indent, level=level) == expected.replace("\n", "\n" + " " * indent * level)


@dataclass
class _Point:
    x: float
    tags: list[str]


def _fields(value: Any) -> Any:
    if isinstance(value, _Point):
        return {"x": value.x, "tags": value.tags}
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def test_default_converts_objects_at_any_depth() -> None:
    data = {"points": [_Point(1.5, ["a", "é"]), {"inner": _Point(-0.0, [])}], "one": _Point(2, ["\ud800"])}
    assert pretty(data, 2, _fields) == json.dumps(data, indent=2, ensure_ascii=False, default=_fields)
    encoder = PrettyEncoder(4, _fields)  # the encoder is reused across values (one per output file)
    for item in data["points"]:
        assert encoder.encode(item) == json.dumps(item, indent=4, ensure_ascii=False, default=_fields)


def test_what_json_refuses_is_refused() -> None:
    with pytest.raises(TypeError, match="not JSON serializable"):
        pretty({"a": [object()]})
    with pytest.raises(TypeError, match="not JSON serializable"):
        pretty([{"a": 1}, object()])
    with pytest.raises(TypeError):
        pretty({"a": [1], (1, 2): 3})  # a tuple key
