"""Each pass of :func:`claimgraph.attribution.entities.extract_mentions` on its own, on parsed texts with
invented names of real-world shape."""

from __future__ import annotations

from typing import Any

from claimgraph.attribution import entities as en
from claimgraph.attribution.entities import EntityMention


def mentions_after(nlp: Any, text: str, last: object) -> list[EntityMention]:
    doc = nlp(text)
    out: list[EntityMention] = []
    for step in en.PASSES:
        step(doc, doc.text, out)
        if step is last:
            break
    return sorted(out, key=lambda m: m.start)


def by_name(ms: list[EntityMention]) -> dict[str, EntityMention]:
    return {m.name: m for m in ms}


def test_passes_are_named_and_ordered() -> None:
    assert [p.__name__ for p in en.PASSES] == [
        "pass_ner",
        "pass_dateline",
        "pass_document_titles",
        "pass_known_as",
        "pass_known_names",
        "pass_repeats",
        "pass_gender",
    ]


def test_ner_pass_cuts_a_headline_at_its_verb(nlp: Any) -> None:
    ms = mentions_after(nlp, "Defence Ministry Denies Camp Recruitment Claims After Leaked Memo", en.pass_ner)
    assert all("Denies" not in m.text for m in ms)
    assert all(m.type != "organization" or m.name == "Defence Ministry" for m in ms)


def test_ner_pass_keeps_a_name_whole_in_a_sentence_case_sentence(nlp: Any) -> None:
    """A capitalised word that is also a reporting verb ("State", "Report", "Claim") ends no name inside a
    sentence written in sentence case: only a title-case headline is cut at its verb."""
    for text, name in [
        ("Weapons meant for the Kurdish fighters were dropped to the Caliphate State by mistake, officials said.",
         "Caliphate State"),
        ("The story first ran on the Harlow Report on Tuesday, and the editor stood by it.", "Harlow Report"),
        ("The video was posted by the Daily Claim, a tabloid, and shared widely.", "Daily Claim"),
    ]:  # fmt: skip
        names = [m.name for m in mentions_after(nlp, text, en.pass_ner) if m.type == "organization"]
        assert names == [name], text
    headline = [m.name for m in mentions_after(nlp, "Harlow Ministry Denies Camp Claims", en.pass_ner)]
    assert headline == ["Harlow Ministry"]


def test_ner_pass_strips_titles_and_reads_inline_definitions(nlp: Any) -> None:
    ms = mentions_after(
        nlp,
        "French Prime Minister Claire Dubois met fighters of Jaysh al-Watan (National Defence Forces or NDF) "
        "near the border.",
        en.pass_ner,
    )
    people = [m for m in ms if m.type == "person"]
    assert [(m.name, m.titled) for m in people] == [("Claire Dubois", "French Prime Minister Claire Dubois")]
    defined = [d for m in ms for d in m.defined]
    assert ["NDF", "acronym-defined"] in defined and [
        "National Defence Forces",
        "alternative-defined",
    ] in defined


def test_known_as_pass(nlp: Any) -> None:
    ms = mentions_after(
        nlp,
        "The Northern Relief Agency, also known as the Relief Corps, said the convoy had been stopped.",
        en.pass_known_as,
    )
    agency = [m for m in ms if "Relief Agency" in m.name]
    assert agency and ["Relief Corps", "alternative-defined"] in agency[0].defined


def test_known_names_pass_finds_the_alias_tables_names(nlp: Any) -> None:
    text = "Fighters of Harakat al-Shabaab al-Mujahideen attacked the base. Al-Shabaab later said it had lost men."
    ms = mentions_after(nlp, text, en.pass_known_names)
    found = {(m.text, m.type) for m in ms}
    assert ("Harakat al-Shabaab al-Mujahideen", "group") in found
    assert ("Al-Shabaab", "group") in found


def test_repeats_pass_finds_a_particle_surname(nlp: Any) -> None:
    text = "Ahmad al-Hakim, the tribal leader, spoke first. Later that day Hakim spoke again to the elders."
    ms = mentions_after(nlp, text, en.pass_repeats)
    assert any(m.text == "Hakim" and m.type == "person" for m in ms)


def test_gender_pass_uses_the_documents_evidence_only(nlp: Any) -> None:
    ms = mentions_after(
        nlp,
        "Ms. Ingrid Solberg chaired the meeting. Later Ingrid Solberg said the budget was final. "
        "Daniel Okafor said he would resign. Peter Lindqvist declined to comment.",
        en.pass_gender,
    )
    genders = {m.name: m.gender for m in ms if m.type == "person"}
    assert genders.get("Ingrid Solberg") == "f"
    assert genders.get("Daniel Okafor") == "m"
    assert "Peter Lindqvist" in genders and genders["Peter Lindqvist"] is None  # no evidence: unknown


def test_an_object_pronoun_is_someone_else(nlp: Any) -> None:
    ms = mentions_after(nlp, "Daniel Okafor told her that the budget was final.", en.pass_gender)
    assert {m.name: m.gender for m in ms if m.type == "person"}.get("Daniel Okafor") is None


def test_person_evidence_from_honorific_appositive_or_pronoun(nlp: Any) -> None:
    from claimgraph.attribution.entities import _person_evidence

    doc = nlp("The report was written by Dariusz Malek, the firm's founder, last year.")
    for ent in doc.ents:
        if ent.text == "Dariusz Malek":
            assert _person_evidence(doc, ent, ent.text.split())
    doc = nlp("The Interior Ministry, the agency said, would respond.")
    for ent in doc.ents:
        if "Ministry" in ent.text:
            assert not _person_evidence(doc, ent, ent.text.split())


def test_extract_mentions_returns_plain_data(nlp: Any) -> None:
    out = en.extract_mentions(
        nlp("Ms. Ingrid Solberg met officials of the World Health Organization in Geneva.")
    )
    assert out and all(isinstance(m, dict) for m in out)
    assert {"text", "name", "start", "end", "label", "type", "title", "titled", "defined"} <= set(out[0])
    solberg = [m for m in out if m["name"] == "Ingrid Solberg"]
    assert solberg and solberg[0]["gender"] == "f"
