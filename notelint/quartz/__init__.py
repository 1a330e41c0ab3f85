"""Quartz 4.5's wiki-links, exactly: what is a link, where it goes, whether the page and heading exist.

A port of Quartz's own code (``quartz/plugins/transformers/ofm.ts``,
``quartz/util/path.ts``, the CrawlLinks plugin, the AliasRedirects / FolderPage /
TagPage emitters, github-slugger), pure standard library, checked link by link
against Quartz itself (``tests/test_quartz_oracle.py``, ``docs/link-resolution.md``).

Use::

    t = text_transform(note_text)                  # Quartz's text transforms
    nodes = text_tree(t.text).nodes                # notelint.parse.text_nodes (the caller's parser)
    links = wikilinks(t, nodes)                    # QuartzLink: raw, fp, header, alias, embed, offsets, line
    ids = heading_ids(h.pieces for h in text_tree(t.text).headings)
    site = Site(content_files(root), [NoteInfo(rel, front_matter, ids), ...], strategy="shortest")
    site.destination(rel, link)                    # Destination: kind, href, full, exists, anchor_ok
"""

from .headings import heading_ids, heading_text
from .paths import (
    Strategy,
    is_absolute_url,
    normalize_uri,
    simplify_slug,
    slug_tag,
    slugify_file_path,
    split_anchor,
    transform_internal_link,
    transform_link,
)
from .site import (
    Destination,
    NoteInfo,
    Site,
    alias_slugs,
    coerce_to_array,
    content_files,
)
from .slugger import Slugger, slug
from .syntax import WIKILINK, QuartzLink, Transformed, text_transform, wikilinks

__all__ = [
    "WIKILINK",
    "Destination",
    "NoteInfo",
    "QuartzLink",
    "Site",
    "Slugger",
    "Strategy",
    "Transformed",
    "alias_slugs",
    "coerce_to_array",
    "content_files",
    "heading_ids",
    "heading_text",
    "is_absolute_url",
    "normalize_uri",
    "simplify_slug",
    "slug",
    "slug_tag",
    "slugify_file_path",
    "split_anchor",
    "text_transform",
    "transform_internal_link",
    "transform_link",
    "wikilinks",
]
