"""Stage 5, outputs: exporters registered in ``registry.exporters`` by format name.

``write_outputs(corpus, out_dir, options)`` writes every format in ``options.formats``:
``json`` -> claimgraph.json, ``stix`` -> claimgraph.stix.json, ``graphml`` -> claimgraph.graphml,
``csv`` -> entities.csv, statements.csv, claims.csv, relations.csv, ``html`` -> report.html.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..model import Corpus
from ..options import Options
from ..registry import registry

__all__ = ["FORMATS", "export", "write_atomic", "write_outputs"]

#: format name -> module that registers its exporter
FORMATS: dict[str, str] = {
    "json": "claimgraph.outputs.json_export",
    "stix": "claimgraph.outputs.stix",
    "graphml": "claimgraph.outputs.graphml",
    "csv": "claimgraph.outputs.csv_export",
    "html": "claimgraph.outputs.report",
}


def write_atomic(path: Path, text: str) -> Path:
    """Write ``text`` to ``path`` through a temporary file and a rename, so readers never see half a file."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return path


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
