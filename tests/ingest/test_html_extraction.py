"""What the HTML reader keeps of a page's main text: code blocks and tables as written, galleries out."""

from __future__ import annotations

from typing import Any

import pytest

from claimgraph.ingest import html as html_module
from claimgraph.ingest import html_selector
from claimgraph.ingest.html import extract_html
from claimgraph.ingest.text import clean_text

from .helpers import page

PROSE = (
    "<p>The water board of Dunmore Bay published its quarterly figures on Monday, and the chair said the "
    "new filters had cut the number of boil-water notices by half since the spring.</p>"
    "<p>Engineers at the plant said the second stage of the work would start in the autumn, once the "
    "reservoir levels allowed the old pipes to be taken out of service for several weeks.</p>"
    "<p>Residents who asked about the bills were told that the charges would stay the same until the end "
    "of the financial year, when the regulator is due to publish its review of the tariffs.</p>"
)
CODE = (
    '<pre><code>&lt;!DOCTYPE html&gt;\n&lt;html&gt;\n&lt;head&gt;\n  &lt;meta charset="utf-8"&gt;\n'
    "&lt;/head&gt;\n&lt;/html&gt;\n});\n</code></pre>"
)
TABLE = (
    "<table><tr><th>Quarter</th><th>Notices</th><th>Change</th></tr>"
    "<tr><td>Q1</td><td>14</td><td>-12%</td></tr><tr><td>Q2</td><td>7</td><td>-50%</td></tr></table>"
)


def test_code_blocks_and_table_rows_are_kept_as_written() -> None:
    html = page("Water board figures", PROSE + CODE + "<p>The next report is due in June.</p>" + TABLE)
    result = extract_html(html, "page.html")
    text = "\n".join(result.paragraphs)
    assert '<meta charset="utf-8">' in text
    assert "});" in text
    assert "Q2 | 7 | -50%" in result.paragraphs
    assert "Quarter | Notices | Change" in result.paragraphs
    assert "The next report is due in June." in result.paragraphs
    # the same lines in plain text are taken for markup and symbols: that is what the HTML reader avoids
    plain = clean_text('<meta charset="utf-8">\n});\n| Q2 | 7 | -50% |\nThe next report is due in June.')
    assert plain.paragraphs == ["The next report is due in June."]


def test_prose_around_a_code_block_is_still_cleaned() -> None:
    html = page("Water board figures", PROSE + CODE + "<p>Sign up for our newsletter</p>" + PROSE)
    result = extract_html(html, "page.html")
    assert result.title == "Water board figures"
    assert "Sign up for our newsletter" not in result.paragraphs
    assert sum("Dunmore Bay" in p for p in result.paragraphs) >= 1


def _gallery(items: int, *, h1: bool = False) -> str:
    slides = "".join(
        f"<li><h2>{k}/{items} Ferry operator cuts routes</h2><p>Caption {k}: the ferry operator on the "
        f"northern coast said it would cut {k} winter sailings after fuel costs rose again this year.</p></li>"
        for k in range(1, items + 1)
    )
    heading = "<h1>Winter on the coast</h1>" if h1 else "<h2>Business in pictures</h2>"
    return f"<div class='container mod-gallery'>{heading}<ul class='legends'>{slides}</ul></div>"


def test_a_picture_gallery_beside_the_story_is_left_out_and_audited(monkeypatch: pytest.MonkeyPatch) -> None:
    html = page("Water board figures", PROSE).replace("</article>", "</article>" + _gallery(40))
    result = extract_html(html, "page.html")
    assert not any("ferry operator" in p for p in result.paragraphs)
    assert any("Dunmore Bay" in p for p in result.paragraphs)
    assert any("ferry operator" in line for line in result.removed)
    # the test can fail: without the gallery rule trafilatura keeps the captions as the main text
    monkeypatch.setattr(html_module, "GALLERY_MIN_ITEMS", 10_000)
    kept = extract_html(html, "page.html")
    assert any("ferry operator" in p for p in kept.paragraphs)


def test_small_galleries_and_photo_stories_stay() -> None:
    assert html_module.GALLERY_MIN_ITEMS > 3
    few = page("Water board figures", PROSE + _gallery(3))
    assert any("ferry operator" in p for p in extract_html(few, "page.html").paragraphs)
    story = (
        "<html><head><title>Winter on the coast</title></head><body>"
        + _gallery(12, h1=True)
        + "</body></html>"
    )
    assert any("ferry operator" in p for p in extract_html(story, "page.html").paragraphs)


def test_text_after_a_dropped_gallery_stays() -> None:
    from lxml import html as lxml_html

    tree = lxml_html.fromstring(
        "<html><body><p>"
        + "Intro sentence of the story. " * 30
        + "</p><div>"
        + _gallery(12)
        + "tail words</div>"
        "</body></html>"
    )
    lines = html_module._drop_galleries(tree)
    assert any("ferry operator" in line for line in lines)
    assert "tail words" in tree.text_content()
    assert "ferry operator" not in tree.text_content()


GUESTBOOK = "".join(
    f"<li><p>{text}</p><p>{who}</p></li>"
    for text, who in [
        ("Dear Okafor family, we were so sorry to hear the news from Larkfield. Tomas was the kindest "
         "neighbour anyone could ask for, and the street will not be the same without him.", "Rena Vasquez"),
        ("I coached Tomas in the junior league for three seasons and never once heard him complain about "
         "the rain, the early starts or the long drives to away games.", "Gil Brandt"),
        ("The garden he planted behind the library is still blooming every spring, and the children who "
         "helped him plant it still talk about the afternoons they spent there.", "Priya Natarajan"),
        ("We worked together at the hardware store for eleven years. He knew where every hinge was kept, "
         "and he knew the name of every customer who came in through the door.", "Dana Holloway"),
    ]
)  # fmt: skip
MEMORIAL = page(
    "In memory of Tomas Okafor",
    "<p>We lost Tomas after a long illness this winter. He was a patient teacher and a generous neighbour, "
    f"and he will be missed by everyone who knew him.</p><ul>{GUESTBOOK}</ul>",
)


class _Doc:
    def __init__(self, text: str) -> None:
        self.text = text
        self.body = None


def _page(html: str) -> object:
    """The page's tree as ``extract_html`` hands it to the second opinion (galleries removed)."""
    tree = html_module._tree(html, "page.html")
    html_module._drop_galleries(tree)
    return tree


def _visible(html: str) -> list[str]:
    import trafilatura

    tree = trafilatura.load_html(html)
    return html_module.visible_lines(tree.find("body"))


def _selector(gate: bool, choose: bool) -> html_selector.Selector:
    """A selector whose gate and choice always say ``gate`` and ``choose``."""

    def constant(n: int, yes: bool) -> html_selector.Logistic:
        return html_selector.Logistic((0.0,) * n, (1.0,) * n, (0.0,) * n, 10.0 if yes else -10.0, 0.5)

    pages, pairs = len(html_selector.PAGE_FEATURES), len(html_selector.PAIR_FEATURES)
    return html_selector.Selector(constant(pages, gate), constant(pages + pairs, choose))


def test_the_gate_saves_the_second_extraction(monkeypatch: pytest.MonkeyPatch) -> None:
    import trafilatura

    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("extracted again")

    monkeypatch.setattr(trafilatura, "bare_extraction", fail)
    text = "In memory of Tomas"
    doc = html_module._second_opinion(
        _page(MEMORIAL), None, _Doc(text), _visible(MEMORIAL), _selector(False, True)
    )
    assert doc.text == text


def test_the_choice_keeps_one_of_the_two_texts() -> None:
    visible = _visible(MEMORIAL)
    kept = html_module._second_opinion(
        _page(MEMORIAL), None, _Doc("In memory of Tomas"), visible, _selector(True, False)
    )
    assert kept.text == "In memory of Tomas"
    swapped = html_module._second_opinion(
        _page(MEMORIAL), None, _Doc("In memory of Tomas"), visible, _selector(True, True)
    )
    assert "hardware store for eleven years" in swapped.text
    assert "junior league" in swapped.text


def test_the_shipped_selector_replaces_a_text_far_shorter_than_the_page() -> None:
    # recall mode settled on one line of a page whose main text is many paragraphs
    doc = html_module._second_opinion(_page(MEMORIAL), None, _Doc("In memory of Tomas"), _visible(MEMORIAL))
    assert "hardware store for eleven years" in doc.text


def test_the_shipped_selector_does_not_extract_a_page_again_whose_text_covers_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import trafilatura

    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("extracted again")

    monkeypatch.setattr(trafilatura, "bare_extraction", fail)
    visible = _visible(MEMORIAL)
    text = "\n".join(visible[len(visible) // 3 :])
    assert html_module._second_opinion(_page(MEMORIAL), None, _Doc(text), visible).text == text


def test_the_second_extraction_reads_the_parsed_tree_which_stays_as_it_was(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The balanced re-extraction and the short-text fallback extract from the tree already parsed
    (trafilatura copies it) and do not change it; the whole path parses the page once and reads its
    metadata once, also when the fallback extracts it again."""
    import trafilatura
    from lxml import etree

    tree = _page(MEMORIAL)
    before = etree.tostring(tree)
    swapped = html_module._second_opinion(
        tree, None, _Doc("In memory of Tomas"), _visible(MEMORIAL), _selector(True, True)
    )
    assert "hardware store for eleven years" in swapped.text
    assert etree.tostring(tree) == before
    counts = {"parse": 0, "metadata": 0, "extract": 0}

    def counting(name: str, real: Any) -> Any:
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            counts[name] += 1
            return real(*args, **kwargs)

        return wrapped

    monkeypatch.setattr(html_module, "_tree", counting("parse", html_module._tree))
    monkeypatch.setattr(html_module, "_page_metadata", counting("metadata", html_module._page_metadata))
    monkeypatch.setattr(trafilatura, "bare_extraction", counting("extract", trafilatura.bare_extraction))
    monkeypatch.setattr(html_module, "_FALLBACK_MIN_CHARS", 10**9)  # recall mode "finds too little"
    result = html_module.extract_html(MEMORIAL, "page.html")
    assert counts["parse"] == 1 and counts["metadata"] == 1 and counts["extract"] >= 2, counts
    assert "hardware store for eleven years" in "\n".join(result.paragraphs)


def test_selector_features_follow_their_names() -> None:
    text = "The first sentence of the story about the port.\nMenu\nThe second sentence of the story about the port."
    visible = ["Menu", "Home", *text.split("\n")]
    page = dict(zip(html_selector.PAGE_FEATURES, html_selector.page_features(text, visible), strict=True))
    assert page["text_share_of_visible"] == pytest.approx(len(text) / sum(len(v) + 1 for v in visible))
    assert page["short_text_lines"] == pytest.approx(1 / 3)
    assert page["text_lines_ending_sentences"] == pytest.approx(2 / 3)
    other = "The first sentence of the story about the port."
    pair = dict(
        zip(html_selector.PAIR_FEATURES, html_selector.pair_features(text, other, visible), strict=True)
    )
    assert pair["other_lines_in_text"] == 1.0
    assert pair["text_lines_in_other"] == pytest.approx(1 / 3)
    assert pair["log_length_ratio"] < 0
