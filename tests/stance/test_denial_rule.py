"""The explicit-denial rule of the stance model (stance.text.explicit_denial), on invented phrasings."""

from __future__ import annotations

import pytest

from claimgraph.stance import LABELS, load_model
from claimgraph.stance.text import STATEMENT_SENTENCES, explicit_denial

CLAIMS = {
    "guards": "Tarvonian army recruits convicted smugglers as border guards",
    "port": "Ostreva port authority sold grain export licences to a shell company",
}

DENIES = [
    (
        "guards",
        "The Tarvonian defence ministry denied that its army recruits convicted smugglers as border guards.",
    ),
    (
        "guards",
        "Officials dismissed reports that the Tarvonian army recruits convicted smugglers as border guards.",
    ),
    ("guards", "The Tarvonian army has denied recruiting convicted smugglers as border guards."),
    (
        "guards",
        "Auditors found no evidence that convicted smugglers were recruited by the Tarvonian army as border guards.",
    ),
    (
        "guards",
        "The interior minister flatly denied the accusation that the army recruits smugglers convicted in court "
        "as border guards.",
    ),
    (
        "port",
        "A newspaper said the Ostreva port authority sold grain export licences to a shell company. The authority "
        "rejected the story on Friday.",
    ),
    ("port", "There is no evidence the port authority sold export licences for grain to any shell company."),
    (
        "port",
        "The harbour master rejected claims that the port authority sold grain licences to a shell company.",
    ),
]

DOES_NOT_DENY = [
    # negated or refused denial
    (
        "guards",
        "The ministry did not deny that the Tarvonian army recruits convicted smugglers as border guards.",
    ),
    (
        "guards",
        "The spokesman declined to deny the report that the army recruits convicted smugglers as guards.",
    ),
    ("port", "The port authority has never denied that it sold grain export licences to a shell company."),
    # a denial verb whose object is not the claim
    (
        "guards",
        "A smuggler recruited by the army was denied bail after a court in Tarvonia convicted him; border guards "
        "testified.",
    ),
    ("guards", "Convicted smugglers were denied entry at the border, Tarvonian army border guards said."),
    # a denial of "the report" with no restatement of the claim in the text: which report is unknown
    ("guards", "The ministry denied the report."),
    # confirmation and plain restatement
    ("guards", "The Tarvonian army recruits convicted smugglers as border guards, the ministry confirmed."),
    ("port", "The port authority sold grain export licences to a shell company, auditors found."),
]

LONG_ARTICLE = " ".join(
    [
        "The Tarvonian defence ministry denied that its army recruits convicted smugglers as border guards.",
        *[f"Paragraph {i} of the article describes the border region and its history." for i in range(1, 8)],
    ]
)


@pytest.mark.parametrize(("claim", "text"), DENIES)
def test_explicit_denials_are_found(claim: str, text: str) -> None:
    assert explicit_denial(CLAIMS[claim], text)


@pytest.mark.parametrize(("claim", "text"), DOES_NOT_DENY)
def test_non_denials_are_not(claim: str, text: str) -> None:
    assert not explicit_denial(CLAIMS[claim], text)


def test_the_rule_reads_statements_not_articles() -> None:
    """FNC-1 labels a long article that reports a denial ``discuss``: only short texts are read by the rule."""
    assert len(LONG_ARTICLE.split(". ")) > STATEMENT_SENTENCES
    assert not explicit_denial(CLAIMS["guards"], LONG_ARTICLE)


@pytest.mark.parametrize(("claim", "text"), DENIES)
def test_the_model_reads_explicit_denials_as_disputes(claim: str, text: str) -> None:
    model = load_model()
    ((label, _),) = model.predict([(CLAIMS[claim], text)])
    assert label == "disputes"


@pytest.mark.parametrize(("claim", "text"), DOES_NOT_DENY[-2:])
def test_the_override_leaves_confirmations_alone(claim: str, text: str) -> None:
    proba = load_model().predict_proba([(CLAIMS[claim], text)])[0]
    assert proba[LABELS.index("disputes")] < proba[LABELS.index("supports")]
