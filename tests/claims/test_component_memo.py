"""The clustering's components kept between runs (``matching.ComponentMemo``): reused groups give exactly the
result of a from-scratch clustering, and only with a matcher whose scores do not depend on the corpus."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from memo_helpers import STORY_WORDS, DictStore, invented_stories

from claimgraph import analyze
from claimgraph.claims import edgememo, matching, tfidf
from claimgraph.claims.embeddings import memo_matcher
from claimgraph.claims.matching import ComponentMemo, MatchItem, cluster
from claimgraph.claims.tfidf import TfidfMatcher
from claimgraph.options import Options
from claimgraph.store import Store

WORDS = STORY_WORDS


def _texts(n: int, seed: int) -> list[str]:
    return invented_stories(n, seed, WORDS, 6)


def _grouping(texts: list[str], store: DictStore | None) -> tuple[list[list[str]], ComponentMemo | None]:
    from claimgraph.claims.text import quantities

    matcher = TfidfMatcher(idf="fixed")
    items = [MatchItem(t) for t in texts]
    matcher.fit(items)
    memo = None
    if store is not None:
        memo = ComponentMemo(lambda x: texts[x], store, "test")
    groups = cluster(matcher, len(texts), 0.5, quantities=[quantities(t) for t in texts], memo=memo)
    if memo is not None:
        memo.save()
    return sorted(sorted(texts[x] for x in g) for g in groups), memo


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_reused_components_give_the_from_scratch_groups(seed: int) -> None:
    texts = list(dict.fromkeys(_texts(160, seed)))
    rng = random.Random(seed)
    first = [t for t in texts if rng.random() < 0.8]
    store = DictStore()
    _grouping(first, store)
    grown, memo = _grouping(texts, store)
    scratch, _ = _grouping(texts, None)
    assert memo is not None and memo.hits > 0 and memo.misses > 0  # some reused, some touched by new texts
    assert grown == scratch
    assert len(scratch) < len(texts)  # something was grouped


def test_a_stored_entry_is_what_the_run_uses() -> None:
    # the memo is read: a (valid) entry saying "apart" for a component keeps its items apart
    texts = ["flood audit ministry contractor", "flood audit ministry contractor report"]
    store = DictStore()
    together, _ = _grouping(texts, store)
    assert together == [sorted(texts)]
    (key,) = store.data["test"]
    store.data["test"][key] = []
    apart, memo = _grouping(texts, store)
    assert memo is not None and memo.hits == 1 and len(apart) == 2


def test_damaged_entries_are_misses() -> None:
    texts = ["flood audit ministry contractor", "flood audit ministry contractor report"]
    store = DictStore()
    _grouping(texts, store)
    (key,) = store.data["test"]
    for damaged in ([[0, 5]], [[0]], "x", [[0, 1], [1, 0]]):
        store.data["test"][key] = damaged
        again, memo = _grouping(texts, store)
        assert memo is not None and memo.misses == 1 and again == [sorted(texts)]


def test_only_a_matcher_whose_scores_ignore_the_corpus_keeps_components(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = DictStore()
    monkeypatch.setattr(tfidf, "DEFAULT_IDF", "corpus")
    assert memo_matcher("claimgraph.tfidf_matcher.v1", store).component_store is None
    monkeypatch.setattr(tfidf, "DEFAULT_IDF", "fixed")
    assert memo_matcher("claimgraph.tfidf_matcher.v1", store).component_store is store


def test_two_batches_with_the_fixed_idf_give_the_from_scratch_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fnc1_body_files: Callable[..., list[Path]]
) -> None:
    monkeypatch.setattr(tfidf, "DEFAULT_IDF", "fixed")
    counts: list[tuple[int, int]] = []
    save = matching.ComponentMemo.save

    def counting_save(self: ComponentMemo) -> None:
        counts.append((self.hits, self.misses))
        save(self)

    monkeypatch.setattr(matching.ComponentMemo, "save", counting_save)
    edge_reads: list[tuple[bool, int]] = []
    save_edges = edgememo.EdgeMemo.save

    def counting_edges(self: edgememo.EdgeMemo) -> None:
        edge_reads.append((self.read, self.kept))
        save_edges(self)

    monkeypatch.setattr(edgememo.EdgeMemo, "save", counting_edges)
    files = fnc1_body_files(tmp_path / "in", 16)  # several stories (the sample is one)
    first, second = files[: len(files) // 2], files[len(files) // 2 :]
    options = Options(frozen_time="2026-01-01T00:00:00Z", n_process=1, progress=False, formats=("json",))
    analyze(first, tmp_path / "incremental", options=options)
    grown = analyze([*first, *second], tmp_path / "incremental", options=options)
    reused = counts[-1]
    scratch = analyze([*first, *second], tmp_path / "scratch", options=options)
    assert reused[0] > 0  # the second batch reused components of the first
    assert counts[-1] == (0, sum(reused))  # from scratch: the same components, all computed
    # the second batch read the first's graph and kept some of its edges; the from-scratch run had none to read
    assert [read for read, _ in edge_reads] == [False, True, False] and edge_reads[1][1] > 0
    assert grown.corpus.to_dict() == scratch.corpus.to_dict()
    assert (tmp_path / "incremental" / "claimgraph.json").read_bytes() == (
        tmp_path / "scratch" / "claimgraph.json"
    ).read_bytes()
    with Store.open(tmp_path / "incremental" / "claimgraph.db", readonly=True) as store:
        assert store.load_corpus().to_dict() == grown.corpus.to_dict()


class PairMatcher:
    """A matcher with given candidate pairs and scores (a corpus's candidate generation may drop a pair
    between old items, e.g. by its top-``k`` cap, without changing the items)."""

    linkage = "representative"
    corpus_independent = True

    def __init__(self, pairs: dict[tuple[int, int], float]) -> None:
        self.pairs = pairs

    def fit(self, items: Sequence[MatchItem]) -> None:
        pass

    def candidates(self) -> tuple[Any, Any]:
        import numpy as np

        keys = sorted(self.pairs)
        return np.array([a for a, _ in keys], dtype=np.int64), np.array([b for _, b in keys], dtype=np.int64)

    def similarity(self, i: Any, j: Any) -> Any:
        import numpy as np

        return np.array([self.pairs.get((min(a, b), max(a, b)), 0.0) for a, b in zip(i, j, strict=True)])


def test_the_same_items_with_other_edges_are_computed_again() -> None:
    store = DictStore()
    names = ["a", "b", "c"]

    def run(pairs: dict[tuple[int, int], float]) -> tuple[list[list[int]], ComponentMemo]:
        memo = ComponentMemo(lambda x: names[x], store, "test")
        groups = cluster(PairMatcher(pairs), 3, 0.5, memo=memo)
        memo.save()
        return groups, memo

    together, _ = run({(0, 1): 0.9, (1, 2): 0.9, (0, 2): 0.9})
    assert together == [[0, 1, 2]]
    # the chain guard: without the (0, 2) edge, c's representative pair scores 0 and c stays apart
    apart, memo = run({(0, 1): 0.9, (1, 2): 0.9})
    assert (memo.hits, memo.misses) == (0, 1) and apart == [[0, 1], [2]]


def test_the_stages_key_changes_with_what_the_guards_read_of_an_item() -> None:
    # the same two texts: one group while both have the same first actor, two once the second's first actor
    # differs (a changed entity resolution in a later run); a key of the texts alone would reuse the stale group
    from claimgraph.claims.stage import _component_memo, _item_keys

    store = DictStore()
    texts = ["flood audit ministry contractor", "flood audit ministry contractor report"]

    def run(subjects: list[str | None], entities: list[set[str]]) -> tuple[list[list[int]], ComponentMemo]:
        matcher = TfidfMatcher(idf="fixed")
        matcher.component_store = store
        items = [MatchItem(t, frozenset(e)) for t, e in zip(texts, entities, strict=True)]
        matcher.fit(items)
        figures: list[frozenset[str]] = [frozenset(), frozenset()]
        memo = _component_memo(matcher, Options(), _item_keys(matcher, items, figures, subjects))
        assert memo is not None
        groups = cluster(matcher, 2, 0.5, quantities=figures, subjects=subjects, memo=memo)
        memo.save()
        return groups, memo

    together, _ = run(["ent-a", "ent-a"], [{"ent-a"}, {"ent-a"}])
    assert together == [[0, 1]]
    again, memo = run(["ent-a", "ent-a"], [{"ent-a"}, {"ent-a"}])
    assert (memo.hits, memo.misses) == (1, 0) and again == together
    apart, memo = run(["ent-a", "ent-b"], [{"ent-a"}, {"ent-a"}])
    assert (memo.hits, memo.misses) == (0, 1) and apart == [[0], [1]]
    other_entities, memo = run(["ent-a", "ent-a"], [{"ent-a"}, {"ent-a", "ent-c"}])
    assert (memo.hits, memo.misses) == (0, 1) and other_entities == [[0, 1]]


def _component_keys_one_by_one(
    key_of: Callable[[int], str], n: int, i: Any, j: Any, scores: Any
) -> list[tuple[str, list[int]]]:
    """The components' keys as ``ComponentMemo.reuse`` made them before they were written all at once: one
    digest per component, fed member by member, then pair by pair."""
    import hashlib

    import numpy as np
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    graph = coo_matrix((np.ones(len(i), dtype=np.int8), (i, j)), shape=(n, n))
    _count, label = connected_components(graph, directed=False)
    nodes = np.unique(np.concatenate([i, j]))
    nodes = nodes[np.lexsort((nodes, label[nodes]))]
    node_bounds = np.flatnonzero(np.diff(label[nodes])) + 1
    pair_order = np.lexsort((j, i, label[i]))
    pair_bounds = np.flatnonzero(np.diff(label[i][pair_order])) + 1
    out = []
    for members, pairs in zip(np.split(nodes, node_bounds), np.split(pair_order, pair_bounds), strict=True):
        digest = hashlib.sha256()
        for x in members.tolist():
            digest.update(key_of(x).encode("utf-8"))
            digest.update(b"\0")
        left, right = np.searchsorted(members, i[pairs]), np.searchsorted(members, j[pairs])
        for a, b, score in zip(left.tolist(), right.tolist(), scores[pairs].tolist(), strict=True):
            digest.update(f"{a} {b} {score!r};".encode("ascii"))
        out.append((digest.hexdigest(), members.tolist()))
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_components_keys_are_those_made_one_component_at_a_time(seed: int) -> None:
    import numpy as np

    from claimgraph.identity import UnionFind

    rng = random.Random(seed)
    n = 300
    pairs = sorted({(a, b) for a, b in ((rng.randrange(n), rng.randrange(n)) for _ in range(400)) if a < b})
    i = np.array([a for a, _ in pairs], dtype=np.int64)
    j = np.array([b for _, b in pairs], dtype=np.int64)
    scores = np.array([rng.random() for _ in pairs])
    names = [f"item-{x}-é" for x in range(n)]
    memo = ComponentMemo(names.__getitem__)
    memo.reuse(UnionFind(n), n, i, j, scores)
    made = [(key, members.tolist()) for key, members in memo._computed]
    assert made == _component_keys_one_by_one(names.__getitem__, n, i, j, scores)
    assert len(made) >= 10  # many components, of several sizes
