"""Publication dates as written on the web -> ``YYYY-MM-DD``.

Understands ``2019-03-05``, ``2019/03/05``, ``Mar. 5, 2019``, ``Tuesday, March 5th, 2019 @ 9:14AM``,
``5 March 2019``, ``5th of March, 2019`` and ISO timestamps. Numeric day/month orders other than
year-first are ambiguous and left alone.
"""

from __future__ import annotations

import datetime as dt
import re

__all__ = ["find_date", "is_date_line", "parse_date"]

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:1[89]|20)\d\d)"
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
_TIME = r"(?:\s*(?:@|at|,|-|–|—|\|)?\s*\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?(?:\s*[A-Z]{2,4}\b)?)?"
_PATTERNS = [
    re.compile(
        r"\b"
        + _YEAR
        + r"-(?P<m>[01]?\d)-(?P<d>[0-3]?\d)(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b"
    ),
    re.compile(r"\b" + _YEAR + r"/(?P<m>[01]?\d)/(?P<d>[0-3]?\d)\b"),
    re.compile(r"\b" + _WEEKDAY + _MONTH + r"\s+" + _DAY + r",?\s+" + _YEAR + r"\b" + _TIME, re.IGNORECASE),
    re.compile(
        r"\b" + _WEEKDAY + _DAY + r"\s+(?:of\s+)?" + _MONTH + r",?\s+" + _YEAR + r"\b" + _TIME, re.IGNORECASE
    ),
]
_LABELS = re.compile(
    r"^(?:(?:first\s+|originally\s+|last\s+)?(?:published|posted|updated|modified|date|dated|on|created)\b"
    r"(?:\s+on)?\s*:?\s*)+",
    re.IGNORECASE,
)
_DIGIT = re.compile(r"\d")
_FILLER = re.compile(r"^[\s|·•,;:()\[\]\-–—@]*$")


def _build(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def find_date(text: str) -> tuple[str, int, int] | None:
    """The first date in ``text`` as ``(YYYY-MM-DD, start, end)``, or ``None``."""
    if _DIGIT.search(text) is None:
        return None
    found: list[tuple[int, str, int]] = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            groups = match.groupdict()
            if groups.get("month"):
                key = groups["month"].lower().rstrip(".")
                month = _MONTHS.get(key[:4] if key.startswith("sept") else key[:3])
                if month is None:
                    continue
                value = _build(int(groups["year"]), month, int(groups["day"]))
            else:
                value = _build(int(groups["year"]), int(groups["m"]), int(groups["d"]))
            if value is not None:
                found.append((match.start(), value, match.end()))
                break
    if not found:
        return None
    start, value, end = min(found)
    return value, start, end


def parse_date(text: str | None) -> str | None:
    """``YYYY-MM-DD`` for the first date in ``text``, else ``None``. Never raises."""
    if not text:
        return None
    found = find_date(text)
    return found[0] if found else None


def is_date_line(line: str) -> bool:
    """True when a line is only a date (with weekday, time and labels such as ``Published:``)."""
    if len(line) > 90 or _DIGIT.search(line) is None:
        return False
    found = find_date(line)
    if found is None:
        return False
    _, start, end = found
    before = _LABELS.sub("", line[:start].strip())
    after = line[end:]
    after = re.sub(r"\b(?:[A-Z]{2,4}|GMT[+-]?\d*|UTC[+-]?\d*)\b", "", after)
    return bool(_FILLER.match(before)) and bool(_FILLER.match(after))
