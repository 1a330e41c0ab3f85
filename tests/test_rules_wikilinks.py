"""WL: wiki-links and their resolution across the vault (SPEC §3).

Links sit on line 8 after ``See `` (4 characters), so the first link starts
at column 5. The channel note ``chan`` is declared external.
"""

from __future__ import annotations

import pytest
from conftest import cite, codes, messages, note

C = cite("00:01:00")
WL = {"select": ["WL"], "external_targets": ["chan"]}

TARGET = note(
    f"## Key Ideas & Results\n\nText {C}.\n",
    title="Public sector innovation and collaboration",
    header=(
        "---\ntitle: Public sector innovation and collaboration\nvideoId: abcdefghijk\n"
        "aliases: [PSI collab]\n---\n\nFrom: [[chan]] <br/>\n\n"
    ),
)
TARGET_PATH = "topics/public_sector_innovation_and_collaboration.md"


def with_target(vault, body: str, **kw):
    return vault({TARGET_PATH: TARGET, "a.md": note(body)}, **{**WL, **kw})


# -- WL001 and resolution --------------------------------------------------


def test_wl001_unresolved_with_did_you_mean(vault):
    result = with_target(vault, f"See [[public_sector_innovation_and_collaboratio]] {C}.\n")
    assert codes(result) == [("WL001", 8, 5)]
    assert messages(result) == [
        "wiki-link target 'public_sector_innovation_and_collaboratio' does not resolve; "
        "did you mean 'public_sector_innovation_and_collaboration'?"
    ]


def test_wl001_nothing_close_gives_no_suggestion(vault):
    result = with_target(vault, f"See [[zebra migration]] {C}.\n")
    assert codes(result) == [("WL001", 8, 5)]
    assert messages(result) == ["wiki-link target 'zebra migration' does not resolve"]


# The default resolution is Obsidian's (link-resolution = "auto" without a Quartz site): file
# names match without regard to case, but titles, aliases and other separators are no keys.
# (Before issue 12 notelint matched all of them leniently; those links are now WL001 with a fix.)
@pytest.mark.parametrize(
    "link",
    [
        "[[public_sector_innovation_and_collaboration]]",  # file name
        "[[PUBLIC_SECTOR_Innovation_and_Collaboration]]",  # case
        "[[public_sector_innovation_and_collaboration.md]]",  # .md suffix
        "[[topics/public_sector_innovation_and_collaboration]]",  # path from the vault root
        "[[ public_sector_innovation_and_collaboration | shown text]]",  # trimmed, with an alias
        "![[public_sector_innovation_and_collaboration]]",  # an embed resolves the same way
    ],
)
def test_wl001_near_miss_resolution(vault, link):
    assert codes(with_target(vault, f"See {link} {C}.\n")) == []


@pytest.mark.parametrize(
    "link, fixed",
    [
        ("[[Public sector innovation and collaboration]]",  # title
         "[[public_sector_innovation_and_collaboration|Public sector innovation and collaboration]]"),
        ("[[psi collab]]", "[[public_sector_innovation_and_collaboration|psi collab]]"),  # alias
        ("[[PUBLIC-SECTOR  innovation_and-Collaboration | shown]]",  # separators
         "[[public_sector_innovation_and_collaboration | shown]]"),
        ("[[psi collab#Key Ideas & Results]]", "[[public_sector_innovation_and_collaboration#Key Ideas & Results]]"),
    ],
)
def test_wl001_a_lenient_match_is_broken_and_repaired(vault, link, fixed):
    result = with_target(vault, f"See {link} {C}.\n")
    assert codes(result) == [("WL001", 8, 5)]
    (f,) = result.findings
    assert "did you mean 'public_sector_innovation_and_collaboration'?" in f.message
    assert f.fix is not None and not f.fix.safe  # the match is in another folder (topics/)
    raw = note(f"See {link} {C}.\n").encode()
    (edit,) = f.fix.edits
    assert (raw[: edit.start] + edit.text + raw[edit.end :]).decode() == note(f"See {fixed} {C}.\n")


def test_wl001_repair_is_safe_in_the_linking_notes_folder(vault):
    files = {"topics/load_paths.md": note(f"A {C}.\n"), "topics/a.md": note(f"See [[Load Paths]] {C}.\n")}
    result = vault(files, **WL)
    (f,) = result.findings
    assert f.code == "WL001" and f.fix is not None and f.fix.safe


def test_wl001_resolution_is_unicode_nfc(vault):
    decomposed = "Cafe\u0301 notes"  # e + combining acute
    files = {
        "Caf\u00e9 notes.md": note(f"Text {C}.\n", title="Cafe"),  # a file name: titles are no keys
        "a.md": note(f"See [[{decomposed}]] {C}.\n"),
    }
    assert codes(vault(files, **WL)) == []


def test_wl001_path_must_match_its_folder(vault):
    result = with_target(vault, f"See [[other/public_sector_innovation_and_collaboration]] {C}.\n")
    assert codes(result) == [("WL001", 8, 5)]


def test_wl001_external_targets_by_name_and_glob(vault):
    result = vault(
        {"a.md": note(f"See [[chan]], [[Channel-Foo]] and [[other]] {C}.\n")},
        select=["WL"], external_targets=["chan", "channel-*"],
    )
    assert codes(result) == [("WL001", 8, 35)]
    assert messages(result) == ["wiki-link target 'other' does not resolve"]


def test_wl001_unresolved_channel_on_the_source_line(vault):
    result = vault({"a.md": note(f"Claim {C}.\n")}, select=["WL"])
    assert codes(result) == [("WL001", 6, 7)]


def test_wl001_resolves_against_the_whole_vault_when_linting_one_file(tmp_path):
    from notelint.config import Settings
    from notelint.discover import walk
    from notelint.rules.selection import resolve_selection
    from notelint.run import check

    (tmp_path / "topics").mkdir()
    (tmp_path / TARGET_PATH).write_text(TARGET, encoding="utf-8")
    (tmp_path / "a.md").write_text(note(f"See [[public_sector_innovation_and_collaboration]] and [[nope]] {C}.\n"),
                                   encoding="utf-8")
    settings = Settings(root=tmp_path, vault=tmp_path, external_targets=["chan"], selected=resolve_selection(["WL"]))
    files = walk(tmp_path, tmp_path, tmp_path, [])
    targets = [f for f in files if f.rel == "a.md"]
    result = check(targets, files, settings)
    assert codes(result) == [("WL001", 8, 56)]
    assert result.vault_size == 2 and len(result.files) == 1


# -- WL002 -----------------------------------------------------------------


@pytest.mark.parametrize(
    "link, problem",
    [
        ("[[]]", "empty target"),
        ("[[|alias]]", "empty target"),
        ("[[target|]]", "empty alias: nothing after '|'"),
        ("[[target | ]]", "empty alias: nothing after '|'"),
        ("[[a|b|c]]", "more than one '|' in a wiki-link"),
    ],
)
def test_wl002_malformed(vault, link, problem):
    result = with_target(vault, f"See {link} {C}.\n")
    assert codes(result) == [("WL002", 8, 5)]
    assert messages(result) == [f"malformed wiki-link {link!r}: {problem}"]


def test_wl002_unbalanced_opening(vault):
    result = with_target(vault, f"See [[open and {C}.\n")
    assert codes(result) == [("WL002", 8, 5)]
    assert messages(result)[0].endswith("unbalanced '[[': no matching ']]'")


def test_wl002_unbalanced_closing(vault):
    result = with_target(vault, f"See close]] {C}.\n")
    assert codes(result) == [("WL002", 8, 10)]
    assert messages(result)[0].endswith("unbalanced ']]': no matching '[['")


def test_wl002_newline_inside(vault):
    result = with_target(vault, f"See [[public sector\ninnovation]] {C}.\n")
    assert codes(result) == [("WL002", 8, 5)]
    assert messages(result)[0].endswith("newline inside a wiki-link")


def test_wl002_near_miss_single_brackets(vault):
    assert codes(with_target(vault, f"See [link](https://example.org) and [x] {C}.\n")) == []


# -- WL003 -----------------------------------------------------------------


def test_wl003_two_notes_with_the_same_name(vault):
    # Obsidian picks one (no exact path, none in the linking note's folder: the shortest path);
    # two notes sharing a title are no longer ambiguous, titles being no keys (issue 12)
    files = {
        "x/load_paths.md": note(f"A {C}.\n"),
        "y/load_paths.md": note(f"B {C}.\n"),
        "a.md": note(f"See [[Load_Paths]] {C}.\n"),
    }
    result = vault(files, **WL)
    assert codes(result) == [("WL003", 8, 5)]
    assert messages(result) == [
        "wiki-link target 'Load_Paths' is ambiguous: it matches x/load_paths.md, y/load_paths.md; "
        "the renderer picks x/load_paths.md"
    ]


def test_wl003_near_miss_obsidian_prefers_the_linking_notes_folder_silently(vault):
    files = {
        "x/load_paths.md": note(f"A {C}.\n"),
        "y/load_paths.md": note(f"B {C}.\n"),
        "y/a.md": note(f"See [[load_paths]] {C}.\n"),
    }
    result = vault(files, **WL)
    assert codes(result) == [("WL003", 8, 5)]  # a choice was made: still reported
    assert messages(result)[0].endswith("the renderer picks y/load_paths.md")


def test_wl003_near_miss_link_by_file_name_or_path(vault):
    files = {
        "x/one.md": note(f"A {C}.\n", title="Load paths"),
        "y/two.md": note(f"B {C}.\n", title="Load paths"),
        "a.md": note(f"See [[one]] and [[y/two]] {C}.\n"),
    }
    assert codes(vault(files, **WL)) == []


def test_wl003_near_miss_one_note_answering_twice(vault):
    # file name in another case and title of the same note: one note, not ambiguous
    files = {"load_paths.md": note(f"A {C}.\n", title="Load paths"), "a.md": note(f"See [[Load_paths]] {C}.\n")}
    assert codes(vault(files, **WL)) == []


# -- WL004 -----------------------------------------------------------------


def test_wl004_heading_missing(vault):
    result = with_target(vault, f"See [[public_sector_innovation_and_collaboration#Missing section]] {C}.\n")
    assert codes(result) == [("WL004", 8, 5)]
    assert messages(result) == ["heading 'Missing section' not found in 'public_sector_innovation_and_collaboration'"]


@pytest.mark.parametrize("heading", ["Key Ideas & Results", "key ideas & results", "key-ideas--results"])
def test_wl004_near_miss_heading_present_by_text_or_slug(vault, heading):
    assert codes(with_target(vault, f"See [[public_sector_innovation_and_collaboration#{heading}]] {C}.\n")) == []


def test_wl004_same_note_heading(vault):
    result = vault({"a.md": note(f"## Local part\n\nSee [[#Local part]] and [[#Nope]] {C}.\n")}, **WL)
    assert codes(result) == [("WL004", 10, 25)]
    assert messages(result) == ["heading 'Nope' not found in 'a'"]


def test_wl004_near_miss_unresolved_target_is_wl001_only(vault):
    result = with_target(vault, f"See [[nowhere#Heading]] {C}.\n")
    assert codes(result) == [("WL001", 8, 5)]


def test_wl004_near_miss_block_reference(vault):
    assert codes(with_target(vault, f"See [[public_sector_innovation_and_collaboration#^abc123]] {C}.\n")) == []


# -- WL005 -----------------------------------------------------------------


@pytest.mark.parametrize("target", ["../drafts/note", "/etc/passwd", "C:/notes/x", "~/notes/x", "a/../../b"])
def test_wl005_target_leaves_the_vault(vault, target):
    result = with_target(vault, f"See [[{target}]] {C}.\n")
    # WL005 only: such targets are never resolved, so no WL001 on top
    assert codes(result) == [("WL005", 8, 5)]
    assert messages(result) == [f"wiki-link target {target!r} leaves the vault"]


def test_wl005_near_miss_dots_in_a_name(vault):
    files = {"v1..2 notes.md": note(f"A {C}.\n"), "a.md": note(f"See [[v1..2 notes]] {C}.\n")}
    assert codes(vault(files, **WL)) == []


# -- invisible places --------------------------------------------------------


def test_links_in_code_and_comments_are_invisible(vault):
    body = (
        f"See `[[nope1]]` and <!-- [[nope2]] --> {C}.\n\n"
        "```\n[[nope3]] [[\n```\n\n"
        "    [[nope4]]\n\n"
        "<!--\n[[nope5]]\n-->\n\n"
        "$$\n[[nope6]]\n$$\n"
    )
    # no link is resolved; the one in a code span renders as literal text: WL006 says so
    assert codes(vault({"a.md": note(body)}, **WL)) == [("WL006", 8, 6)]


# -- misreadings (issue 11) --------------------------------------------------


def test_wl002_near_miss_markdown_link_text_ending_in_brackets(vault):
    body = "### [Title [REVEALED]](https://www.youtube.com/watch?v=abcdefghijk)\n\nSee [[chan]] " + C + ".\n"
    assert codes(vault({"a.md": note(body)}, **WL)) == []


def test_wl002_near_miss_an_alias_that_is_a_code_span(vault):
    result = with_target(vault, f"See [[public_sector_innovation_and_collaboration | `docker ps`]] {C}.\n")
    assert codes(result) == []


def test_wl002_the_closing_brackets_inside_a_code_span(vault):
    result = vault({"a.md": note(f"See [[chan | `async/await]]` {C}.\n")}, **WL)
    assert codes(result) == [("WL002", 8, 5)]
    assert messages(result)[0].startswith("malformed wiki-link '[[chan | `async/await]]`")
    assert messages(result)[0].endswith(": unbalanced '[[': the ']]' that would close it is inside a code span")


def test_a_time_written_as_a_wiki_link_is_a_broken_citation_not_a_link(vault):
    text = note(f"A claim [[00:50:02]] and {C}.\n")
    result = vault({"a.md": text}, select=["WL", "TS", "CL"], external_targets=["chan"])
    assert codes(result) == [("TS006", 8, 9)]
    f = result.findings[0]
    assert f.message == "time written as a wiki-link [[00:50:02]] instead of a citation"
    assert not f.fix.safe and f.fix.edits[0].text == cite("00:50:02").encode()


def test_wl004_a_heading_that_is_a_wiki_link_is_found_by_its_alias(vault):
    target = note(f"### The Role of [[behavioral_science | Behavioral Science]]\n\nText {C}.\n", title="T")
    files = {"t.md": target, "behavioral_science.md": note(f"Text {C}.\n", title="B"),
             "a.md": note(f"See [[t#The Role of Behavioral Science]] and [[t#the-role-of-behavioral-science]] {C}.\n")}
    assert codes(vault(files, **WL)) == []


# -- WL006 -----------------------------------------------------------------


def test_wl006_wiki_link_inside_a_code_span(vault):
    text = note(f"He backs the `[[chan | All Weather Portfolio]]` and `x = [[chan]] + 1` {C}.\n")
    result = vault({"a.md": text}, **WL)
    assert codes(result) == [("WL006", 8, 15), ("WL006", 8, 58)]
    first, second = result.findings
    assert first.message == "wiki-link '[[chan | All Weather Portfolio]]' inside a code span renders as literal text"
    assert not first.fix.safe and second.fix is None
    from conftest import apply_fix

    assert apply_fix(text, first.fix) == note(f"He backs the [[chan | All Weather Portfolio]] and `x = [[chan]] + 1` {C}.\n")


@pytest.mark.parametrize("code", ["`[[ -f file ]]`", "`[[0 -1] [1 0]]`", "`arr[[0]]`", "```\n[[chan]]\n```"])
def test_wl006_near_miss_brackets_that_are_no_wiki_link(vault, code):
    assert codes(vault({"a.md": note(f"Code {C}.\n\n{code}\n")}, **WL)) == []


def test_wl002_near_miss_markdown_link_text_starting_with_a_bracketed_word(vault):
    body = f"### [[Tutorial] How to use Terra](https://www.youtube.com/watch?v=abcdefghijk)\n\nSee [[chan]] {C}.\n"
    assert codes(vault({"a.md": note(body)}, **WL)) == []


def test_wl002_near_miss_a_citation_label_with_an_extra_bracket_is_ts006s(vault):
    text = note('Claim <a class="yt-timestamp" data-t="00:01:00">[00:01:00]]</a>.\n')
    result = vault({"a.md": text}, select=["WL", "TS"], external_targets=["chan"])
    assert [c for c, _, _ in codes(result)] == ["TS006"]


def test_wl001_no_repair_that_writes_invisible_characters(vault):
    # the one lenient match is named with bidi isolates (as a real channel folder is): the repair
    # would write them into the note, where NL002 removes them; renaming the file is the repair
    files = {"\u2068span\u2069.md": note(f"A {C}.\n", title="span"), "a.md": note(f"See [[span]] {C}.\n")}
    (f,) = vault(files, **WL).findings
    assert f.code == "WL001" and f.fix is None
    assert f.message.endswith("did you mean '\\u2068span\\u2069'?")  # the name as repr() shows it
