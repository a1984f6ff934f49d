"""Property tests: the parsers never crash, output is NFC without control characters, cleaning is idempotent."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from hypothesis import example, given, settings
from hypothesis import strategies as st

from claimgraph.ingest.boilerplate import classify_line
from claimgraph.ingest.bylines import parse_byline, split_authors
from claimgraph.ingest.dates import find_date, parse_date
from claimgraph.ingest.normalize import normalize_line, normalize_text
from claimgraph.ingest.text import clean_text

# Text with the awkward parts of real pages: combining marks, controls, odd spaces, tags, quotes.
PIECES = st.sampled_from(
    [
        "By ", "Jane Roe", "*", " and ", "John Doe", ", ", "March 5th, 2019", " @ 9:14AM", "\n", "\n\n", "\r\n",
        "<b>", "</b>", "<img src='x.gif' width='1' height='1'>", "Share", " | ", "Facebook", "Home News Sport",
        "e\u0301", "\u00a0", "\u200b", "\x00", "\x07", "\x1b", "\t", "\u2028", "“", "”", "’", "Sign up", "!",
        "The harbour of Lisca closed on Tuesday.", "More on this:", "#", "**", "[link](https://x.example)",
    ]
)  # fmt: skip
MESSY = st.one_of(st.text(max_size=300), st.lists(PIECES, max_size=40).map("".join))


def _clean_output(text: str) -> bool:
    return unicodedata.is_normalized("NFC", text) and not any(
        unicodedata.category(c) == "Cc" and c != "\n" for c in text
    )


@settings(max_examples=150, deadline=None)
@given(MESSY)
def test_normalize_text_is_nfc_control_free_and_idempotent(text: str) -> None:
    once = normalize_text(text)
    assert _clean_output(once)
    assert normalize_text(once) == once
    line = normalize_line(text)
    assert "\n" not in line and _clean_output(line) and normalize_line(line) == line


@settings(max_examples=150, deadline=None)
@given(MESSY)
def test_byline_parser_never_crashes(text: str) -> None:
    names = parse_byline(text)
    assert names is None or (names and all(name.strip() == name and name for name in names))
    for name in split_authors(text):
        assert not re.search(r"[*†‡§¶⁰¹²³⁴⁵⁶⁷⁸⁹]", name)


@settings(max_examples=150, deadline=None)
@given(MESSY)
def test_date_parser_never_crashes(text: str) -> None:
    value = parse_date(text)
    assert value is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)
    found = find_date(text)
    if found is not None:
        assert 0 <= found[1] < found[2] <= len(text)


@settings(max_examples=40, deadline=None)
@given(
    st.dates(min_value=dt.date(1800, 1, 1), max_value=dt.date(2099, 12, 31)),
    st.sampled_from(["%Y-%m-%d", "%B %d, %Y", "%b. %d, %Y", "%d %B %Y", "%A, %B %dth, %Y @ 9:14AM"]),
)
def test_date_parser_round_trips(date: dt.date, fmt: str) -> None:
    """Every date of the supported years (1800-2099) in the common web formats."""
    assert parse_date(date.strftime(fmt)) == date.isoformat()


@settings(max_examples=100, deadline=None)
@given(MESSY, st.booleans())
@example("A>A>\raND", False)  # two lines that pass the rules alone but read as a menu once re-joined
@example("A\rA000:AA0\rA000 AA0", False)  # a repeat of the title is not brought back as short text
@example("#<A>A", True)  # a Markdown heading once its tag is gone is a heading in the first pass too
@example("#<A># B", True)  # and a marker left inside a heading's text is taken off too (not kept as "# B")
@example("# # B", True)
@example("A******A**", True)  # bold marks that one pass of their removal makes again
@example("MORE ON THIS:0 0 0 0", False)  # a labelled line whose rest is not a sentence stays out
@example("MORE ON THIS:BY B - 0", False)  # nor one whose rest, cleaned alone, is a byline
@example("MORE ON THIS\rBY A", False)  # a byline a teaser block took is not brought back as short text
def test_text_cleaner_output_is_clean_and_idempotent(text: str, markdown: bool) -> None:
    cleaned = clean_text(text, markdown=markdown)
    body = "\n\n".join(cleaned.paragraphs)
    assert _clean_output(body)
    assert all(p and p == p.strip() and "\n" not in p for p in cleaned.paragraphs)
    for line in cleaned.paragraphs:
        assert classify_line(line) is None or line.startswith(("<", "!"))  # nothing flagged slips through
    again = clean_text(body, markdown=markdown, title=cleaned.title, header=False)
    assert again.paragraphs == cleaned.paragraphs
