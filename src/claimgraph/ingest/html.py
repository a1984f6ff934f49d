"""HTML pages -> main text and metadata via trafilatura, plus an audit of what was left out.

The page is parsed once (``trafilatura.load_html``); visible text lines and byline candidates are
read from that tree before ``trafilatura.bare_extraction`` (one call, text and metadata together)
consumes it. trafilatura keeps only the first author in some layouts: all bylined authors are
recovered from byline elements, JSON-LD and ``<meta name="author">`` tags.
"""

from __future__ import annotations

import contextlib
import functools
import json
import re
from dataclasses import dataclass, field
from typing import Any

from ..errors import Errors, InputError
from .bylines import clean_author, parse_byline, split_authors
from .dates import parse_date
from .documents import RawDocument
from .normalize import normalize_line, normalize_text
from .text import Cleaned, clean_text

__all__ = ["HtmlResult", "extract_html", "fragment_to_text", "visible_lines"]

_BLOCK = frozenset(
    [
        "p",
        "div",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "br",
        "tr",
        "td",
        "th",
        "table",
        "section",
        "article",
        "header",
        "footer",
        "nav",
        "aside",
        "main",
        "blockquote",
        "figure",
        "figcaption",
        "form",
        "dl",
        "dt",
        "dd",
        "pre",
        "hr",
        "address",
        "center",
        "body",
        "details",
        "summary",
        "caption",
    ]
)
_SKIP = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "head",
        "svg",
        "iframe",
        "select",
        "option",
        "math",
        "object",
        "canvas",
    ]
)
_SKIP_TAGS = tuple(sorted(_SKIP | {t.upper() for t in _SKIP}))
_BLOCK_TAGS = tuple(sorted(_BLOCK | {t.upper() for t in _BLOCK}))
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_HAS_TAG = re.compile(r"<\s*[A-Za-z!]")
_META_AUTHOR_XPATH = (
    "//meta[@name='author' or @property='article:author' or @name='byl' or @name='dc.creator' or "
    "@name='DC.creator' or @name='sailthru.author' or @name='parsely-author' or @property='author']/@content"
)
_BYLINE_XPATH = (
    "//@class[contains(., 'byline') or contains(., 'author-name') or contains(., 'article-author')]/.."
    " | //@rel[. = 'author']/.. | //@itemprop[. = 'author']/.."
)
"""Byline elements, in document order. Written over attribute nodes (each attribute tested once), not
as ``//*[contains(@class, ...) or ...]``, which looks every attribute up again for every test and
costs about five times as much on a real page."""
_AUTHOR_CLASS_WORDS = (
    "author",
    "Author",
    "byline",
    "Byline",
    "channel-name",
    "zuozhe",
    "bianji",
    "xiaobian",
    "submitted-by",
    "posted-by",
    "journalist-name",
    "screenname",
    "writer",
)
_AUTHOR_ID_WORDS = ("author", "Author", "zuozhe", "bianji", "xiaobian")


def _any_of(words: tuple[str, ...]) -> str:
    return " or ".join(f"contains(., '{word}')" for word in words)


_AUTHOR_CANDIDATE_XPATH = (
    f"//@class[{_any_of(_AUTHOR_CLASS_WORDS)} or . = 'byl' or . = 'BBL' or . = 'username']"
    f" | //@id[{_any_of(_AUTHOR_ID_WORDS)}] | //@itemprop[contains(., 'author')] | //@rel[. = 'author']"
    " | //@data-testid[. = 'AuthorCard' or . = 'AuthorURL'] | //@data-component[contains(., 'Byline')]"
    " | //author | //rel"
)
"""Everything trafilatura's ``AUTHOR_XPATHS`` (2.3) can match, and more: an attribute value holding one
of the literal words of their regular expressions, or an ``<author>``/``<rel>`` element. When nothing
on the page matches this, ``extract_author`` finds nothing, and its copy of the page, pruning and
three regular-expression queries over every element (a third of the metadata's time) are skipped."""
_AUTHOR_XPATHS_DIGEST = "e7cdb233823cbb0a"
"""The first 16 hex digits of the SHA-256 of trafilatura's ``AUTHOR_XPATHS`` (joined by newlines)
that :data:`_AUTHOR_CANDIDATE_XPATH` was written from; with any other, ``extract_author`` always runs."""
_JSON_LD_XPATH = "//script[@type='application/ld+json']"
_DATE_PARAMS = {"extensive_search": False, "original_date": True}
"""htmldate settings: the page's own (original) publication date, no extensive search of the text."""


@functools.cache
def _xpath(expression: str) -> Any:
    """A compiled XPath (compiling one costs about as much as running it on a page)."""
    from lxml import etree

    return etree.XPath(expression)


@dataclass
class HtmlResult(Cleaned):
    """:class:`~claimgraph.ingest.text.Cleaned` for a page, plus the repeats trafilatura dropped."""

    repeats: list[str] = field(default_factory=list)


_LONG_TAG = re.compile(r"<([A-Za-z][\w:.-]*)(\s[^<>]{4096,})>")
_ATTRIBUTE = re.compile(r"""[^\s=/>"']+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"']+))?""")
MAX_ATTRIBUTES = 64
"""Attributes kept per tag: a tag with thousands of them takes the parser and extractor super-linear time."""


def _trim_attributes(html_text: str) -> str:
    """Tags with more than ``MAX_ATTRIBUTES`` attributes keep their first ones (one pass, only over
    tags of 4 KiB or more; a long attribute value alone is kept whole)."""

    def trim(match: re.Match[str]) -> str:
        attributes = _ATTRIBUTE.findall(match.group(2))
        if len(attributes) <= MAX_ATTRIBUTES:
            return match.group()
        return f"<{match.group(1)} {' '.join(attributes[:MAX_ATTRIBUTES])}>"

    return _LONG_TAG.sub(trim, html_text)


def _tree(html_text: str, display: str) -> Any:
    import trafilatura

    html_text = _trim_attributes(_XML_DECL.sub("", html_text, count=1))
    if not _HAS_TAG.search(html_text[:100_000]):
        raise InputError(display, Errors.E006, reason="no HTML markup found")
    try:
        tree = trafilatura.load_html(html_text)
    except Exception as exc:  # lxml raises several types on hopeless input
        raise InputError(display, Errors.E006, reason=f"{type(exc).__name__}: {exc}") from None
    if tree is None:
        raise InputError(display, Errors.E006, reason="no document tree could be built from it")
    return _flatten_inline(tree)


_INLINE_FORMATTING = (
    "span",
    "font",
    "b",
    "i",
    "em",
    "strong",
    "u",
    "small",
    "mark",
    "abbr",
    "cite",
    "sup",
    "sub",
)
MAX_TEXT_NODES = 20_000
"""Above this many text nodes, formatting-only inline tags are unwrapped before extraction (see below)."""


def _flatten_inline(tree: Any) -> Any:
    """``tree``, or on a page of over :data:`MAX_TEXT_NODES` text nodes the same page with its
    formatting-only inline tags (``<span>``, ``<b>``, ...; never links) unwrapped and parsed again, so
    that the text around them is one node.

    trafilatura evaluates ``//p//text()`` on the page, and libxml2 merges the node sets of the ``<p>``
    elements with a duplicate check against everything merged so far: quadratic in the number of text
    nodes (a 1.6M-character page thick with inline tags: 10 s in that one query; unwrapped, 0.2 s).
    Plain text loses nothing by it (trafilatura drops these tags itself later); typical articles are far
    under the threshold and untouched. ``tests/ingest/test_linear.py`` measures it."""
    import trafilatura
    from lxml import etree

    if tree.xpath("count(//text())") <= MAX_TEXT_NODES:
        return tree
    etree.strip_tags(tree, *_INLINE_FORMATTING)  # libxml2 keeps the text nodes apart: parse again
    flat = trafilatura.load_html(etree.tostring(tree, encoding="unicode"))
    return flat if flat is not None else tree


_BREAKS = re.compile(r"[\r\u2028\u2029\x85\x0b\x0c]")
"""Line separators other than ``\\n`` inside a text node: spaces within a line, as :func:`normalize_line` has them."""


@functools.cache
def _visible_text_xslt() -> Any:
    """An XSLT program writing an element's visible text with a line break at each block element's
    start and end, leaving out the invisible elements (their tails kept), comments and processing
    instructions; run by libxslt in C, without changing or copying the tree."""
    from lxml import etree

    return etree.XSLT(
        etree.XML(
            '<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">'
            '<xsl:output method="text" encoding="UTF-8"/>'
            f'<xsl:template match="{"|".join(_SKIP_TAGS)}"/>'
            '<xsl:template match="comment()|processing-instruction()"/>'
            f'<xsl:template match="{"|".join(_BLOCK_TAGS)}">'
            "<xsl:text>&#10;</xsl:text><xsl:apply-templates/><xsl:text>&#10;</xsl:text></xsl:template>"
            "</xsl:stylesheet>"
        )
    )


def visible_lines(root: Any, *, consume: bool = False) -> list[str]:
    """The visible text of ``root`` as lines (one per block element), whitespace collapsed.

    ``script``, ``style`` and other invisible elements are left out (their tails are kept). The tree
    is never changed (``consume`` is accepted for older callers and has no effect). One XSLT pass in
    libxslt (:func:`_visible_text_xslt`); about 40% cheaper than marking each block's start and end
    in a Python loop and serialising as text, with the same lines (``docs/ingest.md``, Speed).
    """
    del consume
    tag = root.tag.lower() if isinstance(root.tag, str) else None
    if tag in _SKIP:
        return []
    text = str(_visible_text_xslt()(root))
    text = normalize_text(_BREAKS.sub(" ", text))
    return [joined for line in text.split("\n") if line and (joined := " ".join(line.split()))]


def fragment_to_text(fragment: str) -> str:
    """An HTML fragment (a feed entry's content) as plain text, one block per line."""
    from lxml import html as lxml_html

    if not _HAS_TAG.search(fragment):
        return fragment
    try:
        root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except Exception:  # lxml raises several types on hopeless input
        return fragment
    return "\n\n".join(visible_lines(root))


def _json_ld_authors(tree: Any) -> list[str]:
    names: list[str] = []

    def walk(node: Any, depth: int = 0) -> None:
        if depth > 6:
            return
        if isinstance(node, list):
            for item in node:
                walk(item, depth + 1)
        elif isinstance(node, dict):
            if "author" in node:
                add(node["author"])
            for key in ("@graph", "mainEntity", "mainEntityOfPage"):
                if key in node:
                    walk(node[key], depth + 1)

    def add(value: Any) -> None:
        if isinstance(value, list):
            for item in value:
                add(item)
        elif isinstance(value, dict):
            add(value.get("name"))
        elif isinstance(value, str) and not value.startswith("http"):
            names.extend(split_authors(value))

    for script in _xpath(_JSON_LD_XPATH)(tree):
        try:
            walk(json.loads(script.text or ""))
        except (ValueError, RecursionError):
            continue
    return names


def _page_authors(tree: Any) -> list[str]:
    """All bylined authors: the first byline element that names someone, else JSON-LD, else meta tags."""
    for element in _xpath(_BYLINE_XPATH)(tree):
        text = normalize_line(element.text_content())
        if not text or len(text) > 200:
            continue
        names = parse_byline(text) or split_authors(text)
        if names:
            return names
    names = _json_ld_authors(tree)
    if names:
        return names
    found: list[str] = []
    for content in _xpath(_META_AUTHOR_XPATH)(tree):
        if not content.startswith("http"):
            found.extend(parse_byline(content) or split_authors(content))
    return found


def _merge(*groups: list[str]) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    for group in groups:
        for name in group:
            key = name.casefold()
            if key not in seen:
                seen.add(key)
                out.append(name)
    return out


_FALLBACK_MIN_CHARS = 200
"""Below this many characters of text, the page is extracted again in trafilatura's balanced mode."""


@functools.lru_cache(maxsize=16)
def _extractor(recall: bool, url: str | None) -> Any:
    """trafilatura's options object, built once (it reads its config file settings on every build).

    Full cascade (not ``fast``), without comments, with tables. ``recall`` is trafilatura's
    ``favor_recall``: on a page whose own extraction is long (over ten times its minimum size) the
    readability comparison is skipped, and there is no recall escalation; a short one is still
    compared with readability. On the readability dev pages that was both better than fast mode (shingle
    F1 0.965 against 0.962) and cheaper than the balanced cascade (see ``docs/ingest.md``).
    """
    from trafilatura.settings import Extractor

    return Extractor(
        output_format="python", fast=False, recall=recall, comments=False, tables=True, dedup=False, url=url
    )


def _page_metadata(tree: Any, url: str | None) -> Any:
    """trafilatura's ``extract_metadata`` for the fields claimgraph uses (title, author, URL, date, site
    name), without the categories, tags and licence it would also look for (a third of its time).

    Follows ``trafilatura.metadata.extract_metadata`` step by step with the same helpers; if a later
    trafilatura moves them, the whole function is used. Does not change ``tree``.
    """
    try:
        from htmldate import find_date
        from trafilatura.metadata import (
            META_URL,
            examine_meta,
            extract_author,
            extract_meta_json,
            extract_sitename,
            extract_title,
            extract_url,
        )
    except ImportError:  # pragma: no cover - depends on the installed trafilatura
        from trafilatura.metadata import extract_metadata

        return extract_metadata(tree, url, dict(_DATE_PARAMS))
    metadata = examine_meta(tree)
    if metadata.author and " " not in metadata.author:
        metadata.author = None
    with contextlib.suppress(Exception):  # trafilatura guards its JSON-LD reader the same way
        metadata = extract_meta_json(tree, metadata)
    if not metadata.title:
        metadata.title = extract_title(tree)
    if not metadata.author and _may_name_author(tree):
        metadata.author = extract_author(tree)
    if not metadata.url:
        metadata.url = extract_url(tree, url)
    metadata.date = find_date(
        tree,
        extensive_search=_DATE_PARAMS["extensive_search"],
        original_date=_DATE_PARAMS["original_date"],
        url=metadata.url,
    )
    if not metadata.sitename:
        metadata.sitename = extract_sitename(tree)
    if metadata.sitename:
        metadata.sitename = metadata.sitename.lstrip("@")
        if metadata.sitename and "." not in metadata.sitename and not metadata.sitename[0].isupper():
            metadata.sitename = metadata.sitename.title()
    elif metadata.url:
        match = META_URL.match(metadata.url)
        if match:
            metadata.sitename = match[1]
    metadata.clean_and_trim()
    return metadata


@functools.cache
def _author_guard_applies() -> bool:
    """Whether trafilatura's author queries are the ones :data:`_AUTHOR_CANDIDATE_XPATH` covers."""
    import hashlib

    from trafilatura.xpaths import AUTHOR_XPATHS

    joined = "\n".join(expression.path for expression in AUTHOR_XPATHS)
    return hashlib.sha256(joined.encode()).hexdigest()[:16] == _AUTHOR_XPATHS_DIGEST


def _may_name_author(tree: Any) -> bool:
    """False only when trafilatura's ``extract_author`` is sure to find nothing on ``tree``."""
    return not _author_guard_applies() or bool(_xpath(_AUTHOR_CANDIDATE_XPATH)(tree))


def _bare_extraction(
    tree: Any, display: str, url: str | None, *, recall: bool = True, metadata: Any = None
) -> Any:
    """trafilatura's text (``bare_extraction``, its own copy of ``tree``: the tree is not changed) with
    the page's metadata (``metadata``, when already read from this tree)."""
    import trafilatura

    if metadata is None:
        metadata = _read_metadata(tree, display, url)
    try:
        doc = trafilatura.bare_extraction(tree, options=_extractor(recall, url))
    except Exception as exc:  # trafilatura maps nothing itself; a crash here is a malformed page
        raise InputError(display, Errors.E006, reason=f"{type(exc).__name__}: {exc}") from None
    if doc is not None:
        for name in ("title", "author", "url", "date", "sitename"):
            setattr(doc, name, getattr(metadata, name))
    return doc


def _read_metadata(tree: Any, display: str, url: str | None) -> Any:
    """:func:`_page_metadata`, a crash in it being the page's fault (E006), like trafilatura's."""
    try:
        return _page_metadata(tree, url)
    except Exception as exc:
        raise InputError(display, Errors.E006, reason=f"{type(exc).__name__}: {exc}") from None


_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
"""A table row as trafilatura writes it in text (``| cell | cell |``)."""


def _verbatim_lines(body: Any) -> set[str]:
    """The lines of the code blocks (``<pre>``/``<code>`` spanning lines) in trafilatura's result tree."""
    lines: set[str] = set()
    if body is None:
        return lines
    for code in body.iter("code"):
        parent = code.getparent()
        if parent is not None and parent.tag == "code":
            continue
        text = "".join(code.itertext())
        if parent is not body and "\n" not in text.strip():
            continue  # inline code inside a sentence: part of that paragraph
        lines.update(stripped for line in text.split("\n") if (stripped := line.strip()))
    return lines


def _table_row(line: str) -> str:
    """``| a |  | b |`` as ``a | b`` (empty cells and rule rows ``|---|`` leave nothing)."""
    cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
    return " | ".join(cell for cell in cells if cell and any(c.isalnum() for c in cell))


def _clean_extracted(text: str, title: str | None, verbatim: set[str]) -> Cleaned:
    """:func:`clean_text` over trafilatura's text, except its code blocks and table rows.

    The line rules were made for page furniture in saved text; in an extracted page they took code lines
    with literal tags (``<meta charset="utf-8">``, ``});``) and table rows of figures for markup and
    symbols. Those lines (known from trafilatura's result tree, or by their ``| cell |`` form) are kept
    as they are, in place: a code block is one paragraph, a table row one paragraph; the text between
    them is cleaned as usual (the header only in the first stretch, which gives the metadata).
    """
    runs: list[tuple[bool, list[str]]] = []
    for line in text.split("\n"):
        stripped = line.strip()
        protected = bool(stripped) and (stripped in verbatim or bool(_TABLE_ROW.match(stripped)))
        if runs and (runs[-1][0] == protected or not stripped):
            runs[-1][1].append(line)
        else:
            runs.append((protected, [line]))
    if not any(protected for protected, _ in runs):
        return clean_text(text, title=title, labels=False)
    out: Cleaned | None = None
    paragraphs: list[str] = []
    removed: list[str] = []
    for protected, lines in runs:
        if protected:
            rows = [_table_row(line) if _TABLE_ROW.match(line.strip()) else line.strip() for line in lines]
            if any(_TABLE_ROW.match(line.strip()) for line in lines):
                paragraphs.extend(row for row in rows if row)
            else:
                paragraphs.append(" ".join(row for row in rows if row))
            continue
        part = clean_text(
            "\n".join(lines), title=out.title if out else title, header=out is None, labels=False
        )
        if out is None:
            out = part
        else:
            out.authors = _merge(out.authors, part.authors)
            out.published = out.published or part.published
            out.outlet = out.outlet or part.outlet
            out.url = out.url or part.url
        paragraphs.extend(part.paragraphs)
        removed.extend(part.removed)
    if out is None:
        out = Cleaned(title=title)
    out.paragraphs = [p for p in paragraphs if p]
    out.removed = removed
    return out


_GALLERY = re.compile(r"gallery|slideshow|carousel", re.IGNORECASE)
_GALLERY_TAGS = ("div", "section", "ul", "ol", "aside")
GALLERY_MIN_ITEMS = 10
GALLERY_MIN_TEXT_OUTSIDE = 500


def _drop_galleries(tree: Any) -> list[str]:
    """Remove picture galleries that are not the article, and return their visible lines (for the audit).

    A gallery is an element whose class or id says ``gallery``, ``slideshow`` or ``carousel``, holding
    at least :data:`GALLERY_MIN_ITEMS` list items (its slides), not holding the page's ``<h1>``, with
    at least :data:`GALLERY_MIN_TEXT_OUTSIDE` characters of paragraph text elsewhere on the page. A
    "business news in pictures" reel beside a story has a caption per slide (fifty captions of other
    stories, kept by trafilatura as the longest run of text); a one-picture lightbox or a photo story
    whose slides are the article are kept.
    """
    # a loop over the candidate tags with a regular expression costs a fifth of the same test in XPath
    candidates = [
        element
        for element in tree.iter(*_GALLERY_TAGS)
        if _GALLERY.search(element.get("class") or "") or _GALLERY.search(element.get("id") or "")
    ]
    if not candidates:
        return []
    outside = sum(len(p.text_content()) for p in tree.iter("p"))
    dropped: list[Any] = []
    lines: list[str] = []
    for element in candidates:
        parent = element.getparent()
        if parent is None or any(a in dropped for a in element.iterancestors()):
            continue
        if element.find(".//h1") is not None or sum(1 for _ in element.iter("li")) < GALLERY_MIN_ITEMS:
            continue
        inside = sum(len(p.text_content()) for p in element.iter("p"))
        if outside - inside < GALLERY_MIN_TEXT_OUTSIDE:
            continue
        outside -= inside
        if element.tail:  # the text after the gallery is the parent's, not the gallery's: keep it
            previous = element.getprevious()
            if previous is not None:
                previous.tail = (previous.tail or "") + element.tail
            else:
                parent.text = (parent.text or "") + element.tail
            element.tail = None
        parent.remove(element)
        dropped.append(element)
        lines.extend(visible_lines(element))
    return lines


def _extracted(html_text: str, display: str, url: str | None) -> tuple[Any, Any, list[str], list[str]]:
    """``(tree, doc, gallery_lines, page_authors)``: the page tree (galleries removed, not consumed),
    trafilatura's result in recall mode (only when that finds very little text is the page extracted
    again in the balanced mode: baseline rescue, recall escalation), the lines of the galleries left
    out and the page's bylined authors."""
    tree = _tree(html_text, display)
    page_authors = _page_authors(tree)
    gallery_lines = _drop_galleries(tree)
    metadata = _read_metadata(tree, display, url)
    doc = _bare_extraction(tree, display, url, metadata=metadata)
    text_length = len(getattr(doc, "text", None) or "")
    if text_length < _FALLBACK_MIN_CHARS:
        # trafilatura extracts from its own copy, so the same tree serves again (no second parse)
        full = _bare_extraction(tree, display, url, recall=False, metadata=metadata)
        if len(getattr(full, "text", None) or "") > text_length:
            doc = full
    return tree, doc, gallery_lines, page_authors


def _balanced(tree: Any, url: str | None) -> Any:
    """The page extracted again in trafilatura's balanced mode, or ``None``. ``tree``: the page's tree as
    :func:`_extracted` left it (galleries removed); trafilatura extracts from its own copy of it, so the
    page is not parsed again."""
    import trafilatura

    try:
        return trafilatura.bare_extraction(tree, options=_extractor(False, url))
    except Exception:  # the first extraction stands
        return None


def _second_opinion(tree: Any, url: str | None, doc: Any, visible: list[str], selector: Any = None) -> Any:
    """``doc`` (recall mode), or with its text and body from the page's balanced-mode extraction when
    the selector of :mod:`.html_selector` (``selector``, default the shipped one) says so: its gate,
    from recall mode's text and the visible lines, decides whether the page is extracted again at all;
    its choice, from both texts, which one is kept (metadata stays ``doc``'s). See ``docs/ingest.md``.
    """
    from . import html_selector

    chooser = selector or html_selector.load()
    text = getattr(doc, "text", None) or ""
    features = html_selector.page_features(text, visible)
    if not chooser.extract_again(features):
        return doc
    other = _balanced(tree, url)
    other_text = getattr(other, "text", None) or ""
    if not other_text.strip() or not chooser.choose(
        features + html_selector.pair_features(text, other_text, visible)
    ):
        return doc
    doc.text = other_text
    doc.body = getattr(other, "body", None)
    return doc


def extract_html(
    html_text: str,
    display: str,
    *,
    url: str | None = None,
    paragraph_jaccard: float = 0.9,
    block_model: Any = False,
) -> HtmlResult:
    """Main text and metadata of one page. Raises :class:`InputError` (E006, E012).

    ``block_model``: ``True`` (the shipped model) or a :class:`~.html_blocks.Model` has trafilatura's
    choice of blocks corrected by the block classifier of :mod:`.html_blocks`; off by default (it does
    not beat the default path on every source of the dev pages, cross-validated, and costs 0.4-0.6x
    bare trafilatura's CPU time on small pages: see ``docs/ingest.md``).
    """
    tree, doc, gallery_lines, page_authors = _extracted(html_text, display, url)
    if doc is None or not (getattr(doc, "text", None) or "").strip():
        raise InputError(display, Errors.E012)
    use_blocks = block_model is not False and block_model is not None
    body = tree.find("body")  # the audit's visible lines (the tree is left as it is)
    visible = visible_lines(body if body is not None else tree) + gallery_lines
    doc = _second_opinion(tree, url, doc, visible)
    if use_blocks:
        from .html_blocks import refine_text

        doc.text = refine_text(tree, str(doc.text), None if block_model is True else block_model)
    meta_title = normalize_line(doc.title) if doc.title else None
    cleaned = _clean_extracted(str(doc.text), meta_title, _verbatim_lines(getattr(doc, "body", None)))
    traf_authors = [a for a in (clean_author(p) for p in re.split(r";|\s+and\s+", doc.author or "")) if a]
    result = HtmlResult(
        title=cleaned.title,
        authors=_merge(cleaned.authors, page_authors, traf_authors),
        published=parse_date(doc.date) or cleaned.published,
        outlet=_outlet(doc.sitename, doc.url or url) or cleaned.outlet,
        url=doc.url or url or cleaned.url,
        paragraphs=cleaned.paragraphs,
    )
    result.removed, result.repeats = _left_out(visible, cleaned, paragraph_jaccard)
    return result


def _outlet(sitename: str | None, url: str | None) -> str | None:
    """The page's site name; a site name that is only a host (``apnews.com``), or none, is looked up
    by host in the shipped outlets list (an unknown host stays as the site name, or ``None``)."""
    from ..reference.outlets import by_host

    name = normalize_line(sitename) if sitename else None
    if name and " " not in name and "." in name:
        known = by_host(name)
        return known.name if known else name
    if name:
        return name
    known = by_host(url) if url else None
    return known.name if known else None


def _left_out(visible: list[str], cleaned: Cleaned, threshold: float) -> tuple[list[str], list[str]]:
    """``(removed, repeats)``: visible lines of the page in neither the text nor the title, and the
    repeated paragraphs trafilatura already dropped (so they are counted like any other repeat)."""
    from collections import Counter

    from .deduplication import near_repeat, token_set

    kept = "\n".join([cleaned.title or "", *cleaned.paragraphs])
    extracted = Counter(cleaned.paragraphs)
    paragraph_set = set(cleaned.paragraphs)
    seen_counts: Counter[str] = Counter()
    removed: list[str] = []
    repeats: list[str] = []
    seen: set[str] = set()
    sizes: list[int] | None = None
    token_sets: dict[int, set[str]] = {}
    for line in visible:
        if line in paragraph_set:
            seen_counts[line] += 1
            if seen_counts[line] > extracted[line]:
                repeats.append(line)
            continue
        if line in kept or line in seen:
            continue
        words = line.count(" ") + 1
        if words >= 8:
            if sizes is None:
                sizes = [p.count(" ") + 1 for p in cleaned.paragraphs]
            # only paragraphs of a similar length can reach the Jaccard threshold
            close = [i for i, n in enumerate(sizes) if min(n, words) >= threshold * max(n, words) * 0.8]
            if close:
                others = [token_sets.setdefault(i, token_set(cleaned.paragraphs[i])) for i in close]
                if near_repeat(token_set(line), others, threshold):
                    repeats.append(line)  # a near-copy of a kept paragraph
                    continue
        seen.add(line)
        removed.append(line)
    for line in cleaned.removed:
        if line not in seen:
            seen.add(line)
            removed.append(line)
    return removed, repeats


def page_document(
    page: HtmlResult,
    path: str,
    encoding: str | None,
    *,
    format: str = "html",
    url: str | None = None,
    published: str | None = None,
) -> RawDocument:
    """The :class:`RawDocument` of an extracted page; ``url`` and ``published`` fill what the page lacks."""
    return RawDocument(
        path=path,
        format=format,
        paragraphs=page.paragraphs,
        title=page.title,
        authors=page.authors,
        published=page.published or published,
        outlet=page.outlet,
        url=page.url or url,
        removed_lines=page.removed,
        encoding=encoding,
        repeats=page.repeats,
    )
