"""The gazetteer scan of a workspace's documents kept between runs: redone only where a table changed.

:meth:`.gazetteer.AliasMatcher.matches` of one document's text (or title) is a function of

- the text and the document id;
- the answers of the form tables for runs of the text's words: the document's own table (its
  surface forms), then the corpus-wide one (``AliasMatcher._global``);
- whether a run *as written* is one of the exact spellings (``AliasMatcher._exact``);
- the demonym answer of each capitalised word it asks (``AliasMatcher._demonym``), and whether the
  corpus has places at all.

The first-word and prefix sets only prune: a run they cut short has no answer in any table, so they
are not inputs (``tests/attribution/test_linear_passes.py`` checks the pruned scan against the scan of
every word). So a document whose text, own table and demonym answers are unchanged, and none of whose
word runs has a changed corpus-wide answer or exact-spelling membership, gets the same matches as
before. The last condition is tested on a superset: every word of a changed form (or spelling)
occurs in the document. Hence the *diff* route: the previous run's corpus-wide tables are kept in the
store's ``memo`` table, the new ones are compared with them, and a document is scanned again only when

1. it is new, or its text, title or id changed (a digest of them is kept);
2. its own form table changed (a digest of it is kept);
3. all the words of a changed corpus-wide form, or of an exact spelling added or removed, are among its
   words (each document's words are kept; an index from word to documents is made for the changed
   forms' words only);
4. a word it asked the demonym question of has another answer now (each document's questions and
   answers are kept, for the words whose answer depends on the places at all: a word of no demonym's shape
   answers nothing whatever the places; asked again only when the places changed);
5. the corpus went from no places to some, or back (every document is scanned).

Every other document's matches are read back. One row per document (key: its id) and one row of tables
(:data:`TABLES_KEY`), under a namespace that carries the attribution code fingerprint, written in one
transaction: a row is always valid for the tables stored beside it (a reused row is, because the new
tables give it again). Row layout ``v2``: a document's words are one string (:data:`WORD_SEPARATOR`), not a
list, and the own-table digest is of orjson's text: reading 10,000 rows back decodes about a million fewer
objects. ``docs/attribution.md`` ("The gazetteer scan on an increment") argues this in full.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import orjson

from ..model import Document
from .gazetteer import AliasMatcher, _tokens

if TYPE_CHECKING:
    from ..store import Store

__all__ = ["SCAN_MEMO_VERSION", "ScanStats", "scan_documents"]

#: Bumped when the rows' layout changes (the code fingerprint in the namespace covers rule changes).
SCAN_MEMO_VERSION = "v3"
NAMESPACE_PREFIX = "attribution.scan."
TABLES_KEY = "@tables"

_Found = list[tuple[int, int, str]]


@dataclass
class ScanStats:
    """What the last :func:`scan_documents` did (read by tests and benchmarks)."""

    documents: int = 0
    reused: int = 0
    """Documents whose stored matches were read back."""
    scanned: int = 0
    """Documents scanned (``new`` of them had no usable row: new, edited, or no memo yet)."""
    new: int = 0
    changed_forms: int = 0
    """Corpus-wide forms whose answer changed since the stored run."""
    changed_spellings: int = 0
    """Exact spellings added or removed."""
    changed_demonyms: int = 0
    """Distinct words asked before whose demonym answer changed."""
    places_changed: bool = False
    memo: bool = False
    """Whether a store kept the scan (else the matcher scans on demand, as without this module)."""


#: The statistics of the last :func:`scan_documents` of this process.
LAST = ScanStats()


def _text_digest(doc: Document) -> str:
    h = hashlib.sha256()
    for value in (doc.id, doc.text or "", doc.title or ""):
        h.update(value.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()[:32]


#: ``json.dumps(..., ensure_ascii=False)`` built once (``json.dumps`` with options makes one per call)
_ENCODER = json.JSONEncoder(ensure_ascii=False)


def _forms_digest(table: dict[tuple[str, ...], str] | None) -> str:
    """A digest of a document's own form table: of the JSON of its sorted ``(words, id)`` items (a tuple sorts
    and encodes as the list of the same words would), in orjson's compact text, or ``json``'s where orjson
    refuses a string (a lone surrogate). JSON text is read back one way only, so two tables with the same
    text are the same table, whichever encoder wrote each."""
    rows = sorted((table or {}).items())
    try:
        payload = orjson.dumps(rows)
    except orjson.JSONEncodeError:
        payload = _ENCODER.encode(rows).encode("utf-8", "surrogatepass")
    return hashlib.sha256(payload).hexdigest()[:32]


#: The separator of a row's words (``"words"``: one string, which decodes as one object instead of a list
#: of hundreds): a word is a :func:`.resolution.normalize` key, whose white space is all single spaces.
WORD_SEPARATOR = "\n"


def _row_words(row: dict[str, Any]) -> list[str]:
    """The words of a stored row (see :data:`WORD_SEPARATOR`)."""
    words: str = row["words"]
    return words.split(WORD_SEPARATOR) if words else []


def namespace(fingerprint: str) -> str:
    """The memo namespace of the scan made by the attribution code of ``fingerprint``."""
    return f"{NAMESPACE_PREFIX}{SCAN_MEMO_VERSION}:{fingerprint}"


def _tables(matcher: AliasMatcher) -> dict[str, Any]:
    """The matcher's corpus-wide tables as stored: the forms as ``{words joined by WORD_SEPARATOR: id}`` (a
    form is one or more non-empty words, none holding the separator, so the joined string gives the form
    back) and the places as they are, in the matcher's order (made from the entities in id order); the
    exact spellings sorted. Compared with the stored tables as dicts, whatever their order."""
    return {
        "global": {WORD_SEPARATOR.join(k): v for k, v in matcher._global.items()},
        "exact": sorted(matcher._exact),
        "places": dict(matcher._places),
    }


def _words_of(spelling: str) -> set[str]:
    return {k for _s, _e, k in _tokens(spelling) if k}


def _changed_words(
    old: dict[str, Any], now: dict[str, Any], matcher: AliasMatcher
) -> tuple[list[set[str]], int, int]:
    """The word sets of the corpus-wide forms whose answer changed (``old`` and ``now``: stored tables,
    :func:`_tables`) and of the exact spellings added or removed; with how many of each."""
    before: dict[str, str] = old.get("global", {})
    after: dict[str, str] = now["global"]
    forms = [k for k in before.keys() | after.keys() if before.get(k) != after.get(k)]
    exact_before = set(old.get("exact", []))
    spellings = exact_before ^ matcher._exact
    sets = [set(k.split(WORD_SEPARATOR)) for k in forms]
    for s in spellings:
        sets.append(_words_of(s))  # an empty set (no word): every document is a candidate
    return sets, len(forms), len(spellings)


def _affected(rows: dict[str, dict[str, Any]], word_sets: list[set[str]]) -> set[str]:
    """The documents (of ``rows``) whose words include every word of one of ``word_sets``."""
    if not word_sets:
        return set()
    if any(not ws for ws in word_sets):
        return set(rows)
    wanted = set().union(*word_sets)
    postings: dict[str, set[str]] = {w: set() for w in wanted}
    for doc_id, row in rows.items():
        for w in wanted.intersection(_row_words(row)):
            postings[w].add(doc_id)
    out: set[str] = set()
    for ws in word_sets:
        ordered = sorted(ws, key=lambda w: len(postings[w]))
        docs = set(postings[ordered[0]])
        for w in ordered[1:]:
            if not docs:
                break
            docs &= postings[w]
        out |= docs
    return out


def _demonyms_changed(rows: dict[str, dict[str, Any]], matcher: AliasMatcher) -> tuple[set[str], int]:
    """The documents (of ``rows``) one of whose demonym questions has another answer with ``matcher``."""
    answers: dict[str, str | None] = {}
    out: set[str] = set()
    changed: set[str] = set()
    for doc_id, row in rows.items():
        for word, before in row["asked"].items():
            if word not in answers:
                answers[word] = matcher._demonym(word)
            if answers[word] != before:
                out.add(doc_id)
                changed.add(word)
    return out, len(changed)


def _load(
    store: Any, ns: str, docs: Sequence[Document]
) -> tuple[dict[str, Any] | None, dict[str, dict[str, Any]]]:
    """The stored tables and the rows of ``docs`` the tables vouch for (same text digest)."""
    tables = store.get_memos(ns, [TABLES_KEY]).get(TABLES_KEY)
    if not isinstance(tables, dict) or not isinstance(tables.get("docs"), dict):
        return None, {}
    listed: dict[str, str] = tables["docs"]
    ids = [d.id for d in docs if d.id in listed]
    rows = {}
    for doc_id, row in store.get_memos(ns, ids).items():
        if isinstance(row, dict) and row.get("digest") == listed.get(doc_id):
            rows[doc_id] = row
    return tables, rows


def _plan(
    tables: dict[str, Any] | None,
    rows: dict[str, dict[str, Any]],
    docs: Sequence[Document],
    matcher: AliasMatcher,
    now: dict[str, Any],
    digests: dict[str, str],
    forms: dict[str, str],
    stats: ScanStats,
) -> dict[str, dict[str, Any]]:
    """The rows of ``rows`` that hold for ``matcher``'s tables (``now``: as :func:`_tables` stores them),
    the documents to read back."""
    valid = {
        d.id: rows[d.id]
        for d in docs
        if d.id in rows and rows[d.id]["digest"] == digests[d.id] and rows[d.id]["forms"] == forms[d.id]
    }
    if tables is None or not valid:
        return {}
    places_before: dict[str, str] = tables.get("places", {})
    if bool(places_before) != bool(matcher._places):
        stats.places_changed = True
        return {}  # every capitalised word is a question now, or none is
    word_sets, stats.changed_forms, stats.changed_spellings = _changed_words(tables, now, matcher)
    drop = _affected(valid, word_sets)
    if places_before != matcher._places:
        stats.places_changed = True
        moved, stats.changed_demonyms = _demonyms_changed(
            {k: v for k, v in valid.items() if k not in drop}, matcher
        )
        drop |= moved
    return {k: v for k, v in valid.items() if k not in drop}


def _found(rows: list[list[Any]]) -> _Found:
    """The matches of a stored row (``[start, end, id]`` lists, as this module wrote them) as tuples."""
    return list(map(tuple, rows))


def _scan_parts(
    matcher: AliasMatcher, docs: Sequence[Document], jobs: int
) -> list[tuple[_Found, _Found, list[str], dict[str, str | None]]]:
    """Each document's text and title matches, words and demonym answers (forked workers for many)."""
    from ..parallel import split_map

    def compute(part: Sequence[Document]) -> list[tuple[_Found, _Found, list[str], dict[str, str | None]]]:
        out = []
        for doc in part:
            text, words, asked = matcher.scan(doc.id, doc.text or "")
            title, title_words, title_asked = matcher.scan(doc.id, doc.title or "")
            out.append((text, title, sorted(words | title_words), asked | title_asked))
        return out

    return split_map("gazetteer-scan", compute, docs, jobs, 1, MIN_DOCUMENTS_PER_WORKER)


#: Fewest documents per worker worth a fork for the scan (about 0.1 s of work).
MIN_DOCUMENTS_PER_WORKER = 100


def scan_documents(
    matcher: AliasMatcher, docs: Sequence[Document], store: Store | None, fingerprint: str, jobs: int
) -> ScanStats:
    """Fill ``matcher``'s answers for every document's text and title: read back from ``store`` where the
    stored scan still holds (see the module's docstring), scanned otherwise; then store this run's scan.
    Without a store that keeps memos, nothing is done (the matcher scans on demand, as before)."""
    global LAST
    stats = ScanStats(documents=len(docs))
    LAST = stats
    if store is None or not hasattr(store, "get_memos") or not hasattr(store, "update_memos"):
        return stats
    stats.memo = True
    ns = namespace(fingerprint)
    tables, rows = _load(store, ns, docs)
    digests = {d.id: _text_digest(d) for d in docs}
    forms = {d.id: _forms_digest(matcher._doc_forms.get(d.id)) for d in docs}
    now = _tables(matcher)
    kept = _plan(tables, rows, docs, matcher, now, digests, forms, stats)
    todo = [d for d in docs if d.id not in kept]
    stats.reused = len(kept)
    stats.scanned = len(todo)
    stats.new = sum(1 for d in todo if d.id not in rows)
    for doc in docs:
        row = kept.get(doc.id)
        if row is not None:
            matcher.prime(doc.id, doc.text or "", _found(row["text"]))
            matcher.prime(doc.id, doc.title or "", _found(row["title"]))
    written: dict[str, Any] = {}
    for doc, (text, title, words, asked) in zip(todo, _scan_parts(matcher, todo, jobs), strict=True):
        matcher.prime(doc.id, doc.text or "", text)
        matcher.prime(doc.id, doc.title or "", title)
        written[doc.id] = {
            "digest": digests[doc.id],
            "forms": forms[doc.id],
            "text": [list(t) for t in text],
            "title": [list(t) for t in title],
            "words": WORD_SEPARATOR.join(words),
            "asked": asked,
        }
    listed = {d.id: digests[d.id] for d in docs}
    gone = sorted(set((tables or {}).get("docs", {})) - set(listed))
    now = {"docs": listed, **now}
    if written or gone or now != tables:  # a rerun with nothing new writes nothing
        written[TABLES_KEY] = now
        store.update_memos(ns, written, gone, stale_prefix=NAMESPACE_PREFIX)
    return stats


def rows_of(store: Any, fingerprint: str, ids: Iterable[str]) -> dict[str, Any]:
    """The stored rows of ``ids`` (for tests)."""
    return dict(store.get_memos(namespace(fingerprint), list(ids)))
