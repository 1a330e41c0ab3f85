"""``notelint check --changed-since REV`` on real git histories."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import cite, note

GIT_ENV = {
    "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Writer", "GIT_AUTHOR_EMAIL": "writer@example.org",
    "GIT_COMMITTER_NAME": "Writer", "GIT_COMMITTER_EMAIL": "writer@example.org",
}


class Repo:
    def __init__(self, root: Path):
        self.root = root
        self.env = {**{k: v for k, v in os.environ.items() if not k.startswith("GIT_")}, **GIT_ENV, "NO_COLOR": "1"}

    def git(self, *args: str) -> str:
        proc = subprocess.run(["git", *args], cwd=self.root, env=self.env, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
        return proc.stdout.strip()

    def write(self, name: str, text: str) -> None:
        path = self.root / "notes" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def commit(self, message: str = "change") -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)
        return self.git("rev-parse", "HEAD")

    def check(self, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "notelint", "check", "--output-format", "concise", *args],
            cwd=cwd or self.root, env=self.env, capture_output=True, text=True,
        )


def findings(proc) -> list[str]:
    return [line for line in proc.stdout.splitlines() if line]


PYLON = note(f"Pylons carry the stays {cite('00:01:00')}.\n\n## Harp layout\n\nParallel stays {cite('00:02:00')}.\n",
             title="Pylon towers")
DECK = note(f"The deck hangs from the stays {cite('00:03:00')}, see [[pylons]] {cite('00:03:30')}.\n", title="Deck")
# Obsidian resolution (the default since issue 12): a file name in any case, never a title
WIND = note(f"Wind loads the deck {cite('00:04:00')}; the [[PYLONS#Harp layout]] resists it {cite('00:04:30')}.\n",
            title="Wind")
LEGACY = note("An old uncited claim that was always there.\n\nAnd [[a note never written]].\n", title="Legacy")


@pytest.fixture
def repo(tmp_path):
    r = Repo(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[tool.notelint]\nvault = "notes"\nexternal-targets = ["chan"]\n', encoding="utf-8")
    r.write("pylons.md", PYLON)
    r.write("deck.md", DECK)
    r.write("wind.md", WIND)
    r.write("legacy.md", LEGACY)
    r.git("init", "-q", "-b", "main")
    r.base = r.commit("vault")
    return r


def test_rename_of_a_linked_note_is_caught_in_the_unchanged_notes(repo):
    repo.git("mv", "notes/pylons.md", "notes/bridge_pylons.md")
    repo.commit("rename pylons")
    proc = repo.check("--changed-since", repo.base)
    assert proc.returncode == 1, proc.stderr
    # deck.md and wind.md did not change; the rename broke their links by file name.
    assert findings(proc) == [
        "notes/deck.md:8:93: WL001 wiki-link target 'pylons' does not resolve",
        "notes/wind.md:8:83: WL001 wiki-link target 'PYLONS' does not resolve",
    ], proc.stdout
    # The same run without --changed-since would also report legacy.md's old findings.
    full = repo.check()
    assert any(line.startswith("notes/legacy.md") for line in findings(full))


def test_uncommitted_rename_and_alias(repo):
    # Renamed in the working tree only, with an alias: Obsidian resolves no aliases (issue 12), so
    # [[pylons]] breaks; the alias makes towers.md the one lenient match, which the fix links to.
    repo.git("mv", "notes/pylons.md", "notes/towers.md")
    repo.write("towers.md", PYLON.replace("title: Pylon towers", "title: Pylon towers\naliases: [pylons]"))
    proc = repo.check("--changed-since", repo.base)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    # deck.md and wind.md are checked (they link to towers.md's old keys)
    assert findings(proc) == [
        "notes/deck.md:8:93: WL001 [*] wiki-link target 'pylons' does not resolve; did you mean 'towers'?",
        "notes/wind.md:8:83: WL001 [*] wiki-link target 'PYLONS' does not resolve; did you mean 'towers'?",
    ]


def test_modified_note_only(repo):
    repo.write("deck.md", DECK + "\nA new claim without a citation.\n")
    repo.commit("edit deck")
    proc = repo.check("--changed-since", "HEAD~1")
    assert proc.returncode == 1
    assert findings(proc) == ["notes/deck.md:10:1: CL001 claim without a citation: 'A new claim without a citation.'"]
    text = repo.check("--changed-since", "HEAD~1", "--output-format", "text")
    assert text.stdout.splitlines()[-1] == "Found 1 finding (1 error) in 1 note."


def test_nothing_changed(repo):
    proc = subprocess.run([sys.executable, "-m", "notelint", "check", "--changed-since", "HEAD"],
                          cwd=repo.root, env=repo.env, capture_output=True, text=True)
    assert proc.returncode == 0
    assert proc.stdout == "All checks passed! (0 notes checked)\n"


def test_deleted_note_is_caught(repo):
    (repo.root / "notes" / "pylons.md").unlink()
    proc = repo.check("--changed-since", repo.base)
    assert proc.returncode == 1
    assert findings(proc) == [
        "notes/deck.md:8:93: WL001 wiki-link target 'pylons' does not resolve",
        "notes/wind.md:8:83: WL001 wiki-link target 'PYLONS' does not resolve",
    ]


def test_title_change_breaks_links_by_title(repo):
    repo.write("linker.md", note(f"By title: [[Deck]] {cite('00:05:00')}.\n", title="Linker"))
    base = repo.commit("linker")
    repo.write("deck.md", DECK.replace("title: Deck", "title: Deck hanging"))
    proc = repo.check("--changed-since", base)
    # deck.md's file name is still deck.md, so [[Deck]] resolves by file name: nothing broke.
    assert findings(proc) == []
    repo.git("mv", "notes/deck.md", "notes/hanging_deck.md")
    proc = repo.check("--changed-since", base)
    assert findings(proc) == ["notes/linker.md:8:11: WL001 wiki-link target 'Deck' does not resolve"]


def test_removed_heading_is_caught(repo):
    repo.write("pylons.md", PYLON.replace("## Harp layout", "## Fan layout"))
    repo.commit("rename heading")
    proc = repo.check("--changed-since", "HEAD~1")
    assert proc.returncode == 1
    assert findings(proc) == ["notes/wind.md:8:83: WL004 heading 'Harp layout' not found in 'pylons'"]


def test_added_note_that_makes_links_ambiguous(repo):
    repo.write("other/pylons.md", note(f"Other pylons {cite('00:06:00')}.\n", title="Other pylons"))  # untracked
    proc = repo.check("--changed-since", "HEAD")
    assert proc.returncode == 1
    lines = findings(proc)
    # other/pylons.md itself is clean; it made [[pylons]] and [[PYLONS#…]] ambiguous (Obsidian
    # takes the note whose path is the target)
    assert lines == [
        "notes/deck.md:8:93: WL003 wiki-link target 'pylons' is ambiguous: it matches other/pylons.md, pylons.md; "
        "the renderer picks pylons.md",
        "notes/wind.md:8:83: WL003 wiki-link target 'PYLONS' is ambiguous: it matches other/pylons.md, pylons.md; "
        "the renderer picks pylons.md",
    ]


def test_untracked_note_is_checked(repo):
    repo.write("new.md", note("Uncited.\n", title="New"))
    proc = repo.check("--changed-since", "HEAD")
    assert findings(proc) == ["notes/new.md:8:1: CL001 claim without a citation: 'Uncited.'"]


def test_pre_existing_findings_of_unchanged_linking_notes_are_not_reported(repo):
    # legacy.md links to [[a note never written]] and has an uncited claim; it is unchanged.
    repo.write("a note never written.md", note(f"Now written {cite('00:07:00')}.\n", title="Written"))
    repo.commit("write it")
    repo.git("rm", "-q", "notes/a note never written.md")
    repo.commit("unwrite it")
    proc = repo.check("--changed-since", "HEAD~1")
    # The deletion broke legacy.md's link again: that is reported; its uncited claim is not.
    assert findings(proc) == ["notes/legacy.md:10:5: WL001 wiki-link target 'a note never written' does not resolve"]


def test_merge_base_ignores_changes_made_on_the_base_branch(repo):
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("deck.md", DECK + "\nUncited feature claim.\n")
    repo.commit("feature")
    repo.git("checkout", "-q", "main")
    repo.write("main_only.md", note("Uncited main claim.\n", title="Main only"))
    repo.commit("main moves on")
    repo.git("checkout", "-q", "feature")
    proc = repo.check("--changed-since", "main")
    # main_only.md is not in the feature branch: not "deleted", not checked.
    assert findings(proc) == ["notes/deck.md:10:1: CL001 claim without a citation: 'Uncited feature claim.'"]


def test_vault_in_a_subfolder_run_from_elsewhere(repo):
    repo.write("deck.md", DECK + "\nAnother uncited claim.\n")
    sub = repo.root / "notes"
    proc = repo.check("--changed-since", "HEAD", "--config", str(repo.root / "pyproject.toml"), cwd=sub)
    assert findings(proc) == ["deck.md:10:1: CL001 claim without a citation: 'Another uncited claim.'"]


def test_bad_revision_exits_2_with_one_line(repo):
    proc = repo.check("--changed-since", "no-such-branch")
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr == "notelint: error: --changed-since: unknown git revision 'no-such-branch'\n"


def test_option_like_revision_is_not_an_option(repo):
    proc = repo.check("--changed-since=--output=/tmp/x")
    assert proc.returncode == 2
    assert proc.stderr.startswith("notelint: error: --changed-since: unknown git revision")


def test_not_a_git_repository_exits_2(tmp_path):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "a.md").write_text(note(f"Fine {cite('00:01:00')}.\n"), encoding="utf-8")
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("GIT_")}, **GIT_ENV, "GIT_CEILING_DIRECTORIES": str(tmp_path.parent)}
    proc = subprocess.run([sys.executable, "-m", "notelint", "check", "--changed-since", "HEAD"],
                          cwd=tmp_path, env=env, capture_output=True, text=True)
    assert proc.returncode == 2
    assert len(proc.stderr.splitlines()) == 1
    assert "is not in a git repository" in proc.stderr and "Traceback" not in proc.stderr


def test_changed_since_with_paths_is_a_usage_error(repo):
    proc = repo.check("--changed-since", "HEAD", "notes/deck.md")
    assert proc.returncode == 2
    assert proc.stderr.startswith("notelint: error: --changed-since takes no PATHS")


def test_github_format_in_changed_mode(repo):
    repo.git("mv", "notes/pylons.md", "notes/bridge_pylons.md")
    proc = repo.check("--changed-since", repo.base, "--output-format", "github")
    assert proc.returncode == 1
    assert proc.stdout.splitlines()[0].startswith("::error file=notes/deck.md,line=8,endLine=8,col=93,")


def test_path_style_link_broken_by_a_move(repo):
    repo.write("towers/tall.md", note(f"Tall towers {cite('00:08:00')}.\n", title="Tall"))
    repo.write("by_path.md", note(f"See [[towers/tall]] {cite('00:08:30')}.\n", title="By path"))
    base = repo.commit("towers")
    repo.git("mv", "notes/towers/tall.md", "notes/tall_towers.md")
    repo.write("tall_towers.md", note(f"Tall towers {cite('00:08:00')}.\n", title="High towers"))
    proc = repo.check("--changed-since", base)
    assert findings(proc) == ["notes/by_path.md:8:5: WL001 wiki-link target 'towers/tall' does not resolve"]


def test_excluded_notes_do_not_count(repo):
    (repo.root / "pyproject.toml").write_text(
        '[tool.notelint]\nvault = "notes"\nexternal-targets = ["chan"]\nexclude = ["drafts/*"]\n', encoding="utf-8")
    repo.write("drafts/idea.md", note("An uncited draft.\n", title="Idea"))
    repo.write("linker.md", note(f"Links to [[Idea]] {cite('00:09:00')}.\n", title="Linker"))
    base = repo.commit("draft")
    (repo.root / "notes" / "drafts" / "idea.md").unlink()
    repo.write("drafts/other.md", note("Another uncited draft.\n", title="Other"))
    proc = repo.check("--changed-since", base, "--output-format", "text")
    # Drafts are not in the vault: their changes are not checked, and linker.md's link
    # to one was broken before the deletion too.
    assert proc.returncode == 0, proc.stdout
    assert proc.stdout == "All checks passed! (0 notes checked)\n"
