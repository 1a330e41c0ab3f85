"""``github`` output: one GitHub Actions workflow command per finding.

``::error file=PATH,line=L,endLine=L,col=C,endColumn=C,title=CODE::message``
(``::warning`` for warnings, ``::notice`` for info findings), which the
runner turns into annotations on the pull request's diff. Escaped as the
runner unescapes them: in the message ``%``, CR and LF become ``%25``,
``%0D`` and ``%0A``; in property values ``:`` and ``,`` also become ``%3A``
and ``%2C``. Control characters from a path or message (a file named
``a\n::error file=x.md::INJECTED.md``) other than CR and LF are first shown
as escapes (:func:`notelint.report.escape.visible`); CR and LF become ``%0D``
and ``%0A``: no line of the output starts with anything but the command
notelint writes.
"""

from __future__ import annotations

from collections.abc import Iterator

from .escape import visible

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return visible(text, keep_breaks=True).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(f) -> str:
    props = [("file", f.path), ("line", str(f.line))]
    if f.end_line >= f.line:
        props.append(("endLine", str(f.end_line)))
    props.append(("col", str(f.col)))
    if f.end_line == f.line and f.end_col > f.col:
        props.append(("endColumn", str(f.end_col)))
    props.append(("title", f.code))
    head = ",".join(f"{k}={escape_property(v)}" for k, v in props)
    return f"::{COMMANDS.get(f.severity, 'error')} {head}::{escape_data(f.message)}"


def lines(result, **_) -> Iterator[str]:
    return map(command, result.findings)


def render(result, **_) -> str:
    return "".join(command(f) + "\n" for f in result.findings)
