"""Where ``extract_html``'s CPU time goes, as shares of bare ``trafilatura.extract`` on the same pages.

Each step of ``claimgraph.ingest.html`` (and htmldate's ``find_date``, trafilatura's ``bare_extraction``
as called by claimgraph) is wrapped to sum its CPU seconds (``time.process_time``; nested steps are
counted in their callers too), then ``--rounds`` rounds of bare ``trafilatura.extract`` and
``extract_html`` run interleaved over the pages. Pages: the FNC-1 template pages of
``benchmarks/ingest.py`` (``--pages template``) or a fixed random sample of the **dev** pages of the
ingest dev set (``--pages dev``, ``CLAIMGRAPH_INGEST_DEV_DIR``; whole-text and snippet pages; held-out
pages are never read).

Usage: ``python benchmarks/ingest_breakdown.py [--pages template|dev] [--n 300] [--rounds 2]``.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

STEPS = (
    "_tree",
    "_page_authors",
    "_drop_galleries",
    "_page_metadata",
    "_may_name_author",
    "visible_lines",
    "_second_opinion",
    "_balanced",
    "_clean_extracted",
    "_verbatim_lines",
    "_left_out",
    "_outlet",
)


def _pages(kind: str, n: int) -> list[str]:
    if kind == "template":
        import ingest as bench

        rng = random.Random(13)
        return [bench.html_page(i, body, rng) for i, body in enumerate(bench.load_bodies(n))]
    import ingest_quality as q

    folder = Path(os.environ.get(q.ENV, ""))
    if not str(folder) or not folder.is_dir():
        sys.exit(f"no dev set: set {q.ENV}")
    pages = [p.html for p in q.load_pages(folder) if p.split == "dev"]
    pages += [p.html for p in q.load_snippet_pages(folder) if p.split == "dev"]
    random.Random(1).shuffle(pages)
    return pages[:n]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", choices=("template", "dev"), default="template")
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()

    import htmldate
    import trafilatura

    from claimgraph.errors import InputError
    from claimgraph.ingest import html as html_module

    spent: collections.defaultdict[str, float] = collections.defaultdict(float)

    def wrap(module: Any, name: str) -> None:
        function: Callable[..., Any] = getattr(module, name)

        def timed(*a: Any, **k: Any) -> Any:
            start = time.process_time()
            try:
                return function(*a, **k)
            finally:
                spent[name] += time.process_time() - start

        setattr(module, name, timed)

    for name in STEPS:
        wrap(html_module, name)
    wrap(htmldate, "find_date")  # imported by name inside _page_metadata at each call
    wrap(trafilatura, "bare_extraction")  # claimgraph's calls only: extract() calls its own module's name

    pages = _pages(args.pages, args.n)

    def ours() -> None:
        for page in pages:
            with contextlib.suppress(InputError):
                html_module.extract_html(page, "breakdown")

    def bare() -> None:
        for page in pages:
            trafilatura.extract(page)

    from claimgraph.ingest.line_model import load_model

    load_model()  # loaded at the first text with page furniture: seconds once per process, not per page
    for page in pages[:10]:  # warm-up: imports, compiled queries
        trafilatura.extract(page)
        with contextlib.suppress(InputError):
            html_module.extract_html(page, "warmup")
    spent.clear()
    total = {"bare": 0.0, "ours": 0.0}
    for _ in range(args.rounds):
        for name, run in (("bare", bare), ("ours", ours)):
            start = time.process_time()
            run()
            total[name] += time.process_time() - start
    print(f"{len(pages)} {args.pages} pages, {args.rounds} rounds interleaved, CPU seconds summed")
    print(f"  trafilatura.extract {total['bare']:.2f} s; extract_html {total['ours']:.2f} s "
          f"= {total['ours'] / total['bare']:.3f}x")  # fmt: skip
    for name, seconds in sorted(spent.items(), key=lambda kv: -kv[1]):
        print(f"  {name:<18} {seconds:7.2f} s = {seconds / total['bare']:.3f} of bare trafilatura")


if __name__ == "__main__":
    main()
