"""Entity resolution within a document and across the corpus.

Rules, each recorded as the alias's ``rule``:

- ``mention``: the same normalised name (case, hyphens, apostrophes, accents, a leading ``the``
  ignored: ``al-Nusra`` = ``Al Nusra``, ``O’Brien`` = ``O'Brien``) -> one entity (``variant`` when the
  surface differs from the canonical name only that way);
- ``title``: titles and ranks stripped before matching (``Maj. Ana Ruiz`` -> ``Ana Ruiz``);
- ``surname``: a one-word person name joins the full name of the *same document* whose last word it
  is; across documents only when exactly one full name in the corpus has that last word;
- ``acronym-defined`` / ``alternative-defined``: ``Name (ACR)``, ``Name (Other Name or ACR)`` in the text;
- ``acronym-initials``: an all-capitals name joins the one organisation/group whose initials it spells
  (same document first, then the corpus; never when two match);
- ``fuzzy``: people only, same number of words, same last word, other words each with equal
  consonant skeleton and rapidfuzz ratio >= 80 (``Mohammad`` / ``Muhammad``); never for places,
  organisations or one-word names (``Iran`` / ``Iraq`` stay apart); never two full names that
  occur side by side in one document.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..model import Alias, Entity, Mention, stable_id
from .entities import is_acronym
from .lexicon import FEMALE_NAMES, GROUP_WORDS, MALE_NAMES, MEDIA_WORDS

__all__ = ["EntityIndex", "MentionRecord", "normalize", "plain_form", "resolve_entities", "skeleton"]

_STOP = frozenset(["of", "the", "and", "for", "de", "du", "la", "le", "al", "el", "des", "in", "on"])
FUZZY_RATIO = 80.0
_FIRST_NAMES = frozenset(n.casefold() for n in FEMALE_NAMES | MALE_NAMES)


@lru_cache(maxsize=65536)
def normalize(name: str) -> str:
    """Matching key: accents, case, apostrophes, hyphens, dots and a leading ``the`` ignored."""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.casefold().replace("’", "'").replace("‘", "'").replace("`", "'")
    s = re.sub(r"'s$", "", s)
    s = s.replace("'", "").replace(".", "")
    s = re.sub(r"[\-‐‑–—_/]+", " ", s)
    s = re.sub(r"\s+", " ", s).strip()
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


@dataclass
class MentionRecord:
    doc_id: str
    part: str
    start: int
    end: int
    text: str
    name: str
    type: str
    label: str
    title: str | None = None
    defined: list[list[str]] = field(default_factory=list)
    rule: str = "mention"
    titled: str | None = None


class _UF:
    def __init__(self) -> None:
        self.parent: dict[tuple[str, ...], tuple[str, ...]] = {}

    def add(self, x: tuple[str, ...]) -> None:
        self.parent.setdefault(x, x)

    def find(self, x: tuple[str, ...]) -> tuple[str, ...]:
        self.add(x)
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
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


def _initials(name: str) -> str:
    words = re.findall(r"[A-Za-z][\w'’]*", name.replace("-", " "))
    return "".join(w[0].upper() for w in words if w.lower() not in _STOP)


def _node(m: MentionRecord) -> tuple[str, ...]:
    key = normalize(m.name)
    if m.type == "person":
        if len(key.split()) == 1:
            return ("p1", key, m.doc_id)
        return ("p", key)
    return ("o", key)


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
    named in any text makes no entity."""
    from rapidfuzz import fuzz

    mentions = list(mentions)
    uf = _UF()
    rule_of: dict[tuple[str, str, str], str] = {}  # (surface, doc, node-key) -> rule
    node_of: list[tuple[str, ...]] = []
    by_doc: dict[str, list[int]] = defaultdict(list)

    _fix_types(mentions, authors)
    author_keys = {normalize(a) for names in authors.values() for a in names}
    # people named in full per document (for surnames and for mislabelled one-word names)
    full_people: dict[str, dict[str, list[str]]] = defaultdict(
        lambda: defaultdict(list)
    )  # doc -> last -> keys
    for m in mentions:
        if m.type == "person" and len(m.name.split()) >= 2:
            key = normalize(m.name)
            full_people[m.doc_id][key.split()[-1]].append(key)
    for doc_id, names in authors.items():
        for a in names:
            key = normalize(a)
            if len(key.split()) >= 2:
                full_people[doc_id][key.split()[-1]].append(key)
    pinned: set[int] = set()  # one-word mentions that are the surname of a person named in their document
    for i, m in enumerate(mentions):
        key = normalize(m.name)
        if len(key.split()) == 1 and key in full_people[m.doc_id]:
            m.type, m.label = "person", "PERSON"
            pinned.add(i)
    _unify_one_word_types(
        mentions,
        pinned | {i for i, m in enumerate(mentions) if normalize(m.name) in author_keys},
        {k for d in full_people.values() for k in d},
        demonyms,
    )

    for i, m in enumerate(mentions):
        node = _node(m)
        uf.add(node)
        node_of.append(node)
        by_doc[m.doc_id].append(i)
        for alt, rule in m.defined:
            alt_node = ("o", normalize(alt)) if m.type != "person" else ("p", normalize(alt))
            uf.union(node, alt_node)
            rule_of[(alt, m.doc_id, "")] = rule
    author_nodes: list[tuple[str, str, tuple[str, ...]]] = []
    for doc_id, names in authors.items():
        for a in names:
            key = normalize(a)
            node = ("p", key) if len(key.split()) >= 2 else ("p1", key, doc_id)
            uf.add(node)
            author_nodes.append((doc_id, a, node))

    # surnames: same document first, then the corpus when unambiguous
    corpus_last: dict[str, set[str]] = defaultdict(set)
    for doc_map in full_people.values():
        for last, keys in doc_map.items():
            corpus_last[last].update(keys)
    loose: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for node in list(uf.parent):
        if node[0] != "p1":
            continue
        key, doc_id = node[1], node[2]
        in_doc = set(full_people.get(doc_id, {}).get(key, []))
        if len(in_doc) == 1:
            uf.union(node, ("p", next(iter(in_doc))))
            continue
        if in_doc:
            continue  # ambiguous inside the document: keep apart
        loose[key].append(node)
    for key, nodes in loose.items():
        fulls = corpus_last.get(key, set())
        if len(fulls) == 1:
            for node in nodes:
                uf.union(node, ("p", next(iter(fulls))))
        elif not fulls:
            for node in nodes:
                uf.union(node, ("p", key))

    _short_forms(mentions, node_of, by_doc, uf, rule_of)
    outlet_nodes: list[tuple[str, str, tuple[str, ...]]] = []
    for doc_id, names in sorted((outlets or {}).items()):
        for o in names:
            if normalize(o):
                outlet_nodes.append((doc_id, o, ("o", normalize(o))))
                uf.add(("o", normalize(o)))
    _outlet_short_forms(mentions, node_of, uf, rule_of, outlet_nodes)
    # acronyms spelled by initials
    org_names: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for i, m in enumerate(mentions):
        if m.type != "person" and len(m.name.split()) >= 2:
            org_names[node_of[i]].add(m.name)
    org_roots = {uf.find(n) for n in org_names}
    initials = {n: {_initials(x) for x in names} for n, names in org_names.items()}
    for i, m in enumerate(mentions):
        if m.type == "person" or not is_acronym(m.name):
            continue
        node = node_of[i]
        root = uf.find(node)
        if root in org_roots:
            continue
        same_doc = {node_of[j] for j in by_doc[m.doc_id] if node_of[j] in org_names}
        for pool in (same_doc, set(org_names)):
            hits = {uf.find(n) for n in pool if m.name.replace(".", "") in initials[n]}
            if len(hits) == 1:
                uf.union(node, next(iter(hits)))
                org_roots = {uf.find(n) for n in org_names}
                rule_of[(m.name, m.doc_id, "")] = "acronym-initials"
                break
            if len(hits) > 1:
                break

    # transliteration variants of people's names
    cooccur: set[frozenset[str]] = set()
    for idxs in by_doc.values():
        keys = sorted({node_of[i][1] for i in idxs if node_of[i][0] == "p"})
        for ia in range(len(keys)):
            for ib in range(ia + 1, len(keys)):
                cooccur.add(frozenset((keys[ia], keys[ib])))
    people = sorted({n for n in uf.parent if n[0] == "p"})
    by_last: dict[tuple[int, str], list[tuple[str, ...]]] = defaultdict(list)
    for n in people:
        words = n[1].split()
        by_last[(len(words), words[-1])].append(n)
    for bucket in by_last.values():
        for ia in range(len(bucket)):
            for ib in range(ia + 1, len(bucket)):
                x, y = bucket[ia][1], bucket[ib][1]
                if frozenset((x, y)) in cooccur or uf.find(bucket[ia]) == uf.find(bucket[ib]):
                    continue
                ok = True
                for wx, wy in zip(x.split()[:-1], y.split()[:-1], strict=True):
                    if wx == wy:
                        continue
                    if (
                        min(len(wx), len(wy)) < 4
                        or skeleton(wx) != skeleton(wy)
                        or fuzz.ratio(wx, wy) < FUZZY_RATIO
                    ):
                        ok = False
                        break
                if ok:
                    uf.union(bucket[ia], bucket[ib])
                    rule_of[("", "", y)] = "fuzzy"
                    rule_of[("", "", x)] = "fuzzy"

    # build entities
    clusters: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i, node in enumerate(node_of):
        clusters[uf.find(node)].append(i)
    author_clusters: dict[tuple[str, ...], list[tuple[str, str]]] = defaultdict(list)
    for doc_id, a, node in author_nodes:
        author_clusters[uf.find(node)].append((doc_id, a))
    outlet_clusters: dict[tuple[str, ...], list[tuple[str, str]]] = defaultdict(list)
    for doc_id, o, node in outlet_nodes:
        outlet_clusters[uf.find(node)].append((doc_id, o))
    roots = sorted(set(clusters) | set(author_clusters))
    rule_by_name: dict[str, str] = {}
    for (name, _doc, extra), rule in sorted(rule_of.items()):
        if name and not extra:
            rule_by_name.setdefault(name, rule)
    entities: list[Entity] = []
    by_span: dict[tuple[str, str, int, int], str] = {}
    by_name: dict[tuple[str, str], str] = {}
    name_ids: dict[str, set[str]] = defaultdict(set)
    used_ids: set[str] = set()
    for root in roots:
        idxs = clusters.get(root, [])
        auth = author_clusters.get(root, [])
        members = [mentions[i] for i in idxs]
        surfaces = Counter(m.name for m in members)
        for _doc, a in auth:
            surfaces[a] += 0
        outs = outlet_clusters.get(root, []) if members else []
        for _doc, o in outs:
            surfaces[o] += 0
        is_person = root[0] in ("p", "p1")
        etype = _type(members) if members else "person"
        if is_person:
            etype = "person"
        cands = [s for s in surfaces if not is_acronym(s)] or list(surfaces) or [a for _d, a in auth]
        defining = Counter(m.name for m in members if m.defined)
        if is_person:
            canonical = max(cands, key=lambda s: (len(s.split()), surfaces[s], s))
        else:
            canonical = max(cands, key=lambda s: (defining[s], len(normalize(s).split()), surfaces[s], s))
        canonical = plain_form(canonical, cands)
        eid = stable_id("ent", canonical, etype)
        if eid in used_ids:
            first_doc = min([m.doc_id for m in members] + [d for d, _a in auth])
            eid = stable_id("ent", canonical, etype, first_doc)
        used_ids.add(eid)
        aliases: dict[tuple[str, str | None], str] = {}
        for m in members:
            for titled in _titled_forms(m.titled):
                if titled != canonical:
                    aliases.setdefault((titled, m.doc_id), "title")
            if m.name == canonical and m.text == canonical:
                continue
            rule = _alias_rule(m, canonical, rule_of, rule_by_name)
            for surface in {m.name, m.text} - {canonical}:
                if surface == m.name:
                    aliases.setdefault((surface, m.doc_id), rule)
                else:
                    same = normalize(surface) == normalize(m.name)
                    aliases.setdefault((surface, m.doc_id), "variant" if same else "title")
        for d, a in auth:
            if a != canonical:
                aliases.setdefault((a, d), "author")
        for d, o in outs:
            if o != canonical:
                aliases.setdefault((o, d), "outlet")
        spans = [
            Mention(document_id=m.doc_id, start=m.start, end=m.end, text=m.text, part=m.part)  # type: ignore[arg-type]
            for m in members
        ]
        spans.sort(key=lambda x: (x.document_id, x.part, x.start))
        ent = Entity(
            id=eid,
            name=canonical,
            type=etype,  # type: ignore[arg-type]
            aliases=sorted(
                (Alias(name=n, document_id=d, rule=r) for (n, d), r in aliases.items()),
                key=lambda a: (a.name, a.document_id or ""),
            ),
            mentions=len(spans),
            mention_spans=spans,
            document_ids=sorted({m.doc_id for m in members} | {d for d, _a in auth} | {d for d, _o in outs}),
        )
        entities.append(ent)
        for m in members:
            by_span[(m.doc_id, m.part, m.start, m.end)] = eid
            by_name[(m.doc_id, normalize(m.name))] = eid
            by_name.setdefault((m.doc_id, normalize(m.text)), eid)
            name_ids[normalize(m.name)].add(eid)
        for d, a in auth:
            by_name[(d, normalize(a))] = eid
            name_ids[normalize(a)].add(eid)
        for d, o in outs:
            by_name.setdefault((d, normalize(o)), eid)
        for alt_surface in surfaces:
            name_ids[normalize(alt_surface)].add(eid)
    global_by_name = {k: next(iter(v)) for k, v in name_ids.items() if len(v) == 1}
    entities.sort(key=lambda e: e.id)
    return EntityIndex(entities=entities, by_span=by_span, by_name=by_name, global_by_name=global_by_name)


def _fix_types(mentions: list[MentionRecord], authors: dict[str, list[str]]) -> None:
    """Correct NER's person/non-person confusions by corpus-wide votes; bylines count as people."""
    from .lexicon import INSTITUTION_HEADS

    author_keys = {normalize(a) for names in authors.values() for a in names}
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for m in mentions:
        votes[normalize(m.name)][m.type] += 1
    group_keys = {normalize(m.name) for m in mentions if set(normalize(m.name).split()) & GROUP_WORDS}
    for m in mentions:
        key = normalize(m.name)
        words = set(key.split())
        v = votes[key]
        nonperson = v["location"] + v["organization"] + v["group"]
        if key in author_keys:
            if m.type != "person":
                m.type, m.label = "person", "PERSON"
            continue
        if m.type == "person":
            longer = [
                k
                for k in group_keys
                if k.startswith(key + " ") and set(k[len(key) + 1 :].split()) <= GROUP_WORDS
            ]
            if longer:
                m.type, m.label = "group", "ORG"
                continue
            if words & (GROUP_WORDS | INSTITUTION_HEADS | MEDIA_WORDS) or nonperson >= v["person"]:
                best = max(("location", "organization", "group"), key=lambda t: (v[t], t == "organization"))
                if v[best] == 0:
                    best = "group" if words & GROUP_WORDS else "organization"
                m.type, m.label = best, {"location": "GPE", "organization": "ORG", "group": "ORG"}[best]
        elif v["person"] > nonperson and len(key.split()) >= 2:
            m.type, m.label = "person", "PERSON"


def _unify_one_word_types(
    mentions: list[MentionRecord], pinned: set[int], surnames: set[str], demonyms: Iterable[str]
) -> None:
    """One normalised one-word name, one type across NER labels (NER calls a country PERSON in some
    sentences). Mentions pinned as the surname of a person named in their own document keep ``person``.

    - the last word of a full person name somewhere in the corpus: the majority label wins (ties: person);
    - otherwise any place/organisation label beats PERSON (a one-word PERSON that is nobody's surname
      is weak evidence), the best of location/organisation/group by votes (ties: location);
    - a one-word PERSON-only name whose demonym occurs in the corpus (``Kenyan``) is a location.
    """
    from .demonyms import demonym_candidates

    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for i, m in enumerate(mentions):
        key = normalize(m.name)
        if i not in pinned and len(key.split()) == 1 and not is_acronym(m.name):
            votes[key][m.type] += 1
    demonym_places: set[str] = set()
    for d in demonyms:
        demonym_places |= demonym_candidates(d)
    decided: dict[str, str] = {}
    for key, v in votes.items():
        person = v["person"]
        non = {t: v[t] for t in ("location", "organization", "group") if v[t]}
        if key in surnames:
            if non and sum(non.values()) > person:
                decided[key] = max(non, key=lambda t: (non[t], t == "location"))
            elif person and non:
                decided[key] = "person"
        elif non and (person or len(non) > 1):
            decided[key] = max(non, key=lambda t: (non[t], t == "location"))
        elif person and not non and key in demonym_places and key not in _FIRST_NAMES:
            decided[key] = "location"
    labels = {"person": "PERSON", "location": "GPE", "organization": "ORG", "group": "ORG"}
    for i, m in enumerate(mentions):
        if i in pinned:
            continue
        t = decided.get(normalize(m.name))
        if t is not None and m.type != t:
            m.type, m.label = t, labels[t]


def _short_forms(
    mentions: list[MentionRecord],
    node_of: list[tuple[str, ...]],
    by_doc: dict[str, list[int]],
    uf: _UF,
    rule_of: dict[Any, str],
) -> None:
    """``Interior Ministry`` -> ``French Interior Ministry``, ``al-Nusra`` -> ``al-Nusra Front``: a
    non-person name equal to the end of exactly one longer name (same document first, then corpus), or
    to its start when the rest are group/institution words."""
    from .lexicon import INSTITUTION_HEADS

    generic = GROUP_WORDS | INSTITUTION_HEADS
    longs: dict[str, set[tuple[str, ...]]] = defaultdict(set)  # doc -> long nodes
    for i, m in enumerate(mentions):
        if node_of[i][0] == "o" and len(node_of[i][1].split()) >= 2:
            longs[m.doc_id].add(node_of[i])
    all_longs = set().union(*longs.values()) if longs else set()

    def fits(short: str, long: str, place: bool) -> bool:
        s, lw = short.split(), long.split()
        if len(s) >= len(lw):
            return False
        if lw[-len(s) :] == s and (len(s) >= 2 or s[0] in generic or s[0] in MEDIA_WORDS):
            return True
        # a place never opens an institution's name as its short form ("Ottawa" is not "Ottawa Police")
        return not place and lw[: len(s)] == s and all(w in generic for w in lw[len(s) :])

    by_edge: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for n in all_longs:
        words = n[1].split()
        by_edge["<" + words[0]].add(n)
        by_edge[">" + words[-1]].add(n)
    done: set[tuple[str, ...]] = set()
    for i, m in enumerate(mentions):
        node = node_of[i]
        if node[0] != "o" or node in done or is_acronym(m.name) or not node[1]:
            continue
        words = node[1].split()
        near = by_edge.get("<" + words[0], set()) | by_edge.get(">" + words[-1], set())
        for pool in (longs.get(m.doc_id, set()) & near, near):
            hits = {uf.find(n) for n in pool if n != node and fits(node[1], n[1], m.type == "location")}
            if len(hits) == 1:
                uf.union(node, next(iter(hits)))
                rule_of[(m.name, m.doc_id, "")] = "short-form"
                done.add(node)
                break
            if len(hits) > 1:
                break


def _outlet_short_forms(
    mentions: list[MentionRecord],
    node_of: list[tuple[str, ...]],
    uf: _UF,
    rule_of: dict[Any, str],
    outlet_nodes: list[tuple[str, str, tuple[str, ...]]],
) -> None:
    """``the Gazette`` -> ``The Montreal Gazette``: an organisation name not joined to anything longer that
    is the end of exactly one outlet's name (two words or more, or a one-word media noun)."""
    keys = sorted({n[1] for _d, _o, n in outlet_nodes})
    if not keys:
        return
    size = Counter(uf.find(n) for n in set(node_of))
    for i, m in enumerate(mentions):
        node = node_of[i]
        if node[0] != "o" or m.type != "organization" or is_acronym(m.name) or node[1] in keys:
            continue
        if size[uf.find(node)] > 1:
            continue  # already the short form of a longer name in the text
        s = node[1].split()
        hits = set()
        for k in keys:
            lw = k.split()
            if len(s) < len(lw) and lw[-len(s) :] == s and (len(s) >= 2 or s[0] in MEDIA_WORDS):
                hits.add(uf.find(("o", k)))
        if len(hits) == 1:
            uf.union(node, next(iter(hits)))
            rule_of[(m.name, m.doc_id, "")] = "short-form"


def _type(members: list[MentionRecord]) -> str:
    votes = Counter(m.type for m in members if not is_acronym(m.name)) or Counter(m.type for m in members)
    if votes.get("other", 0) and votes["other"] >= sum(v for t, v in votes.items() if t != "other"):
        return "other"  # a named document or agreement
    names = {w.lower() for m in members for w in re.findall(r"[\w’'\-]+", m.name)}
    if votes.get("location", 0) > votes.get("organization", 0) + votes.get("group", 0):
        return "location"
    if "group" in votes or (names & GROUP_WORDS and votes.get("organization")):
        return "group"
    if votes.get("organization"):
        return "organization"
    if votes.get("location"):
        return "location"
    return "other"


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
    if ("", "", normalize(m.name)) in rule_of:
        return "fuzzy"
    if m.rule != "mention":
        return m.rule
    return "mention"
