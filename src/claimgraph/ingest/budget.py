"""A per-document time budget for reading: a reader that takes too long on one document is stopped.

``Budget(seconds)`` arms a one-shot interval timer (``SIGALRM``) around each step of a reader; when it
fires, :class:`BudgetExceeded` is raised inside the reader at the next Python instruction (a single
long C call, e.g. one regular expression, finishes first). Only in the main thread of a POSIX process;
elsewhere, or with ``seconds <= 0``, there is no budget.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from types import FrameType
from typing import TypeVar

__all__ = ["BudgetExceeded", "budgeted"]

T = TypeVar("T")


class BudgetExceeded(Exception):
    """The time budget of one document ran out."""


def _raise(signum: int, frame: FrameType | None) -> None:
    raise BudgetExceeded


def _available(seconds: float) -> bool:
    return (
        seconds > 0
        and hasattr(signal, "setitimer")
        and hasattr(signal, "SIGALRM")
        and threading.current_thread() is threading.main_thread()
    )


def budgeted(items: Iterator[T], seconds: float) -> Iterator[T]:
    """``items``, each one produced within ``seconds`` (else :class:`BudgetExceeded` from ``next``)."""
    if not _available(seconds):
        yield from items
        return
    while True:
        previous = signal.signal(signal.SIGALRM, _raise)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            item = next(items)
        except StopIteration:
            return
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        yield item
