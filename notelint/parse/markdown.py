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

import pyromark

from ..document import Block, Comment, Heading

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


def parse_blocks(
    raw: bytes, body_start: int
) -> tuple[list[Block], list[Heading], list[Comment], list[tuple[int, int]]]:
    """Walk the body's events; return blocks, headings, HTML comments and hidden ranges."""
    body = raw[body_start:].decode("utf-8")
    base = body_start
    blocks: list[Block] = []
    headings: list[Heading] = []
    comments: list[Comment] = []
    hidden: list[tuple[int, int]] = []
    # frame: [kind, first, last, masks, quoted, level]
    stack: list[list] = []
    quote_depth = 0

    def emit(frame: list, kind: str) -> None:
        first = frame[1]
        if first is None:
            return
        last = frame[2]
        masks = frame[3]
        blocks.append(Block(kind=kind, start=first, end=last, text=blank(raw, first, last, masks), quoted=frame[4]))

    for event, rng in pyromark.events_with_range(body, options=_OPTIONS):
        s = rng["start"] + base
        e = rng["end"] + base
        if type(event) is str:  # SoftBreak, HardBreak, Rule
            if event == "Rule":
                continue
            key = "Text"
            value = None
        else:
            for key, value in event.items():
                break
        if key == "Text" or key == "Code" or key == "InlineHtml" or key == "InlineMath" or key == "DisplayMath" or (
            key in ("FootnoteReference", "TaskListMarker")
        ):
            if not stack:
                continue
            top = stack[-1]
            if top[0] not in _TEXT_OWNERS and top[0] != "Heading":
                continue
            if top[1] is None:
                top[1] = s
            if e > top[2]:
                top[2] = e
            if key == "Code" or key == "DisplayMath":
                top[3].append((s, e))
                hidden.append((s, e))
            elif key == "InlineHtml" and value.startswith("<!--"):
                m = _COMMENT_END.search(raw, s + 4)
                ce = m.end() if m else len(raw)
                top[3].append((s, ce))
                hidden.append((s, ce))
                if ce > top[2]:
                    top[2] = ce
                comments.append(Comment(s, ce, raw[s:ce].decode("utf-8", "replace")))
            continue
        if key == "Start":
            name = value if type(value) is str else next(iter(value))
            if name in _INLINE:
                if stack and stack[-1][1] is not None:
                    pass
                elif stack and (stack[-1][0] in _TEXT_OWNERS or stack[-1][0] == "Heading") and name != "TableCell":
                    stack[-1][1] = s
                continue
            # A block starts: an item's own text ends here.
            if stack and stack[-1][0] == "Item" and stack[-1][1] is not None:
                emit(stack[-1], "item")
                stack[-1][1] = None
                stack[-1][2] = 0
                stack[-1][3] = []
            if name == "BlockQuote":
                quote_depth += 1
            level = 0
            if name == "Heading":
                level = _HEADING_LEVEL.get(value["Heading"]["level"], 1)
            kind = name
            if name == "Paragraph" and stack and stack[-1][0] == "Item":
                kind = "Paragraph"
                level = -1  # paragraph of a loose list item
            stack.append([kind, None, 0, [], quote_depth > 0, level, s, e])
            continue
        if key == "End":
            name = value if type(value) is str else next(iter(value))
            if name in _INLINE:
                if stack and stack[-1][1] is not None and e > stack[-1][2]:
                    stack[-1][2] = e
                continue
            if not stack:
                continue
            frame = stack.pop()
            kind = frame[0]
            if kind == "Paragraph":
                emit(frame, "item" if frame[5] == -1 else "paragraph")
            elif kind in _TEXT_OWNERS:
                emit(frame, _TEXT_OWNERS[kind])
            elif kind == "Heading":
                if frame[1] is not None:
                    emit(frame, "heading")
                    text = blocks[-1].text.decode("utf-8", "replace").strip()
                else:
                    text = ""
                headings.append(Heading(level=frame[5], start=frame[6], end=frame[7], text=text))
            elif kind == "CodeBlock":
                hidden.append((frame[6], frame[7]))
            elif kind == "HtmlBlock":
                hs, he = frame[6], frame[7]
                masks = []
                for m in _COMMENT.finditer(raw, hs, he):
                    cs, ce = m.span()
                    masks.append((cs, ce))
                    hidden.append((cs, ce))
                    comments.append(Comment(cs, ce, raw[cs:ce].decode("utf-8", "replace")))
                text = blank(raw, hs, he, masks)
                if text.strip():
                    blocks.append(Block(kind="html", start=hs, end=he, text=text, quoted=frame[4]))
            elif kind == "BlockQuote":
                quote_depth -= 1
            continue
        # Html inside an HtmlBlock, metadata blocks and anything else: handled at End.
    hidden.sort()
    return blocks, headings, comments, hidden
