"""Lines on standard error: ``notelint: ...``, one line each, never a raw control character
(a file name may hold a newline or an escape sequence: :func:`notelint.report.escape.visible`)."""

from __future__ import annotations

import sys


def error_line(text: str) -> None:
    from ..report.escape import visible

    print(f"notelint: {visible(text)}", file=sys.stderr)
