"""``json`` output, valid against ``schemas/report.schema.json``, and ``json-lines``: one
finding a line, as ruff's. A fix carries its edits as ruff's ``fix.edits`` do: the text to put
in (``content``) between two positions (1-based row and column in characters)."""

from __future__ import annotations

import json
from collections import Counter

from .escape import json_safe


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


def report_dict(result, position=None) -> dict:
    from .. import __version__

    findings = result.findings
    sev = Counter(f.severity for f in findings)
    return {
        "tool": "notelint",
        "version": __version__,
        "summary": {
            "files": len(result.files),
            "vault_notes": result.vault_size,
            "findings": len(findings),
            "fixable": sum(1 for f in findings if f.fix is not None and f.fix.safe),
            "by_severity": {s: sev[s] for s in ("error", "warning", "info")},
            "by_rule": dict(sorted(Counter(f.code for f in findings).items())),
        },
        "findings": [finding_dict(f, position) for f in findings],
    }


def render(result, *, fmt: str = "json", position=None, **_) -> str:
    if fmt == "json-lines":
        return "".join(json_safe(json.dumps(finding_dict(f, position), ensure_ascii=False)) + "\n"
                       for f in result.findings)
    return json_safe(json.dumps(report_dict(result, position), indent=2, ensure_ascii=False)) + "\n"
