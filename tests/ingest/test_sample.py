"""The bundled sample corpus against its hand-written gold file."""

from __future__ import annotations

import json
from typing import Any

import pytest

from claimgraph.data import sample_corpus_path, sample_gold_path
from claimgraph.ingest import mark_duplicates
from claimgraph.model import Document
from claimgraph.options import Options

from .helpers import read_all

GOLD: list[dict[str, Any]] = json.loads(sample_gold_path().read_text(encoding="utf-8"))["documents"]


@pytest.fixture(scope="module")
def sample() -> tuple[dict[str, Document], dict[str, str | None]]:
    root = str(sample_corpus_path())
    docs, problems = read_all([root])
    assert problems == []
    by_path = {d.path[len(root) + 1 :]: d for d in docs}
    duplicates = mark_duplicates(docs, Options())
    paths = {d.id: p for p, d in by_path.items()}
    return by_path, {p: (paths[duplicates[d.id]] if duplicates[d.id] else None) for p, d in by_path.items()}


def test_every_gold_document_is_read(sample: tuple[dict[str, Document], dict[str, str | None]]) -> None:
    by_path, _ = sample
    assert {g["path"] for g in GOLD} <= set(by_path)


@pytest.mark.parametrize("gold", GOLD, ids=[g["path"].split("#")[0] for g in GOLD])
def test_gold_document(
    gold: dict[str, Any], sample: tuple[dict[str, Document], dict[str, str | None]]
) -> None:
    by_path, duplicate_of = sample
    doc = by_path[gold["path"]]
    assert doc.format == gold["format"]
    assert doc.title == gold["title"]
    assert doc.authors == gold["authors"]
    assert doc.published == gold["published"]
    assert doc.outlet == gold["outlet"]
    assert doc.url == gold["url"]
    assert duplicate_of[gold["path"]] == gold["duplicate_of"]
    for line in gold.get("boilerplate_lines", []):
        assert line in doc.removed.boilerplate_lines
    for line in gold.get("kept_lines", []):
        assert line in doc.text
    for line in gold.get("absent_lines", []):
        assert line not in doc.text
    assert doc.removed.duplicate_paragraphs == gold["duplicate_paragraphs"]
