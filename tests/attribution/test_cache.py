"""The per-document annotation cache in the workspace store: reused when nothing changed, keyed by code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from claimgraph.attribution import attribute
from claimgraph.attribution import stage as attribution_stage
from claimgraph.model import Corpus
from claimgraph.options import Options
from claimgraph.store import Store

from .helpers import make_doc

TEXT = '"Veloria recruits captured fighters," said Marek Holt, a consultant.'


def test_second_run_reads_annotations_from_the_store(
    tmp_path: Path, nlp: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store.open(tmp_path / "cg.db") as store:
        first = Corpus(documents=[make_doc(TEXT)])
        attribute(first, Options(), store)
        key = attribution_stage.annotation_key(Options().spacy_model or _model(), first.documents[0])
        assert store.get_annotation(first.documents[0].id, key) is not None

        def no_parsing(*args: object, **kwargs: object) -> None:
            raise AssertionError("the cached annotations should have been used")

        monkeypatch.setattr("claimgraph.attribution.nlp.load_pipeline", no_parsing)
        second = Corpus(documents=[make_doc(TEXT)])
        attribute(second, Options(), store)
    assert second.to_dict() == first.to_dict()


def test_cache_key_changes_with_the_code(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = make_doc(TEXT)
    before = attribution_stage.annotation_key("m", doc)
    attribution_stage._code_fingerprint.cache_clear()
    monkeypatch.setattr(attribution_stage, "ANNOTATION_VERSION", "attribution.test")
    assert attribution_stage.annotation_key("m", doc) != before
    assert attribution_stage.annotation_key("other-model", doc) != attribution_stage.annotation_key("m", doc)


def _model() -> str:
    from claimgraph.attribution.nlp import default_model_name

    return default_model_name()
