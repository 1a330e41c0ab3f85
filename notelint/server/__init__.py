"""``notelint server``: a language server over standard input and output.

Diagnostics of the open notes as they change; code actions (each fix,
"disable CODE for this line", fix all); go to a wiki-link's target; the
backlinks of a note or heading; document links; hover on citations and
wiki-links; completion of link targets, headings and citations; renaming a
note or heading with every link to it. Built on pygls and lsprotocol (the
``server`` extra); ``notelint check`` never imports this package.

Modules: :mod:`.server` (lifecycle, documents, files on disk, publishing),
:mod:`.features` (the requests), :mod:`.session` (the vault and the open
notes), :mod:`.positions` (byte offsets and LSP positions), and one module per
feature family: :mod:`.diagnostics`, :mod:`.actions`, :mod:`.navigate`,
:mod:`.complete`, :mod:`.rename`; :mod:`.protocol` answers malformed requests.
"""

from __future__ import annotations

from lsprotocol import types as lsp

from . import features, server
from .actions import FIX_ALL
from .server import NotelintServer

_MD_FILES = lsp.FileOperationRegistrationOptions(filters=[
    lsp.FileOperationFilter(pattern=lsp.FileOperationPattern(glob="**/*.md", matches=lsp.FileOperationPatternKind.File)),
    lsp.FileOperationFilter(pattern=lsp.FileOperationPattern(glob="**", matches=lsp.FileOperationPatternKind.Folder)),
])

FEATURES = [
    (lsp.INITIALIZE, server.initialize, None),
    (lsp.INITIALIZED, server.initialized, None),
    (lsp.TEXT_DOCUMENT_DID_OPEN, server.did_open, None),
    (lsp.TEXT_DOCUMENT_DID_CHANGE, server.did_change, None),
    (lsp.TEXT_DOCUMENT_DID_SAVE, server.did_save, lsp.SaveOptions(include_text=False)),
    (lsp.TEXT_DOCUMENT_DID_CLOSE, server.did_close, None),
    (lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES, server.did_change_watched_files, None),
    (lsp.WORKSPACE_DID_RENAME_FILES, server.did_rename_files, _MD_FILES),
    (lsp.WORKSPACE_DID_CREATE_FILES, server.did_create_or_delete_files, _MD_FILES),
    (lsp.WORKSPACE_DID_DELETE_FILES, server.did_create_or_delete_files, _MD_FILES),
    (lsp.WORKSPACE_WILL_RENAME_FILES, features.will_rename_files, _MD_FILES),
    (lsp.TEXT_DOCUMENT_HOVER, features.hover, None),
    (lsp.TEXT_DOCUMENT_DEFINITION, features.definition, None),
    (lsp.TEXT_DOCUMENT_REFERENCES, features.references, None),
    (lsp.TEXT_DOCUMENT_DOCUMENT_LINK, features.document_link, lsp.DocumentLinkOptions(resolve_provider=False)),
    (lsp.TEXT_DOCUMENT_COMPLETION, features.completion, lsp.CompletionOptions(trigger_characters=["[", "#"])),
    (lsp.TEXT_DOCUMENT_CODE_ACTION, features.code_action,
     lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix, FIX_ALL])),
    (lsp.TEXT_DOCUMENT_PREPARE_RENAME, features.prepare_rename, None),
    (lsp.TEXT_DOCUMENT_RENAME, features.rename_request, lsp.RenameOptions(prepare_provider=True)),
]


def make_server(jobs: int | None = None) -> NotelintServer:
    ls = NotelintServer(jobs)
    for method, handler, options in FEATURES:
        ls.feature(method, options)(handler)
    return ls


def serve(jobs: int | None = None) -> int:
    """Run the server on standard input and output until the client says exit."""
    make_server(jobs).start_io()
    return 0


__all__ = ["FEATURES", "NotelintServer", "make_server", "serve"]
