"""``gitlab`` output: GitLab Code Quality JSON (the ``codequality`` report artifact).

A JSON array, one issue per finding: ``description`` (``CODE message``),
``check_name`` (the rule code), ``fingerprint`` (stable across commits, see
:mod:`notelint.report.fingerprint`), ``severity`` (error -> ``major``,
warning -> ``minor``, info -> ``info``) and ``location`` with the path and
the begin/end line and column. GitLab matches paths against the repository,
so run notelint from the repository root.
"""

from __future__ import annotations

import json

from .escape import json_safe
from .fingerprint import fingerprints

SEVERITIES = {"error": "major", "warning": "minor", "info": "info"}


def gitlab_issues(result, raw_line=None) -> list[dict]:
    out = []
    for f, fp in zip(result.findings, fingerprints(result.findings, raw_line)):
        end_line, end_col = (f.end_line, f.end_col) if f.end_line >= f.line else (f.line, f.col)
        out.append({
            "type": "issue",
            "check_name": f.code,
            "description": f"{f.code} {f.message}",
            "categories": ["Style"],
            "severity": SEVERITIES.get(f.severity, "major"),
            "fingerprint": fp,
            "location": {
                "path": f.path,
                "positions": {
                    "begin": {"line": f.line, "column": f.col},
                    "end": {"line": end_line, "column": max(end_col, 1)},
                },
            },
        })
    return out


def render(result, *, raw_lines=None, **_) -> str:
    return json_safe(json.dumps(gitlab_issues(result, raw_lines), indent=2, ensure_ascii=False)) + "\n"
