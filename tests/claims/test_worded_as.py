"""``worded_as`` (a statement worded as a claim) is ``display_text(text) == claim_text`` on every pair of texts
with and without paragraph breaks, blank heads, trailing spaces and shared prefixes."""

from __future__ import annotations

import itertools

from claimgraph.claims.attach_rules import display_text, worded_as

PIECES = ["Ministers diverted funds", "  ", "\n\n", "\n \t\n", "the audit says", "", ".", "\n", "x", "12"]


def test_worded_as_is_the_display_text_rule() -> None:
    texts = sorted({"".join(parts) for n in range(1, 4) for parts in itertools.product(PIECES, repeat=n)})
    claims = sorted({display_text(t) for t in texts} | set(texts[:200]))
    worded = 0
    for text in texts:
        for claim in claims:
            expected = display_text(text) == claim
            assert worded_as(text, claim) == expected, (text, claim)
            worded += expected
    assert worded >= len(texts)  # every text is worded as its own display text
