"""Inline SVG charts for the audit page: no library, no script, no style attribute.

Every function returns an ``<svg>`` string; every piece of text in it goes
through :func:`esc`. Sizes are in CSS pixels of the ``viewBox``; the page's
stylesheet makes the charts scale to their panel's width. Colours are given
as presentation attributes (``fill``) so that a strict Content-Security-Policy
(no inline ``style`` attributes) holds.
"""

from __future__ import annotations

from html import escape

from .fmt import clock, fmt_int

# palette shared with the stylesheet in html.py
GREY = "#e6e9ee"
INK = "#1f2328"
MUTED = "#6b7280"
ACCENT = "#0f766e"
SEVERITY = {"error": "#d1242f", "warning": "#d29922", "info": "#2f81f7"}
# citations in one minute: 1, 2, 3-4, 5+
HEAT = ("#a7e8dc", "#4fc3b0", "#14917f", "#0b5d52")
# coverage buckets, from none to full
COVERAGE = ("#d1242f", "#dc4a2e", "#e06c2c", "#e48b2a", "#e0a526", "#cdb42a",
            "#a7b836", "#7cb342", "#52a852", "#2f9a5c", "#1a7f4b")


def esc(value) -> str:
    return escape(str(value), quote=True)


def heat(count: int) -> str:
    if count <= 0:
        return GREY
    return HEAT[0] if count == 1 else HEAT[1] if count == 2 else HEAT[2] if count <= 4 else HEAT[3]


def coverage_colour(fraction: float | None) -> str:
    if fraction is None:
        return GREY
    return COVERAGE[min(10, int(fraction * 10 + 1e-9))]


def _svg(width: float, height: float, body: list[str], label: str, cls: str = "chart") -> str:
    return (
        f'<svg class="{cls}" viewBox="0 0 {width:g} {height:g}" width="{width:g}" height="{height:g}" '
        f'role="img" aria-label="{esc(label)}" xmlns="http://www.w3.org/2000/svg">'
        f'<title>{esc(label)}</title>' + "".join(body) + "</svg>"
    )


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _runs(minutes: list[int]):
    """(first minute, last minute, colour, citations) of each run of one colour."""
    runs = []
    for i, count in enumerate(minutes):
        colour = heat(count)
        if runs and runs[-1][2] == colour:
            a, _, c, total = runs[-1]
            runs[-1] = (a, i, c, total + count)
        else:
            runs.append((i, i, colour, count))
    return runs


def hbars(rows: list[tuple[str, str, int, str, str]], *, width: int = 420, label: str) -> str:
    """Horizontal bars: (code, name, value, colour, tooltip) per row, largest first."""
    if not rows:
        return _svg(width, 40, ['<text x="0" y="24" class="muted">nothing to show</text>'], label)
    bar_h, gap, top = 18, 8, 4
    code_w, name_w, value_w = 52, 150, 48
    track = width - code_w - name_w - value_w
    top_value = max(v for _, _, v, _, _ in rows) or 1
    out = []
    for i, (code, name, value, colour, tip) in enumerate(rows):
        y = top + i * (bar_h + gap)
        w = max(2.0, track * value / top_value) if value else 0
        mid = y + bar_h / 2 + 4
        out.append(
            f'<g class="bar"><title>{esc(tip)}</title>'
            f'<text x="0" y="{mid:g}" class="code">{esc(code)}</text>'
            f'<text x="{code_w}" y="{mid:g}" class="muted">{esc(_short(name, 22))}</text>'
            f'<rect class="track" x="{code_w + name_w}" y="{y}" width="{track:g}" height="{bar_h}" rx="3" fill="{GREY}" opacity="0.45"/>'
            f'<rect x="{code_w + name_w}" y="{y}" width="{w:.1f}" height="{bar_h}" rx="3" fill="{colour}"/>'
            f'<text x="{width}" y="{mid:g}" text-anchor="end" class="num">{fmt_int(value)}</text></g>'
        )
    height = top + len(rows) * (bar_h + gap)
    return _svg(width, height, out, label)


def named_bars(rows: list[tuple[str, int, str]], *, width: int = 420, label: str) -> str:
    """Horizontal bars led by a long name: (name, value, tooltip) per row, largest first."""
    bar_h, gap, name_w, value_w = 18, 8, 210, 30
    track = width - name_w - value_w
    top_value = max((v for _, v, _ in rows), default=0) or 1
    out = []
    for i, (name, value, tip) in enumerate(rows):
        y = 4 + i * (bar_h + gap)
        mid = y + bar_h / 2 + 4
        out.append(
            f'<g class="bar"><title>{esc(tip)}</title><text x="0" y="{mid:g}">{esc(_short(name, 30))}</text>'
            f'<rect x="{name_w}" y="{y}" width="{track * value / top_value:.1f}" height="{bar_h}" rx="3" fill="{ACCENT}"/>'
            f'<text x="{width}" y="{mid:g}" text-anchor="end" class="num">{fmt_int(value)}</text></g>')
    return _svg(width, 4 + len(rows) * (bar_h + gap), out, label)


def columns(bins: list[tuple[str, int, str, str]], *, width: int = 420, height: int = 220, label: str,
            axis: str = "") -> str:
    """Vertical columns: (tick label, value, colour, tooltip) per bin."""
    left, bottom, top = 28, 40, 18
    plot_h = height - bottom - top
    n = max(1, len(bins))
    slot = (width - left) / n
    top_value = max((v for _, v, _, _ in bins), default=0) or 1
    out = [f'<line x1="{left}" y1="{top + plot_h}" x2="{width}" y2="{top + plot_h}" stroke="{MUTED}" stroke-width="1"/>']
    for frac in (0.5, 1.0):
        y = top + plot_h * (1 - frac)
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width}" y2="{y:.1f}" class="grid"/>'
                   f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" class="tick">{fmt_int(round(top_value * frac))}</text>')
    for i, (tick, value, colour, tip) in enumerate(bins):
        x = left + i * slot + slot * 0.12
        w = slot * 0.76
        h = plot_h * value / top_value
        y = top + plot_h - h
        out.append(f'<g class="bar"><title>{esc(tip)}</title>'
                   f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{max(h, 0):.1f}" rx="2" fill="{colour}"/>')
        if value:
            out.append(f'<text x="{x + w / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle" class="num small">{fmt_int(value)}</text>')
        out.append(f'<text x="{x + w / 2:.1f}" y="{top + plot_h + 15}" text-anchor="middle" class="tick">{esc(tick)}</text></g>')
    if axis:
        out.append(f'<text x="{(left + width) / 2:.1f}" y="{height - 4}" text-anchor="middle" class="muted">{esc(axis)}</text>')
    return _svg(width, height, out, label)


def ring(fraction: float | None, *, size: int = 64, label: str) -> str:
    """A progress ring for a fraction (coverage)."""
    r = size / 2 - 6
    c = size / 2
    circ = 2 * 3.141592653589793 * r
    done = circ * (fraction or 0)
    out = [f'<circle class="track-line" cx="{c}" cy="{c}" r="{r}" fill="none" stroke="{GREY}" stroke-width="8"/>']
    if fraction:
        out.append(
            f'<circle cx="{c}" cy="{c}" r="{r}" fill="none" stroke="{coverage_colour(fraction)}" stroke-width="8" '
            f'stroke-linecap="round" stroke-dasharray="{done:.2f} {circ:.2f}" transform="rotate(-90 {c} {c})"/>'
        )
    return _svg(size, size, out, label, cls="ring")


def _tick_step(minutes: int) -> int:
    for step in (1, 2, 5, 10, 15, 30, 60, 120):
        if minutes / step <= 10:
            return step
    return 240


def strip(minutes: list[int], notes: list[tuple[str, list[int]]], *, video_url: str | None,
          width: int = 960, label: str) -> str:
    """Which minutes of a video are cited: one cell per minute, then one row of ticks per note.

    Runs of minutes of one colour are one cell, a link (with ``video_url``) to
    the run's first minute in the video: a gap links to where it starts. Links
    are plain ``<a href>``: they load nothing until followed. ``notes`` is
    (name, cited seconds) per note.
    """
    n = max(1, len(minutes))
    left, cell_h, row_h, axis_h = 210, 24, 17, 18
    plot = width - left
    cell = plot / n
    out = [f'<text x="0" y="{cell_h / 2 + 4}" class="label strong">minutes cited</text>']
    for a, b, colour, total in _runs(minutes):
        x = left + a * cell
        w = (b - a + 1) * cell - (1 if cell > 4 else 0)
        where = f"minute {a}" if a == b else f"minutes {a}–{b}"
        tip = f"{where}: " + (f"{total} citation{'s' if total != 1 else ''}" if total else "not cited")
        track = ' class="track"' if colour == GREY else ""
        rect = f'<rect{track} x="{x:.1f}" y="0" width="{max(w, 0.6):.1f}" height="{cell_h}" fill="{colour}"><title>{esc(tip)}</title></rect>'
        if video_url:
            rect = f'<a href="{esc(video_url)}&amp;t={a * 60}s">{rect}</a>'
        out.append(rect)
    step = _tick_step(n)
    y_axis = cell_h + 13
    for m in range(0, n + 1, step):
        x = left + min(m * cell, plot)
        anchor = "start" if m == 0 else "end" if m >= n else "middle"
        out.append(f'<line x1="{x:.1f}" y1="{cell_h}" x2="{x:.1f}" y2="{cell_h + 4}" stroke="{MUTED}"/>'
                   f'<text x="{x:.1f}" y="{y_axis}" text-anchor="{anchor}" class="tick">{m} min</text>')
    y0 = cell_h + axis_h + 4
    for j, (name, times) in enumerate(notes):
        y = y0 + j * row_h
        mid = y + row_h / 2
        out.append(f'<text x="0" y="{mid + 4:.1f}" class="label"><title>{esc(name)}</title>{esc(_short(name, 30))}</text>'
                   f'<line x1="{left}" y1="{mid:.1f}" x2="{width}" y2="{mid:.1f}" class="rail"/>')
        if times:
            a, b = left + min(times) / 60 * cell, left + max(times) / 60 * cell
            listed = ", ".join(clock(t) for t in times[:40]) + (f" … ({len(times)} times)" if len(times) > 40 else "")
            ticks = "".join(f"M{min(left + t / 60 * cell, width - 2):.1f} {y + 3}v{row_h - 6}" for t in times)
            out.append(f'<g><title>{esc(name)} cites {esc(listed)}</title>'
                       f'<rect x="{a:.1f}" y="{mid - 2:.1f}" width="{max(b - a, 1):.1f}" height="4" rx="2" fill="{HEAT[1]}" opacity="0.6"/>'
                       f'<path d="{ticks}" stroke="{HEAT[3]}" stroke-width="2"/></g>')
    height = y0 + len(notes) * row_h + 2
    return _svg(width, height, out, label, cls="strip")
