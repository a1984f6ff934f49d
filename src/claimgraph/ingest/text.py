"""Plain text and Markdown saved from the web -> title, bylines, date and clean paragraphs.

The first real headline line becomes the title (a repeated title line is dropped), ``By ...``
bylines become authors, date lines become ``published``, and lines that are not prose are removed
by the rules in :mod:`.boilerplate`. Every removed line is returned, so nothing disappears unseen.
HTML readers run their extracted text through the same cleaner.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from itertools import pairwise

from .boilerplate import TEASER_HEADINGS, classify_line, is_headline_like, strip_tags
from .bylines import parse_byline
from .dates import find_date, is_date_line
from .line_model import LineInput, keep_lines, word_count
from .normalize import normalize_line, normalize_text

__all__ = ["Cleaned", "clean_text", "same_title"]

_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_MD_QUOTE = re.compile(r"^\s{0,3}>\s?")
_LIST_MARK = re.compile(r"^\s*(?:[-*+•»›▶►→]|\d{1,2}[.)])\s+")
_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\((?:[^()]|\([^)]*\))*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_MD_ITALIC = re.compile(r"(?<![\w*])[*_](?=[^\s*_])([^*_\n]+?)(?<=[^\s*_])[*_](?![\w*])")
_COPYRIGHT = re.compile(
    r"^(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*,?\s*)?(?P<name>[^.|]{2,80}?)"
    r"\s*(?:\.|\||all rights reserved|$)",
    re.IGNORECASE,
)
_KV = re.compile(
    r"^(?P<key>title|headline|source|outlet|publication|publisher|site|url|link|source url|canonical|permalink)"
    r"\s*:\s*(?P<value>\S.*)$",
    re.IGNORECASE,
)
_TERMINAL = re.compile(r"[.!?…:;。！？：；]['\"”’)\]」』）]*$|['\"”’」』]$")
"""How a line that ends a sentence ends (Latin and CJK full stops, closing quotes and brackets)."""
_DATE_LABEL_UPDATED = re.compile(r"^\s*(?:last\s+)?(?:updated|modified)\b", re.IGNORECASE)
_PROSE_WORDS = 14


@dataclass
class Cleaned:
    """What :func:`clean_text` found."""

    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    outlet: str | None = None
    url: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


@dataclass
class _Line:
    raw: str
    """The line as written (normalised whitespace), for the audit list."""
    text: str
    """The line with markup removed."""
    heading: bool = False
    bullet: bool = False
    kind: str = "content"
    """``blank``, ``content``, ``removed`` or ``meta`` (became title/author/date)."""
    rule: bool = False
    """Removed by a line rule of :mod:`.boilerplate` (not for its place in the text)."""


def _without_emphasis(value: str) -> str:
    """Markdown bold marks taken off until none is left: one pass can leave a pair it made ("A******A**" ->
    "A**A**"), which a second cleaning would take off, so the cleaner's output would not be a fixed point."""
    while (stripped := _MD_EMPHASIS.sub(r"\2", value)) != value:
        value = stripped
    return value


_NOT_WORD = re.compile(r"[\W_]+")


def _spaced(text: str) -> str:
    """``text`` case-folded, each run of characters other than letters and digits one space (not stripped)."""
    return _NOT_WORD.sub(" ", text.casefold())


def _key(text: str) -> str:
    return _spaced(text).strip()


#: Characters of a long text read by :func:`same_title` before its whole key is made: twice the title's, and this.
_HEAD_SLACK = 16


def same_title(a: str, b: str) -> bool:
    """True when two strings are the same headline up to case, punctuation and spacing.

    A ``b`` much longer than ``a`` (an article's text against its headline, asked for every document of a
    corpus) is first tested on its head: case folding maps each character alone and a run of other characters
    cut by the head's end is still one space, so the head's :func:`_spaced` is a prefix of the whole text's.
    Then the whole key can be ``a``'s only when the head's, its leading white space taken off, is a prefix of
    ``a``'s key followed by white space; when it is not (the text goes on after the headline's words), the
    answer is no without the key of the whole text. Otherwise the whole key decides, as it always did."""
    ka = _key(a)
    if not ka:
        return False
    head = 2 * len(a) + _HEAD_SLACK
    if len(b) > head:
        t = _spaced(b[:head]).lstrip()
        if not (ka.startswith(t) or (t.startswith(ka) and t[len(ka) :].isspace())):
            return False
    return ka == _key(b)


def _heading_text(value: str) -> tuple[str, bool]:
    """A Markdown heading's text and ``True``, or ``value`` and ``False``. Markers left inside the text are taken
    off as well ("# # Title", "#<b># Title</b>" once its tags are gone): a kept ``#`` would make the cleaned
    text a heading again when it is read back (cleaning is idempotent)."""
    heading = False
    while match := _MD_HEADING.match(value):
        value, heading = match.group(2), True
    return value, heading


def _prepare(text: str, markdown: bool) -> list[_Line]:
    lines: list[_Line] = []
    for raw_line in normalize_text(text).split("\n"):
        raw = raw_line.strip()
        if not raw:
            lines.append(_Line(raw="", text="", kind="blank"))
            continue
        value = raw
        heading = False
        if markdown:
            value, heading = _heading_text(value)
            if not heading and _MD_SETEXT.match(value) and lines and lines[-1].kind == "content":
                lines[-1].heading = True
                lines.append(_Line(raw=raw, text="", kind="blank"))
                continue
            value = _MD_QUOTE.sub("", value)
            value = _without_emphasis(value)
            value = _MD_ITALIC.sub(r"\1", value)
        reason = None if is_date_line(value) or _KV.match(value) else classify_line(value)
        if reason is None and "&" in value:
            value = html.unescape(value)
        if reason is None:
            if "](" in value and (_MD_IMAGE.search(value) or _MD_LINK.search(value)):
                value = _MD_LINK.sub(r"\1", _MD_IMAGE.sub(" ", value))
                reason = classify_line(value)
            if "<" in value:
                value = strip_tags(value)
        # ``raw`` is a line of normalised text already: unchanged, it only needs its spaces collapsed
        value = (
            (" ".join(value.split()) if "  " in value else value) if value is raw else normalize_line(value)
        )
        if markdown and value is not raw:
            # a heading once its tags are gone ("#<b>Title</b>" -> "# Title")
            value, marked = _heading_text(value)
            heading = heading or marked
        if reason is None and value != raw and not is_date_line(value):
            reason = classify_line(value)  # markup removed: look again
        bullet = bool(_LIST_MARK.match(value))
        if reason is None and bullet and not heading:
            inner = normalize_line(_LIST_MARK.sub("", value))
            reason = classify_line(inner)
        if reason is not None or not value:
            lines.append(_Line(raw=raw, text=value, kind="removed", rule=True))
        else:
            lines.append(_Line(raw=raw, text=value, heading=heading, bullet=bullet))
    return lines


def _mark_teaser_blocks(lines: list[_Line]) -> None:
    """Lines right after "More on this:" / "Related:" that look like link headlines are teasers too."""
    in_block = False
    for line in lines:
        if line.kind == "removed" and TEASER_HEADINGS.match(line.text):
            in_block = True
            continue
        if not in_block:
            continue
        if line.kind == "blank":
            continue
        if line.kind == "content" and (line.bullet or is_headline_like(line.text)):
            line.kind = "removed"
            continue
        in_block = False


def _headline_candidate(line: _Line) -> bool:
    if line.heading:
        return True
    words = line.text.split()
    if not 2 <= len(words) <= 25 or len(line.text) > 250 or line.text.endswith(":"):
        return False
    if line.text.endswith(".") and not line.text.endswith(".."):  # a sentence, not a headline
        return False
    return any(c.isalpha() for c in line.text)


def _following_lines(lines: list[_Line]) -> dict[int, _Line]:
    """For each line (by ``id``), the line right below it, when that is not blank."""
    return {id(a): b for a, b in pairwise(lines) if b.kind != "blank"}


def _goes_on(line: _Line, preceding: dict[int, _Line]) -> bool:
    """True when ``line`` starts in lower case right below a content line that does not end a sentence: it
    goes on with that sentence (``... was being studied`` / ``by Halvorsen Co (HAL) with a view to ...``), so
    it is no byline or date line. A lower-case byline right below the headline is one (the headline is
    marked as the title by then)."""
    above = preceding.get(id(line))
    return (
        line.text[:1].islower()
        and above is not None
        and above.kind == "content"
        and _wrapped(above.text, line.text, 0)
    )


def _continued(line: _Line, following: dict[int, _Line]) -> bool:
    """True when ``line`` is part of a hard-wrapped sentence, not a headline: it starts in lower case
    (``quis nostrud ...``; ``iPhone`` is not lower case), or it does not end a sentence and the content
    line right below it goes on in lower case (``... sed do eiusmod`` / ``tempor incididunt ut ...``) and
    is no byline or date, where the line is as long as a wrapped line (50 characters) or the one below
    is 8 words or more (a short lower-case label such as ``updated 3 hours ago`` leaves a headline
    alone)."""
    if line.heading:
        return False
    if line.text[:1].islower() and not line.text[1:2].isupper():
        return True
    below = following.get(id(line))
    return (
        below is not None
        and below.kind == "content"
        and below.text[:1].islower()
        and (len(line.text) >= 50 or below.text.count(" ") >= 7)
        and not _TERMINAL.search(line.text[-8:])
        and not is_date_line(below.text)
        and not (len(below.text.split()) <= 30 and parse_byline(below.text))  # ``by Jane Roe``
    )


def _is_prose(line: _Line) -> bool:
    return _words(line.text) >= _PROSE_WORDS and bool(_TERMINAL.search(line.text))


def clean_text(
    text: str,
    *,
    markdown: bool = False,
    title: str | None = None,
    header: bool = True,
    main_region: bool = False,
    labels: bool = True,
) -> Cleaned:
    """Clean one article's text. ``title`` is a title already known (from HTML metadata), if any.

    With ``header`` (the default) the lines before the first prose paragraph are searched for the
    title, bylines, dates and ``Key: value`` metadata. With ``main_region`` (text saved from a web
    page) only the article's run of lines is kept: see :func:`_mark_outside_main_region`.
    """
    out = Cleaned(title=normalize_line(title) if title else None)
    lines = _prepare(text, markdown)
    _mark_teaser_blocks(lines)
    region = _main_region(lines) if main_region else None
    title_seen = False
    kept: list[bool] | None = None
    if region is not None:
        kept = _classify_lines(lines, region)
        title_seen = _region_header(lines, region, out)
    content = [line for line in lines if line.kind == "content"]

    dates: list[tuple[bool, str]] = []
    if header:
        following = _following_lines(lines)
        preceding = {id(b): a for a, b in pairwise(lines) if b.kind != "blank"}
        for index, line in enumerate(content):
            if index >= 15 or _is_prose(line):
                break
            kv = _KV.match(line.text)
            if kv is not None:
                key, value = kv.group("key").lower(), kv.group("value").strip()
                if key in ("title", "headline"):
                    out.title = out.title or value
                elif key in ("source", "outlet", "publication", "publisher", "site"):
                    out.outlet = out.outlet or value
                else:
                    out.url = out.url or value.strip("<>")
                line.kind = "meta"
                continue
            if not _goes_on(line, preceding) and _meta_line(line, out, dates):
                continue
            if not title_seen and out.title is not None and same_title(line.text, out.title):
                line.kind, title_seen = "title", True
            elif out.title is None and _headline_candidate(line) and not _continued(line, following):
                out.title, line.kind, title_seen = line.text, "title", True
            elif labels and not title_seen and _words(line.text) <= 3 and not _TERMINAL.search(line.text):
                line.kind = "removed"  # a section label or kicker above the headline
    # Bylines and date lines later in the text (some sites print them at the bottom) and repeated titles.
    title_key = _key(out.title) if out.title else ""
    for line in content:
        if line.kind != "content":
            continue
        if title_key and abs(len(line.text) - len(out.title or "")) <= 10 and _key(line.text) == title_key:
            line.kind = "removed"
        elif _meta_below_header(line.text):
            _meta_line(line, out, dates)
        elif _KV.match(line.text) and classify_line(line.text) is not None:
            line.kind, line.rule = "removed", True  # a ``Key: value`` line outside the header
    if dates:
        labelled = [d for updated, d in dates if not updated]
        out.published = labelled[0] if labelled else dates[0][1]

    if kept is not None:
        if region is not None:
            _keep_lede(lines, region, kept)
        for line, keep in zip(lines, kept, strict=True):
            if line.kind == "content" and not keep:
                line.kind = "removed"
    _mark_teaser_headlines(lines)
    if out.outlet is None:
        out.outlet = _outlet_from_text(lines, out.url)
    out.paragraphs = _paragraphs(lines)
    if not out.paragraphs:
        _keep_short_text(lines, "removed", out.title)
        out.paragraphs = _paragraphs(lines)
    if not out.paragraphs:
        _keep_short_text(lines, "title", out.title)
        out.paragraphs = _paragraphs(lines)
    out.removed = [line.raw for line in lines if line.kind in ("removed", "meta")]
    if not out.paragraphs and (post := _labelled_post(lines)) is not None:
        line, label, rest = post
        inner = clean_text(rest, markdown=markdown, title=out.title, header=header, labels=labels)
        if inner.paragraphs:  # what the label labels, cleaned as a text of its own
            out.paragraphs = inner.paragraphs
            out.removed = [r for r in out.removed if r != line.raw] + [label, *inner.removed]
    return out


def line_inputs(lines: list[_Line], region: tuple[int, int]) -> tuple[list[int], list[LineInput]]:
    """The non-blank lines (their indexes, and what :mod:`.line_model` reads of them)."""
    indexes = [i for i, line in enumerate(lines) if line.kind != "blank" and line.text]
    return indexes, [
        LineInput(lines[i].text, lines[i].kind == "content", region[0] <= i <= region[1]) for i in indexes
    ]


def _classify_lines(lines: list[_Line], region: tuple[int, int]) -> list[bool]:
    """Per line, whether the line classifier (:mod:`.line_model`) keeps it (blank lines: True)."""
    indexes, inputs = line_inputs(lines, region)
    kept = [True] * len(lines)
    for index, keep in zip(indexes, keep_lines(inputs), strict=True):
        kept[index] = keep
    return kept


def _keep_lede(lines: list[_Line], region: tuple[int, int], kept: list[bool]) -> None:
    """The line right above the article's run stays when it is a whole sentence (a capital, 4 words or
    more, a sentence end): a one-sentence first paragraph or standfirst, not a menu or a label."""
    for index in range(region[0] - 1, -1, -1):
        line = lines[index]
        if line.kind == "blank":
            continue
        if (
            line.kind == "content"
            and line.text[:1].isupper()
            and _words(line.text) >= 4
            and line.text.endswith((".", "!", "?", "。", "！", "？"))
            and not line.text.endswith("..")
        ):
            kept[index] = True
        return


def _meta_below_header(text: str) -> bool:
    """A date line or a byline where no header is searched: below it, or a line a teaser block took. Below the
    header a byline opens with a capital ("By Jane Roe"); "by ..." there is a wrapped sentence going on
    ("... were sold\nby Halvorsen Marine Co, which ...")."""
    return is_date_line(text) or (
        not text[:1].islower() and len(text.split()) <= 30 and bool(parse_byline(text))
    )


def _keep_short_text(lines: list[_Line], kind: str, title: str | None) -> None:
    """Nothing is left: the text is a headline, a post or a wire alert, and is the document. Lines
    removed for their place (a label above a headline, page furniture), else the line taken as its
    title, are its text again; lines a line rule matched (pure boilerplate), metadata (bylines,
    dates) stay out, and so do repeats of the title when other lines come back."""
    back = [
        line
        for line in lines
        if line.text and line.kind == kind and not line.rule and not _meta_below_header(line.text)
    ]
    title_key = _key(title) if title and kind != "title" else ""
    others = [line for line in back if not title_key or _key(line.text) != title_key]
    for line in others or back:
        line.kind = "content"


#: A label and what it labels: at most three words, a colon, then the rest of the line.
_LABELLED = re.compile(r"^\W*[^\W\d_][\w'-]*(?: [\w'-]+){0,2}\s*:\s*(\S.*)$")
#: The line rules (:func:`~claimgraph.ingest.boilerplate.classify_line`) that take a labelled sentence for a
#: teaser or a caption between paragraphs: "WATCH: ...", "Related: ...", "Video: ...", "Photo: ...".
_LABEL_RULES = frozenset({"teaser", "caption"})
#: What a label must label to be a post rather than boilerplate: at least this many words.
_LABELLED_MIN_WORDS = 4


def _labelled_post(lines: list[_Line]) -> tuple[_Line, str, str] | None:
    """Nothing is left, and a line rule took a line that is a label and a sentence ("WATCH: Crane collapses onto
    cargo ship in Velm", "Video: ..."): a post with a genre tag, not a teaser or a caption between paragraphs,
    since there are no paragraphs. That line, its label and what it labels (which :func:`clean_text` cleans
    as a text of its own; the label goes to the removed lines). Pure boilerplate ("Subscribe now", "Video:",
    "Tags: politics, trade, europe, farming") is no post: ``None``."""
    for line in lines:
        labelled = _LABELLED.match(line.text) if line.kind == "removed" and line.rule and line.text else None
        if (
            labelled is not None
            and _words(labelled.group(1)) >= _LABELLED_MIN_WORDS
            and classify_line(line.text) in _LABEL_RULES
        ):
            return line, line.text[: labelled.start(1)].strip(), labelled.group(1)
    return None


# Checked on the ingest dev set (benchmarks/ingest.py --quality): a grid search on the dev half gained
# 0.01 F1 there and lost 0.01 on the held-out half, so these first, round values stay.
_REGION_PROSE_WORDS = 10
_REGION_LONG_WORDS = 20
_REGION_LINE_COST = 3.0
_REGION_WORD_COST = 0.5
_REGION_PROSE_OFFSET = 0.0
_REGION_MIN_FURNITURE = 8
"""A text is treated as a saved page only with at least this many non-prose lines (menus, labels)."""


def _words(text: str) -> int:
    """Words of a line: spaces count them, except in scripts written without spaces (CJK)."""
    return text.count(" ") + 1 if text.isascii() else max(word_count(text), text.count(" ") + 1)


def _region_weight(kind: str, text: str) -> float:
    """A unit's weight for :func:`_mark_outside_main_region`: its words if prose, a cost otherwise."""
    if kind in ("blank", "meta", "title"):
        return 0.0
    words = _words(text)
    if kind == "content" and (
        words >= _REGION_LONG_WORDS or (words >= _REGION_PROSE_WORDS and _TERMINAL.search(text))
    ):
        return float(words) - _REGION_PROSE_OFFSET
    return -(_REGION_LINE_COST + _REGION_WORD_COST * min(words, _REGION_PROSE_WORDS))


def _region_units(lines: list[_Line]) -> list[tuple[int, int, float]]:
    """``(first, last, weight)`` per unit: a hard-wrapped paragraph (joined as :func:`_join_wrapped`
    would) or any other single line."""
    units: list[tuple[int, int, float]] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.kind != "content" or line.heading:
            units.append((index, index, _region_weight(line.kind, line.text)))
            index += 1
            continue
        last, words, current = index, _words(line.text), line.text
        while last + 1 < len(lines):
            following = lines[last + 1]
            if (
                following.kind != "content"
                or following.heading
                or not _wrapped(current, following.text, len(current))
            ):
                break
            last += 1
            current = following.text
            words += _words(current)
        text = current if last == index else " ".join(["x"] * (words - 1) + [current])
        units.append((index, last, _region_weight("content", text)))
        index = last + 1
    return units


def _main_region(lines: list[_Line]) -> tuple[int, int] | None:
    """``(first, last)`` line index of the article's run of lines in text saved from a page, or ``None``.

    A saved page is menus, teasers and footers around one run of prose. Like body-text extraction
    (Finn et al. 2001) over lines instead of tags: each prose paragraph weighs its word count, every
    other line a cost, and the run with the largest total (Kadane's maximum subarray, one pass) is the
    article. ``None`` for a text without page furniture or without any prose line.
    """
    units = _region_units(lines)
    if sum(1 for _, _, weight in units if weight < 0) < _REGION_MIN_FURNITURE:
        return None  # an article's own text, not a saved page: nothing around it to drop
    best, best_start, best_end = 0.0, -1, -1
    total, start = 0.0, 0
    for first, last, weight in units:
        if total <= 0.0:
            total, start = 0.0, first
        total += weight
        if weight > 0 and total > best:
            best, best_start, best_end = total, start, last
    return (best_start, best_end) if best_start >= 0 else None


_REGION_HEADER_LINES = 8
"""How many content lines above the article's run are searched for its headline, byline and date."""


def _region_header(lines: list[_Line], region: tuple[int, int], out: Cleaned) -> bool:
    """Pick the headline nearest the article: the last headline-like line within
    :data:`_REGION_HEADER_LINES` content lines above its run. Lines further up are left to the line
    classifier (which knows their distance from the run): removing them all lost text that stands
    above the run on the dev pages (an article broken by a table, a blog's earlier post).

    Returns True when a title line was found (and marked)."""
    above = [i for i in range(region[0]) if lines[i].kind == "content"]
    keep_from = above[-_REGION_HEADER_LINES] if len(above) >= _REGION_HEADER_LINES else 0
    if out.title is not None:
        return False
    for index in reversed(above):
        if index < keep_from:
            break
        line = lines[index]
        if is_date_line(line.text) or (len(line.text.split()) <= 30 and parse_byline(line.text)):
            continue
        if _KV.match(line.text) is None and _headline_candidate(line) and line.text.count(" ") >= 2:
            out.title, line.kind = line.text, "title"
            return True
    return False


_WORD_RE = re.compile(r"[^\W\d_]{3,}")


def _content_words(text: str, stop: frozenset[str]) -> set[str]:
    return {w for w in _WORD_RE.findall(text.casefold()) if w not in stop}


def _mark_teaser_headlines(lines: list[_Line]) -> None:
    """A headline-like line between two prose paragraphs that shares no content word with the
    article's prose is a teaser for another story ("These towns have the longest commutes"), not a
    sub-heading (which names what the next paragraphs are about)."""
    previous: _Line | None = None
    candidates: list[_Line] = []
    pending: _Line | None = None
    for line in lines:
        if line.kind == "blank":
            continue
        if pending is not None and line.kind == "content" and _is_sentence_paragraph(line):
            candidates.append(pending)
        pending = None
        if (
            line.kind == "content"
            and not line.heading
            and not line.bullet
            and previous is not None
            and previous.kind == "content"
            and _is_sentence_paragraph(previous)
            and 3 <= line.text.count(" ") + 1 <= 14
            and line.text[:1].isupper()
            and not _TERMINAL.search(line.text)
        ):
            pending = line
        previous = line
    if not candidates:
        return
    from ..vocab import spacy_stop_words

    stop = spacy_stop_words("en")
    prose: set[str] = set()
    for line in lines:
        if line.kind == "content" and _is_sentence_paragraph(line):
            prose |= _content_words(line.text, stop)
    for line in candidates:
        words = _content_words(line.text, stop)
        if len(words) >= 2 and not words & prose:
            line.kind = "removed"


def _is_sentence_paragraph(line: _Line) -> bool:
    return line.text.count(" ") >= 9 and bool(_TERMINAL.search(line.text))


def _meta_line(line: _Line, out: Cleaned, dates: list[tuple[bool, str]]) -> bool:
    names = parse_byline(line.text) if len(line.text.split()) <= 30 else None
    if names:
        for name in names:
            if name.lower() not in {a.lower() for a in out.authors}:
                out.authors.append(name)
        found = find_date(line.text)
        if found is not None:
            dates.append((False, found[0]))
        line.kind = "meta"
        return True
    if is_date_line(line.text):
        found = find_date(line.text)
        if found is not None:
            dates.append((bool(_DATE_LABEL_UPDATED.match(line.text)), found[0]))
        line.kind = "meta"
        return True
    return False


def _paragraphs(lines: list[_Line]) -> list[str]:
    paragraphs: list[str] = []
    block: list[str] = []

    def flush() -> None:
        if block:
            paragraphs.extend(_join_wrapped(block))
            block.clear()

    for line in lines:
        if line.kind == "content":
            if line.heading:
                flush()
                paragraphs.append(line.text)
            else:
                block.append(line.text)
        elif line.kind in ("blank", "removed"):
            flush()
    flush()
    return paragraphs


def _wrapped(previous: str, line: str, length: int) -> bool:
    """True when ``line`` continues a hard-wrapped paragraph of ``length`` characters so far whose last
    line is ``previous``: that does not end a sentence, and ``line`` starts in lower case or with a
    digit, or the paragraph is already long. Looks at the ends only (re-joining stays linear)."""
    return not _TERMINAL.search(previous[-8:]) and (
        line[:1].islower() or line[:1].isdigit() or (length >= 50 and len(line) >= 1)
    )


def _join_wrapped(block: list[str]) -> list[str]:
    """Re-join hard-wrapped lines of one block; lines that end a sentence end a paragraph.

    One pass: each line is looked at once (against the previous line's end), joined at the end."""
    out: list[str] = []
    current: list[str] = []
    length = 0

    def emit() -> None:
        joined = " ".join(current)
        if len(current) > 1 and classify_line(joined) is not None:
            out.extend(current)  # joined, the lines would read as boilerplate: each passed on its own
        else:
            out.append(joined)

    for line in block:
        if current and not _wrapped(current[-1], line, length):
            emit()
            current, length = [], 0
        length += len(line) + (1 if current else 0)
        current.append(line)
    if current:
        emit()
    return out


_SOURCE_LINE = re.compile(
    r"^(?:source|sources|via|credit)\s*:\s*(?P<name>[A-Z0-9][^.!?:;]{1,60})$", re.IGNORECASE
)
_DATELINE_CREDIT = re.compile(
    r"^[A-Z][\w .,'’/-]{1,40}?\s*\((?P<credit>[A-Za-z][A-Za-z .&-]{1,40})\)\s*[-–—]"
)


def _outlet_from_text(lines: list[_Line], url: str | None) -> str | None:
    """The outlet a text names: a ``Source: ...`` line, the host of its URL (shipped outlets list), a
    ``© 2025 Name`` footer, or the agency credited in a dateline (``CITY (Agency) -``), in that order."""
    from ..reference.outlets import by_host, by_name

    for line in lines:
        if line.kind in ("content", "removed"):
            match = _SOURCE_LINE.match(line.text)
            if match and len(match.group("name").split()) <= 6:
                name = match.group("name").strip()
                known = by_name(name) or (by_host(name) if "." in name and " " not in name else None)
                line.kind = "removed"
                return known.name if known else name
    if url:
        outlet = by_host(url)
        if outlet is not None:
            return outlet.name
    holder = _copyright_holder(lines)
    if holder:
        return holder
    for line in lines:
        if line.kind == "content" and _is_sentence_paragraph(line):
            match = _DATELINE_CREDIT.match(line.text)
            credited = by_name(match.group("credit")) if match else None
            return credited.name if credited else None
    return None


def _copyright_holder(lines: list[_Line]) -> str | None:
    """The outlet named in a ``© 2024 The Lakeside Courier. All rights reserved.`` footer, if any."""
    for line in reversed(lines):
        if line.kind != "removed":
            continue
        match = _COPYRIGHT.match(line.text)
        if match:
            name = match.group("name").strip(" ,;:-–—")
            if name and any(c.isalpha() for c in name):
                return name
    return None
