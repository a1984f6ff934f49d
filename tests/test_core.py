"""The core contract: data model round trip, stable ids, registry, pipeline stages, README/CI sync."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import claimgraph
from claimgraph.errors import ConfigError, Errors, InputError
from claimgraph.model import SCHEMA, Corpus, Document, Grade, Relation, Statement, stable_id
from claimgraph.options import Options
from claimgraph.pipeline import RunContext, run_stages, stage
from claimgraph.registry import Registry, registry

ROOT = Path(__file__).resolve().parent.parent


def _doc(doc_id: str = "doc-1") -> Document:
    return Document(
        id=doc_id,
        path="a.txt",
        url=None,
        title="Veloria denies report",
        authors=["Jane Roe"],
        published="2025-03-05",
        outlet="The Meridian Post",
        text="Body.",
    )


def test_stable_id_is_deterministic_and_key_sensitive() -> None:
    assert stable_id("doc", "a", 1) == stable_id("doc", "a", 1)
    assert stable_id("doc", "a", 1) != stable_id("doc", "a", 2)
    assert re.fullmatch(r"doc-[0-9a-f]{16}", stable_id("doc", "x"))


def test_corpus_round_trip_and_sorted_output() -> None:
    corpus = Corpus(
        documents=[_doc("doc-b"), _doc("doc-a")],
        statements=[
            Statement(
                id="st-1",
                document_id="doc-a",
                source_id="src-1",
                text="Body.",
                cue=None,
                mode="assertion",
                certainty="asserted",
                certainty_cues=[],
                start=0,
                end=5,
            )
        ],
        relations=[
            Relation(id="rel-1", subject="ent-1", predicate="recruits", object="ent-2", grade=Grade())
        ],
    )
    data = corpus.to_dict()
    assert data["schema"] == SCHEMA == "claimgraph/1"
    assert [d["id"] for d in data["documents"]] == ["doc-a", "doc-b"]
    again = Corpus.from_dict(data)
    assert again.to_dict() == data
    assert isinstance(again.relations[0].grade, Grade)


def test_registry_unknown_name_is_a_coded_error_listing_choices() -> None:
    reg = Registry("demo")
    reg.register("claimgraph.a.v1", lambda: 1)
    with pytest.raises(ConfigError) as info:
        reg.get("claimgraph.b.v1")
    assert "[E101]" in str(info.value)
    assert "claimgraph.a.v1" in str(info.value)


def test_input_error_is_one_line_naming_file_and_reason() -> None:
    err = InputError("news/a.html", Errors.E011, size=10, cap=5)
    assert (
        str(err) == "news/a.html: file is 10 bytes, over the cap of 5 bytes; raise it with --max-bytes [E011]"
    )
    assert "\n" not in str(err)
    assert err.problem.to_dict()["code"] == "E011"


def test_stage_declares_reads_and_assigns_and_runs_in_order() -> None:
    calls: list[str] = []

    @stage("test.count_docs.v1", reads=["documents"], assigns=["timeline"])
    def count_docs(corpus: Corpus, ctx: RunContext) -> None:
        calls.append("count")
        corpus.timeline.append({"documents": len(corpus.documents)})

    info = registry.stages.get("test.count_docs.v1")
    assert info.reads == ("documents",)
    assert info.assigns == ("timeline",)
    corpus = run_stages(Corpus(documents=[_doc()]), RunContext(options=Options()), ["test.count_docs.v1"])
    assert calls == ["count"]
    assert corpus.timeline == [{"documents": 1}]


def test_public_api_is_explicit_and_lazy() -> None:
    for name in claimgraph.__all__:
        assert getattr(claimgraph, name) is not None
    with pytest.raises(AttributeError):
        claimgraph.not_a_thing  # noqa: B018


def test_readme_opens_with_the_two_commands_and_ci_runs_the_second() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```(?:bash|sh)?\n(.*?)\n```", readme, flags=re.S)
    assert len(blocks) >= 2
    head = readme[: readme.index(blocks[1]) + len(blocks[1])]
    assert head.count("```") == 3, "the two set-up commands must be the first two code blocks"
    install_demo, install_test = blocks[0].strip(), blocks[1].strip()
    assert "claimgraph demo" in install_demo and "pip install" in install_demo
    assert "pytest" in install_test and "[test" in install_test
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert install_test in ci.splitlines(), ".ci/run must run the README's test command verbatim"
