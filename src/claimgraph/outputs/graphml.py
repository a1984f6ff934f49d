"""``claimgraph.graphml``: the actor network for Gephi, Cytoscape and networkx.

Plain GraphML: one ``<key>`` per attribute with a scalar type (string, int, double, boolean); lists are
joined with ``|``. Every node and every edge carries every attribute of its element type (empty string,
``-1`` or ``0`` when not applicable), so tools that need a fixed schema read it cleanly.

Nodes (``node_kind``): ``entity`` (an entity; the sources linked to it are folded into it), ``source``
(a source without an entity: outlet, byline, anonymous or document source) and ``claim``.
Edges (``edge_kind``): ``relation`` (subject -> object, one per relation) and ``said`` (speaker ->
claim for statements in a claim; speaker -> entity for other statements naming an entity), grouped by
speaker, target and stance.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from ..model import Corpus, Grade, Statement
from ..options import Options
from ..registry import registry
from . import write_atomic
from .report import Index

__all__ = ["EDGE_ATTRIBUTES", "NODE_ATTRIBUTES", "build_graph", "write_graphml"]

#: node attribute -> type default (also the GraphML key type)
NODE_ATTRIBUTES: dict[str, Any] = {
    "label": "",
    "node_kind": "",
    "type": "",
    "kind": "",
    "role": "",
    "aliases": "",
    "mentions": 0,
    "degree": 0,
    "betweenness": 0.0,
    "community": -1,
    "source_ids": "",
    "document_ids": "",
    "admiralty": "",
    "reliability": "",
    "credibility": 0,
    "confidence": 0,
    "circular": False,
    "independent_sources": 0,
    "explanation": "",
}

#: edge attribute -> type default
EDGE_ATTRIBUTES: dict[str, Any] = {
    "edge_kind": "",
    "label": "",
    "predicate": "",
    "stance": "",
    "admiralty": "",
    "reliability": "",
    "credibility": 0,
    "confidence": 0,
    "weight": 1,
    "evidence": "",
    "statement_ids": "",
    "source_ids": "",
    "sources": "",
    "document_ids": "",
    "claim_ids": "",
    "relation_id": "",
    "explanation": "",
}


_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(attrs: dict[str, Any]) -> dict[str, Any]:
    """Drop characters XML 1.0 cannot carry (article text is untrusted and sometimes binary-ish)."""
    return {k: _XML_INVALID.sub("", v) if isinstance(v, str) else v for k, v in attrs.items()}


def _join(items: Any) -> str:
    return "|".join(str(i) for i in items)


def _grade(grade: Grade) -> dict[str, Any]:
    return {
        "admiralty": grade.admiralty,
        "reliability": grade.reliability,
        "credibility": int(grade.credibility),
        "confidence": int(grade.confidence),
        "explanation": grade.explanation,
    }


def _evidence(index: Index, statements: list[Statement]) -> str:
    parts = []
    for st in statements:
        where = index.outlet_of(st.document_id)
        parts.append(f"“{index.sentence(st)}” ({index.phrase(st.source_id)}, in {where})")
    return " | ".join(parts)


def build_graph(corpus: Corpus) -> Any:
    """A ``networkx.MultiDiGraph`` with the attributes above (deterministic insertion order)."""
    import networkx as nx

    index = Index(corpus)
    graph = nx.MultiDiGraph()
    graph.graph["name"] = "claimgraph"
    graph.graph["description"] = "Who said what about whom; edges are reported, not established."

    def add_node(node_id: str, **attrs: Any) -> None:
        data = dict(NODE_ATTRIBUTES)
        data.update({k: v for k, v in attrs.items() if v is not None})
        graph.add_node(node_id, **_clean(data))

    folded: dict[str, list[str]] = defaultdict(list)
    for src in corpus.sources:
        if src.entity_id and src.entity_id in index.entities:
            folded[src.entity_id].append(src.id)
    for ent in sorted(corpus.entities, key=lambda e: e.id):
        srcs = [index.sources[s] for s in sorted(folded[ent.id])]
        add_node(
            ent.id,
            label=ent.name,
            node_kind="entity",
            type=ent.type,
            kind=_join(sorted({s.kind for s in srcs})),
            role=_join(sorted({s.role for s in srcs if s.role})),
            aliases=_join(sorted({a.name for a in ent.aliases if a.name != ent.name})),
            mentions=int(ent.mentions),
            betweenness=float(ent.betweenness or 0.0),
            community=int(ent.community) if ent.community is not None else -1,
            source_ids=_join(s.id for s in srcs),
            document_ids=_join(sorted(ent.document_ids)),
        )
    speaker_node: dict[str, str] = {}
    for src in sorted(corpus.sources, key=lambda s: s.id):
        if src.entity_id and src.entity_id in index.entities:
            speaker_node[src.id] = src.entity_id
            continue
        speaker_node[src.id] = src.id
        add_node(
            src.id,
            label=src.label,
            node_kind="source",
            kind=src.kind,
            role=src.role or "",
            source_ids=src.id,
            document_ids=_join(sorted(src.document_ids)),
            explanation=src.description or "",
        )
    for claim in sorted(corpus.claims, key=lambda c: c.id):
        add_node(
            claim.id,
            label=claim.text,
            node_kind="claim",
            circular=bool(claim.circular),
            independent_sources=int(claim.independent_sources),
            document_ids=_join(sorted(claim.document_ids)),
            source_ids=_join(claim.origin_source_ids),
            **_grade(claim.grade),
        )

    def add_edge(u: str, v: str, key: str, **attrs: Any) -> None:
        data = dict(EDGE_ATTRIBUTES)
        data.update(attrs)
        graph.add_edge(u, v, key=key, **_clean(data))

    for rel in sorted(corpus.relations, key=lambda r: r.id):
        if rel.subject not in index.entities or rel.object not in index.entities:
            continue
        stmts = [index.statements[s] for s in rel.statement_ids if s in index.statements]
        add_edge(
            rel.subject,
            rel.object,
            rel.id,
            edge_kind="relation",
            label=rel.predicate,
            predicate=rel.predicate,
            evidence=_evidence(index, stmts),
            statement_ids=_join(sorted(rel.statement_ids)),
            source_ids=_join(sorted(rel.source_ids)),
            sources=_join(index.source_label(s) for s in sorted(rel.source_ids)),
            document_ids=_join(sorted({s.document_id for s in stmts})),
            claim_ids=_join(sorted(rel.claim_ids)),
            relation_id=rel.id,
            weight=max(1, len(stmts)),
            **_grade(rel.grade),
        )

    said: dict[tuple[str, str, str], list[Statement]] = defaultdict(list)
    for st in corpus.statements:
        speaker = speaker_node.get(st.source_id)
        if speaker is None:
            continue
        if st.claim_id and st.claim_id in index.claims:
            said[(speaker, st.claim_id, st.stance or "")].append(st)
        else:
            for eid in st.entity_ids:
                if eid in index.entities and eid != speaker:
                    said[(speaker, eid, st.stance or "mentions")].append(st)
    for (speaker, target, stance), stmts in sorted(said.items()):
        stmts.sort(key=lambda s: (s.document_id, s.start, s.id))
        target_claim = index.claims.get(target)
        grade = _grade(target_claim.grade) if target_claim is not None else {}
        add_edge(
            speaker,
            target,
            f"said:{speaker}:{target}:{stance}",
            edge_kind="said",
            label=stance,
            stance=stance,
            evidence=_evidence(index, stmts),
            statement_ids=_join(s.id for s in stmts),
            source_ids=_join(sorted({s.source_id for s in stmts})),
            sources=_join(sorted({index.source_label(s.source_id) for s in stmts})),
            document_ids=_join(sorted({s.document_id for s in stmts})),
            claim_ids=target if target_claim is not None else "",
            weight=len(stmts),
            **grade,
        )

    for node_id in graph.nodes:
        graph.nodes[node_id]["degree"] = int(graph.degree(node_id))
    for ent in corpus.entities:
        if ent.degree is not None and ent.id in graph:
            graph.nodes[ent.id]["degree"] = int(ent.degree)
    return graph


@registry.exporters("graphml")
def write_graphml(corpus: Corpus, out_dir: Path, options: Options) -> list[Path]:
    return [write_atomic(out_dir / "claimgraph.graphml", graphml_text(build_graph(corpus)))]


_GRAPHML_NS = (
    'xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
    'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd"'
)
#: GraphML type of a Python value (as networkx names them: the last entry of its table wins)
_XML_TYPE = {str: "string", int: "long", float: "double", bool: "boolean"}


def _text(value: str) -> str:
    """XML character data: ``&``, ``<``, ``>`` escaped, non-ASCII as character references."""
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return value if value.isascii() else value.encode("ascii", "xmlcharrefreplace").decode("ascii")


def _attr(value: str) -> str:
    """An XML attribute value (inside double quotes), escaped as ElementTree does."""
    value = (
        value.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("\r", "&#13;")
        .replace("\n", "&#10;")
        .replace("\t", "&#09;")
    )
    return value if value.isascii() else value.encode("ascii", "xmlcharrefreplace").decode("ascii")


def graphml_text(graph: Any) -> str:
    """``graph`` (a ``networkx.MultiDiGraph``) as GraphML, in one linear pass over its nodes and edges.

    The text is exactly what ``networkx``'s ``GraphMLWriter(prettyprint=True, infer_numeric_types=False)``
    writes (checked by ``tests/outputs/test_outputs_graphml.py``): one ``<key>`` per (attribute, GraphML
    type, scope) in reverse order of first use, graph data after the edges, two-space indentation,
    non-ASCII characters as character references. That writer builds an ElementTree of every data value
    and serialises it in pure Python, about four times slower than this."""
    keys: dict[tuple[str, str, str], str] = {}
    seen: dict[tuple[str, type, str], str] = {}  # the same by Python type: one lookup per value
    texts: list[str] = []  # every data value, escaped in one pass at the end (each written as a NUL)

    def key(name: str, value: Any, scope: str) -> str:
        ident = (name, _XML_TYPE[type(value)], scope)
        found = keys.get(ident)
        if found is None:
            found = keys[ident] = f"d{len(keys)}"
        return found

    def data(attrs: dict[str, Any], scope: str, pad: str) -> list[str]:
        out = []
        for name, value in attrs.items():
            text = value if type(value) is str else str(value)
            ident = seen.get((name, type(value), scope))
            if ident is None:
                ident = seen[(name, type(value), scope)] = key(str(name), value, scope)
            if text:
                out.append(f'{pad}<data key="{ident}">\0</data>')
                texts.append(text)
            else:
                out.append(f'{pad}<data key="{ident}" />')
        return out

    graph_data = {k: v for k, v in graph.graph.items() if k not in ("node_default", "edge_default", "id")}
    for name, value in graph_data.items():  # networkx numbers the graph's keys first; its data comes last
        key(str(name), value, "graph")
    body: list[str] = []
    for node, attrs in graph.nodes(data=True):
        head = f'    <node id="{_attr(str(node))}"'
        body.append(_element(head, "node", data(attrs, "node", "      "), "    "))
    for u, v, edge_key, attrs in graph.edges(keys=True, data=True):
        head = f'    <edge source="{_attr(str(u))}" target="{_attr(str(v))}" id="{_attr(str(edge_key))}"'
        body.append(_element(head, "edge", data(attrs, "edge", "      "), "    "))
    body.extend(data(graph_data, "graph", "    "))
    declared = [
        f'  <key id="{ident}" for="{scope}" attr.name="{_attr(name)}" attr.type="{kind}" />'
        for (name, kind, scope), ident in reversed(keys.items())
    ]
    edgedefault = "directed" if graph.is_directed() else "undirected"
    graph_id = graph.graph.get("id")
    open_graph = f'  <graph edgedefault="{edgedefault}"' + (
        f' id="{_attr(str(graph_id))}">' if graph_id is not None else ">"
    )
    graph_part = [open_graph, *body, "  </graph>"] if body else [open_graph[:-1] + " />"]
    page = "\n".join([f"<graphml {_GRAPHML_NS}>", *declared, *graph_part, "</graphml>"]) + "\n"
    return _fill(page, texts)


def _fill(page: str, texts: list[str]) -> str:
    """``page`` with its NUL placeholders replaced, in order, by ``texts`` escaped (:func:`_text`) in one
    pass over them all. XML 1.0 cannot carry a NUL (``build_graph`` drops it from every value), so one
    elsewhere (in an id of a graph built by a caller) is refused with ``ValueError``."""
    pieces = page.split("\0")
    joined = "\0".join(texts)
    if len(pieces) != len(texts) + 1 or joined.count("\0") != max(0, len(texts) - 1):
        raise ValueError("GraphML cannot carry a NUL character")
    escaped = _text(joined).split("\0") if texts else []
    return "".join(itertools.chain.from_iterable(zip(pieces, [*escaped, ""], strict=True)))


def _element(head: str, tag: str, children: list[str], pad: str) -> str:
    if not children:
        return head + " />"
    return "\n".join([head + ">", *children, f"{pad}</{tag}>"])
