"""Ingest time grows at most linearly with the document's length (issue 16, part 2).

Generated documents of four shapes (prose; short hard-wrapped lines; HTML with many inline tags;
repeated and near-repeated paragraphs) at 100k, 200k, 400k, 800k and 1.6M characters are read through
``iter_documents``; the CPU time of each (``time.process_time``, the best of a few rounds for the short
ones: wall-clock time on a shared machine measures the neighbours) is fitted on a log-log scale, and the
slope must be at most :data:`MAX_SLOPE`.

Why 1.25: a linear step has slope 1.0; an ``n log n`` one (sorting, hashing with resizes) adds about
``log(20.6 / 16.6) / log(16) = 0.08`` over this range; fixed costs only lower the slope. CPU-time noise of
about 15 % at each end of a 16-fold range moves the slope by ``log(1.15 ** 2) / log(16) = 0.1``. A
quadratic step that takes even a third of the time at 1.6M characters pushes the slope over 1.25, and a
dominant one gives about 2 (``test_the_slope_catches_a_quadratic_function`` shows the check failing on one).
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from claimgraph.ingest import iter_documents
from claimgraph.model import Document
from claimgraph.options import Options

SIZES = (100_000, 200_000, 400_000, 800_000, 1_600_000)
MAX_SLOPE = 1.25
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
    "budget",
    "tunnel",
    "quay",
    "inspector",
    "lorry",
    "freight",
    "hearing",
    "audit",
    "contract",
]


def loglog_slope(sizes: Sequence[float], seconds: Sequence[float]) -> float:
    """Least-squares slope of ``log(seconds)`` against ``log(sizes)``: 1 for linear time, 2 for quadratic."""
    xs = [math.log(s) for s in sizes]
    ys = [math.log(max(t, 1e-6)) for t in seconds]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)


def cpu_seconds(func: Callable[[], object], rounds: int) -> float:
    best = math.inf
    for _ in range(rounds):
        start = time.process_time()
        func()
        best = min(best, time.process_time() - start)
    return best


def _sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 18))).capitalize() + "."


def _prose(rng: random.Random, size: int) -> str:
    parts = ["A headline for the generated story\n\n"]
    total = 0
    while total < size:
        part = " ".join(_sentence(rng) for _ in range(rng.randint(2, 6))) + "\n\n"
        parts.append(part)
        total += len(part)
    return "".join(parts)


def _short_lines(rng: random.Random, size: int) -> str:
    """Hard-wrapped text: paragraphs of up to 2,000 short lines each, to be re-joined."""
    parts = ["A headline for the generated story\n\n"]
    total = 0
    while total < size:
        lines = []
        for _ in range(rng.randint(50, 2000)):
            words = [rng.choice(WORDS) for _ in range(rng.randint(2, 7))]
            lines.append(" ".join(words))
        part = "\n".join(lines) + ".\n\n"
        parts.append(part)
        total += len(part)
    return "".join(parts)


def _tagged_html(rng: random.Random, size: int) -> str:
    """An article page whose paragraphs are thick with inline tags and attributes."""
    head = "<html><head><title>A generated story</title></head><body><nav>Home | News</nav><article>"
    parts = [head, "<h1>A headline for the generated story</h1>"]
    total = len(head)
    while total < size:
        words = []
        for _ in range(rng.randint(20, 60)):
            word = rng.choice(WORDS)
            tag = rng.choice(["b", "i", "a", "span", "em", None, None])
            if tag == "a":
                word = f"<a href='https://news.example/{word}' class='link'>{word}</a>"
            elif tag:
                word = f"<{tag} class='c{rng.randint(0, 9)}' data-k='{rng.randint(0, 99)}'>{word}</{tag}>"
            words.append(word)
        part = f"<div class='row'><p>{' '.join(words).capitalize()}.</p></div>\n"
        parts.append(part)
        total += len(part)
    parts.append("</article><footer>(c) Gazette</footer></body></html>")
    return "".join(parts)


def _repeats(rng: random.Random, size: int) -> str:
    """Paragraphs repeated exactly and nearly (one word changed) all through the document."""
    pool = [" ".join(_sentence(rng) for _ in range(3)) for _ in range(40)]
    parts = ["A headline for the generated story\n\n"]
    total = 0
    while total < size:
        paragraph = rng.choice(pool) if rng.random() < 0.6 else " ".join(_sentence(rng) for _ in range(3))
        if rng.random() < 0.3:
            words = paragraph.split()
            words[rng.randrange(len(words))] = rng.choice(WORDS)
            paragraph = " ".join(words)
        part = paragraph + "\n\n"
        parts.append(part)
        total += len(part)
    return "".join(parts)


SHAPES: dict[str, tuple[str, Callable[[random.Random, int], str]]] = {
    "prose": (".txt", _prose),
    "short-lines": (".txt", _short_lines),
    "tagged-html": (".html", _tagged_html),
    "repeats": (".txt", _repeats),
}


def _read(path: Path) -> None:
    items = list(iter_documents([str(path)], Options(max_bytes=100 * 1024 * 1024, ingest_seconds=0)))
    assert len(items) == 1 and isinstance(items[0], Document), items


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_ingest_time_grows_at_most_linearly(shape: str, tmp_path: Path) -> None:
    suffix, make = SHAPES[shape]
    warm = tmp_path / f"warm{suffix}"
    warm.write_text(make(random.Random(0), 20_000), encoding="utf-8")
    _read(warm)  # imports and first-call caches are not part of the first size's time
    seconds = []
    for size in SIZES:
        path = tmp_path / f"{shape}-{size}{suffix}"
        path.write_text(make(random.Random(size), size), encoding="utf-8")
        # the best of several rounds at every size: one round of the largest size once took 4x the
        # previous size's time on an idle machine (CI, 2026-12-02) and alone decided the slope
        rounds = 5 if size <= 200_000 else 3
        seconds.append(cpu_seconds(lambda path=path: _read(path), rounds=rounds))
    slope = loglog_slope(SIZES, seconds)
    assert slope <= MAX_SLOPE, f"{shape}: slope {slope:.2f}, CPU seconds {[round(s, 3) for s in seconds]}"


def test_the_slope_helper() -> None:
    assert loglog_slope([1, 2, 4, 8], [3, 6, 12, 24]) == pytest.approx(1.0)
    assert loglog_slope([1, 2, 4, 8], [3, 12, 48, 192]) == pytest.approx(2.0)
    assert loglog_slope([1, 2, 4, 8], [5, 5, 5, 5]) == pytest.approx(0.0)


def _quadratic(n: int) -> None:
    """Each line searched for in everything before it: the shape of the old paragraph de-duplication."""
    seen: list[int] = []
    for k in range(n):
        _ = k in seen
        seen.append(k)


def _linear(n: int) -> None:
    seen: set[int] = set()
    for k in range(n):
        _ = k in seen
        seen.add(k)


def test_the_slope_catches_a_quadratic_function() -> None:
    """The same measurement fails a quadratic function and passes a linear one (so the check can fail)."""
    sizes = (500, 1000, 2000, 4000)
    quadratic = loglog_slope(sizes, [cpu_seconds(lambda n=n: _quadratic(n), 3) for n in sizes])
    assert quadratic > MAX_SLOPE, quadratic
    big = [n * 100 for n in sizes]
    linear = loglog_slope(big, [cpu_seconds(lambda n=n: _linear(n), 3) for n in big])
    assert linear <= MAX_SLOPE, linear
