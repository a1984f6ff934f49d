"""The store's ``watch_state`` and ``alerts`` tables (``claimgraph watch``), as methods :class:`Store` inherits."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from . import _tables as t

__all__ = ["WatchTables"]


def _decoded(value: Any) -> Any:
    if isinstance(value, str | bytes):
        try:
            return json.loads(value)
        except ValueError:
            return None
    return value


class WatchTables:
    """Tracked states and alerts; mixed into :class:`~claimgraph.store.Store` (which supplies the plumbing)."""

    _engine: Engine
    readonly: bool

    def _begin(self) -> AbstractContextManager[Connection]:  # pragma: no cover - supplied by Store
        raise NotImplementedError

    def _errors(self) -> AbstractContextManager[None]:  # pragma: no cover - supplied by Store
        raise NotImplementedError

    # ------------------------------------------------------------------ tracked states
    def watch_states(self) -> dict[str, dict[str, Any]]:
        """Every stored tracked state: ``{key: data}`` (``claim:<id>``, ``entity:<name>``); a damaged row is left
        out (its item starts again from the current state, without alerts)."""
        if not self._has_table(t.watch_state.name):
            return {}
        with self._errors(), self._engine.connect() as conn:
            rows = conn.execute(sa.select(t.watch_state.c.key, sa.cast(t.watch_state.c.data, sa.Text))).all()
        out: dict[str, dict[str, Any]] = {}
        for key, data in rows:
            value = _decoded(data)
            if isinstance(value, dict):
                out[str(key)] = value
        return out

    def put_watch_states(self, states: Mapping[str, Mapping[str, Any]], updated: str) -> None:
        """Replace the stored states of these keys (one transaction); other keys are left alone."""
        keys = sorted(states)
        if not keys:
            return
        with self._begin() as conn:
            for start in range(0, len(keys), 500):
                conn.execute(t.watch_state.delete().where(t.watch_state.c.key.in_(keys[start : start + 500])))
            conn.execute(
                t.watch_state.insert(),
                [
                    {"key": k, "kind": k.split(":", 1)[0], "updated": updated, "data": dict(states[k])}
                    for k in keys
                ],
            )

    # ------------------------------------------------------------------ alerts
    def add_alert(self, alert: Mapping[str, Any]) -> bool:
        """Store ``alert`` unless an alert with its ``id`` (from its dedup key) is already there; ``True`` if new."""
        row = {
            "id": alert["id"],
            "key": alert["key"],
            "kind": alert["kind"],
            "claim_id": (alert.get("claim") or {}).get("id"),
            "entity_id": (alert.get("entity") or {}).get("id"),
            "created": alert["created"],
            "delivery": None,
            "data": dict(alert),
        }
        try:
            with self._engine.begin() as conn:
                if conn.execute(sa.select(t.alerts.c.id).where(t.alerts.c.id == row["id"])).first():
                    return False
                conn.execute(t.alerts.insert().values(**row))
            return True
        except sa.exc.IntegrityError:
            return False  # another watcher stored the same alert between our check and our insert

    def set_alert_delivery(self, alert_id: str, delivery: Mapping[str, Any]) -> None:
        """Record the webhook outcomes of one alert (``{url: {"status": ..., "attempts": n, ...}}``)."""
        with self._begin() as conn:
            conn.execute(t.alerts.update().where(t.alerts.c.id == alert_id).values(delivery=dict(delivery)))

    def iter_alerts(
        self,
        *,
        since: str | None = None,
        kinds: tuple[str, ...] = (),
        claim_id: str | None = None,
        entity_id: str | None = None,
        limit: int | None = None,
        newest_first: bool = True,
    ) -> Iterator[dict[str, Any]]:
        """Stored alerts (each the printed alert plus ``delivery``), filtered; none in a store without the table."""
        if not self._has_table(t.alerts.name):
            return
        query = sa.select(sa.cast(t.alerts.c.data, sa.Text), sa.cast(t.alerts.c.delivery, sa.Text))
        if since is not None:
            query = query.where(t.alerts.c.created >= since)
        if kinds:
            query = query.where(t.alerts.c.kind.in_(kinds))
        if claim_id is not None:
            query = query.where(t.alerts.c.claim_id == claim_id)
        if entity_id is not None:
            query = query.where(t.alerts.c.entity_id == entity_id)
        order = (
            (t.alerts.c.created.desc(), t.alerts.c.id)
            if newest_first
            else (t.alerts.c.created, t.alerts.c.id)
        )
        query = query.order_by(*order)
        if limit is not None:
            query = query.limit(limit)
        with self._errors(), self._engine.connect() as conn:
            rows = conn.execute(query).all()
        for data, delivery in rows:
            value = _decoded(data)
            if isinstance(value, dict):
                value["delivery"] = _decoded(delivery) if delivery is not None else None
                yield value

    def _has_table(self, name: str) -> bool:
        with self._errors():
            return name in set(sa.inspect(self._engine).get_table_names())
