"""Ingest benchmark: documents/s for HTML and text, and claimgraph's HTML time relative to trafilatura.

Wraps >= 1,000 real article bodies from FNC-1 (``train_bodies.csv``; folder from the env var
``CLAIMGRAPH_FNC1_DIR``, default ``<repo>/../shared/data/fnc1``) in realistic page templates with
boilerplate (menus, share rows, teasers, cookie banners, footers, a repeated paragraph) as HTML, and
as messy saved-from-the-web text. Times are CPU seconds of this process (``time.process_time``; the
machine is shared, so wall time, shown in brackets, is noisy), the best of ``--repeat`` rounds, the
rounds of the two sides of each comparison interleaved. Like is compared with like:

- **HTML reading** (the goal): ``extract_html`` (one parse; trafilatura's text in recall mode plus the
  page metadata; all bylined authors; the line rules; the removed-lines audit; repeats trafilatura
  dropped) against trafilatura's bare ``extract()`` with its default settings (full extraction
  cascade, text only, no metadata), both on the same in-memory page strings. Goal: <= 1.3.
- **Whole HTML path**: ``iter_documents`` on a folder of the pages (file read, decoding, the above,
  NFC, paragraph de-duplication, content hash, ``Document``) against reading each file, decoding it
  and calling bare ``extract()``.
- **Text path**: ``iter_documents`` on a folder of the messy text versions (docs/s only: trafilatura
  does not read plain text).

Usage: ``python benchmarks/ingest.py [--n 1000] [--repeat 1]``.

``--quality`` instead scores extraction quality on real pages (``benchmarks/ingest_quality.py``): saved
text cleanup and HTML extraction, 4-word shingle F1 against known main texts, and the HTML speed ratio.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from html import escape
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NAMES = ["Jane Roe", "John Doe", "Ann Poe", "Lars Brenn", "Mara Lind", "Piet Saar", "Ilse Marr", "Omar Feld"]
OUTLETS = ["The Veloria Times", "Kestria Ledger", "Harbour Herald", "Sarn Gulf Brief"]


def load_bodies(n: int) -> list[str]:
    folder = Path(os.environ.get("CLAIMGRAPH_FNC1_DIR", REPO.parent / "shared" / "data" / "fnc1"))
    path = folder / "train_bodies.csv"
    if not path.exists():
        sys.exit(f"FNC-1 bodies not found at {path}; set CLAIMGRAPH_FNC1_DIR")
    csv.field_size_limit(10_000_000)
    bodies: list[str] = []
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            body = row["articleBody"].strip()
            if len(body.split()) >= 80:
                bodies.append(body)
            if len(bodies) >= n:
                break
    if len(bodies) < n:
        sys.exit(f"only {len(bodies)} usable bodies in {path}")
    return bodies


def _paragraphs(body: str) -> list[str]:
    return [p.strip() for p in body.split("\n") if p.strip()]


def html_page(i: int, body: str, rng: random.Random) -> str:
    paragraphs = _paragraphs(body)
    title = " ".join(paragraphs[0].split()[:9]).rstrip(".,;:")
    authors = rng.sample(NAMES, k=rng.choice([1, 2, 3]))
    byline = ", ".join(authors[:-1]) + (" and " if len(authors) > 1 else "") + authors[-1]
    outlet = rng.choice(OUTLETS)
    date = f"2019-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    body_html = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    if len(paragraphs) > 2:  # a template bug repeats a paragraph
        body_html += f"\n<p>{escape(paragraphs[1])}</p>"
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{escape(title)} | {outlet}</title>
<meta property="og:site_name" content="{outlet}"><meta property="og:title" content="{escape(title)}">
<link rel="canonical" href="https://news{i % 7}.example/{date}/story-{i}">
<meta name="author" content="{authors[0]}"><meta property="article:published_time" content="{date}T08:00:00Z">
<script>window.dataLayer=[{{"page":"article","id":{i}}}];</script><style>.x{{color:red}}</style></head>
<body><div class="cookie">We use cookies to improve your experience. Accept all</div>
<header><a href="/">{outlet}</a><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/business">Business</a></li><li><a href="/contact">Contact</a></li>
<li><a href="/jobs">Jobs</a></li></ul></nav></header>
<main><article><h1>{escape(title)}</h1><p class="byline">By {byline}</p><time datetime="{date}">{date}</time>
<ul class="share"><li><a>Facebook</a></li><li><a>X</a></li><li><a>Email</a></li></ul>
{body_html}
<p><a href="/poll">Take our poll!</a></p><p>Sign up for our newsletter</p></article>
<aside><h3>More on this</h3><ul><li><a href="/a">Ferry service resumes after storm</a></li>
<li><a href="/b">Council approves new harbour budget</a></li></ul></aside></main>
<footer><p>Print this page</p><p>Filed under: World, News</p><p>&copy; 2019 {outlet}. All rights reserved.</p></footer>
<img src="https://px.example/p.gif?id={i}" width="1" height="1" alt=""></body></html>"""


def text_page(i: int, body: str, rng: random.Random) -> str:
    paragraphs = _paragraphs(body)
    title = " ".join(paragraphs[0].split()[:9]).rstrip(".,;:")
    authors = rng.sample(NAMES, k=rng.choice([1, 2, 3]))
    byline = ", ".join(authors[:-1]) + ("* and " if len(authors) > 1 else "") + authors[-1]
    lines = [
        "Home News Sport Contact Jobs",
        f'<img src="https://px.example/t.gif?id={i}" width="1" height="1">',
        title,
        title,
        f"By {byline}",
        f"Tuesday, March {rng.randint(1, 28)}th, 2019 @ 9:14AM",
        "Share this: Facebook | X | WhatsApp | Email",
        "",
    ]
    for n, paragraph in enumerate(paragraphs):
        lines += [paragraph, ""]
        if n == 1:
            lines += ["See the gallery", ""]
    lines += [paragraphs[0], "", "More on this:", "» Ferry service resumes", "", "Show comments",
              "Sign up for our newsletter", "Print this page", "Topics: world, news",
              f"© 2019 {rng.choice(OUTLETS)}. All rights reserved."]  # fmt: skip
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=1, help="timing rounds; the best round is reported")
    parser.add_argument(
        "--quality", action="store_true", help="shingle F1 on real pages (CLAIMGRAPH_INGEST_DEV_DIR)"
    )
    parser.add_argument(
        "--dev-dir", default=None, help="dev set folder for --quality (default: $CLAIMGRAPH_INGEST_DEV_DIR)"
    )
    parser.add_argument("--worst", type=int, default=0, help="with --quality: list the N worst pages")
    parser.add_argument(
        "--html-only",
        action="store_true",
        help="with --quality: score only the HTML path (and bare trafilatura)",
    )
    parser.add_argument(
        "--text-only", action="store_true", help="with --quality: score the saved-text path only (faster)"
    )
    parser.add_argument(
        "--html-blocks",
        action="store_true",
        help="also measure extract_html with the HTML block classifier (off by default; see docs/ingest.md)",
    )
    args = parser.parse_args()
    if args.quality:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from ingest_quality import main as quality_main

        quality_main(
            args.dev_dir,
            args.repeat,
            args.worst,
            html_only=args.html_only,
            text_only=args.text_only,
            html_blocks=args.html_blocks,
        )
        return

    import trafilatura

    from claimgraph.ingest import iter_documents
    from claimgraph.ingest.html import extract_html
    from claimgraph.model import Document
    from claimgraph.options import Options

    bodies = load_bodies(args.n)
    rng = random.Random(13)
    pages = [html_page(i, b, rng) for i, b in enumerate(bodies)]
    texts = [text_page(i, b, rng) for i, b in enumerate(bodies)]
    options = Options()

    cpu: dict[str, float] = {}
    wall: dict[str, float] = {}

    def timed(name: str, fn: Callable[[], object]) -> None:
        start, start_wall = time.process_time(), time.perf_counter()
        fn()
        cpu[name] = min(cpu.get(name, float("inf")), time.process_time() - start)
        wall[name] = min(wall.get(name, float("inf")), time.perf_counter() - start_wall)

    def bare_extract(page: str) -> str | None:
        return trafilatura.extract(page)  # type: ignore[no-any-return]

    def bare_from_file(path: Path) -> str | None:
        with path.open("rb") as handle:
            return bare_extract(handle.read().decode("utf-8"))

    results: dict[str, list[object]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        html_dir, text_dir = Path(tmp, "html"), Path(tmp, "text")
        html_dir.mkdir()
        text_dir.mkdir()
        for i, (page, text) in enumerate(zip(pages, texts, strict=True)):
            (html_dir / f"{i:05d}.html").write_text(page, encoding="utf-8")
            (text_dir / f"{i:05d}.txt").write_text(text, encoding="utf-8")
        html_files = sorted(html_dir.iterdir())

        def run(folder: Path) -> None:
            results[folder.name] = list(iter_documents([str(folder)], options))

        # warm-up (imports, lazy initialisation in trafilatura/htmldate, file cache)
        for page in pages[:20]:
            bare_extract(page)
            extract_html(page, "warmup")
        run(html_dir)
        run(text_dir)

        for _ in range(args.repeat):
            timed("bare", lambda: [bare_extract(p) for p in pages])
            timed(
                "ours",
                lambda: [
                    extract_html(p, "bench", paragraph_jaccard=options.paragraph_jaccard) for p in pages
                ],
            )
            if args.html_blocks:
                timed("blocks", lambda: [extract_html(p, "bench", block_model=True) for p in pages])
            timed("bare_files", lambda: [bare_from_file(f) for f in html_files])
            timed("html", lambda: run(html_dir))
            timed("text", lambda: run(text_dir))

    html_docs = [d for d in results["html"] if isinstance(d, Document)]
    text_docs = [d for d in results["text"] if isinstance(d, Document)]
    n = len(pages)

    def line(label: str, name: str, count: int, unit: str) -> None:
        print(
            f"  {label:<44} {count} {unit} in {cpu[name]:5.2f} s = {count / cpu[name]:6.1f} {unit}/s   [{wall[name]:5.2f} s wall]"
        )

    print(
        f"{n} FNC-1 article bodies; CPU seconds (time.process_time), best of {args.repeat}; wall in brackets"
    )
    print("HTML reading, same in-memory page strings (no file I/O on either side):")
    line("trafilatura.extract(page), default settings", "bare", n, "pages")
    line("claimgraph extract_html(page)", "ours", n, "pages")
    print(f"  ratio claimgraph / trafilatura:              {cpu['ours'] / cpu['bare']:.2f}x CPU  (goal <= 1.3x)"
          f"  [{wall['ours'] / wall['bare']:.2f}x wall]")  # fmt: skip
    if "blocks" in cpu:
        line("claimgraph extract_html(page, block_model=True)", "blocks", n, "pages")
        print(f"  ratio with the block classifier:             {cpu['blocks'] / cpu['bare']:.2f}x CPU")
    print("Whole path from files (read, decode, extract; claimgraph also normalises, de-duplicates, hashes):")
    line("read + decode + trafilatura.extract()", "bare_files", n, "docs")
    line("claimgraph iter_documents(html folder)", "html", len(html_docs), "docs")
    print(f"  ratio claimgraph / trafilatura:              {cpu['html'] / cpu['bare_files']:.2f}x CPU"
          f"  [{wall['html'] / wall['bare_files']:.2f}x wall]")  # fmt: skip
    print("Text path:")
    line("claimgraph iter_documents(text folder)", "text", len(text_docs), "docs")
    multi = sum(1 for d in html_docs if len(d.authors) > 1)
    print(f"checks: {multi} HTML docs with several authors, "
          f"{sum(len(d.removed.boilerplate_lines) for d in html_docs)} removed lines listed (HTML), "
          f"{sum(d.removed.duplicate_paragraphs for d in html_docs)} repeated paragraphs counted (HTML), "
          f"{sum(d.removed.duplicate_paragraphs for d in text_docs)} (text); "
          f"problems: {len(results['html']) - len(html_docs)} HTML, {len(results['text']) - len(text_docs)} text")  # fmt: skip


if __name__ == "__main__":
    main()
