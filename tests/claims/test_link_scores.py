"""The clustering's linkage scores (``matching.LinkScores``): each compared pair scored once, and those of an
earlier run reused through ``edgememo.EdgeMemo`` where both items are unchanged, with the groups of a run that
asks the matcher at every comparison."""

from __future__ import annotations

import random
from typing import Any

import numpy as np
import pytest
from memo_helpers import DictStore, three_runs
from test_edge_memo import THRESHOLD, _items, _key, _matcher

from claimgraph.claims.edgememo import EdgeMemo, _decode, _encode
from claimgraph.claims.matching import LinkScores, MatchItem, cluster
from claimgraph.claims.text import quantities

#: The linkage's guard as a fraction of the threshold: high, so that the average linkage decides many merges
#: (a wrong stored score then changes the groups)
GUARD = 1.1


@pytest.mark.parametrize("kind", ["tfidf", "embedding"])
def test_a_pairs_score_does_not_depend_on_what_else_a_call_scores(kind: str) -> None:
    # what lets a score be kept: claimgraph's matchers give the same bits for a pair in a batch of any size
    # (the few-pairs path of pair_dot included) and in either order
    items = [item for _, item in _items(11)]
    matcher = _matcher(kind)
    matcher.fit(items)
    rng = random.Random(3)
    i = np.array([rng.randrange(len(items)) for _ in range(3000)])
    j = np.array([rng.randrange(len(items)) for _ in range(3000)])
    whole = matcher.similarity(i, j)
    assert (whole > 0).sum() > 300
    for size in (1, 2, 7, 16, 17, 144, 1000):
        parts = np.concatenate(
            [matcher.similarity(i[lo : lo + size], j[lo : lo + size]) for lo in range(0, 3000, size)]
        )
        assert parts.tobytes() == whole.tobytes(), size
    assert matcher.similarity(j, i).tobytes() == whole.tobytes()


def test_link_gives_the_matchers_array_and_scores_each_pair_once() -> None:
    items = [item for _, item in _items(12)]
    matcher = _matcher("embedding")
    matcher.fit(items)
    links = LinkScores(matcher, len(items))
    rng = random.Random(5)
    for _ in range(200):
        left = sorted(rng.sample(range(40), rng.randint(1, 12)))
        right = sorted(rng.sample(range(40, 80), rng.randint(1, 12)))
        expected = matcher.similarity(
            np.repeat(np.array(left), len(right)), np.tile(np.array(right), len(left))
        )
        assert links.link(left, right).tobytes() == expected.tobytes()
    assert links.computed == len(links.asked) < 40 * 40


def _groups(
    kind: str, items: list[tuple[str, MatchItem]], store: DictStore | None
) -> tuple[Any, LinkScores | None]:
    """One run's groups (average linkage), with the edge memo's state and linkage scores when ``store`` is
    given; without, every pair generated and the matcher asked at every comparison."""
    matcher = _matcher(kind)
    matcher.fit([item for _, item in items])
    figures = [quantities(item.text) for _, item in items]
    if store is None:
        return cluster(
            matcher, len(items), THRESHOLD, quantities=figures, linkage="average", chain_guard=GUARD
        ), None
    memo = EdgeMemo(store, "test", {"kind": kind})
    edges = memo.edges(matcher, [_key(sid, item) for sid, item in items], THRESHOLD)
    links = memo.link_scores(matcher, len(items))
    groups = cluster(
        matcher, len(items), THRESHOLD, quantities=figures, linkage="average", chain_guard=GUARD, edges=edges,
        links=links,
    )  # fmt: skip
    memo.save()
    return groups, links


@pytest.mark.parametrize("kind", ["tfidf", "embedding"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_groups_with_stored_linkage_scores_equal_those_of_a_run_without(kind: str, seed: int) -> None:
    store = DictStore()
    for run, items in enumerate(three_runs(_items(seed), seed, changed=0.1)):
        groups, links = _groups(kind, items, store)
        assert links is not None
        assert groups == _groups(kind, items, None)[0], f"run {run + 1}"
        assert any(len(g) > 2 for g in groups) and links.asked
        if run:
            # some compared pairs come from the stored run, some are new
            assert 0 < links.computed < len(links.asked), f"run {run + 1}"


def test_a_state_without_linkage_scores_is_read_and_damaged_ones_are_not() -> None:
    items = _items(4)
    store = DictStore()
    _groups("embedding", items, store)
    state = store.data["test"]["state"]
    assert {"link_a", "link_b", "link_score"} <= set(state)
    # a state of the version before the linkage's pairs were kept: read, no score known
    store.data["test"]["state"] = {k: v for k, v in state.items() if not k.startswith("link_")}
    groups, links = _groups("embedding", items, store)
    assert links is not None and links.computed == len(links.asked) > 0
    assert groups == _groups("embedding", items, None)[0]
    # pairs out of range: the state is not read
    count = len(_decode(state["link_a"]))
    store.data["test"]["state"] = {**state, "link_b": _encode(np.full(count, len(items), dtype="<i4"))}
    memo = EdgeMemo(store, "test", {"kind": "embedding"})
    assert memo._load() is None
