"""CSV: one article per row, with a header naming the columns, like the JSON Lines reader.

Columns: ``text`` | ``html`` (one is required), ``title``, ``url``, ``published`` (or ``date``),
``author`` / ``authors`` (a byline string), ``outlet`` (or ``source``). Column names are matched
case-insensitively; other columns are ignored; an empty cell is a missing value. Each row is
``file#<row number, 1-based, header not counted>``; a bad row is a problem for that row.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator
from typing import Any

from ..errors import Errors, InputError, InputProblem
from ..options import Options
from ..registry import registry
from .documents import RawDocument
from .encoding import decode
from .jsonl import record_document
from .limits import read_capped

__all__ = ["read_csv"]


def _field_limit(cap: int) -> None:
    """Let a cell be as large as a file may be (the csv module's default is 128 KiB)."""
    limit = min(max(cap, 1 << 17), sys.maxsize)
    if csv.field_size_limit() < limit:
        csv.field_size_limit(limit)


@registry.readers("claimgraph.csv_reader.v1")
def read_csv(path: str, options: Options) -> Iterator[RawDocument | InputProblem]:
    """Every article of a ``.csv`` file, each with path ``file#<row>``."""
    data = read_capped(path, path, options.max_bytes)
    text, encoding = decode(data, path)
    _field_limit(options.max_bytes)
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(path, Errors.E003) from None
    except csv.Error as exc:
        raise InputError(path, Errors.E002, reason=f"CSV: {exc}") from None
    columns = [name.strip().lstrip("\ufeff").lower() for name in header]
    if "text" not in columns and "html" not in columns:
        raise InputError(path, Errors.E016, columns=", ".join(repr(c) for c in columns[:12]) or "none")
    row_no = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield InputError(f"{path}#{row_no + 1}", Errors.E002, reason=f"CSV: {exc}").problem
            return
        row_no += 1
        if not any(cell.strip() for cell in row):
            continue
        record = {name: cell for name, cell in zip(columns, row, strict=False) if name and cell.strip()}
        if "text" not in record and "html" not in record:
            record["text"] = ""  # an empty text: E012 below, like any record without text
        where = f"{path}#{row_no}"
        try:
            raw = record_document(record, where, row_no, options, fmt="csv")
        except InputError as exc:
            yield exc.problem
            continue
        raw.encoding = encoding
        yield raw
