"""Stage 1, ingest: files -> clean :class:`~claimgraph.model.Document` objects.

Public functions (owned by the ingest work; signatures are the contract):

- ``iter_documents(inputs, options) -> Iterator[Document | InputProblem]``: expand files, folders
  (recursive) and globs; read each with the reader registered for its format; yield one
  ``InputProblem`` (never raise) for a file that cannot be read.
- ``mark_duplicates(documents, options) -> dict[doc_id, duplicate_of_id | None]``: syndicated
  copies across documents (MinHash LSH); the earliest (published, then id) is the original.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ..errors import InputProblem
from ..model import Document
from ..options import Options

__all__ = ["iter_documents", "mark_duplicates"]


def iter_documents(inputs: Sequence[str], options: Options) -> Iterator[Document | InputProblem]:
    raise NotImplementedError


def mark_duplicates(documents: Sequence[Document], options: Options) -> dict[str, str | None]:
    raise NotImplementedError
