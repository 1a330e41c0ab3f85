"""Helpers for the language server tests: a vault on disk, a real client over stdio
(pytest-lsp starts ``python -m notelint server`` as a subprocess), waiting for diagnostics,
raw JSON-RPC messages."""

from __future__ import annotations

import asyncio
import inspect
import json
import sys
from pathlib import Path

import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

SERVER = ClientServerConfig(server_command=[sys.executable, "-m", "notelint", "server", "--jobs", "1"])
PUBLISH = lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS
TIMEOUT = 60  # seconds: a hang guard, not a speed bound


async def start(client: LanguageClient, root: Path, spec: str = "visual-studio-code") -> lsp.InitializeResult:
    """Initialize a session on ``root`` with the capabilities of a real editor (VS Code by
    default); the client accepts the server's registrations (file watchers) and keeps them
    in ``client.registrations``."""
    client.registrations = []

    @client.feature(lsp.CLIENT_REGISTER_CAPABILITY)
    def register(params: lsp.RegistrationParams):
        client.registrations.extend(params.registrations)

    caps = client_capabilities(spec)
    folders = [lsp.WorkspaceFolder(uri=root.as_uri(), name=root.name)]
    return await client.initialize_session(lsp.InitializeParams(capabilities=caps, root_uri=root.as_uri(),
                                                                workspace_folders=folders))


def lsp_fixture(vault: str = "vault", spec: str = "visual-studio-code"):
    """A fixture: a client connected to a new ``notelint server`` on the vault of the fixture
    named ``vault``, initialized with the capabilities of the editor ``spec`` (the result in
    ``client.init_result``), shut down after the test."""

    @pytest_lsp.fixture(config=SERVER)
    async def fixture(lsp_client: LanguageClient, request):
        lsp_client.init_result = await start(lsp_client, request.getfixturevalue(vault), spec)
        yield
        await lsp_client.shutdown_session()

    return fixture


async def published(client: LanguageClient, uri: str) -> list[lsp.Diagnostic]:
    """The diagnostics published for ``uri`` (pop ``client.diagnostics[uri]`` before the action
    that should publish them)."""
    async def wait():
        while uri not in client.diagnostics:
            await client.wait_for_notification(PUBLISH)
        return list(client.diagnostics[uri])

    return await asyncio.wait_for(wait(), TIMEOUT)


def codes(diagnostics) -> list[tuple]:
    """(code, start line, start character, end line, end character) of each diagnostic, sorted."""
    return sorted((d.code, d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character)
                  for d in diagnostics)


def open_note(client: LanguageClient, path: Path, text: str | None = None, version: int = 1) -> str:
    uri = path.as_uri()
    client.diagnostics.pop(uri, None)
    text = path.read_bytes().decode("utf-8") if text is None else text
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(
        text_document=lsp.TextDocumentItem(uri=uri, language_id="markdown", version=version, text=text)))
    return uri


def change_note(client: LanguageClient, uri: str, text: str, version: int) -> None:
    client.diagnostics.pop(uri, None)
    client.text_document_did_change(lsp.DidChangeTextDocumentParams(
        text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=text)]))


def files_changed(client: LanguageClient, *changes: tuple[Path, lsp.FileChangeType]) -> None:
    client.workspace_did_change_watched_files(lsp.DidChangeWatchedFilesParams(
        changes=[lsp.FileEvent(uri=p.as_uri(), type=t) for p, t in changes]))


async def write_raw(client: LanguageClient, body: bytes) -> None:
    res = client.protocol.writer.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    if inspect.isawaitable(res):
        await res


async def raw_request(client: LanguageClient, msg_id: int, method: str, params) -> object:
    """Send a request as written (whatever its params); the response's result, or its error raised."""
    future = asyncio.get_running_loop().create_future()
    client.protocol._request_futures[msg_id] = future
    body = {"jsonrpc": "2.0", "id": msg_id, "method": method}
    if params is not ...:
        body["params"] = params
    await write_raw(client, json.dumps(body).encode())
    return await asyncio.wait_for(future, TIMEOUT)


def at(line: int, character: int) -> lsp.Position:
    return lsp.Position(line=line, character=character)


# -- applying edits the way an editor does (positions in UTF-16 code units) ---------------------------------
def _offset(text: str, position: lsp.Position) -> int:
    import re

    starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]
    if position.line >= len(starts):
        return len(text)
    start = starts[position.line]
    end = starts[position.line + 1] if position.line + 1 < len(starts) else len(text)
    units = 0
    i = start
    while i < end and units < position.character and text[i] not in "\r\n":
        units += 2 if ord(text[i]) > 0xFFFF else 1
        i += 1
    return i


def apply_text_edits(text: str, edits) -> str:
    spans = sorted(((_offset(text, e.range.start), _offset(text, e.range.end), e.new_text) for e in edits), reverse=True)
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


def apply_workspace_edit(edit: lsp.WorkspaceEdit, texts: dict[str, str]) -> dict[str, str]:
    """Apply ``edit`` to ``texts`` (URI -> text; other URIs are read from disk) and rename
    files on disk; return the new texts by URI (renamed ones under their new URI)."""
    from urllib.parse import unquote, urlparse

    def path(uri: str) -> Path:
        return Path(unquote(urlparse(uri).path))

    out = dict(texts)
    changes = list(edit.document_changes or [])
    for uri, edits in (edit.changes or {}).items():
        changes.append(lsp.TextDocumentEdit(text_document=lsp.OptionalVersionedTextDocumentIdentifier(uri=uri, version=None),
                                            edits=edits))
    for change in changes:
        if isinstance(change, lsp.RenameFile):
            path(change.old_uri).rename(path(change.new_uri))
            if change.old_uri in out:
                out[change.new_uri] = out.pop(change.old_uri)
            continue
        uri = change.text_document.uri
        text = out.get(uri)
        if text is None:
            text = path(uri).read_bytes().decode("utf-8")
        out[uri] = apply_text_edits(text, change.edits)
    return out
