"""The line vote of ``benchmarks/html_extractors.py`` (claimgraph's text against a second extractor's), on
invented texts: it needs none of the optional extractors."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "html_extractors", ROOT / "benchmarks" / "html_extractors.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bench = _load()

STORY = [
    "The harbour council of Velmora voted on Tuesday to rebuild the old ferry pier before the winter storms.",
    "Councillor Ilse Marr said the repairs would cost less than the board had feared in its spring report.",
    "Work is due to start in March and should end before the summer season brings the tourists back.",
]
FURNITURE = ["Home | Harbour | Weather | Jobs", "Copyright Velmora Daily Post, all rights reserved"]


def test_lines_the_other_extractor_lacks_are_taken_out_unless_they_end_a_sentence() -> None:
    ours = "\n".join([*STORY, *FURNITURE, "Reader poll: do you take the ferry?"])
    theirs = "\n".join(STORY)
    voted = bench.line_vote(ours, theirs).split("\n")
    assert voted == [*STORY, "Reader poll: do you take the ferry?"]


def test_list_items_and_unspaced_script_stay_and_short_shared_lines_stay() -> None:
    ours = "\n".join(
        [
            "Pier works",
            *STORY,
            "- Velmora ferry timetable",
            "港口议会周二投票决定在冬季风暴之前重建旧渡轮码头",
        ]
    )
    theirs = "Pier works\n" + "\n".join(STORY)
    assert bench.line_vote(ours, theirs).split("\n") == ours.split("\n")


def test_a_second_extractor_that_missed_the_article_changes_nothing() -> None:
    ours = "\n".join([*STORY, *FURNITURE])
    theirs = STORY[0]  # two of three paragraphs missing: more than max_drop of the text would go
    shortened = [line[:-1] for line in STORY]  # no full stops: the vote may take these out
    ours_no_stops = "\n".join([*shortened, *FURNITURE])
    assert bench.line_vote(ours_no_stops, theirs) == ours_no_stops
    assert bench.line_vote(ours_no_stops, theirs, max_drop=1.0) == shortened[0]
    assert bench.line_vote(ours, "\n".join(STORY)) == "\n".join(STORY)


def test_family_names_the_dev_set_sources() -> None:
    page = bench.q.Page("p", "<p>x</p>", "x", "dev", {"source": "l3s-gn1"})
    assert bench.family(page) == "L3S-GN1"
    page.meta["source"] = "cleanportaleval"
    assert bench.family(page) == "CleanPortalEval"
