from __future__ import annotations

from corpus_builder import CorpusBuilder, FakeStanceModel, central_case

from claimgraph.claims.stage import build_claims
from claimgraph.model import Corpus
from claimgraph.options import Options
from claimgraph.provenance.stage import run_provenance

ALLEGATION = "Veloria recruits captured fighters to attack Kestria."


def analyse(corpus: Corpus, **options: object) -> Corpus:
    build_claims(corpus, Options(**options), stance_model=FakeStanceModel())  # type: ignore[arg-type]
    run_provenance(corpus, Options(**options))  # type: ignore[arg-type]
    return corpus


def only_claim(corpus: Corpus):  # type: ignore[no-untyped-def]
    assert len(corpus.claims) == 1, [c.text for c in corpus.claims]
    return corpus.claims[0]


def _base() -> tuple[CorpusBuilder, dict[str, object]]:
    b = CorpusBuilder()
    b.entity("Veloria", "location")
    b.entity("Kestria", "location")
    holt = b.entity("Marek Holt", "person")
    a = b.doc("a", ALLEGATION, outlet="Holt Review", authors=["Marek Holt"], published="2024-03-01")
    author = b.source("Marek Holt", "author", entity=holt, docs=[a], role="consultant")
    b.source("Holt Review", "outlet", docs=[a])
    b.say(a, author, ALLEGATION, mode="assertion", cue=None)
    return b, {"holt": holt, "author": author, "a": a}


def test_author_quoted_elsewhere_is_one_origin_and_circular() -> None:
    b, r = _base()
    d = b.doc(
        "b", f"\u201c{ALLEGATION}\u201d said Marek Holt.", outlet="Kestria Ledger", published="2024-03-08"
    )
    b.source("Kestria Ledger", "outlet", docs=[d])
    quoted = b.source("Marek Holt", "person", entity=r["holt"], docs=[d])  # type: ignore[arg-type]
    b.say(d, quoted, ALLEGATION)
    claim = only_claim(analyse(b.build()))
    assert claim.independent_sources == 1
    assert claim.origin_source_ids == [r["author"].id]  # type: ignore[attr-defined]
    assert claim.origin_first_seen == {r["author"].id: "2024-03-01"}  # type: ignore[attr-defined]
    assert claim.circular is True
    assert claim.supporting == 2
    assert any(chain[-1] == quoted.id for chain in claim.chains)


def test_syndicated_copy_adds_no_origin() -> None:
    b, _r = _base()
    copy = b.doc("c", ALLEGATION, outlet="Wire Mirror", published="2024-03-02", duplicate_of="doc-a")
    mirror_author = b.source("Sam Wire", "author", docs=[copy])
    b.say(copy, mirror_author, ALLEGATION, mode="assertion", cue=None)
    claim = only_claim(analyse(b.build()))
    assert claim.independent_sources == 1
    assert claim.circular is True
    # the copy is neither a relay outlet nor an origin, and the wording says so exactly
    assert claim.grade.explanation.startswith(
        "Rests on one origin (Marek Holt, consultant), first published by Marek Holt on Holt Review; "
        "republished in one syndicated copy."
    )
    assert "The syndicated copy adds no origin." in claim.grade.explanation


def test_affiliated_sources_count_once() -> None:
    b, r = _base()
    company = b.source("Holt Risk Advisory", "organization", affiliated=[r["author"]])  # type: ignore[list-item]
    d = b.doc(
        "b", f"{ALLEGATION} according to Holt Risk Advisory.", outlet="Kestria Ledger", published="2024-03-08"
    )
    company.document_ids.append(d.id)
    b.source("Kestria Ledger", "outlet", docs=[d])
    b.say(d, company, ALLEGATION, mode="indirect", cue="according to")
    claim = only_claim(analyse(b.build()))
    assert claim.independent_sources == 1


def test_anonymous_sources_count_once_per_document_unless_distinguished() -> None:
    b = CorpusBuilder()
    b.entity("Veloria", "location")
    b.entity("Kestria", "location")
    text = f"Some officials said {ALLEGATION} One official, who spoke on background, said {ALLEGATION}"
    d = b.doc("a", text)
    b.source("Ledger", "outlet", docs=[d])
    some = b.source("some officials", "anonymous", docs=[d], description="Some officials")
    one = b.source("one official", "anonymous", docs=[d], description="One official, who spoke on background")
    start = text.index(ALLEGATION)
    b.say(d, some, ALLEGATION, mode="indirect")
    second = b.say(d, one, ALLEGATION, mode="indirect")
    second.start = text.index(ALLEGATION, start + 1)
    second.end = second.start + len(ALLEGATION)
    second.id = "st-second"
    claim = only_claim(analyse(b.build()))
    assert claim.independent_sources == 1

    b2 = CorpusBuilder()
    b2.entity("Veloria", "location")
    b2.entity("Kestria", "location")
    d2 = b2.doc("a", text)
    b2.source("Ledger", "outlet", docs=[d2])
    fm = b2.source("fm", "anonymous", docs=[d2], description="a Foreign Ministry official")
    dm = b2.source("dm", "anonymous", docs=[d2], description="a Defence Ministry official")
    b2.say(d2, fm, ALLEGATION, mode="indirect")
    other = b2.say(d2, dm, ALLEGATION, mode="indirect")
    other.start, other.id = text.index(ALLEGATION, start + 1), "st-other"
    claim2 = only_claim(analyse(b2.build()))
    assert claim2.independent_sources == 2
    assert claim2.circular is False


def test_claim_repeated_twice_in_one_article_has_one_independent_source() -> None:
    b = CorpusBuilder()
    b.entity("Veloria", "location")
    b.entity("Kestria", "location")
    text = f"{ALLEGATION} Later it repeats: Veloria recruits captured fighters to attack Kestria!"
    d = b.doc("a", text, authors=["Jo Marr"])
    b.source("Kestria Ledger", "outlet", docs=[d])
    author = b.source("Jo Marr", "author", docs=[d])
    b.say(d, author, ALLEGATION, mode="assertion", cue=None)
    b.say(d, author, "Veloria recruits captured fighters to attack Kestria!", mode="assertion", cue=None)
    claim = only_claim(analyse(b.build()))
    assert len(claim.statement_ids) == 2
    assert claim.independent_sources == 1
    assert claim.circular is False
    assert claim.grade.credibility == 3


def test_two_independent_origins_confirm() -> None:
    b, _r = _base()
    d = b.doc("b", f"Jo Marr said {ALLEGATION}", outlet="Kestria Ledger", published="2024-03-08")
    b.source("Kestria Ledger", "outlet", docs=[d])
    marr = b.source("Jo Marr", "person", docs=[d], role="analyst")
    b.say(d, marr, ALLEGATION, mode="indirect")
    claim = only_claim(analyse(b.build()))
    assert claim.independent_sources == 2
    assert claim.circular is False
    assert claim.grade.admiralty == "F1"
    assert claim.grade.confidence == 90
    assert (
        "Rests on two independent origins (Marek Holt, consultant; Jo Marr, analyst)"
        in claim.grade.explanation
    )


def test_central_case_grade_and_explanation() -> None:
    corpus, r = central_case()
    analyse(corpus)
    claim = next(c for c in corpus.claims if c.id == r["a_body"].claim_id)  # type: ignore[attr-defined]
    assert claim.origin_source_ids == [r["author_a"].id]  # type: ignore[attr-defined]
    assert (claim.independent_sources, claim.circular, claim.disputing, claim.declining) == (1, True, 1, 1)
    assert claim.grade.admiralty == "F4"
    assert claim.grade.confidence == 30
    # the origin's own outlet is not counted as a relay
    assert claim.grade.explanation.startswith(
        "Rests on one origin (Marek Holt, consultant), first published by Marek Holt on Holt Analytics Review; "
        "relayed by one other outlet (Kestria Ledger)."
    )
    assert "Disputed by one named expert (Ann Poe)." in claim.grade.explanation
    assert "One spokesperson declined to confirm" in claim.grade.explanation
    assert "Not independently corroborated." in claim.grade.explanation
    assert "source reliability not judged" in claim.grade.explanation


def test_registry_grades_reliability(tmp_path) -> None:  # type: ignore[no-untyped-def]
    registry_file = tmp_path / "rel.yaml"
    registry_file.write_text("Marek Holt: C\nKestria Ledger: A\n", encoding="utf-8")
    corpus, r = central_case()
    analyse(corpus, reliability_registry=registry_file)
    claim = next(c for c in corpus.claims if c.id == r["a_body"].claim_id)  # type: ignore[attr-defined]
    # the relaying outlet's A does not lend the claim its reputation: only origins count
    assert claim.grade.reliability == "C"
    assert claim.grade.admiralty == "C4"
    assert "Marek Holt rated C (fairly reliable) in the reliability registry" in claim.grade.explanation


def test_timeline_lists_claims_and_origins_sorted() -> None:
    corpus, r = central_case()
    analyse(corpus)
    kinds = [(e["date"], e["kind"]) for e in corpus.timeline]
    assert kinds == sorted(kinds, key=lambda x: (x[0] or "9999", x[1]))
    origin = next(e for e in corpus.timeline if e["kind"] == "origin" and e["source_id"] == r["author_a"].id)  # type: ignore[attr-defined]
    assert origin["date"] == "2024-03-01" and origin["document_id"] == "doc-a"
    assert origin["label"].startswith("Marek Holt first carries the claim")


def test_a_former_member_is_not_counted_with_the_organisation() -> None:
    """An organisation's spokesperson and its *former* officer are two sources, not one."""
    from claimgraph.provenance.origins import source_groups

    b = CorpusBuilder()
    navy = b.entity("NAVCO", "organization")
    d = b.doc("a", "x")
    org = b.source("NAVCO", "organization", entity=navy, docs=[d])
    spokesperson = b.source("Ann Lark", "person", docs=[d], role="NAVCO spokesperson", affiliated=[org])
    former = b.source(
        "Sam Oro", "person", docs=[d], role="former NAVCO intelligence officer", affiliated=[org]
    )
    groups = source_groups(b.build())
    assert groups.of(spokesperson.id) == groups.of(org.id)
    assert groups.of(former.id) != groups.of(org.id)


def test_explanation_names_each_group_by_its_speaker_in_that_role() -> None:
    """A group that declines through one member and disputes through another is shown, in each
    sentence, by the member who did it."""
    b, r = _base()
    navy = b.entity("NAVCO", "organization")
    d = b.doc(
        "b",
        f"\u201c{ALLEGATION}\u201d said Marek Holt. Ann Lark would not confirm it. "
        "\u201cI doubt the reports of Veloria-trained squads,\u201d said Tom Reed.",
        published="2024-03-08",
    )
    org = b.source("NAVCO", "organization", entity=navy, docs=[d])
    holt_b = b.source("Marek Holt", "person", entity=r["holt"], docs=[d])  # type: ignore[arg-type]
    lark = b.source("Ann Lark", "person", docs=[d], role="spokesperson", affiliated=[org])
    reed = b.source("Tom Reed", "person", docs=[d], role="analyst", affiliated=[org])
    b.say(d, holt_b, ALLEGATION)
    b.say(
        d, lark, "Ann Lark would not confirm it.", mode="indirect", cue="would not confirm", stance="declines"
    )
    b.say(d, reed, "I doubt the reports of Veloria-trained squads,")
    claim = only_claim(analyse(b.build()))
    assert "Disputed by one named analyst (Tom Reed)" in claim.grade.explanation
    assert "declined to confirm (Ann Lark)" in claim.grade.explanation


def test_explanation_counts_relay_outlets_without_the_origins_own_outlet_and_copies() -> None:
    """Origin's article + its syndicated copy + three other outlets quoting him + a second article on
    one of those outlets: "relayed by three other outlets, plus one syndicated copy"."""
    b, r = _base()
    copy = b.doc("copy", ALLEGATION, outlet="Wire Mirror", published="2024-03-02", duplicate_of="doc-a")
    b.source("Wire Mirror", "outlet", docs=[copy])
    b.say(copy, b.source("Sam Wire", "author", docs=[copy]), ALLEGATION, mode="assertion", cue=None)
    for key, outlet, day in [("l1", "Kestria Ledger", 5), ("l2", "Kestria Ledger", 6), ("p", "Port Post", 7),
                             ("h", "Harbour Daily", 8)]:  # fmt: skip
        d = b.doc(
            key, f"\u201c{ALLEGATION}\u201d said Marek Holt.", outlet=outlet, published=f"2024-03-0{day}"
        )
        b.source(outlet, "outlet", docs=[d])
        b.say(d, b.source("Marek Holt", "person", entity=r["holt"], docs=[d]), ALLEGATION)  # type: ignore[arg-type]
    claim = only_claim(analyse(b.build()))
    assert claim.independent_sources == 1 and claim.circular is True
    assert claim.grade.explanation.startswith(
        "Rests on one origin (Marek Holt, consultant), first published by Marek Holt on Holt Review; "
        "relayed by three other outlets (Harbour Daily; Kestria Ledger; Port Post), plus one syndicated copy."
    )
