"""The clustering's context guard: sentences that name no actor take their subject from their documents
(invented wire stories)."""

from __future__ import annotations

from corpus_builder import CorpusBuilder, FakeStanceModel

from claimgraph.claims.stage import build_claims
from claimgraph.model import Corpus
from claimgraph.options import Options

FORMULA = "Terms of the acquisition were not disclosed."


def _deals(second_buyer: str, second_target: str) -> tuple[Corpus, list[str]]:
    """Two wire stories, each a deal and the same formula about its terms (the outlet's own words)."""
    b = CorpusBuilder()
    buyers = ["Halvorsen Marine", second_buyer]
    targets = ["Pennvale Foods", second_target]
    for key, buyer, target in zip(("a", "b"), buyers, targets, strict=True):
        b.entity(buyer)
        if target not in {e.name for e in b.corpus.entities}:
            b.entity(target)
        doc = b.doc(key, f"{buyer} said it acquired {target} for cash. {FORMULA}", outlet=None)
        outlet = b.source(f"outlet-{key}", "outlet", docs=[doc])
        b.say(doc, outlet, FORMULA, mode="assertion", cue=None)
    corpus = b.build()
    build_claims(corpus, Options(), stance_model=FakeStanceModel())
    return corpus, [s.claim_id or "" for s in corpus.statements if s.text == FORMULA]


def test_the_same_formula_after_two_different_deals_is_two_claims() -> None:
    """(Each is then a lone sentence naming no entity: no claim of its own.)"""
    _corpus, claim_ids = _deals("Tolvan Air", "Arvania Steel")
    assert len(claim_ids) == 2
    assert not claim_ids[0] or claim_ids[0] != claim_ids[1]


def test_the_same_formula_in_two_reports_of_one_deal_is_one_claim() -> None:
    """The documents name the same companies: the matcher's decision stands (the pair scores as one
    proposition), so the guard is what kept the other two apart."""
    _corpus, claim_ids = _deals("Halvorsen Marine", "Pennvale Foods")
    assert len(claim_ids) == 2 and claim_ids[0] == claim_ids[1]


def test_rows_of_figures_join_only_with_the_same_figures() -> None:
    """Results tables: rows of different companies' figures are different propositions, however alike their
    few words; the same row relayed is one. (Figures under 10 are no "specific quantities" of the figure guard,
    so without this guard the three rows are one claim.)"""
    b = CorpusBuilder()
    rows = {
        "a": "Shr profit two cts vs loss one ct",
        "b": "Shr profit four cts vs loss three cts",
        "c": "Shr profit two cts vs loss one ct",
    }
    for key, row in rows.items():
        doc = b.doc(key, f"{row}\nNet profit 1.2 mln vs loss 3.4 mln", outlet=None)
        outlet = b.source(f"outlet-{key}", "outlet", docs=[doc])
        b.say(doc, outlet, row, mode="assertion", cue=None)
    corpus = b.build()
    build_claims(corpus, Options(), stance_model=FakeStanceModel())
    claim = {s.document_id: s.claim_id for s in corpus.statements}
    assert claim["doc-a"] and claim["doc-a"] == claim["doc-c"]
    assert claim["doc-b"] != claim["doc-a"]


def test_a_row_of_figures_is_told_from_prose() -> None:
    from claimgraph.claims.stage import _figure_row

    assert _figure_row("Net loss 1,200,000 vs profit 5,400,000") == ("1,200,000", "5,400,000")
    assert _figure_row("Shr profit nine cts vs loss 58 cts") == ("nine", "58")
    assert _figure_row("412 fighters were held in three camps") is None
    assert _figure_row("The death toll rose to 45 from 30") is None


def test_number_words_and_figures_read_as_spacy_reads_them() -> None:
    """The claims stage's figures without spaCy: the same answers as spaCy's English ``like_num``, ordinal
    words aside."""
    from spacy.lang.en import lex_attrs

    from claimgraph.claims.text import NUMBER_WORDS, like_number

    assert set(lex_attrs._num_words) - NUMBER_WORDS == {
        w
        for w in lex_attrs._num_words
        if w.endswith("illion") and w not in ("million", "billion", "trillion")
    }
    for word in [
        "1,200,000",
        "-3.5",
        "5/8",
        "1st",
        "22nd",
        "nine",
        "Twelve",
        "dlrs",
        "1-1/4",
        "5/8/9",
        "cts",
        "4th",
    ]:
        assert like_number(word) == lex_attrs.like_num(word), word
