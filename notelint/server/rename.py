"""Renaming a note or a heading, as Obsidian does: every link to it follows.

A note is renamed from a wiki-link to it (its target part), or with the
editor's own file rename, which asks ``workspace/willRenameFiles`` for the link
edits first; the new name is the file name without ``.md``, in the same folder. The edit renames the file and rewrites each link
that reaches the note (alone) and would no longer reach it: a link written
with the note's title or an alias still reaches it and is left as written. A
rewritten link keeps its heading and alias; its target becomes the new file
name, or the new path from the vault root when it was written as a path or
the new file name is already another note's name.

A heading is renamed from its line or from a link's ``#heading`` part: the
heading's text changes, and the heading part of every link naming it.

Which link reaches what is the vault index's answer (the configured
resolver), and the link spans come from parsing each referring note (its open
buffer, else its file).
"""

from __future__ import annotations

import os
import posixpath

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcInvalidParams
from pygls.uris import from_fs_path

from ..document import Note, WikiLink
from ..parse import parse_note
from .navigate import Target, heading_at, link_at, target_at
from .session import OpenNote, Session, uri_path


def prepare(session: Session, doc: OpenNote, offset: int) -> lsp.PrepareRenamePlaceholder | None:
    target = target_at(session, doc, offset)
    if target is None:
        return None
    link = link_at(doc, offset)
    if link is not None:
        span = _heading_span(doc.note(), link) if target.heading is not None else link.target_span
        if span is None:
            return None
    else:
        h = heading_at(doc, offset)
        span = _heading_text_span(doc.note(), h.start, h.end)
    entry = session.workspace.index.notes[target.rel]
    placeholder = target.heading.text if target.heading is not None else entry.stem
    return lsp.PrepareRenamePlaceholder(range=doc.lines.range(*span), placeholder=placeholder)


def rename(session: Session, doc: OpenNote, offset: int, new_name: str) -> lsp.WorkspaceEdit:
    target = target_at(session, doc, offset)
    if target is None:
        raise JsonRpcInvalidParams("nothing to rename here: put the cursor on a wiki-link or a heading")
    session.fill_links()
    if target.heading is not None:
        return heading_edit(session, target, _one_line(new_name))
    name = _one_line(new_name)
    if name.endswith(".md"):
        name = name[:-3]
    if not name or "/" in name or "\\" in name or name in (".", ".."):
        raise JsonRpcInvalidParams(f"{new_name!r} is not a file name (a name without '/')")
    new_rel = posixpath.join(posixpath.dirname(target.rel), name + ".md")
    if new_rel != target.rel and new_rel in session.workspace.index.notes:
        raise JsonRpcInvalidParams(f"a note {new_rel!r} exists already")
    edits = link_edits(session, target.rel, new_rel)
    changes: list = [_document_edit(session, rel, e) for rel, e in sorted(edits.items())]
    if new_rel != target.rel:
        changes.append(lsp.RenameFile(old_uri=session.uri_of(target.rel), new_uri=_uri(session, new_rel)))
    return lsp.WorkspaceEdit(document_changes=changes)


def _one_line(text: str) -> str:
    if "\n" in text or "\r" in text:
        raise JsonRpcInvalidParams("a new name must be one line")
    return text.strip()


def _uri(session: Session, rel: str) -> str:
    return from_fs_path(os.path.join(str(session.settings.vault), *rel.split("/")))


def _document_edit(session: Session, rel: str, edits: list[lsp.TextEdit]) -> lsp.TextDocumentEdit:
    doc = session.open_rels().get(rel)
    ident = lsp.OptionalVersionedTextDocumentIdentifier(uri=session.uri_of(rel), version=doc.version if doc else None)
    return lsp.TextDocumentEdit(text_document=ident, edits=edits)


def _parsed(session: Session, rel: str):
    """The note ``rel`` parsed from its open buffer or its file, with its line map; None when unreadable."""
    doc = session.open_rels().get(rel)
    if doc is not None:
        return doc.note(), doc.lines
    source = session.source(rel)
    if source is None:
        return None
    return parse_note(rel, rel, source[0]), source[1]


def _links_at(note: Note, starts: set[int]) -> list[WikiLink]:
    return [w for b in note.blocks for w in b.wikilinks if w.start in starts and w.problem is None]


def link_edits(session: Session, rel: str, new_rel: str) -> dict[str, list[lsp.TextEdit]]:
    """The text edits (by note) that keep every link to ``rel`` reaching it once it is ``new_rel``."""
    index = session.workspace.index
    resolver = index.resolver
    renamed = index.notes[rel]._replace(rel=new_rel)
    keys, paths = set(resolver.keys(renamed)), {resolver.path_key(new_rel)}
    stem = new_rel.rsplit("/", 1)[-1][:-3]
    clash = [r for r in index.resolve(stem) or [] if r != rel] if stem else []
    by_source: dict[str, set[int]] = {}
    for entry, link in index.backlinks(rel):
        if link.target and not resolver.may_match(link.target, keys, paths):
            by_source.setdefault(entry.rel, set()).add(link.start)
    out: dict[str, list[lsp.TextEdit]] = {}
    for source, starts in by_source.items():
        parsed = _parsed(session, source)
        if parsed is None:
            continue
        note, lines = parsed
        for w in _links_at(note, starts):
            text = new_rel[:-3] if "/" in w.target or clash else stem
            out.setdefault(source, []).append(lsp.TextEdit(range=lines.range(*w.target_span), new_text=text))
    return out


def heading_edit(session: Session, target: Target, new_text: str) -> lsp.WorkspaceEdit:
    if not new_text:
        raise JsonRpcInvalidParams("a heading needs a text")
    index = session.workspace.index
    edits: dict[str, list[lsp.TextEdit]] = {}
    parsed = _parsed(session, target.rel)
    if parsed is None:
        raise JsonRpcInvalidParams(f"cannot read {target.rel}")
    note, lines = parsed
    for h in note.headings:
        if note.position(h.start)[0] == target.heading.line:
            span = _heading_text_span(note, h.start, h.end)
            edits.setdefault(target.rel, []).append(lsp.TextEdit(range=lines.range(*span), new_text=new_text))
            break
    by_source: dict[str, set[int]] = {}
    for entry, link in index.backlinks(target.rel):
        if link.heading and index.find_heading(target.rel, link.heading) == target.heading:
            by_source.setdefault(entry.rel, set()).add(link.start)
    for source, starts in sorted(by_source.items()):
        parsed = _parsed(session, source)
        if parsed is None:
            continue
        note, lines = parsed
        for w in _links_at(note, starts):
            span = _heading_span(note, w)
            if span is not None:
                edits.setdefault(source, []).append(lsp.TextEdit(range=lines.range(*span), new_text=new_text))
    return lsp.WorkspaceEdit(document_changes=[_document_edit(session, rel, e) for rel, e in sorted(edits.items())])


def _heading_span(note: Note, w: WikiLink) -> tuple[int, int] | None:
    """Byte span of a link's heading part (after ``#``, trimmed)."""
    raw = note.raw
    hash_at = raw.find(b"#", w.target_span[1], w.end)
    if hash_at == -1:
        return None
    end = raw.find(b"|", hash_at, w.end)
    end = w.end - 2 if end == -1 else end
    start = hash_at + 1
    while start < end and raw[start : start + 1] in (b" ", b"\t"):
        start += 1
    while end > start and raw[end - 1 : end] in (b" ", b"\t"):
        end -= 1
    return start, end


def _heading_text_span(note: Note, start: int, end: int) -> tuple[int, int]:
    """Byte span of a heading's text (the heading block inside ``start``-``end``)."""
    for block in note.blocks:
        if block.kind == "heading" and start <= block.start < end:
            return block.start, block.end
    return start, start


def will_rename(session: Session, params: lsp.RenameFilesParams) -> lsp.WorkspaceEdit | None:
    """The link edits for files the editor is about to rename (or move) inside the vault."""
    session.fill_links()
    edits: dict[str, list[lsp.TextEdit]] = {}
    for f in params.files:
        old, new = uri_path(f.old_uri), uri_path(f.new_uri)
        rel = session.rel_of(old) if old else None
        new_rel = session.rel_of(new) if new else None
        if rel is None or new_rel is None or rel not in session.workspace.index.notes:
            continue
        for source, e in link_edits(session, rel, new_rel).items():
            edits.setdefault(source, []).extend(e)
    if not edits:
        return None
    return lsp.WorkspaceEdit(document_changes=[_document_edit(session, rel, e) for rel, e in sorted(edits.items())])
