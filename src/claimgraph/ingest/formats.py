"""Readers for single-article files: HTML pages and plain text / Markdown."""

from __future__ import annotations

from collections.abc import Iterator

from ..options import Options
from ..registry import registry
from .documents import RawDocument
from .encoding import declared_charset, decode
from .limits import read_capped
from .text import clean_text

__all__ = ["read_html", "read_markdown", "read_text"]


@registry.readers("claimgraph.html_reader.v1")
def read_html(path: str, options: Options) -> Iterator[RawDocument]:
    """One ``.html`` / ``.htm`` page (gzip allowed)."""
    from .html import extract_html, page_document

    data = read_capped(path, path, options.max_bytes)
    text, encoding = decode(data, path, declared_charset(data))
    page = extract_html(text, path, paragraph_jaccard=options.paragraph_jaccard)
    yield page_document(page, path, encoding)


def _read_plain(path: str, options: Options, *, markdown: bool) -> Iterator[RawDocument]:
    data = read_capped(path, path, options.max_bytes)
    text, encoding = decode(data, path)
    cleaned = clean_text(text, markdown=markdown, main_region=True)
    yield RawDocument(
        path=path,
        format="markdown" if markdown else "text",
        paragraphs=cleaned.paragraphs,
        title=cleaned.title,
        authors=cleaned.authors,
        published=cleaned.published,
        outlet=cleaned.outlet,
        url=cleaned.url,
        removed_lines=cleaned.removed,
        encoding=encoding,
    )


@registry.readers("claimgraph.text_reader.v1")
def read_text(path: str, options: Options) -> Iterator[RawDocument]:
    """One plain-text article saved from the web (``.txt``)."""
    yield from _read_plain(path, options, markdown=False)


@registry.readers("claimgraph.markdown_reader.v1")
def read_markdown(path: str, options: Options) -> Iterator[RawDocument]:
    """One Markdown article (``.md``, ``.markdown``)."""
    yield from _read_plain(path, options, markdown=True)
