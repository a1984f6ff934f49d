"""The cyclic garbage collector's thresholds during a run.

A run allocates millions of small containers (statements, spans, sets of ids, per-text caches) and
keeps most of them to the end, so CPython's default thresholds (a young collection every 700 net
allocations, an older one every 10 of those) make the collector traverse the same survivors again and
again: measured from ``gc.callbacks`` on 1,000 FNC-1 bodies replayed from cached annotations, 3.4-4.4 s
CPU of a 25-37 s run went to collections, and the share grows with the heap (see ``docs/scale.md``).
:func:`run_gc_policy` raises the thresholds for the duration of a run and restores them afterwards. It
changes when cyclic garbage is freed, never what a run computes; memory held by uncollected cycles is
bounded by the young-generation threshold (a few thousand objects).

:class:`RunFreezer` (``gc.freeze`` after each stage of a run) and :func:`old_objects_frozen` (while the
outputs are written) keep the run's long-lived records out of the collector's full passes altogether.

:func:`collector_paused` switches the collector off for one stage that makes almost no garbage cycles (the
claims stage), so that its young collections do not walk its new containers again and again.

Nested or concurrent runs in one process (``watch``, the server's job threads) share one setting: the
first run in sets it, the last one out restores what was there before. Thresholds the caller had set
higher are kept, and a disabled collector stays disabled.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["RUN_THRESHOLDS", "RunFreezer", "collector_paused", "old_objects_frozen", "run_gc_policy"]

#: ``gc.set_threshold`` during a run (CPython's defaults are ``(700, 10, 10)``).
RUN_THRESHOLDS = (10_000, 20, 20)

_lock = threading.Lock()
_depth = 0
_saved: tuple[int, ...] = ()
_paused = 0
_was_enabled = False


@contextmanager
def run_gc_policy() -> Iterator[None]:
    """Raise the collector's thresholds to at least :data:`RUN_THRESHOLDS` until the block ends."""
    global _depth, _saved
    with _lock:
        if _depth == 0:
            _saved = gc.get_threshold()
            gc.set_threshold(*(max(old, new) for old, new in zip(_saved, RUN_THRESHOLDS, strict=True)))
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                gc.set_threshold(*_saved)


class RunFreezer:
    """``gc.freeze`` at points of a run: what exists then (models, documents, a finished stage's records)
    is left out of the cyclic garbage collector's full passes for the rest of the run; ``close`` undoes
    it. Each full pass walked every object of the process, most of them the run's long-lived records (six
    passes, about 2 s CPU, in a 10-document increment into 1,000 documents). Garbage cycles made later are
    still collected; results do not depend on the collector. Off when the caller froze objects itself or
    disabled the collector."""

    def __init__(self) -> None:
        self.enabled = gc.isenabled() and gc.get_freeze_count() == 0

    def freeze(self) -> None:
        if self.enabled:
            gc.freeze()

    @contextmanager
    def paused_then_frozen(self) -> Iterator[None]:
        """The block with the collector paused (:func:`collector_paused`), and what exists after it frozen
        before the collector is on again: what the block made and keeps is never walked (a run's stages and its
        analysis save). A plain block when this freezer is off."""
        if not self.enabled:
            yield
            return
        with collector_paused():
            yield
            self.freeze()

    def close(self) -> None:
        if self.enabled:
            gc.unfreeze()
            self.enabled = False


@contextmanager
def old_objects_frozen() -> Iterator[None]:
    """Keep the objects that exist when the block starts (an analysis, the spaCy model, ...) out of the
    collector's full passes until it ends (:class:`RunFreezer` for one block). The exporters allocate many
    small containers, and each full pass walked every object of the process: about 0.5 s per pass after an
    incremental run into 1,000 documents, several per write (measured). Cycles made inside the block are
    still collected. A caller's own ``gc.freeze`` is left alone."""
    freezer = RunFreezer()
    freezer.freeze()
    try:
        yield
    finally:
        freezer.close()


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off until the block ends (then on again if it was on before the first such
    block in). For a stage that allocates millions of small containers and frees almost no cycles: the claims
    stage's young collections walked every new list, set and tuple once or twice and found next to nothing
    (10,000 documents: 366 collections, 0.9 s CPU, 1,375 objects freed in a +10 increment's stage; 416
    collections, 1.3 s, 1,238 objects from scratch; ``docs/scale.md``). Reference counting still frees
    everything that is not in a cycle; the few cycles made inside wait for the next collection after the block.
    Nested or concurrent blocks share one state (the last one out turns it back on); the switch is the process's,
    so other threads run without the collector while a block is open, and workers forked inside inherit the pause
    (the claims stage's ``--jobs`` stance scoring: short-lived pools, ``parallel.split_map``)."""
    global _paused, _was_enabled
    with _lock:
        if _paused == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _paused += 1
    try:
        yield
    finally:
        with _lock:
            _paused -= 1
            if _paused == 0 and _was_enabled:
                gc.enable()
