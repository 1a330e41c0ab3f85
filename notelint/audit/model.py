"""The audit model: what ``notelint audit --json`` writes.

``schemas/audit.schema.json`` is generated from :class:`AuditReport`
(``python -m notelint.schema --write``); a test keeps the two in sync and
validates real output against the schema. A previous audit JSON, read back
with :meth:`AuditReport.model_validate`, is the baseline of the trend.

Times are seconds from the start of the video. Coverage is a fraction
(cited claims / claims, 0 to 1), ``null`` where there are no claims.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..report.model import FindingModel, Severity

Direction = Literal["up", "down"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AuditSummary(_Strict):
    notes: int = Field(ge=0, description="Notes audited.")
    vault_notes: int = Field(ge=0, description="Notes in the vault index (links resolve against these).")
    videos: int = Field(ge=0, description="Distinct videoIds among the notes audited.")
    claims: int = Field(ge=0, description="Blocks that CL001 requires to cite the video.")
    cited_claims: int = Field(ge=0, description="Claims with at least one citation.")
    citations: int = Field(ge=0, description="Citation anchors.")
    coverage: float | None = Field(ge=0, le=1, description="cited_claims / claims; null without claims.")
    findings: int = Field(ge=0)
    by_severity: dict[Severity, int]
    by_rule: dict[str, int]
    links: int = Field(ge=0, description="Wiki-link references, in the notes audited, that reach another note.")
    unresolved_links: int = Field(ge=0, description="Wiki-link references that reach no note (external targets excepted).")
    wanted: int = Field(ge=0, description="Distinct unresolved link targets (wanted notes).")
    orphans: int = Field(ge=0)
    dead_ends: int = Field(ge=0)


class WantedNote(_Strict):
    """An unresolved link target: a note people link to that does not exist."""

    target: str = Field(description="The target as most often written.")
    referrers: list[str] = Field(description="Display paths of the notes that link to it.")
    references: int = Field(ge=1, description="Links to it, counting repeats within a note.")
    channel: bool = Field(description="Named on a referrer's source line: a missing channel note.")
    closest: str | None = Field(description="The closest existing note, when the target may be a typo.")


class NoteSpan(_Strict):
    path: str
    first: int | None = Field(ge=0)
    last: int | None = Field(ge=0)
    times: list[int] = Field(description="Distinct cited times drawn on the strip, ascending.")


class TranscriptAudit(_Strict):
    """The video's notes' citations against its transcript (the TR rules' scoring)."""

    citations: int = Field(ge=0, description="Citations of the audited notes on this video, judged against the transcript.")
    supported: int = Field(ge=0, description="Citations whose claim the transcript says around the cited time.")
    elsewhere: int = Field(ge=0, description="Citations whose claim is said at another time: a wrong-scale time's "
                           "00:HH:MM reading (TR002), or a better time (the scoring of TR003, whether it is enabled or not).")
    past_end: int = Field(ge=0, description="Citations after the end of the video with no reading inside it (TR001).")
    unclear: int = Field(ge=0, description="Citations the transcript neither supports nor places elsewhere.")
    share_supported: float | None = Field(ge=0, le=1, description="supported / citations; null without citations.")
    support_minutes: list[int] = Field(
        description="Citations whose support lies in each minute of the strip (as long as ``minutes``): at the cited "
        "time when supported, at the other time when elsewhere."
    )


class VideoAudit(_Strict):
    video_id: str
    channel: str | None = Field(description="The channel its notes' source lines name most often.")
    notes: list[NoteSpan]
    duration: int | None = Field(
        ge=0, description="The video's length, when known (front matter, videos file, or the end of its transcript "
        "and the TR001 margin)."
    )
    first: int | None = Field(ge=0, description="Earliest time cited by any of its notes.")
    last: int | None = Field(ge=0, description="Latest time cited (outliers excluded).")
    citations: int = Field(ge=0, description="Cited times drawn on the strip.")
    outliers: int = Field(
        ge=0,
        description="Cited times left off the strip: after the end of the video (TS005, TR001), off scale (TS007, TR002), or, "
        "where the length is unknown, an H:MM:00 or H:MM:MM time past 1.25 times the latest time of another form "
        "cited by the video's other notes, or by the note itself when it is alone (minutes:seconds written as "
        "hours:minutes).",
    )
    minutes: list[int] = Field(
        description="Citations in each minute of the video, from minute 0 to its length "
        "(to the latest time cited when the length is unknown)."
    )
    cited_minutes: int = Field(ge=0, description="Minutes with at least one citation.")
    transcript: TranscriptAudit | None = Field(
        default=None, description="Where the transcript supports the citations; null when the video has none."
    )


class NoteAudit(_Strict):
    path: str = Field(description="Display path.")
    rel: str = Field(description="Path relative to the vault root.")
    title: str | None
    video_id: str | None
    claims: int = Field(ge=0)
    cited_claims: int = Field(ge=0)
    coverage: float | None = Field(ge=0, le=1)
    citations: int = Field(ge=0)
    first: int | None = Field(ge=0, description="Earliest time cited.")
    last: int | None = Field(ge=0, description="Latest time cited.")
    findings: int = Field(ge=0)
    by_severity: dict[Severity, int]
    by_rule: dict[str, int]
    links_in: int = Field(ge=0, description="Other notes that link to this one.")
    links_out: int = Field(ge=0, description="Other notes this one links to (the source line's channel link aside).")
    unresolved_links: int = Field(ge=0)
    orphan: bool = Field(description="No other note links to it.")
    dead_end: bool = Field(description="It links to no other note (the source line's channel link aside).")


class MetricChange(_Strict):
    metric: str
    before: float | None
    after: float | None
    delta: float | None
    better: Direction | None = Field(description="Which way is better; null when neither is.")
    verdict: Literal["better", "worse", "same", "changed"]


class NoteChange(_Strict):
    path: str
    findings_before: int = Field(ge=0)
    findings_after: int = Field(ge=0)
    coverage_before: float | None
    coverage_after: float | None


class Trend(_Strict):
    baseline_generated: str = Field(description="When the baseline audit was made.")
    metrics: list[MetricChange]
    rules: list[MetricChange] = Field(description="Findings per rule, for rules that changed.")
    notes_better: list[NoteChange]
    notes_worse: list[NoteChange]
    notes_added: list[str]
    notes_removed: list[str]
    wanted_resolved: list[str] = Field(description="Targets wanted in the baseline and no longer.")
    wanted_new: list[str] = Field(description="Targets wanted now and not in the baseline.")


class RuleInfo(_Strict):
    name: str
    severity: Severity


class AuditReport(BaseModel):
    """A notelint audit: a whole vault's citation coverage, findings and link graph."""

    model_config = ConfigDict(
        extra="forbid",
        title="notelint audit",
        json_schema_extra={"$schema": "https://json-schema.org/draft/2020-12/schema"},
    )
    tool: Literal["notelint"]
    kind: Literal["audit"]
    version: str
    generated: str = Field(description="When the audit was made (ISO 8601, UTC).")
    vault: str = Field(description="The vault root, as given.")
    summary: AuditSummary
    rules: dict[str, RuleInfo] = Field(description="Name and severity of each rule with findings.")
    trend: Trend | None = Field(description="The change since --baseline; null without one.")
    wanted: list[WantedNote] = Field(description="Most linked-to first.")
    orphans: list[str]
    dead_ends: list[str]
    videos: list[VideoAudit]
    notes: list[NoteAudit]
    findings: list[FindingModel]
