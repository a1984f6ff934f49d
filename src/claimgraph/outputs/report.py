"""``report.html``: one self-contained, offline HTML report, and the attribution wording every exporter shares.

The report separates what sources said (quoted, attributed, linked to its place in the text) from the
tool's assessment (Admiralty grade, explanation, words of estimative probability). It never states an
allegation as fact.

Security model (article text is untrusted): every value goes through Jinja2 autoescaping (``quote=True``
semantics: ``<>&"'`` escaped); there are no inline event handlers; a ``Content-Security-Policy`` meta tag
allows only the hashes of the one inline ``<style>`` and the one inline ``<script>`` (``default-src 'none'``,
no ``'unsafe-inline'``); data for the script travels as JSON in a ``<script type="application/json">`` block
with ``<``, ``>`` and ``&`` escaped as ``\\u003c``, ``\\u003e``, ``\\u0026``; links are only emitted for
``http(s)`` URLs; the script writes untrusted text with ``textContent`` only.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import math
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..model import UNNAMED_OUTLET, Claim, Corpus, Document, Entity, Grade, Source, Statement
from ..options import Options
from ..provenance.explain import collapse_unnamed
from ..provenance.grading import CREDIBILITY_LABELS, RELIABILITY_LABELS
from ..registry import registry
from . import write_atomic

__all__ = [
    "CREDIBILITY",
    "ESTIMATIVE",
    "RELIABILITY",
    "STANCE_VERBS",
    "Index",
    "attributed_claim",
    "estimative",
    "join_names",
    "render_report",
    "source_phrase",
    "write_report",
]

# --------------------------------------------------------------------------- shared wording

#: NATO Admiralty wording, from the one place that grades (``claimgraph.provenance.grading``):
#: source reliability (assigned only from the user's registry; default F) and information credibility.
RELIABILITY: dict[str, str] = dict(RELIABILITY_LABELS)
CREDIBILITY: dict[int, str] = {number: label.lower() for number, label in CREDIBILITY_LABELS.items()}

#: Credibility 1-6 in words of estimative probability (after Kent and ICD 203).
ESTIMATIVE: dict[int, str] = {
    1: "almost certain",
    2: "likely",
    3: "roughly even chance",
    4: "unlikely",
    5: "remote",
    6: "cannot be judged",
}

#: How a statement's stance is reported in prose; nothing is ever stated as fact.
STANCE_VERBS: dict[str, str] = {
    "supports": "alleged",
    "reports": "relayed",
    "disputes": "disputed",
    "denies": "denied",
    "declines": "declined to confirm",
}

_KIND_NOUN: dict[str, str] = {
    "author": "author",
    "outlet": "outlet",
    "anonymous": "anonymous",
    "document": "document",
}


def join_names(names: Sequence[str]) -> str:
    """``["a"]`` -> ``a``; ``["a", "b", "c"]`` -> ``a, b and c``; several unnamed outlets are counted
    (:func:`claimgraph.provenance.explain.collapse_unnamed`)."""
    names = collapse_unnamed([n for n in names if n])
    if not names:
        return ""
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def estimative(grade: Grade) -> str:
    """Likelihood the claim is accurate, e.g. ``unlikely (credibility 4: doubtful)``."""
    cred = grade.credibility if grade.credibility in ESTIMATIVE else 6
    return f"{ESTIMATIVE[cred]} (credibility {cred}: {CREDIBILITY[cred]})"


class Index:
    """Lookups over a corpus, built once per export."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.documents: dict[str, Document] = {d.id: d for d in corpus.documents}
        self.sources: dict[str, Source] = {s.id: s for s in corpus.sources}
        self.entities: dict[str, Entity] = {e.id: e for e in corpus.entities}
        self.statements: dict[str, Statement] = {s.id: s for s in corpus.statements}
        self.claims: dict[str, Claim] = {c.id: c for c in corpus.claims}
        self._phrases: dict[str, str] = {}
        self.by_claim: dict[str, list[Statement]] = defaultdict(list)
        for st in corpus.statements:
            if st.claim_id:
                self.by_claim[st.claim_id].append(st)

    def source_label(self, source_id: str) -> str:
        src = self.sources.get(source_id)
        return src.label if src is not None else source_id

    def phrase(self, source_id: str) -> str:
        """:func:`source_phrase` of the source (its id when unknown), kept for the export's next calls."""
        text = self._phrases.get(source_id)
        if text is None:
            src = self.sources.get(source_id)
            text = self._phrases[source_id] = source_phrase(src) if src is not None else source_id
        return text

    def outlet_of(self, doc_id: str) -> str:
        doc = self.documents.get(doc_id)
        if doc is None:
            return doc_id
        return doc.outlet or (doc.authors[0] if doc.authors else UNNAMED_OUTLET)

    def sentence(self, st: Statement) -> str:
        """The sentence a statement sits in (its own text when no sentence offsets are known)."""
        doc = self.documents.get(st.document_id)
        base = (doc.title if st.part == "title" else doc.text) if doc is not None else None
        if (
            base
            and st.sentence_start is not None
            and st.sentence_end is not None
            and 0 <= st.sentence_start <= st.start
            and st.end <= st.sentence_end <= len(base)
        ):
            return base[st.sentence_start : st.sentence_end].strip()
        return st.text

    def _origin_circle(self, claim: Claim) -> tuple[set[str], set[str]]:
        """Casefolded labels of the claim's origins, and of sources affiliated with them."""
        origins = {self.source_label(s).casefold() for s in claim.origin_source_ids}
        affiliated: set[str] = set()
        for sid in claim.origin_source_ids:
            src = self.sources.get(sid)
            if src is not None:
                affiliated.update(self.source_label(a).casefold() for a in src.affiliated_source_ids)
        return origins, affiliated - origins

    def relays(self, claim: Claim) -> list[str]:
        """Outlets carrying the claim, minus its origins and outlets affiliated with them."""
        origins, affiliated = self._origin_circle(claim)
        outlets = claim.outlets or sorted({self.outlet_of(d) for d in claim.document_ids})
        return [o for o in outlets if o.casefold() not in origins | affiliated]

    def affiliated_outlets(self, claim: Claim) -> list[str]:
        """Outlets carrying the claim that are affiliated with an origin (e.g. the origin's own firm)."""
        _, affiliated = self._origin_circle(claim)
        outlets = claim.outlets or sorted({self.outlet_of(d) for d in claim.document_ids})
        return [o for o in outlets if o.casefold() in affiliated]


def source_phrase(src: Source) -> str:
    """``John Smith (consultant)``, ``some officials (anonymous)``, ``Northern Ledger (outlet)``."""
    if src.kind == "anonymous":
        return f"{src.description or src.label} (anonymous)"
    if src.kind == "outlet" and src.label == UNNAMED_OUTLET:
        return src.label  # "an unnamed outlet (outlet)" would say it twice
    from ..vocab import shown_role

    # an honorific alone ("Dr.") is a form of address, not a role: the same rule as the explanations
    role = shown_role(src.role) or _KIND_NOUN.get(src.kind)
    return f"{src.label} ({role})" if role else src.label


def attributed_claim(claim: Claim, index: Index) -> str:
    """The claim, always attributed: ``Claim relayed by A and B, originating with X (consultant): “…”``."""
    origins = join_names([index.phrase(s) for s in claim.origin_source_ids])
    relays = join_names(index.relays(claim))
    own = index.affiliated_outlets(claim)
    if origins and own:
        origins += f", published by the affiliated {join_names(own)}"
    text = f"“{claim.text}”"
    if origins and relays:
        return f"Claim relayed by {relays}, originating with {origins}: {text}"
    if origins:
        return f"Claim originating with {origins}: {text}"
    if relays:
        return f"Claim carried by {relays}, origin not identified: {text}"
    return f"Claim of unidentified origin: {text}"


def origin_sentence(claim: Claim, index: Index) -> str:
    """``John Smith (consultant) alleged: “…”`` (the headline of a claim in the report)."""
    origins = join_names([index.phrase(s) for s in claim.origin_source_ids])
    text = tidy_claim_text(claim.text)
    if origins:
        return f"{origins[:1].upper()}{origins[1:]} alleged: “{text}”"
    return f"Sources of unidentified origin alleged: “{text}”"


# --------------------------------------------------------------------------- the HTML report

_HERE = Path(__file__).resolve().parent
#: Claims shown in full (cards with diagram and quotes); the rest go to a compact table.
MAX_CLAIM_CARDS = 25
#: Nodes drawn in the actor network (the best-connected first).
MAX_NETWORK_NODES = 1000
#: The report's size budget in bytes: past it, the report keeps fewer rows, quotes and actors (never the
#: top claims) and points to claimgraph.json for the rest.
SIZE_BUDGET = 10 * 1024 * 1024
#: Documents are shown in full while their texts add up to at most this many characters; past it, each
#: document shows only the sentences that are quoted (with the same anchors), never its full text.
FULL_TEXT_BUDGET = 1_000_000
#: JavaScript inlined before report.js, in this order (vendored from npm, licences beside them).
VENDOR_SCRIPTS = ("cytoscape.min.js", "layout-base.js", "cose-base.js", "cytoscape-fcose.js")
#: The one rule Cytoscape.js injects as a <style> element (allowed by its hash in the CSP).
CYTOSCAPE_STYLE = ".__________cytoscape_container { position: relative; }"


@dataclass(frozen=True)
class _Limits:
    """How much of a big corpus the report shows; halved step by step until the report fits its budget."""

    claim_rows: int = 2000
    quotes_per_column: int = 60
    network_nodes: int = MAX_NETWORK_NODES
    network_edges: int = 4000
    edge_quotes: int = 4
    documents: int = 3000
    timeline_events: int = 1500

    def smaller(self) -> _Limits:
        return _Limits(
            claim_rows=max(50, self.claim_rows // 2),
            quotes_per_column=max(6, self.quotes_per_column // 2),
            network_nodes=max(100, self.network_nodes // 2),
            network_edges=max(200, self.network_edges // 2),
            edge_quotes=max(1, self.edge_quotes // 2),
            documents=max(50, self.documents // 2),
            timeline_events=max(100, self.timeline_events // 2),
        )


_OPEN_CLOSE = (("“", "”"), ("«", "»"))


def tidy_claim_text(text: str) -> str:
    """A claim as displayed: balanced quotation marks and a capital first letter; wording otherwise kept.

    An unmatched closing or opening curly quotation mark is dropped; an odd straight double quote is
    dropped (the last one). Only the first letter changes case.
    """
    text = " ".join(text.split())
    for opening, closing in _OPEN_CLOSE:
        if opening not in text and closing not in text:
            continue  # nothing to balance (most claims): the loop below would copy the text unchanged
        out: list[str] = []
        open_at: list[int] = []
        for ch in text:
            if ch == opening:
                open_at.append(len(out))
            elif ch == closing:
                if not open_at:
                    continue  # a closing mark with nothing open
                open_at.pop()
            out.append(ch)
        for i in reversed(open_at):  # opening marks never closed
            del out[i]
        text = "".join(out)
    if text.count('"') % 2:
        i = text.rfind('"')
        text = text[:i] + text[i + 1 :]
    text = " ".join(text.split())
    for i, ch in enumerate(text):
        if ch.isalpha():
            return text[:i] + ch.upper() + text[i + 1 :] if ch.islower() else text
        if ch.isdigit():
            break
    return text


_SAFE_ID = re.compile(r"[^A-Za-z0-9_-]")


def anchor(prefix: str, raw_id: str) -> str:
    """An HTML id / URL fragment made of ``[A-Za-z0-9_-]`` only: ``st-…``, ``doc-…``, ``claim-…``."""
    clean = _SAFE_ID.sub("-", raw_id)
    return clean if clean.startswith(prefix + "-") else f"{prefix}-{clean}"


def _safe_url(url: str | None) -> str | None:
    """Only ``http(s)`` URLs become links (no ``javascript:``/``data:``)."""
    if not url:
        return None
    lowered = url.strip().lower()
    return url.strip() if lowered.startswith(("http://", "https://")) else None


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def json_for_script(data: Any) -> str:
    """JSON safe inside ``<script type="application/json">``: ``<``, ``>``, ``&`` and U+2028/9 escaped."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for raw, esc in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(raw, esc)
    return text


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass
class _Evidence:
    anchor: str
    quote: str
    who: str
    verb: str
    where: str
    date: str
    stance: str
    certainty: str
    copies: list[str] = field(default_factory=list)
    """Outlets of syndicated copies that repeat this quote (shown once, "also in N copies")."""


@dataclass
class _Box:
    label: str
    full: str
    lines: list[str]
    kind: str
    x: float
    y: float
    w: float
    h: float
    origin: bool


@dataclass
class _Diagram:
    width: float
    height: float
    boxes: list[_Box]
    lines: list[tuple[float, float, float, float]]
    headers: list[tuple[float, str]]
    chains: list[str]


@dataclass
class _ClaimView:
    id: str
    anchor: str
    rank: int
    headline: str
    text: str
    grade: Grade
    reliability: str
    credibility: str
    likelihood: str
    circular: bool
    single_origin: bool
    origins: str
    outlets: list[str]
    first_seen: str
    counts: dict[str, int]
    documents: int
    diagram: _Diagram
    support: list[_Evidence] = field(default_factory=list)
    against: list[_Evidence] = field(default_factory=list)
    refusals: list[_Evidence] = field(default_factory=list)


def _evidence(index: Index, st: Statement) -> _Evidence:
    doc = index.documents.get(st.document_id)
    return _Evidence(
        anchor=anchor("st", st.id),
        quote=index.sentence(st),
        who=index.phrase(st.source_id),
        verb=STANCE_VERBS.get(st.stance or "", "said"),
        where=index.outlet_of(st.document_id),
        date=(doc.published if doc is not None and doc.published else "undated"),
        stance=st.stance or "none",
        certainty=st.certainty,
    )


def _chains(claim: Claim, index: Index) -> list[list[str]]:
    chains = [list(c) for c in claim.chains if c]
    if chains:
        return chains
    # fallback: outlet -> speaker -> cited sources, from the statements themselves
    by_label = {(s.kind, s.label.casefold()): s.id for s in index.corpus.sources}
    for st in index.by_claim.get(claim.id, []):
        doc = index.documents.get(st.document_id)
        outlet = by_label.get(("outlet", (doc.outlet or "").casefold())) if doc is not None else None
        chain = [outlet] if outlet and outlet != st.source_id else []
        chain += [st.source_id, *reversed(st.cited_source_ids)]
        chains.append([c for c in chain if c])
    return chains


def _diagram(claim: Claim, index: Index) -> _Diagram:
    """Provenance chains (outlet -> speakers -> origin), origin in the right-most column.

    Sources of one entity (an author and the same person quoted elsewhere) are one box. Chains that end
    at an origin, or at a source affiliated with one, are drawn; chains of disputing or declining
    speakers are in the quotes instead. When no chain reaches an origin, all chains are drawn.
    """

    def key(sid: str) -> str:
        src = index.sources.get(sid)
        return f"e:{src.entity_id}" if src is not None and src.entity_id else f"s:{sid}"

    origin_keys = {key(o) for o in claim.origin_source_ids}
    affiliate_of: dict[str, str] = {}
    for o in claim.origin_source_ids:
        if o in index.sources:
            for a in index.sources[o].affiliated_source_ids:
                affiliate_of.setdefault(key(a), key(o))
    affiliated_keys = set(affiliate_of) - origin_keys
    label_of: dict[str, str] = {}
    kind_of: dict[str, str] = {}
    for sid in claim.origin_source_ids:
        label_of.setdefault(key(sid), sid)
    keyed: list[list[str]] = []
    for chain in _chains(claim, index):
        row: list[str] = []
        for sid in chain:
            k = key(sid)
            label_of.setdefault(k, sid)
            if k not in row:
                row.append(k)
        if row:
            keyed.append(row)
    # a chain ending at the origin's affiliate (his own firm) continues to the origin
    keyed = [
        [*c, affiliate_of[c[-1]]] if c[-1] in affiliated_keys and affiliate_of[c[-1]] not in c else c
        for c in keyed
    ]
    reaching = [c for c in keyed if c[-1] in origin_keys]
    unique: list[list[str]] = []
    for chain in reaching or keyed:
        if chain not in unique:
            unique.append(chain)
    for k, sid in label_of.items():
        src = index.sources.get(sid)
        kind_of[k] = src.kind if src is not None else "other"
    depth: dict[str, int] = {}
    for chain in unique:
        for i, sid in enumerate(chain):
            depth[sid] = max(depth.get(sid, 0), len(chain) - 1 - i)
    ncols = max(depth.values(), default=0) + 1
    column: dict[str, int] = {sid: ncols - 1 - d for sid, d in depth.items()}
    rows: dict[int, list[str]] = defaultdict(list)
    for chain in unique:
        for sid in chain:
            if sid not in rows[column[sid]]:
                rows[column[sid]].append(sid)
    box_w, box_h, gap_x, gap_y, top = 214.0, 44.0, 56.0, 12.0, 26.0
    nrows = max((len(r) for r in rows.values()), default=1)
    height = top + nrows * (box_h + gap_y)
    pos: dict[str, tuple[float, float]] = {}
    boxes: list[_Box] = []
    for col in range(ncols):
        col_rows = rows.get(col, [])
        offset = (nrows - len(col_rows)) * (box_h + gap_y) / 2
        for r, sid in enumerate(col_rows):
            x = col * (box_w + gap_x)
            y = top + offset + r * (box_h + gap_y)
            pos[sid] = (x, y)
            full = index.phrase(label_of[sid])
            if sid in affiliated_keys:
                full += ", affiliated with the origin"
            boxes.append(
                _Box(
                    label=_short(full, 26),
                    full=full,
                    lines=_wrap_label(full, 23 if sid in origin_keys else 27, 2),
                    kind=kind_of.get(sid, "other") + (" affiliated" if sid in affiliated_keys else ""),
                    x=x,
                    y=y,
                    w=box_w,
                    h=box_h,
                    origin=sid in origin_keys,
                )
            )
    lines: set[tuple[float, float, float, float]] = set()
    for chain in unique:
        for a, b in itertools.pairwise(chain):
            (ax, ay), (bx, by) = pos[a], pos[b]
            lines.add((ax + box_w, ay + box_h / 2, bx - 4, by + box_h / 2))
    headers = []
    for col in range(ncols):
        if ncols > 1 and col == 0:
            name = "Carried by"
        elif col == ncols - 1:
            name = "Origin"
        else:
            name = "Relayed through"
        headers.append((col * (box_w + gap_x), name))
    width = ncols * box_w + (ncols - 1) * gap_x + 4
    text_chains = [" → ".join(index.source_label(label_of[k]) for k in chain) for chain in unique]
    return _Diagram(width, max(height, top + box_h + gap_y), boxes, sorted(lines), headers, text_chains)


def _wrap_label(text: str, width: int, max_lines: int) -> list[str]:
    """``text`` on at most ``max_lines`` lines of about ``width`` characters (the last one ends in … if cut)."""
    import textwrap

    lines = textwrap.wrap(" ".join(text.split()), width, break_long_words=True) or [""]
    if len(lines) > max_lines:
        rest = " ".join(lines[max_lines - 1 :])
        lines = [*lines[: max_lines - 1], _short(rest, width)]
    return lines


def _claim_view(claim: Claim, rank: int, index: Index) -> _ClaimView:
    g = claim.grade
    stmts = sorted(
        index.by_claim.get(claim.id, []),
        key=lambda s: (
            (index.documents[s.document_id].published or "9999")
            if s.document_id in index.documents
            else "9999",
            s.document_id,
            s.start,
            s.id,
        ),
    )
    view = _ClaimView(
        id=claim.id,
        anchor=anchor("claim", claim.id),
        rank=rank,
        headline=origin_sentence(claim, index),
        text=tidy_claim_text(claim.text),
        grade=g,
        reliability="not judged"
        if g.reliability in ("F", "")
        else RELIABILITY.get(g.reliability, RELIABILITY["F"]),
        credibility=CREDIBILITY.get(g.credibility, CREDIBILITY[6]),
        likelihood=ESTIMATIVE.get(g.credibility, ESTIMATIVE[6]),
        circular=claim.circular,
        single_origin=len(claim.origin_source_ids) <= 1,
        origins=join_names([index.phrase(s) for s in claim.origin_source_ids]) or "not identified",
        outlets=list(claim.outlets) or sorted({index.outlet_of(d) for d in claim.document_ids}),
        first_seen=claim.first_seen or "undated",
        counts={
            "supporting": claim.supporting,
            "reporting": claim.reporting,
            "disputing": claim.disputing,
            "denying": claim.denying,
            "declining": claim.declining,
            "independent origins": claim.independent_sources,
        },
        documents=len(claim.document_ids),
        diagram=_diagram(claim, index),
    )
    seen: dict[tuple[str, str, str, str], _Evidence] = {}
    for st in stmts:
        ev = _evidence(index, st)
        doc = index.documents.get(st.document_id)
        root = (doc.duplicate_of or doc.id) if doc is not None else st.document_id
        key = (root, " ".join(ev.quote.split()).casefold(), ev.who, ev.stance)
        if key in seen:  # the same quote in a syndicated copy of the same article: shown once
            seen[key].copies.append(ev.where)
            continue
        seen[key] = ev
        if st.stance in ("disputes", "denies"):
            view.against.append(ev)
        elif st.stance == "declines":
            view.refusals.append(ev)
        else:
            view.support.append(ev)
    return view


def _marked(text: str, spans: list[tuple[int, int, Statement]], index: Index) -> str:
    """``text`` escaped, with ``<mark id="st-…">`` on statement spans (overlaps get a zero-width anchor)."""
    import html

    opens: dict[int, list[str]] = defaultdict(list)
    closes: dict[int, list[str]] = defaultdict(list)
    points: dict[int, list[str]] = defaultdict(list)
    last_end = -1
    for start, end, st in sorted(spans, key=lambda x: (x[0], -x[1], x[2].id)):
        ident = html.escape(anchor("st", st.id), quote=True)
        if not (0 <= start < end <= len(text)):
            points[0].append(f'<span class="anchor" id="{ident}"></span>')
            continue
        if start >= last_end:
            title = html.escape(
                f"{index.phrase(st.source_id)}: {STANCE_VERBS.get(st.stance or '', 'said')}", quote=True
            )
            stance = html.escape(st.stance or "none", quote=True)
            opens[start].append(f'<mark id="{ident}" class="st st-{stance}" title="{title}">')
            closes[end].append("</mark>")
            last_end = end
        else:
            points[start].append(f'<span class="anchor" id="{ident}"></span>')
    out: list[str] = []
    prev = 0
    for pos in sorted(set(opens) | set(closes) | set(points)):
        out.append(html.escape(text[prev:pos], quote=True))
        out.extend(closes.get(pos, []))
        out.extend(points.get(pos, []))
        out.extend(opens.get(pos, []))
        prev = pos
    out.append(html.escape(text[prev:], quote=True))
    return "".join(out)


def _excerpts(doc: Document, stmts: list[Statement], index: Index) -> str:
    """Only the quoted sentences of a document (each statement keeps its anchor), never the full text."""
    import html

    items: list[str] = []
    seen: dict[str, int] = {}
    for st in sorted(stmts, key=lambda s: (s.part != "title", s.start, s.id)):
        ident = html.escape(anchor("st", st.id), quote=True)
        sentence = " ".join(index.sentence(st).split())
        if sentence in seen:  # a second statement in the same sentence: an anchor on the same item
            items[seen[sentence]] = items[seen[sentence]].replace(
                "<li>", f'<li><span class="anchor" id="{ident}"></span>', 1
            )
            continue
        stance = html.escape(st.stance or "none", quote=True)
        title = html.escape(
            f"{index.phrase(st.source_id)}: {STANCE_VERBS.get(st.stance or '', 'said')}", quote=True
        )
        seen[sentence] = len(items)
        items.append(
            f'<li><mark id="{ident}" class="st st-{stance}" title="{title}">{html.escape(sentence, quote=True)}</mark></li>'
        )
    return '<ul class="excerpts">' + "".join(items) + "</ul>" if items else ""


def _documents(index: Index, limits: _Limits, keep_first: set[str]) -> tuple[list[dict[str, Any]], bool]:
    """The documents of the "Source texts" section, and whether they are excerpts (big corpora)."""
    from markupsafe import Markup

    by_doc: dict[str, list[Statement]] = defaultdict(list)
    for st in index.corpus.statements:
        by_doc[st.document_id].append(st)
    excerpts = sum(len(d.text) for d in index.corpus.documents) > FULL_TEXT_BUDGET
    chosen = index.corpus.documents
    if len(chosen) > limits.documents:
        ranked = sorted(chosen, key=lambda d: (d.id not in keep_first, -len(by_doc.get(d.id, [])), d.id))
        chosen = ranked[: limits.documents]
    docs = []
    for doc in sorted(chosen, key=lambda d: (d.published or "9999", d.id)):
        stmts = by_doc.get(doc.id, [])
        title = doc.title or doc.path
        title_spans = [(s.start, s.end, s) for s in stmts if s.part == "title" and doc.title]
        text_spans = [(s.start, s.end, s) for s in stmts if s.part != "title"]
        if excerpts:
            text = Markup(_excerpts(doc, stmts, index))
            title_html = Markup(_marked(title, [], index))
        else:
            text = Markup(_marked(doc.text, text_spans, index))
            title_html = Markup(_marked(title, title_spans, index))
        docs.append(
            {
                "id": doc.id,
                "anchor": anchor("doc", doc.id),
                "title": title_html,
                "text": text,
                "outlet": doc.outlet or "outlet unknown",
                "authors": join_names(doc.authors),
                "published": doc.published or "undated",
                "url": doc.url,
                "link": _safe_url(doc.url),
                "path": doc.path,
                "duplicate_of": doc.duplicate_of,
                "statements": len(stmts),
                "plain_title": title,
            }
        )
    return docs, excerpts


def _sourcing(corpus: Corpus, documents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The "Sourcing of each document" table: one row per document shown, in the same order; each shown
    document also gets its profile in words (``sourcing``)."""
    profiles = {p.document_id: p for p in corpus.sourcing_profiles()}
    rows = []
    for d in documents:
        p = profiles.get(d["id"])
        d["sourcing"] = p.summary if p is not None else ""  # the sentence under each source text
        if p is None:
            continue
        counter = [
            f"{n} {noun}"
            for n, noun in ((p.disputes, "disputed"), (p.denials, "denied"), (p.refusals, "declined"))
            if n
        ]
        rows.append(
            {
                "anchor": d["anchor"],
                "title": d["plain_title"],  # d["title"] carries the title's statement marks (their ids)
                "outlet": d["outlet"],
                "statements": p.statements,
                "on_record": p.on_record,
                "anonymous": p.anonymous,
                "author": p.author_assertions,
                "sources": f"{p.named_sources} named, {p.anonymous_sources} anonymous",
                "counter": ", ".join(counter) if counter else "none",
                "origins": (
                    "no claim" if not p.claims else f"{p.single_origin_claims} of {p.claims} on one origin"
                ),
                "vs_median": p.on_record_vs_median or "",
                "summary": p.summary,
            }
        )
    return rows


_TYPE_ORDER = ("person", "organization", "group", "location", "other")


def _network(corpus: Corpus, index: Index, limits: _Limits) -> dict[str, Any]:
    """The actor network as Cytoscape.js elements, with starting positions (networkx, deterministic).

    The page refines the layout with fcose and hides node labels that would overlap; the best-connected
    ``limits.network_nodes`` actors are drawn. Edge evidence (a few quotes per relation) travels in ``data``.
    """
    import networkx as nx

    graph = nx.MultiDiGraph()
    relations = [r for r in corpus.relations if r.subject in index.entities and r.object in index.entities]
    for rel in relations:
        graph.add_edge(rel.subject, rel.object, key=rel.id)
    truncated = False
    if graph.number_of_nodes() > limits.network_nodes:
        keep = sorted(graph.nodes, key=lambda n: (-graph.degree(n), n))[: limits.network_nodes]
        graph = graph.subgraph(keep).copy()
        truncated = True
    nodes_sorted = sorted(graph.nodes)
    simple = nx.Graph()
    simple.add_nodes_from(nodes_sorted)
    simple.add_edges_from(sorted((min(u, v), max(u, v)) for u, v in graph.edges() if u != v))
    if simple.number_of_nodes() == 0:
        pos: dict[str, tuple[float, float]] = {}
    elif simple.number_of_nodes() <= 60:
        pos = {k: (float(v[0]), float(v[1])) for k, v in nx.kamada_kawai_layout(simple).items()}
    else:
        layout = nx.spring_layout(simple, seed=42, iterations=50)
        pos = {k: (float(v[0]), float(v[1])) for k, v in layout.items()}
    # spread the unit-square layout so that nodes start about 90 px apart
    scale = 90.0 * math.sqrt(max(len(pos), 1))
    degree = {n: simple.degree(n) for n in simple.nodes}
    elements: list[dict[str, Any]] = []
    for nid in nodes_sorted:
        ent = index.entities[nid]
        x, y = pos[nid]
        deg = degree[nid]
        elements.append(
            {
                "group": "nodes",
                "data": {
                    "id": nid,
                    "label": _short(ent.name, 40),
                    "name": ent.name,
                    "type": ent.type if ent.type in _TYPE_ORDER else "other",
                    "degree": deg,
                    "size": round(min(16 + 7 * math.sqrt(deg), 70), 1),
                },
                "position": {"x": round(x * scale, 1), "y": round(y * scale, 1)},
                "classes": "t-" + (ent.type if ent.type in _TYPE_ORDER else "other"),
            }
        )
    data: dict[str, Any] = {}
    table: list[dict[str, Any]] = []
    drawn = [r for r in sorted(relations, key=lambda r: r.id) if r.subject in pos and r.object in pos]
    for rel in drawn[: limits.network_edges]:
        g = rel.grade
        cred = g.credibility if g.credibility in CREDIBILITY else 6
        ident = anchor("edge", rel.id)
        subject, obj = index.entities[rel.subject].name, index.entities[rel.object].name
        reliability = (g.reliability or "F").upper()[:1]
        elements.append(
            {
                "group": "edges",
                "data": {
                    "id": ident,
                    "source": rel.subject,
                    "target": rel.object,
                    "predicate": rel.predicate,
                    "label": f"{rel.predicate} · {g.admiralty}",
                    "rel": reliability,
                    "cred": cred,
                    "width": round(1.2 + 3.0 * max(0, min(100, g.confidence)) / 100, 2),
                },
                "classes": f"c{cred}",
            }
        )
        stmts = sorted(
            (index.statements[s] for s in rel.statement_ids if s in index.statements),
            key=lambda s: (s.document_id, s.start, s.id),
        )
        sources = join_names([index.phrase(s) for s in sorted(rel.source_ids)]) or "unidentified sources"
        data[ident] = {
            "title": f"{subject} — {rel.predicate} → {obj}",
            "grade": g.admiralty,
            "reliability": "not judged" if reliability == "F" else reliability,
            "likelihood": ESTIMATIVE.get(cred, ESTIMATIVE[6]),
            "sources": sources,
            "explanation": g.explanation,
            "more": max(0, len(stmts) - limits.edge_quotes),
            "evidence": [
                {
                    "quote": _short(index.sentence(s), 400),
                    "who": index.phrase(s.source_id),
                    "where": index.outlet_of(s.document_id),
                    "date": (index.documents[s.document_id].published or "undated")
                    if s.document_id in index.documents
                    else "undated",
                    "anchor": anchor("st", s.id),
                }
                for s in stmts[: limits.edge_quotes]
            ],
        }
        table.append(
            {
                "subject": subject,
                "predicate": rel.predicate,
                "object": obj,
                "grade": g,
                "reliability": reliability,
                "sources": sources,
                "anchor": anchor("st", stmts[0].id) if stmts else None,
            }
        )
    types_present = [t for t in _TYPE_ORDER if any(e["data"].get("type") == t for e in elements)]
    return {
        "elements": elements,
        "data": data,
        "nodes": len(nodes_sorted),
        "edges": len(table),
        "edges_total": len(relations),
        "table": table,
        "truncated": truncated or len(drawn) > limits.network_edges,
        "types": types_present,
    }


def _timeline(
    corpus: Corpus, index: Index, ranked: list[Claim], limits: _Limits
) -> tuple[list[dict[str, Any]], int]:
    """First appearances: documents, claims, and each claim's origins, by date; and how many were left out.

    Past ``limits.timeline_events``, document events go first, then the events of the lowest-ranked claims.
    """
    events: list[dict[str, Any]] = []
    originals = [d for d in corpus.documents if not d.duplicate_of]
    claim_events = len(corpus.claims) + sum(len(c.origin_first_seen) for c in corpus.claims)
    if len(originals) + claim_events > limits.timeline_events:
        originals = []
    claims = ranked[: limits.timeline_events] if claim_events > limits.timeline_events else ranked
    views = {c.id: anchor("claim", c.id) for c in claims}
    for doc in originals:
        events.append(
            {
                "date": doc.published or "undated",
                "kind": "document",
                "text": f"{doc.outlet or UNNAMED_OUTLET.capitalize()} published “{doc.title or doc.path}”",
                "href": "#" + anchor("doc", doc.id),
            }
        )
    for claim in claims:
        view = views.get(claim.id)
        events.append(
            {
                "date": claim.first_seen or "undated",
                "kind": "claim",
                "text": (
                    f"First appearance of the claim “{_short(tidy_claim_text(claim.text), 100)}”, attributed to "
                    f"{join_names([index.phrase(s) for s in claim.origin_source_ids]) or 'an unidentified origin'}"
                    f" (Admiralty {claim.grade.admiralty})"
                ),
                "href": "#" + view if view is not None else None,
            }
        )
        for sid, date in sorted(claim.origin_first_seen.items()):
            if date and date != claim.first_seen:
                events.append(
                    {
                        "date": date,
                        "kind": "origin",
                        "text": f"First seen: {index.phrase(sid)} as an origin of “{_short(claim.text, 80)}”",
                        "href": "#" + view if view is not None else None,
                    }
                )
    order = {"document": 0, "claim": 1, "origin": 2}
    events.sort(key=lambda e: (e["date"] == "undated", e["date"], order[e["kind"]], e["text"]))
    left_out = len(corpus.documents) - sum(1 for d in corpus.documents if d.duplicate_of) - len(originals)
    left_out += len(corpus.claims) - len(claims)
    events = events[: limits.timeline_events]
    grouped: list[dict[str, Any]] = []
    for ev in events:
        if not grouped or grouped[-1]["date"] != ev["date"]:
            grouped.append({"date": ev["date"], "events": []})
        grouped[-1]["events"].append(ev)
    return grouped, left_out


def _summary(corpus: Corpus, index: Index) -> dict[str, Any]:
    outlets = sorted({d.outlet for d in corpus.documents if d.outlet})
    return {
        "documents": len(corpus.documents),
        "duplicates": sum(1 for d in corpus.documents if d.duplicate_of),
        "outlets": len(outlets),
        "claims": len(corpus.claims),
        "single_origin": sum(1 for c in corpus.claims if len(c.origin_source_ids) <= 1),
        "circular": sum(1 for c in corpus.claims if c.circular),
        "disputed": sum(1 for c in corpus.claims if c.disputing or c.denying),
        "statements": len(corpus.statements),
        "sources": len(corpus.sources),
        "relations": len(corpus.relations),
        "problems": len(corpus.problems),
    }


def _findings(claims: list[Claim], index: Index) -> list[str]:
    """The tool's assessment in a few sentences (never the claims themselves as fact)."""
    out: list[str] = []
    for claim in claims[:3]:
        origins = join_names([index.phrase(s) for s in claim.origin_source_ids]) or "no identified origin"
        ndocs, nout = len(claim.document_ids), len(claim.outlets)
        sentence = (
            f"The claim “{_short(tidy_claim_text(claim.text), 90)}” appears in {ndocs} document{'s' if ndocs != 1 else ''}"
            f" from {nout} outlet{'s' if nout != 1 else ''} but rests on "
            f"{'one origin' if len(claim.origin_source_ids) == 1 else f'{len(claim.origin_source_ids)} origins'}"
            f": {origins}."
        )
        if claim.circular:
            sentence += " This is circular reporting: the apparent corroboration is one source, relayed."
        against = claim.disputing + claim.denying
        if against:
            sentence += f" {against} statement{'s' if against != 1 else ''} dispute{'' if against != 1 else 's'} or deny it."
        sentence += (
            f" Likelihood that it is accurate as stated: {ESTIMATIVE.get(claim.grade.credibility, ESTIMATIVE[6])}"
            f" (Admiralty {claim.grade.admiralty})."
        )
        out.append(sentence)
    return out


def _ranked(corpus: Corpus) -> list[Claim]:
    return sorted(
        corpus.claims, key=lambda c: (-c.attention, -len(c.document_ids), c.first_seen or "9999", c.id)
    )


def _shown_not_obeyed() -> Any:
    """The template's ``finalize``, applied to every value it prints: control and bidi-control characters
    become visible ``[U+202E]`` markers (see :mod:`claimgraph.safety`), so an override in a name is shown,
    not obeyed. (A closure: the imports are done once per report, not once per printed value.)"""
    from markupsafe import Markup

    from ..safety import mark_controls

    def finalize(value: object) -> object:
        if isinstance(value, str):
            return Markup(mark_controls(str(value))) if isinstance(value, Markup) else mark_controls(value)
        return value

    return finalize


def _rest_row(claim: Claim, rank: int, index: Index) -> dict[str, Any]:
    cred = claim.grade.credibility if claim.grade.credibility in ESTIMATIVE else 6
    return {
        "rank": rank,
        "anchor": anchor("claim", claim.id),
        "headline": origin_sentence(claim, index),
        "grade": claim.grade,
        "likelihood": ESTIMATIVE[cred],
        "documents": len(claim.document_ids),
    }


def _assets() -> tuple[str, list[str]]:
    css = (_HERE / "static" / "report.css").read_text(encoding="utf-8")
    scripts = [(_HERE / "static" / "vendor" / name).read_text(encoding="utf-8") for name in VENDOR_SCRIPTS]
    scripts.append((_HERE / "static" / "report.js").read_text(encoding="utf-8"))
    return css, scripts


def render_report(corpus: Corpus, options: Options, limits: _Limits | None = None) -> str:
    """The complete ``report.html`` as a string, within :data:`SIZE_BUDGET` bytes.

    The top :data:`MAX_CLAIM_CARDS` claims are always shown in full; when the page would pass the budget,
    it keeps fewer table rows, folded quotes, actors, documents and timeline events, and says where the
    rest is (``claimgraph.json``).

    What does not depend on the limits (the index, the ranking, the claim cards, the assets, the summary,
    the template) is made once. Under given limits, the parts the page prints verbatim and once (the
    documents' texts, the network's data, the assets) are measured before the page is rendered: when
    they alone pass the budget, so would the page (printing only adds to them), so it is not rendered
    and the limits are halved at once: the same page as rendering every step.
    """
    limits = limits or _Limits()
    fixed = _Fixed.make(corpus, options)
    while True:
        last = limits == limits.smaller()
        documents, excerpts = _documents(fixed.index, limits, fixed.keep_docs)
        floor = fixed.assets_bytes + sum(_utf8_len(d["text"]) for d in documents)
        if floor > SIZE_BUDGET and not last:
            limits = limits.smaller()
            continue
        network = _network(corpus, fixed.index, limits)
        data_json = json_for_script({"edges": network["data"], "elements": network["elements"]})
        if floor + _utf8_len(data_json) > SIZE_BUDGET and not last:
            limits = limits.smaller()
            continue
        page = _render(corpus, options, limits, fixed, documents, excerpts, network, data_json)
        if last or len(page.encode("utf-8")) <= SIZE_BUDGET:
            return page
        limits = limits.smaller()


def _utf8_len(text: str) -> int:
    return len(text.encode("utf-8"))


@dataclass
class _Fixed:
    """The parts of the report that do not depend on its :class:`_Limits`, made once per report."""

    index: Index
    ranked: list[Claim]
    cards: list[_ClaimView]
    keep_docs: set[str]
    css: str
    scripts: list[str]
    assets_bytes: int
    template: Any
    summary: dict[str, Any]
    findings: list[str]

    @classmethod
    def make(cls, corpus: Corpus, options: Options) -> _Fixed:
        import jinja2

        index = Index(corpus)
        ranked = _ranked(corpus)
        css, scripts = _assets()
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(_HERE / "templates")),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            finalize=_shown_not_obeyed(),
        )
        return cls(
            index=index,
            ranked=ranked,
            cards=[_claim_view(c, i + 1, index) for i, c in enumerate(ranked[:MAX_CLAIM_CARDS])],
            keep_docs={d for c in ranked[:MAX_CLAIM_CARDS] for d in c.document_ids},
            css=css,
            scripts=scripts,
            assets_bytes=_utf8_len(css) + sum(_utf8_len(js) for js in scripts),
            template=env.get_template("report.html.j2"),
            summary=_summary(corpus, index),
            findings=_findings(ranked, index),
        )


def _render(
    corpus: Corpus,
    options: Options,
    limits: _Limits,
    fixed: _Fixed,
    documents: list[dict[str, Any]],
    excerpts: bool,
    network: dict[str, Any],
    data_json: str,
) -> str:
    from markupsafe import Markup

    from .. import __version__

    index, ranked, css, scripts = fixed.index, fixed.ranked, fixed.css, fixed.scripts
    rest_claims = ranked[MAX_CLAIM_CARDS : MAX_CLAIM_CARDS + limits.claim_rows]
    rest = [_rest_row(c, MAX_CLAIM_CARDS + i + 1, index) for i, c in enumerate(rest_claims)]
    sourcing = _sourcing(corpus, documents)
    timeline, timeline_left_out = _timeline(corpus, index, ranked, limits)
    generated = options.frozen_time or datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    csp = (
        "default-src 'none'; "
        "script-src " + " ".join(f"'{_sha256(js)}'" for js in scripts) + "; "
        f"style-src '{_sha256(css)}' '{_sha256(CYTOSCAPE_STYLE)}'; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    min_rel, min_cred = "F", 6
    if options.min_grade:
        min_rel = options.min_grade[0].upper() if options.min_grade[0].upper() in RELIABILITY else "F"
        try:
            min_cred = int(options.min_grade[1:]) if options.min_grade[1:] else 6
        except ValueError:
            min_cred = 6
    page: str = fixed.template.render(
        QUOTES_SHOWN=6,
        QUOTES_MAX=limits.quotes_per_column,
        QUOTE_MARKS="\"'“‘«„",  # an excerpt that opens with its own quotation mark gets no second one
        version=__version__,
        generated=generated,
        csp=csp,
        css=Markup(css),  # our own static file, hashed in the CSP
        scripts=[Markup(js) for js in scripts],  # vendored + ours, each hashed
        data_json=Markup(data_json),
        summary=fixed.summary,
        findings=fixed.findings,
        cards=fixed.cards,
        rest=rest,
        rest_left_out=len(ranked) - MAX_CLAIM_CARDS - len(rest),
        network=network,
        timeline=timeline,
        timeline_left_out=timeline_left_out,
        documents=documents,
        sourcing=sourcing,
        sourcing_median=next((p.corpus_median_on_record_share for p in corpus.sourcing_profiles()), None),
        documents_left_out=len(corpus.documents) - len(documents),
        excerpts=excerpts,
        problems=sorted(corpus.problems, key=lambda p: (p.get("path", ""), p.get("code", ""))),
        reliability=RELIABILITY,
        credibility=CREDIBILITY,
        estimative=ESTIMATIVE,
        stance_verbs=STANCE_VERBS,
        min_rel=min_rel,
        min_cred=min_cred,
    )
    return page


@registry.exporters("html")
def write_report(corpus: Corpus, out_dir: Path, options: Options) -> list[Path]:
    path = out_dir / "report.html"
    return [write_atomic(path, render_report(corpus, options))]
