"""Shared by the memo tests (``test_component_memo``, ``test_edge_memo``, ``test_link_scores``): an in-memory stand-in for the
store's memo methods, and invented one-line stories to group."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any


class DictStore:
    """The two memo methods of a workspace store, in memory."""

    def __init__(self) -> None:
        self.data: dict[str, dict[str, Any]] = {}

    def get_memos(self, namespace: str, keys: Sequence[str]) -> dict[str, Any]:
        held = self.data.get(namespace, {})
        return {k: held[k] for k in keys if k in held}

    def replace_memos(self, namespace: str, values: dict[str, Any]) -> None:
        self.data[namespace] = dict(values)


def invented_stories(n: int, seed: int, common: Sequence[str], lines_per_story: int) -> list[str]:
    """``n`` invented one-line stories: each story has its own words (made-up letters), a line shares one
    ``common`` word with others now and then, and states a figure in a third of the lines; about
    ``lines_per_story`` lines per story."""
    rng = random.Random(seed)
    letters = "bcdfghklmnprstvz"
    stories = [
        ["".join(rng.choice(letters) + rng.choice("aeiou") for _ in range(3)) for _ in range(6)]
        for _ in range(n // lines_per_story + 1)
    ]
    out = []
    for _ in range(n):
        words = rng.sample(rng.choice(stories), 4)
        if rng.random() < 0.3:
            words.append(rng.choice(common))
        if rng.random() < 0.3:
            words.append(str(rng.choice([120, 340, 412])))
        out.append(" ".join(words))
    return out


#: Words of the invented one-line stories the memo and matrix tests group.
STORY_WORDS = [
    "ministry",
    "funds",
    "contractor",
    "flood",
    "audit",
    "report",
    "dam",
    "river",
    "police",
    "arrest",
    "mayor",
    "council",
    "budget",
    "strike",
    "port",
    "union",
    "wages",
    "vaccine",
    "trial",
    "hospital",
    "minister",
    "bridge",
    "collapse",
    "inquiry",
    "election",
    "ballots",
    "court",
    "ruling",
]


def three_runs(everything: list[Any], seed: int, changed: float) -> list[list[Any]]:
    """The item lists of three runs over ``everything`` (``(id, MatchItem)`` pairs): run 1 most items; run 2
    more, a few removed and a share ``changed`` of them given another entity set; run 3 all of them."""
    from claimgraph.claims.matching import MatchItem

    rng = random.Random(seed)
    first = [x for x in everything if rng.random() < 0.7]
    second = [x for x in everything if x in first or rng.random() < 0.5]
    second = [x for x in second if rng.random() < 0.95]
    second = [
        (sid, MatchItem(item.text, frozenset({"ent-e"}), item.summary))
        if rng.random() < changed
        else (sid, item)
        for sid, item in second
    ]
    return [first, second, everything]
