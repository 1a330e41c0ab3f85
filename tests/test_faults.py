"""Faults, as a faulty machine and an impatient user bring them (issue 17, beyond its numbered
cases): ``kill -9``, SIGTERM and Ctrl-C during ``check``, ``--fix`` and ``audit``; runs that
share a cache, each with several workers; a note edited during a run; a same-size edit that
restores the modification time; hostile names through ``--stdin-filename``, ``--diff`` and
``--color always``; a disk that is really full.

What must hold: no hang, no worker left behind, exit 130 for Ctrl-C and 143 for SIGTERM,
every note and every report whole (the old bytes or the new ones, never a mix), no stale
cache hit, no temporary file left after a run that was not killed by ``kill -9`` (and those
removed by the next run). No test measures time; signals are sent once the run is seen at
the stage to interrupt (worker processes exist, a note has been written).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, cite, note

if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
from benchmarks.generate import generate_vault  # noqa: E402

pytestmark = pytest.mark.timeout(600)  # a hang guard: a hang, not a slow machine
C = cite("00:01:02")
CONFIG = 'vault = "vault"\n\n[per-file-ignores]\n"channels/*.md" = ["FM003", "SL001"]\n'
GITIGNORE = b"# Created by notelint automatically.\n*\n"


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "notelint", *args]


def env() -> dict[str, str]:
    out = dict(os.environ)
    out.pop("NOTELINT_DEBUG", None)
    return out


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (from /proc)."""
    out = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat") as fh:
                    fields = fh.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.append(int(name))
    return out


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has ended
    except OSError:
        return False


def wait_for(condition, what: str, limit: float = 120) -> None:
    """Poll until ``condition()``; a hang guard, not a speed bound."""
    end = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < end, f"never happened: {what}"
        time.sleep(0.01)


def gone(pids: list[int], limit: float = 30) -> bool:
    end = time.monotonic() + limit
    while any(alive(p) for p in pids) and time.monotonic() < end:
        time.sleep(0.05)
    return not any(alive(p) for p in pids)


def leftovers(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob(".notelint-tmp.*"))


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    """1,500 generated notes (enough for worker processes) and a config; copied per test."""
    root = tmp_path_factory.mktemp("faults")
    generate_vault(root / "vault", 1500, seed=3)
    (root / "notelint.toml").write_text(CONFIG)
    return root


def copy_of(big: Path, tmp_path: Path) -> Path:
    root = tmp_path / "p"
    shutil.copytree(big, root)
    return root


# -- parent killed, terminated, interrupted while workers run ----------------------------------


def start_with_workers(root: Path, *args: str, new_session: bool = False) -> tuple[subprocess.Popen, list[int]]:
    proc = subprocess.Popen(command("check", "--jobs", "2", *args), cwd=root, env=env(), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=new_session)
    workers: list[int] = []

    def started() -> bool:
        workers[:] = children(proc.pid)
        return len(workers) >= 2 or proc.poll() is not None

    wait_for(started, "worker processes")
    assert proc.poll() is None, proc.communicate()
    return proc, workers


def test_workers_end_when_the_parent_is_killed(big, tmp_path):
    root = copy_of(big, tmp_path)
    for _ in range(3):
        proc, workers = start_with_workers(root, "--no-cache")
        proc.kill()
        proc.communicate()
        assert gone(workers), "a worker outlived its parent"


_HALF_SENT = """
import gc, struct, time
from multiprocessing.queues import SimpleQueue
from notelint.run import workers

def half_sent(i):
    # what a worker killed while it sends a result leaves: a message of 1,000 bytes, 10 of them written
    results = next(o for o in gc.get_objects() if isinstance(o, SimpleQueue))
    results._writer._send(struct.pack("!i", 1000) + b"x" * 10)
    time.sleep(120)

pool, parts = workers.start_map(half_sent, range(2), 2)
time.sleep(1)
workers.stop_pool(pool)
print("stopped", flush=True)
"""


def test_a_worker_killed_while_it_sends_a_result_does_not_keep_the_run_from_ending():
    """The pool's thread that reads the workers' results waits for the rest of a message a worker
    killed by :func:`stop_pool` (Ctrl-C, SIGTERM) had begun: the interpreter's exit waited for that
    thread, forever (a SIGTERM'd audit hung so). The process ends now; the timeout only tells a hang."""
    proc = subprocess.run([sys.executable, "-c", _HALF_SENT], cwd=REPO, env=env(), capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "stopped\n" and proc.stderr == ""  # nor a traceback of the broken pool's


_TASKS_UNREAD = """
import os, time
from notelint.run import workers

def slow(data):
    time.sleep(120)

pool, parts = workers.start_map(slow, [b"x" * 1_000_000] * 8, 2)
time.sleep(1)  # both workers busy: the pool's thread that writes the tasks blocks on the next 1 MB
holder = os.fork()
if holder == 0:  # a process that holds the pipes' ends and reads nothing (not the test's output)
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.dup2(null, 2)
    time.sleep(60)
    os._exit(0)
workers.stop_pool(pool)
print("stopped", holder, flush=True)
"""


def test_a_pool_stopped_while_it_writes_a_task_no_one_reads_does_not_keep_the_run_from_ending():
    """The pool's thread that writes tasks to the workers can be blocked in a write no one will
    read (a SIGTERM'd audit hung so, in CI): the interpreter's exit waited for that thread,
    forever. The process ends now, silently; the timeout only tells a hang."""
    proc = subprocess.run([sys.executable, "-c", _TASKS_UNREAD], cwd=REPO, env=env(), capture_output=True,
                          text=True, timeout=60)
    holder = proc.stdout.split()[-1] if proc.stdout.startswith("stopped ") else None
    if holder is not None:
        os.kill(int(holder), signal.SIGKILL)
    assert proc.returncode == 0, proc.stderr
    assert holder is not None and proc.stderr == ""


@pytest.mark.parametrize("how", ["SIGTERM", "Ctrl-C"])
def test_check_interrupted_while_workers_run(big, tmp_path, how):
    root = copy_of(big, tmp_path)
    proc, workers = start_with_workers(root, new_session=True)
    if how == "SIGTERM":
        proc.send_signal(signal.SIGTERM)
    else:  # a terminal sends SIGINT to the whole foreground process group
        os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate()
    expected = {"SIGTERM": (143, b"notelint: terminated\n"), "Ctrl-C": (130, b"notelint: interrupted\n")}[how]
    assert (proc.returncode, err) == expected  # one line: no traceback from any worker
    assert out == b""
    assert gone(workers)
    assert leftovers(root) == []
    # the cache (if it was being written) is whole: the next run is right
    again = subprocess.run(command("check", "--jobs", "1"), cwd=root, env=env(), capture_output=True)
    fresh = subprocess.run(command("check", "--jobs", "1", "--no-cache"), cwd=root, env=env(), capture_output=True)
    assert (again.returncode, again.stdout) == (fresh.returncode, fresh.stdout) == (0, fresh.stdout)


# -- --fix interrupted: every note whole ---------------------------------------------------------


def fixable_vault(root: Path, n: int = 200) -> dict[str, tuple[bytes, bytes]]:
    """``n`` notes with a TS001 ``--fix`` repairs; name -> (bytes before, bytes after fixing)."""
    (root / "vault").mkdir(parents=True)
    (root / "notelint.toml").write_text('vault = "vault"\nexternal-targets = ["chan"]\n')
    out = {}
    for i in range(n):
        before = note(f"Claim {i} {cite('1:02')} {cite('2:03')}.\n" * 20, title=f"N{i}").encode()
        after = note(f"Claim {i} {cite('00:01:02')} {cite('00:02:03')}.\n" * 20, title=f"N{i}").encode()
        (root / "vault" / f"n{i:03d}.md").write_bytes(before)
        out[f"n{i:03d}.md"] = (before, after)
    return out


def assert_whole(root: Path, notes: dict[str, tuple[bytes, bytes]]) -> int:
    """Every note holds its old bytes or its fixed bytes; the number fixed."""
    fixed = 0
    for name, (before, after) in notes.items():
        data = (root / "vault" / name).read_bytes()
        assert data in (before, after), f"{name} is half written"
        fixed += data == after
    return fixed


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL], ids=["SIGTERM", "Ctrl-C", "kill-9"])
def test_fix_interrupted_leaves_every_note_whole(tmp_path, how):
    notes = fixable_vault(tmp_path)
    proc = subprocess.Popen(command("check", "--fix", "--no-cache", "--jobs", "1"), cwd=tmp_path, env=env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wait_for(lambda: proc.poll() is not None or assert_whole(tmp_path, notes) >= 3, "three notes fixed")
    proc.send_signal(how)
    out, err = proc.communicate()
    assert proc.returncode == {signal.SIGTERM: 143, signal.SIGINT: 130, signal.SIGKILL: -9}[how], err
    fixed = assert_whole(tmp_path, notes)
    assert 3 <= fixed < len(notes)
    if how != signal.SIGKILL:
        assert leftovers(tmp_path) == []
        assert err == {signal.SIGTERM: b"notelint: terminated\n", signal.SIGINT: b"notelint: interrupted\n"}[how]
    for tmp in (tmp_path / "vault").glob(".notelint-tmp.*"):  # kill -9: the next run removes what it left
        os.utime(tmp, (time.time() - 300, time.time() - 300))
    proc = subprocess.run(command("check", "--fix", "--no-cache"), cwd=tmp_path, env=env(), capture_output=True)
    assert proc.returncode == 0, proc.stdout
    assert assert_whole(tmp_path, notes) == len(notes)
    assert leftovers(tmp_path) == []


def test_two_fix_runs_at_once(tmp_path):
    notes = fixable_vault(tmp_path)
    runs = [subprocess.Popen(command("check", "--fix", "--jobs", "2"), cwd=tmp_path, env=env(),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    for proc in runs:
        out, err = proc.communicate()
        assert proc.returncode == 0, (out, err)
        # a note the other run fixed first is not written again: said on standard error, not an error
        assert all(line.endswith(b"changed on disk while it was being fixed; not written")
                   for line in err.splitlines()), err
    assert assert_whole(tmp_path, notes) == len(notes)
    assert leftovers(tmp_path) == []


# -- audit killed while it writes its reports ---------------------------------------------------


def test_audit_killed_leaves_each_report_old_or_whole(big, tmp_path):
    root = copy_of(big, tmp_path)
    outputs = {"report.html": b"old html", "audit.json": b"old json", "summary.md": b"old markdown"}
    for name, data in outputs.items():
        (root / name).write_bytes(data)
    for delay, how in ((0.5, signal.SIGKILL), (1.0, signal.SIGTERM), (2.0, signal.SIGKILL), (3.0, signal.SIGTERM),
                       (4.0, signal.SIGKILL)):
        before = set(leftovers(root))  # what an earlier kill -9 left: a minute later, the next run removes it
        proc = subprocess.Popen(command("audit", "--html", "report.html", "--json", "audit.json", "--markdown",
                                        "summary.md"), cwd=root, env=env(), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
        time.sleep(delay)  # a moment to kill at, not a speed bound
        proc.send_signal(how)
        proc.communicate()
        # -15: the signal came after the audit had returned (its handler is restored then)
        assert proc.returncode in (0, -9, 143, -15)
        for name, old in outputs.items():
            data = (root / name).read_bytes()
            assert data != old or proc.returncode not in (0, -15)
            if data != old:  # new: whole
                if name == "audit.json":
                    assert json.loads(data)["tool"] == "notelint"
                elif name == "report.html":
                    assert data.rstrip().endswith(b"</html>")
                else:
                    assert data.startswith(b"#")
        if how == signal.SIGTERM:
            assert set(leftovers(root)) <= before
    proc = subprocess.run(command("audit", "--json", "audit.json"), cwd=root, env=env(), capture_output=True)
    assert proc.returncode == 0
    for tmp in root.rglob(".notelint-tmp.*"):
        os.utime(tmp, (time.time() - 300, time.time() - 300))
    subprocess.run(command("audit", "--html", "report.html", "--json", "audit.json", "--markdown", "summary.md"),
                   cwd=root, env=env(), capture_output=True, check=True)
    assert leftovers(root) == []


# -- runs that share the cache, each with several workers ------------------------------------------


def test_concurrent_runs_with_workers_share_the_cache(big, tmp_path):
    root = copy_of(big, tmp_path)
    shutil.rmtree(root / "vault" / "v000")  # 500 notes are enough for workers (and findings to agree on)
    for name in list((root / "vault" / "v001").iterdir())[:40]:
        name.write_bytes(name.read_bytes().replace(b'data-t="00:', b'data-t="0:', 1))
    expected = subprocess.run(command("check", "--no-cache", "--output-format", "json"), cwd=root, env=env(),
                              capture_output=True)
    assert expected.returncode == 1
    for _ in range(2):  # cold, then warm
        runs = [subprocess.Popen(command("check", "--jobs", "2", "--output-format", "json"), cwd=root, env=env(),
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
        for proc in runs:
            out, err = proc.communicate()
            assert (proc.returncode, err, out) == (1, b"", expected.stdout)
    assert leftovers(root) == []
    assert (root / ".notelint_cache" / ".gitignore").read_bytes() == GITIGNORE


# -- a note edited during the run; a same-size edit that restores the modification time -------------


def test_a_note_edited_during_the_run(tmp_path, monkeypatch, capsys):
    """Edited just before it is read, and just after: no crash, positions inside the file, and
    the next (cached) run reports what the note holds then."""
    from notelint.cli import main
    from notelint.run import workers

    vault = tmp_path / "vault"
    vault.mkdir()
    (tmp_path / "notelint.toml").write_text('vault = "vault"\nexternal-targets = ["chan"]\n')
    short = note("Uncited claim.\n", title="A")
    long = note(f"A claim {C}.\n\nSee [[missing one]] {C}.\n\nSee [[missing two]] {C}.\n", title="A")
    target = vault / "a.md"
    target.write_text(long)
    (vault / "b.md").write_text(note(f"B {C}.\n", title="B"))
    monkeypatch.chdir(tmp_path)
    real = workers.read_note

    def edit_after_reading(file, max_size):
        data = real(file, max_size)
        if file.rel == "a.md":
            target.write_text(short)  # shorter: the vault findings' offsets point past its end
        return data

    monkeypatch.setattr(workers, "read_note", edit_after_reading)
    assert main(["check", "--jobs", "1", "--output-format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    size = len(short.splitlines())
    assert {f["code"] for f in report["findings"]} == {"WL001"}
    assert all(1 <= f["line"] <= size for f in report["findings"])  # placed inside the file as it is now
    monkeypatch.setattr(workers, "read_note", real)
    assert main(["check", "--jobs", "1", "--output-format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert [(f["code"], f["line"]) for f in report["findings"]] == [("CL001", 8)]  # the cache was not stale


def test_a_same_size_edit_that_restores_the_modification_time(tmp_path, monkeypatch, capsys):
    """The cache would take the note for unchanged by (mtime, size); its ctime moved, and
    ``utime`` cannot set that back."""
    from notelint import cache
    from notelint.cli import main

    monkeypatch.setattr(cache, "_RACY", 0)  # trust a modification time however recent it is
    vault = tmp_path / "vault"
    vault.mkdir()
    (tmp_path / "notelint.toml").write_text('vault = "vault"\nexternal-targets = ["chan"]\n')
    before = note(f"A claim {C}.\n", title="A")
    after = before.replace("00:01:02", "0:01:02").replace("A claim", "A claim!!")  # the same size; TS001
    assert len(before) == len(after)
    target = vault / "a.md"
    target.write_text(before)
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 0
    st = target.stat()
    time.sleep(0.01)  # let the status change time tick
    target.write_text(after)
    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert (target.stat().st_mtime_ns, target.stat().st_size) == (st.st_mtime_ns, st.st_size)
    assert main(["check", "--output-format", "concise"]) == 1
    assert capsys.readouterr().out.splitlines()[-1].startswith("vault/a.md:8:11: TS001 [*] malformed time")


# -- hostile names through --stdin-filename, --diff, --color always ----------------------------------

NAME = "a\x1b]0;PWNED\x07\n::error::b.md"
SHOWN = "a\\x1b]0;PWNED\\x07\\n::error::b.md"
SGR = re.compile("\x1b\\[[0-9;]*m")


def test_hostile_names_through_stdin_diff_and_color(tmp_path):
    vault = tmp_path / "vault"
    vault.mkdir()
    (tmp_path / "notelint.toml").write_text('vault = "vault"\nexternal-targets = ["chan"]\n')
    text = note(f"Claim {cite('1:02')}.\n")
    (vault / NAME).write_text(text)
    proc = subprocess.run(command("check", "--no-cache", f"vault/{NAME}", "--stdin-filename", f"vault/{NAME}x"),
                          cwd=tmp_path, env=env(), capture_output=True)
    assert proc.returncode == 2  # --stdin-filename takes no paths: the usage error is one line too
    proc = subprocess.run(command("check", "--no-cache", "--stdin-filename", f"vault/{NAME}"), cwd=tmp_path, env=env(),
                          input=text.encode(), capture_output=True)
    assert proc.stdout.decode().splitlines()[0].startswith(f"vault/{SHOWN}:8:7: TS001 [*] malformed time")
    proc = subprocess.run(command("check", "--no-cache", "--diff"), cwd=tmp_path, env=env(), capture_output=True)
    diff = proc.stdout.decode()
    assert proc.returncode == 1 and diff.splitlines()[:2] == [f"--- vault/{SHOWN}", f"+++ vault/{SHOWN}"]
    proc = subprocess.run(command("check", "--no-cache", "--color", "always", "--show-source"), cwd=tmp_path, env=env(),
                          capture_output=True)
    out = proc.stdout.decode()
    assert "\x1b" in out and "\x1b" not in SGR.sub("", out)  # colour codes only, none from the name
    assert f"vault/{SHOWN}" in SGR.sub("", out)
    for got in (proc.stdout, diff.encode()):
        assert not re.search(rb"[\x00-\x08\x0b-\x1a\x1c-\x1f\x7f]", got)


# -- a disk that is really full (a small tmpfs: needs the right to mount) ----------------------------


@pytest.fixture
def full_disk(tmp_path):
    mount = tmp_path / "disk"
    mount.mkdir()
    if not shutil.which("mount") or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount)],
                                                   capture_output=True).returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(folder: Path) -> None:
    with open(folder / "filler", "wb", buffering=0) as fh:
        try:
            while True:
                fh.write(b"\0" * 4096)
        except OSError:
            pass


def test_a_really_full_disk(full_disk):
    root = full_disk
    (root / "vault").mkdir()
    (root / "notelint.toml").write_text('vault = "vault"\nexternal-targets = ["chan"]\n')
    text = note(f"Claim {cite('1:02')}.\n")
    (root / "vault" / "a.md").write_text(text)
    fill(root)
    proc = subprocess.run(command("check", "--fix"), cwd=root, env=env(), capture_output=True)
    assert proc.returncode == 2
    assert proc.stderr.decode().splitlines() == [
        "notelint: cannot write vault/a.md: No space left on device",
        f"notelint: warning: cannot write the cache in {root}/.notelint_cache: No space left on device; going on without it",
    ]
    assert (root / "vault" / "a.md").read_text() == text
    proc = subprocess.run(command("check", "--output-file", "out.txt"), cwd=root, env=env(), capture_output=True)
    assert proc.returncode == 2 and proc.stderr.decode().endswith(
        "notelint: error: cannot write out.txt: No space left on device\n")
    assert leftovers(root) == [] and not (root / "out.txt").exists()
    gitignore = root / ".notelint_cache" / ".gitignore"
    assert not gitignore.exists() or gitignore.read_bytes() == GITIGNORE  # never an empty one
    (root / "filler").unlink()
    assert subprocess.run(command("check", "--fix"), cwd=root, env=env(), capture_output=True).returncode == 0
    assert gitignore.read_bytes() == GITIGNORE
