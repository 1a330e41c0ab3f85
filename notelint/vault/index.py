"""The vault index: every note's :class:`~notelint.vault.entry.IndexEntry`, filed under
the keys its :class:`~notelint.vault.resolve.Resolver` gives, and link resolution.

Built once for a run, or kept by a :class:`~notelint.run.workspace.Workspace`
and updated one note at a time (:meth:`VaultIndex.add`, :meth:`VaultIndex.remove`).
Vault rules read it; it imports no rule.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Iterator

from .entry import HeadingRef, IndexEntry, LinkRef
from .resolve import LenientResolver, Resolver, heading_key_set
from .suggest import Suggester

_MISSING: list = []
_LENIENT = LenientResolver()


def names_moved(old: IndexEntry | None, new: IndexEntry | None) -> bool:
    """Whether a note gained or lost a name any resolution mode reads (added, removed, another
    title, aliases, or what a site reads)."""
    return (old is None or new is None
            or (old.rel, old.title, old.aliases, old.site) != (new.rel, new.title, new.aliases, new.site))


class VaultIndex:
    """``known_keys`` (resolver mode -> rel -> keys) are keys filed before for the same notes with
    the same content and settings (the cache keeps them): taken as they are, not computed again,
    and taken over (a large vault's are some 100,000 entries a mode: not copied, and each mode's
    let go of once its index is filed). :meth:`filed_keys` gives what was filed, to keep for the
    next run."""

    def __init__(self, entries: Iterable[IndexEntry], resolver: Resolver,
                 known_keys: dict[str, dict[str, tuple[str, ...]]] | None = None):
        self.resolver = resolver
        self._known = dict(known_keys or {})  # the index's now: its mode's dropped once filed
        self.notes: dict[str, IndexEntry] = {}
        self.by_key: dict[str, list[str]] = {}  # key -> rels, sorted
        self._keys: dict[str, tuple[str, ...]] = {}  # rel -> its keys
        self._by_path: dict[str, str] | None = None  # built on the first target written as a path
        self._status: dict[str, tuple] = {}  # (reached, choices) of each distinct link, shared by the rules
        self._headings: dict[str, frozenset[str]] = {}
        self._suggester: Suggester | None = None
        self._lenient: VaultIndex | None = None
        self._by_video: dict[str, dict[str, None]] | None = None  # videoId -> rels, built when first asked
        known = self._known.pop(resolver.mode, {})  # (in self._keys once filed)
        # the notes filed at building whose keys were computed, not known (None: every note,
        # none was known; a set of every note is some 4 MB at 100,000)
        self._computed: set[str] | None = set() if known else None
        for entry in sorted(entries, key=lambda e: e.rel):
            keys = known.get(entry.rel)
            if keys is None and self._computed is not None:
                self._computed.add(entry.rel)
            self._file(entry, keys)

    # -- building ---------------------------------------------------------------
    def _file(self, entry: IndexEntry, keys: tuple[str, ...] | None = None) -> None:
        rel = entry.rel
        self.notes[rel] = entry
        if self._by_video is not None:
            self._file_video(entry)
        if keys is None:
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

    def add(self, entry: IndexEntry) -> None:
        """File ``entry`` (replacing the note's previous entry, if any).

        What was derived from the index is updated, not thrown away, so that a language
        server can refile a note on every keystroke: the resolution of links (which reads
        only the keys and paths, see :class:`~.resolve.KeyIndex`) is kept while the note's
        keys stay the same, and the suggestions are updated key by key."""
        rel = entry.rel
        known = rel in self.notes
        self._forget_known(rel)
        old_keys = self._unfile(rel)[1] if known else ()
        self._file(entry)
        self._headings.pop(rel, None)
        if self._lenient is not None:
            self._lenient.add(entry)
        self._changed(rel, old_keys, self._keys[rel], None if known else True)

    def remove(self, rel: str) -> IndexEntry | None:
        if rel not in self.notes:
            return None
        self._forget_known(rel)
        entry, old_keys = self._unfile(rel)
        self._headings.pop(rel, None)
        if self._lenient is not None:
            self._lenient.remove(rel)
        self._changed(rel, old_keys, (), False)
        return entry

    def _changed(self, rel: str, old_keys: tuple[str, ...], new_keys: tuple[str, ...], added: bool | None) -> None:
        """Bring the derived data up to date after ``rel``'s keys went from ``old_keys`` to
        ``new_keys`` (``added``: True a new note, False a removed one, None refiled)."""
        touched = set(old_keys).symmetric_difference(new_keys)
        if added is not None:
            if self._by_path is not None:
                key = self.resolver.path_key(rel)
                if added:
                    self._by_path[key] = rel
                elif self._by_path.get(key) == rel:
                    del self._by_path[key]
        elif not touched:
            return  # same keys, same path: every link resolves as before
        self._status.clear()
        if self._suggester is not None and self._lenient is not None:
            self._suggester = None  # rebuilt from the lenient index when next asked
        elif self._suggester is not None:
            for key in touched:
                rels = self.by_key.get(key)
                if rels:
                    self._suggester.put(key, self.notes[rels[0]].stem)
                else:
                    self._suggester.discard(key)

    def _unfile(self, rel: str) -> tuple[IndexEntry, tuple[str, ...]]:
        entry = self.notes.pop(rel)
        if self._by_video is not None and entry.video_id:
            on_video = self._by_video.get(entry.video_id, {})
            on_video.pop(rel, None)
            if not on_video:
                self._by_video.pop(entry.video_id, None)
        keys = self._keys.pop(rel, ())
        for key in keys:
            rels = self.by_key.get(key)
            if rels is not None and rel in rels:
                rels.remove(rel)
                if not rels:
                    del self.by_key[key]
        return entry, keys

    def on_videos(self, videos: Iterable[str]) -> list[IndexEntry]:
        """The notes on ``videos`` (videoIds), video by video, each video's in the order of
        :attr:`notes`: kept by video, so that checking one note does not look at every note."""
        if self._by_video is None:
            self._by_video = {}
            for entry in self.notes.values():
                self._file_video(entry)
        return [self.notes[rel] for video in videos for rel in self._by_video.get(video, ())]

    def _file_video(self, entry: IndexEntry) -> None:
        if entry.video_id:
            self._by_video.setdefault(entry.video_id, {})[entry.rel] = None  # type: ignore[union-attr]

    def _forget_known(self, rel: str) -> None:
        for keys in self._known.values():  # the note changed: its known keys no longer hold
            keys.pop(rel, None)

    def filed_keys(self) -> dict[str, dict[str, tuple[str, ...]]]:
        """resolver mode -> rel -> keys of every note filed (the lenient index's too, when built)."""
        out = {self.resolver.mode: self._keys}
        if self._lenient is not None:  # (a lenient index is its own lenient one: never stored here)
            out[self._lenient.resolver.mode] = self._lenient._keys
        return out

    @property
    def computed(self) -> set[str]:
        """The notes filed at building whose keys were computed rather than known."""
        return set(self.notes) if self._computed is None else self._computed

    @property
    def computed_keys(self) -> set[str]:
        """The notes whose keys this index (or its lenient one) computed at building rather than knew."""
        lenient = self._lenient.computed if self._lenient is not None else set()
        return self.computed | lenient

    def keys_kept(self) -> None:
        """The keys filed so far are kept (in the cache): none counts as computed any more."""
        self._computed = set()
        if self._lenient is not None:
            self._lenient._computed = set()

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
    def resolve(self, target: str, source: str = "", embed: bool = False) -> list[str] | None:
        """The notes ``target`` (written in ``source``; ``embed``: as ``![[…]]``) reaches: [] unresolved,
        more than one ambiguous; None for a target that is not looked up (empty, external, leaving the
        vault, or one the renderer does not take for a note)."""
        return self._resolution(target, source, embed)[0]

    def choices(self, target: str, source: str = "", embed: bool = False) -> list[str]:
        """The notes the renderer chose among to reach the one :meth:`resolve` gives ([] no choice)."""
        return self._resolution(target, source, embed)[1]

    def _resolution(self, target: str, source: str, embed: bool) -> tuple[list[str] | None, list[str]]:
        resolver = self.resolver
        ck = resolver.cache_key(target, source, embed)
        found = self._status.get(ck, _MISSING)
        if found is _MISSING:
            if resolver.unresolvable(target):
                found = (None, [])
            else:
                # copies: the resolver may hand out a list of by_key, which refiling a note changes
                reached, choices = resolver.resolution(self, target, source, embed)
                found = (None if reached is None else list(reached), list(choices))
            self._status[ck] = found
        return found

    def bound_resolutions(self, limit: int) -> None:
        """Forget the links' resolutions kept so far when there are more than ``limit``, and the
        heading keys of the notes links reached when they are more than a fifth of it (a set of
        some 800 bytes a note: 42 MB at 100,000 generated notes, in every process of the vault rules)."""
        if len(self._status) > limit:
            self._status.clear()
        if len(self._headings) > limit // 5:
            self._headings.clear()

    def links(self, checked: Iterable[IndexEntry]) -> Iterator[tuple[IndexEntry, LinkRef, list[str] | None]]:
        """(entry, link, notes reached) for each wiki-link of each checked note (see :meth:`resolve`)."""
        for entry in checked:
            rel = entry.rel
            for link in entry.links:
                yield entry, link, self.resolve(link.target, rel, link.embed)

    def heading_keys(self, rel: str) -> frozenset[str]:
        """Every heading key of the note ``rel`` (in quartz mode its heading ids)."""
        keys = self._headings.get(rel)
        if keys is None:
            entry = self.notes.get(rel)
            keys = self._headings[rel] = self.resolver.entry_heading_keys(entry) if entry else frozenset()
        return keys

    def heading_found(self, rel: str, link: LinkRef, source: str) -> bool:
        """Whether the heading ``link`` (written in ``source``) names is one of note ``rel``'s."""
        keys = self.heading_keys(rel)
        return any(k in keys for k in self.resolver.link_heading_keys(self, link, source))

    def find_heading(self, rel: str, heading: str) -> HeadingRef | None:
        """The heading of note ``rel`` that a link's heading part ``heading`` names, or None."""
        entry = self.notes.get(rel)
        if entry is None or not heading:
            return None
        resolver = _LENIENT  # a heading as written, matched leniently whatever the mode
        wanted = set(resolver.heading_keys(heading))
        for h in entry.headings:
            if wanted & heading_key_set(resolver, (h,)):
                return h
        return None

    def backlinks(self, rel: str) -> list[tuple[IndexEntry, LinkRef]]:
        """The wiki-links that reach note ``rel`` (it alone: not ambiguous ones), the note's own
        links to its headings (``[[#Heading]]``) included, in vault order."""
        keys = set(self._keys.get(rel, ()))
        paths = {self.resolver.path_key(rel)}
        may_match = self.resolver.may_match
        out = []
        sources = dict.fromkeys(self.referrers(keys, paths) + ([rel] if rel in self.notes else []))
        for source in sorted(sources):
            entry = self.notes[source]
            for link in entry.links:
                if not link.target:
                    if source == rel:
                        out.append((entry, link))
                elif may_match(link.target, keys, paths) and self.resolve(link.target, source) == [rel]:
                    out.append((entry, link))
        return out

    def referrers(self, keys: set[str], paths: set[str], among: Iterable[str] | None = None) -> list[str]:
        """The notes (of ``among``, default every note) with a link that may reach a note filed
        under ``keys`` or at ``paths``."""
        may_match = self.resolver.may_match
        notes = self.notes
        entries = notes.items() if among is None else ((rel, notes[rel]) for rel in among if rel in notes)
        return [rel for rel, entry in entries
                if any(link.target and may_match(link.target, keys, paths) for link in entry.links)]

    def concerned(self, old: IndexEntry | None, new: IndexEntry | None, times_moved: bool,
                  headings_moved: bool, among: Iterable[str] | None = None, broken: bool = True) -> set[str]:
        """The notes (of ``among``, default every note) whose vault findings may change when a
        note's entry goes from ``old`` to ``new`` (None: added, removed): those linking to a
        name or path it gained or lost, or to any of its names when its headings moved; the
        notes on its video when its cited times moved; and, when it gained or lost a name (a
        note added, removed or renamed, a title or an alias changed), with ``broken``, the
        notes with a link that reaches nothing (their 'did you mean' reads every name).
        Reads every note's links."""
        if among is not None:
            among = list(among)
        resolver = self.resolver
        old_keys = set(resolver.keys(old)) if old else set()
        new_keys = set(resolver.keys(new)) if new else set()
        keys = old_keys ^ new_keys
        if headings_moved:
            keys |= old_keys | new_keys  # links to its headings may change too
        paths = set()
        if old is None or new is None:
            paths.add(resolver.path_key((old or new).rel))  # type: ignore[union-attr]
        affected = set(self.referrers(keys, paths, among)) if keys or paths else set()
        if times_moved:
            videos = {e.video_id for e in (old, new) if e is not None and e.video_id}
            if among is None:
                affected |= {e.rel for e in self.on_videos(videos)}
            else:
                affected |= {rel for rel in among if self.notes[rel].video_id in videos}
        if broken and names_moved(old, new):
            notes = self.notes
            entries = notes.values() if among is None else (notes[rel] for rel in among if rel in notes)
            affected |= {entry.rel for entry, link, found in self.links(entries) if found is not None and not found}
        return affected

    # -- suggestions ---------------------------------------------------------------
    def suggest(self, target: str, n: int = 3) -> list[str]:
        """The closest existing names for a target that reaches nothing, for 'did you mean'."""
        if self._suggester is None:
            lenient = self.lenient.by_key
            names = ((key, self.notes[rels[0]].stem) for key, rels in sorted(lenient.items()) if rels)
            self._suggester = Suggester(names, self.lenient.resolver)
        return self._suggester.suggest(target, n)

    @property
    def lenient(self) -> VaultIndex:
        """The same notes filed leniently (:class:`~.resolve.LenientResolver`: names, titles and
        aliases, case and separators ignored): the candidates a broken link's message names and
        its repair uses. The index itself when it is lenient."""
        if isinstance(self.resolver, LenientResolver):
            return self
        if self._lenient is None:
            self._lenient = VaultIndex(self.notes.values(), LenientResolver(self.resolver.external_patterns),
                                       self._known)
            self._known.pop(self._lenient.resolver.mode, None)  # filed there
        return self._lenient

    def candidates(self, target: str, source: str) -> list[str]:
        """The notes a broken link may have meant (lenient matches), those in ``source``'s folder first."""
        found = self.lenient.resolve(target, source) or []
        folder = source.rsplit("/", 1)[0] if "/" in source else ""
        return sorted(found, key=lambda r: ((r.rsplit("/", 1)[0] if "/" in r else "") != folder, r))
