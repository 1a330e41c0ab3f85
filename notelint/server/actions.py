"""Code actions: each finding's fix, "disable CODE for this line", and fixing a whole note.

A fix's edits are byte offsets into the note without its byte order mark; they
become text edits through the buffer's line map. Safe fixes are the preferred
action (what an editor applies on "auto fix"); unsafe ones say so in their
title. "Fix all" runs the same loop as ``notelint check --fix`` on the buffer
(:func:`notelint.fix.fix_bytes`: safe fixes, repeated until nothing changes,
never on a note whose front matter is missing or broken) and answers one edit
spanning what changed.

"Disable CODE for this line" writes a ``disable-next-line`` suppression
comment where it changes nothing else: at the end of the line before (an HTML
comment inside a paragraph or list stays invisible and does not split it),
or, when that line is blank, a heading, a fence or the front matter, on a line
of its own; an existing ``disable-next-line`` comment there gets the code
added. A finding in the front matter, where an HTML comment would be YAML,
gets "disable CODE for this note" (``disable-file``, at the end of the note).
"""

from __future__ import annotations

import re

from lsprotocol import types as lsp

from ..findings import Finding
from ..fix import fix_bytes
from .diagnostics import diagnostic, finding_range, overlaps
from .session import OpenNote, Session

FIX_ALL = "source.fixAll.notelint"
_DIRECTIVE = re.compile(r"<!--\s*notelint\s*:\s*disable-next-line\s*=\s*([\w\s,]*?)\s*-->\s*$", re.I)
# a line after which a comment would change the Markdown: blank, a heading, a fence, a setext
# underline or thematic break, a table's delimiter row, a comment
_OWN_LINE = re.compile(r"^\s*(?:$|#|```|~~~|<!--|[-=*_ ]+$|\|?\s*:?-+:?\s*(?:\||$))")


def _wanted(kind: str, only: list[str] | None) -> bool:
    return not only or any(kind == o or kind.startswith(o + ".") for o in only)


def code_actions(session: Session, doc: OpenNote, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
    only = [str(k.value if hasattr(k, "value") else k) for k in params.context.only or []] or None
    out: list[lsp.CodeAction] = []
    disabled: set[tuple[int, str]] = set()
    for f in doc.findings:
        if not overlaps(finding_range(f, doc.lines), params.range):
            continue
        diag = diagnostic(f, doc.lines)
        if f.fix is not None and f.fix.edits and _wanted(lsp.CodeActionKind.QuickFix.value, only):
            out.append(_fix_action(doc, f, diag))
        line = diag.range.start.line
        if (line, f.code) not in disabled and _wanted(lsp.CodeActionKind.QuickFix.value, only):
            disabled.add((line, f.code))
            out.append(_disable_action(doc, f, diag))
    if _wanted(FIX_ALL, only) or (only and any(o == lsp.CodeActionKind.Source.value for o in only)):
        action = fix_all(session, doc)
        if action is not None:
            out.append(action)
    return out


def _edit(doc: OpenNote, edits: list[lsp.TextEdit]) -> lsp.WorkspaceEdit:
    return lsp.WorkspaceEdit(changes={doc.uri: edits})


def _fix_action(doc: OpenNote, f: Finding, diag: lsp.Diagnostic) -> lsp.CodeAction:
    edits = [lsp.TextEdit(range=doc.lines.range(e.start, e.end), new_text=e.text.decode("utf-8", "replace"))
             for e in f.fix.edits]
    title = f"{f.code}: {f.fix.description}" + ("" if f.fix.safe else " (unsafe fix)")
    return lsp.CodeAction(title=title, kind=lsp.CodeActionKind.QuickFix, diagnostics=[diag],
                          is_preferred=f.fix.safe, edit=_edit(doc, edits))


def _in_front_matter(doc: OpenNote, f: Finding) -> bool:
    fm = doc.note().front_matter
    return fm is not None and f.offset >= 0 and f.offset < fm.end


def _newline(doc: OpenNote) -> str:
    m = re.search(rb"\r\n|\r|\n", doc.lines.raw)
    return m.group().decode() if m else "\n"


def _disable_action(doc: OpenNote, f: Finding, diag: lsp.Diagnostic) -> lsp.CodeAction:
    lines = doc.lines
    nl = _newline(doc)
    if _in_front_matter(doc, f) or f.line == 0:
        end = lines.position(len(lines.raw))
        sep = "" if not lines.raw or lines.raw.endswith((b"\n", b"\r")) else nl
        edit = lsp.TextEdit(range=lsp.Range(start=end, end=end),
                            new_text=f"{sep}{nl}<!-- notelint: disable-file={f.code} -->{nl}")
        return lsp.CodeAction(title=f"Disable {f.code} for this note", kind=lsp.CodeActionKind.QuickFix,
                              diagnostics=[diag], edit=_edit(doc, [edit]))
    line = diag.range.start.line
    previous = lines.line_text(line - 1) if line > 0 else ""
    m = _DIRECTIVE.search(previous)
    if m is not None and line > 0:  # add the code to the comment that is there
        codes = [c.strip() for c in m.group(1).split(",") if c.strip()] + [f.code]
        start = lines.line_start(line - 1) + len(previous[: m.start(1)].encode("utf-8"))
        end = lines.line_start(line - 1) + len(previous[: m.end(1)].encode("utf-8"))
        edit = lsp.TextEdit(range=lines.range(start, end), new_text=",".join(codes))
    elif line == 0 or _OWN_LINE.match(previous):
        at = lsp.Position(line=line, character=0)
        edit = lsp.TextEdit(range=lsp.Range(start=at, end=at), new_text=f"<!-- notelint: disable-next-line={f.code} -->{nl}")
    else:  # before trailing spaces or a backslash: a hard line break stays one
        kept = previous.rstrip(" \t\\") if previous.endswith(("  ", "\\")) else previous
        at = lines.position(lines.line_start(line - 1) + len(kept.encode("utf-8", "surrogateescape")))
        edit = lsp.TextEdit(range=lsp.Range(start=at, end=at), new_text=f" <!-- notelint: disable-next-line={f.code} -->")
    return lsp.CodeAction(title=f"Disable {f.code} for this line", kind=lsp.CodeActionKind.QuickFix,
                          diagnostics=[diag], edit=_edit(doc, [edit]))


def fix_all(session: Session, doc: OpenNote) -> lsp.CodeAction | None:
    """One edit that applies every safe fix of the note (as ``--fix`` would), or None."""
    if doc.file is None or session.workspace is None:
        return None
    outcome = fix_bytes(doc.file, doc.data, session.settings, session.workspace.ctx)
    if not outcome.changed:
        return None
    return lsp.CodeAction(title=f"Fix all safe problems ({outcome.count})", kind=FIX_ALL,
                          edit=_edit(doc, [whole_edit(doc, outcome.after)]))


def whole_edit(doc: OpenNote, after: bytes) -> lsp.TextEdit:
    """One text edit turning the buffer into ``after``: the span between their common start
    and common end, on character boundaries."""
    bom = 3 if doc.data.startswith(b"\xef\xbb\xbf") else 0
    old, new = doc.data[bom:].decode("utf-8", "surrogateescape"), after[bom:].decode("utf-8", "surrogateescape")
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end = 0
    while end < min(len(old), len(new)) - start and old[-1 - end] == new[-1 - end]:
        end += 1
    if 0 < start < len(old) and old[start - 1] == "\r" and old[start] == "\n":
        start -= 1  # never between the two characters of a CRLF
    if 0 < len(old) - end < len(old) and old[len(old) - end - 1] == "\r" and old[len(old) - end] == "\n":
        end -= 1
    a = len(old[:start].encode("utf-8", "surrogateescape"))
    b = len(old[: len(old) - end].encode("utf-8", "surrogateescape"))
    return lsp.TextEdit(range=doc.lines.range(a, b), new_text=new[start : len(new) - end])
