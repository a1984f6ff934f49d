"""Generated corpora for the report at scale: an actor network of N actors, and a big corpus for the size budget.

Names are invented (of real-world shape), built from short syllable lists; the graph is a seeded
preferential-attachment graph (networkx), so hubs and long names sit next to each other as in real news.
"""

from __future__ import annotations

import random

from claimgraph.model import Claim, Corpus, Document, Entity, Grade, Relation, Source, Statement

_FIRST = [
    "Ilse",
    "Tomas",
    "Mirela",
    "Oskar",
    "Farida",
    "Jonah",
    "Priya",
    "Anatol",
    "Sunniva",
    "Kwame",
    "Lucia",
    "Dmitri",
]
_LAST_A = ["Var", "Mor", "Tal", "Bren", "Os", "Kel", "Dun", "Rav", "Sel", "Ith"]
_LAST_B = ["ennick", "gaard", "owitz", "ström", "ani", "ford", "ley", "ecki", "andro", "eux"]
_ORG = [
    "Ministry of Coastal Affairs",
    "Northern Relief Agency",
    "Harbour Workers Union",
    "Institute for Border Studies",
    "Central Electoral Commission",
    "Federal Prosecutor's Office",
    "United Freight Alliance",
]
_PLACE = [
    "Ostrava Bay",
    "Lindmark",
    "Port Edda",
    "Saltreach",
    "Veyne",
    "Karsholm",
    "New Tarrow",
    "Brightwater",
]
_PREDICATES = ["funds", "supplies", "accuses", "meets", "leads", "trains", "recruits", "attacks", "supports"]
_TYPES = ["person", "person", "person", "organization", "group", "location"]


def _name(rng: random.Random, kind: str, i: int) -> str:
    if kind == "person":
        return f"{rng.choice(_FIRST)} {rng.choice(_LAST_A)}{rng.choice(_LAST_B)}"
    if kind == "organization":
        return f"{rng.choice(_ORG)} of {rng.choice(_PLACE)}"
    if kind == "group":
        return f"{rng.choice(_PLACE)} {rng.choice(['Brigade', 'Front', 'Defence Units', 'Collective'])} {i}"
    return f"{rng.choice(_PLACE)} District {i}"


def network_corpus(nodes: int, seed: int = 7) -> Corpus:
    """A corpus whose actor network has ``nodes`` actors (one document, one statement per relation)."""
    import networkx as nx

    rng = random.Random(seed)
    graph = nx.barabasi_albert_graph(nodes, 1 if nodes < 80 else 2, seed=seed)
    entities = []
    for i in graph.nodes:
        kind = _TYPES[i % len(_TYPES)]
        entities.append(Entity(id=f"ent-{i:04d}", name=_name(rng, kind, i), type=kind))  # type: ignore[arg-type]
    sentences: list[str] = []
    statements: list[Statement] = []
    relations: list[Relation] = []
    source = Source(id="src-wire", label="Harbour Wire", kind="outlet")
    offset = 0
    for k, (u, v) in enumerate(sorted(graph.edges)):
        subj, obj = entities[u], entities[v]
        pred = _PREDICATES[k % len(_PREDICATES)]
        sentence = f"{subj.name} {pred} {obj.name}, officials said."
        st = Statement(
            id=f"st-{k:05d}", document_id="doc-net", source_id=source.id, text=sentence, cue="said",
            mode="direct", certainty="asserted", certainty_cues=[], start=offset, end=offset + len(sentence),
            sentence_start=offset, sentence_end=offset + len(sentence),
        )  # fmt: skip
        sentences.append(sentence)
        offset += len(sentence) + 1
        statements.append(st)
        cred = 2 + k % 5
        grade = Grade("F", cred, f"F{cred}", 70 - 10 * (cred - 2), "Generated for the layout tests.")
        relations.append(Relation(f"rel-{k:05d}", subj.id, pred, obj.id, [st.id], [source.id], grade, []))
    doc = Document(
        id="doc-net", path="net.txt", url=None, title="Network", authors=[], published="2024-05-01",
        outlet="Harbour Wire", text=" ".join(sentences),
    )  # fmt: skip
    return Corpus(
        documents=[doc], sources=[source], entities=entities, statements=statements, relations=relations
    )


def large_corpus(documents: int = 3000, claims: int = 3000, seed: int = 11) -> Corpus:
    """A corpus far past the report's budget: long document texts, many claims, statements and relations."""
    rng = random.Random(seed)
    filler = (
        "The harbour authority published figures on freight volumes for the quarter, and traders in the "
        "old market described a slow season marked by storms and delayed ferries. "
    )
    entities = [
        Entity(id=f"ent-{i:04d}", name=_name(rng, _TYPES[i % 6], i), type=_TYPES[i % 6])  # type: ignore[arg-type]
        for i in range(1500)
    ]
    outlets = [f"Gazette of {p}" for p in _PLACE]
    sources = [
        Source(id=f"src-{i:04d}", label=e.name, kind="person", entity_id=e.id)
        for i, e in enumerate(entities[:600])
    ]
    docs: list[Document] = []
    statements: list[Statement] = []
    by_claim: dict[int, list[str]] = {}
    for d in range(documents):
        quoted = f"{sources[d % 600].label} said the convoy number {d} left Port Edda before dawn."
        unquoted = f"Unquoted background paragraph {d}: " + filler * 25
        text = quoted + "\n\n" + unquoted
        docs.append(
            Document(
                id=f"doc-{d:05d}", path=f"in/{d:05d}.txt", url=f"https://gazette.example/{d}/" + "long-path-segment/" * 6,
                title=f"Convoy report {d}", authors=["Ruth Annaby"], published=f"2024-{1 + d % 12:02d}-{1 + d % 28:02d}",
                outlet=outlets[d % len(outlets)], text=text,
                duplicate_of=f"doc-{d - 1:05d}" if d % 10 == 9 else None,
            )
        )  # fmt: skip
        c = d % claims
        st = Statement(
            id=f"st-{d:05d}", document_id=docs[-1].id, source_id=sources[d % 600].id, text=quoted, cue="said",
            mode="direct", certainty="asserted", certainty_cues=[], start=0, end=len(quoted),
            stance="supports", claim_id=f"claim-{c:05d}", sentence_start=0, sentence_end=len(quoted),
        )  # fmt: skip
        statements.append(st)
        by_claim.setdefault(c, []).append(st.id)
    claim_list = []
    for c in range(claims):
        ids = by_claim.get(c, [])
        doc_ids = sorted({statements[int(s[3:])].document_id for s in ids})
        claim_list.append(
            Claim(
                id=f"claim-{c:05d}", text=f"the convoy number {c} left Port Edda before dawn", statement_ids=ids,
                first_seen="2024-01-01", origin_source_ids=[sources[c % 600].id], independent_sources=1,
                supporting=len(ids), grade=Grade("F", 3, "F3", 50, "Generated."), document_ids=doc_ids,
                outlets=sorted({outlets[int(d[4:]) % len(outlets)] for d in doc_ids}),
                attention=float(len(doc_ids) + rng.random()), origin_first_seen={sources[c % 600].id: "2024-01-01"},
            )
        )  # fmt: skip
    relations = []
    for k in range(5000):
        u, v = rng.sample(range(len(entities)), 2)
        st = statements[k % len(statements)]
        relations.append(
            Relation(
                f"rel-{k:05d}", entities[u].id, _PREDICATES[k % 9], entities[v].id, [st.id], [st.source_id],
                Grade("F", 3 + k % 3, f"F{3 + k % 3}", 40, "Generated."), [],
            )
        )  # fmt: skip
    return Corpus(
        documents=docs,
        sources=sources,
        entities=entities,
        statements=statements,
        claims=claim_list,
        relations=relations,
    )
