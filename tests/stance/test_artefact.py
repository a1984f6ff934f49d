"""The shipped artefact: safe formats only (no pickle), small, consistent with meta.json."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

from claimgraph.stance.features import feature_names, read_npz, write_npz
from claimgraph.stance.model import ARTEFACT_FILES, DEFAULT_MODEL_DIR, StanceModel, load_model

PICKLE_MARKERS = (b"\x80\x02", b"\x80\x03", b"\x80\x04\x95", b"\x80\x05\x95", b"cnumpy", b"c__builtin__")


def test_artefact_files_and_size_cap() -> None:
    names = sorted(p.name for p in DEFAULT_MODEL_DIR.iterdir() if p.is_file())
    assert names == sorted(ARTEFACT_FILES)
    total = sum((DEFAULT_MODEL_DIR / n).stat().st_size for n in names)
    assert 100_000 < total <= 10 * 1024 * 1024


def test_no_pickle_anywhere() -> None:
    for name in ("lightgbm.txt", "meta.json", "vocab.json"):
        raw = (DEFAULT_MODEL_DIR / name).read_bytes()
        raw.decode("utf-8")  # text files: pickle opcodes (\x80 ...) are not valid UTF-8 starts
        assert not raw.startswith(b"\x80")
    with zipfile.ZipFile(DEFAULT_MODEL_DIR / "features.npz") as zf:
        for member in zf.namelist():
            payload = zf.read(member)
            assert payload.startswith(b"\x93NUMPY"), member
            header = payload[:256]
            assert b"'descr': '|O'" not in header and b"'descr': 'O'" not in header, member
            assert not any(marker in payload[:512] for marker in PICKLE_MARKERS), member
    arrays = read_npz(DEFAULT_MODEL_DIR / "features.npz")  # allow_pickle=False inside
    assert all(a.dtype != object for a in arrays.values())


def test_meta_matches_files_and_model() -> None:
    meta = json.loads((DEFAULT_MODEL_DIR / "meta.json").read_text(encoding="utf-8"))
    assert meta["name"] == "claimgraph.fnc1_lightgbm.v1"
    assert meta["labels"] == ["supports", "disputes", "discusses", "unrelated"]
    for name, digest in meta["sha256"].items():
        assert hashlib.sha256((DEFAULT_MODEL_DIR / name).read_bytes()).hexdigest() == digest
    model = load_model()
    assert model.booster.num_feature() == len(feature_names()) == len(meta["features"])
    assert model.booster.num_model_per_iteration() == 4
    assert meta["held_out"]["relative_score"] > 82.02


def test_tampered_artefact_is_rejected(tmp_path: Path) -> None:
    for name in ARTEFACT_FILES:
        (tmp_path / name).write_bytes((DEFAULT_MODEL_DIR / name).read_bytes())
    vocab = tmp_path / "vocab.json"
    vocab.write_bytes(vocab.read_bytes().replace(b'"', b"'", 1))
    with pytest.raises(Exception, match=r"E103.*SHA-256"):
        StanceModel.from_dir(tmp_path)


def test_npz_writer_is_deterministic(tmp_path: Path) -> None:
    arrays = {"b": np.arange(5, dtype=np.int32), "a": np.linspace(0, 1, 7, dtype=np.float32)}
    write_npz(tmp_path / "one.npz", arrays)
    write_npz(tmp_path / "two.npz", dict(reversed(arrays.items())))
    assert (tmp_path / "one.npz").read_bytes() == (tmp_path / "two.npz").read_bytes()
    back = read_npz(tmp_path / "one.npz")
    np.testing.assert_array_equal(back["a"], arrays["a"])
    np.testing.assert_array_equal(back["b"], arrays["b"])
