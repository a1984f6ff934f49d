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
