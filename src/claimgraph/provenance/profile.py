"""The sourcing profile of each document: on whose word it rests, in words, never a score.

For every document, :func:`sourcing_profiles` counts its statements by who they rest on:

* **on the record**: a named person or organisation, another outlet named as the source ("the Ledger
  reported"), or a cited document (a report);
* **anonymous**: an anonymous source ("officials said", "a source familiar with the talks");
* **the author's own**: unattributed assertions (``mode == "assertion"``) and statements in the voice of
  the article's author or its own outlet;
* **unresolved**: a statement whose source is not in the corpus (should not happen; counted, never guessed).

It also counts the distinct named and anonymous sources, the counter-voice it quotes (disputes, denials,
refusals to confirm), how many of the claims it carries rest on a single origin (``independent_sources``
at most 1, as provenance counted them), and compares its share on the record with the corpus median.

The median is taken over the documents that are not syndicated copies and hold at least one statement.
The profile describes sourcing only: it says nothing about whether what the document says is true.

A pure function of the corpus: the same corpus always gives the same profiles, in document-id order.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..model import Claim, Corpus, Document, Source, SourcingProfile, Statement

__all__ = ["describe", "profile_document", "sourcing_profiles"]

#: Source kinds whose statements are on the record (named); ``outlet`` only when it is not the document's own.
ON_RECORD_KINDS = frozenset({"person", "organization", "document", "outlet"})
#: Stances that make a counter-voice.
COUNTER_STANCES = {"disputes": "dispute", "denies": "denial", "declines": "refusal to confirm"}
#: Anonymous descriptions quoted in the summary sentence (the rest are in ``anonymous_descriptions``).
DESCRIPTIONS_SHOWN = 3

_NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


@dataclass
class _Tally:
    on_record: int = 0
    anonymous: int = 0
    author: int = 0
    unresolved: int = 0
    named: set[str] = field(default_factory=set)
    anonymous_ids: set[str] = field(default_factory=set)
    descriptions: dict[str, str] = field(default_factory=dict)
    counter: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTER_STANCES, 0))
    claim_ids: set[str] = field(default_factory=set)


def _own_voice(statement: Statement, source: Source, doc: Document | None) -> bool:
    """The document's own voice: an unattributed assertion, its author, or its own outlet."""
    if statement.mode == "assertion" or source.kind == "author":
        return True
    if source.kind == "outlet" and doc is not None:
        own = {doc.outlet.casefold()} if doc.outlet else set()
        own.update(a.casefold() for a in doc.authors)
        return not own or source.label.casefold() in own
    return False


def _tally(statements: Sequence[Statement], doc: Document | None, sources: dict[str, Source]) -> _Tally:
    tally = _Tally()
    for st in statements:
        source = sources.get(st.source_id)
        if source is None:
            tally.unresolved += 1
        elif _own_voice(st, source, doc):
            tally.author += 1
        elif source.kind == "anonymous":
            tally.anonymous += 1
            tally.anonymous_ids.add(source.id)
            tally.descriptions.setdefault(source.id, " ".join((source.description or source.label).split()))
        elif source.kind in ON_RECORD_KINDS:
            tally.on_record += 1
            tally.named.add(source.id)
        else:  # a kind added later: counted, never guessed as on the record
            tally.unresolved += 1
        if st.stance in tally.counter:
            tally.counter[st.stance] += 1
        if st.claim_id:
            tally.claim_ids.add(st.claim_id)
    return tally


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def profile_document(
    doc_id: str,
    statements: Sequence[Statement],
    *,
    document: Document | None,
    sources: dict[str, Source],
    claims: dict[str, Claim],
) -> SourcingProfile:
    """One document's profile, without the corpus comparison (see :func:`sourcing_profiles`)."""
    tally = _tally(statements, document, sources)
    carried = [claims[c] for c in sorted(tally.claim_ids) if c in claims]
    single = sum(1 for c in carried if c.independent_sources <= 1)
    n = len(statements)
    return SourcingProfile(
        document_id=doc_id,
        statements=n,
        on_record=tally.on_record,
        anonymous=tally.anonymous,
        author_assertions=tally.author,
        unresolved=tally.unresolved,
        on_record_share=_share(tally.on_record, n),
        anonymous_share=_share(tally.anonymous, n),
        author_share=_share(tally.author, n),
        sources=len(tally.named) + len(tally.anonymous_ids),
        named_sources=len(tally.named),
        anonymous_sources=len(tally.anonymous_ids),
        named_source_ids=sorted(tally.named),
        anonymous_source_ids=sorted(tally.anonymous_ids),
        anonymous_descriptions=[tally.descriptions[s] for s in sorted(tally.anonymous_ids)],
        counter_voice=any(tally.counter.values()),
        disputes=tally.counter["disputes"],
        denials=tally.counter["denies"],
        refusals=tally.counter["declines"],
        claims=len(carried),
        single_origin_claims=single,
        every_claim_single_origin=(single == len(carried)) if carried else None,
    )


def _compare(value: float | None, median: float | None) -> str | None:
    if value is None or median is None:
        return None
    if abs(value - median) < 0.005:
        return "at"
    return "above" if value > median else "below"


def sourcing_profiles(corpus: Corpus) -> list[SourcingProfile]:
    """Every document's sourcing profile, with the corpus medians and its summary sentence, by document id."""
    sources = {s.id: s for s in corpus.sources}
    claims = {c.id: c for c in corpus.claims}
    by_doc: dict[str, list[Statement]] = defaultdict(list)
    for st in corpus.statements:
        by_doc[st.document_id].append(st)
    documents = {d.id: d for d in corpus.documents}
    profiles = [
        profile_document(
            doc_id, by_doc.get(doc_id, []), document=documents[doc_id], sources=sources, claims=claims
        )
        for doc_id in sorted(documents)
    ]
    counted = [p for p in profiles if p.statements and not documents[p.document_id].duplicate_of]
    on_record_median = (
        round(statistics.median(p.on_record_share or 0.0 for p in counted), 4) if counted else None
    )
    anonymous_median = (
        round(statistics.median(p.anonymous_share or 0.0 for p in counted), 4) if counted else None
    )
    for p in profiles:
        p.corpus_median_on_record_share = on_record_median
        p.corpus_median_anonymous_share = anonymous_median
        p.on_record_vs_median = _compare(p.on_record_share, on_record_median)  # type: ignore[assignment]
        p.summary = describe(p)
    return profiles


# --------------------------------------------------------------------------- words


def _count(n: int, noun: str, plural: str | None = None) -> str:
    word = _NUMBER_WORDS[n] if n < len(_NUMBER_WORDS) else str(n)
    return f"{word} {noun if n <= 1 else (plural or noun + 's')}"


def _percent(share: float | None) -> str:
    return f"{round((share or 0.0) * 100)}%"


def _statement_counts(p: SourcingProfile) -> list[str]:
    n = p.statements
    verb = "is" if p.on_record == 1 else "are"
    parts = [f"{p.on_record} of {n} statement{'s' if n != 1 else ''} {verb} on the record"]
    if p.anonymous:
        on = "rests on an anonymous source" if p.anonymous == 1 else "rest on anonymous sources"
        parts.append(f"{p.anonymous} {on}")
    if p.author_assertions:
        own = (
            "is the author's own unattributed assertion"
            if p.author_assertions == 1
            else ("are the author's own unattributed assertions")
        )
        parts.append(f"{p.author_assertions} {own}")
    if p.unresolved:
        parts.append(f"{p.unresolved} rest{'s' if p.unresolved == 1 else ''} on a source not identified")
    return parts


def _sources(p: SourcingProfile) -> str:
    named = _count(p.named_sources, "named source")
    if not p.anonymous_sources:
        return f"{named}; no anonymous source"
    quoted = ", ".join(f"“{d}”" for d in p.anonymous_descriptions[:DESCRIPTIONS_SHOWN])
    more = len(p.anonymous_descriptions) - DESCRIPTIONS_SHOWN
    if more > 0:
        quoted += f" and {more} more"
    return f"{named}; {_count(p.anonymous_sources, 'anonymous source')} ({quoted})"


def _counter(p: SourcingProfile) -> str:
    if not p.counter_voice:
        return "no counter-voice (no dispute, denial or refusal to confirm is quoted)"
    kinds = [
        _count(n, noun, "refusals to confirm" if noun.startswith("refusal") else None)
        for n, noun in ((p.disputes, "dispute"), (p.denials, "denial"), (p.refusals, "refusal to confirm"))
        if n
    ]
    return "a counter-voice is quoted: " + ", ".join(kinds)


def _origins(p: SourcingProfile) -> str:
    if not p.claims:
        return "it carries no claim grouped across the corpus"
    if p.every_claim_single_origin:
        return (
            "the one claim it carries rests on one origin"
            if p.claims == 1
            else ("every claim it carries rests on one origin")
        )
    if p.single_origin_claims == 0:
        return "each claim it carries has more than one independent origin"
    verb = "rests" if p.single_origin_claims == 1 else "rest"
    return f"{p.single_origin_claims} of the {p.claims} claims it carries {verb} on one origin"


def _median(p: SourcingProfile) -> str | None:
    if p.on_record_vs_median is None:
        return None
    where = {"above": "above", "below": "below", "at": "at"}[p.on_record_vs_median]
    return (
        f"its share on the record ({_percent(p.on_record_share)}) is {where} the corpus median "
        f"({_percent(p.corpus_median_on_record_share)})"
    )


def describe(p: SourcingProfile) -> str:
    """The profile in words, e.g. ``3 of 11 statements are on the record; 2 rest on anonymous sources; …``.

    It describes how the document is sourced, never whether it is right.
    """
    if not p.statements:
        return "No statement or assertion was found in this document."
    parts = [*_statement_counts(p), _sources(p), _counter(p), _origins(p)]
    median = _median(p)
    if median:
        parts.append(median)
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + "."
