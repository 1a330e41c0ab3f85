"""Where each wiki-link Quartz sees sits in the note as written (offsets, lines), through Quartz's
text transforms; and the text nodes of notelint.parse.text_nodes they are found in."""

from __future__ import annotations

from notelint.parse.text_nodes import text_tree
from notelint.quartz import text_transform, wikilinks
from notelint.quartz_vault import read_note

NOTE = """\ufeff
---
title: Caf\u00e9 \u2014 notes
---
> [!info] Title [[a#My Head]]
> body [[b]]

%% a comment
over [[c]] lines %%
| h | i |
| --- | --- |
| [[d|dee]] | \u00e9 [[e#X Y\\|x]] |

\u00e9\u00e9 \\[[f]] and &#91;&#91;g]] $x$ [[h]]
"""


def test_links_point_at_the_note_as_written():
    links = read_note("n.md", NOTE).links
    got = [(link.line, NOTE[link.start : link.end], link.raw) for link in links]
    assert got == [
        (5, "[[a#My Head]]", "[[a#my-head|My Head]]"),
        (6, "[[b]]", "[[b]]"),
        (12, "[[d|dee]]", "[[d|dee]]"),
        (12, "[[e#X Y\\|x]]", "[[e#X Y|x]]"),
        (14, "[[f]]", "[[f]]"),  # the backslash escapes the first bracket only
        (14, "&#91;&#91;g]]", "[[g]]"),
        (14, "[[h]]", "[[h]]"),
    ]


def test_quartz_line_numbers_follow_its_transforms():
    links = read_note("n.md", NOTE).links
    # the callout title gains a line; the comment over two lines loses one; the BOM line is trimmed
    assert [link.quartz_line for link in links] == [5, 7, 12, 12, 14, 14, 14]


def test_alias_and_heading_split():
    link = read_note("n.md", "x [[ a b #Head |  shown ]] y").links[0]
    # the heading is slugged before it is trimmed: its trailing space becomes "-" (no heading "Head" matches)
    assert (link.fp, link.header, link.alias, link.embed) == ("a b", "#head-", "shown", False)
    assert read_note("n.md", "![[pic.png|200]]").links[0].embed


def test_text_nodes_are_split_by_inline_nodes_and_math():
    text = "a *b [[c* d]] `[[e]]` <i>[[f]]</i> $5 [[g]] $ end\n"
    values = [n.value for n in text_tree(text).nodes]
    assert values == ["a ", "b [[c", " d]] ", " ", "[[f]]", " ", " end"]
    t = text_transform(text)
    assert [link.raw for link in wikilinks(t, text_tree(t.text).nodes)] == ["[[f]]"]


def test_text_node_offsets_count_characters_not_bytes():
    text = "\u00e9\u00e9\u00e9 [[\u00e9]] \U0001f600 [[z]]\n"
    nodes = text_tree(text).nodes
    (node,) = nodes
    k = node.value.index("[[z]]")
    assert text[node.source_start(k) : node.source_end(k + 5)] == "[[z]]"


def test_front_matter_is_no_text():
    assert text_tree("---\ntitle: '[[a]]'\n---\n[[b]]\n").nodes[0].value == "[[b]]"
    assert len(text_tree("---\ntitle: '[[a]]'\n---\n[[b]]\n").nodes) == 1


def test_heading_pieces_for_ids():
    tree = text_tree("## A [[x|Y]] `c` $m$ <b>d</b>\n\n<h2 id=\"k\">H</h2>\n")
    (md, html) = tree.headings
    assert [(p.kind, p.value) for p in md.pieces] == [
        ("text", "A [[x|Y]] "), ("code", "c"), ("text", " "), ("math", "m"), ("text", " "),
        ("html", "<b>"), ("text", "d"), ("html", "</b>"),
    ]
    assert (html.html, html.html_id, html.pieces[0].value) == (True, "k", "H")


def test_js_trim_strips_exactly_javascripts_white_space():
    import re

    from notelint.quartz import js

    every = "".join(chr(c) for c in range(0x10000) if re.match(f"[{js.WS}]", chr(c)))
    assert js._WS_CHARS == every
    # a zero-width space is no JS white space: trimming stops at it
    assert js.trim("\u200b\u3000 a\u00a0\ufeff") == "\u200b\u3000 a"
    assert js.trim("\u3000\u2029a\u202f") == "a"
