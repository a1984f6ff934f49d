"""The reliability registry edited in the workspace: source or outlet name -> Admiralty letter A-F.

Same meaning and matching as the registry file (:mod:`claimgraph.provenance.reliability`): names match
case-insensitively, ignoring spaces and typographic quotes. The workspace's entries are laid over the
file given in the workspace's options (an entry here wins), and analyses run by the workspace (jobs,
:meth:`~claimgraph.workspace.Workspace.reanalyse_provenance`) grade with the result.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..provenance.reliability import LETTERS, ReliabilityRegistry, _key, load_registry
from ..store import _tables as t
from ._base import Part, invalid, now

if TYPE_CHECKING:
    from ._workspace import Workspace
    from .accounts import User

__all__ = ["Reliability", "ReliabilityEntry"]


@dataclass(frozen=True)
class ReliabilityEntry:
    key: str
    """The matching key (case-folded, spaces collapsed)."""
    name: str
    """The name as entered."""
    grade: str
    """Admiralty reliability letter A-F."""
    user_name: str
    updated: str


class Reliability(Part):
    """``ws.reliability``: :meth:`get` the entries, :meth:`set` or remove one (audited)."""

    def __init__(self, store: Any, workspace: Workspace, base: Path | None = None) -> None:
        super().__init__(store)
        self.workspace = workspace
        self.base = base
        """The registry file the workspace's entries are laid over (``Options.reliability_registry``)."""

    def get(self) -> list[ReliabilityEntry]:
        """The workspace's entries, by key."""
        with self.connect() as conn:
            rows = conn.execute(sa.select(t.ws_reliability).order_by(t.ws_reliability.c.key)).all()
        return [ReliabilityEntry(r.key, r.name, r.grade, r.user_name, r.updated) for r in rows]

    def set(
        self, source_key: str, grade: str | None, user: User, *, reanalyse: bool = True
    ) -> ReliabilityEntry | None:
        """Register ``source_key`` (a source, person, organisation or outlet name) as ``grade`` (A-F);
        ``None`` or ``""`` removes the entry. Returns the entry (``None`` when removed). With
        ``reanalyse`` grades are recomputed at once (as for corrections); ``E405`` for a reader."""
        from .corrections import require_writer

        require_writer(user, "edit the reliability registry")
        name = " ".join(source_key.split())
        key = _key(name)
        if not key or len(name) > 255:
            raise invalid("reliability name", "empty or longer than 255 characters")
        letter = (grade or "").strip().upper()
        if letter and letter not in LETTERS:
            raise invalid("reliability grade", f"{grade!r}; expected one of A-F (or empty to remove)")
        stamp = now()
        with self.begin() as conn:
            old = conn.execute(
                sa.select(t.ws_reliability.c.grade).where(t.ws_reliability.c.key == key)
            ).first()
            conn.execute(t.ws_reliability.delete().where(t.ws_reliability.c.key == key))
            if letter:
                conn.execute(
                    t.ws_reliability.insert().values(
                        key=key, name=name, grade=letter, user_name=user.name, updated=stamp
                    )
                )
        self.workspace.audit.record(
            user,
            "reliability.set" if letter else "reliability.remove",
            name,
            {"grade": letter or None, "previous": None if old is None else old[0]},
        )
        if reanalyse:
            self.workspace.corrections._reanalyse()
        return ReliabilityEntry(key, name, letter, user.name, stamp) if letter else None

    def registry(self) -> ReliabilityRegistry:
        """The registry analyses use: the base file's entries with the workspace's laid over them."""
        merged = load_registry(self.base)
        entries = dict(merged.entries)
        entries.update({e.key: e.grade for e in self.get()})
        return ReliabilityRegistry(entries=entries, path=merged.path)

    def write_file(self, path: Path) -> Path | None:
        """Write :meth:`registry` as a YAML file for an analysis run; ``None`` (nothing written) when empty."""
        import yaml

        registry = self.registry()
        if not len(registry):
            return None
        path.parent.mkdir(parents=True, exist_ok=True)
        text = yaml.safe_dump(dict(sorted(registry.entries.items())), allow_unicode=True, sort_keys=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
        return path
