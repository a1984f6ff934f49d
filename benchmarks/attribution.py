"""Benchmark: who said what on real, annotated news (PolNeAR train/dev), scored by the official scorer.

Reads the articles of one PolNeAR split from ``$CLAIMGRAPH_POLNEAR_DIR`` (default
``<repo>/../shared/data/polnear``), ingests them as ``claimgraph analyze`` does, runs the attribution stage
(library API; no claims, no exports), writes the statements, sources, entities and documents to a
``claimgraph.json``-shaped file and prints the figures of ``tools/polnear_score.py`` (the scorer shipped
next to the data, ``$CLAIMGRAPH_POLNEAR_DIR/../../tools``): statement precision and recall, speaker right,
and the F1 of statement and speaker both right.

    python benchmarks/attribution.py --split dev [--limit N] [--offset N] [--misses FILE]

``--misses FILE`` also writes every gold speech attribution that no statement matched (article, cue,
source, content) and every predicted statement that matched none, for error analysis on the train split.
The PolNeAR test split is never read here.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import io
import json
import os
import sys
import tempfile
import time
from contextlib import redirect_stdout
from pathlib import Path
from types import ModuleType
from typing import Any

REPO = Path(__file__).resolve().parents[1]


def polnear_dir() -> Path:
    return Path(os.environ.get("CLAIMGRAPH_POLNEAR_DIR", REPO.parent / "shared" / "data" / "polnear"))


def load_scorer() -> ModuleType:
    candidates = [
        polnear_dir().parent.parent / "tools" / "polnear_score.py",
        REPO.parent / "shared" / "tools" / "polnear_score.py",
    ]
    for path in candidates:
        if path.exists():
            spec = importlib.util.spec_from_file_location("polnear_score", path)
            assert spec is not None and spec.loader is not None
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            return module
    raise SystemExit(f"polnear_score.py not found (looked in {', '.join(str(c) for c in candidates)})")


def run(
    split: str, limit: int | None, model: str | None, offset: int = 0
) -> tuple[dict[str, Any], Path, float]:
    from claimgraph.attribution import attribute
    from claimgraph.ingest import iter_documents
    from claimgraph.model import Corpus, Document
    from claimgraph.options import Options

    split_dir = polnear_dir() / split
    if split not in ("train", "dev"):
        raise SystemExit("only the train and dev splits may be used")
    files = sorted((split_dir / "text").glob("*.txt"))
    files = files[offset:]
    if limit:
        files = files[:limit]
    # no wall-clock reading budget: on a loaded machine it could drop an article and its gold from the score
    options = Options(spacy_model=model, progress=False, ingest_seconds=0)
    docs = [d for d in iter_documents([str(f) for f in files], options) if isinstance(d, Document)]
    corpus = Corpus(documents=docs)
    t0 = time.process_time()
    attribute(corpus, options)
    cpu = time.process_time() - t0
    data = {
        "documents": [{"id": d.id, "path": d.path} for d in corpus.documents],
        "statements": [dataclasses.asdict(s) for s in corpus.statements],
        "sources": [dataclasses.asdict(s) for s in corpus.sources],
        "entities": [{"id": e.id, "name": e.name, "type": e.type} for e in corpus.entities],
    }
    return data, split_dir, cpu


def write_misses(scorer: ModuleType, split_dir: Path, data: dict[str, Any], path: Path) -> None:
    """Gold speech attributions no statement matched, and statements that matched no attribution."""
    doc_of = {d["id"]: Path(d["path"]).stem for d in data["documents"]}
    sources = {s["id"]: s for s in data["sources"]}
    preds: dict[str, list[dict[str, Any]]] = {}
    for st in data["statements"]:
        if st["mode"] in ("direct", "indirect"):
            preds.setdefault(doc_of[st["document_id"]], []).append(st)
    lines: list[str] = []
    for stem in sorted(set(doc_of.values())):
        ann = split_dir / "ann" / f"{stem}.ann"
        raw = (split_dir / "text" / f"{stem}.txt").read_text(encoding="utf-8")
        nraw = scorer.norm_map(raw)
        gold_all = scorer.read_ann(ann)
        gold = [
            g
            for g in gold_all
            if scorer.SPEECH.search(" ".join(raw[a:b] for a, b in g["cue"]))
            or any(q in raw[g["content"][0] : g["content"][1]] for q in scorer.QUOTES)
        ]
        spans = [(st, scorer.locate(raw, nraw, st["text"])) for st in preds.get(stem, [])]

        def overlaps(sp: tuple[int, int] | None, g: dict[str, Any]) -> bool:
            if sp is None:
                return False
            a, b = g["content"]
            inter = min(b, sp[1]) - max(a, sp[0])
            return inter > 0 and inter >= 0.5 * min(b - a, sp[1] - sp[0])

        for g in gold:
            match = [st for st, sp in spans if overlaps(sp, g)]
            src = " ".join(raw[a:b] for a, b in g["source"])
            cue = " ".join(raw[a:b] for a, b in g["cue"])
            content = raw[g["content"][0] : g["content"][1]]
            if not match:
                lines.append(f"MISS\t{stem}\tcue={cue!r}\tsrc={src!r}\t{content[:300]!r}")
            else:
                said = " ".join(
                    str(x or "")
                    for st in match
                    for x in (st.get("speaker_text"), sources.get(st["source_id"], {}).get("label"))
                )
                if (
                    scorer.words(src)
                    and src.lower() not in scorer.PRONOUNS
                    and not (scorer.words(src) & scorer.words(said))
                ):
                    lines.append(f"SPEAKER\t{stem}\tgold={src!r}\tgot={said!r}\t{content[:200]!r}")
        for st, sp in spans:
            if not any(overlaps(sp, g) for g in gold_all):
                lines.append(
                    f"EXTRA\t{stem}\tcue={st.get('cue')!r}\tspk={st.get('speaker_text')!r}\t{st['text'][:300]!r}"
                )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("dev", "train"), default="dev")
    parser.add_argument(
        "--limit", type=int, default=None, help="only the first N articles (sorted by file name)"
    )
    parser.add_argument(
        "--offset", type=int, default=0, help="skip the first N articles (another train slice)"
    )
    parser.add_argument("--model", default=None, help="spaCy model (default: claimgraph's default)")
    parser.add_argument("--misses", type=Path, default=None, help="write unmatched gold and predictions here")
    args = parser.parse_args()
    if not (polnear_dir() / args.split).is_dir():
        raise SystemExit(
            f"PolNeAR {args.split} split not found: set CLAIMGRAPH_POLNEAR_DIR (now {polnear_dir()})"
        )
    scorer = load_scorer()
    data, split_dir, cpu = run(args.split, args.limit, args.model, args.offset)
    print(f"PolNeAR {args.split}: {len(data['documents'])} articles, attribution stage {cpu:.1f} s CPU")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "claimgraph.json"
        out.write_text(json.dumps(data), encoding="utf-8")
        buf = io.StringIO()
        with redirect_stdout(buf):
            scorer.score(str(split_dir), str(out))
        text = buf.getvalue()
    if args.limit or args.offset:
        # the scorer reads every article of the split; with --limit only the analysed ones count
        text = _rescore_limited(scorer, split_dir, data)
    print(text, end="")
    if args.misses is not None:
        write_misses(scorer, split_dir, data, args.misses)
        print(f"misses written to {args.misses}")


def _rescore_limited(scorer: ModuleType, split_dir: Path, data: dict[str, Any]) -> str:
    stems = {Path(d["path"]).stem for d in data["documents"]}
    with tempfile.TemporaryDirectory() as tmp:
        sub = Path(tmp) / "split"
        (sub / "ann").mkdir(parents=True)
        (sub / "text").mkdir()
        for stem in stems:
            (sub / "ann" / f"{stem}.ann").symlink_to(split_dir / "ann" / f"{stem}.ann")
            (sub / "text" / f"{stem}.txt").symlink_to(split_dir / "text" / f"{stem}.txt")
        out = Path(tmp) / "claimgraph.json"
        out.write_text(json.dumps(data), encoding="utf-8")
        buf = io.StringIO()
        with redirect_stdout(buf):
            scorer.score(str(sub), str(out))
    return buf.getvalue()


if __name__ == "__main__":
    sys.exit(main())
