"""report.html: content and analytic wording, self-containment, CSP, and inertness of hostile input."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from claimgraph.model import Corpus, Grade
from claimgraph.options import Options
from claimgraph.outputs import write_outputs
from claimgraph.outputs.report import (
    CREDIBILITY,
    ESTIMATIVE,
    RELIABILITY,
    anchor,
    estimative,
    json_for_script,
    render_report,
)

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
QUOTE = '" onmouseover="alert(1)'


class _Tree(HTMLParser):
    """Collect every element with its attributes, the scripts' text and the styles' text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.styles: list[str] = []
        self._in: str | None = None
        self._attrs: dict[str, str | None] = {}
        self._buf: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._in, self._attrs, self._buf = tag, dict(attrs), []

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            if tag == "script":
                self.scripts.append((self._attrs, "".join(self._buf)))
            else:
                self.styles.append("".join(self._buf))
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in:
            self._buf.append(data)
        else:
            self.text.append(data)


def _parse(html: str) -> _Tree:
    tree = _Tree()
    tree.feed(html)
    tree.close()
    return tree


@pytest.fixture
def html(corpus: Corpus, frozen_options: Options) -> str:
    return render_report(corpus, frozen_options)


def test_summary_and_sections(html: str) -> None:
    tree = _parse(html)
    ids = {a.get("id") for _, a in tree.elements}
    for section in ("summary", "claims", "network", "timeline", "documents", "method"):
        assert section in ids
    text = " ".join(" ".join(tree.text).split())
    assert "Documents 3" in text and "Outlets 3" in text and "Claims 2" in text
    assert "Single-origin claims 2" in text and "Circular reporting 1" in text
    assert "This is circular reporting" in text


def test_claims_ranked_attributed_with_grade_and_legend(html: str) -> None:
    text = " ".join(" ".join(_parse(html).text).split())
    first = text.index("#1")
    second = text.index("#2")
    assert first < text.index("Marek Holt (consultant) alleged:") < second
    assert "Officials in Kestria (anonymous) alleged:" in text
    # the allegation never appears as a bare headline: every claim headline is attributed
    for heading in re.findall(r'<h3 class="claim-text">(.*?)</h3>', html):
        assert " alleged: " in heading
    assert "Likelihood that the claim is accurate as stated, on this evidence: unlikely" in text
    assert "Not independently corroborated" in text
    for letter, meaning in RELIABILITY.items():
        assert meaning in text, letter
    for number, meaning in CREDIBILITY.items():
        assert meaning in text and ESTIMATIVE[number] in text


def test_quotes_link_to_marked_spans_in_the_source_text(corpus: Corpus, html: str) -> None:
    tree = _parse(html)
    ids = {a.get("id") for _, a in tree.elements}
    marks = {a.get("id") for tag, a in tree.elements if tag == "mark" and a.get("id")}
    for st in corpus.statements:
        assert anchor("st", st.id) in ids
    assert anchor("st", "st-l4") in marks
    hrefs = [a["href"] for tag, a in tree.elements if tag == "a" and a.get("href", "").startswith("#")]
    assert hrefs and all(h[1:] in ids for h in hrefs)
    # disputes and refusals sit beside the support
    claim_html = html[html.index('id="claim-recruit"') : html.index('id="claim-raids"')]
    assert (
        claim_html.index("col-support")
        < claim_html.index("hypothetical to date")
        < claim_html.index("col-decline")
        < claim_html.index("declined to confirm the reports")
    )
    # the mark wraps exactly the statement's span
    doc = corpus.document("doc-ledger")
    st = corpus.statement("st-l4")
    assert f'{anchor("st", st.id)}" class="st st-disputes"' in html
    assert doc.text[st.start : st.end].replace('"', "&#34;") in html


def test_provenance_diagram_and_timeline(html: str) -> None:
    card = html[html.index('id="claim-recruit"') : html.index('id="claim-raids"')]
    assert (
        '<g class="box kind-person origin" tabindex="0" aria-label="Marek Holt (consultant) (origin)">'
        in card
    )
    assert "<title>Marek Holt (consultant) (origin)</title>" in card
    assert "Coastal Wire → Northern Ledger → Marek Holt" in card
    timeline = html[html.index('id="timeline"') : html.index('id="documents"')]
    assert timeline.index("2024-03-01") < timeline.index("2024-03-08") < timeline.index("2024-03-09")
    assert "First appearance of the claim" in timeline and "attributed to Marek Holt (consultant)" in timeline


def test_network_elements_and_data_block(corpus: Corpus, html: str) -> None:
    """The network travels as Cytoscape.js elements (nodes sized by degree) plus each edge's evidence."""
    tree = _parse(html)
    [(_, data_text)] = [s for s in tree.scripts if s[0].get("type") == "application/json"]
    data = json.loads(data_text)
    nodes = [e["data"] for e in data["elements"] if e["group"] == "nodes"]
    edges = [e["data"] for e in data["elements"] if e["group"] == "edges"]
    assert len(edges) == len(corpus.relations)
    assert {n["id"] for n in nodes} == {e for r in corpus.relations for e in (r.subject, r.object)}
    assert all(
        e["source"] in {n["id"] for n in nodes} and e["target"] in {n["id"] for n in nodes} for e in edges
    )
    sizes = {n["id"]: n["size"] for n in nodes}
    degrees = {n["id"]: n["degree"] for n in nodes}
    assert sorted(sizes, key=lambda k: (sizes[k], k)) == sorted(degrees, key=lambda k: (degrees[k], k))
    assert len(set(sizes.values())) > 1
    recruits = next(e for e in edges if e["id"] == anchor("edge", "rel-recruits"))
    assert recruits["rel"] == "F" and recruits["cred"] == 4 and recruits["label"] == "recruits · F4"
    evidence = data["edges"][anchor("edge", "rel-recruits")]
    assert evidence["grade"] == "F4" and evidence["reliability"] == "not judged"
    assert any("sends them back across the border" in e["quote"] for e in evidence["evidence"])
    assert evidence["evidence"][0]["anchor"].startswith("st-")
    # the same relations, readable without the script (and in print), as a table
    table = html[html.index('class="more relations-list"') : html.index('id="timeline"')]
    assert table.count("<tr>") == len(corpus.relations) + 1


def test_vendored_scripts_are_inlined_with_their_licences(html: str) -> None:
    from claimgraph.outputs import report

    vendor = Path(report.__file__).parent / "static" / "vendor"
    for name in report.VENDOR_SCRIPTS:
        code = (vendor / name).read_text(encoding="utf-8")
        assert f"<script>{code}</script>" in html
        licence = (vendor / name.replace(".min.js", ".js").replace(".js", ".LICENSE")).read_text(
            encoding="utf-8"
        )
        assert "Permission is hereby granted" in licence
    assert "cytoscape" in (vendor / "README.md").read_text(encoding="utf-8")


def test_self_contained_with_strict_csp(html: str) -> None:
    tree = _parse(html)
    [csp] = [
        a["content"]
        for tag, a in tree.elements
        if tag == "meta" and a.get("http-equiv") == "Content-Security-Policy"
    ]
    assert csp is not None
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp and "img-src data:" in csp
    from claimgraph.outputs.report import CYTOSCAPE_STYLE, VENDOR_SCRIPTS

    code = [(attrs, body) for attrs, body in tree.scripts if attrs.get("type") != "application/json"]
    assert len(code) == len(VENDOR_SCRIPTS) + 1
    [style] = tree.styles
    directives = {d.split()[0]: d.split()[1:] for d in csp.split(";") if d.strip()}

    def digest(body: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode() + "'"

    assert directives["script-src"] == [digest(body) for attrs, body in code]
    assert all(not attrs for attrs, _ in code)
    # the report's stylesheet, and the one rule Cytoscape.js injects at run time
    assert directives["style-src"] == [digest(style), digest(CYTOSCAPE_STYLE)]
    # nothing is loaded from elsewhere
    for tag, attrs in tree.elements:
        for name in ("src", "srcset", "data"):
            assert name not in attrs, (tag, attrs)
        if tag == "link":
            raise AssertionError(f"external resource {attrs}")
        if tag == "a" and attrs.get("href") and not attrs["href"].startswith("#"):
            assert attrs["href"].startswith("https://")
    assert "@import" not in style and "url(http" not in style and "@font-face" not in style
    markup = re.sub(r"<script>.*?</script>", "", html, flags=re.DOTALL)
    assert not re.search(r"\sstyle=", markup)


def _hostile(corpus_factory: Any) -> Corpus:
    body = f" Extra: {SCRIPT} {IMG} {QUOTE} </script><script>alert(2)</script> ]]> <!-- -->"
    corpus: Corpus = corpus_factory(
        d1_title=f"Title {SCRIPT}{IMG}{QUOTE}",
        d2_body_extra=body,
        author=f"Anna {QUOTE} {IMG}",
        militia_name=f"Brigade {SCRIPT} {QUOTE}",
    )
    corpus.documents[0].url = "javascript:alert(1)"
    corpus.sources[0].role = f"role {IMG}"
    return corpus


def test_hostile_input_is_inert(corpus_factory: Any, frozen_options: Options) -> None:
    corpus = _hostile(corpus_factory)
    html = render_report(corpus, frozen_options)
    tree = _parse(html)
    scripts = tree.scripts
    assert [s[0].get("type") for s in scripts][:2] == ["application/json", None]
    assert all("alert" not in code for _, code in scripts[1:])
    for tag, attrs in tree.elements:
        assert not any(name.lower().startswith("on") for name in attrs), (tag, attrs)
        assert tag != "img"
        assert not (attrs.get("href") or "").lower().startswith("javascript:")
    assert SCRIPT not in html and IMG not in html and QUOTE not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&#34; onmouseover=&#34;alert(1)" in html
    # the JSON block cannot be closed early, and still decodes to the original text
    data_text = scripts[0][1]
    assert "<" not in data_text and ">" not in data_text
    data = json.loads(data_text)
    quotes = [e["quote"] for edge in data["edges"].values() for e in edge["evidence"]]
    assert any(SCRIPT in q for q in quotes)
    # payloads are visible as text to the reader
    assert any(SCRIPT in t for t in tree.text)


def test_json_for_script_escapes() -> None:
    text = json_for_script({"a": "</script><b>&\u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"a": "</script><b>&\u2028"}


def test_estimative_words() -> None:
    assert estimative(Grade(credibility=1)).startswith("almost certain")
    assert estimative(Grade(credibility=4)) == "unlikely (credibility 4: doubtful)"
    assert estimative(Grade(credibility=9)).startswith("cannot be judged")


def test_min_grade_option_preselects_filter(corpus: Corpus) -> None:
    html = render_report(corpus, Options(min_grade="C3", frozen_time="2024-04-01T12:00:00Z"))
    assert '<option value="C" selected>' in html and '<option value="3" selected>' in html


def test_write_outputs_all_formats(corpus: Corpus, frozen_options: Options, tmp_path: Path) -> None:
    written = write_outputs(corpus, tmp_path, frozen_options)
    names = sorted(p.name for p in written)
    assert names == sorted(
        [
            "claimgraph.json",
            "claimgraph.stix.json",
            "claimgraph.graphml",
            "entities.csv",
            "statements.csv",
            "claims.csv",
            "relations.csv",
            "sourcing.csv",
            "report.html",
        ]
    )
    assert (tmp_path / "report.html").read_text(encoding="utf-8") == render_report(corpus, frozen_options)
    assert not list(tmp_path.glob("*.tmp"))
