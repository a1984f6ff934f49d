"""Independence and circularity: how many distinct origins support a claim, and whether it is circular."""

from __future__ import annotations

from collections.abc import Sequence

from ..model import Claim, Statement
from .origins import ClaimProvenance

__all__ = ["apply_counts", "is_circular"]


def is_circular(prov: ClaimProvenance) -> bool:
    """Several documents or outlets carry the claim, yet it rests on at most one origin."""
    spread = len(prov.carrying_documents) >= 2 or len(prov.carrying_outlets) >= 2
    return spread and len(prov.supporting_groups) <= 1


def apply_counts(claim: Claim, statements: Sequence[Statement], prov: ClaimProvenance) -> None:
    """Fill the claim's provenance fields and statement counts (``statements``: the claim's)."""
    stances = [s.stance for s in statements]
    claim.chains = prov.chains
    claim.origin_source_ids = list(prov.origin_ids)
    claim.origin_first_seen = dict(prov.origin_first_seen)
    claim.independent_sources = len(prov.supporting_groups)
    claim.supporting = stances.count("supports")
    claim.reporting = stances.count("reports")
    claim.disputing = stances.count("disputes")
    claim.denying = stances.count("denies")
    claim.declining = stances.count("declines")
    claim.circular = is_circular(prov)
    claim.attention = float(len(prov.carrying_documents) + len(prov.carrying_outlets))
