"""Fixtures for the attribution tests: the spaCy pipeline is loaded once per test session."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from claimgraph.model import Corpus, Document
from claimgraph.options import Options

from .helpers import make_doc


@pytest.fixture(scope="session")
def nlp() -> Any:
    from claimgraph.attribution.nlp import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def run(nlp: Any) -> Callable[..., Corpus]:
    """Run the attribution stage on documents (or texts) and return the corpus."""
    from claimgraph.attribution import attribute

    def _run(*docs: Document | str) -> Corpus:
        corpus = Corpus(documents=[make_doc(d) if isinstance(d, str) else d for d in docs])
        attribute(corpus, Options())
        return corpus

    return _run
