"""Coded errors. Every user-facing problem has a code and says how to fix it.

Like spaCy's ``Errors``: a code, a message template and a hint. Dependency exceptions
(SQLAlchemy, lxml, warcio, ...) are mapped to these so callers only ever catch
:class:`ClaimgraphError` subclasses.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

__all__ = [
    "ClaimgraphError",
    "ConfigError",
    "Errors",
    "InputError",
    "InputProblem",
    "ModelError",
    "OutputError",
    "StoreError",
    "WorkspaceError",
]


class Errors(str, Enum):  # noqa: UP042 (str mixin keeps codes usable as plain strings)
    """Error codes with their message templates (``{}`` placeholders are filled by ``format``)."""

    # E0xx: input files
    E001 = "path does not exist"
    E002 = "cannot read file: {reason}"
    E003 = "file is empty"
    E004 = "file looks binary, not text or a known archive format"
    E005 = "cannot decode text (tried {tried})"
    E006 = "malformed HTML: {reason}"
    E007 = "malformed XML feed: {reason}"
    E008 = "malformed JSON on line {line}: {reason}"
    E009 = "truncated or malformed WARC: {reason}"
    E010 = "decompressed size exceeds the cap of {cap} bytes (possible gzip bomb); raise it with --max-bytes"
    E011 = "file is {size} bytes, over the cap of {cap} bytes; raise it with --max-bytes"
    E012 = "no article text found"
    E013 = "unsupported file type {suffix!r}; expected .html, .htm, .txt, .md, .jsonl, .csv, .rss, .atom, .xml, .warc or .warc.gz"
    E014 = "JSONL record on line {line} has neither 'text' nor 'html'"
    E015 = "no input matched {pattern!r}"
    E016 = "CSV file has no 'text' or 'html' column (columns: {columns})"
    E017 = "reading took over {seconds:g} s, the per-document time budget; the rest of this file is skipped"
    # E020-E029: URLs and feeds fetched over HTTP(S) (see docs/ingest.md, "URLs and feeds")
    E020 = "cannot fetch URL: {reason}"
    E021 = "no answer within {seconds:g} s (timeout); raise it with --timeout"
    E022 = "server answered HTTP {status} {phrase}"
    E023 = "not fetched: {reason}"
    E024 = "more than {cap} redirects; not followed further"
    E025 = "response is {size}, over the cap of {cap} bytes; raise it with --max-bytes"
    E026 = "unsupported content type {ctype!r}; expected {expected}"
    # E1xx: configuration and models
    E101 = "unknown registered function {name!r} in registry {registry!r}; available: {available}"
    E102 = (
        "spaCy model {name!r} is not installed; install it with `pip install {package}` or pass --model NAME"
    )
    E103 = "stance model artefact missing at {path}; rebuild it with `python benchmarks/train_stance.py`"
    E104 = "reliability registry {path}: {reason}"
    E105 = "CSV {path}: {reason}"
    E106 = "the [embeddings] extra is not installed; run `pip install 'claimgraph[embeddings]'`"
    E107 = "actor types file {path}: {reason}; expected YAML mapping entity names to threat-actor or intrusion-set"
    # E110-E119: running on a Dask cluster (--dask; see docs/scale.md)
    E110 = "--dask needs the [dask] extra, which is not installed; run `pip install 'claimgraph[dask]'`"
    E111 = "cannot use the Dask cluster {address!r}: {reason}"
    # E2xx: store
    E201 = "cannot open workspace store {url}: {reason}"
    E202 = (
        "workspace store {url} was written by an incompatible claimgraph schema {found}; expected {expected}"
    )
    E203 = "workspace store {url} holds no analysis yet; run `claimgraph analyze ... --db {url}` first"
    E204 = (
        "no workspace store at {path}; check the path or create one with `claimgraph analyze ... --db {path}`"
    )
    # E3xx: robustness (one document, one file or one run that must not break the others)
    E301 = "document has {size} characters, over the cap of {cap}; raise it with --max-chars (more memory)"
    E302 = "{stage} failed on this document: {reason}"
    E303 = (
        "workspace busy: another claimgraph run is writing to {where}{holder}; waited {waited:.0f} s (--wait)"
    )
    E304 = "cannot write {path}: {reason}"
    E305 = "workspace store {url} is damaged: {reason}"
    E306 = "{what} is nested too deeply (over {limit} levels)"
    E307 = "the output {path} is the input; choose another -o/--output"
    E308 = "symbolic link leaves the input folder ({target}); pass --follow-symlinks to read it"
    E309 = "unexpected error while reading: {reason}"
    E311 = (
        "analysing this document grew memory by {grown:.0f} MB, over the budget of {budget:g} MB "
        "(--max-memory); skipped"
    )
    # E4xx: the shared workspace (accounts, jobs, corrections; claimgraph.workspace, see docs/workspace.md)
    E401 = "user {name!r} already exists"
    E402 = "no such {what}: {ident}"
    E403 = "{what} is not valid: {reason}"
    E404 = "{path} is not inside the workspace's upload folder {folder}; refused"
    E405 = "user {name!r} ({role}) may not {action}"
    E310 = "internal error ({reason}); set CLAIMGRAPH_DEBUG=1 for the traceback and please report it"

    def format(self, **kwargs: object) -> str:  # type: ignore[override]
        return f"[{self.name}] " + self.value.format(**kwargs)


class ClaimgraphError(Exception):
    """Base class of every error claimgraph raises on purpose."""


class ConfigError(ClaimgraphError):
    """Bad option, unknown registry name, unreadable configuration file."""


class ModelError(ClaimgraphError):
    """A model (spaCy pipeline, stance model, embeddings) is missing or broken."""


class StoreError(ClaimgraphError):
    """The workspace store could not be opened or written."""


class WorkspaceError(ClaimgraphError):
    """A shared-workspace operation refused: a duplicate user, an unknown id, an invalid value (E4xx)."""


class OutputError(ClaimgraphError):
    """An output file could not be written (full disk, read-only folder, ...)."""


@dataclass(frozen=True)
class InputProblem:
    """A defined result for an input that could not be read: the file and the reason, in one line."""

    path: str
    code: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason} [{self.code}]"

    def to_dict(self) -> dict[str, str]:
        return {"path": self.path, "code": self.code, "reason": self.reason}


class InputError(ClaimgraphError):
    """One input file could not be read. Carries an :class:`InputProblem`."""

    def __init__(self, path: str, error: Errors, **kwargs: object) -> None:
        reason = error.value.format(**kwargs)
        self.problem = InputProblem(path=path, code=error.name, reason=reason)
        super().__init__(str(self.problem))
