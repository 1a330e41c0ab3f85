"""Rule logic: a note's cited claims against its video's transcript, as typed verdicts.

Pure functions over :class:`~notelint.transcripts.claims.CitedClaim` records
and a :class:`~notelint.transcripts.score.VideoIndex`; they know nothing of
findings, configuration or files. :func:`check_claims` runs them in order:

1. past the end: more than ``end_margin`` seconds after the last cue's end
   (or after a known duration): certain;
2. wrong scale: ``HH:MM:00`` (or ``HH:MM:MM``) meant as ``00:HH:MM``,
   when the written reading is past the end or far less supported; the
   correction is *safe* when the whole note is on that scale or the
   transcript's support for it is overwhelming;
3. data-t against label: which of the two the transcript supports;
4. unsupported: a low score at the cited window and a much better window
   elsewhere, with the better time. A citation already given a verdict by 1
   or 2 gets no move.

A past-end citation that reads as ``00:HH:MM`` gets both verdicts: the
certain error, and the wrong-scale reading that carries the correction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..document import format_time
from .claims import CitedClaim
from .score import ClaimVector, VideoIndex, Windows


@dataclass(frozen=True, slots=True)
class Thresholds:
    """The decision thresholds of the transcript rules (defaults measured on the labelled set)."""

    end_margin: float = 15.0  # seconds after the last cue's end still taken as in the video
    low: float = 0.10  # support below which a citation may be unsupported
    ratio: float = 3.0  # the better window must score this many times the cited one
    min_better: float = 0.25  # and at least this much
    min_gain: float = 0.50  # and say this much more of the claim's weighted words (coverage)
    min_terms: int = 6  # claims with fewer distinct words the transcript knows are not judged
    min_distance: float = 30.0  # the better window starts this far from the cited time (seconds)
    scale_note_share: float = 0.5  # an in-range HH:MM:00 is read as 00:HH:MM only in a note with this share past the end
    scale_safe: float = 0.30  # the meant reading's support that makes a past-end correction safe on its own
    label_margin: float = 0.10  # data-t or label wins when its cue window scores this much more


@dataclass(frozen=True, slots=True)
class PastEnd:
    citation: CitedClaim
    end: float  # the end it was checked against, in seconds

    @property
    def message(self) -> str:
        return f"cited time {self.citation.time} is after the end of the video ({format_time(int(self.end))})"


@dataclass(frozen=True, slots=True)
class WrongScale:
    citation: CitedClaim
    meant: int  # seconds of the reading the transcript supports
    safe: bool  # the correction may be applied without review
    reason: str  # why the written reading is wrong: "past-end" or "support"
    written_score: float
    meant_score: float

    @property
    def meant_time(self) -> str:
        return format_time(self.meant)

    @property
    def message(self) -> str:
        why = "is after the end of the video" if self.reason == "past-end" else "is not what the transcript says there"
        return f"cited time {self.citation.time} {why}; it reads as {self.meant_time} (minutes and seconds written as hours and minutes)"


@dataclass(frozen=True, slots=True)
class Unsupported:
    citation: CitedClaim
    score: float  # support at the cited time
    better: int  # the better time, a cue start in whole seconds
    better_score: float

    @property
    def better_time(self) -> str:
        return format_time(self.better)

    @property
    def message(self) -> str:
        return (
            f"the transcript around {self.citation.time} does not support this claim "
            f"(score {self.score:.2f}); it is said at {self.better_time} (score {self.better_score:.2f})"
        )


@dataclass(frozen=True, slots=True)
class LabelDisagreement:
    citation: CitedClaim
    supported: Literal["data-t", "label", "unclear"]
    time_score: float
    label_score: float

    @property
    def message(self) -> str:
        c = self.citation
        if self.supported == "unclear":
            return f"data-t {c.time} and label {c.label} disagree; the transcript supports neither clearly"
        which = c.time if self.supported == "data-t" else c.label
        return f"data-t {c.time} and label {c.label} disagree; the transcript supports {self.supported} {which}"


Verdict = PastEnd | WrongScale | Unsupported | LabelDisagreement


def video_end(index: VideoIndex, duration: float | None, th: Thresholds = Thresholds()) -> float:
    """The last second a citation may point at."""
    return float(duration) if duration is not None else index.end + th.end_margin


def past_end(claims: list[CitedClaim], end: float) -> list[PastEnd]:
    return [PastEnd(c, end) for c in claims if c.seconds > end]


def scale_reading(seconds: int) -> int | None:
    """The ``00:HH:MM`` reading of ``HH:MM:00`` or ``HH:MM:MM``; None for other times."""
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    if h >= 60 or not (s == 0 or s == m):
        return None
    meant = h * 60 + m
    return meant if meant != seconds else None


def note_on_wrong_scale(claims: list[CitedClaim], end: float) -> bool:
    """Every citation of the note reads as ``HH:MM:00`` and one of them is past the end."""
    readable = [c for c in claims if scale_reading(c.seconds) is not None]
    return bool(claims) and len(readable) == len(claims) and any(c.seconds > end for c in readable)


def wrong_scale_share(claims: list[CitedClaim], end: float) -> float:
    """The share of the note's citations that are past the end and read as ``00:HH:MM`` within it."""
    if not claims:
        return 0.0
    wrong = 0
    for c in claims:
        meant = scale_reading(c.seconds)
        wrong += c.seconds > end and meant is not None and meant <= end
    return wrong / len(claims)


def wrong_scale(
    claims: list[CitedClaim],
    index: VideoIndex,
    end: float,
    th: Thresholds = Thresholds(),
    windows: Windows = Windows(),
) -> list[WrongScale]:
    """Citations written on the hours scale that mean minutes and seconds.

    Past the end, ``00:HH:MM`` is the only reading within the video. Within
    it, the written reading is taken as wrong only in a note whose citations
    are mostly past the end on that scale, and only where the transcript
    supports ``00:HH:MM`` at least as well: on the labelled set, in-range
    citations flagged on support alone were wrong five times in six.
    """
    whole_note = note_on_wrong_scale(claims, end)
    note_wrong = wrong_scale_share(claims, end) >= th.scale_note_share
    out = []
    for c in claims:
        meant = scale_reading(c.seconds)
        if meant is None or meant > end:
            continue
        q = index.claim_vector(c.claim)
        meant_score = index.support(q, meant, windows)
        if c.seconds > end:
            out.append(WrongScale(c, meant, whole_note or meant_score >= th.scale_safe, "past-end", 0.0, meant_score))
            continue
        written = index.support(q, c.seconds, windows)
        if note_wrong and meant_score >= written:
            out.append(WrongScale(c, meant, whole_note, "support", written, meant_score))
    return out


def unsupported(
    claims: list[CitedClaim],
    index: VideoIndex,
    th: Thresholds = Thresholds(),
    windows: Windows = Windows(),
    skip: frozenset[int] = frozenset(),
) -> list[Unsupported]:
    """Citations the cited moment does not support, with a better time; ``skip``: citation offsets to leave."""
    out = []
    for c in claims:
        if c.start in skip:
            continue
        verdict = unsupported_one(c, index.claim_vector(c.claim), index, th, windows)
        if verdict is not None:
            out.append(verdict)
    return out


def unsupported_one(
    c: CitedClaim, q: ClaimVector, index: VideoIndex, th: Thresholds = Thresholds(), windows: Windows = Windows()
) -> Unsupported | None:
    if len(q.weights) < th.min_terms:
        return None
    cited = index.support(q, c.seconds, windows)
    if cited >= th.low:
        return None
    exclude = (c.seconds - th.min_distance, c.seconds + th.min_distance)
    best = index.best_time(q, windows, exclude=exclude)
    if best is None or best.score < th.min_better or best.score < th.ratio * cited:
        return None
    gain = index.coverage(q, best.seconds - windows.before, best.seconds + windows.after) - index.coverage(
        q, c.seconds - windows.before, c.seconds + windows.after
    )
    if gain < th.min_gain:
        return None
    return Unsupported(c, cited, best.seconds, best.score)


def label_disagreement(
    claims: list[CitedClaim], index: VideoIndex, th: Thresholds = Thresholds(), windows: Windows = Windows()
) -> list[LabelDisagreement]:
    out = []
    for c in claims:
        if c.label_seconds is None or c.label_seconds == c.seconds:
            continue
        q = index.claim_vector(c.claim)
        t = index.score(q, c.seconds, c.seconds + windows.cue_span)
        lab = index.score(q, c.label_seconds, c.label_seconds + windows.cue_span)
        if t >= lab + th.label_margin:
            winner: Literal["data-t", "label", "unclear"] = "data-t"
        elif lab >= t + th.label_margin:
            winner = "label"
        else:
            winner = "unclear"
        out.append(LabelDisagreement(c, winner, t, lab))
    return out


def check_claims(
    claims: list[CitedClaim],
    index: VideoIndex,
    duration: float | None = None,
    th: Thresholds = Thresholds(),
    windows: Windows = Windows(),
) -> list[Verdict]:
    """Every transcript verdict on one note's cited claims, in rule order."""
    end = video_end(index, duration, th)
    scale = wrong_scale(claims, index, end, th, windows)
    ends = past_end(claims, end)
    decided = frozenset(v.citation.start for v in [*ends, *scale])
    in_range = [c for c in claims if c.start not in decided]
    verdicts: list[Verdict] = [*ends, *scale]
    verdicts.extend(label_disagreement(in_range, index, th, windows))
    verdicts.extend(unsupported(in_range, index, th, windows, skip=decided))
    return verdicts
