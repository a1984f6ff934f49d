"""Follow a story: poll feeds and pages, analyse what is new into the workspace, alert when a tracked item changes.

- :func:`load_watchlist` -- the YAML watchlist (sources with intervals; claims, entities, outlets to track;
  webhooks), checked entry by entry;
- :class:`Watcher` -- the cycles (``claimgraph watch``), :func:`stop_on_signals` for SIGINT/SIGTERM;
- :func:`list_alerts` -- the alerts stored in a workspace (the ``alerts`` table), e.g. for a server;
- :func:`verify_signature` -- check a webhook request's ``X-Claimgraph-Signature`` header.

Names are imported on first use, so ``import claimgraph.watch`` is cheap. See ``docs/watch.md``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .alerts import SIGNATURE_HEADER, alert_line, list_alerts, sign, verify_signature
    from .loop import CycleResult, Watcher, stop_on_signals
    from .tracking import ALERT_KINDS, ALERT_SCHEMA, diff
    from .watchlist import PolledSource, Watchlist, Webhook, load_watchlist

__all__ = [
    "ALERT_KINDS",
    "ALERT_SCHEMA",
    "SIGNATURE_HEADER",
    "CycleResult",
    "PolledSource",
    "Watcher",
    "Watchlist",
    "Webhook",
    "alert_line",
    "diff",
    "list_alerts",
    "load_watchlist",
    "sign",
    "stop_on_signals",
    "verify_signature",
]

_WHERE = {
    "SIGNATURE_HEADER": "alerts",
    "alert_line": "alerts",
    "list_alerts": "alerts",
    "sign": "alerts",
    "verify_signature": "alerts",
    "CycleResult": "loop",
    "Watcher": "loop",
    "stop_on_signals": "loop",
    "ALERT_KINDS": "tracking",
    "ALERT_SCHEMA": "tracking",
    "diff": "tracking",
    "PolledSource": "watchlist",
    "Watchlist": "watchlist",
    "Webhook": "watchlist",
    "load_watchlist": "watchlist",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
