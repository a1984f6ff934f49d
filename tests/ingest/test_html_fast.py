"""The HTML path's shortcuts give what the long way gives: the author guard and the byline query."""

from __future__ import annotations

import pytest
from lxml import etree

from claimgraph.ingest import html as html_module

from .helpers import page

BODY = "<p>The port of Lisca reopened on Monday after the storm, the harbour master said.</p>"

# one invented element per alternative of trafilatura's author queries (and of the discarded sections)
AUTHOR_ELEMENTS = [
    "<a rel='author' href='/p/1'>Mara Lind</a>",
    "<span id='author'>Mara Lind</span>",
    "<div class='author'>Mara Lind</div>",
    "<span itemprop='author name'>Mara Lind</span>",
    "<span data-testid='AuthorCard'>Mara Lind</span>",
    "<span data-testid='AuthorURL'>Mara Lind</span>",
    "<p class='post-authorname'>Mara Lind</p>",
    "<p class='post-author-name'>Mara Lind</p>",
    "<p class='AuthorName'>Mara Lind</p>",
    "<p class='x authorName'>Mara Lind</p>",
    "<author>Mara Lind</author>",
    "<div><rel>me</rel>Mara Lind</div>",
    "<div class='byline'>Mara Lind</div>",
    "<div class='username'>Mara Lind</div>",
    "<div class='byl'>Mara Lind</div>",
    "<div class='BBL'>Mara Lind</div>",
    "<h3 itemprop='creator author'>Mara Lind</h3>",
    "<h4 id='zuozhe'>Mara Lind</h4>",
    "<span id='xbianji'>Mara Lind</span>",
    "<span class='xiaobian'>Mara Lind</span>",
    "<span class='channel-name'>Mara Lind</span>",
    "<span class='submitted-by'>Mara Lind</span>",
    "<span class='posted-by'>Mara Lind</span>",
    "<span class='journalist-name'>Mara Lind</span>",
    "<b data-component='PostByline'>Mara Lind</b>",
    "<b id='mainAuthor'>Mara Lind</b>",
    "<b class='Author-box'>Mara Lind</b>",
    "<b class='screenname'>Mara Lind</b>",
    "<b class='writer'>Mara Lind</b>",
    "<b class='Byline'>Mara Lind</b>",
]


def test_the_guard_is_written_for_the_installed_trafilatura() -> None:
    # with another trafilatura the guard steps aside (correct, but the metadata is a third slower)
    assert html_module._author_guard_applies()


@pytest.mark.parametrize("element", AUTHOR_ELEMENTS)
def test_every_element_trafilatura_could_take_an_author_from_passes_the_guard(element: str) -> None:
    from trafilatura.metadata import extract_author
    from trafilatura.xpaths import AUTHOR_XPATHS

    tree = html_module._tree(page("Port reopens", element + BODY), "page")
    assert any(expression(tree) for expression in AUTHOR_XPATHS)  # the example is one trafilatura reads
    assert html_module._may_name_author(tree)
    assert extract_author(tree)  # and the author is found when the guard lets it through


def test_a_page_without_author_markup_skips_trafilaturas_author_search(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import trafilatura.metadata

    calls: list[object] = []
    real = trafilatura.metadata.extract_author
    monkeypatch.setattr(trafilatura.metadata, "extract_author", lambda tree: calls.append(tree) or real(tree))
    plain = html_module._tree(
        page("Port reopens", "<div class='story'><p>By the quay.</p></div>" + BODY), "page"
    )
    assert html_module._page_metadata(plain, None).author is None
    assert calls == []
    bylined = html_module._tree(page("Port reopens", "<div class='author'>Mara Lind</div>" + BODY), "page")
    assert html_module._page_metadata(bylined, None).author == "Mara Lind"
    assert len(calls) == 1


OLD_BYLINE_XPATH = (
    "//*[contains(@class, 'byline') or @rel='author' or @itemprop='author' or contains(@class, 'author-name') or "
    "contains(@class, 'article-author')]"
)


def test_the_byline_query_finds_the_same_elements_in_the_same_order() -> None:
    body = (
        "<div class='article-author'><a rel='author'>Mara Lind</a></div><span itemprop='author'>Piet Saar</span>"
        "<p class='byline author-name' rel='author'>By Ilse Marr</p><p itemprop='author name'>no</p>"
        "<div rel='authors' class='bylines'>Omar Feld</div>" + BODY
    )
    tree = html_module._tree(page("Port reopens", body), "page")
    new = html_module._xpath(html_module._BYLINE_XPATH)(tree)
    assert new == etree.XPath(OLD_BYLINE_XPATH)(tree)
    assert len(new) == 5


def test_visible_lines_never_change_the_tree_and_keep_block_breaks() -> None:
    from lxml import html as lxml_html

    root = lxml_html.fromstring(
        "<html><body><div class='gallery'><ul><li>First slide</li><li>Second <b>slide</b></li></ul></div>"
        "<section>Text before<p>A paragraph\twith a tab</p>text after <SCRIPT>x()</SCRIPT>the script's tail"
        "<noscript>Enable scripts</noscript></section><?pi data?><span>inline</span> run</body></html>"
    )
    body = root.find("body")
    before = etree.tostring(body)
    lines = html_module.visible_lines(body, consume=True)
    assert lines == [
        "First slide",
        "Second slide",
        "Text before",
        "A paragraph with a tab",
        "text after the script's tail",
        "inline run",
    ]
    assert etree.tostring(body) == before  # consume no longer changes anything
    assert html_module.visible_lines(body.find("div")) == ["First slide", "Second slide"]
