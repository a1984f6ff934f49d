"""Benchmark claim matching on synthetic corpora built from real sentences (FNC-1 bodies).

    python benchmarks/claims.py                 # 10k and 100k statements, whole claims stage, default matcher
    python benchmarks/claims.py --sizes 10000 30000 --matcher claimgraph.tfidf_matcher.v1
    python benchmarks/claims.py --quality [--split tune] [--entities]  # B-cubed on held-out FNC-1 claims
    python benchmarks/claims.py --encoding-cost  # sentence-encoder CPU per 1,000 statements / bodies

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
from typing import Any

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


def stage_corpus(n: int, seed: int = 0) -> object:
    """A corpus of ``n`` statements for the whole claims stage: the real/spliced/planted sentence mix of
    :func:`make_statements`, in documents of 8 statements (a headline and 7 body sentences), one outlet
    per document, ``n/25`` quoted speakers (a third of the statements are quotes; a quote's speaker
    is affiliated with nobody), dates over a year. No attribution is run: this times claims only."""
    from claimgraph.model import Corpus, Document, Source, Statement

    texts, _labels = make_statements(n, seed)
    rng = random.Random(seed + 1)
    per_doc = 8
    speakers = [
        Source(id=f"src-p{k}", label=f"Speaker {k}", kind="person", document_ids=[])
        for k in range(max(1, n // 25))
    ]
    documents: list[Document] = []
    sources: list[Source] = list(speakers)
    statements: list[Statement] = []
    for d in range((n + per_doc - 1) // per_doc):
        chunk = texts[d * per_doc : (d + 1) * per_doc]
        doc_id = f"doc{d}"
        day = 1 + (d * 7919) % 365
        documents.append(
            Document(id=doc_id, path=f"{doc_id}.txt", url=None, title=chunk[0], authors=[],
                     published=f"2024-{1 + (day - 1) // 31 % 12:02d}-{1 + (day - 1) % 28:02d}",
                     outlet=f"Outlet {d % 97}", text=" ".join(chunk[1:]))
        )  # fmt: skip
        outlet = Source(id=f"src-o{d}", label=f"Outlet {d % 97}", kind="outlet", document_ids=[doc_id])
        sources.append(outlet)
        offset = 0
        for k, text in enumerate(chunk):
            quoted = k > 0 and rng.random() < 0.33
            speaker = speakers[rng.randrange(len(speakers))] if quoted else outlet
            if quoted:
                speaker.document_ids.append(doc_id)
            statements.append(
                Statement(id=f"st{d}-{k}", document_id=doc_id, source_id=speaker.id, text=text,
                          cue="said" if quoted else None, mode="direct" if quoted else "assertion",
                          certainty="asserted", certainty_cues=[], start=offset, end=offset + len(text),
                          part="title" if k == 0 else "text")
            )  # fmt: skip
            offset += len(text) + 1
    return Corpus(documents=documents, sources=sources, statements=statements)


def readings_of(n: int) -> dict[str, list[str]]:
    """The parse readings attribution gives the statements of :func:`stage_corpus` (``n``), as attribution
    reads a sentence it did not parse: the text parsed alone (:mod:`claimgraph.attribution.readings`).
    Returns ``{"unfounded": ids}`` and, per quoted statement with a negated event, its words (by id)."""
    from claimgraph.attribution.readings import NEGATED_EVENT_MODES, may_call_unfounded, may_negate
    from claimgraph.claims.attach_rules import calls_claim_unfounded, negated_event_words

    corpus = stage_corpus(n)
    out: dict[str, list[str]] = {"unfounded": []}
    for st in corpus.statements:  # type: ignore[attr-defined]
        if may_call_unfounded(st.text) and calls_claim_unfounded(st.text):
            out["unfounded"].append(st.id)
        if st.mode in NEGATED_EVENT_MODES and may_negate(st.text) and (words := negated_event_words(st.text)):
            out[st.id] = list(words)
    return out


def with_readings(corpus: object, n: int, cache: Path | None = None) -> None:
    """Give the statements of ``corpus`` their parse readings, computed in a child process (the spaCy model
    is attribution's, not the claims stage's: it must not count in this process's peak memory); with
    ``cache`` (a folder), kept there per size and read back by later runs."""
    from claimgraph.attribution.readings import NEGATED_EVENT_MODES

    kept = cache / f"claims-benchmark-readings-{n}.json" if cache is not None else None
    if kept is not None and kept.is_file():
        readings = json.loads(kept.read_text(encoding="utf-8"))
    else:
        command = [sys.executable, __file__, "--readings", str(n)]
        out = subprocess.run(command, check=True, capture_output=True, text=True)
        readings = json.loads(out.stdout.strip().splitlines()[-1])
        if kept is not None:
            kept.write_text(json.dumps(readings), encoding="utf-8")
    unfounded = set(readings.pop("unfounded"))
    for st in corpus.statements:  # type: ignore[attr-defined]
        st.calls_unfounded = st.id in unfounded
        st.negated_event = readings.get(st.id, []) if st.mode in NEGATED_EVENT_MODES else None


def _peak_rss_mb() -> float:
    """This process's peak resident memory so far, in MB (``ru_maxrss``)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


#: The claims stage's passes (:func:`claimgraph.claims.stage.build_claims`) whose peak memory is reported.
PASSES = (
    "_prepare",
    "_match",
    "_allegations",
    "_attach",
    "_accused_denials",
    "_attached_stances",
    "_write_back",
)


def _record_pass_peaks() -> dict[str, float]:
    """Wrap the claims stage's passes so that the peak RSS after each is recorded (in the returned dict,
    by pass name, in the order they ran); the stage before its first pass counts as ``start``."""
    from claimgraph.claims import stage

    peaks: dict[str, float] = {"start": _peak_rss_mb()}
    for name in PASSES:
        original = getattr(stage, name, None)
        if original is None:
            continue

        def timed(*args: object, __original: Any = original, __name: str = name, **kwargs: object) -> object:
            out = __original(*args, **kwargs)
            peaks[__name.lstrip("_")] = _peak_rss_mb()
            return out

        setattr(stage, name, timed)
    return peaks


def run_stage(
    n: int, matcher_name: str, threshold: float, readings: bool = True, readings_cache: Path | None = None
) -> dict[str, object]:
    """CPU time and peak memory of the whole claims stage (matching, allegation pass, attachments,
    accused-party denials, stance cues and the batched stance model) on ``n`` statements. With
    ``readings`` (default), the statements carry attribution's parse readings, as in a run; without, the
    claims stage parses the texts that need them itself (statements of an older store)."""
    from claimgraph.claims.stage import build_claims
    from claimgraph.options import Options
    from claimgraph.registry import registry

    corpus = stage_corpus(n)
    if readings:
        with_readings(corpus, n, readings_cache)
    peaks = _record_pass_peaks()
    options = Options(claim_matcher=matcher_name, claim_threshold=threshold)
    model = registry.stance_models.get(options.stance_model)()  # loaded outside the timing, as once per run
    cpu_start = time.process_time()
    start = time.perf_counter()
    claims = build_claims(corpus, options, stance_model=model)  # type: ignore[arg-type]
    wall = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    return {
        "statements": n,
        "matcher": matcher_name,
        "stage_s": round(wall, 3),
        "stage_cpu_s": round(cpu, 3),
        "claims": len(claims),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "readings": readings,
        "peak_rss_by_pass_mb": peaks,
        "spacy_loaded": "spacy" in sys.modules,
        "torch_loaded": "torch" in sys.modules,
    }


# --- claim-grouping quality on real news (FNC-1 train; held-out claims) ---------------------------

#: One claim in this many goes to the held-out set (by a hash of its smallest member: deterministic).
HOLD_OUT_EVERY = 5


def fnc1_claims() -> tuple[dict[str, str], dict[str, str], dict[str, int], dict[str, int], set[int]]:
    """Real-world claims from FNC-1 train: connected components of related (headline, body) pairs.

    Returns ``(headlines, bodies, headline_claim, body_claim, held_out)``: headline texts by key,
    body texts by body id, the claim of each headline and body, and the claim ids held out
    (whole claims, about one in ``HOLD_OUT_EVERY``, chosen by hash, never by content)."""
    import hashlib

    csv.field_size_limit(sys.maxsize)
    folder = fnc1_dir()
    with (folder / "train_bodies.csv").open(encoding="utf-8", errors="replace", newline="") as fh:
        bodies = {row["Body ID"]: row["articleBody"] for row in csv.DictReader(fh)}
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    with (folder / "train_stances.csv").open(encoding="utf-8", errors="replace", newline="") as fh:
        for row in csv.DictReader(fh):
            h, b = "h:" + row["Headline"], "b:" + row["Body ID"]
            find(h), find(b)
            if row["Stance"] != "unrelated":
                ra, rb = find(h), find(b)
                if ra != rb:
                    parent[max(ra, rb)] = min(ra, rb)
    members: dict[str, list[str]] = {}
    for node in sorted(parent):
        members.setdefault(find(node), []).append(node)
    headline_claim: dict[str, int] = {}
    body_claim: dict[str, int] = {}
    held_out: set[int] = set()
    for claim_id, (_root, nodes) in enumerate(sorted(members.items())):
        key = hashlib.sha1(min(nodes).encode("utf-8")).hexdigest()
        if int(key, 16) % HOLD_OUT_EVERY == 0:
            held_out.add(claim_id)
        for node in nodes:
            if node.startswith("h:"):
                headline_claim[node[2:]] = claim_id
            else:
                body_claim[node[2:]] = claim_id
    headlines = {h: h for h in headline_claim}
    return headlines, bodies, headline_claim, body_claim, held_out


def bcubed(predicted: list[int], gold: list[int]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of a clustering (one cluster id per item) against gold classes."""
    from collections import Counter

    n = len(gold)
    if n == 0:
        return 0.0, 0.0, 0.0
    pair = Counter(zip(predicted, gold, strict=True))
    cluster_size = Counter(predicted)
    class_size = Counter(gold)
    precision = sum(pair[(p, g)] / cluster_size[p] for p, g in zip(predicted, gold, strict=True)) / n
    recall = sum(pair[(p, g)] / class_size[g] for p, g in zip(predicted, gold, strict=True)) / n
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def ner_entities(texts: list[str]) -> list[frozenset[str]]:
    """Each text's named entities (people, organisations, places, nationalities) as lower-cased names,
    from claimgraph's spaCy model: the entity sets the claims stage gives the matcher, approximately."""
    from claimgraph.attribution.nlp import load_model

    nlp = load_model(None)
    labels = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"}
    return [
        frozenset(e.text.lower().removeprefix("the ") for e in doc.ents if e.label_ in labels)
        for doc in nlp.pipe(texts, batch_size=64)
    ]


def quality(
    matcher_name: str, threshold: float, *, split: str = "held-out", entities: bool = False
) -> dict[str, object]:
    """B-cubed scores of claimgraph's grouping of the FNC-1 headlines and bodies of ``split``
    (``entities``: with spaCy entity sets, as the claims stage passes them)."""
    from claimgraph.claims.matching import group_texts, lead

    headlines, bodies, headline_claim, body_claim, held_out = fnc1_claims()

    def wanted(claim: int) -> bool:
        return (claim in held_out) == (split == "held-out")

    out: dict[str, object] = {"split": split, "matcher": matcher_name, "threshold": threshold}
    for kind, texts, gold_of in (
        ("headlines", headlines, headline_claim),
        ("bodies", bodies, body_claim),
    ):
        keys = sorted(k for k in texts if k in gold_of and wanted(gold_of[k]))
        entity_sets = None
        if entities:
            entity_sets = ner_entities([texts[k] if kind == "headlines" else lead(texts[k]) for k in keys])
        start = time.process_time()
        labels = group_texts(
            [texts[k] for k in keys], matcher_name, threshold, kind=kind[:-1], entities=entity_sets
        )
        cpu = time.process_time() - start
        p, r, f = bcubed(labels, [gold_of[k] for k in keys])
        out[kind] = {
            "items": len(keys),
            "claims": len({gold_of[k] for k in keys}),
            "groups": len(set(labels)),
            "precision": round(p, 3),
            "recall": round(r, 3),
            "f1": round(f, 3),
            "cpu_s": round(cpu, 2),
        }
    return out


def encoding_cost(sentences: int = 1000, bodies: int = 200) -> dict[str, float]:
    """CPU seconds the default matcher's sentence encoder spends per 1,000 statements (real FNC-1
    sentences, encoded in one call), and per 1,000 FNC-1 bodies analysed end to end (``analyze`` on
    ``bodies`` bodies as text files; the claims stage encodes only document summaries)."""
    import tempfile

    from claimgraph import analyze
    from claimgraph.claims import encoder
    from claimgraph.options import Options

    model = encoder.load_onnx_encoder()
    texts = real_sentences()[:sentences]
    start = time.process_time()
    model.encode(texts)
    per_statement = (time.process_time() - start) / len(texts)
    spent = {"cpu": 0.0, "texts": 0.0}
    original = encoder.OnnxMiniLM.encode

    def timed(self: encoder.OnnxMiniLM, batch: object, batch_size: int = encoder.BATCH) -> object:
        t0 = time.process_time()
        out = original(self, batch, batch_size)  # type: ignore[arg-type]
        spent["cpu"] += time.process_time() - t0
        spent["texts"] += len(batch)  # type: ignore[arg-type]
        return out

    csv.field_size_limit(sys.maxsize)
    with (fnc1_dir() / "train_bodies.csv").open(encoding="utf-8", errors="replace", newline="") as fh:
        rows = [row["articleBody"] for row in csv.DictReader(fh)][:bodies]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        for k, body in enumerate(rows):
            (folder / f"body{k:05d}.txt").write_text(body, encoding="utf-8")
        encoder.OnnxMiniLM.encode = timed  # type: ignore[method-assign]
        try:
            start = time.process_time()
            analyze([str(folder)], Path(tmp) / "out", options=Options(formats=("json",)))
            total = time.process_time() - start
        finally:
            encoder.OnnxMiniLM.encode = original  # type: ignore[method-assign]
    return {
        "cpu_s_per_1000_statements": round(per_statement * 1000, 2),
        "bodies": len(rows),
        "texts_encoded_per_body": round(spent["texts"] / max(1, len(rows)), 3),
        "encoding_cpu_s_per_1000_bodies": round(spent["cpu"] / max(1, len(rows)) * 1000, 2),
        "analyze_cpu_s_per_1000_bodies": round(total / max(1, len(rows)) * 1000, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--matcher", default=None, help="a registered claim matcher (default: Options())")
    parser.add_argument("--threshold", type=float, default=0.5)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--readings", type=int, help=argparse.SUPPRESS)
    parser.add_argument(
        "--readings-cache", type=Path, default=None,
        help="a folder where the statements' parse readings are kept per size (computed once, ~1 min CPU at 100k)",
    )  # fmt: skip
    parser.add_argument(
        "--no-readings", action="store_true",
        help="statements without attribution's parse readings: the claims stage parses (loads spaCy) itself",
    )  # fmt: skip
    parser.add_argument(
        "--matcher-only", action="store_true", help="time only the matcher and allegation pass (older figure)"
    )
    parser.add_argument(
        "--quality", action="store_true", help="B-cubed grouping scores on held-out FNC-1 claims"
    )
    parser.add_argument("--split", choices=("held-out", "tune"), default="held-out")
    parser.add_argument(
        "--entities", action="store_true", help="--quality with spaCy entity sets, as the claims stage"
    )
    parser.add_argument(
        "--encoding-cost", action="store_true", help="sentence-encoder CPU per 1,000 statements and bodies"
    )
    parser.add_argument(
        "--entity-weight", type=float, help="--quality: weight of entity overlap between summaries (tuning)"
    )
    parser.add_argument(
        "--idf", choices=("fixed", "corpus"), default=None,
        help="IDF of the lexical score: the shipped table (claims/data/idf.tsv) or fitted on the corpus "
        "(default: claimgraph.claims.tfidf.DEFAULT_IDF)",
    )  # fmt: skip
    args = parser.parse_args()
    from claimgraph.claims import tfidf

    if args.idf is None:
        args.idf = tfidf.DEFAULT_IDF
    tfidf.DEFAULT_IDF = args.idf
    if args.entity_weight is not None:
        from claimgraph.claims import embeddings

        embeddings.SEMANTIC_ENTITY_WEIGHT = args.entity_weight
    if args.matcher is None:
        from claimgraph.options import Options

        args.matcher = Options().claim_matcher
    if args.encoding_cost:
        print(json.dumps(encoding_cost()))
        return
    if args.quality:
        if not (fnc1_dir() / "train_stances.csv").is_file():
            sys.exit(f"FNC-1 data not found under {fnc1_dir()}; set CLAIMGRAPH_FNC1_DIR")
        result = quality(args.matcher, args.threshold, split=args.split, entities=args.entities)
        for kind in ("bodies", "headlines"):
            r = result[kind]
            assert isinstance(r, dict)
            print(
                f"{kind:>9} ({args.split} claims, {r['items']} items in {r['claims']} claims -> {r['groups']} groups): "
                f"B-cubed precision {r['precision']:.3f} recall {r['recall']:.3f} F1 {r['f1']:.3f} "
                f"(goal F1 >= 0.85; {r['cpu_s']:.1f} s CPU)"
            )
        return
    if args.readings:
        print(json.dumps(readings_of(args.readings)))
        return
    if args.one:
        if args.matcher_only:
            print(json.dumps(run_one(args.one, args.matcher, args.threshold)))
        else:
            result = run_stage(
                args.one,
                args.matcher,
                args.threshold,
                readings=not args.no_readings,
                readings_cache=args.readings_cache,
            )
            print(json.dumps(result))
        return
    if not (fnc1_dir() / "train_bodies.csv").is_file():
        sys.exit(f"FNC-1 bodies not found under {fnc1_dir()}; set CLAIMGRAPH_FNC1_DIR")
    results = []
    wall_key, cpu_key = ("matching_s", "matching_cpu_s") if args.matcher_only else ("stage_s", "stage_cpu_s")
    for n in args.sizes:
        command = [sys.executable, __file__, "--one", str(n), "--matcher", args.matcher,
                   "--threshold", str(args.threshold), "--idf", args.idf,
                   *(["--matcher-only"] if args.matcher_only else []),
                   *(["--no-readings"] if args.no_readings else []),
                   *(["--readings-cache", str(args.readings_cache)] if args.readings_cache else [])]  # fmt: skip
        out = subprocess.run(command, check=True, capture_output=True, text=True)
        result = json.loads(out.stdout.strip().splitlines()[-1])
        results.append(result)
        if args.matcher_only:
            print(
                f"{n:>7} statements: matching {result['matching_s']:.2f} s wall, {result['matching_cpu_s']:.2f} s CPU (fit {result['fit_s']:.2f}, candidates "
                f"{result['candidates_s']:.2f}, cluster {result['cluster_s']:.2f}, allegation pass {result['allegations_s']:.2f}), {result['candidate_pairs']:,} "
                f"candidate pairs, peak RSS {result['peak_rss_mb']:.0f} MB, planted groups recovered "
                f"{result['planted_recovered']}/{result['planted_groups']} (exact {result['planted_exact']})"
            )  # fmt: skip
        else:
            phases = ", ".join(f"{k} {v:,.0f}" for k, v in result["peak_rss_by_pass_mb"].items())
            print(
                f"{n:>7} statements: whole claims stage {result['stage_s']:.2f} s wall, {result['stage_cpu_s']:.2f} s CPU, "
                f"{result['claims']:,} claims, peak RSS {result['peak_rss_mb']:.0f} MB "
                f"(readings {'on statements' if result['readings'] else 'parsed by the stage'}; "
                f"spaCy {'loaded' if result['spacy_loaded'] else 'not loaded'}, torch {'loaded' if result['torch_loaded'] else 'not loaded'})\n"
                f"         peak RSS (MB) after: {phases}"
            )
    if len(results) >= 2:
        small, large = results[0], results[-1]
        ratio = math.log(int(large["statements"]) / int(small["statements"]))
        exponent = math.log(float(large[wall_key]) / float(small[wall_key])) / ratio
        cpu_exponent = math.log(float(large[cpu_key]) / float(small[cpu_key])) / ratio
        print(f"growth exponent {exponent:.3f} wall, {cpu_exponent:.3f} CPU (goal <= 1.15); peak RSS at {large['statements']}: "
              f"{large['peak_rss_mb']:.0f} MB (goal <= 2048 MB)")  # fmt: skip


if __name__ == "__main__":
    main()
