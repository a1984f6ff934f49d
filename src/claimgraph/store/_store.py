"""The workspace store: documents (idempotent by content hash), input problems, the analysis, an annotation cache."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import operator
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import quote

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from ..errors import Errors, InputProblem, StoreError
from ..model import SCHEMA, Claim, Corpus, Correction, Document, Entity, Relation, Source, Statement
from . import _tables as t
from ._preflight import check_sqlite_workspace
from ._urls import mask_url, normalise_url, sqlite_path
from ._watch import WatchTables

__all__ = ["Store"]

_APP = "claimgraph"
#: ``get_memos`` asked this many keys or more reads the whole namespace in one query when it holds at most twice
#: as many entries (instead of the keys 500 per query).
_WHOLE_NAMESPACE_KEYS = 2000
#: the stored documents with a given content hash or id (:meth:`Store.add_document`'s one check)
_SAME_DOCUMENT = sa.select(t.documents.c.id, t.documents.c.content_hash).where(
    sa.or_(t.documents.c.content_hash == sa.bindparam("hash"), t.documents.c.id == sa.bindparam("id"))
)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)  # key order kept: exports match analyze byte for byte


def _one_line(text: str) -> str:
    text = text.split("\n(Background on this error at:", 1)[0]
    return " ".join(part.strip() for part in text.splitlines() if part.strip()) or "unknown error"


def _reason(exc: BaseException) -> str:
    """A one-line reason from a SQLAlchemy / driver / OS exception."""
    orig = getattr(exc, "orig", None)
    if orig is not None:
        return _one_line(f"{type(orig).__name__}: {orig}")
    if isinstance(exc, OSError):
        return _one_line(f"{exc.strerror or exc}" + (f": {exc.filename}" if exc.filename else ""))
    return _one_line(f"{type(exc).__name__}: {exc}")


#: SQLite's page cache per connection, in KiB (``PRAGMA cache_size`` takes a negative number as KiB): 64 MiB
#: instead of SQLite's 2 MiB, so that the pages a run reads several times (a memo namespace scanned, then
#: the rows it names) are read from the file once.
SQLITE_CACHE_KIB = 65536
#: Bytes of the store file SQLite reads through a memory map (``PRAGMA mmap_size``) instead of one
#: ``pread`` system call per 4 KiB page: an increment of 10 documents to a 10,000-document workspace made
#: about 210,000 such calls (strace) reading its 370 MB store. Pages past this size are read as before;
#: writes always go through the write-ahead log.
SQLITE_MMAP_BYTES = 1 << 30


def _sqlite_read_pragmas(cursor: Any) -> None:
    cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    cursor.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")


def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    """Write-ahead log with ``synchronous=NORMAL``: a commit survives a killed process (SIGKILL) and costs
    no fsync, so storing a document takes about a millisecond instead of tens. Reads through a larger page
    cache and a memory map (:data:`SQLITE_CACHE_KIB`, :data:`SQLITE_MMAP_BYTES`)."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        _sqlite_read_pragmas(cursor)
    finally:
        cursor.close()


def _sqlite_readonly(dbapi_connection: Any, connection_record: Any) -> None:
    """A read-only SQLite connection: no journal-mode switch, and SQLite itself refuses writes; reads as
    :func:`_sqlite_pragmas`."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA query_only=ON")
        _sqlite_read_pragmas(cursor)
    finally:
        cursor.close()


def _postgres_readonly(dbapi_connection: Any, connection_record: Any) -> None:
    """Every transaction of this PostgreSQL session is read-only."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
    finally:
        cursor.close()
    dbapi_connection.commit()


def _damaged(url: str, reason: str) -> StoreError:
    return StoreError(Errors.E305.format(url=url, reason=reason))


def _document_hash(doc: Document) -> str:
    data = doc.to_dict()
    data.pop("duplicate_of", None)
    data.pop("content_hash", None)
    data.pop("id", None)
    return hashlib.sha256(_dumps(data).encode("utf-8")).hexdigest()


class Store(WatchTables):
    """A claimgraph workspace in any SQLAlchemy database (SQLite file by default, PostgreSQL by URL).

    Open with :meth:`open` and use as a context manager::

        with Store.open("out/claimgraph.db") as store:
            corpus = store.load_corpus()

    Every method raises :class:`~claimgraph.errors.StoreError` (never a SQLAlchemy or driver exception).
    """

    readonly: bool = False
    """Opened with ``readonly=True``: every write is refused by the database itself."""

    def __init__(self, engine: Engine, url: str) -> None:
        self._engine = engine
        self.url = url
        """The normalised SQLAlchemy URL (may contain a password; show :attr:`display_url` instead)."""

    # ------------------------------------------------------------------ opening and closing
    @classmethod
    def open(cls, url_or_path: str | Path, *, create: bool = True, readonly: bool = False) -> Store:
        """Open the store at a SQLAlchemy URL or a file path; with ``create=False`` a missing SQLite file
        is an error (E204) instead of a new, empty store.

        ``readonly=True`` (what ``export`` uses) never writes: SQLite is opened with ``mode=ro`` and
        ``query_only``, PostgreSQL sessions are read-only; no table is created and no journal mode is
        switched. A missing claimgraph table is then an ``E305`` error naming it.
        """
        url = normalise_url(url_or_path)
        masked = mask_url(url)
        path = sqlite_path(url)
        if (readonly or not create) and path is not None and not path.exists():
            raise StoreError(Errors.E204.format(path=path))
        try:
            # model records are written by the C encoder straight from their fields (_record_json)
            kwargs: dict[str, Any] = {"json_serializer": _record_json, "future": True}
            engine_url = url
            if path is not None and not readonly:
                check_sqlite_workspace(path, t.SCHEMA_VERSION, masked)  # read-only look before any write
                path.parent.mkdir(parents=True, exist_ok=True)
            if url.startswith("sqlite"):
                kwargs["connect_args"] = {"timeout": 30}
                if readonly and path is not None:
                    engine_url = f"sqlite:///file:{quote(path.as_posix())}?mode=ro&uri=true"
            engine = sa.create_engine(engine_url, **kwargs)
            if url.startswith("sqlite"):
                sa.event.listen(engine, "connect", _sqlite_readonly if readonly else _sqlite_pragmas)
            elif readonly and url.startswith("postgresql"):
                sa.event.listen(engine, "connect", _postgres_readonly)
        except (sa.exc.SQLAlchemyError, OSError, ValueError, ImportError) as exc:
            raise StoreError(Errors.E201.format(url=masked, reason=_reason(exc))) from None
        store = cls(engine, url)
        store.readonly = readonly
        try:
            store._initialise()
        except BaseException:
            engine.dispose()
            raise
        return store

    @property
    def display_url(self) -> str:
        """The URL with any password masked."""
        return mask_url(self.url)

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.display_url!r})"

    # ------------------------------------------------------------------ plumbing
    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except (sa.exc.SQLAlchemyError, OSError) as exc:
            raise StoreError(Errors.E201.format(url=self.display_url, reason=_reason(exc))) from None

    @contextmanager
    def _begin(self) -> Iterator[Connection]:
        """One transaction: committed when the block ends, rolled back on any exception."""
        with self._errors(), self._engine.begin() as conn:
            yield conn

    def _initialise(self) -> None:
        with self._errors():
            names = set(sa.inspect(self._engine).get_table_names())
            ours = set(t.metadata.tables)
            if "meta" not in names and names - ours:
                foreign = ", ".join(sorted(names - ours)[:5])
                raise StoreError(
                    Errors.E201.format(
                        url=self.display_url,
                        reason=f"the database holds tables that are not claimgraph's ({foreign}); use an empty database",
                    )
                )
            if self.readonly and "meta" not in names:
                if names:
                    raise _damaged(self.display_url, "table meta is missing")
                raise StoreError(Errors.E203.format(url=self.display_url))
            if "meta" in names:
                with self._engine.connect() as conn:
                    rows = {k: v for k, v in conn.execute(sa.select(t.meta.c.key, t.meta.c.value))}
                found = rows.get("schema_version")
                # no rows yet: another process is creating the tables (filled in by _create_tables below)
                if rows and (rows.get("app", _APP) != _APP or found != t.SCHEMA_VERSION):
                    raise StoreError(
                        Errors.E202.format(url=self.display_url, found=found, expected=t.SCHEMA_VERSION)
                    )
            if self.readonly:
                needed = {
                    "meta",
                    t.documents.name,
                    t.problems.name,
                    *(table.name for table in t.ANALYSIS_TABLES),
                }
                missing = sorted(needed - names)  # caches added later may be absent from an older store
                if missing:
                    raise _damaged(self.display_url, f"table {', '.join(missing)} is missing")
                return
            try:
                self._create_tables()
            except (sa.exc.OperationalError, sa.exc.ProgrammingError, sa.exc.IntegrityError):
                # another process created the schema between our check and our CREATE: use theirs
                self._create_tables()

    def _create_tables(self) -> None:
        with self._engine.begin() as conn:
            t.metadata.create_all(conn, checkfirst=True)
            present = set(conn.execute(sa.select(t.meta.c.key)).scalars())
            for key, value in (
                ("app", _APP),
                ("schema_version", t.SCHEMA_VERSION),
                ("json_schema", SCHEMA),
            ):
                if key not in present:
                    conn.execute(t.meta.insert().values(key=key, value=value))

    def _records(self, conn: Connection, table: sa.Table, *extra: sa.ColumnElement[Any]) -> list[Any]:
        """``(id, data dict, *extra)`` rows of ``table`` by id; a row that is not a JSON object is E305."""
        query = sa.select(table.c.id, sa.type_coerce(table.c.data, sa.Text), *extra).order_by(table.c.id)
        out = []
        for row_id, data, *rest in conn.execute(query):
            try:
                value = _as_json(data)
            except ValueError as exc:
                raise _damaged(
                    self.display_url, f"table {table.name}, row {row_id}: corrupt JSON ({exc})"
                ) from None
            if not isinstance(value, dict):
                raise _damaged(
                    self.display_url,
                    f"table {table.name}, row {row_id}: expected a JSON object, got {type(value).__name__}",
                )
            out.append((row_id, value, *rest))
        return out

    def _build(self, table: sa.Table, row_id: Any, build: Any, data: dict[str, Any]) -> Any:
        try:
            return build(data)
        except (TypeError, KeyError, ValueError, AttributeError) as exc:
            raise _damaged(
                self.display_url,
                f"table {table.name}, row {row_id}: unexpected record ({type(exc).__name__}: {exc})",
            ) from None

    # ------------------------------------------------------------------ documents
    def add_document(self, doc: Document) -> bool:
        """Store ``doc`` unless a document with its content hash is already there; ``True`` if it was new.

        Each call is its own transaction, so a killed process never leaves half a document. A stored
        document with the same id but other content (the file changed) is replaced, and its cached
        annotations are dropped. An empty ``doc.content_hash`` is filled in from the document's content.
        """
        if not doc.content_hash:
            doc.content_hash = _document_hash(doc)
        row = {
            "id": doc.id,
            "content_hash": doc.content_hash,
            "path": doc.path,
            "url": doc.url,
            "title": doc.title,
            "published": doc.published,
            "outlet": doc.outlet,
            "format": doc.format,
            "duplicate_of": doc.duplicate_of,
            "data": doc.to_dict(),
        }
        try:
            with self._engine.begin() as conn:
                # one query for both checks (the same content stored, the same id stored); the insert
                # binds its values as parameters, so its compiled form is cached across documents
                found = conn.execute(_SAME_DOCUMENT, {"hash": doc.content_hash, "id": doc.id}).all()
                if any(stored_hash == doc.content_hash for _id, stored_hash in found):
                    return False
                if found:
                    conn.execute(t.documents.delete().where(t.documents.c.id == doc.id))
                    conn.execute(
                        t.annotation_cache.delete().where(t.annotation_cache.c.document_id == doc.id)
                    )
                conn.execute(t.documents.insert(), row)
            return True
        except sa.exc.IntegrityError as exc:
            # Another writer stored the same content between our check and our insert.
            with self._errors(), self._engine.connect() as conn:
                if self._has_hash(conn, doc.content_hash):
                    return False
            raise StoreError(Errors.E201.format(url=self.display_url, reason=_reason(exc))) from None
        except (sa.exc.SQLAlchemyError, OSError) as exc:
            raise StoreError(Errors.E201.format(url=self.display_url, reason=_reason(exc))) from None

    @staticmethod
    def _has_hash(conn: Connection, content_hash: str) -> bool:
        query = sa.select(t.documents.c.id).where(t.documents.c.content_hash == content_hash)
        return conn.execute(query).first() is not None

    def documents(self, on_damaged: Callable[[str, StoreError], None] | None = None) -> list[Document]:
        """Every stored document, sorted by id, with ``duplicate_of`` as last set by :meth:`set_duplicates`.

        A damaged row raises ``E305``, or with ``on_damaged`` is passed to it (``(id, error)``) and skipped.
        """
        docs = []
        with self._errors(), self._engine.connect() as conn:
            query = sa.select(
                t.documents.c.id, sa.type_coerce(t.documents.c.data, sa.Text), t.documents.c.duplicate_of
            ).order_by(t.documents.c.id)
            rows = conn.execute(query).all()
        for row_id, data, duplicate_of in rows:
            try:
                value = _as_json(data)
                if not isinstance(value, dict):
                    raise _damaged(self.display_url, f"table documents, row {row_id}: not a JSON object")
                doc = self._build(t.documents, row_id, Document.from_dict, value)
            except ValueError as exc:
                error = _damaged(self.display_url, f"table documents, row {row_id}: corrupt JSON ({exc})")
                if on_damaged is None:
                    raise error from None
                on_damaged(str(row_id), error)
                continue
            except StoreError as error:
                if on_damaged is None:
                    raise
                on_damaged(str(row_id), error)
                continue
            doc.duplicate_of = duplicate_of
            docs.append(doc)
        return docs

    def set_duplicates(self, mapping: Mapping[str, str | None]) -> None:
        """Set ``duplicate_of`` of every stored document from ``mapping`` (id -> original id); absent ids -> ``None``."""
        with self._begin() as conn:
            stored = conn.execute(sa.select(t.documents.c.id, t.documents.c.duplicate_of)).all()
            changed = [{"doc_id": i, "dup": mapping.get(i)} for i, dup in stored if mapping.get(i) != dup]
            if not changed:  # only the documents whose mark changed are written
                return
            conn.execute(
                t.documents.update()
                .where(t.documents.c.id == sa.bindparam("doc_id"))
                .values(duplicate_of=sa.bindparam("dup")),
                changed,
            )

    def count_documents(self) -> int:
        with self._errors(), self._engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(t.documents)).scalar_one())

    # ------------------------------------------------------------------ problems
    def begin_run(self) -> None:
        """Start a run: forget the input problems of the previous run."""
        with self._begin() as conn:
            conn.execute(t.problems.delete())

    def add_problem(self, problem: InputProblem) -> None:
        with self._begin() as conn:
            conn.execute(
                t.problems.insert().values(path=problem.path, code=problem.code, reason=problem.reason)
            )

    def problems(self) -> list[InputProblem]:
        """Input problems of the latest run, sorted by path and code."""
        with self._errors(), self._engine.connect() as conn:
            rows = conn.execute(sa.select(t.problems.c.path, t.problems.c.code, t.problems.c.reason)).all()
        return sorted(
            (InputProblem(path=p, code=c, reason=r) for p, c, r in rows),
            key=lambda p: (p.path, p.code, p.reason),
        )

    # ------------------------------------------------------------------ the analysis
    def save_analysis(self, corpus: Corpus, *, extra: Mapping[str, Any] | None = None) -> dict[str, int]:
        """Store the analysis (entities, sources, statements, claims, relations, network, timeline), writing
        only the rows that changed: a row whose JSON is unchanged is left alone, a changed row is updated, a
        row whose id is gone is deleted. ``extra`` adds ``corpus_data`` entries (key -> JSON value).

        One transaction: a reader sees either the previous analysis or the new one, never a mix. Returns
        the rows written: ``{"inserted": n, "updated": n, "deleted": n, "unchanged": n}`` (also kept in
        :attr:`last_save`).
        """
        corpus_rows: list[dict[str, Any]] = [
            {"key": "analysis", "data": {"schema": SCHEMA}},
            {"key": "network", "data": corpus.network},
            {"key": "timeline", "data": corpus.timeline},
            # analysts' corrections applied in this analysis (claimgraph.workspace), only when there are any
            *(
                [{"key": "corrections", "data": [c.to_dict() for c in corpus.corrections]}]
                if corpus.corrections
                else []
            ),
            *({"key": k, "data": v} for k, v in sorted((extra or {}).items())),
        ]
        # each table's records, with how a record's ``data`` and its whole row are made (a row only for the
        # records written: most are unchanged)
        batches: list[tuple[sa.Table, Sequence[Any], _Data | None, _Row]] = [
            (t.entities, corpus.entities, None, _entity_row),
            (t.sources, corpus.sources, None, _source_row),
            (t.statements, corpus.statements, None, _statement_row),
            (t.claims, corpus.claims, None, _claim_row),
            (t.relations, corpus.relations, None, _relation_row),
            (t.corpus_data, corpus_rows, _CORPUS_DATA, _corpus_row),
        ]
        stats = {"inserted": 0, "updated": 0, "deleted": 0, "unchanged": 0}
        with self._begin() as conn:
            for table, records, data, row in batches:
                for key, value in _sync_table(conn, table, records, data, row).items():
                    stats[key] += value
        self.last_save = stats
        return stats

    last_save: dict[str, int] | None = None
    """What the latest :meth:`save_analysis` of this object wrote (rows inserted, updated, deleted, unchanged)."""

    def corpus_value(self, key: str) -> Any:
        """A ``corpus_data`` entry saved with the analysis (``save_analysis(extra=...)``), or ``None``."""
        with self._errors(), self._engine.connect() as conn:
            query = sa.select(sa.cast(t.corpus_data.c.data, sa.Text)).where(t.corpus_data.c.key == key)
            value = conn.execute(query).scalar_one_or_none()
        if value is None:
            return None
        try:
            return _as_json(value)
        except ValueError:
            return None  # a damaged cache entry is a cache miss

    def has_analysis(self) -> bool:
        with self._errors(), self._engine.connect() as conn:
            query = sa.select(t.corpus_data.c.key).where(t.corpus_data.c.key == "analysis")
            return conn.execute(query).first() is not None

    def load_corpus(self, documents: list[Document] | None = None) -> Corpus:
        """The whole workspace as a :class:`Corpus` (documents, the latest analysis and the latest run's problems).

        ``documents``: the stored documents when the caller has just read them (:meth:`documents`), so they
        are not read twice. Raises :class:`StoreError` ``E203`` when no analysis has been saved yet.
        """
        if not self.has_analysis():
            raise StoreError(Errors.E203.format(url=self.display_url))
        with self._errors(), self._engine.connect() as conn:

            def load(table: sa.Table, build: Any) -> list[Any]:
                return [self._build(table, i, build, d) for i, d in self._records(conn, table)]

            extra: dict[str, Any] = {}
            # the analysis's own entries (the pipeline's fingerprints are read with :meth:`corpus_value`)
            query = sa.select(t.corpus_data.c.key, sa.cast(t.corpus_data.c.data, sa.Text)).where(
                t.corpus_data.c.key.in_(("analysis", "network", "timeline", "corrections"))
            )
            for key, data in conn.execute(query):
                try:
                    extra[key] = _as_json(data)
                except ValueError as exc:
                    raise _damaged(
                        self.display_url, f"table corpus_data, row {key}: corrupt JSON ({exc})"
                    ) from None
            network, timeline = extra.get("network") or {}, extra.get("timeline") or []
            if not isinstance(network, dict) or not isinstance(timeline, list):
                raise _damaged(self.display_url, "table corpus_data: network or timeline has the wrong shape")
            corpus = Corpus(
                entities=load(t.entities, Entity.from_dict),
                sources=load(t.sources, Source.from_dict),
                statements=load(t.statements, Statement.from_dict),
                claims=load(t.claims, Claim.from_dict),
                relations=load(t.relations, Relation.from_dict),
                network=network,
                timeline=timeline,
                corrections=[
                    self._build(t.corpus_data, "corrections", Correction.from_dict, item)
                    for item in (extra.get("corrections") or [])
                ],
            )
        corpus.documents = list(documents) if documents is not None else self.documents()
        corpus.problems = [p.to_dict() for p in self.problems()]
        corpus.sort()
        return corpus

    # ------------------------------------------------------------------ annotation cache
    def get_annotation(self, document_id: str, key: str) -> dict[str, Any] | None:
        """A cached per-document annotation (e.g. ``key="attribution.v1:<model>"``), or ``None``."""
        with self._errors(), self._engine.connect() as conn:
            value = conn.execute(
                sa.select(t.annotation_cache.c.data).where(
                    t.annotation_cache.c.document_id == document_id, t.annotation_cache.c.key == key
                )
            ).scalar_one_or_none()
        return None if value is None else _as_dict(value)

    def get_annotations(self, wanted: Mapping[str, str]) -> dict[str, dict[str, Any]]:
        """Cached annotations of many documents in a few queries: ``{document_id: key}`` -> ``{document_id:
        data}`` for those that have one under that key (a damaged entry is left out: a cache miss)."""
        found: dict[str, dict[str, Any]] = {}
        ids = sorted(wanted)
        with self._errors(), self._engine.connect() as conn:
            for start in range(0, len(ids), 500):
                for doc_id, key, data in _annotation_rows(conn, ids[start : start + 500], wanted, data=True):
                    if wanted.get(doc_id) != key:
                        continue
                    try:
                        value = _as_json(data)
                    except ValueError:
                        continue
                    if isinstance(value, dict):
                        found[doc_id] = value
        return found

    def annotated(self, wanted: Mapping[str, str]) -> set[str]:
        """The documents of ``{document_id: key}`` that have a cached annotation under that key (the keys
        only, no data read: a Dask run asks this before sending the others to its workers)."""
        found: set[str] = set()
        ids = sorted(wanted)
        with self._errors(), self._engine.connect() as conn:
            for start in range(0, len(ids), 500):
                rows = _annotation_rows(conn, ids[start : start + 500], wanted, data=False)
                found.update(row[0] for row in rows if wanted.get(row[0]) == row[1])
        return found

    def put_annotations(self, items: Sequence[tuple[str, str, dict[str, Any]]]) -> None:
        """Cache many ``(document_id, key, data)`` entries in one transaction (each replacing its previous value)."""
        if not items:
            return
        table = t.annotation_cache
        # one delete per entry (a composite key has no portable IN), executed as one executemany
        delete = table.delete().where(
            table.c.document_id == sa.bindparam("old_document_id"), table.c.key == sa.bindparam("old_key")
        )
        with self._begin() as conn:
            for start in range(0, len(items), 500):
                part = items[start : start + 500]
                conn.execute(delete, [{"old_document_id": i, "old_key": k} for i, k, _ in part])
                conn.execute(table.insert(), [{"document_id": i, "key": k, "data": d} for i, k, d in part])

    def put_annotation(self, document_id: str, key: str, data: dict[str, Any]) -> None:
        """Cache ``data`` (JSON-serialisable) for ``document_id`` under ``key``, replacing any previous value."""
        where = (t.annotation_cache.c.document_id == document_id, t.annotation_cache.c.key == key)
        with self._begin() as conn:
            conn.execute(t.annotation_cache.delete().where(*where))
            conn.execute(t.annotation_cache.insert().values(document_id=document_id, key=key, data=data))

    # ------------------------------------------------------------------ memo (pure functions' results)
    def get_memos(self, namespace: str, keys: Sequence[str]) -> dict[str, Any]:
        """The stored results under ``namespace`` for those of ``keys`` that have one."""
        asked = set(keys)
        found: dict[str, Any] = {}
        select = sa.select(t.memo.c.key, sa.cast(t.memo.c.data, sa.Text))
        with self._errors(), self._engine.connect() as conn:
            queries = None
            if len(asked) >= _WHOLE_NAMESPACE_KEYS:
                # most of the namespace asked (a memo that holds the latest run's entries, asked again by an
                # increment): one scan of the namespace instead of an IN list of 500 keys per query, which
                # costs several times more per entry; entries not asked are passed over, unparsed
                stored = conn.execute(
                    sa.select(sa.func.count()).select_from(t.memo).where(t.memo.c.namespace == namespace)
                ).scalar_one()
                if stored <= 2 * len(asked):
                    queries = [select.where(t.memo.c.namespace == namespace)]
            if queries is None:  # the keys sorted only for their IN lists
                wanted = sorted(asked)
                queries = [
                    select.where(
                        t.memo.c.namespace == namespace, t.memo.c.key.in_(wanted[start : start + 500])
                    )
                    for start in range(0, len(wanted), 500)
                ]
            for query in queries:
                for key, data in conn.execute(query):
                    if key not in asked:
                        continue
                    try:
                        found[key] = _as_json(data)
                    except ValueError:
                        continue  # a damaged entry is a miss: it is computed again
        return found

    def replace_memos(self, namespace: str, values: Mapping[str, Any]) -> None:
        """Make ``namespace`` hold exactly ``values`` (key -> JSON value): entries the latest run did not use
        are dropped, so the table stays the size of the workspace."""
        with self._begin() as conn:
            stored = set(
                conn.execute(sa.select(t.memo.c.key).where(t.memo.c.namespace == namespace)).scalars()
            )
            gone = sorted(stored - set(values))
            for start in range(0, len(gone), 500):
                conn.execute(
                    t.memo.delete().where(
                        t.memo.c.namespace == namespace, t.memo.c.key.in_(gone[start : start + 500])
                    )
                )
            # in key order, as ``sorted(values.items())`` (keys are distinct), sorting only the keys not stored
            # (an increment's few, of tens of thousands)
            new = [
                {"namespace": namespace, "key": k, "data": values[k]} for k in sorted(values.keys() - stored)
            ]
            if new:
                conn.execute(t.memo.insert(), new)

    def drop_stale_memos(self, prefixes: Sequence[str], keep: str) -> int:
        """Delete every memo entry whose namespace starts with one of ``prefixes`` and does not name ``keep`` (the
        running code's fingerprint) as one of its ``:``-separated parts: what older claimgraph versions stored
        (their namespaces name their own fingerprint, so this version never reads them). Returns how many
        entries were deleted; one transaction."""
        table = t.memo
        with self._begin() as conn:
            names = conn.execute(sa.select(table.c.namespace).distinct()).scalars().all()
            stale = [
                name
                for name in names
                if any(name.startswith(prefix) for prefix in prefixes) and keep not in name.split(":")
            ]
            deleted = 0
            for name in stale:
                deleted += conn.execute(table.delete().where(table.c.namespace == name)).rowcount or 0
        return deleted

    def update_memos(
        self, namespace: str, values: Mapping[str, Any], gone: Iterable[str] = (), stale_prefix: str = ""
    ) -> None:
        """In one transaction: set each of ``values`` (key -> JSON value, replacing a stored value), drop the
        keys ``gone``, keep every other entry of ``namespace``; with ``stale_prefix``, drop every other
        namespace that starts with it (the entries of an older version of the same function)."""
        table = t.memo
        keys = sorted({*values, *gone})
        with self._begin() as conn:
            if stale_prefix:
                conn.execute(
                    table.delete().where(
                        table.c.namespace.startswith(stale_prefix, autoescape=True),
                        table.c.namespace != namespace,
                    )
                )
            for start in range(0, len(keys), 500):
                conn.execute(
                    table.delete().where(
                        table.c.namespace == namespace, table.c.key.in_(keys[start : start + 500])
                    )
                )
            rows = [{"namespace": namespace, "key": k, "data": v} for k, v in sorted(values.items())]
            for start in range(0, len(rows), 500):
                conn.execute(table.insert(), rows[start : start + 500])

    # ------------------------------------------------------------------ input files (not read again when unchanged)
    def input_files(self, paths: Iterable[str] | None = None) -> dict[str, dict[str, Any]]:
        """Every input file entry, ``path -> data`` (see :data:`claimgraph.store._tables.input_files`), or
        only those of ``paths``; a damaged entry is left out (the file is read again)."""
        out: dict[str, dict[str, Any]] = {}
        query = sa.select(t.input_files.c.path, sa.cast(t.input_files.c.data, sa.Text))
        queries = [query]
        if paths is not None:
            hashes = sorted({hashlib.sha256(p.encode("utf-8")).hexdigest() for p in paths if _utf8(p)})
            queries = [
                query.where(t.input_files.c.path_hash.in_(hashes[start : start + 500]))
                for start in range(0, len(hashes), 500)
            ]
        with self._errors(), self._engine.connect() as conn:
            for part in queries:
                for path, data in conn.execute(part):
                    try:
                        value = _as_json(data)
                    except ValueError:
                        continue
                    if isinstance(value, dict):
                        out[path] = value
        return out

    def put_input_files(self, entries: Mapping[str, dict[str, Any]]) -> None:
        """Store the entries of the files read in this run (``path -> data``), replacing older ones; one
        transaction."""
        if not entries:
            return
        table = t.input_files
        rows = [
            {"path_hash": hashlib.sha256(p.encode("utf-8")).hexdigest(), "path": p, "data": d}
            for p, d in sorted(entries.items())
        ]
        with self._begin() as conn:
            for start in range(0, len(rows), 500):
                part = rows[start : start + 500]
                conn.execute(table.delete().where(table.c.path_hash.in_([r["path_hash"] for r in part])))
                conn.execute(table.insert(), part)

    def remove_documents(self, ids: Sequence[str]) -> int:
        """Delete these documents and their cached annotations (an input file's older version); one
        transaction. Returns how many documents were deleted. The analysis is rebuilt by the next run."""
        wanted = sorted(set(ids))
        removed = 0
        with self._begin() as conn:
            for start in range(0, len(wanted), 500):
                part = wanted[start : start + 500]
                result = conn.execute(t.documents.delete().where(t.documents.c.id.in_(part)))
                removed += int(result.rowcount or 0)
                conn.execute(t.annotation_cache.delete().where(t.annotation_cache.c.document_id.in_(part)))
        return removed

    def document_paths(self, paths: Iterable[str] | None = None) -> dict[str, list[str]]:
        """``path -> ids`` of the stored documents (sorted), without reading their texts; only those of
        ``paths`` when given."""
        out: dict[str, list[str]] = {}
        query = sa.select(t.documents.c.path, t.documents.c.id).order_by(t.documents.c.id)
        queries = [query]
        if paths is not None:
            wanted = sorted({p for p in paths if _utf8(p)})
            queries = [
                query.where(t.documents.c.path.in_(wanted[start : start + 500]))
                for start in range(0, len(wanted), 500)
            ]
        with self._errors(), self._engine.connect() as conn:
            for part in queries:
                for path, doc_id in conn.execute(part):
                    out.setdefault(path, []).append(doc_id)
        return {path: sorted(ids) for path, ids in out.items()}

    # ------------------------------------------------------------------ HTTP cache (fetched URLs)
    def get_http_entry(self, url: str) -> dict[str, Any] | None:
        """What was stored for ``url`` by the fetcher (validators, document ids), or ``None``."""
        key = hashlib.sha256(url.encode("utf-8")).hexdigest()
        with self._errors(), self._engine.connect() as conn:
            value = conn.execute(
                sa.select(t.http_cache.c.data).where(t.http_cache.c.url_hash == key)
            ).scalar_one_or_none()
        return None if value is None else _as_dict(value)

    def put_http_entry(self, url: str, entry: dict[str, Any], documents: Sequence[Document] = ()) -> None:
        """Store the fetcher's ``entry`` for ``url``, replacing any previous one. ``documents`` are not stored
        here (the pipeline stores them with :meth:`add_document`); their ids are in ``entry["documents"]``."""
        key = hashlib.sha256(url.encode("utf-8")).hexdigest()
        row = {
            "url_hash": key,
            "url": url,
            "etag": entry.get("etag"),
            "last_modified": entry.get("last_modified"),
            "fetched": entry.get("fetched"),
            "data": entry,
        }
        with self._begin() as conn:
            conn.execute(t.http_cache.delete().where(t.http_cache.c.url_hash == key))
            conn.execute(t.http_cache.insert().values(**row))

    def documents_by_id(self, ids: Sequence[str]) -> list[Document]:
        """The stored documents with these ids, in the order asked (ids not stored are left out)."""
        wanted = list(dict.fromkeys(ids))
        if not wanted:
            return []
        with self._errors(), self._engine.connect() as conn:
            rows = conn.execute(
                sa.select(t.documents.c.id, t.documents.c.data, t.documents.c.duplicate_of).where(
                    t.documents.c.id.in_(wanted)
                )
            ).all()
        found: dict[str, Document] = {}
        for doc_id, data, duplicate_of in rows:
            doc = Document.from_dict(_as_dict(data))
            doc.duplicate_of = duplicate_of
            found[doc_id] = doc
        return [found[i] for i in wanted if i in found]

    # ------------------------------------------------------------------ inspection
    def counts(self) -> dict[str, int]:
        """Rows per table (documents, problems, entities, sources, statements, claims, relations, annotations)."""
        tables = (
            t.documents,
            t.problems,
            t.entities,
            t.sources,
            t.statements,
            t.claims,
            t.relations,
            t.annotation_cache,
        )
        with self._errors(), self._engine.connect() as conn:
            return {
                table.name: int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())
                for table in tables
            }

    def schema_version(self) -> str:
        with self._errors(), self._engine.connect() as conn:
            query = sa.select(t.meta.c.value).where(t.meta.c.key == "schema_version")
            return str(conn.execute(query).scalar_one())


# ---------------------------------------------------------------------- rows


def _utf8(text: str) -> bool:
    """Whether ``text`` can be stored (a file name that is not UTF-8 keeps its bytes as surrogates: never
    stored, so never found)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _as_json(value: Any) -> Any:
    """A JSON column's value: text (what the store selects, ``CAST(data AS TEXT)``) decoded by orjson, the
    Python values ``json.loads`` gives at about a third of its CPU; text orjson refuses (``NaN``, a lone
    surrogate escape: JSON that ``json`` wrote before the store moved to orjson) by ``json.loads``, whose
    ``ValueError`` stays the error of text that is no JSON. A value a driver already decoded is returned as
    it is."""
    if isinstance(value, str | bytes):
        try:
            return orjson.loads(value)
        except orjson.JSONDecodeError:
            return json.loads(value)
    return value


def _as_dict(value: Any) -> dict[str, Any]:
    data = _as_json(value)
    if not isinstance(data, dict):
        raise StoreError(
            f"[E201] corrupt record in the workspace store: expected a JSON object, got {type(data).__name__}"
        )
    return data


def _annotation_pairs(ids: Sequence[str], wanted: Mapping[str, str]) -> sa.ColumnElement[bool]:
    """``(document_id, key) IN ((id, wanted[id]), ...)`` (see :func:`_annotation_rows`)."""
    table = t.annotation_cache
    return sa.tuple_(table.c.document_id, table.c.key).in_([(i, wanted[i]) for i in ids])


#: a positional parameter marker by DB-API ``paramstyle``, for the databases :func:`_annotation_rows` writes its SQL
#: for (SQLite, PostgreSQL: both take ``WITH name (columns) AS (VALUES (...), ...)``)
_MARKERS = {"qmark": "?", "format": "%s", "pyformat": "%s"}
_VALUES_JOIN_DIALECTS = frozenset({"sqlite", "postgresql"})


def _annotation_rows(
    conn: Connection, ids: Sequence[str], wanted: Mapping[str, str], *, data: bool
) -> Iterable[Sequence[Any]]:
    """``(document_id, key[, data as text])`` of the annotation rows ``(id, wanted[id])`` for ``ids``: one
    primary-key lookup per pair, by a join with the pairs as a ``VALUES`` list, in SQL sent to the driver as it
    is (SQLite and PostgreSQL alike). SQLite answers ``(document_id, key) IN (...)`` with a scan of the whole
    table (12 ms per 500 documents at 10,000 documents with two annotations each, growing with the table),
    the join with 500 index searches (about 1 ms); two separate ``IN`` lists made it probe every id with every
    key (250,000 probes per 500 documents). SQLAlchemy's compilation of a ``VALUES`` construct cost more
    than the scan, hence the driver-level SQL; another database, or a driver with another parameter style, gets the
    ``IN``."""
    table = t.annotation_cache
    marker = _MARKERS.get(conn.dialect.paramstyle) if conn.dialect.name in _VALUES_JOIN_DIALECTS else None
    if marker is None:
        columns: list[sa.ColumnElement[Any]] = [table.c.document_id, table.c.key]
        if data:
            columns.append(sa.cast(table.c.data, sa.Text))
        return conn.execute(sa.select(*columns).where(_annotation_pairs(ids, wanted)))
    pairs = ", ".join([f"({marker}, {marker})"] * len(ids))
    selected = 'a.document_id, a."key"' + (", CAST(a.data AS TEXT)" if data else "")
    sql = (
        f'WITH wanted (document_id, "key") AS (VALUES {pairs}) SELECT {selected} FROM wanted '
        f'JOIN {table.name} a ON a.document_id = wanted.document_id AND a."key" = wanted."key"'
    )
    return conn.exec_driver_sql(sql, tuple(value for i in ids for value in (i, wanted[i])))


def _key_column(table: sa.Table) -> sa.Column[Any]:
    return table.c.key if table is t.corpus_data else table.c.id


_FIELDS: dict[type, tuple[str, ...]] = {}


def _record_fields(value: Any) -> dict[str, Any]:
    """``json.dumps``'s ``default`` for model records: their fields in order, leaves left to the encoder."""
    cls = type(value)
    names = _FIELDS.get(cls)
    if names is None:
        if not dataclasses.is_dataclass(value):
            raise TypeError(f"Object of type {cls.__name__} is not JSON serializable")
        names = _FIELDS[cls] = tuple(f.name for f in dataclasses.fields(value))
    attributes = getattr(value, "__dict__", None)
    if attributes is not None and len(attributes) == len(names) and tuple(attributes) == names:
        return attributes  # the instance's own dict holds exactly its fields, in field order: no copy
    return {name: getattr(value, name) for name in names}


#: orjson's options for a row: records through :func:`_record_fields` (their fields only, in field order, as
#: ``to_dict``; orjson's own dataclass walk would also write attributes that are not fields), dict keys that are
#: not strings as ``json`` writes them ("1", "true", "null")
_ORJSON_OPTIONS = orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_NON_STR_KEYS
#: the encoder of what orjson refuses (an integer past 64 bits, a lone surrogate), with the same fields
_ENCODER = json.JSONEncoder(ensure_ascii=False, default=_record_fields, check_circular=False)


@dataclasses.dataclass(frozen=True)
class _Serialised:
    """A row's JSON text already made by :func:`_record_json` (to compare it): written as it is."""

    text: str


def _record_json(value: Any) -> str:
    """The JSON text of a row: ``value.to_dict()`` (a model record) or a plain value, written by orjson from the
    record's fields without building the plain dicts first: the same keys, order and values as :func:`_dumps`
    of ``to_dict`` (``json.loads`` of both is equal), in orjson's compact form (no space after ``:`` and ``,``),
    about a third of the C ``json`` encoder's CPU. JSON has no NaN or infinity: orjson writes ``null`` (the
    ``json`` module's ``NaN`` was never valid JSON, and PostgreSQL's ``json`` type refuses it). What orjson
    refuses is written by ``json`` (the same values). Rows written by an older version in ``json``'s spaced
    form compare unequal once and are rewritten by the next save (:func:`_sync_table`)."""
    if type(value) is _Serialised:
        return value.text
    try:
        return orjson.dumps(value, default=_record_fields, option=_ORJSON_OPTIONS).decode("utf-8")
    except orjson.JSONEncodeError:
        return _ENCODER.encode(value)


def _record_bytes(value: Any) -> bytes:
    """:func:`_record_json`'s text as UTF-8 bytes, without making the ``str`` (what a save compares on SQLite)."""
    try:
        return orjson.dumps(value, default=_record_fields, option=_ORJSON_OPTIONS)
    except orjson.JSONEncodeError:
        return _ENCODER.encode(value).encode("utf-8", "surrogatepass")


def _pairs(conn: Connection, query: sa.Select[Any]) -> dict[Any, Any]:
    """``{first column: second column}`` of every row of ``query`` (no parameters), fetched by the driver's own
    cursor on the connection's transaction: SQLAlchemy's result rows cost about a third more for the 150,000
    rows a save compares."""
    dbapi = conn.connection.dbapi_connection
    if dbapi is None:  # (a connection SQLAlchemy has invalidated: its own error)
        return {k: v for k, v in conn.execute(query)}
    cursor = dbapi.cursor()
    try:
        cursor.execute(str(query.compile(dialect=conn.dialect)))
        return dict(cursor.fetchall())
    finally:
        cursor.close()


#: a record's ``data`` (``None``: the record itself), and its row from the record and that ``data``
_Data = Callable[[Any], Any]
_Row = Callable[[Any, Any], dict[str, Any]]
#: a record's id by table (``id`` unless named here; a ``corpus_data`` entry is ``{"key": ..., "data": ...}``)
_KEYS: dict[str, Callable[[Any], Any]] = {t.corpus_data.name: operator.itemgetter("key")}


def _sync_table(
    conn: Connection, table: sa.Table, records: Sequence[Any], data: _Data | None, row: _Row
) -> dict[str, int]:
    """Make ``table`` hold exactly the rows of ``records`` (``row(record, data(record))``), touching only rows
    whose JSON differs (``data`` decides: every other column is derived from it). The stored JSON text
    (``CAST(data AS TEXT)``: SQLite keeps the text, PostgreSQL's ``json`` keeps its input text) is compared with
    the text this row would be written as, so nothing is decoded; ``data`` may be a model record: the engine's
    JSON serialiser (:func:`_record_json`) writes it from its fields, the same text as ``to_dict`` then
    :func:`_dumps`, without the plain dicts (``to_dict`` of every row was three quarters of a fresh run's store
    write). On SQLite both sides are compared as UTF-8 bytes (``CAST(data AS BLOB)``: the stored text's bytes
    as they are, and orjson's output before it is made a ``str``): neither side is decoded, about 200 MB at
    10,000 documents; only a changed row's text is made a ``str`` to be written, and only a row to be written
    is built (``row``: most are unchanged)."""
    key = _key_column(table)
    ident = _KEYS.get(table.name) or operator.attrgetter("id")
    as_bytes = conn.dialect.name == "sqlite"
    column = sa.cast(table.c.data, sa.LargeBinary if as_bytes else sa.Text)
    stored = _pairs(conn, sa.select(key, column))
    encode: Callable[[Any], str | bytes] = _record_bytes if as_bytes else _record_json
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    changed: list[Any] = []
    keep: set[Any] = set()
    unchanged = 0
    for record in records:
        record_id = ident(record)
        value = record if data is None else data(record)
        old = stored.get(record_id)
        if old is None or record_id in keep:  # a repeated id is inserted again: the database refuses it
            inserts.append(row(record, value))
            keep.add(record_id)
            continue
        keep.add(record_id)
        text = encode(value)
        if old != text:
            written = text.decode("utf-8", "surrogatepass") if isinstance(text, bytes) else text
            updates.append(row(record, _Serialised(written)))  # written without serialising it again
            changed.append(record_id)
        else:
            unchanged += 1
    gone = [k for k in stored if k not in keep]
    for start in range(0, len(gone), 500):
        conn.execute(table.delete().where(key.in_(gone[start : start + 500])))
    if updates:
        # delete + insert: every column of the row is rewritten, in two statements per table
        for start in range(0, len(changed), 500):
            conn.execute(table.delete().where(key.in_(changed[start : start + 500])))
        conn.execute(table.insert(), updates)
    if inserts:
        conn.execute(table.insert(), inserts)
    return {"inserted": len(inserts), "updated": len(updates), "deleted": len(gone), "unchanged": unchanged}


def _entity_row(e: Entity, data: Any) -> dict[str, Any]:
    return {"id": e.id, "name": e.name, "type": e.type, "mentions": e.mentions, "data": data}


def _source_row(s: Source, data: Any) -> dict[str, Any]:
    return {"id": s.id, "label": s.label, "kind": s.kind, "entity_id": s.entity_id, "data": data}


def _statement_row(s: Statement, data: Any) -> dict[str, Any]:
    return {
        "id": s.id,
        "document_id": s.document_id,
        "source_id": s.source_id,
        "claim_id": s.claim_id,
        "mode": s.mode,
        "certainty": s.certainty,
        "stance": s.stance,
        "data": data,
    }


def _claim_row(c: Claim, data: Any) -> dict[str, Any]:
    return {
        "id": c.id,
        "first_seen": c.first_seen,
        "independent_sources": c.independent_sources,
        "circular": c.circular,
        "reliability": c.grade.reliability,
        "credibility": c.grade.credibility,
        "admiralty": c.grade.admiralty,
        "data": data,
    }


def _relation_row(r: Relation, data: Any) -> dict[str, Any]:
    return {
        "id": r.id,
        "subject": r.subject,
        "predicate": r.predicate,
        "object": r.object,
        "admiralty": r.grade.admiralty,
        "data": data,
    }


#: a ``corpus_data`` entry is given as ``{"key": ..., "data": ...}``
_CORPUS_DATA: _Data = operator.itemgetter("data")


def _corpus_row(entry: dict[str, Any], data: Any) -> dict[str, Any]:
    return {"key": entry["key"], "data": data}
