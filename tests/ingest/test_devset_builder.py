"""``benchmarks/build_ingest_devset.py`` on tiny invented snapshots (git repositories made by the test)."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

PARAGRAPH = (
    "The harbour office of Lindmark said on Monday that the ferry to the outer islands would run twice "
    "a day from the first of May, after the new landing stage at Skarvik passed its last inspection. "
)
BODY = PARAGRAPH * 4


def _builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_ingest_devset", ROOT / "benchmarks" / "build_ingest_devset.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _repo(tmp_path: Path, name: str, files: dict[str, str | bytes]) -> str:
    work = tmp_path / name
    for rel, text in files.items():
        path = work / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    env = ["-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", "init", "-q", str(work)], check=True)
    subprocess.run(["git", "-C", str(work), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(work), *env, "commit", "-q", "-m", "fixture"], check=True)
    return str(work / ".git")


def _page(body: str) -> str:
    menu = "<ul><li><a href='/'>Home</a></li><li><a href='/sport'>Sport</a></li></ul>"
    return (
        f"<html><head><title>Ferry</title></head><body>{menu}<div>{body}</div><p>Contact us</p></body></html>"
    )


def _annotated() -> str:
    return (
        "<html><body><div><span class='x-nc-sel0'>Home Sport Weather</span></div>"
        "<h1><span class='x-nc-sel1'>Ferry to run twice a day</span></h1>"
        f"<p><span class='x-nc-sel2'>{BODY}</span></p>"
        "<p><span class='x-nc-sel4'>Read more: new bridge for Skarvik</span></p>"
        "<p><span class='x-nc-sel5'>Great news, says a reader from Ostby</span></p>"
        "</body></html>"
    )


def test_builder_writes_every_source_with_splits_and_skips_excluded_sets(tmp_path: Path) -> None:
    builder = _builder()
    readability = _repo(
        tmp_path,
        "readability",
        {
            "test/test-pages/ferry-1/source.html": _page(f"<p>{BODY}</p>"),
            "test/test-pages/ferry-1/expected.html": f"<div><p>{BODY}</p></div>",
            "test/test-pages/ferry-1/expected-metadata.json": json.dumps(
                {"title": "Ferry", "siteName": "Lindmark"}
            ),
            "test/test-pages/tiny/source.html": _page("<p>Too short.</p>"),
            "test/test-pages/tiny/expected.html": "<p>Too short.</p>",
        },
    )
    gold = f"URL: http://lindmark.example/ferry\n\n<h> Ferry to run\n   twice a day\n<p>{BODY}\n<l> * first item\n"
    merged = _repo(
        tmp_path,
        "merged",
        {
            "cleaneval-dev/input/7.html": (
                '<text id="http://lindmark.example/ferry" title="Ferry" encoding="iso-8859-1">\n'
                + _page(f"<h2>Ferry to run twice a day</h2><p>{BODY} Sk\u00e5rvik.</p>")
                + "\n</text>\n"
            ).encode("latin-1"),
            "cleaneval-dev/input/8.html": _page("<p>A page that is not the one the text was cut from.</p>"),
            "cleaneval-dev/GoldStandard/8.txt": gold,
            "cleaneval-dev/GoldStandard/7.txt": gold,
            "page-signal-master/input/abc-1.html": _page(f"<h1>Ferry to run twice a day</h1><p>{BODY}</p>"),
            "page-signal-master/GoldStandard/abc-1.txt": _annotated(),
            "dragnet_data/input/9.html": _page(f"<p>{BODY}</p>"),
            "dragnet_data/GoldStandard/9.txt": BODY,
            "readability/input/ferry-1.html": _page(f"<p>{BODY}</p>"),
            "readability/GoldStandard/ferry-1.txt": BODY,
        },
    )
    out = tmp_path / "out"
    argv = ["build", "--repo", readability, "--merged", merged, "--out", str(out)]
    old_argv = sys.argv
    sys.argv = argv
    try:
        builder.main()
    finally:
        sys.argv = old_argv
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "ce-dev-7.expected.txt", "ce-dev-7.html", "ce-dev-7.meta.json",
        "ferry-1.expected.txt", "ferry-1.html", "ferry-1.meta.json",
        "gn1-abc-1.expected.txt", "gn1-abc-1.html", "gn1-abc-1.meta.json",
    ]  # fmt: skip
    meta = json.loads((out / "ferry-1.meta.json").read_text(encoding="utf-8"))
    assert meta["split"] == builder.split_of("ferry-1") and meta["source"] == "readability"
    ce = json.loads((out / "ce-dev-7.meta.json").read_text(encoding="utf-8"))
    assert ce == {
        "split": builder.fresh_split_of("cleaneval/7"),
        "source": "cleaneval",
        "url": "http://lindmark.example/ferry",
    }
    ce_lines = (out / "ce-dev-7.expected.txt").read_text(encoding="utf-8").splitlines()
    assert ce_lines == ["Ferry to run twice a day", BODY.strip(), "* first item"]
    page = (out / "ce-dev-7.html").read_bytes()
    assert not page.startswith(b"<text") and "Sk\u00e5rvik".encode() in page and b"</text>" not in page
    gn1_lines = (out / "gn1-abc-1.expected.txt").read_text(encoding="utf-8").splitlines()
    assert gn1_lines[0] == "Ferry to run twice a day"
    joined = " ".join(gn1_lines)
    assert "Skarvik passed" in joined
    assert "Home" not in joined and "Read more" not in joined and "Great news" not in joined


def test_fresh_split_is_deterministic_and_holds_out_about_a_third() -> None:
    builder = _builder()
    splits = [builder.fresh_split_of(f"l3s-gn1/page-{i}") for i in range(600)]
    assert splits == [builder.fresh_split_of(f"l3s-gn1/page-{i}") for i in range(600)]
    assert 0.25 < splits.count("heldout") / len(splits) < 0.42
