"""Train the HTML block classifier (``src/claimgraph/ingest/data/html_blocks.json``) on the dev half.

For each page of the dev split of the ingest dev set (``CLAIMGRAPH_INGEST_DEV_DIR``, see
``build_ingest_devset.py``) the page goes through claimgraph's trafilatura step, its leaf blocks are
described (:mod:`claimgraph.ingest.html_blocks`) and labelled against the known main text. Pages with a
whole main text (every source: readability, CleanEval, CleanPortalEval, L3S-GN1): a block of four
words or more is article text when at least half its 4-word shingles are in the main text, a shorter one
when it is a whole line of it. On trafilatura's evaluation pages (snippets) a block holding a ``with``
snippet is article text, one holding a ``without`` snippet is not, others are not used.

Two L2 logistic regressions are fitted (scikit-learn, only here): *add* over the blocks trafilatura left
out, *drop* over the blocks it kept; each page weighs the same whatever its number of blocks. The
thresholds are chosen on a small grid by the **mean over sources** of the whole HTML path's dev F1
(shingle F1 per page, macro-averaged within a source; snippet F1 for trafilatura's pages), so that no
one set's idea of the main text decides. With ``--cv K`` the dev pages are split into K folds by a hash
of their names and each fold is scored with models fitted on the other folds (the honest dev figure;
the thresholds are then chosen on these figures); the written model is fitted on all dev pages.

Usage: ``CLAIMGRAPH_INGEST_DEV_DIR=DIR python benchmarks/train_html_blocks.py [--cv 2] [--out PATH]``.
Held-out pages are never read here.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import ingest_quality as q
from claimgraph.ingest import html as H
from claimgraph.ingest import html_blocks as B

OUT = Path(__file__).resolve().parent.parent / "src/claimgraph/ingest/data/html_blocks.json"
ADD_GRID = (0.5, 0.65, 0.8, 0.9, 1.01)
DROP_GRID = (0.5, 0.65, 0.8, 1.01)


def _label_shingles(block: B.Block, gold: set[tuple[str, ...]], gold_lines: set[str]) -> int | None:
    words = q._WORD.findall(block.text.casefold())
    if not words:
        return None
    if len(words) < 4:
        return int(" ".join(words) in gold_lines)
    s = q.shingle_set(block.text)
    return int(len(s & gold) >= 0.5 * len(s))


def _label_snippets(block: B.Block, with_: list[str], without: list[str]) -> int | None:
    flat = q._flat(block.text)
    if any(len(s) >= 10 and q._flat(s) in flat for s in with_):
        return 1
    if any(len(s) >= 10 and q._flat(s) in flat for s in without):
        return 0
    return None


@dataclass
class DevPage:
    """One dev page after trafilatura's step: its blocks, feature rows and labels."""

    name: str
    source: str
    text: str
    title: str | None
    verbatim: set[str]
    blocks: list[B.Block]
    rows: list[list[float] | None]
    labels: list[int | None]
    expected: str = ""
    snippets: q.SnippetPage | None = None
    finals: dict[tuple[tuple[int, ...], tuple[int, ...]], str] = field(default_factory=dict)


def dev_page(name: str, source: str, html: str, labeller: Any, **extra: Any) -> DevPage | None:
    try:
        tree, doc, _, _ = H._extracted(html, "train", None)
    except Exception:
        return None
    text = str(getattr(doc, "text", None) or "")
    if doc is None or not text.strip():
        return None
    verbatim = H._verbatim_lines(getattr(doc, "body", None))
    blocks = B.page_blocks(tree)
    B.mark_kept(blocks, text)
    rows: list[list[float] | None] = B.block_features(blocks) if any(b.kept for b in blocks) else []
    labels = [labeller(b) for b in blocks] if rows else []
    for block in blocks:  # the tree is not needed any more
        block.element = None
        block.ancestors = []
    return DevPage(name, source, text, doc.title, verbatim, blocks, rows, labels, **extra)


def final_text(page: DevPage, added: list[int], dropped: list[int]) -> str:
    """The whole HTML path's text (``extract_html`` then ``finish``) with these blocks added and dropped."""
    from claimgraph.ingest.documents import RawDocument, finish
    from claimgraph.model import Document
    from claimgraph.options import Options

    key = (tuple(added), tuple(dropped))
    if key not in page.finals:
        text = B.apply(page.text, page.blocks, added, dropped) if added or dropped else page.text
        title = H.normalize_line(page.title) if page.title else None
        cleaned = H._clean_extracted(text, title, page.verbatim)
        raw = RawDocument(path="dev", format="html", paragraphs=cleaned.paragraphs)
        doc = finish(raw, Options())
        page.finals[key] = doc.text if isinstance(doc, Document) else ""
    return page.finals[key]


def per_source(pages: list[DevPage], texts: list[str]) -> dict[str, float]:
    """F1 per source: macro shingle F1, or snippet F1 over all snippets for trafilatura's pages."""
    scores: dict[str, list[float]] = {}
    counts = [0, 0, 0]
    for page, text in zip(pages, texts, strict=True):
        if page.snippets is not None:
            for k, n in enumerate(q.snippet_counts(text, page.snippets)):
                counts[k] += n
        else:
            scores.setdefault(page.source, []).append(q.prf(text, page.expected)[2])
    out = {source: q._mean(values) for source, values in sorted(scores.items())}
    if sum(counts):
        tp, fn, fp = counts
        p, r = tp / (tp + fp) if tp + fp else 0.0, tp / (tp + fn) if tp + fn else 0.0
        out["trafilatura"] = 2 * p * r / (p + r) if p + r else 0.0
    return out


def fold_of(name: str, k: int) -> int:
    return hashlib.sha256(name.encode("utf-8")).digest()[0] % k


def fit(pages: list[DevPage], kept: bool, c: float, snippets: str) -> list[float]:
    """Weights of the add (``kept=False``) or drop model fitted on ``pages`` (each page weighs 1)."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    xs: list[list[float]] = []
    ys: list[int] = []
    ws: list[float] = []
    for page in pages:
        if page.snippets is not None and (snippets == "none" or (snippets == "drop" and not kept)):
            continue
        chosen = [
            (row, label)
            for block, row, label in zip(page.blocks, page.rows, page.labels, strict=True)
            if block.kept == kept and row is not None and label is not None
        ]
        for row, label in chosen:
            xs.append(row)
            ys.append(label if not kept else 1 - label)  # add: is article text; drop: is not
            ws.append(10.0 / max(len(chosen), 10))
    model = LogisticRegression(C=c, max_iter=3000, fit_intercept=False)
    model.fit(np.array(xs), np.array(ys), sample_weight=np.array(ws))
    return [round(float(w), 5) for w in model.coef_[0]]


def probabilities(page: DevPage, add: list[float], drop: list[float]) -> list[tuple[int, bool, float]]:
    return [
        (i, block.kept, B.probability(tuple(drop if block.kept else add), row))
        for i, (block, row) in enumerate(zip(page.blocks, page.rows, strict=True))
        if row is not None
    ]


def grid(
    pages: list[DevPage], probs: list[list[tuple[int, bool, float]]]
) -> dict[tuple[float, float], dict[str, float]]:
    """Per-source F1 for every (add, drop) threshold pair."""
    out: dict[tuple[float, float], dict[str, float]] = {}
    for add_t, drop_t in itertools.product(ADD_GRID, DROP_GRID):
        texts = [
            final_text(
                page,
                [i for i, kept, p in scored if not kept and p >= add_t],
                [i for i, kept, p in scored if kept and p >= drop_t],
            )
            for page, scored in zip(pages, probs, strict=True)
        ]
        out[(add_t, drop_t)] = per_source(pages, texts)
    return out


def load(folder: Path) -> list[DevPage]:
    pages: list[DevPage] = []
    for page in q.load_pages(folder):
        if page.split != "dev":
            continue
        gold = q.shingle_set(page.expected)
        gold_lines = {" ".join(q._WORD.findall(line.casefold())) for line in page.expected.split("\n")}
        found = dev_page(
            page.name,
            q.source_of(page),
            page.html,
            lambda b, gold=gold, gold_lines=gold_lines: _label_shingles(b, gold, gold_lines),
            expected=page.expected,
        )
        if found is not None:
            pages.append(found)
    for sp in q.load_snippet_pages(folder):
        if sp.split != "dev":
            continue
        found = dev_page(
            sp.name,
            "trafilatura",
            sp.html,
            lambda b, sp=sp: _label_snippets(b, sp.with_, sp.without),
            snippets=sp,
        )
        if found is not None:
            pages.append(found)
    return pages


def _show(label: str, scores: dict[str, float]) -> None:
    parts = "  ".join(f"{source} {f:.4f}" for source, f in scores.items())
    print(f"  {label:<22} mean {q._mean(list(scores.values())):.4f}  {parts}", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dev-dir", default=os.environ.get(q.ENV))
    parser.add_argument("--out", default=str(OUT))
    parser.add_argument("--c", type=float, default=1.0)
    parser.add_argument(
        "--snippets",
        choices=("none", "drop", "both"),
        default="drop",
        help="which model trafilatura's snippet-labelled dev pages train (default: the drop model only)",
    )
    parser.add_argument(
        "--sources", default="", help="comma-separated sources whose whole-text pages train (default: all)"
    )
    parser.add_argument(
        "--cv", type=int, default=0, help="choose thresholds on K-fold cross-validated dev figures"
    )
    parser.add_argument("--no-write", action="store_true", help="measure only")
    args = parser.parse_args()
    pages = load(Path(args.dev_dir))
    print(f"{len(pages)} dev pages: " + ", ".join(
        f"{s} {sum(1 for p in pages if p.source == s)}" for s in sorted({p.source for p in pages})
    ), file=sys.stderr)  # fmt: skip
    wanted = set(args.sources.split(",")) if args.sources else None

    def training(subset: list[DevPage]) -> list[DevPage]:
        return [
            p for p in subset if p.rows and (wanted is None or p.source in wanted or p.snippets is not None)
        ]

    baseline = per_source(pages, [final_text(p, [], []) for p in pages])
    _show("without the classifier", baseline)
    if args.cv:
        probs: list[list[tuple[int, bool, float]]] = [[] for _ in pages]
        for k in range(args.cv):
            train = training([p for p in pages if fold_of(p.name, args.cv) != k])
            add, drop = fit(train, False, args.c, args.snippets), fit(train, True, args.c, args.snippets)
            for n, page in enumerate(pages):
                if fold_of(page.name, args.cv) == k and page.rows:
                    probs[n] = probabilities(page, add, drop)
        table = grid(pages, probs)
        for (add_t, drop_t), scores in table.items():
            _show(f"cv add>={add_t} drop>={drop_t}", scores)
    train = training(pages)
    weights = {
        "add": fit(train, False, args.c, args.snippets),
        "drop": fit(train, True, args.c, args.snippets),
    }
    if not args.cv:
        table = grid(
            pages, [probabilities(p, weights["add"], weights["drop"]) if p.rows else [] for p in pages]
        )
        for (add_t, drop_t), scores in table.items():
            _show(f"add>={add_t} drop>={drop_t}", scores)
    (add_t, drop_t), scores = max(table.items(), key=lambda kv: (q._mean(list(kv[1].values())), -kv[0][0]))
    _show(f"chosen: add>={add_t} drop>={drop_t}", scores)
    if args.no_write:
        return
    data = {
        "about": "HTML block classifier of claimgraph.ingest.html_blocks; trained by benchmarks/train_html_blocks.py "
        "on the dev half of the ingest dev set (readability, CleanEval, CleanPortalEval and L3S-GN1 pages with "
        "whole main texts; trafilatura's evaluation pages with snippets)",
        "features": list(B.FEATURES),
        "add": {"weights": weights["add"], "threshold": add_t},
        "drop": {"weights": weights["drop"], "threshold": drop_t},
        "container_share": B.CONTAINER_SHARE,
        "dev_f1_by_source": {source: round(f, 4) for source, f in scores.items()},
        "dev_f1_without": {source: round(f, 4) for source, f in baseline.items()},
        "dev_f1_is": f"{args.cv}-fold cross-validated" if args.cv else "in-sample",
    }
    Path(args.out).write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"-> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
