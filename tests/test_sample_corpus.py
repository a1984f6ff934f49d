"""Consistency of the bundled sample corpus and its hand-written gold file.

These tests check the corpus and the gold against each other and against the raw files, without
running claimgraph's pipeline (the pipeline is scored against the gold by the other stages' tests):
every gold path exists, every quoted string is verbatim in its record, every input format is present,
the counts, dates and cross-references in the gold add up, and the WARC is byte-reproducible.
"""

from __future__ import annotations

import gzip
import html
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from claimgraph.data import sample_corpus_path, sample_gold_path

SAMPLE = sample_corpus_path()
REPO = Path(__file__).resolve().parent.parent
TOOL = REPO / "tools" / "make_sample_warc.py"
CONTENT_NS = "{http://purl.org/rss/1.0/modules/content/}encoded"
DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"

FORMATS = {"html", "text", "markdown", "jsonl", "rss", "warc"}
ENTITY_TYPES = {"person", "organization", "group", "location", "other"}
SOURCE_KINDS = {"person", "organization", "anonymous", "author", "outlet", "document"}
MODES = {"direct", "indirect", "assertion"}
CERTAINTIES = {"asserted", "hedged", "boosted", "conditional", "question"}
STANCES = {"supports", "reports", "disputes", "denies", "declines", None}


# --------------------------------------------------------------------------- helpers


@cache
def gold() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(sample_gold_path().read_text(encoding="utf-8"))
    return data


def _documents() -> list[dict[str, Any]]:
    docs: list[dict[str, Any]] = gold()["documents"]
    return docs


def _by_path() -> dict[str, dict[str, Any]]:
    return {d["path"]: d for d in _documents()}


def _strip_tags(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def _html_paragraphs(page: str) -> list[str]:
    return [_strip_tags(p) for p in re.findall(r"<p[^>]*>(.*?)</p>", page, flags=re.DOTALL)]


def _meta(page: str, prop: str) -> str | None:
    match = re.search(rf'<meta (?:property|name)="{re.escape(prop)}" content="([^"]*)"', page)
    return match.group(1) if match else None


def _rss_items() -> list[ET.Element]:
    root = ET.parse(SAMPLE / "feed.xml").getroot()
    return root.findall("./channel/item")


def _warc_responses(path: Path) -> list[tuple[str, str, str, bytes]]:
    """(target URI, WARC-Date, content type, payload) of every response record."""
    from warcio.archiveiterator import ArchiveIterator

    out: list[tuple[str, str, str, bytes]] = []
    with path.open("rb") as fh:
        for record in ArchiveIterator(fh):
            if record.rec_type != "response":
                continue
            assert record.http_headers is not None
            out.append(
                (
                    record.rec_headers.get_header("WARC-Target-URI"),
                    record.rec_headers.get_header("WARC-Date"),
                    record.http_headers.get_header("Content-Type") or "",
                    record.content_stream().read(),
                )
            )
    return out


@cache
def record(path: str) -> dict[str, Any]:
    """The raw record a gold path names: ``{"title", "body", "meta"}`` straight from the file."""
    file_part, _, key = path.partition("#")
    file = SAMPLE / file_part
    if not file.is_file():
        raise FileNotFoundError(path)
    if file_part.endswith(".jsonl"):
        lines = file.read_text(encoding="utf-8").splitlines()
        item = json.loads(lines[int(key) - 1])
        return {"title": item.get("title"), "body": item.get("text") or item.get("html"), "meta": item}
    if file_part.endswith((".xml", ".rss")):
        item_el = _rss_items()[int(key) - 1]
        meta = {
            "title": item_el.findtext("title"),
            "url": item_el.findtext("link"),
            "published": item_el.findtext("pubDate"),
            "authors": [item_el.findtext(DC_CREATOR)],
        }
        return {"title": meta["title"], "body": item_el.findtext(CONTENT_NS) or "", "meta": meta}
    if file_part.endswith(".warc.gz"):
        for uri, warc_date, content_type, payload in _warc_responses(file):
            if uri == key and content_type.startswith("text/html"):
                page = payload.decode("utf-8")
                return {"title": None, "body": page, "meta": {"warc_date": warc_date, "page": page}}
        raise FileNotFoundError(path)
    assert key == "", f"{path}: only feeds, JSONL and WARC files have #records"
    text = file.read_text(encoding="utf-8")
    return {"title": None, "body": text, "meta": {}}


def _raw(path: str) -> str:
    rec = record(path)
    return f"{rec['title'] or ''}\n{rec['body']}"


def _tokens(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def _jaccard(a: str, b: str) -> float:
    ta, tb = _tokens(a), _tokens(b)
    return len(ta & tb) / len(ta | tb) if ta | tb else 1.0


def _paragraphs(path: str) -> list[str]:
    rec = record(path)
    body: str = rec["body"]
    if "<p" in body:
        return [p for p in _html_paragraphs(body) if p]
    return [p.strip() for p in re.split(r"\n\s*\n", body) if p.strip()]


def _repeated_paragraphs(paragraphs: list[str]) -> int:
    """Paragraphs (of ≥ 8 words) that repeat an earlier one verbatim or at ≥ 0.9 token Jaccard."""
    seen: list[str] = []
    repeats = 0
    for para in paragraphs:
        if len(para.split()) < 8:
            continue
        if any(para == prev or _jaccard(para, prev) >= 0.9 for prev in seen):
            repeats += 1
        else:
            seen.append(para)
    return repeats


def _corpus_articles() -> set[str]:
    """Every article in the sample folder, named the way ingest names it (file, or file#record)."""
    found: set[str] = set()
    for file in sorted(SAMPLE.iterdir()):
        name = file.name
        if name.endswith((".html", ".htm", ".txt", ".md")):
            found.add(name)
        elif name.endswith(".jsonl"):
            lines = [ln for ln in file.read_text(encoding="utf-8").splitlines() if ln.strip()]
            found.update(f"{name}#{i}" for i in range(1, len(lines) + 1))
        elif name.endswith((".xml", ".rss")):
            found.update(f"{name}#{i}" for i in range(1, len(_rss_items()) + 1))
        elif name.endswith(".warc.gz"):
            found.update(
                f"{name}#{uri}" for uri, _, ctype, _ in _warc_responses(file) if ctype.startswith("text/html")
            )
    return found


# --------------------------------------------------------------------------- the corpus


def test_every_input_format_is_present() -> None:
    names = [p.name for p in SAMPLE.iterdir()]
    assert sum(n.endswith(".html") for n in names) >= 3
    assert sum(n.endswith(".txt") for n in names) >= 2
    assert sum(n.endswith(".md") for n in names) == 1
    assert sum(n.endswith(".jsonl") for n in names) == 1
    assert sum(n.endswith((".xml", ".rss")) for n in names) == 1
    assert sum(n.endswith(".warc.gz") for n in names) == 1
    assert {d["format"] for d in _documents()} == FORMATS


def test_corpus_has_9_to_11_articles_all_in_the_gold() -> None:
    articles = _corpus_articles()
    assert 9 <= len(articles) <= 11
    assert articles == set(_by_path()), "every article needs a gold document and vice versa"
    assert len(_documents()) == len(_by_path()), "duplicate gold paths"


def test_jsonl_has_two_articles_with_the_documented_fields() -> None:
    lines = (SAMPLE / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    items = [json.loads(line) for line in lines]
    assert len(items) == 2
    assert {"text", "html"} == {k for item in items for k in item if k in ("text", "html")}
    for item in items:
        assert set(item) <= {"text", "html", "title", "authors", "published", "outlet", "url"}


def test_html_pages_carry_realistic_metadata() -> None:
    for doc in _documents():
        if doc["format"] != "html":
            continue
        page = (SAMPLE / doc["path"]).read_text(encoding="utf-8")
        assert _meta(page, "og:site_name") == doc["outlet"]
        published = _meta(page, "article:published_time")
        assert published is not None and published.startswith(doc["published"])
        canonical = re.search(r'<link rel="canonical" href="([^"]+)"', page)
        assert canonical is not None and canonical.group(1) == doc["url"]
        assert "<nav" in page and "<footer" in page and "share" in page.lower()
        if len(doc["authors"]) > 1:
            # the meta author names only the first: all authors are in the visible byline alone
            assert _meta(page, "author") == doc["authors"][0]
            byline = re.search(r'<(p|span) class="byline">(.*?)</\1>', page, flags=re.DOTALL)
            assert byline is not None
            visible = _strip_tags(byline.group(2))
            assert visible == "By " + " and ".join(doc["authors"])


def test_record_metadata_matches_the_gold() -> None:
    for doc in _documents():
        rec = record(doc["path"])
        meta = rec["meta"]
        if doc["format"] == "jsonl":
            assert meta["title"] == doc["title"]
            assert meta["authors"] == doc["authors"]
            assert meta["published"] == doc["published"]
            assert meta["outlet"] == doc["outlet"]
            assert meta["url"] == doc["url"]
        elif doc["format"] == "rss":
            assert meta["title"] == doc["title"]
            assert meta["url"] == doc["url"]
            assert meta["authors"] == doc["authors"]
            assert parsedate_to_datetime(meta["published"]).date().isoformat() == doc["published"]
        elif doc["format"] == "warc":
            page = meta["page"]
            assert _meta(page, "og:site_name") == doc["outlet"]
            assert (_meta(page, "article:published_time") or "").startswith(doc["published"])
            assert meta["warc_date"].startswith(doc["published"])
            assert doc["url"] == doc["path"].partition("#")[2]
        else:
            assert doc["title"] in rec["body"]


def test_text_files_have_the_messy_web_features() -> None:
    herald = (SAMPLE / "harbour_herald.txt").read_text(encoding="utf-8").splitlines()
    assert herald[0] == "Home News Sport Contact Jobs"
    assert herald[1] == herald[2], "the title line is repeated"
    assert re.fullmatch(r"By \w+ \w+\* and \w+ \w+", herald[3]), "byline with a footnote mark"
    assert '<img src="https://px.example/t.gif" width="1" height="1">' in herald
    for teaser in (
        "Take our poll!",
        "See the gallery",
        "Show comments",
        "Sign up for our newsletter",
        "More on this:",
    ):
        assert teaser in herald
    assert "Print this page" in herald
    assert any(line.startswith("Filed under: ") for line in herald)
    assert any(line.startswith("Topics: ") for line in herald)


def test_written_dates_agree_with_the_gold_dates() -> None:
    docs = _by_path()
    herald_line = (SAMPLE / "harbour_herald.txt").read_text(encoding="utf-8").splitlines()[4]
    match = re.fullmatch(r"(\w+), (\w+) (\d+)(?:st|nd|rd|th), (\d{4}) @ \d{1,2}:\d{2}[AP]M", herald_line)
    assert match is not None, herald_line
    weekday, month, day, year = match.groups()
    written = datetime.strptime(f"{month} {day} {year}", "%B %d %Y").date()
    assert written.isoformat() == docs["harbour_herald.txt"]["published"]
    assert written.strftime("%A") == weekday, "the weekday printed in the file is the right one"
    gazette_line = (SAMPLE / "tessin_gazette.txt").read_text(encoding="utf-8").splitlines()[3]
    assert (
        datetime.strptime(gazette_line, "%b. %d, %Y").date().isoformat()
        == docs["tessin_gazette.txt"]["published"]
    )
    for doc in _documents():
        assert date.fromisoformat(doc["published"]).year in (2025, 2026)


# --------------------------------------------------------------------------- verbatim strings


def test_every_gold_path_exists() -> None:
    for doc in _documents():
        assert record(doc["path"])["body"], doc["path"]
    for path in {s["path"] for s in gold()["statements"]} | {
        d["duplicate_of"] for d in _documents() if d["duplicate_of"]
    }:
        assert path in _by_path(), f"{path} is not a gold document"


def test_every_statement_contains_is_verbatim_in_its_record() -> None:
    docs = _by_path()
    for st in gold()["statements"]:
        if st["part"] == "title":
            assert st["contains"] in docs[st["path"]]["title"], st
            assert st["contains"] in _raw(st["path"]), st
        else:
            assert st["contains"] in record(st["path"])["body"], f"{st['path']}: {st['contains']!r}"


def test_every_line_listed_in_the_gold_is_verbatim_in_its_record() -> None:
    for doc in _documents():
        raw = _raw(doc["path"])
        for line in doc["kept_lines"] + doc["boilerplate_lines"] + doc.get("absent_lines", []):
            assert line in raw, f"{doc['path']}: {line!r}"
        if doc["format"] in ("text", "markdown"):
            lines = raw.splitlines()
            for line in doc["boilerplate_lines"] + doc["kept_lines"]:
                assert line in lines, f"{doc['path']}: {line!r} is not a whole line"


def test_relation_evidence_is_verbatim() -> None:
    names = {e["name"] for e in gold()["entities"]}
    labels = {s["label"] for s in gold()["sources"]}
    for rel in gold()["relations"]:
        assert rel["subject"] in names and rel["object"] in names
        for ev in rel["evidence"]:
            assert ev["speaker"] in labels
            assert ev["contains"] in _raw(ev["path"])


def test_entity_surface_forms_occur_in_the_corpus() -> None:
    corpus = "\n".join(_raw(d["path"]) for d in _documents())
    for ent in gold()["entities"]:
        for form in [ent["name"], *ent["aliases"]]:
            assert form in corpus, form


# --------------------------------------------------------------------------- duplicates


def test_repeated_paragraphs_match_the_gold_counts() -> None:
    for doc in _documents():
        assert _repeated_paragraphs(_paragraphs(doc["path"])) == doc["duplicate_paragraphs"], doc["path"]
    herald = _paragraphs("harbour_herald.txt")
    near = [(a, b) for i, a in enumerate(herald) for b in herald[i + 1 :] if a != b and _jaccard(a, b) >= 0.9]
    assert len(near) == 1, "one near-verbatim (not verbatim) repeat in the Herald"
    observer = _paragraphs("kestria_observer.html")
    assert [n for n in Counter(observer).values() if n > 1] == [2], "one verbatim repeat in the Observer"


def test_syndicated_copy_has_the_original_article_text() -> None:
    for doc in _documents():
        if not doc["duplicate_of"]:
            continue
        copy = [p for p in _paragraphs(doc["path"]) if len(p.split()) >= 8]
        body = re.search(
            r'<div class="article-body">(.*?)</div>', record(doc["duplicate_of"])["body"], re.DOTALL
        )
        assert body is not None
        original = _html_paragraphs(body.group(1))
        assert len(original) >= 8 and set(original) <= set(copy), "the story is republished verbatim"
        assert _jaccard(" ".join(copy), " ".join(original)) >= 0.9
        assert doc["outlet"] != _by_path()[doc["duplicate_of"]]["outlet"]
        assert doc["url"] != _by_path()[doc["duplicate_of"]]["url"]
        assert not [s for s in gold()["statements"] if s["path"] == doc["path"]], "no statements for a copy"


# --------------------------------------------------------------------------- the WARC


def test_warc_reads_with_warcio() -> None:
    responses = _warc_responses(SAMPLE / "coastline_daily.warc.gz")
    html_uris = [uri for uri, _, ctype, _ in responses if ctype.startswith("text/html")]
    assert len(html_uris) == 1
    assert len(responses) == 2, "one HTML page and one non-article response (robots.txt)"
    with gzip.open(SAMPLE / "coastline_daily.warc.gz", "rb") as fh:
        assert fh.read().startswith(b"WARC/1.0\r\n")


def test_warc_is_reproduced_byte_for_byte(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(TOOL), "--out", str(tmp_path)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    produced = (tmp_path / "coastline_daily.warc.gz").read_bytes()
    assert produced == (SAMPLE / "coastline_daily.warc.gz").read_bytes()


# --------------------------------------------------------------------------- the gold's structure


GOLD_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["documents", "entities", "never_merge", "sources", "statements", "claims"],
    "properties": {
        "documents": {
            "type": "array",
            "items": {
                "type": "object",
                "required": [
                    "path",
                    "format",
                    "title",
                    "authors",
                    "published",
                    "outlet",
                    "url",
                    "duplicate_of",
                    "boilerplate_lines",
                    "kept_lines",
                    "duplicate_paragraphs",
                ],
                "properties": {
                    "path": {"type": "string", "minLength": 1},
                    "format": {"enum": sorted(FORMATS)},
                    "title": {"type": "string", "minLength": 1},
                    "authors": {"type": "array", "items": {"type": "string"}, "minItems": 1},
                    "published": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
                    "outlet": {"type": "string", "minLength": 1},
                    "url": {"type": ["string", "null"]},
                    "duplicate_of": {"type": ["string", "null"]},
                    "boilerplate_lines": {"type": "array", "items": {"type": "string"}},
                    "kept_lines": {"type": "array", "items": {"type": "string"}, "minItems": 1},
                    "absent_lines": {"type": "array", "items": {"type": "string"}},
                    "duplicate_paragraphs": {"type": "integer", "minimum": 0},
                },
            },
        },
        "entities": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "type", "aliases"],
                "properties": {
                    "name": {"type": "string"},
                    "type": {"enum": sorted(ENTITY_TYPES)},
                    "aliases": {"type": "array", "items": {"type": "string"}},
                },
            },
        },
        "never_merge": {
            "type": "array",
            "items": {"type": "array", "items": {"type": "string"}, "minItems": 2, "maxItems": 2},
        },
        "sources": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["label", "kind", "entity", "affiliated_with"],
                "properties": {
                    "label": {"type": "string"},
                    "kind": {"enum": sorted(SOURCE_KINDS)},
                    "entity": {"type": ["string", "null"]},
                    "affiliated_with": {"type": "array", "items": {"type": "string"}},
                },
            },
        },
        "statements": {
            "type": "array",
            "items": {
                "type": "object",
                "required": [
                    "path",
                    "speaker",
                    "kind",
                    "mode",
                    "contains",
                    "cue",
                    "certainty",
                    "stance",
                    "claim",
                ],
                "properties": {
                    "path": {"type": "string"},
                    "part": {"enum": ["title", "text"]},
                    "speaker": {"type": "string"},
                    "kind": {"enum": sorted(SOURCE_KINDS)},
                    "mode": {"enum": sorted(MODES)},
                    "contains": {"type": "string", "minLength": 5},
                    "cue": {"type": ["string", "null"]},
                    "certainty": {"enum": sorted(CERTAINTIES)},
                    "stance": {"enum": ["supports", "reports", "disputes", "denies", "declines", None]},
                    "claim": {"type": ["string", "null"]},
                },
            },
        },
        "claims": {
            "type": "array",
            "items": {
                "type": "object",
                "required": [
                    "id",
                    "text",
                    "origin",
                    "independent_sources",
                    "circular",
                    "supporting_min",
                    "disputed_by",
                    "denied_by",
                    "declined_by",
                    "credibility",
                    "documents",
                ],
                "properties": {
                    "id": {"type": "string", "pattern": r"^C\d+$"},
                    "text": {"type": "string"},
                    "origin": {"type": "array", "items": {"type": "string"}, "minItems": 1},
                    "independent_sources": {"type": "integer", "minimum": 0},
                    "circular": {"type": "boolean"},
                    "supporting_min": {"type": "integer", "minimum": 0},
                    "disputed_by": {"type": "array", "items": {"type": "string"}},
                    "denied_by": {"type": "array", "items": {"type": "string"}},
                    "declined_by": {"type": "array", "items": {"type": "string"}},
                    "credibility": {"type": "integer", "minimum": 1, "maximum": 6},
                    "documents": {"type": "array", "items": {"type": "string"}, "minItems": 1},
                },
            },
        },
    },
}


def test_gold_validates_against_its_schema() -> None:
    import jsonschema

    jsonschema.validate(gold(), GOLD_SCHEMA)


def test_schema_check_rejects_a_broken_gold() -> None:
    import jsonschema

    broken = json.loads(json.dumps(gold()))
    broken["statements"][0]["stance"] = "agrees"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, GOLD_SCHEMA)


def test_entities_and_never_merge_are_consistent() -> None:
    entities = gold()["entities"]
    names = [e["name"] for e in entities]
    assert len(names) == len(set(names))
    name_set = set(names)
    for ent in entities:
        assert ent["name"] not in ent["aliases"]
        assert len(ent["aliases"]) == len(set(ent["aliases"]))
        assert not (set(ent["aliases"]) & (name_set - {ent["name"]})), (
            f"{ent['name']}: alias is another entity"
        )
    for a, b in gold()["never_merge"]:
        assert a in name_set and b in name_set and a != b
    types = {e["name"]: e["type"] for e in entities}
    assert types["Veloria"] == types["Velaria"] == "location"


def test_sources_are_consistent() -> None:
    sources = {s["label"]: s for s in gold()["sources"]}
    assert len(sources) == len(gold()["sources"])
    names = {e["name"] for e in gold()["entities"]}
    for src in sources.values():
        if src["entity"] is not None:
            assert src["entity"] in names, src["label"]
        if src["kind"] == "anonymous":
            assert src["entity"] is None
        for other in src["affiliated_with"]:
            assert other in sources, f"{src['label']}: unknown affiliate {other}"
            assert src["label"] in sources[other]["affiliated_with"], (
                f"{src['label']} ↔ {other} not symmetric"
            )
    used = {s["speaker"] for s in gold()["statements"]}
    used |= {
        label
        for c in gold()["claims"]
        for key in ("origin", "disputed_by", "denied_by", "declined_by")
        for label in c[key]
    }
    assert used == set(sources), f"unknown: {used - set(sources)}, unused: {set(sources) - used}"


def test_statements_are_consistent() -> None:
    docs = _by_path()
    sources = {s["label"]: s for s in gold()["sources"]}
    claim_ids = {c["id"] for c in gold()["claims"]}
    titled: set[str] = set()
    for st in gold()["statements"]:
        doc = docs[st["path"]]
        assert doc["duplicate_of"] is None, "statements are listed for originals only"
        src = sources[st["speaker"]]
        if st["kind"] == "author":
            assert st["speaker"] in doc["authors"], st
        elif st["kind"] == "outlet":
            assert st["speaker"] == doc["outlet"], st
        else:
            assert st["kind"] == src["kind"], st
        if st["mode"] == "assertion":
            assert st["cue"] is None
            assert st["kind"] in ("author", "outlet"), st
        else:
            assert st["cue"], st
        if st["part"] == "title":
            assert st["kind"] == "outlet" and st["speaker"] == doc["outlet"]
            titled.add(st["path"])
        if st["stance"] == "declines":
            cue: str = st["cue"] or ""
            assert cue.startswith(("declined", "would not")) and cue in st["contains"], st
        assert (st["claim"] is None) == (st["stance"] is None), st
        if st["claim"] is not None:
            assert st["claim"] in claim_ids
    originals = {d["path"] for d in _documents() if d["duplicate_of"] is None}
    assert titled == originals, "every original's headline is listed as the outlet's assertion"


def test_claims_add_up() -> None:
    docs = _by_path()
    statements = gold()["statements"]
    labels = {s["label"]: s for s in gold()["sources"]}
    for claim in gold()["claims"]:
        own = [s for s in statements if s["claim"] == claim["id"]]
        assert sorted({s["path"] for s in own}) == sorted(claim["documents"]) == claim["documents"]
        by_stance = {
            stance: {s["speaker"] for s in own if s["stance"] == stance}
            for stance in ("disputes", "denies", "declines")
        }
        assert set(claim["disputed_by"]) == by_stance["disputes"]
        assert set(claim["denied_by"]) == by_stance["denies"]
        assert set(claim["declined_by"]) == by_stance["declines"]
        supporters = {s["speaker"] for s in own if s["stance"] == "supports"}
        for origin in claim["origin"]:
            assert origin in supporters, f"{claim['id']}: origin {origin} never supports it"
        attributed_support = [s for s in own if s["stance"] == "supports" and s["mode"] != "assertion"]
        assert claim["supporting_min"] == len(attributed_support)
        assert claim["independent_sources"] == len(claim["origin"])
        assert claim["circular"] == (len(claim["documents"]) > 1 and claim["independent_sources"] <= 1)
        assert claim["first_seen"] == min(docs[p]["published"] for p in claim["documents"])
        # origins are not affiliated with each other (affiliated sources count once)
        for a in claim["origin"]:
            assert not set(labels[a]["affiliated_with"]) & set(claim["origin"])


def test_the_story_the_gold_tells() -> None:
    """The facts the pipeline is scored on, stated once more in plain terms."""
    claims = {c["id"]: c for c in gold()["claims"]}
    c1 = claims["C1"]
    assert c1["origin"] == ["Marek Holt"]
    assert c1["independent_sources"] == 1 and c1["circular"] is True
    assert c1["credibility"] == 4 and "Noor Castellan" in c1["disputed_by"]
    assert {"Elena Dravic", "Ann Poe"} <= set(c1["declined_by"])
    outlets = {_by_path()[p]["outlet"] for p in c1["documents"]}
    assert len(outlets) >= 4, "one origin relayed by several outlets"
    holt_docs = {
        s["path"] for s in gold()["statements"] if s["speaker"] == "Marek Holt" and s["kind"] == "person"
    }
    assert len(holt_docs) >= 3, "the consultant is quoted by at least three other outlets"
    assert _by_path()["holt_risk_advisory.html"]["authors"] == ["Marek Holt"], "and wrote the first article"
    c2 = claims["C2"]
    assert c2["independent_sources"] == 1 and c2["circular"] is False and len(c2["documents"]) == 1
    assert len([s for s in gold()["statements"] if s["claim"] == "C2"]) >= 2, "stated at least twice there"
    c3 = claims["C3"]
    assert c3["independent_sources"] == 2 and c3["credibility"] == 1
