"""Rebuild ``src/claimgraph/reference/data/outlets.tsv`` (news outlets and agencies with their web hosts).

Sources:
- news outlets: ``newspaper/resources/misc/popular_sources.txt`` of the ``newspaper3k`` package (PyPI,
  version 0.2.8, MIT licence, https://github.com/codelucas/newspaper): the hosts of popular news sites.
  That list carries no names, so an outlet known only by its host is named by its host. (An earlier
  table took names from a GPL-3.0 package; it was replaced so the shipped data stays under a permissive
  licence compatible with claimgraph's Apache-2.0.)
- news agencies: ``AGENCIES`` below, each agency's name as it writes it, the short name it signs wire
  copy with, and the host of its own website.

Usage: ``pip download --no-deps newspaper3k==0.2.8`` then
``python benchmarks/build_outlets.py newspaper3k-*.whl > src/claimgraph/reference/data/outlets.tsv``.

``--news-hosts WHEEL`` instead writes ``src/claimgraph/reference/data/news_hosts.txt``, the larger list of
news-site hosts used only to recognise a host (``by_host``): ``newspaper/resources/misc/google_sources.txt``
of the ``newspaper4k`` package (PyPI, version 0.9.6, MIT licence, by Andrei Paraschiv, a fork of newspaper3k),
the hosts of the sources Google News listed, de-duplicated, lower-cased, without ``www.``, without the
hosts ``outlets.tsv`` already has and without ``google.com`` (the search engine itself, not an outlet).
Usage: ``pip download --no-deps newspaper4k==0.9.6`` then
``python benchmarks/build_outlets.py --news-hosts newspaper4k-*.whl > src/claimgraph/reference/data/news_hosts.txt``.
"""

from __future__ import annotations

import sys
import zipfile
from urllib.parse import urlsplit

# name, aliases (short names used in datelines and credits, "|"-separated), host, country
AGENCIES = [
    ("Associated Press", "AP|The Associated Press", "apnews.com", "US"),
    ("Reuters", "Thomson Reuters", "reuters.com", "GB"),
    ("Agence France-Presse", "AFP", "afp.com", "FR"),
    ("Deutsche Presse-Agentur", "dpa", "dpa.com", "DE"),
    ("Agenzia Nazionale Stampa Associata", "ANSA", "ansa.it", "IT"),
    ("Agencia EFE", "EFE", "efe.com", "ES"),
    ("Kyodo News", "Kyodo", "kyodonews.net", "JP"),
    ("Xinhua News Agency", "Xinhua", "xinhuanet.com", "CN"),
    ("TASS", "ITAR-TASS", "tass.com", "RU"),
    ("Press Trust of India", "PTI", "ptinews.com", "IN"),
    ("Anadolu Agency", "Anadolu|AA", "aa.com.tr", "TR"),
    ("Yonhap News Agency", "Yonhap", "yna.co.kr", "KR"),
    ("Australian Associated Press", "AAP", "aap.com.au", "AU"),
    ("The Canadian Press", "Canadian Press|CP", "thecanadianpress.com", "CA"),
    ("PA Media", "Press Association|PA", "pamediagroup.com", "GB"),
    ("United Press International", "UPI", "upi.com", "US"),
    ("Bloomberg News", "Bloomberg", "bloomberg.com", "US"),
    ("Agence Belga", "Belga", "belga.be", "BE"),
    ("Austria Presse Agentur", "APA", "apa.at", "AT"),
    ("Algemeen Nederlands Persbureau", "ANP", "anp.nl", "NL"),
    ("Polish Press Agency", "PAP", "pap.pl", "PL"),
    ("Ukrinform", "", "ukrinform.net", "UA"),
    ("Interfax", "", "interfax.com", "RU"),
    ("RIA Novosti", "RIA", "ria.ru", "RU"),
    ("Agência Brasil", "", "agenciabrasil.ebc.com.br", "BR"),
    ("Notimex", "", "notimex.gob.mx", "MX"),
    ("Kenya News Agency", "KNA", "kenyanews.go.ke", "KE"),
    ("News Agency of Nigeria", "NAN", "nannews.ng", "NG"),
    ("Jiji Press", "Jiji", "jiji.com", "JP"),
    ("Antara", "", "antaranews.com", "ID"),
]


def host_of(url: str) -> str:
    host = (urlsplit(url.strip()).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


NOT_OUTLETS = frozenset({"google.com"})


def news_hosts(wheel: str) -> None:
    """Write the newspaper4k host list (see the module docstring) to stdout."""
    from pathlib import Path

    with zipfile.ZipFile(wheel) as archive:
        raw = archive.read("newspaper/resources/misc/google_sources.txt").decode("utf-8").split()
    table = (
        Path(__file__).resolve().parent.parent / "src" / "claimgraph" / "reference" / "data" / "outlets.tsv"
    )
    known = {
        line.split("\t")[2]
        for line in table.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#") and line.count("\t") >= 2
    }
    hosts = sorted({h for h in (host_of("//" + r) for r in raw) if "." in h} - known - NOT_OUTLETS)
    out = sys.stdout
    out.write("# Hosts of news sites, one per line, for recognising a document's outlet by its URL's host.\n")
    out.write("# From newspaper/resources/misc/google_sources.txt of the PyPI package newspaper4k 0.9.6\n")
    out.write("# (MIT licence, by Andrei Paraschiv): the sources Google News listed.\n")
    out.write(
        "# No names: an outlet known only from here is named by its host. Hosts in outlets.tsv are left out.\n"
    )
    out.write(
        "# Rebuild: python benchmarks/build_outlets.py --news-hosts newspaper4k-0.9.6-py3-none-any.whl\n"
    )
    for host in hosts:
        out.write(host + "\n")


def main() -> None:
    if sys.argv[1] == "--news-hosts":
        news_hosts(sys.argv[2])
        return
    wheel = sys.argv[1]
    with zipfile.ZipFile(wheel) as archive:
        hosts = archive.read("newspaper/resources/misc/popular_sources.txt").decode("utf-8").split()
    rows: dict[str, tuple[str, str, str, str, str]] = {}
    for name, aliases, host, country in AGENCIES:
        rows[host] = (name, aliases, host, country, "agency")
    for raw in hosts:
        host = host_of("//" + raw)
        if host and host not in rows:
            rows[host] = (host, "", host, "", "outlet")
    out = sys.stdout
    out.write("# News outlets and agencies with the host of their website, for naming a document's outlet.\n")
    out.write(
        "# Outlets: hosts from newspaper/resources/misc/popular_sources.txt (PyPI package newspaper3k 0.2.8,\n"
    )
    out.write(
        "# MIT licence, https://github.com/codelucas/newspaper); named by their host (the list has no names).\n"
    )
    out.write("# Agencies: compiled from each agency's own website (name, signing short names, host).\n")
    out.write("# Rebuild: python benchmarks/build_outlets.py newspaper3k-*.whl\n")
    out.write("name\taliases\thost\tcountry\tkind\n")
    for row in sorted(rows.values(), key=lambda r: (r[4] != "agency", r[0].casefold(), r[2])):
        out.write("\t".join(row) + "\n")


if __name__ == "__main__":
    main()
