"""Long documents analysed in windows: bounded spaCy memory per document.

spaCy's memory for one text grows with its length (roughly 1 GB per 100,000 characters with the parser),
so a text longer than ``Options.window_chars`` is cut into consecutive windows no longer than that, each
ending at a paragraph break when there is one (a blank line, else a line break), else after a sentence's
closing punctuation, else at a space, else hard. The windows cover the text exactly, with no gap and no
overlap, so an offset in a window plus the window's start is the offset in the whole text.

Each window is analysed on its own and its annotations are shifted back into the whole text's offsets
(:func:`shift_offsets`) and concatenated (:func:`merge_annotations`), so later stages see one document.
What a window cannot see is the text of its neighbours: a sentence cut by a hard break, or a speaker named
only in an earlier window, is analysed without that context.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Any

__all__ = ["current_rss_mb", "merge_annotations", "shift_offsets", "split_windows"]

#: Where a window may end, best first: after a blank line, after a line break, after a sentence's
#: closing punctuation (with any closing quote or bracket) and the space after it, after a space.
_BREAKS: tuple[re.Pattern[str], ...] = (
    re.compile(r"\n[ \t]*\n\s*"),
    re.compile(r"\n\s*"),
    re.compile(r"[.!?][\"'”’)\]]*\s+"),
    re.compile(r"\s+"),
)


def _cut(text: str, start: int, size: int) -> int:
    """The end of the window that starts at ``start``: at most ``size`` characters, at the best break
    found in its second half (a window is never shorter than half the size unless the text ends)."""
    limit = start + size
    if limit >= len(text):
        return len(text)
    lowest = start + max(size // 2, 1)
    for pattern in _BREAKS:
        end = -1
        for m in pattern.finditer(text, lowest, limit):
            end = m.end()
        if end > lowest:
            return end
    return limit


def split_windows(text: str, size: int) -> Iterator[tuple[int, str]]:
    """``(start, window)`` pairs covering ``text`` exactly, each window at most ``size`` characters."""
    if size < 1:
        raise ValueError(f"window size must be at least 1, not {size}")
    start = 0
    while start < len(text):
        end = _cut(text, start, size)
        yield start, text[start:end]
        start = end


def _is_offset_key(key: str) -> bool:
    return key in ("start", "end") or key.endswith(("_start", "_end"))


def shift_offsets(data: Any, by: int) -> Any:
    """A copy of plain annotation data with every character offset (an int under a key ``start``,
    ``end``, ``*_start`` or ``*_end``, at any depth) moved by ``by``."""
    if isinstance(data, dict):
        return {
            k: (
                v + by
                if _is_offset_key(k) and isinstance(v, int) and not isinstance(v, bool)
                else shift_offsets(v, by)
            )
            for k, v in data.items()
        }
    if isinstance(data, list):
        return [shift_offsets(v, by) for v in data]
    return data


def merge_annotations(parts: list[dict[str, Any]]) -> dict[str, Any]:
    """One text's annotation from its windows' (already shifted, in text order): mentions and statements
    concatenated; affiliations and demonyms concatenated without repeats, first seen first."""
    out: dict[str, Any] = {"mentions": [], "statements": [], "affiliations": [], "demonyms": []}
    for part in parts:
        out["mentions"].extend(part.get("mentions", []))
        out["statements"].extend(part.get("statements", []))
        for key in ("affiliations", "demonyms"):
            for value in part.get(key, []):
                if value not in out[key]:
                    out[key].append(value)
    return out


def current_rss_mb() -> float:
    """This process's resident memory now, in MB (``/proc/self/statm``; elsewhere the peak so far)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            pages = int(fh.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 1e6
    except (OSError, ValueError, IndexError, AttributeError):
        import resource
        import sys

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak / 1e6 if sys.platform == "darwin" else peak / 1e3
