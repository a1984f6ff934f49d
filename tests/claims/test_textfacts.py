"""The claims stage's per-text facts kept in the store (``claims/textfacts.py``): read back, they are the
functions' own results, and an incremental run that reads them gives the from-scratch result."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest

from claimgraph import analyze
from claimgraph.attribution.demonyms import PlaceIndex, country_for_demonym
from claimgraph.claims import textfacts
from claimgraph.claims.actors import demonym_matches
from claimgraph.claims.stage import contradicts
from claimgraph.claims.stance import (
    _negated,
    has_denial_cue,
    has_dispute_cue,
    has_relay_cue,
    refers_to_claim,
    refuses,
    takes_stance_on_claim,
)
from claimgraph.claims.text import _content_tokens, quantities
from claimgraph.model import Statement
from claimgraph.options import Options
from claimgraph.outputs.csv_export import COLUMNS
from claimgraph.store import Store

FROZEN = "2026-01-01T00:00:00Z"
OPTIONS = Options(frozen_time=FROZEN, n_process=1, progress=False, formats=("json", "csv"))
CopyCorpus = Callable[[Path], list[Path]]

#: Invented statements that between them raise every cue test (and none of them for the last).
TEXTS = [
    ("Interior ministry spokesman Oren Valdis would not comment on the 1,250 detainees.", "declined"),
    ("The Gresham Institute denied the report, calling it baseless.", "denied"),
    ("The allegations about the Tarvik pipeline are unproven, an analyst said.", "said"),
    ("The Brenmoor Times reported that the Castellan army moved 340 tanks.", None),
    ("We have never paid Halvorsen Logistics anything, the company said.", "said"),
    ("The weather in Lisbon was mild on Tuesday.", None),
]


def _statements() -> list[Statement]:
    return [
        Statement(
            id=f"st-{k}",
            document_id=f"doc-{k % 2}",
            source_id="src",
            text=text,
            cue=cue,
            mode="direct",
            certainty="asserted",
            certainty_cues=[],
            part="text",
            start=k * 100,
            end=k * 100 + len(text),
        )
        for k, (text, cue) in enumerate(TEXTS)
    ]


def _facts(st: Statement) -> tuple[object, ...]:
    """Every stored fact of ``st`` from the plain functions (no cache)."""
    return (
        _content_tokens.func(st.text),
        quantities.func(st.text),
        refuses.func(st.text),
        has_dispute_cue.func(st.text, st.cue),
        refers_to_claim.func(st.text),
        takes_stance_on_claim.func(st.text, st.cue),
        has_relay_cue.func(st.text),
        has_denial_cue.func(st.text, st.cue),
        contradicts.func(st.text),
        _negated.func(st.text),
        demonym_matches.func(st.text),
    )


def _cached(st: Statement) -> tuple[object, ...]:
    return (
        _content_tokens(st.text),
        quantities(st.text),
        refuses(st.text),
        has_dispute_cue(st.text, st.cue),
        refers_to_claim(st.text),
        takes_stance_on_claim(st.text, st.cue),
        has_relay_cue(st.text),
        has_denial_cue(st.text, st.cue),
        contradicts(st.text),
        _negated(st.text),
        demonym_matches(st.text),
    )


def test_facts_read_back_from_the_store_are_the_functions_results(tmp_path: Path) -> None:
    statements = _statements()
    expected = [_facts(st) for st in statements]
    # the invented texts raise each cue test at least once (so a swapped bit would show)
    for column in range(2, 10):
        assert any(row[column] for row in expected), column
        assert not all(row[column] for row in expected), column
    with Store.open(tmp_path / "ws.db") as store:
        textfacts.clear_caches()
        first = textfacts.StoredTextFacts(store, statements, namespace="test")
        assert not first.known
        assert first.save() == 2  # one entry per document
        textfacts.clear_caches()
        second = textfacts.StoredTextFacts(store, statements, namespace="test")
        assert len(second.known) == 2
        # every fact is now in the caches, before any function ran
        assert all(
            st.text in _content_tokens.data
            and st.text in textfacts._TEXT_FLAGS
            and (st.text, st.cue) in textfacts._CUE_FLAGS
            for st in statements
        )
        assert [_cached(st) for st in statements] == expected
        assert second.save() == 0
        # a document whose statements changed is a miss; the entries of documents gone are dropped
        statements[0].text += " More words."
        textfacts.clear_caches()
        third = textfacts.StoredTextFacts(store, statements, namespace="test")
        assert len(third.known) == 1
        assert third.save() == 1
        assert len(store.get_memos("test", list(third.documents))) == 2
        assert [_cached(st) for st in statements] == [_facts(st) for st in statements]


def test_a_damaged_entry_is_a_miss(tmp_path: Path) -> None:
    statements = _statements()
    with Store.open(tmp_path / "ws.db") as store:
        facts = textfacts.StoredTextFacts(store, statements, namespace="test")
        keys = list(facts.documents)
        store.replace_memos("test", {keys[0]: [["x"]], keys[1]: "not a list"})
        textfacts.clear_caches()
        again = textfacts.StoredTextFacts(store, statements, namespace="test")
        assert not again.known
        assert [_cached(st) for st in statements] == [_facts(st) for st in statements]


def test_a_corpus_past_the_bound_neither_reads_nor_writes_facts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    statements = _statements()
    monkeypatch.setattr(textfacts, "MAX_STATEMENTS", len(statements) - 1)
    with Store.open(tmp_path / "ws.db") as store:
        facts = textfacts.StoredTextFacts(store, statements, namespace="test")
        assert facts.save() == 0 and not facts.documents
        monkeypatch.setattr(textfacts, "MAX_STATEMENTS", len(statements))
        assert textfacts.StoredTextFacts(store, statements, namespace="test").save() == 2


def test_the_cached_demonym_check_answers_as_the_place_index() -> None:
    rng = random.Random(7)
    places = ["Norland", "Austria", "Australia", "Kenya", "Estonia", "Castella", "Brenmoor", "Iraq", "Peru",
              "Tarvik", "Germany", "Chinatown", "Lisbon", "Pakistan"]  # fmt: skip
    words = ["Austrian", "Australian", "Kenyan", "Estonian", "Castellan", "Iraqi", "Peruvian", "German",
             "Germans", "Chinese", "Pakistani", "Norlandian", "Tarvikan", "Brenmoorish", "Lisboan", "Dutch",
             "Tuesday", "Americans"]  # fmt: skip
    for _ in range(2000):
        chosen = rng.sample(places, rng.randint(1, 6))
        word = rng.choice(words)
        assert country_for_demonym(word, chosen) == PlaceIndex(chosen).country_for(word), (
            word,
            chosen,
        )


@pytest.mark.parametrize("corpus", ["sample"])
def test_an_incremental_run_reading_stored_facts_gives_the_from_scratch_result(
    tmp_path: Path, copy_sample_corpus: CopyCorpus, corpus: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = copy_sample_corpus(tmp_path / "in")
    first, second = files[: len(files) // 2], files[len(files) // 2 :]
    read_back: list[int] = []
    original = textfacts.StoredTextFacts.save

    def save(self: textfacts.StoredTextFacts) -> int:
        read_back.append(len(self.known))
        return original(self)

    monkeypatch.setattr(textfacts.StoredTextFacts, "save", save)
    textfacts.clear_caches()
    analyze(first, tmp_path / "incremental", options=OPTIONS)
    textfacts.clear_caches()  # as in a new process: only the store holds the first batch's facts
    grown = analyze([*first, *second], tmp_path / "incremental", options=OPTIONS)
    assert read_back[0] == 0 and read_back[-1] > 0  # the second run read the first run's entries
    textfacts.clear_caches()
    scratch = analyze([*first, *second], tmp_path / "scratch", options=OPTIONS)
    assert scratch.corpus.claims
    assert grown.corpus.to_dict() == scratch.corpus.to_dict()
    for name in ("claimgraph.json", *COLUMNS):
        assert (tmp_path / "incremental" / name).read_bytes() == (tmp_path / "scratch" / name).read_bytes(), (
            name
        )


def test_the_document_key_is_the_digest_of_each_part_in_turn() -> None:
    import hashlib

    statements = _statements()
    statements[1].text = "Le ministère a démenti — «\u00a0faux\u00a0» 東京"
    statements[2].cue = ""
    for size in range(len(statements) + 1):
        digest = hashlib.sha256()
        for st in statements[:size]:
            for part in (st.text.encode("utf-8"), b"\1", (st.cue or "").encode("utf-8"), b"\0"):
                digest.update(part)
        assert textfacts.StoredTextFacts.key(statements[:size]) == digest.hexdigest()


class _Reference:
    """The general form of a text cache: a dict of results, looked up, computed and kept (emptied when full)."""

    def __init__(self, func: Callable[[str], object], maxsize: int) -> None:
        self.func, self.maxsize, self.data = func, maxsize, {}

    def __call__(self, text: str) -> object:
        if text in self.data:
            return self.data[text]
        found = self.func(text)
        if len(self.data) >= self.maxsize:
            self.data.clear()
        self.data[text] = found
        return found


def test_a_text_cache_answers_and_holds_as_the_general_form() -> None:
    rng = random.Random(3)
    calls: dict[str, list[str]] = {"cache": [], "reference": []}

    def counted(name: str) -> Callable[[str], tuple[str, ...]]:
        def func(text: str) -> tuple[str, ...]:
            calls[name].append(text)
            return tuple(sorted(text.split()))

        return func

    cache = textfacts.TextCache(counted("cache"), maxsize=7)
    other = textfacts.TextCache(counted("cache"), maxsize=7)
    reference = _Reference(counted("reference"), maxsize=7)
    try:
        texts = [" ".join(rng.choices("abcdefghij", k=rng.randint(0, 3))) for _ in range(20)]
        for _ in range(500):
            text = rng.choice(texts)
            assert cache(text) == reference(text)
            # the same texts computed (a held one is not computed again) and held
            assert calls["cache"] == calls["reference"]
            assert dict(cache.data) == reference.data
        # it behaves as a function: true even when empty, hashed and compared by identity
        cache.cache_clear()
        assert cache and len(cache.data) == 0 and cache != other and len({cache, other}) == 2
        assert cache.__name__ == "func" and cache.__wrapped__ is not None
    finally:
        textfacts._CACHES.remove(cache)
        textfacts._CACHES.remove(other)
