"""Sources: who each statement rests on, with stable ids and affiliations.

- ``person``: one source per person *entity* across the corpus;
- ``organization``: one per organisation/group entity (or per name when no entity);
- ``document``: one per report title across the corpus;
- ``anonymous``: one per distinct description per document (``the official`` resolved to an earlier
  description is that same source);
- ``author``: one per author name across the corpus, linked to the person entity of that name;
- ``outlet``: one per outlet name.

The same person as an article's author and as a quoted speaker elsewhere is ONE entity and two
sources (kinds ``author`` and ``person``) sharing ``entity_id``; provenance joins them by entity.
Affiliations (``affiliated_source_ids``, both directions): author <-> outlet of his articles,
person/author <-> the organisation the text says he founded/runs/works for, speaker <-> the
organisation named in his description (``a Foreign Ministry official``).
"""

from __future__ import annotations

import re
from typing import Any

from ..model import UNNAMED_OUTLET, Source, stable_id
from .resolution import EntityIndex, normalize

__all__ = ["SourceBuilder"]


_POSSESSIVE_RE = re.compile(r"\b([A-Z][\w\-]+)['’]s\b")


def _looks_like_demonym(word: str) -> bool:
    from .demonyms import looks_like_demonym

    return looks_like_demonym(word)


def _fuller_role(new: str, old: str) -> bool:
    """``French Prime Minister`` is a fuller form of ``Prime Minister``, ``founder of Brandt
    Consulting`` of ``founder``: same title, more said."""
    n, o = normalize(new), normalize(old)
    return len(n) > len(o) and (n.endswith(" " + o) or n.startswith(o + " "))


class SourceBuilder:
    def __init__(self, index: EntityIndex) -> None:
        self.index = index
        self.sources: dict[str, Source] = {}
        #: entity id -> the author and person sources with that entity, in the order they were made
        self._people_of: dict[str, list[Source]] = {}
        self._made: dict[str, int] = {}
        self._documents_of: dict[str, set[str]] = {}
        #: text -> the states it speaks for (:meth:`_states_in`)
        self._states: dict[str, set[str]] = {}
        #: keys -> ``stable_id("src", *keys)`` (a source is met again in every statement it speaks)
        self._ids: dict[tuple[str, ...], str] = {}

    def _source_id(self, *keys: str) -> str:
        """``stable_id("src", *keys)``, made once per distinct keys."""
        sid = self._ids.get(keys)
        if sid is None:
            sid = self._ids[keys] = stable_id("src", *keys)
        return sid

    def _get(self, sid: str, label: str, kind: str, doc_id: str | None, **extra: Any) -> Source:
        src = self.sources.get(sid)
        if src is None:
            src = Source(id=sid, label=label, kind=kind, **extra)  # type: ignore[arg-type]
            self._made[sid] = len(self.sources)
            self.sources[sid] = src
            self._index_person(src)
        else:
            for key, value in extra.items():
                if value is None:
                    continue
                old = getattr(src, key)
                if old is None or (key == "role" and _fuller_role(value, old)):
                    setattr(src, key, value)
                    if key == "entity_id":
                        self._index_person(src)
        if doc_id is not None:
            # the set is made once per source: ``setdefault(sid, set(...))`` would copy the whole list on
            # every call, quadratic for an outlet named in thousands of documents
            seen = self._documents_of.get(sid)
            if seen is None:
                seen = self._documents_of[sid] = set(src.document_ids)
            if doc_id not in seen:  # a set: one source (an outlet) can be in every document
                seen.add(doc_id)
                src.document_ids.append(doc_id)
        return src

    def _index_person(self, src: Source) -> None:
        if src.entity_id is not None and src.kind in ("author", "person"):
            people = self._people_of.setdefault(src.entity_id, [])
            people.append(src)
            people.sort(key=lambda s: self._made[s.id])

    def link(self, a: Source, b: Source) -> None:
        if a.id == b.id:
            return
        if b.id not in a.affiliated_source_ids:
            a.affiliated_source_ids.append(b.id)
        if a.id not in b.affiliated_source_ids:
            b.affiliated_source_ids.append(a.id)

    def entity_name(self, eid: str | None, fallback: str) -> str:
        if eid is None:
            return fallback
        if not hasattr(self, "_names"):
            self._names = {e.id: e.name for e in self.index.entities}
        return self._names.get(eid, fallback)

    def entity_type(self, eid: str | None) -> str | None:
        if eid is None:
            return None
        if not hasattr(self, "_types"):
            self._types = {e.id: e.type for e in self.index.entities}
        return self._types.get(eid)

    def _entity(self, doc_id: str, part: str, spk: dict[str, Any]) -> str | None:
        if spk.get("name_start") is not None:
            eid = self.index.by_span.get((doc_id, part, spk["name_start"], spk["name_end"]))
            if eid is not None:
                return eid
        name = spk.get("name")
        return self.index.lookup(doc_id, name) if name else None

    # -- kinds ---------------------------------------------------------------------------
    def outlet(self, name: str, doc_id: str) -> Source:
        """The outlet called ``name``; :data:`~claimgraph.model.UNNAMED_OUTLET` is one outlet per document."""
        if name == UNNAMED_OUTLET:
            return self._get(self._source_id("outlet", UNNAMED_OUTLET, doc_id), name, "outlet", doc_id)
        eid = self.index.global_by_name.get(normalize(name))
        return self._get(self._source_id("outlet", normalize(name)), name, "outlet", doc_id, entity_id=eid)

    def author(self, name: str, doc_id: str) -> Source:
        eid = self.index.lookup(doc_id, name)
        label = self.entity_name(eid, name)
        return self._get(
            self._source_id("author", eid or normalize(name)), label, "author", doc_id, entity_id=eid
        )

    def organization(
        self, name: str, doc_id: str | None, eid: str | None = None, role: str | None = None
    ) -> Source:
        if eid is None and doc_id is not None:
            eid = self.index.lookup(doc_id, name)
        label = self.entity_name(eid, name)
        return self._get(
            self._source_id("organization", eid or normalize(name)),
            label,
            "organization",
            doc_id,
            entity_id=eid,
            role=role,
        )

    def from_speaker(self, spk: dict[str, Any], doc_id: str, part: str = "text") -> Source | None:
        kind = spk.get("kind")
        eid = None
        if kind in ("person", "organization"):
            # the corpus-level entity type wins over the document-level guess (NER mislabels names)
            eid = self._entity(doc_id, part, spk)  # the same lookup serves the person/organisation below
            etype = self.entity_type(eid)
            if etype == "person":
                kind = "person"
            elif etype in ("organization", "group", "location"):
                kind = "organization"
        if kind == "person":
            label = self.entity_name(eid, spk.get("name") or spk["text"])
            src = self._get(
                self._source_id("person", eid or normalize(label)),
                label,
                "person",
                doc_id,
                entity_id=eid,
                role=spk.get("role"),
                description=spk.get("description"),
            )
        elif kind == "organization":
            src = self.organization(spk.get("name") or spk["text"], doc_id, eid, role=spk.get("role"))
        elif kind == "document":
            name = spk.get("name") or spk["text"]
            src = self._get(
                self._source_id("document", normalize(name)),
                name,
                "document",
                doc_id,
                entity_id=self.index.lookup(doc_id, name),
            )
            if spk.get("publisher"):
                self.link(src, self.organization(spk["publisher"], doc_id))
        elif kind == "anonymous":
            desc = spk.get("description") or spk["text"]
            src = self._get(
                self._source_id("anonymous", doc_id, normalize(desc)),
                desc,
                "anonymous",
                doc_id,
                description=desc,
            )
        else:
            return None
        aff = spk.get("affiliation")
        if aff and kind in ("person", "anonymous"):
            self.link(src, self.organization(aff, doc_id))
        return src

    def state_for(self, doc_id: str | None, word: str) -> str | None:
        """The location entity a state word stands for: a demonym (``French`` -> France, by the
        general suffix rule of :mod:`.demonyms`, unique among the corpus's places) or a place name."""
        from .demonyms import PlaceIndex

        if doc_id is not None:
            eid = self.index.lookup(doc_id, word)
        else:
            eid = self.index.global_by_name.get(normalize(word))
        if eid is not None:
            return eid if self.entity_type(eid) == "location" else None
        if not hasattr(self, "_places"):
            self._places: dict[str, str] = {}
            for e in self.index.entities:
                if e.type == "location":
                    for n in [e.name, *(a.name for a in e.aliases)]:
                        self._places.setdefault(n, e.id)
            self._place_index = PlaceIndex(self._places)  # indexed once: the same answers, linear
        hit = self._place_index.country_for(word)
        return self._places[hit] if hit is not None else None

    def affiliate_person(self, doc_id: str, person: str, role: str, org: str) -> None:
        """``person, <role> of <org>``: link the person's author/person sources to the organisation, or
        record the state (``French Prime Minister X`` -> France) in ``affiliation_entity_ids``."""
        eid = self.index.lookup(doc_id, person)
        if eid is None:
            return
        state = self.state_for(doc_id, org)
        if state is None and self.index.lookup(doc_id, org) is None and _looks_like_demonym(org):
            return  # a demonym of no known place
        matched = list(self._people_of.get(eid, []))
        if not matched:
            label = self.entity_name(eid, person)
            matched = [
                self._get(self._source_id("person", eid), label, "person", None, entity_id=eid, role=role)
            ]
        org_src = None if state is not None else self.organization(org, doc_id)
        for src in matched:
            if role and (src.role is None or _fuller_role(role, src.role)):
                src.role = role
            if org_src is not None:
                self.link(src, org_src)
            elif state is not None and state not in src.affiliation_entity_ids:
                src.affiliation_entity_ids.append(state)

    def _states_in(self, text: str) -> set[str]:
        """States a role/description/label speaks for: a demonym or ``Country's`` next to an official
        word (``a French official``, ``French Foreign Ministry``, ``France's Interior Minister``). Kept per
        text (a function of the text and the entity index; many sources share a role or description)."""
        found = self._states.get(text)
        if found is None:
            found = self._states[text] = self._find_states(text)
        return set(found)

    def _find_states(self, text: str) -> set[str]:
        from .demonyms import DEMONYM_RE
        from .lexicon import STATE_ROLE_WORDS, former_tie

        words = {w.lower().strip("’'") for w in re.findall(r"[\w’']+", text)}
        if not words & STATE_ROLE_WORDS:
            return set()
        found: set[str] = set()
        for m in DEMONYM_RE.finditer(text):
            if former_tie(text[: m.start()]):
                continue  # "a former French official" no longer speaks for France
            eid = self.state_for(None, m.group(0))
            if eid is not None:
                found.add(eid)
        for m in _POSSESSIVE_RE.finditer(text):
            if former_tie(text[: m.start()]):
                continue
            eid = self.state_for(None, m.group(1))
            if eid is not None:
                found.add(eid)
        return found

    def finish(self) -> list[Source]:
        """Sorted sources; ``affiliation_entity_ids`` filled from linked organisations and state words."""
        out = list(self.sources.values())
        by_entity: dict[str, list[Source]] = {}
        for s in out:
            if s.entity_id is not None and s.kind in ("organization", "outlet"):
                by_entity.setdefault(s.entity_id, []).append(s)
        for s in out:
            if s.kind == "outlet":
                continue
            ents = set(s.affiliation_entity_ids)
            for sid in s.affiliated_source_ids:
                other = self.sources[sid]
                if other.kind in ("organization", "outlet") and other.entity_id:
                    ents.add(other.entity_id)
            texts = [s.role or "", s.description or ""]
            if s.kind in ("organization", "anonymous", "document"):
                texts.append(s.label)
            for t in texts:
                ents |= self._states_in(t)
            ents.discard(s.entity_id or "")
            s.affiliation_entity_ids = sorted(ents)
            for eid in s.affiliation_entity_ids:
                if self.entity_type(eid) == "location":
                    for other in by_entity.get(eid, []):
                        self.link(s, other)
        for s in out:
            s.document_ids.sort()
            s.affiliated_source_ids.sort()
        out.sort(key=lambda s: s.id)
        return out
