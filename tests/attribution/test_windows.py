"""Long documents analysed in windows (``Options.window_chars``) and the memory budget (E311)."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from claimgraph.attribution.windows import merge_annotations, shift_offsets, split_windows
from claimgraph.model import Corpus, Document
from claimgraph.options import Options

from .helpers import make_doc

_PARAGRAPHS = [
    "Mayor Delphine Okafor said the new tram line would open in the spring. "
    "The council had approved the budget in March.",
    '"We will not raise fares this year," said Tomasz Wierzbicki, a spokesman for the transit authority.',
    "According to Rosa Lindqvist, the chair of the finance committee, the cost rose by a third.",
    "Union leader Marcus Adeyemi told reporters that drivers would strike if talks failed.",
    "The Harbor Institute, a research group, said in a report that ridership had doubled since 2019.",
    "Okafor said the city would publish the contracts next week.",
]


def _long_text(target: int) -> str:
    """Invented news paragraphs repeated to ``target`` characters, separated by blank lines."""
    out: list[str] = []
    size, i = 0, 0
    while size < target:
        paragraph = _PARAGRAPHS[i % len(_PARAGRAPHS)] + f" It was update number {i}."
        out.append(paragraph)
        size += len(paragraph) + 2
        i += 1
    return "\n\n".join(out)


# ---------------------------------------------------------------------------- cutting


def test_windows_cover_the_text_exactly_and_end_at_paragraph_breaks() -> None:
    text = _long_text(9_000)
    windows = list(split_windows(text, 2_000))
    assert len(windows) >= 5
    assert "".join(w for _, w in windows) == text
    for (start, window), (next_start, _) in itertools.pairwise(windows):
        assert next_start == start + len(window)
        assert len(window) <= 2_000
        assert window.endswith("\n\n") and not text[next_start].isspace()


def test_a_text_without_breaks_is_still_cut() -> None:
    text = "x" * 5_500
    windows = list(split_windows(text, 2_000))
    assert [(s, len(w)) for s, w in windows] == [(0, 2_000), (2_000, 2_000), (4_000, 1_500)]
    prose = "word " * 1_000  # no line break, no sentence end: cut after a space
    windows = list(split_windows(prose, 2_000))
    assert "".join(w for _, w in windows) == prose
    assert all(w.endswith(" ") and len(w) <= 2_000 for _, w in windows)


def test_one_line_of_sentences_is_cut_after_a_sentence() -> None:
    text = "The minister said the plan was sound. " * 200
    windows = list(split_windows(text, 2_000))
    assert all(w.endswith(". ") for _, w in windows[:-1])
    assert "".join(w for _, w in windows) == text


def test_offsets_are_shifted_at_every_depth_and_merged_in_order() -> None:
    data = {
        "mentions": [{"text": "A", "start": 1, "end": 2, "defined": []}],
        "statements": [{"start": 3, "end": 9, "speaker": {"name_start": 0, "name_end": 1, "role": None}}],
        "affiliations": [["A", "B"]],
        "demonyms": ["Dutch"],
    }
    moved = shift_offsets(data, 100)
    assert moved["mentions"][0]["start"] == 101 and moved["mentions"][0]["end"] == 102
    assert moved["statements"][0]["speaker"] == {"name_start": 100, "name_end": 101, "role": None}
    assert data["mentions"][0]["start"] == 1  # a copy
    merged = merge_annotations([data, moved])
    assert [m["start"] for m in merged["mentions"]] == [1, 101]
    assert merged["affiliations"] == [["A", "B"]] and merged["demonyms"] == ["Dutch"]


# ---------------------------------------------------------------------------- the same statements


def _statements(corpus: Corpus) -> list[tuple[Any, ...]]:
    names = {s.id: s.label for s in corpus.sources}
    return sorted(
        (s.start, s.end, s.text, names.get(s.source_id), s.speaker_text, s.mode, s.sentence_start)
        for s in corpus.statements
    )


def _attributed(doc: Document, options: Options) -> Corpus:
    from claimgraph.attribution import attribute

    corpus = Corpus(documents=[doc])
    attribute(corpus, options)
    return corpus


def test_windowed_document_gives_the_statements_of_the_whole_text(nlp: Any) -> None:
    text = _long_text(8_000)
    doc = make_doc(text, title="Tram line to open in spring")
    whole = _attributed(doc, Options())
    windowed = _attributed(doc, Options(window_chars=2_000))
    assert len(list(split_windows(text, 2_000))) >= 4
    assert len(whole.statements) >= 10
    assert _statements(windowed) == _statements(whole)
    in_text = [st for st in windowed.statements if st.part == "text"]
    assert max(st.start for st in in_text) > 6_000
    for st in in_text:  # offsets into the whole text
        assert text[st.start : st.end] == st.text
    assert sorted(e.name for e in windowed.entities) == sorted(e.name for e in whole.entities)


def test_short_documents_are_not_windowed(nlp: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from claimgraph.attribution import stage

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a short text went through the windows")

    monkeypatch.setattr(stage, "_windowed_text", refuse)
    corpus = _attributed(make_doc(_long_text(1_500)), Options(window_chars=2_000))
    assert corpus.statements


# ---------------------------------------------------------------------------- the memory budget


def test_a_document_over_the_memory_budget_is_a_coded_problem(
    nlp: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from claimgraph.attribution import windows
    from claimgraph.attribution.stage import annotate_documents

    readings = iter(range(0, 10_000, 50))  # every reading 50 MB more than the last
    monkeypatch.setattr(windows, "current_rss_mb", lambda: float(next(readings)))
    long_doc = make_doc(_long_text(6_000))
    short_doc = make_doc("Mayor Delphine Okafor said the tram line would open in the spring.")
    failures: list[tuple[str, str]] = []
    out = annotate_documents(
        [long_doc, short_doc],
        Options(window_chars=2_000, max_memory_mb=120),
        on_failure=lambda d, reason: failures.append((d.id, reason)),
    )
    assert list(out) == [short_doc.id]
    assert len(failures) == 1 and failures[0][0] == long_doc.id
    assert failures[0][1].startswith("[E311] analysing this document grew memory by 150 MB")
    # without a budget the same document is annotated
    readings = iter(range(0, 10_000, 50))
    assert long_doc.id in annotate_documents([long_doc], Options(window_chars=2_000))


def test_the_budget_problem_keeps_its_code() -> None:
    from claimgraph.errors import Errors
    from claimgraph.stages import RunContext

    problems: list[Any] = []
    ctx = RunContext(Options(), on_problem=problems.append)
    ctx.document_failed("a.txt", "attribution", Errors.E311.format(grown=300, budget=100))
    ctx.document_failed("b.txt", "attribution", "ValueError: boom")
    assert [(p.path, p.code) for p in problems] == [("a.txt", "E311"), ("b.txt", "E302")]
    assert str(problems[0]).endswith("over the budget of 100 MB (--max-memory); skipped [E311]")


def test_the_window_size_is_part_of_a_long_documents_cache_key() -> None:
    from claimgraph.attribution.stage import annotation_key
    from claimgraph.model import Document

    def doc(text: str) -> Document:
        return Document(
            id="d", path="p", url=None, title=None, authors=[], published=None, outlet=None, text=text
        )

    short, long = doc("Ana Ruiz said the port reopened."), doc("Ana Ruiz said the port reopened. " * 200)
    # a short text is analysed whole whatever the window: its key does not change
    assert annotation_key("m", short, 2000) == annotation_key("m", short, 4000) == annotation_key("m", short)
    # a long text's annotations depend on where its windows end
    assert annotation_key("m", long, 2000) != annotation_key("m", long, 4000)
    assert annotation_key("m", long, 2000) != annotation_key("m", long)
