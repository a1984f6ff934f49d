"""STIX 2.1 bundle: validity under stix2-validator 3.2.0, the mapping, determinism and the golden file."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from stix2validator import ValidationOptions, validate_string

from claimgraph.errors import ConfigError
from claimgraph.model import Corpus
from claimgraph.options import Options
from claimgraph.outputs import write_outputs
from claimgraph.outputs.stix import NAMESPACE, dumps, load_actor_types, relationship_type, stix_id

#: Warnings we accept, each for a reason (see docs/outputs.md): 103 deterministic UUIDv5 ids (wanted for
#: de-duplication), 202 claimgraph's relationship verbs are not in STIX's suggested list, 302 a URL
#: reference has no hash (claimgraph does not fetch pages).
ACCEPTED_WARNINGS = {"103", "202", "302"}


def _objects(text: str) -> list[dict[str, Any]]:
    data: dict[str, Any] = json.loads(text)
    assert data["type"] == "bundle"
    objects: list[dict[str, Any]] = data["objects"]
    return objects


def _by_type(objects: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [o for o in objects if o["type"] == kind]


def _validate(text: str) -> Any:
    result = validate_string(text, ValidationOptions(version="2.1"))
    return result


def test_bundle_is_valid_stix_21(corpus: Corpus, frozen_options: Options) -> None:
    result = _validate(dumps(corpus, frozen_options))
    assert result.is_valid, [str(e) for e in result.errors]
    assert not result.errors
    codes = {w.split("{", 1)[1].split("}", 1)[0] for w in (str(w) for w in result.warnings)}
    assert codes <= ACCEPTED_WARNINGS, codes
    assert "103" in codes  # the parse above really reads the warnings


def test_bundle_without_frozen_time_is_valid_and_dated_from_documents(corpus: Corpus) -> None:
    text = dumps(corpus, Options())
    result = _validate(text)
    assert result.is_valid, [str(e) for e in result.errors]
    reports = {r["x_claimgraph_document_id"]: r for r in _by_type(_objects(text), "report")}
    assert reports["doc-ledger"]["published"] == "2024-03-08T00:00:00Z"
    assert reports["doc-holt"]["created"].startswith("2024-03-01T00:00:00")
    assert dumps(corpus, Options()) == text  # no wall-clock time leaks in


def test_golden_file(corpus: Corpus, frozen_options: Options, golden_dir: Path) -> None:
    """Regenerate with ``CLAIMGRAPH_REGEN_GOLDEN=1 pytest tests/outputs``."""
    text = dumps(corpus, frozen_options)
    golden = golden_dir / "fixture.stix.json"
    if os.environ.get("CLAIMGRAPH_REGEN_GOLDEN") == "1":
        golden.write_text(text, encoding="utf-8")
    assert golden.read_text(encoding="utf-8") == text


def test_ids_are_deterministic_uuid5(corpus: Corpus, frozen_options: Options) -> None:
    import uuid

    objects = _objects(dumps(corpus, frozen_options))
    ids = [o["id"] for o in objects]
    assert len(ids) == len(set(ids))
    for oid in ids:
        assert uuid.UUID(oid.split("--", 1)[1]).version == 5
    ent = next(o for o in objects if o.get("x_claimgraph_entity_id") == "ent-holt")
    assert ent["id"] == stix_id("identity", "entity", "ent-holt")
    assert ent["id"].split("--")[1] == str(uuid.uuid5(NAMESPACE, "identity|entity|ent-holt"))
    # a different corpus order gives the same bundle
    corpus.entities.reverse()
    corpus.statements.reverse()
    assert _objects(dumps(corpus, frozen_options)) == objects


def test_identity_mapping_and_no_threat_actor_by_default(corpus: Corpus, frozen_options: Options) -> None:
    objects = _objects(dumps(corpus, frozen_options))
    assert not _by_type(objects, "threat-actor")
    assert not _by_type(objects, "intrusion-set")
    idents = {o.get("x_claimgraph_entity_id"): o for o in _by_type(objects, "identity")}
    assert idents["ent-holt"]["identity_class"] == "individual"
    assert idents["ent-holt"]["roles"] == ["consultant"]
    assert idents["ent-hra"]["identity_class"] == "organization"
    assert idents["ent-rdb"]["identity_class"] == "group"
    assert idents["ent-veloria"]["identity_class"] == "unknown"
    assert idents["ent-veloria"]["x_claimgraph_entity_type"] == "location"
    system = [o for o in _by_type(objects, "identity") if o["identity_class"] == "system"]
    assert [s["name"] for s in system] == ["claimgraph"]


def test_actor_types_only_from_configuration(corpus: Corpus, tmp_path: Path) -> None:
    cfg = tmp_path / "actors.yaml"
    cfg.write_text(
        "Red Dune Brigade: threat-actor\nintrusion-set: [Velorian Interior Ministry]\n", encoding="utf-8"
    )
    text = dumps(corpus, Options(frozen_time="2024-04-01T12:00:00Z", actor_types=cfg))
    assert _validate(text).is_valid
    objects = _objects(text)
    actors = _by_type(objects, "threat-actor")
    assert [a["name"] for a in actors] == ["Red Dune Brigade"]
    assert "configuration" in actors[0]["description"]
    assert [i["name"] for i in _by_type(objects, "intrusion-set")] == ["Velorian Interior Ministry"]
    names = {o["name"] for o in _by_type(objects, "identity")}
    assert "Red Dune Brigade" not in names
    recruits = next(r for r in _by_type(objects, "relationship") if r["relationship_type"] == "recruits")
    assert recruits["target_ref"] == actors[0]["id"]


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("Red Dune Brigade: villain\n", "expected 'threat-actor' or 'intrusion-set'"),
        ("- just a list\n", "expected a mapping"),
        ("a: [unclosed\n", "invalid YAML"),
    ],
)
def test_bad_actor_types_file_is_a_coded_error(tmp_path: Path, content: str, fragment: str) -> None:
    cfg = tmp_path / "actors.yaml"
    cfg.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[E107\]") as info:
        load_actor_types(cfg)
    assert fragment in str(info.value)
    with pytest.raises(ConfigError, match=r"\[E107\]"):
        load_actor_types(tmp_path / "missing.yaml")


def test_reports_notes_opinions_relationships(corpus: Corpus, frozen_options: Options) -> None:
    objects = _objects(dumps(corpus, frozen_options))
    by_id = {o["id"]: o for o in objects}
    reports = {r["x_claimgraph_document_id"]: r for r in _by_type(objects, "report")}
    assert set(reports) == {"doc-holt", "doc-ledger", "doc-coastal"}
    ledger = reports["doc-ledger"]
    assert by_id[ledger["created_by_ref"]]["name"] == "Northern Ledger"
    assert by_id[reports["doc-coastal"]["created_by_ref"]]["name"] == "Coastal Wire"
    assert ledger["published"] == "2024-03-08T00:00:00Z"
    mentioned = {by_id[r].get("name") for r in ledger["object_refs"] if r.startswith("identity--")}
    assert {"Veloria", "Lina Sorel", "Tomas Varga", "Red Dune Brigade"} <= mentioned
    assert all(ref in by_id for r in reports.values() for ref in r["object_refs"])

    notes = {n["x_claimgraph_claim_id"]: n for n in _by_type(objects, "note")}
    note = notes["claim-recruit"]
    assert note["content"].startswith(
        "Claim relayed by Coastal Wire and Northern Ledger, originating with Marek Holt"
    )
    assert "Veloria recruits captured militants" in note["content"]
    assert note["x_claimgraph_admiralty"] == "F4"
    assert note["x_claimgraph_circular"] is True
    assert "Not independently corroborated" in note["x_claimgraph_explanation"]
    assert note["id"] in ledger["object_refs"]

    opinions = {
        (o["x_claimgraph_source_id"], o["x_claimgraph_stance"]): o for o in _by_type(objects, "opinion")
    }
    assert opinions[("src-holt", "supports")]["opinion"] == "agree"
    assert opinions[("src-sorel", "disputes")]["opinion"] == "disagree"
    assert opinions[("src-varga", "declines")]["opinion"] == "neutral"
    assert opinions[("src-coastal", "reports")]["opinion"] == "neutral"
    assert opinions[("src-sorel", "disputes")]["authors"] == ["Lina Sorel"]
    assert opinions[("src-sorel", "disputes")]["object_refs"] == [note["id"]]
    assert "hypothetical to date" in opinions[("src-sorel", "disputes")]["explanation"]

    rels = {r["x_claimgraph_relation_id"]: r for r in _by_type(objects, "relationship")}
    recruits = rels["rel-recruits"]
    assert recruits["relationship_type"] == "recruits"
    assert recruits["confidence"] == 30
    assert "Marek Holt (consultant)" in recruits["description"]
    assert "not established fact" in recruits["description"]
    assert by_id[recruits["source_ref"]]["name"] == "Veloria"
    assert rels["rel-trains"]["confidence"] == 0
    ext = _by_type(objects, "extension-definition")[0]
    used = {k for o in objects for k in o if k.startswith("x_claimgraph_")}
    assert set(ext["extension_properties"]) == used


def test_relationship_type_is_hyphenated_lowercase() -> None:
    assert relationship_type("coordinates with") == "coordinates-with"
    assert relationship_type("Member Of") == "member-of"
    assert relationship_type("allied_with!") == "allied-with"
    assert relationship_type("???") == "related-to"


def test_write_outputs_writes_the_bundle(corpus: Corpus, frozen_options: Options, tmp_path: Path) -> None:
    written = write_outputs(corpus, tmp_path, frozen_options, formats=["stix"])
    assert written == [tmp_path / "claimgraph.stix.json"]
    assert written[0].read_text(encoding="utf-8") == dumps(corpus, frozen_options)


def test_stix2_library_reads_every_object_back(corpus: Corpus, frozen_options: Options) -> None:
    """The bundle is written without ``stix2``; the library still parses it, and finds the same data."""
    import stix2

    text = dumps(corpus, frozen_options)
    bundle = stix2.parse(text, allow_custom=True)
    ours = _objects(text)
    assert len(bundle.objects) == len(ours)
    for parsed, obj in zip(bundle.objects, ours, strict=True):
        assert json.loads(parsed.serialize()) == obj


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ('https://news.example/a b/"q"/it\'s', "https://news.example/a%20b/%22q%22/it%27s"),
        ("  HTTP://News.Example:8080/x?a=1&b=<2>#top  ", "http://news.example:8080/x?a=1&b=%3C2%3E#top"),
        ("https://news.example/already%20encoded/100%", "https://news.example/already%20encoded/100%25"),
        ("https://user:secret@news.example/p", "https://news.example/p"),
        ("https://bücher.example/straße", "https://xn--bcher-kva.example/stra%C3%9Fe"),
        ("http://[2001:db8::1]/v6", "http://[2001:db8::1]/v6"),
        ("javascript:alert(1)", None),
        ("JavaScript://news.example/%0Aalert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("file:///etc/passwd", None),
        ("ftp://files.example/a", None),
        ("https:///no-host", None),
        ("https://news.example:99999/bad-port", None),
        ("https://news.example/a\nb", None),
        ("https://news.example/a\x00b", None),
        ("/relative/path", None),
        ("", None),
    ],
)
def test_safe_url(url: str, expected: str | None) -> None:
    from claimgraph.outputs.stix import safe_url

    assert safe_url(url) == expected


def test_hostile_urls_keep_the_bundle_valid(corpus: Corpus, frozen_options: Options) -> None:
    hostile = {
        "doc-holt": "https://holt.example/a b\"c'd<e>",
        "doc-ledger": "javascript:alert(document.cookie)",
        "doc-coastal": "data:text/html;base64,PHNjcmlwdD4=",
    }
    for doc in corpus.documents:
        doc.url = hostile[doc.id]
    text = dumps(corpus, frozen_options)
    result = _validate(text)
    assert result.is_valid, [str(e) for e in result.errors]
    reports = {r["x_claimgraph_document_id"]: r for r in _by_type(_objects(text), "report")}
    assert reports["doc-holt"]["external_references"] == [
        {"source_name": "Holt Risk Advisory", "url": "https://holt.example/a%20b%22c%27d%3Ce%3E"}
    ]
    assert "external_references" not in reports["doc-ledger"]
    assert "external_references" not in reports["doc-coastal"]
    assert "javascript" not in text and "data:text" not in text


def _synthetic_corpus(n_documents: int) -> Corpus:
    import importlib.util

    path = Path(__file__).resolve().parents[2] / "benchmarks" / "exports.py"
    spec = importlib.util.spec_from_file_location("claimgraph_bench_exports", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    corpus: Corpus = module.synthetic_corpus(n_documents)
    return corpus


def test_a_20k_object_bundle_is_written_in_linear_time(tmp_path: Path) -> None:
    """20,000 objects within a generous bound (the benchmark holds the 100k <= 30 s goal); 4x the
    objects cost about 4x the CPU (a quadratic writer, as stix2's pretty printer was, costs 16x)."""
    import time

    options = Options(frozen_time="2024-06-01T00:00:00Z")
    small, large = _synthetic_corpus(625), _synthetic_corpus(2500)
    t0 = time.process_time()
    write_outputs(small, tmp_path, options, formats=["stix"])
    t_small = time.process_time() - t0
    t0 = time.process_time()
    (path,) = write_outputs(large, tmp_path, options, formats=["stix"])
    t_large = time.process_time() - t0
    with path.open(encoding="utf-8") as fh:
        objects = json.load(fh)["objects"]
    assert len(objects) >= 20_000
    assert t_large < 60.0, t_large
    assert t_large < 10 * max(t_small, 0.05), (t_small, t_large)
    assert not list(tmp_path.glob("*.tmp"))


def test_a_sample_of_a_large_bundle_is_valid(tmp_path: Path) -> None:
    text = dumps(_synthetic_corpus(40), Options(frozen_time="2024-06-01T00:00:00Z"))
    result = _validate(text)
    assert result.is_valid, [str(e) for e in result.errors]
