"""The saved-text line classifier (claimgraph.ingest.line_model), on invented texts."""

from __future__ import annotations

import json
import math
from importlib import resources

from claimgraph.ingest import line_model
from claimgraph.ingest.line_model import FEATURES, FEATURES2, LineInput, keep_lines, word_count
from claimgraph.ingest.text import clean_text

ARTICLE = [
    "The water board of Ostrava Nova said on Tuesday that it would close two of its oldest pumping "
    "stations by the end of the year, after an inspection found cracks in both intake pipes.",
    "Engineers told the board that the cracks had grown since the spring floods and that a repair "
    "would cost more than building a new station on the river's eastern bank.",
    "The board's director, Henrike Solvang, said households would not notice the change because the "
    "remaining stations could carry the extra load through the winter months.",
    "Residents of the old mill district, where one of the stations stands, asked the board to keep the "
    "building as a museum once the pumps have been taken out of service.",
    "A spokesman for the district council, Aurel Brandt, said the council would discuss the request at "
    "its next meeting and had asked the board for an estimate of the upkeep.",
    "The board expects to open the new eastern station in two years, subject to a planning decision "
    "that is due in the spring, its annual report said.",
]
MENU = ["Home", "Region", "Rivers", "Business", "Sport", "Weather", "Log in", "Register", "Search this site"]
FOOTER = ["About us", "Contact", "Privacy policy", "Terms of use", "Careers", "Advertise with us", "Site map"]


def _saved_page() -> str:
    return "\n".join(
        [*MENU, "Old pumping stations to close", "By Lida Vesk", *ARTICLE, "Share", "Comments", *FOOTER]
    )


def test_shipped_model_is_plain_json_matching_the_features() -> None:
    text = resources.files("claimgraph.ingest").joinpath("data/line_model.json").read_text(encoding="utf-8")
    data = json.loads(text)
    first, second = data["stages"]
    assert tuple(first["features"]) == FEATURES and tuple(second["features"]) == FEATURES2
    assert first["trees"] and len(second["weights"]) == len(FEATURES2)
    assert 0.0 < data["threshold"] < 1.0
    assert "dev half" in data["about"]


def test_saved_page_keeps_article_and_drops_menus_and_footer() -> None:
    cleaned = clean_text(_saved_page(), main_region=True)
    assert cleaned.paragraphs == ARTICLE
    for line in MENU + FOOTER:
        assert line in cleaned.removed, line
    assert cleaned.title == "Old pumping stations to close"
    assert cleaned.authors == ["Lida Vesk"]


def test_prose_lines_score_above_menu_lines_and_the_result_is_deterministic() -> None:
    lines = [LineInput(t, True, False) for t in MENU] + [LineInput(t, True, True) for t in ARTICLE]
    lines += [LineInput(t, True, False) for t in FOOTER]
    model = line_model.load_model()
    probabilities = model.probabilities(lines)
    assert probabilities == model.probabilities(lines)
    prose = probabilities[len(MENU) : len(MENU) + len(ARTICLE)]
    furniture = probabilities[: len(MENU)] + probabilities[len(MENU) + len(ARTICLE) :]
    assert min(prose) > max(furniture)
    assert keep_lines(lines) == [model.threshold <= p for p in probabilities]


def test_article_text_without_page_furniture_is_not_classified() -> None:
    text = "\n\n".join(ARTICLE)
    assert clean_text(text, main_region=True).paragraphs == ARTICLE


def test_words_of_scripts_written_without_spaces_are_counted() -> None:
    assert word_count("The board met on Tuesday.") == 5
    assert word_count("水务局周二表示将在年底前关闭两座最古老的泵站") >= 10
    assert word_count("") == 0


def test_saved_page_in_a_script_without_spaces_keeps_its_prose() -> None:
    prose = [
        "水务局周二表示，由于检查发现两条进水管都有裂缝，将在年底前关闭两座最古老的泵站，居民不会受到影响。",
        "工程师告诉水务局，自春季洪水以来裂缝不断扩大，修理费用将超过在河东岸新建一座泵站的费用。",
        "水务局局长说，其余泵站可以在冬季承担额外的负荷，因此家庭用户不会注意到任何变化。",
        "旧磨坊区的居民要求水务局在水泵拆除后将建筑保留为博物馆，区议会将在下次会议上讨论。",
    ]
    menu = ["首页", "新闻", "图片", "评论", "财经", "体育", "旅游", "视频", "游戏", "汽车"]
    cleaned = clean_text("\n".join([*menu, *prose, *menu]), main_region=True)
    assert cleaned.paragraphs == prose


def test_stop_words_are_loaded_without_the_language_packages() -> None:
    """The line model's stop words equal spaCy's lists, read without importing ``spacy.lang.<lang>``
    (French's ``__init__`` compiles a tokenizer-exception regex: seconds of CPU in every run)."""
    import subprocess
    import sys

    code = (
        "import sys, importlib\n"
        "from claimgraph.ingest.line_model import _STOP_LANGS, _stop_words\n"
        "words = _stop_words()\n"
        "assert not any(m.startswith('spacy.lang.') for m in sys.modules), sorted(sys.modules)\n"
        "expected = set()\n"
        "for lang in _STOP_LANGS:\n"
        "    module = importlib.import_module(f'spacy.lang.{lang}.stop_words')\n"
        "    expected |= {w.casefold() for w in module.STOP_WORDS}\n"
        "assert words == frozenset(expected) and len(words) > 1000\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_tree_stage_matches_walking_each_tree_and_is_pickle_free() -> None:
    """The vectorised tree stage gives what walking every tree row by row gives, on the shipped model."""
    import inspect
    import math

    text = resources.files("claimgraph.ingest").joinpath("data/line_model.json").read_text(encoding="utf-8")
    assert "pickle" not in text and isinstance(json.loads(text), dict)
    stage = line_model.load_model().stages[0]
    assert isinstance(stage, line_model._Trees)
    lines = [LineInput(t, True, False) for t in MENU] + [LineInput(t, True, True) for t in ARTICLE]
    rows = line_model.features(lines + [LineInput(t, False, False) for t in FOOTER])
    walked = []
    for row in rows:
        z = stage.bias + sum(line_model._leaf(tree, row) for tree in stage.trees)
        walked.append(1.0 / (1.0 + math.exp(-max(min(z, 40.0), -40.0))))
    assert [round(p, 9) for p in stage.predict(rows)] == [round(p, 9) for p in walked]
    assert len({round(p, 3) for p in walked}) > 2  # the rows reach different leaves
    assert stage.predict([]) == []
    source = inspect.getsource(line_model)
    assert "pickle" not in source.replace("no pickle", "") and "joblib" not in source


def test_run_and_quote_features_tell_a_quote_line_from_a_menu() -> None:
    """A short quoted line between two paragraphs stands in a run of one non-prose line and carries quote
    marks; a menu entry stands in a long run of short lines and carries none."""
    quote = "“We will not sell the mill,” the mayor said."
    lines = [LineInput(t, True, False) for t in MENU]
    lines += [
        LineInput(ARTICLE[0], True, True),
        LineInput(quote, True, True),
        LineInput(ARTICLE[1], True, True),
    ]
    rows = line_model.features(lines)
    run, marks = FEATURES.index("log_run_other"), FEATURES.index("quote_marks")
    menu_row, quote_row, prose_row = rows[2], rows[len(MENU) + 1], rows[len(MENU)]
    assert quote_row[run] == math.log1p(1) and quote_row[marks] == 1.0
    assert menu_row[run] == math.log1p(len(MENU)) and menu_row[marks] == 0.0
    assert prose_row[run] == 0.0


def test_quoted_one_sentence_paragraph_of_a_saved_page_stays() -> None:
    quote = '"Nobody asked us before the pumps were switched off," a resident said.'
    text = "\n".join([*MENU, "Old pumping stations to close", *ARTICLE[:3], quote, *ARTICLE[3:], *FOOTER])
    cleaned = clean_text(text, main_region=True)
    assert quote in cleaned.paragraphs
    assert cleaned.paragraphs == [*ARTICLE[:3], quote, *ARTICLE[3:]]
    for line in FOOTER:
        assert line in cleaned.removed, line


def test_smoothing_follows_the_run_unless_the_line_is_sure() -> None:
    """Viterbi over keep/drop: a doubtful line inside a run takes its run's label, a sure one keeps its
    own, and with no change cost (switch 1: log 1 = 0) every line is its own threshold decision."""
    run = [0.9, 0.95, 0.4, 0.9, 0.92]
    assert line_model.smooth(run, 0.05) == [True] * 5
    assert line_model.smooth([0.1, 0.1, 0.6, 0.1, 0.05], 0.05) == [False] * 5
    assert line_model.smooth([0.9, 0.9, 0.001, 0.9, 0.9], 0.05) == [True, True, False, True, True]
    gap = [0.9, 0.9, 0.1, 0.1, 0.1, 0.9, 0.9]
    assert line_model.smooth(gap, 0.05) == [p > 0.5 for p in gap]
    assert line_model.smooth([], 0.05) == []
    assert line_model.smooth(run, 0.05, threshold=0.97) == [False] * 5
    mixed = [0.9, 0.3, 0.7, 0.2, 0.6, 0.45, 0.55]
    assert line_model.smooth(mixed, 1.0) == [p >= 0.5 for p in mixed]
    assert line_model.smooth(mixed, 0.1) != [p >= 0.5 for p in mixed]


def test_weighted_smoothing_lets_long_lines_speak_louder() -> None:
    """With weights (the log of a line's word count in :func:`keep_lines`) two moderately scored long
    paragraphs between menus outweigh the cost of two changes; unweighted they do not."""
    probabilities = [0.05, 0.05, 0.8, 0.8, 0.05, 0.05]
    assert line_model.smooth(probabilities, 0.03) == [False] * 6
    weights = [1.0, 1.0, math.log1p(40), math.log1p(40), 1.0, 1.0]
    assert line_model.smooth(probabilities, 0.03, weights=weights) == [False, False, True, True, False, False]
