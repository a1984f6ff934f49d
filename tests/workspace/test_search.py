"""Full-text search over documents and statements (SQLite FTS5, PostgreSQL full-text)."""

from __future__ import annotations

import dataclasses

import pytest

from claimgraph.errors import WorkspaceError
from claimgraph.workspace import Workspace

from ._corpus import build_corpus, store_analysis


@pytest.fixture
def analysed(ws: Workspace) -> Workspace:
    store_analysis(ws, build_corpus())
    return ws


def test_words_are_stemmed_and_all_must_match(analysed: Workspace) -> None:
    hits = analysed.search("diverting funds")
    assert {(h.kind, h.id) for h in hits} == {
        ("document", "doc-courier"),
        ("document", "doc-ledger"),
        ("statement", "stmt-a1"),
        ("statement", "stmt-a2"),
        ("statement", "stmt-b1"),
    }
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert analysed.search("diverting tender", kind="statements")[0].id == "stmt-b1"
    assert analysed.search("diverting helicopter") == []


def test_phrases_prefixes_and_kinds(analysed: Workspace) -> None:
    assert {h.id for h in analysed.search('"flood funds"', kind="statements")} == {"stmt-a1", "stmt-b1"}
    assert analysed.search('"funds flood"') == []
    assert {h.id for h in analysed.search("Okaf*", kind="documents")} == {"doc-courier", "doc-ledger"}
    assert analysed.search("Okaf", kind="documents") == []
    builder = analysed.search("builder", kind="all")
    assert {(h.kind, h.id) for h in builder} == {
        ("statement", "stmt-a2"),
        ("document", "doc-courier"),
        ("document", "doc-ledger"),  # "builder" in its title
    }
    statement = next(h for h in builder if h.kind == "statement")
    assert statement.document_id == "doc-courier" and statement.source_id == "src-reyes"
    assert (
        statement.claim_id == "claim-denial"
        and statement.title == "Water authority diverted flood funds, auditor says"
    )
    with pytest.raises(WorkspaceError, match=r"\[E403\] search kind"):
        analysed.search("funds", kind="claims")


def test_highlights_point_at_the_matched_words(analysed: Workspace) -> None:
    hits = analysed.search("diverted tender")
    assert hits
    for hit in hits:
        assert hit.highlights, hit
        for start, end in hit.highlights:
            assert hit.snippet[start:end].casefold().startswith(("divert", "tender")), (
                hit.snippet,
                start,
                end,
            )
        assert "\x02" not in hit.snippet and "\x03" not in hit.snippet


def test_paging_is_a_window_on_the_ranking(analysed: Workspace) -> None:
    every = analysed.search("funds", limit=50)
    assert len(every) == 5
    assert analysed.search("funds", limit=2) == every[:2]
    assert analysed.search("funds", limit=2, offset=2) == every[2:4]
    assert analysed.search("funds", limit=2, offset=4) == every[4:]
    assert analysed.search("funds", limit=0) == []


@pytest.mark.parametrize(
    "query", ['"); DROP TABLE documents; --', "NEAR(a b", "*", "AND OR NOT", "", "   ", '"']
)
def test_odd_queries_are_never_errors(analysed: Workspace, query: str) -> None:
    assert isinstance(analysed.search(query), list)
    assert analysed.store.count_documents() == 2


def test_the_index_follows_the_store(analysed: Workspace) -> None:
    ws = analysed
    corpus = ws.store.load_corpus()
    changed = corpus.statement("stmt-a2")
    changed.text = "no money was moved to the contractor"
    ws.store.save_analysis(corpus)
    assert [h.id for h in ws.search("contractor", kind="statements")] == ["stmt-a2"]
    assert ws.search("builder", kind="statements") == []
    doc = next(d for d in corpus.documents if d.id == "doc-ledger")
    ws.store.add_document(dataclasses.replace(doc, text="A gravel quarry reopened.", content_hash="3" * 64))
    assert [h.id for h in ws.search("gravel quarry", kind="documents")] == ["doc-ledger"]
    assert [h.id for h in ws.search("tender", kind="documents")] == []


def test_a_store_analysed_before_the_workspace_existed_is_indexed(store_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from claimgraph.store import Store

    corpus = build_corpus()
    with Store.open(store_url) as store:
        for doc in corpus.documents:
            store.add_document(doc)
        store.save_analysis(corpus)
    with Workspace.open(store_url, files_dir=tmp_path / "f") as ws:
        assert {h.id for h in ws.search("tender")} == {"doc-ledger", "stmt-b1"}
