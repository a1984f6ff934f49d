"""Bylines, dates and titles."""

from __future__ import annotations

import pytest

from claimgraph.ingest.bylines import parse_byline, split_authors
from claimgraph.ingest.dates import is_date_line, parse_date
from claimgraph.ingest.text import clean_text


@pytest.mark.parametrize(
    ("line", "authors"),
    [
        ("By Jane Roe* and John Doe", ["Jane Roe", "John Doe"]),
        ("By Jane Roe, John Doe and Ann Poe", ["Jane Roe", "John Doe", "Ann Poe"]),
        ("By Jane Roe†, John Doe‡ & Ann Poe¹", ["Jane Roe", "John Doe", "Ann Poe"]),
        ("BY JANE ROE", ["Jane Roe"]),
        ("By Jane Roe, Staff Writer", ["Jane Roe"]),
        ("By Clara Wende and Tomas Adler, The Meridian Post", ["Clara Wende", "Tomas Adler"]),
        ("By Jane Roe | March 5, 2019", ["Jane Roe"]),
        ("By Jane Roe on Tuesday, March 5th, 2019 @ 9:14AM", ["Jane Roe"]),
        ("Written by Lars van der Berg", ["Lars van der Berg"]),
        ("Authors: Jane Roe; John Doe", ["Jane Roe", "John Doe"]),
        ("By Sean O'Brien and Omar al-Sayed", ["Sean O'Brien", "Omar al-Sayed"]),
    ],
)
def test_bylines(line: str, authors: list[str]) -> None:
    assert parse_byline(line) == authors


@pytest.mark.parametrize(
    "line",
    [
        "By the time the ships arrived, the harbour was closed.",
        "Byzantine rules govern the port.",
        "The report was written by officials.",
        "By 2019 the fleet had doubled in size and the navy had grown too.",
        # a sentence going on from the line before (wire copy wrapped at 65 characters)
        "by the Group of Seven -- the U.S., Japan, West Germany, France,",
        "by Pennvale Corp, which paid 45 mln dlrs for it, and",
        # a sentence that opens with "By": its pieces between commas are not names
        "By looking beyond the spring votes in Tolvania, Arvania and North Kelmar, the campaign is investing.",
        "By 2031, earnings could reach 4.30 dlrs per share, Wende",
    ],
)
def test_not_bylines(line: str) -> None:
    assert parse_byline(line) is None


def test_countries_and_capitals_are_no_authors() -> None:
    """A list of countries is no list of people: one such "byline" made every mention of those countries a
    person across a whole corpus (their names became people's names by the corpus-wide byline vote)."""
    assert parse_byline("By the delegations of Japan, France and Kenya") is None
    assert parse_byline("By Jane Roe, Norway and Kenya") == ["Jane Roe"]


def test_split_authors_drops_pieces_that_are_not_names() -> None:
    assert split_authors("Jane Roe and the Veloria Times staff") == ["Jane Roe"]


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Tuesday, March 5th, 2019 @ 9:14AM", "2019-03-05"),
        ("Mar. 5, 2019", "2019-03-05"),
        ("2019-03-05", "2019-03-05"),
        ("2019-03-05T09:14:00+01:00", "2019-03-05"),
        ("5 March 2019", "2019-03-05"),
        ("5th of March, 2019", "2019-03-05"),
        ("Published 14 November 2025, 16:20", "2025-11-14"),
        ("Sept. 30, 2020", "2020-09-30"),
        ("2019/03/05", "2019-03-05"),
        ("February 30, 2019", None),
        ("no date here", None),
        ("", None),
    ],
)
def test_dates(text: str, date: str | None) -> None:
    assert parse_date(text) == date


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Tuesday, March 5th, 2019 @ 9:14AM", True),
        ("Updated: Mar. 5, 2019 10:02 GMT", True),
        ("Published 14 November 2025, 16:20", True),
        ("On March 5, 2019 the harbour closed after a storm.", False),
    ],
)
def test_date_lines(line: str, expected: bool) -> None:
    assert is_date_line(line) is expected


def test_published_prefers_publication_over_update() -> None:
    cleaned = clean_text(
        "Harbour closes after storm\nUpdated: March 7, 2019\nPublished: March 5, 2019\n\n"
        "The harbour of Lisca closed on Tuesday after a storm damaged two of its piers, officials said.\n"
    )
    assert cleaned.published == "2019-03-05"


def test_title_is_first_real_headline_and_repeat_is_dropped() -> None:
    cleaned = clean_text(
        "Home News Sport Contact Jobs\nWORLD\nHarbour closes after storm\nHarbour closes after storm\n\n"
        "The harbour of Lisca closed on Tuesday after a storm damaged two of its piers, officials said.\n"
    )
    assert cleaned.title == "Harbour closes after storm"
    assert cleaned.removed.count("Harbour closes after storm") == 1
    assert "WORLD" in cleaned.removed
    assert cleaned.paragraphs == [
        "The harbour of Lisca closed on Tuesday after a storm damaged two of its piers, officials said."
    ]


def test_key_value_header() -> None:
    cleaned = clean_text(
        "Title: Harbour closes after storm\nSource: The Lisca Ledger\nURL: https://ledger.example/a/1\n"
        "Author: Jane Roe\nDate: 2019-03-05\n\n"
        "The harbour of Lisca closed on Tuesday after a storm damaged two of its piers, officials said.\n"
    )
    assert cleaned.title == "Harbour closes after storm"
    assert cleaned.outlet == "The Lisca Ledger"
    assert cleaned.url == "https://ledger.example/a/1"
    assert cleaned.authors == ["Jane Roe"]
    assert cleaned.published == "2019-03-05"
    assert len(cleaned.paragraphs) == 1


def test_article_without_headline_has_no_title() -> None:
    cleaned = clean_text(
        "The harbour of Lisca closed on Tuesday after a storm damaged two of its piers, officials said.\n"
    )
    assert cleaned.title is None
    assert len(cleaned.paragraphs) == 1


def test_first_line_of_a_hard_wrapped_sentence_is_not_a_title() -> None:
    cleaned = clean_text(
        "The harbour of Lisca closed on Tuesday after a storm damaged\n"
        "two of its piers and flooded the fish market, officials said.\n"
    )
    assert cleaned.title is None
    assert cleaned.paragraphs == [
        "The harbour of Lisca closed on Tuesday after a storm damaged two of its piers and flooded the fish "
        "market, officials said."
    ]
    # a headline above a line that starts a new sentence stays a headline
    headed = clean_text(
        "Harbour closes after storm\nThe harbour of Lisca closed on Tuesday after a storm damaged two of its "
        "piers, officials said.\n"
    )
    assert headed.title == "Harbour closes after storm"
    bylined = clean_text(
        "Harbour closes after storm\nby Jane Roe\nThe harbour of Lisca closed on Tuesday after a storm damaged "
        "two of its piers, officials said.\n"
    )
    assert bylined.title == "Harbour closes after storm"
    assert bylined.authors == ["Jane Roe"]
    tail = clean_text(  # the rest of a sentence whose start was cut off is no headline either
        "two of its piers and flooded the fish market\n\n"
        "Officials said the harbour of Lisca would stay closed until the piers are repaired next month.\n"
    )
    assert tail.title is None
    assert (
        clean_text(
            "iPhone sales fall in Lisca\n\nOfficials said sales of phones in Lisca fell by a third this year.\n"
        ).title
        == "iPhone sales fall in Lisca"
    )
    for below in ("share", "updated 3 hours ago"):  # a lower-case label or boilerplate line below a headline
        labelled = clean_text(
            f"Harbour closes after storm\n{below}\nThe harbour of Lisca closed on Tuesday after a storm "
            "damaged two of its piers, officials said.\n"
        )
        assert labelled.title == "Harbour closes after storm", below


def test_html_keeps_a_short_subheading_above_the_first_paragraph() -> None:
    """In a page's extracted text a short line before the first paragraph is the article's own sub-heading
    (the extractor already dropped the page's kickers and menus); saved text still drops such labels."""
    from claimgraph.ingest.html import extract_html

    first = "The dam council of Orsk voted on Tuesday to raise the water levy by a fifth, its chair said at the meeting."
    second = (
        "Residents objected at the meeting, and one councillor, Teo Vask, voted against the rise in the levy."
    )
    page = (
        "<html><head><title>Levy vote in Orsk</title></head><body><article><h2>Council vote</h2>"
        f"<p>{first}</p><p>{second}</p></article></body></html>"
    )
    result = extract_html(page, "page.html")
    assert result.title == "Levy vote in Orsk"
    assert result.paragraphs == ["Council vote", first, second]
    text = clean_text(f"Council vote\n{first}\n\n{second}\n", title="Levy vote in Orsk")
    assert text.paragraphs == [first, second]


def test_a_wrapped_wire_line_opening_with_by_stays_in_the_text() -> None:
    """Hard-wrapped wire copy: a line that goes on with "by <company>, which ..." is the sentence, not a byline
    (it was cut out of the text and its company became an author); a real byline below still counts."""
    cleaned = clean_text(
        "HALVORSEN SELLS UNIT\n\nOSLO, March 3 - Halvorsen Marine Co said its shipping unit was sold\n"
        "by Pennvale Corp, which paid 45 mln dlrs for it, and\nthe deal closes in April.\n\nBy Jane Roe\n"
    )
    assert cleaned.authors == ["Jane Roe"]
    assert cleaned.paragraphs == [
        "OSLO, March 3 - Halvorsen Marine Co said its shipping unit was sold by Pennvale Corp, which paid 45 mln "
        "dlrs for it, and the deal closes in April."
    ]


def test_a_wrapped_line_of_names_going_on_from_the_line_above_is_no_byline() -> None:
    """Hard-wrapped wire copy where the line after "by" holds only names (a company, a title and a name): it
    goes on with the sentence above, which does not end; the names stay in the text and are no authors."""
    cleaned = clean_text(
        "HALVORSEN MAY GET NEW ROUTES\n\nHalvorsen Air said the recommendation must still be approved\n"
        "by Transport Minister Ilse Wende and President\nAdler. Halvorsen flies the routes under an exemption\n"
        "granted by Tolvan Airways (TLV) in 2030.\n"
    )
    assert cleaned.authors == []
    assert "approved by Transport Minister Ilse Wende and President Adler." in cleaned.paragraphs[0]
    cleaned = clean_text("Tolvan talks stall\nby Jane Roe\n\nThe talks stalled on Tuesday, officials said.\n")
    assert cleaned.authors == ["Jane Roe"]  # a lower-case byline right below the headline is one
