"""Which reader reads which file: suffixes -> names in ``registry.readers``.

A reader is ``reader(path: str, options) -> Iterator[RawDocument | Document | InputProblem]``; it may
also raise :class:`~claimgraph.errors.InputError`. Plug in another one with
``@registry.readers("myorg.pdf_reader.v1")`` and ``Options(extra={"readers": {".pdf": "myorg.pdf_reader.v1"}})``.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..options import Options

# Imported for their registrations; each keeps its heavy imports inside functions.
from . import csv_reader, feeds, formats, jsonl, warc  # noqa: F401

__all__ = ["SUFFIX_READERS", "suffix_readers"]

#: Built-in suffixes (case-insensitive; ``name.<suffix>.gz`` works too) -> registered reader.
SUFFIX_READERS: dict[str, str] = {
    ".html": "claimgraph.html_reader.v1",
    ".htm": "claimgraph.html_reader.v1",
    ".xhtml": "claimgraph.html_reader.v1",
    ".txt": "claimgraph.text_reader.v1",
    ".text": "claimgraph.text_reader.v1",
    ".md": "claimgraph.markdown_reader.v1",
    ".markdown": "claimgraph.markdown_reader.v1",
    ".jsonl": "claimgraph.jsonl_reader.v1",
    ".ndjson": "claimgraph.jsonl_reader.v1",
    ".csv": "claimgraph.csv_reader.v1",
    ".rss": "claimgraph.feed_reader.v1",
    ".atom": "claimgraph.feed_reader.v1",
    ".xml": "claimgraph.feed_reader.v1",
    ".warc": "claimgraph.warc_reader.v1",
    ".warc.gz": "claimgraph.warc_reader.v1",
}


def suffix_readers(options: Options) -> Mapping[str, str]:
    """The built-in table, extended or overridden by ``options.extra["readers"]``."""
    table = dict(SUFFIX_READERS)
    extra = options.extra.get("readers") if options.extra else None
    if isinstance(extra, Mapping):
        table.update({str(k).lower(): str(v) for k, v in extra.items()})
    return table
