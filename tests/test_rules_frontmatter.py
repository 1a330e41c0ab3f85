"""FM: the front matter block and its fields.

``fm(yaml)`` builds a note whose front matter holds ``yaml``: the opening
``---`` is line 1, so the first YAML line is line 2.
"""

from __future__ import annotations

import pytest
from conftest import apply_fix, cite, codes, messages, note, the

C = cite("00:01:00")
BODY = f"\nFrom: [[chan]] <br/>\n\nA claim {C}.\n"
FM = {"select": ["FM"]}
OK = "title: A note\nvideoId: abcdefghijk\n"


def fm(yaml: str) -> str:
    return f"---\n{yaml}---\n{BODY}"


# -- FM001 -----------------------------------------------------------------


def test_fm001_no_front_matter(vault):
    result = vault({"a.md": BODY.lstrip("\n")}, **FM)
    assert codes(result) == [("FM001", 1, 1)]
    assert messages(result) == ["no front matter: the note must start with a '---' line"]


def test_fm001_front_matter_not_closed(vault):
    result = vault({"a.md": "---\n" + OK + BODY}, **FM)
    assert codes(result) == [("FM001", 1, 1)]
    assert "not closed" in messages(result)[0]


def test_fm001_near_miss_closed_at_end_of_file_without_newline(vault):
    result = vault({"a.md": "---\n" + OK + "---"}, **FM)
    assert codes(result) == []


def test_fm001_near_miss_crlf_front_matter(vault):
    result = vault({"a.md": fm(OK).replace("\n", "\r\n").encode()}, **FM)
    assert codes(result) == []


# -- FM002 -----------------------------------------------------------------


def test_fm002_yaml_error_mapped_to_the_file(vault):
    # "mapping values are not allowed" at the second ':'; columns count characters (é is 2 bytes)
    result = vault({"a.md": fm("title: Café: au lait\nvideoId: abcdefghijk\n")}, **FM)
    assert codes(result) == [("FM002", 2, 12)]
    assert messages(result) == ["invalid YAML: mapping values are not allowed in this context"]


def test_fm002_yaml_error_mapped_in_a_crlf_file_with_a_bom(vault):
    data = b"\xef\xbb\xbf" + fm("title: Café: au lait\nvideoId: abcdefghijk\n").replace("\n", "\r\n").encode()
    result = vault({"a.md": data}, **FM)
    assert codes(result) == [("FM002", 2, 12)]


def test_fm002_yaml_error_on_a_later_line(vault):
    result = vault({"a.md": fm("title: ok\nvideoId: abcdefghijk\n  bad: indent\n")}, **FM)
    assert codes(result) == [("FM002", 4, 6)]


def test_fm002_python_object_tag_is_refused(vault):
    result = vault({"a.md": fm("title: !!python/object/apply:os.system [echo hi]\nvideoId: abcdefghijk\n")}, **FM)
    assert codes(result) == [("FM002", 2, 8)]
    assert "could not determine a constructor" in messages(result)[0]


def test_fm002_alias_bomb_is_refused_at_the_first_alias(vault):
    bomb = (
        'title: x\nvideoId: abcdefghijk\na: &a ["lol","lol","lol"]\n'
        "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
        "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
        "d: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    )
    result = vault({"a.md": fm(bomb)}, **FM)
    assert codes(result) == [("FM002", 5, 8)]
    assert messages(result) == ["invalid YAML: YAML aliases (*name) are not allowed in front matter"]


def test_fm002_even_a_single_alias_is_refused(vault):
    result = vault({"a.md": fm("title: &t Title\nvideoId: abcdefghijk\naliases: [*t]\n")}, **FM)
    assert codes(result) == [("FM002", 4, 11)]


def test_fm002_front_matter_that_is_not_a_mapping(vault):
    result = vault({"a.md": fm("- a\n- b\n")}, **FM)
    assert codes(result) == [("FM002", 2, 1)]
    assert "must be a mapping" in messages(result)[0]


def test_fm002_near_miss_anchor_without_alias_is_fine(vault):
    result = vault({"a.md": fm("title: &t Title\nvideoId: abcdefghijk\n")}, **FM)
    assert codes(result) == []


# -- FM003 -----------------------------------------------------------------


def test_fm003_missing_video_id(vault):
    result = vault({"a.md": fm("title: A note\n")}, **FM)
    assert codes(result) == [("FM003", 1, 1)]
    assert messages(result) == ["required field 'videoId' is missing"]


def test_fm003_empty_front_matter_misses_both(vault):
    result = vault({"a.md": fm("")}, **FM)
    assert codes(result) == [("FM003", 1, 1), ("FM003", 1, 1)]
    assert sorted(messages(result)) == ["required field 'title' is missing", "required field 'videoId' is missing"]


def test_fm003_near_miss_both_present(vault):
    result = vault({"a.md": fm(OK)}, **FM)
    assert codes(result) == []


# -- FM004 -----------------------------------------------------------------


def test_fm004_video_id_read_as_a_number_says_to_quote_it(vault):
    result = vault({"a.md": fm("title: A note\nvideoId: 12345678901\n")}, **FM)
    assert codes(result) == [("FM004", 3, 10)]
    assert messages(result) == [
        "'videoId' is read by YAML as a number (12345678901); quote it: videoId: \"12345678901\""
    ]


def test_fm004_near_miss_quoted_numeric_video_id(vault):
    result = vault({"a.md": fm('title: A note\nvideoId: "12345678901"\n')}, **FM)
    assert codes(result) == []


def test_fm004_title_yes_is_a_boolean(vault):
    result = vault({"a.md": fm("title: yes\nvideoId: abcdefghijk\n")}, **FM)
    assert codes(result) == [("FM004", 2, 8)]
    assert "boolean" in messages(result)[0] and 'quote it: title: "yes"' in messages(result)[0]


def test_fm004_title_with_white_space_inside_quotes_has_a_safe_fix(vault):
    text = fm('title: " Padded title "\nvideoId: abcdefghijk\n')
    result = vault({"a.md": text}, **FM)
    assert codes(result) == [("FM004", 2, 8)]
    f = the(result, "FM004")
    assert f.message == "'title' has white space around it: ' Padded title '"
    assert f.fix is not None and f.fix.safe
    assert apply_fix(text, f.fix) == fm('title: "Padded title"\nvideoId: abcdefghijk\n')


def test_fm004_multi_line_title(vault):
    result = vault({"a.md": fm("title: |\n  two\n  lines\nvideoId: abcdefghijk\n")}, **FM)
    assert codes(result) == [("FM004", 2, 8)]
    assert messages(result) == ["'title' must be a single line"]
    assert the(result, "FM004").fix is None


def test_fm004_empty_title(vault):
    result = vault({"a.md": fm("title:\nvideoId: abcdefghijk\n")}, **FM)
    assert codes(result) == [("FM004", 2, 7)]
    assert "'title' is empty" in messages(result)[0]


def test_fm004_video_id_of_the_wrong_length(vault):
    result = vault({"a.md": fm("title: A note\nvideoId: abcdefghij\n")}, **FM)
    assert codes(result) == [("FM004", 3, 10)]
    assert "'abcdefghij'" in messages(result)[0]


def test_fm004_duration_read_as_a_base_60_number(vault):
    # YAML 1.1: 10:02:03 is the sexagesimal integer 36123
    result = vault({"a.md": fm(OK + "duration: 10:02:03\n")}, **FM)
    assert codes(result) == [("FM004", 4, 11)]
    assert messages(result) == ["'duration' is read by YAML as a number (36123); quote it: duration: \"10:02:03\""]


def test_fm004_duration_01_02_03_unquoted_stays_a_string(vault):
    # YAML 1.1 base-60 integers start with 1-9: unquoted 01:02:03 is the string "01:02:03",
    # a valid duration (behaviour of PyYAML and of the YAML 1.1 resolver; see FM004's doc page).
    result = vault({"a.md": fm(OK + "duration: 01:02:03\n")}, **FM)
    assert codes(result) == []


def test_fm004_duration_not_hh_mm_ss(vault):
    result = vault({"a.md": fm(OK + 'duration: "1:02"\n')}, **FM)
    assert codes(result) == [("FM004", 4, 11)]
    assert messages(result) == ["'duration' '1:02' must be an HH:MM:SS string"]


def test_fm004_alias_item_that_is_a_number(vault):
    result = vault({"a.md": fm(OK + "aliases: [one, 2]\n")}, **FM)
    assert codes(result) == [("FM004", 4, 10)]
    assert messages(result) == ["'aliases' must be a list of strings; item 2 is a number: quote it"]


# -- FM005 -----------------------------------------------------------------


def test_fm005_unknown_field(vault):
    result = vault({"a.md": fm(OK + "author: me\n")}, **FM)
    assert codes(result) == [("FM005", 4, 1)]
    assert messages(result) == ["unknown field 'author'"]


@pytest.mark.parametrize("key, known", [("alias", "aliases"), ("tag", "tags"), ("Title", "title")])
def test_fm005_misspelt_field_gets_a_hint(vault, key, known):
    result = vault({"a.md": fm(f"title: A note\nvideoId: abcdefghijk\n{key}: [x]\n")}, **FM)
    assert codes(result) == [("FM005", 4, 1)]
    assert messages(result) == [f"unknown field '{key}'; did you mean '{known}'?"]


def test_fm005_misspelt_required_field(vault):
    result = vault({"a.md": fm("title: A note\nvideoid: abcdefghijk\n")}, **FM)
    assert codes(result) == [("FM003", 1, 1), ("FM005", 3, 1)]
    assert messages(result)[1] == "unknown field 'videoid'; did you mean 'videoId'?"


def test_fm005_near_miss_allow_extra_fields(vault):
    result = vault({"a.md": fm(OK + "author: me\n")}, allow_extra_fields=True, **FM)
    assert codes(result) == []


def test_fm005_near_miss_field_declared_by_the_user_schema(vault):
    schema = {"type": "object", "properties": {"author": {"type": "string"}}}
    result = vault({"a.md": fm(OK + "author: me\nsource: x\n")}, user_schema=schema, **FM)
    # 'author' is declared, 'source' is not
    assert codes(result) == [("FM005", 5, 1)]
    assert messages(result) == ["unknown field 'source'"]


def test_fm005_near_miss_known_optional_fields(vault):
    text = fm(OK + 'aliases: [Other name]\ntags: [a, b]\nduration: "00:42:10"\n')
    result = vault({"a.md": text}, **FM)
    assert codes(result) == []


# -- FM006 -----------------------------------------------------------------


def test_fm006_duplicate_key_at_the_second_key(vault):
    result = vault({"a.md": fm("title: First\nvideoId: abcdefghijk\n  \ntitle: Second\n")}, **FM)
    assert codes(result) == [("FM006", 5, 1)]
    assert messages(result) == ["duplicate key 'title': YAML keeps only the last value"]


def test_fm006_near_miss_same_word_in_a_value(vault):
    result = vault({"a.md": fm("title: title\nvideoId: abcdefghijk\n")}, **FM)
    assert codes(result) == []


# -- FM007 -----------------------------------------------------------------

SCHEMA = {
    "type": "object",
    "required": ["duration"],
    "properties": {
        "tags": {"type": "array", "items": {"enum": ["bridges", "bees"]}},
        "title": {"maxLength": 20},
    },
}


def test_fm007_one_finding_per_error_with_its_json_path(vault):
    text = fm("title: A title that is far too long\nvideoId: abcdefghijk\ntags: [bees, wasps]\n")
    result = vault({"a.md": text}, user_schema=SCHEMA, select=["FM007"])
    assert codes(result) == [("FM007", 1, 1), ("FM007", 2, 1), ("FM007", 4, 1)]
    assert messages(result) == [
        "$: 'duration' is a required property",
        "$.title: 'A title that is far too long' is too long",
        "$.tags[1]: 'wasps' is not one of ['bridges', 'bees']",
    ]


def test_fm007_near_miss_front_matter_that_satisfies_the_schema(vault):
    text = fm('title: Short\nvideoId: abcdefghijk\ntags: [bees]\nduration: "00:10:00"\n')
    result = vault({"a.md": text}, user_schema=SCHEMA, **FM)
    assert codes(result) == []


def test_fm007_near_miss_no_user_schema(vault):
    result = vault({"a.md": fm(OK)}, select=["FM007"])
    assert codes(result) == []


# -- FM008 -----------------------------------------------------------------


def test_fm008_second_block_in_the_body(vault):
    body = f"A claim {C}.\n\n---\ntitle: Another title\nvideoId: abcdefghijk\n---\n\nMore {C}.\n"
    result = vault({"a.md": note(body)}, select=["FM", "CL"])
    # reported once, at its opening '---'; its key lines are not claims (no CL001)
    assert codes(result) == [("FM008", 10, 1)]


def test_fm008_second_block_left_unclosed(vault):
    body = f"A claim {C}.\n\n---\ntitle: Another title\n\nMore {C}.\n"
    result = vault({"a.md": note(body)}, **FM)
    assert codes(result) == [("FM008", 10, 1)]


def test_fm008_near_miss_thematic_break_then_prose(vault):
    body = f"A claim {C}.\n\n---\nNote: this is ordinary prose {C}.\n\n---\n\nMore prose {C}.\n"
    result = vault({"a.md": note(body)}, **FM)
    assert codes(result) == []


def test_fm008_near_miss_inside_a_fenced_code_block(vault):
    body = f"A claim {C}.\n\n```yaml\n---\ntitle: Example\nvideoId: abcdefghijk\n---\n```\n"
    result = vault({"a.md": note(body)}, **FM)
    assert codes(result) == []


@pytest.mark.parametrize(
    "yaml",
    [
        'title: "A note"\nvideoId: abcdefghijk\n',
        "title: 'A note: subtitle'\nvideoId: a_b-c_d-e_f\n",
        'title: Ünïcode tïtle\nvideoId: abcdefghijk\naliases:\n  - one\n  - two\ntags: []\n',
    ],
)
def test_fm_near_miss_valid_front_matter(vault, yaml):
    result = vault({"a.md": fm(yaml)}, **FM)
    assert codes(result) == []
