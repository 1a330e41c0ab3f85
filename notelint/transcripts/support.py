"""Where each citation's support lies, for the audit.

For every cited claim of a note, one :class:`CitationSupport`: whether the
transcript supports it at the cited time, and where its support lies. The
states, in the order they are decided:

- ``elsewhere``: the claim is said at another time: the ``00:HH:MM``
  reading of a wrong-scale time, or the better time of an unsupported
  citation (the rules' verdicts, :mod:`.rules`);
- ``past-end``: after the end of the video, with no reading inside it;
- ``supported``: the claim scores at least ``low`` (the unsupported rule's
  threshold) in the window around the cited time. On the labelled set, 99%
  of such citations were read as supported; it undercounts (93% of in-range
  citations reach it, where a reader found 97.6% supported);
- ``unclear``: a low score and no better place: the transcript does not
  say, either way (a claim of math or of what is shown, not said).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, NamedTuple

if TYPE_CHECKING:  # the record is read by every cache load; the scoring only where there are transcripts
    from .claims import CitedClaim
    from .rules import Thresholds, WrongScale
    from .score import VideoIndex, Windows

SupportState = Literal["supported", "elsewhere", "past-end", "unclear"]


class CitationSupport(NamedTuple):
    """One citation as the transcript sees it."""

    seconds: int  # the cited time
    state: SupportState
    where: int | None  # where its support lies: the cited time, a better one, or None (nowhere known)


def citation_support(
    claims: list[CitedClaim],
    index: VideoIndex,
    end: float,
    scale: dict[int, WrongScale],
    th: Thresholds,
    windows: Windows,
) -> list[CitationSupport]:
    """The support of each of a note's cited claims; ``scale``: its wrong-scale verdicts by offset."""
    from .rules import unsupported_one

    out = []
    for c in claims:
        reading = scale.get(c.start)
        if reading is not None:
            out.append(CitationSupport(c.seconds, "elsewhere", reading.meant))
            continue
        if c.seconds > end:
            out.append(CitationSupport(c.seconds, "past-end", None))
            continue
        q = index.claim_vector(c.claim)
        if index.support(q, c.seconds, windows) >= th.low:
            out.append(CitationSupport(c.seconds, "supported", c.seconds))
            continue
        better = unsupported_one(c, q, index, th, windows)
        if better is not None:
            out.append(CitationSupport(c.seconds, "elsewhere", better.better))
        else:
            out.append(CitationSupport(c.seconds, "unclear", None))
    return out
