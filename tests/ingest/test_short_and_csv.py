"""Short texts are documents; the CSV reader; repeated passages; the per-document time budget (invented texts)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

from claimgraph.errors import Errors
from claimgraph.ingest.documents import RawDocument
from claimgraph.options import Options
from claimgraph.registry import registry

from .helpers import read_all

HEADLINE = "Dam council votes to raise water levy by a fifth"


def test_one_line_jsonl_records_are_documents_and_only_empty_text_is_e012(tmp_path: Path) -> None:
    path = tmp_path / "alerts.jsonl"
    rows = [
        {"text": HEADLINE},
        {"text": "Ferry link to Orsk suspended after storm", "title": "Ferry alert"},
        {"text": "   "},
        {"text": "Dam levy", "title": "Dam levy"},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    docs, problems = read_all([path])
    assert [d.text for d in docs] == [HEADLINE, "Ferry link to Orsk suspended after storm", "Dam levy"]
    assert docs[1].title == "Ferry alert"  # a given title stays separate
    assert [p.path for p in problems] == [f"{path}#3"] and problems[0].code == "E012"


def test_one_line_text_file_and_feed_entry_are_documents(tmp_path: Path) -> None:
    text = tmp_path / "post.txt"
    text.write_text(HEADLINE + "\n", encoding="utf-8")
    feed = tmp_path / "alerts.rss"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Orsk Wire</title>'
        "<item><title>Alert</title><description>Ferry link to Orsk suspended after storm</description></item>"
        "</channel></rss>",
        encoding="utf-8",
    )
    docs, problems = read_all([text, feed])
    assert problems == []
    assert [d.text for d in docs] == [HEADLINE, "Ferry link to Orsk suspended after storm"]
    assert docs[1].title == "Alert" and docs[1].outlet == "Orsk Wire"


def test_a_labelled_one_line_post_is_a_document_and_pure_boilerplate_is_not(tmp_path: Path) -> None:
    """A genre label before a headline ("WATCH:", "Video:", "Photo:") is what a teaser or a caption between an
    article's paragraphs looks like; as the only line of a record its sentence is the post, and the label is
    listed among the removed lines."""
    path = tmp_path / "posts.jsonl"
    rows = [
        {"text": "WATCH: Harbour crane collapses onto cargo ship in Velm"},
        {"text": "Video: Dam council votes to raise water levy by a fifth"},
        {"text": "Photo: Ferry to Orsk runs aground in the storm"},
        {"text": "Subscribe now"},
        {"text": "Video:"},
        {"text": "Read more: storm"},
        {"text": "Tags: politics, water, levy, council"},
        {"text": "More on this\nBy Ilsa Marn"},  # a teaser label and a byline: nothing to analyse
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    docs, problems = read_all([path])
    assert [d.text for d in docs] == [
        "Harbour crane collapses onto cargo ship in Velm",
        "Dam council votes to raise water levy by a fifth",
        "Ferry to Orsk runs aground in the storm",
    ]
    assert [d.removed.boilerplate_lines for d in docs] == [["WATCH:"], ["Video:"], ["Photo:"]]
    assert [p.path for p in problems] == [f"{path}#{n}" for n in (4, 5, 6, 7, 8)]
    assert {p.code for p in problems} == {"E012"}


def test_csv_reader_reads_columns_like_jsonl(tmp_path: Path) -> None:
    assert "claimgraph.csv_reader.v1" in registry.readers
    path = tmp_path / "posts.csv"
    path.write_text(
        "id,Title,text,url,published,author,extra\n"
        f'1,Levy vote,"{HEADLINE}",https://orsk-courier.example/levy,2024-05-02,Ilsa Marn and Teo Vask,x\n'
        '2,,"The port of Orsk reopened on Friday.\n\nCrews returned to work, a union official said.",,,,\n'
        "3,Empty,,,,,\n",
        encoding="utf-8",
    )
    docs, problems = read_all([path])
    assert [p.code for p in problems] == ["E012"] and problems[0].path == f"{path}#3"
    first, second = docs
    assert first.path == f"{path}#1" and first.format == "csv"
    assert (first.title, first.text, first.url, first.published) == (
        "Levy vote", HEADLINE, "https://orsk-courier.example/levy", "2024-05-02",
    )  # fmt: skip
    assert first.authors == ["Ilsa Marn", "Teo Vask"]
    assert (
        second.text
        == "The port of Orsk reopened on Friday.\n\nCrews returned to work, a union official said."
    )


def test_csv_without_text_column_is_one_problem(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("headline,link\nA,B\n", encoding="utf-8")
    docs, problems = read_all([path])
    assert docs == [] and [p.code for p in problems] == ["E016"]
    assert "headline" in problems[0].reason


def test_repeated_passage_inside_a_longer_paragraph_is_kept_once(tmp_path: Path) -> None:
    passage = "The levy pays for the new spillway. Work starts in June, the council said."
    text = (
        "Dam levy rises\n\n"
        f"Orsk's dam council voted on Tuesday to raise the water levy. {passage}\n\n"
        f"Residents objected at the meeting. {passage} One councillor, Teo Vask, voted against.\n"
    )
    path = tmp_path / "levy.txt"
    path.write_text(text, encoding="utf-8")
    (doc,), _ = read_all([path])
    assert doc.text.count("Work starts in June") == 1
    assert "Residents objected at the meeting. One councillor, Teo Vask, voted against." in doc.text
    assert doc.removed.duplicate_paragraph_texts == [passage]
    assert doc.removed.duplicate_paragraphs == 1


def test_a_short_sentence_said_twice_is_not_a_passage(tmp_path: Path) -> None:
    path = tmp_path / "twice.txt"
    path.write_text(
        "Levy vote\n\nThe council met on Tuesday. It voted yes. The levy rises in June.\n\n"
        "The mayor spoke on Wednesday. It voted yes. Residents were not consulted.\n",
        encoding="utf-8",
    )
    (doc,), _ = read_all([path])
    assert doc.text.count("It voted yes.") == 2 and doc.removed.duplicate_paragraphs == 0


def test_symbol_runs_are_collapsed_before_any_tokenizer(tmp_path: Path) -> None:
    path = tmp_path / "quote.txt"
    path.write_text(
        "Levy vote\n\nThe council voted " + ">" * 20_000 + " to raise the levy!!!!!!!!\n", encoding="utf-8"
    )
    (doc,), _ = read_all([path])
    assert doc.text == "The council voted >>> to raise the levy!!!"


def test_attribute_heavy_tag_is_trimmed(tmp_path: Path) -> None:
    attributes = " ".join(f'data-a{i}="x"' for i in range(200_000))
    prose = " ".join(["The council of Orsk voted on Tuesday to raise the water levy by a fifth."] * 6)
    path = tmp_path / "page.html"
    path.write_text(
        f"<html><body><div {attributes}>menu</div><article><p>{prose}</p></article></body></html>"
    )
    start = time.process_time()
    (doc,), problems = read_all([path])
    assert problems == [] and "raise the water levy" in doc.text
    assert time.process_time() - start < 20


@registry.readers("tests.slow_reader.v1")
def _slow_reader(path: str, options: Options) -> Iterator[RawDocument]:
    yield RawDocument(path=f"{path}#1", format="text", paragraphs=["The council met on Tuesday."])
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:  # a pathological document
        pass
    yield RawDocument(path=f"{path}#2", format="text", paragraphs=["Never reached."])


def test_a_document_over_the_time_budget_is_a_coded_problem(tmp_path: Path) -> None:
    path = tmp_path / "slow.slow"
    path.write_text("x", encoding="utf-8")
    options = Options(ingest_seconds=0.5, extra={"readers": {".slow": "tests.slow_reader.v1"}})
    start = time.monotonic()
    docs, problems = read_all([path], options)
    assert time.monotonic() - start < 4
    assert [d.text for d in docs] == ["The council met on Tuesday."]
    assert [p.code for p in problems] == [Errors.E017.name]
