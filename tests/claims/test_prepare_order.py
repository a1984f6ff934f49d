"""The matching pass's statement order (``stage._prepare``) is :func:`~claimgraph.claims.stage.order_key`'s, with
each document's date looked up once: undated documents, a statement of a document not in the corpus, titles
before bodies, and ties broken by offset then id."""

from __future__ import annotations

import random

from corpus_builder import CorpusBuilder

from claimgraph.claims.stage import _prepare, order_key
from claimgraph.options import Options


def test_prepare_orders_statements_by_order_key() -> None:
    b = CorpusBuilder()
    rng = random.Random(4)
    docs = [
        b.doc(str(k), "Ostmark shipped rifles. The convoy was late. Varro said so.", title="Ostmark ships rifles",
              published=rng.choice([None, "", "2024-03-01", "2024-02-11", "2023-12-30"]))
        for k in range(12)
    ]  # fmt: skip
    outlet = b.source("desk", "outlet", docs=docs)
    for doc in docs:
        for text in rng.sample(["Ostmark shipped rifles.", "The convoy was late.", "Varro said so."], 2):
            b.say(doc, outlet, text, mode="assertion", cue=None)
        b.say(doc, outlet, "Ostmark ships rifles", mode="assertion", cue=None, part="title")
    corpus = b.build()
    corpus.statements[5].document_id = "doc-missing"
    rng.shuffle(corpus.statements)
    documents = {d.id: d for d in corpus.documents}
    expected = [s.id for s in sorted(corpus.statements, key=lambda s: order_key(s, documents))]
    assert [s.id for s in _prepare(corpus, Options()).statements] == expected


def test_topic_words_are_the_content_words_less_names_and_demonyms() -> None:
    # _Run.topic_of skips the demonym lookup of texts without a demonym-shaped word: the same sets as the rule
    # written out (content tokens less every entity name's tokens and those of the demonyms naming an entity)
    from claimgraph.claims.text import content_tokens

    rng = random.Random(9)
    words = ["Kenyan", "Ostmarkian", "Russian", "Varro", "convoy", "rifles", "shipped", "Holdings", "the",
             "Tuesday", "Kenya", "soldiers", "Ostmark", "late"]  # fmt: skip
    texts = [f"{' '.join(rng.choices(words, k=rng.randint(1, 8)))} line{k}." for k in range(300)]
    b = CorpusBuilder()
    doc = b.doc("1", " ".join(texts), title="Title")
    outlet = b.source("desk", "outlet", docs=[doc])
    b.entity("Ostmark", "location")
    b.entity("Kenya", "location")
    b.entity("Varro Holdings", "organization")
    for text in texts:
        b.say(doc, outlet, text, mode="assertion", cue=None)
    corpus = b.build()
    run = _prepare(corpus, Options())
    for st in corpus.statements:
        named = content_tokens(" ".join(run.demonyms.words_in(st.text)))
        assert run.topic_of(st) == set(content_tokens(st.text)) - run.name_tokens - set(named), st.text
    assert sum(bool(run.demonyms.words_in(st.text)) for st in corpus.statements) > 50


def test_the_dispute_like_statements_found_after_the_reset_hold_to_the_end_of_the_stage() -> None:
    # _Run.disputing is _dispute_like of every statement right after _prepare's stance reset; the later passes
    # (stances, attachments, the accused party's denials, the origin rule) never set or clear ``declines``
    from corpus_builder import FakeStanceModel, central_case

    from claimgraph.claims.stage import _dispute_like, build_claims

    for default in [("supports", 0.6), ("disputes", 0.9), ("unrelated", 0.95)]:
        corpus, _ = central_case()
        run = _prepare(corpus, Options())
        assert run.disputing == {st.id for st in corpus.statements if _dispute_like(st)}
        assert 0 < len(run.disputing) < len(corpus.statements)
        build_claims(corpus, Options(), stance_model=FakeStanceModel(default=default))
        assert corpus.claims
        assert {st.id for st in corpus.statements if _dispute_like(st)} == run.disputing


def test_the_own_voice_statements_found_by_prepare_are_the_rule_s() -> None:
    # _Run.own_voice reads the set _prepare made: the rule (stance.own_voice) of every statement, whose mode and
    # source no pass changes
    from corpus_builder import FakeStanceModel, central_case

    from claimgraph.claims.stage import build_claims
    from claimgraph.claims.stance import own_voice

    corpus, _ = central_case()
    run = _prepare(corpus, Options())
    sources = {s.id: s for s in corpus.sources}
    expected = {st.id for st in corpus.statements if own_voice(st, sources.get(st.source_id))}
    assert run.voiced == expected
    assert 0 < len(expected) < len(corpus.statements)
    assert all(run.own_voice(st) == (st.id in expected) for st in corpus.statements)
    build_claims(corpus, Options(), stance_model=FakeStanceModel(default=("supports", 0.6)))
    assert {st.id for st in corpus.statements if own_voice(st, sources.get(st.source_id))} == expected
