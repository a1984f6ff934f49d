"""The Python API of claimgraph.stance, on invented sentences (no FNC-1 data needed)."""

from __future__ import annotations

import numpy as np
import pytest

import claimgraph.stance as stance
from claimgraph.errors import ModelError
from claimgraph.registry import registry
from claimgraph.stance import LABELS, load_model

CLAIM = "Ostreva army recruits captured militants from Dorvania prisons"
UNRELATED = (
    "The annual flower festival in the town of Marrowby drew record crowds on Sunday. Organisers said tulips "
    "and daffodils were the main attraction, and local bakeries sold out of pastries by noon."
)
DENIAL = (
    "A consultant alleged this week that the Ostreva army recruits captured militants from Dorvania prisons. "
    "But the Ostreva defence ministry denied the claim as a hoax, saying there is no evidence that any captured "
    "militants were recruited. Officials called the report false and fabricated."
)
CONFIRM = (
    "The Ostreva army recruits captured militants from Dorvania prisons, the defence ministry confirmed on Monday. "
    "Officials said the captured militants were offered places in the army in exchange for reduced sentences."
)
PAIRS = [(CLAIM, UNRELATED), (CLAIM, DENIAL), (CLAIM, CONFIRM)]


def test_public_names() -> None:
    assert stance.__all__ == ["LABELS", "MODEL_NAME", "StanceModel", "classify_csv", "load_model"]
    assert LABELS == ("supports", "disputes", "discusses", "unrelated")
    assert stance.StanceModel is type(load_model())


def test_load_model_is_cached_and_registered() -> None:
    model = load_model()
    assert load_model() is model
    factory = registry.stance_models.get("claimgraph.fnc1_lightgbm.v1")
    assert factory() is model
    assert "claimgraph.fnc1_lightgbm.v1" in registry.stance_models


def test_predict_shapes_and_labels() -> None:
    model = load_model()
    proba = model.predict_proba(PAIRS)
    assert proba.shape == (3, 4)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-6)
    result = model.predict(PAIRS)
    assert len(result) == 3
    for (label, confidence), row in zip(result, proba, strict=True):
        assert label in LABELS
        assert confidence == pytest.approx(float(row.max()))
        assert LABELS[int(row.argmax())] == label
    assert model.predict([]) == []
    assert model.predict_proba([]).shape == (0, 4)


def test_deterministic_and_batch_independent() -> None:
    model = load_model()
    first = model.predict_proba(PAIRS)
    np.testing.assert_array_equal(first, model.predict_proba(PAIRS))
    # each pair alone gives the same probabilities as in a batch (body-side caching is per body)
    for i, pair in enumerate(PAIRS):
        np.testing.assert_allclose(model.predict_proba([pair])[0], first[i], rtol=1e-5, atol=1e-6)
    # order does not matter
    np.testing.assert_allclose(model.predict_proba(PAIRS[::-1]), first[::-1], rtol=1e-5, atol=1e-6)


def test_obvious_cases() -> None:
    model = load_model()
    (s_unrel, c_unrel), (s_deny, _), (s_conf, _) = model.predict(PAIRS)
    assert s_unrel == "unrelated"
    assert c_unrel > 0.9
    assert s_deny != "supports"
    assert s_deny != "unrelated"
    assert s_conf == "supports"
    proba = model.predict_proba(PAIRS)
    # the hoax denial is less "supports" and more "disputes" than the confirmation
    assert proba[1, 0] < proba[2, 0]
    assert proba[1, 1] > proba[2, 1]


def test_missing_artefact_is_a_model_error(tmp_path: object) -> None:
    from pathlib import Path

    with pytest.raises(ModelError, match=r"E103"):
        load_model(Path(str(tmp_path)))


# Explicit denials and "no evidence" forms of a related text are disagreement, never "unrelated" or "discusses".
DENIAL_CLAIM = "Tarvonian army recruits convicted smugglers as border guards"
DENIAL_TEXTS = [
    (
        "Reports this week said the Tarvonian army recruits convicted smugglers as border guards. "
        "The ministry denied the report, calling it a fabrication. A spokesman for the defence ministry said "
        "no convicted smuggler had ever served as a border guard."
    ),
    (
        "There is no evidence that the Tarvonian army recruits convicted smugglers as border guards, the "
        "monitoring group Lanthorn Watch said on Tuesday after its inspectors visited four border posts."
    ),
    (
        "The Tarvonian defence ministry denied that its army recruits convicted smugglers as border guards, "
        "calling the report a fabrication."
    ),
]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(DENIAL_TEXTS[0], id="denied-report"),
        pytest.param(DENIAL_TEXTS[1], id="no-evidence"),
        pytest.param(DENIAL_TEXTS[2], id="one-sentence-denial"),
    ],
)
def test_explicit_denial_is_disagreement(text: str) -> None:
    model = load_model()
    ((label, _),) = model.predict([(DENIAL_CLAIM, text)])
    assert label not in ("unrelated", "discusses"), label
    proba = model.predict_proba([(DENIAL_CLAIM, text)])[0]
    assert proba[LABELS.index("disputes")] > proba[LABELS.index("supports")]
