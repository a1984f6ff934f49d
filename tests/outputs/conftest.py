"""A hand-built, realistic :class:`~claimgraph.model.Corpus` for the output tests.

The story is invented. A consultant, Marek Holt of Holt Risk Advisory, alleges on his firm's site that
the state of Veloria recruits captured militants of the Red Dune Brigade. A week later the Northern
Ledger relays the allegation: it quotes Holt, "some officials" on background, an expert (Dr. Lina Sorel of
the Arden Institute) who calls it "hypothetical to date", and a Velorian interior ministry spokesperson
(Tomas Varga) who declines to confirm. Coastal Wire then relays the Ledger's report. One origin, relayed:
the claim is graded F4 and flagged circular. A second, single-origin claim (border raids on Kestria) is
graded C3 so the grade filter has something to separate.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from claimgraph.model import (
    Alias,
    Claim,
    Corpus,
    Document,
    Entity,
    Grade,
    Mention,
    Relation,
    Source,
    Statement,
)
from claimgraph.options import Options

FROZEN = "2024-04-01T12:00:00Z"


@dataclass
class _Doc:
    id: str
    title: str
    text: str
    outlet: str
    authors: list[str]
    published: str | None
    url: str | None
    statements: list[dict[str, Any]] = field(default_factory=list)


def _span(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def build_corpus(
    *,
    d1_title: str = "Veloria recruits captured militants, our sources show",
    d2_body_extra: str = "",
    author: str = "Anna Weiss",
    militia_name: str = "Red Dune Brigade",
) -> Corpus:
    """The fixture corpus; the keyword arguments let security tests inject hostile strings."""
    t1 = (
        "Holt Risk Advisory has learned that Veloria recruits captured militants of the "
        f"{militia_name} from detention camps.\n\n"
        "Marek Holt, a consultant who heads the firm, said that the recruits are trained near the "
        "Kestrian border.\n\n"
        "The recruitment began last year, the firm's analysis says."
    )
    t2 = (
        "Veloria has been recruiting war-trained fighters held in its camps, according to Marek Holt, "
        "a consultant at Holt Risk Advisory.\n\n"
        '"Veloria recruits captured militants and sends them back across the border," Holt said.\n\n'
        "Some officials, who spoke on background, said the programme exists.\n\n"
        'Dr. Lina Sorel, a researcher at the Arden Institute, said the allegation is "hypothetical to date" '
        "and that she had seen no evidence of it.\n\n"
        "Tomas Varga, a spokesperson for the Velorian Interior Ministry, declined to confirm the reports.\n\n"
        f"Fighters of the {militia_name} raided two Kestrian border posts in January, officials in Kestria said."
        + d2_body_extra
    )
    t3 = (
        "Veloria is using former fighters to staff border units, the Northern Ledger reported, "
        "citing the consultant Marek Holt.\n\n"
        "The Velorian Interior Ministry did not comment."
    )
    docs = [
        Document(
            id="doc-holt",
            path="holt-risk.html",
            url="https://holt-risk.example/veloria",
            title=d1_title,
            authors=["Marek Holt"],
            published="2024-03-01",
            outlet="Holt Risk Advisory",
            text=t1,
            format="html",
        ),
        Document(
            id="doc-ledger",
            path="ledger.html",
            url="https://ledger.example/2024/03/veloria-fighters",
            title="Veloria accused of recruiting captured fighters",
            authors=[author],
            published="2024-03-08",
            outlet="Northern Ledger",
            text=t2,
            format="html",
        ),
        Document(
            id="doc-coastal",
            path="coastal.txt",
            url=None,
            title="Report: Veloria staffs border units with ex-fighters",
            authors=[],
            published="2024-03-09",
            outlet="Coastal Wire",
            text=t3,
            format="text",
        ),
    ]
    by_id = {d.id: d for d in docs}

    ents = [
        Entity("ent-veloria", "Veloria", "location", [Alias("Velorian", "doc-ledger", "variant")]),
        Entity("ent-kestria", "Kestria", "location"),
        Entity("ent-holt", "Marek Holt", "person", [Alias("Holt", "doc-ledger", "surname")]),
        Entity("ent-hra", "Holt Risk Advisory", "organization"),
        Entity("ent-rdb", militia_name, "group"),
        Entity("ent-sorel", "Lina Sorel", "person"),
        Entity("ent-arden", "Arden Institute", "organization"),
        Entity("ent-varga", "Tomas Varga", "person"),
        Entity("ent-vim", "Velorian Interior Ministry", "organization"),
        Entity("ent-ledger", "Northern Ledger", "organization"),
    ]
    for ent in ents:
        for doc in docs:
            for form in [ent.name, *(a.name for a in ent.aliases)]:
                pos = doc.text.find(form)
                if pos >= 0:
                    ent.mention_spans.append(Mention(doc.id, pos, pos + len(form), form))
                    if doc.id not in ent.document_ids:
                        ent.document_ids.append(doc.id)
                    break
        ent.mentions = len(ent.mention_spans)

    srcs = [
        Source(
            "src-holt",
            "Marek Holt",
            "person",
            "ent-holt",
            document_ids=["doc-holt", "doc-ledger", "doc-coastal"],
            affiliated_source_ids=["src-hra"],
            role="consultant",
        ),
        Source(
            "src-hra",
            "Holt Risk Advisory",
            "outlet",
            "ent-hra",
            document_ids=["doc-holt"],
            affiliated_source_ids=["src-holt"],
        ),
        Source("src-ledger", "Northern Ledger", "outlet", "ent-ledger", document_ids=["doc-ledger"]),
        Source(
            "src-weiss",
            author,
            "author",
            None,
            document_ids=["doc-ledger"],
            affiliated_source_ids=["src-ledger"],
        ),
        Source("src-coastal", "Coastal Wire", "outlet", None, document_ids=["doc-coastal"]),
        Source(
            "src-officials",
            "some officials",
            "anonymous",
            None,
            description="Some officials, who spoke on background",
            document_ids=["doc-ledger"],
        ),
        Source(
            "src-kestria-officials",
            "officials in Kestria",
            "anonymous",
            None,
            description="officials in Kestria",
            document_ids=["doc-ledger"],
        ),
        Source(
            "src-sorel", "Lina Sorel", "person", "ent-sorel", document_ids=["doc-ledger"], role="researcher"
        ),
        Source(
            "src-vim",
            "Velorian Interior Ministry",
            "organization",
            "ent-vim",
            document_ids=["doc-coastal"],
        ),
        Source(
            "src-varga",
            "Tomas Varga",
            "person",
            "ent-varga",
            document_ids=["doc-ledger"],
            role="spokesperson",
        ),
    ]

    def st(
        sid: str,
        doc_id: str,
        source: str,
        needle: str,
        *,
        cue: str | None,
        mode: str,
        stance: str | None,
        claim: str | None,
        ents_: list[str],
        certainty: str = "asserted",
        cues: list[str] | None = None,
        cited: list[str] | None = None,
        part: str = "text",
        speaker: str | None = None,
    ) -> Statement:
        doc = by_id[doc_id]
        base = doc.title if part == "title" else doc.text
        assert base is not None
        start, end = _span(base, needle)
        sentence_start = base.rfind("\n", 0, start) + 1
        sentence_end = base.find("\n", end)
        sentence_end = len(base) if sentence_end < 0 else sentence_end
        return Statement(
            id=sid,
            document_id=doc_id,
            source_id=source,
            text=needle,
            cue=cue,
            mode=mode,  # type: ignore[arg-type]
            certainty=certainty,
            certainty_cues=cues or [],
            start=start,
            end=end,  # type: ignore[arg-type]
            entity_ids=ents_,
            part=part,
            stance=stance,
            claim_id=claim,  # type: ignore[arg-type]
            stance_confidence=0.9 if stance else None,
            speaker_text=speaker,
            cited_source_ids=cited or [],
            sentence_start=sentence_start,
            sentence_end=sentence_end,
        )

    stmts = [
        st(
            "st-h1",
            "doc-holt",
            "src-hra",
            f"Veloria recruits captured militants of the {militia_name} from detention camps",
            cue="has learned",
            mode="assertion",
            stance="supports",
            claim="claim-recruit",
            ents_=["ent-veloria", "ent-rdb"],
        ),
        st(
            "st-h0",
            "doc-holt",
            "src-hra",
            d1_title,
            cue=None,
            mode="assertion",
            stance="supports",
            claim="claim-recruit",
            ents_=["ent-veloria"],
            part="title",
        ),
        st(
            "st-h2",
            "doc-holt",
            "src-holt",
            "the recruits are trained near the Kestrian border",
            cue="said",
            mode="indirect",
            stance=None,
            claim=None,
            ents_=["ent-kestria"],
            speaker="Marek Holt",
        ),
        st(
            "st-l1",
            "doc-ledger",
            "src-holt",
            "Veloria has been recruiting war-trained fighters held in its camps",
            cue="according to",
            mode="indirect",
            stance="supports",
            claim="claim-recruit",
            ents_=["ent-veloria"],
            speaker="Marek Holt",
        ),
        st(
            "st-l2",
            "doc-ledger",
            "src-holt",
            "Veloria recruits captured militants and sends them back across the border",
            cue="said",
            mode="direct",
            stance="supports",
            claim="claim-recruit",
            ents_=["ent-veloria"],
            speaker="Holt",
        ),
        st(
            "st-l3",
            "doc-ledger",
            "src-officials",
            "the programme exists",
            cue="said",
            mode="indirect",
            stance="supports",
            claim="claim-recruit",
            ents_=[],
            speaker="Some officials",
        ),
        st(
            "st-l4",
            "doc-ledger",
            "src-sorel",
            'the allegation is "hypothetical to date"',
            cue="said",
            mode="indirect",
            stance="disputes",
            claim="claim-recruit",
            ents_=[],
            speaker="Dr. Lina Sorel",
            certainty="hedged",
            cues=["hypothetical"],
        ),
        st(
            "st-l5",
            "doc-ledger",
            "src-varga",
            "declined to confirm the reports",
            cue="declined to confirm",
            mode="indirect",
            stance="declines",
            claim="claim-recruit",
            ents_=["ent-vim"],
            speaker="Tomas Varga",
        ),
        st(
            "st-l6",
            "doc-ledger",
            "src-kestria-officials",
            f"Fighters of the {militia_name} raided two Kestrian border posts in January",
            cue="said",
            mode="indirect",
            stance="supports",
            claim="claim-raids",
            ents_=["ent-rdb", "ent-kestria"],
            speaker="officials in Kestria",
        ),
        st(
            "st-c1",
            "doc-coastal",
            "src-coastal",
            "Veloria is using former fighters to staff border units",
            cue="reported",
            mode="indirect",
            stance="reports",
            claim="claim-recruit",
            ents_=["ent-veloria"],
            cited=["src-ledger", "src-holt"],
        ),
        st(
            "st-c2",
            "doc-coastal",
            "src-vim",
            "The Velorian Interior Ministry did not comment",
            cue=None,
            mode="assertion",
            stance="declines",
            claim="claim-recruit",
            ents_=["ent-vim"],
        ),
    ]

    recruit_grade = Grade(
        reliability="F",
        credibility=4,
        admiralty="F4",
        confidence=30,
        explanation=(
            "Rests on one origin (Marek Holt, consultant), relayed by 2 outlets; one of them is his own firm. "
            "Disputed by one named expert. One official declined to confirm. Not independently corroborated."
        ),
    )
    raids_grade = Grade(
        reliability="C",
        credibility=3,
        admiralty="C3",
        confidence=50,
        explanation="Rests on one origin (officials in Kestria) in one outlet; not contradicted.",
    )
    claims = [
        Claim(
            id="claim-recruit",
            text="Veloria recruits captured militants and sends them back across the border",
            statement_ids=["st-c1", "st-c2", "st-h0", "st-h1", "st-l1", "st-l2", "st-l3", "st-l4", "st-l5"],
            first_seen="2024-03-01",
            origin_source_ids=["src-holt"],
            independent_sources=1,
            supporting=5,
            disputing=1,
            reporting=1,
            denying=0,
            declining=2,
            circular=True,
            grade=recruit_grade,
            document_ids=["doc-coastal", "doc-holt", "doc-ledger"],
            outlets=["Coastal Wire", "Holt Risk Advisory", "Northern Ledger"],
            entity_ids=["ent-rdb", "ent-veloria", "ent-vim"],
            attention=3.0,
            chains=[
                ["src-hra", "src-holt"],
                ["src-ledger", "src-holt"],
                ["src-ledger", "src-officials"],
                ["src-coastal", "src-ledger", "src-holt"],
            ],
            origin_first_seen={"src-holt": "2024-03-01"},
        ),
        Claim(
            id="claim-raids",
            text=f"Fighters of the {militia_name} raided two Kestrian border posts in January",
            statement_ids=["st-l6"],
            first_seen="2024-03-08",
            origin_source_ids=["src-kestria-officials"],
            independent_sources=1,
            supporting=1,
            grade=raids_grade,
            document_ids=["doc-ledger"],
            outlets=["Northern Ledger"],
            entity_ids=["ent-kestria", "ent-rdb"],
            attention=1.0,
            chains=[["src-ledger", "src-kestria-officials"]],
            origin_first_seen={"src-kestria-officials": "2024-03-08"},
        ),
    ]
    relations = [
        Relation(
            "rel-recruits",
            "ent-veloria",
            "recruits",
            "ent-rdb",
            ["st-h1", "st-l2"],
            ["src-holt", "src-hra"],
            recruit_grade,
            ["claim-recruit"],
        ),
        Relation(
            "rel-attacks",
            "ent-rdb",
            "attacks",
            "ent-kestria",
            ["st-l6"],
            ["src-kestria-officials"],
            raids_grade,
            ["claim-raids"],
        ),
        Relation(
            "rel-leads",
            "ent-holt",
            "leads",
            "ent-hra",
            ["st-h2"],
            ["src-holt"],
            Grade("F", 3, "F3", 50, "Stated once, by Marek Holt's own firm; not contradicted."),
            [],
        ),
        Relation(
            "rel-trains",
            "ent-veloria",
            "trains",
            "ent-rdb",
            ["st-h2"],
            ["src-holt"],
            Grade("F", 6, "F6", 0, "Implied by one statement of the consultant; truth cannot be judged."),
            [],
        ),
    ]
    degree: dict[str, int] = {}
    for rel in relations:
        degree[rel.subject] = degree.get(rel.subject, 0) + 1
        degree[rel.object] = degree.get(rel.object, 0) + 1
    for ent in ents:
        ent.degree = degree.get(ent.id, 0)
        ent.betweenness = 0.0
        ent.community = 0 if ent.id in {"ent-veloria", "ent-rdb", "ent-kestria", "ent-vim"} else 1
    corpus = Corpus(
        documents=docs,
        entities=ents,
        sources=srcs,
        statements=stmts,
        claims=claims,
        relations=relations,
        problems=[{"path": "broken.warc", "code": "E009", "reason": "truncated or malformed WARC: eof"}],
        network={"nodes": len(ents), "edges": len(relations)},
        timeline=[{"date": "2024-03-01", "claim_id": "claim-recruit", "source_id": "src-holt"}],
    )
    corpus.sort()
    return corpus


@pytest.fixture
def corpus() -> Corpus:
    return build_corpus()


@pytest.fixture
def corpus_factory() -> Callable[..., Corpus]:
    return build_corpus


@pytest.fixture
def frozen_options() -> Options:
    return Options(frozen_time=FROZEN)


@pytest.fixture
def golden_dir() -> Path:
    return Path(__file__).parent / "golden"
