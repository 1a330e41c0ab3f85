"""Where the run starts from, and the vault root as a vault user has it.

The *anchor* is the folder the paths checked have in common (the working directory when
none is given): the configuration is looked for from there up, as ruff does, then from
the working directory. Without a configured vault, the vault root is, walking up from
the anchor, the first of

1. a folder holding ``.obsidian/`` (an Obsidian vault);
2. a Quartz site's ``content/`` folder (``quartz.config.ts`` beside it), also when the
   anchor is the site's folder itself;
3. the git root (the folder holding ``.git``), or its ``notes/`` folder when it has one and
   the paths checked lie in it (or none is given);

and else, as before any of these existed: ``notes/`` of the working directory when the
paths lie in it, else the folder checked (or the folder the files checked have in common).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..quartz.config import read_quartz_config


def anchor_of(paths: list[Path], cwd: Path) -> Path:
    """The folder the paths have in common (a file counts as its folder); ``cwd`` without paths."""
    folders = []
    for p in paths:
        full = Path(os.path.normpath(p if p.is_absolute() else cwd / p))
        folders.append(full if full.is_dir() else full.parent)
    if not folders:
        return Path(os.path.normpath(cwd))
    common = os.path.commonpath([str(f) for f in folders])
    return Path(common)


def _quartz_content(folder: Path) -> Path | None:
    if folder.name == "content" and (folder.parent / "quartz.config.ts").is_file():
        return folder
    if (folder / "quartz.config.ts").is_file() and (folder / "content").is_dir():
        return folder / "content"
    return None


def find_vault(anchor: Path, cwd: Path, paths: list[Path]) -> tuple[Path, str]:
    """The vault root for a run with no configured vault, and how it was found."""
    folder = anchor
    while True:
        if (folder / ".obsidian").is_dir():
            return folder.resolve(), "the folder holding .obsidian/"
        quartz = _quartz_content(folder)
        if quartz is not None:
            return quartz.resolve(), "the Quartz content folder (quartz.config.ts beside it)"
        if (folder / ".git").exists():
            notes = folder / "notes"
            # a repository with a notes/ folder: the notes are the vault, the code beside them is not
            if notes.is_dir() and _all_inside(paths, cwd, notes.resolve()):
                return notes.resolve(), "the notes/ folder of the git repository"
            return folder.resolve(), "the git root"
        if folder.parent == folder:
            break
        folder = folder.parent
    return _fallback(cwd, paths)


def _all_inside(paths: list[Path], cwd: Path, folder: Path) -> bool:
    return all(_inside((p if p.is_absolute() else cwd / p).resolve(), folder) for p in paths)


def _fallback(cwd: Path, paths: list[Path]) -> tuple[Path, str]:
    """No marker: notes/ when the paths lie in it, else the folder checked."""
    notes = (cwd / "notes").resolve()
    resolved = [p.resolve() for p in paths]
    if not resolved:
        return (notes, "notes/ of the working directory") if notes.is_dir() else (cwd.resolve(), "the working directory")
    if notes.is_dir() and all(_inside(p, notes) for p in resolved):
        return notes, "notes/ of the working directory"
    if len(resolved) == 1 and resolved[0].is_dir():
        return resolved[0], "the folder checked"
    parents = [p if p.is_dir() else p.parent for p in resolved]
    common = parents[0]
    for p in parents[1:]:
        while not _inside(p, common):
            common = common.parent
    return common, "the folder of the notes checked"


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
        return True
    except ValueError:
        return False


@dataclass(frozen=True, slots=True)
class QuartzSite:
    """The Quartz site a vault is published with: its ``quartz.config.ts`` as read by
    :func:`notelint.quartz.config.read_quartz_config`, and its content folder relative to the
    vault root (``""``: the vault root is the content folder)."""

    config_file: Path
    strategy: str
    ignore_patterns: tuple[str, ...]
    content: str


def quartz_site(vault: Path) -> QuartzSite | None:
    """The Quartz site of ``vault``: a ``quartz.config.ts`` beside the vault (the vault is the
    site's ``content/``) or in it (the vault is the site folder, its notes under ``content/``)."""
    for config, content in ((vault.parent / "quartz.config.ts", ""), (vault / "quartz.config.ts", "content/")):
        if config.is_file() and (content == "" or (vault / "content").is_dir()):
            try:
                text = read_bounded(config)
            except OSError:
                continue
            read = read_quartz_config(text)
            return QuartzSite(config, read.strategy, read.ignore_patterns, content)
    return None


def read_bounded(path: Path, cap: int = 1 << 20) -> str:
    """A configuration file's text, at most ``cap`` bytes (a site configuration is small)."""
    with open(path, "rb") as fh:
        return fh.read(cap).decode("utf-8", "replace")
