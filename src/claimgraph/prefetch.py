"""``--jobs N``: the spaCy pass starts while the documents are still being read.

Without it, a run reads and stores every document, marks duplicates, and only then starts the worker
processes of the "who said what" stage: the reading, the store writes and MinHash run on one core
while the other waits. :class:`AnnotationPrefetch` sends each **new** document to a pool of forked
workers as soon as it is stored (chunks of :data:`CHUNK_DOCUMENTS`), so both cores run the spaCy pass
while the calling process goes on reading, storing and deduplicating. The workers run the same
:func:`~claimgraph.attribution.stage.annotate_documents` as the stage (one process each, no cache) and
send back the plain annotation dicts.

Before the stages run, :meth:`AnnotationPrefetch.cache` waits for the chunks still out, writes every
annotation to the store's per-document cache (as the stage would have) and returns the store wrapped so
that the stage's cache lookup finds them in memory: the stage then annotates only what is left (a
document a worker failed on is redone there, and its problem reported there, once; a text longer than
``window_chars`` is never sent, the stage analyses it in windows as before). Annotations depend only on
the document's content, the model and the code (the cache key says so), so the result is the
one-process result, whatever the order in which chunks finish.

The pool starts only once enough new documents are known to give every worker two batches (the rule of
:func:`claimgraph.parallel.processes_for`); a small input never forks. Each chunk's CPU is recorded in
:data:`claimgraph.parallel.RUNS` under ``"annotate"``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from .model import Document
from .options import Options
from .parallel import RUNS, PoolStats, available_cores

__all__ = ["CHUNK_DOCUMENTS", "AnnotationPrefetch", "prefetch", "workers_for"]

#: Documents per task sent to a worker (two texts each: text and title).
CHUNK_DOCUMENTS = 32

#: Per worker process: the options of the run (set before the fork).
_WORKER: dict[str, Any] = {}


def _annotate_chunk(documents: list[Document]) -> tuple[dict[str, dict[str, Any]], int, float]:
    """A worker's task: the annotations of ``documents`` (failed ones left out), its pid and CPU seconds."""
    from .attribution.stage import annotate_documents

    start = time.process_time()
    out = annotate_documents(documents, _WORKER["options"])
    return out, os.getpid(), time.process_time() - start


class AnnotationPrefetch:
    """Annotations of new documents computed in worker processes while the run goes on (see the module)."""

    def __init__(self, options: Options, workers: int) -> None:
        from .attribution.nlp import default_model_name

        self.options = options
        self.model = options.spacy_model or default_model_name()
        self.workers = workers
        self.stats = RUNS.setdefault("annotate", PoolStats())
        self.stats.reset(workers)
        self._buffer: list[Document] = []
        self._pending: list[tuple[list[Document], Any]] = []
        self._pool: Any = None
        self._results: dict[str, dict[str, Any]] = {}
        self.sent = 0

    # -- while reading ------------------------------------------------------------------------------
    def submit(self, doc: Document) -> None:
        """Queue a newly stored document (its content hash set) for the workers."""
        if len(doc.text or "") > self.options.window_chars:
            return  # analysed in windows by the stage, in the calling process, as without prefetch
        self._buffer.append(doc)
        if self._pool is None and len(self._buffer) < self.workers * self.options.batch_size:
            return  # not yet two batches of texts per worker: maybe too small an input to fork for
        if self._pool is None:
            self._start()
        while len(self._buffer) >= CHUNK_DOCUMENTS:
            self._send(self._buffer[:CHUNK_DOCUMENTS])
            del self._buffer[:CHUNK_DOCUMENTS]

    def _start(self) -> None:
        from . import parallel
        from .attribution.nlp import load_pipeline

        load_pipeline(self.model)  # loaded before the fork: the workers share its pages
        _WORKER["options"] = self.options.replace(spacy_model=self.model, n_process=1, progress=False)
        self._pool = parallel.start_pool(self.workers)  # forked (``prefetch`` checks the OS can)

    def _send(self, chunk: list[Document]) -> None:
        self._pending.append((chunk, self._pool.apply_async(_annotate_chunk, (chunk,))))
        self.sent += len(chunk)

    # -- before the stages --------------------------------------------------------------------------
    def cache(self, store: Any, advance: Callable[[int], None] | None = None) -> Any:
        """Wait for the chunks still out, write their annotations to ``store``'s annotation cache (a
        :class:`~claimgraph.store.Store` or anything with its ``put_annotation``/``get_annotations``), and
        return ``store`` with those annotations served from memory (see :class:`_Prefetched`)."""
        from .attribution.stage import annotation_key, put_annotations

        if self._pool is None:
            return store
        if self._buffer:
            for start in range(0, len(self._buffer), CHUNK_DOCUMENTS):
                self._send(self._buffer[start : start + CHUNK_DOCUMENTS])
            self._buffer = []
        parent = time.process_time()
        for chunk, pending in self._pending:
            try:
                annotations, pid, seconds = pending.get()
            except Exception:  # a chunk lost to a worker: the stage annotates its documents itself
                continue
            self.stats.parent_cpu += time.process_time() - parent
            self.stats.chunks += 1
            self.stats.worker_cpu[pid] = self.stats.worker_cpu.get(pid, 0.0) + seconds
            entries: list[tuple[str, str, Any]] = []
            for doc in chunk:
                entry = annotations.get(doc.id)
                if entry is not None:
                    key = annotation_key(self.model, doc, self.options.window_chars)
                    entries.append((doc.id, key, entry))
                    self._results[key] = entry
            put_annotations(store, entries)  # one transaction per chunk, where the store has it
            if advance is not None:
                advance(len(chunk))
            parent = time.process_time()
        self._pending = []
        self.close(finished=True)
        self.stats.done_at = time.process_time()
        return _Prefetched(store, self._results)

    def close(self, finished: bool = False) -> None:
        """Stop the workers: when every chunk is in (``finished``) they leave on their own and one that
        does not is killed (:func:`claimgraph.parallel.stop_pool`); otherwise they are terminated."""
        from .parallel import stop_pool

        if self._pool is None:
            return
        if finished:
            stop_pool(self._pool)
        else:
            self._pool.terminate()
            self._pool.join()
        self._pool = None


class _Prefetched:
    """``store`` whose annotation lookups find the prefetched annotations in memory (same keys, same
    values as the cache rows just written); everything else is the store's."""

    def __init__(self, store: Any, results: dict[str, dict[str, Any]]) -> None:
        self._store = store
        self._results = results

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def get_annotations(self, keys: dict[str, str]) -> dict[str, dict[str, Any]]:
        found = {doc_id: self._results[key] for doc_id, key in keys.items() if key in self._results}
        rest = {doc_id: key for doc_id, key in keys.items() if doc_id not in found}
        if rest:
            if hasattr(self._store, "get_annotations"):
                found.update(self._store.get_annotations(rest))
            else:
                for doc_id, key in rest.items():
                    value = self._store.get_annotation(doc_id, key)
                    if value is not None:
                        found[doc_id] = value
        return found


def workers_for(options: Options) -> int:
    """Worker processes ``--jobs`` allows (``<= 0``: every core); 1 means no prefetch."""
    return available_cores() if options.n_process <= 0 else options.n_process


@contextmanager
def prefetch(options: Options, enabled: bool = True) -> Iterator[AnnotationPrefetch | None]:
    """An :class:`AnnotationPrefetch` for the run, or ``None`` with one core, ``--jobs 1``, where the OS
    cannot fork (Windows), or when ``enabled`` is false; its workers are stopped when the run ends."""
    import multiprocessing

    workers = workers_for(options)
    if not enabled or workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield None
        return
    runner = AnnotationPrefetch(options, workers)
    try:
        yield runner
    finally:
        runner.close()
