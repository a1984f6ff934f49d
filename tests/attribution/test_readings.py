"""The parse readings attribution puts on statements for the claims stage (attribution.readings): what a quoted
statement negates, and whether a statement calls a claim unfounded; read from the parse attribution already has,
they agree with the statement parsed alone, which is what the claims stage does without them."""

from __future__ import annotations

from collections.abc import Callable

from claimgraph.claims import attach_rules
from claimgraph.claims.text import content_tokens
from claimgraph.model import Corpus

from .helpers import make_doc, statement


def test_quoted_negations_carry_what_they_negate(run: Callable[..., Corpus]) -> None:
    corpus = run(
        "Fennick Mining dumped tailings into the Harl river, the inspector Ada Vorn said. "
        '"No tailings were ever dumped into the river," a Fennick Mining spokesman said. '
        "The company said none had been released since 2019. "
        'It said the mine "has never had a spill."'
    )
    dumped = statement(corpus, "No tailings were ever dumped")
    released = statement(corpus, "none had been released")
    assert dumped.mode == "direct" and released.mode == "indirect"
    assert dumped.negated_event is not None and released.negated_event is not None
    assert set(content_tokens("tailings dumped")) <= set(content_tokens(" ".join(dumped.negated_event)))
    assert set(content_tokens("released")) <= set(content_tokens(" ".join(released.negated_event)))
    for st in (dumped, released):  # the same reading as the statement parsed alone
        assert attach_rules.statement_negated_event(st) == attach_rules.negated_event(st.text)
    accused = statement(corpus, "Fennick Mining dumped tailings")
    assert accused.negated_event == []  # quoted speech without a negation: read, nothing negated


def test_assertions_carry_no_negated_event_and_every_statement_an_unfounded_reading(
    run: Callable[..., Corpus],
) -> None:
    corpus = run(
        make_doc(
            "The reports of contamination remain unproven. Wells near the Harl river were not tested in May, "
            "the inspector Ada Vorn said.",
            title="Contamination reports remain unproven",
        )
    )
    body = statement(corpus, "The reports of contamination remain unproven")
    title = next(s for s in corpus.statements if s.part == "title")
    assert body.mode == "assertion" and body.negated_event is None
    assert body.calls_unfounded is True and title.calls_unfounded is True
    tested = statement(corpus, "were not tested")
    assert tested.calls_unfounded is False
    for st in corpus.statements:
        assert st.calls_unfounded == attach_rules.calls_claim_unfounded(st.text)
