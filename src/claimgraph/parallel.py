"""Worker processes for the per-document steps (``--jobs``).

``Options.n_process`` (CLI ``--jobs``) is the user's ceiling: ``0`` or a negative number means every
core this process may run on. A worker costs a fork and a start-up, so small inputs stay in one
process: one worker per two batches at most (:func:`processes_for`).

:func:`ordered_map` runs a function over chunks of work in a pool of workers **started once for the
whole run** (not once per chunk) and yields the results in the order of the chunks, so the outcome is
the single-process one whatever the number of workers.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

__all__ = ["available_cores", "ordered_map", "processes_for", "start_pool"]

T = TypeVar("T")
R = TypeVar("R")


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
    Chunks are handed out as workers free up; closing the iterator early stops the workers."""
    if n_process <= 1:
        if initializer is not None:
            initializer(*initargs)
        yield from map(func, chunks)
        return
    with start_pool(n_process, initializer, initargs) as pool:
        yield from pool.imap(func, chunks)
