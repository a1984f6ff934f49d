"""Full-text search over a workspace's documents (title and text) and statements.

- **SQLite**: FTS5 tables ``ws_fts_documents`` and ``ws_fts_statements`` with external content (views over
  the store's ``documents`` and ``statements``, so no text is stored twice), kept in step by triggers on
  those tables (any writer, even ``claimgraph analyze`` without the workspace, keeps them current); Porter
  stemming over ``unicode61`` tokens with diacritics removed; ranked by BM25.
- **PostgreSQL**: GIN expression indexes on ``to_tsvector('english', …)`` of the same text, queried with
  ``websearch_to_tsquery``; ranked by ``ts_rank``; snippets by ``ts_headline``.

A query is words (all must match, stemmed), ``"quoted phrases"`` and ``prefix*`` words; punctuation is
ignored, so no query is a syntax error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

__all__ = ["SearchHit", "ensure_search", "rebuild_search", "search"]

_START, _STOP = "\x02", "\x03"
#: Longest query accepted (characters); longer ones are cut.
MAX_QUERY = 500
#: Most words and phrases used from a query.
MAX_TERMS = 32


@dataclass(frozen=True)
class SearchHit:
    kind: str
    """``document`` or ``statement``."""
    id: str
    """The document's or the statement's id."""
    document_id: str
    title: str | None
    """The document's title."""
    snippet: str
    """A short passage around the matches (plain text: escape it before showing it as HTML)."""
    highlights: list[tuple[int, int]] = field(default_factory=list)
    """``(start, end)`` character offsets of the matched words in :attr:`snippet`."""
    score: float = 0.0
    """Higher is better (BM25 on SQLite, ``ts_rank`` on PostgreSQL: compare within one database only)."""
    source_id: str | None = None
    claim_id: str | None = None
    """For statements: who said it and the claim it belongs to."""


# ---------------------------------------------------------------------- set-up

_SQLITE_SETUP = (
    """CREATE VIEW IF NOT EXISTS ws_fts_documents_src AS
       SELECT rowid AS rowid, title, json_extract(data, '$.text') AS text FROM documents""",
    """CREATE VIEW IF NOT EXISTS ws_fts_statements_src AS
       SELECT rowid AS rowid, json_extract(data, '$.text') AS text FROM statements""",
    """CREATE VIRTUAL TABLE IF NOT EXISTS ws_fts_documents USING fts5(
       title, text, content='ws_fts_documents_src', content_rowid='rowid',
       tokenize='porter unicode61 remove_diacritics 2')""",
    """CREATE VIRTUAL TABLE IF NOT EXISTS ws_fts_statements USING fts5(
       text, content='ws_fts_statements_src', content_rowid='rowid',
       tokenize='porter unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER IF NOT EXISTS ws_fts_documents_ai AFTER INSERT ON documents BEGIN
       INSERT INTO ws_fts_documents(rowid, title, text)
       VALUES (new.rowid, new.title, json_extract(new.data, '$.text')); END""",
    """CREATE TRIGGER IF NOT EXISTS ws_fts_documents_ad AFTER DELETE ON documents BEGIN
       INSERT INTO ws_fts_documents(ws_fts_documents, rowid, title, text)
       VALUES ('delete', old.rowid, old.title, json_extract(old.data, '$.text')); END""",
    """CREATE TRIGGER IF NOT EXISTS ws_fts_documents_au AFTER UPDATE OF title, data ON documents BEGIN
       INSERT INTO ws_fts_documents(ws_fts_documents, rowid, title, text)
       VALUES ('delete', old.rowid, old.title, json_extract(old.data, '$.text'));
       INSERT INTO ws_fts_documents(rowid, title, text)
       VALUES (new.rowid, new.title, json_extract(new.data, '$.text')); END""",
    """CREATE TRIGGER IF NOT EXISTS ws_fts_statements_ai AFTER INSERT ON statements BEGIN
       INSERT INTO ws_fts_statements(rowid, text) VALUES (new.rowid, json_extract(new.data, '$.text')); END""",
    """CREATE TRIGGER IF NOT EXISTS ws_fts_statements_ad AFTER DELETE ON statements BEGIN
       INSERT INTO ws_fts_statements(ws_fts_statements, rowid, text)
       VALUES ('delete', old.rowid, json_extract(old.data, '$.text')); END""",
    """CREATE TRIGGER IF NOT EXISTS ws_fts_statements_au AFTER UPDATE OF data ON statements BEGIN
       INSERT INTO ws_fts_statements(ws_fts_statements, rowid, text)
       VALUES ('delete', old.rowid, json_extract(old.data, '$.text'));
       INSERT INTO ws_fts_statements(rowid, text) VALUES (new.rowid, json_extract(new.data, '$.text')); END""",
)

_PG_DOC_VECTOR = "to_tsvector('english', coalesce(title, '') || ' ' || coalesce(data->>'text', ''))"
_PG_STATEMENT_VECTOR = "to_tsvector('english', coalesce(data->>'text', ''))"
_PG_SETUP = (
    f"CREATE INDEX IF NOT EXISTS ws_fts_documents ON documents USING gin (({_PG_DOC_VECTOR}))",
    f"CREATE INDEX IF NOT EXISTS ws_fts_statements ON statements USING gin (({_PG_STATEMENT_VECTOR}))",
)


def ensure_search(store: Any) -> None:
    """Create the search index of ``store`` if it is missing (filling it from the stored rows)."""
    engine = store._engine
    dialect = engine.dialect.name
    with store._errors():
        if dialect == "sqlite":
            names = set(sa.inspect(engine).get_table_names())
            if "ws_fts_documents" in names and "ws_fts_statements" in names:
                return
            with engine.begin() as conn:
                for statement in _SQLITE_SETUP:
                    conn.exec_driver_sql(statement)
                conn.exec_driver_sql("INSERT INTO ws_fts_documents(ws_fts_documents) VALUES ('rebuild')")
                conn.exec_driver_sql("INSERT INTO ws_fts_statements(ws_fts_statements) VALUES ('rebuild')")
        elif dialect == "postgresql":
            with engine.begin() as conn:
                for statement in _PG_SETUP:
                    conn.exec_driver_sql(statement)


def rebuild_search(store: Any) -> None:
    """Rebuild the SQLite index from the stored rows (after ``VACUUM``, which may renumber rows)."""
    with store._errors(), store._engine.begin() as conn:
        if store._engine.dialect.name == "sqlite":
            conn.exec_driver_sql("INSERT INTO ws_fts_documents(ws_fts_documents) VALUES ('rebuild')")
            conn.exec_driver_sql("INSERT INTO ws_fts_statements(ws_fts_statements) VALUES ('rebuild')")


# ---------------------------------------------------------------------- queries

_TERM = re.compile(r'"([^"]*)"|(\w+)(\*)?')


def _terms(query: str) -> list[tuple[str, bool]]:
    """``(words, prefix)`` per phrase or word of ``query``: punctuation dropped, at most MAX_TERMS."""
    out: list[tuple[str, bool]] = []
    for match in _TERM.finditer(query[:MAX_QUERY]):
        if match.group(1) is not None:
            words = " ".join(re.findall(r"\w+", match.group(1)))
            if words:
                out.append((words, False))
        else:
            out.append((match.group(2), bool(match.group(3))))
    return out[:MAX_TERMS]


def _fts5_query(terms: list[tuple[str, bool]]) -> str:
    return " ".join(f'"{words}"' + ("*" if prefix else "") for words, prefix in terms)


def _pg_query(terms: list[tuple[str, bool]]) -> str:
    """A ``to_tsquery`` text: phrases with ``<->``, prefixes with ``:*``, all joined with ``&``."""
    parts = []
    for words, prefix in terms:
        tokens = [re.sub(r"\W", "", w) for w in words.split()]
        tokens = [t for t in tokens if t]
        if not tokens:
            continue
        phrase = " <-> ".join(f"'{t}'" for t in tokens)
        parts.append(phrase + (":*" if prefix else "") if len(tokens) == 1 else f"({phrase})")
    return " & ".join(parts)


def _marks(text: str) -> tuple[str, list[tuple[int, int]]]:
    """Strip the start/stop markers from a snippet; the marked spans as offsets into the clean text."""
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    start: int | None = None
    length = 0
    for char in text or "":
        if char == _START:
            start = length
        elif char == _STOP:
            if start is not None and length > start:
                spans.append((start, length))
            start = None
        else:
            out.append(char)
            length += 1
    return "".join(out), spans


def search(store: Any, query: str, *, kind: str = "all", limit: int = 20, offset: int = 0) -> list[SearchHit]:
    """Documents and/or statements matching ``query``, best first (``kind``: ``all``, ``documents``,
    ``statements``); ``all`` merges both by score. An empty query finds nothing."""
    terms = _terms(query)
    limit, offset = max(0, min(int(limit), 1000)), max(0, int(offset))
    if not terms or limit == 0:
        return []
    wanted = offset + limit
    hits: list[SearchHit] = []
    engine = store._engine
    with store._errors(), engine.connect() as conn:
        dialect = engine.dialect.name
        for what in ("documents", "statements"):
            if kind not in ("all", what):
                continue
            if dialect == "sqlite":
                hits.extend(_sqlite(conn, what, _fts5_query(terms), wanted))
            elif dialect == "postgresql":
                text = _pg_query(terms)
                if text:
                    hits.extend(_postgres(conn, what, text, wanted))
            else:
                hits.extend(_like(conn, what, terms, wanted))
    hits.sort(key=lambda h: (-h.score, h.kind, h.id))
    return hits[offset:wanted]


def _sqlite(conn: Any, what: str, match: str, wanted: int) -> list[SearchHit]:
    if what == "documents":
        sql = """
            SELECT d.id, d.title, snippet(ws_fts_documents, -1, char(2), char(3), '…', 24) AS snip,
                   -bm25(ws_fts_documents, 2.0, 1.0) AS score
            FROM ws_fts_documents JOIN documents d ON d.rowid = ws_fts_documents.rowid
            WHERE ws_fts_documents MATCH :q ORDER BY bm25(ws_fts_documents, 2.0, 1.0), d.id LIMIT :n"""
        rows = conn.execute(sa.text(sql), {"q": match, "n": wanted}).all()
        return [_hit("document", r.id, r.id, r.title, r.snip, r.score) for r in rows]
    sql = """
        SELECT s.id, s.document_id, s.source_id, s.claim_id, d.title,
               snippet(ws_fts_statements, 0, char(2), char(3), '…', 40) AS snip,
               -bm25(ws_fts_statements) AS score
        FROM ws_fts_statements JOIN statements s ON s.rowid = ws_fts_statements.rowid
        LEFT JOIN documents d ON d.id = s.document_id
        WHERE ws_fts_statements MATCH :q ORDER BY bm25(ws_fts_statements), s.id LIMIT :n"""
    rows = conn.execute(sa.text(sql), {"q": match, "n": wanted}).all()
    return [
        _hit("statement", r.id, r.document_id, r.title, r.snip, r.score, r.source_id, r.claim_id)
        for r in rows
    ]


def _postgres(conn: Any, what: str, tsquery: str, wanted: int) -> list[SearchHit]:
    options = "StartSel=\x02, StopSel=\x03, MaxWords=35, MinWords=12, MaxFragments=1, FragmentDelimiter=…"
    if what == "documents":
        sql = f"""
            SELECT hit.id, hit.title, hit.score,
                   ts_headline('english', coalesce(hit.title, '') || ' — ' || coalesce(d.data->>'text', ''),
                               to_tsquery('english', :q), :opts) AS snip
            FROM (SELECT id, title, ts_rank({_PG_DOC_VECTOR}, to_tsquery('english', :q)) AS score
                  FROM documents WHERE {_PG_DOC_VECTOR} @@ to_tsquery('english', :q)
                  ORDER BY score DESC, id LIMIT :n) AS hit
            JOIN documents d ON d.id = hit.id ORDER BY hit.score DESC, hit.id"""
        rows = conn.execute(sa.text(sql), {"q": tsquery, "n": wanted, "opts": options}).all()
        return [_hit("document", r.id, r.id, r.title, r.snip, float(r.score)) for r in rows]
    sql = f"""
        SELECT hit.id, s.document_id, s.source_id, s.claim_id, d.title, hit.score,
               ts_headline('english', coalesce(s.data->>'text', ''), to_tsquery('english', :q), :opts) AS snip
        FROM (SELECT id, ts_rank({_PG_STATEMENT_VECTOR}, to_tsquery('english', :q)) AS score
              FROM statements WHERE {_PG_STATEMENT_VECTOR} @@ to_tsquery('english', :q)
              ORDER BY score DESC, id LIMIT :n) AS hit
        JOIN statements s ON s.id = hit.id LEFT JOIN documents d ON d.id = s.document_id
        ORDER BY hit.score DESC, hit.id"""
    rows = conn.execute(sa.text(sql), {"q": tsquery, "n": wanted, "opts": options}).all()
    return [
        _hit("statement", r.id, r.document_id, r.title, r.snip, float(r.score), r.source_id, r.claim_id)
        for r in rows
    ]


def _like(conn: Any, what: str, terms: list[tuple[str, bool]], wanted: int) -> list[SearchHit]:
    """Any other database: every term as a case-insensitive substring (no ranking, no stemming)."""
    from ..store import _tables as t

    table = t.documents if what == "documents" else t.statements
    text = sa.cast(table.c.data, sa.Text)
    query = sa.select(table.c.id, text).order_by(table.c.id).limit(wanted)
    for words, _ in terms:
        query = query.where(sa.func.lower(text).contains(words.lower(), autoescape=True))
    hits = []
    for ident, _data in conn.execute(query):
        hits.append(SearchHit("document" if what == "documents" else "statement", ident, ident, None, ""))
    return hits


def _hit(
    kind: str,
    ident: str,
    document_id: str,
    title: str | None,
    snip: str | None,
    score: float,
    source_id: str | None = None,
    claim_id: str | None = None,
) -> SearchHit:
    clean, spans = _marks(snip or "")
    return SearchHit(kind, ident, document_id, title, clean, spans, float(score), source_id, claim_id)
