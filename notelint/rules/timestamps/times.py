"""TS001, TS002, TS005: the time of one citation."""

from __future__ import annotations

from collections.abc import Iterator

import re

from ...document import LOOSE_TIME, Note, format_time, padded, parse_time
from ...findings import Edit, Finding, Fix
from ..registry import ERROR, RuleContext, finding, rule



def _all_citations(note):
    for block in note.blocks:
        for c in block.citations:
            if c.problem is None:
                yield c


@rule("TS001", "malformed-time", ERROR, fix="safe")
def malformed_time(note: Note, ctx: RuleContext) -> Iterator[Finding]:
    """Malformed time: ``data-t`` or label not ``HH:MM:SS``.

    ## What it does
    Checks that a citation's ``data-t`` and its label are both written
    ``HH:MM:SS``, with minutes and seconds from 00 to 59.

    ## Why is this bad?
    The player jumps to ``data-t``; readers read the label. ``21:12`` is
    ambiguous (21 minutes, or 21 hours?) and ``00:75:00`` is no time at all.

    ## Example
    ```
    <a class="yt-timestamp" data-t="21:12">[21:12]</a>
    ```

    ## Use instead
    ```
    <a class="yt-timestamp" data-t="00:21:12">[00:21:12]</a>
    ```
    ``--fix`` zero-pads the ``0:21:12``, ``21:12`` and ``1:05`` forms.
    """
    for c in _all_citations(note):
        if c.seconds is not None and c.label == c.time:
            continue  # the common case: both well-formed and equal
        bad = []
        edits = []
        for what, value, span in (("data-t", c.time, c.time_span), ("label", c.label, c.label_span)):
            if value is None or parse_time(value) is not None:
                continue
            bad.append((what, value))
            fixed = padded(value)
            if fixed is not None and span is not None:
                edits.append(Edit(span[0], span[1], fixed.encode()))
        if not bad:
            continue
        fix = Fix("zero-pad the time to HH:MM:SS", tuple(edits)) if len(edits) == len(bad) else None
        what = " and ".join(f"{w} {v!r}" for w, v in bad)
        hint = ""
        if fix is not None:
            hint = f" (did you mean {padded(bad[0][1])}?)"
        elif any(padded(v) is None and LOOSE_TIME.match(v.strip()) for _, v in bad):
            hint = ": minutes and seconds must be 00-59"
        yield finding(note, "TS001", c.start, c.end, f"malformed time: {what} is not HH:MM:SS{hint}", fix)


@rule("TS002", "time-label-mismatch", ERROR)
def time_label_mismatch(note: Note, ctx: RuleContext) -> Iterator[Finding]:
    """``data-t`` and label disagree.

    ## What it does
    Reports a citation whose ``data-t`` and bracketed label are different
    times (after zero-padding, so ``21:12`` and ``00:21:12`` agree). When
    one of the two is no time at all, TS001 reports it and TS002 does not.
    The message says when one is the other on the wrong scale
    (``13:42:00`` for ``00:13:42``); such a citation is TS002's, not TS007's.

    ## Why is this bad?
    The reader sees one moment and the player jumps to another. There is no
    automatic fix: which of the two is right is unknown.

    ## Example
    ```
    <a class="yt-timestamp" data-t="00:21:12">[00:12:21]</a>
    ```

    ## Use instead
    ```
    <a class="yt-timestamp" data-t="00:21:12">[00:21:12]</a>
    ```
    """
    for c in _all_citations(note):
        if c.time is None or c.label is None or c.time == c.label:
            continue
        t, lab = padded(c.time), padded(c.label)
        if t is None or lab is None:
            continue  # a data-t or label that is no time at all is TS001's
        if t != lab:
            yield finding(note, "TS002", c.start, c.end, f"data-t {c.time!r} and label [{c.label}] disagree{_scale_hint(t, lab)}")


def _scale_hint(time: str, label: str) -> str:
    """Say so when one of the two is the other written as HH:MM:SS for 00:HH:MM."""
    for wrong, right, what in ((time, label, "data-t"), (label, time, "label")):
        if right.startswith("00:") and wrong.endswith(":00") and wrong[:5] == right[3:]:
            return f": the {what} is the other written on the wrong scale (HH:MM:SS for 00:HH:MM)"
    return ""


def _duration(note, ctx) -> int | None:
    data = note.data
    dur = data.get("duration")
    if isinstance(dur, str) and parse_time(dur) is not None:
        return parse_time(dur)
    vid = data.get("videoId")
    if isinstance(vid, str):
        return ctx.videos.duration(vid)
    return None


@rule("TS005", "time-after-end", ERROR)
def time_after_end(note: Note, ctx: RuleContext) -> Iterator[Finding]:
    """Cited time after the end of the video.

    ## What it does
    Where the video's length is known, from the front matter ``duration``
    or from the videos file named in the configuration (``videos = ...``),
    reports a citation of a time past it.

    ## Why is this bad?
    The citation cannot point at what the claim says it does.

    ## Example
    ``duration: "00:42:10"`` and a citation of ``[00:51:03]``.

    ## Use instead
    The right time, within the video.
    """
    end = _duration(note, ctx)
    if end is None:
        return
    for c in _all_citations(note):
        t = c.seconds
        if t is not None and t > end:
            yield finding(note, "TS005", c.start, c.end, f"cited time {c.time} is after the end of the video ({format_time(end)})")
