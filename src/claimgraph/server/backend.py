"""The server's one door to the workspace (:mod:`claimgraph.workspace`): accounts, tokens, audit, jobs,
corrections, reliability, search, and the analysis snapshot the pages read.

Every call the web layer makes into the workspace goes through :class:`Backend`, so the web layer does not
depend on the workspace's internals. What the snapshot shows is the stored analysis with the analysts'
corrections applied (a corrected stance re-grades its claim: :func:`apply_corrections`).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

from ..model import Corpus
from .data import Snapshot, SnapshotCache

__all__ = ["STANCES", "Backend", "apply_corrections"]

STANCES = ("supports", "reports", "disputes", "denies", "declines")
#: Statement fields an analyst may correct from the UI.
CORRECTABLE = ("stance", "source_id", "claim_id")


def _field(obj: Any, name: str, default: Any = None) -> Any:
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def apply_corrections(corpus: Corpus, corrections: Iterable[Any]) -> int:
    """Apply active statement corrections (stance, speaker, claim) to ``corpus`` in order and re-run
    provenance (origins, counts, grades) when any applied; returns how many applied.

    A correction whose statement is gone (re-analysis changed it) is left unapplied, never guessed."""
    statements = corpus.index("statements")
    sources = corpus.index("sources")
    claims = corpus.index("claims")
    applied = 0
    for corr in corrections:
        if _field(corr, "withdrawn") or _field(corr, "withdrawn_at"):
            continue
        st = statements.get(_field(corr, "statement_id"))
        name, value = _field(corr, "field"), _field(corr, "value")
        if st is None or name not in CORRECTABLE:
            continue
        if name == "stance" and value in STANCES:
            st.stance = value
            st.stance_confidence = 1.0
        elif name == "source_id" and value in sources:
            st.source_id = value
        elif name == "claim_id" and (value in claims or value in (None, "")):
            old, new = st.claim_id, value or None
            if old in claims and st.id in claims[old].statement_ids:
                claims[old].statement_ids.remove(st.id)
            if new in claims and st.id not in claims[new].statement_ids:
                claims[new].statement_ids.append(st.id)
            st.claim_id = new
        else:
            continue
        applied += 1
    if applied:
        from ..options import Options
        from ..provenance.stage import run_provenance

        corpus.sourcing = []
        run_provenance(corpus, Options())
    return applied


class Backend:
    """A workspace (``claimgraph.workspace.Workspace``) as the web layer uses it."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.store = ws.store
        self._generation = 0
        self._gen_lock = threading.Lock()
        self.snapshots = SnapshotCache(self._load, self._key)
        # parts a workspace package without jobs or corrections lacks: in-process stand-ins (server/local.py)
        from .local import LocalCorrections, LocalJobs

        self.jobs_part: Any = getattr(ws, "jobs", None) or LocalJobs(
            str(self.store.url), on_done=self.changed
        )
        self.corrections_part: Any = getattr(ws, "corrections", None) or LocalCorrections()
        self.local_parts = [
            n for n, part in (("jobs", "jobs"), ("corrections", "corrections")) if not hasattr(ws, part)
        ]

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
        from ..pipeline import FINGERPRINT_KEY

        try:
            fingerprint = self.store.corpus_value(FINGERPRINT_KEY)
        except Exception:
            fingerprint = None
        return f"{fingerprint}:{self._generation}"

    def _load(self) -> Corpus | None:
        if not self.store.has_analysis():
            return None
        corpus: Corpus = self.store.load_corpus()
        apply_corrections(corpus, self.corrections())
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

    def job(self, job_id: Any) -> Any:
        return self.jobs_part.get(job_id)

    def jobs(self) -> list[Any]:
        return list(self.jobs_part.list())

    def run_worker(self, stop: threading.Event) -> None:
        """The workspace's worker, or the local one; the snapshot is reloaded when the analysis changes
        (its fingerprint in the store)."""
        if "jobs" in self.local_parts or not hasattr(self.ws, "run_worker"):
            self.jobs_part.run_worker(stop)
        else:
            self.ws.run_worker(stop)

    # -- corrections, reliability, search --------------------------------------------------
    def corrections(self) -> list[Any]:
        return list(self.corrections_part.list())

    def correct(self, user: Any, statement_id: str, field: str, value: str, note: str) -> Any:
        corr = self.corrections_part.add(user, statement_id, field, value, note)
        self.changed()
        return corr

    def withdraw(self, correction_id: Any, user: Any) -> None:
        self.corrections_part.withdraw(correction_id, user)
        self.changed()

    def reliability(self) -> Any:
        return self.ws.reliability.get()

    def set_reliability(self, source_key: str, grade: str, user: Any) -> None:
        self.ws.reliability.set(source_key, grade, user)
        self.changed()

    def search(self, query: str, kind: str | None, limit: int, offset: int) -> list[Any]:
        return list(self.ws.search(query, kind, limit, offset))

    def close(self) -> None:
        close = getattr(self.ws, "close", None)
        if close is not None:
            close()
