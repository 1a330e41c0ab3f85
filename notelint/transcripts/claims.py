"""A note's citations with the text of the claim each one cites for.

Input is notelint's parsed note (:func:`notelint.parse.parse_note`); output
is one :class:`CitedClaim` per well-formed citation, in note order. The
claim text is the visible text the citation closes, with citations removed
and wiki-links reduced to what a reader sees (the alias, else the target):

- ``sentence`` (the default): from the end of the previous citation group
  or sentence end, whichever is later, to the citation's group;
- ``since-citation``: from the end of the previous citation group in the
  block (or the block's start) to the citation's group;
- ``block``: from the block's start to the citation's group.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from ..document import Block, Citation, Note, parse_time

ClaimMode = Literal["sentence", "since-citation", "block"]

_SENTENCE_END = re.compile(rb"[.!?](?:\*\*|\*|_|\)|\")*\s+(?=[\"*_(\[]*[A-Z0-9$\\])")
_LOOSE_TIME = re.compile(r"\s*(?:(\d{1,2}):)?(\d{1,2}):(\d{1,2})\s*")


@dataclass(frozen=True, slots=True)
class CitedClaim:
    """One citation of a note with the claim it cites for."""

    start: int  # byte offset of the citation's ``<a`` in the note
    end: int
    time: str  # data-t as written
    label: str | None  # the bracketed label as written
    seconds: int  # data-t in seconds
    label_seconds: int | None  # the label in seconds (zero-padding forgiven), None if not a time
    group: int  # index of the citation's group in the note: citations of one group share a claim
    claim: str


def loose_seconds(text: str | None) -> int | None:
    """Seconds of ``HH:MM:SS``, ``H:MM:SS`` or ``MM:SS``; None if not a time."""
    if text is None:
        return None
    m = _LOOSE_TIME.fullmatch(text)
    if m is None:
        return None
    h, mi, s = int(m.group(1) or 0), int(m.group(2)), int(m.group(3))
    if mi > 59 or s > 59:
        return None
    return h * 3600 + mi * 60 + s


def cited_claims(note: Note, mode: ClaimMode = "sentence") -> list[CitedClaim]:
    """The note's well-formed citations, each with its claim text."""
    out: list[CitedClaim] = []
    group_index = 0
    for block in note.blocks:
        if not block.citations:
            continue
        groups = block.groups or [_single(c) for c in block.citations]
        previous_end = block.start
        for group in groups:
            first = group.citations[0]
            claim = claim_text(block, previous_end, first.start, mode)
            for c in group.citations:
                if c.problem is None and c.time is not None and c.seconds is not None:
                    out.append(_record(c, group_index, claim))
            group_index += 1
            previous_end = group.citations[-1].end
    return out


def _single(c: Citation):
    from ..document import CitationGroup

    return CitationGroup(citations=[c], separators=[])


def _record(c: Citation, group: int, claim: str) -> CitedClaim:
    assert c.time is not None and c.seconds is not None
    label_seconds = parse_time(c.label) if c.label is not None else None
    if label_seconds is None:
        label_seconds = loose_seconds(c.label)
    return CitedClaim(c.start, c.end, c.time, c.label, c.seconds, label_seconds, group, claim)


def claim_text(block: Block, previous_end: int, cite_start: int, mode: ClaimMode = "sentence") -> str:
    """The visible text of ``block`` that the citation at ``cite_start`` closes."""
    lo = block.start if mode == "block" else previous_end
    lo = max(lo, block.start)
    if mode == "sentence":
        part = block.text[lo - block.start : cite_start - block.start]
        ends = [m.end() for m in _SENTENCE_END.finditer(part.rstrip())]
        if ends:
            lo += ends[-1]
    return _visible(block, lo, cite_start)


def _visible(block: Block, lo: int, hi: int) -> str:
    """Text of ``block`` between two note offsets: citations dropped, wiki-links as shown."""
    pieces: list[bytes] = []
    pos = lo
    spans = [(c.start, c.end, b" ") for c in block.citations]
    for link in block.wikilinks:
        shown = link.alias if link.alias else link.target
        spans.append((link.start, link.end, f" {shown} ".encode()))
    for s, e, replacement in sorted(spans):
        if e <= pos or s >= hi:
            continue
        pieces.append(block.text[pos - block.start : max(pos, s) - block.start])
        pieces.append(replacement)
        pos = max(pos, e)
    if pos < hi:
        pieces.append(block.text[pos - block.start : hi - block.start])
    text = b"".join(pieces).decode("utf-8", "replace")
    return " ".join(text.split())
