"""Score attribution output against the sample corpus gold (``sample_gold.json``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from claimgraph.attribution.resolution import normalize
from claimgraph.model import Corpus, Document


@dataclass
class PR:
    tp_p: int
    n_pred: int
    tp_r: int
    n_gold: int

    @property
    def precision(self) -> float:
        return self.tp_p / self.n_pred if self.n_pred else 1.0

    @property
    def recall(self) -> float:
        return self.tp_r / self.n_gold if self.n_gold else 1.0

    def __str__(self) -> str:
        return f"P={self.precision:.3f} ({self.tp_p}/{self.n_pred})  R={self.recall:.3f} ({self.tp_r}/{self.n_gold})"


def doc_by_path(corpus: Corpus, path: str) -> Document | None:
    for d in corpus.documents:
        if d.path == path or d.path.endswith("/" + path):
            return d
    return None


def score_entities(corpus: Corpus, gold: dict[str, Any]) -> PR:
    gold_forms = [{normalize(e["name"])} | {normalize(a) for a in e["aliases"]} for e in gold["entities"]]
    all_forms = set().union(*gold_forms)
    pred = [e for e in corpus.entities if e.mentions > 0]
    tp_p = sum(1 for e in pred if normalize(e.name) in all_forms)
    tp_r = 0
    for forms in gold_forms:
        if any(normalize(e.name) in forms for e in pred):
            tp_r += 1
    return PR(tp_p, len(pred), tp_r, len(gold_forms))


def score_alias_clusters(corpus: Corpus, gold: dict[str, Any]) -> PR:
    """Pairwise: pairs of gold surface forms (same entity, or a never-merge pair) put in one entity."""
    where: dict[str, set[str]] = {}
    for e in corpus.entities:
        for form in {e.name} | {a.name for a in e.aliases}:
            where.setdefault(normalize(form), set()).add(e.id)
    gold_of: dict[str, int] = {}
    for i, e in enumerate(gold["entities"]):
        for form in [e["name"], *e["aliases"]]:
            gold_of[normalize(form)] = i
    forms = sorted(gold_of)
    gold_pairs = {frozenset(p) for p in combinations(forms, 2) if gold_of[p[0]] == gold_of[p[1]]}
    pred_pairs = {
        frozenset(p) for p in combinations(forms, 2) if where.get(p[0], set()) & where.get(p[1], set())
    }
    for a, b in gold.get("never_merge", []):
        pair = frozenset((normalize(a), normalize(b)))
        if where.get(normalize(a), set()) & where.get(normalize(b), set()):
            pred_pairs.add(pair)
    tp = len(gold_pairs & pred_pairs)
    return PR(tp, len(pred_pairs), tp, len(gold_pairs))


def _same_speaker(corpus: Corpus, source_id: str, label: str) -> bool:
    src = corpus.source(source_id)
    names = {normalize(src.label)}
    if src.entity_id:
        ent = corpus.entity(src.entity_id)
        names |= {normalize(ent.name)} | {normalize(a.name) for a in ent.aliases}
    if normalize(label) in names:
        return True
    # anonymous descriptions are kept as written: the gold may hold a shorter form of the same phrase
    return src.kind == "anonymous" and normalize(src.label).startswith(normalize(label))


def _match(corpus: Corpus, gold_st: dict[str, Any], by_doc: dict[str, list[Any]]) -> Any:
    doc = doc_by_path(corpus, gold_st["path"])
    if doc is None:
        return None
    needle = " ".join(gold_st["contains"].split())
    cands = [s for s in by_doc.get(doc.id, []) if needle in " ".join(s.text.split())]
    if not cands:
        return None
    same_mode = [s for s in cands if s.mode == gold_st["mode"]]
    return (same_mode or cands)[0]


def score_statements(corpus: Corpus, gold: dict[str, Any]) -> tuple[PR, PR]:
    """(speakers, modes). Gold lists every attributed statement of the non-duplicate documents."""
    by_doc: dict[str, list[Any]] = {}
    for s in corpus.statements:
        by_doc.setdefault(s.document_id, []).append(s)
    originals = {d.id for d in corpus.documents if d.duplicate_of is None}
    attributed_gold = [g for g in gold["statements"] if g["mode"] != "assertion"]
    matched_ids: dict[str, dict[str, Any]] = {}
    spk_r = mode_r = 0
    for g in gold["statements"]:
        st = _match(corpus, g, by_doc)
        if st is None:
            continue
        matched_ids.setdefault(st.id, g)
        if st.mode == g["mode"]:
            mode_r += 1
        if (
            g["mode"] != "assertion"
            and st.mode != "assertion"
            and _same_speaker(corpus, st.source_id, g["speaker"])
        ):
            spk_r += 1
    pred_attr = [s for s in corpus.statements if s.mode != "assertion" and s.document_id in originals]
    spk_p = sum(
        1
        for s in pred_attr
        if s.id in matched_ids and _same_speaker(corpus, s.source_id, matched_ids[s.id]["speaker"])
    )
    mode_p = sum(1 for s in pred_attr if s.id in matched_ids and matched_ids[s.id]["mode"] == s.mode)
    return (
        PR(spk_p, len(pred_attr), spk_r, len(attributed_gold)),
        PR(mode_p, len(pred_attr), mode_r, len(gold["statements"])),
    )


def statement_entity_coverage(corpus: Corpus, gold: dict[str, Any]) -> tuple[PR, list[str]]:
    """Recall of (gold statement, gold entity written in it) pairs among the matched statement's
    ``entity_ids``: the entity's name or an alias occurs in the statement's text on word boundaries."""
    by_doc: dict[str, list[Any]] = {}
    for s in corpus.statements:
        by_doc.setdefault(s.document_id, []).append(s)
    forms = [(e["name"], [e["name"], *e["aliases"]]) for e in gold["entities"]]
    want = hit = 0
    missing: list[str] = []
    for g in gold["statements"]:
        st = _match(corpus, g, by_doc)
        if st is None:
            continue
        spans: list[tuple[int, int, int]] = []
        for k, (_name, surfaces) in enumerate(forms):
            for f in surfaces:
                pattern = r"(?<![\w\-])" + re.escape(f) + r"(?![\w\-])"
                spans += [(m.start(), m.end(), k) for m in re.finditer(pattern, st.text)]
        # a form inside a longer gold name ("Holt" in "Holt Risk Advisory") is that longer name
        named = {
            k for a, b, k in spans if not any(c <= a and b <= d and (d - c) > (b - a) for c, d, _k in spans)
        }
        ids = set(st.entity_ids)
        for k in sorted(named):
            name, surfaces = forms[k]
            want += 1
            keys = {normalize(f) for f in surfaces}
            if any(e.id in ids for e in corpus.entities if normalize(e.name) in keys):
                hit += 1
            else:
                missing.append(f"{name!r} in {st.text[:60]!r}")
    return PR(hit, want, hit, want), missing
