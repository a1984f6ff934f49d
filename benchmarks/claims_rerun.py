"""CPU of the claims stage alone on a stored workspace, in a fresh process (issue 12 §4).

Loads the analysed corpus from a workspace store (for example the +10-of-1,000 workspace that
``benchmarks/end_to_end.py --incremental-only --workspace DIR`` leaves in ``DIR/n1000/out/claimgraph.db``),
loads the spaCy pipeline, the stance model and the matcher beforehand (a real run has them loaded by then),
and times ``claims_stage`` once with ``time.process_time``. Stance predictions and sentence vectors come from
the store's memo under a fixed key (the package fingerprint is replaced by a constant, so a code edit does not
empty the memo between two timings). Prints the CPU seconds and a digest of every claim (id, members,
entities, text) and statement (claim, stance, confidence): two code versions give the same result when
their digests agree. Work on a copy of the store: the stage writes its memos.

The stage runs under the garbage-collector policy of a real run (``claimgraph.gcpolicy``: raised thresholds, and
what is loaded before the stage frozen, as ``analyze`` freezes after each stage); ``--default-gc`` keeps CPython's
settings, as this script did before 2026-12-02 evening: then the collector's passes over the loaded corpus are
counted in whichever pass allocates (about a fifth of the stage on the 10,000-document store).

``--hold-out K`` runs the stage, untimed, on the stored corpus without K documents (those of the smallest SHA-256
of their id), their statements, the sources and entities found in them only, and the aliases they gave other
entities; so the store's memos hold that run's state, and it exits. The next call on the same store is then an
increment of K documents as far as the claims stage's memos are concerned (new statements, entities and
aliases), in a fresh process as a real run is.

    cp DIR/n1000/out/claimgraph.db /tmp/claims.db
    python benchmarks/claims_rerun.py /tmp/claims.db [--profile FILE]
    python benchmarks/claims_rerun.py /tmp/claims.db --hold-out 10 && python benchmarks/claims_rerun.py /tmp/claims.db
    PYTHONPATH=/tmp/old/src python benchmarks/claims_rerun.py /tmp/claims.db   # another version, interleaved
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import time
from typing import Any


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("db", help="a copy of a workspace store with an analysis")
    parser.add_argument("--profile", metavar="FILE", help="a CPU cProfile of the stage saved to FILE")
    parser.add_argument("--passes", action="store_true", help="also print each pass's CPU seconds")
    parser.add_argument(
        "--fine",
        action="store_true",
        help="with --passes, also the attachment and stance helpers (nested inside the passes above)",
    )
    parser.add_argument(
        "--idf", choices=("fixed", "corpus"), default=None,
        help="IDF of the lexical score (default: claimgraph.claims.tfidf.DEFAULT_IDF); with 'fixed' the "
        "clustering's components are kept in the store's memo and reused by the next call",
    )  # fmt: skip
    parser.add_argument(
        "--no-component-memo", action="store_true", help="do not read or keep the clustering's components"
    )
    parser.add_argument(
        "--default-gc",
        action="store_true",
        help="keep CPython's collector settings; by default the stage runs under a run's policy "
        "(claimgraph.gcpolicy: raised thresholds, the loaded corpus and models frozen), as in analyze",
    )
    parser.add_argument(
        "--no-edge-memo",
        action="store_true",
        help="do not read or keep the clustering's graph (every candidate pair generated and scored)",
    )
    parser.add_argument(
        "--hold-out", type=int, default=0, metavar="K",
        help="an untimed run without K documents (and what only they gave) to fill the memos, then exit",
    )  # fmt: skip
    args = parser.parse_args()

    import claimgraph.pipeline as pipeline
    from claimgraph.claims import matching, tfidf

    if args.idf is not None:
        tfidf.DEFAULT_IDF = args.idf
    if args.no_component_memo:
        matching.ComponentMemo._load = lambda self, keys: {}  # type: ignore[method-assign]
        matching.ComponentMemo.save = lambda self: None  # type: ignore[method-assign]

    from claimgraph.claims import edgememo

    if args.no_edge_memo:
        edgememo.EdgeMemo._load = lambda self: None  # type: ignore[method-assign]
        edgememo.EdgeMemo.save = lambda self: None  # type: ignore[method-assign]
    _count_edges()
    pipeline._code_fingerprint = lambda: "claims-rerun"  # memo keys independent of the code version
    from claimgraph.claims import attach_rules
    from claimgraph.claims.embeddings import memo_matcher
    from claimgraph.claims.stage import claims_stage
    from claimgraph.claims.stance import load_stance_model
    from claimgraph.options import Options
    from claimgraph.stages import RunContext
    from claimgraph.store import Store

    store = Store.open(args.db)
    corpus = store.load_corpus()
    if args.hold_out:
        corpus = _without(corpus, args.hold_out)
    ctx = RunContext(options=Options(progress=False), cache=store)
    attach_rules._nlp()
    load_stance_model(ctx.options.stance_model)
    memo_matcher(ctx.options.claim_matcher, None)
    passes: dict[str, float] = {}
    _count_components()
    _count_actor_values()
    if args.passes:
        _time_passes(passes, fine=args.fine)
        if args.fine:
            _count_attachment_rows()
    gc_policy: contextlib.AbstractContextManager[None] = contextlib.nullcontext()
    if not args.default_gc:
        # as analyze does (pipeline.run_stages): raised thresholds, and what exists before the stage (the
        # loaded corpus, the models) frozen, so that the collector does not walk it again and again
        from claimgraph.gcpolicy import RunFreezer, run_gc_policy

        gc_policy = run_gc_policy()
        freezer = RunFreezer()
        freezer.freeze()
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
    with gc_policy:
        start = time.process_time()
        claims_stage(corpus, ctx)
        spent = time.process_time() - start
    if args.hold_out:
        print(
            f"stage run without {args.hold_out} documents (untimed, {spent:.2f} s CPU): "
            f"{len(corpus.documents):,} documents, {len(corpus.statements):,} statements, "
            f"{len(corpus.entities):,} entities; the store holds its memos"
        )
        return
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(args.profile)
    result = [[c.id, c.statement_ids, c.entity_ids, c.text] for c in corpus.claims]
    result += [
        [s.id, s.claim_id, s.stance, s.stance_confidence]
        for s in sorted(corpus.statements, key=lambda s: s.id)
    ]
    digest = hashlib.sha256(json.dumps(result).encode("utf-8")).hexdigest()[:16]
    print(f"claims stage {spent:.2f} s CPU; {len(corpus.claims):,} claims; result digest {digest}")
    if COMPONENTS:
        hits, misses = COMPONENTS[-1]
        print(f"clustering components reused {hits:,}, computed {misses:,}")
    if EDGES:
        read, affected, scored, kept = EDGES[-1]
        print(
            f"clustering graph: stored state {'read' if read else 'not read'}; lexical neighbours computed for "
            f"{affected:,} items; {scored:,} candidate pairs scored; {kept:,} stored edges kept"
        )
    if ACTORS:
        hits, misses, written = ACTORS[-1]
        print(f"actor values reused {hits:,}, computed {misses:,}; document entries written {written:,}")
    if ROWS:
        print(f"attachment: {ROWS[-1][1]:,} candidate rows for {ROWS[-1][0]:,} statements to attach")
    if passes:
        print("passes (CPU s): " + ", ".join(f"{name} {value:.2f}" for name, value in passes.items()))


def _without(corpus: Any, k: int) -> Any:
    """``corpus`` without ``k`` documents (the smallest SHA-256 of their id): their statements, the sources
    and entities found in them only, and the aliases they gave (as a run before they were added saw it)."""
    from claimgraph.model import Corpus

    held = {
        doc_id
        for _h, doc_id in sorted((hashlib.sha256(d.id.encode()).hexdigest(), d.id) for d in corpus.documents)[
            :k
        ]
    }

    def kept(document_ids: list[str]) -> bool:
        return not document_ids or not set(document_ids) <= held

    entities = []
    for entity in corpus.entities:
        if kept(entity.document_ids):
            entity.aliases = [a for a in entity.aliases if a.document_id not in held]
            entities.append(entity)
    known = {e.id for e in entities}
    statements = [s for s in corpus.statements if s.document_id not in held]
    for st in statements:
        st.entity_ids = [e for e in st.entity_ids if e in known]
    return Corpus(
        documents=[d for d in corpus.documents if d.id not in held],
        entities=entities,
        sources=[s for s in corpus.sources if kept(s.document_ids)],
        statements=statements,
    )


#: ``--fine``: helpers called inside the passes, by module (their time is also in their pass's).
FINE = {
    "stage": [
        "_attach_index",
        "_candidate_claims",
        "_best_similarities",
        "_choose_claim",
        "_propose_attachments",
        "_Reach.able",
        "assign_stances",
        "first_actors",
        "_item_keys",
        "_item_values",
        "_entity_tokens",
        "cluster",
        "_make_claim",
    ],
    "actormemo": ["ActorMemo.load", "ActorMemo.reused", "ActorMemo.save"],
    "embeddings": ["EmbeddingMatcher.fit", "VectorMemo.load", "VectorMemo.save"],
    "encoder": ["load_onnx_encoder", "OnnxMiniLM.encode"],
    "tfidf": ["TfidfMatcher.fit"],
    "matching": ["_merge_pairs", "ComponentMemo.reuse"],
    "edgememo": ["EdgeMemo.edges", "EdgeMemo.save"],
    "allegations": [
        "group_facts",
        "candidate_buckets",
        "merge_parts",
        "merge_parts_batched",
        "closest_pairs",
        "allegation_cores",
        "attach_lone_sentences",
    ],
    "textfacts": ["StoredTextFacts.__init__", "StoredTextFacts.save"],
    "stance": ["speaker_context", "AccusedTest._test"],
    "attach_rules": ["OriginAccounts.get"],
    "attach_bounds": ["similarity_bounds", "reachable_claims"],
}


COMPONENTS: list[tuple[int, int]] = []
EDGES: list[tuple[bool, int, int, int]] = []


ROWS: list[tuple[int, int]] = []


def _count_attachment_rows() -> None:
    """``--fine``: the attachment pass's candidate rows (members, rows), read where their similarities are asked."""
    from claimgraph.claims import stage

    similarities = stage._Requests.similarities

    def counting(self: stage._Requests, *args: Any, **kwargs: Any) -> Any:
        ROWS.append((self.members, len(self.claims)))
        return similarities(self, *args, **kwargs)

    stage._Requests.similarities = counting  # type: ignore[method-assign]


ACTORS: list[tuple[int, int, int]] = []


def _count_actor_values() -> None:
    """The actor memo's items reused and computed, and its document entries written (code that has it)."""
    try:
        from claimgraph.claims import actormemo
    except ImportError:
        return
    save = actormemo.ActorMemo.save

    def counting(self: Any, *args: Any, **kwargs: Any) -> None:
        save(self, *args, **kwargs)
        ACTORS.append((self.hits, self.misses, self.written))

    actormemo.ActorMemo.save = counting  # type: ignore[method-assign]


def _count_edges() -> None:
    from claimgraph.claims import edgememo

    save = edgememo.EdgeMemo.save

    def counting(self: edgememo.EdgeMemo) -> None:
        EDGES.append((self.read, self.affected, self.scored, self.kept))
        save(self)

    edgememo.EdgeMemo.save = counting  # type: ignore[method-assign]


def _count_components() -> None:
    from claimgraph.claims import matching

    save = matching.ComponentMemo.save

    def counting(self: matching.ComponentMemo) -> None:
        COMPONENTS.append((self.hits, self.misses))
        save(self)

    matching.ComponentMemo.save = counting  # type: ignore[method-assign]


def _time_passes(passes: dict[str, float], fine: bool = False) -> None:
    """Wrap the named passes of ``build_claims`` so that each one's CPU seconds add up in ``passes``."""
    import importlib

    from claimgraph.claims import stage as claims_stage_module

    names = ["_prepare", "_match", "_allegations", "_lone_titles", "_attach", "_accused_denials", "_attached_stances",
             "_origin_keeps_its_claim", "_write_back"]  # fmt: skip
    # a pass the code under test does not have (an older version) is left out
    targets = [(claims_stage_module, name) for name in names if hasattr(claims_stage_module, name)]
    if fine:
        for module_name, helpers in FINE.items():
            try:
                module = importlib.import_module(f"claimgraph.claims.{module_name}")
            except ImportError:  # a helper of another code version (base vs new)
                continue
            for name in helpers:  # "Class.method": a method of one of the module's classes
                owner, _, attribute = name.rpartition(".")
                if not owner or hasattr(module, owner):
                    target = getattr(module, owner) if owner else module
                    if hasattr(target, attribute):
                        targets.append((target, name))
    for module, name in targets:
        original = getattr(module, name.rpartition(".")[2])

        def timed(*args: object, _original: object = original, _name: str = name, **kwargs: object) -> object:
            start = time.process_time()
            try:
                return _original(*args, **kwargs)  # type: ignore[operator]
            finally:
                passes[_name] = passes.get(_name, 0.0) + time.process_time() - start

        setattr(module, name.rpartition(".")[2], timed)


if __name__ == "__main__":
    main()
