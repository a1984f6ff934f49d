"""Stage 2, who said what: entities, alias resolution, statements, sources and certainty.

Registers the pipeline stage ``claimgraph.attribution.v1``
(reads ``documents``; assigns ``entities``, ``sources``, ``statements``). spaCy is imported only when
the stage runs (see :mod:`claimgraph.attribution.nlp`).
"""

from __future__ import annotations

from .stage import annotate_documents, attribute, attribution_stage

__all__ = ["annotate_documents", "attribute", "attribution_stage"]
