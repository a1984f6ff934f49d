"""Small lookups over an attributed corpus."""

from __future__ import annotations

from claimgraph.model import Corpus, Document, Entity, Source, Statement, stable_id


def entity(corpus: Corpus, name: str) -> Entity:
    hits = [e for e in corpus.entities if e.name == name or name in {a.name for a in e.aliases}]
    assert len(hits) == 1, f"{name!r}: {[e.name for e in hits]}"
    return hits[0]


def statement(corpus: Corpus, contains: str) -> Statement:
    hits = [s for s in corpus.statements if contains in s.text]
    assert hits, f"no statement contains {contains!r}: {[s.text for s in corpus.statements]}"
    return hits[0]


def source_of(corpus: Corpus, contains: str) -> Source:
    return corpus.source(statement(corpus, contains).source_id)


def make_doc(
    text: str,
    *,
    title: str | None = None,
    authors: list[str] | None = None,
    outlet: str | None = "The Daily Wire",
) -> Document:
    return Document(
        id=stable_id("doc", text, title),
        path=f"mem:{stable_id('p', text)}",
        url=None,
        title=title,
        authors=list(authors or []),
        published="2025-01-01",
        outlet=outlet,
        text=text,
        content_hash=stable_id("h", text, title),
    )
