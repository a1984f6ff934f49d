"""A small line classifier for text saved from a web page: is this line part of the article?

Text saved from a page ("save as text") is every block of the page, one per line: menus, teasers,
share rows, comment threads and footers around the article. :func:`keep_lines` scores each line with
two small stages over line features, boosted trees then a logistic regression (no pickle: the trees and
weights are plain JSON in
``data/line_model.json``, written by ``benchmarks/train_ingest_lines.py`` from the dev half of the
ingest dev set, see ``docs/ingest.md``):

1. the line itself and its neighbourhood: length, sentence end, share of capitalised words and of
   stop words (spaCy's lists of several languages), digits and punctuation, whether a line rule of
   :mod:`.boilerplate` matched it or its neighbours, its place in the text and relative to the run of
   prose found by the text reader (the main region), how much prose surrounds it, how long the run of
   non-prose lines it stands in is, whether it carries quote marks, and whether the same line occurs
   elsewhere in the text;
2. the first stage's score of the line, the mean score of its neighbours and of its run of non-prose
   lines (a line among article lines is kept, a lone prose-like line among menus goes).

A line is kept when the second stage's probability is at least the model's threshold; a model with a
``switch`` cost instead keeps the most likely sequence of labels over the whole text (:func:`smooth`).
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

__all__ = ["FEATURES", "FEATURES2", "LineInput", "features", "keep_lines", "load_model", "stage_two_features"]

_TOKEN = re.compile(r"[^\W_]+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_TERMINAL = re.compile(r"[.!?…。！？]['\"”’)\]」』）]*$|['\"”’」』]$")
_DIGIT = re.compile(r"\d")
_PUNCT = re.compile(r"[^\w\s]|_")
_SEPARATOR = re.compile(r"[|•·»›◆▪●►▶]")
_QUOTE = re.compile(r"[\"“”„«»「」『』]")
_STOP_LANGS = ("en", "de", "fr", "es", "it", "pt", "nl")

FEATURES = (
    "log_words",
    "sentence_end",
    "prose",
    "long_prose",
    "capitalised",
    "stop_words",
    "digits",
    "punctuation",
    "separators",
    "ends_colon",
    "starts_lower",
    "rule",
    "position",
    "first_tenth",
    "last_fifth",
    "in_region",
    "log_distance_out",
    "prose_around_2",
    "prose_around_5",
    "rule_around_3",
    "log_words_around_3",
    "previous_prose",
    "next_prose",
    "repeated",
    "share_of_words",
    "mean_word_length",
    "in_core_8",
    "log_distance_core_8",
    "in_core_20",
    "log_distance_core_20",
    "core_topic",
    "short_around_3",
    "log_run_other",
    "quote_marks",
)
FEATURES2 = ("logit", "score_around_1", "score_around_3", "score_around_8", "in_region", "prose", "score_run")


@dataclass(frozen=True)
class LineInput:
    """One non-blank line: its text, whether it is still content (no line rule removed it), and whether
    it lies inside the main region."""

    text: str
    content: bool
    in_region: bool


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    """spaCy's stop words of :data:`_STOP_LANGS`, casefolded (:func:`claimgraph.vocab.spacy_stop_words`:
    read from their files without importing spaCy or its language packages)."""
    from ..vocab import spacy_stop_words

    words: set[str] = set()
    for lang in _STOP_LANGS:
        words |= {w.casefold() for w in spacy_stop_words(lang)}
    return frozenset(words)


def word_count(text: str, tokens: Sequence[str] | None = None) -> int:
    """Words of a line; a run of CJK characters (written without spaces) counts one word per two.
    ``tokens``: the line's ``_TOKEN`` matches, when already found."""
    found = _TOKEN.findall(text) if tokens is None else tokens
    if text.isascii():
        return len(found)
    count = 0
    for token in found:
        cjk = len(_CJK.findall(token)) if not token.isascii() else 0
        count += 1 + (cjk - 1) // 2 if cjk > 1 else 1
    return count


def _window_mean(values: Sequence[float], index: int, radius: int) -> float:
    lo, hi = max(0, index - radius), min(len(values), index + radius + 1)
    total = sum(values[lo:hi]) - values[index]
    count = hi - lo - 1
    return total / count if count else 0.0


def _prefix_window(prefix: Sequence[float], index: int, radius: int, own: float) -> float:
    lo, hi = max(0, index - radius), min(len(prefix) - 1, index + radius + 1)
    count = hi - lo - 1
    return (prefix[hi] - prefix[lo] - own) / count if count else 0.0


def _prefix(values: Sequence[float]) -> list[float]:
    out = [0.0]
    for value in values:
        out.append(out[-1] + value)
    return out


def _core(words: Sequence[int], prose: Sequence[float], cost: float) -> tuple[int, int]:
    """``(first, last)`` of the run of lines with the largest total: prose lines weigh their words,
    other lines ``-(cost + words / 2)`` (Kadane's maximum subarray). ``(n, -1)`` without prose."""
    best, best_start, best_end = 0.0, len(words), -1
    total, start = 0.0, 0
    for i, (w, p) in enumerate(zip(words, prose, strict=True)):
        if total <= 0.0:
            total, start = 0.0, i
        weight = float(w) if p else -(cost + 0.5 * min(w, 10))
        total += weight
        if weight > 0 and total > best:
            best, best_start, best_end = total, start, i
    return best_start, best_end


def _runs(prose: Sequence[float]) -> list[int]:
    """Per line, how many lines the run of consecutive non-prose lines it stands in has (0 for a prose
    line): a menu or a footer is a long run, a quote or a sub-heading between paragraphs a run of one."""
    out = [0] * len(prose)
    start = 0
    for i in range(len(prose) + 1):
        if i == len(prose) or prose[i]:
            for j in range(start, i):
                out[j] = i - start
            start = i + 1
    return out


def _distance(i: int, span: tuple[int, int], n: int) -> float:
    first, last = span
    if last < 0:
        return math.log1p(n)
    return math.log1p(first - i if i < first else (i - last if i > last else 0))


def _topic_words(folded: Sequence[str], stop: frozenset[str]) -> list[str]:
    return [w for w in folded if len(w) >= 3 and w not in stop]


def features(lines: Sequence[LineInput]) -> list[list[float]]:
    """The first stage's feature vector (in :data:`FEATURES` order) for every line."""
    stop = _stop_words()
    n = len(lines)
    line_tokens = [_TOKEN.findall(line.text) for line in lines]
    words = [word_count(line.text, tokens) for line, tokens in zip(lines, line_tokens, strict=True)]
    ends = [bool(_TERMINAL.search(line.text)) for line in lines]
    prose = [float(w >= 20 or (w >= 10 and e)) for w, e in zip(words, ends, strict=True)]
    rule = [0.0 if line.content else 1.0 for line in lines]
    logw = [math.log1p(w) for w in words]
    counts = Counter(line.text for line in lines)
    total_words = sum(words) or 1
    inside = [i for i, line in enumerate(lines) if line.in_region]
    first_in, last_in = (inside[0], inside[-1]) if inside else (n, -1)
    p_prose, p_rule, p_logw = _prefix(prose), _prefix(rule), _prefix(logw)
    cores = (_core(words, prose, 8.0), _core(words, prose, 20.0))
    folded = [[t.casefold() for t in tokens] for tokens in line_tokens]
    topic = [_topic_words(f, stop) for f in folded]
    core_vocab: Counter[str] = Counter()
    for i in range(max(cores[1][0], 0), cores[1][1] + 1):
        core_vocab.update(set(topic[i]))
    short = [float(w < 5) for w in words]
    p_short = _prefix(short)
    runs = _runs(prose)
    rows: list[list[float]] = []
    for i, line in enumerate(lines):
        text = line.text
        own = 1 if cores[1][0] <= i <= cores[1][1] else 0
        distinct = set(topic[i])
        shared = sum(1 for w in distinct if core_vocab[w] - own > 0)
        tokens = line_tokens[i]
        alpha = [t for t in tokens if t[:1].isalpha()]
        visible = (len(text) - text.count(" ")) or 1  # lines are normalised: spaces are the only blanks
        digits = len(_DIGIT.findall(text))
        punct = len(_PUNCT.findall(text))
        if line.in_region:
            distance = 0
        elif i < first_in:
            distance = first_in - i
        else:
            distance = i - last_in if last_in >= 0 else n
        rows.append(
            [
                logw[i],
                float(ends[i]),
                prose[i],
                float(words[i] >= 40),
                sum(1 for t in alpha if t[0].isupper()) / len(alpha) if alpha else 0.0,
                sum(1 for t in folded[i] if t in stop) / len(tokens) if tokens else 0.0,
                digits / visible,
                punct / visible,
                min(len(_SEPARATOR.findall(text)), 5) / 5.0,
                float(text.rstrip().endswith(":")),
                float(text[:1].islower()),
                rule[i],
                i / n,
                float(i < 0.1 * n),
                float(i >= 0.8 * n),
                float(line.in_region),
                math.log1p(distance),
                _prefix_window(p_prose, i, 2, prose[i]),
                _prefix_window(p_prose, i, 5, prose[i]),
                _prefix_window(p_rule, i, 3, rule[i]),
                _prefix_window(p_logw, i, 3, logw[i]),
                prose[i - 1] if i > 0 else 0.0,
                prose[i + 1] if i + 1 < n else 0.0,
                float(counts[text] > 1),
                words[i] / total_words * 10.0,
                min(sum(len(t) for t in tokens) / len(tokens), 15.0) / 15.0 if tokens else 0.0,
                float(cores[0][0] <= i <= cores[0][1]),
                _distance(i, cores[0], n),
                float(cores[1][0] <= i <= cores[1][1]),
                _distance(i, cores[1], n),
                shared / len(distinct) if distinct else 0.0,
                _prefix_window(p_short, i, 3, short[i]),
                math.log1p(runs[i]),
                float(bool(_QUOTE.search(text))),
            ]
        )
    return rows


def stage_two_features(lines: Sequence[LineInput], first: Sequence[float]) -> list[list[float]]:
    """The second stage's features (:data:`FEATURES2`) from the first stage's probabilities."""
    prefix = _prefix(first)
    prose = [
        float(w >= 20 or (w >= 10 and e))
        for w, e in ((word_count(x.text), bool(_TERMINAL.search(x.text))) for x in lines)
    ]
    runs = _runs(prose)
    run_start = 0
    rows: list[list[float]] = []
    for i, line in enumerate(lines):
        p = min(max(first[i], 1e-6), 1 - 1e-6)
        if i == 0 or prose[i - 1] or prose[i]:
            run_start = i
        run = runs[i]
        run_mean = (prefix[run_start + run] - prefix[run_start]) / run if run else first[i]
        rows.append(
            [
                math.log(p / (1 - p)),
                _prefix_window(prefix, i, 1, first[i]),
                _prefix_window(prefix, i, 3, first[i]),
                _prefix_window(prefix, i, 8, first[i]),
                float(line.in_region),
                prose[i],
                run_mean,
            ]
        )
    return rows


@dataclass(frozen=True)
class _Stage:
    names: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float

    def predict(self, rows: Sequence[Sequence[float]]) -> list[float]:
        out: list[float] = []
        for row in rows:
            z = self.bias
            for x, m, s, w in zip(row, self.mean, self.scale, self.weights, strict=True):
                z += w * (x - m) / s
            out.append(1.0 / (1.0 + math.exp(-max(min(z, 40.0), -40.0))))
        return out


def _leaf(node: object, row: Sequence[float]) -> float:
    while isinstance(node, list):
        feature, threshold, left, right = node
        node = left if row[feature] <= threshold else right
    return float(node)  # type: ignore[arg-type]


def _link(
    trees: Sequence[object],
) -> tuple[list[int], list[float], list[int], list[int], list[float], list[int]]:
    """:func:`_flatten` with children linked: nodes are numbered in pre-order, so a split node's left
    child is the next node and its right child follows the whole left subtree."""
    feature: list[int] = []
    threshold: list[float] = []
    left: list[int] = []
    right: list[int] = []
    value: list[float] = []
    roots: list[int] = []

    def size(node: object) -> int:
        count, stack = 0, [node]
        while stack:
            item = stack.pop()
            count += 1
            if isinstance(item, list):
                stack += [item[2], item[3]]
        return count

    for tree in trees:
        roots.append(len(feature))
        stack: list[object] = [tree]
        while stack:
            node = stack.pop()
            index = len(feature)
            if isinstance(node, list):
                f, t, lo, hi = node
                feature.append(int(f))
                threshold.append(float(t))
                left.append(index + 1)
                right.append(index + 1 + size(lo))
                value.append(0.0)
                stack += [hi, lo]
            else:
                feature.append(0)
                threshold.append(0.0)
                left.append(index)
                right.append(index)
                value.append(float(node))  # type: ignore[arg-type]
    return feature, threshold, left, right, value, roots


@dataclass(frozen=True)
class _Trees:
    """Boosted regression trees (LightGBM, binary objective): each tree is ``[feature, threshold,
    left, right]`` down to a leaf value; the probability is the sigmoid of the sum of the leaves."""

    names: tuple[str, ...]
    trees: tuple[object, ...]
    bias: float

    @property
    def _table(self) -> Any:
        cached = self.__dict__.get("_cached_table")
        if cached is None:
            import numpy as np

            feature, threshold, left, right, value, roots = _link(self.trees)
            depth = 0
            for tree in self.trees:
                stack: list[tuple[object, int]] = [(tree, 0)]
                while stack:
                    node, d = stack.pop()
                    depth = max(depth, d)
                    if isinstance(node, list):
                        stack += [(node[2], d + 1), (node[3], d + 1)]
            cached = (
                np.asarray(feature, dtype=np.intp),
                np.asarray(threshold, dtype=float),
                np.asarray(left, dtype=np.intp),
                np.asarray(right, dtype=np.intp),
                np.asarray(value, dtype=float),
                np.asarray(roots, dtype=np.intp),
                depth,
            )
            object.__setattr__(self, "_cached_table", cached)
        return cached

    def predict(self, rows: Sequence[Sequence[float]]) -> list[float]:
        """All rows through all trees at once (numpy), one tree level per step; a leaf points to itself.
        Each step moves only the (row, tree) pairs not yet at a leaf, reading ``x`` flattened."""
        import numpy as np

        if not rows:
            return []
        feature, threshold, left, right, value, roots, depth = self._table
        x = np.asarray(rows, dtype=float)
        n, width = x.shape
        flat = x.ravel()
        node = np.tile(roots, n)  # pair k is row k // len(roots), tree k % len(roots)
        base = np.repeat(np.arange(n) * width, len(roots))
        active = np.arange(node.size)
        for _ in range(depth):
            current = node[active]
            goes_left = flat[base[active] + feature[current]] <= threshold[current]
            following = np.where(goes_left, left[current], right[current])
            node[active] = following
            active = active[left[following] != following]
            if not active.size:
                break
        z = self.bias + value[node].reshape(n, len(roots)).sum(axis=1)
        return [float(v) for v in 1.0 / (1.0 + np.exp(-np.clip(z, -40.0, 40.0)))]


@dataclass(frozen=True)
class LineModel:
    stages: tuple[_Stage | _Trees, _Stage]
    threshold: float
    switch: float = 0.0

    def probabilities(self, lines: Sequence[LineInput]) -> list[float]:
        if not lines:
            return []
        first = self.stages[0].predict(features(lines))
        return self.stages[1].predict(stage_two_features(lines, first))


def _stage(data: dict[str, object], names: tuple[str, ...]) -> _Stage:
    if tuple(data["features"]) != names:  # type: ignore[arg-type]
        raise ValueError("line model features do not match this version of claimgraph")
    return _Stage(
        names=names,
        mean=tuple(float(x) for x in data["mean"]),  # type: ignore[attr-defined]
        scale=tuple(float(x) or 1.0 for x in data["scale"]),  # type: ignore[attr-defined]
        weights=tuple(float(x) for x in data["weights"]),  # type: ignore[attr-defined]
        bias=float(data["bias"]),  # type: ignore[arg-type]
    )


@lru_cache(maxsize=1)
def load_model() -> LineModel:
    """The shipped model (``claimgraph/ingest/data/line_model.json``)."""
    text = resources.files("claimgraph.ingest").joinpath("data/line_model.json").read_text(encoding="utf-8")
    return model_from_json(json.loads(text))


def model_from_json(data: dict[str, object]) -> LineModel:
    stages = data["stages"]
    assert isinstance(stages, list) and len(stages) == 2
    first: _Stage | _Trees
    if "trees" in stages[0]:
        if tuple(stages[0]["features"]) != FEATURES:
            raise ValueError("line model features do not match this version of claimgraph")
        first = _Trees(FEATURES, tuple(stages[0]["trees"]), float(stages[0].get("bias", 0.0)))
    else:
        first = _stage(stages[0], FEATURES)
    return LineModel(
        stages=(first, _stage(stages[1], FEATURES2)),
        threshold=float(data["threshold"]),  # type: ignore[arg-type]
        switch=float(data.get("switch", 0.0)),  # type: ignore[arg-type]
    )


def smooth(
    probabilities: Sequence[float],
    switch: float,
    threshold: float = 0.5,
    weights: Sequence[float] | None = None,
) -> list[bool]:
    """The most likely keep/drop sequence (Viterbi over two states): each line's probability is the
    evidence for its own label (times its weight, if given: a long paragraph says more than a one-word
    menu entry), and every change between article text and furniture from one line to the next costs
    ``log(switch)``, so a lone doubtful line inside a run (one teaser headline among paragraphs, one
    prose-like line inside a menu) follows its neighbours unless its own evidence is strong.
    ``threshold`` shifts the evidence (0.5: none). Linear in the number of lines."""
    if not probabilities:
        return []
    cost = math.log(switch)
    bias = math.log(threshold / (1 - threshold))
    eps = 1e-6

    def evidence(i: int) -> tuple[float, float]:
        p = min(max(probabilities[i], eps), 1 - eps)
        w = weights[i] if weights is not None else 1.0
        return w * (math.log(1 - p) + bias), w * math.log(p)

    drop, keep = evidence(0)
    back: list[tuple[bool, bool]] = []  # per line after the first: the previous state for (drop, keep)
    for i in range(1, len(probabilities)):
        e_drop, e_keep = evidence(i)
        drop_from_keep = keep + cost > drop
        keep_from_keep = keep >= drop + cost
        back.append((drop_from_keep, keep_from_keep))
        drop, keep = (
            (keep + cost if drop_from_keep else drop) + e_drop,
            (keep if keep_from_keep else drop + cost) + e_keep,
        )
    state = keep >= drop
    out = [state]
    for drop_prev, keep_prev in reversed(back):
        state = keep_prev if state else drop_prev
        out.append(state)
    out.reverse()
    return out


def keep_lines(lines: Sequence[LineInput], model: LineModel | None = None) -> list[bool]:
    """For each line, whether the model takes it for article text: its probability against the
    threshold, or, when the model has a ``switch`` cost, the most likely labels of the whole text
    (:func:`smooth`, each line's evidence weighing the log of its word count, at least 1: a short
    article's paragraphs are not traded away against the cost of leaving the menus around them; a line
    a rule removed counts as furniture for certain)."""
    chosen = model or load_model()
    probabilities = chosen.probabilities(lines)
    if chosen.switch <= 0:
        return [p >= chosen.threshold for p in probabilities]
    weights = [max(1.0, math.log1p(word_count(line.text))) for line in lines]
    # a line a rule removed is furniture for certain: the run of article text breaks there
    evidence = [p if line.content else 0.0 for p, line in zip(probabilities, lines, strict=True)]
    return smooth(evidence, chosen.switch, chosen.threshold, weights)
