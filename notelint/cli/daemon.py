"""``notelint daemon start|stop|status|run``: the vault of this folder kept open in the
background (see :mod:`notelint.daemon.server`)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from ..errors import NotelintError
from .stderr import error_line

START_TIMEOUT = 900.0  # seconds to open the vault: a cold vault of 100,000 notes takes minutes


def cmd_daemon(args, build_parser, run_command) -> int:
    """``build_parser`` and ``run_command``: the command line's own, to run a check as it would."""
    from ..config import Overrides, load_settings
    from ..daemon.client import request
    from ..daemon.server import DaemonError, socket_of

    cwd = Path.cwd()
    settings = load_settings(cwd, config_path=args.config, overrides=Overrides(vault=args.vault))
    if not settings.vault.is_dir():
        raise NotelintError(f"vault folder {settings.vault} does not exist")
    try:
        path = str(socket_of(settings))
    except DaemonError as exc:
        raise NotelintError(str(exc)) from None
    status = request(path, {"op": "status"}, timeout=5) if os.path.exists(path) else None
    if args.action == "status":
        if status is None:
            print(f"no daemon serves {settings.vault}")
            return 1
        print(_describe(status[0]))
        return 0
    if args.action == "stop":
        if status is None:
            print(f"no daemon serves {settings.vault}")
            return 0
        request(path, {"op": "stop"}, timeout=30)
        print(f"stopped the daemon of {settings.vault} (pid {status[0].get('pid')})")
        return 0
    if status is not None:
        print(f"already running: {_describe(status[0])}")
        return 0
    if args.action == "run":
        return _run(args, settings, cwd, _answerer(build_parser, run_command))
    return _start(args, settings, path)


def _describe(status: dict) -> str:
    watching = "watching changes" if status.get("watching") else "stat-ing every note on each request"
    return (f"pid {status.get('pid')} serves {status.get('vault')} ({status.get('notes')} notes) for checks run from "
            f"{status.get('cwd')}, {watching}; {status.get('answered')} checks answered")


def _answerer(build_parser, run_command):
    """How the daemon runs a check: this command line's, with the resident vault; a command it
    cannot run as ``notelint check`` would is declined, before anything is written."""
    from ..daemon.client import served
    from .check import _settings

    def answer(argv: list[str], cwd: str, resident) -> int | str:
        try:
            args = build_parser().parse_args(argv)
        except SystemExit:  # a usage error: the client prints it itself
            return "not a command the daemon runs"
        if args.command != "check" or not served(args):
            return "not notes named one by one"
        try:
            settings = _settings(args, Path(cwd))
        except Exception:  # noqa: BLE001 - the client reports the configuration's error itself
            return "the settings could not be read"
        why = resident.refuses(settings, cwd)
        if why is not None:
            return why
        resident.refresh(settings)
        args.resident = resident
        return run_command(args)

    return answer


def _run(args, settings, cwd: Path, answer) -> int:
    from ..daemon.server import Daemon, DaemonError

    try:
        daemon = Daemon(settings, str(cwd), answer, jobs=args.jobs or os.cpu_count() or 1,
                        idle_timeout=max(0.0, args.idle_timeout) * 3600, watch=not args.poll)
    except DaemonError as exc:
        raise NotelintError(str(exc)) from None
    daemon.serve(ready=lambda: error_line(f"daemon: serving {settings.vault} (pid {os.getpid()})"))
    return 0


def _start(args, settings, path: str) -> int:
    """Run ``notelint daemon run`` in its own session, its output in the cache folder's
    ``daemon.log``; return once it answers (or say why it did not start)."""
    from ..daemon.client import request

    argv = ["daemon", "run", "--jobs", str(args.jobs), "--idle-timeout", repr(args.idle_timeout)]
    argv += ["--poll"] if args.poll else []
    for option, value in (("--config", args.config), ("--vault", args.vault)):
        if value is not None:
            argv += [option, str(Path(value).resolve())]
    log_path = Path(path).with_name("daemon.log")
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "ab") as log:
        child = subprocess.Popen([sys.executable, "-m", "notelint", *argv], stdin=subprocess.DEVNULL, stdout=log,
                                 stderr=log, start_new_session=True, close_fds=True)
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if child.poll() is not None:
            tail = log_path.read_bytes()[-2000:].decode("utf-8", "replace").strip().splitlines()
            raise NotelintError(f"the daemon did not start: {tail[-1] if tail else 'no output'} (see {log_path})")
        answer = request(path, {"op": "status"}, timeout=5) if os.path.exists(path) else None
        if answer is not None:
            print(f"started: {_describe(answer[0])}")
            return 0
        time.sleep(0.1)
    child.terminate()
    raise NotelintError(f"the daemon did not answer within {START_TIMEOUT:.0f} s (see {log_path})")
