"""Other HTML extractors beside claimgraph's path, alone, best-of with hindsight, and a line vote.

``python benchmarks/html_extractors.py [--split dev] [--extractors resiliparse readability ...]`` scores, on
the ingest dev set (``CLAIMGRAPH_INGEST_DEV_DIR``, see ``benchmarks/build_ingest_devset.py``), per source
family (CleanEval, CleanPortalEval, L3S-GN1, readability: 4-word shingle F1 per page, averaged; trafilatura's
evaluation pages: snippet F1 over the split):

- each extractor alone, with its CPU seconds against bare ``trafilatura.extract`` (the sum of per-page
  ``time.process_time`` deltas, one pass, in this process: noisy on a shared machine);
- the better of claimgraph's text and the extractor's, page by page, **with hindsight** (an upper bound
  on any rule that chooses between the two: for snippet pages, share of ``with`` snippets found minus
  share of ``without`` snippets found);
- ``--vote EXTRACTOR``: claimgraph's text with the lines the other extractor does not have taken out
  (:func:`line_vote`: a two-voter, line-level vote in the manner of Bevendorff et al., SIGIR 2023, with
  guards chosen on the dev pages).

The extractors are optional packages, not claimgraph dependencies: ``resiliparse`` (``extract_plain_text``,
``main_content=True``), ``readability-lxml``, ``boilerpy3`` (``ArticleExtractor``), ``goose3`` and
``html-text`` (the whole page's text, no boilerplate removal); one that is not installed is skipped with a
line saying so. ``--split heldout`` scores the held-out pages: look at them once, after every choice is made
on ``dev`` (see ``docs/ingest.md``, "HTML, 2026-12-02 evening").
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import logging
import os
import re
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import ingest_quality as q

Extractor = Callable[[str], str]
FAMILIES = ("CleanEval", "CleanPortalEval", "L3S-GN1", "readability")
_WORD = re.compile(r"\w+")
_SENTENCE_END = (".", "!", "?", '"', "\u201d", ")", ":")


def _resiliparse(html: str) -> str:
    from resiliparse.extract.html2text import extract_plain_text

    return str(
        extract_plain_text(
            html, main_content=True, preserve_formatting=True, list_bullets=False, alt_texts=False,
            comments=False,
        )
    )  # fmt: skip


def _readability(html: str) -> str:
    import html_text
    from readability import Document

    return str(html_text.extract_text(Document(html).summary(html_partial=True)))


def _boilerpy3(html: str) -> str:
    from boilerpy3 import extractors

    return str(extractors.ArticleExtractor(raise_on_failure=False).get_content(html) or "")


def _goose3(html: str) -> str:
    from goose3 import Goose

    with Goose({"enable_image_fetching": False}) as goose:
        return str(goose.extract(raw_html=html).cleaned_text or "")


def _html_text(html: str) -> str:
    import html_text

    return str(html_text.extract_text(html))


def _bare(html: str) -> str:
    import trafilatura

    return trafilatura.extract(html) or ""


EXTRACTORS: dict[str, tuple[str, Extractor]] = {
    "claimgraph": ("claimgraph", q.html_result),
    "trafilatura": ("trafilatura", _bare),
    "resiliparse": ("resiliparse", _resiliparse),
    "readability": ("readability", _readability),
    "boilerpy3": ("boilerpy3", _boilerpy3),
    "goose3": ("goose3", _goose3),
    "html-text": ("html_text", _html_text),
}
"""name -> (module to import to know it is installed, function)."""


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def _shingles(words: Sequence[str], size: int) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}


def line_vote(text: str, other: str, *, max_drop: float = 0.3, size: int = 3) -> str:
    """``text``'s lines without those ``other`` does not have (at most half of a line's ``size``-word
    shingles in ``other``), except lines that end a sentence, list items (``- ...``) and lines of
    unspaced script (under ``size`` words but 20 characters or more); if that would take out more than
    ``max_drop`` of the text's characters, ``text`` is returned whole (the other extractor missed the
    article, not the furniture)."""
    lines = [stripped for line in text.split("\n") if (stripped := line.strip())]
    other_words = _words(other)
    theirs, flat = _shingles(other_words, size), " ".join(other_words)
    kept: list[str] = []
    for line in lines:
        words = _words(line)
        if line.endswith(_SENTENCE_END) or line.startswith("- ") or (len(words) < size and len(line) >= 20):
            kept.append(line)
        elif len(words) < size:
            if not words or " ".join(words) in flat:
                kept.append(line)
        elif len(_shingles(words, size) & theirs) * 2 >= len(words) - size + 1:
            kept.append(line)
    total = sum(len(line) for line in lines)
    if total and 1 - sum(len(line) for line in kept) / total > max_drop:
        return text
    return "\n".join(kept)


def family(page: q.Page) -> str:
    """The page's source family as the tables name it (``l3s-gn1`` -> ``L3S-GN1``)."""
    source = q.source_of(page)
    return next((f for f in FAMILIES if f.casefold() == source.casefold()), source)


def snippet_page_score(text: str, page: q.SnippetPage) -> float:
    found, _, wrong = q.snippet_counts(text, page)
    return found / max(1, len(page.with_)) - wrong / max(1, len(page.without))


def run_all(
    fn: Extractor, pages: Sequence[q.Page], snippets: Sequence[q.SnippetPage]
) -> tuple[dict[str, str], float]:
    """Each page's text (``""`` where the extractor fails) and the CPU seconds summed over pages."""
    texts: dict[str, str] = {}
    cpu = 0.0
    for page in [*pages, *snippets]:
        start = time.process_time()
        try:
            with contextlib.redirect_stderr(io.StringIO()):  # boilerpy3 and readability print per page
                texts[page.name] = fn(page.html)
        except Exception:  # a crash on a page scores as an empty text
            texts[page.name] = ""
        cpu += time.process_time() - start
    return texts, cpu


def scores(
    texts: dict[str, str], pages: Sequence[q.Page], snippets: Sequence[q.SnippetPage], split: str
) -> list[float]:
    row = []
    for name in FAMILIES:
        group = [p for p in pages if family(p) == name]
        row.append(sum(q.prf(texts[p.name], p.expected)[2] for p in group) / len(group) if group else 0.0)
    row.append(q.snippet_score(snippets, lambda p: texts[p.name]).get(split, {}).get("F1", 0.0))
    return row


def hindsight(
    a: dict[str, str], b: dict[str, str], pages: Sequence[q.Page], snippets: Sequence[q.SnippetPage]
) -> dict[str, str]:
    best = {p.name: max(a[p.name], b[p.name], key=lambda t, p=p: q.prf(t, p.expected)[2]) for p in pages}
    for s in snippets:
        best[s.name] = max(a[s.name], b[s.name], key=lambda t, s=s: snippet_page_score(t, s))
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dev-dir", default=os.environ.get(q.ENV, ""))
    parser.add_argument("--split", choices=("dev", "heldout"), default="dev")
    parser.add_argument("--extractors", nargs="*", default=[n for n in EXTRACTORS if n != "goose3"],
                        help="names: " + ", ".join(EXTRACTORS) + " (claimgraph and trafilatura always run)")  # fmt: skip
    parser.add_argument("--vote", default=None, help="claimgraph's text, line vote with this extractor")
    parser.add_argument("--cache", default=None, help="folder to keep each extractor's texts (JSON)")
    args = parser.parse_args()
    folder = Path(args.dev_dir)
    if not args.dev_dir or not folder.is_dir():
        sys.exit(f"no dev set: set {q.ENV} (or --dev-dir)")
    warnings.filterwarnings("ignore")
    logging.disable(logging.CRITICAL)
    pages = [p for p in q.load_pages(folder) if p.split == args.split]
    snippets = [p for p in q.load_snippet_pages(folder) if p.split == args.split]
    print(f"{len(pages)} whole-text and {len(snippets)} snippet pages, split {args.split}")
    names = [
        "claimgraph",
        "trafilatura",
        *[n for n in args.extractors if n not in ("claimgraph", "trafilatura")],
    ]
    texts: dict[str, dict[str, str]] = {}
    cpu: dict[str, float] = {}
    for name in names:
        module, fn = EXTRACTORS[name]
        try:
            __import__(module)
        except ImportError:
            print(f"  {name}: not installed, skipped")
            continue
        cache = Path(args.cache) / f"{args.split}-{name}.json" if args.cache else None
        if cache and cache.exists():
            data = json.loads(cache.read_text(encoding="utf-8"))
            texts[name], cpu[name] = data["texts"], data["cpu"]
        else:
            texts[name], cpu[name] = run_all(fn, pages, snippets)
            if cache:
                cache.parent.mkdir(parents=True, exist_ok=True)
                cache.write_text(json.dumps({"texts": texts[name], "cpu": cpu[name]}), encoding="utf-8")
    header = "".join(f"{f[:12]:>13}" for f in (*FAMILIES, "snippet F1")) + f"{'CPU/bare':>10}"
    print(f"{'':<46}{header}")

    def line(label: str, row: list[float], ratio: float | None = None) -> None:
        tail = f"{ratio:10.3f}" if ratio is not None else ""
        print(f"{label:<46}" + "".join(f"{v:13.4f}" for v in row) + tail, flush=True)

    bare_cpu = cpu["trafilatura"]
    for name in texts:
        line(name, scores(texts[name], pages, snippets, args.split), cpu[name] / bare_cpu)
    for name in texts:
        if name != "claimgraph":
            best = hindsight(texts["claimgraph"], texts[name], pages, snippets)
            line(f"best of claimgraph, {name} (hindsight)", scores(best, pages, snippets, args.split))
    if args.vote and args.vote in texts:
        other = texts[args.vote]
        start = time.process_time()
        voted = {n: line_vote(t, other[n]) for n, t in texts["claimgraph"].items()}
        vote_cpu = time.process_time() - start
        line(f"claimgraph, line vote with {args.vote}", scores(voted, pages, snippets, args.split),
             (cpu[args.vote] + vote_cpu) / bare_cpu)  # fmt: skip
        print(f"  (CPU of the vote: {args.vote} plus the vote itself, {vote_cpu:.2f} s; claimgraph's own "
              "CPU above includes its one-time model loads)")  # fmt: skip


if __name__ == "__main__":
    main()
