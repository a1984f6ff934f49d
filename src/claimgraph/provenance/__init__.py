"""Stage 4, provenance: origins, independence, circular reporting, Admiralty grades, actor relations,
network metrics and the timeline.

Registers the pipeline stage ``claimgraph.provenance.v1``
(reads ``claims``, ``statements``, ``sources``, ``documents``, ``entities``; assigns ``claims[]``
provenance fields and ``grade``, ``relations``, ``network``, ``entities[]`` metrics, ``timeline``,
``sourcing``: one sourcing profile per document, see :mod:`.profile`).
networkx, PyYAML and stix2 are imported lazily, inside the functions that need them.
"""

from __future__ import annotations

from . import stage
from .grading import credibility, make_grade, parse_grade
from .profile import sourcing_profiles
from .relations import extract_relations, filter_by_grade, meets_grade
from .reliability import ReliabilityRegistry, load_registry
from .stage import run_provenance

__all__ = [
    "ReliabilityRegistry",
    "credibility",
    "extract_relations",
    "filter_by_grade",
    "load_registry",
    "make_grade",
    "meets_grade",
    "parse_grade",
    "run_provenance",
    "sourcing_profiles",
    "stage",
]
