"""What text Quartz 4.5 takes for a wiki-link: its text transforms, then its regular expression.

Quartz reads a note in two steps (``quartz/processors/parse.ts``,
``quartz/plugins/transformers/ofm.ts``):

1. On the whole text, trimmed (JavaScript's ``trim``: a BOM goes too), the
   Obsidian-flavoured-Markdown ``textTransform``: ``%%…%%`` comments removed
   (anywhere, code included); a line ``> [!type] title`` gets ``\\n> `` appended;
   inside a table (``tableRegex``) every ``[[…]]`` has its first ``#`` and its
   unescaped ``|`` escaped, so ``[[a|b]]`` in a row keeps its cell; every other
   wiki-link rewritten: the heading slugged (``[[a#My Head]]`` becomes
   ``[[a#my-head|My Head]]``), ``[[https://…|x]]`` becomes ``[x](https://…)``.
2. remark parses the result; ``wikilinkRegex`` runs on each mdast text node.
   The caller computes the text nodes of :attr:`Transformed.text`
   (:func:`notelint.parse.text_nodes.text_tree`) and hands them to :func:`wikilinks`.

So text is *not* a link when (each one checked by the edge vault or by a test):
``[`` or ``]`` inside the brackets (``[[a|x [y] z]]``); a second ``#``-group
(``[[a#h#sub]]``); ``#`` or ``[``/``]`` in the alias; a ``\\`` in the target or
heading (``[[folder\\b]]``); ``##h`` after the target (rewritten to ``[[a#|#h]]``,
which the expression refuses); inside code spans and blocks, ``$…$``/``$$…$$``
math, HTML blocks and inline HTML tags, ``<!-- -->`` and ``%%`` comments, the
front matter, an image's description; split by another inline node (emphasis,
a hard break); a target starting ``http://``/``https://`` (a Markdown link, then).
Escapes do not stop it: ``\\[[a]]`` and ``\\[\\[a\\]\\]`` are links.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Callable, Protocol

from . import js
from .paths import split_anchor


class TextNode(Protocol):
    """An mdast text node as :func:`notelint.parse.text_nodes.text_tree` gives it."""

    value: str
    source_start: int
    source_end: int
    parent: str

WIKILINK = re.compile(r"!?\[\[([^\[\]\|\#\\]+)?(#+[^\[\]\|\#\\]+)?(\\?\|[^\[\]\#]*)?\]\]")
_COMMENT = re.compile(r"%%[\s\S]*?%%")
_CALLOUT_LINE = re.compile(f"{js.BOL}> *\\[!{js.WORD}+\\|?{js.DOT}*?\\][+-]?{js.DOT}*{js.EOL}")
_TABLE = re.compile(f"{js.BOL}\\|([^\\n])+\\|\\n(\\|)( ?:?-{{3,}}:? ?\\|)+\\n(\\|([^\\n])+\\|\\n?)+")
_TABLE_SEPARATOR = re.compile(r"\n\| ?:?---")  # a table's second line starts so
_TABLE_WIKILINK = re.compile(r"(!?\[\[[^\]]*?\]\]|\[\^[^\]]*?\])")
_UNESCAPED_PIPE = re.compile(r"((^|[^\\])(\\\\)*)\|")
_EXTERNAL = re.compile(r"https?://", re.I)
_LEADING_HASHES = re.compile(r"^#+")
_NEWLINE = re.compile("\n")


@dataclass(frozen=True, slots=True)
class _Edit:
    new_start: int
    new_end: int
    old_start: int
    old_end: int


class _Step:
    """One substitution over the text: maps its output offsets back to its input offsets."""

    def __init__(self) -> None:
        self.edits: list[_Edit] = []

    def sub(
        self,
        pattern: re.Pattern[str],
        repl: Callable[[re.Match[str]], str],
        text: str,
        within: re.Pattern[str] | None = None,
    ) -> str:
        """``text`` with each match of ``pattern`` replaced (only inside matches of ``within``, if given)."""
        if within is None:
            matches = list(pattern.finditer(text))
        else:
            matches = [m for w in within.finditer(text) for m in pattern.finditer(text, w.start(), w.end())]
        out: list[str] = []
        pos = delta = 0
        for m in matches:
            new = repl(m)
            old = m.group(0)
            out.append(text[pos : m.start()])
            pos = m.end()
            out.append(new)
            if new == old:
                continue
            # record only the part that changed
            p = 0
            while p < min(len(old), len(new)) and old[p] == new[p]:
                p += 1
            q = 0
            while q < min(len(old), len(new)) - p and old[-1 - q] == new[-1 - q]:
                q += 1
            s = m.start() + p
            self.edits.append(_Edit(s + delta, s + delta + len(new) - p - q, s, m.end() - q))
            delta += len(new) - len(old)
        out.append(text[pos:])
        return "".join(out)

    def back(self, pos: int) -> int:
        i = bisect_right(self.edits, pos, key=lambda e: e.new_start) - 1
        if i < 0:
            return pos
        e = self.edits[i]
        if pos < e.new_end:
            return e.old_start + min(pos - e.new_start, e.old_end - e.old_start)
        return pos - e.new_end + e.old_end


@dataclass(slots=True)
class Transformed:
    """A note's text after Quartz's text transforms, with the way back to the source."""

    source: str
    text: str
    lead: int  # characters trimmed at the start
    steps: list[_Step]
    _lines: list[int] | None = None

    def source_line(self, pos: int) -> int:
        """The 1-based line of a source offset."""
        if self._lines is None:
            self._lines = [m.end() for m in _NEWLINE.finditer(self.source)]
        return bisect_right(self._lines, pos) + 1

    def to_source(self, pos: int) -> int:
        for step in reversed(self.steps):
            pos = step.back(pos)
        return pos + self.lead

    def quartz_line(self, pos: int) -> int:
        """The line Quartz's own positions give (in the transformed text, after the trimmed lines)."""
        return self.text.count("\n", 0, pos) + 1 + self.source.count("\n", 0, self.lead)


def _rewrite(m: re.Match[str]) -> str:
    raw_fp, raw_header, raw_alias = m.groups()
    fp, anchor = split_anchor((raw_fp or "") + (raw_header or ""))
    block = "^" if raw_header is not None and raw_header.startswith("#^") else ""
    display_anchor = f"#{block}{_LEADING_HASHES.sub('', js.trim(anchor))}" if anchor else ""
    if raw_alias is not None:
        display_alias = raw_alias
    else:
        display_alias = raw_header.replace("#", "|", 1) if raw_header is not None else ""
    embed = "!" if m.group(0).startswith("!") else ""
    if raw_fp is not None and _EXTERNAL.match(raw_fp):
        alias = display_alias[1:] if display_alias.startswith("|") else display_alias
        return f"{embed}[{alias}]({raw_fp})"
    return f"{embed}[[{fp}{display_anchor}{display_alias}]]"


#: Quartz's rewrite of one wiki-link match (the last of its text transforms), for readers of single links
rewrite_wikilink = _rewrite


def _escape_in_table(m: re.Match[str]) -> str:
    escaped = m.group(1).replace("#", "\\#", 1)
    return _UNESCAPED_PIPE.sub(lambda p: p.group(1) + "\\|", escaped)


def text_transform(source: str) -> Transformed:
    """Quartz's trim and OFM ``textTransform`` (comments, callouts, wiki-links), positions kept."""
    text = js.trim(source)
    lead = len(source) - len(js.trim_start(source))
    steps = [_Step() for _ in range(4)]
    # each step only where its expression can match at all (the table one is slow to fail)
    if "%%" in text:
        text = steps[0].sub(_COMMENT, lambda m: "", text)
    if "[!" in text:
        text = steps[1].sub(_CALLOUT_LINE, lambda m: m.group(0) + "\n> ", text)
    if "[" in text and _TABLE_SEPARATOR.search(text):
        text = steps[2].sub(_TABLE_WIKILINK, _escape_in_table, text, within=_TABLE)
    if "[[" in text:
        text = steps[3].sub(WIKILINK, _rewrite, text)
    return Transformed(source, text, lead, steps)


@dataclass(frozen=True, slots=True)
class QuartzLink:
    """A wiki-link as Quartz's Markdown stage sees it (``raw``, ``fp``, ``header`` as it records them)."""

    raw: str  # the matched text in the text node (after the transforms)
    fp: str  # target, trimmed
    header: str  # ``#heading`` (slugged by the transform), trimmed; "" when none
    alias: str | None  # display text after ``|``, trimmed; None when no ``|``
    embed: bool
    start: int  # offsets in the source (the note's text as given), end exclusive
    end: int
    line: int  # 1-based line of ``start`` in the source
    quartz_line: int  # the line Quartz reports (see :meth:`Transformed.quartz_line`)
    parent: str  # the text node's container (paragraph, tableCell, heading, link, ...)


def wikilinks(t: Transformed, nodes: list[TextNode], lines: bool = True) -> list[QuartzLink]:
    """Every wiki-link Quartz sees in the text nodes of ``t.text``, in document order
    (``lines=False``: without their line numbers, 0, for readers that need offsets only)."""
    out: list[QuartzLink] = []
    for node in nodes:
        if "[[" not in node.value:
            continue
        for m in WIKILINK.finditer(node.value):
            raw_fp, raw_header, raw_alias = m.groups()
            t_start = node.source_start(m.start())
            start = t.to_source(t_start)
            end = t.to_source(node.source_end(m.end()))
            out.append(
                QuartzLink(
                    raw=m.group(0),
                    fp=js.trim(raw_fp or ""),
                    header=js.trim(raw_header or ""),
                    alias=None if raw_alias is None else js.trim(raw_alias[1:]),
                    embed=m.group(0).startswith("!"),
                    start=start,
                    end=max(end, start),
                    line=t.source_line(start) if lines else 0,
                    quartz_line=t.quartz_line(t_start) if lines else 0,
                    parent=node.parent,
                )
            )
    return out
