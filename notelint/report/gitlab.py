"""``gitlab`` output: GitLab Code Quality JSON (the ``codequality`` report artifact).

A JSON array, one issue per finding: ``description`` (``CODE message``),
``check_name`` (the rule code), ``fingerprint`` (stable across commits, see
:mod:`notelint.report.fingerprint`), ``severity`` (error -> ``major``,
warning -> ``minor``, info -> ``info``) and ``location`` with the path and
the begin/end line and column. GitLab matches paths against the repository,
so run notelint from the repository root.
"""

from __future__ import annotations

from collections.abc import Iterator

from .fingerprint import fingerprints
from .stream import HOLE, json_lines

SEVERITIES = {"error": "major", "warning": "minor", "info": "info"}


def gitlab_issues(result, raw_line=None) -> list[dict]:
    return list(_issues(result, raw_line))


def _issues(result, raw_line=None) -> Iterator[dict]:
    for f, fp in zip(result.findings, fingerprints(result.findings, raw_line)):
        end_line, end_col = (f.end_line, f.end_col) if f.end_line >= f.line else (f.line, f.col)
        yield {
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
        }


def lines(result, *, raw_lines=None, **_) -> Iterator[str]:
    """The report's lines, an issue at a time."""
    return json_lines([HOLE], _issues(result, raw_lines))


def render(result, *, raw_lines=None, **_) -> str:
    return "".join(f"{line}\n" for line in lines(result, raw_lines=raw_lines))
