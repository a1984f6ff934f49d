"""How large the claims passes' exact dirty set would be on an increment (issue 12 §4; a measurement for the
dirty-set design in ``docs/scale.md``, "What the 10,000-document goal still needs"; it changes nothing).

Loads the analysed corpus of two workspace stores, one before an increment and one after it (for example
copies of ``DIR/n10000/out/claimgraph.db`` taken before and after ``benchmarks/end_to_end.py --incremental-only``),
runs :func:`claimgraph.claims.stage.build_claims` on each from scratch (no memos: about a minute each at 10,000
documents) and records the allegation pass's input: the claim parts (the matcher's groups) and the candidate
buckets (:func:`claimgraph.claims.allegations.candidate_buckets`). Prints:

- the statements that are new, whose inputs changed (source, entities, text, cue, mode) and whose outputs
  changed (claim or stance);
- the *dirty* groups of the later run: those holding a new or changed statement, and those whose membership is
  not a group of the earlier run; the buckets holding a dirty group, and how many groups and statements those
  buckets hold (what an exact per-bucket rerun of the allegation pass would redo);
- the statements whose outputs changed outside those buckets, and how many of them are attached statements
  (in no group: the attachment pass's part of the dirty set).

    cp BEFORE.db /tmp/before.db && cp AFTER.db /tmp/after.db
    python benchmarks/claims_dirty.py /tmp/before.db /tmp/after.db
"""

from __future__ import annotations

import argparse
from typing import Any


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("before", help="a copy of the workspace store before the increment")
    parser.add_argument("after", help="a copy of the workspace store after it")
    args = parser.parse_args()

    from claimgraph.claims import allegations

    captured: dict[str, Any] = {}
    candidate_buckets = allegations.candidate_buckets

    def capture(facts: Any, max_bucket: int = allegations.MAX_BUCKET) -> list[list[int]]:
        buckets = candidate_buckets(facts, max_bucket)
        captured["groups"] = [[s.id for s in f.statements] for f in facts]
        captured["buckets"] = buckets
        return buckets

    allegations.candidate_buckets = capture  # type: ignore[assignment]
    attach_lone_sentences = allegations.attach_lone_sentences

    def capture_cores(facts: Any, cores: Any, *a: Any, **k: Any) -> Any:
        captured["cores"] = cores
        captured["loose"] = [f for f in facts if f.loose]
        captured["loose_at"] = [i for i, f in enumerate(facts) if f.loose]
        return attach_lone_sentences(facts, cores, *a, **k)

    allegations.attach_lone_sentences = capture_cores  # type: ignore[assignment]
    before = _run(args.before, captured)
    after = _run(args.after, captured)
    _report(before, after)


def _run(db: str, captured: dict[str, Any]) -> dict[str, Any]:
    from claimgraph.claims.stage import build_claims
    from claimgraph.options import Options
    from claimgraph.store import Store

    corpus = Store.open(db).load_corpus()
    inputs = {
        s.id: (s.source_id, tuple(sorted(s.entity_ids)), s.text, s.cue, s.mode) for s in corpus.statements
    }
    build_claims(corpus, Options(progress=False))
    outputs = {s.id: (s.claim_id, s.stance) for s in corpus.statements}
    return {"inputs": inputs, "outputs": outputs, **captured}


def _report(before: dict[str, Any], after: dict[str, Any]) -> None:
    old_in, new_in = before["inputs"], after["inputs"]
    new = set(new_in) - set(old_in)
    changed = {sid for sid in new_in if sid in old_in and old_in[sid] != new_in[sid]}
    changed_out = {
        sid
        for sid, out in after["outputs"].items()
        if sid in before["outputs"] and before["outputs"][sid] != out
    }
    groups: list[list[str]] = after["groups"]
    buckets: list[list[int]] = after["buckets"]
    old_groups = {frozenset(g) for g in before["groups"]}
    touched = new | changed
    by_statement = [bool(touched.intersection(g)) for g in groups]
    by_membership = [frozenset(g) not in old_groups for g in groups]
    dirty = [a or b for a, b in zip(by_statement, by_membership, strict=True)]
    dirty_buckets = [b for b in buckets if any(dirty[k] for k in b)]
    redo = {k for b in dirty_buckets for k in b} | {k for k, d in enumerate(dirty) if d}
    redone = {sid for k in redo for sid in groups[k]}
    grouped = {sid for g in groups for sid in g}
    outside = changed_out - redone
    largest = sorted((len(b) for b in buckets), reverse=True)[:5]
    print(
        f"statements {len(new_in):,}: new {len(new):,}, inputs changed {len(changed):,}, "
        f"outputs (claim, stance) changed {len(changed_out):,}"
    )
    print(f"groups {len(groups):,}, buckets {len(buckets):,} (largest {largest})")
    print(
        f"dirty groups {sum(dirty):,} ({sum(by_statement):,} holding a new or changed statement, "
        f"{sum(1 for a, b in zip(by_statement, by_membership, strict=True) if b and not a):,} by membership only); "
        f"buckets holding one {len(dirty_buckets):,}; groups in those {len(redo):,} ({len(redo) / max(1, len(groups)):.1%}), "
        f"statements {len(redone):,}"
    )
    print(
        f"outputs changed outside those buckets: {len(outside):,}, of which attached statements (in no group) "
        f"{len(outside - grouped):,}"
    )
    _report_lone(after, dirty, redo)


def _report_lone(after: dict[str, Any], dirty: list[bool], redo: set[int]) -> None:
    """The lone sentences (parts in no bucket) that may join an allegation holding a part to redo: their
    candidate allegations (by document, origin and accused party, as the lone-sentence step finds them, every
    sentence taken as a relay: an upper bound) include one. The lone-sentence step reruns for them too."""
    from claimgraph.claims import allegations

    cores = after["cores"]
    by_doc, by_origin, by_accused = allegations.core_index(cores)
    dirty_roots = {root for root, core in cores.items() if redo.intersection(core.members)}
    reach = [
        k
        for k, f in zip(after["loose_at"], after["loose"], strict=True)
        if dirty[k]
        or dirty_roots
        & allegations._candidate_cores(f, by_doc, by_origin, by_accused, True, allegations.MAX_BUCKET)
    ]
    print(
        f"allegations {len(cores):,}, holding a part to redo {len(dirty_roots):,}; lone sentences "
        f"{len(after['loose']):,}, that may join one of those (or are dirty) at most {len(reach):,}"
    )


if __name__ == "__main__":
    main()
