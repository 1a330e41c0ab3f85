"""Quartz 4.5's ``quartz/util/path.ts`` and the URL arithmetic of its CrawlLinks plugin.

Ported function by function (names in Quartz's spelling after the Python ones).
Quirks kept on purpose because the site has them: ``slugify_file_path`` strips an
extension with a regular expression built from it; ``split_anchor`` splits at the
first two ``#`` only; ``transform_link`` with ``shortest`` compares the whole
target (path included) with file *names*, so ``[[folder/b]]`` always falls back
to the path from the root; every relative segment (``.``, ``..``) of a target is
moved to the front (``a/../b`` is ``../a/b``).
"""

from __future__ import annotations

import re
from typing import Literal

from . import js
from .slugger import slug as slug_anchor

Strategy = Literal["absolute", "relative", "shortest"]
_EXT = re.compile(r"\.[A-Za-z0-9]+\Z")


def get_file_extension(s: str) -> str | None:
    """``getFileExtension``."""
    m = _EXT.search(s)
    return m.group(0) if m else None


def strip_slashes(s: str, only_prefix: bool = False) -> str:
    """``stripSlashes``: one leading ``/`` (and one trailing unless ``only_prefix``)."""
    if s.startswith("/"):
        s = s[1:]
    if not only_prefix and s.endswith("/"):
        s = s[:-1]
    return s


def ends_with(s: str, suffix: str) -> bool:
    """``endsWith``: the whole string or its last path segment(s) equal ``suffix``."""
    return s == suffix or s.endswith("/" + suffix)


def trim_suffix(s: str, suffix: str) -> str:
    return s[: -len(suffix)] if ends_with(s, suffix) else s


def _sluggify(s: str) -> str:
    segments = []
    for seg in s.split("/"):
        seg = js.replace_ws(seg, "-").replace("&", "-and-").replace("%", "-percent")
        segments.append(seg.replace("?", "").replace("#", ""))
    joined = "/".join(segments)
    return joined[:-1] if joined.endswith("/") else joined


def slug_tag(tag: str) -> str:
    """``slugTag``: a tag's page name."""
    return "/".join(_sluggify(seg) for seg in tag.split("/"))


def slugify_file_path(fp: str, exclude_ext: bool = False) -> str:
    """``slugifyFilePath``: a file's path (relative to the content folder) to its slug."""
    fp = strip_slashes(fp)
    ext = get_file_extension(fp)
    if ext is None:  # new RegExp(undefined + "$"): a trailing "undefined" goes
        without = fp[: -len("undefined")] if fp.endswith("undefined") else fp
    else:
        without = fp[: -len(ext)]
    if exclude_ext or ext in (".md", ".html", None):
        ext = ""
    slug = _sluggify(without)
    if ends_with(slug, "_index"):
        slug = slug[: -len("_index")] + "index"
    return slug + ext


def simplify_slug(fp: str) -> str:
    """``simplifySlug``: drop a trailing ``index``; the root is ``/``."""
    res = strip_slashes(trim_suffix(fp, "index"), True)
    return res or "/"


def split_anchor(link: str) -> tuple[str, str]:
    """``splitAnchor``: target and ``#slug`` (a PDF keeps its anchor as written)."""
    parts = link.split("#")
    fp = parts[0]
    anchor = parts[1] if len(parts) > 1 else None
    if fp.endswith(".pdf"):
        return fp, "" if anchor is None else "#" + anchor
    return fp, "" if anchor is None else "#" + slug_anchor(anchor)


def join_segments(*args: str) -> str:
    """``joinSegments``."""
    if not args:
        return ""
    joined = "/".join(strip_slashes(a) for a in args if a not in ("", "/"))
    if args[0].startswith("/"):
        joined = "/" + joined
    if args[-1].endswith("/"):
        joined += "/"
    return joined


def path_to_root(slug: str) -> str:
    """``pathToRoot``: ``a/b/c`` to ``../..``."""
    ups = [".." for x in slug.split("/") if x != ""][:-1]
    return "/".join(ups) or "."


def resolve_relative(current: str, target: str) -> str:
    return join_segments(path_to_root(current), simplify_slug(target))


def is_folder_path(fplike: str) -> bool:
    return (
        fplike.endswith("/")
        or ends_with(fplike, "index")
        or ends_with(fplike, "index.md")
        or ends_with(fplike, "index.html")
    )


def _is_relative_segment(s: str) -> bool:
    return s in ("", ".", "..")


def _add_relative_to_start(s: str) -> str:
    if s == "":
        s = "."
    if not s.startswith("."):
        s = join_segments(".", s)
    return s


def transform_internal_link(link: str) -> str:
    """``transformInternalLink``: a target as written to a ``./``-relative slug URL.

    Raises :class:`js.URIError` where ``decodeURI`` does (Quartz's build stops).
    """
    fplike, anchor = split_anchor(js.decode_uri(link))
    folder = is_folder_path(fplike)
    segments = [x for x in fplike.split("/") if x]
    prefix = "/".join(s for s in segments if _is_relative_segment(s))
    fp = "/".join(s for s in segments if not _is_relative_segment(s))
    simple = simplify_slug(slugify_file_path(fp))
    joined = join_segments(strip_slashes(prefix), strip_slashes(simple))
    return _add_relative_to_start(joined) + ("/" if folder else "") + anchor


def transform_link(src: str, target: str, strategy: Strategy, names: dict[str, list[str]]) -> str:
    """``transformLink``; ``names`` maps a slug's last segment to the slugs with it (``allSlugs``)."""
    target_slug = transform_internal_link(target)
    if strategy == "relative":
        return target_slug
    folder_tail = "/" if is_folder_path(target_slug) else ""
    canonical = strip_slashes(target_slug[1:])
    target_canonical, target_anchor = split_anchor(canonical)
    if strategy == "shortest":
        matching = names.get(target_canonical, ())
        if len(matching) == 1:
            return resolve_relative(src, matching[0]) + target_anchor
    return join_segments(path_to_root(src), canonical) + folder_tail


# --- what mdast-util-to-hast and the WHATWG URL parser do to an href ---------------------------

_URI_KEEP = re.compile(r"[!#$&-;=?-Z_a-z~]")
_ALNUM = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


_URI_ALL_KEPT = re.compile(r"[!#$&-;=?-Z_a-z~]*")


def normalize_uri(value: str) -> str:
    """micromark-util-sanitize-uri's ``normalizeUri`` (an href as mdast-util-to-hast writes it)."""
    if _URI_ALL_KEPT.fullmatch(value):
        return value  # every character is kept as it is (the common case)
    out: list[str] = []
    i, n = 0, len(value)
    while i < n:
        ch = value[i]
        if ch == "%" and i + 2 < n and value[i + 1] in _ALNUM and value[i + 2] in _ALNUM:
            out.append(value[i : i + 3])
            i += 3
            continue
        if ord(ch) < 128 and _URI_KEEP.match(ch):
            out.append(ch)
        else:
            out.append(js.encode_uri_component(ch))
        i += 1
    return "".join(out)


_ABSOLUTE = re.compile(r"[a-zA-Z][a-zA-Z\d+\-.]*?:")
_WINDOWS = re.compile(r"[a-zA-Z]:\\")


def is_absolute_url(url: str) -> bool:
    """is-absolute-url: a scheme and a colon (``Colon: Title`` is one), unless a Windows path."""
    return not _WINDOWS.match(url) and bool(_ABSOLUTE.match(url))


_C0_SPACE = "".join(chr(c) for c in range(0x21))
_PATH_ENCODE = frozenset(' "#<>?`{}')
_FRAGMENT_ENCODE = frozenset(' "<>`')
_SINGLE_DOT = (".", "%2e")
_DOUBLE_DOT = ("..", ".%2e", "%2e.", "%2e%2e")


def _kept(encode_set: frozenset[str]) -> re.Pattern[str]:
    """Text that :func:`_encode` leaves as it is: printable ASCII outside ``encode_set``."""
    return re.compile("[" + "".join(re.escape(chr(c)) for c in range(0x20, 0x7F) if chr(c) not in encode_set) + "]*")


_ALL_KEPT: dict[frozenset[str], re.Pattern[str]] = {}


def _encode(text: str, encode_set: frozenset[str]) -> str:
    kept = _ALL_KEPT.get(encode_set)
    if kept is None:
        kept = _ALL_KEPT[encode_set] = _kept(encode_set)
    if kept.fullmatch(text):
        return text
    out = []
    for ch in text:
        o = ord(ch)
        if o < 0x20 or o > 0x7E or ch in encode_set:
            out.append("".join(f"%{b:02X}" for b in ch.encode("utf-8")))
        else:
            out.append(ch)
    return "".join(out)


def resolve_url(ref: str, base_path: str) -> tuple[str, str]:
    """``new URL(ref, "https://base.com" + base_path)``: its pathname and hash.

    ``ref`` is a relative reference (Quartz's hrefs all are): white space at the
    ends and tabs/newlines inside dropped, ``\\`` read as ``/``, dot segments
    (``%2e`` spellings too) resolved against the base's folder, the query dropped.
    """
    ref = ref.strip(_C0_SPACE).replace("\t", "").replace("\n", "").replace("\r", "")
    ref, hash_sep, fragment = ref.partition("#")
    path = ref.partition("?")[0].replace("\\", "/")
    segments = base_path.split("/")[1:-1]
    if path.startswith("/"):
        segments, path = [], path[1:]
    parts = path.split("/")
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        low = part.lower()
        if low in _DOUBLE_DOT:
            if segments:
                segments.pop()
            if last:
                segments.append("")
        elif low in _SINGLE_DOT:
            if last:
                segments.append("")
        else:
            segments.append(_encode(part, _PATH_ENCODE))
    fragment = _encode(fragment, _FRAGMENT_ENCODE)
    return "/" + "/".join(segments), ("#" + fragment if hash_sep and fragment else "")
