"""Export speed: every output format on a generated corpus of a chosen size (no spaCy involved).

    python benchmarks/exports.py                      # STIX bundle of ~100k objects, goal <= 30 s
    python benchmarks/exports.py --objects 20000 --formats stix json csv graphml html

The corpus is synthetic (generated names such as ``Person 17 Example``, ``Outlet 3``) but shaped like a
real run: per document about two entities, four attributed statements, and claims, opinions and
relations in the proportions of an FNC-1 run. ``synthetic_corpus`` is also used by the STIX size test.
CPU time is ``time.process_time``; the machine may be shared, so the figures are upper bounds.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

from claimgraph.model import Claim, Corpus, Document, Entity, Grade, Mention, Relation, Source, Statement
from claimgraph.options import Options

#: STIX objects per generated document (measured on this generator: reports, identities, notes, opinions,
#: relationships); used to size a corpus for a target object count.
OBJECTS_PER_DOCUMENT = 8.0
_STANCES = ("supports", "disputes", "denies", "reports", "declines")
_PREDICATES = ("accuses", "supports", "meets with", "funds", "criticises")
_ENTITY_TYPES = ("person", "organization", "group", "location")


def synthetic_corpus(n_documents: int, seed: int = 7) -> Corpus:
    """A deterministic corpus of ``n_documents`` with entities, sources, statements, claims and relations."""
    rng = random.Random(seed)
    n_entities = max(4, 2 * n_documents)
    n_claims = max(1, n_documents // 2)
    n_outlets = max(1, n_documents // 20)
    entities = [
        Entity(f"ent-{i}", f"Person {i} Example", _ENTITY_TYPES[i % len(_ENTITY_TYPES)])
        for i in range(n_entities)
    ]
    sources: list[Source] = [
        Source(f"src-outlet-{i}", f"Outlet {i}", "outlet", None, document_ids=[]) for i in range(n_outlets)
    ]
    person_sources = [
        Source(
            f"src-ent-{i}", entities[i].name, "person", entities[i].id, document_ids=[], role="spokesperson"
        )
        for i in range(0, n_entities, 2)
    ]
    sources += person_sources
    documents: list[Document] = []
    statements: list[Statement] = []
    for d in range(n_documents):
        doc_id = f"doc-{d:07d}"
        outlet = sources[d % n_outlets]
        named = rng.sample(range(n_entities), 2)
        sentences = []
        offset = 0
        spans = []
        for k in range(4):
            who = entities[named[k % 2]].name
            sentence = f'{who} said that "claim number {rng.randrange(n_claims)} holds" on day {k}. '
            spans.append((offset, offset + len(sentence) - 1))
            sentences.append(sentence)
            offset += len(sentence)
        text = "".join(sentences)
        documents.append(
            Document(
                id=doc_id,
                path=f"doc{d}.txt",
                url=f"https://outlet{d % n_outlets}.example/news/{d}?q=a b" if d % 3 else None,
                title=f"Report {d} on matter {d % 97}",
                authors=[f"Reporter {d % 40}"] if d % 2 else [],
                published=f"2024-{1 + d % 12:02d}-{1 + d % 28:02d}",
                outlet=outlet.label,
                text=text,
            )
        )
        outlet.document_ids.append(doc_id)
        for i in named:
            ent = entities[i]
            start = text.find(ent.name)
            ent.mention_spans.append(Mention(doc_id, start, start + len(ent.name), ent.name))
            ent.document_ids.append(doc_id)
            ent.mentions += 1
        for k, (start, end) in enumerate(spans):
            who = named[k % 2]
            source = person_sources[who // 2]
            if doc_id not in source.document_ids:
                source.document_ids.append(doc_id)
            statements.append(
                Statement(
                    id=f"st-{d:07d}-{k}",
                    document_id=doc_id,
                    source_id=source.id,
                    text=text[start:end],
                    cue="said",
                    mode="indirect",
                    certainty="asserted",
                    certainty_cues=[],
                    start=start,
                    end=end,
                    entity_ids=[entities[who].id],
                    stance=_STANCES[(d + k) % len(_STANCES)],  # type: ignore[arg-type]
                    claim_id=f"claim-{rng.randrange(n_claims)}",
                    sentence_start=start,
                    sentence_end=end,
                )
            )
    by_claim: dict[str, list[Statement]] = {}
    for st in statements:
        assert st.claim_id is not None
        by_claim.setdefault(st.claim_id, []).append(st)
    claims = []
    relations = []
    for c in range(n_claims):
        stmts = by_claim.get(f"claim-{c}", [])
        grade = Grade("C", 3, "C3", 50, "Rests on generated sources.")
        claims.append(
            Claim(
                id=f"claim-{c}",
                text=f"claim number {c} holds",
                statement_ids=sorted(s.id for s in stmts),
                first_seen="2024-01-01",
                origin_source_ids=sorted({s.source_id for s in stmts})[:1],
                independent_sources=len({s.source_id for s in stmts}),
                grade=grade,
                document_ids=sorted({s.document_id for s in stmts}),
                entity_ids=sorted({e for s in stmts for e in s.entity_ids}),
            )
        )
        if stmts:
            a, b = rng.sample(range(n_entities), 2)
            relations.append(
                Relation(
                    f"rel-{c}",
                    entities[a].id,
                    _PREDICATES[c % len(_PREDICATES)],
                    entities[b].id,
                    [stmts[0].id],
                    [stmts[0].source_id],
                    grade,
                    [f"claim-{c}"],
                )
            )
    corpus = Corpus(
        documents=documents,
        entities=entities,
        sources=sources,
        statements=statements,
        claims=claims,
        relations=relations,
    )
    corpus.sort()
    return corpus


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--objects", type=int, default=100_000, help="target STIX objects (default 100,000)")
    parser.add_argument("--formats", nargs="+", default=["stix"], help="formats to time (default: stix)")
    parser.add_argument("--goal", type=float, default=30.0, help="seconds allowed for the STIX bundle")
    args = parser.parse_args(argv)

    import json

    from claimgraph.outputs import write_outputs

    n_docs = max(1, round(args.objects / OBJECTS_PER_DOCUMENT))
    t0 = time.process_time()
    corpus = synthetic_corpus(n_docs)
    print(f"generated {n_docs:,} documents in {time.process_time() - t0:.1f} s CPU")
    options = Options(frozen_time="2024-06-01T00:00:00Z")
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in args.formats:
            c0, w0 = time.process_time(), time.perf_counter()
            written = write_outputs(corpus, Path(tmp), options, formats=[fmt])
            cpu, wall = time.process_time() - c0, time.perf_counter() - w0
            size = sum(p.stat().st_size for p in written) / 1e6
            line = f"{fmt:8s} {cpu:7.1f} s CPU {wall:7.1f} s wall {size:8.1f} MB"
            if fmt == "stix":
                with written[0].open(encoding="utf-8") as fh:
                    n_objects = len(json.load(fh)["objects"])
                line += f"  {n_objects:,} objects (goal <= {args.goal:.0f} s)"
                ok = ok and cpu <= args.goal
            print(line)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
