"""URLs and feed URLs over HTTP(S): a polite, caching fetcher that turns responses into documents.

:class:`Fetcher` is a library piece (``analyze`` uses it for ``http(s)://`` inputs and ``--feed URL``; a
long-running ``watch`` can keep one open across cycles):

- a real User-Agent naming claimgraph, its version and a contact (``FetchOptions.contact``);
- robots.txt (RFC 9309, :mod:`urllib.robotparser`) fetched once per host and respected, ``Crawl-delay`` included;
- a per-host rate limit (default one request per second per host), timeouts, at most ``max_redirects``
  redirects (robots.txt is checked again on every hop), a response size cap (``--max-bytes``);
- routing by content type: HTML pages and plain text go to the existing readers; an RSS/Atom feed gives one
  document per entry, the entry's link fetched as an article (its own text used when it has no link, or when
  the link cannot be fetched);
- HTTP caching (``ETag`` / ``Last-Modified``, conditional GET with ``If-None-Match`` / ``If-Modified-Since``):
  a ``304 Not Modified`` means nothing new, and the documents read from that URL before are handed back from
  the cache (the workspace store, :class:`~claimgraph.store.Store`) instead of being fetched again;
- every failure is one :class:`~claimgraph.errors.InputProblem` naming the URL (E020-E026) and the run goes on.

httpx is imported only when the first request is made.
"""

from __future__ import annotations

import io
import re
import time
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urljoin, urlsplit, urlunsplit

from ..errors import Errors, InputError, InputProblem
from ..options import Options
from .documents import RawDocument, finish

if TYPE_CHECKING:
    from urllib.robotparser import RobotFileParser

    import httpx

    from ..model import Document

__all__ = ["FetchOptions", "FetchResult", "Fetcher", "HttpCache", "MemoryHttpCache", "is_url", "user_agent"]

#: Where a site owner reads what claimgraph is (shown in the User-Agent unless a contact is given).
PROJECT_URL = "https://example.invalid/claimgraph"
#: The product token matched against robots.txt ``User-agent:`` lines.
ROBOTS_AGENT = "claimgraph"
_ROBOTS_MAX_BYTES = 512 * 1024
"""RFC 9309: crawlers must parse at least 500 KiB of a robots.txt."""
_MAX_CRAWL_DELAY = 60.0
"""A robots.txt ``Crawl-delay`` is honoured up to this many seconds."""
_ROBOTS_TTL = 24 * 3600.0
"""A host's robots.txt is fetched again after this many seconds (for long-running watchers)."""
_ROBOTS_RETRY = 300.0
_MAX_RETRY_AFTER = 600.0
"""After a failure (server error, host unreachable) robots.txt is asked for again after this many seconds."""

_HTML_TYPES = frozenset(["text/html", "application/xhtml+xml"])
_FEED_TYPES = frozenset(
    ["application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+xml"]
)
_XML_TYPES = frozenset(["application/xml", "text/xml"])
_TEXT_TYPES = {"text/plain": "text", "text/markdown": "markdown", "text/x-markdown": "markdown"}
_FEED_START = re.compile(rb"<(?:rss|feed|rdf:rdf)[\s>]")
_HTML_START = re.compile(rb"<!doctype html|<(?:html|body)[\s>]")
_SNIFF_TYPES = frozenset(["", "application/octet-stream", "binary/octet-stream"])


def is_url(value: object) -> bool:
    """True for an ``http://`` or ``https://`` URL (what :func:`claimgraph.analyze` fetches instead of opening)."""
    return isinstance(value, str) and value[:8].lower().startswith(("http://", "https://"))


def user_agent(contact: str | None = None) -> str:
    """``claimgraph/<version> (+<contact or project URL>)``: names the tool and who to ask about it."""
    from .. import __version__

    return f"claimgraph/{__version__} (+{contact or PROJECT_URL})"


@dataclass(frozen=True)
class FetchOptions:
    """How a :class:`Fetcher` behaves; :meth:`from_options` reads them from :class:`~claimgraph.options.Options`."""

    contact: str | None = None
    """A URL or e-mail address for site owners, put in the User-Agent (default: the project's URL)."""
    rate_limit: float = 1.0
    """Requests per second per host (robots.txt included); a robots.txt ``Crawl-delay`` can only slow it down."""
    timeout: float = 20.0
    """Seconds to wait to connect, and between bytes of a response."""
    max_redirects: int = 5
    max_bytes: int = 50 * 1024 * 1024
    """Largest response body (after content decoding) to accept."""
    user_agent: str | None = None
    """The whole User-Agent header, replacing :func:`user_agent` (keep it honest)."""

    @classmethod
    def from_options(cls, options: Options) -> FetchOptions:
        return cls(
            contact=options.fetch_contact,
            rate_limit=options.fetch_rate_limit,
            timeout=options.fetch_timeout,
            max_redirects=options.fetch_max_redirects,
            max_bytes=options.max_bytes,
        )

    @property
    def agent(self) -> str:
        return self.user_agent or user_agent(self.contact)


class HttpCache(Protocol):
    """Where validators and the documents read from each URL are kept (:class:`~claimgraph.store.Store` is one)."""

    def get_http_entry(self, url: str) -> dict[str, Any] | None: ...

    def put_http_entry(self, url: str, entry: dict[str, Any], documents: Sequence[Document] = ()) -> None: ...

    def documents_by_id(self, ids: Sequence[str]) -> list[Document]: ...


class MemoryHttpCache:
    """An :class:`HttpCache` in memory (for library use without a workspace store, and for tests)."""

    def __init__(self) -> None:
        self.entries: dict[str, dict[str, Any]] = {}
        self._documents: dict[str, Document] = {}

    def get_http_entry(self, url: str) -> dict[str, Any] | None:
        return self.entries.get(url)

    def put_http_entry(self, url: str, entry: dict[str, Any], documents: Sequence[Document] = ()) -> None:
        self.entries[url] = dict(entry)
        self._documents.update({doc.id: doc for doc in documents})

    def documents_by_id(self, ids: Sequence[str]) -> list[Document]:
        return [self._documents[i] for i in ids if i in self._documents]


@dataclass
class FetchResult:
    """One response after redirects: ``body`` is ``None`` when the server said ``304 Not Modified``."""

    url: str
    final_url: str
    status: int
    content_type: str
    body: bytes | None
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass
class FetchStats:
    """What a :class:`Fetcher` did: requests sent (robots.txt included), full bodies, 304s, bytes, failed URLs."""

    requests: int = 0
    full: int = 0
    not_modified: int = 0
    bytes: int = 0
    failed: int = 0


@dataclass
class _Entry:
    """What a feed entry says about the article it links to: the fallback metadata and text."""

    index: int
    title: str | None
    authors: list[str]
    published: str | None
    outlet: str | None
    link: str | None
    text: str
    format: str


@dataclass
class _Robots:
    parser: RobotFileParser | None
    """``None`` when the whole site counts as disallowed (robots.txt unreachable or a server error)."""
    reason: str
    fetched: float
    delay: float = 0.0
    ttl: float = _ROBOTS_TTL
    error: Errors | None = None
    """Set when the host could not be reached at all (E020, E021): pages on it fail with that error."""


@dataclass
class _Kept:
    """The documents an unchanged URL (304) gave before: handed back, or left out with ``unchanged=False``."""

    documents: list[Document]


@dataclass
class _Outcome:
    """The documents and problems one URL gave, for the cache entry written after they were handed out."""

    documents: list[Document] = field(default_factory=list)
    problems: int = 0


class _CappedBody:
    """A response body decoded as it arrives (``Content-Encoding`` gzip, deflate or none), never more than ``cap``
    bytes: inflating stops at the cap, so a compression bomb costs nothing."""

    def __init__(self, coding: str, cap: int, display: str) -> None:
        self.coding = coding.strip().lower()
        self.cap = cap
        self.display = display
        self.out = bytearray()
        self._inflater: Any = None
        if self.coding in ("gzip", "x-gzip"):
            self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif self.coding not in ("", "identity", "deflate"):
            raise InputError(display, Errors.E020, reason=f"unsupported Content-Encoding {coding!r}")

    def _over(self) -> InputError:
        return InputError(self.display, Errors.E025, size=f"more than {self.cap} bytes", cap=self.cap)

    def feed(self, chunk: bytes) -> None:
        if not chunk:
            return
        if self.coding == "deflate" and self._inflater is None:
            # RFC 9110 deflate is zlib-wrapped; some servers send a raw deflate stream
            wrapped = len(chunk) >= 2 and chunk[0] & 0x0F == 8 and (chunk[0] * 256 + chunk[1]) % 31 == 0
            self._inflater = zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
        if self._inflater is None:
            self.out += chunk
        else:
            data = chunk
            try:
                while data:
                    self.out += self._inflater.decompress(data, self.cap + 1 - len(self.out))
                    if len(self.out) > self.cap:
                        raise self._over()
                    data = self._inflater.unconsumed_tail
            except zlib.error as exc:
                raise InputError(
                    self.display, Errors.E020, reason=f"corrupt {self.coding} content ({exc})"
                ) from None
        if len(self.out) > self.cap:
            raise self._over()

    def finish(self) -> bytes:
        if self._inflater is not None:
            try:
                self.out += self._inflater.flush()
            except zlib.error as exc:
                raise InputError(
                    self.display, Errors.E020, reason=f"corrupt {self.coding} content ({exc})"
                ) from None
            if len(self.out) > self.cap:
                raise self._over()
        return bytes(self.out)


class _Again(InputError):
    """An error already worded (the host's robots.txt request failed the same way): its reason as it was."""

    def __init__(self, display: str, error: Errors, reason: str) -> None:
        super().__init__(display, Errors.E012)
        self.problem = InputProblem(path=display, code=error.name, reason=reason)
        self.args = (str(self.problem),)


class _StatusError(InputError):
    """E022 with the HTTP status kept (robots.txt treats 4xx and 5xx differently)."""

    def __init__(self, display: str, status: int, phrase: str) -> None:
        super().__init__(display, Errors.E022, status=status, phrase=phrase)
        self.status = status


def _host(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def _mime(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def _sniff(body: bytes) -> str | None:
    head = body[:4096].lstrip().lower()
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:].lstrip()
    page = _HTML_START.search(head) is not None
    if _FEED_START.search(head) is not None and not page:
        return "feed"
    return "html" if page else None


def kind_of(content_type: str, body: bytes) -> str | None:
    """``html``, ``feed``, ``text`` or ``markdown`` for a response, or ``None`` for a type claimgraph cannot read."""
    mime = _mime(content_type)
    if mime in _HTML_TYPES:
        return "html"
    if mime in _FEED_TYPES:
        return "feed"
    if mime in _XML_TYPES or mime.endswith("+xml"):
        return _sniff(body)
    if mime in _TEXT_TYPES:
        return _TEXT_TYPES[mime]
    if mime in _SNIFF_TYPES:
        from .encoding import looks_binary

        return _sniff(body) or (None if looks_binary(body[:4096]) else "text")
    return None


def _site(url: str) -> str | None:
    """The host of ``url`` without ``www.``: the outlet when neither the page nor its feed names one."""
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.") or None


def _outlet(found: str | None, url: str) -> str | None:
    """The page's site name; without one (or only trafilatura's ``host:port`` fallback), the host."""
    netloc = urlsplit(url).netloc.lower()
    if not found or found.lower() in (netloc, netloc.removeprefix("www.")):
        return _site(url)
    return found


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Fetcher:
    """Fetch URLs and feeds politely and turn them into documents; see the module docstring.

    Use as a context manager (or call :meth:`close`)::

        with Fetcher(FetchOptions(contact="mailto:desk@example.org"), cache=store) as fetcher:
            for item in fetcher.documents("https://news.example/feed.xml", options, feed=True):
                ...

    One fetcher per thread. ``clock``/``sleep`` are injectable for tests; ``transport`` is an httpx transport.
    """

    def __init__(
        self,
        options: FetchOptions | None = None,
        *,
        cache: HttpCache | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        transport: Any = None,
    ) -> None:
        self.options = options or FetchOptions()
        self.cache: HttpCache = cache if cache is not None else MemoryHttpCache()
        self.stats = FetchStats()
        self._clock = clock
        self._sleep = sleep
        self._transport = transport
        self._client: httpx.Client | None = None
        self._robots: dict[str, _Robots] = {}
        self._next: dict[str, float] = {}

    # ------------------------------------------------------------------ lifecycle
    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def _http(self) -> httpx.Client:
        if self._client is None:
            import httpx

            timeout = httpx.Timeout(self.options.timeout)
            self._client = httpx.Client(
                # only the codings decoded here, with the size cap applied while inflating (gzip-bomb guard)
                headers={"User-Agent": self.options.agent, "Accept-Encoding": "gzip, deflate"},
                timeout=timeout,
                follow_redirects=False,
                transport=self._transport,
            )
        return self._client

    # ------------------------------------------------------------------ politeness
    def _interval(self, host: str) -> float:
        rate = self.options.rate_limit
        interval = 1.0 / rate if rate > 0 else 0.0
        robots = self._robots.get(host)
        return max(interval, robots.delay) if robots is not None else interval

    def _wait(self, host: str) -> None:
        """Sleep until ``host`` may be asked again, then book the next slot."""
        interval = self._interval(host)
        now = self._clock()
        ready = self._next.get(host, now)
        if ready > now:
            self._sleep(ready - now)
            now = self._clock()
        self._next[host] = max(now, ready) + interval

    def _robots_for(self, url: str) -> _Robots:
        host = _host(url)
        cached = self._robots.get(host)
        if cached is not None and self._clock() - cached.fetched < cached.ttl:
            return cached
        from urllib.robotparser import RobotFileParser

        robots_url = host + "/robots.txt"
        try:
            result = self._get(robots_url, {}, cap=_ROBOTS_MAX_BYTES, check_robots=False, display=url)
        except InputError as exc:
            if isinstance(exc, _StatusError) and 400 <= exc.status < 500:
                # RFC 9309: robots.txt "unavailable" (4xx) means no rules: everything may be fetched.
                allow_all = RobotFileParser(robots_url)
                allow_all.parse([])
                entry = _Robots(allow_all, "", self._clock())
            elif isinstance(exc, _StatusError):  # 5xx: "unreachable", the whole site counts as disallowed
                reason = (
                    f"robots.txt at {robots_url} could not be read ({exc.problem.reason}), "
                    "so the site counts as disallowed (RFC 9309)"
                )
                entry = _Robots(None, reason, self._clock(), ttl=_ROBOTS_RETRY)
            else:  # the host cannot be reached at all: say so, for every URL on it
                entry = _Robots(None, exc.problem.reason, self._clock(), ttl=_ROBOTS_RETRY)
                entry.error = Errors[exc.problem.code]
            self._robots[host] = entry
            return entry
        parser = RobotFileParser(robots_url)
        text = (result.body or b"").decode("utf-8", errors="replace")
        parser.parse(text.splitlines())
        delay = parser.crawl_delay(ROBOTS_AGENT)
        entry = _Robots(
            parser, f"robots.txt at {robots_url} disallows it for {ROBOTS_AGENT!r}", self._clock()
        )
        if delay:
            entry.delay = min(float(delay), _MAX_CRAWL_DELAY)
        self._robots[host] = entry
        return entry

    def _back_off(self, url: str, status: int, retry_after: str) -> None:
        """After a 429 or 503 with ``Retry-After: <seconds>``, ask that host nothing more until then (up to 10 min)."""
        if status in (429, 503) and retry_after.strip().isdigit():
            host = _host(url)
            wait = min(float(retry_after.strip()), _MAX_RETRY_AFTER)
            self._next[host] = max(self._next.get(host, 0.0), self._clock() + wait)

    def allowed(self, url: str, display: str | None = None) -> None:
        """Raise ``E023`` unless robots.txt of ``url``'s host lets claimgraph fetch it."""
        robots = self._robots_for(url)
        if robots.error is not None:
            raise _Again(display or url, robots.error, robots.reason)
        if robots.parser is None or not robots.parser.can_fetch(ROBOTS_AGENT, url):
            raise InputError(display or url, Errors.E023, reason=robots.reason)

    # ------------------------------------------------------------------ one request, with redirects
    def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> FetchResult:
        """GET ``url`` (conditionally when validators are given). Raises :class:`InputError` (E020-E026)."""
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self._get(url, headers, cap=self.options.max_bytes, check_robots=True, display=url)

    def _get(
        self, url: str, headers: dict[str, str], *, cap: int, check_robots: bool, display: str
    ) -> FetchResult:
        import httpx

        current = url
        for _hop in range(self.options.max_redirects + 1):
            scheme = urlsplit(current).scheme.lower()
            if scheme not in ("http", "https"):
                raise InputError(
                    display, Errors.E020, reason=f"unsupported URL scheme {scheme!r} in {current}"
                )
            if check_robots:
                self.allowed(current, display)
            client = self._http()  # built before the wait: building it takes a while the first time
            self._wait(_host(current))
            self.stats.requests += 1
            try:
                with client.stream("GET", current, headers=headers) as response:
                    # The server has had this request since before it answered: counting the interval
                    # from the answer keeps the spacing the server sees at least the interval.
                    host = _host(current)
                    self._next[host] = max(self._next.get(host, 0.0), self._clock() + self._interval(host))
                    if response.is_redirect and response.headers.get("Location"):
                        current = urljoin(current, response.headers["Location"])
                        continue
                    return self._finish(url, current, response, cap, display)
            except httpx.TimeoutException:
                raise InputError(display, Errors.E021, seconds=self.options.timeout) from None
            except httpx.InvalidURL as exc:
                raise InputError(display, Errors.E020, reason=f"invalid URL ({exc})") from None
            except (httpx.HTTPError, httpx.StreamError) as exc:
                raise InputError(display, Errors.E020, reason=_network_reason(exc)) from None
        raise InputError(display, Errors.E024, cap=self.options.max_redirects)

    def _finish(self, url: str, final: str, response: httpx.Response, cap: int, display: str) -> FetchResult:
        status = response.status_code
        content_type = response.headers.get("Content-Type", "")
        etag = response.headers.get("ETag")
        last_modified = response.headers.get("Last-Modified")
        if status == 304:
            self.stats.not_modified += 1
            return FetchResult(url, final, status, content_type, None, etag, last_modified)
        if status >= 300:
            self._back_off(final, status, response.headers.get("Retry-After", ""))
            raise _StatusError(display, status, response.reason_phrase or "")
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > cap:
            raise InputError(display, Errors.E025, size=f"{int(declared)} bytes", cap=cap)
        decoder = _CappedBody(response.headers.get("Content-Encoding", ""), cap, display)
        for chunk in response.iter_raw():
            decoder.feed(chunk)
        body = decoder.finish()
        self.stats.full += 1
        self.stats.bytes += len(body)
        return FetchResult(url, final, status, content_type, bytes(body), etag, last_modified)

    # ------------------------------------------------------------------ URLs -> documents
    def documents(
        self, url: str, options: Options | None = None, *, feed: bool = False, unchanged: bool = True
    ) -> Iterator[Document | InputProblem]:
        """Every document ``url`` gives (a page, or every entry of a feed), then problems as they occur.

        With ``feed`` the URL must be an RSS/Atom feed (E026 otherwise). Never raises for a bad URL. A URL
        (or a feed's linked article) the server says is unchanged (304) hands back the documents it gave
        before, from the cache; with ``unchanged=False`` it gives nothing (only what is new or changed).
        """
        options = options or Options()
        for item in self._resource(url, options, expect="feed" if feed else "any", entry=None):
            if isinstance(item, _Kept):
                if unchanged:
                    yield from item.documents
            else:
                yield item

    def _cached(self, url: str) -> tuple[dict[str, Any] | None, list[Document]]:
        """The cache entry of ``url`` and its documents, if all of them are still in the cache."""
        entry = self.cache.get_http_entry(url)
        if not entry or not (entry.get("etag") or entry.get("last_modified")):
            return entry, []
        ids = [str(i) for i in entry.get("documents") or []]
        documents = self.cache.documents_by_id(ids) if ids else []
        if not ids or len(documents) != len(ids):
            return entry, []
        return entry, documents

    def _resource(
        self, url: str, options: Options, *, expect: str, entry: _Entry | None
    ) -> Iterator[Document | InputProblem | _Kept]:
        entry_cache, cached = self._cached(url)
        try:
            if cached and entry_cache is not None:
                result = self.fetch(
                    url, etag=entry_cache.get("etag"), last_modified=entry_cache.get("last_modified")
                )
            else:
                result = self.fetch(url)
        except InputError as exc:
            self.stats.failed += 1
            yield exc.problem
            return
        if result.not_modified:
            if not cached:  # a 304 to an unconditional request: nothing to hand back
                self.stats.failed += 1
                yield InputError(
                    url, Errors.E022, status=304, phrase="Not Modified (nothing was cached)"
                ).problem
                return
            yield _Kept(cached)
            self.cache.put_http_entry(
                url, {**(entry_cache or {}), **_validators(result, keep=entry_cache)}, cached
            )
            return
        outcome = _Outcome()
        # a document this URL gave before (a server without validators, a feed entry's own text) is not new
        known = {str(i) for i in (entry_cache or {}).get("documents") or []}
        for item in self._read(result, options, expect=expect, entry=entry):
            if isinstance(item, InputProblem):
                outcome.problems += 1
            elif isinstance(item, _Kept):
                outcome.documents.extend(item.documents)
            else:
                outcome.documents.append(item)
                if item.id in known:
                    item = _Kept([item])
            yield item
        record: dict[str, Any] = {
            "url": url,
            "final_url": result.final_url,
            "content_type": result.content_type,
            "fetched": _now(),
            "documents": [doc.id for doc in outcome.documents],
        }
        if outcome.documents and not outcome.problems:  # only a complete read may be skipped next time
            record.update(_validators(result))
        self.cache.put_http_entry(url, record, outcome.documents)

    def _read(
        self, result: FetchResult, options: Options, *, expect: str, entry: _Entry | None
    ) -> Iterator[Document | InputProblem | _Kept]:
        body = result.body or b""
        url = result.url
        if not body.strip():
            yield InputError(url, Errors.E003).problem
            return
        kind = kind_of(result.content_type, body)
        if expect == "feed" and kind != "feed":
            yield InputError(url, Errors.E026, ctype=_mime(result.content_type) or "none", expected="an RSS or Atom feed").problem  # fmt: skip
            return
        # A feed entry that links to another feed is not followed.
        if kind is None or (kind == "feed" and entry is not None):
            expected = "an HTML page or plain text"
            if entry is None:
                expected = "an HTML page, an RSS/Atom feed or plain text"
            yield InputError(
                url, Errors.E026, ctype=_mime(result.content_type) or "none", expected=expected
            ).problem
            return
        try:
            if kind == "feed":
                yield from self._feed(result, body, options)
                return
            raw = _page(result, body, kind, options)
        except InputError as exc:
            yield exc.problem
            return
        if entry is not None:
            _fill_from_entry(raw, entry)
        raw.outlet = _outlet(raw.outlet, raw.url or result.final_url)
        yield finish(raw, options)

    def _feed(
        self, result: FetchResult, body: bytes, options: Options
    ) -> Iterator[Document | InputProblem | _Kept]:
        entries, problem = _feed_entries(result, body, options)
        if problem is not None:
            yield problem
        for item in entries:
            if item.link is None:
                yield from _entry_document(result.url, item, options)
                continue
            found = False
            for thing in self._resource(item.link, options, expect="article", entry=item):
                found = found or not isinstance(thing, InputProblem)
                yield thing
            if not found and item.text.strip():
                yield from _entry_document(result.url, item, options)


# ---------------------------------------------------------------------- helpers (no network)


def _validators(result: FetchResult, keep: dict[str, Any] | None = None) -> dict[str, Any]:
    """The validators to send next time: the response's own, else (for a 304 without them) the ones we sent."""
    keep = keep or {}
    return {
        "etag": result.etag or keep.get("etag"),
        "last_modified": result.last_modified or keep.get("last_modified"),
        "checked": _now(),
    }


def _network_reason(exc: Exception) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    cause = exc.__cause__ or exc.__context__
    if "Name or service not known" in text or "nodename nor servname" in text or "getaddrinfo" in text:
        return f"host name not found (DNS): {text}"
    if cause is not None and "Name or service not known" in str(cause):
        return f"host name not found (DNS): {cause}"
    return text


def _page(result: FetchResult, body: bytes, kind: str, options: Options) -> RawDocument:
    """An HTML page or a plain-text/Markdown response as a :class:`RawDocument` (path = the URL asked for)."""
    from .encoding import content_type_charset, declared_charset, decode
    from .text import clean_text

    url = result.url
    if kind == "html":
        from .html import extract_html, page_document

        text, encoding = decode(
            body, url, content_type_charset(result.content_type) or declared_charset(body)
        )
        page = extract_html(text, url, url=result.final_url, paragraph_jaccard=options.paragraph_jaccard)
        return page_document(page, url, encoding, url=result.final_url)
    text, encoding = decode(body, url, content_type_charset(result.content_type))
    cleaned = clean_text(text, markdown=kind == "markdown")
    return RawDocument(
        path=url,
        format=kind,
        paragraphs=cleaned.paragraphs,
        title=cleaned.title,
        authors=cleaned.authors,
        published=cleaned.published,
        outlet=cleaned.outlet,
        url=cleaned.url if is_url(cleaned.url) else result.final_url,
        removed_lines=cleaned.removed,
        encoding=encoding,
    )


def _fill_from_entry(raw: RawDocument, entry: _Entry) -> None:
    """What the page does not say, its feed entry may: title, authors, date, outlet."""
    raw.title = raw.title or entry.title
    raw.authors = raw.authors or list(entry.authors)
    raw.published = raw.published or entry.published
    raw.outlet = raw.outlet or entry.outlet


def _feed_entries(
    result: FetchResult, body: bytes, options: Options
) -> tuple[list[_Entry], InputProblem | None]:
    """The entries of a feed response; links made absolute against the feed's URL. Raises E007 when there are none."""
    import feedparser

    from .bylines import parse_byline, split_authors
    from .feeds import _authors, _content, _date
    from .html import fragment_to_text

    mime = _mime(result.content_type)
    headers = {
        "content-location": result.final_url,  # relative links are resolved against it
        # what the server said when it is an XML type; a sniffed feed (octet-stream, none) is XML
        "content-type": result.content_type if mime in _FEED_TYPES | _XML_TYPES else "application/xml",
    }
    parsed = feedparser.parse(io.BytesIO(body), response_headers=headers)
    raw_entries = list(parsed.get("entries", []))
    problem: InputProblem | None = None
    if parsed.get("bozo"):
        exc = parsed.get("bozo_exception")
        name = type(exc).__name__
        if "Encoding" not in name:
            problem = InputError(result.url, Errors.E007, reason=f"{name}: {exc}".strip()).problem
    if not raw_entries:
        raise InputError(result.url, Errors.E007, reason="no RSS items or Atom entries found")
    fmt = "atom" if str(parsed.get("version", "")).startswith("atom") else "rss"
    feed_info = parsed.get("feed", {})
    outlet = str(feed_info.get("title") or "") or _site(str(feed_info.get("link") or result.final_url))
    entries: list[_Entry] = []
    for index, item in enumerate(raw_entries, start=1):
        authors: list[str] = []
        for name in _authors(item):
            authors.extend(parse_byline(name) or split_authors(name) or [name])
        link = item.get("link")
        absolute = urljoin(result.final_url, str(link)) if link else None
        entries.append(
            _Entry(
                index=index,
                title=str(item.get("title")) if item.get("title") else None,
                authors=authors,
                published=_date(item),
                outlet=outlet,
                link=_strip_fragment(absolute) if is_url(absolute) else None,
                text=fragment_to_text(_content(item)),
                format=fmt,
            )
        )
    return entries, problem


def _strip_fragment(url: str | None) -> str | None:
    if url is None:
        return None
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))


def _entry_document(feed_url: str, entry: _Entry, options: Options) -> Iterator[Document | InputProblem]:
    """A feed entry's own text as a document (no link, or the link could not be fetched)."""
    from .text import clean_text

    where = entry.link or f"{feed_url}#{entry.index}"
    cleaned = clean_text(entry.text, title=entry.title)
    if not cleaned.paragraphs:
        yield InputError(where, Errors.E012).problem
        return
    raw = RawDocument(
        path=where,
        format=entry.format,
        paragraphs=cleaned.paragraphs,
        title=entry.title or cleaned.title,
        authors=entry.authors or cleaned.authors,
        published=entry.published or cleaned.published,
        outlet=entry.outlet or cleaned.outlet,
        url=entry.link or cleaned.url,
        removed_lines=cleaned.removed,
    )
    yield finish(raw, options)


def iter_urls(
    urls: Sequence[str],
    feeds: Sequence[str],
    options: Options,
    *,
    cache: HttpCache | None = None,
    fetcher: Fetcher | None = None,
) -> Iterator[Document | InputProblem]:
    """Documents from page/feed ``urls`` and ``feeds`` (must be feeds), each URL once, in order given."""
    own = fetcher is None
    active = fetcher or Fetcher(FetchOptions.from_options(options), cache=cache)
    seen: set[str] = set()
    try:
        for url, feed in [*((u, False) for u in urls), *((f, True) for f in feeds)]:
            if url in seen:
                continue
            seen.add(url)
            yield from active.documents(url, options, feed=feed)
    finally:
        if own:
            active.close()
