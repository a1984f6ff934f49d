"""The lexical matcher's TF-IDF rows kept between runs (``tfidf.reused_rows``, ``edgememo.EdgeMemo.stored_rows``):
a fit that takes the stored rows of unchanged items and computes the others gives the matrix, IDF and columns
of a fit from scratch, bit for bit, over runs with items added, removed and changed (new tokens, tokens gone,
rows without tokens, the last row among them); a row kept for an item whose actor tokens changed would not
(the key must cover them); a damaged or older state gives no rows. Also, each against what it replaced: the
candidate index's query order (one integer key per entry; a three-key sort before), the edge memo's item
positions (a binary search; a dict before), and its arrays in the smallest integer type."""

from __future__ import annotations

import hashlib
import random
from typing import Any

import numpy as np
import pytest
from memo_helpers import STORY_WORDS, DictStore
from scipy import sparse

from claimgraph.claims.edgememo import EdgeMemo
from claimgraph.claims.matching import CandidateIndex, MatchItem
from claimgraph.claims.text import content_tokens
from claimgraph.claims.tfidf import StoredRows, TfidfMatcher, _fixed_rows, reused_rows

WORDS = [*STORY_WORDS, "412", "harbour", "tanker"]


def _item(rng: random.Random, vocabulary: list[str]) -> MatchItem:
    words = [rng.choice(vocabulary) for _ in range(rng.randrange(7))]
    text = " ".join(words) or "the"  # "the" alone: a row without tokens
    tokens = content_tokens(text)
    names = frozenset(rng.sample(tokens, rng.randrange(len(tokens) + 1)))
    return MatchItem(text, frozenset(f"ent-{rng.randrange(9)}" for _ in range(rng.randrange(3))), names=names)


def _stored(texts: list[str], names: list[frozenset[str]]) -> StoredRows:
    matrix, _weights, tokens = _fixed_rows(texts, names)
    return StoredRows(tokens, matrix.indptr.astype(np.int64), matrix.indices.astype(np.int64), matrix.data)


def _identical(a: tuple[Any, np.ndarray, list[str]], b: tuple[Any, np.ndarray, list[str]]) -> None:
    (ma, wa, ca), (mb, wb, cb) = a, b
    assert ca == cb
    assert ma.shape == mb.shape
    assert np.array_equal(ma.indptr, mb.indptr) and np.array_equal(ma.indices, mb.indices)
    assert ma.data.dtype == mb.data.dtype == np.float32
    assert ma.data.tobytes() == mb.data.tobytes()
    assert wa.tobytes() == wb.tobytes()


def _next_run(rng: random.Random, items: list[MatchItem]) -> list[MatchItem]:
    """The items of a later run: some removed, some changed (text or actor tokens), some added (with words no
    earlier item had), in a new order of the survivors' places."""
    out = []
    extra = [f"novel{k}" for k in range(5)]
    for item in items:
        roll = rng.random()
        if roll < 0.1:
            continue  # removed
        if roll < 0.15:
            out.append(_item(rng, WORDS + extra))  # changed text
        elif roll < 0.2 and item.names:
            out.append(MatchItem(item.text, item.entity_ids, names=frozenset()))  # changed actor tokens
        else:
            out.append(item)
        if rng.random() < 0.1:
            out.append(_item(rng, WORDS + extra))  # added
    return out


@pytest.mark.parametrize("seed", range(8))
def test_rows_kept_between_runs_equal_a_fit_from_scratch(seed: int) -> None:
    rng = random.Random(seed)
    items = [_item(rng, WORDS) for _ in range(rng.randrange(1, 120))]
    for _ in range(3):
        before = items
        stored = _stored([i.text for i in before], [i.names for i in before])
        items = _next_run(rng, before)
        if seed % 2:
            items.append(MatchItem("the", frozenset()))  # the last row without tokens
        # an item's stored row: the row of an earlier item with its text and actor tokens (as its key says)
        where = {(i.text, i.names): k for k, i in enumerate(before)}
        old_of_new = np.array([where.get((i.text, i.names), -1) for i in items], dtype=np.int64)
        texts, names = [i.text for i in items], [i.names for i in items]
        _identical(reused_rows(texts, names, stored, old_of_new), _fixed_rows(texts, names))


def test_every_row_stored_none_stored_and_no_items() -> None:
    rng = random.Random(11)
    items = [_item(rng, WORDS) for _ in range(50)]
    texts, names = [i.text for i in items], [i.names for i in items]
    stored = _stored(texts, names)
    every = np.arange(len(items), dtype=np.int64)
    _identical(reused_rows(texts, names, stored, every), _fixed_rows(texts, names))
    _identical(reused_rows(texts, names, stored, np.full(len(items), -1)), _fixed_rows(texts, names))
    _identical(reused_rows([], [], stored, np.zeros(0, dtype=np.int64)), _fixed_rows([], []))


def test_a_row_kept_for_an_item_whose_actor_tokens_changed_differs() -> None:
    # what the reuse condition guards: a row reads the actor tokens (the name IDF), not the text alone
    texts = ["Halvorsen flood audit", "flood audit report"]
    before = [frozenset({"halvorsen"}), frozenset()]
    stored = _stored(texts, before)
    now = [frozenset(), frozenset()]
    wrong = reused_rows(texts, now, stored, np.array([0, 1]))
    right = _fixed_rows(texts, now)
    assert wrong[0].data.tobytes() != right[0].data.tobytes()


def _key(item: MatchItem) -> str:
    return hashlib.sha256(repr((item.text, sorted(item.names), sorted(item.entity_ids))).encode()).hexdigest()


def _fit(items: list[MatchItem], store: DictStore) -> tuple[TfidfMatcher, EdgeMemo]:
    matcher = TfidfMatcher(k=3, max_df=6, query_features=3, idf="fixed")
    memo = EdgeMemo(store, "test", {})
    keys = [_key(item) for item in items]
    memo.prepare(keys)
    matcher.fit(items, memo.stored_rows())
    memo.edges(matcher, keys, 0.5)
    memo.save()
    return matcher, memo


def _fresh(items: list[MatchItem]) -> TfidfMatcher:
    matcher = TfidfMatcher(k=3, max_df=6, query_features=3, idf="fixed")
    matcher.fit(items)
    return matcher


def _same_fit(a: TfidfMatcher, b: TfidfMatcher) -> None:
    _identical(
        (a.vectors, a.column_idf, list(a.features or ())), (b.vectors, b.column_idf, list(b.features or ()))
    )


def test_the_edge_memo_keeps_the_rows_for_the_next_fit() -> None:
    rng = random.Random(5)
    store = DictStore()
    items = list({_key(i): i for i in (_item(rng, WORDS) for _ in range(150))}.values())
    matcher, memo = _fit(items, store)
    assert memo.stored_rows() is None  # nothing stored yet
    _same_fit(matcher, _fresh(items))
    for _ in range(3):
        items = list({_key(i): i for i in _next_run(rng, items)}.values())
        matcher, memo = _fit(items, store)
        found = memo.stored_rows()
        assert found is not None and int((found[1] >= 0).sum()) > len(items) // 2
        _same_fit(matcher, _fresh(items))


def test_a_damaged_or_older_state_gives_no_rows() -> None:
    rng = random.Random(6)
    items = list({_key(i): i for i in (_item(rng, WORDS) for _ in range(80))}.values())
    keys = [_key(item) for item in items]
    for damage in ("unsorted", "out of range", "columns not ascending", "older"):
        store = DictStore()
        _fit(items, store)
        state = store.data["test"]["state"]
        if damage == "unsorted":
            features = list(state["features"])
            features[0], features[1] = features[1], features[0]
            state["features"] = features
        elif damage == "out of range":
            matrix = _fresh(items).vectors
            state["row_col"] = _encode(np.full(len(matrix.indices), 10**6, dtype="<i4"))
        elif damage == "columns not ascending":
            matrix = _fresh(items).vectors
            state["row_col"] = _encode(np.ascontiguousarray(matrix.indices[::-1]).astype("<i4"))
        else:
            for name in ("row_ptr", "row_col", "row_val"):
                del state[name]
        memo = EdgeMemo(store, "test", {})
        memo.prepare(keys)
        assert memo.stored_rows() is None, damage


def _encode(array: np.ndarray) -> str:
    from claimgraph.claims.edgememo import _encode as encode

    return encode(array)


@pytest.mark.parametrize("seed", range(4))
def test_the_candidate_index_query_is_the_three_key_sort(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n, width = 300, 40
    dense = (rng.random((n, width)) < 0.15) * rng.random((n, width))
    matrix = sparse.csr_matrix(dense.astype(np.float32))
    rarity = np.round(rng.random(width) * 3, 1) + 0.1  # many ties: broken by the smaller column
    for weights in (rarity, None):
        index = CandidateIndex(matrix, query_features=3, max_df=60, rarity=weights)
        # the rule written out: each row's indexed columns by weight (descending) then column, the first three
        columns = index.columns
        weight = 1.0 / index.df[columns] if weights is None else weights[columns]
        picked = index.matrix[:, columns].tocsr()
        picked.sort_indices()
        for row in range(n):
            cols = picked.indices[picked.indptr[row] : picked.indptr[row + 1]].tolist()
            best = sorted(cols, key=lambda c: (-weight[c], c))[:3]
            got = index.query.indices[index.query.indptr[row] : index.query.indptr[row + 1]].tolist()
            assert sorted(got) == sorted(best), row
            assert index.query.data[index.query.indptr[row] : index.query.indptr[row + 1]].tolist() == [
                float(weight[c]) for c in sorted(best)
            ]


def test_arrays_are_kept_in_the_smallest_type_that_holds_them() -> None:
    from claimgraph.claims.edgememo import _compact, _decode

    cases = [
        ([0, 65535], "<u2"),
        ([-1, 4095], "<i2"),
        ([-1, 40000], "<i4"),
        ([0, 65536], "<i4"),
        ([-(2**31), 2**31 - 1], "<i4"),
        ([0, 2**31], "<i8"),
        ([], "<u2"),
    ]
    for values, dtype in cases:
        array = np.array(values, dtype=np.int64)
        packed = _compact(array)
        assert packed.dtype == np.dtype(dtype), values
        assert np.array_equal(_decode(_encode(packed)).astype(int), array)


@pytest.mark.parametrize("seed", range(4))
def test_stored_positions_are_those_a_dict_of_positions_gives(seed: int) -> None:
    from types import SimpleNamespace

    rng = np.random.default_rng(seed)
    stored = rng.integers(0, 60, size=int(rng.integers(0, 50))).astype("<u8")  # repeats: a damaged state
    hashes = rng.permutation(80)[: int(rng.integers(0, 70))].astype("<u8")
    old_of_new, new_of_old = EdgeMemo._positions(SimpleNamespace(items=stored), hashes)  # type: ignore[arg-type]
    where = {h: k for k, h in enumerate(stored.tolist())}
    assert old_of_new.tolist() == [where.get(h, -1) for h in hashes.tolist()]
    expected = np.full(len(stored), -1)
    for k, old in enumerate(old_of_new.tolist()):
        if old >= 0:
            expected[old] = k
    assert new_of_old.tolist() == expected.tolist()
