"""Text that is shown, never obeyed: control characters, bidi overrides and undecodable file names.

Article text, titles and file names are untrusted. Three places show them:

- the terminal (``escape_terminal``): every C0/C1 control character, DEL, Unicode bidi control and lone
  surrogate (a file-name byte that is not UTF-8, kept by ``surrogateescape``) becomes a visible escape
  such as ``\\x1b``, ``\\u202e`` or ``\\xff``, so an escape sequence in a file name cannot move the
  cursor, retitle the window or reorder the line;
- the HTML report and the CSV tables (``mark_controls``): the same characters become a visible marker
  ``[U+202E]`` (line breaks and tabs are kept), so a reversed-looking name is seen as such;
- the store and ``claimgraph.json`` keep the text exactly as read (data, not display).

The table of characters is Unicode's own: general category ``Cc`` (controls) plus the ``Bidi_Control``
property (U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .errors import InputProblem
    from .model import Document
    from .options import Options

__all__ = ["BIDI_CONTROLS", "admit", "display_path", "escape_terminal", "mark_controls"]

#: Unicode ``Bidi_Control`` characters (PropList.txt).
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"

_TERMINAL = re.compile(f"[\x00-\x1f\x7f-\x9f{BIDI_CONTROLS}\ud800-\udfff]")
_MARKED = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{BIDI_CONTROLS}\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a raw byte kept by surrogateescape
        return f"\\x{code - 0xDC00:02x}"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def escape_terminal(text: str) -> str:
    """``text`` safe to print on one terminal line: controls, bidi controls and raw bytes escaped."""
    return _TERMINAL.sub(_escape, text)


def mark_controls(text: str) -> str:
    """``text`` with controls (but not tab, line feed, carriage return) and bidi controls as ``[U+XXXX]``."""
    if not _MARKED.search(text):
        return text
    return _MARKED.sub(lambda m: f"[U+{ord(m.group()):04X}]", text)


def display_path(path: str) -> str:
    """A path as it may be shown anywhere (messages, the store): escaped like :func:`escape_terminal`."""
    return escape_terminal(path)


def admit(item: Document | InputProblem, options: Options) -> Document | InputProblem:
    """What the pipeline stores for one ingested item: paths shown escaped, over-long documents refused.

    A file name that is not UTF-8 (kept by ``surrogateescape``) or holds control characters is stored and
    shown in its escaped form; a document longer than ``options.max_chars`` becomes an ``E301`` problem
    instead of being stored (spaCy would refuse or exhaust memory on it later, in every run).
    """
    from dataclasses import replace

    from .errors import Errors, InputError, InputProblem

    if isinstance(item, InputProblem):
        shown = display_path(item.path)
        return item if shown == item.path else replace(item, path=shown)
    item.path = display_path(item.path)
    size = len(item.text or "") + len(item.title or "")
    if size > options.max_chars:
        return InputError(item.path, Errors.E301, size=size, cap=options.max_chars).problem
    return item
