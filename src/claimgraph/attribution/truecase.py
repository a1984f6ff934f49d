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
and it has at least :data:`MIN_CAPITAL_WORDS` words in capitals of two or more letters; any other headline is
read as it is.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

__all__ = ["MIN_CAPITAL_WORDS", "SHOUTING_SHARE", "opens_sentence", "shouting", "truecase_title"]

#: Share of a headline's cased letters that are capitals for it to count as set in capitals.
SHOUTING_SHARE = 0.8
#: ... and at least this many words of two or more letters in capitals ("U.S. FED" is not a headline in capitals).
MIN_CAPITAL_WORDS = 3

_WORD = re.compile(r"[^\W\d_]+(?:['’.][^\W\d_]+)*\.?")


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


def truecase_title(title: str, body: str) -> str:
    """``title`` with each word as ``body`` most often writes it (lower case when the body does not have it; a
    tie goes to the form that sorts first), the first letter a capital; ``title`` itself when it is not set in
    capitals (:func:`shouting`). Only the case of letters changes: the result has ``title``'s length."""
    if not shouting(title):
        return title
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    for match in _WORD.finditer(body):
        word = match.group(0)
        if word[:1].isupper() and word[1:].islower() and opens_sentence(body, match.start()):
            continue  # a sentence's first word is capitalised for the sentence, not for itself
        forms[word.casefold()][word] += 1
    out: list[str] = []
    last = 0
    for match in _WORD.finditer(title):
        word = match.group(0)
        seen = forms.get(word.casefold())
        if seen:
            top = max(seen.values())
            best = min(form for form, n in seen.items() if n == top)
        else:
            best = word.lower()
        if len(best) != len(word) or best.casefold() != word.casefold():
            best = word.lower() if len(word.lower()) == len(word) else word
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
