"""The one codec between results and plain data (tuples of str, int, bytes, None), for the
cache and for worker processes: :mod:`marshal` can write it, and loading it runs no code.

A note's payload has two parts. The *index part* is what every run needs of
every note (its names, headings and video); the *detail blob*, decoded only
for the notes being checked, holds its findings, suppression directives,
links, cited times and audit counts.
"""

from __future__ import annotations

import marshal
from array import array
from functools import partial
from typing import NamedTuple

from ..discover import NoteFile
from ..findings import Edit, Finding, Fix
from ..rules.suppression import Directive
from ..spill import Spill
from ..transcripts.support import CitationSupport
from ..vault import HeadingRef, IndexEntry, LinkRef, NoteStats, SiteEntry
from .result import NoteResult


class Payload(NamedTuple):
    index: tuple  # the entry's index part
    detail: bytes  # marshal of (findings, directives, the entry's detail part)
    has_details: bool  # findings or directives: needed even when vault findings are reused


# -- findings ------------------------------------------------------------------------
def finding_to_plain(f: Finding) -> tuple:
    fix = None if f.fix is None else (f.fix.description, f.fix.safe, tuple((e.start, e.end, e.text) for e in f.fix.edits))
    return (f.code, f.severity, f.line, f.col, f.message, f.end_line, f.end_col, fix, f.offset, f.end_offset)


def finding_from_plain(t: tuple, path: str) -> Finding:
    code, sev, line, col, msg, end_line, end_col, fix, offset, end_offset = t
    if fix is not None:
        fix = Fix(fix[0], tuple(Edit(a, b, text) for a, b, text in fix[2]), fix[1])
    return Finding(code, sev, path, line, col, msg, end_line, end_col, fix, offset, end_offset)


# -- index entries --------------------------------------------------------------------
def entry_index(e: IndexEntry) -> tuple:
    headings = e.headings.packed if isinstance(e.headings, _Headings) else _pack_headings(e.headings)
    return (e.title, e.aliases, headings, e.video_id, e.duration, e.max_time,
            e.time_profile, None if e.site is None else tuple(e.site))


def entry_detail(e: IndexEntry) -> tuple:
    links = e.links if isinstance(e.links, _Links) else _Links.of(e.links)
    return (bytes(e.times), links.packed, None if e.stats is None else _stats_plain(e.stats))


def _stats_plain(stats: NoteStats) -> tuple:
    return (*stats[:-1], tuple(tuple(s) for s in stats.support))


def _stats_from_plain(plain: tuple) -> NoteStats:
    *counts, support = plain
    return NoteStats(*counts, tuple(CitationSupport(*s) for s in support))


def _maker(cls):
    """``cls._make`` without a Python call per record: ``tuple.__new__`` bound by a C partial
    (a vault of 100,000 notes holds about a million headings). Widths are checked by
    :func:`_checked`, as ``_make`` would."""
    return partial(tuple.__new__, cls)


def _checked(plain: tuple, width: int) -> tuple:
    """``plain`` when every record in it has ``width`` fields (a damaged cache entry raises)."""
    if set(map(len, plain)) != {width}:
        raise ValueError("a damaged record")
    return plain


_heading = _maker(HeadingRef)


class _Records:
    """A sequence of records (``_make``) read from plain tuples (``_plain()``) only when read."""

    __slots__ = ()
    _make = staticmethod(tuple)

    def _plain(self) -> tuple:
        raise NotImplementedError

    def __iter__(self):
        return map(self._make, self._plain())

    def __len__(self) -> int:
        return len(self._plain())

    def __getitem__(self, i):
        plain = self._plain()
        return tuple(map(self._make, plain[i])) if isinstance(i, slice) else self._make(plain[i])

    def __eq__(self, other) -> bool:
        try:
            return self._plain() == tuple(map(tuple, other))
        except TypeError:
            return NotImplemented

    def __hash__(self) -> int:
        return hash(self._plain())

    def __repr__(self) -> str:
        return repr(tuple(self))


class _Headings(_Records):
    """A decoded entry's headings, kept packed: their texts in one string, and per heading
    the length of ``text``, of ``shown`` (:data:`_SAME` when it is ``text``) and the line,
    as unsigned 32-bit integers. The records (:class:`HeadingRef`) are made when they are
    read, which most entries of a run never are (only the targets of ``[[note#heading]]``
    links). A sequence of HeadingRef to its readers.

    Held as a tuple per heading they were most of a large vault's memory: some 35 objects
    and 2.2 KB a generated note of 11 headings (210 of the 294 MB the index of 100,000 notes
    took), against three objects packed."""

    __slots__ = ("packed",)
    _make = staticmethod(_heading)

    def __init__(self, packed: tuple[str, bytes]) -> None:
        self.packed = packed

    def _plain(self) -> tuple:
        text, numbers = self.packed
        n = _ints(numbers)
        out, at = [], 0
        for i in range(0, len(n), 3):
            written = text[at : at + n[i]]
            at += n[i]
            if n[i + 1] == _SAME:
                shown = written
            else:
                shown = text[at : at + n[i + 1]]
                at += n[i + 1]
            out.append((written, shown, n[i + 2]))
        return tuple(out)


class _SpilledHeadings(_Headings):
    """Packed headings set aside in a run's :class:`~.spill.Spill` (a large vault): the note
    holds where they are, and reads them back when they are read (the targets of
    ``[[note#heading]]`` links). Some 500 bytes a generated note of 11 headings. Held as
    :class:`_SpilledLinks` holds links: where they are, no object more a note."""

    __slots__ = ("_spill", "_where")

    @classmethod
    def of_packed(cls, spill: Spill, packed: tuple[str, bytes]) -> _Headings:
        """``packed`` set aside in ``spill`` (kept as it is when it cannot take it)."""
        where = spill.keep(marshal.dumps(packed))
        if where is None:
            return _Headings(packed)
        self = cls.__new__(cls)
        self._spill, self._where = spill, where
        return self

    @property
    def packed(self) -> tuple[str, bytes]:  # type: ignore[override]
        return marshal.loads(self._spill.read(self._where))

    def __bool__(self) -> bool:  # made of headings there are: not read back to say so
        return True


_SAME = 0xFFFFFFFF  # a heading shown as written


def _ints(numbers: bytes) -> array:
    """A packed form's numbers (unsigned 32-bit integers)."""
    n = array("I")
    n.frombytes(numbers)
    return n


def _pack_headings(headings) -> tuple:
    """:class:`_Headings`'s packed form of HeadingRef records (``()`` for none)."""
    if not headings:
        return ()
    texts, numbers = [], array("I")
    for text, shown, line in headings:
        texts.append(text)
        if shown == text:
            numbers.extend((len(text), _SAME, line))
        else:
            texts.append(shown)
            numbers.extend((len(text), len(shown), line))
    return ("".join(texts), numbers.tobytes())


def heading_names(packed) -> tuple:
    """What other notes' links read of a packed form (``()`` for none): the headings' text, not
    their lines (a line added above a heading moves it, and no link to it changes)."""
    if type(packed) is not tuple or len(packed) != 2 or type(packed[1]) is not bytes or len(packed[1]) % 12:
        return (packed,)  # not a packed form (a damaged part is not decoded here): taken whole
    n = _ints(packed[1])
    del n[2::3]
    return packed[0], n.tobytes()


def _checked_headings(packed) -> tuple[str, bytes]:
    """``packed`` when it is a whole packed form (a damaged cache entry raises)."""
    if type(packed) is not tuple or len(packed) != 2:
        raise ValueError("a damaged record")
    text, numbers = packed
    if type(text) is not str or type(numbers) is not bytes or not numbers or len(numbers) % 12:
        raise ValueError("a damaged record")
    n = _ints(numbers)
    shown = n[1::3]
    if sum(n[0::3]) + sum(shown) - _SAME * shown.count(_SAME) != len(text):
        raise ValueError("a damaged record")
    return packed


_link = _maker(LinkRef)


class _Links(_Records):
    """A decoded entry's links, kept packed (the marshal bytes they were stored as) and
    decoded each time they are read: a note's links are read by a few vault rules, one
    note after another, and held as records they were most of a large vault's memory
    (about 20 KB a note of 60 links against 3 KB packed). A sequence of LinkRef to its
    readers; a damaged blob raises as decoding it at once would."""

    __slots__ = ("packed", "_n")
    _make = staticmethod(_link)

    def __init__(self, packed: bytes, trusted: bool = False) -> None:
        """``trusted``: packed by a worker of this run, not read from the cache: not decoded
        now to be checked (a vault of 100,000 notes would make and drop six million records,
        and keep the memory they scattered)."""
        self.packed = packed
        self._n = -1
        if not trusted:
            plain = marshal.loads(packed)
            if type(plain) is not tuple:
                raise ValueError("a damaged record")
            _checked(plain, _LINK_WIDTH)
            self._n = len(plain)

    @classmethod
    def of(cls, links) -> _Links:
        """Records packed (no decoding to check them: they were just made)."""
        self = cls.__new__(cls)
        self.packed = marshal.dumps(tuple(map(tuple, links)))
        self._n = len(links)
        return self

    def _plain(self) -> tuple:
        return marshal.loads(self.packed)

    def __len__(self) -> int:
        if self._n < 0:
            self._n = len(self._plain())
        return self._n

    def __bool__(self) -> bool:  # not decoded to say so
        return self._n > 0 if self._n >= 0 else self.packed != _NO_LINKS


_NO_LINKS = marshal.dumps(())


class _SpilledLinks(_Links):
    """Packed links set aside in a run's :class:`~.spill.Spill` (a large vault): the note
    holds where they are, and reads them back each time they are read."""

    __slots__ = ("_spill", "_where")

    @classmethod
    def of_packed(cls, spill: Spill, links: _Links) -> _Links:
        """``links`` set aside in ``spill`` (kept as they are when it cannot take them)."""
        where = spill.keep(links.packed)
        if where is None:
            return links
        self = cls.__new__(cls)
        self._spill, self._where, self._n = spill, where, links._n
        return self

    @property
    def packed(self) -> bytes:  # type: ignore[override]
        return self._spill.read(self._where)


_entry = _maker(IndexEntry)
_site = _maker(SiteEntry)
_LINK_WIDTH = len(LinkRef._fields)
_SITE_WIDTH = len(SiteEntry._fields)


def entry_from_plain(rel: str, index: tuple, detail: tuple | None, trusted: bool = False,
                     spill: Spill | None = None, headings_aside: bool = False) -> IndexEntry:
    """The entry of ``index`` (and ``detail``): ``trusted`` when they come from a worker of
    this run (see :class:`_Links`), else they are checked now (a damaged cache entry raises).
    With ``spill``, its links and cited times are set aside in it, and its headings too with
    ``headings_aside`` (when nothing else holds ``index`` through the vault rules: a run
    without a cache, or one that lets go of the cache's entries before them)."""
    title, aliases, headings, video_id, duration, max_time, time_profile, site = index
    if site is not None:
        if len(site) != _SITE_WIDTH:
            raise ValueError("a damaged record")
        site = _site(site)
    if headings:
        headings = _checked_headings(headings)
        aside = spill is not None and headings_aside
        headings = _SpilledHeadings.of_packed(spill, headings) if aside else _Headings(headings)  # type: ignore[arg-type]
    if detail is None:  # most notes of a run: their names only
        return _entry((rel, title, aliases, headings, video_id, duration, max_time, time_profile, b"", (), None, site))
    times, links, stats = detail
    if type(times) is not bytes or len(times) % 12:  # (seconds, start, end) as 4-byte integers
        raise ValueError("a damaged record")
    links = _Links(links, trusted)  # a damaged value raises
    if spill is not None:
        links = _SpilledLinks.of_packed(spill, links) if links else links
        times = spill.aside(times)
    return _entry((rel, title, aliases, headings, video_id, duration, max_time, time_profile, times,
                   links or (), _stats_from_plain(stats) if stats is not None else None, site))


def packed_entry(entry: IndexEntry, spill: Spill | None = None) -> IndexEntry:
    """``entry`` with its headings and links packed as a decoded entry keeps them (see
    :class:`_Headings` and :class:`_Links`), these and its cited times set aside in ``spill``
    when given: a run in one process holds every note's entry through the vault rules, as the
    parent of a parallel run does."""
    changes = {}
    if entry.headings and not isinstance(entry.headings, _Headings):
        packed = _pack_headings(entry.headings)
        changes["headings"] = _Headings(packed) if spill is None else _SpilledHeadings.of_packed(spill, packed)
    if entry.links and not isinstance(entry.links, _Links):
        links = _Links.of(entry.links)
        changes["links"] = links if spill is None else _SpilledLinks.of_packed(spill, links)
    if spill is not None and type(entry.times) is bytes and entry.times:
        changes["times"] = spill.aside(entry.times)
    return entry._replace(**changes) if changes else entry


def video_of(index: tuple) -> str | None:
    """The videoId of an entry's index part (what its per-video dependency is); None for a
    damaged part (decoding it fails later, and the note is linted again)."""
    try:
        vid = index[3]
    except (TypeError, IndexError, KeyError):
        return None
    return vid if isinstance(vid, str) else None


# -- whole results ----------------------------------------------------------------------
def encode(res: NoteResult) -> Payload:
    findings = tuple(finding_to_plain(f) for f in res.findings)
    directives = tuple((d.kind, d.codes, d.line, d.col, d.first, d.last) for d in res.directives)
    blob = marshal.dumps((findings, directives, entry_detail(res.entry)))
    return Payload(entry_index(res.entry), blob, bool(findings or directives))


def decode(file: NoteFile, index: tuple, blob: bytes | None, checked: bool, trusted: bool = False,
           spill: Spill | None = None, headings_aside: bool = False) -> NoteResult:
    """Rebuild a NoteResult; without ``blob`` only the index part (for notes not checked).
    A damaged blob raises (TypeError, ValueError, KeyError, IndexError, EOFError), unless it
    is ``trusted`` (a worker's of this run, see :func:`entry_from_plain`)."""
    findings: list[Finding] = []
    directives: list[Directive] = []
    detail = None
    if blob is not None:
        plain_findings, plain_directives, detail = marshal.loads(blob)
        findings = [finding_from_plain(t, file.display) for t in plain_findings]
        directives = [Directive(*d) for d in plain_directives]
    entry = entry_from_plain(file.rel, index, detail, trusted, spill, headings_aside)
    return NoteResult(file, findings, entry, directives, checked)


DECODE_ERRORS = (TypeError, ValueError, KeyError, IndexError, EOFError)
