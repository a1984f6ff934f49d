"""Build the ingest dev set (``benchmarks/ingest.py --quality``) from a local git snapshot of mozilla/readability.

The pages are public article pages with a reviewed main text: each ``test/test-pages/<name>/`` of the
mozilla/readability repository (Apache-2.0) holds ``source.html`` (the page as fetched) and
``expected.html`` (the article body the project's maintainers accept as its main content), plus
``expected-metadata.json`` (title, byline, site name). Nothing is downloaded here and nothing is copied
into this repository: the script reads the snapshot with ``git show`` and writes

    <out>/<name>.html           the page
    <out>/<name>.expected.txt   the main text, one line per block element
    <out>/<name>.meta.json      {"split": "dev"|"heldout", "title", "byline", "site_name", "lang"}

Pages whose main text has fewer than 100 words (the feature tests of that suite, and pages in scripts
without spaces between words) are left out. The split is fixed by a hash of the page name (about half
each), so anything tuned on ``dev`` is checked on ``heldout``.

With ``--trafilatura GITDIR`` (a git directory of an adbar/trafilatura snapshot, Apache-2.0) the pages of
trafilatura's own evaluation (``tests/evaldata.json`` with the pages in ``tests/eval`` and
``tests/cache``: multilingual news, blogs, magazines, government and company pages) are added as
``traf-<name>.html`` with ``traf-<name>.snippets.json``: that evaluation does not give the whole main
text but a few snippets per page that must be in it (``with``) and some that must not (``without``),
so these pages are scored by snippets, not shingles. Pages named by a 32-digit hex hash are left out:
they come from another benchmark (the Scrapinghub article-extraction benchmark is kept apart for an
independent check). The split is fixed by a hash of the page's file name, like the readability pages.

Usage: ``python benchmarks/build_ingest_devset.py --repo /path/to/readability.git --out DIR
[--trafilatura /path/to/trafilatura.git]`` (``--repo`` is a git directory, e.g. a bare snapshot; ``DIR``
then goes in ``CLAIMGRAPH_INGEST_DEV_DIR``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

_WORD = re.compile(r"\w+")
MIN_WORDS = 100


def _git(repo: str, *args: str) -> bytes:
    return subprocess.run(["git", "--git-dir", repo, *args], check=True, capture_output=True).stdout


def split_of(name: str) -> str:
    return "dev" if hashlib.sha1(name.encode("utf-8")).digest()[0] % 2 == 0 else "heldout"


_HEX_NAME = re.compile(r"[0-9a-f]{32}\.html?(?:\.gz)?$")
_SAFE = re.compile(r"[^\w.-]+")


def add_trafilatura(repo: str, rev: str, out: Path) -> dict[str, int]:
    """Write trafilatura's evaluation pages and their snippets; returns pages per split."""
    import gzip

    data = json.loads(_git(repo, "show", f"{rev}:tests/evaldata.json"))
    listing = _git(repo, "ls-tree", "-r", "-z", "--name-only", rev, "tests/eval", "tests/cache").decode(
        "utf-8"
    )
    paths = {path.rsplit("/", 1)[-1]: path for path in listing.split("\0") if path}
    kept = {"dev": 0, "heldout": 0}
    for url, item in sorted(data.items()):
        file = str(item.get("file", ""))
        if not file or _HEX_NAME.match(file) or file not in paths:
            continue
        raw = _git(repo, "show", f"{rev}:{paths[file]}")
        if file.endswith(".gz"):
            raw = gzip.decompress(raw)
        stem = (
            "traf-" + _SAFE.sub("_", file.removesuffix(".gz").removesuffix(".html").removesuffix(".htm"))[:80]
        )
        split = split_of(file)
        kept[split] += 1
        (out / f"{stem}.html").write_bytes(raw)
        snippets = {"with": list(item.get("with", [])), "without": list(item.get("without", []))}
        (out / f"{stem}.snippets.json").write_text(
            json.dumps(snippets, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        info = {"split": split, "source": "trafilatura", "url": url}
        (out / f"{stem}.meta.json").write_text(
            json.dumps(info, ensure_ascii=False, indent=1), encoding="utf-8"
        )
    return kept


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repo", required=True, help="git directory of a mozilla/readability snapshot")
    parser.add_argument("--out", required=True, help="folder to write the dev set into")
    parser.add_argument("--rev", default="HEAD")
    parser.add_argument("--trafilatura", default=None, help="git directory of an adbar/trafilatura snapshot")
    args = parser.parse_args()

    from lxml import html as lxml_html

    from claimgraph.ingest.html import visible_lines

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    names = sorted(
        line.rsplit("/", 1)[-1]
        for line in _git(args.repo, "ls-tree", "--name-only", f"{args.rev}:test/test-pages/")
        .decode()
        .split("\n")
        if line.strip()
    )
    kept = {"dev": 0, "heldout": 0}
    for name in names:
        base = f"{args.rev}:test/test-pages/{name}/"
        try:
            source = _git(args.repo, "show", base + "source.html")
            expected = _git(args.repo, "show", base + "expected.html")
        except subprocess.CalledProcessError:
            continue
        try:
            meta = json.loads(_git(args.repo, "show", base + "expected-metadata.json"))
        except (subprocess.CalledProcessError, ValueError):
            meta = {}
        root = lxml_html.fromstring(expected.decode("utf-8", "replace"))
        lines = visible_lines(root, consume=True)
        if len(_WORD.findall(" ".join(lines))) < MIN_WORDS:
            continue
        split = split_of(name)
        kept[split] += 1
        (out / f"{name}.html").write_bytes(source)
        (out / f"{name}.expected.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        info = {
            "split": split,
            "title": meta.get("title"),
            "byline": meta.get("byline"),
            "site_name": meta.get("siteName"),
            "lang": meta.get("lang"),
        }
        (out / f"{name}.meta.json").write_text(
            json.dumps(info, ensure_ascii=False, indent=1), encoding="utf-8"
        )
    print(f"wrote {kept['dev']} dev + {kept['heldout']} held-out pages to {out}", file=sys.stderr)
    if args.trafilatura:
        extra = add_trafilatura(args.trafilatura, "HEAD", out)
        print(
            f"wrote {extra['dev']} dev + {extra['heldout']} held-out trafilatura evaluation pages (snippets)",
            file=sys.stderr,
        )


if __name__ == "__main__":
    main()
