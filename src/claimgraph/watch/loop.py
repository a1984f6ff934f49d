"""The watch loop: poll what is due, analyse it into the workspace, compare tracked items, raise alerts.

One :class:`Watcher` keeps one :class:`~claimgraph.ingest.fetch.Fetcher` open across cycles (robots.txt and the
per-host spacing are remembered; HTTP validators live in the workspace, so a restarted watcher still sends
conditional requests). A cycle:

1. polls the sources whose interval has passed (all of them in the first cycle and with ``--once``): a feed or
   page the server says is unchanged (304) costs one request and no body; a changed feed's entries are fetched
   with conditional requests too, so only new or changed articles are downloaded;
2. analyses the workspace with :func:`claimgraph.pipeline.analyze` (the function ``claimgraph analyze`` uses:
   per-document annotations and memos are reused, and with nothing new the stored analysis is reused whole);
3. compares every tracked item with its stored state (:func:`claimgraph.watch.tracking.diff`), stores each new
   alert (the ``alerts`` table drops a change already alerted), prints it as one JSON line and POSTs it to the
   webhooks; then stores the new states.

:meth:`Watcher.run` repeats cycles until a :class:`threading.Event` is set; :func:`stop_on_signals` sets it on
SIGINT/SIGTERM, so the watcher ends cleanly between cycles (a second signal interrupts at once).
"""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ..errors import ClaimgraphError, Errors, InputProblem
from ..options import Options
from .alerts import alert_line, deliver_all
from .tracking import Tracking, diff
from .watchlist import PolledSource, Watchlist

if TYPE_CHECKING:
    from ..ingest.fetch import Fetcher
    from ..store import Store

__all__ = ["CycleResult", "Watcher", "stop_on_signals"]


@dataclass
class CycleResult:
    number: int
    polled: list[str] = field(default_factory=list)
    seen: int = 0
    added: int = 0
    requests: int = 0
    full: int = 0
    not_modified: int = 0
    problems: list[InputProblem] = field(default_factory=list)
    alerts: list[dict[str, Any]] = field(default_factory=list)
    """Alerts new in this cycle (already emitted); repeats of stored alerts are not here."""
    repeats: int = 0
    """Alerts this cycle found again that the ``alerts`` table already held (not emitted)."""
    error: str | None = None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


class Watcher:
    """Runs the cycles of one watchlist over one workspace; see the module docstring.

    ``emit`` gets each new alert as one JSON line (default: stdout); ``say`` gets progress and problem lines
    (default: stderr). ``transport`` is an httpx transport for fetching, ``webhook_clients`` httpx clients by
    webhook URL, ``clock``/``sleep``/``wait`` (``wait(stop, seconds)`` between cycles) are injectable (tests).
    """

    def __init__(
        self,
        watchlist: Watchlist,
        db: str,
        options: Options | None = None,
        *,
        stages: Sequence[str] | None = None,
        emit: Callable[[str], None] | None = None,
        say: Callable[[str], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        transport: Any = None,
        webhook_clients: dict[str, Any] | None = None,
        wait: Callable[[threading.Event, float], object] | None = None,
    ) -> None:
        from ..ingest.fetch import Fetcher, FetchOptions
        from ..stages import DEFAULT_STAGES
        from ..store import Store

        self.watchlist = watchlist
        self.db = db
        self.options = options or Options(formats=())
        self.stages = tuple(stages if stages is not None else DEFAULT_STAGES)
        self.tracking = Tracking(
            watchlist.claim_ids, watchlist.queries, watchlist.entities, watchlist.outlets
        )
        self.emit = emit or _print_line
        self.say = say or _print_err
        self.clock = clock
        self.sleep = sleep
        self.webhook_clients = webhook_clients or {}
        self.wait = wait or (lambda stop, seconds: stop.wait(seconds))
        self.store: Store = Store.open(db)
        self.fetcher: Fetcher = Fetcher(
            FetchOptions.from_options(self.options),
            cache=self.store,
            clock=clock,
            sleep=sleep,
            transport=transport,
        )
        self.cycles = 0
        self._due: dict[str, float] = {}

    # ------------------------------------------------------------------ lifecycle
    def close(self) -> None:
        self.fetcher.close()
        self.store.close()

    def __enter__(self) -> Watcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ scheduling
    def due(self) -> list[PolledSource]:
        """The sources whose interval has passed (every source before its first poll)."""
        now = self.clock()
        return [s for s in self.watchlist.sources if self._due.get(s.url, now) <= now]

    def seconds_to_next(self) -> float:
        now = self.clock()
        nexts = [self._due.get(s.url, now) for s in self.watchlist.sources]
        return max(0.0, min(nexts) - now) if nexts else 0.0

    # ------------------------------------------------------------------ one cycle
    def cycle(self, sources: Sequence[PolledSource] | None = None) -> CycleResult:
        """Poll ``sources`` (default: those due), analyse, compare, alert. Never raises for a source that
        cannot be fetched (one line each); a workspace error is raised."""
        from ..pipeline import analyze

        self.cycles += 1
        result = CycleResult(number=self.cycles)
        todo = list(self.due() if sources is None else sources)
        started = self.clock()
        for source in todo:
            self._due[source.url] = started + source.every
        result.polled = [s.url for s in todo]
        before = self.fetcher.stats.requests, self.fetcher.stats.full, self.fetcher.stats.not_modified

        def report(problem: InputProblem) -> None:
            result.problems.append(problem)
            self.say(f"error: {problem}")

        analysis = analyze(
            [s.url for s in todo if not s.feed],
            None,
            db=self.db,
            options=self.options,
            stages=self.stages,
            on_problem=report,
            feeds=[s.url for s in todo if s.feed],
            fetcher=self.fetcher,
        )
        stats = self.fetcher.stats
        result.requests = stats.requests - before[0]
        result.full = stats.full - before[1]
        result.not_modified = stats.not_modified - before[2]
        result.seen, result.added = analysis.seen, analysis.added
        self._compare(result)
        self._redeliver()
        return result

    def _compare(self, result: CycleResult) -> None:
        created = self.options.frozen_time or _now()
        corpus = self.store.load_corpus()
        outcome = diff(corpus, self.tracking, self.store.watch_states(), created)
        for alert in outcome.alerts:
            if not self.store.add_alert(alert):
                result.repeats += 1
                continue
            result.alerts.append(alert)
            self.emit(alert_line(alert))
            if self.watchlist.webhooks:
                self._send(alert)
        self.store.put_watch_states(outcome.states, created)

    # ------------------------------------------------------------------ webhooks
    def _send(self, alert: dict[str, Any], hooks: Sequence[Any] | None = None) -> None:
        targets = list(hooks if hooks is not None else self.watchlist.webhooks)
        outcomes = deliver_all(
            targets,
            alert,
            user_agent=self.fetcher.options.agent,
            clients=self.webhook_clients,
            sleep=self.sleep,
        )
        for url, outcome in outcomes.items():
            if outcome["status"] != "delivered":
                reason = f"alert {alert['id']} not delivered after {outcome['attempts']} attempt(s): {outcome['reason']}"
                self.say(f"error: {Errors.E121.format(url=url, reason=reason)}")
        stored = dict(alert.get("delivery") or {})
        stored.update(outcomes)
        self.store.set_alert_delivery(str(alert["id"]), stored)

    def _redeliver(self) -> None:
        """Alerts a webhook of this watchlist failed to take in an earlier cycle are sent to it again."""
        hooks = {h.url: h for h in self.watchlist.webhooks}
        if not hooks:
            return
        for alert in self.store.iter_alerts(newest_first=False):
            delivery = alert.get("delivery") or {}
            failed = [
                hooks[u] for u, o in sorted(delivery.items()) if u in hooks and o.get("status") == "failed"
            ]
            if failed:
                self._send(alert, failed)

    # ------------------------------------------------------------------ the loop
    def run(self, stop: threading.Event, *, once: bool = False, max_cycles: int | None = None) -> int:
        """Cycles until ``stop`` is set (checked between cycles and while waiting), once with ``once``, or
        ``max_cycles``. A cycle that fails on the workspace is reported and the next one tried (with ``once``
        the error is raised). Returns the number of cycles run."""
        runs = 0
        while not stop.is_set():
            try:
                result = self.cycle(self.watchlist.sources if once else None)
            except ClaimgraphError as exc:
                if once:
                    raise
                self.say(f"error: {' '.join(str(exc).split())}")
            else:
                self.say(_summary(result))
            runs += 1
            if once or (max_cycles is not None and runs >= max_cycles):
                break
            self.wait(stop, max(self.seconds_to_next(), 0.01))
        return runs


def _summary(result: CycleResult) -> str:
    return (
        f"watch: cycle {result.number}: polled {len(result.polled)} source(s); {result.requests} request(s), "
        f"{result.full} body(ies), {result.not_modified} not modified; {result.seen} document(s) read, "
        f"{result.added} new; {len(result.alerts)} alert(s)"
    )


def _print_line(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _print_err(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


@contextlib.contextmanager
def stop_on_signals(
    stop: threading.Event, say: Callable[[str], None] | None = None
) -> Iterator[threading.Event]:
    """While inside, SIGINT and SIGTERM set ``stop`` (the watcher ends after its current cycle); a second signal
    raises :class:`KeyboardInterrupt`. The previous handlers are put back on leaving. Main thread only."""
    previous: dict[signal.Signals, Any] = {}

    def handler(received: int, frame: object) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        if say is not None:
            say(f"watch: {signal.Signals(received).name} received; stopping after the current cycle")

    for signum in (signal.SIGINT, signal.SIGTERM):
        previous[signum] = signal.signal(signum, handler)
    try:
        yield stop
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)
