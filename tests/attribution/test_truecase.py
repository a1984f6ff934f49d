"""Headlines set in capitals are read by the NER model as their article spells the words (invented wire copy)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from claimgraph.attribution.stage import annotate_documents, headline_name
from claimgraph.attribution.truecase import shouting, truecase_title
from claimgraph.model import Document
from claimgraph.options import Options

BODY = (
    "Halvorsen Marine Inc said it is issuing 250 mln dlrs of convertible debt due 2031 through Brandt Securities.\n\n"
    "The White House declined to comment on the offering, a spokesman for Halvorsen Marine said."
)


def test_a_headline_in_capitals_is_cased_as_its_body_writes_the_words() -> None:
    title = "HALVORSEN MARINE ISSUES 250 MLN DLRS IN CONVERTIBLE DEBT"
    cased = truecase_title(title, BODY)
    assert cased == "Halvorsen Marine issues 250 mln dlrs in convertible debt"
    assert len(cased) == len(title)
    # a word that opens a body sentence is not counted as its usual form ("The" -> "the")
    assert truecase_title("NO WHITE HOUSE COMMENT ON THE OFFERING", BODY) == (
        "No White House comment on the offering"
    )


def test_other_headlines_are_read_as_they_are() -> None:
    for title in ("Halvorsen Marine issues debt", "U.S. FED", "NATO and EU leaders meet in Oslo", ""):
        assert not shouting(title) or title == ""
        assert truecase_title(title, BODY) == title


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=80), st.text(max_size=200))
def test_recasing_keeps_the_length_and_the_letters(title: str, body: str) -> None:
    cased = truecase_title(title, body)
    assert len(cased) == len(title)
    assert cased.casefold() == title.casefold() or cased == title


def _title_mentions(title: str) -> list[dict[str, object]]:
    doc = Document(
        id="doc-wire", path="wire.txt", url=None, title=title, authors=[], published="2031-03-02", outlet=None,
        text=BODY,
    )  # fmt: skip
    mentions: list[dict[str, object]] = annotate_documents([doc], Options())["doc-wire"]["title"]["mentions"]
    for mention in mentions:  # each mention's text is the headline's own characters at its offsets
        assert title[mention["start"] : mention["end"]] == mention["text"]  # type: ignore[misc]
    return mentions


def test_wire_headlines_give_names_not_whole_headlines() -> None:
    """Read as they are, the model takes these headlines (or most of them) for one organisation; recased, it
    finds the names in them."""
    mentions = _title_mentions("NO WHITE HOUSE COMMENT ON HALVORSEN OFFERING")
    assert [m["text"] for m in mentions if "WHITE HOUSE" in str(m["text"])] == ["WHITE HOUSE"]
    assert [m["name"] for m in mentions if m["text"] == "WHITE HOUSE"] == ["White House"]
    mentions = _title_mentions("JAPAN SAYS TRADE SURPLUS TO NARROW")
    assert not [m for m in mentions if "SAYS" in str(m["text"])]
    assert [m["text"] for m in mentions] == ["JAPAN"]


def test_a_headline_name_its_body_does_not_write_is_capitalised() -> None:
    """The recasing leaves a word the body never writes in lower case; a name the headline set in capitals is
    still a name: ``TOMAS VELARDE`` is ``Tomas Velarde``, not ``tomas velarde``."""
    doc = Document(
        id="doc-wire", path="wire.txt", url=None, title="FINANCE MINISTER TOMAS VELARDE RESIGNS IN ARVANIA",
        authors=[], published="2031-03-02", outlet=None,
        text="The finance minister of Arvania resigned on Tuesday after a dispute over the budget, the government said.",
    )  # fmt: skip
    assert "tomas velarde" in truecase_title(doc.title or "", doc.text or "")
    mentions = annotate_documents([doc], Options())["doc-wire"]["title"]["mentions"]
    people = [(m["text"], m["name"]) for m in mentions if m["type"] == "person"]
    assert people == [("TOMAS VELARDE", "Tomas Velarde")]


def test_headline_names_keep_joining_words_in_lower_case() -> None:
    assert headline_name("bank of zarovia") == "Bank of Zarovia"
    assert headline_name("the tolvan group") == "The Tolvan Group"
    assert headline_name("Arvania") == "Arvania"
    assert headline_name("dlrs") == "Dlrs"


ARTICLE = (
    "In the push toward consolidation in social media, Vantor has been the perennial bridesmaid. "
    "This week's deal between Kestrel and Lumora renewed speculation that Vantor will be next, and "
    "analysts said its rivals pair up faster than it can grow. Rep. Harlan Voss said the company "
    "denies any talks, and its board declined to comment on Monday."
)


def test_a_headline_in_title_case_is_cased_as_its_body_writes_the_words() -> None:
    """Title case (the house style of many outlets): each capitalised word as the body writes it; a word the
    body lacks goes to lower case when it is a stop word or an inflected verb form, or an English word that
    does not stand next to a name ("Harlan" beside the body's "Voss" stays)."""
    from claimgraph.attribution.truecase import title_cased

    def known(word: str) -> str | None:  # a small stand-in for the model's lemmatizer tables
        return {"denies": "verb form", "leaked": "verb form", "memo": "word", "harlan": "word"}.get(word)

    title = "As Its Rivals Pair Up, Will Vantor Be Next? Harlan Voss Denies Leaked Memo"
    assert title_cased(title) and not title_cased("Vantor could be next, analysts say")
    cased = truecase_title(title, ARTICLE, known)
    assert cased == "As its rivals pair up, will Vantor be next? Harlan Voss denies leaked memo"
    assert len(cased) == len(title)
    # a word in capitals (an acronym) stays; a word opening a sentence or a clause after a colon stays
    assert truecase_title("NATO Says Vantor Will Be Next: Analysts Agree", ARTICLE, known).startswith(
        "NATO Says Vantor will be next: Analysts"
    )
    # title case only goes down to lower case: a word the body sets in capitals stays as the headline has it
    shouted = ARTICLE + "\n\nSTATEMENT BY THE BOARD OF VANTOR\nThe statement was read on Monday by the board."
    recased = truecase_title("Vantor Board Statement Read Aloud On Monday", shouted, known)
    assert recased == "Vantor Board Statement read Aloud on Monday", recased
    # without a body to go by (a headline-only record), the headline is read as written
    assert truecase_title(title, title, known) == title
    assert truecase_title(title, "Vantor said so.", known) == title


def test_a_title_case_headline_gives_no_person_named_for_a_question() -> None:
    """Read as written, "Will Vantor Be Next" was one person, who then took every "Vantor" of the article as
    his surname; recased, the model reads a question about a company."""
    doc = Document(
        id="doc-tc", path="tc.txt", url=None, title="As Its Rivals Pair Up, Will Vantor Be Next?", authors=[],
        published="2031-03-02", outlet=None, text=ARTICLE,
    )  # fmt: skip
    mentions = annotate_documents([doc], Options())["doc-tc"]["title"]["mentions"]
    assert not [m for m in mentions if "Will" in str(m["text"]) or "Next" in str(m["text"])], mentions
    for mention in mentions:  # the mention's text is still the headline's own characters
        assert doc.title is not None and doc.title[mention["start"] : mention["end"]] == mention["text"]
