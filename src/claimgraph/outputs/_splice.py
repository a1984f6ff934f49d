"""Pretty JSON written over its previous version: unchanged elements copied as bytes, the rest encoded.

``claimgraph.json`` is a top-level object whose large values are lists of elements (records). An
incremental run changes a few of them. :func:`write_spliced` writes the file as
:func:`~claimgraph.outputs.iter_json` would, but takes the pretty text of every element whose *fingerprint*
is in the previous file from that file's bytes instead of encoding it again.

- An element's fingerprint is the SHA-256 (16 bytes) of its compact JSON made by the standard library's C
  encoder, with model records written as their type's name and field values (``json_export.record_values``). The
  compact C encoding costs about a third of the pretty one (which walks containers in Python), and equal
  compact text with the same field names gives equal pretty text at the same depth. A corpus-wide value
  that an element shows (a count, a grade) is part of its fields, so of its fingerprint.
- The sidecar ``.<name>.index`` beside the file lists, per element of that file, its fingerprint, byte
  offset and length, with a header naming the file's size and SHA-256, the indent, the layout version and
  ``version`` (the caller's description of what fingerprints mean: for records the field names of every
  record type). Before any byte is copied, the previous file is read whole and its size and SHA-256 must be
  the header's and the sidecar's own digest must match; any doubt (no sidecar, another version, a file or
  sidecar edited, truncated or replaced) means a full write, which is what the first run does anyway.
- The new file is written through a temporary file and a rename, and its sidecar after it (also atomic): a
  crash between the two leaves a sidecar that no longer matches the file, so the next run writes in full.

The bytes are those of a full write in every case (``tests/outputs/test_splice.py``).
"""

from __future__ import annotations

import hashlib
import json
import mmap
import os
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import _write_all

__all__ = ["LAYOUT", "SpliceStats", "fingerprinter", "sidecar_path", "write_spliced"]

#: The layout of the sidecar and of the pieces; a change makes every older sidecar a full write.
LAYOUT = "claimgraph-splice/1"

_BLOCK = 1 << 20
_DIGEST = 16
_KEY = _DIGEST + 1  # the fingerprint and the level
_LEVEL = {1: b"\x01", 2: b"\x02"}
_SCALAR = (str, int, float, bool, type(None))
_ENTRY = struct.Struct("<QQ")  # offset, length


@dataclass(frozen=True)
class SpliceStats:
    """What :func:`write_spliced` did: the file, whether the previous one was used, elements copied and
    encoded."""

    path: Path
    reused_previous: bool
    copied: int
    encoded: int


def fingerprinter(default: Callable[[Any], Any] | None) -> Callable[[Any], bytes]:
    """``value`` -> 16 bytes of SHA-256 over its compact JSON (C encoder; ``default`` for other objects)."""
    make: Any = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # pragma: no cover - CPython always has the C accelerator

        def compact(value: Any, _: int) -> Any:
            return [json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=default)]

    else:

        def no_default(value: Any) -> Any:
            raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")

        compact = make(
            None, default or no_default, json.encoder.encode_basestring, None, ":", ",", False, False, True
        )
    sha = hashlib.sha256

    def fingerprint(value: Any) -> bytes:
        return sha("".join(compact(value, 0)).encode("utf-8", "surrogatepass")).digest()[:_DIGEST]

    return fingerprint


def sidecar_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.index")


@dataclass
class _Previous:
    """The previous file's bytes and where each fingerprint's element is in them."""

    data: Any  # mmap or bytes
    where: dict[bytes, tuple[int, int]] = field(default_factory=dict)


def _header(version: str, indent: int) -> dict[str, Any]:
    return {"layout": LAYOUT, "version": version, "indent": indent}


def _read_sidecar(path: Path, version: str, indent: int) -> tuple[dict[str, Any], bytes] | None:
    """(header, entries) if the sidecar is whole and of this version and indent, else ``None``."""
    try:
        raw = sidecar_path(path).read_bytes()
    except OSError:
        return None
    head, newline, body = raw.partition(b"\n")
    if not newline:
        return None
    try:
        header = json.loads(head)
    except ValueError:
        return None
    if not isinstance(header, dict) or {k: header.get(k) for k in ("layout", "version", "indent")} != _header(
        version, indent
    ):
        return None
    if header.get("body") != hashlib.sha256(body).hexdigest():
        return None
    if len(body) % (_KEY + _ENTRY.size):
        return None
    return header, body


def _previous(path: Path, version: str, indent: int) -> _Previous | None:
    """The previous file and its element map, when its sidecar describes exactly these bytes."""
    found = _read_sidecar(path, version, indent)
    if found is None:
        return None
    header, body = found
    try:
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if size != header.get("size") or size == 0:
                return None
            data: Any = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):
        return None
    if hashlib.sha256(data).hexdigest() != header.get("sha256"):
        data.close()
        return None
    prev = _Previous(data)
    step = _KEY + _ENTRY.size
    for start in range(0, len(body), step):
        offset, length = _ENTRY.unpack_from(body, start + _KEY)
        if offset + length > size:
            data.close()
            return None
        prev.where[body[start : start + _KEY]] = (offset, length)
    return prev


class _Out:
    """Buffered writes to a file descriptor, counting bytes and hashing them."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.buffer: list[bytes] = []
        self.pending = 0
        self.size = 0
        self.sha = hashlib.sha256()

    def add(self, data: bytes) -> None:
        self.buffer.append(data)
        self.pending += len(data)
        self.size += len(data)
        if self.pending >= _BLOCK:
            self.flush()

    def flush(self) -> None:
        if self.buffer:
            block = b"".join(self.buffer)
            self.sha.update(block)
            _write_all(self.fd, block)
            self.buffer, self.pending = [], 0


def _encode(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


def write_spliced(
    path: Path,
    data: dict[str, Any],
    *,
    indent: int,
    default: Callable[[Any], Any] | None,
    fingerprint_default: Callable[[Any], Any] | None,
    version: str,
) -> SpliceStats:
    """Write ``json.dumps(data, indent=indent, ensure_ascii=False, default=default) + "\\n"`` to ``path``
    (atomically, as :func:`~claimgraph.outputs.write_atomic`), copying unchanged elements from the previous
    file its sidecar describes; then write the new sidecar. ``fingerprint_default`` converts the objects
    ``default`` converts, to values that identify their text (see the module's docstring); ``version``
    names what that conversion means, so a sidecar made under another one is not used."""
    from . import write_atomic_with

    prev = _previous(path, version, indent)
    entries: list[bytes] = []
    outs: list[_Out] = []
    counts = [0]  # elements encoded

    def write(fd: int) -> None:
        out = _Out(fd)
        outs.append(out)
        counts[0] = _splice(out, data, indent, default, fingerprint_default, prev, entries)
        out.flush()

    try:
        write_atomic_with(path, write)
    finally:
        if prev is not None:
            prev.data.close()
    body = b"".join(entries)
    header = {
        **_header(version, indent),
        "size": outs[0].size,
        "sha256": outs[0].sha.hexdigest(),
        "body": hashlib.sha256(body).hexdigest(),
    }
    side = json.dumps(header, sort_keys=True).encode("ascii") + b"\n" + body
    write_atomic_with(sidecar_path(path), lambda fd: _write_all(fd, side))
    return SpliceStats(path, prev is not None, len(entries) - counts[0], counts[0])


def _splice(
    out: _Out,
    data: dict[str, Any],
    indent: int,
    default: Callable[[Any], Any] | None,
    fingerprint_default: Callable[[Any], Any] | None,
    prev: _Previous | None,
    entries: list[bytes],
) -> int:
    """``json.dumps(data, indent=indent, ...) + "\\n"`` into ``out``: the text around the elements encoded,
    each element of a top-level list (depth 2) and each other top-level container (depth 1) copied from
    ``prev`` when its fingerprint is there, else encoded."""
    from ._pretty import PrettyEncoder

    if not data:
        out.add(b"{}\n")
        return 0
    encoder = PrettyEncoder(indent, default)
    splicer = _Splicer(out, encoder, fingerprinter(fingerprint_default), prev, entries)
    pad = " " * indent
    sep = "{\n"
    for key, value in data.items():
        out.add(_encode(f"{sep}{pad}{encoder.encode(key)}: "))
        sep = ",\n"
        if isinstance(value, list) and value:
            out.add(_encode("[\n" + pad * 2))
            splicer.elements(value, _encode(",\n" + pad * 2))
            out.add(_encode(f"\n{pad}]"))
        elif isinstance(value, _SCALAR):
            out.add(_encode(encoder.encode(value, 1)))
        else:
            splicer.elements([value], b"", level=1)
    out.add(b"\n}\n")
    return splicer.encoded


class _Splicer:
    """Writes elements, copying runs of unchanged ones from the previous file as one slice each."""

    def __init__(
        self,
        out: _Out,
        encoder: Any,
        fingerprint: Callable[[Any], bytes],
        prev: _Previous | None,
        entries: list[bytes],
    ) -> None:
        self.out, self.encoder, self.fingerprint, self.entries = out, encoder, fingerprint, entries
        self.where = prev.where if prev is not None else {}
        self.old = prev.data if prev is not None else b""
        self.encoded = 0

    def elements(self, items: list[Any], glue: bytes, level: int = 2) -> None:
        """``items`` joined by ``glue``. Consecutive elements that were consecutive in the previous file
        (the same ``glue`` between them there) are copied with it as one range."""
        out, old, where, fingerprint, entries = self.out, self.old, self.where, self.fingerprint, self.entries
        tag, pack, n_glue = _LEVEL[level], _ENTRY.pack, len(glue)
        pos = out.size  # where the next byte goes in the new file (out.size + the pending run)
        run_a = run_b = -1  # the pending range of the previous file
        for i, item in enumerate(items):
            key = fingerprint(item) + tag
            found = where.get(key)
            if found is not None:
                a, n = found
                if i:
                    pos += n_glue
                    if a == run_b + n_glue and old[run_b:a] == glue:
                        run_b = a + n
                        entries.append(key + pack(pos, n))
                        pos += n
                        continue
                if run_b >= 0:
                    out.add(old[run_a:run_b])
                if i:
                    out.add(glue)
                run_a, run_b = a, a + n
                entries.append(key + pack(pos, n))
                pos += n
                continue
            if run_b >= 0:
                out.add(old[run_a:run_b])
                run_a = run_b = -1
            if i:
                out.add(glue)
                pos += n_glue
            text = _encode(self.encoder.encode(item, level))
            self.encoded += 1
            entries.append(key + pack(pos, len(text)))
            pos += len(text)
            out.add(text)
        if run_b >= 0:
            out.add(old[run_a:run_b])
        assert pos == out.size
