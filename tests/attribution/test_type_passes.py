"""The type passes decided once per distinct name (``resolution._fix_types``, ``pass_one_word_types``) give
every mention the type and label of the per-mention code they replaced (kept below as the reference), on
random corpora of names that meet every rule: bylines, capitals, group names and their heads, surnames of
people named in full, acronyms, one-word names of several NER types, demonyms."""

from __future__ import annotations

import dataclasses
import random
from collections import Counter, defaultdict

from claimgraph.attribution import resolution as r
from claimgraph.attribution.entities import is_acronym
from claimgraph.attribution.lexicon import GROUP_WORDS, MEDIA_WORDS
from claimgraph.attribution.resolution import MentionRecord, ResolutionState, normalize, surname_key
from claimgraph.model import EntityType

_NAMES = [
    "Ana Ruiz",
    "Ruiz",
    "Carlos Ruiz",
    "Addis Ababa",
    "Kuala Lumpur",
    "Hamas",
    "Hamas Movement",
    "Hamas movement",
    "Justice Party",
    "Justice",
    "Interior Ministry",
    "Reuters",
    "Zarovia",
    "Kenya",
    "Kenyan",
    "NATO",
    "U.N.",
    "al-Hakim",
    "Ahmad al-Hakim",
    "Hakim",
    "Daily Post",
    "Post",
    "Rio Tinto",
    "Tinto",
    "France",
    "Paris",
    "May",
    "Theresa May",
    "Ghana Ghana",
    "",
]
_TYPES: list[EntityType] = ["person", "organization", "group", "location", "other"]
_LABELS = {"person": "PERSON", "organization": "ORG", "group": "NORP", "location": "GPE", "other": "LAW"}


def _corpus(rng: random.Random) -> tuple[list[MentionRecord], dict[str, list[str]], tuple[str, ...]]:
    mentions = []
    for i in range(rng.randint(0, 60)):
        kind = rng.choice(_TYPES)
        name = rng.choice(_NAMES)
        mentions.append(
            MentionRecord(f"d{rng.randint(1, 6)}", "text", i, i + 1, name, name, kind, _LABELS[kind])
        )
    authors = {
        f"d{k}": [rng.choice(["Ana Ruiz", "Reuters", "Ruiz", "Kim Lee"])] for k in range(rng.randint(0, 3))
    }
    demonyms = tuple(rng.sample(["Kenyan", "French", "Zarovian"], rng.randint(0, 2)))
    return mentions, authors, demonyms


def _old_fix_types(mentions: list[MentionRecord], authors: dict[str, list[str]]) -> None:
    from claimgraph.attribution.lexicon import INSTITUTION_HEADS
    from claimgraph.reference.places import is_place_name

    author_keys = {normalize(a) for names in authors.values() for a in names}
    keys = [normalize(m.name) for m in mentions]
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for key, m in zip(keys, mentions, strict=True):
        votes[key][m.type] += 1
    words_of = {key: set(key.split()) for key in votes}
    group_heads = r._group_heads({key for key, words in words_of.items() if words & GROUP_WORDS})
    not_people = GROUP_WORDS | INSTITUTION_HEADS | MEDIA_WORDS
    for key, m in zip(keys, mentions, strict=True):
        words = words_of[key]
        v = votes[key]
        nonperson = v["location"] + v["organization"] + v["group"]
        if key in author_keys:
            if m.type != "person":
                m.retype("person")
            continue
        if m.type == "person" and len(words) >= 2 and is_place_name(key):
            m.retype("location")
            continue
        if m.type == "person":
            if key in group_heads:
                m.retype("group")
                continue
            if words & not_people or nonperson >= v["person"]:
                kinds: tuple[EntityType, ...] = ("location", "organization", "group")
                best = max(kinds, key=lambda t: (v[t], t == "organization"))
                if v[best] == 0:
                    best = "group" if words & GROUP_WORDS else "organization"
                m.retype(best)
        elif v["person"] > nonperson and len(key.split()) >= 2:
            m.retype("person")


def _old_unify(
    mentions: list[MentionRecord], pinned: set[int], surnames: set[str], demonyms: tuple[str, ...]
) -> None:
    from claimgraph.attribution.demonyms import demonym_candidates
    from claimgraph.reference.places import is_place_name

    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for i, m in enumerate(mentions):
        key = normalize(m.name)
        if i not in pinned and len(key.split()) == 1 and not is_acronym(m.name):
            votes[key][m.type] += 1
    demonym_places: set[str] = set()
    for d in demonyms:
        demonym_places |= demonym_candidates(d)
    decided: dict[str, EntityType] = {}
    for key, v in votes.items():
        person = v["person"]
        kinds: tuple[EntityType, ...] = ("location", "organization", "group")
        non = {t: v[t] for t in kinds if v[t]}
        if key in surnames:
            if non and sum(non.values()) > person:
                decided[key] = max(non, key=lambda t: (non[t], t == "location"))
            elif person and non:
                decided[key] = "person"
        elif non and (person or len(non) > 1):
            decided[key] = max(non, key=lambda t: (non[t], t == "location"))
        elif person and not non and (key in demonym_places or is_place_name(key)):
            decided[key] = "location"
    for i, m in enumerate(mentions):
        if i in pinned:
            continue
        t = decided.get(normalize(m.name))
        if t is not None and m.type != t:
            m.retype(t)


def _old_one_word_types(st: ResolutionState) -> None:
    for m in st.mentions:
        key = normalize(m.name)
        if m.type == "person" and len(surname_key(key).split()) >= 2:
            st.full_people[m.doc_id][key.split()[-1]].append(key)
    for doc_id, names in st.authors.items():
        for a in names:
            key = normalize(a)
            if len(surname_key(key).split()) >= 2:
                st.full_people[doc_id][key.split()[-1]].append(key)
    pinned: set[int] = set()
    for i, m in enumerate(st.mentions):
        key = surname_key(normalize(m.name))
        if len(key.split()) == 1 and key in st.full_people[m.doc_id]:
            m.retype("person")
            pinned.add(i)
    author_keys = {normalize(a) for names in st.authors.values() for a in names}
    _old_unify(
        st.mentions,
        pinned | {i for i, m in enumerate(st.mentions) if normalize(m.name) in author_keys},
        {k for d in st.full_people.values() for k in d},
        st.demonyms,
    )


def _typed(mentions: list[MentionRecord]) -> list[tuple[str, str]]:
    return [(m.type, m.label) for m in mentions]


def _full_people(st: ResolutionState) -> dict[str, dict[str, list[str]]]:
    return {doc: dict(lasts) for doc, lasts in st.full_people.items()}


def test_type_passes_give_the_per_mention_rules_types() -> None:
    rng = random.Random(11)
    changed = 0
    for _ in range(1500):
        mentions, authors, demonyms = _corpus(rng)
        new = ResolutionState([dataclasses.replace(m) for m in mentions], authors, demonyms)
        old = ResolutionState([dataclasses.replace(m) for m in mentions], authors, demonyms)
        r.pass_fix_types(new)
        _old_fix_types(old.mentions, old.authors)
        assert _typed(new.mentions) == _typed(old.mentions)
        r.pass_one_word_types(new)
        _old_one_word_types(old)
        assert _typed(new.mentions) == _typed(old.mentions)
        assert _full_people(new) == _full_people(old)
        changed += _typed(new.mentions) != _typed(mentions)
    assert changed > 500  # the corpora do meet the rules


def test_the_type_of_a_one_mention_cluster_is_the_vote_of_its_mention() -> None:
    """``_type_of_one`` (the shortcut ``_canonical`` takes for a cluster of one mention) gives ``_type``'s
    answer for every NER type (an unknown label too), with and without group words and acronyms."""
    rng = random.Random(13)
    names = ["Hamas Movement", "Justice Party", "NATO", "Rio Tinto", "Ana Ruiz", "PARTY", "the Front", ""]
    for _ in range(2000):
        kind = rng.choice([*_TYPES, "event"])
        name = rng.choice(names)
        one = [MentionRecord("d1", "text", 0, 1, name, name, kind, "X")]  # type: ignore[arg-type]
        assert r._type_of_one(one) == r._type(one), (name, kind)


def test_clusters_group_each_mention_under_its_root() -> None:
    """``_clusters`` (roots read from the parent table where a node's parent is a root) puts each mention,
    in order, under ``find`` of its node, on random union-find forests, compressed or not."""
    rng = random.Random(17)
    for _ in range(300):
        st = ResolutionState([], {})
        nodes = [("o", f"n{k}") for k in range(rng.randint(1, 30))]
        for n in nodes:
            st.uf.add(n)
        for _ in range(rng.randint(0, 40)):
            st.uf.union(rng.choice(nodes), rng.choice(nodes))
            if rng.random() < 0.3:
                st.uf.find(rng.choice(nodes))
        for k in range(rng.randint(0, 50)):
            node = rng.choice(nodes)
            st.mentions.append(MentionRecord("d1", "text", k, k + 1, node[1], node[1], "organization", "ORG"))
            st.node_of.append(node)
        got = r._clusters(st)  # first: on the forest as the unions left it
        expected: dict[tuple[str, ...], list[MentionRecord]] = {}
        for node, m in zip(st.node_of, st.mentions, strict=True):
            expected.setdefault(st.uf.find(node), []).append(m)
        assert {root: c.members for root, c in got.items()} == expected
        assert list(got) == list(expected)


def _old_type(members: list[MentionRecord]) -> str:
    votes = Counter(m.type for m in members if not is_acronym(m.name)) or Counter(m.type for m in members)
    if votes.get("other", 0) and votes["other"] >= sum(v for t, v in votes.items() if t != "other"):
        return "other"
    if votes.get("location", 0) > votes.get("organization", 0) + votes.get("group", 0):
        return "location"
    if "group" in votes or (votes.get("organization") and r._has_group_word(members)):
        return "group"
    if votes.get("organization"):
        return "organization"
    if votes.get("location"):
        return "location"
    return "other"


def test_a_cluster_type_counts_the_votes_of_its_names_that_are_not_acronyms() -> None:
    """``_type``'s votes counted per distinct (name, type) pair give the per-mention count's answer, on
    random clusters of names with and without acronyms and group words."""
    rng = random.Random(19)
    names = ["Hamas Movement", "NATO", "U.N.", "Rio Tinto", "Justice Party", "Ana Ruiz", "EU", ""]
    for _ in range(3000):
        members = [
            MentionRecord("d1", "text", k, k + 1, n, n, rng.choice(_TYPES), "X")
            for k, n in enumerate(rng.choices(names, k=rng.randint(1, 8)))
        ]
        assert r._type(members) == _old_type(members)
