"""``claimgraph.json``: the whole corpus under schema ``claimgraph/1``."""

from __future__ import annotations

import json
import operator
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..model import SCHEMA, Corpus, _field_names, _Record
from ..options import Options
from ..registry import registry
from . import iter_json, write_atomic

__all__ = ["corpus_records", "dumps", "iter_dumps", "record_fields", "schema", "validate", "write_json"]


def record_fields(value: Any) -> dict[str, Any]:
    """``json.dumps``'s ``default`` for model records: their fields in order, nested records and leaves left
    to the encoder (the JSON text of ``value.to_dict()``, without building the plain dicts)."""
    kind = type(value)
    read = _READERS.get(kind)
    if read is None:
        if not isinstance(value, _Record):
            raise TypeError(f"Object of type {kind.__name__} is not JSON serializable")
        names = _field_names(kind)
        # attrgetter of one name gives the value itself, not a tuple
        get: Any = (
            operator.attrgetter(*names) if len(names) > 1 else lambda v: tuple(getattr(v, n) for n in names)
        )
        read = _READERS[kind] = (names, get)
    names, get = read
    return dict(zip(names, get(value), strict=True))


#: record type -> (field names, a getter of their values as a tuple)
_READERS: dict[type, tuple[tuple[str, ...], Any]] = {}


def corpus_records(corpus: Corpus) -> dict[str, Any]:
    """:meth:`Corpus.to_dict` with the records left as they are (encoded through :func:`record_fields`):
    the same keys, order and JSON text (``tests/test_incremental.py`` compares the two)."""
    corpus.sort()
    return {
        "schema": SCHEMA,
        "documents": list(corpus.documents),
        "entities": list(corpus.entities),
        "sources": list(corpus.sources),
        "statements": list(corpus.statements),
        "claims": list(corpus.claims),
        "relations": list(corpus.relations),
        "problems": list(corpus.problems),
        "network": corpus.network,
        "timeline": corpus.timeline,
        "sourcing": sorted(corpus.sourcing_profiles(), key=lambda p: p.document_id),
        **({"corrections": list(corpus.corrections)} if corpus.corrections else {}),
    }


def iter_dumps(corpus: Corpus) -> Iterator[str]:
    """``claimgraph.json`` in pieces (one per document, statement, claim …), for streaming to disk."""
    yield from iter_json(corpus_records(corpus), indent=2, default=record_fields)


def dumps(corpus: Corpus) -> str:
    return "".join(iter_dumps(corpus))


@registry.exporters("json")
def write_json(corpus: Corpus, out_dir: Path, options: Options) -> list[Path]:
    return [write_atomic(out_dir / "claimgraph.json", iter_dumps(corpus))]


def schema() -> dict[str, Any]:
    """The JSON Schema of ``claimgraph/1`` (``schema/claimgraph-1.schema.json``)."""
    path = Path(__file__).resolve().parent.parent / "schema" / "claimgraph-1.schema.json"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def validate(data: dict[str, Any]) -> None:
    """Raise ``jsonschema.ValidationError`` unless ``data`` follows ``claimgraph/1``."""
    import jsonschema

    jsonschema.Draft202012Validator(schema()).validate(data)
