"""Per-video data: what notelint knows of a video besides the notes on it.

- its length, from the videos file named in the configuration
  (``videos = "videos.json"``, a JSON object or a CSV/TSV with the columns
  ``videoId`` and ``duration``);
- its transcript, from the transcripts folder named in the configuration
  (``transcripts = "FOLDER"``, holding ``<videoId>.srt``, ``.vtt`` or
  ``.json``), read and indexed for scoring the first time a note on that
  video asks (:mod:`notelint.transcripts`).

Rules, the vault index and the audit ask :class:`VideoData`; nothing is read
before it is asked for. A note's cached result depends on its own video's
data only: :meth:`VideoData.digest` is that dependency key (the duration,
the transcript file's bytes and the transcript settings), stored with the
note in the cache, so editing one video's entry or transcript re-checks only
that video's notes.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .document import parse_time
from .config.limits import VIDEOS_CAP
from .errors import ConfigError
from .readfile import FileTooLarge, read_regular

if TYPE_CHECKING:
    from .transcripts.rules import Thresholds
    from .transcripts.score import VideoIndex, Windows

# a videoId names a file in the transcripts folder: nothing that could climb out of it
_SAFE_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
TRANSCRIPT_SUFFIXES = (".srt", ".vtt", ".json")  # the first one present wins
# caption cues kept indexed in one process, least recently used dropped first (about 160 bytes
# a cue: 40 MB; the 60 videos of the grounding corpus take 97,000); one transcript is always kept
CUES_KEPT = 250_000


@dataclass(frozen=True, slots=True)
class VideoTranscript:
    """A video's transcript as the rules see it: indexed, or why it cannot be used."""

    path: Path
    index: VideoIndex | None  # None when the file cannot be used
    error: str | None = None  # the file and why (a malformed transcript), when index is None


class VideoData:
    """Durations and transcripts by videoId, read lazily. Holds paths and settings; what it
    reads is kept per process and never pickled (a worker reads for itself)."""

    def __init__(
        self,
        videos_file: Path | None = None,
        durations: dict[str, int] | None = None,
        transcripts_dir: Path | None = None,
        transcript_window: float | None = None,
        transcript_thresholds: dict[str, Any] | None = None,
    ):
        self.videos_file = videos_file
        self._durations: dict[str, int] | None = durations
        self.transcripts_dir = transcripts_dir
        self.transcript_window = transcript_window
        self.transcript_thresholds = dict(transcript_thresholds or {})
        self._reset()

    def _reset(self) -> None:
        self._paths: dict[str, Path | None] = {}
        self._digests: dict[str, bytes] = {}
        self._indexes: OrderedDict[str, VideoTranscript] = OrderedDict()
        self._cues = 0  # in the indexes kept

    def __getstate__(self) -> dict[str, Any]:
        keep = ("videos_file", "_durations", "transcripts_dir", "transcript_window", "transcript_thresholds")
        return {k: self.__dict__[k] for k in keep}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._reset()

    @classmethod
    def from_settings(cls, settings) -> VideoData:
        return cls(
            settings.videos_file,
            transcripts_dir=getattr(settings, "transcripts_dir", None),
            transcript_window=getattr(settings, "transcript_window", None),
            transcript_thresholds=getattr(settings, "transcript_thresholds", None),
        )

    # -- durations ---------------------------------------------------------------------
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

    # -- transcripts -------------------------------------------------------------------
    def transcript_path(self, video_id: str | None) -> Path | None:
        """The video's transcript file in the transcripts folder, if there is one."""
        if self.transcripts_dir is None or not video_id or not _SAFE_ID.fullmatch(video_id):
            return None
        if video_id not in self._paths:
            found = None
            for suffix in TRANSCRIPT_SUFFIXES:
                candidate = self.transcripts_dir / f"{video_id}{suffix}"
                if candidate.exists():
                    found = candidate
                    break
            self._paths[video_id] = found
        return self._paths[video_id]

    def transcript(self, video_id: str | None) -> VideoTranscript | None:
        """The video's transcript, indexed for scoring; None when it has none."""
        path = self.transcript_path(video_id)
        if path is None:
            return None
        assert video_id is not None
        cached = self._indexes.get(video_id)
        if cached is not None:
            self._indexes.move_to_end(video_id)
            return cached
        from .transcripts.load import TranscriptError, parse_transcript, read_bytes
        from .transcripts.score import VideoIndex

        try:
            data = read_bytes(str(path))
            self._digests.setdefault(video_id, _file_digest(data))
            loaded = VideoTranscript(path, VideoIndex.build(parse_transcript(data, path.suffix[1:], str(path))))
        except TranscriptError as exc:
            self._digests.setdefault(video_id, _file_digest(str(exc).encode()))
            loaded = VideoTranscript(path, None, str(exc))
        self._indexes[video_id] = loaded
        self._cues += _cues(loaded)
        while self._cues > CUES_KEPT and len(self._indexes) > 1:
            self._cues -= _cues(self._indexes.popitem(last=False)[1])
        return loaded

    @property
    def thresholds(self) -> Thresholds:
        from .transcripts.rules import Thresholds

        return Thresholds(**self.transcript_thresholds)

    @property
    def windows(self) -> Windows:
        from .transcripts.score import Windows

        if self.transcript_window is None:
            return Windows()
        return Windows(before=self.transcript_window, after=self.transcript_window)

    def _transcript_digest(self, video_id: str) -> bytes:
        """A digest of the transcript file's bytes (of why it cannot be read), once per process."""
        if video_id not in self._digests:
            path = self.transcript_path(video_id)
            assert path is not None
            from .transcripts.load import TranscriptError, read_bytes

            try:
                self._digests[video_id] = _file_digest(read_bytes(str(path)))
            except TranscriptError as exc:
                self._digests[video_id] = _file_digest(str(exc).encode())
        return self._digests[video_id]

    # -- the dependency key ------------------------------------------------------------
    def digest(self, video_id: str | None) -> bytes:
        """What a note on ``video_id`` depends on: a digest of that video's data (``b""``: none)."""
        if self.videos_file is None and not self._durations and self.transcripts_dir is None:
            return b""  # no video data at all (most vaults): nothing to look up, once per note
        duration = self.duration(video_id)
        path = self.transcript_path(video_id)
        if duration is None and path is None:
            return b""
        h = hashlib.blake2b(f"{video_id}\0{duration}".encode(), digest_size=8)
        if path is not None:
            assert video_id is not None
            settings = [self.transcript_window, sorted(self.transcript_thresholds.items())]
            h.update(f"\0{path.suffix}\0{json.dumps(settings)}\0".encode())
            h.update(self._transcript_digest(video_id))
        return h.digest()


def _cues(loaded: VideoTranscript) -> int:
    return len(loaded.index.starts) if loaded.index is not None else 0


def _file_digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


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
