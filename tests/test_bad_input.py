"""Bad input (SPEC §5): no input crashes notelint or stops it from linting the other files.

Every case lints a vault that also holds ``witness.md``, a note with one known
finding (CL001 at 8:1): seeing it proves the rest of the vault was still
linted. Each case asserts the exact findings of the bad file.

No test here measures time: the hostile cases carry a hang guard
(``pytest.mark.timeout(HANG_GUARD)``, minutes, from pytest-timeout) that only
catastrophic backtracking or a quadratic scan would reach. Their CPU time per
megabyte is a benchmark figure: ``python -m benchmarks.hostile``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import cite, lint_vault, note

from benchmarks.hostile import BODIES
from notelint.config import DEFAULT_MAX_FILE_SIZE, Settings
from notelint.discover import NoteFile, discover, walk
from notelint.rules.selection import resolve_selection
from notelint.run import check

HANG_GUARD = 300  # seconds: a hang, not a slow machine; see the module docstring
hang_guard = pytest.mark.timeout(HANG_GUARD)
WITNESS = note("Uncited witness claim.\n", title="Witness")
HEAD = "---\ntitle: T\nvideoId: abcdefghijk\n---\n\nFrom: [[chan]] <br/>\n\n"  # the body starts on line 8
C = cite("00:01:02")
MB = 1024 * 1024


def run(root: Path, files: dict[str, str | bytes], **kw):
    """Write ``files`` and the witness into ``root``; lint it as a vault; check the witness."""
    root.mkdir(parents=True, exist_ok=True)
    for name, content in {**files, "witness.md": WITNESS}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    result = lint_vault(root, external_targets=["chan"], **kw)
    assert_witness(result)
    return result


def assert_witness(result, name: str = "witness.md"):
    got = [(f.code, f.line, f.col) for f in result.findings if f.path.endswith(name)]
    assert got == [("CL001", 8, 1)], "the rest of the vault was not linted"


def of(result, name: str):
    """(code, line, col, message) of the findings of one file."""
    return [(f.code, f.line, f.col, f.message) for f in result.findings if f.path == name]


# -- encodings -----------------------------------------------------------------


def test_non_utf8_bytes(tmp_path):
    data = "---\ntitle: Café\n".encode("latin-1")
    result = run(tmp_path, {"bad.md": data})
    assert of(result, "bad.md") == [
        ("NL001", 2, 11, "not valid UTF-8: byte 0xe9 at offset 14 (invalid continuation byte)")
    ]


def test_utf16_with_bom(tmp_path):
    result = run(tmp_path, {"bad.md": note(f"Claim {C}.\n").encode("utf-16")})
    assert of(result, "bad.md") == [
        ("NL001", 1, 1, "file is UTF-16 (it starts with a UTF-16 byte order mark); notelint reads UTF-8 only")
    ]


def test_utf32_with_bom_is_named(tmp_path):
    result = run(tmp_path, {"bad.md": note(f"Claim {C}.\n").encode("utf-32")})
    assert of(result, "bad.md") == [
        ("NL001", 1, 1, "file is UTF-32 (it starts with a UTF-32 byte order mark); notelint reads UTF-8 only")
    ]


def test_utf8_bom_is_accepted_and_not_counted(tmp_path):
    # The BOM is not text: no NL002 for it, and columns do not count it.
    data = b"\xef\xbb\xbf" + (HEAD + f"Café [[x|]] {C}\n").encode()
    result = run(tmp_path, {"bom.md": data})
    assert of(result, "bom.md") == [("WL002", 8, 6, "malformed wiki-link '[[x|]]': empty alias: nothing after '|'")]


def test_a_second_bom_inside_the_text_is_nl002(tmp_path):
    data = b"\xef\xbb\xbf\xef\xbb\xbf" + (HEAD + f"Text {C}\n").encode()
    result = run(tmp_path, {"bom2.md": data})
    found = of(result, "bom2.md")
    assert ("NL002", 1, 1, "invisible character U+FEFF ZERO WIDTH NO-BREAK SPACE (BOM)") in found
    assert ("FM001", 1, 1, "no front matter: the note must start with a '---' line") in found


@pytest.mark.parametrize("eol", ["\r\n", "\r"], ids=["crlf", "lone-cr"])
def test_line_endings_keep_positions(tmp_path, eol):
    # Columns count characters ("é" and "–" are one each), lines count CRLF or CR as one break.
    body = HEAD + f"Café – [[x|]] {C}\n\nSecond paragraph without citation.\n"
    result = run(tmp_path, {"eol.md": body.replace("\n", eol).encode()})
    assert of(result, "eol.md") == [
        ("WL002", 8, 8, "malformed wiki-link '[[x|]]': empty alias: nothing after '|'"),
        ("CL001", 10, 1, "claim without a citation: 'Second paragraph without citation.'"),
    ]
    wl = next(f for f in result.findings if f.code == "WL002")
    assert (wl.end_line, wl.end_col) == (8, 14)


def test_mixed_line_endings(tmp_path):
    body = "---\r\ntitle: T\rvideoId: abcdefghijk\n---\r\n\rFrom: [[chan]] <br/>\r\n\nA [[y|]] claim.\r"
    result = run(tmp_path, {"mixed.md": body.encode()})
    assert [(c, line, col) for c, line, col, _ in of(result, "mixed.md")] == [("CL001", 8, 1), ("WL002", 8, 3)]


# -- empty, front matter only, unclosed ----------------------------------------------


def test_empty_file(tmp_path):
    result = run(tmp_path, {"empty.md": b""})
    assert of(result, "empty.md") == [("FM001", 1, 1, "no front matter: the note must start with a '---' line")]


def test_front_matter_only(tmp_path):
    result = run(tmp_path, {"fm.md": "---\ntitle: T\nvideoId: abcdefghijk\n---\n"})
    assert of(result, "fm.md") == [("SL001", 5, 1, "source line 'From: [[channel]] <br/>' is missing")]


def test_front_matter_only_without_final_newline(tmp_path):
    result = run(tmp_path, {"fm.md": "---\ntitle: T\nvideoId: abcdefghijk\n---"})
    assert of(result, "fm.md") == [("SL001", 4, 4, "source line 'From: [[channel]] <br/>' is missing")]


def test_front_matter_never_closed(tmp_path):
    text = f"---\ntitle: T\nvideoId: abcdefghijk\n\nFrom: [[chan]] <br/>\n\nText {C}.\n"
    result = run(tmp_path, {"open.md": text})
    assert ("FM001", 1, 1, "front matter is not closed: no closing '---' line") in of(result, "open.md")
    assert {c for c, *_ in of(result, "open.md")} <= {"FM001", "CL001"}


def test_only_dashes(tmp_path):
    result = run(tmp_path, {"d.md": "---"})
    assert of(result, "d.md") == [("FM001", 1, 1, "front matter is not closed: no closing '---' line")]


# -- binary, size ------------------------------------------------------------------------


def test_nul_byte(tmp_path):
    result = run(tmp_path, {"nul.md": (HEAD + "Text\x00more\n").encode()})
    assert of(result, "nul.md") == [("NL001", 8, 5, f"binary file: NUL byte at offset {len(HEAD) + 4}")]


def test_file_over_the_size_cap(tmp_path):
    big = (HEAD + "x" * 2000 + "\n").encode()
    result = run(tmp_path, {"big.md": big}, max_file_size=1000)
    assert of(result, "big.md") == [("NL001", 1, 1, f"file is {len(big)} bytes; the limit is 1000 (max-file-size)")]


def test_size_cap_default_and_config(tmp_path):
    assert 1 * MB <= DEFAULT_MAX_FILE_SIZE <= 16 * MB  # "a few MB"
    vault = tmp_path / "notes"
    vault.mkdir()
    (vault / "witness.md").write_text(WITNESS)
    big = (HEAD + "y" * 5000 + "\n").encode()
    (vault / "big.md").write_bytes(big)
    (tmp_path / "notelint.toml").write_text('vault = "notes"\nexternal-targets = ["chan"]\nmax-file-size = 4096\n')
    proc = subprocess.run(
        [sys.executable, "-m", "notelint", "check", "--no-cache", "--output-format", "concise"],
        cwd=tmp_path, capture_output=True, text=True,
    )
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.splitlines() == [
        f"notes/big.md:1:1: NL001 file is {len(big)} bytes; the limit is 4096 (max-file-size)",
        "notes/witness.md:8:1: CL001 claim without a citation: 'Uncited witness claim.'",
    ]


def test_show_source_never_prints_a_file_it_refused(tmp_path):
    vault = tmp_path / "notes"
    vault.mkdir()
    (vault / "witness.md").write_text(WITNESS)
    (vault / "bin.md").write_bytes(b"\x1b[2J\x00" * 10)
    (vault / "big.md").write_bytes(b"TOO BIG " * 1000)
    (tmp_path / "notelint.toml").write_text('vault = "notes"\nexternal-targets = ["chan"]\nmax-file-size = 4096\n')
    proc = subprocess.run(
        [sys.executable, "-m", "notelint", "check", "--no-cache", "--show-source"],
        cwd=tmp_path, capture_output=True, text=True,
    )
    assert proc.returncode == 1, proc.stderr
    assert "TOO BIG" not in proc.stdout and "\x1b" not in proc.stdout
    assert "notes/bin.md:1:5: NL001 binary file: NUL byte at offset 4" in proc.stdout
    assert "  8 | Uncited witness claim." in proc.stdout


def test_show_source_shows_a_window_of_a_long_line_without_control_characters(tmp_path):
    from notelint.cli import main

    line = "word \x1b[31m red " * 40 + "[[x|]]" + " tail" * 200
    vault = tmp_path / "notes"
    vault.mkdir()
    (vault / "long.md").write_text(HEAD + line + "\n")
    out = tmp_path / "out.txt"
    rc = main(["check", str(vault), "--vault", str(vault), "--no-cache", "--show-source", "--select", "WL002",
               "--output-file", str(out)])
    assert rc == 1
    lines = out.read_text().splitlines()
    src, caret = lines[1], lines[2]
    assert lines[0].endswith("long.md:8:601: WL002 [*] malformed wiki-link '[[x|]]': empty alias: nothing after '|'")
    assert "\x1b" not in src and "\ufffd[31m" in src
    assert len(src) < 200 and src.split("| ", 1)[1].startswith("…") and src.endswith("…")
    # the caret still points at the link
    assert src[caret.index("^") : caret.index("^") + 6] == "[[x|]]" and caret.count("^") == 6


# -- hostile structure and text: exact findings, bounded CPU time --------------------------


@hang_guard
def test_10000_nested_list_levels(tmp_path):
    text = HEAD + "- " * 10000 + "x is a claim.\n"  # a sentence: a list item of a name or label is no claim
    result = run(tmp_path, {"nest.md": text})
    assert of(result, "nest.md") == [("CL001", 8, 20001, "claim without a citation: 'x is a claim.'")]


@pytest.mark.parametrize(
    "body",
    [
        "> " * 10000 + "x " + C,  # 10,000 nested block quotes
        "1. " * 10000 + "x " + C,  # 10,000 nested ordered lists
        "".join("  " * i + "- x " + C + "\n" for i in range(1000)),  # 1,000 indented levels (1 MB of indentation)
        "*" * 10000 + "x " + C + "*" * 10000,  # emphasis delimiters
        "[a](" * 10000 + C,  # nested link openers
    ],
    ids=["quotes", "ordered", "indented", "emphasis", "link-openers"],
)
@hang_guard
def test_deep_nesting_is_linted(tmp_path, body):
    result = run(tmp_path, {"nest.md": HEAD + body + "\n"})
    assert [c for c, *_ in of(result, "nest.md")] in ([], ["CL001"])


@hang_guard
def test_100000_open_brackets(tmp_path):
    text = HEAD + f"Text {C} " + "[" * 100_000 + "\n"
    result = run(tmp_path, {"br.md": text})
    assert of(result, "br.md") == [
        ("WL002", 8, 63, "malformed wiki-link '" + "[" * 80 + "': unbalanced '[[': no matching ']]'")
    ]


@hang_guard
def test_100000_closing_brackets_each_reported(tmp_path):
    text = HEAD + f"Text {C} " + "]" * 100_000 + "\n"
    result = run(tmp_path, {"br.md": text})
    found = of(result, "br.md")
    assert len(found) == 50_000 and {c for c, *_ in found} == {"WL002"}
    assert found[-1][:3] == ("WL002", 8, 63 + 2 * 49_999)


@hang_guard
def test_one_megabyte_single_line(tmp_path):
    unit = f"Prose with [[witness|a link]] and a claim {C}, {cite('00:01:03')}. "
    line = unit * (MB // len(unit) + 1) + "[[end|]]"
    text = HEAD + line + "\n"
    assert len(text.encode()) >= MB
    result = run(tmp_path, {"line.md": text})
    assert of(result, "line.md") == [
        ("WL002", 8, len(line) - 7, "malformed wiki-link '[[end|]]': empty alias: nothing after '|'")
    ]


# 1 MB of text built to hurt regular expressions (unterminated constructs, long runs of one
# character), from benchmarks/hostile.py (which measures their CPU time); each with the exact
# findings expected (None: many findings, checked below).
EXPECTED = {
    "open-brackets": [("WL002", 8, 1)],
    "double-brackets": [("WL002", 8, 1)],
    "pipes-in-link": [("WL002", 8, 1)],
    "anchor-openers": [],  # no word of three letters: no prose, no claim
    "unclosed-anchors": None,
    "anchor-no-close": None,
    "comment-openers": [],
    "less-than": [],
    "backticks": [],
    "emphasis": [("CL001", 8, 1)],
    "bare-label-prefixes": [],  # no letters: not a claim
    "dashes-and-keys": None,
    "yaml-like-lines": [("CL001", 8, 1)],
    "table-cells": [],  # cells of one letter: no prose
    "non-ascii-links": None,
    "unbalanced-closers": None,
    "sentences": None,  # CL002: every sentence but the last
}
HOSTILE = {name: (BODIES[name], expected) for name, expected in EXPECTED.items()}


@pytest.mark.parametrize("name", list(HOSTILE))
@hang_guard
def test_hostile_megabyte(tmp_path, name):
    body, expected = HOSTILE[name]
    settings = {"select": ["ALL"]} if name == "sentences" else {}
    result = run(tmp_path, {"h.md": HEAD + body + "\n"}, **settings)
    found = [(c, line, col) for c, line, col, _ in of(result, "h.md")]
    if expected is not None:
        assert found == expected
    else:  # many findings: all on the body's lines, none from a crash
        assert found and all(line >= 8 for _, line, _ in found)
        assert not any("internal error" in f.message for f in result.findings)


def test_non_ascii_long_line_positions_are_exact(tmp_path):
    # Columns count characters far into a long non-ASCII line (the index path of Note.position).
    unit = "é€𝄞 [[a|]] "
    text = HEAD + unit * 3000 + "\n"
    result = run(tmp_path, {"u.md": text})
    cols = [col for code, line, col, _ in of(result, "u.md") if code == "WL002"]
    assert cols == [5 + i * len(unit) for i in range(3000)]


# -- YAML ------------------------------------------------------------------------------------

BODY = f"\nFrom: [[chan]] <br/>\n\nText {C}.\n"


@hang_guard
def test_yaml_alias_bomb(tmp_path):
    fm = (
        "---\ntitle: T\nvideoId: abcdefghijk\n"
        "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
        "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
        "e: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n---\n"
    )
    result = run(tmp_path, {"bomb.md": fm + BODY})
    assert of(result, "bomb.md") == [
        # at the first alias used ('*a' on line 5), not at its anchor
        ("FM002", 5, 8, "invalid YAML: YAML aliases (*name) are not allowed in front matter")
    ]


def test_yaml_python_tags_construct_nothing(tmp_path):
    marker = tmp_path / "pwned"
    fm = (
        f"---\ntitle: !!python/object/apply:os.system ['touch {marker}']\n"
        "videoId: !!python/name:os.system\n---\n"
    )
    result = run(tmp_path / "v", {"tag.md": fm + BODY})
    assert not marker.exists()
    found = of(result, "tag.md")
    assert [(c, line, col) for c, line, col, _ in found] == [("FM002", 2, 8)]
    assert "could not determine a constructor for the tag 'tag:yaml.org,2002:python/object/apply:os.system'" in found[0][3]


@pytest.mark.parametrize(
    "value, message",
    [
        ("!!float abc", "cannot read the float value 'abc': could not convert string to float: 'abc'"),
        ("!!int abc", "cannot read the int value 'abc'"),
        ("!!bool maybe", "cannot read the bool value 'maybe'"),
        ("!!timestamp nope", "cannot read the timestamp value 'nope'"),
        ("2001-02-30", "cannot read the timestamp value '2001-02-30': day is out of range for month"),
        ("9" * 5000, "integer '" + "9" * 39 + "…' is too large"),
        ("0x" + "f" * 5000, "integer '0x" + "f" * 37 + "…' is too large"),
    ],
    ids=["float", "int", "bool", "timestamp", "bad-date", "huge-int", "huge-hex"],
)
def test_yaml_values_that_python_cannot_build(tmp_path, value, message):
    fm = f"---\ntitle: T\nvideoId: abcdefghijk\nduration: {value}\n---\n"
    result = run(tmp_path, {"v.md": fm + BODY})
    found = of(result, "v.md")
    assert [(c, line, col) for c, line, col, _ in found] == [("FM002", 4, 11)]
    assert message in found[0][3]


def test_yaml_nested_too_deeply(tmp_path):
    fm = "---\ntitle: T\nvideoId: abcdefghijk\nx: " + "[" * 20000 + "]" * 20000 + "\n---\n"
    result = run(tmp_path, {"deep.md": fm + BODY})
    assert [(c, line) for c, line, _, _ in of(result, "deep.md")] == [("FM002", 4)]


def test_yaml_front_matter_size_cap(tmp_path):
    fm = "---\ntitle: T\nvideoId: abcdefghijk\nk: " + "v" * 70000 + "\n---\n"
    result = run(tmp_path, {"big.md": fm + BODY})
    assert of(result, "big.md") == [("FM002", 2, 1, "invalid YAML: front matter is 70034 bytes; the limit is 65536")]


# -- the file system: symbolic links, races, folders --------------------------------------------


@pytest.fixture
def outside(tmp_path):
    out = tmp_path / "outside"
    out.mkdir()
    (out / "secret.md").write_text(note("SECRET-CONTENT [[nowhere]]\n", title="Secret"))
    return out


def test_symlink_out_of_the_vault_is_not_followed(tmp_path, outside):
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "out.md").symlink_to(outside / "secret.md")
    (vault / "outdir").symlink_to(outside, target_is_directory=True)
    result = run(vault, {})
    assert of(result, "out.md") == [("NL001", 1, 1, "symbolic link out of the vault; not followed")]
    assert not any("outdir" in f.path or "SECRET" in f.message for f in result.findings)


def test_symlink_out_of_the_vault_named_on_the_command_line(tmp_path, outside):
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "witness.md").write_text(WITNESS)
    (vault / "out.md").symlink_to(outside / "secret.md")
    (vault / "outdir").symlink_to(outside, target_is_directory=True)
    proc = subprocess.run(
        [sys.executable, "-m", "notelint", "check", "--no-cache", "--show-source", "--vault", "vault",
         "vault/witness.md", "vault/out.md", "vault/outdir/secret.md", "vault/outdir"],
        cwd=tmp_path, capture_output=True, text=True,
    )
    assert proc.returncode == 1, proc.stderr
    assert "SECRET" not in proc.stdout
    heads = [line for line in proc.stdout.splitlines() if line.startswith("vault/")]
    assert heads == [
        "vault/out.md:1:1: NL001 symbolic link out of the vault; not followed",
        "vault/outdir:1:1: NL001 symbolic link out of the vault; not followed",
        "vault/outdir/secret.md:1:1: NL001 symbolic link out of the vault; not followed",
        "vault/witness.md:6:7: WL001 wiki-link target 'chan' does not resolve",
        "vault/witness.md:8:1: CL001 claim without a citation: 'Uncited witness claim.'",
    ]


def test_symlink_loops_finish(tmp_path):
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "loop1.md").symlink_to("loop2.md")
    (vault / "loop2.md").symlink_to("loop1.md")
    (vault / "self.md").symlink_to("self.md")
    (vault / "sub").mkdir()
    (vault / "sub" / "up").symlink_to("..", target_is_directory=True)  # a folder loop: never walked
    result = run(vault, {})
    loop = "symbolic link loop; not followed"
    assert [(f.path, f.code, f.message) for f in result.findings if f.code == "NL001"] == [
        ("loop1.md", "NL001", loop), ("loop2.md", "NL001", loop), ("self.md", "NL001", loop),
    ]
    assert len(result.files) == 4


def test_dangling_symlink(tmp_path):
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "gone.md").symlink_to("missing.md")
    result = run(vault, {})
    assert of(result, "gone.md") == [("NL001", 1, 1, "broken symbolic link: its target does not exist")]


def test_symlink_inside_the_vault_is_followed(tmp_path):
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "real.md").write_text(note("Uncited alias claim.\n", title="Real"))
    (vault / "alias.md").symlink_to("real.md")
    result = run(vault, {})
    assert of(result, "alias.md") == [("CL001", 8, 1, "claim without a citation: 'Uncited alias claim.'")]


def test_vault_reached_through_a_linked_folder_counts_each_note_once(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    (real / "witness.md").write_text(WITNESS)
    (real / "other.md").write_text(note(f"See [[witness]] {C}.\n", title="Other"))
    proj = tmp_path / "proj"
    proj.mkdir()
    (proj / "notes").symlink_to(real, target_is_directory=True)
    (proj / "notelint.toml").write_text('vault = "notes"\nexternal-targets = ["chan"]\n')
    proc = subprocess.run(
        [sys.executable, "-m", "notelint", "check", "--no-cache", "--output-format", "json", "notes/other.md"],
        cwd=proj, capture_output=True, text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    report = json.loads(proc.stdout)
    assert report["summary"]["vault_notes"] == 2 and report["findings"] == []


def test_file_deleted_between_discovery_and_reading(tmp_path):
    (tmp_path / "witness.md").write_text(WITNESS)
    (tmp_path / "gone.md").write_text(note(f"Text {C}.\n"))
    settings = Settings(root=tmp_path, vault=tmp_path, external_targets=["chan"])
    settings.selected = resolve_selection(None)
    files = walk(tmp_path, tmp_path, tmp_path, [])
    (tmp_path / "gone.md").unlink()
    result = check(files, files, settings)
    assert of(result, "gone.md") == [("NL001", 1, 1, "file disappeared before it could be read")]
    assert_witness(result)


def test_directory_named_like_a_note(tmp_path):
    # In the walk, a folder named x.md is a folder: its notes are linted, it is not a note.
    result = run(tmp_path, {"x.md/inner.md": note("Uncited inner claim.\n", title="Inner")})
    assert of(result, "x.md/inner.md") == [("CL001", 8, 1, "claim without a citation: 'Uncited inner claim.'")]
    assert not of(result, "x.md")
    # Named on the command line, it is walked too.
    files = discover([tmp_path / "x.md"], tmp_path, tmp_path, [])
    assert [f.rel for f in files] == ["x.md/inner.md"]


def test_note_files_share_their_folder_and_keep_every_path(tmp_path):
    (tmp_path / "sub").mkdir()
    for name in ("a.md", "sub/b.md"):
        (tmp_path / name).write_text("x\n")
    files = walk(tmp_path, tmp_path, tmp_path, [])
    assert [(f.rel, f.fspath, f.display) for f in files] == [
        ("a.md", str(tmp_path / "a.md"), "a.md"), ("sub/b.md", str(tmp_path / "sub" / "b.md"), "sub/b.md")]
    # one string for the vault's folder, none for a shown path that is the vault path
    assert files[0]._folder is files[1]._folder and files[1].display is files[1].rel
    shown_from_above = walk(tmp_path, tmp_path, tmp_path.parent, [])
    assert [f.display for f in shown_from_above] == [f"{tmp_path.name}/a.md", f"{tmp_path.name}/sub/b.md"]
    assert [f.fspath for f in shown_from_above] == [f.fspath for f in files]
    odd = NoteFile("/elsewhere/x.md", "y.md", "z.md", "a problem")  # a path that does not end with its rel
    assert (odd.fspath, odd.rel, odd.display, odd.problem) == ("/elsewhere/x.md", "y.md", "z.md", "a problem")
    again = NoteFile(tmp_path / "sub" / "b.md", "sub/b.md", "sub/b.md")
    assert again == files[1] and hash(again) == hash(files[1]) and again != shown_from_above[1]


def test_file_replaced_by_a_directory_before_reading(tmp_path):
    (tmp_path / "witness.md").write_text(WITNESS)
    (tmp_path / "x.md").mkdir()
    settings = Settings(root=tmp_path, vault=tmp_path, external_targets=["chan"])
    settings.selected = resolve_selection(None)
    files = [NoteFile(tmp_path / "x.md", "x.md", "x.md"), *walk(tmp_path, tmp_path, tmp_path, [])]
    result = check(files, files, settings)
    assert of(result, "x.md") == [("NL001", 1, 1, "is a directory, not a file")]
    assert_witness(result)


def test_unreadable_file(tmp_path, monkeypatch):
    path = tmp_path / "locked.md"
    path.write_text(note("x\n"))
    if os.geteuid() == 0:  # root reads a chmod-0 file: make the read fail as it would for a user
        from notelint.run import lint

        real = lint.read_regular

        def refuse(file, *args, **kw):
            if Path(file) == path:
                raise PermissionError(13, "Permission denied", str(file))
            return real(file, *args, **kw)

        monkeypatch.setattr(lint, "read_regular", refuse)
    else:
        path.chmod(0)
    try:
        result = run(tmp_path, {})
    finally:
        path.chmod(0o644)
    assert of(result, "locked.md") == [("NL001", 1, 1, "permission denied")]


# -- links that try to leave the vault -----------------------------------------------------------


def test_links_that_try_to_leave_the_vault(tmp_path, outside):
    links = ["../outside/secret", "../../etc/passwd", "/etc/passwd", "~/notes/x", "C:/Windows/x", "..\\outside\\secret",
             "sub/../../outside/secret"]
    body = "".join(f"See [[{t}]] {C}.\n\n" for t in links)
    result = run(tmp_path / "vault", {"leave.md": HEAD + body})
    found = of(result, "leave.md")
    assert [(c, line) for c, line, _, _ in found] == [("WL005", 8 + 2 * i) for i in range(len(links))]
    assert all(m.endswith("leaves the vault") for *_, m in found)


# -- one odd file never stops the run ----------------------------------------------------------------


def test_an_internal_error_in_one_note_is_one_nl001(tmp_path, monkeypatch):
    from notelint.rules import registry
    from notelint.rules.selection import all_rules

    rules = all_rules()
    original = rules["TS001"].check

    def explode(note, ctx):
        if note.rel == "boom.md":
            raise RuntimeError("kaboom")
        return original(note, ctx)

    monkeypatch.setitem(registry.RULES, "TS001", rules["TS001"].__class__(**{
        **{f: getattr(rules["TS001"], f) for f in rules["TS001"].__slots__}, "check": explode}))
    monkeypatch.delenv("NOTELINT_DEBUG", raising=False)
    result = run(tmp_path, {"boom.md": note(f"Text {C}.\n")})
    assert of(result, "boom.md") == [
        ("NL001", 1, 1, "notelint failed on this file: internal error RuntimeError: kaboom (please report it)")
    ]
    monkeypatch.setenv("NOTELINT_DEBUG", "1")
    with pytest.raises(RuntimeError, match="kaboom"):
        lint_vault(tmp_path)


# -- output: any terminal encoding, any file name; a damaged cache ---------------------------------------


def _cli(cwd, *args, **env):
    full_env = {**os.environ, **env}
    full_env.pop("NOTELINT_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "notelint", "check", "--no-cache", *args],
                          cwd=cwd, capture_output=True, env=full_env)


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_output_on_a_terminal_that_cannot_show_the_text(tmp_path, encoding):
    (tmp_path / "u.md").write_text(note("Café 𝄞 claim.\n", title="Ü"))
    proc = _cli(tmp_path, "u.md", PYTHONIOENCODING=encoding)
    assert proc.returncode == 1 and proc.stderr == b""
    assert b"u.md:8:1: CL001 claim without a citation: 'Caf" in proc.stdout
    assert b"\\U0001d11e claim.'" in proc.stdout  # escaped, not a crash
    proc = _cli(tmp_path, "u.md", "--output-format", "json", PYTHONIOENCODING=encoding)
    assert proc.returncode == 1 and proc.stderr == b""
    messages = [f["message"] for f in json.loads(proc.stdout.decode("utf-8"))["findings"]]  # JSON is UTF-8
    assert "claim without a citation: 'Café 𝄞 claim.'" in messages


@pytest.mark.skipif(sys.platform in ("darwin", "win32"), reason="the file system wants UTF-8 names")
def test_file_name_that_is_not_utf8(tmp_path):
    name = os.fsdecode(b"caf\xe9.md")  # 'caf\udce9.md'
    (tmp_path / name).write_text(note("Uncited claim.\n"))
    (tmp_path / "witness.md").write_text(WITNESS)
    result = lint_vault(tmp_path, external_targets=["chan"])
    assert of(result, name) == [("CL001", 8, 1, "claim without a citation: 'Uncited claim.'")]
    assert_witness(result)
    proc = _cli(tmp_path, "--vault", ".", "--output-format", "json")
    assert proc.returncode == 1 and proc.stderr == b""
    paths = {f["path"] for f in json.loads(proc.stdout.decode("utf-8"))["findings"]}
    assert paths == {name, "witness.md"}


def test_damaged_cache_is_rebuilt(tmp_path):
    import marshal

    from notelint.cache import Cache

    (tmp_path / "witness.md").write_text(WITNESS)
    settings = Settings(root=tmp_path, vault=tmp_path, external_targets=["chan"])
    settings.selected = resolve_selection(None)
    files = walk(tmp_path, tmp_path, tmp_path, [])
    check(files, files, settings, cache=Cache(tmp_path / ".cache", "k"))
    # an index entry of the wrong shape, and a detail shard that is not marshal data at all
    [index] = [p for p in (tmp_path / ".cache").glob("*/index-*.bin") if b"witness.md" in p.read_bytes()]
    entries = marshal.loads(index.read_bytes()[4:])
    mtime, ctime, size, dig, video, _, _ = entries["witness.md"]
    damaged = (mtime, ctime, size, dig, video, ("wrong", "shape"), True)
    index.write_bytes(index.read_bytes()[:4] + marshal.dumps({"witness.md": damaged}))
    for detail in (tmp_path / ".cache").glob("*/detail-*.bin"):
        detail.write_bytes(detail.read_bytes()[:4] + b"\xff garbage")
    for vault_state in (tmp_path / ".cache").glob("*/vault.bin"):
        vault_state.unlink()
    cache = Cache(tmp_path / ".cache", "k")
    assert_witness(check(files, files, settings, cache=cache))
    assert_witness(check(files, files, settings, cache=Cache(tmp_path / ".cache", "k")))  # rewritten, readable
