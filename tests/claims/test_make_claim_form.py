"""``_make_claim`` counts each entity's statements once for the claim's entities and its core (accused) entities:
the same claim and core as the two passes it replaces (written out below), on random invented parts."""

from __future__ import annotations

import random

from claimgraph.claims.allegations import core_entity_set
from claimgraph.claims.attach_rules import display_text
from claimgraph.claims.stage import _make_claim
from claimgraph.model import Claim, Statement, stable_id


def _reference(
    parts: list[list[Statement]], expanded: dict[str, set[str]], disputing: set[str]
) -> tuple[Claim, list[str]]:
    group = [s for part in parts for s in part]
    core_part = max(parts, key=lambda part: (any(s.part != "title" for s in part), len(part)))
    asserting = [s for s in core_part if s.id not in disputing] or core_part
    all_asserting = [s for s in group if s.id not in disputing] or group
    entity_ids = sorted({e for s in all_asserting for e in expanded.get(s.id, s.entity_ids)})
    claim = Claim(
        id=stable_id("claim", asserting[0].id),
        text=display_text(asserting[0].text),
        statement_ids=sorted(s.id for s in group),
        first_seen=None,
        entity_ids=entity_ids,
    )
    # the core (accused) entities: named by at least a third as many statements as the most named one
    core = core_entity_set(all_asserting, lambda st: expanded.get(st.id, set(st.entity_ids)))
    return claim, sorted(core)


def test_make_claim_is_the_two_pass_form() -> None:
    cores = 0
    for seed in range(400):
        rng = random.Random(seed)
        parts = []
        for p in range(rng.randint(1, 4)):
            parts.append(
                [
                    Statement(
                        id=f"s{seed}-{p}-{k}",
                        document_id="d",
                        source_id="x",
                        text=f"text {p} {k}",
                        cue=None,
                        mode="direct",
                        certainty="asserted",
                        certainty_cues=[],
                        start=k,
                        end=k + 1,
                        entity_ids=rng.sample(["e1", "e2", "e3", "e4", "e5"], rng.randint(0, 3)),
                        part=rng.choice(["title", "body"]),
                    )
                    for k in range(rng.choice([1, 1, 2, 4, 9]))
                ]
            )
        statements = [s for part in parts for s in part]
        # some statements with demonym-extended entity sets, some not in the map at all
        expanded = {
            s.id: set(s.entity_ids) | set(rng.sample(["e6", "e7"], rng.randint(0, 1)))
            for s in statements
            if rng.random() < 0.8
        }
        disputing = {s.id for s in statements if rng.random() < 0.3}
        got = _make_claim(parts, expanded, lambda s, d=disputing: s.id in d)
        assert got == _reference(parts, expanded, disputing), seed
        cores += len(got[1]) < len(got[0].entity_ids)
    assert cores > 30  # core entities that are not all the claim's entities
