"""A loopback news site (feeds, article pages, robots.txt) and a webhook receiver for the watch tests.

Invented story and names: a county reservoir, a valve maker, a councillor, a state inspector. Never the internet:
every request goes to 127.0.0.1, and the server logs what it was asked and what it answered.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from xml.sax.saxutils import escape

# ---------------------------------------------------------------------------- invented articles

GAZETTE = "The Ashgrove Gazette"
LOWFIELD = "Lowfield Evening Times"

ARTICLES: dict[str, dict[str, Any]] = {
    "/gazette/2025/03/councillor-records.html": {
        "site": GAZETTE,
        "title": "Councillor says valve maker falsified reservoir inspection records",
        "date": "2025-03-03",
        "author": "Nell Cardew",
        "paragraphs": [
            "Councillor Priya Natt said on Monday that Dunmore Valve Works falsified the safety inspection records "
            "of the Ashgrove reservoir dam for three years.",
            "Natt, who chairs the county's water committee, said she had compared the company's signed reports "
            "with the maintenance logs kept at the pumping station.",
            "The reservoir supplies drinking water to about 40,000 households in Ashgrove and the surrounding "
            "villages, and the dam was last rebuilt in 1987.",
        ],
    },
    "/lowfield/2025/03/reservoir-claims.html": {
        "site": LOWFIELD,
        "title": "Reservoir records row reaches Lowfield",
        "date": "2025-03-04",
        "author": "Tom Arkwright",
        "paragraphs": [
            "Priya Natt told the Ashgrove Gazette on Monday that Dunmore Valve Works falsified the safety "
            "inspection records of the Ashgrove reservoir dam for three years.",
            "Lowfield draws a fifth of its water from the Ashgrove reservoir, and the town council said it would "
            "discuss the matter at its next meeting.",
        ],
    },
    "/gazette/2025/03/inspector-confirms.html": {
        "site": GAZETTE,
        "title": "State inspector backs councillor over reservoir records",
        "date": "2025-03-06",
        "author": "Nell Cardew",
        "paragraphs": [
            "Miriam Okafor, a senior engineer at the State Dam Safety Inspectorate, said her own site visit "
            "showed that Dunmore Valve Works falsified the safety inspection records of the Ashgrove reservoir "
            "dam.",
            "Okafor said the inspectorate had measured the spillway gates itself last week and found readings "
            "that did not match any of the company's reports.",
        ],
    },
    "/lowfield/2025/03/engineer-doubts.html": {
        "site": LOWFIELD,
        "title": "University engineer doubts reservoir allegations",
        "date": "2025-03-07",
        "author": "Tom Arkwright",
        "paragraphs": [
            "Colm Rafferty, a water engineer at Lowfield University who reviewed the reports for the county, said "
            "there was no evidence that Dunmore Valve Works falsified the safety inspection records of the "
            "Ashgrove reservoir dam.",
            "Rafferty said gaps in the maintenance logs were common at older pumping stations and did not by "
            "themselves show that any report was wrong.",
        ],
    },
}

CYCLE_1 = {
    "/gazette/feed.xml": ["/gazette/2025/03/councillor-records.html"],
    "/lowfield/atom.xml": ["/lowfield/2025/03/reservoir-claims.html"],
}
CYCLE_2 = {
    "/gazette/feed.xml": [
        "/gazette/2025/03/councillor-records.html",
        "/gazette/2025/03/inspector-confirms.html",
    ],
    "/lowfield/atom.xml": [
        "/lowfield/2025/03/reservoir-claims.html",
        "/lowfield/2025/03/engineer-doubts.html",
    ],
}


def article_page(path: str) -> bytes:
    a = ARTICLES[path]
    body = "".join(f"<p>{escape(p)}</p>" for p in a["paragraphs"])
    return (
        "<!doctype html><html><head>"
        f"<title>{escape(a['title'])} | {escape(a['site'])}</title>"
        f"<meta property='og:site_name' content='{escape(a['site'])}'>"
        f"<meta property='og:title' content='{escape(a['title'])}'>"
        f"<meta property='article:published_time' content='{a['date']}T08:00:00Z'>"
        f"<meta name='author' content='{escape(a['author'])}'>"
        "</head><body><header><nav><a href='/'>Home</a> <a href='/news'>News</a> <a href='/sport'>Sport</a></nav>"
        f"</header><main><article><h1>{escape(a['title'])}</h1><p class='byline'>By {escape(a['author'])}</p>"
        f"{body}</article></main><footer><p>Contact the newsroom</p></footer></body></html>"
    ).encode()


def rss_feed(base: str, paths: list[str]) -> bytes:
    items = "".join(
        f"<item><title>{escape(ARTICLES[p]['title'])}</title><link>{base}{p}</link><guid>{base}{p}</guid>"
        f"<pubDate>{formatdate(_epoch(ARTICLES[p]['date']), usegmt=True)}</pubDate></item>"
        for p in reversed(paths)
    )
    return (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
        f"<title>{GAZETTE}</title><link>{base}/gazette/</link><description>Latest news</description>"
        f"{items}</channel></rss>"
    ).encode()


def atom_feed(base: str, paths: list[str]) -> bytes:
    updated = max(ARTICLES[p]["date"] for p in paths)
    entries = "".join(
        f"<entry><title>{escape(ARTICLES[p]['title'])}</title><link href='{base}{p}'/><id>{base}{p}</id>"
        f"<updated>{ARTICLES[p]['date']}T08:00:00Z</updated><author><name>{escape(ARTICLES[p]['author'])}</name></author></entry>"
        for p in reversed(paths)
    )
    return (
        "<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'>"
        f"<title>{LOWFIELD}</title><id>{base}/lowfield/</id><updated>{updated}T08:00:00Z</updated>{entries}</feed>"
    ).encode()


def _epoch(day: str) -> float:
    from datetime import UTC, datetime

    return datetime.fromisoformat(day).replace(hour=8, tzinfo=UTC).timestamp()


# ---------------------------------------------------------------------------- the local server


@dataclass
class Route:
    body: bytes
    content_type: str
    etag: str
    last_modified: str | None = None
    status: int = 200


@dataclass
class Hit:
    method: str
    path: str
    status: int
    sent: int
    headers: dict[str, str]
    body: bytes = b""


@dataclass
class LocalSite:
    base: str
    routes: dict[str, Route] = field(default_factory=dict)
    log: list[Hit] = field(default_factory=list)
    post_status: list[int] = field(default_factory=list)
    """Statuses to answer the next POSTs with (then 204)."""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str) -> str:
        return self.base + path

    def serve(self, path: str, body: bytes, content_type: str) -> str:
        self.routes[path] = Route(body, content_type, '"' + hashlib.sha256(body).hexdigest()[:16] + '"')
        return self.url(path)

    def publish(self, feeds: dict[str, list[str]]) -> None:
        """Serve the feeds (the RSS one and the Atom one) and every article they link to."""
        for feed, paths in feeds.items():
            if feed.endswith("atom.xml"):
                self.serve(feed, atom_feed(self.base, paths), "application/atom+xml")
            else:
                self.serve(feed, rss_feed(self.base, paths), "application/rss+xml; charset=utf-8")
            for path in paths:
                self.serve(path, article_page(path), "text/html; charset=utf-8")

    def gets(self) -> list[Hit]:
        with self.lock:
            return [h for h in self.log if h.method == "GET"]

    def posts(self, path: str | None = None) -> list[Hit]:
        with self.lock:
            return [h for h in self.log if h.method == "POST" and (path is None or h.path == path)]

    def clear(self) -> None:
        with self.lock:
            self.log.clear()


def _handler(site: LocalSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def _answer(self, status: int, body: bytes, headers: dict[str, str]) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            if status != 304:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)

        def do_GET(self) -> None:
            headers = dict(self.headers.items())
            if self.path == "/robots.txt":
                route: Route | None = Route(b"User-agent: *\nAllow: /\n", "text/plain", '"robots-1"')
            else:
                route = site.routes.get(self.path)
            if route is None:
                with site.lock:
                    site.log.append(Hit("GET", self.path, 404, 9, headers))
                self._answer(404, b"not found", {"Content-Type": "text/plain"})
                return
            fresh = self.headers.get("If-None-Match") == route.etag
            status = 304 if fresh else route.status
            body = b"" if status == 304 else route.body
            with site.lock:
                site.log.append(Hit("GET", self.path, status, len(body), headers))
            extra = {"ETag": route.etag}
            if status != 304:
                extra["Content-Type"] = route.content_type
            self._answer(status, body, extra)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            with site.lock:
                status = site.post_status.pop(0) if site.post_status else 204
                site.log.append(Hit("POST", self.path, status, 0, dict(self.headers.items()), body))
            self._answer(status, b"", {})

    return Handler


@contextlib.contextmanager
def local_site() -> Iterator[LocalSite]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    httpd.daemon_threads = True
    httpd.block_on_close = False
    site = LocalSite(base=f"http://127.0.0.1:{httpd.server_address[1]}")
    httpd.RequestHandlerClass = _handler(site)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        httpd.shutdown()
        httpd.server_close()


def alerts_from(lines: list[str]) -> list[dict[str, Any]]:
    return [json.loads(line) for line in lines]


def wait_for(predicate: Any, timeout: float = 60.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.05)
    return False
