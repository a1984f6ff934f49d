"""Attachment rules that read a parse (claims.attach_rules), on invented real-world-style texts.

* The accused party's plain denial of an event the claim's origin told ("none had been discharged"), even when
  it shares no word with the claim's own wording; its unrelated negated sentences stay out.
* An expert calling the claim itself unfounded ("the contamination story remains hypothetical") disputes the
  claim the document discusses; a claim noun with another predicate does not.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from corpus_builder import CorpusBuilder, FakeStanceModel

from claimgraph.claims import attach_rules, tfidf
from claimgraph.claims.attach_rules import calls_claim_unfounded, display_text, negated_event
from claimgraph.claims.stage import build_claims
from claimgraph.claims.text import content_tokens
from claimgraph.model import Claim, Corpus, Statement
from claimgraph.options import Options


def _claim(corpus: Corpus, statement: Statement) -> Claim | None:
    return next((c for c in corpus.claims if c.id == statement.claim_id), None)


# -- the accused party's denial in plain words ------------------------------------------------------------------

DUMPING = "Darrow Chemicals is dumping industrial waste into the Lenna river"
BARRELS = "Hundreds of barrels have since been discharged from its Orvik plant at night."


def _dumping(
    reply: str, speaker: str = "Darrow Chemicals", *, prepare: Callable[[Corpus], object] | None = None
) -> tuple[Corpus, Statement, Statement]:
    """A river monitor's report (the origin, with a detail the matcher does not join to the claim), and a week
    later a newspaper quoting her and a reply of ``speaker``."""
    b = CorpusBuilder()
    darrow = b.entity("Darrow Chemicals", "organization", aliases=("Darrow",))
    lenz = b.entity("Mira Lenz", "person", aliases=("Lenz",))
    report = b.doc(
        "report", f"{DUMPING}. {BARRELS}", outlet="Lenna Watch", authors=["Mira Lenz"], published="2024-04-02"
    )
    news = b.doc(
        "news",
        f"{DUMPING}, the river monitor Mira Lenz said. {reply}, {speaker} said.",
        outlet="Valley Courier",
        published="2024-04-09",
    )
    author = b.source("Mira Lenz", "author", entity=lenz, docs=[report], role="river monitor")
    b.source("Lenna Watch", "outlet", docs=[report])
    b.source("Valley Courier", "outlet", docs=[news])
    lenz_news = b.source("Mira Lenz", "person", entity=lenz, docs=[news], role="river monitor")
    replier = b.source(
        speaker, "organization", entity=darrow if speaker == "Darrow Chemicals" else None, docs=[news]
    )
    core = b.say(report, author, f"{DUMPING}.", mode="assertion", cue=None)
    detail = b.say(report, author, BARRELS, mode="assertion", cue=None)
    b.say(news, lenz_news, DUMPING)
    said = b.say(news, replier, reply, mode="indirect")
    corpus = b.build()
    if prepare is not None:
        prepare(corpus)
    build_claims(corpus, Options(), stance_model=FakeStanceModel(default=("discusses", 0.6)))
    assert detail.claim_id != core.claim_id  # the origin's detail is not the claim's wording: no shared word
    return corpus, core, said


@pytest.mark.parametrize(
    "reply",
    [
        "No waste had been discharged",  # shares the claim's own word
        "None had been discharged",  # shares no word with the claim: the event the origin told
        "None of its barrels had ever been discharged into the river",
    ],
)
def test_the_accused_companys_plain_denial_is_attached_as_denies(reply: str) -> None:
    corpus, core, said = _dumping(reply)
    claim = _claim(corpus, core)
    assert claim is not None
    assert said.claim_id == claim.id
    assert said.stance == "denies"


@pytest.mark.parametrize(
    "reply",
    [
        "No decision had been made on the budget",  # negated, but another matter
        "The Orvik plant had never had a fire",  # names the origin's plant; negates another event
        "Its barrels are discharged at the Orvik plant",  # the origin's event, not negated
    ],
)
def test_the_accused_companys_unrelated_sentences_do_not_attach(reply: str) -> None:
    _corpus, core, said = _dumping(reply)
    assert said.stance != "denies"
    assert said.claim_id is None or said.claim_id != core.claim_id


def test_a_third_partys_negation_of_the_event_is_no_denial_by_the_accused() -> None:
    _corpus, _core, said = _dumping("None had been discharged", speaker="The Lenna Anglers Club")
    assert said.stance != "denies"


@pytest.mark.parametrize(
    "idf",
    [
        "corpus",
        pytest.param(
            "fixed",
            marks=pytest.mark.xfail(
                strict=True,
                reason="known weakness of the default (fixed) IDF table, docs/claims.md: the two-word denial "
                "('fired no rockets') scores 0.54 against the monitor's longer detail sentence, whose words it "
                "all shares, and the matcher groups the denial with the detail",
            ),
        ),
    ],
)
def test_the_army_denies_the_strikes_its_accuser_described(monkeypatch: pytest.MonkeyPatch, idf: str) -> None:
    monkeypatch.setattr(tfidf, "DEFAULT_IDF", idf)
    b = CorpusBuilder()
    army = b.entity("Ardanian army", "organization", aliases=("Ardanian",))
    b.entity("Kesh", "location")
    brandt = b.entity("Ivo Brandt", "person", aliases=("Brandt",))
    claim_text = "The Ardanian army carried out air strikes on the village of Kesh"
    detail_text = "Rockets fired from two helicopters destroyed four houses on the eastern side."
    log = b.doc("log", f"{claim_text}. {detail_text}", outlet="Conflict Monitor", authors=["Ivo Brandt"])
    wire = b.doc(
        "wire",
        f"{claim_text}, the monitor Ivo Brandt said. The Ardanian army said it had fired no rockets. "
        "It said no air strikes had been carried out. It said the soldiers had not been paid since March.",
        outlet="North Wire",
        published="2024-03-05",
    )
    author = b.source("Ivo Brandt", "author", entity=brandt, docs=[log], role="monitor")
    b.source("Conflict Monitor", "outlet", docs=[log])
    b.source("North Wire", "outlet", docs=[wire])
    brandt_w = b.source("Ivo Brandt", "person", entity=brandt, docs=[wire], role="monitor")
    army_src = b.source("Ardanian army", "organization", entity=army, docs=[wire])
    core = b.say(log, author, f"{claim_text}.", mode="assertion", cue=None)
    b.say(log, author, detail_text, mode="assertion", cue=None)
    b.say(wire, brandt_w, claim_text)
    rockets = b.say(wire, army_src, "it had fired no rockets", mode="indirect")
    strikes = b.say(wire, army_src, "no air strikes had been carried out", mode="indirect")
    paid = b.say(wire, army_src, "the soldiers had not been paid since March", mode="indirect")
    corpus = b.build()
    build_claims(corpus, Options(), stance_model=FakeStanceModel(default=("discusses", 0.6)))
    claim = _claim(corpus, core)
    assert claim is not None
    assert rockets.claim_id == claim.id and rockets.stance == "denies"
    assert strikes.claim_id == claim.id and strikes.stance == "denies"
    assert paid.claim_id != claim.id and paid.stance != "denies"


def test_negated_event_is_the_head_of_the_negation() -> None:
    assert negated_event("none had been released") == frozenset(content_tokens("released release"))
    assert set(content_tokens("waste discharged")) <= negated_event("no waste had been discharged")
    assert set(content_tokens("struck village")) <= negated_event("the army had not struck any village")
    assert not negated_event("dozens have since been released into the militia")
    # a negation names its own event, not every word of the sentence
    assert not set(content_tokens("plant")) & negated_event("The Orvik plant had never had a fire")


# -- the claim itself called unfounded ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The contamination story is hypothetical to date",
        "Until the wells are tested, the contamination story remains hypothetical",
        "These reports remain unproven",
        "The bribery allegation seems speculative",
        "Such claims lack evidence",
        "The allegations are baseless and speculative",
    ],
)
def test_a_claim_called_unfounded(text: str) -> None:
    assert calls_claim_unfounded(text)


@pytest.mark.parametrize(
    "text",
    [
        "The story of the town's founding is well known.",
        "The report is not hypothetical",  # negated
        "A hypothetical leak would reach the reservoir within a day",  # a bare adjective
        "The story was published on Monday",
        "Experts said the reservoir is unproven as a source of drinking water",  # subject is no claim noun
    ],
)
def test_no_claim_called_unfounded(text: str) -> None:
    assert not calls_claim_unfounded(text)


def _reservoir(expert_text: str) -> tuple[Corpus, Statement, Statement]:
    b = CorpusBuilder()
    b.entity("Tarrow Water Board", "organization")
    b.entity("Ostmere reservoir", "location")
    vos = b.entity("Lea Vos", "person", aliases=("Vos",))
    allegation = "The Tarrow Water Board hid lead contamination in the Ostmere reservoir"
    doc = b.doc(
        "d",
        f"{allegation}, a former engineer said. The board will meet on Friday. "
        f"\u201c{expert_text},\u201d said Lea Vos, a hydrologist at the Inland Water Institute.",
        outlet="Tarrow Evening Post",
    )
    b.source("Tarrow Evening Post", "outlet", docs=[doc])
    engineer = b.source("a former engineer", "anonymous", docs=[doc])
    vos_src = b.source("Lea Vos", "person", entity=vos, docs=[doc], role="hydrologist")
    core = b.say(doc, engineer, allegation, mode="indirect")
    said = b.say(doc, vos_src, expert_text)
    corpus = b.build()
    build_claims(corpus, Options(), stance_model=FakeStanceModel(default=("discusses", 0.6)))
    return corpus, core, said


@pytest.mark.parametrize(
    "expert_text",
    ["The contamination story is hypothetical to date", "Such reports remain unfounded for now"],
)
def test_an_expert_calling_the_story_unfounded_disputes_the_claim_of_the_document(expert_text: str) -> None:
    corpus, core, said = _reservoir(expert_text)
    claim = _claim(corpus, core)
    assert claim is not None
    assert said.claim_id == claim.id
    assert said.stance == "disputes"


def test_a_story_with_another_predicate_is_no_dispute() -> None:
    _corpus, _core, said = _reservoir("The story of the town's founding is well known")
    assert said.stance not in ("disputes", "denies")


def test_an_expert_calling_a_bribery_allegation_unproven_disputes_it() -> None:
    b = CorpusBuilder()
    b.entity("Mayor Tom Reyes", "person", aliases=("Reyes",))
    b.entity("Calder Paving", "organization")
    allegation = "Mayor Tom Reyes took bribes from Calder Paving for the ring road contract"
    doc = b.doc(
        "d",
        f"{allegation}, a council member said. The council meets monthly. "
        "\u201cThe bribery allegation seems speculative,\u201d said Omar Haddad, a public-law professor.",
        outlet="Calder Herald",
    )
    b.source("Calder Herald", "outlet", docs=[doc])
    member = b.source("a council member", "anonymous", docs=[doc])
    haddad = b.source("Omar Haddad", "person", docs=[doc], role="professor")
    core = b.say(doc, member, allegation, mode="indirect")
    said = b.say(doc, haddad, "The bribery allegation seems speculative")
    corpus = b.build()
    build_claims(corpus, Options(), stance_model=FakeStanceModel(default=("discusses", 0.6)))
    claim = _claim(corpus, core)
    assert claim is not None and said.claim_id == claim.id and said.stance == "disputes"


# -- a claim's display text stays in one paragraph ---------------------------------------------------------------


def test_display_text_stops_at_the_first_paragraph_break() -> None:
    two = (
        "Crews on the Sarro line are working unpaid shifts.\n\n\u201cNobody at the depot will say so openly."
    )
    assert display_text(two) == "Crews on the Sarro line are working unpaid shifts."
    assert (
        display_text("One line\nwrapped in a plain-text file.") == "One line\nwrapped in a plain-text file."
    )
    assert display_text("\n\nA text opening with a break") == "\n\nA text opening with a break"


def test_a_quote_continued_in_the_next_paragraph_gives_a_one_paragraph_claim() -> None:
    b = CorpusBuilder()
    b.entity("Sarro Rail", "organization")
    kerr = b.entity("Pia Kerr", "person", aliases=("Kerr",))
    quote = (
        "Sarro Rail has cut the night inspections on its freight line.\n\n"
        "\u201cThe drivers know it, but the pattern is clearly there"
    )
    doc = b.doc(
        "d",
        f"\u201cThe cuts began in May,\u201d said Pia Kerr, a union official. \u201c{quote}.\u201d\n\nThe company "
        "did not reply.",
        outlet="Freight Weekly",
    )
    b.source("Freight Weekly", "outlet", docs=[doc])
    kerr_src = b.source("Pia Kerr", "person", entity=kerr, docs=[doc], role="union official")
    said = b.say(doc, kerr_src, quote)
    corpus = b.build()
    build_claims(corpus, Options(), stance_model=FakeStanceModel(default=("discusses", 0.6)))
    claim = _claim(corpus, said)
    assert claim is not None
    assert said.text == quote  # the statement keeps the speaker's words across the break
    assert claim.text == "Sarro Rail has cut the night inspections on its freight line."
    assert said.stance == "supports"  # its own wording: the origin, never a dispute


def test_the_accused_partys_reply_denies_the_accusation_not_its_own_sides_report() -> None:
    """Norland's ministry reports the detainees it holds (a claim whose origin is the accused party itself); a
    consultant accuses Norland of recruiting them. The prime minister's rhetorical reply shares words with both
    claims (more with the report): it denies the accusation, never its own side's report."""
    b = CorpusBuilder()
    norland = b.entity("Norland", "location", aliases=("Norlandic",))
    b.entity("Brenn camp", "location")
    varga = b.entity("Ana Varga", "person", aliases=("Varga",))
    accusation = "Norland recruits detainees from the Brenn camp into its border militias"
    report = "310 detainees are held in Norlandic camps awaiting trial"
    reply = "Why would we arm the detainees we hold? They will stand trial"
    doc = b.doc(
        "d",
        f"{accusation}, the consultant Ana Varga said. The Norlandic Interior Ministry said {report}. "
        f"\u201c{reply},\u201d the Norlandic prime minister said.",
        outlet="Harbour Ledger",
    )
    b.source("Harbour Ledger", "outlet", docs=[doc])
    varga_src = b.source("Ana Varga", "person", entity=varga, docs=[doc], role="consultant")
    ministry = b.source("Norlandic Interior Ministry", "organization", docs=[doc])
    ministry.affiliation_entity_ids = [norland.id]
    pm = b.source("Norlandic prime minister", "person", docs=[doc], role="prime minister")
    pm.affiliation_entity_ids = [norland.id]
    accused = b.say(doc, varga_src, accusation)
    own = b.say(doc, ministry, report, mode="indirect")
    said = b.say(doc, pm, reply)
    corpus = b.build()
    build_claims(corpus, Options(), stance_model=FakeStanceModel(default=("discusses", 0.6)))
    assert accused.claim_id is not None and own.claim_id is not None and accused.claim_id != own.claim_id
    assert said.claim_id == accused.claim_id and said.stance == "denies"


def test_the_accused_party_calling_the_story_unfounded_denies_it() -> None:
    b = CorpusBuilder()
    board = b.entity("Tarrow Water Board", "organization")
    b.entity("Ostmere reservoir", "location")
    allegation = "The Tarrow Water Board hid lead contamination in the Ostmere reservoir"
    reply = "The contamination story is hypothetical"
    doc = b.doc(
        "d",
        f"{allegation}, a former engineer said. {reply}, the Tarrow Water Board said.",
        outlet="Tarrow Post",
    )
    b.source("Tarrow Post", "outlet", docs=[doc])
    engineer = b.source("a former engineer", "anonymous", docs=[doc])
    board_src = b.source("Tarrow Water Board", "organization", entity=board, docs=[doc])
    core = b.say(doc, engineer, allegation, mode="indirect")
    said = b.say(doc, board_src, reply, mode="indirect")
    corpus = b.build()
    build_claims(corpus, Options(), stance_model=FakeStanceModel(default=("discusses", 0.6)))
    claim = _claim(corpus, core)
    assert claim is not None and said.claim_id == claim.id and said.stance == "denies"


# -- the readings attribution carries on the statement -----------------------------------------------------------


def test_statements_carrying_the_readings_are_never_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    """With attribution's readings on every statement the claims stage never parses (never loads spaCy), and the
    accused company's plain denial of the event its accuser told attaches as with the parse."""

    def no_parse(text: str) -> None:
        raise AssertionError(f"parsed {text!r}")

    def read(corpus: Corpus) -> None:  # as attribution reads them (here: each text parsed alone)
        for st in corpus.statements:
            st.calls_unfounded = calls_claim_unfounded(st.text)
            st.negated_event = (
                None if st.mode == "assertion" else list(attach_rules.negated_event_words(st.text))
            )
        attach_rules.negated_event_words.cache_clear()
        attach_rules.calls_claim_unfounded.cache_clear()
        monkeypatch.setattr(attach_rules, "_parse", no_parse)

    corpus, core, said = _dumping("None had been discharged", prepare=read)
    claim = _claim(corpus, core)
    assert claim is not None and said.claim_id == claim.id and said.stance == "denies"
    said.negated_event = None  # a statement without them (an older store, built by hand) is parsed
    with pytest.raises(AssertionError, match="parsed"):
        build_claims(corpus, Options(), stance_model=FakeStanceModel(default=("discusses", 0.6)))


def test_the_carried_readings_decide(monkeypatch: pytest.MonkeyPatch) -> None:
    st = Statement(id="s", document_id="d", source_id="x", text="It remains to be seen", cue="said",
                   mode="indirect", certainty="asserted", certainty_cues=[], start=0, end=1)  # fmt: skip
    assert not attach_rules.unfounded(st)
    st.calls_unfounded = True
    assert attach_rules.unfounded(st)
    assert not attach_rules.statement_negated_event(st)
    st.negated_event = ["discharged", "discharge"]
    assert attach_rules.statement_negated_event(st) == frozenset(content_tokens("discharged discharge"))
