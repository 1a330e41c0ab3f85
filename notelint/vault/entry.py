"""What one note contributes to the vault index: an :class:`IndexEntry`.

Built in one place, :func:`build_entry`, from the note's document model. An
entry keeps names as the note writes them (file name, title, aliases,
headings with their lines), not as some resolution mode normalises them:
the :class:`~notelint.vault.resolve.Resolver` derives keys from them, so one
cached entry serves every mode, and the language server can show a title or
a heading as written.

Entries are plain named tuples of strings, numbers and bytes: cheap to keep
for 100,000 notes, and turned into plain tuples for the cache and worker
processes by :mod:`notelint.run.payload`.
"""

from __future__ import annotations

from array import array
from typing import NamedTuple

from ..document import Note, padded, parse_time
from ..transcripts.support import (
    CitationSupport,  # a light record: the scoring is imported only to score
)


class LinkRef(NamedTuple):
    """A well-formed wiki-link of a note: its target and heading as written, byte offsets."""

    target: str  # "" for a link to a heading of the note itself
    heading: str | None
    start: int
    end: int


class HeadingRef(NamedTuple):
    """A heading as written (``text``), as shown (``shown``: wiki-links replaced by what they
    display), and its 1-based line."""

    text: str
    shown: str
    line: int


class NoteStats(NamedTuple):
    """Counts for the audit, taken while the note is parsed (only ``notelint audit`` pays for them).

    A claim is a block CL001 would look at; it is cited when it holds at least
    one citation anchor. ``citations`` counts every citation anchor in the
    note's blocks.
    """

    claims: int
    cited_claims: int
    citations: int
    title: str | None  # the front matter title, when it is a string
    channel: str | None  # the source line's wiki-link target
    # each cited claim as its video's transcript sees it (none without a transcript)
    support: tuple[CitationSupport, ...] = ()


class IndexEntry(NamedTuple):
    """One note's contribution to the vault index."""

    rel: str  # posix path relative to the vault root
    title: str | None = None
    aliases: tuple[str, ...] = ()
    headings: tuple[HeadingRef, ...] = ()
    video_id: str | None = None
    duration: int | None = None  # front matter ``duration``, seconds
    max_time: int | None = None  # the latest time the note cites
    # (seconds, start, end) of each readable citation time, offsets in the note, packed as
    # unsigned 32-bit integers (a tuple per citation would cost 20 times the memory): see cited()
    times: bytes = b""
    links: tuple[LinkRef, ...] = ()
    stats: NoteStats | None = None

    @property
    def stem(self) -> str:
        """The file name without ``.md``: how suggestions and messages name the note."""
        name = self.rel.rsplit("/", 1)[-1]
        return name[:-3] if name.endswith(".md") else name

    def cited(self) -> list[tuple[int, int, int]]:
        """The (seconds, start, end) of each citation time the note holds."""
        flat = array("I")
        flat.frombytes(self.times)
        return list(zip(flat[0::3], flat[1::3], flat[2::3]))


def pack_times(times: list[tuple[int, int, int]]) -> bytes:
    return array("I", [x for t in times for x in t]).tobytes()


def _string_list(value) -> tuple[str, ...]:
    if isinstance(value, list):
        return tuple(a for a in value if isinstance(a, str) and a.strip())
    if isinstance(value, str) and value.strip():
        return (value,)
    return ()


def _headings(note: Note) -> tuple[HeadingRef, ...]:
    shown_text: dict[int, str] = {}
    for block in note.blocks:
        if block.kind == "heading" and block.wikilinks:
            # "### 1. [[target | Shown text]]" shows its alias
            text = note.slice(block.start, block.end)
            for w in block.wikilinks:
                text = text.replace(w.raw, w.alias or w.target)
            shown_text[block.start] = text.strip()
    out = []
    for h in note.headings:
        shown = next((t for s, t in shown_text.items() if h.start <= s < h.end), h.text)
        out.append(HeadingRef(h.text, shown, note.position(h.start)[0]))
    return tuple(out)


def build_entry(note: Note, stats: NoteStats | None = None) -> IndexEntry:
    """The index entry of a parsed note (the one place entries are made)."""
    data = note.data
    title = data.get("title")
    times = []
    links = []
    for block in note.blocks:
        for c in block.citations:
            if c.problem is None:
                t = c.seconds
                if t is None:  # "10:14" still tells the time scale (TS001 reports its form)
                    fixed = padded(c.time)
                    t = parse_time(fixed) if fixed else None
                if t is not None:
                    times.append((t, c.start, c.end))
        for w in block.wikilinks:
            if w.problem is None:
                links.append(LinkRef(w.target, w.heading, w.start, w.end))
    vid = data.get("videoId")
    duration = data.get("duration")
    return IndexEntry(
        rel=note.rel,
        title=title if isinstance(title, str) and title.strip() else None,
        aliases=_string_list(data.get("aliases")),
        headings=_headings(note) if note.headings else (),
        video_id=vid if isinstance(vid, str) else None,
        duration=parse_time(duration) if isinstance(duration, str) else None,
        max_time=max(t for t, _, _ in times) if times else None,
        times=pack_times(times),
        links=tuple(links),
        stats=stats,
    )
