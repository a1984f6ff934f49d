"""The allegation pass's shortcuts against the general forms they replace, on random invented statements: a group
of one statement (``group_facts``), an allegation of one part of one statement (``allegation_cores``), the lone
sentences' candidate allegations as a set and the matcher's verdicts asked all at once (``attach_lone_sentences``)."""

from __future__ import annotations

import random
import zlib
from collections import defaultdict
from collections.abc import Callable, Sequence

from claimgraph.claims.allegations import (
    AllegationCore,
    GroupFacts,
    Signals,
    allegation_cores,
    attach_lone_sentences,
    core_entity_set,
    core_topics,
    group_facts,
    identifying_figure,
    lone_sentence_fits,
)
from claimgraph.model import Statement

FIGURES = ["412", "75", "1,347", "5"]


def _statement(sid: str, doc: str) -> Statement:
    return Statement(
        id=sid, document_id=doc, source_id="s", text=sid, cue=None, mode="direct", certainty="asserted",
        certainty_cues=[], start=0, end=1,
    )  # fmt: skip


def _world(rng: random.Random, n: int) -> tuple[list[list[Statement]], Signals]:
    """``n`` groups (most of one statement) and random signals of their statements."""
    info: dict[str, tuple[str | None, set[str], set[str], bool, bool, frozenset[str], bool]] = {}
    groups = []
    for k in range(n):
        group = []
        for m in range(rng.choice([1, 1, 1, 2, 3])):
            st = _statement(f"g{k}s{m}", f"d{rng.randrange(5)}")
            info[st.id] = (
                rng.choice(["o1", "o2", "o3", None]),
                set(rng.sample(["e1", "e2", "e3", "e4"], rng.randint(0, 3))),
                set(rng.sample(["t1", "t2", "t3", "t4", "t5"], rng.randint(0, 3))),
                rng.random() < 0.4,  # own voice
                rng.random() < 0.5,  # summary
                frozenset(rng.sample(FIGURES, rng.randint(0, 2))),
                rng.random() < 0.5,  # relays
            )
            group.append(st)
        groups.append(group)
    signals = Signals(
        origin_of=lambda s: info[s.id][0],
        entities_of=lambda s: info[s.id][1],
        topic_of=lambda s: info[s.id][2],
        own_voice=lambda s: info[s.id][3],
        relays=lambda s: info[s.id][3] and info[s.id][6],
        quantities_of=lambda s: info[s.id][5],
        summary_of=lambda s: info[s.id][4],
    )
    return groups, signals


def _reference_facts(
    groups: Sequence[list[Statement]], signals: Signals, loose: Sequence[bool]
) -> list[GroupFacts]:
    """``group_facts`` as it was written before the one-statement shortcut: every group by the general form."""
    out = []
    assert signals.quantities_of is not None
    for g, is_loose in zip(groups, loose, strict=True):
        figures = frozenset(
            f for f in frozenset().union(*(signals.quantities_of(s) for s in g)) if identifying_figure(f)
        )
        own = all(signals.own_voice(s) for s in g)
        summary_of = signals.summary_of
        summary_docs = (
            {s.document_id for s in g if summary_of is None or summary_of(s)} if own else set[str]()
        )
        out.append(
            GroupFacts(
                statements=list(g),
                docs={s.document_id for s in g},
                origins={o for s in g if (o := signals.origin_of(s)) is not None},
                ents=set().union(*(signals.entities_of(s) for s in g)),
                own=own,
                figures=figures,
                loose=is_loose,
                summary_docs=summary_docs,
            )
        )
    return out


def _fields(f: GroupFacts) -> tuple[object, ...]:
    return (f.statements, f.docs, f.origins, f.ents, f.own, f.figures, f.loose, f.summary_docs)


def test_one_statement_groups_have_the_general_forms_facts() -> None:
    singles = 0
    for seed in range(200):
        rng = random.Random(seed)
        groups, signals = _world(rng, rng.randint(1, 30))
        loose = [rng.random() < 0.5 for _ in groups]
        got = group_facts(groups, signals, loose)
        assert [_fields(f) for f in got] == [_fields(f) for f in _reference_facts(groups, signals, loose)], (
            seed
        )
        for summary_of in (None,):  # every own-voice statement a summary
            plain = Signals(*signals.__dict__.values())
            object.__setattr__(plain, "summary_of", summary_of)
            assert [_fields(f) for f in group_facts(groups, plain, loose)] == [
                _fields(f) for f in _reference_facts(groups, plain, loose)
            ], seed
        singles += sum(len(g) == 1 for g in groups)
    assert singles > 1000


def _reference_cores(
    facts: Sequence[GroupFacts], members: dict[int, list[int]], signals: Signals
) -> dict[int, AllegationCore]:
    """``allegation_cores`` as it was written before the one-statement shortcut."""
    cores: dict[int, AllegationCore] = {}
    for root, ks in members.items():
        core_part = max(ks, key=lambda k: (len(facts[k].statements), -k))
        statements = facts[core_part].statements
        origins = (
            {o for st in statements if not signals.own_voice(st) and (o := signals.origin_of(st)) is not None}
            or facts[core_part].origins
            or set().union(*(facts[k].origins for k in ks))
        )
        cores[root] = AllegationCore(
            root=root,
            members=tuple(ks),
            words=core_topics(statements, signals.topic_of),
            all_ents=set().union(*(facts[k].ents for k in ks)),
            core_ents=core_entity_set([s for k in ks for s in facts[k].statements], signals.entities_of),
            origins=origins,
            docs=set().union(*(facts[k].docs for k in ks)),
        )
    return cores


def _core_fields(core: AllegationCore) -> tuple[object, ...]:
    return (core.root, core.members, core.words, core.all_ents, core.core_ents, core.origins, core.docs)


def test_one_statement_allegations_have_the_general_forms_core() -> None:
    for seed in range(200):
        rng = random.Random(seed)
        groups, signals = _world(rng, rng.randint(1, 30))
        facts = group_facts(groups, signals)
        if seed % 2:
            # records not made from these signals (other origins, entities, documents): read as they are
            for f in facts:
                f.origins = set(rng.sample(["o1", "o9"], rng.randint(0, 2)))
                f.ents = set(rng.sample(["e1", "e9"], rng.randint(0, 2)))
                f.docs = {f"d{rng.randrange(9)}"}
        order = list(range(len(facts)))
        rng.shuffle(order)
        members: dict[int, list[int]] = defaultdict(list)
        for k in order:  # allegations of one part, some of several parts
            members[min(k, rng.choice(order)) if rng.random() < 0.3 else k].append(k)
        expected = _reference_cores(facts, dict(members), signals)
        got = allegation_cores(facts, dict(members), signals)
        assert list(got) == list(expected), seed
        assert [_core_fields(c) for c in got.values()] == [_core_fields(c) for c in expected.values()], seed


def _reference_lone(
    facts: Sequence[GroupFacts],
    cores: dict[int, AllegationCore],
    signals: Signals,
    restates: Callable[[GroupFacts, AllegationCore], bool],
    max_bucket: int,
) -> dict[int, list[int]]:
    """``attach_lone_sentences`` as it was written before: candidates in first-seen order, each verdict asked
    when the sentence's turn comes."""
    members = {root: list(core.members) for root, core in cores.items()}
    by_doc: dict[str, list[int]] = defaultdict(list)
    by_origin: dict[str, list[int]] = defaultdict(list)
    by_accused: dict[str, list[int]] = defaultdict(list)
    for root, core in cores.items():
        for d in core.docs:
            by_doc[d].append(root)
        for o in core.origins:
            by_origin[o].append(root)
        for e in core.core_ents:
            by_accused[e].append(root)
    for k, f in enumerate(facts):
        if not f.loose:
            continue
        relay = signals.relays is not None and f.own and all(signals.relays(s) for s in f.statements)
        seen: dict[int, None] = {}
        for d in sorted(f.docs):
            for root in by_doc.get(d, []):
                seen.setdefault(root)
        buckets = [by_origin.get(o, []) for o in sorted(f.origins)]
        if relay:
            buckets.extend(by_accused.get(e, []) for e in sorted(f.ents))
        for bucket in buckets:
            if len(bucket) <= max_bucket:
                for root in bucket:
                    seen.setdefault(root)
        best = None
        for root in seen:
            fit = lone_sentence_fits(f, cores[root], relay, signals.topic_of, restates)
            if fit is not None:
                key = (*fit, len(members[root]), -root)
                if best is None or key > best:
                    best = key
        if best is not None:
            members[-best[3]].append(k)
    return members


def test_lone_sentences_choose_as_the_sentence_by_sentence_form() -> None:
    joined = 0
    asked_total = 0
    for seed in range(300):
        rng = random.Random(seed)
        groups, signals = _world(rng, rng.randint(3, 40))
        loose = [rng.random() < 0.6 for _ in groups]
        facts = group_facts(groups, signals, loose)
        ks = [k for k, f in enumerate(facts) if not f.loose]
        members: dict[int, list[int]] = defaultdict(list)
        for k in ks:
            members[min(k, rng.choice(ks)) if rng.random() < 0.3 else k].append(k)
        # roots are the smallest member (as the union-find makes them)
        members = {min(v): sorted(v) for v in members.values()}
        cores = allegation_cores(facts, members, signals)
        max_bucket = rng.choice([1, 2, 60])

        def restates(f: GroupFacts, core: AllegationCore, salt: int = seed) -> bool:
            return (
                zlib.crc32(f"{f.statements[0].id}|{core.root}|{salt}".encode()) % 3 != 0
            )  # invented verdict

        asked: list[tuple[str, int]] = []

        def restates_all(
            pairs: Sequence[tuple[GroupFacts, AllegationCore]], asked: list[tuple[str, int]] = asked
        ) -> list[bool]:
            asked.extend((f.statements[0].id, core.root) for f, core in pairs)
            return [restates(f, core) for f, core in pairs]

        expected = _reference_lone(facts, cores, signals, restates, max_bucket)
        assert attach_lone_sentences(facts, cores, signals, restates, max_bucket) == expected, seed
        got = attach_lone_sentences(facts, cores, signals, restates, max_bucket, restates_all=restates_all)
        assert got == expected, seed
        assert len(asked) == len(set(asked))  # each (sentence, allegation) verdict asked once
        asked_total += len(asked)
        joined += sum(len(v) for v in got.values()) - sum(len(v) for v in members.values())
    assert joined > 100 and asked_total > 100


def test_the_verdict_is_asked_only_where_the_rule_needs_it() -> None:
    # a relay (rule C) needs no verdict of the matcher; rule (A') does
    groups, signals = _world(random.Random(0), 1)
    (f,) = group_facts(groups, signals, [True])
    f.ents, f.docs, f.origins = {"e1"}, {"d1"}, {"o1"}
    f._topics = {"t1", "t2"}
    core = AllegationCore(0, (0,), {"t1", "t2"}, {"e1"}, {"e1"}, {"o1"}, {"d1"})
    calls: list[int] = []

    def restates(_f: GroupFacts, _core: AllegationCore) -> bool:
        calls.append(1)
        return False

    assert lone_sentence_fits(f, core, True, signals.topic_of, restates) == (2, 1)
    assert not calls
    assert lone_sentence_fits(f, core, False, signals.topic_of, restates) is None
    assert calls == [1]
