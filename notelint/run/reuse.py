"""Which vault findings of the last run still hold after notes changed.

The cache keeps the last run's vault findings (WL001, WL003, WL004, TS007),
placed, with what each note was then: its content digest, its video data's
digest, whether it was checked (:meth:`~notelint.cache.Cache.vault_base`). A
run after an edit compares every note with that, and takes the stored findings
of the notes the edit cannot concern; the vault rules run on the others.

What a note's vault findings read of other notes:

- the link rules: their names (file name, title, aliases, path; in quartz
  mode the slug, permalink, aliases, draft) and their headings;
- TS007: the cited times of the notes on the same video, and its data.

So a changed note whose names and headings stayed (its prose, its citations:
the usual edit) concerns itself, and when its cited times moved, the notes on
its video. A note added, removed or renamed, or whose title, aliases, headings
or video changed, concerns besides the notes linking to any of its names, old
or new (:meth:`~notelint.vault.index.VaultIndex.concerned`): finding them
reads every note's links. A heading that only moved (a line added above it)
changes no link. A name gained or lost (a note added, removed or renamed, a
title or an alias) concerns too every note with a link that reaches nothing:
its 'did you mean' and its repair read every name. When those are more than a
tenth of the notes (3,405 of the real vault's 8,693), running the vault
rules on them costs about what running them on every note does, and every
note's are made anew.

When what a changed note was is not known (its cache entry was replaced by a
run that stored no vault findings), or more than :data:`CHANGED_MAX` notes
changed, no stored finding is taken.
"""

from __future__ import annotations

from collections.abc import Callable, Container
from typing import NamedTuple

from ..cache import CacheEntry
from ..discover import NoteFile
from ..vault import IndexEntry, VaultIndex
from ..vault.index import names_moved
from .payload import DECODE_ERRORS, entry_from_plain, heading_names, video_of

CHANGED_MAX = 200  # changed notes past which every note's vault findings are made anew
BROKEN_SHARE = 10  # a name gained or lost, and more than a tenth of the notes with a broken link: anew


class _Every:
    """Every note: the vault findings of this very state are stored."""

    def __contains__(self, rel: object) -> bool:
        return True


EVERY_NOTE = _Every()


class Reuse(NamedTuple):
    """The stored vault findings (plain, by vault path; None: none to take), the checked notes
    whose findings among them hold as far as their entries tell, and the notes added, removed
    or renamed, with what each was (None: added), whose referrers hold no longer either."""

    findings: dict | None
    holding: Container[str]
    renamed: tuple[tuple[str, IndexEntry | None], ...] = ()

    def concerned(self, index: VaultIndex) -> set[str]:
        """The notes whose stored findings no longer hold because of :attr:`renamed` (``index``:
        the vault as it is now, every note's links in it)."""
        out = set()
        for rel, old in self.renamed:
            out.add(rel)
            out |= index.concerned(old, index.notes.get(rel), True, True, broken=False)
        return out


NONE = Reuse(None, ())


def still_holding(base: tuple[dict, dict] | None, files: list[NoteFile], entries: list[CacheEntry],
                  before: dict[str, CacheEntry] | None, stored_entry: Callable[[str], CacheEntry | None]) -> Reuse:
    """What of ``base`` (:meth:`~notelint.cache.Cache.vault_base`) still holds for the notes
    ``files`` with their cache entries ``entries`` now; ``before``: the entries the notes
    linted in this run had before it (None: too many changed); ``stored_entry``: a note's
    cache entry as stored (what a removed note was)."""
    if base is None or before is None:
        return NONE
    findings, was = base
    changed: list[tuple[str, CacheEntry | None, CacheEntry | None]] = []  # (rel, then, now)
    here = set()
    for f, entry in zip(files, entries):
        here.add(f.rel)
        then = was.get(f.rel)
        if then is None:
            changed.append((f.rel, None, entry))
        elif type(then) is not bytes:
            return NONE
        elif then[:-1] != entry.made_from:
            old = before.get(f.rel)
            if old is None or old.made_from != then[:-1]:
                return NONE  # what the note was then is not known
            changed.append((f.rel, old, entry))
        if len(changed) > CHANGED_MAX:
            return NONE
    for rel in was.keys() - here:
        old = stored_entry(rel)
        if old is None or type(was[rel]) is not bytes or old.made_from != was[rel][:-1]:
            return NONE
        changed.append((rel, old, None))
    if len(changed) > CHANGED_MAX:
        return NONE
    videos, renamed, new_name = set(), [], False
    for rel, old, new in changed:
        a = old.index if old is not None else None
        b = new.index if new is not None else None
        if any(part is not None and (type(part) is not tuple or len(part) != 8) for part in (a, b)):
            return NONE
        if a is None or b is None or _names(a) != _names(b):
            try:
                then, now = (entry_from_plain(rel, part, None) if part is not None else None for part in (a, b))
            except DECODE_ERRORS:
                return NONE
            renamed.append((rel, then))
            new_name = new_name or names_moved(then, now)
        elif a[4:7] != b[4:7] or old.video_digest != new.video_digest:  # type: ignore[union-attr]
            videos.add(a[3])
    if new_name:
        broken = {rel for rel, found in findings.items() if any(f[0] == "WL001" for f in found)}
        if len(broken) * BROKEN_SHARE > len(files):
            return NONE  # their vault rules again cost about what every note's do
    else:
        broken = set()
    videos.discard(None)  # a note on no video has no time scale
    stale = {rel for rel, _, _ in changed} | broken
    if videos:
        stale.update(f.rel for f, e in zip(files, entries) if video_of(e.index) in videos)
    holding = {rel for rel, then in was.items() if then[-1:] == b"\1" and rel not in stale}
    return Reuse(findings, holding, tuple(renamed))


def vault_notes(files: list[NoteFile], checked: Callable[[NoteFile], bool],
                entries: list[CacheEntry]) -> dict[str, bytes]:
    """What a run's vault findings were made from, note by note, as the cache keeps it beside
    them (:meth:`~notelint.cache.Cache.vault_base`): what the note was made from, and b"\\1"
    when it was checked (its findings are among them), else b"\\0"."""
    return {f.rel: e.made_from + (b"\1" if checked(f) else b"\0") for f, e in zip(files, entries)}


def _names(index: tuple) -> tuple:
    """What other notes' vault findings read of an entry's index part, its times aside: its
    title, aliases, heading texts, video and what a site reads."""
    return index[0], index[1], heading_names(index[2]), index[3], index[7]
