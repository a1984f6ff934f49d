"""Rebuild ``src/claimgraph/reference/data/us_states.tsv``: US states (and DC and the territories) with the
abbreviation the AP style writes for each (``Calif.``, ``N.Y.``, ``W.Va.``).

Source: ``us/states.py`` of the ``us`` package (PyPI, version 3.2.0, BSD-3-Clause licence, Copyright (c) 2014
Sunlight Labs, https://github.com/unitedstates/python-us). The module's data is read as Python literals (``ast``),
never imported (it imports ``jellyfish``). Obsolete entries and names the AP style does not abbreviate
(``Ohio``, ``Texas``) are left out.

Usage: ``pip download --no-deps us==3.2.0`` then
``python benchmarks/build_us_states.py us-3.2.0-py3-none-any.whl > src/claimgraph/reference/data/us_states.tsv``.
"""

from __future__ import annotations

import ast
import sys
import zipfile

HEADER = """\
# US states, DC and territories with their AP-style abbreviations. Source: us/states.py of the PyPI package
# `us` 3.2.0 (BSD-3-Clause, Copyright (c) 2014 Sunlight Labs, https://github.com/unitedstates/python-us),
# written by benchmarks/build_us_states.py. Names the AP style writes in full are left out.
# Columns: name, AP abbreviation.
name\tap_abbr"""


def rows(source: str) -> list[tuple[str, str]]:
    """``(name, AP abbreviation)`` of every ``State(**{...})`` literal in ``source``."""
    out: list[tuple[str, str]] = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "State" and node.keywords):
            continue
        data = ast.literal_eval(node.keywords[0].value)
        name, ap = data.get("name"), data.get("ap_abbr")
        if data.get("is_obsolete") or not name or not ap or ap == name:
            continue
        out.append((str(name), str(ap)))
    return sorted(set(out))


def main(wheel: str) -> None:
    with zipfile.ZipFile(wheel) as archive:
        source = archive.read("us/states.py").decode("utf-8")
    print(HEADER)
    for name, ap in rows(source):
        print(f"{name}\t{ap}")


if __name__ == "__main__":
    main(sys.argv[1])
