"""STIX ids: the fast uuid5 of ``stix_id`` is ``uuid.uuid5`` exactly (ids are frozen in the golden files)."""

from __future__ import annotations

import uuid

from hypothesis import given, settings
from hypothesis import strategies as st

from claimgraph.outputs.stix import NAMESPACE, _uuid5, stix_id


@settings(max_examples=500, deadline=None)
@given(name=st.text(st.characters(blacklist_categories=["Cs"])))
def test_uuid5_is_the_standard_librarys(name: str) -> None:
    assert _uuid5(name) == str(uuid.uuid5(NAMESPACE, name))


def test_stix_id_keys() -> None:
    assert stix_id("identity", "a", 1) == f"identity--{uuid.uuid5(NAMESPACE, 'identity|a|1')}"
