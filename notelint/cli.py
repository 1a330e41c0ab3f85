"""Command line: ``notelint check|audit|rule|rules|schema``.

Exit codes: 0 no findings at or above the fail level, 1 findings, 2 usage,
configuration or internal error. Errors are one line on standard error,
never a traceback (set ``NOTELINT_DEBUG=1`` to see one).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import __version__

FORMATS = ("text", "concise", "json", "sarif", "github", "junit", "gitlab")


def _jobs(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
    if n < 0:
        raise argparse.ArgumentTypeError("must be 0 (all cores) or more")
    return n


def _codes(value: str) -> list[str]:
    return [c.strip() for c in value.split(",") if c.strip()]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, exit 2
        self.exit(2, f"notelint: error: {message}\n")


def _add_config_options(parser: argparse.ArgumentParser) -> None:
    """The options ``check`` and ``audit`` share: where the configuration and vault are, which rules run."""
    parser.add_argument("--config", type=Path, help="configuration file (default: found by walking up)")
    parser.add_argument("--vault", type=Path, help="the vault root that links resolve against")
    parser.add_argument("--select", type=_codes, help="comma-separated rule codes or prefixes to enable")
    parser.add_argument("--extend-select", type=_codes, default=[], help="codes or prefixes to enable in addition")
    parser.add_argument("--ignore", type=_codes, default=[], help="codes or prefixes to disable")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="notelint", description="Lint Markdown video notes: timestamps, citations, wiki-links.")
    parser.add_argument("--version", action="version", version=f"notelint {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    check = sub.add_parser("check", help="check notes (default: the configured vault, else notes/)")
    check.add_argument("paths", nargs="*", type=Path, help="files or folders to check")
    _add_config_options(check)
    check.add_argument("--output-format", choices=FORMATS, default="text")
    check.add_argument("--show-source", action=argparse.BooleanOptionalAction, default=None,
                       help="show the source line under each finding (default: on a terminal)")
    check.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    check.add_argument("--statistics", action="store_true", help="count findings per rule")
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    check.add_argument("--fail-level", choices=("error", "warning", "info"), help="lowest severity that fails")
    check.add_argument("--no-cache", action="store_true", help="do not read or write the cache")
    check.add_argument("--jobs", "-j", type=_jobs, default=0, help="worker processes (default: all cores)")
    check.add_argument("--output-file", type=Path, help="write the report to this file")
    check.add_argument("--fix", action="store_true", help="apply the safe fixes, then report what is left")
    check.add_argument("--unsafe-fixes", action="store_true", help="with --fix or --diff: apply the unsafe fixes too")
    check.add_argument("--diff", action="store_true",
                       help="print a unified diff of what --fix would change; change nothing (exit 1 if there is any)")
    check.add_argument("--changed-since", metavar="REV",
                       help="check the notes changed since git revision REV (merge base with HEAD), and the "
                            "unchanged notes whose links the change broke")
    check.add_argument("--stdin-filename", metavar="PATH", type=Path,
                       help="read the note from standard input; report it as PATH, resolve its links against "
                            "the vault around PATH")

    audit = sub.add_parser("audit", help="audit a vault: coverage, findings, wanted notes (HTML, JSON, Markdown)")
    audit.add_argument("paths", nargs="*", type=Path, help="files or folders to audit (default: the vault)")
    _add_config_options(audit)
    audit.add_argument("--html", type=Path, metavar="FILE", help="write the HTML report (one self-contained file)")
    audit.add_argument("--json", type=Path, metavar="FILE", help="write the audit JSON (schemas/audit.schema.json)")
    audit.add_argument("--markdown", type=Path, metavar="FILE", help="write the Markdown summary")
    audit.add_argument("--baseline", type=Path, metavar="FILE", help="a previous audit JSON: report the trend")

    rule = sub.add_parser("rule", help="show a rule's documentation")
    rule.add_argument("code")
    rules = sub.add_parser("rules", help="list every rule")
    rules.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    schema = sub.add_parser("schema", help="print the JSON Schema of the front matter model")
    schema.add_argument("which", nargs="?", default="note", choices=("note", "report"))
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        return _COMMANDS[args.command](args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # noqa: BLE001 - the last line of defence: no traceback
        from .config import ConfigError
        from .discover import DiscoveryError

        if isinstance(exc, (ConfigError, DiscoveryError)):
            print(f"notelint: error: {exc}", file=sys.stderr)
            return 2
        if os.environ.get("NOTELINT_DEBUG"):
            raise
        print(f"notelint: internal error: {type(exc).__name__}: {exc} (set NOTELINT_DEBUG=1 for details)", file=sys.stderr)
        return 2


def cmd_check(args) -> int:
    from .checker import check
    from .config import load_settings
    from .discover import discover, walk
    from .report import render

    from .config import ConfigError

    cwd = Path.cwd()
    if args.stdin_filename is not None and (args.paths or args.changed_since):
        raise ConfigError("--stdin-filename takes no PATHS and no --changed-since")
    if args.changed_since is not None and args.paths:
        raise ConfigError("--changed-since takes no PATHS: it finds the changed notes of the vault itself")
    settings = load_settings(
        cwd,
        config_path=args.config,
        vault=args.vault,
        select=args.select,
        extend_select=args.extend_select,
        ignore=args.ignore,
        paths=args.paths or ([args.stdin_filename] if args.stdin_filename is not None else None),
        use_cache=not args.no_cache,
    )
    if args.fail_level:
        settings.fail_level = args.fail_level
    if not settings.vault.is_dir():
        raise ConfigError(f"vault folder {settings.vault} does not exist")
    vault_files = walk(settings.vault, settings.vault, cwd, settings.exclude)
    stdin_data: dict[str, bytes] = {}
    fixed = None
    cache = None
    if not args.no_cache and settings.cache_dir is not None and args.stdin_filename is None:
        from .cache import Cache

        cache = Cache(settings.cache_dir, f"{settings.vault}|{settings.fingerprint()}")
    jobs = args.jobs or os.cpu_count() or 1
    if args.stdin_filename is not None:
        from .checker import check_text
        from .discover import note_file

        file = note_file(args.stdin_filename, settings.vault, cwd)
        stdin_data[file.display] = sys.stdin.buffer.read()
        result = check_text(file, stdin_data[file.display], vault_files, settings)
    elif args.changed_since is not None:
        from .changed import check_changed

        result = check_changed(args.changed_since, vault_files, settings)
    else:
        paths = args.paths or [settings.vault]
        if len(paths) == 1 and paths[0].resolve() == settings.vault:
            targets = vault_files
        else:
            targets = discover(paths, settings.vault, cwd, settings.exclude)
        if args.fix or args.diff:
            from .fix import fix_files

            fixed = fix_files(targets, settings, unsafe=args.unsafe_fixes, write=not args.diff, vault_files=vault_files)
            for message in fixed.messages:
                print(f"notelint: {message}", file=sys.stderr)
            if args.diff:
                return _print_diff(fixed, args.exit_zero)
        result = check(targets, vault_files, settings, jobs=jobs, cache=cache)

    tty = sys.stdout.isatty()
    color = args.color == "always" or (args.color == "auto" and tty and not os.environ.get("NO_COLOR"))
    show_source = args.show_source if args.show_source is not None else tty
    from .rules.registry import RULES

    options = {}
    if args.output_format == "sarif":
        options["rule_meta"] = {
            c: {"name": r.name, "summary": r.summary, "doc": r.doc, "severity": r.severity,
                "default": r.default, "fix": r.fix, "family": r.family}
            for c, r in RULES.items()
        }
    sources = _Sources(result, settings.max_file_size, stdin_data)
    text = render(
        "text" if args.statistics and args.output_format in ("text", "concise") else args.output_format,
        result,
        show_source=show_source,
        color=color,
        statistics=args.statistics,
        rule_names={c: r.name for c, r in RULES.items()},
        source_lines=sources.display,
        raw_lines=sources.line,
        unsafe_fixes=args.unsafe_fixes,
        **options,
    )
    if args.output_file:
        args.output_file.write_text(text, encoding="utf-8", errors="backslashreplace")
    else:
        _write_stdout(text, machine=args.output_format not in ("text", "concise"))
    if fixed is not None and fixed.count:
        # with a machine-readable format on standard output, the tally goes to standard error
        to_stdout = args.output_format in ("text", "concise") and not args.output_file
        print(_fixed_line(fixed), file=sys.stdout if to_stdout else sys.stderr)
    if args.exit_zero:
        return 0
    return 1 if result.failed(settings.fail_level) else 0


def _fixed_line(fixed) -> str:
    n, m = fixed.count, len(fixed.changed)
    return f"Fixed {n} finding{'s' if n != 1 else ''} in {m} note{'s' if m != 1 else ''}."


def _print_diff(fixed, exit_zero: bool) -> int:
    from .fix import unified_diff

    for outcome in fixed.changed:
        sys.stdout.write(unified_diff(outcome))
    if fixed.changed:
        n, m = fixed.count, len(fixed.changed)
        print(f"Would fix {n} finding{'s' if n != 1 else ''} in {m} note{'s' if m != 1 else ''}.", file=sys.stderr)
        return 0 if exit_zero else 1
    print("No fixes to apply.", file=sys.stderr)
    return 0


# C0 controls but tab, DEL and C1 controls: shown as U+FFFD, never sent to the terminal
_CONTROLS = {c: "\ufffd" for c in [*range(0x00, 0x09), *range(0x0A, 0x20), *range(0x7F, 0xA0)]}


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

    def line(self, path: str, line: int) -> str | None:
        """Line ``line`` (1-based) of the note reported as ``path``, as in the file."""
        if path not in self.cache:
            self.cache[path] = self._read(path)
        lines = self.cache[path]
        return lines[line - 1] if 0 < line <= len(lines) else None

    def display(self, path: str, line: int) -> str | None:
        """The line for a terminal: control characters shown as U+FFFD; tabs kept, so that
        the caret line, which copies them, lines up in any tab width."""
        text = self.line(path, line)
        return None if text is None else text.translate(_CONTROLS)

    def _read(self, path: str) -> list[str]:
        import re

        from .checker import read_note
        from .parse import decode_problem

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
        return re.split(r"\r\n|\r|\n", data.decode("utf-8"))


def cmd_audit(args) -> int:
    from .audit import AuditError, run

    try:
        return run(args)
    except AuditError as exc:
        print(f"notelint: error: {exc}", file=sys.stderr)
        return 2


def cmd_rule(args) -> int:
    from .rules.registry import all_rules

    rules = all_rules()
    code = args.code.upper()
    if code not in rules:
        print(f"notelint: error: unknown rule code '{args.code}'", file=sys.stderr)
        return 2
    sys.stdout.write(rule_page(rules[code]))
    return 0


def rule_page(r) -> str:
    fix = {"safe": "Fix: safe (applied by --fix)", "unsafe": "Fix: unsafe (--unsafe-fixes)", None: "Fix: none"}[r.fix]
    default = "" if r.default else " (off by default)"
    head = f"# {r.code} {r.name}\n\nSeverity: {r.severity}{default}. {fix}.\n\n"
    return head + r.doc + "\n"


def cmd_rules(args) -> int:
    from .rules.registry import all_rules

    rules = all_rules()
    if args.format == "json":
        import json

        sys.stdout.write(json.dumps([
            {"code": r.code, "name": r.name, "severity": r.severity, "fix": r.fix, "default": r.default,
             "summary": r.summary, "family": r.family}
            for r in rules.values()
        ], indent=2) + "\n")
    elif args.format == "markdown":
        sys.stdout.write(rules_table(rules))
    else:
        for r in rules.values():
            fix = "[*]" if r.fix else "   "
            off = " (off by default)" if not r.default else ""
            sys.stdout.write(f"{r.code}  {r.severity:<7} {fix} {r.name}: {r.summary}{off}\n")
    return 0


def rules_table(rules) -> str:
    """The README's rule table, generated from the registry."""
    lines = ["| code | name | severity | fix | what |", "| --- | --- | --- | --- | --- |"]
    for r in rules.values():
        sev = r.severity + ("" if r.default else " (off by default)")
        what = r.summary.replace("|", "\\|")
        lines.append(f"| {r.code} | {r.name} | {sev} | {r.fix or ''} | {what} |")
    return "\n".join(lines) + "\n"


def cmd_schema(args) -> int:
    import json

    from .schema import generated

    name = {"note": "note.schema.json", "report": "report.schema.json"}[args.which]
    sys.stdout.write(json.dumps(generated()[name], indent=2, ensure_ascii=False) + "\n")
    return 0


_COMMANDS = {"check": cmd_check, "audit": cmd_audit, "rule": cmd_rule, "rules": cmd_rules, "schema": cmd_schema}
