"""``json`` output, valid against ``schemas/report.schema.json``, and ``json-lines``: one
finding a line, as ruff's. A fix carries its edits as ruff's ``fix.edits`` do: the text to put
in (``content``) between two positions (1-based row and column in characters)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator

from .escape import json_safe
from .stream import HOLE, json_lines


def _edits(f, position) -> list[dict]:
    out = []
    for edit in f.fix.edits:
        start = position(f.path, edit.start) if position is not None else None
        end = position(f.path, edit.end) if position is not None else None
        if start is None or end is None:
            return []  # the note is not readable as it was checked: no edits rather than wrong ones
        out.append({"content": edit.text.decode("utf-8", "replace"),
                    "location": {"row": start[0], "column": start[1]},
                    "end_location": {"row": end[0], "column": end[1]}})
    return out


def fix_dict(f, position=None) -> dict | None:
    if f.fix is None:
        return None
    return {"description": f.fix.description, "safe": f.fix.safe,
            "applicability": "safe" if f.fix.safe else "unsafe", "edits": _edits(f, position)}


def finding_dict(f, position=None) -> dict:
    return {
        "code": f.code,
        "severity": f.severity,
        "path": f.path,
        "line": f.line,
        "column": f.col,
        "end_line": max(f.end_line, f.line),
        "end_column": max(f.end_col, 1),
        "message": f.message,
        "fix": fix_dict(f, position),
    }


def report_dict(result, position=None, findings=None) -> dict:
    """The report as one document (``findings``: what its findings list holds instead of every
    finding's dict, :data:`~.stream.HOLE` for :func:`lines`)."""
    from .. import __version__

    all_findings = result.findings
    sev = Counter(f.severity for f in all_findings)
    return {
        "tool": "notelint",
        "version": __version__,
        "summary": {
            "files": len(result.files),
            "vault_notes": result.vault_size,
            "findings": len(all_findings),
            "fixable": sum(1 for f in all_findings if f.fix is not None and f.fix.safe),
            "by_severity": {s: sev[s] for s in ("error", "warning", "info")},
            "by_rule": dict(sorted(Counter(f.code for f in all_findings).items())),
        },
        "findings": [finding_dict(f, position) for f in all_findings] if findings is None else findings,
    }


def lines(result, *, fmt: str = "json", position=None, **_) -> Iterator[str]:
    """The report's lines, a finding at a time."""
    if fmt == "json-lines":
        for f in result.findings:
            yield json_safe(json.dumps(finding_dict(f, position), ensure_ascii=False))
        return
    yield from json_lines(report_dict(result, position, [HOLE]), (finding_dict(f, position) for f in result.findings))


def render(result, *, fmt: str = "json", position=None, **_) -> str:
    return "".join(f"{line}\n" for line in lines(result, fmt=fmt, position=position))
