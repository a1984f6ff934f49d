"""``edgememo._members``: the same answers as ``np.isin`` for the integer codes of candidate pairs."""

from __future__ import annotations

import numpy as np
import pytest

from claimgraph.claims.edgememo import _members


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_members_agree_with_isin(seed: int) -> None:
    rng = np.random.default_rng(seed)
    pool = rng.integers(0, 10_000, 3_000)  # duplicates included, unsorted
    values = np.concatenate([rng.choice(pool, 200), rng.integers(0, 12_000, 300), [pool.max() + 1, -1]])
    got = _members(values, pool)
    assert got.dtype == bool
    assert np.array_equal(got, np.isin(values, pool))
    assert 0 < got.sum() < len(values)


def test_members_empty_and_bounds() -> None:
    pool = np.array([5, 3, 9], dtype=np.int64)
    assert _members(np.zeros(0, dtype=np.int64), pool).shape == (0,)
    assert not _members(np.array([1, 2], dtype=np.int64), np.zeros(0, dtype=np.int64)).any()
    # below the smallest, above the largest, and each member
    assert _members(np.array([0, 10, 3, 5, 9, 4], dtype=np.int64), pool).tolist() == [
        False, False, True, True, True, False,
    ]  # fmt: skip
