"""Swappable functions under versioned names, in the style of spaCy's ``registry``.

Each registry maps a name such as ``"claimgraph.html_reader.v1"`` to a callable. Register with
a decorator, look up with :meth:`Registry.get`::

    from claimgraph.registry import registry

    @registry.readers("myorg.pdf_reader.v1")
    def read_pdf(path, options): ...

Names are versioned: a change of behaviour gets a new name, and old names keep working.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from .errors import ConfigError, Errors

__all__ = ["Registry", "registry"]

F = TypeVar("F", bound=Callable[..., Any])


class Registry:
    """One named table of functions."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._items: dict[str, Callable[..., Any]] = {}

    def __call__(self, name: str) -> Callable[[F], F]:
        def decorator(func: F) -> F:
            self.register(name, func)
            return func

        return decorator

    def register(self, name: str, func: Callable[..., Any]) -> None:
        self._items[name] = func

    def get(self, name: str) -> Callable[..., Any]:
        _load_builtins()
        try:
            return self._items[name]
        except KeyError:
            raise ConfigError(
                Errors.E101.format(name=name, registry=self.name, available=", ".join(sorted(self._items)))
            ) from None

    def get_all(self) -> dict[str, Callable[..., Any]]:
        _load_builtins()
        return dict(sorted(self._items.items()))

    def __contains__(self, name: object) -> bool:
        _load_builtins()
        return name in self._items


class _Registries:
    """All of claimgraph's registries."""

    def __init__(self) -> None:
        self.readers = Registry("readers")  # file format -> reader(path, options) -> iterator of RawDocument
        self.stages = Registry("stages")  # pipeline stages over a Corpus
        self.claim_matchers = Registry("claim_matchers")
        self.stance_models = Registry("stance_models")
        self.graders = Registry("graders")
        self.exporters = Registry("exporters")  # format name -> writer(corpus, out_dir, options)


registry = _Registries()

_BUILTINS_LOADED = False


def _load_builtins() -> None:
    """Import the modules that register claimgraph's own functions (lazily, on first lookup)."""
    global _BUILTINS_LOADED
    if _BUILTINS_LOADED:
        return
    _BUILTINS_LOADED = True
    import importlib

    for module in (
        "claimgraph.ingest",
        "claimgraph.attribution",
        "claimgraph.claims",
        "claimgraph.stance",
        "claimgraph.provenance",
        "claimgraph.outputs",
        "claimgraph.workspace.correcting",
    ):
        importlib.import_module(module)
