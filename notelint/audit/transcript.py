"""The audit page's transcript row of a video: where the transcript supports its notes' citations.

One function, :func:`transcript_block`, called by the video panel of
:mod:`.html`: a line of counts, then one row of minute cells drawn on the
same geometry as the video's strip (:func:`.svg.strip`, ``left`` 210 px),
so that a minute the notes cite sits above the minute where the transcript
says what they cite for.
"""

from __future__ import annotations

from .model import VideoAudit
from .svg import GREY, HEAT, esc

LEFT = 210  # the strip's label column


def heat(count: int) -> str:
    """The colour of a minute cell with ``count`` citations (the strip's scale, as page.js draws it)."""
    if count <= 0:
        return GREY
    return HEAT[0] if count == 1 else HEAT[1] if count == 2 else HEAT[2] if count <= 4 else HEAT[3]


def transcript_block(v: VideoAudit, video_url: str | None, width: int = 1180) -> str:
    """The counts and the support row of ``v``; empty when the video has no transcript."""
    t = v.transcript
    if t is None:
        return ""
    share = f"{t.share_supported * 100:.0f}%" if t.share_supported is not None else "–"
    parts = [f'<b data-supported="{t.supported}">{share}</b> of {t.citations} citations supported by the transcript']
    if t.elsewhere:
        parts.append(f"{t.elsewhere} said at another time")
    if t.past_end:
        parts.append(f"{t.past_end} after its end")
    if t.unclear:
        parts.append(f"{t.unclear} unclear")
    stat = f'<div class="vhead"><span class="stat">{" · ".join(parts)}</span></div>'
    return stat + _support_row(t.support_minutes, video_url, width, v.video_id)


def _support_row(minutes: list[int], video_url: str | None, width: int, video_id: str) -> str:
    n = max(1, len(minutes))
    cell = (width - LEFT) / n
    height = 24
    out = [f'<text x="0" y="{height / 2 + 4}" class="label strong">support lies</text>']
    for i, count in enumerate(minutes):
        x = LEFT + i * cell
        tip = f"minute {i}: " + (f"the support of {count} citation{'s' if count != 1 else ''}" if count else "no support")
        track = ' class="track"' if heat(count) == GREY else ""
        rect = (f'<rect{track} x="{x:.1f}" y="0" width="{max(cell - (1 if cell > 4 else 0), 0.6):.1f}" '
                f'height="{height}" fill="{heat(count)}"><title>{esc(tip)}</title></rect>')
        if video_url and count:
            rect = f'<a href="{esc(video_url)}&amp;t={i * 60}s">{rect}</a>'
        out.append(rect)
    label = esc(f"minutes of video {video_id} where the transcript supports its notes' citations")
    return (f'<svg class="strip" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
            f'aria-label="{label}" xmlns="http://www.w3.org/2000/svg"><title>{label}</title>' + "".join(out) + "</svg>")
