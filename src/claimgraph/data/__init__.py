"""Bundled data: the sample corpus (an invented story) and its hand-written gold file."""

from __future__ import annotations

from pathlib import Path

__all__ = ["sample_corpus_path", "sample_gold_path"]


def sample_corpus_path() -> Path:
    """Folder of the bundled sample corpus (HTML, text, JSONL, RSS and WARC articles)."""
    return Path(__file__).parent / "sample"


def sample_gold_path() -> Path:
    """The hand-written gold annotations of the sample corpus (not an input: ``analyze`` skips it)."""
    return Path(__file__).parent / "sample_gold.json"
