"""Benchmark: the whole per-document attribution stage vs a bare ``nlp.pipe`` of the same model.

Reads the 1,683 article bodies of FNC-1 (``train_bodies.csv``) from ``$CLAIMGRAPH_FNC1_DIR``
(default ``<repo>/../shared/data/fnc1``). Reports words/s of ``claimgraph.attribution.attribute``
(spaCy components + entity resolution + sources + statements) and of ``nlp.pipe`` with the model's
full pipeline on the same texts, and their time ratio (goal: <= 1.0). Times are CPU seconds of this process
(``time.process_time``), so other jobs on a shared machine disturb the ratio less than wall-clock time.
``--repeat N`` runs the two side by side N times (bare, stage, bare, stage, ...) and prints every ratio,
their median and spread.

    python benchmarks/nlp.py [--limit N] [--batch-size 32] [--repeat N]
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import sys
import time
from pathlib import Path


def load_bodies(limit: int | None) -> list[str]:
    root = Path(__file__).resolve().parents[1]
    folder = Path(os.environ.get("CLAIMGRAPH_FNC1_DIR", root.parent / "shared" / "data" / "fnc1"))
    path = folder / "train_bodies.csv"
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", newline="") as fh:
        bodies = [row["articleBody"] for row in csv.DictReader(fh)]
    return bodies[:limit] if limit else bodies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--model", default=None)
    parser.add_argument("--repeat", type=int, default=1, help="interleaved runs of bare and stage")
    args = parser.parse_args()

    import spacy

    from claimgraph.attribution import attribute
    from claimgraph.attribution.nlp import default_model_name, load_pipeline
    from claimgraph.model import Corpus, Document, stable_id
    from claimgraph.options import Options

    bodies = load_bodies(args.limit)
    words = sum(len(b.split()) for b in bodies)
    model = args.model or default_model_name()
    print(f"{len(bodies)} bodies, {words:,} words, model {model}")
    print("load average at start: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))

    bare = spacy.load(model)
    list(bare.pipe(bodies[:20], batch_size=args.batch_size))  # warm-up
    options = Options(spacy_model=model, batch_size=args.batch_size)
    nlp = load_pipeline(model)
    list(nlp.pipe(bodies[:20]))  # warm-up

    def run_bare() -> float:
        t0 = time.process_time()
        for _ in bare.pipe(bodies, batch_size=args.batch_size):
            pass
        return time.process_time() - t0

    def run_stage() -> tuple[float, Corpus]:
        docs = [
            Document(
                id=stable_id("doc", i),
                path=f"fnc1#{i}",
                url=None,
                title=None,
                authors=[],
                published=None,
                outlet="FNC-1",
                text=b,
                content_hash=str(i),
            )
            for i, b in enumerate(bodies)
        ]
        corpus = Corpus(documents=docs)
        t0 = time.process_time()
        attribute(corpus, options)
        return time.process_time() - t0, corpus

    ratios = []
    for round_ in range(args.repeat):
        t_bare = run_bare()
        t_stage, corpus = run_stage()
        ratios.append(t_stage / t_bare)
        print(
            f"[{round_ + 1}/{args.repeat}] bare nlp.pipe ({', '.join(bare.pipe_names)}): {t_bare:.1f} s CPU, "
            f"{words / t_bare:,.0f} words/s"
        )
        print(
            f"[{round_ + 1}/{args.repeat}] claimgraph attribution stage ({', '.join(nlp.pipe_names)}): "
            f"{t_stage:.1f} s CPU, {words / t_stage:,.0f} words/s"
        )
        print(
            f"ratio stage/bare: {t_stage / t_bare:.2f}x  ({len(corpus.statements):,} statements, "
            f"{len(corpus.entities):,} entities, {len(corpus.sources):,} sources)"
        )
    if len(ratios) > 1:
        ordered = sorted(ratios)
        print(
            f"ratios over {len(ratios)} interleaved runs: median {statistics.median(ratios):.2f}x, "
            f"min {ordered[0]:.2f}x, max {ordered[-1]:.2f}x ({', '.join(f'{r:.2f}' for r in ratios)})"
        )
    print("load average at end: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
