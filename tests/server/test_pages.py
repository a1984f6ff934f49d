"""The pages: what each shows, the claims list's filters, sorting and pages, and script injected through an
article being inert everywhere."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

from .conftest import csrf_of

PAGES = (
    "/claims",
    "/claims?circular=1",
    "/claims/cl-arms",
    "/claims/cl-traffic",
    "/entities",
    "/entities/ent-brannock",
    "/entities/ent-saltreach",
    "/entities/ent-varennick",
    "/documents",
    "/documents/doc-a",
    "/documents/doc-b",
    "/sources/src-varennick",
    "/sources/src-official",
    "/sources/src-review",
    "/search?q=Saltreach",
    "/alerts",
    "/jobs",
    "/add",
    "/downloads",
    "/account",
    "/reliability",
)


def _claim_ids(html: str) -> list[str]:
    return re.findall(r'href="/claims/(cl-[a-z]+)"', html)


def test_claims_list_filters_and_sorting(make_client: Any) -> None:
    client = make_client(role="reader")
    assert _claim_ids(client.get("/claims").text) == ["cl-traffic", "cl-arms"] or set(
        _claim_ids(client.get("/claims").text)
    ) == {"cl-arms", "cl-traffic"}
    assert _claim_ids(client.get("/claims?circular=1").text) == ["cl-arms"]
    assert _claim_ids(client.get("/claims?disputed=1").text) == ["cl-arms"]
    assert _claim_ids(client.get("/claims?single_origin=1").text) == ["cl-arms"]
    assert _claim_ids(client.get("/claims?grade=2").text) == ["cl-traffic"]
    assert _claim_ids(client.get("/claims?entity=ent-brannock").text) == ["cl-arms"]
    assert _claim_ids(client.get("/claims?outlet=harbour+ledger").text) == ["cl-arms"]
    assert _claim_ids(client.get("/claims?from=2025-02-05").text) == ["cl-traffic"]
    assert _claim_ids(client.get("/claims?to=2025-02-05").text) == ["cl-arms"]
    assert _claim_ids(client.get("/claims?sort=oldest").text) == ["cl-arms", "cl-traffic"]
    assert _claim_ids(client.get("/claims?sort=first_seen").text) == ["cl-traffic", "cl-arms"]
    assert _claim_ids(client.get("/claims?sort=grade").text) == ["cl-traffic", "cl-arms"]
    first = client.get("/claims?sort=oldest&per_page=1")
    assert _claim_ids(first.text) == ["cl-arms"] and "page 1 of 2" in first.text
    second = client.get("/claims?sort=oldest&per_page=1&page=2")
    assert _claim_ids(second.text) == ["cl-traffic"]
    # malformed values are ignored, never a server error
    assert client.get("/claims?page=x&per_page=-3&grade=%00&sort=nope&from=zz").status_code == 200


def test_claim_page(make_client: Any) -> None:
    client = make_client(role="analyst")
    html = client.get("/claims/cl-arms").text
    assert "claimgraph’s assessment" in html and "Admiralty F4" in html
    assert "Ilse Varennick (consultant) alleged" in html  # attributed, never asserted
    assert 'class="chain"' in html  # the provenance diagram
    assert "a ministry official" in html and "baseless" in html  # the disputing statement in context
    assert html.count('action="/statements/st-1/correct"') == 3  # stance, speaker, claim
    assert "First carried by Harbour Ledger" in html  # timeline
    assert 'href="/documents/doc-a#st-' in html
    assert client.get("/claims/nope").status_code == 404


def test_entity_page(make_client: Any) -> None:
    client = make_client(role="reader")
    html = client.get("/entities/ent-brannock").text
    assert "Brannock Freight" in html and "moves arms through" in html  # the edge
    assert "Evidence: 1 statement" in html and "Brannock Freight moved arms through Saltreach" in html
    assert 'href="/claims/cl-arms"' in html  # claims about it
    by = client.get("/entities/ent-varennick").text
    assert "Varennick" in by and "surname" in by  # alias and its rule
    assert 'href="/claims/cl-arms"' in by.split("Claims by")[1]  # claims by her


def test_document_page(make_client: Any) -> None:
    client = make_client(role="reader")
    html = client.get("/documents/doc-a").text
    assert '<mark id="st-' in html and "st-supports" in html and "st-disputes" in html
    assert "Subscribe now" in html and "Repeated" in html  # removed boilerplate listed
    assert "Sourcing profile" in html and "statements" in html


def test_source_and_search_pages(make_client: Any) -> None:
    client = make_client(role="reader")
    html = client.get("/sources/src-varennick").text
    assert "consultant" in html and 'href="/claims/cl-arms"' in html
    hits = client.get("/search?q=baseless").text
    assert 'href="/documents/doc-a' in hits
    assert "Nothing found" in client.get("/search?q=zzzzqq").text


def test_alerts_page_without_and_with_alerts(make_client: Any) -> None:
    client = make_client(role="reader")
    assert "no alerts yet" in client.get("/alerts").text
    store = client.ws.store
    for n, (created, summary) in enumerate(
        (
            ("2025-02-04T10:00:00Z", "An official disputes the claim"),
            ("2025-02-05T10:00:00Z", "A second origin <b>confirms</b> it"),
        )
    ):  # stored as claimgraph watch stores them (claimgraph.watch writes the alert as printed)
        alert = {"id": f"alert-{n}", "key": f"k{n}", "kind": "dispute", "created": created}
        alert |= {"summary": summary, "claim": {"id": "cl-arms"}, "old_grade": "F3", "new_grade": "F4"}
        assert store.add_alert(alert)
    html = client.get("/alerts").text
    assert html.index("A second origin") < html.index("An official disputes")  # newest first
    assert "&lt;b&gt;confirms&lt;/b&gt;" in html and 'href="/claims/cl-arms"' in html and "F3 → F4" in html
    items = client.get("/api/v1/alerts").json()["items"]
    assert [a["summary"] for a in items][1] == "An official disputes the claim" and items[0][
        "kind"
    ] == "dispute"


def test_correcting_a_stance_changes_the_grade(make_client: Any) -> None:
    client = make_client(role="analyst")
    before = client.get("/api/v1/claims/cl-traffic").json()["claim"]
    assert before["grade"]["credibility"] == 2
    response = client.post(
        "/statements/st-4/correct",
        data={"csrf": csrf_of(client), "field": "stance", "value": "disputes", "note": "he disagreed"},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"].startswith("/claims/cl-traffic")
    after = client.get("/api/v1/claims/cl-traffic").json()["claim"]
    assert after["disputing"] == 1 and after["supporting"] == 1
    assert after["grade"]["credibility"] > before["grade"]["credibility"]  # worse
    html = client.get("/claims/cl-traffic").text
    assert f"Admiralty {after['grade']['admiralty']}" in html
    # the correction is listed, with who made it
    corrections = client.get("/api/v1/corrections").json()["items"]
    assert [c["statement_id"] for c in corrections] == ["st-4"]
    assert "Corrected by <strong>analyst-user</strong>" in html and "he disagreed" in html
    bad = client.post(
        "/statements/st-4/correct", data={"csrf": csrf_of(client), "field": "stance", "value": "maybe"}
    )
    assert bad.status_code == 400
    unknown = client.post(
        "/statements/st-4/correct", data={"csrf": csrf_of(client), "field": "claim_id", "value": "cl-nope"}
    )
    assert unknown.status_code == 400 and "cl-nope" in unknown.text


def test_correcting_speaker_and_claim(make_client: Any) -> None:
    client = make_client(role="analyst")
    moved = client.post(
        "/statements/st-4/correct",
        data={"csrf": csrf_of(client), "field": "claim_id", "value": "cl-arms"},
        follow_redirects=False,
    )
    assert moved.status_code == 303 and moved.headers["location"].startswith("/claims/cl-arms")
    assert client.get("/api/v1/statements/st-4").json()["statement"]["claim_id"] == "cl-arms"
    assert "st-4" in client.get("/api/v1/claims/cl-arms").json()["claim"]["statement_ids"]
    speaker = client.post(
        "/statements/st-2/correct",
        data={"csrf": csrf_of(client), "field": "speaker", "value": "Oskar Talgaard"},
        follow_redirects=False,
    )
    assert speaker.status_code == 303
    assert client.get("/api/v1/statements/st-2").json()["statement"]["source_id"] == "src-talgaard"


class _Tags(HTMLParser):
    """Every element and attribute as a browser's tokenizer sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.script_text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.script_text.append(data)


def _parsed(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    parser.close()
    return parser


PAYLOAD = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">\'"><svg onload=alert(1)>'


def test_script_injected_through_an_article_is_inert_on_every_page(make_client: Any) -> None:
    client = make_client(role="admin", payload=PAYLOAD)
    pages = [*PAGES, "/search?q=onerror", "/claims?q=script", "/api/v1/claims/cl-arms"]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.text
        if path.startswith("/api/"):
            assert response.headers["content-type"] == "application/json"
            continue
        parsed = _parsed(html)
        assert not parsed.script_text, path  # no inline script
        scripts = [attrs.get("src") for tag, attrs in parsed.tags if tag == "script"]
        assert scripts == ["/static/server.js"], (path, scripts)
        for tag, attrs in parsed.tags:
            assert tag not in ("img", "iframe", "object", "embed", "base"), (path, tag)
            assert tag != "svg" or attrs.get("class") == "chain", (path, attrs)
            for name, value in attrs.items():
                assert not name.startswith("on"), (path, tag, name)  # no event handler anywhere
                if name in ("href", "src", "action", "formaction"):
                    assert not (value or "").strip().lower().startswith(("javascript:", "data:")), (
                        path,
                        value,
                    )
    # the payload is shown, escaped, where the article put it
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in client.get("/documents/doc-a").text


def test_reliability_registry_edited_in_the_browser(make_client: Any) -> None:
    client = make_client(role="analyst")
    before = client.get("/api/v1/claims/cl-traffic").json()["claim"]["grade"]
    assert before["reliability"] == "F"
    response = client.post(
        "/reliability",
        data={"csrf": csrf_of(client, "/reliability"), "name": "Oskar Talgaard", "grade": "B"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert "Oskar Talgaard" in client.get("/reliability").text
    after = client.get("/api/v1/claims/cl-traffic").json()["claim"]["grade"]
    assert after["reliability"] == "B", after  # the origin's registry letter, applied at once
    assert client.get("/api/v1/reliability").json()["items"][0]["grade"] == "B"
    bad = client.post(
        "/reliability", data={"csrf": csrf_of(client, "/reliability"), "name": "X", "grade": "Q"}
    )
    assert bad.status_code == 400
    reader = make_client(role="reader")
    assert (
        reader.post(
            "/reliability", data={"csrf": csrf_of(reader, "/reliability"), "name": "X", "grade": "A"}
        ).status_code
        == 403
    )
