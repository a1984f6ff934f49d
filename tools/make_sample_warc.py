#!/usr/bin/env python3
"""Build the sample corpus's WARC file, byte for byte reproducibly.

The WARC holds one syndicated copy: *Coastline Daily* republishing *The Meridian Post*'s article
(``meridian_post.html``) under its own page template, URL and date. The article body is taken
verbatim from ``meridian_post.html`` so the copy cannot drift from the original. A second response
(``robots.txt``, ``text/plain``) is not an article and must be skipped by ingest.

Every WARC header that would otherwise vary (``WARC-Date``, ``WARC-Record-ID``) is fixed, and
warcio's per-record gzip members carry no timestamp, so running this twice gives identical bytes::

    python tools/make_sample_warc.py                 # rewrites src/claimgraph/data/sample/coastline_daily.warc.gz
    python tools/make_sample_warc.py --out /tmp/x    # writes /tmp/x/coastline_daily.warc.gz
"""

from __future__ import annotations

import argparse
import re
import sys
from io import BytesIO
from pathlib import Path

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "src" / "claimgraph" / "data" / "sample"
SOURCE_NAME = "meridian_post.html"
WARC_NAME = "coastline_daily.warc.gz"

ARTICLE_URI = "https://www.coastlinedaily.example.net/world/2025/11/11/veloria-former-fighters-coast"
ROBOTS_URI = "https://www.coastlinedaily.example.net/robots.txt"
WARC_DATE = "2025-11-11T10:15:00Z"
HTTP_DATE = "Tue, 11 Nov 2025 10:15:00 GMT"
RECORD_IDS = {
    "warcinfo": "<urn:uuid:6f1c2a0e-3b4d-4e5f-8a9b-0c1d2e3f4a50>",
    "article": "<urn:uuid:6f1c2a0e-3b4d-4e5f-8a9b-0c1d2e3f4a51>",
    "robots": "<urn:uuid:6f1c2a0e-3b4d-4e5f-8a9b-0c1d2e3f4a52>",
}

_BODY_RE = re.compile(r'<div class="article-body">\n(?P<body>.*?)\n  </div>', re.DOTALL)

PAGE_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Veloria is using former fighters to police its coast - Coastline Daily</title>
<meta name="author" content="Clara Wende">
<meta property="og:type" content="article">
<meta property="og:site_name" content="Coastline Daily">
<meta property="og:title" content="Veloria is using former fighters to police its coast">
<meta property="og:url" content="{uri}">
<meta property="article:published_time" content="2025-11-11T08:00:00+00:00">
<link rel="canonical" href="{uri}">
</head>
<body>
<header class="site-header">
  <a class="site-name" href="/">Coastline Daily</a>
  <nav><a href="/">Home</a> <a href="/world">World</a> <a href="/local">Local</a> <a href="/weather">Weather</a> <a href="/contact">Contact</a></nav>
</header>
<main>
<article class="post">
  <h1 class="post-title">Veloria is using former fighters to police its coast</h1>
  <p class="post-byline">By Clara Wende and Tomas Adler, The Meridian Post</p>
  <p class="post-date">11 November 2025</p>
  <div class="share"><a href="https://social.example/share?u=cd-veloria">Share</a> <a href="https://social.example/intent?u=cd-veloria">Post</a></div>
  <div class="article-body">
{body}
  </div>
  <p class="syndication-note">This article first appeared in The Meridian Post and is republished under a content-sharing agreement.</p>
</article>
</main>
<footer><p>© 2025 Coastline Daily. All rights reserved.</p></footer>
</body>
</html>
"""

ROBOTS_TXT = "User-agent: *\nDisallow: /admin/\n"


def article_body(source_html: str) -> str:
    """The verbatim ``<div class="article-body">`` content of the original article."""
    match = _BODY_RE.search(source_html)
    if match is None:
        raise ValueError(f'{SOURCE_NAME}: no <div class="article-body"> block found')
    return match.group("body")


def syndicated_page(source_html: str) -> bytes:
    """The Coastline Daily page: the original article body under Coastline Daily's template."""
    return PAGE_TEMPLATE.format(uri=ARTICLE_URI, body=article_body(source_html)).encode("utf-8")


def write_warc(out_dir: Path, sample_dir: Path = SAMPLE_DIR) -> Path:
    """Write ``WARC_NAME`` into ``out_dir`` and return its path."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    page = syndicated_page((sample_dir / SOURCE_NAME).read_text(encoding="utf-8"))
    robots = ROBOTS_TXT.encode("ascii")
    buffer = BytesIO()
    writer = WARCWriter(buffer, gzip=True, warc_version="1.0")

    info = b"software: claimgraph tools/make_sample_warc.py\r\nformat: WARC File Format 1.0\r\n"
    info_headers = StatusAndHeaders(
        "",
        [
            ("WARC-Type", "warcinfo"),
            ("WARC-Record-ID", RECORD_IDS["warcinfo"]),
            ("WARC-Filename", WARC_NAME),
            ("WARC-Date", WARC_DATE),
        ],
        protocol="WARC/1.0",
    )
    writer.write_record(
        writer.create_warc_record(
            "",
            "warcinfo",
            payload=BytesIO(info),
            length=len(info),
            warc_content_type="application/warc-fields",
            warc_headers=info_headers,
        )
    )

    for key, uri, content_type, payload in (
        ("article", ARTICLE_URI, "text/html; charset=utf-8", page),
        ("robots", ROBOTS_URI, "text/plain", robots),
    ):
        http_headers = StatusAndHeaders(
            "200 OK",
            [
                ("Date", HTTP_DATE),
                ("Content-Type", content_type),
                ("Content-Length", str(len(payload))),
            ],
            protocol="HTTP/1.1",
        )
        record = writer.create_warc_record(
            uri,
            "response",
            payload=BytesIO(payload),
            length=len(payload),
            http_headers=http_headers,
            warc_headers_dict={"WARC-Record-ID": RECORD_IDS[key], "WARC-Date": WARC_DATE},
        )
        writer.write_record(record)

    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / WARC_NAME
    target.write_bytes(buffer.getvalue())
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--out", type=Path, default=SAMPLE_DIR, help="output folder (default: the sample corpus)"
    )
    parser.add_argument(
        "--sample-dir",
        type=Path,
        default=SAMPLE_DIR,
        help=f"folder holding {SOURCE_NAME} (default: the sample corpus)",
    )
    args = parser.parse_args(argv)
    target = write_warc(args.out, args.sample_dir)
    print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
