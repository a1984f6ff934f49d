"""A block classifier over the page's DOM that corrects trafilatura's choice of blocks.

trafilatura (recall mode) gives the main text as lines. Its errors on article pages are of two kinds:
blocks inside the article it leaves out (picture captions, short headings, list items, table cells,
datelines) and blocks around the article it keeps (a "more stories" list after the last paragraph).
Here every leaf block of the page (a block element with no block element inside: ``p``, ``li``,
``h2``, ``figcaption``, ``td``, a ``div`` holding only text ...) is described by general features of
page structure and scored by one of two small logistic regressions:

- a block trafilatura **left out** is added back (at its place in the page order) when the *add* model
  scores it at or above its threshold;
- a block trafilatura **kept** is taken out when the *drop* model scores it at or above its threshold.

Features: the block's tag, length, link density, sentence end, its place relative to the blocks
trafilatura kept (before, inside or after their span, distance to the nearest one, share of kept blocks
around it, inside their common container or not), the tags of its ancestors (``figure``, ``aside``,
``nav``, ``footer`` ...) and families of class/id words of its ancestors that name page structure
(``caption``, ``related``, ``share``, ``comment``, ``byline`` ...; words of page structure, never one
site's class names). The weights are plain JSON (``data/html_blocks.json``), written by
``benchmarks/train_html_blocks.py`` from the dev half of the ingest dev set only.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

__all__ = ["FEATURES", "Block", "block_features", "load_model", "page_blocks", "refine_text"]

_LEAF_TAGS = (
    "p",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "figcaption",
    "caption",
    "td",
    "th",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "div",
    "section",
    "article",
    "header",
    "footer",
    "aside",
    "address",
    "summary",
    "main",
    "span",
)
_BLOCKS = frozenset(_LEAF_TAGS) - {"span"} | {
    "ul",
    "ol",
    "table",
    "tr",
    "figure",
    "nav",
    "form",
    "dl",
    "body",
}
_LEAF_SET = frozenset(_LEAF_TAGS) - {"span"}
_ALL_TAGS = tuple(sorted(_LEAF_SET | _BLOCKS))

_FAMILIES: dict[str, re.Pattern[str]] = {
    "cls_content": re.compile(r"content|article|story|entry|post|body|text|main", re.I),
    "cls_caption": re.compile(r"caption|credit|figure|photo|image|media", re.I),
    "cls_related": re.compile(r"related|recommend|more|popular|trending|promo|teaser|read-?next|also", re.I),
    "cls_share": re.compile(r"share|social|tweet|facebook|print|email", re.I),
    "cls_comment": re.compile(r"comment|reply|respond|discuss", re.I),
    "cls_nav": re.compile(r"nav|menu|breadcrumb|pagination|pager", re.I),
    "cls_footer": re.compile(r"foot", re.I),
    "cls_header": re.compile(r"head|masthead|banner|top", re.I),
    "cls_side": re.compile(r"side|widget|rail|aside|column", re.I),
    "cls_ad": re.compile(r"(?:^|[\s_-])ads?(?:$|[\s_-])|advert|sponsor|outbrain|taboola", re.I),
    "cls_meta": re.compile(r"byline|author|date|time|meta|dateline|info", re.I),
    "cls_tags": re.compile(r"tag|topic|keyword|categor", re.I),
    "cls_subscribe": re.compile(r"subscri|newsletter|signup|sign-up|login|register", re.I),
    "cls_hidden": re.compile(r"hidden|visually-hidden|sr-only|screen-reader|offscreen", re.I),
}
_FIRST_CHARS_FAMILIES = tuple(enumerate(_FAMILIES.values()))
_ANCESTOR_TAGS = (
    "figure",
    "aside",
    "nav",
    "footer",
    "header",
    "form",
    "li",
    "table",
    "article",
    "main",
    "blockquote",
)
_TAG_GROUPS = {
    "tag_p": ("p",),
    "tag_h": ("h1", "h2", "h3", "h4", "h5", "h6"),
    "tag_li": ("li", "dt", "dd"),
    "tag_caption": ("figcaption", "caption"),
    "tag_cell": ("td", "th"),
    "tag_quote": ("blockquote", "pre"),
    "tag_div": ("div", "section", "article", "main", "span"),
}
_TERMINAL = re.compile(r"[.!?…。！？:;]['\"”’)\]]*$")
_DIGIT = re.compile(r"\d")

FEATURES: tuple[str, ...] = (
    "bias",
    *_TAG_GROUPS,
    "log_chars",
    "log_words",
    "short",
    "link_density",
    "all_link",
    "sentence_end",
    "starts_upper",
    "digits",
    "before_span",
    "after_span",
    "in_span",
    "log_distance",
    "kept_around_2",
    "kept_around_5",
    "in_container",
    "container_depth",
    *(f"in_{tag}" for tag in _ANCESTOR_TAGS),
    *_FAMILIES,
    *(f"near_{name}" for name in _FAMILIES),
    "position",
    "siblings_kept",
    "siblings_link_density",
)


@dataclass
class Block:
    """One leaf block of the page: its element, text (whitespace collapsed) and raw measures
    (``link_chars`` and ``ancestors`` are measured only for the blocks that get a feature row)."""

    element: Any
    text: str
    key: str
    link_chars: int = -1
    ancestors: list[Any] | None = None
    kept: bool = False

    def measure(self) -> list[Any]:
        """Fill ``link_chars`` and ``ancestors`` (once); returns the ancestors."""
        if self.ancestors is None:
            element = self.element
            links = sum(len(a.text_content()) for a in element.iter("a"))
            self.link_chars = min(links, len(self.text))
            self.ancestors = list(element.iterancestors())
        return self.ancestors


def _key(text: str) -> str:
    return " ".join(text.casefold().split()).lstrip("-•* ")


def page_blocks(tree: Any) -> list[Block]:
    """The leaf blocks of ``tree`` in document order (a block holding other blocks gives only its own
    text before its first child). Invisible elements (``script``, ``style`` ...) are removed from
    ``tree`` first: the tree is changed."""
    from lxml import etree

    from .html import _SKIP_TAGS  # the same invisible elements as the page's visible lines

    body = tree.find("body")
    root = body if body is not None else tree
    etree.strip_elements(root, *_SKIP_TAGS, with_tail=False)
    # one walk in lxml's C code over the block elements; the stack holds the open ones, so the
    # nearest block ancestor of each is known without walking up the tree
    order: list[list[Any]] = []  # [element, holds a block] in document order
    stack: list[list[Any]] = []
    for event, element in etree.iterwalk(root, events=("start", "end"), tag=_ALL_TAGS):
        if event == "start":
            if stack:
                stack[-1][1] = True
            entry = [element, False]
            stack.append(entry)
            if element.tag in _LEAF_SET:
                order.append(entry)
        else:
            stack.pop()
    blocks: list[Block] = []
    for element, holds_block in order:
        if holds_block:
            # a block holding blocks: its own text (before its first child) may still be a line
            text = element.text
            if not text or len(text.strip()) < 2:
                continue
        else:
            text = element.text_content()
        text = " ".join(text.split())
        if text:
            blocks.append(Block(element, text, _key(text)))
    return blocks


def mark_kept(blocks: list[Block], extracted: str) -> None:
    """Set ``kept`` on the blocks whose text is in trafilatura's text (a whole line when short)."""
    keys = [_key(line) for line in extracted.split("\n")]
    lines = set(keys)
    flat = " ".join(keys)
    for block in blocks:
        block.kept = block.key in lines or (len(block.key) >= 25 and block.key in flat)


def _tokens(element: Any) -> str:
    return f"{element.get('class') or ''} {element.get('id') or ''}"


CONTAINER_SHARE = 0.8
"""The container of the kept blocks: the deepest element holding at least this share of their text."""
MAX_DISTANCE = 8
"""A block left out more than this many blocks away from every kept block is not a candidate."""


def block_features(blocks: list[Block]) -> list[list[float] | None]:
    """One feature row (in :data:`FEATURES` order) per block, ``None`` for a block left out far from
    every kept one (not a candidate: not described, to save time); ``kept`` must be set
    (:func:`mark_kept`)."""
    n = len(blocks)
    kept_index = [i for i, b in enumerate(blocks) if b.kept]
    first = kept_index[0] if kept_index else n
    last = kept_index[-1] if kept_index else -1
    # the container: the deepest element holding at least CONTAINER_SHARE of the kept text
    weight: dict[Any, int] = {}
    total = 0
    depth_of: dict[Any, int] = {}
    for i in kept_index:
        size = len(blocks[i].text)
        total += size
        ancestors = blocks[i].measure()
        for j, ancestor in enumerate(ancestors):
            weight[ancestor] = weight.get(ancestor, 0) + size
            depth_of[ancestor] = len(ancestors) - j - 1
    container = None
    best_depth = -1
    for element, size in weight.items():
        if size >= CONTAINER_SHARE * total and depth_of[element] > best_depth:
            best_depth, container = depth_of[element], element
    # distance to the nearest kept block
    distance = [n] * n
    previous = -(10**9)
    for i in range(n):
        if blocks[i].kept:
            previous = i
        distance[i] = i - previous
    following = 10**9
    for i in range(n - 1, -1, -1):
        if blocks[i].kept:
            following = i
        distance[i] = min(distance[i], following - i)
    kept_flags = [1.0 if b.kept else 0.0 for b in blocks]
    prefix = [0.0]
    for flag in kept_flags:
        prefix.append(prefix[-1] + flag)

    def around(i: int, k: int) -> float:
        lo, hi = max(0, i - k), min(n, i + k + 1)
        count = hi - lo - 1
        return (prefix[hi] - prefix[lo] - kept_flags[i]) / count if count else 0.0

    family_cache: dict[Any, int] = {}
    n_families = len(_FAMILIES)
    ancestor_bit = {tag: 1 << k for k, tag in enumerate(_ANCESTOR_TAGS)}

    def families(element: Any) -> int:
        found = family_cache.get(element)
        if found is None:
            tokens = _tokens(element)
            found = _family_bits(tokens) if len(tokens) > 1 else 0
            family_cache[element] = found
        return found

    sibling_kept: dict[Any, list[int]] = {}
    for i, block in enumerate(blocks):
        parent = block.element.getparent()
        row = sibling_kept.setdefault(parent, [0, 0, 0, 0])
        row[0] += int(block.kept)
        row[1] += 1
        if block.kept or distance[i] <= MAX_DISTANCE:  # the blocks that get a row: measured anyway
            block.measure()
            row[2] += block.link_chars
            row[3] += len(block.text)

    tag_index = {tag: k for k, group in enumerate(_TAG_GROUPS.values()) for tag in group}
    n_tags = len(_TAG_GROUPS)
    container_depth = min(best_depth, 30) / 30 if container is not None else 0.0
    rows: list[list[float] | None] = []
    for i, block in enumerate(blocks):
        if not block.kept and distance[i] > MAX_DISTANCE:
            rows.append(None)
            continue
        ancestors = block.measure()
        k = tag_index.get(block.element.tag)
        tags = _bits(0 if k is None else 1 << k, n_tags)
        text = block.text
        chars = len(text)
        words = text.count(" ") + 1
        all_fam = near_fam = families(block.element)
        inside = 0
        in_container = 0.0
        for depth, ancestor in enumerate(ancestors):
            if ancestor is container:
                in_container = 1.0
                break  # class words above the article's container say little about this block
            inside |= ancestor_bit.get(ancestor.tag, 0)
            bits = families(ancestor)
            all_fam |= bits
            if depth < 3:
                near_fam |= bits
        sk = sibling_kept[ancestors[0] if ancestors else None]
        others = sk[1] - 1
        rows.append(
            [
                1.0,
                *tags,
                math.log1p(chars) / 8,
                math.log1p(words) / 6,
                1.0 if words < 4 else 0.0,
                block.link_chars / chars,
                1.0 if block.link_chars >= 0.9 * chars else 0.0,
                1.0 if _TERMINAL.search(text[-6:]) else 0.0,
                1.0 if text[:1].isupper() else 0.0,
                len(_DIGIT.findall(text)) / chars,
                1.0 if i < first else 0.0,
                1.0 if i > last else 0.0,
                1.0 if first <= i <= last else 0.0,
                math.log1p(distance[i]) / 5,
                around(i, 2),
                around(i, 5),
                in_container,
                container_depth,
                *_bits(inside, len(_ANCESTOR_TAGS)),
                *_bits(all_fam, n_families),
                *_bits(near_fam, n_families),
                i / n,
                (sk[0] - int(block.kept)) / others if others else 0.0,
                sk[2] / sk[3] if sk[3] else 0.0,
            ]
        )
    return rows


@lru_cache(maxsize=8192)
def _family_bits(tokens: str) -> int:
    """The families (bit ``k`` for the ``k``-th of :data:`_FAMILIES`) named by class/id ``tokens``."""
    found = 0
    for k, pattern in _FIRST_CHARS_FAMILIES:
        if pattern.search(tokens):
            found |= 1 << k
    return found


@lru_cache(maxsize=4096)
def _bits(mask: int, width: int) -> tuple[float, ...]:
    """``mask`` as ``width`` 0/1 features, lowest bit first."""
    return tuple(1.0 if mask >> k & 1 else 0.0 for k in range(width))


@dataclass(frozen=True)
class Model:
    add: tuple[float, ...]
    drop: tuple[float, ...]
    add_threshold: float
    drop_threshold: float


@lru_cache(maxsize=1)
def load_model() -> Model:
    """The shipped weights (plain JSON; no pickle)."""
    data = json.loads(resources.files(__package__).joinpath("data/html_blocks.json").read_text("utf-8"))
    if tuple(data["features"]) != FEATURES or data.get("container_share") != CONTAINER_SHARE:
        raise ValueError("data/html_blocks.json was written for other features: retrain it")
    return Model(
        tuple(data["add"]["weights"]),
        tuple(data["drop"]["weights"]),
        float(data["add"]["threshold"]),
        float(data["drop"]["threshold"]),
    )


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))


def probability(weights: tuple[float, ...], row: list[float]) -> float:
    """The logistic model's probability for one feature row."""
    return _sigmoid(sum(w * x for w, x in zip(weights, row, strict=True)))


def decide(blocks: list[Block], rows: list[list[float] | None], model: Model) -> tuple[list[int], list[int]]:
    """``(added, dropped)``: indexes of the blocks to add back and to take out."""
    from operator import mul

    added: list[int] = []
    dropped: list[int] = []
    for i, row in enumerate(rows):
        if row is None:
            continue
        if blocks[i].kept:
            if _sigmoid(sum(map(mul, model.drop, row))) >= model.drop_threshold:
                dropped.append(i)
        elif _sigmoid(sum(map(mul, model.add, row))) >= model.add_threshold:
            added.append(i)
    return added, dropped


def apply(text: str, blocks: list[Block], added: list[int], dropped: list[int]) -> str:
    """trafilatura's ``text`` with the ``added`` blocks inserted after the line of the kept block
    before them (in page order) and the lines that are exactly a ``dropped`` block taken out."""
    lines = text.split("\n")
    keys = [_key(line) for line in lines]
    drop_keys = {blocks[i].key for i in dropped}
    inserts: dict[int, list[str]] = {}
    added_set = set(added)
    line_of: int = -1
    for i, block in enumerate(blocks):
        if block.kept:
            found = _line_index(keys, block.key, max(line_of, 0))
            if found is not None:
                line_of = found
        elif i in added_set:
            inserts.setdefault(line_of, []).append(block.text)
    out: list[str] = list(inserts.get(-1, []))
    for index, line in enumerate(lines):
        if keys[index] not in drop_keys:
            out.append(line)
        out.extend(inserts.get(index, []))
    return "\n".join(out)


def _line_index(keys: list[str], key: str, start: int) -> int | None:
    for index in range(start, len(keys)):
        if keys[index] == key or (len(key) >= 25 and key in keys[index]):
            return index
    for index in range(0, start):
        if keys[index] == key or (len(key) >= 25 and key in keys[index]):
            return index
    return None


def refine_text(tree: Any, text: str, model: Model | None = None) -> str:
    """trafilatura's ``text`` of the page ``tree`` with blocks added and taken out by the classifier."""
    model = model or load_model()
    blocks = page_blocks(tree)
    if not blocks:
        return text
    mark_kept(blocks, text)
    if not any(b.kept for b in blocks):
        return text
    added, dropped = decide(blocks, block_features(blocks), model)
    if not added and not dropped:
        return text
    return apply(text, blocks, added, dropped)
