"""The audit as a short Markdown summary: one pull-request comment.

GitHub takes comments of up to 65,536 characters; the summary keeps every
list short (top entries, the rest counted) and the long lists inside
``<details>``, so it stays a fraction of that on any vault. Note text is
escaped so that a title cannot inject Markdown or HTML into the comment.
"""

from __future__ import annotations

import re

from .fmt import note_name, when
from .model import AuditReport

LIMIT = 65536
TOP = 10
_SPECIAL = re.compile(r"([\\`*_\[\]|#~])")


def md(text: str) -> str:
    """Escape text for a Markdown table cell or list item."""
    text = " ".join(str(text).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _SPECIAL.sub(r"\\\1", text)


def _n(v: int) -> str:
    return f"{v:,}"


def _pct(v: float | None) -> str:
    return "–" if v is None else f"{v * 100:.1f}%"


def _name(path: str) -> str:
    return note_name(path)


def _arrow(change) -> str:
    if change is None or change.verdict == "same" or change.delta is None:
        return ""
    mark = {"better": "🟢", "worse": "🔴"}.get(change.verdict, "⚪")
    delta = f"{change.delta * 100:+.1f} pts" if change.metric == "coverage" else f"{change.delta:+,.0f}"
    return f" {mark} {delta}"


def render(report: AuditReport) -> str:
    r = report
    lines = _summary(r) + _transcripts(r) + _since_baseline(r) + _by_rule(r) + _wanted(r) + _least_cited(r) + _graph(r)
    text = "\n".join(lines).rstrip() + "\n"
    if len(text) > LIMIT:  # never on a real vault; the lists above are capped
        text = text[: LIMIT - 80].rsplit("\n", 1)[0] + "\n\n… (cut to fit a comment)\n"
    return text


def _summary(r: AuditReport) -> list[str]:
    s = r.summary
    changes = {m.metric: m for m in r.trend.metrics} if r.trend else {}
    sev = s.by_severity
    return [
        f"## notelint audit: {md(r.vault)}",
        "",
        f"**{_pct(s.coverage)}** of {_n(s.claims)} claims cite the video "
        f"({_n(s.claims - s.cited_claims)} do not) · {_n(s.findings)} findings · "
        f"{_n(s.wanted)} wanted notes",
        "",
        "| notes | claims | citation coverage | citations | findings | wanted notes | orphans | dead ends |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        "| " + " | ".join([
            f"{_n(s.notes)}{_arrow(changes.get('notes'))}",
            f"{_n(s.claims)}{_arrow(changes.get('claims'))}",
            f"{_pct(s.coverage)}{_arrow(changes.get('coverage'))}",
            f"{_n(s.citations)}{_arrow(changes.get('citations'))}",
            f"{_n(s.findings)} ({_n(sev.get('error', 0))} errors, {_n(sev.get('warning', 0))} warnings)"
            f"{_arrow(changes.get('findings'))}",
            f"{_n(s.wanted)}{_arrow(changes.get('wanted'))}",
            f"{_n(s.orphans)}{_arrow(changes.get('orphans'))}",
            f"{_n(s.dead_ends)}{_arrow(changes.get('dead_ends'))}",
        ]) + " |",
        "",
    ]


def _transcripts(r: AuditReport) -> list[str]:
    """One line on the citations of the videos that have a transcript (the TR rules)."""
    ts = [v.transcript for v in r.videos if v.transcript is not None]
    n = sum(t.citations for t in ts)
    if not n:
        return []
    supported, elsewhere, past = (sum(getattr(t, k) for t in ts) for k in ("supported", "elsewhere", "past_end"))
    return [
        f"Transcripts: **{_pct(supported / n)}** of {_n(n)} citations on {_n(len(ts))} videos supported at the cited "
        f"time · {_n(elsewhere)} said at another time · {_n(past)} after the end of the video",
        "",
    ]


def _since_baseline(r: AuditReport) -> list[str]:
    if r.trend is None:
        return []
    t = r.trend
    lines = []
    better = [m for m in t.metrics if m.verdict == "better"]
    worse = [m for m in t.metrics if m.verdict == "worse"]
    lines.append(f"**Since the baseline** ({md(when(t.baseline_generated))}): "
                 + (", ".join(f"{m.metric.replace('_', ' ')}{_arrow(m)}" for m in better) or "nothing")
                 + " better; "
                 + (", ".join(f"{m.metric.replace('_', ' ')}{_arrow(m)}" for m in worse) or "nothing")
                 + " worse.")
    lines.append("")
    if t.notes_better or t.notes_worse or t.notes_added or t.notes_removed:
        lines.append(f"Notes: {len(t.notes_better)} better, {len(t.notes_worse)} worse, "
                     f"{len(t.notes_added)} added, {len(t.notes_removed)} removed.")
        for title, items in (("Worse", t.notes_worse), ("Better", t.notes_better)):
            if items:
                shown = ", ".join(f"{md(_name(c.path))} ({c.findings_before}→{c.findings_after})" for c in items[:TOP])
                more = f" and {len(items) - TOP} more" if len(items) > TOP else ""
                lines.append(f"- {title}: {shown}{more}")
        lines.append("")
    if t.wanted_resolved:
        lines.append(f"No longer wanted (written, renamed or unlinked): {', '.join(md(w) for w in t.wanted_resolved[:TOP])}"
                     + (f" and {len(t.wanted_resolved) - TOP} more" if len(t.wanted_resolved) > TOP else "") + ".")
        lines.append("")
    return lines


def _by_rule(r: AuditReport) -> list[str]:
    s = r.summary
    if not s.by_rule:
        return []
    rule_changes = {m.metric: m for m in r.trend.rules} if r.trend else {}
    lines = ["### Findings by rule", "", "| rule | | findings |", "| --- | --- | ---: |"]
    for code, n in sorted(s.by_rule.items(), key=lambda kv: (-kv[1], kv[0])):
        info = r.rules.get(code)
        name = f"{info.name} ({info.severity})" if info else ""
        lines.append(f"| {code} | {md(name)} | {_n(n)}{_arrow(rule_changes.get(code))} |")
    if r.trend:
        for m in r.trend.rules:
            if m.metric not in s.by_rule:
                lines.append(f"| {m.metric} | | 0{_arrow(m)} |")
    lines.append("")
    return lines


def _wanted(r: AuditReport) -> list[str]:
    lines = []
    wanted = [w for w in r.wanted if not w.channel]
    if wanted:
        lines += ["### Notes to write next", "", "| missing note | linked from | |", "| --- | ---: | --- |"]
        for w in wanted[:TOP]:
            refs = ", ".join(md(_name(p)) for p in w.referrers[:3]) + (" …" if len(w.referrers) > 3 else "")
            lines.append(f"| {md(w.target)} | {len(w.referrers)} | {refs} |")
        if len(wanted) > TOP:
            lines.append(f"\n… and {len(wanted) - TOP} more in the HTML report.")
        lines.append("")
    channels = [w for w in r.wanted if w.channel]
    if channels:
        lines.append(f"Channel notes missing: {len(channels)} "
                     f"({', '.join(md(w.target) for w in channels[:TOP])}{' …' if len(channels) > TOP else ''}).")
        lines.append("")
    return lines


def _least_cited(r: AuditReport) -> list[str]:
    weakest = sorted((n for n in r.notes if n.coverage is not None and n.coverage < 1),
                     key=lambda n: (n.coverage, -n.claims, n.path))
    if not weakest:
        return []
    lines = ["### Least cited notes", "", "| note | coverage | uncited claims | findings |", "| --- | ---: | ---: | ---: |"]
    for n in weakest[:TOP]:
        lines.append(f"| {md(_name(n.path))} | {_pct(n.coverage)} | {n.claims - n.cited_claims} | {n.findings} |")
    lines.append("")
    return lines


def _graph(r: AuditReport) -> list[str]:
    lines = []
    for title, paths in (("Orphan notes (no links in)", r.orphans), ("Dead-end notes (no links out)", r.dead_ends)):
        if paths:
            shown = ", ".join(md(_name(p)) for p in paths[:50]) + (f" … and {len(paths) - 50} more" if len(paths) > 50 else "")
            lines += [f"<details><summary>{title}: {len(paths)}</summary>", "", shown, "", "</details>", ""]
    return lines
