"""The sample corpus against its hand-written gold: precision and recall printed and asserted."""

from __future__ import annotations

import json
from typing import Any

import pytest

from claimgraph.data import sample_corpus_path, sample_gold_path
from claimgraph.model import Corpus, Document
from claimgraph.options import Options

from .scoring import score_alias_clusters, score_entities, score_statements, statement_entity_coverage


@pytest.fixture(scope="module")
def sample(nlp: Any) -> tuple[Corpus, dict[str, Any]]:
    from claimgraph.attribution import attribute
    from claimgraph.ingest import iter_documents, mark_duplicates

    options = Options()
    docs = [d for d in iter_documents([str(sample_corpus_path())], options) if isinstance(d, Document)]
    duplicates = mark_duplicates(docs, options)
    for d in docs:
        d.duplicate_of = duplicates.get(d.id)
    corpus = Corpus(documents=docs)
    attribute(corpus, options)
    gold = json.loads(sample_gold_path().read_text(encoding="utf-8"))
    return corpus, gold


def test_gold_entities(sample: tuple[Corpus, dict[str, Any]]) -> None:
    corpus, gold = sample
    ents = score_entities(corpus, gold)
    print(f"entities        {ents}")
    assert ents.precision >= 0.97
    assert ents.recall >= 0.97  # 36/37: "Sarn Gulf" occurs only in removed boilerplate and an outlet name


def test_gold_alias_clusters_and_never_merge(sample: tuple[Corpus, dict[str, Any]]) -> None:
    corpus, gold = sample
    pairs = score_alias_clusters(corpus, gold)
    print(f"alias clusters  {pairs}")
    assert pairs.precision == 1.0  # never-merge pairs count as false merges
    assert pairs.recall >= 0.99


def test_gold_speakers_and_modes(sample: tuple[Corpus, dict[str, Any]]) -> None:
    corpus, gold = sample
    speakers, modes = score_statements(corpus, gold)
    print(f"speakers        {speakers}")
    print(f"statement modes {modes}")
    assert speakers.precision >= 0.98
    assert speakers.recall >= 0.99
    assert modes.precision >= 0.98
    assert modes.recall >= 0.99


def test_gold_offsets_hold(sample: tuple[Corpus, dict[str, Any]]) -> None:
    corpus, _ = sample
    for st in corpus.statements:
        doc = corpus.document(st.document_id)
        base = doc.title if st.part == "title" else doc.text
        assert base is not None and base[st.start : st.end] == st.text


def test_gold_statement_entities_cover_named_entities(sample: tuple[Corpus, dict[str, Any]]) -> None:
    """Every gold entity whose name or alias is written in a matched statement is in its entity_ids."""
    corpus, gold = sample
    cov, missing = statement_entity_coverage(corpus, gold)
    print(f"statement entities {cov}")
    assert cov.recall >= 0.99, missing
