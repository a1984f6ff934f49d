"""The store's tables (SQLAlchemy Core). Every record keeps its full JSON in ``data`` plus key columns for querying."""

from __future__ import annotations

import sqlalchemy as sa

__all__ = [
    "ANALYSIS_TABLES",
    "SCHEMA_VERSION",
    "WORKSPACE_TABLES",
    "alerts",
    "annotation_cache",
    "claims",
    "corpus_data",
    "documents",
    "entities",
    "http_cache",
    "input_files",
    "memo",
    "meta",
    "metadata",
    "problems",
    "relations",
    "sources",
    "statements",
    "watch_state",
    "ws_audit",
    "ws_corrections",
    "ws_jobs",
    "ws_reliability",
    "ws_tokens",
    "ws_users",
]

#: Bumped when the tables change incompatibly; a store written with another version is refused (E202).
SCHEMA_VERSION = "1"

metadata = sa.MetaData()

# ``sa.JSON`` is TEXT on SQLite and ``json`` on PostgreSQL: portable, and queryable on both.
_JSON = sa.JSON()
_ID = sa.String(255)

meta = sa.Table(
    "meta",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

documents = sa.Table(
    "documents",
    metadata,
    sa.Column("id", _ID, primary_key=True),
    sa.Column("content_hash", sa.String(128), nullable=False, unique=True),
    sa.Column("path", sa.Text, nullable=False),
    sa.Column("url", sa.Text),
    sa.Column("title", sa.Text),
    sa.Column("published", sa.String(10)),
    sa.Column("outlet", sa.Text),
    sa.Column("format", sa.String(32)),
    sa.Column("duplicate_of", _ID),
    sa.Column("data", _JSON, nullable=False),
)

problems = sa.Table(
    "problems",
    metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("path", sa.Text, nullable=False),
    sa.Column("code", sa.String(16), nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
)

entities = sa.Table(
    "entities",
    metadata,
    sa.Column("id", _ID, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("type", sa.String(32), nullable=False),
    sa.Column("mentions", sa.Integer),
    sa.Column("data", _JSON, nullable=False),
)

sources = sa.Table(
    "sources",
    metadata,
    sa.Column("id", _ID, primary_key=True),
    sa.Column("label", sa.Text, nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("entity_id", _ID, index=True),
    sa.Column("data", _JSON, nullable=False),
)

statements = sa.Table(
    "statements",
    metadata,
    sa.Column("id", _ID, primary_key=True),
    sa.Column("document_id", _ID, nullable=False, index=True),
    sa.Column("source_id", _ID, nullable=False, index=True),
    sa.Column("claim_id", _ID, index=True),
    sa.Column("mode", sa.String(16)),
    sa.Column("certainty", sa.String(16)),
    sa.Column("stance", sa.String(16)),
    sa.Column("data", _JSON, nullable=False),
)

claims = sa.Table(
    "claims",
    metadata,
    sa.Column("id", _ID, primary_key=True),
    sa.Column("first_seen", sa.String(32)),
    sa.Column("independent_sources", sa.Integer),
    sa.Column("circular", sa.Boolean),
    sa.Column("reliability", sa.String(1)),
    sa.Column("credibility", sa.Integer),
    sa.Column("admiralty", sa.String(2), index=True),
    sa.Column("data", _JSON, nullable=False),
)

relations = sa.Table(
    "relations",
    metadata,
    sa.Column("id", _ID, primary_key=True),
    sa.Column("subject", _ID, nullable=False, index=True),
    sa.Column("predicate", sa.String(64), nullable=False),
    sa.Column("object", _ID, nullable=False, index=True),
    sa.Column("admiralty", sa.String(2)),
    sa.Column("data", _JSON, nullable=False),
)

corpus_data = sa.Table(
    "corpus_data",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("data", _JSON, nullable=False),
)

annotation_cache = sa.Table(
    "annotations",
    metadata,
    sa.Column("document_id", _ID, primary_key=True),
    sa.Column("key", sa.String(128), primary_key=True),
    sa.Column("data", _JSON, nullable=False),
)

http_cache = sa.Table(
    "http_cache",
    metadata,
    sa.Column("url_hash", sa.String(64), primary_key=True),
    sa.Column("url", sa.Text, nullable=False),
    sa.Column("etag", sa.Text),
    sa.Column("last_modified", sa.Text),
    sa.Column("fetched", sa.String(32)),
    sa.Column("data", _JSON, nullable=False),
)
"""One row per fetched URL (claimgraph.ingest.fetch): validators for a conditional GET and the ids of the
documents the URL gave, handed back on ``304 Not Modified``. Keyed by SHA-256 of the URL (URLs can be long)."""

memo = sa.Table(
    "memo",
    metadata,
    sa.Column("namespace", sa.String(128), primary_key=True),
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("data", _JSON, nullable=False),
)
"""Results of pure functions of their inputs, kept between runs (e.g. stance predictions per (claim text,
statement text) pair): ``namespace`` names the function and its version, ``key`` is SHA-256 of the input."""

input_files = sa.Table(
    "input_files",
    metadata,
    sa.Column("path_hash", sa.String(64), primary_key=True),
    sa.Column("path", sa.Text, nullable=False),
    sa.Column("data", _JSON, nullable=False),
)
"""One row per local input file read by ``analyze`` (keyed by SHA-256 of its absolute path; ``data["path"]``: the
path as reported): its size,
modification time (ns), SHA-256 of its bytes, the reading options' key, and the ids of the documents and the
problems it gave. A file whose size and mtime (and, when the mtime is too close to the time it was read, its
bytes' SHA-256) are unchanged is not read again (see docs/scale.md, "Incremental runs")."""

#: Tables that :meth:`Store.save_analysis` rewrites (only their changed rows).
ANALYSIS_TABLES = (entities, sources, statements, claims, relations, corpus_data)


# ---------------------------------------------------------------------- the shared workspace (claimgraph.workspace)
# Accounts, API tokens, the audit log, background jobs, analyst corrections and the reliability registry
# edited in the server. Never rewritten by ``save_analysis``; see docs/workspace.md.

ws_users = sa.Table(
    "ws_users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(64), nullable=False, unique=True),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("disabled", sa.Boolean, nullable=False, default=False),
    sa.Column("created", sa.String(32), nullable=False),
    sa.Column("password_changed", sa.String(32), nullable=False),
)

ws_tokens = sa.Table(
    "ws_tokens",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("user_id", sa.Integer, nullable=False, index=True),
    sa.Column("label", sa.Text, nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("created", sa.String(32), nullable=False),
    sa.Column("last_used", sa.String(32)),
    sa.Column("revoked", sa.String(32)),
)
"""API tokens: only the SHA-256 of the token is kept; the plaintext is shown once when it is made."""

ws_audit = sa.Table(
    "ws_audit",
    metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.String(32), nullable=False),
    sa.Column("user_id", sa.Integer),
    sa.Column("user_name", sa.String(64)),
    sa.Column("action", sa.String(64), nullable=False),
    sa.Column("target", sa.Text, nullable=False),
    sa.Column("detail", _JSON, nullable=False),
)

ws_jobs = sa.Table(
    "ws_jobs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("status", sa.String(16), nullable=False, index=True),
    sa.Column("payload", _JSON, nullable=False),
    sa.Column("user_id", sa.Integer),
    sa.Column("created", sa.String(32), nullable=False),
    sa.Column("started", sa.String(32)),
    sa.Column("finished", sa.String(32)),
    sa.Column("heartbeat", sa.String(32)),
    sa.Column("worker", sa.String(128)),
    sa.Column("done", sa.Integer, nullable=False, default=0),
    sa.Column("total", sa.Integer),
    sa.Column("message", sa.Text, nullable=False, default=""),
    sa.Column("error", sa.Text),
    sa.Column("result", _JSON),
)

ws_corrections = sa.Table(
    "ws_corrections",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("statement_id", _ID, nullable=False, index=True),
    sa.Column("field", sa.String(16), nullable=False),
    sa.Column("value", sa.Text, nullable=False),
    sa.Column("anchor", _ID),
    sa.Column("note", sa.Text, nullable=False, default=""),
    sa.Column("user_id", sa.Integer),
    sa.Column("user_name", sa.String(64), nullable=False),
    sa.Column("created", sa.String(32), nullable=False),
    sa.Column("withdrawn", sa.String(32)),
    sa.Column("withdrawn_by", sa.String(64)),
)
"""``anchor``: for a ``claim_id`` correction, a statement of the target claim (claim ids follow their
representative statement, so the target is found again after re-analysis)."""

ws_reliability = sa.Table(
    "ws_reliability",
    metadata,
    sa.Column("key", sa.String(255), primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("grade", sa.String(1), nullable=False),
    sa.Column("user_name", sa.String(64), nullable=False),
    sa.Column("updated", sa.String(32), nullable=False),
)

#: The shared-workspace tables (claimgraph.workspace).
WORKSPACE_TABLES = (ws_users, ws_tokens, ws_audit, ws_jobs, ws_corrections, ws_reliability)

# ---------------------------------------------------------------------- claimgraph watch (claimgraph.watch)

alerts = sa.Table(
    "alerts",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("key", sa.Text, nullable=False),
    sa.Column("kind", sa.String(32), nullable=False, index=True),
    sa.Column("claim_id", _ID, index=True),
    sa.Column("entity_id", _ID, index=True),
    sa.Column("created", sa.String(32), nullable=False, index=True),
    sa.Column("delivery", _JSON),
    sa.Column("data", _JSON, nullable=False),
)
"""Alerts raised by ``claimgraph watch`` (claimgraph.watch), one row per change, never two for the same change:
``id`` is ``alert-`` + 16 hex digits of SHA-256 of the dedup ``key`` (what changed, on which claim or entity, with
which evidence). ``data`` is the alert exactly as printed (``schema/alert-1.schema.json``); ``delivery`` holds
the webhook outcomes ``{url: {"status": "delivered"|"failed", "attempts": n, "reason": ...}}``. Read them with
:func:`claimgraph.watch.list_alerts`."""

watch_state = sa.Table(
    "watch_state",
    metadata,
    sa.Column("key", sa.String(255), primary_key=True),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("updated", sa.String(32)),
    sa.Column("data", _JSON, nullable=False),
)
"""The last seen state of every item ``claimgraph watch`` tracks (``claim:<id>``, ``entity:<name>``): what the
next cycle compares with. Written after the cycle's alerts, so a crash between the two re-raises only alerts the
``alerts`` table already holds (and that are therefore not emitted again)."""
