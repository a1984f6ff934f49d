"""``json.dumps(value, indent=N, ensure_ascii=False)`` byte for byte, in a fraction of its time.

With ``indent`` the standard library (before Python 3.14) encodes in pure Python, one generator step per
value. :class:`PrettyEncoder` walks only the containers in Python: a list or dict whose items are all
scalars (str, int, float, bool, None; most of claimgraph's records) is written by the standard library's C
encoder in one call, with the item separator set to ``",\\n"`` and the indentation of that depth, which is
exactly the pretty layout of its items; its brackets then get their own newlines. Scalars and dict keys are
converted by that same C encoder, which converts every value as the pure-Python one does (``float.__repr__``,
``int.__repr__``, ``NaN``/``Infinity``, non-str keys), so the text is the standard library's.
``tests/test_pretty_json.py`` compares the two on generated and real data.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from json.encoder import encode_basestring as _encode_str  # the C one when there is one
from typing import Any

__all__ = ["PrettyEncoder", "pretty"]

_c_make_encoder: Any = getattr(json.encoder, "c_make_encoder", None)  # None without the C accelerator

_SCALARS = frozenset({str, int, float, bool, type(None)})


def _no_default(value: Any) -> Any:
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


class PrettyEncoder:
    """Encodes values as ``json.dumps(value, indent=indent, ensure_ascii=False, default=default)`` would,
    the text starting at nesting ``level`` (each newline followed by ``level + depth`` indents), i.e. that
    text with every newline followed by ``indent * level`` more spaces."""

    def __init__(self, indent: int = 2, default: Callable[[Any], Any] | None = None) -> None:
        self.pad = " " * indent
        self.default = default or _no_default
        self._flat: dict[int, Callable[[Any, int], Any]] = {}
        self._newline: dict[int, str] = {}

    def _nl(self, level: int) -> str:
        text = self._newline.get(level)
        if text is None:
            text = self._newline[level] = "\n" + self.pad * level
        return text

    def _encoder(self, level: int) -> Callable[[Any, int], Any]:
        """The C encoder writing items separated by ``,`` and a newline indented to ``level``."""
        enc = self._flat.get(level)
        if enc is None:
            if _c_make_encoder is None:  # pragma: no cover

                def enc(value: Any, _: int, sep: str = "," + self._nl(level)) -> Any:
                    return [
                        json.dumps(value, ensure_ascii=False, separators=(sep, ": "), default=self.default)
                    ]

            else:
                enc = _c_make_encoder(
                    None,
                    self.default,
                    _encode_str,
                    None,
                    ": ",
                    "," + self._nl(level),
                    False,
                    False,
                    True,
                )
            self._flat[level] = enc
        return enc

    def encode(self, value: Any, level: int = 0) -> str:
        parts: list[str] = []
        self._encode(value, level, parts)
        return "".join(parts)

    def _encode(self, value: Any, level: int, parts: list[str]) -> None:
        if type(value) in _SCALARS:
            parts.append("".join(self._encoder(0)(value, 0)))
        elif isinstance(value, dict):
            self._dict(value, level, parts)
        elif isinstance(value, list | tuple):
            self._list(value, level, parts)
        elif isinstance(value, str | int | float) or value is None:  # subclasses: the C encoder's conversion
            parts.append("".join(self._encoder(0)(value, 0)))
        else:
            self._encode(self.default(value), level, parts)

    def _list(self, value: list[Any] | tuple[Any, ...], level: int, parts: list[str]) -> None:
        if not value:
            parts.append("[]")
            return
        inner = level + 1
        nl_inner, nl = self._nl(inner), self._nl(level)
        if _SCALARS.issuperset(map(type, value)):
            text = "".join(self._encoder(inner)(value, 0))
            parts.append(f"[{nl_inner}{text[1:-1]}{nl}]")
            return
        sep = "," + nl_inner
        parts.append("[" + nl_inner)
        first = True
        for item in value:
            if not first:
                parts.append(sep)
            first = False
            self._encode(item, inner, parts)
        parts.append(nl + "]")

    def _dict(self, value: dict[Any, Any], level: int, parts: list[str]) -> None:
        """A dict: runs of items with scalar values by one C call each, the others item by item."""
        if not value:
            parts.append("{}")
            return
        inner = level + 1
        nl_inner, nl = self._nl(inner), self._nl(level)
        flat = self._encoder(inner)
        if _SCALARS.issuperset(map(type, value.values())):
            text = "".join(flat(value, 0))
            parts.append(f"{{{nl_inner}{text[1:-1]}{nl}}}")
            return
        sep = "," + nl_inner
        parts.append("{" + nl_inner)
        run: dict[Any, Any] = {}
        first = True
        for key, item in value.items():
            if type(item) in _SCALARS:
                run[key] = item
                continue
            if run:
                parts.append("".join(flat(run, 0))[1:-1] if first else sep + "".join(flat(run, 0))[1:-1])
                run = {}
                first = False
            if not first:
                parts.append(sep)
            first = False
            if type(key) is str:
                parts.append(_encode_str(key))
            else:  # a non-str key: the C encoder's conversion of a one-key dict
                parts.append("".join(flat({key: None}, 0))[1:-7])
            parts.append(": ")
            self._encode(item, inner, parts)
        if run:
            parts.append("".join(flat(run, 0))[1:-1] if first else sep + "".join(flat(run, 0))[1:-1])
        parts.append(nl + "}")


def pretty(value: Any, indent: int = 2, default: Callable[[Any], Any] | None = None, level: int = 0) -> str:
    """``json.dumps(value, indent=indent, ensure_ascii=False, default=default)`` (see :class:`PrettyEncoder`)."""
    return PrettyEncoder(indent, default).encode(value, level)
