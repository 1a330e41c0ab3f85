"""Transcript loading: each format, and every malformed form as one clear TranscriptError."""

from __future__ import annotations

import json
import os

import pytest

from notelint.transcripts.load import (
    Cue,
    TranscriptError,
    load_transcript,
    parse_transcript,
)

pytest.importorskip("srt")
pytest.importorskip("webvtt")

SRT = """1
00:00:14,640 --> 00:00:17,395
When I first learned about Taylor series, I definitely

2
00:00:17,395 --> 00:00:19,700
didn't appreciate just how important they are.
"""

# WebVTT as yt-dlp writes YouTube's auto-captions: each cue repeats the line
# shown before it, words carry inline timestamps, and a 10 ms cue repeats the text.
AUTO_VTT = """WEBVTT
Kind: captions
Language: en

00:00:00.000 --> 00:00:02.310 align:start position:0%
 
so<00:00:00.400><c> today</c><00:00:00.800><c> we</c><00:00:01.000><c> talk</c>

00:00:02.310 --> 00:00:02.320 align:start position:0%
so today we talk
 

00:00:02.320 --> 00:00:05.000 align:start position:0%
so today we talk
about<00:00:02.900><c> limits</c><00:00:03.500><c> and</c><00:00:04.000><c> derivatives</c>

00:00:05.000 --> 00:00:05.010 align:start position:0%
about limits and derivatives
 
"""


def test_srt(tmp_path):
    path = tmp_path / "abcdefghijk.srt"
    path.write_text(SRT, encoding="utf-8")
    t = load_transcript(path)
    assert t.cues == (
        Cue(14.64, 17.395, "When I first learned about Taylor series, I definitely"),
        Cue(17.395, 19.7, "didn't appreciate just how important they are."),
    )
    assert t.end == 19.7
    assert t.source == str(path)


def test_srt_with_bom_and_crlf():
    data = ("\ufeff" + SRT).replace("\n", "\r\n").encode("utf-8")
    t = parse_transcript(data, "srt", "x.srt")
    assert [c.start for c in t.cues] == [14.64, 17.395]


def test_youtube_auto_captions_drop_rolling_repeats():
    t = parse_transcript(AUTO_VTT.encode(), "vtt", "auto.vtt")
    assert t.cues == (
        Cue(0.0, 2.31, "so today we talk"),
        Cue(2.32, 5.0, "about limits and derivatives"),
    )


def test_plain_vtt_keeps_every_cue():
    data = b"WEBVTT\n\n00:01.000 --> 00:02.500\nHello <b>there</b>\n\n00:02.500 --> 00:04.000\nHello again\n"
    t = parse_transcript(data, "vtt", "p.vtt")
    assert t.cues == (Cue(1.0, 2.5, "Hello there"), Cue(2.5, 4.0, "Hello again"))


def test_transcript_api_json():
    data = json.dumps([{"text": "it&#39;s e", "start": 1.5, "duration": 2.0}, {"text": "pi", "start": 0.2, "duration": 1}])
    t = parse_transcript(data.encode(), "json", "a.json")
    assert t.cues == (Cue(0.2, 1.2, "pi"), Cue(1.5, 3.5, "it's e"))


def test_whisper_json():
    data = json.dumps({"text": "x", "segments": [{"id": 0, "start": 0.0, "end": 4.2, "text": " Hello\nworld "}]})
    t = parse_transcript(data.encode(), "json", "w.json")
    assert t.cues == (Cue(0.0, 4.2, "Hello world"),)


@pytest.mark.parametrize(
    "data, fmt, message",
    [
        (b"1\n00:00:01,000 --> 00:0x:02,000\nhi\n", "srt", "v.x: not valid SRT at line 1: '1\\n00:00:01,000 --> 00:0x:02,000\\nhi'"),
        (b"not a vtt\n", "vtt", "v.x: not valid WebVTT (no WEBVTT header)"),
        (b"WEBVTT\n\n00:00:01.000 --> 00:00:99.000\nhi\n", "vtt", "v.x: no cue with text"),
        (b'[{"text":"a","start":1}]', "json", "v.x: segment 1: 'duration' is missing or not a number"),
        (b'{"segments":[{"start":1,"end":2,"text":3}]}', "json", "v.x: segment 1: 'text' is missing or not a string"),
        (b'[{"text":"a","start":true,"duration":1}]', "json", "v.x: segment 1: 'start' is missing or not a number"),
        (b'[{"text":"a","start":-1,"duration":1}]', "json", "v.x: segment 1: times must be finite and not negative"),
        (b'[{"text":"a","start":1e400,"duration":1}]', "json", "v.x: segment 1: times must be finite and not negative"),
        (b"[3]", "json", "v.x: segment 1 is not an object"),
        (
            b'{"a":1}',
            "json",
            'v.x: not a transcript: expected a list of segments (youtube-transcript-api) or an object with "segments" (Whisper)',
        ),
        (b"[1,", "json", "v.x: not valid JSON: Expecting value: line 1 column 4 (char 3)"),
        (b"[]", "json", "v.x: no cue with text"),
        (b"\xff\xfe", "srt", "v.x: not valid UTF-8 (byte 0xff at offset 0)"),
        (b"  \n", "srt", "v.x: empty file"),
        (b"a\x00b", "vtt", "v.x: binary file (NUL byte at offset 1)"),
        (b"x", "txt", "v.x: unknown transcript format 'txt'; expected srt, vtt or json"),
    ],
)
def test_malformed(data, fmt, message):
    with pytest.raises(TranscriptError) as err:
        parse_transcript(data, fmt, "v.x")
    assert str(err.value) == message


def test_deeply_nested_json_is_an_error_not_a_crash():
    with pytest.raises(TranscriptError, match=r"^v\.x: not valid JSON: maximum recursion depth exceeded"):
        parse_transcript(b"[" * 100_000, "json", "v.x")


def test_file_errors(tmp_path):
    big = tmp_path / "big.srt"
    big.write_text(SRT, encoding="utf-8")
    with pytest.raises(TranscriptError) as err:
        load_transcript(big, max_bytes=10)
    assert str(err.value) == f"{big}: too large ({big.stat().st_size} bytes; the limit is 10)"

    with pytest.raises(TranscriptError) as err:
        load_transcript(tmp_path)
    assert str(err.value) == f"{tmp_path}: unknown transcript format '(no suffix)'; expected .srt, .vtt or .json"

    folder = tmp_path / "dir.srt"
    folder.mkdir()
    with pytest.raises(TranscriptError) as err:
        load_transcript(folder)
    assert str(err.value) == f"{folder}: not a regular file"

    missing = tmp_path / "missing.vtt"
    with pytest.raises(TranscriptError) as err:
        load_transcript(missing)
    assert str(err.value) == f"{missing}: cannot be read (No such file or directory)"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_is_not_read(tmp_path):
    fifo = tmp_path / "pipe.srt"
    os.mkfifo(fifo)
    with pytest.raises(TranscriptError) as err:
        load_transcript(fifo)
    assert str(err.value) == f"{fifo}: not a regular file"
