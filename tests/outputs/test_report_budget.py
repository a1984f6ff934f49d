"""The report stays usable on big corpora: a size budget, the top claims in full, the rest pointed to the JSON."""

from __future__ import annotations

import time

from synthetic import large_corpus

from claimgraph.options import Options
from claimgraph.outputs.report import MAX_CLAIM_CARDS, SIZE_BUDGET, _ranked, anchor, render_report


def test_big_corpus_report_keeps_to_its_budget() -> None:
    corpus = large_corpus(documents=3000, claims=3000)
    full_texts = sum(len(d.text) for d in corpus.documents)
    assert full_texts > SIZE_BUDGET  # the texts alone would not fit
    start = time.process_time()
    html = render_report(corpus, Options(frozen_time="2024-06-01T00:00:00Z"))
    cpu = time.process_time() - start
    size = len(html.encode("utf-8"))
    assert size <= SIZE_BUDGET, size
    assert cpu < 120, cpu  # generous: a few seconds on an idle machine
    # the top claims in full: a card each, with their quotes
    ranked = _ranked(corpus)
    assert html.count('<article class="claim"') == MAX_CLAIM_CARDS
    for claim in ranked[:MAX_CLAIM_CARDS]:
        assert f'<article class="claim" id="{anchor("claim", claim.id)}"' in html
    # the rest summarised, with a pointer to the JSON
    assert "further claims, ranked lower, are listed in full in <code>claimgraph.json</code>" in html or (
        f'id="{anchor("claim", ranked[-1].id)}"' in html
    )
    assert "each document shows only its quoted sentences" in html
    # no full document texts: an unquoted paragraph never appears, a quoted sentence does (with its anchor)
    assert "Unquoted background paragraph" not in html
    top_statement = corpus.statements[0]
    assert f'id="{anchor("st", top_statement.id)}"' in html


def test_small_corpus_report_keeps_full_texts(corpus) -> None:  # type: ignore[no-untyped-def]
    html = render_report(corpus, Options(frozen_time="2024-06-01T00:00:00Z"))
    assert "each document shows only its quoted sentences" not in html
    assert corpus.documents[0].text.split("\n")[0][:60].replace('"', "&#34;") in html


def test_the_size_floor_gives_the_page_of_rendering_every_step(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Limits whose verbatim parts (texts, network data, assets) alone pass the budget are skipped without
    rendering the page: the result must be the page the step-by-step halving renders. (A smaller budget for
    this corpus: its first limits' texts alone pass it, then texts and network data, then only pages.)"""
    from claimgraph.outputs import report

    monkeypatch.setattr(report, "SIZE_BUDGET", 1_200_000)
    corpus = large_corpus(documents=3000, claims=3000)
    options = Options(frozen_time="2024-06-01T00:00:00Z")
    rendered: list[object] = []
    real = report._render

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        rendered.append(args[2])  # the limits
        return real(*args, **kwargs)

    monkeypatch.setattr(report, "_render", counting)
    page = render_report(corpus, options)
    with_floor = list(rendered)
    rendered.clear()
    monkeypatch.setattr(report, "_utf8_len", lambda text: 0)  # no floor: every step is rendered
    every_step = render_report(corpus, options)
    assert page == every_step
    assert rendered[0] == report._Limits() and report._Limits() not in with_floor
    assert len(with_floor) < len(rendered), (with_floor, rendered)
    assert with_floor == rendered[-len(with_floor) :]
