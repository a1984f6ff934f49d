"""The one CSV writer of every command (``analyze``/``export`` tables and ``claimgraph stance``).

- Spreadsheet safety: a guarded cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
  return could run as a formula in Excel or LibreOffice; it gets a leading apostrophe (OWASP's advice);
  :func:`unguard` strips it again.
- Display safety: control characters (other than tab, line feed, carriage return) and Unicode bidi
  controls in a guarded cell are shown as ``[U+XXXX]`` markers (:func:`claimgraph.safety.mark_controls`).
- Written atomically through :func:`claimgraph.outputs.write_atomic`: a full disk or read-only folder is
  one ``E304`` error and leaves no temporary file.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from ..safety import mark_controls

__all__ = ["FORMULA_PREFIXES", "guard", "unguard", "write_rows"]

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def guard(text: str) -> str:
    """``text`` safe for a spreadsheet cell: controls marked, a formula prefix defused with ``'``."""
    text = mark_controls(text)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def unguard(text: str) -> str:
    """Undo :func:`guard`'s apostrophe (the control markers stay)."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES) else text


def write_rows(
    path: Path,
    header: Sequence[str],
    rows: Iterable[Sequence[str]],
    guarded: Callable[[str], bool] = lambda column: True,
    lineterminator: str = "\r\n",
) -> Path:
    """Write ``header`` and ``rows`` (strings) to ``path``; cells of columns where ``guarded(column)``
    is true go through :func:`guard`."""
    from . import write_atomic

    flags = [guarded(column) for column in header]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator=lineterminator)
    writer.writerow(header)
    for row in rows:
        writer.writerow([guard(cell) if flag else cell for cell, flag in zip(row, flags, strict=True)])
    return write_atomic(Path(path), buffer.getvalue())
