"""The workspace store against a real PostgreSQL server (started on loopback by the ``postgres_server`` fixture).

Every portable store test of tests/test_store.py (those taking ``store_url``) runs again here with
``store_url`` pointing at a fresh PostgreSQL database; then ``claimgraph analyze --db postgresql://...``
runs end to end.
"""

from __future__ import annotations

import importlib.util
import inspect
import json
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from claimgraph.cli import cli
from claimgraph.store import Store

pytestmark = pytest.mark.postgres


def _load_store_tests() -> dict[str, object]:
    path = Path(__file__).with_name("test_store.py")
    spec = importlib.util.spec_from_file_location("_claimgraph_store_tests", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return {
        name: func
        for name, func in vars(module).items()
        if name.startswith("test_") and callable(func) and "store_url" in inspect.signature(func).parameters
    }


_PORTABLE = _load_store_tests()
globals().update(_PORTABLE)


@pytest.fixture
def store_url(postgres_url: str) -> str:
    return postgres_url


def test_portable_store_tests_were_collected() -> None:
    assert len(_PORTABLE) >= 10, sorted(_PORTABLE)
    assert "test_add_document_is_idempotent_and_new_documents_add_only_themselves" in _PORTABLE


def test_store_uses_postgresql_with_native_json(postgres_url: str, make_doc) -> None:
    with Store.open(postgres_url) as store:
        assert store.url.startswith("postgresql+psycopg://")
        store.add_document(make_doc(1))
        url = store.url
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            assert conn.dialect.name == "postgresql"
            column_type = conn.execute(
                sa.text(
                    "SELECT data_type FROM information_schema.columns "
                    "WHERE table_name = 'documents' AND column_name = 'data'"
                )
            ).scalar_one()
            authors = conn.execute(sa.text("SELECT data->'authors'->>0 FROM documents")).scalar_one()
    finally:
        engine.dispose()
    assert column_type == "json"
    assert authors == "Jane Roe"


def test_cli_analyze_end_to_end_on_postgresql(postgres_url: str, tmp_path: Path, write_articles) -> None:
    inputs = write_articles(tmp_path / "in", 4)
    out = tmp_path / "out"
    runner = CliRunner()
    args = [
        "analyze",
        str(tmp_path / "in"),
        "--out",
        str(out),
        "--db",
        postgres_url,
        "--format",
        "json",
        "--stages",
        "",
    ]
    first = runner.invoke(cli, args)
    assert first.exit_code == 0, first.output
    assert "read 4 document(s), 4 new" in first.output
    assert f"store: {postgres_url}" in first.stdout
    assert not (out / "claimgraph.db").exists()  # the store is the PostgreSQL database, not a SQLite file

    second = runner.invoke(cli, args)
    assert second.exit_code == 0, second.output
    assert "read 4 document(s), 0 new" in second.output

    with Store.open(postgres_url) as store:
        docs = store.documents()
        corpus = store.load_corpus()
    assert sorted(Path(d.path).name for d in docs) == sorted(p.name for p in inputs)
    data = json.loads((out / "claimgraph.json").read_text(encoding="utf-8"))
    assert (
        sorted(d["id"] for d in data["documents"]) == [d.id for d in docs] == [d.id for d in corpus.documents]
    )

    exported = runner.invoke(
        cli, ["export", "--db", postgres_url, "--format", "json", "--out", str(tmp_path / "exp")]
    )
    assert exported.exit_code == 0, exported.output
    again = json.loads((tmp_path / "exp" / "claimgraph.json").read_text(encoding="utf-8"))
    assert again == data


def test_full_analysis_on_postgresql_equals_sqlite(postgres_url: str, tmp_path: Path) -> None:
    """Every stage on the sample corpus, stored in PostgreSQL: same claimgraph.json as with SQLite, the
    annotation cache is used on a second run, and `export` reads the analysis back from the server."""
    from claimgraph.data import sample_corpus_path

    runner = CliRunner()
    common = ["--format", "json", "--frozen-time", "2026-01-01T00:00:00Z"]
    sample = str(sample_corpus_path())
    on_pg = runner.invoke(
        cli, ["analyze", sample, "--out", str(tmp_path / "pg"), "--db", postgres_url, *common]
    )
    assert on_pg.exit_code == 0, on_pg.output
    on_sqlite = runner.invoke(cli, ["analyze", sample, "--out", str(tmp_path / "lite"), *common])
    assert on_sqlite.exit_code == 0, on_sqlite.output
    pg_json = (tmp_path / "pg" / "claimgraph.json").read_text(encoding="utf-8")
    assert pg_json == (tmp_path / "lite" / "claimgraph.json").read_text(encoding="utf-8")
    assert json.loads(pg_json)["claims"], "the full pipeline ran"

    again = runner.invoke(
        cli, ["analyze", sample, "--out", str(tmp_path / "pg2"), "--db", postgres_url, *common]
    )
    assert again.exit_code == 0 and "0 new" in again.output
    assert (tmp_path / "pg2" / "claimgraph.json").read_text(encoding="utf-8") == pg_json

    exported = runner.invoke(
        cli, ["export", "--db", postgres_url, "--format", "json", "--out", str(tmp_path / "ex")]
    )
    assert exported.exit_code == 0, exported.output
    assert (tmp_path / "ex" / "claimgraph.json").read_text(encoding="utf-8") == pg_json
