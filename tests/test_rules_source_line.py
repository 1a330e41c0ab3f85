"""SL: the source line ``From: [[channel]] <br/>`` (SL001) and text before it (SL002).

``body(text)`` is a note whose body (after the closing ``---`` on line 4)
starts on line 5 with ``text``.
"""

from __future__ import annotations

from conftest import apply_fix, cite, codes, messages

C = cite("00:01:00")
HEAD = "---\ntitle: A note\nvideoId: abcdefghijk\n---\n"
CLAIM = f"A claim {C}.\n"
SL = {"select": ["SL", "CL"]}


def body(text: str) -> str:
    return HEAD + text


# -- SL001 -----------------------------------------------------------------


def test_sl001_missing(vault):
    result = vault({"a.md": body(CLAIM)}, **SL)
    assert codes(result) == [("SL001", 5, 1)]
    assert messages(result) == ["source line 'From: [[channel]] <br/>' is missing"]


def test_sl001_missing_in_an_empty_body(vault):
    result = vault({"a.md": HEAD}, **SL)
    assert codes(result) == [("SL001", 5, 1)]


def test_sl001_malformed_without_a_wiki_link(vault):
    result = vault({"a.md": body(f"From: chan <br/>\n\n{CLAIM}")}, **SL)
    assert codes(result) == [("SL001", 5, 1)]
    assert messages(result) == ["malformed source line 'From: chan <br/>': expected 'From: [[channel]] <br/>'"]


def test_sl001_malformed_bold_from(vault):
    result = vault({"a.md": body(f"**From:** [[chan]] <br/>\n\n{CLAIM}")}, **SL)
    assert codes(result) == [("SL001", 5, 1)]


def test_sl001_names_no_channel(vault):
    result = vault({"a.md": body(f"From: [[]] <br/>\n\n{CLAIM}")}, **SL)
    assert codes(result) == [("SL001", 5, 1)]
    assert "names no channel" in messages(result)[0]


def test_sl001_turned_into_a_setext_heading(vault):
    result = vault({"a.md": body(f"From: [[chan]] <br/>\n---\n\n{CLAIM}")}, **SL)
    assert codes(result) == [("SL001", 5, 1)]
    assert "renders as a heading" in messages(result)[0]


def test_sl001_written_as_an_atx_heading(vault):
    result = vault({"a.md": body(f"# From: [[chan]] <br/>\n\n{CLAIM}")}, **SL)
    assert codes(result) == [("SL001", 5, 1)]
    assert messages(result) == ["source line is written as a heading: remove the '#' marks"]


def test_sl001_missing_br_followed_by_text_on_the_next_line(vault):
    result = vault({"a.md": body(f"\nFrom: [[chan]]\n{CLAIM}")}, **SL)
    assert codes(result) == [("SL001", 6, 1)]
    assert "lacks '<br/>'" in messages(result)[0]


def test_sl001_near_miss_missing_br_followed_by_a_blank_line(vault):
    result = vault({"a.md": body(f"\nFrom: [[chan]]\n\n{CLAIM}")}, **SL)
    assert codes(result) == []


def test_sl001_near_miss_canonical(vault):
    result = vault({"a.md": body(f"\nFrom: [[chan]] <br/>\n\n{CLAIM}")}, **SL)
    assert codes(result) == []


def test_sl001_near_miss_alias_form(vault):
    result = vault({"a.md": body(f"\nFrom: [[chan | The Channel]] <br/>\n\n{CLAIM}")}, **SL)
    assert codes(result) == []


def test_sl001_near_miss_br_then_text_on_the_next_line(vault):
    # the next line is a block of its own for claim purposes: it is cited, so nothing
    result = vault({"a.md": body(f"\nFrom: [[chan]] <br/>\n{CLAIM}")}, **SL)
    assert codes(result) == []


def test_sl001_text_after_the_source_line_is_a_claim_of_its_own(vault):
    result = vault({"a.md": body("\nFrom: [[chan]] <br/>\nAn uncited claim.\n")}, **SL)
    assert codes(result) == [("CL001", 7, 1)]


def test_sl001_first_heading_is_not_followed_by_a_loose_from(vault):
    # a note that opens with its title as a heading and has no source line:
    # prose that happens to start with "From" is not taken for one
    text = body(f"# The title\n\nFrom the start, the talk covers loads {C}.\n")
    result = vault({"a.md": text}, **SL)
    assert codes(result) == [("SL001", 5, 1)]


# -- SL002 -----------------------------------------------------------------


def test_sl002_generator_preamble(vault):
    text = body(f"Here is the article with backlinks added:\n\nFrom: [[chan]] <br/>\n\n{CLAIM}")
    result = vault({"a.md": text}, **SL)
    # the lead-in ends with ':' so it is no claim: only SL002
    assert codes(result) == [("SL002", 5, 1)]
    assert messages(result) == ["text before the source line: 'Here is the article with backlinks added:'"]


def test_sl002_stray_heading_before_the_source_line(vault):
    text = body(f"## Stray heading\n\nFrom: [[chan]] <br/>\n\n{CLAIM}")
    result = vault({"a.md": text}, **SL)
    assert codes(result) == [("SL002", 5, 1)]
    assert messages(result) == ["text before the source line: '## Stray heading'"]


def test_sl002_near_miss_blank_lines_before_the_source_line(vault):
    result = vault({"a.md": body(f"\n\n\nFrom: [[chan]] <br/>\n\n{CLAIM}")}, **SL)
    assert codes(result) == []


def test_sl002_near_miss_comment_before_the_source_line(vault):
    result = vault({"a.md": body(f"<!-- generated -->\nFrom: [[chan]] <br/>\n\n{CLAIM}")}, **SL)
    assert codes(result) == []


# -- SL003 -----------------------------------------------------------------


def test_sl003_preamble_after_the_source_line_with_an_unsafe_fix(vault):
    text = body(f"From: [[chan]] <br/>\nHere is the article with the backlinks embedded:\n\n{CLAIM}")
    result = vault({"a.md": text}, **{"select": ["SL", "CL"]})
    assert codes(result) == [("SL003", 6, 1)]
    f = result.findings[0]
    assert f.message == "generator preamble after the source line: 'Here is the article with the backlinks embedded:'"
    assert not f.fix.safe
    assert apply_fix(text, f.fix) == body(f"From: [[chan]] <br/>\n\n{CLAIM}")


def test_sl003_near_miss_a_lead_in_that_is_part_of_the_note(vault):
    text = body(f"From: [[chan]] <br/>\n\nHere is how the deck carries loads:\n\n- Through hangers {C}.\n")
    assert codes(vault({"a.md": text}, **{"select": ["SL", "CL"]})) == []
