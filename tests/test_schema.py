"""The claimgraph/1 JSON Schema: valid itself, accepts what model.py produces, rejects broken output, never drifts."""

from __future__ import annotations

import copy
import dataclasses
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from claimgraph import model
from claimgraph.model import Corpus
from claimgraph.outputs.json_export import dumps, schema, validate

SCHEMA_FILE = Path(model.__file__).resolve().parent / "schema" / "claimgraph-1.schema.json"

#: model class -> its definition in the schema
DEFS = {
    model.Removed: "removed",
    model.Document: "document",
    model.Alias: "alias",
    model.Mention: "mention",
    model.Entity: "entity",
    model.Source: "source",
    model.Statement: "statement",
    model.Grade: "grade",
    model.Claim: "claim",
    model.Relation: "relation",
    model.SourcingProfile: "sourcing_profile",
    model.Correction: "correction",
}

#: the contract fields named in the issues (2 §4, 3 §2/4/5, 4 §1-6): required in the schema
CONTRACT = {
    "document": {"id", "path", "url", "title", "authors", "published", "outlet", "text", "duplicate_of", "removed"},
    "removed": {"boilerplate_lines", "duplicate_paragraphs"},
    "entity": {"id", "name", "type", "aliases", "mentions"},
    "source": {"id", "label", "kind", "entity_id", "description"},
    "statement": {
        "id", "document_id", "source_id", "text", "cue", "mode", "certainty", "certainty_cues", "start", "end",
        "entity_ids", "stance",
    },
    "claim": {
        "id", "text", "statement_ids", "first_seen", "origin_source_ids", "independent_sources", "supporting",
        "disputing", "circular", "grade",
    },
    "grade": {"reliability", "credibility", "admiralty", "confidence", "explanation"},
    "relation": {"id", "subject", "predicate", "object", "statement_ids", "source_ids", "grade"},
}  # fmt: skip


def _schema() -> dict[str, Any]:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


def _errors(data: dict[str, Any]) -> list[str]:
    validator = jsonschema.Draft202012Validator(_schema())
    return [e.message for e in validator.iter_errors(data)]


def test_schema_file_is_a_valid_draft_2020_12_schema() -> None:
    data = _schema()
    assert data["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(data)
    assert schema() == data  # the library serves the same file


def test_top_level_contract() -> None:
    data = _schema()
    assert data["properties"]["schema"] == {
        "const": "claimgraph/1",
        "description": data["properties"]["schema"]["description"],
    }
    assert set(data["required"]) == {
        "schema",
        "documents",
        "entities",
        "sources",
        "statements",
        "claims",
        "relations",
    }
    assert data.get("additionalProperties", True) is not False


def test_required_fields_are_the_contract() -> None:
    defs = _schema()["$defs"]
    for name, fields in CONTRACT.items():
        assert fields <= set(defs[name]["required"]), name


def test_every_model_field_is_in_the_schema() -> None:
    data = _schema()
    defs = data["$defs"]
    for cls, name in DEFS.items():
        names = {f.name for f in dataclasses.fields(cls)}
        missing = names - set(defs[name]["properties"])
        assert not missing, f"{cls.__name__} fields missing from $defs/{name}: {sorted(missing)}"
        extra = set(defs[name]["properties"]) - names
        assert not extra, f"$defs/{name} describes fields {sorted(extra)} that {cls.__name__} does not have"
    corpus_fields = {f.name for f in dataclasses.fields(Corpus)}
    assert corpus_fields | {"schema"} == set(data["properties"])
    # every nested dataclass in model.py is described
    described = set(DEFS)
    for obj in vars(model).values():
        if dataclasses.is_dataclass(obj) and isinstance(obj, type) and obj is not Corpus:
            assert obj in described, f"{obj.__name__} has no schema definition"


def test_enums_follow_the_model_literals() -> None:
    defs = _schema()["$defs"]
    from typing import get_args

    assert defs["entity"]["properties"]["type"]["enum"] == list(get_args(model.EntityType))
    assert defs["source"]["properties"]["kind"]["enum"] == list(get_args(model.SourceKind))
    assert defs["statement"]["properties"]["mode"]["enum"] == list(get_args(model.Mode))
    assert defs["statement"]["properties"]["certainty"]["enum"] == list(get_args(model.Certainty))
    assert defs["statement"]["properties"]["stance"]["enum"] == [*get_args(model.Stance), None]
    assert defs["part"]["enum"] == list(get_args(model.Part))
    assert defs["grade"]["properties"]["reliability"]["enum"] == list("ABCDEF")
    assert defs["grade"]["properties"]["credibility"]["enum"] == [1, 2, 3, 4, 5, 6]


def test_a_corpus_built_from_the_model_validates(full_corpus: Corpus) -> None:
    data = json.loads(dumps(full_corpus))
    validate(data)  # raises on failure
    assert _errors(data) == []
    assert _errors(Corpus().to_dict()) == []


def test_additional_fields_are_allowed(full_corpus: Corpus) -> None:
    data = full_corpus.to_dict()
    data["generator"] = "claimgraph 9.9"
    data["documents"][0]["language"] = "en"
    data["claims"][0]["grade"]["note"] = "added later"
    assert _errors(data) == []


def _set(data: dict[str, Any], path: tuple[object, ...], value: object) -> dict[str, Any]:
    broken = copy.deepcopy(data)
    target: Any = broken
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return broken


def _delete(data: dict[str, Any], path: tuple[object, ...]) -> dict[str, Any]:
    broken = copy.deepcopy(data)
    target: Any = broken
    for key in path[:-1]:
        target = target[key]
    del target[path[-1]]
    return broken


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("schema",), "claimgraph/2"),
        (("entities", 0, "type"), "country"),
        (("sources", 0, "kind"), "rumour"),
        (("statements", 0, "mode"), "paraphrase"),
        (("statements", 0, "certainty"), "sure"),
        (("statements", 0, "stance"), "agrees"),
        (("claims", 0, "grade", "reliability"), "G"),
        (("claims", 0, "grade", "credibility"), 7),
        (("claims", 0, "grade", "admiralty"), "A7"),
        (("claims", 0, "grade", "confidence"), 101),
        (("documents", 0, "published"), "March 5, 2024"),
        (("documents", 0, "published"), "2024-3-5"),
        (("documents", 0, "authors"), "Jane Roe"),
        (("statements", 0, "start"), -1),
        (("claims", 0, "circular"), "yes"),
        (("problems", 0, "code"), "bad"),
    ],
)
def test_wrong_values_are_rejected(full_corpus: Corpus, path: tuple[object, ...], value: object) -> None:
    data = full_corpus.to_dict()
    assert _errors(data) == []
    assert _errors(_set(data, path, value)), f"{path} = {value!r} was accepted"


@pytest.mark.parametrize(
    "path",
    [
        ("documents",),
        ("relations",),
        ("documents", 0, "duplicate_of"),
        ("documents", 0, "removed", "duplicate_paragraphs"),
        ("entities", 0, "aliases"),
        ("sources", 0, "kind"),
        ("statements", 0, "certainty_cues"),
        ("claims", 0, "origin_source_ids"),
        ("claims", 0, "grade", "explanation"),
        ("relations", 0, "grade"),
    ],
)
def test_missing_fields_are_rejected(full_corpus: Corpus, path: tuple[object, ...]) -> None:
    assert _errors(_delete(full_corpus.to_dict(), path)), f"missing {path} was accepted"


def test_published_accepts_a_date_or_null(full_corpus: Corpus) -> None:
    data = full_corpus.to_dict()
    assert _errors(_set(data, ("documents", 0, "published"), None)) == []
    assert _errors(_set(data, ("documents", 0, "published"), "2019-03-05")) == []
