"""Benchmark claim matching on synthetic corpora built from real sentences (FNC-1 bodies).

    python benchmarks/claims.py                 # 10k and 100k statements, default TF-IDF matcher
    python benchmarks/claims.py --sizes 10000 30000 --matcher claimgraph.tfidf_matcher.v1

Statements are real sentences from ``train_bodies.csv`` (``$CLAIMGRAPH_FNC1_DIR``, default
``<repo>/../shared/data/fnc1``), in the same mix at every size: 30% unique real sentences, 60% spliced
from the first half of one real sentence and the second half of another, and 10%
*planted paraphrase groups*: three variants of one sentence (words dropped, synonyms swapped,
inflections changed). Each size runs in a fresh subprocess so that peak memory (``ru_maxrss``) is
the size's own. Reported: matching time (fit + candidates + clustering + the allegation pass, with
synthetic documents of 8 statements and n/25 speakers), candidate pairs, the growth
exponent ``log(t_large / t_small) / log(n_large / n_small)``, peak RSS, and the planted groups found.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import random
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SYNONYMS = {
    "said": "stated", "says": "states", "killed": "slain", "attack": "assault", "police": "officers",
    "people": "persons", "group": "organisation", "video": "footage", "reported": "stated", "official": "officer",
    "government": "authorities", "army": "military", "soldiers": "troops", "fighters": "militants",
    "recruits": "is recruiting", "trains": "has been training", "large": "big", "began": "started",
}  # fmt: skip


def fnc1_dir() -> Path:
    return Path(os.environ.get("CLAIMGRAPH_FNC1_DIR", REPO.parent / "shared" / "data" / "fnc1"))


def real_sentences() -> list[str]:
    csv.field_size_limit(sys.maxsize)
    path = fnc1_dir() / "train_bodies.csv"
    seen: set[str] = set()
    out: list[str] = []
    with path.open(encoding="utf-8", errors="replace", newline="") as fh:
        for row in csv.DictReader(fh):
            for sentence in re.split(r"(?<=[.!?])\s+", row["articleBody"]):
                sentence = " ".join(sentence.split())
                if 40 <= len(sentence) <= 300 and sentence not in seen:
                    seen.add(sentence)
                    out.append(sentence)
    return out


def variant(sentence: str, rng: random.Random) -> str:
    words = sentence.split()
    out: list[str] = []
    for word in words:
        bare = word.strip(".,;:!?\"'").lower()
        if bare in SYNONYMS and rng.random() < 0.7:
            out.append(SYNONYMS[bare])
        elif len(words) > 6 and rng.random() < 0.12:
            continue
        elif bare.endswith("s") and len(bare) > 4 and rng.random() < 0.2:
            out.append(word.rstrip("s"))
        else:
            out.append(word)
    return " ".join(out)


def make_statements(n: int, seed: int = 0) -> tuple[list[str], list[int]]:
    """Statements and their planted group ids (-1 for unplanted)."""
    rng = random.Random(seed)
    base = real_sentences()
    rng.shuffle(base)
    planted_groups = n // 30  # 3 variants each = 10% of the statements
    texts: list[str] = []
    labels: list[int] = []
    pool = iter(base)
    for group in range(planted_groups):
        sentence = next(pool)
        for _ in range(3):
            texts.append(variant(sentence, rng))
            labels.append(group)
    # the same mix at every size (so the growth exponent compares like with like): 10% planted,
    # 30% unique real sentences, 60% spliced from two real sentences
    unplanted = list(pool)
    real = min(len(unplanted), int(n * 0.3))
    for sentence in unplanted[:real]:
        texts.append(sentence)
        labels.append(-1)
    while len(texts) < n:
        a, b = rng.sample(unplanted, 2)
        wa, wb = a.split(), b.split()
        texts.append(" ".join(wa[: len(wa) // 2] + wb[len(wb) // 2 :]))
        labels.append(-1)
    order = list(range(n))
    rng.shuffle(order)
    return [texts[k] for k in order], [labels[k] for k in order]


def run_one(n: int, matcher_name: str, threshold: float) -> dict[str, object]:
    import scipy.sparse  # noqa: F401  (warm imports: not part of the matching time)
    import sklearn.feature_extraction.text  # noqa: F401

    from claimgraph.claims.allegations import merge_allegations
    from claimgraph.claims.matching import MatchItem, cluster
    from claimgraph.claims.text import content_tokens, quantities
    from claimgraph.model import Statement
    from claimgraph.registry import registry

    texts, labels = make_statements(n)
    items = [MatchItem(t) for t in texts]
    matcher = registry.claim_matchers.get(matcher_name)()
    # input of the allegation pass (second grouping): synthetic documents of 8 statements, n/25 speakers
    speakers = [
        rng_speaker.randrange(max(1, n // 25)) for rng_speaker in [random.Random(1)] for _ in range(n)
    ]
    fake = [
        Statement(id=f"st{k}", document_id=f"doc{k // 8}", source_id=f"src{speakers[k]}", text=texts[k],
                  cue=None, mode="assertion", certainty="asserted", certainty_cues=[], start=0, end=0)
        for k in range(n)
    ]  # fmt: skip
    cpu_start = time.process_time()
    start = time.perf_counter()
    matcher.fit(items)
    fitted = time.perf_counter()
    i, _j = matcher.candidates()
    candidates = time.perf_counter()
    figures = [quantities(t) for t in texts]  # the number guard, as the claims stage uses it
    groups = cluster(matcher, n, threshold, quantities=figures)
    clustered = time.perf_counter()
    position = {st.id: k for k, st in enumerate(fake)}

    def figures_of(st: Statement) -> frozenset[str]:
        return figures[position[st.id]]

    topic_cache: dict[str, set[str]] = {}

    def topic_of(st: Statement) -> set[str]:
        if st.id not in topic_cache:
            topic_cache[st.id] = set(content_tokens(st.text))
        return topic_cache[st.id]

    allegations = merge_allegations(
        [[fake[x] for x in g] for g in groups], matcher, position, lambda st: st.source_id,
        lambda st: set(), topic_of, lambda st: False, threshold, quantities_of=figures_of,
    )  # fmt: skip
    done = time.perf_counter()
    cpu = time.process_time() - cpu_start
    group_of = {x: g for g, members in enumerate(groups) for x in members}
    planted: dict[int, list[int]] = {}
    for x, label in enumerate(labels):
        if label >= 0:
            planted.setdefault(label, []).append(x)
    recovered = sum(1 for members in planted.values() if len({group_of[x] for x in members}) == 1)
    pure = sum(
        1
        for members in planted.values()
        if len({group_of[x] for x in members}) == 1 and len(groups[group_of[members[0]]]) == len(members)
    )
    return {
        "statements": n,
        "matcher": matcher_name,
        "fit_s": round(fitted - start, 3),
        "candidates_s": round(candidates - fitted, 3),
        "cluster_s": round(clustered - candidates, 3),
        "allegations_s": round(done - clustered, 3),
        "allegations": len(allegations),
        "matching_s": round(done - start, 3),
        "matching_cpu_s": round(cpu, 3),
        "candidate_pairs": len(i),
        "claims_ge2": sum(1 for g in groups if len(g) >= 2),
        "planted_groups": len(planted),
        "planted_recovered": recovered,
        "planted_exact": pure,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--matcher", default="claimgraph.tfidf_matcher.v1")
    parser.add_argument("--threshold", type=float, default=0.5)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.matcher, args.threshold)))
        return
    if not (fnc1_dir() / "train_bodies.csv").is_file():
        sys.exit(f"FNC-1 bodies not found under {fnc1_dir()}; set CLAIMGRAPH_FNC1_DIR")
    results = []
    for n in args.sizes:
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--one",
                str(n),
                "--matcher",
                args.matcher,
                "--threshold",
                str(args.threshold),
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        result = json.loads(out.stdout.strip().splitlines()[-1])
        results.append(result)
        print(
            f"{n:>7} statements: matching {result['matching_s']:.2f} s wall, {result['matching_cpu_s']:.2f} s CPU (fit {result['fit_s']:.2f}, candidates "
            f"{result['candidates_s']:.2f}, cluster {result['cluster_s']:.2f}, allegation pass {result['allegations_s']:.2f}), {result['candidate_pairs']:,} "
            f"candidate pairs, peak RSS {result['peak_rss_mb']:.0f} MB, planted groups recovered "
            f"{result['planted_recovered']}/{result['planted_groups']} (exact {result['planted_exact']})"
        )
    if len(results) >= 2:
        small, large = results[0], results[-1]
        exponent = math.log(float(large["matching_s"]) / float(small["matching_s"])) / math.log(
            int(large["statements"]) / int(small["statements"])
        )
        cpu_exponent = math.log(float(large["matching_cpu_s"]) / float(small["matching_cpu_s"])) / math.log(
            int(large["statements"]) / int(small["statements"])
        )
        print(f"growth exponent {exponent:.3f} wall, {cpu_exponent:.3f} CPU (goal <= 1.15); peak RSS at {large['statements']}: "
              f"{large['peak_rss_mb']:.0f} MB (goal <= 2048 MB)")  # fmt: skip


if __name__ == "__main__":
    main()
