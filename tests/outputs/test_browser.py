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


def _exercise(browser: Any, report: Path, corpus: Corpus, shot: Path) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    failed: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(report.as_uri())
    page.wait_for_load_state("load")

    # the network renders
    nodes = page.locator("#net .node")
    assert nodes.count() > 0
    assert nodes.first.is_visible()

    # the top claim's provenance is visible, origin named
    index = Index(corpus)
    top = _ranked(corpus)[0]
    origin = page.locator(f"#{anchor('claim', top.id)} svg.chain .box.origin").first
    origin.scroll_into_view_if_needed()
    assert origin.is_visible()
    label = index.source_label(top.origin_source_ids[0])
    assert label[:20] in (origin.text_content() or "")

    # hovering an edge shows its evidence
    edges = page.locator("#net .edge")
    total = edges.count()
    assert total > 0
    first = edges.first
    first.locator(".elabel").scroll_into_view_if_needed()
    first.locator(".elabel").hover()
    tip = page.locator("#tip")
    tip.wait_for(state="visible", timeout=2000)
    edge_id = first.get_attribute("data-edge")
    rel = next(r for r in corpus.relations if anchor("edge", r.id) == edge_id)
    quote = index.sentence(index.statements[rel.statement_ids[0]])
    assert quote[:40] in (tip.text_content() or "")
    assert rel.grade.admiralty in (tip.text_content() or "")
    page.mouse.move(2, 2)
    tip.wait_for(state="hidden", timeout=2000)

    # the grade filter hides edges
    creds = sorted({int(edges.nth(i).get_attribute("data-cred") or 6) for i in range(total)})
    threshold = creds[0] if creds[-1] > creds[0] else max(1, creds[0] - 1)
    page.select_option("#min-cred", str(threshold))
    hidden = page.locator("#net .edge.is-hidden")
    expected_hidden = sum(
        1 for c in (int(edges.nth(i).get_attribute("data-cred") or 6) for i in range(total)) if c > threshold
    )
    assert expected_hidden > 0 or creds == [1]
    assert hidden.count() == expected_hidden
    if expected_hidden:
        assert not hidden.first.is_visible()
    assert (
        page.locator("#edge-count").text_content() == f"{total - expected_hidden} of {total} relations shown"
    )
    page.select_option("#min-cred", "6")
    assert page.locator("#net .edge.is-hidden").count() == 0

    # zoom buttons and wheel change the view box; drag pans it
    svg = page.locator("#net")
    before = svg.get_attribute("viewBox")
    page.click("#zoom-in")
    zoomed = svg.get_attribute("viewBox")
    assert zoomed != before
    box = svg.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + 20, box["y"] + 20)
    page.mouse.down()
    page.mouse.move(box["x"] + 140, box["y"] + 90, steps=5)
    page.mouse.up()
    assert svg.get_attribute("viewBox") != zoomed
    page.click("#zoom-reset")
    assert [float(v) for v in (svg.get_attribute("viewBox") or "").split()] == [
        float(v) for v in (before or "").split()
    ]

    # a quote links to its place in the source text
    link = page.locator("article.claim blockquote a").first
    target = (link.get_attribute("href") or "")[1:]
    link.click()
    assert page.locator(f"[id='{target}']").count() == 1
    assert page.evaluate("location.hash") == f"#{target}"

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
