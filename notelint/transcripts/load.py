"""Read one transcript file into a typed list of cues.

Formats, chosen by the file's suffix:

- ``.srt``: SubRip, parsed with the ``srt`` library.
- ``.vtt``: WebVTT as YouTube and yt-dlp give it, parsed with ``webvtt-py``
  (the library the note generator read captions with). Auto-captions roll:
  each cue repeats the line shown before it, and a 10 ms cue repeats the
  whole text. The repeated lines are dropped so that no words count twice;
  every cue that brings new words keeps its own start, as webvtt-py gives it.
- ``.json``: the segment list of youtube-transcript-api
  (``[{"text", "start", "duration"}]``) or Whisper's output
  (``{"segments": [{"start", "end", "text"}]}``).

Anything that cannot be read (not a regular file, larger than the cap, not
UTF-8, malformed, no cue with text) is one :class:`TranscriptError` whose
message names the file and says why. Nothing here raises anything else.
"""

from __future__ import annotations

import html
import io
import json
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..readfile import FileTooLarge, NotRegularFile, read_regular

DEFAULT_MAX_BYTES = 20_000_000  # a 10-hour transcript is about 1 MB of SRT
SUFFIXES = (".srt", ".vtt", ".json")


class TranscriptError(Exception):
    """A transcript that cannot be used; the message names the file and why."""


@dataclass(frozen=True, slots=True)
class Cue:
    """One caption cue: start and end in seconds, and its text on one line."""

    start: float
    end: float
    text: str


@dataclass(frozen=True, slots=True)
class Transcript:
    """The cues of one video's transcript, in start order."""

    source: str  # the file it was read from, for messages
    cues: tuple[Cue, ...]

    @property
    def end(self) -> float:
        """The end of the last cue: where the video's speech ends."""
        return max(cue.end for cue in self.cues)


def load_transcript(path: str | os.PathLike[str], max_bytes: int = DEFAULT_MAX_BYTES) -> Transcript:
    """Read the transcript at ``path``; its suffix says the format."""
    name = str(path)
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise TranscriptError(f"{name}: unknown transcript format {suffix or '(no suffix)'!r}; expected .srt, .vtt or .json")
    data = read_bytes(name, max_bytes)
    return parse_transcript(data, suffix[1:], name)


def read_bytes(name: str, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of the file ``name`` (a regular file of at most ``max_bytes``), or a TranscriptError."""
    try:
        return read_regular(name, max_bytes)  # a FIFO or device is refused without blocking
    except NotRegularFile:
        raise TranscriptError(f"{name}: not a regular file") from None
    except FileTooLarge as exc:
        if exc.size < 0:  # grew since stat
            raise TranscriptError(f"{name}: too large (over {max_bytes} bytes)") from None
        raise TranscriptError(f"{name}: too large ({exc.size} bytes; the limit is {max_bytes})") from None
    except OSError as exc:
        raise TranscriptError(f"{name}: cannot be read ({exc.strerror or exc})") from None


def parse_transcript(data: bytes, fmt: str, name: str = "<transcript>") -> Transcript:
    """Parse transcript bytes of format ``fmt`` (``srt``, ``vtt`` or ``json``)."""
    parsers = {"srt": _parse_srt, "vtt": _parse_vtt, "json": _parse_json}
    if fmt not in parsers:
        raise TranscriptError(f"{name}: unknown transcript format {fmt!r}; expected srt, vtt or json")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TranscriptError(f"{name}: not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})") from None
    nul = data.find(b"\x00")
    if nul != -1:
        raise TranscriptError(f"{name}: binary file (NUL byte at offset {nul})")
    if not text.strip():
        raise TranscriptError(f"{name}: empty file")
    cues = [cue for cue in parsers[fmt](text, name) if cue.text]
    if not cues:
        raise TranscriptError(f"{name}: no cue with text")
    cues.sort(key=lambda cue: (cue.start, cue.end))
    return Transcript(source=name, cues=tuple(cues))


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _cue(name: str, where: str, start: float, end: float, text: str) -> Cue:
    try:
        start, end = float(start), float(end)
    except OverflowError:
        raise TranscriptError(f"{name}: {where}: times must be finite and not negative") from None
    if not (math.isfinite(start) and math.isfinite(end)) or start < 0 or end < 0:
        raise TranscriptError(f"{name}: {where}: times must be finite and not negative")
    return Cue(start=start, end=max(start, end), text=_one_line(text))


# -- SubRip ---------------------------------------------------------------


def _parse_srt(text: str, name: str) -> list[Cue]:
    import srt

    try:
        subtitles = list(srt.parse(text))
    except srt.SRTParseError as exc:
        line = text.count("\n", 0, exc.expected_start) + 1
        raise TranscriptError(f"{name}: not valid SRT at line {line}: {exc.unmatched_content.strip()[:60]!r}") from None
    except ValueError as exc:  # srt.TimestampParseError
        raise TranscriptError(f"{name}: not valid SRT: {exc}") from None
    if not subtitles:
        raise TranscriptError(f"{name}: not valid SRT: no cue found")
    return [
        _cue(name, f"cue {i + 1}", sub.start.total_seconds(), sub.end.total_seconds(), sub.content)
        for i, sub in enumerate(subtitles)
    ]


# -- WebVTT ---------------------------------------------------------------


def _parse_vtt(text: str, name: str) -> list[Cue]:
    import webvtt
    from webvtt.errors import MalformedCaptionError, MalformedFileError

    try:
        captions = webvtt.from_buffer(io.StringIO(text)).captions
    except MalformedFileError:
        raise TranscriptError(f"{name}: not valid WebVTT (no WEBVTT header)") from None
    except (MalformedCaptionError, ValueError) as exc:
        raise TranscriptError(f"{name}: not valid WebVTT: {exc}") from None
    cues: list[Cue] = []
    shown: set[str] = set()  # the lines of the cue before: auto-captions repeat them
    for i, caption in enumerate(captions):
        lines = [_one_line(line) for line in caption.text.split("\n")]
        lines = [line for line in lines if line]
        new = [line for line in lines if line not in shown]
        shown = set(lines)
        start = _vtt_seconds(caption.start_time)
        end = _vtt_seconds(caption.end_time)
        cues.append(_cue(name, f"cue {i + 1}", start, end, " ".join(new)))
    return cues


def _vtt_seconds(stamp: Any) -> float:
    return stamp.hours * 3600 + stamp.minutes * 60 + stamp.seconds + stamp.milliseconds / 1000


# -- JSON -----------------------------------------------------------------


def _parse_json(text: str, name: str) -> list[Cue]:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise TranscriptError(f"{name}: not valid JSON: {exc}") from None
    if isinstance(data, list):
        return [_transcript_api_cue(name, i, item) for i, item in enumerate(data)]
    if isinstance(data, dict) and isinstance(data.get("segments"), list):
        return [_whisper_cue(name, i, item) for i, item in enumerate(data["segments"])]
    raise TranscriptError(
        f"{name}: not a transcript: expected a list of segments (youtube-transcript-api) "
        'or an object with "segments" (Whisper)'
    )


def _fields(name: str, where: str, item: object, keys: tuple[str, ...]) -> list[Any]:
    if not isinstance(item, dict):
        raise TranscriptError(f"{name}: {where} is not an object")
    values = []
    for key in keys:
        value = item.get(key)
        wanted_text = key == "text"
        if wanted_text and not isinstance(value, str):
            raise TranscriptError(f"{name}: {where}: {key!r} is missing or not a string")
        if not wanted_text and (isinstance(value, bool) or not isinstance(value, (int, float))):
            raise TranscriptError(f"{name}: {where}: {key!r} is missing or not a number")
        values.append(value)
    return values


def _transcript_api_cue(name: str, i: int, item: object) -> Cue:
    where = f"segment {i + 1}"
    text, start, duration = _fields(name, where, item, ("text", "start", "duration"))
    try:
        end = float(start) + float(duration)
    except OverflowError:
        end = math.inf
    return _cue(name, where, start, end, html.unescape(text))


def _whisper_cue(name: str, i: int, item: object) -> Cue:
    where = f"segment {i + 1}"
    text, start, end = _fields(name, where, item, ("text", "start", "end"))
    return _cue(name, where, start, end, text)
