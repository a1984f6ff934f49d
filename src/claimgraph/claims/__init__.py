"""Stage 3, claims: statements grouped into claims across documents, with each statement's stance.

Registers the pipeline stage ``claimgraph.claims.v1``
(reads ``statements``, ``entities``, ``sources``, ``documents``; assigns ``claims``,
``statements[].claim_id``, ``statements[].stance``, ``statements[].stance_confidence``).
"""
