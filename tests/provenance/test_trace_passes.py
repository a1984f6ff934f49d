"""Each pass of trace_claim on its own, on hand-built corpora (invented actors)."""

from __future__ import annotations

from corpus_builder import CorpusBuilder

from claimgraph.identity import source_groups
from claimgraph.model import Claim, Corpus, Statement
from claimgraph.provenance.origins import (
    ClaimProvenance,
    Sightings,
    drop_citing_origins,
    end_chains_at_origins,
    order_statements,
    origin_never_opposes,
    set_origins,
    sight_statements,
    summarise_carriers,
    trace_claim,
)

FIGURE = "96 lorries crossed the Tesk bridge"


def _corpus() -> tuple[Corpus, Claim, dict[str, Statement]]:
    b = CorpusBuilder()
    customs_e = b.entity("Ostrava Customs Office", "organization")
    monitor_e = b.entity("Bridge Monitors Network", "organization")
    late = b.doc(
        "late",
        f"{FIGURE}, the monitors said. Our first count is dubious, they added.",
        outlet="Valley Times",
        published="2024-07-09",
    )
    early = b.doc("early", f"{FIGURE}, the customs office said.", outlet="River Post", published="2024-07-01")
    relay = b.doc("relay", f"According to reports, {FIGURE}.", outlet="Daily Summary", published="2024-07-05")
    copy = b.doc(
        "copy",
        f"{FIGURE}, the customs office said.",
        outlet="Syndicate",
        published="2024-07-02",
        duplicate_of="early.html",
    )
    doubt = b.doc(
        "doubt",
        f"The count that {FIGURE} is dubious, Ann Lark said.",
        outlet="Valley Times",
        published="2024-07-10",
    )
    for d in (late, early, relay, copy, doubt):
        b.source(d.outlet or "", "outlet", docs=[d])
    customs = b.source("Ostrava Customs Office", "organization", entity=customs_e, docs=[early, copy])
    monitors = b.source("Bridge Monitors Network", "organization", entity=monitor_e, docs=[late])
    lark = b.source("Ann Lark", "person", docs=[doubt])
    relay_out = next(s for s in b.corpus.sources if s.label == "Daily Summary")
    s = {
        "late": b.say(late, monitors, FIGURE, mode="indirect", stance="supports", certainty="hedged"),
        "early": b.say(early, customs, FIGURE, mode="indirect", stance="supports"),
        "relay": b.say(
            relay, relay_out, f"According to reports, {FIGURE}", mode="assertion", cue=None, stance="reports"
        ),
        "copy": b.say(copy, customs, FIGURE, mode="indirect", stance="supports"),
        "doubt": b.say(doubt, lark, f"The count that {FIGURE} is dubious", stance="disputes"),
        "own_doubt": b.say(late, monitors, "Our first count is dubious", stance="disputes"),
    }
    corpus = b.build()
    claim = Claim(
        id="claim-x", text=FIGURE, first_seen=None, statement_ids=sorted(st.id for st in s.values())
    )
    corpus.claims = [claim]
    return corpus, claim, s


def _run_to_sightings() -> tuple[Corpus, ClaimProvenance, Sightings, dict[str, Statement]]:
    corpus, claim, s = _corpus()
    groups = source_groups(corpus)
    trace = order_statements(corpus, claim, groups)
    prov = ClaimProvenance(claim=claim)
    return corpus, prov, sight_statements(trace, groups, prov), s


def test_order_statements_reads_in_publication_order() -> None:
    corpus, claim, s = _corpus()
    trace = order_statements(corpus, claim, source_groups(corpus))
    dates = [trace.date(st.document_id) for st in trace.statements]
    assert dates == sorted(dates)
    assert trace.statements[0] is s["early"]
    assert trace.paths is not None  # a copy names its original by id or path: the path index is built once


def test_sight_statements_sorts_supporters_relays_and_opponents() -> None:
    _, prov, seen, s = _run_to_sightings()
    groups = source_groups(_corpus()[0])
    assert set(seen.origins) == {groups.of(s["early"].source_id), groups.of(s["late"].source_id)}
    assert [e[2] for e in seen.relay_candidates] == ["doc-relay"]  # "reports" without a cited source relays
    assert prov.syndicated_documents == ["doc-copy"]  # a syndicated copy adds no origin
    assert len(prov.disputing_groups) == 2
    assert seen.carrying == {"doc-early", "doc-late", "doc-relay", "doc-copy"}


def test_drop_citing_origins_keeps_origins_that_only_share_a_topic() -> None:
    corpus, _, seen, _ = _run_to_sightings()
    groups = source_groups(corpus)
    kept = drop_citing_origins(seen, groups, {x.id: x for x in corpus.sources})
    assert [entry[0] for _, entry in kept] == ["2024-07-01", "2024-07-09"]


def test_drop_citing_origins_makes_an_explicit_citation_a_relay() -> None:
    corpus, _, seen, s = _run_to_sightings()
    groups = source_groups(corpus)
    s["late"].cited_source_ids = [s["early"].source_id]
    kept = drop_citing_origins(seen, groups, {x.id: x for x in corpus.sources})
    assert [entry[0] for _, entry in kept] == ["2024-07-01"]
    assert ("2024-07-09", s["late"].source_id, "doc-late") in seen.relay_candidates


def test_chains_end_at_an_origin_that_had_appeared_by_their_date() -> None:
    corpus, prov, seen, s = _run_to_sightings()
    groups = source_groups(corpus)
    ordered = drop_citing_origins(seen, groups, {x.id: x for x in corpus.sources})
    set_origins(prov, ordered, seen)
    end_chains_at_origins(prov, ordered, seen, groups)
    (relay_chain,) = [c for c in prov.chains if c[0] == s["relay"].source_id]
    # published 07-05, the relay can only have relayed the 07-01 origin, never the 07-09 one
    assert relay_chain[-1] == s["early"].source_id


def test_origin_never_opposes_its_own_claim() -> None:
    corpus, prov, seen, s = _run_to_sightings()
    groups = source_groups(corpus)
    ordered = drop_citing_origins(seen, groups, {x.id: x for x in corpus.sources})
    prov.supporting_groups = [g for g, _ in ordered]
    set_origins(prov, ordered, seen)
    origin_never_opposes(prov)
    assert prov.disputing_groups == [groups.of(s["doubt"].source_id)]  # the monitors' own line is dropped


def test_summarise_carriers_and_hedged_support() -> None:
    corpus, claim, _ = _corpus()
    groups = source_groups(corpus)
    trace = order_statements(corpus, claim, groups)
    prov = ClaimProvenance(claim=claim)
    seen = sight_statements(trace, groups, prov)
    summarise_carriers(prov, trace, seen, groups)
    assert prov.carrying_documents == ["doc-copy", "doc-early", "doc-late", "doc-relay"]
    assert prov.carrying_outlets == ["Daily Summary", "River Post", "Syndicate", "Valley Times"]
    assert prov.hedged_support is False  # one origin asserts, one hedges


def test_trace_claim_runs_the_passes_in_order() -> None:
    corpus, claim, s = _corpus()
    prov = trace_claim(corpus, claim, source_groups(corpus))
    assert prov.origin_ids == [s["early"].source_id, s["late"].source_id]
    assert prov.origin_first_seen[s["early"].source_id] == "2024-07-01"
    assert prov.disputing_groups and all(g not in prov.origin_groups for g in prov.disputing_groups)
