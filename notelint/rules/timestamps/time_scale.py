"""Which cited times are on the wrong scale, among the notes on one video (TS007's logic).

Pure functions over plain typed inputs, linear in the number of notes on a
video: the vault rule in :mod:`notelint.rules.timestamps.scale` only turns the
vault index into :class:`VideoNoteTimes` and the verdicts into findings.

Three kinds of evidence, none of which a single bad sibling note can move:

- the **ceiling**: no video runs past 12 hours (:data:`CEILING`), so a later
  time is wrong whatever the other notes say;
- the **note's own pattern**: a generator that writes ``MM:SS`` as
  ``HH:MM:00`` gives nearly every time of the note the same seconds field
  (``:00``, or a constant such as ``:01``), or repeats the minutes as seconds
  (``16:06:06``). At least :data:`MIN_PATTERN_TIMES` times of which
  :data:`PATTERN_SHARE` follow one pattern, and that reach 6 hours (or past
  3 times the reference below): the whole note is on the wrong scale;
- the **reference** of the other notes: the latest time cited by the other
  notes that can be trusted (at least 3 times, no such pattern, times past the
  ceiling), when there are at least two of them. A time more than 3 times
  the reference is an outlier. A sibling on the wrong scale has the pattern
  or passes the ceiling, so it is not trusted and cannot hide another one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

CEILING = 12 * 3600  # no real video is longer
LONG = 6 * 3600  # a note that reaches this with the pattern is on the wrong scale without siblings
MIN_PATTERN_TIMES = 5
PATTERN_SHARE = 0.8  # of a note's times follow one pattern: the whole note is on the wrong scale
SUSPECT_SHARE = 0.6  # a note this patterned is not trusted as a reference
MIN_TRUSTED_TIMES = 3
FACTOR = 3


@dataclass(frozen=True, slots=True)
class CitedTime:
    """One citation's time, in seconds, with its byte span in the note."""

    seconds: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class VideoNoteTimes:
    """What TS007 needs of one note on a video: its path, its cited times, and
    whether findings are wanted for it (a note only indexed still counts as a sibling)."""

    rel: str
    times: tuple[CitedTime, ...]
    checked: bool = True


@dataclass(frozen=True, slots=True)
class ScaleVerdict:
    """A note with times on the wrong scale.

    ``whole_note``: the note's own pattern says every patterned time is on the
    wrong scale (``flagged`` holds them); otherwise ``flagged`` holds the
    outliers (past the ceiling, or more than 3 times ``reference``).
    ``rescalable``: every time of the note follows the pattern, so reading
    each ``HH:MM:ss`` as ``00:HH:MM`` is a whole-note fix.
    """

    rel: str
    flagged: tuple[CitedTime, ...]
    total: int
    whole_note: bool
    reference: int | None  # latest time of the trusted other notes, when there are two
    trusted: int  # how many other notes the reference comes from
    rescalable: bool = False


def _pattern(seconds: int) -> int | str:
    """The seconds field of a time, or ``"mm"`` when it repeats the minutes (``16:06:06``)."""
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return "mm" if h and s == m and s else s


@dataclass(slots=True)
class _NoteStats:
    note: VideoNoteTimes
    pattern: int | str | None  # the commonest pattern
    share: float  # of the times that follow it
    highest: int  # latest time


def _stats(note: VideoNoteTimes) -> _NoteStats:
    times = [t.seconds for t in note.times]
    if not times:
        return _NoteStats(note, None, 0.0, 0)
    pattern, count = Counter(_pattern(t) for t in times).most_common(1)[0]
    return _NoteStats(note, pattern, count / len(times), max(times))


def _patterned(s: _NoteStats, share: float) -> bool:
    return len(s.note.times) >= MIN_PATTERN_TIMES and s.share >= share


def _trusted(s: _NoteStats) -> bool:
    return len(s.note.times) >= MIN_TRUSTED_TIMES and not _patterned(s, SUSPECT_SHARE) and 0 < s.highest <= CEILING


def scale_outliers(notes: Sequence[VideoNoteTimes]) -> list[ScaleVerdict]:
    """The notes on one video that cite times on the wrong scale (one verdict per note)."""
    stats = [_stats(n) for n in notes]
    # the two latest trusted maxima: the reference of a note is the best one that is not its own
    top: list[tuple[int, int]] = []  # (latest, index), at most two
    trusted = 0
    for i, s in enumerate(stats):
        if _trusted(s):
            trusted += 1
            top = sorted([*top, (s.highest, i)], reverse=True)[:2]
    out = []
    for i, s in enumerate(stats):
        if not s.note.checked or not s.note.times:
            continue
        own = _trusted(s)
        others = trusted - own
        ref = next((v for v, j in top if j != i), None) if others >= 2 else None
        verdict = _judge(s, ref, others)
        if verdict is not None:
            out.append(verdict)
    return out


def _judge(s: _NoteStats, ref: int | None, others: int) -> ScaleVerdict | None:
    times = s.note.times
    limit = FACTOR * ref if ref is not None else None
    if _patterned(s, PATTERN_SHARE) and (s.highest >= LONG or (limit is not None and s.highest > limit)):
        flagged = tuple(t for t in times if _pattern(t.seconds) == s.pattern or t.seconds > CEILING)
        rescalable = s.share == 1.0 and all(t.seconds < 60 * 3600 for t in times)
        return ScaleVerdict(s.note.rel, flagged, len(times), True, ref, others if ref is not None else 0, rescalable)
    flagged = tuple(t for t in times if t.seconds > CEILING or (limit is not None and t.seconds > limit))
    if not flagged:
        return None
    return ScaleVerdict(s.note.rel, flagged, len(times), False, ref, others if ref is not None else 0)


def rescaled(seconds: int) -> int:
    """``HH:MM:ss`` read as ``00:HH:MM``: the time a wrong-scale citation meant."""
    h, rest = divmod(seconds, 3600)
    return h * 60 + rest // 60
