"""``--fix``, ``--unsafe-fixes`` and ``--diff``: each fix byte for byte, and the safety guarantees.

Safety (SPEC §5): atomic writes, line endings / BOM / permissions kept, bytes
outside the fixed spans unchanged, NL001/FM001/FM002 notes never written,
fixing twice changes nothing, no fixable finding left after ``--fix``.
The property test in ``test_fix_property.py`` checks the same on generated notes.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import cite

from notelint import cli
from notelint import fix as fixmod
from notelint.config import Settings
from notelint.discover import NoteFile
from notelint.findings import Edit, Finding, Fix
from notelint.fix import FixError, apply_fixes, fix_bytes, fix_files, write_note
from notelint.rules.registry import RuleContext
from notelint.rules.selection import resolve_selection
from notelint.rules.suppression import apply_directives
from notelint.run import lint_text

HEAD = "---\ntitle: A note\nvideoId: abcdefghijk\n---\n\nFrom: [[chan]] <br/>\n\n"


def settings_for(root: Path, ignore=()) -> Settings:
    s = Settings(root=root, vault=root)
    s.selected = resolve_selection(None, (), ignore)
    return s


def write(tmp_path: Path, content: str | bytes, name: str = "a.md") -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def run_fix(tmp_path: Path, content: str | bytes, *, unsafe=False, ignore=(), name="a.md", write_back=True):
    """Write a note, fix it like ``--fix`` does; return (bytes on disk afterwards, FixRun)."""
    path = write(tmp_path, content, name)
    run = fix_files([NoteFile(path, name, name)], settings_for(tmp_path, ignore), unsafe=unsafe, write=write_back)
    return path.read_bytes(), run


def fixed(tmp_path: Path, content: str, **kw) -> str:
    data, _ = run_fix(tmp_path, content, **kw)
    return data.decode("utf-8")


def remaining(tmp_path: Path, data: bytes, name="a.md", unsafe=False):
    """The findings of a note whose fix ``--fix`` would apply."""
    s = settings_for(tmp_path)
    res = lint_text(NoteFile(tmp_path / name, name, name), data, RuleContext(s))
    return [f for f in apply_directives(res.findings, res.directives) if fixmod.applicable(f, unsafe)]


def anchor(t: str, label: str | None = None) -> str:
    return cite(t, label)


# --- each fix, before and after --------------------------------------------------------------


def test_ts001_zero_pads_data_t_and_label(tmp_path):
    before = HEAD + f"A {anchor('0:21:12')} b {anchor('21:12', '0:21:12')} c {anchor('1:05')}.\n"
    after = HEAD + f"A {anchor('00:21:12')} b {anchor('00:21:12')} c {anchor('00:01:05')}.\n"
    assert fixed(tmp_path, before) == after


def test_ts001_leaves_minutes_over_59_alone(tmp_path):
    text = HEAD + f"A {anchor('00:75:00')}.\n"
    data, run = run_fix(tmp_path, text)
    assert data.decode() == text and run.count == 0


def test_ts003_reorders_group_keeping_separators(tmp_path):
    before = HEAD + f"A {anchor('00:28:36')}, {anchor('00:21:12')} and {anchor('00:01:00')}.\n"
    after = HEAD + f"A {anchor('00:01:00')}, {anchor('00:21:12')} and {anchor('00:28:36')}.\n"
    assert fixed(tmp_path, before) == after


def test_ts003_descending_range_is_turned_around(tmp_path):
    before = HEAD + f"A {anchor('01:32:30')} - {anchor('01:30:19')}.\n"
    after = HEAD + f"A {anchor('01:30:19')} - {anchor('01:32:30')}.\n"
    assert fixed(tmp_path, before) == after


def test_ts003_no_fix_when_a_label_disagrees(tmp_path):
    text = HEAD + f"A {anchor('00:28:36')}, {anchor('00:21:12', '00:30:00')}.\n"
    data, run = run_fix(tmp_path, text)
    assert data.decode() == text and run.count == 0


def test_ts004_drops_the_repeat_with_its_separator(tmp_path):
    before = HEAD + f"A {anchor('00:21:12')}, {anchor('00:28:36')}, {anchor('00:21:12')}.\n"
    after = HEAD + f"A {anchor('00:21:12')}, {anchor('00:28:36')}.\n"
    assert fixed(tmp_path, before) == after


def test_ts004_three_repeats_settle_to_one(tmp_path):
    before = HEAD + f"A {anchor('00:21:12')} {anchor('00:21:12')} {anchor('00:21:12')}.\n"
    assert fixed(tmp_path, before) == HEAD + f"A {anchor('00:21:12')}.\n"


def test_ts004_no_fix_when_the_repeat_label_says_another_time(tmp_path):
    text = HEAD + f"A {anchor('00:21:12')}, {anchor('00:21:12', '00:22:12')}.\n"
    data, run = run_fix(tmp_path, text)
    assert data.decode() == text and "TS004" not in run.outcomes[0].fixed


def test_fm004_trims_quoted_title(tmp_path):
    for quoted, trimmed in (('"  A note "', '"A note"'), ("' A note\t'", "'A note'")):
        before = HEAD.replace("title: A note", f"title: {quoted}") + f"A {anchor('00:00:01')}.\n"
        after = HEAD.replace("title: A note", f"title: {trimmed}") + f"A {anchor('00:00:01')}.\n"
        assert fixed(tmp_path, before) == after


def test_fm004_no_trim_to_empty_or_with_escapes(tmp_path):
    for title in ('"   "', '" A\\tB "'):
        text = HEAD.replace("title: A note", f"title: {title}") + f"A {anchor('00:00:01')}.\n"
        data, run = run_fix(tmp_path, text)
        assert data.decode() == text and run.count == 0


def test_fm004_quotes_values_yaml_reads_as_numbers_or_booleans(tmp_path):
    before = "---\ntitle: yes\nvideoId: 12345678901\n---\n\nFrom: [[chan]] <br/>\n"
    after = '---\ntitle: "yes"\nvideoId: "12345678901"\n---\n\nFrom: [[chan]] <br/>\n'
    assert fixed(tmp_path, before) == after


def test_fm004_no_quote_fix_when_the_text_would_still_be_wrong(tmp_path):
    text = "---\ntitle: A note\nvideoId: 1234\n---\n\nFrom: [[chan]] <br/>\n"
    data, run = run_fix(tmp_path, text)
    assert data.decode() == text and run.count == 0


def test_nl002_removes_invisible_characters(tmp_path):
    before = HEAD + f"A cl\u200baim on [[to\u2060pic]] and\ufeff more {anchor('00:00:01')}.\n"
    after = HEAD + f"A claim on [[topic]] and more {anchor('00:00:01')}.\n"
    assert fixed(tmp_path, before) == after


def test_nl002_no_fix_where_the_character_may_be_text(tmp_path):
    # a family emoji (ZWJ sequence), and a direction mark on a line of Hebrew
    text = HEAD + f"A claim \U0001F468\u200d\U0001F469 and \u05e9\u05dc\u05d5\u05dd\u200e x {anchor('00:00:01')}.\n"
    data, run = run_fix(tmp_path, text)
    assert data.decode() == text and run.count == 0
    s = settings_for(tmp_path)
    res = lint_text(NoteFile(tmp_path / "a.md", "a.md", "a.md"), data, RuleContext(s))
    nl = [f for f in res.findings if f.code == "NL002"]
    assert len(nl) == 2 and all(f.fix is None and "no automatic fix" in f.message for f in nl)


def test_sl001_adds_the_missing_br(tmp_path):
    for line in ("From: [[chan]]", "From: [[chan | Channel]]  "):
        before = f"---\ntitle: A note\nvideoId: abcdefghijk\n---\n\n{line}\nText {anchor('00:00:01')}.\n"
        after = f"---\ntitle: A note\nvideoId: abcdefghijk\n---\n\n{line.rstrip()} <br/>\nText {anchor('00:00:01')}.\n"
        assert fixed(tmp_path, before) == after


def test_wl002_empty_alias_is_removed(tmp_path):
    before = HEAD + f"See [[topic | ]], [[topic#Part|]] {anchor('00:00:01')}.\n"
    after = HEAD + f"See [[topic]], [[topic#Part]] {anchor('00:00:01')}.\n"
    assert fixed(tmp_path, before) == after


def test_wl002_other_forms_have_no_fix(tmp_path):
    text = HEAD + f"See [[|]], [[a | b | c]] {anchor('00:00:01')}.\n"
    data, run = run_fix(tmp_path, text)
    assert data.decode() == text and run.count == 0


def test_ts006_fixes_are_unsafe(tmp_path):
    before = (
        HEAD
        + "A bare [21:12] label.\n\n"
        + 'An empty <a class="yt-timestamp" data-t="00:01:00"></a> label and <a class="yt-timestamp" data-t="00:02:00">[]</a>.\n\n'
        + 'No time <a class="yt-timestamp">[00:03:00]</a>.\n\n'
        + "A Markdown link [00:04:00](https://youtu.be/x) is left alone.\n"
    )
    data, run = run_fix(tmp_path, before)  # safe fixes only: nothing to do
    assert data.decode() == before and run.count == 0
    after = (
        HEAD
        + f"A bare {anchor('00:21:12')} label.\n\n"
        + f"An empty {anchor('00:01:00')} label and {anchor('00:02:00')}.\n\n"
        + f"No time {anchor('00:03:00')}.\n\n"
        + "A Markdown link [00:04:00](https://youtu.be/x) is left alone.\n"
    )
    assert fixed(tmp_path, before, unsafe=True) == after


def test_sl002_preamble_deleted_only_with_unsafe_fixes(tmp_path):
    before = "---\ntitle: A note\nvideoId: abcdefghijk\n---\n\nHere is the article with backlinks added:\n\nFrom: [[chan]] <br/>\n"
    assert fixed(tmp_path, before) == before
    assert fixed(tmp_path, before, unsafe=True) == "---\ntitle: A note\nvideoId: abcdefghijk\n---\n\nFrom: [[chan]] <br/>\n"


def test_code_comments_and_suppressed_findings_are_not_fixed(tmp_path):
    before = (
        HEAD
        + f"Code `{anchor('1:05')}` stays.\n\n"
        + f"```\n{anchor('1:05')}\n```\n\n"
        + "<!-- notelint: disable-next-line=TS001 -->\n"
        + f"Suppressed {anchor('1:05')}.\n\n"
        + f"Fixed {anchor('1:05')}.\n"
    )
    after = before.replace(f"Fixed {anchor('1:05')}", f"Fixed {anchor('00:01:05')}")
    assert fixed(tmp_path, before) == after


def test_ignored_rules_are_not_fixed(tmp_path):
    text = HEAD + f"A {anchor('1:05')}.\n"
    assert fixed(tmp_path, text, ignore=["TS001"]) == text


# --- applying edits ----------------------------------------------------------------------------


def _finding(code: str, *edits: Edit, safe=True) -> Finding:
    return Finding(code, "error", "a.md", 1, 1, "m", fix=Fix("d", tuple(edits), safe), offset=edits[0].start)


def test_overlapping_fixes_first_wins_rest_waits():
    raw = b"abcdefgh"
    first = _finding("X001", Edit(1, 4, b"X"))
    overlapping = _finding("X002", Edit(3, 5, b"Y"))
    same_place_insert = _finding("X003", Edit(1, 1, b"Z"))
    later = _finding("X004", Edit(6, 7, b"W"))
    out, applied = apply_fixes(raw, [later, overlapping, first, same_place_insert])
    assert out == b"aXefWh"
    assert applied == [first, later]


def test_touching_deletions_both_apply_and_unsafe_needs_the_flag():
    raw = b"0123456789"
    a, b = _finding("X001", Edit(2, 4, b"")), _finding("X002", Edit(4, 6, b""))
    u = _finding("X003", Edit(8, 9, b"!"), safe=False)
    assert apply_fixes(raw, [a, b, u]) == (b"016789", [a, b])
    assert apply_fixes(raw, [a, b, u], unsafe=True)[0] == b"0167!9"


def test_a_pass_that_would_add_lf_to_a_crlf_note_is_thrown_away(tmp_path, monkeypatch):
    text = (HEAD + f"A {anchor('1:05')}.\n").replace("\n", "\r\n").encode()
    at = text.rindex(b"A ")
    bad = _finding("TS001", Edit(at, at + 1, b"A\nB"))
    monkeypatch.setattr(fixmod, "_lint", lambda *a, **k: [bad])
    outcome = fix_bytes(NoteFile(tmp_path / "a.md", "a.md", "a.md"), text, settings_for(tmp_path))
    assert outcome.after == text and not outcome.changed
    assert "line endings" in outcome.warning


def test_a_pass_that_would_break_the_front_matter_is_thrown_away(tmp_path, monkeypatch):
    text = (HEAD + "A.\n").encode()
    bad = _finding("NL002", Edit(0, 3, b""))  # deletes the opening ---
    monkeypatch.setattr(fixmod, "_lint", lambda *a, **k: [bad])
    outcome = fix_bytes(NoteFile(tmp_path / "a.md", "a.md", "a.md"), text, settings_for(tmp_path))
    assert outcome.after == text and "FM001" in outcome.warning


# --- safety --------------------------------------------------------------------------------


DEFECTS = HEAD + (
    f"Claim {anchor('21:12')}, {anchor('00:01:00')} and {anchor('00:01:00')}.\n"
    + "\n"
    + f"* **Label**: item with an invis\u200bible {anchor('00:03:00')} - {anchor('00:02:00')}.\n"
)
CLEAN = HEAD + (
    f"Claim {anchor('00:01:00')}, {anchor('00:21:12')}.\n"
    + "\n"
    + f"* **Label**: item with an invisible {anchor('00:02:00')} - {anchor('00:03:00')}.\n"
)


def test_defects_fixed_exactly(tmp_path):
    data, run = run_fix(tmp_path, DEFECTS)
    assert data.decode() == CLEAN
    assert run.count == 5 and dict(run.outcomes[0].fixed) == {"TS001": 1, "TS003": 2, "TS004": 1, "NL002": 1}


def test_crlf_is_kept(tmp_path):
    before = DEFECTS.replace("\n", "\r\n").encode()
    data, _ = run_fix(tmp_path, before)
    assert data == CLEAN.replace("\n", "\r\n").encode()
    assert b"\n" not in data.replace(b"\r\n", b"")


def test_crlf_kept_when_a_group_spans_lines(tmp_path):
    before = HEAD + f"Claim {anchor('00:05:00')},\n{anchor('00:01:00')},\n{anchor('00:01:00')} end.\n"
    after = HEAD + f"Claim {anchor('00:01:00')},\n{anchor('00:05:00')} end.\n"
    data, _ = run_fix(tmp_path, before.replace("\n", "\r\n").encode())
    assert data == after.replace("\n", "\r\n").encode()


def test_bom_is_kept(tmp_path):
    data, _ = run_fix(tmp_path, b"\xef\xbb\xbf" + DEFECTS.encode())
    assert data == b"\xef\xbb\xbf" + CLEAN.encode()


def test_permissions_are_kept(tmp_path):
    path = write(tmp_path, DEFECTS)
    os.chmod(path, 0o640)
    fix_files([NoteFile(path, "a.md", "a.md")], settings_for(tmp_path))
    assert path.read_text() == CLEAN
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640


def test_bytes_outside_the_fixed_spans_are_unchanged(tmp_path):
    # Odd bytes everywhere else: trailing spaces, tabs, a lone CR inside a code block, non-ASCII,
    # no newline at the end of the file.
    keep_before = "Tabs\tand trailing spaces   \nnon-ASCII: é ✓ 日本 \n\n```\nraw \r line\n```\n\n"
    before = HEAD + keep_before + f"Claim {anchor('1:05')} tail"
    data, run = run_fix(tmp_path, before)
    assert data.decode() == HEAD + keep_before + f"Claim {anchor('00:01:05')} tail"
    assert run.count == 1


@pytest.mark.parametrize(
    "content, why",
    [
        (b"title: x\n\n" + DEFECTS.split("---\n", 2)[2].encode(), "FM001"),  # no front matter
        (DEFECTS.replace("---\n\nFrom", "\nFrom").encode(), "FM001"),  # not closed
        (DEFECTS.replace("title: A note", "title: [A note").encode(), "FM002"),
        (DEFECTS.encode() + b"\xff\xfe bad byte\n", "NL001"),
        (DEFECTS.encode().replace(b"Claim", b"Cl\x00aim"), "NL001"),
    ],
)
def test_notes_with_nl001_fm001_fm002_are_never_written(tmp_path, content, why):
    path = write(tmp_path, content)
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    before_stat = os.stat(path)
    # not even when the rule is ignored or suppressed
    content2 = content + b"\n<!-- notelint: disable-file=FM,NL -->\n"
    path2 = write(tmp_path, content2, "b.md")
    run = fix_files(
        [NoteFile(path, "a.md", "a.md"), NoteFile(path2, "b.md", "b.md")],
        settings_for(tmp_path, ignore=["FM001", "FM002", "NL001"]),
    )
    assert path.read_bytes() == content and path2.read_bytes() == content2
    assert os.stat(path).st_mtime_ns == before_stat.st_mtime_ns
    assert run.count == 0 and not run.changed
    assert all(o.refused is None or o.refused.startswith(why) for o in run.outcomes)


def test_atomic_write_failure_leaves_the_note_and_no_temporary_file(tmp_path, monkeypatch):
    path = write(tmp_path, DEFECTS)

    def boom(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    run = fix_files([NoteFile(path, "a.md", "a.md")], settings_for(tmp_path))
    assert path.read_text() == DEFECTS
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md"]
    assert run.messages == ["cannot write a.md: No space left on device"]
    assert run.count == 0


def test_write_atomic_refuses_a_note_changed_on_disk(tmp_path):
    path = write(tmp_path, "old")
    path.write_text("changed by someone else")
    with pytest.raises(FixError, match="changed on disk"):
        write_note(path, b"old", b"new")
    assert path.read_text() == "changed by someone else"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md"]


def test_fix_files_skips_a_note_changed_between_read_and_write(tmp_path, monkeypatch):
    path = write(tmp_path, DEFECTS)
    real = fixmod.fix_bytes

    def slow_fix(file, data, *a, **k):
        out = real(file, data, *a, **k)
        path.write_text(DEFECTS + "An edit made meanwhile.\n")
        return out

    monkeypatch.setattr(fixmod, "fix_bytes", slow_fix)
    run = fix_files([NoteFile(path, "a.md", "a.md")], settings_for(tmp_path))
    assert path.read_text() == DEFECTS + "An edit made meanwhile.\n"
    assert run.messages == ["a.md changed on disk while it was being fixed; not written"]


def test_symlinked_note_stays_a_link(tmp_path):
    real = write(tmp_path, DEFECTS, "real.md")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    fix_files([NoteFile(link, "link.md", "link.md")], settings_for(tmp_path))
    assert link.is_symlink() and real.read_text() == CLEAN


def test_fixing_twice_changes_nothing_and_leaves_nothing_fixable(tmp_path):
    data, run = run_fix(tmp_path, DEFECTS)
    assert run.count > 0
    assert remaining(tmp_path, data) == []
    data2, run2 = run_fix(tmp_path, data)
    assert data2 == data and run2.count == 0 and not run2.changed


# --- the command line ------------------------------------------------------------------------


@pytest.fixture
def cli_vault(tmp_path, monkeypatch):
    (tmp_path / "notelint.toml").write_text('vault = "notes"\nexternal-targets = ["chan"]\n')
    (tmp_path / "notes").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_cli_fix_reports_what_is_left(cli_vault, capsys):
    path = write(cli_vault / "notes", DEFECTS + "\nAn uncited claim.\n")
    code = cli.main(["check", "--fix", "--no-cache"])
    out = capsys.readouterr().out
    assert path.read_text() == CLEAN + "\nAn uncited claim.\n"
    assert out.splitlines() == [
        "notes/a.md:12:1: CL001 claim without a citation: 'An uncited claim.'",
        "Found 1 finding (1 error) in 1 note.",
        "Fixed 5 findings in 1 note.",
    ]
    assert code == 1


def test_cli_fix_exit_0_when_all_fixed(cli_vault, capsys):
    path = write(cli_vault / "notes", DEFECTS)
    assert cli.main(["check", "--fix"]) == 0
    out = capsys.readouterr().out
    assert "All checks passed!" in out and out.endswith("Fixed 5 findings in 1 note.\n")
    assert path.read_text() == CLEAN


def test_cli_fix_json_stays_valid_json(cli_vault, capsys):
    write(cli_vault / "notes", DEFECTS)
    assert cli.main(["check", "--fix", "--output-format", "json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["summary"]["findings"] == 0
    assert captured.err == "Fixed 5 findings in 1 note.\n"


def test_cli_diff_prints_and_changes_nothing(cli_vault, capsys):
    path = write(cli_vault / "notes", "---\ntitle: A note\nvideoId: abcdefghijk\n---\n\nFrom: [[chan]] <br/>\n\n"
                 f"A {anchor('1:05')}.\n")
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    before = path.read_bytes()
    code = cli.main(["check", "--diff"])
    captured = capsys.readouterr()
    assert code == 1
    assert captured.out == (
        "--- notes/a.md\n"
        "+++ notes/a.md\n"
        "@@ -5,4 +5,4 @@\n"
        " \n"
        " From: [[chan]] <br/>\n"
        " \n"
        f"-A {anchor('1:05')}.\n"
        f"+A {anchor('00:01:05')}.\n"
    )
    assert captured.err == "Would fix 1 finding in 1 note.\n"
    assert path.read_bytes() == before and os.stat(path).st_mtime_ns == 1_000_000_000
    # nothing to fix: exit 0, no diff
    path.write_text(path.read_text().replace("1:05", "00:01:05"))
    assert cli.main(["check", "--diff"]) == 0
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == "No fixes to apply.\n"


def test_cli_diff_marks_a_missing_final_newline(cli_vault, capsys):
    write(cli_vault / "notes", HEAD + f"A {anchor('1:05')}.")
    assert cli.main(["check", "--diff"]) == 1
    out = capsys.readouterr().out
    assert out.endswith(f"-A {anchor('1:05')}.\n\\ No newline at end of file\n+A {anchor('00:01:05')}.\n\\ No newline at end of file\n")


def test_cli_diff_with_unsafe_fixes(cli_vault, capsys):
    write(cli_vault / "notes", HEAD + "A bare [00:01:05] label.\n")
    assert cli.main(["check", "--diff"]) == 0
    capsys.readouterr()
    assert cli.main(["check", "--diff", "--unsafe-fixes"]) == 1
    assert f"+A bare {anchor('00:01:05')} label.\n" in capsys.readouterr().out


def test_text_output_marks_fixable_and_unsafe_hint(cli_vault, capsys):
    write(cli_vault / "notes", HEAD + f"A bare [00:01:05] label {anchor('1:05')}.\n")
    cli.main(["check"])
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("notes/a.md:8:8: TS006 bare label")  # unsafe: no [*]
    assert out[1].startswith("notes/a.md:8:25: TS001 [*] malformed time")
    assert out[-1] == "Found 2 findings (2 errors) in 1 note. [*] 1 fixable with --fix. (1 more with --unsafe-fixes.)"
    cli.main(["check", "--unsafe-fixes"])
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("notes/a.md:8:8: TS006 [*] bare label")
    assert out[-1] == "Found 2 findings (2 errors) in 1 note. [*] 2 fixable with --fix --unsafe-fixes."


def test_statistics_count_fixable(cli_vault, capsys):
    write(cli_vault / "notes", DEFECTS + "\nAn uncited claim.\n\nAnother one.\n")
    cli.main(["check", "--statistics"])
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "count\tcode\tfixable\trule",
        "2\tCL001\t      0\t    uncited-claim",
        "1\tNL002\t      1\t[*] invisible-character",
        "1\tTS001\t      1\t[*] malformed-time",
        "1\tTS003\t      1\t[*] unordered-group",
        "1\tTS004\t      1\t[*] repeated-time",
    ]


def test_cli_fix_from_a_subprocess(cli_vault):
    path = write(cli_vault / "notes", DEFECTS)
    proc = subprocess.run([sys.executable, "-m", "notelint", "check", "--fix"], cwd=cli_vault,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert path.read_text() == CLEAN
    assert proc.stdout.endswith("Fixed 5 findings in 1 note.\n")


def test_spans_rewritten_by_earlier_passes_follow_the_edits_and_stop_unsafe_fixes():
    def applied(*edits):
        return [Finding("TS001", "error", "a.md", 1, 1, "m", fix=Fix("f", tuple(edits)))]

    # b"0123456789": "23" becomes "abcd" (+2), "7" is deleted (-1), "x" is inserted at 9
    touched = fixmod._moved([], applied(Edit(2, 4, b"abcd"), Edit(7, 8, b""), Edit(9, 9, b"x")))
    assert touched == [(2, 6), (9, 9), (10, 11)]
    touched = fixmod._moved(touched, applied(Edit(0, 1, b"")))  # every span moves back by one
    assert touched == [(0, 0), (1, 5), (8, 8), (9, 10)]  # the deletion is a span too

    def unsafe(start, end):
        return Finding("TR003", "info", "a.md", 1, 1, "m", fix=Fix("f", (Edit(start, end, b"z"),), safe=False))

    assert fixmod._stacked(unsafe(4, 6), touched) and fixmod._stacked(unsafe(8, 8), touched)
    assert not fixmod._stacked(unsafe(6, 7), touched[:2]) and not fixmod._stacked(unsafe(11, 12), touched)
    safe = Finding("TS001", "error", "a.md", 1, 1, "m", fix=Fix("f", (Edit(1, 2, b"z"),)))
    assert not fixmod._stacked(safe, touched)
