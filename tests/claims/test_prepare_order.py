"""The matching pass's statement order (``stage._prepare``) is :func:`~claimgraph.claims.stage.order_key`'s, with
each document's date looked up once: undated documents, a statement of a document not in the corpus, titles
before bodies, and ties broken by offset then id."""

from __future__ import annotations

import random

from corpus_builder import CorpusBuilder

from claimgraph.claims.stage import _prepare, order_key
from claimgraph.options import Options


def test_prepare_orders_statements_by_order_key() -> None:
    b = CorpusBuilder()
    rng = random.Random(4)
    docs = [
        b.doc(str(k), "Ostmark shipped rifles. The convoy was late. Varro said so.", title="Ostmark ships rifles",
              published=rng.choice([None, "", "2024-03-01", "2024-02-11", "2023-12-30"]))
        for k in range(12)
    ]  # fmt: skip
    outlet = b.source("desk", "outlet", docs=docs)
    for doc in docs:
        for text in rng.sample(["Ostmark shipped rifles.", "The convoy was late.", "Varro said so."], 2):
            b.say(doc, outlet, text, mode="assertion", cue=None)
        b.say(doc, outlet, "Ostmark ships rifles", mode="assertion", cue=None, part="title")
    corpus = b.build()
    corpus.statements[5].document_id = "doc-missing"
    rng.shuffle(corpus.statements)
    documents = {d.id: d for d in corpus.documents}
    expected = [s.id for s in sorted(corpus.statements, key=lambda s: order_key(s, documents))]
    assert [s.id for s in _prepare(corpus, Options()).statements] == expected
