"""TR: citations checked against the video's transcript.

Opt-in: the rules run only for notes whose video has a transcript in the
folder the configuration names (``transcripts = "FOLDER"``). The scoring and
the verdicts are :mod:`notelint.transcripts`; this module turns them into
findings, each at the citation's ``<a``, with fixes as byte-offset edits.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property
from typing import TYPE_CHECKING

from ..document import Citation, Note, format_time
from ..findings import Edit, Finding, Fix
from .registry import ERROR, INFO, WARNING, RuleContext, finding, rule

if TYPE_CHECKING:  # imported when a note's video has a transcript: a run without any pays nothing
    from ..transcripts.claims import CitedClaim
    from ..transcripts.rules import LabelDisagreement, PastEnd, Unsupported, WrongScale
    from ..transcripts.support import CitationSupport
    from ..videos import VideoTranscript


class TranscriptCheck:
    """One note against its video's transcript: each verdict computed when a rule first asks."""

    def __init__(self, note: Note, ctx: RuleContext, transcript: VideoTranscript):
        self.note = note
        self.ctx = ctx
        self.transcript = transcript
        self.index = transcript.index
        self.th = ctx.videos.thresholds
        self.windows = ctx.videos.windows

    @cached_property
    def claims(self) -> list[CitedClaim]:
        from ..transcripts.claims import cited_claims

        return cited_claims(self.note)

    @cached_property
    def citations(self) -> dict[int, Citation]:
        return {c.start: c for block in self.note.blocks for c in block.citations}

    @cached_property
    def duration(self) -> int | None:
        return self.ctx.videos.duration(self.note.data.get("videoId"))

    @cached_property
    def end(self) -> float:
        from ..transcripts.rules import video_end

        assert self.index is not None
        return video_end(self.index, self.duration, self.th)

    @cached_property
    def past_end(self) -> dict[int, PastEnd]:
        from ..transcripts.rules import past_end

        return {v.citation.start: v for v in past_end(self.claims, self.end)}

    @cached_property
    def scale(self) -> dict[int, WrongScale]:
        from ..transcripts.rules import wrong_scale

        assert self.index is not None
        verdicts = wrong_scale(self.claims, self.index, self.end, self.th, self.windows)
        return {v.citation.start: v for v in verdicts}

    @cached_property
    def decided(self) -> frozenset[int]:
        """Citations past the end or on the wrong scale: no other verdict, and no move."""
        return frozenset(self.past_end) | frozenset(self.scale)

    @cached_property
    def label(self) -> dict[int, LabelDisagreement]:
        from ..transcripts.rules import label_disagreement

        assert self.index is not None
        in_range = [c for c in self.claims if c.start not in self.decided]
        return {v.citation.start: v for v in label_disagreement(in_range, self.index, self.th, self.windows)}

    @cached_property
    def unsupported(self) -> dict[int, Unsupported]:
        from ..transcripts.rules import unsupported

        assert self.index is not None
        verdicts = unsupported(self.claims, self.index, self.th, self.windows, skip=self.decided)
        return {v.citation.start: v for v in verdicts}

    def support(self) -> list[CitationSupport]:
        from ..transcripts.support import citation_support

        assert self.index is not None
        return citation_support(self.claims, self.index, self.end, self.scale, self.th, self.windows)

    def rewrite(self, start: int, seconds: int, data_t: bool = True, label: bool = True) -> tuple[Edit, ...]:
        """Edits that set the citation at ``start`` to ``seconds``: its ``data-t``, and its
        label when that is a time (a label of words is left as it is)."""
        c = self.citations[start]
        text = format_time(seconds).encode()
        edits = []
        if data_t and c.time_span is not None:
            edits.append(Edit(*c.time_span, text))
        claim = next((k for k in self.claims if k.start == start), None)
        if label and c.label_span is not None and claim is not None and claim.label_seconds is not None:
            edits.append(Edit(*c.label_span, text))
        return tuple(edits)


_LAST: list[TranscriptCheck] = []  # the last note checked: its rules share one TranscriptCheck


def transcript_check(note: Note, ctx: RuleContext) -> TranscriptCheck | None:
    """The note's :class:`TranscriptCheck`; None when its video has no transcript."""
    if _LAST and _LAST[0].note is note and _LAST[0].ctx is ctx:
        return _LAST[0]
    vid = note.data.get("videoId")
    transcript = ctx.videos.transcript(vid) if isinstance(vid, str) else None
    if transcript is None:
        return None
    check = TranscriptCheck(note, ctx, transcript)
    _LAST[:] = [check]
    return check


def _usable(note: Note, ctx: RuleContext) -> TranscriptCheck | None:
    check = transcript_check(note, ctx)
    return check if check is not None and check.index is not None else None


@rule("TR001", "time-after-video-end", ERROR, supersedes=("TS005", "TS007"))
def time_after_video_end(note: Note, ctx: RuleContext) -> Iterator[Finding]:
    """Cited time after the end of the video's transcript.

    ## What it does
    Where the video has a transcript (``transcripts = "FOLDER"`` in the
    configuration), reports a citation of a time more than 15 seconds after
    the end of its last caption (``transcript-thresholds.end-margin``), or
    after the video's length when the videos file gives it. On that
    citation it replaces TS005 and TS007; TR002 replaces it where the time
    reads as minutes and seconds written as hours and minutes.

    ## Why is this bad?
    The citation cannot point at what the claim says: nothing is said there.

    ## Example
    A transcript whose last caption ends at ``00:14:58``, and
    ```
    The proof ends with a contradiction <a class="yt-timestamp" data-t="00:31:40">[00:31:40]</a>.
    ```

    ## Use instead
    The time at which the video says it, within the video.
    """
    check = _usable(note, ctx)
    if check is None:
        return
    assert check.index is not None
    where = (f"({format_time(check.duration)})" if check.duration is not None
             else f"(its transcript ends at {format_time(int(check.index.end))})")
    for v in check.past_end.values():
        c = v.citation
        yield finding(note, "TR001", c.start, c.end, f"cited time {c.time} is after the end of the video {where}")


@rule("TR002", "wrong-time-scale", ERROR, fix="safe", supersedes=("TR001", "TS005", "TS007"))
def wrong_time_scale(note: Note, ctx: RuleContext) -> Iterator[Finding]:
    """Minutes and seconds written as hours and minutes.

    ## What it does
    Where the video has a transcript, reports a citation written
    ``HH:MM:00`` (or ``HH:MM:MM``) that means ``00:HH:MM``: the written time
    is after the end of the video, or, in a note whose citations are mostly
    past the end on that scale, the transcript supports ``00:HH:MM`` at
    least as well. The fix rewrites ``data-t`` and the label together. It
    is safe when the whole note is on the hours scale, or when the
    transcript's support at ``00:HH:MM`` is strong
    (``transcript-thresholds.scale-safe``); unsafe otherwise.

    ## Why is this bad?
    The player jumps to a moment that does not exist or says something
    else. On real generated notes about one citation in eight is past the
    end of its video, most of them this slip.

    ## Example
    In a 20-minute video:
    ```
    The proof ends with a contradiction <a class="yt-timestamp" data-t="10:53:00">[10:53:00]</a>.
    ```

    ## Use instead
    ```
    The proof ends with a contradiction <a class="yt-timestamp" data-t="00:10:53">[00:10:53]</a>.
    ```
    """
    check = _usable(note, ctx)
    if check is None:
        return
    for v in check.scale.values():
        c = v.citation
        fix = Fix(f"rewrite the time as {v.meant_time}", check.rewrite(c.start, v.meant), safe=v.safe)
        yield finding(note, "TR002", c.start, c.end, v.message, fix)


@rule("TR003", "unsupported-citation", INFO, fix="unsafe", default=False)
def unsupported_citation(note: Note, ctx: RuleContext) -> Iterator[Finding]:
    """The cited moment does not say what the claim says; another moment does.

    ## What it does
    Where the video has a transcript, scores the claim a citation closes
    (its sentence, citations and markup left out) against the captions
    from 30 seconds before to 30 seconds after the cited time
    (``transcript-window``), with TF-IDF fitted on that video's captions.
    Reports the citation when that score is low and a window elsewhere in
    the video scores much higher and says much more of the claim's words;
    the message names the better time, and the fix (unsafe) moves the
    citation there, to the start of the caption at or just before the
    words. Off by default, at info severity: its precision is 0.93 on the
    labelled set its thresholds were fitted on (recall 0.56) and 0.95 on a
    held-out sample, about 0.94 over all it reports on the grounding corpus,
    under the 0.95 a default rule keeps. A citation TR001 or TR002 reports
    is not judged.

    ## Why is this bad?
    A reader who follows the citation does not find the claim, and cannot
    tell a misplaced citation from an invented claim.

    ## Example
    A transcript that explains the chain rule at ``00:04:10`` and the
    product rule at ``00:09:30``, and
    ```
    The product rule adds two terms <a class="yt-timestamp" data-t="00:04:10">[00:04:10]</a>.
    ```

    ## Use instead
    ```
    The product rule adds two terms <a class="yt-timestamp" data-t="00:09:30">[00:09:30]</a>.
    ```
    """
    check = _usable(note, ctx)
    if check is None:
        return
    for v in check.unsupported.values():
        c = v.citation
        fix = Fix(f"move the citation to {v.better_time}", check.rewrite(c.start, v.better), safe=False)
        yield finding(note, "TR003", c.start, c.end, v.message, fix)


@rule("TR004", "time-label-by-transcript", ERROR, fix="unsafe", supersedes=("TS002",))
def time_label_by_transcript(note: Note, ctx: RuleContext) -> Iterator[Finding]:
    """``data-t`` and label disagree: which of the two the transcript supports.

    ## What it does
    Where the video has a transcript, reports a citation whose ``data-t``
    and label are different times (it replaces TS002 on that citation), and
    says which of the two moments the transcript supports: the one whose
    captions (15 seconds from it) score clearly higher for the claim
    (``transcript-thresholds.label-margin``). When one wins, the fix
    (unsafe) writes its time into the other; when neither wins, there is
    no fix.

    ## Why is this bad?
    The reader sees one moment and the player jumps to another.

    ## Example
    A transcript that says "the determinant measures area" at ``00:05:12``:
    ```
    The determinant measures area <a class="yt-timestamp" data-t="00:05:12">[00:12:05]</a>.
    ```

    ## Use instead
    ```
    The determinant measures area <a class="yt-timestamp" data-t="00:05:12">[00:05:12]</a>.
    ```
    """
    check = _usable(note, ctx)
    if check is None:
        return
    for v in check.label.values():
        c = v.citation
        fix = None
        if v.supported == "data-t":
            fix = Fix(f"set the label to {format_time(c.seconds)}", check.rewrite(c.start, c.seconds, data_t=False), safe=False)
        elif v.supported == "label" and c.label_seconds is not None:
            fix = Fix(f"set data-t to {format_time(c.label_seconds)}", check.rewrite(c.start, c.label_seconds, label=False), safe=False)
        yield finding(note, "TR004", c.start, c.end, v.message, fix)


@rule("TR005", "unreadable-transcript", WARNING)
def unreadable_transcript(note: Note, ctx: RuleContext) -> Iterator[Finding]:
    """The video's transcript cannot be read.

    ## What it does
    Reports, on the note's ``videoId``, that the transcript file of its
    video (``<videoId>.srt``, ``.vtt`` or ``.json`` in the transcripts
    folder) cannot be used, and why: not UTF-8, malformed SubRip or WebVTT,
    JSON that is not a youtube-transcript-api or Whisper segment list, no
    caption with text, larger than 20 MB. The other TR rules skip the note.

    ## Why is this bad?
    The note's citations go unchecked against what the video says.

    ## Example
    ``abcdefghijk.srt`` whose second cue reads ``00:00:05,000 -> 00:00:09,000``.

    ## Use instead
    A transcript as the ``srt`` and ``webvtt-py`` libraries read it
    (``00:00:05,000 --> 00:00:09,000``).
    """
    check = transcript_check(note, ctx)
    if check is None or check.transcript.error is None:
        return
    fm = note.front_matter
    span = fm.keys.get("videoId") if fm is not None else None
    start, end = (span[1], span[2]) if span is not None else (0, 0)
    yield finding(note, "TR005", start, end, f"transcript cannot be used: {check.transcript.error}")


def transcript_support(note: Note, ctx: RuleContext) -> tuple[CitationSupport, ...]:
    """Where each citation's support lies (for the audit); empty without a usable transcript."""
    check = _usable(note, ctx)
    return tuple(check.support()) if check is not None else ()
