"""Reporters: each turns findings into one output format.

Reporters read :class:`~notelint.findings.Finding` objects and plain
metadata (rule names, summaries); they never import rules. Each format lives
in its own module and is imported only when asked for, so a plain ``check``
does not pay for SARIF or HTML.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator

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


def render_chunks(fmt: str, result, lines_per_chunk: int = 2000, **options) -> Iterator[str]:
    """The same text in pieces, to be written as they come: a format that yields its lines
    (every format here: the JSON ones a finding at a time, :mod:`.stream`) in chunks of
    ``lines_per_chunk`` lines, any other at once."""
    module = importlib.import_module(f"{__name__}.{FORMATS[fmt]}")
    if not hasattr(module, "lines"):
        yield module.render(result, fmt=fmt, **options)
        return
    batch: list[str] = []
    for line in module.lines(result, fmt=fmt, **options):
        batch.append(line)
        if len(batch) == lines_per_chunk:
            yield "".join(f"{x}\n" for x in batch)
            batch.clear()
    if batch:
        yield "".join(f"{x}\n" for x in batch)
