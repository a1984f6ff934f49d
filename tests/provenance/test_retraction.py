"""A source that carried a claim and took it back (a correction notice, a fabrication named) is a retraction:
no corroboration, counted with the disputes, named in the explanation (invented actors)."""

from __future__ import annotations

from corpus_builder import CorpusBuilder

from claimgraph.identity import source_groups
from claimgraph.model import Claim, Corpus
from claimgraph.provenance.explain import explain_claim
from claimgraph.provenance.grading import claim_credibility
from claimgraph.provenance.origins import trace_claim

CLAIM = "A gull soiled Mayor Osk Varla's coat during his speech"


def _corpus(retract: bool) -> tuple[Corpus, Claim]:
    b = CorpusBuilder()
    first = b.doc(
        "first", f"{CLAIM}, the Harbour Post reported.", outlet="Harbour Post", published="2024-05-01"
    )
    second = b.doc(
        "second", f"{CLAIM}, the Sarn Courier said.", outlet="Sarn Courier", published="2024-05-02"
    )
    later = b.doc(
        "later",
        "Correction: the video of the gull appears to have been a hoax.",
        outlet="Harbour Post",
        published="2024-05-04",
    )
    post = b.source("Harbour Post", "outlet", docs=[first, later])
    courier = b.source("Sarn Courier", "outlet", docs=[second])
    statements = [
        b.say(first, post, CLAIM, mode="assertion", cue=None, stance="supports"),
        b.say(second, courier, CLAIM, mode="assertion", cue=None, stance="supports"),
    ]
    if retract:
        statements.append(
            b.say(
                later,
                post,
                "Correction: the video of the gull appears to have been a hoax",
                mode="assertion",
                cue=None,
                stance="disputes",
            )
        )
    corpus = b.build()
    claim = Claim(id="claim-g", text=CLAIM, first_seen=None, statement_ids=sorted(s.id for s in statements))
    corpus.claims = [claim]
    return corpus, claim


def test_a_retraction_withdraws_the_origins_support() -> None:
    corpus, claim = _corpus(retract=False)
    prov = trace_claim(corpus, claim, source_groups(corpus))
    assert len(prov.supporting_groups) == 2 and prov.retracting_groups == []
    assert claim_credibility(prov) == 1  # two independent origins, nobody disputes

    corpus, claim = _corpus(retract=True)
    groups = source_groups(corpus)
    prov = trace_claim(corpus, claim, groups)
    post = groups.of(next(s.id for s in corpus.sources if s.label == "Harbour Post"))
    assert prov.retracting_groups == [post]
    assert post not in prov.supporting_groups and len(prov.supporting_groups) == 1
    assert post in prov.origin_groups  # where the claim began, still
    assert prov.disputing_groups == []  # counted once, as a retraction
    assert claim_credibility(prov) == 4  # one origin left, disputed as widely as supported
    text = explain_claim(prov, {s.id: s for s in corpus.sources}, "F", None, claim_credibility(prov))
    assert "Retracted by one named source that had carried it (Harbour Post)." in text
    assert "Rests on one origin (Sarn Courier)" in text


def test_an_origin_reporting_others_calling_it_a_hoax_still_supports() -> None:
    """The origin's later line that others call the story a hoax is no retraction of its own."""
    corpus, claim = _corpus(retract=True)
    relayed = next(s for s in corpus.statements if s.text.startswith("Correction"))
    relayed.text = "The video of the gull has been called a hoax by the mayor's office"
    groups = source_groups(corpus)
    prov = trace_claim(corpus, claim, groups)
    assert prov.retracting_groups == []
    assert "Retracted" not in explain_claim(
        prov, {s.id: s for s in corpus.sources}, "F", None, claim_credibility(prov)
    )
