"""Stage 3, claims: statements grouped into claims across documents, with each statement's stance.

Registers the pipeline stage ``claimgraph.claims.v1``
(reads ``statements``, ``entities``, ``sources``, ``documents``; assigns ``claims``,
``statements[].claim_id``, ``statements[].stance``, ``statements[].stance_confidence``) and the claim
matchers ``claimgraph.minilm_matcher.v1`` (default: int8 ONNX MiniLM embeddings mixed with TF-IDF),
``claimgraph.tfidf_matcher.v1`` (lexical only) and ``claimgraph.embedding_matcher.v1`` (the
``[embeddings]`` extra). Heavy libraries (scikit-learn, scipy, onnxruntime, sentence-transformers) load
lazily.
"""

from __future__ import annotations

from . import embeddings, stage, tfidf
from .matching import ClaimMatcher, MatchItem, cluster
from .stage import build_claims

__all__ = ["ClaimMatcher", "MatchItem", "build_claims", "cluster", "embeddings", "stage", "tfidf"]
