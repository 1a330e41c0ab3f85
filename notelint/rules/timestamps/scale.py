"""TS007: the time scale of the notes on one video (the logic is in :mod:`.time_scale`)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ...document import format_time
from ...findings import Edit, Finding, Fix
from ...vault import IndexEntry, VaultIndex
from ..registry import VAULT, WARNING, RuleContext, rule, vault_finding
from ...vault.time_scale import CEILING, CitedTime, ScaleVerdict, TimeProfile, VideoNoteTimes, rescaled, scale_outliers


@rule("TS007", "time-scale-outlier", WARNING, scope=VAULT, fix="unsafe")
def time_scale_outlier(vault: VaultIndex, ctx: RuleContext, checked: Sequence[IndexEntry]) -> Iterator[Finding]:
    """Cited times on the wrong scale.

    ## What it does
    Where the video's length is unknown, finds notes that cite times on the
    wrong scale, and reports each such note once, at its first wrong time,
    with how many of its times are wrong. Three kinds of evidence, none of
    which one bad note on the same video can hide:

    - a time past 12:00:00: no video runs that long;
    - the note's own pattern: at least 5 times (all of them, or those of an
      hour or more), 80% of which end in the same seconds (``10:53:00``,
      ``14:11:01``) or repeat the minutes as seconds (``16:06:06``), reaching
      6 hours or more than 3 times the reference below. Then every time with
      that pattern is counted: the generator wrote ``MM:SS`` as
      ``HH:MM:SS``;
    - the reference: the latest time cited by the other notes on the same
      ``videoId`` that can be trusted (at least 3 times, none past 12:00:00,
      not 60% of them in one pattern), when there are at least two of them.
      A time more than 3 times the reference is wrong.

    Citations whose label names another time than their ``data-t`` are
    TS002's, not TS007's.

    ## Why is this bad?
    Real notes show ``10:53:00`` written for ``00:10:53``, and minutes
    repeated as seconds (``16:06:06``): times that are well-formed but
    cannot be right. The player jumps to the end of the video, or nowhere.

    Where the other notes cover only the start of a long video, a genuine
    late time can look like an outlier: name the video's length (front
    matter ``duration`` or the ``videos`` file) and TS005 decides instead.

    ## Example
    Four notes on a video cite up to ``00:14:20``; a fifth cites ``10:53:00``,
    ``12:07:00`` and ``13:40:00``.

    ## Use instead
    The times that were meant (``00:10:53``, ``00:12:07``, ``00:13:40``).
    When every time of a note follows the pattern, ``--unsafe-fixes``
    rewrites each citation with its time read as ``00:HH:MM`` (``10:53:00``
    becomes ``00:10:53``).
    """
    checked_rels = {e.rel for e in checked}
    videos = {e.video_id for e in checked if e.video_id}
    by_video: dict[str, list[IndexEntry]] = {}
    for entry in vault.on_videos(videos):
        by_video.setdefault(entry.video_id, []).append(entry)
    for video in sorted(by_video):
        if ctx.videos.duration(video) is not None:
            continue
        notes = []
        for e in by_video[video]:
            mine = e.rel in checked_rels
            cited = tuple(CitedTime(*t) for t in e.cited()) if mine else ()
            notes.append(VideoNoteTimes(e.rel, TimeProfile(*e.time_profile), cited, mine and e.duration is None))
        for verdict in scale_outliers(notes):
            yield _finding(vault.notes[verdict.rel], video, verdict)


def _finding(entry: IndexEntry, video: str, v: ScaleVerdict) -> Finding:
    first = min(v.flagged, key=lambda t: t.start)
    examples = ", ".join(format_time(t.seconds) for t in sorted(v.flagged, key=lambda t: t.start)[:3])
    more = ", …" if len(v.flagged) > 3 else ""
    count = f"{len(v.flagged)} of {v.total} cited times" if v.total > 1 else "the cited time"
    ref = (
        f"; the {v.trusted} other notes on video {video} cite up to {format_time(v.reference)}"
        if v.reference is not None else ""
    )
    if v.whole_note:
        shown = next((t for t in sorted(v.flagged, key=lambda t: t.start) if rescaled(t.seconds) != t.seconds), first)
        message = (
            f"{count} are on the wrong scale ({examples}{more}): MM:SS written as HH:MM:SS"
            f" (did you mean {format_time(rescaled(shown.seconds))} for {format_time(shown.seconds)}?){ref}"
        )
    else:
        why = "past 12:00:00, longer than any video" if first.seconds > CEILING else (
            f"more than 3 times the latest time cited by the {v.trusted} other notes on video {video}"
            f" ({format_time(v.reference)})"
        )
        hint = _meant(first.seconds, v.reference)
        message = f"{count} are on the wrong scale ({examples}{more}): {format_time(first.seconds)} is {why}{hint}"
    fix = None
    if v.whole_note and v.rescalable:
        edits = tuple(Edit(t.start, t.end, _markup(rescaled(t.seconds))) for t in sorted(v.flagged, key=lambda t: t.start))
        fix = Fix("read every time HH:MM:SS as 00:HH:MM", edits, safe=False)
    return vault_finding(entry, "TS007", first.start, first.end, message, fix)


def _markup(seconds: int) -> bytes:
    t = format_time(seconds)
    return f'<a class="yt-timestamp" data-t="{t}">[{t}]</a>'.encode()


def _meant(t: int, reference: int | None) -> str:
    h, rest = divmod(t, 3600)
    m, s = divmod(rest, 60)
    if h < 60 and (s == 0 or s == m) and (reference is None or rescaled(t) <= 3 * reference):
        # 10:53:00 written for 00:10:53; 16:06:06 (minutes repeated as seconds) for 00:16:06
        return f"; did you mean {format_time(rescaled(t))}?"
    return ""
