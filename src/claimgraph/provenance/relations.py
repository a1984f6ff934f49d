"""Actor relations: subject-predicate-object between entities, drawn from statements.

For each statement that asserts or relays its claim (stance ``supports``/``reports``, or no claim),
the entity mentions inside the statement's span are located through ``Entity.mention_spans``; for each
ordered pair of mentions of different entities at most :data:`MAX_GAP` characters apart, the words in
between are matched against a small lexicon of verb forms. The predicate nearest the object wins
("X is paying local crews to attack Y" -> X attacks Y); a passive "... trained by" swaps subject
and object; a negation in between ("does not fund") drops the pair.

An edge is never stronger than its evidence: its grade takes the *weakest* reliability and the *worst*
credibility of the claims of its statements, and a relation drawn from a statement that belongs to no
claim is graded F6.
"""

from __future__ import annotations

import bisect
import hashlib
import marshal
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

import orjson

from ..claims.text import normalise
from ..model import Claim, Corpus, Document, Grade, Relation, Statement, stable_id
from .grading import CREDIBILITY_LABELS, make_grade, parse_grade

__all__ = ["PREDICATES", "extract_relations", "filter_by_grade", "grade_relation", "meets_grade"]

MAX_GAP = 120
#: Bumped when what :func:`_statement_hits` reads or its stored form changes.
RELATIONS_VERSION = 1

PREDICATES: dict[str, str] = {
    "funds": r"fund(?:s|ed|ing)?|financ(?:es|ed|ing|e)|bankroll\w*|pa(?:ys|id|ying)|sponsor(?:s|ed|ing)?",
    "trains": r"train(?:s|ed|ing)?|instruct(?:s|ed|ing)?|drill(?:s|ed|ing)?",
    "recruits": r"recruit(?:s|ed|ing)?|enlist(?:s|ed|ing)?|hir(?:es|ed|ing)|(?:is|are|was|were|been) using|uses|used",
    "supports": r"support(?:s|ed|ing)?|back(?:s|ed|ing)|arm(?:s|ed|ing)|aid(?:s|ed|ing)?|assist(?:s|ed|ing)?"
    r"|suppl(?:y|ies|ied|ying)",
    "coordinates with": r"coordinat(?:es|ed|ing|e) with|cooperat(?:es|ed|ing|e) with|collaborat(?:es|ed|ing|e) with"
    r"|work(?:s|ed|ing)? (?:closely )?with",
    "attacks": r"attack(?:s|ed|ing)?|strik(?:es|ing)|struck|target(?:s|ed|ing)?|bomb(?:s|ed|ing)?|raid(?:s|ed|ing)?"
    r"|shell(?:s|ed|ing)",
    "controls": r"control(?:s|led|ling)?|command(?:s|ed|ing)?|direct(?:s|ed|ing)",
    "member of": r"(?:is|are|was|were) (?:a |an )?members? of|belong(?:s|ed|ing)? to|join(?:s|ed|ing)?",
    "leads": r"lead(?:s|ing)?|led|head(?:s|ed|ing)?|chair(?:s|ed|ing)?",
    "allied with": r"allied (?:with|to)|(?:an )?all(?:y|ies) of|in alliance with|aligned with",
}
_PATTERNS = [(name, re.compile(rf"\b(?:{pattern})\b")) for name, pattern in PREDICATES.items()]
#: Any predicate at all: one search instead of ten for the many gaps that hold none (it matches at a
#: position exactly when one of :data:`_PATTERNS` does: the alternation backtracks into every pattern).
_ANY_PATTERN = re.compile(r"\b(?:" + "|".join(f"(?:{pattern})" for pattern in PREDICATES.values()) + r")\b")
_PASSIVE_BY = re.compile(
    r"\b(?:is|are|was|were|been|being)\s+(?:\w+\s+)?\w+(?:ed|en|led|ht)\s+(?:and\s+\w+\s+)?by\s*$"
)
_NEGATION = re.compile(r"\b(?:not|never|no longer|n't|nor|denies|denied|deny)\b")
_CLAUSE_BREAK = re.compile(r"[;:]|\bbut\b|\bwhile\b|\bwhereas\b")
_SYMMETRIC = {"coordinates with", "allied with"}
_ASSERTING = (None, "supports", "reports")


def _predicate(between: str) -> tuple[str, bool] | None:
    """(predicate, passive) for the words between two mentions, or ``None``."""
    text = normalise(between).strip()
    if not text or len(text) > MAX_GAP or _NEGATION.search(text) or _CLAUSE_BREAK.search(text):
        return None
    if _ANY_PATTERN.search(text) is None:
        return None
    best: tuple[int, str] | None = None
    for name, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            if best is None or match.end() > best[0]:
                best = (match.end(), name)
    if best is None:
        return None
    passive = bool(_PASSIVE_BY.search(text)) or text.endswith(" by")
    return best[1], passive


def _mentions_by_document(corpus: Corpus) -> dict[tuple[str, str], list[tuple[int, int, str]]]:
    index: dict[tuple[str, str], list[tuple[int, int, str]]] = defaultdict(list)
    for entity in corpus.entities:
        for mention in entity.mention_spans:
            index[(mention.document_id, mention.part)].append((mention.start, mention.end, entity.id))
    for spans in index.values():
        spans.sort()
    return index


def _spans_within(spans: list[tuple[int, int, str]], statement: Statement) -> list[tuple[int, int, str]]:
    """The mentions (sorted by start) inside the statement's span, in order: a binary search for the first,
    not a scan of every mention of the document for every statement."""
    out = []
    for k in range(bisect.bisect_left(spans, (statement.start, -1, "")), len(spans)):
        start, end, _ = spans[k]
        if start > statement.end:  # (an empty mention at the very end still counts, as before)
            break
        if end <= statement.end:
            out.append(spans[k])
    return out


def _document_text(
    documents: dict[str, Document], statement: Statement, texts: dict[tuple[str, str], str]
) -> str:
    key = (statement.document_id, statement.part)
    if key not in texts:
        doc = documents[statement.document_id]
        texts[key] = (doc.title or "") if statement.part == "title" else doc.text
    return texts[key]


def _statement_hits(
    statement: Statement, spans: list[tuple[int, int, str]], text: str
) -> list[tuple[str, str, str]]:
    """The (subject, predicate, object) triples one statement asserts between the mentions inside it."""
    found: list[tuple[str, str, str]] = []
    for k, (_s_start, s_end, subject) in enumerate(spans):
        for o_start, _o_end, obj in spans[k + 1 :]:
            if o_start - s_end > MAX_GAP:
                break
            if obj == subject or o_start < s_end:
                continue
            predicate_found = _predicate(text[s_end:o_start])
            if predicate_found is None:
                continue
            predicate, passive = predicate_found
            subj, ob = (obj, subject) if passive else (subject, obj)
            if predicate in _SYMMETRIC and ob < subj:
                subj, ob = ob, subj
            found.append((subj, predicate, ob))
            break  # the nearest object with a predicate
    return found


def _document_key(
    doc: Document, statements: list[Statement], mentions: dict[tuple[str, str], list[tuple[int, int, str]]]
) -> str:
    """SHA-256 of everything :func:`_statement_hits` reads for ``statements`` (asserting statements of ``doc``):
    the document's title and text, each statement's id, part and span, and every mention of the parts they are
    in, written by orjson (JSON: equal values, equal bytes, and no two views of this fixed shape share a text;
    about half of ``marshal``'s CPU, which encodes every string again with ``surrogatepass``). A text orjson
    refuses (a lone surrogate) is written by ``marshal`` format 2 under another prefix."""
    parts = sorted({st.part for st in statements})
    view = (
        RELATIONS_VERSION,
        doc.id,
        doc.title,
        doc.text,
        [(st.id, st.part, st.start, st.end) for st in statements],
        [(part, mentions.get((doc.id, part), [])) for part in parts],
    )
    try:
        return hashlib.sha256(orjson.dumps(view)).hexdigest()
    except orjson.JSONEncodeError:
        return "m" + hashlib.sha256(marshal.dumps(view, 2)).hexdigest()


def extract_relations(
    corpus: Corpus, statements: Iterable[Statement] | None = None, *, memo: Any = None
) -> list[Relation]:
    """Relations from ``statements`` (default: all), merged by (subject, predicate, object); ungraded.

    ``memo``: a :class:`~.relmemo.RelationMemo` (``get(keys)``, ``keep(key, value)``, counts): each
    document's triples are read back under a key of everything they read (:func:`_document_key`) instead of
    being searched for again."""
    mentions = _mentions_by_document(corpus)
    documents: dict[str, Document] = corpus.index("documents")
    texts: dict[tuple[str, str], str] = {}
    by_document: dict[str, list[Statement]] = {}
    for statement in statements if statements is not None else corpus.statements:
        if statement.stance not in _ASSERTING or statement.document_id not in documents:
            continue
        by_document.setdefault(statement.document_id, []).append(statement)
    found: dict[str, Any] = {}
    keys: dict[str, str] = {}
    if memo is not None:
        keys = {
            doc_id: _document_key(documents[doc_id], sts, mentions) for doc_id, sts in by_document.items()
        }
        found = memo.get(list(keys.values()))
    merged: dict[tuple[str, str, str], Relation] = {}
    for doc_id, doc_statements in by_document.items():
        hits: list[tuple[Statement, tuple[str, str, str]]] | None = None
        if memo is not None:
            stored = found.get(keys[doc_id])
            if stored is not None:
                hits = _stored_hits(stored, doc_statements)
        if hits is None:
            hits = []
            for statement in doc_statements:
                spans = _spans_within(mentions.get((statement.document_id, statement.part), []), statement)
                if len(spans) < 2:
                    continue
                text = _document_text(documents, statement, texts)
                hits.extend((statement, triple) for triple in _statement_hits(statement, spans, text))
            if memo is not None:
                memo.computed += 1
        elif memo is not None:
            memo.reused += 1
        if memo is not None:
            memo.keep(keys[doc_id], [[st.id, *triple] for st, triple in hits])
        for statement, key in hits:
            relation = merged.get(key)
            if relation is None:
                subj, predicate, ob = key
                relation = merged[key] = Relation(
                    id=stable_id("rel", subj, predicate, ob), subject=subj, predicate=predicate, object=ob
                )
            if statement.id not in relation.statement_ids:
                relation.statement_ids.append(statement.id)
            if statement.source_id not in relation.source_ids:
                relation.source_ids.append(statement.source_id)
            if statement.claim_id and statement.claim_id not in relation.claim_ids:
                relation.claim_ids.append(statement.claim_id)
    relations = sorted(merged.values(), key=lambda r: r.id)
    for relation in relations:
        relation.statement_ids.sort()
        relation.source_ids.sort()
        relation.claim_ids.sort()
    return relations


def _stored_hits(
    stored: Any, statements: list[Statement]
) -> list[tuple[Statement, tuple[str, str, str]]] | None:
    """A document's stored triples with their statements; ``None`` for an entry of another shape. (Most
    documents have none: their statements are not indexed by id for nothing.)"""
    hits: list[tuple[Statement, tuple[str, str, str]]] = []
    if not isinstance(stored, list):
        return None
    if not stored:
        return hits
    by_id = {st.id: st for st in statements}
    for item in stored:
        if not (isinstance(item, list) and len(item) == 4 and all(isinstance(x, str) for x in item)):
            return None
        statement = by_id.get(item[0])
        if statement is None:
            return None
        hits.append((statement, (item[1], item[2], item[3])))
    return hits


def grade_relation(relation: Relation, claims: dict[str, Claim], statements: dict[str, Statement]) -> Grade:
    """Never stronger than its evidence: weakest reliability, worst credibility of its statements' claims."""
    grades: list[Grade] = []
    unclaimed = 0
    for sid in relation.statement_ids:
        st = statements.get(sid)
        claim = claims.get(st.claim_id) if st is not None and st.claim_id else None
        if claim is None:
            unclaimed += 1
        else:
            grades.append(claim.grade)
    if unclaimed or not grades:
        reliability, cred = "F", 6
    else:
        reliability = max(g.reliability for g in grades)
        cred = max(g.credibility for g in grades)
    n_st, n_src = len(relation.statement_ids), len(relation.source_ids)
    explanation = (
        f"Drawn from {n_st} {'statement' if n_st == 1 else 'statements'} by {n_src} "
        f"{'source' if n_src == 1 else 'sources'}; graded no higher than its weakest evidence "
        f"({reliability}{cred}, {CREDIBILITY_LABELS[cred].lower()})."
    )
    if unclaimed:
        explanation += f" {unclaimed} of its statements belong to no corroborated claim."
    return make_grade(reliability, cred, explanation)


def meets_grade(grade: Grade, min_grade: str) -> bool:
    """Reliability at least as good as the letter and credibility at least as good as the digit."""
    letter, digit = parse_grade(min_grade)
    return grade.reliability <= letter and grade.credibility <= digit


def filter_by_grade(relations: Sequence[Relation], min_grade: str | None) -> list[Relation]:
    """Relations whose grade is at least ``min_grade`` (e.g. ``"C3"``: reliability A-C and credibility 1-3)."""
    if not min_grade:
        return list(relations)
    parse_grade(min_grade)
    return [r for r in relations if meets_grade(r.grade, min_grade)]
