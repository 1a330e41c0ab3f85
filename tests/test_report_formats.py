"""The CI output formats: SARIF 2.1.0, GitHub workflow commands, JUnit XML, GitLab Code Quality."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

import jsonschema
import pytest
from conftest import SHARED, cite, note

from notelint.findings import Finding
from notelint.report.github import command, escape_data, escape_property
from notelint.rules.selection import all_rules

SARIF_SCHEMA = SHARED / "schemas-external" / "sarif-schema-2.1.0.json"

BROKEN = note(
    f"""\
    Cable stays carry the deck {cite('00:01:10')}. The pylons carry the stays.

    An uncited claim about decks.

    See [[suspension bridges]] {cite('00:02:00')}, and [[deck_flutter#Vortex shedding]] {cite('00:02:10')}.

    Out of order {cite('00:05:00')}, {cite('00:04:00')}.

    Again [[suspension bridges]] {cite('00:06:00')}.
    """,
    title="Bridges",
)
CLEAN = note(f"A bluff deck sheds vortices {cite('00:07:00')}.\n\n## Vortex shedding\n\nAt low wind {cite('00:07:30')}.\n",
             title="Deck flutter")


def run(cwd, *args, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "notelint", "check", *args],
        cwd=cwd, capture_output=True, input=stdin, env={**os.environ, "NO_COLOR": "1"},
    )


@pytest.fixture
def project(tmp_path):
    """A project folder with a configured vault in notes/: project({"a.md": text}) -> its path."""

    def make(files: dict[str, str]):
        (tmp_path / "notelint.toml").write_text('vault = "notes"\nexternal-targets = ["chan"]\n', encoding="utf-8")
        for name, text in files.items():
            path = tmp_path / "notes" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return tmp_path

    return make


def sarif_of(cwd, *args) -> dict:
    proc = run(cwd, "--output-format", "sarif", *args)
    assert proc.returncode in (0, 1), proc.stderr.decode()
    return json.loads(proc.stdout)


def sarif_errors(doc: dict) -> list[str]:
    """Schema errors, with the formats checked too (``uri``, ``uri-reference`` via rfc3986-validator)."""
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    checker = jsonschema.FormatChecker()
    assert {"uri", "uri-reference"} <= set(checker.checkers)
    errors = sorted(cls(schema, format_checker=checker).iter_errors(doc), key=str)
    return [f"{list(e.absolute_path)}: {e.message}" for e in errors]


def validate_sarif(doc: dict) -> None:
    errors = sarif_errors(doc)
    assert not errors, "\n".join(errors[:5])


# -- SARIF -----------------------------------------------------------------------------------


def test_sarif_validates_against_the_schema(project):
    root = project({"bridges.md": BROKEN, "deck_flutter.md": CLEAN})
    doc = sarif_of(root, "--extend-select", "CL002")
    validate_sarif(doc)
    assert doc["version"] == "2.1.0"
    assert doc["$schema"].endswith("sarif-schema-2.1.0.json")
    assert len(doc["runs"][0]["results"]) == 5
    # The validation bites: a wrong level, a missing message and an unencoded URI are caught.
    res = doc["runs"][0]["results"]
    res[0]["level"] = "fatal"
    del res[1]["message"]
    res[2]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] = "notes/a b.md"
    errors = sarif_errors(doc)
    assert len(errors) == 3, errors


def test_sarif_lists_every_rule_with_descriptions(project):
    root = project({"deck_flutter.md": CLEAN})
    doc = sarif_of(root)
    driver = doc["runs"][0]["tool"]["driver"]
    assert driver["name"] == "notelint"
    rules = driver["rules"]
    registry = all_rules()
    assert [r["id"] for r in rules] == sorted(registry)
    by_id = {r["id"]: r for r in rules}
    for code, r in registry.items():
        d = by_id[code]
        assert d["name"] == r.name
        assert d["shortDescription"]["text"] == r.summary
        assert d["fullDescription"]["text"] and d["fullDescription"]["text"] != r.summary
        assert d["help"]["text"] == r.doc and d["help"]["markdown"] == r.doc
        assert d["defaultConfiguration"]["level"] == {"error": "error", "warning": "warning", "info": "note"}[r.severity]
        assert d["defaultConfiguration"]["enabled"] is r.default
    # The full description is the rule doc's "What it does" section.
    assert by_id["WL001"]["fullDescription"]["text"].startswith("Resolves every ``[[target]]`` against the whole vault")
    assert by_id["CL002"]["defaultConfiguration"] == {"level": "note", "enabled": False}
    assert doc["runs"][0]["results"] == []


def test_sarif_results_have_rule_level_region_and_relative_uri(project):
    root = project({"bridges.md": BROKEN, "deck_flutter.md": CLEAN})
    doc = sarif_of(root, "--extend-select", "CL002")
    run_ = doc["runs"][0]
    assert run_["columnKind"] == "unicodeCodePoints"
    rules = run_["tool"]["driver"]["rules"]
    got = []
    for res in run_["results"]:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        loc = res["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"] == {"uri": "notes/bridges.md", "uriBaseId": "%SRCROOT%"}
        region = loc["region"]
        got.append((res["ruleId"], res["level"], region["startLine"], region["startColumn"]))
        assert (region["endLine"], region["endColumn"]) >= (region["startLine"], region["startColumn"])
        assert set(res["partialFingerprints"]) == {"notelint/v1"}
    assert got == [
        ("CL002", "note", 8, 86),
        ("CL001", "error", 10, 1),
        ("WL001", "error", 12, 5),
        ("TS003", "error", 14, 72),
        ("WL001", "error", 16, 7),
    ]
    wl = run_["results"][2]
    assert wl["message"]["text"] == "wiki-link target 'suspension bridges' does not resolve"
    assert wl["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 12, "startColumn": 5, "endLine": 12, "endColumn": 27}


def fingerprints_by_finding(doc) -> dict:
    out = {}
    for res in doc["runs"][0]["results"]:
        region = res["locations"][0]["physicalLocation"]["region"]
        out.setdefault((res["ruleId"], res["message"]["text"]), []).append(
            (region["startLine"], res["partialFingerprints"]["notelint/v1"]))
    return out


def test_sarif_fingerprints_survive_a_line_inserted_above(project):
    root = project({"bridges.md": BROKEN, "deck_flutter.md": CLEAN})
    before = fingerprints_by_finding(sarif_of(root))
    shifted = BROKEN.replace("From: [[chan]] <br/>\n", f"From: [[chan]] <br/>\n\nA new opening claim {cite('00:00:30')}.\n")
    (root / "notes" / "bridges.md").write_text(shifted, encoding="utf-8")
    after = fingerprints_by_finding(sarif_of(root))
    assert before.keys() == after.keys()
    for key in before:
        lines_before = [line for line, _ in before[key]]
        lines_after = [line for line, _ in after[key]]
        assert lines_after == [line + 2 for line in lines_before]  # the findings moved...
        assert [fp for _, fp in after[key]] == [fp for _, fp in before[key]]  # ...their fingerprints did not
    # The same broken link twice: two findings, two fingerprints (occurrence index).
    twice = before[("WL001", "wiki-link target 'suspension bridges' does not resolve")]
    assert len(twice) == 2 and twice[0][1] != twice[1][1]
    # Every fingerprint in the run is distinct.
    every = [fp for items in before.values() for _, fp in items]
    assert len(every) == len(set(every))


def test_sarif_fingerprint_changes_with_the_offending_text(project):
    root = project({"bridges.md": BROKEN, "deck_flutter.md": CLEAN})
    before = fingerprints_by_finding(sarif_of(root))
    (root / "notes" / "bridges.md").write_text(BROKEN.replace("An uncited claim", "A reworded uncited claim"), encoding="utf-8")
    after = fingerprints_by_finding(sarif_of(root))
    old = before[("CL001", "claim without a citation: 'An uncited claim about decks.'")]
    new = after[("CL001", "claim without a citation: 'A reworded uncited claim about decks.'")]
    assert old[0][1] != new[0][1]
    assert before[("TS003", next(m for c, m in before if c == "TS003"))] == after[("TS003", next(m for c, m in after if c == "TS003"))]


def test_sarif_uri_is_percent_encoded_and_still_valid(project):
    root = project({"a note, 100%.md": note("An uncited claim.\n")})
    doc = sarif_of(root)
    validate_sarif(doc)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in doc["runs"][0]["results"]}
    assert uris == {"notes/a%20note,%20100%25.md"}


# -- GitHub ----------------------------------------------------------------------------------


def test_github_escaping():
    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("a:b,c%d\n") == "a%3Ab%2Cc%25d%0A"
    f = Finding("WL001", "error", "notes/a, b: c%.md", 3, 7, "target 'x: 1%,\ny'", 3, 12)
    assert command(f) == (
        "::error file=notes/a%2C b%3A c%25.md,line=3,endLine=3,col=7,endColumn=12,title=WL001"
        "::target 'x: 1%25,%0Ay'"
    )
    assert command(Finding("TS004", "warning", "n.md", 2, 1, "m", 4, 2)).startswith("::warning file=n.md,line=2,endLine=4,col=1,title=TS004::")
    assert command(Finding("CL002", "info", "n.md", 2, 1, "m", 2, 1)) == "::notice file=n.md,line=2,endLine=2,col=1,title=CL002::m"


def test_github_one_command_per_finding(project):
    root = project({"bridges.md": BROKEN, "deck_flutter.md": CLEAN, "odd, name: 1%.md": note(f"[[no: such, note]] {cite('00:01:00')}.\n")})
    proc = run(root, "--output-format", "github")
    assert proc.returncode == 1
    lines = proc.stdout.decode().splitlines()
    concise = run(root, "--output-format", "concise").stdout.decode().splitlines()
    assert len(lines) == len(concise) == 5
    assert lines[1] == ("::error file=notes/bridges.md,line=12,endLine=12,col=5,endColumn=27,title=WL001"
                        "::wiki-link target 'suspension bridges' does not resolve")
    assert lines[-1] == ("::error file=notes/odd%2C name%3A 1%25.md,line=8,endLine=8,col=1,endColumn=19,title=WL001"
                         "::wiki-link target 'no: such, note' does not resolve")
    assert all(line.startswith("::error ") for line in lines)


# -- JUnit -----------------------------------------------------------------------------------


def test_junit_parses_back(project):
    root = project({"bridges.md": BROKEN, "deck_flutter.md": CLEAN, "sub/empty claim.md": note("No citation & <here>.\n")})
    proc = run(root, "--output-format", "junit")
    assert proc.returncode == 1
    tree = ET.fromstring(proc.stdout)
    assert tree.tag == "testsuites"
    suite = tree.find("testsuite")
    cases = {c.get("name"): c for c in suite.findall("testcase")}
    assert set(cases) == {"notes/bridges.md", "notes/deck_flutter.md", "notes/sub/empty claim.md"}
    assert suite.get("tests") == "3" and suite.get("failures") == "2" and suite.get("errors") == "0"
    assert cases["notes/deck_flutter.md"].findall("failure") == []
    bridges = cases["notes/bridges.md"].findall("failure")
    assert [f.get("type") for f in bridges] == ["CL001", "WL001", "TS003", "WL001"]
    assert bridges[1].get("message") == "WL001 wiki-link target 'suspension bridges' does not resolve"
    assert bridges[1].text == "notes/bridges.md:12:5: WL001 [error] wiki-link target 'suspension bridges' does not resolve"
    empty = cases["notes/sub/empty claim.md"]
    assert empty.get("classname") == "notes/sub" and empty.get("file") == "notes/sub/empty claim.md"
    assert empty.find("failure").get("message") == "CL001 claim without a citation: 'No citation & <here>.'"


def test_junit_all_clean(project):
    root = project({"deck_flutter.md": CLEAN})
    proc = run(root, "--output-format", "junit")
    assert proc.returncode == 0
    suite = ET.fromstring(proc.stdout).find("testsuite")
    assert suite.get("tests") == "1" and suite.get("failures") == "0"


def test_junit_control_characters_stay_well_formed():
    from types import SimpleNamespace

    from notelint.report.junit import render

    result = SimpleNamespace(files=["a.md"], findings=[Finding("NL001", "error", "a.md", 1, 1, "bad \x1b byte \x00")])
    tree = ET.fromstring(render(result).encode())
    assert tree.find("testsuite/testcase/failure").get("message") == "NL001 bad \\x1b byte \\x00"


# -- GitLab ----------------------------------------------------------------------------------


def test_gitlab_code_quality(project):
    root = project({"bridges.md": BROKEN, "deck_flutter.md": CLEAN, "loads.md": note(
        f"Dead and live loads {cite('00:08:00')}, {cite('00:08:00')}.\n")})
    proc = run(root, "--output-format", "gitlab", "--extend-select", "CL002")
    assert proc.returncode == 1
    issues = json.loads(proc.stdout)
    assert isinstance(issues, list) and len(issues) == 6
    prints = [i["fingerprint"] for i in issues]
    assert len(set(prints)) == len(prints)
    assert all(len(p) == 32 and int(p, 16) >= 0 for p in prints)
    assert {i["severity"] for i in issues} == {"major", "minor", "info"}
    wl = next(i for i in issues if i["check_name"] == "WL001")
    assert wl["description"] == "WL001 wiki-link target 'suspension bridges' does not resolve"
    assert wl["location"] == {"path": "notes/bridges.md",
                              "positions": {"begin": {"line": 12, "column": 5}, "end": {"line": 12, "column": 27}}}
    ts4 = next(i for i in issues if i["check_name"] == "TS004")
    assert ts4["severity"] == "minor" and ts4["location"]["path"] == "notes/loads.md"
    # GitLab and SARIF fingerprints are the same recipe.
    sarif = sarif_of(root, "--extend-select", "CL002")
    assert [r["partialFingerprints"]["notelint/v1"] for r in sarif["runs"][0]["results"]] == prints


# -- plumbing --------------------------------------------------------------------------------


def test_formats_are_imported_lazily(project):
    root = project({"deck_flutter.md": CLEAN})
    code = (
        "import sys; from notelint.cli import main; rc = main(['check', 'notes/deck_flutter.md']); "
        "print(sorted(m for m in sys.modules if m.startswith('notelint.report.')), file=sys.stderr)"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True)
    assert proc.stderr.strip() == "['notelint.report.escape', 'notelint.report.text']"


@pytest.mark.parametrize("fmt", ["sarif", "github", "junit", "gitlab"])
def test_output_file_and_exit_zero(project, fmt):
    root = project({"bridges.md": BROKEN, "deck_flutter.md": CLEAN})
    proc = run(root, "--output-format", fmt, "--output-file", "report.out", "--exit-zero")
    assert proc.returncode == 0 and proc.stdout == b""
    assert (root / "report.out").read_text(encoding="utf-8") == run(root, "--output-format", fmt).stdout.decode()


def test_text_reports_come_in_chunks_with_the_same_bytes():
    """A whole vault's text report is written chunk by chunk as it is rendered (never held as
    one string); the chunks are the rendered text, byte for byte, in every text format."""
    from notelint.report import render, render_chunks
    from notelint.run.result import RunResult

    findings = [Finding(code="WL001", severity="error", path=f"v/n{i // 3}.md", line=i + 1, col=2,
                        message=f"wiki-link target 'x{i}' goes to a missing page") for i in range(7)]
    result = RunResult(findings, [f"v/n{i}.md" for i in range(3)], 3)
    for fmt in ("text", "concise", "grouped", "json"):
        whole = render(fmt, result)
        chunks = list(render_chunks(fmt, result, lines_per_chunk=2))
        assert "".join(chunks) == whole, fmt
        assert len(chunks) == -(-whole.count("\n") // 2), fmt  # the JSON too (tests/test_report_stream.py)
    statistics = list(render_chunks("text", result, lines_per_chunk=1, statistics=True))
    assert statistics == ["count\tcode\tfixable\trule\n", "7\tWL001\t      0\n"]
