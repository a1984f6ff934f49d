"""Stage 5, outputs: exporters registered in ``registry.exporters`` by format name.

``write_outputs(corpus, out_dir, options)`` writes every format in ``options.formats``:
``json`` -> claimgraph.json, ``stix`` -> claimgraph.stix.json, ``graphml`` -> claimgraph.graphml,
``csv`` -> entities.csv, statements.csv, claims.csv, relations.csv, sourcing.csv, ``html`` -> report.html.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from ..errors import Errors, OutputError
from ..model import Corpus
from ..options import Options
from ..registry import registry
from ..safety import display_path

__all__ = ["FORMATS", "export", "iter_json", "write_atomic", "write_atomic_with", "write_outputs"]

#: format name -> module that registers its exporter
FORMATS: dict[str, str] = {
    "json": "claimgraph.outputs.json_export",
    "stix": "claimgraph.outputs.stix",
    "graphml": "claimgraph.outputs.graphml",
    "csv": "claimgraph.outputs.csv_export",
    "html": "claimgraph.outputs.report",
}


#: The SQLite cache of pretty JSON and CSV fragments that versions before 2026-12-02 kept in the output folder
#: (``docs/scale.md``: with the C encoder doing the pretty JSON it cost more than it saved); removed when seen.
_OLD_FRAGMENT_CACHE = ".claimgraph-fragments.sqlite"


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _cannot_write(path: Path, exc: OSError) -> OutputError:
    reason = exc.strerror or type(exc).__name__
    return OutputError(Errors.E304.format(path=display_path(str(path)), reason=reason))


def _write_pieces(fd: int, text: str | Iterable[str]) -> None:
    """Write one string, or stream an iterable of pieces in buffered blocks (never joined whole in memory)."""
    if isinstance(text, str):
        _write_all(fd, text.encode("utf-8", "surrogateescape"))
        return
    buffer: list[str] = []
    size = 0
    for piece in text:
        buffer.append(piece)
        size += len(piece)
        if size >= 1 << 20:
            _write_all(fd, "".join(buffer).encode("utf-8", "surrogateescape"))
            buffer, size = [], 0
    if buffer:
        _write_all(fd, "".join(buffer).encode("utf-8", "surrogateescape"))


def write_atomic(path: Path, text: str | Iterable[str]) -> Path:
    """Write ``text`` to ``path`` through a temporary file and a rename, so readers never see half a file.

    ``text`` may be one string or an iterable of pieces, streamed to disk as they come. A full disk, a
    read-only folder or any other ``OSError`` removes the temporary file and raises
    :class:`~claimgraph.errors.OutputError` ``E304`` naming the file (one line, no traceback); any other
    error (an interrupt, a failing generator) also removes it and propagates.
    """
    return write_atomic_with(path, lambda fd: _write_pieces(fd, text))


def write_atomic_with(path: Path, write: Callable[[int], object]) -> Path:
    """:func:`write_atomic` with the writing done by ``write(fd)`` (bytes written to a file descriptor)."""
    try:
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
    except OSError as exc:
        raise _cannot_write(path, exc) from None
    try:
        try:
            write(fd)
        finally:
            os.close(fd)
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise _cannot_write(path, exc) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    return path


def iter_json(data: dict[str, Any], indent: int = 2, default: Any = None) -> Iterator[str]:
    """``json.dumps(data, indent=indent, ensure_ascii=False, default=default) + "\\n"`` in pieces: one per
    element of a top-level list, so a large output is encoded in linear time and streamed by
    :func:`write_atomic` without one huge string in memory. The bytes are exactly those of ``json.dumps``,
    made by :class:`~claimgraph.outputs._pretty.PrettyEncoder` (the C encoder for flat containers)."""
    from ._pretty import PrettyEncoder

    if not data:
        yield "{}\n"
        return
    encoder = PrettyEncoder(indent, default)
    pad = " " * indent
    inner = "\n" + pad * 2
    sep = "{\n"
    for key, value in data.items():
        yield f"{sep}{pad}{encoder.encode(key)}: "
        sep = ",\n"
        if isinstance(value, list) and value:
            item_sep = "["
            for item in value:
                yield f"{item_sep}{inner}{encoder.encode(item, 2)}"
                item_sep = ","
            yield f"\n{pad}]"
        else:
            yield encoder.encode(value, 1)
    yield "\n}\n"


def _exporter(fmt: str):  # type: ignore[no-untyped-def]
    import importlib

    if fmt in FORMATS:
        importlib.import_module(FORMATS[fmt])
    return registry.exporters.get(fmt)


def write_outputs(
    corpus: Corpus, out_dir: Path, options: Options, formats: Sequence[str] | None = None
) -> list[Path]:
    """Write ``formats`` (default: ``options.formats``) into ``out_dir``; return the files written."""
    from .grade_filter import apply_min_grade

    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _cannot_write(out_dir, exc) from None
    with contextlib.suppress(OSError):  # the fragment cache of earlier versions: encoding afresh is faster
        (out_dir / _OLD_FRAGMENT_CACHE).unlink(missing_ok=True)
    corpus = apply_min_grade(corpus, options)  # --min-grade: one filtering step for every format
    written: list[Path] = []
    from ..gcpolicy import old_objects_frozen

    with old_objects_frozen():  # the analysis stays out of the collector's full passes while exporting
        for fmt in formats if formats is not None else options.formats:
            written.extend(_exporter(fmt)(corpus, out_dir, options))
    return written


def export(
    db: str, out: str | Path, formats: Sequence[str] = ("json",), options: Options | None = None
) -> list[Path]:
    """Write ``formats`` from an existing workspace store ``db`` (URL or path) into ``out``."""
    from ..store import Store

    with Store.open(db, create=False, readonly=True) as store:
        corpus = store.load_corpus()
    return write_outputs(corpus, Path(out), options or Options(), formats)
