"""Analysts' corrections: a statement's speaker, stance or claim marked wrong and the right one given.

Stored with who and when in ``ws_corrections``; applied by every analysis of the workspace (the
``claimgraph.corrections.v1`` stage, :mod:`.correcting`) and, right after a change, by
:meth:`~claimgraph.workspace.Workspace.reanalyse_provenance` (no language analysis: only provenance and
grades are recomputed). Exported in ``claimgraph.json`` (``corrections``) and as STIX ``note`` objects.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..errors import Errors, StoreError, WorkspaceError
from ..model import stable_id
from ..store import _tables as t
from ._base import Part, as_json, invalid, missing, now
from .correcting import CORRECTION_FIELDS, STANCES

if TYPE_CHECKING:
    from ._workspace import Workspace
    from .accounts import User

__all__ = ["Correction", "Corrections", "require_writer"]

#: Longest note and speaker name accepted.
MAX_NOTE = 2000
MAX_NAME = 200


@dataclass(frozen=True)
class Correction:
    id: int
    statement_id: str
    field: str
    """``speaker``, ``stance`` or ``claim_id``."""
    value: str
    """A source id or a speaker's name; a stance; a claim id (``""``: in no claim)."""
    anchor: str | None
    """For ``claim_id``: a statement of the target claim (found again after re-analysis)."""
    note: str
    user_id: int | None
    user_name: str
    created: str
    withdrawn: str | None
    withdrawn_by: str | None

    @property
    def active(self) -> bool:
        return self.withdrawn is None

    @property
    def export_id(self) -> str:
        """The id in ``claimgraph.json`` and STIX (``cor-N``)."""
        return f"cor-{self.id}"


def _correction(row: Any) -> Correction:
    return Correction(
        id=int(row.id),
        statement_id=row.statement_id,
        field=row.field,
        value=row.value,
        anchor=row.anchor,
        note=row.note or "",
        user_id=row.user_id,
        user_name=row.user_name,
        created=row.created,
        withdrawn=row.withdrawn,
        withdrawn_by=row.withdrawn_by,
    )


def require_writer(user: User, action: str) -> None:
    """``E405`` unless ``user`` may change the workspace (an enabled admin or analyst)."""
    if not user.can_write:
        role = "disabled" if user.disabled else user.role
        raise WorkspaceError(Errors.E405.format(name=user.name, role=role, action=action))


class Corrections(Part):
    """``ws.corrections``: :meth:`add`, :meth:`withdraw`, :meth:`list`, :meth:`get`."""

    def __init__(self, store: Any, workspace: Workspace) -> None:
        super().__init__(store)
        self.workspace = workspace

    def _statement(self, statement_id: str) -> dict[str, Any]:
        with self.connect() as conn:
            data = conn.execute(
                sa.select(t.statements.c.data).where(t.statements.c.id == statement_id)
            ).scalar_one_or_none()
        if data is None:
            raise missing("statement", statement_id)
        value = as_json(data)
        return value if isinstance(value, dict) else {}

    def _has_source(self, source_id: str) -> bool:
        with self.connect() as conn:
            return (
                conn.execute(sa.select(t.sources.c.id).where(t.sources.c.id == source_id)).first() is not None
            )

    def _anchor(self, claim_id: str, statement_id: str) -> str:
        """A statement of claim ``claim_id`` other than ``statement_id``: its representative when possible."""
        with self.connect() as conn:
            data = conn.execute(
                sa.select(t.claims.c.data).where(t.claims.c.id == claim_id)
            ).scalar_one_or_none()
        if data is None:
            raise missing("claim", claim_id)
        ids = sorted(str(s) for s in (as_json(data) or {}).get("statement_ids", []) if s != statement_id)
        if not ids:
            raise invalid("claim correction", f"claim {claim_id} has no statement besides {statement_id}")
        representative = [s for s in ids if stable_id("claim", s) == claim_id]
        return (representative or ids)[0]

    def add(
        self,
        user: User,
        statement_id: str,
        field: str,
        value: str | None,
        note: str = "",
        *,
        reanalyse: bool = True,
    ) -> Correction:
        """Correct ``field`` of statement ``statement_id``:

        - ``speaker``: ``value`` is a source id, or a name (an existing named source of that name, else a new
          source made for the correction: the type of an entity of that name, or a person);
        - ``stance``: one of ``supports``, ``reports``, ``disputes``, ``denies``, ``declines``;
        - ``claim_id``: the id of the claim the statement belongs to, or ``""``/``None`` for none.

        An earlier active correction of the same statement and field is withdrawn (replaced). With
        ``reanalyse`` (the default) provenance and grades are recomputed at once
        (:meth:`Workspace.reanalyse_provenance`); when another run holds the workspace, the worker does it
        when that run ends. ``E402`` for an unknown statement or claim, ``E403`` for a bad field or value,
        ``E405`` for a user who may not write.
        """
        require_writer(user, "correct statements")
        if field not in CORRECTION_FIELDS:
            raise invalid("correction field", f"{field!r}; expected one of {', '.join(CORRECTION_FIELDS)}")
        text = " ".join((value or "").split())
        note = note.strip()
        if len(note) > MAX_NOTE:
            raise invalid("correction note", f"longer than {MAX_NOTE} characters")
        self._statement(statement_id)
        anchor: str | None = None
        if field == "stance" and text not in STANCES:
            raise invalid("stance", f"{value!r}; expected one of {', '.join(STANCES)}")
        if field == "speaker" and not 0 < len(text) <= MAX_NAME:
            raise invalid("speaker", f"give a source id or a name of 1-{MAX_NAME} characters")
        if field == "speaker" and re.fullmatch(r"src-[0-9a-f]{16}", text) and not self._has_source(text):
            raise missing("source", text)
        if field == "claim_id" and text:
            anchor = self._anchor(text, statement_id)
        stamp = now()
        with self.begin() as conn:
            c = t.ws_corrections.c
            conn.execute(
                t.ws_corrections.update()
                .where(c.statement_id == statement_id, c.field == field, c.withdrawn.is_(None))
                .values(withdrawn=stamp, withdrawn_by=user.name)
            )
            result = conn.execute(
                t.ws_corrections.insert().values(
                    statement_id=statement_id,
                    field=field,
                    value=text,
                    anchor=anchor,
                    note=note,
                    user_id=user.id,
                    user_name=user.name,
                    created=stamp,
                )
            )
            correction_id = int(result.inserted_primary_key[0])  # type: ignore[index]
        self.workspace.audit.record(
            user,
            "correction.add",
            statement_id,
            {"correction": f"cor-{correction_id}", "field": field, "value": text, "note": note},
        )
        if reanalyse:
            self._reanalyse()
        return self._require(correction_id)

    def _reanalyse(self) -> None:
        try:
            self.workspace.reanalyse_provenance(wait=self.workspace.reanalyse_wait)
        except StoreError as exc:
            if "[E303]" not in str(exc):
                raise
            # another run is writing: the worker applies the change when it ends (needs_reanalysis)

    def withdraw(self, correction_id: int, user: User, *, reanalyse: bool = True) -> Correction:
        """Withdraw a correction: the analysis's own value comes back (``E402`` if unknown)."""
        require_writer(user, "withdraw corrections")
        found = self._require(correction_id)
        if found.active:
            with self.begin() as conn:
                conn.execute(
                    t.ws_corrections.update()
                    .where(t.ws_corrections.c.id == correction_id, t.ws_corrections.c.withdrawn.is_(None))
                    .values(withdrawn=now(), withdrawn_by=user.name)
                )
            self.workspace.audit.record(
                user, "correction.withdraw", found.statement_id, {"correction": found.export_id}
            )
            if reanalyse:
                self._reanalyse()
        return self._require(correction_id)

    def get(self, correction_id: int) -> Correction | None:
        with self.connect() as conn:
            row = conn.execute(
                sa.select(t.ws_corrections).where(t.ws_corrections.c.id == correction_id)
            ).first()
        return None if row is None else _correction(row)

    def _require(self, correction_id: int) -> Correction:
        found = self.get(correction_id)
        if found is None:
            raise missing("correction", correction_id)
        return found

    def list(
        self,
        statement_id: str | None = None,
        *,
        active_only: bool = False,
        statement_ids: Sequence[str] | None = None,
    ) -> list[Correction]:
        """Corrections, oldest first: of one statement, of several (``statement_ids``, e.g. a claim's),
        or only the active ones, when asked."""
        query = sa.select(t.ws_corrections).order_by(t.ws_corrections.c.id)
        if statement_id is not None:
            query = query.where(t.ws_corrections.c.statement_id == statement_id)
        if statement_ids is not None:
            query = query.where(t.ws_corrections.c.statement_id.in_(sorted(set(statement_ids))))
        if active_only:
            query = query.where(t.ws_corrections.c.withdrawn.is_(None))
        with self.connect() as conn:
            return [_correction(r) for r in conn.execute(query)]
