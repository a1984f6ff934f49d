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
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

__all__ = [
    "LAST_RUN",
    "RUNS",
    "PoolStats",
    "available_cores",
    "ordered_map",
    "processes_for",
    "split_map",
    "start_pool",
    "stop_pool",
]

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
    done_at: float = 0.0
    """The calling process's ``time.process_time()`` when the last result was in (0: not recorded)."""

    def reset(self, processes: int) -> None:
        self.processes, self.chunks, self.parent_cpu, self.done_at = processes, 0, 0.0, 0.0
        self.worker_cpu = {}


#: The latest :func:`ordered_map`'s :class:`PoolStats` (this process only).
LAST_RUN = PoolStats()
#: The latest :func:`split_map` of each name (``"stance"``...), for the benchmark's CPU accounting.
RUNS: dict[str, PoolStats] = {}


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
    """A worker ignores Ctrl-C: the parent takes the interrupt and stops the pool (no traceback per worker).

    A forked worker moves everything it inherited to the collector's permanent generation
    (``gc.freeze``, as the ``gc`` documentation advises for forked children): the parent's objects,
    including garbage cycles it had not collected yet, are never traversed or finalised in the worker (a
    finaliser there could wait on a lock or thread that only exists in the parent), and their pages are
    not copied by the collector writing to them."""
    import gc
    import signal

    gc.freeze()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A handler inherited from the parent (``claimgraph watch`` and the job runner catch SIGTERM to stop
    # cleanly) would make the worker ignore the pool's ``terminate``: the worker dies on SIGTERM.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if initializer is not None:
        initializer(*initargs)


def start_pool(
    n_process: int, initializer: Callable[..., None] | None = None, initargs: tuple[Any, ...] = ()
) -> Any:
    """A ``multiprocessing`` pool of ``n_process`` workers: forked where the OS can (a worker shares the
    parent's loaded model pages), spawned elsewhere. Workers ignore SIGINT; the parent terminates them."""
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    return multiprocessing.get_context(method).Pool(n_process, _worker_start, (initializer, initargs))


#: Seconds :func:`stop_pool` waits for the workers to leave on their own before killing them.
STOP_GRACE = 10.0


def stop_pool(pool: Any, grace: float = STOP_GRACE) -> None:
    """Stop ``pool`` after every result was taken: no more tasks (the workers leave when they read the end
    of the queue), each worker joined for at most ``grace`` seconds in all, and a worker still there
    killed before the pool is terminated.

    ``Pool.terminate`` sends SIGTERM and then joins every worker without a time limit, so one worker that
    cannot act on SIGTERM held the run forever: a child forked while another thread of the parent held a
    lock can wait on that lock from its first instant (seen twice under load on 2026-12-02, in test
    runs whose process had threads left by earlier tests). Killing only what is still there after the
    others left means no healthy worker is killed while it holds the task queue's lock."""
    pool.close()
    deadline = time.monotonic() + grace
    for process in list(getattr(pool, "_pool", ())):  # the pool's worker processes (CPython's Pool)
        process.join(max(0.0, deadline - time.monotonic()))
        if process.exitcode is None:
            process.kill()
            process.join()
    pool.terminate()
    pool.join()


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
        stop_pool(pool)


def _record(item: tuple[R, int, float]) -> R:
    result, pid, seconds = item
    LAST_RUN.chunks += 1
    LAST_RUN.worker_cpu[pid] = LAST_RUN.worker_cpu.get(pid, 0.0) + seconds
    return result


#: What :func:`split_map`'s forked workers call: set just before the fork, so a worker finds the function
#: (and the model it is bound to) in its copy of this process's memory, never pickled.
_FORKED: dict[str, Callable[[Any], Any]] = {}


def _forked_call(job: tuple[str, Any]) -> tuple[Any, int, float]:
    name, part = job
    return _timed(_FORKED[name], part)


def split_map(
    name: str,
    func: Callable[[Sequence[T]], Sequence[R]],
    items: Sequence[T],
    n_process: int,
    block: int,
    min_blocks: int = 4,
) -> list[R]:
    """``func(items)`` computed as ``func`` over consecutive slices of ``items`` in ``n_process`` forked
    workers, the slices' results concatenated in order.

    For a ``func`` that treats its items in independent blocks of ``block`` items (a model scoring pairs
    batch by batch): slices are cut at multiples of ``block``, so every block is the one a single call
    would make and the result is the single call's, bit for bit. ``func`` runs in this process when
    ``n_process <= 1``, when there are fewer than ``min_blocks`` blocks per worker (a fork would cost
    more than it saves), or where the OS cannot fork. ``func`` is not pickled: a forked worker finds
    it in its copy of this process (so a model loaded here is shared, never sent). Each slice's CPU is
    recorded in :data:`RUNS` under ``name``."""
    stats = RUNS.setdefault(name, PoolStats())
    blocks = -(-len(items) // max(1, block))
    workers = min(max(1, n_process), blocks // max(1, min_blocks))
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        stats.reset(1)
        result, pid, seconds = _timed(func, items)
        stats.chunks, stats.worker_cpu = 1, {pid: seconds}
        return list(result)
    stats.reset(workers)
    per = -(-blocks // workers) * block  # whole blocks per slice
    slices = [items[start : start + per] for start in range(0, len(items), per)]
    _FORKED[name] = func
    out: list[R] = []
    try:
        with multiprocessing.get_context("fork").Pool(workers, _worker_start, (None, ())) as pool:
            parent = time.process_time()
            for result, pid, seconds in pool.imap(_forked_call, [(name, part) for part in slices]):
                stats.parent_cpu += time.process_time() - parent
                stats.chunks += 1
                stats.worker_cpu[pid] = stats.worker_cpu.get(pid, 0.0) + seconds
                out.extend(result)
                parent = time.process_time()
            stop_pool(pool)
    finally:
        _FORKED.pop(name, None)
    return out


#: Fewest stance pairs per worker worth a fork (scoring 500 pairs takes about half a second).
MIN_PAIRS_PER_WORKER = 500


class _SplitPredictor:
    """A stance model whose ``predict`` runs in forked workers through :func:`split_map` (same result)."""

    def __init__(self, model: Any, n_process: int, min_pairs: int = MIN_PAIRS_PER_WORKER) -> None:
        self.model = model
        self.n_process = n_process
        self.min_pairs = min_pairs

    def predict(self, pairs: Sequence[tuple[str, str]]) -> list[tuple[str, float]]:
        return split_map("stance", self.model.predict, list(pairs), self.n_process, 1, self.min_pairs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.model, name)


def predict_in_workers(model: Any, jobs: int) -> Any:
    """``model`` (a stance model, or the store-memo wrapper :class:`claimgraph.memo.StoredStanceModel`
    around one) with its pair scoring split over ``jobs`` forked workers (``<= 0``: every core) when it
    is claimgraph's own :class:`~claimgraph.stance.model.StanceModel`; any other model is returned as it
    is. That model scores each pair on its own (fixed vocabularies, IDF tables and SVD, row-wise sparse
    products, one booster row per pair), which the store memo already relies on: its predictions for a
    split list are those for the whole list, bit for bit (checked on 6,000 FNC-1 pairs cut at 1, 777,
    3,000 and 5,999, and by ``tests/test_jobs.py``)."""
    from .stance.model import StanceModel

    ceiling = available_cores() if jobs <= 0 else jobs
    if ceiling <= 1 or model is None:
        return model
    if getattr(model, "loaded", True) is False:  # the memo wrapper, model not loaded yet (claimgraph.memo)
        model.on_load(
            lambda inner: _SplitPredictor(inner, ceiling) if isinstance(inner, StanceModel) else inner
        )
        return model
    inner = getattr(model, "model", None)
    if isinstance(inner, StanceModel):  # the memo wrapper: split what it must compute
        model.model = _SplitPredictor(inner, ceiling)
        return model
    if isinstance(model, StanceModel):
        return _SplitPredictor(model, ceiling)
    return model
