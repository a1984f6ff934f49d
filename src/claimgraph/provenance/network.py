"""Network metrics of the actor graph (networkx, deterministic).

The graph is undirected over entities, one edge per related pair (relations filtered by
``options.min_grade`` when set). Each entity gets ``degree`` (distinct neighbours), ``betweenness``
(normalised; estimated from :data:`BETWEENNESS_PIVOTS` seeded pivots on graphs larger than that) and ``community`` (Louvain with a fixed seed; communities numbered by size, then by their
smallest entity id). ``corpus.network`` records the graph's summary.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..model import Corpus, Relation
from .relations import filter_by_grade

__all__ = ["BETWEENNESS_PIVOTS", "SEED", "compute_network"]

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
    betweenness = (
        nx.betweenness_centrality(graph, k=pivots, normalized=True, seed=SEED)
        if graph.number_of_nodes()
        else {}
    )
    communities: list[list[str]] = []
    if graph.number_of_edges():
        found = nx.community.louvain_communities(graph, seed=SEED)
        communities = sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))
    community_of = {node: k for k, members in enumerate(communities) for node in members}
    for entity in corpus.entities:
        if entity.id in graph:
            entity.degree = int(graph.degree(entity.id))
            entity.betweenness = round(float(betweenness.get(entity.id, 0.0)), 6)
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
