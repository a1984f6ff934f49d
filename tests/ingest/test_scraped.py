"""Text saved from web pages: share rows, icon-font rows, teasers, quiz prompts, page furniture (invented texts)."""

from __future__ import annotations

from claimgraph.ingest.boilerplate import classify_line
from claimgraph.ingest.text import clean_text

PROSE = [
    "The port authority of Talsen said on Monday that harbour fees would rise by a tenth next spring.",
    "Fishing crews said the harbour increase would cost them dearly, according to a union statement.",
    "A union spokesman, Orrin Vale, said crews had not been consulted about the new harbour fee.",
    "The authority's chair, Mirela Dask, said the money would pay for dredging the inner harbour basin.",
]


def test_share_and_print_rows_are_removed() -> None:
    for row in ["Print / Save as PDF / Email this", "Share | Tweet | Email", "Save as PDF Print Email"]:
        assert classify_line(row) == "share", row


def test_icon_font_rows_are_removed() -> None:
    row = "Share Tweet Email Menu Close Chevron Left Chevron Right Search"
    assert classify_line(row) == "share"
    assert classify_line("Open the door and close it on the left") is None


def test_quiz_prompts_are_teasers() -> None:
    assert classify_line("Think you know your capitals? Take our quiz") == "teaser"
    assert classify_line("Quiz: How well do you know the tides?") == "teaser"
    assert classify_line("Take the weekly news quiz") == "teaser"


def test_teaser_headline_between_paragraphs_is_removed_but_subheadings_stay() -> None:
    text = "\n\n".join(
        [
            PROSE[0],
            "These cities have the worst traffic",
            PROSE[1],
            "What the harbour fee means for crews",
            *PROSE[2:],
        ]
    )
    cleaned = clean_text(text)
    assert "These cities have the worst traffic" in cleaned.removed
    assert "What the harbour fee means for crews" in cleaned.paragraphs
    assert all(p in cleaned.paragraphs for p in PROSE)


def test_saved_page_keeps_the_article_run_and_drops_the_furniture() -> None:
    menu = [
        "Home",
        "World",
        "Harbours",
        "Weather",
        "Login",
        "Register",
        "Subscribe now",
        "Big Ports",
        "Local Trade",
    ]
    footer = ["Around The Web", "Ten Gadgets Sailors Love", "Undo", "Odd Fish Found Off Coast", "Undo",
              "Contact us", "Careers", "About the Talsen Courier"]  # fmt: skip
    text = "\n".join([*menu, "Harbour fees to rise next spring", *PROSE, *footer]) + "\n"
    cleaned = clean_text(text, main_region=True)
    assert cleaned.title == "Harbour fees to rise next spring"
    assert cleaned.paragraphs == PROSE
    for line in ["Big Ports", "Local Trade", "Ten Gadgets Sailors Love", "About the Talsen Courier"]:
        assert line in cleaned.removed
    # without the option (an article's own text) those lines stay
    assert "Ten Gadgets Sailors Love" in clean_text(text).paragraphs


def test_clean_article_text_is_not_trimmed() -> None:
    text = "\n\n".join(["Harbour fees to rise", "Fees rise.", *PROSE, "Talks resume on Friday."]) + "\n"
    cleaned = clean_text(text, main_region=True)
    assert cleaned.paragraphs == ["Fees rise.", *PROSE, "Talks resume on Friday."]


def test_lines_in_scripts_without_spaces_are_not_taken_for_short_labels() -> None:
    """A CJK line of two space-separated runs is a long sentence, not a two-word kicker above the headline."""
    lines = [
        "今天上午河谷镇议会在例会上讨论了新的水费方案 许多居民对此表示关注",
        "议会主席说新方案将在明年春天开始实施 届时每户每月的费用会有所增加",
        "一位居民在会后表示 她希望议会能够公开更多的预算细节",
        "议会将在下个月的例会上再次讨论这个方案，并听取更多居民的意见。",
    ]
    # the page's title (from its metadata) is not repeated in the extracted text
    cleaned = clean_text("\n".join(lines) + "\n", title="河谷镇议会讨论新水费")
    assert cleaned.paragraphs == lines
    assert cleaned.removed == []


def test_lines_far_above_the_article_run_are_left_to_the_classifier() -> None:
    """Only the headline search is bounded to the lines right above the article's run: a paragraph
    further up (an article broken by a table of figures) is not removed for its place alone."""
    from claimgraph.ingest.text import Cleaned, _main_region, _prepare, _region_header

    early = (
        "Harbour traffic in Talsen grew by a fifth last year, the port authority said in its annual review."
    )
    table = [f"Berth {n}" for n in range(1, 13)]
    text = "\n".join([early, *table, "Harbour fees to rise next spring", *PROSE]) + "\n"
    lines = _prepare(text, False)
    region = _main_region(lines)
    assert region is not None and region[0] > 12
    out = Cleaned()
    assert _region_header(lines, region, out)
    assert out.title == "Harbour fees to rise next spring"
    assert next(line for line in lines if line.text == early).kind == "content"


def test_one_sentence_paragraph_right_above_the_article_run_stays() -> None:
    """A whole short sentence between the page's header furniture and the first long paragraph is the
    article's first paragraph (or standfirst), not furniture; a menu entry in the same place is not kept."""
    header = ["Home | Harbours | Trade | Contact", "Harbour fees to rise next spring", "By Orla Menz", "Jan. 8, 2026",
              "Harbour fees to rise next spring", "Tweet  Share  Email  Print", '<div class="ad-slot" id="ad-top"></div>']  # fmt: skip
    footer = ["Take our poll!", "See the gallery", "Show comments", "Sign up for our newsletter",
              "Topics: Talsen, harbours", "© 2026 The Talsen Courier"]  # fmt: skip

    def page(first: str) -> str:
        return "\n".join(header) + f"\n\n{first}\n\n" + "\n\n".join(PROSE) + "\n\n" + "\n".join(footer) + "\n"

    lede = "Talks resume on Friday."
    assert clean_text(page(lede), main_region=True).paragraphs == [lede, *PROSE]
    assert clean_text(page("Local Trade"), main_region=True).paragraphs == PROSE
