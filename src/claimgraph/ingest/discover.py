"""INPUT arguments -> the files to read: files, folders (recursive, sorted) and globs, in any mix."""

from __future__ import annotations

import glob
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from ..errors import Errors, InputError, InputProblem

__all__ = ["Candidate", "discover", "format_of", "is_glob"]


@dataclass(frozen=True)
class Candidate:
    """One file to read: ``path`` as it will be reported, and whether the user named it explicitly."""

    path: str
    explicit: bool
    real: str | None = field(default=None, compare=False, repr=False)
    """``os.path.realpath(path)`` when the folder walk knew it already (``None``: not computed)."""


def is_glob(value: str) -> bool:
    return any(c in value for c in "*?[")


def format_of(path: str, suffixes: Mapping[str, str]) -> str | None:
    """The registered reader for ``path``'s suffix (longest match, case-insensitive, ``.gz`` allowed)."""
    name = os.path.basename(path).lower()
    best: str | None = None
    for suffix in suffixes:
        if (name.endswith(suffix) or name.endswith(suffix + ".gz")) and (
            best is None or len(suffix) > len(best)
        ):
            best = suffix
    return suffixes[best] if best is not None else None


def _join(directory: str, relative: str) -> str:
    return directory + relative if directory.endswith(("/", os.sep)) else f"{directory}/{relative}"


def _leaves(target: str, root: str) -> str | None:
    """``target`` (a link's real path) when it is outside the folder ``root``; else ``None``."""
    return None if target.startswith(root.rstrip(os.sep) + os.sep) else target


def _walk(directory: str, follow_symlinks: bool = False) -> Iterator[Candidate | InputProblem]:
    """The files under ``directory``, each with its real path: a file that is not a symbolic link is
    its folder's real path (resolved once per folder) joined with its name, so only links are resolved
    one by one (``realpath`` of every file was one ``lstat`` per path component)."""
    problems: list[OSError] = []
    found: list[tuple[str, str]] = []
    leaving: list[tuple[str, str]] = []
    real_root = os.path.realpath(directory)
    for root, dirs, files in os.walk(directory, onerror=problems.append):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        rel_root = os.path.relpath(root, directory)
        real_folder = os.path.realpath(root)
        for name in files:
            if name.startswith("."):
                continue
            relative = name if rel_root == "." else os.path.join(rel_root, name).replace(os.sep, "/")
            full = os.path.join(root, name)
            link = os.path.islink(full)
            real = os.path.realpath(full) if link else os.path.join(real_folder, name)
            target = _leaves(real, real_root) if link and not follow_symlinks else None
            if target is not None:
                leaving.append((relative, target))
                continue
            found.append((relative, real))
    for relative, target in leaving:
        yield InputError(_join(directory, relative), Errors.E308, target=target).problem
    for error in problems:
        where = error.filename if isinstance(error.filename, str) else directory
        yield InputError(where, Errors.E002, reason=error.strerror or type(error).__name__).problem
    for relative, real in sorted(found):
        yield Candidate(_join(directory, relative), explicit=False, real=real)


def discover(inputs: Sequence[str], follow_symlinks: bool = False) -> Iterator[Candidate | InputProblem]:
    """Every file named by ``inputs``, in order: inputs as given, folder contents sorted by relative path.

    A file reached twice (named and inside a named folder) is read once. Hidden files and folders
    inside a folder are skipped. Missing paths (E001) and globs that match nothing (E015) are problems.
    A symbolic link inside a folder that leads outside it is a problem (E308) unless ``follow_symlinks``.
    """
    seen: set[str] = set()

    def fresh(path: str, real: str | None = None) -> bool:
        key = real if real is not None else os.path.realpath(path)
        if key in seen:
            return False
        seen.add(key)
        return True

    for raw in inputs:
        value = str(raw)
        if os.path.isdir(value):
            for item in _walk(value, follow_symlinks):
                if isinstance(item, InputProblem) or fresh(item.path, item.real):
                    yield item
        elif os.path.lexists(value):
            if fresh(value):
                yield Candidate(value, explicit=True)
        elif is_glob(value):
            matches = sorted(glob.glob(value, recursive=True))
            if not matches:
                yield InputError(value, Errors.E015, pattern=value).problem
            for match in matches:
                if os.path.isdir(match):
                    for item in _walk(match, follow_symlinks):
                        if isinstance(item, InputProblem) or fresh(item.path, item.real):
                            yield item
                elif fresh(match):
                    yield Candidate(match, explicit=False)
        else:
            yield InputError(value, Errors.E001).problem
