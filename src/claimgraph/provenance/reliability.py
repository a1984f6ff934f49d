"""The user's source-reliability registry: source or outlet name -> Admiralty letter A-F.

claimgraph never invents a reputation: reliability comes only from this file, and anything not in
it is ``F`` ("reliability cannot be judged"). Two formats:

YAML, a mapping (or a list of ``{name: ..., reliability: ...}`` items)::

    Baltic Daily Monitor: B
    Jane Roe: C

CSV, with a header naming a name column (``name``, ``source`` or ``outlet``) and a letter column
(``reliability``, ``grade`` or ``letter``), or two columns without a header::

    name,reliability
    Baltic Daily Monitor,B

Names match case-insensitively, ignoring surrounding spaces and typographic quotes. A malformed file
raises :class:`~claimgraph.errors.ConfigError` ``E104`` naming the file and the line.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ConfigError, Errors

__all__ = ["LETTERS", "ReliabilityRegistry", "load_registry"]

LETTERS = ("A", "B", "C", "D", "E", "F")
_NAME_COLUMNS = ("name", "source", "outlet", "label")
_LETTER_COLUMNS = ("reliability", "grade", "letter")


def _key(name: str) -> str:
    return " ".join(name.replace("\u2019", "'").replace("\u2018", "'").split()).casefold()


@dataclass
class ReliabilityRegistry:
    entries: dict[str, str] = field(default_factory=dict)
    path: str | None = None

    def lookup(self, *names: str | None) -> str | None:
        """The best (most reliable) letter registered for any of ``names``, or ``None``."""
        found = [self.entries[_key(n)] for n in names if n and _key(n) in self.entries]
        return min(found) if found else None

    def __len__(self) -> int:
        return len(self.entries)


def _error(path: Path, reason: str) -> ConfigError:
    return ConfigError(Errors.E104.format(path=str(path), reason=reason))


def _letter(path: Path, value: object, line: int) -> str:
    letter = str(value).strip().upper() if value is not None else ""
    if letter not in LETTERS:
        raise _error(path, f"line {line}: reliability must be one of A-F, got {value!r}")
    return letter


def load_registry(path: str | Path | None) -> ReliabilityRegistry:
    """Read a YAML or CSV registry; ``None`` gives an empty registry (everything F)."""
    if path is None:
        return ReliabilityRegistry()
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise _error(path, f"cannot read file: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise _error(path, "line 1: not UTF-8 text") from None
    if path.suffix.lower() == ".csv":
        entries = _read_csv(path, text)
    elif path.suffix.lower() in (".yaml", ".yml"):
        entries = _read_yaml(path, text)
    else:
        raise _error(path, f"unknown registry format {path.suffix!r}; use .yaml, .yml or .csv")
    return ReliabilityRegistry(entries=entries, path=str(path))


#: Longest field accepted in a CSV registry (the ``csv`` module's default limit, enforced whatever another
#: part of the process set ``csv.field_size_limit`` to).
MAX_FIELD = 131_072


def _read_csv(path: Path, text: str) -> dict[str, str]:
    reader = csv.reader(io.StringIO(text))
    try:
        rows = list(reader)
    except csv.Error as exc:  # e.g. a field over csv.field_size_limit() (131,072 characters)
        raise _error(path, f"line {reader.line_num or 1}: malformed CSV ({exc})") from None
    for number, row in enumerate(rows, start=1):
        if any(len(cell) > MAX_FIELD for cell in row):
            raise _error(path, f"row {number}: a field is longer than {MAX_FIELD} characters")
    entries: dict[str, str] = {}
    start = 0
    name_col, letter_col = 0, 1
    if rows:
        header = [c.strip().casefold() for c in rows[0]]
        if any(h in _NAME_COLUMNS for h in header) or any(h in _LETTER_COLUMNS for h in header):
            names = [i for i, h in enumerate(header) if h in _NAME_COLUMNS]
            letters = [i for i, h in enumerate(header) if h in _LETTER_COLUMNS]
            if not names or not letters:
                raise _error(
                    path, "line 1: header needs a name column (name/source/outlet) and a reliability column"
                )
            name_col, letter_col = names[0], letters[0]
            start = 1
    for number, row in enumerate(rows[start:], start=start + 1):
        if not row or all(not c.strip() for c in row) or row[0].lstrip().startswith("#"):
            continue
        if len(row) <= max(name_col, letter_col):
            raise _error(
                path, f"line {number}: expected a name and a reliability letter, got {len(row)} field(s)"
            )
        name = row[name_col].strip()
        if not name:
            raise _error(path, f"line {number}: empty name")
        entries[_key(name)] = _letter(path, row[letter_col], number)
    return entries


#: Deepest ``[``/``{`` flow nesting accepted in a YAML registry. A registry is flat; PyYAML's scanner
#: does work per open flow level for every token, so thousands of levels cost seconds (and then recurse).
MAX_YAML_DEPTH = 100


def _flow_depth(text: str) -> int:
    depth = deepest = 0
    for char in text:
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}" and depth:
            depth -= 1
    return deepest


def _read_yaml(path: Path, text: str) -> dict[str, str]:
    import yaml

    if _flow_depth(text) > MAX_YAML_DEPTH:
        raise _error(
            path, f"the YAML is nested more than {MAX_YAML_DEPTH} levels deep; expected a flat mapping"
        )
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except RecursionError:
        raise _error(
            path, "the YAML is nested too deeply; expected a flat mapping of names to letters"
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise _error(path, f"line {line}: {problem}") from None
    entries: dict[str, str] = {}
    if node is None:
        return entries
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode) or not isinstance(value_node, yaml.ScalarNode):
                raise _error(path, f"line {line}: expected 'name: letter'")
            if not str(key_node.value).strip():
                raise _error(path, f"line {line}: empty name")
            entries[_key(str(key_node.value))] = _letter(path, value_node.value, line)
        return entries
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            line = item.start_mark.line + 1
            if not isinstance(item, yaml.MappingNode):
                raise _error(path, f"line {line}: expected an item with 'name' and 'reliability'")
            fields = {
                str(k.value).strip().casefold(): v for k, v in item.value if isinstance(k, yaml.ScalarNode)
            }
            name_node = next((fields[c] for c in _NAME_COLUMNS if c in fields), None)
            letter_node = next((fields[c] for c in _LETTER_COLUMNS if c in fields), None)
            if not isinstance(name_node, yaml.ScalarNode) or not isinstance(letter_node, yaml.ScalarNode):
                raise _error(path, f"line {line}: expected an item with 'name' and 'reliability'")
            entries[_key(str(name_node.value))] = _letter(
                path, letter_node.value, letter_node.start_mark.line + 1
            )
        return entries
    raise _error(path, f"line {node.start_mark.line + 1}: expected a mapping of names to letters A-F")
