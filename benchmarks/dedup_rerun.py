"""CPU of the de-duplication an incremental run does, on a stored workspace (issue 12 §4).

Loads the documents of a workspace store (for example the +10-of-10,000 store that ``benchmarks/end_to_end.py
--incremental-only --workspace DIR`` leaves in ``DIR/n10000/out/claimgraph.db``) and times, with
``time.process_time``, what ``pipeline._mark_duplicates`` does when the documents changed (the check that skips it
on an unchanged workspace left out): every document's cached MinHash signature read (``Store.get_annotations``),
``ingest.mark_duplicates`` and the signatures it hands back written (``Store.put_annotations``). The collector as a
run has it (``gcpolicy.RUN_THRESHOLDS``, the loaded documents frozen). Prints each part's CPU, the signatures
written and a digest of the duplicates found: two code versions agree when their digests do.

A signature cached in an older form is handed back in the current one and written, so the first round on a store
made by an older version writes every signature once (``--rounds 2``: the second round is what a later increment
costs). The store is written: work on a copy.

    cp DIR/n10000/out/claimgraph.db /tmp/dedup.db
    python benchmarks/dedup_rerun.py /tmp/dedup.db [--rounds 2]
    PYTHONPATH=/tmp/old/src python benchmarks/dedup_rerun.py /tmp/dedup.db   # another version, interleaved
"""

from __future__ import annotations

import argparse
import hashlib
import json
import time
from typing import Any


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("db", help="a copy of a workspace store (written)")
    parser.add_argument("--rounds", type=int, default=1, help="time it N times in this process (default 1)")
    args = parser.parse_args()

    import gc

    from claimgraph.gcpolicy import RUN_THRESHOLDS
    from claimgraph.ingest import mark_duplicates
    from claimgraph.ingest.deduplication import lsh_bands, signature_key
    from claimgraph.options import Options
    from claimgraph.store import Store

    store = Store.open(args.db)
    documents = store.documents()
    options = Options(progress=False)
    lsh_bands(options.duplicate_threshold, options.minhash_perm)  # (imports scipy once: not the run's cost)
    gc.set_threshold(*RUN_THRESHOLDS)
    gc.collect()
    gc.freeze()
    for round_ in range(max(1, args.rounds)):
        start = time.process_time()
        keys = {doc.id: signature_key(doc, options) for doc in documents}
        signatures = store.get_annotations(keys)
        read = time.process_time()
        new: list[tuple[str, str, dict[str, Any]]] = []

        def handed_back(
            doc: Any, data: dict[str, Any], new: list[Any] = new, keys: dict[str, str] = keys
        ) -> None:
            new.append((doc.id, keys[doc.id], data))

        duplicates = mark_duplicates(documents, options, signatures=signatures, on_signature=handed_back)
        marked = time.process_time()
        store.put_annotations(new)
        end = time.process_time()
        digest = hashlib.sha256(json.dumps(sorted(duplicates.items())).encode("utf-8")).hexdigest()[:16]
        print(
            f"round {round_ + 1}: {len(documents):,} documents; dedup {end - start:.3f} s CPU (read "
            f"{read - start:.3f}, mark {marked - read:.3f}, write {end - marked:.3f}); signatures written "
            f"{len(new):,}; duplicates {sum(v is not None for v in duplicates.values())}, digest {digest}"
        )


if __name__ == "__main__":
    main()
