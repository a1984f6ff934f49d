"""Fixtures for the ingest tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import LONG_BODY, page, warc_bytes


@pytest.fixture
def warc_file(tmp_path: Path) -> Path:
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(
        warc_bytes(
            [
                ("https://veloria-wire.example/a/1", page("Border talks to resume", LONG_BODY, date="")),
                (
                    "https://veloria-wire.example/a/2",
                    page("Port reopens", LONG_BODY.replace("border", "port")),
                ),
            ]
        )
    )
    return path
