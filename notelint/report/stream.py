"""JSON documents written a piece at a time: the lines ``json.dumps(doc, indent=2)`` would
give, with one list of the document (findings, results) dumped an item at a time, so that a
report of 60,000 findings is never held as one tree of objects and one string.

The document is dumped with :data:`HOLE` standing for that list's items; its text is cut
there, and each item, dumped on its own with the same indent, is put in between: the same
bytes as dumping the whole document (``tests/test_report_stream.py``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from .escape import json_safe

HOLE = "\x00notelint: the items\x00"


def json_lines(doc, items: Iterable) -> Iterator[str]:
    """The lines of ``json_safe(json.dumps(doc, indent=2, ensure_ascii=False))`` where the one
    list ``[HOLE]`` in ``doc`` holds ``items`` instead (each made when its turn comes)."""
    text = json.dumps(doc, indent=2, ensure_ascii=False)
    marker = json.dumps(HOLE, ensure_ascii=False)
    at = text.index(marker)
    start = text.rfind("\n", 0, at) + 1
    indent = text[start:at]
    head, tail = text[: start - 1], text[at + len(marker) :]  # head ends with "[", tail is "\n…]…"
    pending = None  # the item before, written once the next one says whether a comma follows
    for item in items:
        yield from json_safe(head if pending is None else pending + ",").split("\n")
        pending = indent + json.dumps(item, indent=2, ensure_ascii=False).replace("\n", "\n" + indent)
    if pending is None:  # as json.dumps writes an empty list
        yield from json_safe(head + tail[tail.index("]") :]).split("\n")
    else:
        yield from json_safe(pending + tail).split("\n")
