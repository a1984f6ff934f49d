"""De-duplication: repeated paragraphs within a document, syndicated copies across documents."""

from __future__ import annotations

import bisect
import hashlib
import math
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
    if not tokens:
        return False
    size = len(tokens)
    for other in others:
        other_size = len(other)
        # a size filter first: Jaccard >= t needs min/max size >= t
        if min(size, other_size) >= threshold * max(size, other_size):
            common = len(tokens & other)
            if common / (size + other_size - common) >= threshold:  # |A & B| / |A | B|
                return True
    return False


def token_set(text: str) -> set[str]:
    return set(_tokens(text))


def dedupe_paragraphs(paragraphs: Sequence[str], threshold: float) -> tuple[list[str], list[str]]:
    """``(kept, repeats)``: each paragraph repeated verbatim or with token Jaccard >= ``threshold`` is kept once."""
    kept: list[str] = []
    exact: set[str] = set()
    repeats: list[str] = []
    # Kept token sets by size: Jaccard >= t needs min/max size >= t, so a paragraph is only compared
    # with kept ones of a size within that band (few, where a plain scan would compare with all).
    by_size: dict[int, list[set[str]]] = {}
    sizes: list[int] = []
    for paragraph in paragraphs:
        key = " ".join(paragraph.split())
        if key in exact:
            repeats.append(paragraph)
            continue
        tokens = set(_tokens(paragraph))
        n = len(tokens)
        if n and threshold > 0:
            # a band one wider on each side than needed: near_repeat applies the exact test
            low = bisect.bisect_left(sizes, math.floor(threshold * n) - 1)
            high = bisect.bisect_right(sizes, math.ceil(n / threshold) + 1)
            if any(near_repeat(tokens, by_size[size], threshold) for size in sizes[low:high]):
                repeats.append(paragraph)
                continue
        elif near_repeat(tokens, [s for size in sizes for s in by_size[size]], threshold):
            repeats.append(paragraph)
            continue
        exact.add(key)
        kept.append(paragraph)
        if n not in by_size:
            bisect.insort(sizes, n)
            by_size[n] = []
        by_size[n].append(tokens)
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
