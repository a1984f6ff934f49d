"""Entity resolution within a document and across the corpus.

Rules, each recorded as the alias's ``rule``:

- ``mention``: the same normalised name (case, hyphens, apostrophes, accents, a leading ``the``
  ignored: ``al-Nusra`` = ``Al Nusra``, ``O’Brien`` = ``O'Brien``) -> one entity (``variant`` when the
  surface differs from the canonical name only that way);
- ``title``: titles and ranks stripped before matching (``Maj. Ana Ruiz`` -> ``Ana Ruiz``);
- ``surname``: a one-word person name joins the full name of the *same document* whose last word it
  is; across documents only when exactly one full name in the corpus has that last word; never an
  initialism (``V.U.`` is not ``Han Sol Vu``, :class:`Initialisms`);
- ``acronym-defined`` / ``alternative-defined``: ``Name (ACR)``, ``Name (Other Name or ACR)`` in the text;
- ``acronym-initials``: an all-capitals name joins the one organisation/group whose initials it spells
  (same document first, then the corpus: there only an acronym of three letters or more and a name written
  in capitals that ends in no legal form; never when two match);
- ``middle-initial``: a full person name with middle initials joins the same name without them
  (:func:`pass_middle_initials`);
- ``legal-form``: a company's names that differ only in the legal forms closing them (``Velm Peabody``,
  ``Velm Peabody and Co Inc``) are one (:func:`pass_legal_forms`);
- ``fuzzy``: people only, same number of words, same last word, other words each with equal
  consonant skeleton and rapidfuzz ratio >= 80 (``Mohammad`` / ``Muhammad``); never for places,
  organisations or one-word names (``Iran`` / ``Iraq`` stay apart); never two full names that
  occur side by side in one document.
"""

from __future__ import annotations

import operator
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..model import Alias, Entity, EntityType, Mention, Part, stable_id
from .entities import PARTICLES, is_acronym, is_legal_form
from .lexicon import GROUP_WORDS, MEDIA_WORDS

__all__ = [
    "PASSES",
    "EntityIndex",
    "MentionRecord",
    "ResolutionState",
    "build_index",
    "normalize",
    "plain_form",
    "resolve_entities",
    "same_person_spelling",
    "skeleton",
]

_STOP = frozenset(["of", "the", "and", "for", "de", "du", "la", "le", "al", "el", "des", "in", "on"])
FUZZY_RATIO = 80.0
_LABEL_OF: dict[str, str] = {"person": "PERSON", "location": "GPE", "organization": "ORG", "group": "ORG"}


_POSSESSIVE_END = re.compile(r"'s$")
_DASHES = re.compile(r"[\-‐‑–—_/]+")
_SPACES = re.compile(r"\s+")


#: A capital, a lower-case letter and a dot: a two-letter abbreviation (``La.``, ``Md.``, ``Mo.``), whose key
#: keeps its dot, for two capitals are an acronym (``LA``, ``MD``, ``MO``). Longer abbreviations (``Calif.``,
#: ``Colo.``) keep the general key: a dotless ``Colo`` or ``Tenn`` is the same name (measured on the
#: 10,000-document scale store, 2026-12-05: with the dot kept up to five letters they split off).
_ABBREVIATION = re.compile(r"[A-Z][a-z]\.")


@lru_cache(maxsize=65536)
def normalize(name: str) -> str:
    """Matching key: accents, case, apostrophes, hyphens, dots and a leading ``the`` ignored; except that an
    abbreviation of two letters written with a capital, a lower-case letter and a dot (:data:`_ABBREVIATION`:
    ``La.``, ``Md.``) keeps its dot, so it is not the acronym of the same letters (``L.A.``, ``LA``, ``MD``)."""
    if _ABBREVIATION.fullmatch(name):
        return name.casefold()
    if name.isascii():
        s = name  # NFKD leaves ASCII as it is, and ASCII has no combining mark
    else:
        s = unicodedata.normalize("NFKD", name)
        s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.casefold().replace("’", "'").replace("‘", "'").replace("`", "'")
    s = _POSSESSIVE_END.sub("", s)
    s = s.replace("'", "").replace(".", "")
    s = _DASHES.sub(" ", s)
    s = _SPACES.sub(" ", s).strip()
    if s.startswith("the "):
        s = s[4:]
    return s


_TYPOGRAPHY = str.maketrans(
    {"’": "'", "‘": "'", "ʼ": "'", "`": "'", "‐": "-", "‑": "-", "‒": "-", "–": "-", "\u00a0": " "}
)


def plain_form(name: str, variants: Iterable[str]) -> str:
    """The plain-ASCII spelling of ``name`` among ``variants`` (and itself) when they differ only in
    typography: ``Sean O’Brien`` -> ``Sean O'Brien`` if that form occurs, else ``name`` unchanged."""
    target = name.translate(_TYPOGRAPHY)
    if target == name:
        return name
    return target if any(v == target for v in variants) else name


def skeleton(word: str) -> str:
    """Consonant skeleton for transliteration variants: vowels, ``h`` after consonants, doubles dropped."""
    w = normalize(word).replace(" ", "")
    w = w.replace("ph", "f").replace("kh", "k").replace("q", "k").replace("ou", "u").replace("ee", "i")
    w = re.sub(r"[aeiouy]", "", w)
    return re.sub(r"(.)\1+", r"\1", w)


@dataclass(slots=True)
class MentionRecord:
    """One mention as resolution sees it (from :func:`.entities.extract_mentions` or an outlet name). With
    slots: a corpus makes one per mention (110,000 at 10,000 documents), and each pass reads their fields."""

    doc_id: str
    part: Part
    start: int
    end: int
    text: str
    name: str
    type: EntityType
    label: str
    title: str | None = None
    defined: list[list[str]] = field(default_factory=list)
    rule: str = "mention"
    titled: str | None = None

    @classmethod
    def from_dict(cls, doc_id: str, part: Part, m: Mapping[str, Any]) -> MentionRecord:
        """From the plain data of :func:`.entities.extract_mentions` (as cached in the store)."""
        get = m.get
        return cls(  # positionally, in the fields' order (a call by keyword costs more; made per mention)
            doc_id,
            part,
            m["start"],
            m["end"],
            m["text"],
            m["name"],
            m["type"],
            m["label"],
            get("title"),
            get("defined", []),
            get("rule", "mention"),
            get("titled"),
        )

    def retype(self, kind: EntityType) -> None:
        """Set the type and the NER label that goes with it."""
        self.type, self.label = kind, _LABEL_OF.get(kind, self.label)


class _UF:
    def __init__(self) -> None:
        self.parent: dict[tuple[str, ...], tuple[str, ...]] = {}

    def add(self, x: tuple[str, ...]) -> None:
        self.parent.setdefault(x, x)

    def find(self, x: tuple[str, ...]) -> tuple[str, ...]:
        parent = self.parent
        root = parent.setdefault(x, x)
        if root == x:
            return x  # a root (most nodes): no walk
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def union(self, a: tuple[str, ...], b: tuple[str, ...]) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


@dataclass
class EntityIndex:
    """Result of resolution: the entities and lookups from mentions and names to entity ids."""

    entities: list[Entity]
    by_span: dict[tuple[str, str, int, int], str]
    by_name: dict[tuple[str, str], str]
    """(doc_id, normalised name) -> entity id, for names seen in that document."""
    global_by_name: dict[str, str]
    """normalised name -> entity id when unambiguous across the corpus."""

    def lookup(self, doc_id: str, name: str) -> str | None:
        key = normalize(name)
        return self.by_name.get((doc_id, key)) or self.global_by_name.get(key)


@lru_cache(maxsize=65536)
def _initials(name: str) -> str:
    words = re.findall(r"[A-Za-z][\w'’]*", name.replace("-", " "))
    return "".join(w[0].upper() for w in words if w.lower() not in _STOP)


@lru_cache(maxsize=65536)
def surname_key(key: str) -> str:
    """A normalised person name without the particles that open it: ``al hakim`` -> ``hakim``,
    ``bin laden`` -> ``laden``; unchanged when more than one other word is left."""
    words = key.split()
    while len(words) > 1 and words[0] in PARTICLES:
        words = words[1:]
    return " ".join(words) if len(words) == 1 else key


def _node(m: MentionRecord) -> tuple[str, ...]:
    key = normalize(m.name)
    if m.type == "person":
        bare = surname_key(key)
        if len(bare.split()) == 1:
            return ("p1", bare, m.doc_id)
        return ("p", key)
    return ("o", key)


Node = tuple[str, ...]
"""A union-find node: ``("p", key)`` a full person name, ``("p1", key, doc_id)`` a one-word person name
in one document, ``("o", key)`` any other name, ``("o1", key, doc_id)`` an institution's generic name in
one document (:func:`_per_document_names`, or one that a longer name of its document took:
:func:`generic_institution`)."""


@dataclass
class ResolutionState:
    """What the passes of :func:`resolve_entities` read and extend, in order."""

    mentions: list[MentionRecord]
    authors: dict[str, list[str]]
    demonyms: tuple[str, ...] = ()
    outlets: dict[str, list[str]] = field(default_factory=dict)
    uf: _UF = field(default_factory=lambda: _UF())
    rule_of: dict[tuple[str, str, str], str] = field(default_factory=dict)
    """(surface, doc, "") -> rule of the alias; ("", "", key) -> ``fuzzy``."""
    node_of: list[Node] = field(default_factory=list)
    by_doc: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    full_people: dict[str, dict[str, list[str]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list))
    )
    """doc -> last word -> normalised full names of people named in full there (mentions and bylines)."""
    author_nodes: list[tuple[str, str, Node]] = field(default_factory=list)
    outlet_nodes: list[tuple[str, str, Node]] = field(default_factory=list)
    initialism: Initialisms = field(default_factory=lambda: Initialisms(set()))
    """Whether a one-word name is an initialism, nobody's surname (set by :func:`pass_one_word_types`)."""
    initialism_nodes: set[Node] = field(default_factory=set)
    """The ``p1`` nodes whose every mention is an initialism (no surname join)."""
    capitalised_full: set[str] = field(default_factory=set)
    """The full people's names written somewhere with a capital first (``bill Reagan`` of "the bill Reagan
    signed" is no one's name)."""
    _keys: list[str] = field(default_factory=list)

    def name_keys(self) -> list[str]:
        """Each mention's :func:`normalize` of its name, made once for the passes that read them all (no pass
        renames a mention; one appended since is keyed when asked)."""
        keys = self._keys
        if len(keys) < len(self.mentions):
            keys.extend([normalize(m.name) for m in self.mentions[len(keys) :]])
        return keys


def pass_fix_types(st: ResolutionState) -> None:
    """Pass 1: person/non-person confusions of NER corrected by corpus-wide votes; bylines are people."""
    _fix_types(st.mentions, st.authors, st.name_keys())


def pass_one_word_types(st: ResolutionState) -> None:
    """Pass 2: people named in full per document; a one-word name that is the surname of one of them is a
    person; every other one-word name gets one type across the corpus (:func:`_unify_one_word_types`)."""
    keys = st.name_keys()
    # each distinct name's surname key and its number of words, found once
    bare = {key: surname_key(key) for key in set(keys)}
    size = {key: len(b.split()) for key, b in bare.items()}
    one_word_people: set[str] = set()
    for m, key in zip(st.mentions, keys, strict=True):
        if m.type == "person":
            if size[key] >= 2:
                st.full_people[m.doc_id][key.split()[-1]].append(key)
                if m.name[:1].isupper():
                    st.capitalised_full.add(key)
            else:
                one_word_people.add(m.name)
    for doc_id, names in st.authors.items():
        for a in names:
            key = normalize(a)
            if len(surname_key(key).split()) >= 2:
                st.full_people[doc_id][key.split()[-1]].append(key)
    st.initialism = Initialisms({normalize(n) for n in one_word_people if not is_acronym(n)})
    pinned: set[int] = set()
    for i, (m, key) in enumerate(zip(st.mentions, keys, strict=True)):
        if size[key] == 1 and bare[key] in st.full_people[m.doc_id] and not st.initialism(m.name):
            m.retype("person")
            pinned.add(i)
    author_keys = {normalize(a) for names in st.authors.values() for a in names}
    by_author = {i for i, key in enumerate(keys) if key in author_keys} if author_keys else set()
    _unify_one_word_types(
        st.mentions,
        pinned | by_author,
        {k for d in st.full_people.values() for k in d},
        st.demonyms,
        keys,
    )


class Initialisms:
    """Whether a one-word name is an initialism or acronym (:func:`.entities.is_acronym`) and so nobody's
    surname: letters with periods (``V.R.``: ``Kel Bo Vr`` is not its long form) or all capitals (``VRC``),
    unless the corpus also writes that word in lower-case letters as a one-word person's name (``cased``, the
    normalised such names: a headline's ``ODALLO`` where ``Odallo`` occurs). Each name's answer kept."""

    def __init__(self, cased: set[str]) -> None:
        self.cased = cased
        self.known: dict[str, bool] = {}

    def __call__(self, name: str) -> bool:
        got = self.known.get(name)
        if got is None:
            got = is_acronym(name) and ("." in name or normalize(name) not in self.cased)
            self.known[name] = got
        return got


def pass_nodes(st: ResolutionState) -> None:
    """Pass 3: one node per mention (joined to the names it defines in brackets) and per byline. An
    institution's generic name that several bodies bear has a node per document (:func:`_per_document_names`);
    a bracket definition never joins a place to a company or to another place (:func:`_definition_joins`)."""
    keys = st.name_keys()
    definers = [i for i, m in enumerate(st.mentions) if m.defined]  # the few mentions that define a name
    local, local_in = _per_document_names(st.mentions, keys, definers)
    in_some = {key for _doc, key in local_in}
    places = _place_votes(st.mentions, keys, definers)

    def own(doc_id: str, key: str) -> bool:  # a name of one body per document (there)
        return key in local or (key in in_some and (doc_id, key) in local_in)

    named: set[Node] = set()  # p1 nodes with a mention that may be a surname
    for i, (m, key) in enumerate(zip(st.mentions, keys, strict=True)):
        if m.type == "person":
            node = _node(m)
        elif m.type != "location" and own(m.doc_id, key):
            node = ("o1", key, m.doc_id)  # this document's body of that name
        else:
            node = ("o", key)
        st.uf.add(node)
        st.node_of.append(node)
        st.by_doc[m.doc_id].append(i)
        if node[0] == "p1":
            if st.initialism(m.name):
                st.initialism_nodes.add(node)
            else:
                named.add(node)
        for alt, rule in m.defined:
            if m.type == "person":
                alt_node: Node = ("p", normalize(alt))
            else:
                alt_key = normalize(alt)
                if not _definition_joins(m, alt, alt_key, places):
                    continue
                in_doc = m.type != "location" and own(m.doc_id, alt_key)
                alt_node = ("o1", alt_key, m.doc_id) if in_doc else ("o", alt_key)
            st.uf.union(node, alt_node)
            st.rule_of[(alt, m.doc_id, "")] = rule
    for doc_id, names in st.authors.items():
        for a in names:
            key = normalize(a)
            node = ("p", key) if len(key.split()) >= 2 else ("p1", key, doc_id)
            st.uf.add(node)
            st.author_nodes.append((doc_id, a, node))
            named.add(node)
    st.initialism_nodes -= named


#: Heads of an institution's generic name besides :data:`.lexicon.INSTITUTION_HEADS` (a list that also shapes
#: mentions and speakers): every country has a central bank, and "the Bank" of one story is not another's.
_MORE_HEADS = frozenset(["bank"])


@lru_cache(maxsize=65536)
def generic_name(key: str) -> bool:
    """:func:`generic_institution`, with the heads of :data:`_MORE_HEADS` too (``central bank``, ``bank``)."""
    return generic_institution(key, _MORE_HEADS)


def _per_document_names(
    mentions: list[MentionRecord], keys: list[str], definers: list[int]
) -> tuple[set[str], set[tuple[str, str]]]:
    """The normalised names that are one body per document, not one across the corpus: an institution's
    generic name (:func:`generic_name`) that is one word (``bank``, ``ministry``), the end of a longer name of
    the corpus (``central bank`` of ``velorian central bank``) or a name another name defines in brackets
    (``Bank of Orsk (Central Bank)``): several bodies bear it, and only a document ties one of its mentions to
    one of them (unless the shipped alias table gives it to one actor). Also, per document, the names such a
    name defines there (``(document, name)`` pairs: ``the Commission (VC)`` defines ``VC`` for that document
    alone). ``keys``: each mention's :func:`normalize` of its name; ``definers``: the mentions that define a
    name. Work per distinct name."""
    from ..reference.aliases import entry_for
    from .lexicon import INSTITUTION_HEADS

    heads = INSTITUTION_HEADS | _MORE_HEADS
    # the distinct names of institutions (neither people nor places: "Soviet Union" is no institution)
    named = {
        key for m, key in zip(mentions, keys, strict=True) if m.type != "person" and m.type != "location"
    }
    defined = {  # the names defined in brackets by another name
        normalize(alt)
        for i in definers
        if mentions[i].type != "person" and mentions[i].type != "location"
        for alt, _rule in mentions[i].defined
    }
    ends: set[str] = set()  # each proper end of a longer name that ends in a head
    for key in named:
        words = key.split()
        if len(words) >= 2 and words[-1] in heads:
            ends.update(" ".join(words[k:]) for k in range(1, len(words)))
    local = {
        key
        for key in named | defined
        if key
        and key.rsplit(" ", 1)[-1] in heads
        and (" " not in key or key in ends or key in defined)
        and generic_name(key)
        and entry_for(key) is None  # the alias table's names are one actor's ("Department of State")
    }
    local_in = {
        (mentions[i].doc_id, normalize(alt))
        for i in definers
        if keys[i] in local and mentions[i].type != "person"
        for alt, _rule in mentions[i].defined
    }
    return local, local_in


def _place_votes(mentions: list[MentionRecord], keys: list[str], definers: list[int]) -> dict[str, bool]:
    """For each name defined in brackets by another name (``definers``: the mentions that define one): whether
    the corpus types it a place more often than not (its mentions' types)."""
    wanted = {normalize(alt) for i in definers for alt, _rule in mentions[i].defined}
    if not wanted:
        return {}
    votes: dict[str, list[int]] = {}
    for m, key in zip(mentions, keys, strict=True):
        if key in wanted:
            v = votes.setdefault(key, [0, 0])
            v[m.type != "location"] += 1
    return {key: v[0] > v[1] for key, v in votes.items()}


def _definition_joins(m: MentionRecord, alt: str, alt_key: str, places: Mapping[str, bool]) -> bool:
    """Whether the name ``alt`` that non-person mention ``m`` defines in brackets is another name of it. A place
    in brackets inside a company's name qualifies it (``Harlow Securities (Orsk) Ltd``; the extraction's legal
    form test sees most such names, not one written otherwise), so a name that is not a place never takes one
    (a name of the country table, or one the corpus types a place more often than not); and a place's other
    name is a name of the same country (``Burma (Myanmar)``), not a country named after a region (a company's
    ``Velm Pacifica (Orsk) Ltd``, where the model tags ``Pacifica`` a place)."""
    if is_acronym(alt):
        return True
    from ..reference.places import by_name, is_place_name

    if m.type != "location":
        return not (places.get(alt_key, False) or is_place_name(alt))
    here = by_name(m.name)
    return here is not None and here is by_name(alt)


def without_initials(key: str) -> str:
    """A normalised full person name without the one-letter words between its first and last (``ilsa k
    marnova`` -> ``ilsa marnova``); unchanged when it has none, or fewer than three words."""
    words = key.split()
    if len(words) < 3:
        return key
    kept = [w for w in words[1:-1] if len(w) > 1]
    return key if len(kept) == len(words) - 2 else " ".join([words[0], *kept, words[-1]])


def pass_middle_initials(st: ResolutionState) -> None:
    """Pass 4: a person's full name with middle initials (``Ilsa K. Marnova``) joins the same name without
    them (``Ilsa Marnova``) where the corpus writes that name with no other initials: news gives the initial
    in one story and not the next, and the two were two sources of one person. Two people who differ by the
    initial only (``Ilsa K. Marnova`` and ``Ilsa T. Marnova``) keep the plain name apart. Work per distinct
    name."""
    variants: dict[str, set[str]] = defaultdict(set)  # the plain name -> its forms with initials
    for node in st.uf.parent:
        if node[0] == "p":
            plain = without_initials(node[1])
            if plain != node[1]:
                variants[plain].add(node[1])
    for plain, keys in variants.items():
        if len(keys) == 1 and ("p", plain) in st.uf.parent:
            initialled = next(iter(keys))
            st.uf.union(("p", initialled), ("p", plain))
            # either form may name the entity (the other is its alias by this rule)
            st.rule_of[("", "", initialled)] = st.rule_of[("", "", plain)] = "middle-initial"


#: Words that close a company's name after ``and`` or ``&`` (``Kidder Peabody and Co``); ``cos`` is the wire's
#: plural of ``co`` (``Velm Stearns Cos Inc``), absent from the legal-form table.
_PARTNER_WORDS = frozenset(["co", "cos", "company", "companies"])


def _closes_name(word: str) -> bool:
    """Whether one normalised word is a legal form closing a company's name (the table's, or the wire's ``cos``)."""
    return word == "cos" or is_legal_form(word)


@lru_cache(maxsize=1)
def _closing_words() -> frozenset[str]:
    """The last words a name closed by a legal form can have (:func:`without_legal_forms`), normalised."""
    from .entities import legal_forms

    return frozenset(form.replace(".", "").split()[-1] for form in legal_forms()) | _PARTNER_WORDS


def without_legal_forms(key: str) -> str:
    """A normalised company name without the legal forms that close it (:func:`.entities.is_legal_form`, the
    cleanco term table, and ``and Co``/``& Co``/``Cos``): ``velm peabody and co inc`` -> ``velm peabody``,
    ``petroleos de orsk, sa`` -> ``petroleos de orsk``. At least one word is always left: ``co inc`` stays."""
    if key[key.rfind(" ") + 1 :] not in _closing_words():
        return key  # most names: no legal form closes them (one set lookup, not the cache's)
    return _without_legal_forms(key)


@lru_cache(maxsize=65536)
def _without_legal_forms(key: str) -> str:
    words = key.split()
    while len(words) > 1:
        last = words[-1]
        if last in _PARTNER_WORDS and len(words) > 2 and words[-2] in ("and", "&"):
            cut = 2
        elif len(words) > 2 and is_legal_form(" ".join(words[-2:])):
            cut = 2  # ``pty ltd``, ``sdn bhd``
        elif _closes_name(last):
            cut = 1
        else:
            break
        words = words[:-cut]
        words[-1] = words[-1].rstrip(",")
        if not words[-1]:
            words.pop()
    if not words or (len(words) == 1 and _closes_name(words[0])):
        return key  # nothing but legal forms: no company's name to join
    return " ".join(words)


def pass_legal_forms(st: ResolutionState) -> None:
    """Pass 4b: a company's names that differ only in the legal forms closing them (``Velm Peabody``, ``Velm
    Peabody and Co``, ``Velm Peabody and Co Inc``: :func:`without_legal_forms`) are one entity. A wire writes
    the form in one story and not in the next, and each spelling was an entity and a source of its own. Not
    for a place (``Japan Inc`` is no company of Japan's) nor an institution's generic name (``Bank Ltd``),
    whose bodies are many. An acronym that a text defines as the name of a body without a legal form (``Velorian
    Economic Council (VEC)``) names that body: ``VEC Corp`` keeps apart from it. Work per distinct name."""
    forms: dict[str, set[str]] = defaultdict(set)  # the name without legal forms -> its forms with them
    for node in st.uf.parent:
        if node[0] == "o":
            base = without_legal_forms(node[1])
            if base != node[1]:
                forms[base].add(node[1])
    if not forms:
        return
    is_place = _PlaceNames(st.mentions)
    bodies: set[str] | None = None  # made on first use
    for base, keys in forms.items():
        if generic_name(base) or is_place(base) or any(map(is_place, keys)):
            continue
        nodes = [("o", k) for k in sorted(keys)]
        if ("o", base) in st.uf.parent:
            if bodies is None:
                bodies = _bodies_defining(st)
            if base not in bodies:
                nodes.append(("o", base))
        if len(nodes) < 2:
            continue
        for node in nodes[1:]:
            st.uf.union(nodes[0], node)
        for node in nodes:
            st.rule_of.setdefault(("", "", node[1]), "legal-form")


def _bodies_defining(st: ResolutionState) -> set[str]:
    """The normalised acronyms that a text defines (``acronym-defined``) as the name of a body whose name has no
    legal form (:func:`pass_legal_forms`)."""
    out: set[str] = set()
    for m, key in zip(st.mentions, st.name_keys(), strict=True):
        for alt, rule in m.defined:
            if rule == "acronym-defined" and without_legal_forms(key) == key:
                out.add(normalize(alt))
    return out


def pass_surnames(st: ResolutionState) -> None:
    """Pass 5: a one-word person name joins the one full name of its document with that last word (or
    with a particle: ``Hakim`` -> ``Ahmad al-Hakim``); elsewhere the corpus's one full name, or, where several
    people bear the surname, the one most stories name (:func:`_dominant_bearer`) if the story shares names
    with theirs (:class:`_Contexts`); kept apart when ambiguous. An initialism (:class:`Initialisms`:
    ``V.R.``, ``VRC``) is nobody's surname: it joins only the same initialism typed person in other documents."""
    # last word -> full name -> the documents naming it
    corpus_last: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for doc_id, doc_map in st.full_people.items():
        for last, keys in doc_map.items():
            for k in keys:
                corpus_last[last][k].add(doc_id)
    loose: dict[str, list[Node]] = defaultdict(list)
    for node in list(st.uf.parent):
        if node[0] != "p1":
            continue
        key, doc_id = node[1], node[2]
        if node in st.initialism_nodes:
            st.uf.union(node, ("p", key))
            continue
        # the full names' people, not their spellings: "Ilsa Marnova" and "Ilsa K. Marnova" are one already
        in_doc = {st.uf.find(("p", k)) for k in st.full_people.get(doc_id, {}).get(key, [])}
        if len(in_doc) == 1:
            st.uf.union(node, next(iter(in_doc)))
            continue
        if in_doc:
            continue  # ambiguous inside the document: keep apart
        loose[key].append(node)
    contexts = _Contexts(st)
    # the documents where a word opens a full name (a word that opens names in more stories than it closes is a
    # first name: "John" said is no one's surname)
    opens = Counter(
        w
        for doc_map in st.full_people.values()
        for w in {k.split()[0] for ks in doc_map.values() for k in ks}
    )
    for key, nodes in loose.items():
        named = corpus_last.get(key, {})
        fulls = {st.uf.find(("p", k)) for k in named}
        if len(fulls) == 1:
            for node in nodes:
                st.uf.union(node, next(iter(fulls)))
        elif not fulls:
            for node in nodes:
                st.uf.union(node, ("p", key))
        elif (
            opens[key] < len(named_docs := set().union(*named.values()))
            and (bearer := _dominant_bearer(st, named)) is not None
        ):
            root, docs = bearer
            # the names of the bearer's stories, and of the stories of the surname's other people that do not
            # name the bearer; only the names that tell them apart count
            own = contexts.around(docs, key, named)
            others = contexts.around(named_docs - docs, key, named)
            own, others = own - others, others - own
            for node in nodes:
                names = contexts.of(node[2], key)
                shared = len(names & own)
                if shared >= MIN_SHARED_CONTEXT and shared >= 2 * len(names & others):
                    st.uf.union(node, root)


#: :func:`_dominant_bearer`: the share of the documents naming someone of a surname in full that name one person,
#: for a story's bare surname to be read as that person's (with :data:`MIN_SHARED_CONTEXT`)
DOMINANT_SHARE = 0.75
#: ... and the fewest such documents
MIN_BEARER_DOCUMENTS = 3
#: The fewest names (other than places) a story with a bare surname shares with the bearer's stories.
MIN_SHARED_CONTEXT = 2


def _dominant_bearer(st: ResolutionState, named: Mapping[str, set[str]]) -> tuple[Node, set[str]] | None:
    """The person most of the corpus's stories naming someone of a surname in full name (at least
    :data:`DOMINANT_SHARE` of those stories, and :data:`MIN_BEARER_DOCUMENTS`), with those stories; ``None``
    when no one is. ``named``: each full name with that surname -> its documents. A name never written with a
    capital first (``bill Reagan``) is nobody's."""
    docs_of: dict[Node, set[str]] = defaultdict(set)
    for k, docs in named.items():
        if k in st.capitalised_full:
            docs_of[st.uf.find(("p", k))] |= docs
    if not docs_of:
        return None
    total = sum(map(len, docs_of.values()))
    root, docs = max(docs_of.items(), key=lambda rd: (len(rd[1]), rd[0]))
    if len(docs) < MIN_BEARER_DOCUMENTS or len(docs) < DOMINANT_SHARE * total:
        return None
    return root, docs


class _Contexts:
    """The names (keys of every mention but places') of each document, for :func:`pass_surnames`' bare surnames:
    a story that names "Reagan" alone, and shares with the stories naming "Ronald Reagan" in full at least
    :data:`MIN_SHARED_CONTEXT` names that the stories of the other Reagans do not have (``Senate``, ``Robert
    Dole``), and at least twice as many as it shares with those only, speaks of him; a story of another Reagan
    does not. Each document's set made once."""

    def __init__(self, st: ResolutionState) -> None:
        self.st = st
        self.by_doc: dict[str, set[str]] = {}

    def _names(self, doc_id: str) -> set[str]:
        got = self.by_doc.get(doc_id)
        if got is None:
            st = self.st
            got = {st.node_of[i][1] for i in st.by_doc.get(doc_id, ()) if st.mentions[i].type != "location"}
            self.by_doc[doc_id] = got
        return got

    def of(self, doc_id: str, surname: str) -> set[str]:
        """The document's names, but the surname's."""
        return self._names(doc_id) - {surname}

    def around(self, docs: Iterable[str], surname: str, named: Iterable[str]) -> set[str]:
        """The names of the bearer's documents, but the surname and the full names that end in it."""
        out: set[str] = set()
        for doc_id in docs:
            out |= self._names(doc_id)
        return out - {surname, *named}


def pass_short_forms(st: ResolutionState) -> None:
    """Pass 6: a non-person name that is the end (or, before group words, the start) of exactly one
    longer name joins it (:func:`_short_forms`)."""
    _short_forms(st.mentions, st.node_of, st.by_doc, st.uf, st.rule_of)


def pass_outlets(st: ResolutionState) -> None:
    """Pass 7: the documents' outlets (metadata) are organisations; a mention ending like exactly one of
    them (``the Gazette``) joins it."""
    for doc_id, names in sorted(st.outlets.items()):
        for o in names:
            if normalize(o):
                st.outlet_nodes.append((doc_id, o, ("o", normalize(o))))
                st.uf.add(("o", normalize(o)))
    _outlet_short_forms(st.mentions, st.node_of, st.uf, st.rule_of, st.outlet_nodes)


def pass_known_aliases(st: ResolutionState) -> None:
    """Pass 8: names that the shipped alias table (:mod:`claimgraph.reference.aliases`) gives as one
    real-world actor (``al-Shabaab`` / ``Harakat al-Shabaab al-Mujahideen``, ``Russian Federation`` /
    ``Russia``, ``Calif.`` / ``California``) join, when their types agree. People are never joined this way,
    nor a US state's abbreviation whose name key the corpus also writes in capitals."""
    from ..reference.aliases import entry_for

    first: dict[str, Node] = {}
    capitals = {st.node_of[i] for i, m in enumerate(st.mentions) if _in_capitals(m.name)}
    for i, m in enumerate(st.mentions):
        node = st.node_of[i]
        if node[0] != "o":
            continue
        entry = entry_for(m.name)
        if entry is None or not entry.fits(m.type):
            continue
        if not entry.in_text and node in capitals:
            # a US state's abbreviation whose name key is also written in capitals ("La." and "L.A.", "Md." and
            # "MD"): the key holds another name's mentions (Los Angeles, McDonnell Douglas), which must not join
            continue
        seen = first.get(entry.key)
        if seen is None:
            first[entry.key] = node
        elif st.uf.find(seen) != st.uf.find(node):
            st.uf.union(seen, node)
            st.rule_of.setdefault((m.name, m.doc_id, ""), "known-alias")


def _in_capitals(name: str) -> bool:
    """A name written in capitals, dots aside (``L.A.``, ``MD``, ``MO``)."""
    letters = name.replace(".", "")
    return letters.isupper() and letters.isalpha()


def pass_initials(st: ResolutionState) -> None:
    """Pass 9: an all-capitals name joins the one organisation/group whose initials it spells (same document
    first, then the corpus; never when two match). Another document's name needs an acronym of three letters or
    more and a name's initials (:func:`_name_initials`)."""
    mentions, node_of, uf = st.mentions, st.node_of, st.uf
    org_names: dict[Node, set[str]] = defaultdict(set)
    for i, m in enumerate(mentions):
        if m.type != "person" and len(m.name.split()) >= 2:
            org_names[node_of[i]].add(m.name)
    org_roots = {uf.find(n) for n in org_names}
    # initials -> the organisation nodes with a name spelling them (one lookup per acronym, not a scan of
    # every organisation of the corpus per acronym mention)
    by_initials: dict[str, set[Node]] = defaultdict(set)
    # the same for a name of another document: written in capitals, no legal form at its end (_name_initials)
    named_initials: dict[str, set[Node]] = defaultdict(set)
    for n, names in org_names.items():
        for x in names:
            by_initials[_initials(x)].add(n)
            spelt = _name_initials(x)
            if spelt:
                named_initials[spelt].add(n)
    for i, m in enumerate(mentions):
        if m.type == "person" or not is_acronym(m.name):
            continue
        node = node_of[i]
        if uf.find(node) in org_roots:
            continue
        letters = m.name.replace(".", "")
        spelled = by_initials.get(letters, set())
        if not spelled:
            continue
        same_doc = {node_of[j] for j in st.by_doc[m.doc_id] if node_of[j] in spelled}
        # another document's name needs more than two matching letters (two are a coincidence in a corpus: a
        # ship's name spells a carmaker's acronym) and a name in capitals without a legal form (_name_initials)
        pools = (same_doc, named_initials.get(letters, set()) if len(letters) >= 3 else set())
        for pool in pools:
            hits = {uf.find(n) for n in pool}
            if len(hits) != 1:
                if hits:
                    break
                continue
            hit = next(iter(hits))
            was = uf.find(node)
            uf.union(node, hit)
            # only the two roots merged: the organisations' roots are updated, not recomputed
            org_roots.discard(was)
            org_roots.discard(hit)
            org_roots.add(uf.find(hit))
            st.rule_of[(m.name, m.doc_id, "")] = "acronym-initials"
            break


@lru_cache(maxsize=65536)
def _name_initials(name: str) -> str:
    """The initials of ``name`` as another document's acronym may spell them: ``""`` unless every word but the
    small ones starts with a capital (``grey market trade`` names nothing) and the last is no company's legal
    form (whether ``Harlow Care Inc`` is ``HCI`` or ``HC`` only its own text can say)."""
    words = re.findall(r"[A-Za-z][\w'’]*\.?", name.replace("-", " "))
    if not words or any(not w[:1].isupper() for w in words if w.lower() not in _STOP):
        return ""
    if is_legal_form(words[-1]):
        return ""
    return _initials(name)


def _cooccurring_people(st: ResolutionState) -> set[frozenset[str]]:
    cooccur: set[frozenset[str]] = set()
    for idxs in st.by_doc.values():
        keys = sorted({st.node_of[i][1] for i in idxs if st.node_of[i][0] == "p"})
        for ia in range(len(keys)):
            for ib in range(ia + 1, len(keys)):
                cooccur.add(frozenset((keys[ia], keys[ib])))
    return cooccur


def same_person_spelling(x: str, y: str) -> bool:
    """Two normalised full names of as many words, same last word, other words equal or transliteration
    variants (equal consonant skeleton, rapidfuzz ratio >= :data:`FUZZY_RATIO`, four letters or more)."""
    from rapidfuzz import fuzz

    for wx, wy in zip(x.split()[:-1], y.split()[:-1], strict=True):
        if wx == wy:
            continue
        if min(len(wx), len(wy)) < 4 or skeleton(wx) != skeleton(wy) or fuzz.ratio(wx, wy) < FUZZY_RATIO:
            return False
    return True


def pass_transliterations(st: ResolutionState) -> None:
    """Pass 10: transliteration variants of people's full names join (``fuzzy``), never two names that
    occur side by side in one document."""
    cooccur = _cooccurring_people(st)
    people = sorted({n for n in st.uf.parent if n[0] == "p"})
    by_last: dict[tuple[int, str], list[Node]] = defaultdict(list)
    for n in people:
        words = n[1].split()
        if words:  # a name that normalises to nothing (punctuation only) has no last word to compare
            by_last[(len(words), words[-1])].append(n)
    for bucket in by_last.values():
        for ia in range(len(bucket)):
            for ib in range(ia + 1, len(bucket)):
                x, y = bucket[ia][1], bucket[ib][1]
                if frozenset((x, y)) in cooccur or st.uf.find(bucket[ia]) == st.uf.find(bucket[ib]):
                    continue
                if same_person_spelling(x, y):
                    st.uf.union(bucket[ia], bucket[ib])
                    st.rule_of[("", "", y)] = "fuzzy"
                    st.rule_of[("", "", x)] = "fuzzy"


#: The ordered passes of :func:`resolve_entities`.
PASSES: tuple[Callable[[ResolutionState], None], ...] = (
    pass_fix_types,
    pass_one_word_types,
    pass_nodes,
    pass_middle_initials,
    pass_legal_forms,
    pass_surnames,
    pass_short_forms,
    pass_outlets,
    pass_known_aliases,
    pass_initials,
    pass_transliterations,
)


def resolve_entities(
    mentions: Iterable[MentionRecord],
    authors: dict[str, list[str]],
    demonyms: Iterable[str] = (),
    outlets: dict[str, list[str]] | None = None,
) -> EntityIndex:
    """Cluster ``mentions`` (and author names, ``doc_id -> [names]``) into entities. ``demonyms`` are
    demonym-like words seen in the corpus (``French``): evidence that a one-word name is a place.
    ``outlets`` (``doc_id -> [outlet names]``, from document metadata) are organisations: a mention of
    one, or a short form of one (``the Gazette`` for ``The Montreal Gazette``), joins it; an outlet never
    named in any text makes no entity. Runs :data:`PASSES` in order, then :func:`build_index`."""
    st = ResolutionState(list(mentions), authors, tuple(demonyms), outlets or {})
    for run in PASSES:
        run(st)
    return build_index(st)


@dataclass
class _Cluster:
    members: list[MentionRecord]
    auth: list[tuple[str, str]]
    outs: list[tuple[str, str]]


def _clusters(st: ResolutionState) -> dict[Node, _Cluster]:
    """Root -> its mentions, bylines and (when mentioned) outlet names."""
    out: dict[Node, _Cluster] = {}

    def get(root: Node) -> _Cluster:
        c = out.get(root)
        if c is None:  # made once per root (``setdefault`` would build one per mention)
            c = out[root] = _Cluster([], [], [])
        return c

    # a node whose parent is a root (most): ``find`` would give that parent and change nothing
    parent, find = st.uf.parent, st.uf.find
    for node, m in zip(st.node_of, st.mentions, strict=True):
        root = parent[node]
        if parent[root] != root:
            root = find(node)
        c = out.get(root)
        if c is None:
            c = out[root] = _Cluster([], [], [])
        c.members.append(m)
    for doc_id, a, node in st.author_nodes:
        get(st.uf.find(node)).auth.append((doc_id, a))
    for doc_id, o, node in st.outlet_nodes:
        root = st.uf.find(node)
        if root in out and out[root].members:
            out[root].outs.append((doc_id, o))
    return out


_NAME_OF = operator.attrgetter("name")
_SPAN_ORDER = operator.attrgetter("document_id", "part", "start")
_TYPE_OF = operator.attrgetter("type")


#: A form that puts words before another form of its entity names the entity only while the other form is less
#: than this many times as common (:func:`_rare_extensions`).
RARE_EXTENSION = 3
#: Words that end no modifier: "Friends of" + "Harbour Herald" is not a kind of Harbour Herald.
_LINK_WORDS = _STOP | frozenset(["to", "or", "a", "an", "at", "by", "with", "from", "&"])


class _PlaceNames:
    """Whether a normalised name is a place's: a country or capital of the reference table, a country's demonym,
    or a name typed location in the corpus (that set made on first use; each name's answer kept)."""

    def __init__(self, mentions: list[MentionRecord]) -> None:
        self.mentions = mentions
        self.located: set[str] | None = None
        self.known: dict[str, bool] = {}

    def __call__(self, key: str) -> bool:
        got = self.known.get(key)
        if got is None:
            from ..reference.places import country_of_demonym, is_place_name

            if self.located is None:
                self.located = {normalize(n) for n in {m.name for m in self.mentions if m.type == "location"}}
            got = key in self.located or is_place_name(key) or country_of_demonym(key) is not None
            self.known[key] = got
        return got


def _rare_extensions(
    cands: list[str], surfaces: Mapping[str, int], is_place: Callable[[str], bool]
) -> set[str]:
    """The forms of an entity (not a person) that only put a modifier before another of its forms, a capitalised
    one of two words or more, that is at least :data:`RARE_EXTENSION` times as common (each form counted over its
    spellings, :func:`normalize`): "Weekend Harbour Herald" (once) beside "Harbour Herald" (40 times), a word the
    model glued on ("Follow Harbour Herald") or another name before a slash. Such a form is true of its own few
    mentions only, the shorter of them all. Not when the added words are a place's name or demonym ("Velorian
    Harbour Authority": which of many), end in a linking word ("Friends of the Harbour Herald"), or the shorter
    form is an institution's generic name (:func:`generic_institution`: "Grand Chamber Finance Committee" is the
    committee that the generic name stood for in its own document)."""
    words_of = {s: tuple(normalize(s).split()) for s in cands}
    if max(map(len, words_of.values())) < 3:
        return set()  # no form puts words before another of two words or more
    counts: dict[tuple[str, ...], int] = defaultdict(int)
    capital: set[tuple[str, ...]] = set()
    for s, w in words_of.items():
        counts[w] += surfaces[s]
        if s != s.lower():
            capital.add(w)
    rare: set[tuple[str, ...]] = set()
    for w, n in counts.items():
        for k in range(1, len(w) - 1):  # the tail w[k:] of two words or more
            tail = w[k:]
            if (
                tail in capital
                and counts[tail] >= RARE_EXTENSION * max(n, 1)
                and w[k - 1] not in _LINK_WORDS
                and not _generic_name(" ".join(tail))
                and not is_place(" ".join(w[:k]))
            ):
                rare.add(w)
                break
    return {s for s, w in words_of.items() if w in rare} if rare else set()


def _canonical(
    root: Node, c: _Cluster, is_place: Callable[[str], bool] | None = None
) -> tuple[str, EntityType, Mapping[str, int]]:
    """The cluster's name and type, and the count of each surface form. ``is_place``: whether a normalised name
    is a place's (:class:`_PlaceNames`; the reference tables alone when not given)."""
    if len(c.members) == 1 and not c.auth and not c.outs:
        # one mention (most clusters): its name is the one candidate, and ``plain_form`` of a name among
        # only itself is the name; the type as below
        m = c.members[0]
        one: EntityType = "person" if root[0] in ("p", "p1") else _type_of_one(c.members)
        return m.name, one, {m.name: 1}  # (a plain dict: a ``Counter`` costs more to make than to use)
    surfaces = Counter(map(_NAME_OF, c.members))
    for _doc, a in c.auth:
        surfaces[a] += 0
    for _doc, o in c.outs:
        surfaces[o] += 0
    is_person = root[0] in ("p", "p1")
    etype: EntityType = "person" if is_person or not c.members else _type(c.members)
    cands = [s for s in surfaces if not is_acronym(s)] or list(surfaces) or [a for _d, a in c.auth]
    # a form with a capital letter first: a name written all in lower case (``the middle east`` in one text,
    # even one that defines an acronym) does not name the entity while a capitalised form exists
    if is_person:
        # a middle initial adds no word (``Ilsa Marnova`` of 40 mentions names her, not ``Ilsa K. Marnova`` of 2)
        canonical = max(cands, key=lambda s: (s != s.lower(), _name_words(s), surfaces[s], s))
    else:
        rare = _rare_extensions(cands, surfaces, is_place or _PlaceNames([])) if len(cands) > 1 else set()
        if rare:
            cands = [s for s in cands if s not in rare]  # never all: the form they extend is not rare
        defining = Counter([m.name for m in c.members if m.defined])
        canonical = max(
            cands,
            key=lambda s: (
                s != s.lower(),
                defining[s],
                len(without_legal_forms(normalize(s)).split()),  # a legal form adds no word
                surfaces[s],
                -len(s.split()),  # ... and, as often written, the form without it names the company
                s,
            ),
        )
    return plain_form(canonical, cands), etype, surfaces


def _name_words(name: str) -> int:
    """The words of a person's name but its middle initials (``Ilsa K. Marnova``: 2; ``D. K. Marnova``: 2, a
    first initial is all that is said of the first name)."""
    words = name.split()
    middle = sum(1 for w in words[1:-1] if len(w.rstrip(".")) == 1)
    return len(words) - middle


def _aliases(st: ResolutionState, c: _Cluster, canonical: str, rule_by_name: dict[str, str]) -> list[Alias]:
    aliases: dict[tuple[str, str | None], str] = {}
    for m in c.members:
        if m.titled:
            for titled in _titled_forms(m.titled):
                if titled != canonical:
                    aliases.setdefault((titled, m.doc_id), "title")
        if m.name == canonical and m.text == canonical:
            continue
        rule = _alias_rule(m, canonical, st.rule_of, rule_by_name)
        for surface in {m.name, m.text} - {canonical}:
            if surface == m.name:
                aliases.setdefault((surface, m.doc_id), rule)
            else:
                same = normalize(surface) == normalize(m.name)
                aliases.setdefault((surface, m.doc_id), "variant" if same else "title")
    for d, a in c.auth:
        if a != canonical:
            aliases.setdefault((a, d), "author")
    for d, o in c.outs:
        if o != canonical:
            aliases.setdefault((o, d), "outlet")
    return sorted(
        (Alias(name=n, document_id=d, rule=r) for (n, d), r in aliases.items()),
        key=lambda a: (a.name, a.document_id or ""),
    )


def build_index(st: ResolutionState) -> EntityIndex:
    """The last step: one :class:`Entity` per cluster (canonical name, type, aliases with their rule,
    mention spans) and the lookups of :class:`EntityIndex`."""
    clusters = _clusters(st)
    rule_by_name: dict[str, str] = {}
    for (name, _doc, extra), rule in sorted(st.rule_of.items()):
        if name and not extra:
            rule_by_name.setdefault(name, rule)
    entities: list[Entity] = []
    by_span: dict[tuple[str, str, int, int], str] = {}
    by_name: dict[tuple[str, str], str] = {}
    name_ids: dict[str, set[str]] = defaultdict(set)
    used_ids: set[str] = set()
    is_place = _PlaceNames(st.mentions)
    for root in sorted(clusters):
        c = clusters[root]
        if not c.members and not c.auth:
            continue
        canonical, etype, surfaces = _canonical(root, c, is_place)
        eid = stable_id("ent", canonical, etype)
        if eid in used_ids:
            first_doc = min([m.doc_id for m in c.members] + [d for d, _a in c.auth])
            eid = stable_id("ent", canonical, etype, first_doc)
        used_ids.add(eid)
        spans = sorted(
            [Mention(m.doc_id, m.start, m.end, m.text, m.part) for m in c.members],  # the fields' order
            key=_SPAN_ORDER,
        )
        entities.append(
            Entity(
                id=eid,
                name=canonical,
                type=etype,
                aliases=_aliases(st, c, canonical, rule_by_name),
                mentions=len(spans),
                mention_spans=spans,
                document_ids=sorted(
                    {m.doc_id for m in c.members} | {d for d, _a in c.auth} | {d for d, _o in c.outs}
                ),
            )
        )
        for m in c.members:
            by_span[(m.doc_id, m.part, m.start, m.end)] = eid
            key = normalize(m.name)
            by_name[(m.doc_id, key)] = eid
            by_name.setdefault((m.doc_id, normalize(m.text)), eid)
            name_ids[key].add(eid)
        for d, a in c.auth:
            by_name[(d, normalize(a))] = eid
            name_ids[normalize(a)].add(eid)
        for d, o in c.outs:
            by_name.setdefault((d, normalize(o)), eid)
        for alt_surface in surfaces:
            name_ids[normalize(alt_surface)].add(eid)
    global_by_name = {k: next(iter(v)) for k, v in name_ids.items() if len(v) == 1}
    entities.sort(key=lambda e: e.id)
    return EntityIndex(entities=entities, by_span=by_span, by_name=by_name, global_by_name=global_by_name)


def _fix_types(
    mentions: list[MentionRecord], authors: dict[str, list[str]], keys: list[str] | None = None
) -> None:
    """Correct NER's person/non-person confusions by corpus-wide votes; bylines count as people.

    A mention's new type is a function of its normalised name and its NER type only (the votes are counted
    before any mention is retyped, and a mention's own retyping touches no other's inputs), so it is
    decided once per distinct ``(name, type)`` pair (:func:`_fixed_type`) and applied to every mention.
    ``keys``: each mention's :func:`normalize` of its name, when the caller has them."""
    from .lexicon import INSTITUTION_HEADS

    author_keys = {normalize(a) for names in authors.values() for a in names}
    if keys is None:
        keys = [normalize(m.name) for m in mentions]
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    # each (name, type) pair counted by ``Counter`` (in C), then handed to its name in the pairs' first order
    for (key, kind), n in Counter(zip(keys, map(_TYPE_OF, mentions), strict=True)).items():
        votes[key][kind] = n
    # a company's name with its legal forms ("Velm Peabody and Co") votes for the same name without them, which
    # the model often takes for the partners' (a person's) name; a name without legal forms gives no such vote
    for key, v in list(votes.items()):
        company = v["organization"] + v["group"]
        if company and (base := without_legal_forms(key)) != key and base in votes:
            votes[base]["organization"] += company
    words_of = {key: set(key.split()) for key in votes}  # each distinct name's words, made once
    group_keys = {key for key, words in words_of.items() if words & GROUP_WORDS}
    rules = _TypeVotes(
        votes, words_of, author_keys, _group_heads(group_keys), GROUP_WORDS | INSTITUTION_HEADS | MEDIA_WORDS
    )
    # name -> NER type -> the new type, for the pairs that change (the NER types of a name are its votes')
    fixes: dict[str, dict[str, EntityType]] = {}
    for key, v in votes.items():
        for ner_type in v:
            fix = _fixed_type(key, ner_type, rules)
            if fix is not None:
                fixes.setdefault(key, {})[ner_type] = fix
    if not fixes:
        return
    for key, m in zip(keys, mentions, strict=True):
        of_name = fixes.get(key)
        if of_name is not None:
            fix = of_name.get(m.type)
            if fix is not None:
                m.retype(fix)


@dataclass
class _TypeVotes:
    """What :func:`_fixed_type` reads: each normalised name's NER type votes and words, the bylines'
    names, the heads of group names (:func:`_group_heads`) and the words no person's name has."""

    votes: dict[str, Counter[str]]
    words_of: dict[str, set[str]]
    author_keys: set[str]
    group_heads: set[str]
    not_people: frozenset[str]


def _fixed_type(key: str, kind: str, rules: _TypeVotes) -> EntityType | None:
    """The type :func:`_fix_types` gives a mention of normalised name ``key`` and NER type ``kind``
    (``None``: it keeps its type)."""
    from ..reference.places import is_place_name

    words = rules.words_of[key]
    v = rules.votes[key]
    nonperson = v["location"] + v["organization"] + v["group"]
    if key in rules.author_keys:
        return "person" if kind != "person" else None
    if kind == "person" and len(words) >= 2 and is_place_name(key):
        return "location"  # "Addis Ababa", "Kuala Lumpur": a capital or country, never a person
    if kind == "person":
        if key in rules.group_heads:
            return "group"
        if words & rules.not_people or nonperson >= v["person"]:
            kinds: tuple[EntityType, ...] = ("location", "organization", "group")
            best = max(kinds, key=lambda t: (v[t], t == "organization"))
            if v[best] == 0:
                best = "group" if words & GROUP_WORDS else "organization"
            return best
        return None
    if v["person"] > nonperson and len(key.split()) >= 2:  # words repeated count (not the set)
        return "person"
    return None


def _group_heads(group_keys: Iterable[str]) -> set[str]:
    """The names that open a group's name followed by group words only (``hamas`` of ``hamas
    movement``): every word-aligned start of each key whose rest is all :data:`GROUP_WORDS` (one pass
    over the keys, instead of a scan of every group name per person mention)."""
    heads: set[str] = set()
    for k in group_keys:
        words = k.split(" ")
        i = len(words) - 1
        while i >= 1 and words[i] in GROUP_WORDS:
            heads.add(" ".join(words[:i]))
            i -= 1
    return heads


def _unify_one_word_types(
    mentions: list[MentionRecord],
    pinned: set[int],
    surnames: set[str],
    demonyms: Iterable[str],
    keys: list[str] | None = None,
) -> None:
    """One normalised one-word name, one type across NER labels (NER calls a country PERSON in some
    sentences). Mentions pinned as the surname of a person named in their own document keep ``person``.

    - the last word of a full person name somewhere in the corpus: the majority label wins (ties: person);
    - otherwise any place/organisation label beats PERSON (a one-word PERSON that is nobody's surname
      is weak evidence), the best of location/organisation/group by votes (ties: location);
    - a one-word PERSON-only name whose demonym occurs in the corpus (``Kenyan``) is a location.

    ``keys``: each mention's :func:`normalize` of its name, when the caller has them.
    """
    from ..reference.places import is_place_name
    from .demonyms import demonym_candidates

    if keys is None:
        keys = [normalize(m.name) for m in mentions]
    one_word = {key: len(key.split()) == 1 for key in set(keys)}
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for i, (m, key) in enumerate(zip(mentions, keys, strict=True)):
        if one_word[key] and i not in pinned and not is_acronym(m.name):
            votes[key][m.type] += 1
    demonym_places: set[str] = set()
    for d in demonyms:
        demonym_places |= demonym_candidates(d)
    decided: dict[str, EntityType] = {}
    for key, v in votes.items():
        person = v["person"]
        kinds: tuple[EntityType, ...] = ("location", "organization", "group")
        non = {t: v[t] for t in kinds if v[t]}
        if key in surnames:
            if non and sum(non.values()) > person:
                decided[key] = max(non, key=lambda t: (non[t], t == "location"))
            elif person and non:
                decided[key] = "person"
        elif non and (person or len(non) > 1):
            decided[key] = max(non, key=lambda t: (non[t], t == "location"))
        elif person and not non and (key in demonym_places or is_place_name(key)):
            decided[key] = "location"  # a country or capital of the reference table is nobody's name
    if not decided:
        return
    for i, (m, key) in enumerate(zip(mentions, keys, strict=True)):
        t = decided.get(key)
        if t is not None and m.type != t and i not in pinned:
            m.retype(t)


def _short_forms(
    mentions: list[MentionRecord],
    node_of: list[tuple[str, ...]],
    by_doc: dict[str, list[int]],
    uf: _UF,
    rule_of: dict[Any, str],
) -> None:
    """``Interior Ministry`` -> ``French Interior Ministry``, ``al-Nusra`` -> ``al-Nusra Front``: a
    non-person name equal to the end of exactly one longer name (same document first, then corpus), or
    to its start when the rest are group/institution words. An institution's generic name
    (:func:`generic_institution`) joins, in its own document only, the one longer name whose qualifier that
    document names."""
    from .lexicon import INSTITUTION_HEADS

    generic = GROUP_WORDS | INSTITUTION_HEADS
    longs: dict[str, set[tuple[str, ...]]] = defaultdict(set)  # doc -> long nodes
    own_longs: dict[str, set[tuple[str, ...]]] = defaultdict(set)  # doc -> its long nodes of its own ("o1")
    for i, m in enumerate(mentions):
        n = node_of[i]
        if len(n[1].split()) >= 2:
            if n[0] == "o":
                longs[m.doc_id].add(n)
            elif n[0] == "o1":
                own_longs[m.doc_id].add(n)
    all_longs = set().union(*longs.values()) if longs else set()

    longer = _LongerNames(all_longs, generic)
    done: set[tuple[str, ...]] = set()
    # node -> the longer names it fits (the same for every mention of the node: a mention's type is
    # never "location" past the test below); the roots are found per mention, as merges go on
    fitting: dict[tuple[str, ...], set[tuple[str, ...]]] = {}
    generic_of: dict[tuple[str, ...], bool] = {}
    doc_names = _DocNames(mentions, by_doc)
    for i, m in enumerate(mentions):
        node = node_of[i]
        if (
            node[0] not in ("o", "o1")
            or node in done
            or is_acronym(m.name)
            or not node[1]
            or m.type == "location"
        ):
            continue  # a place is never the short form of a building or institution named after it
        near = fitting.get(node)
        if near is None:
            near = fitting[node] = longer.fitted_by(node[1])
            if node[0] == "o1":  # and the longer names of the document's own bodies that end so
                end = " " + node[1]
                near |= {n for n in own_longs.get(m.doc_id, ()) if n[1].endswith(end)}
        if not near:
            continue  # the end or start of no longer name (most names)
        is_generic = generic_of.get(node)
        if is_generic is None:
            # a node of one document's own (pass_nodes) takes nothing from another document
            is_generic = generic_of[node] = node[0] == "o1" or generic_institution(node[1])
        if is_generic:
            # in this document only, and only a longer name whose qualifier the document names ("the Finance
            # Ministry" of a story about Orsk is not the Velorian Finance Ministry of another story)
            hit, _several = _one_root(_named_in(m.doc_id, node[1], near, doc_names), uf)
            if hit is not None:
                own = node if node[0] == "o1" else ("o1", node[1], m.doc_id)
                uf.add(own)
                node_of[i] = own
                uf.union(own, hit)
                rule_of[(m.name, m.doc_id, "")] = "short-form"
            continue
        for pool in (longs.get(m.doc_id, set()) & near, near):
            hit, several = _one_root(pool, uf)
            if hit is not None:
                uf.union(node, hit)
                rule_of[(m.name, m.doc_id, "")] = "short-form"
                done.add(node)
                break
            if several:
                break


class _DocNames:
    """Per document (made on first use): the words of the names of its mentions that are not people ("Clinton"
    qualifies no "State Department"), the names of the places it mentions, and the surnames of the people it
    names in full (:func:`_named_in`)."""

    def __init__(self, mentions: list[MentionRecord], by_doc: dict[str, list[int]]) -> None:
        self.mentions, self.by_doc = mentions, by_doc
        self.found: dict[str, tuple[set[str], list[str], set[str]]] = {}

    def __call__(self, doc_id: str) -> tuple[set[str], list[str], set[str]]:
        got = self.found.get(doc_id)
        if got is None:
            ms = [self.mentions[k] for k in self.by_doc.get(doc_id, [])]
            words = {w for m in ms if m.type != "person" for w in normalize(m.name).split()}
            people = {n for m in ms if m.type == "person" for n in _person_keys(m.name)}
            got = self.found[doc_id] = (words, [m.name for m in ms if m.type == "location"], people)
        return got


@lru_cache(maxsize=65536)
def _person_keys(name: str) -> tuple[str, ...]:
    """A person's name normalised, and its last word (the surname) when it has more."""
    key = normalize(name)
    words = key.split()
    return (key, words[-1]) if len(words) >= 2 else (key,) if key else ()


#: Heads of the institutions that are named after the person who leads them ("the Velmar administration").
LEADER_HEADS = frozenset(["administration", "government", "cabinet", "presidency"])


def _named_in(
    doc_id: str, short: str, longs: Iterable[tuple[str, ...]], doc_names: _DocNames
) -> list[tuple[str, ...]]:
    """The long names (nodes) of which ``short`` is the end whose other words (the qualifier: ``velorian`` of
    ``velorian interior ministry``) document ``doc_id`` names (:class:`_DocNames`): each a word of one of its
    names, or the demonym of one of the places it mentions (``Saudi`` for ``Saudi Arabia``). A qualifier that is
    the name or surname of a person of the document (or its possessive) qualifies none but a leader's institution
    (:data:`LEADER_HEADS`): "Velmar State Department" is the model's glue of a person's name and the generic
    name, and the document's "State Department" is not Ana Velmar's; "the Velmar administration" is hers."""
    from .demonyms import country_for_demonym

    tail = short.split()
    n = len(tail)
    words, places, people = doc_names(doc_id)
    out = []
    for long in longs:
        long_words = long[1].split()
        qualifier = long_words[:-n]
        if (
            long_words[-n:] == tail
            and qualifier
            and all(w in words or country_for_demonym(w.capitalize(), places) is not None for w in qualifier)
            and not (
                people and long_words[-1] not in LEADER_HEADS and _is_person_of(" ".join(qualifier), people)
            )
        ):
            out.append(long)
    return out


def _is_person_of(qualifier: str, people: set[str]) -> bool:
    """Whether a normalised qualifier is one of ``people`` (:class:`_DocNames`), or its possessive (``velmars``)."""
    return qualifier in people or (qualifier.endswith("s") and qualifier[:-1] in people)


#: Words at most this rare (IDF in the shipped wordfreq table, ``claims/data/idf.tsv``) are common English
#: words ("finance" 7.8, "justice" 7.1, "interior" 8.1); names are rarer ("nusra" 12.3, "shabaab" 12.1).
COMMON_WORD_IDF = 9.0


def generic_institution(key: str, more_heads: frozenset[str] = frozenset()) -> bool:
    """Whether a normalised organisation name is an institution's generic name (``finance ministry``,
    ``justice department``, ``supreme court``): its last word an institution head, its other words common
    English words (:data:`COMMON_WORD_IDF`), none a place or a demonym. Every country has one, so such a
    short form joins a longer name (``Saudi Finance Ministry``) only in a document that names its qualifier
    (``Saudi``, or Saudi Arabia: :func:`_named_in`), and for that document alone; elsewhere it is the body of
    its own story. ``more_heads``: heads taken besides :data:`.lexicon.INSTITUTION_HEADS`."""
    from ..reference.places import country_of_demonym, is_place_name
    from ..vocab.idf import fixed_idf
    from .lexicon import INSTITUTION_HEADS

    words = key.split()
    if not words or (words[-1] not in INSTITUTION_HEADS and words[-1] not in more_heads):
        return False
    idf, default, _name = fixed_idf()
    return all(
        idf.get(w, default) <= COMMON_WORD_IDF and not is_place_name(w) and country_of_demonym(w) is None
        for w in words[:-1]
    )


_generic_name = lru_cache(maxsize=65536)(generic_institution)
""":func:`generic_institution`, each name's answer kept."""


class _LongerNames:
    """The longer names a short form fits, indexed by the short form's words: each proper end of a long
    name (``interior ministry`` of ``french interior ministry``; a one-word end only when that word is
    generic or a media word) and each proper start whose rest are ``generic`` words (``hamas`` of
    ``hamas movement``). The same names as testing every long name sharing the short form's first or
    last word (what it replaced: thousands of tests for ``ministry`` or ``new``)."""

    def __init__(self, longs: Iterable[tuple[str, ...]], generic: frozenset[str]) -> None:
        self.generic = generic
        self.ends: dict[tuple[str, ...], set[tuple[str, ...]]] = defaultdict(set)
        self.starts: dict[tuple[str, ...], set[tuple[str, ...]]] = defaultdict(set)
        for n in longs:
            words = tuple(n[1].split())
            for k in range(1, len(words)):
                self.ends[words[k:]].add(n)
            k = len(words)
            while k > 1 and words[k - 1] in generic:
                k -= 1
                self.starts[words[:k]].add(n)

    def fitted_by(self, short: str) -> set[tuple[str, ...]]:
        """The long names (nodes) ``short`` (a normalised name) is a short form of (a new set)."""
        words = tuple(short.split())
        if not words:
            return set()
        end_fits = len(words) >= 2 or words[0] in self.generic or words[0] in MEDIA_WORDS
        return (self.ends.get(words, set()) if end_fits else set()) | self.starts.get(words, set())


def _one_root(pool: Iterable[tuple[str, ...]], uf: _UF) -> tuple[tuple[str, ...] | None, bool]:
    """The one cluster root of the nodes of ``pool`` (``None`` when none or several), and whether there are
    several: stops at the second root (a generic short form fits thousands of names, asked per mention)."""
    root = None
    for n in pool:
        r = uf.find(n)
        if root is None:
            root = r
        elif r != root:
            return None, True
    return root, False


def _outlet_short_forms(
    mentions: list[MentionRecord],
    node_of: list[tuple[str, ...]],
    uf: _UF,
    rule_of: dict[Any, str],
    outlet_nodes: list[tuple[str, str, tuple[str, ...]]],
) -> None:
    """``the Gazette`` -> ``The Montreal Gazette``: an organisation name not joined to anything longer that
    is the end of exactly one outlet's name (two words or more, or a one-word media noun)."""
    keys = {n[1] for _d, _o, n in outlet_nodes}
    if not keys:
        return
    by_last: dict[str, list[str]] = defaultdict(list)  # an outlet's last word -> its names
    for k in sorted(keys):
        if k:
            by_last[k.split()[-1]].append(k)
    size = Counter(uf.find(n) for n in set(node_of))
    for i, m in enumerate(mentions):
        node = node_of[i]
        if node[0] != "o" or m.type != "organization" or is_acronym(m.name) or node[1] in keys:
            continue
        if size[uf.find(node)] > 1:
            continue  # already the short form of a longer name in the text
        s = node[1].split()
        hits = set()
        for k in by_last.get(s[-1], []) if s else ():  # an empty name ends no outlet's name
            lw = k.split()
            if len(s) < len(lw) and lw[-len(s) :] == s and (len(s) >= 2 or s[0] in MEDIA_WORDS):
                hits.add(uf.find(("o", k)))
        if len(hits) == 1:
            uf.union(node, next(iter(hits)))
            rule_of[(m.name, m.doc_id, "")] = "short-form"


_NAME_WORD = re.compile(r"[\w’'\-]+")


def _has_group_word(members: list[MentionRecord]) -> bool:
    """Whether a word of a member's name is a group word (each distinct name read once: a cluster of
    thousands of mentions has a few names)."""
    names = {w.lower() for name in {m.name for m in members} for w in _NAME_WORD.findall(name)}
    return bool(names & GROUP_WORDS)


def _type(members: list[MentionRecord]) -> EntityType:
    # each distinct (name, type) pair's count, then the votes of the names that are not acronyms (or of all)
    pairs = Counter(zip(map(_NAME_OF, members), map(_TYPE_OF, members), strict=True))
    votes: Counter[str] = Counter()
    for (name, kind), n in pairs.items():
        if not is_acronym(name):
            votes[kind] += n
    if not votes:
        votes = Counter(map(_TYPE_OF, members))
    if votes.get("other", 0) and votes["other"] >= sum(v for t, v in votes.items() if t != "other"):
        return "other"  # a named document or agreement
    if votes.get("location", 0) > votes.get("organization", 0) + votes.get("group", 0):
        return "location"
    if "group" in votes or (votes.get("organization") and _has_group_word(members)):
        return "group"
    if votes.get("organization"):
        return "organization"
    if votes.get("location"):
        return "location"
    return "other"


def _type_of_one(members: list[MentionRecord]) -> EntityType:
    """:func:`_type` of one mention (``members`` holds one): its votes are its own type, once."""
    kind = members[0].type
    if kind in ("other", "location", "group"):
        return kind
    if kind == "organization":
        return "group" if _has_group_word(members) else "organization"
    return "other"  # a person (or an unknown label) outvotes nothing


def _titled_forms(titled: str | None) -> list[str]:
    """``French Prime Minister X`` -> itself and ``Prime Minister X`` (the demonym or ``Country's``
    that opens a title is part of the role, and the shorter titled form is a surface form too)."""
    if not titled:
        return []
    from .demonyms import looks_like_demonym

    out = [titled]
    first, _, rest = titled.partition(" ")
    if rest and len(rest.split()) >= 2 and (looks_like_demonym(first) or re.fullmatch(r"\w+['’]s", first)):
        out.append(rest)
    return out


def _alias_rule(
    m: MentionRecord, canonical: str, rule_of: dict[Any, str], rule_by_name: dict[str, str]
) -> str:
    if (m.name, m.doc_id, "") in rule_of:
        return rule_of[(m.name, m.doc_id, "")]
    if m.name in rule_by_name:
        return rule_by_name[m.name]
    if normalize(m.name) == normalize(canonical):
        return "variant"
    if (
        m.type == "person"
        and len(m.name.split()) == 1
        and canonical.split()[-1:]
        and normalize(canonical).split()[-1] == normalize(m.name)
    ):
        return "surname"
    by_key = rule_of.get(("", "", normalize(m.name)))
    if by_key is not None:
        return by_key  # "fuzzy", "middle-initial", "legal-form"
    if m.rule != "mention":
        return m.rule
    return "mention"
