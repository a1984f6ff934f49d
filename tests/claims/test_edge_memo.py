"""The clustering's graph kept between runs (``edgememo.EdgeMemo``): the edges of a run that read a stored
state (items added, removed and changed since) equal a from-scratch run's, with the caps of candidate
generation binding (top-``k``, ``max_df``, LSH buckets), and fewer pairs scored."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest
from memo_helpers import DictStore, invented_stories, three_runs

from claimgraph.claims.edgememo import EdgeMemo
from claimgraph.claims.embeddings import EmbeddingMatcher
from claimgraph.claims.matching import MatchItem, cluster
from claimgraph.claims.text import quantities
from claimgraph.claims.tfidf import TfidfMatcher

THRESHOLD = 0.5
WORDS = [
    "ministry",
    "funds",
    "audit",
    "report",
    "police",
    "arrest",
    "council",
    "budget",
    "strike",
    "port",
    "union",
]


def _texts(n: int, seed: int) -> list[str]:
    return invented_stories(n, seed, WORDS, 8)


def _encode(texts: Sequence[str], _batch: int) -> np.ndarray:
    """A stand-in encoder: each word a fixed random direction, a text the normalised sum of its words'."""
    out = np.zeros((len(texts), 16), dtype=np.float32)
    for row, text in enumerate(texts):
        for word in text.split():
            seed = int(hashlib.sha256(word.encode()).hexdigest()[:8], 16)
            out[row] += np.random.default_rng(seed).standard_normal(16).astype(np.float32)
        out[row] /= max(float(np.linalg.norm(out[row])), 1e-6)
    return out


def _matcher(kind: str) -> Any:
    lexical = TfidfMatcher(k=3, max_df=6, query_features=3, idf="fixed")
    if kind == "tfidf":
        return lexical
    matcher = EmbeddingMatcher(encode=_encode, k=2, tables=3, bits=5)
    matcher.lexical = lexical
    return matcher


def _items(seed: int) -> list[tuple[str, MatchItem]]:
    """(statement id, item), in item order: invented one-line stories, some naming entities, some summaries."""
    rng = random.Random(seed)
    texts = list(dict.fromkeys(_texts(240, seed)))
    out = []
    for k, text in enumerate(texts):
        entities = frozenset(rng.sample(["ent-a", "ent-b", "ent-c", "ent-d"], rng.randint(0, 2)))
        out.append((f"st-{k}", MatchItem(text, entities, summary=rng.random() < 0.5)))
    return out


def _key(sid: str, item: MatchItem) -> str:
    facts = repr((sid, item.text, sorted(item.entity_ids), item.summary, sorted(item.names)))
    return hashlib.sha256(facts.encode()).hexdigest()


def _run(
    kind: str, items: list[tuple[str, MatchItem]], store: DictStore | None, threshold: float = THRESHOLD
) -> tuple[Any, EdgeMemo | None]:
    matcher = _matcher(kind)
    matcher.fit([item for _, item in items])
    if store is None:
        i, j = matcher.candidates()
        scores = matcher.similarity(i, j)
        keep = scores >= threshold
        return (i[keep], j[keep], scores[keep]), None
    memo = EdgeMemo(store, "test", {"kind": kind})
    edges = memo.edges(matcher, [_key(sid, item) for sid, item in items], threshold)
    memo.save()
    return edges, memo


def _same(a: Any, b: Any) -> bool:
    return all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))


@pytest.mark.parametrize("threshold", [THRESHOLD, 0.1])
@pytest.mark.parametrize("kind", ["tfidf", "embedding"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_edges_from_a_stored_state_equal_a_from_scratch_run(kind: str, seed: int, threshold: float) -> None:
    everything = _items(seed)
    store = DictStore()
    runs = three_runs(everything, seed, changed=0.05)
    for run, items in enumerate(runs):
        kept, memo = _run(kind, items, store, threshold)
        scratch, _ = _run(kind, items, None, threshold)
        assert _same(kept, scratch), f"run {run + 1}"
        assert memo is not None
        if run:
            assert memo.read and memo.kept > 0 and memo.affected < len(items)
        assert len(scratch[0]) > 20  # something is joined
    # the groups, too (the same edges, so the same clustering)
    matcher = _matcher(kind)
    matcher.fit([item for _, item in everything])
    figures = [quantities(item.text) for _, item in everything]
    assert cluster(matcher, len(everything), threshold, quantities=figures, edges=kept) == cluster(
        matcher, len(everything), threshold, quantities=figures
    )


def test_fewer_pairs_are_scored_after_a_small_addition() -> None:
    everything = _items(5)
    store = DictStore()
    _run("embedding", everything[:-5], store)
    scratch_memo = EdgeMemo(DictStore(), "test", {"kind": "embedding"})
    matcher = _matcher("embedding")
    matcher.fit([item for _, item in everything])
    keys = [_key(sid, item) for sid, item in everything]
    scratch_memo.edges(matcher, keys, THRESHOLD)
    _kept, memo = _run("embedding", everything, store)
    assert memo is not None and memo.read
    assert memo.scored < scratch_memo.scored / 3


def test_a_damaged_or_foreign_state_is_not_read() -> None:
    items = _items(4)
    store = DictStore()
    _run("tfidf", items, store)
    state = store.data["test"]["state"]
    store.data["test"]["state"] = {**state, "nb": "not an array"}
    kept, memo = _run("tfidf", items, store)
    assert memo is not None and not memo.read
    assert _same(kept, _run("tfidf", items, None)[0])
    other = EdgeMemo(store, "test", {"kind": "other parameters"})
    matcher = _matcher("tfidf")
    matcher.fit([item for _, item in items])
    other.edges(matcher, [_key(sid, item) for sid, item in items], THRESHOLD)
    assert not other.read


def test_equal_keys_neither_read_nor_keep_the_state() -> None:
    items = _items(6)[:40]
    store = DictStore()
    matcher = _matcher("tfidf")
    matcher.fit([item for _, item in items])
    memo = EdgeMemo(store, "test", {})
    edges = memo.edges(matcher, ["0" * 64] * len(items), THRESHOLD)
    memo.save()
    assert "test" not in store.data
    assert _same(edges, _run("tfidf", items, None)[0])


def test_a_state_whose_items_came_in_another_order_is_not_read() -> None:
    # ties are broken by position: stored neighbours of items now in another relative order are not reused
    items = _items(7)[:80]
    store = DictStore()
    _run("tfidf", items, store)
    swapped = items[40:] + items[:40]
    kept, memo = _run("tfidf", swapped, store)
    assert memo is not None and not memo.read
    assert _same(kept, _run("tfidf", swapped, None)[0])


@pytest.mark.parametrize("kind", ["tfidf", "embedding"])
def test_tiny_runs_without_entities_read_the_state(kind: str) -> None:
    store = DictStore()
    texts = ["flood audit", "flood audit ministry", "dam river", "dam river council"]
    for size in range(1, len(texts) + 1):
        items = [(f"st-{k}", MatchItem(t, summary=True)) for k, t in enumerate(texts[:size])]
        kept, memo = _run(kind, items, store)
        assert memo is not None and memo.read == (size > 1)
        assert _same(kept, _run(kind, items, None)[0])
