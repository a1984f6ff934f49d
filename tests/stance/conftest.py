"""Tests marked ``fnc1`` skip, naming the variable to set, when the FNC-1 data is absent."""

from __future__ import annotations

import pytest

from claimgraph.stance.fnc1 import default_data_dir


@pytest.fixture(autouse=True)
def _needs_fnc1(request: pytest.FixtureRequest) -> None:
    if request.node.get_closest_marker("fnc1") is None:
        return
    folder = default_data_dir()
    if not ((folder / "train_bodies.csv").is_file() and (folder / "train_stances.csv").is_file()):
        pytest.skip(
            f"FNC-1 data not found in {folder}: set CLAIMGRAPH_FNC1_DIR to the folder holding "
            "train_bodies.csv and train_stances.csv"
        )
