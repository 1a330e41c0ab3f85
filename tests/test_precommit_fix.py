"""The ``notelint-fix`` hook of ``.pre-commit-hooks.yaml``, run by the real pre-commit.

A temporary git repository holds a small vault and a ``.pre-commit-config.yaml``
whose ``repo:`` is a git snapshot of this checkout's working tree (its
``notelint/`` package, ``pyproject.toml``, ``README.md`` and
``.pre-commit-hooks.yaml``), so the hook runs the code under test, committed
or not. pre-commit clones that repository at ``rev:``, builds its own
virtualenv and installs notelint into it, as it does for users.

As with every pre-commit fixer, the first ``git commit`` fails because the
hook changed the staged note; after ``git add`` the second one succeeds.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO

NOTE = (
    "---\ntitle: A note\nvideoId: abcdefghijk\n---\n\nFrom: [[chan]] <br/>\n\n"
    'A claim <a class="yt-timestamp" data-t="21:12">[21:12]</a>.\n'
)
FIXED = NOTE.replace('data-t="21:12">[21:12]', 'data-t="00:21:12">[00:21:12]')


def git(cwd: Path, *args: str, env=None, check=True) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=check)


def snapshot(dest: Path) -> str:
    """A one-commit git repository with this checkout's files; returns its HEAD sha."""
    dest.mkdir()
    for name in ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml"):
        shutil.copy2(REPO / name, dest / name)
    shutil.copytree(REPO / "notelint", dest / "notelint", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    git(dest, "init", "-q")
    git(dest, "add", "-A")
    git(dest, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false",
        "commit", "-q", "-m", "snapshot")
    return git(dest, "rev-parse", "HEAD").stdout.strip()


def test_notelint_fix_hook_fixes_and_fails_the_commit_once(tmp_path):
    rev = snapshot(tmp_path / "hookrepo")
    work = tmp_path / "vaultrepo"
    (work / "notes").mkdir(parents=True)
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid",
        "PRE_COMMIT_COLOR": "never",
    }
    env.pop("VIRTUAL_ENV", None)
    git(work, "init", "-q", env=env)
    git(work, "config", "commit.gpgsign", "false", env=env)
    (work / "notelint.toml").write_text('vault = "notes"\nexternal-targets = ["chan"]\n')
    (work / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {(tmp_path / 'hookrepo').as_posix()}\n    rev: {rev}\n    hooks:\n      - id: notelint-fix\n"
    )
    note = work / "notes" / "a.md"
    note.write_text(NOTE)
    install = subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=work, env=env,
                             capture_output=True, text=True)
    assert install.returncode == 0, install.stdout + install.stderr
    git(work, "add", "-A", env=env)

    first = git(work, "commit", "-m", "add a note", env=env, check=False)
    assert first.returncode == 1, first.stdout + first.stderr
    out = first.stdout + first.stderr
    assert "files were modified by this hook" in out
    assert "Fixed 1 finding in 1 note." in out
    assert note.read_text() == FIXED
    assert git(work, "rev-list", "--all", env=env).stdout == ""  # nothing committed

    git(work, "add", "notes/a.md", env=env)
    second = git(work, "commit", "-m", "add a note", env=env, check=False)
    assert second.returncode == 0, second.stdout + second.stderr
    assert git(work, "show", "HEAD:notes/a.md", env=env).stdout == FIXED
