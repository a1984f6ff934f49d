"""Benchmark: the whole per-document attribution stage vs a bare ``nlp.pipe`` of the same model.

Reads the 1,683 article bodies of FNC-1 (``train_bodies.csv``) from ``$CLAIMGRAPH_FNC1_DIR``
(default ``<repo>/../shared/data/fnc1``). Reports words/s of ``claimgraph.attribution.attribute``
(spaCy components + entity resolution + sources + statements) and of ``nlp.pipe`` with the model's
full pipeline on the same texts, and their time ratio (goal: <= 1.0).

Fairness: both pipelines are warmed up untimed first (model weights, vocabulary patterns, string store
and caches of the first texts); times are CPU seconds (user + system, of this process *and* its child
processes: ``os.times``), so other jobs on a shared machine disturb the ratio less than wall-clock time
would; with ``--repeat N`` the two run side by side N times and the order alternates (bare first in odd
rounds, stage first in even rounds), so neither always profits from the other's warm caches. Every ratio,
the median ratio and the ratio of the medians are printed, with the load average.

``--dump FILE`` writes the statements, entities and sources of the last stage run as JSON (to compare
the output of two versions of the code: ``cmp`` or ``diff`` the files).

    python benchmarks/nlp.py [--limit N] [--batch-size 32] [--repeat N] [--dump FILE]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import sys
from pathlib import Path
from typing import Any


def load_bodies(limit: int | None) -> list[str]:
    root = Path(__file__).resolve().parents[1]
    folder = Path(os.environ.get("CLAIMGRAPH_FNC1_DIR", root.parent / "shared" / "data" / "fnc1"))
    path = folder / "train_bodies.csv"
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", newline="") as fh:
        bodies = [row["articleBody"] for row in csv.DictReader(fh)]
    return bodies[:limit] if limit else bodies


def cpu_seconds() -> float:
    """User + system CPU seconds of this process and of its (waited-for) child processes."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def load_line(when: str) -> str:
    return f"load average {when}: " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--model", default=None)
    parser.add_argument("--repeat", type=int, default=1, help="interleaved runs of bare and stage")
    parser.add_argument(
        "--warmup", type=int, default=20, help="bodies run untimed through each pipeline first"
    )
    parser.add_argument("--dump", type=Path, default=None, help="write the stage's output as JSON here")
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
    print(load_line("at start"))

    bare = spacy.load(model)
    options = Options(spacy_model=model, batch_size=args.batch_size)
    nlp = load_pipeline(model)

    def corpus_of(texts: list[str]) -> Corpus:
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
            for i, b in enumerate(texts)
        ]
        return Corpus(documents=docs)

    def run_bare(texts: list[str]) -> float:
        t0 = cpu_seconds()
        for _ in bare.pipe(texts, batch_size=args.batch_size):
            pass
        return cpu_seconds() - t0

    def run_stage(texts: list[str]) -> tuple[float, Corpus]:
        corpus = corpus_of(texts)  # building the input is not part of the stage
        t0 = cpu_seconds()
        attribute(corpus, options)
        return cpu_seconds() - t0, corpus

    # untimed warm-up of both, on texts from the end of the set (not the timed texts' first batch)
    warm = bodies[-args.warmup :] if args.warmup else []
    if warm:
        run_bare(warm)
        run_stage(warm)

    ratios: list[float] = []
    bare_times: list[float] = []
    stage_times: list[float] = []
    corpus = Corpus(documents=[])
    for round_ in range(args.repeat):
        bare_first = round_ % 2 == 0
        if bare_first:
            t_bare = run_bare(bodies)
            t_stage, corpus = run_stage(bodies)
        else:
            t_stage, corpus = run_stage(bodies)
            t_bare = run_bare(bodies)
        bare_times.append(t_bare)
        stage_times.append(t_stage)
        ratios.append(t_stage / t_bare)
        tag = f"[{round_ + 1}/{args.repeat}, {'bare' if bare_first else 'stage'} first]"
        print(
            f"{tag} bare nlp.pipe ({', '.join(bare.pipe_names)}): {t_bare:.1f} s CPU, "
            f"{words / t_bare:,.0f} words/s"
        )
        print(
            f"{tag} claimgraph attribution stage ({', '.join(nlp.pipe_names)}): "
            f"{t_stage:.1f} s CPU, {words / t_stage:,.0f} words/s"
        )
        print(
            f"{tag} ratio stage/bare: {t_stage / t_bare:.2f}x  ({len(corpus.statements):,} statements, "
            f"{len(corpus.entities):,} entities, {len(corpus.sources):,} sources)  {load_line('now')}"
        )
    if len(ratios) > 1:
        ordered = sorted(ratios)
        print(
            f"ratios over {len(ratios)} interleaved runs: median {statistics.median(ratios):.2f}x, "
            f"min {ordered[0]:.2f}x, max {ordered[-1]:.2f}x ({', '.join(f'{r:.2f}' for r in ratios)})"
        )
        print(
            f"median CPU: bare {statistics.median(bare_times):.1f} s, stage {statistics.median(stage_times):.1f} s, "
            f"ratio of medians {statistics.median(stage_times) / statistics.median(bare_times):.2f}x"
        )
    print(load_line("at end"))
    if args.dump is not None:
        out: dict[str, Any] = {
            "statements": [s.to_dict() for s in corpus.statements],
            "entities": [e.to_dict() for e in corpus.entities],
            "sources": [s.to_dict() for s in corpus.sources],
        }
        args.dump.write_text(
            json.dumps(out, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        print(f"output written to {args.dump}")


if __name__ == "__main__":
    main()
