"""Each pass of merge_allegations on its own, on hand-made statements (invented actors)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np

from claimgraph.claims.allegations import (
    AllegationCore,
    GroupFacts,
    Signals,
    allegation_cores,
    attach_lone_sentences,
    candidate_buckets,
    group_facts,
    merge_allegations,
    merge_parts,
    parts_join,
)
from claimgraph.claims.matching import lead, lead_end
from claimgraph.model import Statement

#: statement id -> (origin, entities, topic words, own voice, figures)
INFO: dict[str, tuple[str | None, set[str], set[str], bool, frozenset[str]]] = {}


def st(sid: str, doc: str, origin: str | None, ents: Sequence[str], topics: Sequence[str], *, own: bool = False,
       figures: Sequence[str] = ()) -> Statement:  # fmt: skip
    INFO[sid] = (origin, set(ents), set(topics), own, frozenset(figures))
    return Statement(
        id=sid, document_id=doc, source_id=origin or "outlet", text=sid, cue=None, mode="direct",
        certainty="asserted", certainty_cues=[], start=0, end=1,
    )  # fmt: skip


SIGNALS = Signals(
    origin_of=lambda s: INFO[s.id][0],
    entities_of=lambda s: INFO[s.id][1],
    topic_of=lambda s: INFO[s.id][2],
    own_voice=lambda s: INFO[s.id][3],
    relays=lambda s: INFO[s.id][3],
    quantities_of=lambda s: INFO[s.id][4],
)


def _far(a: Sequence[Statement], b: Sequence[Statement]) -> float:
    return 0.0


def _close(a: Sequence[Statement], b: Sequence[Statement]) -> float:
    return 1.0


def _restates(f: GroupFacts, core: AllegationCore) -> bool:
    return "restates" in f.statements[0].id


def test_group_facts_collects_docs_origins_actors_and_figures() -> None:
    groups = [
        [
            st("a1", "d1", "roe", ["e-nor"], ["recruit"], figures=["412"]),
            st("a2", "d2", "roe", ["e-ost"], ["camp"]),
        ]
    ]
    (facts,) = group_facts(groups, SIGNALS, [True])
    assert facts.docs == {"d1", "d2"}
    assert facts.origins == {"roe"}
    assert facts.ents == {"e-nor", "e-ost"}
    assert facts.figures == frozenset({"412"})
    assert facts.loose and not facts.own
    assert facts.topics(SIGNALS.topic_of) == {"recruit", "camp"}


def test_candidate_buckets_pair_only_groups_sharing_a_document_origin_or_figure() -> None:
    groups = [
        [st("b1", "d1", "roe", ["e-nor"], ["recruit"])],
        [st("b2", "d1", "lark", ["e-ost"], ["harbour"])],  # same document as b1
        [st("b3", "d9", "roe", ["e-nor"], ["train"])],  # same origin and actor as b1
        [st("b4", "d8", "kim", ["e-zed"], ["tax"])],  # shares nothing
        [st("b5", "d1", "roe", ["e-nor"], ["recruit"])],  # loose: never in a bucket
    ]
    facts = group_facts(groups, SIGNALS, [False, False, False, False, True])
    buckets = [sorted(b) for b in candidate_buckets(facts)]
    assert [0, 1] in buckets and [0, 2] in buckets
    assert not any(3 in b or 4 in b for b in buckets)
    assert candidate_buckets(facts, max_bucket=1) == []  # oversized buckets are not paired


def test_parts_join_guard_same_origin_and_same_figure() -> None:
    f = group_facts(
        [
            [st("c1", "d1", "roe", ["e-nor"], ["recruit", "prison"])],
            [st("c2", "d2", "roe", ["e-nor"], ["recruit", "camp"])],  # same origin, actor, a topic word
            [st("c3", "d3", "roe", ["e-ost"], ["recruit"])],  # same origin, other actor
            [st("c4", "d4", "lark", ["e-nor"], ["held"], figures=["412"])],
            [st("c5", "d5", "kim", ["e-nor"], ["held"], figures=["412"])],  # same figure and actor
            [st("c6", "d6", "kim", ["e-nor"], ["held"], figures=["97"])],  # another figure
            [st("c7", "d4", "kim", ["e-nor"], ["held"], own=True)],  # the document's own voice
        ],
        SIGNALS,
    )
    topic = SIGNALS.topic_of
    # (A) the same origin restates it: only when the matcher scores them as one proposition
    assert parts_join(f[0], f[1], topic, _close, 0.25)
    assert not parts_join(f[0], f[1], topic, _far, 0.25)  # a speaker and a topic word are not enough
    assert not parts_join(f[0], f[2], topic, _close, 0.25)  # the guard wins over every rule
    # (D) the same figure about the same actors, whatever the wording
    assert parts_join(f[3], f[4], topic, _far, 0.25)
    assert not parts_join(f[3], f[5], topic, _far, 0.25)
    # (B) the document's own summary, scored by the matcher
    assert parts_join(f[3], f[6], topic, _close, 0.25)
    assert not parts_join(f[3], f[6], topic, _far, 0.25)


def test_rule_b_counts_only_the_documents_headline_or_lead_as_its_summary() -> None:
    # an own-voice group told in the allegation's document joins it by (B) only where it is that document's
    # summary; the reporter's background further down (another actor's request, the history) is not one
    lead_ids = {"s-head", "s-lead"}
    signals = dataclasses.replace(SIGNALS, summary_of=lambda s: s.id in lead_ids)
    groups = [
        [st("s-claim", "d1", "roe", ["e-nor"], ["recruit"])],
        [st("s-head", "d1", None, ["e-nor"], ["detainee"], own=True)],  # the headline of d1
        [st("s-back", "d1", None, ["e-nor"], ["detainee"], own=True), st("s-lead", "d2", None, ["e-nor"], [], own=True)],
    ]  # fmt: skip
    f = group_facts(groups, signals)
    topic = SIGNALS.topic_of
    assert f[1].summary_docs == {"d1"} and f[2].summary_docs == {"d2"}
    assert parts_join(f[0], f[1], topic, _close, 0.25)
    assert not parts_join(f[0], f[2], topic, _close, 0.25)  # its summary (d2) is not the shared document
    # without ``summary_of`` every own-voice statement counts (the rule before)
    assert parts_join(*group_facts([groups[0], groups[2]], SIGNALS), topic, _close, 0.25)


def test_lead_end_is_where_the_first_sentences_end() -> None:
    text = "PORT ALDANE, Nov 12 - One. Two? Three!\n\nFour. Five."
    assert text[: lead_end(text)] == "PORT ALDANE, Nov 12 - One. Two? Three!"
    assert lead_end(text, 1) == text.index(" Two")
    assert lead_end("One sentence only") == len("One sentence only")
    assert lead(text) == text[: lead_end(text)]


def test_merge_parts_unions_transitively_and_leaves_loose_groups_out() -> None:
    facts = group_facts(
        [[st(f"m{k}", "d1", "roe", ["e-nor"], ["recruit"])] for k in range(4)],
        SIGNALS,
        [False, False, False, True],
    )
    members = merge_parts(facts, [[0, 1], [1, 2]], lambda a, b: True)
    assert sorted(members.values()) == [[0, 1, 2]]


def test_allegation_cores_name_the_core_parts_origins_and_accused() -> None:
    groups = [
        [
            st("k1", "d1", "roe", ["e-nor"], ["recruit", "prison"]),
            st("k2", "d1", None, ["e-nor"], ["recruit", "prison"], own=True),
            st("k3", "d2", "roe", ["e-nor", "e-ost"], ["recruit", "camp"]),
        ],
        [st("k4", "d3", "lark", ["e-nor"], ["prison"])],
    ]
    facts = group_facts(groups, SIGNALS)
    (core,) = allegation_cores(facts, {0: [0, 1]}, SIGNALS).values()
    assert core.words == {"recruit", "prison"}  # used by at least two statements of the core part
    assert core.origins == {"roe"}  # the outlet's own voice is no origin when somebody else speaks
    assert core.core_ents == {"e-nor"}  # "e-ost" is named by one statement in four: not the accused party
    assert core.all_ents == {"e-nor", "e-ost"}
    assert core.docs == {"d1", "d2", "d3"}


def test_lone_sentences_join_only_by_elaboration_or_relay() -> None:
    groups = [
        [st("l1", "d1", "roe", ["e-nor"], ["recruit"]), st("l2", "d2", "roe", ["e-nor"], ["recruit"])],
        [st("l3-restates", "d1", "roe", [], ["recruit", "release"])],  # the origin restates it
        [st("l4", "d1", "roe", [], ["weather"])],  # the origin's background line: no core word
        [st("l5", "d7", None, ["e-nor"], ["recruit"], own=True)],  # an outlet relays, naming the accused
        [st("l6", "d8", "kim", ["e-nor"], ["recruit"])],  # somebody else, elsewhere, no relay
        [st("l7", "d1", "roe", [], ["recruit", "train"])],  # the origin, a core word, another proposition
        [st("l8", "d9", None, ["e-nor"], ["recruit", "camp"], own=True)],  # a relay elsewhere, two core words
    ]
    facts = group_facts(groups, SIGNALS, [False, True, True, True, True, True, True])
    cores = {
        0: AllegationCore(0, (0,), {"recruit", "camp"}, {"e-nor"}, {"e-nor"}, {"roe"}, {"d1", "d2", "d7"}),
    }
    assert attach_lone_sentences(facts, cores, SIGNALS, _restates) == {0: [0, 1, 3, 6]}


def test_merge_allegations_runs_the_passes_in_order() -> None:
    groups = [
        [st("z1", "d1", "roe", ["e-nor"], ["recruit", "prison"])],
        [st("z2", "d2", "roe", ["e-nor"], ["recruit", "guard"])],
        [st("z3", "d3", "roe", ["e-ost"], ["recruit"])],
        [st("z4", "d1", "roe", [], ["weather"])],
    ]

    class PairMatcher:
        """Scores the pairs in ``scores`` (by matcher position), every other pair 0."""

        def __init__(self, scores: dict[tuple[int, int], float]) -> None:
            self.scores = scores

        def similarity(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
            pairs = zip(i.tolist(), j.tolist(), strict=True)
            return np.array([self.scores.get((min(a, b), max(a, b)), 0.0) for a, b in pairs])

    position = {"z1": 0, "z2": 1, "z3": 2, "z4": 3}

    def run(scores: dict[tuple[int, int], float]) -> list[list[str]]:
        out = merge_allegations(
            groups, PairMatcher(scores), position, SIGNALS.origin_of, SIGNALS.entities_of,  # type: ignore[arg-type]
            SIGNALS.topic_of, SIGNALS.own_voice, 0.5, optional=[False, False, False, True],
        )  # fmt: skip
        return [[s.id for part in allegation for s in part] for allegation in out]

    # the same origin, actor and a topic word: one proposition only at factor x threshold (0.25)
    assert run({(0, 1): 0.3}) == [["z1", "z2"], ["z3"]]
    assert run({(0, 1): 0.2}) == [["z1"], ["z2"], ["z3"]]
    assert run({(0, 2): 0.9}) == [["z1"], ["z2"], ["z3"]]  # another actor: the guard wins


def test_lone_sentences_skip_only_the_allegations_they_cannot_fit() -> None:
    # attach_lone_sentences leaves out the candidates sharing no core topic word before asking
    # lone_sentence_fits: the same choice as asking it of every candidate, on random invented groups
    import random

    from claimgraph.claims.allegations import _candidate_cores, lone_sentence_fits

    relays_of = SIGNALS.relays
    assert relays_of is not None
    joined = 0
    for seed in range(200):
        rng = random.Random(seed)
        words = [f"w{k}" for k in range(rng.randint(3, 8))]
        groups, loose = [], []
        for k in range(rng.randint(3, 14)):
            ents = rng.sample(["e-a", "e-b", "e-c"], rng.randint(0, 2))
            topics = rng.sample(words, rng.randint(0, 3))
            origin = rng.choice(["roe", "kim", None])
            groups.append([st(f"r{seed}-{k}", rng.choice(["d1", "d2", "d3"]), origin, ents, topics,
                              own=origin is None)])  # fmt: skip
            loose.append(k > 1 and rng.random() < 0.7)
        facts = group_facts(groups, SIGNALS, loose)
        cores = allegation_cores(facts, {k: [k] for k, f in enumerate(facts) if not f.loose}, SIGNALS)

        def restates(f: GroupFacts, core: AllegationCore) -> bool:
            return len(f.statements[0].id) % 2 == 0  # the matcher's verdict, invented

        expected = {root: list(core.members) for root, core in cores.items()}
        by_doc: dict[str, list[int]] = {}
        by_origin: dict[str, list[int]] = {}
        by_accused: dict[str, list[int]] = {}
        for root, core in cores.items():
            for d in core.docs:
                by_doc.setdefault(d, []).append(root)
            for o in core.origins:
                by_origin.setdefault(o, []).append(root)
            for e in core.core_ents:
                by_accused.setdefault(e, []).append(root)
        for k, f in enumerate(facts):
            if not f.loose:
                continue
            relay = f.own and all(relays_of(s) for s in f.statements)
            best = None
            for root in _candidate_cores(f, by_doc, by_origin, by_accused, relay, 60):
                fit = lone_sentence_fits(f, cores[root], relay, SIGNALS.topic_of, restates)
                if fit is not None and (best is None or (*fit, len(expected[root]), -root) > best):
                    best = (*fit, len(expected[root]), -root)
            if best is not None:
                expected[-best[3]].append(k)
                joined += 1
        assert attach_lone_sentences(facts, cores, SIGNALS, restates) == expected, seed
    assert joined  # some lone sentences joined an allegation
