"""Reporters: each turns findings into one output format.

Reporters read :class:`~notelint.findings.Finding` objects and plain
metadata (rule names, summaries); they never import rules. Each format lives
in its own module and is imported only when asked for, so a plain ``check``
does not pay for SARIF or HTML.
"""

from __future__ import annotations

import importlib

FORMATS = {
    "text": "text",
    "concise": "text",
    "grouped": "text",
    "json": "json_report",
    "json-lines": "json_report",
    "sarif": "sarif",
    "github": "github",
    "junit": "junit",
    "gitlab": "gitlab",
}


def render(fmt: str, result, **options) -> str:
    module = importlib.import_module(f"{__name__}.{FORMATS[fmt]}")
    return module.render(result, fmt=fmt, **options)
