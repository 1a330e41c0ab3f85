"""The document model: one parsed note, with source positions.

Every offset is a byte offset into ``Note.raw`` (the file's bytes without a
UTF-8 BOM). Lines and columns are computed on demand by :meth:`Note.position`
so that parsing stays cheap; columns count characters, not bytes.

Names follow SPEC.md §1: front matter, source line, citation, citation group,
wiki-link, block, claim.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from enum import Enum
from itertools import accumulate, count
from operator import add
from typing import Any, NamedTuple

_LINE_BREAK = re.compile(rb"\r\n|\r|\n")
_CONTINUATION = bytes(range(0x80, 0xC0))  # UTF-8 continuation bytes: not the start of a character
_CHUNK = 4096


class PageKind(str, Enum):
    """What a page of the vault is (SPEC §1): a video note, or a page that is none.

    Channel pages (front matter with only ``title``, headings and lists of links to
    the channel's notes) and site pages (``index.md``, ``directory.md``) are
    checked only for what applies to them: the file, the front matter's form and
    their links.
    """

    VIDEO_NOTE = "video-note"
    CHANNEL_PAGE = "channel-page"
    SITE_PAGE = "site-page"


#: The default of the ``page-kinds`` setting: (glob pattern, page kind), the first match wins.
DEFAULT_PAGE_KINDS: tuple[tuple[str, str], ...] = (("index.md", "site-page"), ("directory.md", "site-page"))


@dataclass(slots=True)
class FrontMatter:
    start: int  # offset of the opening ``---``
    end: int  # offset just after the closing ``---`` line (body starts here)
    yaml_start: int  # offset of the YAML text
    yaml_end: int
    closed: bool
    data: dict[str, Any] | None = None
    # YAML problem: (message, offset) when the YAML could not be loaded.
    error: tuple[str, int] | None = None
    duplicates: list[tuple[str, int]] = field(default_factory=list)
    # top-level key -> (key offset, value offset, value end offset)
    keys: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    # pydantic validation errors of ``data`` against the front matter model
    # (None until the front matter rules first ask)
    errors: list[dict[str, Any]] | None = None


@dataclass(slots=True)
class Citation:
    """One ``<a class="yt-timestamp" data-t="HH:MM:SS">[HH:MM:SS]</a>`` anchor."""

    start: int
    end: int
    time: str | None  # data-t value
    label: str | None  # bracketed label text, without brackets
    time_span: tuple[int, int] | None = None
    label_span: tuple[int, int] | None = None
    # Markup problem (TS006) when the anchor is broken; None for a well-formed anchor.
    problem: str | None = None
    # seconds of a well-formed HH:MM:SS data-t, else None
    seconds: int | None = None


@dataclass(slots=True)
class CitationGroup:
    citations: list[Citation]
    # separator bytes between citations[i] and citations[i+1]
    separators: list[bytes]


@dataclass(slots=True)
class BareLabel:
    """A time written in a form that is no citation (TS006), by ``form``:

    - ``label``: a ``[00:21:12]`` label without its anchor;
    - ``markdown-link``: a label that is the text of a Markdown link, ``[00:21:12](url)``;
    - ``list``: several times in one pair of brackets, ``[00:03:54, 00:04:05]``;
    - ``range``: a range in one pair of brackets, ``[00:23:44 - 00:23:51]``;
    - ``glued``: two times run together, ``[50:15:50:30]``;
    - ``parentheses``: a time in parentheses, ``(12:34)``;
    - ``link-address``: a time as the address of a Markdown link, ``[bone loss](00:01:52)``;
    - ``wiki-link``: a time written as a wiki-link, ``[[00:50:02]]`` (then it is no wiki-link);
    - ``alias``: a time inside a wiki-link's alias, ``[[topic | 00:01:22]]`` (the span is the link's).

    ``text`` is what stands inside the brackets (the alias for ``alias``); ``times``
    the times it names, as written.
    """

    start: int
    end: int
    text: str
    form: str = "label"
    times: tuple[str, ...] = ()


@dataclass(slots=True)
class WikiLink:
    start: int
    end: int
    target: str  # as written, trimmed; "" for a same-note heading link
    heading: str | None
    alias: str | None
    embed: bool
    target_span: tuple[int, int]
    raw: str
    problem: str | None = None  # WL002 reason


class SiteLink(NamedTuple):
    """A wiki-link as the renderer reads it (``link-resolution = "quartz"``: Quartz's syntax).

    Offsets are byte offsets into ``Note.raw``; ``start`` includes an embed's ``!``.
    """

    start: int
    end: int
    target: str  # what the renderer takes for the target (Quartz: trimmed, escapes decoded)
    anchor: str  # the heading part as the renderer writes it ("#slug" for Quartz), "" without
    heading: str | None  # the heading part as written (trimmed), None without
    alias: str | None  # the display text after ``|``, trimmed; None without ``|``
    embed: bool
    target_span: tuple[int, int] | None = None  # the target's bytes, when the note holds it literally


@dataclass(slots=True)
class SiteView:
    """What the renderer makes of a note's wiki-links: its links and, where the note's
    headings are not plain text, its heading ids (None: derived from the headings' text)."""

    links: list[SiteLink] = field(default_factory=list)
    heading_ids: tuple[str, ...] | None = None
    math: list[tuple[int, int]] = field(default_factory=list)  # byte spans of inline math that hide text
    full: bool = False  # read by Quartz's text transforms and a second parse (not the fast reading)


@dataclass(slots=True)
class Block:
    """A paragraph, a list item's own text, a table row, a block-quote paragraph,
    a heading or an HTML block, with its visible text.

    ``text`` is ``raw[start:end]`` with invisible parts (code spans, inline math
    in display form, HTML comments, nested blocks) blanked out byte for byte, so
    offsets inside it are offsets into the note.
    """

    kind: str  # paragraph | item | table-head | table-row | heading | html
    start: int
    end: int
    text: bytes
    quoted: bool = False  # inside a block quote
    callout: str | None = None  # inside a callout (``> [!info] Title``): its type, lower case
    source_line: bool = False
    citations: list[Citation] = field(default_factory=list)
    groups: list[CitationGroup] = field(default_factory=list)
    bare_labels: list[BareLabel] = field(default_factory=list)  # times in forms that are no citation
    wikilinks: list[WikiLink] = field(default_factory=list)
    # what the block does in the note when it is not a claim's text (see notelint.parse.roles)
    role: str | None = None

    @property
    def is_claim_candidate(self) -> bool:
        return self.kind in ("paragraph", "item", "table-row")


@dataclass(slots=True)
class Heading:
    level: int
    start: int
    end: int
    text: str  # the heading's source text without the ``#`` marks
    rendered: str = ""  # what the page shows (notelint.parse.render.rendered_text)


@dataclass(slots=True)
class Comment:
    """An HTML comment (possible suppression directive)."""

    start: int
    end: int
    text: str


@dataclass(slots=True)
class SourceLine:
    start: int
    end: int
    text: str
    channel: str | None  # the wiki-link target, None when malformed
    has_br: bool
    next_line_text: bool  # the very next line holds text (same Markdown paragraph)
    heading: bool = False  # a ``---`` line under it made it a setext heading


@dataclass(slots=True)
class Note:
    path: str  # display path
    rel: str  # posix path relative to the vault root
    raw: bytes
    has_bom: bool = False
    # NL001 reason; when set, nothing else is parsed.
    unreadable: str | None = None
    unreadable_offset: int = 0
    front_matter: FrontMatter | None = None
    body_start: int = 0
    source_line: SourceLine | None = None
    # (start, end) of the text before the source line (SL002)
    preamble: tuple[int, int] | None = None
    blocks: list[Block] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    # invisible byte ranges (code, display math, comments)
    hidden: list[tuple[int, int]] = field(default_factory=list)
    code_spans: list[tuple[int, int]] = field(default_factory=list)  # inline code, a subset of hidden
    # (start, end) of ``---`` / key lines / ``---`` runs inside the body (FM008)
    body_front_matter: list[tuple[int, int]] = field(default_factory=list)
    page_kind: PageKind = PageKind.VIDEO_NOTE
    # the wiki-links as the renderer reads them; None when notelint's own reading is the renderer's
    site: SiteView | None = None
    _line_starts: list[int] | None = None
    _ascii: bool | None = None
    _char_index: list[int] | None = None  # characters before each _CHUNK-byte boundary
    _char_last: tuple[int, int] | None = None  # the last (offset, characters before it) counted
    _line_chars: dict[int, int] = field(default_factory=dict)  # characters before a long line's start

    # -- positions -------------------------------------------------------
    @property
    def line_starts(self) -> list[int]:
        if self._line_starts is None:
            raw = self.raw
            starts = [0]
            if b"\r" in raw:
                starts.extend(m.end() for m in _LINE_BREAK.finditer(raw))
            else:  # each line's start: the lengths of the lines before it, plus their line breaks
                starts.extend(map(add, accumulate(map(len, raw.split(b"\n")[:-1])), count(1)))
            self._line_starts = starts
        return self._line_starts

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column in characters) of a byte offset."""
        starts = self.line_starts
        offset = max(0, min(offset, len(self.raw)))
        idx = bisect_right(starts, offset) - 1
        line_start = starts[idx]
        if self._ascii is None:
            self._ascii = self.raw.isascii()
        if self._ascii:
            return idx + 1, offset - line_start + 1
        if offset - line_start <= _CHUNK:
            col = len(self.raw[line_start:offset].decode("utf-8", "replace")) + 1
        else:  # far into a long line: count through the index, not from the line start
            starts = self._line_chars
            before_line = starts.get(line_start)
            if before_line is None:
                last = self._char_last
                before_line = starts[line_start] = self._chars_before(line_start)
                self._char_last = last  # keep counting on along the line
            col = self._chars_before(offset) - before_line + 1
        return idx + 1, col

    def _chars_before(self, offset: int) -> int:
        """Characters in ``raw[:offset]`` (UTF-8: the bytes that are not continuation bytes)."""
        index = self._char_index
        raw = self.raw
        if index is None:
            index = [0]
            for k in range(0, len(raw), _CHUNK):
                index.append(index[-1] + len(raw[k : k + _CHUNK].translate(None, _CONTINUATION)))
            self._char_index = index
        last = self._char_last
        if last is not None and last[0] <= offset < last[0] + 64:
            # findings come in order along a line: count on from the previous answer
            count = last[1] + len(raw[last[0] : offset].translate(None, _CONTINUATION))
        else:
            k = offset // _CHUNK
            count = index[k] + len(raw[k * _CHUNK : offset].translate(None, _CONTINUATION))
        self._char_last = (offset, count)
        return count

    def slice(self, start: int, end: int) -> str:
        return self.raw[start:end].decode("utf-8", "replace")

    # -- convenience -------------------------------------------------------
    @property
    def is_video_note(self) -> bool:
        return self.page_kind is PageKind.VIDEO_NOTE

    @property
    def data(self) -> dict[str, Any]:
        fm = self.front_matter
        return fm.data if fm is not None and isinstance(fm.data, dict) else {}


_TIME = re.compile(r"(\d{2}):([0-5]\d):([0-5]\d)", re.ASCII)


def parse_time(text: str) -> int | None:
    """Seconds of a well-formed ``HH:MM:SS`` time, else None."""
    m = _TIME.fullmatch(text)
    if m is None:
        return None
    return int(text[0:2]) * 3600 + int(text[3:5]) * 60 + int(text[6:8])


def format_time(seconds: int) -> str:
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h:02d}:{m:02d}:{s:02d}"


LOOSE_TIME = re.compile(r"^(?:(\d{1,2}):)?(\d{1,2}):(\d{1,2})$")


def padded(text: str) -> str | None:
    """``0:21:12`` / ``21:12`` / ``1:05`` zero-padded to ``HH:MM:SS``; None if not a time."""
    m = LOOSE_TIME.match(text.strip())
    if m is None:
        return None
    h, mi, s = int(m.group(1) or 0), int(m.group(2)), int(m.group(3))
    if mi > 59 or s > 59:
        return None
    return f"{h:02d}:{mi:02d}:{s:02d}"
