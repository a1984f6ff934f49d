"""De-duplication: repeated paragraphs within a document, syndicated copies across documents."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

from ..model import Document
from ..options import Options

__all__ = ["dedupe_paragraphs", "mark_duplicates", "near_repeat", "shingles", "token_jaccard", "token_set"]

_WORD = re.compile(r"\w+", re.UNICODE)
_SEED = 1
_SHINGLE = 4


def _tokens(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def token_jaccard(a: set[str], b: set[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def near_repeat(tokens: set[str], others: Sequence[set[str]], threshold: float) -> bool:
    """True when ``tokens`` has Jaccard >= ``threshold`` with one of ``others``."""
    return bool(tokens) and any(
        # a size filter first: Jaccard >= t needs min/max size >= t
        min(len(tokens), len(other)) >= threshold * max(len(tokens), len(other))
        and token_jaccard(tokens, other) >= threshold
        for other in others
    )


def token_set(text: str) -> set[str]:
    return set(_tokens(text))


def dedupe_paragraphs(paragraphs: Sequence[str], threshold: float) -> tuple[list[str], list[str]]:
    """``(kept, repeats)``: each paragraph repeated verbatim or with token Jaccard >= ``threshold`` is kept once."""
    kept: list[str] = []
    kept_sets: list[set[str]] = []
    exact: set[str] = set()
    repeats: list[str] = []
    for paragraph in paragraphs:
        key = " ".join(paragraph.split())
        if key in exact:
            repeats.append(paragraph)
            continue
        tokens = set(_tokens(paragraph))
        if near_repeat(tokens, kept_sets, threshold):
            repeats.append(paragraph)
            continue
        exact.add(key)
        kept.append(paragraph)
        kept_sets.append(tokens)
    return kept, repeats


def shingles(text: str, size: int = _SHINGLE) -> set[bytes]:
    """Word ``size``-grams of ``text`` (casefolded), as bytes for MinHash."""
    words = _tokens(text)
    if len(words) < size:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i : i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


def _order_key(doc: Document) -> tuple[int, str, str]:
    return (0 if doc.published else 1, doc.published or "", doc.id)


def mark_duplicates(documents: Sequence[Document], options: Options) -> dict[str, str | None]:
    """``{doc_id: original_id or None}`` for every document.

    Exact copies (same normalised text) and near copies (MinHash LSH estimate of the word-shingle
    Jaccard >= ``options.duplicate_threshold``) are grouped; in each group the earliest published
    document (then the smallest id) is the original, and the others point to it.
    """
    from datasketch import MinHash, MinHashLSH

    docs = sorted({d.id: d for d in documents}.values(), key=lambda d: d.id)
    parent = {d.id: d.id for d in docs}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    by_text: dict[str, str] = {}
    hashes: dict[str, MinHash] = {}
    lsh = MinHashLSH(threshold=options.duplicate_threshold, num_perm=options.minhash_perm)
    for doc in docs:
        words = _tokens(doc.text)
        if not words:
            continue
        text_key = hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()
        if text_key in by_text:
            union(by_text[text_key], doc.id)
            continue
        by_text[text_key] = doc.id
        minhash = MinHash(num_perm=options.minhash_perm, seed=_SEED)
        minhash.update_batch(sorted(shingles(doc.text)))
        for other in sorted(lsh.query(minhash)):
            if hashes[other].jaccard(minhash) >= options.duplicate_threshold:
                union(other, doc.id)
        lsh.insert(doc.id, minhash)
        hashes[doc.id] = minhash

    groups: dict[str, list[Document]] = {}
    for doc in docs:
        groups.setdefault(find(doc.id), []).append(doc)
    result: dict[str, str | None] = {}
    for members in groups.values():
        original = min(members, key=_order_key)
        for doc in members:
            result[doc.id] = None if doc.id == original.id else original.id
    return result
