"""FM: the front matter block and its fields.

FM003/FM004/FM005 read the pydantic validation errors of the front matter
model (:mod:`notelint.models`), the single source of truth for the fields.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator

from ..document import Note
from ..findings import Edit, Finding, Fix
from ..validate import validate_front_matter
from .registry import ERROR, WARNING, RuleContext, finding, rule

_FIELD_FORM = {
    "title": "a non-empty single-line string without surrounding white space",
    "videoId": "11 characters of A-Z, a-z, 0-9, '_' or '-'",
    "duration": "an HH:MM:SS string",
    "aliases": "a list of strings",
    "tags": "a list of strings",
}


def _loaded(note) -> bool:
    fm = note.front_matter
    return fm is not None and fm.closed and fm.error is None and fm.data is not None


def _errors(note) -> list[dict]:
    """The model's validation errors, computed once per note."""
    fm = note.front_matter
    if fm.errors is None:
        fm.errors = validate_front_matter(fm.data)
    return fm.errors


def _key_offset(note, key) -> tuple[int, int]:
    fm = note.front_matter
    if isinstance(key, str) and key in fm.keys:
        k, _, _ = fm.keys[key]
        return k, k + len(key.encode("utf-8"))
    return fm.start, fm.start + 3


def _value_span(note, key) -> tuple[int, int]:
    fm = note.front_matter
    if isinstance(key, str) and key in fm.keys:
        _, vs, ve = fm.keys[key]
        return vs, max(ve, vs)
    return fm.start, fm.start + 3


@rule("FM001", "missing-front-matter", ERROR, pages=True)
def missing_front_matter(note: Note, ctx: RuleContext) -> Iterator[Finding]:
    """No front matter, or it is not closed.

    ## What it does
    Reports a note that does not open with a ``---`` line, or whose front
    matter has no closing ``---`` line.

    ## Why is this bad?
    The title and the video id live in the front matter; without them the
    note cannot be linked to or tied to its video. An unclosed block swallows
    the whole note into YAML.

    ## Example
    ```
    title: Bridge loads
    videoId: bR1dg3-Sp4n
    From: [[span_and_load]] <br/>
    ```

    ## Use instead
    ```
    ---
    title: Bridge loads
    videoId: bR1dg3-Sp4n
    ---
    ```
    """
    if note.unreadable is not None:
        return
    fm = note.front_matter
    if fm is None:
        yield finding(note, "FM001", 0, 0, "no front matter: the note must start with a '---' line")
    elif not fm.closed:
        yield finding(note, "FM001", 0, 3, "front matter is not closed: no closing '---' line")


@rule("FM002", "invalid-yaml", ERROR, pages=True)
def invalid_yaml(note: Note, ctx: RuleContext) -> Iterator[Finding]:
    """Front matter is not valid YAML.

    ## What it does
    Reports YAML that cannot be loaded, at the line and column of the YAML
    error in the file. notelint loads YAML safely: tags that construct
    objects (``!!python/object``) and aliases (``*name``) are refused, and
    the front matter is capped at 64 KiB.

    ## Why is this bad?
    A site generator that cannot read the front matter drops the title and
    video id, or fails the build.

    ## Example
    ```
    title: [Bridge loads
    ```

    ## Use instead
    ```
    title: "[Bridge loads"
    ```
    """
    fm = note.front_matter
    if fm is not None and fm.closed and fm.error is not None:
        message, offset = fm.error
        yield finding(note, "FM002", offset, offset, f"invalid YAML: {message}")


@rule("FM003", "missing-field", ERROR, pages=True)
def missing_field(note: Note, ctx: RuleContext) -> Iterator[Finding]:
    """A required field is missing (``title``, ``videoId``).

    ## What it does
    Reports front matter without ``title`` or ``videoId``. Channel pages and
    site pages (see ``page-kinds``) need only ``title``.

    ## Why is this bad?
    ``title`` is what links and the page heading show; ``videoId`` ties every
    citation in the note to its video.

    ## Example
    ```
    ---
    title: Bridge loads
    ---
    ```

    ## Use instead
    ```
    ---
    title: Bridge loads
    videoId: bR1dg3-Sp4n
    ---
    ```
    """
    if not _loaded(note):
        return
    for err in _errors(note):
        if err["type"] == "missing":
            key = err["loc"][0]
            if key != "title" and not note.is_video_note:
                continue  # a channel page or site page has no video
            yield finding(note, "FM003", note.front_matter.start, note.front_matter.start + 3, f"required field '{key}' is missing")


def _type_name(value) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, (_dt.date, _dt.datetime)):
        return "a date"
    if value is None:
        return "empty"
    return "a " + {"list": "list", "dict": "mapping"}.get(type(value).__name__, type(value).__name__)


@rule("FM004", "invalid-field", ERROR, fix="safe", pages=True)
def invalid_field(note: Note, ctx: RuleContext) -> Iterator[Finding]:
    """A field has the wrong type or form.

    ## What it does
    Checks each known field against the front matter model: ``title`` is a
    non-empty single-line string without surrounding white space;
    ``videoId`` matches ``^[A-Za-z0-9_-]{11}$``; ``duration`` is an
    ``HH:MM:SS`` string; ``aliases`` and ``tags`` are lists of strings.
    YAML turns some unquoted values into numbers, booleans or dates
    (``videoId: 12345678901``, ``title: yes``, ``duration: 10:02:03`` is
    the base-60 number 36123): the message says to quote them.
    (``duration: 01:02:03`` stays a string: YAML 1.1 base-60 numbers
    start with a digit 1-9.)

    ## Why is this bad?
    Tools downstream read these fields as strings; a number loses leading
    zeros, a boolean loses the title.

    ## Example
    ```
    videoId: 12345678901
    title: " Bridge loads "
    ```

    ## Use instead
    ```
    videoId: "12345678901"
    title: "Bridge loads"
    ```
    ``--fix`` removes surrounding white space inside a quoted title (not
    when nothing would be left, nor in a title with escapes), and quotes a
    one-line ``title``, ``videoId`` or ``duration`` that YAML read as a
    number, boolean or date when the text as written is then a valid value
    (``videoId: 12345678901`` becomes ``videoId: "12345678901"``).
    """
    if not _loaded(note):
        return
    data = note.front_matter.data
    reported: set = set()
    for err in _errors(note):
        if err["type"] in ("missing", "extra_forbidden"):
            continue
        loc = err["loc"]
        key = loc[0]
        if key in reported:
            continue
        reported.add(key)
        value = data.get(key)
        vs, ve = _value_span(note, key)
        source = note.slice(vs, ve).strip()
        form = _FIELD_FORM.get(key, "valid")
        fix = None
        if len(loc) > 1:
            item = value[loc[1]] if isinstance(value, list) and isinstance(loc[1], int) else None
            message = f"'{key}' must be {form}; item {loc[1] + 1 if isinstance(loc[1], int) else loc[1]} is {_type_name(item)}"
            if isinstance(item, (bool, int, float, _dt.date)):
                message += ": quote it"
        elif isinstance(value, (bool, int, float, _dt.date, _dt.datetime)):
            message = f"'{key}' is read by YAML as {_type_name(value)} ({value!r}); quote it: {key}: \"{source}\""
            fix = _quote_fix(note, key, vs, ve)
        elif value is None or value == "":
            message = f"'{key}' is empty; it must be {form}"
        elif not isinstance(value, str):
            message = f"'{key}' must be {form}, not {_type_name(value)}"
        elif key == "title" and ("\n" in value or "\r" in value):
            message = "'title' must be a single line"
        elif key == "title" and value != value.strip():
            message = f"'title' has white space around it: {value!r}"
            fix = _trim_fix(note, vs, ve, value)
        else:
            message = f"'{key}' {value!r} must be {form}"
        yield finding(note, "FM004", vs, ve, message, fix)


def _trim_fix(note, vs: int, ve: int, value: str):
    """Trim the inside of a quoted scalar; None when the source is not a simple quoted string."""
    raw = note.raw[vs:ve]
    if len(raw) < 2 or raw[:1] not in (b'"', b"'") or raw[-1:] != raw[:1]:
        return None
    inner = raw[1:-1]
    stripped = inner.strip(b" \t")
    if not stripped or stripped.decode("utf-8", "replace") != value.strip() or b"\\" in inner:
        return None  # an empty title needs words, not trimming
    return Fix("trim white space around the title", (Edit(vs + 1, ve - 1, stripped),))


_QUOTABLE = {"title": "TITLE_PATTERN", "videoId": "VIDEO_ID_PATTERN", "duration": "DURATION_PATTERN"}


def _quote_fix(note, key, vs: int, ve: int):
    """Quote a plain scalar that YAML read as a number, boolean or date.

    Only where the text as written is then a valid value of the field, and
    only for a one-line plain scalar with nothing that needs escaping.
    """
    import re

    from .. import models

    if key not in _QUOTABLE:
        return None
    raw = note.raw[vs:ve]
    if not raw or raw != raw.strip() or any(b in raw for b in (b"\r", b"\n", b'"', b"\\", b"#")):
        return None
    if raw[:1] in (b"'", b"[", b"{", b"&", b"*", b"!", b"|", b">", b"@", b"`"):
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:  # pragma: no cover - NL001 notes are not linted
        return None
    if not re.match(getattr(models, _QUOTABLE[key]), text):
        return None
    return Fix(f"quote the {key}", (Edit(vs, ve, b'"' + raw + b'"'),))


def _known_spelling(key: str) -> str | None:
    """The known field ``key`` is a case or singular/plural variant of (``videoid``, ``alias``, ``tag``)."""
    low = key.lower()
    for known in ("title", "videoId", "aliases", "tags", "duration"):
        k = known.lower()
        if low in (k, k + "s", k + "es") or k in (low + "s", low + "es"):
            return known
    return None


@rule("FM005", "unknown-field", WARNING, pages=True)
def unknown_field(note: Note, ctx: RuleContext) -> Iterator[Finding]:
    """Unknown field in the front matter.

    ## What it does
    Reports a key that is not one of ``title``, ``videoId``, ``aliases``,
    ``tags`` or ``duration``. Off for keys declared in the configured JSON
    Schema (``schema = ...``), and entirely with ``allow-extra-fields = true``.

    ## Why is this bad?
    A misspelt key (``videoid``, ``alias``) is silently ignored by every
    tool that reads the notes.

    ## Example
    ```
    videoid: bR1dg3-Sp4n
    ```

    ## Use instead
    ```
    videoId: bR1dg3-Sp4n
    ```
    """
    if not _loaded(note) or ctx.settings.allow_extra_fields:
        return
    declared = ctx.schema_properties
    for err in _errors(note):
        if err["type"] != "extra_forbidden":
            continue
        key = err["loc"][0]
        if key in declared:
            continue
        s, e = _key_offset(note, key)
        hint = ""
        match = _known_spelling(key) if isinstance(key, str) else None
        if match is not None:
            hint = f"; did you mean '{match}'?"
        yield finding(note, "FM005", s, e, f"unknown field '{key}'{hint}")


@rule("FM006", "duplicate-key", ERROR, pages=True)
def duplicate_key(note: Note, ctx: RuleContext) -> Iterator[Finding]:
    """Duplicate key in the front matter.

    ## What it does
    Reports a key written twice in the front matter, at the second one.

    ## Why is this bad?
    YAML loaders silently keep the last value: the first one, which the
    writer may think is in force, is thrown away.

    ## Example
    ```
    title: Bridge loads
    title: Loads on bridges
    ```

    ## Use instead
    Keep one ``title``; put other names in ``aliases``.
    """
    fm = note.front_matter
    if fm is None or not fm.closed:
        return
    for key, offset in fm.duplicates:
        yield finding(note, "FM006", offset, offset + len(str(key).encode("utf-8")), f"duplicate key '{key}': YAML keeps only the last value")


@rule("FM007", "schema-violation", ERROR)
def schema_violation(note: Note, ctx: RuleContext) -> Iterator[Finding]:
    """Front matter fails the user's JSON Schema.

    ## What it does
    Validates the front matter against the JSON Schema named by the
    configuration (``schema = "schemas/note.schema.json"``), with one
    finding per schema error, naming its JSON path.

    ## Why is this bad?
    Teams add their own requirements (a ``tags`` vocabulary, a required
    ``duration``); the schema is where they are written down.

    ## Example
    With a schema that requires ``duration``, a note without it.

    ## Use instead
    Add what the schema asks for, or change the schema.
    """
    validator = ctx.user_validator
    if validator is None or not _loaded(note):
        return
    from referencing.exceptions import Unresolvable

    from ..errors import ConfigError

    try:
        errors = sorted(validator.iter_errors(note.front_matter.data), key=lambda e: (list(map(str, e.absolute_path)), e.message))
    except Unresolvable as exc:  # the schema is at fault, not the note: a configuration error (exit 2)
        raise ConfigError.schema(ctx.settings.config_file, f"cannot resolve a $ref: {exc}") from None
    for err in errors:
        path = list(err.absolute_path)
        s, e = _key_offset(note, path[0]) if path else (note.front_matter.start, note.front_matter.start + 3)
        yield finding(note, "FM007", s, e, f"{err.json_path}: {err.message}")


@rule("FM008", "second-front-matter", ERROR, pages=True)
def second_front_matter(note: Note, ctx: RuleContext) -> Iterator[Finding]:
    """A second front matter block inside the body.

    ## What it does
    Reports a ``---`` line, key lines and a closing ``---`` in the body,
    as generators leave behind when they prepend a new block to a note.

    ## Why is this bad?
    Markdown renders it as a rule and a heading made of YAML; the values
    in it are not the note's front matter.

    ## Example
    ```
    From: [[span_and_load]] <br/>

    ---
    title: Bridge loads
    videoId: bR1dg3-Sp4n
    ---
    ```

    ## Use instead
    Merge the block into the front matter at the top and remove it.
    """
    for s, e in note.body_front_matter:
        yield finding(note, "FM008", s, s + 3, "a second front matter block inside the body")
