"""Paragraph de-duplication within a document and syndicated copies across documents."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from claimgraph.ingest import mark_duplicates
from claimgraph.ingest.deduplication import dedupe_paragraphs
from claimgraph.model import Document
from claimgraph.options import Options

from .helpers import FIXTURES, read_all

BASE = (
    "The government of Kestria on Tuesday denied a consultant's allegation that it recruits captured "
    "fighters into its border units, calling the report a fabrication and an insult to its soldiers."
)


def test_verbatim_and_near_verbatim_paragraphs_kept_once() -> None:
    near = BASE.replace("Tuesday", "Tuesday ,")  # punctuation only: same tokens
    nearer = BASE.replace("an insult", "the insult")  # one token differs: Jaccard 27/28
    other = "Lars Brenn said the claim was hypothetical to date."
    kept, repeats = dedupe_paragraphs([BASE, other, BASE, near, nearer], 0.9)
    assert kept == [BASE, other]
    assert repeats == [BASE, near, nearer]


def test_paragraphs_below_threshold_are_both_kept() -> None:
    half = "The government of Kestria on Tuesday praised the new harbour in Lisca and its workers."
    kept, repeats = dedupe_paragraphs([BASE, half], 0.9)
    assert kept == [BASE, half] and repeats == []


def test_threshold_comes_from_options(tmp_path: Path) -> None:
    variant = BASE.replace("an insult to its soldiers", "a slur on its brave soldiers and sailors")
    path = tmp_path / "a.txt"
    path.write_text(f"A headline for the story\n\n{BASE}\n\n{variant}\n", encoding="utf-8")
    strict = read_all([path], Options(paragraph_jaccard=0.95))[0][0]
    loose = read_all([path], Options(paragraph_jaccard=0.6))[0][0]
    assert strict.removed.duplicate_paragraphs == 0
    assert loose.removed.duplicate_paragraphs == 1 and loose.removed.duplicate_paragraph_texts == [variant]


def _doc(doc_id: str, text: str, published: str | None) -> Document:
    return Document(
        id=doc_id,
        path=f"{doc_id}.txt",
        url=None,
        title=None,
        authors=[],
        published=published,
        outlet=None,
        text=text,
    )


ARTICLE = " ".join(
    f"Sentence {i} about the harbour of Lisca, where officials said the ferry number {i} would sail again."
    for i in range(30)
)
OTHER = " ".join(
    f"Paragraph {i}: the analyst Lars Brenn doubted claim {i} about recruitment in Kestria and its camps."
    for i in range(30)
)


def test_syndicated_copy_found_and_different_articles_not() -> None:
    copy = ARTICLE + " This article first appeared in The Lisca Ledger."
    docs = [
        _doc("doc-c", copy, "2019-03-06"),
        _doc("doc-b", OTHER, "2019-03-01"),
        _doc("doc-a", ARTICLE, "2019-03-05"),
    ]
    result = mark_duplicates(docs, Options())
    assert result == {"doc-a": None, "doc-b": None, "doc-c": "doc-a"}


def test_original_is_earliest_published_then_smallest_id() -> None:
    docs = [
        _doc("doc-2", ARTICLE, "2019-03-05"),
        _doc("doc-1", ARTICLE, "2019-03-07"),
        _doc("doc-3", ARTICLE, None),
    ]
    assert mark_duplicates(docs, Options()) == {"doc-2": None, "doc-1": "doc-2", "doc-3": "doc-2"}
    undated = [_doc("doc-9", ARTICLE, None), _doc("doc-8", ARTICLE, None)]
    assert mark_duplicates(undated, Options()) == {"doc-8": None, "doc-9": "doc-8"}


def test_exact_duplicates_of_short_texts() -> None:
    docs = [_doc("doc-1", "Short note.", None), _doc("doc-2", "Short  note!", None), _doc("doc-3", "", None)]
    assert mark_duplicates(docs, Options()) == {"doc-1": None, "doc-2": "doc-1", "doc-3": None}


def test_mark_duplicates_is_deterministic_and_order_free() -> None:
    variants = [ARTICLE.replace(f"number {i} ", f"no. {i} ") for i in range(5)]
    docs = [_doc(f"doc-{i}", text, None) for i, text in enumerate([*variants, OTHER])]
    first = mark_duplicates(docs, Options())
    assert first == mark_duplicates(list(reversed(docs)), Options())
    assert first["doc-5"] is None
    assert {first[f"doc-{i}"] for i in range(1, 5)} == {"doc-0"}
    assert all(key != value for key, value in first.items())


def test_syndicated_files_on_disk(tmp_path: Path) -> None:
    original = (FIXTURES / "messy.txt").read_text(encoding="utf-8")
    (tmp_path / "ledger.txt").write_text(original, encoding="utf-8")
    (tmp_path / "courier.txt").write_text(
        original.replace("The Kestria Ledger", "The Veloria Courier").replace(
            "Tuesday, March 5th", "Wednesday, March 6th"
        ),
        encoding="utf-8",
    )
    docs, _ = read_all([tmp_path])
    by_path = {Path(d.path).name: d for d in docs}
    result = mark_duplicates(docs, Options())
    assert result[by_path["courier.txt"].id] == by_path["ledger.txt"].id
    assert result[by_path["ledger.txt"].id] is None


def _datasketch_groups(docs: list[Document], options: Options) -> dict[str, str | None]:
    """The groups as datasketch's own ``MinHashLSH`` and ``MinHash.jaccard`` make them (the index
    ``mark_duplicates`` used before it kept the bands in plain dictionaries)."""
    from datasketch import MinHash, MinHashLSH

    from claimgraph.ingest.deduplication import _order_key, _signature, signature_values

    parent = {d.id: d.id for d in docs}

    def find(x: str) -> str:
        while parent[x] != x:
            x = parent[x]
        return x

    lsh = MinHashLSH(threshold=options.duplicate_threshold, num_perm=options.minhash_perm)
    by_text: dict[str, str] = {}
    hashes: dict[str, MinHash] = {}
    for doc in sorted(docs, key=lambda d: d.id):
        data = _signature(doc, options.minhash_perm)
        if not data:
            continue
        if data["text_key"] in by_text:
            a, b = find(by_text[data["text_key"]]), find(doc.id)
            parent[max(a, b)] = min(a, b)
            continue
        by_text[data["text_key"]] = doc.id
        values = signature_values(data, options.minhash_perm)
        minhash = MinHash(seed=1, hashvalues=values, scheme=data["scheme"])
        for other in lsh.query(minhash):
            if hashes[other].jaccard(minhash) >= options.duplicate_threshold:
                a, b = find(other), find(doc.id)
                parent[max(a, b)] = min(a, b)
        lsh.insert(doc.id, minhash)
        hashes[doc.id] = minhash
    groups: dict[str, list[Document]] = {}
    for doc in docs:
        groups.setdefault(find(doc.id), []).append(doc)
    return {
        d.id: (None if d.id == (o := min(m, key=_order_key)).id else o.id) for m in groups.values() for d in m
    }


def test_the_band_index_finds_the_groups_datasketchs_index_finds() -> None:
    """Near copies at every distance from the threshold (a few words to many changed), chains of copies
    of copies and unrelated texts: the same groups and originals as datasketch's ``MinHashLSH``, at two
    thresholds and two signature sizes."""
    import random

    rng = random.Random(3)
    vocabulary = [f"w{i}" for i in range(400)]
    bases = [[rng.choice(vocabulary) for _ in range(rng.randint(40, 160))] for _ in range(12)]
    docs: list[Document] = []
    for b, words in enumerate(bases):
        docs.append(_doc(f"doc-{b:02d}-0", " ".join(words), None))
        current = list(words)
        for k in range(1, 9):  # each copy edits the previous one a little more
            for _ in range(rng.randint(1, 6)):
                current[rng.randrange(len(current))] = rng.choice(vocabulary)
            date = f"2020-01-{rng.randint(1, 28):02d}" if rng.random() < 0.5 else None
            docs.append(_doc(f"doc-{b:02d}-{k}", " ".join(current), date))
    docs.append(_doc("doc-99-0", docs[0].text, None))  # an exact copy
    for threshold, perm in ((0.8, 128), (0.6, 64)):
        options = Options(duplicate_threshold=threshold, minhash_perm=perm)
        found = mark_duplicates(docs, options)
        assert found == _datasketch_groups(docs, options)
        assert 0 < sum(v is not None for v in found.values()) < len(docs) - len(bases)  # some, not all


def test_signature_is_datasketchs_minhash() -> None:
    """The one-pass signature (SHA-1 prefixes, MurmurHash3 finalizer, affine permutations as arrays) holds
    the hash values datasketch's own ``MinHash.update_batch`` gives, for short, long, repetitive and
    non-ASCII texts and two signature sizes."""
    import random

    from datasketch import MinHash

    from claimgraph.ingest.deduplication import _signature, shingles, signature_values

    rng = random.Random(7)
    words = ["Kestria", "Veloria", "said", "the", "border", "units", "façade", "Ωmega", "2019", "a"]
    texts = ["one", "two words", "three short words", "alpha beta gamma delta epsilon", "the " * 50]
    texts += [" ".join(rng.choice(words) for _ in range(rng.randint(1, 400))) for _ in range(40)]
    for perm in (128, 64):
        for n, text in enumerate(texts):
            expected = MinHash(num_perm=perm, seed=1)
            expected.update_batch(sorted(shingles(text)))
            data = _signature(_doc(f"doc-{n}", text, None), perm)
            assert data["scheme"] == expected.scheme
            assert signature_values(data, perm).tolist() == [int(v) for v in expected.hashvalues]
            assert data["hashes"].startswith("u32:")  # affine32 values fit 32 bits
    assert _signature(_doc("doc-empty", "— … —", None), 128) == {}


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=2**64 - 1), max_size=300))
def test_hash_values_round_trip(values: list[int]) -> None:
    """The cache's compact form gives back exactly the values it was made from, 32-bit or 64-bit; a length
    other than the signature size, or text that is no such form, reads as no signature (recomputed)."""
    from claimgraph.ingest.deduplication import encode_hashvalues, signature_values

    text = encode_hashvalues(values)
    assert text.startswith("u32:" if all(v < 2**32 for v in values) else "u64:")
    decoded = signature_values({"hashes": text}, len(values))
    assert decoded is not None and decoded.dtype == "uint64" and decoded.tolist() == values
    assert signature_values({"hashes": text}, len(values) + 1) is None
    # the former form, a JSON list of integers, reads as the same values
    legacy = signature_values({"hashvalues": values}, len(values))
    assert legacy is not None and legacy.tolist() == values


def test_damaged_compact_hash_values_read_as_none() -> None:
    from claimgraph.ingest.deduplication import signature_values

    for damaged in ("u32:!!!!", "u16:AAAA", "AAAAAAAA", "u32:AAA"):
        assert signature_values({"hashes": damaged}, 1) is None
    assert signature_values({"hashvalues": ["x"]}, 1) is None
    assert signature_values({"hashvalues": [-1]}, 1) is None
    assert signature_values({}, 1) is None


def test_cached_signatures_of_either_form_give_the_same_duplicates() -> None:
    """Signatures cached in the former list form and in the compact form give the groups computing them
    gives; the former ones are handed to ``on_signature`` in the compact form (to be stored again), the
    compact ones are not (nothing to write)."""
    import random

    from claimgraph.ingest.deduplication import _signature, signature_values

    rng = random.Random(11)
    vocabulary = [f"w{i}" for i in range(300)]
    docs: list[Document] = []
    for b in range(8):
        words = [rng.choice(vocabulary) for _ in range(rng.randint(30, 120))]
        for k in range(5):
            words[rng.randrange(len(words))] = rng.choice(vocabulary)
            docs.append(_doc(f"doc-{b}-{k}", " ".join(words), f"2020-02-{k + 1:02d}" if k % 2 else None))
    docs.append(_doc("doc-empty", "— … —", None))
    options = Options()
    computed: dict[str, dict[str, object]] = {}
    expected = mark_duplicates(docs, options, on_signature=lambda d, s: computed.__setitem__(d.id, s))
    assert len(computed) == len(docs) and computed["doc-empty"] == {}
    assert computed == {d.id: _signature(d, options.minhash_perm) for d in docs}
    legacy = {
        doc_id: (
            {
                "text_key": s["text_key"],
                "scheme": s["scheme"],
                "hashvalues": signature_values(s, options.minhash_perm).tolist(),
            }
            if s
            else {}
        )
        for doc_id, s in computed.items()
    }
    rewritten: dict[str, dict[str, object]] = {}
    assert (
        mark_duplicates(
            docs, options, signatures=legacy, on_signature=lambda d, s: rewritten.__setitem__(d.id, s)
        )
        == expected
    )
    assert rewritten == {doc_id: s for doc_id, s in computed.items() if s}
    again: list[str] = []
    assert (
        mark_duplicates(docs, options, signatures=computed, on_signature=lambda d, s: again.append(d.id))
        == expected
    )
    assert again == []
    assert sum(v is not None for v in expected.values()) > 0
