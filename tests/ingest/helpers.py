"""Helpers for the ingest tests: fixture paths, a reader that splits documents from problems, WARC files."""

from __future__ import annotations

import gzip
from collections.abc import Sequence
from pathlib import Path

from claimgraph.errors import InputProblem
from claimgraph.ingest import iter_documents
from claimgraph.model import Document
from claimgraph.options import Options

FIXTURES = Path(__file__).parent / "fixtures"


def read_all(
    inputs: Sequence[str | Path], options: Options | None = None
) -> tuple[list[Document], list[InputProblem]]:
    docs: list[Document] = []
    problems: list[InputProblem] = []
    for item in iter_documents([str(i) for i in inputs], options or Options()):
        if isinstance(item, InputProblem):
            problems.append(item)
        else:
            docs.append(item)
    return docs, problems


def page(title: str, body: str, *, date: str = "2019-03-05", site: str = "The Veloria Times") -> str:
    return (
        f"<html><head><title>{title}</title><meta property='og:site_name' content='{site}'>"
        f"<meta property='article:published_time' content='{date}'></head><body><article><h1>{title}</h1>"
        f"{body}</article></body></html>"
    )


def _warc_record(headers: dict[str, str], block: bytes) -> bytes:
    head = "WARC/1.0\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    head += f"Content-Length: {len(block)}\r\n\r\n"
    return head.encode("utf-8") + block + b"\r\n\r\n"


def warc_bytes(
    records: Sequence[tuple[str, str]], *, gz: bool = True, date: str = "2019-03-06T12:00:00Z"
) -> bytes:
    """A WARC file with a request and an HTML response per ``(uri, html)``; one gzip member per record."""
    out: list[bytes] = []
    for number, (uri, html) in enumerate(records):
        common = {"WARC-Target-URI": uri, "WARC-Date": date}
        request = _warc_record(
            {"WARC-Type": "request", "WARC-Record-ID": f"<urn:uuid:00000000-0000-0000-0000-{number:012d}>", **common,
             "Content-Type": "application/http; msgtype=request"},
            b"GET / HTTP/1.1\r\nHost: example\r\n\r\n",
        )  # fmt: skip
        body = html.encode("utf-8")
        http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
        http += f"Content-Length: {len(body)}\r\n\r\n".encode() + body
        response = _warc_record(
            {"WARC-Type": "response", "WARC-Record-ID": f"<urn:uuid:10000000-0000-0000-0000-{number:012d}>", **common,
             "Content-Type": "application/http; msgtype=response"},
            http,
        )  # fmt: skip
        out.extend([request, response])
    if gz:
        return b"".join(gzip.compress(record) for record in out)
    return b"".join(out)


LONG_BODY = (
    "<p>Officials in Veloria said on Monday that the border talks with Kestria would resume next month "
    "after a pause of almost a year, according to a statement from the foreign ministry.</p>"
    "<p>The talks collapsed last spring after a dispute over fishing rights in the northern bay, which both "
    "countries claim as part of their territorial waters.</p>"
)


def gzip_bytes(data: bytes) -> bytes:
    return gzip.compress(data)
