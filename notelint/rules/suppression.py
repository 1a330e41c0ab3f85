"""SP: suppression comments, and the ones that suppress nothing.

Suppression comments are HTML comments, so they are invisible when the note
is rendered:

* ``<!-- notelint: disable=CL001,WL001 -->`` … ``<!-- notelint: enable=CL001,WL001 -->``
  (``enable`` with no codes ends every open ``disable``; a ``disable`` never
  enabled runs to the end of the note),
* ``<!-- notelint: disable-next-line=WL001 -->``,
* ``<!-- notelint: disable-file=TS -->``.

Codes may be prefixes (``TS``) or ``ALL``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .registry import WARNING, rule

_DIRECTIVE = re.compile(
    r"<!--\s*notelint\s*:\s*(disable-next-line|disable-file|disable|enable)\s*(?:=\s*([\w\s,]*?))?\s*-->", re.I
)


@dataclass(slots=True)
class Directive:
    kind: str  # disable | disable-next-line | disable-file
    codes: tuple[str, ...]  # as written, upper-cased; () means all
    line: int
    col: int
    first: int  # first line covered
    last: int  # last line covered
    used: set[str] = field(default_factory=set)

    def covers(self, code: str, line: int) -> str | None:
        """The selector that suppresses ``code`` at ``line``, or None."""
        if not (self.first <= line <= self.last):
            return None
        if not self.codes:
            return "ALL"
        for sel in self.codes:
            if sel == "ALL" or code.startswith(sel):
                return sel
        return None


def parse_directives(note) -> list[Directive]:
    """The suppression directives of a note, with the lines each one covers."""
    out: list[Directive] = []
    if not note.comments:
        return out
    last_line = len(note.line_starts)
    open_ranges: list[Directive] = []
    for comment in note.comments:
        for m in _DIRECTIVE.finditer(comment.text):
            kind = m.group(1).lower()
            codes = tuple(c.strip().upper() for c in (m.group(2) or "").split(",") if c.strip())
            offset = comment.start + len(comment.text[: m.start()].encode("utf-8"))
            line, col = note.position(offset)
            end_line, _ = note.position(comment.end)
            if kind == "enable":
                for d in list(open_ranges):
                    if not codes or set(d.codes) <= set(codes):
                        d.last = line
                        open_ranges.remove(d)
                continue
            if kind == "disable-file":
                d = Directive(kind, codes, line, col, 1, last_line)
            elif kind == "disable-next-line":
                d = Directive(kind, codes, line, col, end_line + 1, end_line + 1)
            else:
                d = Directive(kind, codes, line, col, line, last_line)
                open_ranges.append(d)
            out.append(d)
    return out


def apply_directives(findings: list, directives: list[Directive]) -> list:
    """Drop suppressed findings; mark each directive's selectors that were used."""
    if not directives:
        return findings
    kept = []
    for f in findings:
        suppressed = False
        for d in directives:
            sel = d.covers(f.code, f.line)
            if sel is not None:
                d.used.add(sel)
                suppressed = True
        if not suppressed:
            kept.append(f)
    return kept


@rule("SP001", "unused-suppression", WARNING, pages=True)
def unused_suppression(note, ctx):
    """Suppression comment that suppresses nothing.

    ## What it does
    Reports a ``<!-- notelint: disable… -->`` comment, or one code in it,
    that suppressed no finding in this run. Codes of rules that are not
    selected in the run are not reported (they might be in use).

    ## Why is this bad?
    A stale suppression hides the next real problem at that place.

    ## Example
    ```
    <!-- notelint: disable-next-line=WL001 -->
    A line whose links all resolve <a class="yt-timestamp" data-t="00:01:00">[00:01:00]</a>.
    ```

    ## Use instead
    Remove the comment.
    """
    # Run by the checker after every other rule (the vault rules included):
    # see :func:`unused_directives`.
    return ()


def unused_directives(directives: list[Directive], selected: frozenset[str]) -> list[tuple[Directive, str]]:
    """(directive, selector) pairs that suppressed nothing and name selected rules."""
    out = []
    for d in directives:
        for sel in d.codes or ("ALL",):
            if sel in d.used:
                continue
            if sel != "ALL" and not any(code.startswith(sel) for code in selected):
                continue
            out.append((d, sel))
    return out
