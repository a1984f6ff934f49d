"""Provenance's short cuts for the common case give what the general path gives (invented actors and texts)."""

from __future__ import annotations

import random

from claimgraph.identity import SourceGroups
from claimgraph.model import Source, Statement
from claimgraph.provenance.explain import role_of
from claimgraph.provenance.origins import Sightings, drop_citing_origins
from claimgraph.provenance.relations import _stored_hits
from claimgraph.vocab import shown_role


def _statement(sid: str) -> Statement:
    return Statement(
        id=sid,
        document_id="doc-1",
        source_id="src-1",
        text="The bridge was closed.",
        cue="said",
        mode="indirect",
        certainty="certain",
        certainty_cues=[],
        start=0,
        end=21,
    )


def test_a_document_without_triples_is_read_back_as_none_found() -> None:
    """An empty stored entry is the document's triples (none), not an entry to compute again; other entries are
    read as before."""
    statements = [_statement("st-1"), _statement("st-2")]
    assert _stored_hits([], statements) == []
    stored = [["st-2", "ent-a", "funds", "ent-b"]]
    assert _stored_hits(stored, statements) == [(statements[1], ("ent-a", "funds", "ent-b"))]
    assert _stored_hits([["st-9", "ent-a", "funds", "ent-b"]], statements) is None  # a statement gone
    assert _stored_hits({"st-1": []}, statements) is None
    assert _stored_hits([["st-1", "ent-a"]], statements) is None


def test_no_origin_or_one_origin_is_kept_as_the_ordered_walk_keeps_it() -> None:
    """With fewer than two origins nothing can cite an earlier one: kept as they are, nothing relayed (the
    general path with two or more is checked against the pairwise rule in ``test_citing_origins``)."""
    groups = SourceGroups(group={}, outlet_of={}, authors_of={})
    sources = {"src-1": Source(id="src-1", label="Ann Lark", kind="person", entity_id="ent-1")}
    assert drop_citing_origins(Sightings(), groups, sources) == []
    seen = Sightings()
    seen.origins["src-1"] = ("2024-07-01", "src-1", "doc-1")
    seen.origin_statements["src-1"].append(_statement("st-1"))
    assert drop_citing_origins(seen, groups, sources) == [("src-1", ("2024-07-01", "src-1", "doc-1"))]
    assert seen.relay_candidates == []


def test_a_sources_role_is_the_vocabularys_shown_role_every_time() -> None:
    """``role_of`` keeps each role's answer (:func:`claimgraph.vocab.shown_role`) once made: asked again, and for
    honorific-only, blank and missing roles, it answers what ``shown_role`` answers."""
    rng = random.Random(3)
    roles = [None, "", "  ", "Dr.", "Mr", "Prof. Dr.", "spokesperson", "CEO of Acme", "Dr. of physics", "mr."]
    for _ in range(3):
        for role in rng.sample(roles, len(roles)):
            source = Source(id="src-1", label="Ann Lark", kind="person", role=role)
            assert role_of(source) == shown_role(role)
    assert role_of(None) is None
