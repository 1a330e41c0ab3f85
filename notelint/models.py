"""The front matter model: the single source of truth for what a note's
front matter may hold. ``schemas/note.schema.json`` is generated from it.

Strict mode: YAML that turns a value into a number, boolean or date is not
coerced back into a string; FM004 tells the writer to quote it.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

VIDEO_ID_PATTERN = r"^[A-Za-z0-9_-]{11}$"
DURATION_PATTERN = r"^\d{2}:[0-5]\d:[0-5]\d$"
# non-empty, one line, no white space at either end
TITLE_PATTERN = r"^[^\s](?:[^\r\n]*[^\s])?$"

Title = Annotated[
    str,
    Field(
        min_length=1,
        pattern=TITLE_PATTERN,
        description="The note's title: a non-empty single-line string without surrounding white space.",
    ),
]
VideoId = Annotated[
    str,
    # maxLength too: a JSON Schema validator whose "$" matches before a final newline (Python's
    # re, as jsonschema uses it) must still refuse "abcdefghijk\n"
    Field(pattern=VIDEO_ID_PATTERN, max_length=11,
          description="The YouTube video id the note summarises (11 characters)."),
]
Duration = Annotated[
    str,
    Field(pattern=DURATION_PATTERN, max_length=8, description="The video's length as HH:MM:SS."),
]


class NoteFrontMatter(BaseModel):
    """Front matter of a video note."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        title="notelint note front matter",
        json_schema_extra={"$schema": "https://json-schema.org/draft/2020-12/schema"},
    )

    title: Title
    videoId: VideoId
    aliases: list[str] | None = Field(default=None, description="Other names the note answers to in wiki-links.")
    tags: list[str] | None = Field(default=None, description="Free-form tags.")
    duration: Duration | None = None


def validate_front_matter(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Validation errors of ``data`` (pydantic error dicts); [] when valid."""
    try:
        NoteFrontMatter.model_validate(data)
    except ValidationError as exc:
        return exc.errors(include_url=False, include_context=False)
    return []


def front_matter_schema() -> dict[str, Any]:
    return NoteFrontMatter.model_json_schema()
