"""Stage 2, who said what: entities, alias resolution, statements, sources and certainty.

Registers the pipeline stage ``claimgraph.attribution.v1``
(reads ``documents``; assigns ``entities``, ``sources``, ``statements``).
"""
