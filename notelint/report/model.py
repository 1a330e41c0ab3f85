"""The report model: what ``--output-format json`` prints.

``schemas/report.schema.json`` is generated from :class:`Report`; a test keeps
the two in sync and validates real output against the schema.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Severity = Literal["error", "warning", "info"]


class Location(BaseModel):
    model_config = ConfigDict(extra="forbid")
    row: int = Field(ge=1, description="1-based line.")
    column: int = Field(ge=1, description="1-based column, in characters.")


class EditModel(BaseModel):
    """Replace the text from ``location`` up to ``end_location`` with ``content`` (ruff's ``fix.edits``)."""

    model_config = ConfigDict(extra="forbid")
    content: str
    location: Location
    end_location: Location


class FixModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    description: str
    safe: bool
    applicability: Literal["safe", "unsafe"] = Field(description="ruff's word: safe fixes are applied by --fix.")
    edits: list[EditModel] = Field(description="The edits, in order; apply them from the last to the first.")


class FindingModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str = Field(pattern=r"^[A-Z]{2}\d{3}$")
    severity: Severity
    path: str
    line: int = Field(ge=1)
    column: int = Field(ge=1)
    end_line: int = Field(ge=1)
    end_column: int = Field(ge=1)
    message: str
    fix: FixModel | None


class Summary(BaseModel):
    model_config = ConfigDict(extra="forbid")
    files: int = Field(ge=0, description="Notes checked.")
    vault_notes: int = Field(ge=0, description="Notes in the vault index.")
    findings: int = Field(ge=0)
    fixable: int = Field(ge=0)
    by_severity: dict[Severity, int]
    by_rule: dict[str, int]


class Report(BaseModel):
    """A notelint check report."""

    model_config = ConfigDict(
        extra="forbid",
        title="notelint report",
        json_schema_extra={"$schema": "https://json-schema.org/draft/2020-12/schema"},
    )
    tool: Literal["notelint"]
    version: str
    summary: Summary
    findings: list[FindingModel]
