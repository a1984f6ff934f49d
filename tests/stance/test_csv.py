"""classify_csv: the good path and bad CSVs (each one line naming the file and the row)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimgraph.errors import ConfigError
from claimgraph.options import Options
from claimgraph.stance import LABELS, classify_csv
from claimgraph.stance.io import read_pairs_csv

from .test_api import CONFIRM, DENIAL, UNRELATED

CLAIM = "Ostreva army recruits captured militants from Dorvania prisons"


def _write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def test_classify_csv_good_path(tmp_path: Path) -> None:
    src = _write(
        tmp_path / "in.csv",
        [
            ["id", "claim", "text", "note"],
            ["a1", CLAIM, UNRELATED, "x"],
            ["a2", CLAIM, DENIAL, ""],
            ["a3", CLAIM, CONFIRM + "\nSecond line, in quotes.", "y"],
        ],
    )
    out = tmp_path / "out.csv"
    assert classify_csv(src, out) == 3
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["id"] for r in rows] == ["a1", "a2", "a3"]
    assert list(rows[0]) == ["id", "stance", "confidence"]
    assert all(r["stance"] in LABELS for r in rows)
    assert all(0.0 < float(r["confidence"]) <= 1.0 for r in rows)
    assert rows[0]["stance"] == "unrelated"
    assert rows[1]["stance"] != "supports"
    # with an Options object the registered model is used: same answers
    out2 = tmp_path / "out2.csv"
    assert classify_csv(src, out2, Options()) == 3
    assert out2.read_bytes() == out.read_bytes()


def test_header_only_writes_header(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text("id,claim,text\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    assert classify_csv(src, out) == 0
    assert out.read_text(encoding="utf-8") == "id,stance,confidence\n"


def test_utf8_bom_and_column_order(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text("\ufefftext,ID,claim\n" + f'"{UNRELATED}",b7,{CLAIM}\n', encoding="utf-8")
    assert read_pairs_csv(src) == [("b7", CLAIM, UNRELATED)]


BAD = {
    "missing column": ("id,claim\n1,Dorvania did it\n", r"row 1 \(header\): missing column\(s\) text"),
    "too many fields": ("id,claim,text\n1,a claim,a text\n2,a,b,c\n", r"line 3: 4 fields, expected 3"),
    "too few fields": ("id,claim,text\n1,a claim\n", r"line 2: 2 fields, expected 3"),
    "missing id": ("id,claim,text\n1,a claim,a text\n,a claim,a text\n", r"line 3: empty id"),
    "empty claim": ("id,claim,text\n1,  ,a text\n", r"line 2: empty claim"),
    "empty text": ("id,claim,text\n1,a claim,\n", r"line 2: empty text"),
    "empty file": ("", r"file is empty"),
    "blank file": ("\n \n", r"file is empty"),
    "unclosed quote": ('id,claim,text\n1,"a claim,a text\n', r"malformed CSV"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_csv_is_one_line_config_error(tmp_path: Path, case: str) -> None:
    content, pattern = BAD[case]
    src = tmp_path / "bad.csv"
    src.write_text(content, encoding="utf-8")
    out = tmp_path / "out.csv"
    with pytest.raises(ConfigError, match=pattern) as info:
        classify_csv(src, out)
    message = str(info.value)
    assert message.startswith("[E105] CSV ")
    assert str(src) in message
    assert "\n" not in message
    assert not out.exists()


def test_non_utf8(tmp_path: Path) -> None:
    src = tmp_path / "latin1.csv"
    src.write_bytes("id,claim,text\n1,Caf\u00e9 in Dorvania,closed\n".encode("latin-1"))
    with pytest.raises(ConfigError, match=r"latin1\.csv: line 2: not UTF-8 \(byte 0xe9") as info:
        classify_csv(src, tmp_path / "out.csv")
    assert "\n" not in str(info.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"\[E105\] CSV .*nope\.csv: cannot read file"):
        classify_csv(tmp_path / "nope.csv", tmp_path / "out.csv")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.binary(max_size=300)
    | st.text(alphabet='id,claimtex"\n\r x\x00\u00e9', max_size=120).map(str.encode)
)
def test_reader_never_crashes(tmp_path: Path, data: bytes) -> None:
    src = tmp_path / "fuzz.csv"
    src.write_bytes(data)
    try:
        rows = read_pairs_csv(src)
    except ConfigError as exc:
        assert "\n" not in str(exc)
        assert str(exc).startswith("[E105] CSV ")
    else:
        assert all(len(r) == 3 and r[0] and r[1].strip() and r[2].strip() for r in rows)
