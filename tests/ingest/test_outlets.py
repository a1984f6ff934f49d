"""Outlets from what a page or text says; the shipped outlets list; skipped unsupported files (invented texts)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from claimgraph.ingest import iter_documents, skipped_summary
from claimgraph.options import Options
from claimgraph.reference import outlets

from .helpers import read_all

BODY = (
    "The dam council of Orsk voted on Tuesday to raise the water levy by a fifth, its chair said.\n\n"
    "Residents objected at the meeting, and one councillor, Teo Vask, voted against the rise.\n"
)


def test_shipped_outlets_list_names_its_source_and_finds_hosts() -> None:
    table = outlets.outlets()
    assert len(table) > 250  # about 240 news-site hosts and 30 agencies
    head = (
        (Path(outlets.__file__).parent / "data" / "outlets.tsv").read_text(encoding="utf-8").splitlines()[:5]
    )
    assert any("newspaper3k" in line and "MIT" in "".join(head) for line in head)
    assert outlets.by_host("https://www.apnews.com/article/x").name == "Associated Press"  # type: ignore[union-attr]
    assert outlets.by_host("edition.cnn.com") is not None
    assert outlets.by_host("orsk-courier.example") is None
    assert outlets.by_name("AFP") is not None and outlets.by_name("afp").kind == "agency"  # type: ignore[union-attr]


def _text(tmp_path: Path, name: str, text: str) -> list[str | None]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    docs, problems = read_all([path])
    assert problems == []
    return [d.outlet for d in docs]


def test_outlet_from_a_source_line_at_the_end(tmp_path: Path) -> None:
    assert _text(tmp_path, "a.txt", f"Levy rises\n\n{BODY}\nSource: Orsk Courier\n") == ["Orsk Courier"]


def test_outlet_from_the_url_host_in_the_shipped_list(tmp_path: Path) -> None:
    text = f"Levy rises\nURL: https://www.reuters.com/world/levy-rises\n\n{BODY}"
    assert _text(tmp_path, "b.txt", text) == ["Reuters"]


def test_larger_host_list_names_its_source_and_only_recognises_hosts(tmp_path: Path) -> None:
    head = (
        (Path(outlets.__file__).parent / "data" / "news_hosts.txt")
        .read_text(encoding="utf-8")
        .splitlines()[:5]
    )
    assert any("newspaper4k" in line for line in head) and any("MIT" in line for line in head)
    hosts = outlets.news_hosts()
    assert len(hosts) > 5000
    assert "abqjournal.com" in hosts and "abqjournal.com" not in {o.host for o in outlets.outlets()}
    found = outlets.by_host("https://www.abqjournal.com/news/x")
    assert found is not None and found.name == "abqjournal.com" and found.kind == "outlet"
    assert outlets.by_host("https://apnews.com/a").name == "Associated Press"  # type: ignore[union-attr]  # the table wins
    assert outlets.by_name("abqjournal.com") is None  # names come from the table only
    text = f"Levy rises\nURL: https://www.abqjournal.com/local/levy-rises\n\n{BODY}"
    assert _text(tmp_path, "h.txt", text) == ["abqjournal.com"]
    unknown = f"Levy rises\nURL: https://orsk-courier.example/levy\n\n{BODY}"
    assert _text(tmp_path, "u.txt", unknown) == [None]


def test_outlet_from_copyright_footer_and_agency_dateline(tmp_path: Path) -> None:
    assert _text(tmp_path, "c.txt", f"Levy rises\n\n{BODY}\n© 2024 Orsk Courier. All rights reserved.\n") == [
        "Orsk Courier"
    ]
    dateline = "ORSK (AFP) - " + BODY
    assert _text(tmp_path, "d.txt", f"Levy rises\n\n{dateline}") == ["Agence France-Presse"]


def test_unknown_outlet_stays_null_never_a_path(tmp_path: Path) -> None:
    folder = tmp_path / "corpus" / "sub"
    folder.mkdir(parents=True)
    assert _text(folder, "e.txt", f"Levy rises\n\n{BODY}") == [None]


def test_outlet_from_html_canonical_host_when_the_page_names_no_site(tmp_path: Path) -> None:
    page = (
        '<html><head><title>Levy rises</title><link rel="canonical" href="https://apnews.com/article/levy">'
        f"</head><body><article><h1>Levy rises</h1><p>{BODY.split(chr(10))[0]}</p>"
        f"<p>{BODY.split(chr(10))[2]}</p></article></body></html>"
    )
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    (doc,), _ = read_all([path])
    assert doc.outlet == "Associated Press"


def test_skipped_unsupported_files_are_counted_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(f"Levy rises\n\n{BODY}", encoding="utf-8")
    for name in ("report.pdf", "notes.docx", "scan.pdf"):
        (tmp_path / name).write_bytes(b"%PDF-1.4")
    skipped: Counter[str] = Counter()
    items = list(iter_documents([str(tmp_path)], Options(), skipped))
    assert len(items) == 1
    assert skipped == Counter({".pdf": 2, ".docx": 1})
    assert (
        skipped_summary(skipped) == "skipped 3 unsupported file(s) in the input folders: .pdf (2), .docx (1)"
    )
    assert skipped_summary(Counter()) is None
