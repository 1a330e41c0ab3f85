"""The pipeline: read and parse each note, run the per-note rules, build the
vault index, run the vault rules, apply suppressions.

Data flows one way: :class:`~notelint.discover.NoteFile` -> bytes ->
:class:`~notelint.document.Note` -> findings + :class:`~notelint.vault.NoteSummary`
-> :class:`~notelint.vault.Vault` -> vault findings -> :class:`RunResult`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field

from .config import Settings
from .discover import NoteFile
from .document import Note, parse_time
from .findings import SEVERITY_RANK, Finding
from .parse import parse_note
from .rules.registry import NOTE, RULES, VAULT, all_rules, finding
from .rules.timestamps import padded
from .rules.suppression import Directive, apply_directives, parse_directives, unused_directives
from .vault import LinkRef, NoteStats, NoteSummary, Vault, heading_keys, normalize


class Context:
    """What rules may read besides the note: settings and things built from them once."""

    def __init__(self, settings: Settings):
        self.settings = settings
        schema = settings.user_schema or {}
        props = schema.get("properties") if isinstance(schema, dict) else None
        self.schema_properties = frozenset(props) if isinstance(props, dict) else frozenset()
        self._validator = None

    @property
    def user_validator(self):
        if self.settings.user_schema is None:
            return None
        if self._validator is None:
            import jsonschema

            cls = jsonschema.validators.validator_for(self.settings.user_schema)
            self._validator = cls(self.settings.user_schema, format_checker=cls.FORMAT_CHECKER)
        return self._validator


@dataclass(slots=True)
class NoteResult:
    """What one note yields: its own findings, its index entry, its suppressions."""

    file: NoteFile
    findings: list[Finding]
    summary: NoteSummary
    directives: list[Directive] = field(default_factory=list)


@dataclass
class RunResult:
    findings: list[Finding]
    files: list[str]  # display paths of the notes checked
    vault_size: int
    results: dict[str, NoteResult] = field(default_factory=dict)

    def failed(self, fail_level: str) -> bool:
        rank = SEVERITY_RANK[fail_level]
        return any(SEVERITY_RANK[f.severity] >= rank for f in self.findings)


def read_note(file: NoteFile, max_size: int) -> tuple[bytes | None, str | None]:
    """The file's bytes, or why they cannot be read (NL001)."""
    try:
        size = os.stat(file.path).st_size
        if size > max_size:
            return None, f"file is {size} bytes; the limit is {max_size} (max-file-size)"
        with open(file.path, "rb") as fh:
            data = fh.read(max_size + 1)
    except IsADirectoryError:
        return None, "is a directory, not a file"
    except FileNotFoundError:
        return None, "file disappeared before it could be read"
    except PermissionError:
        return None, "permission denied"
    except OSError as exc:
        return None, f"cannot read: {exc.strerror or exc}"
    if len(data) > max_size:
        return None, f"file is larger than {max_size} bytes (max-file-size)"
    return data, None


def summarize(note: Note, checked: bool) -> NoteSummary:
    stem = note.rel.rsplit("/", 1)[-1]
    if stem.endswith(".md"):
        stem = stem[:-3]
    keys = [normalize(stem)]
    data = note.data
    title = data.get("title")
    if isinstance(title, str) and title.strip():
        keys.append(normalize(title))
    aliases = data.get("aliases")
    if isinstance(aliases, list):
        keys.extend(normalize(a) for a in aliases if isinstance(a, str) and a.strip())
    elif isinstance(aliases, str) and aliases.strip():
        keys.append(normalize(aliases))
    headings: set[str] = set()
    for h in note.headings:
        headings.update(heading_keys(h.text))
    for block in note.blocks:
        if block.kind == "heading" and block.wikilinks:
            # "### 1. [[target | Shown text]]" is found by its shown text too
            text = note.slice(block.start, block.end)
            for w in block.wikilinks:
                text = text.replace(w.raw, w.alias or w.target)
            headings.update(heading_keys(text))
    pos = note.position
    times = []
    links = []
    for block in note.blocks:
        for c in block.citations:
            if c.problem is None:
                t = c.seconds
                if t is None:  # "10:14" still tells the time scale (TS001 reports its form)
                    fixed = padded(c.time)
                    t = parse_time(fixed) if fixed else None
                if t is not None:
                    times.append((t, *pos(c.start), *pos(c.end)))
        for w in block.wikilinks:
            if w.problem is None:
                links.append(LinkRef(w.target, w.heading, *pos(w.start), *pos(w.end), w.raw))
    vid = data.get("videoId")
    duration = data.get("duration")
    stats = note_stats(note) if checked else None

    return NoteSummary(
        rel=note.rel,
        path=note.path,
        keys=tuple(dict.fromkeys(keys)),
        display=stem,
        headings=frozenset(headings),
        video_id=vid if isinstance(vid, str) else None,
        duration=parse_time(duration) if isinstance(duration, str) else None,
        times=times,
        links=links,
        checked=checked,
        stats=stats,
    )


def note_stats(note: Note) -> NoteStats:
    """Claims, cited claims and citations of a note (for ``notelint audit``).

    Claims are the blocks CL001 looks at; a claim is cited when it holds a
    citation anchor (a block cited only by bare ``[00:21:12]`` labels is not:
    TS006 reports it). So, without suppressions, claims - cited claims is the
    CL001 count plus the blocks cited only by bare labels.
    """
    from .rules.claims import _CALLOUT, _TAG, _has_letters, claim_exemption

    claims = cited = citations = 0
    stray = note.body_front_matter
    for block in note.blocks:
        citations += len(block.citations)
        if not block.is_claim_candidate or (stray and any(s <= block.start < e for s, e in stray)):
            continue
        if block.quoted and _CALLOUT.match(block.text):
            # as CL001: the callout's title line is exempt, the lines after it are a claim
            nl = block.text.find(b"\n")
            is_claim = nl != -1 and _has_letters(_TAG.sub(b" ", block.text[nl + 1 :]))
        else:
            is_claim = claim_exemption(block) is None
        if is_claim:
            claims += 1
            cited += bool(block.citations)
    title = note.data.get("title")
    channel = note.source_line.channel if note.source_line is not None else None
    return NoteStats(claims, cited, citations, title if isinstance(title, str) else None, channel)


def lint_file(file: NoteFile, settings: Settings, ctx: Context | None = None, checked: bool = True) -> NoteResult:
    """Read, parse and check one note (per-note rules only)."""
    ctx = ctx or Context(settings)
    data, problem = read_note(file, settings.max_file_size)
    if data is None:
        note = Note(path=file.display, rel=file.rel, raw=b"", unreadable=problem)
    else:
        note = parse_note(file.display, file.rel, data)
    findings: list[Finding] = []
    if checked:
        active = settings.selected - settings.ignored_for(file.rel)
        for code in sorted(active):
            r = RULES[code]
            if r.scope == NOTE:
                findings.extend(r.check(note, ctx))
    return NoteResult(file, findings, summarize(note, checked), parse_directives(note) if checked else [])


def lint_text(file: NoteFile, data: bytes, settings: Settings, ctx: Context) -> NoteResult:
    """Check a note given as bytes (``--stdin-filename``)."""
    note = parse_note(file.display, file.rel, data)
    active = settings.selected - settings.ignored_for(file.rel)
    findings = [f for code in sorted(active) if RULES[code].scope == NOTE for f in RULES[code].check(note, ctx)]
    return NoteResult(file, findings, summarize(note, True), parse_directives(note))


def finish(results: list[NoteResult], settings: Settings, ctx: Context) -> RunResult:
    """Vault rules, suppressions and SP001 over the per-note results."""
    all_rules()
    vault = Vault([r.summary for r in results], settings.external_targets)
    by_path: dict[str, NoteResult] = {r.file.display: r for r in results}
    vault_findings: dict[str, list[Finding]] = {}
    for code in sorted(settings.selected):
        r = RULES[code]
        if r.scope != VAULT:
            continue
        for f in r.check(vault, ctx):
            vault_findings.setdefault(f.path, []).append(f)
    out: list[Finding] = []
    checked = [r for r in results if r.summary.checked]
    for res in checked:
        ignored = settings.ignored_for(res.file.rel)
        extra = [f for f in vault_findings.get(res.file.display, ()) if f.code not in ignored]
        findings = apply_directives(res.findings + extra, res.directives)
        if "SP001" in settings.selected and "SP001" not in ignored and res.directives:
            for d, sel in unused_directives(res.directives, settings.selected):
                label = "suppression" if sel == "ALL" else f"suppression of {sel}"
                findings.append(
                    Finding("SP001", RULES["SP001"].severity, res.file.display, d.line, d.col,
                            f"unused {label}: it suppresses nothing", d.line, d.col)
                )
        out.extend(findings)
    out.sort(key=Finding.sort_key)
    return RunResult(out, [r.file.display for r in checked], len(results), by_path)


def check(targets: list[NoteFile], vault_files: list[NoteFile], settings: Settings,
          progress: Callable[[int, int], None] | None = None) -> RunResult:
    """Check ``targets``; resolve their links against ``vault_files`` too.

    ``progress(done, total)``, when given, is called after each file is read.
    """
    ctx = Context(settings)
    wanted = {f.path for f in targets}
    jobs = [(f, True) for f in targets] + [(f, False) for f in vault_files if f.path not in wanted]
    results = []
    for done, (f, checked) in enumerate(jobs, 1):
        results.append(lint_file(f, settings, ctx, checked=checked))
        if progress is not None:
            progress(done, len(jobs))
    return finish(results, settings, ctx)


__all__ = ["Context", "NoteResult", "RunResult", "check", "finish", "lint_file", "lint_text", "finding"]
