"""Sources and affiliations; the spaCy components, the stage registration and errors."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest

from claimgraph.errors import ModelError
from claimgraph.model import Corpus

from .helpers import make_doc, source_of

Run = Callable[..., Corpus]


def test_author_and_quoted_speaker_are_one_entity(run: Run) -> None:
    own = make_doc(
        "Veloria recruits captured fighters into its militia.", authors=["Marek Holt"], outlet="HRA Notes"
    )
    other = make_doc(
        "“The camps have become a recruiting pool,” Marek Holt, founder of Holt Risk Advisory, told the Herald.",
        authors=["Clara Wende"],
        outlet="The Meridian Post",
    )
    c = run(own, other)
    author = source_of(c, "Veloria recruits captured")
    speaker = source_of(c, "recruiting pool")
    assert (author.kind, speaker.kind) == ("author", "person")
    assert author.entity_id is not None
    assert author.entity_id == speaker.entity_id
    holt = c.entity(author.entity_id)
    assert holt.type == "person"
    assert sorted(holt.document_ids) == sorted([own.id, other.id])
    # "founder of Holt Risk Advisory": author and speaker are affiliated with the company
    org = next(s for s in c.sources if s.label == "Holt Risk Advisory")
    assert org.kind == "organization"
    assert org.id in author.affiliated_source_ids
    assert org.id in speaker.affiliated_source_ids
    assert speaker.role == "founder of Holt Risk Advisory"
    # an outlet is affiliated with its own reporters
    outlet = next(s for s in c.sources if s.kind == "outlet" and s.label == "The Meridian Post")
    wende = next(s for s in c.sources if s.kind == "author" and s.label == "Clara Wende")
    assert wende.id in outlet.affiliated_source_ids
    assert outlet.id in wende.affiliated_source_ids


def test_ids_are_stable_and_lists_sorted(run: Run) -> None:
    text = "Jane Roe said that the militia recruits captured fighters. “It is a pattern,” she said."
    a, b = run(text), run(text)
    assert [s.id for s in a.statements] == [s.id for s in b.statements]
    assert [s.id for s in a.sources] == [s.id for s in b.sources]
    assert [e.id for e in a.entities] == sorted(e.id for e in a.entities)


def test_components_are_registered_spacy_factories(nlp: Any) -> None:
    from spacy.language import Language

    from claimgraph.attribution.nlp import COMPONENTS

    assert nlp.pipe_names[0] == "ner"
    assert nlp.pipe_names[-len(COMPONENTS) :] == list(COMPONENTS)
    assert "parser" in nlp.disabled and "tagger" in nlp.disabled
    for name in COMPONENTS:
        assert Language.has_factory(name)
    meta = Language.get_factory_meta("claimgraph_statements")
    assert "doc._.cg_statements" in meta.assigns


def test_component_can_be_swapped() -> None:
    import spacy
    from spacy.language import Language

    from claimgraph.attribution.nlp import COMPONENTS, default_model_name, register_components

    register_components()

    @Language.component("test_always_boosted")
    def always_boosted(doc: Any) -> Any:
        for st in doc._.cg_statements or []:
            st["certainty"], st["certainty_cues"] = "boosted", ["test"]
        return doc

    nlp = spacy.load(default_model_name(), disable=["tagger", "parser", "attribute_ruler", "lemmatizer"])
    for name in COMPONENTS:
        nlp.add_pipe(name)
    nlp.replace_pipe("claimgraph_certainty", "test_always_boosted")
    doc = nlp("Jane Roe said the camps may be empty.")
    assert [s["certainty"] for s in doc._.cg_statements] == ["boosted"]


def test_parser_runs_only_on_cue_sentences(nlp: Any) -> None:
    doc = nlp("The river is wide. Jane Roe said the bridge was closed. The valley is green.")
    parsed = [t.text for t in doc if doc._.cg_parse[t.i] is not None]
    assert "said" in parsed
    assert "river" not in parsed and "valley" not in parsed


def test_missing_model_is_e102() -> None:
    from claimgraph.attribution.nlp import load_pipeline

    with pytest.raises(ModelError, match=r"\[E102\].*no_such_model_xyz"):
        load_pipeline("no_such_model_xyz")


def test_stage_registered_and_import_is_cheap() -> None:
    code = (
        "import sys, claimgraph.attribution\n"
        "from claimgraph.registry import registry\n"
        "info = registry.stages.get('claimgraph.attribution.v1')\n"
        "assert info.reads == ('documents',) and info.assigns == ('entities', 'sources', 'statements')\n"
        "assert 'spacy' not in sys.modules, 'spacy imported eagerly'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
