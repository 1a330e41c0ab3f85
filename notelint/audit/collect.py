"""Build an :class:`~notelint.audit.model.AuditReport` from a run.

Everything comes from the :class:`~notelint.run.RunResult`: the findings, the
vault index, and each note's :class:`~notelint.vault.IndexEntry` (its names,
links, cited times and :class:`~notelint.vault.NoteStats`). No note is parsed
again; an entry without stats (one a cache kept from an index-only run) is
filled from a fresh parse of that one note.

The link graph is the whole vault's, resolved by the same resolver as the
link rules: a note linked only from a note outside the PATHS audited is not
an orphan. Links to the note itself and to the note's own headings do not
count. The source line's channel link counts as an inbound link of the
channel note (so notes a channel page lists are not orphans) but not as an
outbound link of the note: a note whose only way out is back to its channel
is a dead end.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone

from ..config.limits import DEFAULT_MAX_FILE_SIZE
from ..findings import Finding
from ..report.json_report import finding_dict
from ..vault import IndexEntry, NoteStats, VaultIndex, make_resolver, normalize
from .model import AuditReport, AuditSummary, NoteAudit, RuleInfo, WantedNote
from .trend import trend
from .videos import transcript_audit, video_strip

SEVERITIES = ("error", "warning", "info")
# rules whose finding on a cited time means the time is off the video's scale
OFF_SCALE = ("TS005", "TS007", "TR001", "TR002")


def _ratio(num: int, den: int) -> float | None:
    return round(num / den, 6) if den else None


def _stats(res, max_size: int) -> NoteStats:
    if res.entry.stats is not None:
        return res.entry.stats
    from ..document import Note
    from ..parse import parse_note
    from ..run.lint import note_stats, read_note

    path, rel = res.file.display, res.file.rel
    data, problem = read_note(res.file, max_size)
    note = parse_note(path, rel, data) if data is not None else Note(path, rel, b"", unreadable=problem)
    return note_stats(note)


@dataclass
class LinkGraph:
    """Who links to whom over the whole vault, and the targets that reach no note."""

    inbound: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    outbound: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    references: int = 0  # resolved links of the audited notes to other notes
    unresolved: Counter = field(default_factory=Counter)  # rel -> unresolved references
    wanted: dict[str, dict] = field(default_factory=dict)

    @classmethod
    def of(cls, index: VaultIndex, paths: dict[str, str], audited: set[str], stats: dict) -> LinkGraph:
        graph = cls()
        for rel, entry in index.notes.items():
            st = stats.get(rel) or entry.stats
            channel = normalize(st.channel) if st is not None and st.channel else None
            for link in entry.links:
                if link.target:  # [[#Heading]]: the note itself
                    graph._add(index, rel, paths[rel], link.target, channel, rel in audited)
        return graph

    def _add(self, index: VaultIndex, rel: str, path: str, target: str, channel: str | None, audited: bool) -> None:
        resolver = index.resolver
        rels = index.resolve(target, rel)
        key = normalize(target)  # wanted notes: the spellings of one name together (lenient matching)
        if rels:
            for other in rels:
                if other != rel:
                    self.inbound[other].add(rel)
                    if key != channel:
                        self.outbound[rel].add(other)
            if audited and any(other != rel for other in rels):
                self.references += 1
            return
        if not audited or resolver.unresolvable(target):
            return
        self.unresolved[rel] += 1
        w = self.wanted.setdefault(key, {"spellings": Counter(), "referrers": [], "references": 0, "channel": False})
        w["spellings"][target] += 1
        w["references"] += 1
        if path not in w["referrers"]:
            w["referrers"].append(path)
        w["channel"] = w["channel"] or key == channel

    def wanted_notes(self, index: VaultIndex) -> list[WantedNote]:
        out = []
        for w in self.wanted.values():
            target = sorted(w["spellings"].items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
            closest = index.suggest(target, 1)
            out.append(WantedNote(target=target, referrers=sorted(w["referrers"]), references=w["references"],
                                  channel=w["channel"], closest=closest[0] if closest else None))
        out.sort(key=lambda w: (-len(w.referrers), -w.references, normalize(w.target), w.target))
        return out


def collect(result, settings=None, *, vault_root: str, videos=None, rules: dict[str, tuple[str, str]] | None = None,
            baseline: AuditReport | None = None, generated: datetime | None = None) -> AuditReport:
    """The audit of the notes ``result`` checked, against the whole vault it indexed
    (``result.index``; built with ``settings``' resolver when the run reused its vault findings).

    ``rules`` maps a rule code to (name, severity), passed in by the CLI;
    ``videos`` is the per-video data (:class:`notelint.videos.VideoData`).
    """
    from .. import __version__

    rules = rules or {}
    by_rel = {res.file.rel: res for res in result.results.values()}
    paths = {rel: res.file.display for rel, res in by_rel.items()}
    index = result.index or VaultIndex([r.entry for r in by_rel.values()], make_resolver(settings))
    audited = [result.results[p] for p in result.files if p in result.results]
    max_size = settings.max_file_size if settings is not None else DEFAULT_MAX_FILE_SIZE
    stats = {r.file.rel: _stats(r, max_size) for r in audited}
    graph = LinkGraph.of(index, paths, set(stats), stats)
    wanted = graph.wanted_notes(index)

    findings: list[Finding] = result.findings
    by_path: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        by_path[f.path].append(f)
    notes = [_note_audit(r, stats[r.file.rel], by_path.get(r.file.display, []), graph)
             for r in sorted(audited, key=lambda r: r.file.display)]

    # a finding on a citation starts where the citation starts (byte offset in the note)
    off_scale = {(f.path, f.offset) for f in findings if f.code in OFF_SCALE}
    by_video: dict[str, list[tuple[str, IndexEntry]]] = defaultdict(list)
    for r in audited:
        if r.entry.video_id:
            by_video[r.entry.video_id].append((r.file.display, r.entry))
    video_audits = [_video_audit(vid, sorted(ns, key=lambda n: n[0]), videos, off_scale, stats)
                    for vid, ns in by_video.items()]
    video_audits.sort(key=lambda v: v.video_id)

    claims = sum(n.claims for n in notes)
    cited = sum(n.cited_claims for n in notes)
    sev = Counter(f.severity for f in findings)
    summary = AuditSummary(
        notes=len(notes), vault_notes=result.vault_size, videos=len(video_audits),
        claims=claims, cited_claims=cited, citations=sum(n.citations for n in notes),
        coverage=_ratio(cited, claims), findings=len(findings),
        by_severity={k: sev[k] for k in SEVERITIES},
        by_rule=dict(sorted(Counter(f.code for f in findings).items())),
        links=graph.references, unresolved_links=sum(graph.unresolved.values()), wanted=len(wanted),
        orphans=sum(n.orphan for n in notes), dead_ends=sum(n.dead_end for n in notes),
    )
    report = AuditReport(
        tool="notelint", kind="audit", version=__version__,
        generated=(generated or datetime.now(timezone.utc)).isoformat(timespec="seconds"),
        vault=vault_root, summary=summary,
        rules={c: RuleInfo(name=rules[c][0], severity=rules[c][1]) for c in summary.by_rule if c in rules},
        trend=None, wanted=wanted,
        orphans=[n.path for n in notes if n.orphan], dead_ends=[n.path for n in notes if n.dead_end],
        videos=video_audits, notes=notes, findings=[finding_dict(f) for f in findings],
    )
    if baseline is not None:
        report.trend = trend(baseline, report)
    return report


def _video_audit(vid: str, notes: list[tuple[str, IndexEntry]], videos, off_scale: set, stats: dict):
    """The video's strip, and where its transcript supports its notes' citations when it has one."""
    duration = videos.duration(vid) if videos is not None else None
    transcript = videos.transcript(vid) if videos is not None else None
    index = transcript.index if transcript is not None else None
    if duration is None and index is not None:
        duration = int(index.end + videos.thresholds.end_margin)  # TR001's end
    audit = video_strip(vid, notes, duration, off_scale, stats)
    if index is not None:
        supports = [s for _, e in notes for s in stats[e.rel].support]
        audit.transcript = transcript_audit(supports, len(audit.minutes))
    return audit


def _note_audit(res, st: NoteStats, fs: list[Finding], graph: LinkGraph) -> NoteAudit:
    rel, entry = res.file.rel, res.entry
    sev = Counter(f.severity for f in fs)
    times = [t for t, _, _ in entry.cited()]
    return NoteAudit(
        path=res.file.display, rel=rel, title=st.title, video_id=entry.video_id,
        claims=st.claims, cited_claims=st.cited_claims, coverage=_ratio(st.cited_claims, st.claims),
        citations=st.citations, first=min(times, default=None), last=max(times, default=None),
        findings=len(fs), by_severity={k: sev[k] for k in SEVERITIES},
        by_rule=dict(sorted(Counter(f.code for f in fs).items())),
        links_in=len(graph.inbound[rel]), links_out=len(graph.outbound[rel]), unresolved_links=graph.unresolved[rel],
        orphan=not graph.inbound[rel], dead_end=not graph.outbound[rel],
    )
