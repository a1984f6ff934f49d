"""Small lookups over an attributed corpus."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from claimgraph.attribution.gazetteer import _AMBIGUOUS, _GLOBAL_RULES, _MAX_WORDS, _form_key
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


def reference_alias_tables(entities: list[Entity]) -> dict[str, Any]:
    """The alias matcher's tables made the general way: every span put, each form key computed afresh (the
    matcher reuses an entity's name key for each of its documents)."""
    doc_forms: dict[str, dict[tuple[str, ...], str]] = defaultdict(dict)
    glob: dict[tuple[str, ...], str] = {}
    exact: set[str] = set()

    def put(table: dict[tuple[str, ...], str], key: tuple[str, ...], eid: str) -> None:
        if not key or len(key) > _MAX_WORDS:
            return
        old = table.get(key)
        table[key] = eid if old is None or old == eid else _AMBIGUOUS

    for ent in entities:
        name_key = _form_key(ent.name)
        exact.add(ent.name)
        if len(name_key) >= 2 or ent.type != "person":
            put(glob, name_key, ent.id)
        for a in ent.aliases:
            key = _form_key(a.name)
            exact.add(a.name)
            if a.document_id is not None:
                put(doc_forms[a.document_id], key, ent.id)
            if a.rule in _GLOBAL_RULES and (len(key) >= 2 or a.rule == "acronym-defined"):
                put(glob, key, ent.id)
        for m in ent.mention_spans:
            exact.add(m.text)
            put(doc_forms[m.document_id], _form_key(m.text), ent.id)
        for doc_id in ent.document_ids:
            put(doc_forms[doc_id], _form_key(ent.name), ent.id)
    return {
        "doc_forms": [(d, list(t.items())) for d, t in doc_forms.items()],
        "global": list(glob.items()),
        "exact": exact,
    }
