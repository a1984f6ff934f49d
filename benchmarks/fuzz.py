"""Fuzz every reader and the command line; report crashes, hangs and peak memory.

    python benchmarks/fuzz.py --cases 100000            # the goal of issue 16
    python benchmarks/fuzz.py --cases 2000 --seed 7     # a quick run
    python benchmarks/fuzz.py --cases 500 --cli-every 5 # more command-line cases

Each case is a file built from a valid seed of one format (HTML, text, Markdown, JSONL, RSS, Atom, WARC,
gzip, a reliability registry in YAML or CSV, a ``stance`` CSV) by random mutations (byte flips, insertions,
deletions, duplications, truncation, splices of two seeds) and hostile pieces (deep nesting, long token
runs, many attributes, bidi and control characters, bogus charsets, BOMs, NUL bytes), with a random and
sometimes hostile file name (not UTF-8, terminal escapes). It is fed to:

- the reader for its suffix through ``claimgraph.ingest.iter_documents`` (+ the pipeline's ``admit``):
  every item must be a ``Document`` or an ``InputProblem``;
- the registry and CSV loaders: only ``ClaimgraphError`` may come out;
- every ``--nlp-every``-th case, the documents read go on through every analysis stage (attribution, claims,
  provenance) in process: a document a stage cannot analyse must become an ``E302`` problem;
- every ``--cli-every``-th case, ``claimgraph analyze`` itself through click's ``CliRunner`` (ingest, store,
  JSON/CSV/HTML outputs, the NLP stages left out): exit code 0 or 3, never a traceback.

Cases run in process, in forked workers recycled every ``--recycle`` cases (the parent imports everything and
loads the model once; see "the run" below). Case N of a seed is the same bytes whichever worker runs it:
re-run one with ``--seed S --start N --cases 1``.

A **crash** is any other exception, or a worker that dies inside a case (a signal, an abort in native code).
A **hang** is a case over ``--hang`` CPU seconds (default 10): a profiling interval timer (``ITIMER_PROF``)
interrupts Python code, and the parent kills a worker stuck in native code past the limit (its CPU time read
from ``/proc``). On a shared, loaded machine wall-clock time says more about the neighbours than about
claimgraph, so a case over ``--hang-wall`` wall-clock seconds (default 120) is killed and re-run alone with a
long wall limit, and judged by its CPU time: it is a hang only if it again runs out of time. Peak memory is
the largest maximum resident set size of a worker (the parent's warmed-up imports and model included).
Crashing and hanging cases are saved under ``--save``. Deterministic for a given ``--seed``.

The same generator and targets drive ``tests/test_fuzz.py`` (a bounded hypothesis slice in the test suite).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import resource
import signal
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["SEEDS", "Case", "Hang", "case_for", "make_case", "mutate", "run_case"]

_ARTICLE = (
    "Officials in Dorrington said on Monday that the river ferry would resume service next week, "
    "according to a statement from the transport office.\n\n"
    "\u201cWe are confident the repairs are complete,\u201d said Amira Lindqvist, a councillor.\n\n"
    "The opposition leader, Tomasz Okafor, denied that the delay had been caused by cuts.\n"
)


def _page(title: str, body: str) -> str:
    return (
        f"<html><head><meta charset='utf-8'><title>{title}</title>"
        "<meta property='og:site_name' content='Harbour Gazette'></head>"
        f"<body><nav>Home | World</nav><article><h1>{title}</h1>{body}</article><footer>(c)</footer></body></html>"
    )


def _warc(html: bytes, charset: str = "utf-8") -> bytes:
    http = f"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset={charset}\r\n".encode()
    http += f"Content-Length: {len(html)}\r\n\r\n".encode() + html
    head = (
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://news.example/ferry\r\n"
        "WARC-Date: 2021-04-01T00:00:00Z\r\nWARC-Record-ID: <urn:uuid:10000000-0000-0000-0000-000000000001>\r\n"
        f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(http)}\r\n\r\n"
    )
    return head.encode() + http + b"\r\n\r\n"


_BODY = "".join(f"<p>{p}</p>" for p in _ARTICLE.split("\n\n"))
_HTML = _page("Ferry to resume", _BODY).encode()
_ITEM = "<item><title>Ferry</title><link>https://news.example/f</link><description>{}</description></item>"

#: suffix -> valid seed bytes
SEEDS: dict[str, bytes] = {
    ".html": _HTML,
    ".txt": ("Ferry to resume\n\nBy Lena Marsh\nMarch 3, 2021\n\n" + _ARTICLE).encode(),
    ".md": ("# Ferry to resume\n\n*By Lena Marsh*\n\n" + _ARTICLE).encode(),
    ".jsonl": (
        json.dumps({"title": "Ferry", "text": _ARTICLE, "authors": ["Lena Marsh"], "published": "2021-03-03"})
        + "\n"
        + json.dumps({"title": "Quay", "html": _BODY, "url": "https://news.example/q"})
        + "\n"
    ).encode(),
    ".rss": (
        "<?xml version='1.0'?><rss version='2.0'><channel><title>Gazette</title>"
        + _ITEM.format(_ARTICLE.replace("\u201c", "&quot;").replace("\u201d", "&quot;"))
        + "</channel></rss>"
    ).encode(),
    ".atom": (
        "<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'><title>G</title>"
        f"<entry><title>Ferry</title><id>urn:x</id><updated>2021-03-03T00:00:00Z</updated><content>{_ARTICLE}"
        "</content></entry></feed>"
    ).encode(),
    ".warc": _warc(_HTML),
    ".warc.gz": gzip.compress(_warc(_HTML), mtime=0),
    ".txt.gz": gzip.compress(_ARTICLE.encode(), mtime=0),
    "registry.yaml": b"Harbour Gazette: B\nAmira Lindqvist: C\n- x\n",
    "registry.csv": b"name,reliability\nHarbour Gazette,B\nAmira Lindqvist,C\n",
    "stance.csv": ('id,claim,text\n1,The ferry resumes,"' + _ARTICLE.replace('"', "'") + '"\n').encode(),
}

_HOSTILE: tuple[Callable[[random.Random], bytes], ...] = (
    lambda r: b"[" * r.randint(1, 30_000),
    lambda r: b"{" * r.randint(1, 3_000) + b'"a":' + b"}" * r.randint(0, 3_000),
    lambda r: b"<div>" * r.randint(1, 3_000),
    lambda r: b"<p " + b" ".join(b"a%d='1'" % i for i in range(r.randint(1, 2_000))) + b">x</p>",
    lambda r: r.choice([b">", b"-", b".", b"=", b"!", b"\xe2\x80\x94"]) * r.randint(1, 20_000),
    lambda r: b"word " * r.randint(1, 5_000),
    lambda r: "\u202e\u2066\u200f\x1b[31m\x07\x00".encode(),
    lambda r: b"\xef\xbb\xbf",
    lambda r: b"\xff\xfe",
    lambda r: b"<meta charset='x-bogus'>",
    lambda r: b"; charset=" + r.choice([b"x-bogus", b"utf-7", b"", b"utf-16", b"\xff"]),
    lambda r: bytes(r.getrandbits(8) for _ in range(r.randint(1, 200))),
    lambda r: b"\n" * r.randint(1, 5_000),
    lambda r: b"line\n" * r.randint(1, 5_000),
    lambda r: b"<!DOCTYPE x [<!ENTITY a '" + b"A" * 1000 + b"'>]>&a;&a;&a;",
    lambda r: b"\x1f\x8b\x08\x00" + bytes(r.getrandbits(8) for _ in range(r.randint(0, 64))),
    lambda r: b"WARC/1.0\r\nContent-Length: " + str(r.randint(0, 10**12)).encode() + b"\r\n\r\n",
    lambda r: b"!!python/object/apply:os.system ['true']",
    lambda r: b'"' + b"x" * r.randint(1, 140_000) + b'"',
)

_NAMES: tuple[bytes, ...] = (
    b"a",
    b"caf\xe9",
    b"\x1b]0;title\x07x",
    b"\xe2\x80\xaeevil",
    b"sp ace",
    b"-dash",
    b"..x",
)


@dataclass
class Case:
    suffix: str
    name: bytes
    data: bytes
    cli: bool = False
    nlp: bool = False


class Hang(BaseException):
    """A case ran over the time limit (a BaseException, so that no ``except Exception`` swallows it)."""


def mutate(data: bytes, rng: random.Random, rounds: int | None = None) -> bytes:
    """``data`` after 1-8 random mutations (see the module docstring)."""
    buf = bytearray(data)
    for _ in range(rounds if rounds is not None else rng.randint(1, 8)):
        op = rng.randrange(8)
        pos = rng.randint(0, len(buf))
        if op == 0 and buf:
            for _ in range(rng.randint(1, 16)):
                buf[rng.randrange(len(buf))] = rng.getrandbits(8)
        elif op == 1:
            buf[pos:pos] = bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 32)))
        elif op == 2 and buf:
            del buf[pos : pos + rng.randint(1, 256)]
        elif op == 3 and buf:
            start = rng.randrange(len(buf))
            chunk = buf[start : start + rng.randint(1, 512)]
            buf[pos:pos] = chunk * rng.randint(1, 20)
        elif op == 4:
            del buf[rng.randint(0, len(buf)) :]
        elif op == 5:
            other = SEEDS[rng.choice(list(SEEDS))]
            cut = rng.randint(0, len(other))
            buf[pos:] = other[cut:]
        else:
            buf[pos:pos] = rng.choice(_HOSTILE)(rng)
    return bytes(buf)


def make_case(rng: random.Random, cli: bool = False, nlp: bool = False) -> Case:
    suffix = rng.choice(list(SEEDS))
    seed = SEEDS[suffix]
    if suffix.endswith(".gz") and rng.random() < 0.5:
        data = gzip.compress(mutate(gzip.decompress(seed), rng), mtime=0)
    elif rng.random() < 0.05:
        data = seed
    else:
        data = mutate(seed, rng)
    name = rng.choice(_NAMES) + (b"%d" % rng.randrange(1000))
    return Case(suffix=suffix, name=name, data=data, cli=cli, nlp=nlp)


def case_for(seed: int, number: int, cli_every: int = 0, nlp_every: int = 0) -> Case:
    """Case ``number`` of the run with ``seed``: the same case whichever worker runs it, in any order."""
    rng = random.Random(f"claimgraph-fuzz:{seed}:{number}")
    cli = bool(cli_every) and number % cli_every == 0
    nlp = bool(nlp_every) and not cli and number % nlp_every == nlp_every // 2
    return make_case(rng, cli=cli, nlp=nlp)


def _check_reader(path: str) -> list[Any]:
    """The documents read from ``path`` (problems are fine, anything else is a crash)."""
    from claimgraph.errors import InputProblem
    from claimgraph.ingest import iter_documents
    from claimgraph.model import Document
    from claimgraph.options import Options
    from claimgraph.safety import admit

    options = Options(max_bytes=2 * 1024 * 1024)
    documents = []
    for item in iter_documents([path], options):
        item = admit(item, options)
        if not isinstance(item, Document | InputProblem):
            raise TypeError(f"reader yielded {type(item).__name__}")
        str(item.path).encode("utf-8")  # must be storable and printable
        if isinstance(item, Document):
            documents.append(item)
    return documents


def _check_nlp(documents: list[Any]) -> None:
    """The documents through every analysis stage (attribution, claims, provenance), in process.

    A document a stage cannot analyse must come out as an ``E302`` problem, never as an exception.
    """
    from claimgraph.ingest import mark_duplicates
    from claimgraph.model import Corpus
    from claimgraph.options import Options
    from claimgraph.pipeline import RunContext, build_pipeline

    if not documents:
        return
    options = Options(max_bytes=2 * 1024 * 1024)
    duplicates = mark_duplicates(documents, options)
    for doc in documents:
        doc.duplicate_of = duplicates.get(doc.id)
    corpus = Corpus(documents=documents)
    build_pipeline()(corpus, RunContext(options=options, on_problem=lambda problem: None))


def _check_loader(suffix: str, path: str) -> None:
    from claimgraph.errors import ClaimgraphError

    try:
        if suffix.startswith("registry"):
            from claimgraph.provenance.reliability import load_registry

            load_registry(path)
        else:
            from claimgraph.stance.io import read_pairs_csv

            read_pairs_csv(Path(path))
    except ClaimgraphError:
        pass


def _check_cli(folder: str, out: str) -> None:
    from click.testing import CliRunner

    from claimgraph.cli import cli

    args = ["analyze", folder, "-o", out, "--stages", "", "-f", "json", "-f", "csv", "-f", "html", "-q"]
    result = CliRunner().invoke(cli, args)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    if result.exit_code not in (0, 3) or "Traceback" in result.output:
        raise AssertionError(f"exit {result.exit_code}: {result.output[-500:]}")
    if "\x1b" in result.output or "\u202e" in result.output:
        raise AssertionError("a raw escape or bidi override reached the terminal")


def run_case(case: Case, workdir: str) -> None:
    """Feed one case to its target(s); raises on a crash (see the module docstring)."""
    folder = os.path.join(os.fsencode(workdir), b"in")
    os.makedirs(folder, exist_ok=True)
    suffix = case.suffix
    filename = case.name + (b"." + suffix.encode() if not suffix.startswith(".") else suffix.encode())
    path = os.path.join(folder, filename)
    with open(path, "wb") as fh:
        fh.write(case.data)
    try:
        text_path = os.fsdecode(path)
        if suffix.startswith("."):
            documents = _check_reader(text_path)
            if case.nlp:
                _check_nlp(documents)
        else:
            _check_loader(suffix, text_path)
        if case.cli and suffix.startswith("."):
            _check_cli(os.fsdecode(folder), os.path.join(workdir, "out"))
    finally:
        os.unlink(path)


# ---------------------------------------------------------------------------------------------- the run
# The parent process warms every import up (and the spaCy model), then forks workers. A worker runs a
# block of ``--recycle`` cases in process and reports each case's start and end on a pipe; a fresh
# worker starts the next block, so a leak or a damaged interpreter state lasts one block at most. Inside
# the worker a profiling timer (ITIMER_PROF, CPU time) interrupts a case over ``--hang`` CPU seconds. The
# parent watches the worker: over ``--hang`` CPU seconds plus a grace (a loop in native code, which the
# timer cannot interrupt) it kills it, a CPU hang; over ``--hang-wall`` wall-clock seconds it kills it and
# re-runs the case alone with a long wall limit (``--confirm-wall``), judged by its CPU time: a case that
# then finishes under ``--hang`` CPU seconds was slowed by the machine's load, not hung. A worker that
# dies (a signal, an abort in native code, the out-of-memory killer) is a crash of the case it was in.

_CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _raise_hang(signum: int, frame: object) -> None:
    raise Hang("cpu")


def _proc_cpu(pid: int) -> float | None:
    """CPU seconds (user + system) a running process has used so far, from ``/proc`` (``None`` if unknown)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            fields = fh.read().rsplit(b")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS


@dataclass
class _Settings:
    seed: int
    hang: float
    cli_every: int
    nlp_every: int
    grace: float = 3.0


def _worker(numbers: range, settings: _Settings, out_fd: int, workdir: str) -> None:
    """Run the cases ``numbers`` in this (forked) process; one JSON line per event on ``out_fd``."""
    signal.signal(signal.SIGPROF, _raise_hang)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    out = os.fdopen(out_fd, "w", buffering=1, encoding="utf-8")
    for number in numbers:
        case = case_for(settings.seed, number, settings.cli_every, settings.nlp_every)
        start = time.process_time()
        out.write(json.dumps({"start": number, "cpu": start}) + "\n")
        status, detail = "ok", ""
        signal.setitimer(signal.ITIMER_PROF, settings.hang)
        try:
            run_case(case, workdir)
        except Hang:
            status, detail = "hang", f"over {settings.hang:g} s of CPU time (interrupted by the timer)"
        except Exception:
            status, detail = "crash", traceback.format_exc()
        finally:
            signal.setitimer(signal.ITIMER_PROF, 0)
        took = time.process_time() - start
        rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        out.write(
            json.dumps(
                {"done": number, "status": status, "cpu": took, "rss_kb": rss_kb, "detail": detail[-4000:]}
            )
            + "\n"
        )
        if status == "hang":
            break  # the interpreter may be left half-way through anything: start a fresh worker
    out.close()


@dataclass
class _Result:
    number: int
    status: str
    """``ok``, ``crash``, ``hang`` (CPU), ``wall`` (wall-clock limit hit, not judged yet), ``died``."""
    cpu: float = 0.0
    rss_kb: int = 0
    detail: str = ""


def _supervise(numbers: range, settings: _Settings, wall_limit: float, root: str) -> Iterator[_Result]:
    """Run ``numbers`` in forked workers of at most ``len(numbers)`` cases; yield one result per case."""
    import select
    import shutil

    next_number = numbers.start
    while next_number < numbers.stop:
        workdir = tempfile.mkdtemp(prefix="worker-", dir=root)
        read_fd, write_fd = os.pipe()
        block = range(next_number, numbers.stop)
        pid = os.fork()
        if pid == 0:  # the worker
            code = 0
            try:
                os.close(read_fd)
                _worker(block, settings, write_fd, workdir)
            except BaseException:
                code = 70
            finally:
                os._exit(code)
        os.close(write_fd)
        buffer = b""
        current: tuple[int, float, float] | None = None  # number, wall start, worker CPU at start
        killed: _Result | None = None
        eof = False
        try:
            while not eof:
                ready, _, _ = select.select([read_fd], [], [], 0.5)
                if ready:
                    chunk = os.read(read_fd, 65536)
                    eof = not chunk
                    buffer += chunk
                    *lines, buffer = buffer.split(b"\n")
                    for line in lines:
                        event = json.loads(line)
                        if "start" in event:
                            current = (event["start"], time.perf_counter(), event["cpu"])
                        else:
                            current = None
                            next_number = event["done"] + 1
                            yield _Result(
                                event["done"], event["status"], event["cpu"], event["rss_kb"], event["detail"]
                            )
                if current is None or killed is not None or eof:
                    continue
                number, wall_start, cpu_start = current
                used = _proc_cpu(pid)
                cpu = max(used - cpu_start, 0.0) if used is not None else 0.0
                wall = time.perf_counter() - wall_start
                if cpu > settings.hang + settings.grace:
                    killed = _Result(
                        number,
                        "hang",
                        cpu,
                        0,
                        f"over {settings.hang:g} s of CPU time in native code (killed)",
                    )
                elif wall > wall_limit:
                    killed = _Result(
                        number, "wall", cpu, 0, f"over {wall_limit:g} s of wall-clock time ({cpu:.1f} s CPU)"
                    )
                if killed is not None:
                    os.kill(pid, signal.SIGKILL)
        except BaseException:  # stopped (or the report is closed early): no worker outlives the run
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            os.close(read_fd)
            shutil.rmtree(workdir, ignore_errors=True)
            raise
        os.close(read_fd)
        _, status = os.waitpid(pid, 0)
        if killed is not None:
            next_number = killed.number + 1
            yield killed
        elif current is not None:  # died inside a case
            number = current[0]
            how = (
                f"signal {-os.waitstatus_to_exitcode(status)}"
                if os.WIFSIGNALED(status)
                else f"exit {os.waitstatus_to_exitcode(status)}"
            )
            next_number = number + 1
            yield _Result(number, "crash", 0.0, 0, f"the worker died ({how})")
        elif os.waitstatus_to_exitcode(status) != 0 and next_number == block.start:
            raise RuntimeError(f"a fuzz worker failed before its first case ({status})")
        shutil.rmtree(workdir, ignore_errors=True)


def _warm_up(root: str, nlp: bool) -> None:
    """Import everything and load the model once in the parent, so every forked worker starts warm."""
    import claimgraph.cli
    import claimgraph.ingest  # noqa: F401

    with tempfile.TemporaryDirectory(prefix="warm-", dir=root) as warm:
        for suffix in SEEDS:
            run_case(Case(suffix=suffix, name=b"warm", data=SEEDS[suffix]), warm)
        run_case(Case(suffix=".txt", name=b"warm", data=SEEDS[".txt"], cli=True, nlp=nlp), warm)


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _blocks(start: int, stop: int, size: int) -> Iterator[range]:
    for first in range(start, stop, size):
        yield range(first, min(first + size, stop))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--cases", type=int, default=1000, help="how many cases to run (default 1000)")
    parser.add_argument("--seed", type=int, default=16, help="random seed (default 16)")
    parser.add_argument(
        "--start", type=int, default=0, help="first case number (to re-run one case: --start N --cases 1)"
    )
    parser.add_argument("--hang", type=float, default=10.0, help="CPU seconds after which a case is a hang")
    parser.add_argument(
        "--hang-wall", type=float, default=120.0, help="wall-clock seconds after which a case is re-run alone"
    )
    parser.add_argument(
        "--confirm-wall",
        type=float,
        default=900.0,
        help="wall-clock limit of that re-run (judged by CPU time)",
    )
    parser.add_argument("--cli-every", type=int, default=500, help="run the CLI on every Nth case (0: never)")
    parser.add_argument(
        "--nlp-every", type=int, default=100, help="run the analysis stages on every Nth case (0: never)"
    )
    parser.add_argument("--recycle", type=int, default=500, help="cases per forked worker (default 500)")
    parser.add_argument("--save", type=Path, default=Path("fuzz-crashes"), help="folder for crashing cases")
    parser.add_argument("--progress", type=int, default=1000, help="print a progress line every N cases")
    parser.add_argument(
        "--max-seconds",
        type=float,
        default=0.0,
        help="stop after this many wall-clock seconds (0: no limit); the report says how many ran",
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("OMP_NUM_THREADS", "1")  # no OpenMP thread team to deadlock a forked worker
    signal.signal(signal.SIGTERM, _stop)  # `kill PID` stops the run and prints the report so far
    signal.signal(signal.SIGINT, _stop)
    settings = _Settings(seed=args.seed, hang=args.hang, cli_every=args.cli_every, nlp_every=args.nlp_every)

    crashes: list[tuple[int, str]] = []
    hangs: list[tuple[int, str]] = []
    load_slowed: list[tuple[int, str]] = []
    counts = {"cli": 0, "nlp": 0}
    ran = 0
    slowest = (0.0, -1)
    peak = (0, -1)
    stopped = ""
    with tempfile.TemporaryDirectory(prefix="cg-fuzz-") as root:
        _warm_up(root, bool(args.nlp_every))
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        wall_start = time.perf_counter()
        try:
            for block in _blocks(args.start, args.start + args.cases, max(args.recycle, 1)):
                if args.max_seconds and time.perf_counter() - wall_start > args.max_seconds:
                    stopped = f"--max-seconds {args.max_seconds:g} reached"
                    break
                for result in _supervise(block, settings, args.hang_wall, root):
                    case = case_for(args.seed, result.number, args.cli_every, args.nlp_every)
                    if result.status == "wall":  # judge it by its CPU time, alone, with a long wall limit
                        again = list(
                            _supervise(
                                range(result.number, result.number + 1), settings, args.confirm_wall, root
                            )
                        )
                        if again and again[0].status == "ok":
                            load_slowed.append(
                                (result.number, f"{result.detail}; alone: {again[0].cpu:.2f} s CPU, finished")
                            )
                            result = again[0]
                        elif again:
                            result = _Result(
                                result.number,
                                "hang",
                                again[0].cpu,
                                0,
                                f"{result.detail}; alone: {again[0].detail}",
                            )
                    ran += 1
                    counts["cli"] += case.cli
                    counts["nlp"] += case.nlp
                    slowest = max(slowest, (result.cpu, result.number))
                    peak = max(peak, (result.rss_kb, result.number))
                    if result.status == "hang":
                        hangs.append((result.number, result.detail[:300]))
                        _save(args.save, args.seed, result.number, case, f"hang: {result.detail}")
                    elif result.status == "crash":
                        crashes.append(
                            (
                                result.number,
                                result.detail.strip().splitlines()[-1][:300]
                                if result.detail.strip()
                                else "?",
                            )
                        )
                        _save(args.save, args.seed, result.number, case, result.detail)
                    if args.progress and ran % args.progress == 0:
                        wall = time.perf_counter() - wall_start
                        print(
                            f"{ran} cases, {len(crashes)} crash(es), {len(hangs)} hang(s), "
                            f"{len(load_slowed)} wall-clock timeout(s) cleared, peak {peak[0] / 1024:.0f} MB, {wall:.0f} s",
                            file=sys.stderr,
                            flush=True,
                        )
        except KeyboardInterrupt:
            stopped = "interrupted"
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    report = {
        "command": "python benchmarks/fuzz.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "cases": ran,
        "cases_asked": args.cases,
        "seed": args.seed,
        "stopped": stopped or None,
        "crashes": len(crashes),
        "hangs": len(hangs),
        "hang_cpu_seconds": args.hang,
        "wall_clock_timeouts_cleared": len(load_slowed),
        "cli_cases": counts["cli"],
        "nlp_cases": counts["nlp"],
        "peak_rss_mb": round(peak[0] / 1024, 1),
        "peak_rss_case": peak[1],
        "slowest_case_cpu_s": round(slowest[0], 3),
        "slowest_case": slowest[1],
        "cpu_s": round(cpu, 1),
        "cpu_ms_per_case": round(1000 * cpu / max(ran, 1), 2),
        "wall_s": round(time.perf_counter() - wall_start, 1),
        "first_crashes": crashes[:10],
        "hang_cases": hangs[:10],
        "cleared_cases": load_slowed[:10],
    }
    print(json.dumps(report, indent=2, ensure_ascii=True))
    return 1 if crashes or hangs else 0


def _save(folder: Path, seed: int, number: int, case: Case, reason: str) -> None:
    """The case's bytes and what happened; re-run it with ``--seed SEED --start NUMBER --cases 1``."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = folder / f"case-{seed}-{number:06d}"
    stem.with_suffix(".bin").write_bytes(case.data)
    meta = {
        "suffix": case.suffix,
        "name": case.name.hex(),
        "cli": case.cli,
        "nlp": case.nlp,
        "reason": reason,
    }
    stem.with_suffix(".json").write_text(json.dumps(meta, indent=2), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
