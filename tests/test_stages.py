"""The stage framework checks every stage's declared reads and assigns when the pipeline is built."""

from __future__ import annotations

import pytest

from claimgraph.model import Corpus
from claimgraph.options import Options
from claimgraph.pipeline import PipelineError, RunContext, build_pipeline, run_stages, stage


@stage("test.needs_claims.v1", reads=["claims"], assigns=["timeline"])
def _needs_claims(corpus: Corpus, ctx: RunContext) -> None:
    corpus.timeline = [{"claims": len(corpus.claims)}]


@stage("test.makes_claims.v1", reads=["documents"], assigns=["claims"])
def _makes_claims(corpus: Corpus, ctx: RunContext) -> None:
    corpus.claims = []


@stage("test.bad_field.v1", reads=["documents"], assigns=["nonsense.field"])
def _bad_field(corpus: Corpus, ctx: RunContext) -> None:
    return None


def test_a_read_no_earlier_stage_assigns_fails_when_built() -> None:
    with pytest.raises(PipelineError, match=r"test\.needs_claims\.v1.*claims"):
        build_pipeline(["test.needs_claims.v1"])
    with pytest.raises(PipelineError, match="claims"):
        build_pipeline(["test.needs_claims.v1", "test.makes_claims.v1"])  # wrong order


def test_a_field_the_corpus_does_not_have_fails_when_built() -> None:
    with pytest.raises(PipelineError, match=r"nonsense\.field"):
        build_pipeline(["test.bad_field.v1"])


def test_stages_in_order_build_and_run() -> None:
    pipeline = build_pipeline(["test.makes_claims.v1", "test.needs_claims.v1"])
    assert pipeline.names == ("test.makes_claims.v1", "test.needs_claims.v1")
    corpus = pipeline(Corpus(), RunContext(options=Options()))
    assert corpus.timeline == [{"claims": 0}]


def test_the_default_pipeline_is_consistent() -> None:
    assert build_pipeline().names[0] == "claimgraph.attribution.v1"


def test_run_stages_counts_filled_fields_as_inputs() -> None:
    from claimgraph.model import Claim

    corpus = Corpus(claims=[Claim(id="c1", text="x", statement_ids=[], first_seen=None)])
    run_stages(corpus, RunContext(options=Options()), ["test.needs_claims.v1"])
    assert corpus.timeline == [{"claims": 1}]
