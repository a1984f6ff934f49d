"""The claims stage's dispute and denial cues are read from the shared vocabulary (no word lists in code)."""

from __future__ import annotations

import inspect

import pytest

import claimgraph.claims.stance as stance_mod
from claimgraph import vocab
from claimgraph.claims.stance import has_denial_cue, has_dispute_cue, vocab_regex


def test_no_cue_word_lists_left_in_the_module() -> None:
    assert not hasattr(stance_mod, "DISPUTE_CUES") and not hasattr(stance_mod, "DENIAL_CUES")
    source = inspect.getsource(stance_mod)
    for word in ("unsubstantiated", "disinformation", "categorically", "undisputed", "fairy"):
        assert word not in source, word


@pytest.mark.parametrize(
    ("text", "dispute", "denial"),
    [
        ("The watchdog called the figures dubious.", True, False),
        ("Its report has not been verified.", True, False),
        ("There is little evidence for the story.", True, False),
        ("The allegation is completely false.", True, False),
        ("The harbour authority called the account a fabrication.", True, True),
        ("These accusations are baseless.", True, True),
        ("The company categorically rejected the accusation.", True, True),
        ("Officials denied it.", True, True),
        ("The video of the mayor appears to have been a hoax.", True, False),
        ("The harbour photo was doctored, a lab in Sarn found.", True, False),
        # idioms and look-alikes that are no dispute
        ("That the ship docked is not in dispute.", False, False),
        ("Without a doubt the port reopened in May.", False, False),
        ("The depot lies near the river.", False, False),
        ("Two men carried false passports.", False, False),
    ],
)
def test_cues(text: str, dispute: bool, denial: bool) -> None:
    assert has_dispute_cue(text) is dispute
    assert has_denial_cue(text) is denial


def test_a_label_added_to_the_vocabulary_is_read() -> None:
    regex = vocab_regex([("dispute", ("UNSUPPORTED",))])
    assert regex.search("the story rests on a single anonymous source")
    assert regex.search("no hard evidence")
    assert not regex.search("the story rests on the table")


def test_every_entry_is_a_valid_spacy_matcher_pattern() -> None:
    spacy = pytest.importorskip("spacy")
    nlp = spacy.blank("en")
    matcher = vocab.matcher(nlp.vocab, "denial", "dispute", "refusal")
    assert len(matcher) > 0
    doc = nlp("They said the report was completely false and a fabrication .")
    for token in doc:
        token.lemma_ = token.lower_
    labels = {nlp.vocab.strings[m] for m, _, _ in matcher(doc)}
    assert "FALSEHOOD" in labels
