"""The whole pipeline's stance toward a claim, scored against FNC-1's body stances (real news).

FNC-1 labels each (headline, body) pair: the body *agrees* with the headline's claim, *disagrees* with it
(a debunk: "the video was doctored", "no bird soiled his suit") or *discusses* it. ``benchmarks/stance.py``
scores the stance model on those pairs; this script scores what a user of claimgraph sees. For each sampled
headline, the headline (as a one-line document) and its related bodies are analysed together by
``claimgraph.analyze``; the claims holding the headline's statements are the headline's claim, and each body
gets the stance its statements in that claim carry:

- ``disagree`` when one of them disputes or denies it;
- else ``agree`` when one supports it;
- else ``discuss`` when one reports it (or declines);
- else ``unlinked``: none of the body's statements is in the headline's claim.

When the headline's own statement disputes the claim (the claim is worded as its negation: "the bodies are
not the students'" against "Mass grave linked to the missing students"), agree and disagree are swapped.

Only held-out bodies of the shipped stance model are used (its split, ``meta.json``: bodies never seen in
training), from ``train_stances.csv`` / ``train_bodies.csv`` in ``$CLAIMGRAPH_FNC1_DIR``. FNC-1's competition
test set is an independent test set and is never read. Headlines are sampled with a fixed seed, with their
related held-out bodies (at least ``--min-bodies``); ``--disagree-share`` takes that share of the headlines among
those with a disagreeing body (FNC-1 has few: about 8% of related pairs), so the rare class is measured.

    python benchmarks/claim_stance.py [--headlines 300] [--seed 3] [--threshold T] [--negatives unrelated] [--show 10]

Prints the confusion of gold against predicted body stances (unrelated bodies, sampled as many as the related
ones, stand for false links), each gold class's linked share, and the
disagree class's precision, recall and F1 (a debunk read as support is the costly error for a fact-checker).
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

GOLD = {"supports": "agree", "disputes": "disagree", "discusses": "discuss"}
PREDICTED = ("agree", "disagree", "discuss", "unlinked")


def body_stance(stances: list[str]) -> str:
    """A body's stance toward the claim from its statements' stances in it."""
    if any(s in ("disputes", "denies") for s in stances):
        return "disagree"
    if "supports" in stances:
        return "agree"
    if stances:
        return "discuss"
    return "unlinked"


_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]{3,}\b")


def names(text: str) -> set[str]:
    """Capitalised words of ``text`` that do not open it or a sentence (names, roughly)."""
    return {m.group(0) for m in _NAME.finditer(text)}


def sample(
    seed: int, headlines: int, min_bodies: int, disagree_share: float, negatives: str = "same-actor"
) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """(headline, [(body id, body, gold)]) of held-out bodies, sampled with ``seed``."""
    import json

    import claimgraph.stance as stance_pkg
    from claimgraph.stance.fnc1 import claim_components, load_fnc1, split_examples

    meta = json.loads((Path(stance_pkg.__file__).parent / "model" / "meta.json").read_text())
    split = str(meta["training"].get("split_name", "body"))
    examples = load_fnc1()
    _kept, held = split_examples(examples, split)
    claim_of = claim_components(examples)
    by_headline: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    unrelated: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for e in held:
        if e.stance in GOLD:
            by_headline[e.headline].append((e.body_id, e.body, GOLD[e.stance]))
        elif e.stance == "unrelated":
            unrelated[e.headline].append((e.body_id, e.body, "unrelated"))
    pool = sorted(h for h, bodies in by_headline.items() if len(bodies) >= min_bodies)
    rng = random.Random(seed)
    with_disagree = [h for h in pool if any(g == "disagree" for _, _, g in by_headline[h])]
    n_dis = min(len(with_disagree), round(headlines * disagree_share))
    chosen = rng.sample(with_disagree, n_dis)
    rest = [h for h in pool if h not in set(chosen)]
    chosen += rng.sample(rest, min(len(rest), headlines - n_dis))
    # as many negative bodies as related ones: a link to one of them is a false link. ``same-actor``: held-out
    # bodies of other real claims that name a name of the headline (the same people and groups, another
    # proposition: the hard case); ``unrelated``: FNC-1's unrelated pairs of the headline (mostly another story)
    held_bodies = {e.body_id: e.body for e in held}
    body_names = {b: names(text) for b, text in held_bodies.items()}
    out = []
    for h in chosen:
        if negatives == "same-actor":
            own = claim_of[f"h:{h}"]
            wanted = names(h)
            pool_neg = sorted(
                (b, held_bodies[b], "unrelated")
                for b in held_bodies
                if claim_of.get(f"b:{b}") != own and wanted & body_names[b]
            )
        else:
            pool_neg = sorted(unrelated[h])
        related = sorted(by_headline[h])
        out.append((h, related + rng.sample(pool_neg, min(len(pool_neg), len(related)))))
    return out


def run_one(
    headline: str, bodies: list[tuple[str, str, str]], tmp: Path, options: Any
) -> tuple[bool, dict[str, tuple[str, list[str]]]]:
    """Analyse the headline and its bodies: whether the headline is in a claim, and each body id -> (predicted,
    its statements' stances in the claim)."""
    from claimgraph import analyze

    src = tmp / "in"
    src.mkdir(parents=True)
    (src / "headline.txt").write_text(headline + "\n", encoding="utf-8")
    for body_id, body, _gold in bodies:
        (src / f"body_{body_id}.txt").write_text(body, encoding="utf-8")
    result = analyze([src], None, db=f"sqlite:///{tmp / 'cg.db'}", options=options)
    corpus = result.corpus
    doc_of = {d.id: Path(d.path or "").stem for d in corpus.documents}
    claim_ids = {
        s.claim_id for s in corpus.statements if doc_of.get(s.document_id) == "headline" and s.claim_id
    }
    # the headline's own stance toward its claim: a claim worded as the negation of the headline ("the bodies
    # are not the students'") is disputed by the headline, and a body supporting it disagrees with the headline
    headline_disputes = any(
        s.stance in ("disputes", "denies")
        for s in corpus.statements
        if doc_of.get(s.document_id) == "headline" and s.claim_id in claim_ids
    )
    flip = {"agree": "disagree", "disagree": "agree"} if headline_disputes else {}
    found: dict[str, list[str]] = defaultdict(list)
    for s in corpus.statements:
        name = doc_of.get(s.document_id, "")
        if name.startswith("body_") and s.claim_id in claim_ids and s.stance:
            found[name[5:]].append(s.stance)
    out = {}
    for body_id, _, _ in bodies:
        stance = body_stance(found.get(body_id, []))
        out[body_id] = (flip.get(stance, stance), found.get(body_id, []))
    return bool(claim_ids), out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--headlines", type=int, default=300, help="headlines sampled (300)")
    parser.add_argument("--seed", type=int, default=3, help="sampling seed (3)")
    parser.add_argument("--min-bodies", type=int, default=2, help="related held-out bodies per headline (2)")
    parser.add_argument(
        "--disagree-share", type=float, default=0.5, help="share of headlines with a disagreeing body"
    )
    parser.add_argument(
        "--show",
        type=int,
        default=0,
        help="print this many disagree bodies read otherwise, and headlines in no claim",
    )
    parser.add_argument(
        "--negatives",
        choices=("same-actor", "unrelated"),
        default="same-actor",
        help="negative bodies: other real claims naming a name of the headline (default), or FNC-1's unrelated pairs",
    )
    parser.add_argument(
        "--threshold", type=float, default=None, help="Options.claim_threshold (default: its default)"
    )
    args = parser.parse_args(argv)
    from claimgraph import Options

    options = Options(formats=(), progress=False)
    if args.threshold is not None:
        options = Options(formats=(), progress=False, claim_threshold=args.threshold)
    try:
        chosen = sample(args.seed, args.headlines, args.min_bodies, args.disagree_share, args.negatives)
    except FileNotFoundError as exc:
        print(f"FNC-1 data missing ({exc}); set CLAIMGRAPH_FNC1_DIR", file=sys.stderr)
        return 2
    confusion: Counter[tuple[str, str]] = Counter()
    missed: list[tuple[str, str, list[str]]] = []
    no_claim = 0
    unclaimed: list[str] = []
    t0 = time.perf_counter()
    for k, (headline, bodies) in enumerate(chosen):
        with tempfile.TemporaryDirectory(prefix="cg-cs-") as tmp:
            has_claim, predicted = run_one(headline, bodies, Path(tmp), options)
        no_claim += not has_claim
        if not has_claim:
            unclaimed.append(headline)
        for body_id, _body, gold in bodies:
            pred, stances = predicted[body_id]
            confusion[gold, pred] += 1
            if gold == "disagree" and pred != "disagree":
                missed.append((headline, body_id, stances))
        print(f"\r{k + 1}/{len(chosen)} headlines", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    total = sum(n for (gold, _), n in confusion.items() if gold != "unrelated")
    print(
        f"{len(chosen)} headlines (seed {args.seed}), {total} held-out related bodies and {sum(n for (g, _), n in confusion.items() if g == 'unrelated')} unrelated ones, "
        f"{time.perf_counter() - t0:.0f} s"
    )
    print(f"headlines in no claim (no statement, or one that makes no claim): {no_claim}")
    print("gold \\ predicted " + "".join(f"{p:>10}" for p in PREDICTED) + "    linked")
    for gold in ("agree", "disagree", "discuss"):
        row = [confusion[gold, p] for p in PREDICTED]
        n = sum(row)
        linked = (n - confusion[gold, "unlinked"]) / n if n else 0.0
        print(f"{gold:>16} " + "".join(f"{c:>10}" for c in row) + f"    {linked:.3f}")
    negatives = sum(n for (gold, _), n in confusion.items() if gold == "unrelated")
    false_links = negatives - confusion["unrelated", "unlinked"]
    print(
        f"{'unrelated':>16} "
        + "".join(f"{confusion['unrelated', p]:>10}" for p in PREDICTED)
        + f"    {false_links / negatives if negatives else 0.0:.3f}  (a link here is false)"
    )
    tp = confusion["disagree", "disagree"]
    fp = sum(confusion[g, "disagree"] for g in ("agree", "discuss"))
    fn = sum(confusion["disagree", p] for p in PREDICTED if p != "disagree")
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(f"disagree: precision {precision:.3f}  recall {recall:.3f}  F1 {f1:.3f}")
    linked_dis = tp + sum(confusion["disagree", p] for p in ("agree", "discuss"))
    print(
        f"disagreeing bodies linked to the claim: {linked_dis}; of them read as a dispute "
        f"{tp / linked_dis if linked_dis else 0.0:.3f}, as support {confusion['disagree', 'agree'] / linked_dis if linked_dis else 0.0:.3f}"
    )
    for headline, body_id, stances in missed[: args.show]:
        print(f"  missed: body {body_id} vs {headline[:80]!r}: {Counter(stances) or 'unlinked'}")
    for headline in unclaimed[: args.show]:
        print(f"  in no claim: {headline[:100]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
