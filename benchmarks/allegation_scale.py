"""The allegation pass's lexical rule on real news, on the corpus-fitted and the fixed IDF scale (issue 12 §4).

The allegation pass (``claims/allegations.py``) joins claim parts whose closest statements score at least
``ALLEGATION_FACTOR x threshold`` on the lexical (TF-IDF) scale. The factor was set with the IDF fitted on
the corpus; this script measures, on a real analysed workspace (FNC-1 bodies as
``benchmarks/end_to_end.py`` writes them), what factor on the fixed table's scale (``claims/data/idf.tsv``)
gives the rule the same behaviour. Two measures, both on real statements, none on the bundled sample:

1. **Quantile matching.** The pass is run once with the corpus-fitted IDF; every score the rule compares
   (``allegations.closeness``: the best pair of two statement lists) is also computed on the fixed scale
   for the same two lists. The factor on the fixed scale is the one that accepts the same share of those
   comparisons as ``ALLEGATION_FACTOR`` does on the corpus scale; the agreement of the two decisions is
   printed for a range of factors.
2. **Cross-claim false merges.** Every FNC-1 body belongs to one gold claim (``benchmarks/claims.py``
   ``fnc1_claims``). For each IDF and factor the pass is run and, over the resulting allegations, the
   pairs of statements from documents of *different* gold claims that ended in one allegation (never
   right: two articles about different claims) are counted, with the pairs of statements from different
   documents of the *same* gold claim (may be right) for scale.

    cp DIR/n1000/out/claimgraph.db /tmp/scale.db
    python benchmarks/allegation_scale.py /tmp/scale.db [--factors 0.5 0.6 0.7]

Section 2 prints each setting twice: rule (B) of the pass (a document's own summary joins the allegation its
article reports) counting only the document's headline and lead as its summary (the stage's rule), and
counting every own-voice statement (the rule before).

Work on a copy of the store: the matcher writes its vector memo.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))


def _gold_of_documents(corpus: Any) -> dict[str, int]:
    """Each document's FNC-1 gold claim, found by its text (the benchmark writes bodies as files)."""
    from claims import fnc1_claims

    _headlines, bodies, _hc, body_claim, _held = fnc1_claims()
    by_text = {" ".join(text.split()): body_claim[b] for b, text in bodies.items() if b in body_claim}
    out: dict[str, int] = {}
    for doc in corpus.documents:
        key = " ".join((doc.text or "").split())
        if key in by_text:
            out[doc.id] = by_text[key]
    return out


def _run_pass(run: Any, grouping: Any, factor: float, summaries: bool = True) -> list[list[list[Any]]]:
    """The allegation pass as the claims stage runs it; ``summaries=False``: rule (B) as before 2026-12-02
    15:00 UTC (every own-voice statement counted as its document's summary, not only its headline and lead)."""
    from claimgraph.claims.allegations import merge_allegations
    from claimgraph.claims.stage import summary_check

    lexical = getattr(grouping.matcher, "lexical", grouping.matcher)
    return merge_allegations(
        grouping.parts, lexical, grouping.position, run.origin_of, lambda st: run.expanded[st.id],
        run.topic_of, run.own_voice, run.options.claim_threshold, factor=factor, optional=grouping.optional,
        relays=run.relays, quantities_of=lambda st: run.figures[st.id],
        summary_of=summary_check(run.documents) if summaries else None,
    )  # fmt: skip


def _false_merges(allegations: list[list[list[Any]]], gold: dict[str, int]) -> tuple[int, int, int]:
    """(cross-gold-claim statement pairs, same-claim cross-document pairs, statements in allegations)."""
    wrong = right = total = 0
    for allegation in allegations:
        docs: dict[str, int] = {}
        for part in allegation:
            for st in part:
                total += 1
                docs[st.document_id] = docs.get(st.document_id, 0) + 1
        ids = sorted(docs)
        for x, a in enumerate(ids):
            for b in ids[x + 1 :]:
                if a in gold and b in gold:
                    pairs = docs[a] * docs[b]
                    if gold[a] != gold[b]:
                        wrong += pairs
                    else:
                        right += pairs
    return wrong, right, total


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("db", help="a copy of a workspace store with an analysis of FNC-1 bodies")
    parser.add_argument("--factors", type=float, nargs="+", default=[0.5, 0.55, 0.6, 0.65, 0.7, 0.8])
    args = parser.parse_args()

    import numpy as np

    from claimgraph.claims import allegations, stage, tfidf
    from claimgraph.claims.embeddings import memo_matcher
    from claimgraph.options import Options
    from claimgraph.store import Store

    store = Store.open(args.db)
    options = Options(progress=False)
    factor0 = allegations.ALLEGATION_FACTOR
    threshold = options.claim_threshold
    results: dict[str, Any] = {}
    for idf in ("corpus", "fixed"):
        tfidf.DEFAULT_IDF = idf
        corpus = store.load_corpus()
        gold = _gold_of_documents(corpus)
        run = stage._prepare(corpus, options)
        grouping = stage._match(run, memo_matcher(options.claim_matcher, store))
        results[idf] = (run, grouping, gold)
    print(
        f"{len(results['corpus'][2]):,} of {len(results['corpus'][0].documents):,} documents have a gold claim"
    )

    # 1. quantile matching: every comparison of the corpus-scale run, scored on both scales
    run_c, grouping_c, _gold = results["corpus"]
    _run_f, grouping_f, _gold = results["fixed"]
    lexical_f = getattr(grouping_f.matcher, "lexical", grouping_f.matcher)
    closest_f = allegations.closeness(lexical_f, grouping_f.position)
    pairs: list[tuple[float, float]] = []
    original = allegations.closeness

    def logging_closeness(matcher: Any, position: dict[str, int]) -> Any:
        closest_c = original(matcher, position)

        def closest(left: Any, right: Any) -> float:
            score = closest_c(left, right)
            pairs.append((score, closest_f(left, right)))
            return score

        return closest

    allegations.closeness = logging_closeness  # type: ignore[assignment]
    try:
        _run_pass(run_c, grouping_c, factor0)
    finally:
        allegations.closeness = original  # type: ignore[assignment]
    scores = np.array(pairs, dtype=np.float64)
    minimum = factor0 * threshold
    accept_c = scores[:, 0] >= minimum
    share = float(accept_c.mean()) if len(scores) else 0.0
    matched = float(np.quantile(scores[:, 1], 1.0 - share)) if len(scores) else 0.0
    print(
        f"1. {len(scores):,} comparisons of the allegation rule (corpus-fitted IDF run); "
        f"{share:.3f} accepted at {factor0} x {threshold} = {minimum:.3f}; "
        f"the same share on the fixed scale: score >= {matched:.3f}, factor {matched / threshold:.3f}"
    )
    print(f"   Spearman-like check: Pearson r of the two scales' scores {np.corrcoef(scores.T)[0, 1]:.3f}")
    for factor in args.factors:
        accept_f = scores[:, 1] >= factor * threshold
        agree = float((accept_f == accept_c).mean())
        both = int((accept_f & accept_c).sum())
        print(
            f"   fixed factor {factor:.2f}: accepts {accept_f.mean():.3f}, agrees with corpus@{factor0} on "
            f"{agree:.3f} (both {both}, fixed only {int((accept_f & ~accept_c).sum())}, "
            f"corpus only {int((~accept_f & accept_c).sum())})"
        )

    # 2. cross-claim false merges of the whole pass, per IDF and factor
    print("2. statement pairs in one allegation: from documents of different gold claims (wrong) / "
          "of the same gold claim, different documents / statements in allegations")  # fmt: skip
    for idf, (run, grouping, gold) in results.items():
        for factor in [factor0] if idf == "corpus" else args.factors:
            for summaries in (False, True):
                wrong, right, total = _false_merges(_run_pass(run, grouping, factor, summaries), gold)
                rule = "headline/lead" if summaries else "any own voice"
                print(
                    f"   {idf:>6} IDF, factor {factor:.2f}, rule B {rule:>13}: wrong {wrong:,}, "
                    f"same-claim {right:,}, statements {total:,}"
                )


if __name__ == "__main__":
    main()
