"""Per-video data: what notelint knows of a video besides the notes on it.

Today: its length, from the videos file named in the configuration
(``videos = "videos.json"``, a JSON object or a CSV/TSV with the columns
``videoId`` and ``duration``). Later: its transcript. Rules, the vault index
and the audit ask :class:`VideoData`; nothing is read before it is asked for.

A note's cached result depends on its own video's data only:
:meth:`VideoData.digest` is that dependency key, stored with the note in the
cache, so editing one video's entry re-checks only that video's notes.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from .document import parse_time
from .config.limits import VIDEOS_CAP
from .errors import ConfigError
from .readfile import FileTooLarge, read_regular


class VideoData:
    """Durations by videoId, read lazily from the videos file (if any). Picklable: workers get a copy."""

    def __init__(self, videos_file: Path | None = None, durations: dict[str, int] | None = None):
        self.videos_file = videos_file
        self._durations: dict[str, int] | None = durations

    @classmethod
    def from_settings(cls, settings) -> VideoData:
        return cls(settings.videos_file)

    def load(self) -> None:
        """Read the videos file now (a :class:`ConfigError` when it is bad)."""
        if self._durations is None:
            self._durations = load_videos(self.videos_file) if self.videos_file is not None else {}

    @property
    def durations(self) -> dict[str, int]:
        self.load()
        assert self._durations is not None
        return self._durations

    def duration(self, video_id: str | None) -> int | None:
        """The video's length in seconds, when the videos file gives it."""
        if not video_id or self.videos_file is None:
            return None
        return self.durations.get(video_id)

    def digest(self, video_id: str | None) -> bytes:
        """What a note on ``video_id`` depends on: a digest of that video's data (``b""``: none)."""
        duration = self.duration(video_id)
        if duration is None:
            return b""
        return hashlib.blake2b(f"{video_id}\0{duration}".encode(), digest_size=8).digest()


def load_videos(path: Path) -> dict[str, int]:
    """videoId -> duration in seconds, from a JSON object or a CSV/TSV with videoId,duration."""
    try:
        text = read_regular(path, VIDEOS_CAP[0]).decode("utf-8")
    except FileTooLarge as exc:
        raise ConfigError(f"{path}: cannot read videos file: {exc.over(VIDEOS_CAP[1])}") from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise ConfigError(f"{path}: cannot read videos file: {reason}") from None
    rows: list[tuple[str, Any]]
    if path.suffix == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"{path}: invalid JSON: {exc}") from None
        if not isinstance(data, dict):
            raise ConfigError(f"{path}: the videos file must map videoId to duration")
        rows = list(data.items())
    else:
        import csv

        delim = "\t" if path.suffix == ".tsv" else ","
        reader = csv.DictReader(text.splitlines(), delimiter=delim)
        if not reader.fieldnames or "videoId" not in reader.fieldnames or "duration" not in reader.fieldnames:
            raise ConfigError(f"{path}: the videos file needs the columns videoId and duration")
        rows = [(r["videoId"], r["duration"]) for r in reader]
    out: dict[str, int] = {}
    for vid, dur in rows:
        if isinstance(dur, int) and not isinstance(dur, bool):
            out[str(vid)] = dur
        elif isinstance(dur, str) and parse_time(dur.strip()) is not None:
            out[str(vid)] = parse_time(dur.strip())  # type: ignore[assignment]
        else:
            raise ConfigError(f"{path}: duration of {vid!r} must be HH:MM:SS or seconds, got {dur!r}")
    return out
