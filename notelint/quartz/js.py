"""JavaScript semantics Quartz's code relies on, for ports of its regular expressions.

Python's ``str.strip``, ``\\s``, ``.``, ``^``/``$`` with ``re.M`` and ``\\w`` differ
from JavaScript's (no ``u`` flag); the ports build their expressions from these.
"""

from __future__ import annotations

import re
from urllib.parse import quote

# JavaScript's \s (WhiteSpace and LineTerminator of ECMA-262)
WS = "\t\n\x0b\x0c\r \xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
# line terminators: what . does not match and where ^ and $ match with the m flag
LT = "\n\r\u2028\u2029"
DOT = f"[^{LT}]"
BOL = f"(?:(?<=[{LT}])|(?<![\\s\\S]))"
EOL = f"(?=[{LT}]|(?![\\s\\S]))"
WORD = "[A-Za-z0-9_]"
# the characters of WS one by one (what str.strip takes); tests/test_quartz_syntax.py checks them against WS
_WS_CHARS = "\t\n\x0b\x0c\r \xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u2028\u2029\u202f\u205f\u3000\ufeff"
_WS_ANY = re.compile(f"[{WS}]")


def trim(text: str) -> str:
    """``String.prototype.trim``."""
    return text.strip(_WS_CHARS)


def trim_start(text: str) -> str:
    return text.lstrip(_WS_CHARS)


def trim_end(text: str) -> str:
    return text.rstrip(_WS_CHARS)


def replace_ws(text: str, by: str) -> str:
    """``text.replace(/\\s/g, by)``."""
    return _WS_ANY.sub(by, text)


class URIError(ValueError):
    """``decodeURI``/``decodeURIComponent`` met a malformed escape (Quartz's build stops there)."""


_ESCAPES = re.compile(r"(?:%[0-9A-Fa-f]{2})+")
_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
# decodeURI leaves the escapes of its reserved set as they are
_URI_RESERVED = frozenset(";/?:@&=+$,#")


def _decode(text: str, keep: frozenset[str]) -> str:
    if "%" not in text:
        return text
    if _PERCENT.search(text):
        raise URIError(f"URI malformed: {text!r}")

    def run(m: re.Match) -> str:
        data = bytes.fromhex(m.group(0).replace("%", ""))
        try:
            decoded = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise URIError(f"URI malformed: {text!r}") from exc
        if not keep:
            return decoded
        # per character: a reserved one keeps its escape
        out, i = [], 0
        for ch in decoded:
            n = len(ch.encode("utf-8"))
            out.append(m.group(0)[i * 3 : (i + n) * 3] if ch in keep else ch)
            i += n
        return "".join(out)

    return _ESCAPES.sub(run, text)


def decode_uri(text: str) -> str:
    """``decodeURI``."""
    return _decode(text, _URI_RESERVED)


def decode_uri_component(text: str) -> str:
    """``decodeURIComponent``."""
    return _decode(text, frozenset())


def encode_uri_component(text: str) -> str:
    """``encodeURIComponent``."""
    return quote(text, safe="-_.!~*'()")
