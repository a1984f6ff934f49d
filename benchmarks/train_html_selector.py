"""Train the recall/balanced selector of the HTML path (``src/claimgraph/ingest/data/html_selector.json``).

For each page of the **dev** split of the ingest dev set (``CLAIMGRAPH_INGEST_DEV_DIR``, see
``build_ingest_devset.py``; held-out pages are never read here), the page goes through claimgraph's HTML
path twice: with trafilatura's recall-mode text (what ``extract_html`` always makes) and with its
balanced-mode text, each scored against the known main text (4-word shingle F1, as ``--quality`` does;
on trafilatura's own evaluation pages, the share of ``with`` snippets found minus the share of ``without``
snippets found). The numbers of :mod:`claimgraph.ingest.html_selector` are recorded for both.

Two L2 logistic regressions (scikit-learn, only here) are fitted with each page weighted by what the
choice is worth on it (the F1 difference between the two texts):

- **gate** (page features only): is balanced mode's text better by more than ``--margin``? Only pages it
  accepts, or whose recall-mode text is under a share of the visible text (the rule this replaces, kept
  as one grid value: it finds the pages where recall mode settled on a small part), are extracted again,
  so its thresholds set the extra cost;
- **choose** (page and pair features), on the pages where the two texts differ: is balanced mode's better?

Thresholds are chosen on a grid by the dev F1 **cross-validated** over ``--cv`` folds (pages split by a
hash of their names; each fold scored by models fitted on the others), the mean over sources of each
source's mean, with at most ``--max-runs`` of the pages extracted a second time. The written model is
fitted on all dev pages.

Usage: ``CLAIMGRAPH_INGEST_DEV_DIR=DIR python benchmarks/train_html_selector.py [--rows CACHE.json]
[--cv 4] [--max-runs 0.08] [--out PATH]`` (``--rows`` keeps the two extractions of every page between
runs; without it they are made again).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import ingest_quality as q
from claimgraph.errors import InputError
from claimgraph.ingest import html as H
from claimgraph.ingest import html_selector as S

OUT = Path(__file__).resolve().parent.parent / "src/claimgraph/ingest/data/html_selector.json"
GATE_GRID = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01)
CHOOSE_GRID = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.01)
SHARE_GRID = (0.0, 0.15, 0.25)
"""Recall mode's share of the visible text under which the page is always extracted again (0: never)."""


def _final_text(html: str) -> str:
    from claimgraph.ingest.documents import RawDocument, finish
    from claimgraph.model import Document
    from claimgraph.options import Options

    try:
        page = H.extract_html(html, "dev")
    except InputError:
        return ""
    doc = finish(
        RawDocument(path="dev", format="html", paragraphs=page.paragraphs, repeats=page.repeats), Options()
    )
    return doc.text if isinstance(doc, Document) else ""


def _both(html: str) -> dict[str, Any]:
    """The page's final text with recall mode's and with balanced mode's extraction, and the features."""
    row: dict[str, Any] = {}

    def recall(tree: Any, url: str | None, doc: Any, visible: list[str], selector: Any = None) -> Any:
        row["recall_raw"] = getattr(doc, "text", None) or ""
        row["page"] = S.page_features(row["recall_raw"], visible)
        return doc

    def balanced(tree: Any, url: str | None, doc: Any, visible: list[str], selector: Any = None) -> Any:
        other = H._balanced(tree, url)
        other_text = getattr(other, "text", None) or ""
        row["pair"] = S.pair_features(getattr(doc, "text", None) or "", other_text, visible)
        if other_text.strip():
            doc.text, doc.body = other_text, getattr(other, "body", None)
        return doc

    original = H._second_opinion
    try:
        H._second_opinion = recall  # type: ignore[assignment]
        row["recall"] = _final_text(html)
        H._second_opinion = balanced  # type: ignore[assignment]
        row["balanced"] = _final_text(html)
    finally:
        H._second_opinion = original  # type: ignore[assignment]
    row.pop("recall_raw", None)
    return row


def _snippet_score(text: str, page: q.SnippetPage) -> float:
    found, _, wrong = q.snippet_counts(text, page)
    return found / max(1, len(page.with_)) - wrong / max(1, len(page.without))


def collect(folder: Path) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    pages = [p for p in q.load_pages(folder) if p.split == "dev"]
    snippets = [p for p in q.load_snippet_pages(folder) if p.split == "dev"]
    for i, page in enumerate(pages):
        row = _both(page.html)
        if "page" not in row or "pair" not in row:
            continue
        rows.append({"name": page.name, "source": q.source_of(page), "page": row["page"], "pair": row["pair"],
                     "recall": q.prf(row["recall"], page.expected)[2],
                     "balanced": q.prf(row["balanced"], page.expected)[2]})  # fmt: skip
        if i % 100 == 0:
            print(f"  {i}/{len(pages)} pages", file=sys.stderr)
    for snippet_page in snippets:
        row = _both(snippet_page.html)
        if "page" not in row or "pair" not in row:
            continue
        rows.append({"name": snippet_page.name, "source": "trafilatura", "page": row["page"], "pair": row["pair"],
                     "recall": _snippet_score(row["recall"], snippet_page),
                     "balanced": _snippet_score(row["balanced"], snippet_page)})  # fmt: skip
    return rows


def _fold(name: str, k: int) -> int:
    return int(hashlib.sha256(name.encode()).hexdigest(), 16) % k


def _fit(x: Sequence[Sequence[float]], y: Sequence[int], w: Sequence[float], c: float) -> dict[str, Any]:
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    a = np.asarray(x, dtype=float)
    mean, scale = a.mean(axis=0), a.std(axis=0)
    scale[scale == 0] = 1.0
    if len(set(y)) < 2:
        return {"mean": mean.tolist(), "scale": scale.tolist(), "weights": [0.0] * a.shape[1],
                "bias": 10.0 if y and y[0] else -10.0}  # fmt: skip
    model = LogisticRegression(C=c, max_iter=2000)
    model.fit((a - mean) / scale, np.asarray(y), sample_weight=np.asarray(w, dtype=float))
    return {"mean": mean.tolist(), "scale": scale.tolist(), "weights": model.coef_[0].tolist(),
            "bias": float(model.intercept_[0])}  # fmt: skip


def fit(rows: Sequence[dict[str, Any]], margin: float, c: float) -> tuple[dict[str, Any], dict[str, Any]]:
    """(gate, choose) parameters without thresholds, fitted on ``rows``."""
    gains = [r["balanced"] - r["recall"] for r in rows]
    gate = _fit([r["page"] for r in rows], [int(g > margin) for g in gains],
                [max(abs(g), margin) for g in gains], c)  # fmt: skip
    differ = [(r, g) for r, g in zip(rows, gains, strict=True) if abs(g) > 1e-9]
    choose = _fit([r["page"] + r["pair"] for r, _ in differ], [int(g > 0) for _, g in differ],
                  [abs(g) for _, g in differ], c)  # fmt: skip
    return gate, choose


def _model(params: dict[str, Any], threshold: float) -> S.Logistic:
    return S.Logistic.from_json({**params, "threshold": threshold})


def evaluate(
    rows: Sequence[dict[str, Any]], gate: Callable[[dict[str, Any]], float], choose: Callable[[dict[str, Any]], float],
    gate_t: float, choose_t: float,
) -> tuple[dict[str, float], float]:  # fmt: skip
    """(mean score per source with "mean" over sources, share of pages extracted twice)."""
    per: dict[str, list[float]] = {}
    runs = 0
    for r in rows:
        score = r["recall"]
        if gate(r) >= gate_t:
            runs += 1
            if choose(r) >= choose_t:
                score = r["balanced"]
        per.setdefault(r["source"], []).append(score)
    out = {source: sum(v) / len(v) for source, v in per.items()}
    out["mean"] = sum(out.values()) / len(out)
    return out, runs / len(rows)


def cross_validated(rows: Sequence[dict[str, Any]], k: int, margin: float, c: float) -> tuple[dict[str, float], dict[str, float]]:  # fmt: skip
    """Out-of-fold gate and choice probabilities per page name."""
    gate_p: dict[str, float] = {}
    choose_p: dict[str, float] = {}
    for fold in range(k):
        train = [r for r in rows if _fold(r["name"], k) != fold]
        gate, choose = fit(train, margin, c)
        g, ch = _model(gate, 0.5), _model(choose, 0.5)
        for r in rows:
            if _fold(r["name"], k) == fold:
                gate_p[r["name"]] = g.probability(r["page"])
                choose_p[r["name"]] = ch.probability(r["page"] + r["pair"])
    return gate_p, choose_p


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", help="cache of the per-page extractions and features (JSON)")
    parser.add_argument("--cv", type=int, default=4)
    parser.add_argument(
        "--margin", type=float, default=0.02, help="gain that makes a second extraction worth it"
    )
    parser.add_argument("--c", type=float, default=1.0, help="inverse L2 strength")
    parser.add_argument("--max-runs", type=float, default=0.08, help="most pages extracted twice (share)")
    parser.add_argument("--out", default=str(OUT))
    parser.add_argument("--dry-run", action="store_true", help="print the figures, write nothing")
    args = parser.parse_args()
    folder = Path(os.environ.get(q.ENV, ""))
    if not str(folder) or not folder.is_dir():
        sys.exit(f"set {q.ENV}")
    cache = Path(args.rows) if args.rows else None
    if cache and cache.exists():
        rows = json.loads(cache.read_text(encoding="utf-8"))
    else:
        rows = collect(folder)
        if cache:
            cache.write_text(json.dumps(rows), encoding="utf-8")
    print(f"{len(rows)} dev pages; texts differ on {sum(1 for r in rows if r['recall'] != r['balanced'])}")
    always = {"recall": 0.0, "balanced": 1.0}
    for name, value in always.items():
        scores, _ = evaluate(rows, lambda r, v=value: v, lambda r, v=value: v, 0.5, 0.5)
        print(f"  always {name:<9} " + " ".join(f"{s} {v:.4f}" for s, v in sorted(scores.items())))
    oracle = evaluate(
        [{**r, "recall": max(r["recall"], r["balanced"])} for r in rows], lambda r: 0, lambda r: 0, 1, 1
    )[0]
    print("  hindsight      " + " ".join(f"{s} {v:.4f}" for s, v in sorted(oracle.items())))
    import math

    rule, rule_runs = evaluate(
        rows, lambda r: float(r["page"][1] < 0.15), lambda r: float(r["pair"][0] >= math.log(4)), 0.5, 0.5
    )
    print(f"  previous rule (share < 0.15, 4x as long; {rule_runs:.1%} extracted twice) "
          + " ".join(f"{s} {v:.4f}" for s, v in sorted(rule.items())))  # fmt: skip
    gate_p, choose_p = cross_validated(rows, args.cv, args.margin, args.c)
    best: tuple[float, float, float, float, float, dict[str, float]] | None = None
    for share in SHARE_GRID:
        for gate_t in GATE_GRID:
            for choose_t in CHOOSE_GRID:
                scores, runs = evaluate(rows, lambda r, s=share, t=gate_t: float(r["page"][1] < s or gate_p[r["name"]] >= t),
                                        lambda r: choose_p[r["name"]], 0.5, choose_t)  # fmt: skip
                if runs <= args.max_runs and (best is None or scores["mean"] > best[0] + 1e-9):
                    best = (scores["mean"], share, gate_t, choose_t, runs, scores)
    assert best is not None
    _, share, gate_t, choose_t, runs, scores = best
    print(f"  selector (cv {args.cv}, share < {share} or gate >= {gate_t}, choose >= {choose_t}, "
          f"{runs:.1%} of pages extracted twice) " + " ".join(f"{s} {v:.4f}" for s, v in sorted(scores.items())))  # fmt: skip
    if args.dry_run:
        return
    gate, choose = fit(rows, args.margin, args.c)
    model = {
        "about": "claimgraph HTML recall/balanced selector; benchmarks/train_html_selector.py, dev pages only",
        "page_features": list(S.PAGE_FEATURES),
        "pair_features": list(S.PAIR_FEATURES),
        "always_below_share": share,
        "gate": {**gate, "threshold": gate_t},
        "choose": {**choose, "threshold": choose_t},
        "cv": {"folds": args.cv, "scores": scores, "second_extractions": runs},
    }
    with contextlib.suppress(FileNotFoundError):
        Path(args.out).unlink()
    Path(args.out).write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
