"""Stage 5, outputs: exporters registered in ``registry.exporters`` by format name.

``write_outputs(corpus, out_dir, options)`` writes every format in ``options.formats``:
``json`` -> claimgraph.json, ``stix`` -> claimgraph.stix.json, ``graphml`` -> claimgraph.graphml,
``csv`` -> entities.csv, statements.csv, claims.csv, relations.csv, ``html`` -> report.html.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from ..model import Corpus
from ..options import Options
from ..registry import registry

__all__ = ["FORMATS", "export", "iter_json", "write_atomic", "write_outputs"]

#: format name -> module that registers its exporter
FORMATS: dict[str, str] = {
    "json": "claimgraph.outputs.json_export",
    "stix": "claimgraph.outputs.stix",
    "graphml": "claimgraph.outputs.graphml",
    "csv": "claimgraph.outputs.csv_export",
    "html": "claimgraph.outputs.report",
}


def write_atomic(path: Path, text: str | Iterable[str]) -> Path:
    """Write ``text`` to ``path`` through a temporary file and a rename, so readers never see half a file.

    ``text`` may be one string or an iterable of pieces, written as they come (large outputs are
    streamed to disk, never joined in memory). On any error the temporary file is removed.
    """
    tmp = path.with_name(path.name + ".tmp")
    try:
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            if isinstance(text, str):
                fh.write(text)
            else:
                write = fh.write
                for piece in text:
                    write(piece)
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def iter_json(data: dict[str, Any], indent: int = 2) -> Iterator[str]:
    """``json.dumps(data, indent=indent, ensure_ascii=False) + "\\n"`` in pieces: one per element of a
    top-level list, so a large output is encoded in linear time and streamed by :func:`write_atomic`
    without one huge string in memory. The bytes are exactly those of ``json.dumps``."""
    if not data:
        yield "{}\n"
        return
    pad = " " * indent
    inner = "\n" + pad * 2
    sep = "{\n"
    for key, value in data.items():
        yield f"{sep}{pad}{json.dumps(key, ensure_ascii=False)}: "
        sep = ",\n"
        if isinstance(value, list) and value:
            item_sep = "["
            for item in value:
                text = json.dumps(item, indent=indent, ensure_ascii=False).replace("\n", inner)
                yield f"{item_sep}{inner}{text}"
                item_sep = ","
            yield f"\n{pad}]"
        else:
            yield json.dumps(value, indent=indent, ensure_ascii=False).replace("\n", "\n" + pad)
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

    out_dir.mkdir(parents=True, exist_ok=True)
    corpus = apply_min_grade(corpus, options)  # --min-grade: one filtering step for every format
    written: list[Path] = []
    for fmt in formats if formats is not None else options.formats:
        written.extend(_exporter(fmt)(corpus, out_dir, options))
    return written


def export(
    db: str, out: str | Path, formats: Sequence[str] = ("json",), options: Options | None = None
) -> list[Path]:
    """Write ``formats`` from an existing workspace store ``db`` (URL or path) into ``out``."""
    from ..store import Store

    with Store.open(db, create=False) as store:
        corpus = store.load_corpus()
    return write_outputs(corpus, Path(out), options or Options(), formats)
