"""Per-text facts of the claims stage, kept in process and in the workspace store between runs.

The claims stage asks many pure questions of each statement's text (and cue): its matching tokens, its
figures, its cue tests (refusal, dispute, denial, relay, a reference to a claim, a stance on it, a
contradiction, a negation word, a row of figures) and where it uses a demonym. Each is a function of the text (and cue) and of the code and
vocabularies alone. In one process they are kept per text (:class:`TextCache`, as ``functools.lru_cache``
did); an incremental run is a new process, where recomputing them for every old statement was about a third
of the stage's CPU (``docs/scale.md``, "The claims stage on an incremental run").

:class:`StoredTextFacts` keeps them in the store's ``memo`` table, one entry per document: the key is the
SHA-256 of the document's statements' texts and cues (so an entry is only ever read back for exactly those
statements), the value every fact of each of them, in order. The namespace carries the package fingerprint
(code, vocabularies), like the stance memo's, so another code version never reads them. A run reads the
entries of its documents, fills the in-process caches with them (exact: the stored values are the
functions' own results, JSON round-trips of strings, string lists and booleans), computes the facts of
new documents' statements and writes only the new entries; entries of documents no longer in the
workspace are dropped.
"""

from __future__ import annotations

import functools
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from operator import attrgetter
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from ..model import Statement

__all__ = [
    "FACTS_VERSION",
    "FlagCache",
    "FlagCueCache",
    "StoredTextFacts",
    "TextCache",
    "TextCueCache",
    "clear_caches",
]

R = TypeVar("R")

#: Bumped when the layout of a stored entry changes (3: the negation test's bit; 4: the figure-row bit).
FACTS_VERSION = 4
#: Past this many statements the facts are neither read nor written: the caches would then hold every
#: statement's facts at once (they are bounded to about this many entries otherwise), so memory stays that
#: of a run without the memo.
MAX_STATEMENTS = 1 << 17
_MISSING: Any = object()
_CACHES: list[TextCache[Any] | TextCueCache[Any]] = []


def clear_caches() -> None:
    """Empty every per-text cache of this process (as a new process starts)."""
    for cache in _CACHES:
        cache.cache_clear()
    _TEXT_FLAGS.clear()
    _CUE_FLAGS.clear()


class TextCache(Generic[R]):
    """A pure function of one text, kept per text in this process (cleared past ``maxsize`` entries) and
    fillable from stored results (:meth:`prime`)."""

    def __init__(self, func: Callable[[str], R], maxsize: int = 1 << 17) -> None:
        self.func = func
        self.maxsize = maxsize
        self.data: dict[str, R] = {}
        self.__doc__ = func.__doc__
        self.__name__ = getattr(func, "__name__", "text_cache")
        self.__wrapped__ = func
        _CACHES.append(self)

    def __call__(self, text: str) -> R:
        found = self.data.get(text, _MISSING)
        if found is _MISSING:
            found = self.func(text)
            if len(self.data) >= self.maxsize:
                self.data.clear()
            self.data[text] = found
        return found

    def prime(self, values: Iterable[tuple[str, R]]) -> None:
        self.data.update(values)

    def cache_clear(self) -> None:
        self.data.clear()


class TextCueCache(Generic[R]):
    """:class:`TextCache` for a pure function of a text and its (optional) cue."""

    def __init__(self, func: Callable[[str, str | None], R], maxsize: int = 1 << 17) -> None:
        self.func = func
        self.maxsize = maxsize
        self.data: dict[tuple[str, str | None], R] = {}
        self.__doc__ = func.__doc__
        self.__name__ = getattr(func, "__name__", "text_cue_cache")
        self.__wrapped__ = func
        _CACHES.append(self)

    def __call__(self, text: str, cue: str | None = None) -> R:
        key = (text, cue or None)
        found = self.data.get(key, _MISSING)
        if found is _MISSING:
            found = self.func(text, cue or None)
            if len(self.data) >= self.maxsize:
                self.data.clear()
            self.data[key] = found
        return found

    def prime(self, values: Iterable[tuple[tuple[str, str | None], R]]) -> None:
        self.data.update(values)

    def cache_clear(self) -> None:
        self.data.clear()


#: The stored entries' cue-test answers (:data:`_FLAG_BITS` tuples, in :data:`_FLAGS` order) by text, and by
#: (text, cue) for the tests :data:`_KEYED_BY_CUE`: one store per statement for all its tests (:func:`_prime`),
#: which :class:`FlagCache` and :class:`FlagCueCache` read at their own bit. Nine stores per statement (one per
#: test's cache) cost about 0.15 s on the 10,000-document store, and most statements are never asked some tests.
_TEXT_FLAGS: dict[str, tuple[bool, ...]] = {}
_CUE_FLAGS: dict[tuple[str, str | None], tuple[bool, ...]] = {}


class FlagCache(TextCache[bool]):
    """:class:`TextCache` of a cue test kept in the stored entries (:data:`_FLAGS`): a text of a stored entry is
    answered from :data:`_TEXT_FLAGS` at :attr:`bit` (the stored answer is the function's own result), any
    other text as by :class:`TextCache`."""

    bit: int | None = None
    """The test's place in :data:`_FLAGS` (set by :func:`_cue_tests`, before any entry is read)."""

    def __call__(self, text: str) -> bool:
        stored = _TEXT_FLAGS.get(text)
        if stored is not None:
            return stored[self.bit]  # type: ignore[index]
        return super().__call__(text)


class FlagCueCache(TextCueCache[bool]):
    """:class:`FlagCache` for a cue test of a text and its cue (:data:`_CUE_FLAGS`)."""

    bit: int | None = None

    def __call__(self, text: str, cue: str | None = None) -> bool:
        stored = _CUE_FLAGS.get((text, cue or None))
        if stored is not None:
            return stored[self.bit]  # type: ignore[index]
        return super().__call__(text, cue)


#: The cue tests of an entry, as bits of its flags (in this order).
_FLAGS = ("refuses", "dispute", "refers", "takes", "relay", "denial", "contradicts", "negated", "figure_row")


#: Which cue tests take the statement's cue as well as its text (their caches are keyed by both).
_KEYED_BY_CUE = frozenset({"dispute", "takes", "denial"})


@functools.cache
def _cue_tests() -> dict[str, Any]:
    """The cached cue tests, by their :data:`_FLAGS` name (imported here: the stage modules import this one)."""
    from .stage import contradicts, is_figure_row
    from .stance import (
        _negated,
        has_denial_cue,
        has_dispute_cue,
        has_relay_cue,
        refers_to_claim,
        refuses,
        takes_stance_on_claim,
    )

    tests: tuple[FlagCache | FlagCueCache, ...] = (
        refuses,
        has_dispute_cue,
        refers_to_claim,
        takes_stance_on_claim,
        has_relay_cue,
        has_denial_cue,
        contradicts,
        _negated,
        is_figure_row,
    )
    for bit, (name, test) in enumerate(zip(_FLAGS, tests, strict=True)):
        if not isinstance(test, FlagCueCache if name in _KEYED_BY_CUE else FlagCache):
            raise TypeError(f"the stored cue test {name!r} must be a flag cache")
        test.bit = bit
    return dict(zip(_FLAGS, tests, strict=True))


def _facts_of(st: Statement) -> list[Any]:
    """Every stored fact of one statement (computed through the caches): its tokens and its figures joined
    by spaces (neither holds a space), the cue tests as bits (:data:`_FLAGS`), its demonym matches."""
    from .actors import demonym_matches
    from .text import _content_tokens, quantities

    text, cue = st.text, st.cue
    bits = 0
    for bit, (name, test) in enumerate(_cue_tests().items()):
        if test(text, cue) if name in _KEYED_BY_CUE else test(text):
            bits |= 1 << bit
    return [
        " ".join(_content_tokens(text)),
        " ".join(sorted(quantities(text))),
        bits,
        [[start, word] for start, word in demonym_matches(text)],
    ]


#: Each value of an entry's flags as the tuple of its :data:`_FLAGS` bits.
_FLAG_BITS = tuple(
    tuple(bool(flags & (1 << bit)) for bit in range(len(_FLAGS))) for flags in range(1 << len(_FLAGS))
)
_ALL_FLAGS = len(_FLAG_BITS) - 1
_EMPTY: frozenset[str] = frozenset()


def _prime(statements: Sequence[Statement], entry: Sequence[Sequence[Any]]) -> None:
    """Fill the caches with one document's stored facts (the cue tests' answers as one tuple per text and per
    (text, cue), read by the tests' :class:`FlagCache` and :class:`FlagCueCache`)."""
    from .actors import demonym_matches
    from .text import _content_tokens, quantities

    _cue_tests()  # the flag caches know their bits before any answer is stored
    tokens_of, figures_of, demonyms_of = _content_tokens.data, quantities.data, demonym_matches.data
    by_text, by_key = _TEXT_FLAGS, _CUE_FLAGS
    bits = _FLAG_BITS
    for st, (tokens, figures, flags, demonyms) in zip(statements, entry, strict=True):
        text = st.text
        tests = bits[int(flags) & _ALL_FLAGS]
        tokens_of[text] = tuple(str(tokens).split())
        figures_of[text] = frozenset(str(figures).split()) if figures else _EMPTY
        by_text[text] = tests
        by_key[(text, st.cue or None)] = tests
        demonyms_of[text] = tuple((int(start), str(word)) for start, word in demonyms) if demonyms else ()


#: ``(part, start, id)`` of a statement: :func:`key_order` (the sorts take it: no Python call per statement).
_KEY_ORDER = attrgetter("part", "start", "id")


def key_order(st: Statement) -> tuple[str, int, str]:
    """The order of a document's statements in its entry (and its key)."""
    return _KEY_ORDER(st)


def _valid(entry: Any, size: int) -> bool:
    return (
        isinstance(entry, list)
        and len(entry) == size
        and all(isinstance(facts, list) and len(facts) == 4 for facts in entry)
    )


class StoredTextFacts:
    """The per-document entries of one run: read (and the caches filled) on creation, new ones written by
    :meth:`save`."""

    def __init__(self, store: Any, statements: Sequence[Statement], namespace: str | None = None) -> None:
        if namespace is None:
            from ..pipeline import _code_fingerprint

            namespace = f"claims-text:{_code_fingerprint()[:16]}:v{FACTS_VERSION}"
        self.store = store
        self.namespace = namespace
        by_doc: dict[str, list[Statement]] = defaultdict(list)
        for st in statements:
            by_doc[st.document_id].append(st)
        self.documents: dict[str, list[Statement]] = {}
        self.by_document: dict[str, tuple[str, list[Statement]]] = {}
        """Each document id's key (:meth:`key`) and statements in key order (empty when not enabled)."""
        self.known: dict[str, Any] = {}
        self.enabled = len(statements) <= MAX_STATEMENTS
        if not self.enabled:
            return
        if len(_TEXT_FLAGS) + len(statements) > MAX_STATEMENTS:
            # the stored answers stay bounded as the caches are: about one run's statements
            _TEXT_FLAGS.clear()
            _CUE_FLAGS.clear()
        for doc_id, in_doc in by_doc.items():
            in_doc.sort(key=_KEY_ORDER)
            key = self.key(in_doc)
            self.documents[key] = in_doc
            self.by_document[doc_id] = (key, in_doc)
        found = store.get_memos(namespace, list(self.documents))
        for key, entry in found.items():
            stored = self.documents.get(key)
            if stored is not None and _valid(entry, len(stored)):
                try:
                    _prime(stored, entry)
                except (TypeError, ValueError):
                    continue  # a damaged entry is a miss: its facts are computed again
                self.known[key] = entry

    @staticmethod
    def key(statements: Sequence[Statement]) -> str:
        """SHA-256 of the statements' texts and cues, in order: of each one's text, ``\\1``, cue (or nothing) and
        ``\\0``, in UTF-8 (encoded at once: UTF-8 of a concatenation is the concatenation of the parts')."""
        return hashlib.sha256(
            "".join([f"{st.text}\1{st.cue or ''}\0" for st in statements]).encode("utf-8")
        ).hexdigest()

    def save(self) -> int:
        """Write the entries of documents not read back (their facts computed now where the run did not
        need them); drop entries of documents no longer in the run. Returns the entries written."""
        if not self.enabled or getattr(self.store, "readonly", False):
            return 0
        values = dict(self.known)
        for key, in_doc in self.documents.items():
            if key not in values:
                values[key] = [_facts_of(st) for st in in_doc]
        self.store.replace_memos(self.namespace, values)
        return len(values) - len(self.known)
