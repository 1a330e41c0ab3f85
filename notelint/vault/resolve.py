"""Link resolution: which keys a note answers to, and which notes a target reaches.

Every part of notelint that asks "where does this wiki-link go?" asks a
:class:`Resolver`: the vault index (what it files each note under), the link
rules, ``--changed-since`` (which links a change may affect), the audit
(wanted notes, orphans) and the language server. A resolver is a plain value
(its mode and options, no index state), so it can be shipped to worker
processes; the index it resolves against is passed in.

The mode is chosen once from the settings by :func:`notelint.vault.modes.make_resolver`.
"""

from __future__ import annotations

import fnmatch
import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from .entry import IndexEntry

# strings each of the caches of names and targets below keeps (least recently used go): at
# 65,536 they took some 10 MB each at 100,000 notes, in every process of the vault rules
REMEMBERED = 16_384
_SEPARATORS = re.compile(r"[\s_\-]+")
_SLUG_DROP = re.compile(r"[^\w\s-]")


@lru_cache(maxsize=REMEMBERED)
def normalize(text: str) -> str:
    """Lenient form of a name: NFC, case folded, trimmed, without ``.md``, runs of spaces,
    underscores and hyphens as one space."""
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    text = text.casefold().strip()
    if text.endswith(".md"):
        text = text[:-3]
    return _SEPARATORS.sub(" ", text).strip()


@lru_cache(maxsize=REMEMBERED)
def leaves_vault(target: str) -> bool:
    """A target with a ``..`` segment or an absolute path (WL005): never resolved."""
    t = target.replace("\\", "/")
    return t.startswith("/") or t.startswith("~") or ".." in t.split("/") or (len(t) > 1 and t[1] == ":")


class KeyIndex(Protocol):
    """What a resolver reads of the vault index."""

    by_key: dict[str, list[str]]
    notes: dict  # rel -> entry: read only for notes by_key lists, and for their number

    @property
    def by_path(self) -> dict[str, str]: ...


class Resolver:
    """Base of the resolution modes. Subclasses define keys and matching."""

    mode = "base"

    def __init__(self, external: Sequence[str] = ()):
        self.external_patterns = tuple(external)
        self._external = tuple(self.normalize(p) for p in external)

    def __getstate__(self):
        return {"external_patterns": self.external_patterns, "_external": self._external}

    def __setstate__(self, state):
        self.__dict__.update(state)

    # -- what a note answers to -------------------------------------------
    def keys(self, entry: IndexEntry) -> tuple[str, ...]:
        """The keys a note is filed under (its names, as this mode matches them)."""
        raise NotImplementedError

    def path_key(self, rel: str) -> str:
        """How a note's path is matched by a target written as a path."""
        raise NotImplementedError

    def heading_keys(self, text: str) -> tuple[str, ...]:
        """The forms of a heading (or of a link's heading part) that match each other."""
        raise NotImplementedError

    def entry_heading_keys(self, entry: IndexEntry) -> frozenset[str]:
        """Every key of a note's headings."""
        return heading_key_set(self, entry.headings)

    def link_heading(self, link) -> str | None:
        """The part of a link (:class:`~.entry.LinkRef`) that names a heading."""
        return link.heading

    def link_heading_keys(self, index: KeyIndex, link, source: str) -> tuple[str, ...]:
        """The keys of the heading ``link`` (written in ``source``) names."""
        return self.heading_keys(link.heading) if link.heading else ()

    # -- what a target names ------------------------------------------------
    def normalize(self, target: str) -> str:
        raise NotImplementedError

    def is_external(self, target: str) -> bool:
        """Declared as existing outside the vault (``external-targets``)."""
        if not self._external:
            return False
        key = self.normalize(target)
        return any(fnmatch.fnmatchcase(key, pat) for pat in self._external)

    def unresolvable(self, target: str) -> bool:
        """Targets never looked up: empty (a heading of the note itself), external, leaving the vault."""
        return not target or leaves_vault(target) or self.is_external(target)

    def resolve(self, index: KeyIndex, target: str, source: str, embed: bool = False) -> list[str]:
        """The notes (rels) ``target``, written in note ``source``, reaches: [] none, >1 ambiguous."""
        raise NotImplementedError

    def choices(self, index: KeyIndex, target: str, source: str, embed: bool = False) -> list[str]:
        """The candidates the renderer chose among to reach the note :meth:`resolve` gives (WL003),
        [] when there was no choice; a mode without a choice rule reports its ambiguous links."""
        found = self.resolve(index, target, source, embed)
        return found if len(found) > 1 else []

    def resolution(self, index: KeyIndex, target: str, source: str, embed: bool = False) -> tuple[list[str], list[str]]:
        """:meth:`resolve` and :meth:`choices` at once (a mode with a choice rule overrides both)."""
        found = self.resolve(index, target, source, embed)
        return found, (found if len(found) > 1 else [])

    def cache_key(self, target: str, source: str, embed: bool = False) -> str:
        """Links with the same cache key resolve alike (the target alone, unless the mode is relative)."""
        return target

    def may_match(self, target: str, keys: set[str], paths: set[str]) -> bool:
        """Whether ``target`` could reach a note filed under one of ``keys`` or at one of ``paths``
        (path keys): which links a changed note may affect."""
        raise NotImplementedError


class LenientResolver(Resolver):
    """A note answers to its file name, its ``title`` and its ``aliases``, after
    :func:`normalize`; a target with ``/`` matches a path from the vault root, or its tail."""

    mode = "lenient"

    def keys(self, entry: IndexEntry) -> tuple[str, ...]:
        names = [entry.stem]
        if entry.title:
            names.append(entry.title)
        names.extend(entry.aliases)
        return tuple(dict.fromkeys(normalize(n) for n in names))

    def path_key(self, rel: str) -> str:
        return normalize(rel)

    def heading_keys(self, text: str) -> tuple[str, ...]:
        return heading_keys(text)

    def normalize(self, target: str) -> str:
        return normalize(target)

    def resolve(self, index: KeyIndex, target: str, source: str, embed: bool = False) -> list[str]:
        key = normalize(target)
        if "/" in key:
            return by_path_or_tail(index, key)
        return index.by_key.get(key, [])

    def may_match(self, target: str, keys: set[str], paths: set[str]) -> bool:
        key = normalize(target)
        if "/" in key:
            key = key.lstrip("/")
            return key in paths or any(p.endswith("/" + key) for p in paths)
        return key in keys


@lru_cache(maxsize=REMEMBERED)
def heading_keys(text: str) -> tuple[str, ...]:
    """The forms a heading link may use: its text, and its slug (Quartz, GitHub), leniently."""
    plain = normalize(text)
    slug = normalize(_SLUG_DROP.sub("", text.casefold()))
    return (plain, slug) if slug != plain else (plain,)


def heading_key_set(resolver: Resolver, headings: Iterable) -> frozenset[str]:
    """Every key of a note's headings (as written and as shown)."""
    out: set[str] = set()
    for h in headings:
        out.update(resolver.heading_keys(h.text))
        if h.shown != h.text:
            out.update(resolver.heading_keys(h.shown))
    return frozenset(out)


def by_path_or_tail(index: KeyIndex, key: str) -> list[str]:
    """The note at path ``key`` (a normalised path, a leading ``/`` ignored), else every note
    whose path ends with it, sorted."""
    key = key.lstrip("/")
    by_path = index.by_path
    if key in by_path:
        return [by_path[key]]
    suffix = "/" + key
    return sorted(rel for norm, rel in by_path.items() if norm.endswith(suffix))
