"""``notelint check --add-noqa``: a suppression comment for every finding of the run, so that a
team adopts notelint on an existing vault and sees only new findings from then on (ruff's
``--add-noqa``).

Where each comment goes, so that the note renders as before:

* findings of the note as a whole (front matter FM*, source line SL*, a second front matter):
  one ``<!-- notelint: disable-file=… -->`` at the end of the note;
* a finding on a line that starts a block (after a blank line, a list item, a heading): a
  ``<!-- notelint: disable-next-line=… -->`` line before it, indented so that a list stays one
  list (an HTML comment may interrupt a paragraph, and at the list item's own indentation it
  would end the list); an existing ``disable-next-line`` comment there gets the new codes;
* a finding inside a run of lines that a comment line would split (a paragraph's second line,
  a table row, a block quote): ``disable=…`` before the run and ``enable=…`` after it.

Notes that cannot be read (NL001) are left alone. Writes are atomic; line endings are kept.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from ..atomic import write_atomic
from ..config.limits import MAX_MAX_FILE_SIZE
from ..readfile import read_regular

_MARKER = re.compile(r"^(\s*)([*+-]|\d{1,9}[.)])(\s+|$)")
_NEXT_LINE = re.compile(r"^(\s*)<!--\s*notelint\s*:\s*disable-next-line\s*=\s*([\w\s,-]*?)\s*-->\s*$", re.I)
_BREAK = re.compile(r"\r\n|\r|\n")
FILE_LEVEL = ("FM", "SL", "NL")


@dataclass
class NotePlan:
    """The comments one note gets: codes by line, and codes for the whole note."""

    lines: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    whole: set[str] = field(default_factory=set)


def add_noqa(result, quiet: bool = False) -> int:
    plans: dict[str, NotePlan] = defaultdict(NotePlan)
    for f in result.findings:
        res = result.results.get(f.path)
        if res is None or f.code == "NL001" or res.file.problem is not None:
            continue
        plan = plans[res.file.fspath]
        if f.code.startswith(FILE_LEVEL) or f.line <= 0:
            plan.whole.add(f.code)
        else:
            plan.lines[f.line].add(f.code)
    added = notes = 0
    for path, plan in sorted(plans.items()):
        try:
            raw = read_regular(path, MAX_MAX_FILE_SIZE)  # it was read as a note; never a FIFO swapped in since
        except OSError:
            continue
        bom = raw.startswith(b"\xef\xbb\xbf")
        text = raw[3 if bom else 0 :].decode("utf-8", "surrogateescape")
        new_text, n = annotate(text, plan)
        if n:
            write_atomic(path, (b"\xef\xbb\xbf" if bom else b"") + new_text.encode("utf-8", "surrogateescape"))
            added, notes = added + n, notes + 1
    if not quiet:
        print(f"Added {added} suppression comment{'s' if added != 1 else ''} to {notes} note{'s' if notes != 1 else ''}.")
    return 0


def annotate(text: str, plan: NotePlan) -> tuple[str, int]:
    """``text`` with the plan's comments in; how many comments were added or extended."""
    newline = m.group(0) if (m := _BREAK.search(text)) else "\n"
    lines = _BREAK.split(text)
    fm_end = _front_matter_end(lines)
    inserts: dict[int, list[str]] = defaultdict(list)  # before 0-based line i
    count = 0
    whole = set(plan.whole)
    ranges: dict[tuple[int, int], set[str]] = defaultdict(set)
    for line_no in sorted(plan.lines):
        i = line_no - 1
        codes = plan.lines[line_no]
        if i <= fm_end or i >= len(lines):
            whole |= codes
        elif _starts_block(lines, i):
            prev = _NEXT_LINE.match(lines[i - 1]) if i > 0 else None
            if prev:  # extend the comment already there
                old = {c.strip().upper() for c in prev.group(2).split(",") if c.strip()}
                lines[i - 1] = _comment(prev.group(1), "disable-next-line", old | codes)
            else:
                inserts[i].append(_comment(_indent(lines, i), "disable-next-line", codes))
            count += 1
        else:
            ranges[_run(lines, i)] |= codes
    for (start, end), codes in ranges.items():
        indent = _indent(lines, start)
        inserts[start].insert(0, _comment(indent, "disable", codes))  # a disable-next-line stays next to its line
        inserts[end + 1].insert(0, _comment(indent, "enable", codes))
        count += 1
    out: list[str] = []
    for i, line in enumerate(lines):
        out.extend(inserts.get(i, ()))
        out.append(line)
    out.extend(inserts.get(len(lines), ()))  # an enable after the last line of a note with no final newline
    result = newline.join(out)
    if whole:
        result = result.rstrip("\r\n") + newline * 2 + _comment("", "disable-file", whole) + newline
        count += 1
    return result, count


def _comment(indent: str, kind: str, codes: set[str]) -> str:
    return f"{indent}<!-- notelint: {kind}={','.join(sorted(codes))} -->"


def _front_matter_end(lines: list[str]) -> int:
    """The 0-based line of the front matter's closing ``---`` (-1 without front matter)."""
    if not lines or lines[0].strip() != "---":
        return -1
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            return i
    return len(lines)  # not closed: the whole note is front matter


def _blank(line: str) -> bool:
    return not line.strip()


def _starts_block(lines: list[str], i: int) -> bool:
    if i == 0 or _blank(lines[i - 1]) or _NEXT_LINE.match(lines[i - 1]):
        return True
    line = lines[i]
    return bool(_MARKER.match(line)) or line.lstrip().startswith("#")


def _run(lines: list[str], i: int) -> tuple[int, int]:
    """The first and last line of the run of non-blank lines around line ``i``."""
    start = end = i
    while start > 0 and not _blank(lines[start - 1]):
        start -= 1
    while end + 1 < len(lines) and not _blank(lines[end + 1]):
        end += 1
    return start, end


def _indent(lines: list[str], i: int) -> str:
    """The indentation that keeps a comment before line ``i`` inside the list it is in: the content
    column of the list item before it at the same level (its own indentation otherwise)."""
    line = lines[i]
    m = _MARKER.match(line)
    own = line[: len(line) - len(line.lstrip())]
    if not m:
        return own
    for j in range(i - 1, -1, -1):
        prev = _MARKER.match(lines[j])
        if prev and len(prev.group(1)) == len(m.group(1)):
            return " " * len(prev.group(0).expandtabs(4)) if prev.group(3) else own + "  "
        if _blank(lines[j]) and (j == 0 or _blank(lines[j - 1])):
            break  # two blank lines: no list goes on across them
        if not _blank(lines[j]) and len(lines[j]) - len(lines[j].lstrip()) < len(m.group(1)):
            break  # a line less indented than the item: a parent item or another block
    return own
