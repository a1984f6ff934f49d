"""CSV in, CSV out: ``id, claim, text`` -> ``id, stance, confidence``."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ConfigError, Errors

if TYPE_CHECKING:
    from ..options import Options
    from .model import StanceModel

__all__ = ["REQUIRED_COLUMNS", "classify_csv", "read_pairs_csv"]

REQUIRED_COLUMNS: tuple[str, ...] = ("id", "claim", "text")
_FIELD_LIMIT = 64 * 1024 * 1024


def _fail(path: Path, reason: str) -> ConfigError:
    return ConfigError(Errors.E105.format(path=path, reason=" ".join(reason.split())))


def read_pairs_csv(path: Path) -> list[tuple[str, str, str]]:
    """(id, claim, text) rows of ``path``; raises a one-line E105 ConfigError on any problem."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise _fail(path, f"cannot read file: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise _fail(
            path, f"line {line}: not UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})"
        ) from None
    if not text.strip():
        raise _fail(path, "file is empty; expected a header row with columns id, claim, text")
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise _fail(path, f"line {line}: NUL byte; is this a binary file?")
    if csv.field_size_limit() < _FIELD_LIMIT:
        csv.field_size_limit(_FIELD_LIMIT)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
        columns = [h.strip().lower() for h in header]
        missing = [c for c in REQUIRED_COLUMNS if c not in columns]
        if missing:
            raise _fail(
                path,
                f"row 1 (header): missing column(s) {', '.join(missing)}; found {', '.join(columns) or 'none'}",
            )
        where = {c: columns.index(c) for c in REQUIRED_COLUMNS}
        rows: list[tuple[str, str, str]] = []
        for record in reader:
            row_no = reader.line_num
            if not record or all(not cell.strip() for cell in record):
                continue  # blank line
            if len(record) != len(columns):
                raise _fail(
                    path, f"row ending on line {row_no}: {len(record)} fields, expected {len(columns)}"
                )
            rid, claim, body = (record[where[c]] for c in REQUIRED_COLUMNS)
            for name, value in (("id", rid), ("claim", claim), ("text", body)):
                if not value.strip():
                    raise _fail(path, f"row ending on line {row_no}: empty {name}")
            rows.append((rid.strip(), claim, body))
    except csv.Error as exc:
        raise _fail(path, f"line {reader.line_num}: malformed CSV ({exc})") from None
    return rows


def classify_csv(input_path: Path, output_path: Path, options: Options | None = None) -> int:
    """Classify every row of ``input_path`` and write ``id, stance, confidence`` to ``output_path``."""
    from ..registry import registry
    from .model import load_model

    output_path = Path(output_path)
    if output_path.exists() and Path(input_path).exists() and output_path.samefile(input_path):
        raise ConfigError(Errors.E307.format(path=output_path))
    rows = read_pairs_csv(Path(input_path))
    model: StanceModel = (
        registry.stance_models.get(options.stance_model)() if options is not None else load_model()
    )
    results = model.predict([(claim, body) for _, claim, body in rows]) if rows else []
    from ..outputs._csv import write_rows

    table = (
        [rid, stance, f"{confidence:.4f}"]
        for (rid, _, _), (stance, confidence) in zip(rows, results, strict=True)
    )
    write_rows(output_path, ("id", "stance", "confidence"), table, lineterminator="\n")
    return len(rows)
