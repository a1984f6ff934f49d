"""The audit log: every write to a shared workspace, with who, when, what and on what."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..store import _tables as t
from ._base import Part, as_json, invalid, now

if TYPE_CHECKING:
    from .accounts import User

__all__ = ["Audit", "AuditEntry"]


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: str
    user_id: int | None
    user_name: str | None
    """The name at the time of the action (``None``: the system, e.g. a worker)."""
    action: str
    """What was done, dotted: ``user.add``, ``token.revoke``, ``job.enqueue``, ``correction.add`` ..."""
    target: str
    """On what: a user name, a job id, a statement id ..."""
    detail: dict[str, Any]


def _entry(row: Any) -> AuditEntry:
    detail = as_json(row.detail)
    return AuditEntry(
        seq=int(row.seq),
        at=row.at,
        user_id=row.user_id,
        user_name=row.user_name,
        action=row.action,
        target=row.target,
        detail=detail if isinstance(detail, dict) else {"value": detail},
    )


class Audit(Part):
    """``ws.audit``: :meth:`record` every write; :meth:`list` newest first."""

    def record(
        self, user: User | None, action: str, target: str, detail: dict[str, Any] | None = None
    ) -> AuditEntry:
        if not action:
            raise invalid("audit action", "empty")
        with self.begin() as conn:
            result = conn.execute(
                t.ws_audit.insert().values(
                    at=now(),
                    user_id=None if user is None else user.id,
                    user_name=None if user is None else user.name,
                    action=action,
                    target=str(target),
                    detail=dict(detail or {}),
                )
            )
            seq = int(result.inserted_primary_key[0])  # type: ignore[index]
            row = conn.execute(sa.select(t.ws_audit).where(t.ws_audit.c.seq == seq)).one()
        return _entry(row)

    def list(
        self, limit: int = 50, offset: int = 0, *, user: str | None = None, action: str | None = None
    ) -> list[AuditEntry]:
        """Entries newest first; ``user`` (a name) and ``action`` (exact, or a prefix ending in ``.``) filter."""
        query = sa.select(t.ws_audit).order_by(t.ws_audit.c.seq.desc())
        if user is not None:
            query = query.where(t.ws_audit.c.user_name == user)
        if action is not None:
            if action.endswith("."):
                query = query.where(t.ws_audit.c.action.startswith(action, autoescape=True))
            else:
                query = query.where(t.ws_audit.c.action == action)
        query = query.limit(max(0, int(limit))).offset(max(0, int(offset)))
        with self.connect() as conn:
            return [_entry(r) for r in conn.execute(query)]

    def count(self) -> int:
        with self.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(t.ws_audit)).scalar_one())
