"""Findings: what rules report and what reporters read.

A finding names its rule by code only; reporters never import rules.
Positions are 1-based lines and columns counted in characters.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ERROR = "error"
WARNING = "warning"
INFO = "info"

SEVERITY_RANK = {INFO: 0, WARNING: 1, ERROR: 2}


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``raw[start:end]`` (byte offsets into the note, BOM excluded) with ``text``."""

    start: int
    end: int
    text: bytes


@dataclass(frozen=True, slots=True)
class Fix:
    description: str
    edits: tuple[Edit, ...]
    safe: bool = True


@dataclass(slots=True)
class Finding:
    code: str
    severity: str
    path: str
    line: int
    col: int
    message: str
    end_line: int = 0
    end_col: int = 0
    fix: Fix | None = None
    # Byte offsets of the finding in the note. Vault rules report offsets only
    # (line 0); the checker turns them into lines and columns afterwards.
    offset: int = field(default=-1, compare=False)
    end_offset: int = field(default=-1, compare=False)

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.col, self.code, self.message)
