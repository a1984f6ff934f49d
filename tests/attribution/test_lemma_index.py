"""The rule lemmatizer's word lists made constant-time (``attribution.nlp.index_lemma_tables``)."""

from __future__ import annotations

from typing import Any


def test_index_lists_answer_as_the_lists_do() -> None:
    from claimgraph.attribution.nlp import _IndexList

    words = ["run", "walk", "café", "", "Run"]
    index = _IndexList(words)
    assert index == words and isinstance(index, list) and bool(index)
    for probe in [*words, "runs", "cafe", "RUN", "walk "]:
        assert (probe in index) is (probe in words)
    assert not _IndexList([])


def test_every_lemma_is_the_one_of_the_plain_tables(nlp: Any) -> None:
    """Words of every part of speech the tables cover, with suffixes the rules strip and forms outside the
    index, lemmatised by the pipeline's lemmatizer (indexed tables) and by the same lemmatizer with the
    model's plain lists put back: the same lemma lists."""
    from spacy.tokens import Doc

    from claimgraph.attribution.nlp import _IndexList, index_lemma_tables

    lemmatizer = nlp.get_pipe("lemmatizer")
    table = lemmatizer.lookups.get_table("lemma_index")
    assert table and all(isinstance(words, _IndexList) for words in table.values())
    index_lemma_tables(nlp)  # idempotent
    assert all(isinstance(words, _IndexList) for words in table.values())
    words = " ".join(
        [
            "said says saying told tells running ran studies studied better best mice geese children",
            "allegations denied denies Kestrian recruits recruited fabrications quickly happier boxes wolves",
            "data criteria xyzzies blorfed snarking Veloria’s U.S. 1990s re-elected co-founded",
        ]
    ).split()
    tags = {"VERB": "VBD", "NOUN": "NNS", "ADJ": "JJR", "ADV": "RB", "PROPN": "NNP"}
    cases = [(word, pos) for word in words for pos in tags]

    def lemmas() -> list[list[str]]:
        out = []
        for word, pos in cases:
            doc = Doc(nlp.vocab, words=[word], pos=[pos], tags=[tags[pos]])
            out.append(lemmatizer.rule_lemmatize(doc[0]))
        return out

    lemmatizer.cache = {}
    indexed = lemmas()
    plain = {key: list(words) for key, words in table.items()}
    try:
        for key, words in plain.items():
            table[key] = words
        lemmatizer.cache = {}
        assert lemmas() == indexed
    finally:
        index_lemma_tables(nlp)
        lemmatizer.cache = {}
    assert all(isinstance(words, _IndexList) for words in table.values())


def test_indexed_tables_still_serialise_and_pickle(nlp: Any) -> None:
    import pickle

    from spacy.lookups import Lookups

    from claimgraph.attribution.nlp import _IndexList

    lookups = nlp.get_pipe("lemmatizer").lookups
    table = lookups.get_table("lemma_index")
    back = Lookups().from_bytes(lookups.to_bytes()).get_table("lemma_index")
    assert {k: list(v) for k, v in back.items()} == {k: list(v) for k, v in table.items()}
    words = next(iter(table.values()))
    copy = pickle.loads(pickle.dumps(words))
    assert isinstance(copy, _IndexList) and copy == words and words[0] in copy and "not a word ~" not in copy
