"""``stance._whole_word_in`` answers as the ``\\b``-delimited regex it replaces (no pattern compiled per set
of names: a compile per claim cost more than the accused-party searches themselves)."""

from __future__ import annotations

import random
import re

from claimgraph.claims.stance import _whole_word_in


def _regex(text: str, word: str) -> bool:
    return re.search(rf"\b{re.escape(word)}\b", text) is not None


def test_whole_word_search_agrees_with_the_regex_on_random_texts() -> None:
    rng = random.Random(12)
    alphabet = "ab _-.'é1"
    disagreements = []
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        word = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 3)))
        if _whole_word_in(text, word) != _regex(text, word):
            disagreements.append((text, word))
    assert disagreements == []


def test_whole_word_search_on_speaker_descriptions() -> None:
    assert _whole_word_in("ministry of defence of tarsk", "tarsk")
    assert not _whole_word_in("tarskian officials", "tarsk")
    for text in ("a u.s. official", "au.s. official", "the u.s.a"):
        assert _whole_word_in(text, "u.s.") == _regex(text, "u.s.")
    assert _whole_word_in("the brannick company", "brannick")
