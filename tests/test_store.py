"""The workspace store: idempotence by content hash, transactions, round trips, annotation cache, error mapping.

Tests that take the ``store_url`` fixture are portable: tests/test_postgres.py runs them again against a
real PostgreSQL server.
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
import sqlalchemy as sa

from claimgraph.errors import InputProblem, StoreError
from claimgraph.model import Corpus, Entity, Statement
from claimgraph.store import SCHEMA_VERSION, Store, default_db_url, mask_url, normalise_url

# ---------------------------------------------------------------------------- documents


def test_add_document_is_idempotent_and_new_documents_add_only_themselves(store_url: str, make_doc) -> None:
    docs = [make_doc(n) for n in range(3)]
    with Store.open(store_url) as store:
        assert [store.add_document(d) for d in docs] == [True, True, True]
        assert [store.add_document(d) for d in docs] == [False, False, False]
        assert store.count_documents() == 3
    # a later run (new connection) adds only the new document
    with Store.open(store_url) as store:
        again = [make_doc(n) for n in range(4)]
        assert [store.add_document(d) for d in again] == [False, False, False, True]
        assert [d.id for d in store.documents()] == ["doc-0000", "doc-0001", "doc-0002", "doc-0003"]
        assert store.counts()["documents"] == 4


def test_documents_round_trip_sorted_by_id(store_url: str, make_doc, full_corpus: Corpus) -> None:
    with Store.open(store_url) as store:
        for doc in reversed(full_corpus.documents):
            assert store.add_document(doc)
        loaded = store.documents()
    assert [d.id for d in loaded] == ["doc-a", "doc-b"]
    assert [d.to_dict() for d in loaded] == [d.to_dict() for d in full_corpus.documents]
    assert loaded[0].removed.boilerplate_lines == ["Sign up for our newsletter"]
    assert loaded[0].encoding == "windows-1252"


def test_empty_content_hash_is_computed_from_content(store_url: str, make_doc) -> None:
    first = make_doc(1, text="Jane Roe said the port of Kestria reopened.")
    same = make_doc(1, text="Jane Roe said the port of Kestria reopened.")
    other = make_doc(2, text="John Doe said the port of Kestria stayed shut.")
    with Store.open(store_url) as store:
        assert store.add_document(first)
        assert len(first.content_hash) == 64
        assert not store.add_document(same)
        assert same.content_hash == first.content_hash
        assert store.add_document(other)
        assert other.content_hash != first.content_hash


def test_same_id_with_new_content_replaces_document_and_drops_its_cache(store_url: str, make_doc) -> None:
    old = make_doc(1, doc_id="doc-x", text="Old text about Veloria.")
    new = make_doc(1, doc_id="doc-x", text="New text about Veloria and Kestria.")
    with Store.open(store_url) as store:
        assert store.add_document(old)
        store.put_annotation("doc-x", "nlp", {"sentences": 1})
        assert store.add_document(new)
        docs = store.documents()
        assert [d.text for d in docs] == ["New text about Veloria and Kestria."]
        assert store.get_annotation("doc-x", "nlp") is None


def test_set_duplicates(store_url: str, make_doc) -> None:
    with Store.open(store_url) as store:
        for n in range(3):
            store.add_document(make_doc(n))
        store.set_duplicates({"doc-0002": "doc-0000"})
        assert {d.id: d.duplicate_of for d in store.documents()} == {
            "doc-0000": None,
            "doc-0001": None,
            "doc-0002": "doc-0000",
        }
        store.set_duplicates({})
        assert all(d.duplicate_of is None for d in store.documents())


# ---------------------------------------------------------------------------- problems


def test_problems_belong_to_the_latest_run(store_url: str) -> None:
    broken = InputProblem(path="in/z.jsonl", code="E008", reason="malformed JSON on line 2: Expecting value")
    missing = InputProblem(path="in/a.txt", code="E001", reason="path does not exist")
    with Store.open(store_url) as store:
        store.begin_run()
        store.add_problem(broken)
        store.add_problem(missing)
        assert store.problems() == [missing, broken]
    with Store.open(store_url) as store:
        assert store.problems() == [missing, broken]
        store.begin_run()
        assert store.problems() == []


# ---------------------------------------------------------------------------- analysis


def test_save_and_load_analysis_round_trip(store_url: str, full_corpus: Corpus) -> None:
    with Store.open(store_url) as store:
        for doc in full_corpus.documents:
            store.add_document(doc)
        store.set_duplicates({d.id: d.duplicate_of for d in full_corpus.documents})
        for problem in full_corpus.problems:
            store.add_problem(InputProblem(**problem))
        store.save_analysis(full_corpus)
    with Store.open(store_url) as store:
        loaded = store.load_corpus()
    assert loaded.to_dict() == full_corpus.to_dict()
    assert loaded.claims[0].grade.admiralty == "F4"
    assert loaded.entities[0].aliases[0].rule in {"surname", "fuzzy"}


def test_key_columns_are_queryable(store_url: str, full_corpus: Corpus) -> None:
    with Store.open(store_url) as store:
        store.save_analysis(full_corpus)
        url = store.url
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            disputes = (
                conn.execute(sa.text("SELECT id FROM statements WHERE stance = 'disputes'")).scalars().all()
            )
            in_claim = conn.execute(
                sa.text("SELECT count(*) FROM statements WHERE claim_id = 'cl-1'")
            ).scalar_one()
            by_doc = conn.execute(
                sa.text("SELECT count(*) FROM statements WHERE document_id = 'doc-a'")
            ).scalar_one()
            admiralty = conn.execute(sa.text("SELECT admiralty, circular FROM claims")).one()
            kinds = conn.execute(sa.text("SELECT kind FROM sources ORDER BY id")).scalars().all()
    finally:
        engine.dispose()
    assert disputes == ["st-2"]
    assert in_claim == 2
    assert by_doc == 3
    assert admiralty[0] == "F4" and bool(admiralty[1]) is True
    assert kinds == ["anonymous", "person", "outlet"]


def test_save_analysis_replaces_the_previous_analysis(store_url: str, full_corpus: Corpus) -> None:
    smaller = Corpus(
        entities=[Entity(id="ent-kestria", name="Kestria", type="location")], network={"nodes": []}
    )
    with Store.open(store_url) as store:
        store.save_analysis(full_corpus)
        store.save_analysis(smaller)
        loaded = store.load_corpus()
        counts = store.counts()
    assert [e.id for e in loaded.entities] == ["ent-kestria"]
    assert loaded.statements == [] and loaded.claims == [] and loaded.relations == []
    assert loaded.network == {"nodes": []} and loaded.timeline == []
    assert counts["statements"] == 0 and counts["entities"] == 1


def test_save_analysis_writes_only_the_rows_that_changed(store_url: str, full_corpus: Corpus) -> None:
    total = sum(
        len(rows)
        for rows in (
            full_corpus.entities,
            full_corpus.sources,
            full_corpus.statements,
            full_corpus.claims,
            full_corpus.relations,
        )
    )
    with Store.open(store_url) as store:
        first = store.save_analysis(full_corpus)
        assert first["inserted"] == total + 3  # + analysis marker, network, timeline
        assert store.save_analysis(full_corpus) == {
            "inserted": 0,
            "updated": 0,
            "deleted": 0,
            "unchanged": total + 3,
        }
        changed = Corpus.from_dict(full_corpus.to_dict())
        changed.statements[0].text = "a corrected statement"
        gone = changed.relations.pop()
        changed.entities.append(Entity(id="ent-new", name="Tarvan Mills", type="organization"))
        stats = store.save_analysis(changed)
        loaded = store.load_corpus()
    assert stats == {"inserted": 1, "updated": 1, "deleted": 1, "unchanged": total + 3 - 2}
    assert "a corrected statement" in {s.text for s in loaded.statements}
    assert gone.id not in {r.id for r in loaded.relations}
    assert "ent-new" in {e.id for e in loaded.entities}
    changed.sort()
    loaded.documents, loaded.problems = changed.documents, changed.problems
    assert loaded.to_dict() == changed.to_dict()


def _analysis_rows(store: Store) -> dict[str, list[tuple[object, ...]]]:
    """Every column of every analysis table, ``data`` as its stored text."""
    from claimgraph.store._tables import ANALYSIS_TABLES

    out = {}
    with store._engine.connect() as conn:
        for table in ANALYSIS_TABLES:
            columns = [sa.cast(c, sa.Text) if c.name == "data" else c for c in table.columns]
            out[table.name] = [
                tuple(r) for r in conn.execute(sa.select(*columns).order_by(*table.primary_key))
            ]
    return out


def test_rows_saved_over_an_analysis_equal_rows_saved_afresh(store_url: str, full_corpus: Corpus) -> None:
    """A save over a stored analysis writes only the rows that changed, building a row only for them; every
    column of every row (the key columns too: a statement's stance and claim, a claim's grade) is then what a
    save of the same analysis into empty tables writes. Random edits, several rounds."""
    import random

    rng = random.Random(5)
    with Store.open(store_url) as store:
        store.save_analysis(full_corpus)
        current = Corpus.from_dict(full_corpus.to_dict())
        for _round in range(6):
            current = Corpus.from_dict(current.to_dict())
            statement = rng.choice(current.statements)
            statement.stance = rng.choice(["supports", "disputes", None])
            statement.claim_id = rng.choice([None, *(c.id for c in current.claims)])
            claim = rng.choice(current.claims)
            claim.grade.credibility = rng.randrange(1, 7)
            claim.grade.admiralty = f"{claim.grade.reliability}{claim.grade.credibility}"
            claim.independent_sources = rng.randrange(4)
            entity = rng.choice(current.entities)
            entity.mentions += 1
            entity.community = rng.choice([None, 0, 3])
            source = rng.choice(current.sources)
            source.label = f"{source.label}{_round}"
            if current.relations and rng.random() < 0.5:
                current.relations.pop()
            store.save_analysis(current, extra={"round": _round})
            saved = _analysis_rows(store)
            store.save_analysis(Corpus(), extra={})
            store.save_analysis(current, extra={"round": _round})
            assert _analysis_rows(store) == saved


def test_rows_are_written_as_the_json_of_their_plain_dicts(full_corpus: Corpus) -> None:
    """The store's row serialiser writes a record from its fields (the instance's own ``__dict__`` when that
    holds exactly the fields, in order) with the same text as ``to_dict`` then orjson, and the same values,
    keys in the same order, as ``to_dict`` then ``json.dumps``: an attribute that is not a field, and a field
    whose attribute was deleted and set again (now last in ``__dict__``), change nothing."""
    import json

    import orjson

    from claimgraph.store._store import _dumps, _record_json

    records = [*full_corpus.entities, *full_corpus.sources, *full_corpus.statements, *full_corpus.claims]
    records += full_corpus.relations
    for record in records:
        text = _record_json(record)
        assert text == orjson.dumps(record.to_dict()).decode("utf-8")
        values, plain = json.loads(text), json.loads(_dumps(record.to_dict()))
        assert values == plain
        assert list(values) == list(plain)
    statement = Statement.from_dict(full_corpus.statements[0].to_dict())
    expected = orjson.dumps(statement.to_dict()).decode("utf-8")
    statement.scratch = "not a field"  # type: ignore[attr-defined]
    assert _record_json(statement) == expected
    del statement.scratch  # type: ignore[attr-defined]
    text = statement.text
    del statement.text
    statement.text = text  # the same fields and values, in another order in __dict__
    assert list(vars(statement))[-1] == "text"
    assert _record_json(statement) == expected


def test_row_json_falls_back_to_json_for_what_orjson_refuses() -> None:
    """An integer past 64 bits (orjson refuses it) is written by ``json`` and read back; text that orjson
    refuses but ``json`` reads (``NaN``, written by older versions) is read by ``json``; text that is no JSON
    is still a ``ValueError``."""
    import math

    from claimgraph.store._store import _as_json, _record_json

    big = {"n": 1 << 70, "name": "Ünïcode"}
    assert _as_json(_record_json(big)) == big
    assert math.isnan(_as_json('{"x": NaN}')["x"])
    assert _as_json('{"a": [1, 2.5, "\\u00e9"]}') == {"a": [1, 2.5, "\u00e9"]}
    assert _as_json('["\\ud800"]') == ["\ud800"]  # a lone surrogate: orjson refuses it, json reads it
    with pytest.raises(ValueError):
        _as_json("{not json")


def test_save_analysis_keeps_extra_corpus_values(store_url: str, full_corpus: Corpus) -> None:
    with Store.open(store_url) as store:
        store.save_analysis(full_corpus, extra={"fingerprint": "abc", "stage_problems": [{"path": "x"}]})
        assert store.corpus_value("fingerprint") == "abc"
        assert store.corpus_value("stage_problems") == [{"path": "x"}]
        store.save_analysis(full_corpus)
        assert store.corpus_value("fingerprint") is None  # the analysis it described is gone
        assert store.corpus_value("missing") is None


def test_save_analysis_is_one_transaction(store_url: str, full_corpus: Corpus) -> None:
    """A failure half-way through leaves the previous analysis intact."""
    broken = Corpus.from_dict(full_corpus.to_dict())
    clash = Statement.from_dict(broken.statements[0].to_dict())
    clash.text = "a different statement with a clashing id"
    broken.statements.append(clash)  # duplicate primary key -> the insert fails after others succeeded
    broken.entities.append(Entity(id="ent-new", name="Kestria", type="location"))
    with Store.open(store_url) as store:
        store.save_analysis(full_corpus)
        with pytest.raises(StoreError) as info:
            store.save_analysis(broken)
        loaded = store.load_corpus()
    assert "[E201]" in str(info.value) and "\n" not in str(info.value)
    assert [s.id for s in loaded.statements] == [s.id for s in full_corpus.statements]
    assert "ent-new" not in {e.id for e in loaded.entities}


def test_load_corpus_before_any_analysis_is_a_coded_error(store_url: str, make_doc) -> None:
    with Store.open(store_url) as store:
        store.add_document(make_doc(1))
        with pytest.raises(StoreError) as info:
            store.load_corpus()
    message = str(info.value)
    assert message.startswith("[E203]") and "claimgraph analyze" in message and "\n" not in message


def test_open_without_create_refuses_a_missing_sqlite_file(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as info:
        Store.open(tmp_path / "missing.db", create=False)
    assert str(info.value).startswith("[E204]")
    assert not (tmp_path / "missing.db").exists()
    with Store.open(tmp_path / "made.db"):
        pass
    with Store.open(tmp_path / "made.db", create=False) as store:
        assert store.count_documents() == 0


@pytest.mark.parametrize("readonly", [False, True])
def test_sqlite_connections_read_through_a_large_cache_and_a_memory_map(
    tmp_path: Path, readonly: bool
) -> None:
    from claimgraph.store._store import SQLITE_CACHE_KIB, SQLITE_MMAP_BYTES

    with Store.open(tmp_path / "w.db"):
        pass
    with Store.open(tmp_path / "w.db", readonly=readonly) as store, store._engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA cache_size").scalar_one() == -SQLITE_CACHE_KIB
        assert conn.exec_driver_sql("PRAGMA mmap_size").scalar_one() == SQLITE_MMAP_BYTES
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"


# ---------------------------------------------------------------------------- annotation cache


def test_annotation_cache(store_url: str) -> None:
    payload = {
        "sentences": [[0, 42]],
        "ents": [{"text": "Jane Roe", "label": "PERSON"}],
        "note": "Veloria – Kestria",
    }
    with Store.open(store_url) as store:
        assert store.get_annotation("doc-1", "nlp.v1") is None
        store.put_annotation("doc-1", "nlp.v1", payload)
        store.put_annotation("doc-2", "nlp.v1", {"sentences": []})
        assert store.get_annotation("doc-1", "nlp.v1") == payload
        store.put_annotation("doc-1", "nlp.v1", {"sentences": [[0, 10]]})
        assert store.get_annotation("doc-1", "other") is None
    with Store.open(store_url) as store:
        assert store.get_annotation("doc-1", "nlp.v1") == {"sentences": [[0, 10]]}
        assert store.get_annotation("doc-2", "nlp.v1") == {"sentences": []}
        assert store.counts()["annotations"] == 2


def test_meta_records_the_schema_version(store_url: str) -> None:
    with Store.open(store_url) as store:
        assert store.schema_version() == SCHEMA_VERSION
    with Store.open(store_url) as store:  # reopening an existing store works
        assert store.schema_version() == SCHEMA_VERSION


def test_incompatible_schema_version_is_refused(store_url: str) -> None:
    with Store.open(store_url) as store:
        url = store.url
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE meta SET value = '999' WHERE key = 'schema_version'"))
    engine.dispose()
    with pytest.raises(StoreError) as info:
        Store.open(store_url)
    message = str(info.value)
    assert message.startswith("[E202]") and "999" in message and f"expected {SCHEMA_VERSION}" in message


def test_database_with_foreign_tables_is_refused(store_url: str) -> None:
    engine = sa.create_engine(normalise_url(store_url))
    if store_url.startswith("sqlite"):
        Path(store_url.split(":///", 1)[1]).parent.mkdir(parents=True, exist_ok=True)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE invoices (id INTEGER PRIMARY KEY)"))
    engine.dispose()
    with pytest.raises(StoreError, match=r"^\[E201\] .*not claimgraph's \(invoices\)"):
        Store.open(store_url)


# ---------------------------------------------------------------------------- urls and error mapping


def test_urls() -> None:
    assert default_db_url(Path("/data/out")) == "sqlite:////data/out/claimgraph.db"
    assert (
        normalise_url("out/claimgraph.db") == f"sqlite:///{(Path.cwd() / 'out' / 'claimgraph.db').as_posix()}"
    )
    assert normalise_url("postgresql://u:p@h/db") == "postgresql+psycopg://u:p@h/db"
    assert normalise_url("postgres://u@h:5433/db") == "postgresql+psycopg://u@h:5433/db"
    assert normalise_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url("sqlite:///x.db") == "sqlite:///x.db"
    assert (
        mask_url("postgresql+psycopg://ann:s3cret@db.example:5432/cg")
        == "postgresql+psycopg://ann:***@db.example:5432/cg"
    )
    assert mask_url("postgresql://ann@h/db") == "postgresql://ann@h/db"


def test_bare_path_creates_sqlite_store_and_its_folder(tmp_path: Path, make_doc) -> None:
    path = tmp_path / "nested" / "deeper" / "ws.db"
    with Store.open(path) as store:
        assert store.add_document(make_doc(1))
    assert path.is_file()
    with Store.open(str(path)) as store:
        assert store.count_documents() == 1


def test_unreachable_postgres_is_a_one_line_error_with_masked_password() -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(StoreError) as info:
        Store.open(f"postgresql://ann:s3cret@127.0.0.1:{port}/cg?connect_timeout=2")
    message = str(info.value)
    assert message.startswith("[E201] cannot open workspace store postgresql+psycopg://ann:***@127.0.0.1")
    assert "s3cret" not in message
    assert "refused" in message.lower()
    assert "\n" not in message


def test_file_that_is_not_a_database_is_a_one_line_error(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.db"
    bogus.write_text("Jane Roe's notes on Veloria, not a database. " * 50, encoding="utf-8")
    with pytest.raises(StoreError) as info:
        Store.open(bogus)
    message = str(info.value)
    assert message.startswith("[E201]") and "notes.db" in message and "not a database" in message
    assert "\n" not in message


def test_unknown_driver_is_a_store_error() -> None:
    with pytest.raises(StoreError, match=r"^\[E201\] cannot open workspace store nosuchdb://x: "):
        Store.open("nosuchdb://x")


def test_store_keeps_http_entries_and_hands_back_documents(store_url: str, make_doc) -> None:
    url = "https://news.example/" + "a" * 3000  # long URLs are fine
    doc = make_doc(1)
    with Store.open(store_url) as store:
        assert store.get_http_entry(url) is None
        store.add_document(doc)
        store.put_http_entry(url, {"etag": '"x"', "documents": [doc.id]})
        store.put_http_entry(url, {"etag": '"y"', "documents": [doc.id]})
    with Store.open(store_url) as store:
        assert store.get_http_entry(url) == {"etag": '"y"', "documents": [doc.id]}
        assert [d.id for d in store.documents_by_id(["missing", doc.id])] == [doc.id]


def test_put_annotations_replaces_and_adds_as_put_annotation_does(store_url: str) -> None:
    """Many entries in one call (one delete per entry as an executemany, then one insert): each replaces
    the value under its own document and key only, across the 500-entry parts."""
    with Store.open(store_url) as store:
        store.put_annotation("doc-0", "nlp.v1", {"n": -1})
        store.put_annotation("doc-0", "nlp.v0", {"n": -2})
        store.put_annotations(
            [(f"doc-{n}", "nlp.v1", {"n": n, "t": "Veloria – Kestria"}) for n in range(1203)]
        )
        store.put_annotations([("doc-5", "nlp.v1", {"n": 55})])
        store.put_annotations([])
        found = store.get_annotations({f"doc-{n}": "nlp.v1" for n in range(1205)})
        assert store.get_annotation("doc-0", "nlp.v0") == {"n": -2}
        assert store.counts()["annotations"] == 1204
    assert found == {
        f"doc-{n}": ({"n": 55} if n == 5 else {"n": n, "t": "Veloria – Kestria"}) for n in range(1203)
    }


def test_get_annotations_reads_many_documents_under_their_own_keys(store_url: str) -> None:
    with Store.open(store_url) as store:
        for n in range(3):
            store.put_annotation(f"doc-{n}", f"nlp.v1:{n}", {"n": n})
        store.put_annotation("doc-1", "nlp.v1:old", {"n": -1})
        found = store.get_annotations(
            {"doc-0": "nlp.v1:0", "doc-1": "nlp.v1:1", "doc-2": "nlp.v1:1", "doc-9": "x"}
        )
    assert found == {"doc-0": {"n": 0}, "doc-1": {"n": 1}}  # doc-2 has no entry under the key asked


def test_annotations_by_the_values_join_and_by_the_in_list_agree(
    store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``get_annotations`` and ``annotated`` find the same entries whether the pairs are joined as a ``VALUES``
    list (the drivers' parameter styles it is written for) or asked with ``(document_id, key) IN`` (any other
    driver): over several batches of 500, with entries under other keys and documents without one."""
    from claimgraph.store import _store

    with Store.open(store_url) as store:
        store.put_annotations(
            [(f"doc-{n}", f"sig:{n % 7}", {"n": n, "t": "Veloria – Kestria"}) for n in range(1203)]
            + [(f"doc-{n}", "other", {"n": -n}) for n in range(0, 1203, 5)]
        )
        wanted = {f"doc-{n}": f"sig:{n % 7 if n % 11 else 99}" for n in range(1300)}
        wanted |= {f"doc-{n}": "other" for n in range(0, 1300, 25)}
        joined = store.get_annotations(wanted), store.annotated(wanted)
        monkeypatch.setattr(_store, "_MARKERS", {})
        listed = store.get_annotations(wanted), store.annotated(wanted)
    expected = {
        f"doc-{n}": ({"n": -n} if n % 25 == 0 else {"n": n, "t": "Veloria – Kestria"})
        for n in range(1203)
        if n % 25 == 0 or n % 11
    }
    assert joined == listed == (expected, set(expected))


def test_input_file_entries_annotations_and_document_removal(store_url: str, make_doc) -> None:
    """What incremental ingest keeps: input file entries (replaced by path), annotations written in one batch,
    documents removed with their annotations, and the stored documents by path."""
    with Store.open(store_url) as store:
        docs = [make_doc(i) for i in (1, 2, 3)]
        for doc in docs:
            assert store.add_document(doc)
        entry = {"key": "k", "size": 10, "mtime_ns": 5, "documents": [docs[0].id], "problems": []}
        store.put_input_files({"in/a.txt": entry, "in/b.jsonl": {**entry, "documents": [docs[1].id]}})
        store.put_input_files({"in/a.txt": {**entry, "size": 11}})
        files = store.input_files()
        assert sorted(files) == ["in/a.txt", "in/b.jsonl"] and files["in/a.txt"]["size"] == 11
        assert store.input_files(["in/b.jsonl", "in/none.txt"]) == {"in/b.jsonl": files["in/b.jsonl"]}
        assert store.input_files([]) == {}
        store.put_annotations([(d.id, "sig:1", {"n": i}) for i, d in enumerate(docs)])
        store.put_annotations([(docs[0].id, "sig:1", {"n": 9})])
        assert store.get_annotations({d.id: "sig:1" for d in docs}) == {
            docs[0].id: {"n": 9},
            docs[1].id: {"n": 1},
            docs[2].id: {"n": 2},
        }
        assert store.document_paths()[docs[1].path] == [docs[1].id]
        everything = store.document_paths()
        assert store.document_paths([docs[1].path, "nowhere"]) == {docs[1].path: everything[docs[1].path]}
        assert store.remove_documents([docs[1].id, "doc-missing"]) == 1
        assert [d.id for d in store.documents()] == [docs[0].id, docs[2].id]
        assert store.get_annotations({d.id: "sig:1" for d in docs}) == {
            docs[0].id: {"n": 9},
            docs[2].id: {"n": 2},
        }


def test_get_memos_reads_the_same_entries_by_key_or_by_namespace(store_url: str) -> None:
    # asked for many keys, get_memos reads the whole namespace when it holds at most twice as many entries
    # (claimgraph.store._store._WHOLE_NAMESPACE_KEYS): the same answer as asking key by key, nothing of
    # another namespace, nothing not asked, a damaged entry a miss (SQLite: PostgreSQL's json column refuses one)
    import random

    from claimgraph.store import _store

    rng = random.Random(7)
    stored = {f"k{n:05d}": [n, f"v{n}"] for n in range(3000)}
    damaged = "k00003" if store_url.startswith("sqlite") else ""
    with Store.open(store_url) as store:
        store.replace_memos("ns:a", stored)
        store.replace_memos("ns:b", {k: ["other"] for k in list(stored)[:2500]})
        if damaged:
            with store._engine.begin() as conn:
                conn.execute(
                    sa.update(_store.t.memo)
                    .where(_store.t.memo.c.namespace == "ns:a", _store.t.memo.c.key == damaged)
                    .values(data=sa.literal("{not json"))
                )
        for asked in (
            [*rng.sample(sorted(stored), 2200), "missing1", "missing2"],  # scans the namespace
            rng.sample(sorted(stored), 1000),  # fewer than _WHOLE_NAMESPACE_KEYS: by key
            [*stored, "k00003"],
        ):
            got = store.get_memos("ns:a", asked)
            expected = {k: stored[k] for k in asked if k in stored and k != damaged}
            assert got == expected
        assert store.get_memos("ns:b", list(stored)) == {k: ["other"] for k in list(stored)[:2500]}
        assert store.get_memos("ns:c", list(stored)) == {}


def test_replace_memos_keeps_the_values_given_and_adds_the_new_ones_in_key_order(store_url: str) -> None:
    # only the keys not stored are sorted and inserted (in key order, as sorting every (key, value) pair did)
    import random

    from claimgraph.store import _store

    rng = random.Random(5)
    first = {f"k{n:04d}": [n] for n in rng.sample(range(2000), 1200)}
    second = {
        **{k: v for k, v in first.items() if rng.random() < 0.7},
        **{f"k{n:04d}": [n] for n in range(2000, 2300)},
    }
    keys = list(second)
    rng.shuffle(keys)
    with Store.open(store_url) as store:
        store.replace_memos("ns:a", first)
        store.replace_memos("ns:a", {k: second[k] for k in keys})
        assert store.get_memos("ns:a", [*first, *second]) == second
        if not store_url.startswith("sqlite"):
            return  # the insertion order read by SQLite's rowid
        memo = _store.t.memo
        with store._engine.connect() as conn:
            rows = conn.execute(
                sa.select(memo.c.key).where(memo.c.namespace == "ns:a").order_by(sa.literal_column("rowid"))
            ).scalars()
            added = [k for k in rows if k not in first]
        assert added == sorted(set(second) - set(first))


def test_memos_of_other_code_versions_are_dropped_after_a_run(tmp_path: Path) -> None:
    """``Store.drop_stale_memos`` deletes the code-keyed namespaces that name another fingerprint and keeps this
    version's, other prefixes and other configurations of this version; ``analyze`` calls it after saving."""
    from claimgraph.pipeline import CODE_KEYED_MEMOS, _code_fingerprint, analyze

    url = f"sqlite:///{(tmp_path / 'out' / 'claimgraph.db').as_posix()}"
    now = _code_fingerprint()[:16]
    with Store.open(url) as store:
        store.replace_memos(f"claims-text:{'0' * 16}:v2", {"a": 1})
        store.replace_memos(f"stance:claimgraph.fnc1_lightgbm.v1:{'1' * 16}", {"b": 2})
        store.replace_memos(f"claims-components:{now}:other.matcher.v1:0.7:v1", {"c": 3})
        store.replace_memos("vectors:some.model.v1:128:v1", {"d": 4})
        assert store.drop_stale_memos(CODE_KEYED_MEMOS, now) == 2
        assert store.get_memos(f"claims-text:{'0' * 16}:v2", ["a"]) == {}
        assert store.get_memos(f"claims-components:{now}:other.matcher.v1:0.7:v1", ["c"]) == {"c": 3}
        assert store.get_memos("vectors:some.model.v1:128:v1", ["d"]) == {"d": 4}
        store.replace_memos(f"claims-edges:{'2' * 16}:m:0.5:v1", {"e": 5})
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.txt").write_text(
        "Halvorsen Marine said on Monday it would cut 412 jobs at its Bergen yard.\n", encoding="utf-8"
    )
    analyze([inputs], db=url)
    with Store.open(url) as store:
        assert store.get_memos(f"claims-edges:{'2' * 16}:m:0.5:v1", ["e"]) == {}
        assert store.get_memos("vectors:some.model.v1:128:v1", ["d"]) == {"d": 4}
