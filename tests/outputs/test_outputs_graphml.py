"""GraphML: readable by networkx, plain scalar keys for Gephi, relations and "said" links with grades."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree as ET

import networkx as nx

from claimgraph.model import Corpus
from claimgraph.options import Options
from claimgraph.outputs.graphml import EDGE_ATTRIBUTES, NODE_ATTRIBUTES, write_graphml

NS = {"g": "http://graphml.graphdrawing.org/xmlns"}


def _write(corpus: Corpus, tmp_path: Path) -> Path:
    [path] = write_graphml(corpus, tmp_path, Options())
    assert path == tmp_path / "claimgraph.graphml"
    return path


def test_networkx_reads_it_back(corpus: Corpus, tmp_path: Path) -> None:
    graph = nx.read_graphml(_write(corpus, tmp_path))
    assert isinstance(graph, nx.MultiDiGraph)
    kinds = nx.get_node_attributes(graph, "node_kind")
    assert {n for n, k in kinds.items() if k == "entity"} == {e.id for e in corpus.entities}
    # sources without an entity are nodes of their own; sources with one are folded into it
    assert {n for n, k in kinds.items() if k == "source"} == {
        "src-weiss",
        "src-coastal",
        "src-officials",
        "src-kestria-officials",
    }
    assert {n for n, k in kinds.items() if k == "claim"} == {"claim-recruit", "claim-raids"}
    holt = graph.nodes["ent-holt"]
    assert holt["label"] == "Marek Holt"
    assert holt["type"] == "person"
    assert holt["role"] == "consultant"
    assert holt["community"] == 1
    assert graph.nodes["claim-recruit"]["admiralty"] == "F4"
    assert graph.nodes["claim-recruit"]["circular"] is True


def test_relation_and_said_edges(corpus: Corpus, tmp_path: Path) -> None:
    graph = nx.read_graphml(_write(corpus, tmp_path))
    relations = [(u, v, d) for u, v, d in graph.edges(data=True) if d["edge_kind"] == "relation"]
    assert len(relations) == len(corpus.relations)
    recruits = next(d for u, v, d in relations if d["predicate"] == "recruits")
    assert recruits["admiralty"] == "F4"
    assert recruits["confidence"] == 30
    assert recruits["statement_ids"] == "st-h1|st-l2"
    assert "sends them back across the border" in recruits["evidence"]
    said = {(u, v, d["stance"]): d for u, v, d in graph.edges(data=True) if d["edge_kind"] == "said"}
    assert said[("ent-sorel", "claim-recruit", "disputes")]["admiralty"] == "F4"
    assert said[("ent-holt", "claim-recruit", "supports")]["statement_ids"] == "st-l1|st-l2"
    assert said[("ent-holt", "claim-recruit", "supports")]["weight"] == 2
    assert said[("src-officials", "claim-recruit", "supports")]["sources"] == "some officials"
    # a statement outside any claim links its speaker to the entities it names
    assert ("ent-holt", "ent-kestria", "mentions") in said


def test_plain_keys_for_gephi(corpus: Corpus, tmp_path: Path) -> None:
    root = ET.parse(_write(corpus, tmp_path)).getroot()
    keys = root.findall("g:key", NS)
    declared = {(k.get("for"), k.get("attr.name")): k.get("attr.type") for k in keys}
    assert {name for (kind, name) in declared if kind == "node"} == set(NODE_ATTRIBUTES)
    assert {name for (kind, name) in declared if kind == "edge"} == set(EDGE_ATTRIBUTES)
    assert set(declared.values()) <= {"string", "long", "double", "boolean"}
    # every edge carries every edge attribute, so the schema is uniform
    ids = {k.get("id") for k in keys if k.get("for") == "edge"}
    for edge in root.iter("{http://graphml.graphdrawing.org/xmlns}edge"):
        assert {d.get("key") for d in edge.findall("g:data", NS)} == ids


def test_deterministic_and_xml_safe(corpus_factory, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    corpus = corpus_factory(militia_name="Red\x0bDune\x00 Brigade")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a = _write(corpus, tmp_path / "a").read_text("utf-8")
    corpus.relations.reverse()
    b = _write(corpus, tmp_path / "b").read_text("utf-8")
    assert a == b
    graph = nx.read_graphml(tmp_path / "b" / "claimgraph.graphml")
    assert graph.nodes["ent-rdb"]["label"] == "RedDune Brigade"


def _networkx_text(graph: nx.MultiDiGraph) -> str:
    writer = nx.readwrite.graphml.GraphMLWriter(encoding="utf-8", prettyprint=True, infer_numeric_types=False)
    writer.add_graph_element(graph)
    return str(writer)


def test_the_linear_writer_writes_what_networkx_writes(corpus: Corpus) -> None:
    from claimgraph.outputs.graphml import build_graph, graphml_text

    assert graphml_text(build_graph(corpus)) == _networkx_text(build_graph(corpus))
    # markup, quotes, tabs and newlines in attributes and text, non-ASCII, a value of another type,
    # a node without data, an undirected graph with an id
    tricky = nx.MultiDiGraph(name='a "b" <c> & d', id="g1")
    tricky.add_node('n\t1 "é"', label="Zoë <x> & “y”\nz", weight=1.5, flag=True, n=3)
    tricky.add_node("n2", label="", weight=2, flag=False)
    tricky.add_node("n3")
    tricky.add_edge('n\t1 "é"', "n2", key="k&1", note="a\rb\tc\nd")
    tricky.add_edge("n2", "n3", key=0)
    for graph in (tricky, nx.MultiGraph(tricky), nx.MultiDiGraph()):
        assert graphml_text(graph.copy()) == _networkx_text(graph.copy())
