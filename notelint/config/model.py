"""The configuration model: what ``[tool.notelint]`` may hold.

Validated by :func:`notelint.config.parse_config`; an unknown or mistyped key
is an error naming it (exit 2).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .limits import DEFAULT_MAX_FILE_SIZE, MAX_MAX_FILE_SIZE


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
    videos: str | None = Field(default=None, description="A JSON or CSV file of video durations by videoId.")
    max_file_size: int = Field(
        default=DEFAULT_MAX_FILE_SIZE, alias="max-file-size", gt=0, le=MAX_MAX_FILE_SIZE,
        description="Bytes; a larger file is not read (NL001).",
    )
    cache_dir: str | None = Field(
        default=None, alias="cache-dir", description="The cache folder (default: .notelint_cache beside the configuration)."
    )
