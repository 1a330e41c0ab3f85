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
  (``16:06:06``). At least :data:`MIN_PATTERN_TIMES` times (all of them, or
  those of an hour or more) of which :data:`PATTERN_SHARE` follow one
  pattern, and that reach 6 hours (or past 3 times the reference below): the
  note is on the wrong scale, every time that follows the pattern;
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
from itertools import repeat
from operator import mod

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
class TimeProfile:
    """What the other notes on a video need of a note: small enough for the vault index
    (a note that is only indexed, not checked, has no times there)."""

    count: int  # readable cited times
    highest: int  # the latest of them, in seconds (0 when none)
    suspect: bool  # SUSPECT_SHARE of its times follow one pattern: not a reference

    def as_tuple(self) -> tuple[int, int, bool]:
        """Plain data, for the vault index (and the cache)."""
        return (self.count, self.highest, self.suspect)


@dataclass(frozen=True, slots=True)
class VideoNoteTimes:
    """What TS007 needs of one note on a video: its path, its time profile, its cited times
    (empty when the note is only indexed) and whether findings are wanted for it."""

    rel: str
    profile: TimeProfile
    times: tuple[CitedTime, ...] = ()
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


def _pattern_of(times: Sequence[int]) -> tuple[int | str | None, float]:
    """The commonest pattern of ``times`` and the share that follows it: over every time, or over
    the times of an hour or more when those follow it more (a note that starts right, in seconds,
    and goes on writing ``MM:SS`` as ``HH:MM:00``)."""
    best: tuple[int | str | None, float] = (None, 0.0)
    if len(times) < MIN_PATTERN_TIMES:
        return best
    long = [t for t in times if t >= 3600]
    for subset in (times, long):
        if len(subset) >= MIN_PATTERN_TIMES:
            # under an hour a time's pattern is its seconds: counted at C speed, in the order met
            keys = map(mod, subset, repeat(60)) if not long and min(subset) >= 0 else map(_pattern, subset)
            counts = Counter(keys)
            pattern = max(counts, key=counts.__getitem__)  # the first counted of the commonest, as most_common
            if counts[pattern] / len(subset) > best[1]:
                best = (pattern, counts[pattern] / len(subset))
    return best


def profile(seconds: Sequence[int]) -> TimeProfile:
    """The profile of a note's cited times (what the vault index keeps of them)."""
    _, share = _pattern_of(seconds)
    return TimeProfile(len(seconds), max(seconds, default=0), share >= SUSPECT_SHARE)


def _trusted(p: TimeProfile) -> bool:
    return p.count >= MIN_TRUSTED_TIMES and not p.suspect and 0 < p.highest <= CEILING


def scale_outliers(notes: Sequence[VideoNoteTimes]) -> list[ScaleVerdict]:
    """The notes on one video that cite times on the wrong scale (one verdict per note)."""
    # the two latest trusted maxima: the reference of a note is the best one that is not its own
    top: list[tuple[int, int]] = []  # (latest, index), at most two
    trusted = 0
    for i, n in enumerate(notes):
        if _trusted(n.profile):
            trusted += 1
            top = sorted([*top, (n.profile.highest, i)], reverse=True)[:2]
    out = []
    for i, n in enumerate(notes):
        if not n.checked or not n.times:
            continue
        others = trusted - _trusted(n.profile)
        ref = next((v for v, j in top if j != i), None) if others >= 2 else None
        verdict = _judge(n, ref, others)
        if verdict is not None:
            out.append(verdict)
    return out


def _judge(note: VideoNoteTimes, ref: int | None, others: int) -> ScaleVerdict | None:
    times = note.times
    seconds = [t.seconds for t in times]
    highest = max(seconds)
    pattern, share = _pattern_of(seconds)
    limit = FACTOR * ref if ref is not None else None
    trusted = others if ref is not None else 0
    if share >= PATTERN_SHARE and (highest >= LONG or (limit is not None and highest > limit)):
        flagged = tuple(t for t in times if _pattern(t.seconds) == pattern or t.seconds > CEILING)
        rescalable = len(flagged) == len(times) and all(t.seconds < 60 * 3600 for t in times)
        return ScaleVerdict(note.rel, flagged, len(times), True, ref, trusted, rescalable)
    flagged = tuple(t for t in times if t.seconds > CEILING or (limit is not None and t.seconds > limit))
    if not flagged:
        return None
    return ScaleVerdict(note.rel, flagged, len(times), False, ref, trusted)


def rescaled(seconds: int) -> int:
    """``HH:MM:ss`` read as ``00:HH:MM``: the time a wrong-scale citation meant."""
    h, rest = divmod(seconds, 3600)
    return h * 60 + rest // 60
