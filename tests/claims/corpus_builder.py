"""Hand-built corpora for the claims and provenance tests (invented actors only)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from claimgraph.model import Corpus, Document, Entity, Mention, Source, Statement, stable_id


class FakeStanceModel:
    """A stance model double: counts calls, answers from a lookup or a default."""

    def __init__(
        self,
        default: tuple[str, float] = ("discusses", 0.6),
        answers: dict[str, tuple[str, float]] | None = None,
    ):
        self.default = default
        self.answers = answers or {}
        self.calls: list[list[tuple[str, str]]] = []

    def predict(self, pairs: Sequence[tuple[str, str]]) -> list[tuple[str, float]]:
        self.calls.append(list(pairs))
        return [self.answers.get(text, self.default) for _claim, text in pairs]


class CorpusBuilder:
    def __init__(self) -> None:
        self.corpus = Corpus()
        self._texts: dict[str, list[str]] = {}

    def doc(
        self,
        key: str,
        text: str,
        *,
        title: str | None = None,
        published: str | None = "2024-03-01",
        outlet: str | None = "Kestria Ledger",
        authors: Sequence[str] = (),
        duplicate_of: str | None = None,
    ) -> Document:
        doc = Document(
            id=f"doc-{key}",
            path=f"{key}.html",
            url=None,
            title=title,
            authors=list(authors),
            published=published,
            outlet=outlet,
            text=text,
            duplicate_of=duplicate_of,
        )
        self.corpus.documents.append(doc)
        return doc

    def entity(self, name: str, type: str = "organization", aliases: Sequence[str] = ()) -> Entity:
        entity = Entity(id=stable_id("ent", name), name=name, type=type)  # type: ignore[arg-type]
        self.corpus.entities.append(entity)
        self._texts[entity.id] = [name, *aliases]
        return entity

    def source(
        self,
        label: str,
        kind: str,
        *,
        entity: Entity | None = None,
        docs: Sequence[Document] = (),
        role: str | None = None,
        description: str | None = None,
        affiliated: Sequence[Source] = (),
    ) -> Source:
        source = Source(
            id=stable_id("src", label, kind, [d.id for d in docs]),
            label=label,
            kind=kind,  # type: ignore[arg-type]
            entity_id=entity.id if entity else None,
            description=description,
            document_ids=[d.id for d in docs],
            affiliated_source_ids=[s.id for s in affiliated],
            role=role,
        )
        self.corpus.sources.append(source)
        return source

    def say(
        self,
        doc: Document,
        source: Source,
        text: str,
        *,
        mode: str = "direct",
        cue: str | None = "said",
        stance: str | None = None,
        certainty: str = "asserted",
        cited: Sequence[Source] = (),
        part: str = "text",
    ) -> Statement:
        haystack = (doc.title or "") if part == "title" else doc.text
        start = haystack.index(text)
        statement = Statement(
            id=stable_id("st", doc.id, part, start, source.id),
            document_id=doc.id,
            source_id=source.id,
            text=text,
            cue=cue,
            mode=mode,  # type: ignore[arg-type]
            certainty=certainty,  # type: ignore[arg-type]
            certainty_cues=[],
            start=start,
            end=start + len(text),
            part=part,  # type: ignore[arg-type]
            stance=stance,  # type: ignore[arg-type]
            cited_source_ids=[s.id for s in cited],
        )
        statement.entity_ids = sorted(
            e.id
            for e in self.corpus.entities
            if any(re.search(rf"\b{re.escape(n)}", text) for n in self._texts[e.id])
        )
        self.corpus.statements.append(statement)
        return statement

    def build(self) -> Corpus:
        for entity in self.corpus.entities:
            spans: list[Mention] = []
            for doc in self.corpus.documents:
                for part, text in (("title", doc.title or ""), ("text", doc.text)):
                    for name in self._texts[entity.id]:
                        for match in re.finditer(rf"\b{re.escape(name)}\b", text):
                            spans.append(Mention(doc.id, match.start(), match.end(), match.group(0), part))  # type: ignore[arg-type]
            entity.mention_spans = sorted(spans, key=lambda m: (m.document_id, m.part, m.start))
            entity.mentions = len(spans)
            entity.document_ids = sorted({m.document_id for m in spans})
        return self.corpus


def central_case() -> tuple[Corpus, dict[str, object]]:
    """The typical case: a consultant's article, re-reported a week later by another outlet that quotes
    him, anonymous officials, a disputing expert and a declining spokesperson."""
    b = CorpusBuilder()
    veloria = b.entity("Veloria", "location", aliases=("Velorian",))
    kestria = b.entity("Kestria", "location")
    holt = b.entity("Marek Holt", "person", aliases=("Holt",))
    poe = b.entity("Ann Poe", "person", aliases=("Poe",))
    a = b.doc(
        "a",
        "Veloria recruits captured fighters to attack Kestria. The programme is run from three camps near the border.",
        title="How Veloria recruits captured fighters",
        published="2024-03-01",
        outlet="Holt Analytics Review",
        authors=["Marek Holt"],
    )
    bdoc = b.doc(
        "b",
        "Veloria has been recruiting war-trained fighters, according to a consultant. "
        "\u201cVeloria recruits captured fighters to attack Kestria,\u201d said Marek Holt, a consultant. "
        "Some officials, who spoke on background, said the Velorian programme targets Kestria. "
        "\u201cI doubt the reports of Velorian-trained hit squads; it is hypothetical to date,\u201d said Ann Poe, an expert. "
        "A spokesperson for the Velorian foreign ministry declined to confirm.",
        title="Veloria is using former fighters to attack Kestria, consultant says",
        published="2024-03-08",
        outlet="Kestria Ledger",
        authors=["Lena Dorn"],
    )
    author_a = b.source("Marek Holt", "author", entity=holt, docs=[a], role="consultant")
    outlet_a = b.source("Holt Analytics Review", "outlet", docs=[a])
    outlet_b = b.source("Kestria Ledger", "outlet", docs=[bdoc])
    author_b = b.source("Lena Dorn", "author", docs=[bdoc])
    holt_b = b.source("Marek Holt", "person", entity=holt, docs=[bdoc], role="consultant")
    officials = b.source(
        "some officials", "anonymous", docs=[bdoc], description="Some officials, who spoke on background"
    )
    poe_src = b.source("Ann Poe", "person", entity=poe, docs=[bdoc], role="expert")
    spokesperson = b.source(
        "spokesperson for the Velorian foreign ministry",
        "organization",
        docs=[bdoc],
        role="spokesperson",
        description="A spokesperson for the Velorian foreign ministry",
    )
    s = {
        "a_title": b.say(a, author_a, "How Veloria recruits captured fighters", mode="assertion", cue=None, part="title"),
        "a_body": b.say(a, author_a, "Veloria recruits captured fighters to attack Kestria.", mode="assertion", cue=None),
        "a_camps": b.say(a, author_a, "The programme is run from three camps near the border.", mode="assertion", cue=None),
        "b_title": b.say(
            bdoc, outlet_b, "Veloria is using former fighters to attack Kestria", mode="assertion", cue=None, part="title"
        ),
        "b_lead": b.say(
            bdoc, author_b, "Veloria has been recruiting war-trained fighters, according to a consultant.",
            mode="assertion", cue=None,
        ),
        "b_holt": b.say(bdoc, holt_b, "Veloria recruits captured fighters to attack Kestria,"),
        "b_officials": b.say(bdoc, officials, "the Velorian programme targets Kestria", mode="indirect"),
        "b_poe": b.say(bdoc, poe_src, "I doubt the reports of Velorian-trained hit squads; it is hypothetical to date,"),
        "b_decline": b.say(
            bdoc, spokesperson, "A spokesperson for the Velorian foreign ministry declined to confirm.",
            mode="indirect", cue="declined to confirm", stance="declines",
        ),
    }  # fmt: skip
    corpus = b.build()
    refs: dict[str, object] = dict(s)
    refs.update(
        veloria=veloria, kestria=kestria, holt=holt, author_a=author_a, outlet_a=outlet_a, outlet_b=outlet_b,
        author_b=author_b, holt_b=holt_b, officials=officials, poe=poe_src, spokesperson=spokesperson, a=a, b=bdoc,
    )  # fmt: skip
    return corpus, refs
