"""Ingest work grows at most linearly with the document's length (issue 16, part 2), counted, not timed.

Generated documents of four shapes (prose; short hard-wrapped lines; HTML with many inline tags;
repeated and near-repeated paragraphs; the generators of ``benchmarks/ingest_linear.py``) at 100k, 200k,
400k and 800k characters are read through ``iter_documents`` while :func:`count_lines` counts every line
of Python executed (``sys.settrace`` line events, in claimgraph and in every library written in Python).
The count is the same on every run and every machine (a timed version of this test once failed in CI on
a loaded machine), so the bound can be tight: the log-log slope of the counts against the sizes must be at
most :data:`MAX_SLOPE`.

Why 1.15: a linear step has slope 1.0; an ``n log n`` one adds about ``log(19.6 / 16.6) / log(8) = 0.08``
over this range; fixed costs only lower the slope. The counts gave 0.92-1.06 (2026-12-02) and are the same
under any ``PYTHONHASHSEED``. A part growing like ``n ** 2`` that is 6 % of the count at 100k characters (a
third of it at 800k) gives 1.17; ``test_the_count_catches_a_quadratic_function`` shows the check failing on
one. Making ``dedupe_paragraphs`` compare each paragraph with every kept one (its old quadratic shape)
fails the prose shape with 1.32.

What the count does not see: work inside one call into C (a regular expression, ``str.replace``, ``x in
some_list``, lxml's parser) counts as one line whatever it costs. ``python benchmarks/ingest_linear.py``
times the same documents in CPU seconds, which does see it.
"""

from __future__ import annotations

import functools
import gc
import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType, ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SIZES = (100_000, 200_000, 400_000, 800_000)
MAX_SLOPE = 1.15


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("ingest_linear", ROOT / "benchmarks" / "ingest_linear.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bench = _load()
loglog_slope: Callable[[list[int], list[int]], float] = bench.loglog_slope


def count_lines(func: Callable[[], object]) -> int:
    """Python line events (and calls) while ``func`` runs; the garbage collector is off meanwhile, so no
    finaliser or collection callback adds lines of its own."""
    count = 0

    def trace(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal count
        count += 1
        return trace

    enabled = gc.isenabled()
    gc.disable()
    sys.settrace(trace)
    try:
        func()
    finally:
        sys.settrace(None)
        if enabled:
            gc.enable()
    return count


@pytest.mark.parametrize("shape", sorted(bench.SHAPES))
def test_ingest_work_grows_at_most_linearly(shape: str, tmp_path: Path) -> None:
    bench.read_one(bench.write_shape(tmp_path, shape, 20_000))  # imports and first-call caches
    counts = []
    for size in SIZES:
        path = bench.write_shape(tmp_path, shape, size)
        counts.append(count_lines(functools.partial(bench.read_one, path)))
    slope = loglog_slope(list(SIZES), counts)
    assert slope <= MAX_SLOPE, f"{shape}: slope {slope:.3f}, lines executed {counts}"


def test_the_count_is_deterministic(tmp_path: Path) -> None:
    """Once the interpreter's own first-use caches are filled (``abc``'s subclass checks: about a hundred
    lines on the first two reads), one read executes the same lines every time."""
    path = bench.write_shape(tmp_path, "repeats", 50_000)
    bench.read_one(path)
    bench.read_one(path)
    assert count_lines(lambda: bench.read_one(path)) == count_lines(lambda: bench.read_one(path))


def test_the_slope_helper() -> None:
    assert loglog_slope([1, 2, 4, 8], [3, 6, 12, 24]) == pytest.approx(1.0)
    assert loglog_slope([1, 2, 4, 8], [3, 12, 48, 192]) == pytest.approx(2.0)
    assert loglog_slope([1, 2, 4, 8], [5, 5, 5, 5]) == pytest.approx(0.0)


def _work(n: int, quadratic_share: float) -> None:
    """``n`` steps of linear work plus, for ``quadratic_share`` of the items, a scan of everything before
    them in Python (the shape of the old paragraph de-duplication)."""
    seen: list[int] = []
    for k in range(n):
        seen.append(k)
        if k % round(1 / quadratic_share) == 0:
            _ = any(item == -1 for item in seen)


def test_the_count_catches_a_quadratic_function() -> None:
    """The same measurement fails a function with a quadratic part and passes a linear one."""
    sizes = [1_000, 2_000, 4_000, 8_000]
    quadratic = loglog_slope(sizes, [count_lines(functools.partial(_work, n, 1 / 500)) for n in sizes])
    assert quadratic > 1.4, quadratic
    linear = loglog_slope(sizes, [count_lines(functools.partial(_work, n * 100, 1e-9)) for n in sizes])
    assert linear <= MAX_SLOPE, linear
