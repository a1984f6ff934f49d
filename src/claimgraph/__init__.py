"""claimgraph: who claims what, about whom, on whose word.

The public API. Heavy modules are imported lazily, so ``import claimgraph`` and ``claimgraph --help`` stay fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "SCHEMA",
    "AnalysisResult",
    "Claim",
    "ClaimgraphError",
    "Corpus",
    "Document",
    "Entity",
    "Grade",
    "InputError",
    "InputProblem",
    "Options",
    "Relation",
    "Source",
    "Statement",
    "__version__",
    "analyze",
    "export",
    "registry",
    "sample_corpus_path",
]

_LAZY = {
    "SCHEMA": "claimgraph.model",
    "Claim": "claimgraph.model",
    "Corpus": "claimgraph.model",
    "Document": "claimgraph.model",
    "Entity": "claimgraph.model",
    "Grade": "claimgraph.model",
    "Relation": "claimgraph.model",
    "Source": "claimgraph.model",
    "Statement": "claimgraph.model",
    "ClaimgraphError": "claimgraph.errors",
    "InputError": "claimgraph.errors",
    "InputProblem": "claimgraph.errors",
    "Options": "claimgraph.options",
    "AnalysisResult": "claimgraph.pipeline",
    "analyze": "claimgraph.pipeline",
    "export": "claimgraph.outputs",
    "registry": "claimgraph.registry",
    "sample_corpus_path": "claimgraph.data",
}

if TYPE_CHECKING:
    from .data import sample_corpus_path
    from .errors import ClaimgraphError, InputError, InputProblem
    from .model import SCHEMA, Claim, Corpus, Document, Entity, Grade, Relation, Source, Statement
    from .options import Options
    from .outputs import export
    from .pipeline import AnalysisResult, analyze
    from .registry import registry


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'claimgraph' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)


def __dir__() -> list[str]:
    return sorted(__all__)
