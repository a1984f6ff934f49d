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

import contextlib
import itertools
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ..model import Claim, Corpus, Entity, Grade, Relation, Source, Statement
from ..options import Options
from ..registry import registry
from . import write_atomic
from ._reuse import Element, code_version, digest, memo_fingerprinter, write_reused
from ._splice import sidecar_path
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


#: The graph's own data (the ``graph.graph`` of :func:`build_graph`).
_GRAPH_DATA = {
    "name": "claimgraph",
    "description": "Who said what about whom; edges are reported, not established.",
}


def _node(attrs: dict[str, Any]) -> dict[str, Any]:
    """A node's data: every attribute (defaults for the missing and ``None`` ones), XML-clean."""
    data = dict(NODE_ATTRIBUTES)
    data.update({k: v for k, v in attrs.items() if v is not None})
    return _clean(data)


def _edge(attrs: dict[str, Any]) -> dict[str, Any]:
    data = dict(EDGE_ATTRIBUTES)
    data.update(attrs)
    return _clean(data)


def _entity_node(ent: Entity, srcs: list[Source]) -> dict[str, Any]:
    return _node(
        dict(
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
    )


def _source_node(src: Source) -> dict[str, Any]:
    return _node(
        dict(
            label=src.label,
            node_kind="source",
            kind=src.kind,
            role=src.role or "",
            source_ids=src.id,
            document_ids=_join(sorted(src.document_ids)),
            explanation=src.description or "",
        )
    )


def _claim_node(claim: Claim) -> dict[str, Any]:
    return _node(
        dict(
            label=claim.text,
            node_kind="claim",
            circular=bool(claim.circular),
            independent_sources=int(claim.independent_sources),
            document_ids=_join(sorted(claim.document_ids)),
            source_ids=_join(claim.origin_source_ids),
            **_grade(claim.grade),
        )
    )


def _relation_edge(rel: Relation, stmts: list[Statement], index: Index) -> dict[str, Any]:
    return _edge(
        dict(
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
    )


def _said_edge(target: str, stance: str, stmts: list[Statement], index: Index) -> dict[str, Any]:
    target_claim = index.claims.get(target)
    grade = _grade(target_claim.grade) if target_claim is not None else {}
    return _edge(
        dict(
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
    )


class _Plan:
    """The graph's nodes and edges in :func:`build_graph`'s order, each with what it is built from, before
    any attribute is built: ``nodes`` (id, kind, record, its folded sources) and ``edges`` (speaker or
    subject, target, key, the relation or ``None``, the statements, the stance)."""

    def __init__(self, corpus: Corpus) -> None:
        index = self.index = Index(corpus)
        folded: dict[str, list[str]] = defaultdict(list)
        for src in corpus.sources:
            if src.entity_id and src.entity_id in index.entities:
                folded[src.entity_id].append(src.id)
        self.nodes: list[tuple[str, str, Any, list[Source]]] = [
            (ent.id, "entity", ent, [index.sources[s] for s in sorted(folded[ent.id])])
            for ent in sorted(corpus.entities, key=lambda e: e.id)
        ]
        speaker_node: dict[str, str] = {}
        for src in sorted(corpus.sources, key=lambda s: s.id):
            if src.entity_id and src.entity_id in index.entities:
                speaker_node[src.id] = src.entity_id
                continue
            speaker_node[src.id] = src.id
            self.nodes.append((src.id, "source", src, []))
        self.nodes.extend((c.id, "claim", c, []) for c in sorted(corpus.claims, key=lambda c: c.id))
        self.edges: list[tuple[str, str, str, Relation | None, list[Statement], str]] = []
        for rel in sorted(corpus.relations, key=lambda r: r.id):
            if rel.subject not in index.entities or rel.object not in index.entities:
                continue
            stmts = [index.statements[s] for s in rel.statement_ids if s in index.statements]
            self.edges.append((rel.subject, rel.object, rel.id, rel, stmts, ""))
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
            self.edges.append((speaker, target, f"said:{speaker}:{target}:{stance}", None, stmts, stance))

    def node_data(self, kind: str, record: Any, srcs: list[Source]) -> dict[str, Any]:
        """A node's data before its degree is set."""
        if kind == "entity":
            return _entity_node(record, srcs)
        return _source_node(record) if kind == "source" else _claim_node(record)

    def edge_data(
        self, target: str, rel: Relation | None, stmts: list[Statement], stance: str
    ) -> dict[str, Any]:
        if rel is not None:
            return _relation_edge(rel, stmts, self.index)
        return _said_edge(target, stance, stmts, self.index)


def build_graph(corpus: Corpus) -> Any:
    """A ``networkx.MultiDiGraph`` with the attributes above (deterministic insertion order)."""
    import networkx as nx

    plan = _Plan(corpus)
    graph = nx.MultiDiGraph()
    graph.graph.update(_GRAPH_DATA)
    for node_id, kind, record, srcs in plan.nodes:
        graph.add_node(node_id, **plan.node_data(kind, record, srcs))
    for u, v, key, rel, stmts, stance in plan.edges:
        graph.add_edge(u, v, key=key, **plan.edge_data(v, rel, stmts, stance))
    for node_id in graph.nodes:
        graph.nodes[node_id]["degree"] = int(graph.degree(node_id))
    for ent in corpus.entities:
        if ent.degree is not None and ent.id in graph:
            graph.nodes[ent.id]["degree"] = int(ent.degree)
    return graph


@registry.exporters("graphml")
def write_graphml(corpus: Corpus, out_dir: Path, options: Options) -> list[Path]:
    """``claimgraph.graphml``: each node and edge whose inputs did not change copied from the previous file
    (``_reuse``); the whole graph built when the element-wise writer is in doubt (:class:`_Doubt`)."""
    path = out_dir / "claimgraph.graphml"
    try:
        return [
            write_reused(
                path, _elements(_Plan(corpus), memo_fingerprinter()), version=code_version(*_CODE)
            ).path
        ]
    except _Doubt:
        with contextlib.suppress(OSError):
            sidecar_path(path).unlink()
        return [write_atomic(path, graphml_text(build_graph(corpus)))]


#: The modules whose code decides an element's text (see ``_reuse.code_version``).
_CODE = ("claimgraph.outputs.graphml", "claimgraph.outputs.report")


class _Doubt(Exception):
    """The graph is not one the element-wise writer reproduces exactly (two nodes with one id, a value of
    another type than its attribute's default): it is built and written whole."""


def _elements(plan: _Plan, fingerprint: Callable[[Any], bytes]) -> Iterator[Element]:
    """``graphml_text(build_graph(corpus))`` as elements: the head, each node and edge (with the digest of
    the records it is built from and its degree), the tail. Edges come in ``networkx``'s order: by source
    node, then by target in order of the first edge between them, then in order of insertion."""
    index = plan.index
    node_ids = [n[0] for n in plan.nodes]
    if len(set(node_ids)) != len(node_ids):
        raise _Doubt
    degree: dict[str, int] = dict.fromkeys(node_ids, 0)
    out: dict[str, dict[str, list[int]]] = {}
    for i, (u, v, *_rest) in enumerate(plan.edges):
        degree[u] += 1
        degree[v] += 1
        out.setdefault(u, {}).setdefault(v, []).append(i)
    keys = _fixed_keys(bool(plan.nodes), bool(plan.edges))
    yield None, _head(keys)
    for node_id, kind, record, srcs in plan.nodes:
        own = record.degree if kind == "entity" and record.degree is not None else degree[node_id]

        def node(
            node_id: str = node_id, kind: str = kind, record: Any = record, srcs: Any = srcs, own: Any = own
        ) -> str:
            data = plan.node_data(kind, record, srcs)
            data["degree"] = int(own)
            return _element_text(f'    <node id="{_attr(node_id)}"', "node", data, keys)

        yield digest(fingerprint, "node", [record, *srcs], kind, own), node
    for node_id in node_ids:
        for edge_ids in out.get(node_id, {}).values():
            for i in edge_ids:
                u, v, key, rel, stmts, stance = plan.edges[i]

                def edge(
                    u: str = u,
                    v: str = v,
                    key: str = key,
                    rel: Any = rel,
                    stmts: Any = stmts,
                    stance: str = stance,
                ) -> str:
                    head = f'    <edge source="{_attr(u)}" target="{_attr(v)}" id="{_attr(key)}"'
                    return _element_text(head, "edge", plan.edge_data(v, rel, stmts, stance), keys)

                looked_up = [
                    rel,
                    index.claims.get(v),
                    *stmts,
                    *(index.documents.get(s.document_id) for s in stmts),
                    *(index.sources.get(s.source_id) for s in stmts),
                    *(index.sources.get(s) for s in (sorted(rel.source_ids) if rel is not None else ())),
                ]
                yield digest(fingerprint, "edge", looked_up, u, v, key, stance), edge
    graph_data = _element_text("", "", _GRAPH_DATA, keys, scope="graph")
    yield None, graph_data + "  </graph>\n</graphml>\n"


def _fixed_keys(nodes: bool, edges: bool) -> dict[tuple[str, str, str], str]:
    """The ``<key>`` ids :func:`graphml_text` gives a graph of :func:`build_graph`: the graph's data, then
    every node attribute, then every edge attribute, each of its default's type (an element with a value of
    another type is a :class:`_Doubt`)."""
    names = [(name, _XML_TYPE[type(value)], "graph") for name, value in _GRAPH_DATA.items()]
    if nodes:
        names += [(name, _XML_TYPE[type(value)], "node") for name, value in NODE_ATTRIBUTES.items()]
    if edges:
        names += [(name, _XML_TYPE[type(value)], "edge") for name, value in EDGE_ATTRIBUTES.items()]
    return {ident: f"d{i}" for i, ident in enumerate(names)}


def _head(keys: dict[tuple[str, str, str], str]) -> str:
    declared = [
        f'  <key id="{ident}" for="{scope}" attr.name="{_attr(name)}" attr.type="{kind}" />\n'
        for (name, kind, scope), ident in reversed(keys.items())
    ]
    return f"<graphml {_GRAPHML_NS}>\n" + "".join(declared) + '  <graph edgedefault="directed">\n'


def _element_text(
    head: str, tag: str, attrs: dict[str, Any], keys: dict[tuple[str, str, str], str], scope: str = ""
) -> str:
    """One node or edge (``scope`` "": its tag) as :func:`graphml_text` writes it, with its line end; for
    ``scope="graph"`` the graph's data lines."""
    pad = "    " if scope == "graph" else "      "
    children = []
    for name, value in attrs.items():
        ident = keys.get((name, _XML_TYPE.get(type(value), ""), scope or tag))
        if ident is None:
            raise _Doubt
        text = value if type(value) is str else str(value)
        children.append(
            f'{pad}<data key="{ident}">{_text(text)}</data>' if text else f'{pad}<data key="{ident}" />'
        )
    if scope == "graph":
        return "".join(c + "\n" for c in children)
    return _element(head, tag, children, "    ") + "\n"


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
