"""``AccusedTest`` (the claims stage's per-run accused-party test) answers as ``is_accused`` with the names,
affiliates and descriptions its callers used to pass, for every speaker and every set of accused entities,
on invented names chosen to hit each path: multi-word names, a final ``s``, names starting or ending with
punctuation, one-word places named through demonyms, and affiliations."""

from __future__ import annotations

import random
import re

from claimgraph.claims.stance import _WORD_RUN, AccusedTest, EntityNames, is_accused, speaker_context
from claimgraph.model import Alias, Corpus, Entity, Source, Statement

WORDS = ["tarnovia", "velmark", "ostria", "austria", "australia", "germany", "roads", "ministry", "dorvell",
         "brennicks", "guild", "bank", "c++", "o.b.", "sss", "-ostmark", "the", "of", "y", "ss"]  # fmt: skip
PLACES = [
    "Tarnovia",
    "Velmark",
    "Ostria",
    "Austria",
    "Australia",
    "Germany",
    "Brennick",
    "Holland",
    "Netherlands",
]
DESCRIPTIONS = ["Tarnovian", "Velmarkish", "German", "Austrian", "Australian", "Ostrian", "Dutch", "Brennicks",
                "roads ministry", "a c++ guild member", "an o.b. analyst", "-ostmark bank", "ssss", "Mr.",
                "dorvellian", "the Tarnovia-based", "spokesman"]  # fmt: skip


def _name(rng: random.Random) -> str:
    if rng.random() < 0.3:
        return rng.choice(PLACES)
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 3))).title()


def _corpus(rng: random.Random) -> Corpus:
    entities = [
        Entity(
            id=f"e{k}",
            name=_name(rng),
            type="organization",
            aliases=[Alias(name=_name(rng), document_id=None, rule="test") for _ in range(rng.randint(0, 6))],
        )
        for k in range(12)
    ]
    sources = []
    for k in range(30):
        sources.append(
            Source(
                id=f"s{k}",
                label=" ".join(rng.sample(DESCRIPTIONS, rng.randint(0, 2))),
                kind=rng.choice(["person", "organization", "outlet"]),
                entity_id=rng.choice([None, *(e.id for e in entities)]),
                description=rng.choice([None, *DESCRIPTIONS]),
                role=rng.choice([None, "minister", *DESCRIPTIONS]),
                affiliated_source_ids=[f"s{j}" for j in rng.sample(range(30), rng.randint(0, 2))],
                affiliation_entity_ids=[e.id for e in rng.sample(entities, rng.choice([0, 0, 0, 1]))],
            )
        )
    statements = [
        Statement(
            id=f"st{k}",
            document_id="d",
            source_id=f"s{rng.randrange(30)}",
            text="words",
            cue=None,
            mode="direct",
            certainty="asserted",
            certainty_cues=[],
            start=k,
            end=k + 1,
            speaker_text=" ".join(rng.sample(DESCRIPTIONS, 2)),
        )
        for k in range(40)
    ]
    return Corpus(entities=entities, sources=sources, statements=statements)


def test_the_accused_test_answers_as_is_accused() -> None:
    rng = random.Random(12)
    checked = positive = 0
    for _ in range(25):
        corpus = _corpus(rng)
        test = AccusedTest(corpus)
        sources = corpus.index("sources")
        names_of = EntityNames(corpus.index("entities"))
        context = speaker_context(corpus)
        ids = [e.id for e in corpus.entities] + ["missing"]
        for source in corpus.sources:
            affiliates = [sources[a] for a in source.affiliated_source_ids if a in sources]
            described = sorted(context.get(source.entity_id or source.id, ()))
            for _ in range(20):
                accused = rng.sample(ids, rng.randint(0, 3))
                expected = is_accused(source, accused, names_of(accused), affiliates, described)
                assert test(source, accused) == expected, (source, accused)
                assert test(source, accused) == expected  # the kept answer
                checked += 1
                positive += expected
    assert test(None, ["e1"]) is False
    assert checked == 25 * 30 * 20 and 0.1 < positive / checked < 0.9  # both answers are exercised


def test_word_runs_are_runs_of_word_characters() -> None:
    # the index reads a text's runs of ``\w``; ``_whole_word_in`` reads str.isalnum() or "_": the same set
    text = "Ünïcode_x ²³ a.b ½ ٣ c++ 𝔘 ǅ"
    runs = set(_WORD_RUN.findall(text))
    assert runs == set(re.findall(r"[^\W]+", text))
    assert all(all(ch.isalnum() or ch == "_" for ch in run) for run in runs)
    assert all(not (ch.isalnum() or ch == "_") for ch in re.sub(r"\w", "", text))


def test_a_demonym_of_two_accused_places_is_no_answer() -> None:
    # "Dutch" names both "Holland" and "Netherlands": country_for_demonym finds no single place
    both = Entity(id="nl", name="Netherlands", type="location", aliases=[Alias("Holland", None, "test")])
    one = Entity(id="nl1", name="Netherlands", type="location")
    speaker = Source(id="s", label="a Dutch diplomat", kind="person")
    corpus = Corpus(entities=[both, one], sources=[speaker])
    names_of = EntityNames(corpus.index("entities"))
    test = AccusedTest(corpus)
    for ids, expected in [(["nl"], False), (["nl1"], True), (["nl1", "nl"], False)]:
        assert is_accused(speaker, ids, names_of(ids)) is expected
        assert test(speaker, ids) is expected
