"""Build ``src/claimgraph/claims/data/idf.tsv``: a fixed IDF table for lexical claim matching.

Source: the PyPI package ``wordfreq`` (version pinned below; code Apache-2.0, word lists CC BY-SA 4.0),
English "large" list: word frequencies merged from Wikipedia, subtitles (OpenSubtitles, SUBTLEX), news
(NewsCrawl, GlobalVoices), books (Google Books Ngrams), the web (OSCAR, ParaCrawl) and Twitter/Reddit.
Run once, offline after installing it; claimgraph reads only the written file at run time::

    pip install "claimgraph[idf]"   # wordfreq==3.1.1
    python benchmarks/build_idf.py

Why a fixed table: an IDF fitted on the corpus being analysed changes every vector whenever a document is
added, so an incremental run could not give the result of a from-scratch run (issue 12 §4). With the table
fixed, the lexical score of two statements depends on their two texts only.

How: every word's frequency is added to each of its matching tokens
(:func:`claimgraph.claims.text.content_tokens`: stop words dropped, suffixes stemmed), giving a token
frequency ``F``. Statements are sentences, so the table is a *sentence* document frequency: a sentence of
``SENTENCE_WORDS`` running words contains the token with probability ``p = 1 - exp(-SENTENCE_WORDS * F)``,
and ``idf = ln(1 / p) + 1`` (the ``+ 1`` of scikit-learn's smoothed IDF, so that a token in every sentence
still counts). Tokens rarer than ``MIN_FREQUENCY`` are left out: at run time a token missing from the table
(a rare word, a name, a figure) gets the table's ``default`` IDF, that of a token of frequency
``MIN_FREQUENCY``. Values are rounded to 3 decimals; rows sorted by token.

One more row, ``name``: the IDF of the median running content word (the frequency-weighted median of the
table). The claims stage gives it to the tokens that name a statement's own actors (its entities' names
and aliases, the demonyms it uses): a name recurs through its whole story, so sharing it says that two
sentences are about the same parties (the entity term's job), not that they state the same proposition;
it counts as much as an ordinary content word, whatever its rarity in general English.
"""

from __future__ import annotations

import math
import sys
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "src" / "claimgraph" / "claims" / "data" / "idf.tsv"
WORDFREQ_VERSION = "3.1.1"
#: Running words (stop words included) of a typical news sentence.
SENTENCE_WORDS = 22
#: Tokens rarer than this (per running word; Zipf 2.0) share the default IDF.
MIN_FREQUENCY = 1e-7


def idf(frequency: float) -> float:
    p = -math.expm1(-SENTENCE_WORDS * frequency)
    return math.log(1.0 / p) + 1.0


def main() -> None:
    from importlib import metadata

    import wordfreq

    sys.path.insert(0, str(REPO / "src"))
    from claimgraph.claims.text import content_tokens

    version = metadata.version("wordfreq")
    if version != WORDFREQ_VERSION:
        sys.exit(f"wordfreq {version} installed; this table is built from {WORDFREQ_VERSION}")
    frequencies: dict[str, float] = defaultdict(float)
    for word, frequency in wordfreq.get_frequency_dict("en", wordlist="large").items():
        for token in set(content_tokens(word)):
            frequencies[token] += frequency
    default = idf(MIN_FREQUENCY)
    # wordfreq folds digits ("2014" -> "0000"): figures are left to the default (and the figure guard)
    kept = {
        t: f
        for t, f in frequencies.items()
        if f >= MIN_FREQUENCY and "\t" not in t and not any(c.isdigit() for c in t)
    }
    rows = sorted((t, round(idf(f), 3)) for t, f in kept.items())
    by_idf = sorted((idf(f), f) for f in kept.values())
    half, running, name = sum(kept.values()) / 2, 0.0, default
    for value, frequency in by_idf:
        running += frequency
        if running >= half:
            name = value
            break
    with OUT.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write(f"# source\twordfreq=={version} (en, large; CC BY-SA 4.0); benchmarks/build_idf.py\n")
        fh.write(f"# sentence_words\t{SENTENCE_WORDS}\n")
        fh.write(f"default\t{default:.3f}\n")
        fh.write(f"name\t{name:.3f}\n")
        for token, value in rows:
            if token not in ("default", "name"):
                fh.write(f"{token}\t{value:.3f}\n")
    print(f"{len(rows):,} tokens, default IDF {default:.3f}, name IDF {name:.3f} -> {OUT}")


if __name__ == "__main__":
    main()
