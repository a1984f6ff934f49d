"""NATO Admiralty grades: reliability A-F from the user's registry, credibility 1-6 computed.

Credibility, with ``S`` = independent origins supporting the claim and ``D`` = independent third-party
origins disputing it (denials by the accused party are reported, not counted: a denial is expected
whatever the truth; a source that supported or first carried the claim and took it back, a *retraction*, is
counted in ``D`` and not in ``S``):

===  =================  ==========================================================================
 1   confirmed          S >= 2, D = 0, and not every supporting statement is hedged
 2   probably true      S >= 2, and either 1 <= D < S or every supporting statement is hedged
 3   possibly true      S = 1, D = 0
 4   doubtful           S >= 1 and S <= D <= 2S (disputed at least as widely as supported)
 5   improbable         D > 2S >= 2 (contradicted by more than twice as many independent origins as
                        support it: a dispute is usually doubt, weaker than an assertion)
 6   cannot be judged   S = 0 (only relays, refusals or disputes)
===  =================  ==========================================================================

``confidence`` is the credibility on STIX's 0-100 scale as ``stix2.confidence.scales``
``admiralty_credibility_to_value`` maps it (1 -> 90, 2 -> 70, 3 -> 50, 4 -> 30, 5 -> 10); 6 has no STIX
value ("not present") and is stored as 0.
"""

from __future__ import annotations

from ..model import Grade
from .origins import ClaimProvenance
from .reliability import LETTERS

__all__ = [
    "CREDIBILITY_LABELS",
    "RELIABILITY_LABELS",
    "STIX_CONFIDENCE",
    "credibility",
    "make_grade",
    "parse_grade",
    "stix_confidence",
]

CREDIBILITY_LABELS = {
    1: "Confirmed by other sources",
    2: "Probably True",
    3: "Possibly True",
    4: "Doubtful",
    5: "Improbable",
    6: "Truth cannot be judged",
}
RELIABILITY_LABELS = {
    "A": "completely reliable",
    "B": "usually reliable",
    "C": "fairly reliable",
    "D": "not usually reliable",
    "E": "unreliable",
    "F": "reliability cannot be judged",
}


def credibility(supporting: int, disputing: int, hedged_support: bool) -> int:
    if supporting == 0:
        return 6
    if disputing > 2 * supporting:
        return 5
    if disputing >= 1 and disputing >= supporting:
        return 4
    if supporting >= 2:
        return 2 if disputing >= 1 or hedged_support else 1
    return 3


#: STIX 0-100 of each Admiralty credibility, as stix2's ``admiralty_credibility_to_value`` gives it (a
#: table, so that grading does not import stix2: 1.3 s in a fresh process; a test compares it with stix2).
STIX_CONFIDENCE = {1: 90, 2: 70, 3: 50, 4: 30, 5: 10, 6: 0}


def stix_confidence(value: int) -> int:
    """STIX 0-100 for an Admiralty credibility 1-6, on stix2's own scale (6 -> 0, "not present")."""
    return STIX_CONFIDENCE[value]


def make_grade(reliability: str, cred: int, explanation: str = "") -> Grade:
    return Grade(
        reliability=reliability,
        credibility=cred,
        admiralty=f"{reliability}{cred}",
        confidence=stix_confidence(cred),
        explanation=explanation,
    )


def parse_grade(text: str) -> tuple[str, int]:
    """``"C3"`` -> ``("C", 3)``; raises ``ValueError`` on anything else."""
    text = text.strip().upper()
    if len(text) != 2 or text[0] not in LETTERS or not text[1].isdigit() or not 1 <= int(text[1]) <= 6:
        raise ValueError(f"not an Admiralty grade (letter A-F + digit 1-6): {text!r}")
    return text[0], int(text[1])


def claim_credibility(prov: ClaimProvenance) -> int:
    disputing = len(prov.disputing_groups) + len(prov.retracting_groups)  # a retraction is a dispute
    return credibility(len(prov.supporting_groups), disputing, prov.hedged_support)
