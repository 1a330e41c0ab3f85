"""Parse one note's bytes into the document model (:class:`notelint.document.Note`).

Order: decode (NL001), front matter (FM001/FM002 material), Markdown blocks,
the source line, then citations and wiki-links inside each block. Nothing
here reports findings; rules read what this builds.
"""

from __future__ import annotations

import re

from ..document import DEFAULT_PAGE_KINDS, Block, Note, SourceLine
from .frontmatter import load_front_matter, split_front_matter
from .inline import scan_block
from .markdown import blank, parse_blocks
from .page_kind import page_kind
from .roles import assign_roles
from .site import quartz_view

_BOM = b"\xef\xbb\xbf"
_SOURCE = re.compile(
    r"From: \[\[(?P<target>[^\[\]|#]*?)\s*(?:\|[^\[\]]*)?\]\](?P<br>\s*<br\s*/?>)?\s*"
)
_SOURCE_START = re.compile(rb"\s*(?:\*\*|__)?From\s*:?", re.I)
_SOURCE_STRICT = re.compile(rb"\s*From: \[\[")
# ``---``, key lines, then ``---`` (or, for a block left unclosed, a blank line or the end)
_BODY_FM = re.compile(
    rb"^---[ \t]*\r?\n((?:[A-Za-z_][\w-]{0,40}:[^\r\n]{0,400}(?:\r?\n|\Z)){1,40})(---[ \t]*$|[ \t]*\r?\n|\Z)",
    re.M,
)
_KEY_LINE = re.compile(rb"([A-Za-z_][\w-]*):")
_KNOWN_KEYS = {b"title", b"videoId", b"aliases", b"tags", b"duration"}
_LINE_END = re.compile(rb"[\r\n]")


def decode_problem(data: bytes) -> tuple[str, int] | None:
    """Why ``data`` is not a readable UTF-8 note, with the byte offset; None if it is."""
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):  # before UTF-16: same first bytes
        return "file is UTF-32 (it starts with a UTF-32 byte order mark); notelint reads UTF-8 only", 0
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "file is UTF-16 (it starts with a UTF-16 byte order mark); notelint reads UTF-8 only", 0
    nul = data.find(b"\x00")
    if nul != -1:
        return f"binary file: NUL byte at offset {nul}", nul
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = data[exc.start : exc.start + 1].hex()
        return f"not valid UTF-8: byte 0x{bad} at offset {exc.start} ({exc.reason})", exc.start
    return None


def parse_note(
    path: str, rel: str, data: bytes, page_kinds: tuple[tuple[str, str], ...] = DEFAULT_PAGE_KINDS,
    renderer: str | None = None,
) -> Note:
    """The document model of one note; ``page_kinds`` is the ``page-kinds`` setting; with
    ``renderer="quartz"`` the note's wiki-links as Quartz reads them too (``Note.site``)."""
    has_bom = data.startswith(_BOM)
    raw = data[3:] if has_bom else data
    note = Note(path=path, rel=rel, raw=raw, has_bom=has_bom)
    problem = decode_problem(raw)
    if problem is not None:
        note.unreadable, note.unreadable_offset = problem
        return note

    fm = split_front_matter(raw)
    note.front_matter = fm
    body_start = 0
    if fm is not None and fm.closed:
        load_front_matter(raw, fm)
        body_start = fm.end
    elif fm is not None:
        # Unclosed: the whole file would be front matter; lint the body as Markdown anyway.
        body_start = fm.yaml_start
    note.body_start = body_start

    parsed = parse_blocks(raw, body_start)
    note.headings = parsed.headings
    note.comments = parsed.comments
    note.hidden = parsed.hidden
    note.code_spans = parsed.code_spans
    note.blocks = _split_source_line(note, parsed.blocks)
    for block in note.blocks:
        scan_block(block, raw)
    _find_body_front_matter(note)
    note.page_kind = page_kind(note, page_kinds)
    if note.is_video_note:
        assign_roles(note)
    if renderer == "quartz":
        note.site = quartz_view(note)
    return note


def _first_line_end(text: bytes) -> int:
    m = _LINE_END.search(text)
    return m.start() if m is not None else len(text)


def _split_source_line(note: Note, blocks: list[Block]) -> list[Block]:
    """Find the source line; split it from the rest of its paragraph; mark the preamble."""
    raw = note.raw
    source_index = None
    after_heading = False  # past a stray heading only a plain 'From: [[' paragraph is the source line
    for i, block in enumerate(blocks[:4]):
        if block.kind == "heading" and not (i == 0 and _SOURCE_START.match(block.text)):
            after_heading = True
            continue
        if block.kind in ("paragraph", "heading") and _SOURCE_START.match(block.text) and (
            not after_heading or (block.kind == "paragraph" and _SOURCE_STRICT.match(block.text))
        ):
            source_index = i
            break
    if source_index is None:
        return blocks
    block = blocks[source_index]
    if source_index > 0:
        first = blocks[0].start
        # a heading's text starts after its '#' marks: the preamble starts at the marks
        first = next((h.start for h in note.headings if h.start <= first < h.end), first)
        note.preamble = (first, blocks[source_index - 1].end)
    cut = _first_line_end(block.text)
    first_text = block.text[:cut]
    rest = block.text[cut:]
    line_text = first_text.decode("utf-8", "replace").rstrip()
    m = _SOURCE.fullmatch(line_text)
    next_line = bool(rest.strip())
    note.source_line = SourceLine(
        start=block.start,
        end=block.start + len(first_text.rstrip()),
        text=line_text,
        channel=m.group("target").strip() if m else None,
        has_br=bool(m and m.group("br")),
        next_line_text=next_line,
        heading=block.kind == "heading",
    )
    if block.kind == "heading":
        return blocks
    source_block = Block(
        kind="paragraph", start=block.start, end=block.start + cut, text=first_text, quoted=block.quoted,
        source_line=True,
    )
    out = blocks[:source_index] + [source_block]
    if next_line:
        offset = cut
        while offset < len(rest) + cut and block.text[offset] in (10, 13):
            offset += 1
        out.append(
            Block(kind="paragraph", start=block.start + offset, end=block.end, text=block.text[offset:], quoted=block.quoted,
                  callout=block.callout)
        )
    out.extend(blocks[source_index + 1 :])
    del raw
    return out


def _find_body_front_matter(note: Note) -> None:
    raw = note.raw
    if raw.find(b"---", note.body_start) == -1:
        return
    # Code blocks and comments are invisible: blank them before looking.
    body = blank(raw, note.body_start, len(raw), note.hidden)
    for m in _BODY_FM.finditer(body):
        keys = _KEY_LINE.findall(m.group(1))
        closed = m.group(2).startswith(b"---")
        if (closed and len(keys) >= 2) or (keys and keys[0] in _KNOWN_KEYS):
            s = note.body_start + m.start()
            note.body_front_matter.append((s, note.body_start + m.end()))
