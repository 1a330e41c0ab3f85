"""Findings: what rules report and what reporters read.

A finding names its rule by code only; reporters never import rules.
Positions are 1-based lines and columns counted in characters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

ERROR = "error"
WARNING = "warning"
INFO = "info"

SEVERITY_RANK = {INFO: 0, WARNING: 1, ERROR: 2}


class Edit(NamedTuple):
    """Replace ``raw[start:end]`` (byte offsets into the note, BOM excluded) with ``text``.

    Named tuples, not dataclasses: a hostile note can carry 100,000 of them.
    """

    start: int
    end: int
    text: bytes


class Fix(NamedTuple):
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
