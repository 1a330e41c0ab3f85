"""``notelint daemon run``: one vault kept open (:class:`~.resident.Resident`), answering the
checks of notes named one by one (pre-commit, an editor's save hook) over a Unix socket in
the cache folder.

A request is one line of JSON (the command line, the working directory, the few variables
of the environment a report depends on, whether standard output and error are terminals);
the answer is one line of JSON (the exit code, how many bytes of standard output follow),
then standard output's bytes, then standard error's. The daemon runs the very code of
``notelint check``, with its output captured: what it answers is what the command would
print. It declines (and the client checks the notes itself) what it cannot answer as that
command would: another vault, another working directory, a run that is not notes named
one by one. Requests are answered one at a time.

It stops on ``notelint daemon stop``, SIGTERM or Ctrl-C, after ``idle_timeout`` seconds
without a request, when its socket is taken away, and when notelint's code changed
since it started (it declines that request first).
"""

from __future__ import annotations

import contextlib
import gc
import io
import json
import os
import resource
import socket
import sys
import time
from collections.abc import Callable
from pathlib import Path

from .. import __version__
from .client import ENVIRONMENT, SOCKET_NAME, request
from .resident import Resident

# runs a check's command line (argv) from a working directory with the resident vault: its
# exit code, or why the daemon declines it (then nothing was written)
Runner = Callable[[list, str, Resident], "int | str"]

MAX_REQUEST = 1 << 20  # bytes of one request line
PATH_MAX = 107  # bytes of a Unix socket's path (sun_path)


class DaemonError(Exception):
    pass


def socket_of(settings) -> Path:
    if settings.cache_dir is None:
        raise DaemonError("the daemon lives in the cache folder, and the cache is off")
    path = Path(settings.cache_dir) / SOCKET_NAME
    if len(os.fsencode(path)) > PATH_MAX:
        raise DaemonError(f"{path} is too long for a socket ({PATH_MAX} bytes at most): set a shorter cache-dir")
    return path


def code_stamp() -> tuple[int, int]:
    """(how many, the latest modification) of notelint's own source files: a daemon whose
    code changed on disk (an upgrade, an edit) stops rather than answer with the old code."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    n = latest = 0
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        for name in names:
            if name.endswith(".py"):
                with contextlib.suppress(OSError):
                    latest = max(latest, os.stat(os.path.join(folder, name)).st_mtime_ns)
                    n += 1
    return n, latest


class _Captured(io.TextIOWrapper):
    """Standard output or error of one request: the client's encoding, and a terminal when
    the client's stream is one (colours and source lines are decided on that)."""

    def __init__(self, tty: bool, encoding: str = "utf-8", errors: str = "strict"):
        super().__init__(io.BytesIO(), encoding=encoding, errors=errors, write_through=True)
        self._tty = tty

    def isatty(self) -> bool:
        return self._tty

    def value(self) -> bytes:
        self.flush()
        return self.buffer.getvalue()


class Daemon:
    def __init__(self, settings, cwd: str, run: Runner, jobs: int = 1, idle_timeout: float = 0, watch: bool = True):
        self.path = socket_of(settings)
        self.run = run
        self.idle_timeout = idle_timeout
        self.started = time.time()
        self.answered = 0
        self.stamp = code_stamp()
        self._refuse_if_running()
        gc.disable()  # the opening makes millions of objects that live as long as the daemon
        try:
            self.resident = Resident(settings, cwd, jobs, watch=watch)
            _warm_up()
        finally:
            gc.collect()
            gc.freeze()  # what the opening made is never scanned again: a request pays only for its own
            gc.enable()

    def _refuse_if_running(self) -> None:
        answer = request(str(self.path), {"op": "status"}, timeout=5)
        if answer is not None:
            raise DaemonError(f"a daemon already serves {answer[0].get('vault')} (pid {answer[0].get('pid')})")

    # -- the loop -------------------------------------------------------------------------
    def serve(self, ready=None) -> None:
        """Answer requests until told to stop. ``ready()`` is called once the socket listens."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()  # a stale socket: _refuse_if_running found no daemon behind it
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        umask = os.umask(0o177)  # the socket is its owner's only: notes are private
        try:
            listener.bind(str(self.path))
        finally:
            os.umask(umask)
        inode = os.stat(self.path).st_ino
        listener.listen(16)
        listener.settimeout(30)
        if ready is not None:
            ready()
        last = time.monotonic()
        try:
            while True:
                try:
                    conn, _ = listener.accept()
                except socket.timeout:
                    if self._should_go(inode, last):
                        return
                    continue
                last = time.monotonic()
                with conn:
                    if self._answer(conn) == "stop":
                        return
                if self._should_go(inode, last):
                    return
        finally:
            listener.close()
            with contextlib.suppress(OSError):
                if os.stat(self.path).st_ino == inode:
                    self.path.unlink()
            self.resident.close()

    def _should_go(self, inode: int, last: float) -> bool:
        try:
            if os.stat(self.path).st_ino != inode:
                return True  # the socket was removed, or another daemon took its place
        except OSError:
            return True
        return bool(self.idle_timeout) and time.monotonic() - last > self.idle_timeout

    def _answer(self, conn: socket.socket) -> str | None:
        conn.settimeout(10)
        try:
            line = conn.makefile("rb").readline(MAX_REQUEST)
            message = json.loads(line)
            op = message.get("op")
        except (OSError, ValueError, AttributeError):
            return None
        if op == "stop":
            self._send(conn, {"stopped": os.getpid()})
            return "stop"
        if op == "status":
            self._send(conn, self.status())
            return None
        if op != "check":
            self._send(conn, {"declined": f"unknown request {op!r}"})
            return None
        if code_stamp() != self.stamp:
            self._send(conn, {"declined": "notelint's code changed since the daemon started: it stops"})
            return "stop"
        if message.get("version") != __version__:  # another install (pre-commit's own environment, say)
            self._send(conn, {"declined": f"the daemon runs notelint {__version__}, not {message.get('version')}"})
            return None
        try:
            header, body = self.check(message)
        except Exception as exc:  # noqa: BLE001 - one request must not stop the daemon
            import traceback

            traceback.print_exc()  # into the daemon's log
            self.resident.broken = True  # opened anew before the next request
            header, body = {"declined": f"internal error {type(exc).__name__}: {exc}"}, b""
        self._send(conn, header, body)
        return None

    @staticmethod
    def _send(conn: socket.socket, header: dict, body: bytes = b"") -> None:
        with contextlib.suppress(OSError):  # the client gave up (Ctrl-C): nothing to tell it
            conn.settimeout(30)
            conn.sendall(json.dumps(header).encode() + b"\n" + body)

    def status(self) -> dict:
        r = self.resident
        return {"pid": os.getpid(), "vault": str(r.settings.vault), "cwd": r.cwd, "notes": len(r.files),
                "answered": self.answered, "opened": r.opened, "watching": r.watcher is not None,
                "since": self.started, "peak_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}

    # -- one check ------------------------------------------------------------------------
    def check(self, message: dict) -> tuple[dict, bytes]:
        """Run the check ``message`` asks for with its working directory, environment and
        terminals; its exit code and output, or why it was declined."""
        argv, cwd = message.get("argv"), message.get("cwd")
        if not isinstance(argv, list) or not isinstance(cwd, str) or not all(isinstance(a, str) for a in argv):
            return {"declined": "a malformed request"}, b""
        env = {k: v for k, v in (message.get("env") or {}).items() if k in ENVIRONMENT and isinstance(v, str)}
        tty_out, tty_err = (list(message.get("tty") or []) + [False, False])[:2]
        encoding, errors = (list(message.get("encoding") or []) + ["utf-8", "strict"])[:2]
        out, err = _Captured(bool(tty_out), str(encoding), str(errors)), _Captured(bool(tty_err), str(encoding), str(errors))
        with _request_context(cwd, env, out, err):
            outcome = self.run(argv, cwd, self.resident)
        if isinstance(outcome, str):
            return {"declined": outcome}, b""
        self.answered += 1
        stdout = out.value()
        return {"exit": outcome, "stdout": len(stdout)}, stdout + err.value()


def _warm_up() -> None:
    """Import what answering a check imports, so that the first request does not wait for it."""
    import importlib

    for name in ("notelint.cli.check", "notelint.report.text", "notelint.report.escape", "notelint.rules.selection",
                 "notelint.rules.docs", "notelint.fix"):
        with contextlib.suppress(ImportError):
            importlib.import_module(name)


@contextlib.contextmanager
def _request_context(cwd: str, env: dict, out, err):
    """The request's working directory, environment and standard streams, for its duration."""
    here = os.getcwd()
    saved_env = {k: os.environ.get(k) for k in ENVIRONMENT}
    saved_streams = sys.stdout, sys.stderr
    os.chdir(cwd)
    _set_environment({k: env.get(k) for k in ENVIRONMENT})
    sys.stdout, sys.stderr = out, err
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved_streams
        _set_environment(saved_env)
        os.chdir(here)


def _set_environment(values: dict[str, str | None]) -> None:
    """Each variable of ``values`` set, or unset for None."""
    for k, v in values.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
