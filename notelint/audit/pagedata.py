"""The data the audit page's script renders its long parts from (the notes table, the wanted
notes, orphans and dead ends, the video strips), compact and compressed.

On a 20,000-note vault the page would be tens of megabytes as HTML (a strip and a table row
per note); as this data it is a few. The data is JSON of arrays, not objects (the field
names once, in :data:`NOTE_FIELDS` and :data:`VIDEO_FIELDS`, which the script reads),
notes named by their index in ``notes``, findings by column (how many each note has, then
their rules, lines, columns and messages), cited times as differences from the time before;
then gzip (``mtime=0``: the same audit gives the same bytes) and base64, in a
``<script type="application/octet-stream">`` block, which the browser's own
``DecompressionStream`` unpacks. base64 has no ``<``, ``>`` or ``&``: no note text can
close the block.
"""

from __future__ import annotations

import base64
import gzip
import json

from .model import AuditReport

NOTE_FIELDS = ("path", "title", "video", "claims", "cited", "coverage", "citations", "errors", "others",
               "links_in", "links_out", "unresolved", "orphan", "dead_end")
VIDEO_FIELDS = ("id", "channel", "duration", "first", "last", "outliers", "cited_minutes", "minutes", "notes")
WANTED_FIELDS = ("target", "referrers", "references", "closest", "channel")


def page_data(r: AuditReport) -> dict:
    index = {n.path: i for i, n in enumerate(r.notes)}

    def ref(path: str):
        """A note by its index in ``notes``; by its path when it is not audited (the link graph is the vault's)."""
        return index.get(path, path)

    severity = {f.code: f.severity for f in r.findings}
    rules = sorted(set(r.rules) | set(severity))  # a code without rule info is shown by its code alone
    rule_index = {c: i for i, c in enumerate(rules)}
    by_note: list[list] = [[] for _ in r.notes]
    for f in r.findings:
        i = index.get(f.path)
        if i is not None:
            by_note[i].append(f)
    # by column, not by finding: the messages side by side compress better
    ordered = [f for found in by_note for f in found]
    findings = {"counts": [len(found) for found in by_note], "rules": [rule_index[f.code] for f in ordered],
                "lines": [f.line for f in ordered], "columns": [f.column for f in ordered],
                "messages": [f.message for f in ordered]}
    notes = []
    for n in r.notes:
        sev = n.by_severity
        notes.append([n.path, n.title, n.video_id, n.claims, n.cited_claims, n.coverage, n.citations,
                      sev.get("error", 0), sev.get("warning", 0) + sev.get("info", 0), n.links_in, n.links_out,
                      n.unresolved_links, int(n.orphan), int(n.dead_end)])
    videos = sorted(r.videos, key=lambda v: ((v.channel or "~").casefold(), v.video_id))
    return {
        "fields": {"note": NOTE_FIELDS, "video": VIDEO_FIELDS, "wanted": WANTED_FIELDS},
        "rules": [[c, r.rules[c].name, r.rules[c].severity] if c in r.rules else [c, "", severity[c]] for c in rules],
        "notes": notes,
        "findings": findings,
        "wanted": [[w.target, [ref(p) for p in w.referrers], w.references, w.closest, int(w.channel)] for w in r.wanted],
        "orphans": [ref(p) for p in r.orphans],
        "dead_ends": [ref(p) for p in r.dead_ends],
        "videos": [[v.video_id, v.channel, v.duration, v.first, v.last, v.outliers, v.cited_minutes, v.minutes,
                    [[ref(s.path), _deltas(s.times)] for s in v.notes]] for v in videos],
    }


def _deltas(times: list[int]) -> list[int]:
    out, before = [], 0
    for t in times:
        out.append(t - before)
        before = t
    return out


def encode(data: dict) -> str:
    """gzip + base64 of the data's JSON."""
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return base64.b64encode(gzip.compress(raw, compresslevel=9, mtime=0)).decode("ascii")


def decode(text: str) -> dict:
    """What the page's script does: base64, gunzip, JSON (for tests and tools)."""
    return json.loads(gzip.decompress(base64.b64decode(text)).decode("utf-8"))
