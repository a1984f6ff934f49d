"""Claim matching: which statements make the same claim.

A *matcher* (registered in ``registry.claim_matchers``) turns the statements' texts into vectors,
proposes candidate pairs **without comparing all pairs**, and scores any pair. :func:`cluster` then
joins candidate pairs above the threshold with a union-find that refuses chains: two groups merge
only if their representatives (each group's earliest statement) are themselves similar enough.

Candidate generation (:func:`sparse_candidates`) is a blocked sparse product: each row queries the
index only through its ``m`` rarest features, and features held by more than ``max_df`` rows are
left out of the index (they block nothing useful). Rows are processed in chunks and only the top
``k`` neighbours per row are kept, so time and memory grow linearly with the number of statements.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from ..identity import UnionFind

if TYPE_CHECKING:
    import numpy as np
    from scipy import sparse

__all__ = [
    "CandidateIndex",
    "ClaimMatcher",
    "ComponentMemo",
    "LinkScores",
    "MatchItem",
    "UnionFind",
    "cluster",
    "entity_jaccard",
    "group_texts",
    "sparse_candidates",
    "unique_pairs",
]

#: Two groups merge only when their representatives score at least this fraction of the threshold.
CHAIN_GUARD = 0.8
#: Average linkage compares at most this many members (the earliest) of each group.
LINK_MEMBERS = 12
#: Weight of entity overlap in a pair's score when both statements name entities.
ENTITY_WEIGHT = 0.15


@dataclass(frozen=True)
class MatchItem:
    """One statement as the matcher sees it."""

    text: str
    entity_ids: frozenset[str] = frozenset()
    summary: bool = True
    """A document's own summary of what it reports (a headline, an article's lead): where semantic
    matchers compare meaning. Other sentences are compared on their wording (see ``embeddings``)."""
    names: frozenset[str] = frozenset()
    """Matching tokens (:func:`~claimgraph.claims.text.content_tokens`) that name the statement's own
    actors: the lexical score weighs them as an ordinary content word (``tfidf.fixed_idf``), since a
    name recurs through its whole story; shared actors are the entity term's part."""


class ClaimMatcher(Protocol):
    """What :func:`cluster` needs from a matcher."""

    def fit(self, items: Sequence[MatchItem]) -> None: ...

    def candidates(self) -> tuple[np.ndarray, np.ndarray]:
        """Candidate pairs ``(i, j)`` with ``i < j``, deduplicated."""
        ...

    def similarity(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Scores in [0, 1] for the pairs ``(i[k], j[k])``."""
        ...


def cluster(
    matcher: ClaimMatcher,
    n: int,
    threshold: float,
    *,
    chain_guard: float = CHAIN_GUARD,
    quantities: Sequence[frozenset[str]] | None = None,
    linkage: str | None = None,
    kinds: Sequence[int] | None = None,
    figure_presence: bool = False,
    subjects: Sequence[str | None] | None = None,
    memo: ComponentMemo | None = None,
    edges: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
    keep: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None,
    links: LinkScores | None = None,
) -> list[list[int]]:
    """Groups of item indices (each sorted, groups sorted by first index), singletons included.

    Items must be given earliest first: a group's representative is its smallest index.
    ``quantities`` (each item's specific numbers, :func:`claimgraph.claims.text.quantities`) add a
    guard: two groups that both state numbers, none of them shared, stay apart ("412 detainees are
    held" and "380 detainees are held" are different claims, however alike their words).

    Every decision about a pair reads only the pair's connected component of the graph of candidate
    pairs at or above ``threshold`` (its union-find roots, members, figures and first actors, the
    matcher's scores of its items, and the order of its pairs, by score then index). With a matcher
    whose scores depend on the two items only (``corpus_independent``), a component's groups are thus a
    function of its items and its edges: ``memo`` (:class:`ComponentMemo`) gives back the groups of
    components seen before and keeps this run's. ``edges``: the candidate pairs at or above ``threshold``
    with their scores, when the caller has them (:class:`~claimgraph.claims.edgememo.EdgeMemo`): the
    matcher's candidates are then not generated. ``keep``: a mask over the pairs at or above ``threshold``,
    false for a pair that may not join (its two items' context tells them apart); applied before the
    components are formed, so a component and its key are made of the kept pairs only. ``links``: where
    average (or complete) linkage takes its member pairs' scores from (:class:`LinkScores`, each pair scored
    once, or taken from an earlier run); by default the matcher scores them at every comparison.
    """

    if n == 0:
        return []
    uf = UnionFind(n)
    if n > 1:
        if edges is not None:
            i, j, scores = edges
        else:
            i, j = matcher.candidates()
            scores = matcher.similarity(i, j) if len(i) else i.astype(float)
            above = scores >= threshold
            i, j, scores = i[above], j[above], scores[above]
        if keep is not None and len(i):
            kept = keep(i, j)
            i, j, scores = i[kept], j[kept], scores[kept]
        if len(i):
            if memo is not None:
                i, j, scores = memo.reuse(uf, n, i, j, scores)
            if linkage is None:
                linkage = getattr(matcher, "linkage", "representative")
            _merge_pairs(
                matcher, uf, n, i, j, scores, threshold * chain_guard, linkage,
                quantities=quantities, kinds=kinds, figure_presence=figure_presence, subjects=subjects,
                links=links,
            )  # fmt: skip
            if memo is not None:
                memo.record(uf)
    groups: dict[int, list[int]] = {}
    for x in range(n):
        groups.setdefault(uf.find(x), []).append(x)
    return sorted(groups.values(), key=lambda g: g[0])


def _merge_pairs(
    matcher: ClaimMatcher,
    uf: UnionFind,
    n: int,
    i: np.ndarray,
    j: np.ndarray,
    scores: np.ndarray,
    guard: float,
    linkage: str,
    *,
    quantities: Sequence[frozenset[str]] | None,
    kinds: Sequence[int] | None,
    figure_presence: bool,
    subjects: Sequence[str | None] | None,
    links: LinkScores | None = None,
) -> None:
    """:func:`cluster`'s union-find over pairs at or above the threshold, strongest first, under the guards."""
    import numpy as np

    # the figures and first actors of the pairs' items only: every root met below is one of them (the pairs'
    # union-find roots are their own items at first, and a union's root is one of its two roots; the items
    # of other components, joined by ``ComponentMemo.reuse``, are in no pair)
    involved = np.unique(np.concatenate([i, j])).tolist() if len(i) else []
    group_numbers: dict[int, frozenset[str]] | None = None
    if quantities is not None:
        group_numbers = {k: q for k in involved if (q := quantities[k])}
    order = np.lexsort((j, i, -scores))
    members: dict[int, list[int]] = {}
    group_subjects: dict[int, frozenset[str]] = (
        {k: frozenset([x]) for k in involved if (x := subjects[k])} if subjects is not None else {}
    )
    for a, b in zip(i[order].tolist(), j[order].tolist(), strict=True):
        ra, rb = uf.find(a), uf.find(b)
        if ra == rb:
            continue
        if kinds is not None and kinds[a] != kinds[b]:
            continue  # a statement and a stance on it are two propositions
        if subjects is not None:
            sa, sb = group_subjects.get(ra), group_subjects.get(rb)
            if sa and sb and not sa & sb:
                continue  # different first actors: different propositions
        left_members, right_members = members.get(ra, [ra]), members.get(rb, [rb])
        if linkage in ("average", "complete") and (len(left_members) > 1 or len(right_members) > 1):
            if links is not None:
                link = links.link(left_members[:LINK_MEMBERS], right_members[:LINK_MEMBERS])
            else:
                left = np.array(left_members[:LINK_MEMBERS], dtype=np.int64)
                right = np.array(right_members[:LINK_MEMBERS], dtype=np.int64)
                link = matcher.similarity(np.repeat(left, len(right)), np.tile(right, len(left)))
            if float(link.mean() if linkage == "average" else link.min()) < guard:
                continue
        elif linkage == "representative" and (ra, rb) != (a, b) and (ra, rb) != (b, a):
            pair = getattr(matcher, "pair", None)
            if pair is not None:
                rep_score = float(pair(ra, rb))
            else:
                rep_score = float(matcher.similarity(np.array([ra]), np.array([rb]))[0])
            if rep_score < guard:
                continue
        if group_numbers is not None:
            qa, qb = group_numbers.get(ra, frozenset()), group_numbers.get(rb, frozenset())
            if qa and qb and not qa & qb:
                continue  # different figures: different claims
            if figure_presence and bool(qa) != bool(qb):
                continue  # a specific figure is part of the proposition
            root = uf.union(ra, rb)
            group_numbers[root] = qa | qb
        else:
            root = uf.union(ra, rb)
        other = rb if root == ra else ra
        if subjects is not None:
            merged = group_subjects.get(ra, frozenset()) | group_subjects.get(rb, frozenset())
            group_subjects.pop(other, None)
            if merged:
                group_subjects[root] = merged
        members.pop(other, None)
        members[root] = sorted(left_members + right_members)[:LINK_MEMBERS]


class LinkScores:
    """The matcher's scores of the member pairs that :func:`cluster`'s average (or complete) linkage compares,
    each pair scored once in a run (a group's earliest members are compared again each time it meets another
    group) and, given ``known``, taken from an earlier run.

    Only for a matcher whose score of a pair depends on the two items alone, whatever else one call scores
    (claimgraph's own: a pair's TF-IDF products are added in column order, its vectors' product taken row by
    row; ``tests/claims/test_link_scores.py`` checks batches of every size against one another): then a
    stored score is the bits the matcher gives now, and :meth:`link` gives the array a call of the matcher
    over the same pairs would. ``known``: scores by pair code ``a * n + b`` (``a`` compared as the left
    member), e.g. those :class:`~claimgraph.claims.edgememo.EdgeMemo` kept of the previous run's items that
    are unchanged. :attr:`asked` holds the codes this run compared (what a later run may reuse)."""

    def __init__(self, matcher: ClaimMatcher, n: int, known: Mapping[int, float] | None = None) -> None:
        self.matcher = matcher
        self.n = n
        self.scores: dict[int, float] = dict(known) if known else {}
        """Scores by pair code, the known ones and those computed in this run."""
        self.asked: set[int] = set()
        self.computed = 0
        """Pairs the matcher scored in this run (the others were known or asked before)."""

    def link(self, left: Sequence[int], right: Sequence[int]) -> np.ndarray:
        """The scores of every pair of a ``left`` and a ``right`` item, left-major: the values (float64) of
        ``matcher.similarity(np.repeat(left, len(right)), np.tile(right, len(left)))``; the pairs not scored yet
        in one call of the matcher."""
        import numpy as np

        n = self.n
        codes = [a * n + b for a in left for b in right]
        self.asked.update(codes)
        get = self.scores.get
        values = [get(code) for code in codes]
        if None in values:
            missing = list(
                dict.fromkeys(code for code, value in zip(codes, values, strict=True) if value is None)
            )
            asked = np.array(missing, dtype=np.int64)
            fresh = self.matcher.similarity(asked // n, asked % n)
            self.scores.update(zip(missing, np.asarray(fresh, dtype=np.float64).tolist(), strict=True))
            self.computed += len(missing)
            values = [get(code) for code in codes]
        return np.array(values, dtype=np.float64)


class ComponentMemo:
    """The groups :func:`cluster` made of each connected component of its graph (candidate pairs at or above
    the threshold), kept under a key of the component's inputs, so that a later run reuses the groups of
    every component no new or changed statement touches.

    A component's key is the SHA-256 of its items' keys (``key_of``: a digest of everything the matcher's
    score and the guards read of an item: text, entity ids, summary flag, actor tokens, figures, first
    actor), in order, and of its edges with their scores. Only valid for a matcher whose pair scores depend
    on the two items alone (``corpus_independent``; the caller checks). ``store``: a workspace store with
    ``get_memos`` / ``replace_memos``; entries are kept under ``namespace`` (which names the code, the
    matcher and the threshold)."""

    def __init__(self, key_of: Callable[[int], str], store: Any = None, namespace: str = "") -> None:
        self.key_of = key_of
        self.store = store
        self.namespace = namespace
        self.entries: dict[str, list[list[int]]] = {}
        """This run's components: key -> groups of two or more items, as positions in the component."""
        self._computed: list[tuple[str, np.ndarray]] = []
        self.hits = 0
        self.misses = 0

    def _load(self, keys: list[str]) -> dict[str, Any]:
        if self.store is None or not keys:
            return {}
        return dict(self.store.get_memos(self.namespace, keys))

    def reuse(
        self, uf: UnionFind, n: int, i: np.ndarray, j: np.ndarray, scores: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Join the groups of known components in ``uf``; return the pairs of the others (still to merge)."""
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
        pair_labels = label[i][pair_order]
        pair_bounds = np.flatnonzero(np.diff(pair_labels)) + 1
        # a component's key: SHA-256 of each member's key followed by NUL, then "a b score;" for each of its
        # pairs (a, b: the positions of its two items among the members), written for all components at
        # once and cut per component (tested against the digest made member by member, pair by pair)
        node_starts = np.concatenate([[0], node_bounds, [len(nodes)]]).astype(np.int64)
        position = np.zeros(n, dtype=np.int64)
        position[nodes] = np.arange(len(nodes)) - np.repeat(node_starts[:-1], np.diff(node_starts))
        pair_texts = [
            f"{a} {b} {score!r};"
            for a, b, score in zip(
                position[i[pair_order]].tolist(),
                position[j[pair_order]].tolist(),
                scores[pair_order].tolist(),
                strict=True,
            )
        ]
        node_keys = [self.key_of(x) for x in nodes.tolist()]
        pair_starts = np.concatenate([[0], pair_bounds, [len(pair_order)]]).astype(np.int64).tolist()
        components: list[tuple[str, np.ndarray]] = []
        for c, (start, end) in enumerate(
            zip(node_starts[:-1].tolist(), node_starts[1:].tolist(), strict=True)
        ):
            text = (
                "\0".join(node_keys[start:end])
                + "\0"
                + "".join(pair_texts[pair_starts[c] : pair_starts[c + 1]])
            )
            components.append((hashlib.sha256(text.encode("utf-8")).hexdigest(), nodes[start:end]))
        known = self._load([key for key, _ in components])
        todo = np.zeros(n, dtype=bool)
        for key, members in components:
            groups = known.get(key)
            if _valid_groups(groups, len(members)):
                assert groups is not None
                for group in groups:
                    for position in group[1:]:
                        uf.union(int(members[group[0]]), int(members[position]))
                self.entries[key] = groups
                self.hits += 1
            else:
                todo[members] = True
                self._computed.append((key, members))
                self.misses += 1
        mask = todo[i]
        return i[mask], j[mask], scores[mask]

    def record(self, uf: UnionFind) -> None:
        """Keep the groups of the components computed in this run (after :func:`cluster` merged them)."""
        for key, members in self._computed:
            by_root: dict[int, list[int]] = {}
            for position, x in enumerate(members.tolist()):
                by_root.setdefault(uf.find(x), []).append(position)
            self.entries[key] = [group for group in by_root.values() if len(group) > 1]
        self._computed = []

    def save(self) -> None:
        """Make the store's namespace hold exactly this run's components."""
        if self.store is not None and not getattr(self.store, "readonly", False):
            self.store.replace_memos(self.namespace, self.entries)


def _valid_groups(groups: Any, size: int) -> bool:
    """A stored entry: disjoint groups of two or more positions below ``size``."""
    if not isinstance(groups, list):
        return False
    seen: set[int] = set()
    for group in groups:
        if not isinstance(group, list) or len(group) < 2:
            return False
        for position in group:
            if not isinstance(position, int) or not 0 <= position < size or position in seen:
                return False
            seen.add(position)
    return True


def sparse_candidates(
    matrix: sparse.csr_matrix,
    *,
    k: int = 20,
    query_features: int = 6,
    max_df: int = 200,
    chunk: int = 2048,
    rarity: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Top-``k`` neighbours of each row through its ``query_features`` rarest features (df <= ``max_df``).

    ``matrix`` is an (n x features) CSR matrix of non-negative weights. Returns pairs ``i < j``.
    ``rarity``: each feature's fixed rarity (an IDF table's weight): which features of a row are its
    rarest, and how much a shared one counts, then do not depend on the corpus (``None``: ``1 / df``).
    Ties are broken by position (the smaller feature column, the earlier row), so a row's neighbours
    depend only on its own query and the index's rows holding those features (:class:`CandidateIndex`).
    """
    import numpy as np

    n = matrix.shape[0]
    if n < 2:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    index = CandidateIndex(matrix, query_features=query_features, max_df=max_df, rarity=rarity)
    rows, cols = index.neighbours(np.arange(n, dtype=np.int64), k, chunk=chunk)
    return unique_pairs(rows, cols, n)


def unique_pairs(rows: np.ndarray, cols: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """The pairs ``(min, max)`` of ``(rows[k], cols[k])``, deduplicated, sorted."""
    import numpy as np

    lo_idx = np.minimum(rows, cols).astype(np.int64)
    hi_idx = np.maximum(rows, cols).astype(np.int64)
    pairs = lo_idx * n + hi_idx
    pairs.sort(kind="stable")  # sort + neighbour test: cheaper than np.unique's hashing at this size
    if len(pairs):
        pairs = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))]
    return (pairs // n).astype(np.int64), (pairs % n).astype(np.int64)


class CandidateIndex:
    """:func:`sparse_candidates`' blocked sparse product, queryable for any subset of rows.

    A feature is *indexed* when 2 <= df <= ``max_df``. A row's query is its ``query_features`` indexed
    features of highest rarity (ties: the smaller column); its score for another row is the sum, over the
    query features that row holds, of the feature's query weight times its index weight; its neighbours are
    the ``k`` best-scored other rows (ties: the earlier row). So a row's neighbours change only when the
    posting (the rows holding it) of one of its features that is indexed before or after a change changes
    (``docs/claims.md``, "Candidates kept between runs")."""

    def __init__(
        self,
        matrix: sparse.csr_matrix,
        *,
        query_features: int = 6,
        max_df: int = 200,
        rarity: np.ndarray | None = None,
    ) -> None:
        import numpy as np
        from scipy import sparse

        matrix = sparse.csr_matrix(matrix)
        self.matrix = matrix
        self.max_df = max_df
        self.n = int(matrix.shape[0])
        self.df = np.bincount(matrix.indices, minlength=matrix.shape[1]).astype(np.int64)
        self.indexed = (self.df >= 2) & (self.df <= max_df)
        columns = np.flatnonzero(self.indexed)
        self.columns = columns
        """The indexed features' columns in ``matrix`` (the columns of :attr:`query`)."""
        index = matrix[:, columns].tocsr()
        index.sort_indices()
        index.data = np.ones_like(index.data, dtype=np.float64)
        indexed_df = self.df[columns].astype(np.float64)
        weight = 1.0 / indexed_df if rarity is None else np.asarray(rarity, dtype=np.float64)[columns]
        # the query side keeps each row's ``query_features`` rarest indexed features (ties: smaller column)
        owner = np.repeat(np.arange(self.n, dtype=np.int64), np.diff(index.indptr))
        # entries by row, then weight (descending), then column: one integer key per entry, each column's
        # place in the (weight descending, column) order after its row's (the order of a lexsort of the three)
        place = np.empty(len(columns), dtype=np.int64)
        place[np.lexsort((np.arange(len(columns)), -weight))] = np.arange(len(columns), dtype=np.int64)
        order = np.argsort(owner * max(1, len(columns)) + place[index.indices], kind="stable")
        rank = np.arange(len(order), dtype=np.int64) - np.repeat(index.indptr[:-1], np.diff(index.indptr))
        keep = np.zeros(len(order), dtype=bool)
        keep[order[rank < query_features]] = True
        query = index.copy()
        query.data = np.where(keep, weight[query.indices], 0.0)
        query.eliminate_zeros()
        self.query = query
        """Each row's query features (columns: :attr:`columns`) with their query weights."""
        index_weight = 1.0 / np.sqrt(indexed_df) if rarity is None else weight
        self.index_t = sparse.csr_matrix(index.multiply(index_weight[np.newaxis, :])).T.tocsr()

    def neighbours(self, rows: np.ndarray, k: int, *, chunk: int = 2048) -> tuple[np.ndarray, np.ndarray]:
        """``(row, neighbour)`` for each of ``rows``' top-``k`` neighbours (in no particular order)."""
        owner, cols, _scores, _rank = self.ranked(rows, k, chunk=chunk)
        return owner, cols

    def ranked(
        self, rows: np.ndarray, k: int, *, chunk: int = 2048
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """:meth:`neighbours` with each neighbour's score and rank (0: the best), grouped by row."""
        import numpy as np

        rows = np.asarray(rows, dtype=np.int64)
        parts: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
        for start in range(0, len(rows), chunk):
            block = rows[start : start + chunk]
            owner, cols, vals = self.scores(block)
            if not len(owner):
                continue
            order = np.lexsort((cols, -vals, owner))
            owner, cols, vals = owner[order], cols[order], vals[order]
            first = np.concatenate(([True], owner[1:] != owner[:-1]))
            starts = np.flatnonzero(first)
            rank = np.arange(len(owner), dtype=np.int64) - np.repeat(
                starts, np.diff(np.append(starts, len(owner)))
            )
            top = rank < k
            parts.append((owner[top], cols[top], vals[top], rank[top]))
        if not parts:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, np.zeros(0, dtype=np.float64), empty
        return tuple(np.concatenate([p[x] for p in parts]) for x in range(4))  # type: ignore[return-value]

    def scores(
        self, rows: np.ndarray, among: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(row, other, score)`` for every other row (of ``among``; ``None``: all) that ``rows``' queries
        reach (score > 0); a row's score for another is summed over its query features in column order,
        whatever the two sets."""
        import numpy as np
        from scipy import sparse

        rows = np.asarray(rows, dtype=np.int64)
        if among is None:
            among = np.arange(self.n, dtype=np.int64)
            index_t = self.index_t
        else:
            among = np.asarray(among, dtype=np.int64)
            index_t = self.index_t[:, among]
        product = sparse.csr_matrix(self.query[rows] @ index_t)
        owner = rows[np.repeat(np.arange(len(rows), dtype=np.int64), np.diff(product.indptr))]
        cols = among[product.indices.astype(np.int64)]
        vals = product.data.astype(np.float64)
        other = cols != owner
        return owner[other], cols[other], vals[other]


def entity_jaccard(
    entities: sparse.csr_matrix, i: np.ndarray, j: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Jaccard of the entity sets of pairs, and a mask of pairs where both sides name entities."""
    import numpy as np

    from .tfidf import pair_dot

    sizes = np.diff(entities.indptr)
    inter = pair_dot(entities, i, j)
    union = sizes[i] + sizes[j] - inter
    both = (sizes[i] > 0) & (sizes[j] > 0)
    jac = np.divide(inter, union, out=np.zeros(len(i), dtype=np.float64), where=union > 0)
    return jac, both


def group_texts(
    texts: Sequence[str],
    matcher_name: str,
    threshold: float,
    *,
    kind: str = "statement",
    entities: Sequence[frozenset[str]] | None = None,
) -> list[int]:
    """One group id per text: the claim grouping of plain texts (the matcher and :func:`cluster`, as
    the claims stage runs them, without attribution). ``kind="body"`` groups whole articles by their
    lead (:data:`LEAD_SENTENCES` first sentences), where news states the claim it reports.
    ``entities``: each text's entity ids (none by default)."""
    from ..registry import registry
    from .text import quantities

    if kind == "body":
        texts = [lead(t) for t in texts]
    matcher = registry.claim_matchers.get(matcher_name)()
    if not texts:
        return []
    if entities is None:
        entities = [frozenset()] * len(texts)
    matcher.fit([MatchItem(t, e) for t, e in zip(texts, entities, strict=True)])
    groups = cluster(matcher, len(texts), threshold, quantities=[quantities(t) for t in texts])
    labels = [0] * len(texts)
    for g, members in enumerate(groups):
        for x in members:
            labels[x] = g
    return labels


#: An article's lead: its first sentences.
LEAD_SENTENCES = 3
#: Where :func:`lead` and :func:`lead_end` split sentences: after a full stop, question or exclamation mark, and
#: at line breaks.
_SENTENCE_BREAK = r"(?<=[.!?])\s+|\n+"


def lead(text: str, sentences: int = LEAD_SENTENCES) -> str:
    import re

    parts = [p for p in re.split(_SENTENCE_BREAK, text.strip()) if p.strip()]
    return " ".join(parts[:sentences])


def lead_end(text: str, sentences: int = LEAD_SENTENCES) -> int:
    """The character offset in ``text`` where its lead (:func:`lead`: the first ``sentences`` sentences) ends."""
    import re

    count = 0
    position = 0
    for brk in re.finditer(_SENTENCE_BREAK, text):
        if text[position : brk.start()].strip():
            count += 1
            if count >= sentences:
                return brk.start()
        position = brk.end()
    return len(text)
