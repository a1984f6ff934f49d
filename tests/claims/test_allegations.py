"""The allegation pass, demonyms, claim references and the accused party (invented actors only)."""

from __future__ import annotations

from corpus_builder import CorpusBuilder, FakeStanceModel

from claimgraph.claims.demonyms import DemonymIndex, demonym_forms
from claimgraph.claims.stage import build_claims
from claimgraph.claims.stance import has_dispute_cue, refers_to_claim
from claimgraph.model import Entity
from claimgraph.options import Options


def test_demonyms_are_generated_from_names_and_keep_near_homonyms_apart() -> None:
    assert "velorian" in demonym_forms("Veloria")
    assert "tessinese" in demonym_forms("Tessin")
    assert demonym_forms("Port Aldane") == set()  # multi-word names have no demonym
    index = DemonymIndex(
        [
            Entity(id="e-vo", name="Veloria", type="location"),
            Entity(id="e-va", name="Velaria", type="location"),
        ]
    )
    assert index.entities_in("Velorian army instructors") == {"e-vo"}
    assert index.entities_in("a Velarian minister") == {"e-va"}
    assert index.entities_in("Veloria itself") == set()  # the name is not a demonym


def test_claim_references_and_negated_dispute_idioms() -> None:
    assert refers_to_claim("the allegations might be true but could not be verified")
    assert refers_to_claim("had seen the HRA report and was reviewing it")
    assert not refers_to_claim("We stand by our finding that Veloria is recruiting from those camps")
    assert not has_dispute_cue("That part is not in dispute.")
    assert not has_dispute_cue("There is no doubt the port reopened.")
    assert has_dispute_cue("calling the allegation a fairy tale")
    assert has_dispute_cue("I doubt the story")


def _consultant_corpus() -> tuple[CorpusBuilder, dict[str, object]]:
    b = CorpusBuilder()
    b.entity("Veloria", "location")
    b.entity("Kestria", "location")
    b.entity("Sarn Harbour Authority", "organization")
    holt = b.entity("Jane Roe", "person", aliases=("Roe",))
    a = b.doc(
        "a",
        "Veloria recruits captured fighters into its militia. "
        "Velorian army instructors train the recruits at a base near the border. "
        "The Sarn Harbour Authority raised its fees again this spring.",
        title="Inside the militia pipeline",
        outlet="Roe Risk Review",
        authors=["Jane Roe"],
    )
    c = b.doc(
        "c",
        "Veloria has been recruiting war-trained fighters, according to Jane Roe. "
        "\u201cThe camps have become a recruiting pool,\u201d Roe said. "
        "\u201cKestria's budget vote was a mistake,\u201d Roe said. "
        "The Kestria harbour master said ten ships docked in March.",
        title="Veloria is using former fighters to guard its coast",
        published="2024-03-09",
        outlet="Kestria Ledger",
        authors=["Lena Dorn"],
    )
    author = b.source("Jane Roe", "author", entity=holt, docs=[a], role="consultant")
    b.source("Roe Risk Review", "outlet", docs=[a])
    roe_c = b.source("Jane Roe", "person", entity=holt, docs=[c], role="consultant")
    outlet_c = b.source("Kestria Ledger", "outlet", docs=[c])
    b.source("Lena Dorn", "author", docs=[c])
    master = b.source("Kestria harbour master", "person", docs=[c])
    s = {
        "core": b.say(a, author, "Veloria recruits captured fighters into its militia.", mode="assertion", cue=None),
        "train": b.say(
            a, author, "Velorian army instructors train the recruits at a base near the border.",
            mode="assertion", cue=None,
        ),
        "fees": b.say(
            a, author, "The Sarn Harbour Authority raised its fees again this spring.", mode="assertion", cue=None
        ),
        "relay": b.say(c, roe_c, "Veloria has been recruiting war-trained fighters", mode="indirect",
                       cue="according to"),
        "pool": b.say(c, roe_c, "The camps have become a recruiting pool,"),
        "budget": b.say(c, roe_c, "Kestria's budget vote was a mistake,"),
        "headline": b.say(c, outlet_c, "Veloria is using former fighters to guard its coast", mode="assertion",
                          cue=None, part="title"),
        "ships": b.say(c, master, "ten ships docked in March", mode="indirect"),
    }  # fmt: skip
    b.build()
    return b, dict(s)


def test_parts_of_one_allegation_merge_and_other_claims_of_the_same_origin_stay_apart() -> None:
    b, s = _consultant_corpus()
    build_claims(b.corpus, Options(), stance_model=FakeStanceModel(default=("supports", 0.6)))
    core = s["core"].claim_id  # type: ignore[attr-defined]
    assert core is not None
    # the elaboration (actor via the demonym "Velorian"), the relay, the entity-less remark next to
    # the allegation, and the paraphrasing headline are one allegation
    for key in ("train", "relay", "pool", "headline"):
        assert s[key].claim_id == core, key  # type: ignore[attr-defined]
    # the same consultant on other actors: different claims
    assert s["fees"].claim_id != core  # type: ignore[attr-defined]
    assert s["budget"].claim_id != core  # type: ignore[attr-defined]
    # another source in the same article, no shared actor: not merged
    assert s["ships"].claim_id != core  # type: ignore[attr-defined]
    claim = next(c for c in b.corpus.claims if c.id == core)
    assert claim.text == "Veloria recruits captured fighters into its militia."


def test_accused_party_recognised_from_how_the_speaker_is_described() -> None:
    b = CorpusBuilder()
    b.entity("Veloria", "location")
    b.entity("Velaria", "location")
    pm = b.entity("Dario Kess", "person", aliases=("Kess",))
    d1 = b.doc(
        "one",
        "Veloria recruits captured fighters into its militia, Jo Marr said. "
        "Velorian Prime Minister Dario Kess called the allegation a fairy tale. "
        "A Velarian minister called the allegation a fairy tale too.",
    )
    marr = b.source("Jo Marr", "person", docs=[d1])
    kess = b.source("Dario Kess", "person", entity=pm, docs=[d1], role="Prime Minister")
    velarian = b.source("a Velarian minister", "anonymous", docs=[d1], description="A Velarian minister")
    claim_st = b.say(d1, marr, "Veloria recruits captured fighters into its militia", mode="indirect")
    denial = b.say(d1, kess, "called the allegation a fairy tale", mode="indirect", cue="called")
    denial.speaker_text = "Velorian Prime Minister Dario Kess"
    doubt = b.say(d1, velarian, "called the allegation a fairy tale too", mode="indirect", cue="called")
    b.build()
    build_claims(b.corpus, Options(), stance_model=FakeStanceModel())
    assert denial.claim_id == doubt.claim_id == claim_st.claim_id is not None
    assert denial.stance == "denies"  # "Velorian" names the accused state
    assert doubt.stance == "disputes"  # "Velarian" is the neighbour, a third party


def test_a_dispute_repeated_elsewhere_follows_its_siblings() -> None:
    """The same expert quote in two documents: the one in a follow-up dominated by another claim still
    joins the allegation its sibling's document carries."""
    b = CorpusBuilder()
    b.entity("Veloria", "location")
    d1 = b.doc(
        "one",
        "Veloria recruits captured fighters, Jo Marr said. \u201cThe recruitment story is hypothetical to date,\u201d Ann Lark said.",
    )
    d2 = b.doc(
        "two",
        "The harbour inspectors will visit Veloria in May, the commission said. "
        "\u201cThe recruitment story remains hypothetical,\u201d Ann Lark said.",
        published="2024-05-01",
    )
    marr = b.source("Jo Marr", "person", docs=[d1])
    lark = b.source("Ann Lark", "person", docs=[d1, d2])
    commission = b.source("the commission", "organization", docs=[d2])
    allegation = b.say(d1, marr, "Veloria recruits captured fighters", mode="indirect")
    b.say(d1, lark, "The recruitment story is hypothetical to date,")
    b.say(d2, commission, "The harbour inspectors will visit Veloria in May", mode="indirect")
    later = b.say(d2, lark, "The recruitment story remains hypothetical,")
    b.build()
    build_claims(b.corpus, Options(), stance_model=FakeStanceModel())
    assert later.claim_id == allegation.claim_id is not None
    assert later.stance == "disputes"
