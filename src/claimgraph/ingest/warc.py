"""WARC / WARC.gz web archives via warcio: each HTML response is a document, path ``file#<WARC-Target-URI>``.

The file is decompressed here (not by warcio) so that the gzip-bomb cap applies; a record that ends
before its ``Content-Length`` or a member cut short is a truncated archive (E009).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from ..errors import Errors, InputError, InputProblem
from ..options import Options
from ..registry import registry
from .documents import RawDocument
from .encoding import content_type_charset, decode
from .limits import GZIP_MAGIC, gunzip_capped

__all__ = ["read_warc"]

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def _load(path: str, options: Options, partial: list[str]) -> bytes:
    import os

    try:
        size = os.stat(path).st_size
    except OSError as exc:
        raise InputError(path, Errors.E002, reason=exc.strerror or type(exc).__name__) from None
    if size > options.max_bytes:
        raise InputError(path, Errors.E011, size=size, cap=options.max_bytes)
    try:
        with open(path, "rb") as handle:
            data = handle.read(options.max_bytes + 1)
    except OSError as exc:
        raise InputError(path, Errors.E002, reason=exc.strerror or type(exc).__name__) from None
    if not data.strip():
        raise InputError(path, Errors.E003)
    if data[:2] == GZIP_MAGIC:
        data = gunzip_capped(data, path, options.max_bytes, truncated=Errors.E009, partial=partial)
    if not data.lstrip().startswith(b"WARC/"):
        raise InputError(path, Errors.E009, reason="it does not start with a WARC record header")
    return data


def _records(data: bytes, path: str, cut_short: bool) -> Iterator[tuple[Any, bytes]]:
    """:func:`_raw_records` with warcio's own stderr warnings (which print the raw remainder of a bad
    record, terminal escapes included) swallowed: the damage is reported by us, in one line."""
    import contextlib

    found: list[tuple[Any, bytes]] = []
    error: InputError | None = None
    with contextlib.redirect_stderr(io.StringIO()):
        try:
            found.extend(_raw_records(data, path, cut_short))
        except InputError as exc:
            error = exc
    yield from found
    if error is not None:
        raise error


def _raw_records(data: bytes, path: str, cut_short: bool) -> Iterator[tuple[Any, bytes]]:
    """Records with their payloads; a broken one raises E009 (unless the gzip was already cut short:
    then the caller reports that once)."""
    from warcio.archiveiterator import ArchiveIterator

    try:
        for record in ArchiveIterator(io.BytesIO(data)):
            if record.rec_type is None:
                raise InputError(path, Errors.E009, reason="garbage where a record header should be")
            payload = record.content_stream().read()
            if getattr(record.raw_stream, "limit", 0):
                uri = record.rec_headers.get_header("WARC-Target-URI")
                raise InputError(path, Errors.E009, reason=f"record {uri} ends before its Content-Length")
            yield record, payload
    except InputError:
        if cut_short:
            return
        raise
    except Exception as exc:  # warcio raises assorted errors on broken framing
        if cut_short:
            return
        raise InputError(path, Errors.E009, reason=f"{type(exc).__name__}: {exc}") from None


@registry.readers("claimgraph.warc_reader.v1")
def read_warc(path: str, options: Options) -> Iterator[RawDocument | InputProblem]:
    """Every HTML response (or resource) record of a ``.warc`` / ``.warc.gz`` file."""
    from .dates import parse_date
    from .encoding import declared_charset
    from .html import extract_html, page_document

    partial: list[str] = []
    data = _load(path, options, partial)
    found = 0
    for record, payload in _records(data, path, bool(partial)):
        if record.rec_type not in ("response", "resource"):
            continue
        if record.http_headers is not None:
            content_type = record.http_headers.get_header("Content-Type") or ""
            status = record.http_headers.get_statuscode() or "200"
        else:
            content_type = record.rec_headers.get_header("Content-Type") or ""
            status = "200"
        if not content_type.lower().startswith(_HTML_TYPES) or not str(status).startswith("2"):
            continue
        found += 1
        uri = record.rec_headers.get_header("WARC-Target-URI") or f"record-{found}"
        where = f"{path}#{uri}"
        try:
            if not payload.strip():
                raise InputError(where, Errors.E003)
            text, encoding = decode(
                payload, where, content_type_charset(content_type) or declared_charset(payload)
            )
            page = extract_html(text, where, url=uri, paragraph_jaccard=options.paragraph_jaccard)
        except InputError as exc:
            yield exc.problem
            continue
        yield page_document(
            page,
            where,
            encoding,
            format="warc",
            url=uri,
            published=parse_date(record.rec_headers.get_header("WARC-Date")),
        )
    if partial:
        yield InputError(path, Errors.E009, reason=partial[0]).problem
    elif found == 0:
        yield InputError(path, Errors.E012).problem
