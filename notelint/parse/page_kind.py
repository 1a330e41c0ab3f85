"""Which kind of page a note is: a video note, a channel page or a site page (SPEC §1).

Decided once, when the note is parsed, in this order:

1. the ``page-kinds`` setting: glob patterns of paths (relative to the vault
   root; gitignore-style, as ``exclude``: a plain name matches at any depth), the
   first that matches wins. Its default names the site pages ``index.md`` and
   ``directory.md``;
2. a note with a ``videoId`` field, or with a source line, is a video note;
3. a note named after its folder (``<channel>/<channel>.md``, ignoring case) is
   a channel page;
4. a note whose body holds nothing but headings and list items made of links
   (wiki-links or Markdown links), or nothing at all, is a channel page in a
   folder and a site page at the vault root. That is how the channel pages of
   a generated wiki look: front matter with only ``title``, then
   ``### [Video title](url)`` headings over ``- [[slug | Title]]`` lists;
5. anything else is a video note (so one missing its ``videoId`` still gets FM003).
"""

from __future__ import annotations

import re

from ..document import DEFAULT_PAGE_KINDS, Block, Note, PageKind

_MARKDOWN_LINK = re.compile(rb"!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\([^()\s]*\)")
_LETTER = re.compile(r"[^\W\d_]")


_PLAIN = re.compile(r"[^*?\[\]!/\\]+")


def matches(rel: str, pattern: str) -> bool:
    """A gitignore-style ``pattern`` (as ``exclude`` and ``per-file-ignores``) against a vault
    path. A plain name (the defaults ``index.md``, ``directory.md``) is compared without
    loading pathspec: it matches a file or folder of that name at any depth."""
    if _PLAIN.fullmatch(pattern):
        return pattern in rel.split("/")
    from ..exclude import match_patterns

    return match_patterns([pattern], rel)


def _link_only(block: Block) -> bool:
    """A list item (or a paragraph) whose visible text is only links and punctuation."""
    text = block.text
    for w in sorted(block.wikilinks, key=lambda w: -w.start):
        a, b = w.start - block.start, w.end - block.start
        text = text[:a] + b" " + text[b:]
    text = _MARKDOWN_LINK.sub(b" ", text)
    return _LETTER.search(text.decode("utf-8", "replace")) is None


def _structure_only(note: Note) -> bool:
    """Nothing in the body but headings and lists of links."""
    for block in note.blocks:
        if block.kind == "heading":
            continue
        if block.kind in ("item", "paragraph") and (block.wikilinks or b"](" in block.text) and _link_only(block):
            continue
        return False
    return not note.hidden


def page_kind(note: Note, patterns: tuple[tuple[str, str], ...] = DEFAULT_PAGE_KINDS) -> PageKind:
    """The kind of page ``note`` is (see the module docstring for the order of the tests)."""
    for pattern, kind in patterns:
        if matches(note.rel, pattern):
            return PageKind(kind)
    if note.unreadable is not None or "videoId" in note.data or note.source_line is not None:
        return PageKind.VIDEO_NOTE
    if note.front_matter is None or not note.front_matter.closed:
        return PageKind.VIDEO_NOTE
    folder, _, name = note.rel.rpartition("/")
    if folder and name.casefold() == folder.rpartition("/")[2].casefold() + ".md":
        return PageKind.CHANNEL_PAGE
    if not _structure_only(note):
        return PageKind.VIDEO_NOTE
    return PageKind.CHANNEL_PAGE if folder else PageKind.SITE_PAGE
