"""Downloads of every export format, written from the server's snapshot (the analysis with the analysts'
corrections applied) by the same exporters as ``claimgraph export``."""

from __future__ import annotations

import dataclasses
import io
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from starlette.responses import Response

from ..model import Corpus

__all__ = ["EXPORTS", "export_bytes", "export_response"]

#: format -> (description, download name, media type)
EXPORTS: dict[str, tuple[str, str, str]] = {
    "json": (
        "claimgraph.json: the whole analysis (claimgraph/1 JSON)",
        "claimgraph.json",
        "application/json",
    ),
    "stix": ("STIX 2.1 bundle", "claimgraph.stix.json", "application/json"),
    "graphml": ("GraphML actor network", "claimgraph.graphml", "application/xml"),
    "csv": ("CSV tables (zip)", "claimgraph-csv.zip", "application/zip"),
    "html": ("The offline HTML report", "report.html", "text/html"),
}


def export_bytes(corpus: Corpus, fmt: str) -> bytes:
    """One format's file(s) as bytes: the file itself, or a zip when the format writes several files."""
    from ..options import Options
    from ..outputs import write_outputs

    with tempfile.TemporaryDirectory(prefix="claimgraph-export-") as tmp:
        written = write_outputs(_own_lists(corpus), Path(tmp), Options(), [fmt])
        if len(written) == 1 and fmt != "csv":
            return written[0].read_bytes()
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(written):
                archive.write(path, path.name)
        return buffer.getvalue()


def _own_lists(corpus: Corpus) -> Corpus:
    """A copy with its own lists: exporters sort the corpus in place, and a list being sorted looks empty
    to the other requests reading the shared snapshot meanwhile."""
    lists: dict[str, Any] = {
        f.name: list(getattr(corpus, f.name))
        for f in dataclasses.fields(corpus)
        if isinstance(getattr(corpus, f.name), list)
    }
    return dataclasses.replace(corpus, **lists)


async def export_response(corpus: Corpus, fmt: str) -> Response:
    from starlette.concurrency import run_in_threadpool

    _, name, media = EXPORTS[fmt]
    data = await run_in_threadpool(export_bytes, corpus, fmt)
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    if fmt == "html":  # the report's own policy (hashes of its inline code), not the server's
        headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return Response(data, media_type=media, headers=headers)
