"""Train the saved-text line classifier (``src/claimgraph/ingest/data/line_model.json``) on the dev half.

Each page of the ingest dev set (``benchmarks/build_ingest_devset.py``; folder in
``CLAIMGRAPH_INGEST_DEV_DIR`` or ``--dev-dir``) is turned into saved text as in
``benchmarks/ingest.py --quality``; each of its non-blank lines is labelled from the page's known main
text: a line of 4 words or more is article text when at least half of its 4-word shingles are in the
main text's; a shorter line when it is a line of the main text as it stands, or when at least half of the
4-word shingles it forms with the words of the lines around it are in the main text's (so a menu entry
such as ``Home`` is not article text just because the word occurs in it). Only pages of the
``dev`` split are used for training (of every set with whole main texts: mozilla/readability's test pages
and, when the dev set was built with ``--merged``, CleanEval, CleanPortalEval and L3S-GN1 pages); lines are weighted by their share of their page's words, so each
page counts as much as the benchmark's macro average makes it count.

Stage 1: boosted regression trees (LightGBM, ``--trees`` x ``--leaves``) over the line features of
:mod:`claimgraph.ingest.line_model` (``--trees 0``: a logistic regression); stage 2: a logistic
regression (scikit-learn, L2, features standardised) over stage 1's probability of the line and of its
neighbours (stage 1's probabilities for stage 2's training come from 5-fold cross-fitting by page).
The threshold is ``--threshold``, or the one with the best macro F1 of the whole text path on the dev
pages. ``--switch P`` writes the label smoothing's cost of a change (log P; see
``claimgraph.ingest.line_model.smooth``; the shipped model: ``--threshold 0.5 --switch 0.03``). The weights are written as JSON (no pickle), and the dev figures of the whole text path printed
(the held-out figures only with ``--heldout``).

Usage: ``python benchmarks/train_ingest_lines.py [--dev-dir DIR] [--write]`` (without ``--write`` the
model is only evaluated, not saved). ``--cv K`` only cross-validates by page over the dev pages with whole main texts
(the figure to choose settings by, instead of the held-out half); ``--val`` trains on three quarters of
the dev pages and scores the fourth (faster; how the shipped settings were chosen); ``--teacher W`` adds trafilatura's dev
pages with every line labelled by bare ``trafilatura.extract``'s text (snippets overriding), each page
weighing ``W`` (tried, not used by the shipped model: see ``docs/ingest.md``).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ingest_quality import (
    ENV,
    groups,
    load_pages,
    load_snippet_pages,
    prf,
    saved_text,
    scraped_result,
    snippet_score,
)

REPO = Path(__file__).resolve().parent.parent
MODEL = REPO / "src" / "claimgraph" / "ingest" / "data" / "line_model.json"
_WORD = re.compile(r"\w+")


def _shingles(words: list[str]) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + 4]) for i in range(len(words) - 3)}


def page_lines(text: str):  # type: ignore[no-untyped-def]
    from claimgraph.ingest.text import _main_region, _mark_teaser_blocks, _prepare, line_inputs

    lines = _prepare(text, False)
    _mark_teaser_blocks(lines)
    region = _main_region(lines)
    if region is None:
        return None
    return line_inputs(lines, region)[1]


def _in_context(tokens: list[list[str]], i: int, gold: set[tuple[str, ...]]) -> int:
    """A short line (fewer than 4 words) is main text when the 4-word shingles it forms with the lines
    around it are (at least half of them) in the main text's: a menu entry such as ``Home`` is a word of
    almost every long main text, but ``Tumblr News Home Sport`` is not a run of it."""
    before = [w for words in tokens[max(0, i - 3) : i] for w in words][-3:]
    after = [w for words in tokens[i + 1 : i + 4] for w in words][:3]
    run = before + tokens[i] + after
    start, end = len(before), len(before) + len(tokens[i])
    spans = [tuple(run[k : k + 4]) for k in range(len(run) - 3) if k < end and k + 4 > start]
    if not spans:
        return 0
    return int(sum(1 for span in spans if span in gold) >= 0.5 * len(spans))


def labels(inputs, expected: str, context: bool = True) -> tuple[list[int], list[float]]:  # type: ignore[no-untyped-def]
    gold_words = _WORD.findall(expected.casefold())
    gold = _shingles(gold_words)
    joined = " " + " ".join(gold_words) + " "
    gold_lines = {" ".join(_WORD.findall(line.casefold())) for line in expected.splitlines()}
    ys: list[int] = []
    ws: list[float] = []
    tokens = [_WORD.findall(line.text.casefold()) for line in inputs]
    sizes = [len(words) for words in tokens]
    total = sum(sizes) or 1
    for i, (words, size) in enumerate(zip(tokens, sizes, strict=True)):
        if len(words) >= 4:
            own = _shingles(words)
            y = int(len(own & gold) >= 0.5 * len(own))
        elif not words:
            y = 0
        elif " ".join(words) in gold_lines:
            y = 1  # a heading or list item of the main text, as it stands there
        elif context:
            y = _in_context(tokens, i, gold)
        else:
            y = int((" " + " ".join(words) + " ") in joined)
        ys.append(y)
        ws.append(max(size, 1) / total)
    return ys, ws


def snippet_labels(inputs, with_: list[str], without: list[str]) -> list[tuple[int, int, float]]:  # type: ignore[no-untyped-def]
    """(line index, label, weight) for lines holding a snippet that must (1) or must not (0) be kept."""
    good = [" ".join(s.casefold().split()) for s in with_]
    bad = [" ".join(s.casefold().split()) for s in without]
    out = []
    for i, line in enumerate(inputs):
        flat = " ".join(line.text.casefold().split())
        if any(g and g in flat for g in good):
            out.append((i, 1, float(max(len(flat.split()), 1))))
        elif any(b and b in flat for b in bad):
            out.append((i, 0, float(max(len(flat.split()), 1))))
    return out


def teacher_texts(pages, cache: Path) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Bare ``trafilatura.extract`` (default settings) of each page, cached in ``cache`` (JSON, keyed by
    page name and trafilatura's version)."""
    import trafilatura

    key = f"trafilatura {trafilatura.__version__}"
    stored = json.loads(cache.read_text(encoding="utf-8")) if cache.exists() else {}
    texts: dict[str, str] = stored.get(key, {})
    missing = [p for p in pages if p.name not in texts]
    for page in missing:
        texts[page.name] = trafilatura.extract(page.html) or ""
    if missing:
        cache.write_text(json.dumps({key: texts}, ensure_ascii=False), encoding="utf-8")
    return texts


def teacher_labels(
    inputs, teacher: str, with_: list[str], without: list[str]
) -> tuple[list[int], list[float]]:  # type: ignore[no-untyped-def]
    """Labels of a page without a full main text: a line is article text when the HTML extractor
    (``teacher``) kept it (:func:`labels`), except that a line holding a snippet that must (not) be in the
    main text is labelled by the snippet."""
    ys, ws = labels(inputs, teacher)
    for i, y, _ in snippet_labels(inputs, with_, without):
        ys[i] = y
    return ys, ws


def fit(rows, ys, ws, c: float):  # type: ignore[no-untyped-def]
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    x = np.asarray(rows, dtype=float)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=c, max_iter=2000)
    model.fit((x - mean) / scale, ys, sample_weight=np.asarray(ws) * len(ws) / sum(ws))
    return {
        "mean": [round(float(v), 6) for v in mean],
        "scale": [round(float(v), 6) for v in scale],
        "weights": [round(float(v), 6) for v in model.coef_[0]],
        "bias": round(float(model.intercept_[0]), 6),
    }


def _tree(node: dict) -> object:  # type: ignore[type-arg]
    if "leaf_value" in node:
        return round(float(node["leaf_value"]), 6)
    assert node["decision_type"] == "<="
    return [
        int(node["split_feature"]),
        float(node["threshold"]),
        _tree(node["left_child"]),
        _tree(node["right_child"]),
    ]


def fit_trees(rows, ys, ws, trees: int, leaves: int = 8, min_leaf: int = 100):  # type: ignore[no-untyped-def]
    import lightgbm
    import numpy as np

    model = lightgbm.LGBMClassifier(
        n_estimators=trees,
        num_leaves=leaves,
        learning_rate=0.1,
        min_child_samples=min_leaf,
        subsample=0.8,
        subsample_freq=1,
        colsample_bytree=0.8,
        random_state=7,
        deterministic=True,
        force_row_wise=True,
        n_jobs=1,
        verbose=-1,
    )
    model.fit(np.asarray(rows, dtype=float), ys, sample_weight=np.asarray(ws) * len(ws) / sum(ws))
    dump = model.booster_.dump_model()
    return {"trees": [_tree(t["tree_structure"]) for t in dump["tree_info"]], "bias": 0.0}


def _flat(items):  # type: ignore[no-untyped-def]
    rows, ys, ws = [], [], []
    for _, _, r, y, w in items:
        rows += r
        ys += y
        ws += w
    return rows, ys, ws


def _first_stage(items, args):  # type: ignore[no-untyped-def]
    if args.trees:
        return fit_trees(*_flat(items), trees=args.trees, leaves=args.leaves, min_leaf=args.min_leaf)
    return fit(*_flat(items), c=args.c)


def train_model(data, args) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """Stage 1 on all ``data``; stage 2 on stage 1's probabilities cross-fitted by page (5 folds)."""
    from claimgraph.ingest import line_model as lm

    stage1 = _first_stage(data, args)
    folds = 5
    rows2, ys2, ws2 = [], [], []
    n2 = len(lm.FEATURES2)
    dummy = {
        "features": list(lm.FEATURES2),
        "mean": [0] * n2,
        "scale": [1] * n2,
        "weights": [0] * n2,
        "bias": 0,
    }
    for k in range(folds):
        train = [d for i, d in enumerate(data) if i % folds != k]
        held = [d for i, d in enumerate(data) if i % folds == k]
        part = _first_stage(train, args)
        stage = lm.model_from_json(
            {"threshold": 0.5, "stages": [{"features": list(lm.FEATURES), **part}, dummy]}
        ).stages[0]
        for _, inputs, r, y, w in held:
            first = stage.predict(r)
            rows2 += lm.stage_two_features(inputs, first)
            ys2 += y
            ws2 += w
    stage2 = fit(rows2, ys2, ws2, c=args.c)
    model_json: dict[str, object] = {
        "about": "claimgraph saved-text line classifier; trained by benchmarks/train_ingest_lines.py on the "
        "dev half of the ingest dev set (mozilla/readability test pages, Apache-2.0; CleanEval, "
        "CleanPortalEval and L3S-GN1 pages, see docs/ingest.md); stage 1 boosted trees, stage 2 a logistic "
        "regression, its features standardised with the given mean and scale",
        "threshold": 0.5,
        "stages": [
            {"features": list(lm.FEATURES), **stage1},
            {"features": list(lm.FEATURES2), **stage2},
        ],
    }
    if getattr(args, "switch", 0.0) > 0:
        model_json["switch"] = args.switch

    return model_json


def _with_model(model_json, run):  # type: ignore[no-untyped-def]
    from claimgraph.ingest import line_model as lm

    model = lm.model_from_json(model_json)
    original = lm.load_model
    lm.load_model = lambda: model  # type: ignore[assignment]
    try:
        return run()
    finally:
        lm.load_model = original  # type: ignore[assignment]


THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7)


def cross_validate(data, saved, args) -> None:  # type: ignore[no-untyped-def]
    """K-fold cross-validation by page over the dev pages that are saved pages (the other
    training pages always train): the whole text path's mean F1 on the left-out pages, per threshold.
    Model choices are made on this figure, not on the held-out half."""
    names = sorted({d[0] for d in data if d[0] in saved and d[0] in args.expected})
    per: dict[float, list[float]] = {t: [] for t in THRESHOLDS}
    for k in range(args.cv):
        left = {n for i, n in enumerate(names) if i % args.cv == k}
        model_json = train_model([d for d in data if d[0] not in left], args)
        for t in THRESHOLDS:
            model_json["threshold"] = t
            per[t] += _with_model(
                model_json,
                lambda left=left: [prf(scraped_result(saved[n]), args.expected[n])[2] for n in sorted(left)],
            )
    print(
        f"cross-validation ({args.cv} folds, {len(names)} pages): "
        + ", ".join(f"{t}: {sum(v) / len(v):.4f}" for t, v in per.items())
    )


def in_val_quarter(name: str) -> bool:
    """The quarter of the dev pages ``--val`` holds apart (by an MD5 hash of the page name)."""
    import hashlib

    return int(hashlib.md5(name.encode()).hexdigest(), 16) % 4 == 0


def validate(data, pages, saved, args) -> None:  # type: ignore[no-untyped-def]
    """Train on three quarters of the dev pages, score the whole text path on the fourth (per source and
    threshold). Settings are chosen on this figure (or ``--cv``), never on the held-out half."""
    from ingest_quality import source_of

    model_json = train_model([d for d in data if not in_val_quarter(d[0])], args)
    val = [p for p in pages if p.split == "dev" and in_val_quarter(p.name)]
    for t in THRESHOLDS:
        model_json["threshold"] = t
        scores = _with_model(
            model_json, lambda: [prf(scraped_result(saved[p.name]), p.expected)[2] for p in val]
        )
        per: dict[str, list[float]] = {}
        for page, f1 in zip(val, scores, strict=True):
            per.setdefault(source_of(page), []).append(f1)
            per.setdefault("all", []).append(f1)
        print(
            f"val quarter, threshold {t}: "
            + ", ".join(f"{k} {sum(v) / len(v):.4f} (n={len(v)})" for k, v in sorted(per.items()))
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dev-dir", default=os.environ.get(ENV))
    parser.add_argument("--c", type=float, default=1.0)
    parser.add_argument(
        "--snippets",
        type=float,
        default=0.0,
        help="weight of a trafilatura dev page (snippet labels); 0: not used",
    )
    parser.add_argument(
        "--teacher",
        type=float,
        default=0.0,
        help="weight of a trafilatura dev page labelled by bare trafilatura.extract's text of its HTML "
        "(snippets override); 0: not used",
    )
    parser.add_argument(
        "--teacher-cache",
        default=None,
        help="JSON cache of the teacher's texts (default: teacher-trafilatura.json in the dev set folder)",
    )
    parser.add_argument(
        "--trees",
        type=int,
        default=200,
        help="stage 1 as N boosted trees (LightGBM); 0: a logistic regression",
    )
    parser.add_argument(
        "--threshold",
        type=float,
        default=0.0,
        help="the model's threshold (best of --cv); 0: the best on the dev pages the model was trained on",
    )
    parser.add_argument(
        "--switch",
        type=float,
        default=0.0,
        help="label smoothing: the Viterbi cost of a change between article text and furniture, "
        "as a probability (0: none, each line against the threshold alone)",
    )
    parser.add_argument("--leaves", type=int, default=16, help="leaves per tree")
    parser.add_argument("--min-leaf", type=int, default=100, help="at least this many lines per leaf")
    parser.add_argument(
        "--heldout",
        action="store_true",
        help="also print the held-out figures (each look is noted in docs/ingest.md; settings are chosen "
        "on --cv or --val, never on these)",
    )
    parser.add_argument(
        "--val", action="store_true", help="only train on 3/4 of the dev pages and score the other quarter"
    )
    parser.add_argument("--cv", type=int, default=0, help="K: only cross-validate on the dev pages (K folds)")
    parser.add_argument(
        "--write", action="store_true", help="save the model to " + str(MODEL.relative_to(REPO))
    )
    args = parser.parse_args()
    if not args.dev_dir:
        sys.exit(f"set {ENV} or --dev-dir")

    from claimgraph.ingest import line_model as lm

    pages = load_pages(Path(args.dev_dir))
    saved = {p.name: saved_text(p.html) for p in pages}
    dev = [p for p in pages if p.split == "dev"]
    args.expected = {p.name: p.expected for p in dev}
    data = []
    for page in dev:
        inputs = page_lines(saved[page.name])
        if inputs:
            ys, ws = labels(inputs, page.expected)
            data.append((page.name, inputs, lm.features(inputs), ys, ws))
    print(f"{len(data)} of {len(dev)} dev pages are saved pages; {sum(len(d[1]) for d in data)} lines")
    snippet_pages = load_snippet_pages(Path(args.dev_dir)) if args.snippets or args.teacher else []
    saved_s = {p.name: saved_text(p.html) for p in snippet_pages}
    extra = 0
    taught = 0
    if args.teacher:
        cache = Path(args.teacher_cache or Path(args.dev_dir) / "teacher-trafilatura.json")
        teacher = teacher_texts([p for p in snippet_pages if p.split == "dev"], cache)
    for page in snippet_pages:
        if page.split != "dev":
            continue
        inputs = page_lines(saved_s[page.name])
        if not inputs:
            continue
        if args.teacher:
            ys, ws = teacher_labels(inputs, teacher[page.name], page.with_, page.without)
            data.append((page.name, inputs, lm.features(inputs), ys, [args.teacher * w for w in ws]))
            taught += 1
            extra += len(inputs)
            continue
        labelled = snippet_labels(inputs, page.with_, page.without)
        if labelled:
            rows = lm.features(inputs)
            total = sum(w for _, _, w in labelled)
            data.append(
                (
                    page.name,
                    [inputs[i] for i, _, _ in labelled],
                    [rows[i] for i, _, _ in labelled],
                    [y for _, y, _ in labelled],
                    [args.snippets * w / total for _, _, w in labelled],
                )
            )
            extra += len(labelled)
    if args.teacher:
        print(
            f"+ {extra} lines of {taught} trafilatura dev pages labelled by the teacher (page weight {args.teacher})"
        )
    elif snippet_pages:
        print(f"+ {extra} snippet-labelled lines of trafilatura's dev pages (page weight {args.snippets})")

    if args.cv:
        cross_validate(data, saved, args)
        return
    if args.val:
        validate(data, pages, saved, args)
        return
    model_json = train_model(data, args)
    stage1, stage2 = model_json["stages"]  # type: ignore[misc]

    def evaluate(threshold: float, split: str, subset: list | None = None) -> float:  # type: ignore[type-arg]
        model_json["threshold"] = threshold
        model = lm.model_from_json(model_json)
        lm.load_model.cache_clear()
        original = lm.load_model
        lm.load_model = lambda: model  # type: ignore[assignment]
        try:
            chosen = [p for p in (pages if subset is None else subset) if p.split == split]
            scores = [prf(scraped_result(saved[p.name]), p.expected)[2] for p in chosen]
        finally:
            lm.load_model = original  # type: ignore[assignment]
        return sum(scores) / len(scores) if scores else float("nan")

    if args.threshold:
        best = (evaluate(args.threshold, "dev"), args.threshold)
    else:
        best = max((evaluate(t, "dev"), t) for t in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8))
    model_json["threshold"] = best[1]
    print(f"threshold {best[1]}: dev F1 {best[0]:.3f}")
    for title, group in groups(pages):
        held = f", held-out F1 {evaluate(best[1], 'heldout', group):.3f}" if args.heldout else ""
        print(f"  {title or 'pages'}: dev F1 {evaluate(best[1], 'dev', group):.3f}{held}")
    if snippet_pages:
        model = lm.model_from_json(model_json)
        original = lm.load_model
        lm.load_model = lambda: model  # type: ignore[assignment]
        try:
            snip = snippet_score(snippet_pages, lambda p: scraped_result(saved_s[p.name]))
        finally:
            lm.load_model = original  # type: ignore[assignment]
        print("trafilatura snippets F1: " + ", ".join(f"{k} {v['F1']:.3f}" for k, v in sorted(snip.items())))
    for name, w in zip(lm.FEATURES, stage1.get("weights", []), strict=False):
        print(f"    {name:<22} {w:+.3f}")
    for name, w in zip(lm.FEATURES2, stage2["weights"], strict=True):
        print(f"  2 {name:<22} {w:+.3f}")
    if args.write:
        MODEL.write_text(json.dumps(model_json, separators=(",", ":")) + "\n", encoding="utf-8")
        print(f"wrote {MODEL}")


if __name__ == "__main__":
    main()
