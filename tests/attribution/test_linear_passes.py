"""The corpus-wide passes' lookups (indexes instead of scans) give what the scans gave, and the stage
rerun with a new document re-resolves the old documents' mentions as a from-scratch run does."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from claimgraph.attribution import attribute
from claimgraph.attribution.gazetteer import AliasMatcher, _tokens
from claimgraph.attribution.lexicon import GROUP_WORDS, INSTITUTION_HEADS, MEDIA_WORDS
from claimgraph.attribution.resolution import _UF, EntityIndex, _group_heads, _LongerNames, _one_root
from claimgraph.attribution.sources import SourceBuilder
from claimgraph.model import UNNAMED_OUTLET, Alias, Corpus, Entity
from claimgraph.options import Options
from claimgraph.store import Store

from .helpers import make_doc


def _scan_heads(key: str, group_keys: set[str]) -> bool:
    """The rule as it was written before the index: some group name is ``key`` then group words only."""
    return any(k.startswith(key + " ") and set(k[len(key) + 1 :].split()) <= GROUP_WORDS for k in group_keys)


def test_group_heads_are_the_names_the_scan_finds() -> None:
    rng = random.Random(7)
    group = sorted(GROUP_WORDS)[:6]
    words = [*group, "red", "north", "hamas", "al", "front"]
    group_keys = {" ".join(rng.choice(words) for _ in range(rng.randint(1, 5))) for _ in range(400)}
    group_keys = {k for k in group_keys if set(k.split()) & GROUP_WORDS}
    heads = _group_heads(group_keys)
    candidates = {" ".join(k.split()[:i]) for k in group_keys for i in range(0, len(k.split()) + 1)}
    candidates |= {" ".join(rng.choice(words) for _ in range(rng.randint(1, 3))) for _ in range(300)}
    assert heads  # the random names do produce heads
    for key in candidates:
        assert (key in heads) == _scan_heads(key, group_keys), key


def _fits(short: str, long: str, generic: frozenset[str]) -> bool:
    """The short-form rule as it was tested on every long name sharing a first or last word."""
    s, lw = short.split(), long.split()
    if len(s) >= len(lw):
        return False
    if lw[-len(s) :] == s and (len(s) >= 2 or s[0] in generic or s[0] in MEDIA_WORDS):
        return True
    return lw[: len(s)] == s and all(w in generic for w in lw[len(s) :])


def test_the_longer_names_index_finds_what_testing_every_long_name_finds() -> None:
    rng = random.Random(11)
    generic = GROUP_WORDS | INSTITUTION_HEADS
    words = [*sorted(GROUP_WORDS)[:4], *sorted(INSTITUTION_HEADS)[:4], *sorted(MEDIA_WORDS)[:2]]
    words += ["new", "interior", "french", "al", "nusra", "red", "north"]
    longs = {("o", " ".join(rng.choice(words) for _ in range(rng.randint(2, 5)))) for _ in range(500)}
    shorts = {" ".join(rng.choice(words) for _ in range(rng.randint(1, 4))) for _ in range(600)}
    shorts |= {" ".join(n[1].split()[i:]) for n in longs for i in range(4)}
    shorts |= {" ".join(n[1].split()[:i]) for n in longs for i in range(1, 4)}
    index = _LongerNames(longs, generic)
    found = 0
    for short in shorts - {""}:
        expected = {n for n in longs if _fits(short, n[1], generic)}
        assert index.fitted_by(short) == expected, short
        found += bool(expected)
    assert found > 200  # the random names do fit one another


def test_the_matchers_words_are_those_of_the_tokeniser() -> None:
    texts = [
        "Al-Nusra’s men met O'Brien at the U.S. embassy",
        "Ｆｕｌｌ width, Ｎａｍｅｓ and ŞAHİN’s café",
        "",
    ]
    matcher = AliasMatcher([])
    for text in texts:
        for _ in range(2):  # the second time from the matcher's own table of keys
            spans, words, keys = matcher._words(text)
            assert list(zip(spans, keys, strict=True)) == [((s, e), k) for s, e, k in _tokens(text)]
            assert words == [text[s:e] for s, e in spans]


def test_the_scan_from_candidate_words_finds_what_a_scan_of_every_word_finds() -> None:
    ents = [
        Entity(
            id="e-fr",
            name="France",
            type="location",
            aliases=[Alias(name="French Republic", document_id="d1", rule="mention")],
        ),
        Entity(id="e-ke", name="Kenya", type="location"),
        Entity(id="e-un", name="United Nations Security Council", type="organization"),
        Entity(id="e-un2", name="United Nations", type="organization"),
        Entity(
            id="e-ana",
            name="Ana Ruiz",
            type="person",
            aliases=[Alias(name="Ruiz", document_id="d1", rule="surname")],
        ),
    ]
    matcher = AliasMatcher(ents)
    text = (
        "French officials told the United Nations Security Council, and the United Nations, that Ruiz, "
        "ruiz and Ana Ruiz met; united nations. The French Republic's envoy, a Frenchman, said so."
    )
    rng = random.Random(3)
    pieces = [*text.split(), "Kenyan", "Paris,", "the", "UN", "Nations", "Council."]
    texts = [text, *(" ".join(rng.choice(pieces) for _ in range(60)) for _ in range(200))]
    for doc_id in ("d1", "d2"):
        for t in texts:
            assert matcher.matches(doc_id, t) == _every_word_scan(matcher, doc_id, t)
    named = {text[s:e] for s, e, _ in matcher.matches("d1", texts[0])}
    assert named >= {"Ana Ruiz", "Ruiz", "United Nations"}
    assert any(t[s:e] == "Kenyan" for t in texts for s, e, _ in matcher.matches("d1", t))  # a demonym


def _every_word_scan(matcher: AliasMatcher, doc_id: str, text: str) -> list[tuple[int, int, str]]:
    """``AliasMatcher.matches`` as it was written before it skipped to candidate words: every word looked at."""
    toks = _tokens(text)
    spans = [(s, e) for s, e, _k in toks]
    out: list[tuple[int, int, str]] = []
    i = 0
    while i < len(toks):
        found = None
        s, e, k = toks[i]
        if k in matcher._first:
            words, top = [k], 1
            while i + top < len(toks):
                words.append(toks[i + top][2])
                if tuple(words) not in matcher._prefixes:
                    break
                top += 1
            found = matcher._longest(doc_id, text, spans, i, words, top)
        if found is not None:
            out.append(found[:3])
            i += found[3]
            continue
        if matcher._places and text[s : s + 1].isupper():
            eid = matcher._demonym(text[s:e])
            if eid is not None:
                out.append((s, e, eid))
        i += 1
    return out


def test_a_person_source_whose_entity_is_learned_late_is_affiliated() -> None:
    ent = Entity(id="ent-x", name="Ana Ruiz", type="person")
    index = EntityIndex(
        entities=[ent],
        by_span={},
        by_name={("d2", "ana ruiz"): "ent-x"},
        global_by_name={"ana ruiz": "ent-x"},
    )
    builder = SourceBuilder(index)
    # an author source made before its entity was known (no entity id), then met again with it
    first = builder._get("src-a", "Ana Ruiz", "author", "d1")
    other = builder._get("src-p", "Ana Ruiz", "person", "d2", entity_id="ent-x")
    assert first.entity_id is None
    builder._get("src-a", "Ana Ruiz", "author", "d2", entity_id="ent-x")
    builder.affiliate_person("d2", "Ana Ruiz", "director", "Brandt Consulting")
    org = builder.organization("Brandt Consulting", "d2")
    assert org.id in first.affiliated_source_ids and org.id in other.affiliated_source_ids
    assert first.role == other.role == "director"


def _run(docs: list[Any], store: Store | None) -> dict[str, Any]:
    corpus = Corpus(documents=list(docs))
    attribute(corpus, Options(n_process=1), store)
    return corpus.to_dict()


def test_a_second_full_name_in_a_new_document_re_resolves_an_old_surname(tmp_path: Path, nlp: Any) -> None:
    old = [
        make_doc("Jane Roe, a lawyer, said the fund was empty. Roe said more would follow."),
        make_doc("Speaking in Boston, Roe said the audit was late."),
    ]
    new = make_doc('"We never saw the audit," said John Roe, a trader.')
    with Store.open(tmp_path / "cg.db") as store:
        before = _run(old, store)
        grown = _run([*old, new], store)  # old documents' annotations from the store
    scratch = _run([*old, new], None)
    assert grown == scratch

    def roe_of_second(result: dict[str, Any]) -> str:
        doc = old[1].id
        spans = [(e["name"], s) for e in result["entities"] for s in e["mention_spans"]]
        return next(name for name, s in spans if s["document_id"] == doc and s["text"] == "Roe")

    # alone, the lone "Roe" of the second article is Jane Roe (the corpus's one full name with that last
    # word); with John Roe in the corpus it is nobody's in particular
    assert roe_of_second(before) == "Jane Roe"
    assert roe_of_second(grown) != "Jane Roe"


def test_one_root_is_the_set_of_roots_when_it_has_one_member() -> None:
    rng = random.Random(5)
    for _ in range(300):
        uf = _UF()
        nodes = [("o", f"n{i}") for i in range(8)]
        for n in nodes:
            uf.add(n)
        for _ in range(rng.randint(0, 10)):
            uf.union(rng.choice(nodes), rng.choice(nodes))
        pool = set(rng.sample(nodes, rng.randint(0, 8)))
        roots = {uf.find(n) for n in pool}
        hit, several = _one_root(pool, uf)
        assert hit == (next(iter(roots)) if len(roots) == 1 else None)
        assert several == (len(roots) > 1)


def test_a_source_in_many_documents_lists_each_once() -> None:
    builder = SourceBuilder(EntityIndex(entities=[], by_span={}, by_name={}, global_by_name={}))
    for doc in ["d2", "d1", "d2", "d3", "d1"]:
        builder.outlet("Harbour Ledger", doc)
    (src,) = builder.finish()
    assert src.document_ids == ["d1", "d2", "d3"]


def test_an_unnamed_outlet_is_one_outlet_per_document() -> None:
    """Documents that name no outlet are not known to share one: each has its own unnamed outlet."""
    builder = SourceBuilder(EntityIndex(entities=[], by_span={}, by_name={}, global_by_name={}))
    for doc in ["d2", "d1", "d2"]:
        builder.outlet(UNNAMED_OUTLET, doc)
    sources = builder.finish()
    assert sorted(s.document_ids for s in sources) == [["d1"], ["d2"]]
    assert {s.label for s in sources} == {UNNAMED_OUTLET} and len({s.id for s in sources}) == 2


class _CountingList(list[str]):
    """A list that counts the times it is iterated (``set(lst)`` is one)."""

    iterations = 0

    def __iter__(self) -> Any:
        _CountingList.iterations += 1
        return super().__iter__()


def test_a_source_met_again_does_not_copy_its_document_list() -> None:
    # the set of a source's documents is made once: copying the list on every meeting was quadratic for an
    # outlet of thousands of documents (1.5 s of a +10-of-10,000 increment)
    builder = SourceBuilder(EntityIndex(entities=[], by_span={}, by_name={}, global_by_name={}))
    src = builder.outlet("the Daily Quill", "d0")
    src.document_ids = _CountingList(src.document_ids)
    builder._documents_of.clear()  # the set is made again from the counting list, once
    _CountingList.iterations = 0
    for i in [*range(1, 300), *range(0, 300, 7)]:
        assert builder.outlet("the Daily Quill", f"d{i}") is src
    assert _CountingList.iterations == 1
    assert src.document_ids == [f"d{i}" for i in range(300)]


def test_a_source_id_made_once_is_the_stable_id_of_its_keys() -> None:
    """``SourceBuilder._source_id`` keeps each distinct keys' id: the same text as ``stable_id("src", ...)``
    on every call, for keys met once or again, in any order."""
    from claimgraph.model import stable_id

    builder = SourceBuilder(EntityIndex([], {}, {}, {}))
    rng = random.Random(23)
    parts = ["person", "organization", "anonymous", "ent-1", "d1", "a spokesman", "é", ""]
    for _ in range(2000):
        keys = tuple(rng.choice(parts) for _ in range(rng.randint(1, 3)))
        assert builder._source_id(*keys) == stable_id("src", *keys)
