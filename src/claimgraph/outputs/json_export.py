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
from . import iter_json

__all__ = [
    "corpus_records",
    "dumps",
    "iter_dumps",
    "record_fields",
    "record_layout",
    "record_values",
    "schema",
    "validate",
    "write_json",
]


def _reader(kind: type) -> tuple[tuple[str, ...], Any, tuple[str]]:
    """A record type's field names, a getter of their values as a tuple, and its name as a 1-tuple (kept per
    type)."""
    read = _READERS.get(kind)
    if read is None:
        if not issubclass(kind, _Record):
            raise TypeError(f"Object of type {kind.__name__} is not JSON serializable")
        names = _field_names(kind)
        # attrgetter of one name gives the value itself, not a tuple
        get: Any = operator.attrgetter(*names) if len(names) > 1 else lambda v: (getattr(v, names[0]),)
        read = _READERS[kind] = (names, get, (f"{kind.__module__}.{kind.__qualname__}",))
    return read


#: record type -> (field names, a getter of their values as a tuple, its name as a 1-tuple)
_READERS: dict[type, tuple[tuple[str, ...], Any, tuple[str]]] = {}


def record_fields(value: Any) -> dict[str, Any]:
    """``json.dumps``'s ``default`` for model records: their fields in order, nested records and leaves left
    to the encoder (the JSON text of ``value.to_dict()``, without building the plain dicts)."""
    names, get, _name = _reader(type(value))
    return dict(zip(names, get(value), strict=True))


def record_values(value: Any) -> tuple[Any, ...]:
    """What identifies a record's JSON text for the splicing writer (``_splice``): its type's name, then its
    field values (the names are the type's, named once in :func:`record_layout`). Cheaper than
    :func:`record_fields`: no dict is built."""
    _names, get, name = _reader(type(value))
    result: tuple[Any, ...] = name + get(value)
    return result


def record_layout() -> str:
    """The field names of every record type, hashed: the meaning of :func:`record_values` (a sidecar
    written under other names is not used)."""
    import hashlib

    from .. import model

    kinds = sorted(
        (f"{k.__module__}.{k.__qualname__}", _field_names(k))
        for k in vars(model).values()
        if isinstance(k, type) and issubclass(k, _Record) and k is not _Record
    )
    return "records:" + hashlib.sha256(json.dumps(kinds).encode("utf-8")).hexdigest()[:32]


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
    """``claimgraph.json``, its unchanged records copied from the previous file (``_splice``)."""
    from ._splice import write_spliced

    stats = write_spliced(
        out_dir / "claimgraph.json",
        corpus_records(corpus),
        indent=2,
        default=record_fields,
        fingerprint_default=record_values,
        version=record_layout(),
    )
    return [stats.path]


def schema() -> dict[str, Any]:
    """The JSON Schema of ``claimgraph/1`` (``schema/claimgraph-1.schema.json``)."""
    path = Path(__file__).resolve().parent.parent / "schema" / "claimgraph-1.schema.json"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def validate(data: dict[str, Any]) -> None:
    """Raise ``jsonschema.ValidationError`` unless ``data`` follows ``claimgraph/1``."""
    import jsonschema

    jsonschema.Draft202012Validator(schema()).validate(data)
