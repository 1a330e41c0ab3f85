"""Heading ids as Quartz 4.5 renders them: rehype-slug (github-slugger) over the heading's text.

rehype-slug runs after OFM's and before KaTeX's HTML plugins, so the text it
slugs is the heading's visible text at that point: a wiki-link shows its alias
(or its target), an arrow (``->``, ``=>``, ``<-``…) is the arrow character OFM
puts there, inline HTML tags are gone but the text between them stays, inline
code and ``$…$`` math are their source text, and remark-smartypants (after OFM)
has made each ``--`` an em dash. An ``<h1>``…``<h6>`` of an HTML block is a heading
too (rehype-raw runs first): its text content, or its own ``id`` when it has one
(kept, not counted). Repeats get ``-1``, ``-2``… A page whose footnotes remark
renders ends with a heading ``footnote-label``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Protocol

from . import js
from .slugger import Slugger
from .syntax import WIKILINK, rewrite_wikilink

_ARROW = re.compile(r"(-{1,2}>|={1,2}>|<-{1,2}|<={1,2})")
_ARROWS = {"->": "\u2192", "-->": "\u21d2", "=>": "\u21d2", "==>": "\u21d2", "<-": "\u2190", "<--": "\u21d0", "<=": "\u21d0", "<==": "\u21d0"}
_HIGHLIGHT = re.compile(r"==([^=]+)==")


_DOUBLE_DASH = re.compile(r"(?<!-)--(?!-)")


class Piece(Protocol):
    kind: str  # text, code, math or html (tags, or an HTML heading's text content)
    value: str


class HeadingLike(Protocol):
    pieces: list  # of Piece
    html: bool
    html_id: str | None


def _display(m: re.Match[str]) -> str:
    fp, _header, alias = m.groups()
    if m.group(0).startswith("!"):
        return ""  # a transclusion: no text of the heading's own
    return js.trim(alias[1:]) if alias is not None else js.trim(fp or "")


def heading_text(pieces: Iterable[Piece]) -> str:
    """The text rehype-slug sees for one heading."""
    out = []
    for p in pieces:
        if p.kind == "text":
            text = WIKILINK.sub(_display, p.value)
            text = _HIGHLIGHT.sub(r"\1", text)
            text = _ARROW.sub(lambda m: _ARROWS[m.group(0)], text)
            out.append(_DOUBLE_DASH.sub("\u2014", text))
        elif p.kind in ("code", "math"):
            out.append(p.value)
    return "".join(out)


def heading_ids(headings: Iterable[HeadingLike], footnotes: bool = False) -> list[str]:
    """The ids of one page's headings, in order (``footnotes``: remark renders a footnote section)."""
    slugger = Slugger()
    ids = []
    for h in headings:
        if h.html:
            ids.append(h.html_id if h.html_id else slugger.slug("".join(p.value for p in h.pieces)))
        else:
            ids.append(slugger.slug(heading_text(h.pieces)))
    if footnotes:
        ids.append("footnote-label")
    return ids


class _Text:
    kind = "text"
    __slots__ = ("value",)

    def __init__(self, value: str) -> None:
        self.value = value


# what a plain heading may hold besides text and wiki-links: a citation anchor (its label stays),
# a line break tag (gone), a Markdown link with a plain text and address (its text stays)
PLAIN_EXTRAS = re.compile(
    r'<a class="yt-timestamp" data-t="[^"<>]*">(\[[^\[\]<>]*\])</a>|<br ?/?>|\[([^\[\]()<>`*_~\\&$=]*)\]\([^()\s<>]*\)'
)


def _shown(m: re.Match[str]) -> str:
    return m.group(1) or m.group(2) or ""


def plain_heading_ids(texts: Iterable[str]) -> tuple[str, ...]:
    """The ids of a page's headings when each is one plain text node (no code, math, other HTML,
    emphasis, escapes: the caller has checked), given their text as written, wiki-links included."""
    slugger = Slugger()
    return tuple(
        slugger.slug(heading_text([_Text(WIKILINK.sub(rewrite_wikilink, PLAIN_EXTRAS.sub(_shown, t)))])) for t in texts
    )
