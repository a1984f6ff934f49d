"""Statements through the whole stage on small invented passages."""

from __future__ import annotations

import itertools
from collections.abc import Callable

from claimgraph.model import Corpus

from .helpers import make_doc, source_of, statement

Run = Callable[..., Corpus]


def check_offsets(corpus: Corpus) -> None:
    for st in corpus.statements:
        doc = corpus.document(st.document_id)
        base = doc.title if st.part == "title" else doc.text
        assert base is not None
        assert base[st.start : st.end] == st.text
        if st.sentence_start is not None and st.sentence_end is not None:
            assert st.sentence_start <= st.start and st.end <= st.sentence_end


def test_direct_quotes_speaker_after_and_before(run: Run) -> None:
    c = run(
        '“We will not stop,” Jane Roe said. John Doe told Reuters: "The border is closed."\n\n'
        "“The talks are over,” said Ann Poe."
    )
    check_offsets(c)
    for contains, speaker, cue in (
        ("We will not stop", "Jane Roe", "said"),
        ("The border is closed.", "John Doe", "told"),
        ("The talks are over", "Ann Poe", "said"),
    ):
        st = statement(c, contains)
        assert st.mode == "direct"
        assert st.cue == cue
        assert source_of(c, contains).label == speaker
        assert source_of(c, contains).kind == "person"


def test_quote_over_two_paragraphs(run: Run) -> None:
    text = (
        "“The camps have become a recruiting pool,” Marek Holt told the Herald. “Men who fought are now paid.\n\n"
        "“Nobody in Port Aldane wants to talk about it,” he added."
    )
    c = run(text)
    check_offsets(c)
    st = statement(c, "Men who fought")
    assert "Nobody in Port Aldane" in st.text
    assert st.mode == "direct"
    assert source_of(c, "Men who fought").label == "Marek Holt"


def test_indirect_speech_forms(run: Run) -> None:
    c = run(
        "Jane Roe said that the militia recruits captured fighters in Veloria. "
        "According to John Doe, the camps are nearly empty. "
        "Ann Poe noted the border had been quiet for weeks. "
        "Karel Dunn warned the group would strike again. "
        "Marta Lind believes the talks will collapse."
    )
    check_offsets(c)
    expect = {
        "the militia recruits captured fighters": ("Jane Roe", "said"),
        "the camps are nearly empty": ("John Doe", "according to"),
        "the border had been quiet": ("Ann Poe", "noted"),
        "the group would strike again": ("Karel Dunn", "warned"),
        "the talks will collapse": ("Marta Lind", "believes"),
    }
    for contains, (speaker, cue) in expect.items():
        st = statement(c, contains)
        assert st.mode == "indirect", contains
        assert st.cue == cue
        assert source_of(c, contains).label == speaker
    assert not statement(c, "the militia recruits").text.startswith("that")
    assert statement(c, "the talks will collapse").certainty == "hedged"


def test_two_speakers_in_turn_pronouns_resolve(run: Run) -> None:
    c = run(
        "“The camps are full,” said Jane Roe, a consultant.\n\n"
        "“That is false,” said John Doe, a ministry spokesman.\n\n"
        "“We counted the beds,” she added.\n\n"
        "“Nobody has left,” he said."
    )
    check_offsets(c)
    assert source_of(c, "We counted the beds").label == "Jane Roe"
    assert statement(c, "We counted the beds").speaker_text == "she"
    assert source_of(c, "Nobody has left").label == "John Doe"


def test_description_speaker_resolves_to_earlier_source(run: Run) -> None:
    c = run(
        "A Foreign Ministry official who spoke on condition of anonymity said the report was false. "
        "The official noted that inspections continue."
    )
    first = source_of(c, "the report was false")
    assert first.kind == "anonymous"
    assert first.description == "A Foreign Ministry official who spoke on condition of anonymity"
    assert source_of(c, "inspections continue").id == first.id
    assert statement(c, "inspections continue").speaker_text == "The official"


def test_anonymous_sources(run: Run) -> None:
    c = run(
        "According to one U.S. official, who spoke on background, the militia moved north. "
        "Some officials said the allegations might be true. "
        "Sources say the group is short of money. "
        "Intelligence reports seen by the paper suggest that the cells are shrinking. "
        "Some officials said the camps were crowded."
    )
    check_offsets(c)
    descs = {
        "the militia moved north": "one U.S. official, who spoke on background",
        "the allegations might be true": "Some officials",
        "the group is short of money": "Sources",
        "the cells are shrinking": "Intelligence reports seen by the paper",
    }
    for contains, desc in descs.items():
        src = source_of(c, contains)
        assert src.kind == "anonymous", contains
        assert src.description == desc
    # one anonymous source per distinct description per document
    assert source_of(c, "the camps were crowded").id == source_of(c, "the allegations might be true").id
    assert statement(c, "the cells are shrinking").certainty == "hedged"


def test_documents_and_institutions_as_sources(run: Run) -> None:
    c = run(
        "The 2019 Annual Threat Report stated that the Coastal Guard Units operate in the south. "
        "The Commission reported that 40 fighters were captured. "
        "The Velorian Foreign Ministry stated that the allegations were baseless."
    )
    assert source_of(c, "operate in the south").kind == "document"
    assert source_of(c, "operate in the south").label == "2019 Annual Threat Report"
    assert source_of(c, "40 fighters were captured").kind == "organization"
    assert source_of(c, "40 fighters were captured").label == "Commission"
    ministry = source_of(c, "the allegations were baseless")
    assert ministry.kind == "organization"
    assert ministry.entity_id is not None
    assert c.entity(ministry.entity_id).name == "Velorian Foreign Ministry"


def test_refusals_are_declines(run: Run) -> None:
    c = run(
        "A spokesperson for the Velorian Interior Ministry declined to give specifics. "
        "NAVCOM Army Maj. Ann Poe would not confirm the report. "
        "Elena Dravic declined to comment on the allegations."
    )
    check_offsets(c)
    for contains, cue in (
        ("declined to give specifics", "declined to give specifics"),
        ("would not confirm the report", "would not confirm"),
        ("declined to comment", "declined to comment on"),
    ):
        st = statement(c, contains)
        assert st.stance == "declines"
        assert st.cue == cue
        assert st.certainty == "asserted"
    assert source_of(c, "would not confirm").label == "Ann Poe"
    assert source_of(c, "would not confirm").role == "NAVCOM Army Maj."
    assert source_of(c, "declined to comment").label == "Elena Dravic"
    assert source_of(c, "declined to give specifics").label == "Velorian Interior Ministry"


def test_assertions_by_authors_outlet_and_headline(run: Run) -> None:
    bylined = make_doc(
        "The border with Veloria is 40 km long. Is the militia growing?",
        title="Veloria recruits former fighters",
        authors=["Clara Wende"],
        outlet="The Meridian Post",
    )
    unsigned = make_doc("Veloria opened three new camps in the south.", outlet="Eastwire")
    c = run(bylined, unsigned)
    check_offsets(c)
    st = statement(c, "The border with Veloria")
    assert (st.mode, st.cue, st.certainty) == ("assertion", None, "asserted")
    assert source_of(c, "The border with Veloria").kind == "author"
    assert source_of(c, "The border with Veloria").label == "Clara Wende"
    assert statement(c, "Is the militia growing?").certainty == "question"
    head = statement(c, "Veloria recruits former fighters")
    assert head.part == "title"
    assert c.source(head.source_id).kind == "outlet"
    assert source_of(c, "three new camps").kind == "outlet"
    assert source_of(c, "three new camps").label == "Eastwire"
    veloria = [e.id for e in c.entities if e.name == "Veloria"]
    assert veloria and veloria[0] in st.entity_ids


def test_citing_and_sentence_offsets(run: Run) -> None:
    c = run("The official Jane Roe said the camps were full, citing a report by Holt Risk Advisory.")
    st = statement(c, "the camps were full")
    assert st.cited_source_ids
    assert c.source(st.cited_source_ids[0]).label == "Holt Risk Advisory"
    assert st.sentence_start == 0


def test_duplicates_are_still_attributed(run: Run) -> None:
    a = make_doc("Jane Roe said the militia recruits captured fighters in Veloria.")
    b = make_doc("Jane Roe said the militia recruits captured fighters in Veloria. More follows here today.")
    b.duplicate_of = a.id
    c = run(a, b)
    docs = {s.document_id for s in c.statements if "recruits captured fighters" in s.text}
    assert docs == {a.id, b.id}


# -- datelines --------------------------------------------------------------------------------------


def test_dateline_end_forms() -> None:
    from claimgraph.attribution.lexicon import dateline_end

    for opening in (
        "SARNHOLM — ",
        "PORT ALDANE — ",
        "PORT ALDANE, Nov 12 (Eastwire) — ",
        "PORT ALDANE, Nov. 12, 2025 — ",
        "TESSIN, Velaria (Eastwire) – ",
        "NEW PORT OF LISCA (Northline) -- ",
        "  KELMAR CITY --  ",
    ):
        text = opening + "Ostria closed its ports."
        assert text[dateline_end(text) :] == "Ostria closed its ports.", opening
    for plain in (
        "NATO said the ports were closed.",
        "UN officials said the ports were closed.",
        "NATO, the alliance, said — without proof — that the ports were closed.",
        "Port Aldane — a quiet town — closed its ports.",
        "FIVE ALL CAPS WORDS HERE — the ports were closed.",
        "Ostria closed its ports — officials said.",
    ):
        assert dateline_end(plain) == 0, plain


def _first(corpus: Corpus) -> list[tuple[str, int, int | None]]:
    return [(s.text, s.start, s.sentence_start) for s in sorted(corpus.statements, key=lambda s: s.start)]


def test_statements_start_after_a_dateline(run: Run) -> None:
    cases = (
        # (dateline, sentence after it, text the first statement starts with, speaker label or None)
        (
            "PORT ALDANE — ",
            "Ostria has been quietly recruiting captured Lisca Front fighters for months.",
            None,
        ),
        (
            "SARNHOLM — ",
            "Ostrian Interior Minister Karel Dunn said the border would stay closed.",
            "Karel Dunn",
        ),
        (
            "PORT ALDANE, Nov 12 (Northline) — ",
            "Ostrian Prime Minister Dario Kessan said the ports would reopen on Monday.",
            "Dario Kessan",
        ),
        ("TARVO CITY, Nov. 3 -- ", "“We will not stop,” Jane Roe said on Sunday.", "Jane Roe"),
    )
    for dateline, body, speaker in cases:
        text = dateline + body + "\n\nShips waited outside the harbour for two more days."
        corpus = run(make_doc(text))
        check_offsets(corpus)
        first = min(corpus.statements, key=lambda s: s.start)
        assert first.sentence_start == len(dateline), (dateline, _first(corpus))
        assert first.start >= len(dateline)
        assert not any(s.text.startswith(dateline.strip()[:4]) for s in corpus.statements)
        assert text[first.sentence_start : first.sentence_end].strip() == body
        if speaker is None:
            assert first.mode == "assertion" and first.text == body
        else:
            assert corpus.source(first.source_id).label == speaker
        # the dateline still makes its place an entity
        place = dateline.split(",")[0].split(" —")[0].split(" -")[0].strip().title()
        assert place in {e.name for e in corpus.entities}, (place, [e.name for e in corpus.entities])


def test_all_capitals_openings_without_a_dash_are_kept(run: Run) -> None:
    text = (
        "NAVCOM officials said the border would stay closed until spring.\n\n"
        "NAVCOM has closed the border twice this year, and Ostria has protested both times."
    )
    corpus = run(make_doc(text))
    check_offsets(corpus)
    said = statement(corpus, "the border would stay closed")
    assert said.sentence_start == 0
    assert text[said.sentence_start : said.sentence_end].startswith("NAVCOM officials said")
    assertion = statement(corpus, "has closed the border twice")
    assert assertion.mode == "assertion"
    assert assertion.text.startswith("NAVCOM has closed")


def test_quote_found_twice_is_one_statement(run: Run) -> None:
    """A quotation read both as a quote and as a cue's complement (its span with and without the opening
    quotation mark) gives one statement, the direct one."""
    for text, content in (
        (
            '"We have never taken a cent from the fund," Piet Lindqvist said, adding that "the audit will prove it."',
            "the audit will prove it",
        ),
        ("According to Amira Haddad, “peace is possible.”", "peace is possible"),
    ):
        c = run(text)
        check_offsets(c)
        found = [st for st in c.statements if st.mode != "assertion" and content in st.text]
        assert len(found) == 1, [(st.start, st.end, st.mode, st.text) for st in found]
        assert found[0].mode == "direct"
        starts = sorted(st.start for st in c.statements if st.mode != "assertion")
        assert all(b - a > 1 for a, b in itertools.pairwise(starts))


def test_merge_duplicates_keeps_distinct_statements() -> None:
    from claimgraph.attribution.statements import merge_duplicates

    spk = {"start": 40, "end": 50}
    direct = {"start": 1, "end": 30, "mode": "direct", "cue": "said", "speaker": spk}
    indirect = {"start": 0, "end": 29, "mode": "indirect", "cue": "said", "speaker": spk}
    other = {"start": 60, "end": 90, "mode": "indirect", "cue": "said", "speaker": spk}
    assert merge_duplicates([indirect, direct, other]) == [direct, other]
    assert merge_duplicates([direct, indirect]) == [direct]
    # a clause holding a quoted fragment has another span: two statements
    clause = {"start": 1, "end": 45, "mode": "indirect", "cue": "said", "speaker": spk}
    assert merge_duplicates([direct, clause]) == [direct, clause]
    # overlapping, but another speaker (nested speech, even with the same cue): two statements
    far = {"start": 20, "end": 60, "mode": "indirect", "cue": "said", "speaker": {"start": 70}}
    assert merge_duplicates([direct, far]) == [direct, far]
    nobody = {"start": 1, "end": 30, "mode": "indirect", "cue": "said", "speaker": None}
    assert merge_duplicates([direct, nobody]) == [direct, nobody]
