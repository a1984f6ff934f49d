"""Stage 1, ingest: files -> clean :class:`~claimgraph.model.Document` objects.

Public functions (signatures are the contract):

- ``iter_documents(inputs, options) -> Iterator[Document | InputProblem]``: expand files, folders
  (recursive) and globs; read each with the reader registered for its format; yield one
  ``InputProblem`` (never raise) for a file that cannot be read.
- ``mark_duplicates(documents, options) -> dict[doc_id, duplicate_of_id | None]``: syndicated
  copies across documents (MinHash LSH); the earliest (published, then id) is the original.

Modules, one job each: :mod:`.discover` (inputs -> files), :mod:`.limits` (size caps, gzip),
:mod:`.encoding`, :mod:`.normalize`, :mod:`.dates`, :mod:`.bylines`, :mod:`.boilerplate` (line rules),
:mod:`.text` (text cleaner), :mod:`.html` (trafilatura), :mod:`.jsonl`, :mod:`.feeds`, :mod:`.warc`,
:mod:`.deduplication`, :mod:`.documents` (hash and id), :mod:`.readers` (suffix -> registered reader),
:mod:`.fetch` (``http(s)://`` inputs and feed URLs: a polite, caching :class:`~.fetch.Fetcher`).
"""

from __future__ import annotations

import hashlib
import os
import time
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import Errors, InputError, InputProblem
from ..model import Document
from ..options import Options
from ..registry import registry
from . import readers as _readers
from .budget import BudgetExceeded, budgeted
from .deduplication import mark_duplicates
from .discover import Candidate, discover, format_of
from .documents import RawDocument, finish
from .fetch import is_url

if TYPE_CHECKING:
    from .fetch import Fetcher, HttpCache

__all__ = [
    "FileEnd",
    "FileIndex",
    "FileStart",
    "RawDocument",
    "UnchangedFile",
    "iter_documents",
    "mark_duplicates",
    "skipped_summary",
]

#: A file whose modification time is this close to (or after) the time it was read may have been written
#: again within the file system's timestamp resolution: its bytes' SHA-256 decides whether it changed.
RACY_NS = 2_000_000_000


@dataclass
class FileIndex:
    """What an earlier run read (absolute path -> entry, as :meth:`claimgraph.store.Store.input_files` gives;
    ``entry["path"]``: the path as reported) and the key of this run's reading options and code: a file
    whose entry has this key, the same reported path, size and mtime (and bytes, when the mtime is racy)
    is not read again."""

    known: Mapping[str, Mapping[str, Any]]
    key: str


@dataclass
class UnchangedFile:
    """Yielded instead of a file's documents when it is unchanged since ``entry`` was made
    (``entry["documents"]``: the ids of its stored documents, ``entry["problems"]``: the problems it gave).
    ``path``: the file's absolute path, as the :class:`FileIndex` keys it. ``refreshed``: the entry was
    racy and its bytes were checked; store the new entry so the next run need not."""

    path: str
    entry: dict[str, Any]
    refreshed: bool = False


@dataclass
class FileStart:
    """Yielded before the items of a file that is read (with a :class:`FileIndex`); :class:`FileEnd` after them."""

    path: str
    entry: dict[str, Any] = field(default_factory=dict)


@dataclass
class FileEnd:
    path: str


def _sha256_file(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _file_marker(path: str, files: FileIndex) -> UnchangedFile | FileStart | None:
    """:class:`UnchangedFile` when ``path`` need not be read again, else a :class:`FileStart` with the
    entry to store for it (``None``: the file cannot be looked at; its reader reports why)."""
    now = time.time_ns()
    ident = os.path.abspath(path)  # the same relative path from another folder is another file
    try:
        st = os.stat(path)
        old = files.known.get(ident)
        fresh = {
            "path": path,
            "key": files.key,
            "size": st.st_size,
            "mtime_ns": st.st_mtime_ns,
            "read_at_ns": now,
        }
        if (
            old is not None
            and old.get("path") == path
            and old.get("key") == files.key
            and old.get("size") == st.st_size
            and old.get("mtime_ns") == st.st_mtime_ns
            and isinstance(old.get("documents"), list)
            and isinstance(old.get("problems"), list)
        ):
            if st.st_mtime_ns < int(old.get("read_at_ns", 0)) - RACY_NS:
                return UnchangedFile(ident, dict(old))
            digest = _sha256_file(path)
            if digest == old.get("sha256"):
                return UnchangedFile(ident, {**old, **fresh, "sha256": digest}, refreshed=True)
            return FileStart(ident, {**fresh, "sha256": digest})
        return FileStart(ident, {**fresh, "sha256": _sha256_file(path)})
    except OSError:
        return None


def _suffix(path: str) -> str:
    name = os.path.basename(path).lower()
    if name.endswith(".gz"):
        name = name[:-3]
    return os.path.splitext(name)[1] or name


def _read(candidate: Candidate, reader_name: str, options: Options) -> Iterator[Document | InputProblem]:
    path = candidate.path
    if not os.path.isfile(path):
        if os.path.lexists(path) and not os.path.exists(path):
            yield InputError(path, Errors.E002, reason="broken symbolic link").problem
        elif candidate.explicit:
            yield InputError(path, Errors.E002, reason="not a regular file").problem
        return
    reader = registry.readers.get(reader_name)
    try:
        for item in budgeted(iter(reader(path, options)), options.ingest_seconds):
            if isinstance(item, RawDocument):
                yield finish(item, options)
            else:
                yield item
    except InputError as exc:
        yield exc.problem
    except BudgetExceeded:
        yield InputError(path, Errors.E017, seconds=options.ingest_seconds).problem
    except (OSError, MemoryError) as exc:
        yield InputError(path, Errors.E002, reason=f"{type(exc).__name__}: {exc}").problem
    except RecursionError:
        yield InputError(path, Errors.E306, what="the file's structure", limit="Python's").problem
    except Exception as exc:  # a reader bug must cost one file, not the run
        yield InputError(path, Errors.E309, reason=" ".join(f"{type(exc).__name__}: {exc}".split())).problem


def iter_documents(
    inputs: Sequence[str],
    options: Options,
    skipped: Counter[str] | None = None,
    *,
    feeds: Sequence[str] = (),
    http_cache: HttpCache | None = None,
    fetcher: Fetcher | None = None,
    files: FileIndex | None = None,
) -> Iterator[Any]:
    """Every document in ``inputs`` (files, folders, globs), then problems as they occur, in input order.

    ``http(s)://`` inputs and ``feeds`` (feed URLs) are fetched after the local inputs, by ``fetcher`` or a
    :class:`~claimgraph.ingest.fetch.Fetcher` built from ``options`` with ``http_cache`` (see :mod:`.fetch`).
    Files inside folders with a suffix no reader takes (``.pdf``, ``.docx`` ...) are skipped; pass a
    ``Counter`` as ``skipped`` to have them counted by suffix (see :func:`skipped_summary`).

    ``files``: what earlier runs read (:class:`FileIndex`). Then an unchanged file yields one
    :class:`UnchangedFile` instead of being read, and a file that is read is framed by :class:`FileStart`
    and :class:`FileEnd` (so the caller can record which documents and problems it gave). Without it, only
    documents and problems are yielded.
    """
    table = _readers.suffix_readers(options)
    urls = [str(i) for i in inputs if is_url(str(i))]
    for item in discover([str(i) for i in inputs if not is_url(str(i))], options.follow_symlinks):
        if isinstance(item, InputProblem):
            yield item
            continue
        reader_name = format_of(item.path, table)
        if reader_name is None:
            if item.explicit:
                yield InputError(item.path, Errors.E013, suffix=_suffix(item.path)).problem
            elif skipped is not None:
                skipped[_suffix(item.path)] += 1
            continue
        marker = _file_marker(item.path, files) if files is not None else None
        if isinstance(marker, UnchangedFile):
            yield marker
            continue
        if marker is not None:
            yield marker
        yield from _read(item, reader_name, options)
        if marker is not None:
            yield FileEnd(item.path)
    if urls or feeds:
        from .fetch import iter_urls

        yield from iter_urls(urls, [str(f) for f in feeds], options, cache=http_cache, fetcher=fetcher)


def skipped_summary(skipped: Counter[str]) -> str | None:
    """One line for the files skipped as unsupported: ``skipped 3 unsupported file(s): .pdf (2), .docx (1)``."""
    total = sum(skipped.values())
    if not total:
        return None
    kinds = ", ".join(
        f"{suffix} ({n})" for suffix, n in sorted(skipped.items(), key=lambda kv: (-kv[1], kv[0]))
    )
    return f"skipped {total} unsupported file(s) in the input folders: {kinds}"
