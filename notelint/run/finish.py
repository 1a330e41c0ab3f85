"""After the per-note rules: the vault rules, the placing of their findings, suppressions.

Three stages over the per-note results, in this order:

1. the vault rules (scope ``VAULT``) over the vault index, reporting on the
   checked notes; their findings carry byte offsets, and are *placed* (line,
   column, the note's display path) by reading the note once more;
2. findings another rule's finding replaces at the same offset dropped
   (``supersedes`` in :func:`~notelint.rules.registry.rule`); per-file
   ignores and suppression comments, applied to every finding;
3. the suppression rules (scope ``SUPPRESSIONS``: SP001), which read what
   each directive suppressed.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Sequence

from ..document import Note
from ..findings import Finding
from ..rules.registry import RULES, SUPPRESSIONS, VAULT, Rule, RuleContext, superseded
from ..rules.selection import all_rules
from ..rules.suppression import apply_directives
from ..vault import IndexEntry, VaultIndex, make_resolver
from .lint import BOM, read_note
from .payload import finding_from_plain, finding_to_plain
from .result import NoteResult, RunResult
from .workers import parts_of, start_map, stop_pool


def build_index(results: Sequence[NoteResult], ctx: RuleContext, known_keys: dict | None = None) -> VaultIndex:
    return VaultIndex([r.entry for r in results], make_resolver(ctx.settings), known_keys)


CHUNK = 2000  # notes the by-note vault rules read together, sharing their links' resolutions
RESOLUTIONS = 50_000  # resolutions kept past a chunk: more are forgotten (a large vault's memory)


def run_vault_rules(index: VaultIndex, ctx: RuleContext, checked: Sequence[IndexEntry],
                    link_rules: bool = True) -> dict[str, list[Finding]]:
    """The vault rules' findings (unplaced: path is the note's vault path), by vault path, each
    note's in the order of the rules' codes. The by-note rules (the link rules) run on a chunk
    of notes at a time, so that the resolutions they share stay bounded (not at all without
    ``link_rules``: forked workers run them)."""
    rules = _vault_rule_list(ctx)
    out: dict[str, list[Finding]] = {}
    for r in rules:
        if not r.by_note:
            for f in r.check(index, ctx, checked):
                out.setdefault(f.path, []).append(f)
    if not link_rules:
        return out
    by_note = [r for r in rules if r.by_note]
    for i in range(0, len(checked) if by_note else 0, CHUNK):
        chunk = checked[i:i + CHUNK]
        for r in by_note:
            for f in r.check(index, ctx, chunk):
                out.setdefault(f.path, []).append(f)
        index.bound_resolutions(RESOLUTIONS)
    _in_rule_order(out, rules)
    return out


def _vault_rule_list(ctx: RuleContext) -> list[Rule]:
    """The selected vault rules, in the order of their codes."""
    all_rules()
    return [RULES[code] for code in sorted(ctx.settings.selected) if RULES[code].scope is VAULT]


def _in_rule_order(found: dict[str, list[Finding]], rules: list[Rule]) -> None:
    """Each note's findings in the order of the rules' codes, when the by-note rules' came
    after the others' (stable: each rule's own order kept)."""
    if any(r.by_note for r in rules) and not all(r.by_note for r in rules):
        rank = {r.code: n for n, r in enumerate(rules)}
        for of_note in found.values():
            of_note.sort(key=lambda f: rank[f.code])


PARALLEL_MIN = 2 * CHUNK  # fewer checked notes: the vault rules run in this process


def _vault_rules(index: VaultIndex, ctx: RuleContext, results: list[NoteResult], by_rel: dict[str, NoteResult],
                 jobs: int) -> dict[str, list[Finding]]:
    """The placed vault findings of the checked notes; with ``jobs`` > 1 and enough notes, the
    by-note rules run in forked workers, a chunk each at a time, while this process runs the
    others: the same findings, in the same order, as :func:`run_vault_rules`."""
    checked = [r.entry for r in results if r.checked]
    max_size = ctx.settings.max_file_size
    if jobs < 2 or len(checked) < PARALLEL_MIN:
        found = run_vault_rules(index, ctx, checked)
        for rel, fs in found.items():
            place(by_rel[rel], fs, max_size)
        return found
    global _FORKED
    rules = _vault_rule_list(ctx)
    _FORKED = (index, ctx, checked, by_rel, [r for r in rules if r.by_note])
    try:
        pool, parts = start_map(_by_note_chunk, range(0, len(checked), CHUNK), jobs)
    finally:
        _FORKED = None  # the workers have it: forked with it
    try:
        out = run_vault_rules(index, ctx, checked, link_rules=False)
        for rel, fs in out.items():
            place(by_rel[rel], fs, max_size)
    except BaseException:
        stop_pool(pool)
        raise

    for part in parts_of(pool, parts):
        for rel, plain in part:
            display = by_rel[rel].file.display
            out.setdefault(rel, []).extend(finding_from_plain(t, display) for t in plain)
    _in_rule_order(out, rules)
    return out


_FORKED = None  # (index, context, checked entries, results by vault path, by-note rules) for the workers


def _by_note_chunk(start: int) -> list[tuple[str, tuple]]:
    """In a forked worker: the by-note rules' placed findings on the chunk of checked notes from
    ``start``, as plain data by vault path."""
    index, ctx, checked, by_rel, by_note = _FORKED
    found: dict[str, list[Finding]] = {}
    for r in by_note:
        for f in r.check(index, ctx, checked[start:start + CHUNK]):
            found.setdefault(f.path, []).append(f)
    index.bound_resolutions(RESOLUTIONS)
    for rel, fs in found.items():
        place(by_rel[rel], fs, ctx.settings.max_file_size)
    return [(rel, tuple(finding_to_plain(f) for f in fs)) for rel, fs in found.items()]


def place(res: NoteResult, findings: list[Finding], max_size: int) -> None:
    """Give vault findings their note's display path, lines and columns (re-reading the note)."""
    data = res.text if res.text is not None else (read_note(res.file, max_size)[0] or b"")
    note = Note(path=res.file.display, rel=res.file.rel, raw=data[3:] if data.startswith(BOM) else data)
    last = max(len(note.raw) - 1, 0)  # a note edited since it was linted may be shorter now
    for f in findings:
        f.path = res.file.display
        start = min(f.offset, last)
        f.line, f.col = note.position(start)
        f.end_line, f.end_col = note.position(max(f.end_offset, start))


def vault_state(found: dict[str, list[Finding]]) -> dict[str, tuple]:
    """Placed vault findings as plain data by vault path, for the cache."""
    return {rel: tuple(finding_to_plain(f) for f in fs) for rel, fs in found.items()}


def vault_from_state(state: dict, results: dict[str, NoteResult]) -> dict[str, list[Finding]]:
    out: dict[str, list[Finding]] = {}
    for rel, items in state.items():
        res = results.get(rel)
        if res is not None:
            out[rel] = [finding_from_plain(t, res.file.display) for t in items]
    return out


def finish(
    results: list[NoteResult],
    ctx: RuleContext,
    stored: dict | None = None,
    index: VaultIndex | None = None,
    known_keys: dict | None = None,
    keep_state: bool = False,
    jobs: int = 1,
    reused: Container[str] = (),
    concerned: Callable[[VaultIndex], set[str]] | None = None,
) -> RunResult:
    """Vault rules, suppressions and SP001. The checked notes in ``reused`` take their vault
    findings from ``stored`` (the last run's, still holding: see :mod:`notelint.run.reuse`),
    but those ``concerned`` names, given the index; the vault rules run on the others.
    ``known_keys``: see :class:`~notelint.vault.index.VaultIndex`. ``keep_state``: the vault
    findings as plain data too (``RunResult.vault_state``, for the cache). ``jobs``: worker
    processes the link rules may run in, on a large vault."""
    by_rel = {r.file.rel: r for r in results}
    if concerned is not None:  # more notes whose stored findings no longer hold, read off the index
        index = index if index is not None else build_index(results, ctx, known_keys)
        reused = set(reused) - concerned(index)  # type: ignore[call-overload]
    kept = {rel: found for rel, found in stored.items() if rel in reused and rel in by_rel} if stored else {}
    vault_found = vault_from_state(kept, by_rel)
    to_run = [r for r in results if r.checked and r.file.rel not in reused]
    fresh: dict[str, list[Finding]] = {}
    if stored is None or to_run:
        index = index if index is not None else build_index(results, ctx, known_keys)
        fresh = _vault_rules(index, ctx, to_run, by_rel, jobs)
        vault_found.update(fresh)
    out: list[Finding] = []
    checked = [r for r in results if r.checked]
    for res in checked:
        out.extend(suppress(res, vault_found.get(res.file.rel, ()), ctx))
    out.sort(key=Finding.sort_key)
    return RunResult(out, [r.file.display for r in checked], len(results),
                     {r.file.display: r for r in results}, {**kept, **vault_state(fresh)} if keep_state else {}, index)


def suppress(res: NoteResult, vault_found: Sequence[Finding], ctx: RuleContext) -> list[Finding]:
    """A checked note's findings after per-file ignores, suppression comments and SP001."""
    settings = ctx.settings
    ignored = settings.ignored_for(res.file.rel)
    for d in res.directives:
        d.used.clear()  # what each directive suppresses is decided anew on every pass
    extra = [f for f in vault_found if f.code not in ignored]
    # a finding another one replaces (a TR past-the-end finding replaces TS005 and TS007 on
    # its citation) is dropped before the suppression comments see it
    findings = apply_directives(superseded([*res.findings, *extra]), res.directives)
    if res.directives:
        for code in sorted(settings.selected - ignored):
            r = RULES[code]
            if r.scope is SUPPRESSIONS:
                findings.extend(r.check(res.directives, ctx, res.file.display))
    return findings
