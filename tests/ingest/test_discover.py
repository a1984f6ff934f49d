"""Files, folders and globs in any mix; paths as given; deterministic order."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from claimgraph.ingest.discover import Candidate, discover

from .helpers import FIXTURES, read_all


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    (root / "b" / "deep").mkdir(parents=True)
    (root / ".git").mkdir()
    shutil.copy(FIXTURES / "messy.txt", root / "z.txt")
    shutil.copy(FIXTURES / "brief.md", root / "b" / "deep" / "a.md")
    shutil.copy(FIXTURES / "two_authors.html", root / "b" / "page.HTML")
    (root / ".git" / "x.txt").write_text("hidden", encoding="utf-8")
    (root / "README.pdf").write_bytes(b"%PDF")
    return root


def test_folder_is_recursive_sorted_and_paths_keep_the_folder_as_given(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tree.parent)
    docs, problems = read_all(["corpus/"])
    assert problems == []
    assert [d.path for d in docs] == ["corpus/b/deep/a.md", "corpus/b/page.HTML", "corpus/z.txt"]
    docs, _ = read_all(["./corpus"])
    assert next(d.path for d in docs) == "./corpus/b/deep/a.md"


def test_globs_files_and_folders_mixed(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tree.parent)
    items = list(discover(["corpus/*.txt", "corpus/b", "corpus/z.txt", "corpus/**/*.md"]))
    # z.txt is named twice (by the glob and explicitly) but read once; a.md once too
    assert items == [
        Candidate("corpus/z.txt", explicit=False),
        Candidate("corpus/b/deep/a.md", explicit=False),
        Candidate("corpus/b/page.HTML", explicit=False),
    ]


def test_same_result_twice(tree: Path) -> None:
    first, _ = read_all([tree])
    second, _ = read_all([tree])
    assert [d.to_dict() for d in first] == [d.to_dict() for d in second]


def test_sample_folder_reads_without_problems() -> None:
    from claimgraph.data import sample_corpus_path

    docs, problems = read_all([sample_corpus_path()])
    assert problems == []
    assert len(docs) >= 8
    assert {d.format for d in docs} >= {"html", "text", "markdown", "jsonl", "rss", "warc"}


@pytest.mark.parametrize("follow", [False, True])
def test_each_file_carries_its_real_path_and_is_read_once(tmp_path: Path, tree: Path, follow: bool) -> None:
    """The walk resolves each folder once and joins the names: the same real path ``os.path.realpath``
    gives each file, through a linked input folder, a link to a file inside and a link leading out;
    a file reached twice (through the linked folder and directly) is given once."""
    import os

    outside = tmp_path / "outside.txt"
    outside.write_text("outside", encoding="utf-8")
    (tree / "b" / "link-in.txt").symlink_to(tree / "z.txt")
    (tree / "b" / "link-out.txt").symlink_to(outside)
    (tmp_path / "via").symlink_to(tree)
    items = list(discover([str(tmp_path / "via"), str(tree / "z.txt"), str(tree)], follow_symlinks=follow))
    candidates = [c for c in items if isinstance(c, Candidate)]
    walked = [c for c in candidates if not c.explicit]
    assert walked and all(c.real == os.path.realpath(c.path) for c in walked)
    reals = [os.path.realpath(c.path) for c in candidates]
    assert len(reals) == len(set(reals))  # every file once, whichever way it was reached
    leaving = [p for p in items if not isinstance(p, Candidate)]
    assert bool(leaving) is not follow  # the link leading out: a problem unless links are followed
    assert (str(outside) in reals) is follow
