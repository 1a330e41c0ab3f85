"""Findings as LSP diagnostics.

A finding has byte offsets (``offset``/``end_offset``) when a rule reported it
on a span of the note, else only a line and a column counted in characters
(SP001, from a suppression directive); both become a range in the client's
position encoding through the note's :class:`~.positions.LineMap`.
"""

from __future__ import annotations

from lsprotocol.types import Diagnostic, DiagnosticSeverity, Range

from ..findings import ERROR, INFO, WARNING, Finding
from .positions import LineMap

SOURCE = "notelint"
_SEVERITY = {ERROR: DiagnosticSeverity.Error, WARNING: DiagnosticSeverity.Warning, INFO: DiagnosticSeverity.Information}


def finding_range(f: Finding, lines: LineMap) -> Range:
    if f.offset >= 0:
        return lines.range(f.offset, f.end_offset)
    start = lines.character_position(f.line, f.col)
    end = lines.character_position(f.end_line, f.end_col) if f.end_line else start
    return Range(start=start, end=end if (end.line, end.character) >= (start.line, start.character) else start)


def diagnostic(f: Finding, lines: LineMap) -> Diagnostic:
    return Diagnostic(
        range=finding_range(f, lines),
        message=f.message,
        severity=_SEVERITY.get(f.severity, DiagnosticSeverity.Warning),
        code=f.code,
        source=SOURCE,
    )


def overlaps(a: Range, b: Range) -> bool:
    """Whether two ranges share a position (touching counts: a cursor at a finding's end)."""
    return (a.start.line, a.start.character) <= (b.end.line, b.end.character) and (
        b.start.line, b.start.character) <= (a.end.line, a.end.character)
