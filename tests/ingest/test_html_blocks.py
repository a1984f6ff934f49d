"""The HTML block classifier (claimgraph.ingest.html_blocks), on invented pages."""

from __future__ import annotations

import ast
import json
from importlib import resources
from pathlib import Path

from lxml import html as lxml_html

from claimgraph.ingest import html_blocks
from claimgraph.ingest.html import extract_html
from claimgraph.ingest.html_blocks import FEATURES, block_features, decide, load_model, mark_kept, page_blocks

ARTICLE = [
    "The harbour authority of Lindqvist Bay said on Monday that it would dredge the northern channel "
    "before the autumn storms, after two cargo ships ran aground there in as many weeks.",
    "Pilots told the authority that the sandbank at the channel's mouth had moved about forty metres "
    "since the spring and that larger ships now waited for the high tide to pass it.",
    "The authority's chief engineer, Marit Osterhus, said the work would take six weeks and that the "
    "southern channel would stay open for ferries and fishing boats while it went on.",
    "Shipping companies that use the port welcomed the decision but asked the authority to publish "
    "depth surveys every month, so that their captains could plan their arrivals.",
    "A spokesman for the regional council, Tobias Renvall, said the council would pay a third of the "
    "cost from its transport budget, as it had done for the last dredging ten years ago.",
    "The authority expects the channel to be back to its charted depth by the end of October, its "
    "statement said, weather permitting.",
]
RELATED = [
    "Ferry fares to rise in the new year",
    "Fishing quota talks stall again",
    "New lighthouse keeper appointed",
    "Council votes on harbour car park",
    "Storm damage bill tops estimates",
]


def _page() -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in ARTICLE)
    related = "".join(f'<li><a href="/story/{i}">{t}</a></li>' for i, t in enumerate(RELATED))
    return (
        "<html><head><title>Northern channel to be dredged</title></head><body>"
        '<nav class="main-menu"><ul><li><a href="/">Home</a></li><li><a href="/ports">Ports</a></li>'
        '<li><a href="/weather">Weather</a></li></ul></nav>'
        '<div class="page"><article class="story"><h1>Northern channel to be dredged</h1>'
        f'<div class="story-body">{paragraphs}</div></article>'
        f'<div class="related-stories"><h3>More from the coast</h3><ul>{related}</ul></div></div>'
        '<footer class="site-footer"><p>Contact us</p><p>Privacy</p></footer>'
        "</body></html>"
    )


def test_shipped_model_is_plain_json_matching_the_features() -> None:
    text = resources.files("claimgraph.ingest").joinpath("data/html_blocks.json").read_text(encoding="utf-8")
    data = json.loads(text)
    assert tuple(data["features"]) == FEATURES
    model = load_model()
    assert len(model.add) == len(FEATURES) == len(model.drop)
    assert 0.0 < model.add_threshold <= 1.01 and 0.0 < model.drop_threshold <= 1.01


def test_model_loading_imports_no_pickle() -> None:
    source = Path(html_blocks.__file__).read_text(encoding="utf-8")
    imported: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
    assert not imported & {"pickle", "joblib", "dill", "cloudpickle", "lightgbm", "sklearn"}


def _blocks_as_trafilatura_kept_them() -> tuple[list[html_blocks.Block], list[list[float]]]:
    """The page's blocks with the article and the related-stories list marked as kept (as an
    extractor that took the list for part of the story would have it)."""
    tree = lxml_html.fromstring(_page())
    blocks = page_blocks(tree)
    mark_kept(blocks, "\n".join([*ARTICLE, "More from the coast", *RELATED]))
    return blocks, block_features(blocks)


def test_classifier_drops_a_related_stories_list_and_keeps_the_article() -> None:
    blocks, rows = _blocks_as_trafilatura_kept_them()
    added, dropped = decide(blocks, rows, load_model())
    dropped_texts = {blocks[i].text for i in dropped}
    assert set(RELATED) <= dropped_texts
    assert not dropped_texts & set(ARTICLE)
    assert not {blocks[i].text for i in added} & {"Home", "Ports", "Weather", "Contact us", "Privacy"}


def test_extract_html_keeps_a_caption_free_article_without_its_related_stories() -> None:
    page = extract_html(_page(), "harbour.html", block_model=True)
    text = "\n".join(page.paragraphs)
    for paragraph in ARTICLE:
        assert paragraph in text
    for teaser in RELATED:
        assert teaser not in text
    for furniture in ("Home", "Weather", "Contact us"):
        assert furniture not in page.paragraphs


def test_output_is_deterministic() -> None:
    first = extract_html(_page(), "harbour.html", block_model=True)
    second = extract_html(_page(), "harbour.html", block_model=True)
    assert first.paragraphs == second.paragraphs and first.removed == second.removed
    blocks, rows = _blocks_as_trafilatura_kept_them()
    again, rows_again = _blocks_as_trafilatura_kept_them()
    assert rows == rows_again
    assert decide(blocks, rows, load_model()) == decide(again, rows_again, load_model())


def test_added_blocks_go_after_the_kept_block_before_them_and_dropped_lines_go() -> None:
    tree = lxml_html.fromstring(
        "<html><body><article><p>First paragraph of the story about the ferry timetable.</p>"
        "<figure><figcaption>The new ferry at the quay in Saltholm</figcaption></figure>"
        "<p>Second paragraph of the story about the ferry timetable.</p>"
        '<ul class="related"><li><a href="/x">Another story</a></li></ul></article></body></html>'
    )
    blocks = page_blocks(tree)
    text = "\n".join(
        [
            "First paragraph of the story about the ferry timetable.",
            "Second paragraph of the story about the ferry timetable.",
            "Another story",
        ]
    )
    mark_kept(blocks, text)
    assert [b.kept for b in blocks] == [True, False, True, True]
    result = html_blocks.apply(text, blocks, added=[1], dropped=[3])
    assert result.split("\n") == [
        "First paragraph of the story about the ferry timetable.",
        "The new ferry at the quay in Saltholm",
        "Second paragraph of the story about the ferry timetable.",
    ]


def test_page_blocks_gives_leaf_blocks_in_order_and_the_own_text_of_a_block_holding_blocks() -> None:
    tree = lxml_html.fromstring(
        "<html><body><div class='story'>Dateline: Nordby, Tuesday"
        "<p>The ferry operator <b>Saltvik Lines</b> cut two sailings.</p>"
        "<ul><li><a href='/a'>Timetable</a></li><li>Fares stay the same.</li></ul>"
        "<script>var x = 'not text';</script><div> </div></div></body></html>"
    )
    blocks = page_blocks(tree)
    assert [b.text for b in blocks] == [
        "Dateline: Nordby, Tuesday",
        "The ferry operator Saltvik Lines cut two sailings.",
        "Timetable",
        "Fares stay the same.",
    ]
    link = blocks[2]
    assert link.ancestors is None  # measured only when a feature row needs it
    ancestors = link.measure()
    assert [a.tag for a in ancestors[:3]] == ["ul", "div", "body"]
    assert link.link_chars == len("Timetable")
    assert blocks[3].measure() and blocks[3].link_chars == 0


def test_siblings_link_density_tells_a_list_of_links_from_a_run_of_paragraphs() -> None:
    blocks, rows = _blocks_as_trafilatura_kept_them()
    column = FEATURES.index("siblings_link_density")
    by_text = {b.text: row for b, row in zip(blocks, rows, strict=True) if row is not None}
    assert all(by_text[teaser][column] == 1.0 for teaser in RELATED)
    assert all(by_text[paragraph][column] == 0.0 for paragraph in ARTICLE)
