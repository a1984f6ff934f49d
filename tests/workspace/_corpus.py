"""An invented, hand-built analysis for workspace tests (no language analysis needed).

Two outlets report that the Tarn Valley water authority diverted flood funds, on the word of auditor Maya
Okafor; the authority's spokesman Daniel Reyes answers in a statement the claims stage left in a claim of
its own, with the wrong stance: what an analyst corrects.
"""

from __future__ import annotations

from claimgraph.model import Claim, Corpus, Document, Entity, Source, Statement
from claimgraph.options import Options
from claimgraph.provenance.stage import run_provenance
from claimgraph.workspace import Workspace

AUDIT_TEXT = (
    "The Tarn Valley water authority diverted emergency flood funds to Brenner Construction, "
    "auditor Maya Okafor said.\n\nThe authority's spokesman Daniel Reyes said no emergency funds "
    "were diverted to the builder."
)
LEDGER_TEXT = "Auditor Maya Okafor said the water authority diverted emergency flood funds without a tender."


def _statement(sid: str, doc: str, source: str, text: str, start: int, **kw: object) -> Statement:
    return Statement(
        id=sid,
        document_id=doc,
        source_id=source,
        text=text,
        cue="said",
        mode="indirect",
        certainty="asserted",
        certainty_cues=[],
        start=start,
        end=start + len(text),
        **kw,  # type: ignore[arg-type]
    )


def build_corpus() -> Corpus:
    """The corpus as the claims stage leaves it, with provenance run (grades set)."""
    docs = [
        Document(
            id="doc-courier",
            path="in/courier.txt",
            url="https://lakeside-courier.example/funds",
            title="Water authority diverted flood funds, auditor says",
            authors=["Ines Vidal"],
            published="2025-03-02",
            outlet="Lakeside Courier",
            text=AUDIT_TEXT,
            content_hash="1" * 64,
        ),
        Document(
            id="doc-ledger",
            path="in/ledger.txt",
            url=None,
            title="Flood money went to builder",
            authors=[],
            published="2025-03-03",
            outlet="Northern Ledger",
            text=LEDGER_TEXT,
            content_hash="2" * 64,
        ),
    ]
    entities = [
        Entity(id="ent-okafor", name="Maya Okafor", type="person", mentions=2),
        Entity(id="ent-reyes", name="Daniel Reyes", type="person", mentions=1),
        Entity(id="ent-tarn", name="Tarn Valley water authority", type="organization", mentions=2),
        Entity(id="ent-brenner", name="Brenner Construction", type="organization", mentions=1),
    ]
    sources = [
        Source(
            id="src-okafor",
            label="Maya Okafor",
            kind="person",
            entity_id="ent-okafor",
            document_ids=["doc-courier", "doc-ledger"],
        ),
        Source(
            id="src-reyes",
            label="Daniel Reyes",
            kind="person",
            entity_id="ent-reyes",
            document_ids=["doc-courier"],
        ),
        Source(id="src-courier", label="Lakeside Courier", kind="outlet", document_ids=["doc-courier"]),
    ]
    statements = [
        _statement(
            "stmt-a1",
            "doc-courier",
            "src-okafor",
            "The Tarn Valley water authority diverted emergency flood funds to Brenner Construction",
            0,
            stance="supports",
            claim_id="claim-funds",
            entity_ids=["ent-tarn", "ent-brenner"],
        ),
        _statement(
            "stmt-a2",
            "doc-courier",
            "src-reyes",
            "no emergency funds were diverted to the builder",
            150,
            stance="supports",
            claim_id="claim-denial",
        ),
        _statement(
            "stmt-b1",
            "doc-ledger",
            "src-okafor",
            "the water authority diverted emergency flood funds without a tender",
            26,
            stance="supports",
            claim_id="claim-funds",
            entity_ids=["ent-tarn"],
        ),
    ]
    claims = [
        Claim(
            id="claim-funds",
            text=statements[0].text,
            statement_ids=["stmt-a1", "stmt-b1"],
            first_seen="2025-03-02",
            document_ids=["doc-courier", "doc-ledger"],
            outlets=["Lakeside Courier", "Northern Ledger"],
            entity_ids=["ent-tarn"],
        ),
        Claim(
            id="claim-denial",
            text=statements[1].text,
            statement_ids=["stmt-a2"],
            first_seen="2025-03-02",
            document_ids=["doc-courier"],
            outlets=["Lakeside Courier"],
        ),
    ]
    corpus = Corpus(documents=docs, entities=entities, sources=sources, statements=statements, claims=claims)
    run_provenance(corpus, Options())
    corpus.sort()
    return corpus


def store_analysis(ws: Workspace, corpus: Corpus) -> None:
    """Store ``corpus``'s documents and analysis in the workspace, as ``claimgraph analyze`` would."""
    for doc in corpus.documents:
        ws.store.add_document(doc)
    ws.store.save_analysis(corpus)
