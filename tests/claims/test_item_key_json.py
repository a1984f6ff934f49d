"""The clustering memos' item key text (``stage._key_json``) is ``json.dumps`` of the same list, byte for byte."""

from __future__ import annotations

import json
import random

from claimgraph.claims.stage import _key_json

#: Characters JSON escapes or keeps: quotes, backslashes, control characters, non-ASCII, a lone surrogate.
ALPHABET = [
    "a",
    "Z",
    " ",
    '"',
    "\\",
    "/",
    "\n",
    "\t",
    "\x00",
    "\x1f",
    "\x7f",
    "é",
    "€",
    "中",
    "😀",
    "\ud800",
    "'",
]


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 6)))


def test_key_text_is_json_dumps_of_the_list() -> None:
    rng = random.Random(7)
    for _ in range(3000):
        text = _word(rng) * rng.randint(0, 3)
        entity_ids = frozenset(_word(rng) for _ in range(rng.randint(0, 4)))
        summary = rng.random() < 0.5
        names = frozenset(_word(rng) for _ in range(rng.randint(0, 5)))
        figures = frozenset(str(rng.randint(0, 10**7)) for _ in range(rng.randint(0, 3)))
        subject = rng.choice([None, _word(rng)])
        expected = json.dumps(
            [text, sorted(entity_ids), summary, sorted(names), sorted(figures), subject], ensure_ascii=False
        )
        assert _key_json(text, entity_ids, summary, names, figures, subject) == expected
