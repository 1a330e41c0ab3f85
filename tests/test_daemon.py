"""``notelint daemon``, for real: a daemon process started by ``notelint daemon start``, and
``notelint check NOTE`` processes asking it over its socket.

What the daemon answers must be, byte for byte, what ``notelint check --no-daemon`` prints
(and the same exit code), after every kind of change a vault sees between two checks:
a note edited, a heading removed, a note created, deleted or renamed, a folder created, a
``.gitignore`` written, the configuration changed. Each comparison also asserts that the
daemon did answer (its count of answered checks went up), so a daemon that declines
everything, and lets the client check locally, fails. Both ways of noticing changes are
run: inotify, and ``--poll`` (every note stat-ed on each request).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import cite, note

from notelint import __version__
from notelint.daemon.client import request as ask_daemon

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="Unix sockets")

NOTELINT = [sys.executable, "-m", "notelint"]


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "NOTELINT_NO_DAEMON")}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def run(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*NOTELINT, *args], cwd=root, env=_env(), capture_output=True, stdin=subprocess.DEVNULL,
                          timeout=120)


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


class Served:
    """A vault with a running daemon: ``same(*args)`` checks through the daemon and without it."""

    def __init__(self, root: Path):
        self.root = root
        self.socket = str(root / ".notelint_cache" / "daemon.sock")

    def answered(self) -> int:
        answer = ask_daemon(self.socket, {"op": "status"}, timeout=10)
        assert answer is not None, "the daemon does not answer"
        return answer[0]["answered"]

    def same(self, *args: str, served: bool = True) -> subprocess.CompletedProcess:
        before = self.answered()
        through = run(self.root, "check", *args)
        assert self.answered() == before + served, (through.stdout, through.stderr)
        here = run(self.root, "check", "--no-daemon", *args)
        assert (through.returncode, through.stdout, through.stderr) == (here.returncode, here.stdout, here.stderr)
        return through


def _vault(root: Path) -> Path:
    vault = root / "notes"
    write(root / "notelint.toml", 'vault = "notes"\n')
    write(vault / "a.md", note(f"""
        ## Summary

        - The talk opens on [[b#Origins]] and [[c]] {cite("00:01:00")}.
        - It ends with [[d]] and [[e|the epilogue]] {cite("00:02:00")}.
        """, title="A"))
    write(vault / "b.md", note(f"""
        ## Origins

        - Where it began {cite("00:00:10")}.
        """, title="B"))
    write(vault / "c.md", note(f"- Three {cite('00:00:20')}.\n", title="C"))
    return vault


@contextlib.contextmanager
def daemon_of(root: Path, poll: bool):
    """A daemon started in ``root`` by ``notelint daemon start``; stopped (and waited for) after."""
    started = run(root, "daemon", "start", "--jobs", "1", *(["--poll"] if poll else []))
    assert started.returncode == 0, started.stderr
    assert b"started: pid" in started.stdout
    served = Served(root)
    pid = ask_daemon(served.socket, {"op": "status"}, timeout=10)[0]["pid"]
    try:
        yield served
    finally:
        stopped = run(root, "daemon", "stop")
        assert stopped.returncode == 0
        for _ in range(100):
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.05)
        else:
            os.kill(pid, signal.SIGKILL)
            pytest.fail("the daemon did not stop")


@pytest.fixture(params=["watch", "poll"])
def served(tmp_path, request):
    root = tmp_path / "site"
    _vault(root)
    with daemon_of(root, request.param == "poll") as served:
        yield served


def test_the_daemon_answers_as_the_command_would_through_every_change(served: Served):
    root, vault = served.root, served.root / "notes"
    first = served.same("notes/a.md")
    assert first.returncode == 1
    assert b"WL001" in first.stdout and b"target 'd'" in first.stdout  # [[d]] and [[e]] are missing

    write(vault / "a.md", (vault / "a.md").read_text() + "\nOne more line.\n")  # the note checked, edited
    served.same("notes/a.md")

    write(vault / "b.md", note(f"- No heading now {cite('00:00:10')}.\n", title="B"))  # the heading linked to, gone
    assert b"Origins" in served.same("notes/a.md").stdout

    write(vault / "d.md", note(f"- Four {cite('00:00:30')}.\n", title="D"))  # a missing page, created
    out = served.same("notes/a.md").stdout
    assert b"target 'd'" not in out

    (vault / "c.md").unlink()  # a linked page, deleted
    assert b"target 'c'" in served.same("notes/a.md").stdout

    os.rename(vault / "d.md", vault / "e.md")  # renamed: [[d]] missing again, [[e]] found
    out = served.same("notes/a.md").stdout
    assert b"target 'd'" in out and b"target 'e'" not in out

    write(vault / "deep" / "f.md", note(f"- Six, see [[a]] {cite('00:00:40')}.\n", title="F"))  # a new folder
    served.same("notes/deep/f.md")
    write(vault / "deep" / "f.md", note(f"- Six, see [[g]] {cite('00:00:40')}.\n", title="F"))  # edited in it
    assert b"target 'g'" in served.same("notes/deep/f.md").stdout

    write(vault / ".gitignore", "e.md\n")  # a page left out of the vault
    assert b"target 'e'" in served.same("notes/a.md").stdout

    served.same("notes/a.md", "notes/deep/f.md", "--output-format", "json")  # two notes, another format
    served.same("notes/a.md", "--select", "WL001", "--statistics")  # other settings: the vault opened anew

    write(root / "notelint.toml", 'vault = "notes"\nignore = ["WL001"]\n')  # the configuration, changed
    served.same("notes/a.md")
    served.same("notes", served=False)  # a folder is a batch run: checked by the client itself


def test_requests_the_daemon_must_decline_or_survive(served: Served):
    root = served.root
    missing = served.same("notes/nowhere.md")  # a note that does not exist: the command's own error
    assert missing.returncode == 2
    elsewhere = root / "elsewhere"
    elsewhere.mkdir()
    before = served.answered()
    assert run(elsewhere, "check", "../notes/a.md").returncode == 1  # another working directory: declined
    assert served.answered() == before
    other = ask_daemon(served.socket, {"op": "check", "version": "0.0.0", "argv": ["check", "notes/a.md"],
                                       "cwd": str(root)})
    assert other is not None and other[0] == {"declined": f"the daemon runs notelint {__version__}, not 0.0.0"}
    for garbage in (b"not json\n", b'{"op": "check", "argv": 5}\n', b"\xff" * 100):
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.connect(served.socket)
            conn.sendall(garbage)
            conn.shutdown(socket.SHUT_WR)
            reply = conn.recv(1000)
        assert reply == b"" or json.loads(reply)["declined"]
    served.same("notes/a.md")  # still serving


def test_start_stop_and_status_without_a_daemon(tmp_path):
    root = tmp_path / "site"
    _vault(root)
    status = run(root, "daemon", "status")
    assert status.returncode == 1 and b"no daemon serves" in status.stdout
    stop = run(root, "daemon", "stop")
    assert stop.returncode == 0 and b"no daemon serves" in stop.stdout
    (root / ".notelint_cache").mkdir(exist_ok=True)
    (root / ".notelint_cache" / "daemon.sock").write_bytes(b"")  # a stale socket file: no daemon behind it
    check = run(root, "check", "notes/a.md")
    assert check.returncode == 1 and b"WL001" in check.stdout
    long = root / ("x" * 120)
    write(long / "notelint.toml", f'vault = "{root / "notes"}"\n')
    too_long = run(long, "daemon", "start")
    assert too_long.returncode == 2 and b"too long for a socket" in too_long.stderr


def test_a_second_start_finds_the_first(served: Served):
    again = run(served.root, "daemon", "start")
    assert again.returncode == 0 and b"already running" in again.stdout
    status = run(served.root, "daemon", "status")
    assert status.returncode == 0
    assert json.dumps(str(served.root / "notes"))[1:-1].encode() in status.stdout


@pytest.mark.parametrize("poll", [False, True], ids=["watch", "poll"])
def test_a_quartz_sites_assets_are_seen_as_they_come_and_go(tmp_path, poll):
    site = tmp_path / "site"
    write(site / "quartz.config.ts", 'CrawlLinks({ markdownLinkResolution: "shortest" })\n')
    write(site / "notelint.toml", 'vault = "content"\n')
    write(site / "content" / "a.md", note(f"- A chart, ![[chart.png]] and [[b]] {cite('00:00:10')}.\n", title="A"))
    with daemon_of(site, poll) as served:
        out = served.same("content/a.md").stdout
        assert b"chart.png" in out and b"target 'b'" in out  # no such file, no such note: missing pages
        (site / "content" / "chart.png").write_bytes(b"\x89PNG")
        assert b"chart.png" not in served.same("content/a.md").stdout
        write(site / "content" / "b.md", note(f"- B {cite('00:00:20')}.\n", title="B"))
        assert b"target 'b'" not in served.same("content/a.md").stdout
        (site / "content" / "chart.png").unlink()
        assert b"chart.png" in served.same("content/a.md").stdout


def test_a_fix_through_the_daemon_writes_what_the_command_writes(served: Served):
    """``check --fix --show-fixes NOTE`` through the daemon: the same output, exit code and
    fixed bytes as without it (the note put back between the two), and the daemon's next
    answer sees the fixed note."""
    path = served.root / "notes" / "fixme.md"
    text = note(f"- A claim {cite('21:12')}, see [[b]].\n", title="Fix me")
    write(path, text)
    before = served.answered()
    through = run(served.root, "check", "--fix", "--show-fixes", "notes/fixme.md")
    assert served.answered() == before + 1
    fixed = path.read_bytes()
    assert fixed != text.encode() and cite("00:21:12").encode() in fixed
    write(path, text)
    here = run(served.root, "check", "--fix", "--show-fixes", "--no-daemon", "notes/fixme.md")
    assert (through.returncode, through.stdout, through.stderr) == (here.returncode, here.stdout, here.stderr)
    assert b"1 \xc3\x97 TS001" in through.stdout
    assert path.read_bytes() == fixed
    served.same("notes/fixme.md")


def test_a_pre_commit_hook_is_answered_by_the_daemon(served: Served, tmp_path):
    """The real ``pre-commit`` running the hook on a staged note (``language: system``, the
    installed notelint, as this repository's own configuration has it): the daemon answers,
    and what the hook prints and its verdict are those of a run without the daemon."""
    root = served.root
    write(root / ".pre-commit-config.yaml", """repos:
  - repo: local
    hooks:
      - id: notelint
        name: notelint
        entry: notelint check --force-exclude
        language: system
        files: ^notes/
        require_serial: true
""")
    env = {k: v for k, v in _env().items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"), GIT_CONFIG_GLOBAL=os.devnull,
               GIT_CONFIG_NOSYSTEM="1", PATH=os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")]))
    for args in (["git", "init", "-q"], ["git", "add", "notes/a.md", ".pre-commit-config.yaml"]):
        subprocess.run(args, cwd=root, env=env, check=True, capture_output=True)

    def hook(extra: dict) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "pre_commit", "run", "--files", "notes/a.md"], cwd=root,
                              env={**env, **extra}, capture_output=True, stdin=subprocess.DEVNULL, timeout=300)

    before = served.answered()
    through = hook({})
    assert served.answered() == before + 1, through.stdout
    here = hook({"NOTELINT_NO_DAEMON": "1"})
    assert served.answered() == before + 1
    assert through.returncode == here.returncode == 1
    assert b"notes/a.md:" in through.stdout and b"WL001" in through.stdout
    assert through.stdout == here.stdout
