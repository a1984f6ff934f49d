"""The network's own betweenness against networkx's (the same pivots, the same floating-point sums)."""

from __future__ import annotations

import math
import random

import networkx as nx
import pytest

from claimgraph.provenance.network import SEED, betweenness


def _random_graph(rng: random.Random) -> nx.Graph:
    """Sparse and dense graphs, several components, isolated nodes, self-loops, string node names
    inserted in a shuffled order (the node and neighbour orders decide the pivots and the sums' order)."""
    n = rng.randint(1, 70)
    names = [f"ent-{rng.randrange(10**6):06d}-{i}" for i in range(n)]
    graph = nx.Graph()
    graph.add_nodes_from(rng.sample(names, rng.randint(0, n)))
    for _ in range(rng.randint(0, 3 * n)):
        a, b = rng.choice(names), rng.choice(names) if rng.random() < 0.95 else None
        graph.add_edge(a, b if b is not None else a)
    return graph


def _same(want: dict[object, float], got: dict[object, float]) -> None:
    assert list(got) == list(want)
    for node, value in want.items():
        assert got[node] == value or (math.isnan(value) and math.isnan(got[node])), node


@pytest.mark.parametrize("seed", range(8))
def test_betweenness_equals_networkx_bit_for_bit(seed: int) -> None:
    rng = random.Random(seed)
    checked = 0
    for _ in range(40):
        graph = _random_graph(rng)
        if not len(graph):
            continue
        n = len(graph)
        for pivots in sorted({None, 1, 2, max(1, n // 3), max(1, n - 1), n}, key=str):
            if pivots is not None and pivots > n:
                continue
            want = nx.betweenness_centrality(graph, k=pivots, normalized=True, seed=SEED)
            _same(want, betweenness(graph.adj, pivots))
            checked += 1
    assert checked > 100


def test_betweenness_with_many_shortest_paths_and_pivots() -> None:
    """A grid (many equal shortest paths: sums of several predecessors) and a graph over the pivot count."""
    grid = nx.relabel_nodes(nx.grid_2d_graph(9, 7), lambda xy: f"cell {xy[0]},{xy[1]}")
    _same(nx.betweenness_centrality(grid, normalized=True), betweenness(grid.adj, None))
    sparse = nx.relabel_nodes(nx.gnm_random_graph(400, 700, seed=4), lambda i: f"n{i}")
    want = nx.betweenness_centrality(sparse, k=64, normalized=True, seed=SEED)
    got = betweenness(sparse.adj, 64)
    _same(want, got)
    assert any(v > 0 for v in got.values())


def test_another_pivot_draw_is_seen() -> None:
    """The comparison above can fail: another pivot draw gives other values."""
    graph = nx.relabel_nodes(nx.gnm_random_graph(120, 200, seed=2), lambda i: f"n{i}")
    other = nx.betweenness_centrality(graph, k=20, normalized=True, seed=SEED + 1)
    assert other != betweenness(graph.adj, 20)
