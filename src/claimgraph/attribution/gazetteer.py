"""Known names found again after resolution.

NER misses names it has already found elsewhere (``France`` tagged NORP in one sentence, an outlet in a
dateline). Two passes use what the corpus already knows:

- :func:`outlet_mentions`: a document's outlet (metadata) is an organisation; where its name occurs in
  a text (``LYON, Nov 12 (Reuters) —``, ``told The Washington Post``) it is a mention;
- :class:`AliasMatcher`: the entities a statement names. Every resolved entity whose surface form
  occurs in the statement's span (word-boundary, token-wise normalised like
  :func:`.resolution.normalize`, longest form first), plus demonyms mapped to their country
  (``French forces`` -> France, by :func:`.demonyms.country_for_demonym`).

Which forms count: in a document, every surface form of an entity met *in that document* (so ``Ruiz``
is Ana Ruiz in one article and Carlos Ruiz in another); across documents, only canonical names and
multi-word forms that belong to one entity (a one-word person name or a short form like ``Commission``
never reaches into another document). A match must be written as the entity was written somewhere, or
start with a capital or a digit (``may`` never matches a person called May).
"""

from __future__ import annotations

import bisect
import functools
import operator
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from ..model import Document, Entity, Part
from .resolution import MentionRecord, normalize

__all__ = ["AliasMatcher", "ids_inside", "outlet_mentions"]

_TOKEN_RE = re.compile(r"[^\W_]+(?:['’.][^\W_]+)*")
_SPAN = re.Match.span
_TEXT_OF = operator.attrgetter("text")
_DOCUMENT_AND_TEXT = operator.attrgetter("document_id", "text")
_GAP_RE = re.compile(r"[\s\-‐‑–—/]+")
_AMBIGUOUS = ""
_MAX_WORDS = 8
#: Alias rules that hold across documents (a short form, a surname or initials depend on the document).
_GLOBAL_RULES = frozenset(
    [
        "variant",
        "title",
        "fuzzy",
        "acronym-defined",
        "alternative-defined",
        "author",
        "mention",
        "known-alias",
    ]
)


def _tokens(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), normalize(m.group(0))) for m in _TOKEN_RE.finditer(text)]


@functools.lru_cache(maxsize=65536)
def _form_key(surface: str) -> tuple[str, ...]:
    keys = [k for k in map(normalize, _TOKEN_RE.findall(surface)) if k]  # the keys of :func:`_tokens`
    if keys and keys[0] == "the":
        keys = keys[1:]
    return tuple(keys)


class AliasMatcher:
    """Find the entities named in spans of the corpus's documents."""

    def __init__(self, entities: Sequence[Entity]) -> None:
        self._doc_forms: dict[str, dict[tuple[str, ...], str]] = defaultdict(dict)
        self._global: dict[tuple[str, ...], str] = {}
        self._exact: set[str] = set()
        self._places: dict[str, str] = {}
        self._cache: dict[tuple[str, str], list[tuple[int, int, str]]] = {}
        self._demonym_hits: dict[str, str | None] = {}
        #: word -> whether its demonym answer reads the places at all (:meth:`_demonym`)
        self._place_question: dict[str, bool] = {}
        self._place_index: Any = None
        #: token as written -> :func:`.resolution.normalize` of it (every word of every text is looked up:
        #: a dict of the corpus's words, not the bounded cache of ``normalize``, which a large corpus overflows)
        self._token_keys: dict[str, str] = {}

        def put(table: dict[tuple[str, ...], str], key: tuple[str, ...], eid: str) -> None:
            if not key or len(key) > _MAX_WORDS:
                return
            old = table.get(key)
            table[key] = eid if old is None or old == eid else _AMBIGUOUS

        for ent in entities:
            name_key = _form_key(ent.name)
            self._exact.add(ent.name)
            if len(name_key) >= 2 or ent.type != "person":
                put(self._global, name_key, ent.id)
            for a in ent.aliases:
                key = _form_key(a.name)
                self._exact.add(a.name)
                if a.document_id is not None:
                    put(self._doc_forms[a.document_id], key, ent.id)
                if a.rule in _GLOBAL_RULES and (len(key) >= 2 or a.rule == "acronym-defined"):
                    put(self._global, key, ent.id)
            self._exact.update(map(_TEXT_OF, ent.mention_spans))
            # a text met again in its document puts the same form again, which changes nothing: each distinct
            # (document, text) once, in the order of first meeting (the tables' order too is unchanged)
            for doc_id, text in dict.fromkeys(map(_DOCUMENT_AND_TEXT, ent.mention_spans)):
                put(self._doc_forms[doc_id], _form_key(text), ent.id)
            for doc_id in ent.document_ids:
                put(self._doc_forms[doc_id], name_key, ent.id)
            if ent.type == "location":
                for n in [ent.name, *(a.name for a in ent.aliases)]:
                    self._places.setdefault(n, ent.id)
        #: every prefix of a known form (of any document): a span whose first words are none is no name
        self._prefixes: set[tuple[str, ...]] = set()
        prefixes = self._prefixes
        forms = set(self._global)  # each distinct form once (most are in many documents' tables)
        for table in self._doc_forms.values():
            forms.update(table)
        for k in forms:
            if len(k) == 1:
                prefixes.add(k)  # a one-word form (most) is its only prefix
            else:
                prefixes.update(k[:n] for n in range(1, len(k) + 1))
        #: first words of the known forms (a word that begins none is no name's start)
        self._first = {k[0] for k in self._prefixes}

    def _lookup(self, doc_id: str, key: tuple[str, ...]) -> str | None:
        eid = self._doc_forms.get(doc_id, {}).get(key)
        if eid is None:
            eid = self._global.get(key)
        return eid or None

    def _demonym(self, word: str) -> str | None:
        if word not in self._demonym_hits:
            from .demonyms import PlaceIndex, looks_like_demonym

            if self._place_index is None:  # places indexed once (the same answers as country_for_demonym)
                self._place_index = PlaceIndex(self._places)
            hit = self._place_index.country_for(word)
            self._demonym_hits[word] = self._places[hit] if hit is not None else None
            # a word that is neither a table demonym nor of a demonym's shape finds no place in any places
            # (PlaceIndex.country_for): its answer is no input of a scan (scan's ``asked``)
            self._place_question[word] = looks_like_demonym(word)
        return self._demonym_hits[word]

    def _longest(
        self, doc_id: str, text: str, spans: list[tuple[int, int]], i: int, words: list[str], top: int
    ) -> tuple[int, int, str, int] | None:
        """The longest known form among ``words[:top]`` .. ``words[:1]`` from token ``i``, as written."""
        for n in range(top, 0, -1):
            eid = self._lookup(doc_id, tuple(words[:n]))
            if eid is None:
                continue
            if any(not _GAP_RE.fullmatch(text[spans[j][1] : spans[j + 1][0]]) for j in range(i, i + n - 1)):
                continue  # a name never runs over punctuation
            s, e = spans[i][0], spans[i + n - 1][1]
            raw = text[s:e]
            if raw in self._exact or raw[:1].isupper() or raw[:1].isdigit():
                return (s, e, eid, n)
        return None

    def _words(self, text: str) -> tuple[list[tuple[int, int]], list[str], list[str]]:
        """The spans, words as written and :func:`.resolution.normalize` keys of :func:`_tokens` of
        ``text``: made by the regex engine and ``map`` (no Python step per word), each distinct word
        normalised once per matcher."""
        spans = list(map(_SPAN, _TOKEN_RE.finditer(text)))
        words = _TOKEN_RE.findall(text)
        keys = self._token_keys
        for word in set(words).difference(keys):
            keys[word] = normalize(word)
        return spans, words, list(map(keys.__getitem__, words))

    def matches(self, doc_id: str, text: str) -> list[tuple[int, int, str]]:
        """Sorted ``(start, end, entity_id)`` of every known name and demonym in ``text``."""
        key = (doc_id, text)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        out = self.scan(doc_id, text)[0]
        self._cache[key] = out
        return out

    def prime(self, doc_id: str, text: str, found: list[tuple[int, int, str]]) -> None:
        """Make ``found`` the answer of :meth:`matches` for ``(doc_id, text)`` (a result kept from a previous
        run that these tables give again: :mod:`.scanmemo`)."""
        self._cache[(doc_id, text)] = found

    def scan(
        self, doc_id: str, text: str
    ) -> tuple[list[tuple[int, int, str]], set[str], dict[str, str | None]]:
        """:meth:`matches` computed (not cached), with what the answer read besides the tables' forms:
        the :func:`.resolution.normalize` keys of every word of ``text``, and the demonym answer of each
        word asked whose answer depends on the places (``word as written -> entity id or None``; a word of no
        demonym's shape answers ``None`` whatever the places, :meth:`_demonym`)."""
        spans, raw, keys = self._words(text)
        asked: dict[str, str | None] = {}
        out: list[tuple[int, int, str]] = []
        prefixes = self._prefixes
        first = self._first
        n_toks = len(keys)
        # only a word that begins a known form, or a capitalised one (a demonym) when the corpus has
        # places, can start a match: the others are stepped over as the scan would
        starts = [i for i, k in enumerate(keys) if k in first]
        if self._places:
            starts = sorted({*starts, *(i for i, w in enumerate(raw) if w[:1].isupper())})
        i = 0
        for at in starts:
            if at < i:
                continue  # inside the match found before
            i = at
            found = None
            if keys[i] in first:
                # the longest run of words from ``i`` that begins some known form: no longer form can
                # match (one set lookup per word instead of a lookup per length up to the longest form)
                words = [keys[i]]
                top = 1
                while i + top < n_toks:
                    words.append(keys[i + top])
                    if tuple(words) not in prefixes:
                        break
                    top += 1
                found = self._longest(doc_id, text, spans, i, words, top)
            if found is not None:
                out.append(found[:3])
                i += found[3]
                continue
            if self._places and raw[i][:1].isupper():
                eid = self._demonym(raw[i])
                if eid is not None:
                    out.append((*spans[i], eid))
                if self._place_question[raw[i]]:
                    asked[raw[i]] = eid
            i += 1
        return out, set(keys), asked

    def entities_in(self, doc_id: str, text: str, start: int, end: int) -> list[str]:
        """Entity ids named inside ``text[start:end]`` (whole names only)."""
        return sorted(self.entity_set_in(doc_id, text, start, end))

    def entity_set_in(self, doc_id: str, text: str, start: int, end: int) -> set[str]:
        """:meth:`entities_in` as a set (for a caller that adds them to other ids and sorts once)."""
        return ids_inside(self.matches(doc_id, text), start, end)


def ids_inside(found: Sequence[tuple[int, int, str]], start: int, end: int) -> set[str]:
    """The ids of the sorted ``(start, end, id)`` spans of ``found`` that lie inside ``start``..``end``. A test of
    each span alone: on a sorted merge of several such lists it is the union of their answers."""
    i = bisect.bisect_left(found, (start, -1, ""))
    ids: set[str] = set()
    while i < len(found) and found[i][0] < end:
        if found[i][1] <= end:
            ids.add(found[i][2])
        i += 1
    return ids


_WORD_OR_HYPHEN = re.compile(r"[\w\-]")


def outlet_pattern(forms: Iterable[str]) -> re.Pattern[str]:
    """The alternation of ``forms`` (longest first) not followed by a word character or hyphen. The
    condition on the character before is tested by :func:`outlet_spans`: a pattern that opens with an
    alternation of literals is searched by its possible first characters, one that opens with a
    look-behind is tried at every position of every text."""
    return re.compile(
        r"(?:" + "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)) + r")(?![\w\-])"
    )


def outlet_spans(pattern: re.Pattern[str], text: str) -> Iterator[tuple[int, int]]:
    r"""The spans :meth:`re.Pattern.finditer` gives for ``(?<![\w\-])`` + ``pattern``: the leftmost match
    whose start is not after a word character or hyphen, then the next from its end (a start refused by
    the look-behind is stepped over by one character, as the regex engine would)."""
    pos = 0
    while (hit := pattern.search(text, pos)) is not None:
        s = hit.start()
        if s > 0 and _WORD_OR_HYPHEN.match(text, s - 1):
            pos = s + 1
            continue
        yield s, hit.end()
        pos = hit.end()


def outlet_mentions(docs: Iterable[Document], mentions: list[MentionRecord]) -> list[MentionRecord]:
    """Mentions of the corpus's outlets (document metadata) in texts and headlines, where NER missed
    them. A found name replaces shorter mentions inside it (``Malta`` inside ``Malta Today``) and
    gives way to mentions that cross it."""
    docs = list(docs)
    forms: dict[str, str] = {}
    for d in docs:
        name = (d.outlet or "").strip()
        if not name or not any(c.isupper() for c in name):
            continue
        forms.setdefault(name, name)
        bare = re.sub(r"^(?:The|the)\s+", "", name)
        if bare != name and len(bare.split()) >= 2:  # "The Times" never makes every "Times" an outlet
            forms.setdefault(bare, name)
    if not forms:
        return mentions
    pattern = outlet_pattern(forms)
    by_part: dict[tuple[str, str], list[MentionRecord]] = defaultdict(list)
    for m in mentions:
        by_part[(m.doc_id, m.part)].append(m)
    drop: set[int] = set()
    added: list[MentionRecord] = []
    for d in docs:
        parts: tuple[tuple[Part, str], ...] = (("text", d.text or ""), ("title", d.title or ""))
        for part, text in parts:
            for s, e in outlet_spans(pattern, text):
                if text[s : s + 4] in ("The ", "the "):
                    s += 4  # mentions are written without their article
                here = [m for m in by_part.get((d.id, part), []) if m.start < e and s < m.end]
                if any(m.start < s or m.end > e for m in here):
                    continue
                if any(m.start == s and m.end == e for m in here):
                    continue  # NER has it already
                drop.update(id(m) for m in here)
                rec = MentionRecord(
                    doc_id=d.id,
                    part=part,
                    start=s,
                    end=e,
                    text=text[s:e],
                    name=text[s:e],
                    type="organization",
                    label="ORG",
                    rule="outlet",
                )
                added.append(rec)
                by_part[(d.id, part)].append(rec)
    if not added:
        return mentions
    return [m for m in mentions if id(m) not in drop] + added
