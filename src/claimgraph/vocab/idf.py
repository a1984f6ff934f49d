"""The shipped IDF table of English words (``claims/data/idf.tsv``: wordfreq 3.1.1, its source and licence in the
file's header and ``claims/data/README.md``), read once. Kept outside the claims package so that attribution can
ask how common a word is without importing the claims stage (a rerun with every annotation cached imports no
spaCy, and the claims package imports it)."""

from __future__ import annotations

import functools

__all__ = ["fixed_idf"]


@functools.cache
def fixed_idf() -> tuple[dict[str, float], float, float]:
    """The shipped IDF table (token -> IDF), the default IDF of a token it does not list, and the IDF
    of a token that names the statement's own actors (``MatchItem.names``)."""
    from importlib import resources

    table: dict[str, float] = {}
    default = name = 0.0
    text = resources.files("claimgraph").joinpath("claims/data/idf.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        token, _, value = line.partition("\t")
        if token == "default":
            default = float(value)
        elif token == "name":
            name = float(value)
        else:
            table[token] = float(value)
    return table, default, name
