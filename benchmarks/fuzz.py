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
- every ``--cli-every``-th case, ``claimgraph analyze`` itself (ingest, store, JSON/CSV/HTML outputs; the
  NLP stages are left out to keep a case short): exit code 0 or 3, never a traceback.

A **crash** is any other exception; a **hang** is a case over ``--hang`` seconds of CPU time (default 10,
measured with a profiling interval timer, ``ITIMER_PROF``, that interrupts it: on a shared, loaded machine
wall-clock time says more about the neighbours than about claimgraph), or over ``--hang-wall`` seconds of
wall-clock time (default 120) as a backstop. Peak memory is the process's maximum resident set size. Crashing
cases are saved under ``--save`` for reproduction. Deterministic for a given ``--seed``.

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
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

__all__ = ["SEEDS", "Case", "Hang", "make_case", "mutate", "run_case"]

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
    ".warc.gz": gzip.compress(_warc(_HTML)),
    ".txt.gz": gzip.compress(_ARTICLE.encode()),
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


def make_case(rng: random.Random, cli: bool = False) -> Case:
    suffix = rng.choice(list(SEEDS))
    seed = SEEDS[suffix]
    if suffix.endswith(".gz") and rng.random() < 0.5:
        data = gzip.compress(mutate(gzip.decompress(seed), rng))
    elif rng.random() < 0.05:
        data = seed
    else:
        data = mutate(seed, rng)
    name = rng.choice(_NAMES) + (b"%d" % rng.randrange(1000))
    return Case(suffix=suffix, name=name, data=data, cli=cli)


def _check_reader(path: str) -> None:
    from claimgraph.errors import InputProblem
    from claimgraph.ingest import iter_documents
    from claimgraph.model import Document
    from claimgraph.options import Options
    from claimgraph.safety import admit

    options = Options(max_bytes=2 * 1024 * 1024)
    for item in iter_documents([path], options):
        item = admit(item, options)
        if not isinstance(item, Document | InputProblem):
            raise TypeError(f"reader yielded {type(item).__name__}")
        str(item.path).encode("utf-8")  # must be storable and printable


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
            _check_reader(text_path)
        else:
            _check_loader(suffix, text_path)
        if case.cli and suffix.startswith("."):
            _check_cli(os.fsdecode(folder), os.path.join(workdir, "out"))
    finally:
        os.unlink(path)


def _alarm(signum: int, frame: object) -> None:
    raise Hang("cpu" if signum == signal.SIGPROF else "wall")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--cases", type=int, default=1000, help="how many cases to run (default 1000)")
    parser.add_argument("--seed", type=int, default=16, help="random seed (default 16)")
    parser.add_argument("--hang", type=float, default=10.0, help="CPU seconds after which a case is a hang")
    parser.add_argument(
        "--hang-wall", type=float, default=120.0, help="wall-clock seconds backstop for a hang"
    )
    parser.add_argument("--cli-every", type=int, default=50, help="run the CLI on every Nth case (0: never)")
    parser.add_argument("--save", type=Path, default=Path("fuzz-crashes"), help="folder for crashing cases")
    parser.add_argument("--progress", type=int, default=1000, help="print a progress line every N cases")
    parser.add_argument(
        "--max-seconds",
        type=float,
        default=0.0,
        help="stop after this many seconds (0: no limit); the report says how many ran",
    )
    args = parser.parse_args(argv)

    import claimgraph.cli
    import claimgraph.ingest  # noqa: F401

    with tempfile.TemporaryDirectory(prefix="cg-fuzz-warm-") as warm:  # lazy imports, outside the timing
        run_case(Case(suffix=".txt", name=b"warm", data=SEEDS[".txt"], cli=True), warm)
    rng = random.Random(args.seed)
    signal.signal(signal.SIGALRM, _alarm)
    signal.signal(signal.SIGPROF, _alarm)
    crashes: list[tuple[int, str]] = []
    hangs: list[tuple[int, str]] = []
    slowest = (0.0, -1)
    cpu_start, wall_start = time.process_time(), time.perf_counter()
    ran = 0
    cli_ran = 0
    with tempfile.TemporaryDirectory(prefix="cg-fuzz-") as workdir:
        for number in range(args.cases):
            if args.max_seconds and time.perf_counter() - wall_start > args.max_seconds:
                break
            case = make_case(rng, cli=bool(args.cli_every) and number % args.cli_every == 0)
            start = time.process_time()
            signal.setitimer(signal.ITIMER_PROF, args.hang)
            signal.setitimer(signal.ITIMER_REAL, args.hang_wall)
            try:
                run_case(case, workdir)
            except Hang as hang:
                hangs.append((number, str(hang)))
                _save(args.save, number, case, f"hang ({hang} time limit)")
            except Exception as exc:
                crashes.append((number, f"{type(exc).__name__}: {exc}"[:200]))
                _save(args.save, number, case, traceback.format_exc())
            finally:
                signal.setitimer(signal.ITIMER_PROF, 0)
                signal.setitimer(signal.ITIMER_REAL, 0)
            took = time.process_time() - start
            ran += 1
            cli_ran += case.cli
            slowest = max(slowest, (took, number))
            if args.progress and (number + 1) % args.progress == 0:
                print(f"{number + 1} cases, {len(crashes)} crash(es), {len(hangs)} hang(s)", file=sys.stderr)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    report = {
        "cases": ran,
        "cases_asked": args.cases,
        "seed": args.seed,
        "crashes": len(crashes),
        "hangs": len(hangs),
        "hangs_cpu": sum(1 for _, kind in hangs if kind == "cpu"),
        "hangs_wall_only": sum(1 for _, kind in hangs if kind == "wall"),
        "hang_cpu_seconds": args.hang,
        "hang_wall_seconds": args.hang_wall,
        "cli_cases": cli_ran,
        "peak_rss_mb": round(peak_kb / 1024, 1),
        "slowest_case_cpu_s": round(slowest[0], 3),
        "slowest_case": slowest[1],
        "cpu_s": round(time.process_time() - cpu_start, 1),
        "wall_s": round(time.perf_counter() - wall_start, 1),
        "first_crashes": crashes[:10],
        "hang_cases": hangs[:10],
    }
    print(json.dumps(report, indent=2, ensure_ascii=True))
    return 1 if crashes or hangs else 0


def _save(folder: Path, number: int, case: Case, reason: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    stem = folder / f"case-{number:06d}"
    stem.with_suffix(".bin").write_bytes(case.data)
    meta = {"suffix": case.suffix, "name": case.name.hex(), "cli": case.cli, "reason": reason}
    stem.with_suffix(".json").write_text(json.dumps(meta, indent=2), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
