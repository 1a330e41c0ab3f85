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
from ..quartz.paths import slug_tag
from ..quartz.site import coerce_to_array, js_string
from .time_scale import profile
from ..transcripts.support import (
    CitationSupport,  # a light record: the scoring is imported only to score
)


class LinkRef(NamedTuple):
    """A well-formed wiki-link of a note: its target and heading as written, byte offsets.

    In quartz mode the links are those Quartz reads (:attr:`notelint.document.Note.site`):
    ``target`` is the target as Quartz takes it, ``anchor`` the heading part as Quartz writes
    it (``#slug``), ``embed`` an ``![[…]]``."""

    target: str  # "" for a link to a heading of the note itself
    heading: str | None
    start: int
    end: int
    anchor: str = ""
    embed: bool = False
    target_span: tuple[int, int] | None = None  # the target's bytes, when the note holds it literally
    alias: str | None = None  # the display text after ``|``


class SiteEntry(NamedTuple):
    """What a renderer reads of a note besides its path (quartz mode): the front matter's
    ``aliases`` (or ``alias``) and ``permalink`` as Quartz's FrontMatter plugin reads them,
    ``draft``, its tags (slugged), and its heading ids when they are not derived from the
    headings' text (None: :func:`notelint.quartz.headings.plain_heading_ids`)."""

    aliases: tuple[str, ...] = ()
    permalink: str | None = None
    draft: bool = False
    tags: tuple[str, ...] = ()
    heading_ids: tuple[str, ...] | None = None


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
    # (readable times, latest, suspect): what TS007 needs of every note, checked or not
    time_profile: tuple[int, int, bool] = (0, 0, False)
    # (seconds, start, end) of each readable citation time, offsets in the note, packed as
    # unsigned 32-bit integers (a tuple per citation would cost 20 times the memory): see cited();
    # in a large run, set aside on disk until read (notelint.spill.SpilledBytes: bytes() reads it)
    times: bytes = b""
    links: tuple[LinkRef, ...] = ()
    stats: NoteStats | None = None
    site: SiteEntry | None = None  # quartz mode only

    @property
    def stem(self) -> str:
        """The file name without ``.md``: how suggestions and messages name the note."""
        name = self.rel.rsplit("/", 1)[-1]
        return name[:-3] if name.endswith(".md") else name

    def cited(self) -> list[tuple[int, int, int]]:
        """The (seconds, start, end) of each citation time the note holds."""
        flat = array("I")
        flat.frombytes(bytes(self.times))
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
    # as shown: "### 1. [[target | Shown text]]" shows "1. Shown text"
    return tuple(HeadingRef(h.text, h.rendered or h.text, note.position(h.start)[0]) for h in note.headings)


def build_entry(note: Note, stats: NoteStats | None = None) -> IndexEntry:
    """The index entry of a parsed note (the one place entries are made)."""
    data = note.data
    title = data.get("title")
    times = []
    links = []
    for block in note.blocks:
        for c in block.citations:
            # a label naming another time than data-t is TS002's: it says nothing of the scale
            if c.problem is None and (c.label is None or c.label == c.time or padded(c.label) == padded(c.time)):
                t = c.seconds
                if t is None:  # "10:14" still tells the time scale (TS001 reports its form)
                    fixed = padded(c.time)
                    t = parse_time(fixed) if fixed else None
                if t is not None:
                    times.append((t, c.start, c.end))
        if note.site is None:
            links.extend(LinkRef(w.target, w.heading, w.start, w.end, "", w.embed, w.target_span, w.alias)
                         for w in block.wikilinks if w.problem is None)
    if note.site is not None:
        links = [LinkRef(s.target, s.heading, s.start, s.end, s.anchor, s.embed, s.target_span, s.alias)
                 for s in note.site.links]
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
        time_profile=profile([t for t, _, _ in times]).as_tuple(),
        times=pack_times(times),
        links=tuple(links),
        stats=stats,
        site=None if note.site is None else site_entry(data, note.site.heading_ids),
    )


def site_entry(data: dict, heading_ids: tuple[str, ...] | None) -> SiteEntry:
    """What Quartz reads of a note's front matter (``data``), and its heading ids."""
    raw = data.get("aliases") if data.get("aliases") is not None else data.get("alias")
    aliases = tuple(coerce_to_array(raw) or ())
    permalink = data.get("permalink")
    permalink = None if permalink is None or js_string(permalink) == "" else js_string(permalink)
    draft = data.get("draft")
    tags = data.get("tags") if data.get("tags") is not None else data.get("tag")
    return SiteEntry(aliases, permalink, draft is True or draft == "true",
                     tuple(slug_tag(t) for t in coerce_to_array(tags) or ()), heading_ids)
