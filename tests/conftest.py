"""Shared fixtures: hand-built documents and corpora, small article files, SQLite and a real PostgreSQL server.

The PostgreSQL fixture starts PostgreSQL 15 on a loopback port in a temporary folder (as the ``postgres``
OS user when the tests run as root) and stops it after the session. Missing server binaries make the
tests that need it *fail* with the command to install them; they are never skipped.
"""

from __future__ import annotations

import os
import shlex
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

from claimgraph.model import (
    Alias,
    Claim,
    Corpus,
    Document,
    Entity,
    Grade,
    Mention,
    Relation,
    Removed,
    Source,
    Statement,
)

# CI is deterministic: the property tests draw the same examples on every run (locally they explore anew)
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

# ---------------------------------------------------------------------------- shared data sets (../shared)

_REPO = Path(__file__).resolve().parents[1]
#: marker -> (environment variable, default folder, a file or folder that must be inside it)
SHARED_DATA: dict[str, tuple[str, Path, str]] = {
    "fnc1": ("CLAIMGRAPH_FNC1_DIR", _REPO.parent / "shared" / "data" / "fnc1", "train_bodies.csv"),
    "polnear": ("CLAIMGRAPH_POLNEAR_DIR", _REPO.parent / "shared" / "data" / "polnear", "dev"),
}


def shared_data_dir(marker: str) -> Path | None:
    """The folder of a shared data set (``$VARIABLE`` or ``<repo>/../shared/data/...``), or None when absent."""
    variable, default, probe = SHARED_DATA[marker]
    folder = Path(os.environ.get(variable) or default)
    return folder if (folder / probe).exists() else None


def shared_data_skip_reason(marker: str) -> str:
    variable, default, probe = SHARED_DATA[marker]
    folder = os.environ.get(variable) or str(default)
    return f"{marker} data not found ({folder}/{probe} is missing): set {variable} to the {marker} folder"


#: Test modules that leave threads running in the test process: ``distributed`` keeps its "IO loop" and
#: "Dask-Offload" threads alive after the cluster and client are closed. A process that forks while another
#: thread runs may give a child that waits forever on a lock that thread held at the fork (CPython 3.12
#: warns about such forks); ``analyze`` forks its worker pools, so these modules run after every other test.
THREAD_LEAVING_MODULES = ("test_dask.py",)

#: Test modules whose runs fork worker pools (``--jobs 2`` on inputs large enough to start workers). They run
#: first, while the test process has no threads left by other tests (servers, watchers, pools): a worker
#: forked beside such a thread once waited forever on a lock from its first instant (seen 2026-12-02).
FORKING_MODULES = ("test_jobs.py",)


def _threaded_modules_last(items: list[pytest.Item]) -> None:
    """Move the tests of :data:`FORKING_MODULES` to the start and those of :data:`THREAD_LEAVING_MODULES` to
    the end, keeping every other order."""
    tests = Path(__file__).resolve().parent

    def top(item: pytest.Item, names: tuple[str, ...]) -> bool:
        """A module of ``tests/`` itself (``tests/server/test_jobs.py`` is another module)."""
        return item.path.name in names and item.path.resolve().parent == tests

    early = [item for item in items if top(item, FORKING_MODULES)]
    late = [item for item in items if top(item, THREAD_LEAVING_MODULES)]
    middle = [item for item in items if not top(item, FORKING_MODULES + THREAD_LEAVING_MODULES)]
    items[:] = early + middle + late


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``fnc1`` or ``polnear`` skip, naming the variable to set, when their data is absent.

    CI sets both variables and fails before the tests when the data is missing (``.ci/run``), so there the
    tests always run.
    """
    _threaded_modules_last(items)
    for marker in SHARED_DATA:
        if shared_data_dir(marker) is not None:
            continue
        skip = pytest.mark.skip(reason=shared_data_skip_reason(marker))
        for item in items:
            if item.get_closest_marker(marker) is not None:
                item.add_marker(skip)


# ---------------------------------------------------------------------------- documents and corpora

MakeDoc = Callable[..., Document]


@pytest.fixture
def make_doc() -> MakeDoc:
    """Build a :class:`Document` by hand: ``make_doc(3)`` is a distinct article about invented people."""

    def build(
        n: int = 1, *, text: str | None = None, doc_id: str | None = None, **fields: object
    ) -> Document:
        values: dict[str, object] = {
            "id": doc_id or f"doc-{n:04d}",
            "path": f"articles/{n:04d}.txt",
            "url": f"https://meridian-post.example/{n}",
            "title": f"Kestria port reopens, report {n}",
            "authors": ["Jane Roe"],
            "published": "2024-03-05",
            "outlet": "The Meridian Post",
            "text": text
            if text is not None
            else f"The port of Kestria reopened on day {n}, officials said.\n\nJane Roe reported from Veloria.",
            "content_hash": f"hash-{n:04d}" if text is None and doc_id is None else "",
        }
        values.update(fields)
        return Document(**values)  # type: ignore[arg-type]

    return build


def build_full_corpus() -> Corpus:
    """A small corpus with every record type and every field set, from the model's own classes."""
    doc_a = Document(
        id="doc-a",
        path="in/a.html",
        url="https://meridian-post.example/a",
        title="Veloria recruits captured fighters, consultant says",
        authors=["John Doe", "Ann Poe"],
        published="2024-03-05",
        outlet="The Meridian Post",
        text="John Doe said Veloria recruits captured fighters.\n\nAn expert called it hypothetical to date.",
        duplicate_of=None,
        removed=Removed(
            boilerplate_lines=["Sign up for our newsletter"],
            duplicate_paragraphs=1,
            duplicate_paragraph_texts=["Veloria denies it."],
        ),
        format="html",
        content_hash="c" * 64,
        encoding="windows-1252",
    )
    doc_b = Document(
        id="doc-b",
        path="in/feed.rss#2",
        url=None,
        title=None,
        authors=[],
        published=None,
        outlet=None,
        text="Veloria recruits captured fighters, John Doe said.",
        duplicate_of="doc-a",
        format="rss",
        content_hash="d" * 64,
    )
    person = Entity(
        id="ent-doe",
        name="John Doe",
        type="person",
        aliases=[
            Alias(name="Doe", document_id="doc-a", rule="surname"),
            Alias(name="J. Doe", document_id=None, rule="fuzzy"),
        ],
        mentions=2,
        mention_spans=[Mention(document_id="doc-a", start=0, end=8, text="John Doe", part="text")],
        document_ids=["doc-a", "doc-b"],
        degree=1,
        betweenness=0.5,
        community=0,
    )
    country = Entity(id="ent-veloria", name="Veloria", type="location", mentions=2, document_ids=["doc-a"])
    consultant = Source(
        id="src-doe",
        label="John Doe",
        kind="person",
        entity_id="ent-doe",
        description=None,
        document_ids=["doc-a", "doc-b"],
        affiliated_source_ids=["src-outlet"],
        role="consultant",
    )
    anonymous = Source(
        id="src-anon", label="an expert", kind="anonymous", description="an expert", document_ids=["doc-a"]
    )
    outlet = Source(id="src-outlet", label="The Meridian Post", kind="outlet")
    said = Statement(
        id="st-1",
        document_id="doc-a",
        source_id="src-doe",
        text="Veloria recruits captured fighters",
        cue="said",
        mode="indirect",
        certainty="asserted",
        certainty_cues=[],
        start=14,
        end=48,
        entity_ids=["ent-veloria"],
        part="text",
        stance="supports",
        claim_id="cl-1",
        stance_confidence=0.9,
        speaker_text="John Doe",
        cited_source_ids=[],
        sentence_start=0,
        sentence_end=49,
    )
    doubt = Statement(
        id="st-2",
        document_id="doc-a",
        source_id="src-anon",
        text="hypothetical to date",
        cue="called",
        mode="indirect",
        certainty="hedged",
        certainty_cues=["hypothetical"],
        start=70,
        end=90,
        stance="disputes",
        claim_id="cl-1",
    )
    headline = Statement(
        id="st-3",
        document_id="doc-a",
        source_id="src-outlet",
        text="Veloria recruits captured fighters",
        cue=None,
        mode="assertion",
        certainty="asserted",
        certainty_cues=[],
        start=0,
        end=34,
        part="title",
        cited_source_ids=["src-doe"],
    )
    grade = Grade(
        reliability="F",
        credibility=4,
        admiralty="F4",
        confidence=30,
        explanation="Rests on one origin (John Doe, consultant). Disputed by one expert.",
    )
    claim = Claim(
        id="cl-1",
        text="Veloria recruits captured fighters",
        statement_ids=["st-1", "st-2"],
        first_seen="2024-03-05",
        origin_source_ids=["src-doe"],
        independent_sources=1,
        supporting=1,
        disputing=1,
        reporting=0,
        denying=0,
        declining=0,
        circular=True,
        grade=grade,
        document_ids=["doc-a", "doc-b"],
        outlets=["The Meridian Post"],
        entity_ids=["ent-veloria"],
        attention=2.5,
        chains=[["src-outlet", "src-doe"]],
        origin_first_seen={"src-doe": "2024-03-05", "src-anon": None},
    )
    relation = Relation(
        id="rel-1",
        subject="ent-veloria",
        predicate="recruits",
        object="ent-doe",
        statement_ids=["st-1"],
        source_ids=["src-doe"],
        grade=grade,
        claim_ids=["cl-1"],
    )
    corpus = Corpus(
        documents=[doc_b, doc_a],
        entities=[person, country],
        sources=[consultant, anonymous, outlet],
        statements=[said, doubt, headline],
        claims=[claim],
        relations=[relation],
        problems=[
            {"path": "in/broken.jsonl", "code": "E008", "reason": "malformed JSON on line 3: Expecting value"}
        ],
        network={"nodes": ["ent-doe", "ent-veloria"], "edges": [["ent-veloria", "ent-doe", "recruits"]]},
        timeline=[{"claim_id": "cl-1", "first_seen": "2024-03-05"}],
    )
    corpus.sort()
    return corpus


@pytest.fixture
def full_corpus() -> Corpus:
    return build_full_corpus()


# ---------------------------------------------------------------------------- small article files

ARTICLE = """Kestria port {verb} after storm, day {n}

By Jane Roe and John Doe

Mar. {day}, 2024

The port of Kestria {verb} on day {n} of the storm season, harbour officials in Veloria said on Tuesday.

"We expect ships to move again within the week," said Ann Poe, a spokesperson for the Kestria Harbour Authority.

Fishing crews from the northern villages waited for the all-clear, according to the Meridian Post, and {n} vessels queued outside.
"""

_VERBS = ("reopened", "closed again", "stayed shut", "resumed partial traffic")


def _write_articles(folder: Path, count: int, start: int = 0) -> list[Path]:
    """Write ``count`` distinct plain-text articles (invented story) into ``folder``; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(start, start + count):
        path = folder / f"article-{n:04d}.txt"
        text = ARTICLE.format(n=n, day=1 + n % 28, verb=_VERBS[n % len(_VERBS)])
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


WriteArticles = Callable[..., list[Path]]


@pytest.fixture
def write_articles() -> WriteArticles:
    """``write_articles(folder, count, start=0)``: write distinct plain-text articles, return their paths."""
    return _write_articles


def _copy_sample_corpus(folder: Path) -> list[Path]:
    """Copy the bundled sample corpus's files into ``folder`` (created); return the copies' paths, sorted."""
    from claimgraph.data import sample_corpus_path

    folder.mkdir()
    files = []
    for path in sorted(sample_corpus_path().iterdir()):
        if path.is_file():
            shutil.copy(path, folder / path.name)
            files.append(folder / path.name)
    return files


@pytest.fixture
def copy_sample_corpus() -> Callable[[Path], list[Path]]:
    """``copy_sample_corpus(folder)``: the sample corpus copied into a new ``folder``, its files' paths."""
    return _copy_sample_corpus


def _fnc1_body_files(folder: Path, n: int = 16) -> list[Path]:
    """The first ``n`` FNC-1 training bodies written as ``body-NNN.txt`` files into a new ``folder`` (the test
    is skipped, naming ``CLAIMGRAPH_FNC1_DIR``, when the data is absent)."""
    import csv
    import sys

    bodies = (
        Path(os.environ.get("CLAIMGRAPH_FNC1_DIR", _REPO.parent / "shared" / "data" / "fnc1"))
        / "train_bodies.csv"
    )
    if not bodies.is_file():
        pytest.skip(f"FNC-1 bodies not found at {bodies}: set CLAIMGRAPH_FNC1_DIR")
    csv.field_size_limit(sys.maxsize)
    with bodies.open(encoding="utf-8", newline="") as fh:
        texts = [row["articleBody"] for row, _ in zip(csv.DictReader(fh), range(n), strict=False)]
    folder.mkdir()
    files = [folder / f"body-{i:03d}.txt" for i in range(len(texts))]
    for path, text in zip(files, texts, strict=True):
        path.write_text(text, encoding="utf-8")
    return files


@pytest.fixture
def fnc1_body_files() -> Callable[..., list[Path]]:
    """``fnc1_body_files(folder, n=16)``: real news bodies as text files in a new ``folder``, their paths."""
    return _fnc1_body_files


# ---------------------------------------------------------------------------- stores


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    """A fresh SQLite workspace store (test_postgres.py overrides this with a PostgreSQL database)."""
    return f"sqlite:///{(tmp_path / 'ws' / 'claimgraph.db').as_posix()}"


@dataclass(frozen=True)
class PostgresServer:
    host: str
    port: int
    user: str

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{self.user}@{self.host}:{self.port}/{database}"


_PG_VERSIONS = ("15", "16", "17", "14", "13")


def _postgres_bindir() -> Path:
    for version in _PG_VERSIONS:
        candidate = Path(f"/usr/lib/postgresql/{version}/bin")
        if (candidate / "initdb").exists() and (candidate / "pg_ctl").exists():
            return candidate
    found = shutil.which("pg_ctl")
    if found and shutil.which("initdb"):
        return Path(found).resolve().parent
    pytest.fail(
        "PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found in /usr/lib/postgresql/*/bin or on PATH; "
        "install them with `apt-get install postgresql`",
        pytrace=False,
    )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A real PostgreSQL server on 127.0.0.1, in a temporary folder, stopped at the end of the session."""
    bindir = _postgres_bindir()
    as_root = os.geteuid() == 0
    prefix: list[str] = []
    if as_root:
        runuser = shutil.which("runuser")
        prefix = [runuser, "-u", "postgres", "--"] if runuser else ["su", "postgres", "-s", "/bin/sh", "-c"]
    base = Path(tempfile.mkdtemp(prefix="claimgraph-pg-"))
    data, sockets, log = base / "data", base / "sock", base / "server.log"
    sockets.mkdir()
    if as_root:
        for path in (base, sockets):
            shutil.chown(path, "postgres", "postgres")

    def run(args: list[str]) -> subprocess.CompletedProcess[str]:
        command = [*prefix, shlex.join(args)] if prefix[:1] == ["su"] else [*prefix, *args]
        return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)

    port = _free_port()
    started = False
    try:
        init = run(
            [
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-sync",
            ]
        )
        if init.returncode != 0:
            pytest.fail(f"initdb failed: {init.stderr.strip() or init.stdout.strip()}", pytrace=False)
        server_opts = (
            f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
        )
        start = run(
            [
                str(bindir / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(log),
                "-w",
                "-t",
                "60",
                "-o",
                server_opts,
                "start",
            ]
        )
        if start.returncode != 0:
            detail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            pytest.fail(f"pg_ctl start failed: {start.stderr.strip()} {detail}", pytrace=False)
        started = True
        server = PostgresServer(host="127.0.0.1", port=port, user="postgres")
        _wait_ready(server)
        yield server
    finally:
        if started:
            run([str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"])
        shutil.rmtree(base, ignore_errors=True)


def _wait_ready(server: PostgresServer) -> None:
    import psycopg

    deadline = time.monotonic() + 30
    while True:
        try:
            with psycopg.connect(server.url(), connect_timeout=2):
                return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> str:
    """A fresh, empty database on the session's PostgreSQL server, as a ``postgresql://`` URL."""
    import psycopg

    name = f"cg_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_server.url(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')  # type: ignore[arg-type]
    return postgres_server.url(name)
