"""github-slugger 2.0.0, as Quartz uses it: anchors of links (``slug``) and heading ids (``Slugger``).

``slug``: lower-case the text (JavaScript's ``toLowerCase``), remove every character
of github-slugger's generated class (punctuation, symbols, controls; letters,
digits, marks, ``-``, ``_`` and spaces stay), then turn each space into ``-``.
``Slugger`` gives repeats of one slug the suffixes ``-1``, ``-2``... as rehype-slug
does for the headings of one page.
"""

from __future__ import annotations

import re

from ._slugger_data import LOWER, REMOVED

_REMOVE = re.compile("[" + REMOVED + "]")
# code points whose lower case differs between node's Unicode and this Python's
_DIFF = frozenset(cp for cp, low in LOWER.items() if chr(cp).lower() != low)


def js_lower(text: str) -> str:
    """``String.prototype.toLowerCase`` of node 20 (Python's ``lower`` plus newer Unicode mappings)."""
    if text.isascii() or _DIFF.isdisjoint(map(ord, text)):
        return text.lower()
    return "".join(LOWER[ord(c)] if ord(c) in _DIFF else c.lower() for c in text)


# the same removal for ASCII text, as a translation table (the class above decides it)
_ASCII_REMOVE = {c: None for c in range(128) if _REMOVE.match(chr(c))}


def slug(value: str) -> str:
    """github-slugger's ``slug(value)``: no memory of earlier slugs."""
    if value.isascii():
        return value.lower().translate(_ASCII_REMOVE).replace(" ", "-")
    return _REMOVE.sub("", js_lower(value)).replace(" ", "-")


class Slugger:
    """github-slugger's ``BananaSlug``: the ids of one page's headings, repeats numbered."""

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}

    def slug(self, value: str) -> str:
        original = result = slug(value)
        while result in self._seen:
            self._seen[original] += 1
            result = f"{original}-{self._seen[original]}"
        self._seen[result] = 0
        return result

