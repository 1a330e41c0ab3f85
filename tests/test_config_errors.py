"""Configuration and usage errors: exit 2, one line on standard error naming the file,
the key and the problem; nothing on standard output; never a traceback.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import cite, note

from notelint.cli import main

GOOD = note(f"Claim {cite('00:00:01')}.\n")


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project folder with ``notes/`` holding one clean note; the working directory."""
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "good.md").write_text(GOOD)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(args: list[str], capsys) -> tuple[int, str, str]:
    try:
        rc = main(["check", "--no-cache", *args])
    except SystemExit as exc:  # argparse usage errors
        rc = exc.code
    out, err = capsys.readouterr()
    return rc, out, err


def assert_one_line_error(rc, out, err, *parts):
    assert rc == 2, (rc, out, err)
    assert out == ""
    assert err.startswith("notelint: error: ") and err.endswith("\n") and err.count("\n") == 1, err
    assert "Traceback" not in err
    for part in parts:
        assert part in err, (part, err)


TOML = "notelint.toml"
PYPROJECT = "pyproject.toml"

# (file, content, extra arguments, parts the message must hold: key and problem)
CASES = {
    "invalid-toml": (TOML, 'vault = notes\n', [], ["invalid TOML: Invalid value (at line 1, column 9)"]),
    "invalid-toml-pyproject": (PYPROJECT, "[tool.notelint\n", [], ["invalid TOML: Expected ']'"]),
    "toml-not-utf8": (TOML, b"\xff\xfe", [], ["invalid TOML: not UTF-8 (byte at offset 0)"]),
    "unknown-key": (TOML, "bogus = 1\n", [], ["unknown key 'bogus'"]),
    "unknown-key-pyproject": (PYPROJECT, "[tool.notelint]\nbogus = 1\n", [], ["[tool.notelint] unknown key 'bogus'"]),
    "unknown-subtable": (PYPROJECT, "[tool.notelint.extra]\nx = 1\n", [], ["[tool.notelint] unknown key 'extra'"]),
    "table-not-a-table": (PYPROJECT, "[tool]\nnotelint = 3\n", [], ["[tool.notelint] must be a table"]),
    "wrong-type-string": (TOML, "vault = 3\n", [], ["key 'vault': Input should be a valid string (got 3)"]),
    "wrong-type-list": (TOML, 'select = "CL001"\n', [], ["key 'select': Input should be a valid list (got 'CL001')"]),
    "wrong-type-list-item": (TOML, "exclude = [1]\n", [], ["key 'exclude.0': Input should be a valid string (got 1)"]),
    "wrong-type-bool": (TOML, 'allow-extra-fields = "yes"\n', [],
                        ["key 'allow-extra-fields': Input should be a valid boolean (got 'yes')"]),
    "wrong-type-int": (TOML, 'max-file-size = "big"\n', [], ["key 'max-file-size': Input should be a valid integer"]),
    "int-from-float": (TOML, "max-file-size = 1.5\n", [], ["key 'max-file-size': Input should be a valid integer"]),
    "size-negative": (TOML, "max-file-size = -5\n", [], ["key 'max-file-size': Input should be greater than 0 (got -5)"]),
    "size-huge": (TOML, "max-file-size = 99999999999999999999\n", [],
                  ["key 'max-file-size': Input should be less than or equal to 1073741824"]),
    "size-inf": (TOML, "max-file-size = inf\n", [], ["key 'max-file-size'"]),
    "bad-choice": (TOML, 'fail-level = "fatal"\n', [],
                   ["key 'fail-level': Input should be 'error', 'warning' or 'info' (got 'fatal')"]),
    "per-file-ignores-type": (TOML, '[per-file-ignores]\n"a.md" = "CL001"\n', [],
                              ["key 'per-file-ignores.a.md': Input should be a valid list (got 'CL001')"]),
    "unknown-code-select": (TOML, 'select = ["XX999"]\n', [], ["key 'select': unknown rule code or prefix 'XX999'"]),
    "unknown-code-extend": (TOML, 'extend-select = ["CL9"]\n', [], ["key 'extend-select': unknown rule code or prefix 'CL9'"]),
    "unknown-code-ignore": (PYPROJECT, '[tool.notelint]\nignore = ["Q"]\n', [],
                            ["[tool.notelint] key 'ignore': unknown rule code or prefix 'Q'"]),
    "unknown-code-per-file": (TOML, '[per-file-ignores]\n"*.md" = ["ZZ1"]\n', [],
                              ["key 'per-file-ignores.*.md': unknown rule code or prefix 'ZZ1'"]),
    "unknown-code-cli-select": (None, None, ["--select", "CL001,XX999"], ["argument --select: unknown rule code or prefix 'XX999'"]),
    "unknown-code-cli-ignore": (None, None, ["--ignore", "WL,NOPE"], ["argument --ignore: unknown rule code or prefix 'NOPE'"]),
    "unknown-code-cli-extend": (None, None, ["--extend-select", "ZZ"], ["argument --extend-select: unknown rule code or prefix 'ZZ'"]),
    "vault-missing": (TOML, 'vault = "missing"\n', [], ["key 'vault': folder ", "missing does not exist"]),
    "vault-missing-cli": (None, None, ["--vault", "nowhere"], ["argument --vault: folder ", "nowhere does not exist"]),
    "schema-missing": (TOML, 'schema = "nope.json"\n', [], ["key 'schema': cannot load ", "nope.json: No such file or directory"]),
    "videos-missing": (TOML, 'videos = "nope.csv"\n', [], ["key 'videos': ", "nope.csv: cannot read videos file: No such file"]),
    "config-missing": (None, None, ["--config", "missing.toml"], ["missing.toml: cannot read: No such file or directory"]),
    "config-is-a-folder": (None, None, ["--config", "notes"], ["notes: cannot read: Is a directory"]),
    "jobs-negative": (None, None, ["--jobs", "-1"], ["argument --jobs/-j: must be 0 (all cores) or more"]),
    "jobs-not-a-number": (None, None, ["--jobs", "x"], ["argument --jobs/-j: expected a whole number, got 'x'"]),
    "output-format": (None, None, ["--output-format", "nope"], ["argument --output-format: invalid choice: 'nope'"]),
    "path-missing": (None, None, ["nonexistent.md"], ["nonexistent.md: no such file or directory"]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_config_error(project, capsys, case):
    name, content, args, parts = CASES[case]
    if name is not None:
        path = project / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
        parts = [f"{path}: ", *parts]
    assert_one_line_error(*run(args, capsys), *parts)


# Files the configuration points to: schema and videos files.
SCHEMAS = {
    "not-json": ("[1", "cannot load ", "s.json: Expecting ',' delimiter"),
    "not-a-schema": ('{"type": 5}', "s.json is not a valid JSON Schema: 5 is not valid under any of the given schemas"),
    "bad-regex": ('{"properties": {"title": {"pattern": "("}}}', "s.json is not a valid JSON Schema: '(' is not a 'regex'"),
    "dangling-ref": ('{"$ref": "#/nope"}', "s.json: cannot resolve a $ref: PointerToNowhere: '/nope' does not exist"),
    # a $ref met only when a note has the field: found while linting, still exit 2 (not one NL001 per note)
    "remote-ref": ('{"properties": {"title": {"$ref": "other.json"}}}', "cannot resolve a $ref: Unresolvable: other.json"),
}


@pytest.mark.parametrize("case", list(SCHEMAS))
def test_schema_errors(project, capsys, case):
    content, *parts = SCHEMAS[case]
    (project / "s.json").write_text(content)
    (project / TOML).write_text('schema = "s.json"\n')
    assert_one_line_error(*run([], capsys), f"{project / TOML}: key 'schema': ", *parts)


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("v.csv", "videoId,duration\nabc,xx\n", "v.csv: duration of 'abc' must be HH:MM:SS or seconds, got 'xx'"),
        ("v.csv", "id,length\n", "v.csv: the videos file needs the columns videoId and duration"),
        ("v.json", '{"a": [1]}', "v.json: duration of 'a' must be HH:MM:SS or seconds, got [1]"),
        ("v.json", "[1, 2]", "v.json: the videos file must map videoId to duration"),
        ("v.json", "{", "v.json: invalid JSON"),
    ],
)
def test_videos_file_errors(project, capsys, name, content, message):
    (project / name).write_text(content)
    (project / TOML).write_text(f'videos = "{name}"\n')
    assert_one_line_error(*run([], capsys), f"{project / TOML}: key 'videos': ", message)


def test_a_valid_configuration_still_works(project, capsys):
    (project / TOML).write_text('vault = "notes"\nselect = ["ALL"]\nmax-file-size = 1000000\nallow-extra-fields = true\n')
    rc, out, err = run(["--select", "CL,TS", "--ignore", "CL002"], capsys)
    assert (rc, err) == (0, "")
    assert "All checks passed! (1 note checked)" in out


def test_real_process_prints_no_traceback(tmp_path):
    (tmp_path / "notes").mkdir()
    (tmp_path / TOML).write_text("vault = [\n")
    proc = subprocess.run([sys.executable, "-m", "notelint", "check"], cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.startswith(f"notelint: error: {tmp_path / TOML}: invalid TOML: ")


def test_schema_error_found_in_a_worker_process_is_still_exit_2(project, capsys, monkeypatch):
    from notelint.run import workers

    monkeypatch.setattr(workers, "PARALLEL_MIN", 1)  # workers even for a few notes
    for i in range(4):
        (project / "notes" / f"n{i}.md").write_text(GOOD)
    (project / "s.json").write_text('{"properties": {"title": {"$ref": "other.json"}}}')
    (project / TOML).write_text('schema = "s.json"\n')
    assert_one_line_error(*run(["--jobs", "2"], capsys), f"{project / TOML}: key 'schema': cannot resolve a $ref")
