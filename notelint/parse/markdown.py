"""Blocks from a real CommonMark parser (pulldown-cmark, through pyromark).

The parser decides structure: what is a paragraph, a list item, a table row,
a heading, a code block, an HTML block, a code span or display math. This
module walks its events once and keeps, for each block, the source range of
its own inline content and the ranges inside it that are invisible to rules
(code spans, display math, HTML comments). Nothing here looks at citations
or wiki-links; :mod:`notelint.parse.inline` does that inside each block.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pyromark

from ..document import Block, Comment, Heading
from .render import rendered_text

_OPTIONS = (
    pyromark.Options.ENABLE_TABLES
    | pyromark.Options.ENABLE_MATH
    | pyromark.Options.ENABLE_STRIKETHROUGH
    | pyromark.Options.ENABLE_TASKLISTS
    | pyromark.Options.ENABLE_FOOTNOTES
)

# Frames that own inline text, and the block kind they produce.
_TEXT_OWNERS = {
    "Paragraph": "paragraph",
    "Item": "item",
    "TableHead": "table-head",
    "TableRow": "table-row",
}
# Inline containers: their Start/End events are part of the surrounding text.
_INLINE = frozenset(
    ("Emphasis", "Strong", "Strikethrough", "Link", "Image", "Superscript", "Subscript", "TableCell")
)
_COMMENT = re.compile(rb"<!--.*?(?:-->|\Z)", re.S)
_COMMENT_END = re.compile(rb"-->")
_BLANK = bytes(b if b in (10, 13) else 32 for b in range(256))
_ANCHOR = re.compile(rb'<a class="yt-timestamp" data-t="[0-9:]{1,12}">\[[0-9:]{1,12}\]</a>')


def _filler(m: re.Match) -> bytes:
    return b"x" * (m.end() - m.start())


_HEADING_LEVEL = {"H1": 1, "H2": 2, "H3": 3, "H4": 4, "H5": 5, "H6": 6}


def blank(raw: bytes, start: int, end: int, masks: list[tuple[int, int]]) -> bytes:
    """``raw[start:end]`` with the masked ranges turned into spaces (line breaks kept)."""
    text = raw[start:end]
    if not masks:
        return text
    buf = bytearray(text)
    for ms, me in masks:
        a, b = max(ms, start) - start, min(me, end) - start
        if a < b:
            buf[a:b] = buf[a:b].translate(_BLANK)
    return bytes(buf)


_CALLOUT_MARK = re.compile(rb"[ \t]{0,3}>[ \t>]*\[!([A-Za-z0-9_-]{1,40})\]")


@dataclass(slots=True)
class Parsed:
    """What one walk of the parser's events yields."""

    blocks: list[Block] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    hidden: list[tuple[int, int]] = field(default_factory=list)  # code, display math, comments
    code_spans: list[tuple[int, int]] = field(default_factory=list)


def parse_blocks(raw: bytes, body_start: int) -> Parsed:
    """Walk the body's events; return blocks, headings, HTML comments, hidden ranges and code spans.

    Offsets from the parser are relative to the body; ``base`` turns them into
    note offsets. Text events, most of the stream, cost one dict lookup: they
    only extend the current block's range; the rest go to a :class:`_Walk`.
    """
    body_bytes = raw[body_start:]
    if b'<a class="yt-timestamp"' in body_bytes:
        # Canonical citation anchors become same-length plain text for the parser: they
        # are inline and cannot start or end a block, so the block structure is the
        # same, and the parser emits one text event where it emitted five. Citations
        # are read from the real bytes afterwards (notelint.parse.inline).
        body_bytes = _ANCHOR.sub(_filler, body_bytes)
    walk = _Walk(raw, body_start)
    cur = None  # walk.cur, read again after each event the walk handles
    for event, rng in pyromark.events_with_range(body_bytes.decode("utf-8"), options=_OPTIONS):
        if type(event) is dict:
            if "Text" in event:
                if cur is not None:
                    if cur[1] is None:
                        cur[1] = rng["start"]
                    cur[2] = rng["end"]
                continue
            for key, value in event.items():
                break
            if key == "Start":
                walk.start(value if type(value) is str else next(iter(value)), value, rng)
                cur = walk.cur
            elif key == "End":
                walk.end(value if type(value) is str else next(iter(value)), rng)
                cur = walk.cur
            elif cur is not None:  # not Html inside an HtmlBlock, nor anything outside text
                walk.inline(key, value, rng)
        elif cur is not None and event != "Rule":  # SoftBreak, HardBreak
            cur[2] = rng["end"]
    walk.out.hidden.sort()
    return walk.out


class _Walk:
    """The state of one walk: a stack of frames ``[kind, first, last, masks, quoted, level,
    start, end]`` (body offsets); ``cur`` is the innermost frame that owns inline text, or
    None inside code, HTML, lists..."""

    __slots__ = ("raw", "base", "out", "callouts", "stack", "cur", "quote_depth")

    def __init__(self, raw: bytes, base: int) -> None:
        self.raw, self.base, self.out = raw, base, Parsed()
        self.callouts: list[str | None] = []  # the callout type of each open block quote (None: plain)
        self.stack: list[list] = []
        self.cur: list | None = None
        self.quote_depth = 0

    def emit(self, frame: list, kind: str) -> None:
        first = frame[1]
        if first is None:
            return
        base = self.base
        first += base
        last = frame[2] + base
        if frame[3]:
            text = blank(self.raw, first, last, [(a + base, b + base) for a, b in frame[3]])
        else:
            text = self.raw[first:last]
        callout = next((c for c in reversed(self.callouts) if c is not None), None) if self.callouts else None
        self.out.blocks.append(Block(kind, first, last, text, frame[4], callout))

    def start(self, name: str, value, rng: dict) -> None:
        cur = self.cur
        if name in _INLINE:
            if cur is not None and cur[1] is None and name != "TableCell":
                cur[1] = rng["start"]
            return
        if cur is not None and cur[0] == "Item" and cur[1] is not None:
            # a block starts inside a list item: the item's own text ends here
            self.emit(cur, "item")
            cur[1], cur[2], cur[3] = None, 0, []
        if name == "BlockQuote":
            self.quote_depth += 1
            mark = _CALLOUT_MARK.match(self.raw, rng["start"] + self.base)
            self.callouts.append(mark.group(1).decode().lower() if mark else None)
        level = 0
        if name == "Heading":
            level = _HEADING_LEVEL.get(value["Heading"]["level"], 1)
        elif name == "Paragraph" and self.stack and self.stack[-1][0] == "Item":
            level = -1  # a paragraph of a loose list item
        frame = [name, None, 0, [], self.quote_depth > 0, level, rng["start"], rng["end"]]
        self.stack.append(frame)
        self.cur = frame if (name in _TEXT_OWNERS or name == "Heading") else None

    def end(self, name: str, rng: dict) -> None:
        cur = self.cur
        if name in _INLINE:
            if cur is not None and cur[1] is not None and rng["end"] > cur[2]:
                cur[2] = rng["end"]
            return
        if not self.stack:
            return
        frame = self.stack.pop()
        kind = frame[0]
        if kind == "Paragraph":
            self.emit(frame, "item" if frame[5] == -1 else "paragraph")
        elif kind in _TEXT_OWNERS:
            self.emit(frame, _TEXT_OWNERS[kind])
        elif kind == "Heading":
            self.heading(frame)
        elif kind == "CodeBlock":
            self.out.hidden.append((frame[6] + self.base, frame[7] + self.base))
        elif kind == "HtmlBlock":
            self.html_block(frame)
        elif kind == "BlockQuote":
            self.quote_depth -= 1
            if self.callouts:
                self.callouts.pop()
        # back in the enclosing frame: it owns text again if it is a text owner
        self.cur = None
        if self.stack:
            top = self.stack[-1]
            if top[0] in _TEXT_OWNERS or top[0] == "Heading":
                self.cur = top

    def heading(self, frame: list) -> None:
        raw, base = self.raw, self.base
        text = rendered = ""
        if frame[1] is not None:
            self.emit(frame, "heading")
            source = raw[frame[1] + base : frame[2] + base].decode("utf-8", "replace")
            text = (self.out.blocks[-1].text.decode("utf-8", "replace") if frame[3] else source).strip()
            rendered = rendered_text(source)
        self.out.headings.append(
            Heading(level=frame[5], start=frame[6] + base, end=frame[7] + base, text=text, rendered=rendered)
        )

    def html_block(self, frame: list) -> None:
        raw, out = self.raw, self.out
        hs, he = frame[6] + self.base, frame[7] + self.base
        masks = []
        for m in _COMMENT.finditer(raw, hs, he):
            cs, ce = m.span()
            masks.append((cs, ce))
            out.hidden.append((cs, ce))
            out.comments.append(Comment(cs, ce, raw[cs:ce].decode("utf-8", "replace")))
        text = blank(raw, hs, he, masks)
        if text.strip():
            out.blocks.append(Block(kind="html", start=hs, end=he, text=text, quoted=frame[4]))

    def inline(self, key: str, value, rng: dict) -> None:
        """A code span, inline or display math, inline HTML, a footnote reference... in text."""
        cur, raw, base, out = self.cur, self.raw, self.base, self.out
        s, e = rng["start"], rng["end"]
        if cur[1] is None:
            cur[1] = s
        if e > cur[2]:
            cur[2] = e
        if key == "Code" or key == "DisplayMath":
            cur[3].append((s, e))
            out.hidden.append((s + base, e + base))
            if key == "Code":
                out.code_spans.append((s + base, e + base))
        elif key == "InlineHtml" and value.startswith("<!--"):
            m = _COMMENT_END.search(raw, s + base + 4)
            ce = m.end() if m else len(raw)
            cur[3].append((s, ce - base))
            out.hidden.append((s + base, ce))
            if ce - base > cur[2]:
                cur[2] = ce - base
            out.comments.append(Comment(s + base, ce, raw[s + base : ce].decode("utf-8", "replace")))
