"""One video's strip: which minutes its notes cite, and which cited times are off its scale."""

from __future__ import annotations

from collections import Counter

from .model import NoteSpan, TranscriptAudit, VideoAudit


def misplaced(t: int) -> bool:
    """A time that reads like minutes:seconds written as hours:minutes (``58:21:00``, ``16:06:06``)."""
    h, rest = divmod(t, 3600)
    m, sec = divmod(rest, 60)
    return 1 <= h < 60 and (sec == 0 or sec == m)


def video_strip(vid: str, notes: list, duration: int | None, off_scale: set, stats) -> VideoAudit:
    """One video's strip. Times left off it (``outliers``): after the known end; flagged
    by TS005 or TS007; or, where the length is unknown, :func:`misplaced` times past 1.25
    times the latest time of another form cited by the video's other notes (by the note
    itself when it is alone): TS007 needs three notes on a video to see those, and one
    note's ``58:21:00`` must not stretch a strip to 58 hours.
    It is a drawing decision, not a finding: a real 1:52:00 cited after nothing later
    than 1:29:00 is left off too, and counted as an outlier."""
    # ``notes``: (display path, index entry) of the video's notes, by path; ``duration``: the
    # videos file's, used when no note gives one in its front matter
    duration = next((e.duration for _, e in notes if e.duration is not None), duration)
    per_note = []
    for path, e in notes:
        per_note.append([t for t, start, _ in e.cited()
                         if (path, start) not in off_scale and (duration is None or t <= duration)])
    if duration is None:
        plain = [max((t for t in ts if not misplaced(t)), default=0) for ts in per_note]
        for i, ts in enumerate(per_note):
            # the other notes' latest plain time; the note's own when it is alone
            ref = max((p for j, p in enumerate(plain) if j != i), default=0) or plain[i]
            if ref:
                per_note[i] = [t for t in ts if not (misplaced(t) and t > 1.25 * ref)]
    kept = [t for ts in per_note for t in ts]
    outliers = sum(len(e.times) // 12 for _, e in notes) - len(kept)  # 3 packed 4-byte ints a time
    spans = [NoteSpan(path=path, first=min(ts, default=None), last=max(ts, default=None), times=sorted(set(ts)))
             for (path, _), ts in zip(notes, per_note)]
    end = duration if duration is not None else max(kept, default=0)
    minutes = [0] * max(1, -(-end // 60) if end else 1)
    for t in kept:
        minutes[min(t // 60, len(minutes) - 1)] += 1
    channels = Counter(stats[e.rel].channel for _, e in notes if stats[e.rel].channel)
    channel = sorted(channels.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] if channels else None
    return VideoAudit(
        video_id=vid, channel=channel, notes=spans, duration=duration, first=min(kept, default=None),
        last=max(kept, default=None), citations=len(kept), outliers=outliers, minutes=minutes,
        cited_minutes=sum(1 for m in minutes if m),
    )




def transcript_audit(supports: list, n_minutes: int) -> TranscriptAudit:
    """A video's citations against its transcript, from its notes'
    :class:`~notelint.transcripts.support.CitationSupport` records; ``n_minutes``: the strip's length."""
    states = Counter(s.state for s in supports)
    minutes = [0] * n_minutes
    for s in supports:
        if s.where is not None and s.state in ("supported", "elsewhere") and n_minutes:
            minutes[min(s.where // 60, n_minutes - 1)] += 1
    n = len(supports)
    return TranscriptAudit(
        citations=n, supported=states["supported"], elsewhere=states["elsewhere"], past_end=states["past-end"],
        unclear=states["unclear"], share_supported=round(states["supported"] / n, 6) if n else None,
        support_minutes=minutes,
    )
