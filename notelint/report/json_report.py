"""``json`` output, valid against ``schemas/report.schema.json``."""

from __future__ import annotations

import json
from collections import Counter

from .escape import json_safe


def finding_dict(f) -> dict:
    return {
        "code": f.code,
        "severity": f.severity,
        "path": f.path,
        "line": f.line,
        "column": f.col,
        "end_line": max(f.end_line, f.line),
        "end_column": max(f.end_col, 1),
        "message": f.message,
        "fix": {"description": f.fix.description, "safe": f.fix.safe} if f.fix is not None else None,
    }


def report_dict(result) -> dict:
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
        "findings": [finding_dict(f) for f in findings],
    }


def render(result, **_) -> str:
    return json_safe(json.dumps(report_dict(result), indent=2, ensure_ascii=False)) + "\n"
