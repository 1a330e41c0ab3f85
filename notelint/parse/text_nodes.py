"""The text nodes of a Markdown text as remark (mdast) holds them, from pulldown-cmark's events.

A renderer that finds wiki-links with a regular expression over mdast text
nodes (Quartz does) never sees what the Markdown parser made into something
else: code spans and blocks, ``$…$`` and ``$$…$$`` math, HTML (blocks and inline
tags), the front matter, image descriptions, link destinations. And a text node
ends wherever another inline node starts (emphasis, a link, a hard break, inline
HTML), so a wiki-link written across one is no link. Escapes and entity
references are decoded in a text node's value (``\\[[a]]`` holds ``[[a]]``).

This module reads those nodes off pyromark's event stream: consecutive ``Text``
and ``SoftBreak`` events of one container make one node. It also gives each
heading's inline pieces, from which a renderer computes the heading's id. It
knows nothing of wiki-links or of any renderer.

Known differences from micromark (remark's parser), measured against Quartz in
``tests/test_quartz_oracle.py``: pulldown-cmark's inline math is stricter than
remark-math's (``$5 and $10`` is math for remark-math only); GFM autolink
literals (``www.x.com``, ``a@b.co``) are link nodes for remark-gfm only.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Literal

import pyromark

# no ENABLE_MATH: pulldown-cmark's rules for ``$`` differ from remark-math's (see _math_spans)
_OPTIONS = (
    pyromark.Options.ENABLE_TABLES
    | pyromark.Options.ENABLE_STRIKETHROUGH
    | pyromark.Options.ENABLE_TASKLISTS
    | pyromark.Options.ENABLE_FOOTNOTES
)
# remark-frontmatter's yaml (``---``) and toml (``+++``) blocks: first line of the text, closed
_FRONT_MATTER = re.compile(r"\A(---|\+\+\+)[ \t]*(?:\r\n|\r|\n)(?:.*?(?:\r\n|\r|\n))??\1[ \t]*(?=\r\n|\r|\n|\Z)", re.S)
# containers whose Text events are no text node: code, math, HTML, metadata, image descriptions
_OPAQUE = frozenset(("CodeBlock", "HtmlBlock", "MetadataBlock", "Image"))


@dataclass(slots=True)
class TextNode:
    """One mdast text node: its value and where each piece of it comes from in the text."""

    value: str
    parent: str  # the enclosing container: paragraph, heading, tableCell, link, emphasis, ...
    # (offset in value, source start, source end), one per Text/SoftBreak event, in order
    chunks: list[tuple[int, int, int]] = field(default_factory=list)

    def source_start(self, k: int) -> int:
        """The source offset where ``value[k]`` starts."""
        i = bisect_right(self.chunks, k, key=_at) - 1
        return self._map(i, k, False)

    def source_end(self, k: int) -> int:
        """The source offset just after ``value[k - 1]``."""
        i = bisect_right(self.chunks, k - 1, key=_at) - 1
        return self._map(i, k, True)

    def _map(self, i: int, k: int, end: bool) -> int:
        at, start, stop = self.chunks[i]
        nxt = self.chunks[i + 1][0] if i + 1 < len(self.chunks) else len(self.value)
        if stop - start == nxt - at:
            return start + k - at
        return stop if end else start  # an escape or an entity: its whole source


def _at(chunk: tuple[int, int, int]) -> int:
    return chunk[0]


@dataclass(slots=True)
class Piece:
    """An inline piece of a heading: text (a text node), code, math or html."""

    kind: Literal["text", "code", "math", "html"]
    value: str


@dataclass(slots=True)
class Heading:
    """A heading: Markdown (its inline pieces) or an ``<h1>``…``<h6>`` element of an HTML block."""

    level: int
    start: int
    end: int
    pieces: list[Piece]
    html: bool = False  # an HTML element: one piece, its text content, no Markdown in it
    html_id: str | None = None  # the element's own ``id`` attribute


@dataclass(slots=True)
class TextTree:
    nodes: list[TextNode]
    headings: list[Heading]
    footnotes: bool = False  # a footnote is referenced and defined (remark adds a "Footnotes" heading)
    maths: list[tuple[int, int]] = field(default_factory=list)  # remark-math's ``$…$`` spans


class _HtmlHeadings(HTMLParser):
    """The ``<h1>``…``<h6>`` elements of an HTML block: level, text content, ``id``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str, str | None]] = []
        self._open: tuple[int, list[str], str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._open is None and len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
            self._open = (int(tag[1]), [], dict(attrs).get("id"))

    def handle_endtag(self, tag: str) -> None:
        if self._open is not None and tag == f"h{self._open[0]}":
            level, parts, hid = self._open
            self.found.append((level, "".join(parts), hid))
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open[1].append(data)


def _html_headings(html: str, start: int, end: int) -> list[Heading]:
    if "<h" not in html and "<H" not in html:
        return []
    parser = _HtmlHeadings()
    parser.feed(html)
    parser.close()
    return [Heading(level, start, end, [Piece("html", text)], True, hid) for level, text, hid in parser.found]


def _blank_front_matter(text: str) -> str:
    m = _FRONT_MATTER.match(text)
    if not m:
        return text
    fm = re.sub(r"[^\r\n]", " ", m.group(0))
    return fm + text[m.end() :]


def _name(value: object) -> str:
    return value if isinstance(value, str) else next(iter(value))  # type: ignore[arg-type]


_LEVELS = {"H1": 1, "H2": 2, "H3": 3, "H4": 4, "H5": 5, "H6": 6}


def _char_offsets(text: str) -> Callable[[int], int] | None:
    """pulldown-cmark's ranges count UTF-8 bytes: a byte offset to a ``str`` offset (None: the same)."""
    if text.isascii():
        return None
    # byte offset just after each non-ASCII character, and the extra bytes up to there
    ends: list[int] = []
    extra: list[int] = []
    total = 0
    for m in _NON_ASCII.finditer(text):
        total += len(m.group(0).encode("utf-8")) - 1
        ends.append(m.start() + total + 1)
        extra.append(total)

    def char(byte: int) -> int:
        i = bisect_right(ends, byte) - 1
        return byte if i < 0 else byte - extra[i]

    return char


_NON_ASCII = re.compile(r"[^\x00-\x7f]")
# events inside a run of inline content; anything else ends the run (a cell, a block, a list item's block)
_INLINE_CONTAINERS = frozenset(("Emphasis", "Strong", "Strikethrough", "Link", "Image", "Superscript", "Subscript"))
_INLINE_LEAVES = frozenset(("SoftBreak", "HardBreak", "Code", "InlineHtml", "FootnoteReference", "TaskListMarker"))
_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
# key, value, start, end, inline (part of a run of inline content), exact (a Text whose value is its source)
_Event = tuple[str, object, int, int, bool, bool]


def _events(text: str) -> list[_Event]:
    """pyromark's events with ``str`` offsets; adjacent Text events that are their own source merged."""
    char = _char_offsets(text)
    out: list[_Event] = []
    append = out.append
    for event, rng in pyromark.events_with_range(text, options=_OPTIONS):
        s, e = rng["start"], rng["end"]
        if char is not None:
            s, e = char(s), char(e)
        if type(event) is dict:
            text_value = event.get("Text")
            if text_value is not None:
                exact = len(text_value) == e - s
                if exact and out:
                    prev = out[-1]
                    if prev[0] == "Text" and prev[5] and prev[3] == s:
                        out[-1] = ("Text", prev[1] + text_value, prev[2], e, True, True)  # type: ignore[operator]
                        continue
                append(("Text", text_value, s, e, True, exact))
                continue
            key, value = next(iter(event.items()))
            inline = _name(value) in _INLINE_CONTAINERS if key in ("Start", "End") else key in _INLINE_LEAVES
            append((key, value, s, e, inline, False))
        else:
            append((event, None, s, e, event in _INLINE_LEAVES, False))
    return out


def _math_spans(text: str, events: list[_Event]) -> list[tuple[int, int]]:
    """remark-math's ``$…$`` spans (micromark-extension-math's math text) in each run of inline content.

    Scanning left to right, a code span, inline HTML, an autolink or a link's
    destination that starts first is skipped whole; an unescaped run of ``$``
    opens math when a run of exactly as many ``$`` follows in the same run of
    content (whatever lies between: brackets, tags, line breaks).
    """
    spans: list[tuple[int, int]] = []
    i, n = 0, len(events)
    while i < n:
        if not events[i][4]:
            i += 1
            continue
        j = i
        atoms: list[tuple[int, int]] = []
        last_child_end = -1
        while j < n and events[j][4]:
            key, value, s, e = events[j][:4]
            if key in ("Code", "InlineHtml"):
                atoms.append((s, e))
            elif key == "Start" and _name(value) == "Link" and value["Link"]["link_type"] in ("Autolink", "Email"):
                atoms.append((s, e))
            elif key == "End" and _name(value) in ("Link", "Image") and last_child_end > 0:
                atoms.append((last_child_end, e))  # the link's ``](destination)``
            if key not in ("Start", "End"):
                last_child_end = e
            j += 1
        region_start = min(ev[2] for ev in events[i:j])
        region_end = max(ev[3] for ev in events[i:j])
        spans.extend(_scan_math(text, region_start, region_end, sorted(atoms)))
        i = j
    return spans


def _scan_math(text: str, start: int, end: int, atoms: list[tuple[int, int]]) -> list[tuple[int, int]]:
    if "$" not in text[start:end]:
        return []
    out = []
    a = 0
    pos = start
    while pos < end:
        while a < len(atoms) and atoms[a][1] <= pos:
            a += 1
        if a < len(atoms) and atoms[a][0] <= pos:
            pos = atoms[a][1]
            continue
        ch = text[pos]
        if ch == "\\" and pos + 1 < end and text[pos + 1] in _PUNCT:
            pos += 2
        elif ch == "$":
            size = 1
            while pos + size < end and text[pos + size] == "$":
                size += 1
            close = _closing(text, pos + size, end, size)
            if close is None:
                pos += size
            else:
                out.append((pos, close))
                pos = close
        else:  # on to the next '\\' or '$', or the next atom if it starts first
            mark = _MATH_MARK.search(text, pos + 1, end)
            pos = mark.start() if mark is not None else end
            if a < len(atoms) and atoms[a][0] < pos:
                pos = atoms[a][0]
    return out


_MATH_MARK = re.compile(r"[\\$]")


def math_spans(text: str) -> list[tuple[int, int]]:
    """remark-math's ``$…$`` spans in ``text``, one run of inline content holding no code span,
    inline HTML, autolink or link destination with a ``$`` in it (the caller's guarantee)."""
    return _scan_math(text, 0, len(text), [])


def _closing(text: str, pos: int, end: int, size: int) -> int | None:
    """The end of the first run of exactly ``size`` ``$`` at or after ``pos``."""
    while True:
        k = text.find("$", pos, end)
        if k < 0:
            return None
        run = k
        while run < end and text[run] == "$":
            run += 1
        if run - k == size:
            return run
        pos = run


def text_tree(text: str, front_matter: bool = True) -> TextTree:
    """The text nodes and headings of ``text`` (offsets are ``str`` offsets into ``text``)."""
    if front_matter:
        text = _blank_front_matter(text)
    events = _events(text)
    maths = _math_spans(text, events) if "$" in text else []
    builder = _Builder(text, maths)
    feed = builder.feed
    for ev in events:
        # the common case inline: text continuing a node, outside headings, no math in the note
        if ev[0] == "Text" and not maths and builder.heading is None and not builder.opaque:
            cur = builder.cur
            if cur is not None:
                cur.chunks.append((len(cur.value), ev[2], ev[3]))
                cur.value += ev[1]  # type: ignore[operator]
                continue
        feed(ev)
    return TextTree(builder.nodes, builder.headings, builder.footnote_refs and builder.footnote_defs, maths)


class _Builder:
    """Text nodes and headings from the events, math spans cut out."""

    def __init__(self, text: str, maths: list[tuple[int, int]]) -> None:
        self.text = text
        self.maths = maths
        self.m = 0  # next math span not yet behind us
        self.nodes: list[TextNode] = []
        self.headings: list[Heading] = []
        self.stack: list[str] = []
        self.opaque = 0
        self.cur: TextNode | None = None
        self.heading: Heading | None = None
        self.footnote_refs = self.footnote_defs = False
        self._last_math = -1  # the math span a heading last got a piece for

    def feed(self, ev: _Event) -> None:
        key, value, s, e, _inline, exact = ev
        if key in ("Start", "End"):
            self.cur = None
            self._container(key, value, s, e)
            return
        if self.opaque:
            return
        while self.m < len(self.maths) and self.maths[self.m][1] <= s:
            self.m += 1
        if key == "Text" or key == "SoftBreak":
            if key == "SoftBreak":
                value, exact = self.text[s:e], True
            if not self.maths or self.m >= len(self.maths) or self.maths[self.m][0] >= e:
                self._append(value, s, e)  # type: ignore[arg-type]
            else:
                self._text(value, s, e, exact)  # type: ignore[arg-type]
            return
        self.cur = None
        if self._in_math(s):
            return
        if key == "FootnoteReference":
            self.footnote_refs = True
        h = self.heading
        if h is not None:
            if key == "Code":
                h.pieces.append(Piece("code", value))  # type: ignore[arg-type]
            elif key == "InlineHtml":
                h.pieces.append(Piece("html", value))  # type: ignore[arg-type]

    def _in_math(self, pos: int) -> bool:
        return self.m < len(self.maths) and self.maths[self.m][0] <= pos < self.maths[self.m][1]

    def _text(self, piece: str, s: int, e: int, exact: bool) -> None:
        while piece:
            if self._in_math(s):
                ms, me = self.maths[self.m]
                self._math(ms, me)
                if not exact or me >= e:
                    return
                piece, s = piece[me - s :], me
                self.m += 1
                continue
            nxt = self.maths[self.m][0] if self.m < len(self.maths) else e
            if exact and nxt < e:
                self._append(piece[: nxt - s], s, nxt)
                piece, s = piece[nxt - s :], nxt
                continue
            self._append(piece, s, e)
            return

    def _math(self, ms: int, me: int) -> None:
        """Inside a math span: the text node ends; a heading gets the math once."""
        if self.heading is not None and self._last_math != ms:
            self.heading.pieces.append(Piece("math", self.text[ms:me].strip("$")))
        self._last_math = ms
        self.cur = None

    def _append(self, piece: str, s: int, e: int) -> None:
        cur = self.cur
        if cur is None:
            cur = self.cur = TextNode("", self.stack[-1] if self.stack else "root")
            self.nodes.append(cur)
            if self.heading is not None:
                self.heading.pieces.append(Piece("text", ""))
        cur.chunks.append((len(cur.value), s, e))
        cur.value += piece
        if self.heading is not None:
            self.heading.pieces[-1].value += piece

    def _container(self, key: str, value: object, s: int, e: int) -> None:
        name = _name(value)
        if key == "Start" and name == "FootnoteDefinition":
            self.footnote_defs = True
        if key == "Start":
            self.stack.append(name[0].lower() + name[1:])
            if name in _OPAQUE:
                self.opaque += 1
            elif name == "Heading":
                self.heading = Heading(_LEVELS.get(value["Heading"]["level"], 1), s, e, [])  # type: ignore[index]
            return
        if self.stack:
            self.stack.pop()
        if name in _OPAQUE:
            self.opaque -= 1
            if name == "HtmlBlock" and not self.opaque:
                self.headings.extend(_html_headings(self.text[s:e], s, e))
        elif name == "Heading" and self.heading is not None:
            self.headings.append(self.heading)
            self.heading = None
