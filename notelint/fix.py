"""Apply the fixes that rules attach to their findings, and write notes safely.

Flow, for one note: read its bytes; refuse when the note is unreadable
(NL001) or has no usable front matter (FM001, FM002); lint it (per-note rules,
selection, per-file ignores and suppression comments as in a normal run);
take the fixes ``--fix`` may apply (safe ones; unsafe ones too with
``--unsafe-fixes``); drop fixes that overlap one already taken (the first, by
position, wins; the rest wait for the next pass); apply the edits from the end
of the note to its start; repeat until nothing changes (at most
:data:`MAX_PASSES` passes, as ruff does).

Guarantees (each has a test in ``tests/test_fix.py`` and the property test):

* only the bytes inside the fixed spans change; a UTF-8 byte order mark is
  kept; a pass that would add a kind of line ending the note did not have
  (LF into a CRLF note), make the note undecodable, or cost it its front
  matter is thrown away;
* a note with NL001, FM001 or FM002 is never written;
* the write is atomic: a temporary file in the same folder, flushed and
  synced, given the original's permission bits, then renamed over the note;
  a note that changed on disk after it was read is not written;
* fixing a fixed note changes nothing;
* no guess on a guess: an unsafe fix is not applied to bytes an earlier pass
  of the same run rewrote (a citation TR002 moved to the minutes scale is not
  then moved again by TR003).

Fixing runs per note; the CLI re-checks the whole run afterwards. A vault
rule's fix (TS007's rescaling, unsafe) needs the other notes: given the vault's
files, :func:`fix_files` runs the vault rules once before fixing and applies
their fixes in the first pass only, while their byte offsets still hold.
"""

from __future__ import annotations

import difflib
import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .atomic import Changed, write_atomic
from .errors import WriteError
from .findings import Edit, Finding
from .parse import parse_note
from .rules.registry import RuleContext, superseded
from .rules.suppression import apply_directives
from .run.lint import lint_text, read_note

MAX_PASSES = 10
BOM = b"\xef\xbb\xbf"

_BREAKS = re.compile(rb"\r\n|\r|\n")
FixError = WriteError  # a note could not be written; the message says why (the note is unchanged)


class NoteChanged(FixError):
    """The note changed on disk after it was read: not written (the newer text wins)."""


def blocked(note) -> str | None:
    """Why ``note`` must not be written (NL001, FM001, FM002), or None.

    Read from the document model, not from findings, so that ``--ignore`` or a
    suppression comment cannot switch the protection off.
    """
    if note.unreadable is not None:
        return f"NL001 {note.unreadable}"
    fm = note.front_matter
    if fm is None:
        return "FM001 no front matter"
    if not fm.closed:
        return "FM001 front matter is not closed"
    if fm.error is not None:
        return "FM002 front matter is not valid YAML"
    return None


def line_endings(data: bytes) -> set[bytes]:
    """The kinds of line ending in ``data`` (``b"\\r\\n"``, ``b"\\n"``, ``b"\\r"``)."""
    return set(_BREAKS.findall(data))


def applicable(finding: Finding, unsafe: bool = False) -> bool:
    """Whether ``--fix`` (with ``--unsafe-fixes`` when ``unsafe``) applies this finding's fix."""
    fix = finding.fix
    return fix is not None and bool(fix.edits) and (fix.safe or unsafe)


def _conflict(a: Edit, b: Edit) -> bool:
    if max(a.start, b.start) < min(a.end, b.end):  # they overlap
        return True
    if a.start == b.start:  # same place: which goes first is not known
        return True
    # an insertion touching the other edit: before it or after it?
    empty = a.start == a.end or b.start == b.end
    return empty and a.start <= b.end and b.start <= a.end


def apply_fixes(raw: bytes, findings: list[Finding], unsafe: bool = False) -> tuple[bytes, list[Finding]]:
    """Apply the non-overlapping applicable fixes of ``findings`` to ``raw``.

    Returns the new bytes and the findings whose fix was applied. A fix whose
    edits conflict with a fix taken before it (by position of its first edit)
    is left out, whole: the next pass sees it again if it still applies.
    """
    candidates = [f for f in findings if applicable(f, unsafe)]
    candidates.sort(key=lambda f: (min(e.start for e in f.fix.edits), f.code, f.offset, f.message))
    taken: list[Edit] = []
    applied: list[Finding] = []
    n = len(raw)
    for f in candidates:
        edits = sorted(f.fix.edits, key=lambda e: (e.start, e.end))
        if any(e.start < 0 or e.end > n or e.start > e.end for e in edits):
            continue
        if any(_conflict(a, b) for a, b in zip(edits, edits[1:])):
            continue
        if any(_conflict(e, t) for e in edits for t in taken):
            continue
        if all(raw[e.start : e.end] == e.text for e in edits):
            continue  # changes nothing
        taken.extend(edits)
        applied.append(f)
    if not taken:
        return raw, []
    out = raw
    for e in sorted(taken, key=lambda e: e.start, reverse=True):
        out = out[: e.start] + e.text + out[e.end :]
    return out, applied


@dataclass
class FixOutcome:
    """What fixing one note did (or would do)."""

    display: str
    before: bytes  # the file's bytes as read (BOM included)
    after: bytes  # the bytes after fixing (BOM included); == before when nothing changed
    fixed: Counter = field(default_factory=Counter)  # code -> findings fixed
    passes: int = 0
    refused: str | None = None  # why the note is not written at all
    warning: str | None = None  # e.g. the fixes did not settle within MAX_PASSES

    @property
    def changed(self) -> bool:
        return self.after != self.before

    @property
    def count(self) -> int:
        return sum(self.fixed.values())


def _lint(file, data: bytes, ctx: RuleContext) -> list[Finding]:
    res = lint_text(file, data, ctx)
    return apply_directives(superseded(list(res.findings)), res.directives)


def _stacked(finding: Finding, touched: list[tuple[int, int]]) -> bool:
    """An unsafe fix that would rewrite bytes an earlier pass rewrote (``touched``: sorted spans)."""
    fix = finding.fix
    if fix is None or fix.safe or not touched:
        return False
    for e in fix.edits:
        # the spans are disjoint and sorted (see _moved): of those starting at or before the
        # edit's end, only the last can reach it
        i = bisect_right(touched, (e.end, e.end))
        if i and e.start <= touched[i - 1][1]:
            return True
    return False


def _moved(touched: list[tuple[int, int]], applied: list[Finding]) -> list[tuple[int, int]]:
    """The spans rewritten so far, after ``applied``'s edits: in the new note's coordinates,
    sorted and merged."""
    edits = sorted((e for f in applied for e in f.fix.edits), key=lambda e: (e.start, e.end))  # type: ignore[union-attr]
    ends = [e.end for e in edits]
    deltas = [0]
    for e in edits:
        deltas.append(deltas[-1] + len(e.text) - (e.end - e.start))

    def shift(pos: int) -> int:
        return pos + deltas[bisect_right(ends, pos)]

    spans = [(shift(a), shift(b)) for a, b in touched]
    spans += [(e.start + deltas[i], e.start + deltas[i] + len(e.text)) for i, e in enumerate(edits)]
    spans.sort()
    out: list[tuple[int, int]] = []
    for a, b in spans:
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _damage(before_raw: bytes, after_note) -> str | None:
    """Why a pass's result must be thrown away, or None."""
    reason = blocked(after_note)
    if reason is not None:
        return f"the fixes would cause {reason}"
    if not line_endings(after_note.raw) <= line_endings(before_raw):
        return "the fixes would change the note's line endings"
    return None


def fix_bytes(
    file, data: bytes, settings, ctx=None, *, unsafe: bool = False, max_passes: int = MAX_PASSES,
    vault_findings: list[Finding] = (),
) -> FixOutcome:
    """Fix a note given as its file bytes; nothing is written. ``vault_findings`` are the
    vault rules' findings on these bytes: their fixes join the first pass."""
    ctx = ctx or RuleContext(settings)
    outcome = FixOutcome(file.display, data, data)
    has_bom = data.startswith(BOM)
    prefix = BOM if has_bom else b""
    note = parse_note(file.display, file.rel, data)
    reason = blocked(note)
    if reason is not None:
        outcome.refused = reason
        return outcome
    raw = note.raw
    current = data
    touched: list[tuple[int, int]] = []  # spans rewritten by earlier passes
    extra = [f for f in vault_findings if f.fix is not None]
    for _ in range(max_passes):
        findings = [f for f in _lint(file, current, ctx) + extra if not _stacked(f, touched)]
        extra = []  # their offsets hold for the bytes they were found in only
        new_raw, applied = apply_fixes(raw, findings, unsafe)
        if not applied:
            break
        new_data = prefix + new_raw
        damage = _damage(raw, parse_note(file.display, file.rel, new_data))
        if damage is not None:
            outcome.warning = f"{damage}; not applied (fixes kept from {outcome.passes} earlier passes)"
            break
        outcome.passes += 1
        outcome.fixed.update(f.code for f in applied)
        touched = _moved(touched, applied)
        raw, current = new_raw, new_data
    else:
        if any(applicable(f, unsafe) and not _stacked(f, touched) for f in _lint(file, current, ctx)):
            outcome.warning = f"fixes did not settle after {max_passes} passes; run --fix again"
    outcome.after = current
    return outcome


def write_note(path: Path, expected: bytes, data: bytes, display: str | None = None) -> None:
    """Replace the note at ``path`` with ``data``, atomically, if it still holds ``expected``
    (:func:`notelint.atomic.write_atomic`: a symbolic link stays a link, permission bits and
    owner are kept); :class:`FixError` says why it was not written."""
    name = display or str(path)
    try:
        write_atomic(path, data, expected=expected)
    except Changed:
        raise NoteChanged(f"{name} changed on disk while it was being fixed; not written") from None
    except FileNotFoundError as exc:
        raise FixError(f"cannot read {name}: {exc.strerror or exc}") from None
    except OSError as exc:
        raise FixError(f"cannot write {name}: {exc.strerror or exc}") from None


@dataclass
class FixRun:
    outcomes: list[FixOutcome] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)  # one line each, for standard error
    failed: list[str] = field(default_factory=list)  # display paths of the notes that could not be written

    @property
    def changed(self) -> list[FixOutcome]:
        return [o for o in self.outcomes if o.changed]

    @property
    def count(self) -> int:
        return sum(o.count for o in self.changed)


def fix_files(targets, settings, *, unsafe: bool = False, write: bool = True, vault_files=None) -> FixRun:
    """Fix each of ``targets`` (NoteFile); write the changed ones when ``write``.

    With ``vault_files`` (every note of the vault), the fixes of vault rules
    apply too (the safe ones; the unsafe ones with ``unsafe``).
    """
    ctx = RuleContext(settings)
    run = FixRun()
    by_path = _vault_fixes(targets, vault_files, settings, unsafe) if vault_files is not None else {}
    for file in targets:
        data, problem = read_note(file, settings.max_file_size)
        if data is None:
            continue  # NL001: reported by the check; never written
        outcome = fix_bytes(file, data, settings, ctx, unsafe=unsafe, vault_findings=by_path.get(file.display, ()))
        if outcome.warning:
            run.messages.append(f"{file.display}: {outcome.warning}")
        if outcome.changed and write:
            try:
                write_note(file.path, outcome.before, outcome.after, file.display)
            except FixError as exc:
                run.messages.append(str(exc))
                if not isinstance(exc, NoteChanged):  # a write that failed: exit 2
                    run.failed.append(file.display)
                outcome.after = outcome.before
                outcome.fixed.clear()
        run.outcomes.append(outcome)
    return run


def _vault_fixes(targets, vault_files, settings, unsafe: bool = True) -> dict[str, list[Finding]]:
    """The vault rules' findings that carry a fix, by display path (one check of the vault)."""
    from .rules.registry import RULES, VAULT
    from .run.check import check

    wanted = ("safe", "unsafe") if unsafe else ("safe",)
    if not any(RULES[c].scope is VAULT and RULES[c].fix in wanted for c in settings.selected):
        return {}
    out: dict[str, list[Finding]] = {}
    for f in check(targets, vault_files, settings).findings:
        if f.fix is not None and RULES[f.code].scope is VAULT:
            out.setdefault(f.path, []).append(f)
    return out


def unified_diff(outcome: FixOutcome) -> str:
    """A unified diff (``--- path`` / ``+++ path``) of what fixing changes; control characters
    in the path and the lines are shown as escapes (the line endings are kept)."""
    if not outcome.changed:
        return ""
    from .report.escape import visible

    before = _lines(outcome.before)
    after = _lines(outcome.after)
    name = visible(outcome.display)
    out = []
    for line in difflib.unified_diff(before, after, fromfile=name, tofile=name):
        body = line.rstrip("\r\n")
        line = visible(body) + line[len(body) :]  # control characters shown, line endings kept
        if not line.endswith(("\n", "\r")):
            line += "\n\\ No newline at end of file\n"
        out.append(line)
    return "".join(out)


def _lines(data: bytes) -> list[str]:
    if data.startswith(BOM):
        data = data[3:]
    text = data.decode("utf-8", "replace")
    return [m.group() for m in re.finditer(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$", text)]


__all__ = [
    "MAX_PASSES", "FixError", "FixOutcome", "NoteChanged", "FixRun", "applicable", "apply_fixes", "blocked",
    "fix_bytes", "fix_files", "line_endings", "unified_diff", "write_note",
]
