"""``claimgraph.json``: the whole corpus under schema ``claimgraph/1``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..model import Corpus
from ..options import Options
from ..registry import registry
from . import iter_json, write_atomic

__all__ = ["dumps", "iter_dumps", "schema", "validate", "write_json"]


def iter_dumps(corpus: Corpus) -> Iterator[str]:
    """``claimgraph.json`` in pieces (one per document, statement, claim …), for streaming to disk."""
    yield from iter_json(corpus.to_dict(), indent=2)


def dumps(corpus: Corpus) -> str:
    return "".join(iter_dumps(corpus))


@registry.exporters("json")
def write_json(corpus: Corpus, out_dir: Path, options: Options) -> list[Path]:
    path = out_dir / "claimgraph.json"
    return [write_atomic(path, iter_dumps(corpus))]


def schema() -> dict[str, Any]:
    """The JSON Schema of ``claimgraph/1`` (``schema/claimgraph-1.schema.json``)."""
    path = Path(__file__).resolve().parent.parent / "schema" / "claimgraph-1.schema.json"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def validate(data: dict[str, Any]) -> None:
    """Raise ``jsonschema.ValidationError`` unless ``data`` follows ``claimgraph/1``."""
    import jsonschema

    jsonschema.Draft202012Validator(schema()).validate(data)
