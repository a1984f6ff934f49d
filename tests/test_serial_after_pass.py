"""What runs after the spaCy pass: no spaCy import when every annotation is cached, and the statements'
entity names split over forked workers giving the one-process answers (``attribution.stage``)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from claimgraph import analyze
from claimgraph.data import sample_corpus_path
from claimgraph.options import Options

_RERUN = """
import json, sys
from claimgraph import analyze
from claimgraph.options import Options
result = analyze([sys.argv[1]], sys.argv[2], options=Options(progress=False, formats=(), min_grade="C3"))
heavy = sorted(m for m in ("spacy", "thinc", "torch") if m in sys.modules)
print(json.dumps({"added": result.added, "statements": len(result.corpus.statements), "imported": heavy}))
"""


def test_a_rerun_with_every_annotation_cached_never_imports_spacy(tmp_path: Path) -> None:
    sample = sample_corpus_path()
    first = analyze([sample], tmp_path / "ws", options=Options(progress=False, formats=()))
    assert first.corpus.statements
    # another grade filter: the analysis is made again, from the cached annotations only
    done = subprocess.run(
        [sys.executable, "-c", _RERUN, str(sample), str(tmp_path / "ws")],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["added"] == 0 and report["statements"] == len(first.corpus.statements)
    assert report["imported"] == []


def test_spacys_version_and_the_default_model_are_read_without_importing_spacy() -> None:
    import spacy

    from claimgraph.attribution import nlp, stage

    assert stage._spacy_version() == spacy.__version__
    assert nlp.default_model_name() == next(
        (name for name in nlp.DEFAULT_MODELS if spacy.util.is_package(name)), nlp.DEFAULT_MODELS[-1]
    )


def test_entities_of_spans_split_or_not_gives_the_same_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    from claimgraph.attribution import stage
    from claimgraph.parallel import RUNS

    spans = [(f"doc{i % 7}", "text", i, i + 5 + i % 3) for i in range(40)]

    def entities_in(doc_id: str, part: str, start: int, end: int) -> list[str]:
        return sorted({f"ent-{doc_id}-{start % 4}", f"ent-{end % 3}"})

    alone = stage._entities_of_spans(spans, entities_in, 1)
    assert RUNS["entities"].processes == 1
    monkeypatch.setattr(stage, "MIN_SPANS_PER_WORKER", 5)
    split = stage._entities_of_spans(spans, entities_in, 2)
    assert RUNS["entities"].processes == 2 and RUNS["entities"].chunks == 2
    assert split == alone == {span: entities_in(*span) for span in spans}
