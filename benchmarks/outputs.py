"""Output speed on a stored real analysis: ``write_outputs`` alone, per format, first write / rewrite / increment.

    python benchmarks/outputs.py --workspace /tmp/cg-ws/n1000.pristine/out --increment /tmp/cg-ws/n1000/out

``--workspace`` is an ``analyze`` output folder (its ``claimgraph.db`` holds the analysis), e.g. the 1,000-document
run that ``benchmarks/end_to_end.py -n 1000 --incremental-only --workspace DIR`` keeps in ``DIR/n1000.pristine/out``;
``--increment`` a later analysis of the same workspace with documents added (``DIR/n1000/out`` after that
benchmark). Each round, in a fresh temporary folder:

- ``first``: every format written into the empty folder (what ``analyze`` does on a new workspace);
- ``rewrite``: the same analysis written again over it;
- ``increment``: the ``--increment`` analysis written over the first one's files (what the +K rerun does);
- ``--check``: the increment's files compared byte for byte with a fresh export of that analysis.

Prints CPU seconds (``time.process_time``) per format and phase, rounds side by side, and the share of the
analysis CPU recorded by ``end_to_end.py`` (``full.json`` beside the workspace) when it is there. The machine
may be shared: CPU figures, compared within one run. ``--profile FILE`` writes a cProfile (CPU clock) of the
first round's ``first`` phase (or of ``--profile-phase``).
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

PHASES = ("first", "rewrite", "increment")


def load(folder: Path) -> Any:
    from claimgraph.store import Store

    with Store.open(str(folder / "claimgraph.db"), create=False, readonly=True) as store:
        return store.load_corpus()


def analysis_cpu(folder: Path) -> float | None:
    """The analyze CPU that ``end_to_end.py`` recorded for this workspace (``full.json`` one level up)."""
    meta = folder.parent / "full.json"
    if not meta.is_file():
        return None
    value = json.loads(meta.read_text()).get("cpu", {}).get("analyze")
    return float(value) if value else None


def timed_formats(
    corpus: Any, out: Path, options: Any, formats: list[str], profiler: Any = None
) -> dict[str, float]:
    from claimgraph.outputs import write_outputs

    times = {}
    for fmt in formats:
        c0 = time.process_time()
        if profiler is not None:
            profiler.enable()
        write_outputs(corpus, out, options, formats=[fmt])
        if profiler is not None:
            profiler.disable()
        times[fmt] = time.process_time() - c0
    return times


def same_files(a: Path, b: Path) -> list[str]:
    """Names of the output files that differ between folders ``a`` and ``b`` (hidden files are caches)."""
    names = sorted({p.name for p in a.iterdir() if p.is_file() and not p.name.startswith(".")})
    names = [n for n in names if not n.endswith(".db") and "claimgraph.db" not in n]
    other = {p.name for p in b.iterdir() if p.is_file() and not p.name.startswith(".")}
    return [n for n in names if n not in other or not filecmp.cmp(a / n, b / n, shallow=False)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--workspace", required=True, help="analyze output folder holding claimgraph.db")
    parser.add_argument("--increment", help="a later analysis of that workspace (documents added)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--formats", nargs="+", default=["json", "stix", "graphml", "csv", "html"])
    parser.add_argument(
        "--check", action="store_true", help="compare the increment's files with a fresh export"
    )
    parser.add_argument("--profile", metavar="FILE", help="cProfile (CPU) of one phase of the first round")
    parser.add_argument("--profile-phase", choices=PHASES, default="first")
    args = parser.parse_args(argv)

    from claimgraph.options import Options

    workspace = Path(args.workspace)
    c0 = time.process_time()
    full = load(workspace)
    inc = load(Path(args.increment)) if args.increment else None
    print(
        f"loaded {len(full.documents):,} documents"
        + (f" and the increment's {len(inc.documents):,}" if inc is not None else "")
        + f" in {time.process_time() - c0:.1f} s CPU; load average {'{:.2f} {:.2f} {:.2f}'.format(*os.getloadavg())}"
    )
    options = Options(progress=False, frozen_time="2024-06-01T00:00:00Z")  # the report stamps the time
    phases = [p for p in PHASES if p != "increment" or inc is not None]
    results: dict[str, list[dict[str, float]]] = {p: [] for p in phases}
    profiler: Any = None
    ok = True
    for rnd in range(args.rounds):
        with tempfile.TemporaryDirectory(prefix="cg-outputs-") as tmp:
            out = Path(tmp) / "out"
            for phase in phases:
                corpus = inc if phase == "increment" else full
                prof = None
                if args.profile and rnd == 0 and phase == args.profile_phase:
                    import cProfile

                    profiler = prof = cProfile.Profile(time.process_time)
                results[phase].append(timed_formats(corpus, out, options, args.formats, prof))
            if args.check and inc is not None:
                fresh = Path(tmp) / "fresh"
                timed_formats(inc, fresh, options, args.formats)
                differ = same_files(out, fresh)
                print(f"round {rnd + 1}: increment vs fresh export: {differ or 'identical'}")
                ok = ok and not differ
    share = analysis_cpu(workspace)
    print(f"\nCPU s per format ({args.rounds} rounds: first / second ...)")
    header = f"{'phase':10s}" + "".join(f"{f:>14s}" for f in args.formats) + f"{'total':>16s}"
    print(header)
    for phase in phases:
        cells = []
        for fmt in args.formats:
            cells.append(" / ".join(f"{r[fmt]:.2f}" for r in results[phase]))
        totals = [sum(r.values()) for r in results[phase]]
        line = (
            f"{phase:10s}"
            + "".join(f"{c:>14s}" for c in cells)
            + f"{' / '.join(f'{t:.2f}' for t in totals):>16s}"
        )
        if share:
            line += "   = " + " / ".join(f"{100 * t / share:.1f}%" for t in totals)
        print(line)
    if share:
        print(
            f"(share of the full run's analyze CPU, {share:.1f} s, recorded in {workspace.parent / 'full.json'})"
        )
    if profiler is not None:
        profiler.dump_stats(args.profile)
        print(f"profile of round 1 '{args.profile_phase}' in {args.profile}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
