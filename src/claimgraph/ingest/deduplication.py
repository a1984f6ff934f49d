"""De-duplication: repeated paragraphs within a document, syndicated copies across documents."""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import math
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ..model import Document
from ..options import Options

__all__ = [
    "dedupe_paragraphs",
    "dedupe_passages",
    "lsh_bands",
    "mark_duplicates",
    "near_repeat",
    "shingles",
    "signature_key",
    "signature_values",
    "split_sentences",
    "token_jaccard",
    "token_set",
]

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


_MAX_CANDIDATES = 64
"""Earlier paragraphs checked per paragraph for a near repeat (the rarest shared words first): a bound
that keeps de-duplication linear in the document's length whatever the text."""


def dedupe_paragraphs(paragraphs: Sequence[str], threshold: float) -> tuple[list[str], list[str]]:
    """``(kept, repeats)``: each paragraph repeated verbatim or with token Jaccard >= ``threshold`` is kept once.

    Linear time: verbatim repeats by hash; near repeats by prefix filtering (two token sets with
    Jaccard >= t share a word among the first ``|A| - ceil(t * |A|) + 1`` of each in one global order,
    rarest first), so a paragraph is compared only with kept ones that share one of its rare words
    (at most ``_MAX_CANDIDATES``).
    """
    token_sets = [set(_tokens(p)) for p in paragraphs]
    frequency: Counter[str] = Counter()
    for tokens in token_sets:
        frequency.update(tokens)
    kept: list[str] = []
    kept_sets: list[set[str]] = []
    exact: set[str] = set()
    repeats: list[str] = []
    index: dict[str, list[int]] = {}
    for paragraph, tokens in zip(paragraphs, token_sets, strict=True):
        key = " ".join(paragraph.split())
        if key in exact:
            repeats.append(paragraph)
            continue
        prefix: list[str] = []
        if tokens and threshold <= 0:
            if kept_sets:  # Jaccard >= 0 holds for any pair
                repeats.append(paragraph)
                continue
        elif tokens:
            ordered = sorted(tokens, key=lambda w: (frequency[w], w))
            prefix = ordered[: len(ordered) - math.ceil(threshold * len(ordered)) + 1]
            candidates: list[int] = []
            seen: set[int] = set()
            for word in prefix:
                # the cap inside the loop: a common word's list holds nearly every kept paragraph
                for position in index.get(word, ()):
                    if position not in seen:
                        seen.add(position)
                        candidates.append(position)
                        if len(candidates) >= _MAX_CANDIDATES:
                            break
                if len(candidates) >= _MAX_CANDIDATES:
                    break
            if near_repeat(tokens, [kept_sets[i] for i in candidates[:_MAX_CANDIDATES]], threshold):
                repeats.append(paragraph)
                continue
        exact.add(key)
        for word in prefix:
            index.setdefault(word, []).append(len(kept))
        kept.append(paragraph)
        kept_sets.append(tokens)
    return kept, repeats


_SENTENCE_BREAK = re.compile(r"(?<=[.!?…])[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9À-Þ])")
_LONG_SENTENCE_WORDS = 20
"""A single sentence seen before is dropped from a later paragraph only from this many words on."""


def split_sentences(paragraph: str) -> list[str]:
    """Sentences of one paragraph, by punctuation (a fast splitter for de-duplication, not for analysis)."""
    parts: list[str] = []
    start = 0
    for match in _SENTENCE_BREAK.finditer(paragraph):
        parts.append(
            paragraph[start : match.start()].strip() + paragraph[match.start() : match.end()].strip()
        )
        start = match.end()
    tail = paragraph[start:].strip()
    if tail:
        parts.append(tail)
    return [p for p in parts if p]


def _sentence_key(sentence: str) -> str:
    return hashlib.blake2b(" ".join(_tokens(sentence)).encode("utf-8"), digest_size=12).hexdigest()


def dedupe_passages(paragraphs: Sequence[str]) -> tuple[list[str], list[str]]:
    """``(kept, passages)``: runs of sentences already seen earlier in the document are cut out.

    A run of two or more consecutive sentences that also stood consecutively earlier (inside the same
    paragraph or another), or one sentence of at least ``_LONG_SENTENCE_WORDS`` words, is a repeated
    passage: it is removed from the later paragraph and listed. Sentences are hashed (linear time).
    A paragraph left empty is dropped.
    """
    seen: dict[str, int] = {}
    """sentence hash -> serial number of its first occurrence (consecutive sentences, consecutive numbers)"""
    serial = 0
    kept: list[str] = []
    passages: list[str] = []
    for paragraph in paragraphs:
        sentences = split_sentences(paragraph)
        keys = [_sentence_key(s) for s in sentences]
        drop = [False] * len(sentences)
        i = 0
        while i < len(sentences):
            first = seen.get(keys[i])
            if first is None or not _tokens(sentences[i]):
                i += 1
                continue
            j = i + 1
            while j < len(sentences) and seen.get(keys[j]) == first + (j - i):
                j += 1
            if j - i >= 2 or len(_tokens(sentences[i])) >= _LONG_SENTENCE_WORDS:
                for k in range(i, j):
                    drop[k] = True
                passages.append(" ".join(sentences[i:j]))
            i = j
        for key in keys:
            if key not in seen:
                seen[key] = serial
            serial += 1
        if not any(drop):
            kept.append(paragraph)
            continue
        rest = " ".join(s for s, d in zip(sentences, drop, strict=True) if not d)
        if rest:
            kept.append(rest)
    return kept, passages


def shingles(text: str, size: int = _SHINGLE) -> set[bytes]:
    """Word ``size``-grams of ``text`` (casefolded), as bytes for MinHash."""
    words = _tokens(text)
    if len(words) < size:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i : i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


def _order_key(doc: Document) -> tuple[int, str, str]:
    return (0 if doc.published else 1, doc.published or "", doc.id)


#: Bumped when a stored signature's shape or meaning changes (see :func:`signature_key`).
SIGNATURE_VERSION = "minhash.v1"


def signature_key(doc: Document, options: Options) -> str:
    """The cache key of one document's MinHash signature: what it is a function of (the document's
    content, the number of permutations, the seed, the shingle size and the scheme's version)."""
    return f"{SIGNATURE_VERSION}:{options.minhash_perm}:{_SEED}:{_SHINGLE}:{doc.content_hash}"


#: MurmurHash3's 32-bit finalizer: shifts and multipliers (datasketch's "affine32" pre-mix of each hash)
_FMIX32 = (16, 0x85EBCA6B, 13, 0xC2B2AE35, 16)


@functools.cache
def _minhash_template(num_perm: int) -> Any:
    """An empty datasketch ``MinHash(num_perm, seed)``: its scheme, permutations and initial values
    (drawn from the seed: made once per process instead of once per document)."""
    from datasketch import MinHash

    return MinHash(num_perm=num_perm, seed=_SEED)


def _affine32_values(template: Any, items: Sequence[bytes]) -> Any:
    """What ``MinHash.update_batch(items)`` leaves in ``hashvalues`` for the ``affine32`` scheme with its
    default hash function, computed in one pass: the first 4 bytes of each item's SHA-1 read as one
    little-endian ``uint32`` array (datasketch's ``sha1_hash32``), the MurmurHash3 finalizer, the affine
    permutations ``a * h + b`` (mod 2^32) and the column minimum (tested against datasketch)."""
    import numpy as np

    sha1 = hashlib.sha1
    hv = np.frombuffer(b"".join([sha1(item).digest()[:4] for item in items]), dtype="<u4").astype(np.uint32)
    s1, m1, s2, m2, s3 = (np.uint32(v) for v in _FMIX32)
    hv = hv ^ (hv >> s1)
    hv = hv * m1
    hv = hv ^ (hv >> s2)
    hv = hv * m2
    hv = (hv ^ (hv >> s3)).reshape(-1, 1)
    a, b = template.permutations
    return np.minimum(template.hashvalues, (hv * a + b).min(axis=0))


def _signature(doc: Document, num_perm: int) -> dict[str, Any]:
    """``{"text_key": sha256 of the casefolded words, "scheme": ..., "hashes": ...}`` of one document (a function
    of its text only; ``hashes`` as :func:`encode_hashvalues` writes them), or ``{}`` for a text without words."""
    from datasketch.hashfunc import sha1_hash32

    words = _tokens(doc.text)
    if not words:
        return {}
    template = _minhash_template(num_perm)
    items = shingles(doc.text)
    if template.scheme == "affine32" and template.hashfunc is sha1_hash32:
        values = _affine32_values(template, list(items))
    else:  # another datasketch version's scheme: its own update (the minimum does not depend on order)
        minhash = template.copy()
        minhash.update_batch(sorted(items))
        values = minhash.hashvalues
    return {
        "text_key": hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest(),
        "scheme": template.scheme,
        "hashes": encode_hashvalues(values),
    }


_U32 = "u32:"
_U64 = "u64:"


def encode_hashvalues(values: Any) -> str:
    """A signature's hash values (non-negative integers below 2^64) as one short string for the annotation
    cache: ``u32:`` and the base64 of the values as little-endian ``uint32`` when every value fits (the
    ``affine32`` scheme's always do), else ``u64:`` and little-endian ``uint64``. Decoding 10,000 of these is
    a fraction of parsing 10,000 JSON lists of 128 integers (the cache's former form, still read: see
    :func:`signature_values`)."""
    import numpy as np

    array = np.asarray(values, dtype=np.uint64)
    if not array.size or int(array.max()) < 2**32:
        return _U32 + base64.b64encode(array.astype("<u4").tobytes()).decode("ascii")
    return _U64 + base64.b64encode(array.astype("<u8").tobytes()).decode("ascii")


def signature_values(data: Mapping[str, Any], num_perm: int) -> Any:
    """The hash values of a stored signature as a ``uint64`` array of ``num_perm`` values, from either form the
    cache holds (``hashes``, see :func:`encode_hashvalues`; or ``hashvalues``, the JSON list of integers that
    versions before it wrote); ``None`` when it holds neither with ``num_perm`` values (the signature is then
    computed again)."""
    import numpy as np

    text = data.get("hashes")
    if isinstance(text, str):
        width = 4 if text.startswith(_U32) else 8 if text.startswith(_U64) else 0
        try:
            raw = base64.b64decode(text[len(_U32) :], validate=True)
        except (binascii.Error, ValueError):
            return None
        if not width or len(raw) != num_perm * width:
            return None
        return np.frombuffer(raw, dtype="<u4" if width == 4 else "<u8").astype(np.uint64)
    listed = data.get("hashvalues")
    if isinstance(listed, list) and len(listed) == num_perm:
        try:
            return np.asarray(listed, dtype=np.uint64)
        except (TypeError, ValueError, OverflowError):
            return None
    return None


@functools.cache
def lsh_bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """``(bands, rows per band)`` of datasketch's ``MinHashLSH(threshold, num_perm)`` (its optimal
    parameters for equal false-positive and false-negative weights; computing them imports scipy)."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return int(lsh.b), int(lsh.r)


def mark_duplicates(
    documents: Sequence[Document],
    options: Options,
    *,
    signatures: Mapping[str, Mapping[str, Any]] | None = None,
    on_signature: Callable[[Document, dict[str, Any]], None] | None = None,
    bands: tuple[int, int] | None = None,
) -> dict[str, str | None]:
    """``{doc_id: original_id or None}`` for every document.

    Exact copies (same normalised text) and near copies (MinHash LSH estimate of the word-shingle
    Jaccard >= ``options.duplicate_threshold``) are grouped; in each group the earliest published
    document (then the smallest id) is the original, and the others point to it.

    ``signatures``: each document's signature computed before (``doc_id -> `` what ``on_signature`` was
    given, stored under :func:`signature_key`), so only new documents are shingled and hashed.
    ``on_signature(doc, signature)`` receives every signature computed in this call, and every one given in
    the cache's former form (a JSON list of integers) in its compact form (:func:`encode_hashvalues`), to be
    stored again. ``bands``: what
    :func:`lsh_bands` gives for the options (computed when not given). The result is the same with or
    without them: a signature depends on the document's text only, and the groups are the connected
    components of "same text, or a shared LSH bucket with estimated Jaccard >= threshold", whatever the
    order.

    The LSH index is datasketch's ``MinHashLSH`` made of plain dictionaries: band ``i`` of a signature
    is its hash values ``[i * r, (i + 1) * r)``; two documents are candidates when one band's values are
    equal, and near copies when the share of equal hash values (datasketch's ``MinHash.jaccard``) is at
    least the threshold (tested against datasketch). No ``MinHash`` object is built for a stored
    signature.
    """
    import numpy as np

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

    known = signatures or {}
    num_perm = options.minhash_perm
    n_bands, rows = bands if bands is not None else lsh_bands(options.duplicate_threshold, num_perm)
    ranges = [(i * rows * 8, (i + 1) * rows * 8) for i in range(n_bands)]
    """each band's bytes in the hash values' ``uint64`` bytes"""
    tables: list[dict[bytes, list[int]]] = [{} for _ in ranges]
    inserted: list[tuple[str, Any]] = []
    """(document id, hash values) in the order they entered the index"""
    schemes: set[str] = set()
    by_text: dict[str, str] = {}
    for doc in docs:
        data = known.get(doc.id)
        values = signature_values(data, num_perm) if data else None
        if data is None or (data and values is None):
            data = _signature(doc, num_perm)
            values = signature_values(data, num_perm) if data else None
            if on_signature is not None:
                on_signature(doc, data)
        elif values is not None and "hashes" not in data:  # the former list form: handed back compact
            data = {key: value for key, value in data.items() if key != "hashvalues"}
            data["hashes"] = encode_hashvalues(values)
            if on_signature is not None:
                on_signature(doc, data)
        if not data or values is None:
            continue
        text_key = str(data["text_key"])
        schemes.add(str(data.get("scheme")))
        if len(schemes) > 1:  # as datasketch's index refuses: hash values of two schemes cannot be compared
            raise ValueError(f"MinHash signatures of different schemes: {sorted(schemes)}")
        if text_key in by_text:
            union(by_text[text_key], doc.id)
            continue
        by_text[text_key] = doc.id
        packed = values.tobytes()
        keys = [packed[start:end] for start, end in ranges]
        candidates: set[int] = set()
        for key, table in zip(keys, tables, strict=True):
            candidates.update(table.get(key, ()))
        for position in sorted(candidates, key=lambda k: inserted[k][0]):
            other, other_values = inserted[position]
            similarity = float(np.count_nonzero(other_values == values)) / float(num_perm)
            if similarity >= options.duplicate_threshold:
                union(other, doc.id)
        for key, table in zip(keys, tables, strict=True):
            table.setdefault(key, []).append(len(inserted))
        inserted.append((doc.id, values))

    groups: dict[str, list[Document]] = {}
    for doc in docs:
        groups.setdefault(find(doc.id), []).append(doc)
    result: dict[str, str | None] = {}
    for members in groups.values():
        original = min(members, key=_order_key)
        for doc in members:
            result[doc.id] = None if doc.id == original.id else original.id
    return result
