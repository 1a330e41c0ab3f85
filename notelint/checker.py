"""The pipeline: read and parse each note, run the per-note rules, build the
vault index, run the vault rules, apply suppressions.

Data flows one way: :class:`~notelint.discover.NoteFile` -> bytes ->
:class:`~notelint.document.Note` -> findings + :class:`~notelint.vault.NoteSummary`
-> :class:`~notelint.vault.Vault` -> vault findings -> :class:`RunResult`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields

from .cache import Cache, digest
from .config import ConfigError, Settings
from .discover import NoteFile
from .document import Note, parse_time
from .findings import SEVERITY_RANK, Edit, Finding, Fix
from .parse import parse_note
from .rules.registry import NOTE, RULES, VAULT, all_rules, finding
from .rules.timestamps import padded
from .rules.suppression import Directive, apply_directives, parse_directives, unused_directives
from .vault import LinkRef, NoteSummary, Vault, heading_keys, normalize


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
    text: bytes | None = None  # the note's bytes when they did not come from its file (stdin)


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
    if file.problem is not None:
        return None, file.problem
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
                    times.append((t, c.start, c.end))
        for w in block.wikilinks:
            if w.problem is None:
                links.append(LinkRef(w.target, w.heading, w.start, w.end, w.raw))
    vid = data.get("videoId")
    duration = data.get("duration")

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
    )


def lint_file(file: NoteFile, settings: Settings, ctx: Context | None = None, checked: bool = True) -> NoteResult:
    """Read, parse and check one note (per-note rules only)."""
    data, problem = read_note(file, settings.max_file_size)
    res = _lint_bytes(file, data, problem, settings, ctx or Context(settings))
    res.summary.checked = checked
    return res


def _lint_bytes(file: NoteFile, data: bytes | None, problem: str | None, settings: Settings, ctx: Context) -> NoteResult:
    try:
        return _lint_note(file, data, problem, settings, ctx)
    except ConfigError:
        raise  # the configuration is at fault, not this note: exit 2
    except Exception as exc:  # noqa: BLE001 - one odd file must not stop the run (SPEC §5)
        if os.environ.get("NOTELINT_DEBUG"):
            raise
        why = f"notelint failed on this file: internal error {type(exc).__name__}: {exc}"[:300] + " (please report it)"
        note = Note(path=file.display, rel=file.rel, raw=b"", unreadable=why)
        findings = [finding(note, "NL001", 0, 0, why)] if "NL001" not in settings.ignored_for(file.rel) else []
        return NoteResult(file, findings, summarize(note, True))


def _lint_note(file: NoteFile, data: bytes | None, problem: str | None, settings: Settings, ctx: Context) -> NoteResult:
    if data is None:
        note = Note(path=file.display, rel=file.rel, raw=b"", unreadable=problem)
    else:
        note = parse_note(file.display, file.rel, data)
    active = settings.selected - settings.ignored_for(file.rel)
    findings: list[Finding] = []
    for code in sorted(active):
        r = RULES[code]
        if r.scope == NOTE:
            findings.extend(r.check(note, ctx))
    return NoteResult(file, findings, summarize(note, True), parse_directives(note))


def lint_text(file: NoteFile, data: bytes, settings: Settings, ctx: Context) -> NoteResult:
    """Check a note given as bytes (``--stdin-filename``)."""
    res = _lint_bytes(file, data, None, settings, ctx)
    res.text = data
    return res


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
    for path, found in vault_findings.items():
        _place(by_path[path], found, settings.max_file_size)
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


def _place(res: NoteResult, findings: list[Finding], max_size: int) -> None:
    """Turn vault findings' byte offsets into lines and columns (re-reading the note)."""
    if res.text is not None:
        data = res.text
    else:
        data = read_note(res.file, max_size)[0] or b""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    note = Note(path=res.file.display, rel=res.file.rel, raw=data)
    for f in findings:
        f.line, f.col = note.position(f.offset)
        f.end_line, f.end_col = note.position(max(f.end_offset, f.offset))


def to_payload(res: NoteResult) -> tuple:
    """A note's result as plain tuples (for the cache and for worker processes)."""
    findings = tuple(
        (f.code, f.severity, f.line, f.col, f.message, f.end_line, f.end_col,
         None if f.fix is None else (f.fix.description, f.fix.safe, tuple((e.start, e.end, e.text) for e in f.fix.edits)),
         f.offset, f.end_offset)
        for f in res.findings
    )
    s = res.summary
    summary = tuple(
        tuple((x.target, x.heading, x.start, x.end, x.raw) for x in s.links) if name == "links"
        else tuple(value) if isinstance(value, (list, frozenset)) and name != "headings"
        else value
        for name, value in ((n, getattr(s, n)) for n in _SUMMARY_FIELDS)
    )
    directives = tuple((d.kind, d.codes, d.line, d.col, d.first, d.last) for d in res.directives)
    return findings, summary, directives


def from_payload(file: NoteFile, payload: tuple, checked: bool) -> NoteResult:
    findings, summary, directives = payload
    out = []
    for code, sev, line, col, msg, end_line, end_col, fix, offset, end_offset in findings:
        if fix is not None:
            fix = Fix(fix[0], tuple(Edit(a, b, t) for a, b, t in fix[2]), fix[1])
        out.append(Finding(code, sev, file.display, line, col, msg, end_line, end_col, fix, offset, end_offset))
    values = dict(zip(_SUMMARY_FIELDS, summary))
    values["links"] = [LinkRef(*x) for x in values["links"]]
    values["times"] = list(values["times"])
    values["headings"] = frozenset(values["headings"])
    note_summary = NoteSummary(rel=file.rel, path=file.display, checked=checked, **values)
    return NoteResult(file, out, note_summary, [Directive(*d) for d in directives])


_SUMMARY_FIELDS = tuple(f.name for f in fields(NoteSummary) if f.name not in ("rel", "path", "checked"))


# -- worker processes --------------------------------------------------------
_WORKER: tuple[Settings, Context] | None = None


def _init_worker(settings: Settings) -> None:
    global _WORKER
    _WORKER = (settings, Context(settings))


def _lint_batch(batch: list[tuple[NoteFile, bytes | None]]) -> list[tuple[bytes, tuple | None]]:
    """(digest, payload) per file; payload None when the digest matches the cached one."""
    settings, ctx = _WORKER if _WORKER is not None else (None, None)
    out = []
    for file, known in batch:
        data, problem = read_note(file, settings.max_file_size)
        dig = digest(data if data is not None else (problem or "").encode())
        if known is not None and dig == known:
            out.append((dig, None))
            continue
        out.append((dig, to_payload(_lint_bytes(file, data, problem, settings, ctx))))
    return out


def check(
    targets: list[NoteFile],
    vault_files: list[NoteFile],
    settings: Settings,
    *,
    jobs: int = 1,
    cache: Cache | None = None,
) -> RunResult:
    """Check ``targets``; resolve their links against ``vault_files`` too.

    Every note is parsed once (or taken from the cache); notes that are not
    targets contribute only their index entry. With ``jobs`` > 1 and enough
    notes to parse, the parsing runs in worker processes; the output is the
    same as with one.
    """
    global _WORKER
    ctx = Context(settings)
    wanted = {f.path for f in targets}
    files = list({f.path: f for f in [*targets, *vault_files]}.values())
    payloads: list[tuple | None] = [None] * len(files)
    todo: list[int] = []
    known: list[bytes | None] = []
    stats: list[os.stat_result | None] = []
    for i, f in enumerate(files):
        try:
            st = None if f.problem is not None else os.stat(f.path)
        except OSError:
            st = None
        stats.append(st)
        hit, dig = cache.lookup(f.rel, st) if cache is not None else (None, None)
        if hit is not None:
            payloads[i] = hit
        else:
            todo.append(i)
            known.append(dig)
    if todo:
        batch = [(files[i], k) for i, k in zip(todo, known)]
        if jobs > 1 and len(batch) >= _PARALLEL_MIN:
            done = _run_parallel(batch, settings, jobs)
        else:
            _WORKER = (settings, ctx)
            done = _lint_batch(batch)
        for i, (dig, payload) in zip(todo, done):
            if payload is None:  # same content as cached, only the mtime moved
                payload = cache.entries[files[i].rel][3]
            payloads[i] = payload
            if cache is not None:
                cache.store(files[i].rel, stats[i], dig, payload)
    try:
        results = [from_payload(f, p, f.path in wanted) for f, p in zip(files, payloads)]
    except (TypeError, ValueError, KeyError, IndexError):
        if cache is None or not cache.entries:
            raise
        # a cache entry of the wrong shape (a damaged or foreign file): forget the cache, check again
        cache.entries.clear()
        cache.dirty = True
        return check(targets, vault_files, settings, jobs=jobs, cache=cache)
    if cache is not None:
        if len(vault_files) >= len(files) - len(targets):
            cache.prune({f.rel for f in files})
        cache.save()
    return finish(results, settings, ctx)


_PARALLEL_MIN = 200


def _run_parallel(batch: list, settings: Settings, jobs: int) -> list:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    try:
        mp = multiprocessing.get_context("fork")
    except ValueError:  # pragma: no cover - platforms without fork
        mp = multiprocessing.get_context()
    size = max(16, min(500, len(batch) // (jobs * 4) or 1))
    chunks = [batch[i : i + size] for i in range(0, len(batch), size)]
    out: list = []
    with ProcessPoolExecutor(max_workers=jobs, mp_context=mp, initializer=_init_worker, initargs=(settings,)) as pool:
        for part in pool.map(_lint_batch, chunks):
            out.extend(part)
    return out


__all__ = ["Context", "NoteResult", "RunResult", "check", "finish", "lint_file", "lint_text", "finding"]
