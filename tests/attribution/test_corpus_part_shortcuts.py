"""Shortcuts of attribution's corpus-wide part give what the code they replaced gave.

Each test runs the replaced code (kept here as the reference) and the shortcut on random inputs shaped like a
corpus's (repeated names, documents sharing forms, odd characters), and fails when one answer differs.
"""

from __future__ import annotations

import json
import random

from claimgraph.attribution.gazetteer import (
    AliasMatcher,
    _form_key,
    _tokens,
    ids_inside,
)
from claimgraph.attribution.stage import _add
from claimgraph.model import Alias, Document, Entity, Mention, Source, Statement, stable_id, stable_ids

from .helpers import reference_alias_tables

_CHARS = "ab Zé'’.-_ \"\\\n\u0301\ud800ß0"


def _random_text(rng: random.Random, most: int) -> str:
    return "".join(rng.choice(_CHARS) for _ in range(rng.randint(0, most)))


def test_stable_ids_give_the_stable_id_of_the_keys_and_pair() -> None:
    """``stable_ids`` hashes a copy of the keys' text and appends the pair: the id of ``stable_id`` on the whole
    keys, for ints of any size and sign, and for what is no int (bools, floats, strings, None) by falling back."""
    rng = random.Random(5)
    pairs: list[tuple[object, object]] = [
        (0, 0),
        (-3, 10**30),
        (True, 1),
        (1, False),
        (1.0, 2),
        ("1", 2),
        (None, 3),
    ]
    pairs += [(rng.randint(-(10**6), 10**6), rng.randint(0, 10**9)) for _ in range(200)]
    for _ in range(300):
        keys: tuple[object, ...] = tuple(
            rng.choice([_random_text(rng, 8), rng.randint(-5, 5), None, 1.5, "text"])
            for _ in range(rng.randint(0, 3))
        )
        make = stable_ids("stmt", *keys)
        for start, end in rng.sample(pairs, 20) + pairs[:7]:
            try:
                want = stable_id("stmt", *keys, start, end)
            except UnicodeEncodeError:  # a lone surrogate: no id either way
                continue
            assert make(start, end) == want, (keys, start, end)


def test_form_key_is_the_keys_of_the_tokens() -> None:
    """``_form_key`` reads the words by ``findall``: the keys of :func:`_tokens` (empty ones dropped), a leading
    ``the`` taken off."""
    rng = random.Random(6)
    texts = ["The U.S. Army", "the", "O’Brien's Co.", "al-Nusra Front", ""]
    texts += [_random_text(rng, 16).replace("\ud800", "") for _ in range(20000)]
    texts += [
        rng.choice(["the ", "The ", ""]) + _random_text(rng, 10).replace("\ud800", "") for _ in range(5000)
    ]
    for text in texts:
        keys = [k for _s, _e, k in _tokens(text) if k]
        if keys and keys[0] == "the":
            keys = keys[1:]
        assert _form_key(text) == tuple(keys), text


def _tables_one_put_per_mention(entities: list[Entity]) -> tuple[object, ...]:
    """The matcher's tables as :class:`AliasMatcher` made them before each (document, text) was put once: every
    span put (:func:`.helpers.reference_alias_tables`), the prefixes of every table's forms."""
    ref = reference_alias_tables(entities)
    prefixes: set[tuple[str, ...]] = set()
    for table in (ref["global"], *(t for _d, t in ref["doc_forms"])):
        for k, _eid in table:
            prefixes.update(k[:n] for n in range(1, len(k) + 1))
    return (ref["global"], ref["doc_forms"], ref["exact"], prefixes, {k[0] for k in prefixes})


def test_matcher_tables_put_each_document_text_once() -> None:
    """:class:`AliasMatcher` puts each distinct (document, text) of an entity's mentions once, and finds the
    prefixes of each distinct form once: the same tables, in the same order, as one put per mention and a walk
    of every table's forms (random entities whose mentions repeat texts within and across documents, so that
    forms become ambiguous)."""
    rng = random.Random(8)
    words = [
        "Ana",
        "Ruiz",
        "the",
        "Harbour",
        "Herald",
        "Ministry",
        "of",
        "Ports",
        "A.B.",
        "al-Nusra",
        "Front",
    ]
    for _ in range(60):
        entities = []
        for n in range(rng.randint(1, 25)):
            docs = [f"d{rng.randint(0, 6)}" for _ in range(rng.randint(1, 4))]

            def form() -> str:
                return " ".join(rng.choice(words) for _ in range(rng.randint(1, 4)))

            spans = [
                Mention(rng.choice(docs), 0, 1, form() if rng.random() < 0.5 else "Harbour Herald")
                for _ in range(rng.randint(1, 12))
            ]
            aliases = [
                Alias(
                    form(), rng.choice([*docs, None]), rng.choice(["mention", "surname", "acronym-defined"])
                )
                for _ in range(rng.randint(0, 3))
            ]
            entities.append(
                Entity(
                    id=f"ent-{n}",
                    name=form(),
                    type=rng.choice(["person", "organization", "location"]),
                    aliases=aliases,
                    mentions=len(spans),
                    mention_spans=spans,
                    document_ids=sorted(set(docs)),
                )
            )
        m = AliasMatcher(entities)
        got = (
            list(m._global.items()),
            [(d, list(t.items())) for d, t in m._doc_forms.items()],
            m._exact,
            m._prefixes,
            m._first,
        )
        assert got == _tables_one_put_per_mention(entities)


def test_a_statement_made_by_position_is_the_statement_by_keyword() -> None:
    """``_add`` makes a :class:`Statement` positionally: every field lands where the keyword call put it."""
    doc = Document("doc-1", "mem:1", None, "T", [], None, None, "Some text.")
    src = Source(id="src-1", label="Ana Ruiz", kind="person")
    out: dict[str, Statement] = {}
    _add(out, "stmt-1", doc, src, "text", 3, 9, "text", "indirect", "said", "reports", ["src-2"], ["ent-1"],
         "she", 0, 12, certainty="hedged", cues=["may"], calls_unfounded=True, negated_event=["x", "x"])  # fmt: skip
    want = Statement(
        id="stmt-1",
        document_id="doc-1",
        source_id="src-1",
        text="text",
        cue="said",
        mode="indirect",
        certainty="hedged",
        certainty_cues=["may"],
        start=3,
        end=9,
        entity_ids=["ent-1"],
        part="text",
        stance="reports",
        speaker_text="she",
        cited_source_ids=["src-2"],
        sentence_start=0,
        sentence_end=12,
        calls_unfounded=True,
        negated_event=["x", "x"],
    )
    assert json.dumps(out["stmt-1"].to_dict(), sort_keys=True) == json.dumps(want.to_dict(), sort_keys=True)
    assert out["stmt-1"] == want


def test_the_ids_inside_a_merge_of_span_lists_are_the_union_of_each_lists_ids() -> None:
    """A statement's entities are found in one sorted list of its document's NER spans and known names' matches:
    the union of what each list gives alone (:func:`ids_inside` of the NER spans, ``entity_set_in`` of the
    matches), on random lists with shared starts, nested and crossing spans and repeated ids."""
    rng = random.Random(9)

    def spans() -> list[tuple[int, int, str]]:
        out = []
        for _ in range(rng.randint(0, 12)):
            s = rng.randint(0, 40)
            out.append((s, s + rng.randint(0, 8), f"e{rng.randint(0, 9)}"))
        return sorted(out)

    for _ in range(3000):
        ner, names = spans(), spans()
        merged = sorted([*ner, *names])
        start = rng.randint(0, 45)
        end = start + rng.randint(0, 20)
        assert ids_inside(merged, start, end) == ids_inside(ner, start, end) | ids_inside(names, start, end)


def test_the_state_keys_each_mention_once_and_keys_mentions_appended_later() -> None:
    """``ResolutionState.name_keys`` (made once for the passes that read every mention's key) is the
    :func:`normalize` of each mention's name, also for mentions appended after the first call."""
    from claimgraph.attribution.resolution import MentionRecord, ResolutionState, normalize

    def m(name: str) -> MentionRecord:
        return MentionRecord("d1", "text", 0, len(name), name, name, "organization", "ORG")

    st = ResolutionState([m("The Harbour-Herald"), m("O’Brien's")], {})
    first = st.name_keys()
    assert first == ["harbour herald", "obrien"]
    st.mentions.append(m("Al  Nusra"))
    assert st.name_keys() is first and first == [normalize(x.name) for x in st.mentions]
