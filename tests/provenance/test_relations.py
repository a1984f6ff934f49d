from __future__ import annotations

from corpus_builder import CorpusBuilder, FakeStanceModel, central_case

from claimgraph.claims.stage import build_claims
from claimgraph.model import Grade, Relation
from claimgraph.options import Options
from claimgraph.provenance.network import compute_network
from claimgraph.provenance.relations import extract_relations, filter_by_grade, meets_grade
from claimgraph.provenance.stage import run_provenance


def _relations(sentence: str) -> list[tuple[str, str, str]]:
    b = CorpusBuilder()
    b.entity("Veloria", "location")
    b.entity("Kestria", "location")
    b.entity("al-Nasr Front", "group")
    d = b.doc("a", sentence)
    outlet = b.source("Ledger", "outlet", docs=[d])
    b.say(d, outlet, sentence, mode="assertion", cue=None)
    corpus = b.build()
    names = {e.id: e.name for e in corpus.entities}
    return [(names[r.subject], r.predicate, names[r.object]) for r in extract_relations(corpus)]


def test_relation_lexicon_passive_and_negation() -> None:
    assert _relations("Veloria trains the al-Nasr Front.") == [("Veloria", "trains", "al-Nasr Front")]
    assert _relations("The al-Nasr Front is funded by Veloria.") == [("Veloria", "funds", "al-Nasr Front")]
    assert _relations("Veloria is using former fighters to attack Kestria.") == [
        ("Veloria", "attacks", "Kestria")
    ]
    assert _relations("Veloria does not fund the al-Nasr Front.") == []
    assert _relations("Veloria and Kestria met in March.") == []


def test_relation_grade_never_stronger_than_its_claim() -> None:
    corpus, r = central_case()
    build_claims(corpus, Options(), stance_model=FakeStanceModel())
    run_provenance(corpus, Options())
    claims = {c.id: c for c in corpus.claims}
    assert corpus.relations
    for relation in corpus.relations:
        assert relation.statement_ids and relation.source_ids
        for cid in relation.claim_ids:
            assert relation.grade.reliability >= claims[cid].grade.reliability
            assert relation.grade.credibility >= claims[cid].grade.credibility
    attack = next(rel for rel in corpus.relations if rel.predicate == "attacks")
    assert attack.subject == r["veloria"].id and attack.object == r["kestria"].id  # type: ignore[attr-defined]
    assert attack.grade.admiralty == "F4"


def _rel(rid: str, s: str, o: str, reliability: str, cred: int) -> Relation:
    return Relation(id=rid, subject=s, predicate="supports", object=o,
                    grade=Grade(reliability=reliability, credibility=cred, admiralty=f"{reliability}{cred}"))  # fmt: skip


def test_meets_grade_needs_both_letter_and_digit() -> None:
    assert meets_grade(Grade(reliability="B", credibility=2), "C3")
    assert not meets_grade(Grade(reliability="F", credibility=2), "C3")
    assert not meets_grade(Grade(reliability="A", credibility=4), "C3")


def test_filter_by_grade() -> None:
    rels = [_rel("r1", "a", "b", "B", 2), _rel("r2", "b", "c", "C", 4), _rel("r3", "c", "d", "F", 3)]
    assert [r.id for r in filter_by_grade(rels, "C3")] == ["r1"]
    assert [r.id for r in filter_by_grade(rels, "F4")] == ["r1", "r2", "r3"]
    assert filter_by_grade(rels, None) == rels


def test_network_metrics_are_deterministic() -> None:
    b = CorpusBuilder()
    ents = [b.entity(n) for n in ("Hub", "Aa", "Bb", "Cc", "Dd")]
    corpus = b.build()
    hub = ents[0].id
    rels = [_rel(f"r{k}", hub, e.id, "B", 2) for k, e in enumerate(ents[1:])] + [
        _rel("weak", ents[1].id, ents[2].id, "F", 6)
    ]
    net = compute_network(corpus, rels, "C3")
    by_id = {e.id: e for e in corpus.entities}
    assert by_id[hub].degree == 4 and by_id[hub].betweenness == 1.0
    assert by_id[ents[1].id].degree == 1  # the F6 edge is filtered out
    assert net["relations_kept"] == 4 and net == compute_network(corpus, rels, "C3")
    assert all(e.community is not None for e in corpus.entities)


def test_betweenness_of_a_large_network_is_estimated_from_seeded_pivots(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from claimgraph.provenance import network

    b = CorpusBuilder()
    ents = [b.entity(n) for n in ("Hub", "Aa", "Bb", "Cc", "Dd", "Ee", "Ff")]
    corpus = b.build()
    hub = ents[0].id
    rels = [_rel(f"r{k}", hub, e.id, "B", 2) for k, e in enumerate(ents[1:])]
    exact = compute_network(corpus, rels)
    assert "pivots" not in exact["algorithms"]["betweenness"]
    assert {e.id: e.betweenness for e in corpus.entities}[hub] == 1.0
    monkeypatch.setattr(network, "BETWEENNESS_PIVOTS", 3)  # seven nodes: over the limit
    estimated = compute_network(corpus, rels)
    assert "k=3 pivots, seed=0" in estimated["algorithms"]["betweenness"]
    first = {e.id: e.betweenness for e in corpus.entities}
    assert estimated == compute_network(corpus, rels) and first == {
        e.id: e.betweenness for e in corpus.entities
    }
    assert first[hub] > max(v for k, v in first.items() if k != hub)  # the hub still stands out


def test_the_one_predicate_search_agrees_with_the_ten_patterns() -> None:
    """``_predicate`` skips a gap when the alternation of every pattern finds nothing: it must find something
    exactly when one of the ten patterns does (word fragments, inflections, two-word forms, boundaries)."""
    import random
    import re

    from claimgraph.provenance import relations

    words = sorted(
        {w for pattern in relations.PREDICATES.values() for w in re.findall(r"[a-z]+", pattern)}
        | {"the", "a", "with", "of", "to", "by", "is", "closely", "members", "member", "x", "-", "'s", "ing"}
    )
    rng = random.Random(7)
    for _ in range(20_000):
        parts = [rng.choice(words) for _ in range(rng.randint(1, 5))]
        text = "".join(p + rng.choice([" ", "", "-", "s ", "ed "]) for p in parts).strip()
        expected = any(pattern.search(text) for _, pattern in relations._PATTERNS)
        assert (relations._ANY_PATTERN.search(text) is not None) == expected, text
