"""The server's state: the configuration, the vault in memory, the notes open in the editor.

One :class:`~notelint.run.Workspace` holds every note of the vault (from the
cache where it can answer); an open note's buffer stands in for its file. Every
event (a note opened, changed, saved, closed; files created, changed, deleted
or renamed on disk; the configuration changed) updates the workspace one note
at a time and answers which open notes need their diagnostics published again:
the note itself, and the open notes whose links may have changed status
(:meth:`Workspace.update` with ``among`` the open notes).

The workspace is opened without the links of the notes that are not open (a
warm start reads only the cache's index shards); :meth:`Session.fill_links`
adds them, a slice at a time while the server is idle and all at once before a
request that needs them (references, rename).
"""

from __future__ import annotations

import fnmatch
import gc
import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

from pygls.uris import from_fs_path, to_fs_path

from ..config import load_settings
from ..discover import NoteFile, walk
from ..errors import ConfigError
from ..findings import Finding
from ..parse import parse_note
from ..run import Workspace, read_note
from .positions import UTF16, LineMap

CONFIG_NAMES = ("pyproject.toml", "notelint.toml")
_SKIP_DIRS = {"node_modules", "__pycache__"}  # as the vault walk skips them


@dataclass
class OpenNote:
    """A note open in the editor: its buffer (as UTF-8), version and last findings."""

    uri: str
    file: NoteFile | None  # None: outside the vault (or excluded): not linted
    version: int | None
    data: bytes
    lines: LineMap
    findings: list[Finding] = field(default_factory=list)
    linted: int | None = -1  # the version ``findings`` are of
    _parsed: object | None = None

    def note(self):
        """The buffer parsed (:class:`notelint.document.Note`), once per version."""
        if self._parsed is None:
            rel = self.file.rel if self.file is not None else self.uri
            self._parsed = parse_note(rel, rel, self.data)
        return self._parsed


def uri_path(uri: str) -> str | None:
    """The file system path of a ``file:`` URI, else None."""
    if urlparse(uri).scheme != "file":
        return None
    return to_fs_path(uri) or unquote(urlparse(uri).path)


class Session:
    """The vault and the open notes of one workspace root."""

    def __init__(self, root: Path, encoding: str = UTF16, jobs: int | None = None):
        self.root = root
        self.encoding = encoding
        self.jobs = jobs or os.cpu_count() or 1
        self.settings = None
        self.workspace: Workspace | None = None
        self.cache = None
        self.files: dict[str, NoteFile] = {}  # rel -> the note's file, as walked
        self.bare: set[str] = set()  # notes whose links are not loaded yet
        self.open: dict[str, OpenNote] = {}  # by URI

    # -- loading ------------------------------------------------------------------------
    def load(self, settings=None) -> None:
        """Load the configuration (unless given) and open the vault; re-apply the open buffers.
        Raises :class:`~notelint.errors.NotelintError` (a configuration error) and keeps the
        previous state then."""
        gc.disable()  # the collector would walk the 100,000s of objects made here again and again
        try:
            self._load(settings)
        finally:
            gc.enable()
            gc.freeze()  # what survives is kept for the session: out of the collector's way

    def _load(self, settings) -> None:
        settings = settings if settings is not None else load_settings(self.root)
        if not settings.vault.is_dir():
            raise ConfigError(f"vault folder {settings.vault} does not exist")
        vault_files = walk(settings.vault, settings.vault, self.root, settings.exclude)
        cache = None
        if settings.cache_dir is not None:
            from ..cache import Cache

            cache = Cache(settings.cache_dir, f"{settings.vault}|{settings.fingerprint()}")
        workspace = Workspace.open(settings, vault_files, cache=cache, jobs=self.jobs, details=False)
        self.settings, self.workspace, self.cache = settings, workspace, cache
        self.files = {f.rel: f for f in vault_files}
        self.bare = set(self.files)
        for doc in self.open.values():
            doc.file = self.file_of(doc.uri)
            if doc.file is not None:
                self._update(doc.file, doc.data)

    def reload_config(self, path: str) -> bool:
        """A configuration file (or the videos file, or a JSON Schema) changed: load the
        configuration again, and open the vault again when it changed what notelint does."""
        new = load_settings(self.root)
        videos = self.settings.videos_file if self.settings is not None else None
        if self.workspace is not None and new == self.settings and (
                videos is None or os.path.realpath(path) != os.path.realpath(videos)):
            return False
        self.load(new)
        return True

    def fill_links(self, limit: int | None = None) -> bool:
        """Load the links of ``limit`` more notes (all when None); True when none is left."""
        if self.workspace is None:
            return True
        todo = sorted(self.bare) if limit is None else sorted(self.bare)[:limit]
        self.workspace.add_details(todo, self.cache)
        self.bare.difference_update(todo)
        gc.freeze()
        if not self.bare:
            self.cache = None  # its detail shards are no longer needed
        return not self.bare

    # -- where notes are ------------------------------------------------------------------
    def rel_of(self, path: str) -> str | None:
        """The vault path of the note at ``path``, or None (outside the vault, not ``.md``,
        in a hidden or skipped folder, excluded)."""
        if self.settings is None or not path.endswith(".md"):
            return None
        vault = str(self.settings.vault)
        rel = None
        for candidate in (os.path.normpath(path), os.path.realpath(path)):
            if candidate.startswith(vault.rstrip(os.sep) + os.sep):
                rel = candidate[len(vault.rstrip(os.sep)) + 1 :].replace(os.sep, "/")
                break
        if rel is None:
            return None
        parts = rel.split("/")
        if any(p.startswith(".") for p in parts) or any(p in _SKIP_DIRS for p in parts[:-1]):
            return None
        name = parts[-1]
        if any(fnmatch.fnmatchcase(rel, pat) or fnmatch.fnmatchcase(name, pat) for pat in self.settings.exclude):
            return None
        return rel

    def file_of(self, uri: str) -> NoteFile | None:
        path = uri_path(uri)
        rel = self.rel_of(path) if path is not None else None
        if rel is None:
            return None
        known = self.files.get(rel)
        return known if known is not None else NoteFile(os.path.join(self.settings.vault, rel), rel, rel)

    def uri_of(self, rel: str) -> str:
        for doc in self.open.values():
            if doc.file is not None and doc.file.rel == rel:
                return doc.uri
        return from_fs_path(os.path.join(str(self.settings.vault), *rel.split("/")))

    def open_rels(self) -> dict[str, OpenNote]:
        return {doc.file.rel: doc for doc in self.open.values() if doc.file is not None}

    def source(self, rel: str) -> tuple[bytes, LineMap] | None:
        """A note's text and line map: the open buffer, else the file (None: unreadable)."""
        doc = self.open_rels().get(rel)
        if doc is not None:
            return doc.data, doc.lines
        file = self.files.get(rel) or (self.workspace.results[rel].file if rel in self.workspace.results else None)
        if file is None:
            return None
        data, _ = read_note(file, self.settings.max_file_size)
        if data is None:
            return None
        return data, LineMap.of_file(data, self.encoding)

    # -- editor events (each returns the URIs to publish) -----------------------------------
    def opened(self, uri: str, data: bytes, version: int | None) -> set[str]:
        doc = OpenNote(uri, self.file_of(uri), version, data, LineMap.of_buffer(data, self.encoding))
        self.open[uri] = doc
        return self._changed(doc)

    def changed(self, uri: str, data: bytes, version: int | None) -> set[str]:
        doc = self.open.get(uri)
        if doc is None:
            return self.opened(uri, data, version)
        doc.data, doc.version, doc._parsed = data, version, None
        doc.lines = LineMap.of_buffer(data, self.encoding)
        return self._changed(doc)

    def closed(self, uri: str) -> set[str]:
        """The buffer is gone: the file on disk stands for the note again (or, deleted, for
        nothing). The closed note's diagnostics are cleared by the caller."""
        doc = self.open.pop(uri, None)
        if doc is None or doc.file is None or self.workspace is None:
            return set()
        return self._disk_changed(doc.file.rel, doc.file)

    def _changed(self, doc: OpenNote) -> set[str]:
        if doc.file is None or self.workspace is None:
            return {doc.uri}
        return {doc.uri} | self._update(doc.file, doc.data)

    def _update(self, file: NoteFile, data: bytes) -> set[str]:
        affected = self.workspace.update(file, data, among=self.open_rels())
        self.bare.discard(file.rel)
        return self._uris(affected)

    def _uris(self, rels) -> set[str]:
        docs = self.open_rels()
        return {docs[rel].uri for rel in rels if rel in docs}

    # -- files on disk ----------------------------------------------------------------------
    def disk_changed(self, path: str) -> set[str]:
        """A file was created, changed or deleted outside the editor."""
        if self.workspace is None:
            return set()
        rel = self.rel_of(path)
        if rel is None:
            return set()
        if rel in self.open_rels():
            return set()  # the buffer stands for the note while it is open
        return self._disk_changed(rel, self.files.get(rel) or NoteFile(path, rel, rel))

    def _disk_changed(self, rel: str, file: NoteFile) -> set[str]:
        if os.path.isfile(file.fspath):
            self.files[rel] = file
            affected = self.workspace.reload(file, among=self.open_rels())
            self.bare.discard(rel)
        else:
            self.files.pop(rel, None)
            self.bare.discard(rel)
            affected = self.workspace.remove(rel, among=self.open_rels())
        return self._uris(affected)

    @staticmethod
    def is_config(path: str) -> bool:
        """A file whose change may change the configuration: a configuration file, a videos file
        (CSV or JSON), a JSON Schema; not inside a hidden folder (such as the cache)."""
        if any(part.startswith(".") for part in Path(path).parts[:-1]):
            return False
        return os.path.basename(path) in CONFIG_NAMES or path.endswith((".json", ".csv"))

    # -- findings -----------------------------------------------------------------------------
    def lint(self, uri: str) -> list[Finding]:
        """The open note's findings now (kept for code actions and hover)."""
        doc = self.open.get(uri)
        if doc is None:
            return []
        if doc.file is None or self.workspace is None or doc.file.rel not in self.workspace.results:
            doc.findings = []
        else:
            doc.findings = self.workspace.lint(doc.file.rel)
        doc.linted = doc.version
        return doc.findings
