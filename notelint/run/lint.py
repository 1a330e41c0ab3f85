"""One note: read it, parse it, run the per-note rules, build its index entry.

:func:`lint_note` is pure: bytes and settings in, findings, directives and an
index entry out; it never looks at the vault. Worker processes, the cache,
``--fix``, ``--stdin-filename`` and the language server all go through it.
"""

from __future__ import annotations

import os

from ..discover import NoteFile
from ..document import Note
from ..errors import ConfigError
from ..findings import Finding
from ..parse import parse_note
from ..readfile import FileTooLarge, NotRegularFile, read_regular
from ..rules.registry import NOTE, RULES, RuleContext, finding
from ..rules.suppression import parse_directives
from ..vault import NoteStats, build_entry
from .result import NoteResult

BOM = b"\xef\xbb\xbf"


def read_note(file: NoteFile, max_size: int) -> tuple[bytes | None, str | None]:
    """The file's bytes, or why they cannot be read (NL001). Only a regular file is read: a
    FIFO, socket or device is refused without blocking (:func:`notelint.readfile.read_regular`)."""
    if file.problem is not None:
        return None, file.problem
    try:
        return read_regular(file.fspath, max_size), None
    except FileTooLarge as exc:
        if exc.size < 0:
            return None, f"file is larger than {max_size} bytes (max-file-size)"
        return None, f"file is {exc.size} bytes; the limit is {max_size} (max-file-size)"
    except NotRegularFile as exc:
        return None, ("is a directory, not a file" if exc.kind == "a directory"
                      else f"not a regular file but {exc.kind}; not read")
    except IsADirectoryError:
        return None, "is a directory, not a file"
    except FileNotFoundError:
        return None, "file disappeared before it could be read"
    except PermissionError:
        return None, "permission denied"
    except OSError as exc:
        return None, f"cannot read: {exc.strerror or exc}"


def note_stats(note: Note, ctx: RuleContext | None = None) -> NoteStats:
    """Claims, cited claims and citations of a note (for ``notelint audit``).

    Claims are the blocks CL001 looks at; a claim is cited when it holds a
    citation anchor (a block cited only by bare ``[00:21:12]`` labels is not:
    TS006 reports it). So, without suppressions, claims - cited claims is the
    CL001 count plus the blocks cited only by bare labels. With ``ctx``, each
    cited claim's support in its video's transcript, when it has one.
    """
    from ..rules.claims import claim_start

    claims = cited = citations = 0
    stray = note.body_front_matter
    for block in note.blocks:
        citations += len(block.citations)
        start = claim_start(block, stray)  # the claims CL001 looks at
        if start is not None:
            claims += 1
            cited += any(c.start >= start for c in block.citations)
    title = note.data.get("title")
    channel = note.source_line.channel if note.source_line is not None else None
    support = ()
    if ctx is not None and ctx.settings.transcripts_dir is not None:
        from ..rules.transcripts import transcript_support

        support = transcript_support(note, ctx)
    return NoteStats(claims, cited, citations, title if isinstance(title, str) else None, channel, support)


def run_note_rules(note: Note, ctx: RuleContext, active: frozenset[str]) -> list[Finding]:
    """The findings of the per-note rules among ``active``, in code order."""
    findings: list[Finding] = []
    for code in sorted(active):
        r = RULES[code]
        if r.scope is NOTE and (r.pages or note.is_video_note):
            findings.extend(r.check(note, ctx))
    return findings


def lint_note(file: NoteFile, data: bytes | None, problem: str | None, ctx: RuleContext, checked: bool = True) -> NoteResult:
    """Parse and check one note given its bytes (or why there are none). Never raises for a
    note: an internal error becomes one NL001 finding and the run goes on (SPEC §5)."""
    settings = ctx.settings
    try:
        note = (parse_note(file.display, file.rel, data, settings.page_kinds, settings.link_resolution)
                if data is not None else _unreadable(file, problem))
        findings = run_note_rules(note, ctx, settings.selected - settings.ignored_for(file.rel))
        stats = note_stats(note, ctx) if settings.collect_stats and checked else None
        return NoteResult(file, findings, build_entry(note, stats), parse_directives(note), checked)
    except ConfigError:
        raise  # the configuration is at fault, not this note: exit 2
    except Exception as exc:  # noqa: BLE001 - one odd file must not stop the run
        if os.environ.get("NOTELINT_DEBUG"):
            raise
        why = f"notelint failed on this file: internal error {type(exc).__name__}: {exc}"[:300] + " (please report it)"
        note = _unreadable(file, why)
        findings = [finding(note, "NL001", 0, 0, why)] if "NL001" not in settings.ignored_for(file.rel) else []
        return NoteResult(file, findings, build_entry(note), [], checked)


def _unreadable(file: NoteFile, problem: str | None) -> Note:
    return Note(path=file.display, rel=file.rel, raw=b"", unreadable=problem)


def lint_file(file: NoteFile, ctx: RuleContext, checked: bool = True) -> NoteResult:
    """Read, parse and check one note (per-note rules only)."""
    data, problem = read_note(file, ctx.settings.max_file_size)
    return lint_note(file, data, problem, ctx, checked)


def lint_text(file: NoteFile, data: bytes, ctx: RuleContext) -> NoteResult:
    """Check a note given as bytes (``--stdin-filename``, the fix loop, an editor's buffer)."""
    max_size = ctx.settings.max_file_size
    if len(data) > max_size:  # standard input is read up to one byte past the limit, never further
        problem = f"input is larger than {max_size} bytes (max-file-size)"
        res = lint_note(file, None, problem, ctx)
    else:
        res = lint_note(file, data, None, ctx)
    res.text = data
    return res
