"""Suppression comments (SPEC §4) and SP001, the suppression that suppresses nothing.

Bodies built by ``note()`` start on line 8.
"""

from __future__ import annotations

from conftest import cite, codes, messages, note

C = cite("00:01:00")
ALL = {"external_targets": ["chan"]}  # every default rule; the channel note exists elsewhere


def one(vault, body: str, **kw):
    return vault({"a.md": note(body)}, **{**ALL, **kw})


def test_disable_enable_range(vault):
    body = (
        "Uncited before.\n\n"  # 8
        "<!-- notelint: disable=CL001 -->\n\n"  # 10
        "Uncited inside.\n\n"  # 12
        "<!-- notelint: enable=CL001 -->\n\n"  # 14
        "Uncited after.\n"  # 16
    )
    assert codes(one(vault, body)) == [("CL001", 8, 1), ("CL001", 16, 1)]


def test_disable_without_enable_runs_to_the_end(vault):
    body = "<!-- notelint: disable=CL -->\n\nUncited one.\n\nUncited two.\n"
    assert codes(one(vault, body)) == []


def test_enable_without_codes_ends_every_disable(vault):
    body = "<!-- notelint: disable=CL001,WL001 -->\n\nUncited [[nope]].\n\n<!-- notelint: enable -->\n\nUncited [[nope]].\n"
    assert codes(one(vault, body)) == [("CL001", 14, 1), ("WL001", 14, 9)]


def test_disable_only_the_codes_named(vault):
    body = "<!-- notelint: disable=WL001 -->\nUncited [[nope]].\n"
    assert codes(one(vault, body)) == [("CL001", 9, 1)]


def test_disable_next_line(vault):
    body = f"<!-- notelint: disable-next-line=WL001 -->\nSee [[nope]] {C}.\n\nSee [[nope]] {C}.\n"
    assert codes(one(vault, body)) == [("WL001", 11, 5)]


def test_disable_next_line_covers_only_the_next_line(vault):
    body = "<!-- notelint: disable-next-line=CL001 -->\n\nUncited claim.\n"
    result = one(vault, body)
    # the next line is blank: nothing suppressed there, so the claim is reported and so is the comment
    assert codes(result) == [("SP001", 8, 1), ("CL001", 10, 1)]


def test_disable_file_with_a_prefix(vault):
    body = f"Claim [00:01:00] and {cite('21:12')}.\n\n<!-- notelint: disable-file=TS -->\n\nUncited claim.\n"
    # TS006 and TS001 are suppressed in the whole file, even above the comment; CL001 is not
    assert codes(one(vault, body)) == [("CL001", 12, 1)]


def test_disable_all(vault):
    body = "<!-- notelint: disable-file=ALL -->\nUncited [[nope]] [00:01:00].\n"
    assert codes(one(vault, body)) == []


def test_directive_is_case_and_space_tolerant(vault):
    body = "<!--notelint : DISABLE-NEXT-LINE = cl001 -->\nUncited claim.\n"
    assert codes(one(vault, body)) == []


def test_sp001_unused_suppression(vault):
    body = f"<!-- notelint: disable-next-line=WL001 -->\nSee [[chan]] {C}.\n"
    result = one(vault, body)
    assert codes(result) == [("SP001", 8, 1)]
    assert messages(result) == ["unused suppression of WL001: it suppresses nothing"]


def test_sp001_one_finding_per_unused_code(vault):
    body = "Text before. <!-- notelint: disable=CL001,WL001 -->\n\nUncited claim.\n"
    result = one(vault, body)
    # CL001 on line 8 itself is suppressed (the range starts on the comment's line); WL001 is unused
    assert codes(result) == [("SP001", 8, 14)]
    assert messages(result) == ["unused suppression of WL001: it suppresses nothing"]


def test_sp001_unused_disable_of_everything(vault):
    result = one(vault, f"<!-- notelint: disable-next-line -->\nA cited claim {C}.\n")
    assert codes(result) == [("SP001", 8, 1)]
    assert messages(result) == ["unused suppression: it suppresses nothing"]


def test_sp001_near_miss_code_not_selected(vault):
    body = f"<!-- notelint: disable-next-line=WL001 -->\nSee [[chan]] {C}.\n"
    assert codes(one(vault, body, select=["CL", "SP"])) == []


def test_sp001_near_miss_sp001_ignored(vault):
    body = f"<!-- notelint: disable-next-line=WL001 -->\nSee [[chan]] {C}.\n"
    assert codes(one(vault, body, ignore=["SP001"])) == []


def test_near_miss_directive_inside_a_code_span_is_no_directive(vault):
    result = one(vault, "Write `<!-- notelint: disable-file=ALL -->` to silence a note.\n")
    assert codes(result) == [("CL001", 8, 1)]


def test_suppresses_vault_rule_findings(vault):
    # WL001 is a vault rule: it runs after the per-note rules, suppression still applies
    body = f"<!-- notelint: disable-next-line=WL -->\nSee [[nope]] and [[nada]] {C}.\n"
    assert codes(one(vault, body)) == []
