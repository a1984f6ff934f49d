"""A one-line post given with its line as both ``title`` and ``text`` says it once.

Headline corpora and feeds often repeat a post's only line in both fields. The title used to make a headline
statement of its own beside the text's statement of the same sentence, so every such post counted twice in
statement counts. The title still makes its statement when it is not the text (a headline above an article, a
short title above a one-line text). Invented names throughout.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from claimgraph.attribution.stage import title_speaks
from claimgraph.ingest.text import same_title
from claimgraph.model import Corpus, Document

from .helpers import make_doc

Run = Callable[..., Corpus]

POST = "Harbour police in Ostravel seized 40 kilos of cocaine, the customs office said"


def _doc(title: str | None, text: str) -> Document:
    return make_doc(text, title=title)


@pytest.mark.parametrize(
    ("title", "text", "speaks"),
    [
        (POST, POST, False),
        (POST, POST + ".", False),  # the text closes the sentence
        (f"“{POST}”", f"  {POST.upper()}\n", False),  # quotes, case and white space
        ("Ostravel police seize cocaine", POST, True),  # a headline above its text
        (POST, POST + ". The haul was the largest this year, officers said.", True),  # the text says more
        ("", POST, False),
        ("   ", POST, False),
        (None, POST, False),
    ],
)
def test_title_speaks_unless_it_is_the_text(title: str | None, text: str, speaks: bool) -> None:
    assert title_speaks(_doc(title, text)) is speaks


def test_a_post_repeated_as_its_title_makes_one_statement(run: Run) -> None:
    repeated = _doc(POST, POST + ".")
    headed = _doc("Ostravel police seize cocaine", POST + ".")
    c = run(repeated, headed)
    by_doc: dict[str, list[str]] = {}
    for st in c.statements:
        by_doc.setdefault(st.document_id, []).append(st.part)
    assert by_doc[repeated.id] == ["text"]
    # the speaker and cue are the text's: the customs office said it, not the outlet's headline
    (st,) = [s for s in c.statements if s.document_id == repeated.id]
    assert st.cue == "said" and st.mode != "assertion"
    assert sorted(by_doc[headed.id]) == ["text", "title"]


def test_jsonl_and_feed_posts_through_analyze(tmp_path: Path) -> None:
    from claimgraph import analyze

    folder = tmp_path / "in"
    folder.mkdir()
    records = [
        {"title": POST, "text": POST, "url": "https://wire.example/1"},
        {"title": "Grain barge runs aground", "text": "A grain barge ran aground near Kellmor on Sunday."},
    ]
    (folder / "wire.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    alert = "Fire crews in Dunmere evacuated 200 homes after a wildfire crossed the ridge, the county said"
    (folder / "alerts.rss").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>County Alerts</title>'
        "<link>https://alerts.example/</link><description>alerts</description>"
        f"<item><title>{alert}</title><description>{alert}.</description>"
        "<link>https://alerts.example/1</link></item></channel></rss>",
        encoding="utf-8",
    )
    result = analyze([folder], tmp_path / "out", stages=("claimgraph.attribution.v1",))
    corpus = result.corpus
    texts = {d.id: (d.text or "") for d in corpus.documents}
    per_doc: dict[str, list[str]] = {}
    for st in corpus.statements:
        per_doc.setdefault(texts[st.document_id], []).append(st.part)
    assert per_doc[POST] == ["text"]
    (alert_doc,) = [t for t in texts.values() if t.startswith("Fire crews")]
    assert per_doc[alert_doc] == ["text"]
    barge = "A grain barge ran aground near Kellmor on Sunday."
    assert sorted(per_doc[barge]) == ["text", "title"]


def _same_title_by_whole_keys(a: str, b: str) -> bool:
    """The definition :func:`claimgraph.ingest.text.same_title` had before its head test: both whole keys."""

    def key(text: str) -> str:
        return re.sub(r"[\W_]+", " ", text.casefold()).strip()

    ka = key(a)
    return bool(ka) and ka == key(b)


_LETTERS = [*"abcXYZ019 ", "ß", "İ", "ﬁ", "Σ", "ς", "\u0307", "_", "-", ".", "\n", "\u00a0", "’", "—", "  "]
_GAPS = [" ", "\n", ".", "_", "-", "\u00a0", "—", "\u0307"]


def _random(rng: random.Random, alphabet: list[str], most: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, most)))


def test_the_head_test_of_a_long_text_answers_as_the_whole_keys() -> None:
    """``same_title`` reads a long text's head first (:data:`claimgraph.ingest.text._HEAD_SLACK`); on random
    titles and texts built from them (padded with punctuation, white space, case changes, characters whose case
    folding is longer or is no letter: ``ß``, ``İ``, ``ﬁ``, combining marks, underscores) it answers as the
    whole keys do, both ways."""
    rng = random.Random(12)
    answers = set()
    for _ in range(20000):
        title = _random(rng, _LETTERS, 12)
        shape = rng.randrange(5)
        if shape == 0:  # the title again, padded (equal keys)
            again = title.upper() if rng.random() < 0.5 else title
            body = _random(rng, _GAPS, 60) + again + _random(rng, _GAPS, 60)
        elif shape == 1:  # the title, then more words
            body = title + _random(rng, _GAPS, 60) + _random(rng, _LETTERS, 80)
        elif shape == 2:  # the title case-folded with its characters spaced out
            body = _random(rng, _GAPS, 60) + " ".join(title.casefold()) + _random(rng, _GAPS, 60)
        else:
            body = _random(rng, _LETTERS, 90)
        want = _same_title_by_whole_keys(title, body)
        assert same_title(title, body) is want, (title, body)
        answers.add(want)
    assert answers == {True, False}
