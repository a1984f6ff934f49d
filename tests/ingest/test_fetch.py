"""URLs and feed URLs (``claimgraph.ingest.fetch``), against a local HTTP server started here on 127.0.0.1.

Never the internet: every request goes to :class:`LocalServer` (``http.server`` in a thread), which logs
what it was asked and what it answered, so the tests can check conditional requests, robots.txt, spacing
and redirects from the server's side.
"""

from __future__ import annotations

import contextlib
import email.utils
import hashlib
import itertools
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from claimgraph.cli import cli
from claimgraph.errors import InputProblem
from claimgraph.ingest.fetch import Fetcher, FetchOptions, MemoryHttpCache, kind_of, user_agent
from claimgraph.model import Document
from claimgraph.options import Options
from claimgraph.pipeline import analyze
from claimgraph.store import Store

ROOT = Path(__file__).resolve().parents[2]
FAST = {"fetch_rate_limit": 1000.0, "formats": ()}
"""Options for tests that do not look at spacing: no wait between requests, no output files."""

# ---------------------------------------------------------------------------- invented articles

_PARAGRAPHS = [
    "Harbour commissioner Ilse Drummond of Carrow Bay said on Tuesday that the ferry link to Tamsin Island "
    "would resume service next month after a six week closure caused by storm damage to the pier.",
    "Engineers from the Linnet Works consortium told the council that the pier deck had been rebuilt and "
    "that load tests carried out over the weekend showed no further movement of the supporting piles.",
    "Residents of Tamsin Island have relied on a single chartered boat since the closure, and the island's "
    "general practitioner, Dr Oskar Prell, said patients had missed appointments on the mainland.",
    "The council's finance committee is expected to approve an emergency grant of 2.4 million to cover the "
    "repairs when it meets on Thursday, according to a draft agenda seen by this newspaper.",
]


def article(title: str, *, variant: str = "", site: str | None = "The Carrow Bay Courier",
            date: str | None = "2025-05-06", author: str | None = "Mara Quill") -> bytes:  # fmt: skip
    """A news page with its title, site name, date and byline in the usual places."""
    head = f"<title>{title}</title>"
    if site:
        head += f"<meta property='og:site_name' content='{site}'>"
    if date:
        head += f"<meta property='article:published_time' content='{date}'>"
    byline = f"<p class='byline'>By {author}</p>" if author else ""
    body = "".join(f"<p>{p} {variant}</p>" for p in _PARAGRAPHS)
    return (
        f"<!doctype html><html><head>{head}</head><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        f"<article><h1>{title}</h1>{byline}{body}</article><footer>Contact us</footer></body></html>"
    ).encode()


def rss(items: list[dict[str, str]], *, title: str = "Carrow Bay Courier - Latest") -> bytes:
    entries = "".join(
        "<item>" + "".join(f"<{k}>{v}</{k}>" for k, v in item.items()) + "</item>" for item in items
    )
    return (
        f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>{title}</title>"
        f"<link>http://127.0.0.1/</link><description>Latest</description>{entries}</channel></rss>"
    ).encode()


# ---------------------------------------------------------------------------- the local server


@dataclass
class Route:
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    etag: str | None = None
    last_modified: str | None = None
    location: str | None = None
    delay: float = 0.0
    length: bool = True
    encoding: str | None = None
    """A Content-Encoding header (the body is sent as given)."""
    retry_after: str | None = None
    """Send Content-Length (otherwise the body is streamed until the connection closes)."""


@dataclass
class Hit:
    path: str
    status: int
    sent: int
    at: float
    headers: dict[str, str]


@dataclass
class LocalServer:
    base: str
    routes: dict[str, Route] = field(default_factory=dict)
    log: list[Hit] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base + path

    def page(self, path: str, body: bytes, **kwargs: object) -> str:
        """Serve ``body`` at ``path`` with an ETag (its hash) unless told otherwise; returns the URL."""
        kwargs.setdefault("etag", '"' + hashlib.sha256(body).hexdigest()[:16] + '"')
        self.routes[path] = Route(body=body, **kwargs)  # type: ignore[arg-type]
        return self.url(path)

    def hits(self, path: str | None = None) -> list[Hit]:
        return [h for h in self.log if path is None or h.path == path]

    def pages(self) -> list[Hit]:
        """Every request but robots.txt."""
        return [h for h in self.log if h.path != "/robots.txt"]


def _handler(server: LocalServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # silence stderr
            pass

        def do_GET(self) -> None:
            at = time.monotonic()
            route = server.routes.get(self.path) or Route(b"not here", "text/plain", status=404)
            headers = {k: v for k, v in self.headers.items()}
            if route.delay:
                time.sleep(route.delay)
            not_modified = (route.etag is not None and self.headers.get("If-None-Match") == route.etag) or (
                route.last_modified is not None
                and self.headers.get("If-Modified-Since") == route.last_modified
            )
            status = 304 if not_modified and route.status == 200 else route.status
            body = b"" if status == 304 else route.body
            server.log.append(Hit(self.path, status, len(body), at, headers))
            self.send_response(status)
            if route.location:
                self.send_header("Location", route.location)
            if route.etag:
                self.send_header("ETag", route.etag)
            if route.last_modified:
                self.send_header("Last-Modified", route.last_modified)
            if route.encoding:
                self.send_header("Content-Encoding", route.encoding)
            if route.retry_after:
                self.send_header("Retry-After", route.retry_after)
            if status != 304:
                self.send_header("Content-Type", route.content_type)
                if route.length:
                    self.send_header("Content-Length", str(len(body)))
                else:
                    self.send_header("Connection", "close")
                    self.close_connection = True
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)

    return Handler


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that went away (a fetch timed out, as some tests make it) is no server error: socketserver
        would print its traceback to the test process's stderr, which the CLI tests read."""
        if isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            return
        super().handle_error(request, client_address)


@pytest.fixture
def server() -> Iterator[LocalServer]:
    httpd = _Server(("127.0.0.1", 0), BaseHTTPRequestHandler)
    httpd.daemon_threads = True
    httpd.block_on_close = False
    local = LocalServer(base=f"http://127.0.0.1:{httpd.server_address[1]}")
    httpd.RequestHandlerClass = _handler(local)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield local
    finally:
        httpd.shutdown()
        httpd.server_close()


def read(urls: list[str], *, feeds: tuple[str, ...] = (), fetcher: Fetcher | None = None,
         **options: object) -> tuple[list[Document], list[InputProblem]]:  # fmt: skip
    from claimgraph.ingest import iter_documents

    docs: list[Document] = []
    problems: list[InputProblem] = []
    opts = Options(**{**FAST, **options})  # type: ignore[arg-type]
    for item in iter_documents(urls, opts, feeds=feeds, fetcher=fetcher):
        (problems if isinstance(item, InputProblem) else docs).append(item)  # type: ignore[arg-type]
    return docs, problems


# ---------------------------------------------------------------------------- fetch, cache, rerun


def test_first_run_fetches_and_a_rerun_fetches_nothing_new(server: LocalServer, tmp_path: Path) -> None:
    stamp = email.utils.formatdate(1_700_000_000, usegmt=True)
    one = server.page("/news/ferry.html", article("Ferry link to resume"))
    two = server.page("/news/pier.html", article("Pier rebuilt", variant="(update)"), etag=None,
                      last_modified=stamp)  # fmt: skip
    out = tmp_path / "out"

    first = analyze([one, two], out, stages=(), options=Options(**FAST))  # type: ignore[arg-type]
    assert (first.seen, first.added, first.problems) == (2, 2, [])
    assert [h.status for h in server.pages()] == [200, 200]
    assert not any("If-None-Match" in h.headers or "If-Modified-Since" in h.headers for h in server.pages())

    server.log.clear()
    second = analyze([one, two], out, stages=(), options=Options(**FAST))  # type: ignore[arg-type]
    assert (second.seen, second.added, second.problems) == (2, 0, [])
    hits = server.pages()
    assert [h.status for h in hits] == [304, 304] and all(h.sent == 0 for h in hits)
    assert hits[0].headers["If-None-Match"] == server.routes["/news/ferry.html"].etag
    assert hits[1].headers["If-Modified-Since"] == stamp

    # the page changes: only it is fetched in full, and it is a new document
    server.page("/news/ferry.html", article("Ferry link to resume", variant="(corrected)"))
    server.log.clear()
    third = analyze([one, two], out, stages=(), options=Options(**FAST))  # type: ignore[arg-type]
    assert (third.seen, third.added) == (2, 1)
    assert {h.path: h.status for h in server.pages()} == {"/news/ferry.html": 200, "/news/pier.html": 304}
    with Store.open(out / "claimgraph.db") as store:
        assert store.count_documents() == 3
        entry = store.get_http_entry(one)
        assert entry is not None and entry["etag"] == server.routes["/news/ferry.html"].etag


def test_documents_take_url_outlet_and_date_from_the_page(server: LocalServer) -> None:
    url = server.page("/a/ferry", article("Ferry link to resume"))
    bare = server.page("/a/plain", article("Pier rebuilt", site=None, variant="(b)"))
    docs, problems = read([url, bare])
    assert problems == []
    by_path = {d.path: d for d in docs}
    doc = by_path[url]
    assert (doc.url, doc.outlet, doc.published, doc.format) == (
        url,
        "The Carrow Bay Courier",
        "2025-05-06",
        "html",
    )
    assert doc.title == "Ferry link to resume" and doc.authors == ["Mara Quill"]
    assert "Ilse Drummond" in doc.text and "Contact us" not in doc.text
    assert by_path[bare].outlet == "127.0.0.1"  # no site name on the page: the host


def test_user_agent_names_claimgraph_its_version_and_the_contact(server: LocalServer) -> None:
    from claimgraph import __version__

    url = server.page("/a", article("Ferry link to resume"))
    read([url], fetch_contact="mailto:desk@example.org")
    agents = {h.headers.get("User-Agent") for h in server.log}
    assert agents == {f"claimgraph/{__version__} (+mailto:desk@example.org)"}
    assert user_agent().startswith(f"claimgraph/{__version__} (+http")


def test_the_python_api_fetches_urls(server: LocalServer, tmp_path: Path) -> None:
    import claimgraph

    url = server.page("/a", article("Ferry link to resume"))
    result = claimgraph.analyze([url], tmp_path / "out", stages=(), options=claimgraph.Options(**FAST))  # type: ignore[arg-type]
    assert result.added == 1 and result.corpus.documents[0].url == url


# ---------------------------------------------------------------------------- politeness


def test_robots_txt_disallow_is_honoured(server: LocalServer) -> None:
    server.page("/robots.txt", b"User-agent: claimgraph\nDisallow: /private/\n\nUser-agent: *\nDisallow: /\n",
                content_type="text/plain")  # fmt: skip
    open_url = server.page("/public/a", article("Ferry link to resume"))
    closed = server.page("/private/b", article("Pier rebuilt", variant="(b)"))
    docs, problems = read([open_url, closed])
    assert [d.path for d in docs] == [open_url]
    assert [(p.path, p.code) for p in problems] == [(closed, "E023")]
    assert "robots.txt" in problems[0].reason and "disallows" in problems[0].reason
    assert server.hits("/private/b") == []  # never asked
    assert len(server.hits("/robots.txt")) == 1  # fetched once per host


def test_robots_txt_server_error_means_the_site_is_disallowed(server: LocalServer) -> None:
    server.page("/robots.txt", b"oops", content_type="text/plain", status=503)
    url = server.page("/a", article("Ferry link to resume"))
    docs, problems = read([url])
    assert docs == [] and [p.code for p in problems] == ["E023"]
    assert "503" in problems[0].reason and server.hits("/a") == []


def test_requests_to_one_host_are_spaced_by_the_rate_limit(server: LocalServer) -> None:
    urls = [server.page(f"/a/{n}", article(f"Story {n}", variant=f"({n})")) for n in range(3)]
    docs, problems = read(urls, fetch_rate_limit=5.0)  # one request per 0.2 s, robots.txt included
    assert len(docs) == 3 and problems == []
    times = [h.at for h in server.log]
    assert len(times) == 4
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert min(gaps) >= 0.18, gaps


def test_rate_limit_and_crawl_delay_with_an_injected_clock(server: LocalServer) -> None:
    """The waits themselves: 1 request/s by default, a longer robots.txt Crawl-delay wins."""
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(round(seconds, 3))
        now[0] += seconds

    server.page("/robots.txt", b"User-agent: *\nCrawl-delay: 3\n", content_type="text/plain")
    urls = [server.page(f"/a/{n}", article(f"Story {n}", variant=f"({n})")) for n in range(3)]
    with Fetcher(FetchOptions(), clock=lambda: now[0], sleep=sleep) as fetcher:
        docs, problems = read(urls, fetcher=fetcher)
    assert len(docs) == 3 and problems == []
    assert slept == [1.0, 3.0, 3.0]  # robots.txt, then the first page 1 s later, then the Crawl-delay


# ---------------------------------------------------------------------------- caps and failures


def test_redirects_are_followed_up_to_the_cap(server: LocalServer) -> None:
    target = server.page("/final", article("Ferry link to resume"))
    for n in range(7):
        server.routes[f"/r{n}"] = Route(status=302, location=f"/r{n + 1}" if n < 6 else "/final")
    server.routes["/short"] = Route(status=301, location=target)
    docs, problems = read([server.url("/short"), server.url("/r0")], fetch_max_redirects=5)
    assert [(d.path, d.url) for d in docs] == [(server.url("/short"), target)]
    assert [(p.path, p.code) for p in problems] == [(server.url("/r0"), "E024")]
    assert [h.path for h in server.pages()] == ["/short", "/final", *[f"/r{n}" for n in range(6)]]


def test_responses_over_the_size_cap_are_refused(server: LocalServer) -> None:
    body = article("Ferry link to resume")
    declared = server.page("/declared", body)
    streamed = server.page("/streamed", body, length=False)
    small = server.page("/small", "\n\n".join(_PARAGRAPHS[:2]).encode(), content_type="text/plain")
    docs, problems = read([declared, streamed, small], max_bytes=1000)
    assert len(body) > 1000
    assert [d.path for d in docs] == [small]
    assert [(p.path, p.code) for p in problems] == [(declared, "E025"), (streamed, "E025")]
    assert f"{len(body)} bytes" in problems[0].reason and "--max-bytes" in problems[0].reason


def test_compressed_responses_are_decoded_with_the_cap_applied_while_inflating(server: LocalServer) -> None:
    import gzip
    import zlib

    page = server.page("/gz", gzip.compress(article("Ferry link to resume")), encoding="gzip")
    deflated = server.page(
        "/deflate", zlib.compress(article("Pier rebuilt", variant="(d)")), encoding="deflate"
    )
    bomb = server.page("/bomb", gzip.compress(b"<html><body>" + b" " * 50_000_000), encoding="gzip")
    assert len(server.routes["/bomb"].body) < 100_000
    started = time.process_time()
    docs, problems = read([page, deflated, bomb], max_bytes=1_000_000)
    assert time.process_time() - started < 5  # the 50 MB are never inflated
    assert sorted(d.title or "" for d in docs) == ["Ferry link to resume", "Pier rebuilt"]
    assert [(p.path, p.code) for p in problems] == [(bomb, "E025")]
    assert all(h.headers["Accept-Encoding"] == "gzip, deflate" for h in server.log)


def test_retry_after_keeps_the_host_waiting(server: LocalServer) -> None:
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(round(seconds, 3))
        now[0] += seconds

    server.routes["/busy"] = Route(b"slow down", "text/plain", status=429, retry_after="7")
    later = server.page("/later", article("Ferry link to resume"))
    with Fetcher(FetchOptions(rate_limit=1000), clock=lambda: now[0], sleep=sleep) as fetcher:
        docs, problems = read([server.url("/busy"), later], fetcher=fetcher)
    assert [p.code for p in problems] == ["E022"] and "429" in problems[0].reason
    assert len(docs) == 1 and slept[-1] == 7.0


def test_http_errors_and_timeouts_are_one_line_each_and_the_run_goes_on(
    server: LocalServer, tmp_path: Path
) -> None:
    good = server.page("/good", article("Ferry link to resume"))
    gone = server.url("/gone")  # 404: no route
    server.routes["/broken"] = Route(b"boom", "text/plain", status=500)
    server.routes["/slow"] = Route(article("Pier rebuilt"), delay=3.0)
    pdf = server.page("/report.pdf", b"%PDF-1.4 binary", content_type="application/pdf")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli,
        ["analyze", gone, server.url("/broken"), server.url("/slow"), pdf, good, "--out", str(out),
         "--format", "json", "--stages", "", "--rate-limit", "1000", "--timeout", "0.5"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines == [
        f"error: {gone}: server answered HTTP 404 Not Found [E022]",
        f"error: {server.url('/broken')}: server answered HTTP 500 Internal Server Error [E022]",
        f"error: {server.url('/slow')}: no answer within 0.5 s (timeout); raise it with --timeout [E021]",
        f"error: {pdf}: unsupported content type 'application/pdf'; expected an HTML page, an RSS/Atom feed or plain text [E026]",
    ]
    assert "read 1 document(s), 1 new; 4 input(s) could not be read" in result.stdout
    with Store.open(out / "claimgraph.db") as store:
        assert [d.path for d in store.documents()] == [good]
        assert {p.code for p in store.problems()} == {"E021", "E022", "E026"}


def test_network_failures_are_one_line(server: LocalServer) -> None:
    import socket

    import httpx

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{sock.getsockname()[1]}/a"
    docs, problems = read([closed])
    assert docs == [] and [p.code for p in problems] == ["E020"]
    assert "\n" not in str(problems[0])

    def no_dns(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno -2] Name or service not known", request=request)

    with Fetcher(FetchOptions(rate_limit=1000), transport=httpx.MockTransport(no_dns)) as fetcher:
        docs, problems = read(["https://news.invalid/a"], fetcher=fetcher)
    assert docs == [] and [p.code for p in problems] == ["E020"]
    assert problems[0].reason.startswith("cannot fetch URL: host name not found (DNS)")


def test_content_types_are_routed_to_the_readers(server: LocalServer) -> None:
    text = server.page("/note.txt", b"Ferry returns\n\n" + _PARAGRAPHS[0].encode(), content_type="text/plain")
    xml_page = server.page("/page.xml", article("Pier rebuilt"), content_type="application/xml")
    docs, problems = read([text, xml_page])
    assert problems == []
    assert {d.path: d.format for d in docs} == {text: "text", xml_page: "html"}
    assert kind_of("application/rss+xml", b"") == "feed"
    assert kind_of("text/xml", b"<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'>") == "feed"
    assert kind_of("", b"<!DOCTYPE html><html>") == "html"
    assert kind_of("image/png", b"\x89PNG") is None


# ---------------------------------------------------------------------------- feeds


def _feed(server: LocalServer, extra: list[dict[str, str]] | None = None) -> str:
    server.page("/story/ferry", article("Ferry link to resume"))
    server.page("/story/pier", article("Pier rebuilt", date=None, author=None, variant="(pier)"))
    items = [
        {"title": "Ferry link to resume", "link": server.url("/story/ferry"), "pubDate": "Tue, 06 May 2025 09:00:00 GMT"},
        {"title": "Pier rebuilt", "link": "/story/pier", "pubDate": "Wed, 07 May 2025 10:30:00 GMT",
         "author": "desk@example.org (Ansel Brook)"},
        {"title": "Island clinic hours", "description": "Dr Oskar Prell said the island clinic will open on "
         "Saturdays until the ferry returns, because patients cannot reach the mainland."},
        *(extra or []),
    ]  # fmt: skip
    return server.page("/feed.xml", rss(items), content_type="application/rss+xml")


def test_a_feed_url_gives_its_linked_articles_and_entry_texts(server: LocalServer, tmp_path: Path) -> None:
    feed = _feed(server)
    out = tmp_path / "out"
    first = analyze([], out, feeds=[feed], stages=(), options=Options(**FAST))  # type: ignore[arg-type]
    assert first.problems == [] and (first.seen, first.added) == (3, 3)
    docs = {d.path: d for d in first.corpus.documents}
    ferry, pier = docs[server.url("/story/ferry")], docs[server.url("/story/pier")]
    assert (ferry.format, ferry.published, ferry.outlet) == ("html", "2025-05-06", "The Carrow Bay Courier")
    assert pier.published == "2025-05-07"  # the page has no date: the feed entry's
    assert pier.authors == ["Ansel Brook"]  # nor a byline: the entry's author
    clinic = docs[feed + "#3"]  # no link: the entry's own text
    assert (
        clinic.format == "rss"
        and clinic.outlet == "Carrow Bay Courier - Latest"
        and "Saturdays" in clinic.text
    )

    # a rerun: the feed is unchanged (304), so nothing else is asked for
    server.log.clear()
    second = analyze([], out, feeds=[feed], stages=(), options=Options(**FAST))  # type: ignore[arg-type]
    assert (second.seen, second.added, second.problems) == (3, 0, [])
    assert [(h.path, h.status) for h in server.pages()] == [("/feed.xml", 304)]

    # a new entry: the feed and the new article are fetched; the known articles are revalidated (304)
    feed = _feed(server, [{"title": "Grant approved", "link": server.url("/story/grant")}])
    server.page("/story/grant", article("Grant approved", variant="(grant)"))
    server.log.clear()
    third = analyze([], out, feeds=[feed], stages=(), options=Options(**FAST))  # type: ignore[arg-type]
    assert (third.seen, third.added, third.problems) == (4, 1, [])
    assert {h.path: h.status for h in server.pages()} == {
        "/feed.xml": 200, "/story/ferry": 304, "/story/pier": 304, "/story/grant": 200,
    }  # fmt: skip


def test_only_new_documents_when_asked(server: LocalServer) -> None:
    """``unchanged=False`` (for a watcher): a 304 gives nothing, a changed feed only its new articles."""
    feed = _feed(server)
    with Fetcher(FetchOptions(rate_limit=1000), cache=MemoryHttpCache()) as fetcher:
        assert len(list(fetcher.documents(feed, unchanged=False))) == 3
        assert list(fetcher.documents(feed, unchanged=False)) == []
        assert len(list(fetcher.documents(feed))) == 3  # handed back from the cache
        feed = _feed(server, [{"title": "Grant approved", "link": server.url("/story/grant")}])
        server.page("/story/grant", article("Grant approved", variant="(grant)"))
        new = list(fetcher.documents(feed, unchanged=False))
        assert [d.path for d in new] == [server.url("/story/grant")]  # type: ignore[union-attr]
        server.log.clear()
        assert len(list(fetcher.documents(feed))) == 4  # the feed's cache entry lists all four
        assert [h.status for h in server.pages()] == [304]
        assert fetcher.stats.not_modified >= 4 and fetcher.stats.failed == 0


def test_a_feed_entry_whose_link_fails_falls_back_to_its_text(server: LocalServer) -> None:
    items = [{"title": "Ferry returns", "link": server.url("/missing"),
              "description": "Ilse Drummond said the ferry link to Tamsin Island would resume next month."}]  # fmt: skip
    feed = server.page("/feed.xml", rss(items), content_type="application/rss+xml")
    cache = MemoryHttpCache()
    with Fetcher(FetchOptions(rate_limit=1000), cache=cache) as fetcher:
        docs, problems = read([feed], fetcher=fetcher)
        assert [(p.path, p.code) for p in problems] == [(server.url("/missing"), "E022")]
        assert [d.path for d in docs] == [server.url("/missing")] and docs[0].format == "rss"
        # an incomplete read is not skipped next time: the feed is asked for in full again
        server.log.clear()
        read([feed], fetcher=fetcher)
    assert [(h.path, h.status) for h in server.pages()] == [("/feed.xml", 200), ("/missing", 404)]
    assert "If-None-Match" not in server.pages()[0].headers


def test_feed_option_needs_a_feed_and_a_plain_url_input_may_be_one(server: LocalServer) -> None:
    page = server.page("/a", article("Ferry link to resume"))
    feed = _feed(server)
    docs, problems = read([], feeds=(page,))
    assert docs == [] and [(p.path, p.code) for p in problems] == [(page, "E026")]
    docs, problems = read([feed])  # detected by its content type
    assert len(docs) == 3 and problems == []


def test_cli_feed_option(server: LocalServer, tmp_path: Path) -> None:
    feed = _feed(server)
    args = ["analyze", "--feed", feed, "--out", str(tmp_path / "o"), "--format", "json", "--stages", "",
            "--rate-limit", "1000", "--contact", "https://desk.example.org"]  # fmt: skip
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "read 3 document(s), 3 new; 0 input(s) could not be read" in result.stdout
    assert all("https://desk.example.org" in h.headers["User-Agent"] for h in server.log)
    bad = CliRunner().invoke(cli, ["analyze", "--feed", "feeds/local.xml", "--out", str(tmp_path / "o")])
    assert bad.exit_code == 2 and "not an http(s) URL" in bad.output
    none = CliRunner().invoke(cli, ["analyze", "--out", str(tmp_path / "o")])
    assert none.exit_code == 2 and "INPUT" in none.output


# ---------------------------------------------------------------------------- the store as HTTP cache


def test_fetching_is_imported_lazily() -> None:
    code = "import sys, claimgraph.cli, claimgraph.ingest; print('httpx' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert done.stdout.strip() == "False"
