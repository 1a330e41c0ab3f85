"""TS: citations, their times and citation groups.

Bodies built by ``note()`` start on line 8. ``Claim `` is 6 characters, so a
citation right after it starts at column 7. A citation written by ``cite()``
with an ``HH:MM:SS`` time is 56 characters long.
"""

from __future__ import annotations

import pytest

from conftest import apply_fix, cite, codes, messages, note, the

TS = {"select": ["TS"]}
A, B = cite("00:21:12"), cite("00:28:36")


def one(vault, body: str, **kw):
    return vault({"a.md": note(body)}, **{**TS, **kw})


# -- TS001 -----------------------------------------------------------------


def test_ts001_minutes_and_seconds_form(vault):
    text = note(f"Claim {cite('21:12')}.\n")
    result = vault({"a.md": text}, **TS)
    assert codes(result) == [("TS001", 8, 7)]
    f = the(result, "TS001")
    assert f.message == "malformed time: data-t '21:12' and label '21:12' is not HH:MM:SS (did you mean 00:21:12?)"
    assert f.fix is not None and f.fix.safe
    assert apply_fix(text, f.fix) == note(f"Claim {A}.\n")


def test_ts001_single_digit_hours(vault):
    text = note(f"Claim {cite('0:21:12')}.\n")
    result = vault({"a.md": text}, **TS)
    assert codes(result) == [("TS001", 8, 7)]
    assert apply_fix(text, the(result, "TS001").fix) == note(f"Claim {A}.\n")


def test_ts001_only_the_label_is_malformed(vault):
    text = note(f"Claim {cite('00:21:12', '21:12')}.\n")
    result = vault({"a.md": text}, **TS)
    # zero-padded, label and data-t agree: TS001 only, not TS002
    assert codes(result) == [("TS001", 8, 7)]
    assert the(result, "TS001").message.startswith("malformed time: label '21:12' is not HH:MM:SS")
    assert apply_fix(text, the(result, "TS001").fix) == note(f"Claim {A}.\n")


def test_ts001_minutes_over_59_has_no_fix(vault):
    result = one(vault, f"Claim {cite('00:75:00')}.\n")
    assert codes(result) == [("TS001", 8, 7)]
    assert messages(result)[0].endswith("minutes and seconds must be 00-59")
    assert the(result, "TS001").fix is None


def test_ts001_near_miss_well_formed(vault):
    assert codes(one(vault, f"Claim {A}.\n")) == []


def test_ts001_near_miss_inside_a_code_span(vault):
    result = one(vault, f"Write `{cite('21:12')}` like this {A}.\n")
    assert codes(result) == []


def test_ts001_near_miss_inside_a_fenced_code_block(vault):
    result = one(vault, f"Claim {A}.\n\n```html\n{cite('21:12')}\n```\n")
    assert codes(result) == []


# -- TS002 -----------------------------------------------------------------


def test_ts002_data_t_and_label_disagree(vault):
    result = one(vault, f"Claim {cite('00:21:12', '00:12:21')}.\n")
    assert codes(result) == [("TS002", 8, 7)]
    assert messages(result) == ["data-t '00:21:12' and label [00:12:21] disagree"]
    assert the(result, "TS002").fix is None


def test_ts002_near_miss_labels_that_agree_after_zero_padding(vault):
    result = one(vault, f"Claim {cite('0:21:12', '00:21:12')}.\n")
    assert [c for c, *_ in codes(result)] == ["TS001"]


# -- TS003 -----------------------------------------------------------------


def test_ts003_descending_group_with_fix(vault):
    text = note(f"Claim {B}, {A}.\n")
    result = vault({"a.md": text}, **TS)
    assert codes(result) == [("TS003", 8, 65)]  # 7 + 56 + len(", ")
    f = the(result, "TS003")
    assert f.message == "citation group not in ascending order: [00:21:12] comes after [00:28:36]"
    assert f.fix is not None and f.fix.safe
    assert apply_fix(text, f.fix) == note(f"Claim {A}, {B}.\n")


def test_ts003_descending_range(vault):
    text = note(f"Claim {B} - {A}.\n")
    result = vault({"a.md": text}, **TS)
    assert codes(result) == [("TS003", 8, 66)]
    assert apply_fix(text, the(result, "TS003").fix) == note(f"Claim {A} - {B}.\n")


def test_ts003_group_joined_by_and_and_en_dash(vault):
    c = cite("00:30:00")
    text = note(f"Claim {A} and {c} \u2013 {B}.\n")
    result = vault({"a.md": text}, **TS)
    assert codes(result) == [("TS003", 8, 127)]  # 7 + 56 + len(" and ") + 56 + len(" – ")
    assert apply_fix(text, the(result, "TS003").fix) == note(f"Claim {A} and {B} \u2013 {c}.\n")


def test_ts003_no_fix_when_a_time_in_the_group_is_malformed(vault):
    result = one(vault, f"Claim {B}, {cite('21:12')}, {A}.\n")
    # 7 + 56 + len(", ") + 50 + len(", ")
    assert codes(result) == [("TS001", 8, 65), ("TS003", 8, 117)]
    f = the(result, "TS003")
    assert f.message == "citation group not in ascending order: [00:21:12] after a later time"
    assert f.fix is None


def test_ts003_near_miss_ascending_range(vault):
    assert codes(one(vault, f"Claim {A} - {B}.\n")) == []


def test_ts003_near_miss_citations_separated_by_prose_are_not_a_group(vault):
    assert codes(one(vault, f"Claim {B} and then more prose {A}.\n")) == []


def test_ts003_near_miss_citations_in_separate_blocks(vault):
    assert codes(one(vault, f"Claim {B}.\n\nClaim {A}.\n")) == []


# -- TS004 -----------------------------------------------------------------


def test_ts004_same_time_twice_in_a_group_with_fix(vault):
    text = note(f"Claim {A}, {A}.\n")
    result = vault({"a.md": text}, **TS)
    assert codes(result) == [("TS004", 8, 65)]
    f = the(result, "TS004")
    assert f.message == "time 00:21:12 is cited twice in one group"
    assert f.fix is not None and f.fix.safe
    assert apply_fix(text, f.fix) == note(f"Claim {A}.\n")


def test_ts004_near_miss_same_time_in_two_groups(vault):
    assert codes(one(vault, f"Claim {A}. Another claim {A}.\n")) == []


# -- TS005 -----------------------------------------------------------------

DURATION_HEAD = '---\ntitle: A note\nvideoId: abcdefghijk\nduration: "00:42:10"\n---\n\nFrom: [[chan]] <br/>\n\n'


def test_ts005_after_the_front_matter_duration(vault):
    text = note(f"Claim {cite('00:51:03')}.\n", header=DURATION_HEAD)
    result = vault({"a.md": text}, **TS)
    assert codes(result) == [("TS005", 9, 7)]
    assert messages(result) == ["cited time 00:51:03 is after the end of the video (00:42:10)"]


def test_ts005_after_a_duration_from_settings(vault):
    result = one(vault, f"Claim {cite('00:51:03')}.\n", durations={"abcdefghijk": 42 * 60 + 10})
    assert codes(result) == [("TS005", 8, 7)]


def test_ts005_near_miss_at_the_very_end(vault):
    text = note(f"Claim {cite('00:42:10')}.\n", header=DURATION_HEAD)
    assert codes(vault({"a.md": text}, **TS)) == []


def test_ts005_near_miss_duration_of_another_video(vault):
    result = one(vault, f"Claim {cite('00:51:03')}.\n", durations={"zzzzzzzzzzz": 60})
    assert codes(result) == []


def test_ts005_near_miss_duration_unknown(vault):
    assert codes(one(vault, f"Claim {cite('09:51:03')}.\n")) == []


# -- TS006 -----------------------------------------------------------------


def test_ts006_bare_label(vault):
    result = one(vault, "Claim [00:21:12].\n")
    assert codes(result) == [("TS006", 8, 7)]
    assert messages(result) == ['bare label [00:21:12] without its <a class="yt-timestamp"> anchor']


def test_ts006_anchor_without_data_t(vault):
    result = one(vault, 'Claim <a class="yt-timestamp">[00:21:12]</a>.\n')
    assert codes(result) == [("TS006", 8, 7)]
    assert messages(result) == ["broken citation: anchor has no data-t attribute"]


def test_ts006_empty_label(vault):
    result = one(vault, 'Claim <a class="yt-timestamp" data-t="00:21:12">[]</a>.\n')
    assert codes(result) == [("TS006", 8, 7)]
    assert messages(result) == ["broken citation: anchor has an empty label"]


def test_ts006_unclosed_anchor_tag(vault):
    result = one(vault, 'Claim <a class="yt-timestamp" data-t="00:21:12" [00:21:12]</a>.\n')
    assert codes(result) == [("TS006", 8, 7)]
    assert messages(result) == ["broken citation: unclosed <a class=\"yt-timestamp\" tag: '>' is missing"]


def test_ts006_anchor_without_closing_a_is_one_finding(vault):
    # the label belongs to the broken anchor: it is not reported again as a bare label
    result = one(vault, f'Claim <a class="yt-timestamp" data-t="00:21:12">[00:21:12]\n\nNext {A}.\n')
    assert codes(result) == [("TS006", 8, 7)]
    assert messages(result) == ["broken citation: anchor is not closed with </a>"]


def test_ts006_wrong_class(vault):
    result = one(vault, 'Claim <a class="timestamp" data-t="00:21:12">[00:21:12]</a>.\n')
    assert codes(result) == [("TS006", 8, 7)]
    assert messages(result) == ["broken citation: anchor has class 'timestamp', not 'yt-timestamp'"]


def test_ts006_time_inside_a_wiki_link_alias(vault):
    result = one(vault, "See [[x | (Reference 00:01:22)]].\n")
    assert codes(result) == [("TS006", 8, 5)]
    assert messages(result) == [
        "time written inside a wiki-link alias ('(Reference 00:01:22)') instead of a citation"
    ]


def test_ts006_near_miss_wiki_link_alias_without_a_time(vault):
    assert codes(one(vault, f"See [[x | Reference]] {A}.\n")) == []


def test_ts006_near_miss_bracketed_text_that_is_no_time(vault):
    assert codes(one(vault, f"Claim [see](https://example.org) [1] [a:b] {A}.\n")) == []


def test_ts006_near_miss_bare_label_inside_a_code_span(vault):
    assert codes(one(vault, f"Write `[00:21:12]` for a label {A}.\n")) == []


def test_ts006_near_miss_label_in_an_html_comment(vault):
    assert codes(one(vault, f"Claim {A} <!-- was [00:21:10] -->.\n")) == []


# -- TS007 -----------------------------------------------------------------

VIDEO = "vidvidvid01"
SIBLING_TIMES = [("00:01:10", "00:05:31", "00:10:00"), ("00:02:17", "00:08:45", "00:14:20"), ("00:00:12", "00:07:09", "00:12:00")]


def video_notes(extra_body: str, video: str = VIDEO, n_others: int = 2, header: str | None = None) -> dict[str, str]:
    """Notes on one video: ``n_others`` siblings citing three times each (up to 00:14:20), and z.md."""
    files = {
        f"n{i}.md": note("".join(f"Claim {cite(t)}.\n\n" for t in times), title=f"N{i}", video=VIDEO)
        for i, times in enumerate(SIBLING_TIMES[:n_others])
    }
    files["z.md"] = note(extra_body, title="Z", video=video, header=header)
    return files


def test_ts007_time_scale_outlier(vault):
    result = vault(video_notes(f"Claim {cite('00:05:00')}, {cite('10:53:00')}.\n"), **TS)
    assert codes(result) == [("TS007", 8, 65)]
    f = the(result, "TS007")
    assert f.path.endswith("z.md")
    assert f.message == (
        "1 of 2 cited times are on the wrong scale (10:53:00): 10:53:00 is more than 3 times the latest time cited "
        "by the 2 other notes on video vidvidvid01 (00:14:20); did you mean 00:10:53?"
    )
    assert f.fix is None


def test_ts007_minutes_repeated_as_seconds(vault):
    result = vault(video_notes(f"Claim {cite('16:06:06')}.\n", n_others=3), **TS)
    assert codes(result) == [("TS007", 8, 7)]
    assert the(result, "TS007").message.endswith("; did you mean 00:16:06?")


def test_ts007_near_miss_exactly_three_times(vault):
    result = vault(video_notes(f"Claim {cite('00:43:00')}.\n"), **TS)  # 3 x 00:14:20
    assert codes(result) == []


def test_ts007_just_over_three_times(vault):
    result = vault(video_notes(f"Claim {cite('00:43:01')}.\n"), **TS)
    assert codes(result) == [("TS007", 8, 7)]


def test_ts007_near_miss_only_one_other_note(vault):
    result = vault(video_notes(f"Claim {cite('10:53:00')}.\n", n_others=1), **TS)
    assert codes(result) == []


def test_ts007_near_miss_another_video(vault):
    result = vault(video_notes(f"Claim {cite('10:53:00')}.\n", video="othervideo1"), **TS)
    assert codes(result) == []


def test_ts007_near_miss_duration_known_from_settings(vault):
    # with the length known, TS005 decides instead
    result = vault(video_notes(f"Claim {cite('10:53:00')}.\n"), durations={VIDEO: 3600}, **TS)
    assert codes(result) == [("TS005", 8, 7)]


def test_ts007_near_miss_duration_in_the_note(vault):
    head = f'---\ntitle: Z\nvideoId: {VIDEO}\nduration: "01:00:00"\n---\n\nFrom: [[chan]] <br/>\n\n'
    assert codes(vault(video_notes(f"Claim {cite('00:50:00')}.\n", header=head), **TS)) == []


WRONG_SCALE = ["02:44:00", "05:46:00", "09:24:00", "13:15:00", "25:05:00", "35:46:00", "51:40:00"]


def wrong_scale_body(times=WRONG_SCALE) -> str:
    return "".join(f"Claim {cite(t)}.\n\n" for t in times)


def test_ts007_a_note_on_the_wrong_scale_is_one_finding_with_its_count_and_a_fix(vault):
    # no other note on the video: the note's own pattern (every time ends in :00, up to 51 hours) says it
    text = note(wrong_scale_body())
    result = vault({"z.md": text}, **TS)
    assert codes(result) == [("TS007", 8, 7)]
    f = the(result, "TS007")
    assert f.message == (
        "7 of 7 cited times are on the wrong scale (02:44:00, 05:46:00, 09:24:00, …): MM:SS written as HH:MM:SS "
        "(did you mean 00:02:44 for 02:44:00?)"
    )
    assert f.fix is not None and not f.fix.safe
    assert apply_fix(text, f.fix) == note(wrong_scale_body(["00:02:44", "00:05:46", "00:09:24", "00:13:15",
                                                            "00:25:05", "00:35:46", "00:51:40"]))


def test_ts007_a_wrong_scale_sibling_does_not_hide_another(vault):
    # artedeinvertir/peter_lynchs_views_on_market_crashes.md: a sibling citing up to 58:23:14 hid it
    files = video_notes(wrong_scale_body(["00:00:20", *WRONG_SCALE[:4]]), n_others=2)
    files["bad.md"] = note(wrong_scale_body(["04:03:01", "13:15:28", "35:40:48", "58:23:14"]), title="Bad", video=VIDEO)
    result = vault(files, **TS)
    assert [(f.path, f.line) for f in result.findings] == [("bad.md", 8), ("z.md", 10)]
    z = [f for f in result.findings if f.path == "z.md"][0]
    assert z.message.startswith("4 of 5 cited times are on the wrong scale (02:44:00, 05:46:00, 09:24:00, …)")
    assert z.message.endswith("; the 2 other notes on video vidvidvid01 cite up to 00:14:20")
    assert z.fix is None  # 00:00:20 is not on the wrong scale: not the whole note


def test_ts007_past_the_ceiling_without_other_notes(vault):
    result = vault({"z.md": note(f"Claim {cite('00:05:10')}, {cite('13:02:11')}.\n")}, **TS)
    assert messages(result) == ["1 of 2 cited times are on the wrong scale (13:02:11): 13:02:11 is past 12:00:00, longer than any video"]


def test_ts007_near_miss_rounded_times_of_a_long_video(vault):
    # every time ends in :00, but the note stays under 6 hours and no other note says otherwise
    result = vault({"z.md": note(wrong_scale_body(["00:12:00", "00:48:00", "01:24:00", "02:10:00", "02:58:00"]))}, **TS)
    assert codes(result) == []


def test_ts007_near_miss_a_label_naming_another_time_is_ts002s(vault):
    result = vault(video_notes(f"Claim {cite('13:42:00', '00:13:42')}.\n"), **TS)
    assert codes(result) == [("TS002", 8, 7)]


def test_ts004_near_miss_a_code_span_between_two_lines_is_no_separator(vault):
    assert codes(one(vault, f"`a = b` {A}\n`c = d` {A}\n")) == []


def test_ts004_a_runaway_repetition_is_one_finding_with_its_count(vault):
    text = note("Claim " + ", ".join([A] * 2080) + f", {B}.\n")
    result = vault({"a.md": text}, **TS)
    assert codes(result) == [("TS004", 8, 65)]
    f = the(result, "TS004")
    assert f.message == "time 00:21:12 is cited 2080 times in one group"
    assert apply_fix(text, f.fix) == note(f"Claim {A}, {B}.\n")


def test_ts004_one_finding_per_repeated_time(vault):
    result = vault({"a.md": note(f"Claim {A}, {B}, {A}, {B}, {A}.\n")}, **TS)
    assert messages(result, "TS004") == ["time 00:21:12 is cited 3 times in one group", "time 00:28:36 is cited twice in one group"]


def test_ts002_near_miss_a_data_t_that_is_no_time_is_only_ts001(vault):
    # lennyspodcast/impact_of_creative_destruction_on_career_opportunities.md: data-t="00:40:16]"
    result = vault({"a.md": note(f"Claim {cite('00:40:16]', '00:40:16')}.\n")}, **TS)
    assert [c for c, _, _ in codes(result)] == ["TS001"]


def test_ts002_says_when_data_t_is_the_label_on_the_wrong_scale(vault):
    result = vault({"a.md": note(f"Claim {cite('13:42:00', '00:13:42')}.\n")}, **TS)
    assert messages(result) == [
        "data-t '13:42:00' and label [00:13:42] disagree: the data-t is the other written on the wrong scale "
        "(HH:MM:SS for 00:HH:MM)"
    ]


@pytest.mark.parametrize("body, message", [
    ("Claim [00:03:54, 00:04:05].", "times [00:03:54, 00:04:05] written as a bracketed list instead of one citation each"),
    ("Claim [00:23:44 - 00:23:51].", "time range [00:23:44 - 00:23:51] written in brackets instead of two citations"),
    ("Claim [50:15:50:30].", "[50:15:50:30] is no time: two times run together? Write each as a citation"),
    ("Claim (12:34).", "time (12:34) written in parentheses instead of a citation"),
    ("Claim [bone loss](00:01:52).", "time (00:01:52) written as a Markdown link's address instead of a citation"),
    ("Claim [00:01:16](00:01:16).", "time [00:01:16] written as a Markdown link's text instead of a citation"),
    ("Claim [[00:50:02]].", "time written as a wiki-link [[00:50:02]] instead of a citation"),
    ('Claim <a class="yt-timestamp" data-t="00:37:02">[[00:37:02]]</a>.',
     "broken citation: label '[[00:37:02]]' is not in brackets"),
])
def test_ts006_times_in_forms_that_are_no_citation_one_finding_each(vault, body, message):
    result = vault({"a.md": note(body + "\n")}, select=["TS", "CL", "WL"], external_targets=["chan"])
    assert [(c, line) for c, line, _ in codes(result)] == [("TS006", 8)]  # and no CL001, no WL001/WL002
    assert messages(result) == [message]


def test_ts006_fix_of_a_bracketed_list(vault):
    text = note("Claim [00:03:54, 0:04:05].\n")
    f = the(vault({"a.md": text}, **TS), "TS006")
    assert apply_fix(text, f.fix) == note(f"Claim {cite('00:03:54')}, {cite('00:04:05')}.\n")


def test_ts006_near_miss_ratios_and_times_of_day_in_prose(vault):
    assert codes(one(vault, f"A 16:9 screen (16:9) at 9:30 {A}.\n")) == []
