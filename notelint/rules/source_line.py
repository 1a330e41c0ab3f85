"""SL: the source line, ``From: [[channel]] <br/>``."""

from __future__ import annotations

from collections.abc import Iterator

from ..document import Note
from ..findings import Edit, Finding, Fix
from .registry import WARNING, RuleContext, excerpt, finding, rule


def _body_parsed(note) -> bool:
    return note.unreadable is None and note.front_matter is not None and note.front_matter.closed


@rule("SL001", "source-line", WARNING, fix="safe")
def source_line(note: Note, ctx: RuleContext) -> Iterator[Finding]:
    """Source line missing or malformed.

    ## What it does
    The first line of the body must name the channel the video comes from:
    ``From: [[channel]] <br/>``. The alias form ``From: [[channel | Name]]``
    is accepted. A missing ``<br/>`` is reported only when text follows on
    the very next line, because only then does it render on the same line
    as the source.

    ## Why is this bad?
    The source line is how a reader (and the vault index) gets from a note
    to its channel.

    ## Example
    ```
    Source: span_and_load
    ```

    ## Use instead
    ```
    From: [[span_and_load]] <br/>
    ```
    ``--fix`` adds the missing `` <br/>`` (replacing white space at the end
    of the line); the other forms have no automatic fix.
    """
    if not _body_parsed(note):
        return
    src = note.source_line
    if src is None:
        at = note.body_start
        yield finding(note, "SL001", at, at, "source line 'From: [[channel]] <br/>' is missing")
        return
    if src.heading:
        atx = next((h for h in note.headings if h.start <= src.start < h.end and note.raw[h.start : h.start + 1] == b"#"), None)
        if atx is not None:
            yield finding(note, "SL001", atx.start, src.end, "source line is written as a heading: remove the '#' marks")
        else:
            yield finding(note, "SL001", src.start, src.end, "source line renders as a heading: the '---' line under it makes it one")
    elif src.channel is None:
        yield finding(note, "SL001", src.start, src.end, f"malformed source line {excerpt(src.text)!r}: expected 'From: [[channel]] <br/>'")
    elif not src.channel:
        yield finding(note, "SL001", src.start, src.end, "source line names no channel: expected 'From: [[channel]] <br/>'")
    elif not src.has_br and src.next_line_text:
        yield finding(
            note,
            "SL001",
            src.start,
            src.end,
            "source line lacks '<br/>' and the next line continues the paragraph: it renders on the same line",
            _br_fix(note, src),
        )


def _br_fix(note, src):
    raw = note.raw
    eol = src.end
    while eol < len(raw) and raw[eol] in (0x20, 0x09):
        eol += 1
    if raw[eol : eol + 1] not in (b"\n", b"\r"):
        return None  # the line does not end where the parser says: leave it
    return Fix("add '<br/>' at the end of the source line", (Edit(src.end, eol, b" <br/>"),))


@rule("SL002", "text-before-source-line", WARNING, fix="unsafe")
def text_before_source_line(note: Note, ctx: RuleContext) -> Iterator[Finding]:
    """Text between the front matter and the source line.

    ## What it does
    Reports anything written between the closing ``---`` and the
    ``From:`` line, such as a generator's preamble
    (``Here is the article with backlinks added:``) or a stray heading.

    ## Why is this bad?
    Such text is an artefact of how the note was made, not part of it; it
    shows at the top of the page.

    ## Example
    ```
    ---
    title: Bridge loads
    videoId: bR1dg3-Sp4n
    ---
    Here is the article with backlinks added:

    From: [[span_and_load]] <br/>
    ```

    ## Use instead
    Delete the preamble. ``--unsafe-fixes`` deletes it (everything from its
    first line to the source line); unsafe, because it deletes text.
    """
    if not _body_parsed(note) or note.preamble is None:
        return
    s, e = note.preamble
    fix = None
    src = note.source_line
    at_line_start = src is not None and (src.start == 0 or note.raw[src.start - 1 : src.start] in (b"\n", b"\r"))
    if at_line_start and src.start >= e and not any(s <= a < src.start for a, _ in note.hidden):
        fix = Fix("delete the text before the source line", (Edit(s, src.start, b""),), safe=False)
    yield finding(note, "SL002", s, e, f"text before the source line: {excerpt(note.slice(s, e))!r}", fix)


@rule("SL003", "preamble-after-source-line", WARNING, fix="unsafe")
def preamble_after_source_line(note, ctx):
    """A generator's preamble right after the source line.

    ## What it does
    Reports the line right after the source line when it is a generator's
    message about the note rather than part of it: a line that starts with
    ``Here is``, ``Here's``, ``Below is``, ``Sure,`` or ``Certainly,``, names
    the article, note, text or backlinks, and ends with ``:``
    (``Here is the article with the backlinks embedded:``). SL002 reports
    such text when it stands before the source line.

    ## Why is this bad?
    It is an artefact of how the note was made, addressed to whoever asked
    for it; every reader of the page sees it under the source line.

    ## Example
    ```
    From: [[span_and_load]] <br/>
    Here is the article with the backlinks embedded:

    Suspension bridges carry the deck on hangers <a class="yt-timestamp" data-t="00:04:10">[00:04:10]</a>.
    ```

    ## Use instead
    The note without the preamble line. ``--unsafe-fixes`` deletes the line
    (unsafe, because it deletes text).
    """
    if not _body_parsed(note):
        return
    for block in note.blocks:
        if block.role == "preamble":
            raw = note.raw
            end = block.end
            while end < len(raw) and raw[end] in (0x20, 0x09):
                end += 1
            if raw[end : end + 2] == b"\r\n":
                end += 2
            elif raw[end : end + 1] in (b"\n", b"\r"):
                end += 1
            line_start = block.start == 0 or raw[block.start - 1 : block.start] in (b"\n", b"\r")
            fix = Fix("delete the preamble line", (Edit(block.start, end, b""),), safe=False) if line_start else None
            text = excerpt(note.slice(block.start, block.end))
            yield finding(note, "SL003", block.start, block.end, f"generator preamble after the source line: {text!r}", fix)
            return
