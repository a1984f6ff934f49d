"""What readers produce (:class:`RawDocument`) and how it becomes a :class:`~claimgraph.model.Document`."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from ..errors import Errors, InputError, InputProblem
from ..model import Document, Removed, stable_id
from ..options import Options
from .bylines import clean_author
from .dates import parse_date
from .deduplication import dedupe_paragraphs, dedupe_passages
from .normalize import collapse_runs, normalize_line, normalize_text

__all__ = ["RawDocument", "content_hash", "finish"]


@dataclass
class RawDocument:
    """One article as a reader found it: paragraphs and metadata, not yet de-duplicated or hashed."""

    path: str
    format: str
    paragraphs: list[str]
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    outlet: str | None = None
    url: str | None = None
    removed_lines: list[str] = field(default_factory=list)
    encoding: str | None = None
    repeats: list[str] = field(default_factory=list)
    """Repeated paragraphs an extractor already dropped; counted with the others."""


def content_hash(text: str, title: str | None, authors: list[str], outlet: str | None, url: str | None,
                 published: str | None) -> str:  # fmt: skip
    """SHA-256 over the normalised text and metadata: the document's identity."""
    payload = json.dumps([text, title, authors, outlet, url, published], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = normalize_line(str(value))
    return value or None


def finish(raw: RawDocument, options: Options) -> Document | InputProblem:
    """Normalise, de-duplicate paragraphs, hash: the final :class:`Document` (or E012 if no text is left)."""
    paragraphs = [p for p in (collapse_runs(normalize_line(normalize_text(p))) for p in raw.paragraphs) if p]
    kept, repeats = dedupe_paragraphs(paragraphs, options.paragraph_jaccard)
    kept, passages = dedupe_passages(kept)
    repeats.extend(passages)
    repeats = [*repeats, *(normalize_line(r) for r in raw.repeats)]
    if not kept:
        return InputError(raw.path, Errors.E012).problem
    text = "\n\n".join(kept)
    authors: list[str] = []
    for name in raw.authors:
        cleaned = clean_author(normalize_line(name)) or _clean(name)
        if cleaned and cleaned.casefold() not in {a.casefold() for a in authors}:
            authors.append(cleaned)
    title = _clean(raw.title)
    outlet = _clean(raw.outlet)
    if outlet and (outlet == raw.path or "/" in outlet or "\\" in outlet):
        outlet = None  # a path or URL is not an outlet's name: unknown stays unknown
    url = _clean(raw.url)
    published = parse_date(raw.published) if raw.published else None
    digest = content_hash(text, title, authors, outlet, url, published)
    # Removed lines are kept as written (only the ends trimmed), so they can be found in the source.
    removed_lines = [line for line in (normalize_text(x).strip() for x in raw.removed_lines) if line]
    return Document(
        id=stable_id("doc", digest),
        path=raw.path,
        url=url,
        title=title,
        authors=authors,
        published=published,
        outlet=outlet,
        text=text,
        removed=Removed(
            boilerplate_lines=removed_lines,
            duplicate_paragraphs=len(repeats),
            duplicate_paragraph_texts=repeats,
        ),
        format=raw.format,
        content_hash=digest,
        encoding=raw.encoding,
    )
