"""Hostile paths and faults, the numbered cases of issue 17: each as a user or a faulty
machine meets it, through the command line in a subprocess where that is how it was
found. Kills, signals, concurrency and edits during a run are in ``test_faults.py``.

No test measures time: the cases that used to hang carry a hang guard
(``pytest.mark.timeout``, minutes) or a subprocess timeout, which only a hang reaches.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import socket
import stat
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote

import pytest
from conftest import REPO, cite, note

from notelint.findings import Finding
from notelint.report import FORMATS, render
from notelint.run.result import RunResult

HANG_GUARD = pytest.mark.timeout(300)  # a hang, not a slow machine
C = cite("00:01:02")
CONFIG = 'vault = "notes"\nexternal-targets = ["chan"]\n'
# what must never reach the output raw: C0 controls but tab and newline, DEL, C1 controls,
# line/paragraph separators, bidirectional controls
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def cli(cwd: Path, *args: str, stdin=None, timeout: float = 120, **env: str) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **env}
    full_env.pop("NOTELINT_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "notelint", *args], cwd=cwd, capture_output=True,
                          stdin=stdin if stdin is not None else subprocess.DEVNULL, timeout=timeout, env=full_env)


def project(root: Path, notes: dict[str, str | bytes], config: str = CONFIG) -> Path:
    (root / "notes").mkdir(parents=True, exist_ok=True)
    (root / "notelint.toml").write_text(config, encoding="utf-8")
    for name, text in notes.items():
        path = root / "notes" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return root


def lines(proc: subprocess.CompletedProcess) -> list[str]:
    return proc.stdout.decode("utf-8").splitlines()


# -- 1. a FIFO, a socket or a device is one NL001, and the run goes on -------------------------


@HANG_GUARD
def test_1_fifo_socket_and_device_are_one_nl001_each(tmp_path):
    project(tmp_path, {"a.md": note(f"Claim {C}.\n")})
    os.mkfifo(tmp_path / "notes" / "fifo.md")
    (tmp_path / "notes" / "link.md").symlink_to("fifo.md")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(tmp_path / "notes" / "sock.md"))
    try:
        expected = [
            "/dev/zero:1:1: NL001 not a regular file but a character device; not read",
            "notes/fifo.md:1:1: NL001 not a regular file but a FIFO (named pipe); not read",
            "notes/link.md:1:1: NL001 not a regular file but a FIFO (named pipe); not read",
            "notes/sock.md:1:1: NL001 not a regular file but a socket; not read",
            "Found 4 findings (4 errors) in 5 notes.",
        ]
        for extra in (["--no-cache"], [], [], ["--jobs", "2"]):  # cold, then warm from the cache
            proc = cli(tmp_path, "check", "notes", "/dev/zero", *extra, timeout=60)
            assert (proc.returncode, proc.stderr, lines(proc)) == (1, b"", expected)
    finally:
        sock.close()


@HANG_GUARD
def test_1_a_fifo_is_not_read_by_fix_diff_or_show_source(tmp_path):
    project(tmp_path, {"a.md": note(f"Claim {cite('1:02')}.\n")})
    os.mkfifo(tmp_path / "notes" / "fifo.md")
    for args in (["--diff"], ["--show-source"], ["--output-format", "sarif"], ["--fix"]):
        proc = cli(tmp_path, "check", "--no-cache", *args, timeout=60)
        assert proc.returncode == 1, (args, proc.stderr)
    assert "00:01:02" in (tmp_path / "notes" / "a.md").read_text()


@HANG_GUARD
def test_1_a_gitignore_that_is_a_fifo_is_not_read(tmp_path):
    project(tmp_path, {"a.md": note("Uncited claim.\n")})
    os.mkfifo(tmp_path / "notes" / ".gitignore")
    proc = cli(tmp_path, "check", "--no-cache", timeout=60)
    assert proc.returncode == 1 and lines(proc)[-1] == "Found 1 finding (1 error) in 1 note."


# -- 2. control characters in names and messages never reach the output raw -------------------

HOSTILE_NAMES = [
    "a\n::error file=x.md::INJECTED.md",  # a GitHub Actions workflow command on a line of its own
    "b\x1b]0;PWNED\x07.md",  # OSC: retitles the terminal
    "c\rfake.md",  # carriage return: overwrites the line shown
    "d\x1b[2J\x9b31m.md",  # clears the screen; a C1 CSI
    "e\u202egnp.md",  # right-to-left override: shows as e‮gnp.md reversed
]
ESCAPED = ["a\\n::error file=x.md::INJECTED.md", "b\\x1b]0;PWNED\\x07.md", "c\\rfake.md", "d\\x1b[2J\\x9b31m.md",
           "e\\u202egnp.md"]


@pytest.fixture
def hostile(tmp_path):
    return project(tmp_path, {name: note("Uncited claim.\n") for name in HOSTILE_NAMES})


def test_2_text_and_concise_show_escapes(hostile):
    for fmt in ("text", "concise"):
        proc = cli(hostile, "check", "--no-cache", "--output-format", fmt)
        assert proc.returncode == 1 and proc.stderr == b""
        assert not RAW_CONTROL.search(proc.stdout.decode("utf-8"))
        got = lines(proc)
        findings = sorted(f"notes/{name}:8:1: CL001 claim without a citation: 'Uncited claim.'" for name in ESCAPED)
        assert sorted(got[:5]) == findings
        assert got[5:] == (["Found 5 findings (5 errors) in 5 notes."] if fmt == "text" else [])


def test_2_github_output_has_one_command_per_line(hostile):
    proc = cli(hostile, "check", "--no-cache", "--output-format", "github")
    out = proc.stdout.decode("utf-8")
    assert proc.returncode == 1 and not RAW_CONTROL.search(out)
    got = out.splitlines()
    assert len(got) == 5 and all(line.startswith("::error file=notes/") for line in got)
    assert "::error file=notes/a%0A%3A%3Aerror file=x.md%3A%3AINJECTED.md,line=8," in out  # LF as the runner reads it
    assert "file=notes/b\\x1b]0;PWNED\\x07.md," in out


def test_2_json_formats_keep_the_exact_names_escaped(hostile):
    expected = {f"notes/{name}" for name in HOSTILE_NAMES}
    for fmt in ("json", "gitlab", "sarif"):
        proc = cli(hostile, "check", "--no-cache", "--output-format", fmt)
        out = proc.stdout.decode("utf-8")
        assert proc.returncode == 1 and not RAW_CONTROL.search(out), fmt
        data = json.loads(out)
        if fmt == "json":
            paths = {f["path"] for f in data["findings"]}
        elif fmt == "gitlab":
            paths = {i["location"]["path"] for i in data}
        else:
            paths = {unquote(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
                     for r in data["runs"][0]["results"]}
        assert paths == expected, fmt


def test_2_junit_shows_escapes(hostile):
    proc = cli(hostile, "check", "--no-cache", "--output-format", "junit")
    out = proc.stdout.decode("utf-8")
    assert proc.returncode == 1 and not RAW_CONTROL.search(out)
    names = {case.get("name") for case in ET.fromstring(out).iter("testcase")}
    assert names == {f"notes/{name}" for name in ESCAPED}


def test_2_show_files_shows_escapes(hostile):
    proc = cli(hostile, "check", "--show-files")
    assert proc.returncode == 0 and sorted(lines(proc)) == sorted(f"notes/{name}" for name in ESCAPED)


def test_2_every_format_escapes_paths_and_messages():
    """Every registered format, formats added later included: no raw control character, and
    a newline in a name adds no line to the output."""
    def result(name: str, message: str) -> RunResult:
        findings = [Finding("CL001", "error", name, 8, 1, message, 8, 2)]
        return RunResult(findings, [name], 1)

    for fmt in FORMATS:
        plain = render(fmt, result("notes/a.md", "claim 'x'"), rule_names={"CL001": "uncited-claim"})
        for name in HOSTILE_NAMES:
            out = render(fmt, result(f"notes/{name}", f"claim {name}"), rule_names={"CL001": "uncited-claim"})
            assert not RAW_CONTROL.search(out), (fmt, name)
            if plain.lstrip().startswith(("{", "[")):
                json.loads(out)  # valid JSON holds no raw line break inside a string
            else:
                assert out.count("\n") == plain.count("\n"), (fmt, name)


def test_2_standard_error_shows_escapes(tmp_path):
    project(tmp_path, {})
    proc = cli(tmp_path, "check", "notes/x\x1b]0;PWNED\x07\n::error::y.md")
    assert proc.returncode == 2
    assert proc.stderr == b"notelint: error: notes/x\\x1b]0;PWNED\\x07\\n::error::y.md: no such file or directory\n"


# -- 3. every file that is not a note: a regular file, under a cap ------------------------------


@HANG_GUARD
@pytest.mark.parametrize("key", ["schema", "videos"])
def test_3_schema_or_videos_file_that_is_a_device(tmp_path, key):
    project(tmp_path, {"a.md": note(f"Claim {C}.\n")}, CONFIG + f'{key} = "/dev/zero"\n')
    proc = cli(tmp_path, "check", "--no-cache", timeout=60)
    assert proc.returncode == 2 and proc.stdout == b""
    reason = "not a regular file but a character device"
    expected = {
        "schema": f"key 'schema': cannot load /dev/zero: {reason}",
        "videos": f"key 'videos': /dev/zero: cannot read videos file: {reason}",
    }[key]
    assert proc.stderr == f"notelint: error: {tmp_path}/notelint.toml: {expected}\n".encode()


@HANG_GUARD
def test_3_files_over_their_cap_name_the_file_and_the_cap(tmp_path):
    project(tmp_path, {"a.md": note(f"Claim {C}.\n")})
    big = tmp_path / "big.json"
    with big.open("wb") as fh:  # sparse: nothing is written, and nothing must be read
        fh.truncate(300 * 1024 * 1024)
    cases = {
        "schema": "key 'schema': cannot load {big}: file is 314572800 bytes, over the 16777216-byte limit "
                  "for a front matter schema",
        "videos": "key 'videos': {big}: cannot read videos file: file is 314572800 bytes, over the "
                  "67108864-byte limit for a videos file",
    }
    for key, message in cases.items():
        (tmp_path / "notelint.toml").write_text(CONFIG + f'{key} = "big.json"\n')
        proc = cli(tmp_path, "check", "--no-cache", timeout=60)
        assert proc.returncode == 2
        assert proc.stderr.decode() == f"notelint: error: {tmp_path}/notelint.toml: {message.format(big=big)}\n"
    (tmp_path / "notelint.toml").write_text(CONFIG)
    proc = cli(tmp_path, "check", "--no-cache", "--config", str(big), timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.decode() == (f"notelint: error: {big}: cannot read: file is 314572800 bytes, over the "
                                    "1048576-byte limit for a configuration file\n")
    proc = cli(tmp_path, "audit", "--baseline", str(big), "--json", "out.json", timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.decode() == (f"notelint: error: cannot read baseline {big}: file is 314572800 bytes, over the "
                                    "268435456-byte limit for an audit baseline\n")


@HANG_GUARD
def test_3_config_and_baseline_that_are_devices_or_fifos(tmp_path):
    project(tmp_path, {"a.md": note(f"Claim {C}.\n")})
    os.mkfifo(tmp_path / "fifo.toml")
    for path in ("/dev/zero", str(tmp_path / "fifo.toml")):
        proc = cli(tmp_path, "check", "--config", path, timeout=60)
        assert proc.returncode == 2
        assert proc.stderr.decode().startswith(f"notelint: error: {path}: cannot read: not a regular file but ")
    proc = cli(tmp_path, "audit", "--baseline", "/dev/zero", "--json", "out.json", timeout=60)
    assert proc.returncode == 2
    assert proc.stderr == b"notelint: error: cannot read baseline /dev/zero: not a regular file but a character device\n"


@HANG_GUARD
def test_3_standard_input_is_read_up_to_the_cap(tmp_path):
    project(tmp_path, {"a.md": note(f"Claim {C}.\n")}, CONFIG + "max-file-size = 1000\n")
    with open("/dev/zero", "rb") as zero:
        proc = cli(tmp_path, "check", "--stdin-filename", "notes/new.md", stdin=zero, timeout=60)
    assert (proc.returncode, proc.stderr) == (1, b"")
    assert lines(proc) == ["notes/new.md:1:1: NL001 input is larger than 1000 bytes (max-file-size)",
                           "Found 1 finding (1 error) in 1 note."]


def test_3_cache_shards_that_are_fifos_are_ignored(tmp_path):
    project(tmp_path, {"a.md": note("Uncited claim.\n")})
    assert cli(tmp_path, "check").returncode == 1
    [shard] = [p for p in (tmp_path / ".notelint_cache").glob("*/index-*.bin") if b"a.md" in p.read_bytes()]
    shard.unlink()
    os.mkfifo(shard)
    proc = cli(tmp_path, "check", timeout=60)
    assert proc.returncode == 1 and lines(proc)[0] == "notes/a.md:8:1: CL001 claim without a citation: 'Uncited claim.'"


# -- 4. the same output whatever the hash seed ------------------------------------------------


def test_4_suggestions_do_not_depend_on_the_hash_seed(tmp_path):
    """61 notes; the link's target shares one word with 30 notes and another with 30 more, all
    equally close: which 25 candidates are scored used to follow the hash seed."""
    head = "---\ntitle: {}\nvideoId: abcdefghijk\n---\n\nFrom: [[chan]] <br/>\n\n"
    notes = {f"{word} {i:02d}.md": head.format(f"{word} {i:02d}") + f"Claim {C}.\n"
             for word in ("omega", "zeta") for i in range(1, 31)}
    notes["linker.md"] = head.format("Linker") + f"See [[zeta omega]] {C}.\n"
    project(tmp_path, notes)
    outputs = {seed: cli(tmp_path, "check", "--no-cache", "--jobs", "1", PYTHONHASHSEED=seed).stdout
               for seed in ("0", "1", "2", "3", "4", "5")}
    assert len(set(outputs.values())) == 1, outputs
    assert next(iter(outputs.values())).decode().splitlines()[0] == (
        "notes/linker.md:8:5: WL001 wiki-link target 'zeta omega' does not resolve; "
        "did you mean 'omega 01' or 'omega 02' or 'omega 03'?")


# -- 5. many notes on one video: linear ------------------------------------------------------


@pytest.mark.timeout(120)  # quadratic steps took minutes to hours at this size; the linear path, seconds
def test_5_a_hundred_thousand_notes_on_one_video_with_one_title(tmp_path):
    """The vault stages (index, vault rules, placing, suppressions) over 100,000 notes that share a
    videoId and a title: TS007 compared each note with every other (hours), and filing a note
    under a key scanned the notes already filed there (minutes)."""
    from notelint.config import Settings
    from notelint.discover import NoteFile
    from notelint.rules.registry import RuleContext
    from notelint.rules.selection import resolve_selection
    from notelint.run import NoteResult, lint_text
    from notelint.run.finish import finish

    settings = Settings(root=tmp_path, vault=tmp_path, external_targets=["chan"])
    settings.selected = resolve_selection(None)
    ctx = RuleContext(settings)
    # three times a note: TS007 trusts such a note as a reference for the others
    usual = note(f"A claim {cite('00:12:00')}, {cite('00:13:00')}, {cite('00:14:20')}.\n").encode()
    outlier = note(f"A claim {cite('10:53:00')}.\n").encode()
    template = lint_text(NoteFile(tmp_path / "n.md", "n.md", "n.md"), usual, ctx)
    results = []
    for i in range(100_000):
        rel = f"n{i:06d}.md"
        if i == 50_000:
            res = lint_text(NoteFile(tmp_path / rel, rel, rel), outlier, ctx)
        else:  # the same note under another name: parsed once, not 100,000 times
            res = NoteResult(NoteFile(tmp_path / rel, rel, rel), [], template.entry._replace(rel=rel), [], True, usual)
        results.append(res)
    run = finish(results, ctx)
    assert [(f.path, f.code) for f in run.findings] == [("n050000.md", "TS007")]


def test_5_an_ambiguous_link_lists_at_most_ten_notes(tmp_path):
    # twelve notes named same.md (Obsidian's resolution, the default, has no titles as keys)
    notes = {f"s{i:02d}/same.md": note(f"Claim {C}.\n", title="Same") for i in range(12)}
    notes["linker.md"] = note(f"See [[Same]] {C}.\n", title="Linker")
    project(tmp_path, notes)
    proc = cli(tmp_path, "check", "--no-cache")
    names = ", ".join(f"s{i:02d}/same.md" for i in range(10))
    assert lines(proc)[0] == (f"notes/linker.md:8:5: WL003 wiki-link target 'Same' is ambiguous: it matches {names} "
                              "and 2 more; the renderer picks s00/same.md")


# -- 6. the cache folder always has its .gitignore ----------------------------------------------


def test_6_an_empty_gitignore_in_the_cache_is_written_again(tmp_path):
    project(tmp_path, {"a.md": note(f"Claim {C}.\n")})
    (tmp_path / ".notelint_cache").mkdir()
    (tmp_path / ".notelint_cache" / ".gitignore").write_bytes(b"")  # what a full disk left
    assert cli(tmp_path, "check").returncode == 0
    assert (tmp_path / ".notelint_cache" / ".gitignore").read_bytes() == b"# Created by notelint automatically.\n*\n"


def test_6_a_changed_since_run_leaves_no_cache_folder_without_gitignore(tmp_path):
    project(tmp_path, {"a.md": note(f"Claim {C}.\n")})
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false"]
    subprocess.run([*git, "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run([*git, "add", "-A"], cwd=tmp_path, check=True)
    subprocess.run([*git, "commit", "-qm", "x"], cwd=tmp_path, check=True)
    (tmp_path / "notes" / "b.md").write_text(note(f"Another claim {C}.\n", title="B"))
    proc = cli(tmp_path, "check", "--changed-since", "HEAD")
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / ".notelint_cache" / ".gitignore").read_bytes() == b"# Created by notelint automatically.\n*\n"
    status = subprocess.run(["git", "status", "--porcelain"], cwd=tmp_path, capture_output=True, text=True).stdout
    assert status == "?? notes/b.md\n"


def test_6_a_full_disk_while_the_cache_is_created(tmp_path, monkeypatch, capsys):
    """(A real full disk: ``test_faults.py``.)"""
    from notelint import cache
    from notelint.cli import main

    project(tmp_path, {"a.md": note(f"Claim {C}.\n")})
    monkeypatch.chdir(tmp_path)
    real = cache.write_atomic

    def full(*args, **kw):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(cache, "write_atomic", full)
    assert main(["check"]) == 0
    out, err = capsys.readouterr()
    assert err == (f"notelint: warning: cannot write the cache in {tmp_path}/.notelint_cache: No space left on device; "
                   "going on without it\n")
    monkeypatch.setattr(cache, "write_atomic", real)
    assert main(["check"]) == 0
    assert (tmp_path / ".notelint_cache" / ".gitignore").read_bytes() == b"# Created by notelint automatically.\n*\n"
    assert capsys.readouterr().err == ""


def test_6_the_cache_never_writes_through_a_symbolic_link(tmp_path):
    """A repository may hold links where notelint keeps its cache."""
    project(tmp_path, {"a.md": note(f"Claim {C}.\n")})
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "bashrc").write_text("precious\n")
    (tmp_path / ".notelint_cache").mkdir()
    (tmp_path / ".notelint_cache" / ".gitignore").symlink_to(victim / "bashrc")
    (tmp_path / ".notelint_cache" / "dangling.json").symlink_to(victim / "created")
    assert cli(tmp_path, "check").returncode == 0
    assert (victim / "bashrc").read_text() == "precious\n" and sorted(os.listdir(victim)) == ["bashrc"]
    gitignore = tmp_path / ".notelint_cache" / ".gitignore"
    assert not gitignore.is_symlink() and gitignore.read_bytes() == b"# Created by notelint automatically.\n*\n"
    shutil.rmtree(tmp_path / ".notelint_cache")
    (tmp_path / ".notelint_cache").symlink_to(victim)
    proc = cli(tmp_path, "check")
    assert proc.returncode == 0 and sorted(os.listdir(victim)) == ["bashrc"]
    assert proc.stderr.decode() == (f"notelint: warning: cannot use the cache in {tmp_path}/.notelint_cache: a symbolic "
                                    "link stands in its place; going on without it\n")


# -- 7. a failed --fix write is an error -------------------------------------------------------


def test_7_a_failed_fix_write_exits_2(tmp_path, monkeypatch, capsys):
    from notelint import fix
    from notelint.cli import main

    text = note(f"Claim {cite('1:02')}.\n")
    project(tmp_path, {"a.md": text})
    monkeypatch.chdir(tmp_path)

    def full(*args, **kw):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(fix, "write_atomic", full)
    assert main(["check", "--no-cache", "--fix"]) == 2
    out, err = capsys.readouterr()
    assert err == "notelint: cannot write notes/a.md: No space left on device\n"
    assert "TS001" in out  # the finding is still there, and reported
    assert (tmp_path / "notes" / "a.md").read_text() == text
    assert main(["check", "--no-cache", "--fix-only"]) == 2  # which otherwise always exits 0
    assert capsys.readouterr().err == "notelint: cannot write notes/a.md: No space left on device\n"


# -- 8. temporary files left by kill -9 are removed on the next run -----------------------------


def _leftover(folder: Path, name: str, age: float = 300) -> Path:
    path = folder / name
    path.write_bytes(b"half of a note")
    past = path.stat().st_mtime - age
    os.utime(path, (past, past))
    return path


def test_8_stale_temporary_files_beside_notes_are_removed(tmp_path):
    import fcntl

    project(tmp_path, {"a.md": note(f"Claim {C}.\n"), "sub/b.md": note(f"Claim {C}.\n", title="B")})
    stale = [_leftover(tmp_path / "notes", ".notelint-tmp.a.md.x1y2z3"),
             _leftover(tmp_path / "notes" / "sub", ".notelint-tmp.b.md.abcdef")]
    fresh = _leftover(tmp_path / "notes", ".notelint-tmp.a.md.fresh1", age=0)  # a writer may be at work
    held = _leftover(tmp_path / "notes", ".notelint-tmp.a.md.held12")  # a live writer holds its lock
    other = _leftover(tmp_path / "notes", ".tmp-not-ours.md")
    with open(held, "rb") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        proc = cli(tmp_path, "check", "--no-cache")
    assert proc.returncode == 0, proc.stderr
    assert [p.exists() for p in stale] == [False, False]
    assert fresh.exists() and held.exists() and other.exists()


def test_8_stale_temporary_files_in_the_cache_are_removed(tmp_path):
    project(tmp_path, {"a.md": note(f"Claim {C}.\n")})
    assert cli(tmp_path, "check").returncode == 0
    [folder] = [p for p in (tmp_path / ".notelint_cache").iterdir() if p.is_dir()]
    stale = _leftover(folder, ".notelint-tmp.index-07.bin.k9k9k9")
    (tmp_path / "notes" / "b.md").write_text(note(f"Claim {C}.\n", title="B"))  # so that the run saves
    assert cli(tmp_path, "check").returncode == 0
    assert not stale.exists()


def test_8_the_temporary_file_of_a_writer_killed_by_kill_9(tmp_path):
    """A real writer, killed while it holds its temporary file: the kernel drops its lock."""
    import signal
    import time

    target = tmp_path / "notes" / "a.md"
    project(tmp_path, {"a.md": note(f"Claim {C}.\n")})
    code = ("import os, sys, time; from notelint import atomic\n"
            "os.replace = lambda *a: (print('writing', flush=True), time.sleep(600))\n"
            f"atomic.write_atomic({str(target)!r}, b'new text')\n")
    writer = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE)
    try:
        assert writer.stdout.readline() == b"writing\n"
        [tmp] = (tmp_path / "notes").glob(".notelint-tmp.a.md.*")
        past = time.time() - 300
        os.utime(tmp, (past, past))
        assert cli(tmp_path, "check", "--no-cache").returncode == 0
        assert tmp.exists()  # its writer is alive: not a leftover
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        assert cli(tmp_path, "check", "--no-cache").returncode == 0
        assert not tmp.exists()
        assert target.read_text() == note(f"Claim {C}.\n")
    finally:
        writer.kill()
        writer.wait()


# -- 10. smaller ones -------------------------------------------------------------------------


def test_10_video_id_with_a_final_newline(tmp_path):
    import jsonschema

    from notelint.audit.html import video_url

    project(tmp_path, {"a.md": note(f"Claim {C}.\n", video='"abcdefghijk\\n"')})
    proc = cli(tmp_path, "check", "--no-cache")
    assert lines(proc)[0] == ("notes/a.md:3:10: FM004 'videoId' 'abcdefghijk\\n' must be 11 characters of A-Z, "
                              "a-z, 0-9, '_' or '-'")
    schema = json.loads((REPO / "schemas" / "note.schema.json").read_text())
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors({"title": "A", "videoId": "abcdefghijk\n"}))
    assert [e.validator for e in errors] == ["maxLength"]  # Python's "$" matches before a final newline
    assert video_url("abcdefghijk\n") is None and video_url("abcdefghijk") is not None


def test_10_output_file_through_a_symbolic_link_is_atomic(tmp_path):
    project(tmp_path, {"a.md": note("Uncited claim.\n")})
    target = tmp_path / "reports" / "real.json"
    target.parent.mkdir()
    target.write_text("old report")
    target.chmod(0o600)
    link = tmp_path / "report.json"
    link.symlink_to(target)
    before = target.stat().st_ino
    stale = _leftover(target.parent, ".notelint-tmp.real.json.abc123")
    proc = cli(tmp_path, "check", "--no-cache", "--output-format", "json", "--output-file", "report.json")
    assert proc.returncode == 1 and proc.stdout == b"" and proc.stderr == b""
    assert link.is_symlink() and os.readlink(link) == str(target)  # the link stays a link
    assert json.loads(target.read_text())["summary"]["findings"] == 1
    assert target.stat().st_ino != before  # a new file renamed over the old one: never half written
    assert stat.S_IMODE(target.stat().st_mode) == 0o600  # its permission bits kept
    assert not stale.exists()
    assert sorted(p.name for p in target.parent.iterdir()) == ["real.json"]
    audit_link = tmp_path / "audit.json"
    audit_link.symlink_to(target)
    assert cli(tmp_path, "audit", "--json", "audit.json").returncode == 0
    assert audit_link.is_symlink() and json.loads(target.read_text())["tool"] == "notelint"


def test_10_an_output_file_that_is_not_a_regular_file_is_written_as_it_is(tmp_path):
    project(tmp_path, {"a.md": note("Uncited claim.\n")})
    proc = cli(tmp_path, "check", "--no-cache", "--output-file", "/dev/stdout")  # a pipe here
    assert (proc.returncode, proc.stderr) == (1, b"")
    assert lines(proc) == ["notes/a.md:8:1: CL001 claim without a citation: 'Uncited claim.'",
                           "Found 1 finding (1 error) in 1 note."]
    proc = cli(tmp_path, "check", "--no-cache", "--output-file", "/dev/null")
    assert (proc.returncode, proc.stdout, proc.stderr) == (1, b"", b"")


def test_10_an_output_file_that_cannot_be_written_is_an_error(tmp_path, monkeypatch, capsys):
    from notelint import atomic
    from notelint.cli import main

    project(tmp_path, {"a.md": note("Uncited claim.\n")})
    (tmp_path / "out.txt").write_text("old report")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(atomic.os, "fsync", lambda fd: (_ for _ in ()).throw(OSError(errno.ENOSPC, "No space left on device")))
    assert main(["check", "--no-cache", "--output-file", "out.txt"]) == 2
    assert capsys.readouterr().err == "notelint: error: cannot write out.txt: No space left on device\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notelint.toml", "notes", "out.txt"]
    assert (tmp_path / "out.txt").read_text() == "old report"


def test_10_a_cache_that_cannot_be_written_is_said_once(tmp_path):
    project(tmp_path, {"a.md": note("Uncited claim.\n"), "b.md": note("Uncited claim.\n", title="B")})
    (tmp_path / ".notelint_cache").write_text("not a folder")
    proc = cli(tmp_path, "check")
    assert proc.returncode == 1 and len(lines(proc)) == 3
    assert proc.stderr.decode() == (f"notelint: warning: cannot write the cache in {tmp_path}/.notelint_cache: "
                                    "File exists; going on without it\n")


# -- 11. notelint.toml written like the README's pyproject.toml ---------------------------------


def test_11_notelint_toml_with_a_tool_notelint_table(tmp_path):
    project(tmp_path, {"a.md": note("Uncited claim.\n")}, "[tool.notelint]\n" + CONFIG)
    proc = cli(tmp_path, "check", "--no-cache")
    assert proc.returncode == 1 and lines(proc)[-1] == "Found 1 finding (1 error) in 1 note."
    (tmp_path / "notelint.toml").write_text('fail-level = "error"\n\n[tool.notelint]\n' + CONFIG)
    proc = cli(tmp_path, "check", "--no-cache")
    assert proc.returncode == 2
    assert proc.stderr.decode() == (
        f"notelint: error: {tmp_path}/notelint.toml: unknown key 'tool': write the settings at the top level of "
        'notelint.toml (vault = "notes"), or all of them under one [tool.notelint] table\n')
