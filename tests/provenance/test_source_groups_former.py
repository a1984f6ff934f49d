"""Source groups (``identity.source_groups``): an affiliation tie joins two sources unless either is a former member
(``identity.former_source``, asked only of the sources in a tie), as the rule written out over every source says."""

from __future__ import annotations

import random

from claimgraph.identity import UnionFind, former_source, source_groups
from claimgraph.model import Corpus, Document, Source


def test_an_affiliation_joins_unless_either_source_is_a_former_member() -> None:
    rng = random.Random(3)
    roles = [
        None,
        "spokesman for",
        "former spokesman for",
        "a former colonel who now advises",
        "ex-director of",
    ]
    sources = [
        Source(
            id=f"src-{k}", label=f"Person {k}", kind="person", role=rng.choice(roles), document_ids=["doc-1"]
        )
        for k in range(60)
    ]
    for source in sources:
        source.affiliated_source_ids = [f"src-{rng.randrange(60)}" for _ in range(rng.randint(0, 2))]
    corpus = Corpus(
        documents=[
            Document(
                id="doc-1",
                path="1.txt",
                url=None,
                title=None,
                authors=[],
                published=None,
                outlet=None,
                text="Text.",
            )
        ],
        sources=sources,
    )
    groups = source_groups(corpus)
    # the rule written out, every source's past tie tested first
    ordered = sorted(sources, key=lambda s: s.id)
    pos = {s.id: k for k, s in enumerate(ordered)}
    former = {s.id: former_source(s) for s in ordered}
    uf = UnionFind(len(ordered))
    for source in ordered:
        for other in source.affiliated_source_ids:
            if not former[source.id] and not former[other]:
                uf.union(pos[source.id], pos[other])
    assert {s.id: groups.of(s.id) for s in ordered} == {s.id: ordered[uf.find(pos[s.id])].id for s in ordered}
    assert any(former.values()) and not all(former.values())
    assert len(set(groups.group.values())) < len(ordered)
