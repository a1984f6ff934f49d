"""The shortcuts that keep ingest fast give the same answers as the plain way of computing them."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from lxml import html as lxml_html

from claimgraph.ingest import html as html_module
from claimgraph.ingest.boilerplate import _RULES, _alternatives, _any_rule, classify_line
from claimgraph.ingest.deduplication import dedupe_paragraphs, token_jaccard
from claimgraph.ingest.html import extract_html, visible_lines
from claimgraph.ingest.normalize import normalize_line, normalize_text

from .helpers import FIXTURES, page

SAMPLE = Path(html_module.__file__).parent.parent / "data" / "sample"
PAGES = [FIXTURES / "two_authors.html", *sorted(SAMPLE.glob("*.html"))]

RULE_TEXT = st.sampled_from(
    [
        "Take our poll!", "See the gallery", "Show comments", "12 comments", "Sign up for our newsletter",
        "Click here", "Follow us", "More on this:", "Read more: Port reopens", "Advertisement", "Print this page",
        "Filed under: World", "© 2019 The Harbour Herald.", "Text. All rights reserved", "Photo: Jane Roe",
        "Share this: Facebook | X", "Watch:", "Skip to content", "We use cookies", "Loading...", "The harbour of",
        "Lisca closed on Tuesday.", " ", "all rights", " reserved", "|", "(c) 2019", "Next story", "Related",
    ]
)  # fmt: skip
LINES = st.one_of(st.text(max_size=80), st.lists(RULE_TEXT, max_size=6).map("".join))


@settings(max_examples=300, deadline=None)
@given(LINES)
def test_rule_prefilter_agrees_with_trying_every_rule(text: str) -> None:
    assert _any_rule(text) == any(pattern.search(text) for _, pattern in _RULES)


def test_alternatives_split_only_at_the_top_level() -> None:
    assert _alternatives(r"^a|b(c|d)|[|x]|\|y|[]|]z") == ["^a", "b(c|d)", "[|x]", r"\|y", "[]|]z"]
    assert _alternatives("plain") == ["plain"]


def test_prefilter_keeps_rule_order_for_names() -> None:
    # "Watch:" matches two teaser rules and no other: the name is the first matching rule's
    assert classify_line("Watch:") == "teaser"
    assert classify_line("Text of a line. All rights reserved") == "footer"  # the one rule not anchored at ^
    assert classify_line("Share this: Facebook | X | Email") == "share"
    assert classify_line("The harbour of Lisca closed on Tuesday after the storm.") is None


def _dedupe_reference(paragraphs: list[str], threshold: float) -> tuple[list[str], list[str]]:
    """Every paragraph against every kept one, as the documentation states it."""
    kept: list[str] = []
    repeats: list[str] = []
    word = re.compile(r"\w+")
    for paragraph in paragraphs:
        tokens = set(word.findall(paragraph.casefold()))
        if any(" ".join(paragraph.split()) == " ".join(k.split()) for k in kept) or (
            tokens and any(token_jaccard(tokens, set(word.findall(k.casefold()))) >= threshold for k in kept)
        ):
            repeats.append(paragraph)
        else:
            kept.append(paragraph)
    return kept, repeats


WORDS = st.sampled_from(
    ["port", "Lisca", "closed", "on", "Tuesday", "the", "harbour", "storm", "Kestria", "é"]
)
PARAGRAPH = st.lists(WORDS, max_size=14).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(PARAGRAPH, max_size=10).flatmap(
        lambda ps: (
            st.lists(st.sampled_from(ps), max_size=6).map(lambda extra: ps + extra) if ps else st.just(ps)
        )
    ),
    st.sampled_from([0.9, 0.75, 0.5, 1.0, 0.0]),
)
def test_paragraph_dedupe_matches_the_all_pairs_reference(paragraphs: list[str], threshold: float) -> None:
    assert dedupe_paragraphs(paragraphs, threshold) == _dedupe_reference(paragraphs, threshold)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_lines_of_normalised_text_only_need_their_spaces_collapsed(text: str) -> None:
    # clean_text relies on this to skip normalising each line a second time
    for line in normalize_text(text).split("\n"):
        assert normalize_line(line.strip()) == " ".join(line.split())


def test_visible_lines_blocks_invisible_elements_comments_and_controls() -> None:
    root = lxml_html.fromstring(
        "<html><body><nav><ul><li>Home</li><li>News</li></ul></nav>"
        "<p>Before <!-- a note --> after the comment</p><script>var x = 1;</script>tail of script"
        "<div>Line\x0cwith a form feed<br>next line</div><style>.x{}</style><p>caf\u0065\u0301</p></body></html>"
    )
    body = root.find("body")
    before = etree.tostring(body)
    lines = visible_lines(body)
    assert lines == [
        "Home",
        "News",
        "Before after the comment",
        "tail of script",
        "Line with a form feed",
        "next line",
        "caf\u00e9",
    ]
    assert etree.tostring(body) == before  # without consume the tree is left alone
    assert visible_lines(body, consume=True) == lines


def test_trafilatura_and_metadata_leave_the_parsed_page_unchanged() -> None:
    # extract_html reads the visible lines from the tree *after* trafilatura ran on it
    for path in PAGES:
        tree = html_module._tree(path.read_text(encoding="utf-8"), str(path))
        before = etree.tostring(tree)
        html_module._bare_extraction(tree, str(path), None)
        assert etree.tostring(tree) == before, path


def test_page_metadata_equals_trafilaturas_extract_metadata() -> None:
    from trafilatura.metadata import extract_metadata

    pages = [p.read_text(encoding="utf-8") for p in PAGES]
    pages.append(page("Port reopens", "<p>The port of Lisca reopened on Monday after the storm.</p>"))
    pages.append(
        "<html><head><title>Port reopens | Harbour Herald</title></head><body><p>Text.</p></body></html>"
    )
    for text in pages:
        tree = html_module._tree(text, "page")
        ours = html_module._page_metadata(tree, "https://veloria.example/a")
        theirs = extract_metadata(tree, "https://veloria.example/a", dict(html_module._DATE_PARAMS))
        for name in ("title", "author", "url", "date", "sitename"):
            assert getattr(ours, name) == getattr(theirs, name), (name, text[:60])
    first = html_module._page_metadata(html_module._tree(pages[0], "page"), None)
    assert first.title and first.date  # the comparison is not between two empty results


def test_extract_html_keeps_text_after_a_comment_in_the_audit() -> None:
    body = "".join(
        f"<p>Paragraph {i} of the report on the Lisca harbour closure, with enough words.</p>"
        for i in range(6)
    )
    result = extract_html(page("Port closes", body + "<aside>Most <!-- x --> popular: Storm</aside>"), "page")
    assert "Most popular: Storm" in result.removed
