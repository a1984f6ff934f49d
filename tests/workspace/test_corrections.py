"""Analysts' corrections: validation, the grade follows at once, withdrawal restores the analysis exactly,
JSON and STIX export, and (with the real pipeline) survival across re-analysis with new documents."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any, get_args

import pytest
from stix2validator import ValidationOptions, validate_string

from claimgraph.errors import WorkspaceError
from claimgraph.model import Corpus, CorrectionField
from claimgraph.options import Options
from claimgraph.outputs.json_export import dumps, validate
from claimgraph.outputs.stix import build_bundle
from claimgraph.outputs.stix import dumps as stix_dumps
from claimgraph.workspace import Workspace
from claimgraph.workspace.correcting import Pending, apply_corrections, undo_corrections

from ._corpus import build_corpus, store_analysis

FROZEN = Options(frozen_time="2025-04-01T00:00:00Z")


def _stored(ws: Workspace) -> dict[str, Any]:
    data = ws.store.load_corpus().to_dict()
    data.pop("sourcing")
    return data


@pytest.fixture
def analysed(ws: Workspace) -> Workspace:
    store_analysis(ws, build_corpus())
    return ws


def _pending(*items: tuple[str, str, str]) -> list[Pending]:
    return [
        Pending(n, sid, field, value, None, "ines", f"2025-04-0{n}T10:00:00.000000Z")
        for n, (sid, field, value) in enumerate(items, start=1)
    ]


def test_apply_then_undo_gives_back_the_analysis_exactly() -> None:
    corpus = build_corpus()
    before = copy.deepcopy(corpus.to_dict())
    base = apply_corrections(
        corpus,
        _pending(
            ("stmt-a2", "claim_id", "claim-funds"),
            ("stmt-a2", "stance", "denies"),
            ("stmt-b1", "speaker", "Paula Brandt"),  # a new source made for the correction
            ("stmt-missing", "stance", "denies"),  # not in this analysis: left out
        ),
    )
    assert [c.field for c in corpus.corrections] == ["claim_id", "stance", "speaker"]
    ids = {c.id for c in corpus.claims}
    assert ids == {"claim-funds"}  # the denial's own claim lost its only statement
    funds = corpus.claims[0]
    assert funds.statement_ids == ["stmt-a1", "stmt-a2", "stmt-b1"]
    st = corpus.statement("stmt-b1")
    new_source = corpus.source(st.source_id)
    assert new_source.label == "Paula Brandt" and new_source.kind == "person"
    assert new_source.document_ids == ["doc-ledger"]
    assert corpus.statement("stmt-a2").stance == "denies"
    assert corpus.corrections[0].previous == "claim-denial" and corpus.corrections[0].value == "claim-funds"
    undo_corrections(corpus, json.loads(json.dumps(base)))  # as stored
    corpus.sourcing = []
    after = corpus.to_dict()
    before.pop("sourcing"), after.pop("sourcing")
    assert after == before


def test_speaker_by_id_by_name_and_detaching_from_a_claim() -> None:
    corpus = build_corpus()
    apply_corrections(
        corpus,
        _pending(
            ("stmt-a1", "speaker", "src-reyes"),
            ("stmt-a2", "speaker", "daniel  REYES"),  # an existing named source, matched by name
            ("stmt-b1", "claim_id", ""),
        ),
    )
    assert corpus.statement("stmt-a1").source_id == "src-reyes"
    assert corpus.statement("stmt-a2").source_id == "src-reyes"
    assert corpus.statement("stmt-b1").claim_id is None
    assert corpus.index("claims")["claim-funds"].statement_ids == ["stmt-a1"]
    assert corpus.index("claims")["claim-funds"].document_ids == ["doc-courier"]
    assert [c.value for c in corpus.corrections] == ["src-reyes", "src-reyes", None]


def test_correction_fields_agree_with_the_model_and_schema() -> None:
    from claimgraph.outputs.json_export import schema
    from claimgraph.workspace.correcting import CORRECTION_FIELDS

    assert list(get_args(CorrectionField)) == list(CORRECTION_FIELDS)
    assert schema()["$defs"]["correction"]["properties"]["field"]["enum"] == list(CORRECTION_FIELDS)


def test_add_validates_and_readers_cannot_correct(analysed: Workspace) -> None:
    ws = analysed
    analyst = ws.users.add("ines", "long passphrase", "analyst")
    reader = ws.users.add("omar", "long passphrase", "reader")
    with pytest.raises(WorkspaceError, match=r"\[E405\] user 'omar' \(reader\) may not correct statements"):
        ws.corrections.add(reader, "stmt-a2", "stance", "denies")
    with pytest.raises(WorkspaceError, match=r"\[E402\] no such statement: stmt-nope"):
        ws.corrections.add(analyst, "stmt-nope", "stance", "denies")
    with pytest.raises(WorkspaceError, match=r"\[E403\] correction field is not valid"):
        ws.corrections.add(analyst, "stmt-a2", "text", "x")
    with pytest.raises(WorkspaceError, match=r"\[E403\] stance is not valid"):
        ws.corrections.add(analyst, "stmt-a2", "stance", "agrees")
    with pytest.raises(WorkspaceError, match=r"\[E402\] no such source: src-0123456789abcdef"):
        ws.corrections.add(analyst, "stmt-a2", "speaker", "src-0123456789abcdef")
    with pytest.raises(WorkspaceError, match=r"\[E402\] no such claim: claim-nope"):
        ws.corrections.add(analyst, "stmt-a2", "claim_id", "claim-nope")
    with pytest.raises(WorkspaceError, match=r"\[E403\] claim correction"):
        ws.corrections.add(analyst, "stmt-a2", "claim_id", "claim-denial")  # its own, single-statement claim
    assert ws.corrections.list() == []
    assert ws.audit.count() == 0


def test_grades_follow_a_correction_and_withdrawal_restores_the_stored_analysis(analysed: Workspace) -> None:
    ws = analysed
    original = _stored(ws)
    analyst = ws.users.add("ines", "long passphrase", "analyst")
    moved = ws.corrections.add(analyst, "stmt-a2", "claim_id", "claim-funds", note="the same allegation")
    assert moved.anchor == "stmt-a1" and moved.user_name == "ines" and moved.active
    denied = ws.corrections.add(analyst, "stmt-a2", "stance", "denies")
    corpus = ws.store.load_corpus()
    funds = corpus.index("claims")["claim-funds"]
    assert "claim-denial" not in corpus.index("claims")
    assert funds.denying == 1 and funds.supporting == 2
    before = {c["id"]: c for c in original["claims"]}["claim-funds"]
    assert before["denying"] == 0
    assert funds.grade.explanation != before["grade"]["explanation"]  # provenance ran again
    assert (before["grade"]["admiralty"], funds.grade.admiralty) == ("F3", "F3")  # a denial is not a dispute
    assert [(c.id, c.field, c.value, c.previous, c.user) for c in corpus.corrections] == [
        (f"cor-{moved.id}", "claim_id", "claim-funds", "claim-denial", "ines"),
        (f"cor-{denied.id}", "stance", "denies", "supports", "ines"),
    ]
    assert not ws.needs_reanalysis()
    # a second correction of the same field replaces the first
    again = ws.corrections.add(analyst, "stmt-a2", "stance", "disputes")
    assert [c.id for c in ws.corrections.list(active_only=True)] == [moved.id, again.id]
    assert ws.corrections.get(denied.id).withdrawn is not None  # type: ignore[union-attr]
    disputed = ws.store.load_corpus().index("claims")["claim-funds"]
    # one origin, now disputed by an independent source: credibility 3 ("possibly true") -> 4 ("doubtful")
    assert disputed.disputing == 1 and disputed.grade.admiralty == "F4"
    for c in ws.corrections.list(active_only=True):
        ws.corrections.withdraw(c.id, analyst)
    assert _stored(ws) == original
    assert [e.action for e in ws.audit.list()] == [
        "correction.withdraw",
        "correction.withdraw",
        "correction.add",
        "correction.add",
        "correction.add",
    ]


def test_busy_workspace_leaves_the_recomputation_to_the_worker(analysed: Workspace) -> None:
    import threading

    from claimgraph.store import workspace_lock

    ws = analysed
    ws.reanalyse_wait = 0.2
    analyst = ws.users.add("ines", "long passphrase", "analyst")
    with workspace_lock(ws.store.url, 5):
        ws.corrections.add(analyst, "stmt-a2", "stance", "denies")  # the lock is held: not applied yet
        assert ws.needs_reanalysis()
    assert ws.store.load_corpus().statement("stmt-a2").stance == "supports"
    assert ws.run_worker(threading.Event(), 0.05, once=True) == 0
    assert not ws.needs_reanalysis()
    assert ws.store.load_corpus().statement("stmt-a2").stance == "denies"


def test_corrections_are_exported_to_json_and_stix(analysed: Workspace) -> None:
    ws = analysed
    analyst = ws.users.add("ines", "long passphrase", "analyst")
    ws.corrections.add(analyst, "stmt-a2", "claim_id", "claim-funds")
    ws.corrections.add(analyst, "stmt-a2", "stance", "denies", note="he denies it")
    corpus: Corpus = ws.store.load_corpus()
    data = json.loads(dumps(corpus))
    validate(data)
    assert [c["field"] for c in data["corrections"]] == ["claim_id", "stance"]
    assert data["corrections"][1]["note"] == "he denies it"
    assert Corpus.from_dict(data).corrections == corpus.corrections
    text = stix_dumps(corpus, FROZEN)
    result = validate_string(text, ValidationOptions(version="2.1"))
    assert result.is_valid, [str(e) for e in result.errors]
    bundle = json.loads(text)
    notes = [o for o in bundle["objects"] if o.get("x_claimgraph_correction_id")]
    assert [
        n["x_claimgraph_field"] for n in sorted(notes, key=lambda n: n["x_claimgraph_correction_id"])
    ] == [
        "claim_id",
        "stance",
    ]
    stance_note = next(n for n in notes if n["x_claimgraph_field"] == "stance")
    assert stance_note["authors"] == ["ines"]
    assert "ines corrected the stance toward its claim" in stance_note["content"]
    assert "supports -> denies" in stance_note["content"] and "he denies it" in stance_note["content"]
    analyst_identity = next(o for o in bundle["objects"] if o["id"] == stance_note["created_by_ref"])
    assert analyst_identity["name"] == "ines" and analyst_identity["identity_class"] == "individual"
    assert build_bundle(corpus, FROZEN) == build_bundle(ws.store.load_corpus(), FROZEN)  # deterministic ids
    # no corrections: nothing added to either export
    plain = build_corpus()
    assert "corrections" not in json.loads(dumps(plain))
    assert not [o for o in build_bundle(plain, FROZEN)["objects"] if "x_claimgraph_correction_id" in o]


def test_reliability_registry_edits_regrade_at_once(analysed: Workspace) -> None:
    ws = analysed
    analyst = ws.users.add("ines", "long passphrase", "analyst")
    reader = ws.users.add("omar", "long passphrase", "reader")
    before = ws.store.load_corpus().index("claims")["claim-funds"].grade
    assert before.reliability == "F"
    entry = ws.reliability.set("  maya   OKAFOR ", "b", analyst)
    assert entry is not None and entry.key == "maya okafor" and entry.grade == "B"
    after = ws.store.load_corpus().index("claims")["claim-funds"].grade
    assert after.reliability == "B" and after.admiralty == f"B{after.credibility}"
    assert [e.name for e in ws.reliability.get()] == ["maya OKAFOR"]
    with pytest.raises(WorkspaceError, match=r"\[E405\]"):
        ws.reliability.set("Maya Okafor", "A", reader)
    with pytest.raises(WorkspaceError, match=r"\[E403\] reliability grade is not valid"):
        ws.reliability.set("Maya Okafor", "G", analyst)
    assert ws.reliability.set("Maya Okafor", None, analyst) is None
    assert ws.store.load_corpus().index("claims")["claim-funds"].grade.reliability == "F"
    assert [e.action for e in ws.audit.list(action="reliability.")] == [
        "reliability.remove",
        "reliability.set",
    ]


# ---------------------------------------------------------------------------- with the real pipeline

ARTICLES = {
    "courier.txt": (
        "Audit says water authority diverted emergency funds\n\n"
        "The Tarn Valley water authority diverted emergency flood funds to a private contractor, according "
        "to a report by the Civic Audit Office.\n\n"
        '"The money went to Brenner Construction without any tender," said auditor Maya Okafor, who led '
        "the review.\n\n"
        "The authority's spokesman, Daniel Reyes, denied the allegation. "
        '"No emergency funds were diverted to Brenner Construction," Reyes said.\n'
    ),
    "ledger.txt": (
        "Flood money went to contractor, auditor says\n\n"
        "Auditor Maya Okafor said the Tarn Valley water authority diverted emergency flood funds to Brenner "
        "Construction without any tender.\n\n"
        "Okafor said the review found payments worth 4 million euros. Officials at the authority declined "
        "to comment on the payments.\n"
    ),
}
LATER = (
    "Contractor named in flood funds row\n\n"
    "The Tarn Valley water authority diverted emergency flood funds to Brenner Construction, the Civic "
    "Audit Office report said.\n\n"
    'A Brenner Construction director, Paul Lindqvist, said the company had won the work fairly. "We did '
    'nothing wrong," Lindqvist said.\n'
)


@pytest.mark.slow
def test_a_correction_survives_new_documents_and_reanalysis(ws: Workspace, tmp_path: Path) -> None:
    """Statement ids hash the document's content and the span: a correction finds its statement again
    when documents are added (through a worker job) and the whole workspace is analysed again."""
    import threading

    from claimgraph.pipeline import analyze

    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    analyze([str(folder)], None, db=ws.store.url, options=Options(progress=False, formats=()))
    corpus = ws.store.load_corpus()
    denial = next(s for s in corpus.statements if s.text.startswith("No emergency funds were diverted"))
    main = next(s for s in corpus.statements if s.text.startswith("The money went to Brenner"))
    assert main.claim_id, "the fixture's premise changed"
    analyst = ws.users.add("ines", "long passphrase", "analyst")
    # the analyst puts the denial on the auditor's claim (when the analysis has not) and gives it a
    # stance other than the one the analysis found, so both corrections change what is stored
    fields = []
    if denial.claim_id != main.claim_id:
        ws.corrections.add(analyst, denial.id, "claim_id", main.claim_id)
        fields.append("claim_id")
    wanted = "disputes" if denial.stance != "disputes" else "denies"
    ws.corrections.add(analyst, denial.id, "stance", wanted)
    fields.append("stance")
    corrected = ws.store.load_corpus().statement(denial.id)
    assert (corrected.claim_id, corrected.stance) == (main.claim_id, wanted)

    upload = ws.save_upload("riverside.txt", LATER.encode("utf-8"))
    job = ws.jobs.enqueue("analyze_files", {"paths": [str(upload)]}, analyst)
    assert ws.run_worker(threading.Event(), 0.05, once=True) == 1
    finished = ws.jobs.get(job.id)
    assert finished is not None and finished.status == "done", finished
    assert finished.result is not None and finished.result["added"] == 1
    corpus = ws.store.load_corpus()
    assert len(corpus.documents) == 3
    again = corpus.statement(denial.id)  # the same id after re-analysis
    claim = corpus.index("claims")[again.claim_id]
    assert again.stance == wanted and main.id in claim.statement_ids
    assert (claim.disputing if wanted == "disputes" else claim.denying) >= 1
    assert [c.field for c in corpus.corrections] == fields
    assert not ws.needs_reanalysis()
    validate(json.loads(dumps(corpus)))
