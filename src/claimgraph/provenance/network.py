"""Network metrics of the actor graph (deterministic; betweenness by :func:`betweenness`, the same values
as networkx's, communities by networkx's Louvain).

The graph is undirected over entities, one edge per related pair (relations filtered by
``options.min_grade`` when set). Each entity gets ``degree`` (distinct neighbours), ``betweenness``
(normalised; estimated from :data:`BETWEENNESS_PIVOTS` seeded pivots on graphs larger than that) and ``community`` (Louvain with a fixed seed; communities numbered by size, then by their
smallest entity id). ``corpus.network`` records the graph's summary.
"""

from __future__ import annotations

import math
import random
from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Any

from ..model import Corpus, Relation
from .relations import filter_by_grade

__all__ = ["BETWEENNESS_PIVOTS", "SEED", "betweenness", "compute_network"]

SEED = 0
#: Betweenness is exact on graphs of at most this many nodes; on larger ones it is Brandes and Pich's
#: estimate from this many source nodes drawn with :data:`SEED` (deterministic). Exact betweenness costs
#: one shortest-path search per node, so its time grows with the square of the corpus.
BETWEENNESS_PIVOTS = 256


def compute_network(
    corpus: Corpus, relations: Sequence[Relation], min_grade: str | None = None
) -> dict[str, Any]:
    import networkx as nx

    kept = filter_by_grade(relations, min_grade)
    graph = nx.Graph()
    for relation in sorted(kept, key=lambda r: r.id):
        if graph.has_edge(relation.subject, relation.object):
            graph[relation.subject][relation.object]["relation_ids"].append(relation.id)
        else:
            graph.add_edge(relation.subject, relation.object, relation_ids=[relation.id])
    # exact up to BETWEENNESS_PIVOTS nodes; above, estimated from that many seeded pivots (linear, not
    # quadratic, in the graph's size)
    pivots = BETWEENNESS_PIVOTS if graph.number_of_nodes() > BETWEENNESS_PIVOTS else None
    centrality = betweenness(graph.adj, pivots) if graph.number_of_nodes() else {}
    communities: list[list[str]] = []
    if graph.number_of_edges():
        found = nx.community.louvain_communities(graph, seed=SEED)
        communities = sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))
    community_of = {node: k for k, members in enumerate(communities) for node in members}
    for entity in corpus.entities:
        if entity.id in graph:
            entity.degree = int(graph.degree(entity.id))
            entity.betweenness = round(float(centrality.get(entity.id, 0.0)), 6)
            entity.community = community_of.get(entity.id)
        else:
            entity.degree = 0
            entity.betweenness = 0.0
            entity.community = None
    return {
        "directed": False,
        "min_grade": min_grade,
        "nodes": sorted(graph.nodes),
        "edges": [
            {"source": a, "target": b, "relation_ids": sorted(data["relation_ids"])}
            for a, b, data in sorted((min(u, v), max(u, v), d) for u, v, d in graph.edges(data=True))
        ],
        "communities": communities,
        "relations_total": len(relations),
        "relations_kept": len(kept),
        "algorithms": {"betweenness": "networkx.betweenness_centrality (normalised"
                       + (f", estimated from k={pivots} pivots, seed={SEED})" if pivots else ")"),
                       "communities": f"networkx louvain_communities(seed={SEED})"},
    }  # fmt: skip


def betweenness(
    adjacency: Mapping[Hashable, Iterable[Hashable]], pivots: int | None
) -> dict[Hashable, float]:
    """Normalised betweenness of an undirected, unweighted graph (``adjacency``: each node's neighbours,
    both directions listed), exactly as ``networkx.betweenness_centrality(G, k=pivots, normalized=True,
    seed=SEED)`` (networkx 3.6) computes it for a graph whose ``G.adj`` is ``adjacency``: the same pivots
    (``random.Random(SEED).sample`` of the nodes in their order), Brandes' breadth-first search and
    dependency sums in the same order (so the same floating-point sums, bit for bit) and the same
    rescaling (sampled sources scaled apart when ``pivots`` is set). Nodes are numbered and the searches
    run on lists, without networkx's dictionary views (3-14 times faster as measured);
    ``tests/provenance/test_network.py`` compares the two on random graphs.
    """
    nodes = list(adjacency)
    n = len(nodes)
    number = {node: i for i, node in enumerate(nodes)}
    neighbours = [[number[w] for w in adjacency[v]] for v in nodes]
    if pivots is not None and pivots == n:
        pivots = None
    sources = (
        list(range(n)) if pivots is None else [number[v] for v in random.Random(SEED).sample(nodes, pivots)]
    )
    total = [0.0] * n
    # per-search state in lists shared by every search; a search resets only the nodes it reached
    dist, sigma, delta = [-1] * n, [0.0] * n, [0.0] * n
    preds: list[list[int]] = [[] for _ in range(n)]
    for s in sources:
        _accumulate(neighbours, s, total, dist, sigma, preds, delta)
    return dict(zip(nodes, _rescaled(total, pivots, set(sources)), strict=True))


def _accumulate(
    neighbours: list[list[int]],
    s: int,
    total: list[float],
    dist: list[int],
    sigma: list[float],
    preds: list[list[int]],
    delta: list[float],
) -> None:
    """One source's dependencies added to ``total`` (Brandes; networkx's ``_single_source_shortest_path_basic``
    then ``_accumulate_basic``: the same operations in the same order). ``dist`` is -1 for every node on
    entry and on return; ``sigma``, ``preds`` and ``delta`` are set for each node the search reaches."""
    order = [s]
    dist[s], sigma[s], preds[s] = 0, 1.0, []
    head = 0
    while head < len(order):  # breadth first; ``order`` is the queue and the visiting order
        v = order[head]
        head += 1
        next_dist = dist[v] + 1
        sigma_v = sigma[v]
        for w in neighbours[v]:
            dw = dist[w]
            if dw < 0:
                order.append(w)
                dist[w], sigma[w], preds[w] = next_dist, sigma_v, [v]
            elif dw == next_dist:  # another shortest path: count it
                sigma[w] += sigma_v
                preds[w].append(v)
    for w in order:
        delta[w] = 0.0
    for w in reversed(order):
        coeff = (1 + delta[w]) / sigma[w]
        for v in preds[w]:
            delta[v] += sigma[v] * coeff
        if w != s:
            total[w] += delta[w]
        dist[w] = -1


def _rescaled(total: list[float], pivots: int | None, sources: set[int]) -> list[float]:
    """networkx 3.6's ``_rescale`` for normalised, undirected betweenness without endpoints."""
    n_pairs = len(total) - 1
    if n_pairs < 2:
        return total
    if pivots is None:
        scale = 1 / (n_pairs * (n_pairs - 1))
        return [value * scale for value in total] if scale != 1 else total
    scale_source = 1 / ((pivots - 1) * (n_pairs - 1)) if pivots > 1 else math.nan
    scale_other = 1 / (pivots * (n_pairs - 1))
    return [value * (scale_source if i in sources else scale_other) for i, value in enumerate(total)]
