"""``link-resolution = "obsidian"``: where Obsidian sends a wiki-link (:class:`ObsidianResolver`).

What Obsidian does, and how sure each point is, is in ``docs/link-resolution.md``:
names match without regard to case (NFC compared), ``.md`` is optional, a target with ``/``
matches a path from the vault root or its tail; of several notes with the name, an exact
vault path wins, then one spelled with the same case, then one in the linking note's own
folder, then the shortest path (``getFirstLinkpathDest``): the choice is WL003's. Titles and
front-matter ``aliases`` are no keys (Obsidian writes ``[[Target|Alias]]``); ``./x`` is read
from the linking note's folder, with no fall-back to the name.
"""

from __future__ import annotations

import posixpath
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING

from .resolve import REMEMBERED, KeyIndex, Resolver, by_path_or_tail, heading_keys

if TYPE_CHECKING:
    from .entry import IndexEntry


@lru_cache(maxsize=REMEMBERED)
def fold(text: str) -> str:
    """A name as Obsidian compares it: NFC, case folded, trimmed, without ``.md``."""
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    text = text.strip().casefold()
    return text[:-3] if text.endswith(".md") else text


class ObsidianResolver(Resolver):
    mode = "obsidian"

    def keys(self, entry: IndexEntry) -> tuple[str, ...]:
        return (fold(entry.stem),)

    def path_key(self, rel: str) -> str:
        return fold(rel)

    def heading_keys(self, text: str) -> tuple[str, ...]:
        return heading_keys(text.split("#")[-1])  # [[note#Heading#Sub]]: the last heading

    def normalize(self, target: str) -> str:
        return fold(target)

    def cache_key(self, target: str, source: str, embed: bool = False) -> str:
        return f"{posixpath.dirname(source)}\x00{target}"  # a shared name prefers the note's own folder

    def resolve(self, index: KeyIndex, target: str, source: str, embed: bool = False) -> list[str]:
        found = self._candidates(index, target, source)
        return found[:1] and [self._choose(found, target, source)]

    def choices(self, index: KeyIndex, target: str, source: str, embed: bool = False) -> list[str]:
        found = self._candidates(index, target, source)
        return found if len(found) > 1 else []

    def resolution(self, index: KeyIndex, target: str, source: str, embed: bool = False):
        found = self._candidates(index, target, source)
        return found[:1] and [self._choose(found, target, source)], (found if len(found) > 1 else [])

    def _candidates(self, index: KeyIndex, target: str, source: str) -> list[str]:
        key = fold(target)
        if key.startswith("./"):
            folder = posixpath.dirname(source)
            rel = index.by_path.get(fold(posixpath.join(folder, key[2:])))
            return [rel] if rel else []
        if "/" in key:
            return by_path_or_tail(index, key)
        return list(index.by_key.get(key, []))

    @staticmethod
    def _choose(found: list[str], target: str, source: str) -> str:
        if len(found) == 1:
            return found[0]
        key = fold(target).lstrip("/")
        exact = [r for r in found if fold(r) == key]  # an exact vault path
        if exact:
            return exact[0]
        name = target.strip().removesuffix(".md").rsplit("/", 1)[-1]
        same_case = [r for r in found if r.rsplit("/", 1)[-1].removesuffix(".md") == name]
        if len(same_case) == 1:
            return same_case[0]
        folder = posixpath.dirname(source)
        own = [r for r in found if posixpath.dirname(r) == folder]
        if own:
            return own[0]
        return min(found, key=lambda r: (len(r), r))

    def may_match(self, target: str, keys: set[str], paths: set[str]) -> bool:
        key = fold(target)
        if "/" in key:
            key = key.lstrip("/").removeprefix("./")
            return key in paths or any(p.endswith("/" + key) for p in paths) or any(k == key.rsplit("/", 1)[-1] for k in keys)
        return key in keys
