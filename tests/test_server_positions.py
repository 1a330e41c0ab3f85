"""Byte offsets <-> LSP positions (``notelint.server.positions``): UTF-16, UTF-8 and UTF-32
code units, characters outside the Basic Multilingual Plane, CRLF and CR lines, a byte
order mark kept in a buffer or left out of a file, offsets inside a character."""

from __future__ import annotations

import pytest
from lsprotocol.types import Position

from notelint.server.positions import UTF8, UTF16, UTF32, LineMap, to_bytes

TEXT = "a😀b\r\nçé\rx😀😀y\nlast"


def pos(p: Position) -> tuple[int, int]:
    return p.line, p.character


@pytest.mark.parametrize(("encoding", "expected"), [
    (UTF16, [(0, 0), (0, 1), (0, 3), (0, 4), (1, 0), (1, 1), (1, 2), (2, 0), (2, 1), (2, 3), (2, 5), (2, 6), (3, 0), (3, 4)]),
    (UTF8, [(0, 0), (0, 1), (0, 5), (0, 6), (1, 0), (1, 2), (1, 4), (2, 0), (2, 1), (2, 5), (2, 9), (2, 10), (3, 0), (3, 4)]),
    (UTF32, [(0, 0), (0, 1), (0, 2), (0, 3), (1, 0), (1, 1), (1, 2), (2, 0), (2, 1), (2, 2), (2, 3), (2, 4), (3, 0), (3, 4)]),
])
def test_positions_round_trip_in_every_encoding(encoding, expected):
    raw = TEXT.encode()
    lines = LineMap(raw, encoding)
    # every character start (and the end of each line and of the text)
    starts = [0, 1, 5, 6, 8, 10, 12, 13, 14, 18, 22, 23, 24, 28]
    assert [pos(lines.position(o)) for o in starts] == expected
    assert [lines.offset(Position(line=a, character=b)) for a, b in expected] == starts


def test_offsets_inside_a_character_or_a_line_break():
    lines = LineMap(TEXT.encode(), UTF16)
    assert pos(lines.position(3)) == (0, 1)  # inside 😀: its start
    assert pos(lines.position(7)) == (0, 4)  # between CR and LF: the end of the line's text
    assert lines.offset(Position(line=0, character=2)) == 1  # between the two halves of 😀: its start
    assert lines.offset(Position(line=0, character=99)) == 6  # past the end of a line: its end, not the next line
    assert lines.offset(Position(line=99, character=0)) == len(TEXT.encode())
    assert pos(lines.position(-5)) == (0, 0) and pos(lines.position(10**6)) == (3, 4)


def test_a_byte_order_mark_in_a_buffer_and_in_a_file():
    data = b"\xef\xbb\xbf" + "x😀 y\nz".encode()
    buffer, file = LineMap.of_buffer(data, UTF16), LineMap.of_file(data, UTF16)
    # offset 5 (in the note without its mark) is " y": the buffer counts the mark as a character of line 0
    assert pos(buffer.position(5)) == (0, 4) and pos(file.position(5)) == (0, 3)
    assert buffer.offset(Position(line=0, character=4)) == 5 and file.offset(Position(line=0, character=3)) == 5
    assert pos(buffer.position(8)) == (1, 0) == pos(file.position(8))
    assert pos(LineMap.of_buffer(data, UTF8).position(5)) == (0, 8)


def test_columns_in_characters_and_bad_bytes():
    lines = LineMap("x😀y\nab".encode(), UTF16)
    assert pos(lines.character_position(1, 3)) == (0, 3)  # column 3 (characters) is "y": 3 UTF-16 units in
    assert pos(lines.character_position(0, 0)) == (0, 0) and pos(lines.character_position(9, 2)) == (1, 1)
    bad = LineMap(b"a\xffb\ncd", UTF16)  # a byte that is no UTF-8 counts as one unit
    assert pos(bad.position(2)) == (0, 2) and bad.offset(Position(line=0, character=2)) == 2
    assert to_bytes("a\ud800b") == b"a\xed\xa0\x80b"  # a lone surrogate stays an invalid sequence (NL001)
