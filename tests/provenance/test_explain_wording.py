"""Explanations keep the sources' own casing; a document with no outlet is "an unnamed outlet" (invented names)."""

from __future__ import annotations

from pathlib import Path

from claimgraph.attribution.stage import _outlet_name
from claimgraph.model import Document, Source
from claimgraph.provenance.explain import _describe, _group_phrase


def _src(n: int, label: str, role: str | None) -> Source:
    return Source(id=f"src-{n}", label=label, kind="person", role=role)


def test_a_shared_role_keeps_its_casing() -> None:
    sources = [
        _src(1, "Ilse Varga", "CEO of Brightwater Analytics"),
        _src(2, "Tomas Ruiz", "CEO of Brightwater Analytics"),
    ]
    phrase, who = _group_phrase(sources)
    assert "CEO of Brightwater Analytics" in phrase
    assert "ceo of" not in phrase
    assert who == "Ilse Varga; Tomas Ruiz"
    assert _describe(sources[0]) == "Ilse Varga, CEO of Brightwater Analytics"


def test_a_document_without_outlet_or_url_is_an_unnamed_outlet_never_its_path() -> None:
    doc = Document(
        id="doc-1",
        path="/home/analyst/cases/notes-03.txt",
        url=None,
        title=None,
        authors=[],
        published=None,
        outlet=None,
        text="The council voted on Tuesday.",
    )
    assert _outlet_name(doc) == "an unnamed outlet"
    doc.url = "https://www.example-courier.test/story"
    assert _outlet_name(doc) == "example-courier.test"


def test_an_honorific_is_no_role() -> None:
    """ "Dr." before a name is a form of address: never "Disputed by one named Dr. (...)"."""
    doctor = _src(3, "Mira Okafor", "Dr.")
    phrase, who = _group_phrase([doctor])
    assert phrase == "one named source" and who == "Mira Okafor"
    assert _describe(doctor) == "Mira Okafor"
    assert (
        _group_phrase([_src(4, "Lars Eide", "Prof."), _src(5, "Ana Kolar", "Dr")])[0] == "two named sources"
    )
    # a real role stays, with its honorific-free words in their own casing
    analyst = _src(6, "Ines Paredes", "Senior Analyst at Harwick Institute")
    assert _group_phrase([analyst])[0] == "one named Senior Analyst at Harwick Institute"
    assert _describe(analyst) == "Ines Paredes, Senior Analyst at Harwick Institute"


def test_end_to_end_an_unknown_outlet_is_unnamed_and_roles_keep_their_casing(tmp_path: Path) -> None:
    """A plain-text file with no outlet or URL, analysed from its path: the explanation says "an unnamed
    outlet", never the file's path, and keeps the speaker's role as written."""
    from claimgraph.options import Options
    from claimgraph.pipeline import analyze

    article = tmp_path / "case-notes-0317.txt"
    article.write_text(
        "Harbour fees to rise in Lisvik\n\n"
        "Lisvik will double its harbour fees in June, said Ilse Varga, CEO of Brightwater Analytics.\n\n"
        "\u201cLisvik will double its harbour fees in June,\u201d Varga told reporters.\n",
        encoding="utf-8",
    )
    result = analyze([str(article)], tmp_path / "out", options=Options(formats=("json",)))
    explanations = [c.grade.explanation for c in result.corpus.claims if c.grade is not None]
    assert explanations
    for text in explanations:
        assert "an unnamed outlet" in text
        assert "case-notes" not in text and str(tmp_path) not in text
    assert any("CEO of Brightwater Analytics" in text for text in explanations)
    assert not any("ceo of" in text for text in explanations)


def test_collapse_unnamed_counts_several_unnamed_outlets_and_keeps_named_ones() -> None:
    from claimgraph.model import UNNAMED_OUTLET
    from claimgraph.provenance.explain import collapse_unnamed

    assert collapse_unnamed(["Harbour Ledger", UNNAMED_OUTLET, "Tide Post", UNNAMED_OUTLET]) == [
        "Harbour Ledger",
        "two unnamed outlets",
        "Tide Post",
    ]
    assert collapse_unnamed([UNNAMED_OUTLET]) == [UNNAMED_OUTLET]
    assert collapse_unnamed(["Harbour Ledger"]) == ["Harbour Ledger"]


def test_documents_without_outlets_are_not_one_outlet(tmp_path: Path) -> None:
    """Three saved articles with no outlet or URL, each relaying one named analyst's claim: each has an
    unnamed outlet of its own, so the claim is carried by three outlets (never "one outlet"), rests on the
    analyst, and is circular; the three unnamed outlets are three sources, not one."""
    from claimgraph.options import Options
    from claimgraph.pipeline import analyze

    bodies = [
        "Port of Varnholm to close two berths\n\n"
        "The port of Varnholm will close two of its berths in March, said Edda Lunde, an analyst at Kessel "
        "Maritime.\n\nShipping lines were told on Monday.\n",
        "Varnholm berths to shut, analyst says\n\n"
        "The port of Varnholm will close two of its berths in March, according to Edda Lunde, an analyst at "
        "Kessel Maritime.\n\nFerry services are not affected.\n",
        "Two Varnholm berths closing\n\n"
        "Edda Lunde, an analyst at Kessel Maritime, said the port of Varnholm will close two of its berths "
        "in March.\n\nThe port declined to comment.\n",
    ]
    paths = []
    for i, body in enumerate(bodies):
        path = tmp_path / f"saved-{i}.txt"
        path.write_text(body, encoding="utf-8")
        paths.append(str(path))
    result = analyze(paths, tmp_path / "out", options=Options(formats=("json",)))
    corpus = result.corpus
    unnamed = [s for s in corpus.sources if s.kind == "outlet" and s.label == "an unnamed outlet"]
    assert len(unnamed) == 3
    assert sorted(len(s.document_ids) for s in unnamed) == [1, 1, 1]
    carried = [c for c in corpus.claims if len(c.document_ids) == 3]
    assert carried, [(c.text, c.document_ids) for c in corpus.claims]
    claim = carried[0]
    assert claim.grade is not None
    text = claim.grade.explanation
    assert "Edda Lunde" in text or "Kessel Maritime" in text  # the analyst and her firm are one origin
    assert "carried by three unnamed outlets" in text
    assert "one outlet" not in text
    assert claim.circular and claim.independent_sources == 1
