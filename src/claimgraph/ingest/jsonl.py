"""JSON Lines: one article per line with ``text`` or ``html`` and optional metadata.

Fields: ``text`` | ``html`` (one is required), ``title``, ``authors`` (list or string), ``published``,
``outlet``, ``url``. A bad line is a problem for that line (``file#<line>``); the other lines load.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from ..errors import Errors, InputError, InputProblem
from ..options import Options
from ..registry import registry
from .bylines import parse_byline, split_authors
from .documents import RawDocument
from .encoding import decode
from .limits import read_capped
from .text import clean_text

__all__ = ["read_jsonl", "record_document"]


def _authors(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return parse_byline(value) or split_authors(value) or ([value.strip()] if value.strip() else [])
    if isinstance(value, list):
        names: list[str] = []
        for item in value:
            if isinstance(item, dict):
                item = item.get("name")
            if isinstance(item, str) and item.strip():
                names.append(item.strip())
        return names
    return []


def _str(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)


def record_document(
    record: dict[str, Any], where: str, line_no: int, options: Options, fmt: str = "jsonl"
) -> RawDocument:
    """One record (a JSONL object, a CSV row) as a document; ``text`` is cleaned like saved text, ``html``
    goes through the HTML reader. Given fields win over what extraction finds."""
    html_text, text = record.get("html"), record.get("text")
    if not isinstance(html_text, str) and not isinstance(text, str):
        raise InputError(where, Errors.E014, line=line_no)
    title, url = _str(record.get("title")), _str(record.get("url"))
    repeats: list[str] = []
    if isinstance(text, str) and (text.strip() or not isinstance(html_text, str)):
        cleaned = clean_text(text, title=title, main_region=True)
    else:
        from .html import extract_html

        page = extract_html(str(html_text), where, url=url, paragraph_jaccard=options.paragraph_jaccard)
        cleaned, repeats = page, page.repeats
    authors = _authors(record.get("authors", record.get("author"))) or cleaned.authors
    return RawDocument(
        path=where,
        format=fmt,
        paragraphs=cleaned.paragraphs,
        title=title or cleaned.title,
        authors=authors,
        published=_str(record.get("published", record.get("date"))) or cleaned.published,
        outlet=_str(record.get("outlet", record.get("source"))) or cleaned.outlet,
        url=url or cleaned.url,
        removed_lines=cleaned.removed,
        repeats=repeats,
    )


@registry.readers("claimgraph.jsonl_reader.v1")
def read_jsonl(path: str, options: Options) -> Iterator[RawDocument | InputProblem]:
    """Every article of a ``.jsonl`` file, each with path ``file#<1-based line number>``."""
    data = read_capped(path, path, options.max_bytes)
    text, encoding = decode(data, path)
    for line_no, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{path}#{line_no}"
        try:
            record = json.loads(line)
        except RecursionError:
            yield InputError(where, Errors.E306, what=f"JSON on line {line_no}", limit="Python's").problem
            continue
        except ValueError as exc:
            reason = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
            yield InputError(where, Errors.E008, line=line_no, reason=reason).problem
            continue
        if not isinstance(record, dict):
            yield InputError(where, Errors.E008, line=line_no, reason="not a JSON object").problem
            continue
        try:
            raw = record_document(record, where, line_no, options)
        except InputError as exc:
            yield exc.problem
            continue
        raw.encoding = encoding
        yield raw
