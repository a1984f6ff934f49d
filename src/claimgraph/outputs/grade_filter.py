"""The one ``--min-grade`` step every exporter shares: relations below the grade are left out of all formats.

``options.min_grade`` (e.g. ``C3``: reliability A-C and credibility 1-3) keeps the actor relations graded at
or above it. The corpus handed to the exporters then carries only those relations, and its network summary
(``corpus.network``: nodes, edges, communities, ``relations_total``/``relations_kept``) is computed over them,
so JSON, STIX, GraphML, ``relations.csv`` and the report agree, on ``analyze`` and on ``export`` alike.
Entities, statements and claims are never filtered: a grade belongs to a relation.
"""

from __future__ import annotations

import dataclasses

from ..model import Corpus
from ..options import Options

__all__ = ["apply_min_grade"]


def apply_min_grade(corpus: Corpus, options: Options) -> Corpus:
    """``corpus`` with only the relations at or above ``options.min_grade`` (the same corpus when unset)."""
    if not options.min_grade:
        return corpus
    from ..provenance.network import compute_network
    from ..provenance.relations import filter_by_grade

    kept = filter_by_grade(corpus.relations, options.min_grade)
    if len(kept) == len(corpus.relations) and corpus.network.get("min_grade") == options.min_grade:
        return corpus  # already filtered (the pipeline writes one format at a time)
    network = compute_network(corpus, corpus.relations, options.min_grade)
    return dataclasses.replace(corpus, relations=kept, network=network)
