"""Worker processes for the per-document steps (``--jobs``).

``Options.n_process`` (CLI ``--jobs``) is the user's ceiling: ``0`` or a negative number means every
core this process may run on. A worker costs a fork and a start-up, so small inputs stay in one
process: one worker per two batches at most (:func:`processes_for`).

:func:`ordered_map` runs a function over chunks of work in a pool of workers **started once for the
whole run** (not once per chunk) and yields the results in the order of the chunks, so the outcome is
the single-process one whatever the number of workers.

:data:`LAST_RUN` records, for the latest :func:`ordered_map`, each worker's CPU seconds over its chunks
and the calling process's own CPU while it waited for and took in the results: the evidence of how well
the work split (``benchmarks/end_to_end.py --cores`` prints it; wall time needs an idle machine, CPU does
not).
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

__all__ = ["LAST_RUN", "PoolStats", "available_cores", "ordered_map", "processes_for", "start_pool"]

T = TypeVar("T")
R = TypeVar("R")


@dataclass
class PoolStats:
    """CPU accounting of one :func:`ordered_map` run."""

    processes: int = 0
    chunks: int = 0
    worker_cpu: dict[int, float] = field(default_factory=dict)
    """CPU seconds spent in ``func`` per worker process id (the calling process's id when it ran alone)."""
    parent_cpu: float = 0.0
    """CPU seconds of the calling process between the first and the last result (pickling, taking in)."""

    def reset(self, processes: int) -> None:
        self.processes, self.chunks, self.parent_cpu = processes, 0, 0.0
        self.worker_cpu = {}


#: The latest :func:`ordered_map`'s :class:`PoolStats` (this process only).
LAST_RUN = PoolStats()


def _timed(func: Callable[[T], R], chunk: T) -> tuple[R, int, float]:
    """``func(chunk)``, this process's id and the CPU seconds it took."""
    start = time.process_time()
    result = func(chunk)
    return result, os.getpid(), time.process_time() - start


def available_cores() -> int:
    """Cores this process may run on (its CPU affinity where the OS has one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return max(1, os.cpu_count() or 1)


def processes_for(jobs: int, n_items: int, batch_size: int) -> int:
    """Worker processes for ``n_items`` texts fed in batches of ``batch_size``, never more than ``jobs``.

    ``jobs <= 0`` means :func:`available_cores`. Returns 1 (no worker, the calling process does the work)
    when there are fewer than two batches per worker.
    """
    ceiling = available_cores() if jobs <= 0 else jobs
    batches = -(-max(0, n_items) // max(1, batch_size))
    return max(1, min(ceiling, batches // 2))


def _worker_start(initializer: Callable[..., None] | None, initargs: tuple[Any, ...]) -> None:
    """A worker ignores Ctrl-C: the parent takes the interrupt and stops the pool (no traceback per worker)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if initializer is not None:
        initializer(*initargs)


def start_pool(
    n_process: int, initializer: Callable[..., None] | None = None, initargs: tuple[Any, ...] = ()
) -> Any:
    """A ``multiprocessing`` pool of ``n_process`` workers: forked where the OS can (a worker shares the
    parent's loaded model pages), spawned elsewhere. Workers ignore SIGINT; the parent terminates them."""
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    return multiprocessing.get_context(method).Pool(n_process, _worker_start, (initializer, initargs))


def ordered_map(
    func: Callable[[T], R],
    chunks: Iterable[T],
    n_process: int,
    initializer: Callable[..., None] | None = None,
    initargs: tuple[Any, ...] = (),
) -> Iterator[R]:
    """``func`` over ``chunks``, results in the chunks' order: in this process when ``n_process <= 1``,
    else in one pool of ``n_process`` workers kept for every chunk (``func`` and the chunks must pickle).
    Chunks are handed out as workers free up; closing the iterator early stops the workers.
    Each chunk's CPU time is recorded in :data:`LAST_RUN` by worker."""
    LAST_RUN.reset(max(1, n_process))
    if n_process <= 1:
        if initializer is not None:
            initializer(*initargs)
        yield from (_record(item) for item in map(functools.partial(_timed, func), chunks))
        return
    with start_pool(n_process, initializer, initargs) as pool:
        parent = time.process_time()
        for item in pool.imap(functools.partial(_timed, func), chunks):
            LAST_RUN.parent_cpu += time.process_time() - parent
            yield _record(item)
            parent = time.process_time()


def _record(item: tuple[R, int, float]) -> R:
    result, pid, seconds = item
    LAST_RUN.chunks += 1
    LAST_RUN.worker_cpu[pid] = LAST_RUN.worker_cpu.get(pid, 0.0) + seconds
    return result
