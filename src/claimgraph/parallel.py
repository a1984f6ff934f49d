"""How many worker processes a per-document step should start (``--jobs``).

``Options.n_process`` (CLI ``--jobs``) is the user's ceiling: ``0`` or a negative number means every
core this process may run on. A worker costs a fork and a start-up, so small inputs stay in one
process: one worker per two batches at most.
"""

from __future__ import annotations

import os

__all__ = ["available_cores", "processes_for"]


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
