"""Ingest quality on real article pages: ``python benchmarks/ingest.py --quality``.

The dev set (see ``benchmarks/build_ingest_devset.py``) lives outside the repository, in the folder named
by ``CLAIMGRAPH_INGEST_DEV_DIR`` (or ``--dev-dir``): ``<name>.html`` pages with ``<name>.expected.txt``
main texts and ``<name>.meta.json`` (with the page's ``split``: ``dev`` or ``heldout``).

For each page:

- **scraped text**: the page as a person gets it with "save as text" (every block element's visible
  text on its own line, navigation, menus, share rows and footers included; ``script``/``style`` left
  out) goes through claimgraph's text reader path (``clean_text`` then ``finish``: the line rules, the
  line classifier, header metadata, paragraph and passage de-duplication);
- **HTML**: the page goes through claimgraph's HTML path (``extract_html`` then ``finish``).

Each result is scored against the known main text with 4-word shingles (casefolded ``\\w+`` words):
precision, recall and F1 per page, averaged over pages (macro). Speed: CPU seconds of ``extract_html``
against bare ``trafilatura.extract`` (default settings) on the same page strings, rounds interleaved.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ENV = "CLAIMGRAPH_INGEST_DEV_DIR"
_WORD = re.compile(r"\w+")


@dataclass
class Page:
    name: str
    html: str
    expected: str
    split: str
    meta: dict[str, object]


def shingle_set(text: str, size: int = 4) -> set[tuple[str, ...]]:
    words = _WORD.findall(text.casefold())
    if len(words) < size:
        return {tuple(words)} if words else set()
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}


def prf(predicted: str, expected: str) -> tuple[float, float, float]:
    """Shingle precision, recall and F1 of ``predicted`` against ``expected``."""
    got, gold = shingle_set(predicted), shingle_set(expected)
    if not got or not gold:
        return (0.0, 0.0, 0.0) if got or gold else (1.0, 1.0, 1.0)
    common = len(got & gold)
    p, r = common / len(got), common / len(gold)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def load_pages(folder: Path) -> list[Page]:
    pages: list[Page] = []
    for path in sorted(folder.glob("*.html")):
        name = path.name[: -len(".html")]
        expected = folder / f"{name}.expected.txt"
        meta_path = folder / f"{name}.meta.json"
        if not expected.exists():
            continue
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
        from claimgraph.ingest.encoding import declared_charset, decode

        data = path.read_bytes()
        html, _ = decode(data, str(path), declared_charset(data))
        pages.append(
            Page(name, html, expected.read_text(encoding="utf-8"), str(meta.get("split", "dev")), meta)
        )
    return pages


@dataclass
class SnippetPage:
    name: str
    html: str
    with_: list[str]
    without: list[str]
    split: str


def load_snippet_pages(folder: Path) -> list[SnippetPage]:
    """trafilatura's evaluation pages (``<name>.snippets.json``), see ``build_ingest_devset.py``."""
    from claimgraph.ingest.encoding import declared_charset, decode

    pages: list[SnippetPage] = []
    for path in sorted(folder.glob("*.snippets.json")):
        name = path.name[: -len(".snippets.json")]
        page = folder / f"{name}.html"
        if not page.exists():
            continue
        snippets = json.loads(path.read_text(encoding="utf-8"))
        meta_path = folder / f"{name}.meta.json"
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
        data = page.read_bytes()
        html, _ = decode(data, str(page), declared_charset(data))
        pages.append(
            SnippetPage(
                name, html, list(snippets["with"]), list(snippets["without"]), str(meta.get("split", "dev"))
            )
        )
    return pages


def _flat(text: str) -> str:
    return " ".join(text.casefold().split())


def snippet_counts(text: str, page: SnippetPage) -> tuple[int, int, int]:
    """(true positives, false negatives, false positives): ``with`` snippets found and missed,
    ``without`` snippets found (whitespace and case ignored), as trafilatura's evaluation counts them."""
    flat = _flat(text)
    found = sum(1 for s in page.with_ if _flat(s) in flat)
    return found, len(page.with_) - found, sum(1 for s in page.without if _flat(s) in flat)


def snippet_score(
    pages: Sequence[SnippetPage], run: Callable[[SnippetPage], str]
) -> dict[str, dict[str, float]]:
    """Precision, recall and F1 over all snippets of each split (micro, like trafilatura's evaluation)."""
    totals: dict[str, list[int]] = {}
    for page in pages:
        counts = snippet_counts(run(page), page)
        for split in (page.split, "all"):
            row = totals.setdefault(split, [0, 0, 0, 0])
            for k in range(3):
                row[k] += counts[k]
            row[3] += 1
    out: dict[str, dict[str, float]] = {}
    for split, (tp, fn, fp, n) in totals.items():
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        out[split] = {"P": p, "R": r, "F1": 2 * p * r / (p + r) if p + r else 0.0, "n": float(n)}
    return out


def saved_text(html: str) -> str:
    """The page as "save as text" gives it: every block's visible text, one per line."""
    import trafilatura

    from claimgraph.ingest.html import visible_lines

    tree = trafilatura.load_html(html)
    if tree is None:
        return ""
    body = tree.find("body")
    return "\n".join(visible_lines(body if body is not None else tree, consume=True)) + "\n"


def scraped_result(text: str) -> str:
    from claimgraph.ingest.documents import RawDocument, finish
    from claimgraph.ingest.text import clean_text
    from claimgraph.model import Document
    from claimgraph.options import Options

    cleaned = clean_text(text, main_region=True)
    doc = finish(RawDocument(path="dev", format="text", paragraphs=cleaned.paragraphs), Options())
    return doc.text if isinstance(doc, Document) else ""


@functools.cache
def html_result(html: str, *, blocks: bool = False) -> str:
    from claimgraph.errors import InputError
    from claimgraph.ingest.documents import RawDocument, finish
    from claimgraph.ingest.html import extract_html
    from claimgraph.model import Document
    from claimgraph.options import Options

    try:
        page = extract_html(html, "dev", block_model=blocks)
    except InputError:
        return ""
    raw = RawDocument(path="dev", format="html", paragraphs=page.paragraphs, repeats=page.repeats)
    doc = finish(raw, Options())
    return doc.text if isinstance(doc, Document) else ""


@functools.cache
def _bare(html: str) -> str:
    import trafilatura

    return trafilatura.extract(html) or ""


def source_of(page: Page) -> str:
    """The set a page comes from (``readability`` for pages built before sources were recorded)."""
    return str(page.meta.get("source") or "readability")


def groups(pages: Sequence[Page]) -> list[tuple[str, list[Page]]]:
    """All pages, then the readability pages ("old") and the pages of the other sources ("new")
    apart, each set's held-out half being drawn on its own (see build_ingest_devset.py)."""
    old = [p for p in pages if source_of(p) == "readability"]
    new = [p for p in pages if source_of(p) != "readability"]
    if not new:
        return [("", list(pages))]
    names = ", ".join(sorted({source_of(p) for p in new}))
    return [("all pages", list(pages)), ("old: readability", old), (f"new: {names}", new)]


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def score(pages: Sequence[Page], run: Callable[[Page], str]) -> dict[str, dict[str, float]]:
    per: dict[str, list[tuple[float, float, float]]] = {}
    for page in pages:
        per.setdefault(page.split, []).append(prf(run(page), page.expected))
        per.setdefault("all", []).append(per[page.split][-1])
    return {
        split: {"P": _mean([x[0] for x in rows]), "R": _mean([x[1] for x in rows]), "F1": _mean([x[2] for x in rows]),
                "n": float(len(rows))}
        for split, rows in per.items()
    }  # fmt: skip


def worst(pages: Sequence[Page], run: Callable[[Page], str], k: int) -> list[tuple[float, float, float, str]]:
    rows = [(*prf(run(p), p.expected), p.name) for p in pages]
    return sorted(rows, key=lambda r: r[2])[:k]


def timing(pages: Sequence[Page], repeat: int, *, blocks: bool = False) -> tuple[float, float]:
    """Best-of-``repeat`` CPU seconds of (claimgraph extract_html, bare trafilatura.extract), interleaved
    (``blocks``: extract_html with the block classifier)."""
    import trafilatura

    from claimgraph.errors import InputError
    from claimgraph.ingest.html import extract_html

    def ours() -> None:
        for page in pages:
            with contextlib.suppress(InputError):
                extract_html(page.html, "bench", block_model=blocks)

    def bare() -> None:
        for page in pages:
            trafilatura.extract(page.html)

    best = {"ours": float("inf"), "bare": float("inf")}
    for _ in range(repeat):
        for name, fn in (("bare", bare), ("ours", ours)):
            start = time.process_time()
            fn()
            best[name] = min(best[name], time.process_time() - start)
    return best["ours"], best["bare"]


def main(
    dev_dir: str | None,
    repeat: int,
    show_worst: int,
    *,
    html_only: bool = False,
    text_only: bool = False,
    html_blocks: bool = False,
) -> None:
    folder = Path(dev_dir or os.environ.get(ENV, ""))
    if not str(folder) or not folder.is_dir():
        sys.exit(
            f"no dev set: set {ENV} (or --dev-dir) to a folder built by benchmarks/build_ingest_devset.py"
        )
    pages = load_pages(folder)
    if not pages:
        sys.exit(f"no pages with expected texts in {folder}")
    saved = {} if html_only else {p.name: saved_text(p.html) for p in pages}

    def row(label: str, s: dict[str, dict[str, float]]) -> None:
        parts = [f"{split} F1 {s[split]['F1']:.3f} (P {s[split]['P']:.3f} R {s[split]['R']:.3f}, n={int(s[split]['n'])})"
                 for split in ("dev", "heldout", "all") if split in s]  # fmt: skip
        print(f"  {label:<34} " + "; ".join(parts))

    print(f"{len(pages)} pages from {folder}; 4-word shingle P/R/F1 per page, macro-averaged")
    cleaned = {} if html_only else {p.name: scraped_result(saved[p.name]) for p in pages}
    for title, group in groups(pages):
        if title:
            print(f" {title} ({len(group)} pages)")
        if not html_only:
            row("saved text, no cleanup", score(group, lambda p: saved[p.name]))
            row("saved text -> claimgraph cleanup", score(group, lambda p: cleaned[p.name]))
            print("    goal >= 0.90 F1")
        if not text_only:
            _html_rows(group, repeat if not title or title == "all pages" else 0, row, html_blocks)
    snippet_pages = load_snippet_pages(folder)
    if snippet_pages:
        saved_s = {} if html_only else {p.name: saved_text(p.html) for p in snippet_pages}
        print(
            f"{len(snippet_pages)} pages of trafilatura's evaluation; snippets that must (not) be in the text, "
            "P/R/F1 over all snippets of a split"
        )
        if not html_only:
            row("saved text, no cleanup", snippet_score(snippet_pages, lambda p: saved_s[p.name]))
            row(
                "saved text -> claimgraph cleanup",
                snippet_score(snippet_pages, lambda p: scraped_result(saved_s[p.name])),
            )
        if not text_only:
            row(
                "HTML -> claimgraph extract_html", snippet_score(snippet_pages, lambda p: html_result(p.html))
            )
            if html_blocks:
                row(
                    "HTML -> extract_html + block classifier",
                    snippet_score(snippet_pages, lambda p: html_result(p.html, blocks=True)),
                )
            row("bare trafilatura.extract", snippet_score(snippet_pages, lambda p: _bare(p.html)))
    if show_worst and not html_only:
        print("worst dev pages (scraped text):")
        for p, r, f, name in worst(
            [p for p in pages if p.split == "dev"], lambda p: cleaned[p.name], show_worst
        ):
            print(f"    {name:<40} P {p:.2f} R {r:.2f} F1 {f:.2f}")
    if show_worst and not text_only:
        print("worst dev pages (HTML):")
        for p, r, f, name in worst(
            [p for p in pages if p.split == "dev"], lambda p: html_result(p.html), show_worst
        ):
            print(f"    {name:<40} P {p:.2f} R {r:.2f} F1 {f:.2f}")
    print(
        f"rerun: {ENV}=DIR python benchmarks/ingest.py --quality  "
        "(DIR from: python benchmarks/build_ingest_devset.py --repo READABILITY_GIT_DIR --out DIR)"
    )


def _html_rows(
    pages: Sequence[Page],
    repeat: int,
    row: Callable[[str, dict[str, dict[str, float]]], None],
    html_blocks: bool = False,
) -> None:
    html = score(pages, lambda p: html_result(p.html))
    row("HTML -> claimgraph extract_html", html)
    print("    goal >= 0.97 F1")
    if html_blocks:
        row(
            "HTML -> extract_html + block classifier",
            score(pages, lambda p: html_result(p.html, blocks=True)),
        )
    row("bare trafilatura.extract", score(pages, lambda p: _bare(p.html)))
    if not repeat:
        return
    if html_blocks:
        with_blocks, bare_again = timing(pages, repeat, blocks=True)
        print(
            f"  HTML speed with the block classifier: {with_blocks / bare_again:.2f}x trafilatura.extract CPU"
        )
    ours, bare = timing(pages, repeat)
    print(f"  HTML speed: claimgraph {ours:.2f} s vs trafilatura.extract {bare:.2f} s CPU (best of {repeat}) "
          f"= {ours / bare:.2f}x  (goal <= 1.3x; machine shared, CPU time)")  # fmt: skip
