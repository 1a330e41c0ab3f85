"""NL: the file itself (NL001 unreadable, NL002 invisible characters).

Notes built by ``note()`` have the front matter on lines 1-4, a blank line,
the source line on line 6, a blank line, and the body from line 8.
"""

from __future__ import annotations

import pytest

from conftest import apply_fix, cite, codes, messages, note, the

C = cite("00:01:00")
NL = {"select": ["NL"]}


# -- NL001 -----------------------------------------------------------------


def test_nl001_latin1_bytes_at_the_bad_byte(vault):
    data = note(f"Café au lait {C}.\n").encode("latin-1")
    result = vault({"a.md": data}, select=["ALL"])
    # the only finding: nothing else is linted in a file that cannot be read
    assert codes(result) == [("NL001", 8, 4)]
    assert "not valid UTF-8" in messages(result)[0]
    assert "0xe9" in messages(result)[0]


def test_nl001_nul_byte_is_binary(vault):
    data = note(f"Claim {C}.\n").encode() + b"\x00\x01\x02"
    result = vault({"a.md": data}, select=["ALL"])
    assert codes(result) == [("NL001", 9, 1)]
    assert messages(result)[0].startswith("binary file: NUL byte")


def test_nl001_utf16_bom(vault):
    data = note(f"Claim {C}.\n").encode("utf-16")  # starts with FF FE
    result = vault({"a.md": data}, select=["ALL"])
    assert codes(result) == [("NL001", 1, 1)]
    assert "UTF-16" in messages(result)[0]


def test_nl001_file_over_max_file_size(vault):
    text = note(f"Claim {C}.\n")
    size = len(text.encode())
    result = vault({"a.md": text}, max_file_size=size - 1, **NL)
    assert codes(result) == [("NL001", 1, 1)]
    assert f"file is {size} bytes; the limit is {size - 1}" in messages(result)[0]


def test_nl001_near_miss_file_exactly_max_file_size(vault):
    text = note(f"Claim {C}.\n")
    result = vault({"a.md": text}, max_file_size=len(text.encode()), **NL)
    assert codes(result) == []


def test_nl001_other_files_are_still_linted(vault):
    result = vault({"a.md": b"\xff\xfe\x00x", "b.md": note("Uncited claim.\n")}, select=["NL001", "CL001"])
    assert [(f.path.rsplit("/", 1)[-1], f.code) for f in result.findings] == [("a.md", "NL001"), ("b.md", "CL001")]


def test_nl001_near_miss_utf8_bom_is_fine(vault):
    data = b"\xef\xbb\xbf" + note(f"Claim {C}.\n").encode()
    result = vault({"a.md": data}, select=["ALL"], external_targets=["chan"])
    assert codes(result) == []


# -- NL002 -----------------------------------------------------------------


def test_nl002_zero_width_space_in_text(vault):
    text = note(f"Hello \u200bworld {C}.\n")
    result = vault({"a.md": text}, **NL)
    assert codes(result) == [("NL002", 8, 7)]
    f = the(result, "NL002")
    assert "U+200B ZERO WIDTH SPACE" in f.message
    assert f.fix is not None and f.fix.safe
    assert apply_fix(text, f.fix) == note(f"Hello world {C}.\n")


def test_nl002_bidi_isolate_in_link_target(vault):
    result = vault({"a.md": note(f"See [[some\u2066note]] {C}.\n")}, **NL)
    assert codes(result) == [("NL002", 8, 11)]
    assert "U+2066 LEFT-TO-RIGHT ISOLATE" in messages(result)[0]


def test_nl002_run_of_characters_is_one_finding(vault):
    result = vault({"a.md": note(f"Hello \u200e\u200f\u2069world {C}.\n")}, **NL)
    assert codes(result) == [("NL002", 8, 7)]
    assert messages(result) == [
        "invisible character U+200E LEFT-TO-RIGHT MARK, U+200F RIGHT-TO-LEFT MARK, U+2069 POP DIRECTIONAL ISOLATE"
    ]


def test_nl002_bom_inside_the_text(vault):
    result = vault({"a.md": note(f"Hello\ufeff world {C}.\n")}, **NL)
    assert codes(result) == [("NL002", 8, 6)]
    assert "U+FEFF" in messages(result)[0]


def test_nl002_column_counts_characters_in_a_crlf_file(vault):
    text = note(f"Café \u200bau lait {C}.\n").replace("\n", "\r\n")
    result = vault({"a.md": text.encode()}, **NL)
    assert codes(result) == [("NL002", 8, 6)]
    assert apply_fix(text, the(result, "NL002").fix) == note(f"Café au lait {C}.\n").replace("\n", "\r\n")


def test_nl002_in_the_file_path(vault):
    result = vault({"odd\u200bname.md": note(f"Claim {C}.\n")}, **NL)
    assert codes(result) == [("NL002", 1, 1)]
    assert messages(result) == ["file path contains U+200B ZERO WIDTH SPACE"]


def test_nl002_near_miss_inside_a_code_span(vault):
    result = vault({"a.md": note(f"Write `a\u200bb` to split {C}.\n")}, **NL)
    assert codes(result) == []


def test_nl002_near_miss_inside_a_fenced_code_block(vault):
    result = vault({"a.md": note(f"Claim {C}.\n\n```\nzero\u200bwidth\n```\n")}, **NL)
    assert codes(result) == []


def test_nl002_near_miss_inside_an_html_comment(vault):
    result = vault({"a.md": note(f"Claim {C}. <!-- a\u2066b -->\n")}, **NL)
    assert codes(result) == []


def test_nl002_near_miss_utf8_bom_at_the_start(vault):
    result = vault({"a.md": b"\xef\xbb\xbf" + note(f"Claim {C}.\n").encode()}, **NL)
    assert codes(result) == []


def test_nl002_positions_after_a_bom_do_not_count_it(vault):
    result = vault({"a.md": b"\xef\xbb\xbf" + note(f"Hello \u200bworld {C}.\n").encode()}, **NL)
    assert codes(result) == [("NL002", 8, 7)]


# -- NL003 -----------------------------------------------------------------


def test_nl003_placeholder_note_once_at_its_sentence(vault):
    text = note('There is no information about "Animation in Flutter" present in the provided transcript.\n')
    result = vault({"a.md": text}, select=["NL", "CL"])
    assert codes(result) == [("NL003", 8, 1)]  # and no CL001 on the sentence
    assert the(result, "NL003").message == (
        "placeholder note: it says its source has nothing on its topic: "
        "'There is no information about \"Animation in Flutter\" present in the provided transcript.'"
    )


def test_nl003_in_a_note_callout(vault):
    text = note(f"> [!NOTE] No information available\n> The provided transcript does not contain information on this {C}.\n")
    assert codes(vault({"a.md": text}, select=["NL"])) == [("NL003", 9, 3)]


@pytest.mark.parametrize("sentence", [
    "The speaker does not speak Japanese and may make errors during the video.",  # not about the topic
    "Surveying three people does not cover the entire population.",  # no source named
])
def test_nl003_near_miss(vault, sentence):
    assert codes(vault({"a.md": note(f"{sentence} {C}\n")}, select=["NL"])) == []
