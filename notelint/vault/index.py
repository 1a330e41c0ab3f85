"""The vault index: every note's :class:`~notelint.vault.entry.IndexEntry`, filed under
the keys its :class:`~notelint.vault.resolve.Resolver` gives, and link resolution.

Built once for a run, or kept by a :class:`~notelint.run.workspace.Workspace`
and updated one note at a time (:meth:`VaultIndex.add`, :meth:`VaultIndex.remove`).
Vault rules read it; it imports no rule.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Iterator

from .entry import IndexEntry, LinkRef
from .resolve import Resolver, heading_key_set
from .suggest import Suggester

_MISSING: list = []


class VaultIndex:
    def __init__(self, entries: Iterable[IndexEntry], resolver: Resolver):
        self.resolver = resolver
        self.notes: dict[str, IndexEntry] = {}
        self.by_key: dict[str, list[str]] = {}  # key -> rels, sorted
        self._keys: dict[str, tuple[str, ...]] = {}  # rel -> its keys
        self._by_path: dict[str, str] | None = None  # built on the first target written as a path
        self._status: dict[str, list[str] | None] = {}  # resolution of each distinct link, shared by the rules
        self._headings: dict[str, frozenset[str]] = {}
        self._suggester: Suggester | None = None
        for entry in sorted(entries, key=lambda e: e.rel):
            self._file(entry)

    # -- building ---------------------------------------------------------------
    def _file(self, entry: IndexEntry) -> None:
        rel = entry.rel
        self.notes[rel] = entry
        keys = self.resolver.keys(entry)
        self._keys[rel] = keys
        for key in keys:
            rels = self.by_key.get(key)
            if rels is None:
                self.by_key[key] = [rel]
            elif rels[-1] < rel:  # building from sorted entries: no scan of the notes sharing the key
                rels.append(rel)
            else:
                i = bisect_left(rels, rel)
                if i == len(rels) or rels[i] != rel:
                    rels.insert(i, rel)

    def _invalidate(self) -> None:
        self._by_path = None
        self._status.clear()
        self._headings.clear()
        self._suggester = None

    def add(self, entry: IndexEntry) -> None:
        """File ``entry`` (replacing the note's previous entry, if any)."""
        if entry.rel in self.notes:
            self._unfile(entry.rel)
        self._file(entry)
        self._invalidate()

    def remove(self, rel: str) -> IndexEntry | None:
        entry = self._unfile(rel) if rel in self.notes else None
        self._invalidate()
        return entry

    def _unfile(self, rel: str) -> IndexEntry:
        entry = self.notes.pop(rel)
        for key in self._keys.pop(rel, ()):
            rels = self.by_key.get(key)
            if rels is not None and rel in rels:
                rels.remove(rel)
                if not rels:
                    del self.by_key[key]
        return entry

    def keys_of(self, rel: str) -> tuple[str, ...]:
        return self._keys.get(rel, ())

    @property
    def by_path(self) -> dict[str, str]:
        """path key -> rel, for targets written as paths."""
        if self._by_path is None:
            key = self.resolver.path_key
            self._by_path = {key(rel): rel for rel in sorted(self.notes)}
        return self._by_path

    # -- resolving ---------------------------------------------------------------
    def resolve(self, target: str, source: str = "") -> list[str] | None:
        """The notes ``target`` (written in ``source``) reaches: [] unresolved, more than one
        ambiguous; None for a target that is not looked up (empty, external, leaving the vault)."""
        resolver = self.resolver
        ck = resolver.cache_key(target, source)
        found = self._status.get(ck, _MISSING)
        if found is _MISSING:
            found = None if resolver.unresolvable(target) else resolver.resolve(self, target, source)
            self._status[ck] = found
        return found

    def links(self, checked: Iterable[IndexEntry]) -> Iterator[tuple[IndexEntry, LinkRef, list[str] | None]]:
        """(entry, link, notes reached) for each wiki-link of each checked note (see :meth:`resolve`)."""
        for entry in checked:
            rel = entry.rel
            for link in entry.links:
                yield entry, link, self.resolve(link.target, rel)

    def heading_keys(self, rel: str) -> frozenset[str]:
        """Every heading key of the note ``rel``."""
        keys = self._headings.get(rel)
        if keys is None:
            entry = self.notes.get(rel)
            keys = self._headings[rel] = heading_key_set(self.resolver, entry.headings) if entry else frozenset()
        return keys

    def referrers(self, keys: set[str], paths: set[str]) -> list[str]:
        """The notes with a link that may reach a note filed under ``keys`` or at ``paths``."""
        may_match = self.resolver.may_match
        return [rel for rel, entry in self.notes.items()
                if any(link.target and may_match(link.target, keys, paths) for link in entry.links)]

    # -- suggestions ---------------------------------------------------------------
    def suggest(self, target: str, n: int = 3) -> list[str]:
        """The closest existing names for a target that reaches nothing, for 'did you mean'."""
        if self._suggester is None:
            names = ((key, self.notes[rels[0]].stem) for key, rels in sorted(self.by_key.items()) if rels)
            self._suggester = Suggester(names, self.resolver)
        return self._suggester.suggest(target, n)
