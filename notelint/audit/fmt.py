"""How the audit writes numbers, times and note names for people (HTML and Markdown)."""

from __future__ import annotations

from datetime import datetime, timezone


def fmt_int(n: int) -> str:
    return f"{n:,}"


def pct(fraction: float | None, digits: int = 1) -> str:
    return "–" if fraction is None else f"{fraction * 100:.{digits}f}%"


def clock(seconds: int | None) -> str:
    """``1:02:03``, or ``2:03`` under an hour."""
    if seconds is None:
        return "–"
    h, rest = divmod(int(seconds), 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def when(iso: str) -> str:
    """``2026-11-24T13:00:13+00:00`` -> ``24 Nov 2026, 13:00 UTC``."""
    try:
        t = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if t.tzinfo is not None:
        t = t.astimezone(timezone.utc)
    return f"{t.day} {t:%b %Y, %H:%M}" + (" UTC" if t.tzinfo is not None else "")


def note_name(path: str) -> str:
    """A note's file name without ``.md``."""
    name = path.replace("\\", "/").rsplit("/", 1)[-1]
    return name[:-3] if name.endswith(".md") else name
