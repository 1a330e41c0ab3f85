"""The language server: lifecycle, notes opened and changed, files on disk, publishing.

Every handler is synchronous and runs on the event loop, one message after the
other, so the session needs no lock. Diagnostics are published from a
callback scheduled after the message that asked for them: when several
changes arrive together, each note is linted once, at its latest version.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from pathlib import Path

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer

from .. import __version__
from ..errors import NotelintError
from .diagnostics import diagnostic
from .positions import UTF16, to_bytes
from .protocol import NotelintProtocol, answer_parse_error
from .session import Session, uri_path

logger = logging.getLogger(__name__)

FILL_SLICE = 150  # notes whose links are loaded per idle step (about 10 ms)
QUIET = 0.3  # seconds without a note changing before a step is taken
WATCH = ["**/*.md", "**/pyproject.toml", "**/notelint.toml", "**/*.json", "**/*.csv"]


class NotelintServer(LanguageServer):
    def __init__(self, jobs: int | None = None):
        super().__init__("notelint", __version__, text_document_sync_kind=lsp.TextDocumentSyncKind.Full,
                         protocol_cls=NotelintProtocol)
        self.jobs = jobs
        self.session: Session | None = None
        self.pending: set[str] = set()
        self._flush_handle: asyncio.Handle | None = None
        self._fill_handle: asyncio.TimerHandle | None = None
        self._last_change = 0.0  # loop time of the last note event

    # -- errors ---------------------------------------------------------------------------
    def report_server_error(self, error, source):
        if answer_parse_error(self.protocol, error):
            return
        super().report_server_error(error, source)

    def tell(self, message: str, kind: lsp.MessageType = lsp.MessageType.Error) -> None:
        self.window_show_message(lsp.ShowMessageParams(type=kind, message=f"notelint: {message}"))

    def log(self, message: str) -> None:
        self.window_log_message(lsp.LogMessageParams(type=lsp.MessageType.Log, message=f"notelint: {message}"))

    # -- publishing -------------------------------------------------------------------------
    def schedule(self, uris) -> None:
        """Publish the diagnostics of ``uris`` once the current message is handled."""
        self.pending.update(uris)
        self._last_change = asyncio.get_running_loop().time()
        if self.pending and self._flush_handle is None:
            self._flush_handle = asyncio.get_running_loop().call_soon(self.flush)

    def flush(self) -> None:
        self._flush_handle = None
        session = self.session
        uris, self.pending = sorted(self.pending), set()
        for uri in uris:
            doc = session.open.get(uri) if session is not None else None
            if doc is None:
                continue
            try:
                found = session.lint(uri)
            except Exception as exc:  # noqa: BLE001 - one note must not stop the server
                logger.exception("linting %s failed", uri)
                self.log(f"linting {uri} failed: {type(exc).__name__}: {exc}")
                continue
            self.publish(uri, [diagnostic(f, doc.lines) for f in found], doc.version)

    def publish(self, uri: str, diagnostics: list, version: int | None = None) -> None:
        self.text_document_publish_diagnostics(
            lsp.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version))

    def ready(self) -> Session:
        """The session, or an error answered to the request: the vault could not be opened."""
        if self.session is None or self.session.workspace is None:
            from pygls.exceptions import JsonRpcException

            raise JsonRpcException("notelint: the vault is not open (see the configuration error)", code=-32803)
        return self.session

    # -- links of the notes not open, loaded while idle ------------------------------------
    def fill_later(self, delay: float = 0.05) -> None:
        if self._fill_handle is None and self.session is not None and self.session.bare:
            self._fill_handle = asyncio.get_running_loop().call_later(delay, self._fill_step)

    def _fill_step(self) -> None:
        self._fill_handle = None
        quiet = asyncio.get_running_loop().time() - self._last_change
        if quiet < QUIET:  # someone is typing: later
            self.fill_later(QUIET - quiet)
            return
        try:
            done = self.session is None or self.session.fill_links(FILL_SLICE)
        except Exception as exc:  # noqa: BLE001 - loaded at once when a request needs them
            logger.exception("loading links failed")
            self.log(f"loading the links of the vault failed: {type(exc).__name__}: {exc}")
            return
        if not done:
            self.fill_later(0.001)

    def open_vault(self) -> None:
        session = self.session
        started = time.perf_counter()
        try:
            session.load()
        except NotelintError as exc:
            self.tell(str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - the server stays up, and says why
            logger.exception("opening the vault failed")
            self.tell(f"the vault could not be opened: {type(exc).__name__}: {exc}")
            return
        self.log(f"{len(session.workspace.results)} notes in {session.settings.vault} "
                 f"({time.perf_counter() - started:.2f} s)")
        self.schedule(session.open)
        self.fill_later()


# -- lifecycle ---------------------------------------------------------------------------------
def _root(params: lsp.InitializeParams) -> Path:
    for uri in [f.uri for f in params.workspace_folders or []] + [params.root_uri or ""]:
        path = uri_path(uri) if uri else None
        if path:
            return Path(path)
    return Path(params.root_path) if params.root_path else Path.cwd()


def initialize(ls: NotelintServer, params: lsp.InitializeParams) -> None:
    encoding = ls.workspace.position_encoding
    encoding = encoding.value if isinstance(encoding, lsp.PositionEncodingKind) else (encoding or UTF16)
    ls.session = Session(_root(params), encoding, ls.jobs)


def initialized(ls: NotelintServer, params: lsp.InitializedParams) -> None:
    ls.open_vault()
    if ls.client_capabilities.workspace and ls.client_capabilities.workspace.did_change_watched_files and \
            ls.client_capabilities.workspace.did_change_watched_files.dynamic_registration:
        watchers = [lsp.FileSystemWatcher(glob_pattern=g) for g in WATCH]
        ls.client_register_capability(lsp.RegistrationParams(registrations=[lsp.Registration(
            id="notelint-watch", method=lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=lsp.DidChangeWatchedFilesRegistrationOptions(watchers=watchers))]))


# -- notes in the editor ---------------------------------------------------------------------------
def did_open(ls: NotelintServer, params: lsp.DidOpenTextDocumentParams) -> None:
    doc = params.text_document
    ls.schedule(ls.session.opened(doc.uri, to_bytes(doc.text), doc.version))


def did_change(ls: NotelintServer, params: lsp.DidChangeTextDocumentParams) -> None:
    uri = params.text_document.uri
    text = ls.workspace.get_text_document(uri).source
    ls.schedule(ls.session.changed(uri, to_bytes(text), params.text_document.version))


def did_save(ls: NotelintServer, params: lsp.DidSaveTextDocumentParams) -> None:
    path = uri_path(params.text_document.uri)
    if path is not None and ls.session.is_config(path):
        _config_changed(ls, path)
    ls.schedule([params.text_document.uri] if params.text_document.uri in ls.session.open else [])


def did_close(ls: NotelintServer, params: lsp.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    affected = ls.session.closed(uri)
    ls.pending.discard(uri)
    ls.publish(uri, [])
    ls.schedule(affected)


# -- files on disk -------------------------------------------------------------------------------
def _paths_changed(ls: NotelintServer, paths: list[str]) -> None:
    session = ls.session
    affected: set[str] = set()
    config = None
    for path in paths:
        if session.is_config(path):
            config = path
            continue
        for note in _notes_at(session, path):
            affected |= session.disk_changed(note)
    if config is not None:
        _config_changed(ls, config)
    ls.schedule(affected)


def _notes_at(session: Session, path: str) -> list[str]:
    """The note paths an event on ``path`` concerns: the note, or every known note in a folder."""
    if path.endswith(".md"):
        return [path]
    if session.settings is None:
        return []
    rel = session.rel_of(os.path.join(path, "x.md"))
    if rel is None:
        return []
    prefix = rel[: -len("x.md")]
    known = [os.path.join(str(session.settings.vault), *r.split("/")) for r in session.files if r.startswith(prefix)]
    if os.path.isdir(path):
        from ..discover import walk

        known += [f.fspath for f in walk(Path(path), session.settings.vault, session.root, session.settings.exclude)]
    return sorted(set(known))


def _config_changed(ls: NotelintServer, path: str) -> None:
    try:
        reloaded = ls.session.reload_config(path)
    except Exception as exc:  # noqa: BLE001 - a configuration error: the last good one stays
        ls.tell(f"configuration not reloaded: {exc}" if isinstance(exc, NotelintError)
                else f"configuration not reloaded: {type(exc).__name__}: {exc}")
        return
    if reloaded:
        ls.log("configuration changed: vault opened again")
        ls.schedule(ls.session.open)
        ls.fill_later()


def did_change_watched_files(ls: NotelintServer, params: lsp.DidChangeWatchedFilesParams) -> None:
    _paths_changed(ls, [p for p in (uri_path(c.uri) for c in params.changes) if p is not None])


def did_rename_files(ls: NotelintServer, params: lsp.RenameFilesParams) -> None:
    paths = [uri_path(u) for f in params.files for u in (f.old_uri, f.new_uri)]
    _paths_changed(ls, [p for p in paths if p is not None])


def did_create_or_delete_files(ls: NotelintServer, params) -> None:
    _paths_changed(ls, [p for p in (uri_path(f.uri) for f in params.files) if p is not None])
