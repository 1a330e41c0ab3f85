"""notelint.quartz.paths against Quartz 4.5's own tests (quartz/util/path.test.ts), ported case by case,
plus the URL arithmetic of CrawlLinks and the JavaScript semantics the port relies on."""

from __future__ import annotations

import pytest

from notelint.quartz import js
from notelint.quartz.paths import (
    is_absolute_url,
    join_segments,
    normalize_uri,
    path_to_root,
    resolve_relative,
    resolve_url,
    simplify_slug,
    slugify_file_path,
    split_anchor,
    transform_internal_link,
    transform_link,
)
from notelint.quartz.slugger import Slugger, slug

ALL_SLUGS = ["a/b/c", "a/b/d", "a/b/index", "e/f", "e/g/h", "index", "a/test.png"]


def names(slugs: list[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for s in slugs:
        out.setdefault(s.split("/")[-1], []).append(s)
    return out


@pytest.mark.parametrize(
    ("fp", "slug_"),
    [
        ("content/index.md", "content/index"),
        ("content/index.html", "content/index"),
        ("content/_index.md", "content/index"),
        ("/content/index.md", "content/index"),
        ("content/cool.png", "content/cool.png"),
        ("index.md", "index"),
        ("test.mp4", "test.mp4"),
        ("note with spaces.md", "note-with-spaces"),
        ("notes.with.dots.md", "notes.with.dots"),
        ("test/special chars?.md", "test/special-chars"),
        ("test/special chars #3.md", "test/special-chars-3"),
        ("cool/what about r&d?.md", "cool/what-about-r-and-d"),
        # beyond Quartz's tests: what the edge vault and the real vault need
        ("percent 100%.md", "percent-100-percent"),
        ("UPPER_case.md", "UPPER_case"),
        ("x/dupundefined", "x/dup"),  # new RegExp(undefined + "$") strips a trailing "undefined"
        ("a\u3000b\u00a0c.md", "a-b-c"),  # JavaScript's \s, not Python's
    ],
)
def test_slugify_file_path(fp, slug_):
    assert slugify_file_path(fp) == slug_


@pytest.mark.parametrize(("full", "simple"), [("index", "/"), ("abc", "abc"), ("abc/index", "abc/"), ("abc/def", "abc/def")])
def test_simplify_slug(full, simple):
    assert simplify_slug(full) == simple


@pytest.mark.parametrize(
    ("link", "out"),
    [
        ("", "."),
        (".", "."),
        ("./", "./"),
        ("./index", "./"),
        ("./index#abc", "./#abc"),
        ("./index.html", "./"),
        ("./index.md", "./"),
        ("./index.css", "./index.css"),
        ("content", "./content"),
        ("content/test.md", "./content/test"),
        ("content/test.pdf", "./content/test.pdf"),
        ("./content/test.md", "./content/test"),
        ("../content/test.md", "../content/test"),
        ("tags/", "./tags/"),
        ("/tags/", "./tags/"),
        ("content/with spaces", "./content/with-spaces"),
        ("content/with spaces/index", "./content/with-spaces/"),
        ("content/with spaces#and Anchor!", "./content/with-spaces#and-anchor"),
        ("a/../b", "../a/b"),  # every relative segment moves to the front
    ],
)
def test_transform_internal_link(link, out):
    assert transform_internal_link(link) == out


@pytest.mark.parametrize(("slug_", "up"), [("index", "."), ("abc", "."), ("abc/def", ".."), ("abc/def/ghi", "../.."), ("abc/def/index", "../..")])
def test_path_to_root(slug_, up):
    assert path_to_root(slug_) == up


@pytest.mark.parametrize(
    ("args", "out"),
    [
        (("a", "b"), "a/b"),
        (("a/", "b"), "a/b"),
        (("a", "b/"), "a/b/"),
        (("a/", "b/"), "a/b/"),
        (("/a", "b"), "/a/b"),
        (("/a/", "b"), "/a/b"),
        (("/a", "b/"), "/a/b/"),
        (("/a/", "b/"), "/a/b/"),
        (("/a/", "b", "/"), "/a/b/"),
        (("a/", "b/"), "a/b/"),
        (("https://example.com", "a"), "https://example.com/a"),
        (("https://example.com/", "a"), "https://example.com/a"),
        (("https://example.com", "a/"), "https://example.com/a/"),
        (("https://example.com/", "a/"), "https://example.com/a/"),
    ],
)
def test_join_segments(args, out):
    assert join_segments(*args) == out


ABSOLUTE = [
    ("a/b/c", "a/b/d", "../../a/b/d"),
    ("a/b/c", "a/b/index", "../../a/b/"),
    ("a/b/c", "e/f", "../../e/f"),
    ("a/b/c", "e/g/h", "../../e/g/h"),
    ("a/b/c", "index", "../../"),
    ("a/b/c", "index.png", "../../index.png"),
    ("a/b/c", "index#abc", "../../#abc"),
    ("a/b/c", "tag/test", "../../tag/test"),
    ("a/b/c", "a/b/c#test", "../../a/b/c#test"),
    ("a/b/c", "a/test.png", "../../a/test.png"),
    ("a/b/index", "a/b/d", "../../a/b/d"),
    ("a/b/index", "a/b", "../../a/b"),
    ("a/b/index", "index", "../../"),
    ("index", "index", "./"),
    ("index", "a/b/c", "./a/b/c"),
    ("index", "a/b/index", "./a/b/"),
]
SHORTEST = [
    ("a/b/c", "d", "../../a/b/d"),
    ("a/b/c", "h", "../../e/g/h"),
    ("a/b/c", "a/b/index", "../../a/b/"),
    ("a/b/c", "a/b/index.png", "../../a/b/index.png"),
    ("a/b/c", "a/b/index#abc", "../../a/b/#abc"),
    ("a/b/c", "index", "../../"),
    ("a/b/c", "index.png", "../../index.png"),
    ("a/b/c", "test.png", "../../a/test.png"),
    ("a/b/c", "index#abc", "../../#abc"),
    ("a/b/index", "d", "../../a/b/d"),
    ("a/b/index", "h", "../../e/g/h"),
    ("a/b/index", "a/b/index", "../../a/b/"),
    ("a/b/index", "index", "../../"),
    ("index", "d", "./a/b/d"),
    ("index", "h", "./e/g/h"),
    ("index", "a/b/index", "./a/b/"),
    ("index", "index", "./"),
]
RELATIVE = [
    ("a/b/c", "d", "./d"),
    ("a/b/c", "index", "./"),
    ("a/b/c", "../../../index", "../../../"),
    ("a/b/c", "../../../index.png", "../../../index.png"),
    ("a/b/c", "../../../index#abc", "../../../#abc"),
    ("a/b/c", "../../../", "../../../"),
    ("a/b/c", "../../../a/test.png", "../../../a/test.png"),
    ("a/b/c", "../../../e/g/h", "../../../e/g/h"),
    ("a/b/c", "../../../e/g/h#abc", "../../../e/g/h#abc"),
    ("a/b/index", "../../index", "../../"),
    ("a/b/index", "../../", "../../"),
    ("a/b/index", "../../e/g/h", "../../e/g/h"),
    ("a/b/index", "c", "./c"),
    ("index", "e/g/h", "./e/g/h"),
    ("index", "a/b/index", "./a/b/"),
]


@pytest.mark.parametrize(
    ("strategy", "src", "target", "out"),
    [("absolute", *c) for c in ABSOLUTE] + [("shortest", *c) for c in SHORTEST] + [("relative", *c) for c in RELATIVE],
)
def test_transform_link(strategy, src, target, out):
    assert transform_link(src, target, strategy, names(ALL_SLUGS)) == out


def test_shortest_name_shared_by_two_files_goes_to_the_root():
    slugs = names(["x/dup", "y/dup", "z/root_dup", "root_dup"])
    assert transform_link("a/b", "dup", "shortest", slugs) == "../dup"
    assert transform_link("a/b", "root_dup", "shortest", slugs) == "../root_dup"


@pytest.mark.parametrize(
    ("current", "target", "out"),
    [
        ("index", "index", "./"),
        ("index", "abc", "./abc"),
        ("index", "abc/def", "./abc/def"),
        ("index", "abc/def/ghi", "./abc/def/ghi"),
        ("abc/def", "index", "../"),
        ("abc/def", "abc", "../abc"),
        ("abc/def", "abc/def", "../abc/def"),
        ("abc/def", "ghi/jkl", "../ghi/jkl"),
        ("abc/index", "index", "../"),
        ("abc/def/index", "index", "../../"),
        ("index", "abc/index", "./abc/"),
        ("abc/def", "abc/index", "../abc/"),
        ("abc/def", "", "../"),
        ("abc/def", "ghi", "../ghi"),
        ("abc/def", "ghi/", "../ghi/"),
    ],
)
def test_resolve_relative(current, target, out):
    assert resolve_relative(current, target) == out


@pytest.mark.parametrize(
    ("url", "absolute"),
    [
        ("https://example.com", True),
        ("http://example.com", True),
        ("ftp://example.com/a/b/c", True),
        ("http://host/%25", True),
        ("file://host/twoslashes?more//slashes", True),
        ("example.com/abc/def", False),
        ("abc", False),
        ("Colon:%20Title", True),  # [[Colon: Title]] is taken for a URL
        ("c:\\windows", False),
    ],
)
def test_is_absolute_url(url, absolute):
    assert is_absolute_url(url) is absolute


@pytest.mark.parametrize(
    ("value", "out"),
    [
        ("a b", "a%20b"),
        ("caf\u00e9", "caf%C3%A9"),
        ("100%", "100%25"),
        ("%41ok", "%41ok"),  # a percent and two alphanumerics stay as written
        ("%zz", "%zz"),
        ("a[b]|c", "a%5Bb%5D%7Cc"),
        ("#h?x=1&y", "#h?x=1&y"),
        ("\U0001f600", "%F0%9F%98%80"),
    ],
)
def test_normalize_uri(value, out):
    assert normalize_uri(value) == out


@pytest.mark.parametrize(
    ("ref", "base", "path", "hash_"),
    [
        ("./a", "/", "/a", ""),
        ("../../a/b#h", "/x/y/note", "/a/b", "#h"),
        ("./", "/x/", "/x/", ""),
        ("..", "/x/y/z", "/x/", ""),
        ("./%2e%2E/a", "/x/y", "/a", ""),  # percent-encoded dot segments are dot segments
        ("./a\\b", "/", "/a/b", ""),  # a backslash is a slash in an https URL
        ("./caf\u00e9 x", "/", "/caf%C3%A9%20x", ""),
        ("./a?q#f g", "/", "/a", "#f%20g"),
        ("./a\n\tb", "/", "/ab", ""),
    ],
)
def test_resolve_url(ref, base, path, hash_):
    assert resolve_url(ref, base) == (path, hash_)


@pytest.mark.parametrize(
    ("text", "out"),
    [
        ("What's up?", "whats-up"),
        ("Heading One", "heading-one"),
        ("C\u2014 (C minus minus)", "c-c-minus-minus"),
        ("\u00dcber Stra\u00dfe", "\u00fcber-stra\u00dfe"),
        ("[00:02:18]", "000218"),
        ("a_b-c", "a_b-c"),
        ("\U0001f449 emoji", "-emoji"),
    ],
)
def test_slug(text, out):
    assert slug(text) == out


def test_slugger_numbers_repeats():
    s = Slugger()
    assert [s.slug(t) for t in ("C", "C", "c-1", "C")] == ["c", "c-1", "c-1-1", "c-2"]


def test_split_anchor_first_two_pieces_only():
    assert split_anchor("a##b") == ("a", "#")
    assert split_anchor("a#My Head#x") == ("a", "#my-head")
    assert split_anchor("doc.pdf#page=2") == ("doc.pdf", "#page=2")


def test_js_semantics():
    assert js.trim("\ufeff\u3000 a \u2028") == "a"
    assert js.trim("\x1c a") == "\x1c a"  # Python's strip() would take \x1c; JavaScript's trim does not
    assert js.decode_uri("a%20b%2Fc") == "a b%2Fc"  # decodeURI keeps reserved characters escaped
    assert js.decode_uri_component("a%20b%2Fc") == "a b/c"
    with pytest.raises(js.URIError):
        js.decode_uri("100%zz")
    with pytest.raises(js.URIError):
        js.decode_uri("%C3")
