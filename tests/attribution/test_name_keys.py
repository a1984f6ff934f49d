"""The name keys' ASCII fast path and the shared id encoder give the texts of the code they replaced."""

from __future__ import annotations

import json
import random
import re
import unicodedata

from claimgraph.attribution.resolution import normalize
from claimgraph.model import stable_id
from claimgraph.reference.places import key

_ALPHABET = "aZ Ab'’‘`.-‐‑–—_/,sS tThHé ü\u0301ŁİßΣ\u00a0\tı0"


def _old_normalize(name: str) -> str:
    if re.fullmatch(r"[A-Z][a-z]\.", name):  # an abbreviation keeps its dot ("La." is not "L.A."; 2026-12-05)
        return name.casefold()
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.casefold().replace("’", "'").replace("‘", "'").replace("`", "'")
    s = re.sub(r"'s$", "", s)
    s = s.replace("'", "").replace(".", "")
    s = re.sub(r"[\-‐‑–—_/]+", " ", s)
    s = re.sub(r"\s+", " ", s).strip()
    if s.startswith("the "):
        s = s[4:]
    return s


def _old_key(name: str) -> str:
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold()
    s = re.sub(r"['’‘`.]", "", s)
    s = " ".join(re.sub(r"[\-‐‑–—_/,]+", " ", s).split())
    return s[4:] if s.startswith("the ") else s


def _names() -> list[str]:
    rng = random.Random(7)
    out = ["The Hague", "the U.S.", "O’Brien's", "Al-Nusra Front", "Côte d'Ivoire", "THE  NEW-YORK_TIMES", ""]
    out += ["La.", "L.A.", "LA", "Md.", "Calif.", "Calif", "Co.", "Mr."]
    for _ in range(20000):
        out.append("".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 14))))
        out.append("".join(chr(rng.randint(32, 126)) for _ in range(rng.randint(0, 14))))  # ASCII only
    return out


def test_normalize_is_the_old_function_on_ascii_and_other_names() -> None:
    names = _names()
    assert sum(n.isascii() for n in names) > 20000 and sum(not n.isascii() for n in names) > 5000
    for name in names:
        assert normalize(name) == _old_normalize(name), name


def test_place_key_is_the_old_function_on_ascii_and_other_names() -> None:
    for name in _names():
        assert key(name) == _old_key(name), name


def test_stable_id_hashes_the_json_dumps_text() -> None:
    class Odd:
        def __str__(self) -> str:
            return "odd"

    import hashlib

    for keys in [("a", 1, None), ("é", {"b": 1, "a": [2.5, True]}), (Odd(), "x"), ()]:
        payload = json.dumps(keys, sort_keys=True, ensure_ascii=False, default=str)
        expected = "p-" + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]
        assert stable_id("p", *keys) == expected


def test_forms_digest_is_the_digest_of_the_tables_json() -> None:
    """The own-table digest is the SHA-256 of the JSON of the sorted ``[[words...], id]`` rows, written by
    orjson, or by ``json`` where orjson refuses a string (a lone surrogate): equal digests for equal tables,
    distinct ones for distinct tables (on random tables, surrogates among the words)."""
    import hashlib

    import orjson

    from claimgraph.attribution.scanmemo import _forms_digest

    def as_rows(table: dict[tuple[str, ...], str] | None) -> str:
        rows = sorted([list(k), v] for k, v in (table or {}).items())
        try:
            text = orjson.dumps(rows)
        except orjson.JSONEncodeError:
            text = json.dumps(rows, ensure_ascii=False).encode("utf-8", "surrogatepass")
        return hashlib.sha256(text).hexdigest()[:32]

    rng = random.Random(3)
    words = ["a", "ab", "b", "é", "z", "a b", "", "\ud800x", "the"]
    assert _forms_digest(None) == as_rows(None) == _forms_digest({})
    seen: dict[str, dict[tuple[str, ...], str]] = {}
    for _ in range(3000):
        table = {
            tuple(rng.choice(words) for _ in range(rng.randint(1, 3))): rng.choice(["e1", "e2", "ent-\x00"])
            for _ in range(rng.randint(0, 6))
        }
        digest = _forms_digest(table)
        assert digest == as_rows(table), table
        assert seen.setdefault(digest, table) == table


def test_a_one_mention_cluster_gets_the_name_and_type_of_the_general_rule() -> None:
    """``_canonical``'s shortcut for a cluster of one mention (no byline, no outlet) gives the name and type
    the general rule gives the same mention counted twice (the same candidates and votes, doubled)."""
    from claimgraph.attribution.resolution import MentionRecord, _canonical, _Cluster, _node

    rng = random.Random(5)
    names = [
        "O’Brien",
        "Sean O’Brien",
        "NATO",
        "U.N.",
        "Hamas Movement",
        "the Interior Ministry",
        "Kenya",
        "x",
    ]
    kinds = ["person", "organization", "group", "location", "other"]
    for _ in range(400):
        name, kind = rng.choice(names), rng.choice(kinds)
        m = MentionRecord("d1", "text", 0, len(name), name, name, kind, "ORG")  # type: ignore[arg-type]
        root = _node(m)
        one = _canonical(root, _Cluster([m], [], []))
        twice = _canonical(root, _Cluster([m, m], [], []))
        assert one[:2] == twice[:2]
        assert dict(one[2]) == {name: 1}


def test_outlet_spans_are_those_of_the_look_behind_pattern() -> None:
    """The outlets' pattern without its leading look-behind, the condition tested on each match, finds
    the spans of the pattern with it (overlapping forms, hyphens, underscores, accents, line breaks)."""
    from claimgraph.attribution.gazetteer import outlet_pattern, outlet_spans

    rng = random.Random(11)
    found = 0
    for _ in range(20000):
        forms = {"".join(rng.choice("abAB é-") for _ in range(rng.randint(1, 4))) for _ in range(4)} - {""}
        text = "".join(rng.choice("ab AB-_é.\n'’1") for _ in range(rng.randint(0, 40)))
        alternation = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
        old = re.compile(r"(?<![\w\-])(?:" + alternation + r")(?![\w\-])")
        spans = [m.span() for m in old.finditer(text)]
        assert list(outlet_spans(outlet_pattern(forms), text)) == spans, (forms, text)
        found += len(spans)
    assert found > 1000
