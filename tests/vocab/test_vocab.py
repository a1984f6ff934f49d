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


def test_spacy_stop_words_equal_spacys_and_cleaning_text_does_not_import_spacy() -> None:
    """``spacy_stop_words`` reads spaCy's lists from their files: the same words as
    ``spacy.lang.<lang>.stop_words``, and a process that only cleans text (the teaser-headline rule
    reads the English list) never imports ``spacy`` (with torch installed that import costs seconds)."""
    import subprocess
    import sys

    code = (
        "import sys, importlib\n"
        "from claimgraph.ingest.text import clean_text\n"
        "prose = 'The council voted on the harbour plan after a long debate about its cost and timing.'\n"
        "other = 'The mayor said the works would start in spring once the money had been approved.'\n"
        "cleaned = clean_text('\\n\\n'.join([prose, 'These towns have the longest commutes', other]))\n"
        "assert 'These towns have the longest commutes' not in cleaned.paragraphs, cleaned.paragraphs\n"
        "assert not any(m == 'spacy' or m.startswith('spacy.') for m in sys.modules)\n"
        "from claimgraph.vocab import spacy_stop_words\n"
        "for lang in ('en', 'de', 'fr'):\n"
        "    module = importlib.import_module(f'spacy.lang.{lang}.stop_words')\n"
        "    assert spacy_stop_words(lang) == frozenset(module.STOP_WORDS), lang\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
