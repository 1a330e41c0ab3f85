"""The requests: each turns LSP parameters into a question for the session and back.

A request about a note that is not open is answered from its file; about a
note that exists neither in the editor nor on disk (deleted under the server),
with an error (``-32803``, request failed) naming it. The server goes on.
"""

from __future__ import annotations

import os

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException

from . import actions, complete, navigate, rename
from .positions import LineMap
from .server import NotelintServer
from .session import OpenNote, uri_path

REQUEST_FAILED = -32803


def _doc(ls: NotelintServer, uri: str) -> OpenNote:
    """The open note ``uri``, else the note read from disk, else an error answered."""
    session = ls.ready()
    doc = session.open.get(uri)
    if doc is not None:
        if doc.linted != doc.version:
            session.lint(uri)
        return doc
    path = uri_path(uri)
    file = session.file_of(uri)
    if path is None or file is None:
        raise JsonRpcException(f"notelint: {uri} is not a note of the vault {session.settings.vault}", code=REQUEST_FAILED)
    source = session.source(file.rel) if file.rel in session.workspace.results else None
    if source is None or not os.path.isfile(path):
        raise JsonRpcException(f"notelint: no such note: {path} (deleted?)", code=REQUEST_FAILED)
    data = source[0]
    return OpenNote(uri, file, None, data, LineMap.of_file(data, session.encoding))


def _at(ls: NotelintServer, params) -> tuple[OpenNote, int]:
    doc = _doc(ls, params.text_document.uri)
    return doc, doc.lines.offset(params.position)


def hover(ls: NotelintServer, params: lsp.HoverParams) -> lsp.Hover | None:
    doc, offset = _at(ls, params)
    return navigate.hover(ls.session, doc, offset) if doc.file is not None else None


def definition(ls: NotelintServer, params: lsp.DefinitionParams) -> list[lsp.Location] | None:
    doc, offset = _at(ls, params)
    return navigate.definition(ls.session, doc, offset)


def references(ls: NotelintServer, params: lsp.ReferenceParams) -> list[lsp.Location]:
    doc, offset = _at(ls, params)
    if doc.file is None:
        return []
    return navigate.references(ls.session, doc, offset, params.context.include_declaration)


def document_link(ls: NotelintServer, params: lsp.DocumentLinkParams) -> list[lsp.DocumentLink]:
    return navigate.document_links(ls.session, _doc(ls, params.text_document.uri))


def completion(ls: NotelintServer, params: lsp.CompletionParams) -> lsp.CompletionList:
    doc, _ = _at(ls, params)
    caps = ls.client_capabilities.text_document
    item = caps.completion.completion_item if caps and caps.completion else None
    return complete.complete(ls.session, doc, params.position, bool(item and item.snippet_support))


def code_action(ls: NotelintServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
    doc = _doc(ls, params.text_document.uri)
    return actions.code_actions(ls.session, doc, params)


def prepare_rename(ls: NotelintServer, params: lsp.PrepareRenameParams) -> lsp.PrepareRenamePlaceholder | None:
    doc, offset = _at(ls, params)
    return rename.prepare(ls.session, doc, offset) if doc.file is not None else None


def rename_request(ls: NotelintServer, params: lsp.RenameParams) -> lsp.WorkspaceEdit:
    doc, offset = _at(ls, params)
    if doc.file is None:
        raise JsonRpcException("notelint: this file is not a note of the vault", code=REQUEST_FAILED)
    return _as_client_takes_it(ls, rename.rename(ls.session, doc, offset, params.new_name))


def will_rename_files(ls: NotelintServer, params: lsp.RenameFilesParams) -> lsp.WorkspaceEdit | None:
    edit = rename.will_rename(ls.ready(), params)
    return _as_client_takes_it(ls, edit) if edit is not None else None


def _as_client_takes_it(ls: NotelintServer, edit: lsp.WorkspaceEdit) -> lsp.WorkspaceEdit:
    """``edit`` as the client accepts it: document changes when it renames a file (the client
    must take that resource operation: else the rename is refused, rather than leave links
    to a name no file has) or when the client takes them, else plain changes by URI."""
    caps = ls.client_capabilities.workspace
    takes = caps.workspace_edit if caps is not None else None
    changes = edit.document_changes or []
    if any(isinstance(c, lsp.RenameFile) for c in changes):
        if takes and takes.resource_operations and lsp.ResourceOperationKind.Rename in takes.resource_operations:
            return edit
        raise JsonRpcException("notelint: this editor does not take file renames in an edit; rename the note "
                               "in its file tree instead (the links follow through willRenameFiles)", code=REQUEST_FAILED)
    if takes is not None and takes.document_changes:
        return edit
    by_uri: dict[str, list] = {}
    for change in changes:
        by_uri.setdefault(change.text_document.uri, []).extend(change.edits)
    return lsp.WorkspaceEdit(changes=by_uri)
