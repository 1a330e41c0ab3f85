"""Inline SVG charts for the audit page: no library, no script, no style attribute.

Every function returns an ``<svg>`` string; every piece of text in it goes
through :func:`esc`. Sizes are in CSS pixels of the ``viewBox``; the page's
stylesheet makes the charts scale to their panel's width. Colours are given
as presentation attributes (``fill``) so that a strict Content-Security-Policy
(no inline ``style`` attributes) holds.
"""

from __future__ import annotations

from html import escape

from .fmt import fmt_int

# palette shared with the stylesheet in html.py
GREY = "#e6e9ee"
INK = "#1f2328"
MUTED = "#6b7280"
ACCENT = "#0f766e"
SEVERITY = {"error": "#d1242f", "warning": "#d29922", "info": "#2f81f7"}
# citations in one minute: 1, 2, 3-4, 5+ (the page's script draws the video strips with them)
HEAT = ("#a7e8dc", "#4fc3b0", "#14917f", "#0b5d52")
# coverage buckets, from none to full
COVERAGE = ("#d1242f", "#dc4a2e", "#e06c2c", "#e48b2a", "#e0a526", "#cdb42a",
            "#a7b836", "#7cb342", "#52a852", "#2f9a5c", "#1a7f4b")


def esc(value) -> str:
    return escape(str(value), quote=True)


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


# widths in viewBox pixels of the charts' text, generous, so that no number is clipped
NUM_CHAR = 7.6  # a digit or comma of svg .num (12px, bold, tabular)
TICK_CHAR = 6.8  # of svg .tick (11px)


def text_width(text: str, per_char: float = NUM_CHAR) -> float:
    return len(text) * per_char


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def hbars(rows: list[tuple[str, str, int, str, str]], *, width: int = 420, label: str) -> str:
    """Horizontal bars: (code, name, value, colour, tooltip) per row, largest first."""
    if not rows:
        return _svg(width, 40, ['<text x="0" y="24" class="muted">nothing to show</text>'], label)
    bar_h, gap, top = 18, 8, 4
    code_w, name_w = 52, 150
    value_w = 8 + max(text_width(fmt_int(v)) for _, _, v, _, _ in rows)
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
    bar_h, gap, name_w = 18, 8, 210
    value_w = 8 + max((text_width(fmt_int(v)) for _, v, _ in rows), default=0)
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
    top_value = max((v for _, v, _, _ in bins), default=0) or 1
    # the y axis' labels right-aligned left of the plot: as wide as the widest, never clipped
    left = 10 + text_width(fmt_int(top_value), TICK_CHAR)
    bottom, top = 40, 18
    plot_h = height - bottom - top
    n = max(1, len(bins))
    slot = (width - left) / n
    # a count above a column as wide as its slot or less: smaller type where it would not fit
    widest = max((text_width(fmt_int(v), NUM_CHAR * 11 / 12) for _, v, _, _ in bins), default=0)
    value_cls = "num small" if widest <= slot else "num tiny"
    out = [f'<line x1="{left:.1f}" y1="{top + plot_h}" x2="{width}" y2="{top + plot_h}" stroke="{MUTED}" stroke-width="1"/>']
    for frac in (0.5, 1.0):
        y = top + plot_h * (1 - frac)
        out.append(f'<line x1="{left:.1f}" y1="{y:.1f}" x2="{width}" y2="{y:.1f}" class="grid"/>'
                   f'<text x="{left - 6:.1f}" y="{y + 4:.1f}" text-anchor="end" class="tick">{fmt_int(round(top_value * frac))}</text>')
    for i, (tick, value, colour, tip) in enumerate(bins):
        x = left + i * slot + slot * 0.12
        w = slot * 0.76
        h = plot_h * value / top_value
        y = top + plot_h - h
        out.append(f'<g class="bar"><title>{esc(tip)}</title>'
                   f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{max(h, 0):.1f}" rx="2" fill="{colour}"/>')
        if value:
            out.append(f'<text x="{x + w / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle" class="{value_cls}">{fmt_int(value)}</text>')
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
