"""Comparing tracked items with their stored state (``claimgraph.watch.tracking``), on hand-built corpora.

No NLP here: the corpus is what the pipeline would produce (claims with statements, stances, origins, grades),
so each rule (what alerts, what never does, what makes two alerts the same) is checked on its own.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from claimgraph.model import Alias, Claim, Corpus, Document, Entity, Grade, Source, Statement
from claimgraph.store import Store
from claimgraph.watch import list_alerts
from claimgraph.watch.tracking import Tracking, alert_id, diff

from .test_end_to_end import SCHEMA

NOW = "2025-04-02T09:00:00Z"
CLAIM_TEXT = "Harrow Freight moved fuel through the Corran canal at night without a permit"


def _doc(n: int, outlet: str, day: str) -> Document:
    return Document(
        id=f"doc-{n}",
        path=f"https://news.example/{n}",
        url=f"https://news.example/{n}",
        title=f"Report {n}",
        authors=[],
        published=day,
        outlet=outlet,
        text="...",
    )


def _st(n: int, doc: int, source: str, stance: str | None, text: str = CLAIM_TEXT) -> Statement:
    return Statement(
        id=f"st-{n}",
        document_id=f"doc-{doc}",
        source_id=source,
        text=text,
        cue="said",
        mode="indirect",
        certainty="asserted",
        certainty_cues=[],
        start=10 * n,
        end=10 * n + 9,
        entity_ids=["ent-harrow"],
        stance=stance,
        claim_id="claim-1",
    )  # type: ignore[arg-type]


class World:
    """A story that grows: one claim, made by a harbour pilot, relayed, then confirmed, disputed and denied."""

    def __init__(self) -> None:
        self.documents = [_doc(1, "Corran Herald", "2025-03-01"), _doc(2, "Tidewater Post", "2025-03-02")]
        self.sources = [
            Source(id="src-pilot", label="Ines Valdor", kind="person"),
            Source(id="src-clerk", label="a port clerk", kind="anonymous"),
            Source(id="src-harrow", label="Harrow Freight", kind="organization"),
            Source(id="src-ngo", label="Canal Watch", kind="organization"),
        ]
        self.statements = [_st(1, 1, "src-pilot", "supports"), _st(2, 2, "src-pilot", "supports")]
        self.claim = Claim(
            id="claim-1",
            text=CLAIM_TEXT,
            statement_ids=["st-1", "st-2"],
            first_seen="2025-03-01",
            origin_source_ids=["src-pilot"],
            independent_sources=1,
            supporting=2,
            circular=True,
            grade=Grade(reliability="F", credibility=3, admiralty="F3"),
            document_ids=["doc-1", "doc-2"],
            outlets=["Corran Herald", "Tidewater Post"],
            entity_ids=["ent-harrow"],
        )
        self.entities = [
            Entity(
                id="ent-harrow",
                name="Harrow Freight",
                type="organization",
                aliases=[Alias(name="Harrow", document_id=None, rule="short")],
            ),
            Entity(id="ent-corran", name="Corran Port Authority", type="organization"),
        ]
        self.extra_claims: list[Claim] = []

    def corpus(self) -> Corpus:
        self.claim.statement_ids = sorted(s.id for s in self.statements if s.claim_id == self.claim.id)
        return Corpus(
            documents=list(self.documents),
            entities=list(self.entities),
            sources=list(self.sources),
            statements=list(self.statements),
            claims=[self.claim, *self.extra_claims],
        )

    def add(self, statement: Statement, document: Document | None = None) -> None:
        self.statements.append(statement)
        if document is not None:
            self.documents.append(document)


def _run(
    world: World, tracking: Tracking, states: dict[str, Any]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    cycle = diff(world.corpus(), tracking, states, NOW)
    for alert in cycle.alerts:
        jsonschema.validate(alert, SCHEMA)
    return cycle.states, cycle.alerts


BY_ID = Tracking(claim_ids=["claim-1"])


def test_first_sight_records_a_state_and_raises_nothing() -> None:
    states, alerts = _run(World(), BY_ID, {})
    assert alerts == []
    assert states["claim:claim-1"]["admiralty"] == "F3" and states["claim:claim-1"]["circular"] is True


def test_nothing_changed_nothing_raised() -> None:
    world = World()
    states, _ = _run(world, BY_ID, {})
    again, alerts = _run(world, BY_ID, states)
    assert alerts == [] and again == states


def test_an_independent_confirmation_raises_origin_circularity_and_grade_alerts() -> None:
    world = World()
    states, _ = _run(world, BY_ID, {})
    world.add(
        _st(3, 3, "src-ngo", "supports", "Canal Watch volunteers filmed the barges"),
        _doc(3, "Corran Herald", "2025-03-05"),
    )
    world.statements[-1].claim_id = "claim-1"
    world.claim.origin_source_ids = ["src-pilot", "src-ngo"]
    world.claim.independent_sources, world.claim.circular = 2, False
    world.claim.grade = Grade(reliability="F", credibility=2, admiralty="F2")
    _, alerts = _run(world, BY_ID, states)
    kinds = {a["kind"]: a for a in alerts}
    assert sorted(kinds) == ["grade_change", "independent_origin", "no_longer_circular"]
    origin = kinds["independent_origin"]
    assert origin["change"] == {"independent_sources": [1, 2], "origin_source_id": "src-ngo"}
    assert [e["statement_id"] for e in origin["evidence"]] == ["st-3"]
    assert (
        origin["evidence"][0]["url"] == "https://news.example/3"
        and origin["evidence"][0]["source"] == "Canal Watch"
    )
    assert all((a["old_grade"], a["new_grade"]) == ("F3", "F2") for a in alerts)
    assert "now graded F2, was F3" in kinds["grade_change"]["summary"]


@pytest.mark.parametrize(
    ("stance", "kind", "verb"),
    [
        ("disputes", "dispute", "disputes"),
        ("denies", "denial", "denies"),
        ("declines", "refusal", "declines to comment on"),
    ],
)
def test_a_new_counter_voice_raises_one_alert_per_document(stance: str, kind: str, verb: str) -> None:
    world = World()
    states, _ = _run(world, BY_ID, {})
    world.add(
        _st(3, 3, "src-harrow", stance, "there was no such night shipment"),
        _doc(3, "Tidewater Post", "2025-03-06"),
    )
    world.add(_st(4, 3, "src-harrow", stance, "the company's permits were in order"))
    _, alerts = _run(world, BY_ID, states)
    assert [a["kind"] for a in alerts] == [kind]
    alert = alerts[0]
    assert [e["statement_id"] for e in alert["evidence"]] == ["st-3", "st-4"]
    assert alert["summary"].startswith(f"Harrow Freight {verb} the claim")
    assert "“Report 3” (Tidewater Post)" in alert["summary"]
    assert alert["key"] == f"claim:claim-1|{kind}|doc-3" and alert["id"] == alert_id(alert["key"])
    assert (alert["old_grade"], alert["new_grade"]) == ("F3", "F3")


def test_the_same_change_has_the_same_key_and_a_stored_key_is_not_stored_again(tmp_path: Path) -> None:
    world = World()
    states, _ = _run(world, BY_ID, {})
    world.add(_st(3, 3, "src-harrow", "denies", "no such shipment"), _doc(3, "Tidewater Post", "2025-03-06"))
    _, first = _run(world, BY_ID, copy.deepcopy(states))
    _, second = _run(world, BY_ID, copy.deepcopy(states))  # found again (e.g. the states were not saved)
    assert [a["id"] for a in first] == [a["id"] for a in second] and len(first) == 1
    with Store.open(tmp_path / "ws.db") as store:
        assert store.add_alert(first[0]) is True
        assert store.add_alert(second[0]) is False
        assert [a["id"] for a in list_alerts(store)] == [first[0]["id"]]


def test_a_claim_whose_id_changed_is_followed_by_its_statements_without_alerts() -> None:
    world = World()
    states, _ = _run(world, BY_ID, {})
    world.claim.id = "claim-2"  # a new article changed the representative statement
    for st in world.statements:
        st.claim_id = "claim-2"
    new_states, alerts = _run(world, Tracking(claim_ids=["claim-1"]), states)
    assert alerts == []
    assert new_states["claim:claim-1"]["claim_id"] == "claim-2"
    # and a dispute after that is still an alert on the tracked claim, under its first key
    world.add(_st(3, 3, "src-harrow", "disputes", "doubtful"), _doc(3, "Tidewater Post", "2025-03-06"))
    world.statements[-1].claim_id = "claim-2"
    _, alerts = _run(world, Tracking(claim_ids=["claim-1"]), new_states)
    assert [(a["kind"], a["tracked"]["key"], a["claim"]["id"]) for a in alerts] == [
        ("dispute", "claim:claim-1", "claim-2")
    ]


def test_queries_and_outlets_choose_what_is_tracked() -> None:
    world = World()
    by_query = Tracking(queries=["fuel CORRAN canal"])
    states, _ = _run(world, by_query, {})
    assert states["claim:claim-1"]["tracked_by"] == ["query:fuel CORRAN canal"]
    assert _run(world, Tracking(queries=["coal canal"]), {})[0] == {}
    assert _run(world, Tracking(outlets=["tidewater post"]), {})[0]["claim:claim-1"]["tracked_by"] == [
        "outlet:tidewater post"
    ]
    # a state tracked for a query the watchlist no longer has is not followed (no alerts for it)
    world.add(_st(3, 3, "src-harrow", "denies", "no"), _doc(3, "Tidewater Post", "2025-03-06"))
    assert _run(world, Tracking(entities=["Nobody"]), states)[1] == []
    assert [a["kind"] for a in _run(world, by_query, states)[1]] == ["denial"]


def test_a_tracked_entity_in_a_new_claim_alerts_once_and_an_old_claim_with_a_new_id_does_not() -> None:
    world = World()
    tracking = Tracking(entities=["harrow"])  # an alias, any case
    states, alerts = _run(world, tracking, {})
    assert alerts == [] and states["entity:harrow"]["claims"] == {"claim-1": ["st-1", "st-2"]}
    # the known claim gets another id: not new
    world.claim.id = "claim-9"
    for st in world.statements:
        st.claim_id = "claim-9"
    states, alerts = _run(world, tracking, states)
    assert alerts == []
    # a claim sharing no statement with the known ones is new
    world.add(
        _st(5, 4, "src-clerk", "supports", "Harrow Freight paid the lock keepers"),
        _doc(4, "Corran Herald", "2025-03-09"),
    )
    world.statements[-1].claim_id = "claim-5"
    world.extra_claims.append(
        Claim(
            id="claim-5",
            text="Harrow Freight paid the lock keepers",
            statement_ids=["st-5"],
            first_seen="2025-03-09",
            entity_ids=["ent-harrow"],
            grade=Grade(admiralty="F6"),
        )
    )
    states, alerts = _run(world, tracking, states)
    assert [a["kind"] for a in alerts] == ["entity_new_claim"]
    alert = alerts[0]
    assert alert["entity"] == {"id": "ent-harrow", "name": "harrow"}
    assert alert["claim"]["id"] == "claim-5" and (alert["old_grade"], alert["new_grade"]) == (None, "F6")
    assert (
        "a port clerk" in alert["summary"]
        and alert["evidence"][0]["text"] == "Harrow Freight paid the lock keepers"
    )
    assert _run(world, tracking, states)[1] == []


def test_an_entity_absent_at_first_alerts_when_it_appears() -> None:
    world = World()
    tracking = Tracking(entities=["Corran Port Authority"])
    states, alerts = _run(world, tracking, {})
    assert alerts == [] and states["entity:corran port authority"]["claims"] == {}
    world.claim.entity_ids = ["ent-harrow", "ent-corran"]
    _, alerts = _run(world, tracking, states)
    assert [(a["kind"], a["claim"]["id"]) for a in alerts] == [("entity_new_claim", "claim-1")]


def test_an_old_origin_group_with_another_representative_is_not_a_new_origin() -> None:
    world = World()
    states, _ = _run(world, BY_ID, {})
    world.add(
        _st(3, 3, "src-ngo", "supports", "Canal Watch volunteers filmed the barges"),
        _doc(3, "Corran Herald", "2025-03-05"),
    )
    world.statements[-1].claim_id = "claim-1"
    # the pilot's group is now shown by the port clerk (an earlier-dated document of the same group, say)
    world.claim.origin_source_ids = ["src-clerk", "src-ngo"]
    world.claim.independent_sources = 2
    _, alerts = _run(world, BY_ID, states)
    origins = [a for a in alerts if a["kind"] == "independent_origin"]
    assert [a["change"]["origin_source_id"] for a in origins] == ["src-ngo"]
