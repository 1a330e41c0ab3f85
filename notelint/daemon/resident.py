"""The vault a daemon keeps open between requests, brought up to date before each one.

A fresh ``notelint check NOTE`` walks the vault, opens a :class:`~notelint.run.Workspace`
(every other note's index entry from the cache) and lints the notes named. A resident
vault did the walk and the opening once; before a request it takes in what changed on
disk since the last one (from :class:`~.changes.Watcher`, else by stat-ing every note),
so that what it answers is what a fresh run would: a note changed on disk is filed again
from its new bytes, exactly as the opening would file it (its index part only), and the
notes a request named are put back that way after it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path

from ..discover import NoteFile, walk
from ..exclude import ignore_files_above
from ..run import Workspace
from ..run.lint import lint_file
from ..run.payload import entry_from_plain, entry_index
from ..run.result import NoteResult
from ..vault.quartz_mode import site_assets
from .changes import Watcher


def identity(settings) -> str:
    """Everything a resident vault's notes depend on that a request's settings may change
    (the rules' settings, the vault, what it leaves out, the per-video data)."""
    return json.dumps([settings.fingerprint(), str(settings.vault), str(settings.cache_dir), sorted(settings.exclude),
                       settings.respect_gitignore, str(settings.videos_file), str(settings.transcripts_dir)])


def _signature(path: str) -> tuple | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


class Resident:
    """One vault kept open for requests made from ``cwd`` (findings name notes relative to it)."""

    def __init__(self, settings, cwd: str, jobs: int = 1, watch: bool = True):
        self.cwd = cwd
        self.jobs = jobs
        self.watch = watch
        self.watcher: Watcher | None = None
        self.opened = 0  # times the vault was opened (the first, then after a settings change)
        self._open(settings)

    # -- opening --------------------------------------------------------------------------
    def _open(self, settings) -> None:
        from ..cache import Cache

        self.close()
        self.broken = False  # set when a request failed half-way: opened anew before the next
        self.settings = settings
        self.identity = identity(settings)
        self.outside = self._outside_signatures(settings)
        if self.watch:  # watched before the walk: a change made during the opening is seen next time
            roots = [str(settings.vault)] + ([str(settings.transcripts_dir)] if settings.transcripts_dir else [])
            try:
                self.watcher = Watcher(roots, skip=(str(settings.cache_dir),) if settings.cache_dir else ())
            except OSError:
                self.watcher = None
        self._set_files(self._walk())
        cache = Cache(settings.cache_dir, f"{settings.vault}|{settings.fingerprint()}") if settings.cache_dir else None
        self.workspace = Workspace.open(settings, self.files, cache=cache, jobs=self.jobs, details=False)
        self.stats = {f.rel: _signature(f.fspath) for f in self.files} if self.watcher is None else {}
        self.transcripts = self._transcripts_signature(settings) if self.watcher is None else {}
        self.opened += 1

    def _walk(self) -> list[NoteFile]:
        """The vault's notes; the symbolic links among them are read again on every request
        (what they point to may lie outside the folders watched)."""
        s = self.settings
        files = walk(s.vault, s.vault, Path(self.cwd), s.exclusion)
        self.linked = {f.rel for f in files if f.problem is None and os.path.islink(f.fspath)}
        return files

    def _outside_signatures(self, settings) -> dict[str, tuple | None]:
        """Files outside the notes that the settings or the rules read: the configuration, the
        videos file, and the ignore files above the vault (read when a walk starts; those in
        it are seen as the notes are)."""
        paths = [settings.config_file, settings.videos_file]
        if settings.respect_gitignore:
            paths += [path for _, path in ignore_files_above(str(settings.vault))]
        return {str(p): _signature(str(p)) for p in paths if p is not None}

    def close(self) -> None:
        if self.watcher is not None:
            self.watcher.close()
            self.watcher = None

    # -- before a request -----------------------------------------------------------------
    def refuses(self, settings, cwd: str) -> str | None:
        """Why this vault cannot answer a request with ``settings`` from ``cwd`` (None: it can)."""
        if cwd != self.cwd:
            return f"the daemon serves requests from {self.cwd}"
        if settings.vault != self.settings.vault or settings.cache_dir != self.settings.cache_dir:
            return f"the daemon serves the vault {self.settings.vault}"
        return None

    def refresh(self, settings) -> None:
        """Take in every change made since the last request; open the vault again when the
        settings or a file outside the notes changed."""
        if self.broken or identity(settings) != self.identity or self._outside_signatures(settings) != self.outside:
            self._open(settings)
            return
        self.settings = settings
        if self.watcher is not None:
            changes = self.watcher.changes()
            if not changes:
                return
            transcripts = os.path.join(str(settings.transcripts_dir or "\0"), "")
            quartz = settings.link_resolution == "quartz"
            if (any(p.startswith(transcripts) for p in changes.written | changes.moved)  # cited moments' truth
                    or (quartz and (changes.folders or any(not p.endswith(".md") for p in changes.moved)))):
                self._open(settings)  # the transcripts, or the files a Quartz site publishes besides notes
                return
            files = self._walk() if changes.structural else self.files
            self._take(files, changes.written | changes.moved)
        else:
            if self._published_elsewhere_changed(settings):
                self._open(settings)
                return
            files = self._walk()
            stats = {f.rel: _signature(f.fspath) for f in files}
            self._take(files, {f.fspath for f in files if stats[f.rel] != self.stats.get(f.rel)})
            self.stats = stats

    def _published_elsewhere_changed(self, settings) -> bool:
        """Without a watcher: whether the transcripts or a Quartz site's assets changed."""
        if self._transcripts_signature(settings) != self.transcripts:
            return True
        resolver = self.workspace.index.resolver
        return settings.link_resolution == "quartz" and site_assets(settings) != getattr(resolver, "assets", ())

    @staticmethod
    def _transcripts_signature(settings) -> dict[str, tuple | None]:
        if settings.transcripts_dir is None:
            return {}
        out = {}
        for folder, _dirs, names in os.walk(settings.transcripts_dir):
            for name in names:
                out[os.path.join(folder, name)] = _signature(os.path.join(folder, name))
        return out

    def _take(self, files: list[NoteFile], written: set[str]) -> None:
        """Make ``files`` the vault: forget the notes gone, file the new ones and those written.
        When the notes are the same ones (``files`` is :attr:`files`), only those written and
        the symbolic links are looked at: a request costs what changed, not the vault's size."""
        if files is self.files:
            for f in [self.by_path[p] for p in written if p in self.by_path]:
                self._file(f)
            for rel in self.linked:
                self._file(self.by_rel[rel])
            return
        now = {f.rel: f for f in files}
        for rel in [f.rel for f in self.files if f.rel not in now]:
            self.workspace.remove(rel)
        known = self.workspace.results
        for f in files:
            if f.rel not in known or f.fspath in written or f.rel in self.linked:
                self._file(f)
        self._set_files(files)

    def _set_files(self, files: list[NoteFile]) -> None:
        self.files = files
        self.by_rel = {f.rel: f for f in files}
        self.by_path = {f.fspath: f for f in files}

    def _file(self, f: NoteFile) -> None:
        """File ``f`` as the opening would have: linted, and kept as its index part only."""
        self._keep_index_part(f, lint_file(f, self.workspace.ctx, checked=False))

    def _keep_index_part(self, f: NoteFile, res: NoteResult) -> None:
        """``res`` as the opening files a note: its index entry's names only (a decoded entry
        without its details), no findings."""
        entry = entry_from_plain(f.rel, entry_index(res.entry), None)
        self.workspace.results[f.rel] = NoteResult(f, [], entry, [], checked=False)
        self.workspace.index.add(entry)

    # -- after a request ------------------------------------------------------------------
    def put_back(self, rels: Iterable[str]) -> None:
        """The notes a request linted, as the opening has them again: their index part only,
        and not at all for a note named that is not in the vault (outside it, left out)."""
        for rel in rels:
            if rel in self.by_rel:
                res = self.workspace.results.get(rel)
                if res is not None and res.checked:
                    self._keep_index_part(self.by_rel[rel], res)
            else:
                self.workspace.remove(rel)
