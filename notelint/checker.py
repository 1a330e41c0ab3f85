"""The pipeline: read and parse each note, run the per-note rules, build the
vault index, run the vault rules, apply suppressions.

Data flows one way: :class:`~notelint.discover.NoteFile` -> bytes ->
:class:`~notelint.document.Note` -> findings + :class:`~notelint.vault.NoteSummary`
-> :class:`~notelint.vault.Vault` -> vault findings -> :class:`RunResult`.
"""

from __future__ import annotations

import hashlib
import marshal
import os
from collections.abc import Callable
from dataclasses import dataclass, field, fields

from .cache import Cache, digest
from .config import ConfigError, Settings
from .discover import NoteFile
from .document import Note, parse_time
from .findings import SEVERITY_RANK, Edit, Finding, Fix
from .parse import parse_note
from .rules.registry import NOTE, RULES, VAULT, all_rules, finding
from .rules.timestamps import padded
from .rules.timestamps.time_scale import profile
from .rules.suppression import Directive, apply_directives, parse_directives, unused_directives
from .vault import NoteStats, NoteSummary, Vault, heading_keys, normalize, pack_times


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
    vault_state: dict = field(default_factory=dict)  # vault findings by rel, for the cache

    def failed(self, fail_level: str) -> bool:
        rank = SEVERITY_RANK[fail_level]
        return any(SEVERITY_RANK[f.severity] >= rank for f in self.findings)


def read_note(file: NoteFile, max_size: int) -> tuple[bytes | None, str | None]:
    """The file's bytes, or why they cannot be read (NL001)."""
    if file.problem is not None:
        return None, file.problem
    try:
        size = os.stat(file.fspath).st_size
        if size > max_size:
            return None, f"file is {size} bytes; the limit is {max_size} (max-file-size)"
        with open(file.fspath, "rb") as fh:
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


def summarize(note: Note, checked: bool, stats: bool = False) -> NoteSummary:
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
        # by its source text, and by what the page shows ("### 1. [[target | Shown text]]": "1. Shown text")
        headings.update(heading_keys(h.text))
        if h.rendered and h.rendered != h.text:
            headings.update(heading_keys(h.rendered))
    times = []
    links = []
    for block in note.blocks:
        for c in block.citations:
            # a label naming another time than data-t is TS002's: it says nothing of the scale
            if c.problem is None and (c.label is None or c.label == c.time or padded(c.label) == padded(c.time)):
                t = c.seconds
                if t is None:  # "10:14" still tells the time scale (TS001 reports its form)
                    fixed = padded(c.time)
                    t = parse_time(fixed) if fixed else None
                if t is not None:
                    times.append((t, c.start, c.end))
        for w in block.wikilinks:
            if w.problem is None:
                links.append((w.target, w.heading, w.start, w.end))
    vid = data.get("videoId")
    duration = data.get("duration")
    stats = note_stats(note) if checked and stats else None

    return NoteSummary(
        rel=note.rel,
        path=note.path,
        keys=tuple(dict.fromkeys(keys)),
        display=stem,
        headings=frozenset(headings),
        video_id=vid if isinstance(vid, str) else None,
        duration=parse_time(duration) if isinstance(duration, str) else None,
        max_time=max(t for t, _, _ in times) if times else None,
        time_profile=profile([t for t, _, _ in times]).as_tuple(),
        times=pack_times(times),
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
    from .rules.claims import claim_start

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
    return NoteStats(claims, cited, citations, title if isinstance(title, str) else None, channel)


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
        note = parse_note(file.display, file.rel, data, settings.page_kinds)
    active = settings.selected - settings.ignored_for(file.rel)
    findings: list[Finding] = []
    for code in sorted(active):
        r = RULES[code]
        if r.scope == NOTE:
            findings.extend(r.check(note, ctx))
    return NoteResult(file, findings, summarize(note, True, settings.collect_stats), parse_directives(note))


def lint_text(file: NoteFile, data: bytes, settings: Settings, ctx: Context) -> NoteResult:
    """Check a note given as bytes (``--stdin-filename``)."""
    if len(data) > settings.max_file_size:
        problem = f"input is {len(data)} bytes; the limit is {settings.max_file_size} (max-file-size)"
        res = _lint_bytes(file, None, problem, settings, ctx)
    else:
        res = _lint_bytes(file, data, None, settings, ctx)
    res.text = data
    return res


def finish(
    results: list[NoteResult], settings: Settings, ctx: Context, vault_findings: dict[str, list[Finding]] | None = None
) -> RunResult:
    """Vault rules, suppressions and SP001 over the per-note results."""
    by_path: dict[str, NoteResult] = {r.file.display: r for r in results}
    if vault_findings is None:
        all_rules()
        vault = Vault([r.summary for r in results], settings.external_targets)
        vault_findings = {}
        for code in sorted(settings.selected):
            r = RULES[code]
            if r.scope != VAULT:
                continue
            for f in r.check(vault, ctx):
                vault_findings.setdefault(f.path, []).append(f)
        for path, found in vault_findings.items():
            _place(by_path[path], found, settings.max_file_size)
    state = {
        by_path[path].file.rel: tuple(
            (f.code, f.severity, f.line, f.col, f.message, f.end_line, f.end_col, f.offset, f.end_offset, _plain_fix(f.fix))
            for f in found
        )
        for path, found in vault_findings.items()
    }
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
    return RunResult(out, [r.file.display for r in checked], len(results), by_path, vault_state=state)


def _plain_fix(fix: Fix | None) -> tuple | None:
    return None if fix is None else (fix.description, fix.safe, tuple((e.start, e.end, e.text) for e in fix.edits))


def _fix_of(plain: tuple | None) -> Fix | None:
    return None if plain is None else Fix(plain[0], tuple(Edit(a, b, t) for a, b, t in plain[2]), plain[1])


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


_INDEX_FIELDS = ("keys", "display", "headings", "video_id", "duration", "max_time", "time_profile")
_DETAIL_FIELDS = tuple(
    f.name for f in fields(NoteSummary) if f.name not in _INDEX_FIELDS and f.name not in ("rel", "path", "checked")
)


def to_payload(res: NoteResult) -> tuple[tuple, bytes, bool]:
    """A note's result as (index part, detail blob, has findings or suppressions): plain data
    for the cache and for workers.

    The index part is what every run needs of every note; the detail blob
    (findings, directives, links, citation times) is decoded only for the
    notes being checked.
    """
    findings = tuple(
        (f.code, f.severity, f.line, f.col, f.message, f.end_line, f.end_col,
         None if f.fix is None else (f.fix.description, f.fix.safe, tuple((e.start, e.end, e.text) for e in f.fix.edits)),
         f.offset, f.end_offset)
        for f in res.findings
    )
    s = res.summary
    index = tuple(getattr(s, n) for n in _INDEX_FIELDS)
    detail = tuple(tuple(v) if isinstance(v, (list, tuple)) else v for v in (getattr(s, n) for n in _DETAIL_FIELDS))
    directives = tuple((d.kind, d.codes, d.line, d.col, d.first, d.last) for d in res.directives)
    return index, marshal.dumps((findings, directives, detail)), bool(findings or directives)


def from_payload(file: NoteFile, index: tuple, blob: bytes | None, checked: bool) -> NoteResult:
    """Rebuild a NoteResult; without ``blob`` only the index part (for notes not checked)."""
    values = dict(zip(_INDEX_FIELDS, index))
    out: list[Finding] = []
    directives: list[Directive] = []
    if blob is not None:
        findings, direct, detail = marshal.loads(blob)
        for code, sev, line, col, msg, end_line, end_col, fix, offset, end_offset in findings:
            if fix is not None:
                fix = Fix(fix[0], tuple(Edit(a, b, t) for a, b, t in fix[2]), fix[1])
            out.append(Finding(code, sev, file.display, line, col, msg, end_line, end_col, fix, offset, end_offset))
        directives = [Directive(*d) for d in direct]
        for name, value in zip(_DETAIL_FIELDS, detail):
            if name == "stats":
                values[name] = NoteStats(*value) if value is not None else None
            else:
                values[name] = list(value) if isinstance(value, tuple) else value
    summary = NoteSummary(rel=file.rel, path=file.display, checked=checked, **values)
    return NoteResult(file, out, summary, directives)


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
    progress: Callable[[int, int], None] | None = None,
    full_index: bool = False,
) -> RunResult:
    """Check ``targets``; resolve their links against ``vault_files`` too.

    Every note is parsed once or taken from the cache; notes that are not
    targets contribute only their index part. With ``jobs`` > 1 and enough
    notes to parse, parsing runs in worker processes; the output is the same.
    When nothing changed since the last run (same digests, same targets), the
    vault findings are taken from the cache too. ``progress(done, total)``,
    when given, is called as the notes to parse are parsed. ``full_index``
    keeps every note's links and times in its summary, not only the checked
    notes' (the audit's link graph needs them).
    """
    global _WORKER
    ctx = Context(settings)
    wanted = {f.fspath for f in targets}
    files = list({f.fspath: f for f in [*targets, *vault_files]}.values())
    if cache is None and not (jobs > 1 and len(files) >= _PARALLEL_MIN):
        # one process, no cache: no need to turn results into plain data and back
        results = []
        for n, f in enumerate(files, 1):
            results.append(lint_file(f, settings, ctx, checked=f.fspath in wanted))
            if progress is not None and (n % 50 == 0 or n == len(files)):
                progress(n, len(files))
        return finish(results, settings, ctx)
    entries: list[tuple | None] = [None] * len(files)
    blobs: dict[int, bytes] = {}  # details of the notes linted in this run
    todo: list[int] = []
    known: list[bytes | None] = []
    stats: list[os.stat_result | None] = []
    for i, f in enumerate(files):
        try:
            st = None if f.problem is not None else os.stat(f.fspath)
        except OSError:
            st = None
        stats.append(st)
        hit, dig = cache.lookup(f.rel, st) if cache is not None else (None, None)
        if hit is not None:
            entries[i] = hit
        else:
            todo.append(i)
            known.append(dig)
    if todo:
        batch = [(files[i], k) for i, k in zip(todo, known)]
        if jobs > 1 and len(batch) >= _PARALLEL_MIN:
            done = _run_parallel(batch, settings, jobs, progress)
        else:
            _WORKER = (settings, ctx)
            done = []
            for start in range(0, len(batch), 50):
                done.extend(_lint_batch(batch[start : start + 50]))
                if progress is not None:
                    progress(len(done), len(batch))
        for i, (dig, payload) in zip(todo, done):
            rel = files[i].rel
            if payload is None:  # same content as cached, only the mtime moved
                old = cache.entries[rel]
                payload = (old[3], cache.detail(rel) or b"", old[4])
            index, blob, has_details = payload
            blobs[i] = blob
            if cache is not None:
                entries[i] = cache.store(rel, stats[i], dig, index, blob, has_details)
            else:
                entries[i] = (-1, -1, dig, index, has_details)
    state = None
    stored = None
    if cache is not None:
        h = hashlib.blake2b(digest_size=16)
        for f, entry in sorted(zip(files, entries), key=lambda fe: fe[0].rel):
            h.update(f"{f.rel}\0{int(f.fspath in wanted)}\0".encode())
            h.update(entry[2])
        state = h.digest()
        stored = cache.vault_findings(state)
    results = []
    for i, (f, entry) in enumerate(zip(files, entries)):
        checked = f.fspath in wanted
        # details are needed for checked notes: all of them when the vault rules run,
        # only those with findings or suppressions when the vault findings are reused
        need = full_index or (checked and (stored is None or entry[4]))
        blob = (blobs[i] if i in blobs else cache.detail(f.rel)) if need else None
        try:
            if need and blob is None:
                raise KeyError(f.rel)
            results.append(from_payload(f, entry[3], blob, checked))
        except (TypeError, ValueError, KeyError, IndexError, EOFError):  # a corrupt cache entry: lint again
            results.append(lint_file(f, settings, ctx, checked=checked))
            if cache is not None:
                cache.forget(f.rel)
    run = finish(results, settings, ctx, vault_findings=_vault_from_cache(stored, results) if stored is not None else None)
    if cache is not None:
        if stored is None:
            cache.remember_vault(state, run.vault_state)
        if len(vault_files) >= len(files) - len(targets):
            cache.prune({f.rel for f in files})
        cache.save()
    return run


def _vault_from_cache(stored: dict, results: list[NoteResult]) -> dict[str, list[Finding]]:
    by_rel = {r.file.rel: r.file.display for r in results}
    out: dict[str, list[Finding]] = {}
    for rel, items in stored.items():
        display = by_rel.get(rel)
        if display is None:
            continue
        out[display] = [
            Finding(c, sev, display, line, col, msg, el, ec, _fix_of(fix), o, eo) for c, sev, line, col, msg, el, ec, o, eo, fix in items
        ]
    return out


_PARALLEL_MIN = 200


def _run_parallel(batch: list, settings: Settings, jobs: int, progress=None) -> list:
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
            if progress is not None:
                progress(len(out), len(batch))
    return out


def check_text(file: NoteFile, data: bytes, vault_files: list[NoteFile], settings: Settings) -> RunResult:
    """Check ``data`` as the note ``file`` (``--stdin-filename``): it stands in for the file on disk."""
    ctx = Context(settings)
    results = [lint_text(file, data, settings, ctx)]
    results += [lint_file(f, settings, ctx, checked=False) for f in vault_files if f.rel != file.rel]
    return finish(results, settings, ctx)


__all__ = ["Context", "NoteResult", "RunResult", "check", "check_text", "finish", "lint_file", "lint_text", "finding"]
