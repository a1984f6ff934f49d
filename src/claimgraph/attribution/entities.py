"""Entity mentions of one document: NER labels mapped to claimgraph's types, titles stripped,
acronyms and alternative names defined in the text recorded.

Types: ``person`` (PERSON), ``group`` (ORG/NORP names with words like Brigades, Front, Units, Army,
Militia, Movement), ``organization`` (other ORG), ``location`` (GPE, LOC, FAC). Other labels (dates,
numbers, nationalities without a group word, ...) are not entities.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..model import EntityType
from .lexicon import (
    DASH_AFTER_RE,
    DATELINE_RE,
    GROUP_WORDS,
    LEADING_FUNCTION_WORDS,
    MEDIA_WORDS,
    NO_NOUN_PHRASE_OPENERS,
    TITLE_WORDS,
)
from .sentences import doc_text

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

__all__ = [
    "PARTICLES",
    "PASSES",
    "EntityMention",
    "entity_type",
    "extract_demonyms",
    "extract_mentions",
    "is_acronym",
    "is_legal_form",
    "split_definition",
    "strip_title",
]

_LABELS: dict[str, EntityType] = {
    "PERSON": "person",
    "ORG": "organization",
    "NORP": "group",
    "GPE": "location",
    "LOC": "location",
    "FAC": "location",
}
#: ``Name (Other Name)``; a wire's ticker may stand between the two (``Harlow Motoren AG <HARL.F> (HM)``).
_DEF_RE = re.compile(r"\s*(?:<[A-Z0-9][A-Z0-9.\-]{0,15}>\s*)?\(([^()\n]{1,120})\)")
_SPLIT_RE = re.compile(r"\s+or\s+|\s*[,;/]\s*|\s+also\s+known\s+as\s+|\s+aka\s+", re.I)
_ACRONYM_RE = re.compile(r"^[A-Z][A-Z0-9&\-]{1,9}$")
_NOT_PEOPLE = (
    GROUP_WORDS
    | MEDIA_WORDS
    | frozenset(["ministry", "commission", "agency", "council", "institute", "university", "front"])
)
_WORD_RE = re.compile(r"[\w’'\-]+")


@functools.lru_cache(maxsize=65536)
def is_acronym(name: str) -> bool:
    """``NDF``, ``CGU``, ``ACME``: two to ten capitals/digits, no lower-case letters."""
    return bool(_ACRONYM_RE.match(name.replace(".", "")))


def defines_acronym(name: str, acronym: str) -> bool:
    """Whether ``name`` can be the long form of ``acronym``, by Schwartz and Hearst's test for abbreviation
    definitions ("A simple algorithm for identifying abbreviation definitions in biomedical text", PSB 2003):
    every letter and digit of the acronym occurs in the name in the same order (compared without case, read from
    the right), and its first one opens a word of the name. ``Coastal Guard Units`` defines ``CGU`` and
    ``Securities and Exchange Commission`` ``SEC``; a name the NER model cut short (``Syria`` before "(ISIS)" in
    "the Islamic State of Iraq and Syria (ISIS)") or a company followed by its country (``Halvorsen (UK)``)
    defines nothing."""
    short = [ch.lower() for ch in acronym if ch.isalnum()]
    long_form = name.lower()
    if not short or not long_form:
        return False
    at = len(long_form) - 1
    for k in range(len(short) - 1, -1, -1):
        ch = short[k]
        while at >= 0 and (long_form[at] != ch or (k == 0 and at > 0 and long_form[at - 1].isalnum())):
            at -= 1
        if at < 0:
            return False
        at -= 1
    return True


def entity_type(label: str, name: str) -> EntityType | None:
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
        if (
            part
            and part[0].isupper()
            and len(part.split()) <= 8
            and not _one_letter(part)
            and not _plural_acronym(part)
        ):
            out.append(part)
    return out


@dataclass
class EntityMention:
    """One mention of an entity in one text, as the passes of :func:`extract_mentions` build it."""

    text: str
    name: str
    """``text`` without its title (people) and leading article."""
    start: int
    end: int
    label: str
    type: EntityType
    title: str | None = None
    titled: str | None = None
    """The name with the title that opens it in the text (``French Prime Minister X``)."""
    defined: list[list[str]] = field(default_factory=list)
    """``[other name, rule]`` defined right after it in the text (brackets, ``known as``)."""
    rule: str | None = None
    """How it was found when not by NER: ``repeat``, ``dateline``, ``document-title``, ``known-name``."""
    gender: str | None = None
    """``m``/``f`` from a gendered honorific of this person in the document (``Ms.``, ``Mr.``), else None."""

    def to_dict(self) -> dict[str, Any]:
        """The plain data stored on ``doc._.cg_mentions`` and in the annotation cache."""
        out: dict[str, Any] = {
            "text": self.text,
            "name": self.name,
            "start": self.start,
            "end": self.end,
            "label": self.label,
            "type": self.type,
            "title": self.title,
            "titled": self.titled,
            "defined": [list(d) for d in self.defined],
        }
        if self.rule is not None:
            out["rule"] = self.rule
        if self.gender is not None:
            out["gender"] = self.gender
        return out


def _trimmed(ent: Span) -> tuple[str, int, int] | None:
    """The entity's words without a leading article (non-people; ``a``/``an`` only in lower case: ``a
    Republican Party (GOP)`` has no article in its name, ``A`` may open one), a trailing possessive, a
    bracket (round or angle), a trailing dash or quotation mark, or leading marks (:data:`_LEADING_MARKS_RE`);
    ``None`` when no name is left (no letter, or one letter alone)."""
    surface, start = ent.text, ent.start_char
    if surface[:4].lower() == "the " and ent.label_ != "PERSON":
        surface, start = surface[4:], start + 4
    elif len(ent) > 1 and ent[0].text in ("a", "an"):
        cut = ent[1].idx - ent.start_char
        surface, start = surface[cut:], start + cut
    for suffix in ("'s", "’s"):
        if surface.endswith(suffix) and not _clitic_in_name(ent):
            surface = surface[: -len(suffix)]
    if "(" in surface:
        surface = surface[: surface.index("(")]
    if "<" in surface:
        # wire markup: a company's name in angle brackets with its ticker ("<Velm Bank Ltd <VELB.S>"); no name
        # holds a bracket of either kind
        surface = surface[: surface.index("<")]
    # a dash or a quotation mark the model ran into ("Harlan Voss -", "Dorin Valek '"), or the apostrophe of
    # a plural possessive ("Ilsa Marns'")
    surface = surface.rstrip(_TRAILING_MARKS + ">")
    lead = _LEADING_MARKS_RE.match(surface)
    if lead is not None:
        surface, start = surface[lead.end() :], start + lead.end()
    if not surface or not any(c.isalpha() for c in surface) or _one_letter(surface):
        return None
    return surface, start, start + len(surface)


def _plural_acronym(name: str) -> bool:
    """An acronym with a plural ``s`` (``MPs``, ``NGOs``): the short form of a class of people or things
    ("Members of Parliament (MPs)"), never another name of the entity before the brackets."""
    return len(name) >= 3 and name.endswith("s") and is_acronym(name[:-1])


def _one_letter(name: str) -> bool:
    """A single letter (``P`` of "S and P" cut at ``and``, the pronoun ``I.``): no name, and no other name
    defined in brackets (``(L)`` after a product is its size)."""
    return len(name.rstrip(".")) == 1


#: What :func:`_trimmed` takes off the end of a name.
_TRAILING_MARKS = " \t\n-\u2013\u2014'\u2019\"\u201c\u201d"
#: What it takes off the start: quotation marks (a title quoted in the text, ``“Nightly Report``), dashes
#: and spaces (``-DELHI`` after a dateline), the close of wire markup (``> Co Plc``), and a clitic the tokenizer
#: left before the name (``’s Kestrel``).
#: One apostrophe alone stays (a name may open with one).
_LEADING_MARKS_RE = re.compile(r"^(?:[\s\-\u2013\u2014\"\u201c\u201d\u201e\u2018>]|''|[’']s\s)+")


def _clitic_in_name(ent: Span) -> bool:
    """Whether the ``'s`` that ends an organisation's span is part of its name (a company named for its
    founder: ``Tolliver's said``, ``rated A by Tolliver's and B by ...``), not a possessive. The model puts the
    clitic inside names of this shape, and inside some possessives too (``Velmar Sachs's profit``); a
    possessive is followed by what it possesses, so the clitic stays only where the next word (line breaks
    skipped: wire copy breaks lines mid-sentence) can start no noun phrase: the end of the text, a mark that
    ends a clause (not a quotation mark: a quoted title can be possessed), a finite form of a speech verb of
    the shared vocabulary (``said``, ``says``) or a word of the closed classes in
    :data:`~claimgraph.attribution.lexicon.NO_NOUN_PHRASE_OPENERS`. A
    person's name never ends in ``'s``."""
    if ent.label_ == "PERSON" or ent[-1].lower_ not in ("'s", "’s"):
        return False
    doc = ent.doc
    k = ent.end
    while k < len(doc) and doc[k].is_space:
        k += 1
    if k >= len(doc):
        return True
    after = doc[k]
    if after.is_punct:
        return after.text in _CLAUSE_ENDS
    return after.lower_ in NO_NOUN_PHRASE_OPENERS or after.lower_ in _speech_verb_forms()


#: Marks that end a clause or a bracket: a possessive is never followed by one.
_CLAUSE_ENDS = frozenset([".", ",", ";", ":", "!", "?", ")"])


@functools.cache
def _speech_verb_forms() -> frozenset[str]:
    """Inflected forms of the speech verbs of the shared vocabulary (``said``, ``says``, ``told``), without
    their base form and ``-ing`` forms, which are as often nouns (``a report``, ``a warning``)."""
    from .. import vocab

    lemmas = vocab.lemmas("cue", "SPEECH")
    return frozenset(
        f for f in vocab.forms("cue", "SPEECH") if f not in lemmas and not f.endswith("ing") and " " not in f
    )


_HONORIFICS = frozenset(["mr", "mrs", "ms", "miss", "dr"])


def _person_evidence(doc: Doc, ent: Span, words: list[str]) -> bool:
    """The text itself says a two- or three-word name NER did not call a person is one: an honorific
    before it (``Ms. Ana Ruiz``) or an appositive with a person noun after it (``Ana Ruiz, the
    consultant who ...``, ``Ana Ruiz, a former analyst``). Names with institution words never are."""
    from .lexicon import INSTITUTION_HEADS, PERSON_NOUNS, ROLE_WORDS

    if any(not w[:1].isupper() or w.lower() in _NOT_PEOPLE or w.lower() in INSTITUTION_HEADS for w in words):
        return False
    if ent.start > 0 and doc[ent.start - 1].text.strip(".").lower() in _HONORIFICS:
        return True
    if _appositive_head(doc, ent.end) in (PERSON_NOUNS | ROLE_WORDS):
        return True
    return _bound_pronoun(doc, ent.end) is not None


#: Pronouns that can refer back to the subject of their clause: subject, reflexive and possessive forms
#: (an object ``him``/``her`` names someone else: ``X thanked him``).
_PRONOUN_GENDER = {"he": "m", "his": "m", "himself": "m", "she": "f", "herself": "f", "her": "f"}


def _bound_pronoun(doc: Doc, i: int) -> str | None:
    """``m``/``f`` when the clause right after a name binds a he/she pronoun to it: a verb, then a
    subject, reflexive or possessive pronoun, with no punctuation or other name between (``X said he
    welcomed``, ``X is standing by her findings``; never ``X told her``)."""
    verb = False
    for tok in doc[i : i + 6]:
        if tok.is_punct or tok.ent_type_ or tok.pos_ in ("PROPN", "SCONJ", "CCONJ"):
            return None
        if tok.pos_ in ("VERB", "AUX"):
            verb = True
        elif verb and tok.lower_ in _PRONOUN_GENDER:
            if tok.lower_ == "her" and tok.tag_ != "PRP$":
                return None  # "X told her": an object, another person
            return _PRONOUN_GENDER[tok.lower_]
        elif tok.pos_ == "PRON" or tok.pos_ == "NOUN":
            return None
    return None


def _appositive_head(doc: Doc, i: int) -> str | None:
    """The head noun (lower case) of an appositive opening at token ``i`` (``, the firm's founder,``,
    ``, founder of ...`` -> ``founder``), else ``None``."""
    if i + 1 >= len(doc) or doc[i].text != ",":
        return None
    first = i + 2 if doc[i + 1].pos_ in ("DET", "PRON") else i + 1  # "X, founder of Y" has no article
    head = None
    for tok in doc[first : first + 6]:
        if tok.pos_ == "NOUN":
            head = tok.text.lower()
        elif tok.pos_ not in ("ADJ", "PROPN", "PART", "ADV", "DET", "NUM") or tok.is_punct:
            break
    return head


def _relabel(doc: Doc, ent: Span, surface: str) -> str | None:
    """NER's label corrected from the text around it, or ``None`` when the words are no entity.

    - a lone demonym before a role (``Kenyan journalist X``) is an adjective;
    - a two- or three-word ORG/GPE/NORP name right after an honorific (``Ms. Ana Ruiz``) is a person;
    - a PERSON holding an institution or group word (``Ministry``, ``Brigades``) is an organisation."""
    label = ent.label_
    words = surface.split()
    if len(words) == 1 and _is_state_word(surface) and _before_role(doc, ent.end):
        return None
    if label in ("ORG", "GPE", "NORP") and 2 <= len(words) <= 3 and _person_evidence(doc, ent, words):
        return "PERSON"
    if label == "PERSON" and {w.lower() for w in words} & _NOT_PEOPLE:
        return "ORG"
    return label


def _title_start(doc: Doc, ent: Span) -> int:
    """Index of the first token of the titles and ranks right before ``ent`` (``ent.start`` when none),
    with a demonym or ``Country's`` opening them (``French Prime Minister``, ``France's Prime Minister``)."""
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
        if _is_state_word(doc[k].text):
            k -= 1
        elif doc[k].text in ("'s", "’s") and k > 0 and doc[k - 1].ent_type_ in ("GPE", "LOC"):
            k -= 1  # last token of the place's name
            while k > 0 and doc[k].ent_iob_ == "I":
                k -= 1
            k -= 1
    return k + 1


def _person_title(doc: Doc, text: str, ent: Span, mention: EntityMention) -> bool:
    """Strip the person's title from ``mention`` and record the titled form; ``False`` when nothing but
    a title is left (no person)."""
    name, title = strip_title(mention.text)
    if name.strip(".").lower() in TITLE_WORDS:
        return False
    titled = None
    first = _title_start(doc, ent)
    if first < ent.start:
        before = text[doc[first].idx : mention.start].strip()
        if before:
            title = (before + " " + title) if title else before
            titled = text[doc[first].idx : mention.end]
    elif title:
        titled = mention.text
    mention.name, mention.title, mention.titled = name, title, titled
    return True


@functools.cache
def legal_forms() -> frozenset[str]:
    """Company legal forms (``ltd``, ``sa``, ``gmbh``, ``pty ltd``), lower case: the term table of the PyPI
    package cleanco (``cleanco.termdata``, MIT licence), which lists them by type and country."""
    from cleanco.termdata import terms_by_type

    return frozenset(term.strip() for terms in terms_by_type.values() for term in terms)


def is_legal_form(word: str) -> bool:
    """Whether one word (or two: ``pty ltd``), any case, with or without its dots, is a company's legal form
    (:func:`legal_forms`): ``Ltd``, ``S.A.``, ``CO``."""
    forms = legal_forms()
    low = word.lower()
    return low in forms or low.rstrip(".") in forms or low.replace(".", "") in forms


def _legal_form_follows(text: str, at: int) -> bool:
    """Whether a company's legal form, written with a capital (``Ltd``, ``SA``, ``GmbH``, ``Pty Ltd``), is the
    next word after ``at``: what stands in brackets before it qualifies the company's name (a place, a
    branch: ``(Europe) Ltd``, ``(Holdings) Ltd``) and defines no other name. A lower-case word (``as``, ``da``)
    is read as prose."""
    words = text[at : at + 40].split()[:2]
    if not words or not words[0][:1].isupper():
        return False
    first = words[0].rstrip(",;:)>")  # a wire closes a company's name with ">": "<Velm Credit Ltd>"
    return is_legal_form(first) or is_legal_form(" ".join(words).rstrip(",;:)>"))


def _inline_definition(text: str, mention: EntityMention, dateline: re.Match[str] | None) -> None:
    """``Name (Other Name or ACR)`` right after the mention: the names it defines, unless the brackets
    hold a dateline's agency (``WASHINGTON (AP) —``). A person defined by an acronym is an organisation."""
    at = mention.end
    if text.startswith(">", at):
        at += 1  # the close of a company's name in wire markup: "<Velm Telekom Bhd> (VTB)"
    m = _DEF_RE.match(text, at)
    if m is None:
        return
    if (dateline is not None and m.start(1) == dateline.start("agency")) or (
        # a dateline's agency before its dash: "WASHINGTON (AP) —", "Harlow City, Kansas (KVLM NEWS) –" (a
        # station's name in capitals, not an acronym: "Veloria (VL) – the smallest state" defines one)
        (
            not any(c.islower() for c in mention.text)
            or (not any(c.islower() for c in m.group(1)) and len(m.group(1).split()) >= 2)
        )
        and DASH_AFTER_RE.match(text, m.end())
    ):
        return
    if _legal_form_follows(text, m.end()):
        return  # "Harlow Securities Co (Europe) Ltd", "Velm Credit Asia (Singapore) Ltd": inside a company's name
    # an acronym counts only when the mention, or another name the brackets give, can be its long form
    # (defines_acronym): "al-Difa Brigades (Popular Defence Units or PDU)"
    alts = split_definition(m.group(1))
    from ..reference.places import is_place_name

    if mention.type != "location":
        # a country or capital in brackets after an organisation or a person is where it is ("Warburg and Co
        # (Japan) Ltd", "Halvorsen Hydrocarbons (UK)"), not another name of it
        alts = [a for a in alts if not is_place_name(a)]
    else:
        # another name of a place is a country's or capital's name ("Burma (Myanmar)") or an acronym; any other
        # name in brackets after a place is what is there ("the Commodity Exchange of Harlow City (Harex)") or a
        # credit ("the delta of Veloria (Velm Photo Agency)")
        alts = [a for a in alts if is_acronym(a) or is_place_name(a)]
    longs = [mention.name, *(a for a in alts if not is_acronym(a))]
    alts = [a for a in alts if not is_acronym(a) or any(defines_acronym(name, a) for name in longs)]
    if not alts:
        return
    if mention.type == "person":
        if not any(is_acronym(a) for a in alts):
            return
        mention.type, mention.label = "organization", "ORG"
    for alt in alts:
        if alt != mention.name:
            mention.defined.append([alt, "acronym-defined" if is_acronym(alt) else "alternative-defined"])


_FINITE_VERB_TAGS = frozenset(["VBZ", "VBD", "VBP", "MD"])


@functools.cache
def _reporting_forms() -> frozenset[str]:
    from .. import vocab

    return frozenset().union(*(vocab.forms(name) for name in vocab.NAMES))


#: Words on each side of a name that :func:`_title_case_context` reads.
_CONTEXT_WORDS = 3


def _title_case_context(ent: Span) -> bool:
    """Whether the words around ``ent`` are written in title case (a headline: ``Defence Ministry Denies Camp
    Claims in Report``, or one quoted in a sentence), so that a capital letter says nothing of a name: the
    :data:`_CONTEXT_WORDS` nearest words on each side in its sentence that are not spaCy stop words all start
    with a capital (or there are none: the name is the whole line). In a sentence written in sentence case
    (``arms sent to the Islamic State by mistake``) a capitalised word inside a name is part of the name,
    whatever its tag: verbs are not capitalised there."""
    doc = ent.doc
    around = ent.sent if doc.has_annotation("SENT_START") else doc[:]

    def words(tokens: Any) -> list[str]:
        found = [t.text for t in tokens if not t.is_stop and t.text[:1].isalpha()]
        return found[:_CONTEXT_WORDS]

    before = words(reversed(doc[around.start : ent.start]))
    after = words(doc[ent.end : around.end])
    return all(word[:1].isupper() for word in before + after)


def _headline_cut(ent: Span) -> int | None:
    """Where a name NER ran over a verb ends (``Defence Ministry Denies Camp Claims``, a headline in
    title case, -> before ``Denies``; ``Voss ordered Marn`` -> before ``ordered``): the first token
    after the first that is a finite verb written in lower case, or, in title case
    (:func:`_title_case_context`), a finite verb or a reporting/denial verb form of the shared vocabulary;
    never one that ends a country's or capital's name (``United States``); ``None`` when there is none. In a
    sentence written in sentence case a capitalised word is part of the name (``the Islamic State``, ``the
    Washington Post``, ``the Drudge Report``)."""
    from ..reference.places import is_place_name

    forms = _reporting_forms()
    title_case: bool | None = None  # read once, and only for a capitalised verb or form
    for tok in ent[1:]:
        capital = tok.text[:1].isupper()
        verb = tok.tag_ in _FINITE_VERB_TAGS
        if verb and not capital:
            pass  # a verb in lower case ends a name in any sentence
        elif verb or (capital and tok.lower_ in forms):
            if title_case is None:
                title_case = _title_case_context(ent)
            if not title_case:
                continue  # in sentence case a capitalised word is part of the name
        else:
            continue
        if is_place_name(ent.doc.text[ent.start_char : tok.idx + len(tok.text)]):
            continue  # the word ends a country's or capital's name ("United States"): no verb
        return tok.idx
    return None


#: Tags of a verb form that opens a clause before a name ("Entrusting Donald Trump with ...", "Removing Godane
#: from ...") and that the model ran into the name.
_LEADING_VERB_TAGS = frozenset(["VBG", "VBD", "VBN"])
#: What may stand before a word that opens a sentence or a quoted clause: nothing, a line break, the end of a
#: sentence, a colon or semicolon, and opening quotation marks and spaces after them.
_CLAUSE_OPEN_RE = re.compile(r"(?:^|[\n.!?:;])[\s\"'\u201c\u2018(]*$")


def _leading_verb(ent: Span) -> int | None:
    """Where a person's name starts when its first word is a verb form that opens the sentence (or a quoted clause),
    written with a capital only for the sentence, the next word a capitalised one: ``Entrusting Donald Trump
    with our economic future`` -> ``Donald Trump``. A verb form by the tagger (:data:`_LEADING_VERB_TAGS`)
    where the sentence was tagged (a sentence with a cue: ``claimgraph_cue_parser``), else a form in ``-ing``
    or ``-ed`` that the model's lemmatizer tables take for an inflected verb
    (:func:`~claimgraph.attribution.nlp.english_words`). In a name the tagger tags such a word as a proper
    noun (``Sterling Vane said``); ``None`` otherwise."""
    if ent.label_ != "PERSON" or len(ent) < 2 or not ent[1].text[:1].isupper():
        return None  # companies open with such words ("United Services", "Allied Irish Banks")
    first = ent[0]
    if not first.text[:1].isupper() or not first.text[1:].islower():
        return None
    if first.tag_:
        if first.tag_ not in _LEADING_VERB_TAGS:
            return None
    else:
        word = first.text.lower()
        if not word.endswith(("ing", "ed")) or _lexicon(ent.doc.vocab)(word) != "verb form":
            return None
    text = ent.doc.text
    if _CLAUSE_OPEN_RE.search(text[max(0, ent.start_char - 12) : ent.start_char]) is None:
        return None
    return int(ent[1].idx)


def _lexicon(vocab: Any) -> Callable[[str], str | None]:
    from .nlp import english_words_of

    return english_words_of(vocab) or (lambda word: None)


def _from_entity(doc: Doc, text: str, ent: Span, dateline: re.Match[str] | None) -> EntityMention | None:
    trimmed = _trimmed(ent)
    if trimmed is None:
        return None
    surface, start, end = trimmed
    if "\n" in surface:
        return None  # across a paragraph break ("12 cts\n\nGroup ..."): no name spans two paragraphs
    lead = _leading_verb(ent)
    if lead is not None and start < lead < end:
        surface, start = text[lead:end], lead
    cut = _headline_cut(ent)
    if cut is not None and cut < end:
        surface = text[start:cut].rstrip()
        end = start + len(surface)
        if not any(c.isalpha() for c in surface):
            return None
    label = _relabel(doc, ent, surface)
    if label is None:
        return None
    tail = _partner_tail(text, end)
    if tail is not None and label in ("PERSON", "ORG", "GPE", "NORP"):
        # "Velm Peabody and Co": the model cut a firm's name at "and" and took the partners' names for a
        # person's; the whole name is the company's
        surface, end, label = text[start:tail], tail, "ORG"
    kind = entity_type(label, surface)
    if kind is None or _lower_case_word(surface) or _row_label(doc, text, ent, surface):
        return None
    if _legal_form_only(ent, surface) or (label == "PERSON" and _unit_of_amount(ent)):
        return None
    mention = EntityMention(text=surface, name=surface, start=start, end=end, label=label, type=kind)
    if kind == "person" and not _person_title(doc, text, ent, mention):
        return None
    _inline_definition(text, mention, dateline)
    return mention


#: ``and Co`` / ``& Co.`` / ``and Company`` / ``& Cos`` right after a name: a firm named for its partners.
_PARTNER_TAIL = re.compile(r"[ \t]+(?:and|&)[ \t]+(?:Co|CO|Cos|COS|Company|COMPANY)\b\.?")
#: A legal form written after the partners' ``and Co`` (``and Co Inc``, ``& Co., Ltd.``).
_FORM_AFTER = re.compile(r",?[ \t]+([A-Z][A-Za-z.]*)")


def _partner_tail(text: str, end: int) -> int | None:
    """Where a firm's name ends when ``and Co`` (:data:`_PARTNER_TAIL`) follows the name ending at ``end``, with
    any legal forms after it (``and Co Inc``); ``None`` when none follows."""
    match = _PARTNER_TAIL.match(text, end)
    if match is None:
        return None
    at = match.end()
    while (form := _FORM_AFTER.match(text, at)) is not None and is_legal_form(form.group(1)):
        at = form.end()
    return at


def _row_label(doc: Doc, text: str, ent: Span, surface: str) -> bool:
    """The label of a row of figures (``Revs 88.1 mln vs 91.3 mln``, ``Shr loss two cts vs 11 cts`` in wire
    results tables): the entity opens its line, and the line has two or more figures, no verb and no
    capitalised word but the label's first, and the label is no known place. The model tags such labels
    (often with the first figure) as organisations or people, and each became an entity of hundreds of
    mentions joining unrelated companies' tables. A row naming two parties (``Tolvan United 3 Arvan City 1``)
    or a known place (``Germany 3 1 0``) keeps its names."""
    lo = text.rfind("\n", 0, ent.start_char) + 1
    if text[lo : ent.start_char].strip():
        return False
    hi = text.find("\n", ent.end_char)
    line = doc.char_span(lo, len(text) if hi < 0 else hi, alignment_mode="expand")
    if line is None or len(line) > 15 or sum(1 for t in line if t.like_num) < 2:
        return False
    if sum(1 for t in line if t.is_alpha and not t.is_lower) != 1:
        return False
    if any(t.pos_ in ("VERB", "AUX") for t in line):
        return False
    from ..reference.places import is_place_name

    return not is_place_name(surface)


def _legal_form_only(ent: Span, surface: str) -> bool:
    """A name made only of company legal forms, of two words or more (``Co Inc``, ``CO LTD``), or one after
    ``and``, a capitalised word, or a comma or closing bracket after one (``Stellan Brandt and Co``, ``Velm
    Doherty\nLtd``, ``Velm Petroleos de Orsk, S.A.``, ``Harlow Bank (Europe) SA``): the tail of a company's
    name the model cut off; no entity. Each such tail was otherwise one entity joining
    every ``... and Co`` of a wire corpus. One such word elsewhere may be an abbreviation of another kind
    (``(Ky.)`` for a state) and stays."""
    words = [w.strip(".,;:") for w in surface.split()]
    words = [w for w in words if w]
    if not words or not all(map(is_legal_form, words)):
        return False
    if len(words) > 1:
        return True
    k = ent.start - 1
    while k >= 0 and ent.doc[k].is_space:
        k -= 1  # a name broken across lines ("Velm Doherty\nLtd")
    if k < 0:
        return False
    before = ent.doc[k]
    if before.text in (",", ")") and k > 0:
        # "Velm Petroleos de Orsk, S.A.", "Harlow Bank (Europe) SA": the form closes the name before its comma
        # or bracket. After a comma only a form in capitals: "Louisville, Ky." is a city and its state, and
        # "(Ky.)" opens a bracket and stays
        if before.text == "," and not surface.replace(".", "").isupper():
            return False
        before = ent.doc[k - 1]
        return before.text == ")" or (before.is_alpha and before.text[:1].isupper())
    return before.lower_ in ("and", "&") or (before.is_alpha and before.text[:1].isupper())


def _is_year(tok: Any) -> bool:
    return tok.is_digit and len(tok.text) == 4


def _unit_of_amount(ent: Span) -> bool:
    """Whether a name tagged as a person is the unit of an amount (a currency the model took for a name): it
    follows figures and an amount's word (``45 mln Kestrian Dlrs``, ``16.6 billion Dlrs``; a year is no
    amount: ``in 2016 Ilsa Marn said``) or a sum with a thousands separator (``100,000 Dlrs``)."""
    doc = ent.doc
    k = ent.start - 1
    if k < 1:
        return False
    if _magnitude(doc[k]):
        tok = doc[k - 1]
        return tok.like_num and any(c.isdigit() for c in tok.text) and not _is_year(tok)
    # figures right before the name: only a sum written with a thousands separator, never a time or an
    # hour of a live report (``12.01 Ilsa Marn, the agency's reporter``) or a count (``72 Velmar dolls``)
    return bool(_THOUSANDS.fullmatch(doc[k].text))


_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")


def _magnitude(tok: Any) -> bool:
    """An amount's word after its figures: a number word (``billion``) or a short abbreviation in lower case
    that is no spaCy stop word (``mln``, ``bn``); ``to``, ``in``, ``years`` are not (``paid 300 to Ilsa Marn``)."""
    if not tok.is_alpha or not tok.is_lower:
        return False
    return tok.like_num or (len(tok.text) <= 4 and not tok.is_stop)


def _lower_case_word(surface: str) -> bool:
    """One word written all in lower case (``cts`` for cents in a wire's results table, ``n't``): no name. A
    name is capitalised (``eBay`` and ``al-Qaeda`` have capitals too); the model tags such words in tables and
    fragments. A lower-case name of several words (``the middle east``) is kept: the text's writer chose it."""
    return not any(ch.isspace() for ch in surface) and surface.islower()


def pass_ner(doc: Doc, text: str, mentions: list[EntityMention]) -> None:
    """Pass 1: NER's entities, trimmed, relabelled, titles stripped, inline definitions read."""
    dateline = DATELINE_RE.match(text)
    if dateline is not None and dateline.group("agency") is None:
        dateline = None
    for ent in _title_aware_ents(doc):
        mention = _from_entity(doc, text, ent, dateline)
        if mention is not None:
            mentions.append(mention)


def _is_title_token(tok: Any) -> bool:
    word = tok.text.strip(".").lower()
    return bool(word) and word in TITLE_WORDS


def _opens_name(doc: Doc, i: int) -> bool:
    """Token ``i`` follows its predecessor on the same line, after a space only, and is a capitalised word."""
    if i >= len(doc) or i == 0:
        return False
    prev, tok = doc[i - 1], doc[i]
    return prev.whitespace_ == " " and tok.text[:1].isupper() and tok.text[:1].isalpha()


def _title_aware_ents(doc: Doc) -> list[Span]:
    """NER's entities, where a title word before a name is no entity of its own and does not split the name.

    - an entity made only of title words (title.jsonl ``TITLE``: ``Councillor``, ``Prime Minister``) that
      opens a name (a capitalised word follows on the same line) is dropped: a title is not a person or an
      organisation by itself;
    - a person NER starts after a title and one or two capitalised words it left out (``Councillor
      [Priya] Natt``) starts at those words; the title is then read by :func:`_person_title`;
    - a name ending in a media word after ``the`` and capitalised words NER left out (``told the
      [Ashgrove] Gazette``) is the whole outlet name, an organisation."""
    from spacy.tokens import Span as SpacySpan

    out: list[Span] = []
    for ent in doc.ents:
        if all(_is_title_token(t) for t in ent) and _opens_name(doc, ent.end):
            continue
        start = ent.start
        if ent.label_ == "PERSON":
            k = _name_words_before(doc, start, 2)
            while k < start and _is_title_token(doc[k]):
                k += 1  # the title itself is read by _person_title
            if 0 < k < start and _is_title_token(doc[k - 1]):
                start = k
        label = ent.label
        if ent.label_ in ("PERSON", "ORG") and ent[-1].lower_ in MEDIA_WORDS:
            k = _name_words_before(doc, start, 3)
            if 0 < k < start and doc[k - 1].lower_ == "the":
                start, label = k, doc.vocab.strings.add("ORG")  # "told the [Ashgrove] Gazette": an outlet
        out.append(ent if start == ent.start else SpacySpan(doc, start, ent.end, label=label))
    return out


def _name_words_before(doc: Doc, start: int, most: int) -> int:
    """Where a run of at most ``most`` capitalised words outside any entity, right before token ``start``
    on the same line, begins (``start`` when there is none)."""
    k = start
    while (
        k > 0
        and start - k < most
        and doc[k - 1].ent_iob_ in ("O", "")
        and doc[k - 1].text.istitle()
        and doc[k - 1].is_alpha
        and _opens_name(doc, k)
    ):
        k -= 1
    return k


def pass_dateline(doc: Doc, text: str, mentions: list[EntityMention]) -> None:
    """Pass 2: the dateline's place and agency (:func:`_add_dateline`)."""
    _add_dateline(text, mentions)


def pass_document_titles(doc: Doc, text: str, mentions: list[EntityMention]) -> None:
    """Pass 3: named reports and agreements (:func:`_add_document_titles`)."""
    _add_document_titles(text, mentions)


_KNOWN_AS_RE = re.compile(
    r"\s*,?\s*(?:(?:also|better|formerly|widely|commonly)\s+)?(?:known|called|referred\s+to)\s+as\s+"
    r"(?:the\s+)?[\"“']?(?P<alt>[A-Z][\w’'\-]*(?:\s+(?:[A-Z][\w’'\-]*|al|el|of|the|and|bin|ibn|de|da))*)"
    r"|\s*,\s*also\s+called\s+(?:the\s+)?[\"“']?(?P<alt2>[A-Z][\w’'\-]*(?:\s+[A-Z][\w’'\-]*)*)"
)


def pass_known_as(doc: Doc, text: str, mentions: list[EntityMention]) -> None:
    """Pass 4: ``X, known as Y``, ``X, also called Y``, ``X, better known as Y`` right after a
    non-person mention: ``Y`` is another name of ``X`` (``alternative-defined``, ``acronym-defined``)."""
    for m in mentions:
        if m.type == "person" or m.defined:
            continue
        hit = _KNOWN_AS_RE.match(text, m.end)
        if hit is None:
            continue
        alt = (hit.group("alt") or hit.group("alt2") or "").strip()
        while alt.split() and alt.split()[-1] in ("al", "el", "of", "the", "and", "bin", "ibn", "de", "da"):
            alt = alt.rsplit(None, 1)[0]
        if alt and alt != m.name and (not is_acronym(alt) or defines_acronym(m.name, alt)):
            m.defined.append([alt, "acronym-defined" if is_acronym(alt) else "alternative-defined"])


def pass_known_names(doc: Doc, text: str, mentions: list[EntityMention]) -> None:
    """Pass 5: names of the shipped alias table (:mod:`claimgraph.reference.aliases`) that NER missed,
    found with a spaCy ``PhraseMatcher`` (``Hezbollah`` tagged as nothing, ``al-Shabaab`` as a
    person): a known organisation, group or country where no mention overlaps, or where NER's only
    mention is the same words typed as a person."""
    from ..reference.aliases import phrase_matches

    for start, end, entry in phrase_matches(doc):
        here = [m for m in mentions if m.start < end and start < m.end]
        if here and (
            entry.type == "location"
            or not all(m.start == start and m.end == end and m.type == "person" for m in here)
        ):
            continue
        for m in here:
            mentions.remove(m)
        name = text[start:end]
        label = {"location": "GPE", "group": "ORG", "organization": "ORG"}.get(entry.type, "ORG")
        mentions.append(
            EntityMention(
                text=name, name=name, start=start, end=end, label=label, type=entry.type, rule="known-name"
            )
        )


def pass_repeats(doc: Doc, text: str, mentions: list[EntityMention]) -> None:
    """Pass 6: later bare surnames and defined names NER missed (:func:`_add_repeats`)."""
    _add_repeats(text, mentions)


def pass_gender(doc: Doc, text: str, mentions: list[EntityMention]) -> None:
    """Pass 7: a person's gender from the document's own evidence only: a gendered honorific or title
    (``Ms.``, ``Mr.``, ``spokeswoman``) or a he/she pronoun bound to the name in its clause (``X said
    she``) on any mention whose last word is this person's last word, when the document's evidence for
    that last word agrees. No guess from first names; otherwise unknown."""
    from .speakers import _gender

    evidence: dict[str, set[str]] = defaultdict(set)
    people = [m for m in mentions if m.type == "person"]
    for m in people:
        g = _gender(m.name, m.title)
        if g is None:
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            g = _bound_pronoun(doc, span.end) if span is not None else None
        if g is not None and m.name.split():
            evidence[m.name.split()[-1].casefold()].add(g)
    for m in people:
        found = evidence.get(m.name.split()[-1].casefold(), set()) if m.name.split() else set()
        if len(found) == 1:
            m.gender = next(iter(found))


#: The ordered passes of :func:`extract_mentions`; each reads the document and extends or corrects the
#: mentions found so far.
PASSES: tuple[Callable[[Doc, str, list[EntityMention]], None], ...] = (
    pass_ner,
    pass_dateline,
    pass_document_titles,
    pass_known_as,
    pass_known_names,
    pass_repeats,
    pass_gender,
)


def extract_mentions(doc: Doc) -> list[dict[str, Any]]:
    """Mentions of ``doc`` as plain dicts (:meth:`EntityMention.to_dict`): text, name (title stripped),
    start, end, label, type, title, titled, defined (alternative names given right after it, with their
    rule), rule (when not NER's), gender (when the text tells). Runs :data:`PASSES` in order."""
    mentions: list[EntityMention] = []
    text = doc_text(doc)  # spaCy builds doc.text from the tokens on every access
    for run in PASSES:
        run(doc, text, mentions)
    mentions.sort(key=lambda m: (m.start, m.end))
    return [m.to_dict() for m in mentions]


_TITLE_LEAD = LEADING_FUNCTION_WORDS


#: Name particles (Arabic, Dutch, German, Romance) that may open a surname: ``al-Hakim``, ``bin Laden``,
#: ``van Dijk``, ``da Silva``.
PARTICLES = frozenset(
    ["al", "el", "bin", "ibn", "van", "von", "der", "den", "de", "da", "di", "du", "del", "la", "le"]
)
_PARTICLE_PREFIX_RE = re.compile(r"^(?:al|el|Al|El)[\-‐‑](?=[A-Z])")


def _particle_surnames(words: list[str]) -> list[str]:
    """Shorter written forms of a surname with a particle: ``Ahmad al-Hakim`` -> [``Hakim``];
    ``Osama bin Laden`` -> [``bin Laden``]; ``Anna van Dijk`` -> [``van Dijk``]."""
    out: list[str] = []
    last = words[-1]
    bare = _PARTICLE_PREFIX_RE.sub("", last)
    if bare != last and len(bare) > 2:
        out.append(bare)
    if len(words) >= 3 and words[-2].lower() in PARTICLES:
        out.append(f"{words[-2]} {last}")
    return out


def _mention(
    text: str, name: str, start: int, end: int, label: str, kind: EntityType, rule: str
) -> EntityMention:
    return EntityMention(text=text, name=name, start=start, end=end, label=label, type=kind, rule=rule)


def _add_dateline(text: str, mentions: list[EntityMention]) -> None:
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


def _put_dateline(mentions: list[EntityMention], new: EntityMention, keep: tuple[str, ...] = ()) -> None:
    """The dateline's reading wins over NER's label for the same span (NER calls agencies places),
    except over the types in ``keep``."""
    here = [x for x in mentions if x.start < new.end and new.start < x.end]
    if any(x.start < new.start or x.end > new.end or x.type in keep for x in here):
        return
    for x in here:
        mentions.remove(x)
    mentions.append(new)


def _add_document_titles(text: str, mentions: list[EntityMention]) -> None:
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
        crossing = [m for m in mentions if m.start < end and start < m.end]
        if any((m.start <= start and m.end >= end) or m.start < start or m.end > end for m in crossing):
            continue  # NER named these words already ("MIT Technology Review" is ORG), or cut them elsewhere
        for m in crossing:
            if m.type == "location":
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


def _add_repeats(text: str, mentions: list[EntityMention]) -> None:
    """Mentions NER missed: later bare surnames of people named in full, defined acronyms and names."""
    wanted: dict[str, tuple[EntityType, str]] = {}
    for m in mentions:
        if m.type == "person":
            words = m.name.split()
            if len(words) >= 2 and words[-1][:1].isupper() and len(words[-1]) > 2:
                wanted.setdefault(words[-1], ("person", "PERSON"))
                for short in _particle_surnames(words):
                    wanted.setdefault(short, ("person", "PERSON"))
        else:
            for alt, _rule in m.defined:
                wanted.setdefault(alt, (m.type, m.label))
            if is_acronym(m.name):
                wanted.setdefault(m.name, (m.type, m.label))
    if not wanted:
        return
    taken = [(m.start, m.end) for m in mentions]
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
        mentions.append(_mention(hit.group(0), hit.group(0), s, e, label, kind, "repeat"))
        taken.append((s, e))
