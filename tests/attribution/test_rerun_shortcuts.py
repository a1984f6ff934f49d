"""Shortcuts of the attribution stage's corpus-wide part give what the general forms they replace give:
the headline certainty without a cue word, the alias matcher's tables (each entity's name key made once),
records made positionally."""

from __future__ import annotations

import random

import pytest

from claimgraph.attribution import certainty as certainty_module
from claimgraph.attribution.certainty import certainty
from claimgraph.attribution.gazetteer import AliasMatcher
from claimgraph.attribution.lexicon import BOOSTERS, CONDITIONALS, HEDGES
from claimgraph.attribution.resolution import MentionRecord
from claimgraph.model import Alias, Entity, Mention

from .helpers import reference_alias_tables

_CUES = [*CONDITIONALS, *HEDGES, *BOOSTERS]


def _texts(rng: random.Random, n: int) -> list[str]:
    """Headline-like texts: cue words (whole, glued to other words, in any case), refusals, question marks,
    punctuation, digits, underscores and a few non-ASCII characters."""
    pieces = [
        *_CUES,
        *(c.upper() for c in _CUES),
        *(c.title() for c in _CUES),
        "would not say",
        "wouldn't",
        "would not sayif",
        "Xmay",
        "maybe",
        "ifs",
        "_if",
        "if_",
        "9might",
        "most\tlikely",
        "police",
        "Obama",
        "orders",
        "review",
        "?",
        "’",
        "ſeems",
        "İf",
        "\u212aenya",
        "-",
        ",",
        '"',
        "»",
    ]
    out = []
    for _ in range(n):
        words = [rng.choice(pieces) for _ in range(rng.randint(0, 9))]
        seps = [rng.choice([" ", " ", " ", "", "  ", "\n", "-", "'"]) for _ in words]
        out.append(
            "".join(w + s for w, s in zip(words, seps, strict=True)) + rng.choice(["", "?", "? ", '?"'])
        )
    return out


def test_certainty_without_a_cue_word_is_the_general_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(11)
    texts = _texts(rng, 3000)
    cues: list[str | None] = [None, "said", "suggested", "Claimed"]
    fast = [(t, c, r, certainty(t, c, refusal=r)) for t in texts for c in cues for r in (False, True)]
    assert sum(certainty_module._no_cue(t) for t in texts) > 300  # the shortcut is taken on many texts
    assert sum(a[0] != "asserted" for *_x, a in fast) > 3000  # and the general form finds cues on many
    monkeypatch.setattr(certainty_module, "_no_cue", lambda _content: False)  # the general form
    for t, c, r, answer in fast:
        assert certainty(t, c, refusal=r) == answer, (t, c, r)


def test_the_matchers_tables_are_those_of_every_span_put() -> None:
    rng = random.Random(9)
    words = ["Ana", "Ruiz", "the", "Front", "Nusra", "al-Nusra", "UN", "Council", "ruiz", "Paris"]
    docs = [f"d{i}" for i in range(6)]
    for _ in range(60):
        entities = []
        for k in range(rng.randint(1, 25)):
            name = " ".join(rng.choice(words) for _ in range(rng.randint(1, 3)))
            spans = [
                Mention(rng.choice(docs), 0, 1, " ".join(rng.choice(words) for _ in range(rng.randint(1, 2))))
                for _ in range(rng.randint(0, 8))
            ]
            spans += spans[: rng.randint(0, len(spans))]  # the same text again in the same document
            rng.shuffle(spans)
            aliases = [
                Alias(
                    name=rng.choice(words),
                    document_id=rng.choice([None, *docs]),
                    rule=rng.choice(["mention", "surname"]),
                )
                for _ in range(rng.randint(0, 3))
            ]
            entities.append(
                Entity(
                    id=f"e{k}",
                    name=name,
                    type=rng.choice(["person", "organization", "location"]),
                    aliases=aliases,
                    mention_spans=spans,
                    document_ids=sorted({m.document_id for m in spans} | {rng.choice(docs)}),
                )
            )
        matcher = AliasMatcher(entities)
        old = reference_alias_tables(entities)
        assert [(d, list(t.items())) for d, t in matcher._doc_forms.items()] == old["doc_forms"]
        assert list(matcher._global.items()) == old["global"]
        assert matcher._exact == old["exact"]


def test_records_made_positionally_are_those_made_by_field_name() -> None:
    data = {
        "start": 3,
        "end": 9,
        "text": "Maj. Ruiz",
        "name": "Ruiz",
        "type": "person",
        "label": "PERSON",
        "title": "Maj.",
        "defined": [["AR", "acronym-defined"]],
        "rule": "title",
        "titled": "Maj. Ruiz",
    }
    assert MentionRecord.from_dict("d1", "title", data) == MentionRecord(doc_id="d1", part="title", **data)
    bare = {k: data[k] for k in ("start", "end", "text", "name", "type", "label")}
    assert MentionRecord.from_dict("d1", "text", bare) == MentionRecord(doc_id="d1", part="text", **bare)
