"""The gazetteer scan kept between runs (``attribution.scanmemo``): read back only where no changed table
can reach, and then equal to a fresh scan."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from claimgraph import parallel
from claimgraph.attribution import attribute, scanmemo
from claimgraph.attribution.gazetteer import AliasMatcher
from claimgraph.model import Alias, Corpus, Document, Entity, Mention
from claimgraph.options import Options
from claimgraph.store import Store

from .helpers import make_doc

_WORDS = ["Aldane", "Port", "Ministry", "Interior", "Kessan", "Dario", "Velorian", "Veloria", "Front", "Nasr"]
_WORDS += ["Marek", "Holt", "Gazette", "Tessin", "Kenya", "Kenyan", "French", "France", "council", "al-Nasr"]
_LOWER = ["said", "the", "of", "and", "ministry", "holt", "nasr", "front", "council", "kenyan"]
_TYPES = ["person", "organization", "group", "location"]


def _doc(doc_id: str, text: str, title: str = "") -> Document:
    return Document(
        id=doc_id, path=None, url=None, title=title, authors=[], published=None, outlet=None, text=text
    )


def _docs(rng: random.Random, n: int, tag: str) -> list[Document]:
    out = []
    for i in range(n):
        words = [rng.choice(_WORDS + _LOWER) for _ in range(rng.randint(5, 40))]
        words = [w.lower() if rng.random() < 0.2 else w for w in words]
        title = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(0, 4)))
        out.append(_doc(f"d-{tag}{i}", " ".join(words) + ".", title))
    return out


def _name(rng: random.Random) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(rng.randint(1, 3)))


def _entity(rng: random.Random, doc_ids: list[str], n: int) -> Entity:
    name = _name(rng)
    etype = rng.choice(_TYPES)
    ent = Entity(id=f"e-{name}-{etype}-{n}", name=name, type=etype)  # type: ignore[arg-type]
    for _ in range(rng.randint(0, 3)):
        rule = rng.choice(["mention", "surname", "variant", "short-form", "acronym-defined"])
        alias = _name(rng) if rng.random() < 0.8 else rng.choice(_LOWER) + " " + rng.choice(_LOWER)
        ent.aliases.append(Alias(name=alias, document_id=rng.choice([None, *doc_ids]), rule=rule))
    for _ in range(rng.randint(0, 2)):
        doc = rng.choice(doc_ids)
        ent.mention_spans.append(Mention(document_id=doc, start=0, end=1, text=_name(rng)))
        ent.document_ids.append(doc)
    return ent


def _change(rng: random.Random, ents: list[Entity], doc_ids: list[str], n: int) -> list[Entity]:
    """One increment's worth of changes: an entity added, dropped, renamed (a new id), retyped, given
    an alias (corpus-wide or of one document) or a lower-case spelling; a place added or dropped."""
    ents = [
        Entity(**{**vars(e), "aliases": list(e.aliases), "mention_spans": list(e.mention_spans)})
        for e in ents
    ]
    for k in range(rng.randint(1, 3)):
        what = rng.randrange(8)
        if what == 6:  # a place: changes demonym answers, and whether the corpus has places at all
            places = [e for e in ents if e.type == "location"]
            if places and rng.random() < 0.5:
                ents.remove(rng.choice(places))
            else:
                place = rng.choice(["Kenya", "France", "Veloria", "Tessin"])
                ents.append(Entity(id=f"e-{place}-{n}-{k}", name=place, type="location"))
            continue
        if what == 7 and ents:  # an exact lower-case spelling of a name, in no form table of its own
            other = rng.choice(ents)
            ents[rng.randrange(len(ents))].aliases.append(
                Alias(name=other.name.lower(), document_id=None, rule="surname")
            )
            continue
        if what == 0 or not ents:
            ents.append(_entity(rng, doc_ids, n * 100 + k))
            continue
        i = rng.randrange(len(ents))
        if what == 1:
            ents.pop(i)
        elif what == 2:
            ents[i].id += "-renamed"
        elif what == 3:
            ents[i].type = rng.choice(_TYPES)  # type: ignore[assignment]
            ents[i].id += "-" + ents[i].type
        elif what == 4:
            doc = rng.choice([None, *doc_ids])
            ents[i].aliases.append(Alias(name=_name(rng), document_id=doc, rule="mention"))
        else:
            ents[i].aliases.append(Alias(name=rng.choice(_LOWER), document_id=None, rule="acronym-defined"))
    return ents


def _run(store: Store, ents: list[Entity], docs: list[Document]) -> tuple[AliasMatcher, scanmemo.ScanStats]:
    matcher = AliasMatcher(ents)
    stats = scanmemo.scan_documents(matcher, docs, store, "test", 1)
    return matcher, stats


def test_a_kept_scan_equals_a_fresh_scan_after_random_changes(tmp_path: Path) -> None:
    rng = random.Random(11)
    reused = scanned_old = 0
    for trial in range(30):
        with Store.open(tmp_path / f"s{trial}.db") as store:
            docs = _docs(rng, 30, f"{trial}a")
            ids = [d.id for d in docs]
            ents = [_entity(rng, ids, n) for n in range(rng.randint(3, 12))]
            if trial % 3 == 0:  # no places before the first change
                ents = [e for e in ents if e.type != "location"]
            _run(store, ents, docs)
            for step in range(4):
                new = _docs(rng, rng.randint(0, 3), f"{trial}-{step}-")
                docs = [d for d in docs if rng.random() > 0.05] + new
                ids = [d.id for d in docs]
                ents = _change(rng, ents, ids, step)
                matcher, stats = _run(store, ents, docs)
                fresh = AliasMatcher(ents)
                for doc in docs:
                    for text in (doc.text or "", doc.title or ""):
                        assert matcher.matches(doc.id, text) == fresh.matches(doc.id, text), (
                            trial,
                            step,
                            doc.id,
                        )
                assert stats.new == len(new)
                reused += stats.reused
                scanned_old += stats.scanned - stats.new
    # the test is about both paths: documents read back and old documents scanned again
    assert reused > 100 and scanned_old > 50, (reused, scanned_old)


def _ents(extra_alias: str | None = None, holt_type: str = "person") -> list[Entity]:
    holt = Entity(id=f"e-holt-{holt_type}", name="Marek Holt", type=holt_type)  # type: ignore[arg-type]
    if extra_alias:
        holt.aliases.append(Alias(name=extra_alias, document_id="d-new", rule="title"))
    return [
        holt,
        Entity(id="e-kenya", name="Kenya", type="location"),
        Entity(id="e-gazette", name="Tessin Gazette", type="organization"),
    ]


def test_only_the_documents_a_change_can_reach_are_scanned_again(tmp_path: Path) -> None:
    docs = [
        _doc("d-1", "Marek Holt met Kenyan officials."),
        _doc("d-2", "The Gazette said Holt Group grew.", "Tessin Gazette"),
        _doc("d-3", "Nothing to see in Dario Kessan's town."),
    ]
    new = _doc("d-new", "Holt Group chairman Marek Holt spoke.")
    with Store.open(tmp_path / "s.db") as store:
        _run(store, _ents(), docs)
        # nothing changed: every document is read back, and nothing is written
        writes = store.update_memos
        store.update_memos = None  # type: ignore[assignment,method-assign]
        matcher, stats = _run(store, _ents(), docs)
        store.update_memos = writes  # type: ignore[method-assign]
        assert (stats.reused, stats.scanned) == (3, 0)
        assert matcher.matches("d-1", docs[0].text or "") == [(0, 10, "e-holt-person"), (15, 21, "e-kenya")]
        # a new document adds a corpus-wide alias of old words ("Holt Group"): d-2 has both words, is
        # scanned again and now names the entity; d-1 ("Holt" but no "Group") and d-3 are read back
        matcher, stats = _run(store, _ents("Holt Group"), [*docs, new])
        assert (stats.reused, stats.scanned, stats.new) == (2, 2, 1)
        text = docs[1].text or ""
        assert ("e-holt-person" in {e for _s, _e, e in matcher.matches("d-2", text)}) is True
        assert matcher.matches("d-2", text) == AliasMatcher(_ents("Holt Group")).matches("d-2", text)
        # a new document changes a name's type (so its id): the documents naming it are scanned again
        matcher, stats = _run(store, _ents("Holt Group", "organization"), [*docs, new])
        assert stats.scanned == 3 and stats.reused == 1  # d-1, d-2 and d-new name Marek Holt; d-3 not
        fresh = AliasMatcher(_ents("Holt Group", "organization"))
        for doc in [*docs, new]:
            assert matcher.matches(doc.id, doc.text or "") == fresh.matches(doc.id, doc.text or "")
        # the place's entity is renamed (a new id): no text names "Kenya", but d-1's "Kenyan" now answers
        # the new id, so d-1 alone is scanned again, through its demonym question
        ents = _ents("Holt Group", "organization")
        ents[1].id = "e-kenya-republic"
        matcher, stats = _run(store, ents, [*docs, new])
        assert stats.places_changed and stats.changed_demonyms == 1
        assert (stats.scanned, stats.reused) == (1, 3)
        assert matcher.matches("d-1", docs[0].text or "")[-1] == (15, 21, "e-kenya-republic")
        fresh = AliasMatcher(ents)
        for doc in [*docs, new]:
            assert matcher.matches(doc.id, doc.text or "") == fresh.matches(doc.id, doc.text or "")


_OPTIONS = Options(n_process=1, progress=False)


def _attribute(docs: list[Document], store: Store | None) -> Corpus:
    corpus = Corpus(documents=list(docs))
    attribute(corpus, _OPTIONS, store)
    return corpus


def test_attribution_with_documents_added_gives_the_from_scratch_result(tmp_path: Path) -> None:
    old = [
        make_doc(
            'The Institute said on Monday that the figures were wrong. "We stand by the count," Marlow said.',
            title="Count disputed",
        ),
        make_doc(
            'Tessa Marlow of the Brenner Institute said the figures were wrong. "The count is false," Marlow said.',
            title="Brenner Institute rejects figures",
        ),
        make_doc(
            'Talbot said the deal was dead. "It is over," Talbot told reporters on Monday.', title="Deal dead"
        ),
        make_doc("According to Talbot, the talks with the union failed.", title="Talks fail"),
        make_doc(
            'Officials in France said the bridge would reopen. "It is safe," said Jon Pell, the mayor.',
            title="Bridge",
        ),
    ]
    # a new document's "Kallen Institute" and its "Institute" (a generic name, which joins a longer name in its
    # own document only: the old first document's "Institute" stays apart); another's "Troops entered Talbot"
    # makes Talbot a place (a new type, so a new entity id), which reaches old documents
    alias = make_doc(
        'Ivo Rask, director of the Kallen Institute, said the Institute disagreed. "This is wrong," Rask said.',
        title="Kallen Institute disagrees",
    )
    place = make_doc(
        "Troops entered Talbot on Tuesday. Flights to Talbot resumed, and the airport in Talbot reopened.",
        title="Troops in Talbot",
    )
    with Store.open(tmp_path / "cg.db") as store:
        before = _attribute(old, store)
        assert scanmemo.LAST.memo and scanmemo.LAST.scanned == len(old)
        for new in ([alias], [place]):
            docs = [*old, *new]
            grown = _attribute(docs, store)
            stats = scanmemo.LAST
            scratch = _attribute(docs, None)
            assert grown.to_dict() == scratch.to_dict()
            assert stats.new == 1 and stats.reused > 0
            old = docs
        assert stats.scanned > stats.new  # a new place's name: old documents that name it scanned again
        # the two changes did reach old documents' results
        talbot = [e for e in grown.entities if e.name == "Talbot"]
        assert [e.type for e in talbot] == ["location"]
        assert [e.type for e in before.entities if e.name == "Talbot"] == ["organization"]
        institute = {e.name for e in grown.entities if any(a.name == "Institute" for a in e.aliases)}
        assert institute == {"Kallen Institute"}
        # nothing changed: everything is read back, same result
        again = _attribute(old, store)
        assert (scanmemo.LAST.reused, scanmemo.LAST.scanned) == (len(old), 0)
        assert again.to_dict() == grown.to_dict()


def test_the_scan_split_over_forked_workers_gives_the_one_process_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(5)
    docs = _docs(rng, 40, "w")
    ents = [_entity(rng, [d.id for d in docs], n) for n in range(10)]
    rows = []
    for jobs in (1, 2):
        monkeypatch.setattr(scanmemo, "MIN_DOCUMENTS_PER_WORKER", 1)
        with Store.open(tmp_path / f"j{jobs}.db") as store:
            scanmemo.scan_documents(AliasMatcher(ents), docs, store, "test", jobs)
            rows.append(scanmemo.rows_of(store, "test", [d.id for d in docs]))
        assert parallel.RUNS["gazetteer-scan"].chunks == jobs  # two slices in two workers
    assert rows[0] == rows[1] and len(rows[0]) == len(docs)


def test_without_a_store_the_spans_are_looked_up_in_workers_as_before(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from claimgraph.attribution import stage

    docs = [
        make_doc('"The count is false," Tessa Marlow of the Brenner Institute told the Tessin Gazette.'),
        make_doc('Officials in France said the bridge would reopen. "It is safe," said Jon Pell, the mayor.'),
        make_doc("According to Talbot, the talks with the union failed, the Institute said."),
    ]
    one = _attribute(docs, None)
    monkeypatch.setattr(stage, "MIN_SPANS_PER_WORKER", 1)
    two = Corpus(documents=list(docs))
    attribute(two, Options(n_process=2, progress=False), None)
    assert parallel.RUNS["entities"].processes == 2 and not scanmemo.LAST.memo
    assert any(s.entity_ids for s in one.statements) and one.to_dict() == two.to_dict()
