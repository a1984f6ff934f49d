"""Each matching item's actor values kept between runs: actor tokens, first actor, clustering keys.

The matching pass (``stage._match``) builds, for every item (a statement the matcher sees), its *actor tokens*
(``_Run.actor_tokens``), its *first actor* (``stage.first_actors``), its clustering key (``stage._item_keys``)
and its edge key (``stage._edge_key``). On the 10,000-document workspace that is about 1.5 s CPU per run,
almost all of it for statements an increment did not touch. :class:`ActorMemo` keeps the four values of the
previous run's items in the store's ``memo`` table (the namespace names the code version) and gives them
back for every item whose inputs did not change.

**Layout.** One entry per document, under the SHA-256 of what its statements' values read of themselves
(document id; each statement's id, part, text and sorted entity ids: :func:`document_key`, which takes the
texts' digest that ``textfacts.StoredTextFacts`` made of the same statements): the values of its items. One entry
``tables``: each entity's names and name tokens, and the entities each demonym-shaped word of the items'
texts names, as the last run that wrote it saw them. A run reads the entries of its documents; it writes
the tables, the entries of documents it has no entry for, and those of documents where one item or more
had to be computed or the items differ from the entry's (the entry is then replaced); entries of documents
no longer in the workspace are dropped. So an increment writes the tables and its new documents' entries.

**What the four values read.** Of the item itself: its statement id, text, part (headline or body) and entity
ids. Of the corpus: (a) for each entity of the item's *expanded set* (its entity ids and the entities its
demonyms name), the entity's presence and its names (``name`` and alias names, whose tokens
``_entity_tokens`` makes and whose occurrences ``first_actors`` looks for); (b) for each demonym-shaped word of
the text (``actors.demonym_matches``: a function of the text), the set of entities it names
(``DemonymIndex``: through the corpus's one-word names, so any new name can change it). The rest is a
function of the text and the code: the figures (``quantities``), the fronted-clause rule, the tokens.

**The reuse condition.** The stored values of an item are reused when (1) its document's entry is found,
i.e. the document id and every statement's id, part, text and entity ids are those the entry was made
from, and the entry holds the item's statement id; (2) every demonym-shaped word of its text names, now,
the same entities as in the stored tables; (3) every entity of its expanded set is present now and in the
stored tables, with the same set of names, or with the same name tokens and none of the names added or
removed occurring in the text (as a substring, which any whole-word occurrence is). (2) and (3) compare with the tables of the last run
that wrote them, not necessarily the run that wrote the entry; an entry not rewritten since was found
valid, item by item, against each later run's tables (else it is replaced), so by induction the tables'
entries the item reads are those its values were computed from. Proof that the values are then those a computation
would give: by (1) and (2) the expanded set (entity ids ∪ the entities of the text's demonyms) is the same;
by (3) every entity it holds has the same name tokens and the same name occurrences in the text (a name added
or removed occurs nowhere in it, so it never was, and is not, a first occurrence);
by (2) the demonym words that name an entity, their offsets and their entities are the same. Actor tokens
(the demonym words' tokens ∪ the expanded entities' name tokens), first actor (the earliest name or demonym
occurrence after the fronted clause, among the expanded entities), the clustering key (a digest of text,
expanded set, part, actor tokens, figures, first actor) and the edge key (a digest of the key and the
statement id) are functions of these alone. Nothing else is read: in particular the candidate matcher, the
scores and the other items play no part (they are the component and edge memos' business, keyed by these
keys). ``tests/claims/test_actor_memo.py`` changes each input in turn (an alias, a new entity whose name
changes what a demonym names, an entity gone, a text, the entity ids) and checks the values against a run
without the memo; dropping any one of the three checks makes one of them fail.

The checks (2) and (3) are made for a whole document at once when its entry holds its items in order: when
none of its texts uses a demonym word the tables do not confirm and no item's expanded set holds a changed
entity, every item passes them; otherwise item by item (the same answers, fewer per-item steps on a run where
almost nothing changed).

The stored entry also keeps each entity's name tokens (``_entity_tokens``, a function of its names) so that
the stage's entity token table is not computed again for entities whose names did not change.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from itertools import chain, pairwise
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from .text import content_tokens

if TYPE_CHECKING:
    from ..model import Entity, Statement
    from .actors import DemonymIndex

__all__ = ["ACTOR_MEMO_VERSION", "ActorMemo", "document_key", "entity_names", "resolution", "text_keys"]

#: Bumped when the stored layout or what a value reads changes.
ACTOR_MEMO_VERSION = 3
_TABLES = "tables"


def entity_names(entity: Entity) -> list[str]:
    """What the stage reads of an entity's names (``first_actors``, ``_entity_tokens``): the set of its
    non-empty name and alias names (sorted). Order and repeats do not count: an alias list that repeats a
    name (one alias per document that gave it) reads the same."""
    return sorted({n for n in [entity.name, *(a.name for a in entity.aliases)] if n})


def resolution(demonyms: DemonymIndex, word: str) -> frozenset[str]:
    """The entities a demonym-shaped ``word`` names in this corpus (``DemonymIndex.words_in`` keeps a word
    when this is not empty; none while the index has no names)."""
    return demonyms.resolve(word) if len(demonyms) else frozenset()


def document_key(document_id: str, text_key: str, statements: Sequence[Statement]) -> str:
    """SHA-256 of what a document's statements' actor values read of themselves: the document id, the
    SHA-256 of its statements' texts and cues (``text_key``: ``textfacts.StoredTextFacts.key`` of
    ``statements``, in that order), and each statement's id, part, text and cue lengths, and sorted entity
    ids. The lengths make the texts and cues that ``text_key`` digests one sequence (a text holding the
    separators ``StoredTextFacts.key`` puts between them cannot make two inputs one key), so the key stands
    for every statement's id, part, text and entity ids."""
    own = "\1".join(
        [
            f"{st.id}\1{st.part or ''}\1{len(st.text)}\1{len(st.cue or '')}\1{_ENTITY_SEPARATOR.join(sorted(st.entity_ids))}"
            for st in statements
        ]
    )
    return hashlib.sha256(f"{document_id}\1{text_key}\1{own}".encode("utf-8", "surrogatepass")).hexdigest()


def text_keys(statements: Sequence[Statement]) -> dict[str, tuple[str, list[Statement]]]:
    """Each document's ``StoredTextFacts.key`` and statements in its order, as
    ``StoredTextFacts.by_document`` holds them (for a run without the stored text facts)."""
    from .textfacts import StoredTextFacts, key_order

    by_doc: dict[str, list[Statement]] = {}
    for st in statements:
        by_doc.setdefault(st.document_id, []).append(st)
    out = {}
    for doc_id, in_doc in by_doc.items():
        in_doc.sort(key=key_order)
        out[doc_id] = (StoredTextFacts.key(in_doc), in_doc)
    return out


class ActorMemo:
    """The stored actor values of a run's items (read by :meth:`load`), this run's written by :meth:`save`.
    ``hits`` / ``misses``: items whose values were reused / computed; ``written``: document entries written."""

    def __init__(self, store: Any, namespace: str) -> None:
        self.store = store
        self.namespace = namespace
        self.hits = 0
        self.misses = 0
        self.written = 0
        self.read = False
        """Whether the stored tables were read."""
        self._entity_names: dict[str, list[str]] = {}
        self._entities: dict[str, Any] = {}
        self._valid_entities: set[str] = set()
        self._renamed: dict[str, list[str]] = {}
        """Entities with the same name tokens as stored but other names: the names added or removed."""
        self._valid_words: set[str] = set()
        self._doc_keys: dict[str, str] = {}
        """Each document's entry key (:func:`document_key`)."""
        self._entries: dict[str, list[Any]] = {}
        """The stored entries found, by key."""
        self._damaged: set[str] = set()
        """Keys of stored entries found damaged."""
        self._items: dict[str, list[int]] = {}
        """This run's items by document (their positions in :meth:`reused`'s list)."""
        self._exact: set[str] = set()
        """Documents whose items are, in order, those of their entry (in one block: :meth:`save` keeps it)."""
        self._missed: set[str] = set()
        """Documents with an item whose values were computed (their entries are written again)."""
        self._words: set[str] = set()
        """The demonym-shaped words of this run's items' texts."""

    # ------------------------------------------------------------------ reading
    def load(
        self,
        statements: Sequence[Statement],
        entities: Sequence[Entity],
        demonyms: DemonymIndex,
        documents: Mapping[str, tuple[str, Sequence[Statement]]] | None = None,
    ) -> None:
        """Read the stored tables and the entries of the statements' documents; compare the tables with the
        corpus's: which entities kept their names, which demonym words still name the same entities.
        ``documents``: each document's text key and statements (``StoredTextFacts.by_document``, made here
        when not given, see :func:`text_keys`)."""
        self._entity_names = {e.id: entity_names(e) for e in entities}
        if not documents:
            documents = text_keys(statements)
        self._doc_keys = {doc: document_key(doc, key, in_doc) for doc, (key, in_doc) in documents.items()}
        if self.store is None:
            return
        found = self.store.get_memos(self.namespace, [_TABLES, *self._doc_keys.values()])
        tables = found.pop(_TABLES, None)
        if not _valid_tables(tables):
            return
        self.read = True
        self._entities = tables["entities"]
        now = self._entity_names
        self._valid_entities = {
            eid for eid, held in self._entities.items() if isinstance(held, list) and now.get(eid) == held[0]
        }
        for eid, held in self._entities.items():
            names = now.get(eid)
            if names is None or eid in self._valid_entities or not isinstance(held, list):
                continue
            if not (isinstance(held[0], list) and isinstance(held[1], str)):
                continue
            tokens = frozenset(t for n in names for t in content_tokens(n))
            if tokens == frozenset(held[1].split()):
                # same name tokens, other names: a value reads the change only where one of them is in the text
                self._renamed[eid] = sorted(set(names).symmetric_difference(held[0]))
        self._valid_words = {
            word
            for word, ids in tables["words"].items()
            if isinstance(ids, list) and sorted(resolution(demonyms, word)) == ids
        }
        for key, entry in found.items():
            if not _valid_entry(entry):
                self._damaged.add(key)  # a miss, replaced by this run's entry
                continue
            self._entries[key] = entry

    def entity_tokens(self, entity: Entity) -> frozenset[str] | None:
        """The stored name tokens of ``entity`` when its names, or at least their tokens, did not change, else
        ``None``."""
        if entity.id not in self._valid_entities and entity.id not in self._renamed:
            return None
        tokens = self._entities[entity.id][1]
        return frozenset(tokens.split()) if isinstance(tokens, str) else None

    def reused(
        self, statements: Sequence[Statement], expanded: dict[str, set[str]], words: Any
    ) -> tuple[list[str], list[str | None], list[str], list[str], list[int]]:
        """The stored values of ``statements`` (this run's items) where the reuse condition of the module's
        docstring holds, as columns: actor tokens (joined by spaces), first actors, keys and edge keys; and
        the positions of the items whose values must be computed (their places in the columns hold
        placeholders or stale values, to be overwritten). ``words``: a text -> its demonym-shaped words
        (``actors.demonym_matches``)."""
        n = len(statements)
        names: list[str] = [""] * n
        subjects: list[str | None] = [None] * n
        keys: list[str] = [""] * n
        edge_keys: list[str] = [""] * n
        todo: list[int] = []
        valid_words, renamed = self._valid_words, self._renamed
        # the entities whose names are not those of the tables: changed, gone, or not in the tables (an
        # entity in neither the tables nor the corpus reads as absent both times); empty on most runs
        changed_entities = (set(self._entities) | set(self._entity_names)) - self._valid_entities
        seen, missed, items, exact = self._words, self._missed, self._items, self._exact
        entries, doc_keys = self._entries, self._doc_keys
        # each item's statement id, document and demonym matches, once; the documents' blocks of items (a
        # run's items are in document order; others work too, a document then in several blocks)
        # (one pass over the statements: reading a record's attributes is most of a pass's cost)
        columns = list(map(_id_document_text, statements))
        ids_of = [c[0] for c in columns]
        doc_of = [c[1] for c in columns]
        found_of = list(map(words, [c[2] for c in columns]))
        bounds = [0, *[k for k in range(1, n) if doc_of[k] != doc_of[k - 1]], n] if n else [0]
        for start, end in pairwise(bounds):
            doc = doc_of[start]
            block = statements[start:end]
            if doc in items:
                exact.discard(doc)  # the document's items in two blocks (not a run's order)
            items.setdefault(doc, []).extend(range(start, end))
            entry = entries.get(doc_keys.get(doc, ""))
            ids = ids_of[start:end]
            used = (
                [word for found in found_of[start:end] for _, word in found]
                if any(found_of[start:end])
                else []
            )
            if used:
                seen.update(used)
            if entry is None:
                todo.extend(range(start, end))
                missed.add(doc)
                continue
            if entry[0] == ids:  # the entry holds these items, in this order: its columns as they are
                at: list[int | None] = list(range(len(block)))
                names[start:end] = entry[1]
                subjects[start:end] = entry[2]
                keys[start:end] = [entry[3][p : p + _HEX] for p in range(0, len(entry[3]), _HEX)]
                edge_keys[start:end] = [entry[4][p : p + _HEX] for p in range(0, len(entry[4]), _HEX)]
                if len(items[doc]) == end - start:
                    exact.add(doc)
                # the checks below for the whole document at once: no demonym word, or only words naming the
                # same entities as in the tables, and no item's expanded set meeting a changed entity, so
                # that every item passes them (else they are made item by item)
                if valid_words.issuperset(used) and (
                    not changed_entities
                    or changed_entities.isdisjoint(chain.from_iterable(map(expanded.__getitem__, ids)))
                ):
                    continue
            else:
                where = {sid: x for x, sid in enumerate(entry[0])}
                at = [where.get(sid) for sid in ids]
                for k, x in zip(range(start, end), at, strict=True):
                    if x is not None:
                        names[k] = entry[1][x]
                        subjects[k] = entry[2][x]
                        keys[k] = entry[3][_HEX * x : _HEX * (x + 1)]
                        edge_keys[k] = entry[4][_HEX * x : _HEX * (x + 1)]
            for k, st, x in zip(range(start, end), block, at, strict=True):
                found = found_of[k]
                if found and x is not None and not valid_words.issuperset(word for _, word in found):
                    x = None
                if x is not None and changed_entities and not changed_entities.isdisjoint(expanded[st.id]):
                    for eid in expanded[st.id].intersection(changed_entities):
                        changed = renamed.get(eid)
                        if changed is None or any(name in st.text for name in changed):
                            x = None
                            break
                if x is None:  # computed now (the columns' value at k is overwritten)
                    todo.append(k)
                    missed.add(doc)
        self.misses += len(todo)
        self.hits += n - len(todo)
        return names, subjects, keys, edge_keys, todo

    # ------------------------------------------------------------------ writing
    def save(
        self,
        statements: Sequence[Statement],
        names: Sequence[frozenset[str]],
        subjects: Sequence[str | None],
        keys: Sequence[str],
        edge_keys: Sequence[str],
        entity_tokens: dict[str, frozenset[str]],
        demonyms: DemonymIndex,
    ) -> None:
        """Keep this run's values of ``statements`` (the items given to :meth:`reused`, in order) and the
        tables they read: each entity's names and name tokens, each demonym-shaped word's entities. Only the
        entries of documents with a computed item or other items than their entry's are written (see the
        module's docstring)."""
        if self.store is None or getattr(self.store, "readonly", False):
            return
        values: dict[str, Any] = {}
        stale = set(self._damaged)
        for doc, key in self._doc_keys.items():
            entry = self._entries.get(key)
            positions = self._items.get(doc, [])
            if (
                entry is not None
                and doc not in self._missed
                and (doc in self._exact or entry[0] == [statements[k].id for k in positions])
            ):
                values[key] = entry  # kept as it is (the store inserts new keys only)
                continue
            if entry is not None:
                stale.add(key)
            self.written += 1
            values[key] = [
                [statements[k].id for k in positions],
                [" ".join(sorted(names[k])) for k in positions],
                [subjects[k] for k in positions],
                "".join([keys[k] for k in positions]),
                "".join([edge_keys[k] for k in positions]),
            ]
        values[_TABLES] = {
            "version": ACTOR_MEMO_VERSION,
            "entities": {
                eid: [held, " ".join(sorted(entity_tokens.get(eid, frozenset())))]
                for eid, held in self._entity_names.items()
            },
            "words": {word: sorted(resolution(demonyms, word)) for word in sorted(self._words)},
        }
        # an entry's value is never updated in place: replaced entries and the tables are dropped first
        self.store.replace_memos(
            self.namespace, {k: v for k, v in values.items() if k not in stale and k != _TABLES}
        )
        self.store.replace_memos(self.namespace, values)


def _valid_tables(tables: Any) -> bool:
    return (
        isinstance(tables, dict)
        and tables.get("version") == ACTOR_MEMO_VERSION
        and isinstance(tables.get("entities"), dict)
        and isinstance(tables.get("words"), dict)
    )


_id_document_text = attrgetter("id", "document_id", "text")
_ENTITY_SEPARATOR = chr(2)
_STR = {str}
_HEX = 64  # a SHA-256 key in hex


def _valid_entry(entry: Any) -> bool:
    """Whether a document entry has its layout (a damaged one is a miss): ids, actor tokens and first actors
    (or ``None``) as lists of one length, and the keys and edge keys (SHA-256 hex digests) end to end."""
    if not (isinstance(entry, list) and len(entry) == 5):
        return False
    ids, names, subjects, keys, edge_keys = entry
    if not (
        isinstance(ids, list)
        and isinstance(names, list)
        and isinstance(subjects, list)
        and isinstance(keys, str)
        and isinstance(edge_keys, str)
    ):
        return False
    n = len(ids)
    return (
        len(names) == n
        and len(subjects) == n
        and len(keys) == _HEX * n
        and len(edge_keys) == _HEX * n
        and set(map(type, ids)) <= _STR
        and set(map(type, names)) <= _STR
        and set(map(type, subjects)) <= {str, type(None)}
        and _hex(keys, n)
        and _hex(edge_keys, n)
    )


def _hex(text: str, n: int) -> bool:
    """Whether ``text`` is ``n`` hex digests of 32 bytes end to end (``bytes.fromhex`` skips spaces: the
    length of what it gives shows there were none)."""
    try:
        return len(bytes.fromhex(text)) == n * _HEX // 2
    except ValueError:
        return False
