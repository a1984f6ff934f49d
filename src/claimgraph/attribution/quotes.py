"""Find quotations in a text: curly and straight marks, quotes running over several paragraphs.

A quote is returned as character offsets of its *content* (inside the marks). News style continues a
quote over paragraphs by leaving it unclosed at the end of a paragraph and re-opening it at the start
of the next one; such a quote is returned as one span running over the paragraph break.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Quote", "find_quotes", "paragraph_spans"]

OPENERS = "“„«"
CLOSERS = "”»"
STRAIGHT = '"'
_PARA_RE = re.compile(r"\n[ \t]*\n\s*")


@dataclass(frozen=True)
class Quote:
    open: int
    """Offset of the opening mark."""
    close: int
    """Offset of the closing mark (or of the paragraph end when the quote was never closed)."""
    start: int
    """Start of the content (after the mark and any space)."""
    end: int
    """End of the content (before trailing commas and spaces)."""
    paragraphs: int = 1
    closed: bool = True


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph (blocks separated by blank lines), whitespace trimmed."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _PARA_RE.finditer(text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def _is_opening_straight(text: str, i: int, start: int) -> bool:
    prev = text[i - 1] if i > start else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    return (prev.isspace() or prev in "([{—–-:;,") and not nxt.isspace()


def _content(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:—–-"):
        end -= 1
    return start, end


def find_quotes(text: str) -> list[Quote]:
    """All quotations of ``text``, in order, as content offsets."""
    quotes: list[Quote] = []
    paras = paragraph_spans(text)
    open_at: int | None = None
    open_paras = 0
    for p_index, (p_start, p_end) in enumerate(paras):
        i = p_start
        continuing = open_at is not None
        if continuing:
            # A quote left open at the end of the previous paragraph: it continues only if this
            # paragraph opens with a quotation mark; otherwise it ended with that paragraph.
            first = text[p_start]
            if first in OPENERS or first == STRAIGHT:
                i = p_start + 1
                open_paras += 1
            else:
                assert open_at is not None
                prev_end = paras[p_index - 1][1]
                s, e = _content(text, open_at + 1, prev_end)
                if e > s:
                    quotes.append(Quote(open_at, prev_end, s, e, open_paras, closed=False))
                open_at = None
        while i < p_end:
            ch = text[i]
            if ch in OPENERS:
                if open_at is None:
                    open_at, open_paras = i, 1
                else:  # unbalanced: restart at the newer mark
                    open_at, open_paras = i, 1
            elif ch in CLOSERS:
                if open_at is not None:
                    s, e = _content(text, open_at + 1, i)
                    if e > s:
                        quotes.append(Quote(open_at, i, s, e, open_paras))
                    open_at = None
            elif ch == STRAIGHT:
                if open_at is None:
                    if _is_opening_straight(text, i, p_start):
                        open_at, open_paras = i, 1
                elif text[i - 1].isspace() and _is_opening_straight(text, i, p_start):
                    open_at, open_paras = i, 1
                else:
                    s, e = _content(text, open_at + 1, i)
                    if e > s:
                        quotes.append(Quote(open_at, i, s, e, open_paras))
                    open_at = None
            i += 1
    if open_at is not None and paras:
        last_end = paras[-1][1]
        s, e = _content(text, open_at + 1, last_end)
        if e > s:
            quotes.append(Quote(open_at, last_end, s, e, open_paras, closed=False))
    return quotes
