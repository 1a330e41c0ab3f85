"""The command line, run as users run it: ``python -m notelint`` in a subprocess.

The project fixture is a folder with ``pyproject.toml`` (vault ``notes``, the
channel note external) and two notes: ``good.md`` (clean) and ``bad.md``:

    line  8  CL001 8:1   uncited claim
    line 10  TS001 10:9  malformed time (fixable)
    line 12  WL001 12:5  unresolved link
    line 14  CL002 14:1  uncited sentence (CL002 is off by default)
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from conftest import REPO, cite, note

C = cite("00:01:00")
BAD = note(
    f"""\
    An uncited claim.

    A claim {cite('21:12')}.

    See [[nowhere]] {C}.

    First sentence. Second sentence {C}.
    """,
    title="Bad",
)
GOOD = note(f"A cited claim about [[bad]] {C}.\n", title="Good")
PYPROJECT = '[tool.notelint]\nvault = "notes"\nexternal-targets = ["chan"]\n'

CL001 = "notes/bad.md:8:1: CL001 claim without a citation: 'An uncited claim.'"
TS001 = (
    "notes/bad.md:10:9: TS001 [*] malformed time: data-t '21:12' and label '21:12' is not HH:MM:SS "
    "(did you mean 00:21:12?)"
)
WL001 = "notes/bad.md:12:5: WL001 wiki-link target 'nowhere' does not resolve"
SUMMARY = "Found 3 findings (3 errors) in 2 notes. [*] 1 fixable with --fix."


@pytest.fixture
def project(tmp_path):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "bad.md").write_text(BAD, encoding="utf-8")
    (tmp_path / "notes" / "good.md").write_text(GOOD, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    return tmp_path


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "notelint", *args], cwd=cwd, capture_output=True, text=True, timeout=60
    )


def one_error_line(proc: subprocess.CompletedProcess) -> str:
    """The single line a usage or configuration error prints (and no traceback)."""
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    return lines[0]


# -- exit codes and text output ---------------------------------------------


def test_exit_0_when_clean(project):
    proc = run(project, "check", "notes/good.md")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout == "All checks passed! (1 note checked)\n"


def test_exit_1_with_findings_and_text_output(project):
    proc = run(project, "check")
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.splitlines() == [CL001, TS001, WL001, SUMMARY]
    assert proc.stderr == ""


def test_exit_2_usage_error(project):
    line = one_error_line(run(project, "check", "--output-format", "nope"))
    assert line.startswith("notelint: error: argument --output-format: invalid choice: 'nope'")


def test_exit_2_missing_path(project):
    assert one_error_line(run(project, "check", "notes/missing.md")) == (
        "notelint: error: notes/missing.md: no such file or directory"
    )


def test_exit_2_without_a_command(project):
    proc = run(project)
    assert proc.returncode == 2
    assert "usage: notelint" in proc.stderr


def test_one_file_still_resolves_against_the_whole_vault(project):
    # good.md links to [[bad]]: resolved although only good.md is checked
    proc = run(project, "check", "notes/good.md", "--select", "WL")
    assert proc.returncode == 0, proc.stdout


# -- selection -----------------------------------------------------------------


def test_select_by_prefix(project):
    proc = run(project, "check", "--select", "TS", "--output-format", "concise")
    assert proc.returncode == 1
    assert proc.stdout.splitlines() == [TS001]


def test_select_and_ignore_by_prefix(project):
    proc = run(project, "check", "--select", "CL,WL", "--ignore", "WL,CL002", "--output-format", "concise")
    assert proc.stdout.splitlines() == [CL001]


def test_explicit_prefix_selects_rules_off_by_default(project):
    # like ruff: an explicit prefix takes every rule it matches, CL002 included
    proc = run(project, "check", "--select", "CL", "--output-format", "concise")
    assert [line.split()[1] for line in proc.stdout.splitlines()] == ["CL001", "CL002"]


def test_extend_select(project):
    proc = run(project, "check", "--extend-select", "CL002", "--output-format", "concise")
    lines = proc.stdout.splitlines()
    assert lines[:3] == [CL001, TS001, WL001]
    assert lines[3] == "notes/bad.md:14:1: CL002 sentence without a citation: 'First sentence.'"
    # CL002 is info: it does not fail the run on its own
    assert run(project, "check", "--select", "CL002").returncode == 0


def test_unknown_code_in_select(project):
    assert one_error_line(run(project, "check", "--select", "TS,XX9")) == (
        "notelint: error: argument --select: unknown rule code or prefix 'XX9'"
    )


# -- output formats ------------------------------------------------------------


def test_concise_output(project):
    proc = run(project, "check", "--output-format", "concise")
    assert proc.returncode == 1
    assert proc.stdout.splitlines() == [CL001, TS001, WL001]


def test_json_output_validates_against_the_report_schema(project):
    proc = run(project, "check", "--output-format", "json")
    assert proc.returncode == 1
    report = json.loads(proc.stdout)
    schema = json.loads((REPO / "schemas" / "report.schema.json").read_text(encoding="utf-8"))
    validator_cls = jsonschema.validators.validator_for(schema)
    validator_cls.check_schema(schema)
    validator_cls(schema).validate(report)
    assert report["summary"] == {
        "files": 2,
        "vault_notes": 2,
        "findings": 3,
        "fixable": 1,
        "by_severity": {"error": 3, "warning": 0, "info": 0},
        "by_rule": {"CL001": 1, "TS001": 1, "WL001": 1},
    }
    assert [(f["code"], f["path"], f["line"], f["column"]) for f in report["findings"]] == [
        ("CL001", "notes/bad.md", 8, 1),
        ("TS001", "notes/bad.md", 10, 9),
        ("WL001", "notes/bad.md", 12, 5),
    ]
    ts = report["findings"][1]
    # the fix's edits, as ruff's fix.edits: data-t and label, each zero-padded
    at = {"row": 10}
    assert ts["fix"] == {"description": "zero-pad the time to HH:MM:SS", "safe": True, "applicability": "safe",
                         "edits": [{"content": "00:21:12", "location": {**at, "column": 41}, "end_location": {**at, "column": 46}},
                                   {"content": "00:21:12", "location": {**at, "column": 49}, "end_location": {**at, "column": 54}}]}
    line = BAD.splitlines()[9]
    for edit in reversed(ts["fix"]["edits"]):
        line = line[: edit["location"]["column"] - 1] + edit["content"] + line[edit["end_location"]["column"] - 1 :]
    assert line == f"A claim {cite('00:21:12')}."
    assert (ts["end_line"], ts["end_column"]) == (10, 9 + len(cite("21:12")))


def test_json_output_of_a_clean_run_validates_too(project):
    proc = run(project, "check", "notes/good.md", "--output-format", "json")
    assert proc.returncode == 0
    report = json.loads(proc.stdout)
    schema = json.loads((REPO / "schemas" / "report.schema.json").read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema)(schema).validate(report)
    assert report["findings"] == [] and report["summary"]["findings"] == 0


def test_statistics(project):
    (project / "notes" / "worse.md").write_text(note("Uncited one.\n\nUncited two.\n", title="Worse"), encoding="utf-8")
    proc = run(project, "check", "--statistics")
    assert proc.returncode == 1
    assert proc.stdout.splitlines() == [
        "count\tcode\tfixable\trule",
        "3\tCL001\t      0\t    uncited-claim",
        "1\tTS001\t      1\t[*] malformed-time",
        "1\tWL001\t      0\t    unresolved-link",
    ]


def test_exit_zero(project):
    proc = run(project, "check", "--exit-zero")
    assert proc.returncode == 0
    assert proc.stdout.splitlines() == [CL001, TS001, WL001, SUMMARY]


def test_fail_level_error_ignores_warnings(project):
    (project / "notes" / "good.md").write_text(GOOD + "\n<!-- notelint: disable=WL001 -->\n", encoding="utf-8")
    proc = run(project, "check", "notes/good.md", "--fail-level", "error")
    assert "SP001" in proc.stdout
    assert proc.returncode == 0
    assert run(project, "check", "notes/good.md").returncode == 1  # warning is the default fail level


def test_no_cache_is_accepted(project):
    proc = run(project, "check", "--no-cache")
    assert proc.returncode == 1
    assert proc.stdout.splitlines() == [CL001, TS001, WL001, SUMMARY]


def test_show_source_puts_a_caret_under_the_column(project):
    proc = run(project, "check", "--select", "WL", "--show-source")
    assert proc.stdout.splitlines() == [
        WL001,
        "    12 | " + f"See [[nowhere]] {C}.",
        "       | " + "    " + "^" * len("[[nowhere]]"),
        "Found 1 finding (1 error) in 2 notes.",
    ]


def test_show_source_caret_with_tabs_and_non_ascii(project):
    body = f"*\tSee [[nowhere]] {C}.\n\nCafé [[nöwhere]] {C}.\n"
    (project / "notes" / "bad.md").write_text(note(body), encoding="utf-8")
    lines = run(project, "check", "--select", "WL", "--show-source").stdout.splitlines()
    assert lines[0] == "notes/bad.md:8:7: WL001 wiki-link target 'nowhere' does not resolve"
    # the tab is copied into the caret line, so the caret lines up whatever the tab width
    assert lines[1] == f"     8 | *\tSee [[nowhere]] {C}."
    assert lines[2] == "       |  \t    " + "^" * 11
    assert lines[3].startswith("notes/bad.md:10:6: WL001")
    assert lines[5] == "       | " + " " * 5 + "^" * 11


def test_output_file(project):
    proc = run(project, "check", "--output-format", "concise", "--output-file", "out.txt")
    assert proc.returncode == 1 and proc.stdout == ""
    assert (project / "out.txt").read_text(encoding="utf-8").splitlines() == [CL001, TS001, WL001]


# -- rule docs and schema --------------------------------------------------------


def test_rule_page(project):
    proc = run(project, "rule", "cl001")
    assert proc.returncode == 0
    assert proc.stdout.startswith("# CL001 uncited-claim\n\nSeverity: error. Fix: none.\n\nClaim without a citation.\n")
    for section in ("## What it does", "## Why is this bad?", "## Example", "## Use instead"):
        assert section in proc.stdout


def test_rule_page_of_an_unknown_code(project):
    assert one_error_line(run(project, "rule", "CL999")) == "notelint: error: unknown rule code or name 'CL999'"


def test_rules_lists_every_rule(project):
    from notelint.rules.selection import all_rules

    proc = run(project, "rules")
    assert proc.returncode == 0
    lines = proc.stdout.splitlines()
    assert [line.split()[0] for line in lines] == list(all_rules())
    assert "TS001  error   [*] malformed-time: Malformed time: ``data-t`` or label not ``HH:MM:SS``." in lines
    assert any(line.startswith("CL002") and line.endswith("(off by default)") for line in lines)


def test_schema_prints_the_front_matter_schema(project):
    from notelint.schema import generated

    proc = run(project, "schema")
    assert proc.returncode == 0
    assert json.loads(proc.stdout) == generated()["note.schema.json"]


# -- configuration ---------------------------------------------------------------


def test_pyproject_found_by_walking_up(project):
    (project / "pyproject.toml").write_text(PYPROJECT + 'ignore = ["WL"]\n', encoding="utf-8")
    sub = project / "notes"
    proc = run(sub, "check", "--output-format", "concise")
    # the vault comes from the configuration above; paths are shown relative to the cwd
    assert proc.stdout.splitlines() == [CL001.replace("notes/", ""), TS001.replace("notes/", "")]


def test_pyproject_without_a_notelint_table_is_passed_over(project):
    (project / "notes" / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    (project / "pyproject.toml").write_text(PYPROJECT + 'select = ["TS"]\n', encoding="utf-8")
    proc = run(project / "notes", "check", "--output-format", "concise")
    assert proc.stdout.splitlines() == [TS001.replace("notes/", "")]


def test_notelint_toml_found_by_walking_up_and_wins_over_pyproject(project):
    (project / "notelint.toml").write_text('vault = "notes"\nexternal-targets = ["chan"]\nselect = ["CL001"]\n', encoding="utf-8")
    deeper = project / "notes" / "sub"
    deeper.mkdir()
    proc = run(deeper, "check", "--output-format", "concise")
    # files outside the working directory are shown with their absolute path
    assert proc.stdout.splitlines() == [f"{project / 'notes' / 'bad.md'}:8:1: CL001 claim without a citation: 'An uncited claim.'"]


def test_config_unknown_key(project):
    (project / "pyproject.toml").write_text(PYPROJECT + "bogus-key = 1\n", encoding="utf-8")
    line = one_error_line(run(project, "check"))
    assert line.endswith("pyproject.toml: [tool.notelint] unknown key 'bogus-key'")


def test_config_wrong_type(project):
    (project / "pyproject.toml").write_text(PYPROJECT + 'fail-level = 3\n', encoding="utf-8")
    line = one_error_line(run(project, "check"))
    assert "key 'fail-level'" in line and "(got 3)" in line


def test_config_select_not_a_list(project):
    (project / "notelint.toml").write_text('select = "CL"\n', encoding="utf-8")
    line = one_error_line(run(project, "check"))
    assert line.endswith("notelint.toml: key 'select': Input should be a valid list (got 'CL')")


def test_config_invalid_toml(project):
    (project / "pyproject.toml").write_text("[tool.notelint\nvault = 1\n", encoding="utf-8")
    line = one_error_line(run(project, "check"))
    assert "pyproject.toml: invalid TOML" in line


def test_config_unknown_code(project):
    (project / "pyproject.toml").write_text(PYPROJECT + 'ignore = ["ZZ1"]\n', encoding="utf-8")
    assert one_error_line(run(project, "check")) == (
        f"notelint: error: {project / 'pyproject.toml'}: [tool.notelint] key 'ignore': unknown rule code or prefix 'ZZ1'"
    )


def test_per_file_ignores_by_glob(project):
    config = PYPROJECT + '\n[tool.notelint.per-file-ignores]\n"b*.md" = ["CL", "WL001"]\n"good.md" = ["TS"]\n'
    (project / "pyproject.toml").write_text(config, encoding="utf-8")
    proc = run(project, "check", "--output-format", "concise")
    assert proc.stdout.splitlines() == [TS001]


def test_per_file_ignores_by_folder_glob(project):
    sub = project / "notes" / "channels"
    sub.mkdir()
    (sub / "chan.md").write_text("---\ntitle: Chan\n---\n\n*   [[bad]]\n*   [[good]]\n", encoding="utf-8")
    config = PYPROJECT.replace('["chan"]', "[]") + '\n[tool.notelint.per-file-ignores]\n"channels/*.md" = ["FM003", "SL001"]\n'
    (project / "pyproject.toml").write_text(config, encoding="utf-8")
    proc = run(project, "check", "notes/channels", "--output-format", "concise")
    assert proc.returncode == 0, proc.stdout


def test_user_schema_from_config(project):
    schema = {"type": "object", "required": ["duration"]}
    (project / "schemas").mkdir()
    (project / "schemas" / "note.schema.json").write_text(json.dumps(schema), encoding="utf-8")
    (project / "pyproject.toml").write_text(PYPROJECT + 'schema = "schemas/note.schema.json"\n', encoding="utf-8")
    proc = run(project, "check", "--select", "FM", "--output-format", "concise")
    assert proc.stdout.splitlines() == [
        "notes/bad.md:1:1: FM007 $: 'duration' is a required property",
        "notes/good.md:1:1: FM007 $: 'duration' is a required property",
    ]


def test_videos_file_from_config(project):
    (project / "videos.csv").write_text("videoId,duration\nabcdefghijk,00:00:30\n", encoding="utf-8")
    (project / "pyproject.toml").write_text(PYPROJECT + 'videos = "videos.csv"\n', encoding="utf-8")
    proc = run(project, "check", "--select", "TS005", "--output-format", "concise")
    assert [line.split(": ")[0] + ": " + line.split(": ")[1].split()[0] for line in proc.stdout.splitlines()] == [
        "notes/bad.md:12:17: TS005",
        "notes/bad.md:14:33: TS005",
        "notes/good.md:8:29: TS005",
    ]


# -- python -m notelint ----------------------------------------------------------


def test_python_dash_m_notelint(tmp_path):
    proc = run(tmp_path, "--version")
    assert proc.returncode == 0
    assert proc.stdout.strip() == "notelint 0.1.0"


def test_check_without_a_vault_folder(tmp_path):
    # no configuration and no notes/: the working directory is the vault
    (tmp_path / "a.md").write_text(note(f"Claim {C}.\n"), encoding="utf-8")
    proc = run(tmp_path, "check", "--output-format", "concise")
    assert proc.returncode == 1
    assert proc.stdout == "a.md:6:7: WL001 wiki-link target 'chan' does not resolve\n"


def test_bad_input_file_is_a_finding_not_a_crash(project):
    (project / "notes" / "binary.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    proc = run(project, "check", "--select", "NL", "--output-format", "concise")
    assert proc.returncode == 1
    assert proc.stdout == "notes/binary.md:3:1: NL001 binary file: NUL byte at offset 8\n"
    assert proc.stderr == ""
