"""SP: suppression comments, and the ones that suppress nothing.

Suppression comments are HTML comments, so they are invisible when the note
is rendered:

* ``<!-- notelint: disable=CL001,WL001 -->`` … ``<!-- notelint: enable=CL001,WL001 -->``
  (``enable`` with no codes ends every open ``disable``; a ``disable`` never
  enabled runs to the end of the note),
* ``<!-- notelint: disable-next-line=WL001 -->``,
* ``<!-- notelint: disable-file=TS -->``.

Codes may be prefixes (``TS``), rule names (``uncited-claim``) or ``ALL``. A code that
names no rule is reported (SP002).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from ..document import Note
from ..findings import Finding
from .registry import RULES, SUPPRESSIONS, WARNING, RuleContext, finding_at, rule

_DIRECTIVE = re.compile(
    r"<!--\s*notelint\s*:\s*(disable-next-line|disable-file|disable|enable)\s*(?:=\s*([\w\s,-]*?))?\s*-->", re.I
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


def _code(written: str) -> str:
    """A code as written in a directive, upper-cased; a rule name becomes its code."""
    word = written.strip()
    named = next((r.code for r in RULES.values() if r.name == word.lower()), None)
    return named or word.upper()


def parse_directives(note: Note) -> list[Directive]:
    """The suppression directives of a note, with the lines each one covers."""
    out: list[Directive] = []
    if not note.comments:
        return out
    last_line = len(note.line_starts)
    open_ranges: list[Directive] = []
    for comment in note.comments:
        for m in _DIRECTIVE.finditer(comment.text):
            kind = m.group(1).lower()
            codes = tuple(_code(c) for c in (m.group(2) or "").split(",") if c.strip())
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


def apply_directives(findings: list[Finding], directives: Sequence[Directive]) -> list[Finding]:
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


@rule("SP001", "unused-suppression", WARNING, scope=SUPPRESSIONS)
def unused_suppression(directives: Sequence[Directive], ctx: RuleContext, path: str) -> Iterator[Finding]:
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
    # The suppression stage runs it after every other rule (the vault rules included) has
    # reported and :func:`apply_directives` has recorded what each directive suppressed.
    for d, sel in unused_directives(directives, ctx.settings.selected):
        label = "suppression" if sel == "ALL" else f"suppression of {sel}"
        yield finding_at(path, "SP001", d.line, d.col, f"unused {label}: it suppresses nothing")


@rule("SP002", "unknown-suppression-code", WARNING, scope=SUPPRESSIONS)
def unknown_suppression_code(directives: Sequence[Directive], ctx: RuleContext, path: str) -> Iterator[Finding]:
    """Suppression comment naming a rule code that does not exist.

    ## What it does
    Reports a code in a ``<!-- notelint: disable… -->`` comment that is not a
    rule code, a prefix of one, a rule name or ``ALL``: ``disable=ZZ123``, or
    ``disable=CL01`` for ``CL001``. The message suggests the closest code.

    ## Why is this bad?
    The comment suppresses nothing, silently: the finding it was written for is
    still reported, or, worse, the writer believes a rule is off that is on.

    ## Example
    ```
    <!-- notelint: disable-next-line=CL01 -->
    A claim the writer meant to exempt.
    ```

    ## Use instead
    ```
    <!-- notelint: disable-next-line=CL001 -->
    A claim the writer meant to exempt.
    ```
    """
    import difflib

    for d in directives:
        for sel in d.codes:
            if sel == "ALL" or any(code.startswith(sel) for code in RULES):
                continue
            close = difflib.get_close_matches(sel, list(RULES), n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]}?)" if close else ""
            yield finding_at(path, "SP002", d.line, d.col, f"unknown rule code '{sel}' in suppression comment{hint}")


def unused_directives(directives: Sequence[Directive], selected: frozenset[str]) -> list[tuple[Directive, str]]:
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
