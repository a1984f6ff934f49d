"""The pipeline stage ``claimgraph.attribution.v1``: documents -> entities, sources, statements."""

from __future__ import annotations

import functools
import hashlib
import itertools
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from ..model import UNNAMED_OUTLET, Corpus, Document, Part, Source, Statement, stable_id, stable_ids
from ..options import Options
from ..parallel import ordered_map, processes_for
from ..pipeline import RunContext, stage
from .gazetteer import AliasMatcher, ids_inside, outlet_mentions
from .resolution import MentionRecord, resolve_entities
from .scanmemo import scan_documents
from .sources import SourceBuilder

if TYPE_CHECKING:
    from ..store import Store

__all__ = [
    "ANNOTATION_VERSION",
    "annotate_documents",
    "annotation_key",
    "attribute",
    "attribution_stage",
    "title_speaks",
]

#: Bumped whenever the per-document annotations change shape or rules. The cache key also carries a
#: fingerprint of this package's source and the spaCy version, so an edited rule never serves stale results.
ANNOTATION_VERSION = "attribution.v1.15"


@functools.cache
def _code_fingerprint() -> str:
    # spaCy's version from its installed metadata: the same string as ``spacy.__version__``, without
    # importing spaCy (seconds) on a run whose every annotation is cached
    digest = hashlib.sha256(_spacy_version().encode())
    vocab_data = Path(__file__).parent.parent / "vocab" / "data"
    reference = Path(__file__).parent.parent / "reference"  # country and alias tables read by the entities
    for path in [
        *sorted(Path(__file__).parent.glob("*.py")),
        *sorted(vocab_data.glob("*.jsonl")),
        *sorted(reference.glob("*.py")),
        *sorted((reference / "data").glob("*.tsv")),
    ]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _spacy_version() -> str:
    from importlib import metadata

    try:
        return metadata.version("spacy")
    except metadata.PackageNotFoundError:  # pragma: no cover - spaCy importable without its metadata
        import spacy

        return str(spacy.__version__)


def annotation_key(model: str, doc: Document, window_chars: int | None = None) -> str:
    """The store-cache key of one document's annotations: rules version, code, model and content; for a
    text analysed in windows (longer than ``window_chars``), also the window size, which shapes the result."""
    key = f"{ANNOTATION_VERSION}:{_code_fingerprint()}:{model}:{doc.content_hash}"
    if window_chars and len(doc.text) > window_chars:
        key += f":w{window_chars}"
    return key


def annotate_documents(
    documents: Sequence[Document],
    options: Options,
    cache: Store | None = None,
    advance: Callable[[int], None] | None = None,
    on_failure: Callable[[Document, str], None] | None = None,
) -> dict[str, dict[str, Any]]:
    """Run the spaCy attribution pipeline on every document's text and title.

    A document spaCy fails on (too long for ``nlp.max_length``, or any error) is passed to ``on_failure``
    with a one-line reason and left out of the result; the others are annotated (see :func:`_isolated`).

    Returns ``doc_id -> {"text": {mentions, statements, affiliations}, "title": {mentions}}`` (plain data,
    cached in the store per document and model when a store is given).
    """
    from .nlp import default_model_name, load_pipeline

    model = options.spacy_model or default_model_name()
    out: dict[str, dict[str, Any]] = {}
    todo: list[Document] = []
    keys = {doc.id: annotation_key(model, doc, options.window_chars) for doc in documents}
    cached: dict[str, dict[str, Any]] = {}
    if cache is not None and hasattr(cache, "get_annotations"):
        cached = cache.get_annotations(keys)  # one query per 500 documents
    elif cache is not None:
        cached = {i: v for i, k in keys.items() if (v := cache.get_annotation(i, k)) is not None}
    for doc in documents:
        hit = cached.get(doc.id)
        if hit is not None:
            out[doc.id] = hit
            if advance is not None:
                advance(1)
        else:
            todo.append(doc)
    if not todo:
        return out
    nlp = load_pipeline(model)
    # a text over the window size is analysed in windows, one document at a time, in this process
    # (claimgraph.attribution.windows); every other document takes the one-pass path below
    long_docs = [doc for doc in todo if len(doc.text or "") > options.window_chars]
    short_docs = [doc for doc in todo if len(doc.text or "") <= options.window_chars]

    def items() -> Any:
        for doc in short_docs:
            yield doc.text or "", (doc.id, "text")
            yield _title_for_model(doc, nlp), (doc.id, "title")

    # --jobs: worker processes only when there is enough work for them (claimgraph.parallel); one pool
    # for the whole run, chunks handed out in order, so the result is the one-process result
    n_process = processes_for(options.n_process, 2 * len(short_docs), options.batch_size)
    if n_process > 1:
        annotated = _annotate_in_workers(items(), options, model, short_docs, on_failure, n_process)
    else:
        annotated = (
            (context, _part_annotation(sdoc, context[1], nlp))
            for sdoc, context in _isolated(nlp, items(), options, short_docs, on_failure)
        )
    if long_docs:
        annotated = itertools.chain(annotated, _windowed(nlp, long_docs, options, on_failure))
    titles = {doc.id: doc.title or "" for doc in todo}
    for (doc_id, part), data in annotated:
        if part == "title":
            _own_surfaces(data, titles.get(doc_id, ""))
        out.setdefault(doc_id, {})[part] = data
        if part == "title" and advance is not None:
            advance(1)
    todo = [doc for doc in todo if "text" in out.get(doc.id, {}) and "title" in out[doc.id]]
    if cache is not None:
        put_annotations(cache, [(doc.id, keys[doc.id], out[doc.id]) for doc in todo])
    return out


def _title_for_model(doc: Document, nlp: Any = None) -> str:
    """The headline as the NER model reads it: a headline set in capitals or in title case cased as the
    article's body writes its words (:func:`~claimgraph.attribution.truecase.truecase_title`; the same length;
    with ``nlp``, a title-case word the body does not have goes to lower case when the model's lemmatizer
    tables know it: :func:`~claimgraph.attribution.nlp.english_words`)."""
    from .nlp import english_words
    from .truecase import truecase_title

    known = english_words(nlp) if nlp is not None else None
    return truecase_title(doc.title or "", doc.text or "", known)


def _own_surfaces(data: dict[str, Any], title: str) -> None:
    """Each title mention's ``text`` as the headline itself writes it (the model read it recased, with the
    same offsets: :func:`_title_for_model`); its ``name`` stays as recased, except that a word the recasing
    left in lower case (the article's body does not write it) is capitalised when the headline set it in
    capitals, or when the headline in title case capitalised a name that the recasing took for a word: a name
    (``JOHNSON`` is ``Johnson``, not ``johnson``; ``King County`` stays so; :func:`headline_name`)."""
    for mention in data.get("mentions", []):
        start, end = mention.get("start"), mention.get("end")
        if isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(title):
            mention["text"] = title[start:end]
            name = mention.get("name")
            if isinstance(name, str) and (
                mention["text"].isupper() or (name[:1].islower() and mention["text"][:1].isupper())
            ):
                mention["name"] = headline_name(name)


def headline_name(name: str) -> str:
    """A name from a headline set in capitals, its lower-case words capitalised (the recasing found no
    spelling of them in the body); a joining word after the first (spaCy's English stop words: ``of``,
    ``the``, ``de``... ) stays in lower case: ``bank of zarovia`` -> ``Bank of Zarovia``."""
    from ..vocab import spacy_stop_words

    stop_words = spacy_stop_words("en")

    words = name.split(" ")
    for k, word in enumerate(words):
        if word.islower() and (k == 0 or word not in stop_words):
            words[k] = word[:1].upper() + word[1:]
    return " ".join(words)


def put_annotations(cache: Any, entries: Sequence[tuple[str, str, Any]]) -> None:
    """Keep ``(document id, annotation key, annotations)`` entries in ``cache``: in one transaction where it
    has :meth:`~claimgraph.store.Store.put_annotations`, else one ``put_annotation`` each (a store of only
    the annotation-cache methods)."""
    if hasattr(cache, "put_annotations"):
        cache.put_annotations(entries)
    else:
        for doc_id, key, data in entries:
            cache.put_annotation(doc_id, key, data)


def _windowed(
    nlp: Any,
    docs: Sequence[Document],
    options: Options,
    on_failure: Callable[[Document, str], None] | None,
) -> Any:
    """``((doc_id, part), annotation)`` of documents whose text is over ``options.window_chars``: the
    text analysed window by window (each window's spaCy Doc dropped once its plain data is kept), the
    title whole. A document over ``options.max_chars``, one that raises, or one over the memory budget
    ``options.max_memory_mb`` (E311) is passed to ``on_failure`` and left out."""
    for doc in docs:
        size = len(doc.text or "")
        if size > options.max_chars:  # stored by an older claimgraph, or with a higher --max-chars
            if on_failure is not None:
                on_failure(
                    doc, f"text has {size} characters, over the cap of {options.max_chars} (--max-chars)"
                )
            continue
        try:
            text = _windowed_text(nlp, doc.text or "", options)
            title = _part_annotation(nlp(_title_for_model(doc, nlp)), "title", nlp)
        except _OverBudget as exc:
            reason = str(exc)
        except Exception as exc:  # one document never stops the others
            reason = f"{type(exc).__name__}: {exc}"
        else:
            yield (doc.id, "text"), text
            yield (doc.id, "title"), title
            continue
        if on_failure is not None:
            on_failure(doc, reason)


class _OverBudget(Exception):
    """A windowed document grew this process's memory past ``options.max_memory_mb``."""


def _windowed_text(nlp: Any, text: str, options: Options) -> dict[str, Any]:
    """The annotation of one long text from its windows, offsets into the whole text."""
    from ..errors import Errors
    from .windows import current_rss_mb, merge_annotations, shift_offsets, split_windows

    nlp.max_length = max(nlp.max_length, options.window_chars + 1)
    before = current_rss_mb()
    parts = []
    for start, window in split_windows(text, options.window_chars):
        data = _part_annotation(nlp(window), "text", nlp)
        parts.append(shift_offsets(data, start) if start else data)
        grown = current_rss_mb() - before
        if options.max_memory_mb and grown > options.max_memory_mb:
            raise _OverBudget(Errors.E311.format(grown=grown, budget=options.max_memory_mb))
    return merge_annotations(parts)


def _part_annotation(sdoc: Any, part: str, nlp: Any) -> dict[str, Any]:
    """The plain data kept of one annotated text (``part`` ``text``) or title (annotated by ``nlp``; a title
    keeps its ``calls_unfounded`` reading, :func:`claimgraph.attribution.readings.title_reading`)."""
    if part == "text":
        return {
            "mentions": sdoc._.cg_mentions or [],
            "statements": sdoc._.cg_statements or [],
            "affiliations": sdoc._.cg_affiliations or [],
            "demonyms": sdoc._.cg_demonyms or [],
        }
    from .readings import title_reading

    return {
        "mentions": sdoc._.cg_mentions or [],
        "demonyms": sdoc._.cg_demonyms or [],
        "calls_unfounded": title_reading(nlp, sdoc),
    }


def _isolated(
    nlp: Any,
    items: Any,
    options: Options,
    todo: Sequence[Document],
    on_failure: Callable[[Document, str], None] | None,
    n_process: int = 1,
) -> Any:
    """``nlp.pipe`` over ``(text, (doc_id, part))`` items, one failing document never stopping the others.

    Texts over ``nlp.max_length`` (raised to ``options.max_chars`` when that is higher) are refused before
    spaCy sees them. A batch that raises is redone one document at a time to find and skip the culprit.
    """
    by_id = {doc.id: doc for doc in todo}

    def fail(doc_id: str, reason: str) -> None:
        out = by_id.get(doc_id)
        if on_failure is not None and out is not None:
            on_failure(out, reason)

    return _isolated_ids(nlp, items, options, fail, n_process)


def _isolated_ids(
    nlp: Any, items: Any, options: Options, on_failure: Callable[[str, str], None], n_process: int = 1
) -> Any:
    """:func:`_isolated` reporting a failed document by its id (once)."""

    nlp.max_length = max(nlp.max_length, options.max_chars + 1)
    failed: set[str] = set()

    def fail(doc_id: str, reason: str) -> None:
        if doc_id not in failed:
            failed.add(doc_id)
            on_failure(doc_id, reason)

    def admitted() -> Any:
        for text, (doc_id, part) in items:
            if len(text) >= nlp.max_length:
                fail(doc_id, f"{part} has {len(text)} characters, over spaCy's max_length {nlp.max_length}")
            elif doc_id not in failed:
                yield text, (doc_id, part)

    stream = admitted()
    chunk = max(options.batch_size, 1) * 8 * max(n_process, 1)
    while batch := list(itertools.islice(stream, chunk)):
        try:
            done = list(nlp.pipe(batch, as_tuples=True, batch_size=options.batch_size, n_process=n_process))
        except Exception:  # one bad document: find it, one at a time
            done = []
            for text, context in batch:
                if context[0] in failed:
                    continue
                try:
                    done.extend(nlp.pipe([(text, context)], as_tuples=True))
                except Exception as exc:
                    fail(context[0], f"{type(exc).__name__}: {exc}")
        yield from ((sdoc, context) for sdoc, context in done if context[0] not in failed)


#: Per worker process: the attribution pipeline and the options (set by :func:`_worker_start`).
_WORKER: dict[str, Any] = {}


def _worker_start(model: str, options: Options) -> None:
    from .nlp import load_pipeline

    _WORKER["nlp"] = load_pipeline(model)  # forked workers find it loaded already
    _WORKER["options"] = options


def _worker_chunk(
    chunk: list[tuple[str, tuple[str, str]]],
) -> tuple[list[tuple[tuple[str, str], dict[str, Any]]], list[tuple[str, str]]]:
    """One chunk in a worker: the plain annotations of its texts and the documents that failed."""
    failures: list[tuple[str, str]] = []
    done = [
        (context, _part_annotation(sdoc, context[1], _WORKER["nlp"]))
        for sdoc, context in _isolated_ids(
            _WORKER["nlp"],
            chunk,
            _WORKER["options"],
            lambda doc_id, reason: failures.append((doc_id, reason)),
        )
    ]
    return done, failures


def _annotate_in_workers(
    items: Any,
    options: Options,
    model: str,
    todo: Sequence[Document],
    on_failure: Callable[[Document, str], None] | None,
    n_process: int,
) -> Any:
    """The spaCy pass over ``items`` in ``n_process`` workers started once (:func:`claimgraph.parallel.ordered_map`);
    yields ``((doc_id, part), annotation)`` in the items' order, minus every part of a failed document."""

    by_id = {doc.id: doc for doc in todo}
    size = max(options.batch_size, 1) * 4  # texts per chunk (both parts of a document stay together)
    size += size % 2
    chunks = iter(lambda: list(itertools.islice(items, size)), [])
    failed: set[str] = set()
    for done, failures in ordered_map(_worker_chunk, chunks, n_process, _worker_start, (model, options)):
        for doc_id, reason in failures:
            if doc_id not in failed:
                failed.add(doc_id)
                if on_failure is not None and doc_id in by_id:
                    on_failure(by_id[doc_id], reason)
        yield from ((context, data) for context, data in done if context[0] not in failed)


def _outlet_name(doc: Document) -> str:
    if doc.outlet:
        return doc.outlet
    if doc.url:
        host = urlparse(doc.url).netloc
        if host:
            return host.removeprefix("www.")
    return UNNAMED_OUTLET


_PARTS: tuple[Part, ...] = ("text", "title")


def attribute(
    corpus: Corpus,
    options: Options,
    cache: Store | None = None,
    advance: Callable[[int], None] | None = None,
    on_failure: Callable[[Document, str], None] | None = None,
) -> None:
    """Fill ``corpus.entities``, ``corpus.sources`` and ``corpus.statements`` from ``corpus.documents``."""
    docs = sorted(corpus.documents, key=lambda d: d.id)
    ann = annotate_documents(docs, options, cache, advance, on_failure)
    records: list[MentionRecord] = []
    for doc in docs:
        entry = ann.get(doc.id, {})
        for which in _PARTS:
            for m in entry.get(which, {}).get("mentions", []):
                records.append(MentionRecord.from_dict(doc.id, which, m))
    records = outlet_mentions(docs, records)
    authors = {d.id: list(d.authors) for d in docs if d.authors}
    demonyms = sorted(
        {d for entry in ann.values() for part in entry.values() for d in part.get("demonyms", [])}
    )
    outlets = {d.id: [d.outlet] for d in docs if d.outlet}
    index = resolve_entities(records, authors, demonyms, outlets)
    builder = SourceBuilder(index)
    statements: dict[str, Statement] = {}
    spans_by_doc: dict[tuple[str, str], list[tuple[int, int, str]]] = {}
    for (doc_id, part, s, e), eid in index.by_span.items():
        spans_by_doc.setdefault((doc_id, part), []).append((s, e, eid))

    matcher = AliasMatcher(index.entities)
    texts = {(d.id, "text"): d.text or "" for d in docs} | {(d.id, "title"): d.title or "" for d in docs}
    #: (doc_id, part) -> its NER spans and its known names' matches as one sorted list of ``(start, end, id)``
    #: (made on first use): a span's entities are those of both lists inside it, found by one search
    merged: dict[tuple[str, str], list[tuple[int, int, str]]] = {}

    def entities_in(doc_id: str, part: str, start: int, end: int) -> list[str]:
        """Entities mentioned in the span (NER mentions), plus every known name and demonym in it."""
        spans = merged.get((doc_id, part))
        if spans is None:
            spans = [*spans_by_doc.get((doc_id, part), ()), *matcher.matches(doc_id, texts[(doc_id, part)])]
            spans.sort()
            merged[(doc_id, part)] = spans
        return sorted(ids_inside(spans, start, end))

    # not beside a Dask client: its threads live in this process, and a fork copies none of them
    jobs = 1 if options.dask else options.n_process
    # every text's matches, read back from the store's previous scan where no changed table can reach
    # them (claimgraph.attribution.scanmemo); then each span's entities are lookups, done in this process
    if scan_documents(matcher, docs, cache, _code_fingerprint(), jobs).memo:
        jobs = 1
    headlines = {doc.id for doc in docs if title_speaks(doc)}  # the titles that make a statement
    named = _entities_of_spans(_statement_spans(docs, ann, headlines), entities_in, jobs)
    for doc in docs:
        entry = ann.get(doc.id, {})
        outlet = builder.outlet(_outlet_name(doc), doc.id)
        author_sources: list[Source] = []
        for a in doc.authors:
            src = builder.author(a, doc.id)
            builder.link(src, outlet)
            author_sources.append(src)
        own = author_sources[0] if author_sources else outlet
        if doc.id in headlines:
            t = doc.title or ""
            st, en = _title_span(t)
            _add(
                statements,
                stable_id("stmt", doc.id, "title", st, en),
                doc,
                outlet,
                "title",
                st,
                en,
                t[st:en],
                "assertion",
                None,
                None,
                [],
                named[(doc.id, "title", st, en)],
                None,
                st,
                en,
                calls_unfounded=entry.get("title", {}).get("calls_unfounded"),
            )
        text_ids = stable_ids("stmt", doc.id, "text")  # (start, end) -> the statement's id
        for rec in entry.get("text", {}).get("statements", []):
            spk = rec.get("speaker")
            found = None if rec["mode"] == "assertion" or spk is None else builder.from_speaker(spk, doc.id)
            src = found if found is not None else own
            cited: list[str] = []
            for c in rec.get("cited", []):
                cs = builder.from_speaker(c, doc.id)
                if cs is not None and cs.id != src.id and cs.id not in cited:
                    cited.append(cs.id)
            _add(
                statements,
                text_ids(rec["start"], rec["end"]),
                doc,
                src,
                "text",
                rec["start"],
                rec["end"],
                rec["text"],
                rec["mode"],
                rec.get("cue"),
                rec.get("stance"),
                cited,
                named[(doc.id, "text", rec["start"], rec["end"])],
                spk.get("text") if spk else None,
                rec.get("sentence_start"),
                rec.get("sentence_end"),
                certainty=rec.get("certainty", "asserted"),
                cues=rec.get("certainty_cues", []),
                calls_unfounded=rec.get("calls_unfounded"),
                negated_event=rec.get("negated_event"),
            )
    for doc in docs:
        for person, role, org in ann.get(doc.id, {}).get("text", {}).get("affiliations", []):
            builder.affiliate_person(doc.id, person, role, org)
    corpus.entities = index.entities
    corpus.sources = builder.finish()
    corpus.statements = [statements[sid] for sid in sorted(statements)]  # keyed by their ids


_Span = tuple[str, str, int, int]

#: Fewest statement spans per worker worth a fork for :func:`_entities_of_spans` (about 0.1 s of work).
MIN_SPANS_PER_WORKER = 2000


def title_speaks(doc: Document) -> bool:
    """Whether the document's title makes a statement of its own (the outlet's headline): it has words, and it
    is not the whole text again. A post, wire alert or feed entry given with its one line as both ``title`` and
    ``text`` (headline corpora and feeds often repeat it; the text reader takes a one-line file's line for its
    title too) says it once: the text's statements are the document's, each with its speaker and cue, and the
    same sentence is not counted twice (nor matched with itself into a claim of one document)."""
    from ..ingest.text import same_title  # the readers' own test of a line repeating the title

    title = doc.title or ""
    return bool(title.strip()) and not same_title(title, doc.text or "")


def _title_span(title: str) -> tuple[int, int]:
    """The headline without its surrounding white space, as ``(start, end)``."""
    st, en = 0, len(title)
    while st < en and title[st].isspace():
        st += 1
    while en > st and title[en - 1].isspace():
        en -= 1
    return st, en


def _statement_spans(
    docs: Sequence[Document], ann: dict[str, dict[str, Any]], headlines: set[str]
) -> list[_Span]:
    """``(doc_id, part, start, end)`` of every statement :func:`attribute` makes, in its order (``headlines``: the
    documents whose title makes a statement, :func:`title_speaks`)."""
    out: list[_Span] = []
    for doc in docs:
        if doc.id in headlines:
            out.append((doc.id, "title", *_title_span(doc.title or "")))
        out.extend(
            (doc.id, "text", rec["start"], rec["end"])
            for rec in ann.get(doc.id, {}).get("text", {}).get("statements", [])
        )
    return out


def _entities_of_spans(
    spans: list[_Span], entities_in: Callable[[str, str, int, int], list[str]], jobs: int
) -> dict[_Span, list[str]]:
    """``entities_in`` of every span. With ``--jobs`` over one core and enough spans, the spans are cut
    into consecutive slices computed in forked workers (:func:`claimgraph.parallel.split_map`): each
    span's answer depends only on the corpus-wide tables built before the fork (the entity index and the
    alias matcher, found in the worker's copy of memory), so the result is the one-process result."""
    from ..parallel import available_cores, split_map

    def compute(part: Sequence[_Span]) -> list[list[str]]:
        return [entities_in(*span) for span in part]

    workers = available_cores() if jobs <= 0 else jobs
    found = split_map("entities", compute, spans, workers, 1, MIN_SPANS_PER_WORKER)
    return dict(zip(spans, found, strict=True))


def _add(
    out: dict[str, Statement],
    sid: str,
    doc: Document,
    src: Source,
    part: str,
    start: int,
    end: int,
    text: str,
    mode: str,
    cue: str | None,
    stance: str | None,
    cited: list[str],
    entity_ids: list[str],
    speaker_text: str | None,
    sentence_start: int | None,
    sentence_end: int | None,
    certainty: str | None = None,
    cues: list[str] | None = None,
    calls_unfounded: bool | None = None,
    negated_event: list[str] | None = None,
) -> None:
    if certainty is None:
        from .certainty import certainty as certainty_of

        certainty, cues = certainty_of(text)
    # positionally, in the fields' order (a call by keyword costs more; made per statement)
    out[sid] = Statement(
        sid,
        doc.id,
        src.id,
        text,
        cue,
        mode,  # type: ignore[arg-type]
        certainty,  # type: ignore[arg-type]
        list(cues or []),
        start,
        end,
        entity_ids,
        part,  # type: ignore[arg-type]
        stance,  # type: ignore[arg-type]
        None,  # claim_id
        None,  # stance_confidence
        speaker_text,
        cited,
        sentence_start,
        sentence_end,
        calls_unfounded,
        None if negated_event is None else list(negated_event),
    )


@stage("claimgraph.attribution.v1", reads=["documents"], assigns=["entities", "sources", "statements"])
def attribution_stage(corpus: Corpus, ctx: RunContext) -> None:
    """Who said what: entities, sources and statements for every document (duplicates included)."""
    with ctx.task("who said what", total=len(corpus.documents)) as advance:
        attribute(
            corpus,
            ctx.options,
            ctx.cache,
            advance,
            on_failure=lambda doc, reason: ctx.document_failed(doc.path or doc.id, "attribution", reason),
        )
