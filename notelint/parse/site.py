"""A note's wiki-links as Quartz 4.5 reads them (``link-resolution = "quartz"``): :func:`quartz_view`.

What is a wiki-link at all follows the renderer (SPEC §3). Quartz runs text
transforms over the note (``%%`` comments, callouts, table escapes, heading
slugs), parses the result with remark and matches its wiki-link expression in
each text node (:mod:`notelint.quartz.syntax`). Doing that for every note means
a second parse, so it is done only where it can give another answer than
notelint's own reading (:mod:`notelint.parse.inline`):

* the fast reading takes notelint's wiki-links and reads each through Quartz's
  rewrite and expression, when the note holds none of the constructs where the
  two readings may part: ``%%`` comments, escaped brackets, entities, footnotes,
  HTML headings, link reference definitions, an unclosed front matter, a
  callout line turned into a heading or table by the next line, ``[[`` that
  notelint does not take for a link, a link in an HTML block or a table, a link
  holding emphasis, HTML, code, math, escapes, or next to a bracket or a
  parenthesis, a link that remark-math's ``$…$`` rule hides;
* the full reading otherwise: Quartz's text transforms and one more parse
  (:func:`notelint.parse.text_nodes.text_tree`), exactly as the port does.

``tests/test_link_resolution_oracle.py`` checks the outcome, link by link,
against Quartz's own verdicts on the whole tubegraph vault.

Heading ids are computed here only for notes whose headings are not plain
text; a plain heading's id follows from its text (:func:`notelint.quartz.headings.plain_heading_ids`),
which the vault computes when a link names a heading of the note.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable

from ..document import Note, SiteLink, SiteView, WikiLink
from ..quartz import js
from ..quartz.headings import PLAIN_EXTRAS, heading_ids
from ..quartz.syntax import WIKILINK, rewrite_wikilink, text_transform, wikilinks
from .markdown import blank
from .text_nodes import math_spans, text_tree

# constructs where the fast reading may part from Quartz's, anywhere in the note (one scan); a link
# reference definition and a callout are checked where found
_RISKY = re.compile(rb"%%|\\[\[\]]|&(?:#|[lr]sqb;|[lr]brack;)|\[\^|<[hH][1-6][\s>/]|\]:|\[!")
_LINK_DEFINITION = re.compile(rb"^[ \t]{0,3}\[[^\]\n]{1,999}\]:", re.M)
# a callout line, as OFM's transform matches it, and the line after it
_CALLOUT = re.compile(rb"^> *\[!\w+\|?[^\r\n]*?\][+-]?[^\r\n]*(?:\r?\n)([^\r\n]*)", re.M)
# a line that, after a callout's title, would make it a heading or a table without Quartz's added line
_UNDERLINE = re.compile(rb"[ \t>]*(?:=+|-+|[|: \t]*-[-|: \t]*)[ \t]*\r?")
# in a link: emphasis, strikethrough, HTML, entities, code, math, escapes; an underscore that may be emphasis
_ENTITY = r"&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
# (every alternative starts with a fixed character, so the scan skips to them)
_UNSAFE_IN_LINK = re.compile(r"[*~<`$\\]|_(?:(?<![A-Za-z0-9]_)|(?![A-Za-z0-9]))|" + _ENTITY)
_EXTERNAL = re.compile(r"https?://", re.I)
# a heading that is one plain text node (after its wiki-links are taken out)
_UNPLAIN_HEADING = re.compile(r"[`$<>*~\\=\[\]\n]|--|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])|" + _ENTITY)
_MAYBE_UNPLAIN = re.compile(rb"[`$<>*~\\=\[\]_&\n]|--")
_SETEXT_UNDERLINE = re.compile(r"\r?\n[ \t]*(?:=+|-+)[ \t]*\r?\Z")
_HEADING_MARKS = re.compile(r"\A[ \t]*#{1,6}")
_OPENER_BEFORE = frozenset(b"[\\")
_AFTER = frozenset(b"([]")
_SPACE = frozenset(b" \t\r\n")
_NOT_PLAIN_BLOCKS = frozenset(("html", "table-row", "table-head"))


def quartz_view(note: Note) -> SiteView:
    """The note's wiki-links as Quartz reads them, and its heading ids where they are not plain."""
    if not _risky(note):
        links = _fast_links(note)
        if links is not None:
            if _plain_headings(note):
                return SiteView(links)
            ids = _heading_ids_alone(note)
            if ids is not None:
                return SiteView(links, ids)
    return _full_view(note, _plain_headings(note))


# -- when the fast reading holds ---------------------------------------------------------
def _risky(note: Note) -> bool:
    raw = note.raw
    fm = note.front_matter
    if fm is not None and not fm.closed:
        return True
    for m in _RISKY.finditer(raw, note.body_start):
        mark = m.group()
        if mark == b"]:":  # a link reference definition?
            if _LINK_DEFINITION.match(raw, raw.rfind(b"\n", 0, m.start()) + 1):
                return True
        elif mark == b"[!":  # a callout line whose next line would make it a heading or a table?
            c = _CALLOUT.match(raw, raw.rfind(b"\n", 0, m.start()) + 1)
            if c is not None and _UNDERLINE.fullmatch(c.group(1)):
                return True
        else:
            return True
    return False


def _plain_headings(note: Note) -> bool:
    raw = note.raw
    for h in note.headings:
        end = h.end
        if raw[end - 1 : end] == b"\n":  # the line ending is no part of the text
            end -= 2 if raw[end - 2 : end - 1] == b"\r" else 1
        if not _MAYBE_UNPLAIN.search(raw, h.start, end):
            continue
        text = note.slice(h.start, h.end).rstrip("\r\n")
        text = _SETEXT_UNDERLINE.sub("", _HEADING_MARKS.sub("", text, 1))
        if _UNPLAIN_HEADING.search(WIKILINK.sub("", PLAIN_EXTRAS.sub("", text))):
            return False
    return True


def _heading_ids_alone(note: Note) -> tuple[str, ...] | None:
    """The heading ids from a parse of the headings alone (a heading's inline content does not
    depend on the rest of a note without link reference definitions or footnotes); None when a
    heading cannot be lifted out (inside a block quote, say)."""
    lines = []
    for h in note.headings:
        src = note.slice(h.start, h.end).strip("\r\n")
        if not (src.startswith("#") and "\n" not in src) and not _SETEXT.fullmatch(src):
            return None
        lines.append(src)
    t = text_transform("\n\n".join(lines))
    tree = text_tree(t.text, front_matter=False)
    if len(tree.headings) != len(lines) or any(h.html for h in tree.headings):
        return None
    return tuple(heading_ids(tree.headings))


_SETEXT = re.compile(r"[^\n>#]+\r?\n[ \t]*(?:=+|-+)[ \t]*\r?")


def _fast_links(note: Note) -> list[SiteLink] | None:
    """notelint's wiki-links read through Quartz's rewrite and expression; None where the
    note needs the full reading."""
    raw = note.raw
    linked = []
    count = 0
    for block in note.blocks:
        links = block.wikilinks
        times = [b for b in block.bare_labels if b.form == "wiki-link"] if block.bare_labels else ()
        if links or times:
            if block.kind in _NOT_PLAIN_BLOCKS:
                return None
            linked.append((block, links, times))
            count += len(links) + len(times)
    if raw.count(b"[[", note.body_start) != count and _visible_openers(note) != count:
        return None  # a "[[" notelint does not take for a link (emphasis, HTML...)
    math = b"$" in raw
    out: list[SiteLink] = []
    size = len(raw)
    for block, links, times in linked:
        if math and raw.find(b"$", block.start, block.end) != -1:
            if block.source_line:
                return None
            text = blank(raw, block.start, block.end, _code_and_comments(note, block.start, block.end))
            if _in_math(text.decode("utf-8"), block.start, links, times, raw):
                return None
        for w in links:
            if w.problem is not None:
                return None
            link = _fast_link(raw, size, w.start, w.end, w.raw, w)
            if link is None:
                return None
            out.append(link)
        for t in times:
            link = _fast_link(raw, size, t.start, t.end, note.slice(t.start, t.end), None)
            if link is None:
                return None
            out.append(link)
    if any(t for _, _, t in linked):
        out.sort(key=lambda s: s.start)
    return out


def _visible_openers(note: Note) -> int:
    """The ``[[`` of the note's body outside code, display math and comments (no link for
    either reader)."""
    raw = note.raw
    return raw.count(b"[[", note.body_start) - sum(raw.count(b"[[", max(a, note.body_start), b) for a, b in note.hidden)


def _fast_link(raw: bytes, size: int, start: int, end: int, text: str, w: WikiLink | None) -> SiteLink | None:
    if _UNSAFE_IN_LINK.search(text):
        return None
    if start:
        before = raw[start - 1]
        if before in _OPENER_BEFORE:
            return None
        if (before == 0x28 or (before in _SPACE and start > 1 and raw[start - 2] in _DEST_END)) and _after_link_text(
            raw, start
        ):
            return None
    if end < size and raw[end] in _AFTER:
        return None
    m = WIKILINK.fullmatch(text)
    if m is None:
        return None
    raw_fp, raw_header, raw_alias = m.groups()
    if raw_header is not None or (raw_fp and _EXTERNAL.match(raw_fp)):
        m = WIKILINK.fullmatch(rewrite_wikilink(m))
        if m is None:
            return None
        raw_fp, raw_header, raw_alias = m.groups()
    span = w.target_span if w is not None and w.target else _target_span(raw, start, text)
    fp = raw_fp.strip(_WS) if raw_fp else ""
    if fp and (fp[0] in _ODD_SPACE or fp[-1] in _ODD_SPACE):
        fp = js.trim(raw_fp)
    return SiteLink(
        start, end, fp, js.trim(raw_header) if raw_header else "",
        w.heading if w is not None else None,
        None if raw_alias is None else js.trim(raw_alias[1:]),
        text[0] == "!", span,
    )


_WS = " \t\n\r\f\v"
# white space JavaScript's trim drops and str.strip(_WS) keeps
_ODD_SPACE = frozenset("\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff")
_DEST_END = frozenset(b"( \t\r\n")


def _after_link_text(raw: bytes, start: int) -> bool:
    """Whether the link at ``start`` follows ``](`` (white space between): a link destination."""
    return raw[max(0, start - 40) : start].rstrip(b" \t\r\n").endswith(b"](")


def _code_and_comments(note: Note, start: int, end: int) -> list[tuple[int, int]]:
    masks = [(a, b) for a, b in note.code_spans if a < end and b > start]
    masks += [(c.start, c.end) for c in note.comments if c.start < end and c.end > start]
    return masks


def _in_math(text: str, base: int, links: list, times: list, raw: bytes) -> bool:
    """Whether remark-math's ``$…$`` (or a ``$`` that remark reads in a way this scan cannot
    follow) touches one of the block's links; ``text`` is the block with code and comments blanked."""
    if "](" in text or "<" in _CITATIONS.sub("", text):
        return True  # an HTML tag or a link destination may hold a '$' remark skips
    spans = math_spans(text)
    if not spans:
        return False
    to_char = _char_offsets(raw, base)
    for item in (*links, *times):
        s, e = to_char(item.start), to_char(item.end)
        if any(a < e and s < b for a, b in spans):
            return True
    return False


_CITATIONS = re.compile(r'<a class="yt-timestamp" data-t="[^"<>]*">\[[^\[\]<>]*\]</a>')


def _char_offsets(raw: bytes, base: int) -> Callable[[int], int]:
    """A note byte offset to a character offset in the text starting at byte ``base``."""
    return lambda pos: len(raw[base:pos].decode("utf-8", "replace"))


def _target_span(raw: bytes, start: int, text: str) -> tuple[int, int] | None:
    """The bytes of the target of the link ``text`` at ``start``, when it is written literally."""
    m = WIKILINK.fullmatch(text)
    if m is None or m.group(1) is None:
        return None
    target = m.group(1)
    lead = len(target) - len(js.trim_start(target))
    inner = js.trim(target)
    if not inner:
        return None
    s = start + len(text[: m.start(1) + lead].encode("utf-8"))
    return s, s + len(inner.encode("utf-8"))


# -- the full reading -----------------------------------------------------------------------
def _full_view(note: Note, plain: bool) -> SiteView:
    raw = note.raw
    source = raw.decode("utf-8")
    t = text_transform(source)
    tree = text_tree(t.text)
    to_byte = _byte_offsets(source)
    links = []
    for q in wikilinks(t, tree.nodes, lines=False):
        start, end = to_byte(q.start), to_byte(q.end)
        text = source[q.start : q.end]
        m = WIKILINK.fullmatch(text)
        heading = js.trim(m.group(2)[1:]) if m is not None and m.group(2) else None
        links.append(SiteLink(start, end, q.fp, q.header, heading, q.alias, q.embed, _target_span(raw, start, text)))
    maths = [(to_byte(t.to_source(a)), to_byte(t.to_source(b))) for a, b in tree.maths]
    ids = None if plain else tuple(heading_ids(tree.headings, tree.footnotes))
    return SiteView(links, ids, maths, True)


def _byte_offsets(text: str) -> Callable[[int], int]:
    """A character offset in ``text`` to its byte offset in the UTF-8 encoding."""
    if text.isascii():
        return lambda pos: pos
    # the extra bytes before each non-ASCII character, cumulated
    starts: list[int] = []
    extra: list[int] = []
    total = 0
    for m in _NON_ASCII.finditer(text):
        starts.append(m.start())
        total += len(m.group().encode("utf-8")) - 1
        extra.append(total)

    def to_byte(pos: int) -> int:
        i = bisect_left(starts, pos) - 1  # the non-ASCII characters before pos
        return pos if i < 0 else pos + extra[i]

    return to_byte


_NON_ASCII = re.compile(r"[^\x00-\x7f]")
