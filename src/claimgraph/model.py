"""The data model: what flows through the pipeline and what ``claimgraph.json`` holds.

A :class:`Corpus` is claimgraph's ``Doc``: one object that every stage reads from and assigns to
(see :mod:`claimgraph.pipeline`). Field names here *are* the ``claimgraph/1`` JSON contract
(``schema/claimgraph-1.schema.json``); add fields freely, never rename.

Principle: the tool never asserts, it attributes. Nothing here stores an allegation as fact:
a :class:`Statement` is "source S said text T in document D", and a :class:`Claim` is a group of
statements with counts and a grade, never a truth value.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any, Literal, TypeVar

__all__ = [
    "SCHEMA",
    "UNNAMED_OUTLET",
    "Alias",
    "Claim",
    "Corpus",
    "Correction",
    "Document",
    "Entity",
    "Grade",
    "Mention",
    "Relation",
    "Removed",
    "Source",
    "SourcingProfile",
    "Statement",
    "stable_id",
    "stable_ids",
]

SCHEMA = "claimgraph/1"

#: The label of the outlet of a document that names none (no outlet, no URL). Each such document has an unnamed
#: outlet of its own: two documents of unknown origin are not known to share a publisher, as anonymous sources in
#: different documents are not known to be one person.
UNNAMED_OUTLET = "an unnamed outlet"

EntityType = Literal["person", "organization", "group", "location", "other"]
SourceKind = Literal["person", "organization", "anonymous", "author", "outlet", "document"]
Mode = Literal["direct", "indirect", "assertion"]
Certainty = Literal["asserted", "hedged", "boosted", "conditional", "question"]
Stance = Literal["supports", "reports", "disputes", "denies", "declines"]
Part = Literal["title", "text"]


#: ``json.dumps(..., sort_keys=True, ensure_ascii=False, default=str)`` built once: ``json.dumps`` with
#: options builds a new encoder on every call (the same text either way)
_ID_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False, default=str)
#: The C encoder that ``_ID_ENCODER.encode`` makes on each call (``JSONEncoder.iterencode``: the same
#: arguments), made once; without the table of open containers (``check_circular``): an id's keys are
#: strings, numbers and small containers of them, never a container holding itself. ``None`` where the C
#: accelerator is missing (then ``_ID_ENCODER`` encodes).
_C_MAKE_ENCODER: Any = getattr(json.encoder, "c_make_encoder", None)
_ID_C_ENCODER: Any = (
    None
    if _C_MAKE_ENCODER is None
    else _C_MAKE_ENCODER(
        None,
        _ID_ENCODER.default,
        json.encoder.encode_basestring,
        None,
        _ID_ENCODER.key_separator,
        _ID_ENCODER.item_separator,
        True,
        False,
        True,
    )
)


def _id_payload(keys: tuple[object, ...]) -> str:
    """The JSON text of an id's keys (a list)."""
    return "".join(_ID_C_ENCODER(keys, 0)) if _ID_C_ENCODER is not None else _ID_ENCODER.encode(keys)


def stable_id(prefix: str, *keys: object) -> str:
    """A deterministic id: ``prefix`` + 16 hex digits of SHA-256 over the JSON of ``keys``."""
    return f"{prefix}-{hashlib.sha256(_id_payload(keys).encode('utf-8')).hexdigest()[:16]}"


def stable_ids(prefix: str, *keys: object) -> Callable[[object, object], str]:
    """``(start, end) -> stable_id(prefix, *keys, start, end)``, for many pairs of integers after the same keys (a
    document's statements: its id and part, then each one's offsets). The JSON of the keys and the pair is the
    keys' text without its closing bracket, then each integer after ``", "`` (``json`` writes an ``int`` as
    ``int.__repr__`` does), then ``]``: so the SHA-256 of the part before the pair is taken once and copied for
    each id. A pair that is not two ``int`` (a bool writes ``true``), or no keys, goes through :func:`stable_id`."""
    head: list[Any] = []  # the hash of the text before the pair, made on the first id

    def make(start: object, end: object) -> str:
        if type(start) is not int or type(end) is not int or not keys:
            return stable_id(prefix, *keys, start, end)
        if not head:
            head.append(hashlib.sha256((_id_payload(keys)[:-1] + ", ").encode("utf-8")))
        digest = head[0].copy()
        digest.update(f"{start}, {end}]".encode("ascii"))
        return f"{prefix}-{digest.hexdigest()[:16]}"

    return make


T = TypeVar("T")


class _Record:
    """Mixin: ``to_dict`` / ``from_dict`` for the nested dataclasses below."""

    def to_dict(self) -> dict[str, Any]:
        """The same plain data as :func:`dataclasses.asdict`, without its deep copy of every leaf (linear,
        and several times faster: the store and the JSON export call it for every record)."""
        return {name: _plain(getattr(self, name)) for name in _field_names(type(self))}

    @classmethod
    def from_dict(cls: type[T], data: dict[str, Any]) -> T:
        return _from_dict(cls, data)


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in fields(cls))
    return names


def _plain(value: Any) -> Any:
    """As ``asdict`` does: records to dicts, lists, tuples and dicts copied, other values as they are."""
    if isinstance(value, _Record):
        return value.to_dict()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_plain(v) for v in value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _from_dict(cls: type[T], data: dict[str, Any]) -> T:
    known = {f.name: f for f in fields(cls)}  # type: ignore[arg-type]
    kwargs: dict[str, Any] = {}
    for name, value in data.items():
        if name not in known:
            continue
        sub = _NESTED.get((cls.__name__, name))
        if sub is not None and value is not None:
            value = [_from_dict(sub, v) for v in value] if isinstance(value, list) else _from_dict(sub, value)
        kwargs[name] = value
    return cls(**kwargs)


# --------------------------------------------------------------------------- ingest


@dataclass
class Removed(_Record):
    """What cleaning took out of a document, so users can audit it."""

    boilerplate_lines: list[str] = field(default_factory=list)
    duplicate_paragraphs: int = 0
    duplicate_paragraph_texts: list[str] = field(default_factory=list)


@dataclass
class Document(_Record):
    """One clean article. ``text`` is paragraphs joined by blank lines; offsets elsewhere point into it."""

    id: str
    path: str
    """The input path as given; for archives and feeds, the file's path + ``#`` + the record."""
    url: str | None
    title: str | None
    authors: list[str]
    published: str | None
    """``YYYY-MM-DD`` or ``None``."""
    outlet: str | None
    text: str
    duplicate_of: str | None = None
    removed: Removed = field(default_factory=Removed)
    format: str = "text"
    """``html``, ``text``, ``markdown``, ``jsonl``, ``rss``, ``atom``, ``warc``."""
    content_hash: str = ""
    """SHA-256 of the normalised content and metadata; the idempotence key of the store."""
    encoding: str | None = None
    """Detected source encoding when it was not UTF-8."""


# --------------------------------------------------------------------------- who said what


@dataclass
class Alias(_Record):
    """One surface form of an entity, with where it came from."""

    name: str
    document_id: str | None
    rule: str
    """How it joined: ``mention``, ``surname``, ``title``, ``acronym-defined``, ``acronym-initials``,
    ``variant`` (case/hyphen/apostrophe), ``fuzzy`` (transliteration), ``middle-initial``, ``legal-form``
    (``Acme`` = ``Acme and Co Inc``), ``author`` (``docs/attribution.md``, "Resolution rules")."""


@dataclass
class Mention(_Record):
    document_id: str
    start: int
    end: int
    text: str
    part: Part = "text"


@dataclass
class Entity(_Record):
    id: str
    name: str
    type: EntityType
    aliases: list[Alias] = field(default_factory=list)
    mentions: int = 0
    """Number of mentions across the corpus (the spans are in ``mention_spans``)."""
    mention_spans: list[Mention] = field(default_factory=list)
    document_ids: list[str] = field(default_factory=list)
    degree: int | None = None
    betweenness: float | None = None
    community: int | None = None


@dataclass
class Source(_Record):
    """Whoever a statement rests on: a named person or organisation, an anonymous source,
    an article's author, its outlet, or a document (report) cited as a source."""

    id: str
    label: str
    kind: SourceKind
    entity_id: str | None = None
    description: str | None = None
    """For anonymous sources the description as written, e.g. "two people familiar with the talks"."""
    document_ids: list[str] = field(default_factory=list)
    affiliated_source_ids: list[str] = field(default_factory=list)
    """Sources tied by affiliation (an author and the company he runs, an outlet and its reporter)."""
    role: str | None = None
    """Role or title as written near the name, e.g. "consultant", "spokesperson"."""
    affiliation_entity_ids: list[str] = field(default_factory=list)
    """Entities (organisations, states) the source speaks for, runs or belongs to, as the text says
    (``founder of Acme Risk Advisory``, ``Russian Prime Minister`` -> Russia)."""


@dataclass
class Statement(_Record):
    """Source ``source_id`` said ``text`` in document ``document_id``."""

    id: str
    document_id: str
    source_id: str
    text: str
    cue: str | None
    """The reporting verb or phrase (``said``, ``according to``, ``declined to comment``); ``None`` for assertions."""
    mode: Mode
    certainty: Certainty
    certainty_cues: list[str]
    start: int
    end: int
    """Character offsets into the document's ``text`` (or ``title`` when ``part == "title"``)."""
    entity_ids: list[str] = field(default_factory=list)
    part: Part = "text"
    stance: Stance | None = None
    """Toward its claim; ``declines`` is set already by attribution for refusals."""
    claim_id: str | None = None
    stance_confidence: float | None = None
    speaker_text: str | None = None
    """The speaker as written (``he``, ``the official``, ``Jane Roe``)."""
    cited_source_ids: list[str] = field(default_factory=list)
    """Sources the speaker relays (``X said, citing a report by Y``), nearest first."""
    sentence_start: int | None = None
    sentence_end: int | None = None
    calls_unfounded: bool | None = None
    """Whether the statement says of a claim, as its subject, that it is unfounded ("such reports remain
    unproven"), read by attribution from its parse; ``None``: not read (the claims stage parses the text)."""
    negated_event: list[str] | None = None
    """The words (text and lemma) naming what the statement negates ("none had been discharged" ->
    ``discharged``, ``discharge``), ``[]`` when it negates nothing; read by attribution for quoted speech
    (``direct``, ``indirect``); ``None``: not read (the claims stage parses the text when it needs it)."""


# --------------------------------------------------------------------------- claims and provenance


@dataclass
class Grade(_Record):
    """NATO Admiralty grade. ``reliability`` A-F only from the user's registry (default F);
    ``credibility`` 1-6 computed; ``confidence`` is STIX 0-100."""

    reliability: str = "F"
    credibility: int = 6
    admiralty: str = "F6"
    confidence: int = 0
    explanation: str = ""


@dataclass
class Claim(_Record):
    id: str
    text: str
    """Canonical wording (a representative statement's text), always shown attributed."""
    statement_ids: list[str]
    first_seen: str | None
    origin_source_ids: list[str] = field(default_factory=list)
    independent_sources: int = 0
    supporting: int = 0
    disputing: int = 0
    reporting: int = 0
    denying: int = 0
    declining: int = 0
    circular: bool = False
    grade: Grade = field(default_factory=Grade)
    document_ids: list[str] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)
    entity_ids: list[str] = field(default_factory=list)
    attention: float = 0.0
    """Ranking score: documents and outlets carrying the claim."""
    chains: list[list[str]] = field(default_factory=list)
    """Provenance chains, each a list of source ids from the outlet to the origin."""
    origin_first_seen: dict[str, str | None] = field(default_factory=dict)


@dataclass
class Relation(_Record):
    id: str
    subject: str
    predicate: str
    object: str
    """``subject`` and ``object`` are entity ids."""
    statement_ids: list[str] = field(default_factory=list)
    source_ids: list[str] = field(default_factory=list)
    grade: Grade = field(default_factory=Grade)
    claim_ids: list[str] = field(default_factory=list)


@dataclass
class SourcingProfile(_Record):
    """How one document is sourced: counts and shares, never a score or a verdict on its truth
    (computed by :func:`claimgraph.provenance.profile.sourcing_profiles`, see ``docs/outputs.md``)."""

    document_id: str
    statements: int = 0
    on_record: int = 0
    """Statements by named sources: people, organisations, other outlets, cited documents."""
    anonymous: int = 0
    """Statements by anonymous sources ("officials said")."""
    author_assertions: int = 0
    """The author's own unattributed assertions (and the document's own outlet or author speaking)."""
    unresolved: int = 0
    """Statements whose source is not in the corpus."""
    on_record_share: float | None = None
    anonymous_share: float | None = None
    author_share: float | None = None
    """Shares of ``statements`` (0-1, four decimals); ``None`` for a document without statements."""
    sources: int = 0
    """Distinct named plus anonymous sources (the author's own voice not counted)."""
    named_sources: int = 0
    anonymous_sources: int = 0
    named_source_ids: list[str] = field(default_factory=list)
    anonymous_source_ids: list[str] = field(default_factory=list)
    anonymous_descriptions: list[str] = field(default_factory=list)
    """The anonymous sources as described in the text, in the order of ``anonymous_source_ids``."""
    counter_voice: bool = False
    """Whether any statement disputes, denies or declines to confirm."""
    disputes: int = 0
    denials: int = 0
    refusals: int = 0
    claims: int = 0
    """Claims (corpus-wide groups) that statements of this document belong to."""
    single_origin_claims: int = 0
    """Of those, the claims that rest on at most one independent origin."""
    every_claim_single_origin: bool | None = None
    """``None`` when the document carries no claim."""
    corpus_median_on_record_share: float | None = None
    corpus_median_anonymous_share: float | None = None
    """Medians over the documents that are not syndicated copies and hold at least one statement."""
    on_record_vs_median: Literal["above", "at", "below"] | None = None
    summary: str = ""
    """The profile in words: "3 of 11 statements are on the record; …"."""


CorrectionField = Literal["speaker", "stance", "claim_id"]


@dataclass
class Correction(_Record):
    """An analyst's correction of a statement, applied in this analysis (after the claims stage, before
    provenance, so grades follow it). Made in a shared workspace (``claimgraph.workspace``); kept with who
    made it and when, and applied again on every re-analysis while the statement exists."""

    id: str
    """``cor-`` + the workspace's correction number."""
    statement_id: str
    document_id: str
    field: CorrectionField
    """What was corrected: the statement's ``speaker`` (its ``source_id``), its ``stance`` or its claim
    (``claim_id``)."""
    value: str | None
    """The value set: a source id, a stance, a claim id (``None``: the statement belongs to no claim)."""
    previous: str | None
    """The analysis's value before the correction."""
    user: str
    """Who made the correction (the account name)."""
    created: str
    """When (UTC, ISO 8601)."""
    note: str = ""
    """The analyst's reason, as written."""


_NESTED: dict[tuple[str, str], type] = {
    ("Document", "removed"): Removed,
    ("Entity", "aliases"): Alias,
    ("Entity", "mention_spans"): Mention,
    ("Claim", "grade"): Grade,
    ("Relation", "grade"): Grade,
}


# --------------------------------------------------------------------------- the corpus


@dataclass
class Corpus:
    """Everything known about one workspace; stages read and assign its fields."""

    documents: list[Document] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    problems: list[dict[str, str]] = field(default_factory=list)
    """Inputs that could not be read: ``{path, code, reason}``."""
    network: dict[str, Any] = field(default_factory=dict)
    timeline: list[dict[str, Any]] = field(default_factory=list)
    sourcing: list[SourcingProfile] = field(default_factory=list)
    """One sourcing profile per document (assigned by the provenance stage; computed from the corpus
    when empty, e.g. for a corpus loaded from the store: see :meth:`sourcing_profiles`)."""
    corrections: list[Correction] = field(default_factory=list)
    """Analysts' corrections applied in this analysis (a shared workspace's; written to JSON only when
    there are any)."""

    # -- lookups ---------------------------------------------------------------
    def index(self, name: str) -> dict[str, Any]:
        """``{id: item}`` for one of the lists (``"documents"``, ``"sources"``, ...). Build once, reuse in loops."""
        return {item.id: item for item in getattr(self, name)}

    _index = index

    def document(self, doc_id: str) -> Document:
        doc: Document = self.index("documents")[doc_id]
        return doc

    def source(self, source_id: str) -> Source:
        source: Source = self.index("sources")[source_id]
        return source

    def entity(self, entity_id: str) -> Entity:
        entity: Entity = self.index("entities")[entity_id]
        return entity

    def statement(self, statement_id: str) -> Statement:
        statement: Statement = self.index("statements")[statement_id]
        return statement

    def sourcing_profiles(self) -> list[SourcingProfile]:
        """``sourcing`` when assigned, else computed now (a pure function of the corpus) and kept."""
        if not self.sourcing and self.documents:
            from .provenance.profile import sourcing_profiles

            self.sourcing = sourcing_profiles(self)
        return self.sourcing

    # -- (de)serialisation -------------------------------------------------------
    def sort(self) -> None:
        """Sort every list by id so that output is deterministic."""
        for name in ("documents", "entities", "sources", "statements", "claims", "relations"):
            getattr(self, name).sort(key=lambda item: item.id)
        self.problems.sort(key=lambda p: (p.get("path", ""), p.get("code", "")))

    def to_dict(self) -> dict[str, Any]:
        self.sort()
        return {
            "schema": SCHEMA,
            "documents": [d.to_dict() for d in self.documents],
            "entities": [e.to_dict() for e in self.entities],
            "sources": [s.to_dict() for s in self.sources],
            "statements": [s.to_dict() for s in self.statements],
            "claims": [c.to_dict() for c in self.claims],
            "relations": [r.to_dict() for r in self.relations],
            "problems": list(self.problems),
            "network": self.network,
            "timeline": self.timeline,
            "sourcing": [p.to_dict() for p in sorted(self.sourcing_profiles(), key=lambda p: p.document_id)],
            **({"corrections": [c.to_dict() for c in self.corrections]} if self.corrections else {}),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Corpus:
        return cls(
            documents=[Document.from_dict(d) for d in data.get("documents", [])],
            entities=[Entity.from_dict(d) for d in data.get("entities", [])],
            sources=[Source.from_dict(d) for d in data.get("sources", [])],
            statements=[Statement.from_dict(d) for d in data.get("statements", [])],
            claims=[Claim.from_dict(d) for d in data.get("claims", [])],
            relations=[Relation.from_dict(d) for d in data.get("relations", [])],
            problems=list(data.get("problems", [])),
            network=dict(data.get("network", {})),
            timeline=list(data.get("timeline", [])),
            sourcing=[SourcingProfile.from_dict(d) for d in data.get("sourcing", [])],
            corrections=[Correction.from_dict(d) for d in data.get("corrections", [])],
        )
