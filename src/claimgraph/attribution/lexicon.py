"""Word lists used by the attribution rules (plain data, cheap to import).

Cue, hedge, booster, conditional, refusal and title words live in the shared vocabulary
(``claimgraph/vocab/data/*.jsonl``); the names below read them from there, so attribution and claims use
one list. Everything is lower-case. A cue that is not listed is not recognised; adding one is a one-line
change to a JSONL file.
"""

from __future__ import annotations

import re

from .. import vocab

__all__ = [
    "ANON_DETERMINERS",
    "BOOSTERS",
    "CONDITIONALS",
    "CUE_VERBS",
    "DASH_AFTER_RE",
    "DATELINE_RE",
    "DOCUMENT_HEADS",
    "DOCUMENT_TITLE_GENERIC",
    "DOCUMENT_TITLE_RE",
    "FORMER_RE",
    "GROUP_WORDS",
    "HEDGES",
    "INSTITUTION_HEADS",
    "PERSON_NOUNS",
    "PRONOUNS",
    "REFUSAL_RE",
    "ROLE_WORDS",
    "STATE_ROLE_WORDS",
    "TITLE_WORDS",
    "dateline_end",
    "former_tie",
]

#: Reporting verbs and nouns that introduce speech. ``according`` is handled as ``according to``.
CUE_VERBS: frozenset[str] = frozenset(
    [
        "say",
        "says",
        "said",
        "saying",
        "tell",
        "tells",
        "told",
        "add",
        "adds",
        "added",
        "note",
        "notes",
        "noted",
        "warn",
        "warns",
        "warned",
        "state",
        "states",
        "stated",
        "explain",
        "explains",
        "explained",
        "argue",
        "argues",
        "argued",
        "claim",
        "claims",
        "claimed",
        "insist",
        "insists",
        "insisted",
        "believe",
        "believes",
        "believed",
        "report",
        "reports",
        "reported",
        "write",
        "writes",
        "wrote",
        "suggest",
        "suggests",
        "suggested",
        "acknowledge",
        "acknowledges",
        "acknowledged",
        "confirm",
        "confirms",
        "confirmed",
        "deny",
        "denies",
        "denied",
        "allege",
        "alleges",
        "alleged",
        "assert",
        "asserts",
        "asserted",
        "stress",
        "stresses",
        "stressed",
        "maintain",
        "maintains",
        "maintained",
        "contend",
        "contends",
        "contended",
        "announce",
        "announces",
        "announced",
        "describe",
        "describes",
        "described",
        "call",
        "calls",
        "called",
        "estimate",
        "estimates",
        "estimated",
        "think",
        "thinks",
        "thought",
        "predict",
        "predicts",
        "predicted",
        "observe",
        "observes",
        "observed",
        "recall",
        "recalls",
        "recalled",
        "conclude",
        "concludes",
        "concluded",
        "reveal",
        "reveals",
        "revealed",
        "emphasise",
        "emphasises",
        "emphasised",
        "emphasize",
        "emphasizes",
        "emphasized",
        "caution",
        "cautions",
        "cautioned",
        "indicate",
        "indicates",
        "indicated",
        "show",
        "shows",
        "showed",
        "calling",
        "describing",
        "according",
    ]
)

#: Cues that make the statement itself less certain (``X believes …``, ``reports suggest …``).
HEDGING_CUES: frozenset[str] = vocab.forms("hedge", "HEDGING_CUE")

#: Refusals to speak: the statement's stance is ``declines``.
#: Refusals to speak (the statement's stance is ``declines``): the refusing-verb patterns of ``refusal.jsonl``
#: and the auxiliary-led ones of ``nonanswer.jsonl`` (``would not say``, ``could not be reached for comment``).
REFUSAL_RE: re.Pattern[str] = re.compile(
    f"{vocab.regex('refusal', 'DECLINE').pattern}|{vocab.regex('nonanswer', 'DECLINE').pattern}", re.I
)

PRONOUNS: dict[str, str] = {
    "he": "m",
    "she": "f",
    "they": "p",
    "it": "n",
    "we": "p",
    "i": "s",
}

#: Nouns naming people as sources: ``the official``, ``one diplomat``.
PERSON_NOUNS: frozenset[str] = frozenset(
    [
        "official",
        "officials",
        "source",
        "sources",
        "diplomat",
        "diplomats",
        "officer",
        "officers",
        "spokesperson",
        "spokesman",
        "spokeswoman",
        "spokespeople",
        "analyst",
        "analysts",
        "expert",
        "experts",
        "person",
        "people",
        "insider",
        "insiders",
        "aide",
        "aides",
        "adviser",
        "advisers",
        "advisor",
        "advisors",
        "minister",
        "ministers",
        "commander",
        "commanders",
        "member",
        "members",
        "resident",
        "residents",
        "witness",
        "witnesses",
        "researcher",
        "researchers",
        "investigator",
        "investigators",
        "consultant",
        "consultants",
        "employee",
        "employees",
        "staff",
        "staffer",
        "staffers",
        "lawmaker",
        "lawmakers",
    ]
)

#: Determiners that introduce an anonymous, not-yet-known source.
ANON_DETERMINERS: frozenset[str] = frozenset(
    ["a", "an", "one", "some", "two", "three", "several", "many", "few", "other", "another", "senior"]
)

#: Heads of noun phrases naming institutions.
INSTITUTION_HEADS: frozenset[str] = frozenset(
    [
        "ministry",
        "commission",
        "agency",
        "office",
        "council",
        "department",
        "government",
        "army",
        "police",
        "committee",
        "authority",
        "authorities",
        "service",
        "services",
        "embassy",
        "secretariat",
        "court",
        "parliament",
        "cabinet",
        "directorate",
        "command",
        "bureau",
        "institute",
        "center",
        "centre",
        "organisation",
        "organization",
        "company",
        "firm",
        "group",
        "alliance",
        "union",
        "movement",
        "front",
        "party",
        "coalition",
        "administration",
        "presidency",
        "military",
        "navy",
    ]
)

#: Heads of noun phrases naming documents (reports cited as sources).
DOCUMENT_HEADS: frozenset[str] = frozenset(
    [
        "report",
        "reports",
        "study",
        "studies",
        "assessment",
        "assessments",
        "document",
        "documents",
        "memo",
        "memos",
        "paper",
        "papers",
        "review",
        "survey",
        "analysis",
        "dossier",
        "briefing",
        "cable",
        "cables",
        "estimate",
        "audit",
        "filing",
        "filings",
    ]
)

#: Words that make an ORG/NORP name an armed or political group.
GROUP_WORDS: frozenset[str] = frozenset(
    [
        "brigade",
        "brigades",
        "front",
        "units",
        "unit",
        "army",
        "militia",
        "militias",
        "movement",
        "battalion",
        "battalions",
        "regiment",
        "legion",
        "guard",
        "guards",
        "faction",
        "factions",
        "rebels",
        "insurgents",
        "jihad",
        "mujahideen",
        "liberation",
        "resistance",
        "forces",
        "force",
        "squadron",
        "cell",
        "cells",
        "network",
        "party",
    ]
)

#: Titles and ranks stripped from the front of person names (lower-case, without dots).
TITLE_WORDS: frozenset[str] = frozenset(vocab.phrases("title", "TITLE"))

#: Role words looked for next to a name ("consultant", "spokesperson", ...).
ROLE_WORDS: frozenset[str] = frozenset(
    [
        "consultant",
        "spokesperson",
        "spokesman",
        "spokeswoman",
        "expert",
        "analyst",
        "researcher",
        "founder",
        "director",
        "minister",
        "president",
        "commander",
        "official",
        "officer",
        "ambassador",
        "adviser",
        "advisor",
        "journalist",
        "reporter",
        "editor",
        "professor",
        "lecturer",
        "chief",
        "head",
        "chairman",
        "chairwoman",
        "ceo",
        "secretary",
        "general",
        "major",
        "colonel",
        "lieutenant",
        "captain",
        "sergeant",
        "admiral",
        "governor",
        "senator",
        "author",
        "correspondent",
        "fellow",
    ]
)

HEDGES: tuple[str, ...] = vocab.phrases("hedge", "HEDGE")

BOOSTERS: tuple[str, ...] = vocab.phrases("hedge", "BOOSTER")

CONDITIONALS: tuple[str, ...] = vocab.phrases("hedge", "CONDITIONAL")

#: Words saying that a role, description or organisation acts for a state, so a demonym or a
#: ``Country's`` next to them ties the source to that country (``a French official``,
#: ``French Foreign Ministry``); a ``French journalist`` is not tied to France.
STATE_ROLE_WORDS: frozenset[str] = frozenset(
    [
        "official",
        "officials",
        "minister",
        "ministers",
        "ministry",
        "government",
        "president",
        "premier",
        "chancellor",
        "ambassador",
        "embassy",
        "diplomat",
        "diplomats",
        "spokesperson",
        "spokesman",
        "spokeswoman",
        "army",
        "navy",
        "military",
        "forces",
        "police",
        "guard",
        "parliament",
        "cabinet",
        "officer",
        "officers",
        "commander",
        "general",
        "governor",
        "senator",
        "secretary",
        "authorities",
        "intelligence",
        "office",
        "department",
    ]
)

#: Markers of a past tie: ``a former NATO officer``, ``ex-NDF commander``, ``who served in NATO``,
#: ``a consultancy formerly run by X``. An organisation or state after one of these (in the same clause)
#: is not an affiliation; the role text keeps the word (``former NATO intelligence officer``).
FORMER_RE = re.compile(
    r"\b(?:ex-|(?:former(?:ly)?|one-?time|erstwhile|retired|previously|once|until\s+recently|"
    r"who\s+(?:had\s+)?(?:once\s+|previously\s+|formerly\s+)?(?:served|worked))\b)",
    re.IGNORECASE,
)
#: Where a new clause starts: a past-tie marker before it does not reach the words after it
#: (``a former army colonel who is now a lecturer at Makerere University``).
_CLAUSE_RE = re.compile(r"[,;:]|[.!?]\s|\s[—–]\s|\b(?:who|whose|which|and|but|now|currently)\b", re.I)


def former_tie(prefix: str) -> bool:
    """Whether ``prefix`` (the words right before an organisation's or state's name) describes a past tie.

    Only the last clause of ``prefix`` counts: ``a former colonel who now lectures at`` is a present tie.
    """
    cut = 0
    for m in _CLAUSE_RE.finditer(prefix):
        cut = m.start()
    return bool(FORMER_RE.search(prefix, cut))


#: Named documents and agreements: an optional year, one to six capitalised words (``of``/``on``/
#: ``for``/``and`` may join them) and a document head (``2025 Annual Threat Report``,
#: ``2015 Paris Agreement``, ``Nile Basin Agreement``). Type ``other``.
DOCUMENT_TITLE_RE = re.compile(
    r"(?<![\w\-])(?:(?:19|20)\d{2}\s+)?(?:[A-Z][\w’'\-]*\s+(?:(?:of|on|for|and|the)\s+)?){1,6}"
    r"(?:Report|Accords?|Agreement|Treaty|Review|Assessment|Convention|Protocol|Charter|Declaration|"
    r"Memorandum|White\s+Paper|Communiqu[eé])(?![\w\-])"
)
#: Head words of news outlets' names (``The Miami Herald``, ``Malta Today``): never people.
MEDIA_WORDS: frozenset[str] = frozenset(
    [
        "herald",
        "gazette",
        "post",
        "times",
        "today",
        "daily",
        "news",
        "observer",
        "brief",
        "tribune",
        "journal",
        "radio",
        "wire",
    ]
)

#: Determiners, possessives and prepositions that may open a phrase before a name or a title.
LEADING_FUNCTION_WORDS: frozenset[str] = frozenset(
    {"the", "a", "an", "this", "that", "these", "those", "its", "their", "his", "her", "our", "your"}
    | {"in", "on", "at", "of", "for", "by", "and", "last", "next", "each", "every"}
)

#: Closed classes of English that never open a noun phrase, so never follow a possessive: coordinating
#: conjunctions, auxiliaries and modals, prepositions (``Tolliver's will``, ``by Tolliver's and``, ``from
#: Tolliver's in 1995``: the clitic is part of a company's name; :func:`.entities._clitic_in_name`). A
#: determiner or adjective (``first``, ``own``) may open the possessed noun phrase and is not here.
NO_NOUN_PHRASE_OPENERS: frozenset[str] = frozenset(
    {"and", "or", "but", "nor"}
    | {"will", "would", "shall", "should", "may", "might", "can", "could", "must"}
    | {"is", "was", "are", "were", "has", "had", "have", "does", "did"}
    | {"in", "on", "at", "to", "for", "with", "by", "from", "of", "into", "over", "under", "after", "before"}
    | {"since", "during", "about", "against"}
)

#: Words that may open a document title without naming it (``The Report``, ``the Annual Report``):
#: a title needs a year or a capitalised word outside these.
DOCUMENT_TITLE_GENERIC: frozenset[str] = LEADING_FUNCTION_WORDS | frozenset(
    [
        "annual",
        "final",
        "interim",
        "full",
        "special",
        "latest",
        "first",
        "second",
        "third",
        "quarterly",
        "monthly",
        "weekly",
        "independent",
        "official",
        "internal",
        "public",
        "joint",
        "new",
        "draft",
        "secret",
        "classified",
        "leaked",
    ]
)


#: A dateline opening a text: ``LYON, Nov 12 (Reuters) —``, ``KHARTOUM —``, ``TARTU, Estonia
#: (Reuters) —``, ``KUWAIT CITY -- ``: an all-capitals place of one to four words, an optional region, an
#: optional date and an optional agency in brackets, then an em/en dash, a hyphen or two hyphens and a space.
#: Used by the entities (place and agency) and by the statements (which start after it).
DATELINE_RE = re.compile(
    r"\A\s*(?P<place>[A-Z][A-Z.'’\-]+(?: [A-Z][A-Z.'’\-]+){0,3})"
    r"(?:,\s*[A-Z][A-Za-z.]*(?: [A-Z][A-Za-z.]*){0,2})?"  # a region: ", Texas", ", St. Louis"
    r"(?P<date>,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?)?"
    r"\s*(?:\(\s*(?P<agency>[A-Z][\w&.’'\- ]{1,40}?)\s*\))?\s*[—–-]{1,2}\s"
)
#: The dash that closes a dateline (``WASHINGTON (AP) —`` also mid-text).
DASH_AFTER_RE = re.compile(r"\s*[—–-]{1,2}\s")


def dateline_end(text: str) -> int:
    """Where the words after a dateline opening ``text`` begin (0 without a dateline):
    ``"LYON — France has …"`` -> the offset of ``France``. ``NATO said …`` has none."""
    m = DATELINE_RE.match(text)
    if m is None:
        return 0
    end = m.end()
    while end < len(text) and text[end].isspace():
        end += 1
    return end
