"""Each document's relation triples kept between runs (``docs/provenance.md``, "Cost").

The triples a document's statements assert (:func:`~.relations.extract_relations`) are a function of its title
and text, its asserting statements' ids, parts and spans, and the entity mentions of those parts
(:func:`~.relations._document_key` hashes exactly these); the merge into relations (statement, source and claim
ids) is done again on every run from the current statements. :class:`RelationMemo` keeps the latest run's triples
of every document as one entry of the store's ``memo`` table (document key -> triples, most of them none: one row
and one parse instead of one per document), under a namespace naming the code's fingerprint; entries of other
code versions are dropped when it is saved.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["NAMESPACE_PREFIX", "RelationMemo", "relation_memo"]

NAMESPACE_PREFIX = "provenance-relations:"
#: Bumped when the key or the stored value's layout changes.
VERSION = 2
_ENTRY = "state"


class RelationMemo:
    """The store's per-document relation triples (``get_memos``/``update_memos`` under ``namespace``)."""

    def __init__(self, store: Any, namespace: str) -> None:
        self.store = store
        self.namespace = namespace
        self.used: dict[str, Any] = {}
        self.reused = 0
        """Documents whose triples were read from the store."""
        self.computed = 0
        """Documents searched for triples in this run."""

    def get(self, keys: Sequence[str]) -> dict[str, Any]:
        """The stored values of those of ``keys`` that have one."""
        state = self.store.get_memos(self.namespace, [_ENTRY]).get(_ENTRY)
        if not isinstance(state, dict):
            return {}
        wanted = set(keys)
        return {k: v for k, v in state.items() if k in wanted}

    def keep(self, key: str, value: Any) -> None:
        self.used[key] = value

    def save(self) -> None:
        """Keep this run's entries only; drop the entries of other code versions."""
        self.store.update_memos(self.namespace, {_ENTRY: self.used}, (), stale_prefix=NAMESPACE_PREFIX)


def relation_memo(store: Any) -> RelationMemo | None:
    """The memo of the workspace ``store`` for this code, or ``None`` without a writable store that keeps memos."""
    if store is None or not all(hasattr(store, f) for f in ("get_memos", "update_memos")):
        return None
    if getattr(store, "readonly", False):
        return None
    from ..pipeline import _code_fingerprint

    return RelationMemo(store, f"{NAMESPACE_PREFIX}{_code_fingerprint()[:16]}:v{VERSION}")
