"""Finding one's way: go to a wiki-link's target, the backlinks of a note or heading, the
document's links, and hover (a citation's time and video, a link's target).

Every "where does this link go" question is the vault index's
(:meth:`VaultIndex.resolve`, through the configured resolver); nothing here
matches names itself.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from lsprotocol import types as lsp

from ..document import WikiLink, padded, parse_time
from ..vault import HeadingRef
from .session import OpenNote, Session

HOVER_LINES = 6  # lines of a link's target shown on hover
_ANCHOR = re.compile(r"<a\s[^>]*class=\"yt-timestamp\"[^>]*>(.*?)</a>", re.S)


class Target(NamedTuple):
    """What a place in a note names: a note, or one of its headings."""

    rel: str
    heading: HeadingRef | None


def link_at(doc: OpenNote, offset: int) -> WikiLink | None:
    """The well-formed wiki-link at byte ``offset`` of the buffer (its ends included)."""
    for block in doc.note().blocks:
        if block.start <= offset <= block.end:
            for w in block.wikilinks:
                if w.problem is None and w.start <= offset <= w.end:
                    return w
    return None


def heading_at(doc: OpenNote, offset: int):
    """The heading (:class:`notelint.document.Heading`) on the line of byte ``offset``."""
    for h in doc.note().headings:
        if h.start <= offset <= h.end:
            return h
    return None


def link_targets(session: Session, doc: OpenNote, link: WikiLink) -> list[str]:
    """The notes a link of the open note reaches ([] unresolved or not looked up)."""
    rel = doc.file.rel
    if not link.target:
        return [rel]
    return session.workspace.index.resolve(link.target, rel) or []


def target_at(session: Session, doc: OpenNote, offset: int) -> Target | None:
    """The note or heading named at ``offset``: a link's target (and heading), or a heading of
    the note itself; None elsewhere."""
    index = session.workspace.index
    link = link_at(doc, offset)
    if link is not None:
        found = link_targets(session, doc, link)
        if len(found) != 1:
            return None
        return Target(found[0], index.find_heading(found[0], link.heading) if link.heading else None)
    h = heading_at(doc, offset)
    if h is not None:
        line = doc.note().position(h.start)[0]
        ref = next((r for r in index.notes[doc.file.rel].headings if r.line == line), None)
        return Target(doc.file.rel, ref)
    return None


def _location(session: Session, rel: str, line: int = 0) -> lsp.Location:
    start = lsp.Position(line=line, character=0)
    return lsp.Location(uri=session.uri_of(rel), range=lsp.Range(start=start, end=start))


def definition(session: Session, doc: OpenNote, offset: int) -> list[lsp.Location] | None:
    link = link_at(doc, offset)
    if link is None or doc.file is None:
        return None
    index = session.workspace.index
    out = []
    for rel in link_targets(session, doc, link):
        h = index.find_heading(rel, link.heading) if link.heading else None
        out.append(_location(session, rel, h.line - 1 if h is not None else 0))
    return out or None


def references(session: Session, doc: OpenNote, offset: int, declaration: bool) -> list[lsp.Location]:
    """The links that reach the note or heading at ``offset`` (the note itself elsewhere)."""
    target = target_at(session, doc, offset) or Target(doc.file.rel, None)
    session.fill_links()
    index = session.workspace.index
    out = []
    if declaration:
        out.append(_location(session, target.rel, target.heading.line - 1 if target.heading else 0))
    for entry, link in index.backlinks(target.rel):
        if target.heading is not None and (not link.heading or index.find_heading(target.rel, link.heading) != target.heading):
            continue
        source = session.source(entry.rel)
        if source is not None:
            out.append(lsp.Location(uri=session.uri_of(entry.rel), range=source[1].range(link.start, link.end)))
    return out


def document_links(session: Session, doc: OpenNote) -> list[lsp.DocumentLink]:
    """Each wiki-link that reaches one note, linked to it (to the heading's line for a heading)."""
    if doc.file is None or doc.file.rel not in session.workspace.results:
        return []
    index = session.workspace.index
    out = []
    for link in session.workspace.results[doc.file.rel].entry.links:
        found = [doc.file.rel] if not link.target else index.resolve(link.target, doc.file.rel) or []
        if len(found) != 1:
            continue
        uri = session.uri_of(found[0])
        h = index.find_heading(found[0], link.heading) if link.heading else None
        if h is not None:
            uri += f"#L{h.line}"
        entry = index.notes[found[0]]
        out.append(lsp.DocumentLink(range=doc.lines.range(link.start, link.end), target=uri,
                                    tooltip=entry.title or entry.stem))
    return out


# -- hover -------------------------------------------------------------------------------------
def hover(session: Session, doc: OpenNote, offset: int) -> lsp.Hover | None:
    note = doc.note()
    for block in note.blocks:
        if not block.start <= offset <= block.end:
            continue
        for c in block.citations:
            if c.start <= offset <= c.end:
                return _hover(doc, c.start, c.end, _citation_text(doc, c))
    link = link_at(doc, offset)
    if link is not None and doc.file is not None:
        return _hover(doc, link.start, link.end, _link_text(session, doc, link))
    return None


def _hover(doc: OpenNote, start: int, end: int, text: str) -> lsp.Hover:
    return lsp.Hover(contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=text),
                     range=doc.lines.range(start, end))


def _problems(doc: OpenNote, start: int, end: int) -> list[str]:
    return [f"- `{f.code}` {f.message}" for f in doc.findings
            if f.offset >= 0 and f.offset < end and max(f.end_offset, f.offset) >= start]


def _citation_text(doc: OpenNote, c) -> str:
    seconds = c.seconds
    if seconds is None and c.time:
        fixed = padded(c.time)
        seconds = parse_time(fixed) if fixed else None
    video = doc.note().data.get("videoId")
    if seconds is None:
        paragraphs = [f"Citation with no readable time (`data-t`: {_md(repr(c.time))})"]
    else:
        h, rest = divmod(seconds, 3600)
        paragraphs = [f"**{h:02d}:{rest // 60:02d}:{rest % 60:02d}** ({seconds} s into the video)"]
        if isinstance(video, str) and re.fullmatch(r"[A-Za-z0-9_-]{11}", video):
            paragraphs.append(f"[Watch at this time](https://www.youtube.com/watch?v={video}&t={seconds}s)")
        else:
            paragraphs.append("The front matter has no valid `videoId`: no link to the video.")
    problems = _problems(doc, c.start, c.end)
    if problems:
        paragraphs.append("\n".join(["Problems:", *problems]))
    return "\n\n".join(paragraphs)


def _link_text(session: Session, doc: OpenNote, link: WikiLink) -> str:
    problems = _problems(doc, link.start, link.end)
    found = link_targets(session, doc, link)
    if len(found) != 1:
        head = f"`[[{link.target}]]` reaches no note" if not found else \
            "Ambiguous: " + ", ".join(f"`{r}`" for r in found)
        return "\n".join([head, *problems])
    rel = found[0]
    entry = session.workspace.index.notes[rel]
    title = entry.title or entry.stem
    h = session.workspace.index.find_heading(rel, link.heading) if link.heading else None
    parts = [f"**{_md(title)}** — `{rel}`" + (f" › {_md(h.text)}" if h is not None else "")]
    excerpt = _excerpt(session, rel, h.line if h is not None else None)
    if excerpt:
        parts += ["", excerpt]
    if problems:
        parts += ["", "Problems:", *problems]
    return "\n".join(parts)


def _md(text: str) -> str:
    return re.sub(r"([\\`*_\[\]<>])", r"\\\1", text)


def _excerpt(session: Session, rel: str, heading_line: int | None) -> str:
    """The first lines of the note's body (after its front matter and source line), or of the
    heading's section; citations shown as their labels."""
    source = session.source(rel)
    if source is None:
        return ""
    data, lines = source
    from ..parse import parse_note

    note = parse_note(rel, rel, data)
    # ``first``: the 0-based line to start from
    first = heading_line if heading_line is not None else note.position(note.body_start)[0] - 1
    if heading_line is None and note.source_line is not None:
        first = max(first, note.position(note.source_line.start)[0])
    out = []
    for n in range(first, lines.lines):
        text = lines.line_text(n).strip()
        if heading_line is not None and text.startswith("#") and out:
            break
        if text:
            out.append(_ANCHOR.sub(lambda m: m.group(1), text))
        if len(out) == HOVER_LINES:
            break
    return "\n\n".join(out)
