"""``notelint check --stdin-filename PATH``: the note comes on standard input, the vault from around PATH."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import cite, note

ON_DISK = note(f"Old text {cite('00:01:00')}.\n\n## Old heading\n\nMore {cite('00:01:30')}.\n", title="Cables")
OTHER = note(f"Pylons {cite('00:02:00')}.\n", title="Pylon towers")


def check(cwd, *args, stdin: bytes) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "notelint", "check", "--output-format", "concise", *args],
        cwd=cwd, input=stdin, capture_output=True, env={**os.environ, "NO_COLOR": "1"},
    )


@pytest.fixture
def project(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[tool.notelint]\nvault = "notes"\nexternal-targets = ["chan"]\n\n'
        '[tool.notelint.per-file-ignores]\n"drafts/*.md" = ["CL001"]\n', encoding="utf-8")
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "cables.md").write_text(ON_DISK, encoding="utf-8")
    (tmp_path / "notes" / "pylons.md").write_text(OTHER, encoding="utf-8")
    return tmp_path


def test_stdin_replaces_the_file_on_disk(project):
    text = note(
        f"New text on [[Pylons]] and [[no such note]] {cite('00:03:00')}.\n\n## New heading\n\n"
        f"See [[#New heading]] and [[#Old heading]] {cite('00:03:30')}.\n",
        title="Cables",
    )
    proc = check(project, "--stdin-filename", "notes/cables.md", stdin=text.encode())
    assert proc.returncode == 1, proc.stderr
    # Links resolve against the vault (pylons.md, by its file name: no titles in Obsidian's
    # resolution, the default) and against the note as given on stdin,
    # not its version on disk: [[#Old heading]] is gone, [[#New heading]] is there.
    assert proc.stdout.decode().splitlines() == [
        "notes/cables.md:8:28: WL001 wiki-link target 'no such note' does not resolve",
        "notes/cables.md:12:26: WL004 heading 'Old heading' not found in 'cables'",
    ]
    assert (project / "notes" / "cables.md").read_text(encoding="utf-8") == ON_DISK  # untouched


def test_stdin_path_need_not_exist(project):
    text = note(f"A draft on [[pylons]] {cite('00:04:00')}.\n\nAn uncited line, ignored in drafts/.\n")
    proc = check(project, "--stdin-filename", "notes/drafts/new.md", "--output-format", "text", stdin=text.encode())
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.decode() == "All checks passed! (1 note checked)\n"


def test_stdin_shows_its_own_source_line(project):
    text = note(f"Broken [[nowhere]] {cite('00:05:00')}.\n")
    proc = check(project, "--stdin-filename", "notes/cables.md", "--output-format", "text", "--show-source",
                 stdin=text.encode())
    lines = proc.stdout.decode().splitlines()
    assert lines[0] == "notes/cables.md:8:8: WL001 wiki-link target 'nowhere' does not resolve"
    assert lines[1].endswith("| " + text.splitlines()[7])
    assert lines[2].endswith("|        ^^^^^^^^^^^")


def test_stdin_sarif_names_the_path(project):
    proc = check(project, "--stdin-filename", "notes/cables.md", "--output-format", "sarif",
                 stdin=note("Uncited.\n").encode())
    doc = json.loads(proc.stdout)
    [result] = doc["runs"][0]["results"]
    assert result["ruleId"] == "CL001"
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "notes/cables.md"


def test_stdin_without_configuration_uses_the_folder_around_the_path(tmp_path):
    (tmp_path / "vault").mkdir()
    (tmp_path / "vault" / "pylons.md").write_text(OTHER, encoding="utf-8")
    text = note(f"See [[Pylons]] and [[missing]] {cite('00:06:00')}.\n", header="---\ntitle: A\nvideoId: abcdefghijk\n---\n\nFrom: [[pylons]] <br/>\n\n")
    proc = check(tmp_path, "--stdin-filename", "vault/a.md", stdin=text.encode())
    assert proc.stdout.decode().splitlines() == ["vault/a.md:8:20: WL001 wiki-link target 'missing' does not resolve"]


def test_stdin_bad_bytes_are_a_finding_not_a_crash(project):
    proc = check(project, "--stdin-filename", "notes/cables.md", stdin=b"---\ntitle: caf\xe9\n---\n")
    assert proc.returncode == 1
    assert proc.stderr == b""
    assert proc.stdout.decode() == (
        "notes/cables.md:2:11: NL001 not valid UTF-8: byte 0xe9 at offset 14 (invalid continuation byte)\n")


def test_stdin_with_paths_is_a_usage_error(project):
    proc = check(project, "--stdin-filename", "notes/a.md", "notes/cables.md", stdin=b"")
    assert proc.returncode == 2
    assert proc.stderr.decode() == "notelint: error: --stdin-filename takes no PATHS and no --changed-since\n"
