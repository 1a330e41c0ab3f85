"""Command line: ``notelint check|audit|rule|rules|schema|server|daemon``.

Exit codes: 0 no findings at or above the fail level, 1 findings, 2 usage,
configuration, write or internal error, 130 interrupted (Ctrl-C), 143 terminated
(SIGTERM). Errors are one line on standard error,
never a traceback (set ``NOTELINT_DEBUG=1`` to see one).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path

from .. import __version__
from .stderr import error_line

FORMATS = ("text", "concise", "grouped", "json", "json-lines", "sarif", "github", "junit", "gitlab")

EXIT_CODES = """exit codes:
  0  no findings at or above the fail level (or --exit-zero, --fix-only)
  1  findings at or above the fail level (warning by default)
  2  usage, configuration or internal error (one line on standard error)"""

CHECK_EXAMPLES = """examples:
  notelint check                                 the configured vault, else notes/
  notelint check notes/a.md                      one note; its links resolve against the whole vault
  notelint check --select uncited-claim,WL       rules by name, code or prefix
  notelint check --fix --show-fixes              apply the safe fixes and list them
  notelint check --add-noqa                      suppress today's findings (adopting notelint)
  notelint check --watch                         check again on every change
  notelint check --changed-since origin/main --output-format github
  notelint check --force-exclude $STAGED         what pre-commit runs: excluded notes stay out
"""


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


class _Formatter(argparse.RawDescriptionHelpFormatter):
    def __init__(self, prog: str) -> None:
        super().__init__(prog, max_help_position=34, width=100)


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str):  # one line, exit 2; "did you mean" for a mistyped option
        self.exit(2, f"notelint: error: {message}{suggest_option(self, message)}\n")


def suggest_option(parser: argparse.ArgumentParser, message: str) -> str:
    """" (did you mean '--select'?)" when ``message`` is argparse's "unrecognized arguments"."""
    import difflib
    import re

    m = re.match(r"unrecognized arguments: (\S+)", message)
    if not m or not m.group(1).startswith("-"):
        return ""
    word = m.group(1).split("=", 1)[0]
    options = [o for action in parser._actions for o in action.option_strings]
    for action in parser._actions:  # the subcommand's own options, when the error is the top parser's
        if isinstance(action, argparse._SubParsersAction):
            options += [o for sub in action.choices.values() for a in sub._actions for o in a.option_strings]
    close = difflib.get_close_matches(word, sorted(set(options)), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _add_config_options(parser: argparse.ArgumentParser) -> None:
    """The options ``check`` and ``audit`` share: where the configuration and vault are, which
    rules run, which files are read."""
    rules = parser.add_argument_group("rule selection")
    rules.add_argument("--select", type=_codes, metavar="RULES",
                       help="comma-separated rule codes, prefixes or names to enable (ALL: every rule)")
    rules.add_argument("--extend-select", type=_codes, default=[], metavar="RULES",
                       help="rules to enable in addition to the selected ones")
    rules.add_argument("--ignore", type=_codes, default=[], metavar="RULES", help="rules to disable")
    files = parser.add_argument_group("file selection")
    files.add_argument("--config", type=Path, metavar="FILE",
                       help="configuration file (default: found from the paths checked, then the working directory)")
    files.add_argument("--vault", type=Path, metavar="DIR", help="the vault root that links resolve against")
    files.add_argument("--exclude", type=_codes, metavar="PATTERNS",
                       help="gitignore-style patterns of notes to leave out, replacing the configured exclude")
    files.add_argument("--extend-exclude", type=_codes, metavar="PATTERNS",
                       help="patterns to leave out in addition to the configured exclude")
    files.add_argument("--force-exclude", action=argparse.BooleanOptionalAction, default=None,
                       help="leave out excluded notes even when named on the command line (for pre-commit)")
    files.add_argument("--respect-gitignore", action=argparse.BooleanOptionalAction, default=None,
                       help="leave out what .gitignore ignores (default: on)")
    return files


def _add_check(sub) -> None:
    check = sub.add_parser("check", help="check notes (default: the configured vault, else notes/)",
                           description="Check notes: front matter, citations, claims and wiki-links.",
                           epilog=CHECK_EXAMPLES + "\n" + EXIT_CODES)
    check.add_argument("paths", nargs="*", type=Path, help="files or folders to check")
    files = _add_config_options(check)
    files.add_argument("--changed-since", metavar="REV",
                       help="check the notes changed since git revision REV (merge base with HEAD), and the "
                            "unchanged notes whose links the change broke")
    files.add_argument("--stdin-filename", metavar="PATH", type=Path,
                       help="read the note from standard input; report it as PATH, resolve its links against "
                            "the vault around PATH")
    fixing = check.add_argument_group("fixing")
    fixing.add_argument("--fix", action="store_true", help="apply the safe fixes, then report what is left")
    fixing.add_argument("--unsafe-fixes", action="store_true", help="with --fix or --diff: apply the unsafe fixes too")
    fixing.add_argument("--fix-only", action="store_true",
                        help="apply the fixes and report nothing else; exit 0 unless there is an error")
    fixing.add_argument("--show-fixes", action="store_true", help="list the fixes applied, by note and rule")
    fixing.add_argument("--diff", action="store_true",
                        help="print a unified diff of what --fix would change; change nothing (exit 1 if there is any)")
    fixing.add_argument("--add-noqa", action="store_true",
                        help="insert suppression comments for every finding now (adopt notelint on an existing vault)")
    output = check.add_argument_group("output")
    output.add_argument("--output-format", choices=FORMATS, default="text", metavar="FORMAT",
                        help=f"{', '.join(FORMATS)} (default: text)")
    output.add_argument("--output-file", type=Path, metavar="FILE", help="write the report to this file")
    output.add_argument("--show-source", action=argparse.BooleanOptionalAction, default=None,
                        help="show the source line under each finding (default: on a terminal)")
    output.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                        help="auto: on a terminal, unless NO_COLOR is set, or when FORCE_COLOR is")
    output.add_argument("--statistics", action="store_true", help="count findings per rule")
    output.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    output.add_argument("--fail-level", choices=("error", "warning", "info"), help="lowest severity that fails")
    _add_verbosity(output)
    output.add_argument("--show-settings", action="store_true",
                        help="print the settings in use (configuration file, vault root, every key) and exit")
    output.add_argument("--show-files", action="store_true", help="print the notes that would be checked and exit")
    misc = check.add_argument_group("miscellaneous")
    misc.add_argument("--watch", "-w", action="store_true", help="check again whenever a note or the configuration changes")
    misc.add_argument("--no-cache", action="store_true", help="do not read or write the cache")
    misc.add_argument("--jobs", "-j", type=_jobs, default=0, metavar="N", help="worker processes (default: all cores)")
    misc.add_argument("--no-daemon", action="store_true",
                      help="check here even when a daemon of the vault is running (see 'notelint daemon')")


def _add_verbosity(group) -> None:
    group.add_argument("-q", "--quiet", action="store_true",
                       help="print the findings only: no summary line, no progress bar")
    group.add_argument("-s", "--silent", action="store_true",
                       help="print nothing; the exit code still says whether there are findings")
    group.add_argument("-v", "--verbose", action="store_true",
                       help="say on standard error which configuration and vault root are in use, and the timing")


def _add_audit(sub) -> None:
    audit = sub.add_parser("audit", help="audit a vault: coverage, findings, wanted notes (HTML, JSON, Markdown)",
                           description="Audit a vault: citation coverage, findings, the link graph; it reports and "
                                       "does not gate (exit 0 when the reports were written).",
                           epilog="examples:\n  notelint audit --html report.html --json audit.json\n"
                                  "  notelint audit --baseline last.json --markdown summary.md\n")
    audit.add_argument("paths", nargs="*", type=Path, help="files or folders to audit (default: the vault)")
    _add_config_options(audit)
    out = audit.add_argument_group("output")
    out.add_argument("--html", type=Path, metavar="FILE", help="write the HTML report (one self-contained file)")
    out.add_argument("--json", type=Path, metavar="FILE", help="write the audit JSON (schemas/audit.schema.json)")
    out.add_argument("--markdown", type=Path, metavar="FILE", help="write the Markdown summary")
    out.add_argument("--baseline", type=Path, metavar="FILE", help="a previous audit JSON: report the trend")
    out.add_argument("-v", "--verbose", action="store_true", help="say which configuration and vault root are in use")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="notelint", description="Lint Markdown video notes: timestamps, citations, wiki-links.",
                     epilog="Run 'notelint COMMAND --help' for a command's options.\n\n" + EXIT_CODES)
    parser.add_argument("--version", action="version", version=f"notelint {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")
    _add_check(sub)
    _add_audit(sub)
    rule = sub.add_parser("rule", help="show a rule's documentation, by code or name")
    rule.add_argument("code", nargs="?", metavar="RULE", help="a rule code (CL001) or name (uncited-claim)")
    rule.add_argument("--all", action="store_true", help="every rule's documentation")
    rules = sub.add_parser("rules", help="list every rule")
    rules.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    schema = sub.add_parser("schema", help="print a JSON Schema: the front matter (default), the report, the configuration")
    schema.add_argument("which", nargs="?", default="note", choices=("note", "report", "config"))
    completion = sub.add_parser("completion", help="print a shell completion script",
                                epilog="examples:\n  notelint completion bash > ~/.local/share/bash-completion/completions/notelint\n"
                                       "  notelint completion zsh > \"${fpath[1]}/_notelint\"\n")
    completion.add_argument("shell", choices=("bash", "zsh", "tcsh"))
    server = sub.add_parser("server", help="run the language server on standard input and output "
                                           "(needs the 'server' extra)")
    server.add_argument("--jobs", "-j", type=_jobs, default=0,
                        help="worker processes for notes the cache cannot answer for (default: all cores)")
    _add_daemon(sub)
    return parser


def _add_daemon(sub) -> None:
    daemon = sub.add_parser("daemon", help="keep a vault open in the background: checks of a few notes answer at once",
                            description="A daemon keeps the vault open and up to date (inotify on Linux), so that "
                                        "'notelint check NOTE...' run from the same folder (pre-commit, an editor) "
                                        "is answered without walking and loading the vault. It serves the checks of "
                                        "notes named one by one; anything else runs as always.",
                            epilog="examples:\n  notelint daemon start      keep the vault of this folder open\n"
                                   "  notelint daemon status\n  notelint daemon stop\n")
    daemon.add_argument("action", choices=("start", "stop", "status", "run"),
                        help="start it in the background, stop it, say whether it runs, or run it here")
    files = daemon.add_argument_group("file selection")
    files.add_argument("--config", type=Path, metavar="FILE", help="configuration file (default: found from here)")
    files.add_argument("--vault", type=Path, metavar="DIR", help="the vault root")
    daemon.add_argument("--jobs", "-j", type=_jobs, default=0, metavar="N",
                        help="worker processes for opening the vault (default: all cores)")
    daemon.add_argument("--poll", action="store_true",
                        help="stat every note on each request instead of watching for changes (a network file system)")
    daemon.add_argument("--idle-timeout", type=float, default=8.0, metavar="HOURS",
                        help="stop after this long without a request (default: 8; 0: never)")


class Terminated(BaseException):
    """SIGTERM, raised in the main thread like Ctrl-C's KeyboardInterrupt (not an Exception:
    no ``except Exception`` on the way swallows it)."""


def _on_signal(signum, frame) -> None:
    """Ctrl-C and SIGTERM end the run with an exception, except in the middle of a write: then
    the signal waits for the write to end (:func:`notelint.atomic.uninterrupted`)."""
    from .. import atomic

    if atomic.writing():
        atomic.defer(signum)
        return
    if signum == signal.SIGINT:
        raise KeyboardInterrupt
    raise Terminated


def main(argv: list[str] | None = None) -> int:
    """Exit codes: 0, 1 (findings), 2 (error), 130 (Ctrl-C), 143 (SIGTERM). Interrupted, the
    run stops: every write is atomic (the old file or the new one, never half of one), worker
    processes are stopped, and a note being fixed is left as it was."""
    parser = build_parser()
    argv = sys.argv[1:] if argv is None else list(argv)
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    args.argv = argv  # what a daemon is asked to run
    previous = _install_handlers()
    try:
        return run_command(args)
    except KeyboardInterrupt:
        error_line("interrupted")
        return 130
    except Terminated:
        error_line("terminated")
        return 143
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def run_command(args) -> int:
    """Run the command of ``args``: an error is one line on standard error and exit 2."""
    try:
        return _COMMANDS[args.command](args)
    except BrokenPipeError:
        return 0
    except Exception as exc:  # noqa: BLE001 - the last line of defence: no traceback
        from ..errors import NotelintError

        if isinstance(exc, NotelintError):
            error_line(f"error: {exc}")
            return 2
        if os.environ.get("NOTELINT_DEBUG"):
            raise
        error_line(f"internal error: {type(exc).__name__}: {exc} (set NOTELINT_DEBUG=1 for details)")
        return 2


def _install_handlers() -> dict:
    """:func:`_on_signal` for Ctrl-C and SIGTERM (not where they are ignored, as ``nohup`` and a
    shell's background jobs do); the handlers it replaced, to put back."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        return {}
    return {sig: signal.signal(sig, _on_signal) for sig in (signal.SIGINT, signal.SIGTERM)
            if signal.getsignal(sig) is not signal.SIG_IGN}


def cmd_check(args) -> int:
    if getattr(args, "resident", None) is None and hasattr(args, "argv"):
        from ..daemon.client import ask, served

        if served(args):  # a daemon of the vault may answer: nothing more is imported then
            code = ask(args)
            if code is not None:
                return code
    from .check import cmd_check

    return cmd_check(args)


def cmd_daemon(args) -> int:
    from .daemon import cmd_daemon

    return cmd_daemon(args, build_parser, run_command)


def cmd_audit(args) -> int:
    from .audit import cmd_audit

    return cmd_audit(args)


def cmd_rule(args) -> int:
    from .docs import cmd_rule

    return cmd_rule(args)


def cmd_rules(args) -> int:
    from .docs import cmd_rules

    return cmd_rules(args)


def cmd_schema(args) -> int:
    from .docs import cmd_schema

    return cmd_schema(args)


def cmd_server(args) -> int:
    import gc

    gc.disable()  # until the vault is open (the server turns the collector on again then)
    try:
        from ..server import serve
    except ImportError as exc:
        from ..errors import NotelintError

        gc.enable()
        raise NotelintError(f"notelint server needs the 'server' extra: pip install 'notelint[server]' ({exc})") from None
    return serve(args.jobs or None)


def cmd_completion(args) -> int:
    from .docs import cmd_completion

    return cmd_completion(args, build_parser())


_COMMANDS = {"check": cmd_check, "audit": cmd_audit, "rule": cmd_rule, "rules": cmd_rules, "schema": cmd_schema,
             "server": cmd_server, "completion": cmd_completion, "daemon": cmd_daemon}
