"""The client side of the daemon: ``notelint check NOTE`` asks a running daemon of its vault,
when there is one, and prints its answer; else (none running, the daemon declines, it does
not answer) the check runs in this process as always.

Only the standard library, imported on the one-note path before anything else: finding
the daemon costs a few ``stat`` calls, and a check it answers imports nothing more.
"""

from __future__ import annotations

import json
import os
import socket
import sys

SOCKET_NAME = "daemon.sock"
CACHE_DIR = ".notelint_cache"
ANSWER_TIMEOUT = 120.0  # seconds: a daemon busy longer than this is given up on
MAX_NAMED = 100  # the notes a request may name (notelint.cli.check's one-note path): more is a batch run
ENVIRONMENT = ("NO_COLOR", "FORCE_COLOR", "NOTELINT_DEBUG")  # the variables a check's output depends on


def served(args) -> bool:
    """Whether a daemon may answer the ``check`` of ``args``: notes named one by one (no folder,
    no standard input, no other mode), with the cache in use."""
    return (bool(args.paths) and len(args.paths) <= MAX_NAMED and not args.no_daemon and not args.no_cache
            and not args.watch and args.stdin_filename is None and args.changed_since is None
            and not args.add_noqa and not args.show_settings and not any(os.path.isdir(p) for p in args.paths)
            and not os.environ.get("NOTELINT_NO_DAEMON"))


def _config(folder: str) -> tuple[str, str] | None:
    """(path, text) of the nearest configuration file at or above ``folder``."""
    while True:
        for name in ("notelint.toml", "pyproject.toml"):
            path = os.path.join(folder, name)
            try:
                with open(path, "rb") as f:
                    text = f.read(1 << 20).decode("utf-8", "replace")
            except OSError:
                continue
            if name == "notelint.toml" or "tool.notelint" in text:
                return path, text
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def socket_path(args, cwd: str) -> str | None:
    """Where the daemon of this run's vault listens: in the cache folder beside the
    configuration file, found as the settings find it (the daemon checks the rest)."""
    if args.config is not None:
        path = os.path.join(cwd, args.config)
        try:
            with open(path, "rb") as f:
                found = (path, f.read(1 << 20).decode("utf-8", "replace"))
        except OSError:
            return None
    else:
        folders = [os.path.normpath(os.path.join(cwd, p)) for p in args.paths]
        anchor = os.path.commonpath([f if os.path.isdir(f) else os.path.dirname(f) for f in folders])
        found = _config(anchor) or (_config(cwd) if anchor != cwd else None)
    root = os.path.dirname(found[0]) if found else cwd
    cache_dir = CACHE_DIR
    if found and "cache-dir" in found[1]:
        import tomllib

        try:
            table = tomllib.loads(found[1])
        except ValueError:
            return None
        if found[0].endswith("pyproject.toml"):
            table = table.get("tool", {}).get("notelint", {})
        cache_dir = table.get("cache-dir") or CACHE_DIR
        if not isinstance(cache_dir, str):
            return None
    return os.path.join(root, cache_dir, SOCKET_NAME)


def request(path: str, message: dict, timeout: float = ANSWER_TIMEOUT) -> tuple[dict, bytes] | None:
    """Send ``message`` to the daemon at ``path``; its answer (a header, then bytes), or None
    when no daemon answers there."""
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.settimeout(timeout)
            conn.connect(path)
            conn.sendall(json.dumps(message).encode() + b"\n")
            conn.shutdown(socket.SHUT_WR)
            chunks = []
            while True:
                chunk = conn.recv(1 << 16)
                if not chunk:
                    break
                chunks.append(chunk)
    except (OSError, ValueError):  # none there, a stale socket, no answer in time
        return None
    data = b"".join(chunks)
    head, _, body = data.partition(b"\n")
    try:
        header = json.loads(head)
    except ValueError:
        return None
    return (header, body) if isinstance(header, dict) else None


def ask(args) -> int | None:
    """The exit code of the check the daemon ran for ``args`` (its output written here), or
    None when it did not run it."""
    cwd = os.getcwd()
    path = socket_path(args, cwd)
    if path is None or not os.path.exists(path):
        return None
    from .. import __version__

    message = {
        "op": "check",
        "version": __version__,
        "argv": args.argv,
        "cwd": cwd,
        "env": {k: os.environ.get(k) for k in ENVIRONMENT},
        "tty": [sys.stdout.isatty(), sys.stderr.isatty()],
        "encoding": [sys.stdout.encoding or "utf-8", sys.stdout.errors or "strict"],
    }
    answer = request(path, message)
    if answer is None or "exit" not in answer[0]:
        if answer is not None and args.verbose:
            print(f"notelint: the daemon declined ({answer[0].get('declined')}): checking here", file=sys.stderr)
        return None
    header, body = answer
    n_out = header.get("stdout", 0)
    for stream, data in ((sys.stdout, body[:n_out]), (sys.stderr, body[n_out:])):
        if data:
            stream.flush()
            stream.buffer.write(data)
            stream.buffer.flush()
    return int(header["exit"])
