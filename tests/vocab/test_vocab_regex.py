"""Hedge, title and refusal words come from the shared vocabulary; ``vocab.regex`` matches them in plain text."""

from __future__ import annotations

import pytest

from claimgraph import vocab
from claimgraph.attribution import lexicon


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("The agency declined to comment on the audit.", "declined to comment on"),
        ("A spokeswoman refused to be drawn on the figures.", "refused to be drawn"),
        ("He wouldn’t say whether the plant would close.", "wouldn’t say"),
        ("The firm did not respond to a request for comment.", "did not respond to a request for comment"),
        ("Ortiz could not be reached for comment.", "could not be reached for comment"),
        ("Officials refuse to identify the contractor.", "refuse to identify"),
    ],
)
def test_refusal_regex_finds_reported_refusals(text: str, found: str) -> None:
    m = lexicon.REFUSAL_RE.search(text)
    assert m is not None and m.group(0) == found


@pytest.mark.parametrize(
    "text", ["She commented on the refusal.", "The council declined sharply in the polls."]
)
def test_refusal_regex_ignores_other_uses(text: str) -> None:
    assert lexicon.REFUSAL_RE.search(text) is None


def test_lexicon_reads_hedges_titles_and_hedging_cues_from_vocab() -> None:
    assert vocab.phrases("hedge", "HEDGE") == lexicon.HEDGES
    assert (
        "reportedly" in lexicon.HEDGES and "clearly" in lexicon.BOOSTERS and "unless" in lexicon.CONDITIONALS
    )
    assert {"believes", "thought", "alleged"} <= lexicon.HEDGING_CUES
    assert {"mr", "senator", "colonel"} <= lexicon.TITLE_WORDS
    assert frozenset(vocab.phrases("title", "TITLE")) == lexicon.TITLE_WORDS


def test_regex_optional_tokens_and_inflections() -> None:
    r = vocab.regex("refusal", "DECLINE")
    assert r.search("they declined comment") is not None  # "to" is optional
    assert r.search("she is declining to elaborate") is not None


@pytest.mark.parametrize("name", vocab.OTHER_NAMES)
def test_other_word_lists_have_labels_and_patterns(name: str) -> None:
    entries = vocab.load(name)
    assert entries
    for entry in entries:
        assert entry["label"].isupper()
        assert "pattern" in entry or "phrase" in entry
