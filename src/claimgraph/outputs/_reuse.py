"""Text outputs written over their previous version: an element whose inputs did not change is copied.

:func:`write_reused` writes a file made of *elements* (a CSV row, ...) and fixed text between them. Each
element comes with a **digest of exactly its inputs** (the SHA-256 of the fingerprints of the records it is
built from, :func:`memo_fingerprinter`) and a function that builds its text. When the previous file's
sidecar lists that digest, the element's bytes are copied from the previous file and the element is not
built at all; otherwise it is built and encoded. Unlike ``_splice`` (which fingerprints the encoded value),
the digest is taken before anything is built, so reuse saves the building, not only the encoding.

- What an element's text depends on must all be in its digest: its records, the records it looks up (a
  statement's source), and any corpus-wide value it shows. The digest is salted with ``version``: the
  source text of the modules that build the elements (:func:`code_version`) and the field names of every
  record type, so a change of code or of the model never reuses text made by another version.
- The sidecar, the checks of the previous file and the atomic write are ``_splice``'s: the previous file is
  read whole and must have the size and SHA-256 its sidecar names, and any doubt (no sidecar, another
  version, a file or sidecar edited, truncated or replaced) means a full write, which is what a first run
  does anyway.

The bytes are those of a full write in every case (``tests/outputs/test_reuse.py``).
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ._splice import _ENTRY, SpliceStats, _encode, _Out, _previous, _write_sidecar, fingerprinter

__all__ = ["Element", "code_version", "digest", "memo_fingerprinter", "write_reused"]

#: The level byte of a reused element's key in the sidecar (``_splice`` uses 1 and 2 for JSON depths).
_TAG = b"\x00"

#: An element: its digest (``None``: always built, never reused) and its text or a function building it.
Element = tuple[bytes | None, str | Callable[[], str]]


def code_version(*modules: str) -> str:
    """A digest of the source text of ``modules`` (imported names) and of the record types' field names:
    text built by other code, or from records of another shape, is never reused."""
    from .json_export import record_layout

    sha = hashlib.sha256(record_layout().encode("utf-8"))
    for name in modules:
        module = sys.modules.get(name)
        if module is None:
            import importlib

            module = importlib.import_module(name)
        path = getattr(module, "__file__", None)
        if path is None:  # pragma: no cover - our modules are files
            raise ValueError(f"{name} has no source file")
        sha.update(name.encode("utf-8") + b"\0" + Path(path).read_bytes())
    return "code:" + sha.hexdigest()[:32]


def memo_fingerprinter() -> Callable[[Any], bytes]:
    """``_splice``'s fingerprint of a record (16 bytes of SHA-256 over its compact JSON), each record's
    computed once per call of the exporter that asked for this function (a statement's source is looked up
    by many rows). The memo keeps the records it saw, so their ``id`` is not reused while it lives."""
    from .json_export import record_values

    fingerprint = fingerprinter(record_values)
    memo: dict[int, tuple[Any, bytes]] = {}

    def cached(record: Any) -> bytes:
        found = memo.get(id(record))
        if found is None:
            found = memo[id(record)] = (record, fingerprint(record))
        return found[1]

    return cached


def digest(fingerprint: Callable[[Any], bytes], kind: str, records: Iterable[Any], *values: Any) -> bytes:
    """An element's digest (16 bytes): SHA-256 over ``kind``, the JSON of ``values`` (ids, counts: plain
    values it shows) and the fingerprints of ``records`` (each record it is built from; ``None`` where a
    look-up found nothing)."""
    sha = hashlib.sha256(json.dumps([kind, values], ensure_ascii=False).encode("utf-8", "surrogatepass"))
    for record in records:
        sha.update(_NONE if record is None else fingerprint(record))
    return sha.digest()[:16]


_NONE = b"\0" * 16


def write_reused(path: Path, elements: Iterable[Element], *, version: str) -> SpliceStats:
    """Write the elements' texts, in order, to ``path`` (atomically, as
    :func:`~claimgraph.outputs.write_atomic`): an element whose digest the previous file's sidecar lists
    is copied from that file (neighbours as one range), any other is built; then write the new sidecar."""
    from . import write_atomic_with

    prev = _previous(path, version, 0)
    entries: list[bytes] = []
    outs: list[_Out] = []
    built = [0]

    def write(fd: int) -> None:
        out = _Out(fd)
        outs.append(out)
        built[0] = _write_elements(
            out, elements, prev.where if prev else {}, prev.data if prev else b"", entries
        )
        out.flush()

    try:
        write_atomic_with(path, write)
    finally:
        if prev is not None:
            prev.data.close()
    _write_sidecar(path, version, 0, outs[0], entries)
    return SpliceStats(path, prev is not None, len(entries) - built[0], built[0])


def _write_elements(
    out: _Out,
    elements: Iterable[Element],
    where: dict[bytes, tuple[int, int]],
    old: Any,
    entries: list[bytes],
) -> int:
    """The elements into ``out``; returns how many were built."""
    pack = _ENTRY.pack
    run_a = run_b = -1  # the pending range of the previous file
    built = 0
    for digest, text in elements:
        key = b"" if digest is None else digest + _TAG
        found = where.get(key) if key else None
        if found is not None:
            a, n = found
            entries.append(key + pack(out.size + (run_b - run_a if run_b >= 0 else 0), n))
            if a != run_b:
                if run_b >= 0:
                    out.add(old[run_a:run_b])
                run_a = a
            run_b = a + n
            continue
        if run_b >= 0:
            out.add(old[run_a:run_b])
            run_a = run_b = -1
        data = _encode(text if isinstance(text, str) else text())
        if key:
            built += 1
            entries.append(key + pack(out.size, len(data)))
        out.add(data)
    if run_b >= 0:
        out.add(old[run_a:run_b])
    return built
