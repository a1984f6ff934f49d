"""The stance model (FNC-1 trained, CPU, no downloaded weights): supports | disputes | discusses | unrelated.

Python API::

    from claimgraph.stance import load_model
    model = load_model()  # cached once per process
    model.predict([("Tarvonia recruits captured militants", "Officials denied the report as a hoax.")])
    # -> [("disputes", 0.71)]

``classify_csv`` backs ``claimgraph stance INPUT.csv -o OUT.csv``. The model is registered in
``registry.stance_models`` as ``"claimgraph.fnc1_lightgbm.v1"``. Heavy libraries (numpy, scikit-learn,
LightGBM) are imported on first use, not on import of this package.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..registry import registry

if TYPE_CHECKING:
    from ..options import Options
    from .model import StanceModel

__all__ = ["LABELS", "MODEL_NAME", "StanceModel", "classify_csv", "load_model"]

#: The four stance labels, in the column order of ``StanceModel.predict_proba``.
LABELS: tuple[str, ...] = ("supports", "disputes", "discusses", "unrelated")
MODEL_NAME = "claimgraph.fnc1_lightgbm.v1"


def load_model(path: Path | str | None = None) -> StanceModel:
    """Load the stance model (default: the artefact shipped in the package), cached once per process."""
    from .model import load_model as _load

    return _load(path)


def classify_csv(input_path: Path, output_path: Path, options: Options | None = None) -> int:
    """Classify an ``id, claim, text`` CSV into an ``id, stance, confidence`` CSV; return the rows written.

    Raises :class:`~claimgraph.errors.ConfigError` (code E105), one line naming the file, the row and the
    reason, for an unreadable, empty, non-UTF-8 or malformed CSV.
    """
    from .io import classify_csv as _classify

    return _classify(input_path, output_path, options)


@registry.stance_models(MODEL_NAME)
def fnc1_lightgbm_v1() -> StanceModel:
    """Factory for the registry: the shipped FNC-1 LightGBM stance model (cached)."""
    return load_model()


def __getattr__(name: str) -> Any:
    if name == "StanceModel":
        from .model import StanceModel

        return StanceModel
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
