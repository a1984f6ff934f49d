"""Scale-out on Dask (``claimgraph analyze … --dask ADDRESS``): the per-document work runs as Dask tasks.

Two rounds of tasks over partitions of documents, the rest of the run unchanged on the client:

1. **ingest**: the client lists the inputs (:func:`claimgraph.ingest.discover`, cheap) and sends
   partitions of files to the workers, which read them with the registered readers; the client takes the
   results back *in input order* and stores them (same ids, same duplicates, same problems as a local run).
   Files an earlier run read and that did not change are not sent (the store's file index, as locally).
   URLs and feeds are fetched on the client (their HTTP cache lives in the store).
2. **annotate**: every stored document whose spaCy annotations are not cached yet is sent, in partitions
   sized by characters (large first, small last: :func:`annotate_partitions`), to the workers, which run
   :func:`claimgraph.attribution.stage.annotate_documents` (the function a local run uses; the pipeline is loaded once per worker process, and plain-data annotations travel back, not
   spaCy Docs); the client writes each partition's annotations to the store's annotation cache in one
   transaction, as the tasks finish (in any order: the cache is keyed by document).

The attribution stage then finds every document's annotations in the cache and builds entities, sources and
statements on the client, followed by the corpus-wide stages (claims, provenance) and the outputs. Only the
client opens the store: workers never write to it, so the store stays the single point of truth (use
PostgreSQL when the scheduler's workers are on other machines; see ``docs/scale.md``). A partition whose task
fails (a worker lost twice) is done on the client instead, so a run never loses documents to the cluster.

``ADDRESS`` is a scheduler address (``tcp://host:8786``) or ``local:N`` for a
:class:`distributed.LocalCluster` of N worker processes with one thread each on this machine.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from .errors import ConfigError, Errors, InputProblem
from .model import Document
from .options import Options

if TYPE_CHECKING:
    from .ingest import FileIndex, UnchangedFile
    from .ingest.discover import Candidate
    from .ingest.fetch import HttpCache
    from .store import Store

__all__ = ["DaskRunner", "annotate_partitions", "dask_runner", "local_cluster_options", "parse_address"]

T = TypeVar("T")
R = TypeVar("R")

#: Files per ingest task: reading is cheap, so partitions are large enough to keep scheduling overhead low.
INGEST_PARTITION = 64
#: Documents per annotation task, at most (a task holds its texts and their annotations in memory).
MAX_ANNOTATE_PARTITION = 256
#: Guided partitioning of the spaCy pass (:func:`annotate_partitions`): each partition holds about
#: ``remaining / (GUIDED_SHARE * workers)`` of the characters still to send, so partitions shrink towards
#: the end and the workers finish together; none is smaller than ``total / (MIN_SHARE * workers)``.
GUIDED_SHARE = 2
MIN_SHARE = 32
#: Characters a document counts for on top of its text and title (spaCy's per-document cost).
DOCUMENT_OVERHEAD_CHARS = 200
#: Documents (at most) and characters (about) of a spaCy task sent while ingest is still storing documents
#: (:meth:`DaskRunner.start_annotating`; the corpus's size is not known yet, so the tasks are small).
EARLY_PARTITION = 16
EARLY_PARTITION_CHARS = 64_000
#: Such tasks in flight per worker before ingest waits for one to finish (bounds the client's memory).
EARLY_IN_FLIGHT_PER_WORKER = 6
#: Partitions in flight per worker: enough to keep every worker busy, few enough to bound memory.
IN_FLIGHT_PER_WORKER = 3
#: Seconds to wait for a scheduler (``tcp://…``) to answer and to have a worker.
CONNECT_TIMEOUT = 30.0
#: Seconds to wait for a ``local:N`` cluster's worker processes to start (each imports claimgraph).
LOCAL_START_TIMEOUT = 120.0
#: Dask settings of a ``local:N`` cluster: its bookkeeping timers run less often than Dask's defaults
#: (20 ms event-loop tick, 100 ms memory monitor, 500 ms system monitor), which on a busy machine cost the
#: scheduler (in this process) and each worker 2-3% of a core while doing nothing (measured idle: scheduler
#: and client 0.027 CPU-s per second with the defaults, 0.006 with these; a worker 0.024 and 0.018).
LOCAL_CONFIG: dict[str, str] = {
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.worker.memory.monitor-interval": "1s",
}


def parse_address(spec: str) -> tuple[str, int]:
    """``("local", n)`` for ``local:N`` (N ≥ 1), ``(address, 0)`` for a scheduler address; else E111."""
    text = spec.strip()
    if text.lower().startswith("local"):
        _, _, count = text.partition(":")
        if count.isdigit() and int(count) >= 1:
            return "local", int(count)
        raise ConfigError(Errors.E111.format(address=spec, reason="expected local:N with N ≥ 1 workers"))
    if "://" in text or (":" in text and text.rsplit(":", 1)[1].isdigit()):
        return text, 0
    raise ConfigError(
        Errors.E111.format(address=spec, reason="expected tcp://HOST:PORT, HOST:PORT or local:N")
    )


# --------------------------------------------------------------------------- worker side

_PIPE_LOCK = threading.Lock()
"""One spaCy pass at a time per worker process (a worker started with several threads shares one pipeline)."""


def _preload(model: str) -> None:
    """Load the attribution pipeline into this process's cache (run on every worker before the first task)."""
    from .attribution.nlp import load_pipeline

    load_pipeline(model)


def _warm_ingest() -> None:
    """Read one tiny text file, as an ingest task does: the readers' and the clean-up's imports and tables
    are then loaded when the worker starts, not inside its first task."""
    import os
    import tempfile

    from .ingest import _read
    from .ingest.discover import Candidate

    handle, path = tempfile.mkstemp(suffix=".txt")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as fh:
            fh.write("Warm-up\n\nThe council said on Monday that the bridge would reopen in May.\n")
        list(_read(Candidate(path, True), "claimgraph.text_reader.v1", Options()))
    finally:
        os.unlink(path)


def _read_partition(
    items: Sequence[tuple[Candidate, str]], options: Options
) -> list[list[Document | InputProblem] | None]:
    """Read a partition of files, as a local run does (one problem for a file that cannot be read).

    One result per file; ``None`` for a file this worker cannot see (a worker on another machine without the
    client's file system), which the client then reads itself.
    """
    import os

    from .ingest import _read

    out: list[list[Document | InputProblem] | None] = []
    for candidate, reader_name in items:
        if os.path.lexists(candidate.path):
            out.append(list(_read(candidate, reader_name, options)))
        else:
            out.append(None)
    return out


def _read_here(
    items: Sequence[tuple[Candidate, str]], options: Options
) -> list[list[Document | InputProblem] | None]:
    """:func:`_read_partition` in the client's process (every file counts as visible here)."""
    from .ingest import _read

    return [list(_read(candidate, reader_name, options)) for candidate, reader_name in items]


def _annotation_prefix(model: str) -> str:
    """The model-and-code part of this process's annotation cache keys (rules version, code fingerprint with
    the spaCy version, model): a worker must compute annotations exactly as the client would."""
    from .attribution.stage import annotation_key

    blank = Document(id="", path="", url=None, title=None, authors=[], published=None, outlet=None, text="")
    return annotation_key(model, blank)


def _annotate_partition(documents: Sequence[Document], options: Options) -> bytes:
    """spaCy annotations of a partition (documents spaCy fails on are left out; the client redoes them),
    packed for the trip to the client (:func:`_unpack`)."""
    from .attribution.stage import annotate_documents

    with _PIPE_LOCK:
        return _pack(annotate_documents(documents, options))


def _pack(annotations: dict[str, dict[str, Any]]) -> bytes:
    """Annotations (plain data, never spaCy Docs) as zlib-compressed JSON, the form the store caches them
    in, so the client decodes data and never unpickles (measured with the earlier pickle form: about 2 KB per
    news article instead of 5 KB unpacked)."""
    import json
    import zlib

    return zlib.compress(
        json.dumps(annotations, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 1
    )


def _unpack(packed: bytes) -> dict[str, dict[str, Any]]:
    import json
    import zlib

    value = json.loads(zlib.decompress(packed).decode("utf-8"))
    if not isinstance(value, dict):
        raise TypeError(f"a Dask task sent {type(value).__name__}, not annotations")
    return value


# --------------------------------------------------------------------------- client side


@dataclass
class _Slot:
    """One position of the input order: a problem found while listing, or a partition of files to read."""

    problem: InputProblem | UnchangedFile | None = None
    """A problem found while listing, or an unchanged file (yielded as it is)."""
    partition: int = -1


class DaskRunner:
    """Runs ingest and annotation tasks on a :class:`distributed.Client`'s workers (see the module docstring)."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self._preloaded: set[str] = set()
        self.fallbacks = 0
        """Partitions done on the client because their task failed on the cluster."""
        self.read_here = 0
        """Files the client read itself because a worker could not see them."""
        self._early: _Early | None = None

    @property
    def n_workers(self) -> int:
        return max(1, len(self.client.scheduler_info().get("workers", {})))

    def preload(self, model: str) -> None:
        """Load spaCy pipeline ``model`` on every worker now (in parallel), and on workers that join later."""
        if model in self._preloaded:
            return
        self.client.register_plugin(_SpacyPlugin(model), name=f"claimgraph-spacy-{model}")
        self._preloaded.add(model)

    def check_workers(self, model: str) -> None:
        """Raise ``E111`` when a worker runs other claimgraph rules, code or spaCy than this process: its
        annotations would be cached under this process's keys and silently differ from a local run."""
        mine = _annotation_prefix(model)
        theirs = self.client.run(_annotation_prefix, model)
        odd = sorted(address for address, prefix in theirs.items() if prefix != mine)
        if odd:
            raise ConfigError(
                Errors.E111.format(
                    address=odd[0],
                    reason=f"this worker runs another claimgraph or spaCy version than this process "
                    f"({theirs[odd[0]].rsplit(':', 2)[0]} vs {mine.rsplit(':', 2)[0]}, {len(odd)} worker(s)); "
                    "install the same versions on every worker",
                )
            )

    def _map_ordered(
        self,
        func: Callable[..., R],
        partitions: Sequence[T],
        *args: Any,
        local: Callable[..., R],
    ) -> Iterator[R]:
        """``func(partition, *args)`` on the workers, results in partition order, a bounded number in flight.

        A partition whose task fails is computed by ``local`` in this process instead.
        """
        window = IN_FLIGHT_PER_WORKER * self.n_workers
        futures: dict[int, Any] = {}
        submitted = 0
        for index, partition in enumerate(partitions):
            while submitted < len(partitions) and submitted < index + window:
                futures[submitted] = self.client.submit(
                    func, partitions[submitted], *args, retries=1, pure=False
                )
                submitted += 1
            future = futures.pop(index)
            try:
                result = future.result()
            except Exception as exc:  # a lost worker or a task error: this partition is done here
                logging.getLogger(__name__).warning(
                    "claimgraph: a Dask task failed (%s: %s); doing its partition in this process",
                    type(exc).__name__,
                    " ".join(str(exc).split())[:200],
                )
                self.fallbacks += 1
                result = local(partition, *args)
            finally:
                future.release()
            yield result

    def _map_unordered(
        self,
        func: Callable[..., R],
        partitions: Sequence[T],
        *args: Any,
        local: Callable[..., R],
        running: Sequence[tuple[Any, T]] = (),
    ) -> Iterator[tuple[T, R]]:
        """``(partition, func(partition, *args))`` for every partition, as the tasks finish: a new task is
        submitted as soon as one finishes, so no worker waits for a slow partition ahead of it in the input
        order (as with :meth:`_map_ordered`). At most :data:`IN_FLIGHT_PER_WORKER` per worker are in
        flight; ``running``: ``(future, partition)`` pairs already submitted, whose results come too. A
        partition whose task fails is computed by ``local`` in this process instead."""
        from distributed import as_completed

        window = IN_FLIGHT_PER_WORKER * self.n_workers
        owner: dict[Any, T] = dict(running)
        pending = iter(partitions)

        def submit_next() -> Any:
            partition = next(pending, None)
            if partition is None:
                return None
            future = self.client.submit(func, partition, *args, retries=1, pure=False)
            owner[future] = partition
            return future

        first = list(owner)
        first += [f for f in (submit_next() for _ in range(max(0, window - len(first)))) if f is not None]
        stream = as_completed(first)
        for future in stream:
            partition = owner.pop(future)
            result = self._result(future, func, partition, *args, local=local)
            following = submit_next()
            if following is not None:
                stream.add(following)
            yield partition, result

    def _result(
        self, future: Any, func: Callable[..., R], partition: Any, *args: Any, local: Callable[..., R]
    ) -> R:
        """A finished task's result; a lost worker or a task error: its partition is done here instead."""
        try:
            return future.result()
        except Exception as exc:
            logging.getLogger(__name__).warning(
                "claimgraph: a Dask task failed (%s: %s); doing its partition in this process",
                type(exc).__name__,
                " ".join(str(exc).split())[:200],
            )
            self.fallbacks += 1
            return local(partition, *args)
        finally:
            future.release()

    def iter_documents(
        self,
        inputs: Sequence[str],
        options: Options,
        skipped: Counter[str] | None = None,
        *,
        feeds: Sequence[str] = (),
        http_cache: HttpCache | None = None,
        files: FileIndex | None = None,
    ) -> Iterator[Any]:
        """What :func:`claimgraph.ingest.iter_documents` yields, in the same order, files read by the workers.

        ``files``: what earlier runs read (:class:`~claimgraph.ingest.FileIndex`), as for a local run: an
        unchanged file is not sent to the workers (one :class:`~claimgraph.ingest.UnchangedFile` instead),
        and a file that is read is framed by ``FileStart``/``FileEnd``, so a rerun costs the cluster only
        the new and changed files, and an edited file's vanished documents leave the workspace."""
        from .attribution.nlp import default_model_name
        from .ingest import FileEnd, UnchangedFile, _file_marker, _readers, _suffix
        from .ingest.discover import discover, format_of
        from .ingest.fetch import is_url

        # the workers load the pipeline and the readers once, before the first task (the spaCy pass needs it)
        self.preload(options.spacy_model or default_model_name())

        table = _readers.suffix_readers(options)
        slots: list[_Slot] = []
        partitions: list[list[tuple[Candidate, str]]] = []
        markers: list[list[Any]] = []
        current: list[tuple[Candidate, str]] = []
        current_markers: list[Any] = []

        def close_partition() -> None:
            nonlocal current, current_markers
            if current:
                partitions.append(current)
                markers.append(current_markers)
                slots.append(_Slot(partition=len(partitions) - 1))
                current, current_markers = [], []

        for item in discover([str(i) for i in inputs if not is_url(str(i))], options.follow_symlinks):
            if isinstance(item, InputProblem):
                close_partition()
                slots.append(_Slot(problem=item))
                continue
            reader_name = format_of(item.path, table)
            if reader_name is None:
                if item.explicit:
                    from .errors import InputError

                    close_partition()
                    slots.append(
                        _Slot(problem=InputError(item.path, Errors.E013, suffix=_suffix(item.path)).problem)
                    )
                elif skipped is not None:
                    skipped[_suffix(item.path)] += 1
                continue
            marker = _file_marker(item.path, files) if files is not None else None
            if isinstance(marker, UnchangedFile):  # known and unchanged: nothing to read
                close_partition()
                slots.append(_Slot(problem=marker))
                continue
            current.append((item, reader_name))
            current_markers.append(marker)
            if len(current) >= INGEST_PARTITION:
                close_partition()
        close_partition()
        results = self._map_ordered(_read_partition, partitions, options, local=_read_here)
        for slot in slots:
            if slot.problem is not None:
                yield slot.problem
                continue
            for (candidate, reader_name), marker, found in zip(
                partitions[slot.partition], markers[slot.partition], next(results), strict=True
            ):
                if found is None:  # not on the worker's file system: read here
                    self.read_here += 1
                    found = _read_here([(candidate, reader_name)], options)[0] or []
                if marker is not None:
                    yield marker
                yield from found
                if marker is not None:
                    yield FileEnd(candidate.path)
        urls = [str(i) for i in inputs if is_url(str(i))]
        if urls or feeds:
            from .ingest.fetch import iter_urls

            yield from iter_urls(urls, [str(f) for f in feeds], options, cache=http_cache)

    def start_annotating(self, options: Options, store: Store) -> Callable[[Document], None]:
        """Start the spaCy pass during ingest: returns the callback for each newly stored document.

        Documents are sent to the workers in small partitions (:data:`EARLY_PARTITION`) as ingest stores
        them, so the workers annotate while the client is still reading and storing; finished partitions
        are written to the store's annotation cache as ingest goes on, and ingest waits when more than
        :data:`EARLY_IN_FLIGHT_PER_WORKER` per worker are in flight. :meth:`annotate` then takes the
        tasks still running and sends what is left."""
        from .attribution.nlp import default_model_name

        model = options.spacy_model or default_model_name()
        self.check_workers(model)
        self.preload(model)
        self._early = _Early(
            options=options.replace(spacy_model=model, n_process=1, progress=False), store=store
        )
        return self._submit_early

    def _submit_early(self, doc: Document) -> None:
        early = self._early
        if early is None:
            return
        early.buffer.append(doc)
        early.chars += _weight(doc)
        if len(early.buffer) < EARLY_PARTITION and early.chars < EARLY_PARTITION_CHARS:
            return
        partition, early.buffer, early.chars = early.buffer, [], 0
        future = self.client.submit(_annotate_partition, partition, early.options, retries=1, pure=False)
        early.running[future] = partition
        from distributed import wait

        limit = EARLY_IN_FLIGHT_PER_WORKER * self.n_workers
        while True:
            for done in [f for f in early.running if f.done()]:
                early.stored += self._store_annotations(
                    early.running.pop(done), done, early.options, early.store
                )
            if len(early.running) <= limit:
                return
            wait(list(early.running), return_when="FIRST_COMPLETED")

    def _store_annotations(
        self, partition: Sequence[Document], result: Any, options: Options, store: Store
    ) -> int:
        """Write a partition's annotations (a future's or packed bytes) to the store's cache; returns how many."""
        from .attribution.stage import annotation_key, put_annotations

        if not isinstance(result, bytes):
            result = self._result(result, _annotate_partition, partition, options, local=_annotate_partition)
        found = _unpack(result)
        model = options.spacy_model or ""
        entries = [
            (d.id, annotation_key(model, d, options.window_chars), found[d.id])
            for d in partition
            if d.id in found
        ]
        put_annotations(store, entries)  # one transaction per partition, where the store has it
        return len(entries)

    def annotate(
        self,
        documents: Sequence[Document],
        options: Options,
        store: Store,
        advance: Callable[[int], None] | None = None,
    ) -> int:
        """Annotate on the workers every document whose annotations ``store`` does not cache yet (taking the
        tasks :meth:`start_annotating` sent during ingest); returns how many were annotated by this call and
        during ingest. The client writes them to the cache, where the attribution stage finds them."""
        from .attribution.nlp import default_model_name
        from .attribution.stage import annotation_key

        early, self._early = self._early, None
        model = options.spacy_model or default_model_name()
        keys = {doc.id: annotation_key(model, doc, options.window_chars) for doc in documents}
        if hasattr(store, "annotated"):  # keys only, a few queries, where the store has it
            cached = store.annotated(keys)
        elif hasattr(store, "get_annotations"):
            cached = set(store.get_annotations(keys))
        else:
            cached = {i for i, k in keys.items() if store.get_annotation(i, k) is not None}
        running = list(early.running.items()) if early is not None else []
        done = early.stored if early is not None else 0
        in_flight = {d.id for _, partition in running for d in partition}
        todo = sorted(
            (d for d in documents if d.id not in cached and d.id not in in_flight), key=lambda d: d.id
        )
        if advance is not None:
            advance(len(cached))
        if not todo and not running:
            return done
        # the workers run one process each: no nested --jobs pool inside a Dask worker
        worker_options = options.replace(spacy_model=model, n_process=1, progress=False)
        self.check_workers(model)
        self.preload(model)
        partitions = annotate_partitions(todo, self.n_workers)
        for partition, result in self._map_unordered(
            _annotate_partition, partitions, worker_options, local=_annotate_partition, running=running
        ):
            done += self._store_annotations(partition, result, worker_options, store)
            if advance is not None:
                advance(len(partition))
        return done


@dataclass
class _Early:
    """The spaCy tasks sent during ingest (:meth:`DaskRunner.start_annotating`)."""

    options: Options
    store: Store
    buffer: list[Document] = field(default_factory=list)
    chars: int = 0
    running: dict[Any, list[Document]] = field(default_factory=dict)
    stored: int = 0


def _weight(doc: Document) -> int:
    """A document's share of the spaCy pass: its characters, plus a fixed per-document cost."""
    return len(doc.text or "") + len(doc.title or "") + DOCUMENT_OVERHEAD_CHARS


def annotate_partitions(documents: Sequence[Document], n_workers: int) -> list[list[Document]]:
    """The spaCy pass's tasks: consecutive runs of ``documents`` (their order kept), sized by characters
    with guided self-scheduling. Each partition takes about ``remaining / (GUIDED_SHARE × workers)`` of the
    characters not yet given out, at least ``total / (MIN_SHARE × workers)`` and at most
    :data:`MAX_ANNOTATE_PARTITION` documents (a task's memory stays bounded). Large partitions first keep
    the scheduling overhead low; the small ones at the end let every worker finish at about the same time
    (the last task a worker takes holds at most ``1 / (MIN_SHARE × workers)`` of the work)."""
    workers = max(1, n_workers)
    weights = [_weight(doc) for doc in documents]
    total = sum(weights)
    floor = total / (MIN_SHARE * workers)
    remaining = total
    out: list[list[Document]] = []
    current: list[Document] = []
    filled = 0
    target = max(floor, remaining / (GUIDED_SHARE * workers))
    for doc, weight in zip(documents, weights, strict=True):
        current.append(doc)
        filled += weight
        if filled >= target or len(current) >= MAX_ANNOTATE_PARTITION:
            out.append(current)
            remaining -= filled
            current, filled = [], 0
            target = max(floor, remaining / (GUIDED_SHARE * workers))
    if current:
        out.append(current)
    return out


try:  # the plugin class must be importable by name on the workers; without the extra it is never used
    from distributed.diagnostics.plugin import WorkerPlugin as _WorkerPlugin
except ImportError:  # pragma: no cover - the [dask] extra is not installed
    _WorkerPlugin = object  # type: ignore[assignment,misc]


class _SpacyPlugin(_WorkerPlugin):
    """Loads the attribution pipeline and the readers once per worker process, when it starts or joins."""

    def __init__(self, model: str) -> None:
        self.model = model

    def setup(self, worker: Any) -> None:
        _preload(self.model)
        _warm_ingest()


def local_cluster_options(n_workers: int) -> dict[str, Any]:
    """:class:`distributed.LocalCluster` keywords of ``local:N``: N processes with one thread each, loopback only,
    no dashboard, logs kept to errors."""
    return {
        "n_workers": n_workers,
        "threads_per_worker": 1,
        "processes": True,
        "host": "127.0.0.1",
        "dashboard_address": None,
        # the scheduler serves HTTP (health checks) even without a dashboard, on port 8787 unless told
        # otherwise, and warns when another cluster holds that port: any free loopback port instead
        "scheduler_kwargs": {"dashboard_address": "127.0.0.1:0"},
        "silence_logs": logging.ERROR,
    }


@contextmanager
def dask_runner(spec: str) -> Iterator[DaskRunner]:
    """A :class:`DaskRunner` on the cluster ``spec`` names (see :func:`parse_address`), closed on exit.

    Raises :class:`~claimgraph.errors.ConfigError` ``E110`` when the ``[dask]`` extra is not installed and
    ``E111`` when the address is malformed or the scheduler cannot be reached.
    """
    address, n_workers = parse_address(spec)
    try:
        import distributed
    except ImportError:
        raise ConfigError(Errors.E110.format()) from None
    import dask

    with _quiet_logs(), dask.config.set(LOCAL_CONFIG if address == "local" else {}):
        cluster = None
        try:
            if address == "local":
                cluster = distributed.LocalCluster(**local_cluster_options(n_workers))
                client = distributed.Client(cluster, timeout=CONNECT_TIMEOUT)
                client.wait_for_workers(n_workers, timeout=LOCAL_START_TIMEOUT)
            else:
                client = distributed.Client(address, timeout=CONNECT_TIMEOUT)
                try:  # a scheduler without workers would leave the run waiting forever
                    client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
                except BaseException:
                    client.close()
                    raise
        except (OSError, TimeoutError, ValueError) as exc:
            if cluster is not None:
                cluster.close()
            raise ConfigError(
                Errors.E111.format(address=spec, reason=" ".join(f"{type(exc).__name__}: {exc}".split()))
            ) from None
        try:
            yield DaskRunner(client)
        finally:
            client.close()
            if cluster is not None:
                cluster.close()


@contextmanager
def _quiet_logs() -> Iterator[None]:
    """Distributed logs its cluster's start and shutdown at INFO/WARNING on the client; claimgraph's own
    one-line messages are what a user reads, so these are kept to errors while the runner is open."""
    loggers = [logging.getLogger(name) for name in ("distributed", "tornado")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(max(lg.level, logging.ERROR))
    try:
        yield
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)
