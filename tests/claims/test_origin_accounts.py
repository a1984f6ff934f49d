"""``OriginAccounts`` (each claim's origin account made when asked) against the rule written for all claims at once."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

from claimgraph.claims.attach_rules import OriginAccounts, display_text
from claimgraph.model import Claim, Statement


def _corpus(rng: random.Random) -> tuple[list[Claim], list[Statement], dict[str, Claim], dict[str, str]]:
    """Invented documents, speakers (in source groups), texts and claims; some statements in no claim, some
    claims worded as one of their statements, some as none."""
    texts = [f"text {k}" for k in range(6)]
    groups = {f"s{k}": f"g{k % 3}" for k in range(7)}
    statements = [
        Statement(
            id=f"st{k}",
            document_id=f"d{rng.randrange(4)}",
            source_id=rng.choice(sorted(groups)),
            text=rng.choice(texts),
            cue=None,
            mode="direct",
            certainty="asserted",
            certainty_cues=[],
            start=k,
            end=k + 1,
        )
        for k in range(rng.randrange(1, 30))
    ]
    claims: list[Claim] = []
    claim_of: dict[str, Claim] = {}
    free = list(statements)
    rng.shuffle(free)
    while free and rng.random() < 0.85:
        members = [free.pop() for _ in range(min(len(free), rng.randrange(1, 5)))]
        wording = rng.choice([*(m.text for m in members), "no statement's text"])
        claim = Claim(
            id=f"c{len(claims)}", text=wording, statement_ids=[m.id for m in members], first_seen=None
        )
        claims.append(claim)
        for m in members:
            claim_of[m.id] = claim
    return claims, statements, claim_of, groups


def _reference(
    claims: Sequence[Claim],
    statements: Sequence[Statement],
    claim_of: dict[str, Claim],
    group_of: Callable[[str], str],
    topic_of: Callable[[Statement], set[str]],
) -> dict[str, tuple[set[str], set[str]]]:
    """The rule as it was written before (every claim's account at once, by one pass over the statements)."""
    by_id = {st.id: st for st in statements}
    origins: dict[str, set[str]] = {}
    docs: dict[tuple[str, str], list[str]] = {}
    for claim in claims:
        groups = {
            group_of(by_id[sid].source_id)
            for sid in claim.statement_ids
            if display_text(by_id[sid].text) == claim.text
        }
        origins[claim.id] = groups
        for sid in claim.statement_ids:
            st = by_id[sid]
            if group_of(st.source_id) in groups:
                docs.setdefault((st.document_id, group_of(st.source_id)), []).append(claim.id)
    words: dict[str, set[str]] = {claim.id: set() for claim in claims}
    for st in statements:
        told_in = docs.get((st.document_id, group_of(st.source_id)))
        if not told_in:
            continue
        own = claim_of.get(st.id)
        for cid in dict.fromkeys(told_in):
            if own is None or own.id == cid:
                words[cid] |= topic_of(st)
    return {cid: (origins[cid], words[cid]) for cid in origins}


def test_each_account_is_the_one_of_the_reference() -> None:
    rng = random.Random(12)
    told = 0
    for _ in range(400):
        claims, statements, claim_of, groups = _corpus(rng)
        topics = {st.id: {rng.choice("abcdefgh") for _ in range(rng.randrange(3))} for st in statements}

        def topic_of(st: Statement, topics: dict[str, set[str]] = topics) -> set[str]:
            return topics[st.id]

        expected = _reference(claims, statements, claim_of, groups.__getitem__, topic_of)
        lazy = OriginAccounts(claims, statements, claim_of, groups.__getitem__, topic_of)
        # the same with the statements by id and by document given (as the claims stage gives its run's)
        in_doc: dict[str, list[Statement]] = {}
        for st in statements:
            in_doc.setdefault(st.document_id, []).append(st)
        given = OriginAccounts(
            claims,
            statements,
            claim_of,
            groups.__getitem__,
            topic_of,
            {st.id: st for st in statements},
            in_doc,
        )
        asked = [c.id for c in claims]
        rng.shuffle(asked)
        for cid in asked:
            assert lazy.get(cid, (set(), set())) == expected[cid]
            assert given.get(cid, (set(), set())) == expected[cid]
            told += bool(expected[cid][1])
        assert lazy.get("no such claim", ({"x"}, set())) == ({"x"}, set())
    assert told > 200  # accounts with words, not only empty ones
