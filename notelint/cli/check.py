"""``notelint check``: configuration, the notes to check, the run (batch, one note from
standard input, changed files, fixes), and the report."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import nullcontext
from pathlib import Path

from ..config import Overrides, load_settings
from ..daemon.client import MAX_NAMED
from ..discover import discover, walk
from ..errors import ConfigError
from ..report import render_chunks
from ..report.escape import visible
from ..run import check
from .stderr import error_line


def cmd_check(args) -> int:
    collect_less_often()
    if args.watch:
        from .watch import watch

        return watch(_settings(args, Path.cwd()), lambda: run_check(args))
    return run_check(args)


def collect_less_often() -> None:
    """The cyclic garbage collector, every 100,000 allocations instead of 700 (as mypy does): a
    run makes millions of objects that live to its end, and the default thresholds scan them
    over and over (about a tenth of a cold run's CPU on a real vault). Worker processes
    inherit it. Memory is the same within a few MB: the notes' objects make few cycles."""
    import gc

    gc.set_threshold(100_000, 50, 100)


def run_check(args) -> int:
    """``notelint check``; in a daemon (``args.resident``: its open vault) the vault is not
    walked or opened: the resident one, up to date, is used."""
    started = time.perf_counter()
    resident = getattr(args, "resident", None)
    cwd = Path.cwd()
    settings = _settings(args, cwd)
    if args.show_settings:
        from .settings_view import show_settings

        sys.stdout.write(show_settings(settings))
        return 0
    if args.verbose:
        from .settings_view import verbose_lines

        for line in verbose_lines(settings):
            error_line(line)
    vault_files = resident.files if resident is not None else walk(settings.vault, settings.vault, cwd, settings.exclusion)
    cache = None
    if resident is None and not args.no_cache and settings.cache_dir is not None:
        from ..cache import Cache

        cache = Cache(settings.cache_dir, f"{settings.vault}|{settings.fingerprint()}")
    jobs = args.jobs or os.cpu_count() or 1
    stdin_data: dict[str, bytes] = {}
    fixed = None
    if args.stdin_filename is not None:
        from ..discover import note_file
        from ..run import check_text

        file = note_file(args.stdin_filename, settings.vault, cwd)
        data = sys.stdin.buffer.read(settings.max_file_size + 1)  # bounded: more is NL001, not read
        if len(data) <= settings.max_file_size:
            stdin_data[file.display] = data
        result = check_text(file, data, vault_files, settings, cache=cache, jobs=jobs)
    elif args.changed_since is not None:
        from ..run.changed import check_changed

        result = check_changed(args.changed_since, vault_files, settings)
    else:
        paths = args.paths or [settings.vault]
        if len(paths) == 1 and paths[0].resolve() == settings.vault:
            targets = vault_files
        else:
            targets = discover(paths, settings.vault, cwd, settings.exclusion, force_exclude=settings.force_exclude)
        if args.show_files:
            sys.stdout.write("".join(f"{visible(f.display)}\n" for f in targets))
            return 0
        if args.fix or args.diff or args.fix_only:
            fixed, done = _fix(args, targets, settings, vault_files)
            if done is not None:
                return done
        result = _check(paths, targets, vault_files, settings, jobs, cache, _quiet(args),
                        None if args.add_noqa else report_key(args, cwd), resident)
        if args.add_noqa:
            from .noqa import add_noqa

            return add_noqa(result, quiet=_quiet(args))
    if cache is not None and cache.write_error:
        error_line(f"warning: {cache.write_error}; going on without it")
    if not args.silent:
        if resident is None:  # a resident vault's entries are the ones its next request files against
            result.release_index()
        _report(args, settings, result, stdin_data, cache)
    if fixed is not None and not args.silent:
        _print_fixed(args, fixed)
    if args.verbose:
        n = len(result.files)
        print(f"notelint: {n} note{'s' if n != 1 else ''} checked, {result.vault_size} in the vault, "
              f"in {time.perf_counter() - started:.2f} s", file=sys.stderr)
    if fixed is not None and fixed.failed:
        return 2  # a note could not be written: an error, whatever the findings
    if args.exit_zero:
        return 0
    return 1 if result.failed(settings.fail_level) else 0


def _quiet(args) -> bool:
    return args.quiet or args.silent


def _fix(args, targets, settings, vault_files):
    """Apply (or, with --diff, show) the fixes; the exit code when nothing else is to be done."""
    from ..fix import fix_files

    fixed = fix_files(targets, settings, unsafe=args.unsafe_fixes, write=not args.diff, vault_files=vault_files)
    for message in fixed.messages:
        error_line(message)
    if args.diff:
        return fixed, _print_diff(fixed, args.exit_zero)
    if args.fix_only:
        if not args.silent:
            _print_fixed(args, fixed, always=True)
        return fixed, 2 if fixed.failed else 0
    return fixed, None


def _print_fixed(args, fixed, always: bool = False) -> None:
    """The "Fixed N findings" line (with --show-fixes, the fixes by note and rule)."""
    # with a machine-readable format on standard output, it goes to standard error
    to_stdout = args.output_format in ("text", "concise", "grouped") and not args.output_file
    stream = sys.stdout if to_stdout else sys.stderr
    if args.show_fixes and fixed.count:
        from ..rules.selection import all_rules

        rules = all_rules()
        lines = [f"{_fixed_line(fixed)[:-1]}:"]
        for outcome in fixed.changed:
            lines.append(f"- {visible(outcome.display)}:")
            for code, n in sorted(outcome.fixed.items()):
                lines.append(f"    {n} × {code} ({rules[code].name if code in rules else ''})")
        print("\n".join(lines), file=stream)
    elif fixed.count:
        print(_fixed_line(fixed), file=stream)
    elif always and not _quiet(args):
        print("No fixes applied.", file=stream)


ONE_NOTE_PATH = MAX_NAMED  # up to this many notes named one by one: the workspace path (a daemon's)


def _check(paths: list[Path], targets, vault_files, settings, jobs: int, cache, quiet: bool = False,
           key: str | None = None, resident=None):
    """A batch run; or, for a few notes named one by one (pre-commit, an editor), the vault
    opened as a :class:`~notelint.run.Workspace` (every other note from the cache) and only
    those notes linted, with their links resolved against it. A batch run shows a progress
    bar when standard error is a terminal. A daemon's ``resident`` vault is the workspace,
    already open; the notes are put back as it had them afterwards."""
    if len(targets) <= ONE_NOTE_PATH and not any(p.is_dir() for p in paths):
        from ..run import Workspace

        named = {f.rel for f in targets}
        if resident is not None:
            workspace = resident.workspace
        else:
            workspace = Workspace.open(settings, [f for f in vault_files if f.rel not in named], cache=cache,
                                       jobs=jobs, details=False)
        for f in targets:
            workspace.reload(f, among=())  # which other notes it affects: not asked here
        result = workspace.run_result([f.rel for f in targets])
        if resident is not None:
            resident.put_back(named)
        else:
            workspace.keep_index_keys()
        return result
    if quiet:
        return check(targets, vault_files, settings, jobs=jobs, cache=cache, report_key=key)
    from .progress import progress_bar

    with progress_bar("checking") as progress:
        return check(targets, vault_files, settings, jobs=jobs, cache=cache, progress=progress, report_key=key)


def _display(args) -> tuple[bool, bool]:
    """(colour, source lines under findings), as standard output and the options decide."""
    tty = sys.stdout.isatty() and not args.output_file
    return use_color(args.color, tty), (args.show_source if args.show_source is not None else tty)


def report_key(args, cwd: Path) -> str:
    """Everything besides the findings that the report's bytes depend on: a replayed report
    (see ``check(report_key=...)``) is the one this run would render."""
    import json

    color, show_source = _display(args)
    options = {k: v for k, v in sorted(vars(args).items()) if k not in ("func", "argv", "resident")}
    return json.dumps([options, color, show_source, str(cwd)], default=str)


def _settings(args, cwd: Path):
    if args.stdin_filename is not None and (args.paths or args.changed_since):
        raise ConfigError("--stdin-filename takes no PATHS and no --changed-since")
    if args.changed_since is not None and args.paths:
        raise ConfigError("--changed-since takes no PATHS: it finds the changed notes of the vault itself")
    modes = [name for name, on in (("--fix-only", args.fix_only), ("--diff", args.diff), ("--add-noqa", args.add_noqa),
                                   ("--watch", args.watch)) if on]
    if len(modes) > 1:
        raise ConfigError(f"{modes[0]} and {modes[1]} cannot be used together")
    if args.add_noqa and (args.stdin_filename is not None or args.changed_since is not None):
        raise ConfigError("--add-noqa works on notes on disk: it takes no --stdin-filename or --changed-since")
    settings = load_settings(
        cwd,
        config_path=args.config,
        paths=args.paths or ([args.stdin_filename] if args.stdin_filename is not None else None),
        use_cache=not args.no_cache,
        overrides=overrides(args),
    )
    if args.fail_level:
        settings.fail_level = args.fail_level
    if not settings.vault.is_dir():
        raise ConfigError(f"vault folder {settings.vault} does not exist")
    return settings


def overrides(args) -> Overrides:
    """The configuration the command line overrides (``check`` and ``audit``)."""
    return Overrides(vault=args.vault, select=args.select, extend_select=args.extend_select, ignore=args.ignore,
                     exclude=args.exclude, extend_exclude=args.extend_exclude,
                     respect_gitignore=args.respect_gitignore, force_exclude=args.force_exclude)


def _report(args, settings, result, stdin_data: dict[str, bytes], cache=None) -> None:
    """Write the report (a replayed one, or rendered and kept in the cache for replay), chunk by
    chunk as it is rendered, to standard output or ``--output-file`` and to the cache: a whole
    vault's report is never held as one string or one tree of objects (tens of megabytes of
    text on a real vault; its SARIF as objects took 680 MB)."""
    keep = None
    if result.replay is not None:
        chunks: Iterable[str] = _pieces(result.replay[0])
    else:
        chunks = _render(args, settings, result, stdin_data)
        if cache is not None and result.state is not None:
            keep = cache.report_writer(result.state, report_key(args, Path.cwd()), result.stamp)
    try:
        if args.output_file:
            from ..atomic import report_writer

            target = report_writer(args.output_file)
        else:
            machine = args.output_format not in ("text", "concise", "grouped")
            target = nullcontext(lambda chunk: _write_stdout(chunk, machine=machine))
        with target as write:
            for chunk in chunks:
                write(chunk)
                if keep is not None:
                    keep.write(chunk.encode("utf-8", "surrogatepass"))
        if keep is not None:
            keep.finish(result.worst())
    finally:
        if keep is not None:
            keep.close()  # removed unless it was put in place


def _pieces(text, size: int = 1 << 20) -> Iterator[str]:
    """A stored report's text (bytes or a view of them) decoded a megabyte or so at a time, cut
    after a line break (never inside a character)."""
    view = memoryview(text)
    start = 0
    while start < len(view):
        end = min(start + size, len(view))
        if end < len(view):
            cut = bytes(view[end - 1 : min(end + size, len(view))]).find(b"\n")
            end = len(view) if cut < 0 else end + cut
        yield str(view[start:end], "utf-8", "surrogatepass")
        start = end


def _render(args, settings, result, stdin_data: dict[str, bytes]) -> Iterator[str]:
    from ..rules.docs import rule_meta
    from ..rules.selection import all_rules

    color, show_source = _display(args)
    rules = all_rules()
    options = {}
    if args.output_format == "sarif":
        options["rule_meta"] = {c: rule_meta(r) for c, r in rules.items()}
    sources = _Sources(result, settings.max_file_size, stdin_data)
    return render_chunks(
        "text" if args.statistics and args.output_format in ("text", "concise", "grouped") else args.output_format,
        result,
        show_source=show_source,
        color=color,
        statistics=args.statistics,
        rule_names={c: r.name for c, r in rules.items()},
        source_lines=sources.display,
        raw_lines=sources.line,
        unsafe_fixes=args.unsafe_fixes,
        summary=not args.quiet,
        position=sources.position,
        **options,
    )


def use_color(choice: str, tty: bool) -> bool:
    """``--color``: always, never, or auto: on a terminal, and where ``FORCE_COLOR`` is set
    (not empty) even off one; ``NO_COLOR`` (not empty) wins over both, as in CPython."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    return tty or bool(os.environ.get("FORCE_COLOR"))


def _fixed_line(fixed) -> str:
    n, m = fixed.count, len(fixed.changed)
    return f"Fixed {n} finding{'s' if n != 1 else ''} in {m} note{'s' if m != 1 else ''}."


def _print_diff(fixed, exit_zero: bool) -> int:
    from ..fix import unified_diff

    for outcome in fixed.changed:
        sys.stdout.write(unified_diff(outcome))
    if fixed.changed:
        n, m = fixed.count, len(fixed.changed)
        print(f"Would fix {n} finding{'s' if n != 1 else ''} in {m} note{'s' if m != 1 else ''}.", file=sys.stderr)
        return 0 if exit_zero else 1
    print("No fixes to apply.", file=sys.stderr)
    return 0


# C0 controls but tab, DEL, C1 controls, line/paragraph separators and bidirectional controls:
# shown as U+FFFD (one character for one, so the caret still lines up), never sent to the terminal
_CONTROLS = {c: "\ufffd" for c in [*range(0x00, 0x09), *range(0x0A, 0x20), *range(0x7F, 0xA0), 0x061C, 0x200E,
                                    0x200F, 0x2028, 0x2029, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]}


def _write_stdout(text: str, machine: bool) -> None:
    """Write the report whatever standard output's encoding (an ASCII or Latin-1 terminal,
    a file name that is not UTF-8): machine formats as UTF-8, text with escapes where needed."""
    buffer = getattr(sys.stdout, "buffer", None)
    if machine and buffer is not None:
        sys.stdout.flush()
        buffer.write(text.encode("utf-8", "backslashreplace"))  # JSON reads \udcXX as an escape
        buffer.flush()
        return
    try:
        sys.stdout.write(text)
    except UnicodeEncodeError:  # raised before anything is written
        encoding = sys.stdout.encoding or "utf-8"
        sys.stdout.write(text.encode(encoding, "backslashreplace").decode(encoding, "replace"))


class _Sources:
    """The lines of the notes reported on, read when a reporter asks, as the checker reads
    notes: never a file it refused (a link out of the vault, too large), never one that is
    not UTF-8 text. ``overrides``: bytes given on standard input."""

    def __init__(self, result, max_size: int, overrides: dict[str, bytes] | None = None):
        self.result = result
        self.max_size = max_size
        self.overrides = overrides or {}
        self.cache: dict[str, list[str]] = {}
        self.data: dict[str, bytes | None] = {}
        self.starts: dict[str, list[int]] = {}

    def position(self, path: str, offset: int) -> tuple[int, int] | None:
        """The 1-based line and column (in characters) of byte ``offset`` of a note (a fix's edit)."""
        import bisect
        import re

        self._load(path)
        data = self.data.get(path)
        if data is None or not 0 <= offset <= len(data):
            return None
        if path not in self.starts:
            self.starts[path] = [0, *(m.end() for m in re.finditer(rb"\r\n|\r|\n", data))]
        starts = self.starts[path]
        line = bisect.bisect_right(starts, offset) - 1
        return line + 1, len(data[starts[line]:offset].decode("utf-8", "replace")) + 1

    def line(self, path: str, line: int) -> str | None:
        """Line ``line`` (1-based) of the note reported as ``path``, as in the file."""
        lines = self._load(path)
        return lines[line - 1] if 0 < line <= len(lines) else None

    def display(self, path: str, line: int) -> str | None:
        """The line for a terminal: control characters shown as U+FFFD; tabs kept, so that
        the caret line, which copies them, lines up in any tab width."""
        text = self.line(path, line)
        return None if text is None else text.translate(_CONTROLS)

    KEPT = 16  # notes whose lines are kept: reporters read the findings in path order

    def _load(self, path: str) -> list[str]:
        lines = self.cache.get(path)
        if lines is None:
            while len(self.cache) >= self.KEPT:  # the note read longest ago goes (a real vault's
                old = next(iter(self.cache))  # reported notes' lines were 60 MB held at once)
                del self.cache[old]
                self.data.pop(old, None)
                self.starts.pop(old, None)
            lines = self.cache[path] = self._read(path)
        return lines

    def _read(self, path: str) -> list[str]:
        import re

        from ..parse import decode_problem
        from ..run import read_note

        data = self.overrides.get(path)
        if data is None:
            res = self.result.results.get(path)
            if res is None:
                return []
            data = res.text if res.text is not None else read_note(res.file, self.max_size)[0]
        if data is not None and data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        if data is None or decode_problem(data) is not None:
            return []
        self.data[path] = data
        return re.split(r"\r\n|\r|\n", data.decode("utf-8"))
