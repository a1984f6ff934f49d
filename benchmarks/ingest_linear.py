"""Ingest CPU time against the document's length (issue 16, part 2): a benchmark, not a test.

Generated documents of four shapes (prose; short hard-wrapped lines; HTML with many inline tags;
repeated and near-repeated paragraphs) at 100k, 200k, 400k, 800k and 1.6M characters are read through
``iter_documents``; the CPU time of each (``time.process_time``, the best of ``--rounds`` rounds: wall-clock
time on a shared machine measures the neighbours) is fitted on a log-log scale and the slope printed with
the seconds (1.0 is linear time, 2.0 quadratic). A slope over :data:`MAX_SLOPE` exits with status 1.

Why 1.25: a linear step has slope 1.0; an ``n log n`` one (sorting, hashing with resizes) adds about
``log(20.6 / 16.6) / log(16) = 0.08`` over this range; fixed costs only lower the slope. CPU-time noise of
about 15 % at each end of a 16-fold range moves the slope by ``log(1.15 ** 2) / log(16) = 0.1``. A
quadratic step that takes even a third of the time at 1.6M characters pushes the slope over 1.25.

The test suite checks the same shapes deterministically (``tests/ingest/test_linear.py`` counts the
Python lines executed instead of timing them; it imports the generators from here). CPU time also sees
work done in C (regular expressions, ``str`` methods, lxml), which that count does not.

    python benchmarks/ingest_linear.py                  # all four shapes, 3 rounds (5 below 400k)
    python benchmarks/ingest_linear.py --shape prose --rounds 5
"""

from __future__ import annotations

import argparse
import functools
import math
import random
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

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
    """The least CPU seconds (``time.process_time``) of ``rounds`` calls of ``func``."""
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


def read_one(path: Path) -> None:
    """``iter_documents`` on one file, which must give exactly one document."""
    from claimgraph.ingest import iter_documents
    from claimgraph.model import Document
    from claimgraph.options import Options

    items = list(iter_documents([str(path)], Options(max_bytes=100 * 1024 * 1024, ingest_seconds=0)))
    assert len(items) == 1 and isinstance(items[0], Document), items


def write_shape(folder: Path, shape: str, size: int) -> Path:
    """The generated document of ``shape`` and ``size`` characters (seeded by the size) written into ``folder``."""
    suffix, make = SHAPES[shape]
    path = folder / f"{shape}-{size}{suffix}"
    path.write_text(make(random.Random(size), size), encoding="utf-8")
    return path


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--shape", choices=sorted(SHAPES), action="append", help="default: all")
    parser.add_argument("--rounds", type=int, default=3, help="best of N rounds per size (5 below 400k)")
    args = parser.parse_args()
    worst = 0.0
    with tempfile.TemporaryDirectory() as folder:
        for shape in args.shape or sorted(SHAPES):
            read_one(write_shape(Path(folder), shape, 20_000))  # imports and first-call caches
            seconds = []
            for size in SIZES:
                path = write_shape(Path(folder), shape, size)
                rounds = max(args.rounds, 5) if size < 400_000 else args.rounds
                seconds.append(cpu_seconds(functools.partial(read_one, path), rounds))
            slope = loglog_slope(SIZES, seconds)
            worst = max(worst, slope)
            print(f"{shape:12} slope {slope:.2f}  CPU s {[round(s, 3) for s in seconds]}", flush=True)
    print(f"worst slope {worst:.2f} (at most {MAX_SLOPE}: {'yes' if worst <= MAX_SLOPE else 'NO'})")
    return 0 if worst <= MAX_SLOPE else 1


if __name__ == "__main__":
    sys.exit(main())
