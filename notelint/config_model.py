"""The configuration model: what ``[tool.notelint]`` may hold.

Validated by :func:`notelint.config.parse_config`; an unknown or mistyped key
is an error naming it (exit 2).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .config import DEFAULT_MAX_FILE_SIZE, MAX_MAX_FILE_SIZE
from .document import DEFAULT_PAGE_KINDS

PageKindName = Literal["video-note", "channel-page", "site-page"]


class Config(BaseModel):
    """The ``[tool.notelint]`` table."""

    # strict: TOML has real booleans and integers; "yes" for a boolean is a mistake, not a value
    model_config = ConfigDict(extra="forbid", populate_by_name=True, strict=True, title="notelint configuration")

    vault: str | None = Field(default=None, description="The vault root (default: notes/ or the folder linted).")
    exclude: list[str] = Field(default_factory=list, description="Glob patterns of files to leave out.")
    select: list[str] | None = Field(default=None, description="Rule codes or prefixes to enable.")
    extend_select: list[str] = Field(default_factory=list, alias="extend-select")
    ignore: list[str] = Field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = Field(default_factory=dict, alias="per-file-ignores")
    fail_level: Literal["error", "warning", "info"] = Field(default="warning", alias="fail-level")
    schema_path: str | None = Field(default=None, alias="schema", description="A JSON Schema for the front matter.")
    allow_extra_fields: bool = Field(default=False, alias="allow-extra-fields")
    external_targets: list[str] = Field(
        default_factory=list, alias="external-targets", description="Wiki-link targets that exist outside the vault."
    )
    videos: str | None = Field(default=None, description="A JSON or CSV file of video durations by videoId.")
    max_file_size: int = Field(default=DEFAULT_MAX_FILE_SIZE, alias="max-file-size", gt=0, le=MAX_MAX_FILE_SIZE)
    cache_dir: str | None = Field(default=None, alias="cache-dir")
    page_kinds: dict[str, PageKindName] = Field(
        default_factory=lambda: dict(DEFAULT_PAGE_KINDS),
        alias="page-kinds",
        description="Glob patterns of paths and the kind of page each is (video-note, channel-page, site-page); "
        "the first that matches wins. Other pages are recognised by their form.",
    )
