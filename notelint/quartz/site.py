"""The pages a Quartz 4.5 site has, and where each wiki-link of it goes.

Which slugs a link can match (``ctx.allSlugs``): every file Quartz globs
(``**/*.*`` under the content folder: dot-files and the configured
``ignorePatterns`` left out), plus, when Quartz parses in one thread, the slugs
of front-matter ``aliases`` and ``permalink``. Quartz parses with
``round(notes / 128)`` worker threads (1 to 4); with more than one, the aliases
a worker adds never reach the threads that resolve links, and the slug list
keeps its duplicates (``a.md`` and ``a.html`` are two candidates for ``a``).

Which pages exist: each published note (not ``draft: true``), the folder page of
every folder above one (``folder/index``; none for a top-level ``tags``), the
tag pages (``tags/index`` and one per tag and tag prefix), every other file (an
asset, by its path), ``404``, and one redirect page per alias and permalink
(``AliasRedirects``: the alias slug, from the root), so ``[[My Alias]]`` reaches
a page when nothing else is named ``My-Alias``.

:meth:`Site.destination` is exactly what OFM's Markdown plugin, mdast-util-to-hast
and CrawlLinks do to one link (the oracle harness's ``destination``).
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Iterable
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Any, Literal

from . import js
from .paths import (
    Strategy,
    get_file_extension,
    is_absolute_url,
    normalize_uri,
    resolve_url,
    simplify_slug,
    slug_tag,
    slugify_file_path,
    split_anchor,
    strip_slashes,
    transform_link,
)
from .syntax import QuartzLink

Kind = Literal["link", "transclude", "media-embed", "external", "same-page", "build-error"]
_MEDIA = frozenset(
    ".png .jpg .jpeg .gif .bmp .svg .webp .mp4 .webm .ogv .mov .mkv .mp3 .wav .m4a .ogg .3gp .flac .pdf".split()
)


def coerce_to_array(value: Any) -> list[str] | None:
    """The FrontMatter plugin's ``coerceToArray``: a string splits at commas; non-strings go."""
    if value is None:
        return None
    if not isinstance(value, list):
        value = [js.trim(x) for x in js_string(value).split(",")]
    return [js_string(x) for x in value if isinstance(x, (str, int, float)) and not isinstance(x, bool)]


def js_string(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def alias_slugs(front_matter: dict[str, Any] | None) -> list[str]:
    """Slugs of a note's ``aliases`` (or ``alias``) and ``permalink``, as the FrontMatter plugin makes them."""
    fm = front_matter or {}
    raw = fm.get("aliases") if fm.get("aliases") is not None else fm.get("alias")
    out = []
    for alias in coerce_to_array(raw) or []:
        mock = alias if get_file_extension(alias) == ".md" else alias + ".md"
        out.append(slugify_file_path(mock))
    permalink = fm.get("permalink")
    if permalink is not None and js_string(permalink) != "":
        out.append(js_string(permalink))
    return out


@dataclass(slots=True)
class NoteInfo:
    """What the site needs of one note: its path, front matter and heading ids."""

    rel: str  # path relative to the content folder, ``/``-separated
    front_matter: dict[str, Any] | None = None
    heading_ids: list[str] = field(default_factory=list)

    @property
    def draft(self) -> bool:
        d = (self.front_matter or {}).get("draft")
        return d is True or d == "true"


@dataclass(frozen=True, slots=True)
class Destination:
    kind: Kind
    href: str  # the href Quartz writes ("" for a build error)
    full: str | None  # the destination page's slug; None for an external link or a build error
    anchor: str  # "#slug" or ""
    exists: bool | None  # None when there is no page to look for
    anchor_ok: bool | None  # None without an anchor, or when the page's headings are unknown


def content_files(root: str, ignore_patterns: Iterable[str] = ("private", "templates", ".obsidian")) -> list[str]:
    """The files Quartz's ``glob("**", …)`` finds under ``root``: no dot-files, nothing ignored."""
    patterns = list(ignore_patterns)
    out = []
    for dirpath, dirs, files in os.walk(root):
        rel_dir = os.path.relpath(dirpath, root).replace(os.sep, "/")
        rel_dir = "" if rel_dir == "." else rel_dir + "/"
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not ignored(rel_dir + d, patterns))
        out.extend(rel_dir + f for f in sorted(files) if not f.startswith(".") and not ignored(rel_dir + f, patterns))
    return out


def ignored(rel: str, patterns: list[str]) -> bool:
    return any(fnmatchcase(rel, p) or rel.startswith(p.rstrip("/") + "/") for p in patterns)


class Site:
    """Pages and link candidates of one Quartz site; ``files`` as :func:`content_files` lists them."""

    def __init__(
        self,
        files: Iterable[str],
        notes: Iterable[NoteInfo],
        strategy: Strategy = "shortest",
        threads: int | None = None,
    ) -> None:
        self.strategy: Strategy = strategy
        files = list(files)
        notes = {n.rel: n for n in notes}
        md = [f for f in files if f.endswith(".md")]
        if threads is None:
            threads = min(max(round_half_up(len(md) / 128), 1), 4)
        slugs = [slugify_file_path(f) for f in files if "." in posixpath.basename(f)[1:]]
        aliases = {rel: alias_slugs(n.front_matter) for rel, n in notes.items()}
        if threads == 1:  # the FrontMatter plugin adds the aliases and removes duplicates
            slugs = list(dict.fromkeys(slugs + [a for rel in sorted(aliases) for a in aliases[rel]]))
        self.names: dict[str, list[str]] = {}
        for s in slugs:
            self.names.setdefault(s.split("/")[-1], []).append(s)
        self.headings: dict[str, list[str]] = {}
        self.pages: set[str] = {"404", "tags/index"}
        for f in files:
            if not f.endswith(".md"):
                self.pages.add(slugify_file_path(f))
        for rel in md:
            note = notes.get(rel) or NoteInfo(rel)
            if note.draft:
                continue
            slug = slugify_file_path(rel)
            self.pages.add(slug)
            self.headings[slug] = note.heading_ids
            self.pages.update(aliases.get(rel, ()))
            for tag in _tags(note.front_matter):
                self.pages.update("tags/" + "/".join(tag.split("/")[: i + 1]) for i in range(tag.count("/") + 1))
            folder = posixpath.dirname(slug)
            while folder not in ("", "."):
                if folder != "tags":
                    self.pages.add(folder + "/index")
                folder = posixpath.dirname(folder)

    def destination(self, src_rel: str, link: QuartzLink) -> Destination:
        """Where Quartz sends ``link`` of the note ``src_rel``, and whether that page (and heading) exists."""
        src = slugify_file_path(src_rel)
        fp, anchor = link.fp, link.header
        kind: Kind = "link"
        try:
            if link.embed:
                ext = posixpath.splitext(fp.rstrip("/"))[1].lower()
                kind = "media-embed" if ext in _MEDIA else "transclude"
                href = slugify_file_path(fp) + anchor
            else:
                href = fp + anchor
            href = normalize_uri(href)
            if is_absolute_url(href):
                return Destination("external", href, None, "", None, None)
            if href.startswith("#"):
                return self._verdict("same-page", href, src, href)
            dest = transform_link(src, href, self.strategy, self.names)
            path, hash_ = resolve_url(dest, "/" + strip_slashes(simplify_slug(src), True))
            canonical = split_anchor(path)[0]
            if canonical.endswith("/"):
                canonical += "index"
            full = js.decode_uri_component(strip_slashes(canonical, True))
            return self._verdict(kind, dest, full, js.decode_uri_component(hash_))
        except js.URIError:
            return Destination("build-error", "", None, "", None, None)

    def _verdict(self, kind: Kind, href: str, full: str, anchor: str) -> Destination:
        exists = full in self.pages
        ok = None
        if exists and anchor:
            ids = self.headings.get(full)
            ok = None if ids is None else anchor[1:] in ids
        return Destination(kind, href, full, anchor, exists, ok)


def round_half_up(x: float) -> int:
    """JavaScript's ``Math.round`` for non-negative numbers."""
    return int(x + 0.5)


def _tags(front_matter: dict[str, Any] | None) -> list[str]:
    fm = front_matter or {}
    raw = fm.get("tags") if fm.get("tags") is not None else fm.get("tag")
    return [slug_tag(t) for t in coerce_to_array(raw) or []]
