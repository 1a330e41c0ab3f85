"""Running the rules over notes: one note (:mod:`.lint`), many (:mod:`.check`, with
:mod:`.workers` and the :mod:`.payload` codec), the vault and suppression stages
(:mod:`.finish`), a vault kept in memory (:mod:`.workspace`) and the changed-files
mode (:mod:`.changed`)."""

from __future__ import annotations

from .check import check
from .lint import lint_file, lint_note, lint_text, read_note
from .result import NoteResult, RunResult
from .workspace import Workspace


def check_text(file, data: bytes, vault_files, settings, *, cache=None, jobs: int = 1) -> RunResult:
    """Check ``data`` as the note ``file`` (``--stdin-filename``): it stands in for the file on
    disk; its links resolve against the rest of the vault."""
    others = [f for f in vault_files if f.rel != file.rel]
    workspace = Workspace.open(settings, others, cache=cache, jobs=jobs, details=False)
    workspace.update(file, data)
    return workspace.run_result([file.rel])


__all__ = ["NoteResult", "RunResult", "Workspace", "check", "check_text", "lint_file", "lint_note", "lint_text", "read_note"]
