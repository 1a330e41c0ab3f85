"""``link-resolution = "quartz"``: where Quartz 4.5 sends a wiki-link (:class:`QuartzResolver`).

The destination is computed by the port's own code (:meth:`notelint.quartz.Site.destination`,
checked against Quartz itself by ``tests/test_quartz_oracle.py``), over a site read from the
vault index instead of a folder: the index files each note under keys that say which page
slugs it makes and which file names it answers to, and the resolver reads only those keys
(``by_key``; see :class:`~.resolve.KeyIndex`), so the index's cache of resolutions stays right
while a note is refiled.

Keys (``\\x01`` keeps them apart from any text a note holds):

* ``\\x01n\\x01NAME``: the note's file slug ends with ``NAME`` (Quartz's ``allSlugs``, drafts too);
* ``\\x01a\\x01NAME``: one of its ``aliases`` slugs ends with ``NAME`` (in ``allSlugs`` only when
  Quartz parses in one thread: fewer than 192 notes);
* ``\\x01p\\x01SLUG``: a page of the site it makes: its own (not a draft), the folder pages above
  it, its alias and permalink redirects, its tag pages.

A link reaches the note whose page it lands on; a page that is no note (a folder page, a tag
page, a file that is not Markdown) is reached as ``PAGE + slug``, a name no note has.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..quartz import js
from ..quartz.headings import plain_heading_ids
from ..quartz.paths import Strategy, slugify_file_path
from ..quartz.site import Destination, Site, alias_slugs, round_half_up
from ..quartz.site import ignored
from ..quartz.syntax import QuartzLink
from .resolve import KeyIndex, Resolver

if TYPE_CHECKING:
    from .entry import IndexEntry

NAME, ALIAS, PAGE_KEY = "\x01n\x01", "\x01a\x01", "\x01p\x01"
PAGE = "\x01page\x01"  # prefix of a reached page that is no note
_ALWAYS = frozenset({"404", "tags/index"})


def _fm(entry: IndexEntry) -> dict:
    site = entry.site
    if site is None:
        return {}
    return {"aliases": list(site.aliases), "permalink": site.permalink}


class QuartzResolver(Resolver):
    """Quartz 4.5 with the site's ``markdownLinkResolution``; ``content`` is the site's content
    folder relative to the vault root (``""`` or ``"content/"``); ``assets`` the vault paths of
    the files Quartz publishes that are not notes."""

    mode = "quartz"

    def __init__(self, external: Sequence[str] = (), strategy: Strategy = "shortest", content: str = "",
                 assets: Sequence[str] = ()):
        super().__init__(external)
        self.strategy: Strategy = strategy
        self.content = content
        self.assets = tuple(assets)
        self._slugs: dict[str, str | None] = {}
        self._asset_names: dict[str, list[str]] = {}
        self._asset_pages = frozenset(slugify_file_path(a) for a in self.assets)
        for a in self.assets:
            slug = slugify_file_path(a)
            self._asset_names.setdefault(slug.split("/")[-1], []).append(slug)

    def __getstate__(self):
        return {**super().__getstate__(), "strategy": self.strategy, "content": self.content, "assets": self.assets}

    def __setstate__(self, state):
        self.__init__(state["external_patterns"], state["strategy"], state["content"], state["assets"])

    # -- what a note answers to -------------------------------------------
    def site_rel(self, rel: str) -> str | None:
        """``rel`` relative to the content folder; None for a note outside it (not on the site)."""
        if not self.content:
            return rel
        return rel[len(self.content):] if rel.startswith(self.content) else None

    def slug(self, rel: str) -> str | None:
        """The note's slug (remembered: every link to a name looks up the slugs of the notes
        of that name)."""
        try:
            return self._slugs[rel]
        except KeyError:
            site_rel = self.site_rel(rel)
            slug = self._slugs[rel] = None if site_rel is None else slugify_file_path(site_rel)
            return slug

    def keys(self, entry: IndexEntry) -> tuple[str, ...]:
        slug = self.slug(entry.rel)
        if slug is None:
            return ()
        keys = [NAME + slug.split("/")[-1]]
        aliases = alias_slugs(_fm(entry))
        keys.extend(ALIAS + a.split("/")[-1] for a in aliases)
        site = entry.site
        if site is None or not site.draft:
            keys.append(PAGE_KEY + slug)
            keys.extend(PAGE_KEY + a for a in aliases)
            for tag in site.tags if site is not None else ():
                parts = tag.split("/")
                keys.extend(PAGE_KEY + "tags/" + "/".join(parts[: i + 1]) for i in range(len(parts)))
            folder = posixpath.dirname(slug)
            while folder not in ("", "."):
                if folder != "tags":
                    keys.append(PAGE_KEY + folder + "/index")
                folder = posixpath.dirname(folder)
        return tuple(dict.fromkeys(keys))

    def path_key(self, rel: str) -> str:
        return self.slug(rel) or "\x01outside\x01" + rel

    def heading_keys(self, text: str) -> tuple[str, ...]:
        """A heading's text as the id Quartz gives it (the first of that text on its page)."""
        return tuple(plain_heading_ids([text])) if text else ()

    def link_heading_keys(self, index: KeyIndex, link, source: str) -> tuple[str, ...]:
        """The heading id ``link`` asks for: its anchor as Quartz's link transform and the
        browser leave it (slugged again when the target was found by its name)."""
        if not link.anchor:
            return ()
        d = self.destination(index, link.target, source, link.embed, link.anchor)
        return (d.anchor[1:],) if d.anchor else ()

    def entry_heading_keys(self, entry: IndexEntry) -> frozenset[str]:
        """The note's heading ids as Quartz gives them."""
        if entry.site is not None and entry.site.heading_ids is not None:
            return frozenset(entry.site.heading_ids)
        return frozenset(plain_heading_ids(h.text for h in entry.headings))

    def link_heading(self, link) -> str | None:
        return link.anchor or None

    def normalize(self, target: str) -> str:
        return target

    def unresolvable(self, target: str) -> bool:
        return self.is_external(target)

    def cache_key(self, target: str, source: str, embed: bool = False) -> str:
        if self.strategy == "relative" or "." in target or "/" in target:
            return f"{int(embed)}\x00{source}\x00{target}"
        return f"{int(embed)}\x00{target}"

    # -- where a target goes ------------------------------------------------
    def destination(self, index: KeyIndex, target: str, source: str, embed: bool = False,
                    anchor: str = "") -> Destination:
        """Where Quartz sends ``[[target#anchor]]`` (``![[…]]`` with ``embed``) written in ``source``."""
        site_rel = self.site_rel(source)
        link = QuartzLink("", target, anchor, None, embed, 0, 0, 0, 0, "")
        return _IndexSite(index, self).destination(site_rel if site_rel is not None else source, link)

    def resolve(self, index: KeyIndex, target: str, source: str, embed: bool = False) -> list[str]:
        return self._resolve(index, target, source, embed)[0]

    def choices(self, index: KeyIndex, target: str, source: str, embed: bool = False) -> list[str]:
        return self._resolve(index, target, source, embed)[1]

    def resolution(self, index: KeyIndex, target: str, source: str, embed: bool = False):
        return self._resolve(index, target, source, embed)

    def _resolve(self, index: KeyIndex, target: str, source: str, embed: bool) -> tuple[list[str] | None, list[str]]:
        d = self.destination(index, target, source, embed)
        if d.kind in ("external", "build-error", "same-page") or d.full is None:
            return None, []
        if not d.exists:
            return [], []
        rels = index.by_key.get(PAGE_KEY + d.full, [])
        own = [r for r in rels if self.slug(r) == d.full]
        found = own or list(rels[:1]) or [PAGE + d.full]
        choices: list[str] = []
        if self.strategy == "shortest" and "/" not in target and own:
            name = d.full.split("/")[-1]
            others = index.by_key.get(NAME + name, [])
            if len(others) > 1:  # Quartz read the target from the root: the root file won
                choices = sorted(set(others))
        return found, choices

    def may_match(self, target: str, keys: set[str], paths: set[str]) -> bool:
        slug = slugify_file_path(js.trim(target.split("#", 1)[0]).rstrip("/") or "index")
        name = slug.split("/")[-1]
        return any(k.endswith("\x01" + name) or k.endswith("/" + name) for k in keys) or name == "index"


class _Names:
    """``allSlugs`` by last segment, read from the index (a dict's ``get`` for ``transform_link``)."""

    def __init__(self, index: KeyIndex, resolver: QuartzResolver):
        self.index, self.resolver = index, resolver

    def get(self, name: str, default=()) -> list[str]:
        by_key, slug = self.index.by_key, self.resolver.slug
        out = [s for s in (slug(r) for r in by_key.get(NAME + name, ())) if s is not None]
        out += self.resolver._asset_names.get(name, [])
        owners = by_key.get(ALIAS + name)
        if owners and _threads(len(self.index.notes)) == 1:  # aliases are candidates in one thread only
            for rel in owners:
                out += [a for a in alias_slugs(_fm(self.index.notes[rel])) if a.split("/")[-1] == name]
            out = list(dict.fromkeys(out))
        return out or list(default)


def _threads(notes: int) -> int:
    return min(max(round_half_up(notes / 128), 1), 4)


class _Pages:
    def __init__(self, index: KeyIndex, resolver: QuartzResolver):
        self.index, self.resolver = index, resolver

    def __contains__(self, slug: str) -> bool:
        return slug in _ALWAYS or PAGE_KEY + slug in self.index.by_key or slug in self.resolver._asset_pages


class _IndexSite(Site):
    """A :class:`~notelint.quartz.Site` whose link candidates and pages are read from the index."""

    def __init__(self, index: KeyIndex, resolver: QuartzResolver):  # noqa: D107 - no Site.__init__: nothing to scan
        self.strategy = resolver.strategy
        self.names = _Names(index, resolver)  # type: ignore[assignment]
        self.pages = _Pages(index, resolver)  # type: ignore[assignment]
        self.headings = {}


def site_assets(settings) -> tuple[str, ...]:
    """The vault paths of the files the Quartz site publishes besides notes (images, PDFs...):
    what Quartz's glob finds under the content folder that is not Markdown."""
    root = os.path.join(settings.vault, settings.quartz_content)
    patterns = list(settings.quartz_ignore)
    out = []
    for dirpath, dirs, files in os.walk(root):
        rel_dir = os.path.relpath(dirpath, root).replace(os.sep, "/")
        rel_dir = "" if rel_dir == "." else rel_dir + "/"
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not ignored(rel_dir + d, patterns))
        out.extend(settings.quartz_content + rel_dir + f for f in sorted(files)
                   if not f.endswith(".md") and not f.startswith(".") and not ignored(rel_dir + f, patterns))
    return tuple(out)
