"""The configuration model: what ``[tool.notelint]`` may hold.

Validated by :func:`notelint.config.parse_config`; an unknown or mistyped key
is an error naming it (exit 2).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..transcripts.rules import Thresholds
from ..document import DEFAULT_PAGE_KINDS
from .limits import DEFAULT_MAX_FILE_SIZE, MAX_MAX_FILE_SIZE

PageKindName = Literal["video-note", "channel-page", "site-page"]

_TH = Thresholds()


class TranscriptThresholds(BaseModel):
    """``transcript-thresholds``: the decision thresholds of the transcript rules (TR).

    The defaults were measured on the labelled set (``tests/transcripts``).
    """

    model_config = ConfigDict(extra="forbid", populate_by_name=True, strict=True)

    end_margin: float = Field(default=_TH.end_margin, alias="end-margin", ge=0,
                              description="Seconds after the last cue's end still inside the video (TR001).")
    low: float = Field(default=_TH.low, ge=0, le=1,
                       description="Support at the cited time below which a citation may be unsupported (TR003).")
    ratio: float = Field(default=_TH.ratio, ge=1,
                         description="How many times the cited support the better window must score (TR003).")
    min_better: float = Field(default=_TH.min_better, alias="min-better", ge=0, le=1,
                              description="The least support of the better window (TR003).")
    min_gain: float = Field(default=_TH.min_gain, alias="min-gain", ge=0, le=1,
                            description="How much more of the claim's weighted words the better window says (TR003).")
    min_terms: int = Field(default=_TH.min_terms, alias="min-terms", ge=1,
                           description="Claims with fewer distinct words the transcript knows are not judged (TR003).")
    min_distance: float = Field(default=_TH.min_distance, alias="min-distance", ge=0,
                                description="Seconds between the cited time and the better one (TR003).")
    scale_note_share: float = Field(default=_TH.scale_note_share, alias="scale-note-share", ge=0, le=1,
                                    description="The share of a note's citations past the end on the hours scale "
                                    "from which an in-range HH:MM:00 is read as 00:HH:MM (TR002).")
    scale_safe: float = Field(default=_TH.scale_safe, alias="scale-safe", ge=0, le=1,
                              description="Support at the 00:HH:MM reading that makes its fix safe (TR002).")
    label_margin: float = Field(default=_TH.label_margin, alias="label-margin", ge=0, le=1,
                                description="How much better data-t or label must score to win (TR004).")


class Config(BaseModel):
    """The ``[tool.notelint]`` table."""

    # strict: TOML has real booleans and integers; "yes" for a boolean is a mistake, not a value
    model_config = ConfigDict(extra="forbid", populate_by_name=True, strict=True, title="notelint configuration")

    vault: str | None = Field(
        default=None,
        description="The vault root that links resolve against (default: the folder holding .obsidian/, a Quartz "
        "site's content/, else the git root).",
    )
    exclude: list[str] = Field(
        default_factory=list,
        description="Files and folders to leave out: gitignore-style patterns, relative to the vault root.",
    )
    extend_exclude: list[str] = Field(
        default_factory=list, alias="extend-exclude", description="Patterns to leave out in addition to exclude."
    )
    respect_gitignore: bool = Field(
        default=True, alias="respect-gitignore", description="Leave out what .gitignore files ignore."
    )
    force_exclude: bool = Field(
        default=False,
        alias="force-exclude",
        description="Apply exclude to notes named on the command line too (as pre-commit names them).",
    )
    select: list[str] | None = Field(
        default=None, description="Rule codes, prefixes or names to enable (default: every rule on by default)."
    )
    extend_select: list[str] = Field(
        default_factory=list, alias="extend-select", description="Rule codes, prefixes or names to enable in addition."
    )
    ignore: list[str] = Field(default_factory=list, description="Rule codes, prefixes or names to disable.")
    per_file_ignores: dict[str, list[str]] = Field(
        default_factory=dict,
        alias="per-file-ignores",
        description="Rules to disable in some files: gitignore-style pattern (relative to the vault root) -> codes.",
    )
    fail_level: Literal["error", "warning", "info"] = Field(
        default="warning", alias="fail-level", description="The lowest severity that fails the run (exit 1)."
    )
    schema_path: str | None = Field(default=None, alias="schema", description="A JSON Schema for the front matter.")
    allow_extra_fields: bool = Field(
        default=False, alias="allow-extra-fields", description="Allow front matter fields the model does not know."
    )
    external_targets: list[str] = Field(
        default_factory=list, alias="external-targets", description="Wiki-link targets that exist outside the vault."
    )
    link_resolution: Literal["auto", "quartz", "obsidian"] = Field(
        default="auto", alias="link-resolution",
        description="Where a wiki-link goes: as Quartz 4.5 renders it (quartz), as Obsidian resolves it (obsidian), "
        "or as the renderer the vault is published with (auto: a quartz.config.ts beside the vault's content folder "
        "means quartz, else obsidian).",
    )
    videos: str | None = Field(default=None, description="A JSON or CSV file of video durations by videoId.")
    transcripts: str | None = Field(
        default=None, description="A folder of transcripts, <videoId>.srt, .vtt or .json: enables the TR rules."
    )
    transcript_window: float = Field(
        default=30.0, alias="transcript-window", gt=0, le=600,
        description="Seconds before and after a cited time whose captions are read as its support.",
    )
    transcript_thresholds: TranscriptThresholds = Field(default_factory=TranscriptThresholds, alias="transcript-thresholds")
    max_file_size: int = Field(
        default=DEFAULT_MAX_FILE_SIZE, alias="max-file-size", gt=0, le=MAX_MAX_FILE_SIZE,
        description="Bytes; a larger file is not read (NL001).",
    )
    cache_dir: str | None = Field(
        default=None, alias="cache-dir", description="The cache folder (default: .notelint_cache beside the configuration)."
    )
    page_kinds: dict[str, PageKindName] = Field(
        default_factory=lambda: dict(DEFAULT_PAGE_KINDS),
        alias="page-kinds",
        description="Glob patterns of paths and the kind of page each is (video-note, channel-page, site-page); "
        "the first that matches wins. Other pages are recognised by their form.",
    )
