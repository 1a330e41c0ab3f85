"""Which files the vault leaves out: gitignore-style patterns (pathspec), as ruff has them.

* ``exclude`` / ``extend-exclude`` / ``--exclude`` / ``--extend-exclude`` patterns are
  relative to the vault root and follow ``.gitignore`` rules: ``drafts`` leaves out every
  file or folder named ``drafts`` at any depth, ``/drafts`` only the one at the root,
  ``drafts/*.md`` the notes directly in the root's ``drafts/``, ``**/tmp-*.md`` at any
  depth; ``*`` never crosses ``/``; ``!pattern`` takes a file back.
* With ``respect-gitignore`` (the default), the ``.gitignore`` files of the folders walked
  and of the folders above them up to the git root, and the repository's
  ``.git/info/exclude``, are read as git reads them: each relative to its own folder, a
  deeper file overriding a shallower one.

A folder left out is not walked at all.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from .readfile import read_regular

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec

__all__ = ["Exclusion", "GitIgnores", "git_root", "match_patterns"]


@lru_cache(maxsize=256)
def _spec(patterns: tuple[str, ...]) -> GitIgnoreSpec:
    from pathspec import GitIgnoreSpec  # imported only when there is a pattern to match

    return GitIgnoreSpec.from_lines(patterns)


def match_patterns(patterns: Sequence[str], rel: str, is_dir: bool = False) -> bool:
    """Whether the vault-relative posix path ``rel`` matches the gitignore-style ``patterns``."""
    if not patterns:
        return False
    result = _spec(tuple(patterns)).check_file(rel + "/" if is_dir else rel)
    return bool(result.include)


def git_root(start: str) -> str | None:
    """The nearest folder at or above ``start`` that holds ``.git`` (a folder, or a file in a worktree)."""
    folder = os.path.abspath(start)
    while True:
        if os.path.exists(os.path.join(folder, ".git")):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def _read_ignore(path: str) -> GitIgnoreSpec | None:
    try:  # a .gitignore over 1 MiB is read in part; a FIFO or device is not read (no hang)
        lines = read_regular(path, 1 << 20, partial=True).decode("utf-8", "replace").splitlines()
    except OSError:
        return None
    lines = [line for line in lines if line.strip() and not line.startswith("#")]
    return _spec(tuple(lines)) if lines else None


def _union(spec: GitIgnoreSpec) -> re.Pattern | None:
    """One regular expression for a spec without ``!`` patterns (any match ignores): one search per
    path instead of one per pattern, which matters on a 20,000-note walk. None with a ``!``."""
    regexes = []
    for pattern in spec.patterns:
        if pattern.include is False:
            return None
        if pattern.include is not None:
            regexes.append(pattern.regex.pattern.replace("(?P<ps_d>", "(?:"))
    return re.compile("|".join(f"(?:{r})" for r in regexes)) if regexes else None


def ignore_files_above(folder: str) -> list[tuple[str, str]]:
    """(the folder its patterns are relative to, the file) of each ignore file a walk of
    ``folder`` reads before it starts, shallow to deep: ``.git/info/exclude``, then the
    ``.gitignore`` files from the git root down to ``folder``'s parent. None outside a git
    repository."""
    folder = os.path.abspath(folder)
    root = git_root(folder)
    if root is None:
        return []
    chain = []
    current = os.path.dirname(folder) if folder != root else None
    while current is not None and (current == root or current.startswith(root.rstrip(os.sep) + os.sep)):
        chain.append(current)
        current = os.path.dirname(current) if current != root else None
    return [(root, os.path.join(root, ".git", "info", "exclude")),
            *((path, os.path.join(path, ".gitignore")) for path in reversed(chain))]


@dataclass
class GitIgnores:
    """The ``.gitignore`` specs in force in one folder: (folder prefix, spec, its union), shallow to deep."""

    specs: tuple[tuple[str, GitIgnoreSpec, re.Pattern | None], ...] = ()

    @classmethod
    def above(cls, folder: str) -> GitIgnores:
        """The specs of ``.git/info/exclude`` and the ``.gitignore`` files from the git root down to
        ``folder``'s parent (``folder``'s own file is added when it is walked). Outside a git
        repository, only the ``.gitignore`` of ``folder`` itself counts."""
        specs: list[tuple[str, GitIgnoreSpec, re.Pattern | None]] = []
        for base, path in ignore_files_above(folder):
            spec = _read_ignore(path)
            if spec is not None:
                specs.append(_entry(base, spec))
        return cls(tuple(specs))

    def entering(self, folder: str, names: Iterable[str]) -> GitIgnores:
        """The specs in force inside ``folder`` (``names``: its entries), with its own ``.gitignore``."""
        if ".gitignore" not in names:
            return self
        spec = _read_ignore(os.path.join(folder, ".gitignore"))
        return self if spec is None else GitIgnores((*self.specs, _entry(folder, spec)))

    def ignored(self, full: str, is_dir: bool) -> bool:
        """Whether git ignores the file or folder at the absolute path ``full``."""
        verdict = None
        for prefix, spec, union in self.specs:
            if not full.startswith(prefix):
                continue
            rel = full[len(prefix):]
            if os.sep != "/":
                rel = rel.replace(os.sep, "/")
            if union is not None:
                if union.search(rel + "/" if is_dir else rel):
                    verdict = True
                continue
            result = spec.check_file(rel + "/" if is_dir else rel)
            if result.include is not None:
                verdict = result.include
        return bool(verdict)


def _entry(folder: str, spec: GitIgnoreSpec) -> tuple[str, GitIgnoreSpec, re.Pattern | None]:
    return folder.rstrip(os.sep) + os.sep, spec, _union(spec)


@dataclass
class Exclusion:
    """What a walk leaves out: ``patterns`` relative to the vault root, and, with ``gitignore``,
    what git ignores. A plain list of patterns converts with :meth:`of`."""

    patterns: tuple[str, ...] = ()
    gitignore: bool = False

    @classmethod
    def of(cls, value: Exclusion | Sequence[str] | None) -> Exclusion:
        if isinstance(value, Exclusion):
            return value
        return cls(tuple(value or ()))

    def excluded(self, rel: str, is_dir: bool = False) -> bool:
        """Whether the vault-relative path ``rel`` matches the exclude patterns (not ``.gitignore``);
        a file in an excluded folder matches too."""
        return match_patterns(self.patterns, rel, is_dir)
