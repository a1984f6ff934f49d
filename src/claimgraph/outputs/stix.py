"""``claimgraph.stix.json``: a STIX 2.1 bundle, built as plain data and written with :mod:`json`.

Declarative mapping (see ``docs/outputs.md``):

============================  =====================================================================
claimgraph                    STIX 2.1
============================  =====================================================================
entity (person/org/group)     ``identity`` (identity_class from :data:`IDENTITY_CLASS`)
entity (location, other)      ``identity`` with identity_class ``unknown`` (see :data:`IDENTITY_CLASS`)
entity named in actor_types   ``threat-actor`` or ``intrusion-set`` (only from the user's YAML file)
source without an entity      ``identity`` (identity_class from :data:`SOURCE_IDENTITY_CLASS`)
document                      ``report`` (object_refs: what it mentions; created_by_ref: outlet/author;
                              x_claimgraph_sourcing: its sourcing profile in words)
claim                         ``note`` (attributed canonical text, grade, explanation as x_claimgraph_*)
source's stance to a claim    ``opinion`` (:data:`OPINION`), authors = the source's label
relation                      ``relationship`` (type from the predicate, confidence from the grade)
============================  =====================================================================

Ids are UUIDv5 in :data:`NAMESPACE` over stable keys, so a re-export is byte-identical and OpenCTI
de-duplicates. Times come from the documents' dates; ``options.frozen_time`` overrides every
generated ``created``/``modified`` time.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import re
import uuid
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..errors import ConfigError, Errors
from ..model import Corpus, Relation, Statement
from ..options import Options
from ..registry import registry
from . import iter_json, write_atomic
from .report import (
    CREDIBILITY,
    RELIABILITY,
    STANCE_VERBS,
    Index,
    attributed_claim,
    estimative,
    join_names,
)

__all__ = [
    "IDENTITY_CLASS",
    "NAMESPACE",
    "OPINION",
    "SOURCE_IDENTITY_CLASS",
    "SPEC_ORDER",
    "URL_SCHEMES",
    "build_bundle",
    "dumps",
    "iter_dumps",
    "load_actor_types",
    "safe_url",
    "stix_id",
    "write_stix",
]

#: The fixed namespace of claimgraph's deterministic STIX ids (uuid5(NAMESPACE_URL, ".../claimgraph/stix/2.1")).
NAMESPACE = uuid.UUID("29a4e46e-b2f5-5143-a19b-752f5436d112")

#: entity type -> STIX identity_class. A place acting in a claim ("Russia recruits ...") is exported as an
#: identity, not a STIX ``location``: a ``location`` must carry a region, an ISO country code or
#: coordinates, which claimgraph would have to guess; an identity keeps the name and can be the
#: source or target of the relation's ``relationship``.
IDENTITY_CLASS: dict[str, str] = {
    "person": "individual",
    "organization": "organization",
    "group": "group",
    "location": "unknown",
    "other": "unknown",
}

#: source kind -> identity_class, for sources not linked to an entity (outlets, bylines, anonymous sources).
SOURCE_IDENTITY_CLASS: dict[str, str] = {
    "person": "individual",
    "organization": "organization",
    "outlet": "organization",
    "author": "individual",
    "anonymous": "unknown",
    "document": "unknown",
}

#: statement stance -> STIX opinion value.
OPINION: dict[str, str] = {
    "supports": "agree",
    "disputes": "disagree",
    "denies": "disagree",
    "reports": "neutral",
    "declines": "neutral",
}

#: The actor types a user may assign in ``options.actor_types``.
ACTOR_TYPES = ("threat-actor", "intrusion-set")

_SYSTEM_KEY = ("system", "claimgraph")

#: The id of claimgraph's ``toplevel-property-extension`` declaring its ``x_claimgraph_*`` properties.
EXTENSION_ID = f"extension-definition--{uuid.uuid5(NAMESPACE, 'extension-definition|claimgraph|toplevel|1')}"


def stix_id(stix_type: str, *keys: object) -> str:
    """``<type>--<uuid5(NAMESPACE, "<type>|key|key…")>``: the same keys always give the same id."""
    name = "|".join([stix_type, *(str(k) for k in keys)])
    return f"{stix_type}--{_uuid5(name)}"


_NAMESPACE_BYTES = NAMESPACE.bytes


def _uuid5(name: str) -> str:
    """``str(uuid.uuid5(NAMESPACE, name))`` without building a ``UUID`` object (RFC 4122 section 4.3:
    SHA-1 of namespace and name, version 5, variant 10xx); ``tests/outputs/test_stix_ids.py`` compares."""
    digest = bytearray(
        hashlib.sha1(_NAMESPACE_BYTES + name.encode("utf-8"), usedforsecurity=False).digest()[:16]
    )
    digest[6] = (digest[6] & 0x0F) | 0x50
    digest[8] = (digest[8] & 0x3F) | 0x80
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def relationship_type(predicate: str) -> str:
    """``coordinates with`` -> ``coordinates-with`` (STIX: lowercase ASCII letters, digits, hyphens)."""
    text = re.sub(r"[^a-z0-9]+", "-", predicate.casefold()).strip("-")
    return text or "related-to"


def load_actor_types(path: Path | None) -> dict[str, str]:
    """Read the user's actor-types YAML: casefolded entity name -> ``threat-actor`` | ``intrusion-set``.

    Two layouts are accepted::

        Red Dune Brigade: threat-actor           threat-actor: [Red Dune Brigade]
        Sand Viper: intrusion-set                intrusion-set: [Sand Viper]
    """
    if path is None:
        return {}
    import yaml

    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(Errors.E107.format(path=path, reason=exc.strerror or str(exc))) from None
    except yaml.YAMLError as exc:
        raise ConfigError(Errors.E107.format(path=path, reason=f"invalid YAML: {exc}")) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(Errors.E107.format(path=path, reason="expected a mapping of names to actor types"))
    out: dict[str, str] = {}
    for key, value in data.items():
        if str(key) in ACTOR_TYPES and isinstance(value, list):
            for name in value:
                out[str(name).casefold()] = str(key)
            continue
        if not isinstance(value, str) or value not in ACTOR_TYPES:
            raise ConfigError(
                Errors.E107.format(
                    path=path, reason=f"{key!r}: expected 'threat-actor' or 'intrusion-set', got {value!r}"
                )
            )
        out[str(key).casefold()] = value
    return out


def _parse_time(value: str) -> datetime:
    text = value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


class _Clock:
    """Times: documents' dates, or ``frozen_time`` for every generated time."""

    def __init__(self, corpus: Corpus, options: Options) -> None:
        self.frozen = _parse_time(options.frozen_time) if options.frozen_time else None
        self.doc_dates: dict[str, datetime] = {}
        for doc in corpus.documents:
            if doc.published:
                try:
                    self.doc_dates[doc.id] = _parse_time(doc.published[:10])
                except ValueError:
                    continue
        latest = max(self.doc_dates.values(), default=None)
        self.base = self.frozen or latest or datetime.now(UTC).replace(microsecond=0)

    def span(self, doc_ids: Any) -> tuple[datetime, datetime]:
        """(created, modified) for an object resting on ``doc_ids``."""
        if self.frozen is not None:
            return self.frozen, self.frozen
        dates = sorted(self.doc_dates[d] for d in doc_ids if d in self.doc_dates)
        if not dates:
            return self.base, self.base
        return dates[0], dates[-1]

    def published(self, doc_id: str) -> datetime:
        return self.doc_dates.get(doc_id, self.base)


#: Standard properties of every STIX 2.1 type written here, in the order of the STIX 2.1 specification's
#: property tables (the order of the ``stix2`` 3.0.2 classes, which the golden file was first made
#: with). Properties not listed (the ``x_claimgraph_*`` ones) follow, sorted by name.
_HEAD = ("type", "spec_version", "id", "created_by_ref", "created", "modified")
_TAIL = (
    "revoked",
    "labels",
    "confidence",
    "lang",
    "external_references",
    "object_marking_refs",
    "granular_markings",
    "extensions",
)
SPEC_ORDER: dict[str, tuple[str, ...]] = {
    "identity": (
        *_HEAD,
        "name",
        "description",
        "roles",
        "identity_class",
        "sectors",
        "contact_information",
        *_TAIL,
    ),
    "threat-actor": (
        *_HEAD,
        "name",
        "description",
        "threat_actor_types",
        "aliases",
        "first_seen",
        "last_seen",
        "roles",
        "goals",
        "sophistication",
        "resource_level",
        "primary_motivation",
        "secondary_motivations",
        "personal_motivations",
        *_TAIL,
    ),
    "intrusion-set": (
        *_HEAD,
        "name",
        "description",
        "aliases",
        "first_seen",
        "last_seen",
        "goals",
        "resource_level",
        "primary_motivation",
        "secondary_motivations",
        *_TAIL,
    ),
    "report": (*_HEAD, "name", "description", "report_types", "published", "object_refs", *_TAIL),
    "note": (*_HEAD, "abstract", "content", "authors", "object_refs", *_TAIL),
    "opinion": (*_HEAD, "explanation", "authors", "opinion", "object_refs", *_TAIL),
    "relationship": (
        *_HEAD,
        "relationship_type",
        "description",
        "source_ref",
        "target_ref",
        "start_time",
        "stop_time",
        *_TAIL,
    ),
    "extension-definition": (
        *_HEAD,
        "name",
        "description",
        "schema",
        "version",
        "extension_types",
        "extension_properties",
        *_TAIL,
    ),
}
#: Property order inside an ``external_references`` entry (STIX 2.1 section 2.5).
_EXTERNAL_REFERENCE_ORDER = ("source_name", "description", "url", "hashes", "external_id")

#: URL schemes kept in ``external_references``; any other (``javascript:``, ``data:``, ``file:`` …) is dropped.
URL_SCHEMES = frozenset({"http", "https"})
#: Characters left as they are in a URL: RFC 3986 unreserved and reserved characters, minus the quote
#: ``'`` (a sub-delimiter that breaks out of quoted attributes downstream), plus ``%`` of an existing escape.
_URL_SAFE = "-._~:/?#[]@!$&()*+,;=%"
_BARE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def safe_url(url: str | None) -> str | None:
    """``url`` validated and percent-encoded for STIX ``external_references``, or ``None`` to drop it.

    Only absolute ``http``/``https`` URLs with a host are kept; control characters, a bad port or host
    drop the URL; credentials (``user:pass@``) are removed; spaces, quotes, non-ASCII and other characters
    outside RFC 3986 are percent-encoded (existing ``%XX`` escapes are kept); non-ASCII host names are
    IDNA-encoded.
    """
    from urllib.parse import quote, urlsplit

    if not url:
        return None
    text = url.strip()
    if _CONTROL.search(text):
        return None
    try:
        parts = urlsplit(text)
        port = parts.port
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme.lower() not in URL_SCHEMES or not host:
        return None
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return None
    if not re.fullmatch(r"[A-Za-z0-9.\-_:]+", host):
        return None
    if ":" in host:
        host = f"[{host}]"
    netloc = host if port is None else f"{host}:{port}"

    def encode(part: str) -> str:
        return quote(_BARE_PERCENT.sub("%25", part), safe=_URL_SAFE)

    out = f"{parts.scheme.lower()}://{netloc}{encode(parts.path)}"
    if parts.query:
        out += "?" + encode(parts.query)
    if parts.fragment:
        out += "#" + encode(parts.fragment)
    return out


@functools.lru_cache(maxsize=4096)
def _stamp(value: datetime) -> str:
    """A ``created``/``modified`` time: UTC, at least millisecond precision (STIX 2.1 section 3.2)."""
    frac = f"{value.microsecond:06d}".rstrip("0").ljust(3, "0")
    return f"{value:%Y-%m-%dT%H:%M:%S}.{frac}Z"


@functools.lru_cache(maxsize=4096)
def _instant(value: datetime) -> str:
    """Any other timestamp (``published``): UTC, fractional seconds only when there are any."""
    frac = f"{value.microsecond:06d}".rstrip("0")
    return f"{value:%Y-%m-%dT%H:%M:%S}{'.' + frac if frac else ''}Z"


def _in_order(kind: str, props: dict[str, Any]) -> dict[str, Any]:
    """``props`` in spec order for ``kind``; custom ``x_`` properties after, sorted."""
    out = {k: props[k] for k in SPEC_ORDER[kind] if k in props}
    if len(out) < len(props):
        out.update(sorted((k, v) for k, v in props.items() if k not in out))
    return out


#: (kind, property names as given) -> (its x_claimgraph_ names, the final key order): objects of one kind
#: mostly share a few shapes, so the order of :func:`_in_order` is worked out once per shape
_SHAPES: dict[tuple[str, tuple[str, ...]], tuple[tuple[str, ...], tuple[str, ...]]] = {}


def _shape(kind: str, keys: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    found = _SHAPES.get((kind, keys))
    if found is None:
        names = tuple(k for k in keys if k.startswith("x_claimgraph_"))
        every = dict.fromkeys([*keys, "extensions"] if names else keys)
        found = _SHAPES[(kind, keys)] = (names, tuple(_in_order(kind, every)))
    return found


class _Bundle:
    """The state shared by :func:`build_bundle`'s passes: the objects made so far and the STIX refs of
    claimgraph's ids. Each pass is a method; :func:`build_bundle` calls them in order."""

    def __init__(self, corpus: Corpus, options: Options) -> None:
        self.corpus = corpus
        self.index = Index(corpus)
        self.clock = _Clock(corpus, options)
        self.actor_types = load_actor_types(options.actor_types)
        self.objects: dict[str, dict[str, Any]] = {}
        self.custom: set[str] = set()
        self.system_id = stix_id("identity", *_SYSTEM_KEY)
        self.docs_of_entity: dict[str, set[str]] = defaultdict(set)
        self.entity_ref: dict[str, str] = {}
        self.source_ref: dict[str, str] = {}
        self.note_ref: dict[str, str] = {}
        self.report_refs: dict[str, set[str]] = defaultdict(set)

    def make(self, kind: str, **kwargs: Any) -> dict[str, Any]:
        """One STIX object; ``x_claimgraph_*`` properties are declared by the extension definition."""
        props: dict[str, Any] = {k: v for k, v in kwargs.items() if v is not None}
        props["type"] = kind
        props["spec_version"] = "2.1"
        for key in ("created", "modified"):
            if key in props:
                props[key] = _stamp(props[key])
        if "published" in props:
            props["published"] = _instant(props["published"])
        names, order = _shape(kind, tuple(props))
        if names:
            self.custom.update(names)
            props["extensions"] = {EXTENSION_ID: {"extension_type": "toplevel-property-extension"}}
        return {k: props[k] for k in order}

    def system_identity(self) -> None:
        """claimgraph itself, the ``created_by_ref`` of what it generates."""
        created, _ = self.clock.span([d.id for d in self.corpus.documents])
        self.objects[self.system_id] = self.make(
            "identity",
            id=self.system_id,
            name="claimgraph",
            identity_class="system",
            description="Automated attribution analysis. It records who said what, where; it never asserts a claim.",
            created=created,
            modified=created,
        )

    def entities(self) -> None:
        """Entities -> identities (or the user's designated threat-actor / intrusion-set)."""
        corpus, docs_of_entity = self.corpus, self.docs_of_entity
        for ent in corpus.entities:
            docs_of_entity[ent.id].update(ent.document_ids)
            docs_of_entity[ent.id].update(m.document_id for m in ent.mention_spans)
        for st in corpus.statements:
            for eid in st.entity_ids:
                docs_of_entity[eid].add(st.document_id)
        roles: dict[str, set[str]] = defaultdict(set)
        for src in corpus.sources:
            if src.entity_id and src.role:
                roles[src.entity_id].add(src.role)
        for ent in corpus.entities:
            names = {ent.name.casefold(), *(a.name.casefold() for a in ent.aliases)}
            designated = sorted({self.actor_types[n] for n in names if n in self.actor_types})
            created, modified = self.clock.span(docs_of_entity[ent.id])
            common: dict[str, Any] = {
                "created": created,
                "modified": modified,
                "created_by_ref": self.system_id,
                "x_claimgraph_entity_id": ent.id,
                "x_claimgraph_entity_type": ent.type,
                "x_claimgraph_mentions": ent.mentions,
            }
            aliases = sorted({a.name for a in ent.aliases if a.name != ent.name})
            if designated:
                kind = designated[0]
                oid = stix_id(kind, "entity", ent.id)
                description = f"Designated {kind} by the user's actor-types configuration; claimgraph does not infer this."
                extra: dict[str, Any] = {"threat_actor_types": ["unknown"]} if kind == "threat-actor" else {}
                obj = self.make(
                    kind,
                    id=oid,
                    name=ent.name,
                    description=description,
                    aliases=aliases or None,
                    **extra,
                    **common,
                )
            else:
                oid = stix_id("identity", "entity", ent.id)
                obj = self.make(
                    "identity",
                    id=oid,
                    name=ent.name,
                    identity_class=IDENTITY_CLASS.get(ent.type, "unknown"),
                    roles=sorted(roles[ent.id]) or None,
                    x_claimgraph_aliases=aliases or None,
                    **common,
                )
            self.objects[oid] = obj
            self.entity_ref[ent.id] = oid

    def sources(self) -> None:
        """Sources not linked to an entity -> identities."""
        for src in self.corpus.sources:
            if src.entity_id and src.entity_id in self.entity_ref:
                self.source_ref[src.id] = self.entity_ref[src.entity_id]
                continue
            oid = stix_id("identity", "source", src.id)
            created, modified = self.clock.span(src.document_ids)
            self.objects[oid] = self.make(
                "identity",
                id=oid,
                name=src.label,
                identity_class=SOURCE_IDENTITY_CLASS.get(src.kind, "unknown"),
                description=src.description or None,
                roles=[src.role] if src.role else None,
                created=created,
                modified=modified,
                created_by_ref=self.system_id,
                x_claimgraph_source_id=src.id,
                x_claimgraph_source_kind=src.kind,
            )
            self.source_ref[src.id] = oid

    def mentions(self) -> None:
        """What each report refers to: the entities it mentions and the sources it quotes."""
        for eid, mentioned_in in self.docs_of_entity.items():
            if eid in self.entity_ref:
                for doc_id in mentioned_in:
                    self.report_refs[doc_id].add(self.entity_ref[eid])
        for st in self.corpus.statements:
            if st.source_id in self.source_ref:
                self.report_refs[st.document_id].add(self.source_ref[st.source_id])

    def notes(self) -> None:
        """Claims -> notes (attributed text, grade, explanation)."""
        corpus, index, entity_ref = self.corpus, self.index, self.entity_ref
        for claim in corpus.claims:
            self.note_ref[claim.id] = stix_id("note", "claim", claim.id)
        for claim in corpus.claims:
            oid = self.note_ref[claim.id]
            statements = index.by_claim.get(claim.id, [])
            doc_ids = sorted(set(claim.document_ids) | {s.document_id for s in statements})
            refs = sorted(
                {entity_ref[e] for e in claim.entity_ids if e in entity_ref}
                | {stix_id("report", "document", d) for d in doc_ids if d in index.documents}
            )
            if not refs:
                refs = [self.system_id]
            created, modified = self.clock.span(doc_ids)
            g = claim.grade
            attributed = attributed_claim(claim, index)
            content = (
                f"{attributed}\n\n"
                f"Assessment by claimgraph (not a statement by any source): Admiralty grade {g.admiralty} "
                f"(reliability {g.reliability}: {RELIABILITY.get(g.reliability, RELIABILITY['F'])}; "
                f"credibility {g.credibility}: {CREDIBILITY.get(g.credibility, CREDIBILITY[6])}). "
                f"Likelihood that the claim is accurate as stated, on this evidence: {estimative(g)}. "
                f"{g.explanation}".rstrip()
            )
            self.objects[oid] = self.make(
                "note",
                id=oid,
                abstract=f"Attributed claim, Admiralty {g.admiralty}{', circular reporting' if claim.circular else ''}",
                content=content,
                authors=["claimgraph"],
                object_refs=refs,
                created=created,
                modified=modified,
                created_by_ref=self.system_id,
                x_claimgraph_claim_id=claim.id,
                x_claimgraph_text=claim.text,
                x_claimgraph_admiralty=g.admiralty,
                x_claimgraph_reliability=g.reliability,
                x_claimgraph_credibility=g.credibility,
                x_claimgraph_confidence=g.confidence,
                x_claimgraph_explanation=g.explanation,
                x_claimgraph_circular=claim.circular,
                x_claimgraph_independent_sources=claim.independent_sources,
                x_claimgraph_origins=[index.source_label(s) for s in claim.origin_source_ids] or None,
                x_claimgraph_first_seen=claim.first_seen,
                x_claimgraph_statement_ids=sorted(claim.statement_ids) or None,
            )
            for doc_id in doc_ids:
                self.report_refs[doc_id].add(oid)

    def opinions(self) -> None:
        """A source's stances toward a claim -> opinions on the claim's note."""
        index = self.index
        groups: dict[tuple[str, str, str], list[Statement]] = defaultdict(list)
        for st in self.corpus.statements:
            if st.claim_id in self.note_ref and st.stance in OPINION:
                assert st.claim_id is not None and st.stance is not None
                groups[(st.claim_id, st.source_id, st.stance)].append(st)
        for (claim_id, source_id, stance), stmts in sorted(groups.items()):
            stmts.sort(key=lambda s: (s.document_id, s.start, s.id))
            oid = stix_id("opinion", "stance", claim_id, source_id, stance)
            who = index.phrase(source_id)
            quotes = "; ".join(_quote(index, s) for s in stmts)
            created, modified = self.clock.span([s.document_id for s in stmts])
            self.objects[oid] = self.make(
                "opinion",
                id=oid,
                opinion=OPINION[stance],
                authors=[index.source_label(source_id)],
                explanation=f"{who} {STANCE_VERBS[stance]}: {quotes}",
                object_refs=[self.note_ref[claim_id]],
                created=created,
                modified=modified,
                created_by_ref=self.system_id,
                x_claimgraph_stance=stance,
                x_claimgraph_source_id=source_id,
                x_claimgraph_statement_ids=[s.id for s in stmts],
            )
            for s in stmts:
                self.report_refs[s.document_id].add(oid)

    def corrections(self) -> None:
        """Analysts' corrections -> notes (by the analyst, on the statement's report and claim)."""
        for oid, obj in _correction_notes(self.corpus, self.index, self.clock, self.note_ref, self.make):
            self.objects[oid] = obj

    def relationships(self) -> None:
        """Relations between exported entities -> relationships."""
        index, entity_ref = self.index, self.entity_ref
        for rel in self.corpus.relations:
            if rel.subject not in entity_ref or rel.object not in entity_ref:
                continue
            oid = stix_id("relationship", "relation", rel.id)
            stmts = sorted(
                (index.statements[s] for s in rel.statement_ids if s in index.statements),
                key=lambda s: (s.document_id, s.start, s.id),
            )
            doc_ids = sorted({s.document_id for s in stmts})
            created, modified = self.clock.span(doc_ids)
            self.objects[oid] = self.make(
                "relationship",
                id=oid,
                relationship_type=relationship_type(rel.predicate),
                source_ref=entity_ref[rel.subject],
                target_ref=entity_ref[rel.object],
                description=_relation_description(rel, index, stmts),
                confidence=max(0, min(100, int(rel.grade.confidence))),
                created=created,
                modified=modified,
                created_by_ref=self.system_id,
                x_claimgraph_relation_id=rel.id,
                x_claimgraph_predicate=rel.predicate,
                x_claimgraph_admiralty=rel.grade.admiralty,
                x_claimgraph_explanation=rel.grade.explanation,
                x_claimgraph_source_ids=sorted(rel.source_ids) or None,
                x_claimgraph_statement_ids=sorted(rel.statement_ids) or None,
            )
            for doc_id in doc_ids:
                self.report_refs[doc_id].add(oid)

    def reports(self) -> None:
        """Documents -> reports, ``created_by_ref`` their outlet or author (see :class:`_Publishers`)."""
        corpus, clock = self.corpus, self.clock
        publishers = _Publishers(self)
        sourcing = {p.document_id: p.summary for p in corpus.sourcing_profiles()}
        for doc in corpus.documents:
            oid = stix_id("report", "document", doc.id)
            by = publishers.ref(doc.id)
            refs = sorted(self.report_refs.get(doc.id, set()) | ({by} if by else set())) or [self.system_id]
            created, modified = clock.span([doc.id])
            url = safe_url(doc.url)
            self.objects[oid] = self.make(
                "report",
                id=oid,
                name=doc.title or doc.path,
                published=clock.published(doc.id)
                if clock.frozen is None or doc.id in clock.doc_dates
                else clock.base,
                object_refs=refs,
                created=created,
                modified=modified,
                created_by_ref=by,
                description=_document_description(doc.outlet, doc.authors, doc.published),
                external_references=[_external_reference(doc.outlet or "web", url)] if url else None,
                x_claimgraph_document_id=doc.id,
                x_claimgraph_path=doc.path,
                x_claimgraph_duplicate_of=doc.duplicate_of,
                x_claimgraph_sourcing=sourcing.get(doc.id) or None,
            )

    def extension(self) -> None:
        """The extension definition declaring every ``x_claimgraph_*`` property used."""
        created, _ = self.clock.span([d.id for d in self.corpus.documents])
        extension = self.make(
            "extension-definition",
            id=EXTENSION_ID,
            created_by_ref=self.system_id,
            created=created,
            modified=created,
            name="claimgraph attribution properties",
            description=(
                "Top-level x_claimgraph_* properties: claimgraph ids, Admiralty grades, explanations, stances "
                "and statement ids, so an export can be traced back to the claimgraph/1 JSON."
            ),
            schema="https://example.invalid/claimgraph/docs/outputs.md#stix",
            version="1.0.0",
            extension_types=["toplevel-property-extension"],
        )
        extension["extension_properties"] = sorted(self.custom)
        self.objects[EXTENSION_ID] = _in_order("extension-definition", extension)

    def bundle(self) -> dict[str, Any]:
        """The bundle: objects sorted by type order, then id; its id a digest of theirs."""
        ordered = sorted(self.objects.values(), key=lambda o: (_TYPE_ORDER.get(o["type"], 9), o["id"]))
        digest = hashlib.sha256("\n".join(o["id"] for o in ordered).encode("ascii")).hexdigest()
        return {
            "type": "bundle",
            "id": f"bundle--{uuid.uuid5(NAMESPACE, 'bundle|' + digest)}",
            "objects": ordered,
        }


#: The order of object types in the bundle (then by id).
_TYPE_ORDER = {
    "extension-definition": -1,
    "identity": 0,
    "threat-actor": 1,
    "intrusion-set": 2,
    "report": 3,
    "note": 4,
    "opinion": 5,
    "relationship": 6,
}


class _Publishers:
    """A document's outlet or author as an identity ref: a source or entity of that name, else an identity
    made for the name (first the outlet, then the authors)."""

    def __init__(self, b: _Bundle) -> None:
        self.b = b
        corpus = b.corpus
        self.by_label: dict[tuple[str, str], str] = {}
        for src in sorted(corpus.sources, key=lambda s: s.id):
            self.by_label.setdefault((src.kind, src.label.casefold()), b.source_ref[src.id])
        self.label_any = {label: ref for (_, label), ref in sorted(self.by_label.items(), reverse=True)}
        self.entity_by_name = {e.name.casefold(): b.entity_ref[e.id] for e in corpus.entities}
        self.docs_named: dict[str, set[str]] = defaultdict(set)
        for doc in corpus.documents:
            for name in [doc.outlet, *doc.authors]:
                if name:
                    self.docs_named[name].add(doc.id)

    def ref(self, doc_id: str) -> str | None:
        b = self.b
        doc = b.index.documents[doc_id]
        names = [("outlet", doc.outlet)] if doc.outlet else []
        names += [("author", a) for a in doc.authors]
        for kind, name in names:
            assert name is not None
            key = name.casefold()
            ref = self.by_label.get((kind, key)) or self.label_any.get(key) or self.entity_by_name.get(key)
            if ref is not None:
                return ref
        if not names:
            return None
        kind, name = names[0]
        assert name is not None
        oid = stix_id("identity", kind, name.casefold())
        if oid not in b.objects:
            created, modified = b.clock.span(self.docs_named[name])
            b.objects[oid] = b.make(
                "identity",
                id=oid,
                name=name,
                identity_class=SOURCE_IDENTITY_CLASS[kind],
                created=created,
                modified=modified,
                created_by_ref=b.system_id,
                x_claimgraph_source_kind=kind,
            )
        return oid


def build_bundle(corpus: Corpus, options: Options) -> dict[str, Any]:
    """The STIX 2.1 bundle of ``corpus`` as plain data (objects sorted by type order, then id).

    Nothing here goes through the ``stix2`` library: its pretty serialiser is quadratic in the bundle's
    size. The tests validate the result with ``stix2-validator``. Named passes, in order: the system
    identity, entities, sources, what reports mention, claim notes, opinions, corrections,
    relationships, reports, the extension definition.
    """
    b = _Bundle(corpus, options)
    b.system_identity()
    b.entities()
    b.sources()
    b.mentions()
    b.notes()
    b.opinions()
    b.corrections()
    b.relationships()
    b.reports()
    b.extension()
    return b.bundle()


#: What a correction's field is called in words.
_CORRECTED = {"speaker": "speaker", "stance": "stance toward its claim", "claim_id": "claim"}


def _correction_notes(
    corpus: Corpus, index: Index, clock: _Clock, note_ref: dict[str, str], make: Any
) -> list[tuple[str, dict[str, Any]]]:
    """A ``note`` per analyst's correction (``authors``: the analyst; ``created_by_ref``: an ``identity`` of
    the analyst), referring to the statement's report and the claim notes it left and joined. Ids are
    UUIDv5 over the correction's id, statement, field, value and time."""
    out: list[tuple[str, dict[str, Any]]] = []
    for c in corpus.corrections:
        analyst = stix_id("identity", "analyst", c.user)
        when = clock.frozen or _parse_time(c.created)
        out.append(
            (
                analyst,
                make(
                    "identity",
                    id=analyst,
                    name=c.user,
                    identity_class="individual",
                    description="An analyst of the workspace where this analysis was corrected.",
                    created=when,
                    modified=when,
                ),
            )
        )
    notes: dict[str, dict[str, Any]] = {}
    for c in corpus.corrections:
        oid = stix_id("note", "correction", c.id, c.statement_id, c.field, c.value, c.created)
        st = index.statements.get(c.statement_id)
        refs = {stix_id("report", "document", c.document_id)} if c.document_id in index.documents else set()
        for claim_id in (c.value, c.previous) if c.field == "claim_id" else (st.claim_id if st else None,):
            if claim_id in note_ref:
                refs.add(note_ref[str(claim_id)])
        if not refs:
            refs = {stix_id("identity", *_SYSTEM_KEY)}
        if c.field == "speaker":
            before, after = index.source_label(c.previous or "?"), index.source_label(c.value or "?")
        else:
            before, after = c.previous or "none", c.value or "none"
        quoted = f'"{st.text}"' if st is not None else c.statement_id
        content = f"{c.user} corrected the {_CORRECTED.get(c.field, c.field)} of the statement {quoted}: "
        content += f"{before} -> {after}." + (f" Note: {c.note}" if c.note else "")
        when = clock.frozen or _parse_time(c.created)
        notes[oid] = make(
            "note",
            id=oid,
            abstract=f"Analyst correction of a statement's {_CORRECTED.get(c.field, c.field)}",
            content=content,
            authors=[c.user],
            object_refs=sorted(refs),
            created=when,
            modified=when,
            created_by_ref=stix_id("identity", "analyst", c.user),
            x_claimgraph_correction_id=c.id,
            x_claimgraph_statement_id=c.statement_id,
            x_claimgraph_field=c.field,
            x_claimgraph_value=c.value,
            x_claimgraph_previous=c.previous,
        )
    return out + sorted(notes.items())


def _external_reference(source_name: str, url: str) -> dict[str, Any]:
    ref = {"source_name": source_name, "url": url}
    return {k: ref[k] for k in _EXTERNAL_REFERENCE_ORDER if k in ref}


def _quote(index: Index, st: Statement) -> str:
    doc = index.documents.get(st.document_id)
    where = index.outlet_of(st.document_id)
    date = f", {doc.published}" if doc is not None and doc.published else ""
    return f"“{index.sentence(st)}” ({where}{date})"


def _relation_description(rel: Relation, index: Index, stmts: list[Statement]) -> str:
    subject = index.entities[rel.subject].name
    obj = index.entities[rel.object].name
    sources = join_names([index.phrase(s) for s in sorted(rel.source_ids)]) or "unidentified sources"
    evidence = "; ".join(_quote(index, s) for s in stmts)
    text = (
        f"Reported relation, not established fact: {subject} {rel.predicate} {obj}, according to {sources}. "
        f"Admiralty {rel.grade.admiralty}: {rel.grade.explanation}".rstrip()
    )
    return f"{text} Evidence: {evidence}" if evidence else text


def _document_description(outlet: str | None, authors: list[str], published: str | None) -> str:
    parts = [f"Published by {outlet}" if outlet else "Outlet unknown"]
    if authors:
        parts.append(f"byline {join_names(authors)}")
    parts.append(f"dated {published}" if published else "undated")
    return ", ".join(parts) + "."


def iter_dumps(corpus: Corpus, options: Options) -> Iterator[str]:
    """The bundle as pretty JSON (spec property order, 4-space indent), in pieces: one per object.

    Each object is encoded on its own with :mod:`json`, so the time is linear in the bundle's size and
    :func:`~claimgraph.outputs.write_atomic` streams the pieces to disk.
    """
    yield from iter_json(build_bundle(corpus, options), indent=4)


def dumps(corpus: Corpus, options: Options) -> str:
    """The bundle as pretty JSON (spec property order), newline-terminated."""
    return "".join(iter_dumps(corpus, options))


@registry.exporters("stix")
def write_stix(corpus: Corpus, out_dir: Path, options: Options) -> list[Path]:
    """Written whole: building the objects is most of its time, so copying unchanged ones from the previous
    file (as ``claimgraph.json`` does, ``_splice``) saved nothing measurable (``docs/scale.md``)."""
    with contextlib.suppress(OSError):  # a sidecar left by a version that spliced this file
        (out_dir / ".claimgraph.stix.json.index").unlink(missing_ok=True)
    return [write_atomic(out_dir / "claimgraph.stix.json", iter_dumps(corpus, options))]
