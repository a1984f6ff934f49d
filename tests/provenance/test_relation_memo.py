"""Each document's relation triples kept between runs (``claimgraph.provenance.relmemo``): a run that reuses the
stored triples gives exactly the from-scratch results, on generated workspaces and their increments, including old
documents whose triples change (edited in place, entities joined by entity resolution). Invented actors and texts."""

from __future__ import annotations

import hashlib
import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from claimgraph.model import Claim, Corpus, Document, Entity, Mention, Source, Statement
from claimgraph.options import Options
from claimgraph.provenance.stage import run_provenance
from claimgraph.store import Store

DATES = ("2024-03-01", "2024-03-02", "2024-03-05", None)
OUTLETS = ("Kestria Ledger", "Holt Review", "Wire Mirror", None)
AUTHORS = ("Lena Dorn", "Sam Wire", "Ivo Brandt")
KINDS = ("person", "person", "organization", "anonymous", "document")
STANCES = ("supports", "supports", "reports", "disputes", "denies", "declines", None)
CERTAINTIES = ("asserted", "asserted", "hedged", "conditional")
ENTITIES = ("Tesk", "Veloria", "Kestria", "Marek Holt", "Ann Poe", "Orsk Group")
TEXTS = (
    "According to the {e} survey, the bridge was closed",
    "The {e} report confirms the bridge was closed",
    "The bridge was closed on Monday near {e}",
    "Lorries waited at the bridge",
    "{e} funds {f} at the bridge",
    "{f} is trained by {e}",
    "{e} does not fund {f}",
)


@dataclass
class Person:
    label: str
    kind: str
    entity: int | None
    affiliated: list[int] = field(default_factory=list)
    affiliation_entities: list[int] = field(default_factory=list)
    role: str | None = None
    description: str | None = None


@dataclass
class Said:
    speaker: int | str  # a person's position, or "outlet" / "author" (the document's own voice)
    stance: str | None
    certainty: str
    cited: list[int]
    entities: list[int]
    text: str
    claim: int | None


@dataclass
class Doc:
    published: str | None
    outlet: str | None
    authors: list[str]
    duplicate_of: int | None
    said: list[Said]


@dataclass
class World:
    people: list[Person] = field(default_factory=list)
    docs: list[Doc] = field(default_factory=list)
    merged: dict[int, int] = field(default_factory=dict)
    """entity -> the entity it was resolved into (its mentions and statements name that one)."""


def _person(rng: random.Random, k: int, people: list[Person]) -> Person:
    kind = rng.choice(KINDS)
    earlier = range(len(people))
    return Person(
        label=f"Person {k}" if kind != "anonymous" else "officials",
        kind=kind,
        entity=rng.randrange(len(ENTITIES)) if kind != "anonymous" and rng.random() < 0.6 else None,
        affiliated=rng.sample(list(earlier), 1) if people and rng.random() < 0.15 else [],
        affiliation_entities=[rng.randrange(len(ENTITIES))] if rng.random() < 0.2 else [],
        role=rng.choice((None, "minister", "former adviser", "Dr.")),
        description=rng.choice((None, "a Foreign Ministry official", "a U.S. official"))
        if kind == "anonymous"
        else None,
    )


def _doc(rng: random.Random, world: World, claims: int) -> Doc:
    said = []
    for _ in range(rng.randint(1, 3)):
        entities = sorted(rng.sample(range(len(ENTITIES)), rng.randint(0, 2)))
        names = [ENTITIES[e] for e in entities] + ["the river", "the port"]
        text = rng.choice(TEXTS).format(e=names[0], f=names[1])
        said.append(
            Said(
                speaker=rng.choice(["outlet", "author", *range(len(world.people))]),
                stance=rng.choice(STANCES),
                certainty=rng.choice(CERTAINTIES),
                cited=rng.sample(range(len(world.people)), 1) if rng.random() < 0.25 else [],
                entities=entities,
                text=text,
                claim=rng.randrange(claims) if rng.random() < 0.85 else None,
            )
        )
    return Doc(
        published=rng.choice(DATES),
        outlet=rng.choice(OUTLETS),
        authors=rng.sample(AUTHORS, rng.randint(0, 1)),
        duplicate_of=rng.randrange(len(world.docs)) if world.docs and rng.random() < 0.1 else None,
        said=said,
    )


def grow(rng: random.Random, world: World, people: int, docs: int, claims: int) -> None:
    for _ in range(people):
        world.people.append(_person(rng, len(world.people), world.people))
    for _ in range(docs):
        world.docs.append(_doc(rng, world, claims))


def build(world: World) -> Corpus:
    """The corpus attribution and claims would leave for ``world`` (fresh objects; sources list every
    document they appear in, as the corpus-wide sources do)."""

    def ent(k: int) -> str:
        return f"ent-{world.merged.get(k, k)}"

    entities = [
        Entity(id=f"ent-{k}", name=name, type="organization")
        for k, name in enumerate(ENTITIES)
        if k not in world.merged
    ]
    documents = [
        Document(
            id=f"doc-{k}",
            path=f"{k}.html",
            url=None,
            title=None,
            authors=list(d.authors),
            published=d.published,
            outlet=d.outlet,
            text=" ".join(s.text for s in d.said),
            duplicate_of=(f"{d.duplicate_of}.html" if k % 2 else f"doc-{d.duplicate_of}")
            if d.duplicate_of is not None
            else None,
        )
        for k, d in enumerate(world.docs)
    ]
    person_docs: dict[int, list[str]] = {k: [] for k in range(len(world.people))}
    outlet_docs: dict[str, list[str]] = {}
    author_docs: dict[str, list[str]] = {}
    for doc, d in zip(documents, world.docs, strict=True):
        if d.outlet:
            outlet_docs.setdefault(d.outlet, []).append(doc.id)
        for author in d.authors:
            author_docs.setdefault(author, []).append(doc.id)
        for s in d.said:
            if isinstance(s.speaker, int) and doc.id not in person_docs[s.speaker]:
                person_docs[s.speaker].append(doc.id)
    sources = [
        Source(
            id=f"src-p{k}",
            label=p.label,
            kind=p.kind,  # type: ignore[arg-type]
            entity_id=ent(p.entity) if p.entity is not None else None,
            description=p.description,
            document_ids=person_docs[k],
            affiliated_source_ids=[f"src-p{a}" for a in p.affiliated],
            role=p.role,
            affiliation_entity_ids=[ent(e) for e in p.affiliation_entities],
        )
        for k, p in enumerate(world.people)
    ]
    sources += [
        Source(id=f"src-o-{n}", label=n, kind="outlet", document_ids=ids) for n, ids in outlet_docs.items()
    ]
    sources += [
        Source(id=f"src-a-{n}", label=n, kind="author", document_ids=ids) for n, ids in author_docs.items()
    ]
    statements: list[Statement] = []
    members: dict[str, list[Statement]] = {}
    for doc, d in zip(documents, world.docs, strict=True):
        offset = 0
        for j, s in enumerate(d.said):
            if s.speaker == "outlet":
                speaker = f"src-o-{d.outlet}" if d.outlet else "src-unknown"
            elif s.speaker == "author":
                speaker = f"src-a-{d.authors[0]}" if d.authors else f"src-o-{d.outlet}"
            else:
                speaker = f"src-p{s.speaker}"
            st = Statement(
                id=f"st-{doc.id}-{j}",
                document_id=doc.id,
                source_id=speaker,
                text=s.text,
                cue="said",
                mode="indirect" if isinstance(s.speaker, int) else "assertion",
                certainty=s.certainty,  # type: ignore[arg-type]
                certainty_cues=[],
                start=offset,
                end=offset + len(s.text),
                entity_ids=sorted({ent(e) for e in s.entities}),
                stance=s.stance,  # type: ignore[arg-type]
                claim_id=f"claim-{s.claim}" if s.claim is not None else None,
                cited_source_ids=[f"src-p{c}" for c in s.cited],
            )
            offset += len(s.text) + 1
            statements.append(st)
            if st.claim_id:
                members.setdefault(st.claim_id, []).append(st)
    by_entity = {e.id: e for e in entities}
    for doc in documents:
        for k, name in enumerate(ENTITIES):
            for match in re.finditer(rf"\b{re.escape(name)}\b", doc.text):
                by_entity[ent(k)].mention_spans.append(
                    Mention(doc.id, match.start(), match.end(), name, "text")
                )
    for entity in entities:
        entity.mention_spans.sort(key=lambda m: (m.document_id, m.start))
        entity.mentions = len(entity.mention_spans)
        entity.document_ids = sorted({m.document_id for m in entity.mention_spans})
    by_id = {d.id: d for d in documents}
    claims = [
        Claim(
            id=claim_id,
            text=sts[0].text,
            statement_ids=[s.id for s in sts],
            first_seen=min((by_id[s.document_id].published or "9999") for s in sts),
            document_ids=sorted({s.document_id for s in sts}),
        )
        for claim_id, sts in sorted(members.items())
    ]
    return Corpus(
        documents=documents, entities=entities, sources=sources, statements=statements, claims=claims
    )


def digest(corpus: Corpus) -> str:
    payload = {
        "claims": [c.to_dict() for c in corpus.claims],
        "relations": [r.to_dict() for r in corpus.relations],
        "network": corpus.network,
        "timeline": corpus.timeline,
        "sourcing": [p.to_dict() for p in corpus.sourcing],
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def asserting_documents(corpus: Corpus) -> int:
    """Documents holding a statement that asserts or relays (the ones relations are drawn from)."""
    return len({st.document_id for st in corpus.statements if st.stance in (None, "supports", "reports")})


def results(corpus: Corpus) -> dict[str, Any]:
    return {c.id: c.to_dict() for c in corpus.claims}


def test_a_rerun_reuses_every_claim_and_gives_the_same_results(tmp_path: Path) -> None:
    world = World()
    grow(random.Random(1), world, people=12, docs=30, claims=8)
    store = Store.open(str(tmp_path / "memo.db"))
    first = build(world)
    counts = run_provenance(first, Options(), store=store)
    assert first.relations
    assert (counts["documents reused"], counts["documents computed"]) == (0, asserting_documents(first))
    again = build(world)
    counts = run_provenance(again, Options(), store=store)
    assert (counts["documents reused"], counts["documents computed"]) == (asserting_documents(again), 0)
    scratch = build(world)
    run_provenance(scratch, Options())
    assert digest(again) == digest(scratch) == digest(first)


@pytest.mark.parametrize("seed", range(40))
def test_an_increment_gives_the_from_scratch_results(tmp_path: Path, seed: int) -> None:
    """A workspace, then new documents and sources (new members of old groups, affiliations, affiliation
    entities, new statements in old claims), an old document marked as a copy, old documents edited in place,
    entities joined: the memo run equals the from-scratch run."""
    rng = random.Random(seed)
    world = World()
    grow(rng, world, people=10, docs=25, claims=6)
    store = Store.open(str(tmp_path / "memo.db"))
    run_provenance(build(world), Options(), store=store)
    before = build(world)
    run_provenance(before, Options())
    grow(rng, world, people=3, docs=3, claims=6)
    # deduplication marks again: an old document found to be a copy of a newer one's original
    copied = rng.randrange(1, len(world.docs))
    world.docs[copied].duplicate_of = rng.randrange(copied)
    if seed % 2:  # entity resolution joins two entities: old statements and mentions name the survivor
        world.merged[rng.randrange(1, len(ENTITIES))] = 0
    # old files edited in place: the same document and statement ids, other words (a predicate of the same
    # length: the same spans; a relay cue)
    for doc in world.docs:
        for said in doc.said:
            if rng.random() < 0.3:
                said.text = said.text.replace(" funds ", " backs ").replace(
                    "The bridge was closed on Monday near", "According to reports the bridge was closed near"
                )
    incremental, scratch = build(world), build(world)
    counts = run_provenance(incremental, Options(), store=store)
    run_provenance(scratch, Options())
    assert results(incremental) == results(scratch)
    assert [r.to_dict() for r in incremental.relations] == [r.to_dict() for r in scratch.relations]
    assert digest(incremental) == digest(scratch)
    assert counts["documents reused"] > 0
    assert counts["documents reused"] + counts["documents computed"] == asserting_documents(scratch)


def test_a_damaged_entry_is_computed_again(tmp_path: Path) -> None:
    world = World()
    grow(random.Random(3), world, people=8, docs=15, claims=4)
    store = Store.open(str(tmp_path / "memo.db"))
    run_provenance(build(world), Options(), store=store)
    namespace = next(ns for ns in _namespaces(tmp_path / "memo.db") if ns.startswith("provenance-relations:"))
    state = store.get_memos(namespace, ["state"])["state"]
    state = {key: [["not", "a", "triple"]] for key in state}  # every stored entry names no statement of it
    store.update_memos(namespace, {"state": state})
    incremental, scratch = build(world), build(world)
    counts = run_provenance(incremental, Options(), store=store)
    run_provenance(scratch, Options())
    assert digest(incremental) == digest(scratch)
    assert counts["documents reused"] == 0
    store.update_memos(namespace, {"state": ["not a state"]})
    assert run_provenance(build(world), Options(), store=store)["documents reused"] == 0


def _namespaces(db: Path) -> list[str]:
    import sqlite3

    with sqlite3.connect(db) as conn:
        return [row[0] for row in conn.execute("SELECT DISTINCT namespace FROM memo")]


def test_the_document_key_reads_every_input_and_takes_any_text() -> None:
    """A document's key changes with its text, title, a statement's span or part, and a mention; a text with a
    lone surrogate (which orjson refuses) still has a key, another one than the same text without it."""
    from claimgraph.provenance.relations import _document_key

    def doc(text: str, title: str | None = "T") -> Document:
        return Document(
            id="doc-1",
            path="a.txt",
            url=None,
            title=title,
            authors=[],
            published=None,
            outlet=None,
            text=text,
        )

    def statement(start: int = 0, end: int = 9, part: str = "text") -> Statement:
        return Statement(
            id="st-1", document_id="doc-1", source_id="src-1", text="x", cue=None, mode="assertion",
            certainty="asserted", certainty_cues=[], start=start, end=end, part=part,  # type: ignore[arg-type]
        )  # fmt: skip

    mentions = {("doc-1", "text"): [(0, 3, "ent-a"), (6, 9, "ent-b")]}
    base = _document_key(doc("Acme funds Bolt"), [statement()], mentions)
    variants = [
        _document_key(doc("Acme funds Bolt."), [statement()], mentions),
        _document_key(doc("Acme funds Bolt", "U"), [statement()], mentions),
        _document_key(doc("Acme funds Bolt", None), [statement()], mentions),
        _document_key(doc("Acme funds Bolt"), [statement(end=10)], mentions),
        _document_key(doc("Acme funds Bolt"), [statement(part="title")], mentions),
        _document_key(doc("Acme funds Bolt"), [statement()], {("doc-1", "text"): [(0, 3, "ent-a")]}),
        _document_key(doc("Acme funds Bolt\ud800"), [statement()], mentions),
    ]
    assert base == _document_key(doc("Acme funds Bolt"), [statement()], dict(mentions))
    assert len({base, *variants}) == len(variants) + 1
    assert variants[-1].startswith("m")
