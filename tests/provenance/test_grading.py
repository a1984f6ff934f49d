from __future__ import annotations

import pytest

from claimgraph.provenance.grading import (
    CREDIBILITY_LABELS,
    credibility,
    make_grade,
    parse_grade,
    stix_confidence,
)


@pytest.mark.parametrize(
    ("supporting", "disputing", "hedged", "expected"),
    [
        (0, 0, False, 6),
        (0, 2, False, 6),
        (1, 0, False, 3),
        (1, 0, True, 3),
        (1, 1, False, 4),
        (1, 2, False, 4),
        (1, 3, False, 5),
        (2, 0, False, 1),
        (2, 0, True, 2),
        (3, 1, False, 2),
        (2, 2, False, 4),
        (2, 5, False, 5),
    ],
)
def test_credibility_table(supporting: int, disputing: int, hedged: bool, expected: int) -> None:
    assert credibility(supporting, disputing, hedged) == expected


def test_confidence_follows_stix2_scale() -> None:
    from stix2.confidence.scales import admiralty_credibility_to_value

    assert [stix_confidence(c) for c in range(1, 7)] == [90, 70, 50, 30, 10, 0]
    for value in range(1, 6):  # the table is stix2's own mapping
        label = f"{value} - {CREDIBILITY_LABELS[value]}"
        assert stix_confidence(value) == int(admiralty_credibility_to_value(label))
    with pytest.raises(ValueError):  # 6 is "not present" on stix2's scale: stored as 0
        admiralty_credibility_to_value(f"6 - {CREDIBILITY_LABELS[6]}")


def test_make_and_parse_grade() -> None:
    grade = make_grade("B", 2, "x")
    assert (grade.admiralty, grade.confidence) == ("B2", 70)
    assert parse_grade("c3") == ("C", 3)
    for bad in ("G1", "A7", "A", "AA"):
        with pytest.raises(ValueError):
            parse_grade(bad)
