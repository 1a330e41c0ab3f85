"""NL: the file itself."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterator

from ..document import Note
from ..findings import Edit, Finding, Fix
from .registry import ERROR, WARNING, RuleContext, excerpt, finding, rule

# U+200B–U+200F, U+2060, U+2066–U+2069, U+FEFF, as UTF-8 bytes
_INVISIBLE = re.compile(rb"(?:\xe2\x80[\x8b-\x8f]|\xe2\x81[\xa0\xa6-\xa9]|\xef\xbb\xbf)+")
def _may_have_invisible(raw: bytes) -> bool:
    """Cheap pre-test: the regex has no literal prefix, so it would try every byte."""
    if b"\xef\xbb\xbf" in raw or b"\xe2\x81" in raw:
        return True
    i = raw.find(b"\xe2\x80")
    while i != -1:  # U+2000-U+203F: dashes and quotes are common, U+200B-U+200F are not
        if i + 2 < len(raw) and 0x8B <= raw[i + 2] <= 0x8F:
            return True
        i = raw.find(b"\xe2\x80", i + 2)
    return False


_NAMES = {
    "\u200b": "ZERO WIDTH SPACE",
    "\u200c": "ZERO WIDTH NON-JOINER",
    "\u200d": "ZERO WIDTH JOINER",
    "\u200e": "LEFT-TO-RIGHT MARK",
    "\u200f": "RIGHT-TO-LEFT MARK",
    "\u2060": "WORD JOINER",
    "\u2066": "LEFT-TO-RIGHT ISOLATE",
    "\u2067": "RIGHT-TO-LEFT ISOLATE",
    "\u2068": "FIRST STRONG ISOLATE",
    "\u2069": "POP DIRECTIONAL ISOLATE",
    "\ufeff": "ZERO WIDTH NO-BREAK SPACE (BOM)",
}


_JOINERS = frozenset("\u200c\u200d")
_BIDI_CONTROLS = frozenset("\u200e\u200f\u2066\u2067\u2068\u2069")
_RTL = frozenset(("R", "AL"))


def _char_before(raw: bytes, pos: int) -> str:
    start = max(0, pos - 4)
    return raw[start:pos].decode("utf-8", "ignore")[-1:]


def _meaningful(raw: bytes, s: int, e: int, chars: str) -> bool:
    """Whether removing ``chars`` (at ``raw[s:e]``) could change what the text says.

    A zero-width joiner or non-joiner between two non-ASCII characters can be
    part of an emoji sequence or of the spelling of a word (Persian, Indic
    scripts); direction marks and isolates on a line with right-to-left
    letters can be what makes it display in the right order.
    """
    if set(chars) <= _JOINERS:
        before = _char_before(raw, s)
        after = raw[e : e + 4].decode("utf-8", "ignore")[:1]
        return bool(before) and bool(after) and not before.isascii() and not after.isascii()
    if set(chars) & _BIDI_CONTROLS:
        line_start = max(raw.rfind(b"\n", 0, s), raw.rfind(b"\r", 0, s)) + 1
        ends = [i for i in (raw.find(b"\n", e), raw.find(b"\r", e)) if i != -1]
        line = raw[line_start : min(ends) if ends else len(raw)].decode("utf-8", "replace")
        # the marks themselves (U+200F is class R) do not make a line right-to-left
        return any(unicodedata.bidirectional(ch) in _RTL for ch in line if ch not in _NAMES)
    return False


def _describe(chars: str) -> str:
    names = []
    for ch in chars:
        label = f"U+{ord(ch):04X} {_NAMES.get(ch, '')}".strip()
        if label not in names:
            names.append(label)
    return ", ".join(names)


@rule("NL001", "unreadable-file", ERROR, pages=True)
def unreadable_file(note: Note, ctx: RuleContext) -> Iterator[Finding]:
    """File cannot be read or decoded.

    ## What it does
    Reports a file that notelint cannot read as a UTF-8 note: not UTF-8
    (for example Latin-1 or UTF-16), binary (a NUL byte), larger than
    ``max-file-size``, or unreadable (permissions, deleted while linting).
    The message says which.

    ## Why is this bad?
    Every other rule needs the text. A note nobody can read as UTF-8 will
    not render in the wiki either.

    ## Example
    A file saved as UTF-16 by an editor, or a PDF renamed to ``.md``.

    ## Use instead
    Save the note as UTF-8 (a UTF-8 byte order mark is accepted).
    """
    if note.unreadable is not None:
        yield finding(note, "NL001", note.unreadable_offset, note.unreadable_offset, note.unreadable)


@rule("NL002", "invisible-character", WARNING, fix="safe", pages=True)
def invisible_character(note: Note, ctx: RuleContext) -> Iterator[Finding]:
    """Invisible or bidirectional-control characters in the text.

    ## What it does
    Finds zero-width characters (U+200B–U+200D, U+2060, U+FEFF inside the
    text), direction marks (U+200E, U+200F) and bidirectional isolates
    (U+2066–U+2069) in the note's text, link targets and file path. Code
    and HTML comments are not looked at.

    ## Why is this bad?
    They are invisible when the note is read, yet they make a wiki-link miss
    its target, a title differ from its twin, or, as bidirectional controls,
    make text display in another order than it is stored.

    ## Example
    ``[[public\u200bsector]]`` looks like ``[[publicsector]]`` and does not resolve.

    ## Use instead
    Remove them. ``--fix`` does (a safe fix), except where they may carry
    meaning: a zero-width joiner or non-joiner between two non-ASCII
    characters (emoji sequences, Persian and Indic spelling), and direction
    marks or isolates on a line with right-to-left letters. Those are
    reported without a fix.
    """
    # surrogateescape: a file name that is not UTF-8 reaches Python with its bytes escaped
    if note.rel and _INVISIBLE.search(note.rel.encode("utf-8", "surrogateescape")):
        chars = "".join(ch for ch in note.rel if ch in _NAMES)
        yield finding(note, "NL002", 0, 0, f"file path contains {_describe(chars)}")
    raw = note.raw
    if note.unreadable is not None or not _may_have_invisible(raw):
        return
    hidden = note.hidden
    starts = [h[0] for h in hidden]
    for m in _INVISIBLE.finditer(raw):
        s, e = m.span()
        i = bisect_right(starts, s) - 1
        if i >= 0 and hidden[i][0] <= s < hidden[i][1]:
            continue
        chars = m.group().decode("utf-8")
        if _meaningful(raw, s, e, chars):
            fix = None
            hint = " (no automatic fix: it may be part of the text here)"
        else:
            fix = Fix("remove invisible characters", (Edit(s, e, b""),))
            hint = ""
        yield finding(note, "NL002", s, e, f"invisible character {_describe(chars)}{hint}", fix)


@rule("NL003", "placeholder-note", WARNING)
def placeholder_note(note, ctx):
    """Placeholder note: it says its source has nothing on its topic.

    ## What it does
    Reports a video note that opens (in its first two blocks after the
    source line) with a sentence saying that the transcript, the video or
    the note holds no information on the topic (``There is no information
    about … in the provided transcript``, ``The provided transcript does not
    contain …``, ``This article does not contain information about …``,
    ``… cannot be generated``). One finding per note, at that sentence.
    Such a sentence is not reported as CL001.

    ## Why is this bad?
    The note is a page with nothing to say, often a generator's refusal: it
    fills the vault, the search and the links with an empty topic.

    ## Example
    ```
    From: [[fireship]] <br/>
    There is no information about "Animation in Flutter" present in the provided transcript.
    ```

    ## Use instead
    Delete the note (and the links to it), or write it from a source that
    covers the topic.
    """
    from ..parse.roles import refusal

    for block in note.blocks:
        if block.role == "placeholder":
            text = block.text.decode("utf-8", "replace")
            m = refusal(text)
            a, b = (m.start(), m.end()) if m else (0, len(text))
            start = block.start + len(text[:a].encode())
            end = block.start + len(text[:b].encode())
            start += len(note.raw[start:end]) - len(note.raw[start:end].lstrip(b" \t\r\n>*_"))
            said = excerpt(note.slice(start, end), 120)
            yield finding(note, "NL003", start, end, f"placeholder note: it says its source has nothing on its topic: {said!r}")
            return
