"""Boilerplate lines go, every prose paragraph stays, every removal is listed."""

from __future__ import annotations

import pytest

from claimgraph.ingest.boilerplate import classify_line
from claimgraph.ingest.text import clean_text

BOILERPLATE = [
    ("Home News Sport Contact Jobs", "nav"),
    ("Home | News | Sport | Contact | Jobs", "nav"),
    ("Home › News › Region", "nav"),
    ("Share this: Facebook | X | WhatsApp | Email", "share"),
    ("Facebook Twitter Email", "share"),
    ("Tweet Share Email Print", "share"),
    ("f t in ✉", "share"),
    ('<img src="https://px.example/t.gif" width="1" height="1">', "tracking-pixel"),
    ('<div class="ad-slot" id="ad-top"></div>', "html-tag"),
    ("https://tracker.example/c?id=123", "url"),
    ("Take our poll!", "teaser"),
    ("See the gallery", "teaser"),
    ("Show comments", "teaser"),
    ("12 comments", "teaser"),
    ("Sign up for our newsletter", "call-to-action"),
    ("More on this:", "teaser"),
    ("Read more: the Sarn Accord explained", "teaser"),
    ("Most read", "teaser"),
    ("Print this page", "footer"),
    ("Filed under: World, Veloria", "footer"),
    ("Topics: security, borders", "footer"),
    ("© 2019 The Kestria Ledger. All rights reserved.", "footer"),
    ("Advertisement", "advert"),
    ("* * *", "symbols"),
]


@pytest.mark.parametrize(("line", "rule"), BOILERPLATE)
def test_boilerplate_lines(line: str, rule: str) -> None:
    assert classify_line(line) == rule


PROSE = [
    '"It is hypothetical to date."',
    '"We do not comment on rumours," the spokesperson said.',
    "“No.”",
    "Share prices in Lisca fell sharply on Monday after the harbour closed.",
    "Home owners in the north said the storm had damaged their roofs.",
    "The poll, taken last week, showed most voters backed the deal.",
    "Sign-ups for the new ferry service doubled in March, the operator said.",
    "Readers can see the full report on the ministry's website, officials said.",
    "What the record shows",
    "News of the deal reached the capital on Friday.",
    "Politics, business and sport all suffered from the closure, the mayor said.",
]


@pytest.mark.parametrize("line", PROSE)
def test_prose_is_kept(line: str) -> None:
    assert classify_line(line) is None


def test_clean_text_keeps_every_prose_paragraph_and_lists_removals() -> None:
    prose = [
        "The harbour of Lisca closed on Tuesday after a storm damaged two of its piers, officials said.",
        '"It is hypothetical to date."',
        "Lars Brenn, an analyst at the Institute for Frontier Studies, said he had seen no evidence.",
    ]
    noise = [
        "Take our poll!",
        "See the gallery",
        "Show comments",
        "Sign up for our newsletter",
        "Print this page",
    ]
    text = "Harbour closes after storm\n\n" + "\n\n".join(
        p for pair in zip(prose, noise, strict=False) for p in pair
    )
    text += "\n\nMore on this:\nFerry service resumes\nStorm warnings lifted\n\nFiled under: Lisca\n"
    cleaned = clean_text(text)
    assert cleaned.paragraphs == prose
    for line in [
        *noise[:3],
        "More on this:",
        "Ferry service resumes",
        "Storm warnings lifted",
        "Filed under: Lisca",
    ]:
        assert line in cleaned.removed


def test_inline_tags_are_stripped_from_prose() -> None:
    cleaned = clean_text("Headline of the day here\n\nThe <b>harbour</b> of Lisca closed on Tuesday.\n")
    assert cleaned.paragraphs == ["The harbour of Lisca closed on Tuesday."]


def test_html_page_records_what_trafilatura_dropped() -> None:
    from .helpers import FIXTURES, read_all

    (doc,), _ = read_all([FIXTURES / "two_authors.html"])
    removed = doc.removed.boilerplate_lines
    assert "Veloria opens new port" in removed and "Storm hits coast" in removed  # sidebar teasers
    assert "© 2019 The Veloria Times. All rights reserved." in removed
    assert all(line not in doc.text for line in removed)
