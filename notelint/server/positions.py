"""Byte offsets in a note <-> LSP positions.

Findings, index entries and fixes carry byte offsets into the note's bytes
without a UTF-8 byte order mark (:mod:`notelint.document`). LSP positions are
a 0-based line and a 0-based character counted in the code units of the
position encoding agreed at initialisation: UTF-16 unless the client offers
another (Neovim 0.11 offers UTF-8 first). Lines end at ``\\r\\n``, ``\\r`` or
``\\n``, as in LSP and in the document model (not at the other breaks
``str.splitlines`` knows, such as U+2028).

An editor's buffer may hold the byte order mark as a character (U+FEFF at the
start of the first line); a file on disk that the editor opens does not: the
editor keeps the mark out of its text. :meth:`LineMap.of_buffer` and
:meth:`LineMap.of_file` make the difference.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from lsprotocol.types import Position, PositionEncodingKind, Range

BOM = b"\xef\xbb\xbf"
_BREAK = re.compile(rb"\r\n|\r|\n")
UTF8, UTF16, UTF32 = PositionEncodingKind.Utf8.value, PositionEncodingKind.Utf16.value, PositionEncodingKind.Utf32.value


def units(data: bytes, encoding: str) -> int:
    """Code units of the UTF-8 ``data`` in ``encoding``."""
    if encoding == UTF8 or data.isascii():
        return len(data)
    text = data.decode("utf-8", "surrogateescape")  # a byte that is no UTF-8 counts as one unit
    if encoding == UTF32:
        return len(text)
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def to_bytes(text: str) -> bytes:
    """An editor's text as UTF-8; a lone surrogate stays an invalid byte sequence (NL001)."""
    return text.encode("utf-8", "surrogatepass")


class LineMap:
    """Line starts of a note's bytes, and conversions in one position encoding."""

    __slots__ = ("raw", "lead", "encoding", "starts")

    def __init__(self, raw: bytes, encoding: str = UTF16, lead: int = 0):
        self.raw = raw  # the note's bytes without a byte order mark
        self.lead = lead  # code units before the first line's text (a BOM kept in the buffer)
        self.encoding = encoding
        self.starts = [0]
        self.starts.extend(m.end() for m in _BREAK.finditer(raw))

    @classmethod
    def of_buffer(cls, data: bytes, encoding: str = UTF16) -> LineMap:
        """An editor's buffer (as UTF-8): a leading U+FEFF is a character of its first line."""
        if data.startswith(BOM):
            return cls(data[3:], encoding, units(BOM, encoding))
        return cls(data, encoding)

    @classmethod
    def of_file(cls, data: bytes, encoding: str = UTF16) -> LineMap:
        """A file as read from disk: an editor opening it leaves the byte order mark out."""
        return cls(data[3:] if data.startswith(BOM) else data, encoding)

    def _line_end(self, line: int) -> int:
        """Offset of the end of ``line``'s text (before its line break)."""
        if line + 1 < len(self.starts):
            end = self.starts[line + 1]
            return end - (2 if self.raw[end - 2 : end] == b"\r\n" else 1)
        return len(self.raw)

    def position(self, offset: int) -> Position:
        """The position of byte ``offset`` (clamped into the note, moved back to the start of
        the character it falls in, and to the end of the line's text when in its line break)."""
        raw = self.raw
        offset = max(0, min(offset, len(raw)))
        while 0 < offset < len(raw) and 0x80 <= raw[offset] < 0xC0:
            offset -= 1
        line = bisect_right(self.starts, offset) - 1
        start = self.starts[line]
        offset = min(offset, self._line_end(line))
        character = units(raw[start:offset], self.encoding)
        return Position(line=line, character=character + (self.lead if line == 0 else 0))

    def range(self, start: int, end: int) -> Range:
        return Range(start=self.position(start), end=self.position(max(start, end)))

    def offset(self, position: Position) -> int:
        """The byte offset of ``position`` (past the last line: the end of the note; past the
        end of a line: the end of its text; inside a character's code units: its start)."""
        if position.line >= len(self.starts):
            return len(self.raw)
        start = self.starts[max(0, position.line)]
        end = self._line_end(max(0, position.line))
        want = max(0, position.character - (self.lead if position.line == 0 else 0))
        text = self.raw[start:end]
        if self.encoding == UTF8 or text.isascii():
            offset = start + min(want, len(text))
            while start < offset < end and 0x80 <= self.raw[offset] < 0xC0:
                offset -= 1
            return offset
        count = 0
        offset = start
        for char in text.decode("utf-8", "surrogateescape"):
            size = 1 if self.encoding == UTF32 or ord(char) < 0x10000 else 2
            if count + size > want:
                break
            count += size
            offset += 1 if "\udc80" <= char <= "\udcff" else len(char.encode("utf-8"))
        return min(offset, end)

    def line_text(self, line: int) -> str:
        """The text of ``line`` (0-based), without its line break."""
        if not 0 <= line < len(self.starts):
            return ""
        return self.raw[self.starts[line] : self._line_end(line)].decode("utf-8", "surrogateescape")

    def line_start(self, line: int) -> int:
        return self.starts[max(0, min(line, len(self.starts) - 1))]

    @property
    def lines(self) -> int:
        return len(self.starts)

    def character_position(self, line: int, col: int) -> Position:
        """The position of a finding's 1-based ``line`` and 1-based ``col`` counted in characters."""
        if line < 1:
            return Position(line=0, character=0)
        index = min(line - 1, len(self.starts) - 1)
        text = self.line_text(index)
        prefix = text[: max(0, col - 1)].encode("utf-8", "surrogateescape")
        return self.position(self.starts[index] + len(prefix))
