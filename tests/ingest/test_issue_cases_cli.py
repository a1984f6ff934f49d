"""Issue 11's "Why" cases through the real ``claimgraph analyze`` (invented texts; analysis stages off).

The unit tests of each case live beside its code (``test_scraped.py``, ``test_short_and_csv.py``,
``test_outlets.py``); these check that what a user sees at the end of a run says the same: a saved page's
furniture and teasers are not in the stored text, a repeated passage is stored once, one-line records are
documents, text files get their outlets, and unsupported files are counted in one summary line.
"""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from claimgraph.cli import cli
from claimgraph.store import Store

PROSE = [
    "The water board of Lindmar said on Thursday that it would close two of its four pumping stations by June.",
    "Farmers in the valley said the closures would leave their fields short of water during the dry summer months.",
    "A board spokeswoman, Anneke Rolf, said the stations were too old to repair at a reasonable cost to ratepayers.",
    "The farmers' union said it would ask the regional court to halt the closures until a study was published.",
]
SAVED_PAGE = "\n".join(
    [
        "Skip to content",
        "Home | Region | Farming | Weather | Opinion | Contact",
        "Share Tweet Email Menu Close Chevron Left Chevron Right Search",
        "Print / Save as PDF / Email this",
        "Lindmar to close two pumping stations",
        PROSE[0],
        PROSE[1],
        "Think you know your rivers? Take our quiz",
        PROSE[2],
        PROSE[3],
        "Source: Lindmar Valley Gazette",
        "Most read",
        "Sign up for our newsletter",
        "© 2026 Lindmar Valley Gazette. All rights reserved.",
    ]
)


def _analyze(folder: Path, out: Path) -> Result:
    args = ["analyze", str(folder), "--out", str(out), "--format", "json", "--stages", ""]
    return CliRunner().invoke(cli, args)


def _documents(out: Path) -> list[dict[str, object]]:
    data = json.loads((out / "claimgraph.json").read_text(encoding="utf-8"))
    return sorted(data["documents"], key=lambda d: str(d["path"]))


def test_saved_page_records_and_unsupported_files_through_analyze(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a-saved.txt").write_text(SAVED_PAGE + "\n", encoding="utf-8")
    repeated = f"{PROSE[0]} {PROSE[1]}\n\n{PROSE[2]} {PROSE[0]} {PROSE[1]} {PROSE[3]}\n"
    (folder / "b-repeated.txt").write_text(
        f"Board to close stations\n\n{repeated}\nSource: Harwell Evening Post\n", encoding="utf-8"
    )
    records = [
        {"text": "Lindmar board votes to shut two pumping stations", "url": "https://news.example/a"},
        {"text": "Valley farmers plan court challenge over water cuts", "title": "Court challenge"},
        {"text": ""},
    ]
    (folder / "c-wire.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    (folder / "d-wire.csv").write_text(
        "text,title\nLindmar pumping stations to close in June,\n", encoding="utf-8"
    )
    for name in ("minutes.pdf", "budget.pdf", "letter.docx"):
        (folder / name).write_bytes(b"%PDF-1.4 not read")
    out = tmp_path / "out"

    result = _analyze(folder, out)

    assert result.exit_code == 0, result.output
    assert "skipped 3 unsupported file(s) in the input folders: .pdf (2), .docx (1)" in result.stdout
    # only the empty record is a problem (E012), one line naming the file
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(errors) == 1 and "c-wire.jsonl" in errors[0] and "E012" in errors[0], errors
    docs = _documents(out)
    by_name = {Path(str(d["path"]).split("#")[0]).name: d for d in docs}
    saved = by_name["a-saved.txt"]
    text = str(saved["text"])
    assert all(p in text for p in PROSE)
    for furniture in (
        "Chevron",
        "Save as PDF",
        "Take our quiz",
        "newsletter",
        "Skip to content",
        "Most read",
    ):
        assert furniture not in text, furniture
    assert saved["outlet"] == "Lindmar Valley Gazette"
    rep = by_name["b-repeated.txt"]
    assert str(rep["text"]).count(PROSE[1]) == 1 and PROSE[3] in str(rep["text"])
    assert rep["outlet"] == "Harwell Evening Post"
    # one-line records are documents; a given title stays apart from the text
    one_line = sorted(str(d["text"]) for d in docs if str(d["path"]).startswith(str(folder / "c-wire.jsonl")))
    assert one_line == [
        "Lindmar board votes to shut two pumping stations",
        "Valley farmers plan court challenge over water cuts",
    ]
    assert any(str(d["text"]) == "Lindmar pumping stations to close in June" for d in docs)
    # no outlet is ever a file path
    assert all(d["outlet"] is None or "/" not in str(d["outlet"]) for d in docs)
    with Store.open(out / "claimgraph.db") as store:
        assert len(store.documents()) == len(docs) == 5
