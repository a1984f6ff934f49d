"""Bylines -> author names: ``By Ana Ruiz* and Tom Okoro`` -> ``["Ana Ruiz", "Tom Okoro"]``.

Footnote marks (``*``, ``†``, superscript digits) and roles (``Staff Writer``) are dropped, a
trailing date or outlet after ``|`` or a dash is cut off.
"""

from __future__ import annotations

import re

from .dates import find_date

__all__ = ["clean_author", "is_byline", "parse_byline", "split_authors"]

_BYLINE = re.compile(
    r"^\s*(?:(?:written|words|reporting|text|story)\s+)?by\s*[:\-–—]?\s+(?P<names>.+)$", re.IGNORECASE
)
_AUTHOR_LABEL = re.compile(
    r"^\s*(?:authors?|byline|written by|reporters?)\s*:\s*(?P<names>.+)$", re.IGNORECASE
)
_CUT = re.compile(
    r"\s+(?:\||·|•|—|–|-)\s+|\s+(?:on|updated|published|posted)\s+(?=\S)|\s*\(|\s*\bfor\s+the\b"
)
_TRAILING = re.compile(r"(?:[\s|,;·•—–-]|\b(?:on|at|updated|published|posted|last)\b|:)+$", re.IGNORECASE)
_SPLIT = re.compile(r"\s*(?:,|;|&|\+|\band\b|\bwith\b)\s*", re.IGNORECASE)
_FOOTNOTES = re.compile(r"[*†‡§¶#⁰¹²³⁴⁵⁶⁷⁸⁹]+|\[\d+\]|\(\d+\)|(?<=[A-Za-z])\d+\b")
_ROLE_WORDS = {
    "staff",
    "writer",
    "writers",
    "reporter",
    "reporters",
    "correspondent",
    "correspondents",
    "editor",
    "editors",
    "contributor",
    "contributing",
    "columnist",
    "bureau",
    "chief",
    "senior",
    "agency",
    "agencies",
    "press",
    "wire",
    "wires",
    "desk",
    "team",
    "newsroom",
    "service",
    "associate",
    "special",
    "investigations",
    "analyst",
    "freelance",
    "photographer",
    "producer",
}
_ORG_WORDS = {
    "post",
    "times",
    "herald",
    "daily",
    "news",
    "gazette",
    "observer",
    "journal",
    "tribune",
    "courier",
    "chronicle",
    "telegraph",
    "guardian",
    "express",
    "wire",
    "media",
    "radio",
    "tv",
    "network",
    "magazine",
    "weekly",
    "today",
    "brief",
    "report",
    "institute",
    "university",
    "ministry",
    "advisory",
    "ltd",
    "inc",
    "llc",
    "group",
    "foundation",
    "centre",
    "center",
    "council",
    "office",
    "review",
    "digest",
    "bulletin",
    "international",
    "online",
    "com",
    "org",
    "net",
}
_PARTICLES = {
    "de",
    "van",
    "von",
    "der",
    "den",
    "la",
    "le",
    "da",
    "di",
    "du",
    "del",
    "della",
    "dos",
    "ter",
    "ten",
    "bin",
    "al",
    "y",
    "el",
}
_NAME_TOKEN = re.compile(r"^(?:[A-Z]\.)+$|^[A-Z][\w'’.\-]*$|^(?:al|el)-[A-Z][\w'’\-]*$|^O['’][A-Z][\w'’\-]*$")


def clean_author(name: str) -> str | None:
    """One author name without footnote marks; ``None`` if it is not a plausible personal name."""
    name = _FOOTNOTES.sub("", name)
    name = re.sub(r"\s+", " ", name).strip(" .,:;'\"“”‘’-–—|")
    if not name or len(name) > 60:
        return None
    if name.isupper() and any(c.isalpha() for c in name):
        name = name.title()
    tokens = name.split(" ")
    if not 1 <= len(tokens) <= 5:
        return None
    if any(t.lower().strip(".") in _ROLE_WORDS or t.lower() in _ORG_WORDS for t in tokens):
        return None
    if tokens[0].lower() == "the":
        return None
    for token in tokens:
        if token.lower() in _PARTICLES:
            continue
        if not _NAME_TOKEN.match(token):
            return None
    if all(t.lower() in _PARTICLES for t in tokens):
        return None
    from ..reference.places import is_place_name

    if is_place_name(name):
        return None  # a country or a capital is no personal name (a list of countries read as a byline)
    return name


def _pieces(text: str) -> list[tuple[str, str | None]]:
    """Each piece of a list of names (date and trailing parts cut off) with its name, or ``None`` when the piece
    is not a plausible personal name (:func:`clean_author`)."""
    found = find_date(text)
    if found is not None:
        text = _TRAILING.sub("", text[: found[1]])
    cut = _CUT.search(text)
    if cut is not None and cut.start() > 0:
        text = text[: cut.start()]
    return [(piece, clean_author(piece)) for piece in _SPLIT.split(text) if piece.strip()]


def split_authors(text: str) -> list[str]:
    """Names from a list such as ``Jane Roe, John Doe and Ana Ruiz`` (unknown pieces dropped)."""
    names: list[str] = []
    for _piece, name in _pieces(text):
        if name and name.lower() not in {n.lower() for n in names}:
            names.append(name)
    return names


def parse_byline(line: str) -> list[str] | None:
    """Authors of a byline (``By ...`` or ``Author: ...``); ``None`` when the line is not a byline."""
    line = line.strip()
    if not line or len(line) > 200:
        return None
    match = _BYLINE.match(line) or _AUTHOR_LABEL.match(line)
    if match is None:
        return None
    if match.group("names").lower().startswith("the "):
        return None  # "by the Group of Seven -- the U.S., Japan, ...": a sentence going on, not names
    if line[:1].islower() and not all(name for _piece, name in _pieces(match.group("names"))):
        return None  # "by Pennvale Corp, which paid ...": a wrapped sentence going on; "by Jane Roe" is names only
    if any(_sentence_words(piece) >= 2 for piece, _name in _pieces(match.group("names"))):
        return None  # "By looking beyond the upcoming contests in ...": a sentence, not a list of names
    names = split_authors(match.group("names"))
    return names or None


def _sentence_words(piece: str) -> int:
    """How many words of ``piece`` are in lower case and neither stop words (the claim matcher's English list,
    :data:`claimgraph.claims.text.STOP_WORDS`: no spaCy import, so a rerun that reads an archive again does
    not load spaCy), name particles nor role words: ``Jane Roe in Lisbon`` and ``special to the Herald`` have
    none, ``earnings could reach 4.30 dlrs`` three."""
    from ..claims.text import STOP_WORDS

    return sum(
        1
        for word in re.findall(r"[^\W\d_]+", piece)
        if word.islower() and word not in STOP_WORDS and word not in _PARTICLES and word not in _ROLE_WORDS
    )


def is_byline(line: str) -> bool:
    return parse_byline(line) is not None
