"""Discover the notes: the vault's Markdown files and the ones asked for.

Never follows a symbolic link out of the vault, never walks into a linked
folder (no loops), skips hidden folders (``.git``, ``.obsidian``, the cache)
and the configured ``exclude`` globs.
"""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path

_SKIP_DIRS = {"node_modules", "__pycache__"}


class NoteFile:
    """A note to read: its absolute path, its path in the vault, and how findings name it."""

    __slots__ = ("fspath", "rel", "display")

    def __init__(self, path: str | os.PathLike, rel: str, display: str):
        self.fspath = os.fspath(path)  # absolute; a str, so that 100,000 of them cost little
        self.rel = rel  # posix path relative to the vault root (or the path as given, outside it)
        self.display = display

    @property
    def path(self) -> Path:
        return Path(self.fspath)

    def __repr__(self) -> str:
        return f"NoteFile({self.fspath!r}, {self.rel!r}, {self.display!r})"

    def __eq__(self, other) -> bool:
        return isinstance(other, NoteFile) and (self.fspath, self.rel, self.display) == (other.fspath, other.rel, other.display)

    def __hash__(self) -> int:
        return hash((self.fspath, self.rel, self.display))


class DiscoveryError(Exception):
    pass


def _excluded(rel: str, exclude: list[str]) -> bool:
    name = rel.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatchcase(rel, pat) or fnmatch.fnmatchcase(name, pat) for pat in exclude)


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


def walk(folder: Path, vault: Path, cwd: Path, exclude: list[str]) -> list[NoteFile]:
    """The Markdown files under ``folder``, sorted by path."""
    vault_real = os.path.realpath(vault)
    vault_prefix = str(vault).rstrip(os.sep) + os.sep
    cwd_prefix = str(cwd).rstrip(os.sep) + os.sep
    out: list[NoteFile] = []
    stack = [str(folder)]
    while stack:
        current = stack.pop()
        try:
            entries = list(os.scandir(current))
        except OSError:
            continue
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            try:
                is_link = entry.is_symlink()
                if entry.is_dir(follow_symlinks=False):
                    if name not in _SKIP_DIRS:
                        stack.append(entry.path)
                    continue
            except OSError:
                continue
            if not name.endswith(".md"):
                continue
            full = entry.path
            if is_link:
                real = os.path.realpath(full)
                if not _inside(real, vault_real) or not os.path.isfile(real):
                    continue  # a link out of the vault, dangling, or to a folder
            rel = full[len(vault_prefix) :] if full.startswith(vault_prefix) else name
            if os.sep != "/":
                rel = rel.replace(os.sep, "/")
            if exclude and _excluded(rel, exclude):
                continue
            display = full[len(cwd_prefix) :] if full.startswith(cwd_prefix) else full
            out.append(NoteFile(full, rel, display.replace(os.sep, "/")))
    out.sort(key=lambda f: f.rel)
    return out


def discover(paths: list[Path], vault: Path, cwd: Path, exclude: list[str]) -> list[NoteFile]:
    """Expand the paths asked for into note files (folders are walked)."""
    seen: dict[str, NoteFile] = {}
    for p in paths:
        path = p if p.is_absolute() else cwd / p
        path = Path(os.path.normpath(path))
        if path.is_dir() and not path.is_symlink():
            for f in walk(path, vault, cwd, exclude):
                seen.setdefault(f.fspath, f)
            continue
        if not path.exists() and not path.is_symlink():
            raise DiscoveryError(f"{p}: no such file or directory")
        rel = _rel(path, vault) or path.as_posix()
        if path.is_symlink():
            real = os.path.realpath(path)
            if not _inside(real, os.path.realpath(vault)):
                raise DiscoveryError(f"{p}: symbolic link out of the vault; not followed")
        seen.setdefault(str(path), NoteFile(path, rel, _display(path, cwd)))
    return sorted(seen.values(), key=lambda f: f.rel)


def note_file(path: Path, vault: Path, cwd: Path) -> NoteFile:
    """The note a path names, whether or not it exists (``--stdin-filename``)."""
    full = Path(os.path.normpath(path if path.is_absolute() else cwd / path))
    return NoteFile(full, _rel(full, vault) or full.as_posix(), _display(full, cwd))
