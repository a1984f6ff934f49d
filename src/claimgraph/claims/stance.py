"""Stance of a statement toward its claim: cue rules combined with the FNC-1 stance model.

Rules decide first, because they read things the model cannot (who is speaking):

1. ``declines`` set by attribution (refusals) is kept.
2. **denies**: a denial cue ("deny", "baseless", "fabricated", ...) or any dispute cue, spoken by the
   *accused party*: the speaker's entity is one of the claim's entities, or a claim entity's name occurs
   in the speaker's label, role or description ("a spokesperson for Russia's foreign ministry").
3. **disputes**: a doubt or contradiction cue ("dubious", "unproven", "no evidence",
   "I doubt", "denied") by anybody else.
4. **reports**: the statement relays the claim: an outlet's or author's assertion that carries a
   reporting cue ("X said that ...", "allegations that ...", "according to ...", "reportedly"), or a
   statement citing another source (``cited_source_ids``).
5. otherwise the model decides (one batched call per run): ``disputes`` (with confidence >= 0.5) ->
   disputes (denies for the accused); ``discusses`` -> ``reports`` when the text relays, else ``supports``;
   ``supports`` and ``unrelated`` -> ``supports`` (the statement was matched to the claim, so it asserts it).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Protocol

from ..attribution.demonyms import _place_fold, _place_key, _word_candidates
from ..errors import ModelError
from ..model import Claim, Corpus, Entity, Source, Statement
from ..registry import registry
from .attach_rules import unfounded as calls_unfounded
from .text import content_tokens, normalise
from .textfacts import FlagCache, FlagCueCache, TextCache

__all__ = [
    "DENIAL_VOCAB",
    "DISPUTE_VOCAB",
    "AccusedTest",
    "StanceModel",
    "assign_stances",
    "has_denial_cue",
    "has_dispute_cue",
    "has_relay_cue",
    "is_accused",
    "load_stance_model",
    "own_voice",
    "refers_to_claim",
    "refuses",
    "takes_stance_on_claim",
]

#: Confidence recorded when a cue rule decides.
RULE_CONFIDENCE = 0.9

#: The shared vocabulary's entries read as dispute cues: (file, labels). Doubt, missing evidence, a claim called
#: false or named a fabrication ("a hoax", "doctored"), and every denial (a denial is also a dispute when the speaker
#: is not the accused party).
DISPUTE_VOCAB: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("dispute", ("DISPUTE", "NO_EVIDENCE", "DOUBT", "UNSUPPORTED", "FALSEHOOD", "FABRICATION")),
    ("denial", ("DENY", "DENIAL_CUE")),
)
#: Entries read as denial cues (the accused party's denial).
DENIAL_VOCAB: tuple[tuple[str, tuple[str, ...]], ...] = (("denial", ("DENY", "DENIAL_CUE")),)
#: Idioms that contain a dispute word but assert agreement ("the figures are not in doubt").
NEGATED_VOCAB: tuple[tuple[str, tuple[str, ...]], ...] = (("dispute", ("NOT_DISPUTED",)),)


def _token_forms(spec: dict[str, object], first: bool, entry: dict[str, object]) -> list[str]:
    """Surface forms of a Matcher token spec (:func:`claimgraph.vocab.token_forms`), the entry's irregular
    ``forms`` on its first token; longest first, so the regex prefers the longest form."""
    from .. import vocab

    out = vocab.token_forms(spec)
    if first:
        out |= {str(f).lower() for f in entry.get("forms", ())}  # type: ignore[attr-defined]
    return sorted(out, key=lambda w: (-len(w), w))


def _entry_regex(entry: dict[str, object]) -> str:
    """A plain-text regex for one vocabulary entry (a Matcher token pattern or a fixed phrase)."""
    if "phrase" in entry:
        return r"\s+".join(re.escape(w) for w in str(entry["phrase"]).lower().split())
    out = ""
    pattern: list[dict[str, object]] = list(entry["pattern"])  # type: ignore[call-overload]
    for k, spec in enumerate(pattern):
        if spec.get("IS_ALPHA"):
            token = r"[a-z]+"
        else:
            token = "(?:" + "|".join(re.escape(f) for f in _token_forms(spec, k == 0, entry)) + ")"
        optional = spec.get("OP") == "?"
        if k == 0:
            out = rf"(?:{token}\s+)?" if optional else token
        else:
            out += rf"(?:\s+{token})?" if optional else rf"\s+{token}"
    return out


def vocab_regex(selection: Sequence[tuple[str, Sequence[str]]]) -> re.Pattern[str]:
    """One regex (word-bounded, lower-case text) for the vocabulary entries of ``selection`` ((file, labels))."""
    from .. import vocab

    alternatives = [
        _entry_regex(entry)
        for name, labels in selection
        for entry in vocab.load(name)
        if entry["label"] in labels
    ]
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b")


#: A statement *about* the claim that endorses it ("the report confirms ...", "I stand by it").
ENDORSEMENT_CUES: tuple[str, ...] = (
    r"confirm(?:s|ed)?(?! whether)", r"stand(?:s|ing)? by", r"corroborat\w+", r"(?:is|are|was|were) (?:accurate|correct|right|true)",
    r"vindicat\w+", r"proves?",
)  # fmt: skip
#: A statement referring to a claim as a thing ("the allegations", "the HRA report", "the story"):
#: it is *about* a claim, so it is attached to the claim it refers to instead of starting one. A
#: reference followed by its content ("our finding that Russia recruits ...") states the claim itself.
CLAIM_REFERENCE = re.compile(
    r"\b(?:the|this|these|those|that|such|his|her|their|its|our|my)\s+(?:[\w'-]+\s+){0,4}?"
    + vocab_regex([("reference", ("CLAIM_REFERENCE",))]).pattern  # the vocabulary's claim nouns
    + r"(?!\s+(?:that|of|on whether)\b)"
)
RELAY_CUES: tuple[str, ...] = (
    r"said", r"says", r"told", r"according to", r"alleg\w+", r"claim(?:s|ed)? that", r"reportedly",
    r"reports? (?:that|of)", r"reported", r"accus\w+", r"purported\w*", r"wrote", r"writes", r"asserted",
    # headline style: "..., report claims", "..., consultant says"
    r"(?:report|study|consultant|consultancy|analyst|expert|sources?|officials?) (?:claims?|says|alleges?)",
    r"repeat(?:s|ed|ing)?",
)  # fmt: skip
#: What a reference to a claim must carry to be about the claim's truth (beside dispute, denial,
#: endorsement and relay cues): an evaluation or an official handling of it ("may well be accurate",
#: "could not be verified", "was reviewing it", "first made by ..."). A bare reference ("the
#: accusations could hurt the talks", "the inquiry shows the matter is being looked at") takes no stance.
EVALUATION_CUES: tuple[str, ...] = (
    r"true", r"accurate", r"correct", r"verif\w+", r"credib\w+", r"evidence", r"review\w*",
    r"investigat\w*", r"examin\w*", r"look(?:s|ed|ing)? into", r"quot(?:e|es|ed|ing)",
    r"(?:made|raised|published|levell?ed|first reported)(?: \S+){0,5} by",
)  # fmt: skip

_DISPUTE = vocab_regex(DISPUTE_VOCAB)
_DENIAL = vocab_regex(DENIAL_VOCAB)
_FABRICATION = vocab_regex((("dispute", ("FABRICATION",)),))
_RELAY = re.compile(r"\b(?:" + "|".join(RELAY_CUES) + r")\b")
_NEGATED = vocab_regex(NEGATED_VOCAB)
_ENDORSE = re.compile(r"\b(?:" + "|".join(ENDORSEMENT_CUES) + r")\b")
_EVALUATE = re.compile(r"\b(?:" + "|".join(EVALUATION_CUES) + r")\b")


def _without_negated(text: str) -> str:
    return _NEGATED.sub(" ", normalise(text))


@FlagCueCache  # pure; asked per statement by several passes (and kept in the store: textfacts)
def has_dispute_cue(text: str, cue: str | None = None) -> bool:
    return bool(_DISPUTE.search(_without_negated(text)) or (cue and _DISPUTE.search(_without_negated(cue))))


def has_fabrication_cue(text: str) -> bool:
    """A fabrication named ("a hoax", "doctored", "photoshopped": the shared vocabulary's ``FABRICATION``)."""
    return bool(_FABRICATION.search(_without_negated(text)))


def retracts(statement: Statement) -> bool:
    """Words that take a claim back: a correction notice opening the statement ("Correction: ...") or a
    fabrication named in the speaker's own name (:func:`has_fabrication_cue`: "the video appears to have been a
    hoax"). A fabrication named on someone else's word is relayed, not retracted: a relay cue ("critics said it
    was a hoax", :func:`has_relay_cue`) or a verdict credited to others ("has been called a hoax", "dismissed as
    doctored by ...": :data:`_VERDICT_OF_OTHERS`). An origin's dispute of its own claim stands when it retracts
    (``claims.stage._origin_keeps_its_claim``), and provenance counts the source as retracting
    (``provenance.origins.withdraw_retracted``)."""
    text = statement.text.lstrip(" \"'\u201c\u2018([")
    if _CORRECTION.match(text) is not None:
        return True
    return (
        has_fabrication_cue(statement.text)
        and not has_relay_cue(statement.text)
        and _VERDICT_OF_OTHERS.search(normalise(statement.text)) is None
    )


#: A correction notice opening a statement ("Correction:", "CORRECTION -", "Update/correction:").
_CORRECTION = re.compile(r"(?:update\s*/\s*)?corrections?\s*[:\-\u2013\u2014]", re.I)
#: A verdict the speaker credits to others ("has been called a hoax", "dismissed as doctored", "branded a
#: fake"): the labelling verbs of a reported verdict, which the relay cues (speech verbs) do not hold; their
#: past and -ing forms only, and the present after a plural subject ("critics call it"), since "a hoax call",
#: "the brand" or "a suspect" are nouns.
_VERDICT_OF_OTHERS = re.compile(
    r"\b(?:call(?:ed|ing)|dub(?:bed|bing)|brand(?:ed|ing)|label(?:led|ling|ed|ing)|"
    r"denounc(?:ed|ing)|dismiss(?:ed|ing)|decr(?:ied|ying)|suspected|(?:they|critics|many|some|others) call)\b"
)


def has_endorsement_cue(text: str) -> bool:
    return bool(_ENDORSE.search(normalise(text)))


#: An endorsement whose object is a pronoun ("we stand behind it", "this confirms it"):
#: it is about a claim stated elsewhere, not a claim of its own.
PRONOUN_ENDORSEMENT = re.compile(
    r"\b(?:stand(?:s|ing)? by|confirm(?:s|ed)?|corroborat\w+|vindicat\w+)\s+(?:[\w'-]+\s+){0,3}?"
    r"(?:it|this|that|them|these|those)\s*[.,;:!?\"']*$"
)


@FlagCache  # pure; asked per statement by several passes (and kept in the store: textfacts)
def refers_to_claim(text: str) -> bool:
    """Whether ``text`` talks about a claim as a thing ("the accusations may well be accurate", "we
    stand behind it")."""
    blob = normalise(text).strip()
    return bool(CLAIM_REFERENCE.search(blob) or PRONOUN_ENDORSEMENT.search(blob))


@FlagCueCache  # pure; asked per statement by several passes (and kept in the store: textfacts)
def takes_stance_on_claim(text: str, cue: str | None = None) -> bool:
    """Whether a statement referring to a claim says something about it: doubt, denial, endorsement,
    a relay, or an evaluation/handling of it (:data:`EVALUATION_CUES`)."""
    blob = _without_negated(text)
    return bool(
        has_dispute_cue(text, cue) or _ENDORSE.search(blob) or _RELAY.search(blob) or _EVALUATE.search(blob)
    )


@FlagCueCache  # pure; asked per statement by several passes (and kept in the store: textfacts)
def has_denial_cue(text: str, cue: str | None = None) -> bool:
    return bool(_DENIAL.search(_without_negated(text)) or (cue and _DENIAL.search(_without_negated(cue))))


@FlagCache  # pure; asked per statement by several passes (and kept in the store: textfacts)
def refuses(text: str) -> bool:
    """A refusal or non-answer ("declined to say whether ...", "we do not comment on reports", "our
    focus remains on ..."): the phrases of the shared vocabulary's ``refusal`` list."""
    from .. import vocab

    blob = " " + " ".join(re.sub(r"[^\w']+", " ", normalise(text)).split()) + " "
    return any(f" {phrase} " in blob for phrase in vocab.phrases("refusal"))


@FlagCache  # pure; asked per statement by several passes (and kept in the store: textfacts)
def has_relay_cue(text: str) -> bool:
    return bool(_RELAY.search(normalise(text)))


class StanceModel(Protocol):
    def predict(self, pairs: Sequence[tuple[str, str]]) -> list[tuple[str, float]]: ...


def load_stance_model(name: str) -> StanceModel | None:
    """The registered stance model ``name``; ``"none"`` (or empty) means cue rules only."""
    if not name or name.lower() == "none":
        return None
    factory = registry.stance_models.get(name)
    model = factory()
    if not hasattr(model, "predict"):
        raise ModelError(f"stance model {name!r} has no predict(pairs) method")
    return model


def _entity_names(index: Mapping[str, Entity], entity_ids: Sequence[str]) -> list[str]:
    names: list[str] = []
    for eid in entity_ids:
        entity = index.get(eid)
        if entity is None:
            continue
        names.append(entity.name)
        names.extend(alias.name for alias in entity.aliases)
    return [normalise(n) for n in names if len(n) >= 3]


class EntityNames:
    """:func:`_entity_names` over one entity index, each entity's normalised names kept (a claims pass asks
    for the names of every claim's core entities, and one entity is the core of many claims)."""

    def __init__(self, index: Mapping[str, Entity]) -> None:
        self.index = index
        self._of: dict[str, list[str]] = {}

    def __call__(self, entity_ids: Sequence[str]) -> list[str]:
        names: list[str] = []
        for eid in entity_ids:
            found = self._of.get(eid)
            if found is None:
                found = self._of[eid] = _entity_names(self.index, [eid])
            names.extend(found)
        return names


def is_accused(
    source: Source | None,
    claim_entity_ids: Sequence[str],
    claim_names: Sequence[str],
    affiliates: Sequence[Source] = (),
    context: Sequence[str] = (),
) -> bool:
    """Whether the speaker is (part of) a party the claim is about, directly or through an affiliation
    (a minister of the accused state's ministry).

    ``claim_names`` are the (normalised) names of the claim's *core* entities, the accused party;
    ``context`` holds other descriptions of the speaker as written ("Russian Prime Minister Dmitri
    Petrov", the speaker's aliases). A demonym counts ("Russian" names Russia, by the suffix rule of
    :mod:`claimgraph.attribution.demonyms`). The organisations and states attribution found the
    speaker (or an affiliated source) to speak for (``Source.affiliation_entity_ids``) count first.
    """
    from .actors import names_demonym_of

    if source is None:
        return False
    accused = set(claim_entity_ids)
    if source.entity_id is not None and source.entity_id in accused:
        return True
    if accused & set(source.affiliation_entity_ids):
        return True
    for affiliate in affiliates:
        if affiliate.entity_id in accused or accused & set(affiliate.affiliation_entity_ids):
            return True
    texts = [
        x
        for x in [source.label, source.role, source.description, *(a.label for a in affiliates), *context]
        if x
    ]
    blob = normalise(" ".join(texts))
    if _names_in(claim_names, blob):
        return True
    return any(names_demonym_of(text, claim_names) for text in texts)


def _names_in(names: Sequence[str], blob: str) -> bool:
    """Whether any of ``names`` (a final ``s`` dropped) occurs in ``blob`` as a whole word: the answer of
    one ``\\bname\\b`` alternation over ``names``. Compiling that alternation once per claim's set of
    names (longer as the corpus adds aliases) was 30 s of a profiled 1,000-document run."""
    for name in names:
        word = name.rstrip("s")
        if word in blob and _whole_word_in(blob, word):  # most names do not occur at all
            return True
    return False


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _whole_word_in(text: str, word: str) -> bool:
    r"""Whether ``re.search(rf"\b{re.escape(word)}\b", text)`` finds something, without compiling a
    pattern: each occurrence of ``word`` is checked for a word boundary (``\w`` on exactly one side) at
    both ends. Compiling one alternation per claim's set of names cost more than all the searches (a
    set of names is rarely seen twice, and a new process starts every run)."""
    if not word:
        return any(_is_word_char(ch) for ch in text)  # ``\b\b``: any boundary
    first, last = _is_word_char(word[0]), _is_word_char(word[-1])
    at = text.find(word)
    while at >= 0:
        end = at + len(word)
        before = at > 0 and _is_word_char(text[at - 1])
        after = end < len(text) and _is_word_char(text[end])
        if before != first and after != last:
            return True
        at = text.find(word, at + 1)
    return False


_WORD_RUN = re.compile(r"\w+")  # ``\w`` is ``str.isalnum()`` or ``_`` (``_is_word_char``; tested)


class _AccusedForms:
    """One entity's normalised names (:func:`_entity_names`) as :func:`is_accused` reads them, indexed once.

    ``first``: each name's stem (a final ``s`` dropped, as :func:`_names_in`) that starts and ends with a word
    character, by its first run of word characters. Such a stem occurs as a whole word in a text only where
    that run is a whole run of the text, so a text's runs pick the few stems worth searching for. ``other``:
    the remaining stems (searched for as they are). ``by_key`` / ``by_fold``: the one-word names by their
    place key and case fold (:func:`~claimgraph.attribution.demonyms.country_for_demonym`'s two tables)."""

    __slots__ = ("by_fold", "by_key", "first", "other")

    def __init__(self, names: Sequence[str]) -> None:
        self.first: dict[str, set[str]] = {}
        self.other: set[str] = set()
        self.by_key: dict[str, set[str]] = {}
        self.by_fold: dict[str, set[str]] = {}
        for name in names:
            word = name.rstrip("s")
            if word and _is_word_char(word[0]) and _is_word_char(word[-1]):
                self.first.setdefault(_WORD_RUN.match(word).group(0), set()).add(word)  # type: ignore[union-attr]
            else:
                self.other.add(word)
            if name and " " not in name.strip():  # a one-word name may be a place a demonym names
                self.by_key.setdefault(_place_key(name), set()).add(name)
                fold = _place_fold(name)
                if fold is not None:
                    self.by_fold.setdefault(fold, set()).add(name)

    def named_in(self, blob: str, runs: frozenset[str]) -> bool:
        """:func:`_names_in` of this entity's names in ``blob`` (whose runs of word characters are ``runs``)."""
        first = self.first
        found = runs & first.keys() if len(runs) < len(first) else first.keys() & runs
        for run in found:
            if any(word in blob and _whole_word_in(blob, word) for word in first[run]):
                return True
        return any(word in blob and _whole_word_in(blob, word) for word in self.other)


class _SpeakerForms:
    """What :func:`is_accused` reads of one speaker beside the claim: its affiliated sources, its texts
    (label, role, description, the affiliates' labels, its descriptions in the corpus), their normalised
    join, that join's runs of word characters, and the demonyms the texts use."""

    __slots__ = ("_demonyms", "affiliates", "blob", "runs", "texts")

    def __init__(self, source: Source, affiliates: list[Source], context: Sequence[str]) -> None:
        self.affiliates = affiliates
        self.texts = [
            x
            for x in [source.label, source.role, source.description, *(a.label for a in affiliates), *context]
            if x
        ]
        self.blob = normalise(" ".join(self.texts))
        self.runs = frozenset(_WORD_RUN.findall(self.blob))
        self._demonyms: list[str] | None = None

    @property
    def demonyms(self) -> list[str]:
        """The words of the texts shaped like a demonym (found when first asked: most speakers are named)."""
        if self._demonyms is None:
            from .actors import demonym_matches

            self._demonyms = list(dict.fromkeys(w for text in self.texts for _, w in demonym_matches(text)))
        return self._demonyms


class AccusedTest:
    """:func:`is_accused` for one corpus, asked as ``test(source, accused entity ids)``: the speaker's
    affiliates and descriptions (:func:`speaker_context`) and each entity's names are read once per run,
    and the answer is kept per (source, accused ids). The same answers as :func:`is_accused` (tested), in
    time that grows with the speaker's words and the accused entities, not with the number of names
    and aliases those entities have gathered over the corpus (hundreds for a country in a large one)."""

    def __init__(self, corpus: Corpus) -> None:
        self.sources = corpus.index("sources")
        self.entities = corpus.index("entities")
        self.context = speaker_context(corpus)
        self._entities: dict[str, _AccusedForms] = {}
        self._speakers: dict[str, _SpeakerForms] = {}
        self._named: dict[tuple[str, str], bool] = {}
        self._seen: dict[tuple[str, tuple[str, ...]], bool] = {}

    def affiliates(self, source: Source) -> list[Source]:
        return [self.sources[a] for a in source.affiliated_source_ids if a in self.sources]

    def __call__(self, source: Source | None, accused_ids: Sequence[str]) -> bool:
        if source is None:
            return False
        key = (source.id, tuple(accused_ids))
        found = self._seen.get(key)
        if found is None:
            found = self._seen[key] = self._test(source, accused_ids)
        return found

    def _speaker(self, source: Source) -> _SpeakerForms:
        forms = self._speakers.get(source.id)
        if forms is None:
            context = sorted(self.context.get(source.entity_id or source.id, ()))
            forms = self._speakers[source.id] = _SpeakerForms(source, self.affiliates(source), context)
        return forms

    def _entity(self, eid: str) -> _AccusedForms:
        forms = self._entities.get(eid)
        if forms is None:
            forms = self._entities[eid] = _AccusedForms(_entity_names(self.entities, [eid]))
        return forms

    def _test(self, source: Source, accused_ids: Sequence[str]) -> bool:
        """:func:`is_accused`'s steps, in its order."""
        accused = set(accused_ids)
        if source.entity_id is not None and source.entity_id in accused:
            return True
        if accused & set(source.affiliation_entity_ids):
            return True
        speaker = self._speaker(source)
        for affiliate in speaker.affiliates:
            if affiliate.entity_id in accused or accused & set(affiliate.affiliation_entity_ids):
                return True
        for eid in accused_ids:  # a name of any accused entity (the names test of each entity kept)
            named = self._named.get((eid, source.id))
            if named is None:
                named = self._named[(eid, source.id)] = self._entity(eid).named_in(speaker.blob, speaker.runs)
            if named:
                return True
        return any(self._demonym_names(word, accused_ids) for word in speaker.demonyms)

    def _demonym_names(self, word: str, accused_ids: Sequence[str]) -> bool:
        """Whether ``word`` is the demonym of exactly one of the accused entities' one-word names
        (:func:`~claimgraph.attribution.demonyms.country_for_demonym` over all their names at once)."""
        table, candidates = _word_candidates(word)
        if not candidates:
            return False
        hits: set[str] = set()
        for eid in dict.fromkeys(accused_ids):
            places = self._entity(eid).by_key if table else self._entity(eid).by_fold
            if not places:  # no one-word name (most entities)
                continue
            # the word's candidates this entity has a place for, by one set intersection (the same hits as
            # asking for each candidate; a word has dozens of candidates, an entity a few one-word names)
            for candidate in places.keys() & candidates:
                hits |= places[candidate]
                if len(hits) > 1:
                    return False
        return len(hits) == 1


def speaker_context(corpus: Corpus) -> dict[str, set[str]]:
    """Every way each speaker is described in the corpus, keyed by entity id (or source id when the
    source has no entity): the speaker as written in its statements ("Russian Prime Minister Dmitri
    Petrov") and the entity's aliases. A title given once describes the speaker everywhere."""
    sources = corpus._index("sources")
    entities = corpus._index("entities")
    out: dict[str, set[str]] = {}
    for st in corpus.statements:
        source = sources.get(st.source_id)
        if source is None or not st.speaker_text:
            continue
        out.setdefault(source.entity_id or source.id, set()).add(st.speaker_text)
    for eid, entity in entities.items():
        names = {a.name for a in entity.aliases}
        if names:
            out.setdefault(eid, set()).update(names)
    return out


def negates_claim(text: str, claim_text: str) -> bool:
    """Whether ``text`` negates what ``claim_text`` asserts: it carries a negation word and the claim none ("No
    detainee has been recruited" against "Norland recruits detainees")."""
    return bool(claim_text) and _negated(text) and not _negated(claim_text)


_NEGATION_WORD = re.compile(r"[a-z']+")


def negates_event_of(statement: Statement, claim_text: str) -> bool:
    """Whether what ``statement`` negates (:func:`negated_words`) is named in ``claim_text``: "No, a spider did not
    burrow under his skin" negates the "burrowed" of "A spider burrowed under a tourist's skin"; "Police, who did
    not comment, found the car" negates "comment", which the claim does not assert."""
    event = negated_words(statement)
    return bool(event) and any(_same_word(a, b) for a in event for b in content_tokens(claim_text))


def negated_words(statement: Statement) -> frozenset[str]:
    """Matching tokens of what ``statement`` negates: attribution's parse reading where it made one (quoted
    speech: :func:`~claimgraph.claims.attach_rules.statement_negated_event`), else the words that follow each
    negation in its clause (:func:`negation_window`; the outlet's own voice and headlines, read without a parse:
    parsing every negated sentence cost about a tenth of the attribution stage)."""
    if statement.negated_event is not None:
        from .attach_rules import statement_negated_event

        return statement_negated_event(statement)
    return negation_window(statement.text)


#: Words read after a negation by :func:`negation_window`.
NEGATION_WINDOW = 4
_CLAUSE_WORD = re.compile(r"[a-z0-9'-]+|[,;:.!?()\"]")


@TextCache  # pure; asked per negated statement matched to a claim
def negation_window(text: str) -> frozenset[str]:
    """The matching token of the first content word within :data:`NEGATION_WINDOW` words after each negation
    word of ``text``, in its clause (punctuation ends the search): "No, a spider did not burrow under his skin" ->
    ``burrow``; "no detainee was recruited" -> ``detainee``; "confirmed not to be the missing miners" ->
    ``miss``."""
    from ..stance.text import NEGATION_WORDS

    negations = frozenset(NEGATION_WORDS)
    words = _CLAUSE_WORD.findall(normalise(text))
    found: set[str] = set()
    for k, word in enumerate(words):
        if word in negations or word.endswith("n't"):
            for after in words[k + 1 : k + 1 + NEGATION_WINDOW]:
                if not after[0].isalnum():
                    break
                tokens = content_tokens(after)
                if tokens:  # the first content word: what is negated, not the names after it
                    found.add(tokens[0])
                    break
    return frozenset(found)


def _same_word(a: str, b: str) -> bool:
    """Two matching tokens of one word: equal, or one is the other with its silent "e" (the suffix stripper
    keeps a negated base form "defecate" whole and makes "defecated" ``defecat``)."""
    if a == b:
        return True
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return len(short) >= 4 and long_ == short + "e"


@FlagCache  # pure; asked per statement matched to a claim, and per claim wording (kept: textfacts)
def _negated(blob: str) -> bool:
    """Whether ``blob`` carries a negation word (:data:`claimgraph.stance.text.NEGATION_WORDS`)."""
    from ..stance.text import NEGATION_WORDS

    negations = frozenset(NEGATION_WORDS)
    # a quoted word is the word ("'not found in mass grave'"): quotes off both ends
    return any(w.strip("'") in negations for w in _NEGATION_WORD.findall(normalise(blob)))


#: Whether the speaker is the claim's accused party: the answer, or a function giving it when first needed.
Accused = bool | Callable[[], bool]


def _is(accused: Accused) -> bool:
    return accused if isinstance(accused, bool) else accused()


def rule_stance(
    statement: Statement, source: Source | None, accused: Accused, claim_text: str = ""
) -> str | None:
    """The stance the cue rules give, or ``None`` when they leave it to the model.

    The accused party's statement matched to a claim is a denial when it carries a denial or dispute cue, or
    when it negates the claim in plain words (:func:`negates_claim`). Anyone else's plain negation disputes the
    claim when what it negates is named in the claim's wording (:func:`negates_event_of`: "No, a spider did
    not burrow under his skin" against "A spider burrowed under a tourist's skin"). ``accused`` may be a function:
    it is asked only when a cue or a negation makes the answer matter (most statements carry neither; every test
    here is pure, so the order changes no result)."""
    if statement.stance == "declines":
        return "declines"
    text, cue = statement.text, statement.cue
    if own_voice(statement, source) and _THIRD_PERSON_DENIAL.search(normalise(text)):
        return "reports"  # an outlet relaying somebody's denial ("Russia denies recruiting ...")
    # a claim noun called unfounded ("the story remains hypothetical"): a dispute without a cue word
    unfounded = calls_unfounded(statement)
    if has_denial_cue(text, cue) or has_dispute_cue(text, cue) or unfounded:
        if _is(accused):
            return "denies"
    elif negates_claim(text, claim_text):
        if _is(accused):
            return "denies"  # the accused party negates the claim in plain words (negates_claim)
        if negates_event_of(statement, claim_text):
            return "disputes"  # anyone else who negates what the claim asserts ("no spider burrowed ...")
    if has_dispute_cue(text, cue) or unfounded:
        return "disputes"
    if relays(statement, source):
        return "reports"
    return None


_THIRD_PERSON_DENIAL = re.compile(
    r"\b(?:denies|denied|rejects|rejected|disputes|disputed|dismisses|dismissed)\b"
)


def own_voice(statement: Statement, source: Source | None) -> bool:
    return statement.mode == "assertion" or (source is not None and source.kind in ("outlet", "author"))


def relays(statement: Statement, source: Source | None) -> bool:
    if statement.cited_source_ids:
        return True
    return own_voice(statement, source) and has_relay_cue(statement.text)


def assign_stances(
    corpus: Corpus,
    claims: Sequence[Claim],
    model: StanceModel | None,
    by_id: dict[str, Statement],
    extra_pairs: Sequence[tuple[str, str]] = (),
    core: Mapping[str, Sequence[str]] | None = None,
    accused_test: AccusedTest | None = None,
) -> list[tuple[str, float]]:
    """Set ``stance`` and ``stance_confidence`` of every statement of ``claims``.

    ``core`` maps a claim id to its core entities (the accused party); default: all its entities.
    ``accused_test``: :class:`AccusedTest` of ``corpus`` (one made here by default; the claims stage shares
    one between its passes).

    The model is called once, on the statements the rules leave open plus ``extra_pairs``
    (claim text, statement text); the predictions for ``extra_pairs`` are returned.
    """
    test = accused_test if accused_test is not None else AccusedTest(corpus)
    sources = test.sources
    pending: list[tuple[Statement, Claim, Accused, bool]] = []
    for claim in claims:
        accused_ids = list(core.get(claim.id, claim.entity_ids)) if core else claim.entity_ids
        for sid in claim.statement_ids:
            statement = by_id[sid]
            source = sources.get(statement.source_id)
            # is_accused depends on the source (its affiliates and descriptions follow from it) and the
            # claim's accused party only: kept per (source, accused party) by the test, and asked only when
            # a rule or the model's verdict reads it (a cue, a negation, a "disputes" prediction)
            accused: Accused = functools.partial(test, source, accused_ids)
            decided = rule_stance(statement, source, accused, claim.text)
            if decided is not None:
                statement.stance = decided  # type: ignore[assignment]
                statement.stance_confidence = RULE_CONFIDENCE
            else:
                pending.append((statement, claim, accused, relays(statement, source)))
    pairs = [(claim.text, st.text) for st, claim, _, _ in pending] + list(extra_pairs)
    predictions: list[tuple[str, float]]
    if not pairs:
        predictions = []
    elif model is None:
        predictions = [("supports", 0.5)] * len(pairs)
    else:
        predictions = [(str(label), float(conf)) for label, conf in model.predict(pairs)]
        if len(predictions) != len(pairs):
            raise ModelError(f"stance model returned {len(predictions)} predictions for {len(pairs)} pairs")
    for (statement, _claim, accused, relay), (label, confidence) in zip(
        pending, predictions[: len(pending)], strict=True
    ):
        statement.stance = _from_model(label, confidence, accused, relay)  # type: ignore[assignment]
        statement.stance_confidence = round(float(confidence), 4)
    return predictions[len(pending) :]


def _from_model(label: str, confidence: float, accused: Accused, relay: bool) -> str:
    if label == "disputes" and confidence >= 0.5:
        return "denies" if _is(accused) else "disputes"
    if label == "discusses" and relay:
        return "reports"
    return "supports"
