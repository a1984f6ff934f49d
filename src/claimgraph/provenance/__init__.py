"""Stage 4, provenance: origins, independence, circular reporting, Admiralty grades, actor relations,
network metrics and the timeline.

Registers the pipeline stage ``claimgraph.provenance.v1``
(reads ``claims``, ``statements``, ``sources``, ``documents``, ``entities``; assigns ``claims[]``
provenance fields and ``grade``, ``relations``, ``network``, ``entities[]`` metrics, ``timeline``).
"""
