"""The pre-commit hooks, for real: the real ``pre-commit``, real git, real commits.

``test_hook_from_this_checkout`` installs the ``notelint`` hook of
``.pre-commit-hooks.yaml`` the way another repository would (``repo:`` + ``rev:``):
pre-commit clones the repository at ``rev``, builds a virtual environment and
pip-installs notelint into it. The repository it clones is a snapshot of this
checkout's working tree (tracked and untracked files, committed or not, as
``pre-commit try-repo`` does), so the test checks the code as it is now; in CI's
fresh clone that is HEAD. The first run needs the package index for notelint's
dependencies (about 30 s); ``PRE_COMMIT_HOME`` is a temporary folder, so
nothing is cached between runs.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import REPO, cite, note

PRE_COMMIT = [sys.executable, "-m", "pre_commit"]


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(
        PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"),
        GIT_CONFIG_GLOBAL=os.devnull,  # no user hooksPath, signing or templates
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="Writer", GIT_AUTHOR_EMAIL="writer@example.org",
        GIT_COMMITTER_NAME="Writer", GIT_COMMITTER_EMAIL="writer@example.org",
        # The hook script runs pre-commit with this interpreter; put its scripts first.
        PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
    )
    env.pop("NO_COLOR", None)
    return env


def _run(args, cwd, env, check=True) -> subprocess.CompletedProcess:
    proc = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if check and proc.returncode != 0:
        raise AssertionError(f"{args} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc


def snapshot_checkout(dest: Path, env, tag: str | None = None) -> str:
    """Commit this checkout's working tree (tracked + untracked, not ignored) into ``dest``, tagged
    ``tag`` when given; return the sha."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=REPO, capture_output=True, env=env,
    )
    assert listed.returncode == 0, listed.stderr
    dest.mkdir()
    for name in listed.stdout.decode().split("\0"):
        src = REPO / name
        if not name or not src.is_file():
            continue  # deleted in the working tree
        (dest / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dest / name)
    _run(["git", "init", "-q", "-b", "main"], dest, env)
    _run(["git", "add", "-A"], dest, env)
    _run(["git", "commit", "-q", "-m", "snapshot of the notelint checkout"], dest, env)
    if tag is not None:
        _run(["git", "tag", tag], dest, env)
    return _run(["git", "rev-parse", "HEAD"], dest, env).stdout.strip()


def readme_snippet() -> str:
    """The README's ``.pre-commit-config.yaml`` snippet, as written."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    m = re.search(r"```yaml\n(# \.pre-commit-config\.yaml\n.*?)```", text, re.S)
    assert m, "README.md lost its pre-commit snippet"
    return m.group(1)


CHANNEL_NOTE = "---\ntitle: Span and Load\n---\n\n# Span and Load\n\n- [[cable_stays]]\n"


def _vault_repo(root: Path, env) -> None:
    (root / "notes").mkdir(parents=True)
    (root / "pyproject.toml").write_text(textwrap.dedent("""\
        [tool.notelint]
        vault = "notes"
        external-targets = ["chan"]
        exclude = ["drafts"]
        """), encoding="utf-8")
    (root / "notes" / "cable_stays.md").write_text(
        note(f"Stay cables carry the deck to the pylons {cite('00:01:10')}.\n\n## See also\n\n- [[deck_flutter]]\n",
             title="Cable stays"), encoding="utf-8")
    (root / "notes" / "deck_flutter.md").write_text(
        note(f"A bluff deck sheds vortices {cite('00:02:00')}, {cite('00:02:30')}.\n", title="Deck flutter"),
        encoding="utf-8")
    (root / "README.md").write_text("# A vault\n\nNot a note: the hook only looks at notes/.\n", encoding="utf-8")
    _run(["git", "init", "-q", "-b", "main"], root, env)


def _commit(root: Path, env, message: str) -> subprocess.CompletedProcess:
    return _run(["git", "commit", "-m", message], root, env, check=False)


def _head_count(root: Path, env) -> int:
    proc = _run(["git", "rev-list", "--count", "HEAD"], root, env, check=False)
    return int(proc.stdout.strip()) if proc.returncode == 0 else 0


def test_hook_from_this_checkout(tmp_path):
    """The README's snippet as written: ``rev: v<version>`` is the tag of this version (the
    snapshot is tagged so, as the repository is), only ``repo:`` points at the snapshot."""
    import tomllib

    env = _env(tmp_path)
    snippet = readme_snippet()
    rev = re.search(r"^\s*rev: (\S+)", snippet, re.M).group(1)
    version = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert rev == f"v{version}", "the README's rev must be the tag of the current version"
    snapshot_checkout(tmp_path / "notelint-src", env, tag=rev)
    repo = tmp_path / "vault"
    _vault_repo(repo, env)
    config = re.sub(r"(^\s*- repo: )\S+", lambda m: m.group(1) + (tmp_path / "notelint-src").as_posix(), snippet, flags=re.M)
    (repo / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    # a draft the configuration excludes, staged with the clean notes: --force-exclude keeps it out
    (repo / "notes" / "drafts").mkdir()
    (repo / "notes" / "drafts" / "wip.md").write_text("An uncited draft with [[no target]].\n", encoding="utf-8")
    _run([*PRE_COMMIT, "install"], repo, env)

    # A clean commit passes (README.md is Markdown but outside files: ^notes/).
    _run(["git", "add", "-A"], repo, env)
    clean = _commit(repo, env, "notes on bridges")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert re.search(r"^notelint\.+Passed$", clean.stderr + clean.stdout, re.M), clean.stderr
    assert _head_count(repo, env) == 1

    # A note with a broken citation is refused, and the finding is printed.
    # It links to notes that are not staged: they resolve against the whole vault.
    broken = note(
        "Harp layouts spread the stays along the pylon "
        '<a class="yt-timestamp" data-t="00:03:10">[00:03:10]</a> and '
        '<a class="yt-timestamp" data-t="00:03:40">[00:03:40].\n\n'
        f"Compare [[cable_stays]] and [[deck_flutter]] {cite('00:04:00')}.\n",
        title="Harp layouts",
    )
    (repo / "notes" / "harp_layouts.md").write_text(broken, encoding="utf-8")
    _run(["git", "add", "notes/harp_layouts.md"], repo, env)
    refused = _commit(repo, env, "harp layouts")
    out = refused.stdout + refused.stderr
    assert refused.returncode == 1, out
    assert re.search(r"^notelint\.+Failed$", out, re.M), out
    assert "notes/harp_layouts.md:8:108: TS006 broken citation: anchor is not closed with </a>" in out, out
    assert "WL001" not in out  # its links resolve against the unstaged notes
    assert _head_count(repo, env) == 1

    # Fixed, the same commit passes.
    (repo / "notes" / "harp_layouts.md").write_text(broken.replace("[00:03:40].", "[00:03:40]</a>."), encoding="utf-8")
    _run(["git", "add", "notes/harp_layouts.md"], repo, env)
    fixed = _commit(repo, env, "harp layouts")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert _head_count(repo, env) == 2


def test_hook_manifest_declares_both_hooks():
    import yaml

    hooks = {h["id"]: h for h in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    assert set(hooks) == {"notelint", "notelint-fix"}
    assert hooks["notelint"]["entry"] == "notelint check --force-exclude"
    assert hooks["notelint-fix"]["entry"] == "notelint check --fix --force-exclude"
    for h in hooks.values():
        assert h["language"] == "python" and h["types"] == ["markdown"]


def test_this_repository_config_runs_on_notes(tmp_path):
    """The repository's own ``.pre-commit-config.yaml``: notelint on notes/, passing."""
    if not (REPO / ".git").exists():
        pytest.fail("this test needs the git checkout (pre-commit runs in a git repository)")
    env = _env(tmp_path)
    files = sorted(p.relative_to(REPO).as_posix() for p in (REPO / "notes").rglob("*.md"))
    proc = _run([*PRE_COMMIT, "run", "notelint", "--config", ".pre-commit-config.yaml", "--files", *files, "README.md"],
                REPO, env, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert re.search(r"^notelint\.+Passed$", proc.stdout, re.M), proc.stdout


def test_github_actions_example_workflow():
    """The documented workflow: changed notes as annotations on pull requests, SARIF uploaded."""
    import yaml

    wf = yaml.safe_load((REPO / "examples" / "github-actions" / "notelint.yml").read_text(encoding="utf-8"))
    triggers = wf.get("on", wf.get(True))  # YAML 1.1 reads the key `on` as True
    assert "pull_request" in triggers
    job = wf["jobs"]["notelint"]
    assert job["permissions"]["security-events"] == "write"
    steps = job["steps"]
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    runs = [s["run"] for s in steps if "run" in s]
    assert any("--changed-since \"origin/${{ github.base_ref }}\" --output-format github" in r for r in runs)
    assert any("--output-format sarif --output-file notelint.sarif --exit-zero" in r for r in runs)
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@"))
    assert upload["with"]["sarif_file"] == "notelint.sarif"
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "examples/github-actions/notelint.yml" in readme
