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

import os
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from ..errors import Errors, InputError, InputProblem
from ..model import Document
from ..options import Options
from ..registry import registry
from . import readers as _readers
from .deduplication import mark_duplicates
from .discover import Candidate, discover, format_of
from .documents import RawDocument, finish
from .fetch import is_url

if TYPE_CHECKING:
    from .fetch import Fetcher, HttpCache

__all__ = ["RawDocument", "iter_documents", "mark_duplicates"]


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
        for item in reader(path, options):
            if isinstance(item, RawDocument):
                yield finish(item, options)
            else:
                yield item
    except InputError as exc:
        yield exc.problem
    except (OSError, MemoryError) as exc:
        yield InputError(path, Errors.E002, reason=f"{type(exc).__name__}: {exc}").problem


def iter_documents(
    inputs: Sequence[str],
    options: Options,
    *,
    feeds: Sequence[str] = (),
    http_cache: HttpCache | None = None,
    fetcher: Fetcher | None = None,
) -> Iterator[Document | InputProblem]:
    """Every document in ``inputs`` (files, folders, globs), then problems as they occur, in input order.

    ``http(s)://`` inputs and ``feeds`` (feed URLs) are fetched after the local inputs, by ``fetcher`` or a
    :class:`~claimgraph.ingest.fetch.Fetcher` built from ``options`` with ``http_cache`` (see :mod:`.fetch`).
    """
    table = _readers.suffix_readers(options)
    urls = [str(i) for i in inputs if is_url(str(i))]
    for item in discover([str(i) for i in inputs if not is_url(str(i))]):
        if isinstance(item, InputProblem):
            yield item
            continue
        reader_name = format_of(item.path, table)
        if reader_name is None:
            if item.explicit:
                yield InputError(item.path, Errors.E013, suffix=_suffix(item.path)).problem
            continue
        yield from _read(item, reader_name, options)
    if urls or feeds:
        from .fetch import iter_urls

        yield from iter_urls(urls, [str(f) for f in feeds], options, cache=http_cache, fetcher=fetcher)
