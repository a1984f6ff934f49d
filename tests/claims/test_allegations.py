"""The allegation pass, demonyms, claim references and the accused party (invented actors only)."""

from __future__ import annotations

from corpus_builder import CorpusBuilder, FakeStanceModel

from claimgraph.claims.actors import DemonymIndex, names_demonym_of
from claimgraph.claims.stage import build_claims
from claimgraph.claims.stance import has_dispute_cue, is_accused, refers_to_claim, takes_stance_on_claim
from claimgraph.model import Entity, Source
from claimgraph.options import Options


def test_demonyms_resolve_to_entities_and_keep_near_homonyms_apart() -> None:
    index = DemonymIndex(
        [
            Entity(id="e-mo", name="Morvania", type="location"),
            Entity(id="e-va", name="Morvalia", type="location"),
            Entity(id="e-pa", name="Port Selwyn", type="location"),
        ]
    )
    assert index.entities_in("Morvanian army instructors") == {"e-mo"}
    assert index.entities_in("a Morvalian minister") == {"e-va"}
    assert index.entities_in("Morvania itself") == set()  # the name is not a demonym
    assert index.words_in("Morvanian and Morvalian officers met") == ["Morvanian", "Morvalian"]
    assert names_demonym_of("Morvanian Prime Minister Dario Kess", ["morvania"])
    assert not names_demonym_of("a Morvalian minister", ["morvania"])


def test_affiliation_entities_make_the_accused_party() -> None:
    """A speaker attribution tied to the accused state (``affiliation_entity_ids``) is the accused."""
    minister = Source(id="s1", label="Ilo Vant", kind="person", affiliation_entity_ids=["e-mo"])
    outsider = Source(id="s2", label="Ann Lark", kind="person", affiliation_entity_ids=["e-ke"])
    assert is_accused(minister, ["e-mo"], ["morvania"])
    assert not is_accused(outsider, ["e-mo"], ["morvania"])
    # through an affiliated source (a spokesperson of the accused state's ministry)
    ministry = Source(id="s3", label="Interior Office", kind="organization", affiliation_entity_ids=["e-mo"])
    spokesman = Source(id="s4", label="Pim Dorr", kind="person")
    assert is_accused(spokesman, ["e-mo"], ["morvania"], affiliates=[ministry])


def test_claim_references_and_negated_dispute_idioms() -> None:
    assert refers_to_claim("the allegations might be true but could not be verified")
    assert refers_to_claim("had seen the HRA report and was reviewing it")
    assert not refers_to_claim("We stand by our finding that Morvania is recruiting from those camps")
    assert not has_dispute_cue("That part is not in dispute.")
    assert not has_dispute_cue("There is no doubt the port reopened.")
    assert has_dispute_cue("calling the allegation a fairy tale")
    assert has_dispute_cue("I doubt the story")
    assert has_dispute_cue("the story rests on a handful of interviews")
    # a reference takes a stance only when it says something about the claim's truth or handling
    assert refers_to_claim("I stand by every line of it")
    assert takes_stance_on_claim("the allegations might be true but could not be verified")
    assert takes_stance_on_claim("had seen the HRA report and was reviewing it")
    assert not takes_stance_on_claim("the claims could inflame relations with the neighbours")
    assert not takes_stance_on_claim("the request showed the story was being taken seriously")


def _consultant_corpus() -> tuple[CorpusBuilder, dict[str, object]]:
    b = CorpusBuilder()
    b.entity("Morvania", "location")
    b.entity("Ostreva", "location")
    b.entity("Sarn Harbour Authority", "organization")
    holt = b.entity("Jane Roe", "person", aliases=("Roe",))
    a = b.doc(
        "a",
        "Morvania recruits captured fighters into its militia. "
        "Morvanian army instructors train the recruits at a base near the border. "
        "The recruits are also deployed alongside the harbour police, a paramilitary force that patrols "
        "the fishing ports of Morvania. "
        "The Sarn Harbour Authority raised its fees again this spring.",
        title="Inside the militia pipeline",
        outlet="Roe Risk Review",
        authors=["Jane Roe"],
    )
    c = b.doc(
        "c",
        "Morvania has been recruiting war-trained fighters, according to Jane Roe. "
        "\u201cThe camps have become a recruiting pool,\u201d Roe said. "
        "\u201cWe stand by our finding that Morvania recruits captured fighters,\u201d Roe said. "
        "\u201cOstreva's budget vote was a mistake,\u201d Roe said. "
        "The Ostreva harbour master said ten ships docked in March.",
        title="Morvania is using former fighters to guard its coast",
        published="2024-03-09",
        outlet="Ostreva Ledger",
        authors=["Lena Dorn"],
    )
    author = b.source("Jane Roe", "author", entity=holt, docs=[a], role="consultant")
    b.source("Roe Risk Review", "outlet", docs=[a])
    roe_c = b.source("Jane Roe", "person", entity=holt, docs=[c], role="consultant")
    outlet_c = b.source("Ostreva Ledger", "outlet", docs=[c])
    b.source("Lena Dorn", "author", docs=[c])
    master = b.source("Ostreva harbour master", "person", docs=[c])
    s = {
        "core": b.say(a, author, "Morvania recruits captured fighters into its militia.", mode="assertion", cue=None),
        "train": b.say(
            a, author, "Morvanian army instructors train the recruits at a base near the border.",
            mode="assertion", cue=None,
        ),
        "deployed": b.say(
            a, author, "The recruits are also deployed alongside the harbour police, a paramilitary force that "
            "patrols the fishing ports of Morvania.", mode="assertion", cue=None,
        ),
        "fees": b.say(
            a, author, "The Sarn Harbour Authority raised its fees again this spring.", mode="assertion", cue=None
        ),
        "relay": b.say(c, roe_c, "Morvania has been recruiting war-trained fighters", mode="indirect",
                       cue="according to"),
        "pool": b.say(c, roe_c, "The camps have become a recruiting pool,"),
        "stand": b.say(c, roe_c, "We stand by our finding that Morvania recruits captured fighters,"),
        "budget": b.say(c, roe_c, "Ostreva's budget vote was a mistake,"),
        "headline": b.say(c, outlet_c, "Morvania is using former fighters to guard its coast", mode="assertion",
                          cue=None, part="title"),
        "ships": b.say(c, master, "ten ships docked in March", mode="indirect"),
    }  # fmt: skip
    b.build()
    return b, dict(s)


def test_one_origins_restatements_are_one_claim_and_its_claims_on_other_actors_stay_apart() -> None:
    b, s = _consultant_corpus()
    build_claims(b.corpus, Options(), stance_model=FakeStanceModel(default=("supports", 0.6)))
    core = s["core"].claim_id  # type: ignore[attr-defined]
    assert core is not None
    # the origin restating it elsewhere and the outlet's relay are one claim (a headline that only swaps
    # words, "using former fighters", was joined by the removed synonym classes; reworded headlines are
    # tested in test_matching.py)
    for key in ("relay", "stand"):
        assert s[key].claim_id == core, key  # type: ignore[attr-defined]
    # the same consultant on other actors, and another source in the same article: other claims
    for key in ("fees", "budget", "ships"):
        assert s[key].claim_id != core, key  # type: ignore[attr-defined]
    claim = next(c for c in b.corpus.claims if c.id == core)
    assert claim.text == "Morvania recruits captured fighters into its militia."


def test_accused_party_recognised_from_how_the_speaker_is_described() -> None:
    b = CorpusBuilder()
    b.entity("Morvania", "location")
    b.entity("Morvalia", "location")
    pm = b.entity("Dario Kess", "person", aliases=("Kess",))
    d1 = b.doc(
        "one",
        "Morvania recruits captured fighters into its militia, Jo Marr said. "
        "Morvanian Prime Minister Dario Kess called the allegation a fairy tale. "
        "A Morvalian minister called the allegation a fairy tale too.",
    )
    marr = b.source("Jo Marr", "person", docs=[d1])
    kess = b.source("Dario Kess", "person", entity=pm, docs=[d1], role="Prime Minister")
    morvalian = b.source("a Morvalian minister", "anonymous", docs=[d1], description="A Morvalian minister")
    claim_st = b.say(d1, marr, "Morvania recruits captured fighters into its militia", mode="indirect")
    denial = b.say(d1, kess, "called the allegation a fairy tale", mode="indirect", cue="called")
    denial.speaker_text = "Morvanian Prime Minister Dario Kess"
    doubt = b.say(d1, morvalian, "called the allegation a fairy tale too", mode="indirect", cue="called")
    b.build()
    build_claims(b.corpus, Options(), stance_model=FakeStanceModel())
    assert denial.claim_id == doubt.claim_id == claim_st.claim_id is not None
    assert denial.stance == "denies"  # "Morvanian" names the accused state
    assert doubt.stance == "disputes"  # "Morvalian" is the neighbour, a third party


def test_a_dispute_repeated_elsewhere_follows_its_siblings() -> None:
    """The same expert quote in two documents: the one in a follow-up dominated by another claim still
    joins the allegation its sibling's document carries."""
    b = CorpusBuilder()
    b.entity("Morvania", "location")
    d1 = b.doc(
        "one",
        "Morvania recruits captured fighters, Jo Marr said. \u201cThe recruitment story is unproven to date,\u201d Ann Lark said.",
    )
    d2 = b.doc(
        "two",
        "The harbour inspectors will visit Morvania in May, the commission said. "
        "\u201cThe recruitment story remains unproven,\u201d Ann Lark said.",
        published="2024-05-01",
    )
    marr = b.source("Jo Marr", "person", docs=[d1])
    lark = b.source("Ann Lark", "person", docs=[d1, d2])
    commission = b.source("the commission", "organization", docs=[d2])
    allegation = b.say(d1, marr, "Morvania recruits captured fighters", mode="indirect")
    b.say(d1, lark, "The recruitment story is unproven to date,")
    b.say(d2, commission, "The harbour inspectors will visit Morvania in May", mode="indirect")
    later = b.say(d2, lark, "The recruitment story remains unproven,")
    b.build()
    build_claims(b.corpus, Options(), stance_model=FakeStanceModel())
    assert later.claim_id == allegation.claim_id is not None
    assert later.stance == "disputes"


def test_background_and_bare_references_stay_out_of_the_allegation() -> None:
    """The origin's biography, the reporter's background lines and remarks on the claim's effects are
    not statements of the allegation; the outlet's relay with a relay cue is."""
    b = CorpusBuilder()
    b.entity("Morvania", "location")
    b.entity("Ostreva", "location")
    b.entity("Roe Risk Group", "organization", aliases=("RRG",))
    roe = b.entity("Jane Roe", "person", aliases=("Roe",))
    b.entity("Harbour Commission", "organization")
    a = b.doc(
        "a",
        "Morvania recruits captured fighters into its militia. "
        "Morvanian instructors train the recruits near the border. "
        "Jane Roe is the founder and managing director of RRG. "
        "She advises shipping clients on security risks.",
        outlet="Roe Risk Review",
        authors=["Jane Roe"],
    )
    c = b.doc(
        "c",
        "Ostreva asked Morvania for a list of detainees, a week after allegations that Morvania recruits "
        "captured fighters into its militia. "
        "\u201cMorvania recruits captured fighters into its militia,\u201d Roe said. "
        "The Harbour Commission has counted the detainees itself. "
        "It is unclear whether any detainees have left the camps. "
        "Roe said the claims could inflame relations with Ostreva.",
        published="2024-03-09",
        outlet="Ostreva Ledger",
        authors=["Lena Dorn"],
    )
    author = b.source("Jane Roe", "author", entity=roe, docs=[a], role="consultant")
    b.source("Roe Risk Review", "outlet", docs=[a])
    roe_c = b.source("Jane Roe", "person", entity=roe, docs=[c], role="consultant")
    b.source("Ostreva Ledger", "outlet", docs=[c])
    dorn = b.source("Lena Dorn", "author", docs=[c])
    s = {
        "core": b.say(a, author, "Morvania recruits captured fighters into its militia.", mode="assertion", cue=None),
        "train": b.say(a, author, "Morvanian instructors train the recruits near the border.", mode="assertion",
                       cue=None),
        "bio": b.say(a, author, "Jane Roe is the founder and managing director of RRG.", mode="assertion",
                     cue=None),
        "bio2": b.say(a, author, "She advises shipping clients on security risks.", mode="assertion", cue=None),
        "lead": b.say(c, dorn, "Ostreva asked Morvania for a list of detainees, a week after allegations that "
                      "Morvania recruits captured fighters into its militia.", mode="assertion", cue=None),
        "quote": b.say(c, roe_c, "Morvania recruits captured fighters into its militia,"),
        "counted": b.say(c, dorn, "The Harbour Commission has counted the detainees itself.", mode="assertion",
                         cue=None),
        "unclear": b.say(c, dorn, "It is unclear whether any detainees have left the camps.", mode="assertion",
                         cue=None),
        "effects": b.say(c, roe_c, "the claims could inflame relations with Ostreva", mode="indirect"),
    }  # fmt: skip
    b.build()
    build_claims(b.corpus, Options(), stance_model=FakeStanceModel(default=("supports", 0.6)))
    core = s["core"].claim_id  # type: ignore[attr-defined]
    assert core is not None
    for key in ("lead", "quote"):
        assert s[key].claim_id == core, key  # type: ignore[attr-defined]
    for key in ("bio", "bio2", "counted", "unclear", "effects"):
        assert s[key].claim_id != core, key  # type: ignore[attr-defined]
    assert s["effects"].claim_id is None  # type: ignore[attr-defined]
    assert s["lead"].stance == "reports"  # type: ignore[attr-defined]


def test_a_dispute_naming_the_story_joins_the_claim_it_shares_topic_words_with() -> None:
    """A follow-up about another matter: the expert's "the recruitment story remains unproven"
    addresses the allegation made elsewhere, not the follow-up's own claim."""
    b = CorpusBuilder()
    b.entity("Morvania", "location")
    b.entity("Harbour Commission", "organization")
    d1 = b.doc("one", "Morvania recruits captured fighters from its camps, Jo Marr said.")
    d2 = b.doc(
        "two",
        "The inspectors' visit to Morvania is routine, the Harbour Commission said. Morvania agreed to the visit, "
        "the Harbour Commission said. Until someone walks through those camps, the recruitment story remains "
        "unproven, Ann Lark said.",
        published="2024-05-01",
    )
    marr = b.source("Jo Marr", "person", docs=[d1])
    commission = b.source("Harbour Commission", "organization", docs=[d2])
    lark = b.source("Ann Lark", "person", docs=[d2], role="researcher")
    allegation = b.say(d1, marr, "Morvania recruits captured fighters from its camps", mode="indirect")
    visit = b.say(d2, commission, "The inspectors' visit to Morvania is routine", mode="indirect")
    b.say(d2, commission, "Morvania agreed to the visit", mode="indirect")
    doubt = b.say(
        d2,
        lark,
        "Until someone walks through those camps, the recruitment story remains unproven",
        mode="indirect",
    )
    b.build()
    build_claims(b.corpus, Options(), stance_model=FakeStanceModel())
    assert visit.claim_id is not None and visit.claim_id != allegation.claim_id
    assert doubt.claim_id == allegation.claim_id is not None
    assert doubt.stance == "disputes"
