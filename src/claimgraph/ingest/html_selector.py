"""Which of trafilatura's two extractions of a page to keep: recall mode's (always made) or balanced mode's.

Recall mode takes a long extraction as it is; balanced mode compares it with readability's and on some pages
finds the whole main text where recall mode settled on a part of it, or leaves out comments and lists that
recall mode kept. Running balanced mode costs a second extraction, so the choice is made in two steps, each
a logistic model over a few numbers, with weights in ``data/html_selector.json`` (plain JSON, written by
``benchmarks/train_html_selector.py`` from the dev half of the ingest dev set only):

1. **gate**, from recall mode's text and the page's visible lines alone: is balanced mode likely to do
   better, or is recall mode's text a small share of the visible text (where it may have settled on a
   part of the main text)? Only then is the page extracted again;
2. **choose**, from both texts: keep balanced mode's text when it is predicted better.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

__all__ = ["Selector", "load", "page_features", "pair_features"]

_SHORT_LINE = 40
"""A line of fewer characters than this is short (a menu item, a heading, a list entry)."""
_SENTENCE_END = (".", "!", "?", '"', "\u201d", ":", ")")

PAGE_FEATURES = (
    "log_text_chars",
    "text_share_of_visible",
    "log_visible_chars",
    "log_text_lines",
    "log_mean_text_line",
    "short_text_lines",
    "text_lines_ending_sentences",
    "log_visible_lines",
)
PAIR_FEATURES = (
    "log_length_ratio",
    "other_lines_in_text",
    "text_lines_in_other",
    "other_short_lines",
    "log_mean_other_line",
    "other_share_of_visible",
)


def _lines(text: str) -> list[str]:
    return [stripped for line in text.split("\n") if (stripped := line.strip())]


def _line_stats(lines: Sequence[str]) -> tuple[float, float, float]:
    """(log mean line length, share of short lines, share of lines ending a sentence)."""
    if not lines:
        return 0.0, 0.0, 0.0
    n = len(lines)
    return (
        math.log1p(sum(len(line) for line in lines) / n),
        sum(1 for line in lines if len(line) < _SHORT_LINE) / n,
        sum(1 for line in lines if line.endswith(_SENTENCE_END)) / n,
    )


def page_features(text: str, visible: Sequence[str]) -> list[float]:
    """The gate's numbers (:data:`PAGE_FEATURES`): recall mode's ``text`` against the page's ``visible`` lines."""
    lines = _lines(text)
    visible_chars = sum(len(line) + 1 for line in visible)
    mean, short, ending = _line_stats(lines)
    return [
        math.log1p(len(text)),
        min(len(text) / visible_chars, 2.0) if visible_chars else 0.0,
        math.log1p(visible_chars),
        math.log1p(len(lines)),
        mean,
        short,
        ending,
        math.log1p(len(visible)),
    ]


def pair_features(text: str, other: str, visible: Sequence[str]) -> list[float]:
    """The numbers the choice adds (:data:`PAIR_FEATURES`): balanced mode's ``other`` against ``text``."""
    lines, other_lines = _lines(text), _lines(other)
    mine, theirs = set(lines), set(other_lines)
    visible_chars = sum(len(line) + 1 for line in visible)
    mean, short, _ = _line_stats(other_lines)
    return [
        math.log((len(other) + 1) / (len(text) + 1)),
        sum(1 for line in other_lines if line in mine) / len(other_lines) if other_lines else 0.0,
        sum(1 for line in lines if line in theirs) / len(lines) if lines else 0.0,
        short,
        mean,
        min(len(other) / visible_chars, 2.0) if visible_chars else 0.0,
    ]


@dataclass(frozen=True)
class Logistic:
    """``sigmoid(bias + weights . standardised(x)) >= threshold``."""

    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    threshold: float

    def probability(self, x: Sequence[float]) -> float:
        z = self.bias + sum(
            w * (v - m) / s for w, v, m, s in zip(self.weights, x, self.mean, self.scale, strict=True)
        )
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))

    def __call__(self, x: Sequence[float]) -> bool:
        return self.probability(x) >= self.threshold

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Logistic:
        def floats(key: str) -> tuple[float, ...]:
            value = data[key]
            assert isinstance(value, list)
            return tuple(float(v) for v in value)

        bias, threshold = data["bias"], data["threshold"]
        assert isinstance(bias, (int, float)) and isinstance(threshold, (int, float))
        return cls(floats("mean"), floats("scale"), floats("weights"), float(bias), float(threshold))


@dataclass(frozen=True)
class Selector:
    gate: Logistic
    choose: Logistic
    always_below_share: float = 0.0
    """Recall mode's text under this share of the visible text always passes the gate."""

    def extract_again(self, features: Sequence[float]) -> bool:
        """The gate, over :func:`page_features`."""
        return features[1] < self.always_below_share or self.gate(features)

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Selector:
        gate, choose = data["gate"], data["choose"]
        assert isinstance(gate, dict) and isinstance(choose, dict)
        page_names, pair_names = data.get("page_features"), data.get("pair_features")
        if (
            not isinstance(page_names, list)
            or not isinstance(pair_names, list)
            or tuple(page_names) != PAGE_FEATURES
            or tuple(pair_names) != PAIR_FEATURES
        ):
            raise ValueError("html_selector.json was written for other features")
        share = data.get("always_below_share", 0.0)
        assert isinstance(share, (int, float))
        return cls(Logistic.from_json(gate), Logistic.from_json(choose), float(share))


@functools.cache
def load() -> Selector:
    """The shipped selector (``data/html_selector.json``)."""
    text = resources.files("claimgraph.ingest").joinpath("data/html_selector.json").read_text("utf-8")
    return Selector.from_json(json.loads(text))
