"""``matching._merge_pairs`` with average linkage does not ask the matcher again for the link of two groups whose
test failed while neither changed: the groups are those of the merge loop that asks every time (written out
here), on random graphs where the linkage guard fails often, and the matcher is asked less."""

from __future__ import annotations

import random
from typing import Any

import numpy as np
import pytest

from claimgraph.claims.matching import LINK_MEMBERS, UnionFind, cluster


class ScoreMatcher:
    """Every pair's score from a seeded table; candidates: the pairs scoring above a floor."""

    linkage = "average"

    def __init__(self, n: int, seed: int) -> None:
        rng = random.Random(seed)
        self.n = n
        self.table = np.array([[rng.random() for _ in range(n)] for _ in range(n)])
        self.table = (self.table + self.table.T) / 2
        self.calls = 0

    def fit(self, items: Any) -> None:
        pass

    def candidates(self) -> tuple[np.ndarray, np.ndarray]:
        i, j = np.nonzero(np.triu(self.table > 0.55, k=1))
        return i.astype(np.int64), j.astype(np.int64)

    def similarity(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        self.calls += 1
        return np.asarray(self.table[i, j], dtype=np.float64)


def _asking_every_time(matcher: ScoreMatcher, n: int, threshold: float, guard: float) -> list[list[int]]:
    """The merge loop as it was (average linkage, no other guard): the link asked for every pair."""
    i, j = matcher.candidates()
    scores = matcher.similarity(i, j)
    keep = scores >= threshold
    i, j, scores = i[keep], j[keep], scores[keep]
    uf = UnionFind(n)
    members: dict[int, list[int]] = {}
    for a, b in zip(
        *(x.tolist() for x in (i[np.lexsort((j, i, -scores))], j[np.lexsort((j, i, -scores))])), strict=True
    ):
        ra, rb = uf.find(a), uf.find(b)
        if ra == rb:
            continue
        left_members, right_members = members.get(ra, [ra]), members.get(rb, [rb])
        if len(left_members) > 1 or len(right_members) > 1:
            left = np.array(left_members[:LINK_MEMBERS], dtype=np.int64)
            right = np.array(right_members[:LINK_MEMBERS], dtype=np.int64)
            if (
                float(matcher.similarity(np.repeat(left, len(right)), np.tile(right, len(left))).mean())
                < guard
            ):
                continue
        root = uf.union(ra, rb)
        other = rb if root == ra else ra
        members.pop(other, None)
        members[root] = sorted(left_members + right_members)[:LINK_MEMBERS]
    groups: dict[int, list[int]] = {}
    for x in range(n):
        groups.setdefault(uf.find(x), []).append(x)
    return sorted(groups.values(), key=lambda g: g[0])


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_a_failed_link_is_not_asked_again_and_the_groups_do_not_change(seed: int) -> None:
    n, threshold = 60, 0.6
    cached, plain = ScoreMatcher(n, seed), ScoreMatcher(n, seed)
    groups = cluster(cached, n, threshold, chain_guard=1.0)
    assert groups == _asking_every_time(plain, n, threshold, threshold * 1.0)
    assert cached.calls < plain.calls
    assert 1 < len(groups) < n
