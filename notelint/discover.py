"""Discover the notes: the vault's Markdown files and the ones asked for.

Never follows a symbolic link out of the vault, never walks into a linked
folder (no loops), skips hidden folders (``.git``, ``.obsidian``, the cache),
the configured ``exclude`` patterns and, with ``respect-gitignore``, what git
ignores (:mod:`notelint.exclude`). Stale temporary files of a killed
``--fix`` met on the way are removed (:func:`notelint.atomic.remove_if_stale`).

A ``.md`` link that cannot be followed (it leads out of the vault, its target
is missing, or it is part of a loop) is not dropped silently: it becomes a
:class:`NoteFile` with a ``problem``, reported as NL001 without being read.
A path named on the command line gets the same treatment when a symbolic
link (the file or a folder above it) would take it out of the vault.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from .atomic import is_temporary, remove_if_stale
from .errors import DiscoveryError
from .exclude import Exclusion, GitIgnores

_SKIP_DIRS = {"node_modules", "__pycache__"}


class NoteFile:
    """A note to read: its absolute path, its path in the vault, how findings name it,
    and why it must not be read (NL001), e.g. a symbolic link out of the vault."""

    __slots__ = ("_folder", "_path", "rel", "_display", "problem")

    def __init__(self, path: str | os.PathLike, rel: str, display: str, problem: str | None = None):
        full = os.fspath(path)  # absolute; a str, so that 100,000 of them cost little
        self.rel = rel  # posix path relative to the vault root (or the path as given, outside it)
        # the notes of a vault share one string for the folder their paths start with, and a
        # shown path equal to ``rel`` is ``rel`` (three strings a note were 20 MB of 100,000)
        joined = full.endswith(rel)
        self._folder = sys.intern(full[: len(full) - len(rel)]) if joined else ""
        self._path = None if joined else full
        self._display = None if display == rel else display
        self.problem = problem

    @property
    def fspath(self) -> str:
        """The note's absolute path."""
        return self._folder + self.rel if self._path is None else self._path

    @property
    def display(self) -> str:
        """How findings name the note: its path from the current folder."""
        return self.rel if self._display is None else self._display

    @property
    def path(self) -> Path:
        return Path(self.fspath)

    def __repr__(self) -> str:
        return f"NoteFile({self.fspath!r}, {self.rel!r}, {self.display!r}, {self.problem!r})"

    def __eq__(self, other) -> bool:
        return isinstance(other, NoteFile) and (self.fspath, self.rel, self.display, self.problem) == (
            other.fspath, other.rel, other.display, other.problem)

    def __hash__(self) -> int:
        return hash((self.fspath, self.rel, self.display))


def _display(path: Path, cwd: Path) -> str:
    try:
        return path.relative_to(cwd).as_posix()
    except ValueError:
        return path.as_posix()


def _rel(path: Path, vault: Path) -> str | None:
    try:
        return path.relative_to(vault).as_posix()
    except ValueError:
        return None


def _inside(real: str, vault_real: str) -> bool:
    return real == vault_real or real.startswith(vault_real.rstrip(os.sep) + os.sep)


_OUT_OF_VAULT = "symbolic link out of the vault; not followed"


def link_problem(path: str, vault_real: str) -> str | None:
    """Why the symbolic link ``path`` must not be followed, or None (a file inside the vault)."""
    real = os.path.realpath(path)
    if not _inside(real, vault_real):
        return _OUT_OF_VAULT
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loop; not followed"
        return "broken symbolic link: its target does not exist"
    return None


def walk(folder: Path, vault: Path, cwd: Path, exclude: Exclusion | Sequence[str] | None) -> list[NoteFile]:
    """The Markdown files under ``folder``, sorted by path; ``exclude`` leaves some out."""
    exclusion = Exclusion.of(exclude)
    vault_real = os.path.realpath(vault)
    vault_prefix = str(vault).rstrip(os.sep) + os.sep
    cwd_prefix = str(cwd).rstrip(os.sep) + os.sep
    out: list[NoteFile] = []
    stack = [(str(folder), GitIgnores.above(str(folder)) if exclusion.gitignore else None)]
    while stack:
        current, ignores = stack.pop()
        try:
            entries = list(os.scandir(current))
        except OSError:
            continue
        if ignores is not None:
            ignores = ignores.entering(current, [e.name for e in entries])
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                if is_temporary(name):
                    remove_if_stale(entry.path)  # left by a killed --fix (see notelint.atomic)
                continue
            try:
                is_link = entry.is_symlink()
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                continue
            if not is_dir and not name.endswith(".md"):
                continue
            full = entry.path
            rel = full[len(vault_prefix) :] if full.startswith(vault_prefix) else name
            if os.sep != "/":
                rel = rel.replace(os.sep, "/")
            if exclusion.excluded(rel, is_dir) or (ignores is not None and ignores.ignored(full, is_dir)):
                continue
            if is_dir:
                if name not in _SKIP_DIRS:
                    stack.append((full, ignores))
                continue
            problem = None
            if is_link:
                problem = link_problem(full, vault_real)
                if problem is None and os.path.isdir(full):
                    continue  # a link to a folder: linked folders are not walked (a link to a FIFO is NL001)
            display = full[len(cwd_prefix) :] if full.startswith(cwd_prefix) else full
            out.append(NoteFile(full, rel, display.replace(os.sep, "/"), problem))
    out.sort(key=lambda f: f.rel)
    return out


def discover(paths: list[Path], vault: Path, cwd: Path, exclude: Exclusion | Sequence[str] | None,
             force_exclude: bool = False) -> list[NoteFile]:
    """Expand the paths asked for into note files (folders are walked). A path named here is
    checked even when ``exclude`` leaves it out, unless ``force_exclude`` (ruff's ``--force-exclude``,
    for pre-commit, which names every staged file)."""
    seen: dict[str, NoteFile] = {}
    vault_real = os.path.realpath(vault)
    exclusion = Exclusion.of(exclude)
    for p in paths:
        path = p if p.is_absolute() else cwd / p
        path = Path(os.path.normpath(path))
        if not path.exists() and not path.is_symlink():
            raise DiscoveryError(f"{p}: no such file or directory")
        if force_exclude and _forced_out(path, vault, exclusion):
            continue
        real = os.path.realpath(path)
        problem = None
        if real != str(path) and _rel(path, vault) is not None:
            # a symbolic link on the way from inside the vault: it must stay in the vault (a
            # path named outside the vault is the user's choice, linked or not)
            problem = link_problem(str(path), vault_real)
        if problem is None and path.is_dir():
            # a linked folder inside the vault is walked where it really is
            folder = Path(real) if real != str(path) else path
            for f in walk(folder, vault, cwd, exclude):
                seen.setdefault(f.fspath, f)
            continue
        display = _display(path, cwd)
        rel = _rel(path, vault)
        if rel is None and problem is None and real != str(path):
            rel = _rel(Path(real), vault)  # the vault reached through a linked folder: one note, not two
            if rel is not None:
                path = Path(real)
        seen.setdefault(str(path), NoteFile(path, rel or path.as_posix(), display, problem))
    return sorted(seen.values(), key=lambda f: f.rel)


def _forced_out(path: Path, vault: Path, exclusion: Exclusion) -> bool:
    rel = _rel(path, vault)
    if rel is None or rel == ".":
        return False
    if exclusion.excluded(rel, path.is_dir()):
        return True
    if exclusion.gitignore:
        return GitIgnores.above(str(path)).ignored(str(path), path.is_dir())
    return False


def note_file(path: Path, vault: Path, cwd: Path) -> NoteFile:
    """The note a path names, whether or not it exists (``--stdin-filename``)."""
    full = Path(os.path.normpath(path if path.is_absolute() else cwd / path))
    return NoteFile(full, _rel(full, vault) or full.as_posix(), _display(full, cwd))
