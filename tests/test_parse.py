"""The parser, directly: the document model a note's bytes become (blocks, citations,
citation groups, bare labels, wiki-links, headings, hidden ranges, source line), with
byte offsets and character positions."""

from __future__ import annotations

import pytest
from conftest import cite, note

from notelint.document import FrontMatter
from notelint.parse import frontmatter, parse_note


def parse(text: str | bytes):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return parse_note("n.md", "n.md", data)


def test_front_matter_source_line_and_blocks():
    n = parse(note(f"""
        A claim {cite('00:01:02')}.

        ## Heading

        - item one {cite('00:02:03')}
    """, title="T"))
    assert n.data == {"title": "T", "videoId": "abcdefghijk"}
    assert n.source_line.channel == "chan" and n.source_line.has_br
    kinds = [b.kind for b in n.blocks]
    assert kinds == ["paragraph", "paragraph", "heading", "item"]
    assert n.blocks[0].source_line
    assert [h.text for h in n.headings] == ["Heading"]
    claim = n.blocks[1]
    assert [c.time for c in claim.citations] == ["00:01:02"]
    assert n.raw[claim.start : claim.end].decode().startswith("A claim <a")


def test_citation_positions_and_seconds():
    text = note(f"Text {cite('00:21:12')}, {cite('00:28:36')}.\n")
    n = parse(text)
    [block] = [b for b in n.blocks if b.citations]
    first, second = block.citations
    assert (first.seconds, second.seconds) == (21 * 60 + 12, 28 * 60 + 36)
    assert n.raw[first.start : first.end].decode() == cite("00:21:12")
    assert n.position(first.start) == (8, 6)
    [group] = block.groups
    assert group.citations == [first, second] and group.separators == [b", "]


def test_citations_in_code_are_invisible():
    n = parse(note(f"Text `{cite('00:01:02')}` and [[link]].\n"))
    block = n.blocks[-1]
    assert block.citations == [] and [w.target for w in block.wikilinks] == ["link"]
    assert any(s <= n.raw.index(b"<a") < e for s, e in n.hidden)


def test_broken_citations_and_bare_labels():
    n = parse(note('Text <a class="yt-timestamp">[00:01:02]</a> and [00:03:04].\n'))
    block = n.blocks[-1]
    [c] = block.citations
    assert c.problem == "anchor has no data-t attribute" and c.label == "00:01:02"
    assert [b.text for b in block.bare_labels] == ["00:03:04"]


def test_wikilinks_target_heading_alias_embed():
    n = parse(note("See [[a note#Part | shown]] and ![[img.png]] and [[x|]].\n"))
    links = n.blocks[-1].wikilinks
    assert [(w.target, w.heading, w.alias, w.embed, w.problem) for w in links] == [
        ("a note", "Part", "shown", False, None),
        ("img.png", None, None, True, None),
        ("x", None, "", False, "empty alias: nothing after '|'"),
    ]
    first = links[0]
    assert n.raw[first.target_span[0] : first.target_span[1]] == b"a note"


def test_positions_count_characters_in_crlf_and_non_ascii_notes():
    text = note("Café é 𝄞 [[x|]]\n").replace("\n", "\r\n")
    n = parse(text)
    [link] = n.blocks[-1].wikilinks
    assert n.position(link.start) == (8, 10)


def test_unreadable_bytes():
    assert parse(b"\xff\xfe\x00a").unreadable.startswith("file is UTF-16")
    assert parse(b"---\ntitle: caf\xe9\n").unreadable == "not valid UTF-8: byte 0xe9 at offset 14 (invalid continuation byte)"


def test_comments_and_second_front_matter():
    n = parse(note("<!-- notelint: disable=CL001 -->\nText.\n\n---\ntitle: again\nvideoId: x\n---\n"))
    assert [c.text for c in n.comments] == ["<!-- notelint: disable=CL001 -->"]
    assert len(n.body_front_matter) == 1


def test_plain_front_matter_read_as_the_yaml_loader_reads_it():
    """Plain ``key: text`` lines skip the YAML loader: the same data and key positions; any
    line the shortcut cannot be sure of (a number, a boolean, a quote, a comment...) goes to it."""
    cases = [
        "title: Skills for the Evolving Engineering Landscape\nvideoId: -QsTmu2CqhA\n",
        "title: C# and F#, [draft] {1}\nvideoId: 3xYz_9\n",
        "title: yes\nvideoId: abc\n", "title: 12\nvideoId: 0x1F\n", "title: 2024-01-01\nvideoId: a\n",
        "title: a: b\nvideoId: a\n", "title: a #b\nvideoId: a\n", "title: 'q'\nvideoId: a\n",
        "title: trailing \nvideoId: a\n", "title: x\ntitle: y\n", "on: x\n", "title: - x\n", "title: ~\n",
        "title: tab\there\n", "title: café\n", "title: x\r\nvideoId: y\r\n", "title:  two spaces\n",
    ]
    for yaml_text in cases:
        raw = f"---\n{yaml_text}---\nBody.\n".encode()
        fm = frontmatter.split_front_matter(raw)
        fast, slow = (FrontMatter(fm.start, fm.end, fm.yaml_start, fm.yaml_end, True) for _ in range(2))
        frontmatter.load_front_matter(raw, fast)
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(frontmatter, "_load_plain", lambda raw, fm: False)
            frontmatter.load_front_matter(raw, slow)
        assert (fast.data, fast.keys, fast.duplicates, fast.error) == (slow.data, slow.keys, slow.duplicates, slow.error)
        assert [type(v) for v in (fast.data or {}).values()] == [type(v) for v in (slow.data or {}).values()]
    plain = frontmatter.split_front_matter(f"---\n{cases[0]}---\n".encode())
    assert frontmatter._load_plain(f"---\n{cases[0]}---\n".encode(), plain)


def test_visible_text_shows_links_as_the_reader_sees_them():
    """What a reader sees of a block: a wiki-link's alias, else its target (trimmed, an empty
    alias shows the target), an embed's target, a Markdown link's text; no citation, no tag."""
    from notelint.parse.roles import visible_text

    n = parse(note(f"See [[a note#Part | shown ]] and ![[img.png]], [[x|]] and [[ y ]] "
                   f"or [the docs](https://e.org) <b>bold</b> {cite('00:01:02')}.\n"))
    assert visible_text(n.blocks[-1]) == "See shown and img.png, x and y or the docs bold ."
    plain = parse(note("No link here, only [brackets] and ](text.\n"))
    assert visible_text(plain.blocks[-1]) == "No link here, only [brackets] and ](text."


@pytest.mark.parametrize("text, expected", [
    ("CF₁", False),  # two letters: a subscript is no letter
    ("CFₙ", False),  # a modifier letter does not count
    ("Abc", True), ("ab1c", False), ("über", True), ("日本語", True), ("a_b_c", False), ("", False),
])
def test_a_word_is_three_letters_in_a_row(text, expected):
    from notelint.parse.roles import _has_word

    assert _has_word(text) is expected


def test_times_in_parentheses_found_beside_canonical_citations():
    """A block whose every bracket is a canonical citation's label: its parenthesised times are
    found, its labels are no bare label."""
    n = parse(note(f"A claim (00:12:34) {cite('00:01:02')} and (see 1:02) {cite('00:02:03')}.\n"))
    block = n.blocks[-1]
    assert [c.time for c in block.citations] == ["00:01:02", "00:02:03"]
    assert [(b.text, b.form) for b in block.bare_labels] == [("00:12:34", "parentheses")]
    assert n.raw[block.bare_labels[0].start : block.bare_labels[0].end] == b"(00:12:34)"
