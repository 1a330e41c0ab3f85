"""Completion: wiki-link targets as the vault writes them, headings after ``#``, a citation.

Inside ``[[`` the candidates are every note's file name, title and aliases,
filtered by the words typed so far (each must occur in the name, case
ignored) and ranked (names that start with what was typed first, then
shorter names). What is inserted must reach the note under the configured
resolution: a name that the resolver sends to that note alone is inserted as
it is; otherwise the note's file name (or its path from the vault root, when
the file name is shared) goes before the name as an alias: ``[[file|Title]]``.

After ``[[target#`` the candidates are the headings of the note the target
reaches (``[[#`` the note's own), as written. Elsewhere one snippet writes a
citation: ``<a class="yt-timestamp" data-t="00:00:00">[00:00:00]</a>`` with
the time typed once.
"""

from __future__ import annotations

import re

from lsprotocol import types as lsp

from .session import OpenNote, Session

MAX_ITEMS = 50
CITATION = '<a class="yt-timestamp" data-t="{t}">[{t}]</a>'
_WORDS = re.compile(r"[^\s_\-]+")


def _words(text: str) -> list[str]:
    return _WORDS.findall(text.casefold())


def _open_link(before: str) -> str | None:
    """The text typed inside an unclosed ``[[`` before the cursor, or None."""
    start = before.rfind("[[")
    if start == -1 or "]]" in before[start:]:
        return None
    return before[start + 2 :]


def complete(session: Session, doc: OpenNote, position: lsp.Position, snippets: bool) -> lsp.CompletionList:
    offset = doc.lines.offset(position)
    line_start = doc.lines.line_start(position.line)
    inner = _open_link(doc.lines.raw[line_start:offset].decode("utf-8", "replace"))
    if inner is None:
        return lsp.CompletionList(is_incomplete=False, items=[_citation(snippets)])
    if "|" in inner or doc.file is None:
        return lsp.CompletionList(is_incomplete=False, items=[])
    after = doc.lines.raw[offset : doc.lines.offset(lsp.Position(line=position.line, character=10**9))]
    closing = "" if _closed(after.decode("utf-8", "replace")) else "]]"
    typed = inner.lstrip()
    start = doc.lines.position(offset - len(typed.encode("utf-8")))
    edit_range = lsp.Range(start=start, end=position)
    if "#" in typed:
        target, _, heading = typed.partition("#")
        start = doc.lines.position(offset - len(heading.encode("utf-8")))
        return _headings(session, doc, target.strip(), heading, lsp.Range(start=start, end=position), closing)
    return _names(session, doc, typed, edit_range, closing)


def _closed(after: str) -> bool:
    close = after.find("]]")
    return close != -1 and (after.find("[[") == -1 or close < after.find("[["))


def _citation(snippets: bool) -> lsp.CompletionItem:
    if snippets:
        text, fmt = CITATION.format(t="${1:00:00:00}").replace("[${1:00:00:00}]", "[$1]") + "$0", \
            lsp.InsertTextFormat.Snippet
    else:
        text, fmt = CITATION.format(t="00:00:00"), lsp.InsertTextFormat.PlainText
    return lsp.CompletionItem(label="citation", kind=lsp.CompletionItemKind.Snippet, insert_text=text,
                              insert_text_format=fmt, filter_text="citation yt-timestamp",
                              detail='<a class="yt-timestamp" data-t="HH:MM:SS">[HH:MM:SS]</a>')


def _candidates(session: Session, typed: str) -> tuple[list[tuple[str, str]], bool]:
    """(name, rel) pairs whose name holds every word typed, best first; and whether there were
    more than :data:`MAX_ITEMS`."""
    words = _words(typed)
    want = typed.strip().casefold()
    found = []
    for rel, entry in session.workspace.index.notes.items():
        for name in dict.fromkeys((entry.stem, entry.title or entry.stem, *entry.aliases)):
            folded = name.casefold()
            if all(w in folded for w in words):
                found.append((not folded.startswith(want), len(name), folded, name, rel))
    found.sort()
    return [(name, rel) for *_, name, rel in found[:MAX_ITEMS]], len(found) > MAX_ITEMS


def _insert(session: Session, source: str, name: str, rel: str) -> str:
    """What to write for ``name`` so that the link reaches ``rel`` alone."""
    index = session.workspace.index
    if index.resolve(name, source) == [rel]:
        return name
    entry = index.notes[rel]
    target = entry.stem if index.resolve(entry.stem, source) == [rel] else rel[:-3]
    return target if name == entry.stem else f"{target}|{name}"


def _names(session: Session, doc: OpenNote, typed: str, edit_range: lsp.Range, closing: str) -> lsp.CompletionList:
    pairs, more = _candidates(session, typed)
    items = []
    for n, (name, rel) in enumerate(pairs):
        entry = session.workspace.index.notes[rel]
        text = _insert(session, doc.file.rel, name, rel) + closing
        items.append(lsp.CompletionItem(
            label=name, kind=lsp.CompletionItemKind.File if name == entry.stem else lsp.CompletionItemKind.Reference,
            detail=rel, label_details=lsp.CompletionItemLabelDetails(description=entry.title or ""),
            filter_text=name, sort_text=f"{n:04d}", text_edit=lsp.TextEdit(range=edit_range, new_text=text)))
    return lsp.CompletionList(is_incomplete=more, items=items)


def _headings(session: Session, doc: OpenNote, target: str, typed: str, edit_range: lsp.Range,
              closing: str) -> lsp.CompletionList:
    index = session.workspace.index
    rel = doc.file.rel
    found = [rel] if not target else index.resolve(target, rel) or []
    if len(found) != 1:
        return lsp.CompletionList(is_incomplete=False, items=[])
    words = _words(typed)
    items = []
    for n, h in enumerate(index.notes[found[0]].headings):
        if all(w in h.text.casefold() for w in words):
            items.append(lsp.CompletionItem(
                label=h.text, kind=lsp.CompletionItemKind.Reference, detail=f"{found[0]}:{h.line}",
                filter_text=h.text, sort_text=f"{n:04d}",
                text_edit=lsp.TextEdit(range=edit_range, new_text=h.text + closing)))
    return lsp.CompletionList(is_incomplete=False, items=items)
