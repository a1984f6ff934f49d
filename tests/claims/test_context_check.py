"""The clustering's context guards (``stage._context_check``) against their definition written out pair by pair:
two bare statements of two documents naming disjoint entities stay apart; two rows of figures join only with the
same figures."""

from __future__ import annotations

import random
from types import SimpleNamespace
from typing import Any

import numpy as np

from claimgraph.claims.stage import _context_check, _figure_row
from claimgraph.model import Statement

TEXTS = [
    "Shr profit nine cts vs loss 58 cts",
    "Shr profit 12 cts vs loss 58 cts",
    "Net loss 1,200,000 vs profit 5,400,000",
    "Net loss 1,200,000 vs profit 5,400,000",
    "Terms of the deal were not disclosed",
    "412 fighters were held in three camps",
    "Revs 40.1 mln vs 38.2 mln",
]


def _general(run: Any, items: list[Statement], i: np.ndarray, j: np.ndarray) -> list[bool]:
    """Each pair's verdict: two bare statements of two documents that both name entities, none shared, stay
    apart; two rows of figures join only with the same figures (every item's figures read beforehand)."""
    named: dict[str, set[str]] = {}
    for entity in run.corpus.entities:
        for doc_id in entity.document_ids:
            named.setdefault(doc_id, set()).add(entity.id)
    figures = [_figure_row(st.text) for st in items]
    out = []
    for a, b in zip(i.tolist(), j.tolist(), strict=True):
        x, y = items[a], items[b]
        keep = True
        if not run.expanded[x.id] and not run.expanded[y.id] and x.document_id != y.document_id:
            left, right = named.get(x.document_id), named.get(y.document_id)
            keep = not left or not right or not left.isdisjoint(right)
        if figures[a] is not None and figures[b] is not None:
            keep = keep and figures[a] == figures[b]
        out.append(keep)
    return out


def test_the_context_guards_are_their_general_form() -> None:
    rng = random.Random(17)
    for _ in range(30):
        items = [
            Statement(
                id=f"st-{k}",
                document_id=f"doc-{rng.randrange(4)}",
                source_id="src",
                text=rng.choice(TEXTS),
                cue=None,
                mode="assertion",
                certainty="asserted",
                certainty_cues=[],
                start=k,
                end=k + 1,
            )
            for k in range(rng.randint(2, 12))
        ]
        entities = [
            SimpleNamespace(
                id=f"ent-{e}", document_ids=rng.sample([f"doc-{d}" for d in range(4)], rng.randint(0, 3))
            )
            for e in range(3)
        ]
        run = SimpleNamespace(
            corpus=SimpleNamespace(entities=entities),
            expanded={st.id: set(rng.sample(["ent-0", "ent-1"], rng.randint(0, 1))) for st in items},
        )
        n = len(items)
        pairs = [(a, b) for a in range(n) for b in range(a + 1, n) if rng.random() < 0.6]
        i = np.array([a for a, _ in pairs], dtype=np.int64)
        j = np.array([b for _, b in pairs], dtype=np.int64)
        keep = _context_check(run, items)  # type: ignore[arg-type]
        assert keep(i, j).tolist() == _general(run, items, i, j)
