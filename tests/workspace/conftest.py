"""Workspace fixtures: every test taking ``ws_url`` runs on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from claimgraph.workspace import Workspace


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def ws_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "postgres":
        return str(request.getfixturevalue("postgres_url"))
    return f"sqlite:///{(tmp_path / 'ws' / 'claimgraph.db').as_posix()}"


@pytest.fixture
def ws(ws_url: str, tmp_path: Path) -> Iterator[Workspace]:
    with Workspace.open(ws_url, files_dir=tmp_path / "files") as workspace:
        yield workspace
