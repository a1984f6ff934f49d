"""CSV tables: ``entities.csv``, ``statements.csv``, ``claims.csv``, ``relations.csv``, ``sourcing.csv``.

UTF-8 (no BOM), ``\\r\\n`` line ends and minimal quoting as the ``csv`` module writes them, a fixed column
order (:data:`COLUMNS`), rows sorted by id, lists joined with ``|``, empty cells for missing values.

Spreadsheet safety: article text is untrusted, and a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return can run as a formula in Excel or LibreOffice. Free-text cells starting so get a
leading apostrophe (OWASP's advice); :func:`read_table` strips it again.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..model import Corpus
from ..options import Options
from ..registry import registry
from ._csv import FORMULA_PREFIXES, unguard, write_rows
from .report import Index, estimative

__all__ = ["COLUMNS", "FORMULA_PREFIXES", "read_table", "rows", "write_csv"]

#: file name -> column order (a contract: add columns at the end only)
COLUMNS: dict[str, tuple[str, ...]] = {
    "entities.csv": (
        "id",
        "name",
        "type",
        "mentions",
        "aliases",
        "document_ids",
        "degree",
        "betweenness",
        "community",
    ),
    "statements.csv": (
        "id",
        "document_id",
        "source_id",
        "source_label",
        "source_kind",
        "speaker_text",
        "cue",
        "mode",
        "certainty",
        "certainty_cues",
        "stance",
        "stance_confidence",
        "claim_id",
        "part",
        "start",
        "end",
        "entity_ids",
        "cited_source_ids",
        "text",
    ),
    "claims.csv": (
        "id",
        "text",
        "attributed_to",
        "first_seen",
        "admiralty",
        "reliability",
        "credibility",
        "confidence",
        "likelihood",
        "independent_sources",
        "circular",
        "supporting",
        "reporting",
        "disputing",
        "denying",
        "declining",
        "attention",
        "origin_source_ids",
        "outlets",
        "document_ids",
        "entity_ids",
        "statement_ids",
        "explanation",
    ),
    "relations.csv": (
        "id",
        "subject",
        "subject_name",
        "predicate",
        "object",
        "object_name",
        "admiralty",
        "reliability",
        "credibility",
        "confidence",
        "source_ids",
        "source_labels",
        "statement_ids",
        "claim_ids",
        "explanation",
    ),
    "sourcing.csv": (
        "document_id",
        "title",
        "outlet",
        "statements",
        "on_record",
        "anonymous",
        "author_assertions",
        "unresolved",
        "on_record_share",
        "anonymous_share",
        "author_share",
        "sources",
        "named_sources",
        "anonymous_sources",
        "anonymous_descriptions",
        "counter_voice",
        "disputes",
        "denials",
        "refusals",
        "claims",
        "single_origin_claims",
        "every_claim_single_origin",
        "corpus_median_on_record_share",
        "on_record_vs_median",
        "summary",
    ),
}

#: Free-text columns that get the formula guard.
TEXT_COLUMNS = frozenset(
    {
        "name",
        "aliases",
        "source_label",
        "speaker_text",
        "cue",
        "text",
        "attributed_to",
        "outlets",
        "subject_name",
        "object_name",
        "source_labels",
        "explanation",
        "certainty_cues",
        "title",
        "outlet",
        "anonymous_descriptions",
        "summary",
    }
)


def _cell(value: Any) -> str:
    if type(value) is str:  # most cells: the checks below would give it back unchanged
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return "|".join(_cell(v) for v in value)
    if isinstance(value, float):
        return repr(round(value, 6))
    return str(value)


def rows(corpus: Corpus) -> dict[str, list[dict[str, Any]]]:
    """Each table as a list of dicts (column -> value, before string conversion)."""
    index = Index(corpus)
    tables: dict[str, list[dict[str, Any]]] = {}
    tables["entities.csv"] = [
        {
            "id": e.id,
            "name": e.name,
            "type": e.type,
            "mentions": e.mentions,
            "aliases": sorted({a.name for a in e.aliases}),
            "document_ids": sorted(e.document_ids),
            "degree": e.degree,
            "betweenness": e.betweenness,
            "community": e.community,
        }
        for e in sorted(corpus.entities, key=lambda e: e.id)
    ]
    statements = []
    for s in sorted(corpus.statements, key=lambda s: s.id):
        src = index.sources.get(s.source_id)
        statements.append(
            {
                "id": s.id,
                "document_id": s.document_id,
                "source_id": s.source_id,
                "source_label": src.label if src else "",
                "source_kind": src.kind if src else "",
                "speaker_text": s.speaker_text,
                "cue": s.cue,
                "mode": s.mode,
                "certainty": s.certainty,
                "certainty_cues": list(s.certainty_cues),
                "stance": s.stance,
                "stance_confidence": s.stance_confidence,
                "claim_id": s.claim_id,
                "part": s.part,
                "start": s.start,
                "end": s.end,
                "entity_ids": sorted(s.entity_ids),
                "cited_source_ids": list(s.cited_source_ids),
                "text": s.text,
            }
        )
    tables["statements.csv"] = statements
    tables["claims.csv"] = [
        {
            "id": c.id,
            "text": c.text,
            "attributed_to": [index.phrase(s) for s in c.origin_source_ids],
            "first_seen": c.first_seen,
            "admiralty": c.grade.admiralty,
            "reliability": c.grade.reliability,
            "credibility": c.grade.credibility,
            "confidence": c.grade.confidence,
            "likelihood": estimative(c.grade),
            "independent_sources": c.independent_sources,
            "circular": c.circular,
            "supporting": c.supporting,
            "reporting": c.reporting,
            "disputing": c.disputing,
            "denying": c.denying,
            "declining": c.declining,
            "attention": c.attention,
            "origin_source_ids": list(c.origin_source_ids),
            "outlets": list(c.outlets),
            "document_ids": sorted(c.document_ids),
            "entity_ids": sorted(c.entity_ids),
            "statement_ids": sorted(c.statement_ids),
            "explanation": c.grade.explanation,
        }
        for c in sorted(corpus.claims, key=lambda c: c.id)
    ]
    tables["relations.csv"] = [
        {
            "id": r.id,
            "subject": r.subject,
            "subject_name": index.entities[r.subject].name if r.subject in index.entities else "",
            "predicate": r.predicate,
            "object": r.object,
            "object_name": index.entities[r.object].name if r.object in index.entities else "",
            "admiralty": r.grade.admiralty,
            "reliability": r.grade.reliability,
            "credibility": r.grade.credibility,
            "confidence": r.grade.confidence,
            "source_ids": sorted(r.source_ids),
            "source_labels": [index.source_label(s) for s in sorted(r.source_ids)],
            "statement_ids": sorted(r.statement_ids),
            "claim_ids": sorted(r.claim_ids),
            "explanation": r.grade.explanation,
        }
        for r in sorted(corpus.relations, key=lambda r: r.id)
    ]
    tables["sourcing.csv"] = _sourcing_rows(corpus, index)
    return tables


def _sourcing_rows(corpus: Corpus, index: Index) -> list[dict[str, Any]]:
    """One row per document: its sourcing profile (``claimgraph.provenance.profile``)."""
    out = []
    for p in sorted(corpus.sourcing_profiles(), key=lambda p: p.document_id):
        doc = index.documents.get(p.document_id)
        row: dict[str, Any] = {k: v for k, v in p.to_dict().items() if k in COLUMNS["sourcing.csv"]}
        row["title"] = doc.title if doc is not None else None
        row["outlet"] = doc.outlet if doc is not None else None
        out.append(row)
    return out


def _write(path: Path, columns: tuple[str, ...], data: Iterable[dict[str, Any]]) -> Path:
    cells = ([_cell(row.get(col)) for col in columns] for row in data)
    return write_rows(path, columns, cells, guarded=TEXT_COLUMNS.__contains__)


@registry.exporters("csv")
def write_csv(corpus: Corpus, out_dir: Path, options: Options) -> list[Path]:
    return [_write(out_dir / name, COLUMNS[name], data) for name, data in rows(corpus).items()]


def read_table(path: Path) -> list[dict[str, str]]:
    """Read one of the tables back (strings; the formula guard removed)."""
    with path.open(encoding="utf-8", newline="") as fh:
        out = []
        for row in csv.DictReader(fh):
            for col, value in row.items():
                if col in TEXT_COLUMNS:
                    row[col] = unguard(value)
            out.append(row)
        return out
