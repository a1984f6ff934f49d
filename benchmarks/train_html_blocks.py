"""Train the HTML block classifier (``src/claimgraph/ingest/data/html_blocks.json``) on the dev half.

For each page of the dev split of the ingest dev set (``CLAIMGRAPH_INGEST_DEV_DIR``, see
``build_ingest_devset.py``) the page goes through claimgraph's trafilatura step, its leaf blocks are
described (:mod:`claimgraph.ingest.html_blocks`) and labelled against the known main text: a block of
four words or more is article text when at least half its 4-word shingles are in the main text, a
shorter one when it is a whole line of it. On trafilatura's evaluation pages (snippets) a block holding
a ``with`` snippet is article text, one holding a ``without`` snippet is not, others are not used.

Two L2 logistic regressions are fitted (scikit-learn, only here): *add* over the blocks trafilatura left
out, *drop* over the blocks it kept. Their thresholds are chosen by the mean shingle F1 of the dev pages
(the whole HTML path) over a small grid; weights and thresholds are written as plain JSON.

Usage: ``CLAIMGRAPH_INGEST_DEV_DIR=DIR python benchmarks/train_html_blocks.py [--out PATH] [--cv K]``.
Held-out pages are never read here.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import ingest_quality as q
from claimgraph.ingest import html as H
from claimgraph.ingest import html_blocks as B

OUT = Path(__file__).resolve().parent.parent / "src/claimgraph/ingest/data/html_blocks.json"


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


def page_data(html: str) -> tuple[list[B.Block], list[list[float] | None], str] | None:
    try:
        tree, doc, _, _ = H._extracted(html, "train", None)
    except Exception:
        return None
    text = str(getattr(doc, "text", None) or "")
    if not text.strip():
        return None
    blocks = B.page_blocks(tree)
    B.mark_kept(blocks, text)
    if not blocks or not any(b.kept for b in blocks):
        return None
    return blocks, B.block_features(blocks), text


_CACHE: dict[str, tuple[object, object, list[str], list[str]]] = {}


def _cached_extracted(
    html: str, display: str, url: str | None
) -> tuple[object, object, list[str], list[str]]:
    """``html._extracted`` once per page (the threshold search runs the HTML path many times)."""
    import copy

    if html not in _CACHE:
        _CACHE[html] = _ORIGINAL(html, display, url)
    tree, doc, lines, authors = _CACHE[html]
    return copy.deepcopy(tree), copy.deepcopy(doc), list(lines), list(authors)


_ORIGINAL = H._extracted


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
    parser.add_argument("--container-share", type=float, default=B.CONTAINER_SHARE)
    args = parser.parse_args()
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    folder = Path(args.dev_dir)
    pages = [p for p in q.load_pages(folder) if p.split == "dev"]
    X: dict[bool, list[list[float]]] = {True: [], False: []}
    Y: dict[bool, list[int]] = {True: [], False: []}
    for page in pages:
        data = page_data(page.html)
        if data is None:
            continue
        blocks, rows, _ = data
        gold = q.shingle_set(page.expected)
        gold_lines = {" ".join(q._WORD.findall(line.casefold())) for line in page.expected.split("\n")}
        for block, row in zip(blocks, rows, strict=True):
            label = _label_shingles(block, gold, gold_lines)
            if label is not None and row is not None:
                X[block.kept].append(row)
                Y[block.kept].append(label)
    B.CONTAINER_SHARE = args.container_share
    if args.snippets != "none":
        for sp in q.load_snippet_pages(folder):
            if sp.split != "dev":
                continue
            data = page_data(sp.html)
            if data is None:
                continue
            blocks, rows, _ = data
            for block, row in zip(blocks, rows, strict=True):
                label = _label_snippets(block, sp.with_, sp.without)
                if label is not None and row is not None and (block.kept or args.snippets == "both"):
                    X[block.kept].append(row)
                    Y[block.kept].append(label)
    weights = {}
    for kept in (False, True):
        x, y = np.array(X[kept]), np.array(Y[kept])
        target = y if not kept else 1 - y  # add: is article text; drop: is not
        model = LogisticRegression(C=args.c, max_iter=2000, fit_intercept=False)
        model.fit(x, target)
        weights["drop" if kept else "add"] = [round(float(w), 5) for w in model.coef_[0]]
        print(f"{'drop' if kept else 'add'}: {len(y)} blocks, {int(target.sum())} positive", file=sys.stderr)
    H._extracted = _cached_extracted  # type: ignore[assignment]
    best = None
    for add_t in (0.5, 0.65, 0.8, 0.9, 1.01):
        for drop_t in (0.5, 0.65, 0.8, 1.01):
            model_ = B.Model(tuple(weights["add"]), tuple(weights["drop"]), add_t, drop_t)
            f = q._mean([q.prf(_html_result(p.html, model_), p.expected)[2] for p in pages])
            print(f"  add >= {add_t} drop >= {drop_t}: dev F1 {f:.4f}", file=sys.stderr)
            if best is None or f > best[0] + 1e-9:
                best = (f, add_t, drop_t)
    assert best is not None
    data = {
        "about": "HTML block classifier of claimgraph.ingest.html_blocks; trained by benchmarks/train_html_blocks.py "
        "on the dev half of the ingest dev set (mozilla/readability test pages, trafilatura evaluation pages)",
        "features": list(B.FEATURES),
        "add": {"weights": weights["add"], "threshold": best[1]},
        "drop": {"weights": weights["drop"], "threshold": best[2]},
        "container_share": args.container_share,
        "dev_f1": round(best[0], 4),
    }
    Path(args.out).write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"best dev F1 {best[0]:.4f} (add >= {best[1]}, drop >= {best[2]}) -> {args.out}", file=sys.stderr)


def _html_result(html: str, model: B.Model) -> str:
    from claimgraph.errors import InputError
    from claimgraph.ingest.documents import RawDocument, finish
    from claimgraph.model import Document
    from claimgraph.options import Options

    try:
        page = H.extract_html(html, "dev", block_model=model)
    except InputError:
        return ""
    raw = RawDocument(path="dev", format="html", paragraphs=page.paragraphs, repeats=page.repeats)
    doc = finish(raw, Options())
    return doc.text if isinstance(doc, Document) else ""


if __name__ == "__main__":
    main()
