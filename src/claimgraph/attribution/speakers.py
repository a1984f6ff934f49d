"""Who is speaking: classify a speaker phrase and resolve pronouns and descriptions to earlier speakers.

A speaker phrase (the subject of a reporting verb, the object of ``according to``) becomes a dict:

``kind``: ``person`` | ``organization`` | ``anonymous`` | ``document`` (final kinds), or ``pronoun`` |
``description`` (to resolve: ``he``, ``the official``); ``name`` (entity surface, title stripped) with
``name_start``/``name_end``; ``role`` as written near the name; ``description`` (anonymous sources,
as written); ``affiliation`` (an organisation named in the phrase); ``gender`` (``m``/``f``/None).
"""

from __future__ import annotations

import re
from typing import Any

from .lexicon import (
    DOCUMENT_HEADS,
    INSTITUTION_HEADS,
    PERSON_NOUNS,
    PRONOUNS,
    ROLE_WORDS,
    TITLE_WORDS,
    former_tie,
)

__all__ = ["classify_speaker", "resolve_speaker", "split_role"]

_CUT_RE = re.compile(r"\s*,?\s+(?:who|whose|whom|which|that|where)\s+.*$", re.S)
_REL_START_RE = re.compile(r"^(?:who|whose|whom|which|that|where|when|while|whereas|as)\b", re.I)
#: A role is a short title-like phrase: at most this many words.
MAX_ROLE_WORDS = 8
_ARTICLE_RE = re.compile(r"^(?:the|a|an)\s+", re.I)
_FEMALE_TITLES = frozenset(["ms", "mrs", "miss", "madam", "dame", "lady", "queen", "princess"])
_MALE_TITLES = frozenset(["mr", "sir", "lord", "king", "prince"])
_SPOKES = frozenset(["spokesperson", "spokesman", "spokeswoman", "spokespeople"])


def _clean(text: str) -> str:
    return text.strip(' ,;:—–-\n\t"“”')


def _singular(word: str) -> str:
    word = word.lower()
    if word in _SPOKES:
        return "spokesperson"
    if word.endswith("people"):
        return "person"
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def _gender(name: str | None, role: str | None) -> str | None:
    for token in (role or "").replace(".", " ").lower().split():
        if token in _FEMALE_TITLES or token in ("spokeswoman", "chairwoman"):
            return "f"
        if token in _MALE_TITLES or token in ("spokesman", "chairman"):
            return "m"
    # no guess from first names: a short list does not generalise, so without a gendered title the gender
    # stays unknown (compatible with he and she)
    del name
    return None


def classify_speaker(
    text: str, start: int, end: int, mentions: list[dict[str, Any]], head: str | None = None
) -> dict[str, Any] | None:
    """Classify the phrase ``text[start:end]``; ``head`` is its head word when a parse gave one."""
    while start < end and (text[start].isspace() or text[start] in ',;:—–-"“”'):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ',;:—–-"“”'):
        end -= 1
    if end <= start:
        return None
    phrase = text[start:end]
    inside = [m for m in mentions if m["start"] >= start and m["end"] <= end]
    out: dict[str, Any] = {"text": phrase, "start": start, "end": end, "role": None, "description": None}
    out["affiliation"] = None
    persons = [m for m in inside if m["type"] == "person"]
    words = phrase.split()
    guess0 = _head_guess(phrase).lower()
    if persons and (head or "").lower() in DOCUMENT_HEADS | {guess0} and guess0 in DOCUMENT_HEADS:
        head_pos = phrase.lower().find(guess0)
        if start + head_pos < persons[0]["start"]:
            persons = []
    low = phrase.lower()
    if persons:
        p = persons[0]
        dash = max(text.rfind("—", start, p["start"]), text.rfind(" – ", start, p["start"]))
        if dash >= 0:
            start = dash + 1
            while text[start].isspace():
                start += 1
            out.update(text=text[start:end], start=start)
        before = _clean(text[start : p["start"]])
        after = _clean(text[p["end"] : end])
        role = None
        description = None
        if p.get("title"):
            role = p["title"]
        if before:
            role, description = split_role(before)
            role = role or p.get("title")
        elif after and text[p["end"] : end].lstrip().startswith(","):
            role, description = split_role(after)
        out["description"] = description
        # "a former NATO intelligence officer": a past tie is not an affiliation
        orgs = [
            m
            for m in inside
            if m["type"] in ("organization", "group")
            and m["start"] >= start
            and not former_tie(text[start : m["start"]])
        ]
        out.update(
            kind="person",
            name=p["name"],
            name_start=p["start"] + (len(p["text"]) - len(p["name"])),
            name_end=p["end"],
            role=role or None,
            affiliation=orgs[0]["name"] if orgs else None,
        )
        out["gender"] = _gender(p["name"], role) or p.get("gender")
        return out
    if len(words) == 1 and low in PRONOUNS:
        out.update(kind="pronoun", gender=PRONOUNS[low])
        return out
    head_word = (head or _head_guess(phrase)).lower()
    first = words[0].lower()
    guess = _head_guess(phrase).lower()
    if head_word in DOCUMENT_HEADS or guess in DOCUMENT_HEADS:
        doc_head = head_word if head_word in DOCUMENT_HEADS else guess
        title_words = []
        for w in words:
            title_words.append(w)
            if w.lower().strip(",") == doc_head:
                break
        title = " ".join(title_words).rstrip(",")
        named = any(w[:1].isupper() or w[:1].isdigit() for w in title_words[1:])
        by = re.search(r"(?<!seen )(?<!obtained )(?<!viewed )\bby\s+(?:the\s+)?", phrase)
        authors = [
            m for m in inside if by is not None and m["start"] >= start + by.end() and m["type"] != "location"
        ]
        authors.sort(key=lambda m: (m["start"], -len(m["name"])))
        if named:
            out.update(kind="document", name=_ARTICLE_RE.sub("", title))
            if authors:
                out["publisher"] = authors[0]["name"]
        elif not authors and by is not None:
            cap = re.match(r"(?:[a-z]+\s+)?((?:[A-Z][\w’'\-]*\s?)+)", phrase[by.end() :])
            if cap is not None:
                name = cap.group(1).strip()
                s0 = start + by.end() + cap.start(1)
                out.update(kind="organization", name=name, name_start=s0, name_end=s0 + len(name))
            else:
                out.update(kind="anonymous", description=phrase)
        elif authors:
            a = authors[0]
            kind = "person" if a["type"] == "person" else "organization"
            out.update(kind=kind, name=a["name"], name_start=a["start"], name_end=a["end"])
        else:
            out.update(kind="anonymous", description=phrase)
        return out
    if _singular(head_word) == "spokesperson" and first not in ("the", "this", "that"):
        orgs = [m for m in inside if m["type"] in ("organization", "group", "location")]
        if orgs:
            o = orgs[-1]
            out.update(
                kind="organization",
                name=o["name"],
                name_start=o["start"],
                name_end=o["end"],
                role="spokesperson",
            )
            return out
    if _singular(head_word) in PERSON_NOUNS or head_word in PERSON_NOUNS:
        simple = "," not in phrase and " who " not in phrase and " familiar " not in phrase
        if first in ("the", "this", "that") and simple:
            out.update(kind="description", head=_singular(head_word))
        else:
            orgs = [
                m
                for m in inside
                if m["type"] in ("organization", "group") and not former_tie(text[start : m["start"]])
            ]
            out.update(kind="anonymous", description=phrase, affiliation=orgs[0]["name"] if orgs else None)
        return out
    orgs = [m for m in inside if m["type"] in ("organization", "group", "location")]
    if orgs:
        out.update(
            kind="organization", name=orgs[-1]["name"], name_start=orgs[-1]["start"], name_end=orgs[-1]["end"]
        )
        return out
    if head_word in INSTITUTION_HEADS or _singular(head_word) in INSTITUTION_HEADS:
        name = _ARTICLE_RE.sub("", phrase)
        if first == "the" and len(words) <= 3:
            out.update(
                kind="description", head=_singular(head_word), name=name if name[:1].isupper() else None
            )
        elif name[:1].isupper():
            out.update(kind="organization", name=name, name_start=end - len(name), name_end=end)
        else:
            out.update(kind="description", head=_singular(head_word), name=None)
        return out
    if any(w[:1].isupper() for w in words) and len(words) <= 6 and first not in ("i", "we", "you"):
        name = _ARTICLE_RE.sub("", phrase)
        out.update(kind="organization", name=name, name_start=end - len(name), name_end=end)
        return out
    if first in ("i", "we", "you"):
        return None
    out.update(kind="anonymous", description=phrase)
    return out


def split_role(phrase: str) -> tuple[str | None, str | None]:
    """Split an appositive or pre-name phrase into ``(role, description)``.

    A role is a short title-like phrase (<= 8 words, holding a role or title word, not a clause):
    ``a consultant`` -> ``consultant``, ``founder of Brandt Consulting``, ``French Prime Minister``.
    A relative clause (``whose firm first published it``) or a long description is returned as
    ``description`` (as written); ``the consultant who wrote the report`` gives both.
    """
    full = _clean(phrase)
    if not full:
        return None, None
    if _REL_START_RE.match(full):
        return None, full
    core = _ARTICLE_RE.sub("", _clean(_CUT_RE.sub("", full)))
    # "the firm's founder": the generic possessor says nothing a role needs (the affiliation rules
    # name the firm)
    core = re.sub(r"^[a-z]+['’]s\s+", "", core)
    words = core.split()
    tokens = {_singular(w) for w in re.findall(r"[\w’'\-]+", core)}
    title_like = (
        0 < len(words) <= MAX_ROLE_WORDS
        and bool(tokens & (ROLE_WORDS | TITLE_WORDS))
        and not re.search(r"\b(?:is|was|has|had|have|says|said|told)\b", core, re.I)
    )
    if not title_like:
        return None, full
    return core, (full if _ARTICLE_RE.sub("", full) != core else None)


def _head_guess(phrase: str) -> str:
    core = _CUT_RE.sub("", phrase).split(",")[0]
    core = re.split(r"\s+(?:of|for|at|in|from|with|on|by|seen)\s+", core)[0]
    words = re.findall(r"[\w’'\-]+", core)
    return words[-1] if words else ""


def resolve_speaker(spk: dict[str, Any], history: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Resolve a ``pronoun`` or ``description`` speaker to the right earlier speaker in ``history``
    (most recent first). Returns the resolved speaker (a copy keeping ``text``) or ``None``."""
    kind = spk["kind"]
    if kind == "pronoun":
        g = spk.get("gender")
        if g in ("m", "f", "s"):
            persons = [h for h in reversed(history) if h["kind"] == "person"]
            compatible = [h for h in persons if h.get("gender") in (g, None)] if g != "s" else []
            pick = compatible[0] if compatible else None
        elif g == "n":
            pick = next((h for h in reversed(history) if h["kind"] in ("organization", "document")), None)
        else:  # they / we
            pick = next(
                (h for h in reversed(history) if h["kind"] in ("organization", "anonymous", "document")), None
            )
            if pick is None:
                pick = next((h for h in reversed(history) if h["kind"] == "person"), None)
        return _as(spk, pick)
    if kind == "description":
        head = spk.get("head") or ""
        for h in reversed(history):
            hay = " ".join(str(h.get(k) or "") for k in ("role", "description", "name")).lower()
            words = {_singular(w) for w in re.findall(r"[\w’'\-]+", hay)}
            if head and head in words:
                return _as(spk, h)
        if head in ROLE_WORDS and head not in (
            "official",
            "officer",
            "spokesperson",
            "spokesman",
            "spokeswoman",
        ):
            # "the consultant said": the most recent named person
            for h in reversed(history):
                if h["kind"] == "person":
                    return _as(spk, h)
        if spk.get("name"):
            return {**spk, "kind": "organization"}
        if head in INSTITUTION_HEADS:
            return {**spk, "kind": "organization", "name": _ARTICLE_RE.sub("", spk["text"])}
        return {**spk, "kind": "anonymous", "description": spk["text"]}
    return spk


def _as(spk: dict[str, Any], pick: dict[str, Any] | None) -> dict[str, Any] | None:
    if pick is None:
        return None
    if pick.get("kind") == "person" and pick.get("gender") is None and spk.get("gender") in ("m", "f"):
        # the text's own pronoun tells the person's gender from here on ("…,” she added.)
        pick["gender"] = spk["gender"]
    out = dict(pick)
    out["text"] = spk["text"]
    out["start"] = spk["start"]
    out["end"] = spk["end"]
    out["resolved_from"] = spk["text"]
    return out
