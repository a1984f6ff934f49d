"""``DEMONYM_RE``'s first-character lookahead changes nothing but its speed."""

from __future__ import annotations

import random
import re

from claimgraph.attribution import demonyms
from claimgraph.reference.places import countries


def _plain_pattern() -> re.Pattern[str]:
    words = sorted({d for c in countries() for d in c.demonyms}, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + "|" + demonyms._SHAPE + r")\b")


def test_demonym_pattern_finds_what_the_plain_alternation_finds() -> None:
    plain = _plain_pattern()
    fast = demonyms._demonym_re()
    assert fast.pattern != plain.pattern
    words = sorted({d for c in countries() for d in c.demonyms})
    texts = [
        "Brenmark officials said Dutch and Congolese envoys met Iraqi and Bavarian delegates.",
        "the french minister; FRENCH; Frenchman; anti-Russian; 'Chinese' (Chinese-made) Ukrainians",
        "",
        "Ãlander Ánglish Émirati Ørsted Zambian-born",
    ]
    rng = random.Random(5)
    alphabet = [*"abcdefghijklmnopqrstuvwxyzAEGIRSTZ -'’.,é", *words]
    for _ in range(300):
        texts.append("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40))))
    for text in texts:
        got = [(m.start(), m.end()) for m in fast.finditer(text)]
        assert got == [(m.start(), m.end()) for m in plain.finditer(text)], text
