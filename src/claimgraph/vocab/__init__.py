"""One vocabulary for every stage: cue, hedge, refusal, denial and dispute words as spaCy pattern data.

Each file ``data/<name>.jsonl`` holds one entry per line::

    {"label": "DENY", "pattern": [{"LEMMA": "deny"}], "source": "general English reporting verbs"}

``pattern`` is a spaCy ``Matcher`` token pattern (lemma-based, so one entry covers every inflection); a
``"phrase"`` string may be given instead for a fixed multi-word expression, matched on lower-cased text.
``label`` names what the entry signals. Attribution and claims load the same files through :func:`load`,
:func:`lemmas` and :func:`matcher`, so a word is added in one place. The files are versioned data: a change of
meaning gets a new ``label`` rather than a silent edit.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any

__all__ = [
    "NAMES",
    "OTHER_NAMES",
    "dependency_matcher",
    "dependency_patterns",
    "forms",
    "inflections",
    "lemmas",
    "load",
    "matcher",
    "phrases",
    "regex",
    "shown_role",
    "spacy_stop_words",
    "token_forms",
    "words",
]

#: The vocabularies shipped with claimgraph (file stems under ``data/``).
NAMES: tuple[str, ...] = ("cue", "denial", "dispute", "refusal", "reference")
#: Word lists that are not reporting, denial or refusal words (hedges, titles) or that open with an
#: auxiliary (``would not say``): kept out of :data:`NAMES`, which callers scan for reporting-verb forms.
OTHER_NAMES: tuple[str, ...] = ("hedge", "nonanswer", "title", "verdict")
#: Files of spaCy ``DependencyMatcher`` patterns (:func:`dependency_patterns`), kept apart from the token lists.
DEPENDENCY_NAMES: tuple[str, ...] = ("verdict_dependency",)


@cache
def spacy_stop_words(lang: str = "en") -> frozenset[str]:
    """spaCy's stop words of language ``lang``, as written in ``spacy/lang/<lang>/stop_words.py``.

    The file is loaded on its own: importing ``spacy.lang.<lang>.stop_words`` first imports the ``spacy``
    package (thinc, and torch when it is installed: seconds of CPU in a process that only cleans text) and
    runs the language package's ``__init__`` (French's compiles a tokenizer-exception regex)."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("spacy")  # a top-level package: found, not imported
    if spec is None or spec.origin is None:  # pragma: no cover - spaCy is a dependency
        raise ModuleNotFoundError("spacy")
    path = Path(spec.origin).parent / "lang" / lang / "stop_words.py"
    module_spec = importlib.util.spec_from_file_location(f"_claimgraph_stop_words_{lang}", path)
    if module_spec is None or module_spec.loader is None:  # pragma: no cover - a missing language
        raise ModuleNotFoundError(str(path))
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return frozenset(module.STOP_WORDS)


@cache
def load(name: str) -> tuple[dict[str, Any], ...]:
    """The entries of vocabulary ``name`` (``data/<name>.jsonl``), in file order."""
    path = resources.files(__package__).joinpath("data", f"{name}.jsonl")
    entries: list[dict[str, Any]] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("//"):
            continue
        entry = json.loads(line)
        if "label" not in entry or ("pattern" not in entry and "phrase" not in entry):
            raise ValueError(f"vocab {name}.jsonl line {number}: needs 'label' and 'pattern' or 'phrase'")
        entries.append(entry)
    return tuple(entries)


@cache
def lemmas(name: str, label: str | None = None) -> frozenset[str]:
    """Lemmas of the single-token entries of ``name`` (optionally of one ``label``)."""
    out: set[str] = set()
    for entry in load(name):
        if label is not None and entry["label"] != label:
            continue
        pattern = entry.get("pattern")
        if pattern and len(pattern) == 1:
            lemma = pattern[0].get("LEMMA")
            if isinstance(lemma, str):
                out.add(lemma.lower())
            elif isinstance(lemma, dict):
                out.update(str(x).lower() for x in lemma.get("IN", ()))
    return frozenset(out)


def _inflections(lemma: str) -> set[str]:
    """Regular English verb and noun forms of ``lemma`` (a superset: used only to pre-filter text cheaply)."""
    out = {lemma, lemma + "s", lemma + "es", lemma + "ed", lemma + "ing", lemma + "d"}
    if lemma.endswith("y") and len(lemma) > 2 and lemma[-2] not in "aeiou":
        out |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    if lemma.endswith("e"):
        out.add(lemma[:-1] + "ing")
    if len(lemma) > 2 and lemma[-1] not in "aeiouwxy" and lemma[-2] in "aeiou" and lemma[-3] not in "aeiou":
        out |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    return out


@cache
def forms(name: str, label: str | None = None) -> frozenset[str]:
    """Every surface form (lower-case) the first token of an entry of ``name`` may take.

    For a cheap text pre-filter before parsing (the match itself is on spaCy lemmas): regular inflections of
    each ``LEMMA``, the irregular ``forms`` an entry lists, ``LOWER`` words and the first word of phrases.
    """
    out: set[str] = set()
    for entry in load(name):
        if label is not None and entry["label"] != label:
            continue
        out.update(str(f).lower() for f in entry.get("forms", ()))
        pattern = entry.get("pattern")
        if pattern is None:
            out.add(str(entry["phrase"]).lower().split()[0])
            continue
        out |= token_forms(pattern[0])
    return frozenset(out)


def inflections(lemma: str) -> set[str]:
    """Regular English verb and noun forms of ``lemma`` (a superset, for plain-text matching without a parse)."""
    return _inflections(lemma)


def token_forms(spec: dict[str, Any]) -> set[str]:
    """Surface forms (lower-case) one Matcher token spec may take: inflections of its ``LEMMA`` value(s) and its
    ``LOWER`` word(s)."""
    out: set[str] = set()
    for key in ("LEMMA", "LOWER"):
        value = spec.get(key)
        words = (
            [value]
            if isinstance(value, str)
            else list(value.get("IN", ()))
            if isinstance(value, dict)
            else []
        )
        for w in words:
            out.update(_inflections(str(w).lower()) if key == "LEMMA" else {str(w).lower()})
    return out


@cache
def phrases(name: str, label: str | None = None) -> tuple[str, ...]:
    """Fixed phrases of ``name`` (lower-case), for plain-text matching where no parse is available."""
    return tuple(
        str(e["phrase"]).lower()
        for e in load(name)
        if "phrase" in e and (label is None or e["label"] == label)
    )


def matcher(vocab: Any, *names: str) -> Any:
    """A spaCy ``Matcher`` over ``vocab`` (a ``spacy.vocab.Vocab``) with every entry of ``names``.

    Phrase entries become token patterns on ``LOWER``. Match ids are the entries' labels.
    """
    from spacy.matcher import Matcher

    m = Matcher(vocab)
    for name in names:
        for entry in load(name):
            pattern = entry.get("pattern")
            if pattern is None:
                pattern = [{"LOWER": tok} for tok in str(entry["phrase"]).lower().split()]
            m.add(entry["label"], [pattern])
    return m


def _token_alternatives(token: dict[str, Any]) -> list[str]:
    words: list[str] = []
    for key in ("LEMMA", "LOWER"):
        value = token.get(key)
        items = (
            [value]
            if isinstance(value, str)
            else list(value.get("IN", ()))
            if isinstance(value, dict)
            else []
        )
        for w in items:
            words.extend(sorted(_inflections(str(w).lower())) if key == "LEMMA" else [str(w).lower()])
    return sorted(set(words), key=lambda w: (-len(w), w))


def _word_regex(word: str) -> str:
    return re.escape(word).replace("'", "['’]").replace(r"\ ", r"\s+")


@cache
def regex(name: str, *labels: str) -> re.Pattern[str]:
    """One case-insensitive regular expression for the entries of ``name`` (optionally only ``labels``).

    For plain text where no parse is available (a cheap pre-filter, or a sentence the parser skipped):
    a ``LEMMA`` token matches its regular inflections, a ``LOWER`` token its words, ``"OP": "?"`` makes a
    token optional, ``n't`` and ``'s`` attach to the word before, and a phrase matches its words.
    Alternatives follow file order, so put the longer of two overlapping entries first.
    """
    alternatives: list[str] = []
    for entry in load(name):
        if labels and entry["label"] not in labels:
            continue
        pattern = entry.get("pattern")
        if pattern is None:
            alternatives.append(r"\s+".join(_word_regex(w) for w in str(entry["phrase"]).lower().split()))
            continue
        out = ""
        for k, token in enumerate(pattern):
            alts = _token_alternatives(token)
            if not alts:
                raise ValueError(f"vocab {name}: regex() needs LEMMA or LOWER tokens ({token})")
            body = "(?:" + "|".join(_word_regex(w) for w in alts) + ")"
            joiner = r"\s*" if any(w.startswith(("'", "n't")) for w in alts) else r"\s+"
            if k == 0:
                out = body
            elif token.get("OP") == "?":
                out += f"(?:{joiner}{body})?"
            else:
                out += joiner + body
        alternatives.append(out)
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b", re.I)


@cache
def words(name: str, label: str | None = None) -> frozenset[str]:
    """The words (lower-case) of the single-token entries of ``name`` (optionally of one ``label``): their
    ``LEMMA`` and ``LOWER`` values, as written (no inflections)."""
    out: set[str] = set()
    for entry in load(name):
        if label is not None and entry["label"] != label:
            continue
        pattern = entry.get("pattern")
        if not pattern or len(pattern) != 1:
            continue
        for key in ("LEMMA", "LOWER"):
            value = pattern[0].get(key)
            if isinstance(value, str):
                out.add(value.lower())
            elif isinstance(value, dict):
                out.update(str(x).lower() for x in value.get("IN", ()))
    return frozenset(out)


def _expand(value: Any) -> Any:
    """A pattern value with every ``"$file:LABEL"`` item of an ``IN`` list replaced by :func:`words` of it."""
    if isinstance(value, dict):
        return {k: _expand(v) for k, v in value.items()}
    if isinstance(value, list):
        out: list[Any] = []
        for item in value:
            if isinstance(item, str) and item.startswith("$") and ":" in item:
                file, label = item[1:].split(":", 1)
                found = sorted(words(file, label))
                if not found:
                    raise ValueError(f"vocab reference {item!r} names no words")
                out.extend(found)
            else:
                out.append(_expand(item))
        return out
    return value


@cache
def dependency_patterns(name: str) -> tuple[tuple[str, list[dict[str, Any]]], ...]:
    """(label, spaCy ``DependencyMatcher`` pattern) of every entry of ``name``, word-list references expanded."""
    return tuple((entry["label"], _expand(entry["pattern"])) for entry in load(name))


def dependency_matcher(vocab: Any, *names: str) -> Any:
    """A spaCy ``DependencyMatcher`` over ``vocab`` with every entry of ``names``; match ids are the labels."""
    from spacy.matcher import DependencyMatcher

    m = DependencyMatcher(vocab)
    for name in names:
        for label, pattern in dependency_patterns(name):
            m.add(label, [pattern])
    return m


def shown_role(role: str | None) -> str | None:
    """A source's role as a reader is shown it (headings, explanations), in its own casing; ``None`` for
    no role or one made only of honorifics (``Dr.``, ``Mr``, ``Prof.``: title.jsonl ``HONORIFIC``): a form
    of address is not a role. The one rule every "Name (role)" display uses."""
    text = (role or "").strip()
    parts = [w.strip(".").casefold() for w in text.split()]
    if not text or all(w in _honorific_set() for w in parts):
        return None
    return text


@cache
def _honorific_set() -> frozenset[str]:
    return frozenset(phrases("title", "HONORIFIC"))
