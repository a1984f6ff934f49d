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

With ``--merged GITDIR`` (a git directory of a j-szulc/html-cleaning-dataset-merged snapshot, which
mirrors older boilerplate-removal test sets in one layout, ``<set>/input/<name>.html`` and
``<set>/GoldStandard/<name>.txt``) three more sets of pages with a whole known main text are added:

- ``cleaneval-dev`` and ``cleaneval-final`` (CleanEval 2007 shared task, ACL SIGWAC; English and Chinese
  web pages of every kind with a hand-cleaned text marked ``<p>``/``<h>``/``<l>``; no licence is stated,
  the task shared them for research) as ``ce-<set>-<name>``;
- ``CleanPortalEval-master`` (ppke-nlpg/CleanPortalEval, Endrédy & Novák 2013: 70 pages of 5 news and
  blog sections, CleanEval format; no licence stated) as ``cpe-<name>``;
- ``page-signal-master`` (L3S-GN1, Kohlschütter et al. WSDM 2010: 621 English news articles from 408
  sites found through Google News in 2008, each block hand-labelled headline / full text / supplemental /
  related / comments; "research use only" licence) as ``gn1-<name>``, the main text being the headline
  and full-text blocks.

The other sets of that snapshot are never read: ``dragnet_data`` (AGPLv3), ``readability`` (the same
pages as ``--repo``). These pages carry ``"source"`` in their meta and their own split, fixed by a salted
hash of ``<source>/<name>`` (about a third held out) and drawn after the readability and trafilatura
held-out pages had been read, so ``heldout`` pages of these sources are an unread check.

Usage: ``python benchmarks/build_ingest_devset.py --repo /path/to/readability.git --out DIR
[--trafilatura /path/to/trafilatura.git] [--merged /path/to/html-cleaning-dataset-merged.git]``
(``--repo`` is a git directory, e.g. a bare snapshot; ``DIR`` then goes in ``CLAIMGRAPH_INGEST_DEV_DIR``).
"""

from __future__ import annotations

import argparse
import contextlib
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


def fresh_split_of(key: str) -> str:
    """The split of a page of the sources added with ``--merged``: about a third ``heldout``."""
    digest = hashlib.sha256(("claimgraph-ingest-heldout-2:" + key).encode("utf-8")).digest()
    return "heldout" if digest[0] < 86 else "dev"


# sets of the merged snapshot that are read, and the source name their pages carry; every other set
# (dragnet_data: AGPLv3; readability: the pages of --repo) is never read
MERGED_SETS = {
    "cleaneval-dev": ("cleaneval", "ce-dev-"),
    "cleaneval-final": ("cleaneval", "ce-final-"),
    "CleanPortalEval-master": ("cleanportaleval", "cpe-"),
    "page-signal-master": ("l3s-gn1", "gn1-"),
}
_CLEANEVAL_MARK = re.compile(r"<[phl]>", re.IGNORECASE)
_GN1_MAIN = {"x-nc-sel1", "x-nc-sel2"}


_CLEANEVAL_WRAPPER = re.compile(rb'\A\s*<text id="[^"]*"[^>]*>')
_CLEANEVAL_ENCODING = re.compile(rb'encoding="([^"]*)"')


def unwrap_cleaneval(page: bytes) -> bytes:
    """A CleanEval input page without the ``<text id=... encoding=...>`` wrapper the task put around
    each page (no browser or HTML reader expects it), re-encoded to UTF-8 from that encoding."""
    match = _CLEANEVAL_WRAPPER.match(page)
    if match is None:
        return page
    body = page[match.end() :].rstrip()
    body = body.removesuffix(b"</text>")
    declared = _CLEANEVAL_ENCODING.search(match.group(0))
    encoding = (declared.group(1) if declared else b"").decode("ascii", "replace").strip().lower()
    if encoding and encoding != "unset":
        with contextlib.suppress(LookupError, UnicodeDecodeError):
            body = body.decode(encoding).encode("utf-8")
    return body


def cleaneval_lines(gold: str) -> tuple[str | None, list[str]]:
    """(URL, blocks) of a CleanEval-format gold text: a ``URL:`` line, then blocks opened by <p>, <h>, <l>."""
    url = None
    first, _, rest = gold.lstrip().partition("\n")
    if first.startswith("URL:"):
        url = first[4:].strip() or None
        gold = rest
    blocks = (" ".join(part.split()) for part in _CLEANEVAL_MARK.split(gold))
    return url, [block for block in blocks if block]


def _gn1_label(el) -> str | None:  # type: ignore[no-untyped-def]
    classes = set(str(el.get("class") or "").split()) if isinstance(el.tag, str) else set()
    found = [c for c in classes if c.startswith("x-nc-sel")]
    return found[0] if found else None


def l3s_lines(annotated: str) -> list[str]:
    """The headline and full-text blocks of an L3S-GN1 annotated page, one line per block element."""
    from lxml import html as lxml_html

    from claimgraph.ingest.html import visible_lines

    root = lxml_html.fromstring(annotated)
    for bad in root.xpath("//script|//style|//*[contains(concat(' ', @class, ' '), ' x-nc-invisible ')]"):
        bad.drop_tree()

    label: dict[object, str | None] = {}
    for el in root.iter():
        parent = el.getparent()
        own = _gn1_label(el) or (label.get(parent) if parent is not None else None)
        label[el] = own
        if own not in _GN1_MAIN:
            el.text = None
        if parent is not None and label.get(parent) not in _GN1_MAIN:
            el.tail = None
    body = root.find("body")
    return visible_lines(body if body is not None else root, consume=True)


MIN_RECALL = 0.5


def page_recall(page: bytes, lines: list[str]) -> float:
    """Share of the main text's 4-word shingles found in the page's visible text ("save as text",
    as ``benchmarks/ingest.py --quality`` makes it): near 0 when the page cannot be read (an
    unclosed ``<title>`` swallowing the page) or is not the page the main text was taken from."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from claimgraph.ingest.encoding import declared_charset, decode
    from ingest_quality import saved_text, shingle_set

    html, _ = decode(page, "page", declared_charset(page))
    gold = shingle_set("\n".join(lines))
    return len(gold & shingle_set(saved_text(html))) / len(gold) if gold else 0.0


def add_merged(repo: str, rev: str, out: Path) -> dict[str, dict[str, int]]:
    """Write the pages of the CleanEval, CleanPortalEval and L3S-GN1 sets; returns pages per source and split."""
    kept: dict[str, dict[str, int]] = {}
    for folder, (source, prefix) in MERGED_SETS.items():
        try:
            listing = _git(repo, "ls-tree", "--name-only", f"{rev}:{folder}/GoldStandard/").decode("utf-8")
        except subprocess.CalledProcessError:
            continue
        for gold_name in sorted(n for n in listing.split("\n") if n.endswith(".txt")):
            name = gold_name.removesuffix(".txt")
            try:
                gold = _git(repo, "show", f"{rev}:{folder}/GoldStandard/{gold_name}").decode(
                    "utf-8", "replace"
                )
                page = _git(repo, "show", f"{rev}:{folder}/input/{name}.html")
            except subprocess.CalledProcessError:
                continue
            if source == "l3s-gn1":
                url, lines = None, l3s_lines(gold)
            else:
                url, lines = cleaneval_lines(gold)
                page = unwrap_cleaneval(page)
            if len(_WORD.findall(" ".join(lines))) < MIN_WORDS or page_recall(page, lines) < MIN_RECALL:
                continue
            stem = prefix + _SAFE.sub("_", name)[:80]
            split = fresh_split_of(f"{source}/{name}")
            kept.setdefault(source, {"dev": 0, "heldout": 0})[split] += 1
            (out / f"{stem}.html").write_bytes(page)
            (out / f"{stem}.expected.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
            info = {"split": split, "source": source, "url": url}
            (out / f"{stem}.meta.json").write_text(
                json.dumps(info, ensure_ascii=False, indent=1), encoding="utf-8"
            )
    return kept


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
    parser.add_argument(
        "--merged", default=None, help="git directory of a j-szulc/html-cleaning-dataset-merged snapshot"
    )
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
            "source": "readability",
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
    if args.merged:
        for origin, counts in add_merged(args.merged, "HEAD", out).items():
            print(f"wrote {counts['dev']} dev + {counts['heldout']} held-out {origin} pages", file=sys.stderr)


if __name__ == "__main__":
    main()
