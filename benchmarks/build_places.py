"""Build ``src/claimgraph/reference/data/countries.tsv`` from two PyPI packages (run once, offline after
installing them; claimgraph reads only the written file and needs neither package at run time).

- ``pycountry`` (ISO 3166-1 from Debian's iso-codes, LGPL-2.1): code, English short name, official name,
  common name;
- ``countryinfo`` (MIT; data after the REST Countries project): capital, demonym, alternative spellings.

    pip install pycountry==26.2.16 countryinfo==1.0.1
    python benchmarks/build_places.py

A few countries the tables do not hold (Kosovo) or whose everyday demonym they leave out (``Saudi``) are
added from ``SUPPLEMENT`` below, compiled from Wikipedia's "List of adjectival and demonymic forms for
countries and nations" (CC BY-SA 4.0).
"""

from __future__ import annotations

import json
import re
import unicodedata
from importlib import resources
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src" / "claimgraph" / "reference" / "data" / "countries.tsv"

#: code -> (extra names, extra demonyms); code ``XK`` is the user-assigned code in common use for Kosovo.
SUPPLEMENT: dict[str, tuple[list[str], list[str], str]] = {
    "XK": (["Kosovo", "Republic of Kosovo"], ["Kosovar", "Kosovan"], "Pristina"),
    "SA": ([], ["Saudi"], ""),
    "GB": (["Britain", "Great Britain", "U.K."], ["Briton"], ""),
    "US": (["America", "United States of America", "USA", "U.S.", "U.S.A."], [], "Washington"),
    "CD": (["DR Congo", "DRC", "Congo-Kinshasa"], ["Congolese"], ""),
    "CG": (["Congo-Brazzaville"], ["Congolese"], ""),
    "NL": (["Holland"], ["Netherlander"], ""),
    "CZ": (["Czechia"], ["Czech"], ""),
    "MM": (["Burma"], ["Burmese"], "Naypyidaw"),
    "TR": (["Türkiye", "Turkiye"], ["Turk"], ""),
    "PH": ([], ["Philippine"], ""),
    "NZ": ([], ["New Zealander"], ""),
    "AF": ([], ["Afghani"], ""),
    "BA": (["Bosnia"], ["Bosnian"], ""),
    "KP": (["DPRK"], [], ""),
    "PS": (["Palestinian territories"], [], ""),
    "VA": (["Vatican", "Holy See"], [], "Vatican City"),
}


def _latin(name: str) -> bool:
    """Written in Latin letters (``Côte d'Ivoire`` yes, ``Российская Федерация`` no)."""
    return name[:1].isupper() and all(
        not c.isalpha() or unicodedata.name(c, "").startswith("LATIN") for c in name
    )


def _countryinfo() -> dict[str, dict[str, object]]:
    out: dict[str, dict[str, object]] = {}
    data = resources.files("countryinfo").joinpath("data")
    for path in sorted(data.iterdir(), key=lambda p: p.name):
        if not path.name.endswith(".json"):
            continue
        row = json.loads(path.read_text(encoding="utf-8"))
        code = (row.get("ISO") or {}).get("alpha2")
        if code and code not in out:
            out[code] = row
    return out


def _plural(demonym: str) -> list[str]:
    """``Iraqi`` -> ``Iraqis``, ``German`` -> ``Germans``; ``French``, ``Chinese``, ``Swiss`` have none."""
    if re.search(r"(?:sh|ch|ese|ss)$", demonym) or demonym.endswith("s"):
        return []
    return [demonym + "s"]


Row = tuple[str, str, list[str], list[str], str]


def _shared_demonyms(rows: list[Row], population: dict[str, int]) -> list[Row]:
    """A demonym shared by several rows (``French``: France, French Guiana, French Polynesia) stays only
    with the most populous when it has ten times the population of the next; otherwise with all (then
    ambiguous for the lookup)."""
    users: dict[str, list[str]] = {}
    for code, _name, _names, demonyms, _capital in rows:
        for d in demonyms:
            users.setdefault(d, []).append(code)
    keep: dict[str, set[str]] = {}
    for d, codes in users.items():
        ranked = sorted(codes, key=lambda c: -population.get(c, 0))
        if len(ranked) > 1 and population.get(ranked[0], 0) >= 10 * max(population.get(ranked[1], 0), 1):
            keep[d] = {ranked[0]}
        else:
            keep[d] = set(codes)
    return [(c, n, ns, [d for d in ds if c in keep[d]], cap) for c, n, ns, ds, cap in rows]


def main() -> None:
    import pycountry

    info = _countryinfo()
    rows: list[Row] = []
    for c in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        code = c.alpha_2
        ci = info.get(code, {})
        short = str(ci.get("name") or getattr(c, "common_name", None) or c.name)
        names = [c.name, getattr(c, "official_name", ""), getattr(c, "common_name", "")]
        names += [str(a) for a in ci.get("altSpellings", []) or []]  # type: ignore[attr-defined]
        own = {code, c.alpha_3}
        names = [n for n in names if n and _latin(n) and n != short and n not in own]
        names = [n for n in names if "," not in n]  # "Korea, Republic of": an index form, never written so
        demonyms = [str(ci["demonym"])] if ci.get("demonym") else []
        # a capital of a small territory is often a common surname too (Hamilton, Bermuda): kept only for
        # countries of a million people or more
        capital = str(ci.get("capital") or "") if int(str(ci.get("population") or 0)) >= 1_000_000 else ""
        extra = SUPPLEMENT.get(code)
        if extra:
            names += extra[0]
            demonyms += extra[1]
            capital = extra[2] or capital
        rows.append((code, short, names, demonyms, capital))
    for code, (names, demonyms, capital) in SUPPLEMENT.items():
        if not any(r[0] == code for r in rows):
            rows.append((code, names[0], names[1:], demonyms, capital))
    rows = _shared_demonyms(
        rows, {code: int(str(info.get(code, {}).get("population") or 0)) for code, *_ in rows}
    )
    rows.sort()
    lines = [
        "# Countries: ISO 3166-1 code, English name, other names, demonyms (adjective and plural noun), capital",
        "# (only for countries of a million people or more; a demonym shared by several rows stays with the most",
        "# populous when it has ten times the population of the next).",
        "# Codes, names, official and common names: pycountry 26.2.16 (PyPI; ISO 3166-1 data of Debian iso-codes,",
        "# LGPL-2.1). Short name, capital, demonym, alternative spellings: countryinfo 1.0.1 (PyPI, MIT licence).",
        "# Supplement (Kosovo, everyday demonyms such as Saudi): Wikipedia, 'List of adjectival and demonymic",
        "# forms for countries and nations' (CC BY-SA 4.0), compiled 2026-12-01.",
        "# Rebuild: pip install pycountry==26.2.16 countryinfo==1.0.1 && python benchmarks/build_places.py",
        "code\tname\tnames\tdemonyms\tcapital",
    ]
    for code, short, names, demonyms, capital in rows:
        seen: list[str] = []
        for n in names:
            if n not in seen and n != short:
                seen.append(n)
        dems: list[str] = []
        for d in demonyms:
            for form in (d, *_plural(d)):
                if form not in dems:
                    dems.append(form)
        capital = capital.replace("Washington D.C.", "Washington, D.C.")
        lines.append("\t".join([code, short, "|".join(seen), "|".join(dems), capital]))
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(rows)} countries to {OUT}")


if __name__ == "__main__":
    main()
