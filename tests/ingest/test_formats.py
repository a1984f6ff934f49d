"""Each input format: text, metadata and paths with #records."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from claimgraph.ingest import iter_documents
from claimgraph.options import Options
from claimgraph.registry import registry

from .helpers import FIXTURES, read_all


def test_readers_are_registered_under_versioned_names() -> None:
    for name in (
        "claimgraph.html_reader.v1",
        "claimgraph.text_reader.v1",
        "claimgraph.markdown_reader.v1",
        "claimgraph.jsonl_reader.v1",
        "claimgraph.feed_reader.v1",
        "claimgraph.warc_reader.v1",
    ):
        assert name in registry.readers


def test_html_text_and_metadata() -> None:
    docs, problems = read_all([FIXTURES / "two_authors.html"])
    assert problems == []
    (doc,) = docs
    assert doc.format == "html"
    assert doc.path == str(FIXTURES / "two_authors.html")
    assert doc.title == "Kestria accused of recruiting captured militants"
    # trafilatura alone keeps only the meta author; the byline names both, with the footnote mark stripped
    assert doc.authors == ["Jane Roe", "John Doe"]
    assert doc.published == "2019-03-05"
    assert doc.outlet == "The Veloria Times"
    assert doc.url == "https://veloria-times.example/world/2019/03/05/kestria-militants"
    assert '"We do not comment on rumours," a ministry spokesperson said.' in doc.text.split("\n\n")
    assert "should never appear" not in doc.text
    removed = doc.removed.boilerplate_lines
    assert "Sign up for our newsletter" in removed
    assert "Print this page" in removed
    assert any("Home" in line and "Jobs" in line for line in removed)
    assert doc.removed.duplicate_paragraphs == 1
    assert doc.removed.duplicate_paragraph_texts[0].startswith("A security consultant alleged")
    assert doc.text.count("A security consultant alleged") == 1


def test_text_file() -> None:
    docs, problems = read_all([FIXTURES / "messy.txt"])
    assert problems == []
    (doc,) = docs
    assert doc.format == "text"
    assert doc.title == "Kestria denies recruiting former fighters"
    assert doc.authors == ["Jane Roe", "John Doe", "Ann Poe"]
    assert doc.published == "2019-03-05"
    assert doc.outlet == "The Kestria Ledger"
    paragraphs = doc.text.split("\n\n")
    # hard-wrapped lines are joined back into one paragraph, which then repeats once
    assert paragraphs[0].startswith("The government of Kestria on Tuesday denied")
    assert paragraphs[0].endswith('calling the report "a fabrication".')
    assert '"There is no such programme," the interior minister said.' in paragraphs
    assert doc.removed.duplicate_paragraphs == 1
    assert len(paragraphs) == 3
    assert "Kestria denies recruiting former fighters" not in doc.text


def test_markdown_file() -> None:
    docs, problems = read_all([FIXTURES / "brief.md"])
    assert problems == []
    (doc,) = docs
    assert doc.format == "markdown"
    assert doc.title == "The Kestria recruitment story, one week on"
    assert doc.authors == ["Ann Poe"]
    assert doc.published == "2019-03-12"
    assert "[several outlets]" not in doc.text and "several outlets across the region" in doc.text
    assert "*" not in doc.text and "#" not in doc.text
    assert "What the record shows" in doc.text.split("\n\n")
    assert "![](https://px.example/pixel.gif)" in doc.removed.boilerplate_lines
    assert "Sign up for our newsletter" in doc.removed.boilerplate_lines


def test_jsonl_records_and_bad_lines() -> None:
    path = FIXTURES / "articles.jsonl"
    docs, problems = read_all([path])
    assert [d.path for d in docs] == [f"{path}#1", f"{path}#2", f"{path}#7"]
    first, second, third = docs
    assert {d.format for d in docs} == {"jsonl"}
    assert first.title == "Border talks to resume"
    assert first.authors == ["Jane Roe", "John Doe"]
    assert first.published == "2019-03-04"
    assert first.outlet == "Veloria Wire"
    assert first.url == "https://veloria-wire.example/a/1"
    assert second.title == "Kestria port reopens"
    assert second.authors == ["Ann Poe", "Lars Brenn"]
    assert second.published == "2019-03-05"
    assert second.text.startswith("The port of Lisca in Kestria reopened")
    assert third.authors == ["Ann Poe"]
    codes = {(p.path, p.code) for p in problems}
    assert codes == {(f"{path}#3", "E008"), (f"{path}#4", "E014"), (f"{path}#6", "E008")}


def test_rss_feed_entries() -> None:
    path = FIXTURES / "feed.rss"
    docs, problems = read_all([path])
    assert problems == []
    assert [d.path for d in docs] == [f"{path}#1", f"{path}#2"]
    first = docs[0]
    assert first.format == "rss"
    assert first.title == "Commission to inspect camps"
    assert first.authors == ["Jane Roe"]
    assert first.published == "2019-03-05"
    assert first.outlet == "Radio Veloria International"
    assert first.url == "https://rvi.example/news/1"
    assert first.text.split("\n\n") == [
        "A regional commission will inspect detention camps in Veloria next month, its chair said on Tuesday.",
        '"We will go wherever we need to go," the chair said.',
    ]
    assert first.removed.boilerplate_lines == ["Show comments"]


def test_atom_feed_with_two_authors() -> None:
    docs, problems = read_all([FIXTURES / "feed.atom"])
    assert problems == []
    (doc,) = docs
    assert doc.format == "atom"
    assert doc.authors == ["Lars Brenn", "Ann Poe"]
    assert doc.published == "2019-03-07"
    assert doc.url == "https://frontier-brief.example/2019/03/07/doubts"
    assert doc.outlet == "The Frontier Brief"


def test_warc_responses(warc_file: Path) -> None:
    docs, problems = read_all([warc_file])
    assert problems == []
    assert [d.path for d in docs] == [
        f"{warc_file}#https://veloria-wire.example/a/1",
        f"{warc_file}#https://veloria-wire.example/a/2",
    ]
    first, second = docs
    assert first.format == "warc"
    assert first.url == "https://veloria-wire.example/a/1"
    assert first.title == "Border talks to resume"
    assert first.published == "2019-03-06"  # no date in the page: the WARC-Date
    assert second.published == "2019-03-05"  # the page's own date wins
    assert first.text.startswith("Officials in Veloria said on Monday")


def test_uncompressed_warc(tmp_path: Path) -> None:
    from .helpers import LONG_BODY, page, warc_bytes

    path = tmp_path / "crawl.warc"
    path.write_bytes(warc_bytes([("https://x.example/1", page("Border talks", LONG_BODY))], gz=False))
    docs, problems = read_all([path])
    assert problems == [] and len(docs) == 1


def test_legacy_encoding_detected(tmp_path: Path) -> None:
    text = (
        "Minister speaks\n\nThe minister\u2019s \u201cclaim\u201d was d\u00e9j\u00e0 vu for the caf\u00e9 owners of "
        "Lisca, who said the cr\u00e8me of the fishing fleet had left the na\u00efve harbour.\n"
    )
    path = tmp_path / "legacy.txt"
    path.write_bytes(text.encode("cp1252"))
    (doc,), problems = read_all([path])
    assert problems == []
    assert doc.encoding == "cp1252"
    assert "d\u00e9j\u00e0 vu" in doc.text and "\u201cclaim\u201d" in doc.text


def test_html_charset_declared_in_meta(tmp_path: Path) -> None:
    html = (
        "<html><head><meta charset='windows-1251'><title>Новости</title></head><body><article><h1>Новости</h1>"
        "<p>Министр иностранных дел Велории заявил во вторник, что переговоры о границе с Кестрией "
        "возобновятся в следующем месяце после почти годового перерыва.</p></article></body></html>"
    )
    path = tmp_path / "cyrillic.html"
    path.write_bytes(html.encode("cp1251"))
    (doc,), problems = read_all([path])
    assert problems == []
    assert doc.encoding == "cp1251"
    assert "Министр иностранных дел" in doc.text


def test_text_is_nfc_without_control_characters(tmp_path: Path) -> None:
    path = tmp_path / "decomposed.txt"
    body = "Cafe\u0301 owners in Lisca\x07 said the harbour\x1b was closed.\tIt reopened on Friday."
    path.write_text(f"Harbour news today\n\n{body}\n", encoding="utf-8")
    (doc,), _ = read_all([path])
    assert unicodedata.is_normalized("NFC", doc.text)
    assert "Caf\u00e9" in doc.text
    assert not any(unicodedata.category(c) == "Cc" and c != "\n" for c in doc.text)


def test_ids_are_stable_and_depend_on_metadata(tmp_path: Path) -> None:
    first = read_all([FIXTURES / "messy.txt"])[0][0]
    again = read_all([FIXTURES / "messy.txt"])[0][0]
    assert first.id == again.id and first.content_hash == again.content_hash
    assert first.id.startswith("doc-")
    copy = tmp_path / "copy.txt"
    copy.write_text(
        (FIXTURES / "messy.txt").read_text().replace("The Kestria Ledger", "The Veloria Courier"),
        encoding="utf-8",
    )
    syndicated = read_all([copy])[0][0]
    assert syndicated.text == first.text
    assert syndicated.id != first.id  # same text, other outlet: a separate document


def test_gzipped_html(tmp_path: Path) -> None:
    import gzip

    path = tmp_path / "page.html.gz"
    path.write_bytes(gzip.compress((FIXTURES / "two_authors.html").read_bytes()))
    (doc,), problems = read_all([path])
    assert problems == []
    assert doc.format == "html" and doc.authors == ["Jane Roe", "John Doe"]


def test_custom_reader_through_options(tmp_path: Path) -> None:
    from claimgraph.ingest import RawDocument

    @registry.readers("tests.upper_reader.v1")
    def upper_reader(path: str, options: Options):  # type: ignore[no-untyped-def]
        yield RawDocument(path=path, format="custom", paragraphs=[Path(path).read_text().upper()])

    path = tmp_path / "note.custom"
    path.write_text("a note about the harbour", encoding="utf-8")
    options = Options(extra={"readers": {".custom": "tests.upper_reader.v1"}})
    (doc,) = list(iter_documents([str(path)], options))
    assert doc.text == "A NOTE ABOUT THE HARBOUR"  # type: ignore[union-attr]
