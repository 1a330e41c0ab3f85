"""Build an :class:`~notelint.audit.model.AuditReport` from a checker run.

Everything comes from the :class:`~notelint.checker.RunResult`: the findings,
and each note's :class:`~notelint.vault.NoteSummary` (its keys, links, cited
times and :class:`~notelint.vault.NoteStats`). No note is parsed again; a
summary without stats (e.g. one a cache kept from an index-only run) is
filled from a fresh parse of that one note.

The link graph is the whole vault's: a note linked only from a note outside
the PATHS audited is not an orphan. Links to the note itself and to the
note's own headings do not count. The source line's channel link counts as
an inbound link of the channel note (so notes a channel page lists are not
orphans) but not as an outbound link of the note: a note whose only way out
is back to its channel is a dead end.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, timezone

from ..config import DEFAULT_MAX_FILE_SIZE
from ..findings import Finding
from ..report.json_report import finding_dict
from ..vault import NoteSummary, Vault, leaves_vault, normalize
from ..vault import cited as cited_times
from .model import (
    AuditReport,
    AuditSummary,
    MetricChange,
    NoteAudit,
    NoteChange,
    NoteSpan,
    RuleInfo,
    Trend,
    VideoAudit,
    WantedNote,
)

SEVERITIES = ("error", "warning", "info")
# rules whose finding on a cited time means the time is off the video's scale
OFF_SCALE = ("TS005", "TS007")


def _ratio(num: int, den: int) -> float | None:
    return round(num / den, 6) if den else None


def _stats(summary: NoteSummary, result, max_size: int):
    if summary.stats is not None:
        return summary.stats
    from ..checker import note_stats, read_note
    from ..document import Note
    from ..parse import parse_note

    res = result.results.get(summary.path)
    data, problem = read_note(res.file, max_size) if res is not None else (None, "gone")
    note = parse_note(summary.path, summary.rel, data) if data is not None else Note(summary.path, summary.rel, b"", unreadable=problem)
    return note_stats(note)


def collect(result, *, vault_root: str, external_targets=(), durations: dict[str, int] | None = None,
            rules: dict[str, tuple[str, str]] | None = None, baseline: AuditReport | None = None,
            generated: datetime | None = None, max_file_size: int = DEFAULT_MAX_FILE_SIZE) -> AuditReport:
    """The audit of the notes ``result`` checked, against the whole vault it indexed.

    ``rules`` maps a rule code to (name, severity), passed in by the CLI.
    """
    from .. import __version__

    durations = durations or {}
    rules = rules or {}
    summaries = {res.summary.rel: res.summary for res in result.results.values()}
    vault = Vault(list(summaries.values()), list(external_targets))
    audited = [result.results[p].summary for p in result.files if p in result.results]
    audited_rels = {s.rel for s in audited}
    stats = {s.rel: _stats(s, result, max_file_size) for s in audited}

    # -- link graph over the whole vault ------------------------------------
    inbound: dict[str, set[str]] = defaultdict(set)
    outbound: dict[str, set[str]] = defaultdict(set)
    link_refs = 0
    unresolved: Counter = Counter()  # rel -> unresolved references
    wanted: dict[str, dict] = {}
    for s in summaries.values():
        st = stats.get(s.rel) or s.stats
        channel = normalize(st.channel) if st is not None and st.channel else None
        for target, _heading, _start, _end in s.links:
            if not target:
                continue  # [[#Heading]]: the note itself
            rels = vault.resolve(target)
            key = normalize(target)
            if rels:
                for rel in rels:
                    if rel == s.rel:
                        continue
                    inbound[rel].add(s.rel)
                    if key != channel:
                        outbound[s.rel].add(rel)
                if s.rel in audited_rels and any(rel != s.rel for rel in rels):
                    link_refs += 1
                continue
            if s.rel not in audited_rels or vault.is_external(target) or leaves_vault(target):
                continue
            unresolved[s.rel] += 1
            w = wanted.setdefault(key, {"spellings": Counter(), "referrers": [], "references": 0, "channel": False})
            w["spellings"][target] += 1
            w["references"] += 1
            if s.path not in w["referrers"]:
                w["referrers"].append(s.path)
            w["channel"] = w["channel"] or key == channel

    wanted_list = []
    for key, w in wanted.items():
        target = sorted(w["spellings"].items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        closest = vault.suggest(target, 1)
        wanted_list.append(WantedNote(
            target=target, referrers=sorted(w["referrers"]), references=w["references"],
            channel=w["channel"], closest=closest[0] if closest else None,
        ))
    wanted_list.sort(key=lambda w: (-len(w.referrers), -w.references, normalize(w.target), w.target))

    # -- findings -------------------------------------------------------------
    findings: list[Finding] = result.findings
    by_path: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        by_path[f.path].append(f)
    # a finding on a citation starts where the citation starts (byte offset in the note)
    off_scale = {(f.path, f.offset) for f in findings if f.code in OFF_SCALE}

    # -- notes ------------------------------------------------------------------
    notes: list[NoteAudit] = []
    for s in sorted(audited, key=lambda s: s.path):
        st = stats[s.rel]
        fs = by_path.get(s.path, [])
        sev = Counter(f.severity for f in fs)
        times = [t for t, _, _ in cited_times(s)]
        notes.append(NoteAudit(
            path=s.path, rel=s.rel, title=st.title, video_id=s.video_id,
            claims=st.claims, cited_claims=st.cited_claims, coverage=_ratio(st.cited_claims, st.claims),
            citations=st.citations, first=min(times, default=None), last=max(times, default=None),
            findings=len(fs), by_severity={k: sev[k] for k in SEVERITIES},
            by_rule=dict(sorted(Counter(f.code for f in fs).items())),
            links_in=len(inbound[s.rel]), links_out=len(outbound[s.rel]), unresolved_links=unresolved[s.rel],
            orphan=not inbound[s.rel], dead_end=not outbound[s.rel],
        ))

    # -- videos -------------------------------------------------------------------
    by_video: dict[str, list[NoteSummary]] = defaultdict(list)
    for s in audited:
        if s.video_id:
            by_video[s.video_id].append(s)
    videos = [_video(vid, sorted(ss, key=lambda s: s.path), durations, off_scale, stats) for vid, ss in by_video.items()]
    videos.sort(key=lambda v: v.video_id)

    # -- summary ------------------------------------------------------------------
    claims = sum(n.claims for n in notes)
    cited = sum(n.cited_claims for n in notes)
    sev = Counter(f.severity for f in findings)
    summary = AuditSummary(
        notes=len(notes), vault_notes=result.vault_size, videos=len(videos),
        claims=claims, cited_claims=cited, citations=sum(n.citations for n in notes),
        coverage=_ratio(cited, claims), findings=len(findings),
        by_severity={k: sev[k] for k in SEVERITIES},
        by_rule=dict(sorted(Counter(f.code for f in findings).items())),
        links=link_refs, unresolved_links=sum(unresolved.values()), wanted=len(wanted_list),
        orphans=sum(n.orphan for n in notes), dead_ends=sum(n.dead_end for n in notes),
    )
    report = AuditReport(
        tool="notelint", kind="audit", version=__version__,
        generated=(generated or datetime.now(timezone.utc)).isoformat(timespec="seconds"),
        vault=vault_root, summary=summary,
        rules={c: RuleInfo(name=rules[c][0], severity=rules[c][1]) for c in summary.by_rule if c in rules},
        trend=None, wanted=wanted_list,
        orphans=[n.path for n in notes if n.orphan], dead_ends=[n.path for n in notes if n.dead_end],
        videos=videos, notes=notes, findings=[finding_dict(f) for f in findings],
    )
    if baseline is not None:
        report.trend = trend(baseline, report)
    return report


def misplaced(t: int) -> bool:
    """A time that reads like minutes:seconds written as hours:minutes (``58:21:00``, ``16:06:06``)."""
    h, rest = divmod(t, 3600)
    m, sec = divmod(rest, 60)
    return 1 <= h < 60 and (sec == 0 or sec == m)


def _video(vid: str, summaries: list[NoteSummary], durations: dict[str, int], off_scale: set, stats) -> VideoAudit:
    """One video's strip. Times left off it (``outliers``): after the known end; flagged
    by TS005 or TS007; or, where the length is unknown, :func:`misplaced` times past 1.25
    times the latest time of another form cited by the video's other notes (by the note
    itself when it is alone): TS007 needs three notes on a video to see those, and one
    note's ``58:21:00`` must not stretch a strip to 58 hours.
    It is a drawing decision, not a finding: a real 1:52:00 cited after nothing later
    than 1:29:00 is left off too, and counted as an outlier."""
    duration = next((s.duration for s in summaries if s.duration is not None), None)
    if duration is None:
        duration = durations.get(vid)
    per_note = []
    for s in summaries:
        per_note.append([t for t, start, _ in cited_times(s)
                         if (s.path, start) not in off_scale and (duration is None or t <= duration)])
    if duration is None:
        plain = [max((t for t in ts if not misplaced(t)), default=0) for ts in per_note]
        for i, ts in enumerate(per_note):
            # the other notes' latest plain time; the note's own when it is alone
            ref = max((p for j, p in enumerate(plain) if j != i), default=0) or plain[i]
            if ref:
                per_note[i] = [t for t in ts if not (misplaced(t) and t > 1.25 * ref)]
    kept = [t for ts in per_note for t in ts]
    outliers = sum(len(s.times) // 12 for s in summaries) - len(kept)  # 3 packed 4-byte ints a time
    spans = [NoteSpan(path=s.path, first=min(ts, default=None), last=max(ts, default=None), times=sorted(set(ts)))
             for s, ts in zip(summaries, per_note)]
    end = duration if duration is not None else max(kept, default=0)
    minutes = [0] * max(1, -(-end // 60) if end else 1)
    for t in kept:
        minutes[min(t // 60, len(minutes) - 1)] += 1
    channels = Counter(stats[s.rel].channel for s in summaries if stats[s.rel].channel)
    channel = sorted(channels.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] if channels else None
    return VideoAudit(
        video_id=vid, channel=channel, notes=spans, duration=duration, first=min(kept, default=None),
        last=max(kept, default=None), citations=len(kept), outliers=outliers, minutes=minutes,
        cited_minutes=sum(1 for m in minutes if m),
    )


# -- trend ------------------------------------------------------------------------

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
