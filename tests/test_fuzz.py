"""A bounded slice of ``benchmarks/fuzz.py`` in the test suite, driven by hypothesis.

Every reader (by suffix), the registry and stance-CSV loaders and the ``analyze`` command get mutated seeds
and hostile pieces; only documents and one-line problems may come out, never an exception or a traceback.
The full run (``python benchmarks/fuzz.py --cases 100000``) reports crashes, hangs and peak memory.
"""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("claimgraph_fuzz", ROOT / "benchmarks" / "fuzz.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


fuzz = _load()
SUFFIXES = sorted(fuzz.SEEDS)
FUZZ = settings(
    deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_every_seed_is_valid_input(suffix: str, tmp_path: Path) -> None:
    """The seeds are real inputs (so the mutations start from files the readers accept)."""
    from claimgraph.ingest import iter_documents
    from claimgraph.model import Document
    from claimgraph.options import Options

    if not suffix.startswith("."):
        fuzz.run_case(fuzz.Case(suffix=suffix, name=b"seed", data=fuzz.SEEDS[suffix]), str(tmp_path))
        return
    path = tmp_path / f"seed{suffix}"
    path.write_bytes(fuzz.SEEDS[suffix])
    items = list(iter_documents([str(path)], Options()))
    assert items and all(isinstance(i, Document) for i in items), items


@settings(FUZZ, max_examples=60)
@given(seed=st.integers(0, 2**32 - 1))
def test_readers_survive_mutated_inputs(seed: int, tmp_path_factory: pytest.TempPathFactory) -> None:
    case = fuzz.make_case(random.Random(seed))
    fuzz.run_case(case, str(tmp_path_factory.mktemp("fuzz")))


@settings(FUZZ, max_examples=40)
@given(suffix=st.sampled_from([s for s in SUFFIXES if s.startswith(".")]), data=st.binary(max_size=2000))
def test_readers_survive_random_bytes(
    suffix: str, data: bytes, tmp_path_factory: pytest.TempPathFactory
) -> None:
    fuzz.run_case(fuzz.Case(suffix=suffix, name=b"raw", data=data), str(tmp_path_factory.mktemp("raw")))


@settings(FUZZ, max_examples=8)
@given(seed=st.integers(0, 2**32 - 1))
def test_cli_survives_mutated_inputs(seed: int, tmp_path_factory: pytest.TempPathFactory) -> None:
    rng = random.Random(seed)
    case = fuzz.make_case(rng, cli=True)
    while not case.suffix.startswith("."):
        case = fuzz.make_case(rng, cli=True)
    fuzz.run_case(case, str(tmp_path_factory.mktemp("cli")))


def test_fuzz_script_reports_counts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    code = fuzz.main(
        ["--cases", "12", "--cli-every", "6", "--save", str(tmp_path / "crashes"), "--progress", "0"]
    )
    report = json.loads(capsys.readouterr().out)
    assert report["cases"] == 12 and report["cli_cases"] == 2
    assert report["crashes"] == 0 and report["hangs"] == 0 and code == 0
    assert report["peak_rss_mb"] > 0


def test_fuzz_harness_catches_injected_faults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The harness itself: a Python loop and a regular expression stuck in C are hangs (by CPU time), a
    segfaulting worker and an exception are crashes, a case that only sleeps past the wall-clock limit is
    re-run alone and cleared; every other case still runs, in recycled workers."""
    import faulthandler
    import json
    import os
    import re
    import signal
    import time

    faults = {3: "loop", 5: "native", 7: "segfault", 9: "raise", 11: "sleep"}
    marked = {fuzz.case_for(16, n).data: kind for n, kind in faults.items()}
    real = fuzz.run_case

    def faulty(case: object, workdir: str) -> None:
        kind = marked.get(getattr(case, "data", b""))
        if kind == "loop":
            while True:
                pass
        if kind == "native":
            re.match(r"(a+)+$", "a" * 40 + "b")  # catastrophic backtracking
        if kind == "segfault":
            faulthandler.disable()  # pytest's handler would print every loaded module
            os.kill(os.getpid(), signal.SIGSEGV)
        if kind == "raise":
            raise ValueError("injected")
        if kind == "sleep":
            time.sleep(4)
        real(case, workdir)

    monkeypatch.setattr(fuzz, "run_case", faulty)
    args = ["--cases", "14", "--hang", "1", "--hang-wall", "3", "--confirm-wall", "60", "--recycle", "6"]
    args += ["--cli-every", "0", "--nlp-every", "0", "--progress", "0", "--save", str(tmp_path / "saved")]
    code = fuzz.main(args)
    report = json.loads(capsys.readouterr().out)
    assert code == 1 and report["cases"] == 14
    assert sorted(n for n, _ in report["hang_cases"]) == [3, 5]
    assert sorted(n for n, _ in report["first_crashes"]) == [7, 9]
    assert any("signal 11" in reason for _, reason in report["first_crashes"])
    assert [n for n, _ in report["cleared_cases"]] == [11]
    assert len(list((tmp_path / "saved").glob("*.bin"))) == 4
