"""``claimgraph.json``: the whole corpus under schema ``claimgraph/1``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..model import Corpus
from ..options import Options
from ..registry import registry
from . import write_atomic

__all__ = ["dumps", "schema", "validate", "write_json"]


def dumps(corpus: Corpus) -> str:
    return json.dumps(corpus.to_dict(), ensure_ascii=False, indent=2, sort_keys=False) + "\n"


@registry.exporters("json")
def write_json(corpus: Corpus, out_dir: Path, options: Options) -> list[Path]:
    path = out_dir / "claimgraph.json"
    return [write_atomic(path, dumps(corpus))]


def schema() -> dict[str, Any]:
    """The JSON Schema of ``claimgraph/1`` (``schema/claimgraph-1.schema.json``)."""
    path = Path(__file__).resolve().parent.parent / "schema" / "claimgraph-1.schema.json"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def validate(data: dict[str, Any]) -> None:
    """Raise ``jsonschema.ValidationError`` unless ``data`` follows ``claimgraph/1``."""
    import jsonschema

    jsonschema.Draft202012Validator(schema()).validate(data)
