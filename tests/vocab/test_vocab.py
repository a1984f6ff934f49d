"""The shared vocabulary loads, and its patterns match inflected forms through spaCy lemmas."""

from __future__ import annotations

import pytest

from claimgraph import vocab


@pytest.mark.parametrize("name", vocab.NAMES)
def test_every_entry_has_a_label_and_a_pattern(name: str) -> None:
    entries = vocab.load(name)
    assert entries
    for entry in entries:
        assert entry["label"].isupper()
        assert "pattern" in entry or "phrase" in entry


def test_matcher_finds_inflected_cues() -> None:
    from claimgraph.attribution.nlp import load_model

    nlp = load_model()
    m = vocab.matcher(nlp.vocab, "denial", "refusal")
    doc = nlp("Officials have denied the account and declined to comment further.")
    labels = {nlp.vocab.strings[i] for i, _, _ in m(doc)}
    assert labels == {"DENY", "DECLINE"}
