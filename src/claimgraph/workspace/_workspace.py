"""The :class:`Workspace`: a claimgraph store shared by a team (accounts, jobs, corrections, search)."""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from ..errors import ClaimgraphError, Errors, WorkspaceError
from ._base import invalid, now
from .accounts import Tokens, Users
from .audit import Audit
from .corrections import Corrections
from .jobs import Jobs, worker_id
from .reliability import Reliability

if TYPE_CHECKING:
    from ..options import Options
    from ..store import Store
    from .search import SearchHit

__all__ = ["FILES_ENV", "STATE_KEY", "Workspace", "default_files_dir"]

#: Environment variable naming the folder where uploaded files are kept (see :attr:`Workspace.files_dir`).
FILES_ENV = "CLAIMGRAPH_FILES_DIR"
#: ``corpus_data`` key: digest of the corrections and registry entries the stored analysis was graded with.
STATE_KEY = "workspace_state"
#: Longest upload file name kept (characters).
_MAX_NAME = 100


def default_files_dir(url: str) -> Path:
    """Where uploads go: ``$CLAIMGRAPH_FILES_DIR``; else beside a SQLite file (``claimgraph.db`` ->
    ``claimgraph.files/``); for a server database ``~/.local/share/claimgraph/files/<hash of the URL>``."""
    from ..store._urls import mask_url, sqlite_path

    env = os.environ.get(FILES_ENV)
    if env:
        return Path(env).expanduser().resolve()
    path = sqlite_path(url)
    if path is not None:
        return path.with_name(path.stem + ".files")
    digest = hashlib.sha256(mask_url(url).encode("utf-8")).hexdigest()[:16]
    return Path.home() / ".local" / "share" / "claimgraph" / "files" / digest


def _safe_name(filename: str) -> str:
    """The last part of an uploaded file's name, with only letters, digits, ``.``, ``_``, ``-`` kept."""
    base = re.split(r"[\\/]", filename)[-1]
    stem_suffix = re.sub(r"[^\w.-]+", "_", base).strip("._") or "upload"
    if len(stem_suffix) > _MAX_NAME:
        suffix = "".join(Path(stem_suffix).suffixes[-2:])[:20]
        stem_suffix = stem_suffix[: _MAX_NAME - len(suffix)] + suffix
    return stem_suffix


class Workspace:
    """A shared claimgraph workspace over a :class:`~claimgraph.store.Store`.

    ::

        with Workspace.open("newsroom/claimgraph.db") as ws:
            admin = ws.users.add("ana", "a long passphrase", "admin")
            ws.audit.record(admin, "user.add", "ana", {"role": "admin"})

    Parts: :attr:`users`, :attr:`tokens`, :attr:`audit`, :attr:`jobs`, :attr:`corrections`,
    :attr:`reliability`; :meth:`search`, :meth:`reanalyse_provenance`, :meth:`run_worker`.
    """

    reanalyse_wait: float = 10.0
    """Seconds :meth:`Corrections.add` and friends wait for a running analysis before leaving the
    recomputation to the worker."""

    def __init__(self, store: Store, files_dir: Path | None = None, options: Options | None = None) -> None:
        from ..options import Options

        self.store = store
        self.files_dir = files_dir if files_dir is not None else default_files_dir(store.url)
        """Uploaded files are saved under ``files_dir/uploads/`` (see :meth:`save_upload`)."""
        self.options = options or Options()
        """Options of the analyses the workspace runs (jobs, :meth:`reanalyse_provenance`)."""
        self.users = Users(store)
        self.tokens = Tokens(store, self.users)
        self.audit = Audit(store)
        self.jobs = Jobs(store, self)
        self.corrections = Corrections(store, self)
        self.reliability = Reliability(store, self, self.options.reliability_registry)

    @classmethod
    def open(
        cls, url_or_path: str | Path, *, files_dir: str | Path | None = None, options: Options | None = None
    ) -> Workspace:
        """Open (creating if needed) the workspace at a SQLAlchemy URL or a SQLite file path."""
        from ..store import Store

        store = Store.open(url_or_path)
        try:
            from .search import ensure_search

            ensure_search(store)
        except BaseException:
            store.close()
            raise
        return cls(store, Path(files_dir).resolve() if files_dir is not None else None, options)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Workspace({self.store.display_url!r})"

    # ------------------------------------------------------------------ uploads
    @property
    def uploads_dir(self) -> Path:
        return self.files_dir / "uploads"

    def save_upload(self, filename: str, data: bytes) -> Path:
        """Save an uploaded file under :attr:`uploads_dir` (a new folder per upload, the name made safe) and
        return its path, for an ``analyze_files`` job (``{"paths": [str(path)]}``)."""
        folder = self.uploads_dir / now()[:10] / secrets.token_hex(8)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / _safe_name(filename)
        tmp = path.with_name("." + path.name + ".part")
        tmp.write_bytes(data)
        tmp.replace(path)
        return path

    def upload_path(self, path: str | Path) -> Path:
        """``path`` resolved, if it is a file inside :attr:`uploads_dir`; ``E404`` otherwise, ``E402`` if it
        does not exist."""
        resolved = Path(path).resolve()
        root = self.uploads_dir.resolve()
        if not resolved.is_relative_to(root):
            raise WorkspaceError(Errors.E404.format(path=path, folder=root))
        if not resolved.is_file():
            raise WorkspaceError(Errors.E402.format(what="upload", ident=path))
        return resolved

    # ------------------------------------------------------------------ analyses
    def state(self) -> str:
        """Digest of the active corrections and the registry entries (what grades depend on besides the
        analysis)."""
        pending = [
            (c.id, c.statement_id, c.field, c.value, c.anchor)
            for c in self.corrections.list(active_only=True)
        ]
        registry = sorted(self.reliability.registry().entries.items())
        payload = json.dumps({"corrections": pending, "registry": registry}, ensure_ascii=False)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    @contextmanager
    def analysis_options(self) -> Iterator[tuple[Options, str]]:
        """Options for an analysis run by the workspace (no outputs, no progress bar, waiting for the
        workspace, the registry with the workspace's entries) and the :meth:`state` they were made from."""
        state = self.state()
        with tempfile.TemporaryDirectory(prefix="claimgraph-ws-") as tmp:
            registry = self.reliability.write_file(Path(tmp) / "reliability.yaml")
            yield (
                self.options.replace(
                    progress=False,
                    formats=(),
                    lock_wait=max(self.options.lock_wait, 3600.0),
                    reliability_registry=registry or self.options.reliability_registry,
                ),
                state,
            )

    def mark_state(self, state: str) -> None:
        """Note that the stored analysis was graded with ``state`` (see :meth:`needs_reanalysis`)."""
        import sqlalchemy as sa

        from ..store import _tables as t

        with self.store._begin() as conn:
            if conn.execute(sa.select(t.corpus_data.c.key).where(t.corpus_data.c.key == "analysis")).first():
                conn.execute(t.corpus_data.delete().where(t.corpus_data.c.key == STATE_KEY))
                conn.execute(t.corpus_data.insert().values(key=STATE_KEY, data={"digest": state}))

    def needs_reanalysis(self) -> bool:
        """Whether corrections or registry entries changed since the stored analysis was graded."""
        if not self.store.has_analysis():
            return False
        stored = self.store.corpus_value(STATE_KEY)
        current = self.state()
        if stored is None:
            return bool(self.corrections.list(active_only=True) or self.reliability.get())
        return not isinstance(stored, dict) or stored.get("digest") != current

    def reanalyse_provenance(self, *, wait: float = 30.0) -> bool:
        """Recompute provenance and grades of the stored analysis with the current corrections and
        registry, without any language analysis: the corrections the analysis carries are taken back,
        the active ones applied, provenance run, and the result saved (only changed rows are written).
        Holds the workspace's writer lock (``E303`` after ``wait`` seconds if a run holds it). ``False``
        when the workspace has no analysis yet."""
        from ..pipeline import DEDUP_KEY, FINGERPRINT_KEY, STAGE_PROBLEMS_KEY
        from ..provenance.stage import run_provenance
        from ..store import workspace_lock
        from .correcting import BASE_KEY, apply_corrections, load_pending, undo_corrections

        with workspace_lock(self.store.url, wait):
            if not self.store.has_analysis():
                return False
            with self.analysis_options() as (options, state):
                corpus = self.store.load_corpus()
                undo_corrections(corpus, self.store.corpus_value(BASE_KEY))
                base = apply_corrections(corpus, load_pending(self.store))
                run_provenance(corpus, options)
            extra: dict[str, Any] = {}
            for key in (FINGERPRINT_KEY, DEDUP_KEY, STAGE_PROBLEMS_KEY):
                value = self.store.corpus_value(key)
                if value is not None:
                    extra[key] = value
            if corpus.corrections:
                extra[BASE_KEY] = base
            extra[STATE_KEY] = {"digest": state}
            self.store.save_analysis(corpus, extra=extra)
        return True

    # ------------------------------------------------------------------ worker
    def run_worker(
        self,
        stop: threading.Event,
        poll_seconds: float = 1.0,
        *,
        worker: str | None = None,
        once: bool = False,
    ) -> int:
        """Run queued jobs until ``stop`` is set (checked between jobs and while idle); when idle, apply
        corrections or registry changes a busy workspace could not apply at once. ``once``: return when
        the queue is empty. Returns the number of jobs run. A database failure is printed (one line) and
        retried after ``poll_seconds``."""
        worker = worker or worker_id()
        ran = 0
        while not stop.is_set():
            try:
                job = self.jobs.claim_next(worker)
                if job is not None:
                    self.jobs.run_one(job)
                    ran += 1
                    continue
                if self.needs_reanalysis():
                    self.reanalyse_provenance(wait=max(poll_seconds, 1.0))
            except ClaimgraphError as exc:
                if "[E303]" not in str(exc):
                    print(f"claimgraph worker: {exc}", file=sys.stderr, flush=True)
            if once:
                break
            stop.wait(poll_seconds)
        return ran

    # ------------------------------------------------------------------ search
    def search(self, query: str, kind: str = "all", limit: int = 20, offset: int = 0) -> list[SearchHit]:
        """Full-text search over documents (title and text) and statements (SQLite FTS5, PostgreSQL
        full-text), best first; see :func:`claimgraph.workspace.search.search`."""
        from .search import search

        if kind not in ("all", "documents", "statements"):
            raise invalid("search kind", f"{kind!r}; expected all, documents or statements")
        return search(self.store, query, kind=kind, limit=limit, offset=offset)
