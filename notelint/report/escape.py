"""No raw control character from a path or a message reaches the output.

A file name or a note may hold a newline (``a\\n::error file=x.md::INJECTED.md``
would start a line GitHub Actions reads as a workflow command), a carriage
return, ESC/OSC/BEL sequences (which recolour or retitle a terminal), C1
controls, or bidirectional overrides (which reorder what a reader sees).

- :func:`visible`, for what people read (``text``, ``concise``, ``github``,
  ``junit``, standard error, ``--diff``): each such character is written as
  a Python-style escape (``\\n``, ``\\r``, ``\\x1b``, ``\\x9b``, ``\\u202e``);
  a tab stays a tab. A backslash is not escaped: the escapes are for the eye.
  ``github`` keeps CR and LF, which it writes as ``%0D`` and ``%0A`` (the
  runner's own encoding: never a line break in the output).
- :func:`json_safe`, for JSON text (``json``, ``gitlab``, ``sarif``): the
  value is kept exactly; ``json.dumps`` already escapes C0 controls, and this
  escapes DEL, the C1 controls, the line and paragraph separators and the
  bidirectional controls as ``\\uXXXX`` too, so that the raw output holds none.

``tests/test_hostile.py`` renders every format in :data:`notelint.report.FORMATS`
with hostile names: a new format must use one of the two.
"""

from __future__ import annotations

import re

# C0 controls but tab, DEL, C1 controls, line/paragraph separators, bidirectional controls
UNSAFE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_UNSAFE_BUT_BREAKS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
# the ones json.dumps(ensure_ascii=False) leaves raw
_JSON_RAW = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_SHORT = {"\n": "\\n", "\r": "\\r"}


def _escape(m: re.Match) -> str:
    ch = m.group()
    short = _SHORT.get(ch)
    if short is not None:
        return short
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str, keep_breaks: bool = False) -> str:
    """``text`` with every control character shown as an escape (tabs kept; CR and LF too with
    ``keep_breaks``, for a format that encodes them itself, as ``github`` does)."""
    pattern = _UNSAFE_BUT_BREAKS if keep_breaks else UNSAFE
    return pattern.sub(_escape, text) if pattern.search(text) else text


def json_safe(json_text: str) -> str:
    """JSON text (from ``json.dumps(..., ensure_ascii=False)``) without a raw control character."""
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", json_text)
