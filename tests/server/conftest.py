"""Fixtures for the server: an invented workspace (hand-built corpus saved into a SQLite store), users of
each role, and a Starlette test client logged in as one of them.

The corpus is invented (names of real-world shape, not the sample story's). ``build_corpus(payload)`` puts
``payload`` into every text field an article can reach (titles, texts, quotes, names, outlets, URLs), for the
script-injection tests.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("starlette", reason="the server extra is not installed: pip install -e '.[server]'")

from claimgraph.model import (
    Alias,
    Claim,
    Corpus,
    Document,
    Entity,
    Grade,
    Relation,
    Removed,
    Source,
    Statement,
)

PASSWORD = "correct horse battery staple"
ROLES = ("admin", "analyst", "reader")


def build_corpus(payload: str = "") -> Corpus:
    """Two outlets relaying one consultant's allegation (circular: his own firm publishes it), an official
    disputing it; a second claim from two independent named sources. ``payload`` is appended to every
    article-controlled string."""
    p = payload
    text_a = (
        f"Brannock Freight moved arms through Saltreach, Ilse Varennick said.{p}\n\n"
        f"A ministry official called the report baseless.{p}"
    )
    text_b = f"Port traffic at Saltreach doubled this year, Oskar Talgaard said.{p}\n\nDunmore Ecki agreed."
    doc_a = Document(
        id="doc-a",
        path=f"in/a{p}.html",
        url=f"https://harbour-ledger.example/a?x={p}",
        title=f"Freight firm accused{p}",
        authors=[f"Mirela Osani{p}"],
        published="2025-02-03",
        outlet=f"Harbour Ledger{p}",
        text=text_a,
        removed=Removed(
            boilerplate_lines=[f"Subscribe now{p}"],
            duplicate_paragraphs=1,
            duplicate_paragraph_texts=[f"Repeated{p}"],
        ),
        format="html",
    )
    doc_b = Document(
        id="doc-b",
        path="in/b.txt",
        url="javascript:alert(1)" if p else None,
        title=f"Saltreach traffic{p}",
        authors=[],
        published="2025-02-10",
        outlet=f"Varennick Risk Review{p}",
        text=text_b,
    )
    ents = [
        Entity(
            id="ent-varennick",
            name=f"Ilse Varennick{p}",
            type="person",
            mentions=2,
            document_ids=["doc-a"],
            aliases=[Alias(name=f"Varennick{p}", document_id="doc-a", rule="surname")],
        ),
        Entity(
            id="ent-brannock",
            name=f"Brannock Freight{p}",
            type="organization",
            mentions=1,
            document_ids=["doc-a"],
        ),
        Entity(
            id="ent-saltreach", name="Saltreach", type="location", mentions=2, document_ids=["doc-a", "doc-b"]
        ),
        Entity(id="ent-talgaard", name="Oskar Talgaard", type="person", mentions=1, document_ids=["doc-b"]),
    ]
    srcs = [
        Source(
            id="src-varennick",
            label=f"Ilse Varennick{p}",
            kind="person",
            entity_id="ent-varennick",
            role=f"consultant{p}",
            document_ids=["doc-a"],
            affiliated_source_ids=["src-review"],
        ),
        Source(
            id="src-official",
            label="a ministry official",
            kind="anonymous",
            description=f"a ministry official{p}",
            document_ids=["doc-a"],
        ),
        Source(
            id="src-talgaard",
            label="Oskar Talgaard",
            kind="person",
            entity_id="ent-talgaard",
            document_ids=["doc-b"],
        ),
        Source(id="src-ecki", label="Dunmore Ecki", kind="person", document_ids=["doc-b"]),
        Source(id="src-review", label=f"Varennick Risk Review{p}", kind="outlet", document_ids=["doc-b"]),
    ]

    def at(text: str, needle: str) -> tuple[int, int]:
        start = text.index(needle)
        return start, start + len(needle)

    s1 = at(text_a, "Brannock Freight moved arms through Saltreach")
    s2 = at(text_a, "baseless")
    s3 = at(text_b, "Port traffic at Saltreach doubled this year")
    s4 = at(text_b, "agreed")
    sts = [
        Statement(
            id="st-1",
            document_id="doc-a",
            source_id="src-varennick",
            text=text_a[s1[0] : s1[1]],
            cue="said",
            mode="indirect",
            certainty="asserted",
            certainty_cues=[],
            start=s1[0],
            end=s1[1],
            stance="supports",
            claim_id="cl-arms",
            entity_ids=["ent-brannock", "ent-saltreach"],
            speaker_text="Ilse Varennick",
        ),
        Statement(
            id="st-2",
            document_id="doc-a",
            source_id="src-official",
            text="baseless",
            cue="called",
            mode="indirect",
            certainty="asserted",
            certainty_cues=[],
            start=s2[0],
            end=s2[1],
            stance="disputes",
            claim_id="cl-arms",
        ),
        Statement(
            id="st-3",
            document_id="doc-b",
            source_id="src-talgaard",
            text=text_b[s3[0] : s3[1]],
            cue="said",
            mode="indirect",
            certainty="asserted",
            certainty_cues=[],
            start=s3[0],
            end=s3[1],
            stance="supports",
            claim_id="cl-traffic",
            entity_ids=["ent-saltreach"],
        ),
        Statement(
            id="st-4",
            document_id="doc-b",
            source_id="src-ecki",
            text="agreed",
            cue="agreed",
            mode="indirect",
            certainty="asserted",
            certainty_cues=[],
            start=s4[0],
            end=s4[1],
            stance="supports",
            claim_id="cl-traffic",
        ),
    ]
    claims = [
        Claim(
            id="cl-arms",
            text=f"Brannock Freight moved arms through Saltreach{p}",
            statement_ids=["st-1", "st-2"],
            first_seen="2025-02-03",
            origin_source_ids=["src-varennick"],
            independent_sources=1,
            supporting=1,
            disputing=1,
            circular=True,
            document_ids=["doc-a"],
            outlets=[f"Harbour Ledger{p}"],
            entity_ids=["ent-brannock", "ent-saltreach"],
            attention=2.0,
            chains=[["src-varennick"]],
            grade=Grade(
                reliability="F",
                credibility=4,
                admiralty="F4",
                confidence=30,
                explanation=f"One origin; disputed.{p}",
            ),
        ),
        Claim(
            id="cl-traffic",
            text="Port traffic at Saltreach doubled this year",
            statement_ids=["st-3", "st-4"],
            first_seen="2025-02-10",
            origin_source_ids=["src-talgaard", "src-ecki"],
            independent_sources=2,
            supporting=2,
            document_ids=["doc-b"],
            outlets=[f"Varennick Risk Review{p}"],
            entity_ids=["ent-saltreach"],
            attention=2.0,
            chains=[["src-talgaard"], ["src-ecki"]],
            grade=Grade(
                reliability="F", credibility=2, admiralty="F2", confidence=70, explanation="Two origins."
            ),
        ),
    ]
    rels = [
        Relation(
            id="rel-1",
            subject="ent-brannock",
            predicate=f"moves arms through{p}",
            object="ent-saltreach",
            statement_ids=["st-1"],
            source_ids=["src-varennick"],
            claim_ids=["cl-arms"],
            grade=Grade(reliability="F", credibility=4, admiralty="F4"),
        ),
    ]
    timeline = [
        {
            "date": "2025-02-03",
            "kind": "claim",
            "claim_id": "cl-arms",
            "document_id": "doc-a",
            "label": f"First carried by Harbour Ledger{p}",
        }
    ]
    corpus = Corpus(
        documents=[doc_a, doc_b],
        entities=ents,
        sources=srcs,
        statements=sts,
        claims=claims,
        relations=rels,
        timeline=timeline,
    )
    corpus.sort()
    return corpus


def save_corpus(url: str, corpus: Corpus) -> None:
    from claimgraph.store import Store

    with Store.open(url) as store:
        for doc in corpus.documents:
            store.add_document(doc)
        store.save_analysis(corpus, extra={"fingerprint": "test"})


# --------------------------------------------------------------------------- the workspace


def open_workspace(url: str) -> Any:
    from claimgraph.workspace import Workspace

    return Workspace.open(url)


def add_users(ws: Any) -> dict[str, Any]:
    return {role: ws.users.add(f"{role}-user", PASSWORD, role) for role in ROLES}


@pytest.fixture(autouse=True)
def _cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2 with its smallest cost in these tests (the same code path; the production cost is the library's)."""
    from argon2 import PasswordHasher

    from claimgraph.workspace import accounts

    monkeypatch.setattr(
        accounts, "_hasher", lambda: PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    )


@pytest.fixture
def workspace_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'ws.db'}"


@pytest.fixture
def make_client(workspace_url: str, tmp_path: Path) -> Iterator[Callable[..., Any]]:
    """``make_client(role=None, payload="", corpus=True)``: a TestClient (not logged in when role is None).

    The first call builds the workspace (the invented corpus with ``payload``, unless ``corpus`` is false),
    its users and the app; later calls in the same test give more clients (own cookies) of the same app."""
    from starlette.testclient import TestClient

    from claimgraph.server.app import create_app
    from claimgraph.server.backend import Backend

    made: list[Any] = []
    shared: dict[str, Any] = {}

    def make(role: str | None = None, payload: str = "", corpus: bool = True, **app_kwargs: Any) -> Any:
        if not shared:
            if corpus:
                save_corpus(workspace_url, build_corpus(payload))
            ws = open_workspace(workspace_url)
            shared["ws"], shared["users"] = ws, add_users(ws)
            shared["app"] = create_app(
                Backend(ws), upload_dir=tmp_path / "uploads", worker=False, **app_kwargs
            )
        client = TestClient(shared["app"], base_url="http://testserver")
        client.__enter__()
        made.append(client)
        client.users = shared["users"]  # type: ignore[attr-defined]
        client.ws = shared["ws"]  # type: ignore[attr-defined]
        if role is not None:
            login(client, f"{role}-user")
        return client

    yield make
    for client in made:
        client.__exit__(None, None, None)
    if shared:
        shared["ws"].close()


def login(client: Any, name: str, password: str = PASSWORD) -> Any:
    response = client.post("/login", data={"name": name, "password": password}, follow_redirects=False)
    assert response.status_code == 303, response.text
    return response


def csrf_of(client: Any, path: str = "/claims") -> str:
    page = client.get(path)
    match = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert match, f"no CSRF field on {path}"
    return match.group(1)
