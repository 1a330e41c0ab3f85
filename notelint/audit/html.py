"""The audit as one self-contained HTML page.

No network: the stylesheet, the script (sort, filter, finding details) and
the charts (SVG) are inline, and a Content-Security-Policy ``meta`` tag
allows only that style and that script (by hash), no other source of any
kind. The only URLs in the page are plain ``<a href>`` links to moments of
the videos on YouTube, which load nothing until someone follows one.

The first screen (the story, the numbers, three charts) and the trend are HTML,
painted before any script runs. The long parts, whose size grows with the vault
(the table of notes, the wanted notes, orphans and dead ends, one strip per
video), are rendered by the script a page at a time from the compressed data
of :mod:`.pagedata`, so that the page of a 20,000-note vault stays a few
megabytes and opens at once.

Every piece of note text (titles, paths, link targets, messages) is escaped
with :func:`html.escape` here, and set with ``textContent`` by the script,
never as HTML.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

from . import svg
from .fmt import fmt_int, note_name, pct, when
from .model import AuditReport, NoteAudit
from .pagedata import encode, page_data
from .svg import esc
from .transcript import transcript_block

_VIDEO_ID = re.compile(r"[A-Za-z0-9_-]{11}")


def video_url(video_id: str | None) -> str | None:
    """A plain link to the video, for well-formed ids only."""
    if video_id and _VIDEO_ID.fullmatch(video_id):  # not "$": it matches before a final newline
        return f"https://www.youtube.com/watch?v={video_id}"
    return None


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{fmt_int(n)} {word if n == 1 else (plural or word + 's')}"


def _name(path: str) -> str:
    return note_name(path)


def _asset(name: str) -> str:
    """A file of the page (its stylesheet, its script), shipped as package data."""
    return (Path(__file__).parent / name).read_text(encoding="utf-8")


CSS = _asset("page.css")
JS = _asset("page.js")


def _delta_chip(report: AuditReport, metric: str, *, percent: bool = False) -> str:
    if report.trend is None:
        return ""
    change = next((m for m in report.trend.metrics if m.metric == metric), None)
    if change is None or change.delta is None:
        return ""
    if change.verdict == "same":
        return '<div><span class="delta same" title="same as the baseline">no change</span></div>'
    d = change.delta
    text = f"{d * 100:+.1f} pts" if percent else f"{d:+,.0f}"
    arrow = "▲" if d > 0 else "▼"
    return (f'<div><span class="delta {change.verdict}" data-delta="{esc(metric)}" '
            f'title="baseline: {esc(_fmt_metric(change.before, percent))}">{arrow} {esc(text)}</span></div>')


def _fmt_metric(value, percent: bool) -> str:
    if value is None:
        return "–"
    return pct(value) if percent else fmt_int(int(value))


def _kpi(report: AuditReport, metric: str, label: str, value: int, sub: str, *, extra: str = "") -> str:
    return (f'<div class="kpi" data-metric="{metric}"><div class="label">{esc(label)}</div>'
            f'<div class="value" data-value="{value}">{fmt_int(value)}</div>'
            f'<div class="sub">{sub}</div>{extra}{_delta_chip(report, metric)}</div>')


def _lede(r: AuditReport) -> str:
    s = r.summary
    parts = []
    if s.claims:
        parts.append(f"<b>{pct(s.coverage)}</b> of {_plural(s.claims, 'claim')} in {_plural(s.notes, 'note')} cite the video; "
                     f"<b>{fmt_int(s.claims - s.cited_claims)}</b> cite nothing.")
    else:
        parts.append(f"{_plural(s.notes, 'note')}, and no claims in them.")
    if s.findings:
        parts.append(f"notelint found <b>{fmt_int(s.findings)}</b> problems "
                     f"({fmt_int(s.by_severity.get('error', 0))} errors).")
    if s.wanted:
        parts.append(f"<b>{fmt_int(s.wanted)}</b> linked notes do not exist yet.")
    if r.trend is not None:
        better = sum(1 for m in r.trend.metrics if m.verdict == "better")
        worse = sum(1 for m in r.trend.metrics if m.verdict == "worse")
        parts.append(f'Since the baseline: <span class="better">{better} better</span>, '
                     f'<span class="worse">{worse} worse</span>.')
    return '<p class="lede">' + " ".join(parts) + "</p>"


def _kpis(r: AuditReport) -> str:
    s = r.summary
    sev = s.by_severity
    per_note = f"{s.citations / s.notes:.1f} per note" if s.notes else "–"
    hero = (
        f'<div class="kpi hero" data-metric="coverage">{svg.ring(s.coverage, size=72, label="citation coverage")}'
        f'<div><div class="label">Citation coverage</div>'
        f'<div class="value" data-value="{"" if s.coverage is None else s.coverage}">{pct(s.coverage)}</div>'
        f'<div class="sub"><span data-metric="cited_claims" data-value="{s.cited_claims}">{fmt_int(s.cited_claims)}</span> of '
        f'<span data-metric="claims" data-value="{s.claims}">{fmt_int(s.claims)}</span> claims cited</div>'
        f'{_delta_chip(r, "coverage", percent=True)}</div></div>'
    )
    sevs = "".join(f'<span class="sev"><span class="dot {k}"></span>{_plural(sev.get(k, 0), k)}</span>'
                   for k in ("error", "warning", "info") if sev.get(k, 0))
    return '<div class="kpis">' + "".join([
        hero,
        _kpi(r, "notes", "Notes", s.notes, f"on {_plural(s.videos, 'video')}"),
        _kpi(r, "citations", "Citations", s.citations, per_note),
        _kpi(r, "findings", "Findings", s.findings, sevs or "none"),
        _kpi(r, "wanted", "Wanted notes", s.wanted, f"{_plural(s.unresolved_links, 'broken link')}"),
        _kpi(r, "orphans", "Orphans", s.orphans, "no links in"),
        _kpi(r, "dead_ends", "Dead ends", s.dead_ends, "no links out"),
    ]) + "</div>"


EVERY_LINK = '<p class="empty">Every link resolves.</p>'
AXIS = "% of a note's claims that cite the video (90 = 90–99%)"


def _least_cited(r: AuditReport, ids: Notes, n: int = 3) -> str:
    weakest = sorted((x for x in r.notes if x.coverage is not None and x.coverage < 1),
                     key=lambda x: (x.coverage, -(x.claims - x.cited_claims), x.path))[:n]
    if not weakest:
        return ""
    items = "".join(f'<li><span class="path">{pct(x.coverage, 0)} of {x.claims}</span> {ids.link(x.path)}</li>'
                    for x in weakest)
    return f'<p class="hint least">Least cited (cited claims of all)</p><ul class="least">{items}</ul>'


def _charts(r: AuditReport, ids: Notes) -> str:
    s = r.summary
    rule_rows = []
    for code, n in sorted(s.by_rule.items(), key=lambda kv: (-kv[1], kv[0])):
        info = r.rules.get(code)
        name = info.name if info else ""
        severity = info.severity if info else "info"
        rule_rows.append((code, name, n, svg.SEVERITY[severity], f"{code} {name}: {n} ({severity})"))
    shown = rule_rows[:12]
    more = f'<p class="hint">and {len(rule_rows) - 12} more rules</p>' if len(rule_rows) > 12 else ""
    legend = "".join(f'<span class="sev"><span class="dot {k}"></span>{k}</span>' for k in ("error", "warning", "info"))
    findings_panel = (f'<div class="panel" id="chart-rules"><h3>Findings by rule</h3><p class="hint">{legend}</p>'
                      f'{svg.hbars(shown, width=430, label="findings by rule")}{more}</div>')

    bins = [0] * 11
    no_claims = 0
    for n in r.notes:
        if n.coverage is None:
            no_claims += 1
        else:
            bins[min(10, int(n.coverage * 10 + 1e-9))] += 1
    cols = []
    for i, count in enumerate(bins):
        tick = "100" if i == 10 else f"{i * 10}"
        rng = "100%" if i == 10 else f"{i * 10}–{i * 10 + 9}%"
        cols.append((tick, count, svg.COVERAGE[i], f"{_plural(count, 'note')} with {rng} of claims cited"))
    fully = bins[10]
    hint = f"{_plural(fully, 'note')} cite every claim"
    if no_claims:
        hint += f"; {_plural(no_claims, 'note')} without claims not shown"
    coverage_panel = (f'<div class="panel" id="chart-coverage"><h3>Citation coverage across notes</h3>'
                      f'<p class="hint">{esc(hint)}</p>'
                      f'{svg.columns(cols, width=420, height=200, label="notes by citation coverage", axis=AXIS)}'
                      f'{_least_cited(r, ids)}</div>')

    top = [w for w in r.wanted if not w.channel][:10] or r.wanted[:10]
    wanted_rows = [(w.target, len(w.referrers), f"{w.target}: linked from {_plural(len(w.referrers), 'note')}")
                   for w in top]
    wanted_panel = (f'<div class="panel" id="chart-wanted"><h3>Notes to write next</h3>'
                    f'<p class="hint">Missing link targets, by how many notes link to them</p>'
                    f'{svg.named_bars(wanted_rows, label="wanted notes by referrers") if wanted_rows else EVERY_LINK}'
                    f'<p class="hint"><a href="#wanted">All {_plural(s.wanted, "wanted note")} →</a></p></div>')
    return f'<div class="grid3">{findings_panel}{coverage_panel}{wanted_panel}</div>'


class Notes:
    """How the page names and links a note: its title, linking to its row in the table."""

    def __init__(self, notes: list[NoteAudit]):
        self.index = {n.path: i for i, n in enumerate(notes)}
        self.titles = {n.path: n.title for n in notes if n.title}

    def link(self, path: str) -> str:
        i = self.index.get(path)
        name = esc(self.titles.get(path) or _name(path))
        if i is None:
            return f'<span title="{esc(path)}">{name}</span>'
        return f'<a href="#n{i}" data-note="1" title="{esc(path)}">{name}</a>'


def _trend(r: AuditReport, ids: Notes) -> str:
    t = r.trend
    if t is None:
        return ""
    rows = []
    for m in t.metrics:
        percent = m.metric == "coverage"
        delta = "" if m.delta is None else (f"{m.delta * 100:+.1f} pts" if percent else f"{m.delta:+,.0f}")
        rows.append(f'<tr data-metric="{esc(m.metric)}"><td>{esc(m.metric.replace("_", " "))}</td>'
                    f'<td class="n">{_fmt_metric(m.before, percent)}</td><td class="n">{_fmt_metric(m.after, percent)}</td>'
                    f'<td class="n {m.verdict}">{esc(delta)}</td><td class="{m.verdict}">{esc(m.verdict if m.verdict in ("better", "worse") else "")}</td></tr>')
    metrics = ('<table><thead><tr><th>metric</th><th class="n">baseline</th><th class="n">now</th>'
               '<th class="n">change</th><th></th></tr></thead><tbody>' + "".join(rows) + "</tbody></table>")
    rule_rows = "".join(
        f'<tr><td><code>{esc(m.metric)}</code> {esc(r.rules[m.metric].name) if m.metric in r.rules else ""}</td>'
        f'<td class="n">{fmt_int(int(m.before or 0))}</td><td class="n">{fmt_int(int(m.after or 0))}</td>'
        f'<td class="n {m.verdict}">{m.delta:+,.0f}</td></tr>' for m in t.rules
    ) or '<tr><td colspan="4" class="empty">No rule changed.</td></tr>'
    rules = ('<table><thead><tr><th>rule</th><th class="n">baseline</th><th class="n">now</th><th class="n">change</th></tr></thead>'
             f"<tbody>{rule_rows}</tbody></table>")

    def note_list(changes, cls):
        if not changes:
            return '<p class="empty">None.</p>'
        items = []
        for c in changes[:15]:
            cov = "" if c.coverage_before == c.coverage_after else f", coverage {pct(c.coverage_before, 0)} → {pct(c.coverage_after, 0)}"
            items.append(f'<li>{ids.link(c.path)} <span class="{cls}">findings {c.findings_before} → {c.findings_after}{esc(cov)}</span></li>')
        more = f"<li>… and {len(changes) - 15} more</li>" if len(changes) > 15 else ""
        return f'<ul class="plain">{"".join(items)}{more}</ul>'

    def names(items):
        return ", ".join(esc(x) for x in items[:30]) + (f" … and {len(items) - 30} more" if len(items) > 30 else "") if items else '<span class="empty">none</span>'

    return (
        f'<section id="trend"><h2>Since the baseline</h2><p class="hint">Compared with the audit of {esc(when(t.baseline_generated))}.</p>'
        f'<div class="grid2"><div class="panel"><h3>Summary</h3>{metrics}</div>'
        f'<div class="panel"><h3>Findings by rule</h3>{rules}</div>'
        f'<div class="panel"><h3 class="better">Notes that got better ({len(t.notes_better)})</h3>{note_list(t.notes_better, "better")}</div>'
        f'<div class="panel"><h3 class="worse">Notes that got worse ({len(t.notes_worse)})</h3>{note_list(t.notes_worse, "worse")}</div>'
        f'<div class="panel"><h3>Notes added ({len(t.notes_added)}) and removed ({len(t.notes_removed)})</h3>'
        f'<p>Added: {names([_name(p) for p in t.notes_added])}</p><p>Removed: {names([_name(p) for p in t.notes_removed])}</p></div>'
        f'<div class="panel"><h3>Wanted notes</h3><p><span class="better">No longer wanted ({len(t.wanted_resolved)}):</span> {names(t.wanted_resolved)}</p>'
        f'<p><span class="worse">Newly wanted ({len(t.wanted_new)}):</span> {names(t.wanted_new)}</p></div>'
        "</div></section>"
    )


def _wanted(r: AuditReport) -> str:
    channels = [w for w in r.wanted if w.channel]
    targets = len(r.wanted) - len(channels)
    table = (f'<div class="paged" id="wanted-list" data-rows="{targets}"></div>' if targets
             else '<p class="empty">Every wiki-link reaches a note.</p>')
    chan = ""
    if channels:
        shown = channels[:CHANNELS_SHOWN]
        items = "".join(f"<li><b>{esc(w.target)}</b> <span class=\"path\">{_plural(len(w.referrers), 'note')}</span></li>"
                        for w in shown)
        more = (f'<p class="hint">… and {fmt_int(len(channels) - len(shown))} more (all of them in the audit JSON).</p>'
                if len(channels) > len(shown) else "")
        chan = (f'<div class="panel" id="missing-channels"><h3>Channel notes missing ({fmt_int(len(channels))})</h3>'
                '<p class="hint">Named on source lines (<code>From: [[channel]]</code>) but not in the vault. '
                'If they live elsewhere, list them in <code>external-targets</code>.</p>'
                f'<div class="scroll"><ul class="cols">{items}</ul></div>{more}</div>')
    return (f'<section id="wanted"><h2>Wanted notes</h2><p class="hint">Wiki-link targets that reach no note, ranked by how many '
            f'notes link to them: the notes to write next (or the links to fix, where a close name exists).</p>{table}'
            f'{chan}</section>')


CHANNELS_SHOWN = 300


def _graph(r: AuditReport) -> str:
    def block(title, key, count, hint, filt):
        body = f'<div class="paged" id="{key}-list" data-rows="{count}"></div>' if count else '<p class="empty">None.</p>'
        return (f'<div class="panel"><h3>{title} ({fmt_int(count)})</h3><p class="hint">{hint} '
                f'<a href="#notes" data-filter="{filt}">show in the table</a></p>{body}</div>')

    return ('<section id="graph"><h2>Orphans and dead ends</h2><p class="hint">Orphans have no links in: only search finds them. '
            "Dead ends have no links out (besides their channel): a reader stops there.</p><div class=\"grid2\">"
            + block("Orphan notes", "orphan", len(r.orphans), "No other note links here.", "orphan")
            + block("Dead-end notes", "deadend", len(r.dead_ends), "Links to no other note.", "deadend")
            + "</div></section>")


def _videos(r: AuditReport) -> str:
    if not r.videos:
        return '<section id="videos"><h2>Videos</h2><p class="empty">No note names a videoId.</p></section>'
    legend = ('<div class="legend"><span><i class="sw sw0"></i>minute not cited</span><span><i class="sw sw1"></i>1 citation</span>'
              '<span><i class="sw sw2"></i>2</span><span><i class="sw sw3"></i>3–4</span><span><i class="sw sw4"></i>5 or more</span>'
              '<span>each row below: one note, a tick per cited time</span></div>')
    return (f'<section id="videos"><h2>Videos</h2><p class="hint">Which minutes of each video its notes cite. '
            f'Times flagged as after the end (TS005, TR001) or off scale (TS007, TR002) are left off the strip.</p>{legend}'
            f'<div class="paged" id="video-list" data-rows="{len(r.videos)}"></div></section>{_transcripts(r)}')


def _transcripts(r: AuditReport) -> str:
    """Videos with a transcript (the TR rules are opt-in, so few): where the transcript says what
    their notes cite for, one support row a video on the strip's geometry."""
    with_transcript = [v for v in r.videos if v.transcript is not None]
    if not with_transcript:
        return ""
    rows = []
    for v in with_transcript:
        url = video_url(v.video_id)
        title = f'<a href="{esc(url)}" rel="noopener noreferrer">{esc(v.video_id)}</a>' if url else esc(v.video_id)
        rows.append(f'<div class="video" data-video="{esc(v.video_id)}"><div class="vhead"><span class="vt">'
                    f'{esc(v.channel) + " · " if v.channel else ""}{title}</span></div>{transcript_block(v, url)}</div>')
    return ('<section id="transcripts"><h2>Transcript support</h2><p class="hint">Per video with a transcript: the '
            'share of its notes\' citations the transcript supports, and the minutes where it says what they cite '
            'for (compare with the strip above).</p>' + "".join(rows) + "</section>")


def _notes(r: AuditReport) -> str:
    heads = [("Note", "text", "", "title"), ("Video", "text", "", "video"), ("Claims", "num", "n", "claims"),
             ("Coverage", "num", "n", "coverage"), ("Citations", "num", "n", "citations"), ("Errors", "num", "n", "errors"),
             ("Warnings", "num", "n", "others"), ("Links in", "num", "n", "links_in"), ("Links out", "num", "n", "links_out"),
             ("Broken links", "num", "n", "unresolved"), ("", "", "", "")]
    th = "".join(
        f'<th class="{cls}" data-type="{typ}" data-key="{key}"><button type="button">{esc(label)}</button></th>' if label else "<th></th>"
        for label, typ, cls, key in heads
    )
    controls = (
        '<div class="controls"><input id="note-search" type="search" placeholder="Filter by title, path or video…" '
        'aria-label="filter notes">'
        '<select id="note-filter" aria-label="show"><option value="all">All notes</option>'
        '<option value="errors">With errors</option><option value="uncited">With uncited claims</option>'
        '<option value="low">Coverage below 80%</option><option value="orphan">Orphans</option>'
        '<option value="deadend">Dead ends</option><option value="unresolved">With broken links</option></select>'
        f'<span class="count" id="note-count">{fmt_int(len(r.notes))} notes</span></div>'
    )
    return (f'<section id="notes"><h2>Notes</h2><p class="hint">Click a column to sort, a row to see its findings. '
            f'{NOTES_PER_PAGE} notes a page.</p>'
            f'{controls}<div class="tablecard"><table id="notes-table" data-rows="{len(r.notes)}"><thead><tr>{th}</tr></thead>'
            f'<tbody></tbody></table></div><div class="pager" id="notes-pager"></div></section>')


NOTES_PER_PAGE = 100


def _head(r: AuditReport) -> str:
    csp = (f"default-src 'none'; style-src {_hash(CSS)}; script-src {_hash(JS)}; img-src 'none'; "
           "base-uri 'none'; form-action 'none'")
    return (
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        f"<title>notelint audit · {esc(_name(r.vault) or r.vault)}</title><style>{CSS}</style></head>"
    )


def _top(r: AuditReport) -> str:
    s = r.summary
    nav = "".join(f'<a href="#{a}">{esc(t)}</a>' for a, t in (
        ("overview", "Overview"), *((("trend", "Since baseline"),) if r.trend else ()), ("wanted", f"Wanted ({s.wanted})"),
        ("graph", "Orphans & dead ends"), ("videos", f"Videos ({s.videos})"), ("notes", f"Notes ({s.notes})")))
    return (
        f'<header class="top"><div class="wrap"><div><div class="brand">notelint audit</div>'
        f'<h1>Vault <span class="vault mono">{esc(r.vault)}</span></h1></div>'
        f'<div class="meta">{_plural(s.notes, "note")} audited of {fmt_int(s.vault_notes)} in the vault<br>'
        f"{esc(when(r.generated))} · notelint {esc(r.version)}</div></div></header>"
        f'<nav class="tabs"><div class="wrap">{nav}</div></nav>'
    )


def render(report: AuditReport) -> str:
    r = report
    ids = Notes(r.notes)
    return (
        f"{_head(r)}<body>{_top(r)}"
        f'<main class="wrap"><section id="overview">{_lede(r)}{_kpis(r)}{_charts(r, ids)}</section>'
        f"{_trend(r, ids)}{_wanted(r)}{_graph(r)}{_videos(r)}{_notes(r)}</main>"
        f'<footer class="wrap">Made by <code>notelint audit</code>. The same numbers are in the audit JSON '
        f"(<code>--json</code>, schema <code>schemas/audit.schema.json</code>).</footer>"
        f'<script type="application/octet-stream" id="audit-data">{encode(page_data(r))}</script>'
        f"<script>{JS}</script></body></html>\n"
    )
