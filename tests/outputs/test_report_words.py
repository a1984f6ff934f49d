"""Words that explain themselves: reliability F as "not judged", attention defined, syndicated quotes once,
tidy claim texts; and the progress bar's columns."""

from __future__ import annotations

import dataclasses

import pytest

from claimgraph.model import Corpus, Document
from claimgraph.options import Options
from claimgraph.outputs.report import render_report, tidy_claim_text

FROZEN = Options(frozen_time="2024-06-01T00:00:00Z")


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("the harbour was closed", "The harbour was closed"),
        ("the “harbour was closed", "The harbour was closed"),
        ("the harbour was “closed”", "The harbour was “closed”"),
        ("the harbour” was closed", "The harbour was closed"),
        ('the minister said "we will not resign', "The minister said we will not resign"),
        ('"We will not resign," the minister said', '"We will not resign," the minister said'),
        ("«nous partirons» was the reply", "«Nous partirons» was the reply"),
        ("eBay sellers were named", "EBay sellers were named"),
        ("  17 fighters   were moved ", "17 fighters were moved"),
        ("iOS", "IOS"),
    ],
)
def test_tidy_claim_text(raw: str, shown: str) -> None:
    assert tidy_claim_text(raw) == shown


def test_claim_text_is_tidied_in_the_report_only(corpus: Corpus) -> None:
    claim = corpus.claims[0]
    claim.text = "veloria recruits “captured militants"
    html = render_report(corpus, FROZEN)
    assert "alleged: “Veloria recruits captured militants”" in html
    assert claim.text == "veloria recruits “captured militants"  # the data keeps the source's wording


def test_reliability_f_reads_not_judged_in_a_neutral_colour(corpus: Corpus) -> None:
    html = render_report(corpus, FROZEN)
    card = html[html.index('id="claim-recruit"') : html.index('id="claim-raids"')]
    assert '<span class="rel rel-F">not judged</span><span class="grade g4">4</span>' in card
    assert "source reliability not judged (F: no reliability registry entry" in card
    # a registered reliability shows its letter
    raids = html[html.index('id="claim-raids"') :]
    assert '<span class="rel rel-C">C</span><span class="grade g3">3</span>' in raids
    css_rule = ".rel.rel-F { background: #eceef1; color: #5b6470;"
    assert css_rule in html  # grey on grey: neutral, not the red of a failing mark


def test_attention_is_defined_where_claims_are_ranked(corpus: Corpus) -> None:
    html = render_report(corpus, FROZEN)
    section = html[html.index('id="h-claims"') : html.index('<article class="claim"')]
    assert "ranked by attention" in section
    assert '<dfn id="attention">Attention</dfn> is how far a claim travelled' in section
    assert "documents carrying it plus the number of distinct outlets" in section


def test_a_syndicated_copy_quote_is_shown_once(corpus: Corpus) -> None:
    ledger = corpus.document("doc-ledger")
    copy = dataclasses.replace(
        ledger, id="doc-ledger-copy", path="in/copy.html", outlet="Harbour Syndicate", duplicate_of=ledger.id
    )
    corpus.documents.append(copy)
    original = corpus.statement("st-l2")
    repeated = dataclasses.replace(original, id="st-copy-l2", document_id=copy.id)
    corpus.statements.append(repeated)
    claim = next(c for c in corpus.claims if c.id == original.claim_id)
    claim.statement_ids.append(repeated.id)
    html = render_report(corpus, FROZEN)
    card = html[html.index(f'id="{claim.id}"') :]
    card = card[: card.index("</article>")]
    assert 'href="#st-l2"' in card and 'href="#st-copy-l2"' not in card
    assert "also in 1 copy</span>" in card and "Harbour Syndicate" in card


def test_an_unrelated_document_repeating_a_quote_is_not_a_copy(corpus: Corpus) -> None:
    """Only syndicated copies fold together: the same words in an independent article stay two quotes."""
    ledger = corpus.document("doc-ledger")
    other: Document = dataclasses.replace(
        ledger, id="doc-other", path="in/other.html", outlet="Harbour Syndicate"
    )
    corpus.documents.append(other)
    original = corpus.statement("st-l2")
    corpus.statements.append(dataclasses.replace(original, id="st-other-l2", document_id=other.id))
    claim = next(c for c in corpus.claims if c.id == original.claim_id)
    claim.statement_ids.append("st-other-l2")
    html = render_report(corpus, FROZEN)
    card = html[html.index(f'id="{claim.id}"') :]
    card = card[: card.index("</article>")]
    assert "also in" not in card
    assert 'href="#st-l2"' in card and 'href="#st-other-l2"' in card


def test_progress_columns_count_and_spin() -> None:
    from claimgraph.pipeline import _progress_bar

    progress = _progress_bar(True)
    known = progress.add_task("who said what", total=40, unit="docs")
    unknown = progress.add_task("claims", total=None, unit="statements")
    progress.advance(known, 12)
    progress.advance(unknown, 7)
    texts = {
        t.description: [str(col.render(t)) for col in progress.columns if not isinstance(col, str)]  # type: ignore[union-attr]
        for t in progress.tasks
    }
    assert "12/40" in texts["who said what"]
    assert "7 so far" in texts["claims"] and not any("?" in t for t in texts["claims"])
    from rich.progress import SpinnerColumn

    assert isinstance(progress.columns[0], SpinnerColumn)
