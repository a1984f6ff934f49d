"""Ingest time grows at most linearly with the document's length (generated documents, 100k to 1.6M chars)."""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest

from claimgraph.ingest import iter_documents
from claimgraph.model import Document
from claimgraph.options import Options

WORDS = [
    "harbour",
    "port",
    "crews",
    "union",
    "fee",
    "storm",
    "council",
    "minister",
    "vote",
    "ferry",
    "dredging",
    "basin",
    "talks",
    "spring",
    "week",
]
SMALL, LARGE = 100_000, 1_600_000
SLACK = 2.5
"""Allowed excess over linear growth (CPU time on a shared machine, and fixed costs in the small run)."""


def _sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 18))).capitalize() + "."


def _block(kind: str, rng: random.Random) -> str:
    if kind == "prose":
        return " ".join(_sentence(rng) for _ in range(4)) + "\n\n"
    if kind == "wrapped":  # hard-wrapped lines of one long paragraph
        return _sentence(rng)[:-1] + "\n"
    if kind == "repeats":  # repeated passages inside longer paragraphs, repeated paragraphs
        shared = "The harbour closed on Monday. Crews went home early."
        return (
            " ".join(_sentence(rng) for _ in range(2)) + " " + shared if rng.random() < 0.5 else shared
        ) + "\n\n"
    # a saved page: menus and labels between paragraphs
    return rng.choice(
        ["Menu\nHome | News | Sport\n", _sentence(rng) + " " + _sentence(rng) + "\n", "Share\n"]
    )


KINDS = ["prose", "wrapped", "repeats", "page"]


def _document(size: int, seed: int) -> str:
    """Stretches of each kind of text, in random order: prose, hard-wrapped lines, repeated passages, page furniture."""
    rng = random.Random(seed)
    parts: list[str] = ["A headline for the generated story\n\n"]
    total = 0
    while total < size:
        kind = rng.choice(KINDS)
        # hard-wrapped stretches are long: one paragraph of up to 2,000 lines to re-join
        part = (
            "".join(_block(kind, rng) for _ in range(rng.randint(1, 2000 if kind == "wrapped" else 40)))
            + "\n"
        )
        parts.append(part)
        total += len(part)
    # and one hard-wrapped paragraph as long as a tenth of the document
    wrapped: list[str] = []
    while sum(map(len, wrapped)) < size // 10:
        wrapped.append(_block("wrapped", rng))
    return "".join([*parts, *wrapped])


def _ingest_seconds(path: Path, rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        items = list(iter_documents([str(path)], Options(max_bytes=100 * 1024 * 1024)))
        best = min(best, time.process_time() - start)
        assert len(items) == 1 and isinstance(items[0], Document)
    return best


@pytest.mark.parametrize("seed", [1, 2])
def test_ingest_time_grows_at_most_linearly(seed: int, tmp_path: Path) -> None:
    small, large = tmp_path / "small.txt", tmp_path / "large.txt"
    small.write_text(_document(SMALL, seed), encoding="utf-8")
    large.write_text(_document(LARGE, seed + 100), encoding="utf-8")
    t_small = max(_ingest_seconds(small, 3), 0.01)
    t_large = _ingest_seconds(large, 1)
    assert t_large <= SLACK * (LARGE / SMALL) * t_small, (t_small, t_large)
