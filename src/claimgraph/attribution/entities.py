"""Entity mentions of one document: NER labels mapped to claimgraph's types, titles stripped,
acronyms and alternative names defined in the text recorded.

Types: ``person`` (PERSON), ``group`` (ORG/NORP names with words like Brigades, Front, Units, Army,
Militia, Movement), ``organization`` (other ORG), ``location`` (GPE, LOC, FAC). Other labels (dates,
numbers, nationalities without a group word, ...) are not entities.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .lexicon import (
    DASH_AFTER_RE,
    DATELINE_RE,
    FEMALE_NAMES,
    GROUP_WORDS,
    LEADING_FUNCTION_WORDS,
    MALE_NAMES,
    MEDIA_WORDS,
    TITLE_WORDS,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = [
    "entity_type",
    "extract_demonyms",
    "extract_mentions",
    "is_acronym",
    "split_definition",
    "strip_title",
]

_LABELS = {
    "PERSON": "person",
    "ORG": "organization",
    "NORP": "group",
    "GPE": "location",
    "LOC": "location",
    "FAC": "location",
}
_DEF_RE = re.compile(r"\s*\(([^()\n]{1,120})\)")
_SPLIT_RE = re.compile(r"\s+or\s+|\s*[,;/]\s*|\s+also\s+known\s+as\s+|\s+aka\s+", re.I)
_ACRONYM_RE = re.compile(r"^[A-Z][A-Z0-9&\-]{1,9}$")
_FIRST_NAMES = FEMALE_NAMES | MALE_NAMES
_NOT_PEOPLE = (
    GROUP_WORDS
    | MEDIA_WORDS
    | frozenset(["ministry", "commission", "agency", "council", "institute", "university", "front"])
)
_WORD_RE = re.compile(r"[\w’'\-]+")


def is_acronym(name: str) -> bool:
    """``NDF``, ``CGU``, ``ACME``: two to ten capitals/digits, no lower-case letters."""
    return bool(_ACRONYM_RE.match(name.replace(".", "")))


def entity_type(label: str, name: str) -> str | None:
    """claimgraph's type for an NER label and name, or ``None`` when it is not an entity."""
    kind = _LABELS.get(label)
    if kind is None:
        return None
    words = {w.lower() for w in _WORD_RE.findall(name)}
    if kind in ("organization", "group"):
        if words & GROUP_WORDS:
            return "group"
        return None if kind == "group" else "organization"
    return kind


def _before_role(doc: Doc, i: int) -> bool:
    """Token ``i`` opens a title or a person noun (``Prime``, ``journalist``, ``official``)."""
    from .lexicon import PERSON_NOUNS, ROLE_WORDS

    if i >= len(doc):
        return False
    w = doc[i].text.strip(".").lower()
    return w in TITLE_WORDS or w in ROLE_WORDS or w in PERSON_NOUNS or w in ("journalist", "prime")


def _is_state_word(word: str) -> bool:
    from .demonyms import looks_like_demonym

    return looks_like_demonym(word) and word.lower() not in TITLE_WORDS


def strip_title(name: str) -> tuple[str, str | None]:
    """``NATO Army Maj. Ana Ruiz`` -> (``Ana Ruiz``, ``NATO Army Maj.``). Always keeps the last word."""
    tokens = name.split()
    i = 0
    if len(tokens) > 2 and _is_state_word(tokens[0]) and tokens[1].strip(".,").lower() in TITLE_WORDS:
        i = 1  # "French Prime Minister X": the demonym belongs to the title
    while i < len(tokens) - 1:
        word = tokens[i].strip(".,").lower()
        if word in TITLE_WORDS or word in ("the", "of") or is_acronym(tokens[i].strip(".,")):
            i += 1
            continue
        break
    if i == 0:
        return name, None
    # keep at least one word; never strip a two-word name down to a title-like single word
    rest = " ".join(tokens[i:])
    return rest, " ".join(tokens[:i])


def split_definition(inner: str) -> list[str]:
    """``National Defence Forces or NDF`` -> [``National Defence Forces``, ``NDF``]."""
    out = []
    for part in _SPLIT_RE.split(inner.strip()):
        part = part.strip(" \"“”'’.")
        if part[:4].lower() == "the ":
            part = part[4:]
        if part and part[0].isupper() and len(part.split()) <= 8:
            out.append(part)
    return out


def extract_mentions(doc: Doc) -> list[dict[str, Any]]:
    """Mentions of ``doc`` as plain dicts: text, name (title stripped), start, end, label, type, title,
    defined (alternative names given in brackets right after it, with their rule)."""
    text = doc.text
    mentions: list[dict[str, Any]] = []
    dateline = DATELINE_RE.match(text)
    if dateline is not None and dateline.group("agency") is None:
        dateline = None
    for ent in doc.ents:
        surface = ent.text
        start, end = ent.start_char, ent.end_char
        # trim a leading article and a trailing possessive
        if surface[:4].lower() == "the " and ent.label_ != "PERSON":
            surface, start = surface[4:], start + 4
        for suffix in ("'s", "’s"):
            if surface.endswith(suffix):
                surface, end = surface[: -len(suffix)], end - len(suffix)
        if "(" in surface:
            cut = surface.index("(")
            surface, end = surface[:cut], start + cut
        surface = surface.rstrip()
        end = start + len(surface)
        if not surface or not any(c.isalpha() for c in surface):
            continue
        label = ent.label_
        words = surface.split()
        if len(words) == 1 and _is_state_word(surface) and _before_role(doc, ent.end):
            continue  # "Kenyan journalist X", "French Prime Minister X": an adjective, not an actor
        if label in ("ORG", "GPE", "NORP") and 2 <= len(words) <= 3 and words[0].lower() in _FIRST_NAMES:
            label = "PERSON"
        elif label == "PERSON" and {w.lower() for w in words} & _NOT_PEOPLE:
            label = "ORG"
        kind = entity_type(label, surface)
        if kind is None:
            continue
        name, title = surface, None
        titled = None
        if kind == "person":
            name, title = strip_title(surface)
            if name.strip(".").lower() in TITLE_WORDS:
                continue
            k = ent.start - 1
            while k >= 0:
                tok = doc[k]
                word = tok.text.strip(".")
                if (
                    tok.text == "."
                    and k > 0
                    and not doc[k - 1].whitespace_
                    and doc[k - 1].text.lower() in TITLE_WORDS
                ):
                    k -= 1
                    continue
                if (
                    word
                    and (word.lower() in TITLE_WORDS or (is_acronym(word) and len(word) > 2))
                    and "\n" not in tok.whitespace_
                ):
                    k -= 1
                    continue
                break
            if k + 1 < ent.start and k >= 0 and "\n" not in doc[k].whitespace_:
                # a demonym or a possessive country before the title: "French Prime Minister X",
                # "France's Prime Minister X"
                if _is_state_word(doc[k].text):
                    k -= 1
                elif doc[k].text in ("'s", "’s") and k > 0 and doc[k - 1].ent_type_ in ("GPE", "LOC"):
                    k -= 1  # last token of the place's name
                    while k > 0 and doc[k].ent_iob_ == "I":
                        k -= 1
                    k -= 1
            if k + 1 < ent.start:
                t_start = doc[k + 1].idx
                before = text[t_start:start].strip()
                if before:
                    title = (before + " " + title) if title else before
                    titled = text[t_start:end]
            elif title:
                titled = surface
        defined: list[list[str]] = []
        m = _DEF_RE.match(text, end)
        if m is not None and (
            (dateline is not None and m.start(1) == dateline.start("agency"))
            or (not any(c.islower() for c in surface) and DASH_AFTER_RE.match(text, m.end()))
        ):
            m = None  # "WASHINGTON (AP) —": the agency of a dateline defines nothing
        if m is not None and kind == "person" and any(is_acronym(a) for a in split_definition(m.group(1))):
            # "Jaysh al-Watan (National Defence Forces or NDF)": people are not defined by an acronym
            kind = "organization"
        if m is not None and kind != "person":
            for alt in split_definition(m.group(1)):
                if alt != name:
                    defined.append([alt, "acronym-defined" if is_acronym(alt) else "alternative-defined"])
        mentions.append(
            {
                "text": surface,
                "name": name,
                "start": start,
                "end": end,
                "label": label,
                "type": kind,
                "title": title,
                "titled": titled,
                "defined": defined,
            }
        )
    _add_dateline(text, mentions)
    _add_document_titles(text, mentions)
    _add_repeats(text, mentions)
    mentions.sort(key=lambda m: (m["start"], m["end"]))
    return mentions


_TITLE_LEAD = LEADING_FUNCTION_WORDS


def _mention(text: str, name: str, start: int, end: int, label: str, kind: str, rule: str) -> dict[str, Any]:
    return {
        "text": text,
        "name": name,
        "start": start,
        "end": end,
        "label": label,
        "type": kind,
        "title": None,
        "titled": None,
        "defined": [],
        "rule": rule,
    }


def _overlaps(mentions: list[dict[str, Any]], start: int, end: int) -> bool:
    return any(m["start"] < end and start < m["end"] for m in mentions)


def _add_dateline(text: str, mentions: list[dict[str, Any]]) -> None:
    """A dateline's place is a location (``LYON`` -> ``Lyon``) and its agency in brackets an
    organisation (``(Reuters)``): NER often misses both in capitals or brackets."""
    m = DATELINE_RE.match(text)
    if m is None:
        return
    s, e = m.span("place")
    place = m.group("place")
    if any(c.islower() for c in place) or len(place.replace(".", "")) < 3:
        return
    if m.group("date") or m.group("agency") or len(place.split()) <= 2:
        # NER's organisation reading of the same words stands ("NETFLIX —" opening a text)
        _put_dateline(
            mentions,
            _mention(place, place.title(), s, e, "GPE", "location", "dateline"),
            keep=("organization", "group"),
        )
    if m.group("agency"):
        s = m.start("agency")
        agency = m.group("agency").strip()
        _put_dateline(
            mentions, _mention(agency, agency, s, s + len(agency), "ORG", "organization", "dateline")
        )


def _put_dateline(mentions: list[dict[str, Any]], new: dict[str, Any], keep: tuple[str, ...] = ()) -> None:
    """The dateline's reading wins over NER's label for the same span (NER calls agencies places),
    except over the types in ``keep``."""
    here = [x for x in mentions if x["start"] < new["end"] and new["start"] < x["end"]]
    if any(x["start"] < new["start"] or x["end"] > new["end"] or x["type"] in keep for x in here):
        return
    for x in here:
        mentions.remove(x)
    mentions.append(new)


def _add_document_titles(text: str, mentions: list[dict[str, Any]]) -> None:
    """Named documents and agreements (``2025 Annual Threat Report``, ``2015 Paris Agreement``) -> type
    ``other``. A title needs a year or a capitalised word that is not generic (``The Report``, ``the
    Annual Report`` are not names). Places inside the title are part of its name; actors stay."""
    from .lexicon import DOCUMENT_TITLE_GENERIC, DOCUMENT_TITLE_RE

    for hit in DOCUMENT_TITLE_RE.finditer(text):
        start, end = hit.span()
        words = hit.group(0).split()
        while words and (words[0].lower() in _TITLE_LEAD or re.search(r"['’]s$", words[0])):
            start = text.index(words[1], start + len(words[0])) if len(words) > 1 else end
            words = words[1:]
        if len(words) < 2:
            continue
        year = bool(re.fullmatch(r"(?:19|20)\d{2}", words[0]))
        body = [w for w in words[1 if year else 0 : -1] if w not in ("of", "on", "for", "and", "the")]
        if not year and not any(w.lower() not in DOCUMENT_TITLE_GENERIC for w in body):
            continue
        crossing = [m for m in mentions if m["start"] < end and start < m["end"]]
        if any(
            (m["start"] <= start and m["end"] >= end) or m["start"] < start or m["end"] > end
            for m in crossing
        ):
            continue  # NER named these words already ("MIT Technology Review" is ORG), or cut them elsewhere
        for m in crossing:
            if m["type"] == "location":
                mentions.remove(m)
        name = text[start:end]
        mentions.append(
            _mention(name, " ".join(name.split()), start, end, "WORK_OF_ART", "other", "document-title")
        )


def extract_demonyms(doc: Doc) -> list[str]:
    """Sorted one-word NORP names that look like demonyms (``French``), evidence for place names."""
    from .demonyms import looks_like_demonym

    return sorted(
        {
            e.text
            for e in doc.ents
            if looks_like_demonym(e.text) and (e.label_ == "NORP" or _before_role(doc, e.end))
        }
    )


def _add_repeats(text: str, mentions: list[dict[str, Any]]) -> None:
    """Mentions NER missed: later bare surnames of people named in full, defined acronyms and names."""
    wanted: dict[str, tuple[str, str]] = {}
    for m in mentions:
        if m["type"] == "person":
            words = m["name"].split()
            if len(words) >= 2 and words[-1][:1].isupper() and len(words[-1]) > 2:
                wanted.setdefault(words[-1], ("person", "PERSON"))
        else:
            for alt, _rule in m["defined"]:
                wanted.setdefault(alt, (m["type"], m["label"]))
            if is_acronym(m["name"]):
                wanted.setdefault(m["name"], (m["type"], m["label"]))
    if not wanted:
        return
    taken = [(m["start"], m["end"]) for m in mentions]
    pattern = re.compile(
        r"(?<![\w\-])(?:"
        + "|".join(re.escape(w) for w in sorted(wanted, key=len, reverse=True))
        + r")(?![\w\-])"
    )
    for hit in pattern.finditer(text):
        s, e = hit.span()
        if any(a < e and s < b for a, b in taken):
            continue
        kind, label = wanted[hit.group(0)]
        if kind == "person" and re.match(r"\s+[A-Z]", text[e : e + 2]):
            continue  # part of a longer proper name ("Brandt Consulting")
        mentions.append(
            {
                "text": hit.group(0),
                "name": hit.group(0),
                "start": s,
                "end": e,
                "label": label,
                "type": kind,
                "title": None,
                "defined": [],
                "rule": "repeat",
            }
        )
        taken.append((s, e))
