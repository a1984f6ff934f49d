"""The sample corpus against its hand-written gold: precision and recall printed and asserted."""

from __future__ import annotations

import json
from typing import Any

import pytest

from claimgraph.data import sample_corpus_path, sample_gold_path
from claimgraph.model import Corpus, Document
from claimgraph.options import Options

from .scoring import score_alias_clusters, score_entities, score_statements


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
    assert ents.precision >= 0.9
    assert ents.recall >= 0.85


def test_gold_alias_clusters_and_never_merge(sample: tuple[Corpus, dict[str, Any]]) -> None:
    corpus, gold = sample
    pairs = score_alias_clusters(corpus, gold)
    print(f"alias clusters  {pairs}")
    assert pairs.precision >= 0.95
    assert pairs.recall >= 0.85


def test_gold_speakers_and_modes(sample: tuple[Corpus, dict[str, Any]]) -> None:
    corpus, gold = sample
    speakers, modes = score_statements(corpus, gold)
    print(f"speakers        {speakers}")
    print(f"statement modes {modes}")
    assert speakers.precision >= 0.9
    assert speakers.recall >= 0.9
    assert modes.precision >= 0.9
    assert modes.recall >= 0.9


def test_gold_offsets_hold(sample: tuple[Corpus, dict[str, Any]]) -> None:
    corpus, _ = sample
    for st in corpus.statements:
        doc = corpus.document(st.document_id)
        base = doc.title if st.part == "title" else doc.text
        assert base is not None and base[st.start : st.end] == st.text
