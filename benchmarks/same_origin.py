"""How often one speaker's statements in one article are joined into one claim, on PolNeAR dev.

Issue 10 §4: sentences of one origin join only when they state the same proposition (the matcher's
score), never by sharing a speaker and a topic word. PolNeAR dev (``$CLAIMGRAPH_POLNEAR_DIR/dev``)
gives real same-speaker pairs: the contents of two attributions of one named source (same last word
of the source span, pronouns left out) in one article. Most such pairs state different propositions,
so a join criterion should join few of them; ``--show N`` prints N random joined pairs of each rule
to read (seeded, deterministic).

Rules compared, with :func:`claimgraph.claims.allegations.parts_join` on each pair as two claim parts
of one origin in one document: ``topic word`` (the former rule A: a shared topic word and no
conflicting actors) and ``matcher score`` (rule A now: the same, plus the matcher's score at
``ALLEGATION_FACTOR x claim threshold``). Entities are approximated by capitalised words of the
content (after its first word), topic words by its content tokens minus those words.

    python benchmarks/same_origin.py [--show 15]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from collections import defaultdict
from pathlib import Path

PRONOUNS = {"he", "she", "they", "it", "i", "we", "you", "his", "her", "their"}


def polnear_dir() -> Path:
    default = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "polnear"
    return Path(os.environ.get("CLAIMGRAPH_POLNEAR_DIR", default))


def read_contents(split: Path) -> list[tuple[str, str, str]]:
    """(article, source key, content) of every attribution with a named source and 4+ content words."""
    out: list[tuple[str, str, str]] = []
    for ann in sorted((split / "ann").glob("*.ann")):
        spans: dict[str, str] = {}
        relations: list[dict[str, str]] = []
        for line in ann.read_text(encoding="utf-8").splitlines():
            if line.startswith("T"):
                tid, _label, surface = line.split("\t")
                spans[tid] = surface
            elif line.startswith("E"):
                relations.append(dict(p.split(":") for p in line.split("\t")[1].split()))
        for rel in relations:
            if "Source" not in rel or "Content" not in rel:
                continue
            words = spans[rel["Source"]].split()
            content = spans[rel["Content"]].strip()
            if (
                words
                and words[-1].lower() not in PRONOUNS
                and words[-1][:1].isupper()
                and len(content.split()) >= 4
            ):
                out.append((ann.stem, words[-1].lower(), content))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--show", type=int, default=0, help="print this many random joined pairs per rule")
    args = parser.parse_args()
    split = polnear_dir() / "dev"
    if not (split / "ann").is_dir():
        print(f"PolNeAR dev not found at {split}: set CLAIMGRAPH_POLNEAR_DIR", file=sys.stderr)
        return 2

    from claimgraph.claims.allegations import ALLEGATION_FACTOR, GroupFacts, closeness, parts_join
    from claimgraph.claims.matching import MatchItem
    from claimgraph.claims.text import content_tokens
    from claimgraph.claims.tfidf import TfidfMatcher
    from claimgraph.model import Statement
    from claimgraph.options import Options

    rows = read_contents(split)
    statements, facts = [], []
    for k, (article, key, content) in enumerate(rows):
        caps = {w.strip(".,;:’'\"“”()").lower() for w in content.split()[1:] if w[:1].isupper()}
        st = Statement(id=f"s{k}", document_id=article, source_id=key, text=content, cue=None, mode="indirect",
                       certainty="asserted", certainty_cues=[], start=0, end=len(content))  # fmt: skip
        statements.append(st)
        topics = set(content_tokens(content)) - set(content_tokens(" ".join(caps)))
        facts.append(GroupFacts([st], {article}, {key}, caps, False, frozenset(), False, _topics=topics))
    matcher = TfidfMatcher()
    matcher.fit(
        [MatchItem(s.text, frozenset(f.ents), summary=False) for s, f in zip(statements, facts, strict=True)]
    )
    closest = closeness(matcher, {s.id: k for k, s in enumerate(statements)})
    minimum = ALLEGATION_FACTOR * Options().claim_threshold

    by_speaker: dict[tuple[str, str], list[int]] = defaultdict(list)
    for k, (article, key, _content) in enumerate(rows):
        by_speaker[(article, key)].append(k)
    pairs = [(a, b) for ks in by_speaker.values() for x, a in enumerate(ks) for b in ks[x + 1 :]]

    def topic_of(st: Statement) -> set[str]:
        return facts[int(st.id[1:])].topics(lambda s: set())

    rules = {
        "topic word (former rule A)": lambda f, g: parts_join(f, g, topic_of, lambda a, b: 1.0, minimum),
        "matcher score (rule A now)": lambda f, g: parts_join(f, g, topic_of, closest, minimum),
    }
    print(f"PolNeAR dev: {len(rows)} contents of named sources, {len(pairs)} same-speaker pairs "
          f"in {len(by_speaker)} (article, speaker) groups; minimum score {minimum:.2f}")  # fmt: skip
    joined: dict[str, list[tuple[int, int]]] = {}
    for name, rule in rules.items():
        joined[name] = [(a, b) for a, b in pairs if rule(facts[a], facts[b])]
        share = len(joined[name]) / max(len(pairs), 1)
        print(f"  {name:28s} joins {len(joined[name]):5d} pairs ({share:.1%})")
    if args.show:
        rng = random.Random(0)
        now = set(joined["matcher score (rule A now)"])
        only_old = [p for p in joined["topic word (former rule A)"] if p not in now]
        for title, chosen in (
            ("joined by the matcher score", sorted(now)),
            ("joined only by a topic word", only_old),
        ):
            print(f"\n== {title}")
            for a, b in rng.sample(chosen, min(args.show, len(chosen))):
                print(f"-- {rows[a][0]} / {rows[a][1]}\n   A: {rows[a][2][:150]}\n   B: {rows[b][2][:150]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
