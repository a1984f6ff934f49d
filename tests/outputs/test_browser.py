"""The report in a real browser: Debian Chromium driven by Playwright (never a browser download).

Runs on the fixture corpus and on the report of the bundled sample corpus (``claimgraph.analyze``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from claimgraph.model import Corpus
from claimgraph.options import Options
from claimgraph.outputs.report import Index, _ranked, anchor, render_report

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian chromium is missing: apt-get install -y chromium"
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="module")
def sample_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Corpus]:
    from claimgraph import analyze, sample_corpus_path

    out = tmp_path_factory.mktemp("sample")
    result = analyze([str(sample_corpus_path())], out, options=Options(formats=("html",), progress=False))
    assert result.corpus.claims, "the sample corpus produced no claims"
    return out / "report.html", result.corpus


def _ready(page: Any) -> None:
    """Wait until the network has been laid out (fcose) and its labels decluttered."""
    page.wait_for_selector("#net[data-ready=true]", state="attached", timeout=180_000)


def _edge_point(page: Any, edge_id: str) -> tuple[float, float]:
    """The page coordinates of an edge's midpoint (Cytoscape's rendered position + the canvas origin)."""
    point = page.evaluate(
        """(id) => { const cy = window.claimgraphNetwork; const e = cy.getElementById(id);
        cy.center(e); const m = e.renderedMidpoint(); const r = document.getElementById('net').getBoundingClientRect();
        return [r.left + m.x, r.top + m.y]; }""",
        edge_id,
    )
    return float(point[0]), float(point[1])


def _exercise(browser: Any, report: Path, corpus: Corpus, shot: Path) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    failed: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(report.as_uri())
    page.wait_for_load_state("load")
    _ready(page)

    # the network renders, one node per related actor
    actors = {e for r in corpus.relations for e in (r.subject, r.object)}
    assert page.evaluate("window.claimgraphNetwork.nodes().length") == len(actors)
    assert page.locator("#net canvas").first.is_visible()

    # the top claim's provenance is visible, origin named
    index = Index(corpus)
    top = _ranked(corpus)[0]
    origin = page.locator(f"#{anchor('claim', top.id)} svg.chain .box.origin").first
    origin.scroll_into_view_if_needed()
    assert origin.is_visible()
    label = index.source_label(top.origin_source_ids[0])
    assert label[:20] in (origin.text_content() or "")

    # hovering an edge shows its label (hidden otherwise) and its evidence
    rel = sorted(corpus.relations, key=lambda r: r.id)[0]
    edge_id = anchor("edge", rel.id)
    page.locator("#net").scroll_into_view_if_needed()
    label_of = "(id) => window.claimgraphNetwork.getElementById(id).style('label')"
    assert page.evaluate(label_of, edge_id) == ""
    x, y = _edge_point(page, edge_id)
    page.mouse.move(x, y)
    tip = page.locator("#tip")
    tip.wait_for(state="visible", timeout=3000)
    assert page.evaluate(label_of, edge_id) == f"{rel.predicate} · {rel.grade.admiralty}"
    quote = index.sentence(index.statements[rel.statement_ids[0]])
    assert quote[:40] in (tip.text_content() or "")
    assert rel.grade.admiralty in (tip.text_content() or "")
    page.mouse.move(2, 2)
    tip.wait_for(state="hidden", timeout=3000)
    assert page.evaluate(label_of, edge_id) == ""

    # the grade filter hides edges
    total = len(corpus.relations)
    creds = sorted({r.grade.credibility for r in corpus.relations})
    threshold = creds[0] if creds[-1] > creds[0] else max(1, creds[0] - 1)
    page.select_option("#min-cred", str(threshold))
    expected_hidden = sum(1 for r in corpus.relations if r.grade.credibility > threshold)
    assert expected_hidden > 0 or creds == [1]
    hidden = page.evaluate("window.claimgraphNetwork.edges().filter(e => !e.visible()).length")
    assert hidden == expected_hidden
    assert (
        page.locator("#edge-count").text_content() == f"{total - expected_hidden} of {total} relations shown"
    )
    page.select_option("#min-cred", "6")
    assert page.evaluate("window.claimgraphNetwork.edges().filter(e => !e.visible()).length") == 0

    # the type filter hides the actors of a type
    kinds = {index.entities[a].type for a in actors}
    kind = sorted(kinds)[0]
    page.uncheck(f".type-toggle[value='{kind}']")
    shown_kinds = page.evaluate(
        "[...new Set(window.claimgraphNetwork.nodes().filter(n => n.visible()).map(n => n.data('type')))]"
    )
    assert kind not in shown_kinds
    page.check(f".type-toggle[value='{kind}']")

    # search marks the matching actor and shows its label
    target = index.entities[sorted(actors)[0]]
    page.fill("#net-search", target.name[:12])
    page.wait_for_timeout(200)
    matched = page.evaluate("window.claimgraphNetwork.nodes('.match').map(n => n.id())")
    assert target.id in matched
    assert (
        page.evaluate("(id) => window.claimgraphNetwork.getElementById(id).hasClass('nolabel')", target.id)
        is False
    )
    page.fill("#net-search", "")

    # zoom buttons zoom, drag pans, Fit comes back
    before = page.evaluate("window.claimgraphNetwork.zoom()")
    page.click("#zoom-in")
    assert page.evaluate("window.claimgraphNetwork.zoom()") > before
    pan = page.evaluate("window.claimgraphNetwork.pan()")
    box = page.locator("#net").bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + 12, box["y"] + 12)
    page.mouse.down()
    page.mouse.move(box["x"] + 140, box["y"] + 90, steps=6)
    page.mouse.up()
    assert page.evaluate("window.claimgraphNetwork.pan()") != pan
    page.click("#zoom-reset")

    # a quote links to its place in the source text
    link = page.locator("article.claim blockquote a").first
    target_id = (link.get_attribute("href") or "")[1:]
    link.click()
    assert page.locator(f"[id='{target_id}']").count() == 1
    assert page.evaluate("location.hash") == f"#{target_id}"

    # printing opens every folded section
    closed = page.locator("details:not([open])").count()
    assert closed > 0
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert page.locator("details:not([open])").count() == 0
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert page.locator("details:not([open])").count() == closed
    # and so do the print styles, even without the event (folded content is visible only in print)
    folded = (
        "[...document.querySelectorAll('details:not([open])')].map(d => d.lastElementChild.checkVisibility())"
    )
    assert not any(page.evaluate(folded))
    page.emulate_media(media="print")
    assert all(page.evaluate(folded))
    page.emulate_media(media="screen")

    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    assert errors == []
    assert failed == []
    assert all(url.startswith("file://") for url in requests), requests
    page.close()


def test_fixture_report_in_chromium(
    browser: Any, corpus: Corpus, frozen_options: Options, tmp_path: Path
) -> None:
    report = tmp_path / "report.html"
    report.write_text(render_report(corpus, frozen_options), encoding="utf-8")
    _exercise(browser, report, corpus, tmp_path / "fixture-report.png")


def test_sample_report_in_chromium(browser: Any, sample_report: tuple[Path, Corpus], tmp_path: Path) -> None:
    report, corpus = sample_report
    assert corpus.relations, "the sample corpus has no actor relations to draw"
    _exercise(browser, report, corpus, tmp_path / "sample-report.png")


# ---------------------------------------------------------------------------- phones, big networks, screenshots


#: Where screenshots go: $CLAIMGRAPH_SCREENSHOTS (to look at them) or the test's temporary folder.
def _shots(tmp_path: Path) -> Path:
    import os

    folder = Path(os.environ.get("CLAIMGRAPH_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


_LABEL_BOXES = """() => {
  const cy = window.claimgraphNetwork;
  return cy.nodes().filter(n => n.visible() && !n.hasClass('nolabel')).map(n => {
    const b = n.renderedBoundingBox({includeNodes: false, includeEdges: false, includeLabels: true});
    const d = n.renderedBoundingBox({includeNodes: true, includeEdges: false, includeLabels: false});
    return [n.id(), b.x1, b.y1, b.x2, b.y2, d.x1, d.y1, d.x2, d.y2];
  });
}"""


def _overlaps(boxes: list[list[Any]]) -> list[tuple[str, str]]:
    """Pairs of labelled actors whose labels overlap, or whose label is covered by the other's disc."""

    def meet(p: list[float], q: list[float]) -> bool:
        return p[0] < q[2] and q[0] < p[2] and p[1] < q[3] and q[1] < p[3]

    found = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            if meet(a[1:5], b[1:5]) or meet(a[1:5], b[5:9]) or meet(b[1:5], a[5:9]):
                found.append((a[0], b[0]))
    return found


@pytest.mark.parametrize("nodes", [50, 200, 1000])
def test_network_labels_never_overlap(browser: Any, tmp_path: Path, nodes: int) -> None:
    from synthetic import network_corpus

    corpus = network_corpus(nodes)
    report = tmp_path / "report.html"
    report.write_text(render_report(corpus, Options(frozen_time="2024-06-01T00:00:00Z")), encoding="utf-8")
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(report.as_uri(), timeout=180_000)  # generous: the machine may be shared
    _ready(page)
    assert page.evaluate("window.claimgraphNetwork.nodes().length") == nodes
    page.locator("#net").scroll_into_view_if_needed()
    boxes = page.evaluate(_LABEL_BOXES)
    assert _overlaps(boxes) == []
    assert len(boxes) >= min(nodes, 12), len(boxes)  # the declutter hides overlaps, not every label
    # the best-connected actor is always labelled
    hub = max(
        corpus.entities,
        key=lambda e: (sum(1 for r in corpus.relations if e.id in (r.subject, r.object)), e.id),
    )
    assert hub.id in {b[0] for b in boxes}
    page.locator("#network").screenshot(path=str(_shots(tmp_path) / f"network-{nodes}-1400.png"))
    # zooming in shows more labels in the same frame, still without overlap
    shown_before = len(boxes)
    for _ in range(3):
        page.click("#zoom-in")
    page.wait_for_timeout(400)
    zoomed = page.evaluate(_LABEL_BOXES)
    assert _overlaps(zoomed) == []
    frame = page.evaluate(
        "[document.getElementById('net').clientWidth, document.getElementById('net').clientHeight]"
    )
    inside = [b for b in zoomed if b[3] > 0 and b[1] < frame[0] and b[4] > 0 and b[2] < frame[1]]
    assert len(inside) >= min(shown_before, 8)
    page.locator("#network").screenshot(path=str(_shots(tmp_path) / f"network-{nodes}-1400-zoomed.png"))
    assert errors == []
    page.close()


@pytest.mark.parametrize("width", [1400, 420])
def test_report_at_desktop_and_phone_width(
    browser: Any, sample_report: tuple[Path, Corpus], tmp_path: Path, width: int
) -> None:
    """No page-level horizontal scroll (diagrams scroll in their own boxes, long URLs break); screenshots."""
    report, corpus = sample_report
    html = report.read_text(encoding="utf-8")
    long_url = "https://harbour-gazette.example/" + "a-very-long-path-segment-without-breaks" * 8
    first = corpus.documents[0].url or ""
    long_report = tmp_path / "report.html"
    long_report.write_text(
        html.replace(f">{first}</a>", f">{long_url}</a>", 1) if first else html, encoding="utf-8"
    )
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(long_report.as_uri())
    _ready(page)
    scroll = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert scroll[0] <= scroll[1], scroll
    if first:
        assert long_url in (page.text_content("body") or "")
    # provenance diagrams keep their size and scroll inside their own box on a phone
    figure = page.locator("figure.provenance").first
    sizes = figure.evaluate(
        "f => [f.scrollWidth, f.clientWidth, f.querySelector('svg').getBoundingClientRect().width]"
    )
    if width == 420:
        assert sizes[0] > sizes[1] and sizes[2] >= 400, sizes
    # a wrapped provenance label shows its full text on focus (title) and hover
    box = page.locator("svg.chain .box").first
    assert box.get_attribute("tabindex") == "0" and box.get_attribute("aria-label")
    shots = _shots(tmp_path)
    page.screenshot(path=str(shots / f"report-{width}.png"), full_page=True)
    page.locator("#network").scroll_into_view_if_needed()
    page.screenshot(path=str(shots / f"report-{width}-network.png"))
    assert errors == []
    page.close()
