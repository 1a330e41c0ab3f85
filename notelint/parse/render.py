"""The text a reader sees of a line of inline Markdown (a heading's rendered text).

``[[note#Heading]]`` links match a heading by what the page shows: a heading
that is itself a wiki-link shows its alias (``### [[target | Shown text]]``
shows "Shown text"), a Markdown link shows its text, code spans and emphasis
show their content. :func:`rendered_text` is a pure function of the heading's
source, so the vault index can store its result.
"""

from __future__ import annotations

import re

_WIKI = re.compile(r"!?\[\[([^\[\]|#]*)(#[^\[\]|]*)?(?:\\?\|([^\[\]]*))?\]\]")
_MD_LINK = re.compile(r"!?\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\([^()]*(?:\([^()]*\)[^()]*)*\)")
_CODE = re.compile(r"(`{1,8})(.{1,2000}?)\1", re.S)
_TAG = re.compile(r"<[^<>]{0,400}>")
_EMPHASIS = re.compile(r"(\*{1,3}|_{1,3}|~~)(?=\S)(.{1,400}?)(?<=\S)\1")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_SPACES = re.compile(r"\s+")
_CLOSING_HASHES = re.compile(r"[ \t]+#+[ \t]*$")
_MARKUP = re.compile(r"[\[`<\\*_~\x00\x01]")  # where any of the patterns above can start
_LIMIT = 4000  # a heading longer than this is no heading anyone links to: its start is enough


def _wiki(m: re.Match) -> str:
    target, heading, alias = m.group(1), m.group(2), m.group(3)
    if alias is not None and alias.strip():
        return alias.strip()
    shown = target.strip()
    if heading:
        shown = f"{shown} > {heading.lstrip('#').strip()}" if shown else heading.lstrip("#").strip()
    return shown


def rendered_text(source: str) -> str:
    """What a reader sees of inline Markdown ``source`` (without the ``#`` marks of a heading)."""
    text = source[:_LIMIT]
    if "#" in text:
        text = _CLOSING_HASHES.sub("", text)
    if not _MARKUP.search(text):  # plain text, most headings: nothing to take away
        return " ".join(text.split())  # as _SPACES.sub(" ", text).strip(): the same white space
    codes: list[str] = []

    def keep_code(m: re.Match) -> str:
        codes.append(m.group(2).strip())
        return f"\x00{len(codes) - 1}\x00"

    text = _CODE.sub(keep_code, text)
    text = _ESCAPE.sub(lambda m: f"\x01{ord(m.group(1))}\x01", text)
    text = _WIKI.sub(_wiki, text)
    for _ in range(3):  # links and emphasis can nest
        text = _MD_LINK.sub(lambda m: m.group(1), text)
        text = _EMPHASIS.sub(lambda m: m.group(2), text)
    text = _TAG.sub("", text)
    text = re.sub("\x01(\\d+)\x01", lambda m: chr(int(m.group(1))), text)
    text = re.sub("\x00(\\d+)\x00", lambda m: codes[int(m.group(1))], text)
    return _SPACES.sub(" ", text).strip()
