"""FNC-1 data: loading, the label mapping, the split by headline, and the challenge's scorer.

The data is read from ``$CLAIMGRAPH_FNC1_DIR`` or ``<repo root>/../shared/data/fnc1``; it is never
copied into the repository.
"""

from __future__ import annotations

import csv
import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError, Errors

__all__ = [
    "FNC_TO_STANCE",
    "LABELS",
    "Example",
    "Score",
    "default_data_dir",
    "load_fnc1",
    "score",
    "split_by_body",
    "split_by_claim",
    "split_by_headline",
    "split_examples",
]

#: The model's classes, in probability-column order.
LABELS: tuple[str, ...] = ("supports", "disputes", "discusses", "unrelated")
FNC_TO_STANCE: dict[str, str] = {
    "agree": "supports",
    "disagree": "disputes",
    "discuss": "discusses",
    "unrelated": "unrelated",
}
HELD_OUT_FRACTION = 0.2
SPLIT_SEED = "claimgraph-fnc1-v1"


@dataclass(frozen=True)
class Example:
    headline: str
    body_id: str
    body: str
    stance: str  # claimgraph label


def default_data_dir() -> Path:
    """``$CLAIMGRAPH_FNC1_DIR`` or ``<repo root>/../shared/data/fnc1``."""
    env = os.environ.get("CLAIMGRAPH_FNC1_DIR")
    if env:
        return Path(env)
    repo_root = Path(__file__).resolve().parents[3]
    return repo_root.parent / "shared" / "data" / "fnc1"


def _read_csv(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        raise ConfigError(Errors.E105.format(path=path, reason="file not found; set CLAIMGRAPH_FNC1_DIR"))
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def load_fnc1(data_dir: Path | None = None) -> list[Example]:
    """All labelled (headline, body) pairs of the FNC-1 training split, in file order."""
    data_dir = data_dir or default_data_dir()
    bodies = {row["Body ID"]: row["articleBody"] for row in _read_csv(data_dir / "train_bodies.csv")}
    out = []
    for row in _read_csv(data_dir / "train_stances.csv"):
        out.append(
            Example(
                headline=row["Headline"],
                body_id=row["Body ID"],
                body=bodies[row["Body ID"]],
                stance=FNC_TO_STANCE[row["Stance"]],
            )
        )
    return out


def _bucket(headline: str, salt: str) -> float:
    digest = hashlib.sha256(f"{salt}\x00{headline}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def split_by_headline(
    examples: Sequence[Example], fraction: float = HELD_OUT_FRACTION, salt: str = SPLIT_SEED
) -> tuple[list[Example], list[Example]]:
    """(kept, held_out): a headline's pairs all go to one side (hash of the headline, fixed salt)."""
    kept: list[Example] = []
    held: list[Example] = []
    for ex in examples:
        (held if _bucket(ex.headline, salt) < fraction else kept).append(ex)
    return kept, held


def split_by_body(
    examples: Sequence[Example], fraction: float = HELD_OUT_FRACTION, salt: str = SPLIT_SEED
) -> tuple[list[Example], list[Example]]:
    """(kept, held_out) with no *body* on both sides: a harder check, closer to the competition test set."""
    kept: list[Example] = []
    held: list[Example] = []
    for ex in examples:
        (held if _bucket(f"body:{ex.body_id}", salt) < fraction else kept).append(ex)
    return kept, held


def claim_components(examples: Sequence[Example]) -> dict[str, str]:
    """Map ``"h:<headline>"`` / ``"b:<body id>"`` to the key of its claim: connected components of related pairs.

    Every FNC-1 headline and body belongs to one real-world claim; a related pair (supports, disputes,
    discusses) joins a headline and a body of the same claim. A component's key is its smallest member key.
    """
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        root = parent.setdefault(key, key)
        while root != parent[root]:
            root = parent[root]
        while parent[key] != root:
            parent[key], key = root, parent[key]
        return root

    for ex in examples:
        a, b = find(f"h:{ex.headline}"), find(f"b:{ex.body_id}")
        if ex.stance != "unrelated" and a != b:
            parent[max(a, b)] = min(a, b)
    return {key: find(key) for key in list(parent)}


def split_by_claim(
    examples: Sequence[Example], fraction: float = HELD_OUT_FRACTION, salt: str = SPLIT_SEED
) -> tuple[list[Example], list[Example]]:
    """(kept, held_out) with no body *and* no headline on both sides: whole claims are held out.

    Claims are the connected components of related pairs (:func:`claim_components`); a claim is held out by
    a salted hash of its key. Unrelated pairs joining a kept and a held-out claim are dropped (about a third of
    the unrelated pairs), so neither side sees the other's texts. Closest to the competition test set, which
    has new headlines and new bodies.
    """
    comp = claim_components(examples)
    kept: list[Example] = []
    held: list[Example] = []
    for ex in examples:
        h_out = _bucket(f"claim:{comp[f'h:{ex.headline}']}", salt) < fraction
        b_out = _bucket(f"claim:{comp[f'b:{ex.body_id}']}", salt) < fraction
        if h_out and b_out:
            held.append(ex)
        elif not h_out and not b_out:
            kept.append(ex)
    return kept, held


#: The splits by name: ``claim`` (unseen bodies and headlines, the primary dev figure), ``body`` (unseen
#: bodies, headlines shared) and ``headline`` (unseen headlines, bodies shared).
SPLITS = {"claim": split_by_claim, "body": split_by_body, "headline": split_by_headline}


def split_examples(examples: Sequence[Example], split: str = "claim") -> tuple[list[Example], list[Example]]:
    """(kept, held_out) by the split named ``split`` (see :data:`SPLITS`)."""
    try:
        fn = SPLITS[split]
    except KeyError:
        raise ValueError(f"split must be one of {sorted(SPLITS)}, not {split!r}") from None
    return fn(examples)


@dataclass(frozen=True)
class Score:
    relative: float  # FNC-1 relative score in percent
    accuracy: float
    macro_f1: float
    f1: dict[str, float]
    confusion: list[list[int]]  # rows gold, columns predicted, in LABELS order

    def to_dict(self) -> dict[str, object]:
        return {
            "relative_score": round(self.relative, 2),
            "accuracy": round(self.accuracy, 4),
            "macro_f1": round(self.macro_f1, 4),
            "f1": {k: round(v, 4) for k, v in self.f1.items()},
            "labels": list(LABELS),
            "confusion": self.confusion,
        }

    def table(self) -> str:
        lines = [
            f"FNC-1 relative score: {self.relative:.2f}   accuracy: {self.accuracy:.4f}   macro-F1: {self.macro_f1:.4f}",
            "per-class F1: " + ", ".join(f"{k} {v:.4f}" for k, v in self.f1.items()),
            "confusion (rows gold, columns predicted):",
            " " * 12 + "".join(f"{lab:>11}" for lab in LABELS),
        ]
        for lab, row in zip(LABELS, self.confusion, strict=True):
            lines.append(f"{lab:>12}" + "".join(f"{v:>11}" for v in row))
        return "\n".join(lines)


def score(gold: Sequence[str], predicted: Sequence[str]) -> Score:
    """The FNC-1 weighted relative score, accuracy, per-class and macro F1, confusion matrix."""
    if len(gold) != len(predicted):
        raise ValueError("gold and predicted differ in length")
    index = {lab: i for i, lab in enumerate(LABELS)}
    conf = [[0] * len(LABELS) for _ in LABELS]
    total = best = 0.0
    for g, p in zip(gold, predicted, strict=True):
        conf[index[g]][index[p]] += 1
        if g == p:
            total += 0.25
            if g != "unrelated":
                total += 0.50
        if g != "unrelated" and p != "unrelated":
            total += 0.25
        best += 0.25 if g == "unrelated" else 1.0
    f1: dict[str, float] = {}
    for i, lab in enumerate(LABELS):
        tp = conf[i][i]
        fp = sum(conf[r][i] for r in range(len(LABELS))) - tp
        fn = sum(conf[i]) - tp
        f1[lab] = 0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn)
    n = max(len(gold), 1)
    return Score(
        relative=100.0 * total / best if best else 0.0,
        accuracy=sum(conf[i][i] for i in range(len(LABELS))) / n,
        macro_f1=sum(f1.values()) / len(LABELS),
        f1=f1,
        confusion=conf,
    )
