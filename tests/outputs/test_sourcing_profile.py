"""Sourcing profile per document (issue 15 §3): known counts on invented documents, the wording, the corpus
median, and the profile in JSON (schema-valid), CSV and the report."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import jsonschema
import pytest

from claimgraph.model import Claim, Corpus, Document, Source, Statement
from claimgraph.options import Options
from claimgraph.outputs.csv_export import COLUMNS, read_table, write_csv
from claimgraph.outputs.json_export import dumps, validate
from claimgraph.outputs.report import render_report
from claimgraph.provenance.profile import describe, sourcing_profiles
from claimgraph.stages import build_pipeline


def _doc(doc_id: str, outlet: str, authors: list[str], duplicate_of: str | None = None) -> Document:
    return Document(
        id=doc_id,
        path=f"{doc_id}.html",
        url=f"https://news.example/{doc_id}",
        title=f"Harbour levy talks, report {doc_id}",
        authors=authors,
        published="2025-03-0" + doc_id[-1:].translate(str.maketrans("abcde", "12345")),
        outlet=outlet,
        text="Text of the article. " * 20,
        duplicate_of=duplicate_of,
    )


def _st(
    st_id: str,
    doc_id: str,
    source_id: str,
    mode: str = "indirect",
    stance: str | None = "supports",
    claim_id: str | None = None,
) -> Statement:
    return Statement(
        id=st_id,
        document_id=doc_id,
        source_id=source_id,
        text=f"statement {st_id}",
        cue=None if mode == "assertion" else "said",
        mode=mode,  # type: ignore[arg-type]
        certainty="asserted",
        certainty_cues=[],
        start=0,
        end=10,
        stance=stance,  # type: ignore[arg-type]
        claim_id=claim_id,
    )


def make_corpus() -> Corpus:
    """Five invented documents with known sourcing.

    * doc-a: 8 statements: 4 on the record (a person twice, an organisation denying, another outlet),
      2 anonymous (two sources, one declining), 2 the document's own voice (its author, its outlet);
      carries c1 (one origin) and c2 (two independent origins).
    * doc-b: 2 unattributed assertions by its author, carrying c1.
    * doc-c: 3 statements by a named person, 1 anonymous; no claim.
    * doc-d: a syndicated copy of doc-b (left out of the median).
    * doc-e: no statement at all.
    """
    sources = [
        Source(id="src-albrecht", label="Ines Albrecht", kind="person"),
        Source(id="src-council", label="Harbour Council", kind="organization"),
        Source(id="src-eastline", label="Eastline Wire", kind="outlet"),
        Source(id="src-northgate", label="Northgate Courier", kind="outlet"),
        Source(id="src-calloway", label="Ruth Calloway", kind="author"),
        Source(
            id="src-anon-1",
            label="officials",
            kind="anonymous",
            description="two officials familiar with the talks",
        ),
        Source(
            id="src-anon-2", label="a person", kind="anonymous", description="a person close to the council"
        ),
        Source(id="src-okafor", label="Chidi Okafor", kind="person"),
        Source(id="src-anon-3", label="a port engineer", kind="anonymous", description="a port engineer"),
        Source(id="src-bayside", label="Bayside Ledger", kind="outlet"),
    ]
    documents = [
        _doc("doc-a", "Northgate Courier", ["Ruth Calloway"]),
        _doc("doc-b", "Bayside Ledger", ["Marta Lindgren"]),
        _doc("doc-c", "Bayside Ledger", []),
        _doc("doc-d", "Eastline Wire", [], duplicate_of="doc-b"),
        _doc("doc-e", "Eastline Wire", []),
    ]
    statements = [
        _st("st-a1", "doc-a", "src-albrecht", "direct", claim_id="c1"),
        _st("st-a2", "doc-a", "src-albrecht", claim_id="c1"),
        _st("st-a3", "doc-a", "src-council", stance="denies", claim_id="c1"),
        _st("st-a4", "doc-a", "src-anon-1", claim_id="c2"),
        _st("st-a5", "doc-a", "src-anon-2", stance="declines"),
        _st("st-a6", "doc-a", "src-calloway", "assertion"),
        _st("st-a7", "doc-a", "src-northgate", "assertion"),
        _st("st-a8", "doc-a", "src-eastline", stance="reports", claim_id="c2"),
        _st("st-b1", "doc-b", "src-bayside", "assertion", claim_id="c1"),
        _st("st-b2", "doc-b", "src-bayside", "assertion", claim_id="c1"),
        _st("st-c1", "doc-c", "src-okafor", stance=None),
        _st("st-c2", "doc-c", "src-okafor", stance=None),
        _st("st-c3", "doc-c", "src-okafor", "direct", stance=None),
        _st("st-c4", "doc-c", "src-anon-3", stance=None),
        _st("st-d1", "doc-d", "src-bayside", "assertion", claim_id="c1"),
        _st("st-d2", "doc-d", "src-bayside", "assertion", claim_id="c1"),
    ]
    claims = [
        Claim(
            id="c1",
            text="the levy was raised twice",
            statement_ids=[],
            first_seen="2025-03-01",
            independent_sources=1,
        ),
        Claim(
            id="c2",
            text="the levy funds the new quay",
            statement_ids=[],
            first_seen="2025-03-01",
            independent_sources=2,
        ),
    ]
    return Corpus(documents=documents, sources=sources, statements=statements, claims=claims)


@pytest.fixture
def profiles() -> dict[str, object]:
    return {p.document_id: p for p in sourcing_profiles(make_corpus())}


def test_known_counts(profiles: dict) -> None:
    a = profiles["doc-a"]
    assert (a.statements, a.on_record, a.anonymous, a.author_assertions, a.unresolved) == (8, 4, 2, 2, 0)
    assert (a.on_record_share, a.anonymous_share, a.author_share) == (0.5, 0.25, 0.25)
    assert (a.sources, a.named_sources, a.anonymous_sources) == (5, 3, 2)
    assert a.named_source_ids == ["src-albrecht", "src-council", "src-eastline"]
    assert a.anonymous_descriptions == [
        "two officials familiar with the talks",
        "a person close to the council",
    ]
    assert a.counter_voice and (a.disputes, a.denials, a.refusals) == (0, 1, 1)
    assert (a.claims, a.single_origin_claims, a.every_claim_single_origin) == (2, 1, False)

    b = profiles["doc-b"]
    assert (b.statements, b.on_record, b.anonymous, b.author_assertions) == (2, 0, 0, 2)
    assert b.sources == 0 and not b.counter_voice
    assert (b.claims, b.single_origin_claims, b.every_claim_single_origin) == (1, 1, True)

    c = profiles["doc-c"]
    assert (c.statements, c.on_record, c.anonymous, c.author_assertions) == (4, 3, 1, 0)
    assert (c.named_sources, c.anonymous_sources) == (1, 1)
    assert c.claims == 0 and c.every_claim_single_origin is None

    e = profiles["doc-e"]
    assert e.statements == 0 and e.on_record_share is None and e.on_record_vs_median is None


def test_another_outlet_is_on_the_record_the_own_outlet_is_the_author(profiles: dict) -> None:
    corpus = make_corpus()
    corpus.documents[0].outlet = "Eastline Wire"  # now st-a8 is doc-a's own outlet speaking
    a = next(p for p in sourcing_profiles(corpus) if p.document_id == "doc-a")
    assert (a.on_record, a.author_assertions) == (3, 3)
    assert profiles["doc-a"].on_record == 4


def test_corpus_median_leaves_out_copies_and_empty_documents(profiles: dict) -> None:
    # originals with statements: a 0.5, b 0.0, c 0.75 -> median 0.5 (with the copy d's 0.0 it would be 0.25)
    assert {p.corpus_median_on_record_share for p in profiles.values()} == {0.5}
    assert {p.corpus_median_anonymous_share for p in profiles.values()} == {0.25}
    assert profiles["doc-a"].on_record_vs_median == "at"
    assert profiles["doc-b"].on_record_vs_median == "below"
    assert profiles["doc-c"].on_record_vs_median == "above"
    assert profiles["doc-d"].on_record_vs_median == "below"


def test_median_moves_with_the_corpus() -> None:
    corpus = make_corpus()
    corpus.documents[3].duplicate_of = None  # doc-d becomes an original: shares 0.5, 0.0, 0.75, 0.0
    profiles = {p.document_id: p for p in sourcing_profiles(corpus)}
    assert profiles["doc-a"].corpus_median_on_record_share == 0.25
    assert profiles["doc-a"].on_record_vs_median == "above"


def test_the_sentence(profiles: dict) -> None:
    assert profiles["doc-a"].summary == (
        "4 of 8 statements are on the record; 2 rest on anonymous sources; 2 are the author's own unattributed "
        "assertions; three named sources; two anonymous sources (“two officials familiar with the talks”, "
        "“a person close to the council”); a counter-voice is quoted: one denial, one refusal to confirm; "
        "1 of the 2 claims it carries rests on one origin; its share on the record (50%) is at the corpus median "
        "(50%)."
    )
    assert profiles["doc-b"].summary == (
        "0 of 2 statements are on the record; 2 are the author's own unattributed assertions; no named source; "
        "no anonymous source; no counter-voice (no dispute, denial or refusal to confirm is quoted); the one claim "
        "it carries rests on one origin; its share on the record (0%) is below the corpus median (50%)."
    )
    assert profiles["doc-c"].summary == (
        "3 of 4 statements are on the record; 1 rests on an anonymous source; one named source; one anonymous "
        "source (“a port engineer”); no counter-voice (no dispute, denial or refusal to confirm is quoted); it "
        "carries no claim grouped across the corpus; its share on the record (75%) is above the corpus median (50%)."
    )
    assert profiles["doc-e"].summary == "No statement or assertion was found in this document."


def test_every_claim_on_one_origin_and_independent_origins() -> None:
    corpus = make_corpus()
    corpus.claims[1].independent_sources = 1
    a = next(p for p in sourcing_profiles(corpus) if p.document_id == "doc-a")
    assert a.every_claim_single_origin is True
    assert "every claim it carries rests on one origin" in a.summary
    corpus.claims[0].independent_sources = 3
    corpus.claims[1].independent_sources = 2
    a = next(p for p in sourcing_profiles(corpus) if p.document_id == "doc-a")
    assert a.single_origin_claims == 0
    assert "each claim it carries has more than one independent origin" in a.summary


def test_words_describe_sourcing_never_truth(profiles: dict) -> None:
    for p in profiles.values():
        words = set(p.summary.casefold().replace(";", " ").replace(",", " ").split())
        assert not words & {
            "true",
            "false",
            "fake",
            "reliable",
            "unreliable",
            "trustworthy",
            "credible",
            "score",
        }
        assert describe(p) == p.summary


def test_counter_voice_kinds_are_counted() -> None:
    corpus = make_corpus()
    corpus.statements.append(_st("st-c5", "doc-c", "src-okafor", stance="disputes"))
    c = next(p for p in sourcing_profiles(corpus) if p.document_id == "doc-c")
    assert c.counter_voice and c.disputes == 1
    assert "a counter-voice is quoted: one dispute" in c.summary


def test_deterministic_and_pure() -> None:
    one, two = make_corpus(), make_corpus()
    two.statements.reverse()
    two.documents.reverse()
    assert [p.to_dict() for p in sourcing_profiles(one)] == [p.to_dict() for p in sourcing_profiles(two)]


def test_json_is_schema_valid_and_round_trips() -> None:
    corpus = make_corpus()
    data = json.loads(dumps(corpus))
    validate(data)
    assert [p["document_id"] for p in data["sourcing"]] == ["doc-a", "doc-b", "doc-c", "doc-d", "doc-e"]
    assert data["sourcing"][0]["on_record"] == 4
    again = Corpus.from_dict(data)
    assert again.to_dict() == data
    broken = json.loads(json.dumps(data))
    broken["sourcing"][0]["on_record_share"] = 1.5
    with pytest.raises(jsonschema.ValidationError, match=r"1\.5"):
        validate(broken)


def test_the_provenance_stage_assigns_it() -> None:
    pipeline = build_pipeline()
    assert any("sourcing" in info.assigns for info in pipeline.stages)
    corpus = make_corpus()
    assert not corpus.sourcing
    assert len(corpus.sourcing_profiles()) == 5  # computed when a loaded corpus has none
    assert corpus.sourcing


def test_csv_is_written_and_guarded(tmp_path: Path) -> None:
    corpus = make_corpus()
    corpus.sources[5] = dataclasses.replace(corpus.sources[5], description="=HYPERLINK(1) officials")
    written = write_csv(corpus, tmp_path, Options())
    assert tmp_path / "sourcing.csv" in written
    raw = (tmp_path / "sourcing.csv").read_text(encoding="utf-8")
    assert raw.splitlines()[0] == ",".join(COLUMNS["sourcing.csv"])
    assert "'=HYPERLINK" in raw
    rows = {r["document_id"]: r for r in read_table(tmp_path / "sourcing.csv")}
    assert list(rows) == ["doc-a", "doc-b", "doc-c", "doc-d", "doc-e"]
    a = rows["doc-a"]
    assert (a["statements"], a["on_record"], a["anonymous"], a["author_assertions"]) == ("8", "4", "2", "2")
    assert (a["counter_voice"], a["every_claim_single_origin"], a["on_record_vs_median"]) == (
        "true",
        "false",
        "at",
    )
    assert a["anonymous_descriptions"].startswith("=HYPERLINK(1) officials|")
    assert a["outlet"] == "Northgate Courier"
    assert rows["doc-e"]["on_record_share"] == "" and rows["doc-e"]["every_claim_single_origin"] == ""


def test_the_report_shows_it_escaped(frozen_options: Options) -> None:
    corpus = make_corpus()
    corpus.sources[6] = dataclasses.replace(
        corpus.sources[6], description="<script>alert(1)</script> insider"
    )
    page = render_report(corpus, frozen_options)
    assert 'id="sourcing"' in page and "Sourcing of each document" in page
    assert 'href="#sourcing"' in page
    assert "Corpus median share on the record: 50%." in page
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; insider" in page
    assert "4 of 8 statements are on the record" in page
    assert page.count('class="sourcing small"') == 5  # every source text has its sentence
    assert "Sourcing: No statement or assertion was found in this document." in page
    assert "1 denied, 1 declined" in page


def test_the_report_table_repeats_no_statement_anchor(frozen_options: Options) -> None:
    import re

    corpus = make_corpus()
    doc = corpus.documents[0]
    assert doc.title is not None
    corpus.statements.append(
        dataclasses.replace(_st("st-a9", "doc-a", "src-albrecht"), part="title", start=0, end=len(doc.title))
    )
    page = render_report(corpus, frozen_options)
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert "st-a9" in ids
    assert len(ids) == len(
        set(ids)
    )  # the title in the sourcing table is plain text, its marks stay in the text


def test_stix_reports_carry_the_sentence(frozen_options: Options) -> None:
    from claimgraph.outputs.stix import build_bundle

    corpus = make_corpus()
    bundle = build_bundle(corpus, frozen_options)
    reports = {o["x_claimgraph_document_id"]: o for o in bundle["objects"] if o["type"] == "report"}
    assert reports["doc-a"]["x_claimgraph_sourcing"].startswith("4 of 8 statements are on the record")
    assert (
        reports["doc-e"]["x_claimgraph_sourcing"] == "No statement or assertion was found in this document."
    )
    extension = next(o for o in bundle["objects"] if o["type"] == "extension-definition")
    assert "x_claimgraph_sourcing" in extension["extension_properties"]
