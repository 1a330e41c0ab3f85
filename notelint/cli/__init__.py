"""Command line: ``notelint check|audit|rule|rules|schema``.

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
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    previous = _install_handlers()
    try:
        return _COMMANDS[args.command](args)
    except KeyboardInterrupt:
        error_line("interrupted")
        return 130
    except Terminated:
        error_line("terminated")
        return 143
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
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _install_handlers() -> dict:
    """:func:`_on_signal` for Ctrl-C and SIGTERM (not where they are ignored, as ``nohup`` and a
    shell's background jobs do); the handlers it replaced, to put back."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        return {}
    return {sig: signal.signal(sig, _on_signal) for sig in (signal.SIGINT, signal.SIGTERM)
            if signal.getsignal(sig) is not signal.SIG_IGN}


def cmd_check(args) -> int:
    from .check import cmd_check

    return cmd_check(args)


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


_COMMANDS = {"check": cmd_check, "audit": cmd_audit, "rule": cmd_rule, "rules": cmd_rules, "schema": cmd_schema}
