"""Who is speaking: classify a speaker phrase and resolve pronouns and descriptions to earlier speakers.

A speaker phrase (the subject of a reporting verb, the object of ``according to``) becomes a dict:

``kind``: ``person`` | ``organization`` | ``anonymous`` | ``document`` (final kinds), or ``pronoun`` |
``description`` (to resolve: ``he``, ``the official``); ``name`` (entity surface, title stripped) with
``name_start``/``name_end``; ``role`` as written near the name; ``description`` (anonymous sources,
as written); ``affiliation`` (an organisation named in the phrase); ``gender`` (``m``/``f``/None).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
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
from .truecase import opens_sentence

__all__ = ["PASSES", "Phrase", "classify_speaker", "resolve_speaker", "split_role"]

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


@dataclass
class Phrase:
    """A speaker phrase as the passes of :func:`classify_speaker` see it (trimmed, with what lies inside)."""

    text: str
    start: int
    end: int
    inside: list[dict[str, Any]]
    head: str | None
    #: the record being built: ``text``/``start``/``end``/``role``/``description``/``affiliation`` so far
    out: dict[str, Any] = field(default_factory=dict)

    @property
    def phrase(self) -> str:
        return self.text[self.start : self.end]

    @property
    def words(self) -> list[str]:
        return self.phrase.split()

    @property
    def first(self) -> str:
        return self.words[0].lower()

    @property
    def guess(self) -> str:
        """The head word guessed from the text (last word before a relative clause or preposition)."""
        return _head_guess(self.phrase).lower()

    @property
    def head_word(self) -> str:
        return (self.head or _head_guess(self.phrase)).lower()

    def of_type(self, *types: str) -> list[dict[str, Any]]:
        return [m for m in self.inside if m["type"] in types]


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in ',;:—–-"“”'):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ',;:—–-"“”'):
        end -= 1
    return start, end


def _person_pass(p: Phrase) -> dict[str, Any] | None:
    """A person named in the phrase speaks; the words before it (or an appositive after a comma) give the
    role or a description, an organisation named after the name's start the affiliation."""
    text, start, end = p.text, p.start, p.end
    persons = p.of_type("person")
    guess0 = p.guess
    # "a report by X": the document, not its author, is the head
    if (
        persons
        and (p.head or "").lower() in DOCUMENT_HEADS | {guess0}
        and guess0 in DOCUMENT_HEADS
        and start + p.phrase.lower().find(guess0) < persons[0]["start"]
    ):
        persons = []
    if not persons:
        return None
    out = p.out
    m = persons[0]
    dash = max(text.rfind("—", start, m["start"]), text.rfind(" – ", start, m["start"]))
    if dash >= 0:
        start = dash + 1
        while text[start].isspace():
            start += 1
        out.update(text=text[start:end], start=start)
    before = _clean(text[start : m["start"]])
    after = _clean(text[m["end"] : end])
    role = m.get("title") or None
    description = None
    if before:
        role, description = split_role(before)
        role = role or m.get("title")
    elif after and text[m["end"] : end].lstrip().startswith(","):
        role, description = split_role(after)
    out["description"] = description
    # "a former NATO intelligence officer": a past tie is not an affiliation
    orgs = [
        o
        for o in p.of_type("organization", "group")
        if o["start"] >= start and not former_tie(text[start : o["start"]])
    ]
    out.update(
        kind="person",
        name=m["name"],
        name_start=m["start"] + (len(m["text"]) - len(m["name"])),
        name_end=m["end"],
        role=role or None,
        affiliation=orgs[0]["name"] if orgs else None,
    )
    out["gender"] = _gender(m["name"], role) or m.get("gender")
    return out


def _pronoun_pass(p: Phrase) -> dict[str, Any] | None:
    """``he``, ``they``: to be resolved to an earlier speaker."""
    low = p.phrase.lower()
    if len(p.words) == 1 and low in PRONOUNS:
        p.out.update(kind="pronoun", gender=PRONOUNS[low])
        return p.out
    return None


def _document_pass(p: Phrase) -> dict[str, Any] | None:
    """``the 2025 Annual Report``, ``a report by the Halden Institute``, ``a study``: a named document, its
    author, or an anonymous document."""
    head_word, guess = p.head_word, p.guess
    if head_word not in DOCUMENT_HEADS and guess not in DOCUMENT_HEADS:
        return None
    out, phrase, start = p.out, p.phrase, p.start
    doc_head = head_word if head_word in DOCUMENT_HEADS else guess
    title_words = []
    for w in p.words:
        title_words.append(w)
        if w.lower().strip(",") == doc_head:
            break
    title = " ".join(title_words).rstrip(",")
    named = any(w[:1].isupper() or w[:1].isdigit() for w in title_words[1:])
    by = re.search(r"(?<!seen )(?<!obtained )(?<!viewed )\bby\s+(?:the\s+)?", phrase)
    authors = [
        m for m in p.inside if by is not None and m["start"] >= start + by.end() and m["type"] != "location"
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


def _spokesperson_pass(p: Phrase) -> dict[str, Any] | None:
    """``a ministry spokesperson``: the organisation speaks, through its spokesperson."""
    if _singular(p.head_word) != "spokesperson" or p.first in ("the", "this", "that"):
        return None
    orgs = p.of_type("organization", "group", "location")
    if not orgs:
        return None
    o = orgs[-1]
    p.out.update(
        kind="organization", name=o["name"], name_start=o["start"], name_end=o["end"], role="spokesperson"
    )
    return p.out


def _person_noun_pass(p: Phrase) -> dict[str, Any] | None:
    """``the official`` (a description to resolve), ``two officials familiar with the talks`` (anonymous)."""
    head_word = p.head_word
    if _singular(head_word) not in PERSON_NOUNS and head_word not in PERSON_NOUNS:
        return None
    phrase = p.phrase
    simple = "," not in phrase and " who " not in phrase and " familiar " not in phrase
    if p.first in ("the", "this", "that") and simple:
        p.out.update(kind="description", head=_singular(head_word))
    else:
        orgs = [m for m in p.of_type("organization", "group") if not former_tie(p.text[p.start : m["start"]])]
        p.out.update(kind="anonymous", description=phrase, affiliation=orgs[0]["name"] if orgs else None)
    return p.out


def _organisation_pass(p: Phrase) -> dict[str, Any] | None:
    """An organisation, group or place named in the phrase speaks (the last one named), unless the phrase
    is an indefinite description that only names it in a modifier: ``a blog linked to Isis``, ``an arm of
    the Halden Group`` are unnamed sources tied to the organisation, not the organisation itself."""
    orgs = p.of_type("organization", "group", "location")
    if not orgs:
        return None
    if _indefinite_before(p, orgs[0]["start"]) and not _agent(p, orgs[0]):
        tied = [m for m in p.of_type("organization", "group") if not former_tie(p.text[p.start : m["start"]])]
        p.out.update(kind="anonymous", description=p.phrase, affiliation=tied[0]["name"] if tied else None)
        return p.out
    o = orgs[-1]
    p.out.update(kind="organization", name=o["name"], name_start=o["start"], name_end=o["end"])
    return p.out


def _indefinite_before(p: Phrase, name_start: int) -> bool:
    """Whether the phrase opens with ``a``/``an`` and a word in lower case before the first name in it
    (``a blog linked to ...``; not ``an Acme unit``, whose first word after the article is the name's)."""
    words = p.text[p.start : name_start].split()
    return len(words) >= 2 and words[0].lower() in ("a", "an") and words[1][:1].islower()


_BY_RE = re.compile(r"\bby\s+(?:the\s+)?$", re.I)
_FROM_RE = re.compile(r"\bfrom\s+(?:the\s+)?$", re.I)


def _agent(p: Phrase, name: dict[str, Any]) -> bool:
    """Whether the phrase names ``name`` as the one who made or sent what speaks: ``a transcript released by
    X``, ``an investigation by X`` (any name), ``a statement from X`` (an organisation; ``a student from
    <place>`` is no word of the place)."""
    before = p.text[p.start : name["start"]]
    return bool(_BY_RE.search(before)) or (
        name["type"] in ("organization", "group") and bool(_FROM_RE.search(before))
    )


def _institution_pass(p: Phrase) -> dict[str, Any] | None:
    """``the ministry`` (a description to resolve), ``Interior Ministry`` (a named organisation)."""
    head_word = p.head_word
    if head_word not in INSTITUTION_HEADS and _singular(head_word) not in INSTITUTION_HEADS:
        return None
    name = _ARTICLE_RE.sub("", p.phrase)
    if p.first == "the" and len(p.words) <= 3:
        p.out.update(kind="description", head=_singular(head_word), name=name if name[:1].isupper() else None)
    elif name[:1].isupper():
        p.out.update(kind="organization", name=name, name_start=p.end - len(name), name_end=p.end)
    else:
        p.out.update(kind="description", head=_singular(head_word), name=None)
    return p.out


def _capitalised_pass(p: Phrase) -> dict[str, Any] | None:
    """A short capitalised phrase NER missed is taken as an organisation's name."""
    words = p.words
    capitalised = [i for i, w in enumerate(words) if w[:1].isupper()]
    if not (capitalised and len(words) <= 6 and p.first not in _FIRST_PERSON):
        return None
    if capitalised == [0] and _sentence_case_only(p.text, p.start, words[0]):
        return None  # "Critics", "Others", "Supporters of the mayor": capitalised for the sentence only
    name = _ARTICLE_RE.sub("", p.phrase)
    p.out.update(kind="organization", name=name, name_start=p.end - len(name), name_end=p.end)
    return p.out


def _sentence_case_only(text: str, start: int, word: str) -> bool:
    """Whether ``word`` at ``start`` is capitalised only because it opens a sentence: it does, and ``text``
    never writes it capitalised anywhere else where no sentence opens (the document's own casing, as
    :mod:`.truecase` reads it: ``Frontex`` inside a sentence elsewhere is a name NER missed)."""
    if not opens_sentence(text, start):
        return False
    bare = word.strip(",.;:!?\"'“”‘’()")
    if not bare:
        return True
    for m in re.finditer(r"(?<![\w\-])" + re.escape(bare) + r"(?![\w\-])", text):
        if m.start() != start and not opens_sentence(text, m.start()):
            return False
    return True


def _anonymous_pass(p: Phrase) -> dict[str, Any] | None:
    """Anything else is an anonymous source described as written; first and second person never are
    (phrases made only of function words never reach the passes: see :func:`_fragment`)."""
    if p.first in _FIRST_PERSON:
        return None
    p.out.update(kind="anonymous", description=p.phrase)
    return p.out


_FIRST_PERSON = frozenset(["i", "we", "you"])
#: Words that never make a speaker on their own or together: relative pronouns, determiners, pronouns,
#: forms of *be* ("who", "that the", "it a", "he is": fragments of a misparsed subject).
_FUNCTION_WORDS = frozenset(
    [
        "who",
        "whom",
        "whose",
        "which",
        "that",
        "this",
        "these",
        "those",
        "what",
        "there",
        "it",
        "the",
        "a",
        "an",
        "is",
        "was",
        "are",
        "were",
        "be",
        "been",
        "he",
        "she",
        "they",
        "we",
        "i",
        "you",
        "his",
        "her",
        "its",
        "their",
        "him",
        "them",
        "me",
        "us",
        "my",
        "our",
        "your",
    ]
)


def _fragment(words: list[str]) -> bool:
    """True for a phrase made only of function words (a lone pronoun is left to :func:`_pronoun_pass`)."""
    low = [w.lower().strip(",.;:") for w in words]
    if len(low) == 1 and low[0] in PRONOUNS:
        return False
    return all(w in _FUNCTION_WORDS for w in low)


#: The passes of :func:`classify_speaker`, in order; the first that returns a record decides.
PASSES: tuple[Callable[[Phrase], dict[str, Any] | None], ...] = (
    _person_pass,
    _pronoun_pass,
    _document_pass,
    _spokesperson_pass,
    _person_noun_pass,
    _organisation_pass,
    _institution_pass,
    _capitalised_pass,
    _anonymous_pass,
)


def classify_speaker(
    text: str, start: int, end: int, mentions: list[dict[str, Any]], head: str | None = None
) -> dict[str, Any] | None:
    """Classify the phrase ``text[start:end]``; ``head`` is its head word when a parse gave one.

    The phrase is trimmed and run through :data:`PASSES` in order; the first pass that recognises it
    returns the speaker record (``None``: no speaker, e.g. a first-person phrase or a lone relative pronoun).
    """
    start, end = _trimmed(text, start, end)
    if end <= start:
        return None
    p = Phrase(
        text=text,
        start=start,
        end=end,
        inside=[m for m in mentions if m["start"] >= start and m["end"] <= end],
        head=head,
    )
    if _fragment(p.words):
        return None
    p.out = {
        "text": p.phrase,
        "start": start,
        "end": end,
        "role": None,
        "description": None,
        "affiliation": None,
    }
    for pass_ in PASSES:
        found = pass_(p)
        if found is not None:
            return found
    return None


def split_role(phrase: str) -> tuple[str | None, str | None]:
    """Split an appositive or pre-name phrase into ``(role, description)``.

    A role is a short title-like phrase (<= 8 words, holding a role or title word, not a clause):
    ``a consultant`` -> ``consultant``, ``founder of Brandt Consulting``, ``French Prime Minister``.
    A relative clause (``whose agency ran the survey``) or a long description is returned as
    ``description`` (as written); ``the analyst who led the audit`` gives both.
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
