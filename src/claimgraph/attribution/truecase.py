"""Headlines in capitals, cased as their own article writes the words, before the NER model reads them.

Wire copy and many feeds set headlines in capitals ("CBS ISSUES 400 MLN DLRS IN CONVERTIBLE DEBT"). The NER
model takes capitalised words for names, so such a headline yields organisations called ``DLRS`` or ``NET``
and all-capital forms of real names ("NO WHITE HOUSE") that then win as entity names and aliases across the
corpus. :func:`truecase_title` gives the model the headline as the article's body spells each word (document-level
truecasing: the most frequent form of the word in the body, lower case when the body does not use it), with
the first letter in capitals (a capitalised word that opens a sentence of the body is not counted: it is capitalised
for the sentence); letters change case only, so every offset into the headline stays valid, and the
mentions keep the headline's own characters as their text (``attribution.stage``).

A headline is taken as set in capitals when at least :data:`SHOUTING_SHARE` of its cased letters are capitals
and it has at least :data:`MIN_CAPITAL_WORDS` words in capitals of two or more letters.

Headlines in **title case** ("As Its Rivals Pair Up, Will Twitter Be Next?", the house style of many US
outlets) mislead the model the same way: "Will Twitter Be Next" was read as a person, who then took every
"Twitter" of the article as his surname. A headline is taken as set in title case (:func:`title_cased`) when
at least :data:`TITLE_CASE_SHARE` of its words of four or more letters open with a capital, and there are at
least :data:`MIN_TITLE_CASE_WORDS` of them. Each of its capitalised words (``Will``, not ``ISIS``) is then
written as the body most often writes it; a word the body does not have stays as it is (it may be a name the
body does not repeat), unless it is one of spaCy's English stop words (``Its``, ``Be``) or a word the model's
lemmatizer tables know (``Denies``, ``Memo``: :func:`claimgraph.attribution.nlp.english_words`). Any other
headline is read as it is.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable

__all__ = [
    "MIN_CAPITAL_WORDS",
    "MIN_TITLE_CASE_WORDS",
    "SHOUTING_SHARE",
    "TITLE_CASE_SHARE",
    "opens_sentence",
    "shouting",
    "title_cased",
    "truecase_title",
]

#: Share of a headline's cased letters that are capitals for it to count as set in capitals.
SHOUTING_SHARE = 0.8
#: ... and at least this many words of two or more letters in capitals ("U.S. FED" is not a headline in capitals).
MIN_CAPITAL_WORDS = 3

#: Share of a headline's words of four or more letters that open with a capital for it to count as set in title case.
TITLE_CASE_SHARE = 0.8
#: ... and at least this many such words ("Arvania Votes" is too short to tell).
MIN_TITLE_CASE_WORDS = 4

#: ... and its body must have at least this many words outside lines in title case to go by.
MIN_BODY_WORDS = 40

_WORD = re.compile(r"[^\W\d_]+(?:['’.][^\W\d_]+)*\.?")
_LETTERS = re.compile(r"[^\W\d_]{4,}")


def opens_sentence(text: str, start: int) -> bool:
    """Whether the word at ``start`` opens a sentence: only spaces and opening quotes since the start of the text,
    a line break, or a full stop, question or exclamation mark (closing quotes after it allowed)."""
    window = text[max(0, start - 8) : start]
    before = window.rstrip(" \t\"'“‘(")
    if not before:
        return start == len(window)  # the text's start, or more spaces than the window holds: taken as not
    before = before.rstrip("\"'”’)")
    return not before or before[-1] in "\n.!?"


def shouting(title: str) -> bool:
    """Whether ``title`` is set in capitals (see the module)."""
    letters = [ch for ch in title if ch.isalpha() and (ch.isupper() or ch.islower())]
    if not letters:
        return False
    upper = sum(1 for ch in letters if ch.isupper())
    words = sum(1 for m in _WORD.finditer(title) if len(m.group(0)) >= 2 and m.group(0).isupper())
    return upper >= SHOUTING_SHARE * len(letters) and words >= MIN_CAPITAL_WORDS


def _unseen_word(word: str, known: Callable[[str], str | None] | None) -> str | None:
    """What a title-case word the body does not have becomes: ``"lower"`` for one of spaCy's English stop
    words or an inflected verb form (``known`` says ``"verb form"``), ``"lower unless beside a name"`` for
    another word ``known`` knows, ``None`` (stays as written) for a word neither knows."""
    from ..vocab import spacy_stop_words

    kind = "verb form" if word in spacy_stop_words("en") else (known(word) if known is not None else None)
    if kind is None:
        return None
    return "lower" if kind == "verb form" else "lower unless beside a name"


def title_cased(title: str) -> bool:
    """Whether ``title`` is set in title case (see the module); a headline in capitals is not."""
    words = _LETTERS.findall(title)
    if len(words) < MIN_TITLE_CASE_WORDS or shouting(title):
        return False
    return sum(1 for word in words if word[0].isupper()) >= TITLE_CASE_SHARE * len(words)


def truecase_title(title: str, body: str, known: Callable[[str], str | None] | None = None) -> str:
    """``title`` with each word as ``body`` most often writes it (a tie goes to the form that sorts first), the
    first letter a capital, when it is set in capitals (:func:`shouting`; a word the body does not have goes
    to lower case) or in title case (:func:`title_cased`; only capitalised words change; one the body does not
    have stays, unless it is a stop word or, with ``known`` (what a lexicon knows of a lower-case word, such as
    :func:`claimgraph.attribution.nlp.english_words`), an inflected verb form (``Makes``, ``Killed``) or an
    English word that does not stand next to a name the body writes with a capital: ``Duncan Hunter`` stays
    when the body names ``Hunter``); ``title`` itself otherwise. Only the case of letters changes: the result has ``title``'s length."""
    if shouting(title):
        capitalised_only = False
    elif title_cased(title):
        capitalised_only = True
    else:
        return title
    forms = _body_forms(body, skip_headings=capitalised_only)
    if capitalised_only and sum(sum(seen.values()) for seen in forms.values()) < MIN_BODY_WORDS:
        return title  # no prose to tell names from words (a headline-only record): read as written
    matches = list(_WORD.finditer(title))
    chosen: list[str] = []
    unseen: list[int] = []  # title-case words the body does not have and that may go to lower case
    for k, match in enumerate(matches):
        word = match.group(0)
        seen = forms.get(word.casefold())
        if capitalised_only and not (word[:1].isupper() and word[1:] == word[1:].lower()):
            best = word  # in title case only a capitalised word is recased ("ISIS", "iPhone" stay)
        elif capitalised_only and _opens_clause(title, match.start()):
            best = word  # "Movie? No, ...", "Pentagon: ISIS ...": capitalised for its sentence
        elif seen:
            top = max(seen.values())
            best = min(form for form, n in seen.items() if n == top)
            if capitalised_only and best != best.lower():
                best = word  # title case only goes down to lower case ("Judge" never becomes "JUDGE")
        elif capitalised_only:
            best = word  # maybe a name the body does not repeat
            fate = _unseen_word(word.lower(), known)
            if fate == "lower":
                best = word.lower()
            elif fate is not None:
                unseen.append(k)
        else:
            best = word.lower()
        if len(best) != len(word) or best.casefold() != word.casefold():
            best = word.lower() if len(word.lower()) == len(word) else word
        chosen.append(best)
    for k in unseen:
        if not any(_body_name(title, matches, chosen, forms, k, j) for j in (k - 1, k + 1)):
            chosen[k] = chosen[k].lower()
    out: list[str] = []
    last = 0
    for match, best in zip(matches, chosen, strict=True):
        out.append(title[last : match.start()])
        out.append(best)
        last = match.end()
    out.append(title[last:])
    cased = "".join(out)
    for k, ch in enumerate(cased):
        if ch.isalpha():
            if ch.islower() and len(ch.upper()) == 1:
                cased = cased[:k] + ch.upper() + cased[k + 1 :]
            break
    return cased


def _opens_clause(title: str, start: int) -> bool:
    """Whether the title word at ``start`` opens the title, a sentence or a clause after a colon."""
    before = title[:start].rstrip(" \t\"'“‘(")
    return not before or before[-1] in ".!?:"


def _body_forms(body: str, *, skip_headings: bool = False) -> dict[str, Counter[str]]:
    """How often ``body`` writes each word in each form (casefolded word -> form -> count); a capitalised word
    that opens a sentence is not counted (it is capitalised for the sentence, not for itself). With
    ``skip_headings``, neither are the words of a paragraph of one line set in title case
    (:func:`title_cased`): the headline repeated, a sub-heading (a hard-wrapped line of names in wire copy
    is no paragraph of its own, and counts)."""
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    lines = body.split("\n")
    at = 0
    for k, line in enumerate(lines):
        if skip_headings and _alone(lines, k) and title_cased(line):
            at += len(line) + 1
            continue
        for match in _WORD.finditer(line):
            word = match.group(0)
            if word[:1].isupper() and word[1:].islower() and opens_sentence(body, at + match.start()):
                continue
            forms[word.casefold()][word] += 1
        at += len(line) + 1
    return forms


def _alone(lines: list[str], k: int) -> bool:
    """Whether line ``k`` is a paragraph of its own (blank or no lines on both sides)."""
    return (k == 0 or not lines[k - 1].strip()) and (k + 1 == len(lines) or not lines[k + 1].strip())


def _body_name(
    title: str,
    matches: list[re.Match[str]],
    chosen: list[str],
    forms: dict[str, Counter[str]],
    k: int,
    j: int,
) -> bool:
    """Whether title word ``j``, right next to word ``k`` (only spaces between), is one the body writes with a
    capital: then ``k`` is taken for part of that name."""
    if not 0 <= j < len(matches):
        return False
    a, b = sorted((k, j))
    if title[matches[a].end() : matches[b].start()].strip(" "):
        return False
    return chosen[j][:1].isupper() and matches[j].group(0).casefold() in forms
