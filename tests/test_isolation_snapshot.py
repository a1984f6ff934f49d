"""``isolation._snapshot``: what a failed corpus-level stage changed is put back, field by field."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from claimgraph import isolation


@dataclass
class _Item:
    stance: str | None = None
    tags: list[str] = field(default_factory=list)


@dataclass
class _Corpus:
    statements: list[_Item]
    network: dict[str, Any]


def test_restore_puts_back_atoms_and_containers_changed_in_place() -> None:
    corpus = _Corpus([_Item(), _Item("supports", ["a"])], {"nodes": [1, 2]})
    tags = corpus.statements[1].tags
    restore = isolation._snapshot(
        corpus, ["statements.stance", "statements.tags", "network", "statements.stance"]
    )
    corpus.statements[0].stance = "denies"
    corpus.statements[1].stance = None
    tags.append("b")  # mutated in place: the snapshot must hold its own copy
    corpus.network["nodes"].append(3)
    corpus.network = {"other": True}
    restore()
    assert [s.stance for s in corpus.statements] == [None, "supports"]
    assert corpus.statements[1].tags == ["a"] and corpus.network == {"nodes": [1, 2]}
    # a second failure restores again from the same snapshot (restore hands out fresh copies)
    corpus.statements[1].tags.append("c")
    corpus.network["nodes"].clear()
    restore()
    assert corpus.statements[1].tags == ["a"] and corpus.network == {"nodes": [1, 2]}


def test_atoms_are_kept_as_they_are_containers_copied() -> None:
    value: list[int] = [1]
    assert isolation._copied("x") == "x" and isolation._copied(None) is None and isolation._copied(2.5) == 2.5
    copied = isolation._copied(value)
    assert copied == value and copied is not value
    pair = (1, [2])
    assert isolation._copied(pair)[1] is not pair[1]  # a tuple may hold a mutable: deep-copied
