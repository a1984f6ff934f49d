"""Well-known real-world actors and their other names (``data/aliases.tsv``, source in its header) plus
every country's names (:mod:`.places`) and the US states' AP-style abbreviations (``data/us_states.tsv``, from
the ``us`` package: ``Calif.`` = ``California``): ``al-Shabaab`` = ``Harakat al-Shabaab al-Mujahideen``,
``IRGC`` = ``Islamic Revolutionary Guard Corps``, ``Russian Federation`` = ``Russia``.

- :func:`entry_for` looks a name up (normalised like :func:`.places.key`: case, accents, apostrophes,
  dots and hyphens ignored, plus the particle spellings ``al-``/``al ``/``Al-``);
- :func:`phrase_matches` finds the table's names in a spaCy ``Doc`` with a ``PhraseMatcher`` (written
  forms, case-sensitive, with typographic apostrophe and hyphen/space variants).

A name given to two actors (``RSF``: Rapid Support Forces, Reporters Without Borders) is left out.
Loaded lazily, once.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any

from ..model import EntityType
from .places import countries, key

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["KnownActor", "entries", "entry_for", "phrase_matches"]

_TYPES: dict[str, EntityType] = {"group": "group", "organization": "organization", "location": "location"}


@dataclass(frozen=True)
class KnownActor:
    key: str
    """Stable key (the canonical name's matching key)."""
    name: str
    type: EntityType
    names: tuple[str, ...]
    """Every name, canonical first."""
    in_text: bool = True
    """Whether :func:`phrase_matches` looks for the names in text. Not for the US states: their abbreviations
    are words too (``Miss.``, ``Mass.``, ``Ind.``); they only join mentions NER found."""

    def fits(self, kind: str) -> bool:
        """Whether a mention of type ``kind`` can be this actor (an armed group may be tagged as an
        organisation and the reverse; a place only as a place)."""
        if self.type == "location":
            return kind == "location"
        return kind in ("organization", "group")


@functools.cache
def entries() -> tuple[KnownActor, ...]:
    """The alias table's rows, then one row per country."""
    text = resources.files("claimgraph.reference").joinpath("data/aliases.tsv").read_text(encoding="utf-8")
    rows: list[KnownActor] = []
    header_seen = False
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if not header_seen:
            header_seen = True  # name, type, aliases
            continue
        name, kind, aliases = (line.split("\t") + [""] * 3)[:3]
        names = (name, *(a for a in aliases.split("|") if a))
        rows.append(KnownActor(key(name), name, _TYPES.get(kind.strip(), "organization"), names))
    for c in countries():
        rows.append(KnownActor(key(c.name), c.name, "location", c.all_names))
    rows.extend(_us_states({k for row in rows for n in row.names for k in _variants(n)}))
    return tuple(rows)


def _us_states(taken: set[str]) -> list[KnownActor]:
    """One row per US state (and DC, and territories) with its AP-style abbreviation, from
    ``data/us_states.tsv``; a state whose name is already a key of the table or a place name (``Georgia``, a
    country; ``Washington``, a capital) is left out, so that neither joins the other. (Abbreviations are
    looked up as written, by :func:`_state_abbreviations`, so their loose keys cannot clash.)"""
    from .places import is_place_name

    text = resources.files("claimgraph.reference").joinpath("data/us_states.tsv").read_text(encoding="utf-8")
    rows: list[KnownActor] = []
    for line in text.splitlines():
        if not line.strip() or line.startswith(("#", "name\t")):
            continue
        name, ap = line.split("\t")[:2]
        if is_place_name(name) or key(name) in taken:
            continue
        rows.append(KnownActor(key(name), name, "location", (name, ap), in_text=False))
    return rows


@functools.cache
def _state_abbreviations() -> dict[str, KnownActor]:
    """Each US state row's AP abbreviation as written, with and without its final dot (``Calif.``, ``Calif``,
    ``W.Va``). Looked up exactly, not by :func:`.places.key`: that ignores case and dots, and ``La.`` / ``LA``
    (Los Angeles), ``Md.`` / ``MD``, ``Pa.`` / ``PA`` are other names."""
    out: dict[str, KnownActor] = {}
    for e in entries():
        if not e.in_text and e.type == "location":
            for short in e.names[1:]:
                out[short] = out[short.rstrip(".")] = e
    return out


def _variants(name: str) -> set[str]:
    """Matching keys of a name and of its particle spellings (``al-Hakim``, ``al Hakim``, ``Hakim``
    for an article-like ``al-`` opening a group's name is not dropped: only spelling varies)."""
    k = key(name)
    out = {k}
    if k.startswith("the "):
        out.add(k[4:])
    return out


@functools.cache
def _by_key() -> dict[str, KnownActor | None]:
    table: dict[str, KnownActor | None] = {}
    for e in entries():
        for n in e.names if e.in_text else e.names[:1]:  # a state's abbreviation: _state_abbreviations
            for k in _variants(n):
                if k:
                    table[k] = e if table.get(k, e) is e else None
    return table


def entry_for(name: str) -> KnownActor | None:
    """The one known actor with this name (any of its names), else ``None``."""
    found = _by_key().get(key(name))
    return found if found is not None else _state_abbreviations().get(name)


def _written_forms(name: str) -> set[str]:
    """``al-Shabaab`` -> {``al-Shabaab``, ``Al-Shabaab``, ``al Shabaab``, ``Al Shabaab``}; apostrophes
    both straight and typographic."""
    forms = {name, name.replace("-", " ")}
    forms |= {f[:1].upper() + f[1:] for f in forms}
    forms |= {f.replace("'", "’") for f in forms} | {f.replace("’", "'") for f in forms}
    return {f for f in forms if f.strip()}


@functools.cache
def _matcher(vocab: Any) -> tuple[Any, dict[int, KnownActor]]:
    import spacy
    from spacy.matcher import PhraseMatcher

    make = spacy.blank("en", vocab=vocab).make_doc
    matcher = PhraseMatcher(vocab, attr="ORTH")
    by_id: dict[int, KnownActor] = {}
    table = _by_key()
    for e in entries():
        if not e.in_text:
            continue
        forms: set[str] = set()
        for n in e.names:
            if table.get(key(n)) is e and (len(n) > 2 or not n.isupper()):
                forms |= _written_forms(n)
        if not forms:
            continue
        label = "KNOWN_" + e.key
        matcher.add(label, [make(f) for f in sorted(forms)])
        by_id[vocab.strings[label]] = e
    return matcher, by_id


def phrase_matches(doc: Doc) -> list[tuple[int, int, KnownActor]]:
    """``(start_char, end_char, actor)`` of the table's names in ``doc``, longest first where they
    overlap, in text order."""
    matcher, by_id = _matcher(doc.vocab)
    spans = sorted(
        ((s, e, by_id[mid]) for mid, s, e in matcher(doc) if mid in by_id),
        key=lambda x: (-(x[1] - x[0]), x[0]),
    )
    taken: list[tuple[int, int]] = []
    out: list[tuple[int, int, KnownActor]] = []
    for s, e, actor in spans:
        if any(a < e and s < b for a, b in taken):
            continue
        taken.append((s, e))
        out.append((doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text), actor))
    out.sort(key=lambda x: x[0])
    return out
