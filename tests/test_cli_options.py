"""The command line of a ruff user's habits (issue 15), each option run as users run it:
``python -m notelint`` in a subprocess, on the project of ``test_cli.py`` (``notes/bad.md``
with CL001 at 8:1, TS001 at 10:9 (fixable), WL001 at 12:5; ``notes/good.md`` clean)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, cite, note
from test_cli import BAD, CL001, GOOD, PYPROJECT, SUMMARY, TS001, WL001, project, run  # noqa: F401

C = cite("00:01:00")


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def lines(proc) -> list[str]:
    return proc.stdout.splitlines()


# -- help, version, completion ---------------------------------------------------------------

def test_help_is_grouped_with_examples_and_exit_codes(project):
    out = run(project, "check", "--help").stdout
    groups = [g for g in ("rule selection:", "file selection:", "fixing:", "output:", "miscellaneous:") if g in out]
    assert groups == ["rule selection:", "file selection:", "fixing:", "output:", "miscellaneous:"]
    assert out.index("\n  --select RULES") > out.index("rule selection:")
    assert out.index("\n  --force-exclude") > out.index("file selection:")
    assert out.index("\n  --fix-only") > out.index("fixing:")
    assert "examples:\n  notelint check " in out
    assert "exit codes:\n  0  no findings" in out and "\n  2  usage, configuration or internal error" in out
    top = run(project, "--help").stdout
    assert "exit codes:" in top and "completion" in top


def test_version(project):
    proc = run(project, "--version")
    assert (proc.returncode, proc.stdout) == (0, "notelint 0.1.0\n")


@pytest.mark.parametrize("shell", ["bash", "zsh", "tcsh"])
def test_shell_completion_script(project, shell):
    proc = run(project, "completion", shell)
    assert proc.returncode == 0, proc.stderr
    words = ("check", "audit", "completion") if shell == "tcsh" else ("check", "--select", "--output-format", "json-lines")
    for word in words:
        assert word in proc.stdout, word
    if shell == "bash":  # a script bash accepts
        syntax = subprocess.run(["bash", "-n"], input=proc.stdout, capture_output=True, text=True)
        assert syntax.returncode == 0, syntax.stderr


# -- spelling suggestions, rules by name ------------------------------------------------------

def test_unknown_option_suggests_the_closest(project):
    proc = run(project, "check", "--selct", "CL")
    assert proc.returncode == 2
    assert proc.stderr == "notelint: error: unrecognized arguments: --selct (did you mean '--select'?)\n"


def test_unknown_code_suggests_the_closest(project):
    proc = run(project, "check", "--select", "CL01")
    assert proc.returncode == 2
    assert proc.stderr == ("notelint: error: argument --select: unknown rule code or prefix 'CL01' "
                           "(did you mean 'CL001' or 'WL001'?)\n")
    proc = run(project, "rule", "uncited-claims")
    assert proc.stderr == ("notelint: error: unknown rule code or name 'uncited-claims' "
                           "(did you mean 'uncited-claim' or 'uncited-summary'?)\n")


def test_unknown_setting_suggests_the_closest(project):
    (project / "pyproject.toml").write_text(PYPROJECT + 'exlude = ["drafts"]\n', encoding="utf-8")
    proc = run(project, "check")
    assert proc.returncode == 2
    assert proc.stderr == (f"notelint: error: {project / 'pyproject.toml'}: [tool.notelint] unknown key 'exlude' "
                           "(did you mean 'exclude'?)\n")


def test_rules_selected_and_shown_by_name(project):
    proc = run(project, "check", "--select", "uncited-claim,unresolved-link", "--output-format", "concise")
    assert lines(proc) == [CL001, WL001]
    proc = run(project, "check", "--ignore", "uncited-claim", "--output-format", "concise")
    assert lines(proc) == [TS001, WL001]
    page = run(project, "rule", "uncited-claim")
    assert page.returncode == 0 and page.stdout == run(project, "rule", "CL001").stdout
    assert page.stdout.startswith("# CL001 uncited-claim\n")


def test_rule_all_prints_every_page(project):
    proc = run(project, "rule", "--all")
    assert proc.returncode == 0
    codes = [line.split()[1] for line in proc.stdout.splitlines() if line.startswith("# ") and line[2:4].isalpha()
             and line[4:7].isdigit()]
    listed = json.loads(run(project, "rules", "--format", "json").stdout)
    assert codes == [r["code"] for r in listed]
    assert "## What it does" in proc.stdout


# -- verbosity, settings, colour --------------------------------------------------------------

def test_quiet_prints_findings_only_and_silent_nothing(project):
    quiet = run(project, "check", "-q", "--no-show-source")
    assert (quiet.returncode, lines(quiet)) == (1, [CL001, TS001, WL001])
    silent = run(project, "check", "-s")
    assert (silent.returncode, silent.stdout, silent.stderr) == (1, "", "")
    clean = run(project, "check", "-q", "notes/good.md")
    assert (clean.returncode, clean.stdout) == (0, "")


def test_verbose_names_the_configuration_and_vault_root(project):
    proc = run(project, "check", "-v")
    err = proc.stderr.splitlines()
    assert err[0] == f"notelint: configuration: {project / 'pyproject.toml'}"
    assert err[1] == f"notelint: vault root: {project / 'notes'} (key 'vault' of {project / 'pyproject.toml'})"
    assert err[2] == "notelint: link resolution: obsidian (auto: no quartz.config.ts or .obsidian/ found)"
    assert err[3].startswith("notelint: 2 notes checked, 2 in the vault, in ")
    assert lines(proc)[-1] == SUMMARY


def test_show_settings_prints_every_setting(project):
    from notelint.config import Settings

    proc = run(project, "check", "--show-settings")
    assert proc.returncode == 0
    out = lines(proc)
    assert out[1] == f"# configuration file: {project / 'pyproject.toml'}"
    assert out[2] == f"# vault root: {project / 'notes'} (key 'vault' of {project / 'pyproject.toml'})"
    keys = [line.split(" = ")[0] for line in out if not line.startswith("#")]
    import dataclasses

    assert keys == [f.name.replace("_", "-") for f in dataclasses.fields(Settings)]  # every field, generically
    assert 'external-targets = ["chan"]' in out and "respect-gitignore = true" in out
    assert f'vault = "{project / "notes"}"' in out


def test_force_color_and_no_color(project):
    env = {**os.environ, "FORCE_COLOR": "1"}
    env.pop("NO_COLOR", None)
    coloured = subprocess.run([sys.executable, "-m", "notelint", "check", "--output-format", "concise"], cwd=project,
                              capture_output=True, text=True, env=env)
    assert "\033[31mCL001\033[0m" in coloured.stdout
    plain = subprocess.run([sys.executable, "-m", "notelint", "check", "--output-format", "concise"], cwd=project,
                           capture_output=True, text=True, env={**env, "NO_COLOR": "1"})
    assert "\033[" not in plain.stdout and CL001 in plain.stdout


def test_progress_bar_on_a_terminal(project):
    """Standard error a terminal: a progress bar while the notes are checked; not one byte
    of it when standard error is a pipe (the other tests)."""
    import pty

    main, side = pty.openpty()
    try:
        proc = subprocess.run([sys.executable, "-m", "notelint", "check", "notes", "--no-cache"], cwd=project,
                              stdout=subprocess.PIPE, stderr=side, text=True, timeout=60,
                              env={**os.environ, "COLUMNS": "100", "TERM": "xterm"})
        os.close(side)
        side = -1
        shown = b""
        while True:
            try:
                chunk = os.read(main, 4096)
            except OSError:
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(main)
        if side != -1:
            os.close(side)
    assert proc.returncode == 1
    assert b"checking" in shown and b"notes" in shown
    quiet = run(project, "check", "notes", "--no-cache")
    assert quiet.stderr == ""


# -- fixing -----------------------------------------------------------------------------------

def test_fix_only_applies_fixes_and_reports_nothing_else(project):
    proc = run(project, "check", "--fix-only")
    assert (proc.returncode, proc.stdout) == (0, "Fixed 1 finding in 1 note.\n")
    assert cite("00:21:12") in (project / "notes" / "bad.md").read_text(encoding="utf-8")
    again = run(project, "check", "--fix-only")
    assert (again.returncode, again.stdout) == (0, "No fixes applied.\n")
    assert run(project, "check").returncode == 1  # CL001 and WL001 are still there


def test_show_fixes_lists_them_by_note_and_rule(project):
    proc = run(project, "check", "--fix", "--show-fixes", "--output-format", "concise")
    assert proc.returncode == 1
    assert lines(proc) == [CL001, WL001, "Fixed 1 finding in 1 note:", "- notes/bad.md:", "    1 × TS001 (malformed-time)"]


def test_add_noqa_then_the_vault_passes(project):
    text = note(f"""\
        An uncited claim.

        * **Label**: a list item with [[nowhere]] {C}
        * another item
          with a second line linking [[elsewhere]] {C}

        | column | other |
        | --- | --- |
        | a row with [[missing]] | {C} |
        """, title="Lists")
    write(project, {"notes/lists.md": text})
    before = run(project, "check", "--output-format", "concise")
    assert before.returncode == 1
    proc = run(project, "check", "--add-noqa")
    assert proc.returncode == 0
    assert proc.stdout == "Added 7 suppression comments to 2 notes.\n"
    after = run(project, "check")
    assert (after.returncode, lines(after)) == (0, ["All checks passed! (3 notes checked)"])
    assert (project / "notes" / "lists.md").read_text(encoding="utf-8") == note(f"""\
        <!-- notelint: disable-next-line=CL001 -->
        An uncited claim.

        <!-- notelint: disable=WL001 -->
        <!-- notelint: disable-next-line=WL001 -->
        * **Label**: a list item with [[nowhere]] {C}
        * another item
          with a second line linking [[elsewhere]] {C}
        <!-- notelint: enable=WL001 -->

        <!-- notelint: disable=WL001 -->
        | column | other |
        | --- | --- |
        | a row with [[missing]] | {C} |
        <!-- notelint: enable=WL001 -->
        """, title="Lists")
    assert "<!-- notelint: disable-next-line=TS001 -->\nA claim" in (project / "notes" / "bad.md").read_text(
        encoding="utf-8")
    # the notes render as before: the same blocks (the comments are HTML, invisible)
    from notelint.parse import parse_note

    def blocks(data: bytes):
        return [(b.kind, b" ".join(b.text.split())) for b in parse_note("x.md", "x.md", data).blocks if b.kind != "html"]

    assert blocks((project / "notes" / "lists.md").read_bytes()) == blocks(text.encode())
    assert run(project, "check", "--add-noqa").stdout == "Added 0 suppression comments to 0 notes.\n"


def test_add_noqa_suppresses_front_matter_findings_for_the_file(project):
    write(project, {"notes/nofm.md": "---\ntitle: No video\n---\n\nFrom: [[chan]] <br/>\n\nA claim " + C + ".\n"})
    assert run(project, "check", "--add-noqa", "notes/nofm.md").returncode == 0
    assert (project / "notes" / "nofm.md").read_text(encoding="utf-8").endswith(
        f"A claim {C}.\n\n<!-- notelint: disable-file=FM003 -->\n")
    assert run(project, "check", "notes/nofm.md").returncode == 0


# -- file selection: gitignore-style patterns, .gitignore, --force-exclude ----------------------

def vault_with_drafts(root: Path) -> Path:
    body = f"A claim without a link {C}.\n"
    return write(root, {
        "pyproject.toml": PYPROJECT,
        "notes/a.md": note(body, title="A"),
        "notes/drafts/d.md": note("Uncited draft.\n", title="D"),
        "notes/topic/drafts/e.md": note("Uncited nested draft.\n", title="E"),
        "notes/topic/x.md": note(body, title="X"),
        "notes/topic/deep/y.md": note(body, title="Y"),
    })


def checked(proc) -> list[str]:
    return sorted(proc.stdout.split())


def test_exclude_is_gitignore_style(tmp_path):
    root = vault_with_drafts(tmp_path)
    assert checked(run(root, "check", "--show-files")) == [
        "notes/a.md", "notes/drafts/d.md", "notes/topic/deep/y.md", "notes/topic/drafts/e.md", "notes/topic/x.md"]
    # a bare name: that folder at any depth
    assert checked(run(root, "check", "--show-files", "--exclude", "drafts")) == [
        "notes/a.md", "notes/topic/deep/y.md", "notes/topic/x.md"]
    # anchored to the vault root with a leading slash
    assert checked(run(root, "check", "--show-files", "--exclude", "/drafts")) == [
        "notes/a.md", "notes/topic/deep/y.md", "notes/topic/drafts/e.md", "notes/topic/x.md"]
    # * does not cross /; ** does
    assert checked(run(root, "check", "--show-files", "--exclude", "topic/*.md")) == [
        "notes/a.md", "notes/drafts/d.md", "notes/topic/deep/y.md", "notes/topic/drafts/e.md"]
    assert checked(run(root, "check", "--show-files", "--exclude", "topic/**/*.md")) == ["notes/a.md", "notes/drafts/d.md"]


def test_exclude_extend_exclude_and_the_command_line(tmp_path):
    root = vault_with_drafts(tmp_path)
    (root / "pyproject.toml").write_text(PYPROJECT + 'exclude = ["drafts"]\nextend-exclude = ["deep"]\n', encoding="utf-8")
    assert checked(run(root, "check", "--show-files")) == ["notes/a.md", "notes/topic/x.md"]
    assert run(root, "check").returncode == 0  # the uncited drafts are not checked
    # --exclude replaces exclude (extend-exclude still applies); --extend-exclude adds
    assert checked(run(root, "check", "--show-files", "--exclude", "x.md")) == [
        "notes/a.md", "notes/drafts/d.md", "notes/topic/drafts/e.md"]
    assert checked(run(root, "check", "--show-files", "--extend-exclude", "a.md")) == ["notes/topic/x.md"]


def test_per_file_ignores_are_gitignore_style(tmp_path):
    root = vault_with_drafts(tmp_path)
    pyproject = PYPROJECT + '[tool.notelint.per-file-ignores]\n"topic/*.md" = ["CL001"]\n'
    (root / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    concise = [line.split(":")[0] for line in lines(run(root, "check", "--output-format", "concise"))]
    assert concise == ["notes/drafts/d.md", "notes/topic/drafts/e.md"]  # topic/*.md is one level only
    (root / "pyproject.toml").write_text(pyproject.replace("topic/*.md", "drafts"), encoding="utf-8")
    assert run(root, "check", "--output-format", "concise").stdout == ""


def test_gitignore_is_respected_unless_turned_off(tmp_path):
    root = vault_with_drafts(tmp_path)
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    (root / ".gitignore").write_text("drafts/\n", encoding="utf-8")
    (root / "notes" / "topic" / ".gitignore").write_text("deep\n", encoding="utf-8")
    assert checked(run(root, "check", "--show-files")) == ["notes/a.md", "notes/topic/x.md"]
    assert len(checked(run(root, "check", "--show-files", "--no-respect-gitignore"))) == 5
    (root / "pyproject.toml").write_text(PYPROJECT + "respect-gitignore = false\n", encoding="utf-8")
    assert len(checked(run(root, "check", "--show-files"))) == 5


def test_force_exclude_leaves_out_excluded_notes_named_on_the_command_line(tmp_path):
    root = vault_with_drafts(tmp_path)
    (root / "pyproject.toml").write_text(PYPROJECT + 'exclude = ["drafts"]\n', encoding="utf-8")
    named = run(root, "check", "notes/drafts/d.md", "notes/a.md", "--output-format", "concise")
    assert named.returncode == 1 and named.stdout.startswith("notes/drafts/d.md:8:1: CL001")
    forced = run(root, "check", "--force-exclude", "notes/drafts/d.md", "notes/a.md")
    assert (forced.returncode, lines(forced)) == (0, ["All checks passed! (1 note checked)"])


# -- configuration discovery and the vault root ------------------------------------------------

def test_configuration_is_found_from_the_paths_checked(project, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    proc = run(elsewhere, "check", str(project / "notes"), "--output-format", "concise")
    # external-targets = ["chan"] came from the project's pyproject.toml: no WL001 for [[chan]]
    assert [line.split(": ", 1)[1] for line in lines(proc)] == [x.split(": ", 1)[1] for x in (CL001, TS001, WL001)]
    assert "-v" and run(elsewhere, "check", str(project / "notes" / "bad.md"), "-v").stderr.startswith(
        f"notelint: configuration: {project / 'pyproject.toml'}\n")


LINKED = note(f"Links to [[other]] and [[topic/subject]] {C}.\n", title="Linked")
OTHER = note(f"The other note {C}.\n", title="Other note")
SUBJECT = note(f"The subject {C}.\n", title="Subject")


@pytest.mark.parametrize("marker", ["obsidian", "quartz", "git"])
def test_vault_root_as_a_vault_user_has_it(tmp_path, marker):
    site = tmp_path / "site"
    vault = {"obsidian": site, "quartz": site / "content", "git": site}[marker]
    write(vault, {"a/deep/linked.md": LINKED, "b/other.md": OTHER, "topic/subject.md": SUBJECT})
    if marker == "obsidian":
        (site / ".obsidian").mkdir()
    elif marker == "quartz":
        # shortest: [[other]] goes to the one file named other (Quartz's default, absolute, reads it from the root)
        (site / "quartz.config.ts").write_text('CrawlLinks({ markdownLinkResolution: "shortest" })\n', encoding="utf-8")
    else:
        subprocess.run(["git", "init", "-q"], cwd=site, check=True)
    external = 'external-targets = ["chan"]\n'
    (tmp_path / "notelint.toml").write_text(external, encoding="utf-8")  # no vault key: the root is found
    proc = run(tmp_path, "check", str(vault / "a" / "deep" / "linked.md"), "-v", "--output-format", "concise")
    reason = {"obsidian": "the folder holding .obsidian/",
              "quartz": "the Quartz content folder (quartz.config.ts beside it)", "git": "the git root"}[marker]
    assert f"notelint: vault root: {vault} ({reason})" in proc.stderr.splitlines()
    assert (proc.returncode, proc.stdout) == (0, "")  # [[other]] and [[topic/subject]] resolve in the whole vault
    settings = run(tmp_path, "check", str(vault / "a"), "--show-settings").stdout
    assert f"# vault root: {vault} ({reason})" in settings


# -- output formats ---------------------------------------------------------------------------

def test_grouped_output(project):
    proc = run(project, "check", "--output-format", "grouped")
    assert proc.stdout == "\n".join([
        "notes/bad.md:",
        "  8:1 CL001 claim without a citation: 'An uncited claim.'",
        "  10:9 TS001 [*] " + TS001.split("TS001 [*] ", 1)[1],
        "  12:5 WL001 wiki-link target 'nowhere' does not resolve",
        "",
        SUMMARY,
        "",
    ])


def test_json_lines_output(project):
    proc = run(project, "check", "--output-format", "json-lines")
    rows = [json.loads(line) for line in lines(proc)]
    whole = json.loads(run(project, "check", "--output-format", "json").stdout)
    assert rows == whole["findings"] and [r["code"] for r in rows] == ["CL001", "TS001", "WL001"]
    schema = json.loads((REPO / "schemas" / "report.schema.json").read_text(encoding="utf-8"))
    import jsonschema

    finding = {"$schema": schema["$schema"], "$defs": schema["$defs"], "$ref": "#/$defs/FindingModel"}
    for row in rows:
        jsonschema.validate(row, finding)


# -- suppression comments naming no rule --------------------------------------------------------

def test_suppression_with_an_unknown_code_is_reported(project):
    write(project, {"notes/sup.md": note(f"""\
        <!-- notelint: disable-next-line=ZZ123 -->
        A claim {C}.

        <!-- notelint: disable-next-line=CL01 -->
        An uncited claim.

        <!-- notelint: disable-next-line=uncited-claim -->
        Another uncited claim.
        """, title="Sup")})
    proc = run(project, "check", "notes/sup.md", "--output-format", "concise")
    assert lines(proc) == [
        "notes/sup.md:8:1: SP002 unknown rule code 'ZZ123' in suppression comment",
        "notes/sup.md:11:1: SP002 unknown rule code 'CL01' in suppression comment (did you mean CL001?)",
        "notes/sup.md:12:1: CL001 claim without a citation: 'An uncited claim.'",
    ]


# -- watch --------------------------------------------------------------------------------------

def test_watch_checks_again_on_a_change(project):
    proc = subprocess.Popen([sys.executable, "-m", "notelint", "check", "--watch", "--output-format", "concise"],
                            cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = Lines(proc.stdout), Lines(proc.stderr)
    try:
        first = out.until(WL001)
        assert first == [CL001, TS001, WL001]
        err.until("notelint: watching for changes (Ctrl-C to stop)")
        (project / "notes" / "bad.md").write_text(BAD.replace("[[nowhere]]", "[[good]]"), encoding="utf-8")
        second = out.until(TS001)
        assert second == [CL001, TS001]
        changed = err.until("notelint: watching for changes (Ctrl-C to stop)")
        assert any(line.endswith("bad.md changed: checking again") for line in changed), changed
    finally:
        proc.send_signal(2)  # Ctrl-C
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    # Ctrl-C ends the watch: the last run's code, or 130 when it came during a run (not killed: -9)
    assert proc.returncode in (0, 1, 130)


class Lines:
    """The lines of a child's stream, read by a thread, so that a test can wait for one."""

    def __init__(self, stream):
        import queue
        import threading

        self.queue: queue.Queue = queue.Queue()

        def pump():
            for line in stream:
                self.queue.put(line.rstrip("\n"))
            self.queue.put(None)

        threading.Thread(target=pump, daemon=True).start()

    def until(self, wanted: str, timeout: float = 60) -> list[str]:
        import queue

        got: list[str] = []
        while True:
            try:
                line = self.queue.get(timeout=timeout)
            except queue.Empty:
                raise AssertionError(f"nothing within {timeout} s; so far {got}") from None
            assert line is not None, f"the stream ended; so far {got}"
            got.append(line)
            if line == wanted:
                return got
