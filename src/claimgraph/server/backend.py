"""The server's one door to the workspace (:mod:`claimgraph.workspace`): accounts, tokens, audit, jobs,
corrections, reliability, search, and the analysis snapshot the pages read.

Every call the web layer makes into the workspace goes through :class:`Backend`, so the web layer does not
depend on the workspace's internals. What the snapshot shows is the stored analysis, which the workspace keeps
with the analysts' corrections applied and graded (``Workspace.reanalyse_provenance``).
"""

from __future__ import annotations

import json
import threading
from typing import Any

from ..model import Corpus
from .data import Snapshot, SnapshotCache

__all__ = ["STANCES", "Backend"]

STANCES = ("supports", "reports", "disputes", "denies", "declines")


class Backend:
    """A workspace (``claimgraph.workspace.Workspace``) as the web layer uses it."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.store = ws.store
        self._generation = 0
        self._gen_lock = threading.Lock()
        self.snapshots = SnapshotCache(self._load, self._key)
        self.jobs_part: Any = ws.jobs
        self.corrections_part: Any = ws.corrections

    @classmethod
    def open(cls, url_or_path: str) -> Backend:
        from ..workspace import Workspace

        return cls(Workspace.open(url_or_path))

    # -- the analysis ------------------------------------------------------------------
    def changed(self) -> None:
        """The analysis or the corrections changed: the next request rebuilds the snapshot."""
        with self._gen_lock:
            self._generation += 1
        self.snapshots.invalidate()

    def _key(self) -> str:
        """What the snapshot depends on: the analysis's fingerprint, the workspace's corrections and registry
        state (re-grading after a correction keeps the fingerprint), and this server's own changes."""
        from ..pipeline import FINGERPRINT_KEY

        try:
            fingerprint = self.store.corpus_value(FINGERPRINT_KEY)
            state = self.store.corpus_value("workspace_state")
        except Exception:
            fingerprint = state = None
        return json.dumps([fingerprint, state, self._generation], sort_keys=True, default=str)

    def _load(self) -> Corpus | None:
        if not self.store.has_analysis():
            return None
        # the workspace keeps the stored analysis with the corrections applied and graded
        corpus: Corpus = self.store.load_corpus()
        return corpus

    def snapshot(self) -> Snapshot:
        return self.snapshots.get()

    # -- accounts ------------------------------------------------------------------------
    def authenticate(self, name: str, password: str) -> Any:
        return self.ws.users.authenticate(name, password)

    def user(self, user_id: Any) -> Any:
        return self.ws.users.get(user_id)

    def verify_token(self, plaintext: str) -> Any:
        return self.ws.tokens.verify(plaintext)

    def create_token(self, user: Any, label: str) -> tuple[str, Any]:
        plaintext, token = self.ws.tokens.create(user, label)
        return plaintext, token

    def revoke_token(self, token_id: Any) -> None:
        self.ws.tokens.revoke(token_id)

    def tokens(self, user: Any) -> list[Any]:
        return list(self.ws.tokens.list(user))

    def audit(self, user: Any, action: str, target: str, detail: Any = None) -> None:
        if detail is not None and not isinstance(detail, dict):
            detail = {"detail": detail}
        self.ws.audit.record(user, action, target, detail)

    # -- jobs --------------------------------------------------------------------------
    def enqueue(self, kind: str, payload: dict[str, Any], user: Any) -> Any:
        return self.jobs_part.enqueue(kind, payload, user)

    def save_upload(self, filename: str, data: bytes) -> str:
        """Keep an uploaded file where the workspace's jobs read uploads (``Workspace.save_upload``)."""
        return str(self.ws.save_upload(filename, data))

    def job(self, job_id: Any) -> Any:
        return self.jobs_part.get(job_id)

    def jobs(self) -> list[Any]:
        return list(self.jobs_part.list())

    def run_worker(self, stop: threading.Event) -> None:
        """The workspace's job worker (the snapshot follows the analysis through its key)."""
        self.ws.run_worker(stop)

    # -- corrections, reliability, search --------------------------------------------------
    def corrections(self) -> list[Any]:
        return list(self.corrections_part.list())

    def correct(self, user: Any, statement_id: str, field: str, value: str, note: str) -> Any:
        corr = self.corrections_part.add(user, statement_id, field, value, note)
        self.changed()
        return corr

    async def correct_checked(self, user: Any, statement_id: str, field: str, value: str, note: str) -> Any:
        """:meth:`correct` in a worker thread; the workspace's refusal (unknown claim, bad value) as a 400."""
        from starlette.concurrency import run_in_threadpool
        from starlette.exceptions import HTTPException

        from ..errors import ClaimgraphError

        try:
            return await run_in_threadpool(self.correct, user, statement_id, field, value, note)
        except ClaimgraphError as exc:
            status = 403 if "[E405]" in str(exc) else 400
            raise HTTPException(status, str(exc)) from None

    def withdraw(self, correction_id: Any, user: Any) -> None:
        self.corrections_part.withdraw(correction_id, user)
        self.changed()

    def reliability(self) -> Any:
        return self.ws.reliability.get()

    def set_reliability(self, source_key: str, grade: str, user: Any) -> None:
        self.ws.reliability.set(source_key, grade, user)
        self.changed()

    def search(self, query: str, kind: str | None, limit: int, offset: int) -> list[Any]:
        kinds = {None: "all", "document": "documents", "statement": "statements"}
        return list(self.ws.search(query, kinds.get(kind, "all"), limit, offset))

    def close(self) -> None:
        close = getattr(self.ws, "close", None)
        if close is not None:
            close()
