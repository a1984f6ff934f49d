"""``drop_citing_origins``: the same origins as the rule stated pair by pair (``_cites`` against every earlier
kept origin), on generated claims, and work linear in a claim's origins (invented actors and texts)."""

from __future__ import annotations

import random

from claimgraph.identity import SourceGroups
from claimgraph.model import Source, Statement
from claimgraph.provenance.origins import Entry, Sightings, _cites, drop_citing_origins

# statement texts: with a citation or relay cue, and without one
CUED = (
    "According to the Tesk survey, the bridge was closed",
    "The Tesk report confirms the bridge was closed",
)
PLAIN = ("The bridge was closed on Monday", "Lorries waited at the bridge")


def _statement(
    sid: str, doc: str, source: str, text: str, *, entity_ids: list[str], cited: list[str]
) -> Statement:
    """An indirect, asserted statement supporting its claim (the fields the origin rule reads vary)."""
    return Statement(
        id=sid,
        document_id=doc,
        source_id=source,
        text=text,
        cue="said",
        mode="indirect",
        certainty="asserted",
        certainty_cues=[],
        start=0,
        end=10,
        entity_ids=entity_ids,
        stance="supports",
        cited_source_ids=cited,
    )


def _reference(seen: Sightings, groups: SourceGroups, sources: dict[str, Source]) -> list[tuple[str, Entry]]:
    """The rule as it was written before: each origin against every kept origin first seen earlier."""
    ordered = sorted(seen.origins.items(), key=lambda kv: (kv[1][0], kv[1][1]))
    group_entities = groups.entities_by_group(sources)
    kept: list[tuple[str, Entry]] = []
    for group, entry in ordered:
        if any(
            e[0] < entry[0]
            and any(_cites(st, g, groups, group_entities) for st in seen.origin_statements[group])
            for g, e in kept
        ):
            seen.relay_candidates.append(entry)
            continue
        kept.append((group, entry))
    return kept


def _claim(rng: random.Random) -> tuple[Sightings, SourceGroups, dict[str, Source]]:
    """A claim with 1-12 origin groups of 1-3 sources each: a few dates (ties and unknown dates included),
    shared entities between groups, cited sources inside and outside the claim's origins, cued and plain
    statements."""
    n_sources = rng.randint(1, 30)
    entities = [f"ent-{k}" for k in range(rng.randint(1, 6))]
    sources: dict[str, Source] = {}
    group: dict[str, str] = {}
    for k in range(n_sources):
        sid = f"src-{k:02d}"
        sources[sid] = Source(
            id=sid,
            label=f"Source {k}",
            kind="organization",
            entity_id=rng.choice([*entities, None]),
            affiliation_entity_ids=rng.sample(entities, min(len(entities), rng.randint(0, 2))),
        )
        group[sid] = f"src-{rng.randint(0, k):02d}" if rng.random() < 0.4 else sid
    group = {sid: group.get(g, g) for sid, g in group.items()}  # one step: a representative's own group
    groups = SourceGroups(group=group, outlet_of={}, authors_of={})
    seen = Sightings()
    dates = ["2024-07-01", "2024-07-02", "2024-07-05", "9999-99-99"]
    for k, sid in enumerate(rng.sample(sorted(sources), rng.randint(1, min(12, n_sources)))):
        g = groups.of(sid)
        if g in seen.origins:
            continue
        seen.origins[g] = (rng.choice(dates), sid, f"doc-{k}")
        for j in range(rng.randint(1, 3)):
            seen.origin_statements[g].append(
                _statement(
                    f"st-{k}-{j}",
                    f"doc-{k}",
                    sid,
                    rng.choice(CUED + PLAIN),
                    entity_ids=rng.sample(entities, min(len(entities), rng.randint(0, 2))),
                    cited=rng.sample([*sorted(sources), "src-elsewhere"], rng.randint(0, 1)),
                )
            )
    return seen, groups, sources


def test_the_same_origins_as_the_pairwise_rule_on_generated_claims() -> None:
    rng = random.Random(7)
    relayed = kept_total = 0
    for _ in range(600):
        seen, groups, sources = _claim(rng)
        seen_copy = Sightings(origins=dict(seen.origins), origin_statements=seen.origin_statements)
        expected = _reference(seen_copy, groups, sources)
        assert drop_citing_origins(seen, groups, sources) == expected
        assert seen.relay_candidates == seen_copy.relay_candidates
        relayed += len(seen.relay_candidates)
        kept_total += len(expected)
    assert relayed > 100 and kept_total > relayed  # both outcomes are exercised


class _CountingGroups(SourceGroups):
    calls = 0

    def of(self, source_id: str) -> str:
        _CountingGroups.calls += 1
        return super().of(source_id)


def test_work_is_linear_in_a_claims_origins() -> None:
    """2,000 independent origins, each citing one source outside the claim: one group lookup per cited
    source, not one per (origin, earlier origin) pair (about two million before)."""
    n = 2_000
    sources = {f"src-{k}": Source(id=f"src-{k}", label=f"Source {k}", kind="person") for k in range(n)}
    groups = _CountingGroups(group={}, outlet_of={}, authors_of={})
    seen = Sightings()
    for k in range(n):
        sid = f"src-{k}"
        seen.origins[sid] = (f"2024-{1 + k % 12:02d}-{1 + k % 28:02d}", sid, f"doc-{k}")
        seen.origin_statements[sid].append(
            _statement(f"st-{k}", f"doc-{k}", sid, PLAIN[0], entity_ids=[], cited=["src-elsewhere"])
        )
    _CountingGroups.calls = 0
    kept = drop_citing_origins(seen, groups, sources)
    assert len(kept) == n
    assert _CountingGroups.calls <= 2 * n
