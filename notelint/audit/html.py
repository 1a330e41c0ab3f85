"""The audit as one self-contained HTML page.

No network: the stylesheet, the script (sort, filter, finding details) and
the charts (SVG) are inline, and a Content-Security-Policy ``meta`` tag
allows only that style and that script (by hash), no other source of any
kind. The only URLs in the page are plain ``<a href>`` links to moments of
the videos on YouTube, which load nothing until someone follows one.

Every piece of note text (titles, paths, link targets, messages) is escaped
with :func:`html.escape`; the data the script reads is a
``<script type="application/json">`` block in which ``<``, ``>`` and ``&``
are written as ``\\u003c``, ``\\u003e`` and ``\\u0026``, so no note text can
close the block.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

from . import svg
from .fmt import clock, fmt_int, note_name, pct, when
from .model import AuditReport, NoteAudit, VideoAudit
from .svg import esc

_VIDEO_ID = re.compile(r"[A-Za-z0-9_-]{11}")


def video_url(video_id: str | None) -> str | None:
    """A plain link to the video, for well-formed ids only."""
    if video_id and _VIDEO_ID.fullmatch(video_id):  # not "$": it matches before a final newline
        return f"https://www.youtube.com/watch?v={video_id}"
    return None


def script_json(data) -> str:
    """JSON that is safe inside ``<script type="application/json">``."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


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


WANTED_SHOWN = 25


def _wanted(r: AuditReport, ids: Notes) -> str:
    notes = [w for w in r.wanted if not w.channel]
    channels = [w for w in r.wanted if w.channel]
    rows = []
    for i, w in enumerate(notes, 1):
        refs = w.referrers
        links = ", ".join(ids.link(p) for p in refs[:6])
        if len(refs) > 6:
            links += (f' <details><summary>and {len(refs) - 6} more</summary>'
                      + ", ".join(ids.link(p) for p in refs[6:]) + "</details>")
        closest = f'<span class="path">maybe a typo of</span> {esc(w.closest)}' if w.closest else ""
        rows.append(f'<tr data-target="{esc(w.target)}"><td class="n">{i}</td><td class="title brk">{esc(w.target)}</td>'
                    f'<td class="n" data-v="{len(refs)}">{len(refs)}</td><td class="n">{w.references}</td>'
                    f'<td class="brk">{links}</td><td class="brk">{closest}</td></tr>')
    head = ('<thead><tr><th class="n">#</th><th>missing note</th><th class="n">notes linking</th><th class="n">links</th>'
            '<th>linked from</th><th>closest existing note</th></tr></thead>')
    if rows:
        table = f'<div class="tablecard"><table id="wanted-table">{head}<tbody>{"".join(rows[:WANTED_SHOWN])}</tbody></table></div>'
        if len(rows) > WANTED_SHOWN:
            table += (f'<details class="more"><summary>Show the other {len(rows) - WANTED_SHOWN} wanted notes</summary>'
                      f'<div class="tablecard"><table id="wanted-more">{head}<tbody>{"".join(rows[WANTED_SHOWN:])}</tbody></table></div></details>')
    else:
        table = '<p class="empty">Every wiki-link reaches a note.</p>'
    chan = ""
    if channels:
        items = "".join(f"<li><b>{esc(w.target)}</b> <span class=\"path\">{_plural(len(w.referrers), 'note')}</span></li>" for w in channels)
        chan = (f'<div class="panel" id="missing-channels"><h3>Channel notes missing ({len(channels)})</h3>'
                '<p class="hint">Named on source lines (<code>From: [[channel]]</code>) but not in the vault. '
                'If they live elsewhere, list them in <code>external-targets</code>.</p>'
                f'<ul class="cols">{items}</ul></div>')
    return (f'<section id="wanted"><h2>Wanted notes</h2><p class="hint">Wiki-link targets that reach no note, ranked by how many '
            f'notes link to them: the notes to write next (or the links to fix, where a close name exists).</p>{table}'
            f'{chan}</section>')


def _graph(r: AuditReport, ids: Notes) -> str:
    def block(title, paths, hint, filt):
        items = "".join(f"<li>{ids.link(p)}</li>" for p in paths)
        body = f'<div class="scroll"><ul class="cols">{items}</ul></div>' if paths else '<p class="empty">None.</p>'
        return (f'<div class="panel"><h3>{title} ({len(paths)})</h3><p class="hint">{hint} '
                f'<a href="#notes" data-filter="{filt}">show in the table</a></p>{body}</div>')

    return ('<section id="graph"><h2>Orphans and dead ends</h2><p class="hint">Orphans have no links in: only search finds them. '
            "Dead ends have no links out (besides their channel): a reader stops there.</p><div class=\"grid2\">"
            + block("Orphan notes", r.orphans, "No other note links here.", "orphan")
            + block("Dead-end notes", r.dead_ends, "Links to no other note.", "deadend")
            + "</div></section>")


def _video(v: VideoAudit, ids: Notes) -> str:
    url = video_url(v.video_id)
    n = len(v.minutes)
    scale = "length " + clock(v.duration) if v.duration is not None else "length unknown: strip ends at the latest time cited"
    span = f"{clock(v.first)} – {clock(v.last)}" if v.first is not None else "nothing cited"
    title = f'<a href="{esc(url)}" rel="noopener noreferrer">{esc(v.video_id)}</a>' if url else esc(v.video_id)
    channel = f'{esc(v.channel)} · ' if v.channel else ""
    outliers = f' · <span class="worse">{_plural(v.outliers, "time")} off scale</span>' if v.outliers else ""
    strip = svg.strip(v.minutes, [(ids.titles.get(s.path) or _name(s.path), s.times) for s in v.notes], video_url=url, width=1180,
                      label=f"minutes of video {v.video_id} cited by its notes")
    share = v.cited_minutes / n if n else 0
    return (f'<div class="video" id="v-{esc(v.video_id)}" data-video="{esc(v.video_id)}">'
            f'<div class="vhead"><span class="vt">{channel}{title}</span>'
            f'<span class="stat"><b>{len(v.notes)}</b> {"note" if len(v.notes) == 1 else "notes"}</span>'
            f'<span class="stat">cites <b>{span}</b></span>'
            f'<span class="stat"><b data-minutes-cited="{v.cited_minutes}">{v.cited_minutes}</b> of {_plural(n, "minute")} cited ({share * 100:.0f}%)</span>'
            f'<span class="stat">{esc(scale)}{outliers}</span></div>{strip}</div>')


def _videos(r: AuditReport, ids: Notes) -> str:
    if not r.videos:
        return '<section id="videos"><h2>Videos</h2><p class="empty">No note names a videoId.</p></section>'
    legend = ('<div class="legend"><span><i class="sw sw0"></i>minute not cited</span><span><i class="sw sw1"></i>1 citation</span>'
              '<span><i class="sw sw2"></i>2</span><span><i class="sw sw3"></i>3–4</span><span><i class="sw sw4"></i>5 or more</span>'
              '<span>each row below: one note, a tick per cited time</span></div>')
    videos = sorted(r.videos, key=lambda v: ((v.channel or "~").casefold(), v.video_id))
    return (f'<section id="videos"><h2>Videos</h2><p class="hint">Which minutes of each video its notes cite. '
            f'Times flagged as after the end (TS005) or off scale (TS007) are left off the strip.</p>{legend}'
            + "".join(_video(v, ids) for v in videos) + "</section>")


def _note_row(i: int, n: NoteAudit) -> str:
    title = n.title or _name(n.path)
    cov = n.coverage
    bar = (f'<svg class="mini" viewBox="0 0 64 8" width="64" height="8" aria-hidden="true">'
           f'<rect class="track" width="64" height="8" rx="4" fill="{svg.GREY}"/>'
           f'<rect width="{max(64 * cov, 4 if cov else 0):.1f}" height="8" rx="4" fill="{svg.coverage_colour(cov)}"/></svg>'
           f'{pct(cov, 0)}' if cov is not None else '<span class="zero">no claims</span>')
    errors, warnings, infos = (n.by_severity.get(k, 0) for k in ("error", "warning", "info"))
    flags = ("" if not n.orphan else '<span class="badge orphan">orphan</span>') + ("" if not n.dead_end else '<span class="badge dead">dead end</span>')

    def num(v):
        return f'<td class="n{" zero" if not v else ""}" data-v="{v}">{fmt_int(v)}</td>'

    text = " ".join(x for x in (title, n.path, n.video_id or "") if x).lower()
    return (
        f'<tr class="note" id="n{i}" data-i="{i}" tabindex="0" aria-expanded="false" data-text="{esc(text)}" '
        f'data-errors="{errors}" data-uncited="{n.claims - n.cited_claims}" data-coverage="{"" if cov is None else cov}" '
        f'data-orphan="{int(n.orphan)}" data-deadend="{int(n.dead_end)}" data-unresolved="{n.unresolved_links}">'
        f'<td class="brk" data-v="{esc(title.casefold())}"><div class="title">{esc(title)}</div><div class="path mono">{esc(n.rel)}</div></td>'
        f'<td class="mono nw" data-v="{esc(n.video_id or "")}">{esc(n.video_id or "–")}</td>'
        f'{num(n.claims)}<td class="n" data-v="{"" if cov is None else cov}">{bar}</td>{num(n.citations)}'
        f'{num(errors)}{num(warnings + infos)}{num(n.links_in)}{num(n.links_out)}{num(n.unresolved_links)}'
        f"<td>{flags}</td></tr>"
    )


def _notes(r: AuditReport) -> str:
    heads = [("Note", "text", ""), ("Video", "text", ""), ("Claims", "num", "n"), ("Coverage", "num", "n"),
             ("Citations", "num", "n"), ("Errors", "num", "n"), ("Warnings", "num", "n"), ("Links in", "num", "n"),
             ("Links out", "num", "n"), ("Broken links", "num", "n"), ("", "", "")]
    th = "".join(
        f'<th class="{cls}" data-type="{typ}"><button type="button">{esc(label)}</button></th>' if label else "<th></th>"
        for label, typ, cls in heads
    )
    body = "".join(_note_row(i, n) for i, n in enumerate(r.notes))
    controls = (
        '<div class="controls"><input id="note-search" type="search" placeholder="Filter by title, path or video…" '
        'aria-label="filter notes">'
        '<select id="note-filter" aria-label="show"><option value="all">All notes</option>'
        '<option value="errors">With errors</option><option value="uncited">With uncited claims</option>'
        '<option value="low">Coverage below 80%</option><option value="orphan">Orphans</option>'
        '<option value="deadend">Dead ends</option><option value="unresolved">With broken links</option></select>'
        '<span class="count" id="note-count"></span></div>'
    )
    return (f'<section id="notes"><h2>Notes</h2><p class="hint">Click a column to sort, a row to see its findings.</p>'
            f'{controls}<div class="tablecard"><table id="notes-table"><thead><tr>{th}</tr></thead>'
            f"<tbody>{body}</tbody></table></div></section>")


def script_data(r: AuditReport) -> dict:
    by_path: dict[str, list] = {}
    for f in r.findings:
        by_path.setdefault(f.path, []).append([f.code, f.severity, f.line, f.column, f.message])
    return {
        "summary": r.summary.model_dump(),
        "rules": {c: i.name for c, i in r.rules.items()},
        "notes": [{"path": n.path, "video": n.video_id, "findings": by_path.get(n.path, [])} for n in r.notes],
    }


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
        f"{_trend(r, ids)}{_wanted(r, ids)}{_graph(r, ids)}{_videos(r, ids)}{_notes(r)}</main>"
        f'<footer class="wrap">Made by <code>notelint audit</code>. The same numbers are in the audit JSON '
        f"(<code>--json</code>, schema <code>schemas/audit.schema.json</code>).</footer>"
        f'<script type="application/json" id="audit-data">{script_json(script_data(r))}</script>'
        f"<script>{JS}</script></body></html>\n"
    )
