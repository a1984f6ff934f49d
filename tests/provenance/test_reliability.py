from __future__ import annotations

from pathlib import Path

import pytest

from claimgraph.errors import ConfigError
from claimgraph.provenance.reliability import load_registry


def test_yaml_mapping_and_list(tmp_path: Path) -> None:
    f = tmp_path / "r.yaml"
    f.write_text("Ostreva Ledger: b\n\u201cJane Roe\u201d: C\n", encoding="utf-8")
    reg = load_registry(f)
    assert reg.lookup("ostreva  ledger") == "B"
    assert reg.lookup("Nobody", "Ostreva Ledger") == "B"
    g = tmp_path / "r.yml"
    g.write_text("- name: Jane Roe\n  reliability: A\n- outlet: Ledger\n  grade: E\n", encoding="utf-8")
    assert load_registry(g).lookup("Jane Roe", "Ledger") == "A"


def test_csv_with_and_without_header(tmp_path: Path) -> None:
    f = tmp_path / "r.csv"
    f.write_text("source,reliability\nOstreva Ledger,D\n", encoding="utf-8")
    assert load_registry(f).lookup("Ostreva Ledger") == "D"
    g = tmp_path / "plain.csv"
    g.write_text("Ostreva Ledger,A\n# comment\n\n", encoding="utf-8")
    assert load_registry(g).lookup("Ostreva Ledger") == "A"


def test_no_registry_judges_nothing() -> None:
    assert load_registry(None).lookup("Ostreva Ledger") is None


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bad.yaml", "Ledger: B\nRoe: Z\n", "line 2: reliability must be one of A-F"),
        ("broken.yaml", "Ledger: B\nRoe: [oops\n", "line 3"),
        ("list.yaml", "- 3\n", "line 1: expected an item"),
        ("bad.csv", "name,reliability\nLedger,B\nRoe\n", "line 3: expected a name and a reliability letter"),
        ("letter.csv", "name,reliability\nLedger,7\n", "line 2: reliability must be one of A-F"),
        ("r.txt", "Ledger: B\n", "unknown registry format"),
    ],
)
def test_malformed_registry_names_file_and_line(
    tmp_path: Path, name: str, content: str, message: str
) -> None:
    f = tmp_path / name
    f.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_registry(f)
    assert "[E104]" in str(info.value) and str(f) in str(info.value) and message in str(info.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="E104"):
        load_registry(tmp_path / "nope.yaml")
