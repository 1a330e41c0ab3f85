"""What got better and what got worse since a baseline audit."""

from __future__ import annotations

from ..vault import normalize
from .model import AuditReport, AuditSummary, MetricChange, NoteChange, Trend

# (metric, which way is better); read from the summary
TREND_METRICS = (
    ("notes", None), ("claims", None), ("citations", None), ("coverage", "up"),
    ("findings", "down"), ("errors", "down"), ("warnings", "down"),
    ("wanted", "down"), ("orphans", "down"), ("dead_ends", "down"),
)


def _metric(summary: AuditSummary, name: str):
    if name in ("errors", "warnings"):
        return summary.by_severity.get(name[:-1], 0)
    return getattr(summary, name)


def _change(metric: str, before, after, better) -> MetricChange:
    delta = None if before is None or after is None else round(after - before, 6)
    if before == after:
        verdict = "same"
    elif better is None or delta is None:
        verdict = "changed"
    else:
        verdict = "better" if (delta > 0) == (better == "up") else "worse"
    return MetricChange(metric=metric, before=before, after=after, delta=delta, better=better, verdict=verdict)


def trend(base: AuditReport, now: AuditReport) -> Trend:
    """What got better and what got worse since ``base``."""
    metrics = [_change(m, _metric(base.summary, m), _metric(now.summary, m), d) for m, d in TREND_METRICS]
    codes = sorted(set(base.summary.by_rule) | set(now.summary.by_rule))
    rules = [
        _change(c, base.summary.by_rule.get(c, 0), now.summary.by_rule.get(c, 0), "down")
        for c in codes if base.summary.by_rule.get(c, 0) != now.summary.by_rule.get(c, 0)
    ]
    rules.sort(key=lambda m: (-abs(m.delta or 0), m.metric))
    old = {n.rel: n for n in base.notes}
    new = {n.rel: n for n in now.notes}
    better, worse = [], []
    for rel in sorted(old.keys() & new.keys()):
        a, b = old[rel], new[rel]
        change = NoteChange(path=b.path, findings_before=a.findings, findings_after=b.findings,
                            coverage_before=a.coverage, coverage_after=b.coverage)
        cov = (b.coverage or 0) - (a.coverage or 0)
        if b.findings > a.findings or (b.findings == a.findings and cov < 0):
            worse.append(change)
        elif b.findings < a.findings or cov > 0:
            better.append(change)
    better.sort(key=lambda c: (c.findings_after - c.findings_before, c.path))
    worse.sort(key=lambda c: (c.findings_before - c.findings_after, c.path))
    old_wanted = {normalize(w.target): w.target for w in base.wanted}
    new_wanted = {normalize(w.target): w.target for w in now.wanted}
    return Trend(
        baseline_generated=base.generated, metrics=metrics, rules=rules,
        notes_better=better, notes_worse=worse,
        notes_added=sorted(new[r].path for r in new.keys() - old.keys()),
        notes_removed=sorted(old[r].path for r in old.keys() - new.keys()),
        wanted_resolved=sorted(old_wanted[k] for k in old_wanted.keys() - new_wanted.keys()),
        wanted_new=[w.target for w in now.wanted if normalize(w.target) not in old_wanted],
    )
